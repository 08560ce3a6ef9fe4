//! The generic caller of a convention: one function per engine (and stack-block size)
//! that calls any C function a [`CallPlan`](crate::abi::plan::CallPlan) describes.
//!
//! The compiled function has the C type
//!
//! ```c
//! void generic(void *callee, const uint64_t *arguments, uint64_t *results);
//! ```
//!
//! It loads every argument register and stack word of its
//! [`GenericFrame`](crate::abi::plan::GenericFrame) from `arguments` (the argument
//! block), calls `callee` with them, and stores every result register to `results`
//! (the result block). Which value goes in which word is the plan's business and the
//! moving of values in and out of the blocks is `moves.rs`'s; this builder only loads
//! words and stores words.

use super::runtime_facing_signature;
use crate::abi::plan::GenericFrame;
use crate::abi::Target;
use crate::ir_bytes;
use cranelift_codegen::ir::{self, InstBuilder};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

/// Builds the IR of the generic caller for `frame` into `func`.
pub fn build(
    func: &mut ir::Function,
    builder_context: &mut FunctionBuilderContext,
    frame: &GenericFrame,
    target: &Target,
) {
    func.signature = runtime_facing_signature(target, 3);
    let callee_signature = frame.callee_signature();
    let mut builder = FunctionBuilder::new(func, builder_context);
    let params = super::entry_block(&mut builder);
    let (callee, arguments, results) = (params[0], params[1], params[2]);
    let flags = ir_bytes::slot_flags();
    let words: Vec<ir::Value> = callee_signature
        .params
        .iter()
        .enumerate()
        .map(|(word, param)| {
            let offset = (word * 8) as i32;
            builder
                .ins()
                .load(param.value_type, flags, arguments, offset)
        })
        .collect();
    let call = match frame.shim {
        None => {
            let signature = builder.import_signature(callee_signature);
            builder.ins().call_indirect(signature, callee, &words)
        }
        Some(shim) => super::call_through_shim(&mut builder, shim, callee_signature, callee, &words),
    };
    let returned = builder.inst_results(call).to_vec();
    for (word, value) in returned.into_iter().enumerate() {
        builder.ins().store(flags, value, results, (word * 8) as i32);
    }
    builder.ins().return_(&[]);
    builder.finalize(target.frontend_config());
}
