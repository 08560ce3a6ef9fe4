//! Trampoline kinds: one short IR builder per kind.
//!
//! Each builder asks the [ABI layer](crate::abi) how every value travels and uses the
//! [array layout](crate::array) helpers to move values between the array and IR; it
//! encodes no register or extension rule itself.

pub mod downcall;

use crate::abi::Target;
use cranelift_codegen::ir::{self, AbiParam};
use std::fmt;

/// The kinds of trampoline springboard builds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Array-to-native: calls a C function with arguments taken from an array.
    Downcall,
}

impl Kind {
    /// Every kind, in the order the CLI lists them.
    pub const ALL: [Kind; 1] = [Kind::Downcall];

    /// The kind's name on the command line and in fixture paths.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Downcall => "downcall",
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
    }
}
