//! A drop-in `libffi.so.8`: libffi 3.4's C API, ABI and symbol versions, with every
//! `ffi_call` and closure a springboard trampoline.
//!
//! A program built against the system's `ffi.h` runs with this library through
//! `LD_LIBRARY_PATH` or `LD_PRELOAD` (build it with `cargo build --release
//! --workspace`; `target/release/libffi-dropin/libffi.so.8` is the file programs ask for).
//!
//! How it maps libffi onto springboard:
//!
//! - `ffi_prep_cif` turns the cif's `ffi_type` tree into a [`Signature`] (filling the
//!   size and alignment of caller-owned struct types as libffi does) and binds the cif
//!   to the engine's downcall for that signature: the binding is an index into a table
//!   of signatures, stored in the cif's `flags`. Binding goes by the tree's contents,
//!   never by a type's address, so re-prepared stack cifs and mutated types are safe.
//!   The engine is lazy ([`springboard::Tiering::Lazy`]): binding a new signature
//!   compiles nothing, its first calls run springboard's generic caller, and its
//!   trampoline is compiled on the thread making its [`COMPILE_AFTER`]th call; from
//!   then on `ffi_call` calls the compiled trampoline directly. Signatures the
//!   generic caller cannot make (`FFI_WIN64` cifs, `long double` results, more than
//!   16 stack words) are compiled when first prepared.
//! - The downcall reads libffi's layout itself ([`springboard::ArgLayout::Pointers`]):
//!   `ffi_call` hands it `avalue` and `rvalue` as they are, and integral results
//!   narrower than `ffi_arg` arrive widened to a full `ffi_arg`.
//! - A closure is a springboard callback in the same layout whose context is the
//!   closure (its handler passes the callback's pointer array to `fun`); the closure's
//!   `tramp` holds a jump to the callback's code, so the code is at the closure's own
//!   address. `ffi_closure_alloc` hands out blocks of 64 KiB regions mapped twice
//!   (writable, executable), so no page is writable and executable at once; a block
//!   keeps its callback across `ffi_closure_free`, so a closure of the same signature
//!   prepared there again only writes its fields (see [`ffi_closure_alloc`]).
//!
//! What the JIT cannot do is refused with an error code, never a crash:
//! `_Complex float`/`_Complex double` are springboard's `{f32, f32}`/`{f64, f64}`;
//! `_Complex long double` is springboard's `complex<f80>` on x86-64 (System V returns
//! it in `st0`/`st1`) and `complex<f128>` on aarch64 and riscv64; `long double` is
//! springboard's `f80` on x86-64 and `f128` on aarch64 and riscv64.

#![allow(non_camel_case_types, non_upper_case_globals)]
#![cfg(all(target_arch = "x86_64", unix))]

pub mod abi;
mod closure;
mod key;
mod raw;
mod types;

pub use closure::*;
pub use raw::*;
pub use types::*;

use rustc_hash::FxHashMap;
use springboard::{
    CompilerOptions, Convention, Engine, EngineOptions, PointerDowncall, RegAlloc, Signature,
    Tiering, Type,
};
use std::ffi::c_void;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::{Mutex, OnceLock};

/// `ffi_status`: the result of libffi's preparing functions.
pub type ffi_status = u32;
/// Success.
pub const FFI_OK: ffi_status = 0;
/// A type the cif names is malformed (or one springboard cannot compile).
pub const FFI_BAD_TYPEDEF: ffi_status = 1;
/// The ABI value is not one of this target's.
pub const FFI_BAD_ABI: ffi_status = 2;
/// A variadic argument of a type C promotes away (`float`, integers narrower than
/// `int`).
pub const FFI_BAD_ARGTYPE: ffi_status = 3;

pub use abi::{ffi_abi, FFI_DEFAULT_ABI};
/// x86-64: the System V AMD64 convention (`FFI_DEFAULT_ABI` on Unix; see [`abi`]).
#[cfg(target_arch = "x86_64")]
pub const FFI_UNIX64: ffi_abi = 2;
/// x86-64: the Microsoft x64 convention (also `FFI_EFI64`).
#[cfg(target_arch = "x86_64")]
pub const FFI_WIN64: ffi_abi = 3;
/// x86-64: the Microsoft x64 convention as GCC uses it.
#[cfg(target_arch = "x86_64")]
pub const FFI_GNUW64: ffi_abi = 4;
/// aarch64 and riscv64: the platform's procedure call standard (`FFI_DEFAULT_ABI`).
#[cfg(not(target_arch = "x86_64"))]
pub const FFI_SYSV: ffi_abi = 1;

/// `ffi_arg`: the width integral results are widened to.
pub type ffi_arg = u64;

/// libffi's `ffi_cif` (32 bytes on x86-64).
#[repr(C)]
#[derive(Debug)]
pub struct ffi_cif {
    /// The calling convention.
    pub abi: ffi_abi,
    /// Number of arguments.
    pub nargs: u32,
    /// The argument types.
    pub arg_types: *mut *mut ffi_type,
    /// The result type.
    pub rtype: *mut ffi_type,
    /// Bytes of arguments in 8-byte units, as the raw API lays them out.
    pub bytes: u32,
    /// springboard's binding: the index of the cif's signature in the binding table.
    pub flags: u32,
}

impl Default for ffi_cif {
    /// A cif for [`ffi_prep_cif`] to fill: every field zero or null.
    fn default() -> Self {
        ffi_cif {
            abi: 0,
            nargs: 0,
            arg_types: std::ptr::null_mut(),
            rtype: std::ptr::null_mut(),
            bytes: 0,
            flags: 0,
        }
    }
}

/// A prepared signature and its downcall (lazy, or compiled when the signature is
/// first prepared; kept for the life of the process).
pub(crate) struct Binding {
    signature: Signature,
    /// The downcall as bound (a lazy one's entry point until it is compiled).
    downcall: PointerDowncall,
    /// `downcall`'s raw entry.
    raw: UnwindingDowncall,
    /// The compiled trampoline and its raw entry, once calls run compiled code.
    compiled: OnceLock<(PointerDowncall, UnwindingDowncall)>,
    /// The signature's closure body, compiled when its first closure is prepared.
    callbacks: OnceLock<springboard::CallbackFactory>,
}

/// A downcall's raw entry, called so that a C++ exception thrown by the callee may
/// travel through `ffi_call` (the trampoline has unwind information).
type UnwindingDowncall =
    unsafe extern "C-unwind" fn(*const c_void, *const *mut c_void, *mut c_void);

/// The most distinct signatures a process can prepare (`ffi_prep_cif` returns
/// `FFI_BAD_TYPEDEF` for more).
const MAX_BINDINGS: usize = 1 << 16;

/// Every signature ever prepared, by index (a cif's `flags`): read with one atomic
/// load by `ffi_call`, never removed.
static TABLE: [AtomicPtr<Binding>; MAX_BINDINGS] =
    [const { AtomicPtr::new(std::ptr::null_mut()) }; MAX_BINDINGS];

#[derive(Default)]
struct Bindings {
    /// Hashed with rustc-hash, not SipHash: a new cif's bind hashes its signature
    /// twice, and keys come from this process's own cifs.
    index: FxHashMap<Signature, u32>,
}

/// Calls of a signature through the generic caller before its trampoline is compiled.
pub const COMPILE_AFTER: u32 = 1000;

/// The drop-in's engine: lazy, so a cif's first `ffi_call` compiles nothing (see
/// BENCHMARKS.md, "Binding new signatures").
fn engine() -> Option<&'static Engine> {
    static ENGINE: OnceLock<Option<Engine>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            Engine::with_options(EngineOptions {
                tiering: Tiering::Lazy {
                    compile_after: COMPILE_AFTER,
                },
                // What this engine compiles is hot or shared: a cif's trampoline after
                // its COMPILE_AFTERth call, and a signature's closure body, which
                // every closure of that signature runs. Cranelift's backtracking
                // allocator keeps their values in scratch registers (no callee-saved
                // saves), for ~1.5x the compile time (see BENCHMARKS.md).
                compiler: CompilerOptions {
                    regalloc: RegAlloc::Backtracking,
                    ..CompilerOptions::default()
                },
                // The binding table is this engine's cache: every signature is bound
                // once and kept, so the engine's own cache would hold each downcall a
                // second time (and cost a new cif ~1k instructions to insert).
                cache_capacity: 0,
                ..EngineOptions::default()
            })
            .ok()
        })
        .as_ref()
}

/// The raw entry of a downcall, called so that unwinding may leave it.
fn unwinding(downcall: &PointerDowncall) -> UnwindingDowncall {
    // SAFETY: the same function type, but for unwinding leaving it (the trampoline,
    // a lazy entry and the generic caller all have unwind information).
    unsafe {
        std::mem::transmute::<springboard::RawPointerDowncall, UnwindingDowncall>(downcall.as_raw())
    }
}

impl Binding {
    /// The entry to call now: the compiled trampoline once there is one (looked for
    /// only while calls still go through the lazy entry), else the lazy entry.
    #[inline]
    fn entry(&self) -> UnwindingDowncall {
        if let Some((_, raw)) = self.compiled.get() {
            return *raw;
        }
        self.entry_slow()
    }

    #[cold]
    fn entry_slow(&self) -> UnwindingDowncall {
        if !self.downcall.runs_compiled_code() {
            return self.raw;
        }
        let current = self.downcall.current();
        let raw = unwinding(&current);
        let _ = self.compiled.set((current, raw));
        raw
    }
}

fn bindings() -> &'static Mutex<Bindings> {
    static BINDINGS: OnceLock<Mutex<Bindings>> = OnceLock::new();
    BINDINGS.get_or_init(Default::default)
}

/// The binding index of `signature`, compiled and added on first sight; `None` when
/// springboard cannot compile it or the table is full.
fn bind(signature: Signature) -> Option<u32> {
    let mut bindings = bindings().lock().unwrap_or_else(|e| e.into_inner());
    if let Some(&index) = bindings.index.get(&signature) {
        return Some(index);
    }
    let index = bindings.index.len();
    if index >= MAX_BINDINGS {
        return None;
    }
    let downcall = engine()?.pointer_downcall(&signature).ok()?;
    let binding = Box::leak(Box::new(Binding {
        signature: signature.clone(),
        raw: unwinding(&downcall),
        downcall,
        compiled: OnceLock::new(),
        callbacks: OnceLock::new(),
    }));
    TABLE[index].store(binding, Ordering::Release);
    bindings.index.insert(signature, index as u32);
    Some(index as u32)
}

/// The binding a prepared cif names.
fn binding(cif: &ffi_cif) -> Option<&'static Binding> {
    let entry = TABLE.get(cif.flags as usize)?;
    // SAFETY: entries are leaked bindings, published with Release.
    unsafe { entry.load(Ordering::Acquire).as_ref() }
}

/// The springboard convention of one of this target's libffi ABI values (see [`abi`]).
fn convention(abi: ffi_abi) -> Result<Convention, ffi_status> {
    abi::HOST.convention(abi)
}

/// The types of a cif's arguments, as a slice.
///
/// # Safety
/// `cif.arg_types` points to `cif.nargs` type pointers (or `nargs` is 0).
unsafe fn arg_types(cif: &ffi_cif) -> &[*mut ffi_type] {
    if cif.nargs == 0 || cif.arg_types.is_null() {
        &[]
    } else {
        std::slice::from_raw_parts(cif.arg_types, cif.nargs as usize)
    }
}

/// Whether `ty` is a type C's default argument promotions change.
///
/// # Safety
/// `ty` is a valid type.
unsafe fn promoted_away(ty: *const ffi_type) -> bool {
    matches!(
        (*ty).type_,
        FFI_TYPE_FLOAT | FFI_TYPE_UINT8 | FFI_TYPE_SINT8 | FFI_TYPE_UINT16 | FFI_TYPE_SINT16
    )
}

/// Prepares `cif`; `fixed` is the number of fixed arguments of a variadic call.
///
/// # Safety
/// The pointers are libffi's contract for `ffi_prep_cif`.
unsafe fn prep(
    cif: *mut ffi_cif,
    abi: ffi_abi,
    fixed: Option<u32>,
    nargs: u32,
    rtype: *mut ffi_type,
    atypes: *mut *mut ffi_type,
) -> ffi_status {
    if cif.is_null() {
        return FFI_BAD_TYPEDEF;
    }
    let convention = match convention(abi) {
        Ok(c) => c,
        Err(status) => return status,
    };
    let cif = &mut *cif;
    cif.abi = abi;
    cif.nargs = nargs;
    cif.arg_types = atypes;
    cif.rtype = rtype;
    cif.bytes = 0;
    cif.flags = u32::MAX;
    // A known signature: one lookup. Otherwise (or for a malformed tree, whose
    // error the full path reports) build the signature and remember its key.
    let known = key::with_key(abi, fixed, rtype, arg_types(cif), key::lookup);
    if let Ok(Some(bound)) = known {
        cif.bytes = bound.bytes;
        cif.flags = bound.index;
        return FFI_OK;
    }
    let status = prep_signature(cif, convention, fixed, rtype);
    if status == FFI_OK {
        let bound = key::Bound {
            index: cif.flags,
            bytes: cif.bytes,
        };
        let _ = key::with_key(abi, fixed, rtype, arg_types(cif), |k, hash| {
            key::remember(k, hash, bound)
        });
    }
    status
}

/// The full path of [`prep`]: the cif's springboard signature, bound.
///
/// # Safety
/// As [`prep`], with the cif's fields set.
unsafe fn prep_signature(
    cif: &mut ffi_cif,
    convention: Convention,
    fixed: Option<u32>,
    rtype: *mut ffi_type,
) -> ffi_status {
    let result = match to_type(rtype) {
        Ok(t) => t,
        Err(status) => return status,
    };
    let mut params = Vec::with_capacity(cif.nargs as usize);
    let mut bytes = 0usize;
    for (index, &ty) in arg_types(cif).iter().enumerate() {
        let t = match to_type(ty) {
            Ok(Type::Void) | Err(_) => return FFI_BAD_TYPEDEF,
            Ok(t) => t,
        };
        if fixed.is_some_and(|f| index as u32 >= f) && promoted_away(ty) {
            return FFI_BAD_ARGTYPE;
        }
        bytes += if t.by_address() {
            8
        } else {
            t.size().next_multiple_of(8)
        };
        params.push(t);
    }
    let vector_args = params
        .iter()
        .any(|t| t.is_aggregate() || matches!(t, Type::F32 | Type::F64));
    let mut signature = Signature::new(params, result).with_convention(convention);
    match fixed {
        Some(fixed) => signature.variadic_from = Some(fixed as usize),
        // libffi's x86-64 System V calls always tell the callee in %al how many
        // vector registers they use, so callers may call variadic functions through
        // a plain ffi_prep_cif (CPython's ctypes does, for printf): such a cif calls
        // as a variadic call with no variadic arguments, which sets %al.
        None if convention == Convention::SysV && vector_args => {
            signature.variadic_from = Some(signature.params.len())
        }
        None => {}
    }
    if signature.validate().is_err() {
        return FFI_BAD_TYPEDEF;
    }
    let Some(index) = bind(signature) else {
        return FFI_BAD_TYPEDEF;
    };
    cif.bytes = bytes as u32;
    cif.flags = index;
    FFI_OK
}

/// libffi's `ffi_prep_cif`: validates the types, fills in struct sizes and binds the
/// cif to a compiled downcall.
///
/// # Safety
/// `cif` is writable; `rtype` and the `nargs` pointers at `atypes` are valid types.
#[no_mangle]
pub unsafe extern "C" fn ffi_prep_cif(
    cif: *mut ffi_cif,
    abi: ffi_abi,
    nargs: u32,
    rtype: *mut ffi_type,
    atypes: *mut *mut ffi_type,
) -> ffi_status {
    prep(cif, abi, None, nargs, rtype, atypes)
}

/// libffi's `ffi_prep_cif_var`: [`ffi_prep_cif`] for a call of a variadic function
/// with `nfixedargs` fixed arguments; promoted-away variadic types are
/// `FFI_BAD_ARGTYPE`.
///
/// # Safety
/// As [`ffi_prep_cif`], with `ntotalargs` argument types.
#[no_mangle]
pub unsafe extern "C" fn ffi_prep_cif_var(
    cif: *mut ffi_cif,
    abi: ffi_abi,
    nfixedargs: u32,
    ntotalargs: u32,
    rtype: *mut ffi_type,
    atypes: *mut *mut ffi_type,
) -> ffi_status {
    if nfixedargs > ntotalargs {
        return FFI_BAD_ARGTYPE;
    }
    prep(cif, abi, Some(nfixedargs), ntotalargs, rtype, atypes)
}

/// libffi's `ffi_call`: calls `fn_` with the values `avalue` points to, writing the
/// result to `rvalue` (integral results widened to `ffi_arg`).
///
/// # Safety
/// `cif` was prepared by [`ffi_prep_cif`]; `fn_` has its signature; `avalue[i]`
/// points to a value of argument type `i`; `rvalue` holds the result (at least an
/// `ffi_arg`), or is null for `void`.
#[no_mangle]
pub unsafe extern "C-unwind" fn ffi_call(
    cif: *mut ffi_cif,
    fn_: Option<unsafe extern "C" fn()>,
    rvalue: *mut c_void,
    avalue: *mut *mut c_void,
) {
    let cif = &*cif;
    let Some(binding) = binding(cif) else {
        eprintln!("springboard libffi: ffi_call with a cif ffi_prep_cif did not prepare");
        std::process::abort();
    };
    let callee = fn_.map_or(std::ptr::null(), |f| f as *const c_void);
    if !rvalue.is_null() {
        // SAFETY: the binding's downcall has the cif's signature and reads libffi's
        // layout; the caller vouches for the callee, the values and the result place.
        return (binding.entry())(callee, avalue, rvalue);
    }
    // No result place: the result (libffi lets callers ignore it) goes to scratch.
    let mut scratch = [0u64; 4];
    let mut heap = Vec::new();
    let result = if (*cif.rtype).size <= std::mem::size_of_val(&scratch) {
        scratch.as_mut_ptr()
    } else {
        heap.resize((*cif.rtype).size.div_ceil(8), 0u64);
        heap.as_mut_ptr()
    };
    // SAFETY: as above, with a scratch result place of the result's size.
    (binding.entry())(callee, avalue, result as *mut c_void);
}

/// Returns the version of springboard behind this library (a symbol libffi lacks:
/// callers use it to check the drop-in is the library loaded).
#[no_mangle]
pub extern "C" fn springboard_libffi_version() -> *const std::ffi::c_char {
    concat!("springboard ", env!("CARGO_PKG_VERSION"), "\0").as_ptr() as *const _
}

// Binds every exported symbol to its libffi 3.4 version node (defined by
// libffi.map). rustc's own version script for the cdylib has no named nodes, and the
// linker takes it first, so the binding is made in the object with `.symver`.
macro_rules! versions {
    ($($node:literal: [$($symbol:ident),* $(,)?])*) => {
        std::arch::global_asm!($($(concat!(
            ".symver ", stringify!($symbol), ", ", stringify!($symbol), "@@", $node
        ),)*)*);
    };
}

versions! {
    "LIBFFI_BASE_8.0": [
        ffi_call, ffi_prep_cif, ffi_prep_cif_var, ffi_get_struct_offsets, ffi_raw_call,
        ffi_ptrarray_to_raw, ffi_raw_to_ptrarray, ffi_raw_size, ffi_java_raw_call,
        ffi_java_ptrarray_to_raw, ffi_java_raw_to_ptrarray, ffi_java_raw_size,
        ffi_type_void, ffi_type_uint8, ffi_type_sint8, ffi_type_uint16, ffi_type_sint16,
        ffi_type_uint32, ffi_type_sint32, ffi_type_uint64, ffi_type_sint64, ffi_type_float,
        ffi_type_double, ffi_type_longdouble, ffi_type_pointer,
    ]
    "LIBFFI_COMPLEX_8.0": [
        ffi_type_complex_float, ffi_type_complex_double, ffi_type_complex_longdouble,
    ]
    "LIBFFI_CLOSURE_8.0": [
        ffi_closure_alloc, ffi_closure_free, ffi_prep_closure, ffi_prep_closure_loc,
        ffi_prep_raw_closure, ffi_prep_raw_closure_loc, ffi_prep_java_raw_closure,
        ffi_prep_java_raw_closure_loc,
    ]
    "LIBFFI_GO_CLOSURE_8.0": [ffi_call_go, ffi_prep_go_closure]
}
