//! Downcall handles: the raw entry point and the checked call.

use super::Compiled;
use crate::array::Slot;
use crate::error::Error;
use crate::signature::Signature;
use crate::typed::{CArgs, CFn, CType, ResultPlace, TypedError};
use crate::types::Type;
use crate::value::Value;
use std::ffi::c_void;
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::sync::Arc;

/// The raw downcall entry point: `callee` is the C function to call, `args` the
/// argument array, `result` the result place (see [`crate::array`]).
pub type RawDowncall =
    unsafe extern "C" fn(callee: *const c_void, args: *const Slot, result: *mut Slot);

/// A compiled downcall trampoline. Cloning shares the code; the code lives until the
/// last clone drops (and the engine's cache lets go of it).
#[derive(Clone)]
pub struct Downcall {
    compiled: Arc<Compiled>,
    raw: RawDowncall,
    /// What [`Downcall::call`] would otherwise work out from the types on every call.
    sizes: CallSizes,
}

/// Sizes the checked call needs, from the signature, computed once per handle.
#[derive(Clone, Copy)]
struct CallSizes {
    /// 8-byte words that the C bytes of all struct arguments take.
    argument_words: usize,
    /// The result's size in bytes.
    result: usize,
}

impl CallSizes {
    fn of(signature: &Signature) -> CallSizes {
        let aggregates = signature.params.iter().filter(|param| param.is_aggregate());
        CallSizes {
            argument_words: aggregates.map(|param| param.size().div_ceil(8)).sum(),
            result: signature.result.size(),
        }
    }
}

impl Downcall {
    pub(super) fn new(compiled: Arc<Compiled>) -> Downcall {
        // SAFETY: the code at this address is a compiled downcall trampoline with the
        // `RawDowncall` type in the host's C convention, and it lives as long as
        // `compiled`, which this handle keeps.
        let raw = unsafe { std::mem::transmute::<usize, RawDowncall>(compiled.code.addr()) };
        let sizes = CallSizes::of(&compiled.signature);
        Downcall {
            compiled,
            raw,
            sizes,
        }
    }

    /// The signature of the C functions this trampoline calls.
    pub fn signature(&self) -> &Signature {
        &self.compiled.signature
    }

    /// The raw entry point, for runtimes: the fast path, with no checks.
    ///
    /// The pointer is valid while this handle (or a clone, or the engine's cache)
    /// keeps the trampoline alive.
    pub fn as_raw(&self) -> RawDowncall {
        self.raw
    }

    /// Size of the trampoline's machine code in bytes (rounded to 16).
    pub fn code_size(&self) -> usize {
        self.compiled.code.len()
    }

    /// The trampoline's name, `springboard downcall <signature>` (e.g.
    /// `springboard downcall (i32, i32) -> i32`): what the perf map lists, for
    /// runtimes that keep their own symbol maps.
    pub fn name(&self) -> &str {
        &self.compiled.name
    }

    /// Calls `callee` with arguments in the array layout.
    ///
    /// # Safety
    /// - `callee` must be a function with exactly this signature and convention;
    /// - `args` must point to at least as many readable slots as the signature has
    ///   parameters, holding values the callee accepts (valid pointers where it
    ///   dereferences them, and so on);
    /// - `result` must point to a writable slot (it may be `args`).
    pub unsafe fn call_raw(&self, callee: *const c_void, args: *const Slot, result: *mut Slot) {
        (self.raw)(callee, args, result)
    }

    /// Calls `callee` with typed arguments, checking their number and types against
    /// the signature first: on a mismatch nothing is called.
    ///
    /// # Safety
    /// `callee` must be a function with exactly this signature and convention, and the
    /// argument values must be ones it accepts (a pointer it dereferences must be
    /// valid, for instance). The checks here cover only what the signature says.
    pub unsafe fn call(&self, callee: *const c_void, args: &[Value]) -> Result<Value, Error> {
        let signature = &self.compiled.signature;
        let params = &signature.params;
        if args.len() != params.len() {
            return Err(Error::Arity {
                expected: params.len(),
                found: args.len(),
            });
        }
        // Check the types first: on a mismatch nothing is written or called.
        for (index, (arg, param)) in args.iter().zip(params).enumerate() {
            if !arg.has_type(param) {
                return Err(argument_type(index, param, arg));
            }
        }
        // The argument array, and the C-layout bytes of struct arguments that their
        // slots point to: on this stack unless they are large.
        let mut slots = Scratch::<Slot, INLINE_SLOTS>::new(args.len());
        let slots = slots.as_mut_ptr();
        let mut aggregates = Scratch::<u64, INLINE_WORDS>::new(self.sizes.argument_words);
        let mut next_word = aggregates.zeroed();
        for (i, (arg, param)) in args.iter().zip(params).enumerate() {
            let slot = if param.is_aggregate() {
                let size = param.size();
                // SAFETY: the words counted for this argument, zeroed, not yet used.
                let bytes = unsafe { std::slice::from_raw_parts_mut(next_word.cast::<u8>(), size) };
                // Checked while encoded: on a malformed value nothing is called.
                arg.encode_checked(param, bytes)
                    .map_err(|reason| Error::MalformedArgument { index: i, reason })?;
                // SAFETY: still within the words counted above.
                next_word = unsafe { next_word.add(size.div_ceil(8)) };
                Slot::from_ptr(bytes.as_ptr())
            } else {
                arg.to_slot()
            };
            // SAFETY: one slot per argument.
            unsafe { slots.add(i).write(slot) };
        }
        let result_ty = &signature.result;
        if result_ty.is_aggregate() {
            let mut result = Scratch::<u64, INLINE_WORDS>::new(self.sizes.result.div_ceil(8));
            let place = result.as_mut_ptr();
            // SAFETY: the signature was checked above; one slot per parameter, struct
            // slots pointing to their encoded bytes; the result place holds the
            // struct's size rounded up to 8, and the trampoline writes the struct's
            // `size` bytes there. The caller vouches for `callee`.
            let bytes = unsafe {
                (self.raw)(callee, slots, place.cast());
                std::slice::from_raw_parts(place.cast::<u8>(), self.sizes.result)
            };
            // The fields are decoded here rather than by `Value::decode`, so that the
            // result is built in place (copying a returned `Value` stalls on store
            // forwarding).
            return Ok(match result_ty {
                Type::Struct(layout) => {
                    Value::Struct(result_ty.clone(), Value::decode_fields(layout, bytes))
                }
                _ => Value::decode(result_ty, bytes),
            });
        }
        let mut result = Slot::default();
        // SAFETY: as above, with a scalar result place.
        unsafe { (self.raw)(callee, slots, &mut result) };
        Ok(Value::from_slot(result_ty, result))
    }
}

#[cold]
fn argument_type(index: usize, expected: &Type, found: &Value) -> Error {
    Error::ArgumentType {
        index,
        expected: expected.clone(),
        found: found.ty(),
    }
}

/// Slots on the stack for up to this many arguments.
const INLINE_SLOTS: usize = 16;
/// Struct bytes on the stack up to this many 8-byte words.
const INLINE_WORDS: usize = 32;

/// `len` elements of `T` (a plain 8-byte type: `Slot` or `u64`), on the stack when
/// they fit in `N`, on the heap otherwise.
struct Scratch<T, const N: usize> {
    inline: [MaybeUninit<T>; N],
    heap: Option<Box<[MaybeUninit<T>]>>,
    len: usize,
}

impl<T: Copy, const N: usize> Scratch<T, N> {
    #[inline(always)]
    fn new(len: usize) -> Self {
        let heap = (len > N).then(|| Box::new_uninit_slice(len));
        Scratch {
            inline: [const { MaybeUninit::uninit() }; N],
            heap,
            len,
        }
    }

    /// The start of the `len` elements, uninitialised.
    #[inline(always)]
    fn as_mut_ptr(&mut self) -> *mut T {
        match &mut self.heap {
            Some(heap) => heap.as_mut_ptr().cast(),
            None => self.inline.as_mut_ptr().cast(),
        }
    }
}

impl<const N: usize> Scratch<u64, N> {
    /// The start of the `len` words, zeroed.
    #[inline(always)]
    fn zeroed(&mut self) -> *mut u64 {
        let start = self.as_mut_ptr();
        // SAFETY: `len` words are allocated from `start`; up to 4 of them, the inline
        // array has room for a fixed-size (so memset-free) zeroing of 4.
        unsafe {
            if self.len <= 4 && N >= 4 {
                start.cast::<[u64; 4]>().write([0; 4]);
            } else {
                start.write_bytes(0, self.len);
            }
        }
        start
    }
}

/// A downcall whose parameter and result types are Rust types: `A` a tuple of
/// [`CType`]s, `R` a [`CType`] (`()` for `void`). Calls move the values straight into
/// the argument array and read the result straight back, with no [`Value`]s and no
/// checks (the types were checked once, when the handle was made).
///
/// ```
/// use springboard::Engine;
///
/// extern "C" fn add(a: i32, b: i32) -> i32 { a + b }
///
/// let engine = Engine::new()?;
/// let downcall = engine.typed_downcall::<extern "C" fn(i32, i32) -> i32>()?;
/// // SAFETY: `add` has exactly this signature.
/// assert_eq!(unsafe { downcall.call(add as *const _, (2, 40)) }, 42);
/// # Ok::<(), springboard::Error>(())
/// ```
pub struct TypedDowncall<A, R> {
    downcall: Downcall,
    types: PhantomData<fn(A) -> R>,
}

impl<A, R> Clone for TypedDowncall<A, R> {
    fn clone(&self) -> Self {
        TypedDowncall {
            downcall: self.downcall.clone(),
            types: PhantomData,
        }
    }
}

impl<A: CArgs, R: CType> TypedDowncall<A, R> {
    /// Calls `callee` with `args`.
    ///
    /// # Safety
    /// `callee` must be a function with exactly this signature and convention, and
    /// the argument values must be ones it accepts (a pointer it dereferences must be
    /// valid, for instance).
    #[inline]
    pub unsafe fn call(&self, callee: *const c_void, args: A) -> R {
        let slots = args.to_slots();
        let mut result = ResultPlace::<R>::new();
        // SAFETY: the trampoline was built for `A -> R` (checked when this handle was
        // made); one slot per parameter, struct slots pointing into `args`, which lives
        // across the call; the result place holds an `R` and a whole slot. The caller
        // vouches for `callee`.
        unsafe {
            (self.downcall.raw)(callee, slots.as_ref().as_ptr(), result.as_mut_ptr());
            result.read()
        }
    }

    /// The untyped handle.
    pub fn downcall(&self) -> &Downcall {
        &self.downcall
    }
}

impl<A, R> std::fmt::Debug for TypedDowncall<A, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("TypedDowncall")
            .field(&self.downcall)
            .finish()
    }
}

impl Downcall {
    /// This downcall with Rust parameter types `A` (a tuple) and result `R`: fails with
    /// [`TypedError::Mismatch`] unless they spell this signature's types (the
    /// convention is the trampoline's).
    pub fn typed<A: CArgs, R: CType>(&self) -> Result<TypedDowncall<A, R>, Error> {
        let requested = Signature::of_parts::<A, R>()?;
        let signature = self.signature();
        if requested.params != signature.params || requested.result != signature.result {
            return Err(TypedError::Mismatch {
                signature: Box::new(signature.clone()),
                requested: Box::new(requested),
            }
            .into());
        }
        Ok(TypedDowncall {
            downcall: self.clone(),
            types: PhantomData,
        })
    }
}

impl super::Engine {
    /// The typed downcall for function type `F` (`extern "C" fn(i32, f64) -> u8`, say),
    /// in the host's C convention: [`Engine::downcall`](super::Engine::downcall) of
    /// [`Signature::of::<F>()`](Signature::of), then [`Downcall::typed`].
    pub fn typed_downcall<F: CFn>(&self) -> Result<TypedDowncall<F::Args, F::Output>, Error> {
        let signature = Signature::of::<F>()?;
        Ok(TypedDowncall {
            downcall: self.downcall(&signature)?,
            types: PhantomData,
        })
    }
}

impl std::fmt::Debug for Downcall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Downcall")
            .field("signature", &self.compiled.signature.to_string())
            .field("code", &self.compiled.code)
            .finish()
    }
}
