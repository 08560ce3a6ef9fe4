//! Trampoline kinds: one short IR builder per kind.
//!
//! Each builder asks the [ABI layer](crate::abi) how every value travels and uses the
//! [array layout](crate::array) helpers to move values between the array and IR; it
//! encodes no register or extension rule itself.

pub mod callback;
pub mod downcall;

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
}

impl Kind {
    /// Every kind, in the order the CLI lists them.
    pub const ALL: [Kind; 2] = [Kind::Downcall, Kind::Callback];

    /// The kind's name on the command line and in fixture paths.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Downcall => "downcall",
            Kind::Callback => "callback",
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

/// Builds the IR of a `kind` trampoline for `signature` into `func`.
pub fn build(
    kind: Kind,
    func: &mut ir::Function,
    builder_context: &mut cranelift_frontend::FunctionBuilderContext,
    signature: &crate::signature::Signature,
    target: &Target,
) -> Result<(), crate::error::Error> {
    match kind {
        Kind::Downcall => downcall::build(func, builder_context, signature, target),
        Kind::Callback => callback::build(func, builder_context, signature, target),
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
