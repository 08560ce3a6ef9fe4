//! Runs catalogue cases on aarch64 Linux under qemu: the same case data the host tests
//! use, compiled into one aarch64 executable per run.
//!
//! For a list of [`Case`]s, [`run`] emits an aarch64-unknown-linux-gnu object with
//! [`emit_object`] and generates a C harness around it, then builds both with
//! `aarch64-linux-gnu-gcc -O1` and runs the result with `qemu-aarch64`. Per case the
//! harness can run these checks ([`Modes`]):
//!
//! - **downcall**: the AAPCS64 downcall `sbd_<i>` calls the case's gcc-compiled callee
//!   (the catalogue's own C callee source, [`Callees`]) with an argument array built as
//!   the array layout says: each scalar in its slot's low bytes with garbage (no 0x00 or
//!   0xff byte) above it, each struct as a pointer to its C-layout bytes with garbage in
//!   the padding. The result place must then hold the case's result: integers, `bool`
//!   and pointers as a whole slot sign- or zero-extended, `f32` in the first four bytes
//!   with the other four unchanged, `f64` the whole slot, a struct's value bytes (not
//!   its padding) with nothing written after it, nothing at all for `void`. The callee
//!   must have been called once and seen every argument exactly, and neither the array
//!   nor the struct bytes may change.
//! - **callback**: the AAPCS64 callback `sbc_<i>` is called through a C function
//!   pointer typed with the case's prototype (so gcc does the caller's side of the
//!   convention; 8- and 16-bit integers come from opaque 32-bit values, so gcc passes
//!   garbage above them) with the checking handler in `sbc_<i>_entry`. The handler
//!   checks its context and each argument in the array (a scalar's own bytes exactly;
//!   a struct's value bytes through the slot's pointer) and writes the case's result (a
//!   scalar as a whole slot, a struct's bytes with garbage padding); the value the
//!   callback returns must be the result exactly.
//! - **bound**: the context-binding callback `sbb_<i>` (`callback+bound`) is called
//!   like the callback above; its entry holds the case's gcc-compiled bound handler
//!   (the catalogue's [bound source](Callees::bound), `R h(void *context,
//!   args...)`) and the context that handler expects. The handler counts the call and
//!   checks the context and every argument; the callback must return its result
//!   exactly.
//! - **apple**: `apple_d_<i>` (a downcall in the `apple` convention) calls
//!   `apple_c_<i>` (a callback in the `apple` convention) whose handler is the checking
//!   handler: both sides of Apple's convention are springboard code (Apple arm64 cannot
//!   run here). The result checks are the downcall's.
//! - **apple_caller** and **apple_callee**: since two springboard sides can agree on a
//!   wrong layout, each side is also checked against [`apple_frame`], this file's own
//!   model of Apple's convention: `apple_d_<i>` calls an assembly probe that records
//!   x0-x8, d0-d7 and the stack arguments, which must hold every argument where and as
//!   the model says (narrow register values extended to 32 bits, stack values packed
//!   at natural size and alignment, by-reference copies intact, x8 = the result place);
//!   and `apple_c_<i>` is called by assembly that loads registers and stack from the
//!   model, with garbage everywhere else, and must hand the handler every argument and
//!   return the result where the model says.
//!
//! [`run_on`] does the same for another [`Arch`]: [`RISCV64`] builds with
//! `riscv64-linux-gnu-gcc` and runs with `qemu-riscv64`; the downcall and callback
//! checks then use that target's C convention (RISC-V LP64D), and the Apple modes are
//! unavailable (their frame code is aarch64 assembly).
//!
//! The harness prints one `FAIL <mode> <case>: <problem>` line per problem and finally
//! `N passed, M failed`, counting checks; it exits non-zero when a check failed. A crash
//! prints `CRASH in <mode> <case> (check K; ...)` and [`run`] starts the harness again
//! from check `K + 1`, adding the counts up. Executables are cached under
//! `CARGO_TARGET_TMPDIR`, keyed by a hash of everything they are built from.

use super::c_cases::{
    self, c_literal as c_scalar_literal, encoded, encoded_with_padding, value_bytes_mask, CTypes,
};
pub use super::case::Case;
use springboard::object::{emit_object, ObjectItem};
use springboard::types::ScalarClass;
use springboard::{Convention, Kind, Signature, Target, Type, Value};
use std::collections::hash_map::DefaultHasher;
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The triple the objects are emitted for.
pub const TARGET: &str = "aarch64-unknown-linux-gnu";
/// The cross C compiler (Debian package gcc-aarch64-linux-gnu).
pub const CROSS_CC: &str = "aarch64-linux-gnu-gcc";
/// The user-mode emulator (Debian package qemu-user).
pub const QEMU: &str = "qemu-aarch64";
/// Where the aarch64 C library lives (Debian package libc6-dev-arm64-cross).
pub const SYSROOT: &str = "/usr/aarch64-linux-gnu";

/// A Linux architecture the harness runs on under qemu: the triple the objects are
/// emitted for (its C convention is what downcalls and callbacks use), the cross C
/// compiler, the user-mode emulator and where the C library lives.
#[derive(Clone, Copy, Debug)]
pub struct Arch {
    /// A short name, for cached executables and messages.
    pub name: &'static str,
    /// The triple the objects are emitted for.
    pub target: &'static str,
    /// The cross C compiler.
    pub cc: &'static str,
    /// The user-mode emulator (Debian package qemu-user).
    pub qemu: &'static str,
    /// The C library's root, passed to qemu with `-L`.
    pub sysroot: &'static str,
    /// The Debian package that provides the sysroot.
    pub sysroot_package: &'static str,
}

/// aarch64 Linux (AAPCS64); the Apple modes exist only here.
pub const AARCH64: Arch = Arch {
    name: "aarch64",
    target: TARGET,
    cc: CROSS_CC,
    qemu: QEMU,
    sysroot: SYSROOT,
    sysroot_package: "libc6-dev-arm64-cross",
};

/// riscv64 Linux (RV64GC, LP64D; Debian packages gcc-riscv64-linux-gnu and
/// libc6-dev-riscv64-cross).
pub const RISCV64: Arch = Arch {
    name: "riscv64",
    target: "riscv64gc-unknown-linux-gnu",
    cc: "riscv64-linux-gnu-gcc",
    qemu: "qemu-riscv64",
    sysroot: "/usr/riscv64-linux-gnu",
    sysroot_package: "libc6-dev-riscv64-cross",
};

/// This machine, x86-64 Linux (System V), for objects emitted for the host: gcc
/// builds the program and it runs natively (no emulator, no sysroot).
pub const X86_64_HOST: Arch = Arch {
    name: "x86_64",
    target: "x86_64-unknown-linux-gnu",
    cc: "gcc",
    qemu: "",
    sysroot: "",
    sysroot_package: "libc6-dev",
};

/// The command that runs `exe` built for `arch`: under qemu, or natively on the host.
fn runner(arch: &Arch, exe: &Path) -> Command {
    if arch.qemu.is_empty() {
        return Command::new(exe);
    }
    let mut command = Command::new(arch.qemu);
    command.args(["-L", arch.sysroot]).arg(exe);
    command
}

/// Byte the harness fills result places with before a call: bytes a trampoline must
/// not write still hold it afterwards.
const UNTOUCHED: u8 = 0xa7;

/// gcc-compiled callees for the downcall checks: C source with one callee per case (in
/// the order of the cases given to [`run`]; [`c_cases::c_source`], whose bookkeeping
/// globals the harness reads).
#[derive(Clone, Debug)]
pub struct Callees {
    /// Portable C source.
    pub source: String,
    /// The callee of each case.
    pub symbols: Vec<String>,
}

impl Callees {
    /// The callees of `cases` (natural parameter types), scalar or struct.
    pub fn of(cases: &[Case]) -> Callees {
        Callees {
            source: c_cases::c_source(cases, None),
            symbols: cases.iter().map(c_cases::symbol).collect(),
        }
    }

    /// The bound handlers of `cases` ([`c_cases::c_bound_source`]), scalar or struct,
    /// for the bound mode.
    pub fn bound(cases: &[Case]) -> Callees {
        Callees {
            source: c_cases::c_bound_source(cases, None),
            symbols: cases.iter().map(c_cases::bound_symbol).collect(),
        }
    }
}

/// Which checks the harness runs for every case.
#[derive(Clone, Debug, Default)]
pub struct Modes {
    /// AAPCS64 downcalls into these callees.
    pub downcalls: Option<Callees>,
    /// AAPCS64 callbacks called from C.
    pub callbacks: bool,
    /// Context-binding callbacks called from C, calling these bound handlers (not with
    /// `downcalls`: one callee source per harness).
    pub bound: Option<Callees>,
    /// Apple downcalls into Apple callbacks.
    pub apple_pairs: bool,
    /// Apple downcalls into a probe, and Apple callbacks called with a hand-made
    /// frame, both against [`apple_frame`]'s model of the convention.
    pub apple_conformance: bool,
}

impl Modes {
    /// Checks per case.
    pub fn per_case(&self) -> usize {
        usize::from(self.downcalls.is_some())
            + usize::from(self.callbacks)
            + usize::from(self.bound.is_some())
            + usize::from(self.apple_pairs)
            + 2 * usize::from(self.apple_conformance)
    }
}

/// What [`generate`] produces: the object's items and the harness source.
pub struct Harness {
    /// The trampolines to emit.
    pub items: Vec<ObjectItem>,
    /// The C harness.
    pub source: String,
    /// The number of checks it runs.
    pub checks: usize,
}

/// What the harness runs printed, added up over the restarts after crashes.
#[derive(Debug)]
pub struct Outcome {
    /// Checks the harness should have run.
    pub checks: usize,
    /// Checks that passed.
    pub passed: usize,
    /// Checks that failed, crashed ones included.
    pub failed: usize,
    /// The `FAIL` and `CRASH` lines, and a note when a run ended without a summary.
    pub problems: Vec<String>,
    /// Whether every run exited with status 0.
    pub exited_cleanly: bool,
    /// Everything the runs printed (stdout, then stderr).
    pub output: String,
    /// The executable, for reproducing by hand.
    pub executable: PathBuf,
    /// The architecture it ran on.
    pub arch: Arch,
}

impl Outcome {
    /// Panics, listing the problems, unless every check ran and passed.
    pub fn assert_all_passed(&self) {
        let shown: Vec<&str> = self.problems.iter().take(60).map(String::as_str).collect();
        assert!(
            self.failed == 0
                && self.passed == self.checks
                && self.problems.is_empty()
                && self.exited_cleanly,
            "{} passed, {} failed of {} checks (exited cleanly: {}); rerun with \
             `{} -L {} {} [first check]`\n{}{}\n--- output tail ---\n{}",
            self.passed,
            self.failed,
            self.checks,
            self.exited_cleanly,
            self.arch.qemu,
            self.arch.sysroot,
            self.executable.display(),
            shown.join("\n"),
            if self.problems.len() > shown.len() {
                format!("\n... and {} more", self.problems.len() - shown.len())
            } else {
                String::new()
            },
            tail(&self.output, 2000)
        );
        eprintln!("{} checks passed on {}", self.checks, self.arch.name);
    }
}

fn tail(text: &str, bytes: usize) -> &str {
    let mut start = text.len().saturating_sub(bytes);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

/// Panics unless one of a harness run's `problems` lines starts with `expected`.
pub fn assert_reported(problems: &[String], expected: &str) {
    assert!(
        problems.iter().any(|line| line.starts_with(expected)),
        "no `{expected}` in {problems:#?}"
    );
}

/// Fails (never skips) when a cross tool is missing.
pub fn require_tools() {
    require_tools_for(&AARCH64);
}

/// Fails (never skips) when a cross tool for `arch` is missing.
pub fn require_tools_for(arch: &Arch) {
    let (cc, qemu) = (arch.cc, arch.qemu);
    if qemu.is_empty() {
        // The host: its gcc only.
        let works = Command::new(cc).arg("--version").output();
        assert!(
            works.is_ok_and(|output| output.status.success()),
            "`{cc}` is missing or does not run: run scripts/install-test-deps.sh"
        );
        return;
    }
    for tool in [cc, qemu] {
        let works = Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|output| output.status.success());
        assert!(
            works,
            "`{tool}` is missing or does not run: the {} tests need {cc} and {qemu}; run \
             scripts/install-test-deps.sh",
            arch.name
        );
    }
    assert!(
        PathBuf::from(arch.sysroot).join("lib").is_dir(),
        "{}/lib is missing ({}): run scripts/install-test-deps.sh",
        arch.sysroot,
        arch.sysroot_package
    );
}

/// Generates, builds (or reuses) and runs the harness for `cases` under qemu-aarch64.
/// `name` names the cached executable.
pub fn run(name: &str, cases: &[Case], modes: &Modes) -> Outcome {
    run_on(&AARCH64, name, cases, modes)
}

/// Links `object` with the C `sources` for `arch` (gcc `-O1` plus `cflags`) in a
/// directory of its own under the test's temporary directory, runs the program under
/// qemu and asserts that it exited cleanly and that its last line is `{passed} passed,
/// 0 failed`: the convention of the self-checking harnesses in tests/cross.
pub fn run_harness(
    arch: &Arch,
    name: &str,
    sources: &[&Path],
    cflags: &[&str],
    object: &[u8],
    passed: usize,
) {
    require_tools_for(arch);
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", arch.name));
    std::fs::create_dir_all(&dir).unwrap();
    let (o_path, exe) = (dir.join("tramp.o"), dir.join("harness"));
    std::fs::write(&o_path, object).unwrap();
    let built = Command::new(arch.cc)
        .arg("-O1")
        .args(cflags)
        .arg("-o")
        .arg(&exe)
        .args(sources)
        .arg(&o_path)
        .output()
        .unwrap_or_else(|e| panic!("run {} (run scripts/install-test-deps.sh): {e}", arch.cc));
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let ran = runner(arch, &exe)
        .output()
        .unwrap_or_else(|e| panic!("run {} (run scripts/install-test-deps.sh): {e}", arch.qemu));
    let stdout = String::from_utf8_lossy(&ran.stdout);
    assert!(
        ran.status.success(),
        "{name} on {}:\n{stdout}{}",
        arch.name,
        String::from_utf8_lossy(&ran.stderr)
    );
    let summary = stdout.lines().last().unwrap_or_default();
    assert_eq!(summary, format!("{passed} passed, 0 failed"), "{stdout}");
}

/// [`run`] on another architecture (only aarch64 has the Apple modes).
pub fn run_on(arch: &Arch, name: &str, cases: &[Case], modes: &Modes) -> Outcome {
    run_with_object(arch, name, cases, modes, emit_object)
}

/// [`run_on`] with the object made by `object` from the harness's items instead of
/// [`emit_object`] (any code with the items' symbols and signatures).
pub fn run_with_object(
    arch: &Arch,
    name: &str,
    cases: &[Case],
    modes: &Modes,
    object: impl Fn(&Target, &[ObjectItem]) -> Result<Vec<u8>, springboard::Error>,
) -> Outcome {
    require_tools_for(arch);
    let harness = generate_for(arch, cases, modes);
    let target: Target = arch.target.parse().expect("a supported target");
    let object =
        object(&target, &harness.items).unwrap_or_else(|e| panic!("the object for {name}: {e}"));
    let callees = modes
        .downcalls
        .as_ref()
        .or(modes.bound.as_ref())
        .map(|c| c.source.as_str());
    let executable = build(arch, name, &harness.source, callees, &object);
    let mut outcome = Outcome {
        arch: *arch,
        checks: harness.checks,
        passed: 0,
        failed: 0,
        problems: Vec::new(),
        exited_cleanly: true,
        output: String::new(),
        executable,
    };
    // After a crash the harness is run again from the check after the one that crashed,
    // so that one broken case does not hide the others.
    let mut first_check = 0;
    for _ in 0..=MAX_RESTARTS {
        let output = runner(arch, &outcome.executable)
            .arg(first_check.to_string())
            .output()
            .unwrap_or_else(|e| {
                panic!("run {} (run scripts/install-test-deps.sh): {e}", arch.qemu)
            });
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        outcome.exited_cleanly &= output.status.success();
        outcome.problems.extend(
            text.lines()
                .filter(|line| line.starts_with("FAIL ") || line.starts_with("CRASH "))
                .map(str::to_string),
        );
        outcome.output.push_str(&text);
        if let Some((passed, failed)) = text.lines().rev().find_map(parse_summary) {
            outcome.passed += passed;
            outcome.failed += failed;
            return outcome;
        }
        match text.lines().rev().find_map(parse_crash) {
            Some((check, passed, failed)) => {
                outcome.passed += passed;
                outcome.failed += failed + 1;
                first_check = check + 1;
            }
            None => {
                outcome.problems.insert(
                    0,
                    format!(
                        "the harness ended ({}) without a summary or a crash report",
                        output.status
                    ),
                );
                return outcome;
            }
        }
    }
    outcome.problems.insert(
        0,
        format!("gave up after {MAX_RESTARTS} crashes; checks from {first_check} on did not run"),
    );
    outcome
}

/// How often [`run`] restarts the harness after a crash.
const MAX_RESTARTS: usize = 40;

/// `CRASH in MODE CASE (check K; P passed, F failed before it)`.
fn parse_crash(line: &str) -> Option<(usize, usize, usize)> {
    let (_, rest) = line.strip_prefix("CRASH in ")?.split_once(" (check ")?;
    let (check, rest) = rest.split_once("; ")?;
    let (passed, rest) = rest.split_once(" passed, ")?;
    let failed = rest.strip_suffix(" failed before it)")?;
    Some((
        check.parse().ok()?,
        passed.parse().ok()?,
        failed.parse().ok()?,
    ))
}

/// `N passed, M failed`.
fn parse_summary(line: &str) -> Option<(usize, usize)> {
    let (passed, failed) = line.split_once(" passed, ")?;
    let failed = failed.strip_suffix(" failed")?;
    Some((passed.parse().ok()?, failed.parse().ok()?))
}

/// Compiles and links the harness, the callees and the object, unless an executable
/// built from exactly these inputs exists.
fn build(arch: &Arch, name: &str, harness: &str, callees: Option<&str>, object: &[u8]) -> PathBuf {
    const FLAGS: [&str; 4] = ["-O1", "-Wall", "-Wno-unused", "-Wno-unused-function"];
    let mut hasher = DefaultHasher::new();
    (harness, callees, object, FLAGS).hash(&mut hasher);
    let key = format!("{:016x}", hasher.finish());
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cross-{}", arch.name));
    std::fs::create_dir_all(&dir).unwrap();
    let executable = dir.join(format!("{name}-{key}"));
    if executable.exists() {
        return executable;
    }
    // Unique names while building: test binaries and tests run in parallel.
    let pid = std::process::id();
    let with = |ext: &str| dir.join(format!("{name}-{key}.{pid}.{ext}"));
    let (harness_c, callees_c, object_o, output) =
        (with("harness.c"), with("callees.c"), with("o"), with("out"));
    std::fs::write(&harness_c, harness).unwrap();
    std::fs::write(&object_o, object).unwrap();
    let cc = arch.cc;
    let mut command = Command::new(cc);
    command.args(FLAGS).arg("-o").arg(&output).arg(&harness_c);
    if let Some(callees) = callees {
        std::fs::write(&callees_c, callees).unwrap();
        command.arg(&callees_c);
    }
    command.arg(&object_o);
    let result = command
        .output()
        .unwrap_or_else(|e| panic!("run {cc} (run scripts/install-test-deps.sh): {e}"));
    assert!(
        result.status.success(),
        "{cc} failed on {}:\n{}",
        harness_c.display(),
        String::from_utf8_lossy(&result.stderr)
    );
    std::fs::rename(&output, &executable).unwrap();
    // Keep the sources of the newest build for reading; drop older executables.
    for (from, to) in [(&harness_c, "harness.c"), (&callees_c, "callees.c")] {
        let _ = std::fs::rename(from, dir.join(format!("{name}.{to}")));
    }
    let _ = std::fs::remove_file(&object_o);
    // Executables (and the files of failed builds) of other inputs are out of date.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        let (prefix, current) = (format!("{name}-"), format!("{name}-{key}"));
        for entry in entries.flatten() {
            let file = entry.file_name().to_string_lossy().into_owned();
            if file.starts_with(&prefix) && !file.starts_with(&current) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
    executable
}

/// The object's items and the C harness for `cases` under `modes`.
///
/// The harness is mostly data: per case, its argument slots, struct bytes and expected
/// result, in a table of `sbx_case_t` that generic C code walks. One handler serves
/// every callback; its context is the case's table entry. Only the callback calls are
/// per-case code, since each needs the case's C prototype.
pub fn generate(cases: &[Case], modes: &Modes) -> Harness {
    generate_for(&AARCH64, cases, modes)
}

/// [`generate`] for `arch`. The Apple modes need aarch64 (their frame code is aarch64
/// assembly); elsewhere the frame functions are stubs that are never called.
pub fn generate_for(arch: &Arch, cases: &[Case], modes: &Modes) -> Harness {
    let aarch64 = arch.name == AARCH64.name;
    assert!(
        aarch64 || !(modes.apple_pairs || modes.apple_conformance),
        "the Apple modes run on aarch64 only"
    );
    assert!(
        modes.downcalls.is_none() || modes.bound.is_none(),
        "one callee source per harness"
    );
    if let Some(callees) = modes.downcalls.as_ref().or(modes.bound.as_ref()) {
        assert_eq!(callees.symbols.len(), cases.len(), "one callee per case");
    }
    let mut items = Vec::new();
    let mut types = CTypes::default();
    let mut code = String::new();
    let mut table = String::new();
    let mut max_args = 1;
    let mut arena = 16;
    let mut place = 16;
    let mut stack = 16;
    for (i, case) in cases.iter().enumerate() {
        max_args = max_args.max(case.args.len());
        arena = arena.max(
            case.args
                .iter()
                .map(|a| a.ty())
                .filter(Type::by_address)
                .map(|t| t.size().next_multiple_of(16))
                .sum(),
        );
        place = place.max(result_place_size(&case.result));
        let mut row = case_data(&mut code, i, case);
        if let Some(callees) = &modes.downcalls {
            items.push(item(format!("sbd_{i}"), Kind::Downcall, &case.signature));
            writeln!(
                code,
                "void sbd_{i}(void *, const uint64_t *, void *);\nvoid {}(void);",
                callees.symbols[i]
            )
            .unwrap();
            write!(
                row,
                ", .down = sbd_{i}, .callee = (void *){}",
                callees.symbols[i]
            )
            .unwrap();
        }
        if modes.callbacks {
            items.push(item(format!("sbc_{i}"), Kind::Callback, &case.signature));
            callback_call(&mut code, &mut types, ("sbc", "sbx_cb"), i, case);
            write!(
                row,
                ", .call_callback = sbx_cb_{i}, .callback_entry = &sbc_{i}_entry"
            )
            .unwrap();
        }
        if let Some(handlers) = &modes.bound {
            let text = format!("sbb_{i}=callback+bound:{}", case.signature);
            items.push(text.parse().unwrap_or_else(|e| panic!("`{text}`: {e}")));
            callback_call(&mut code, &mut types, ("sbb", "sbx_bb"), i, case);
            let handler = &handlers.symbols[i];
            writeln!(code, "void {handler}(void);").unwrap();
            write!(
                row,
                ", .call_bound = sbx_bb_{i}, .bound_entry = &sbb_{i}_entry, \
                 .bound_handler = (void *){handler}, .bound_context = 0x{:x}u",
                c_cases::bound_context(i) as usize
            )
            .unwrap();
        }
        if modes.apple_conformance {
            let frame = apple_frame(case);
            stack = stack.max(frame.stack_size);
            apple_frame_data(&mut code, &mut row, i, &frame);
        }
        if modes.apple_pairs || modes.apple_conformance {
            let apple = case.signature.clone().with_convention(Convention::Apple);
            items.push(item(format!("apple_d_{i}"), Kind::Downcall, &apple));
            items.push(item(format!("apple_c_{i}"), Kind::Callback, &apple));
            writeln!(
                code,
                "void apple_d_{i}(void *, const uint64_t *, void *);\nvoid apple_c_{i}(void);\n\
                 extern sbx_entry_t apple_c_{i}_entry;"
            )
            .unwrap();
            write!(
                row,
                ", .apple_down = apple_d_{i}, .apple_callback = (void *)apple_c_{i}, \
                 .apple_entry = &apple_c_{i}_entry"
            )
            .unwrap();
        }
        writeln!(table, "    {{{row}}},").unwrap();
    }
    let mut source = String::from(PRELUDE);
    let stack = stack.next_multiple_of(16);
    assert!(
        stack < 4096,
        "the frame code takes the stack size as an immediate"
    );
    writeln!(
        source,
        "#define SBX_MAX_ARGS {max_args}\n#define SBX_ARENA {arena}\n\
         #define SBX_RESULT_PLACE {place}\n#define SBX_STACK {stack}"
    )
    .unwrap();
    source.push_str(FRAMES);
    if aarch64 {
        source.push_str(&FRAME_CODE.replace("SBX_STACK", &stack.to_string()));
    } else {
        source.push_str(FRAME_STUBS);
    }
    match modes.downcalls.as_ref().or(modes.bound.as_ref()) {
        Some(_) => writeln!(
            source,
            "extern int64_t {failures};\nextern int32_t {first_arg};\n\
             extern int32_t {first_leaf};\nextern uint64_t {calls};\nvoid {reset}(void);\n\
             #define SBX_RESET() {reset}()\n#define SBX_FAILURES {failures}\n\
             #define SBX_FIRST_ARG {first_arg}\n#define SBX_FIRST_LEAF {first_leaf}\n\
             #define SBX_CALLS {calls}",
            failures = c_cases::FAILURES,
            first_arg = c_cases::FIRST_ARG,
            first_leaf = c_cases::FIRST_LEAF,
            calls = c_cases::CALLS,
            reset = c_cases::RESET,
        )
        .unwrap(),
        None => source.push_str(
            "#define SBX_RESET() ((void)0)\n#define SBX_FAILURES 0LL\n\
             #define SBX_FIRST_ARG (-1)\n#define SBX_CALLS 1ULL\n#define SBX_FIRST_LEAF (-1)\n",
        ),
    }
    source.push_str(RUNNER);
    source.push_str(&types.declarations);
    source.push_str(&code);
    writeln!(
        source,
        "\nstatic const sbx_case_t sbx_cases[] = {{\n{table}    {{.name = 0}}\n}};\n{MAIN}"
    )
    .unwrap();
    Harness {
        items,
        source,
        checks: cases.len() * modes.per_case(),
    }
}

/// An object item, through its text form (`NAME=KIND:SIGNATURE`).
fn item(name: String, kind: Kind, signature: &Signature) -> ObjectItem {
    let text = format!("{name}={kind}:{signature}");
    text.parse()
        .unwrap_or_else(|e| panic!("object item `{text}`: {e}"))
}

/// `static const uint8_t name[] = {...};`
fn byte_array(c: &mut String, name: &str, bytes: &[u8]) {
    write!(
        c,
        "static const uint8_t {name}[{}] = {{",
        bytes.len().max(1)
    )
    .unwrap();
    for (k, byte) in bytes.iter().enumerate() {
        let separator = if k == 0 { "" } else { "," };
        write!(c, "{separator}0x{byte:02x}").unwrap();
    }
    c.push_str("};\n");
}

/// Garbage for byte `k` of a slot or padding: never 0x00 or 0xff, so it cannot pass
/// for a sign or zero extension.
fn garbage(seed: usize, k: usize) -> u8 {
    const BYTES: [u8; 8] = [0xa5, 0x3c, 0x96, 0x5a, 0xc3, 0x69, 0x1e, 0xd2];
    BYTES[(seed + k) % BYTES.len()]
}

/// A value's C-layout bytes with garbage in the padding.
fn bytes_with_garbage_padding(value: &Value, seed: usize) -> Vec<u8> {
    encoded_with_padding(value, |k| garbage(seed, k))
}

/// The mask of a struct's value bytes, `None` when it has no padding.
fn padding_mask(ty: &Type) -> Option<Vec<u8>> {
    let mask = value_bytes_mask(ty);
    mask.contains(&false)
        .then(|| mask.into_iter().map(u8::from).collect())
}

/// The result slot the array layout promises for a scalar result, bytes the
/// trampoline must leave alone holding [`UNTOUCHED`].
fn result_slot(value: &Value) -> [u8; 8] {
    let extended: i64 = match *value {
        Value::I8(v) => v.into(),
        Value::I16(v) => v.into(),
        Value::I32(v) => v.into(),
        Value::U8(v) => v.into(),
        Value::U16(v) => v.into(),
        Value::U32(v) => v.into(),
        Value::Bool(v) => v.into(),
        Value::F32(v) => {
            let mut slot = [UNTOUCHED; 8];
            slot[..4].copy_from_slice(&v.to_bits().to_le_bytes());
            return slot;
        }
        ref other => return other.to_slot().0,
    };
    extended.to_le_bytes()
}

/// Bytes a result place needs: the result, then 16 bytes that must stay untouched.
fn result_place_size(result: &Value) -> usize {
    (result.ty().size().max(8) + 16).next_multiple_of(16)
}

/// Writes case `i`'s constant data and returns the start of its `sbx_case_t`
/// initialiser (designated fields, without braces):
/// - `sbx_slots<i>`: every argument's slot: a scalar in the low bytes with garbage
///   above it, 0 for a struct (the harness puts a pointer there);
/// - `sbx_v<i>_<j>`, `sbx_m<i>_<j>`, `sbx_p<i>_<j>`: a struct argument's value bytes,
///   value-byte mask (when it has padding) and bytes with garbage padding;
/// - `sbx_r<i>`: the expected result: a scalar's slot, a struct's value bytes
///   (`sbx_rm<i>`: mask), and for structs `sbx_w<i>`, the bytes a handler writes.
fn case_data(c: &mut String, i: usize, case: &Case) -> String {
    writeln!(c, "\n/* {}: {} */", case.name, case.signature).unwrap();
    let mut descriptors = Vec::new();
    let mut slots = Vec::new();
    for (j, arg) in case.args.iter().enumerate() {
        let ty = arg.ty();
        let size = ty.size();
        if ty.by_address() {
            byte_array(c, &format!("sbx_v{i}_{j}"), &encoded(arg));
            let mask = match padding_mask(&ty) {
                Some(mask) => {
                    byte_array(c, &format!("sbx_m{i}_{j}"), &mask);
                    format!("sbx_m{i}_{j}")
                }
                None => "0".to_string(),
            };
            byte_array(
                c,
                &format!("sbx_p{i}_{j}"),
                &bytes_with_garbage_padding(arg, i + j),
            );
            slots.push("0".to_string());
            descriptors.push(format!("{{{size}, sbx_v{i}_{j}, {mask}, sbx_p{i}_{j}}}"));
        } else {
            let mut slot: [u8; 8] = std::array::from_fn(|k| garbage(i + 3 * j, k));
            slot[..size].copy_from_slice(&encoded(arg));
            slots.push(format!("0x{:016x}ull", u64::from_le_bytes(slot)));
            descriptors.push(format!("{{{size}, 0, 0, 0}}"));
        }
    }
    let (slots, args) = if case.args.is_empty() {
        ("0".to_string(), "0".to_string())
    } else {
        writeln!(
            c,
            "static const uint64_t sbx_slots{i}[] = {{{}}};\n\
             static const sbx_arg_t sbx_args{i}[] = {{{}}};",
            slots.join(", "),
            descriptors.join(", ")
        )
        .unwrap();
        (format!("sbx_slots{i}"), format!("sbx_args{i}"))
    };
    let result = &case.result;
    let ty = result.ty();
    let (kind, expected, mask, written) = match result {
        Value::Void => (0, "0".to_string(), "0".to_string(), "0".to_string()),
        Value::Struct(..) => {
            byte_array(c, &format!("sbx_r{i}"), &encoded(result));
            let mask = match padding_mask(&ty) {
                Some(mask) => {
                    byte_array(c, &format!("sbx_rm{i}"), &mask);
                    format!("sbx_rm{i}")
                }
                None => "0".to_string(),
            };
            byte_array(
                c,
                &format!("sbx_w{i}"),
                &bytes_with_garbage_padding(result, i),
            );
            (2, format!("sbx_r{i}"), mask, format!("sbx_w{i}"))
        }
        scalar => {
            byte_array(c, &format!("sbx_r{i}"), &result_slot(scalar));
            (1, format!("sbx_r{i}"), "0".to_string(), format!("sbx_r{i}"))
        }
    };
    format!(
        ".name = \"{}\", .nargs = {}, .slots = {slots}, .args = {args}, \
         .result_kind = {kind}, .result_size = {}, .result = {expected}, \
         .result_mask = {mask}, .result_written = {written}",
        case.name,
        case.args.len(),
        ty.size()
    )
}

/// `<caller>_<i>` (`sbx_cb` for callbacks, `sbx_bb` for bound ones): calls the callback
/// `<callback>_<i>` through a function pointer of the case's C prototype and checks
/// the value it returns.
fn callback_call(
    c: &mut String,
    types: &mut CTypes,
    (callback, caller): (&str, &str),
    i: usize,
    case: &Case,
) {
    let params: Vec<String> = case
        .signature
        .params
        .iter()
        .map(|t| types.name(t))
        .collect();
    let params = if params.is_empty() {
        "void".to_string()
    } else {
        params.join(", ")
    };
    let result_type = types.name(&case.signature.result);
    writeln!(
        c,
        "extern sbx_entry_t {callback}_{i}_entry;\n{result_type} {callback}_{i}({params});\n\
         static void {caller}_{i}(const sbx_case_t *c) {{\n    \
         {result_type} (*volatile function)({params}) = {callback}_{i};"
    )
    .unwrap();
    let mut arguments = Vec::new();
    for (j, arg) in case.args.iter().enumerate() {
        let ty = arg.ty();
        if ty.by_address() {
            let name = types.name(&ty);
            writeln!(
                c,
                "    {name} a{j};\n    memcpy(&a{j}, c->args[{j}].padded, sizeof a{j});"
            )
            .unwrap();
            arguments.push(format!("a{j}"));
        } else if matches!(ty, Type::I8 | Type::U8 | Type::I16 | Type::U16) {
            // gcc converts the opaque 32-bit value without extending it: the callback
            // gets garbage above the value (AAPCS64 leaves those bits to the callee).
            let width = ty.size() * 8;
            let bits = u32::from_le_bytes(std::array::from_fn(|k| garbage(i + j, k)));
            let bits = (bits & (u32::MAX << width)) | c_cases::value_bits(arg) as u32;
            arguments.push(format!(
                "({})sbx_opaque32(0x{bits:08x}u)",
                c_cases::c_type(&ty)
            ));
        } else {
            arguments.push(c_scalar_literal(arg));
        }
    }
    let call = format!("function({})", arguments.join(", "));
    if case.result == Value::Void {
        writeln!(c, "    {call};\n}}").unwrap();
    } else {
        writeln!(
            c,
            "    {result_type} r = {call};\n    \
             sbx_expect(\"returned value\", -1, &r, c->result, c->result_mask, sizeof r);\n}}"
        )
        .unwrap();
    }
}

/// Where (part of) a value travels in a call, in [`apple_frame`]'s model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// General register `x<n>`.
    X(u8),
    /// SIMD/FP register `v<n>`, its low 64 bits (`d<n>`).
    D(u8),
    /// The stack argument area, this many bytes above the stack pointer at the call.
    Stack(usize),
    /// Memory at the address the caller passes in `x8` (an indirect result).
    X8Memory,
}

/// Bytes that must be at a location in a call, where `mask` is 1.
#[derive(Clone, Debug)]
pub struct Place {
    /// The argument index; `None` for the result.
    pub arg: Option<usize>,
    /// Where the bytes are.
    pub location: Location,
    /// The location holds a pointer to the bytes (a struct passed by reference).
    pub by_reference: bool,
    /// The value's bytes where `mask` is 1, garbage elsewhere.
    pub bytes: Vec<u8>,
    /// 1 for the bytes that must match.
    pub mask: Vec<u8>,
}

/// A call in Apple's arm64 convention, as [`apple_frame`] models it.
#[derive(Clone, Debug)]
pub struct AppleFrame {
    /// Where every argument (or each of its parts) is.
    pub args: Vec<Place>,
    /// Where the result (or each of its parts) comes back.
    pub result: Vec<Place>,
    /// Bytes of stack arguments.
    pub stack_size: usize,
}

/// This file's own model of Apple's arm64 convention ("Writing ARM64 code for Apple
/// platforms": AAPCS64 with its deviations), independent of `src/abi`, for checking
/// both sides of springboard's `apple` trampolines against it:
/// - x0-x7 and v0-v7 are taken independently (AAPCS64 §6.8.2, NGRN/NSRN).
/// - Integers narrower than 32 bits are extended to 32 bits by the caller in registers
///   (bits 32-63 unspecified); on the stack every scalar is packed at its natural size
///   and alignment ("Function arguments may consume slots on the stack that are not
///   multiples of 8 bytes").
/// - An HFA (one to four members of one floating-point type) goes one member per v
///   register if all fit; otherwise NSRN becomes 8 and it goes on the stack with its
///   members packed at their natural alignment.
/// - A struct over 16 bytes is passed as a pointer to a copy (an integer argument).
/// - Other structs go in one or two x registers if all fit (8-byte chunks, bytes past
///   the end unspecified); otherwise NGRN becomes 8 and they go on the stack in 8-byte
///   units at an 8-byte aligned offset.
/// - Variadic arguments (the signature's variadic part) all go on the stack, each in
///   an 8-byte aligned slot of its size rounded up to 8 bytes, whatever registers are
///   free; a struct over 16 bytes as a pointer to a copy, in a slot.
/// - Results: integers in x0 (narrow ones extended to 32 bits by the callee, as
///   springboard promises and Clang does), floats in v0, HFAs in v0-v3, other structs
///   up to 16 bytes in x0/x1, larger ones in memory at the address in x8.
pub fn apple_frame(case: &Case) -> AppleFrame {
    let (mut ngrn, mut nsrn, mut nsaa) = (0u8, 0u8, 0usize);
    let mut args = Vec::new();
    for (j, value) in case.args.iter().enumerate() {
        let ty = value.ty();
        let arg = Some(j);
        if case.signature.is_variadic_arg(j) {
            // Variadic arguments: all on the stack, each in 8-byte aligned slots of
            // its size rounded up to 8; a struct over 16 bytes by reference; an
            // `__int128` in two slots at a 16-byte aligned offset (its natural
            // alignment, which clang's arm64 Darwin varargs lowering keeps).
            let bytes = encoded(value);
            let place = if ty.is_wide() {
                Place::whole(arg, Location::Stack(stack_offset(&mut nsaa, 16, 16)), bytes)
            } else if ty.is_aggregate() {
                let mask: Vec<u8> = value_bytes_mask(&ty).into_iter().map(u8::from).collect();
                let big = ty.size() > 16;
                let size = if big {
                    8
                } else {
                    ty.size().next_multiple_of(8)
                };
                let at = stack_offset(&mut nsaa, 8, size);
                let mut place = Place::masked(arg, Location::Stack(at), bytes, mask);
                place.by_reference = big;
                place
            } else {
                Place::whole(arg, Location::Stack(stack_offset(&mut nsaa, 8, 8)), bytes)
            };
            args.push(place);
            continue;
        }
        match ty.class() {
            Some(ScalarClass::Integer { .. }) if ngrn < 8 => {
                args.push(Place::whole(arg, Location::X(ngrn), register_bytes(value)));
                ngrn += 1;
            }
            Some(ScalarClass::Float { .. }) if nsrn < 8 => {
                args.push(Place::whole(arg, Location::D(nsrn), encoded(value)));
                nsrn += 1;
            }
            Some(_) => {
                let at = stack_offset(&mut nsaa, ty.size(), ty.size());
                args.push(Place::whole(arg, Location::Stack(at), encoded(value)));
            }
            None => {
                let bytes = encoded(value);
                let mask: Vec<u8> = value_bytes_mask(&ty).into_iter().map(u8::from).collect();
                if let Some(members) = hfa_members(&ty) {
                    let count = members.len() as u8;
                    if nsrn + count <= 8 {
                        for (offset, size) in members {
                            let part = bytes[offset..offset + size].to_vec();
                            args.push(Place::whole(arg, Location::D(nsrn), part));
                            nsrn += 1;
                        }
                    } else {
                        nsrn = 8;
                        let at = stack_offset(&mut nsaa, members[0].1, ty.size());
                        args.push(Place::masked(arg, Location::Stack(at), bytes, mask));
                    }
                } else if ty.size() > 16 {
                    let location = if ngrn < 8 {
                        ngrn += 1;
                        Location::X(ngrn - 1)
                    } else {
                        Location::Stack(stack_offset(&mut nsaa, 8, 8))
                    };
                    let mut place = Place::masked(arg, location, bytes, mask);
                    place.by_reference = true;
                    args.push(place);
                } else {
                    let chunks = ty.size().div_ceil(8) as u8;
                    if ngrn + chunks <= 8 {
                        for (k, (part, part_mask)) in
                            bytes.chunks(8).zip(mask.chunks(8)).enumerate()
                        {
                            let location = Location::X(ngrn + k as u8);
                            args.push(Place::masked(
                                arg,
                                location,
                                part.to_vec(),
                                part_mask.to_vec(),
                            ));
                        }
                        ngrn += chunks;
                    } else {
                        ngrn = 8;
                        let at = stack_offset(&mut nsaa, 8, usize::from(chunks) * 8);
                        args.push(Place::masked(arg, Location::Stack(at), bytes, mask));
                    }
                }
            }
        }
    }
    let value = &case.result;
    let ty = value.ty();
    let result = match ty.class() {
        _ if ty.is_void() => Vec::new(),
        Some(ScalarClass::Integer { .. }) => {
            vec![Place::whole(None, Location::X(0), register_bytes(value))]
        }
        Some(ScalarClass::Float { .. }) => vec![Place::whole(None, Location::D(0), encoded(value))],
        Some(ScalarClass::X87 | ScalarClass::Binary128) => panic!("Apple arm64 has no {ty}"),
        None => {
            let bytes = encoded(value);
            let mask: Vec<u8> = value_bytes_mask(&ty).into_iter().map(u8::from).collect();
            if let Some(members) = hfa_members(&ty) {
                members
                    .into_iter()
                    .enumerate()
                    .map(|(k, (offset, size))| {
                        let part = bytes[offset..offset + size].to_vec();
                        Place::whole(None, Location::D(k as u8), part)
                    })
                    .collect()
            } else if ty.size() > 16 {
                vec![Place::masked(None, Location::X8Memory, bytes, mask)]
            } else {
                bytes
                    .chunks(8)
                    .zip(mask.chunks(8))
                    .enumerate()
                    .map(|(k, (part, part_mask))| {
                        Place::masked(
                            None,
                            Location::X(k as u8),
                            part.to_vec(),
                            part_mask.to_vec(),
                        )
                    })
                    .collect()
            }
        }
    };
    AppleFrame {
        args,
        result,
        stack_size: nsaa,
    }
}

impl Place {
    fn whole(arg: Option<usize>, location: Location, bytes: Vec<u8>) -> Place {
        let mask = vec![1; bytes.len()];
        Place::masked(arg, location, bytes, mask)
    }

    /// Garbage goes where the mask is 0.
    fn masked(arg: Option<usize>, location: Location, mut bytes: Vec<u8>, mask: Vec<u8>) -> Place {
        for (k, (byte, keep)) in bytes.iter_mut().zip(&mask).enumerate() {
            if *keep == 0 {
                *byte = garbage(arg.unwrap_or(7), k);
            }
        }
        Place {
            arg,
            location,
            by_reference: false,
            bytes,
            mask,
        }
    }
}

/// The next stack offset aligned to `align`, reserving `size` bytes.
fn stack_offset(nsaa: &mut usize, align: usize, size: usize) -> usize {
    let at = nsaa.next_multiple_of(align);
    *nsaa = at + size;
    at
}

/// An integer's bytes in a register: narrower than 32 bits, its 32-bit sign or zero
/// extension (`bool` as 0 or 1); otherwise its own bytes.
fn register_bytes(value: &Value) -> Vec<u8> {
    let extended: i32 = match *value {
        Value::Bool(v) => v.into(),
        Value::I8(v) => v.into(),
        Value::U8(v) => v.into(),
        Value::I16(v) => v.into(),
        Value::U16(v) => v.into(),
        _ => return encoded(value),
    };
    extended.to_le_bytes().to_vec()
}

/// The members `(offset, size)` of a homogeneous floating-point aggregate: one to four
/// scalars, all `f32` or all `f64`, once nested structs and arrays are flattened.
fn hfa_members(ty: &Type) -> Option<Vec<(usize, usize)>> {
    let mut leaves = Vec::new();
    ty.for_each_scalar(0, &mut |offset, leaf| leaves.push((offset, leaf.clone())));
    let first = leaves.first()?.1.clone();
    let homogeneous = matches!(first, Type::F32 | Type::F64)
        && leaves.len() <= 4
        && leaves.iter().all(|(_, leaf)| *leaf == first);
    homogeneous.then(|| {
        leaves
            .into_iter()
            .map(|(offset, leaf)| (offset, leaf.size()))
            .collect()
    })
}

/// Case `i`'s [`AppleFrame`] as C data (`sbx_ap<i>` arguments, `sbx_aq<i>` result),
/// added to its table row.
fn apple_frame_data(c: &mut String, row: &mut String, i: usize, frame: &AppleFrame) {
    let mut describe = |places: &[Place], prefix: &str| -> String {
        if places.is_empty() {
            return "0".to_string();
        }
        let mut entries = Vec::new();
        for (k, place) in places.iter().enumerate() {
            let bytes = format!("sbx_{prefix}b{i}_{k}");
            byte_array(c, &bytes, &place.bytes);
            let mask = if place.mask.contains(&0) {
                let name = format!("sbx_{prefix}m{i}_{k}");
                byte_array(c, &name, &place.mask);
                name
            } else {
                "0".to_string()
            };
            let (kind, at) = match place.location {
                Location::X(n) => (0, usize::from(n)),
                Location::D(n) => (1, usize::from(n)),
                Location::Stack(offset) => (2, offset),
                Location::X8Memory => (3, 0),
            };
            entries.push(format!(
                "{{.arg = {}, .kind = {kind}, .by_reference = {}, .where = {at}, .size = {}, \
                 .bytes = {bytes}, .mask = {mask}}}",
                place.arg.map_or(-1, |a| a as i64),
                u8::from(place.by_reference),
                place.bytes.len()
            ));
        }
        let name = format!("sbx_{prefix}{i}");
        writeln!(
            c,
            "static const sbx_place_t {name}[] = {{{}}};",
            entries.join(", ")
        )
        .unwrap();
        name
    };
    let args = describe(&frame.args, "ap");
    let result = describe(&frame.result, "aq");
    let indirect = frame
        .result
        .iter()
        .any(|p| p.location == Location::X8Memory);
    write!(
        row,
        ", .apple_model = 1, .apple_places = {args}, .apple_nplaces = {}, \
         .apple_results = {result}, .apple_nresults = {}, .apple_indirect = {}",
        frame.args.len(),
        frame.result.len(),
        u8::from(indirect)
    )
    .unwrap();
}

const PRELUDE: &str = include_str!("../cross/catalogue_prelude.c");

const RUNNER: &str = include_str!("../cross/catalogue_runner.c");

/// The frame type shared by the C harness and [`FRAME_CODE`].
const FRAMES: &str = include_str!("../cross/catalogue_frames.c");

/// aarch64 assembly (with `SBX_STACK` replaced by the stack area's size):
/// - `sbx_probe`: a callee that records x0-x8, d0-d7 and the first `SBX_STACK` bytes of
///   its stack arguments in `sbx_seen`, then tail-calls `sbx_probe_check`;
/// - `sbx_call_frame(function, frame)`: calls `function` with x0-x8, d0-d7 and the
///   stack arguments taken from `frame`, then stores x0, x1 and d0-d3 back into it.
const FRAME_CODE: &str = include_str!("../cross/catalogue_frame_code.c");

/// The frame functions off aarch64, where no mode calls them.
const FRAME_STUBS: &str = include_str!("../cross/catalogue_frame_stubs.c");

const MAIN: &str = include_str!("../cross/catalogue_main.c");
