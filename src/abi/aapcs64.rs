//! AAPCS64 (Arm IHI 0055, 2023Q3), the Procedure Call Standard for the Arm 64-bit
//! architecture as Linux uses it: §5.9 (HFAs), §6.8.2 "Parameter passing rules" and
//! §6.9 "Result return". Apple's variant (`apple.rs`) reuses these rules where it
//! does not differ.

use super::hooks::{flattened, float_part, integer_parts, quad_part, wide_halves, Part};
use super::hooks::{AggregateArg, AggregateResult, Carrier, Hooks, RegisterFile};
use super::hooks::{ResultPointer, INTEGER};
use super::Location;
use crate::types::{ScalarClass, Type};
use cranelift_codegen::ir::{self, types};
use cranelift_codegen::isa::CallConv;
use target_lexicon::{Aarch64Architecture, Architecture};

/// The AAPCS64 convention's hooks. Scalar results come back in `x0` or `v0` (§6.9),
/// where Cranelift's `SystemV` puts them on aarch64.
///
/// Rules the [`Hooks`] defaults already implement for this convention:
/// - `page_size_log2`: 4 KiB pages.
/// - `scalar`: §6.8.2 C.1/C.9: a floating-point scalar takes the next SIMD/FP register, an integer
///   the next general register; without one (C.4-C.6, C.14-C.16) it goes on the stack.
/// - `variadic_scalar`: §6.8.2 makes no difference between named and variadic arguments: a
///   variadic scalar takes the next register of its class or the stack like a fixed one
///   (Appendix B's `va_list` then reads the saved `x` and `v` registers and the stack area in
///   that same order).
/// - `variadic_struct`: §6.8.2: a variadic composite (an HFA included) is placed like a fixed one.
pub(super) struct Aapcs64;

impl Hooks for Aapcs64 {
    fn call_conv(&self) -> CallConv {
        CallConv::SystemV
    }

    fn architecture(&self) -> Architecture {
        Architecture::Aarch64(Aarch64Architecture::Aarch64)
    }

    /// §6.8.2 stages B-C: eight general registers `x0..x7` (NGRN < 8) and eight
    /// SIMD/FP registers `v0..v7` (NSRN < 8), taken independently.
    fn registers(&self) -> RegisterFile {
        RegisterFile::separate(8, 8)
    }

    /// §6.9: a result comes back in the registers that would carry it as the first
    /// argument: a composite of up to 16 bytes in `x0` and `x1`, an HFA of up to four
    /// members in `v0..v3`.
    fn return_registers(&self) -> (u8, u8) {
        (2, 4)
    }

    /// §6.8.2 stage C: an argument smaller than 8 bytes is "as if" copied to the low
    /// bits of a register or 8-byte stack slot with the other bits unspecified, so the
    /// callee extends; §6.9: results are returned as if they were the first argument,
    /// so the caller extends. springboard's policy (the producer extends to 32 bits,
    /// the consumer truncates) satisfies both, in registers and in the 8-byte stack
    /// slots. `bool` is an unsigned byte (§5.1).
    fn narrow_integer(&self, bytes: u8, signed: bool, _location: Location) -> Carrier {
        Carrier::to_32_bits(bytes, signed)
    }

    /// §6.8.2, for a composite argument (see [`composite_argument`]): an HFA that no
    /// longer fits occupies its size rounded up to 8 at an 8-byte aligned address
    /// (C.4-C.5), as 8-byte float chunks.
    fn struct_argument(&self, ty: &Type, registers: &mut RegisterFile) -> AggregateArg {
        composite_argument(ty, registers, stack_chunks_of_floats)
    }

    /// §6.9: an HFA is returned in v0-v3, one member each; any other composite of at
    /// most 16 bytes in x0 and x1 (as if it were the first argument); a larger one in
    /// memory.
    fn struct_result(&self, ty: &Type) -> AggregateResult {
        if hfa(ty).is_some() {
            AggregateResult::Registers(hfa_members(ty))
        } else if ty.size() <= 16 {
            AggregateResult::Registers(integer_parts(ty.size()))
        } else {
            AggregateResult::Indirect
        }
    }

    /// §6.8.2 stage C, for an Integral Type of size 16 (`__int128`, 16-byte aligned by
    /// §5.1): C.10 rounds NGRN up to the next even number; if NGRN is then below 7 the
    /// value goes in x\[NGRN\] (lower-addressed half) and x\[NGRN+1\]; otherwise NGRN is
    /// set to 8 and it goes on the stack at NSAA rounded up to 16 (C.14's "larger of 8
    /// and the Natural Alignment"). §6.8.2 makes no difference for a variadic one.
    ///
    /// `long double` is the Quad-precision Floating-point type (§5.1.2, IEEE binary128):
    /// C.1, if NSRN is below 8 it goes in v\[NSRN\], whole (`i64x2`); else C.3 sets NSRN
    /// to 8 and C.4 rounds NSAA up to 16 (its natural alignment), C.5 copies it there.
    fn wide_scalar(&self, ty: &Type, registers: &mut RegisterFile, _: bool) -> AggregateArg {
        if *ty == Type::F128 {
            let quad = vec![quad_part(0)];
            if registers.take_parts(&quad) {
                return AggregateArg::Registers(quad);
            }
            registers.exhaust_float();
            return AggregateArg::Stack(wide_halves());
        }
        pair_or_stack(registers)
    }

    /// §6.9: returned "as if it were the first argument": an `__int128` in x0 (low
    /// half) and x1, a `long double` in v0.
    fn wide_result(&self, ty: &Type) -> AggregateResult {
        if *ty == Type::F128 {
            return AggregateResult::Registers(vec![quad_part(0)]);
        }
        AggregateResult::Registers(wide_halves())
    }

    /// §5.1.2: the floating-point types are half, single, double and quad precision;
    /// there is no 80-bit format.
    fn lacks(&self, ty: &Type) -> Option<&'static str> {
        (*ty == Type::F80).then_some("long double is f128 here")
    }

    /// §6.8.2 C.14-C.16: NSAA is rounded up to 8, or to 16 for an argument whose natural
    /// alignment is 16.
    fn stack_alignment(&self, ty: &Type) -> u32 {
        if ty.align() >= 16 {
            16
        } else {
            8
        }
    }

    /// §6.9: the caller passes the address of an in-memory result in x8 (the indirect
    /// result location register), which no argument uses.
    fn result_pointer(&self) -> ResultPointer {
        ResultPointer::Dedicated
    }

}

/// The halves of an `__int128` in an even-numbered register pair, or on the stack with
/// NGRN set to 8 (see [`Aapcs64::wide_integer`]).
pub(super) fn pair_or_stack(registers: &mut RegisterFile) -> AggregateArg {
    registers.align_int_pair();
    let halves = wide_halves();
    if registers.take_parts(&halves) {
        return AggregateArg::Registers(halves);
    }
    registers.exhaust_int();
    AggregateArg::Stack(halves)
}

/// §5.9.5: a Homogeneous Floating-point Aggregate has one to four members, all of the
/// same floating-point type once nested aggregates and arrays are flattened. Returns
/// the member type and count.
fn hfa(ty: &Type) -> Option<(ir::Type, u8)> {
    let scalars = flattened(ty);
    // §5.9.5 counts quad precision among the base types: an HFA of long doubles.
    let (first, class) = match scalars.first()?.1 {
        class @ ScalarClass::Float { bytes: 4 } => (types::F32, class),
        class @ ScalarClass::Float { .. } => (types::F64, class),
        class @ ScalarClass::Binary128 => (types::I64X2, class),
        ScalarClass::Integer { .. } | ScalarClass::X87 => return None,
    };
    let homogeneous = scalars.iter().all(|(_, member)| *member == class);
    (homogeneous && scalars.len() <= 4).then_some((first, scalars.len() as u8))
}

/// The HFA's members as parts, one per member.
pub(super) fn hfa_members(ty: &Type) -> Vec<Part> {
    flattened(ty)
        .into_iter()
        .map(|(offset, class)| float_part(offset, class))
        .collect()
}

/// §6.8.2, for a composite argument:
/// - B.3/C.2: an HFA goes in consecutive SIMD/FP registers, one member each, if enough
///   are free; otherwise (C.3) NSRN is set to 8 and the HFA goes on the stack, laid
///   out by `hfa_on_stack` (the one rule where Apple differs).
/// - B.4: a composite larger than 16 bytes is replaced by a pointer to a copy made by
///   the caller, which then travels as an integer argument.
/// - C.12: a composite of at most 16 bytes goes in one or two consecutive general
///   registers if enough are free, after C.10 has rounded NGRN up to even for a
///   16-byte aligned composite (one with an `__int128` field); otherwise (C.13) NGRN
///   is set to 8 and the composite goes on the stack in 8-byte units, at NSAA rounded
///   up to its alignment (`stack_alignment`).
///
/// "Set to 8" matters: later arguments of that class must not use the skipped
/// registers either, so the register file is exhausted.
pub(super) fn composite_argument(
    ty: &Type,
    registers: &mut RegisterFile,
    hfa_on_stack: fn(&Type, ir::Type) -> Vec<Part>,
) -> AggregateArg {
    if let Some((member, count)) = hfa(ty) {
        if registers.take_all(0, count) {
            return AggregateArg::Registers(hfa_members(ty));
        }
        registers.exhaust_float();
        return AggregateArg::Stack(hfa_on_stack(ty, member));
    }
    if ty.size() > 16 {
        let location = registers.take(INTEGER);
        return AggregateArg::ByReference { location };
    }
    if ty.align() >= 16 {
        // C.10: NGRN rounded up to even for a 16-byte aligned composite.
        registers.align_int_pair();
    }
    let parts = integer_parts(ty.size());
    if registers.take_parts(&parts) {
        return AggregateArg::Registers(parts);
    }
    registers.exhaust_int();
    AggregateArg::Stack(parts)
}

/// An HFA on the AAPCS64 stack occupies its size rounded up to 8 at an 8-byte aligned
/// address. Cranelift gives each stack argument its own 8-byte slot there, so the HFA
/// travels in 8-byte float chunks (two `f32` members share an `f64` carrier) and a
/// trailing 4-byte `f32`.
fn stack_chunks_of_floats(ty: &Type, member: ir::Type) -> Vec<Part> {
    let size = ty.size();
    (0..size.div_ceil(8))
        .map(|i| {
            let offset = i * 8;
            let bytes = (size - offset).min(8);
            let carrier = if bytes == 8 { types::F64 } else { member };
            Part::new(offset as u32, bytes as u32, carrier)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{lower, part, pieces, scalar, scalars, LINUX_ARM};
    use super::super::{ArgLowering, Extension, ResultLowering};
    use super::*;

    #[test]
    fn stack_arguments_keep_8_byte_slots_and_32_bit_carriers() {
        // AAPCS64 keeps 8-byte slots: the carrier stays 32-bit and extended.
        let lowered = lower(
            "aapcs64 (i64, i64, i64, i64, i64, i64, i64, i64, i8)",
            LINUX_ARM,
        );
        assert_eq!(scalar(&lowered.params[8]).carrier, types::I32);
        assert_eq!(
            scalars(&lowered)[8],
            (Location::Stack, types::I32, Extension::Sign)
        );
        assert_eq!(lowered.signature.call_conv, CallConv::SystemV);
    }

    #[test]
    fn eight_general_and_eight_simd_registers() {
        let lowered = lower(
            "(i64, i64, i64, i64, i64, i64, i64, i64, f64, f64, f64, f64, f64, f64, f64, \
             f64, i8, f32)",
            LINUX_ARM,
        );
        let s = scalars(&lowered);
        assert!(s[..16].iter().all(|v| v.0 == Location::Register));
        assert_eq!((s[16].0, s[17].0), (Location::Stack, Location::Stack));
    }

    #[test]
    fn aapcs64_hfas_composites_and_the_register_exhaustion_rule() {
        let lowered = lower(
            "({f32, f32, f32}, {f64, i64}, {[f64; 4]}, {f32, f32, f32, f32, f32})",
            LINUX_ARM,
        );
        assert_eq!(
            pieces(&lowered.params[0]),
            [
                part(0, 4, types::F32),
                part(4, 4, types::F32),
                part(8, 4, types::F32)
            ]
        );
        assert_eq!(
            pieces(&lowered.params[1]),
            [part(0, 8, types::I64), part(8, 8, types::I64)]
        );
        assert_eq!(pieces(&lowered.params[2]).len(), 4);
        assert!(matches!(lowered.params[3], ArgLowering::ByReference { .. }));
        // Seven floats leave v7: a 3-member HFA does not fit, goes to the stack, and
        // fillers use up v7 so that the last f64 goes to the stack too (NSRN = 8).
        let lowered = lower(
            "(f64, f64, f64, f64, f64, f64, f64, {f32, f32, f32}, f64)",
            LINUX_ARM,
        );
        assert_eq!(lowered.fillers.len(), 1);
        assert_eq!(
            pieces(&lowered.params[7]),
            [part(0, 8, types::F64), part(8, 4, types::F32)]
        );
        // Results: HFA in v0-v3, small composites in x0/x1, larger via x8.
        let lowered = lower("() -> {f64, f64, f64, f64}", LINUX_ARM);
        assert!(
            matches!(&lowered.result, ResultLowering::Pieces { pieces, .. } if pieces.len() == 4)
        );
        let lowered = lower("() -> {i64, i64, i64}", LINUX_ARM);
        assert!(matches!(lowered.result, ResultLowering::Indirect { .. }));
    }

    #[test]
    fn a_composite_that_does_not_fit_exhausts_the_general_registers() {
        // Seven integers leave x7: a 16-byte composite goes to the stack, NGRN = 8, so
        // the i64 after it goes to the stack too, behind a filler for x7.
        let lowered = lower(
            "(i64, i64, i64, i64, i64, i64, i64, {i64, i64}, i64)",
            LINUX_ARM,
        );
        assert_eq!(lowered.fillers.len(), 1);
        assert_eq!(scalar(&lowered.params[8]).location, Location::Stack);
    }

    #[test]
    fn the_result_pointer_uses_x8() {
        // x8 carries the pointer: all eight integer arguments still get x0..x7.
        let lowered = lower(
            "(i64, i64, i64, i64, i64, i64, i64, i64) -> {i64, i64, i64}",
            LINUX_ARM,
        );
        assert!(scalars(&lowered).iter().all(|v| v.0 == Location::Register));
        assert!(matches!(
            lowered.result,
            ResultLowering::Indirect { abi_index: 0, .. }
        ));
        assert_eq!(Aapcs64.result_pointer(), ResultPointer::Dedicated);
    }

    #[test]
    fn variadic_arguments_are_placed_like_fixed_ones() {
        let text =
            "i64, f64, {f32, f32, f32}, {i64, i64, i64}, i32, f64, f64, f64, f64, f64, f64, f64";
        let variadic = lower(&format!("(ptr, ...; {text})"), LINUX_ARM);
        let fixed = lower(&format!("(ptr, {text})"), LINUX_ARM);
        assert_eq!(variadic.params, fixed.params);
        assert_eq!(variadic.signature, fixed.signature);
        assert_eq!(variadic.shim(), None);
        assert!(variadic.variadic.is_some());
    }

    #[test]
    fn int128_takes_an_even_register_pair_or_the_stack() {
        use super::super::test_support::{filler_indices, piece_indices};
        // x1 is skipped (a filler in place), the i128 in x2:x3, the i64 in x4.
        let lowered = lower("(i64, i128, i64) -> i128", LINUX_ARM);
        assert_eq!(filler_indices(&lowered), [1]);
        assert_eq!(piece_indices(&lowered.params[1]), [2, 3]);
        assert_eq!(scalar(&lowered.params[2]).abi_index, 4);
        // With NGRN = 7 the pair does not fit: x7 is skipped too (NGRN = 8), and the i64
        // after it goes on the stack, after the i128.
        let lowered = lower("(i64, i64, i64, i64, i64, i64, i64, i128, i64)", LINUX_ARM);
        assert_eq!(filler_indices(&lowered), [7]);
        assert_eq!(piece_indices(&lowered.params[7]), [8, 9]);
        assert_eq!(scalar(&lowered.params[8]).location, Location::Stack);
        // A 16-byte aligned composite takes an even pair too.
        let lowered = lower("(i64, {i128})", LINUX_ARM);
        assert_eq!(piece_indices(&lowered.params[1]), [2, 3]);
    }

    #[test]
    fn quad_precision_takes_a_v_register_and_makes_hfas() {
        let (i64_, x2) = (types::I64, types::I64X2);
        // Seven doubles, then an f128 in v7; the next f128 and the f64 after it go on
        // the stack (NSRN = 8), the f128 16-aligned.
        let lowered = lower(
            "(f64, f64, f64, f64, f64, f64, f64, f128, f128, f64) -> f128",
            LINUX_ARM,
        );
        assert_eq!(pieces(&lowered.params[7]), [part(0, 16, x2)]);
        assert_eq!(pieces(&lowered.params[8]), [part(0, 8, i64_), part(8, 8, i64_)]);
        assert_eq!(scalar(&lowered.params[9]).location, Location::Stack);
        let ResultLowering::Pieces { pieces: ret, .. } = &lowered.result else {
            panic!("v0")
        };
        assert_eq!(ret.iter().map(|p| p.carrier).collect::<Vec<_>>(), [x2]);
        // {f128, f128} is an HFA: two v registers, and back in v0 and v1.
        let lowered = lower("({f128, f128}) -> {f128, f128}", LINUX_ARM);
        assert_eq!(pieces(&lowered.params[0]), [part(0, 16, x2), part(16, 16, x2)]);
        assert!(matches!(&lowered.result, ResultLowering::Pieces { pieces, .. } if pieces.len() == 2));
        // {f128, i64} is no HFA and larger than 16 bytes: by reference.
        let lowered = lower("({f128, i64})", LINUX_ARM);
        assert!(matches!(lowered.params[0], ArgLowering::ByReference { .. }));
        // There is no 80-bit type.
        let target: super::super::Target = LINUX_ARM.parse().unwrap();
        let err = super::super::lower_signature(&"(f80) -> i32".parse().unwrap(), &target);
        assert!(
            matches!(err, Err(crate::Error::UnsupportedType { ty: Type::F80, .. })),
            "{err:?}"
        );
    }
}
