//! Downcall benchmarks: per-call cost against a direct call and libffi, compile
//! latency, cache hits, and the register-allocator choice. BENCHMARKS.md has the
//! results and how to read them.
//!
//! - `cargo bench --bench downcall` runs everything under criterion, then prints a
//!   Markdown summary whose ratios all come from that one run (medians of criterion's
//!   samples, read back from its `estimates.json` files).
//! - With `SPRINGBOARD_CALLGRIND=<case>:<variant>` set, the binary instead runs one
//!   variant `SPRINGBOARD_CALLGRIND_N` times inside `callgrind_loop` and exits; see
//!   `scripts/callgrind-downcall.sh`.
//! - With `SPRINGBOARD_LISTING=1` set, it prints the trampolines' machine code under
//!   both register allocators and exits.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "support/report.rs"]
mod report;
#[path = "support/setup.rs"]
mod setup;

use report::{
    callgrind_loop, callgrind_request, fastest_ns, fmt_num, fmt_ratio, median_ns, push_targets,
    ran_other_mode, ratio, run_and_report, verdict,
};
use setup::{by_allocator, engine_with, raw_call};

use criterion::{BatchSize, Criterion};
use libffi::middle as ffi;
use springboard::code_memory::CodeMemory;
use springboard::{
    Downcall, Engine, EngineOptions, RawDowncall, RegAlloc, Request, Signature, Slot, Type,
    TypedDowncall, Value,
};
use std::collections::HashSet;
use std::ffi::c_void;
use std::fmt::Write as _;
use std::hint::black_box;

use std::time::{Duration, SystemTime};

const C_SOURCE: &str = include_str!("c/downcall.c");

type AddFn = extern "C" fn(i32, i32) -> i32;
type Sum6Fn = extern "C" fn(f64, f64, f64, f64, f64, f64) -> f64;
type Mixed12Fn =
    extern "C" fn(i8, u16, i32, i64, f32, f64, *const i32, u8, i16, u32, u64, f32) -> i64;

const ADD_ARGS: (i32, i32) = (2, 40);
const SUM6_ARGS: [f64; 6] = [0.5, -1.25, 2.0, 1e10, -3.75, 0.125];
/// What `mixed12`'s pointer argument points at.
static POINTEE: i32 = 1000;
const MIXED12_A: i8 = -3;
const MIXED12_B: u16 = 40_000;
const MIXED12_C: i32 = -100_000;
const MIXED12_D: i64 = 1 << 40;
const MIXED12_E: f32 = 2.5;
const MIXED12_F: f64 = -7.25;
const MIXED12_G: u8 = 200;
const MIXED12_H: i16 = -300;
const MIXED12_I: u32 = 3_000_000_000;
const MIXED12_J: u64 = 1 << 50;
const MIXED12_K: f32 = 9.75;

/// `sum6`'s arguments, each read through `black_box` (anew at every call).
#[inline(always)]
fn sum6_args() -> (f64, f64, f64, f64, f64, f64) {
    let [a, b, c, d, e, f] = SUM6_ARGS.map(black_box);
    (a, b, c, d, e, f)
}

/// `mixed12`'s arguments, each read through `black_box` (anew at every call).
#[inline(always)]
fn mixed12_fresh_args() -> Mixed12Args {
    (
        black_box(MIXED12_A),
        black_box(MIXED12_B),
        black_box(MIXED12_C),
        black_box(MIXED12_D),
        black_box(MIXED12_E),
        black_box(MIXED12_F),
        black_box(std::ptr::addr_of!(POINTEE)),
        black_box(MIXED12_G),
        black_box(MIXED12_H),
        black_box(MIXED12_I),
        black_box(MIXED12_J),
        black_box(MIXED12_K),
    )
}

fn mixed12_values() -> Vec<Value> {
    vec![
        Value::I8(MIXED12_A),
        Value::U16(MIXED12_B),
        Value::I32(MIXED12_C),
        Value::I64(MIXED12_D),
        Value::F32(MIXED12_E),
        Value::F64(MIXED12_F),
        Value::Ptr(std::ptr::addr_of!(POINTEE).cast_mut().cast()),
        Value::U8(MIXED12_G),
        Value::I16(MIXED12_H),
        Value::U32(MIXED12_I),
        Value::U64(MIXED12_J),
        Value::F32(MIXED12_K),
    ]
}

/// What the C `mixed12` computes, computed in Rust.
fn mixed12_expected() -> i64 {
    i64::from(MIXED12_A)
        + i64::from(MIXED12_B)
        + i64::from(MIXED12_C)
        + MIXED12_D
        + MIXED12_E as i64
        + MIXED12_F as i64
        + i64::from(POINTEE)
        + i64::from(MIXED12_G)
        + i64::from(MIXED12_H)
        + i64::from(MIXED12_I)
        + MIXED12_J as i64
        + MIXED12_K as i64
}

/// `mixed12`'s parameters as a tuple.
type Mixed12Args = (
    i8,
    u16,
    i32,
    i64,
    f32,
    f64,
    *const i32,
    u8,
    i16,
    u32,
    u64,
    f32,
);

/// `mixed12`'s arguments.
fn mixed12_args() -> Mixed12Args {
    (
        MIXED12_A,
        MIXED12_B,
        MIXED12_C,
        MIXED12_D,
        MIXED12_E,
        MIXED12_F,
        std::ptr::addr_of!(POINTEE),
        MIXED12_G,
        MIXED12_H,
        MIXED12_I,
        MIXED12_J,
        MIXED12_K,
    )
}

/// Runs `$case`'s held-argument typed call (`Typed::add_held` and the others) `$n`
/// times through `$repeat` (criterion's loop or callgrind's), the call inlined into
/// the loop.
macro_rules! typed_held {
    ($typed:expr, $case:expr, $repeat:path, $n:expr) => {
        match $case {
            "add" => {
                let args = black_box(ADD_ARGS);
                $repeat($n, || $typed.add_held(args))
            }
            "sum6" => {
                let [a, b, c, d, e, f] = black_box(SUM6_ARGS);
                $repeat($n, || $typed.sum6_held((a, b, c, d, e, f)))
            }
            _ => {
                let args = black_box(mixed12_args());
                $repeat($n, || $typed.mixed12_held(args))
            }
        }
    };
}

/// The typed downcalls (`TypedDowncall`) of the three functions.
struct Typed {
    add: TypedDowncall<(i32, i32), i32>,
    sum6: TypedDowncall<(f64, f64, f64, f64, f64, f64), f64>,
    mixed12: TypedDowncall<Mixed12Args, i64>,
    callees: [*const c_void; 3],
}

impl Typed {
    fn new(engine: &Engine, library: &common::CLibrary) -> Typed {
        Typed {
            add: engine.typed_downcall::<AddFn>().expect("typed add"),
            sum6: engine.typed_downcall::<Sum6Fn>().expect("typed sum6"),
            mixed12: engine.typed_downcall::<Mixed12Fn>().expect("typed mixed12"),
            callees: ["add", "sum6", "mixed12"].map(|name| library.symbol(name)),
        }
    }

    #[inline(always)]
    fn add(&self) -> Slot {
        let (a, b) = ADD_ARGS;
        // SAFETY: `add` has this signature.
        Slot::from_i32(unsafe {
            black_box(&self.add).call(black_box(self.callees[0]), (black_box(a), black_box(b)))
        })
    }

    #[inline(always)]
    fn sum6(&self) -> Slot {
        // SAFETY: `sum6` has this signature.
        Slot::from_f64(unsafe {
            black_box(&self.sum6).call(black_box(self.callees[1]), sum6_args())
        })
    }

    #[inline(always)]
    fn mixed12(&self) -> Slot {
        // SAFETY: `mixed12` has this signature; the pointer is valid.
        Slot::from_i64(unsafe {
            black_box(&self.mixed12).call(black_box(self.callees[2]), mixed12_fresh_args())
        })
    }

    /// `add` with arguments the caller already holds in variables (`args`, black-boxed
    /// once before the loop, so neither folded into the callee nor stored and reloaded
    /// by the bench on every call): what the pre-filled raw call gets, since its array
    /// is filled once. Likewise `sum6_held` and `mixed12_held`.
    #[inline(always)]
    fn add_held(&self, args: (i32, i32)) -> Slot {
        // SAFETY: `add` has this signature.
        Slot::from_i32(unsafe { black_box(&self.add).call(black_box(self.callees[0]), args) })
    }

    #[inline(always)]
    fn sum6_held(&self, args: (f64, f64, f64, f64, f64, f64)) -> Slot {
        // SAFETY: `sum6` has this signature.
        Slot::from_f64(unsafe { black_box(&self.sum6).call(black_box(self.callees[1]), args) })
    }

    #[inline(always)]
    fn mixed12_held(&self, args: Mixed12Args) -> Slot {
        // SAFETY: `mixed12` has this signature; the pointer is valid.
        Slot::from_i64(unsafe { black_box(&self.mixed12).call(black_box(self.callees[2]), args) })
    }

    fn call(&self, case: &str) -> Slot {
        match case {
            "add" => self.add(),
            "sum6" => self.sum6(),
            "mixed12" => self.mixed12(),
            other => panic!("no case {other}"),
        }
    }

    /// `add` through the raw entry point with its argument array filled on every call
    /// from the same (black-boxed) values `typed` passes: what a runtime whose values
    /// live elsewhere pays for a raw call. Likewise `sum6_raw_filled` and
    /// `mixed12_raw_filled`.
    #[inline(always)]
    fn add_raw_filled(&self) -> Slot {
        let (a, b) = ADD_ARGS;
        let slots = [Slot::from_i32(black_box(a)), Slot::from_i32(black_box(b))];
        raw_filled_call(self.add.downcall(), self.callees[0], &slots)
    }

    #[inline(always)]
    fn sum6_raw_filled(&self) -> Slot {
        let slots = SUM6_ARGS.map(|x| Slot::from_f64(black_box(x)));
        raw_filled_call(self.sum6.downcall(), self.callees[1], &slots)
    }

    #[inline(always)]
    fn mixed12_raw_filled(&self) -> Slot {
        let (a, b, c, d, e, f, g, h, i, j, k, l) = mixed12_fresh_args();
        let slots = [
            Slot::from_i8(a),
            Slot::from_u16(b),
            Slot::from_i32(c),
            Slot::from_i64(d),
            Slot::from_f32(e),
            Slot::from_f64(f),
            Slot::from_ptr(g),
            Slot::from_u8(h),
            Slot::from_i16(i),
            Slot::from_u32(j),
            Slot::from_u64(k),
            Slot::from_f32(l),
        ];
        raw_filled_call(self.mixed12.downcall(), self.callees[2], &slots)
    }

    fn raw_filled(&self, case: &str) -> Slot {
        match case {
            "add" => self.add_raw_filled(),
            "sum6" => self.sum6_raw_filled(),
            "mixed12" => self.mixed12_raw_filled(),
            other => panic!("no case {other}"),
        }
    }
}

/// One raw call of `downcall` with an argument array the caller just filled.
#[inline(always)]
fn raw_filled_call(downcall: &Downcall, callee: *const c_void, slots: &[Slot]) -> Slot {
    // SAFETY: `downcall` is the trampoline of `callee`'s signature and `slots` holds
    // one slot per parameter (the callers above pass that signature's values).
    unsafe { raw_call(downcall.as_raw(), callee, slots) }
}

/// The C functions as typed Rust function pointers: the direct call, the limit.
struct Callees {
    add: AddFn,
    sum6: Sum6Fn,
    mixed12: Mixed12Fn,
}

impl Callees {
    fn load(library: &common::CLibrary) -> Callees {
        // SAFETY: the symbols are the functions of benches/c/downcall.c, whose C types
        // these Rust types spell.
        unsafe {
            Callees {
                add: library.function("add"),
                sum6: library.function("sum6"),
                mixed12: library.function("mixed12"),
            }
        }
    }

    #[inline(always)]
    fn add(&self) -> Slot {
        let (a, b) = ADD_ARGS;
        Slot::from_i32(black_box(self.add)(black_box(a), black_box(b)))
    }

    #[inline(always)]
    fn sum6(&self) -> Slot {
        let (a, b, c, d, e, f) = sum6_args();
        Slot::from_f64(black_box(self.sum6)(a, b, c, d, e, f))
    }

    #[inline(always)]
    fn mixed12(&self) -> Slot {
        let (a, b, c, d, e, f, g, h, i, j, k, l) = mixed12_fresh_args();
        Slot::from_i64(black_box(self.mixed12)(a, b, c, d, e, f, g, h, i, j, k, l))
    }

    /// The direct call of `case` (for checks; the timed loops call the methods
    /// above so that nothing is dispatched inside them).
    fn direct(&self, case: &str) -> Slot {
        match case {
            "add" => self.add(),
            "sum6" => self.sum6(),
            "mixed12" => self.mixed12(),
            other => panic!("no case {other}"),
        }
    }
}

fn ffi_type(ty: &Type) -> ffi::Type {
    match ty {
        Type::Void => ffi::Type::void(),
        Type::Bool | Type::U8 => ffi::Type::u8(),
        Type::I8 => ffi::Type::i8(),
        Type::I16 => ffi::Type::i16(),
        Type::U16 => ffi::Type::u16(),
        Type::I32 => ffi::Type::i32(),
        Type::U32 => ffi::Type::u32(),
        Type::I64 => ffi::Type::i64(),
        Type::U64 => ffi::Type::u64(),
        Type::Isize => ffi::Type::isize(),
        Type::Usize => ffi::Type::usize(),
        Type::F32 => ffi::Type::f32(),
        Type::F64 => ffi::Type::f64(),
        Type::Ptr => ffi::Type::pointer(),
        other => panic!("the benchmarks use scalars only, not {other:?}"),
    }
}

/// One C function with everything every calling path needs prepared ahead of the
/// calls, as a runtime would have it.
struct Case {
    name: &'static str,
    callee: *const c_void,
    signature: Signature,
    expected: Value,
    /// Trampoline from the default engine (single-pass register allocation).
    downcall: Downcall,
    raw: RawDowncall,
    /// Trampoline compiled with the backtracking register allocator.
    raw_backtracking: RawDowncall,
    _downcall_backtracking: Downcall,
    values: Vec<Value>,
    /// The argument array, filled once.
    slots: Box<[Slot]>,
    /// libffi: a prepared CIF and argument pointers into `slots`, both reused.
    cif: ffi::Cif,
    ffi_callee: unsafe extern "C" fn(),
    ffi_args: Box<[*mut c_void]>,
}

impl Case {
    fn new(
        engines: &Engines,
        library: &common::CLibrary,
        name: &'static str,
        signature: &str,
        values: Vec<Value>,
        expected: Value,
    ) -> Case {
        let signature: Signature = signature.parse().expect("benchmark signature");
        let callee = library.symbol(name);
        let downcall = engines.single_pass.downcall(&signature).expect("compile");
        let downcall_backtracking = engines.backtracking.downcall(&signature).expect("compile");
        let slots: Box<[Slot]> = values.iter().map(Value::to_slot).collect();
        let ffi_args: Box<[*mut c_void]> = slots
            .iter()
            .map(|slot| std::ptr::from_ref(slot).cast_mut().cast())
            .collect();
        let cif = ffi::Cif::new(
            signature.params.iter().map(ffi_type),
            ffi_type(&signature.result),
        );
        Case {
            name,
            callee,
            expected,
            raw: downcall.as_raw(),
            downcall,
            raw_backtracking: downcall_backtracking.as_raw(),
            _downcall_backtracking: downcall_backtracking,
            values,
            slots,
            cif,
            // SAFETY: a function pointer from a data pointer to a function.
            ffi_callee: unsafe {
                std::mem::transmute::<*const c_void, unsafe extern "C" fn()>(callee)
            },
            ffi_args,
            signature,
        }
    }

    /// Raw downcall through `raw` with the pre-filled argument array.
    #[inline(always)]
    fn raw_call(&self, raw: RawDowncall) -> Slot {
        // SAFETY: `raw` is a trampoline for this case's signature, `callee` has it, and
        // `slots` holds one slot per parameter.
        unsafe { raw_call(raw, self.callee, &self.slots) }
    }

    /// The checked API: typed values in, typed value out.
    #[inline(always)]
    fn checked_call(&self) -> Value {
        // SAFETY: as in `raw_call`; the values match the signature.
        unsafe { black_box(&self.downcall).call(black_box(self.callee), black_box(&self.values)) }
            .expect("checked downcall")
    }

    /// `ffi_call` with the prepared CIF and argument pointers.
    #[inline(always)]
    fn libffi_call(&self) -> Slot {
        // An 8-byte slot holds libffi's widened integer results (`ffi_arg`) too.
        let mut result = Slot::default();
        // SAFETY: the CIF describes the callee; every argument pointer points at a
        // slot holding a value of its type in its first bytes.
        unsafe {
            libffi::raw::ffi_call(
                black_box(self.cif.as_raw_ptr()),
                Some(black_box(self.ffi_callee)),
                std::ptr::from_mut(&mut result).cast(),
                black_box(self.ffi_args.as_ptr().cast_mut()),
            )
        };
        result
    }

    /// Every calling path must compute what the C function computes.
    fn check(&self, callees: &Callees, typed: &Typed) {
        let result_type = &self.signature.result;
        let read = |slot: Slot| Value::from_slot(result_type, slot);
        for (path, got) in [
            ("direct", read(callees.direct(self.name))),
            ("raw", read(self.raw_call(self.raw))),
            (
                "raw (backtracking)",
                read(self.raw_call(self.raw_backtracking)),
            ),
            ("checked", self.checked_call()),
            ("typed", read(typed.call(self.name))),
            ("raw, filled per call", read(typed.raw_filled(self.name))),
            ("libffi", read(self.libffi_call())),
        ] {
            assert_eq!(got, self.expected, "{} through {path}", self.name);
        }
    }
}

/// The default engine, one with the backtracking register allocator, and the default
/// one without unwind registration (what registration costs per compile).
struct Engines {
    single_pass: Engine,
    backtracking: Engine,
    single_pass_unwind_off: Engine,
}

struct Fixture {
    engines: Engines,
    callees: Callees,
    typed: Typed,
    cases: Vec<Case>,
    _library: common::CLibrary,
}

impl Fixture {
    fn new() -> Fixture {
        let library = common::build_c_library("springboard_bench_downcall", C_SOURCE);
        let engines = Engines {
            single_pass: Engine::new().expect("engine"),
            backtracking: engine_with(
                RegAlloc::Backtracking,
                EngineOptions::default().cache_capacity,
            ),
            single_pass_unwind_off: Engine::with_options(EngineOptions {
                unwind_info: false,
                ..EngineOptions::default()
            })
            .expect("engine"),
        };
        let sum6_values: Vec<Value> = SUM6_ARGS.iter().map(|&x| Value::F64(x)).collect();
        let cases = vec![
            Case::new(
                &engines,
                &library,
                "add",
                "(i32, i32) -> i32",
                vec![Value::I32(ADD_ARGS.0), Value::I32(ADD_ARGS.1)],
                Value::I32(ADD_ARGS.0 + ADD_ARGS.1),
            ),
            Case::new(
                &engines,
                &library,
                "sum6",
                "(f64, f64, f64, f64, f64, f64) -> f64",
                sum6_values,
                Value::F64(SUM6_ARGS.iter().fold(0.0, |sum, x| sum + x)),
            ),
            Case::new(
                &engines,
                &library,
                "mixed12",
                "(i8, u16, i32, i64, f32, f64, ptr, u8, i16, u32, u64, f32) -> i64",
                mixed12_values(),
                Value::I64(mixed12_expected()),
            ),
        ];
        let callees = Callees::load(&library);
        let typed = Typed::new(&engines.single_pass, &library);
        for case in &cases {
            case.check(&callees, &typed);
        }
        Fixture {
            engines,
            callees,
            typed,
            cases,
            _library: library,
        }
    }

    fn case(&self, name: &str) -> &Case {
        self.cases
            .iter()
            .find(|case| case.name == name)
            .unwrap_or_else(|| panic!("no case {name}"))
    }
}

// ---------------------------------------------------------------------------------
// criterion groups

const PER_CALL_VARIANTS: [&str; 8] = [
    "direct",
    "raw",
    "raw_filled",
    "raw_backtracking",
    "typed",
    "typed_held",
    "checked",
    "libffi",
];

/// Runs `variant` of `case` `n` times (the loop inside, nothing dispatched per call).
fn run_variant(fixture: &Fixture, case: &Case, variant: &str, n: u64) {
    let (callees, typed) = (&fixture.callees, &fixture.typed);
    match (variant, case.name) {
        ("direct", "add") => report::repeat(n, || callees.add()),
        ("direct", "sum6") => report::repeat(n, || callees.sum6()),
        ("direct", _) => report::repeat(n, || callees.mixed12()),
        ("typed", "add") => report::repeat(n, || typed.add()),
        ("typed", "sum6") => report::repeat(n, || typed.sum6()),
        ("typed", _) => report::repeat(n, || typed.mixed12()),
        ("typed_held", name) => typed_held!(typed, name, report::repeat, n),
        ("raw", _) => report::repeat(n, || case.raw_call(case.raw)),
        ("raw_filled", "add") => report::repeat(n, || typed.add_raw_filled()),
        ("raw_filled", "sum6") => report::repeat(n, || typed.sum6_raw_filled()),
        ("raw_filled", _) => report::repeat(n, || typed.mixed12_raw_filled()),
        ("raw_backtracking", _) => report::repeat(n, || case.raw_call(case.raw_backtracking)),
        ("checked", _) => report::repeat(n, || case.checked_call()),
        ("libffi", _) => report::repeat(n, || case.libffi_call()),
        (other, _) => panic!("unknown variant {other}"),
    }
}

/// Every case's per-call variants measured interleaved (all of them in turn, round
/// after round), with the item-6 targets, as Markdown.
fn compare(fixture: &Fixture) -> String {
    let (rounds, turn) = report::rounds();
    let mut variants: Vec<report::Variant<'_>> = Vec::new();
    for case in &fixture.cases {
        for variant in PER_CALL_VARIANTS {
            variants.push((
                variant,
                Box::new(move |n| run_variant(fixture, case, variant, n)),
            ));
        }
    }
    let ns = report::interleaved(&mut variants, rounds, turn);
    let mut out = format!("\n## Per call, interleaved ({rounds} rounds, median ns per call)\n\n");
    out.push_str("| function | direct | raw | raw, filled per call | raw (backtracking) | typed | typed, arguments held | checked | libffi | typed held / raw | typed / raw filled per call | checked / libffi |\n");
    out.push_str("|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    let mut targets = String::new();
    for (case, row) in fixture.cases.iter().zip(ns.chunks(PER_CALL_VARIANTS.len())) {
        let get =
            |name: &str| Some(row[PER_CALL_VARIANTS.iter().position(|v| *v == name).unwrap()]);
        let typed_raw = ratio(get("typed_held"), get("raw"));
        let typed_filled = ratio(get("typed"), get("raw_filled"));
        let checked_libffi = ratio(get("checked"), get("libffi"));
        let _ = write!(out, "| `{}` |", case.name);
        for variant in PER_CALL_VARIANTS {
            let _ = write!(out, " {} |", fmt_num(get(variant), 1.0, 2));
        }
        let _ = writeln!(
            out,
            " {} | {} | {} |",
            fmt_ratio(typed_raw),
            fmt_ratio(typed_filled),
            fmt_ratio(checked_libffi)
        );
        let _ = writeln!(
            targets,
            "| checked ≤ libffi (`{}`) | {} | {} |",
            case.name,
            fmt_ratio(checked_libffi),
            verdict(checked_libffi.map(|r| r <= 1.0))
        );
        let _ = writeln!(
            targets,
            "| typed ≤ 1.5× raw (`{}`; both with arguments held: the raw array filled once, the typed arguments in variables) | {} | {} |",
            case.name,
            fmt_ratio(typed_raw),
            verdict(typed_raw.map(|r| r <= 1.5))
        );
        let _ = writeln!(
            targets,
            "| (not a target) typed / raw filled per call (`{}`) | {} | - |",
            case.name,
            fmt_ratio(typed_filled),
        );
    }
    out.push_str("\n| target | measured | met? |\n|---|---|---|\n");
    out.push_str(&targets);
    out
}

fn bench_per_call(c: &mut Criterion, fixture: &Fixture) {
    for case in &fixture.cases {
        let mut group = c.benchmark_group(format!("per_call_{}", case.name));
        group
            .sample_size(60)
            .warm_up_time(Duration::from_millis(700))
            .measurement_time(Duration::from_secs(2));
        let callees = &fixture.callees;
        group.bench_function("direct", |b| match case.name {
            "add" => b.iter(|| callees.add()),
            "sum6" => b.iter(|| callees.sum6()),
            _ => b.iter(|| callees.mixed12()),
        });
        group.bench_function("raw", |b| b.iter(|| case.raw_call(case.raw)));
        let typed = &fixture.typed;
        group.bench_function("raw_filled", |b| match case.name {
            "add" => b.iter(|| typed.add_raw_filled()),
            "sum6" => b.iter(|| typed.sum6_raw_filled()),
            _ => b.iter(|| typed.mixed12_raw_filled()),
        });
        group.bench_function("raw_backtracking", |b| {
            b.iter(|| case.raw_call(case.raw_backtracking))
        });
        group.bench_function("typed", |b| match case.name {
            "add" => b.iter(|| typed.add()),
            "sum6" => b.iter(|| typed.sum6()),
            _ => b.iter(|| typed.mixed12()),
        });
        group.bench_function("checked", |b| b.iter(|| case.checked_call()));
        group.bench_function("libffi", |b| b.iter(|| case.libffi_call()));
        group.finish();
    }
}

fn bench_compile(c: &mut Criterion, fixture: &Fixture) {
    let mut group = c.benchmark_group("compile_new_signature");
    group
        .sample_size(40)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for case in &fixture.cases {
        for (label, engine) in [
            ("single_pass", &fixture.engines.single_pass),
            ("backtracking", &fixture.engines.backtracking),
            (
                "single_pass_unwind_off",
                &fixture.engines.single_pass_unwind_off,
            ),
        ] {
            group.bench_function(format!("{}_{label}", case.name), |b| {
                b.iter(|| {
                    engine
                        .downcall_uncached(black_box(&case.signature))
                        .unwrap()
                })
            });
        }
    }
    group.finish();

    // Where the time of a new signature goes: Cranelift alone, installing alone.
    let mut group = c.benchmark_group("compile_breakdown");
    group
        .sample_size(40)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for case in &fixture.cases {
        for (label, engine) in [
            ("single_pass", &fixture.engines.single_pass),
            ("backtracking", &fixture.engines.backtracking),
        ] {
            let request = Request::Downcall(case.signature.clone());
            group.bench_function(format!("{}_codegen_{label}", case.name), |b| {
                b.iter(|| engine.compiler().compile(black_box(&request)).unwrap())
            });
        }
    }
    let code = fixture
        .engines
        .single_pass
        .compiler()
        .compile(&Request::Downcall(
            fixture.case("mixed12").signature.clone(),
        ))
        .unwrap()
        .bytes;
    // Each backing: the default (a memfd region written through a short-lived
    // alias on Linux) and anonymous pages swapped in with mremap.
    for (label, backing) in [
        ("install", springboard::CodeBacking::for_this_process()),
        ("install_anonymous", springboard::CodeBacking::Anonymous),
    ] {
        let memory = CodeMemory::with_backing(backing).unwrap();
        // A live neighbour: every install then goes into a page that holds live code,
        // which is the steady state of an engine with a populated cache.
        let _neighbour = memory.install(&[&code]).unwrap();
        group.bench_function(label, |b| {
            b.iter(|| memory.install(black_box(&[&code[..]])).unwrap())
        });
    }
    group.finish();
}

fn bench_cache_hit(c: &mut Criterion, fixture: &Fixture) {
    let mut group = c.benchmark_group("cache_hit");
    group
        .sample_size(40)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let engine = &fixture.engines.single_pass;
    for case in &fixture.cases {
        group.bench_function(case.name, |b| {
            b.iter(|| engine.downcall(black_box(&case.signature)).unwrap())
        });
    }
    group.finish();
}

fn bench_many(c: &mut Criterion, signatures: &[Signature]) {
    let mut group = c.benchmark_group(format!("compile_{}", signatures.len()));
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(4));
    // A fresh engine per iteration (made outside the timing) so that nothing is cached.
    group.bench_function("one_by_one", |b| {
        b.iter_batched(
            || Engine::new().unwrap(),
            |engine| {
                for signature in signatures {
                    black_box(engine.downcall(signature).unwrap());
                }
                engine
            },
            BatchSize::PerIteration,
        )
    });
    for (label, regalloc) in [
        ("batch", RegAlloc::SinglePass),
        ("batch_backtracking", RegAlloc::Backtracking),
    ] {
        group.bench_function(label, |b| {
            b.iter_batched(
                || engine_with(regalloc, EngineOptions::default().cache_capacity),
                |engine| {
                    let downcalls = engine.downcalls(black_box(signatures)).unwrap();
                    (engine, downcalls)
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

// ---------------------------------------------------------------------------------
// the summary: medians read back from criterion's files, ratios from this run

fn summary(fixture: &Fixture, signatures: &[Signature], since: SystemTime) -> String {
    let batch = signatures.len();
    let mut out = String::new();
    let mut targets = Vec::new();

    out.push_str("\n## Per call (median ns)\n\n");
    out.push_str("| function | direct | raw | raw (backtracking) | typed | checked | libffi | raw / direct | checked / direct | libffi / raw |\n");
    out.push_str("|---|---|---|---|---|---|---|---|---|---|\n");
    for case in &fixture.cases {
        let group = format!("per_call_{}", case.name);
        let m: Vec<Option<f64>> = PER_CALL_VARIANTS
            .iter()
            .map(|v| median_ns(&group, v, since))
            .collect();
        let at = |name: &str| m[PER_CALL_VARIANTS.iter().position(|v| *v == name).unwrap()];
        let (direct, raw, raw_bt, typed, checked, libffi) = (
            at("direct"),
            at("raw"),
            at("raw_backtracking"),
            at("typed"),
            at("checked"),
            at("libffi"),
        );
        let raw_over_direct = ratio(raw, direct);
        let libffi_over_raw = ratio(libffi, raw);
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            case.name,
            fmt_num(direct, 1.0, 2),
            fmt_num(raw, 1.0, 2),
            fmt_num(raw_bt, 1.0, 2),
            fmt_num(typed, 1.0, 2),
            fmt_num(checked, 1.0, 2),
            fmt_num(libffi, 1.0, 2),
            fmt_ratio(raw_over_direct),
            fmt_ratio(ratio(checked, direct)),
            fmt_ratio(libffi_over_raw),
        );
        targets.push((
            format!("raw downcall ≤ 1.5× direct (`{}`)", case.name),
            fmt_ratio(raw_over_direct),
            raw_over_direct.map(|r| r <= 1.5),
        ));
        targets.push((
            format!("libffi ≥ 5× raw downcall (`{}`)", case.name),
            fmt_ratio(libffi_over_raw),
            libffi_over_raw.map(|r| r >= 5.0),
        ));
    }

    out.push_str(
        "\n## New signature: compile + install (µs: median, fastest sample in brackets)\n\n",
    );
    out.push_str("| signature | single_pass (default) | backtracking | backtracking / single_pass | code bytes single_pass | code bytes backtracking |\n");
    out.push_str("|---|---|---|---|---|---|\n");
    let timing = |group: &str, id: &str| {
        let median = median_ns(group, id, since);
        let fastest = fastest_ns(group, id, since);
        (
            median,
            format!("{} [{}]", fmt_num(median, 1e3, 1), fmt_num(fastest, 1e3, 1)),
        )
    };
    for case in &fixture.cases {
        let (single, single_text) = timing(
            "compile_new_signature",
            &format!("{}_single_pass", case.name),
        );
        let (backtracking, backtracking_text) = timing(
            "compile_new_signature",
            &format!("{}_backtracking", case.name),
        );
        let size = |engine: &Engine| {
            engine
                .compiler()
                .listing(&Request::Downcall(case.signature.clone()))
                .map_or(0, |listing| listing.code_size)
        };
        let _ = writeln!(
            out,
            "| `{}` | {single_text} | {backtracking_text} | {} | {} | {} |",
            case.signature,
            fmt_ratio(ratio(backtracking, single)),
            size(&fixture.engines.single_pass),
            size(&fixture.engines.backtracking),
        );
        targets.push((
            format!("new signature ≤ 15 µs median (`{}`)", case.name),
            format!("{single_text} µs"),
            single.map(|ns| ns <= 15_000.0),
        ));
    }

    out.push_str(
        "\n## Where a new signature's time goes (µs: median, fastest sample in brackets)\n\n",
    );
    out.push_str("| function | Cranelift, single_pass | Cranelift, backtracking | install (mmap + copy + mprotect + mremap) |\n");
    out.push_str("|---|---|---|---|\n");
    let (_, install) = timing("compile_breakdown", "install");
    for case in &fixture.cases {
        let (_, single) = timing(
            "compile_breakdown",
            &format!("{}_codegen_single_pass", case.name),
        );
        let (_, backtracking) = timing(
            "compile_breakdown",
            &format!("{}_codegen_backtracking", case.name),
        );
        let _ = writeln!(
            out,
            "| `{}` | {single} | {backtracking} | {install} |",
            case.name
        );
    }

    out.push_str(
        "\n## Cache hit: `engine.downcall(&sig)` (ns: median, fastest sample in brackets)\n\n",
    );
    out.push_str("| signature | ns |\n|---|---|\n");
    for case in &fixture.cases {
        let hit = median_ns("cache_hit", case.name, since);
        let text = format!(
            "{} [{}]",
            fmt_num(hit, 1.0, 1),
            fmt_num(fastest_ns("cache_hit", case.name, since), 1.0, 1)
        );
        let _ = writeln!(out, "| `{}` | {text} |", case.signature);
        targets.push((
            format!("cache hit ≤ 200 ns (`{}`)", case.name),
            format!("{text} ns"),
            hit.map(|ns| ns <= 200.0),
        ));
    }

    let group = format!("compile_{batch}");
    let _ = write!(
        out,
        "\n## {batch} distinct signatures into a fresh engine (median)\n\n"
    );
    out.push_str("| mode | total ms | per signature µs |\n|---|---|---|\n");
    for id in ["one_by_one", "batch", "batch_backtracking"] {
        let total = median_ns(&group, id, since);
        let _ = writeln!(
            out,
            "| {id} | {} | {} |",
            fmt_num(total, 1e6, 2),
            fmt_num(total, 1e3 * batch as f64, 2)
        );
    }

    let compiler = fixture.engines.single_pass.compiler();
    let distinct_code: HashSet<Vec<u8>> = signatures
        .iter()
        .map(|signature| {
            compiler
                .compile(&Request::Downcall(signature.clone()))
                .expect("compile")
                .bytes
        })
        .collect();
    let _ = writeln!(
        out,
        "\nMachine code shared by signature shape: the {} signatures compile to {} distinct byte sequences.",
        signatures.len(),
        distinct_code.len()
    );

    push_targets(&mut out, "Targets", &targets);
    out
}

// ---------------------------------------------------------------------------------
// modes for callgrind and listings

fn callgrind_mode(spec: &str) {
    let (iterations, case_name, variant) = callgrind_request(spec);
    let fixture = Fixture::new();
    let case = fixture.case(case_name);
    let engines = &fixture.engines;
    match variant {
        "empty" => callgrind_loop(iterations, || ()),
        "direct" => match case_name {
            "add" => callgrind_loop(iterations, || fixture.callees.add()),
            "sum6" => callgrind_loop(iterations, || fixture.callees.sum6()),
            _ => callgrind_loop(iterations, || fixture.callees.mixed12()),
        },
        "raw" => callgrind_loop(iterations, || case.raw_call(case.raw)),
        "raw_filled" => match case_name {
            "add" => callgrind_loop(iterations, || fixture.typed.add_raw_filled()),
            "sum6" => callgrind_loop(iterations, || fixture.typed.sum6_raw_filled()),
            _ => callgrind_loop(iterations, || fixture.typed.mixed12_raw_filled()),
        },
        "raw_backtracking" => callgrind_loop(iterations, || case.raw_call(case.raw_backtracking)),
        "checked" => callgrind_loop(iterations, || case.checked_call()),
        "typed_held" => typed_held!(fixture.typed, case_name, callgrind_loop, iterations),
        "typed" => match case_name {
            "add" => callgrind_loop(iterations, || fixture.typed.add()),
            "sum6" => callgrind_loop(iterations, || fixture.typed.sum6()),
            _ => callgrind_loop(iterations, || fixture.typed.mixed12()),
        },
        "libffi" => callgrind_loop(iterations, || case.libffi_call()),
        "cache_hit" => callgrind_loop(iterations, || {
            engines.single_pass.downcall(&case.signature).unwrap()
        }),
        "compile_single_pass" => callgrind_loop(iterations, || {
            engines
                .single_pass
                .downcall_uncached(&case.signature)
                .unwrap()
        }),
        "compile_backtracking" => callgrind_loop(iterations, || {
            engines
                .backtracking
                .downcall_uncached(&case.signature)
                .unwrap()
        }),
        other => panic!("unknown variant {other}"),
    }
}

fn listing_mode() {
    let fixture = Fixture::new();
    for case in &fixture.cases {
        let engines = &fixture.engines;
        for (label, engine) in by_allocator(&engines.single_pass, &engines.backtracking) {
            let listing = engine
                .compiler()
                .listing(&Request::Downcall(case.signature.clone()))
                .expect("listing");
            println!(
                "=== {} `{}` ({label}, {} bytes)\n{}",
                case.name, case.signature, listing.code_size, listing.vcode
            );
        }
    }
}

fn main() {
    if ran_other_mode(callgrind_mode, listing_mode) {
        return;
    }
    if std::env::var_os("SPRINGBOARD_COMPARE").is_some() {
        println!("{}", compare(&Fixture::new()));
        return;
    }
    let fixture = Fixture::new();
    let signatures = common::distinct_signatures(1000);
    let benches = |criterion: &mut Criterion| {
        bench_per_call(criterion, &fixture);
        bench_compile(criterion, &fixture);
        bench_cache_hit(criterion, &fixture);
        bench_many(criterion, &signatures);
    };
    run_and_report("springboard-downcall-summary.md", benches, |since| {
        summary(&fixture, &signatures, since) + &compare(&fixture)
    });
}
