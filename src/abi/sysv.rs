//! System V AMD64 psABI (version 1.0): struct classification, §3.2.3 "Parameter
//! Passing" and "Returning of Values".

use super::{flattened, integer_parts, AggregateArg, AggregateResult, RegisterFile};
use crate::types::{ScalarClass, Type};
use cranelift_codegen::ir::{self, types};

/// The class of one eightbyte (§3.2.3; we have no X87, SSEUP or COMPLEX_X87 types).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Integer,
    Sse,
}

/// Classifies a struct into eightbyte parts `(offset, size, carrier)`, or `None` for
/// class MEMORY.
fn classify(ty: &Type) -> Option<Vec<(u32, u32, ir::Type)>> {
    let size = ty.size();
    // §3.2.3 rule 1: an object larger than two eightbytes (and not an __m256/__m512
    // vector, which C scalars here never are) has class MEMORY. Unaligned fields, the
    // other MEMORY case, cannot occur: our layouts align every field naturally.
    if size > 16 {
        return None;
    }
    // Rule 4: each eightbyte is classified from the fields in it; fields are classified
    // recursively (nested structs and arrays flattened). Merge (rule 4.c-e): INTEGER
    // if any field is INTEGER, else SSE. A padding-only eightbyte cannot occur in a
    // struct of at most 16 bytes whose alignment is at most 8.
    let mut classes = [None::<Class>; 2];
    for (offset, class) in flattened(ty) {
        let class = match class {
            ScalarClass::Integer { .. } => Class::Integer,
            ScalarClass::Float { .. } => Class::Sse,
        };
        let slot = &mut classes[offset / 8];
        *slot = Some(match *slot {
            Some(Class::Integer) => Class::Integer,
            _ => class,
        });
    }
    let parts = classes
        .iter()
        .take(size.div_ceil(8))
        .enumerate()
        .map(|(i, class)| {
            let offset = i * 8;
            let bytes = (size - offset).min(8);
            // INTEGER eightbytes travel in a general register, SSE ones in the low 4
            // or 8 bytes of a vector register (two f32 share one: an f64 carrier).
            let carrier = match class.expect("every eightbyte holds a field") {
                Class::Integer => types::I64,
                Class::Sse if bytes <= 4 => types::F32,
                Class::Sse => types::F64,
            };
            (offset as u32, bytes as u32, carrier)
        })
        .collect();
    Some(parts)
}

/// §3.2.3 "Parameter Passing": a struct whose eightbytes all find a free register of
/// their class goes in registers; "if there are no registers available for any
/// eightbyte of an argument, the whole argument is passed on the stack", and the
/// registers stay free for later arguments. MEMORY-class structs go on the stack. On
/// the stack a struct occupies its size rounded up to eightbytes, 8-byte aligned
/// (no type here needs 16), so it travels as consecutive 8-byte integer slots.
pub(super) fn argument(ty: &Type, registers: &mut RegisterFile) -> AggregateArg {
    if let Some(parts) = classify(ty) {
        let ints = parts.iter().filter(|p| p.2 == types::I64).count() as u8;
        let floats = parts.len() as u8 - ints;
        if registers.take_all(ints, floats) {
            return AggregateArg::Registers(parts);
        }
    }
    AggregateArg::Stack(integer_parts(ty.size()))
}

/// §3.2.3 "Returning of Values": INTEGER eightbytes in rax then rdx, SSE ones in xmm0
/// then xmm1 (Cranelift assigns return values of each class in order, which is this
/// rule); MEMORY-class structs through a hidden pointer passed in rdi and returned in
/// rax.
pub(super) fn result(ty: &Type) -> AggregateResult {
    match classify(ty) {
        Some(parts) => AggregateResult::Registers(parts),
        None => AggregateResult::Indirect,
    }
}
