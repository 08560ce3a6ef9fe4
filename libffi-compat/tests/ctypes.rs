//! An unmodified CPython (the machine's python3) using ctypes through the drop-in:
//! libc and libm calls, a struct return, qsort with a CFUNCTYPE comparator, long double
//! (sqrtl and a CFUNCTYPE returning one) and a
//! variadic printf; the script reports the libffi the process mapped and calls a
//! symbol only springboard's libffi exports.

mod support;

use std::process::Command;

#[test]
fn cpython_ctypes_runs_through_the_drop_in() {
    let dir = support::drop_in_dir();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/ctypes_demo.py");
    let output = Command::new("python3")
        .arg(script)
        .env("LD_LIBRARY_PATH", &dir)
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "python3 failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("printf 7 via 2.50\n"), "{stdout}");
    assert!(stdout.contains("version springboard "), "{stdout}");
    let loaded = stdout
        .lines()
        .find_map(|l| l.strip_prefix("loaded "))
        .expect("the script lists the mapped libffi");
    let expected = dir.join("libffi.so").canonicalize().unwrap();
    assert_eq!(
        loaded,
        format!("['{}']", expected.display()),
        "the process mapped another libffi"
    );
}
