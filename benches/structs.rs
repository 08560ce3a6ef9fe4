//! Struct-by-value downcall benchmark: a C function taking and returning
//! `{double, double}` (in SSE registers on x86-64 SysV), called directly, through a
//! springboard raw downcall, through the checked API, and through libffi.
//!
//! `cargo bench --bench structs`; figures in BENCHMARKS.md.

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use libffi::low::{ffi_cif, CodePtr};
use libffi::middle::{Cif, Type as FfiType};
use springboard::{Engine, Signature, Slot, Type, Value};
use std::ffi::c_void;
use std::hint::black_box;
use std::time::Duration;

const C_SOURCE: &str = r#"
typedef struct { double re, im; } pair;
pair rotate(pair z) { pair r = { -z.im, z.re }; return r; }
"#;

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
struct Pair {
    re: f64,
    im: f64,
}

fn structs(c: &mut Criterion) {
    let library = common::build_c_library("bench_structs", C_SOURCE);
    let rotate = library.symbol("rotate");
    // SAFETY: `rotate` has this C type; `Pair` is `#[repr(C)]` like the C struct.
    let direct: extern "C" fn(Pair) -> Pair = unsafe { std::mem::transmute(rotate) };
    let input = Pair { re: 1.5, im: -2.0 };
    let expected = Pair { re: 2.0, im: 1.5 };
    assert_eq!(direct(input), expected);

    let engine = Engine::new().unwrap();
    let signature: Signature = "({f64, f64}) -> {f64, f64}".parse().unwrap();
    let downcall = engine.downcall(&signature).unwrap();
    let args = [Slot::from_ptr(&input as *const Pair)];
    let mut out = Pair { re: 0.0, im: 0.0 };
    // SAFETY: one slot pointing to the struct; the result place holds a Pair.
    unsafe { downcall.call_raw(rotate, args.as_ptr(), (&mut out as *mut Pair).cast()) };
    assert_eq!(out, expected);

    let pair_type: Type = "{f64, f64}".parse().unwrap();
    let value = Value::structure(&pair_type, vec![Value::F64(1.5), Value::F64(-2.0)]).unwrap();
    // SAFETY: as above.
    let checked = unsafe { downcall.call(rotate, std::slice::from_ref(&value)) }.unwrap();
    assert_eq!(checked.to_string(), "{2.0, 1.5}");

    let ffi_pair = FfiType::structure([FfiType::f64(), FfiType::f64()]);
    let cif = Cif::new([ffi_pair.clone()], ffi_pair);
    let raw_cif: *mut ffi_cif = cif.as_raw_ptr();
    let mut arg_pointers = [(&input as *const Pair).cast_mut().cast::<c_void>()];
    let mut ffi_out = Pair { re: 0.0, im: 0.0 };
    // SAFETY: a prepared CIF for rotate's type, argument pointers to a live Pair.
    unsafe {
        libffi::raw::ffi_call(
            raw_cif,
            Some(*CodePtr(rotate.cast_mut()).as_fun()),
            (&mut ffi_out as *mut Pair).cast(),
            arg_pointers.as_mut_ptr(),
        )
    };
    assert_eq!(ffi_out, expected);

    let mut group = c.benchmark_group("struct_f64x2_arg_and_result");
    group
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(700));
    group.bench_function("direct", |b| b.iter(|| black_box(direct)(black_box(input))));
    group.bench_function("raw", |b| {
        b.iter(|| unsafe {
            downcall.call_raw(
                black_box(rotate),
                black_box(args.as_ptr()),
                (&mut out as *mut Pair).cast(),
            );
            black_box(out)
        })
    });
    group.bench_function("checked", |b| {
        b.iter(|| unsafe {
            downcall.call(black_box(rotate), black_box(std::slice::from_ref(&value)))
        })
    });
    group.bench_function("libffi", |b| {
        b.iter(|| unsafe {
            libffi::raw::ffi_call(
                black_box(raw_cif),
                Some(*CodePtr(rotate.cast_mut()).as_fun()),
                (&mut ffi_out as *mut Pair).cast(),
                black_box(arg_pointers.as_mut_ptr()),
            );
            black_box(ffi_out)
        })
    });
    group.finish();
}

criterion_group!(benches, structs);
criterion_main!(benches);
