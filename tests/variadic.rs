//! Variadic call sites against gcc-compiled C: downcalls into callees that walk
//! `va_arg`, callbacks called by C through a variadic function pointer type, in System
//! V and Windows x64 (`ms_abi`), and real libc functions (`snprintf`, `open`, `fcntl`).
//! The `wide_` tests add `long double` (x87, `f80`), `__float128` (`f128`) and
//! `__int128` (`i128`, `u128`) as fixed and variadic arguments and as results: System V
//! passes the first in memory always and the others like fixed ones (§3.5.7); gcc's
//! `ms_abi` passes each by reference.
#![cfg(all(target_arch = "x86_64", target_os = "linux"))]

mod common;

use common::variadic::{
    c_source, cases, expected, fold_result, hash_values, result_value, wide_cases, wide_types, Case,
};
use springboard::{Convention, Engine, Signature, Type, Value};
use std::ffi::{c_char, c_int, c_void, CStr};

/// The wide cases of x86-64 in `convention`.
fn wide(convention: Convention) -> Vec<Case> {
    wide_cases(convention, &wide_types("x86_64-unknown-linux-gnu"))
}

fn downcalls_match(cases: &[Case], convention: Convention, library: &str) -> usize {
    let lib = common::build_c_library(library, &c_source(cases, convention == Convention::Win64));
    let engine = Engine::new().unwrap();
    for (index, case) in cases.iter().enumerate() {
        let downcall = engine.downcall(&case.signature).unwrap();
        let callee = lib.symbol(&format!("sb_callee_{index}"));
        // SAFETY: the callee has this signature (generated from it).
        let got = unsafe { downcall.call(callee, &case.values) }.unwrap();
        assert_eq!(got.ty(), case.signature.result);
        assert_eq!(
            fold_result(&got),
            expected(index, case),
            "case {index}: `{}` returned {got:?}",
            case.signature
        );
    }
    cases.len()
}

#[test]
fn sysv_downcalls_walk_va_arg() {
    let cases = cases(Convention::C);
    assert_eq!(downcalls_match(&cases, Convention::C, "variadic_sysv"), 116);
}

#[test]
fn win64_downcalls_walk_va_arg() {
    let cases = cases(Convention::Win64);
    assert_eq!(
        downcalls_match(&cases, Convention::Win64, "variadic_win64"),
        116
    );
}

#[test]
fn sysv_wide_downcalls_walk_va_arg() {
    let cases = wide(Convention::C);
    assert_eq!(
        downcalls_match(&cases, Convention::C, "variadic_wide_sysv"),
        120
    );
}

#[test]
fn win64_wide_downcalls_walk_va_arg() {
    let cases = wide(Convention::Win64);
    assert_eq!(
        downcalls_match(&cases, Convention::Win64, "variadic_wide_win64"),
        120
    );
}

fn callbacks_match(cases: &[Case], convention: Convention, library: &str) -> usize {
    let lib = common::build_c_library(library, &c_source(cases, convention == Convention::Win64));
    let engine = Engine::new().unwrap();
    for (index, case) in cases.iter().enumerate() {
        let result = case.signature.result.clone();
        let callback = engine
            .callback(&case.signature, move |args| {
                result_value(&result, hash_values(index, args))
            })
            .unwrap();
        let caller = lib.symbol(&format!("sb_caller_{index}"));
        // SAFETY: the caller takes one function pointer and returns a u64.
        let caller: extern "C" fn(*const c_void) -> u64 = unsafe { std::mem::transmute(caller) };
        assert_eq!(
            caller(callback.code()),
            expected(index, case),
            "case {index}: `{}`",
            case.signature
        );
    }
    cases.len()
}

#[test]
fn sysv_callbacks_receive_a_variadic_call_shape() {
    let cases = cases(Convention::C);
    assert_eq!(
        callbacks_match(&cases, Convention::C, "variadic_sysv_callers"),
        116
    );
}

#[test]
fn win64_callbacks_receive_a_variadic_call_shape() {
    let cases = cases(Convention::Win64);
    assert_eq!(
        callbacks_match(&cases, Convention::Win64, "variadic_win64_callers"),
        116
    );
}

#[test]
fn sysv_wide_callbacks_receive_a_variadic_call_shape() {
    let cases = wide(Convention::C);
    assert_eq!(
        callbacks_match(&cases, Convention::C, "variadic_wide_sysv_callers"),
        120
    );
}

#[test]
fn win64_wide_callbacks_receive_a_variadic_call_shape() {
    let cases = wide(Convention::Win64);
    assert_eq!(
        callbacks_match(&cases, Convention::Win64, "variadic_wide_win64_callers"),
        120
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

/// Calls a downcall trampoline the way a hostile C caller may: `rax` zero (a gcc
/// prologue then skips saving the vector registers unless the shim sets `%al`) and a
/// marker in `r15` (callee-saved: the trampoline borrows it for the shim and must give
/// it back). Returns `r15` after the call.
const R15_WRAPPER: &str = r#"
#include <stdint.h>
uint64_t sb_hostile_call(void *trampoline, const void *callee, void *args, void *result);
__asm__(
    ".text\n"
    ".globl sb_hostile_call\n"
    ".type sb_hostile_call, @function\n"
    "sb_hostile_call:\n"
    "    push %r15\n"
    "    push %rbx\n"
    "    sub $8, %rsp\n"
    "    mov %rdi, %rbx\n"
    "    mov %rsi, %rdi\n"
    "    mov %rdx, %rsi\n"
    "    mov %rcx, %rdx\n"
    "    movabs $0x15151515deadbeef, %r15\n"
    "    xor %eax, %eax\n"
    "    call *%rbx\n"
    "    mov %r15, %rax\n"
    "    add $8, %rsp\n"
    "    pop %rbx\n"
    "    pop %r15\n"
    "    ret\n"
    ".size sb_hostile_call, .-sb_hostile_call\n");
"#;

#[test]
fn the_shim_sets_al_and_the_trampoline_restores_r15() {
    let cases = cases(Convention::C);
    let lib = common::build_c_library("variadic_sysv", &c_source(&cases, false));
    let wrapper = common::build_c_library("variadic_hostile_caller", R15_WRAPPER);
    // SAFETY: the wrapper's C type.
    let hostile: extern "C" fn(*const c_void, *const c_void, *mut c_void, *mut c_void) -> u64 =
        unsafe { std::mem::transmute(wrapper.symbol("sb_hostile_call")) };
    let engine = Engine::new().unwrap();
    let mut checked = 0;
    for (index, case) in cases.iter().enumerate() {
        let floats =
            case.signature.params[case.signature.variadic_from.unwrap()..].contains(&Type::F64);
        if !floats {
            continue;
        }
        let downcall = engine.downcall(&case.signature).unwrap();
        // Struct arguments: their C-layout bytes, 8-byte aligned, behind the slot.
        let mut buffers: Vec<Vec<u64>> = Vec::new();
        let mut slots: Vec<springboard::Slot> = case
            .values
            .iter()
            .map(|value| {
                if !value.ty().is_aggregate() {
                    return value.to_slot();
                }
                let mut words = vec![0u64; value.ty().size().div_ceil(8)];
                // SAFETY: the words are at least the struct's size long.
                let bytes = unsafe {
                    std::slice::from_raw_parts_mut(
                        words.as_mut_ptr().cast::<u8>(),
                        value.ty().size(),
                    )
                };
                value.encode(bytes);
                let slot = springboard::Slot::from_ptr(words.as_ptr());
                buffers.push(words);
                slot
            })
            .collect();
        let mut result = springboard::Slot::default();
        let r15 = hostile(
            downcall.as_raw() as *const c_void,
            lib.symbol(&format!("sb_callee_{index}")),
            slots.as_mut_ptr().cast(),
            (&mut result as *mut springboard::Slot).cast(),
        );
        assert_eq!(r15, 0x1515_1515_dead_beef, "case {index}: r15 not restored");
        assert_eq!(
            u64::from_le_bytes(result.0),
            hash_values(index, &case.values),
            "case {index}: `{}`",
            case.signature
        );
        checked += 1;
    }
    assert_eq!(checked, 103);
}

#[test]
fn what_cannot_be_variadic_is_a_typed_error() {
    use springboard::{
        emit_object, BoundaryError, Error, FastCall, FastCallError, Kind, NativeBoundary,
        ObjectItem, Request, Target, PLACEHOLDER_CALLEE,
    };
    let engine = Engine::new().unwrap();
    let signature: Signature = "(ptr, ...; i32, f64) -> i32".parse().unwrap();
    let fast = FastCall::new(signature.clone(), PLACEHOLDER_CALLEE);
    let Err(err) = engine.fast_call(&fast) else {
        panic!("a variadic fast call")
    };
    assert!(
        matches!(err, Error::FastCall(FastCallError::Variadic { .. })),
        "{err}"
    );
    let native = NativeBoundary::standard(signature.clone(), PLACEHOLDER_CALLEE).unwrap();
    let Err(err) = engine.native_entry(&native) else {
        panic!("a variadic native boundary")
    };
    assert!(
        matches!(err, Error::Boundary(BoundaryError::Variadic { .. })),
        "{err}"
    );
    // Objects take every convention's variadic calls: the shim-calling ones (System V
    // `%al`, Win64 float copies) carry their shims as local functions.
    let item = |convention: &str| ObjectItem {
        name: "printf_call".into(),
        request: Request::new(
            Kind::Downcall,
            format!("{convention} {signature}").parse().unwrap(),
        )
        .unwrap(),
    };
    for (triple, convention) in [
        ("x86_64-unknown-linux-gnu", "sysv"),
        ("x86_64-pc-windows-msvc", "win64"),
        ("aarch64-unknown-linux-gnu", "aapcs64"),
    ] {
        let target: Target = triple.parse().unwrap();
        if let Err(err) = emit_object(&target, &[item(convention)]) {
            panic!("{triple}: {err}");
        }
    }
    // A Windows variadic call with no float in a register slot needs no shim.
    let target: Target = "x86_64-pc-windows-msvc".parse().unwrap();
    let plain = ObjectItem {
        name: "open_call".into(),
        request: Request::new(
            Kind::Downcall,
            "win64 (ptr, i32, ...; u32) -> i32".parse().unwrap(),
        )
        .unwrap(),
    };
    assert!(emit_object(&target, &[plain]).is_ok());
}
