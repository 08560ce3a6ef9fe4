//! The errors springboard reports.

use crate::signature::{Convention, ParseError, SignatureError};
use crate::types::Type;

/// Everything that can go wrong building or calling a trampoline.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Signature text did not parse.
    #[error("bad signature: {0}")]
    Parse(#[from] ParseError),
    /// A signature built in code is not a C signature.
    #[error("bad signature: {0}")]
    Signature(#[from] SignatureError),
    /// The target triple names an architecture or system springboard cannot compile for.
    #[error("unsupported target `{0}`: springboard compiles for x86_64 and aarch64 (Linux, macOS, Windows)")]
    UnsupportedTarget(String),
    /// The convention does not exist on the target's architecture.
    #[error("calling convention `{convention}` does not exist on target `{target}`")]
    UnsupportedConvention {
        /// The convention named in the signature.
        convention: Convention,
        /// The target triple.
        target: String,
    },
    /// The argument list has the wrong length.
    #[error("wrong number of arguments: the signature takes {expected}, {found} given")]
    Arity {
        /// Parameters in the signature.
        expected: usize,
        /// Arguments supplied.
        found: usize,
    },
    /// An argument has the wrong type.
    #[error("argument {index} has type {found}, the signature expects {expected}")]
    ArgumentType {
        /// Zero-based argument index.
        index: usize,
        /// The parameter type.
        expected: Type,
        /// The argument's type.
        found: Type,
    },
    /// A struct or array argument whose members do not match its own type.
    #[error("argument {index} is malformed: {reason}")]
    MalformedArgument {
        /// Zero-based argument index.
        index: usize,
        /// What is wrong with it.
        reason: crate::value::ValueError,
    },
    /// An object-file item (`NAME=KIND:SIGNATURE`) that does not parse.
    #[error("bad item `{item}`: {problem}")]
    BadItem {
        /// The item text.
        item: String,
        /// What is wrong with it.
        problem: String,
    },
    /// A fast-call description that cannot be built.
    #[error("bad fast call: {0}")]
    FastCall(String),
    /// A boundary description that cannot be built.
    #[error("bad boundary trampoline: {0}")]
    Boundary(String),
    /// Cranelift rejected the generated function (a springboard bug, reported rather
    /// than panicking).
    #[error("code generation failed: {0}")]
    Codegen(String),
    /// The operating system refused executable memory.
    #[error("executable memory: {0}")]
    Memory(#[from] std::io::Error),
}
