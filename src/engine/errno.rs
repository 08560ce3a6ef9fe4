//! Errno downcalls: downcalls that copy the thread's error number (`errno`; on
//! Windows the last-error code) between the C library and a place the runtime passes
//! on every call (see [`ErrnoMode`]).
//!
//! The place is an argument of every call, not a thread-local the trampoline finds
//! itself: JIT code cannot name a runtime's thread-locals (their TLS model and symbol
//! are the runtime's build's business), and a runtime keeps per-thread state its own
//! way (a thread struct, a fiber, CPython's per-thread `errno` copy). Passing it costs
//! one register; the runtime hands its current thread's place.

use super::downcall::{call_value, check_typed};
use super::Compiled;
use crate::abi::ErrnoMode;
use crate::array::Slot;
use crate::error::Error;
use crate::signature::Signature;
use crate::trampoline::RequestRef;
use crate::typed::{CArgs, CFn, CType, ResultPlace};
use crate::value::Value;
use std::ffi::{c_int, c_void};
use std::marker::PhantomData;
use std::sync::Arc;

/// The raw errno downcall entry point: [`RawDowncall`](super::RawDowncall)'s
/// parameters and `errno`, the 4-byte, 4-aligned place of the error number (read
/// before the call with [`ErrnoMode::SetAndCapture`], written after it).
pub type RawErrnoDowncall = unsafe extern "C" fn(
    callee: *const c_void,
    args: *const Slot,
    result: *mut Slot,
    errno: *mut c_int,
);

/// A compiled errno downcall trampoline. Cloning shares the code.
///
/// ```
/// use springboard::{Engine, ErrnoMode, Value};
///
/// let engine = Engine::new()?;
/// let downcall = engine.errno_downcall(&"(i32) -> i32".parse()?, ErrnoMode::Capture)?;
/// let mut errno = 0;
/// // SAFETY: `close` has this signature; closing no descriptor fails with EBADF.
/// let result = unsafe { downcall.call(libc::close as *const _, &[Value::I32(-1)], &mut errno)? };
/// assert_eq!((result, errno), (Value::I32(-1), libc::EBADF));
/// # Ok::<(), springboard::Error>(())
/// ```
#[derive(Clone)]
pub struct ErrnoDowncall {
    compiled: Arc<Compiled>,
    raw: RawErrnoDowncall,
    mode: ErrnoMode,
}

impl ErrnoDowncall {
    fn new(compiled: Arc<Compiled>, mode: ErrnoMode) -> ErrnoDowncall {
        // SAFETY: the code at this address is a compiled errno downcall trampoline with
        // the `RawErrnoDowncall` type in the host's C convention, and it lives as long
        // as `compiled`, which this handle keeps.
        let raw = unsafe { std::mem::transmute::<usize, RawErrnoDowncall>(compiled.code.addr()) };
        ErrnoDowncall {
            compiled,
            raw,
            mode,
        }
    }

    /// The signature of the C functions this trampoline calls.
    pub fn signature(&self) -> &Signature {
        &self.compiled.signature
    }

    /// What it does with the error number.
    pub fn mode(&self) -> ErrnoMode {
        self.mode
    }

    /// Size of the trampoline's machine code in bytes (rounded to 16).
    pub fn code_size(&self) -> usize {
        self.compiled.code.len()
    }

    /// The trampoline's name in the perf map: `springboard downcall <signature>`, as a
    /// plain downcall's.
    pub fn name(&self) -> &str {
        self.compiled.name()
    }

    /// The raw entry point, valid while this handle (or a clone, or the engine's
    /// cache) keeps the trampoline alive.
    #[inline]
    pub fn as_raw(&self) -> RawErrnoDowncall {
        self.raw
    }

    /// Calls `callee` with arguments in the array layout and `errno` as the error
    /// number's place.
    ///
    /// # Safety
    /// As [`Downcall::call_raw`](super::Downcall::call_raw), and `errno` must point to
    /// a readable and writable, 4-aligned `int`.
    pub unsafe fn call_raw(
        &self,
        callee: *const c_void,
        args: *const Slot,
        result: *mut Slot,
        errno: *mut c_int,
    ) {
        (self.raw)(callee, args, result, errno)
    }

    /// Calls `callee` with typed arguments, checked as by
    /// [`Downcall::call`](super::Downcall::call); the error number is copied to (and,
    /// with [`ErrnoMode::SetAndCapture`], first from) `errno`. On a mismatch nothing
    /// is called and `errno` is untouched.
    ///
    /// # Safety
    /// As [`Downcall::call`](super::Downcall::call).
    pub unsafe fn call(
        &self,
        callee: *const c_void,
        args: &[Value],
        errno: &mut c_int,
    ) -> Result<Value, Error> {
        let errno: *mut c_int = errno;
        // SAFETY: `invoke` calls the trampoline with the array and place it is given
        // and a valid error-number place; the caller vouches for `callee`.
        unsafe {
            call_value(&self.compiled.signature, args, |slots, place| {
                (self.raw)(callee, slots, place, errno)
            })
        }
    }

    /// This errno downcall with Rust parameter types `A` (a tuple) and result `R`:
    /// fails with [`TypedError::Mismatch`](crate::TypedError::Mismatch) unless they
    /// spell its signature's types.
    pub fn typed<A: CArgs, R: CType>(&self) -> Result<TypedErrnoDowncall<A, R>, Error> {
        check_typed::<A, R>(self.signature())?;
        Ok(TypedErrnoDowncall {
            downcall: self.clone(),
            types: PhantomData,
        })
    }
}

impl std::fmt::Debug for ErrnoDowncall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ErrnoDowncall")
            .field("signature", &self.compiled.signature.to_string())
            .field("mode", &self.mode)
            .field("code", &self.compiled.code)
            .finish()
    }
}

/// An errno downcall with Rust parameter types `A` (a tuple of [`CType`]s) and result
/// `R`, unchecked per call like [`TypedDowncall`](super::TypedDowncall).
pub struct TypedErrnoDowncall<A, R> {
    downcall: ErrnoDowncall,
    types: PhantomData<fn(A) -> R>,
}

impl<A, R> Clone for TypedErrnoDowncall<A, R> {
    fn clone(&self) -> Self {
        TypedErrnoDowncall {
            downcall: self.downcall.clone(),
            types: PhantomData,
        }
    }
}

impl<A: CArgs, R: CType> TypedErrnoDowncall<A, R> {
    /// Calls `callee` with `args`, `errno` the error number's place.
    ///
    /// # Safety
    /// As [`TypedDowncall::call`](super::TypedDowncall::call).
    #[inline]
    pub unsafe fn call(&self, callee: *const c_void, args: A, errno: &mut c_int) -> R {
        let slots = args.to_slots();
        let mut result = ResultPlace::<R>::new();
        // SAFETY: the trampoline was built for `A -> R` (checked when this handle was
        // made); the slots, their struct bytes and the result place are as for a
        // typed downcall; `errno` is a valid `int`. The caller vouches for `callee`.
        unsafe {
            (self.downcall.raw)(callee, slots.as_ref().as_ptr(), result.as_mut_ptr(), errno);
            result.read()
        }
    }

    /// The untyped handle.
    pub fn downcall(&self) -> &ErrnoDowncall {
        &self.downcall
    }
}

impl<A, R> std::fmt::Debug for TypedErrnoDowncall<A, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("TypedErrnoDowncall")
            .field(&self.downcall)
            .finish()
    }
}

impl super::Engine {
    /// The errno downcall trampoline for `signature` and `mode`, from the cache or
    /// freshly compiled. Fails for hosts whose C library's error number springboard
    /// cannot reach.
    pub fn errno_downcall(
        &self,
        signature: &Signature,
        mode: ErrnoMode,
    ) -> Result<ErrnoDowncall, Error> {
        let key = RequestRef::ErrnoDowncall(signature, mode);
        let compiled = self.cached_code(&[key])?.remove(0);
        Ok(ErrnoDowncall::new(compiled, mode))
    }

    /// The typed errno downcall for function type `F`, in the host's C convention.
    pub fn typed_errno_downcall<F: CFn>(
        &self,
        mode: ErrnoMode,
    ) -> Result<TypedErrnoDowncall<F::Args, F::Output>, Error> {
        self.errno_downcall(&Signature::of::<F>()?, mode)?
            .typed::<F::Args, F::Output>()
    }
}
