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
use super::moves::{self, ResultSlot, SlotArray};
use super::runtime_facing_signature;
use crate::abi::{self, Target};
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
    let pointer = target.pointer_type();
    func.signature = runtime_facing_signature(target, if entry.is_some() { 4 } else { 3 });
    let mut builder = FunctionBuilder::new(func, builder_context);
    let params = super::entry_block(&mut builder);
    let (callee, mut args, mut result) = (
        params[0],
        SlotArray::new(params[1], pointer),
        ResultSlot::new(params[2]),
    );
    if let Some(bookkeeping) = entry {
        boundary::emit_capacity_check(&mut builder, bookkeeping, signature, params[3]);
        let context = args.pointer_at(&mut builder, bookkeeping.context_param);
        boundary::emit_bookkeeping(&mut builder, bookkeeping, Side::Entry, context, target);
    }

    let call_args = moves::call_args(&mut builder, &lowered, pointer, &mut args, &mut result);
    let callee_sig = builder.import_signature(lowered.signature.clone());
    let call = builder.ins().call_indirect(callee_sig, callee, &call_args);
    let returned = builder.inst_results(call).to_vec();
    moves::deliver_results(&mut builder, &lowered, &returned, &mut result);
    builder.ins().return_(&[]);
    builder.finalize(target.frontend_config());
    Ok(())
}
