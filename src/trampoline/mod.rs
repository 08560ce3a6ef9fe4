//! Trampoline kinds: one short IR builder per kind.
//!
//! Each builder asks the [ABI layer](crate::abi) how every value travels and hands the
//! moving of values to the one movement core (`moves.rs`), with the source and sink of
//! its layout (the [array layout](crate::array), or a fast call's entry); it encodes no
//! register or extension rule itself.

pub mod boundary;
pub mod callback;
pub mod downcall;
pub mod fastcall;
mod moves;

use crate::abi::Target;
use cranelift_codegen::ir::{
    self, AbiParam, ExternalName, GlobalValueData, InstBuilder, UserExternalName,
};
use cranelift_frontend::FunctionBuilder;
use std::fmt;

/// The kinds of trampoline springboard builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Array-to-native: calls a C function with arguments taken from an array.
    Downcall,
    /// Native-to-array: a C function that hands its arguments, as an array, to a host
    /// handler.
    Callback,
    /// A V8 Fast API shaped entry into a C function (see [`fastcall`]).
    FastCall,
    /// Host → runtime code, recording the entry SP/FP (see [`boundary`]).
    Entry,
    /// Runtime code → host, recording the exit FP/PC (see [`boundary`]).
    Exit,
}

impl Kind {
    /// Every kind, in the order the CLI lists them.
    pub const ALL: [Kind; 5] = [
        Kind::Downcall,
        Kind::Callback,
        Kind::FastCall,
        Kind::Entry,
        Kind::Exit,
    ];

    /// The kind's name on the command line and in fixture paths.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Downcall => "downcall",
            Kind::Callback => "callback",
            Kind::FastCall => "fastcall",
            Kind::Entry => "entry",
            Kind::Exit => "exit",
        }
    }

    /// Looks a kind up by name.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The signature of a trampoline that runtimes call: `count` pointer-sized parameters
/// and no result, in the target's C convention.
fn runtime_facing_signature(target: &Target, count: usize) -> ir::Signature {
    let mut sig = ir::Signature::new(target.c_abi().call_conv());
    let pointer = AbiParam::new(target.pointer_type());
    sig.params.extend(std::iter::repeat_n(pointer, count));
    sig
}

/// What to compile: a trampoline kind and everything it is specialised on (the cache
/// key).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Trampoline {
    /// A downcall for this C signature.
    Downcall(crate::signature::Signature),
    /// A callback with this C signature.
    Callback(crate::signature::Signature),
    /// A fast call.
    FastCall(fastcall::FastCall),
    /// An entry boundary (array shape: an entry-recording downcall).
    Entry(boundary::Boundary),
    /// An exit boundary (array shape: an exit-recording callback).
    Exit(boundary::Boundary),
}

/// The callee a fast call made from a bare signature calls: a recognisable address
/// for listings and fixtures, never called.
pub const PLACEHOLDER_CALLEE: u64 = 0x0123_4567_89ab_cdef;

impl Trampoline {
    /// The trampoline of `kind` for `signature`, with the defaults of its kind (a fast
    /// call: every parameter a value, an options pointer, a direct result, and
    /// [`PLACEHOLDER_CALLEE`]; an entry or exit: array shaped, with
    /// [`boundary::Bookkeeping::standard`] on the first `ptr` parameter).
    pub fn new(
        kind: Kind,
        signature: crate::signature::Signature,
    ) -> Result<Trampoline, crate::error::Error> {
        Ok(match kind {
            Kind::Downcall => Trampoline::Downcall(signature),
            Kind::Callback => Trampoline::Callback(signature),
            Kind::FastCall => {
                Trampoline::FastCall(fastcall::FastCall::new(signature, PLACEHOLDER_CALLEE))
            }
            Kind::Entry => Trampoline::Entry(boundary::Boundary::standard(signature)?),
            Kind::Exit => Trampoline::Exit(boundary::Boundary::standard(signature)?),
        })
    }

    /// The kind.
    pub fn kind(&self) -> Kind {
        match self {
            Trampoline::Downcall(_) => Kind::Downcall,
            Trampoline::Callback(_) => Kind::Callback,
            Trampoline::FastCall(_) => Kind::FastCall,
            Trampoline::Entry(_) => Kind::Entry,
            Trampoline::Exit(_) => Kind::Exit,
        }
    }

    /// The C signature it is built for.
    pub fn signature(&self) -> &crate::signature::Signature {
        match self {
            Trampoline::Downcall(signature) | Trampoline::Callback(signature) => signature,
            Trampoline::FastCall(fast) => &fast.target,
            Trampoline::Entry(boundary) | Trampoline::Exit(boundary) => &boundary.signature,
        }
    }

    /// The names of its symbol callees, in the order of their indices in
    /// [`CALLEE_NAMESPACE`] (a fast call: the callee, then each converter and raise
    /// hook in parameter order; a native boundary: its callee).
    pub fn callee_symbols(&self) -> Vec<&str> {
        let callees: Vec<&Callee> = match self {
            Trampoline::FastCall(fast) => fast.callees(),
            Trampoline::Entry(boundary) | Trampoline::Exit(boundary) => match &boundary.shape {
                boundary::BoundaryShape::Native { callee } => vec![callee],
                boundary::BoundaryShape::Array => Vec::new(),
            },
            Trampoline::Downcall(_) | Trampoline::Callback(_) => Vec::new(),
        };
        callees
            .into_iter()
            .map(|callee| match callee {
                Callee::Symbol(name) => name.as_str(),
                Callee::Address(_) => "",
            })
            .collect()
    }

    /// Builds its IR into `func`.
    pub fn build(
        &self,
        func: &mut ir::Function,
        builder_context: &mut cranelift_frontend::FunctionBuilderContext,
        target: &Target,
    ) -> Result<(), crate::error::Error> {
        match self {
            Trampoline::Downcall(signature) => {
                downcall::build(func, builder_context, signature, target, None)
            }
            Trampoline::Callback(signature) => {
                callback::build(func, builder_context, signature, target, None)
            }
            Trampoline::FastCall(fast) => fastcall::build(func, builder_context, fast, target),
            Trampoline::Entry(entry) => match &entry.shape {
                boundary::BoundaryShape::Array => {
                    entry.validate()?;
                    let bookkeeping = Some(&entry.bookkeeping);
                    downcall::build(func, builder_context, &entry.signature, target, bookkeeping)
                }
                boundary::BoundaryShape::Native { .. } => boundary::build_native(
                    func,
                    builder_context,
                    entry,
                    boundary::Side::Entry,
                    target,
                ),
            },
            Trampoline::Exit(exit) => match &exit.shape {
                boundary::BoundaryShape::Array => {
                    exit.validate()?;
                    let bookkeeping = Some(&exit.bookkeeping);
                    callback::build(func, builder_context, &exit.signature, target, bookkeeping)
                }
                boundary::BoundaryShape::Native { .. } => boundary::build_native(
                    func,
                    builder_context,
                    exit,
                    boundary::Side::Exit,
                    target,
                ),
            },
        }
    }
}

/// A borrowed [`Trampoline`], for cache lookups that do not clone the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TrampolineRef<'a> {
    /// See [`Trampoline::Downcall`].
    Downcall(&'a crate::signature::Signature),
    /// See [`Trampoline::Callback`].
    Callback(&'a crate::signature::Signature),
    /// See [`Trampoline::FastCall`].
    FastCall(&'a fastcall::FastCall),
    /// See [`Trampoline::Entry`].
    Entry(&'a boundary::Boundary),
    /// See [`Trampoline::Exit`].
    Exit(&'a boundary::Boundary),
}

impl Trampoline {
    /// The borrowed form.
    pub fn as_ref(&self) -> TrampolineRef<'_> {
        match self {
            Trampoline::Downcall(signature) => TrampolineRef::Downcall(signature),
            Trampoline::Callback(signature) => TrampolineRef::Callback(signature),
            Trampoline::FastCall(fast) => TrampolineRef::FastCall(fast),
            Trampoline::Entry(boundary) => TrampolineRef::Entry(boundary),
            Trampoline::Exit(boundary) => TrampolineRef::Exit(boundary),
        }
    }
}

impl TrampolineRef<'_> {
    /// The owned form.
    pub fn to_trampoline(self) -> Trampoline {
        match self {
            TrampolineRef::Downcall(signature) => Trampoline::Downcall(signature.clone()),
            TrampolineRef::Callback(signature) => Trampoline::Callback(signature.clone()),
            TrampolineRef::FastCall(fast) => Trampoline::FastCall(fast.clone()),
            TrampolineRef::Entry(boundary) => Trampoline::Entry(boundary.clone()),
            TrampolineRef::Exit(boundary) => Trampoline::Exit(boundary.clone()),
        }
    }
}

impl fmt::Display for Trampoline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} `{}`", self.kind(), self.signature())
    }
}

/// Starts `builder`'s function: its entry block, sealed and current; returns the
/// function's parameters.
fn entry_block(builder: &mut FunctionBuilder) -> Vec<ir::Value> {
    let block = builder.create_block();
    builder.append_block_params_for_function_params(block);
    builder.switch_to_block(block);
    builder.seal_block(block);
    builder.block_params(block).to_vec()
}

/// A C function a trampoline calls: an address in this process (host JIT), or a named
/// symbol the linker resolves (object files).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Callee {
    /// An absolute address, baked into the code.
    Address(u64),
    /// A symbol name, referenced through a relocation.
    Symbol(String),
}

impl From<u64> for Callee {
    fn from(address: u64) -> Callee {
        Callee::Address(address)
    }
}

impl From<&str> for Callee {
    fn from(symbol: &str) -> Callee {
        Callee::Symbol(symbol.to_string())
    }
}

/// The namespace of callee symbols in a trampoline's user external names; the index
/// is the symbol's position in [`Trampoline::callee_symbols`].
pub const CALLEE_NAMESPACE: u32 = 0x5c;

/// Emits a call of `callee` with `signature` and `args`; returns the call.
fn call_callee(
    builder: &mut FunctionBuilder,
    callee: &Callee,
    symbol_index: u32,
    signature: ir::Signature,
    args: &[ir::Value],
    pointer: ir::Type,
) -> ir::Inst {
    let sig = builder.import_signature(signature);
    match callee {
        Callee::Address(address) => {
            let function = builder.ins().iconst(pointer, *address as i64);
            builder.ins().call_indirect(sig, function, args)
        }
        Callee::Symbol(_) => {
            let name = builder
                .func
                .declare_imported_user_function(UserExternalName {
                    namespace: CALLEE_NAMESPACE,
                    index: symbol_index,
                });
            let function = builder.import_function(ir::ExtFuncData {
                name: ExternalName::User(name),
                signature: sig,
                colocated: false,
                patchable: false,
            });
            builder.ins().call(function, args)
        }
    }
}

/// The symbol a trampoline's data entry is reached through: an 8-byte absolute
/// address (one relocation) that each instance of the code resolves to its own entry.
pub const DATA_SYMBOL: UserExternalName = UserExternalName {
    namespace: 0x5b,
    index: 0,
};

/// Emits the address of the trampoline's data entry.
fn data_entry_address(builder: &mut FunctionBuilder, pointer: ir::Type) -> ir::Value {
    let name = builder.func.declare_imported_user_function(DATA_SYMBOL);
    let symbol = builder.create_global_value(GlobalValueData::Symbol {
        name: ExternalName::User(name),
        offset: 0.into(),
        colocated: false,
        tls: false,
    });
    builder.ins().symbol_value(pointer, symbol)
}
