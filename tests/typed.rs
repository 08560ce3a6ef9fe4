//! The typed API against gcc-compiled C (tests/c/typed.c): signatures from Rust types,
//! typed downcalls and typed callbacks for every scalar type and a few structs, and
//! closure callbacks that fail without aborting.

mod common;

use springboard::{
    c_struct, CType, CallbackError, CallbackOptions, Engine, Error, OnPanic, Signature, Type,
    TypeError, TypedError, Value,
};
use std::ffi::c_void;
use std::sync::OnceLock;

fn library() -> &'static common::CLibrary {
    static LIBRARY: OnceLock<common::CLibrary> = OnceLock::new();
    LIBRARY.get_or_init(|| common::build_c_library("typed_api", include_str!("c/typed.c")))
}

fn symbol(name: &str) -> *const c_void {
    library().symbol(name)
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new().unwrap())
}

c_struct! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    struct Pair {
        re: f64,
        im: f64,
    }
}

c_struct! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    struct Tagged {
        tag: i8,
        value: f64,
    }
}

c_struct! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    struct Rgb {
        r: u8,
        g: u8,
        b: u8,
    }
}

c_struct! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    struct Vec3N {
        v: [f32; 3],
        n: i32,
    }
}

c_struct! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    struct Triple {
        a: i64,
        b: i64,
        c: i64,
    }
}

#[test]
fn signatures_come_from_rust_types() {
    let cases: [(Result<Signature, TypedError>, &str); 8] = [
        (Signature::of::<extern "C" fn()>(), "()"),
        (
            Signature::of::<extern "C" fn(i32, f64) -> u8>(),
            "(i32, f64) -> u8",
        ),
        (
            Signature::of::<unsafe extern "C" fn(bool, i8, u8, i16, u16, i32, u32) -> i64>(),
            "(bool, i8, u8, i16, u16, i32, u32) -> i64",
        ),
        (
            Signature::of::<
                extern "C" fn(
                    u64,
                    isize,
                    usize,
                    f32,
                    f64,
                    *const u8,
                    *mut i32,
                    extern "C" fn(i32),
                    u8,
                    u8,
                    u8,
                    u8,
                ) -> *mut c_void,
            >(),
            "(u64, isize, usize, f32, f64, ptr, ptr, ptr, u8, u8, u8, u8) -> ptr",
        ),
        (
            Signature::of::<extern "C" fn(Pair) -> Pair>(),
            "({f64, f64}) -> {f64, f64}",
        ),
        (
            Signature::of::<extern "C" fn(Tagged, i8) -> Tagged>(),
            "({i8, f64}, i8) -> {i8, f64}",
        ),
        (
            Signature::of::<extern "C" fn(Rgb) -> Rgb>(),
            "({u8, u8, u8}) -> {u8, u8, u8}",
        ),
        (
            Signature::of::<extern "C" fn(Vec3N, f32) -> Vec3N>(),
            "({[f32; 3], i32}, f32) -> {[f32; 3], i32}",
        ),
    ];
    for (signature, text) in cases {
        assert_eq!(
            signature.unwrap(),
            text.parse::<Signature>().unwrap(),
            "{text}"
        );
    }
}

/// A hand-written impl whose C type does not match its Rust layout.
#[derive(Clone, Copy)]
#[repr(C)]
struct Lying(u64);

// SAFETY: deliberately wrong layout claim; the test checks it is caught, and the
// type is never passed to C.
unsafe impl CType for Lying {
    fn c_type() -> Result<Type, TypeError> {
        Type::structure([Type::I32])
    }
}

#[derive(Clone, Copy)]
#[repr(C)]
struct ScalarAsStruct(u32);

// SAFETY: as above: claims a scalar but keeps the default `AGGREGATE = true`.
unsafe impl CType for ScalarAsStruct {
    fn c_type() -> Result<Type, TypeError> {
        Ok(Type::U32)
    }
}

#[test]
fn signatures_that_cannot_be_built_are_typed_errors() {
    assert!(matches!(
        Signature::of::<extern "C" fn(())>(),
        Err(TypedError::Signature(_))
    ));
    assert!(matches!(
        Signature::of::<extern "C" fn([i32; 2])>(),
        Err(TypedError::Signature(_))
    ));
    assert!(matches!(
        Signature::of::<extern "C" fn([i32; 0])>(),
        Err(TypedError::Type(TypeError::EmptyArray))
    ));
    match Signature::of::<extern "C" fn(Lying)>() {
        Err(TypedError::Layout {
            size: 8,
            align: 8,
            c_type,
            ..
        }) => {
            assert_eq!(c_type.to_string(), "{i32}")
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        Signature::of::<extern "C" fn() -> ScalarAsStruct>(),
        Err(TypedError::Layout { .. })
    ));
    assert!(matches!(
        engine().typed_callback(|_: Lying| ()),
        Err(Error::Typed(TypedError::Layout { .. }))
    ));
}

#[test]
fn a_typed_handle_checks_the_signature() {
    let downcall = engine()
        .downcall(&"(i32, i32) -> i32".parse().unwrap())
        .unwrap();
    assert!(downcall.typed::<(i32, i32), i32>().is_ok());
    for wrong in [
        downcall.typed::<(i32, u32), i32>().map(drop),
        downcall.typed::<(i32, i32), i64>().map(drop),
        downcall.typed::<(i32,), i32>().map(drop),
        downcall.typed::<(i32, i32, i32), i32>().map(drop),
        downcall.typed::<(i32, i32), ()>().map(drop),
    ] {
        match wrong {
            Err(Error::Typed(TypedError::Mismatch { signature, .. })) => {
                assert_eq!(signature.to_string(), "(i32, i32) -> i32")
            }
            other => panic!("{other:?}"),
        }
    }
    // The convention is the trampoline's business, not the Rust types'.
    let win64 = engine()
        .downcall(&"win64 (i32) -> i32".parse().unwrap())
        .unwrap();
    assert!(win64.typed::<(i32,), i32>().is_ok());
}

/// For every scalar type: typed downcalls of `mix`, `widen` and `narrow`, and a typed
/// callback called from C, each against what C computes.
macro_rules! scalar_tests {
    ($($name:ident: $t:ty, $n:literal, [$($v:expr),+], $mix:expr, $to_i64:expr, $from_i64:expr;)*) => {$(
        #[test]
        fn $name() {
            let values: Vec<$t> = vec![$($v),+];
            let mix = engine().typed_downcall::<extern "C" fn($t, $t) -> $t>().unwrap();
            let widen = engine().typed_downcall::<extern "C" fn($t) -> i64>().unwrap();
            let narrow = engine().typed_downcall::<extern "C" fn(i64) -> $t>().unwrap();
            let call = engine()
                .typed_downcall::<extern "C" fn(*const c_void, $t, $t) -> i64>()
                .unwrap();
            let callback = engine()
                .typed_callback(|a: $t, b: $t| -> $t { $mix(a, b) })
                .unwrap();
            let code: unsafe extern "C" fn($t, $t) -> $t = callback.code();
            for &a in &values {
                // SAFETY (all calls): the callees have exactly these signatures.
                let widened = unsafe { widen.call(symbol(concat!("widen_", $n)), (a,)) };
                assert_eq!(widened, $to_i64(a), "widen({a:?})");
                let narrowed =
                    unsafe { narrow.call(symbol(concat!("narrow_", $n)), ($to_i64(a),)) };
                assert_eq!(narrowed, $from_i64($to_i64(a)), "narrow({a:?})");
                let garbage = $to_i64(a) ^ 0x5a5a_0000_0000_0000u64 as i64;
                let narrowed = unsafe { narrow.call(symbol(concat!("narrow_", $n)), (garbage,)) };
                assert_eq!(narrowed, $from_i64(garbage), "narrow({garbage:#x})");
                for &b in &values {
                    let mixed = unsafe { mix.call(symbol(concat!("mix_", $n)), (a, b)) };
                    assert_eq!(mixed, $mix(a, b), "mix({a:?}, {b:?})");
                    assert_eq!(unsafe { code(a, b) }, $mix(a, b), "callback({a:?}, {b:?})");
                    let through_c = unsafe {
                        call.call(symbol(concat!("call_", $n)), (code as *const c_void, a, b))
                    };
                    assert_eq!(through_c, $to_i64($mix(a, b)), "C calls back ({a:?}, {b:?})");
                }
            }
        }
    )*};
}

scalar_tests! {
    scalar_i8: i8, "i8", [0, 1, -1, i8::MIN, i8::MAX, 77], |a: i8, b: i8| a.wrapping_sub(b), i64::from, |x: i64| x as i8;
    scalar_u8: u8, "u8", [0, 1, 0x80, u8::MAX, 77], |a: u8, b: u8| a.wrapping_sub(b), i64::from, |x: i64| x as u8;
    scalar_i16: i16, "i16", [0, -1, i16::MIN, i16::MAX, 1234], |a: i16, b: i16| a.wrapping_sub(b), i64::from, |x: i64| x as i16;
    scalar_u16: u16, "u16", [0, 1, 0x8000, u16::MAX], |a: u16, b: u16| a.wrapping_sub(b), i64::from, |x: i64| x as u16;
    scalar_i32: i32, "i32", [0, -1, i32::MIN, i32::MAX, 99], |a: i32, b: i32| a.wrapping_sub(b), i64::from, |x: i64| x as i32;
    scalar_u32: u32, "u32", [0, 1, 0x8000_0000, u32::MAX], |a: u32, b: u32| a.wrapping_sub(b), i64::from, |x: i64| x as u32;
    scalar_i64: i64, "i64", [0, -1, i64::MIN, i64::MAX], |a: i64, b: i64| a.wrapping_sub(b), |x| x, |x| x;
    scalar_u64: u64, "u64", [0, 1, u64::MAX, 1 << 63], |a: u64, b: u64| a.wrapping_sub(b), |x: u64| x as i64, |x: i64| x as u64;
    scalar_isize: isize, "isize", [0, -1, isize::MIN, isize::MAX], |a: isize, b: isize| a.wrapping_sub(b), |x: isize| x as i64, |x: i64| x as isize;
    scalar_usize: usize, "usize", [0, 1, usize::MAX], |a: usize, b: usize| a.wrapping_sub(b), |x: usize| x as i64, |x: i64| x as usize;
    scalar_f32: f32, "f32", [0.0, -1.5, 1e10, f32::MIN_POSITIVE], |a: f32, b: f32| a - b, |x: f32| x as i64, |x: i64| x as f32;
    scalar_f64: f64, "f64", [0.0, -1.5, -1e15, 12345.678], |a: f64, b: f64| a - b, |x: f64| x as i64, |x: i64| x as f64;
    scalar_bool: bool, "bool", [false, true], |a: bool, b: bool| a && !b, i64::from, |x: i64| x != 0;
}

#[test]
fn pointers_void_nullary_and_twelve_parameters() {
    let text = b"springboard";
    let advance = engine()
        .typed_downcall::<extern "C" fn(*const u8, usize) -> *const u8>()
        .unwrap();
    // SAFETY (all calls): the callees have exactly these signatures and get valid
    // pointers.
    let p = unsafe { advance.call(symbol("advance"), (text.as_ptr(), 6)) };
    assert_eq!(p, text[6..].as_ptr());
    let back = engine()
        .typed_callback(|p: *const u8, n: usize| p.wrapping_add(n + 1))
        .unwrap();
    let call_ptr = engine()
        .typed_downcall::<extern "C" fn(*const c_void, *const u8, usize) -> *const u8>()
        .unwrap();
    let p = unsafe {
        call_ptr.call(
            symbol("call_ptr"),
            (back.code() as *const c_void, text.as_ptr(), 2),
        )
    };
    assert_eq!(p, text[3..].as_ptr());

    let store = engine()
        .typed_downcall::<extern "C" fn(*mut i32, i32)>()
        .unwrap();
    let mut out = 0;
    unsafe { store.call(symbol("store"), (&mut out, 17)) };
    assert_eq!(out, 17);
    let callback = engine()
        .typed_callback(|out: *mut i32, value: i32| unsafe { *out = value * 2 })
        .unwrap();
    let call_void = engine()
        .typed_downcall::<extern "C" fn(*const c_void, *mut i32, i32)>()
        .unwrap();
    unsafe {
        call_void.call(
            symbol("call_void"),
            (callback.code() as *const c_void, &mut out, 21),
        )
    };
    assert_eq!(out, 42);

    let nullary = engine().typed_downcall::<extern "C" fn() -> i32>().unwrap();
    assert_eq!(unsafe { nullary.call(symbol("forty_two"), ()) }, 42);
    let seven = engine().typed_callback(|| 7i32).unwrap();
    let call_nullary = engine()
        .typed_downcall::<extern "C" fn(extern "C" fn() -> i32) -> i32>()
        .unwrap();
    assert_eq!(
        unsafe { call_nullary.call(symbol("call_nullary"), (seven.leak(),)) },
        7
    );

    type Mixed12 =
        extern "C" fn(i8, u16, i32, i64, f32, f64, *const i32, u8, i16, u32, u64, f32) -> i64;
    let pointee = 1000i32;
    let expected: i64 = -3 + 40_000 - 100_000 + (1 << 40) + 2 - 7 + 1000 + 200 - 300
        + 3_000_000_000
        + (1 << 50)
        + 9;
    let mixed = engine().typed_downcall::<Mixed12>().unwrap();
    let args = (
        -3i8,
        40_000u16,
        -100_000i32,
        1i64 << 40,
        2.5f32,
        -7.25f64,
        &pointee as *const i32,
        200u8,
        -300i16,
        3_000_000_000u32,
        1u64 << 50,
        9.75f32,
    );
    assert_eq!(unsafe { mixed.call(symbol("mixed12"), args) }, expected);
    let seen = std::sync::Mutex::new(None);
    let seen = std::sync::Arc::new(seen);
    let record = std::sync::Arc::clone(&seen);
    let callback = engine()
        .typed_callback(
            move |a: i8,
                  b: u16,
                  c: i32,
                  d: i64,
                  e: f32,
                  f: f64,
                  p: *const i32,
                  g: u8,
                  h: i16,
                  i: u32,
                  j: u64,
                  k: f32| {
                *record.lock().unwrap() = Some((a, b, c, d, e, f, p as usize, g, h, i, j, k));
                -1i64
            },
        )
        .unwrap();
    let call_mixed = engine()
        .typed_downcall::<extern "C" fn(*const c_void, *const i32) -> i64>()
        .unwrap();
    let got = unsafe {
        call_mixed.call(
            symbol("call_mixed12"),
            (callback.code() as *const c_void, &pointee),
        )
    };
    assert_eq!(got, -1);
    let (a, b, c, d, e, f, p, g, h, i, j, k) = args;
    assert_eq!(
        seen.lock().unwrap().take(),
        Some((a, b, c, d, e, f, p as usize, g, h, i, j, k))
    );
}

#[test]
fn structs_by_value_in_typed_downcalls_and_callbacks() {
    // SAFETY (all calls): the callees have exactly these signatures.
    let rotate = engine()
        .typed_downcall::<extern "C" fn(Pair) -> Pair>()
        .unwrap();
    let z = Pair { re: 1.5, im: -2.0 };
    assert_eq!(
        unsafe { rotate.call(symbol("rotate"), (z,)) },
        Pair { re: 2.0, im: 1.5 }
    );

    let retag = engine()
        .typed_downcall::<extern "C" fn(Tagged, i8) -> Tagged>()
        .unwrap();
    let t = Tagged {
        tag: -4,
        value: 10.5,
    };
    assert_eq!(
        unsafe { retag.call(symbol("retag"), (t, 9)) },
        Tagged { tag: 9, value: 6.5 }
    );

    let swap = engine()
        .typed_downcall::<extern "C" fn(Rgb) -> Rgb>()
        .unwrap();
    let c = Rgb { r: 1, g: 2, b: 250 };
    assert_eq!(
        unsafe { swap.call(symbol("swap_rb"), (c,)) },
        Rgb { r: 250, g: 2, b: 1 }
    );

    let scale = engine()
        .typed_downcall::<extern "C" fn(Vec3N, f32) -> Vec3N>()
        .unwrap();
    let v = Vec3N {
        v: [1.0, -2.0, 0.5],
        n: 41,
    };
    assert_eq!(
        unsafe { scale.call(symbol("scale3"), (v, 2.0)) },
        Vec3N {
            v: [2.0, -4.0, 1.0],
            n: 42
        }
    );

    let shift = engine()
        .typed_downcall::<extern "C" fn(Triple, i64) -> Triple>()
        .unwrap();
    let t = Triple { a: 1, b: 2, c: 3 };
    assert_eq!(
        unsafe { shift.call(symbol("shift"), (t, 10)) },
        Triple {
            a: 12,
            b: 13,
            c: 11
        }
    );

    // Struct callbacks, called from C.
    let rotate_back = engine()
        .typed_callback(|z: Pair| Pair {
            re: z.im * 2.0,
            im: z.re,
        })
        .unwrap();
    let call_rotate = engine()
        .typed_downcall::<extern "C" fn(*const c_void, f64, f64) -> Pair>()
        .unwrap();
    let got = unsafe {
        call_rotate.call(
            symbol("call_rotate"),
            (rotate_back.code() as *const c_void, 3.0, 4.0),
        )
    };
    assert_eq!(got, Pair { re: 8.0, im: 3.0 });

    let shift_back = engine()
        .typed_callback(|t: Triple, by: i64| Triple {
            a: t.a * by,
            b: t.b - by,
            c: t.c,
        })
        .unwrap();
    let call_shift = engine()
        .typed_downcall::<extern "C" fn(*const c_void, i64, i64, i64, i64) -> Triple>()
        .unwrap();
    let got = unsafe {
        call_shift.call(
            symbol("call_shift"),
            (shift_back.code() as *const c_void, 5, 6, 7, 3),
        )
    };
    assert_eq!(got, Triple { a: 15, b: 3, c: 7 });

    let swap_back = engine()
        .typed_callback(|c: Rgb| Rgb {
            r: c.g,
            g: c.b,
            b: c.r,
        })
        .unwrap();
    let call_swap = engine()
        .typed_downcall::<extern "C" fn(*const c_void, u8, u8, u8) -> i64>()
        .unwrap();
    let got = unsafe {
        call_swap.call(
            symbol("call_swap_rb"),
            (swap_back.code() as *const c_void, 1, 2, 3),
        )
    };
    assert_eq!(got, 2 * 65536 + 3 * 256 + 1);
}

#[test]
fn a_typed_callback_panic_follows_on_panic() {
    let options = CallbackOptions {
        on_panic: OnPanic::ReturnZero,
    };
    let callback = engine()
        .typed_callback_with(options, |a: i32, b: i32| {
            if a == 13 {
                panic!("unlucky {b}");
            }
            a + b
        })
        .unwrap();
    let code = callback.code();
    // SAFETY (all calls): the callbacks are alive.
    assert_eq!(unsafe { code(1, 2) }, 3);
    assert!(callback.callback().take_panic().is_none());
    assert_eq!(unsafe { code(13, 2) }, 0);
    let payload = callback.callback().take_panic().expect("recorded");
    assert_eq!(
        payload.downcast_ref::<String>().map(String::as_str),
        Some("unlucky 2")
    );
    assert!(callback.callback().take_panic().is_none());
    let pair = engine()
        .typed_callback_with(options, |_: f64| -> Pair { panic!("no pair") })
        .unwrap();
    assert_eq!(unsafe { pair.code()(1.0) }, Pair { re: 0.0, im: 0.0 });
    assert!(pair.callback().take_panic().is_some());
}

#[test]
fn a_typed_callback_panic_aborts_by_default() {
    if std::env::var_os("SPRINGBOARD_TYPED_CHILD").is_some() {
        let callback = engine()
            .typed_callback(|_: i32| -> i32 { panic!("boom") })
            .unwrap();
        // SAFETY: the callback is alive.
        unsafe { callback.code()(1) };
        unreachable!("the panic aborts");
    }
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "a_typed_callback_panic_aborts_by_default",
            "--nocapture",
        ])
        .env("SPRINGBOARD_TYPED_CHILD", "1")
        .output()
        .unwrap();
    use std::os::unix::process::ExitStatusExt;
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.signal(), Some(libc::SIGABRT), "{stderr}");
    assert!(stderr.contains("panicked: boom"), "{stderr}");
}

/// `fn(i32, i32) -> i32` code of a `Value` callback, for calling it from Rust.
fn binary(callback: &springboard::Callback) -> extern "C" fn(i32, i32) -> i32 {
    // SAFETY: the callbacks below outlive the calls.
    unsafe { callback.as_fn() }.expect("a (i32, i32) -> i32 callback")
}

#[test]
fn a_value_closure_of_the_wrong_result_type_returns_zero_and_records_the_error() {
    let signature: Signature = "(i32, i32) -> i32".parse().unwrap();
    let callback = engine()
        .callback(&signature, |args| match args[0] {
            Value::I32(0) => Value::F64(1.0),
            Value::I32(a) => Value::I32(a * 2),
            _ => unreachable!(),
        })
        .unwrap();
    let f = binary(&callback);
    assert_eq!(f(5, 0), 10);
    assert!(callback.take_error().is_none());
    assert_eq!(f(0, 0), 0, "the zero value, not a panic");
    match callback.take_error() {
        Some(CallbackError::ResultType {
            expected, found, ..
        }) => {
            assert_eq!((expected, found), (Type::I32, Type::F64))
        }
        other => panic!("{other:?}"),
    }
    assert!(callback.take_error().is_none(), "taking clears it");
    assert!(callback.take_panic().is_none(), "an error is not a panic");
    assert_eq!(f(4, 0), 8, "the callback keeps working");

    // Struct results: a scalar, and a struct of another type with the same size.
    let pair: Type = "{f64, f64}".parse().unwrap();
    let other: Type = "{i64, i64}".parse().unwrap();
    let pair_signature = Signature::new([Type::I32], pair.clone());
    let callback = engine()
        .callback(&pair_signature, move |args| match args[0] {
            Value::I32(0) => Value::I32(3),
            Value::I32(1) => Value::structure(&other, &[Value::I64(1), Value::I64(2)]).unwrap(),
            _ => Value::structure(&pair, &[Value::F64(1.0), Value::F64(2.0)]).unwrap(),
        })
        .unwrap();
    // SAFETY: the callback has this signature and is alive.
    let f = unsafe { callback.as_fn::<extern "C" fn(i32) -> Pair>() }.unwrap();
    assert_eq!(f(2), Pair { re: 1.0, im: 2.0 });
    assert_eq!(f(0), Pair { re: 0.0, im: 0.0 });
    assert!(matches!(
        callback.take_error(),
        Some(CallbackError::ResultType { .. })
    ));
    assert_eq!(f(1), Pair { re: 0.0, im: 0.0 });
    assert!(matches!(
        callback.take_error(),
        Some(CallbackError::ResultType { found, .. }) if found.to_string() == "{i64, i64}"
    ));
}

#[test]
fn a_fallible_closure_error_returns_zero_and_records_the_error() {
    #[derive(Debug)]
    struct Refused(i32);
    impl std::fmt::Display for Refused {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "refused {}", self.0)
        }
    }
    impl std::error::Error for Refused {}

    let signature: Signature = "(i32, i32) -> i32".parse().unwrap();
    let callback = engine()
        .callback_fallible(&signature, |args| match (&args[0], &args[1]) {
            (Value::I32(a), Value::I32(b)) if *b != 0 => Ok(Value::I32(a / b)),
            (Value::I32(a), _) => Err(Refused(*a)),
            _ => unreachable!(),
        })
        .unwrap();
    let f = binary(&callback);
    assert_eq!(f(42, 6), 7);
    assert!(callback.take_error().is_none());
    assert_eq!(f(42, 0), 0);
    match callback.take_error() {
        Some(CallbackError::Handler { error, .. }) => {
            assert_eq!(error.downcast_ref::<Refused>().map(|r| r.0), Some(42))
        }
        other => panic!("{other:?}"),
    }
    // Called from C too.
    let call = engine()
        .typed_downcall::<extern "C" fn(*const c_void, i32, i32) -> i64>()
        .unwrap();
    // SAFETY: `call_i32` has this signature; the callback is alive.
    assert_eq!(
        unsafe { call.call(symbol("call_i32"), (callback.code(), 9, 0)) },
        0
    );
    let message = callback.take_error().unwrap().to_string();
    assert!(
        message.contains("refused 9") && message.contains("(i32, i32) -> i32"),
        "{message}"
    );
    // A panic in a fallible closure still follows `OnPanic`.
    let options = CallbackOptions {
        on_panic: OnPanic::ReturnZero,
    };
    let panicking = engine()
        .callback_fallible_with(&signature, options, |_| -> Result<Value, String> {
            panic!("inside")
        })
        .unwrap();
    assert_eq!(binary(&panicking)(1, 1), 0);
    assert!(panicking.take_panic().is_some());
    assert!(panicking.take_error().is_none());
}
