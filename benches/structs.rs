//! Struct-by-value downcall benchmark: a C function taking and returning
//! `{double, double}` (in SSE registers on x86-64 SysV), called directly, through a
//! springboard raw downcall, the typed API, the checked API, and libffi.
//!
//! - `cargo bench --bench structs`: criterion groups, then an interleaved comparison
//!   of the same variants (every variant measured in turn, round after round) with the
//!   item-6 targets; figures in BENCHMARKS.md. `SPRINGBOARD_COMPARE=1` runs only the
//!   comparison.
//! - `SPRINGBOARD_CALLGRIND=<variant>` with `SPRINGBOARD_CALLGRIND_N` runs one variant
//!   inside `callgrind_loop` and exits (`scripts/callgrind-structs.sh`).

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "support/report.rs"]
mod report;

use criterion::Criterion;
use libffi::low::{ffi_cif, CodePtr};
use libffi::middle::{Cif, Type as FfiType};
use springboard::{c_struct, Downcall, Engine, Signature, Slot, Type, TypedDowncall, Value};
use std::ffi::c_void;
use std::hint::black_box;
use std::time::Duration;

const C_SOURCE: &str = r#"
typedef struct { double re, im; } pair;
pair rotate(pair z) { pair r = { -z.im, z.re }; return r; }
"#;

c_struct! {
    #[derive(Clone, Copy, Debug, PartialEq)]
    struct Pair {
        re: f64,
        im: f64,
    }
}

const INPUT: Pair = Pair { re: 1.5, im: -2.0 };
const EXPECTED: Pair = Pair { re: 2.0, im: 1.5 };

/// Everything each path needs, prepared once.
struct Fixture {
    rotate: *const c_void,
    direct: extern "C" fn(Pair) -> Pair,
    downcall: Downcall,
    typed: TypedDowncall<(Pair,), Pair>,
    args: [Slot; 1],
    value: Value,
    cif: Cif,
    _library: common::CLibrary,
}

impl Fixture {
    fn new() -> Fixture {
        let library = common::build_c_library("bench_structs", C_SOURCE);
        let rotate = library.symbol("rotate");
        let engine = Engine::new().unwrap();
        let signature: Signature = "({f64, f64}) -> {f64, f64}".parse().unwrap();
        let downcall = engine.downcall(&signature).unwrap();
        // The value is built from the signature's own type, as a runtime (or the CLI)
        // builds values for a downcall: the type check is then a pointer compare.
        let pair_type: Type = signature.params[0].clone();
        let ffi_pair = FfiType::structure([FfiType::f64(), FfiType::f64()]);
        let fixture = Fixture {
            rotate,
            // SAFETY: `rotate` has this C type; `Pair` is `#[repr(C)]` like the C struct.
            direct: unsafe {
                std::mem::transmute::<*const c_void, extern "C" fn(Pair) -> Pair>(rotate)
            },
            typed: downcall.typed().unwrap(),
            downcall,
            args: [Slot::from_ptr(&INPUT as *const Pair)],
            value: Value::structure(&pair_type, &[Value::F64(1.5), Value::F64(-2.0)]).unwrap(),
            cif: Cif::new([ffi_pair.clone()], ffi_pair),
            _library: library,
        };
        assert_eq!(fixture.direct(), EXPECTED);
        assert_eq!(fixture.raw(), EXPECTED);
        assert_eq!(fixture.typed(), EXPECTED);
        assert_eq!(fixture.checked().to_string(), "{2.0, 1.5}");
        let mut out = Value::I32(7);
        fixture.checked_into(&mut out);
        assert_eq!(out, fixture.checked());
        fixture.checked_into(&mut out);
        assert_eq!(out.to_string(), "{2.0, 1.5}", "a reused result value");
        assert_eq!(fixture.libffi(), EXPECTED);
        fixture
    }

    #[inline(always)]
    fn direct(&self) -> Pair {
        black_box(self.direct)(black_box(INPUT))
    }

    #[inline(always)]
    fn raw(&self) -> Pair {
        let mut out = Pair { re: 0.0, im: 0.0 };
        // SAFETY: one slot pointing to the struct; the result place holds a Pair.
        unsafe {
            self.downcall.call_raw(
                black_box(self.rotate),
                black_box(self.args.as_ptr()),
                (&mut out as *mut Pair).cast(),
            )
        };
        out
    }

    #[inline(always)]
    fn typed(&self) -> Pair {
        // SAFETY: `rotate` has the typed signature.
        unsafe { black_box(&self.typed).call(black_box(self.rotate), (black_box(INPUT),)) }
    }

    #[inline(always)]
    fn checked(&self) -> Value {
        // SAFETY: as above; the value matches the signature.
        unsafe {
            black_box(&self.downcall).call(
                black_box(self.rotate),
                black_box(std::slice::from_ref(&self.value)),
            )
        }
        .unwrap()
    }

    /// The checked call writing into the caller's result value (`call_into`), as
    /// libffi's `ffi_call` writes into the caller's result place.
    #[inline(always)]
    fn checked_into(&self, out: &mut Value) {
        // SAFETY: as above.
        unsafe {
            black_box(&self.downcall).call_into(
                black_box(self.rotate),
                black_box(std::slice::from_ref(&self.value)),
                black_box(&mut *out),
            )
        }
        .unwrap()
    }

    #[inline(always)]
    fn libffi(&self) -> Pair {
        let mut out = Pair { re: 0.0, im: 0.0 };
        let mut arg_pointers = [(&INPUT as *const Pair).cast_mut().cast::<c_void>()];
        let raw_cif: *mut ffi_cif = self.cif.as_raw_ptr();
        // SAFETY: a prepared CIF for rotate's type, argument pointers to a live Pair.
        unsafe {
            libffi::raw::ffi_call(
                black_box(raw_cif),
                Some(*CodePtr(self.rotate.cast_mut()).as_fun()),
                (&mut out as *mut Pair).cast(),
                black_box(arg_pointers.as_mut_ptr()),
            )
        };
        out
    }
}

const VARIANTS: [&str; 6] = [
    "direct",
    "raw",
    "typed",
    "checked",
    "checked_into",
    "libffi",
];

fn run(fixture: &Fixture, variant: &str, n: u64) {
    let mut out = Value::Void;
    match variant {
        "checked_into" => report::repeat(n, || fixture.checked_into(&mut out)),
        "direct" => report::repeat(n, || fixture.direct()),
        "raw" => report::repeat(n, || fixture.raw()),
        "typed" => report::repeat(n, || fixture.typed()),
        "checked" => report::repeat(n, || fixture.checked()),
        "libffi" => report::repeat(n, || fixture.libffi()),
        other => panic!("unknown variant {other}"),
    }
}

fn structs(c: &mut Criterion, fixture: &Fixture) {
    let mut group = c.benchmark_group("struct_f64x2_arg_and_result");
    group
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(700));
    group.bench_function("direct", |b| b.iter(|| fixture.direct()));
    group.bench_function("raw", |b| b.iter(|| fixture.raw()));
    group.bench_function("typed", |b| b.iter(|| fixture.typed()));
    group.bench_function("checked", |b| b.iter(|| fixture.checked()));
    let mut out = Value::Void;
    group.bench_function("checked_into", |b| {
        b.iter(|| fixture.checked_into(&mut out))
    });
    group.bench_function("libffi", |b| b.iter(|| fixture.libffi()));
    group.finish();
}

/// The interleaved comparison and its targets, as Markdown.
fn compare(fixture: &Fixture) -> String {
    let (rounds, turn) = report::rounds();
    let mut variants: Vec<report::Variant<'_>> = VARIANTS
        .iter()
        .map(|&name| {
            (
                name,
                Box::new(move |n| run(fixture, name, n)) as Box<dyn FnMut(u64)>,
            )
        })
        .collect();
    let ns = report::interleaved(&mut variants, rounds, turn);
    let get = |name: &str| Some(ns[VARIANTS.iter().position(|v| *v == name).unwrap()]);
    let mut out = format!(
        "\n## `({{f64, f64}}) -> {{f64, f64}}`, interleaved ({rounds} rounds, median ns per call)\n\n"
    );
    out.push_str(
        "| direct | raw | typed | checked | checked into | libffi | typed / raw \
         | checked / libffi | checked into / libffi |\n",
    );
    out.push_str("|---|---|---|---|---|---|---|---|---|\n");
    let typed_raw = report::ratio(get("typed"), get("raw"));
    let checked_libffi = report::ratio(get("checked"), get("libffi"));
    let into_libffi = report::ratio(get("checked_into"), get("libffi"));
    out.push_str(&format!(
        "| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
        report::fmt_num(get("direct"), 1.0, 2),
        report::fmt_num(get("raw"), 1.0, 2),
        report::fmt_num(get("typed"), 1.0, 2),
        report::fmt_num(get("checked"), 1.0, 2),
        report::fmt_num(get("checked_into"), 1.0, 2),
        report::fmt_num(get("libffi"), 1.0, 2),
        report::fmt_ratio(typed_raw),
        report::fmt_ratio(checked_libffi),
        report::fmt_ratio(into_libffi),
    ));
    out.push_str("\n| target | measured | met? |\n|---|---|---|\n");
    out.push_str(&format!(
        "| checked ≤ libffi (`struct_f64x2`) | {} | {} |\n",
        report::fmt_ratio(checked_libffi),
        report::verdict(checked_libffi.map(|r| r <= 1.0))
    ));
    out.push_str(&format!(
        "| checked into ≤ libffi (`struct_f64x2`) | {} | {} |\n",
        report::fmt_ratio(into_libffi),
        report::verdict(into_libffi.map(|r| r <= 1.0))
    ));
    out.push_str(&format!(
        "| typed ≤ 1.5× raw (`struct_f64x2`) | {} | {} |\n",
        report::fmt_ratio(typed_raw),
        report::verdict(typed_raw.map(|r| r <= 1.5))
    ));
    out
}

fn main() {
    let fixture = Fixture::new();
    if let Ok(variant) = std::env::var("SPRINGBOARD_CALLGRIND") {
        let n: u64 = std::env::var("SPRINGBOARD_CALLGRIND_N")
            .ok()
            .map_or(100_000, |n| n.parse().expect("SPRINGBOARD_CALLGRIND_N"));
        match variant.as_str() {
            "empty" => report::callgrind_loop(n, || ()),
            "direct" => report::callgrind_loop(n, || fixture.direct()),
            "raw" => report::callgrind_loop(n, || fixture.raw()),
            "typed" => report::callgrind_loop(n, || fixture.typed()),
            "checked" => report::callgrind_loop(n, || fixture.checked()),
            "checked_into" => {
                let mut out = Value::Void;
                report::callgrind_loop(n, || fixture.checked_into(&mut out))
            }
            "libffi" => report::callgrind_loop(n, || fixture.libffi()),
            other => panic!("unknown variant {other}"),
        }
        return;
    }
    if std::env::var_os("SPRINGBOARD_COMPARE").is_none() {
        let mut criterion = Criterion::default()
            .output_directory(&report::criterion_dir())
            .configure_from_args();
        structs(&mut criterion, &fixture);
        criterion.final_summary();
    }
    if report::benchmarking() {
        println!("{}", compare(&fixture));
    }
}
