//! Callback benchmarks: C calling `(i32, i32) -> i32` through a springboard raw
//! callback, a springboard closure, a libffi closure and a plain C function (the
//! limit); qsort of 1,000,000 ints with each as comparator; and the cost of creating a
//! callback (signature already compiled, and new signature).
//!
//! `cargo bench --bench callback`; figures and ratios in BENCHMARKS.md.

#[path = "../tests/common/mod.rs"]
mod common;

use criterion::{criterion_group, BatchSize, BenchmarkId, Criterion, Throughput};
use libffi::middle::{Cif, Closure, Type as FfiType};
use springboard::{Engine, Signature, Slot, Type, Value};
use std::ffi::c_void;
use std::hint::black_box;
use std::time::{Duration, Instant};

const C_SOURCE: &str = r#"
#include <stdint.h>
#include <stdlib.h>
typedef int32_t (*binary_fn)(int32_t, int32_t);
/* Calls f n times in a dependency chain, so calls cannot overlap. */
int32_t fold_binary(binary_fn f, int32_t n) {
    int32_t acc = 0;
    for (int32_t i = 0; i < n; i++) acc = f(acc, i);
    return acc;
}
int32_t add_c(int32_t a, int32_t b) { return a + b; }
int compare_ints_c(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}
void sort_ints(int32_t *values, size_t n, int (*compare)(const void *, const void *)) {
    qsort(values, n, sizeof(int32_t), compare);
}
"#;

const CALLS_PER_ITERATION: i32 = 1000;
const SORTED: usize = 1_000_000;

type Fold = unsafe extern "C" fn(*const c_void, i32) -> i32;
type Sort = unsafe extern "C" fn(*mut i32, usize, *const c_void);

unsafe extern "C" fn add_handler(_: *mut c_void, args: *mut Slot, result: *mut Slot) {
    let (a, b) = unsafe { ((*args).as_i32(), (*args.add(1)).as_i32()) };
    unsafe {
        result
            .cast::<Slot>()
            .write(Slot::from_i32(a.wrapping_add(b)))
    };
}

unsafe extern "C" fn compare_handler(_: *mut c_void, args: *mut Slot, result: *mut Slot) {
    let (a, b) = unsafe { (*(*args).as_ptr::<i32>(), *(*args.add(1)).as_ptr::<i32>()) };
    unsafe {
        result
            .cast::<Slot>()
            .write(Slot::from_i32((a > b) as i32 - (a < b) as i32))
    };
}

/// libffi closure handlers write integer results as a whole `ffi_arg`.
unsafe extern "C" fn add_libffi(
    _: &libffi::low::ffi_cif,
    result: &mut u64,
    args: *const *const c_void,
    _: &(),
) {
    let (a, b) = unsafe { (*(*args).cast::<i32>(), *(*args.add(1)).cast::<i32>()) };
    *result = i64::from(a.wrapping_add(b)) as u64;
}

unsafe extern "C" fn compare_libffi(
    _: &libffi::low::ffi_cif,
    result: &mut u64,
    args: *const *const c_void,
    _: &(),
) {
    let (a, b) = unsafe {
        (
            **(*args).cast::<*const i32>(),
            **(*args.add(1)).cast::<*const i32>(),
        )
    };
    *result = i64::from((a > b) as i32 - (a < b) as i32) as u64;
}

fn add_closure(args: &[Value]) -> Value {
    match (&args[0], &args[1]) {
        (Value::I32(a), Value::I32(b)) => Value::I32(a.wrapping_add(*b)),
        _ => unreachable!("the signature fixes the types"),
    }
}

fn compare_closure(args: &[Value]) -> Value {
    match (&args[0], &args[1]) {
        (Value::Ptr(a), Value::Ptr(b)) => {
            // SAFETY: qsort passes pointers to two elements of the array.
            let (a, b) = unsafe { (*a.cast::<i32>(), *b.cast::<i32>()) };
            Value::I32((a > b) as i32 - (a < b) as i32)
        }
        _ => unreachable!("the signature fixes the types"),
    }
}

fn calls(c: &mut Criterion) {
    let library = common::build_c_library("bench_callbacks", C_SOURCE);
    // SAFETY: the C functions above, with their types.
    let (fold, sort): (Fold, Sort) = unsafe {
        (
            std::mem::transmute::<*const c_void, Fold>(library.symbol("fold_binary")),
            std::mem::transmute::<*const c_void, Sort>(library.symbol("sort_ints")),
        )
    };
    let engine = Engine::new().unwrap();
    let binary: Signature = "(i32, i32) -> i32".parse().unwrap();
    let comparator: Signature = "(ptr, ptr) -> i32".parse().unwrap();

    let raw_add = engine
        .callback_raw(&binary, add_handler, std::ptr::null_mut())
        .unwrap();
    let closure_add = engine.callback(&binary, add_closure).unwrap();
    let ffi_add = Closure::new(
        Cif::new([FfiType::i32(), FfiType::i32()], FfiType::i32()),
        add_libffi,
        &(),
    );
    let add_variants: [(&str, *const c_void); 4] = [
        ("c_function", library.symbol("add_c")),
        ("springboard_raw", raw_add.code()),
        ("springboard_closure", closure_add.code()),
        ("libffi_closure", *ffi_add.code_ptr() as *const c_void),
    ];
    let mut group = c.benchmark_group("callback_i32_i32");
    group.throughput(Throughput::Elements(CALLS_PER_ITERATION as u64));
    group
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    for (name, function) in add_variants {
        // Every variant must compute the same thing before it is timed.
        // SAFETY: each pointer is an (i32, i32) -> i32 function.
        assert_eq!(unsafe { fold(function, 100) }, (0..100).sum::<i32>());
        group.bench_function(name, |b| {
            b.iter(|| unsafe { fold(black_box(function), black_box(CALLS_PER_ITERATION)) })
        });
    }
    group.finish();

    let raw_compare = engine
        .callback_raw(&comparator, compare_handler, std::ptr::null_mut())
        .unwrap();
    let closure_compare = engine.callback(&comparator, compare_closure).unwrap();
    let ffi_compare = Closure::new(
        Cif::new([FfiType::pointer(), FfiType::pointer()], FfiType::i32()),
        compare_libffi,
        &(),
    );
    let compare_variants: [(&str, *const c_void); 4] = [
        ("c_comparator", library.symbol("compare_ints_c")),
        ("springboard_raw", raw_compare.code()),
        ("springboard_closure", closure_compare.code()),
        ("libffi_closure", *ffi_compare.code_ptr() as *const c_void),
    ];
    let mut rng = common::Rng(42);
    let unsorted: Vec<i32> = (0..SORTED).map(|_| rng.next_u64() as i32).collect();
    let mut sorted = unsorted.clone();
    sorted.sort_unstable();
    let mut group = c.benchmark_group("qsort_1m_ints");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    for (name, compare) in compare_variants {
        let mut check = unsorted.clone();
        // SAFETY: sort_ints with a comparator of qsort's type.
        unsafe { sort(check.as_mut_ptr(), check.len(), compare) };
        assert!(check == sorted, "{name} did not sort");
        group.bench_function(name, |b| {
            b.iter_batched_ref(
                || unsorted.clone(),
                |values| unsafe { sort(values.as_mut_ptr(), values.len(), compare) },
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

/// `count` distinct signatures that no engine has seen yet in this process.
fn distinct_signatures(count: usize, salt: usize) -> Vec<Signature> {
    let types = [
        Type::I64,
        Type::U64,
        Type::I32,
        Type::F64,
        Type::Ptr,
        Type::U16,
        Type::F32,
    ];
    (0..count)
        .map(|i| {
            let mut rest = i * 7 + salt;
            let params: Vec<Type> = (0..6)
                .map(|_| {
                    let ty = types[rest % types.len()].clone();
                    rest /= types.len();
                    ty
                })
                .collect();
            Signature::new(params, types[(i + salt) % types.len()].clone())
        })
        .collect()
}

fn creation(c: &mut Criterion) {
    let engine = Engine::new().unwrap();
    let binary: Signature = "(i32, i32) -> i32".parse().unwrap();
    drop(
        engine
            .callback_raw(&binary, add_handler, std::ptr::null_mut())
            .unwrap(),
    );
    let mut group = c.benchmark_group("callback_create");
    group
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    group.bench_function(BenchmarkId::new("compiled_signature", "raw"), |b| {
        b.iter_with_large_drop(|| {
            engine
                .callback_raw(black_box(&binary), add_handler, std::ptr::null_mut())
                .unwrap()
        })
    });
    group.bench_function(BenchmarkId::new("compiled_signature", "closure"), |b| {
        b.iter_with_large_drop(|| engine.callback(black_box(&binary), add_closure).unwrap())
    });
    let mut salt = 0;
    group.bench_function(BenchmarkId::new("new_signature", "raw"), |b| {
        b.iter_custom(|iterations| {
            // A fresh engine per batch: every signature compiles.
            let engine = Engine::new().unwrap();
            salt += 1;
            let signatures = distinct_signatures(iterations as usize, salt * 100_003);
            let mut keep = Vec::with_capacity(signatures.len());
            let start = Instant::now();
            for signature in &signatures {
                keep.push(
                    engine
                        .callback_raw(signature, add_handler, std::ptr::null_mut())
                        .unwrap(),
                );
            }
            let elapsed = start.elapsed();
            drop(keep);
            elapsed
        })
    });
    group.finish();
}

criterion_group!(benches, calls, creation);

/// With `SPRINGBOARD_CALLGRIND=VARIANT:N` (VARIANT one of c_function, springboard_raw,
/// springboard_closure, libffi_closure), folds N calls of that variant and exits, for
/// `scripts/callgrind-callback.sh`, which subtracts two runs to get instructions per
/// call. Otherwise runs the criterion benchmarks.
fn main() {
    if let Ok(request) = std::env::var("SPRINGBOARD_CALLGRIND") {
        let (variant, n) = request.split_once(':').expect("VARIANT:N");
        let n: i32 = n.parse().expect("N is a number");
        let library = common::build_c_library("bench_callbacks", C_SOURCE);
        // SAFETY: the C function above, with its type.
        let fold =
            unsafe { std::mem::transmute::<*const c_void, Fold>(library.symbol("fold_binary")) };
        let engine = Engine::new().unwrap();
        let binary: Signature = "(i32, i32) -> i32".parse().unwrap();
        let raw = engine
            .callback_raw(&binary, add_handler, std::ptr::null_mut())
            .unwrap();
        let closure = engine.callback(&binary, add_closure).unwrap();
        let ffi = Closure::new(
            Cif::new([FfiType::i32(), FfiType::i32()], FfiType::i32()),
            add_libffi,
            &(),
        );
        let function = match variant {
            "c_function" => library.symbol("add_c"),
            "springboard_raw" => raw.code(),
            "springboard_closure" => closure.code(),
            "libffi_closure" => *ffi.code_ptr() as *const c_void,
            other => panic!("unknown variant {other}"),
        };
        // SAFETY: every variant is an (i32, i32) -> i32 function.
        println!("{}", unsafe { fold(function, n) });
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
