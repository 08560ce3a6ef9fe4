//! Callback benchmarks: C calling `(i32, i32) -> i32` through a springboard raw
//! callback, a springboard `Value` closure, a springboard typed closure, a libffi
//! closure and a plain C function (the limit); qsort of 1,000,000 ints with each as
//! comparator; and the cost of creating a callback (signature already compiled, and
//! new signature).
//!
//! `cargo bench --bench callback`: criterion groups, then an interleaved comparison
//! of the per-call variants of both signatures (every variant measured in turn, round
//! after round) with the item-6 targets; `SPRINGBOARD_COMPARE=1` runs only the
//! comparison. Figures and ratios in BENCHMARKS.md.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "support/report.rs"]
mod report;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput};
use libffi::middle::{Cif, Closure, Type as FfiType};
use springboard::{Engine, EngineOptions, Signature, Slot, Type, Value};
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
/* Calls compare n times on elements of a 1024-int array, each call's operands
 * depending on the previous result. */
int32_t fold_compare(int (*compare)(const void *, const void *), const int32_t *values,
                     int32_t n) {
    int32_t acc = 0;
    for (int32_t i = 0; i < n; i++)
        acc += compare(&values[i & 1023], &values[(i + acc) & 1023]);
    return acc;
}
"#;

const CALLS_PER_ITERATION: i32 = 1000;
const SORTED: usize = 1_000_000;

type Fold = unsafe extern "C" fn(*const c_void, i32) -> i32;
type Sort = unsafe extern "C" fn(*mut i32, usize, *const c_void);
type FoldCompare = unsafe extern "C" fn(*const c_void, *const i32, i32) -> i32;

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

fn typed_add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

fn typed_compare(a: *const i32, b: *const i32) -> i32 {
    // SAFETY: the C callers pass pointers to two elements of an int array.
    let (a, b) = unsafe { (*a, *b) };
    (a > b) as i32 - (a < b) as i32
}

/// The variants of both signatures' callbacks, with everything they need alive.
struct Callbacks {
    _library: common::CLibrary,
    fold: Fold,
    sort: Sort,
    fold_compare: FoldCompare,
    _keep: (Vec<springboard::Callback>, Vec<Box<dyn std::any::Any>>),
    add: Vec<(&'static str, *const c_void)>,
    compare: Vec<(&'static str, *const c_void)>,
}

const VARIANTS: [&str; 5] = [
    "c_function",
    "springboard_raw",
    "springboard_closure",
    "springboard_typed",
    "libffi_closure",
];

impl Callbacks {
    fn new() -> Callbacks {
        let library = common::build_c_library("bench_callbacks", C_SOURCE);
        // SAFETY: the C functions above, with their types.
        let (fold, sort, fold_compare) = unsafe {
            (
                std::mem::transmute::<*const c_void, Fold>(library.symbol("fold_binary")),
                std::mem::transmute::<*const c_void, Sort>(library.symbol("sort_ints")),
                std::mem::transmute::<*const c_void, FoldCompare>(library.symbol("fold_compare")),
            )
        };
        let engine = Engine::new().unwrap();
        let binary: Signature = "(i32, i32) -> i32".parse().unwrap();
        let comparator: Signature = "(ptr, ptr) -> i32".parse().unwrap();
        let raw_add = engine
            .callback_raw(&binary, add_handler, std::ptr::null_mut())
            .unwrap();
        let closure_add = engine.callback(&binary, add_closure).unwrap();
        let typed_add = engine.typed_callback(typed_add).unwrap();
        let ffi_add = Box::new(Closure::new(
            Cif::new([FfiType::i32(), FfiType::i32()], FfiType::i32()),
            add_libffi,
            &(),
        ));
        let raw_compare = engine
            .callback_raw(&comparator, compare_handler, std::ptr::null_mut())
            .unwrap();
        let closure_compare = engine.callback(&comparator, compare_closure).unwrap();
        let typed_compare = engine.typed_callback(typed_compare).unwrap();
        let ffi_compare = Box::new(Closure::new(
            Cif::new([FfiType::pointer(), FfiType::pointer()], FfiType::i32()),
            compare_libffi,
            &(),
        ));
        let add = vec![
            ("c_function", library.symbol("add_c")),
            ("springboard_raw", raw_add.code()),
            ("springboard_closure", closure_add.code()),
            ("springboard_typed", typed_add.code() as *const c_void),
            ("libffi_closure", *ffi_add.code_ptr() as *const c_void),
        ];
        let compare = vec![
            ("c_function", library.symbol("compare_ints_c")),
            ("springboard_raw", raw_compare.code()),
            ("springboard_closure", closure_compare.code()),
            ("springboard_typed", typed_compare.code() as *const c_void),
            ("libffi_closure", *ffi_compare.code_ptr() as *const c_void),
        ];
        let typed_callbacks: Vec<Box<dyn std::any::Any>> = vec![
            Box::new(typed_add),
            Box::new(typed_compare),
            ffi_add,
            ffi_compare,
        ];
        Callbacks {
            _library: library,
            fold,
            sort,
            fold_compare,
            _keep: (
                vec![raw_add, closure_add, raw_compare, closure_compare],
                typed_callbacks,
            ),
            add,
            compare,
        }
    }
}

/// What the comparators compare in `fold_compare`.
fn compare_values() -> Vec<i32> {
    let mut rng = common::Rng(7);
    (0..1024).map(|_| rng.next_u64() as i32 % 1000).collect()
}

/// The interleaved comparison of both signatures' variants and the targets, as
/// Markdown.
fn compare(callbacks: &Callbacks) -> String {
    let (rounds, turn) = report::rounds();
    let values = compare_values();
    let (fold, fold_compare) = (callbacks.fold, callbacks.fold_compare);
    let mut variants: Vec<report::Variant<'_>> = Vec::new();
    for &(name, function) in &callbacks.add {
        // SAFETY: each pointer is an (i32, i32) -> i32 function.
        variants.push((
            name,
            Box::new(move |n| {
                black_box(unsafe { fold(black_box(function), n as i32) });
            }),
        ));
    }
    for &(name, function) in &callbacks.compare {
        let values = values.as_ptr();
        // SAFETY: each pointer is a comparator; `values` holds 1024 ints.
        variants.push((
            name,
            Box::new(move |n| {
                black_box(unsafe { fold_compare(black_box(function), values, n as i32) });
            }),
        ));
    }
    let ns = report::interleaved(&mut variants, rounds, turn);
    let mut out = format!(
        "\n## Callbacks called from C, interleaved ({rounds} rounds, median ns per call)\n\n"
    );
    out.push_str("| signature | C function | raw | `Value` closure | typed closure | libffi closure | closure / libffi | typed / raw |\n");
    out.push_str("|---|---|---|---|---|---|---|---|\n");
    let mut targets = String::new();
    for (signature, row) in [
        ("(i32, i32) -> i32", &ns[..5]),
        ("(ptr, ptr) -> i32", &ns[5..]),
    ] {
        let get = |name: &str| Some(row[VARIANTS.iter().position(|v| *v == name).unwrap()]);
        let closure_libffi = report::ratio(get("springboard_closure"), get("libffi_closure"));
        let typed_raw = report::ratio(get("springboard_typed"), get("springboard_raw"));
        out.push_str(&format!("| `{signature}` |"));
        for name in VARIANTS {
            out.push_str(&format!(" {} |", report::fmt_num(get(name), 1.0, 2)));
        }
        out.push_str(&format!(
            " {} | {} |\n",
            report::fmt_ratio(closure_libffi),
            report::fmt_ratio(typed_raw)
        ));
        targets.push_str(&format!(
            "| closure callback ≤ libffi closure (`{signature}`) | {} | {} |\n",
            report::fmt_ratio(closure_libffi),
            report::verdict(closure_libffi.map(|r| r <= 1.0))
        ));
        targets.push_str(&format!(
            "| typed closure ≤ 1.5× raw callback (`{signature}`) | {} | {} |\n",
            report::fmt_ratio(typed_raw),
            report::verdict(typed_raw.map(|r| r <= 1.5))
        ));
    }
    out.push_str("\n| target | measured | met? |\n|---|---|---|\n");
    out.push_str(&targets);
    out
}

fn calls(c: &mut Criterion, callbacks: &Callbacks) {
    let (fold, sort) = (callbacks.fold, callbacks.sort);
    let mut group = c.benchmark_group("callback_i32_i32");
    group.throughput(Throughput::Elements(CALLS_PER_ITERATION as u64));
    group
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    for &(name, function) in &callbacks.add {
        // Every variant must compute the same thing before it is timed.
        // SAFETY: each pointer is an (i32, i32) -> i32 function.
        assert_eq!(unsafe { fold(function, 100) }, (0..100).sum::<i32>());
        group.bench_function(name, |b| {
            b.iter(|| unsafe { fold(black_box(function), black_box(CALLS_PER_ITERATION)) })
        });
    }
    group.finish();

    let mut rng = common::Rng(42);
    let unsorted: Vec<i32> = (0..SORTED).map(|_| rng.next_u64() as i32).collect();
    let mut sorted = unsorted.clone();
    sorted.sort_unstable();
    let mut group = c.benchmark_group("qsort_1m_ints");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8));
    for &(name, compare) in &callbacks.compare {
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
    // The same engine without unwind registration: what registration costs per
    // callback created (one registration per chunk of instances).
    let unwind_off = Engine::with_options(EngineOptions {
        unwind_info: false,
        ..EngineOptions::default()
    })
    .unwrap();
    drop(
        unwind_off
            .callback_raw(&binary, add_handler, std::ptr::null_mut())
            .unwrap(),
    );
    let mut group = c.benchmark_group("callback_create");
    group
        .measurement_time(Duration::from_secs(3))
        .warm_up_time(Duration::from_secs(1));
    for (label, engine) in [
        ("compiled_signature", &engine),
        ("compiled_signature_unwind_off", &unwind_off),
    ] {
        group.bench_function(BenchmarkId::new(label, "raw"), |b| {
            b.iter_with_large_drop(|| {
                engine
                    .callback_raw(black_box(&binary), add_handler, std::ptr::null_mut())
                    .unwrap()
            })
        });
        group.bench_function(BenchmarkId::new(label, "closure"), |b| {
            b.iter_with_large_drop(|| engine.callback(black_box(&binary), add_closure).unwrap())
        });
    }
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

/// With `SPRINGBOARD_CALLGRIND=VARIANT:N` (VARIANT one of c_function, springboard_raw,
/// springboard_closure, springboard_typed, libffi_closure; `compare_` before it for the
/// `(ptr, ptr) -> i32` comparator), makes N calls of that variant from C and exits, for
/// `scripts/callgrind-callback.sh`, which subtracts two runs to get instructions per
/// call. Otherwise runs the criterion benchmarks, then the interleaved comparison.
fn main() {
    let callbacks = Callbacks::new();
    if let Ok(request) = std::env::var("SPRINGBOARD_CALLGRIND") {
        let (variant, n) = request.split_once(':').expect("VARIANT:N");
        let n: i32 = n.parse().expect("N is a number");
        let (list, variant) = match variant.strip_prefix("compare_") {
            Some(variant) => (&callbacks.compare, variant),
            None => (&callbacks.add, variant),
        };
        let function = list
            .iter()
            .find(|(name, _)| *name == variant)
            .unwrap_or_else(|| panic!("unknown variant {variant}"))
            .1;
        let values = compare_values();
        // SAFETY: every variant has the list's signature.
        let result = unsafe {
            if std::ptr::eq(list, &callbacks.compare) {
                (callbacks.fold_compare)(function, values.as_ptr(), n)
            } else {
                (callbacks.fold)(function, n)
            }
        };
        println!("{result}");
        return;
    }
    if std::env::var_os("SPRINGBOARD_COMPARE").is_none() {
        let mut criterion = Criterion::default().configure_from_args();
        calls(&mut criterion, &callbacks);
        creation(&mut criterion);
        criterion.final_summary();
    }
    if report::benchmarking() {
        println!("{}", compare(&callbacks));
    }
}
