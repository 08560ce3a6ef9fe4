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
pub mod generic;
pub(crate) mod moves;

use crate::abi::Target;
use cranelift_codegen::ir::{
    self, AbiParam, ExternalName, GlobalValueData, InstBuilder, UserExternalName,
};
use cranelift_frontend::FunctionBuilder;
use std::fmt;

/// How a downcall or callback trampoline lays its arguments out for the runtime.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ArgLayout {
    /// The [array layout](crate::array): argument `i` in slot `i` (a struct, or a
    /// 128-bit integer, as a pointer to its bytes).
    #[default]
    Slots,
    /// libffi's layout (`ffi_call`'s `avalue`, a closure's `args`): element `i` of
    /// an array of pointers points to argument `i`'s value, whatever its type, in C
    /// layout with its C alignment. The result place is the array layout's (integral
    /// results widened to 8 bytes by their signedness), a struct result's place only
    /// aligned as its type.
    Pointers,
}

/// The kinds of trampoline springboard builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Array-to-native: calls a C function with arguments taken from an array.
    Downcall,
    /// Native-to-array: a C function that hands its arguments, as an array, to a host
    /// handler.
    Callback,
    /// A V8 Fast API shaped entry into a C function (see [`FastCall`](crate::FastCall)).
    FastCall,
    /// Host → runtime code, recording the entry SP/FP (see [`Boundary`](crate::Boundary)).
    Entry,
    /// Runtime code → host, recording the exit FP/PC (see [`Boundary`](crate::Boundary)).
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

/// What to compile: a trampoline kind and everything it is specialised on. The
/// engine caches trampolines by request; object files hold one per item.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Request {
    /// A downcall for this C signature.
    Downcall(crate::signature::Signature),
    /// A downcall for this C signature that copies the thread's error number to or
    /// from a place the runtime passes (see [`ErrnoMode`](crate::ErrnoMode)); of kind
    /// [`Kind::Downcall`].
    ErrnoDowncall(crate::signature::Signature, crate::abi::ErrnoMode),
    /// A callback with this C signature.
    Callback(crate::signature::Signature),
    /// A context-binding callback with this C signature: it calls
    /// `handler(context, args...)` with the C arguments unchanged and returns the
    /// handler's result (see
    /// [`Engine::callback_bound`](crate::Engine::callback_bound)); of kind
    /// [`Kind::Callback`].
    BoundCallback(crate::signature::Signature),
    /// A downcall for this C signature that reads its arguments in libffi's layout
    /// ([`ArgLayout::Pointers`]): `ffi_call`'s `avalue` as it is; of kind
    /// [`Kind::Downcall`].
    PointerDowncall(crate::signature::Signature),
    /// A callback with this C signature that hands its handler the arguments in
    /// libffi's layout ([`ArgLayout::Pointers`]), as a closure's `args`; of kind
    /// [`Kind::Callback`].
    PointerCallback(crate::signature::Signature),
    /// A fast call.
    FastCall(fastcall::FastCall),
    /// An entry boundary (array shape: an entry-recording downcall).
    Entry(boundary::Boundary),
    /// An exit boundary (array shape: an exit-recording callback).
    Exit(boundary::Boundary),
}

impl Callee {
    /// [`PLACEHOLDER_CALLEE`] as a callee.
    pub const PLACEHOLDER: Callee = Callee::Address(PLACEHOLDER_CALLEE);
}

/// The callee a fast call made from a bare signature calls: a recognisable address
/// for listings and fixtures, never called.
pub const PLACEHOLDER_CALLEE: u64 = 0x0123_4567_89ab_cdef;

impl Request {
    /// The request of `kind` for `signature`, with the defaults of its kind (a fast
    /// call: every parameter a value, an options pointer, a direct result, and
    /// [`PLACEHOLDER_CALLEE`]; an entry or exit: array shaped, with
    /// [`boundary::Bookkeeping::standard`] on the first `ptr` parameter).
    pub fn new(
        kind: Kind,
        signature: crate::signature::Signature,
    ) -> Result<Request, crate::error::Error> {
        Ok(match kind {
            Kind::Downcall => Request::Downcall(signature),
            Kind::Callback => Request::Callback(signature),
            Kind::FastCall => {
                Request::FastCall(fastcall::FastCall::new(signature, PLACEHOLDER_CALLEE))
            }
            Kind::Entry => Request::Entry(boundary::Boundary::standard(signature)?),
            Kind::Exit => Request::Exit(boundary::Boundary::standard(signature)?),
        })
    }

    /// The kind.
    pub fn kind(&self) -> Kind {
        match self {
            Request::Downcall(_) | Request::ErrnoDowncall(..) | Request::PointerDowncall(_) => {
                Kind::Downcall
            }
            Request::Callback(_) | Request::BoundCallback(_) | Request::PointerCallback(_) => {
                Kind::Callback
            }
            Request::FastCall(_) => Kind::FastCall,
            Request::Entry(_) => Kind::Entry,
            Request::Exit(_) => Kind::Exit,
        }
    }

    /// The C signature it is built for.
    pub fn signature(&self) -> &crate::signature::Signature {
        match self {
            Request::Downcall(signature)
            | Request::Callback(signature)
            | Request::BoundCallback(signature)
            | Request::PointerDowncall(signature)
            | Request::PointerCallback(signature)
            | Request::ErrnoDowncall(signature, _) => signature,
            Request::FastCall(fast) => fast.target(),
            Request::Entry(boundary) | Request::Exit(boundary) => boundary.signature(),
        }
    }

    /// The names of its symbol callees, in the order of their indices in
    /// [`CALLEE_NAMESPACE`] (a fast call: the callee, then each converter and raise
    /// hook in parameter order; a native boundary: its callee).
    pub(crate) fn callee_symbols(&self) -> Vec<&str> {
        let callees: Vec<&Callee> = match self {
            Request::FastCall(fast) => fast.callees(),
            Request::Entry(boundary) | Request::Exit(boundary) => match boundary {
                boundary::Boundary::Native(native) => vec![native.callee()],
                boundary::Boundary::Array(_) => Vec::new(),
            },
            Request::Downcall(_)
            | Request::Callback(_)
            | Request::BoundCallback(_)
            | Request::PointerDowncall(_)
            | Request::PointerCallback(_)
            | Request::ErrnoDowncall(..) => Vec::new(),
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
    pub(crate) fn build(
        &self,
        func: &mut ir::Function,
        builder_context: &mut cranelift_frontend::FunctionBuilderContext,
        target: &Target,
    ) -> Result<(), crate::error::Error> {
        use boundary::{Boundary, Side};
        use downcall::Options;
        let plain = Options::default();
        match self {
            Request::Downcall(signature) => {
                downcall::build(func, builder_context, signature, target, plain)
            }
            Request::PointerDowncall(signature) => {
                let options = Options {
                    layout: ArgLayout::Pointers,
                    ..plain
                };
                downcall::build(func, builder_context, signature, target, options)
            }
            Request::ErrnoDowncall(signature, mode) => {
                let options = Options {
                    errno: Some(*mode),
                    ..plain
                };
                downcall::build(func, builder_context, signature, target, options)
            }
            Request::Callback(signature) => {
                callback::build(func, builder_context, signature, target, None, ArgLayout::Slots)
            }
            Request::PointerCallback(signature) => {
                let layout = ArgLayout::Pointers;
                callback::build(func, builder_context, signature, target, None, layout)
            }
            Request::BoundCallback(signature) => {
                callback::build_bound(func, builder_context, signature, target)
            }
            Request::FastCall(fast) => fastcall::build(func, builder_context, fast, target),
            Request::Entry(Boundary::Array(entry)) => {
                let options = Options {
                    entry: Some(entry.bookkeeping()),
                    ..plain
                };
                downcall::build(func, builder_context, entry.signature(), target, options)
            }
            Request::Exit(Boundary::Array(exit)) => {
                let bookkeeping = Some(exit.bookkeeping());
                let layout = ArgLayout::Slots;
                callback::build(func, builder_context, exit.signature(), target, bookkeeping, layout)
            }
            Request::Entry(Boundary::Native(entry)) => {
                boundary::build_native(func, builder_context, entry, Side::Entry, target)
            }
            Request::Exit(Boundary::Native(exit)) => {
                boundary::build_native(func, builder_context, exit, Side::Exit, target)
            }
        }
    }
}

/// A borrowed [`Request`], for cache lookups that do not clone the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum RequestRef<'a> {
    /// See [`Request::Downcall`].
    Downcall(&'a crate::signature::Signature),
    /// See [`Request::ErrnoDowncall`].
    ErrnoDowncall(&'a crate::signature::Signature, crate::abi::ErrnoMode),
    /// See [`Request::Callback`].
    Callback(&'a crate::signature::Signature),
    /// See [`Request::BoundCallback`].
    BoundCallback(&'a crate::signature::Signature),
    /// See [`Request::PointerDowncall`].
    PointerDowncall(&'a crate::signature::Signature),
    /// See [`Request::PointerCallback`].
    PointerCallback(&'a crate::signature::Signature),
    /// See [`Request::FastCall`].
    FastCall(&'a fastcall::FastCall),
    /// See [`Request::Entry`].
    Entry(boundary::BoundaryRef<'a>),
    /// See [`Request::Exit`].
    Exit(boundary::BoundaryRef<'a>),
}

impl Request {
    /// The borrowed form.
    pub(crate) fn as_ref(&self) -> RequestRef<'_> {
        match self {
            Request::Downcall(signature) => RequestRef::Downcall(signature),
            Request::ErrnoDowncall(signature, mode) => RequestRef::ErrnoDowncall(signature, *mode),
            Request::Callback(signature) => RequestRef::Callback(signature),
            Request::BoundCallback(signature) => RequestRef::BoundCallback(signature),
            Request::PointerDowncall(signature) => RequestRef::PointerDowncall(signature),
            Request::PointerCallback(signature) => RequestRef::PointerCallback(signature),
            Request::FastCall(fast) => RequestRef::FastCall(fast),
            Request::Entry(boundary) => RequestRef::Entry(boundary.as_ref()),
            Request::Exit(boundary) => RequestRef::Exit(boundary.as_ref()),
        }
    }
}

impl RequestRef<'_> {
    /// The owned form.
    pub(crate) fn to_request(self) -> Request {
        match self {
            RequestRef::Downcall(signature) => Request::Downcall(signature.clone()),
            RequestRef::ErrnoDowncall(signature, mode) => {
                Request::ErrnoDowncall(signature.clone(), mode)
            }
            RequestRef::Callback(signature) => Request::Callback(signature.clone()),
            RequestRef::BoundCallback(signature) => Request::BoundCallback(signature.clone()),
            RequestRef::PointerDowncall(signature) => Request::PointerDowncall(signature.clone()),
            RequestRef::PointerCallback(signature) => Request::PointerCallback(signature.clone()),
            RequestRef::FastCall(fast) => Request::FastCall(fast.clone()),
            RequestRef::Entry(boundary) => Request::Entry(boundary.to_boundary()),
            RequestRef::Exit(boundary) => Request::Exit(boundary.to_boundary()),
        }
    }
}

impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} `{}`", self.kind(), self.signature())?;
        match self {
            Request::ErrnoDowncall(_, mode) => write!(f, " with errno {mode}"),
            Request::BoundCallback(_) => write!(f, " bound to a context"),
            Request::PointerDowncall(_) | Request::PointerCallback(_) => {
                f.write_str(" with a pointer array")
            }
            _ => Ok(()),
        }
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
/// is the symbol's position in [`Request::callee_symbols`].
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

/// Emits a call of `callee` through `shim` (see [`crate::abi::shim`]): the pinned
/// register, saved before and restored after, holds the callee during the call.
fn call_through_shim(
    builder: &mut FunctionBuilder,
    shim: crate::abi::Shim,
    signature: ir::Signature,
    callee: ir::Value,
    args: &[ir::Value],
) -> ir::Inst {
    let name = UserExternalName {
        namespace: crate::abi::shim::SHIM_NAMESPACE,
        index: shim.index(),
    };
    call_through_shim_named(builder, name, signature, callee, args)
}

/// [`call_through_shim`] with the shim as the user external name `name` (a module's
/// function, for code compiled in a runtime's own module).
pub(crate) fn call_through_shim_named(
    builder: &mut FunctionBuilder,
    name: UserExternalName,
    signature: ir::Signature,
    callee: ir::Value,
    args: &[ir::Value],
) -> ir::Inst {
    let pointer = builder.func.dfg.value_type(callee);
    let sig = builder.import_signature(signature);
    let name = builder.func.declare_imported_user_function(name);
    let function = builder.import_function(ir::ExtFuncData {
        name: ExternalName::User(name),
        signature: sig,
        colocated: false,
        patchable: false,
    });
    let saved = builder.ins().get_pinned_reg(pointer);
    builder.ins().set_pinned_reg(callee);
    let call = builder.ins().call(function, args);
    builder.ins().set_pinned_reg(saved);
    call
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
