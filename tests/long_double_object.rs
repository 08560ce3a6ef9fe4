//! `long double` in an object file: `springboard emit` for x86-64 Linux writes downcalls
//! and callbacks whose results travel in `st0`, with the x87 shims they call defined in
//! the object itself; tests/c/long_double_object.c links it with gcc and runs a
//! callback -> downcall chain against direct calls (100 value pairs, two signatures).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn run(command: &mut Command) -> String {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
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
fn emitted_long_double_trampolines_link_and_run() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("long-double-object");
    std::fs::create_dir_all(&dir).unwrap();
    let object = dir.join("trampolines.o");
    run(Command::new(env!("CARGO_BIN_EXE_springboard"))
        .args(["emit", "--target", "x86_64-unknown-linux-gnu", "-o"])
        .arg(&object)
        .args([
            "down=downcall:(f80, i64, f80) -> f80",
            "cb=callback:(f80, i64, f80) -> f80",
            "downs=downcall:({f80}, i32) -> {f80}",
            "cbs=callback:({f80}, i32) -> {f80}",
        ]));
    let executable = dir.join("harness");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    run(common::c_compiler()
        .args(["-O1", "-Wall", "-no-pie", "-o"])
        .arg(&executable)
        .arg(root.join("tests/c/long_double_object.c"))
        .arg(&object));
    assert_eq!(run(&mut Command::new(&executable)), "ok 200\n");
}
