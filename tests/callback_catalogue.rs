//! Executes the scalar catalogue (`tests/common/catalogue.rs`) in reverse: every case
//! becomes a springboard *callback* that a gcc-compiled caller calls through a typed
//! function pointer, in the host's C convention (System V) and, with
//! `__attribute__((ms_abi))` callers and function-pointer types, through `win64`
//! signatures.
//!
//! The C caller passes the case's arguments as gcc passes them and checks the result
//! exactly (as its C type; in the carrier variants narrow arguments go in 32-bit
//! carriers with garbage above the value, and narrow results are read as
//! `int32_t`/`uint32_t` and must be extended to 32 bits, as springboard promises in
//! every convention). It also keeps eight integers and ten doubles live across the call,
//! in the registers the convention preserves, and checks them afterwards.
//!
//! On the Rust side each case runs three times:
//! - a raw handler checks the argument array (each value exactly in its slot's low
//!   bytes, `bool` as a 0 or 1 byte) and writes the case's result as the layout says
//!   (integers sign- or zero-extended to the whole slot, `f32` in the first 4 bytes);
//! - the same raw handler writing only the result's own bytes, with garbage above them
//!   (the layout's readers ignore bytes beyond a value's size), so that the narrow
//!   result's extension must come from the trampoline itself;
//! - the first raw handler again behind a callback in libffi's layout (the handler
//!   gets an array of pointers to the values, turned back into slots by
//!   `common::pointers`);
//! - a closure compares the decoded [`Value`]s with the case's and returns its result
//!   (the closure runtime writes narrow results zero-padded, not extended);
//! - a context-binding callback ([`Engine::callback_bound`]) calls a gcc-compiled
//!   handler `R handler(void *context, args...)` in the same convention
//!   ([`c_cases::c_bound_source`]), which checks the context and every argument and
//!   returns the case's result.
//!
//! Handlers and closures deliberately overwrite every register the host convention
//! lets them clobber (x86-64), which `ms_abi` callers expect preserved.

mod common;

use common::c_cases::{self, same_value, Bookkeeping, Callees, NarrowParams};
use common::case::{assert_no_failures, checking_closure, HandlerLog};
use common::catalogue::{self, Case};
use common::pointers::pointer_callback;
use common::slots::{layout_slot, scramble_clobberable_registers, slot_holds};
use common::CLibrary;
use springboard::{Convention, Engine, Signature, Slot, Value};
use std::ffi::c_void;
use std::sync::Arc;

/// The catalogue's callers compiled into one library, with its bookkeeping globals.
struct Callers {
    library: CLibrary,
    convention: Convention,
    bookkeeping: Bookkeeping,
}

/// The ABI attribute gcc needs for functions in `convention`.
fn abi_attribute(convention: Convention) -> Option<&'static str> {
    match convention {
        Convention::Win64 => Some("__attribute__((ms_abi))"),
        _ => None,
    }
}

impl Callers {
    fn build(name: &str, cases: &[Case], convention: Convention, narrow: NarrowParams) -> Callers {
        let attribute = abi_attribute(convention);
        let source = c_cases::c_callers_source_with(cases, attribute, narrow);
        let library = common::build_c_library(name, &source);
        Callers {
            convention,
            bookkeeping: Bookkeeping::bind(&library),
            library,
        }
    }

    /// Runs the case's caller on `callee`; returns the problems it counted.
    fn call(&self, case: &Case, callee: *const c_void) -> i32 {
        let caller = self.library.symbol(&c_cases::caller_symbol(case));
        // SAFETY: `c_callers_source` defines every caller as
        // `int32_t (const void *)`, with the ABI attribute of its convention; `callee`
        // is a live callback with the case's signature in that convention.
        unsafe { c_cases::call_caller(self.convention, caller, callee) }
    }

    /// Checks that the callers made `calls` calls since the last reset and recorded no
    /// problem; then resets.
    fn take_problems(&self, cases: &[Case], calls: u64, problems: &mut Vec<String>) {
        let recorded = self.bookkeeping.take();
        if recorded.calls != calls {
            problems.push(format!(
                "the C caller made {} calls, expected {calls}",
                recorded.calls
            ));
        }
        if let Some((case, arg, _, bits)) = recorded.first {
            let case = &cases[case];
            let what = match arg {
                c_cases::RESULT_MISMATCH => format!(
                    "got result bits {bits:#x}, expected {:?} (bits {:#x})",
                    case.result,
                    c_cases::value_bits(&case.result)
                ),
                c_cases::REGISTERS_CLOBBERED => {
                    "values it kept in preserved registers changed across the call".to_string()
                }
                arg => format!("unexpected failure code {arg}"),
            };
            problems.push(format!(
                "C caller of {}: {what}; {} problem(s)",
                case.name, recorded.failures
            ));
        }
    }
}

/// How the raw handler writes a scalar result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ResultBytes {
    /// As the layout's result rule says: integers extended to the whole slot, `f32`
    /// in the first four bytes.
    Layout,
    /// The value's own bytes, garbage in the rest of the slot.
    OwnOnly,
}

/// What one callback must see and return, and what it saw.
struct Expectation {
    case: Case,
    result_bytes: ResultBytes,
    log: HandlerLog,
}

impl Expectation {
    fn new(case: &Case, result_bytes: ResultBytes) -> Expectation {
        Expectation {
            case: case.clone(),
            result_bytes,
            log: HandlerLog::default(),
        }
    }
}

/// What the handlers leave in every register a System V function may clobber.
const SCRAMBLE: u64 = 0xa5a5_a5a5_a5a5_a5a5;

/// The raw handler: checks the argument array against the case (never panics:
/// problems are recorded), writes the case's result, scrambles registers.
unsafe extern "C" fn checking_handler(context: *mut c_void, args: *mut Slot, result: *mut Slot) {
    // SAFETY: the context is an `Expectation` that outlives the callback.
    let expectation = unsafe { &*(context as *const Expectation) };
    expectation.log.called();
    for (i, expected) in expectation.case.args.iter().enumerate() {
        // SAFETY: the trampoline passes one slot per parameter.
        let slot = unsafe { *args.add(i) };
        if !slot_holds(slot, expected) {
            expectation.log.problem(format!(
                "raw handler: argument {i} arrived as {slot:?}, expected {expected:?}"
            ));
        }
    }
    let value = &expectation.case.result;
    if *value != Value::Void {
        let size = value.ty().size();
        let bytes = match expectation.result_bytes {
            ResultBytes::Layout => layout_slot(value).0,
            ResultBytes::OwnOnly => {
                let mut bytes = 0x96c3_5aa5_3c69_a55a_u64.to_le_bytes();
                bytes[..size].copy_from_slice(&value.to_slot().0[..size]);
                bytes
            }
        };
        // The layout writes an f32 to the first four bytes only.
        let written = if matches!(value, Value::F32(_)) { 4 } else { 8 };
        // SAFETY: a scalar result place is one writable slot.
        unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), result.cast::<u8>(), written) };
    }
    scramble_clobberable_registers(SCRAMBLE);
}

/// The case and the log of `expectation`, for [`checking_closure`].
fn case_and_log(expectation: &Expectation) -> (&Case, &HandlerLog) {
    (&expectation.case, &expectation.log)
}

/// The ways each case's callback is made.
#[derive(Clone, Copy, Debug)]
enum Handler {
    Raw(ResultBytes),
    /// The raw handler writing the layout's result, behind a pointer-array callback.
    Pointers,
    Closure,
    /// A context-binding callback calling a C handler.
    Bound,
}

const HANDLERS: [Handler; 5] = [
    Handler::Raw(ResultBytes::Layout),
    Handler::Raw(ResultBytes::OwnOnly),
    Handler::Pointers,
    Handler::Closure,
    Handler::Bound,
];

/// Runs every catalogue case as a callback in `convention`, called by gcc-compiled
/// callers built with `narrow`.
fn run_catalogue(library: &str, convention: Convention, narrow: NarrowParams) {
    let cases = catalogue::cases();
    let callers = Callers::build(library, &cases, convention, narrow);
    let bound = Callees::build_bound(
        &format!("{library}_bound"),
        &cases,
        abi_attribute(convention),
    );
    let engine = Engine::new().unwrap();
    let signatures: Vec<Signature> = cases
        .iter()
        .map(|case| case.signature.clone().with_convention(convention))
        .collect();

    let mut failures = Vec::new();
    let mut runs = 0usize;
    for handler in HANDLERS {
        callers.bookkeeping.reset();
        let result_bytes = match handler {
            Handler::Raw(bytes) => bytes,
            Handler::Closure | Handler::Bound | Handler::Pointers => ResultBytes::Layout,
        };
        let expectations: Vec<Arc<Expectation>> = cases
            .iter()
            .map(|case| Arc::new(Expectation::new(case, result_bytes)))
            .collect();
        for (index, ((case, signature), expectation)) in
            cases.iter().zip(&signatures).zip(&expectations).enumerate()
        {
            let context = Arc::as_ptr(expectation) as *mut c_void;
            let (callback, _adapter) = match handler {
                Handler::Bound => (
                    engine
                        .callback_bound(
                            signature,
                            bound.library.symbol(&c_cases::bound_symbol(case)),
                            c_cases::bound_context(index),
                        )
                        .unwrap(),
                    None,
                ),
                Handler::Raw(_) => (
                    engine
                        .callback_raw(signature, checking_handler, context)
                        .unwrap(),
                    None,
                ),
                Handler::Pointers => {
                    let (callback, adapter) =
                        pointer_callback(&engine, signature, checking_handler, context);
                    (callback, Some(adapter))
                }
                Handler::Closure => (
                    checking_closure(
                        &engine,
                        signature,
                        Arc::clone(expectation),
                        case_and_log,
                        same_value,
                        SCRAMBLE,
                    ),
                    None,
                ),
            };
            let counted = callers.call(case, callback.code());
            drop(callback);
            runs += 1;

            let mut problems = Vec::new();
            callers.take_problems(&cases, 1, &mut problems);
            if counted != 0 && problems.is_empty() {
                problems.push(format!(
                    "the caller returned {counted} without recording it"
                ));
            }
            let (calls, handler_problems) = expectation.log.take();
            // A bound callback runs the C handler, never a Rust one.
            let rust_calls = match handler {
                Handler::Bound => {
                    bound.take(&cases, "bound", 1, &mut problems);
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
            for problem in problems {
                failures.push(format!(
                    "{handler:?} {} `{signature}` args {:?} -> {:?}: {problem}",
                    case.name, case.args, case.result
                ));
            }
        }
    }
    assert_eq!(runs, cases.len() * HANDLERS.len(), "every case ran");
    assert_no_failures(&failures, 16, || {
        format!(
            "{} problems in {runs} callback runs ({convention}, {narrow:?})",
            failures.len(),
        )
    });
    eprintln!(
        "{} catalogue cases x {} handlers passed as callbacks ({convention}, {narrow:?})",
        cases.len(),
        HANDLERS.len()
    );
}

#[test]
fn callers_report_wrong_results_and_clobbered_registers() {
    // Every fifth case with a result, and one `() -> void` case.
    let all = catalogue::cases();
    let mut cases: Vec<Case> = all
        .iter()
        .filter(|c| c.result != Value::Void)
        .step_by(5)
        .cloned()
        .collect();
    cases.extend(
        all.iter()
            .find(|c| c.args.is_empty() && c.result == Value::Void)
            .cloned(),
    );
    let engine = Engine::new().unwrap();
    for convention in [Convention::C, Convention::Win64] {
        let callers = Callers::build(
            &format!("callback_catalogue_self_check_{}", convention.name()),
            &cases,
            convention,
            NarrowParams::Natural,
        );
        // Each caller, given a callback for the same signature that returns another
        // value, reports the result.
        let mut tried = 0;
        for case in cases.iter().filter(|c| c.result != Value::Void) {
            let mut wrong = case.clone();
            wrong.result = catalogue::edge_values(&case.result.ty())
                .into_iter()
                .find(|v| !same_value(v, &case.result))
                .expect("every result type has two values");
            let expectation = Expectation::new(&wrong, ResultBytes::Layout);
            let callback = engine
                .callback_raw(
                    &case.signature.clone().with_convention(convention),
                    checking_handler,
                    &expectation as *const Expectation as *mut c_void,
                )
                .unwrap();
            let counted = callers.call(case, callback.code());
            drop(callback);
            tried += 1;
            let mut described = Vec::new();
            callers.take_problems(&cases, 1, &mut described);
            let described = described.join("; ");
            assert!(
                counted == 1 && described.contains("got result bits"),
                "{convention} caller of {} given {:?} instead of {:?}: returned {counted}, \
                 recorded {described:?}",
                case.name,
                wrong.result,
                case.result
            );
            assert_eq!(expectation.log.take(), (1, Vec::new()));
        }
        assert!(tried > 40, "only {tried} tried");

        // A callee that breaks the convention's preserved registers is reported.
        #[cfg(target_arch = "x86_64")]
        {
            let case = cases
                .iter()
                .find(|c| c.args.is_empty() && c.result == Value::Void)
                .expect("a () -> void case");
            let caller = callers.library.symbol(&c_cases::caller_symbol(case));
            // SAFETY: the caller of a `() -> void` case.
            let counted = unsafe { common::clobber::call_with_preserved_registers_broken(caller) };
            let mut described = Vec::new();
            callers.take_problems(&cases, 1, &mut described);
            let described = described.join("; ");
            assert!(
                counted == 1 && described.contains("preserved registers changed"),
                "{convention}: the register check missed a clobbering callee: returned \
                 {counted}, recorded {described:?}"
            );
        }
    }
}

#[test]
fn callbacks_in_the_host_c_convention() {
    run_catalogue(
        "callback_catalogue_sysv",
        Convention::C,
        NarrowParams::Natural,
    );
}

#[test]
fn callbacks_in_the_host_c_convention_with_32_bit_carriers() {
    run_catalogue(
        "callback_catalogue_sysv_carrier32",
        Convention::C,
        NarrowParams::Carrier32,
    );
}

#[test]
fn callbacks_in_win64_with_ms_abi_callers() {
    run_catalogue(
        "callback_catalogue_win64",
        Convention::Win64,
        NarrowParams::Natural,
    );
}

#[test]
fn callbacks_in_win64_with_32_bit_carriers() {
    run_catalogue(
        "callback_catalogue_win64_carrier32",
        Convention::Win64,
        NarrowParams::Carrier32,
    );
}
