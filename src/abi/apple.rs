//! Apple's arm64 ABI ("Writing ARM64 code for Apple platforms"): AAPCS64 (`aapcs64.rs`)
//! except where that document says otherwise. The hooks below state only the
//! differences and reuse AAPCS64's rules for everything else.

use super::aapcs64::{composite_argument, hfa_members, Aapcs64};
use super::hooks::{integer_parts, wide_halves, AggregateArg, AggregateResult, Carrier, Hooks, RegisterFile};
use super::hooks::{ResultPointer, ScalarPlace, VariadicPart};
use super::Location;
use crate::types::{ScalarClass, Type};
use cranelift_codegen::ir;
use cranelift_codegen::isa::CallConv;
use target_lexicon::Architecture;

/// Apple arm64's hooks.
///
/// Rules the [`Hooks`] defaults already implement for this convention:
/// - `scalar`: AAPCS64's placement.
pub(super) struct Apple;

impl Hooks for Apple {
    fn call_conv(&self) -> CallConv {
        CallConv::AppleAarch64
    }

    fn architecture(&self) -> Architecture {
        Aapcs64.architecture()
    }

    /// Apple arm64 uses 16 KiB pages.
    fn page_size_log2(&self) -> u8 {
        14
    }

    /// AAPCS64's `x0..x7` and `v0..v7`.
    fn registers(&self) -> RegisterFile {
        Aapcs64.registers()
    }

    /// AAPCS64's result registers.
    fn return_registers(&self) -> (u8, u8) {
        Aapcs64.return_registers()
    }

    /// "Pass arguments to functions correctly": the caller extends arguments narrower
    /// than 32 bits to 32 bits, and the callee extends results the same way (what Clang
    /// does), so in registers narrow values travel as `i32` carriers extended by the
    /// producer. "Function arguments may consume slots on the stack that are not
    /// multiples of 8 bytes": on the stack they are packed at their natural size and
    /// alignment, so they travel as `i8`/`i16` with no extension attribute (which also
    /// avoids a Cranelift 0.135 bug, where an extended narrow stack argument is stored
    /// with an 8-byte store over its neighbours).
    fn narrow_integer(&self, bytes: u8, signed: bool, location: Location) -> Carrier {
        match location {
            Location::Register => Carrier::to_32_bits(bytes, signed),
            Location::Stack => Carrier::natural(bytes),
        }
    }

    /// AAPCS64's composite rules, except that an HFA on the stack is packed: each
    /// member at its natural alignment, unpadded, so it travels member by member.
    fn struct_argument(&self, ty: &Type, registers: &mut RegisterFile) -> AggregateArg {
        composite_argument(ty, registers, |ty, _member| hfa_members(ty))
    }

    /// AAPCS64's result rules.
    fn struct_result(&self, ty: &Type) -> AggregateResult {
        Aapcs64.struct_result(ty)
    }

    /// AAPCS64's rule for a fixed `__int128` (an even register pair or the stack; Apple's
    /// "Pass arguments to functions correctly" keeps AAPCS64 here). A variadic one goes
    /// on the stack like every variadic argument (see `variadic_scalar`), in two 8-byte
    /// slots at a 16-byte aligned address (its natural alignment).
    fn wide_scalar(&self, ty: &Type, registers: &mut RegisterFile, variadic: bool) -> AggregateArg {
        if variadic {
            AggregateArg::Stack(wide_halves())
        } else {
            Aapcs64.wide_scalar(ty, registers, false)
        }
    }

    /// AAPCS64's x0 and x1.
    fn wide_result(&self, ty: &Type) -> AggregateResult {
        Aapcs64.wide_result(ty)
    }

    /// "Writing ARM64 code for Apple platforms", data types: "long double" is "a
    /// double-precision IEEE 754 binary floating-point format" (write `f64`); there is
    /// no quad-precision or 80-bit type.
    fn lacks(&self, ty: &Type) -> Option<&'static str> {
        ty.is_long_float().then_some("long double is f64 here")
    }

    /// AAPCS64's: 8, or 16 for a 16-byte aligned argument.
    fn stack_alignment(&self, ty: &Type) -> u32 {
        Aapcs64.stack_alignment(ty)
    }

    /// "Function arguments may consume slots on the stack that are not multiples of 8
    /// bytes": a fixed stack value takes its own size at its natural alignment.
    fn stack_bytes(&self, carrier: ir::Type) -> u32 {
        carrier.bytes()
    }

    /// AAPCS64's x8.
    fn result_pointer(&self) -> ResultPointer {
        Aapcs64.result_pointer()
    }

    /// "Writing ARM64 code for Apple platforms", variadic functions: the caller puts
    /// every variadic argument on the stack, each in a slot rounded up to a multiple of
    /// 8 bytes and 8-byte aligned (not packed like fixed stack arguments), even while
    /// argument registers are free; `va_list` is a plain pointer into that area. The
    /// default promotions leave only 4- and 8-byte integers and `double`s here, and an
    /// integer travels extended to 64 bits in its slot.
    fn variadic_scalar(&self, _class: ScalarClass, _part: &mut VariadicPart<'_>) -> ScalarPlace {
        ScalarPlace::StackSlot
    }

    /// The same section: a variadic struct of at most 16 bytes is copied into
    /// consecutive 8-byte stack slots (an HFA too: no `v` registers); a larger one is
    /// passed by reference (AAPCS64 §6.8.2 B.4), its pointer in a stack slot.
    fn variadic_struct(&self, ty: &Type, _registers: &mut RegisterFile) -> AggregateArg {
        if ty.size() > 16 {
            AggregateArg::ByReference {
                location: Location::Stack,
            }
        } else {
            AggregateArg::Stack(integer_parts(ty.size()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{lower, pieces, scalar, scalar_result, APPLE};
    use super::super::Extension;
    use super::*;
    use cranelift_codegen::ir::types;

    #[test]
    fn apple_stack_arguments_keep_their_natural_width() {
        let lowered = lower(
            "apple (i64, i64, i64, i64, i64, i64, i64, i8, i8, u16)",
            APPLE,
        );
        let p: Vec<_> = lowered.params.iter().map(scalar).collect();
        assert_eq!(
            (p[7].location, p[7].carrier),
            (Location::Register, types::I32)
        );
        assert_eq!((p[8].location, p[8].carrier), (Location::Stack, types::I8));
        assert_eq!(
            (p[9].carrier, p[9].extension),
            (types::I16, Extension::None)
        );
        assert_eq!(lowered.signature.call_conv, CallConv::AppleAarch64);
    }

    #[test]
    fn narrow_results_are_extended_to_32_bits() {
        let lowered = lower("() -> u16", APPLE);
        assert_eq!(scalar_result(&lowered), (types::I32, Extension::Zero));
    }

    #[test]
    fn apple_packs_hfa_members_on_the_stack() {
        let lowered = lower(
            "apple (f64, f64, f64, f64, f64, f64, f64, {f32, f32, f32}, f64)",
            APPLE,
        );
        assert_eq!(pieces(&lowered.params[7]).len(), 3, "Apple packs members");
        // NSRN = 8 as on AAPCS64: the last f64 goes to the stack behind a v7 filler.
        assert_eq!(lowered.fillers.len(), 1);
        assert_eq!(scalar(&lowered.params[8]).location, Location::Stack);
    }

    #[test]
    fn the_rest_is_aapcs64() {
        let ty: Type = "{i64, i64, i64}".parse().unwrap();
        assert_eq!(Apple.struct_result(&ty), Aapcs64.struct_result(&ty));
        assert_eq!(Apple.result_pointer(), ResultPointer::Dedicated);
        assert_eq!(Apple.registers(), Aapcs64.registers());
        assert_eq!(Apple.page_size_log2(), 14);
    }

    #[test]
    fn apple_variadic_arguments_go_on_the_stack_in_8_byte_slots() {
        let lowered = lower(
            "(ptr, ...; i32, u32, f64, {f32, f32, f32}, {i64, i64, i64}, i64)",
            APPLE,
        );
        assert_eq!(scalar(&lowered.params[0]).location, Location::Register);
        let (st, i64_) = (Location::Stack, types::I64);
        let s = |i: usize| {
            let s = scalar(&lowered.params[i]);
            (s.location, s.carrier, s.extension)
        };
        assert_eq!(s(1), (st, i64_, Extension::Sign), "an int in its own slot");
        assert_eq!(s(2), (st, i64_, Extension::Zero));
        assert_eq!(s(3), (st, types::F64, Extension::None));
        assert_eq!(s(6), (st, i64_, Extension::None));
        // The HFA goes in two 8-byte integer slots, no v registers.
        let parts = pieces(&lowered.params[4]);
        assert!(parts.iter().all(|p| p.carrier == i64_), "{parts:?}");
        assert_eq!(parts.len(), 2);
        let super::super::ArgLowering::ByReference { abi_index, .. } = lowered.params[5] else {
            panic!("a large struct by reference")
        };
        // x1..x7 and v0..v7 are filled so that everything lands on the stack.
        assert_eq!(lowered.fillers.len(), 15);
        assert!(abi_index > lowered.fillers.last().unwrap().abi_index);
        assert_eq!(lowered.shim(), None);
    }

    #[test]
    fn apple_variadic_int128_goes_on_the_stack_16_aligned() {
        use super::super::test_support::{filler_indices, piece_indices};
        // Fixed: AAPCS64's even pair.
        assert_eq!(piece_indices(&lower("(i64, i128)", APPLE).params[1]), [2, 3]);
        // Variadic: the i64 at stack offset 0, a filler at 8, the i128 at 16 (after
        // fillers for the seven untaken x registers).
        let lowered = lower("(ptr, ...; i64, i128)", APPLE);
        assert_eq!(filler_indices(&lowered), [1, 2, 3, 4, 5, 6, 7, 9]);
        assert_eq!(piece_indices(&lowered.params[2]), [10, 11]);
    }

    #[test]
    fn apple_has_no_long_double_formats() {
        let target: super::super::Target = APPLE.parse().unwrap();
        for text in ["(f128)", "({i32, f80})", "() -> {[f128; 2]}"] {
            let err = super::super::lower_signature(&text.parse().unwrap(), &target)
                .unwrap_err();
            assert!(err.to_string().contains("long double is f64 here"), "{text}: {err}");
        }
    }
}
