//! Executes the struct-by-value catalogue (`tests/common/struct_catalogue.rs`) in
//! reverse: every case becomes a springboard *callback* that a gcc-compiled caller
//! ([`c_cases::c_callers_source`]) calls through a typed function pointer, in the
//! host's C convention (System V) and, with `__attribute__((ms_abi))` callers and
//! function-pointer types, through `win64` signatures.
//!
//! The C caller builds the case's struct arguments as locals, passes them and the
//! scalars as gcc passes them, and checks the result leaf by leaf (floats bit for
//! bit), that its own struct arguments are unchanged after the call (the callee only
//! had copies), and that values it kept in preserved registers across the call
//! survived. Before every call the stack the caller is about to use is filled with a
//! byte that changes from run to run, so a result left unwritten cannot pass for the
//! previous run's.
//!
//! On the Rust side each case runs five ways:
//! - a raw handler checks the argument array (scalars: their own bytes in the slot;
//!   structs: the value bytes behind the slot's pointer, which must be aligned for the
//!   struct and must not be the caller's own object) and writes the result as the layout
//!   says (a scalar as a whole slot; a struct's bytes with garbage in its padding);
//! - the same, but the handler then overwrites every struct it was given and every
//!   argument slot, and writes a scalar result's own bytes only, garbage above them;
//! - the first raw handler behind a callback in libffi's layout (an array of pointers
//!   to the values, turned back into slots by `common::pointers`);
//! - a closure compares the decoded [`Value`]s with the case's and returns its result;
//! - a context-binding callback ([`Engine::callback_bound`]) calls a gcc-compiled
//!   handler `R handler(void *context, args...)` in the same convention
//!   ([`c_cases::c_bound_source`]), which checks the context and every leaf of every
//!   argument, scribbles over its struct parameters and returns the case's result.
//!
//! Handlers and closures overwrite every register the host convention lets them
//! clobber, which `ms_abi` callers expect preserved (`rsi`, `rdi`, `xmm6`-`xmm15`).
//!
//! Each test then turns on the callers themselves: deliberately wrong callees (a bit
//! flipped in one result leaf, a bit flipped in the caller's own struct argument
//! through the address it publishes, broken preserved registers) must each be
//! reported, at the right place.

mod common;

use common::c_cases::{
    self, encoded, encoded_with_padding, leaves, same_value, value_bits, value_bytes_mask,
    Bookkeeping, Callees, Recorded, ORIGINALS_LEN, REGISTERS_CLOBBERED, RESULT_MISMATCH,
};
use common::case::{assert_no_failures, checking_closure, HandlerLog};
use common::pointers::{pointer_callback, Adapted};
use common::slots::{scramble_clobberable_registers, slot_holds};
use common::struct_catalogue::{self as catalogue, Case};
use common::CLibrary;
use springboard::{Callback, Convention, Engine, Signature, Slot, Value};
use std::ffi::c_void;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The catalogue's callers compiled into one library, with its bookkeeping globals.
struct Callers {
    library: CLibrary,
    convention: Convention,
    bookkeeping: Bookkeeping,
    originals: *const [*mut u8; ORIGINALS_LEN],
}

impl Callers {
    fn build(name: &str, cases: &[Case], convention: Convention) -> Callers {
        let attribute = match convention {
            Convention::Win64 => Some("__attribute__((ms_abi))"),
            _ => None,
        };
        let library = common::build_c_library(name, &c_cases::c_callers_source(cases, attribute));
        let bookkeeping = Bookkeeping::bind(&library);
        Callers {
            convention,
            originals: bookkeeping.originals,
            bookkeeping,
            library,
        }
    }

    /// The caller of `case`, as the C function `int32_t (const void *)` in the callers'
    /// convention.
    fn caller(&self, case: &Case) -> *const c_void {
        self.library.symbol(&c_cases::caller_symbol(case))
    }

    /// Runs the case's caller on `callee` (after filling the stack it will use with
    /// `poison`); returns the problems it counted.
    fn call(&self, case: &Case, callee: *const c_void, poison: u8) -> i32 {
        let caller = self.caller(case);
        poison_stack(poison);
        // SAFETY: `c_callers_source` defines every caller as `int32_t (const void *)`
        // with the ABI attribute of its convention; `callee` is a live callback with the
        // case's signature in that convention.
        unsafe { c_cases::call_caller(self.convention, caller, callee) }
    }

    /// What the callers recorded since the last reset; resets.
    fn take(&self) -> Recorded {
        self.bookkeeping.take()
    }
}

/// Describes a caller's first failure.
fn describe_failure(cases: &[Case], (case, what, leaf, bits): (usize, i32, usize, u64)) -> String {
    let case = &cases[case];
    let (place, expected) = match what {
        RESULT_MISMATCH => ("the result".to_string(), Some(&case.result)),
        REGISTERS_CLOBBERED => {
            return format!(
                "C caller of {}: values it kept in preserved registers changed across the call",
                case.name
            )
        }
        arg => (
            format!("its own struct argument {arg} (after the call)"),
            usize::try_from(arg).ok().and_then(|a| case.args.get(a)),
        ),
    };
    let expected = expected
        .and_then(|value| leaves(value).get(leaf).cloned())
        .map(|v| format!("{v:?} (bits {:#x})", value_bits(&v)))
        .unwrap_or_else(|| "?".to_string());
    format!(
        "C caller of {}: {place}, scalar leaf {leaf}, held bits {bits:#x}, expected {expected}",
        case.name
    )
}

/// Fills stack below the current frame with `byte`: the next call at this depth
/// starts with that garbage in its frame.
#[inline(never)]
fn poison_stack(byte: u8) {
    let mut area = [byte; 16 * 1024];
    std::hint::black_box(&mut area);
}

/// A garbage byte: never 0x00 or 0xff, varying with `salt` and `index`.
fn garbage(salt: usize, index: usize) -> u8 {
    let b = (0x96 ^ (salt as u8).wrapping_mul(0x2b)).wrapping_add((index as u8).wrapping_mul(0x13));
    match b {
        0x00 | 0xff => 0xa5,
        b => b,
    }
}

/// How a case's callback is made and what its handler does besides checking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Variant {
    /// A raw handler writing the result as the layout says.
    Raw,
    /// A raw handler that overwrites the structs it was given and the argument slots,
    /// then writes a scalar result's own bytes only.
    Scribbling,
    /// The raw handler behind a callback in libffi's layout (an array of pointers to
    /// the values, turned back into slots by `common::pointers`).
    Pointers,
    /// A closure.
    Closure,
    /// A context-binding callback calling a C handler.
    Bound,
}

const VARIANTS: [Variant; 5] = [
    Variant::Raw,
    Variant::Scribbling,
    Variant::Pointers,
    Variant::Closure,
    Variant::Bound,
];

/// The byte the scribbling handler writes over the structs it was given.
const SCRIBBLE: u8 = 0xee;

/// What one callback must see and return, and what it saw.
struct Expectation {
    case: Case,
    variant: Variant,
    /// The callers' [`ORIGINALS`](c_cases::ORIGINALS), to tell the caller's own objects from
    /// copies.
    originals: *const [*mut u8; ORIGINALS_LEN],
    log: HandlerLog,
}

// SAFETY: `originals` is the address of a C global, only read.
unsafe impl Send for Expectation {}
// SAFETY: as above.
unsafe impl Sync for Expectation {}

impl Expectation {
    fn new(case: &Case, variant: Variant, callers: &Callers) -> Expectation {
        Expectation {
            case: case.clone(),
            variant,
            originals: callers.originals,
            log: HandlerLog::default(),
        }
    }
}

/// The offsets of the bytes where `actual` differs from `expected`'s C layout, padding
/// aside.
fn wrong_value_bytes(actual: &[u8], expected: &Value) -> Vec<usize> {
    let want = encoded(expected);
    let mask = value_bytes_mask(&expected.ty());
    (0..want.len())
        .filter(|&i| mask[i] && actual[i] != want[i])
        .collect()
}

/// How far above the handler's own frame a struct argument may lie: its bytes are
/// in the callback trampoline's frame or in the C caller's copy, both just above.
const FRAMES_ABOVE: usize = 64 * 1024;

/// Checks the argument array against the case; returns the struct arguments that
/// arrived intact (index and place), for the scribbling variant.
///
/// A struct's pointer must be aligned for the struct, lie in the frames above the
/// handler (in this test every struct a callback receives is in the trampoline's frame
/// or in the caller's copy on the stack: a pointer elsewhere is reported, not read, so
/// that a wrong pointer gives a report rather than a crash), and not be the caller's
/// own object. The array itself must be in those frames too.
///
/// # Safety
/// `args` is a callback's argument array for the case's signature.
unsafe fn check_arguments(expectation: &Expectation, args: *mut Slot) -> Vec<(usize, *mut u8)> {
    let frame = std::hint::black_box(0u8);
    let here = &frame as *const u8 as usize;
    let mut structs = Vec::new();
    let count = expectation.case.args.len();
    if count > 0 && (!in_frames_above(here, args as usize, count * 8) || !args.is_aligned()) {
        expectation.log.problem(format!(
            "raw handler: the argument array {args:?} is not 8-aligned in the frames above \
             the handler's ({here:#x})"
        ));
        return structs;
    }
    for (i, expected) in expectation.case.args.iter().enumerate() {
        // SAFETY: the trampoline passes one slot per parameter.
        let slot = unsafe { *args.add(i) };
        let ty = expected.ty();
        if !ty.is_aggregate() {
            if !slot_holds(slot, expected) {
                expectation.log.problem(format!(
                    "raw handler: argument {i} arrived as {slot:?}, expected {expected:?}"
                ));
            }
            continue;
        }
        let place = slot.as_ptr::<u8>();
        let address = place as usize;
        if !in_frames_above(here, address, ty.size()) {
            expectation.log.problem(format!(
                "raw handler: struct argument {i} at {place:?}, not in the frames above the \
                 handler's ({here:#x})"
            ));
            continue;
        }
        if !address.is_multiple_of(ty.align()) {
            expectation.log.problem(format!(
                "raw handler: struct argument {i} at {place:?}, not {}-aligned",
                ty.align()
            ));
            continue;
        }
        // SAFETY: the caller's published addresses are plain C pointers.
        let original = unsafe { (*expectation.originals)[i] };
        if place == original {
            expectation.log.problem(format!(
                "raw handler: struct argument {i} is the caller's own object, not a copy"
            ));
        }
        // SAFETY: a struct argument's slot points to the struct's bytes.
        let bytes = unsafe { std::slice::from_raw_parts(place, ty.size()) };
        let wrong = wrong_value_bytes(bytes, expected);
        if wrong.is_empty() {
            structs.push((i, place));
        } else {
            expectation.log.problem(format!(
                "raw handler: struct argument {i} holds {bytes:02x?}, expected {:02x?} \
                 ({expected}); wrong value bytes at {wrong:?}",
                encoded(expected)
            ));
        }
    }
    structs
}

/// The bytes a handler writes for a struct result: its C layout with garbage padding.
fn struct_result_bytes(result: &Value) -> Vec<u8> {
    encoded_with_padding(result, |i| garbage(7, i))
}

/// Writes `value` at a callback's result place, as `variant`'s handler does.
///
/// # Safety
/// `result` is the result place of a callback whose result type is `value`'s.
unsafe fn write_result(expectation: &Expectation, value: &Value, result: *mut c_void) {
    if *value == Value::Void {
        return;
    }
    let frame = std::hint::black_box(0u8);
    let here = &frame as *const u8 as usize;
    let ty = value.ty();
    let (size, align) = if ty.is_aggregate() {
        (ty.size(), ty.align())
    } else {
        (8, 8)
    };
    // The place is in the trampoline's frame or, for a struct returned through a
    // hidden pointer, in the caller's: both above. Elsewhere it is reported, not
    // written.
    if !in_frames_above(here, result as usize, size) || !(result as usize).is_multiple_of(align) {
        expectation.log.problem(format!(
            "raw handler: the result place {result:?} is not {align}-aligned in the frames \
             above the handler's ({here:#x})"
        ));
        return;
    }
    if ty.is_aggregate() {
        let bytes = struct_result_bytes(value);
        // SAFETY: a struct result place holds the struct's size.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), result.cast::<u8>(), bytes.len()) };
    } else {
        let mut slot = value.to_result_slot();
        if expectation.variant == Variant::Scribbling {
            for (i, byte) in slot.0.iter_mut().enumerate().skip(ty.size()) {
                *byte = garbage(11, i);
            }
        }
        // SAFETY: a scalar result place is one writable, 8-aligned slot.
        unsafe { result.cast::<Slot>().write(slot) };
    }
}

/// Whether `size` bytes at `address` lie in the [`FRAMES_ABOVE`] bytes above `here`.
fn in_frames_above(here: usize, address: usize, size: usize) -> bool {
    address > here && address.saturating_add(size) <= here + FRAMES_ABOVE
}

/// The raw handler: checks the arguments (problems are recorded, never panicked),
/// scribbles over them in the scribbling variant, writes the case's result and
/// scrambles the registers it may clobber.
unsafe extern "C" fn checking_handler(context: *mut c_void, args: *mut Slot, result: *mut Slot) {
    // SAFETY: the context is an `Expectation` that outlives the callback.
    let expectation = unsafe { &*(context as *const Expectation) };
    expectation.log.called();
    // SAFETY: the trampoline's argument array for the case's signature.
    let structs = unsafe { check_arguments(expectation, args) };
    if expectation.variant == Variant::Scribbling {
        for (i, place) in structs {
            // SAFETY: struct argument bytes are the handler's to modify (copies).
            unsafe { std::ptr::write_bytes(place, SCRIBBLE, expectation.case.args[i].ty().size()) };
        }
        // SAFETY: the argument array holds one slot per parameter.
        unsafe { std::ptr::write_bytes(args, SCRIBBLE, expectation.case.args.len()) };
    }
    // SAFETY: `result` is the result place of the case's signature.
    unsafe { write_result(expectation, &expectation.case.result, result.cast()) };
    scramble_clobberable_registers(SCRAMBLE);
}

/// What the handlers leave in every register a System V function may clobber.
const SCRAMBLE: u64 = 0x6b6b_6b6b_6b6b_6b6b;

/// The case and the log of `expectation`, for [`checking_closure`].
fn case_and_log(expectation: &Expectation) -> (&Case, &HandlerLog) {
    (&expectation.case, &expectation.log)
}

/// A callback for case `index` in `variant`, checking against `expectation` (or,
/// bound, calling the case's handler in `bound`), and the adapter a pointer-array
/// callback's handler needs while it lives.
fn make_callback(
    engine: &Engine,
    signature: &Signature,
    (index, bound): (usize, &Callees),
    expectation: &Arc<Expectation>,
) -> (Callback, Option<Box<Adapted>>) {
    let context = Arc::as_ptr(expectation) as *mut c_void;
    match expectation.variant {
        Variant::Bound => {
            let handler = bound
                .library
                .symbol(&c_cases::bound_symbol(&expectation.case));
            (
                engine
                    .callback_bound(signature, handler, c_cases::bound_context(index))
                    .unwrap(),
                None,
            )
        }
        Variant::Raw | Variant::Scribbling => (
            engine
                .callback_raw(signature, checking_handler, context)
                .unwrap(),
            None,
        ),
        Variant::Pointers => {
            let (callback, adapter) =
                pointer_callback(engine, signature, checking_handler, context);
            (callback, Some(adapter))
        }
        Variant::Closure => (
            checking_closure(
                engine,
                signature,
                Arc::clone(expectation),
                case_and_log,
                same_value,
                SCRAMBLE,
            ),
            None,
        ),
    }
}

/// Runs every catalogue case as a callback in `convention` in every variant, called
/// by gcc-compiled callers.
fn run_catalogue(callers: &Callers, bound: &Callees, cases: &[Case], engine: &Engine) {
    let convention = callers.convention;
    callers.bookkeeping.reset();
    let signatures: Vec<Signature> = cases
        .iter()
        .map(|case| case.signature.clone().with_convention(convention))
        .collect();

    let mut runs = 0usize;
    for variant in VARIANTS {
        // Checked after each variant: a bug the raw handler reports may crash the
        // closure runtime, which trusts the pointers it is given.
        let mut failures = Vec::new();
        let mut failing_runs = 0;
        for (index, (case, signature)) in cases.iter().zip(&signatures).enumerate() {
            let expectation = Arc::new(Expectation::new(case, variant, callers));
            let (callback, _adapter) =
                make_callback(engine, signature, (index, bound), &expectation);
            let counted = callers.call(case, callback.code(), garbage(runs, 3));
            drop(callback);
            runs += 1;

            let mut problems = Vec::new();
            let recorded = callers.take();
            if recorded.calls != 1 {
                problems.push(format!(
                    "the C caller made {} calls, expected one",
                    recorded.calls
                ));
            }
            if let Some(first) = recorded.first {
                problems.push(format!(
                    "{}; {} problem(s)",
                    describe_failure(cases, first),
                    recorded.failures
                ));
            }
            if i64::from(counted) != recorded.failures {
                problems.push(format!(
                    "the caller returned {counted} but recorded {}",
                    recorded.failures
                ));
            }
            let (calls, handler_problems) = expectation.log.take();
            // A bound callback runs the C handler, never a Rust one.
            let rust_calls = match variant {
                Variant::Bound => {
                    bound.take(cases, "bound", 1, &mut problems);
                    0
                }
                _ => 1,
            };
            if calls != rust_calls {
                problems.push(format!(
                    "the Rust handler ran {calls} times, expected {rust_calls}"
                ));
            }
            problems.extend(handler_problems);
            failing_runs += usize::from(!problems.is_empty());
            let args: Vec<String> = case.args.iter().map(Value::to_string).collect();
            let result = match &case.result {
                Value::Void => "void".to_string(),
                value => value.to_string(),
            };
            for problem in problems {
                failures.push(format!(
                    "{variant:?} {} `{signature}` ({}) -> {result}: {problem}",
                    case.name,
                    args.join(", "),
                ));
            }
        }
        assert_no_failures(&failures, 16, || {
            format!(
                "{failing_runs} of {} struct callback runs failed ({convention}, {variant:?}; {} \
                 problems)",
                cases.len(),
                failures.len(),
            )
        });
    }
    assert_eq!(runs, cases.len() * VARIANTS.len(), "every case ran");
    assert_eq!(
        cases.len(),
        catalogue::shapes().len() * catalogue::KINDS.len()
    );
    eprintln!(
        "{} struct catalogue cases x {} variants passed as callbacks ({convention})",
        cases.len(),
        VARIANTS.len()
    );
}

/// A deliberate misbehaviour of the self-check handler.
#[derive(Clone, Copy, Debug)]
enum Sabotage {
    /// Write the result with one bit of scalar leaf `leaf` flipped.
    Result { leaf: usize },
    /// Flip one bit of scalar leaf `leaf` of the caller's own struct argument `arg`
    /// (reached through [`ORIGINALS`](c_cases::ORIGINALS)), then behave.
    Original { arg: usize, leaf: usize },
}

/// The handler of the self-check: a [`Sabotage`] and the case.
struct Saboteur {
    case: Case,
    sabotage: Sabotage,
    originals: *const [*mut u8; ORIGINALS_LEN],
    calls: AtomicUsize,
}

/// The byte offset of scalar leaf `leaf` in a value of type `value.ty()`.
fn leaf_offset(value: &Value, leaf: usize) -> usize {
    let mut offsets = Vec::new();
    value
        .ty()
        .for_each_scalar(0, &mut |offset, _| offsets.push(offset));
    offsets[leaf]
}

unsafe extern "C" fn sabotaging_handler(context: *mut c_void, _: *mut Slot, result: *mut Slot) {
    // SAFETY: the context is a `Saboteur` that outlives the callback.
    let saboteur = unsafe { &*(context as *const Saboteur) };
    saboteur.calls.fetch_add(1, Ordering::Relaxed);
    let value = &saboteur.case.result;
    let ty = value.ty();
    let mut bytes = if ty.is_aggregate() {
        struct_result_bytes(value)
    } else {
        value.to_result_slot().0.to_vec()
    };
    match saboteur.sabotage {
        Sabotage::Result { leaf } => bytes[leaf_offset(value, leaf)] ^= 1,
        Sabotage::Original { arg, leaf } => {
            // SAFETY: the running caller published the address of its argument `arg`,
            // a live struct of that argument's type.
            unsafe {
                let original = (*saboteur.originals)[arg];
                *original.add(leaf_offset(&saboteur.case.args[arg], leaf)) ^= 1;
            }
        }
    }
    if *value != Value::Void {
        // SAFETY: the result place holds the result (one slot for a scalar).
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), result.cast::<u8>(), bytes.len()) };
    }
}

/// The callers catch what they promise to: every wrong result leaf, every changed
/// leaf of their own struct arguments, and (for the `void` cases) broken preserved
/// registers; each reported exactly once, at the right place.
/// Checks that the callers catch what they promise to, with deliberately misbehaving
/// callees: for every case with a result, a wrong bit in one leaf of the result; for
/// every case with struct arguments, a changed bit in one leaf of the caller's own
/// last struct argument; for every `void` case, broken preserved registers. Each must
/// be reported exactly (the first failure, at the right place, with the bits seen).
fn check_the_callers(callers: &Callers, cases: &[Case], engine: &Engine) {
    let convention = callers.convention;
    let mut checked = [0usize; 3];
    for (index, case) in cases.iter().enumerate() {
        let signature = case.signature.clone().with_convention(convention);
        let mut sabotages = Vec::new();
        if case.result != Value::Void {
            let leaves = leaves(&case.result).len();
            sabotages.push(Sabotage::Result {
                leaf: index % leaves,
            });
        }
        if let Some(arg) = case.args.iter().rposition(|a| a.ty().is_aggregate()) {
            let leaves = leaves(&case.args[arg]).len();
            sabotages.push(Sabotage::Original {
                arg,
                leaf: (index * 7) % leaves,
            });
        }
        for sabotage in sabotages {
            let saboteur = Saboteur {
                case: case.clone(),
                sabotage,
                originals: callers.originals,
                calls: AtomicUsize::new(0),
            };
            let callback = engine
                .callback_raw(
                    &signature,
                    sabotaging_handler,
                    &saboteur as *const Saboteur as *mut c_void,
                )
                .unwrap();
            let counted = callers.call(case, callback.code(), 0x3c);
            drop(callback);
            let recorded = callers.take();
            let (what, value, leaf) = match sabotage {
                Sabotage::Result { leaf } => (RESULT_MISMATCH, &case.result, leaf),
                Sabotage::Original { arg, leaf } => (arg as i32, &case.args[arg], leaf),
            };
            checked[usize::from(what >= 0)] += 1;
            let bits = value_bits(&leaves(value)[leaf]) ^ 1;
            assert_eq!(
                (counted, recorded),
                (
                    1,
                    Recorded {
                        calls: 1,
                        failures: 1,
                        first: Some((index, what, leaf, bits)),
                    }
                ),
                "{convention} caller of {} given {sabotage:?}",
                case.name
            );
            assert_eq!(saboteur.calls.load(Ordering::Relaxed), 1);
        }

        #[cfg(target_arch = "x86_64")]
        if case.result == Value::Void {
            checked[2] += 1;
            // SAFETY: the caller of a `() -> void`-shaped call: its callee reads no
            // argument (the struct arguments are the caller's own) and writes no result.
            let counted = unsafe {
                common::clobber::call_with_preserved_registers_broken(callers.caller(case))
            };
            let recorded = callers.take();
            // The changed registers may also hold constants that later checks compare
            // with, which can then fail too; the register check comes first.
            assert!(
                counted >= 1
                    && i64::from(counted) == recorded.failures
                    && recorded.calls == 1
                    && recorded.first.map(|f| (f.0, f.1)) == Some((index, REGISTERS_CLOBBERED)),
                "{convention} caller of {} missed a callee that broke preserved registers: \
                 returned {counted}, recorded {recorded:?}",
                case.name
            );
        }
    }
    let with_results = cases.iter().filter(|c| c.result != Value::Void).count();
    let with_structs = cases
        .iter()
        .filter(|c| c.args.iter().any(|a| a.ty().is_aggregate()))
        .count();
    assert_eq!(checked[0], with_results);
    assert_eq!(checked[1], with_structs);
    assert!(checked[2] >= 40, "only {} void cases", checked[2]);
    eprintln!(
        "the {convention} callers caught {} wrong results, {} changed arguments and {} \
         broken register sets",
        checked[0], checked[1], checked[2]
    );
}

/// Runs the catalogue in `convention` with callers compiled into `library`, then
/// checks the callers themselves.
fn run(library: &str, convention: Convention) {
    let cases = catalogue::cases();
    let callers = Callers::build(library, &cases, convention);
    let attribute = (convention == Convention::Win64).then_some("__attribute__((ms_abi))");
    let bound = Callees::build_bound(&format!("{library}_bound"), &cases, attribute);
    let engine = Engine::new().unwrap();
    run_catalogue(&callers, &bound, &cases, &engine);
    check_the_callers(&callers, &cases, &engine);
}

#[test]
fn struct_callbacks_in_the_host_c_convention() {
    run("struct_callback_catalogue_sysv", Convention::C);
}

#[test]
fn struct_callbacks_in_win64_with_ms_abi_callers() {
    run("struct_callback_catalogue_win64", Convention::Win64);
}
