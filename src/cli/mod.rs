//! The `springboard` command's work, apart from argument parsing: `call` runs a C
//! function through a JIT-compiled downcall, `show` prints a trampoline's CLIF and
//! machine-code listing. Every failure is a [`CliError`], reported on one line.

mod call;
mod emit;
pub mod literal;
mod show;

pub use call::call;
pub use emit::emit;
pub use show::{show, Sections, Shape};

use literal::LiteralError;
use springboard::{ParseError, Target, Type};

/// Everything the command line reports instead of a result.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The signature text does not parse.
    #[error("bad signature `{text}`: {source}")]
    Signature {
        /// The signature as given.
        text: String,
        /// Where and why it does not parse.
        source: ParseError,
    },
    /// More or fewer arguments than the signature has parameters.
    #[error("`{signature}` takes {expected} argument{}, {found} given", plural(*expected))]
    Arity {
        /// The signature, canonical form.
        signature: String,
        /// Parameters in the signature.
        expected: usize,
        /// Arguments on the command line.
        found: usize,
    },
    /// An argument literal does not parse as its parameter's type.
    #[error("argument {number} `{text}` (parameter type {ty}): {source}")]
    Literal {
        /// One-based argument number.
        number: usize,
        /// The argument as given.
        text: String,
        /// The parameter type.
        ty: Type,
        /// What is wrong with it (boxed: it is the largest error).
        source: Box<LiteralError>,
    },
    /// The dynamic loader could not open the library.
    #[error("cannot load library `{library}`: {source}")]
    Library {
        /// The library as given.
        library: String,
        /// The loader's message.
        source: libloading::Error,
    },
    /// The library has no such symbol.
    #[error("symbol `{symbol}` not found in `{library}`: {source}")]
    Symbol {
        /// The symbol as given.
        symbol: String,
        /// The library as given.
        library: String,
        /// The loader's message.
        source: libloading::Error,
    },
    /// `--target` names no target springboard compiles for.
    #[error("unknown target `{0}`: springboard compiles for {targets}", targets = Target::NAMED.join(", "))]
    UnknownTarget(String),
    /// `--kind` names no trampoline kind.
    #[error("unknown trampoline kind `{name}` (valid kinds: {valid})")]
    UnknownKind {
        /// The kind as given.
        name: String,
        /// The valid kind names, comma-separated.
        valid: String,
    },
    /// Compiling or calling failed in the library (a convention the target does not
    /// have, say).
    #[error(transparent)]
    Springboard(#[from] springboard::Error),
    /// A `show` option that is malformed or does not apply to the kind.
    #[error("{option} {problem}")]
    Option {
        /// The option.
        option: String,
        /// What is wrong.
        problem: String,
    },
    /// `emit` without items.
    #[error("nothing to emit: give at least one NAME=KIND:SIGNATURE item")]
    NoItems,
    /// Two `emit` items with the same name.
    #[error("the name `{0}` is given twice")]
    DuplicateName(String),
    /// The output file could not be written.
    #[error("cannot write `{path}`: {source}")]
    Write {
        /// The path as given.
        path: String,
        /// The system's message.
        source: std::io::Error,
    },
    /// Standard output could not be written.
    #[error("writing the output: {0}")]
    Output(#[from] std::io::Error),
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}

impl CliError {
    /// The message on one line: line breaks (from a loader message or an argument)
    /// become spaces.
    pub fn one_line(&self) -> String {
        self.to_string().replace(['\r', '\n'], " ")
    }
}
