//! springboard builds FFI trampolines with Cranelift: a runtime describes a C signature
//! it learned at run time, and gets machine code specialised to it, in microseconds.
//!
//! A tour of the API follows: downcalls, callbacks, structs, boundaries and fast calls,
//! object files. Everything here is stable; springboard's internals (the ABI layer,
//! the IR builders, its code memory, Cranelift's types) are behind the
//! `unstable-internals` cargo feature, which has no stability promise.
//!
//! # Downcalls: calling C
//!
//! An [`Engine`] compiles for this machine and caches trampolines by [`Request`]. A
//! [`Downcall`] calls any C function of its [`Signature`], checked (with [`Value`]s) or
//! raw (with 8-byte [`Slot`]s, the [array layout](mod@array)):
//!
//! ```
//! use springboard::{Engine, Signature, Slot, Value};
//!
//! extern "C" fn scale(x: f64, by: i8) -> f64 { x * by as f64 }
//!
//! let engine = Engine::new()?;
//! let signature: Signature = "(f64, i8) -> f64".parse()?;
//! let downcall = engine.downcall(&signature)?;
//!
//! // Checked: the number and types of the arguments are checked before the call.
//! // SAFETY: `scale` has the signature the trampoline was built for.
//! let scaled = unsafe { downcall.call(scale as *const _, &[Value::F64(1.5), Value::I8(-4)])? };
//! assert_eq!(scaled, Value::F64(-6.0));
//!
//! // Raw, for runtimes: arguments in slots, the result in a slot.
//! let args = [Slot::from_f64(1.5), Slot::from_i8(-4)];
//! let mut result = Slot::default();
//! // SAFETY: as above; two argument slots.
//! unsafe { (downcall.as_raw())(scale as *const _, args.as_ptr(), &mut result) };
//! assert_eq!(result.as_f64(), -6.0);
//! # Ok::<(), springboard::Error>(())
//! ```
//!
//! # Callbacks: C calling Rust
//!
//! A [`Callback`] is a real C function pointer backed by a closure (or a
//! [raw handler](Engine::callback_raw)). Hand [`Callback::code`] to C, or get it as a
//! Rust function type with [`Callback::as_fn`] (which checks the number of parameters
//! and the convention):
//!
//! ```
//! use springboard::{Engine, Value};
//!
//! let engine = Engine::new()?;
//! let callback = engine.callback(&"(i32, i32) -> i32".parse()?, |args| {
//!     let (Value::I32(a), Value::I32(b)) = (&args[0], &args[1]) else { unreachable!() };
//!     Value::I32(a * b)
//! })?;
//! // SAFETY: `extern "C" fn(i32, i32) -> i32` is the Rust type of `(i32, i32) -> i32`.
//! let multiply = unsafe { callback.as_fn::<extern "C" fn(i32, i32) -> i32>()? };
//! assert_eq!(multiply(6, 7), 42);
//! # Ok::<(), springboard::Error>(())
//! ```
//!
//! # Structs by value
//!
//! Struct parameters and results are classified by springboard's own ABI layer for
//! every supported convention; as [`Value`]s they are [`Aggregate`]s, their C bytes with
//! the fields decoded on demand:
//!
//! ```
//! use springboard::{Engine, Signature, Value};
//!
//! #[repr(C)]
//! struct Complex { re: f64, im: f64 }
//! extern "C" fn times_i(z: Complex) -> Complex { Complex { re: -z.im, im: z.re } }
//!
//! let engine = Engine::new()?;
//! let signature: Signature = "({f64, f64}) -> {f64, f64}".parse()?;
//! let complex = signature.params[0].clone();
//! let z = Value::structure(&complex, &[Value::F64(1.0), Value::F64(2.0)])?;
//! // SAFETY: `times_i` takes and returns `{f64, f64}` by value.
//! let w = unsafe { engine.downcall(&signature)?.call(times_i as *const _, &[z])? };
//! assert_eq!(w, Value::structure(&complex, &[Value::F64(-2.0), Value::F64(1.0)])?);
//! let Value::Struct(w) = w else { unreachable!() };
//! assert_eq!(w.member(0), Some(Value::F64(-2.0)));
//! # Ok::<(), springboard::Error>(())
//! ```
//!
//! # Boundaries and fast calls
//!
//! Boundary trampolines record the entry SP/FP and the exit FP/PC into a runtime
//! context, so that a runtime can walk its stack across calls into and out of the
//! host. Their two shapes are two types, so asking for the wrong one does not compile:
//! [`ArrayBoundary`] ([`Engine::array_entry`], [`Engine::array_exit_raw`]) and
//! [`NativeBoundary`] ([`Engine::native_entry`], [`Engine::native_exit`]). A
//! [`FastCall`] is a V8 Fast API shaped entry into a C function
//! ([`Engine::fast_call`]); both are validated when they are built.
//!
//! ```
//! use springboard::{ArrayBoundary, Engine, Slot};
//!
//! extern "C" fn guest(context: *mut u64, x: i64) -> i64 { x + 1 }
//!
//! let engine = Engine::new()?;
//! // Records at offsets 0, 8, 16, 24 of the context, the first `ptr` parameter.
//! let boundary = ArrayBoundary::standard("(ptr, i64) -> i64".parse()?)?;
//! let entry = engine.array_entry(&boundary)?;
//! let mut context = [0u64; 4];
//! let args = [Slot::from_ptr(context.as_mut_ptr()), Slot::from_i64(41)];
//! let mut result = Slot::default();
//! // SAFETY: `guest` has the boundary's signature; two slots.
//! unsafe { (entry.as_raw())(guest as *const _, args.as_ptr(), &mut result, 2) };
//! assert_eq!(result.as_i64(), 42);
//! assert_ne!(context[0], 0, "the entry SP is recorded");
//! # Ok::<(), springboard::Error>(())
//! ```
//!
//! # Object files
//!
//! [`emit_object`] compiles named trampolines ([`ObjectItem`]s) for any supported
//! [`Target`] into a relocatable object, for runtimes that compile ahead of time. Every
//! kind, type and convention is available there, variadic downcalls included: an
//! object defines the call shims those need (System V's `%al`, Windows x64's float
//! copies) as local functions of its own.
//!
//! ```
//! use springboard::{emit_object, ObjectItem};
//!
//! let items: Vec<ObjectItem> = vec![
//!     "add=downcall:(i32, i32) -> i32".parse()?,
//!     "compare=callback:(ptr, ptr) -> i32".parse()?,
//! ];
//! let bytes = emit_object(&"riscv64gc-unknown-linux-gnu".parse()?, &items)?;
//! assert_eq!(&bytes[..4], b"\x7fELF");
//! # Ok::<(), springboard::Error>(())
//! ```
//!
//! # Runtimes built on Cranelift
//!
//! With the `module` feature, `springboard::module` offers the ABI layer in a
//! runtime's own terms: trampolines defined in its `cranelift_module::Module`, C calls
//! lowered straight into its `FunctionBuilder`, and the C parameters of its functions
//! that C calls. That API has Cranelift types (of the pinned version); `jit-module`
//! adds cranelift-jit helpers.
//!
//! # Listings
//!
//! A [`Compiler`] for any target gives a trampoline's CLIF and machine-code
//! [`Listing`] as text (what `springboard show` prints).
//!
//! # Typed API
//!
//! When the signature is known at compile time, spell it as a Rust type: [`CType`] is
//! implemented for every C scalar, for pointers, for `()` (`void`) and, through
//! [`c_struct!`], for `#[repr(C)]` structs. Typed downcalls move Rust values straight
//! into the argument array (no [`Value`]s, no per-call checks), and typed callbacks turn
//! ordinary closures into C function pointers of their real type. See [`typed`].
//!
//! ```
//! use springboard::{c_struct, Engine, Signature};
//!
//! c_struct! {
//!     #[derive(Clone, Copy, Debug, PartialEq)]
//!     pub struct Point { pub x: f64, pub y: f64 }
//! }
//! extern "C" fn flip(p: Point, by: f64) -> Point { Point { x: p.y * by, y: p.x } }
//!
//! let engine = Engine::new()?;
//! assert_eq!(
//!     Signature::of::<extern "C" fn(Point, f64) -> Point>()?.to_string(),
//!     "({f64, f64}, f64) -> {f64, f64}"
//! );
//! let downcall = engine.typed_downcall::<extern "C" fn(Point, f64) -> Point>()?;
//! // SAFETY: `flip` has exactly this signature.
//! let p = unsafe { downcall.call(flip as *const _, (Point { x: 1.0, y: 2.0 }, 3.0)) };
//! assert_eq!(p, Point { x: 6.0, y: 1.0 });
//!
//! // A callback from a closure: its C type comes from the closure's types.
//! let scale = 10;
//! let callback = engine.typed_callback(move |a: i32, b: i32| a * scale + b)?;
//! let f: unsafe extern "C" fn(i32, i32) -> i32 = callback.code();
//! // SAFETY: the callback lives while `callback` does.
//! assert_eq!(unsafe { f(4, 2) }, 42);
//! # Ok::<(), springboard::Error>(())
//! ```
//!
//! # C types and call sites
//!
//! Every convention (System V x86-64, Windows x64, AAPCS64, Apple arm64, RISC-V
//! LP64D) takes `bool`, 8- to 64-bit integers, `isize`/`usize`, `ptr`, `f32`, `f64`,
//! `i128`/`u128` (`__int128`; on Windows x64 as gcc's `ms_abi` has it: by reference,
//! returned in `xmm0`) and structs by value with nested structs and array fields;
//! `float _Complex` and `double _Complex` are the structs `{f32, f32}` and `{f64, f64}`,
//! which every convention passes as the complex types. Variadic call shapes work in
//! downcalls, callbacks and array boundaries (not in fast calls or native boundaries),
//! errno capture in downcalls. `long double` is written as its format ([`F80`], x87
//! extended: x86-64 System V and gcc's `ms_abi`, `st0` results through two small x87
//! shims; [`F128`], binary128: aarch64 and riscv64 Linux, x86-64's `__float128`; `f64` on
//! Apple arm64 and MSVC). Rejected with a typed error: a `long double` format the
//! convention lacks, `f32`, `bool` and integers narrower than 32 bits in a variadic
//! part, empty structs and arrays, `void` fields. The README has the per-convention
//! tables.
//!
//! # Errors
//!
//! Every failure is an [`Error`] whose variants say what and where as data
//! ([`FastCallError`], [`BoundaryError`], [`ItemProblem`], [`CodegenError`]); bad
//! input never panics.
//!
//! # Modules
//!
//! The pipeline, one module per stage, no cycles: [`types`] → [`signature`] →
//! [`value`] and [`array`](mod@array) (the argument-array layout) → [`error`] → the ABI layer
//! (the only code that knows calling conventions) → the IR builders (one per kind)
//! → [`compiler`] → code memory (host JIT) or [`object`] (object files) →
//! [`engine`]. The ABI layer, the IR builders and code memory are internal.

#![warn(missing_docs)]

/// Declares a module that is public only with the `unstable-internals` feature (no
/// stability promise: it exposes Cranelift types and springboard's internals).
macro_rules! internal_mod {
    ($(#[$meta:meta])* mod $name:ident;) => {
        $(#[$meta])*
        #[cfg(feature = "unstable-internals")]
        pub mod $name;
        $(#[$meta])*
        #[cfg(not(feature = "unstable-internals"))]
        mod $name;
    };
}

internal_mod! {
    /// Unstable: the ABI layer, the only code that knows calling conventions; it
    /// lowers C signatures to Cranelift signatures.
    mod abi;
}
internal_mod! {
    /// Unstable: IR emitters for byte copies.
    mod ir_bytes;
}
internal_mod! {
    /// Unstable: springboard's executable memory.
    mod code_memory;
}
internal_mod! {
    /// Unstable: one IR builder per trampoline kind, and the request and description
    /// types (re-exported at the crate root, which is their stable path).
    mod trampoline;
}

pub mod array;
pub mod compiler;
pub mod engine;
pub mod error;
mod gdb_jit;
mod jitdump;
pub mod long_float;
#[cfg(feature = "module")]
pub mod module;
#[cfg(not(feature = "module"))]
#[allow(dead_code)]
mod module;
pub mod object;
mod perf_map;
pub mod signature;
pub mod typed;
pub mod types;
mod unwind;
pub mod value;

pub use abi::jump::MAX_JUMP_BYTES;
pub use abi::{ErrnoMode, Target};
pub use array::Slot;
pub use compiler::{Compiler, CompilerOptions, Listing, MachineCode, RegAlloc};
pub use engine::{
    ArrayEntry, Callback, CallbackError, CallbackFactory, CallbackForm, CallbackOptions,
    CodeBacking, Downcall, Engine, EngineOptions, ErrnoDowncall, MemoryStats, NativeFunction,
    OnPanic, PointerDowncall, RawArrayEntry, RawDowncall, RawErrnoDowncall, RawHandler,
    RawPointerDowncall, RawPointerHandler, Tiering, TypedCallback, TypedDowncall,
    TypedErrnoDowncall,
};
pub use error::{BoundaryError, CodegenError, Error, FastCallError, InlineError, ItemProblem};
pub use long_float::{F128, F80};
pub use object::{emit_object, ObjectItem};
pub use signature::{promoted, Convention, ParseError, Signature, SignatureError};
pub use trampoline::boundary::{
    ArrayBoundary, Bookkeeping, Boundary, DebugChecks, NativeBoundary, RecordPlace,
    TRAP_ARRAY_TOO_SMALL, TRAP_BAD_CONTEXT,
};
pub use trampoline::fastcall::{BufferAccess, FastCall, FastParam, FastResult};
pub use trampoline::{ArgLayout, Callee, Kind, Request, PLACEHOLDER_CALLEE};
pub use typed::{CArgs, CFn, CType, TypedClosure, TypedError};
pub use types::{ArrayType, StructType, Type, TypeError};
pub use value::{Aggregate, Value, ValueError};

/// The README's examples, compiled and run as doc tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
