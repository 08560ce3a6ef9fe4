//! Struct-by-value downcalls into the system's libc and libm: `div_t`-style results and
//! C99 complex numbers (for the ABI, a struct of two floats of its type).

use springboard::{Engine, Signature, Type, Value};
use std::ffi::c_void;

fn symbol(library: &libloading::Library, name: &str) -> *const c_void {
    // SAFETY: we only take the address.
    unsafe { *library.get::<*const c_void>(name.as_bytes()).unwrap() }
}

fn open(name: &str) -> libloading::Library {
    // SAFETY: the system C library and math library have no unusual initialisers.
    unsafe { libloading::Library::new(name) }.unwrap()
}

fn call(library: &libloading::Library, name: &str, signature: &str, args: &[Value]) -> Value {
    let engine = Engine::new().unwrap();
    let signature: Signature = signature.parse().unwrap();
    let downcall = engine.downcall(&signature).unwrap();
    // SAFETY: each signature below is the function's C prototype on x86-64 Linux.
    unsafe { downcall.call(symbol(library, name), args) }.unwrap()
}

fn pair(ty: &str, a: Value, b: Value) -> Value {
    let ty: Type = ty.parse().unwrap();
    Value::structure(&ty, &[a, b]).unwrap()
}

#[test]
fn div_family_returns_quotient_and_remainder() {
    let libc = open("libc.so.6");
    let result = call(
        &libc,
        "div",
        "(i32, i32) -> {i32, i32}",
        &[Value::I32(17), Value::I32(5)],
    );
    assert_eq!(result.to_string(), "{3, 2}");
    let result = call(
        &libc,
        "div",
        "(i32, i32) -> {i32, i32}",
        &[Value::I32(-17), Value::I32(5)],
    );
    assert_eq!(result.to_string(), "{-3, -2}");
    let result = call(
        &libc,
        "ldiv",
        "(i64, i64) -> {i64, i64}",
        &[Value::I64(-(1 << 40) - 3), Value::I64(1 << 20)],
    );
    assert_eq!(
        result,
        pair("{i64, i64}", Value::I64(-(1 << 20)), Value::I64(-3))
    );
    let result = call(
        &libc,
        "lldiv",
        "(i64, i64) -> {i64, i64}",
        &[Value::I64(i64::MAX), Value::I64(10)],
    );
    assert_eq!(
        result,
        pair("{i64, i64}", Value::I64(i64::MAX / 10), Value::I64(7))
    );
}

#[test]
fn complex_numbers_travel_as_float_pairs() {
    let libm = open("libm.so.6");
    let z = pair("{f64, f64}", Value::F64(3.0), Value::F64(4.0));
    assert_eq!(
        call(&libm, "cabs", "({f64, f64}) -> f64", &[z]),
        Value::F64(5.0)
    );
    let z = pair("{f32, f32}", Value::F32(-6.0), Value::F32(8.0));
    assert_eq!(
        call(&libm, "cabsf", "({f32, f32}) -> f32", &[z]),
        Value::F32(10.0)
    );
    // csqrt(-4 + 0i) = 0 + 2i
    let z = pair("{f64, f64}", Value::F64(-4.0), Value::F64(0.0));
    let root = call(&libm, "csqrt", "({f64, f64}) -> {f64, f64}", &[z]);
    assert_eq!(root, pair("{f64, f64}", Value::F64(0.0), Value::F64(2.0)));
    let z = pair("{f64, f64}", Value::F64(1.5), Value::F64(-2.25));
    let conjugate = call(&libm, "conj", "({f64, f64}) -> {f64, f64}", &[z]);
    assert_eq!(
        conjugate,
        pair("{f64, f64}", Value::F64(1.5), Value::F64(2.25))
    );
    let z = pair("{f32, f32}", Value::F32(0.5), Value::F32(7.0));
    let conjugate = call(&libm, "conjf", "({f32, f32}) -> {f32, f32}", &[z]);
    assert_eq!(
        conjugate,
        pair("{f32, f32}", Value::F32(0.5), Value::F32(-7.0))
    );
}

#[test]
fn struct_values_of_another_type_are_errors_not_calls() {
    let libm = open("libm.so.6");
    let engine = Engine::new().unwrap();
    let downcall = engine
        .downcall(&"({f64, f64}) -> f64".parse().unwrap())
        .unwrap();
    // A struct of the same size but other fields, and one field short: the first is
    // refused by the call, the second cannot be built.
    let other = pair("{i64, f64}", Value::I64(1), Value::F64(1.0));
    // SAFETY: nothing is called when the check fails.
    let err = unsafe { downcall.call(symbol(&libm, "cabs"), &[other]) }.unwrap_err();
    assert!(
        err.to_string().contains("argument 0 has type {i64, f64}"),
        "{err}"
    );
    let ty: Type = "{f64, f64}".parse().unwrap();
    let short = Value::structure(&ty, &[Value::F64(1.0)]).unwrap_err();
    assert_eq!(short.to_string(), "expected 2 fields or elements, found 1");
}
