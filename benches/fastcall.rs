//! Fast-call benchmarks: springboard's fast-call trampolines against hand-rolled
//! x86-64 ones (`benches/handrolled`) and a direct call, per call, per compile, in code
//! bytes, and for a 25-symbol library compiled in one batch. BENCHMARKS.md ("Fast
//! calls") has the results and how to read them.
//!
//! - `cargo bench --bench fastcall` checks every trampoline against the C functions,
//!   runs everything under criterion, measures everything again interleaved
//!   (round-robin, so that every variant sees the same load), and prints a Markdown
//!   summary whose ratios all come from that one run.
//! - With `SPRINGBOARD_CALLGRIND=<case>:<variant>` set, the binary instead runs one
//!   variant `SPRINGBOARD_CALLGRIND_N` times inside `callgrind_loop` and exits; see
//!   `scripts/callgrind-fastcall.sh`.
//! - With `SPRINGBOARD_LISTING=1` set, it prints the machine code of both kinds of
//!   trampoline for the per-call cases and exits.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "support/report.rs"]
mod report;
#[path = "support/setup.rs"]
mod setup;

use report::{
    callgrind_loop, callgrind_request, fmt_num, fmt_ratio, median_ns, push_targets, ran_other_mode,
    ratio, run_and_report,
};
use setup::{by_allocator, engine_with, raw_call};
mod handrolled;

use criterion::{BatchSize, Criterion};
use springboard::{
    Downcall, Engine, EngineOptions, FastCall, NativeFunction, RawDowncall, RegAlloc, Request,
    Signature, Slot, Type, Value,
};
use std::collections::HashMap;
use std::ffi::c_void;
use std::fmt::Write as _;
use std::hint::black_box;

use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

const C_SOURCE: &str = include_str!("c/fastcall.c");

type NoopFn = extern "C" fn();
type Add6Fn = extern "C" fn(i32, i32, i32, i32, i32, i32) -> i32;
type Mix6Fn = extern "C" fn(u8, i16, i32, bool, u16, i8) -> i16;
type SinkFn = extern "C" fn() -> i64;

/// The fast-call entries `(receiver, args..., options)`: narrow integers and `bool`
/// arrive as 32 bits, narrow results leave as 32 bits.
type NoopEntry = extern "C" fn(*const c_void, *const c_void);
type Add6Entry = extern "C" fn(*const c_void, i32, i32, i32, i32, i32, i32, *const c_void) -> i32;
type Mix6Entry = extern "C" fn(*const c_void, u32, i32, i32, u32, u32, i32, *const c_void) -> i32;

const ADD6_ARGS: [i32; 6] = [1, -2, 3, 40_000, -5, 6];

/// `mix6`'s arguments as the entry gets them: garbage above each narrow value, and a
/// `bool` that is neither 0 nor 1, so that every narrowing is exercised.
const MIX6_ENTRY: (u32, i32, i32, u32, u32, i32) = (
    0xabcd_00c8,            // u8 200
    0x7777_fed4_u32 as i32, // i16 -300
    -100_000,               // i32
    2,                      // bool true
    0x0001_9c40,            // u16 40000
    0x1234_56fd_u32 as i32, // i8 -3
);
/// The same values as the C function sees them.
const MIX6_ARGS: (u8, i16, i32, bool, u16, i8) = (200, -300, -100_000, true, 40_000, -3);

/// What the C `mix6` computes, computed in Rust.
fn mix6_expected() -> i32 {
    let (a, b, c, d, e, f) = MIX6_ARGS;
    let sum = i32::from(a) - 3 * i32::from(b) + c + if d { 1000 } else { -7 } + i32::from(e)
        - 5 * i32::from(f);
    i32::from(sum as i16)
}

/// Stand-ins for V8's receiver and options pointer (never dereferenced).
static RECEIVER: u64 = 0x5ece_17e5;
static OPTIONS: u64 = 0x0071_0725;

fn receiver() -> *const c_void {
    std::ptr::addr_of!(RECEIVER).cast()
}

fn options() -> *const c_void {
    std::ptr::addr_of!(OPTIONS).cast()
}

/// Every call returns an `i32` (0 for `noop`) so that all cases share one shape.
#[inline(always)]
fn call_noop(entry: NoopEntry) -> i32 {
    black_box(entry)(black_box(receiver()), black_box(options()));
    0
}

#[inline(always)]
fn call_add6(entry: Add6Entry) -> i32 {
    let [a, b, c, d, e, f] = ADD6_ARGS;
    black_box(entry)(
        black_box(receiver()),
        black_box(a),
        black_box(b),
        black_box(c),
        black_box(d),
        black_box(e),
        black_box(f),
        black_box(options()),
    )
}

#[inline(always)]
fn call_mix6(entry: Mix6Entry) -> i32 {
    let (a, b, c, d, e, f) = MIX6_ENTRY;
    black_box(entry)(
        black_box(receiver()),
        black_box(a),
        black_box(b),
        black_box(c),
        black_box(d),
        black_box(e),
        black_box(f),
        black_box(options()),
    )
}

/// Runs `$body` with `$call` bound to a closure that calls the fast-call entry
/// `$entry` of per-call case `$case` (the dispatch happens once, outside `$body`).
macro_rules! with_entry {
    ($case:expr, $entry:expr, |$call:ident| $body:expr) => {{
        let entry: *const c_void = $entry;
        // SAFETY: `entry` is a fast-call entry built for this case's C function, whose
        // entry type these Rust types spell.
        match $case {
            "noop" => {
                let f = unsafe { std::mem::transmute::<*const c_void, NoopEntry>(entry) };
                let $call = move || call_noop(f);
                $body
            }
            "add6" => {
                let f = unsafe { std::mem::transmute::<*const c_void, Add6Entry>(entry) };
                let $call = move || call_add6(f);
                $body
            }
            "mix6" => {
                let f = unsafe { std::mem::transmute::<*const c_void, Mix6Entry>(entry) };
                let $call = move || call_mix6(f);
                $body
            }
            other => panic!("no case {other}"),
        }
    }};
}

/// Like [`with_entry`], for the direct call of the C function (the limit).
macro_rules! with_direct {
    ($case:expr, $callees:expr, |$call:ident| $body:expr) => {{
        let callees: &Callees = $callees;
        match $case {
            "noop" => {
                let $call = move || {
                    black_box(callees.noop)();
                    0
                };
                $body
            }
            "add6" => {
                let $call = move || {
                    let [a, b, c, d, e, f] = ADD6_ARGS;
                    black_box(callees.add6)(
                        black_box(a),
                        black_box(b),
                        black_box(c),
                        black_box(d),
                        black_box(e),
                        black_box(f),
                    )
                };
                $body
            }
            "mix6" => {
                let $call = move || {
                    let (a, b, c, d, e, f) = MIX6_ARGS;
                    i32::from(black_box(callees.mix6)(
                        black_box(a),
                        black_box(b),
                        black_box(c),
                        black_box(d),
                        black_box(e),
                        black_box(f),
                    ))
                };
                $body
            }
            other => panic!("no case {other}"),
        }
    }};
}

/// The C functions as typed Rust function pointers.
struct Callees {
    noop: NoopFn,
    add6: Add6Fn,
    mix6: Mix6Fn,
    lib_sink: SinkFn,
    lib_reset: NoopFn,
}

impl Callees {
    fn load(library: &common::CLibrary) -> Callees {
        // SAFETY: the symbols are functions of benches/c/fastcall.c, whose C types
        // these Rust types spell.
        unsafe {
            Callees {
                noop: library.function("noop"),
                add6: library.function("add6"),
                mix6: library.function("mix6"),
                lib_sink: library.function("lib_sink"),
                lib_reset: library.function("lib_reset"),
            }
        }
    }
}

/// Engines under both register allocators, with a cache and without one (every
/// request compiles: what a new symbol costs).
struct Engines {
    single_pass: Engine,
    backtracking: Engine,
    uncached_single_pass: Engine,
    uncached_backtracking: Engine,
}

impl Engines {
    fn new() -> Engines {
        let cached = EngineOptions::default().cache_capacity;
        Engines {
            single_pass: engine_with(RegAlloc::SinglePass, cached),
            backtracking: engine_with(RegAlloc::Backtracking, cached),
            uncached_single_pass: engine_with(RegAlloc::SinglePass, 0),
            uncached_backtracking: engine_with(RegAlloc::Backtracking, 0),
        }
    }
}

/// One per-call case with every trampoline built ahead of the calls.
struct Case {
    name: &'static str,
    signature: Signature,
    callee: *const c_void,
    fast: FastCall,
    /// Entry 0: the hand-rolled fast call; entry 1: the hand-rolled downcall.
    hand: handrolled::Code,
    single_pass: NativeFunction,
    backtracking: NativeFunction,
    downcall: Downcall,
    /// The downcall's argument array (garbage above narrow values), filled once.
    slots: Box<[Slot]>,
}

impl Case {
    fn new(
        engines: &Engines,
        library: &common::CLibrary,
        name: &'static str,
        signature: &str,
        slots: Vec<Slot>,
    ) -> Case {
        let signature: Signature = signature.parse().expect("benchmark signature");
        let callee = library.symbol(name);
        let fast = FastCall::new(signature.clone(), callee as u64);
        let mut emitter = handrolled::Emitter::new();
        emitter.fast_call(&signature, callee).expect("hand-rolled");
        emitter.downcall(&signature).expect("hand-rolled");
        Case {
            name,
            callee,
            hand: emitter.install().expect("install"),
            single_pass: engines.single_pass.fast_call(&fast).expect("compile"),
            backtracking: engines.backtracking.fast_call(&fast).expect("compile"),
            downcall: engines.single_pass.downcall(&signature).expect("compile"),
            slots: slots.into_boxed_slice(),
            fast,
            signature,
        }
    }

    /// The fast-call entries: hand-rolled, springboard single_pass, backtracking.
    fn entries(&self) -> [(&'static str, *const c_void); 3] {
        [
            ("hand-rolled", self.hand.entry(0)),
            ("springboard single_pass", self.single_pass.code()),
            ("springboard backtracking", self.backtracking.code()),
        ]
    }

    fn hand_downcall(&self) -> RawDowncall {
        // SAFETY: entry 1 is a downcall with exactly this type.
        unsafe { std::mem::transmute::<*const c_void, RawDowncall>(self.hand.entry(1)) }
    }

    #[inline(always)]
    fn downcall_with(&self, raw: RawDowncall) -> Slot {
        // SAFETY: `raw` is a downcall for this case's signature, `callee` has it, and
        // `slots` holds one slot per parameter.
        unsafe { raw_call(raw, self.callee, &self.slots) }
    }

    /// Every path must compute what the C function computes.
    fn check(&self, engines: &Engines, callees: &Callees) {
        let downcalls = [
            ("hand-rolled downcall", self.hand_downcall()),
            ("springboard downcall", self.downcall.as_raw()),
        ];
        match self.name {
            "noop" => {
                // The C `noop` does nothing observable (so that its timing is the call
                // alone): run every path once, then check that trampolines built the
                // same way call a counting stand-in exactly once.
                with_direct!(self.name, callees, |call| call());
                for (_, entry) in self.entries() {
                    with_entry!(self.name, entry, |call| call());
                }
                for (_, raw) in downcalls {
                    self.downcall_with(raw);
                }
                let counter = count_call as *const c_void;
                let hand = handrolled::fast_call(&self.signature, counter).expect("hand-rolled");
                let fast = FastCall::new(self.signature.clone(), counter as u64);
                let single_pass = engines.single_pass.fast_call(&fast).unwrap();
                let backtracking = engines.backtracking.fast_call(&fast).unwrap();
                let count = || COUNTED.load(Ordering::Relaxed);
                for (path, entry) in [
                    ("hand-rolled", hand.entry(0)),
                    ("springboard single_pass", single_pass.code()),
                    ("springboard backtracking", backtracking.code()),
                ] {
                    let before = count();
                    with_entry!(self.name, entry, |call| call());
                    assert_eq!(count(), before + 1, "noop through {path}");
                }
                for (path, raw) in downcalls {
                    let before = count();
                    let mut result = Slot::default();
                    // SAFETY: a downcall for `()`, and `count_call` has that signature.
                    unsafe { raw(counter, self.slots.as_ptr(), &mut result) };
                    assert_eq!(count(), before + 1, "noop through {path}");
                }
            }
            _ => {
                let expected = match self.name {
                    "add6" => ADD6_ARGS
                        .iter()
                        .zip(1..)
                        .map(|(arg, weight)| arg * weight)
                        .sum(),
                    _ => mix6_expected(),
                };
                let direct = with_direct!(self.name, callees, |call| call());
                assert_eq!(direct, expected, "{}: direct call", self.name);
                for (path, entry) in self.entries() {
                    let got = with_entry!(self.name, entry, |call| call());
                    assert_eq!(got, expected, "{} through {path}", self.name);
                }
                // `mix6`'s slots hold a false bool (first byte 0, 0x300).
                let want = match self.name {
                    "add6" => Value::I32(expected),
                    _ => {
                        let (a, b, c, _, e, f) = MIX6_ARGS;
                        Value::I16((callees.mix6)(a, b, c, false, e, f))
                    }
                };
                for (path, raw) in downcalls {
                    let got = Value::from_slot(&self.signature.result, self.downcall_with(raw));
                    assert_eq!(got, want, "{} through {path}", self.name);
                }
            }
        }
    }
}

/// Calls of `count_call`.
static COUNTED: AtomicU64 = AtomicU64::new(0);

/// A `void (void)` function whose calls can be seen.
extern "C" fn count_call() {
    COUNTED.fetch_add(1, Ordering::Relaxed);
}

// ---------------------------------------------------------------------------------
// the narrowing probe: what a callee that relies on its caller's extensions sees

/// The 32-bit registers `probe_mix6` received.
static PROBED: [AtomicI64; 6] = [const { AtomicI64::new(0) }; 6];
/// What `probe_mix6` returns: an `i16` result with garbage above it.
const PROBE_RESULT: i32 = 0x1234_8001;

/// Stands in for `mix6` but reads whole 32-bit registers, as a clang-compiled callee
/// may (it relies on its caller extending narrow arguments to 32 bits).
extern "C" fn probe_mix6(a: u32, b: i32, c: i32, d: u32, e: u32, f: i32) -> i32 {
    for (cell, value) in PROBED.iter().zip([
        i64::from(a),
        i64::from(b),
        i64::from(c),
        i64::from(d),
        i64::from(e),
        i64::from(f),
    ]) {
        cell.store(value, Ordering::Relaxed);
    }
    PROBE_RESULT
}

/// Fast calls of `probe_mix6` must extend every narrow argument to 32 bits and widen
/// the narrow result from its low 16 bits.
fn check_narrowing(engines: &Engines) {
    let signature: Signature = "(u8, i16, i32, bool, u16, i8) -> i16".parse().unwrap();
    let callee = probe_mix6 as *const c_void;
    let hand = handrolled::fast_call(&signature, callee).expect("hand-rolled");
    let fast = FastCall::new(signature, callee as u64);
    let single_pass = engines.single_pass.fast_call(&fast).unwrap();
    let backtracking = engines.backtracking.fast_call(&fast).unwrap();
    let (a, b, c, d, e, f) = MIX6_ARGS;
    let want = [
        i64::from(a),
        i64::from(b),
        i64::from(c),
        i64::from(d),
        i64::from(e),
        i64::from(f),
    ];
    for (path, entry) in [
        ("hand-rolled", hand.entry(0)),
        ("springboard single_pass", single_pass.code()),
        ("springboard backtracking", backtracking.code()),
    ] {
        let result = with_entry!("mix6", entry, |call| call());
        let seen: Vec<i64> = PROBED.iter().map(|c| c.load(Ordering::Relaxed)).collect();
        assert_eq!(seen, want, "arguments a clang callee sees through {path}");
        assert_eq!(
            result,
            i32::from(PROBE_RESULT as i16),
            "result widened through {path}"
        );
    }
}

// ---------------------------------------------------------------------------------
// the 25-symbol library

/// A dlopen-like library: symbol and C signature (benches/c/fastcall.c).
const LIBRARY: [(&str, &str); 25] = [
    ("lib_reset", "()"),
    ("lib_version", "() -> i32"),
    ("lib_add", "(i32, i32) -> i32"),
    ("lib_mul64", "(i64, i64) -> i64"),
    ("lib_hash", "(ptr, usize) -> u32"),
    ("lib_norm2", "(f64, f64) -> f64"),
    ("lib_scalef", "(f32, i32) -> f32"),
    ("lib_is_even", "(u32) -> bool"),
    ("lib_clamp_u8", "(i32) -> u8"),
    ("lib_sub16", "(i16, i16) -> i16"),
    ("lib_swap16", "(u16) -> u16"),
    ("lib_neg8", "(i8) -> i8"),
    ("lib_record", "(ptr, i32)"),
    ("lib_lerp", "(f64, f64, f64) -> f64"),
    (
        "lib_sum8",
        "(i64, i64, i64, i64, i64, i64, i64, i64) -> i64",
    ),
    ("lib_dot3", "(f32, f32, f32, f32, f32, f32) -> f64"),
    ("lib_offset", "(ptr, isize) -> ptr"),
    ("lib_align_up", "(usize, usize) -> usize"),
    ("lib_pack", "(u8, u16, u32, u64) -> u64"),
    ("lib_select", "(bool, i32, i32) -> i32"),
    ("lib_poly", "(f64, i32, f64, f64) -> f64"),
    (
        "lib_wide",
        "(i32, i32, i32, i32, i32, i32, i32, f64, f64, f64, f64, f64, f64, f64, f64, f64, i8) -> i64",
    ),
    (
        "lib_sum10",
        "(f64, f64, f64, f64, f64, f64, f64, f64, f64, f64) -> f64",
    ),
    ("lib_flags", "(bool, bool, u8, bool) -> u32"),
    ("lib_in_range", "(i64, i64, i64) -> bool"),
];

/// The library's symbols as fast-call requests.
struct Library {
    names: Vec<&'static str>,
    callees: Vec<*const c_void>,
    fast: Vec<FastCall>,
}

impl Library {
    fn load(library: &common::CLibrary) -> Library {
        let names: Vec<&'static str> = LIBRARY.iter().map(|&(name, _)| name).collect();
        let callees: Vec<*const c_void> = names.iter().map(|name| library.symbol(name)).collect();
        let fast = LIBRARY
            .iter()
            .zip(&callees)
            .map(|(&(_, signature), &callee)| {
                let signature: Signature = signature.parse().expect("library signature");
                FastCall::new(signature, callee as u64)
            })
            .collect();
        Library {
            names,
            callees,
            fast,
        }
    }

    /// Hand-rolled fast calls of every symbol, emitted and installed together.
    fn hand_batch(&self) -> handrolled::Code {
        let mut emitter = handrolled::Emitter::new();
        for (fast, &callee) in self.fast.iter().zip(&self.callees) {
            emitter
                .fast_call(fast.target(), callee)
                .expect("hand-rolled");
        }
        emitter.install().expect("install")
    }
}

/// Calls every library symbol with random arguments (garbage above narrow values,
/// `bool`s that are neither 0 nor 1) through the hand-rolled fast call and downcall and
/// springboard's fast calls under both allocators; each must return what the C
/// function returns for the same arguments, and leave the same side effect. The C
/// function and the entries are called through springboard downcalls.
fn check_library(engines: &Engines, library: &Library, callees: &Callees) {
    let hand_fast = library.hand_batch();
    let mut emitter = handrolled::Emitter::new();
    for fast in &library.fast {
        emitter.downcall(fast.target()).expect("hand-rolled");
    }
    let hand_downcalls = emitter.install().expect("install");
    let single_pass = engines.single_pass.fast_calls(&library.fast).unwrap();
    let backtracking = engines.backtracking.fast_calls(&library.fast).unwrap();
    let engine = &engines.single_pass;
    let mut rng = common::Rng(0xfa57_ca11);
    for (index, (name, fast)) in library.names.iter().zip(&library.fast).enumerate() {
        let target = fast.target();
        let c_downcall = engine.downcall(target).unwrap();
        // The entry's types (after the receiver) come from the library: narrow
        // integers and `bool` arrive and leave as 32 bits.
        let entry = fast.entry_signature();
        let entry_downcall = engine.downcall(&entry).unwrap();
        let callee = library.callees[index];
        for _ in 0..8 {
            let slots: Vec<Slot> = target
                .params
                .iter()
                .map(|ty| match ty {
                    Type::F32 => Slot::from_f32((rng.below(20_000) as f32 - 10_000.0) / 8.0),
                    Type::F64 => Slot::from_f64((rng.below(20_000) as f64 - 10_000.0) / 16.0),
                    Type::Bool => {
                        Slot([0u64, 1, 2, 0x100, 0x1_0000_0000][rng.below(5)].to_le_bytes())
                    }
                    _ => Slot(rng.next_u64().to_le_bytes()),
                })
                .collect();
            // What the C function sees through a fast call: the entry's 32-bit form
            // narrowed (a bool is true when the 32 bits are non-zero) ...
            let entry_args: Vec<Value> = entry.params[1..=target.params.len()]
                .iter()
                .zip(&slots)
                .map(|(ty, slot)| Value::from_slot(ty, *slot))
                .collect();
            let fast_c_args: Vec<Value> = target
                .params
                .iter()
                .zip(&entry_args)
                .zip(&slots)
                .map(|((ty, entry), slot)| match (ty, entry) {
                    (Type::Bool, Value::U32(v)) => Value::Bool(*v != 0),
                    _ => Value::from_slot(ty, *slot),
                })
                .collect();
            // ... and through a downcall: the slot (a bool is its first byte != 0).
            let slot_c_args: Vec<Value> = target
                .params
                .iter()
                .zip(&slots)
                .map(|(ty, slot)| Value::from_slot(ty, *slot))
                .collect();
            let call_c = |args: &[Value]| {
                (callees.lib_reset)();
                // SAFETY: `callee` has the signature `c_downcall` was built for.
                let result = unsafe { c_downcall.call(callee, args) }.expect("call C");
                (result, (callees.lib_sink)())
            };
            let (want, want_sink) = call_c(&fast_c_args);
            // The C result as the entry returns it: its result slot read at the
            // entry's result type.
            let want = Value::from_slot(&entry.result, want.to_result_slot());
            let mut full_entry_args = vec![Value::Ptr(receiver().cast_mut())];
            full_entry_args.extend(entry_args.iter().cloned());
            full_entry_args.push(Value::Ptr(options().cast_mut()));
            for (path, entry) in [
                ("hand-rolled fast call", hand_fast.entry(index)),
                ("springboard single_pass", single_pass[index].code()),
                ("springboard backtracking", backtracking[index].code()),
            ] {
                (callees.lib_reset)();
                // SAFETY: `entry` has the entry signature `entry_downcall` was built for.
                let got =
                    unsafe { entry_downcall.call(entry, &full_entry_args) }.expect("call entry");
                let sink = (callees.lib_sink)();
                assert_eq!(
                    (got, sink),
                    (want.clone(), want_sink),
                    "{name} `{target}` through {path}, arguments {fast_c_args:?}"
                );
            }

            let (want, want_sink) = call_c(&slot_c_args);
            let mut result = Slot::default();
            (callees.lib_reset)();
            // SAFETY: entry `index` is a downcall for the signature of `callee`; one
            // slot per parameter.
            unsafe {
                std::mem::transmute::<*const c_void, RawDowncall>(hand_downcalls.entry(index))(
                    callee,
                    slots.as_ptr(),
                    &mut result,
                )
            };
            let sink = (callees.lib_sink)();
            assert_eq!(
                (result.0, sink),
                (want.to_result_slot().0, want_sink),
                "{name} `{target}` through the hand-rolled downcall, arguments {slot_c_args:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------
// the fixture

struct Fixture {
    engines: Engines,
    callees: Callees,
    cases: Vec<Case>,
    library: Library,
    _c: common::CLibrary,
}

impl Fixture {
    fn new() -> Fixture {
        let c = common::build_c_library("springboard_bench_fastcall", C_SOURCE);
        let engines = Engines::new();
        let (a, b, c_, _, e, f) = MIX6_ENTRY;
        let mix6_slots = [
            u64::from(a) | 0xdead << 32,
            b as u32 as u64,
            c_ as u32 as u64,
            0x300, // bool: first byte 0, so false through a downcall
            u64::from(e),
            f as u32 as u64,
        ];
        let cases = vec![
            Case::new(&engines, &c, "noop", "()", Vec::new()),
            Case::new(
                &engines,
                &c,
                "add6",
                "(i32, i32, i32, i32, i32, i32) -> i32",
                ADD6_ARGS.iter().map(|&v| Slot::from_i32(v)).collect(),
            ),
            Case::new(
                &engines,
                &c,
                "mix6",
                "(u8, i16, i32, bool, u16, i8) -> i16",
                mix6_slots.iter().map(|v| Slot(v.to_le_bytes())).collect(),
            ),
        ];
        let callees = Callees::load(&c);
        let library = Library::load(&c);
        Fixture {
            engines,
            callees,
            cases,
            library,
            _c: c,
        }
    }

    /// Checks every path before anything is measured.
    fn check(&self) {
        for case in &self.cases {
            case.check(&self.engines, &self.callees);
        }
        check_narrowing(&self.engines);
        check_library(&self.engines, &self.library, &self.callees);
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

const PER_CALL_VARIANTS: [&str; 6] = [
    "direct",
    "hand_fast",
    "springboard_single_pass",
    "springboard_backtracking",
    "hand_downcall",
    "springboard_downcall",
];

fn bench_per_call(c: &mut Criterion, fixture: &Fixture) {
    for case in &fixture.cases {
        let mut group = c.benchmark_group(format!("fast_per_call_{}", case.name));
        group
            .sample_size(50)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_millis(1500));
        group.bench_function("direct", |b| {
            with_direct!(case.name, &fixture.callees, |call| b.iter(call))
        });
        for (id, entry) in [
            ("hand_fast", case.hand.entry(0)),
            ("springboard_single_pass", case.single_pass.code()),
            ("springboard_backtracking", case.backtracking.code()),
        ] {
            group.bench_function(id, |b| with_entry!(case.name, entry, |call| b.iter(call)));
        }
        let hand = case.hand_downcall();
        group.bench_function("hand_downcall", |b| b.iter(|| case.downcall_with(hand)));
        let raw = case.downcall.as_raw();
        group.bench_function("springboard_downcall", |b| {
            b.iter(|| case.downcall_with(raw))
        });
        group.finish();
    }
}

const COMPILE_VARIANTS: [&str; 6] = [
    "hand_fast",
    "hand_fast_emit",
    "springboard_single_pass",
    "springboard_backtracking",
    "cranelift_single_pass",
    "hand_downcall",
];

fn bench_compile(c: &mut Criterion, fixture: &Fixture) {
    let mut group = c.benchmark_group("fast_compile");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(400))
        .measurement_time(Duration::from_millis(1500));
    let engines = &fixture.engines;
    for case in &fixture.cases {
        let (signature, callee) = (&case.signature, case.callee);
        group.bench_function(format!("{}_hand_fast", case.name), |b| {
            b.iter(|| handrolled::fast_call(signature, callee).unwrap())
        });
        group.bench_function(format!("{}_hand_fast_emit", case.name), |b| {
            b.iter(|| handrolled::fast_call_bytes(signature, callee).unwrap())
        });
        let uncached = by_allocator(
            &engines.uncached_single_pass,
            &engines.uncached_backtracking,
        );
        for (label, engine) in uncached {
            group.bench_function(format!("{}_springboard_{label}", case.name), |b| {
                b.iter(|| engine.fast_call(black_box(&case.fast)).unwrap())
            });
        }
        let request = Request::FastCall(case.fast.clone());
        let compiler = engines.single_pass.compiler();
        group.bench_function(format!("{}_cranelift_single_pass", case.name), |b| {
            b.iter(|| compiler.compile(black_box(&request)).unwrap())
        });
        group.bench_function(format!("{}_hand_downcall", case.name), |b| {
            b.iter(|| handrolled::downcall(signature).unwrap())
        });
    }
    group.finish();
}

const BATCH_VARIANTS: [&str; 5] = [
    "hand",
    "hand_one_by_one",
    "springboard_single_pass",
    "springboard_backtracking",
    "springboard_one_by_one",
];

fn bench_batch(c: &mut Criterion, library: &Library) {
    let mut group = c.benchmark_group("fast_batch_25");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    // Every variant's output (the code) is dropped outside the timing.
    group.bench_function("hand", |b| {
        b.iter_batched(|| (), |()| library.hand_batch(), BatchSize::PerIteration)
    });
    group.bench_function("hand_one_by_one", |b| {
        b.iter_batched(
            || (),
            |()| {
                library
                    .fast
                    .iter()
                    .zip(&library.callees)
                    .map(|(fast, &callee)| handrolled::fast_call(fast.target(), callee).unwrap())
                    .collect::<Vec<_>>()
            },
            BatchSize::PerIteration,
        )
    });
    // A fresh engine per iteration (made outside the timing): nothing is cached, and
    // the first install maps a new page, as when a runtime binds a library.
    for (id, regalloc) in [
        ("springboard_single_pass", RegAlloc::SinglePass),
        ("springboard_backtracking", RegAlloc::Backtracking),
    ] {
        group.bench_function(id, |b| {
            b.iter_batched(
                || engine_with(regalloc, 4096),
                |engine| {
                    let trampolines = engine.fast_calls(black_box(&library.fast)).unwrap();
                    (engine, trampolines)
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.bench_function("springboard_one_by_one", |b| {
        b.iter_batched(
            || Engine::new().unwrap(),
            |engine| {
                let trampolines: Vec<NativeFunction> = library
                    .fast
                    .iter()
                    .map(|fast| engine.fast_call(fast).unwrap())
                    .collect();
                (engine, trampolines)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

// ---------------------------------------------------------------------------------
// the summary: medians read back from criterion's files, ratios from this run

/// Exact machine-code size of a springboard fast call (`code_size()` rounds to 16).
fn springboard_bytes(engine: &Engine, fast: &FastCall) -> usize {
    engine
        .compiler()
        .listing(&Request::FastCall(fast.clone()))
        .map_or(0, |listing| listing.code_size)
}

// ---------------------------------------------------------------------------------
// interleaved measurement: ratios that hold on a loaded machine

/// Minimum and median ns per operation of one variant over interleaved rounds.
#[derive(Clone, Copy)]
struct Spread {
    min: f64,
    median: f64,
}

/// Interleaved results by criterion group and id.
type Interleaved = HashMap<(String, String), Spread>;

/// A variant to interleave: runs once and returns ns per operation.
type Probe<'a> = (String, Box<dyn FnMut() -> f64 + 'a>);

/// Runs every probe once per round, round-robin: all variants see the same load, so
/// the ratio of their medians holds when the load of the machine drifts (as it does
/// between criterion's benchmarks, which run one after the other), and the minimum is
/// the least disturbed run.
fn interleave(group: &str, rounds: usize, mut probes: Vec<Probe<'_>>, out: &mut Interleaved) {
    let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(rounds); probes.len()];
    for _ in 0..rounds {
        for ((_, probe), times) in probes.iter_mut().zip(&mut times) {
            times.push(probe());
        }
    }
    for ((id, _), mut times) in probes.into_iter().zip(times) {
        times.sort_by(f64::total_cmp);
        let spread = Spread {
            min: times[0],
            median: times[times.len() / 2],
        };
        out.insert((group.to_string(), id), spread);
    }
}

/// Calls per timed burst of a per-call probe (~10 µs: rarely preempted).
const BURST_CALLS: u32 = 1000;

/// ns per call of `calls` calls.
#[inline(always)]
fn burst<R>(calls: u32, mut call: impl FnMut() -> R) -> f64 {
    let start = Instant::now();
    for _ in 0..calls {
        black_box(call());
    }
    start.elapsed().as_nanos() as f64 / f64::from(calls)
}

/// ns of one `operation`, dropping its result inside the timing (as criterion's
/// `iter` does).
fn once<R>(operation: impl FnOnce() -> R) -> f64 {
    let start = Instant::now();
    drop(black_box(operation()));
    start.elapsed().as_nanos() as f64
}

fn measure_interleaved(fixture: &Fixture) -> Interleaved {
    let mut out = Interleaved::new();
    let callees = &fixture.callees;
    let engines = &fixture.engines;
    for case in &fixture.cases {
        let mut probes: Vec<Probe<'_>> = vec![(
            "direct".into(),
            with_direct!(
                case.name,
                callees,
                |call| Box::new(move || burst(BURST_CALLS, call)) as Box<dyn FnMut() -> f64>
            ),
        )];
        for (id, entry) in [
            ("hand_fast", case.hand.entry(0)),
            ("springboard_single_pass", case.single_pass.code()),
            ("springboard_backtracking", case.backtracking.code()),
        ] {
            probes.push((
                id.into(),
                with_entry!(
                    case.name,
                    entry,
                    |call| Box::new(move || burst(BURST_CALLS, call)) as Box<dyn FnMut() -> f64>
                ),
            ));
        }
        for (id, raw) in [
            ("hand_downcall", case.hand_downcall()),
            ("springboard_downcall", case.downcall.as_raw()),
        ] {
            probes.push((
                id.into(),
                Box::new(move || burst(BURST_CALLS, || case.downcall_with(raw))),
            ));
        }
        interleave(
            &format!("fast_per_call_{}", case.name),
            2000,
            probes,
            &mut out,
        );

        let (signature, callee) = (&case.signature, case.callee);
        let request = Request::FastCall(case.fast.clone());
        let request = &request;
        let compiler = engines.single_pass.compiler();
        let id = |variant: &str| format!("{}_{variant}", case.name);
        let probes: Vec<Probe<'_>> = vec![
            (
                id("hand_fast"),
                Box::new(move || once(|| handrolled::fast_call(signature, callee).unwrap())),
            ),
            (
                id("hand_fast_emit"),
                Box::new(move || once(|| handrolled::fast_call_bytes(signature, callee).unwrap())),
            ),
            (
                id("springboard_single_pass"),
                Box::new(move || once(|| engines.uncached_single_pass.fast_call(&case.fast))),
            ),
            (
                id("springboard_backtracking"),
                Box::new(move || once(|| engines.uncached_backtracking.fast_call(&case.fast))),
            ),
            (
                id("cranelift_single_pass"),
                Box::new(move || once(|| compiler.compile(request))),
            ),
            (
                id("hand_downcall"),
                Box::new(move || once(|| handrolled::downcall(signature).unwrap())),
            ),
        ];
        interleave("fast_compile", 300, probes, &mut out);
    }

    let library = &fixture.library;
    // The code is dropped outside the timing, and engines are made outside it.
    let timed = |operation: &dyn Fn() -> Box<dyn std::any::Any>| {
        let start = Instant::now();
        let made = operation();
        let ns = start.elapsed().as_nanos() as f64;
        drop(made);
        ns
    };
    let springboard = move |regalloc: RegAlloc| {
        move || {
            let engine = engine_with(regalloc, 4096);
            let start = Instant::now();
            let trampolines = engine.fast_calls(&library.fast).unwrap();
            let ns = start.elapsed().as_nanos() as f64;
            drop((trampolines, engine));
            ns
        }
    };
    let probes: Vec<Probe<'_>> = vec![
        (
            "hand".into(),
            Box::new(move || timed(&|| Box::new(library.hand_batch()))),
        ),
        (
            "hand_one_by_one".into(),
            Box::new(move || {
                timed(&|| {
                    Box::new(
                        library
                            .fast
                            .iter()
                            .zip(&library.callees)
                            .map(|(fast, &callee)| {
                                handrolled::fast_call(fast.target(), callee).unwrap()
                            })
                            .collect::<Vec<_>>(),
                    )
                })
            }),
        ),
        (
            "springboard_single_pass".into(),
            Box::new(springboard(RegAlloc::SinglePass)),
        ),
        (
            "springboard_backtracking".into(),
            Box::new(springboard(RegAlloc::Backtracking)),
        ),
        (
            "springboard_one_by_one".into(),
            Box::new(move || {
                let engine = Engine::new().unwrap();
                let start = Instant::now();
                let trampolines: Vec<NativeFunction> = library
                    .fast
                    .iter()
                    .map(|fast| engine.fast_call(fast).unwrap())
                    .collect();
                let ns = start.elapsed().as_nanos() as f64;
                drop((trampolines, engine));
                ns
            }),
        ),
    ];
    interleave("fast_batch_25", 60, probes, &mut out);
    out
}

// ---------------------------------------------------------------------------------
// the summary: criterion's medians read back from its files, interleaved medians and
// minima, all from this run

/// One figure from both measurements: criterion's median and the interleaved spread.
#[derive(Clone, Copy, Default)]
struct Figure {
    criterion: Option<f64>,
    median: Option<f64>,
    min: Option<f64>,
}

impl Figure {
    fn get(group: &str, id: &str, since: SystemTime, interleaved: &Interleaved) -> Figure {
        let spread = interleaved.get(&(group.to_string(), id.to_string()));
        Figure {
            criterion: median_ns(group, id, since),
            median: spread.map(|s| s.median),
            min: spread.map(|s| s.min),
        }
    }

    /// `criterion median / interleaved median [interleaved min]`, scaled.
    fn text(self, scale: f64, digits: usize) -> String {
        format!(
            "{} / {} [{}]",
            fmt_num(self.criterion, scale, digits),
            fmt_num(self.median, scale, digits),
            fmt_num(self.min, scale, digits)
        )
    }

    /// The same three figures as ratios of `self` to `base`.
    fn ratio_to(self, base: Figure) -> (Option<f64>, String) {
        let interleaved = ratio(self.median, base.median);
        (
            interleaved,
            format!(
                "{} / {} [{}]",
                fmt_ratio(ratio(self.criterion, base.criterion)),
                fmt_ratio(interleaved),
                fmt_ratio(ratio(self.min, base.min))
            ),
        )
    }
}

fn summary(fixture: &Fixture, since: SystemTime, interleaved: &Interleaved) -> String {
    let engines = &fixture.engines;
    let mut out = String::new();
    let mut targets: Vec<(String, String, Option<bool>)> = Vec::new();
    out.push_str(
        "\nEvery cell: criterion median / interleaved median [interleaved minimum]. \
         Targets are judged on the interleaved medians.\n",
    );

    out.push_str("\n## Fast calls per call (ns)\n\n");
    out.push_str("| function | direct | hand-rolled | springboard single_pass | springboard backtracking | hand-rolled downcall | springboard downcall |\n");
    out.push_str("|---|---|---|---|---|---|---|\n");
    let mut ratios = String::new();
    for case in &fixture.cases {
        let group = format!("fast_per_call_{}", case.name);
        let f: Vec<Figure> = PER_CALL_VARIANTS
            .iter()
            .map(|v| Figure::get(&group, v, since, interleaved))
            .collect();
        let cells: Vec<String> = f.iter().map(|f| f.text(1.0, 2)).collect();
        let _ = writeln!(out, "| `{}` | {} |", case.name, cells.join(" | "));
        let (_, hand_direct) = f[1].ratio_to(f[0]);
        let (single, single_text) = f[2].ratio_to(f[1]);
        let (back, back_text) = f[3].ratio_to(f[1]);
        let _ = writeln!(
            ratios,
            "| `{}` | {hand_direct} | {single_text} | {back_text} |",
            case.name
        );
        for (label, r, text) in [
            ("single_pass", single, single_text),
            ("backtracking", back, back_text),
        ] {
            targets.push((
                format!(
                    "springboard fast call ≤ 1.5× hand-rolled time (`{}`, {label})",
                    case.name
                ),
                text,
                r.map(|r| r <= 1.5),
            ));
        }
    }
    out.push_str("\n| function | hand-rolled / direct | single_pass / hand-rolled | backtracking / hand-rolled |\n|---|---|---|---|\n");
    out.push_str(&ratios);

    out.push_str("\n## Compile one symbol (µs)\n\n");
    out.push_str("| function | hand-rolled (emit + install) | hand-rolled emit only | springboard `fast_call` single_pass | springboard `fast_call` backtracking | Cranelift only, single_pass | hand-rolled downcall (emit + install) |\n");
    out.push_str("|---|---|---|---|---|---|---|\n");
    let mut ratios = String::new();
    for case in &fixture.cases {
        let f: Vec<Figure> = COMPILE_VARIANTS
            .iter()
            .map(|v| {
                let id = format!("{}_{v}", case.name);
                Figure::get("fast_compile", &id, since, interleaved)
            })
            .collect();
        let cells: Vec<String> = f
            .iter()
            .zip(COMPILE_VARIANTS)
            .map(|(f, v)| f.text(1e3, if v == "hand_fast_emit" { 2 } else { 1 }))
            .collect();
        let _ = writeln!(out, "| `{}` | {} |", case.name, cells.join(" | "));
        let mut row = Vec::new();
        for (label, index) in [("single_pass", 2), ("backtracking", 3)] {
            let (r, text) = f[index].ratio_to(f[0]);
            row.push(text.clone());
            targets.push((
                format!(
                    "compile ≤ 3× the hand-rolled emitter (`{}`, {label})",
                    case.name
                ),
                text,
                r.map(|r| r <= 3.0),
            ));
        }
        let (_, emit) = f[4].ratio_to(f[1]);
        let _ = writeln!(ratios, "| `{}` | {} | {emit} |", case.name, row.join(" | "));
    }
    out.push_str("\n| function | single_pass / hand-rolled | backtracking / hand-rolled | Cranelift only / hand-rolled emit only |\n|---|---|---|---|\n");
    out.push_str(&ratios);

    out.push_str("\n## Code bytes\n\n");
    out.push_str("| function | hand-rolled | tail call? | springboard single_pass (installed) | springboard backtracking (installed) | single_pass / hand-rolled | backtracking / hand-rolled |\n");
    out.push_str("|---|---|---|---|---|---|---|\n");
    for case in &fixture.cases {
        let hand = case.hand.code_size(0);
        let tail = case.hand.bytes(0).ends_with(&[0xff, 0xe0]);
        let single = springboard_bytes(&engines.single_pass, &case.fast);
        let back = springboard_bytes(&engines.backtracking, &case.fast);
        let (rs, rb) = (single as f64 / hand as f64, back as f64 / hand as f64);
        let _ = writeln!(
            out,
            "| `{}` | {hand} | {} | {single} ({}) | {back} ({}) | {rs:.2}× | {rb:.2}× |",
            case.name,
            if tail { "yes (`jmp`)" } else { "no" },
            case.single_pass.code_size(),
            case.backtracking.code_size(),
        );
        for (label, bytes, r) in [("single_pass", single, rs), ("backtracking", back, rb)] {
            targets.push((
                format!("code ≤ 2× hand-rolled bytes (`{}`, {label})", case.name),
                format!("{r:.2}× ({bytes} vs {hand} B)"),
                Some(r <= 2.0),
            ));
        }
    }

    let hand_library = fixture.library.hand_batch();
    let hand_total: usize = (0..LIBRARY.len()).map(|i| hand_library.code_size(i)).sum();
    let tails = (0..LIBRARY.len())
        .filter(|&i| hand_library.bytes(i).ends_with(&[0xff, 0xe0]))
        .count();
    let [single_total, back_total] = [&engines.single_pass, &engines.backtracking].map(|engine| {
        fixture
            .library
            .fast
            .iter()
            .map(|fast| springboard_bytes(engine, fast))
            .sum::<usize>()
    });
    let _ = writeln!(
        out,
        "\nThe 25-symbol library: {hand_total} bytes hand-rolled ({tails} of 25 end in a tail call), {single_total} single_pass ({:.2}×), {back_total} backtracking ({:.2}×).",
        single_total as f64 / hand_total as f64,
        back_total as f64 / hand_total as f64
    );

    out.push_str("\n## 25 symbols into a fresh engine (µs)\n\n");
    out.push_str("| mode | total µs | per symbol µs (interleaved median) |\n|---|---|---|\n");
    for id in BATCH_VARIANTS {
        let f = Figure::get("fast_batch_25", id, since, interleaved);
        let _ = writeln!(
            out,
            "| {id} | {} | {} |",
            f.text(1e3, 1),
            fmt_num(f.median, 25e3, 2)
        );
        if id == "springboard_single_pass" || id == "springboard_backtracking" {
            let label = id.trim_start_matches("springboard_");
            targets.push((
                format!("25 symbols through `fast_calls` ≤ 150 µs ({label})"),
                format!("{} µs", f.text(1e3, 1)),
                f.median.map(|ns| ns <= 150_000.0),
            ));
        }
    }

    push_targets(
        &mut out,
        "Targets (time, compile, bytes; instructions: scripts/callgrind-fastcall.sh)",
        &targets,
    );
    out
}

// ---------------------------------------------------------------------------------
// modes for callgrind and listings

fn callgrind_mode(spec: &str) {
    let (iterations, case_name, variant) = callgrind_request(spec);
    let fixture = Fixture::new();
    let n = iterations;
    if case_name == "library" {
        let library = &fixture.library;
        // What each iteration makes is kept and dropped after the counted loop.
        match variant {
            "hand" => {
                let mut kept = Vec::with_capacity(n as usize);
                callgrind_loop(n, || kept.push(library.hand_batch()));
            }
            "springboard_single_pass" | "springboard_backtracking" => {
                let regalloc = if variant.ends_with("single_pass") {
                    RegAlloc::SinglePass
                } else {
                    RegAlloc::Backtracking
                };
                // Fresh engines, made before the counted loop.
                let mut engines: Vec<Engine> =
                    (0..n).map(|_| engine_with(regalloc, 4096)).collect();
                let mut kept = Vec::with_capacity(n as usize);
                callgrind_loop(n, || {
                    let engine = engines.pop().expect("one engine per iteration");
                    let trampolines = engine.fast_calls(&library.fast).unwrap();
                    kept.push((engine, trampolines));
                });
            }
            other => panic!("unknown library variant {other}"),
        }
        return;
    }
    let case = fixture.case(case_name);
    let engines = &fixture.engines;
    let (signature, callee) = (&case.signature, case.callee);
    match variant {
        "empty" => callgrind_loop(n, || ()),
        "direct" => with_direct!(case.name, &fixture.callees, |call| callgrind_loop(n, call)),
        "hand_fast" => with_entry!(case.name, case.hand.entry(0), |call| callgrind_loop(
            n, call
        )),
        "springboard_single_pass" => {
            with_entry!(case.name, case.single_pass.code(), |call| callgrind_loop(
                n, call
            ))
        }
        "springboard_backtracking" => {
            with_entry!(case.name, case.backtracking.code(), |call| callgrind_loop(
                n, call
            ))
        }
        "hand_downcall" => {
            let raw = case.hand_downcall();
            callgrind_loop(n, || case.downcall_with(raw))
        }
        "springboard_downcall" => {
            let raw = case.downcall.as_raw();
            callgrind_loop(n, || case.downcall_with(raw))
        }
        "compile_hand" => callgrind_loop(n, || handrolled::fast_call(signature, callee).unwrap()),
        "compile_hand_emit" => callgrind_loop(n, || {
            handrolled::fast_call_bytes(signature, callee).unwrap()
        }),
        "compile_single_pass" => callgrind_loop(n, || {
            engines.uncached_single_pass.fast_call(&case.fast).unwrap()
        }),
        "compile_backtracking" => callgrind_loop(n, || {
            engines.uncached_backtracking.fast_call(&case.fast).unwrap()
        }),
        other => panic!("unknown variant {other}"),
    }
}

/// `bytes` disassembled by objdump (AT&T, like Cranelift's listings), or in hex.
fn disassemble(bytes: &[u8]) -> String {
    let path =
        std::env::temp_dir().join(format!("springboard-fastcall-{}.bin", std::process::id()));
    let text = std::fs::write(&path, bytes).ok().and_then(|()| {
        let output = std::process::Command::new("objdump")
            .args(["-D", "-b", "binary", "-m", "i386:x86-64"])
            .arg(&path)
            .output()
            .ok()?;
        let text = String::from_utf8_lossy(&output.stdout);
        let body: Vec<&str> = text
            .lines()
            .skip_while(|line| !line.contains("<.data>:"))
            .skip(1)
            .collect();
        output.status.success().then(|| body.join("\n"))
    });
    let _ = std::fs::remove_file(&path);
    text.unwrap_or_else(|| {
        bytes
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(" ")
    })
}

fn listing_mode() {
    let fixture = Fixture::new();
    for case in &fixture.cases {
        println!(
            "=== {} `{}` hand-rolled fast call ({} bytes)\n{}",
            case.name,
            case.signature,
            case.hand.code_size(0),
            disassemble(case.hand.bytes(0))
        );
        let engines = &fixture.engines;
        for (label, engine) in by_allocator(&engines.single_pass, &engines.backtracking) {
            let listing = engine
                .compiler()
                .listing(&Request::FastCall(case.fast.clone()))
                .expect("listing");
            println!(
                "=== {} `{}` springboard fast call ({label}, {} bytes)\n{}",
                case.name, case.signature, listing.code_size, listing.vcode
            );
        }
        println!(
            "=== {} `{}` hand-rolled downcall ({} bytes)\n{}",
            case.name,
            case.signature,
            case.hand.code_size(1),
            disassemble(case.hand.bytes(1))
        );
    }
}

fn main() {
    if !cfg!(all(target_arch = "x86_64", target_os = "linux")) {
        eprintln!("benches/fastcall.rs: the hand-rolled baseline is x86-64 Linux only");
        return;
    }
    if ran_other_mode(callgrind_mode, listing_mode) {
        return;
    }
    let fixture = Fixture::new();
    fixture.check();
    let benches = |criterion: &mut Criterion| {
        bench_per_call(criterion, &fixture);
        bench_compile(criterion, &fixture);
        bench_batch(criterion, &fixture.library);
    };
    run_and_report("springboard-fastcall-summary.md", benches, |since| {
        summary(&fixture, since, &measure_interleaved(&fixture))
    });
}
