//! libffi's raw and java-raw APIs: arguments packed in an array of 8-byte `ffi_raw`
//! units instead of an array of pointers. Each is a conversion to or from the pointer
//! array around [`ffi_call`] and [`ffi_prep_closure_loc`].
//!
//! The raw layout: a struct argument is one unit holding its address; any other
//! argument occupies its size rounded up to whole units, narrow integers widened to a
//! unit. The java-raw layout gives 64-bit types two units and every other argument
//! one (Java has no struct arguments).

use crate::closure::{ffi_closure, ffi_closure_fun, ffi_prep_closure_loc, FFI_TRAMPOLINE_SIZE};
use crate::types::*;
use crate::{arg_types, ffi_call, ffi_cif, ffi_status};
use std::ffi::c_void;

/// One unit of the raw argument array.
pub type ffi_raw = u64;
/// One unit of the java-raw argument array.
pub type ffi_java_raw = u64;

const UNIT: usize = 8;

/// The units argument type `ty` takes in the raw (`java` false) or java-raw layout.
///
/// # Safety
/// `ty` is a valid type.
unsafe fn units(ty: *const ffi_type, java: bool) -> usize {
    match ((*ty).type_, java) {
        (FFI_TYPE_STRUCT, false) => 1,
        (FFI_TYPE_UINT64 | FFI_TYPE_SINT64 | FFI_TYPE_DOUBLE, true) => 2,
        (_, true) => 1,
        (_, false) => (*ty).size.div_ceil(UNIT).max(1),
    }
}

/// Bytes of `cif`'s arguments in a raw layout.
///
/// # Safety
/// `cif` is prepared.
unsafe fn size(cif: *mut ffi_cif, java: bool) -> usize {
    arg_types(&*cif)
        .iter()
        .map(|&t| units(t, java) * UNIT)
        .sum()
}

/// Fills `args` with pointers into the raw array `raw`.
///
/// # Safety
/// `raw` holds `cif`'s arguments in the layout; `args` has `nargs` entries.
unsafe fn to_ptrarray(cif: *mut ffi_cif, raw: *mut ffi_raw, args: *mut *mut c_void, java: bool) {
    let mut at = raw;
    for (i, &ty) in arg_types(&*cif).iter().enumerate() {
        *args.add(i) = if (*ty).type_ == FFI_TYPE_STRUCT && !java {
            *(at as *mut *mut c_void)
        } else {
            at as *mut c_void
        };
        at = at.add(units(ty, java));
    }
}

/// Packs the values `args` points to into `raw`.
///
/// # Safety
/// `args` has `cif`'s arguments; `raw` has room for the layout's size.
unsafe fn from_ptrarray(cif: *mut ffi_cif, args: *mut *mut c_void, raw: *mut ffi_raw, java: bool) {
    let mut at = raw;
    for (i, &ty) in arg_types(&*cif).iter().enumerate() {
        let value = *args.add(i);
        let n = units(ty, java);
        std::ptr::write_bytes(at, 0, n);
        let unit = at as *mut u8;
        match (*ty).type_ {
            FFI_TYPE_STRUCT if !java => *(at as *mut *mut c_void) = value,
            FFI_TYPE_SINT8 => *at = *(value as *const i8) as i64 as u64,
            FFI_TYPE_SINT16 => *at = *(value as *const i16) as i64 as u64,
            FFI_TYPE_SINT32 | FFI_TYPE_INT => *at = *(value as *const i32) as i64 as u64,
            _ => std::ptr::copy_nonoverlapping(value as *const u8, unit, (*ty).size.min(n * UNIT)),
        }
        at = at.add(n);
    }
}

/// Calls `fn_` with arguments from a raw array (`java` picks the layout).
///
/// # Safety
/// As [`ffi_call`], with `raw` holding the arguments.
unsafe fn call(
    cif: *mut ffi_cif,
    fn_: Option<unsafe extern "C" fn()>,
    rvalue: *mut c_void,
    raw: *mut ffi_raw,
    java: bool,
) {
    let mut args = vec![std::ptr::null_mut(); (*cif).nargs as usize];
    to_ptrarray(cif, raw, args.as_mut_ptr(), java);
    ffi_call(cif, fn_, rvalue, args.as_mut_ptr());
}

/// libffi's `ffi_raw_size`.
///
/// # Safety
/// `cif` is prepared.
#[no_mangle]
pub unsafe extern "C" fn ffi_raw_size(cif: *mut ffi_cif) -> usize {
    size(cif, false)
}

/// libffi's `ffi_java_raw_size`.
///
/// # Safety
/// `cif` is prepared.
#[no_mangle]
pub unsafe extern "C" fn ffi_java_raw_size(cif: *mut ffi_cif) -> usize {
    size(cif, true)
}

/// libffi's `ffi_raw_to_ptrarray`.
///
/// # Safety
/// See [`ffi_raw_size`]; `args` has `nargs` entries.
#[no_mangle]
pub unsafe extern "C" fn ffi_raw_to_ptrarray(
    cif: *mut ffi_cif,
    raw: *mut ffi_raw,
    args: *mut *mut c_void,
) {
    to_ptrarray(cif, raw, args, false)
}

/// libffi's `ffi_java_raw_to_ptrarray`.
///
/// # Safety
/// See [`ffi_raw_size`]; `args` has `nargs` entries.
#[no_mangle]
pub unsafe extern "C" fn ffi_java_raw_to_ptrarray(
    cif: *mut ffi_cif,
    raw: *mut ffi_java_raw,
    args: *mut *mut c_void,
) {
    to_ptrarray(cif, raw, args, true)
}

/// libffi's `ffi_ptrarray_to_raw`.
///
/// # Safety
/// `args` has `cif`'s arguments; `raw` has [`ffi_raw_size`] bytes.
#[no_mangle]
pub unsafe extern "C" fn ffi_ptrarray_to_raw(
    cif: *mut ffi_cif,
    args: *mut *mut c_void,
    raw: *mut ffi_raw,
) {
    from_ptrarray(cif, args, raw, false)
}

/// libffi's `ffi_java_ptrarray_to_raw`.
///
/// # Safety
/// `args` has `cif`'s arguments; `raw` has [`ffi_java_raw_size`] bytes.
#[no_mangle]
pub unsafe extern "C" fn ffi_java_ptrarray_to_raw(
    cif: *mut ffi_cif,
    args: *mut *mut c_void,
    raw: *mut ffi_java_raw,
) {
    from_ptrarray(cif, args, raw, true)
}

/// libffi's `ffi_raw_call`.
///
/// # Safety
/// As `ffi_call`, with the arguments in `avalue` in the raw layout.
#[no_mangle]
pub unsafe extern "C-unwind" fn ffi_raw_call(
    cif: *mut ffi_cif,
    fn_: Option<unsafe extern "C" fn()>,
    rvalue: *mut c_void,
    avalue: *mut ffi_raw,
) {
    call(cif, fn_, rvalue, avalue, false)
}

/// libffi's `ffi_java_raw_call`.
///
/// # Safety
/// As `ffi_call`, with the arguments in `avalue` in the java-raw layout.
#[no_mangle]
pub unsafe extern "C-unwind" fn ffi_java_raw_call(
    cif: *mut ffi_cif,
    fn_: Option<unsafe extern "C" fn()>,
    rvalue: *mut c_void,
    avalue: *mut ffi_java_raw,
) {
    call(cif, fn_, rvalue, avalue, true)
}

/// A raw closure handler: `fun(cif, result, raw_args, user_data)`.
pub type ffi_raw_closure_fun =
    unsafe extern "C-unwind" fn(*mut ffi_cif, *mut c_void, *mut ffi_raw, *mut c_void);

/// libffi's `ffi_raw_closure` (and `ffi_java_raw_closure`) on x86-64: a closure whose
/// `fun`/`user_data` are a translator and the closure itself, then the raw handler.
#[repr(C)]
pub struct ffi_raw_closure {
    /// The closure's code.
    pub tramp: [u8; FFI_TRAMPOLINE_SIZE],
    /// The closure's signature.
    pub cif: *mut ffi_cif,
    /// Translates the pointer array to a raw array.
    pub translate_args: Option<ffi_closure_fun>,
    /// The closure itself (the translator's `user_data`).
    pub this_closure: *mut c_void,
    /// The raw handler.
    pub fun: Option<ffi_raw_closure_fun>,
    /// The raw handler's last argument.
    pub user_data: *mut c_void,
}

/// libffi's `ffi_java_raw_closure`: the same layout as [`ffi_raw_closure`].
pub type ffi_java_raw_closure = ffi_raw_closure;

unsafe extern "C-unwind" fn translate(
    cif: *mut ffi_cif,
    rvalue: *mut c_void,
    args: *mut *mut c_void,
    closure: *mut c_void,
    java: bool,
) {
    let closure = &*(closure as *const ffi_raw_closure);
    let mut raw = vec![0u64; size(cif, java) / UNIT];
    from_ptrarray(cif, args, raw.as_mut_ptr(), java);
    if let Some(fun) = closure.fun {
        fun(cif, rvalue, raw.as_mut_ptr(), closure.user_data);
    }
}

unsafe extern "C-unwind" fn translate_raw(
    cif: *mut ffi_cif,
    rvalue: *mut c_void,
    args: *mut *mut c_void,
    closure: *mut c_void,
) {
    translate(cif, rvalue, args, closure, false)
}

unsafe extern "C-unwind" fn translate_java(
    cif: *mut ffi_cif,
    rvalue: *mut c_void,
    args: *mut *mut c_void,
    closure: *mut c_void,
) {
    translate(cif, rvalue, args, closure, true)
}

unsafe fn prep_raw(
    closure: *mut ffi_raw_closure,
    cif: *mut ffi_cif,
    fun: Option<ffi_raw_closure_fun>,
    user_data: *mut c_void,
    codeloc: *mut c_void,
    translator: ffi_closure_fun,
) -> ffi_status {
    let status = ffi_prep_closure_loc(
        closure as *mut ffi_closure,
        cif,
        Some(translator),
        closure as *mut c_void,
        codeloc,
    );
    if status == crate::FFI_OK {
        (*closure).fun = fun;
        (*closure).user_data = user_data;
    }
    status
}

/// libffi's `ffi_prep_raw_closure_loc`.
///
/// # Safety
/// As [`ffi_prep_closure_loc`].
#[no_mangle]
pub unsafe extern "C" fn ffi_prep_raw_closure_loc(
    closure: *mut ffi_raw_closure,
    cif: *mut ffi_cif,
    fun: Option<ffi_raw_closure_fun>,
    user_data: *mut c_void,
    codeloc: *mut c_void,
) -> ffi_status {
    prep_raw(closure, cif, fun, user_data, codeloc, translate_raw)
}

/// libffi's `ffi_prep_raw_closure`.
///
/// # Safety
/// As [`ffi_prep_closure_loc`], with `closure` executable.
#[no_mangle]
pub unsafe extern "C" fn ffi_prep_raw_closure(
    closure: *mut ffi_raw_closure,
    cif: *mut ffi_cif,
    fun: Option<ffi_raw_closure_fun>,
    user_data: *mut c_void,
) -> ffi_status {
    prep_raw(
        closure,
        cif,
        fun,
        user_data,
        closure as *mut c_void,
        translate_raw,
    )
}

/// libffi's `ffi_prep_java_raw_closure_loc`.
///
/// # Safety
/// As [`ffi_prep_closure_loc`].
#[no_mangle]
pub unsafe extern "C" fn ffi_prep_java_raw_closure_loc(
    closure: *mut ffi_java_raw_closure,
    cif: *mut ffi_cif,
    fun: Option<ffi_raw_closure_fun>,
    user_data: *mut c_void,
    codeloc: *mut c_void,
) -> ffi_status {
    prep_raw(closure, cif, fun, user_data, codeloc, translate_java)
}

/// libffi's `ffi_prep_java_raw_closure`.
///
/// # Safety
/// As [`ffi_prep_closure_loc`], with `closure` executable.
#[no_mangle]
pub unsafe extern "C" fn ffi_prep_java_raw_closure(
    closure: *mut ffi_java_raw_closure,
    cif: *mut ffi_cif,
    fun: Option<ffi_raw_closure_fun>,
    user_data: *mut c_void,
) -> ffi_status {
    prep_raw(
        closure,
        cif,
        fun,
        user_data,
        closure as *mut c_void,
        translate_java,
    )
}
