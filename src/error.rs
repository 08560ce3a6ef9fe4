//! The errors springboard reports.
//!
//! Every variant says what went wrong and where, as data: a caller can match on it
//! instead of reading a message. Messages from Cranelift itself (a springboard bug if
//! they ever appear) are carried as text, so that no Cranelift type is part of the API.

use crate::signature::{Convention, ParseError, Signature, SignatureError};
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
    #[error(
        "unsupported target `{0}`: springboard compiles for x86_64 (Linux, macOS, Windows), \
         aarch64 (Linux, macOS, Windows) and riscv64 (Linux)"
    )]
    UnsupportedTarget(String),
    /// The convention does not exist on the target's architecture.
    #[error("calling convention `{convention}` does not exist on target `{target}`")]
    UnsupportedConvention {
        /// The convention named in the signature.
        convention: Convention,
        /// The target triple.
        target: String,
    },
    /// A C type that the convention has no such type for (`f80` outside x86-64,
    /// `f128` on Apple arm64).
    #[error("`{signature}`: the {convention} convention has no {ty} type ({reason})")]
    UnsupportedType {
        /// The signature.
        signature: Signature,
        /// The scalar type it uses.
        ty: Type,
        /// The convention it was lowered for.
        convention: Convention,
        /// What the convention has instead.
        reason: &'static str,
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
    /// An object-file item (`NAME=KIND:SIGNATURE`) that does not parse.
    #[error("bad item `{item}`: {problem}")]
    BadItem {
        /// The item text.
        item: String,
        /// What is wrong with it.
        problem: ItemProblem,
    },
    /// A fast-call description that cannot be built.
    #[error("bad fast call: {0}")]
    FastCall(#[from] FastCallError),
    /// A boundary description that cannot be built.
    #[error("bad boundary trampoline: {0}")]
    Boundary(#[from] BoundaryError),
    /// A feature this build or host cannot provide (for example a variadic call shim
    /// on a host of another architecture).
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// IR values handed to `springboard::module` (feature `module`) that do not fit the C
    /// signature.
    #[error("{0}")]
    Inline(#[from] InlineError),
    /// Cranelift rejected the generated code (a springboard bug, reported rather than
    /// panicking).
    #[error("code generation failed: {0}")]
    Codegen(#[from] CodegenError),
    /// Rust types that make no usable C signature, or not the one asked for (the
    /// typed API).
    #[error(transparent)]
    Typed(#[from] crate::typed::TypedError),
    /// Struct or array members that do not make a value of the aggregate's type.
    #[error(transparent)]
    Value(#[from] crate::value::ValueError),
    /// The operating system refused executable memory (in every way springboard
    /// tries: see [`crate::CodeBacking`]). Where no JIT code may run at all,
    /// trampolines can still be emitted as object files and linked.
    #[error(
        "executable memory: {0} (where a process may not run JIT code, emit trampolines \
         as an object file to link instead: `springboard emit`, `springboard::emit_object`)"
    )]
    Memory(#[from] std::io::Error),
    /// The perf map (`/tmp/perf-<pid>.map`) could not be written.
    #[error("perf map: {0}")]
    PerfMap(std::io::Error),
    /// The jitdump file ([`crate::EngineOptions::jitdump`]) could not be written.
    #[error("jitdump {}: {source}", path.display())]
    JitDump {
        /// The file.
        path: std::path::PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
}

/// Why a fast-call description cannot be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FastCallError {
    /// The parameter descriptions do not match the target's parameters one for one.
    #[error("{descriptions} parameter descriptions for {params} parameters")]
    ParamCount {
        /// Descriptions given.
        descriptions: usize,
        /// Parameters of the target signature.
        params: usize,
    },
    /// A parameter index beyond the target signature.
    #[error("parameter {index} does not exist: the target has {params}")]
    NoSuchParam {
        /// The zero-based index given.
        index: usize,
        /// Parameters of the target signature.
        params: usize,
    },
    /// A buffer parameter whose C type is not `ptr` (the C function gets the data
    /// pointer).
    #[error("parameter {index} is a buffer, so it must have type ptr, not {found}")]
    BufferNotPtr {
        /// The zero-based parameter index.
        index: usize,
        /// Its C type.
        found: Type,
    },
    /// The target is a call of a variadic function (fast calls have fixed parameter
    /// lists).
    #[error("`{signature}` is a variadic call; fast calls have fixed parameter lists")]
    Variadic {
        /// The target signature.
        signature: Signature,
    },
}

/// Why a boundary description cannot be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BoundaryError {
    /// The signature has no `ptr` parameter to carry the runtime context.
    #[error("`{signature}` has no ptr parameter to carry the runtime context")]
    NoContext {
        /// The signature.
        signature: Signature,
    },
    /// The bookkeeping names a context parameter that is missing or not a `ptr`.
    #[error("parameter {index} of `{signature}` must be the ptr runtime context")]
    ContextNotPtr {
        /// The context parameter the bookkeeping names.
        index: usize,
        /// The signature.
        signature: Signature,
    },
    /// A native boundary for a call of a variadic function (native boundaries have
    /// fixed parameter lists; array-shaped ones may be variadic).
    #[error("`{signature}` is a variadic call; native boundaries have fixed parameter lists")]
    Variadic {
        /// The signature.
        signature: Signature,
    },
}

/// What is wrong with an object-file item's text ([`Error::BadItem`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ItemProblem {
    /// No `=` after the name.
    #[error("no `=` after the name")]
    NoName,
    /// The name is not a C identifier.
    #[error("the name must be a C identifier")]
    BadName,
    /// No `:` between the kind and the signature.
    #[error("no `:` after the kind")]
    NoKind,
    /// The callee is not `(SYMBOL)` with a C identifier.
    #[error("the callee must be `(SYMBOL)` after the kind")]
    BadCallee,
    /// The kind is not a trampoline kind.
    #[error("unknown kind `{kind}` (kinds: {valid})")]
    UnknownKind {
        /// The kind as written.
        kind: String,
        /// The valid kinds, comma-separated.
        valid: String,
    },
    /// The signature does not parse.
    #[error("signature: {0}")]
    Signature(ParseError),
    /// A fast call without its callee.
    #[error("a fast call needs its callee: fastcall(SYMBOL)")]
    NoCallee,
    /// A callee on a kind that takes none.
    #[error("only fastcall, entry and exit take a callee")]
    UnexpectedCallee,
    /// An option on a kind that does not take it (`+errno`, `+set_errno`: downcall;
    /// `+bound`: callback), or an unknown option.
    #[error(
        "`+{option}`: downcall takes `+errno` or `+set_errno`, callback takes `+bound`, \
         other kinds none"
    )]
    BadOption {
        /// The option as written.
        option: String,
    },
    /// The entry or exit cannot be built for the signature.
    #[error("{0}")]
    Boundary(BoundaryError),
}

/// Where code generation failed, with Cranelift's message as text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodegenError {
    /// Cranelift refused a compiler setting.
    #[error("setting {name}={value}: {message}")]
    Setting {
        /// The setting.
        name: &'static str,
        /// Its value.
        value: &'static str,
        /// Cranelift's message.
        message: String,
    },
    /// Cranelift could not build the instruction set for the target.
    #[error("building the ISA for {target}: {message}")]
    Isa {
        /// The target triple.
        target: String,
        /// Cranelift's message.
        message: String,
    },
    /// Cranelift rejected a trampoline's function.
    #[error("{trampoline}: {message}")]
    Function {
        /// The request, as text (kind and signature).
        trampoline: String,
        /// Cranelift's message.
        message: String,
    },
    /// Code for this process needs a relocation other than its data entry (callees
    /// must be given as addresses here).
    #[error(
        "{trampoline} needs a relocation ({relocation}); code for this process can only \
         refer to its data entry (give callees as addresses)"
    )]
    Relocation {
        /// The request, as text.
        trampoline: String,
        /// The relocation, as text.
        relocation: String,
    },
    /// A callback factory was asked for a callback of another form (for example an
    /// array handler from a context-binding factory).
    #[error("the callback factory for `{signature}` makes {form} callbacks only")]
    WrongCallbackForm {
        /// The factory's signature.
        signature: Signature,
        /// The form the factory makes.
        form: crate::engine::CallbackForm,
    },
    /// A compiled callback body has no reference to its data entry.
    #[error("the callback body for `{signature}` has no data relocation")]
    NoDataEntry {
        /// The callback's signature.
        signature: Signature,
    },
    /// A frame's unwind information could not be made or written as `.eh_frame`.
    #[error("unwind information: {message}")]
    Unwind {
        /// Cranelift's or gimli's message.
        message: String,
    },
    /// A `cranelift_module::Module` refused a declaration or definition (the
    /// `module` feature, and object files, which are made through it).
    #[error("module, `{symbol}`: {message}")]
    Module {
        /// The symbol being declared or defined.
        symbol: String,
        /// Cranelift's message.
        message: String,
    },
    /// Writing an object file failed.
    #[error("object file{}: {message}", symbol.as_ref().map(|s| format!(", `{s}`")).unwrap_or_default())]
    Object {
        /// The symbol being declared or defined, if the failure concerns one.
        symbol: Option<String>,
        /// Cranelift's message.
        message: String,
    },
}

/// Why a runtime's IR values cannot make or receive a C call (the `module` feature's
/// inline calls and C-callable functions). IR types are given as their CLIF names.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InlineError {
    /// An argument value has another IR type than its C parameter needs (a scalar
    /// its natural type, a struct a pointer to its bytes).
    #[error("argument {index} of `{signature}` is an IR {found}; it must be an IR {expected}")]
    ArgumentType {
        /// The C signature.
        signature: Signature,
        /// Zero-based argument index.
        index: usize,
        /// The IR type it must have.
        expected: String,
        /// The IR type it has.
        found: String,
    },
    /// The signature returns a struct and no place for its bytes was given.
    #[error("`{signature}` returns a struct: give a pointer to memory for its bytes")]
    NoResultPlace {
        /// The C signature.
        signature: Signature,
    },
    /// The result place, or a scalar result value, has the wrong IR type.
    #[error("the result of `{signature}` is an IR {found}; it must be an IR {expected}")]
    ResultType {
        /// The C signature.
        signature: Signature,
        /// The IR type it must have.
        expected: String,
        /// The IR type given (`none` when a value is missing).
        found: String,
    },
    /// A callee function reference whose Cranelift signature is not the C signature's
    /// lowering (declare it with the signature `c_signature` gives).
    #[error("the callee of `{signature}` is declared as `{found}`; its lowering is `{expected}`")]
    CalleeSignature {
        /// The C signature.
        signature: Signature,
        /// The lowered Cranelift signature, as CLIF.
        expected: String,
        /// The callee's declared signature, as CLIF.
        found: String,
    },
    /// The incoming parameters of a C-callable function are not its lowered
    /// signature's.
    #[error("`{signature}` lowers to the parameters ({expected}), the function has ({found})")]
    Params {
        /// The C signature.
        signature: Signature,
        /// The lowered parameter types, as CLIF.
        expected: String,
        /// The given parameter types, as CLIF.
        found: String,
    },
    /// A variadic call whose convention needs a call shim, in a module whose ISA
    /// does not reserve the pinned register the shim takes the callee in.
    #[error(
        "`{signature}` calls through the `{shim}` shim: the module's ISA needs enable_pinned_reg"
    )]
    NeedsPinnedRegister {
        /// The C signature.
        signature: Signature,
        /// The shim's name.
        shim: String,
    },
}
