//! Downcall (array-to-native) trampolines: a per-signature `ffi_call`.
//!
//! The compiled function has the C type
//!
//! ```c
//! void trampoline(void *callee, const Slot *args, void *result);
//! ```
//!
//! in the target's C convention. It loads every argument from `args` (see the
//! [array layout](crate::array)), calls `callee` with the signature's convention, and
//! stores the result at `result` (nothing for `void`). Every argument is read before
//! the result is written, so `result` may point into `args`.

use super::boundary::{self, Bookkeeping, Side};
use super::runtime_facing_signature;
use crate::abi::{self, ArgLowering, ResultLowering, Target};
use crate::array::{self, slot_offset};
use crate::error::Error;
use crate::ir_bytes;
use crate::signature::Signature;
use cranelift_codegen::ir::{self, InstBuilder, StackSlotData, StackSlotKind};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

/// Builds the IR of the downcall trampoline for `signature` into `func`. With
/// `entry` bookkeeping it is an entry-recording downcall taking a fourth parameter,
/// the array's capacity in slots (see [`super::boundary`]).
pub fn build(
    func: &mut ir::Function,
    builder_context: &mut FunctionBuilderContext,
    signature: &Signature,
    target: &Target,
    entry: Option<&Bookkeeping>,
) -> Result<(), Error> {
    let lowered = abi::lower_signature(signature, target)?;
    func.signature = runtime_facing_signature(target, if entry.is_some() { 4 } else { 3 });
    let mut builder = FunctionBuilder::new(func, builder_context);
    let block = builder.create_block();
    builder.append_block_params_for_function_params(block);
    builder.switch_to_block(block);
    builder.seal_block(block);
    let params = builder.block_params(block).to_vec();
    let (callee, args, result) = (params[0], params[1], params[2]);
    if let Some(bookkeeping) = entry {
        boundary::emit_capacity_check(&mut builder, bookkeeping, signature, params[3]);
        let context = array::load_aggregate_address(
            &mut builder,
            target,
            args,
            slot_offset(bookkeeping.context_param),
        );
        boundary::emit_bookkeeping(&mut builder, bookkeeping, Side::Entry, context, target);
    }

    let mut call_args: Vec<Option<ir::Value>> = vec![None; lowered.signature.params.len()];
    for filler in &lowered.fillers {
        call_args[filler.abi_index] = Some(zero(&mut builder, filler.carrier));
    }
    if let ResultLowering::Indirect { abi_index, .. } = lowered.result {
        // The callee writes the struct straight into the result place.
        call_args[abi_index] = Some(result);
    }
    for (index, param) in lowered.params.iter().enumerate() {
        let offset = slot_offset(index);
        match param {
            ArgLowering::Scalar(scalar) => {
                let value = array::load_value(&mut builder, &scalar.ty, target, args, offset);
                call_args[scalar.abi_index] = Some(abi::to_abi(&mut builder, scalar, value));
            }
            ArgLowering::Pieces { pieces, .. } => {
                let bytes = array::load_aggregate_address(&mut builder, target, args, offset);
                for piece in pieces {
                    call_args[piece.abi_index] = Some(abi::load_piece(&mut builder, piece, bytes));
                }
            }
            ArgLowering::ByReference { ty, abi_index } => {
                // The callee may write to its copy, never to the runtime's value.
                let bytes = array::load_aggregate_address(&mut builder, target, args, offset);
                let copy = stack_copy(&mut builder, target, bytes, ty.size() as u32, 16);
                call_args[*abi_index] = Some(copy);
            }
        }
    }
    let call_args: Vec<ir::Value> = call_args
        .into_iter()
        .map(|arg| arg.expect("the lowering gives every ABI parameter a value"))
        .collect();
    let callee_sig = builder.import_signature(lowered.signature.clone());
    let call = builder.ins().call_indirect(callee_sig, callee, &call_args);

    let returned = builder.inst_results(call).to_vec();
    match &lowered.result {
        ResultLowering::Void | ResultLowering::Indirect { .. } => {}
        ResultLowering::Scalar(scalar) => {
            let value = abi::from_abi(&mut builder, scalar, returned[scalar.abi_index]);
            array::store_value(&mut builder, &scalar.ty, value, result, 0);
        }
        ResultLowering::Pieces { pieces, .. } => {
            for piece in pieces {
                abi::store_piece(&mut builder, piece, returned[piece.abi_index], result);
            }
        }
    }
    builder.ins().return_(&[]);
    builder.finalize(target.frontend_config());
    Ok(())
}

fn zero(builder: &mut FunctionBuilder, ty: ir::Type) -> ir::Value {
    if ty.is_float() {
        builder.ins().f64const(0.0)
    } else {
        builder.ins().iconst(ty, 0)
    }
}

/// Copies `size` bytes at `src` into a new stack slot aligned to `align` and returns
/// the slot's address.
fn stack_copy(
    builder: &mut FunctionBuilder,
    target: &Target,
    src: ir::Value,
    size: u32,
    align: u32,
) -> ir::Value {
    let slot = builder.create_sized_stack_slot(StackSlotData::new(
        StackSlotKind::ExplicitSlot,
        size.next_multiple_of(align),
        align.trailing_zeros() as u8,
    ));
    let address = builder.ins().stack_addr(target.pointer_type(), slot, 0);
    ir_bytes::copy_bytes(builder, address, src, size);
    address
}
