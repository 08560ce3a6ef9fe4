//! Errno downcalls against gcc-compiled C and the real C library: the trampoline
//! copies `errno` right after the callee returns (and, in set-and-capture mode, sets
//! it from the place right before the call).
#![cfg(target_os = "linux")]

mod common;

use springboard::{Engine, ErrnoMode, Signature, Value};
use std::ffi::{c_int, c_long, c_void, CString};

fn library() -> common::CLibrary {
    common::build_c_library("errno", include_str!("c/errno.c"))
}

fn signature(text: &str) -> Signature {
    text.parse().unwrap()
}

/// The thread's errno, read from Rust.
fn errno_now() -> c_int {
    std::io::Error::last_os_error().raw_os_error().unwrap()
}

/// A value no test expects in the place: it shows the place was written.
const UNTOUCHED: c_int = -12345;

#[test]
fn capture_inside_the_trampoline_survives_the_runtime_work_after_it() {
    let lib = library();
    let engine = Engine::new().unwrap();
    let fail = lib.symbol("sb_fail_with");
    let work = lib.symbol("sb_runtime_work");
    let work_downcall = engine.downcall(&signature("() -> i32")).unwrap();
    let plain = engine.downcall(&signature("(i32) -> i32")).unwrap();
    let capturing = engine
        .errno_downcall(&signature("(i32) -> i32"), ErrnoMode::Capture)
        .unwrap();
    // SAFETY (all calls below): the callees have these signatures.
    let runtime_work = || unsafe { work_downcall.call(work, &[]).unwrap() };

    // Reading errno afterwards: the runtime's work in between has overwritten it.
    let result = unsafe { plain.call(fail, &[Value::I32(libc::ENOENT)]) }.unwrap();
    assert_eq!(result, Value::I32(-1));
    assert_eq!(runtime_work(), Value::I32(-1));
    assert_eq!(
        errno_now(),
        libc::EBADF,
        "the late read sees the runtime's errno"
    );

    // Captured in the trampoline: the callee's value, whatever runs after.
    let mut place = UNTOUCHED;
    let result = unsafe { capturing.call(fail, &[Value::I32(libc::ENOENT)], &mut place) };
    assert_eq!(result.unwrap(), Value::I32(-1));
    assert_eq!(runtime_work(), Value::I32(-1));
    assert_eq!(errno_now(), libc::EBADF);
    assert_eq!(place, libc::ENOENT, "the callee's errno, captured");
    // Capture mode does not set errno before the call: the callee's value is its own.
    let mut place = UNTOUCHED;
    let result = unsafe { capturing.call(fail, &[Value::I32(libc::EACCES)], &mut place) };
    assert_eq!((result.unwrap(), place), (Value::I32(-1), libc::EACCES));
}

#[test]
fn strtol_overflow_is_erange() {
    let engine = Engine::new().unwrap();
    let strtol = libc::strtol as *const c_void;
    let text = signature("(ptr, ptr, i32) -> i64");
    let capture = engine.errno_downcall(&text, ErrnoMode::Capture).unwrap();
    let set = engine
        .errno_downcall(&text, ErrnoMode::SetAndCapture)
        .unwrap();
    let call = |downcall: &springboard::ErrnoDowncall, digits: &str, place: &mut c_int| {
        let digits = CString::new(digits).unwrap();
        let args = [
            Value::Ptr(digits.as_ptr() as *mut c_void),
            Value::Ptr(std::ptr::null_mut()),
            Value::I32(10),
        ];
        // SAFETY: strtol's signature; the string lives across the call.
        unsafe { downcall.call(strtol, &args, place) }.unwrap()
    };
    let mut place = UNTOUCHED;
    let overflow = call(&capture, "99999999999999999999999", &mut place);
    assert_eq!((overflow, place), (Value::I64(c_long::MAX), libc::ERANGE));
    // strtol leaves errno alone on success: set-and-capture starts it at the place's 0
    // (errno is still ERANGE from the call above, or whatever ran since).
    let mut place = 0;
    let parsed = call(&set, "12345", &mut place);
    assert_eq!((parsed, place), (Value::I64(12345), 0));
    let mut place = 0;
    let underflow = call(&set, "-99999999999999999999999", &mut place);
    assert_eq!((underflow, place), (Value::I64(c_long::MIN), libc::ERANGE));
}

#[test]
fn open_of_a_missing_path_is_enoent_fixed_and_variadic() {
    let engine = Engine::new().unwrap();
    let open = libc::open as *const c_void;
    let path = CString::new("/nonexistent/springboard/errno-test").unwrap();
    for text in ["(ptr, i32) -> i32", "(ptr, i32, ...; u32) -> i32"] {
        let downcall = engine
            .errno_downcall(&signature(text), ErrnoMode::Capture)
            .unwrap();
        let mut args = vec![
            Value::Ptr(path.as_ptr() as *mut c_void),
            Value::I32(libc::O_RDONLY),
        ];
        if text.contains("...") {
            args.push(Value::U32(0o644));
        }
        let mut place = UNTOUCHED;
        // SAFETY: open's signature (variadic with a mode); the path lives across it.
        let result = unsafe { downcall.call(open, &args, &mut place) }.unwrap();
        assert_eq!((result, place), (Value::I32(-1), libc::ENOENT), "`{text}`");
    }
}

#[test]
fn set_and_capture_sets_errno_before_the_call() {
    let lib = library();
    let engine = Engine::new().unwrap();
    let plus = lib.symbol("sb_errno_plus");
    let set = engine
        .errno_downcall(&signature("(i32) -> i32"), ErrnoMode::SetAndCapture)
        .unwrap();
    for (start, add) in [(7, 3), (0, 1), (-5, 5), (c_int::MAX - 1, 1)] {
        let mut place = start;
        // SAFETY: sb_errno_plus's signature.
        let seen = unsafe { set.call(plus, &[Value::I32(add)], &mut place) }.unwrap();
        assert_eq!(seen, Value::I32(start), "the callee saw the place's value");
        assert_eq!(place, start + add, "and its own value came back");
    }
    // Capture only: the callee sees whatever errno was, and the place gets its result.
    let capture = engine
        .errno_downcall(&signature("(i32) -> i32"), ErrnoMode::Capture)
        .unwrap();
    let mut place = UNTOUCHED;
    // SAFETY: as above.
    let seen = unsafe { capture.call(plus, &[Value::I32(4)], &mut place) }.unwrap();
    let Value::I32(seen) = seen else {
        panic!("an i32 result: {seen:?}")
    };
    assert_eq!(place, seen.wrapping_add(4));
}

#[test]
fn typed_errno_downcalls() {
    let lib = library();
    let engine = Engine::new().unwrap();
    let fail = engine
        .typed_errno_downcall::<extern "C" fn(i32) -> i32>(ErrnoMode::Capture)
        .unwrap();
    let mut place = UNTOUCHED;
    // SAFETY: sb_fail_with's signature.
    let result = unsafe { fail.call(lib.symbol("sb_fail_with"), (libc::EPERM,), &mut place) };
    assert_eq!((result, place), (-1, libc::EPERM));
    let plus = fail.downcall().typed::<(i32,), i32>().unwrap();
    let mut place = UNTOUCHED;
    // SAFETY: sb_fail_with's signature.
    let result = unsafe { plus.call(lib.symbol("sb_fail_with"), (libc::EIO,), &mut place) };
    assert_eq!((result, place), (-1, libc::EIO));
    assert!(fail.downcall().typed::<(i64,), i32>().is_err());
}

#[test]
fn a_rejected_call_leaves_the_place_alone() {
    let lib = library();
    let engine = Engine::new().unwrap();
    let downcall = engine
        .errno_downcall(&signature("(i32) -> i32"), ErrnoMode::SetAndCapture)
        .unwrap();
    let mut place = UNTOUCHED;
    // SAFETY: nothing is called: the argument has the wrong type.
    let err = unsafe { downcall.call(lib.symbol("sb_fail_with"), &[Value::I64(1)], &mut place) }
        .unwrap_err();
    assert!(err.to_string().contains("argument 0"), "{err}");
    assert_eq!(place, UNTOUCHED);
}

#[test]
fn memory_results_and_other_conventions() {
    let lib = library();
    let engine = Engine::new().unwrap();
    let three = engine
        .errno_downcall(&signature("(i32) -> {i64, i64, i64}"), ErrnoMode::Capture)
        .unwrap();
    let mut place = UNTOUCHED;
    // SAFETY: sb_fail_struct's signature.
    let result =
        unsafe { three.call(lib.symbol("sb_fail_struct"), &[Value::I32(5)], &mut place) }.unwrap();
    let fields = [Value::I64(5), Value::I64(10), Value::I64(15)];
    let expected = Value::structure(&"{i64, i64, i64}".parse().unwrap(), &fields).unwrap();
    assert_eq!((result, place), (expected, 5));
    let ms = engine
        .errno_downcall(&signature("win64 (i32) -> i32"), ErrnoMode::Capture)
        .unwrap();
    let mut place = UNTOUCHED;
    // SAFETY: sb_fail_with_ms's signature and convention.
    let result = unsafe { ms.call(lib.symbol("sb_fail_with_ms"), &[Value::I32(9)], &mut place) };
    assert_eq!((result.unwrap(), place), (Value::I32(-1), 9));
}

#[test]
fn raw_entry_point() {
    let lib = library();
    let engine = Engine::new().unwrap();
    let downcall = engine
        .errno_downcall(&signature("(i32) -> i32"), ErrnoMode::Capture)
        .unwrap();
    let args = [Value::I32(libc::ENOSPC).to_slot()];
    let mut result = springboard::Slot::default();
    let mut place: c_int = UNTOUCHED;
    // SAFETY: sb_fail_with's signature; one argument slot, a result slot, an int.
    unsafe {
        (downcall.as_raw())(
            lib.symbol("sb_fail_with"),
            args.as_ptr(),
            &mut result,
            &mut place,
        )
    };
    assert_eq!(
        Value::from_slot(&"i32".parse().unwrap(), result),
        Value::I32(-1)
    );
    assert_eq!(place, libc::ENOSPC);
}

#[test]
fn errno_downcalls_are_cached_apart_from_plain_ones() {
    let engine = Engine::new().unwrap();
    let text = signature("(i32) -> i32");
    let plain = engine.downcall(&text).unwrap().as_raw() as usize;
    let capture = engine.errno_downcall(&text, ErrnoMode::Capture).unwrap();
    let set = engine
        .errno_downcall(&text, ErrnoMode::SetAndCapture)
        .unwrap();
    let addresses = [plain, capture.as_raw() as usize, set.as_raw() as usize];
    assert!(
        addresses[0] != addresses[1]
            && addresses[1] != addresses[2]
            && addresses[0] != addresses[2],
        "three trampolines: {addresses:x?}"
    );
    let again = engine.errno_downcall(&text, ErrnoMode::Capture).unwrap();
    assert_eq!(again.as_raw() as usize, addresses[1], "from the cache");
    assert_eq!(
        (again.mode(), set.mode()),
        (ErrnoMode::Capture, ErrnoMode::SetAndCapture)
    );
    assert_eq!(again.signature(), &text);
    assert_eq!(again.name(), "springboard downcall (i32) -> i32");
    // The accessor call and the copy make it longer than the plain downcall.
    let plain_size = engine.downcall(&text).unwrap().code_size();
    assert!(
        again.code_size() > plain_size,
        "{} vs {plain_size}",
        again.code_size()
    );
}
