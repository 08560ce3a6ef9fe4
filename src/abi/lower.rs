//! The generic driver: lowers a signature by asking the target convention's
//! [`Hooks`], then orders the values the way Cranelift must see them. It knows no
//! convention by name.

use super::hooks::{AggregateArg, AggregateResult, Hooks, Part, ResultPointer, ScalarPlace};
use super::hooks::{Carrier, RegisterFile, VariadicPart, INTEGER};
use super::{natural_type, Abi, Target};
use super::{ArgLowering, Extension, Filler, Location, LoweredSignature, ResultLowering};
use super::{Piece, ScalarLowering, VariadicCall};
use crate::error::Error;
use crate::signature::Signature;
use crate::types::{ScalarClass, Type};
use cranelift_codegen::ir::{self, types, AbiParam, ArgumentPurpose};

/// Lowers `signature` for `target`: the Cranelift signature of the C function and the
/// per-value work.
///
/// The layer decides itself which values travel in registers and which on the stack,
/// following the convention, because Cranelift's own assignment (each parameter takes
/// the next free register of its class) cannot express "this struct goes on the stack
/// although registers are free" (a rule of several conventions' `struct_argument`
/// hooks). So the Cranelift parameters are ordered: every register value first, in
/// order (which keeps each class's register order), then [`Filler`]s that use up the
/// registers no argument takes, then the stack values, in order (the order the stack
/// area holds them in).
pub fn lower_signature(signature: &Signature, target: &Target) -> Result<LoweredSignature, Error> {
    signature.validate()?;
    let abi = target.resolve(signature.convention)?;
    let hooks = abi.hooks();
    let mut lacking = None;
    for ty in signature.params.iter().chain([&signature.result]) {
        ty.for_each_scalar(0, &mut |_, scalar| {
            if let (None, Some(reason)) = (&lacking, hooks.lacks(scalar)) {
                lacking = Some((scalar.clone(), reason));
            }
        });
    }
    if let Some((ty, reason)) = lacking {
        return Err(Error::UnsupportedType {
            signature: signature.clone(),
            ty,
            convention: abi.convention(),
            reason,
        });
    }
    Ok(lower_with(hooks, abi, signature, target))
}

/// Lowers a validated `signature` for `abi`, whose rules are `hooks`.
fn lower_with(
    hooks: &dyn Hooks,
    abi: Abi,
    signature: &Signature,
    target: &Target,
) -> LoweredSignature {
    let mut registers = hooks.registers();
    let mut values = AbiValues::with_capacity(signature.params.len() + 1);

    // The result first: an indirect result's pointer may take the first argument
    // register (the convention's `result_pointer` hook says).
    let mut returns = Vec::new();
    let result = match &signature.result {
        Type::Void => ResultLowering::Void,
        ty if ty.is_aggregate() || ty.is_wide() => match aggregate_result(hooks, ty) {
            AggregateResult::Registers(parts) => ResultLowering::Pieces {
                ty: ty.clone(),
                pieces: parts
                    .into_iter()
                    .map(|part| {
                        returns.push(AbiParam::new(part.carrier));
                        part.piece(returns.len() - 1)
                    })
                    .collect(),
            },
            AggregateResult::X87 => ResultLowering::X87 { ty: ty.clone() },
            AggregateResult::Indirect => {
                if hooks.result_pointer() == ResultPointer::FirstIntegerArgument {
                    registers.take(INTEGER);
                }
                let pointer =
                    AbiParam::special(target.pointer_type(), ArgumentPurpose::StructReturn);
                ResultLowering::Indirect {
                    ty: ty.clone(),
                    abi_index: values.push(pointer, Location::Register),
                }
            }
        },
        // A scalar result comes back in the first return register of its class.
        ty => {
            let lowering = lower_scalar(hooks, ty, target, Location::Register);
            returns.push(AbiParam::new(lowering.carrier));
            ResultLowering::Scalar(lowering)
        }
    };

    let mut params = Vec::with_capacity(signature.params.len());
    let mut variadic = VariadicCall::default();
    for (index, ty) in signature.params.iter().enumerate() {
        let in_variadic_part = signature.is_variadic_arg(index);
        let class = ty.class().filter(|_| !ty.is_wide());
        let lowering = match class {
            Some(class) => {
                let place = if in_variadic_part {
                    let mut part = VariadicPart {
                        registers: &mut registers,
                        call: &mut variadic,
                    };
                    hooks.variadic_scalar(class, &mut part)
                } else {
                    hooks.scalar(class, &mut registers)
                };
                let mut lowering = match place {
                    ScalarPlace::Own(location) => lower_scalar(hooks, ty, target, location),
                    ScalarPlace::FloatInIntegerRegister => {
                        let mut lowering = lower_scalar(hooks, ty, target, Location::Register);
                        lowering.carrier = types::I64;
                        lowering.extension = Extension::FloatBits;
                        lowering
                    }
                    ScalarPlace::StackSlot => {
                        let mut lowering = lower_scalar(hooks, ty, target, Location::Stack);
                        if let Some(ScalarClass::Integer { bytes, signed }) = ty.class() {
                            if bytes < 8 {
                                let carrier = Carrier::extended(types::I64, signed);
                                (lowering.carrier, lowering.extension) =
                                    (carrier.ty, carrier.extension);
                            }
                        }
                        lowering
                    }
                };
                lowering.abi_index =
                    values.push(AbiParam::new(lowering.carrier), lowering.location);
                ArgLowering::Scalar(lowering)
            }
            None => {
                let place = if ty.is_wide() {
                    hooks.wide_scalar(ty, &mut registers, in_variadic_part)
                } else if in_variadic_part {
                    hooks.variadic_struct(ty, &mut registers)
                } else {
                    hooks.struct_argument(ty, &mut registers)
                };
                for _ in 0..registers.take_skipped() {
                    values.push_padding(Location::Register);
                }
                lower_aggregate_arg(hooks, place, ty, target, &mut values)
            }
        };
        params.push(lowering);
    }
    let variadic = signature.variadic_from.map(|_| {
        hooks.finish_variadic(&registers, &mut variadic);
        variadic
    });

    let (mut lowered, fillers, position) = order(hooks, &values, &registers);
    for param in &mut params {
        param.remap(&position);
    }
    let result = match result {
        ResultLowering::Indirect { ty, abi_index } => ResultLowering::Indirect {
            ty,
            abi_index: position[abi_index],
        },
        other => other,
    };
    lowered.returns = returns;
    LoweredSignature {
        abi,
        signature: lowered,
        params,
        result,
        fillers,
        variadic,
    }
}

/// Orders `values` for Cranelift: register values, fillers for the registers of each
/// class no argument took (only when a stack value of that class exists, or Cranelift
/// would put it there), stack values. Returns the signature's parameters, the fillers
/// and each value's Cranelift parameter index by its position in `values`.
fn order(
    hooks: &dyn Hooks,
    values: &AbiValues,
    registers: &RegisterFile,
) -> (ir::Signature, Vec<Filler>, Vec<usize>) {
    let in_registers: Vec<usize> = values.positions(Location::Register).collect();
    let on_stack: Vec<usize> = values.positions(Location::Stack).collect();
    let int_fill = if values.stack_class_used(false) {
        registers.int_untaken()
    } else {
        0
    };
    let float_fill = if values.stack_class_used(true) {
        registers.float_untaken()
    } else {
        0
    };
    let mut lowered = ir::Signature::new(hooks.call_conv());
    lowered.params.reserve(values.params.len() + usize::from(int_fill + float_fill));
    let mut fillers = Vec::new();
    for &i in &in_registers {
        values.push_to(i, &mut lowered, &mut fillers);
    }
    for carrier in std::iter::repeat_n(types::I64, int_fill.into())
        .chain(std::iter::repeat_n(types::F64, float_fill.into()))
    {
        fillers.push(Filler {
            abi_index: lowered.params.len(),
            carrier,
        });
        lowered.params.push(AbiParam::new(carrier));
    }
    let stack_start = lowered.params.len();
    for &i in &on_stack {
        values.push_to(i, &mut lowered, &mut fillers);
    }
    let mut position = vec![0; values.params.len()];
    for (index, &i) in in_registers.iter().enumerate() {
        position[i] = index;
    }
    for (index, &i) in on_stack.iter().enumerate() {
        position[i] = stack_start + index;
    }
    (lowered, fillers, position)
}

/// The ABI parameters of a signature in C order, with where each travels.
#[derive(Default)]
struct AbiValues {
    params: Vec<AbiParam>,
    locations: Vec<Location>,
    /// Whether each value is padding: a filler that only occupies a register skipped
    /// for alignment or the stack bytes before a 16-aligned argument.
    padding: Vec<bool>,
}

impl AbiValues {
    /// Room for `n` values without growing (one per scalar: the usual case).
    fn with_capacity(n: usize) -> AbiValues {
        AbiValues {
            params: Vec::with_capacity(n),
            locations: Vec::with_capacity(n),
            padding: Vec::with_capacity(n),
        }
    }

    /// Appends a parameter and returns its position.
    fn push(&mut self, param: AbiParam, location: Location) -> usize {
        self.params.push(param);
        self.locations.push(location);
        self.padding.push(false);
        self.params.len() - 1
    }

    /// Appends an 8-byte integer filler at `location`.
    fn push_padding(&mut self, location: Location) {
        self.push(AbiParam::new(types::I64), location);
        *self.padding.last_mut().expect("just pushed") = true;
    }

    /// Appends value `i` to `signature`, recording it in `fillers` if it is padding.
    fn push_to(&self, i: usize, signature: &mut ir::Signature, fillers: &mut Vec<Filler>) {
        if self.padding[i] {
            fillers.push(Filler {
                abi_index: signature.params.len(),
                carrier: self.params[i].value_type,
            });
        }
        signature.params.push(self.params[i]);
    }

    /// Bytes the stack values so far take in the argument area.
    fn stack_offset(&self, hooks: &dyn Hooks) -> u32 {
        self.positions(Location::Stack).fold(0, |offset, i| {
            let bytes = hooks.stack_bytes(self.params[i].value_type);
            offset.next_multiple_of(bytes) + bytes
        })
    }

    /// Pads the stack area with 8-byte fillers until the next value, an 8-byte one,
    /// starts at a multiple of `align`.
    fn align_stack(&mut self, hooks: &dyn Hooks, align: u32) {
        while !self.stack_offset(hooks).next_multiple_of(8).is_multiple_of(align) {
            self.push_padding(Location::Stack);
        }
    }

    /// Appends a struct part and returns it as a [`Piece`].
    fn push_part(&mut self, part: Part, location: Location) -> Piece {
        part.piece(self.push(AbiParam::new(part.carrier), location))
    }

    /// Positions of the values at `location`, in order.
    fn positions(&self, location: Location) -> impl Iterator<Item = usize> + '_ {
        (0..self.params.len()).filter(move |&i| self.locations[i] == location)
    }

    /// Whether a stack value of this register class exists (then free registers of
    /// that class must be filled, or Cranelift would put the value there).
    fn stack_class_used(&self, float: bool) -> bool {
        self.params
            .iter()
            .zip(&self.locations)
            .any(|(p, l)| *l == Location::Stack && p.value_type.is_float() == float)
    }
}

impl ArgLowering {
    /// Replaces value positions by Cranelift parameter indices.
    fn remap(&mut self, position: &[usize]) {
        match self {
            ArgLowering::Scalar(scalar) => scalar.abi_index = position[scalar.abi_index],
            ArgLowering::Pieces { pieces, .. } => {
                for piece in pieces {
                    piece.abi_index = position[piece.abi_index];
                }
            }
            ArgLowering::ByReference { abi_index, .. } => *abi_index = position[*abi_index],
        }
    }
}

/// Where a struct or 16-byte scalar result comes back, as the convention says.
fn aggregate_result(hooks: &dyn Hooks, ty: &Type) -> AggregateResult {
    if ty.is_wide() {
        hooks.wide_result(ty)
    } else {
        hooks.struct_result(ty)
    }
}

/// A struct (or wide integer) argument's lowering, placed by the convention as
/// `place`; its first stack part, if any, at the convention's stack alignment.
fn lower_aggregate_arg(
    hooks: &dyn Hooks,
    place: AggregateArg,
    ty: &Type,
    target: &Target,
    values: &mut AbiValues,
) -> ArgLowering {
    if matches!(place, AggregateArg::Stack(_)) {
        values.align_stack(hooks, hooks.stack_alignment(ty));
    }
    let placed: Vec<(Part, Location)> = match place {
        AggregateArg::ByReference { location } => {
            return ArgLowering::ByReference {
                ty: ty.clone(),
                abi_index: values.push(AbiParam::new(target.pointer_type()), location),
            }
        }
        AggregateArg::Split { registers, stack } => registers
            .into_iter()
            .map(|part| (part, Location::Register))
            .chain(stack.into_iter().map(|part| (part, Location::Stack)))
            .collect(),
        AggregateArg::Registers(parts) => parts
            .into_iter()
            .map(|part| (part, Location::Register))
            .collect(),
        AggregateArg::Stack(parts) => parts
            .into_iter()
            .map(|part| (part, Location::Stack))
            .collect(),
    };
    ArgLowering::Pieces {
        ty: ty.clone(),
        pieces: placed
            .into_iter()
            .map(|(part, location)| values.push_part(part, location))
            .collect(),
    }
}

/// One scalar's lowering at `location`: integers narrower than 8 bytes travel as the
/// convention's carrier for that location; every other scalar as itself.
fn lower_scalar(
    hooks: &dyn Hooks,
    ty: &Type,
    target: &Target,
    location: Location,
) -> ScalarLowering {
    let natural = natural_type(ty, target).expect("only scalars are lowered here");
    let (carrier, extension) = match ty.class() {
        Some(ScalarClass::Integer { bytes, signed }) if bytes < 8 => {
            let carrier = hooks.narrow_integer(bytes, signed, location);
            (carrier.ty, carrier.extension)
        }
        _ => (natural, Extension::None),
    };
    ScalarLowering {
        ty: ty.clone(),
        natural,
        carrier,
        extension,
        location,
        abi_index: 0,
    }
}

#[cfg(test)]
mod tests {
    //! The driver against a made-up convention: the ordering and the remapping depend
    //! only on the hooks' answers.
    use super::*;
    use cranelift_codegen::isa::CallConv;
    use target_lexicon::Architecture;

    /// Two integer and one float register; structs always on the stack; indirect
    /// results in the first integer register; narrow integers as `i64`.
    struct Tiny;

    impl Hooks for Tiny {
        fn call_conv(&self) -> CallConv {
            CallConv::Fast
        }
        fn architecture(&self) -> Architecture {
            Architecture::Unknown
        }
        fn page_size_log2(&self) -> u8 {
            16
        }
        fn registers(&self) -> RegisterFile {
            RegisterFile::separate(2, 1)
        }
        fn return_registers(&self) -> (u8, u8) {
            (1, 1)
        }
        fn narrow_integer(&self, _bytes: u8, signed: bool, _location: Location) -> Carrier {
            Carrier::extended(types::I64, signed)
        }
        fn struct_argument(&self, ty: &Type, _registers: &mut RegisterFile) -> AggregateArg {
            AggregateArg::Stack(super::super::hooks::integer_parts(ty.size()))
        }
        fn struct_result(&self, _ty: &Type) -> AggregateResult {
            AggregateResult::Indirect
        }
        fn wide_scalar(&self, ty: &Type, registers: &mut RegisterFile, _: bool) -> AggregateArg {
            registers.align_int_pair();
            self.struct_argument(ty, registers)
        }
        fn wide_result(&self, _ty: &Type) -> AggregateResult {
            AggregateResult::Registers(super::super::hooks::wide_halves())
        }
        fn stack_alignment(&self, ty: &Type) -> u32 {
            ty.align() as u32
        }
    }

    fn values(types: &[(ir::Type, Location)]) -> AbiValues {
        let mut values = AbiValues::default();
        for &(ty, location) in types {
            values.push(AbiParam::new(ty), location);
        }
        values
    }

    fn lower_tiny(text: &str) -> LoweredSignature {
        let target: Target = "x86_64-unknown-linux-gnu".parse().unwrap();
        let abi = target.c_abi();
        lower_with(&Tiny, abi, &text.parse().unwrap(), &target)
    }

    #[test]
    fn registers_then_fillers_then_stack() {
        let (r, s) = (Location::Register, Location::Stack);
        let values = values(&[(types::I64, s), (types::F64, r), (types::I32, r)]);
        let mut registers = Tiny.registers();
        registers.take(INTEGER);
        registers.take(ScalarClass::Float { bytes: 8 });
        let (signature, fillers, position) = order(&Tiny, &values, &registers);
        assert_eq!(position, [3, 0, 1], "register values first, stack last");
        // One integer register is untaken and an integer is on the stack: one filler.
        let filler = Filler {
            abi_index: 2,
            carrier: types::I64,
        };
        assert_eq!(fillers, [filler]);
        assert_eq!(signature.params.len(), 4);
        assert_eq!(signature.params[3].value_type, types::I64);
        assert_eq!(signature.call_conv, CallConv::Fast, "the hook's convention");
    }

    #[test]
    fn no_fillers_for_a_class_without_stack_values() {
        let (r, s) = (Location::Register, Location::Stack);
        let values = values(&[(types::F64, s), (types::I64, r)]);
        let (_, fillers, position) = order(&Tiny, &values, &Tiny.registers());
        // Two integer registers are untaken but no integer is on the stack; the float
        // register is untaken and a float is on the stack.
        let filler = Filler {
            abi_index: 1,
            carrier: types::F64,
        };
        assert_eq!(fillers, [filler]);
        assert_eq!(position, [2, 0]);
    }

    #[test]
    fn lowering_follows_the_hooks_answers() {
        // The result pointer takes the first integer register, i8 the second; the
        // struct goes on the stack, the first f64 takes the float register.
        let lowered = lower_tiny("(i8, {i64}, f64, f64) -> {i64, i64, i64}");
        assert!(matches!(
            lowered.result,
            ResultLowering::Indirect { abi_index: 0, .. }
        ));
        let ArgLowering::Scalar(narrow) = &lowered.params[0] else {
            panic!("scalar")
        };
        assert_eq!(
            (narrow.carrier, narrow.extension, narrow.abi_index),
            (types::I64, Extension::Sign, 1)
        );
        let ArgLowering::Pieces { pieces, .. } = &lowered.params[1] else {
            panic!("struct in pieces")
        };
        assert_eq!(pieces, &[Part::new(0, 8, types::I64).piece(3)]);
        let index = |i: usize| match &lowered.params[i] {
            ArgLowering::Scalar(scalar) => (scalar.location, scalar.abi_index),
            other => panic!("not a scalar: {other:?}"),
        };
        assert_eq!(index(2), (Location::Register, 2));
        assert_eq!(index(3), (Location::Stack, 4));
        assert!(lowered.fillers.is_empty(), "every register is taken");
        assert_eq!(lowered.signature.params.len(), 5);
        // With both integer registers free, the stack struct needs two fillers first.
        let lowered = lower_tiny("(f64, {i64})");
        let abi_indices: Vec<_> = lowered.fillers.iter().map(|f| f.abi_index).collect();
        assert_eq!(abi_indices, [1, 2]);
        let ArgLowering::Pieces { pieces, .. } = &lowered.params[1] else {
            panic!("struct in pieces")
        };
        assert_eq!(pieces[0].abi_index, 3);
    }

    #[test]
    fn skipped_registers_and_stack_alignment_are_filled_in_place() {
        // The i128 skips the odd register (a filler there) and, on the stack, starts at
        // a multiple of 16: after the 8-byte struct, one stack filler.
        let lowered = lower_tiny("(i64, {i64}, i128)");
        let abi_indices: Vec<_> = lowered.fillers.iter().map(|f| f.abi_index).collect();
        assert_eq!(abi_indices, [1, 3]);
        let ArgLowering::Pieces { pieces, .. } = &lowered.params[1] else {
            panic!("struct in pieces")
        };
        assert_eq!(pieces[0].abi_index, 2);
        let ArgLowering::Pieces { pieces, .. } = &lowered.params[2] else {
            panic!("i128 in pieces")
        };
        let halves: Vec<_> = pieces.iter().map(|p| (p.offset, p.abi_index)).collect();
        assert_eq!(halves, [(0, 4), (8, 5)]);
        assert_eq!(lowered.signature.params.len(), 6);
        // At offset 0 no stack filler is needed.
        let lowered = lower_tiny("(i64, i128) -> i128");
        let abi_indices: Vec<_> = lowered.fillers.iter().map(|f| f.abi_index).collect();
        assert_eq!(abi_indices, [1]);
        assert!(matches!(lowered.result, ResultLowering::Pieces { ref pieces, .. } if pieces.len() == 2));
    }
}
