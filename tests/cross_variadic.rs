//! Variadic downcalls and callbacks on aarch64 (AAPCS64) and riscv64 (LP64D) Linux
//! under qemu, and on this x86-64 machine (System V): the host tests' call shapes
//! (`tests/common/variadic.rs`), emitted into an object, linked with the gcc-compiled
//! callees, callers and a checking `main`. On AAPCS64 variadic arguments travel like
//! fixed ones; on RISC-V variadic floats and structs use integer registers, which gcc's
//! `va_arg` then reads. On System V every variadic downcall calls through the `%al`
//! shim, which the object defines itself (a local function made from
//! `Shim::code`): gcc's variadic callees skip saving the vector registers when `%al`
//! is 0, so a wrong count loses the float arguments.
//! Windows x64 calls (the float-copies shim) run here in x86-64 Linux objects against
//! gcc's `ms_abi` callees; COFF objects for Windows cannot run here, so
//! `coff_objects_define_the_float_copies_shims` checks their shim functions and calls
//! with objdump.
//!
//! The `wide` tests add each target's 16-byte scalars (`__int128`; `long double`, which
//! is binary128 `f128` on aarch64 and riscv64 Linux; on x86-64 the x87 `f80` and
//! `__float128`) as fixed and variadic arguments and as results. RISC-V passes a
//! variadic one in an aligned (even-odd) register pair, which gcc's `va_arg` reads.

mod common;

use common::cross::{self, require_tools_for, Arch, Case, Modes, AARCH64, RISCV64, X86_64_HOST};
use common::variadic::{c_harness, c_source, cases, wide_cases, wide_types};
use springboard::object::{emit_object, ObjectItem};
use springboard::{Convention, Kind, Request, Signature, Target, Type, Value};
use std::path::PathBuf;

/// Builds and runs the harness on `arch` for the call shapes of [`cases`] in
/// `convention`; returns the number of passed checks.
fn run(arch: &Arch, convention: Convention) -> usize {
    run_cases(arch, convention, &cases(convention), "variadic")
}

/// [`run`] for the shapes with the target's 16-byte scalars ([`wide_cases`]).
fn run_wide(arch: &Arch, convention: Convention) -> usize {
    let cases = wide_cases(convention, &wide_types(arch.target));
    run_cases(arch, convention, &cases, "variadic-wide")
}

fn run_cases(
    arch: &Arch,
    convention: Convention,
    cases: &[common::variadic::Case],
    stem: &str,
) -> usize {
    require_tools_for(arch);
    let mut items = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        for (prefix, kind) in [("sbd", Kind::Downcall), ("sbc", Kind::Callback)] {
            items.push(ObjectItem {
                name: format!("{prefix}_{index}"),
                request: Request::new(kind, case.signature.clone()).unwrap(),
            });
        }
    }
    let target: Target = arch.target.parse().unwrap();
    let object = emit_object(&target, &items).unwrap();
    let name = format!("{stem}-{convention}");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{}", arch.name));
    std::fs::create_dir_all(&dir).unwrap();
    let c_path = dir.join("harness.c");
    let ms = convention == Convention::Win64;
    std::fs::write(&c_path, c_source(cases, ms) + &c_harness(cases)).unwrap();
    cross::run_harness(arch, &name, &[&c_path], &["-w"], &object, 3 * cases.len());
    3 * cases.len()
}

#[test]
fn aarch64_variadic_calls_match_gcc() {
    assert_eq!(run(&AARCH64, Convention::C), 348);
}

#[test]
fn riscv64_variadic_calls_match_gcc() {
    assert_eq!(run(&RISCV64, Convention::C), 348);
}

#[test]
fn x86_64_emitted_variadic_calls_match_gcc() {
    assert_eq!(run(&X86_64_HOST, Convention::C), 348);
}

/// Windows x64 calls in an x86-64 Linux object, against gcc's `ms_abi` callees and
/// callers: every downcall with a float among the first four arguments calls through
/// the float-copies shim the object defines.
#[test]
fn x86_64_emitted_win64_variadic_calls_match_gcc() {
    assert_eq!(run(&X86_64_HOST, Convention::Win64), 348);
}

#[test]
fn aarch64_wide_variadic_calls_match_gcc() {
    assert_eq!(run_wide(&AARCH64, Convention::C), 3 * 118);
}

#[test]
fn riscv64_wide_variadic_calls_match_gcc() {
    assert_eq!(run_wide(&RISCV64, Convention::C), 3 * 118);
}

#[test]
fn x86_64_emitted_wide_variadic_calls_match_gcc() {
    assert_eq!(run_wide(&X86_64_HOST, Convention::C), 3 * 120);
}

#[test]
fn x86_64_emitted_win64_wide_variadic_calls_match_gcc() {
    assert_eq!(run_wide(&X86_64_HOST, Convention::Win64), 3 * 120);
}

/// Apple arm64 cannot run here: Apple downcalls call Apple callbacks, and each side is
/// checked against `apple_frame`, the cross harness's own model of the convention
/// (variadic arguments on the stack in 8-byte slots), for the same call shapes.
#[test]
fn apple_variadic_calls_match_the_apple_model() {
    let cases: Vec<Case> = cases(Convention::C)
        .into_iter()
        .enumerate()
        .map(|(index, case)| Case {
            name: format!("variadic_{index}"),
            signature: case.signature,
            args: case.values,
            result: Value::U64(0x0123_4567_89ab_cdef ^ index as u64),
        })
        .collect();
    let modes = Modes {
        apple_pairs: true,
        apple_conformance: true,
        ..Modes::default()
    };
    let outcome = cross::run("variadic_apple", &cases, &modes);
    outcome.assert_all_passed();
    assert_eq!(outcome.passed, 3 * cases.len());
}

/// The same for Apple's 16-byte scalars, `__int128` only (Apple's `long double` is
/// `double`): a variadic one goes on the stack at a 16-byte aligned offset, which
/// `apple_frame` models independently of the ABI layer. (The model has no fixed
/// `__int128` or 128-bit result, so fixed ones are `i64`s here and the results are
/// `u64`.)
#[test]
fn apple_wide_variadic_calls_match_the_apple_model() {
    let cases: Vec<Case> = wide_cases(Convention::C, &wide_types("aarch64-apple-darwin"))
        .into_iter()
        .enumerate()
        .map(|(index, case)| {
            let fixed = case.signature.variadic_from.unwrap();
            let mut args = case.values;
            for arg in &mut args[..fixed] {
                if arg.ty().is_wide() {
                    *arg = Value::I64(index as i64);
                }
            }
            let types: Vec<Type> = args.iter().map(Value::ty).collect();
            Case {
                name: format!("variadic_wide_{index}"),
                signature: Signature::variadic(
                    types[..fixed].to_vec(),
                    types[fixed..].to_vec(),
                    Type::U64,
                ),
                args,
                result: Value::U64(0x0123_4567_89ab_cdef ^ index as u64),
            }
        })
        .collect();
    let wide = cases
        .iter()
        .filter(|case| case.args.iter().any(|arg| arg.ty().is_wide()))
        .count();
    assert!(wide > 80, "{wide} shapes with a variadic __int128");
    let modes = Modes {
        apple_pairs: true,
        apple_conformance: true,
        ..Modes::default()
    };
    let outcome = cross::run("variadic_wide_apple", &cases, &modes);
    outcome.assert_all_passed();
    assert_eq!(outcome.passed, 3 * cases.len());
}

/// The lines objdump gives for the shim function `symbol` of the object at `path`.
fn disassembly_of(path: &std::path::Path, symbol: &str) -> Vec<String> {
    let output = std::process::Command::new("objdump")
        .args(["-d", "--no-show-raw-insn"])
        .arg(path)
        .output()
        .expect("objdump (binutils) runs");
    assert!(output.status.success(), "objdump -d {}", path.display());
    let text = String::from_utf8_lossy(&output.stdout);
    let start = text
        .find(&format!("<{symbol}>:"))
        .unwrap_or_else(|| panic!("no {symbol} in {}:\n{text}", path.display()));
    // Up to the first jump (the alignment padding after it is no instruction).
    let mut lines = Vec::new();
    for line in text[start..].lines().skip(1) {
        let instruction = line.split('\t').skip(1).collect::<Vec<_>>().join(" ");
        let instruction = instruction.split_whitespace().collect::<Vec<_>>().join(" ");
        let jump = instruction.starts_with("jmp");
        lines.push(instruction);
        if jump || lines.len() > 8 {
            break;
        }
    }
    lines
}

/// COFF objects for Windows x64 cannot run here: each shim function an object defines
/// must disassemble (objdump, independent of springboard's encoder) to a `movq` from
/// `xmmk` to slot `k`'s integer register for each variadic float among the first four
/// arguments, then `jmp *%r15`, and the downcall must reference it.
#[test]
fn coff_objects_define_the_float_copies_shims() {
    let shapes = [
        ("(ptr, ...; f64, i32, f64) -> i32", "1010", vec![1, 3]),
        // A fixed float is prototyped: only the variadic one is copied.
        ("(f64, ...; f64) -> f64", "0010", vec![1]),
        ("(ptr, ...; i32, f64, i64, i64) -> i64", "0100", vec![2]),
        (
            "(ptr, ...; f64, f64, f64, f64) -> i32",
            "1110",
            vec![1, 2, 3],
        ),
    ];
    let integer = ["%rcx", "%rdx", "%r8", "%r9"];
    for target in ["x86_64-pc-windows-msvc", "x86_64-pc-windows-gnu"] {
        let items: Vec<ObjectItem> = shapes
            .iter()
            .enumerate()
            .map(|(index, (signature, _, _))| format!("w{index}=downcall:{signature}").parse())
            .collect::<Result<_, _>>()
            .unwrap();
        let object = emit_object(&target.parse().unwrap(), &items).unwrap();
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("variadic-coff");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{target}.obj"));
        std::fs::write(&path, &object).unwrap();
        let relocations = std::process::Command::new("objdump")
            .arg("-r")
            .arg(&path)
            .output()
            .expect("objdump (binutils) runs");
        let relocations = String::from_utf8_lossy(&relocations.stdout);
        for (signature, mask, slots) in &shapes {
            let symbol = format!("springboard_shim_win64_float_copies_{mask}");
            let mut expected: Vec<String> = slots
                .iter()
                .map(|&k| format!("movq %xmm{k},{}", integer[k]))
                .collect();
            expected.push("jmp *%r15".to_string());
            assert_eq!(
                disassembly_of(&path, &symbol),
                expected,
                "{target} {signature}"
            );
            assert!(
                relocations.contains(&symbol),
                "{target}: no reference to {symbol}:\n{relocations}"
            );
        }
    }
}
