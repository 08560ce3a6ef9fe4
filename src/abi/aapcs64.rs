//! AAPCS64 (Arm IHI 0055, 2023Q3) and Apple's arm64 variant: composite types, §5.9
//! (HFAs), §6.8.2 "Parameter passing rules" and §6.9 "Result return".

use super::{flattened, integer_parts, AggregateArg, AggregateResult, RegisterFile};
use crate::types::{ScalarClass, Type};
use cranelift_codegen::ir::{self, types};

/// §5.9.5: a Homogeneous Floating-point Aggregate has one to four members, all of the
/// same floating-point type once nested aggregates and arrays are flattened. Returns
/// the member type and count.
fn hfa(ty: &Type) -> Option<(ir::Type, u8)> {
    let scalars = flattened(ty);
    let first = match scalars.first()?.1 {
        ScalarClass::Float { bytes: 4 } => types::F32,
        ScalarClass::Float { .. } => types::F64,
        ScalarClass::Integer { .. } => return None,
    };
    let bytes = first.bytes() as u8;
    let homogeneous = scalars
        .iter()
        .all(|(_, class)| *class == ScalarClass::Float { bytes });
    (homogeneous && scalars.len() <= 4).then_some((first, scalars.len() as u8))
}

/// The HFA's members as parts `(offset, size, carrier)`.
fn hfa_members(ty: &Type) -> Vec<(u32, u32, ir::Type)> {
    flattened(ty)
        .into_iter()
        .map(|(offset, class)| match class {
            ScalarClass::Float { bytes: 4 } => (offset as u32, 4, types::F32),
            _ => (offset as u32, 8, types::F64),
        })
        .collect()
}

/// §6.8.2, for a composite argument:
/// - B.3/C.2: an HFA goes in consecutive SIMD/FP registers, one member each, if enough
///   are free; otherwise (C.3) NSRN is set to 8 and the HFA goes on the stack (C.4-C.5:
///   at an 8-byte aligned address, size rounded up to 8; Apple: each member at its
///   natural alignment, unpadded).
/// - B.4: a composite larger than 16 bytes is replaced by a pointer to a copy made by
///   the caller, which then travels as an integer argument.
/// - C.12: a composite of at most 16 bytes goes in one or two consecutive general
///   registers if enough are free (C.10's rounding of NGRN to even applies only to
///   16-byte aligned composites, which no C type here has); otherwise (C.13) NGRN is
///   set to 8 and the composite goes on the stack in 8-byte units.
///
/// "Set to 8" matters: later arguments of that class must not use the skipped
/// registers either, so the register file is exhausted.
pub(super) fn argument(ty: &Type, registers: &mut RegisterFile, apple: bool) -> AggregateArg {
    if let Some((member, count)) = hfa(ty) {
        let members = hfa_members(ty);
        if registers.take_all(0, count) {
            return AggregateArg::Registers(members);
        }
        registers.exhaust_float();
        return AggregateArg::Stack(if apple {
            members
        } else {
            stack_chunks_of_floats(ty.size(), member)
        });
    }
    if ty.size() > 16 {
        let location = registers.take(ScalarClass::Integer {
            bytes: 8,
            signed: false,
        });
        return AggregateArg::ByReference { location };
    }
    let parts = integer_parts(ty.size());
    if registers.take_all(parts.len() as u8, 0) {
        return AggregateArg::Registers(parts);
    }
    registers.exhaust_int();
    AggregateArg::Stack(parts)
}

/// An HFA on the AAPCS64 stack occupies its size rounded up to 8 at an 8-byte aligned
/// address. Cranelift gives each stack argument its own 8-byte slot there, so the HFA
/// travels in 8-byte float chunks (two `f32` members share an `f64` carrier) and a
/// trailing 4-byte `f32`.
fn stack_chunks_of_floats(size: usize, member: ir::Type) -> Vec<(u32, u32, ir::Type)> {
    (0..size.div_ceil(8))
        .map(|i| {
            let offset = i * 8;
            let bytes = (size - offset).min(8);
            let carrier = if bytes == 8 { types::F64 } else { member };
            (offset as u32, bytes as u32, carrier)
        })
        .collect()
}

/// §6.9: an HFA is returned in v0-v3, one member each; any other composite of at most
/// 16 bytes in x0 and x1 (as if it were the first argument); a larger one in memory
/// whose address the caller passes in x8 (the indirect result location register).
pub(super) fn result(ty: &Type) -> AggregateResult {
    if hfa(ty).is_some() {
        AggregateResult::Registers(hfa_members(ty))
    } else if ty.size() <= 16 {
        AggregateResult::Registers(integer_parts(ty.size()))
    } else {
        AggregateResult::Indirect
    }
}
