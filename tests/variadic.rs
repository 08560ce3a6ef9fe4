//! Variadic call sites against gcc-compiled C: downcalls into callees that walk
//! `va_arg`, callbacks called by C through a variadic function pointer type, in System
//! V and Windows x64 (`ms_abi`), and real libc functions (`snprintf`, `open`, `fcntl`).
#![cfg(all(target_arch = "x86_64", target_os = "linux"))]

mod common;

use common::catalogue::{c_literal, c_type, value_of};
use common::hashing::{c_hash_input, hash_input, hash_start, mix, C_PRELUDE};
use springboard::{Convention, Engine, Signature, Type, Value};
use std::ffi::{c_char, c_int, c_void, CStr};
use std::fmt::Write;

/// The promoted scalar types a variadic part may hold.
const VARIADIC_SCALARS: [Type; 8] = [
    Type::I32,
    Type::U32,
    Type::I64,
    Type::U64,
    Type::Isize,
    Type::Usize,
    Type::F64,
    Type::Ptr,
];

/// Struct types passed as variadic arguments: integer pairs, float pairs (SSE
/// eightbytes, read from the vector save area), MEMORY class, a small one, mixed.
const VARIADIC_STRUCTS: [&str; 6] = [
    "{i32, i32}",
    "{f64, f64}",
    "{f32, f32}",
    "{i64, i64, i64}",
    "{i8, i16}",
    "{f64, i32}",
];

/// Fixed parameter types, narrow ones and `f32` included (no promotion applies there).
const FIXED: [Type; 9] = [
    Type::I32,
    Type::F64,
    Type::U8,
    Type::F32,
    Type::I64,
    Type::I16,
    Type::Ptr,
    Type::Bool,
    Type::U64,
];

struct Case {
    signature: Signature,
    values: Vec<Value>,
}

/// Variadic types that cycle through scalars and structs, floats often enough that
/// more than eight vector registers are in use.
fn variadic_type(i: usize, salt: usize) -> Type {
    let k = i * 7 + salt * 3;
    if k % 5 == 4 {
        VARIADIC_STRUCTS[(k / 5) % VARIADIC_STRUCTS.len()]
            .parse()
            .unwrap()
    } else if k.is_multiple_of(3) {
        Type::F64
    } else {
        VARIADIC_SCALARS[k % VARIADIC_SCALARS.len()].clone()
    }
}

fn value(ty: &Type, k: usize) -> Value {
    match ty.as_struct() {
        Some(st) => {
            let fields = st
                .fields()
                .iter()
                .enumerate()
                .map(|(i, f)| value(f, k + i))
                .collect();
            Value::structure(ty, fields).unwrap()
        }
        None => value_of(ty, k),
    }
}

/// 1 to 8 fixed parameters, then 0 to 20 variadic arguments (gcc 12 has no C23
/// `f(...)`, so C callees have at least one fixed parameter).
fn cases(convention: Convention) -> Vec<Case> {
    let mut cases = Vec::new();
    for fixed in 1..=8 {
        for variadic in (0..=20).step_by(if fixed % 2 == 0 { 1 } else { 3 }) {
            let fixed_types: Vec<Type> = (0..fixed)
                .map(|i| FIXED[(i + fixed) % FIXED.len()].clone())
                .collect();
            let variadic_types: Vec<Type> = (0..variadic)
                .map(|i| variadic_type(i, fixed + variadic))
                .collect();
            let signature = Signature::variadic(fixed_types, variadic_types, Type::U64)
                .with_convention(convention);
            let values = signature
                .params
                .iter()
                .enumerate()
                .map(|(i, ty)| value(ty, i * 5 + fixed + variadic))
                .collect();
            cases.push(Case { signature, values });
        }
    }
    // Only scalars of one class, far past the registers.
    for ty in [Type::F64, Type::I64, Type::I32, Type::Ptr] {
        let signature =
            Signature::variadic([Type::I32], vec![ty; 20], Type::U64).with_convention(convention);
        let values = signature
            .params
            .iter()
            .enumerate()
            .map(|(i, ty)| value(ty, i))
            .collect();
        cases.push(Case { signature, values });
    }
    cases
}

/// The hash of the values, member by member.
fn hash_values(index: usize, values: &[Value]) -> u64 {
    fn fold(hash: u64, value: &Value) -> u64 {
        match value {
            Value::Struct(_, fields) => fields.iter().fold(hash, fold),
            scalar => mix(hash, hash_input(scalar)),
        }
    }
    values.iter().fold(hash_start(index), fold)
}

/// C typedefs for the variadic struct types: `sb_s<k>`.
fn c_structs() -> String {
    let mut text = String::new();
    for (k, ty) in VARIADIC_STRUCTS.iter().enumerate() {
        let ty: Type = ty.parse().unwrap();
        let fields: String = ty
            .as_struct()
            .unwrap()
            .fields()
            .iter()
            .enumerate()
            .map(|(i, f)| format!("{} f{i}; ", c_type(f)))
            .collect();
        writeln!(text, "typedef struct {{ {fields}}} sb_s{k};").unwrap();
    }
    text
}

fn c_param_type(ty: &Type) -> String {
    if ty.is_aggregate() {
        let text = ty.to_string();
        let k = VARIADIC_STRUCTS.iter().position(|s| *s == text).unwrap();
        format!("sb_s{k}")
    } else {
        c_type(ty).to_string()
    }
}

fn c_hash_value(ty: &Type, name: &str) -> String {
    match ty.as_struct() {
        Some(st) => st
            .fields()
            .iter()
            .enumerate()
            .map(|(i, f)| {
                format!(
                    "h = sb_mix(h, {});",
                    c_hash_input(f, &format!("{name}.f{i}"))
                )
            })
            .collect::<Vec<_>>()
            .join(" "),
        None => format!("h = sb_mix(h, {});", c_hash_input(ty, name)),
    }
}

fn c_value(value: &Value) -> String {
    match value {
        Value::Struct(ty, fields) => {
            let members: Vec<String> = fields.iter().map(c_value).collect();
            format!("(({}){{{}}})", c_param_type(ty), members.join(", "))
        }
        scalar => c_literal(scalar),
    }
}

/// Callees `sb_callee_<i>` that walk their variadic part with `va_arg` and return the
/// hash, and callers `sb_caller_<i>` that call a function pointer of the variadic type
/// with the case's values. `ms` makes them `ms_abi` (with `__builtin_ms_va_list`).
fn c_source(cases: &[Case], ms: bool) -> String {
    let (attribute, va_list, va_start, va_end) = if ms {
        (
            "__attribute__((ms_abi)) ",
            "__builtin_ms_va_list",
            "__builtin_ms_va_start",
            "__builtin_ms_va_end",
        )
    } else {
        ("", "va_list", "va_start", "va_end")
    };
    let mut text =
        format!("/* Generated by tests/variadic.rs */\n{C_PRELUDE}#include <stdarg.h>\n");
    text.push_str(&c_structs());
    for (index, case) in cases.iter().enumerate() {
        let sig = &case.signature;
        let fixed = sig.variadic_from.unwrap();
        let params: Vec<String> = sig.params[..fixed]
            .iter()
            .enumerate()
            .map(|(i, ty)| format!("{} p{i}", c_param_type(ty)))
            .collect();
        writeln!(
            text,
            "{attribute}uint64_t sb_callee_{index}({}, ...) {{\n    uint64_t h = {}ull;",
            params.join(", "),
            hash_start(index)
        )
        .unwrap();
        for (i, ty) in sig.params[..fixed].iter().enumerate() {
            writeln!(text, "    {}", c_hash_value(ty, &format!("p{i}"))).unwrap();
        }
        writeln!(
            text,
            "    {va_list} ap;\n    {va_start}(ap, p{});",
            fixed - 1
        )
        .unwrap();
        for (i, ty) in sig.params[fixed..].iter().enumerate() {
            let c_ty = c_param_type(ty);
            // Microsoft's `va_arg` reads a struct that is not 1, 2, 4 or 8 bytes through
            // the pointer its slot holds (the caller passed a copy by reference); gcc's
            // `va_arg` on a `__builtin_ms_va_list` does not, so the callee says it.
            let by_reference = ms && ty.is_aggregate() && !matches!(ty.size(), 1 | 2 | 4 | 8);
            let read = if by_reference {
                format!("*va_arg(ap, {c_ty} *)")
            } else {
                format!("va_arg(ap, {c_ty})")
            };
            writeln!(
                text,
                "    {{ {c_ty} v{i} = {read}; {} }}",
                c_hash_value(ty, &format!("v{i}"))
            )
            .unwrap();
        }
        writeln!(text, "    {va_end}(ap);\n    return h;\n}}").unwrap();
        let args: Vec<String> = case.values.iter().map(c_value).collect();
        writeln!(
            text,
            "uint64_t sb_caller_{index}(uint64_t ({attribute}*f)({}, ...)) {{\n    return f({});\n}}",
            sig.params[..fixed]
                .iter()
                .map(c_param_type)
                .collect::<Vec<_>>()
                .join(", "),
            args.join(", ")
        )
        .unwrap();
    }
    text
}

fn downcalls_match(convention: Convention, library: &str) -> usize {
    let cases = cases(convention);
    let lib = common::build_c_library(library, &c_source(&cases, convention == Convention::Win64));
    let engine = Engine::new().unwrap();
    for (index, case) in cases.iter().enumerate() {
        let downcall = engine.downcall(&case.signature).unwrap();
        let callee = lib.symbol(&format!("sb_callee_{index}"));
        // SAFETY: the callee has this signature (generated from it).
        let got = unsafe { downcall.call(callee, &case.values) }.unwrap();
        assert_eq!(
            got,
            Value::U64(hash_values(index, &case.values)),
            "case {index}: `{}`",
            case.signature
        );
    }
    cases.len()
}

#[test]
fn sysv_downcalls_walk_va_arg() {
    assert_eq!(downcalls_match(Convention::C, "variadic_sysv"), 116);
}

#[test]
fn win64_downcalls_walk_va_arg() {
    assert_eq!(downcalls_match(Convention::Win64, "variadic_win64"), 116);
}

fn callbacks_match(convention: Convention, library: &str) -> usize {
    let cases = cases(convention);
    let lib = common::build_c_library(library, &c_source(&cases, convention == Convention::Win64));
    let engine = Engine::new().unwrap();
    for (index, case) in cases.iter().enumerate() {
        let callback = engine
            .callback(&case.signature, move |args| {
                Value::U64(hash_values(index, args))
            })
            .unwrap();
        let caller = lib.symbol(&format!("sb_caller_{index}"));
        // SAFETY: the caller takes one function pointer and returns a u64.
        let caller: extern "C" fn(*const c_void) -> u64 = unsafe { std::mem::transmute(caller) };
        assert_eq!(
            caller(callback.code()),
            hash_values(index, &case.values),
            "case {index}: `{}`",
            case.signature
        );
    }
    cases.len()
}

#[test]
fn sysv_callbacks_receive_a_variadic_call_shape() {
    assert_eq!(callbacks_match(Convention::C, "variadic_sysv_callers"), 116);
}

#[test]
fn win64_callbacks_receive_a_variadic_call_shape() {
    assert_eq!(
        callbacks_match(Convention::Win64, "variadic_win64_callers"),
        116
    );
}

extern "C" {
    fn snprintf(buffer: *mut c_char, size: usize, format: *const c_char, ...) -> c_int;
    fn open(path: *const c_char, flags: c_int, ...) -> c_int;
    fn fcntl(fd: c_int, command: c_int, ...) -> c_int;
    fn close(fd: c_int) -> c_int;
}

fn ptr<T>(p: *const T) -> Value {
    Value::Ptr(p as *mut c_void)
}

#[test]
fn libc_snprintf_formats() {
    let engine = Engine::new().unwrap();
    let cases: [(&str, &CStr, Vec<Value>, &str); 7] = [
        (
            "(ptr, usize, ptr, ...; i32, f64) -> i32",
            c"%d %.2f",
            vec![Value::I32(42), Value::F64(2.5)],
            "42 2.50",
        ),
        ("(ptr, usize, ptr, ...)", c"plain", vec![], "plain"),
        (
            "(ptr, usize, ptr, ...; f64, f64, f64, f64, f64, f64, f64, f64, f64, f64) -> i32",
            c"%g %g %g %g %g %g %g %g %g %g",
            (1..=10).map(|i| Value::F64(i as f64 / 4.0)).collect(),
            "0.25 0.5 0.75 1 1.25 1.5 1.75 2 2.25 2.5",
        ),
        (
            "(ptr, usize, ptr, ...; i64, u32, ptr, i32, u64, isize) -> i32",
            c"%ld %u %s %x %lu %zd",
            vec![
                Value::I64(-5_000_000_000),
                Value::U32(4_000_000_000),
                ptr(c"str".as_ptr()),
                Value::I32(0xbeef),
                Value::U64(u64::MAX),
                Value::Isize(-7),
            ],
            "-5000000000 4000000000 str beef 18446744073709551615 -7",
        ),
        (
            "(ptr, usize, ptr, ...; i32, f64, i32, f64, i32, f64, i32, f64) -> i32",
            c"%d:%e %d:%.1f %d:%a %d:%.3g",
            vec![
                Value::I32(1),
                Value::F64(1e300),
                Value::I32(-2),
                Value::F64(-0.25),
                Value::I32(3),
                Value::F64(1.0),
                Value::I32(4),
                Value::F64(1.23456),
            ],
            "1:1.000000e+300 -2:-0.2 3:0x1p+0 4:1.23",
        ),
        (
            "(ptr, usize, ptr, ...; i32, i32, i32, i32, i32, i32, i32, i32) -> i32",
            c"%d %d %d %d %d %d %d %d",
            (1..=8).map(Value::I32).collect(),
            "1 2 3 4 5 6 7 8",
        ),
        (
            "(ptr, usize, ptr, ...; i32, ptr) -> i32",
            c"%5d|%-4s|",
            vec![Value::I32(-12), ptr(c"ab".as_ptr())],
            "  -12|ab  |",
        ),
    ];
    for (text, format, args, expected) in cases {
        let signature: Signature = text.parse().unwrap();
        let downcall = engine.downcall(&signature).unwrap();
        let mut buffer = [0u8; 128];
        let mut values = vec![
            ptr(buffer.as_mut_ptr()),
            Value::Usize(buffer.len()),
            ptr(format.as_ptr()),
        ];
        values.extend(args);
        // SAFETY: snprintf with a format whose conversions match the variadic types.
        let written = unsafe { downcall.call(snprintf as *const c_void, &values) }.unwrap();
        let printed = CStr::from_bytes_until_nul(&buffer)
            .unwrap()
            .to_str()
            .unwrap();
        assert_eq!(printed, expected, "{text}");
        if signature.result != Type::Void {
            assert_eq!(written, Value::I32(expected.len() as i32), "{text}");
        }
    }
}

#[test]
fn libc_open_with_a_mode_and_fcntl() {
    use std::os::unix::fs::PermissionsExt;
    let engine = Engine::new().unwrap();
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join(format!("variadic-open-{}", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    let open_call = engine
        .downcall(&"(ptr, i32, ...; u32) -> i32".parse().unwrap())
        .unwrap();
    let (o_wronly, o_creat, o_excl) = (0o1, 0o100, 0o200);
    // SAFETY: open(path, flags, mode) with a valid path.
    let fd = unsafe {
        open_call.call(
            open as *const c_void,
            &[
                ptr(c_path.as_ptr()),
                Value::I32(o_wronly | o_creat | o_excl),
                Value::U32(0o600),
            ],
        )
    }
    .unwrap();
    let Value::I32(fd) = fd else { panic!("{fd:?}") };
    assert!(fd >= 0, "open failed");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);

    let (f_getfd, f_setfd, fd_cloexec) = (1, 2, 1);
    let get = engine
        .downcall(&"(i32, i32, ...) -> i32".parse().unwrap())
        .unwrap();
    let set = engine
        .downcall(&"(i32, i32, ...; i32) -> i32".parse().unwrap())
        .unwrap();
    // SAFETY: fcntl on our own descriptor.
    unsafe {
        assert_eq!(
            get.call(
                fcntl as *const c_void,
                &[Value::I32(fd), Value::I32(f_getfd)]
            )
            .unwrap(),
            Value::I32(0)
        );
        let done = set
            .call(
                fcntl as *const c_void,
                &[Value::I32(fd), Value::I32(f_setfd), Value::I32(fd_cloexec)],
            )
            .unwrap();
        assert_eq!(done, Value::I32(0));
        assert_eq!(
            get.call(
                fcntl as *const c_void,
                &[Value::I32(fd), Value::I32(f_getfd)]
            )
            .unwrap(),
            Value::I32(fd_cloexec)
        );
        close(fd);
    }
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn unpromoted_variadic_types_are_typed_errors() {
    let engine = Engine::new().unwrap();
    let signature = Signature::variadic([Type::Ptr], [Type::F32], Type::I32);
    let Err(err) = engine.downcall(&signature) else {
        panic!("f32 is rejected")
    };
    assert!(err.to_string().contains("promotes it to f64"), "{err}");
    let err = "(ptr, ...; u16)".parse::<Signature>().unwrap_err();
    assert_eq!(err.offset, 11);
}
