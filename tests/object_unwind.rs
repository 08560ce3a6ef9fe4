//! Unwind information in emitted objects: the sections are there for every format,
//! and C++ exceptions pass through emitted downcalls and callbacks once the object is
//! linked, on the host (x86-64) and for aarch64 and riscv64 under qemu. Each throw test also
//! strips `.eh_frame` from the object with objcopy and checks that the same program
//! then dies in `std::terminate`. The tools come from scripts/install-test-deps.sh; a
//! missing tool fails the test, never skips it.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The items tests/cross/unwind_harness.cc links against.
const ITEMS: [&str; 2] = [
    "sb_down=downcall:(i32) -> i32",
    "sb_cb=callback:(i32) -> i32",
];

fn output(command: &mut Command) -> Output {
    command.output().unwrap_or_else(|e| {
        panic!("cannot run {command:?} (run scripts/install-test-deps.sh): {e}")
    })
}

fn run(command: &mut Command) -> String {
    let output = output(command);
    assert!(
        output.status.success(),
        "{command:?} failed: {}\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn emit(target: &str, object: &Path, items: &[&str]) {
    run(Command::new(env!("CARGO_BIN_EXE_springboard"))
        .args(["emit", "--target", target, "-o"])
        .arg(object)
        .args(items));
}

/// How one architecture builds and runs the throw harness.
struct Toolchain {
    target: &'static str,
    cxx: &'static str,
    objcopy: &'static str,
    /// The emulator and its arguments, or nothing for the host.
    runner: &'static [&'static str],
}

/// Emits the harness's object for `toolchain`, links it with the C++ harness and runs
/// it: once as emitted, once with `.eh_frame` removed.
fn throw_through(toolchain: &Toolchain, name: &str) -> (Output, Output) {
    let dir = dir(name);
    let object = dir.join("trampolines.o");
    emit(toolchain.target, &object, &ITEMS);
    let stripped = dir.join("stripped.o");
    run(Command::new(toolchain.objcopy)
        .args(["--remove-section", ".eh_frame"])
        .arg(&object)
        .arg(&stripped));
    let harness = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cross/unwind_harness.cc");
    let [with, without] = [&object, &stripped].map(|object| {
        let executable = object.with_extension("exe");
        run(Command::new(toolchain.cxx)
            .args(["-std=c++17", "-O1", "-Wall", "-o"])
            .arg(&executable)
            .arg(&harness)
            .arg(object));
        let mut command = match toolchain.runner.split_first() {
            Some((emulator, args)) => {
                let mut command = Command::new(emulator);
                command.args(args).arg(&executable);
                command
            }
            None => Command::new(&executable),
        };
        output(&mut command)
    });
    (with, without)
}

fn assert_throws_are_caught(toolchain: &Toolchain, name: &str) {
    let (with, without) = throw_through(toolchain, name);
    let text = |output: &Output| {
        format!(
            "{}\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    };
    assert!(with.status.success(), "{}", text(&with));
    assert_eq!(String::from_utf8_lossy(&with.stdout), "caught 3\n");
    // Without the section the unwinder finds no frame for the downcall: terminate.
    assert!(!without.status.success(), "{}", text(&without));
    assert!(
        String::from_utf8_lossy(&without.stderr).contains("terminate called"),
        "{}",
        text(&without)
    );
}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
#[test]
fn cxx_exceptions_pass_through_an_emitted_x86_64_object() {
    let host = Toolchain {
        target: "x86_64-unknown-linux-gnu",
        cxx: "g++",
        objcopy: "objcopy",
        runner: &[],
    };
    assert_throws_are_caught(&host, "object-unwind-x86_64");
}

#[test]
fn cxx_exceptions_pass_through_an_emitted_aarch64_object_under_qemu() {
    let aarch64 = Toolchain {
        target: "aarch64-unknown-linux-gnu",
        cxx: "aarch64-linux-gnu-g++",
        objcopy: "aarch64-linux-gnu-objcopy",
        runner: &["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"],
    };
    assert_throws_are_caught(&aarch64, "object-unwind-aarch64");
}

#[test]
fn cxx_exceptions_pass_through_an_emitted_riscv64_object_under_qemu() {
    let riscv64 = Toolchain {
        target: "riscv64gc-unknown-linux-gnu",
        cxx: "riscv64-linux-gnu-g++",
        objcopy: "riscv64-linux-gnu-objcopy",
        runner: &["qemu-riscv64", "-L", "/usr/riscv64-linux-gnu"],
    };
    assert_throws_are_caught(&riscv64, "object-unwind-riscv64");
}

/// Every kind on every ELF target: one FDE per function, as readelf decodes them, each
/// starting at its function (a relocation against its symbol).
#[test]
fn elf_objects_have_an_fde_per_function() {
    let items = [
        "f_down=downcall:(i32, i8) -> i16",
        "f_cb=callback:(ptr, f64) -> i32",
        "f_fast=fastcall(c_callee):(i32) -> i32",
        "f_enter=entry:(ptr, i32) -> i32",
        "f_exit=exit(c_host):(ptr, i32) -> i32",
    ];
    for target in [
        "x86_64-unknown-linux-gnu",
        "aarch64-unknown-linux-gnu",
        "riscv64gc-unknown-linux-gnu",
    ] {
        let object = dir("object-unwind-frames").join(format!("{target}.o"));
        emit(target, &object, &items);
        let frames = run(Command::new("readelf")
            .arg("--debug-dump=frames")
            .arg(&object));
        assert_eq!(frames.matches(" CIE").count(), 1, "{target}:\n{frames}");
        assert_eq!(
            frames.matches(" FDE ").count(),
            items.len(),
            "{target}:\n{frames}"
        );
        let relocations = run(Command::new("readelf").arg("-r").arg(&object));
        let section = relocations
            .split("Relocation section '.rela.eh_frame'")
            .nth(1)
            .unwrap_or_else(|| panic!("{target}: no .rela.eh_frame:\n{relocations}"));
        for item in items {
            let symbol = item.split('=').next().unwrap();
            assert!(
                section.contains(&format!(" {symbol} + 0")),
                "{target}: no FDE relocation against {symbol}:\n{section}"
            );
        }
    }
}

/// COFF: `.pdata` with a 12-byte entry per function and `.xdata` with the records.
#[test]
fn coff_objects_have_pdata_and_xdata() {
    let object = dir("object-unwind-coff").join("win64.o");
    emit(
        "x86_64-pc-windows-msvc",
        &object,
        &[
            "w_down=downcall:(i32) -> i32",
            "w_cb=callback:(i32, f64) -> i32",
        ],
    );
    let headers = run(Command::new("objdump").arg("-h").arg(&object));
    let size_of = |name: &str| {
        headers
            .lines()
            .find(|line| line.split_whitespace().nth(1) == Some(name))
            .and_then(|line| line.split_whitespace().nth(2))
            .map(|size| u64::from_str_radix(size, 16).unwrap())
            .unwrap_or_else(|| panic!("no {name}:\n{headers}"))
    };
    assert_eq!(size_of(".pdata"), 24, "{headers}");
    assert!(size_of(".xdata") >= 16, "{headers}");
    let relocations = run(Command::new("objdump").arg("-r").arg(&object));
    assert_eq!(
        relocations.matches("IMAGE_REL_AMD64_ADDR32NB").count(),
        6,
        "{relocations}"
    );
}
