//! springboard builds FFI trampolines with Cranelift.
//!
//! A runtime describes a C signature; springboard lowers it to Cranelift IR through its
//! own IR-level ABI layer and compiles it for the host (or, for listings, any supported
//! target). The pipeline, one module per stage:
//!
//! [`types`] → [`signature`] → [`abi`] (the only module that knows calling
//! conventions) → [`array`] (the argument-array layout) and [`ir_bytes`] → [`trampoline`]
//! (one IR builder per kind) → [`compiler`] → [`code_memory`] (host JIT) or [`object`] (object files) → [`engine`]
//! (the API).
//!
//! ```
//! use springboard::{Engine, Signature, Slot};
//!
//! extern "C" fn scale(x: f64, by: i8) -> f64 { x * by as f64 }
//!
//! let engine = Engine::new()?;
//! let signature: Signature = "(f64, i8) -> f64".parse()?;
//! let downcall = engine.downcall(&signature)?;
//!
//! // The raw fast path: arguments in 8-byte slots, the result in a slot.
//! let args = [Slot::from_f64(1.5), Slot::from_i8(-4)];
//! let mut result = Slot::default();
//! // SAFETY: `scale` has the signature the trampoline was built for; two slots.
//! unsafe { (downcall.as_raw())(scale as *const _, args.as_ptr(), &mut result) };
//! assert_eq!(result.as_f64(), -6.0);
//! # Ok::<(), springboard::Error>(())
//! ```

#![warn(missing_docs)]

pub mod abi;
pub mod array;
pub mod code_memory;
pub mod compiler;
pub mod engine;
pub mod error;
pub mod ir_bytes;
pub mod object;
pub mod signature;
pub mod trampoline;
pub mod types;
pub mod value;

pub use abi::{Abi, Target};
pub use array::Slot;
pub use compiler::{Compiler, CompilerOptions, Listing, MachineCode, RegAlloc};
pub use engine::{
    Callback, CallbackOptions, Downcall, Engine, EngineOptions, Entrypoint, OnPanic, RawDowncall,
    RawHandler,
};
pub use error::Error;
pub use signature::{Convention, ParseError, Signature, SignatureError};
pub use trampoline::boundary::{Bookkeeping, Boundary, BoundaryShape, DebugChecks, RecordPlace};
pub use trampoline::fastcall::{BufferAccess, FastCall, FastParam, FastResult};
pub use trampoline::{Kind, Trampoline};
pub use types::{ArrayType, StructType, Type, TypeError};
pub use value::{Value, ValueError};

/// The README's examples, compiled and run as doc tests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
