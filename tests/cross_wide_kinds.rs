//! `i128`/`u128` and `long double` (binary128, `f128`) in fast calls and boundaries on
//! aarch64 (AAPCS64) and riscv64 (LP64D) Linux under qemu, and in an object for this
//! machine (System V, `long double` x87 `f80`, run natively): the signatures of
//! tests/wide_kinds.rs emitted as a fast call, a native entry and exit (each calling
//! gcc's callee), and an array entry and exit, linked with the same gcc-compiled
//! callees and callers (tests/c/wide_kinds.c, built by the cross gcc) and
//! tests/cross/wide_kinds_harness.c, which compares every kind's result with gcc's
//! caller calling gcc's callee directly and checks the boundary records against the
//! frames (see the harness). A missing tool fails the test, never skips it.

mod common;

use common::cross::{require_tools_for, Arch, AARCH64, RISCV64, X86_64_HOST};
use common::run_ok;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Rounds per signature (the harness's `ROUNDS`) and checks per round.
const ROUNDS: usize = 30;
const CHECKS_PER_ROUND: usize = 14;

/// The signatures with `arch`'s `long double`: x87 `f80` on x86-64, binary128 on
/// aarch64 and riscv64.
fn signatures(arch: &Arch) -> Vec<String> {
    let long_double = if arch.name == X86_64_HOST.name {
        "f80"
    } else {
        "f128"
    };
    include_str!("c/wide_kinds.sigs")
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| line.replace("q128", "f128").replace("ld", long_double))
        .collect()
}

/// Emits, links and runs the harness for `arch`; returns its output.
fn harness_on(arch: &Arch) -> String {
    require_tools_for(arch);
    let dir =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cross-wide-kinds-{}", arch.name));
    std::fs::create_dir_all(&dir).unwrap();
    let object = dir.join("trampolines.o");
    let items: Vec<String> = signatures(arch)
        .iter()
        .enumerate()
        .flat_map(|(n, sig)| {
            [
                format!("wkf{n}=fastcall(callee{n}):{sig}"),
                format!("wken{n}=entry(callee{n}):{sig}"),
                format!("wkex{n}=exit(callee{n}):{sig}"),
                format!("wkae{n}=entry:{sig}"),
                format!("wkax{n}=exit:{sig}"),
            ]
        })
        .collect();
    run_ok(
        Command::new(env!("CARGO_BIN_EXE_springboard"))
            .args(["emit", "--target", arch.target, "-o"])
            .arg(&object)
            .args(&items),
    );
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let executable = dir.join("harness");
    run_ok(
        Command::new(arch.cc)
            .args(["-O1", "-Wall", "-Wno-unused", "-rdynamic", "-o"])
            .arg(&executable)
            .arg(root.join("tests/cross/wide_kinds_harness.c"))
            .arg(&object)
            .arg("-ldl"),
    );
    if arch.qemu.is_empty() {
        return run_ok(&mut Command::new(&executable));
    }
    run_ok(
        Command::new(arch.qemu)
            .args(["-L", arch.sysroot])
            .arg(&executable),
    )
}

fn expected(arch: &Arch) -> String {
    format!(
        "{} passed, 0 failed\n",
        signatures(arch).len() * ROUNDS * CHECKS_PER_ROUND
    )
}

#[test]
fn aapcs64_fast_calls_and_boundaries_carry_int128_and_long_double_under_qemu() {
    assert_eq!(harness_on(&AARCH64), expected(&AARCH64));
}

#[test]
fn riscv64_fast_calls_and_boundaries_carry_int128_and_long_double_under_qemu() {
    assert_eq!(harness_on(&RISCV64), expected(&RISCV64));
}

/// The same harness for an object emitted for this machine: the object's own x87 shim
/// functions move the `long double` results.
#[test]
fn sysv_object_fast_calls_and_boundaries_carry_int128_and_long_double() {
    assert_eq!(harness_on(&X86_64_HOST), expected(&X86_64_HOST));
}
