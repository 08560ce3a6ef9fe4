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
}

impl Downcall {
    pub(super) fn new(compiled: Arc<Compiled>) -> Downcall {
        // A lazy downcall that has been compiled meanwhile is handed out as its
        // trampoline.
        let compiled = compiled.current();
        // SAFETY: the code at this address is a compiled downcall trampoline with the
        // `RawDowncall` type in the host's C convention, and it lives as long as
        // `compiled`, which this handle keeps.
        let raw = unsafe { std::mem::transmute::<usize, RawDowncall>(compiled.code.addr()) };
        Downcall { compiled, raw }
    }

    /// The signature of the C functions this trampoline calls.
    #[inline]
    pub fn signature(&self) -> &Signature {
        &self.compiled.signature
    }

    /// The raw entry point, for runtimes: the fast path, with no checks.
    ///
    /// The pointer is valid while this handle (or a clone, or the engine's cache)
    /// keeps the trampoline alive.
    #[inline]
    pub fn as_raw(&self) -> RawDowncall {
        self.raw
    }

    /// Whether calls run a compiled trampoline: always under
    /// [`Tiering::Eager`](crate::Tiering::Eager); under
    /// [`Tiering::Lazy`](crate::Tiering::Lazy), false while calls still go through the
    /// generic caller.
    pub fn runs_compiled_code(&self) -> bool {
        self.compiled.runs_compiled_code()
    }

    /// Size of the trampoline's machine code in bytes (rounded to 16); 0 for a lazy
    /// downcall's entry point, which is a callback instance.
    pub fn code_size(&self) -> usize {
        self.compiled.code.len()
    }

    /// The trampoline's name, `springboard downcall <signature>` (e.g.
    /// `springboard downcall (i32, i32) -> i32`): what the perf map lists, for
    /// runtimes that keep their own symbol maps.
    pub fn name(&self) -> &str {
        self.compiled.name()
    }

    /// Calls `callee` with arguments in the array layout.
    ///
    /// # Safety
    /// - `callee` must be a function with exactly this signature and convention;
    /// - `args` must point to at least as many readable slots as the signature has
    ///   parameters, holding values the callee accepts (valid pointers where it
    ///   dereferences them, and so on);
    /// - `result` must point to a writable slot (it may be `args`).
    #[inline]
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
        // SAFETY: `invoke` calls this trampoline with the array and place it is given;
        // the caller vouches for `callee`.
        unsafe {
            call_value(&self.compiled.signature, args, |slots, result| {
                (self.raw)(callee, slots, result)
            })
        }
    }

    /// [`Downcall::call`] with the result written into `result`, like libffi's
    /// `ffi_call` writes into the caller's result place: a struct or array result
    /// reuses `result`'s storage when it already holds a value of the result type (no
    /// allocation, no reference count touched), so a runtime calling in a loop can keep
    /// one result value per call site. On an error `result` is unchanged.
    ///
    /// # Safety
    /// As for [`Downcall::call`].
    pub unsafe fn call_into(
        &self,
        callee: *const c_void,
        args: &[Value],
        result: &mut Value,
    ) -> Result<(), Error> {
        let result_ty = &self.compiled.signature.result;
        if result_ty.is_aggregate() {
            return result.fill_aggregate(result_ty, |bytes| {
                // SAFETY: the place has the result's size, as the trampoline writes
                // it; the caller vouches for `callee`.
                unsafe { self.call_checked(callee, args, bytes.as_mut_ptr().cast()) }
            });
        }
        let mut place = [Slot::default(); 2];
        // SAFETY: a scalar result place (two slots, for a 16-byte scalar); the caller
        // vouches for `callee`.
        unsafe { self.call_checked(callee, args, place.as_mut_ptr()) }?;
        *result = scalar_result(result_ty, place);
        Ok(())
    }

    /// [`call_checked`] of this trampoline.
    ///
    /// # Safety
    /// As for [`call_checked`], with `callee` for [`Downcall::call`].
    #[inline(always)]
    unsafe fn call_checked(
        &self,
        callee: *const c_void,
        args: &[Value],
        result: *mut Slot,
    ) -> Result<(), Error> {
        // SAFETY: the caller's promises, passed on.
        unsafe {
            call_checked(
                &self.compiled.signature.params,
                args,
                result,
                |slots, result| (self.raw)(callee, slots, result),
            )
        }
    }
}

/// The raw entry of a downcall in libffi's layout ([`Engine::pointer_downcall`]):
/// `args[i]` points to argument `i`'s value (C layout, C alignment); `result` is the
/// result place, where integral results narrower than 8 bytes are written widened by
/// their signedness and a struct result as its bytes.
///
/// [`Engine::pointer_downcall`]: super::Engine::pointer_downcall
pub type RawPointerDowncall =
    unsafe extern "C" fn(callee: *const c_void, args: *const *mut c_void, result: *mut c_void);

/// A compiled downcall trampoline that reads its arguments in libffi's layout (see
/// [`RawPointerDowncall`]). Cloning shares the code.
#[derive(Clone)]
pub struct PointerDowncall {
    compiled: Arc<Compiled>,
    raw: RawPointerDowncall,
}

impl PointerDowncall {
    pub(super) fn new(compiled: Arc<Compiled>) -> PointerDowncall {
        // A lazy downcall that has been compiled meanwhile is handed out as its
        // trampoline.
        let compiled = compiled.current();
        // SAFETY: the code is a compiled pointer-array downcall (or a lazy one's
        // entry point, of the same type), with the
        // `RawPointerDowncall` type in the host's C convention, alive as long as
        // `compiled`, which this handle keeps.
        let raw = unsafe { std::mem::transmute::<usize, RawPointerDowncall>(compiled.code.addr()) };
        PointerDowncall { compiled, raw }
    }

    /// The signature of the C functions this trampoline calls.
    pub fn signature(&self) -> &Signature {
        &self.compiled.signature
    }

    /// The raw entry point, valid while this handle (or a clone, or the engine's
    /// cache) keeps the trampoline alive.
    pub fn as_raw(&self) -> RawPointerDowncall {
        self.raw
    }

    /// Whether calls run a compiled trampoline: always under
    /// [`Tiering::Eager`](crate::Tiering::Eager); under
    /// [`Tiering::Lazy`](crate::Tiering::Lazy), false while calls still go through the
    /// generic caller.
    pub fn runs_compiled_code(&self) -> bool {
        self.compiled.runs_compiled_code()
    }

    /// The handle to call through now: once a lazy downcall has been compiled, its
    /// trampoline (whose [`as_raw`](PointerDowncall::as_raw) is the compiled code,
    /// not the lazy entry point that forwards to it); otherwise a clone of this one.
    ///
    /// ```
    /// use springboard::{Engine, EngineOptions, Tiering};
    /// use std::ffi::c_void;
    ///
    /// extern "C" fn twice(a: i16) -> i16 { 2 * a }
    ///
    /// let engine = Engine::with_options(EngineOptions {
    ///     tiering: Tiering::Lazy { compile_after: 1 },
    ///     ..EngineOptions::default()
    /// })?;
    /// let lazy = engine.pointer_downcall(&"(i16) -> i16".parse()?)?;
    /// assert!(!lazy.runs_compiled_code());
    /// let mut a = -21i16;
    /// let args = [&mut a as *mut i16 as *mut c_void];
    /// let mut result = 0u64;
    /// // SAFETY: `twice` has the signature; one pointer to its value; an 8-byte place.
    /// unsafe { lazy.call_raw(twice as *const _, args.as_ptr(), &mut result as *mut u64 as *mut _) };
    /// assert_eq!(result, -42i64 as u64); // widened by its signedness
    /// // Compiled after that first call: the current handle is the trampoline.
    /// let current = lazy.current();
    /// assert!(current.runs_compiled_code());
    /// assert_ne!(current.as_raw() as usize, lazy.as_raw() as usize);
    /// # Ok::<(), springboard::Error>(())
    /// ```
    pub fn current(&self) -> PointerDowncall {
        PointerDowncall::new(Arc::clone(&self.compiled))
    }

    /// Size of the trampoline's machine code in bytes (rounded to 16); 0 for a lazy
    /// downcall's entry point, which is a callback instance.
    pub fn code_size(&self) -> usize {
        self.compiled.code.len()
    }

    /// Calls `callee` with the values `args` points to, writing the result at
    /// `result`.
    ///
    /// # Safety
    /// - `callee` must be a function with exactly this signature and convention;
    /// - `args` must hold one pointer per parameter, each to a readable value of the
    ///   parameter's type that the callee accepts;
    /// - `result` must be writable for the result (at least 8 bytes for an integral
    ///   result, the struct's size for a struct); it may not overlap an argument.
    pub unsafe fn call_raw(
        &self,
        callee: *const c_void,
        args: *const *mut c_void,
        result: *mut c_void,
    ) {
        // SAFETY: the caller's promises, passed on.
        unsafe { (self.raw)(callee, args, result) }
    }
}

impl std::fmt::Debug for PointerDowncall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PointerDowncall")
            .field("signature", &self.compiled.signature.to_string())
            .field("code", &self.compiled.code)
            .finish()
    }
}

/// The checked call of a downcall of `signature` (the body of [`Downcall::call`] and
/// of errno downcalls' `call`): `invoke(slots, result)` calls the trampoline with the
/// argument array and the result place. On a mismatch nothing is called.
///
/// # Safety
/// `invoke` must call a downcall trampoline of `signature` with the array and place
/// it is given, and a callee that accepts `args`.
#[inline(always)]
pub(super) unsafe fn call_value(
    signature: &Signature,
    args: &[Value],
    invoke: impl Fn(*const Slot, *mut Slot),
) -> Result<Value, Error> {
    let result_ty = &signature.result;
    let params = &signature.params;
    if result_ty.is_aggregate() {
        // The trampoline writes the result's bytes into scratch words that become the
        // value (see `aggregate_filled` for why not straight into it).
        return Value::aggregate_filled(
            result_ty,
            #[inline(always)]
            |bytes| {
                // SAFETY: the place has the result's size, as the trampoline writes it;
                // the caller vouches for `invoke`.
                unsafe { call_checked(params, args, bytes.as_mut_ptr().cast(), &invoke) }
            },
        );
    }
    let mut place = [Slot::default(); 2];
    // SAFETY: a scalar result place (two slots, for a 16-byte scalar); the caller
    // vouches for `invoke`.
    unsafe { call_checked(params, args, place.as_mut_ptr(), &invoke) }?;
    Ok(scalar_result(result_ty, place))
}

/// The scalar result of type `ty` a downcall wrote to `place`: a slot, or the 16 bytes
/// of an `i128`, `u128`, `f80` or `f128`.
#[inline(always)]
fn scalar_result(ty: &Type, place: [Slot; 2]) -> Value {
    if ty.is_wide() {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&place[0].0);
        bytes[8..].copy_from_slice(&place[1].0);
        return Value::decode(ty, &bytes);
    }
    Value::from_slot(ty, place[0])
}

/// Checks `args` against `params`, fills the argument array and lets `invoke` call
/// the trampoline with it and `result`: the body of the checked calls. On a mismatch
/// nothing is written or called.
///
/// # Safety
/// `result` must be the signature's result place (the result's size, or a slot for a
/// scalar), and `invoke` must call a downcall trampoline of the signature with the
/// array and place it is given, and a callee that accepts `args`.
#[inline(always)]
unsafe fn call_checked(
    params: &[Type],
    args: &[Value],
    result: *mut Slot,
    invoke: impl FnOnce(*const Slot, *mut Slot),
) -> Result<(), Error> {
    if args.len() != params.len() {
        return Err(Error::Arity {
            expected: params.len(),
            found: args.len(),
        });
    }
    for (index, (arg, param)) in args.iter().zip(params).enumerate() {
        if !arg.has_type(param) {
            return Err(argument_type(index, param, arg));
        }
    }
    // The argument array, on this stack unless it is long. A struct argument's slot
    // points to the value's own bytes: the trampoline only reads them (a struct
    // passed by reference gets its copy in the trampoline's frame).
    let mut slots = Scratch::<Slot, INLINE_SLOTS>::new(args.len());
    let slots = slots.as_mut_ptr();
    for (i, arg) in args.iter().enumerate() {
        let slot = match arg {
            Value::Struct(aggregate) | Value::Array(aggregate) => {
                Slot::from_ptr(aggregate.as_bytes().as_ptr())
            }
            // The array layout holds 128-bit integers by address too: `args` outlives
            // the call.
            Value::I128(v) => Slot::from_ptr(v),
            Value::U128(v) => Slot::from_ptr(v),
            // And the long double formats.
            Value::F80(v) => Slot::from_ptr(v),
            Value::F128(v) => Slot::from_ptr(v),
            scalar => scalar.to_slot(),
        };
        // SAFETY: one slot per argument.
        unsafe { slots.add(i).write(slot) };
    }
    // The arguments were checked above, one slot per parameter, struct slots
    // pointing to bytes of their types; the caller vouches for `result` and
    // `invoke`.
    invoke(slots, result);
    Ok(())
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

/// `len` elements of `T` (a plain 8-byte type such as `Slot`), on the stack when
/// they fit in `N`, on the heap otherwise.
struct Scratch<T, const N: usize> {
    inline: [MaybeUninit<T>; N],
    heap: Option<Box<[MaybeUninit<T>]>>,
}

impl<T: Copy, const N: usize> Scratch<T, N> {
    #[inline(always)]
    fn new(len: usize) -> Self {
        let heap = (len > N).then(|| Box::new_uninit_slice(len));
        Scratch {
            inline: [const { MaybeUninit::uninit() }; N],
            heap,
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
        check_typed::<A, R>(self.signature())?;
        Ok(TypedDowncall {
            downcall: self.clone(),
            types: PhantomData,
        })
    }
}

/// Fails with [`TypedError::Mismatch`] unless `A` and `R` spell `signature`'s types.
pub(super) fn check_typed<A: CArgs, R: CType>(signature: &Signature) -> Result<(), Error> {
    let requested = Signature::of_parts::<A, R>()?;
    if requested.params != signature.params || requested.result != signature.result {
        return Err(TypedError::Mismatch {
            signature: Box::new(signature.clone()),
            requested: Box::new(requested),
        }
        .into());
    }
    Ok(())
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
