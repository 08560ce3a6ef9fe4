//! The case model every catalogue shares: the scalar catalogue
//! ([`super::catalogue`]), the struct catalogue ([`super::struct_catalogue`]), the
//! cross harness ([`super::cross`]) and the cases the cross tests add.

use springboard::{Callback, Engine, Signature, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::sync::Mutex;

/// One call: what is called, with what, and what comes back.
#[derive(Clone, Debug)]
pub struct Case {
    /// Unique name within its catalogue, a valid C identifier fragment (`[a-z0-9_]`).
    pub name: String,
    /// The callee's signature, in the `c` convention (callers re-target it).
    pub signature: Signature,
    /// One value per parameter, of the parameter's type.
    pub args: Vec<Value>,
    /// The value the callee returns (`Value::Void` for `void`).
    pub result: Value,
}

impl Case {
    /// Asserts one argument per parameter, each of its parameter's type, and a result
    /// of the result type.
    pub fn assert_well_typed(&self) {
        assert_eq!(
            self.args.len(),
            self.signature.params.len(),
            "{}",
            self.name
        );
        for (arg, ty) in self.args.iter().zip(&self.signature.params) {
            assert_eq!(arg.ty(), *ty, "{}", self.name);
        }
        assert_eq!(self.result.ty(), self.signature.result, "{}", self.name);
    }
}

/// What a handler recorded while it ran for one case: its calls and the problems it
/// saw (a handler records instead of panicking, and the test reports afterwards).
#[derive(Default)]
pub struct HandlerLog {
    calls: AtomicUsize,
    problems: Mutex<Vec<String>>,
}

impl HandlerLog {
    /// Counts one call.
    pub fn called(&self) {
        self.calls.fetch_add(1, Ordering::Relaxed);
    }

    /// Records a problem.
    pub fn problem(&self, text: String) {
        self.problems
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(text);
    }

    /// The calls seen and the problems recorded, both cleared.
    pub fn take(&self) -> (usize, Vec<String>) {
        let calls = self.calls.swap(0, Ordering::Relaxed);
        let problems =
            std::mem::take(&mut *self.problems.lock().unwrap_or_else(|p| p.into_inner()));
        (calls, problems)
    }
}

/// A closure callback checking its arguments against a case's: `view` gives the case
/// and the log of `expectation`; the closure counts its call, records each argument
/// `same` tells from the case's, leaves `scramble` in the registers a callee may
/// clobber, and returns the case's result.
pub fn checking_closure<E: Send + Sync + 'static>(
    engine: &Engine,
    signature: &Signature,
    expectation: Arc<E>,
    view: fn(&E) -> (&Case, &HandlerLog),
    same: fn(&Value, &Value) -> bool,
    scramble: u64,
) -> Callback {
    engine
        .callback(signature, move |args| {
            let (case, log) = view(&expectation);
            log.called();
            if args.len() != case.args.len() {
                log.problem(format!(
                    "closure: {} arguments, expected {}",
                    args.len(),
                    case.args.len()
                ));
            }
            for (i, (arg, want)) in args.iter().zip(&case.args).enumerate() {
                if !same(arg, want) {
                    log.problem(format!(
                        "closure: argument {i} is {arg:?}, expected {want:?}"
                    ));
                }
            }
            super::slots::scramble_clobberable_registers(scramble);
            case.result.clone()
        })
        .unwrap()
}

/// Panics with `headline` and the first `shown` of `failures` unless there are none.
pub fn assert_no_failures(failures: &[String], shown: usize, headline: impl FnOnce() -> String) {
    assert!(
        failures.is_empty(),
        "{}, the first ones:\n{}",
        headline(),
        failures
            .iter()
            .take(shown)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// A scalar value with the lowest bit of its representation flipped (`bool`: negated).
pub fn with_low_bit_flipped(value: &Value) -> Value {
    match *value {
        Value::Bool(v) => Value::Bool(!v),
        Value::I8(v) => Value::I8(v ^ 1),
        Value::U8(v) => Value::U8(v ^ 1),
        Value::I16(v) => Value::I16(v ^ 1),
        Value::U16(v) => Value::U16(v ^ 1),
        Value::I32(v) => Value::I32(v ^ 1),
        Value::U32(v) => Value::U32(v ^ 1),
        Value::I64(v) => Value::I64(v ^ 1),
        Value::U64(v) => Value::U64(v ^ 1),
        Value::F32(v) => Value::F32(f32::from_bits(v.to_bits() ^ 1)),
        Value::F64(v) => Value::F64(f64::from_bits(v.to_bits() ^ 1)),
        ref other => panic!("no low bit to flip in {other:?}"),
    }
}
