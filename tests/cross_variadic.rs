//! Variadic downcalls and callbacks on aarch64 (AAPCS64) and riscv64 (LP64D) Linux
//! under qemu: the host tests' call shapes (`tests/common/variadic.rs`), emitted into
//! an object, linked with the gcc-compiled callees, callers and a checking `main`.
//! On AAPCS64 variadic arguments travel like fixed ones; on RISC-V variadic floats and
//! structs use integer registers, which gcc's `va_arg` then reads.

mod common;

use common::cross::{self, require_tools_for, Arch, Case, Modes, AARCH64, RISCV64};
use common::variadic::{c_harness, c_source, cases};
use springboard::object::{emit_object, ObjectItem};
use springboard::{Convention, Kind, Request, Target, Value};
use std::path::PathBuf;

/// Builds and runs the harness on `arch`; returns the number of passed checks.
fn run(arch: &Arch) -> usize {
    require_tools_for(arch);
    let cases = cases(Convention::C);
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
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("variadic-{}", arch.name));
    std::fs::create_dir_all(&dir).unwrap();
    let c_path = dir.join("harness.c");
    std::fs::write(&c_path, c_source(&cases, false) + &c_harness(&cases)).unwrap();
    cross::run_harness(
        arch,
        "variadic",
        &[&c_path],
        &["-w"],
        &object,
        3 * cases.len(),
    );
    3 * cases.len()
}

#[test]
fn aarch64_variadic_calls_match_gcc() {
    assert_eq!(run(&AARCH64), 348);
}

#[test]
fn riscv64_variadic_calls_match_gcc() {
    assert_eq!(run(&RISCV64), 348);
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
