//! Callbacks called by gcc-compiled C: lifetime (100,000 alive, drop, leak), threads,
//! panics (abort in a child process, or zero and record), and real C consumers (qsort,
//! bsearch, sqlite3_exec).

mod common;

use springboard::{CallbackForm, CallbackOptions, Engine, OnPanic, Signature, Slot, Value};
use std::ffi::{c_void, CStr};
use std::process::Command;
use std::sync::{Arc, OnceLock};

const C_CALLERS: &str = include_str!("c/binary_callers.c");

fn callers() -> &'static common::CLibrary {
    static LIBRARY: OnceLock<common::CLibrary> = OnceLock::new();
    LIBRARY.get_or_init(|| common::build_c_library("callback_callers", C_CALLERS))
}

fn call_binary(callback: *const c_void, a: i32, b: i32) -> i32 {
    // SAFETY: the C helper has this type; `callback` is a live (i32, i32) -> i32.
    unsafe {
        let f: extern "C" fn(*const c_void, i32, i32) -> i32 =
            std::mem::transmute(callers().symbol("call_binary"));
        f(callback, a, b)
    }
}

fn fold_binary(callback: *const c_void, n: i64, seed: i32) -> i64 {
    // SAFETY: as above.
    unsafe {
        let f: extern "C" fn(*const c_void, i64, i32) -> i64 =
            std::mem::transmute(callers().symbol("fold_binary"));
        f(callback, n, seed)
    }
}

/// The fold `fold_binary` computes, for a callback computing `f`.
fn expected_fold(n: i64, seed: i32, f: impl Fn(i32, i32) -> i32) -> i64 {
    (0..n).fold(0i64, |acc, i| {
        acc.wrapping_mul(31)
            .wrapping_add(i64::from(f(i as i32, (i as i32) ^ seed)))
    })
}

/// A raw handler: `a * 3 - b + context`.
unsafe extern "C" fn affine(context: *mut c_void, args: *mut Slot, result: *mut Slot) {
    let (a, b) = unsafe { ((*args).as_i32(), (*args.add(1)).as_i32()) };
    let value = a
        .wrapping_mul(3)
        .wrapping_sub(b)
        .wrapping_add(context as i32);
    unsafe { result.cast::<Slot>().write(Slot::from_i32(value)) };
}

/// An integer carried as a handler's context pointer.
fn context(value: usize) -> *mut c_void {
    std::ptr::without_provenance_mut(value)
}

fn binary() -> Signature {
    "(i32, i32) -> i32".parse().unwrap()
}

#[test]
fn a_hundred_thousand_live_callbacks_are_all_callable_and_correct() {
    let engine = Engine::new().unwrap();
    let callbacks: Vec<_> = (0..100_000usize)
        .map(|i| engine.callback_raw(&binary(), affine, context(i)).unwrap())
        .collect();
    let distinct: std::collections::HashSet<_> = callbacks.iter().map(|c| c.code()).collect();
    assert_eq!(
        distinct.len(),
        callbacks.len(),
        "every callback has its own pointer"
    );
    for (i, callback) in callbacks.iter().enumerate() {
        let (a, b) = (i as i32 - 7, 11);
        assert_eq!(
            call_binary(callback.code(), a, b),
            a * 3 - b + i as i32,
            "callback {i}"
        );
    }
    assert_eq!(engine.cached(), 1, "one signature, compiled once");
    let live = engine.memory_stats().live_bytes;
    drop(callbacks);
    let after = engine.memory_stats().live_bytes;
    assert!(
        after * 20 < live,
        "dropping freed the instances: {live} -> {after} bytes"
    );
}

#[test]
fn dropped_instances_are_reused_and_leaked_ones_stay_valid() {
    let engine = Engine::new().unwrap();
    let first = engine.callback_raw(&binary(), affine, context(1)).unwrap();
    let address = first.code();
    drop(first);
    let second = engine.callback_raw(&binary(), affine, context(2)).unwrap();
    assert_eq!(
        second.code(),
        address,
        "the freed instance is claimed again"
    );
    assert_eq!(call_binary(second.code(), 10, 1), 31);
    let permanent = engine
        .callback(&binary(), |args| match (&args[0], &args[1]) {
            (Value::I32(a), Value::I32(b)) => Value::I32(a - b),
            _ => unreachable!(),
        })
        .unwrap()
        .leak();
    engine.clear_cache();
    drop(second);
    assert_eq!(call_binary(permanent, 10, 4), 6);
}

#[test]
fn closures_see_and_return_every_kind_of_value() {
    let engine = Engine::new().unwrap();
    let signature: Signature = "(i8, f64, u16, f32, i64, i32, i32, i32, i32, f64) -> i64"
        .parse()
        .unwrap();
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    let callback = engine
        .callback(&signature, move |args| {
            *record.lock().unwrap() = args.to_vec();
            Value::I64(-42)
        })
        .unwrap();
    // SAFETY: call_mixed takes a function of exactly this signature.
    let result = unsafe {
        let f: extern "C" fn(*const c_void) -> i64 =
            std::mem::transmute(callers().symbol("call_mixed"));
        f(callback.code())
    };
    assert_eq!(result, -42);
    assert_eq!(
        *seen.lock().unwrap(),
        [
            Value::I8(-5),
            Value::F64(2.5),
            Value::U16(65535),
            Value::F32(-0.75),
            Value::I64(-1234567890123),
            Value::I32(1),
            Value::I32(2),
            Value::I32(3),
            Value::I32(4),
            Value::F64(1e100)
        ]
    );
}

#[test]
fn eight_threads_call_callbacks_a_million_times_each() {
    let engine = Engine::new().unwrap();
    let shared = Arc::new(engine.callback_raw(&binary(), affine, context(5)).unwrap());
    let workers: Vec<_> = (0..8)
        .map(|thread| {
            let engine = engine.clone();
            let shared = Arc::clone(&shared);
            std::thread::spawn(move || {
                // Half the calls through a callback every thread shares, half through
                // the thread's own, created while the others run.
                let own = engine
                    .callback_raw(&binary(), affine, context(100 + thread))
                    .unwrap();
                let seed = thread as i32 * 7919;
                let n = 500_000;
                let got = fold_binary(shared.code(), n, seed);
                assert_eq!(got, expected_fold(n, seed, |a, b| a * 3 - b + 5));
                let got = fold_binary(own.code(), n, seed);
                let context = 100 + thread as i32;
                assert_eq!(got, expected_fold(n, seed, |a, b| a * 3 - b + context));
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
}

/// Runs this test binary again with one test selected and `SPRINGBOARD_CHILD` set, and
/// returns its exit status and stderr.
fn run_child(test: &str) -> (std::process::ExitStatus, String) {
    let output = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", test, "--nocapture", "--test-threads=1"])
        .env("SPRINGBOARD_CHILD", "1")
        .output()
        .unwrap();
    (
        output.status,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn is_child() -> bool {
    std::env::var_os("SPRINGBOARD_CHILD").is_some()
}

#[test]
fn a_panicking_closure_aborts_with_a_message_by_default() {
    if is_child() {
        let engine = Engine::new().unwrap();
        let callback = engine
            .callback(&binary(), |_| panic!("the handler is broken"))
            .unwrap();
        call_binary(callback.code(), 1, 2);
        unreachable!("the callback aborts the process");
    }
    let (status, stderr) = run_child("a_panicking_closure_aborts_with_a_message_by_default");
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(libc::SIGABRT), "{status:?}\n{stderr}");
    assert!(
        stderr.contains("panicked: the handler is broken"),
        "{stderr}"
    );
    assert!(stderr.contains("aborting"), "{stderr}");
}

#[test]
fn a_callback_called_after_drop_aborts_with_a_message() {
    if is_child() {
        let engine = Engine::new().unwrap();
        let keep_chunk = engine
            .callback_raw(&binary(), affine, std::ptr::null_mut())
            .unwrap();
        let dropped = engine
            .callback_raw(&binary(), affine, std::ptr::null_mut())
            .unwrap();
        let stale = dropped.code();
        drop(dropped);
        call_binary(stale, 1, 2);
        drop(keep_chunk);
        unreachable!("the stale callback aborts the process");
    }
    let (status, stderr) = run_child("a_callback_called_after_drop_aborts_with_a_message");
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(libc::SIGABRT), "{status:?}\n{stderr}");
    assert!(
        stderr.contains("called after its handle was dropped"),
        "{stderr}"
    );
}

#[test]
fn return_zero_records_the_panic_for_the_runtime() {
    let engine = Engine::new().unwrap();
    let options = CallbackOptions {
        on_panic: OnPanic::ReturnZero,
    };
    let callback = engine
        .callback_with(&binary(), options, |args| {
            if args[0] == Value::I32(13) {
                panic!("unlucky");
            }
            Value::I32(1)
        })
        .unwrap();
    assert_eq!(call_binary(callback.code(), 12, 0), 1);
    assert!(callback.take_panic().is_none());
    assert_eq!(call_binary(callback.code(), 13, 0), 0);
    let payload = callback.take_panic().expect("the panic is recorded");
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"unlucky"));
    assert!(callback.take_panic().is_none(), "taking clears it");
    // A result of the wrong type is not garbage handed to C: the zero value, and an
    // error for the runtime (not a panic).
    let wrong = engine
        .callback_with(&binary(), options, |_| Value::F64(1.0))
        .unwrap();
    assert_eq!(call_binary(wrong.code(), 1, 1), 0);
    assert!(wrong.take_panic().is_none());
    let error = wrong.take_error().unwrap();
    assert!(error.to_string().contains("expected i32"), "{error}");
}

unsafe extern "C" fn compare_ints_handler(_: *mut c_void, args: *mut Slot, result: *mut Slot) {
    let (a, b) = unsafe { (*(*args).as_ptr::<i32>(), *(*args.add(1)).as_ptr::<i32>()) };
    unsafe {
        result
            .cast::<Slot>()
            .write(Slot::from_i32((a > b) as i32 - (a < b) as i32))
    };
}

fn libc_function(name: &str) -> *const c_void {
    let name = std::ffi::CString::new(name).unwrap();
    // SAFETY: dlsym on the default namespace with a valid C string.
    let address = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
    assert!(!address.is_null());
    address
}

#[test]
fn qsort_sorts_a_million_ints_and_bsearch_finds_them() {
    let engine = Engine::new().unwrap();
    let comparator = engine
        .callback_raw(
            &"(ptr, ptr) -> i32".parse().unwrap(),
            compare_ints_handler,
            std::ptr::null_mut(),
        )
        .unwrap();
    let mut rng = common::Rng(0x5eed);
    let mut values: Vec<i32> = (0..1_000_000).map(|_| rng.next_u64() as i32).collect();
    let mut expected = values.clone();
    expected.sort_unstable();
    type Qsort = unsafe extern "C" fn(*mut c_void, usize, usize, *const c_void);
    type Bsearch = unsafe extern "C" fn(
        *const c_void,
        *const c_void,
        usize,
        usize,
        *const c_void,
    ) -> *mut c_void;
    // SAFETY: libc's qsort and bsearch, with a comparator of their comparator type.
    unsafe {
        let qsort: Qsort = std::mem::transmute(libc_function("qsort"));
        qsort(
            values.as_mut_ptr().cast(),
            values.len(),
            4,
            comparator.code(),
        );
        assert!(
            values == expected,
            "qsort through the callback did not sort"
        );
        let bsearch: Bsearch = std::mem::transmute(libc_function("bsearch"));
        for key in [expected[0], expected[123_456], expected[999_999]] {
            let found = bsearch(
                (&key as *const i32).cast(),
                values.as_ptr().cast(),
                values.len(),
                4,
                comparator.code(),
            );
            assert!(!found.is_null());
            assert_eq!(*found.cast::<i32>(), key);
        }
        let absent = (0..).find(|k| expected.binary_search(k).is_err()).unwrap();
        let found = bsearch(
            (&absent as *const i32).cast(),
            values.as_ptr().cast(),
            values.len(),
            4,
            comparator.code(),
        );
        assert!(found.is_null(), "{absent} is not in the array");
    }
}

#[test]
fn sqlite3_exec_calls_the_row_callback_for_every_row() {
    // SAFETY: the system SQLite library; installed by scripts/install-test-deps.sh.
    let sqlite = unsafe { libloading::Library::new("libsqlite3.so.0") }
        .expect("libsqlite3.so.0 (apt package libsqlite3-0) must be installed");
    let engine = Engine::new().unwrap();
    let rows = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = Arc::clone(&rows);
    // int (*callback)(void *user, int columns, char **values, char **names)
    let row_callback = engine
        .callback(
            &"(ptr, i32, ptr, ptr) -> i32".parse().unwrap(),
            move |args| {
                let (Value::Ptr(user), Value::I32(columns), Value::Ptr(values)) =
                    (&args[0], &args[1], &args[2])
                else {
                    unreachable!("the signature fixes the types")
                };
                assert_eq!(*user as usize, 0xfeed);
                let values = *values as *const *const std::ffi::c_char;
                let row: Vec<String> = (0..*columns as usize)
                    // SAFETY: sqlite3_exec passes `columns` NUL-terminated strings.
                    .map(|i| {
                        unsafe { CStr::from_ptr(*values.add(i)) }
                            .to_string_lossy()
                            .into_owned()
                    })
                    .collect();
                seen.lock().unwrap().push(row);
                Value::I32(0)
            },
        )
        .unwrap();
    type Open = unsafe extern "C" fn(*const std::ffi::c_char, *mut *mut c_void) -> i32;
    type Exec = unsafe extern "C" fn(
        *mut c_void,
        *const std::ffi::c_char,
        *const c_void,
        *mut c_void,
        *mut *mut std::ffi::c_char,
    ) -> i32;
    type Close = unsafe extern "C" fn(*mut c_void) -> i32;
    // SAFETY: SQLite's C API with its documented types.
    unsafe {
        let open: libloading::Symbol<Open> = sqlite.get(b"sqlite3_open").unwrap();
        let exec: libloading::Symbol<Exec> = sqlite.get(b"sqlite3_exec").unwrap();
        let close: libloading::Symbol<Close> = sqlite.get(b"sqlite3_close").unwrap();
        let mut db = std::ptr::null_mut();
        assert_eq!(open(c":memory:".as_ptr(), &mut db), 0);
        let sql = c"CREATE TABLE t(n INTEGER, name TEXT);
                    INSERT INTO t VALUES (1, 'one'), (2, 'two'), (3, 'three');
                    SELECT n * 10, name FROM t ORDER BY n;";
        let status = exec(
            db,
            sql.as_ptr(),
            row_callback.code(),
            context(0xfeed),
            std::ptr::null_mut(),
        );
        assert_eq!(status, 0);
        assert_eq!(close(db), 0);
    }
    assert_eq!(
        *rows.lock().unwrap(),
        [["10", "one"], ["20", "two"], ["30", "three"]]
    );
}

/// A bound handler: `a * 3 - b + context`, the context its first parameter.
extern "C" fn affine_bound(context: *mut c_void, a: i32, b: i32) -> i32 {
    a.wrapping_mul(3)
        .wrapping_sub(b)
        .wrapping_add(context as usize as i32)
}

#[test]
fn factories_create_callbacks_of_their_form_and_refuse_the_other() {
    let engine = Engine::new().unwrap();
    let raw = engine.callback_raw_factory(&binary()).unwrap();
    let bound = engine.callback_bound_factory(&binary()).unwrap();
    assert_eq!(
        (raw.form(), bound.form()),
        (CallbackForm::Array, CallbackForm::Bound)
    );
    assert_eq!(raw.signature(), &binary());
    let callbacks: Vec<_> = (0..300usize)
        .map(|i| {
            if i % 2 == 0 {
                raw.create(affine, context(i)).unwrap()
            } else {
                let handler = affine_bound as *const c_void;
                bound.create_bound(handler, context(i)).unwrap()
            }
        })
        .collect();
    for (i, callback) in callbacks.iter().enumerate() {
        let (a, b) = (i as i32 + 5, -3);
        assert_eq!(
            call_binary(callback.code(), a, b),
            a * 3 - b + i as i32,
            "callback {i}"
        );
    }
    // The factories share the engine's pools: one per form.
    assert_eq!(engine.cached(), 2);
    let wrong = bound.create(affine, context(0)).unwrap_err().to_string();
    assert!(wrong.contains("makes context-binding callbacks"), "{wrong}");
    let wrong = raw
        .create_bound(affine_bound as *const c_void, context(0))
        .unwrap_err()
        .to_string();
    assert!(wrong.contains("makes array-handler callbacks"), "{wrong}");
}

#[test]
fn a_bound_callback_called_after_drop_aborts_with_a_message() {
    if is_child() {
        let engine = Engine::new().unwrap();
        let handler = affine_bound as *const c_void;
        let keep_chunk = engine
            .callback_bound(&binary(), handler, context(0))
            .unwrap();
        let dropped = engine
            .callback_bound(&binary(), handler, context(0))
            .unwrap();
        let stale = dropped.code();
        drop(dropped);
        call_binary(stale, 1, 2);
        drop(keep_chunk);
        unreachable!("the stale callback aborts the process");
    }
    let (status, stderr) = run_child("a_bound_callback_called_after_drop_aborts_with_a_message");
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(status.signal(), Some(libc::SIGABRT), "{status:?}\n{stderr}");
    assert!(
        stderr.contains("called after its handle was dropped"),
        "{stderr}"
    );
}

#[test]
fn a_batch_created_after_a_batch_was_dropped_reuses_its_instances() {
    let engine = Engine::new().unwrap();
    let factory = engine.callback_raw_factory(&binary()).unwrap();
    let batch = |offset: usize| -> Vec<_> {
        (0..1000usize)
            .map(|i| factory.create(affine, context(i + offset)).unwrap())
            .collect()
    };
    let first = batch(0);
    let addresses: std::collections::HashSet<_> = first.iter().map(|c| c.code()).collect();
    let live = engine.memory_stats().live_bytes;
    drop(first);
    let second = batch(7);
    let reused: std::collections::HashSet<_> = second.iter().map(|c| c.code()).collect();
    assert!(
        reused == addresses,
        "the second batch runs on the first one's code: {} of {} addresses reused",
        reused.intersection(&addresses).count(),
        addresses.len()
    );
    assert_eq!(
        engine.memory_stats().live_bytes,
        live,
        "nothing installed again"
    );
    for (i, callback) in second.iter().enumerate() {
        assert_eq!(
            call_binary(callback.code(), 2, 1),
            5 + (i + 7) as i32,
            "callback {i}"
        );
    }
}

#[test]
fn bound_callbacks_pass_and_return_x87_long_double_exactly() {
    let library =
        common::build_c_library("bound_long_double", include_str!("c/bound_long_double.c"));
    let engine = Engine::new().unwrap();
    let cases = [
        ("(f80, i32) -> f80", "sb_bound_ld", "sb_check_ld"),
        (
            "({f80}, f80) -> {f80}",
            "sb_bound_ld_box",
            "sb_check_ld_box",
        ),
    ];
    for (signature, handler, checker) in cases {
        for context in [1usize, 16] {
            let callback = engine
                .callback_bound(
                    &signature.parse().unwrap(),
                    library.symbol(handler),
                    context as *mut c_void,
                )
                .unwrap();
            // SAFETY: the checkers are `int32_t (const void *, uintptr_t)`; the callback
            // is live and has the prototype the checker calls it through.
            let exact = unsafe {
                let check: extern "C" fn(*const c_void, usize) -> i32 =
                    std::mem::transmute(library.symbol(checker));
                check(callback.code(), context)
            };
            assert_eq!(exact, 1, "{signature}, context {context:#x}");
        }
    }
}
