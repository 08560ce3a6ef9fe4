//! System V AMD64 psABI (version 1.0), x86-64 Linux, macOS and the BSDs: §3.2.3
//! "Parameter Passing" and "Returning of Values".

use super::hooks::{flattened, integer_parts, quad_part, wide_halves, Part};
use super::hooks::{AggregateArg, AggregateResult, Carrier, Hooks, RegisterFile};
use super::{Location, VariadicCall};
use crate::types::{ScalarClass, StructType, Type};
use cranelift_codegen::ir::types;
use cranelift_codegen::isa::CallConv;
use target_lexicon::Architecture;

/// The System V AMD64 convention's hooks. Scalar results come back in `rax` or `xmm0`
/// (§3.2.3 "Returning of Values"), where Cranelift's `SystemV` puts them.
///
/// Rules the [`Hooks`] defaults already implement for this convention:
/// - `page_size_log2`: 4 KiB pages.
/// - `scalar`: §3.2.3: an INTEGER scalar takes the next free general register, an SSE scalar the
///   next free vector register; without one it goes on the stack.
/// - `result_pointer`: §3.2.3 "Returning of Values" item 2: the caller passes the result's address
///   "as if it were the first argument" (rdi); the callee returns it in rax.
pub(super) struct SysV;

impl Hooks for SysV {
    fn call_conv(&self) -> CallConv {
        CallConv::SystemV
    }

    fn architecture(&self) -> Architecture {
        Architecture::X86_64
    }

    /// §3.2.3: six general registers `rdi, rsi, rdx, rcx, r8, r9` and eight vector
    /// registers `xmm0..xmm7`, taken independently.
    fn registers(&self) -> RegisterFile {
        RegisterFile::separate(6, 8)
    }

    /// §3.2.3 "Returning of Values": INTEGER eightbytes come back in `rax` then `rdx`,
    /// SSE eightbytes in `xmm0` then `xmm1`.
    fn return_registers(&self) -> (u8, u8) {
        (2, 2)
    }

    /// §3.2.3 leaves the bits above a narrow argument's width unspecified, but GCC and
    /// Clang both sign/zero-extend `bool`, `char` and `short` arguments to 32 bits at
    /// the caller, and Clang-compiled callees rely on it (a de-facto rule); so callers
    /// here extend to 32 bits, on the stack too. Results have unspecified upper bits
    /// (GCC callers re-extend), so they are produced extended and consumed truncated.
    /// `bool` holds 0 or 1 in bits 0..8 (§3.1.2, the footnote on `_Bool`).
    fn narrow_integer(&self, bytes: u8, signed: bool, _location: Location) -> Carrier {
        Carrier::to_32_bits(bytes, signed)
    }

    /// §3.2.3 "Parameter Passing": a struct whose eightbytes all find a free register
    /// of their class goes in registers; "if there are no registers available for any
    /// eightbyte of an argument, the whole argument is passed on the stack", and the
    /// registers stay free for later arguments. MEMORY-class structs go on the stack.
    /// On the stack a struct occupies its size rounded up to eightbytes, 8-byte aligned
    /// (no type here needs 16), so it travels as consecutive 8-byte integer slots.
    ///
    /// `complex<f80>` (class COMPLEX_X87) is "passed in memory" (§3.2.3 rule for
    /// X87, X87UP and COMPLEX_X87), as its 32 bytes on the stack, 16-byte aligned
    /// (`stack_alignment`): the same place as the struct `{f80, f80}`, which is
    /// MEMORY by size (rule 1), so `classify` makes both `Stack`.
    fn struct_argument(&self, ty: &Type, registers: &mut RegisterFile) -> AggregateArg {
        if let Some(parts) = classify(ty) {
            if registers.take_parts(&parts) {
                return AggregateArg::Registers(parts);
            }
        }
        AggregateArg::Stack(integer_parts(ty.size()))
    }

    /// §3.2.3 "Returning of Values": INTEGER eightbytes in rax then rdx, SSE ones in
    /// xmm0 then xmm1 (Cranelift assigns return values of each class in order, which is
    /// this rule); MEMORY-class structs through a hidden pointer.
    ///
    /// A struct of one `long double` (classes X87, X87UP) "is returned on the X87
    /// stack in %st0" like the scalar (gcc does so).
    ///
    /// `complex<f80>` (`_Complex long double`) has class COMPLEX_X87 (§3.2.3
    /// "Classification": "a variable of type complex long double is classified as
    /// type COMPLEX_X87"), and "if the class is COMPLEX_X87, the real part of the
    /// value is returned in %st0 and the imaginary part in %st1" (§3.2.3 "Returning
    /// of Values"): an x87 result of two values, not the 32-byte struct, which is
    /// MEMORY and comes back through the hidden pointer.
    fn struct_result(&self, ty: &Type) -> AggregateResult {
        if let [(0, ScalarClass::X87)] = flattened(ty)[..] {
            return AggregateResult::X87;
        }
        if ty.as_struct().is_some_and(StructType::is_complex) {
            return AggregateResult::X87;
        }
        match classify(ty) {
            Some(parts) => AggregateResult::Registers(parts),
            None => AggregateResult::Indirect,
        }
    }

    /// §3.2.3 "Parameter Passing": "for classification purposes `__int128` is treated
    /// as if it were" a struct of two `long`s, low half first: two INTEGER eightbytes,
    /// both in general registers or, when fewer than two are free, the whole value on
    /// the stack (never split), the registers staying free for later arguments.
    ///
    /// §3.2.3 "Classification": `__float128` is SSE (low eightbyte) and SSEUP (high):
    /// the whole value in one vector register (`i64x2`), else on the stack. `long
    /// double` is X87 and X87UP, and "the classes X87, X87UP and COMPLEX_X87" are
    /// "passed in memory": always on the stack, as two eightbytes.
    ///
    /// As variadic arguments they are placed the same way (§3.5.7).
    fn wide_scalar(&self, ty: &Type, registers: &mut RegisterFile, _: bool) -> AggregateArg {
        let parts = match ty {
            Type::F80 => return AggregateArg::Stack(wide_halves()),
            Type::F128 => vec![quad_part(0)],
            _ => wide_halves(),
        };
        if registers.take_parts(&parts) {
            AggregateArg::Registers(parts)
        } else {
            AggregateArg::Stack(wide_halves())
        }
    }

    /// §3.2.3 "Returning of Values": `__int128` as that struct, the low half in rax,
    /// the high half in rdx; `__float128` (SSE, SSEUP) in xmm0; `long double` (X87,
    /// X87UP) "is returned on the X87 stack in %st0".
    fn wide_result(&self, ty: &Type) -> AggregateResult {
        match ty {
            Type::F80 => AggregateResult::X87,
            Type::F128 => AggregateResult::Registers(vec![quad_part(0)]),
            _ => AggregateResult::Registers(wide_halves()),
        }
    }

    /// §3.2.3, on `__int128`: "arguments of type __int128 that are stored in memory
    /// must be aligned on a 16-byte boundary"; `long double` and `__float128` have
    /// 16-byte alignment (§3.1.2, Figure 3.1) and gcc places them so; a struct with such
    /// a field has that alignment too (§3.1.2, "Aggregates and Unions"). Every other
    /// argument takes 8-byte aligned eightbytes.
    fn stack_alignment(&self, ty: &Type) -> u32 {
        if ty.align() >= 16 {
            16
        } else {
            8
        }
    }

    /// §3.5.7 "Variable Argument Lists": a variadic callee's `va_start` reads its
    /// arguments from a register save area filled from the same registers and stack
    /// locations the §3.2.3 rules give named arguments, so variadic arguments (scalars
    /// and structs) are placed exactly like fixed ones; the default hooks do that.
    ///
    /// §3.2.3 "Parameter Passing", on calls to functions with an ellipsis: `%al` is a
    /// hidden argument that holds an upper bound (0 to 8) of the number of vector
    /// registers the call uses, which the callee's prologue reads to decide what to
    /// save (§3.5.7). springboard passes the exact count: every `xmm` register an
    /// argument took, fixed or variadic.
    fn finish_variadic(&self, registers: &RegisterFile, call: &mut VariadicCall) {
        call.vector_registers = Some(8 - registers.float_untaken());
    }
}

/// The class of one eightbyte (§3.2.3; X87 and SSEUP only in the 16-byte scalars and
/// the structs that hold them, handled before these classes are asked for).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Integer,
    Sse,
}

/// Classifies a struct into eightbyte parts, or `None` for class MEMORY.
fn classify(ty: &Type) -> Option<Vec<Part>> {
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
    // An `__int128` field is two INTEGER eightbytes (see `wide_scalar`).
    let scalars = flattened(ty);
    match scalars[..] {
        // SSE and SSEUP: the one vector register of a `__float128`.
        [(0, ScalarClass::Binary128)] => return Some(vec![quad_part(0)]),
        // Post-merger cleanup (§3.2.3 rule 5): an X87 or X87UP eightbyte makes the
        // argument MEMORY (no other struct with a 16-byte float is at most 16 bytes).
        _ if scalars
            .iter()
            .any(|(_, class)| matches!(class, ScalarClass::X87 | ScalarClass::Binary128)) =>
        {
            return None
        }
        _ => {}
    }
    let mut classes = [None::<Class>; 2];
    for (offset, class) in scalars {
        let (class, bytes) = match class {
            ScalarClass::Integer { bytes, .. } => (Class::Integer, bytes as usize),
            ScalarClass::Float { bytes } => (Class::Sse, bytes as usize),
            ScalarClass::X87 | ScalarClass::Binary128 => unreachable!("returned above"),
        };
        for slot in &mut classes[offset / 8..(offset + bytes).div_ceil(8)] {
            *slot = Some(match *slot {
                Some(Class::Integer) => Class::Integer,
                _ => class,
            });
        }
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
            Part::new(offset as u32, bytes as u32, carrier)
        })
        .collect();
    Some(parts)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{lower, part, pieces, scalar, scalar_result, scalars, SYSV};
    use super::super::{ArgLowering, Extension, Location, ResultLowering};
    use super::super::hooks::ResultPointer;
    use super::*;

    #[test]
    fn narrow_integers_travel_extended_to_32_bits() {
        let lowered = lower("(i8, u16, bool, i32, i64) -> i16", SYSV);
        let ext: Vec<_> = lowered
            .params
            .iter()
            .map(|p| (scalar(p).carrier, scalar(p).extension))
            .collect();
        assert_eq!(
            ext,
            [
                (types::I32, Extension::Sign),
                (types::I32, Extension::Zero),
                (types::I32, Extension::Zero),
                (types::I32, Extension::None),
                (types::I64, Extension::None),
            ]
        );
        assert_eq!(scalar_result(&lowered), (types::I32, Extension::Sign));
    }

    #[test]
    fn narrow_stack_arguments_are_extended_too() {
        let lowered = lower("(i64, i64, i64, i64, i64, i64, u8)", SYSV);
        let (r, st) = (Location::Register, Location::Stack);
        let s = scalars(&lowered);
        assert_eq!(s[5], (r, types::I64, Extension::None), "r9");
        assert_eq!(s[6], (st, types::I32, Extension::Zero));
    }

    #[test]
    fn six_general_and_eight_vector_registers_are_taken_independently() {
        let lowered = lower(
            "(f64, f64, f64, f64, f64, f64, f64, f64, f32, i64, i64, i64, i64, i64, i64, i64)",
            SYSV,
        );
        let s = scalars(&lowered);
        assert!(s[..8].iter().all(|v| v.0 == Location::Register), "xmm0-7");
        assert_eq!(s[8].0, Location::Stack, "no xmm8");
        assert!(s[9..15].iter().all(|v| v.0 == Location::Register), "rdi-r9");
        assert_eq!(s[15].0, Location::Stack, "no seventh general register");
        assert_eq!(lowered.signature.call_conv, CallConv::SystemV);
    }

    #[test]
    fn sysv_classifies_eightbytes() {
        let (i64_, f32_, f64_) = (types::I64, types::F32, types::F64);
        let cases: [(&str, Vec<Part>); 7] = [
            ("{i8}", vec![part(0, 1, i64_)]),
            ("{f32, f32, f32}", vec![part(0, 8, f64_), part(8, 4, f32_)]),
            ("{i8, f64}", vec![part(0, 8, i64_), part(8, 8, f64_)]),
            ("{f64, i64}", vec![part(0, 8, f64_), part(8, 8, i64_)]),
            ("{f32, i32, f32}", vec![part(0, 8, i64_), part(8, 4, f32_)]),
            ("{[i8; 9]}", vec![part(0, 8, i64_), part(8, 1, i64_)]),
            (
                "{{f32, f32}, f32}",
                vec![part(0, 8, f64_), part(8, 4, f32_)],
            ),
        ];
        for (ty, expected) in cases {
            let lowered = lower(&format!("({ty})"), SYSV);
            assert_eq!(pieces(&lowered.params[0]), expected, "{ty}");
        }
        // MEMORY class: on the stack as eightbytes, after the result pointer in rdi.
        let lowered = lower("({f64, f64, f64}) -> {i64, i64, i64}", SYSV);
        let i64x3 = [part(0, 8, i64_), part(8, 8, i64_), part(16, 8, i64_)];
        assert_eq!(pieces(&lowered.params[0]), i64x3);
        assert!(matches!(
            lowered.result,
            ResultLowering::Indirect { abi_index: 0, .. }
        ));
        // Five fillers take rsi..r9 so that the eightbytes land on the stack.
        assert_eq!(lowered.fillers.len(), 5);
        assert_eq!(lowered.fillers[0].abi_index, 1);
    }

    #[test]
    fn sysv_struct_that_does_not_fit_goes_wholly_to_the_stack() {
        // Five integers leave r9 free: a two-INTEGER struct does not fit and goes on
        // the stack, and the following i64 still gets r9.
        let lowered = lower("(i64, i64, i64, i64, i64, {i64, i64}, i64)", SYSV);
        assert_eq!(scalar(&lowered.params[6]).location, Location::Register);
        assert_eq!(
            scalar(&lowered.params[6]).abi_index,
            5,
            "r9 comes before the stack"
        );
        let ArgLowering::Pieces { pieces, .. } = &lowered.params[5] else {
            panic!("struct in pieces")
        };
        assert_eq!((pieces[0].abi_index, pieces[1].abi_index), (6, 7));
        assert!(lowered.fillers.is_empty(), "no register is left to fill");
        // An indirect result uses rdi: five more integers fill the rest.
        let lowered = lower("(i64, i64, i64, i64, i64, {i64}) -> {i64, i64, i64}", SYSV);
        let ArgLowering::Pieces { pieces, .. } = &lowered.params[5] else {
            panic!("struct in pieces")
        };
        assert_eq!(
            pieces[0].abi_index, 6,
            "after rdi (result) and five integers"
        );
    }

    #[test]
    fn results_in_rax_rdx_and_xmm0_xmm1() {
        let result = SysV.struct_result(&"{f64, i32}".parse().unwrap());
        let parts = vec![part(0, 8, types::F64), part(8, 8, types::I64)];
        assert_eq!(result, AggregateResult::Registers(parts));
        let result = SysV.struct_result(&"{[i8; 17]}".parse().unwrap());
        assert_eq!(result, AggregateResult::Indirect);
        assert_eq!(SysV.result_pointer(), ResultPointer::FirstIntegerArgument);
    }

    #[test]
    fn variadic_calls_count_vector_registers_in_al() {
        let fixed = lower("(ptr, f64, i32, f64)", SYSV);
        assert_eq!(fixed.variadic, None);
        let lowered = lower("(ptr, ...; f64, i32, f64)", SYSV);
        assert_eq!(
            scalars(&lowered),
            scalars(&fixed),
            "placed like fixed arguments"
        );
        let call = lowered.variadic.expect("a variadic call");
        assert_eq!(call.vector_registers, Some(2));
        assert_eq!(call.float_copies, 0);
        assert_eq!(lowered.shim(), Some(crate::abi::Shim::VectorCount(2)));
        // Fixed floats count too; the count stops at 8; none is 0.
        let lowered = lower(
            "(f64, ...; f64, f64, f64, f64, f64, f64, f64, f64, f64)",
            SYSV,
        );
        assert_eq!(lowered.variadic.unwrap().vector_registers, Some(8));
        let lowered = lower("(ptr, ...)", SYSV);
        assert_eq!(lowered.variadic.unwrap().vector_registers, Some(0));
        // A struct's SSE eightbytes take vector registers.
        let lowered = lower("(ptr, ...; {f64, f64}, {f32, i32})", SYSV);
        assert_eq!(lowered.variadic.unwrap().vector_registers, Some(2));
    }

    #[test]
    fn int128_is_two_integer_eightbytes_never_split() {
        use super::super::test_support::{filler_indices, piece_indices};
        // r9 stays free for the i64 after it; the i128 goes to the stack whole.
        let lowered = lower("(i64, i64, i64, i64, i64, i128, i64) -> i128", SYSV);
        assert_eq!(scalar(&lowered.params[6]).abi_index, 5, "r9");
        assert_eq!(piece_indices(&lowered.params[5]), [6, 7]);
        let ResultLowering::Pieces { pieces: halves, .. } = &lowered.result else {
            panic!("rax:rdx")
        };
        assert_eq!(halves.len(), 2);
        // A stack i128 after a 4-byte stack value starts at offset 16: one filler.
        let lowered = lower("(i64, i64, i64, i64, i64, i64, i32, i128)", SYSV);
        assert_eq!(filler_indices(&lowered), [7]);
        assert_eq!(piece_indices(&lowered.params[7]), [8, 9]);
        // In structs: {i128} is two INTEGER eightbytes, {i64, i128} is MEMORY.
        let i64_ = types::I64;
        let lowered = lower("({i128}, {i64, i128})", SYSV);
        assert_eq!(pieces(&lowered.params[0]), [part(0, 8, i64_), part(8, 8, i64_)]);
        assert_eq!(pieces(&lowered.params[1]).len(), 4, "on the stack, 32 bytes");
    }

    #[test]
    fn long_double_is_memory_and_comes_back_in_st0_float128_takes_an_xmm() {
        use super::super::test_support::{filler_indices, piece_indices};
        let (i64_, x2) = (types::I64, types::I64X2);
        // An f80 goes on the stack although every register is free; the i64 after it
        // still takes rsi (rdi took the first).
        let lowered = lower("(i64, f80, i64) -> f80", SYSV);
        assert_eq!(pieces(&lowered.params[1]), [part(0, 8, i64_), part(8, 8, i64_)]);
        assert_eq!(scalar(&lowered.params[2]).abi_index, 1, "rsi");
        assert!(matches!(lowered.result, ResultLowering::X87 { .. }));
        assert!(lowered.signature.returns.is_empty(), "st0 is not a Cranelift return");
        // After a 4-byte stack value it starts at offset 16.
        let lowered = lower("(i64, i64, i64, i64, i64, i64, i32, f80)", SYSV);
        assert_eq!(filler_indices(&lowered), [7]);
        assert_eq!(piece_indices(&lowered.params[7]), [8, 9]);
        // f128 in one xmm register, whole, and back in xmm0; on the stack without one.
        let lowered = lower("(f128, f64, f64, f64, f64, f64, f64, f64, f128) -> f128", SYSV);
        assert_eq!(pieces(&lowered.params[0]), [part(0, 16, x2)]);
        assert_eq!(pieces(&lowered.params[8]), [part(0, 8, i64_), part(8, 8, i64_)]);
        let ResultLowering::Pieces { pieces: ret, .. } = &lowered.result else {
            panic!("xmm0")
        };
        assert_eq!((ret.len(), ret[0].carrier), (1, x2));
        // Structs: {f80} is MEMORY as an argument but returned in st0; {f128} takes an
        // xmm; anything larger holding them is MEMORY.
        assert_eq!(SysV.struct_result(&"{f80}".parse().unwrap()), AggregateResult::X87);
        let lowered = lower("({f80}, {f128}, {f128, i64}) -> {f80, i8}", SYSV);
        assert_eq!(pieces(&lowered.params[0]).len(), 2, "on the stack");
        assert_eq!(pieces(&lowered.params[1]), [part(0, 16, x2)]);
        assert_eq!(pieces(&lowered.params[2]).len(), 4, "on the stack, 32 bytes");
        assert!(matches!(lowered.result, ResultLowering::Indirect { .. }));
    }

    #[test]
    fn complex_long_double_is_memory_and_comes_back_in_st0_and_st1() {
        use super::super::test_support::{filler_indices, piece_indices};
        // COMPLEX_X87: 32 bytes on the stack (16-aligned, after one filler for the
        // 4-byte stack value), the i64 after it in a register; the result on the x87
        // stack, not through a hidden pointer.
        let lowered = lower("(i64, i64, i64, i64, i64, i64, i32, complex<f80>, i64) -> complex<f80>", SYSV);
        assert_eq!(filler_indices(&lowered), [7]);
        assert_eq!(piece_indices(&lowered.params[7]), [8, 9, 10, 11]);
        assert!(matches!(lowered.result, ResultLowering::X87 { .. }));
        assert!(lowered.signature.returns.is_empty() && lowered.signature.params.len() == 13);
        // The struct of the same layout is MEMORY both ways: a hidden pointer in rdi.
        let lowered = lower("({f80, f80}) -> {f80, f80}", SYSV);
        assert_eq!(pieces(&lowered.params[0]).len(), 4);
        assert!(matches!(lowered.result, ResultLowering::Indirect { abi_index: 0, .. }));
        // A struct holding the complex value is MEMORY too (rule 1: 32 bytes).
        let lowered = lower("() -> {complex<f80>}", SYSV);
        assert!(matches!(lowered.result, ResultLowering::Indirect { .. }));
    }
}
