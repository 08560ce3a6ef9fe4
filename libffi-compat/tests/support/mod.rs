//! What the drop-in's tests share: where the drop-in built for this test run is.

use std::path::PathBuf;
use std::process::Command;

/// The directory holding the drop-in's `libffi.so` and `libffi.so.8` names for the
/// profile of this test run (target/<profile>/libffi-dropin; target/<profile> is two
/// levels above the test executable in deps/). Test builds link the library as an
/// rlib only, so this builds the cdylib (cargo's build lock is free while tests run).
pub fn drop_in_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("the test executable's path");
    let dir = exe
        .parent()
        .and_then(|deps| deps.parent())
        .expect("target/<profile>/deps/<test>")
        .join("libffi-dropin");
    let mut build = Command::new(env!("CARGO"));
    build.args(["build", "--locked", "-p", "springboard-libffi", "--lib"]);
    if dir.file_name().is_some_and(|name| name == "release") {
        build.arg("--release");
    }
    let status = build.status().expect("cargo runs");
    assert!(status.success(), "building the drop-in failed");
    for name in ["libffi.so", "libffi.so.8"] {
        assert!(
            dir.join(name).exists(),
            "{} missing: cargo builds the drop-in's cdylib with its tests",
            dir.join(name).display()
        );
    }
    dir
}
