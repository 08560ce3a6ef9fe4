//! The RISC-V ELF psABI (riscv-elf-psabi-doc, "RISC-V Calling Conventions"), LP64D:
//! XLEN = 64, FLEN = 64. Rules from its "Integer Calling Convention" and "Hardware
//! Floating-point Calling Convention" sections, variadic arguments included.
//!
//! Cranelift 0.135.8 assigns `a0-a7` and `fa0-fa7` in parameter order and puts every
//! value that finds no register of its own class on the stack. That is the psABI for
//! everything except a float after `fa7`, which the psABI passes in a free integer
//! register: those floats are lowered as `i64` carriers holding their bits
//! ([`Extension::FloatBits`](super::Extension::FloatBits)), which is what gcc does.

use super::hooks::{flattened, float_part, integer_parts, wide_halves, Part};
use super::hooks::{AggregateArg, AggregateResult, Carrier, Hooks, RegisterFile};
use super::hooks::{ScalarPlace, VariadicPart, INTEGER};
use super::Location;
use crate::types::{ScalarClass, Type};
use cranelift_codegen::ir::types;
use cranelift_codegen::isa::CallConv;
use target_lexicon::{Architecture, Riscv64Architecture};

/// The RISC-V LP64D convention's hooks. Scalar results come back in `a0` or `fa0`
/// ("Integer Calling Convention", "Hardware Floating-point Calling Convention"),
/// where Cranelift's `SystemV` puts them on riscv64.
///
/// Rules the [`Hooks`] defaults already implement for this convention:
/// - `page_size_log2`: 4 KiB pages.
/// - `result_pointer`: The same section: the address of an in-memory result is "an implicit first
///   parameter", so it takes `a0`.
pub(super) struct Riscv64;

impl Hooks for Riscv64 {
    /// Cranelift's SystemV on riscv64 is the standard LP64D convention.
    fn call_conv(&self) -> CallConv {
        CallConv::SystemV
    }

    fn architecture(&self) -> Architecture {
        Architecture::Riscv64(Riscv64Architecture::Riscv64gc)
    }

    /// "Integer Calling Convention": eight integer argument registers `a0..a7`;
    /// "Hardware Floating-point Calling Convention": eight floating-point argument
    /// registers `fa0..fa7`.
    fn registers(&self) -> RegisterFile {
        RegisterFile::separate(8, 8)
    }

    /// "Integer Calling Convention" and "Hardware Floating-point Calling Convention":
    /// values are returned in `a0` and `a1`, and in `fa0` and `fa1`.
    fn return_registers(&self) -> (u8, u8) {
        (2, 2)
    }

    /// Where one scalar argument goes.
    ///
    /// - "Integer Calling Convention": "Scalars that are at most XLEN bits wide are
    ///   passed in a single argument register, or on the stack by value if none is
    ///   available."
    /// - "Hardware Floating-point Calling Convention": "A real floating-point argument
    ///   is passed in a floating-point argument register if it is no more than FLEN bits
    ///   wide and at least one floating-point argument register is available.
    ///   Otherwise, it is passed according to the integer calling convention": in the
    ///   next free integer register, else on the stack. In an integer register or stack
    ///   slot an `f32` is "widened to XLEN bits, with the upper bits undefined".
    fn scalar(&self, class: ScalarClass, registers: &mut RegisterFile) -> ScalarPlace {
        match class {
            // (The 16-byte floats never come here: `wide_scalar` places them.)
            ScalarClass::Integer { .. } | ScalarClass::X87 | ScalarClass::Binary128 => {
                ScalarPlace::Own(registers.take(INTEGER))
            }
            ScalarClass::Float { .. } => {
                if registers.take(class) == Location::Register {
                    ScalarPlace::Own(Location::Register)
                } else if registers.take(INTEGER) == Location::Register {
                    ScalarPlace::FloatInIntegerRegister
                } else {
                    ScalarPlace::Own(Location::Stack)
                }
            }
        }
    }

    /// "Integer Calling Convention": "When passed in registers or on the stack, integer
    /// scalars narrower than XLEN bits are widened according to the sign of their type
    /// up to 32 bits, then sign-extended to XLEN bits", by the producer. So every
    /// integer narrower than 64 bits travels as an `i64` carrier: `i8`, `i16`, `i32`
    /// and `u32` sign-extended and `u8`, `u16` and `bool` zero-extended (a value
    /// zero-extended to 32 bits has bit 31 clear). The same holds for results, which
    /// are returned "in the same manner as a first named argument of the same type
    /// would be passed", so the callee extends them.
    fn narrow_integer(&self, bytes: u8, signed: bool, _location: Location) -> Carrier {
        Carrier::extended(types::I64, signed || bytes == 4)
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
    fn struct_argument(&self, ty: &Type, registers: &mut RegisterFile) -> AggregateArg {
        if let Some(members) = float_members(ty) {
            if registers.take_parts(&members) {
                return AggregateArg::Registers(members);
            }
        }
        integer_convention_struct(ty, registers)
    }

    /// "Integer Calling Convention": "Values are returned in the same manner as a first
    /// named argument of the same type would be passed. If such an argument would have
    /// been passed by reference, the caller allocates memory for the return value, and
    /// passes the address as an implicit first parameter." So a struct qualifying for
    /// floating-point registers comes back in `fa0`/`fa1` (and `a0`), any other struct of
    /// at most 16 bytes in `a0`/`a1`, and a larger one through memory.
    fn struct_result(&self, ty: &Type) -> AggregateResult {
        if let Some(members) = float_members(ty) {
            AggregateResult::Registers(members)
        } else if ty.size() <= 16 {
            AggregateResult::Registers(integer_parts(ty.size()))
        } else {
            AggregateResult::Indirect
        }
    }

    /// "Hardware Floating-point Calling Convention": "Variadic arguments are passed
    /// according to the integer calling convention", so a variadic float takes the next
    /// free integer register, as its bits, or else the stack (8 bytes). Variadic
    /// integers go where fixed ones do.
    fn variadic_scalar(&self, class: ScalarClass, part: &mut VariadicPart<'_>) -> ScalarPlace {
        match class {
            ScalarClass::Integer { .. } | ScalarClass::X87 | ScalarClass::Binary128 => {
                ScalarPlace::Own(part.registers.take(INTEGER))
            }
            ScalarClass::Float { .. } => match part.registers.take(INTEGER) {
                Location::Register => ScalarPlace::FloatInIntegerRegister,
                Location::Stack => ScalarPlace::Own(Location::Stack),
            },
        }
    }

    /// A variadic struct follows the integer calling convention only (no `fa`
    /// registers, as for variadic floats). "Integer Calling Convention": variadic
    /// arguments "with 2×XLEN-bit alignment and size at most 2×XLEN bits are passed
    /// in an aligned register pair" ([`aligned_pair`]): a struct with an `__int128`
    /// field; any other 16-byte struct takes the next two registers, or one register
    /// and the stack, like a fixed one.
    fn variadic_struct(&self, ty: &Type, registers: &mut RegisterFile) -> AggregateArg {
        if ty.align() >= 16 {
            return aligned_pair(ty, registers);
        }
        integer_convention_struct(ty, registers)
    }

    /// "Integer Calling Convention": "Scalars that are 2×XLEN bits wide are passed in a
    /// pair of argument registers, with the low-order XLEN bits in the lower-numbered
    /// register"; with one register left, the low half goes there and the high half
    /// on the stack; with none, the whole scalar on the stack: as a 16-byte struct
    /// ([`integer_convention_struct`]). A variadic one, with 2×XLEN-bit alignment, takes
    /// an aligned (even-odd) register pair or the stack ([`aligned_pair`]).
    ///
    /// `long double` is IEEE binary128 (the psABI's "C/C++ type representations"), and
    /// "Hardware Floating-point Calling Convention": a real wider than FLEN "is passed
    /// according to the integer calling convention", so it travels exactly like an
    /// `__int128`, its low-order bits first.
    fn wide_scalar(&self, ty: &Type, registers: &mut RegisterFile, variadic: bool) -> AggregateArg {
        if variadic {
            aligned_pair(ty, registers)
        } else {
            integer_convention_struct(ty, registers)
        }
    }

    /// "Values are returned in the same manner as a first named argument of the same
    /// type would be passed": `a0` (low half) and `a1`, for `long double` too.
    fn wide_result(&self, _ty: &Type) -> AggregateResult {
        AggregateResult::Registers(wide_halves())
    }

    /// "C/C++ type representations": `long double` is the 128-bit quad format; there is
    /// no 80-bit type.
    fn lacks(&self, ty: &Type) -> Option<&'static str> {
        (*ty == Type::F80).then_some("long double is f128 here")
    }

    /// "Integer Calling Convention": "scalars passed on the stack are aligned to the
    /// greater of the type alignment and XLEN bits, but never more than the stack
    /// alignment" (16 bytes); aggregates likewise at their alignment.
    fn stack_alignment(&self, ty: &Type) -> u32 {
        (ty.align() as u32).clamp(8, 16)
    }
}

/// "Integer Calling Convention", variadic arguments "with 2×XLEN-bit alignment and size
/// at most 2×XLEN bits are passed in an aligned register pair (i.e., the first register
/// in the pair is even-numbered), or on the stack by value if none is available".
fn aligned_pair(ty: &Type, registers: &mut RegisterFile) -> AggregateArg {
    registers.align_int_pair();
    let parts = integer_parts(ty.size());
    if registers.take_all(2, 0) {
        AggregateArg::Registers(parts)
    } else {
        AggregateArg::Stack(parts)
    }
}

/// A struct placed by the "Integer Calling Convention" (see
/// [`Riscv64::struct_argument`]'s rules after the floating-point one).
fn integer_convention_struct(ty: &Type, registers: &mut RegisterFile) -> AggregateArg {
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
/// all our scalars are. Returns its members in memory order, or `None` when the
/// integer calling convention applies.
fn float_members(ty: &Type) -> Option<Vec<Part>> {
    let scalars = flattened(ty);
    let floats = scalars
        .iter()
        .filter(|(_, class)| matches!(class, ScalarClass::Float { .. }))
        .count();
    // An `__int128` member is wider than XLEN, a `long double` wider than FLEN: the
    // integer convention applies.
    let narrow = scalars.iter().all(|(_, class)| {
        !matches!(class, ScalarClass::Integer { bytes: 16, .. } | ScalarClass::Binary128)
    });
    let qualifies = narrow && matches!((scalars.len(), floats), (1, 1) | (2, 2) | (2, 1));
    if !qualifies {
        return None;
    }
    let members = scalars
        .into_iter()
        .map(|(offset, class)| match class {
            ScalarClass::Float { .. } => float_part(offset, class),
            // The integer member travels in its own register; its bytes are the
            // struct's, read and written at their own width.
            ScalarClass::Integer { bytes, .. } => {
                Part::new(offset as u32, u32::from(bytes), types::I64)
            }
            ScalarClass::X87 | ScalarClass::Binary128 => unreachable!("excluded above"),
        })
        .collect();
    Some(members)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{
        lower, part, parts_of, pieces, scalar, scalar_result, scalars,
    };
    use super::super::test_support::{RISCV, SYSV};
    use super::super::{Abi, ArgLowering, Extension, LoweredSignature, ResultLowering, Target};
    use super::*;
    use crate::signature::Convention;

    #[test]
    fn riscv64_integers_travel_extended_to_64_bits() {
        // psABI "Integer Calling Convention": widened per signedness to 32 bits, then
        // sign-extended to XLEN, so u32 is sign-extended and u8/u16/bool zero-extended;
        // the ninth integer finds no register and goes on the stack, extended the same.
        let lowered = lower("(i8, u8, i16, u16, i32, u32, bool, i64, ptr) -> u32", RISCV);
        let (r, i64_) = (Location::Register, types::I64);
        assert_eq!(
            scalars(&lowered),
            [
                (r, i64_, Extension::Sign),
                (r, i64_, Extension::Zero),
                (r, i64_, Extension::Sign),
                (r, i64_, Extension::Zero),
                (r, i64_, Extension::Sign),
                (r, i64_, Extension::Sign),
                (r, i64_, Extension::Zero),
                (r, i64_, Extension::None),
                (Location::Stack, i64_, Extension::None),
            ]
        );
        assert_eq!(scalar_result(&lowered), (i64_, Extension::Sign));
        assert_eq!(lowered.signature.call_conv, CallConv::SystemV);
        assert!(lowered.fillers.is_empty());
    }

    #[test]
    fn riscv64_floats_after_fa7_take_free_integer_registers_as_bits() {
        // psABI "Hardware Floating-point Calling Convention": a float finding no fa
        // register is passed per the integer convention: a free a register, then stack.
        let lowered = lower(
            "(f64, f64, f64, f64, f64, f64, f64, f64, f32, f64, i64, i64, i64, i64, i64, i64, \
             f64, i32, f32)",
            RISCV,
        );
        let s = scalars(&lowered);
        let (r, st) = (Location::Register, Location::Stack);
        assert!(s[..8]
            .iter()
            .all(|&v| v == (r, types::F64, Extension::None)));
        assert_eq!(s[8], (r, types::I64, Extension::FloatBits), "f32 in a0");
        assert_eq!(s[9], (r, types::I64, Extension::FloatBits), "f64 in a1");
        assert_eq!(s[15], (r, types::I64, Extension::None), "i64 in a7");
        assert_eq!(s[16], (st, types::F64, Extension::None), "no register left");
        assert_eq!(s[17], (st, types::I64, Extension::Sign));
        assert_eq!(s[18], (st, types::F32, Extension::None));
        // Cranelift order: 8 fa values and 8 a values, then the stack, no fillers.
        let abi = |i: usize| scalar(&lowered.params[i]).abi_index;
        assert_eq!((abi(8), abi(9), abi(16), abi(18)), (8, 9, 16, 18));
        assert!(lowered.fillers.is_empty());
        // With fa registers free, floats stay in them.
        assert_eq!(
            scalars(&lower("(f32, i32)", RISCV))[0],
            (r, types::F32, Extension::None)
        );
    }

    #[test]
    fn riscv64_structs_use_float_registers_pairs_and_references() {
        let (i64_, f32_, f64_) = (types::I64, types::F32, types::F64);
        let cases: [(&str, Vec<Part>); 10] = [
            ("{f32}", vec![part(0, 4, f32_)]),
            ("{f32, f32}", vec![part(0, 4, f32_), part(4, 4, f32_)]),
            ("{f64, f32}", vec![part(0, 8, f64_), part(8, 4, f32_)]),
            ("{i8, f64}", vec![part(0, 1, i64_), part(8, 8, f64_)]),
            ("{f32, i32}", vec![part(0, 4, f32_), part(4, 4, i64_)]),
            ("{[f32; 2]}", vec![part(0, 4, f32_), part(4, 4, f32_)]),
            ("{{f32}, f64}", vec![part(0, 4, f32_), part(8, 8, f64_)]),
            // Three scalars: the integer convention, in a0/a1.
            ("{f32, f32, f32}", vec![part(0, 8, i64_), part(8, 4, i64_)]),
            ("{i64, i64}", vec![part(0, 8, i64_), part(8, 8, i64_)]),
            ("{i8, i8, i8}", vec![part(0, 3, i64_)]),
        ];
        for (ty, expected) in cases {
            let lowered = lower(&format!("({ty}) -> {ty}"), RISCV);
            assert_eq!(pieces(&lowered.params[0]), expected, "{ty}");
            let ResultLowering::Pieces { pieces: result, .. } = &lowered.result else {
                panic!("{ty}: result in registers")
            };
            let result: Vec<Part> = result.iter().map(parts_of).collect();
            assert_eq!(result, expected, "{ty} as the result");
        }
        // Larger than 2×XLEN: by reference, and a result through a pointer in a0.
        let lowered = lower("({f64, f64, f64}) -> {i64, i64, i64}", RISCV);
        assert!(matches!(
            lowered.params[0],
            ArgLowering::ByReference { abi_index: 1, .. }
        ));
        assert!(matches!(
            lowered.result,
            ResultLowering::Indirect { abi_index: 0, .. }
        ));
    }

    #[test]
    fn riscv64_struct_falls_back_to_integer_registers_and_splits() {
        // Seven floats leave fa7: {f64, f64} takes a0/a1 and the last f64 still gets
        // fa7 (no register is skipped).
        let lowered = lower(
            "(f64, f64, f64, f64, f64, f64, f64, {f64, f64}, f64)",
            RISCV,
        );
        assert_eq!(
            pieces(&lowered.params[7]),
            [part(0, 8, types::I64), part(8, 8, types::I64)]
        );
        assert_eq!(scalar(&lowered.params[8]).location, Location::Register);
        assert_eq!(scalar(&lowered.params[8]).carrier, types::F64);
        // Seven integers leave a7: a 16-byte struct is split between a7 and the stack.
        let lowered = lower("(i64, i64, i64, i64, i64, i64, i64, {i64, i32}, i8)", RISCV);
        let ArgLowering::Pieces { pieces: split, .. } = &lowered.params[7] else {
            panic!("struct in pieces")
        };
        assert_eq!((split[0].abi_index, split[1].abi_index), (7, 8));
        assert_eq!(scalar(&lowered.params[8]).location, Location::Stack);
        assert_eq!(scalar(&lowered.params[8]).abi_index, 9);
        // No fa or a register left: a {f32, i32} goes on the stack as one 8-byte part.
        let lowered = lower(
            "(f64, f64, f64, f64, f64, f64, f64, f64, i64, i64, i64, i64, i64, i64, i64, \
             i64, {f32, i32})",
            RISCV,
        );
        assert_eq!(pieces(&lowered.params[16]), [part(0, 8, types::I64)]);
        // One fa but no a register: {f32, i32} cannot use fa7, so f32 after it can.
        let lowered = lower(
            "(f64, f64, f64, f64, f64, f64, f64, i64, i64, i64, i64, i64, i64, i64, i64, \
             {f32, i32}, f32)",
            RISCV,
        );
        assert_eq!(scalar(&lowered.params[16]).carrier, types::F32);
        assert_eq!(scalar(&lowered.params[16]).location, Location::Register);
    }

    #[test]
    fn riscv64_is_a_riscv_only_convention() {
        let target: Target = RISCV.parse().unwrap();
        assert!(target.resolve(Convention::SysV).is_err());
        assert_eq!(target.resolve(Convention::Riscv64).unwrap(), Abi::Riscv64);
        let x86: Target = SYSV.parse().unwrap();
        assert!(x86.resolve(Convention::Riscv64).is_err());
    }

    #[test]
    fn riscv64_variadic_floats_and_structs_use_the_integer_convention() {
        let s_of = |lowered: &LoweredSignature, i: usize| {
            let s = scalar(&lowered.params[i]);
            (s.location, s.carrier, s.extension)
        };
        let lowered = lower("(ptr, f64, ...; f64, {f64, f64}, {f32, i32}, i32)", RISCV);
        let (r, i64_) = (Location::Register, types::I64);
        let s = |i: usize| {
            let s = scalar(&lowered.params[i]);
            (s.location, s.carrier, s.extension)
        };
        assert_eq!(s(1), (r, types::F64, Extension::None), "a fixed f64 in fa0");
        assert_eq!(
            s(2),
            (r, i64_, Extension::FloatBits),
            "a variadic f64 in a1"
        );
        assert_eq!(
            pieces(&lowered.params[3]),
            [part(0, 8, i64_), part(8, 8, i64_)]
        );
        assert_eq!(
            pieces(&lowered.params[4]),
            [part(0, 8, i64_)],
            "a4, not fa1/a4"
        );
        assert_eq!(s(5), (r, i64_, Extension::Sign), "a5");
        assert_eq!(lowered.shim(), None);
        // No 16-byte alignment exists here: a 16-byte struct after a0 takes a1-a2
        // (no even-odd pair), and one after a0..a6 is split between a7 and the stack.
        let lowered = lower("(ptr, ...; {i64, i64})", RISCV);
        let ArgLowering::Pieces { pieces, .. } = &lowered.params[1] else {
            panic!("pieces")
        };
        assert_eq!((pieces[0].abi_index, pieces[1].abi_index), (1, 2));
        let lowered = lower(
            "(i64, i64, i64, i64, i64, i64, i64, ...; {i64, i64}, f64)",
            RISCV,
        );
        let ArgLowering::Pieces { pieces, .. } = &lowered.params[7] else {
            panic!("pieces")
        };
        // a7, then (after fa0-fa7 filled) the stack: the second half and the f64.
        assert_eq!((pieces[0].abi_index, pieces[1].abi_index), (7, 16));
        assert_eq!(lowered.fillers.len(), 8);
        assert_eq!(
            s_of(&lowered, 8),
            (Location::Stack, types::F64, Extension::None)
        );
    }

    #[test]
    fn riscv64_int128_takes_any_pair_and_splits_but_an_aligned_pair_when_variadic() {
        use super::super::test_support::{filler_indices, piece_indices};
        // Fixed: a1:a2 (no alignment); with a7 the only register left, split.
        let lowered = lower("(i64, i128)", RISCV);
        assert_eq!(piece_indices(&lowered.params[1]), [1, 2]);
        assert!(lowered.fillers.is_empty());
        let lowered = lower("(i64, i64, i64, i64, i64, i64, i64, i128) -> i128", RISCV);
        assert_eq!(piece_indices(&lowered.params[7]), [7, 8], "a7 and the stack");
        // Variadic: a2:a3 after a1 is skipped.
        let lowered = lower("(ptr, ...; i128)", RISCV);
        assert_eq!(filler_indices(&lowered), [1]);
        assert_eq!(piece_indices(&lowered.params[1]), [2, 3]);
        // A struct with an i128 member never qualifies for float registers.
        let lowered = lower("({f64, i128})", RISCV);
        assert!(matches!(lowered.params[0], ArgLowering::ByReference { .. }));
    }

    #[test]
    fn long_double_travels_by_the_integer_convention() {
        let i64_ = types::I64;
        // After seven integers, the low half in a7 and the high half on the stack.
        let lowered = lower("(i64, i64, i64, i64, i64, i64, i64, f128, i64) -> f128", RISCV);
        let ArgLowering::Pieces { pieces: split, .. } = &lowered.params[7] else {
            panic!("split")
        };
        assert_eq!(split.len(), 2);
        assert_eq!(parts_of(&split[0]), part(0, 8, i64_));
        assert_eq!(scalar_result_halves(&lowered), 2);
        // {f128} is wider than FLEN: two integer registers, no fa register.
        let lowered = lower("(f64, {f128}, f64)", RISCV);
        assert_eq!(pieces(&lowered.params[1]), [part(0, 8, i64_), part(8, 8, i64_)]);
        // A variadic one takes an aligned pair: a1 is skipped after a0.
        let lowered = lower("(i64, ...; f128)", RISCV);
        assert_eq!(lowered.fillers.len(), 1);
        let target: Target = RISCV.parse().unwrap();
        assert!(super::super::lower_signature(&"(f80)".parse().unwrap(), &target).is_err());
    }

    fn scalar_result_halves(lowered: &LoweredSignature) -> usize {
        match &lowered.result {
            ResultLowering::Pieces { pieces, .. } => pieces.len(),
            other => panic!("not in a0:a1: {other:?}"),
        }
    }
}
