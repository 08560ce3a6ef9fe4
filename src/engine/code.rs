//! Handles of compiled code that is called directly, and typed function pointers to
//! it: no caller transmutes a `*const c_void` itself.

use super::{Callback, Compiled};
use crate::abi::Target;
use crate::array::Slot;
use crate::error::Error;
use crate::signature::Signature;
use crate::typed::{CFn, TypedError};
use std::ffi::c_void;
use std::sync::Arc;

/// The raw entry point of an array-shaped entry boundary: `callee` is the runtime
/// function to call, `args` the argument array, `result` the result place (see
/// [`crate::array`]), `capacity` the number of slots `args` holds (checked only with
/// debug checks).
pub type RawArrayEntry = unsafe extern "C" fn(
    callee: *const c_void,
    args: *const Slot,
    result: *mut Slot,
    capacity: usize,
);

/// `code` as `F`, after checking that `F` spells `signature`: the same parameter and
/// result types, and a convention that is the same on this machine.
///
/// # Safety
/// `code` must be a function with `signature`.
unsafe fn typed<F: CFn>(code: *const c_void, signature: &Signature) -> Result<F, Error> {
    let requested = Signature::of::<F>()?;
    let host = Target::host()?;
    let same = requested.params == signature.params
        && requested.result == signature.result
        && requested.variadic_from == signature.variadic_from
        && host.resolve(requested.convention)? == host.resolve(signature.convention)?;
    if !same {
        return Err(TypedError::Mismatch {
            signature: Box::new(signature.clone()),
            requested: Box::new(requested),
        }
        .into());
    }
    // SAFETY: `F` has the code's signature; the caller promises the code has it.
    Ok(unsafe { F::from_code(code) })
}

/// A compiled array-shaped entry boundary: `void entry(void *callee, const Slot *args,
/// Slot *result, size_t capacity)`, recording the entry SP/FP before it calls
/// `callee`. The code lives while a clone of this handle does (or the cache keeps
/// it).
#[derive(Clone)]
pub struct ArrayEntry {
    compiled: Arc<Compiled>,
    raw: RawArrayEntry,
}

impl ArrayEntry {
    pub(super) fn new(compiled: Arc<Compiled>) -> ArrayEntry {
        // SAFETY: the code at this address is a compiled array entry with the
        // `RawArrayEntry` type in the host's C convention, alive as long as
        // `compiled`, which this handle keeps.
        let raw = unsafe { std::mem::transmute::<usize, RawArrayEntry>(compiled.code.addr()) };
        ArrayEntry { compiled, raw }
    }

    /// The entry point, valid while this handle (or a clone, or the engine's cache)
    /// keeps the trampoline alive.
    #[inline]
    pub fn as_raw(&self) -> RawArrayEntry {
        self.raw
    }

    /// The code's address, to hand to C as a function pointer.
    #[inline]
    pub fn code(&self) -> *const c_void {
        self.compiled.code.addr() as *const c_void
    }

    /// The C signature of the runtime functions it calls.
    pub fn signature(&self) -> &Signature {
        &self.compiled.signature
    }

    /// Size of the machine code in bytes (rounded to 16).
    pub fn code_size(&self) -> usize {
        self.compiled.code.len()
    }

    /// The trampoline's name, `springboard <kind> <signature>` (e.g.
    /// `springboard entry (ptr, i32) -> i32`): what the perf map lists, for runtimes
    /// that keep their own symbol maps.
    pub fn name(&self) -> &str {
        self.compiled.name()
    }
}

impl std::fmt::Debug for ArrayEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ArrayEntry")
            .field("signature", &self.compiled.signature.to_string())
            .field("code", &self.compiled.code)
            .finish()
    }
}

/// A compiled C function that is called directly: a fast call (with its
/// [entry signature](crate::FastCall::entry_signature)) or a native-shaped entry or
/// exit boundary (with the boundary's C signature). The code lives while a clone of
/// this handle does (or the cache keeps it).
#[derive(Clone)]
pub struct NativeFunction {
    compiled: Arc<Compiled>,
    signature: Signature,
}

impl NativeFunction {
    pub(super) fn new(compiled: Arc<Compiled>, signature: Signature) -> NativeFunction {
        NativeFunction {
            compiled,
            signature,
        }
    }

    /// The code's address, to hand to C as a function pointer.
    #[inline]
    pub fn code(&self) -> *const c_void {
        self.compiled.code.addr() as *const c_void
    }

    /// The C signature the function is called with.
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// The function as the Rust function-pointer type `F`, e.g.
    /// `extern "C" fn(*mut c_void, i32) -> i32`: [`TypedError::Mismatch`] unless `F`'s
    /// parameter and result types spell the signature's C types and its convention is
    /// the signature's on this machine.
    ///
    /// # Safety
    /// The pointer is valid while this handle (or a clone, or the engine's cache)
    /// keeps the code alive: it must not be called after that.
    pub unsafe fn as_fn<F: CFn>(&self) -> Result<F, Error> {
        // SAFETY: the code has `self.signature`.
        unsafe { typed(self.code(), &self.signature) }
    }

    /// Size of the machine code in bytes (rounded to 16).
    pub fn code_size(&self) -> usize {
        self.compiled.code.len()
    }

    /// The trampoline's name, `springboard <kind> <signature>` (e.g.
    /// `springboard entry (ptr, i32) -> i32`): what the perf map lists, for runtimes
    /// that keep their own symbol maps.
    pub fn name(&self) -> &str {
        self.compiled.name()
    }
}

impl std::fmt::Debug for NativeFunction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NativeFunction")
            .field("signature", &self.signature.to_string())
            .field("code", &self.compiled.code)
            .finish()
    }
}

impl Callback {
    /// The callback as the Rust function-pointer type `F`, e.g.
    /// `extern "C" fn(i32, i32) -> i32`: [`TypedError::Mismatch`] unless `F` spells
    /// the callback's signature (types and convention, as
    /// [`NativeFunction::as_fn`] checks them).
    ///
    /// # Safety
    /// The pointer is valid while this handle lives (or forever after
    /// [`Callback::leak`]): it must not be called after that.
    pub unsafe fn as_fn<F: CFn>(&self) -> Result<F, Error> {
        // SAFETY: the code has the callback's signature.
        unsafe { typed(self.code(), self.signature()) }
    }
}

#[cfg(test)]
mod tests {
    use crate::error::BoundaryError;
    use crate::{
        ArrayBoundary, Bookkeeping, Engine, Error, NativeBoundary, Signature, PLACEHOLDER_CALLEE,
    };
    use std::ffi::c_void;

    /// The native entry's callee; the entry records its SP and FP at offsets 0 and 8
    /// of the context.
    extern "C" fn add(context: *mut c_void, x: i32) -> i32 {
        assert!(!context.is_null());
        x + 1
    }

    /// A context with room for the records (leaked: it lives as long as the test).
    fn context() -> *mut c_void {
        Box::into_raw(Box::new([0u64; 4])).cast()
    }

    fn native(engine: &Engine) -> super::NativeFunction {
        let signature: Signature = "(ptr, i32) -> i32".parse().unwrap();
        let callee = add as extern "C" fn(_, _) -> _ as usize as u64;
        let boundary = NativeBoundary::standard(signature, callee).unwrap();
        engine.native_entry(&boundary).unwrap()
    }

    #[test]
    fn as_fn_gives_the_function_when_types_and_convention_match() {
        let engine = Engine::new().unwrap();
        let entry = native(&engine);
        // SAFETY: `(ptr, i32) -> i32` is this Rust type.
        let f = unsafe { entry.as_fn::<extern "C" fn(*mut c_void, i32) -> i32>() }.unwrap();
        assert_eq!(f(context(), 41), 42);
        // SAFETY: as above.
        let g = unsafe { entry.as_fn::<unsafe extern "C" fn(*mut c_void, i32) -> i32>() };
        // SAFETY: a context with room for the records.
        assert_eq!(unsafe { g.unwrap()(context(), 1) }, 2);
    }

    #[test]
    fn as_fn_refuses_other_types_or_another_convention() {
        let engine = Engine::new().unwrap();
        let entry = native(&engine);
        fn refused<F>(wrong: Result<F, Error>, spelled: &str) {
            match wrong {
                Err(Error::Typed(crate::typed::TypedError::Mismatch {
                    signature,
                    requested,
                })) => {
                    assert_eq!(signature.to_string(), "(ptr, i32) -> i32");
                    assert_eq!(requested.to_string(), spelled);
                }
                Err(other) => panic!("{other}"),
                Ok(_) => panic!("{spelled} accepted"),
            }
        }
        // SAFETY: never called: the arity differs.
        refused(
            unsafe { entry.as_fn::<extern "C" fn(*mut c_void) -> i32>() },
            "(ptr) -> i32",
        );
        // SAFETY: never called: a parameter type differs.
        refused(
            unsafe { entry.as_fn::<extern "C" fn(*mut c_void, u32) -> i32>() },
            "(ptr, u32) -> i32",
        );
        // SAFETY: never called: the result type differs.
        refused(
            unsafe { entry.as_fn::<extern "C" fn(*mut c_void, i32) -> i64>() },
            "(ptr, i32) -> i64",
        );
        #[cfg(all(target_arch = "x86_64", not(windows)))]
        {
            // SAFETY: never called: win64 is not this host's C convention.
            refused(
                unsafe { entry.as_fn::<extern "win64" fn(*mut c_void, i32) -> i32>() },
                "win64 (ptr, i32) -> i32",
            );
            // SAFETY: sysv64 is the C convention here; `add` has this type.
            let sysv = unsafe { entry.as_fn::<extern "sysv64" fn(*mut c_void, i32) -> i32>() };
            assert_eq!(sysv.unwrap()(context(), 2), 3);
        }
    }

    #[test]
    fn boundaries_are_validated_when_built() {
        let no_ptr: Signature = "(i32, f64) -> i32".parse().unwrap();
        let no_context = BoundaryError::NoContext {
            signature: no_ptr.clone(),
        };
        assert_eq!(
            ArrayBoundary::standard(no_ptr.clone()),
            Err(no_context.clone())
        );
        assert_eq!(
            NativeBoundary::standard(no_ptr, PLACEHOLDER_CALLEE),
            Err(no_context)
        );
        let signature: Signature = "(i32, ptr)".parse().unwrap();
        for index in [0, 2] {
            let not_ptr = BoundaryError::ContextNotPtr {
                index,
                signature: signature.clone(),
            };
            let bookkeeping = Bookkeeping::standard(index);
            assert_eq!(
                ArrayBoundary::new(signature.clone(), bookkeeping.clone()),
                Err(not_ptr.clone())
            );
            assert_eq!(
                NativeBoundary::new(signature.clone(), bookkeeping, PLACEHOLDER_CALLEE),
                Err(not_ptr)
            );
        }
        let standard = ArrayBoundary::standard(signature).unwrap();
        assert_eq!(standard.bookkeeping(), &Bookkeeping::standard(1));
    }
}
