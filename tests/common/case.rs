//! The case model every catalogue shares: the scalar catalogue
//! ([`super::catalogue`]), the struct catalogue ([`super::struct_catalogue`]), the
//! cross harness ([`super::cross`]) and the cases the cross tests add.

use springboard::{Signature, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
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
