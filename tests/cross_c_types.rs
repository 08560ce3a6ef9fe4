//! `i128`/`u128`, `long double` (binary128, `f128`) and `_Complex` (as structs) on aarch64 (AAPCS64) and riscv64 (LP64D)
//! Linux under qemu: the signatures of tests/c_types.rs emitted as downcalls and callbacks, linked with the
//! same gcc-compiled callees and callers (tests/c/c_types.c, built by the cross gcc) and
//! tests/cross/c_types_harness.c, which chains caller -> callback -> downcall -> callee
//! and compares with the caller calling the callee directly, and a variadic downcall
//! whose `i128`s gcc's `va_arg` reads (RISC-V's aligned register pairs). A missing tool fails the
//! test, never skips it.

mod common;

use common::c_types::{signatures_with_long_double, VARIADIC};

/// The signatures with both targets' `long double`, binary128.
fn signatures() -> Vec<String> {
    signatures_with_long_double("f128")
}
use common::cross::{require_tools_for, Arch, AARCH64, RISCV64};
use common::run_ok;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Emits, links and runs the chain for `arch`; returns the harness's output.
fn chain_on(arch: &Arch) -> String {
    require_tools_for(arch);
    let dir =
        PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("cross-c-types-{}", arch.name));
    std::fs::create_dir_all(&dir).unwrap();
    let object = dir.join("trampolines.o");
    let items: Vec<String> = signatures()
        .iter()
        .enumerate()
        .flat_map(|(n, sig)| {
            [
                format!("down{n}=downcall:{sig}"),
                format!("cb{n}=callback:{sig}"),
            ]
        })
        .chain([format!("vdown=downcall:{VARIADIC}")])
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
            .args(["-O1", "-Wall", "-Wno-unused", "-o"])
            .arg(&executable)
            .arg(root.join("tests/cross/c_types_harness.c"))
            .arg(root.join("tests/c/c_types.c"))
            .arg(&object),
    );
    run_ok(
        Command::new(arch.qemu)
            .args(["-L", arch.sysroot])
            .arg(&executable),
    )
}

#[test]
fn aapcs64_int128_and_complex_chain_matches_gcc_under_qemu() {
    assert_eq!(
        chain_on(&AARCH64),
        format!("ok {}\n", signatures().len() * 50 + 50)
    );
}

#[test]
fn riscv64_int128_and_complex_chain_matches_gcc_under_qemu() {
    assert_eq!(
        chain_on(&RISCV64),
        format!("ok {}\n", signatures().len() * 50 + 50)
    );
}
