//! springboard.h against the Rust definitions, and the C example built and run.
//!
//! The header must declare exactly the functions src/lib.rs exports, with the same
//! number of parameters each, and the built library must export them all; then
//! examples/demo.c, compiled with gcc against the header and linked with
//! -lspringboard, must run and print what it checked.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

const HEADER: &str = include_str!("../include/springboard.h");
const SOURCE: &str = include_str!("../src/lib.rs");

/// Function name -> parameter count, of every `NAME(...)` whose name starts with
/// `sb_` and that `starts` accepts the text before.
fn functions(text: &str, is_definition: impl Fn(&str) -> bool) -> BTreeMap<String, usize> {
    let mut found = BTreeMap::new();
    for (at, _) in text.match_indices("sb_") {
        let rest = &text[at..];
        let name_len = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        let (name, after) = rest.split_at(name_len);
        if !after.starts_with('(') || !is_definition(&text[..at]) {
            continue;
        }
        let params = &after[1..after.find(')').unwrap()];
        let count = if params.trim() == "void" {
            0
        } else {
            // Rust's formatting leaves a trailing comma after the last parameter.
            params.split(',').filter(|p| !p.trim().is_empty()).count()
        };
        found.insert(name.to_string(), count);
    }
    found
}

fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(|d| d.parent()).unwrap().to_path_buf();
    let mut build = Command::new(env!("CARGO"));
    build.args(["build", "--locked", "-p", "springboard-capi", "--lib"]);
    if dir.file_name().is_some_and(|n| n == "release") {
        build.arg("--release");
    }
    assert!(
        build.status().unwrap().success(),
        "building libspringboard failed"
    );
    dir
}

#[test]
fn header_declares_what_the_library_exports() {
    // A declaration: the name follows a return type on its line (not a typedef,
    // not a use inside a comment or a call).
    let declared = functions(HEADER, |before| {
        let line = before.rsplit('\n').next().unwrap();
        !line.trim_start().starts_with(['/', '*', '#'])
            && !line.contains("typedef")
            && !line.contains('(')
    });
    let defined = functions(SOURCE, |before| before.ends_with("extern \"C\" fn "));
    assert!(defined.len() >= 14, "{defined:?}");
    assert_eq!(declared, defined, "springboard.h and src/lib.rs disagree");

    let library = profile_dir().join("libspringboard.so");
    let nm = Command::new("nm")
        .args(["-D", "--defined-only"])
        .arg(&library)
        .output()
        .expect("nm runs");
    let exported = String::from_utf8_lossy(&nm.stdout);
    for name in defined.keys() {
        assert!(
            exported.lines().any(|l| l.ends_with(&format!(" {name}"))),
            "{name} is not exported by {}",
            library.display()
        );
    }
}

/// Builds `examples/NAME.c` against the header and -lspringboard (with `extra` gcc
/// arguments), runs it, and returns its stdout after checking it succeeded.
fn run_example(name: &str, extra: &[&str]) -> String {
    let dir = profile_dir();
    let manifest = env!("CARGO_MANIFEST_DIR");
    let exe = std::env::temp_dir().join(format!("springboard-{name}-{}", std::process::id()));
    let cc = Command::new("gcc")
        .args(["-Wall", "-W", "-Werror", "-I"])
        .arg(format!("{manifest}/include"))
        .arg(format!("{manifest}/examples/{name}.c"))
        .arg("-o")
        .arg(&exe)
        .arg("-L")
        .arg(&dir)
        .arg("-lspringboard")
        .args(extra)
        .status()
        .expect("gcc runs");
    assert!(cc.success(), "{name}.c does not build");
    let output = Command::new(&exe)
        .env("LD_LIBRARY_PATH", &dir)
        .output()
        .expect("the example runs");
    let _ = std::fs::remove_file(&exe);
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

#[test]
fn c_example_runs_against_libspringboard() {
    let stdout = run_example("demo", &[]);
    assert!(
        stdout.contains("error at 6: at byte 6: expected a type, found `i33`"),
        "{stdout}"
    );
    assert!(stdout.contains("downcall -298\n"), "{stdout}");
    assert!(stdout.contains("sorted -3 0 2 5 9 after"), "{stdout}");
    assert!(stdout.contains("object ELF\n"), "{stdout}");
    assert!(stdout.contains("fast call 42\n"), "{stdout}");
    assert!(stdout.contains("boundaries recorded\n"), "{stdout}");
}

#[test]
fn c_threads_share_one_engine() {
    let stdout = run_example("threads", &["-pthread"]);
    // 8 threads x 100 rounds x 8 checks.
    assert!(stdout.contains("threads ok 6400\n"), "{stdout}");
}
