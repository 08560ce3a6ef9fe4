//! `springboard emit` for aarch64: the object links with a C harness built by
//! aarch64-linux-gnu-gcc and runs under qemu-aarch64. The tools come from
//! scripts/install-test-deps.sh; a missing tool fails the test, never skips it.

use std::path::{Path, PathBuf};
use std::process::Command;

const ITEMS: [&str; 6] = [
    "sb_add=downcall:(i32, i8) -> i16",
    "sb_cb=callback:(i32, {f32, f32, f32}, i8) -> {f64, i64}",
    "apple_down=downcall:apple (i64, i64, i64, i64, i64, i64, i64, i64, i8, i16, u8) -> i8",
    "apple_cb=callback:apple (i64, i64, i64, i64, i64, i64, i64, i64, i8, i16, u8) -> i8",
    // Symbol callees: resolved by the linker.
    "fast_mix=fastcall(c_mix):(u8, i16, f64) -> i8",
    "enter_guest=entry(c_guest):(ptr, i32) -> i32",
];

fn run(command: &mut Command) -> String {
    let output = command.output().unwrap_or_else(|e| {
        panic!("cannot run {command:?} (run scripts/install-test-deps.sh): {e}")
    });
    assert!(
        output.status.success(),
        "{command:?} failed: {}\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn emitted_aarch64_object_links_and_runs_under_qemu() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cross-emit");
    std::fs::create_dir_all(&dir).unwrap();
    let object = dir.join("trampolines.o");
    run(Command::new(env!("CARGO_BIN_EXE_springboard"))
        .args(["emit", "--target", "aarch64-unknown-linux-gnu", "-o"])
        .arg(&object)
        .args(ITEMS));
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cross/emit_harness.c");
    let executable = dir.join("harness");
    run(Command::new("aarch64-linux-gnu-gcc")
        .args(["-O1", "-Wall", "-fno-omit-frame-pointer", "-o"])
        .arg(&executable)
        .arg(&harness)
        .arg(&object));
    let stdout = run(Command::new("qemu-aarch64")
        .args(["-L", "/usr/aarch64-linux-gnu"])
        .arg(&executable));
    assert_eq!(stdout, "ok\n");
}
