//! Errno downcalls on aarch64 and riscv64 Linux under qemu: the trampolines, emitted
//! into an object, are linked with gcc-compiled callees and `tests/cross/errno_harness.c`,
//! which checks what they captured (and set) against the real C library's `errno`.

mod common;

use common::cross::{self, require_tools_for, Arch, AARCH64, RISCV64};
use springboard::object::{emit_object, ObjectItem};
use springboard::{ErrnoMode, Request, Target};
use std::path::Path;

/// The harness's trampolines: (symbol, signature, mode).
const ITEMS: [(&str, &str, ErrnoMode); 7] = [
    ("sbe_capture", "(i32) -> i32", ErrnoMode::Capture),
    (
        "sbe_set_and_capture",
        "(i32) -> i32",
        ErrnoMode::SetAndCapture,
    ),
    ("sbe_struct", "(i32) -> {i64, i64, i64}", ErrnoMode::Capture),
    ("sbe_strtol", "(ptr, ptr, i32) -> i64", ErrnoMode::Capture),
    (
        "sbe_strtol_set",
        "(ptr, ptr, i32) -> i64",
        ErrnoMode::SetAndCapture,
    ),
    ("sbe_open", "(ptr, i32) -> i32", ErrnoMode::Capture),
    (
        "sbe_open_variadic",
        "(ptr, i32, ...; u32) -> i32",
        ErrnoMode::Capture,
    ),
];

/// Builds and runs the harness on `arch`; returns the number of passed checks.
fn run(arch: &Arch) -> usize {
    require_tools_for(arch);
    let items: Vec<ObjectItem> = ITEMS
        .iter()
        .map(|&(name, signature, mode)| ObjectItem {
            name: name.to_string(),
            request: Request::ErrnoDowncall(signature.parse().unwrap(), mode),
        })
        .collect();
    let target: Target = arch.target.parse().unwrap();
    let object = emit_object(&target, &items).unwrap();
    let harness = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/cross/errno_harness.c");
    cross::run_harness(arch, "errno", &[Path::new(harness)], &["-Wall"], &object, 7);
    7
}

#[test]
fn aarch64_errno_downcalls_capture_and_set_errno() {
    assert_eq!(run(&AARCH64), 7);
}

#[test]
fn riscv64_errno_downcalls_capture_and_set_errno() {
    assert_eq!(run(&RISCV64), 7);
}
