//! `examples/expr_jit.rs` runs as the README says (`cargo run --example expr_jit`) and
//! prints what its program computes through inline C calls and C-callable functions.

use std::process::Command;

#[test]
fn the_expression_language_example_prints_its_results() {
    let output = Command::new(env!("CARGO"))
        .args(["run", "--quiet", "--offline", "--example", "expr_jit"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{:?}: {stderr}", output.status);
    let expected = [
        "power = 1024",
        "quotient = 3",
        "remainder = 2",
        "length = 5",
        "hypotenuse(5, 12) = 13",
        "sorted = 5",
        "array = [10.25, 7.0, 3.5, 0.0, -1.0]",
    ];
    assert_eq!(stdout.lines().collect::<Vec<_>>(), expected, "{stderr}");
}
