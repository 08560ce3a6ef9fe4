//! libffi's own test suite (from the libffi-sys 4.2.2 crate's source, read where
//! cargo unpacked it) run against the drop-in and against the system libffi 3.4 by
//! scripts/libffi-testsuite.py, which builds every program as the suite's DejaGnu
//! drivers do and checks exit status and `dg-output`.
//!
//! Every run the system libffi passes must pass with the drop-in, except the
//! programs in [`EXCEPTIONS`] (each with its reason); `struct_int_float.c`, which
//! libffi 3.4.4 fails, must pass. A third run of every program links it against the
//! system libffi and puts the drop-in in front with `LD_PRELOAD`: it must give the
//! drop-in's result.

mod support;

use std::path::PathBuf;
use std::process::Command;

/// Programs the drop-in does not pass (a source path, or a suite directory ending in
/// `/`), with the reason.
const EXCEPTIONS: &[(&str, &str)] = &[];

fn excepted(id: &str) -> bool {
    EXCEPTIONS.iter().any(|(path, _)| {
        if path.ends_with('/') {
            id.starts_with(path)
        } else {
            id.strip_prefix(path)
                .is_some_and(|rest| rest.starts_with(' '))
        }
    })
}

fn testsuite_dir() -> PathBuf {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata runs");
    let text = String::from_utf8(output.stdout).unwrap();
    // The manifest path of libffi-sys 4.2.2, without a JSON parser: it is the one
    // string ending in libffi-sys-4.2.2/Cargo.toml.
    let end = text
        .find("libffi-sys-4.2.2/Cargo.toml")
        .expect("libffi-sys 4.2.2 is in the dependency tree");
    let start = text[..end].rfind('"').unwrap() + 1;
    PathBuf::from(&text[start..end]).join("libffi-sys-4.2.2/libffi/testsuite")
}

fn system_dir() -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("springboard-system-libffi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["libffi.so", "libffi.so.8"] {
        let link = dir.join(name);
        let _ = std::fs::remove_file(&link);
        std::os::unix::fs::symlink("/usr/lib/x86_64-linux-gnu/libffi.so.8", &link).unwrap();
    }
    dir
}

#[test]
fn libffi_testsuite_passes_what_system_libffi_passes() {
    let drop_in = support::drop_in_dir();
    let system = system_dir();
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../scripts/libffi-testsuite.py"
    );
    let preload = format!(
        "{},preload,{}",
        system.display(),
        drop_in.join("libffi.so.8").display()
    );
    let output = Command::new("python3")
        .arg(script)
        .arg(testsuite_dir())
        .arg(&drop_in)
        .arg(&system)
        .arg(&preload)
        .output()
        .expect("the suite driver runs");
    let _ = std::fs::remove_dir_all(&system);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "driver failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let mut regressions = Vec::new();
    let mut preload_differs = Vec::new();
    let (mut runs, mut passed, mut system_passed) = (0, 0, 0);
    for line in stdout.lines() {
        let (results, id) = line.split_once(' ').unwrap();
        let (ours, theirs, preloaded) = (&results[..1], &results[1..2], &results[2..3]);
        if preloaded != ours {
            preload_differs.push(line.to_string());
        }
        runs += 1;
        passed += (ours == "P") as usize;
        system_passed += (theirs == "P") as usize;
        if ours != "P" && theirs == "P" && !excepted(id) {
            regressions.push(line.to_string());
        }
        if id.contains("struct_int_float.c") {
            assert_eq!(ours, "P", "{line}");
        }
    }
    eprintln!("{runs} runs: drop-in passes {passed}, system libffi passes {system_passed}");
    assert!(
        runs > 1000,
        "the suite has over a thousand runs, found {runs}"
    );
    assert!(
        regressions.is_empty(),
        "passes with the system libffi only:\n{}",
        regressions.join("\n")
    );
    assert!(
        preload_differs.is_empty(),
        "the drop-in through LD_PRELOAD differs from the drop-in linked:\n{}",
        preload_differs.join("\n")
    );
}
