//! Snapshot tests of trampoline IR and machine code: `clif-fixtures/`.
//!
//! Every fixture is a Cranelift filetest-shaped file: a header naming the kind,
//! signature and target, `set`/`target` lines, the trampoline's CLIF, and Cranelift's
//! listing of the machine code as comments. This test regenerates each one and
//! compares; `SPRINGBOARD_BLESS=1 cargo test --test clif_fixtures` rewrites them (read
//! the diff before committing it). Each fixture's CLIF is also parsed back with
//! cranelift-reader and compiled with the settings in its header, which must reproduce
//! the listing exactly.

use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::Context;
use springboard::{
    BufferAccess, Compiler, CompilerOptions, Convention, ErrnoMode, FastCall, FastParam,
    FastResult, Kind, Listing, RegAlloc, Request, Signature, Target,
};
use std::path::{Path, PathBuf};

/// The downcall cases, in every convention: (file name, signature without convention).
/// Chosen to cover each rule of the ABI layer: nothing at all, plain integers, float
/// registers, a mixed register file, narrow integers and bool (extension), pointer-sized
/// types, f32, integer and float stack arguments, narrow stack arguments (Apple's
/// packing), a bool result, and floats after eight float arguments (RISC-V passes them
/// in integer registers, as their bits).
const DOWNCALL_CASES: [(&str, &str); 11] = [
    ("void", "()"),
    ("add_i32", "(i32, i32) -> i32"),
    ("six_f64", "(f64, f64, f64, f64, f64, f64) -> f64"),
    (
        "mixed12",
        "(i8, u16, i32, i64, f32, f64, ptr, bool, u8, i16, u32, usize) -> i64",
    ),
    ("narrow", "(bool, i8, u8, i16, u16) -> i8"),
    ("pointer_sized", "(ptr, usize) -> isize"),
    ("f32", "(f32) -> f32"),
    (
        "stack_args",
        "(i64, i64, i64, i64, i64, i64, i64, i64, i64, f64, f64, f64, f64, f64, f64, f64, f64, f64) -> u16",
    ),
    (
        "narrow_stack_args",
        "(i64, i64, i64, i64, i64, i64, i64, i64, i8, i16, u8, i32, i64, bool)",
    ),
    ("bool_result", "() -> bool"),
    (
        "floats_after_eight",
        "(f64, f64, f64, f64, f64, f64, f64, f64, f32, f64, i32) -> f32",
    ),
];

/// Calls of variadic functions (downcalls and callbacks): printf's shape, no variadic
/// argument, both register files and the stack in use, structs of every class.
const VARIADIC_CASES: [(&str, &str); 5] = [
    ("variadic_printf", "(ptr, ...; i32, f64) -> i32"),
    ("variadic_none", "(ptr, ...) -> i32"),
    (
        "variadic_crowded",
        "(ptr, i32, ...; f64, f64, f64, f64, f64, f64, f64, f64, f64, i64, i64, i64, i64, \
         i64, i64, {f64, f64}, {i64, i64, i64}) -> i64",
    ),
    // RISC-V's aligned register pair for a variadic i128, Apple's 16-aligned stack.
    ("variadic_i128", "(ptr, i64, ...; i128, i64, i128) -> u128"),
    (
        "variadic_structs",
        "(ptr, f64, ...; {f32, f32}, {i8, i16}, f64, {f64, i32}) -> f64",
    ),
];

/// Errno downcalls: both modes, a result in memory, and a variadic call (through the
/// shim where the convention needs one): (file name, signature, mode).
const ERRNO_CASES: [(&str, &str, ErrnoMode); 4] = [
    ("errno_capture", "(ptr, i32) -> i32", ErrnoMode::Capture),
    (
        "errno_set_and_capture",
        "(ptr, i32) -> i32",
        ErrnoMode::SetAndCapture,
    ),
    (
        "errno_struct_result",
        "(i32) -> {i64, i64, i64}",
        ErrnoMode::Capture,
    ),
    (
        "errno_variadic",
        "(ptr, i32, ...; u32) -> i32",
        ErrnoMode::SetAndCapture,
    ),
];

/// `i128`/`u128`: both halves in registers, the register/stack boundaries of System V
/// (five integers first) and AAPCS64/RISC-V (seven), 16-byte stack alignment after a
/// 4-byte stack value, AAPCS64's even pairs, and struct fields (a variadic one is in
/// `VARIADIC_CASES`).
const INT128_CASES: [(&str, &str); 6] = [
    ("i128_pair", "(i128, i128) -> i128"),
    (
        "i128_sysv_boundary",
        "(i64, i64, i64, i64, i64, i128, i64) -> i128",
    ),
    (
        "i128_seven_first",
        "(i64, i64, i64, i64, i64, i64, i64, i128, i64, i128) -> u128",
    ),
    (
        "i128_stack_aligned",
        "(i64, i64, i64, i64, i64, i64, i64, i64, i32, i128) -> i128",
    ),
    ("i128_even_pairs", "(i64, i128, i64, i128, i64) -> i128"),
    ("i128_struct", "(i32, {i128}, f64, {i64, i128}) -> {i128}"),
];

/// `long double` (`LD`: the target's format, `f80` on x86-64, `f128` on aarch64 Linux
/// and riscv64; Apple arm64 has none, see `long_double_cases`) and x86-64's `__float128`:
/// alone (System V's st0 result and memory argument, AAPCS64's q registers, RISC-V's
/// pairs, gcc's ms_abi references), mixed with other scalars, on the stack once every
/// register is taken, and in structs (HFAs on AAPCS64, {f80} returned in st0); and as
/// variadic arguments (see `long_double_cases`).
const LONG_DOUBLE_CASES: [(&str, &str); 4] = [
    ("long_double", "(LD) -> LD"),
    ("long_double_mixed", "(i32, LD, f64, LD) -> LD"),
    (
        "long_double_stack",
        "(f64, f64, f64, f64, f64, f64, f64, f64, i64, i64, i64, i64, i64, i64, i64, i64, \
         LD, i32, LD) -> f64",
    ),
    ("long_double_struct", "({LD}, {LD, LD}, i8) -> {LD}"),
];

/// The long double cases for `target`, `LD` resolved; x86-64 adds `__float128`.
fn long_double_cases(target: &Target) -> Vec<(String, String)> {
    let triple = target.to_string();
    let long_double = match triple.as_str() {
        t if t.starts_with("x86_64") => "f80",
        t if t.contains("apple") => return Vec::new(),
        _ => "f128",
    };
    let mut cases: Vec<(String, String)> = LONG_DOUBLE_CASES
        .iter()
        .map(|(name, text)| (name.to_string(), text.replace("LD", long_double)))
        .collect();
    // Variadic: System V's memory class for f80 and SSE for f128 (placed like fixed
    // ones, `%al` counting the f64), gcc ms_abi's references, AAPCS64's q registers,
    // RISC-V's aligned (even-odd) register pairs (a1 and a5 skipped).
    cases.push((
        "variadic_long_double".into(),
        format!("(ptr, ...; {long_double}, i64, {long_double}, f64) -> {long_double}"),
    ));
    if long_double == "f80" {
        cases.push(("float128".into(), "(f128, f64, {f128}) -> f128".into()));
        cases.push((
            "variadic_float128".into(),
            "(ptr, ...; f128, f64, f128, i128) -> f128".into(),
        ));
    }
    cases
}

/// The struct shapes of the catalogue: (name, struct type).
const STRUCT_SHAPES: [(&str, &str); 26] = [
    ("i8", "{i8}"),
    ("i16", "{i16}"),
    ("i32", "{i32}"),
    ("i64", "{i64}"),
    ("f32", "{f32}"),
    ("f64", "{f64}"),
    ("f32x2", "{f32, f32}"),
    ("f32x3", "{f32, f32, f32}"),
    ("f32x4", "{f32, f32, f32, f32}"),
    ("f32x5", "{f32, f32, f32, f32, f32}"),
    ("f64x2", "{f64, f64}"),
    ("f64x3", "{f64, f64, f64}"),
    ("f64x4", "{[f64; 4]}"),
    ("i8_f64", "{i8, f64}"),
    ("i32_f32", "{i32, f32}"),
    ("i64_f64", "{i64, f64}"),
    ("f64_i64", "{f64, i64}"),
    ("f32_i32_f32", "{f32, i32, f32}"),
    ("i8x3", "{i8, i8, i8}"),
    ("i8x9", "{[i8; 9]}"),
    ("i64x3", "{i64, i64, i64}"),
    ("bytes32", "{i64, f64, i32, f32, [u8; 8]}"),
    ("bytes100", "{[u8; 100]}"),
    ("nested_f32", "{{f32, f32}, f32}"),
    ("array_f32", "{[f32; 2], f32}"),
    ("nested_mixed", "{i8, {i16, i32}}"),
];

/// Every fixture case, for every kind: the scalar cases, and per struct shape the struct as argument
/// and result, and "crowded": after five integers (one register left on SysV), after
/// seven floats (one left on AAPCS64), with scalars after it that show whether the
/// skipped registers are reused.
fn downcall_cases() -> Vec<(String, String)> {
    let mut cases: Vec<(String, String)> = DOWNCALL_CASES
        .iter()
        .chain(&INT128_CASES)
        .map(|(name, params)| (name.to_string(), params.to_string()))
        .collect();
    for (name, ty) in STRUCT_SHAPES {
        cases.push((format!("struct_{name}"), format!("({ty}) -> {ty}")));
        cases.push((
            format!("struct_{name}_crowded"),
            format!(
                "(i64, i64, i64, i64, i64, {ty}, f64, f64, f64, f64, f64, f64, f64, {ty}, i64, f64)"
            ),
        ));
    }
    cases
}

/// Fast calls beyond the defaults: Deno's turbocall shapes with buffers (inline and
/// converted), the out-pointer result, 16-byte scalars, and on Apple the
/// mixed-convention entry (V8 calls with AAPCS64's 8-byte stack slots, the C function
/// expects Apple's packing).
fn fast_call_cases(convention: Convention) -> Vec<(String, Request)> {
    let parse = |text: &str| -> Signature { format!("{convention} {text}").parse().unwrap() };
    let mut turbo22 = FastCall::new(
        parse("(u8, u16, i16, i8, u32, u64, ptr, ptr, i64, i32, i16, i8, f32, f32, f32, f32, f64, f64, f64, f64, f32, f64)"),
        springboard::PLACEHOLDER_CALLEE,
    );
    turbo22
        .set_param(6, FastParam::Buffer(BufferAccess::Inline { offset: 8 }))
        .unwrap();
    let mut converted = FastCall::new(parse("(ptr, i32) -> i8"), springboard::PLACEHOLDER_CALLEE);
    let convert = FastParam::Buffer(BufferAccess::Convert {
        converter: 0x1111_2222_3333_4444.into(),
        sentinel: 0,
        raise: 0x5555_6666_7777_8888.into(),
    });
    converted.set_param(0, convert).unwrap();
    let mut out = FastCall::new(parse("(i32) -> u64"), springboard::PLACEHOLDER_CALLEE);
    out.result = FastResult::OutPointer;
    let mut cases = vec![
        (
            "fast_turbo22_buffer".to_string(),
            Request::FastCall(turbo22.clone()),
        ),
        (
            "fast_converted_buffer".to_string(),
            Request::FastCall(converted),
        ),
        ("fast_out_pointer".to_string(), Request::FastCall(out)),
    ];
    for (name, text) in wide_kind_cases(convention) {
        let fast = FastCall::new(parse(&text), springboard::PLACEHOLDER_CALLEE);
        cases.push((format!("fast_{name}"), Request::FastCall(fast)));
    }
    if convention == Convention::Apple {
        let mut mixed = turbo22;
        mixed.entry = Convention::Aapcs64;
        cases.push((
            "fast_turbo22_aapcs64_entry".to_string(),
            Request::FastCall(mixed),
        ));
    }
    cases
}

/// 16-byte scalars through fast calls and boundaries (tests/wide_kinds.rs and
/// tests/cross_wide_kinds.rs run them): `i128`/`u128` in every convention, `long
/// double` where the convention has one (`f80` on x86-64, `f128` on aarch64 Linux and
/// riscv64; Apple arm64 has none).
fn wide_kind_cases(convention: Convention) -> Vec<(&'static str, String)> {
    let mut cases = vec![(
        "wide_i128",
        "(ptr, i64, i128, i32, u128) -> i128".to_string(),
    )];
    let long_double = match convention {
        Convention::SysV | Convention::Win64 => Some("f80"),
        Convention::Aapcs64 | Convention::Riscv64 => Some("f128"),
        _ => None,
    };
    if let Some(ld) = long_double {
        cases.push((
            "wide_long_double",
            format!("(ptr, {ld}, i32, {ld}) -> {ld}"),
        ));
    }
    cases
}

/// Entry and exit trampolines: array shape (entry-recording downcall, exit-recording
/// callback) and native shape, with the standard records, records behind a pointer
/// load, and debug checks.
fn boundary_cases(convention: Convention) -> Vec<(String, Request)> {
    use springboard::{ArrayBoundary, Boundary, DebugChecks, NativeBoundary, RecordPlace};
    let mut signatures: Vec<(&str, String)> = [
        ("context_only", "(ptr) -> i32"),
        ("mixed", "(ptr, i32, f64, i8) -> f64"),
        (
            "struct",
            "(ptr, {f64, f64}, {i8, i8, i8}) -> {i64, i64, i64}",
        ),
        (
            "stack_args",
            "(i64, i64, i64, i64, i64, i64, i64, i64, ptr, i8, i16) -> u8",
        ),
    ]
    .iter()
    .map(|(name, text)| (*name, text.to_string()))
    .collect();
    signatures.extend(wide_kind_cases(convention));
    let mut cases = Vec::new();
    for (name, text) in signatures {
        let signature: Signature = format!("{convention} {text}").parse().unwrap();
        let array = ArrayBoundary::standard(signature.clone()).unwrap();
        let native = Boundary::Native(
            NativeBoundary::new(
                signature.clone(),
                array.bookkeeping().clone(),
                springboard::Callee::PLACEHOLDER,
            )
            .unwrap(),
        );
        let mut bookkeeping = array.bookkeeping().clone();
        bookkeeping.checks = Some(DebugChecks {
            magic_offset: 32,
            magic: 0x5b0a_7d00,
        });
        bookkeeping.entry_fp = Some(RecordPlace::via(40, 0));
        bookkeeping.exit_fp = Some(RecordPlace::via(40, 8));
        let checked = Boundary::Array(ArrayBoundary::new(signature, bookkeeping).unwrap());
        let standard = Boundary::Array(array);
        for (side, make) in [
            ("entry", Request::Entry as fn(Boundary) -> Request),
            ("exit", Request::Exit as fn(Boundary) -> Request),
        ] {
            cases.push((format!("{side}_{name}"), make(standard.clone())));
            cases.push((format!("{side}_{name}_native"), make(native.clone())));
            cases.push((format!("{side}_{name}_checked"), make(checked.clone())));
        }
    }
    cases
}

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("clif-fixtures")
}

fn options() -> CompilerOptions {
    CompilerOptions {
        verify: true,
        regalloc: RegAlloc::SinglePass,
        fast_call_regalloc: RegAlloc::Backtracking,
    }
}

fn render(trampoline: &Request, compiler: &Compiler, listing: &Listing) -> String {
    let mut text = String::new();
    text.push_str(&format!(
        "; springboard {trampoline} trampoline\n; target {}, {} bytes of machine code.\n",
        compiler.target(),
        listing.code_size
    ));
    if let Request::FastCall(fast) = trampoline {
        text.push_str(&format!(
            "; entry {} ({} convention), buffers {:?}, result {:?}\n",
            fast.entry_signature(),
            fast.entry,
            fast.params(),
            fast.result
        ));
    }
    text.push_str("; Regenerate with SPRINGBOARD_BLESS=1 cargo test --test clif_fixtures\n");
    text.push_str("test compile precise-output\n");
    for (name, value) in compiler.settings_for(trampoline) {
        text.push_str(&format!("set {name}={value}\n"));
    }
    text.push_str(&format!("target {}\n\n", compiler.target()));
    text.push_str(&listing.clif);
    text.push_str("\n; VCode:\n");
    for line in listing.vcode.lines() {
        text.push_str(&format!(
            ";{}{line}\n",
            if line.is_empty() { "" } else { " " }
        ));
    }
    text
}

/// Parses a fixture with cranelift-reader, compiles its function with the ISA its
/// header describes and returns the machine-code listing.
fn recompile(text: &str, path: &Path) -> String {
    let test = cranelift_reader::parse_test(text, cranelift_reader::ParseOptions::default())
        .unwrap_or_else(|e| panic!("{}: does not parse: {e}", path.display()));
    let isa = test
        .isa_spec
        .unique_isa()
        .unwrap_or_else(|| panic!("{}: no unique target", path.display()));
    assert_eq!(test.functions.len(), 1, "{}", path.display());
    let (func, _) = test.functions.into_iter().next().unwrap();
    let mut context = Context::for_function(func);
    context.set_disasm(true);
    let compiled = context
        .compile(isa, &mut ControlPlane::default())
        .unwrap_or_else(|e| panic!("{}: does not compile: {:?}", path.display(), e.inner));
    compiled.vcode.clone().unwrap()
}

/// A listing with `userextnameN` references unnumbered. The CLIF printer shows a
/// symbol global value's name as its bare reference (`symbol userextname0`, the data
/// entry), which the reader does not declare; a trampoline that also calls a named
/// function (the x87 shims) gets that function numbered 0 again when reparsed.
fn without_name_numbers(listing: &str) -> String {
    let mut out = String::with_capacity(listing.len());
    let mut rest = listing;
    while let Some(at) = rest.find("userextname") {
        let (before, after) = rest.split_at(at + "userextname".len());
        out.push_str(before);
        rest = after.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    out
}

#[test]
fn clif_fixtures_match_and_reparse() {
    let bless = std::env::var_os("SPRINGBOARD_BLESS").is_some_and(|v| v == "1");
    let mut expected_files = Vec::new();
    let mut failures = Vec::new();
    for triple in Target::NAMED {
        let target: Target = triple.parse().unwrap();
        let compiler = Compiler::for_target(target.clone(), &options()).unwrap();
        if long_double_cases(&target).is_empty() {
            // Apple arm64: `long double` is `double`; the formats are typed errors.
            let err =
                compiler.listing(&Request::new(Kind::Downcall, "(f80)".parse().unwrap()).unwrap());
            assert!(
                matches!(err, Err(springboard::Error::UnsupportedType { .. })),
                "{triple}"
            );
        }
        let convention = target.convention();
        let mut cases: Vec<(String, Request)> = Vec::new();
        for kind in [Kind::Downcall, Kind::Callback, Kind::FastCall] {
            for (name, params) in downcall_cases() {
                let signature: Signature = format!("{convention} {params}").parse().unwrap();
                cases.push((name, Request::new(kind, signature).unwrap()));
            }
        }
        // Context-binding callbacks: the same signatures, `bound_` before the name.
        for (name, params) in downcall_cases()
            .into_iter()
            .chain(
                VARIADIC_CASES
                    .iter()
                    .map(|(name, params)| (name.to_string(), params.to_string())),
            )
            .chain(long_double_cases(&target))
        {
            let signature: Signature = format!("{convention} {params}").parse().unwrap();
            cases.push((format!("bound_{name}"), Request::BoundCallback(signature)));
        }
        for kind in [Kind::Downcall, Kind::Callback] {
            for (name, params) in VARIADIC_CASES {
                let signature: Signature = format!("{convention} {params}").parse().unwrap();
                cases.push((name.to_string(), Request::new(kind, signature).unwrap()));
            }
            for (name, params) in long_double_cases(&target) {
                let signature: Signature = format!("{convention} {params}").parse().unwrap();
                cases.push((name, Request::new(kind, signature).unwrap()));
            }
        }
        for (name, params, mode) in ERRNO_CASES {
            let signature: Signature = format!("{convention} {params}").parse().unwrap();
            cases.push((name.to_string(), Request::ErrnoDowncall(signature, mode)));
        }
        cases.extend(fast_call_cases(convention));
        cases.extend(boundary_cases(convention));
        for (name, trampoline) in cases {
            let kind = trampoline.kind();
            let listing = compiler.listing(&trampoline).unwrap();
            let text = render(&trampoline, &compiler, &listing);
            let path = fixture_dir()
                .join(kind.name())
                .join(convention.name())
                .join(format!("{name}.clif"));
            expected_files.push(path.clone());
            if bless {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &text).unwrap();
            }
            let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
            if on_disk != text {
                failures.push(format!(
                    "{} differs from the regenerated text",
                    path.display()
                ));
                continue;
            }
            assert_eq!(
                without_name_numbers(&recompile(&on_disk, &path)),
                without_name_numbers(&listing.vcode),
                "{}: reparsed CLIF compiles to different code",
                path.display()
            );
        }
    }
    // No stale fixtures: every .clif file on disk is one this test generates.
    let mut stack = vec![fixture_dir()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "clif")
                && !expected_files.contains(&path)
            {
                failures.push(format!("{} is not generated by any case", path.display()));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} fixture problem(s); rerun with SPRINGBOARD_BLESS=1 and review the diff:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Objects with variadic downcalls that call through shims: objdump's disassembly of
/// every function, the shims the object defines included (`clif-fixtures/object/`;
/// blessed like the CLIF fixtures). Windows x64 objects cannot run here, so this and
/// `cross_variadic`'s objdump check are what checks theirs.
#[test]
fn variadic_shim_objects_match_their_fixtures() {
    let bless = std::env::var_os("SPRINGBOARD_BLESS").is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    for triple in ["x86_64-unknown-linux-gnu", "x86_64-pc-windows-msvc"] {
        let target: Target = triple.parse().unwrap();
        let items: Vec<springboard::object::ObjectItem> = VARIADIC_CASES
            .iter()
            .map(|(name, params)| format!("{name}=downcall:{params}").parse().unwrap())
            .collect();
        let object = springboard::object::emit_object(&target, &items).unwrap();
        let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("variadic-objects");
        std::fs::create_dir_all(&scratch).unwrap();
        let object_path = scratch.join(format!("{triple}.o"));
        std::fs::write(&object_path, object).unwrap();
        let output = std::process::Command::new("objdump")
            .args(["-dr", "--no-addresses"])
            .arg(&object_path)
            .output()
            .expect("objdump (binutils) runs");
        assert!(output.status.success(), "objdump -dr {triple}");
        // From the first section on: the header names the scratch path.
        let listing = String::from_utf8_lossy(&output.stdout);
        let start = listing.find("Disassembly of section").unwrap_or(0);
        let text = format!(
            "; objdump -dr --no-addresses of `springboard emit --target {triple}` with\n\
             ; clif_fixtures.rs's VARIADIC_CASES as downcalls.\n\
             ; Regenerate with SPRINGBOARD_BLESS=1 cargo test --test clif_fixtures\n\n{}",
            &listing[start..]
        );
        let path = fixture_dir()
            .join("object")
            .join(format!("{triple}-variadic.objdump"));
        if bless {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &text).unwrap();
        }
        if std::fs::read_to_string(&path).unwrap_or_default() != text {
            failures.push(format!(
                "{} differs from the regenerated text",
                path.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "rerun with SPRINGBOARD_BLESS=1 and review the diff:\n{}",
        failures.join("\n")
    );
}
