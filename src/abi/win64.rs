//! Microsoft x64 calling convention (Windows on x86-64), from "Parameter passing" and
//! "Return values" in Microsoft's x64 ABI documentation. The caller also reserves 32
//! bytes of shadow space, which Cranelift's `WindowsFastcall` does.

use super::hooks::{AggregateArg, AggregateResult, Carrier, Hooks, Part, RegisterFile};
use super::hooks::{ScalarPlace, VariadicPart, INTEGER};
use super::Location;
use crate::types::{ScalarClass, Type};
use cranelift_codegen::ir::types;
use cranelift_codegen::isa::CallConv;
use target_lexicon::Architecture;

/// The Microsoft x64 convention's hooks. Scalar results come back in `rax` or `xmm0`
/// ("Return values"), where Cranelift's `WindowsFastcall` puts them.
///
/// Rules the [`Hooks`] defaults already implement for this convention:
/// - `page_size_log2`: 4 KiB pages.
/// - `scalar`: "Parameter passing": a scalar takes its position's register of its class (the
///   register file counts positions), or a stack slot after the fourth.
/// - `result_pointer`: "Return values": "the caller must allocate memory for the return value and
///   pass a pointer to it as the first argument" (rcx, taking the first positional slot), and the
///   callee returns that pointer in rax.
pub(super) struct Win64;

impl Hooks for Win64 {
    fn call_conv(&self) -> CallConv {
        CallConv::WindowsFastcall
    }

    fn architecture(&self) -> Architecture {
        Architecture::X86_64
    }

    /// "Parameter passing": the first four arguments by *position*, integers in `rcx,
    /// rdx, r8, r9` and floats in `xmm0..xmm3`; every argument after that on the stack
    /// in an 8-byte slot.
    fn registers(&self) -> RegisterFile {
        RegisterFile::positional(4)
    }

    /// "Return values": a result that fits 64 bits comes back in `rax`, a float or
    /// double in `xmm0`; anything else through the caller's buffer.
    fn return_registers(&self) -> (u8, u8) {
        (1, 1)
    }

    /// "Parameter passing" and "Return values" leave the bits above a narrow value's
    /// width unspecified, for arguments and results. springboard's policy (the producer
    /// extends to 32 bits, the consumer truncates) satisfies that in both directions.
    fn narrow_integer(&self, bytes: u8, signed: bool, _location: Location) -> Carrier {
        Carrier::to_32_bits(bytes, signed)
    }

    /// "Structs and unions of size 8, 16, 32, or 64 bits ... are passed as if they were
    /// integers of the same size" (floats inside included: they travel in a general
    /// register); "structs or unions of other sizes are passed as a pointer to memory
    /// allocated by the caller", a copy the callee may modify. Either way the argument
    /// takes one positional slot (a register among the first four, else an 8-byte stack
    /// slot).
    fn struct_argument(&self, ty: &Type, registers: &mut RegisterFile) -> AggregateArg {
        let location = registers.take(INTEGER);
        match (as_integer(ty), location) {
            (Some(part), Location::Register) => AggregateArg::Registers(vec![part]),
            (Some(part), Location::Stack) => AggregateArg::Stack(vec![part]),
            (None, location) => AggregateArg::ByReference { location },
        }
    }

    /// "User-defined types can be returned by value ... in RAX if [they have] a length
    /// of 1, 2, 4, 8, 16, 32, or 64 bits"; otherwise through memory the caller
    /// allocates.
    fn struct_result(&self, ty: &Type) -> AggregateResult {
        match as_integer(ty) {
            Some(part) => AggregateResult::Registers(vec![part]),
            None => AggregateResult::Indirect,
        }
    }

    /// `__int128`, `__float128` and an 80-bit `long double` are not Microsoft types
    /// (MSVC's `long double` is `double`: write `f64`). GCC's `ms_abi`
    /// (x86_64-w64-mingw32, and `__attribute__((ms_abi))` elsewhere) treats each as 16
    /// bytes that are not "of size 8, 16, 32, or 64 bits", so by "Parameter passing" it
    /// is "passed as a pointer to memory allocated by the caller", taking one
    /// positional slot; variadic too.
    fn wide_scalar(&self, ty: &Type, registers: &mut RegisterFile, _: bool) -> AggregateArg {
        self.struct_argument(ty, registers)
    }

    /// GCC's `ms_abi` returns an `__int128` in `xmm0`, the register "Return values"
    /// gives `__m128`, whole (not through a hidden pointer); an 80-bit `long double`
    /// and a `__float128` through memory the caller allocates, like a struct of 16
    /// bytes (gcc 12 `-S`: `fstpt (%rcx)` and `movaps %xmm0, (%rbx)` before returning
    /// the pointer in rax).
    fn wide_result(&self, ty: &Type) -> AggregateResult {
        if ty.is_long_float() {
            return AggregateResult::Indirect;
        }
        AggregateResult::Registers(vec![Part::new(0, 16, types::I64X2)])
    }

    /// "Parameter passing": every stack argument takes one 8-byte slot (anything
    /// larger is passed by reference).
    fn stack_alignment(&self, _ty: &Type) -> u32 {
        8
    }

    /// "Varargs": variadic arguments follow the same positional rules as fixed ones,
    /// and "for floating-point values only, both the integer register and the
    /// floating-point register must contain the value", in case the callee (which
    /// spills `rcx, rdx, r8, r9` to the home area for `va_arg`) reads it from the
    /// integer register. The float is lowered as an ordinary float in its slot's
    /// `xmm` register, whose integer register no other argument takes (one argument per
    /// slot); the copy into that integer register is recorded in `call`.
    fn variadic_scalar(&self, class: ScalarClass, part: &mut VariadicPart<'_>) -> ScalarPlace {
        let slot = 4 - part.registers.int_left();
        let location = part.registers.take(class);
        if matches!(class, ScalarClass::Float { .. }) && location == Location::Register {
            part.call.float_copies |= 1 << slot;
        }
        ScalarPlace::Own(location)
    }
}

/// The struct as one integer part when its size is 1, 2, 4 or 8 bytes.
fn as_integer(ty: &Type) -> Option<Part> {
    matches!(ty.size(), 1 | 2 | 4 | 8).then(|| Part::new(0, ty.size() as u32, types::I64))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{
        lower, part, pieces, scalar, scalar_result, scalars, SYSV, WIN64,
    };
    use super::super::hooks::ResultPointer;
    use super::super::{ArgLowering, Extension, ResultLowering};
    use super::*;

    #[test]
    fn win64_counts_registers_by_position() {
        let lowered = lower("win64 (f64, i32, f64, i32, i8)", SYSV);
        assert_eq!(scalar(&lowered.params[3]).location, Location::Register);
        assert_eq!(scalar(&lowered.params[4]).location, Location::Stack);
        assert_eq!(lowered.signature.call_conv, CallConv::WindowsFastcall);
    }

    #[test]
    fn narrow_integers_travel_extended_to_32_bits() {
        let lowered = lower("(i8, u16, i32, bool, i16) -> u8", WIN64);
        let (r, st, i32_) = (Location::Register, Location::Stack, types::I32);
        assert_eq!(
            scalars(&lowered),
            [
                (r, i32_, Extension::Sign),
                (r, i32_, Extension::Zero),
                (r, i32_, Extension::None),
                (r, i32_, Extension::Zero),
                (st, i32_, Extension::Sign),
            ]
        );
        assert_eq!(scalar_result(&lowered), (i32_, Extension::Zero));
    }

    #[test]
    fn win64_passes_power_of_two_structs_as_integers_and_others_by_reference() {
        let lowered = lower(
            "win64 ({f32}, {i8, i8, i8}, {f64}, {i64, i64}) -> {f32, f32}",
            SYSV,
        );
        assert_eq!(pieces(&lowered.params[0]), [part(0, 4, types::I64)]);
        assert!(matches!(lowered.params[1], ArgLowering::ByReference { .. }));
        assert_eq!(pieces(&lowered.params[2]), [part(0, 8, types::I64)]);
        assert!(matches!(lowered.params[3], ArgLowering::ByReference { .. }));
        assert!(matches!(lowered.result, ResultLowering::Pieces { .. }));
        let lowered = lower("win64 () -> {i8, i8, i8}", SYSV);
        assert!(matches!(
            lowered.result,
            ResultLowering::Indirect { abi_index: 0, .. }
        ));
    }

    #[test]
    fn the_result_pointer_takes_the_first_slot() {
        // rcx carries the pointer: three integer arguments fit, the fourth goes on the
        // stack.
        let lowered = lower("(i64, i64, i64, {i16}) -> {i8, i8, i8}", WIN64);
        assert_eq!(scalar(&lowered.params[2]).location, Location::Register);
        let ArgLowering::Pieces { pieces, .. } = &lowered.params[3] else {
            panic!("struct in pieces")
        };
        assert_eq!(pieces[0].abi_index, 4, "on the stack after rcx..r9");
        assert_eq!(Win64.result_pointer(), ResultPointer::FirstIntegerArgument);
    }

    #[test]
    fn variadic_floats_in_register_slots_are_copied_to_the_integer_register() {
        let lowered = lower("(ptr, ...; f64, i32, f64, f64)", WIN64);
        let call = lowered.variadic.expect("a variadic call");
        assert_eq!(
            call.float_copies, 0b1010,
            "slots 1 and 3; slot 4 is the stack"
        );
        assert_eq!(call.vector_registers, None);
        assert_eq!(lowered.shim(), Some(crate::abi::Shim::FloatCopies(0b1010)));
        assert_eq!(
            scalars(&lowered),
            scalars(&lower("(ptr, f64, i32, f64, f64)", WIN64))
        );
        // Fixed floats are not copied; no variadic float, no shim.
        let lowered = lower("(f64, ...; i64, {f64})", WIN64);
        assert_eq!(lowered.variadic.unwrap().float_copies, 0);
        assert_eq!(lowered.shim(), None);
    }

    #[test]
    fn win64_int128_goes_by_reference_and_comes_back_in_xmm0() {
        let lowered = lower("(i128, i64) -> u128", WIN64);
        assert!(matches!(lowered.params[0], ArgLowering::ByReference { abi_index: 0, .. }));
        let ResultLowering::Pieces { pieces, .. } = &lowered.result else {
            panic!("in a register")
        };
        assert_eq!((pieces.len(), pieces[0].carrier), (1, types::I64X2));
    }

    #[test]
    fn gcc_long_double_and_float128_go_by_reference_both_ways() {
        let lowered = lower("(f80, f128, i32) -> f80", WIN64);
        assert!(matches!(lowered.params[0], ArgLowering::ByReference { abi_index: 1, .. }));
        assert!(matches!(lowered.params[1], ArgLowering::ByReference { abi_index: 2, .. }));
        assert!(matches!(lowered.result, ResultLowering::Indirect { abi_index: 0, .. }));
        assert_eq!(Win64.wide_result(&Type::F128), AggregateResult::Indirect);
        assert_eq!(Win64.wide_result(&Type::I128).clone(), Win64.wide_result(&Type::U128));
    }
}
