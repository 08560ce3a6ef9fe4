//! Handles of compiled code that is called directly, and typed function pointers to
//! it: no caller transmutes a `*const c_void` itself.

use super::{Callback, Compiled};
use crate::abi::Target;
use crate::array::Slot;
use crate::error::Error;
use crate::signature::{Convention, Signature};
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

mod sealed {
    /// Only the function-pointer types below implement [`super::ExternFn`].
    pub trait Sealed {}
}

/// A Rust function-pointer type that compiled code can be used as: `extern "C"` and
/// `unsafe extern "C"` function pointers with up to 12 parameters (and, on x86-64,
/// `extern "win64"` and `extern "sysv64"` ones). Sealed.
///
/// # Safety
/// Implemented only here, for function-pointer types (pointer-sized, callable with
/// the convention [`ExternFn::CONVENTION`] names).
pub unsafe trait ExternFn: Copy + sealed::Sealed {
    /// The number of parameters.
    const ARITY: usize;
    /// The convention the type is called with (`Convention::C`: the platform's).
    const CONVENTION: Convention;
    /// The type's name, for errors.
    const NAME: &'static str;
}

macro_rules! extern_fns {
    ($abi:literal, $convention:expr, $($arity:literal: ($($arg:ident),*)),* $(,)?) => {$(
        impl<R, $($arg),*> sealed::Sealed for extern $abi fn($($arg),*) -> R {}
        // SAFETY: a function pointer with this ABI.
        unsafe impl<R, $($arg),*> ExternFn for extern $abi fn($($arg),*) -> R {
            const ARITY: usize = $arity;
            const CONVENTION: Convention = $convention;
            const NAME: &'static str =
                concat!("extern \"", $abi, "\" fn with ", $arity, " parameters");
        }
        impl<R, $($arg),*> sealed::Sealed for unsafe extern $abi fn($($arg),*) -> R {}
        // SAFETY: a function pointer with this ABI.
        unsafe impl<R, $($arg),*> ExternFn for unsafe extern $abi fn($($arg),*) -> R {
            const ARITY: usize = $arity;
            const CONVENTION: Convention = $convention;
            const NAME: &'static str =
                concat!("unsafe extern \"", $abi, "\" fn with ", $arity, " parameters");
        }
    )*};
}

macro_rules! extern_fns_for {
    ($abi:literal, $convention:expr) => {
        extern_fns!($abi, $convention,
            0: (), 1: (A), 2: (A, B), 3: (A, B, C), 4: (A, B, C, D), 5: (A, B, C, D, E),
            6: (A, B, C, D, E, F), 7: (A, B, C, D, E, F, G), 8: (A, B, C, D, E, F, G, H),
            9: (A, B, C, D, E, F, G, H, I), 10: (A, B, C, D, E, F, G, H, I, J),
            11: (A, B, C, D, E, F, G, H, I, J, K), 12: (A, B, C, D, E, F, G, H, I, J, K, L),
        );
    };
}

extern_fns_for!("C", Convention::C);
#[cfg(target_arch = "x86_64")]
extern_fns_for!("win64", Convention::Win64);
#[cfg(target_arch = "x86_64")]
extern_fns_for!("sysv64", Convention::SysV);

/// `code` as `F`, after checking that `F` has as many parameters as `signature` and is
/// called with the same convention on this machine.
///
/// # Safety
/// `code` must be a function with `signature`, and `F`'s parameter and result types
/// must be the Rust types of the signature's C types.
unsafe fn typed<F: ExternFn>(code: *const c_void, signature: &Signature) -> Result<F, Error> {
    let host = Target::host()?;
    let same_convention = host.resolve(signature.convention)? == host.resolve(F::CONVENTION)?;
    if F::ARITY != signature.params.len() || !same_convention {
        return Err(Error::FunctionType {
            signature: signature.clone(),
            requested: F::NAME,
        });
    }
    // SAFETY: `F` is a function-pointer type (the trait is sealed), so it has the
    // size of a pointer; the caller promises the code has this type.
    Ok(unsafe { std::mem::transmute_copy::<*const c_void, F>(&code) })
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
    pub fn as_raw(&self) -> RawArrayEntry {
        self.raw
    }

    /// The code's address, to hand to C as a function pointer.
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
        &self.compiled.name
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
    pub fn code(&self) -> *const c_void {
        self.compiled.code.addr() as *const c_void
    }

    /// The C signature the function is called with.
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// The function as the Rust function-pointer type `F`, e.g.
    /// `extern "C" fn(*mut c_void, i32) -> i32`; an error unless `F` has the
    /// signature's number of parameters and convention. The pointer is valid while
    /// this handle (or a clone, or the engine's cache) keeps the code alive.
    ///
    /// # Safety
    /// `F`'s parameter and result types must be the Rust types of the signature's C
    /// types (`i32` for `i32`, a raw pointer for `ptr`, a `#[repr(C)]` struct for a
    /// struct, and so on): only the count and the convention are checked.
    pub unsafe fn as_fn<F: ExternFn>(&self) -> Result<F, Error> {
        // SAFETY: the code has `self.signature`; the caller vouches for F's types.
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
        &self.compiled.name
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
    /// `extern "C" fn(i32, i32) -> i32`; an error unless `F` has the signature's
    /// number of parameters and convention. The pointer is valid while this handle
    /// lives (or forever after [`Callback::leak`]).
    ///
    /// # Safety
    /// As [`NativeFunction::as_fn`]: `F`'s parameter and result types must be the
    /// Rust types of the signature's C types.
    pub unsafe fn as_fn<F: ExternFn>(&self) -> Result<F, Error> {
        // SAFETY: the code has the callback's signature; the caller vouches for F's
        // types.
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
    fn as_fn_gives_the_function_when_arity_and_convention_match() {
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
    fn as_fn_refuses_another_arity_or_convention() {
        let engine = Engine::new().unwrap();
        let entry = native(&engine);
        // SAFETY: never called: the arity differs.
        let wrong = unsafe { entry.as_fn::<extern "C" fn(*mut c_void) -> i32>() };
        match wrong {
            Err(Error::FunctionType {
                signature,
                requested,
            }) => {
                assert_eq!(signature, *entry.signature());
                assert_eq!(requested, "extern \"C\" fn with 1 parameters");
            }
            other => panic!("{other:?}"),
        }
        #[cfg(all(target_arch = "x86_64", not(windows)))]
        {
            // SAFETY: never called: win64 is not this host's C convention.
            let wrong = unsafe { entry.as_fn::<extern "win64" fn(*mut c_void, i32) -> i32>() };
            assert!(matches!(wrong, Err(Error::FunctionType { .. })));
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
