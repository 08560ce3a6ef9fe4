//! Narrow integer results widened to a whole `ffi_arg` by their signedness, through
//! `ffi_call` and a closure (tests/c/narrow.c), with the drop-in and, as the reference,
//! with the system libffi: the two must print the same bit patterns. libffi's own suite
//! casts results back to the narrow type before comparing, so it cannot see a `sint8`
//! treated as `uint8`.

mod support;

use std::path::Path;
use std::process::Command;

/// Builds narrow.c against `ffi.h` and links it with the libffi in `lib_dir` (the
/// system's when `None`), runs it with that library first on the search path, and
/// returns its output; asserts that it succeeded.
fn run_against(lib_dir: Option<&Path>, out: &Path) -> String {
    let source = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/c/narrow.c");
    let mut gcc = Command::new("gcc");
    gcc.args(["-O1", "-Wall", "-Werror", source, "-o"]).arg(out);
    if let Some(dir) = lib_dir {
        gcc.arg(format!("-L{}", dir.display()));
    }
    let status = gcc.arg("-lffi").status().expect("gcc runs");
    assert!(status.success(), "gcc failed on narrow.c");
    let mut run = Command::new(out);
    match lib_dir {
        Some(dir) => run.env("LD_LIBRARY_PATH", dir),
        // cargo's own library path for tests may hold the drop-in.
        None => run.env_remove("LD_LIBRARY_PATH"),
    };
    let output = run.output().expect("narrow runs");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "narrow failed ({:?}):\n{stdout}{}",
        lib_dir,
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[test]
fn narrow_results_are_widened_by_their_signedness_as_libffi_does() {
    let dir = support::drop_in_dir();
    let work = std::env::temp_dir().join(format!("sb-narrow-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let ours = run_against(Some(&dir), &work.join("narrow-drop-in"));
    let system = run_against(None, &work.join("narrow-system"));
    std::fs::remove_dir_all(&work).ok();
    assert_eq!(ours, system, "the drop-in and the system libffi disagree");
    assert!(ours.contains("call sint8 0xffffffffffffffff"), "{ours}");
    assert!(ours.contains("call uint8 0xff\n"), "{ours}");
}
