//! The `springboard` binary end to end: real calls into the system's libc and libm,
//! listings for every named target, and one-line errors with exit status 2 for every
//! kind of bad input.

use std::process::{Command, Output};

fn springboard(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_springboard"))
        .args(args)
        .output()
        .expect("the springboard binary runs")
}

/// Runs a command that must succeed quietly on stderr; returns its stdout.
fn stdout_of(args: &[&str]) -> String {
    let output = springboard(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{args:?}: {:?}: {stderr}",
        output.status
    );
    assert!(stderr.is_empty(), "{args:?} wrote to stderr: {stderr}");
    String::from_utf8(output.stdout).expect("stdout is UTF-8")
}

/// Runs `springboard call ARGS...` for each row and checks its stdout is the row's.
fn assert_calls(rows: &[(&[&str], &str)]) {
    for (args, expected) in rows {
        let args: Vec<&str> = std::iter::once("call")
            .chain(args.iter().copied())
            .collect();
        assert_eq!(stdout_of(&args), *expected, "{args:?}");
    }
}

/// Runs a command that must fail with status 2, nothing on stdout and exactly one
/// `springboard: error: ` line on stderr containing every fragment.
fn fails_with(args: &[&str], fragments: &[&str]) {
    let output = springboard(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(output.stdout.is_empty(), "{args:?} wrote to stdout");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{args:?}: not one line: {stderr:?}");
    assert!(stderr.ends_with('\n'), "{args:?}: {stderr:?}");
    assert!(
        lines[0].starts_with("springboard: error: "),
        "{args:?}: {stderr:?}"
    );
    for fragment in fragments {
        assert!(
            lines[0].contains(fragment),
            "{args:?}: `{fragment}` missing from {stderr:?}"
        );
    }
}

#[test]
fn calls_libm_with_floats() {
    assert_calls(&[(&["libm.so.6", "cos", "(f64) -> f64", "0"], "1.0\n")]);
    assert_eq!(
        stdout_of(&["call", "libm.so.6", "pow", "(f64, f64) -> f64", "2", "0.5"]),
        format!("{:?}\n", 2f64.powf(0.5))
    );
    assert_calls(&[
        (
            &["libm.so.6", "pow", "(f64, f64) -> f64", "10", "300"],
            "1e300\n",
        ),
        (&["libm.so.6", "fabs", "(f64) -> f64", "-2e3"], "2000.0\n"),
        (&["libm.so.6", "fabs", "(f64) -> f64", "-inf"], "inf\n"),
        (&["libm.so.6", "fabs", "(f64) -> f64", "nan"], "NaN\n"),
        (&["libm.so.6", "fabsf", "(f32) -> f32", "-2.5"], "2.5\n"),
    ]);
}

#[test]
fn calls_libm_with_long_double() {
    // sqrtl, fmal and frexpl take and return the x87 `long double` (st0 results);
    // sqrtf128 the binary128 `__float128` (xmm0). Shown rounded to f64.
    assert_calls(&[
        (
            &["libm.so.6", "sqrtl", "(f80) -> f80", "2"],
            "1.4142135623730951\n",
        ),
        (
            &[
                "libm.so.6",
                "fmal",
                "(f80, f80, f80) -> f80",
                "2",
                "3",
                "0.5",
            ],
            "6.5\n",
        ),
        (
            &["libm.so.6", "sqrtf128", "(f128) -> f128", "2"],
            "1.4142135623730951\n",
        ),
        (&["libm.so.6", "fabsl", "(f80) -> f80", "-1e300"], "1e300\n"),
        (
            &["libm.so.6", "ldexpl", "(f80, i32) -> f80", "1", "-1074"],
            "5e-324\n",
        ),
    ]);
    // A value beyond f64's range prints as its rounding.
    assert_calls(&[(
        &["libm.so.6", "ldexpl", "(f80, i32) -> f80", "1", "2000"],
        "inf\n",
    )]);
}

#[test]
fn calls_libc_with_integers() {
    assert_calls(&[
        (&["libc.so.6", "abs", "(i32) -> i32", "-7"], "7\n"),
        (
            &["libc.so.6", "labs", "(i64) -> i64", "-9000000000"],
            "9000000000\n",
        ),
        (&["libc.so.6", "abs", "(i32) -> i32", "-0x10"], "16\n"),
        (
            &["libc.so.6", "labs", "(i64) -> i64", "0x7fffffffffffffff"],
            "9223372036854775807\n",
        ),
    ]);
}

#[test]
fn errno_is_shown_when_asked() {
    let path = "\"/nonexistent/springboard-cli-errno\"";
    assert_eq!(
        stdout_of(&[
            "call",
            "--errno",
            "libc.so.6",
            "open",
            "(ptr, i32) -> i32",
            path,
            "0"
        ]),
        "-1\nerrno 2 (ENOENT)\n"
    );
    let variadic = "(ptr, i32, ...; u32) -> i32";
    assert_eq!(
        stdout_of(&[
            "call",
            "libc.so.6",
            "open",
            variadic,
            "--errno",
            path,
            "0",
            "0"
        ]),
        "-1\nerrno 2 (ENOENT)\n"
    );
    let digits = "\"99999999999999999999\"";
    assert_eq!(
        stdout_of(&[
            "call",
            "--errno",
            "libc.so.6",
            "strtol",
            "(ptr, ptr, i32) -> i64",
            digits,
            "null",
            "10"
        ]),
        "9223372036854775807\nerrno 34 (ERANGE)\n"
    );
    // Without the flag, no errno line.
    assert_eq!(
        stdout_of(&["call", "libc.so.6", "open", "(ptr, i32) -> i32", path, "0"]),
        "-1\n"
    );
}

#[test]
fn show_lists_errno_downcalls() {
    let windows = stdout_of(&[
        "show",
        "--errno",
        "set_and_capture",
        "--target",
        "x86_64-pc-windows-msvc",
        "--clif",
        "(ptr, i32) -> i32",
    ]);
    // The setter before the callee, the getter after it: two accessor imports.
    assert!(
        windows.contains("fn0 = u94:1") && windows.contains("fn1 = u94:0"),
        "{windows}"
    );
    let linux = stdout_of(&[
        "show",
        "--errno",
        "capture",
        "--target",
        "aarch64-unknown-linux-gnu",
        "--clif",
        "(i32)",
    ]);
    assert!(
        linux.contains("fn0 = u94:0") && !linux.contains("u94:1"),
        "{linux}"
    );
    fails_with(
        &["show", "--errno", "later", "(i32)"],
        &["--errno", "unknown mode `later`"],
    );
    fails_with(
        &["show", "--kind", "callback", "--errno", "capture", "(i32)"],
        &["--errno", "does not apply to callback"],
    );
}

#[test]
fn string_literals_are_c_strings() {
    assert_calls(&[(
        &["libc.so.6", "strlen", "(ptr) -> usize", "\"hello\""],
        "5\n",
    )]);
    // a, tab, b, backslash, quote: five bytes.
    assert_calls(&[
        (
            &["libc.so.6", "strlen", "(ptr) -> usize", r#""a\tb\\\"""#],
            "5\n",
        ),
        (&["libc.so.6", "strlen", "(ptr) -> usize", "\"\""], "0\n"),
        (&["libc.so.6", "atoi", "(ptr) -> i32", "\"-42\""], "-42\n"),
    ]);
}

#[test]
fn void_results_print_nothing() {
    assert_calls(&[(&["libc.so.6", "srand", "(u32)", "1"], "")]);
}

#[test]
fn output_the_callee_writes_comes_first() {
    // glibc's puts returns the number of bytes written, newline included.
    assert_calls(&[(
        &["libc.so.6", "puts", "(ptr) -> i32", r#""hi\tthere""#],
        "hi\tthere\n9\n",
    )]);
}

#[test]
fn narrow_bool_and_pointer_results() {
    assert_calls(&[
        (&["libc.so.6", "toupper", "(i32) -> u8", "97"], "65\n"),
        (&["libc.so.6", "toupper", "(u8) -> i8", "0x7a"], "90\n"),
        (&["libc.so.6", "abs", "(i32) -> bool", "-3"], "true\n"),
        (&["libc.so.6", "abs", "(i32) -> bool", "0"], "false\n"),
        (&["libc.so.6", "abs", "(bool) -> i32", "true"], "1\n"),
    ]);
    let not_digit = stdout_of(&["call", "libc.so.6", "isdigit", "(i32) -> i32", "65"]);
    let digit = stdout_of(&["call", "libc.so.6", "isdigit", "(i32) -> i32", "55"]);
    assert_eq!(not_digit, "0\n");
    assert_ne!(digit.trim().parse::<i32>().expect("an integer"), 0);
    // memchr over zero bytes finds nothing: a null pointer, in hex.
    assert_calls(&[(
        &[
            "libc.so.6",
            "memchr",
            "(ptr, i32, usize) -> ptr",
            "null",
            "0",
            "0",
        ],
        "0x0\n",
    )]);
    let found = stdout_of(&[
        "call",
        "libc.so.6",
        "strchr",
        "(ptr, i32) -> ptr",
        "\"hello\"",
        "108",
    ]);
    let hex = found
        .strip_prefix("0x")
        .and_then(|rest| rest.strip_suffix('\n'))
        .unwrap_or_else(|| panic!("not a hex pointer line: {found:?}"));
    assert_ne!(u64::from_str_radix(hex, 16).expect("hex digits"), 0);
}

#[test]
fn show_lists_clif_and_machine_code_for_every_target() {
    let expectations = [
        ("x86_64-unknown-linux-gnu", "system_v", "retq"),
        ("x86_64-pc-windows-msvc", "windows_fastcall", "retq"),
        ("aarch64-unknown-linux-gnu", "system_v", "ret"),
        ("aarch64-apple-darwin", "apple_aarch64", "ret"),
        ("riscv64gc-unknown-linux-gnu", "system_v", "ret"),
    ];
    let signatures = ["(i32, f64) -> f32", "({i8, [f32; 3]}, ptr) -> {f64, i64}"];
    for ((target, call_conv, return_instruction), signature) in expectations
        .into_iter()
        .flat_map(|e| signatures.map(|s| (e, s)))
    {
        let text = stdout_of(&["show", signature, "--target", target]);
        let (clif, asm) = text
            .split_once("\n; machine code: ")
            .unwrap_or_else(|| panic!("{target}: no machine-code header in {text}"));
        assert!(
            clif.starts_with(&format!(
                "; CLIF: downcall `{signature}` for {target}\nfunction "
            )),
            "{target}: {clif}"
        );
        assert!(clif.contains("call_indirect"), "{target}: {clif}");
        assert!(clif.contains(call_conv), "{target}: {clif}");
        let (header, listing) = asm.split_once('\n').expect("a listing after the header");
        assert!(header.ends_with(&format!("bytes for {target}")), "{header}");
        assert!(listing.lines().count() > 3, "{target}: {listing}");
        assert!(
            listing
                .lines()
                .any(|line| line.trim() == return_instruction),
            "{target}: {listing}"
        );
    }
}

#[test]
fn struct_results_print_in_braces() {
    assert_calls(&[
        (
            &["libc.so.6", "div", "(i32, i32) -> {i32, i32}", "7", "2"],
            "{3, 1}\n",
        ),
        (
            &["libc.so.6", "ldiv", "(i64, i64) -> {i64, i64}", "-7", "2"],
            "{-3, -1}\n",
        ),
    ]);
}

#[test]
fn struct_literals_in_arguments() {
    // The issue's examples, verbatim.
    assert_calls(&[
        (
            &["libc.so.6", "div", "(i32, i32) -> {i32, i32}", "17", "5"],
            "{3, 2}\n",
        ),
        (
            &["libm.so.6", "cabs", "({f64, f64}) -> f64", "{3, 4}"],
            "5.0\n",
        ),
        (
            &[
                "libm.so.6",
                "csqrt",
                "({f64, f64}) -> {f64, f64}",
                "{-4, 0}",
            ],
            "{0.0, 2.0}\n",
        ),
    ]);
    fails_with(
        &["call", "libm.so.6", "cabs", "({f64, f64}) -> f64", "{3}"],
        &["argument 1", "`{3}`", "member 2 of 2"],
    );
}

#[test]
fn show_sections_and_defaults() {
    use springboard::{Compiler, Request, Target};
    let host = Target::host().expect("a supported host");
    let listing = Compiler::for_target(host.clone(), &Default::default())
        .and_then(|compiler| compiler.listing(&Request::Downcall("(ptr, u8)".parse()?)))
        .expect("the library lists the trampoline");
    assert!(listing.clif.contains("call_indirect"));
    assert!(!listing.vcode.trim().is_empty());

    // One flag: that section alone, exactly what the library lists.
    let clif = stdout_of(&["show", "(ptr, u8)", "--clif"]);
    assert_eq!(clif.trim_end(), listing.clif.trim_end());
    let asm = stdout_of(&["show", "(ptr, u8)", "--asm"]);
    assert_eq!(asm.trim_end(), listing.vcode.trim_end());

    // Neither flag (or both): both, under header comments; the host by default.
    let both = stdout_of(&["show", "(ptr, u8)"]);
    let expected = format!(
        "; CLIF: downcall `(ptr, u8)` for {host}\n{clif}\n; machine code: {} bytes for {host}\n{asm}",
        listing.code_size
    );
    assert_eq!(both, expected);
    let both_flags = stdout_of(&["show", "(ptr, u8)", "--clif", "--asm", "--kind", "downcall"]);
    assert_eq!(both_flags, expected);
}

#[test]
fn missing_library_and_symbol() {
    fails_with(
        &["call", "libspringboard-no-such-library.so.9", "f", "()"],
        &["cannot load library", "libspringboard-no-such-library.so.9"],
    );
    fails_with(
        &["call", "libc.so.6", "springboard_no_such_symbol", "()"],
        &["symbol `springboard_no_such_symbol` not found in `libc.so.6`"],
    );
}

#[test]
fn bad_signatures_give_the_byte_offset() {
    fails_with(
        &["call", "libc.so.6", "abs", "(i32, i33) -> i32", "1", "2"],
        &["bad signature `(i32, i33) -> i32`", "at byte 6", "`i33`"],
    );
    fails_with(
        &["call", "libc.so.6", "abs", "(i32 -> i32", "1"],
        &["at byte 5", "expected `,` or `)`"],
    );
    fails_with(
        &["show", "fastcall (i32)"],
        &["at byte 0", "calling convention"],
    );
}

#[test]
fn wrong_number_of_arguments() {
    fails_with(
        &["call", "libc.so.6", "abs", "(i32) -> i32"],
        &["`(i32) -> i32` takes 1 argument, 0 given"],
    );
    fails_with(
        &["call", "libc.so.6", "abs", "(i32) -> i32", "1", "-2"],
        &["takes 1 argument, 2 given"],
    );
    fails_with(
        &["call", "libc.so.6", "rand", "() -> i32", "1"],
        &["takes 0 arguments, 1 given"],
    );
}

#[test]
fn bad_literals_name_argument_text_and_type() {
    let cases: [(&str, &str, &[&str]); 9] = [
        (
            "(i32) -> i32",
            "abc",
            &["argument 1 `abc`", "i32", "expected an i32 integer"],
        ),
        (
            "(u8) -> i32",
            "300",
            &["argument 1 `300`", "300 is out of range for u8 (0 to 255)"],
        ),
        ("(i8) -> i32", "-0x81", &["-0x81 is out of range for i8"]),
        ("(f32) -> i32", "1e39", &["out of range for f32"]),
        ("(f64) -> i32", "1.2.3", &["argument 1 `1.2.3`", "f64"]),
        (
            "(bool) -> i32",
            "yes",
            &["argument 1 `yes`", "expected `true` or `false`"],
        ),
        (
            "(ptr) -> i32",
            r#""a\qb""#,
            &["unknown escape `\\q`", "at byte 2"],
        ),
        ("(ptr) -> i32", "\"open", &["no closing `\"`"]),
        (
            "(i32) -> i32",
            "\"5\"",
            &["parameter type i32", "found a string"],
        ),
    ];
    for (signature, literal, fragments) in cases {
        fails_with(&["call", "libc.so.6", "abs", signature, literal], fragments);
    }
    // The argument's position is its number on the command line, counting from 1.
    fails_with(
        &["call", "libm.so.6", "pow", "(f64, f64) -> f64", "2", "two"],
        &["argument 2 `two` (parameter type f64)"],
    );
}

#[test]
fn unknown_target_and_kind() {
    fails_with(
        &["show", "(i32)", "--target", "powerpc64le-unknown-linux-gnu"],
        &[
            "unknown target `powerpc64le-unknown-linux-gnu`",
            "aarch64-apple-darwin",
            "riscv64gc-unknown-linux-gnu",
        ],
    );
    fails_with(
        &["show", "(i32)", "--target", "not-a-triple"],
        &["unknown target `not-a-triple`", "x86_64-pc-windows-msvc"],
    );
    fails_with(
        &["show", "(i32)", "--kind", "upcall"],
        &["unknown trampoline kind `upcall`", "valid kinds: downcall"],
    );
}

#[test]
fn conventions_missing_on_the_target() {
    fails_with(
        &["show", "win64 (i32)", "--target", "aarch64-apple-darwin"],
        &["`win64` does not exist on target `aarch64-apple-darwin`"],
    );
    fails_with(
        &[
            "show",
            "apple (i32)",
            "--target",
            "x86_64-unknown-linux-gnu",
        ],
        &["`apple` does not exist on target `x86_64-unknown-linux-gnu`"],
    );
    use springboard::Convention;
    let host = springboard::Target::host().expect("a supported host");
    let foreign = if matches!(host.convention(), Convention::SysV | Convention::Win64) {
        "aapcs64"
    } else {
        "sysv"
    };
    let signature = format!("{foreign} (i32) -> i32");
    fails_with(
        &["call", "libc.so.6", "abs", &signature, "1"],
        &[&format!("`{foreign}` does not exist on target `{host}`")],
    );
}

#[test]
fn usage_errors_exit_2_and_help_exits_0() {
    for args in [&[][..], &["call", "libc.so.6"], &["show"], &["frobnicate"]] {
        let output = springboard(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
    let help = springboard(&["call", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("<LIBRARY> <SYMBOL> <SIGNATURE> [ARGS]..."),
        "{help}"
    );
}

#[test]
fn show_fast_calls_and_boundaries_with_their_options() {
    // Apple's mixed-convention fast call: an AAPCS64 entry calling an Apple C function.
    let clif = stdout_of(&[
        "show",
        "--kind",
        "fastcall",
        "--entry",
        "aapcs64",
        "--target",
        "aarch64-apple-darwin",
        "--buffer",
        "1",
        "--clif",
        "apple (u8, ptr) -> i8",
    ]);
    assert!(
        clif.starts_with("function u0:0(i64, i32, i64, i64) -> i32 system_v"),
        "{clif}"
    );
    assert!(clif.contains("apple_aarch64"), "{clif}");
    assert!(
        clif.contains("load.i64 notrap aligned v2+8"),
        "the buffer's data pointer: {clif}"
    );
    let clif = stdout_of(&[
        "show",
        "--kind",
        "fastcall",
        "--out-pointer",
        "--no-options",
        "--clif",
        "(i32) -> u64",
    ]);
    assert!(
        clif.starts_with("function u0:0(i64, i32, i64) system_v"),
        "{clif}"
    );
    for kind in ["entry", "exit"] {
        let native = stdout_of(&[
            "show",
            "--kind",
            kind,
            "--native",
            "--clif",
            "(ptr, f64) -> f64",
        ]);
        assert!(native.contains("0x0123_4567_89ab_cdef"), "{kind}: {native}");
        assert!(native.contains(if kind == "entry" {
            "get_frame_pointer"
        } else {
            "get_return_address"
        }));
    }
    fails_with(
        &["show", "--kind", "downcall", "--native", "(ptr)"],
        &["--native does not apply to downcall"],
    );
    fails_with(
        &["show", "--kind", "fastcall", "--buffer", "0", "(i32)"],
        &["--buffer `0`"],
    );
    fails_with(
        &["show", "--kind", "fastcall", "--entry", "vax", "(i32)"],
        &["unknown convention `vax`"],
    );
    fails_with(&["show", "--kind", "entry", "(i32)"], &["no ptr parameter"]);
}

#[test]
fn emit_writes_the_object_format_of_every_target() {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("emit-formats");
    std::fs::create_dir_all(&dir).unwrap();
    let formats: [(&str, &[u8]); 5] = [
        ("x86_64-unknown-linux-gnu", b"\x7fELF"),
        ("x86_64-pc-windows-msvc", b"\x64\x86"), // COFF machine IMAGE_FILE_MACHINE_AMD64
        ("aarch64-unknown-linux-gnu", b"\x7fELF"),
        ("aarch64-apple-darwin", b"\xcf\xfa\xed\xfe"), // Mach-O 64-bit, little endian
        ("riscv64gc-unknown-linux-gnu", b"\x7fELF"),
    ];
    for (target, magic) in formats {
        let errno_accessor = match target {
            "x86_64-pc-windows-msvc" => "SetLastError",
            "aarch64-apple-darwin" => "___error",
            _ => "__errno_location",
        };
        let path = dir.join(format!("{target}.o"));
        let output = springboard(&[
            "emit",
            "--target",
            target,
            "-o",
            path.to_str().unwrap(),
            "add=downcall:(i32, i32) -> i32",
            "compare=callback:(ptr, ptr) -> i32",
            "fast=fastcall(add_c):(u8, f64) -> i8",
            "enter=entry(guest):(ptr, i32) -> i32",
            "leave=exit:(ptr, i32) -> i32",
            "open_e=downcall+set_errno:(ptr, i32) -> i32",
        ]);
        assert!(output.status.success(), "{target}: {output:?}");
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(magic), "{target}: {:02x?}", &bytes[..4]);
        // The names are in the object's symbol table.
        for name in [
            "add",
            "compare_entry",
            "fast",
            "add_c",
            "enter",
            "guest",
            "leave_entry",
            "open_e",
            // The errno downcall imports the target's accessor.
            errno_accessor,
        ] {
            let found = bytes.windows(name.len()).any(|w| w == name.as_bytes());
            assert!(found, "{target}: no `{name}` symbol");
        }
    }
    fails_with(
        &[
            "emit",
            "--target",
            "x86_64-unknown-linux-gnu",
            "-o",
            "/tmp/x.o",
            "fast=fastcall:(i32)",
        ],
        &["fastcall(SYMBOL)"],
    );
    fails_with(
        &[
            "emit",
            "--target",
            "x86_64-unknown-linux-gnu",
            "-o",
            "/tmp/x.o",
            "cb=callback+errno:(i32)",
        ],
        &[
            "`+errno`",
            "downcall takes `+errno` or `+set_errno`, callback takes `+bound`",
        ],
    );
    fails_with(
        &[
            "emit",
            "--target",
            "x86_64-unknown-linux-gnu",
            "-o",
            "/tmp/x.o",
            "a=downcall:(i32)",
            "a=callback:(i32)",
        ],
        &["given twice"],
    );
}

#[test]
fn calls_variadic_printf() {
    assert_calls(&[
        (
            &[
                "libc.so.6",
                "printf",
                "(ptr, ...; i32, f64) -> i32",
                "\"%d %.2f\\n\"",
                "42",
                "2.5",
            ],
            "42 2.50\n8\n",
        ),
        (
            &[
                "libc.so.6",
                "printf",
                "(ptr, ...; ptr, u64, f64, f64, f64, f64, f64, f64, f64, f64, f64) -> i32",
                "\"%s %lu %g %g %g %g %g %g %g %g %g|\"",
                "\"x\"",
                "18446744073709551615",
                "1",
                "2",
                "3",
                "4",
                "5",
                "6",
                "7",
                "8",
                "9.5",
            ],
            "x 18446744073709551615 1 2 3 4 5 6 7 8 9.5|43\n",
        ),
    ]);
    fails_with(
        &[
            "call",
            "libc.so.6",
            "printf",
            "(ptr, ...; f32) -> i32",
            "\"%f\"",
            "1",
        ],
        &["at byte 11", "C passes f32 as f64: write f64"],
    );
}
