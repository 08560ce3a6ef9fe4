//! Microsoft x64 calling convention: structs, from "Parameter passing" and "Return
//! values" in Microsoft's x64 ABI documentation.

use super::{AggregateArg, AggregateResult, Location, RegisterFile};
use crate::types::{ScalarClass, Type};
use cranelift_codegen::ir::types;

/// "Structs and unions of size 8, 16, 32, or 64 bits ... are passed as if they were
/// integers of the same size" (floats inside included: they travel in a general
/// register); "structs or unions of other sizes are passed as a pointer to memory
/// allocated by the caller", a copy the callee may modify. Either way the argument
/// takes one positional slot (a register among the first four, else an 8-byte stack
/// slot).
pub(super) fn argument(ty: &Type, registers: &mut RegisterFile) -> AggregateArg {
    let location = registers.take(ScalarClass::Integer {
        bytes: 8,
        signed: false,
    });
    match (integer_sized(ty), location) {
        (Some(size), Location::Register) => AggregateArg::Registers(vec![(0, size, types::I64)]),
        (Some(size), Location::Stack) => AggregateArg::Stack(vec![(0, size, types::I64)]),
        (None, location) => AggregateArg::ByReference { location },
    }
}

/// "User-defined types can be returned by value ... in RAX if [they have] a length of
/// 1, 2, 4, 8, 16, 32, or 64 bits"; otherwise "the caller must allocate memory for the
/// return value and pass a pointer to it as the first argument" (rcx), and the callee
/// returns that pointer in rax.
pub(super) fn result(ty: &Type) -> AggregateResult {
    match integer_sized(ty) {
        Some(size) => AggregateResult::Registers(vec![(0, size, types::I64)]),
        None => AggregateResult::Indirect,
    }
}

/// The struct's size when it is 1, 2, 4 or 8 bytes.
fn integer_sized(ty: &Type) -> Option<u32> {
    matches!(ty.size(), 1 | 2 | 4 | 8).then_some(ty.size() as u32)
}
