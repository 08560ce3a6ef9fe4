//! Boundary trampolines on aarch64 Linux: an object with array and native entries and
//! exits, emitted for aarch64-unknown-linux-gnu, linked with the C harness
//! tests/cross/boundary_harness.c (frame pointers on) and run under qemu-aarch64. The
//! harness walks the frame records from the recorded exit FP to the entry FP and on
//! into its C host callers, nested three deep, and prints `N passed, M failed`.
//!
//! The tools come from scripts/install-test-deps.sh; a missing tool fails the test.

use springboard::object::{emit_object, ObjectItem};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const NATIVE: &str = "(ptr, {i64, f64}, {i32, i32, i32, i32, i64}, i8) -> {f64, i64, i64}";

/// Checks the harness makes: 123 for the array shapes (three runs, nested up to three
/// levels), 15 for the native shapes.
const EXPECTED_CHECKS: usize = 138;

fn run(command: &mut Command) -> Output {
    let output = command.output().unwrap_or_else(|e| {
        panic!(
            "cannot run {:?}: {e}; install the cross tools with scripts/install-test-deps.sh",
            command.get_program()
        )
    });
    output
}

fn succeeded(command: &mut Command) {
    let output = run(command);
    assert!(
        output.status.success(),
        "{command:?} failed: {}\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn aarch64_records_walk_from_exit_to_entry_to_host_under_qemu() {
    let items: Vec<ObjectItem> = [
        "sb_enter=entry:(ptr, i64) -> i64".to_string(),
        "sb_exit=exit:(ptr, i64) -> i64".to_string(),
        format!("sb_enter_native=entry(guest_native):{NATIVE}"),
        format!("sb_exit_native=exit(host_import):{NATIVE}"),
    ]
    .iter()
    .map(|item| item.parse().unwrap())
    .collect();
    let object = emit_object(&"aarch64-unknown-linux-gnu".parse().unwrap(), &items).unwrap();

    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cross-boundary");
    std::fs::create_dir_all(&dir).unwrap();
    let object_path = dir.join("boundary.o");
    std::fs::write(&object_path, object).unwrap();
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cross/boundary_harness.c");
    let executable = dir.join("boundary_harness");
    succeeded(
        Command::new("aarch64-linux-gnu-gcc")
            .args([
                "-O1",
                "-Wall",
                "-fno-omit-frame-pointer",
                "-fno-optimize-sibling-calls",
                "-fno-inline",
                "-rdynamic",
                "-o",
            ])
            .arg(&executable)
            .arg(&harness)
            .arg(&object_path)
            .arg("-ldl"),
    );
    let output = run(Command::new("qemu-aarch64")
        .args(["-L", "/usr/aarch64-linux-gnu"])
        .arg(&executable));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let last = stdout.lines().last().unwrap_or_default();
    let counts: Vec<usize> = last
        .split([' ', ','])
        .filter_map(|word| word.parse().ok())
        .collect();
    let [passed, failed] = counts[..] else {
        panic!(
            "no `N passed, M failed` line ({}):\n{stdout}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    };
    assert_eq!(failed, 0, "harness failures:\n{stdout}");
    assert_eq!(passed, EXPECTED_CHECKS, "every check ran:\n{stdout}");
    assert!(output.status.success(), "{}", output.status);
}
