//! libspringboard: springboard's own C API, declared in `include/springboard.h`.
//!
//! Every object is an opaque pointer the caller frees with its `sb_*_free`; every
//! fallible function returns null (or a non-zero status) and, when `error` is not
//! null, stores a message the caller frees with [`sb_string_free`]. Engines are
//! thread-safe as the Rust [`Engine`] is: any thread may use one at a time or
//! concurrently, and objects made by one thread may be used and freed by another
//! (each object by one thread at a time). A panic never crosses into C: it becomes
//! an error.

#![allow(non_camel_case_types)]

use springboard::{
    emit_object, ArrayBoundary, ArrayEntry, Callback, Downcall, Engine, FastCall, NativeBoundary,
    NativeFunction, ObjectItem, RawArrayEntry, RawDowncall, RawHandler, Signature, Target,
};
use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// An engine: compiles and caches trampolines.
pub struct sb_engine(Engine);
/// A parsed signature.
pub struct sb_signature(Signature);
/// A compiled downcall trampoline.
pub struct sb_downcall(Downcall);
/// A live callback (a C function pointer while it lives).
pub struct sb_callback(Callback);
/// A compiled C function: a fast call's entry or a native-shaped boundary.
pub struct sb_native(NativeFunction);
/// A compiled array-shaped entry boundary.
pub struct sb_array_entry(ArrayEntry);

/// Stores `message` at `error` (when not null) for the caller to free.
///
/// # Safety
/// `error` is null or writable.
unsafe fn set_error(error: *mut *mut c_char, message: impl ToString) {
    if !error.is_null() {
        let text = message.to_string().replace('\0', " ");
        *error = CString::new(text).map_or(std::ptr::null_mut(), CString::into_raw);
    }
}

/// Runs `f`, turning an error or a panic into null and a message at `error`.
///
/// # Safety
/// `error` is null or writable.
unsafe fn guarded<T>(error: *mut *mut c_char, f: impl FnOnce() -> Result<T, String>) -> *mut T {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(value)) => Box::into_raw(Box::new(value)),
        Ok(Err(message)) => {
            set_error(error, message);
            std::ptr::null_mut()
        }
        Err(_) => {
            set_error(error, "internal error (a panic in springboard)");
            std::ptr::null_mut()
        }
    }
}

/// Frees a value made by `Box::into_raw` (null is a no-op).
///
/// # Safety
/// `p` is null or from this library and not yet freed.
unsafe fn free<T>(p: *mut T) {
    if !p.is_null() {
        drop(Box::from_raw(p));
    }
}

/// The text of a C string, or an error naming `what`.
///
/// # Safety
/// `text` is null or a NUL-terminated string.
unsafe fn text<'a>(text: *const c_char, what: &str) -> Result<&'a str, String> {
    if text.is_null() {
        return Err(format!("{what} is null"));
    }
    CStr::from_ptr(text)
        .to_str()
        .map_err(|e| format!("{what} is not UTF-8: {e}"))
}

/// springboard's version, a static string.
#[no_mangle]
pub extern "C" fn sb_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr() as *const c_char
}

/// Frees a string this library returned (null is a no-op).
///
/// # Safety
/// `s` is null or an error string from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn sb_string_free(s: *mut c_char) {
    if !s.is_null() {
        drop(CString::from_raw(s));
    }
}

/// A new engine for the host, or null with a message at `error`.
///
/// # Safety
/// `error` is null or writable.
#[no_mangle]
pub unsafe extern "C" fn sb_engine_new(error: *mut *mut c_char) -> *mut sb_engine {
    guarded(error, || {
        Engine::new().map(sb_engine).map_err(|e| e.to_string())
    })
}

/// Frees an engine (live downcalls and callbacks keep their code).
///
/// # Safety
/// `engine` is null or from [`sb_engine_new`], not yet freed.
#[no_mangle]
pub unsafe extern "C" fn sb_engine_free(engine: *mut sb_engine) {
    free(engine)
}

/// Parses a signature such as `"(i32, f64) -> i64"`. On a syntax error returns null,
/// stores the message at `error` and the byte offset of the problem at `offset`
/// (either may be null).
///
/// # Safety
/// `signature` is a NUL-terminated string; `error` and `offset` are null or writable.
#[no_mangle]
pub unsafe extern "C" fn sb_signature_parse(
    signature: *const c_char,
    error: *mut *mut c_char,
    offset: *mut usize,
) -> *mut sb_signature {
    guarded(error, || {
        let source = text(signature, "signature")?;
        source.parse::<Signature>().map(sb_signature).map_err(|e| {
            if !offset.is_null() {
                *offset = e.offset;
            }
            e.to_string()
        })
    })
}

/// Frees a signature.
///
/// # Safety
/// `signature` is null or from [`sb_signature_parse`], not yet freed.
#[no_mangle]
pub unsafe extern "C" fn sb_signature_free(signature: *mut sb_signature) {
    free(signature)
}

/// The downcall trampoline for `signature` (compiled once per engine and signature),
/// or null with a message at `error`.
///
/// # Safety
/// `engine` and `signature` are live objects of this library; `error` is null or
/// writable.
#[no_mangle]
pub unsafe extern "C" fn sb_downcall_new(
    engine: *const sb_engine,
    signature: *const sb_signature,
    error: *mut *mut c_char,
) -> *mut sb_downcall {
    build(engine, signature, error, |engine, signature| {
        engine.downcall(signature).map(sb_downcall)
    })
}

/// The engine and signature behind two pointers, or an error for a null one.
///
/// # Safety
/// Each pointer is null or live.
unsafe fn live<'a>(
    engine: *const sb_engine,
    signature: *const sb_signature,
) -> Result<(&'a Engine, &'a Signature), String> {
    match (engine.as_ref(), signature.as_ref()) {
        (Some(engine), Some(signature)) => Ok((&engine.0, &signature.0)),
        (None, _) => Err("engine is null".into()),
        (_, None) => Err("signature is null".into()),
    }
}

/// The body of the functions that build from an engine and a signature: checks both
/// pointers, then `make`s the value; null with a message at `error`.
///
/// # Safety
/// `engine` and `signature` are null or live; `error` is null or writable.
unsafe fn build<T, E: std::fmt::Display>(
    engine: *const sb_engine,
    signature: *const sb_signature,
    error: *mut *mut c_char,
    make: impl FnOnce(&Engine, &Signature) -> Result<T, E>,
) -> *mut T {
    guarded(error, || {
        let (engine, signature) = live(engine, signature)?;
        make(engine, signature).map_err(|e| e.to_string())
    })
}

/// The downcall's raw entry: `raw(callee, args, result)` with the arguments in the
/// array layout (one 8-byte slot each) and the result place (see springboard.h).
/// Valid while the downcall lives.
///
/// # Safety
/// `downcall` is live.
#[no_mangle]
pub unsafe extern "C" fn sb_downcall_raw(downcall: *const sb_downcall) -> Option<RawDowncall> {
    downcall.as_ref().map(|d| d.0.as_raw())
}

/// Frees a downcall handle.
///
/// # Safety
/// `downcall` is null or from [`sb_downcall_new`], not yet freed.
#[no_mangle]
pub unsafe extern "C" fn sb_downcall_free(downcall: *mut sb_downcall) {
    free(downcall)
}

/// A C function pointer with `signature` that calls `handler(context, args, result)`
/// with its arguments in the array layout; null with a message at `error`.
///
/// # Safety
/// `engine` and `signature` are live; `handler` is safe to call from any thread
/// that calls the callback; `error` is null or writable.
#[no_mangle]
pub unsafe extern "C" fn sb_callback_new(
    engine: *const sb_engine,
    signature: *const sb_signature,
    handler: Option<RawHandler>,
    context: *mut c_void,
    error: *mut *mut c_char,
) -> *mut sb_callback {
    new_callback(
        engine,
        signature,
        handler,
        error,
        |engine, signature, handler| engine.callback_raw(signature, handler, context),
    )
}

/// The body of the functions that make callbacks: checks the pointers, then `make`s
/// the callback; null with a message at `error`.
///
/// # Safety
/// As [`sb_callback_new`].
unsafe fn new_callback(
    engine: *const sb_engine,
    signature: *const sb_signature,
    handler: Option<RawHandler>,
    error: *mut *mut c_char,
    make: impl FnOnce(&Engine, &Signature, RawHandler) -> Result<Callback, springboard::Error>,
) -> *mut sb_callback {
    build(engine, signature, error, |engine, signature| {
        let handler = handler.ok_or_else(|| "handler is null".to_string())?;
        make(engine, signature, handler)
            .map(sb_callback)
            .map_err(|e| e.to_string())
    })
}

/// The callback's C function pointer, valid until [`sb_callback_free`].
///
/// # Safety
/// `callback` is live.
#[no_mangle]
pub unsafe extern "C" fn sb_callback_code(callback: *const sb_callback) -> *const c_void {
    callback.as_ref().map_or(std::ptr::null(), |c| c.0.code())
}

/// Frees a callback: its function pointer is invalid afterwards.
///
/// # Safety
/// `callback` is null or from [`sb_callback_new`], not yet freed, and not running.
#[no_mangle]
pub unsafe extern "C" fn sb_callback_free(callback: *mut sb_callback) {
    free(callback)
}

/// Which native-shaped boundary [`sb_native_boundary_new`] makes.
pub const SB_ENTRY: c_int = 0;
/// See [`SB_ENTRY`].
pub const SB_EXIT: c_int = 1;

/// A fast-call entry into `callee` (a C function with `signature`), V8 Fast API
/// shaped: `entry(receiver, args..., [options])`, the receiver dropped, every
/// parameter a value, a trailing options pointer when `options` is non-zero, the
/// result returned directly (see [`FastCall::new`]); null with a message at `error`.
///
/// # Safety
/// `engine` and `signature` are live; `error` is null or writable. Calling the entry
/// calls `callee`, which must have `signature`.
#[no_mangle]
pub unsafe extern "C" fn sb_fast_call_new(
    engine: *const sb_engine,
    signature: *const sb_signature,
    callee: *const c_void,
    options: c_int,
    error: *mut *mut c_char,
) -> *mut sb_native {
    build(engine, signature, error, |engine, signature| {
        let mut fast = FastCall::new(signature.clone(), callee as u64);
        fast.options = options != 0;
        engine.fast_call(&fast).map(sb_native)
    })
}

/// A native-shaped boundary ([`SB_ENTRY`] or [`SB_EXIT`]): a C function with
/// `signature` that records into the runtime context (its first `ptr` parameter;
/// entry: SP at offset 0 and FP at 8; exit: FP at 16 and return PC at 24) and calls
/// `callee` with the same arguments; null with a message at `error`.
///
/// # Safety
/// As [`sb_fast_call_new`]; every call passes a context with 32 writable bytes.
#[no_mangle]
pub unsafe extern "C" fn sb_native_boundary_new(
    engine: *const sb_engine,
    signature: *const sb_signature,
    side: c_int,
    callee: *const c_void,
    error: *mut *mut c_char,
) -> *mut sb_native {
    build(engine, signature, error, |engine, signature| {
        let boundary = NativeBoundary::standard(signature.clone(), callee as u64)
            .map_err(|e| e.to_string())?;
        match side {
            SB_ENTRY => engine.native_entry(&boundary),
            SB_EXIT => engine.native_exit(&boundary),
            other => return Err(format!("side {other} is neither SB_ENTRY nor SB_EXIT")),
        }
        .map(sb_native)
        .map_err(|e| e.to_string())
    })
}

/// The compiled function's code, valid until [`sb_native_free`].
///
/// # Safety
/// `native` is null or live.
#[no_mangle]
pub unsafe extern "C" fn sb_native_code(native: *const sb_native) -> *const c_void {
    native.as_ref().map_or(std::ptr::null(), |n| n.0.code())
}

/// Frees a compiled function handle.
///
/// # Safety
/// `native` is null or from this library, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn sb_native_free(native: *mut sb_native) {
    free(native)
}

/// An array-shaped entry boundary for `signature`: `raw(callee, args, result,
/// capacity)` records the entry SP (offset 0) and FP (offset 8) into the context (the
/// first `ptr` argument) and calls `callee` as a downcall does; null with a message
/// at `error`.
///
/// # Safety
/// `engine` and `signature` are live; `error` is null or writable.
#[no_mangle]
pub unsafe extern "C" fn sb_array_entry_new(
    engine: *const sb_engine,
    signature: *const sb_signature,
    error: *mut *mut c_char,
) -> *mut sb_array_entry {
    build(engine, signature, error, |engine, signature| {
        let boundary = ArrayBoundary::standard(signature.clone())?;
        engine.array_entry(&boundary).map(sb_array_entry)
    })
}

/// The array entry's raw entry point, valid while the entry lives.
///
/// # Safety
/// `entry` is null or live.
#[no_mangle]
pub unsafe extern "C" fn sb_array_entry_raw(entry: *const sb_array_entry) -> Option<RawArrayEntry> {
    entry.as_ref().map(|e| e.0.as_raw())
}

/// Frees an array entry handle.
///
/// # Safety
/// `entry` is null or from [`sb_array_entry_new`], not yet freed.
#[no_mangle]
pub unsafe extern "C" fn sb_array_entry_free(entry: *mut sb_array_entry) {
    free(entry)
}

/// An array-shaped exit boundary: a callback with `signature` that records the exit
/// FP (offset 16) and return PC (offset 24) into the context (its first `ptr`
/// argument) before calling `handler(context, args, result)`; free it with
/// [`sb_callback_free`]. Null with a message at `error`.
///
/// # Safety
/// As [`sb_callback_new`].
#[no_mangle]
pub unsafe extern "C" fn sb_array_exit_new(
    engine: *const sb_engine,
    signature: *const sb_signature,
    handler: Option<RawHandler>,
    context: *mut c_void,
    error: *mut *mut c_char,
) -> *mut sb_callback {
    new_callback(
        engine,
        signature,
        handler,
        error,
        |engine, signature, handler| {
            let boundary = ArrayBoundary::standard(signature.clone())?;
            engine.array_exit_raw(&boundary, handler, context)
        },
    )
}

/// Compiles `count` items (`"NAME=KIND:SIGNATURE"`, as the CLI's `emit` takes them)
/// into a relocatable object for `target` (a triple such as
/// `"aarch64-unknown-linux-gnu"`, or null for the host). Returns 0 and the object at
/// `*bytes`/`*len` (free it with [`sb_bytes_free`]), or -1 with a message at `error`.
///
/// # Safety
/// `items` has `count` NUL-terminated strings; the out-pointers are writable (`error`
/// may be null).
#[no_mangle]
pub unsafe extern "C" fn sb_emit_object(
    target: *const c_char,
    items: *const *const c_char,
    count: usize,
    bytes: *mut *mut u8,
    len: *mut usize,
    error: *mut *mut c_char,
) -> c_int {
    let object = guarded(error, || {
        let target = if target.is_null() {
            Target::host().map_err(|e| e.to_string())?
        } else {
            text(target, "target")?
                .parse::<Target>()
                .map_err(|e| e.to_string())?
        };
        let items = (0..count)
            .map(|i| {
                text(*items.add(i), "item")?
                    .parse::<ObjectItem>()
                    .map_err(|e| e.to_string())
            })
            .collect::<Result<Vec<_>, _>>()?;
        emit_object(&target, &items).map_err(|e| e.to_string())
    });
    if object.is_null() || bytes.is_null() || len.is_null() {
        free(object);
        return -1;
    }
    let object = Box::from_raw(object).into_boxed_slice();
    *len = object.len();
    *bytes = Box::into_raw(object) as *mut u8;
    0
}

/// Frees an object from [`sb_emit_object`].
///
/// # Safety
/// `bytes`/`len` are null/0 or exactly what [`sb_emit_object`] stored.
#[no_mangle]
pub unsafe extern "C" fn sb_bytes_free(bytes: *mut u8, len: usize) {
    if !bytes.is_null() {
        drop(Box::from_raw(std::ptr::slice_from_raw_parts_mut(
            bytes, len,
        )));
    }
}
