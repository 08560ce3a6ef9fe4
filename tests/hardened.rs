//! Hardened hosts: a process under Linux's MDWE (`prctl(PR_SET_MDWE,
//! PR_MDWE_REFUSE_EXEC_GAIN)`, what systemd's `MemoryDenyWriteExecute=` sets) may not
//! make any mapping executable after the fact. springboard's code memory then uses a
//! memfd mapped read-execute from the start. Each test runs its work in a child
//! process that turned MDWE on before it started (the flag is inherited and cannot be
//! turned off again).
#![cfg(target_os = "linux")]

use springboard::{CodeBacking, Engine, Signature, Value};
use std::os::unix::process::CommandExt;
use std::process::{Command, Output};

/// `PR_SET_MDWE` and `PR_MDWE_REFUSE_EXEC_GAIN` (linux/prctl.h).
const PR_SET_MDWE: libc::c_int = 65;
const PR_MDWE_REFUSE_EXEC_GAIN: libc::c_ulong = 1;

/// Set in the child that does a test's work.
const CHILD: &str = "SPRINGBOARD_HARDENED_CHILD";

/// Runs `command` with MDWE's refuse-exec-gain on from its start.
fn run_under_mdwe(mut command: Command) -> Output {
    // SAFETY: prctl is async-signal-safe; nothing else runs between fork and exec.
    unsafe {
        command.pre_exec(|| {
            if libc::prctl(PR_SET_MDWE, PR_MDWE_REFUSE_EXEC_GAIN, 0, 0, 0) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    command.output().expect("start the child under MDWE")
}

/// Runs the test `name` of this binary again in a child under MDWE, with [`CHILD`]
/// set, and asserts that it passed.
fn in_child_under_mdwe(name: &str) {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, "1");
    let output = run_under_mdwe(command);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "child {name}: {}\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Whether MDWE is really on in this process (the child checks it did not run
/// without it).
fn mdwe_is_on() -> bool {
    /// `PR_GET_MDWE`.
    const PR_GET_MDWE: libc::c_int = 66;
    // SAFETY: reads this process's flags.
    let flags = unsafe { libc::prctl(PR_GET_MDWE, 0, 0, 0, 0) };
    flags > 0 && flags as libc::c_ulong & PR_MDWE_REFUSE_EXEC_GAIN != 0
}

extern "C" fn add(a: i32, b: i32) -> i32 {
    a + b
}

#[test]
fn downcalls_and_callbacks_work_under_mdwe() {
    if std::env::var_os(CHILD).is_none() {
        return in_child_under_mdwe("downcalls_and_callbacks_work_under_mdwe");
    }
    assert!(mdwe_is_on(), "the child must run under MDWE");
    // What the anonymous backing does is refused here, which is why the memfd exists.
    // SAFETY: a fresh private mapping; only its protection is changed.
    let refused = unsafe {
        let page = libc::mmap(
            std::ptr::null_mut(),
            4096,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
            -1,
            0,
        );
        assert_ne!(page, libc::MAP_FAILED);
        let result = libc::mprotect(page, 4096, libc::PROT_READ | libc::PROT_EXEC);
        libc::munmap(page, 4096);
        result != 0
    };
    assert!(refused, "MDWE lets a writable mapping gain exec");

    let engine = Engine::new().unwrap();
    assert_eq!(engine.code_backing(), CodeBacking::Memfd);
    let signature: Signature = "(i32, i32) -> i32".parse().unwrap();
    let downcall = engine.downcall(&signature).unwrap();
    let callback = engine
        .callback(&signature, |args| match (&args[0], &args[1]) {
            (Value::I32(a), Value::I32(b)) => Value::I32(a * b),
            _ => Value::Void,
        })
        .unwrap();
    // Enough signatures to fill several pages, compiled one at a time: every install
    // after the first writes into a page that holds live code.
    let many: Vec<_> = (0..200)
        .map(|i: u32| {
            // 200 distinct signatures: five parameters, each from a digit of `i` in
            // base 3.
            let params: Vec<&str> = (0..5)
                .map(|digit| ["i32", "i64", "f64"][(i / 3u32.pow(digit) % 3) as usize])
                .collect();
            let text = format!("({}) -> i64", params.join(", "));
            engine.downcall(&text.parse().unwrap()).unwrap()
        })
        .collect();
    assert!(
        engine.memory_stats().pages >= 3,
        "{:?}",
        engine.memory_stats()
    );
    for _ in 0..3 {
        // SAFETY: `add` has this signature.
        let sum = unsafe { downcall.call(add as *const _, &[Value::I32(2), Value::I32(40)]) };
        assert_eq!(sum.unwrap(), Value::I32(42));
        // SAFETY: the callback has this signature and is alive.
        let multiply = unsafe { callback.as_fn::<extern "C" fn(i32, i32) -> i32>() }.unwrap();
        assert_eq!(multiply(6, 7), 42);
        // SAFETY: as above.
        let through = unsafe { downcall.call(callback.code(), &[Value::I32(3), Value::I32(5)]) };
        assert_eq!(through.unwrap(), Value::I32(15));
    }
    drop(many);
    // Freed code memory is reused for new code.
    let again = engine.downcall(&"(f64) -> f64".parse().unwrap()).unwrap();
    extern "C" fn half(x: f64) -> f64 {
        x / 2.0
    }
    // SAFETY: `half` has this signature.
    let result = unsafe { again.call(half as *const _, &[Value::F64(5.0)]) };
    assert_eq!(result.unwrap(), Value::F64(2.5));
}

#[test]
fn the_cli_calls_libm_under_mdwe() {
    let mut command = Command::new(env!("CARGO_BIN_EXE_springboard"));
    command.args(["call", "libm.so.6", "cos", "(f64) -> f64", "0"]);
    let output = run_under_mdwe(command);
    assert!(
        output.status.success(),
        "{}: {}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "1.0");
}
