//! Downcall (array-to-native) trampolines: a per-signature `ffi_call`.
//!
//! The compiled function has the C type
//!
//! ```c
//! void trampoline(void *callee, const Slot *args, Slot *result);
//! ```
//!
//! in the target's C convention. It loads every argument from `args` (see the
//! [array layout](crate::array)), calls `callee` with the signature's convention, and
//! stores the result in `*result` (nothing for `void`). `result` may equal `args`.

use super::runtime_facing_signature;
use crate::abi::{self, Target};
use crate::array::{self, slot_offset};
use crate::error::Error;
use crate::signature::Signature;
use cranelift_codegen::ir::{self, InstBuilder};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

/// Builds the IR of the downcall trampoline for `signature` into `func`.
pub fn build(
    func: &mut ir::Function,
    builder_context: &mut FunctionBuilderContext,
    signature: &Signature,
    target: &Target,
) -> Result<(), Error> {
    let lowered = abi::lower_signature(signature, target)?;
    func.signature = runtime_facing_signature(target, 3);
    let mut builder = FunctionBuilder::new(func, builder_context);
    let block = builder.create_block();
    builder.append_block_params_for_function_params(block);
    builder.switch_to_block(block);
    builder.seal_block(block);
    let &[callee, args, result] = builder.block_params(block) else {
        unreachable!("the trampoline signature has three parameters")
    };

    let mut call_args = Vec::with_capacity(lowered.signature.params.len());
    for (index, param) in lowered.params.iter().enumerate() {
        let value = array::load_value(&mut builder, &param.ty, target, args, slot_offset(index));
        call_args.push(abi::to_abi(&mut builder, param, value));
    }
    let callee_sig = builder.import_signature(lowered.signature.clone());
    let call = builder.ins().call_indirect(callee_sig, callee, &call_args);

    if let Some(ret) = &lowered.result {
        let carrier = builder.inst_results(call)[ret.abi_index];
        let value = abi::from_abi(&mut builder, ret, carrier);
        array::store_value(&mut builder, &ret.ty, value, result, 0);
    }
    builder.ins().return_(&[]);
    builder.finalize(target.frontend_config());
    Ok(())
}
