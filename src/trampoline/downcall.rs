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
use crate::signature::Signature;
use cranelift_codegen::ir::{self, InstBuilder};
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
    let params = super::entry_block(&mut builder);
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

    let mut call_args = super::outgoing_args(&mut builder, &lowered);
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
            aggregate => {
                let bytes = array::load_aggregate_address(&mut builder, target, args, offset);
                super::pass_struct(&mut builder, target, aggregate, bytes, &mut call_args);
            }
        }
    }
    let call_args = super::complete(call_args);
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
