//! The RISC-V ELF psABI (riscv-elf-psabi-doc, "RISC-V Calling Conventions"), LP64D:
//! XLEN = 64, FLEN = 64. Rules from its "Integer Calling Convention" and "Hardware
//! Floating-point Calling Convention" sections; variadic arguments (the only place
//! where register pairs must be aligned) are not supported.
//!
//! Cranelift 0.135.8 assigns `a0-a7` and `fa0-fa7` in parameter order and puts every
//! value that finds no register of its own class on the stack. That is the psABI for
//! everything except a float after `fa7`, which the psABI passes in a free integer
//! register: those floats are lowered as `i64` carriers holding their bits
//! ([`Extension::FloatBits`](super::Extension::FloatBits)), which is what gcc does.

use super::RegisterFile;
use super::{flattened, integer_parts, AggregateArg, AggregateResult, Extension, Location};
use crate::types::{ScalarClass, Type};
use cranelift_codegen::ir::{self, types};

const INTEGER: ScalarClass = ScalarClass::Integer {
    bytes: 8,
    signed: false,
};

/// "Integer Calling Convention": "When passed in registers or on the stack, integer
/// scalars narrower than XLEN bits are widened according to the sign of their type up
/// to 32 bits, then sign-extended to XLEN bits." So `i8`, `i16`, `i32` and `u32`
/// are sign-extended to 64 bits and `u8`, `u16` and `bool` zero-extended (a value
/// zero-extended to 32 bits has bit 31 clear). The same holds for results, which are
/// returned "in the same manner as a first named argument of the same type would be
/// passed".
pub(super) fn integer_extension(bytes: u8, signed: bool) -> Extension {
    if signed || bytes == 4 {
        Extension::Sign
    } else {
        Extension::Zero
    }
}

/// Where one scalar argument goes, and whether it is a float travelling as its bits in
/// an integer register.
///
/// - "Integer Calling Convention": "Scalars that are at most XLEN bits wide are passed
///   in a single argument register, or on the stack by value if none is available."
/// - "Hardware Floating-point Calling Convention": "A real floating-point argument is
///   passed in a floating-point argument register if it is no more than FLEN bits wide
///   and at least one floating-point argument register is available. Otherwise, it is
///   passed according to the integer calling convention": in the next free integer
///   register, else on the stack. In an integer register or stack slot an `f32` is
///   "widened to XLEN bits, with the upper bits undefined".
pub(super) fn scalar(class: ScalarClass, registers: &mut RegisterFile) -> (Location, bool) {
    match class {
        ScalarClass::Integer { .. } => (registers.take(class), false),
        ScalarClass::Float { .. } => {
            if registers.take(class) == Location::Register {
                (Location::Register, false)
            } else if registers.take(INTEGER) == Location::Register {
                (Location::Register, true)
            } else {
                (Location::Stack, false)
            }
        }
    }
}

/// "Hardware Floating-point Calling Convention": the struct, "with its hierarchy
/// flattened, including any array fields", qualifies for floating-point registers when
/// it is
/// - "a struct containing just one floating-point real" (passed "as though it were a
///   standalone floating-point real");
/// - "a struct containing two floating-point reals", in two `fa` registers;
/// - "a struct containing one floating-point real and one integer ..., in either
///   order", in one `fa` and one `a` register;
///
/// with every real at most FLEN (64) bits and every integer at most XLEN bits, which
/// all our scalars are. Returns its members `(offset, size, carrier)` in memory order,
/// or `None` when the integer calling convention applies.
fn float_members(ty: &Type) -> Option<Vec<(u32, u32, ir::Type)>> {
    let scalars = flattened(ty);
    let floats = scalars
        .iter()
        .filter(|(_, class)| matches!(class, ScalarClass::Float { .. }))
        .count();
    let qualifies = matches!((scalars.len(), floats), (1, 1) | (2, 2) | (2, 1));
    if !qualifies {
        return None;
    }
    let members = scalars
        .into_iter()
        .map(|(offset, class)| match class {
            ScalarClass::Float { bytes: 4 } => (offset as u32, 4, types::F32),
            ScalarClass::Float { .. } => (offset as u32, 8, types::F64),
            // The integer member travels in its own register; its bytes are the
            // struct's, read and written at their own width.
            ScalarClass::Integer { bytes, .. } => (offset as u32, u32::from(bytes), types::I64),
        })
        .collect();
    Some(members)
}

/// Float and integer registers `parts` need.
fn register_counts(parts: &[(u32, u32, ir::Type)]) -> (u8, u8) {
    let floats = parts.iter().filter(|p| p.2.is_float()).count() as u8;
    (parts.len() as u8 - floats, floats)
}

/// A struct argument:
/// - "Hardware Floating-point Calling Convention": a struct of one or two reals, or of
///   one real and one integer ([`float_members`]), goes in `fa` (and `a`) registers,
///   one member each, when all the registers it needs are free; "otherwise, it is
///   passed according to the integer calling convention" (and the registers it did not
///   take stay free for later arguments).
/// - "Integer Calling Convention": "Aggregates whose total size is no more than XLEN
///   bits are passed in a register ... If no register is available, the aggregate is
///   passed on the stack. Aggregates whose total size is no more than 2×XLEN bits are
///   passed in a pair of registers; if only one register is available, the first XLEN
///   bits are passed in a register and the remaining bits are passed on the stack. If
///   no registers are available, the aggregate is passed on the stack." The fields are
///   "laid out as though they were passed in memory", padding and bits past the end
///   undefined: 8-byte integer parts.
/// - "Aggregates larger than 2×XLEN bits are passed by reference and are replaced in
///   the argument list with the address", which then takes an integer register or a
///   stack slot like any pointer.
pub(super) fn argument(ty: &Type, registers: &mut RegisterFile) -> AggregateArg {
    if let Some(members) = float_members(ty) {
        let (ints, floats) = register_counts(&members);
        if registers.take_all(ints, floats) {
            return AggregateArg::Registers(members);
        }
    }
    if ty.size() > 16 {
        let location = registers.take(INTEGER);
        return AggregateArg::ByReference { location };
    }
    let mut parts = integer_parts(ty.size());
    if registers.take_all(parts.len() as u8, 0) {
        return AggregateArg::Registers(parts);
    }
    if parts.len() == 2 && registers.take_all(1, 0) {
        let stack = parts.split_off(1);
        return AggregateArg::Split {
            registers: parts,
            stack,
        };
    }
    AggregateArg::Stack(parts)
}

/// "Integer Calling Convention": "Values are returned in the same manner as a first
/// named argument of the same type would be passed. If such an argument would have
/// been passed by reference, the caller allocates memory for the return value, and
/// passes the address as an implicit first parameter." So a struct qualifying for
/// floating-point registers comes back in `fa0`/`fa1` (and `a0`), any other struct of
/// at most 16 bytes in `a0`/`a1`, and a larger one through a pointer passed in `a0`.
pub(super) fn result(ty: &Type) -> AggregateResult {
    if let Some(members) = float_members(ty) {
        AggregateResult::Registers(members)
    } else if ty.size() <= 16 {
        AggregateResult::Registers(integer_parts(ty.size()))
    } else {
        AggregateResult::Indirect
    }
}
