//! Lazy downcalls ([`Tiering::Lazy`]): callable as soon as they are asked for, through
//! the host convention's generic caller, and compiled once they are called often.
//!
//! What is compiled, when, and on which thread:
//!
//! - **Once per engine**, on the thread that first needs it: the generic caller of
//!   the host convention (two, with and without a stack block: see
//!   [`crate::abi::plan`]), and the callback body of `(ptr, ptr, ptr) -> void` whose
//!   instances are the lazy downcalls' entry points.
//! - **When a downcall is asked for**, nothing: the signature is lowered and its plan
//!   made, and a callback instance is claimed whose context is the downcall's state.
//!   The instance is the raw entry point ([`Downcall::as_raw`](super::Downcall::as_raw)),
//!   with the [`RawDowncall`](super::RawDowncall) type, so nothing in how runtimes
//!   call downcalls changes. Each call runs the plan: it moves the arguments into the
//!   generic caller's block (`moves.rs`) and calls the C function through it. The
//!   same holds for downcalls in libffi's layout
//!   ([`Engine::pointer_downcall`](super::Engine::pointer_downcall), whose entry has
//!   the [`RawPointerDowncall`](super::RawPointerDowncall) type): the plan is the
//!   same, only the arguments are read through the array's pointers.
//! - **The trampoline**, on the thread that makes call number `compile_after`, right
//!   after that call: from then on calls through the lazy entry point forward to it,
//!   and handles the engine hands out afterwards (cache hits) are the compiled
//!   downcall itself. If that compile fails, the downcall stays on the generic path.
//! - Signatures the generic caller cannot make (no plan) compile when asked for, as
//!   under [`Tiering::Eager`].

use super::{Compiled, Engine, EngineInner, Owner, Placed};
use crate::abi::plan::{self, CallPlan, GenericFrame};
use crate::array::Slot;
use crate::engine::callback::CallbackPool;
use crate::engine::Callback;
use crate::error::Error;
use crate::signature::Signature;
use crate::trampoline::moves::{self, GenericCaller};
use crate::trampoline::{ArgLayout, Kind, Request};
use std::ffi::c_void;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};

/// When an engine compiles downcall trampolines.
///
/// ```
/// use springboard::{Engine, EngineOptions, Slot, Tiering};
///
/// extern "C" fn add(a: i32, b: i32) -> i32 { a + b }
///
/// let engine = Engine::with_options(EngineOptions {
///     tiering: Tiering::Lazy { compile_after: 2 },
///     ..EngineOptions::default()
/// })?;
/// let downcall = engine.downcall(&"(i32, i32) -> i32".parse()?)?;
/// assert!(!downcall.runs_compiled_code()); // callable at once, nothing compiled
/// let args = [Slot::from_i32(2), Slot::from_i32(40)];
/// let mut result = Slot::default();
/// for _ in 0..2 {
///     // SAFETY: `add` has the downcall's signature; two slots, one result slot.
///     unsafe { downcall.call_raw(add as *const _, args.as_ptr(), &mut result) };
///     assert_eq!(result.as_i32(), 42);
/// }
/// assert!(downcall.runs_compiled_code()); // compiled after the second call
/// # Ok::<(), springboard::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Tiering {
    /// When they are asked for (the default).
    #[default]
    Eager,
    /// On the thread that makes call number `compile_after`; until then (and for
    /// signatures the generic caller cannot make, never) calls run through the generic
    /// caller. `u32::MAX` in practice never compiles.
    Lazy {
        /// Calls before the trampoline is compiled.
        compile_after: u32,
    },
}

/// What the engine keeps for lazy downcalls: generic callers by frame, and the pool of
/// entry points, each made on first use.
#[derive(Default)]
pub(super) struct LazyParts {
    generic: Mutex<Vec<(GenericFrame, Arc<Compiled>)>>,
    entries: Mutex<Option<Arc<CallbackPool>>>,
}

/// One lazy downcall: its plan, its entry point and, once compiled, its trampoline.
pub(super) struct Lazy {
    plan: CallPlan,
    /// How its callers lay the arguments out.
    layout: ArgLayout,
    generic: GenericCaller,
    /// Keeps the generic caller's code alive.
    _generic_code: Arc<Compiled>,
    signature: Signature,
    engine: Weak<EngineInner>,
    calls: AtomicU32,
    compile_after: u32,
    compiled: OnceLock<Arc<Compiled>>,
    /// The entry point (set right after it is claimed, before any handle exists).
    entry: OnceLock<Callback>,
}

impl Lazy {
    /// The compiled downcall, once it exists.
    pub(super) fn compiled(&self) -> Option<&Arc<Compiled>> {
        self.compiled.get()
    }

    /// One call: through the compiled trampoline when there is one, else through the
    /// generic caller, compiling after call number `compile_after`.
    ///
    /// # Safety
    /// A downcall's requirements in the layout (see
    /// [`Downcall::call_raw`](super::Downcall::call_raw),
    /// [`PointerDowncall::call_raw`](super::PointerDowncall::call_raw)); in libffi's
    /// layout `args` is the array of pointers.
    unsafe fn call(&self, callee: *const c_void, args: *const Slot, result: *mut Slot) {
        if let Some(compiled) = self.compiled.get() {
            // SAFETY: a downcall trampoline of this signature and layout (three
            // pointers either way), with unwind information (an exception from the
            // callee may pass); the caller's promises.
            let raw: UnwindingDowncall = unsafe { std::mem::transmute(compiled.code.addr()) };
            // SAFETY: as above.
            return unsafe { raw(callee, args, result) };
        }
        // SAFETY: the generic caller of the plan's frame; the caller's promises.
        unsafe { moves::call_generic(&self.plan, self.generic, self.layout, callee, args, result) };
        // A count, not a lock: threads racing here may lose increments (compiling a
        // little later) or both see the threshold (the second compile is dropped).
        let calls = self.calls.load(Ordering::Relaxed).wrapping_add(1);
        self.calls.store(calls, Ordering::Relaxed);
        if calls == self.compile_after {
            self.compile();
        }
    }

    /// Compiles the trampoline on this thread (keeping the generic path on failure).
    fn compile(&self) {
        let Some(inner) = self.engine.upgrade() else {
            return;
        };
        let engine = Engine { inner };
        let request = match self.layout {
            ArgLayout::Slots => Request::Downcall(self.signature.clone()),
            ArgLayout::Pointers => Request::PointerDowncall(self.signature.clone()),
        };
        if let Ok(mut compiled) = engine.compile_now(std::slice::from_ref(&request)) {
            let _ = self.compiled.set(compiled.remove(0));
        }
    }
}

/// A downcall's raw entry, called so that an exception thrown by the callee (C++) may
/// pass through this frame, as it passes through the trampoline's.
type UnwindingDowncall = unsafe extern "C-unwind" fn(*const c_void, *const Slot, *mut Slot);

/// [`lazy_entry`]'s type.
type UnwindingHandler = unsafe extern "C-unwind" fn(*mut c_void, *mut Slot, *mut Slot);

/// The entry points' handler: `args` holds the downcall's own three arguments. It may
/// be unwound through (by an exception the callee throws), like the callback
/// trampoline that calls it and the generic caller it calls.
///
/// # Safety
/// `context` is a live [`Lazy`]; the caller of the entry point meets a downcall's
/// requirements.
unsafe extern "C-unwind" fn lazy_entry(context: *mut c_void, args: *mut Slot, _result: *mut Slot) {
    // SAFETY: the entry's context is its `Lazy`, which owns the entry.
    let lazy = unsafe { &*context.cast::<Lazy>() };
    // SAFETY: the callback's array holds its three pointer arguments.
    let [callee, array, place] = unsafe { args.cast::<[usize; 3]>().read() };
    // SAFETY: the caller's promises, passed on.
    unsafe {
        lazy.call(
            callee as *const c_void,
            array as *const Slot,
            place as *mut Slot,
        )
    }
}

impl Engine {
    /// The lazy downcall of `signature` reading its arguments in `layout`, or `None`
    /// when the generic caller cannot make it (then it is compiled).
    pub(super) fn lazy_downcall(
        &self,
        signature: &Signature,
        layout: ArgLayout,
        compile_after: u32,
    ) -> Result<Option<Arc<Compiled>>, Error> {
        let Some(plan) = plan::call_plan(signature, self.inner.compiler.target())? else {
            return Ok(None);
        };
        let generic_code = self.generic_caller(&plan.frame)?;
        // SAFETY: the code is a generic caller, with this C type.
        let generic: GenericCaller = unsafe { std::mem::transmute(generic_code.code.addr()) };
        let entries = self.lazy_entries()?;
        let lazy = Arc::new(Lazy {
            plan,
            layout,
            generic,
            _generic_code: generic_code,
            signature: signature.clone(),
            engine: Arc::downgrade(&self.inner),
            calls: AtomicU32::new(0),
            compile_after,
            compiled: OnceLock::new(),
            entry: OnceLock::new(),
        });
        let context = Arc::as_ptr(&lazy).cast_mut().cast();
        // SAFETY: the same function type, but for unwinding leaving it, which the
        // callback trampoline (registered with the unwinder) lets pass.
        let handler = unsafe {
            std::mem::transmute::<UnwindingHandler, crate::engine::RawHandler>(lazy_entry)
        };
        let entry = Callback::raw(entries, handler as usize, context)?;
        let addr = entry.code() as usize;
        let _ = lazy.entry.set(entry);
        Ok(Some(Arc::new(Compiled {
            code: Placed {
                addr,
                len: 0,
                _owner: Owner::Lazy(lazy),
            },
            signature: signature.clone(),
            kind: Kind::Downcall,
            name: OnceLock::new(),
        })))
    }

    /// The generic caller of `frame`, compiled on first use.
    fn generic_caller(&self, frame: &GenericFrame) -> Result<Arc<Compiled>, Error> {
        let parts = &self.inner.lazy;
        let mut generic = parts.generic.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, code)) = generic.iter().find(|(f, _)| f == frame) {
            return Ok(Arc::clone(code));
        }
        let code = self.inner.compiler.compile_generic(frame)?;
        let signature: Signature = "(ptr, ptr, ptr)".parse().expect("a valid signature");
        let compiled = self.install(vec![code], vec![(Kind::Downcall, signature)])?;
        let compiled = compiled.into_iter().next().expect("one in, one out");
        generic.push((*frame, Arc::clone(&compiled)));
        Ok(compiled)
    }

    /// The pool of lazy entry points, compiled on first use.
    fn lazy_entries(&self) -> Result<Arc<CallbackPool>, Error> {
        let mut entries = self
            .inner
            .lazy
            .entries
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(pool) = &*entries {
            return Ok(Arc::clone(pool));
        }
        let signature = "(ptr, ptr, ptr)".parse().expect("a valid signature");
        let pool = self.new_callback_pool(&Request::Callback(signature))?;
        *entries = Some(Arc::clone(&pool));
        Ok(pool)
    }
}
