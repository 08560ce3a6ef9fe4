//! Callback benchmarks: C calling `(i32, i32) -> i32` through a springboard raw
//! callback, a springboard context-binding callback (`callback_bound`, a native
//! handler taking the C arguments), a springboard `Value` closure, a springboard typed
//! closure, a libffi closure and a plain C function (the limit); qsort of 1,000,000
//! ints with each as comparator; and the cost of creating a callback (signature
//! already compiled, one at a time and 1000 kept alive, against libffi closures; and
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
use springboard::{
    CompilerOptions, Engine, EngineOptions, RawHandler, RegAlloc, Signature, Slot, Type, Value,
};
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

/// The context-binding handlers: the C arguments as they are.
extern "C" fn add_bound(_: *mut c_void, a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

extern "C" fn compare_bound(_: *mut c_void, a: *const i32, b: *const i32) -> i32 {
    // SAFETY: the C callers pass pointers to two elements of an int array.
    let (a, b) = unsafe { (*a, *b) };
    (a > b) as i32 - (a < b) as i32
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

const VARIANTS: [&str; 8] = [
    "c_function",
    "springboard_raw",
    "springboard_bound",
    "springboard_raw_backtracking",
    "springboard_bound_backtracking",
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
        let bound_add = engine
            .callback_bound(&binary, add_bound as *const c_void, std::ptr::null_mut())
            .unwrap();
        let closure_add = engine.callback(&binary, add_closure).unwrap();
        // The same trampolines compiled with the backtracking register allocator.
        let backtracking = Engine::with_options(EngineOptions {
            compiler: CompilerOptions {
                regalloc: RegAlloc::Backtracking,
                ..CompilerOptions::default()
            },
            ..EngineOptions::default()
        })
        .unwrap();
        let made = |signature: &Signature, handler: RawHandler, bound: *const c_void| {
            let raw = backtracking.callback_raw(signature, handler, std::ptr::null_mut());
            let bound = backtracking.callback_bound(signature, bound, std::ptr::null_mut());
            (raw.unwrap(), bound.unwrap())
        };
        let (raw_add_bt, bound_add_bt) = made(&binary, add_handler, add_bound as *const c_void);
        let (raw_compare_bt, bound_compare_bt) =
            made(&comparator, compare_handler, compare_bound as *const c_void);
        let typed_add = engine.typed_callback(typed_add).unwrap();
        let ffi_add = Box::new(Closure::new(
            Cif::new([FfiType::i32(), FfiType::i32()], FfiType::i32()),
            add_libffi,
            &(),
        ));
        let raw_compare = engine
            .callback_raw(&comparator, compare_handler, std::ptr::null_mut())
            .unwrap();
        let bound_compare = engine
            .callback_bound(
                &comparator,
                compare_bound as *const c_void,
                std::ptr::null_mut(),
            )
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
            ("springboard_bound", bound_add.code()),
            ("springboard_raw_backtracking", raw_add_bt.code()),
            ("springboard_bound_backtracking", bound_add_bt.code()),
            ("springboard_closure", closure_add.code()),
            ("springboard_typed", typed_add.code() as *const c_void),
            ("libffi_closure", *ffi_add.code_ptr() as *const c_void),
        ];
        let compare = vec![
            ("c_function", library.symbol("compare_ints_c")),
            ("springboard_raw", raw_compare.code()),
            ("springboard_bound", bound_compare.code()),
            ("springboard_raw_backtracking", raw_compare_bt.code()),
            ("springboard_bound_backtracking", bound_compare_bt.code()),
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
                vec![
                    raw_add,
                    bound_add,
                    raw_add_bt,
                    bound_add_bt,
                    raw_compare_bt,
                    bound_compare_bt,
                    closure_add,
                    raw_compare,
                    bound_compare,
                    closure_compare,
                ],
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
    out.push_str("| signature | C function | raw | bound | raw (backtracking) | bound (backtracking) | `Value` closure | typed closure | libffi closure |\n");
    out.push_str("|---|---|---|---|---|---|---|---|---|\n");
    let mut targets = String::new();
    let width = VARIANTS.len();
    for (signature, row) in [
        ("(i32, i32) -> i32", &ns[..width]),
        ("(ptr, ptr) -> i32", &ns[width..]),
    ] {
        let get = |name: &str| Some(row[VARIANTS.iter().position(|v| *v == name).unwrap()]);
        out.push_str(&format!("| `{signature}` |"));
        for name in VARIANTS {
            out.push_str(&format!(" {} |", report::fmt_num(get(name), 1.0, 2)));
        }
        out.push('\n');
        for (what, variant, base, limit) in [
            (
                "raw callback ≤ 2× a C function",
                "springboard_raw",
                "c_function",
                2.0,
            ),
            (
                "bound callback ≤ 2× a C function",
                "springboard_bound",
                "c_function",
                2.0,
            ),
            (
                "raw callback, backtracking ≤ 2× a C function",
                "springboard_raw_backtracking",
                "c_function",
                2.0,
            ),
            (
                "typed closure ≤ 0.5× libffi closure",
                "springboard_typed",
                "libffi_closure",
                0.5,
            ),
            (
                "`Value` closure ≤ 0.5× libffi closure",
                "springboard_closure",
                "libffi_closure",
                0.5,
            ),
        ] {
            let ratio = report::ratio(get(variant), get(base));
            targets.push_str(&format!(
                "| {what} (`{signature}`) | {} ({} vs {} ns) | {} |\n",
                report::fmt_ratio(ratio),
                report::fmt_num(get(variant), 1.0, 2),
                report::fmt_num(get(base), 1.0, 2),
                report::verdict(ratio.map(|r| r <= limit))
            ));
        }
    }
    out.push_str("\n| target | measured | met? |\n|---|---|---|\n");
    out.push_str(&targets);
    out
}

/// How many callbacks the kept-alive creation variants hold at once.
const KEPT: usize = 1000;

/// A libffi closure for `cif` calling `add_libffi`, allocated and prepared.
fn libffi_closure(cif: &Cif) -> *mut libffi::low::ffi_closure {
    let (closure, code) = libffi::low::closure_alloc();
    // SAFETY: a fresh closure, a prepared cif that outlives it, a handler of its type.
    unsafe {
        libffi::low::prep_closure(closure, cif.as_raw_ptr(), add_libffi, &(), code).unwrap();
    }
    closure
}

/// Creation of callbacks for a compiled signature, interleaved: libffi closures
/// (`ffi_closure_alloc` + `ffi_prep_closure_loc`, then `ffi_closure_free`) against
/// each springboard way, one at a time and [`KEPT`] alive at once; and a new
/// signature's first callback. Returns the Markdown section. With `callgrind` (a
/// variant's name and N), runs that variant N times to warm up, then N times inside
/// `callgrind_loop`, and returns nothing.
fn compare_creation(callgrind: Option<(&str, u64)>) -> String {
    let (rounds, turn) = report::rounds();
    let rounds = rounds.min(101);
    let engine = Engine::new().unwrap();
    let binary: Signature = "(i32, i32) -> i32".parse().unwrap();
    let factory = engine.callback_raw_factory(&binary).unwrap();
    let bound = engine.callback_bound_factory(&binary).unwrap();
    drop(engine.typed_callback(typed_add).unwrap());
    drop(engine.callback(&binary, add_closure).unwrap());
    let cif = Cif::new([FfiType::i32(), FfiType::i32()], FfiType::i32());
    let null = std::ptr::null_mut();
    let bound_handler = add_bound as *const c_void;
    let mut kept: Vec<springboard::Callback> = Vec::with_capacity(KEPT);
    let mut kept_ffi: Vec<*mut libffi::low::ffi_closure> = Vec::with_capacity(KEPT);
    let new_signatures = Engine::new().unwrap();
    let mut salt = 0;
    let mut variants: Vec<report::Variant<'_>> = vec![
        (
            "libffi_closure",
            Box::new(|n| {
                report::repeat(n, || {
                    // SAFETY: freed once, right after it was made.
                    unsafe { libffi::low::closure_free(libffi_closure(&cif)) }
                })
            }),
        ),
        (
            "engine.callback_raw",
            Box::new(|n| {
                report::repeat(n, || {
                    engine
                        .callback_raw(black_box(&binary), add_handler, null)
                        .unwrap()
                })
            }),
        ),
        (
            "factory.create",
            Box::new(|n| report::repeat(n, || factory.create(add_handler, null).unwrap())),
        ),
        (
            "bound factory.create_bound",
            Box::new(|n| report::repeat(n, || bound.create_bound(bound_handler, null).unwrap())),
        ),
        (
            "engine.callback (`Value` closure)",
            Box::new(|n| {
                report::repeat(n, || {
                    engine.callback(black_box(&binary), add_closure).unwrap()
                })
            }),
        ),
        (
            "engine.typed_callback",
            Box::new(|n| report::repeat(n, || engine.typed_callback(typed_add).unwrap())),
        ),
        (
            "libffi_closure, 1000 kept",
            Box::new(|n| {
                for done in (0..n).step_by(KEPT) {
                    let batch = KEPT.min((n - done) as usize);
                    kept_ffi.extend((0..batch).map(|_| libffi_closure(&cif)));
                    for closure in kept_ffi.drain(..) {
                        // SAFETY: each made above, freed once.
                        unsafe { libffi::low::closure_free(closure) };
                    }
                }
            }),
        ),
        (
            "factory.create, 1000 kept",
            Box::new(|n| {
                for done in (0..n).step_by(KEPT) {
                    let batch = KEPT.min((n - done) as usize);
                    kept.extend((0..batch).map(|_| factory.create(add_handler, null).unwrap()));
                    kept.clear();
                }
            }),
        ),
        (
            "new signature",
            Box::new(|n| {
                for _ in 0..n {
                    salt += 1;
                    let signature = distinct_signatures(1, salt).remove(0);
                    drop(
                        new_signatures
                            .callback_raw(&signature, add_handler, null)
                            .unwrap(),
                    );
                }
            }),
        ),
    ];
    if let Some((variant, n)) = callgrind {
        let (_, run) = variants
            .iter_mut()
            .find(|(name, _)| *name == variant)
            .unwrap_or_else(|| panic!("unknown creation variant {variant}"));
        run(n);
        report::callgrind_loop(1, || run(n));
        return String::new();
    }
    // The calibration runs every variant 1000 times: few rounds for the compiles.
    let ns = report::interleaved(&mut variants, rounds, turn);
    let names: Vec<&str> = variants.iter().map(|(name, _)| *name).collect();
    let get = |name: &str| Some(ns[names.iter().position(|v| *v == name).unwrap()]);
    let mut out = format!(
        "\n## Creating callbacks of a compiled signature, interleaved ({rounds} rounds, median ns per callback, create + free)\n\n| variant | ns | / libffi |\n|---|---|---|\n"
    );
    for name in &names {
        let base = if name.ends_with("kept") {
            "libffi_closure, 1000 kept"
        } else {
            "libffi_closure"
        };
        out.push_str(&format!(
            "| {name} | {} | {} |\n",
            report::fmt_num(get(name), 1.0, 1),
            report::fmt_ratio(report::ratio(get(name), get(base)))
        ));
    }
    out.push_str("\n| target | measured | met? |\n|---|---|---|\n");
    for (what, variant, base) in [
        (
            "create + drop ≤ libffi (`engine.callback_raw`)",
            "engine.callback_raw",
            "libffi_closure",
        ),
        (
            "create + drop ≤ libffi (factory)",
            "factory.create",
            "libffi_closure",
        ),
        (
            "create + drop ≤ libffi (bound factory)",
            "bound factory.create_bound",
            "libffi_closure",
        ),
        (
            "create + drop ≤ libffi (`Value` closure)",
            "engine.callback (`Value` closure)",
            "libffi_closure",
        ),
        (
            "create + drop ≤ libffi (typed closure)",
            "engine.typed_callback",
            "libffi_closure",
        ),
        (
            "1000 kept alive ≤ libffi (factory)",
            "factory.create, 1000 kept",
            "libffi_closure, 1000 kept",
        ),
    ] {
        let ratio = report::ratio(get(variant), get(base));
        out.push_str(&format!(
            "| {what} | {} ({} vs {} ns) | {} |\n",
            report::fmt_ratio(ratio),
            report::fmt_num(get(variant), 1.0, 1),
            report::fmt_num(get(base), 1.0, 1),
            report::verdict(ratio.map(|r| r <= 1.0))
        ));
    }
    let new = get("new signature");
    out.push_str(&format!(
        "| new signature ≤ 15 µs | {} µs | {} |\n",
        report::fmt_num(new, 1000.0, 1),
        report::verdict(new.map(|ns| ns <= 15_000.0))
    ));
    out
}

/// qsort of 1,000,000 ints through each comparator, interleaved: `rounds` rounds, each
/// sorting the same unsorted copy once with every variant; the median per variant.
fn compare_qsort(callbacks: &Callbacks) -> String {
    let rounds: usize = std::env::var("SPRINGBOARD_QSORT_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(7);
    let mut rng = common::Rng(42);
    let unsorted: Vec<i32> = (0..SORTED).map(|_| rng.next_u64() as i32).collect();
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); callbacks.compare.len()];
    let mut values = unsorted.clone();
    for _ in 0..rounds {
        for (&(_, compare), times) in callbacks.compare.iter().zip(&mut times) {
            values.copy_from_slice(&unsorted);
            let start = Instant::now();
            // SAFETY: sort_ints with a comparator of qsort's type.
            unsafe { (callbacks.sort)(values.as_mut_ptr(), values.len(), compare) };
            times.push(start.elapsed().as_secs_f64() * 1e3);
        }
    }
    let median = |times: &mut Vec<f64>| {
        times.sort_by(f64::total_cmp);
        times[times.len() / 2]
    };
    let ms: Vec<f64> = times.iter_mut().map(median).collect();
    let get = |name: &str| {
        let index = callbacks
            .compare
            .iter()
            .position(|(n, _)| *n == name)
            .unwrap();
        Some(ms[index])
    };
    let mut out = format!(
        "\n## qsort of 1,000,000 ints, interleaved ({rounds} rounds, median ms per sort)\n\n| comparator | ms | / C comparator |\n|---|---|---|\n"
    );
    for &(name, _) in &callbacks.compare {
        out.push_str(&format!(
            "| {name} | {} | {} |\n",
            report::fmt_num(get(name), 1.0, 1),
            report::fmt_ratio(report::ratio(get(name), get("c_function")))
        ));
    }
    out.push_str("\n| target | measured | met? |\n|---|---|---|\n");
    for (what, variant, limit) in [
        ("raw callback ≤ 1.2× C comparator", "springboard_raw", 1.2),
        (
            "bound callback ≤ 1.2× C comparator",
            "springboard_bound",
            1.2,
        ),
        (
            "raw callback, backtracking ≤ 1.2× C comparator",
            "springboard_raw_backtracking",
            1.2,
        ),
        ("typed closure ≤ 2× C comparator", "springboard_typed", 2.0),
        (
            "`Value` closure ≤ 2× C comparator",
            "springboard_closure",
            2.0,
        ),
    ] {
        let ratio = report::ratio(get(variant), get("c_function"));
        out.push_str(&format!(
            "| {what} | {} | {} |\n",
            report::fmt_ratio(ratio),
            report::verdict(ratio.map(|r| r <= limit))
        ));
    }
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

/// With `SPRINGBOARD_CALLGRIND=VARIANT:N` (VARIANT one of [`VARIANTS`]; `compare_`
/// before it for the `(ptr, ptr) -> i32` comparator), makes N calls of that variant
/// from C and exits; with `SPRINGBOARD_CALLGRIND=create:NAME:N`, N creations of the
/// creation variant NAME (see [`compare_creation`]) inside `callgrind_loop`; both for
/// `scripts/callgrind-callback.sh`. Otherwise runs the criterion benchmarks, then the interleaved comparison.
fn main() {
    let callbacks = Callbacks::new();
    if let Ok(request) = std::env::var("SPRINGBOARD_CALLGRIND") {
        let (variant, n) = request.rsplit_once(':').expect("VARIANT:N");
        let n: i32 = n.parse().expect("N is a number");
        if let Some(variant) = variant.strip_prefix("create:") {
            compare_creation(Some((variant, n as u64)));
            return;
        }
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
        println!("{}", compare_creation(None));
        println!("{}", compare_qsort(&callbacks));
    }
}
