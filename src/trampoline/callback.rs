//! Callback (native-to-array) trampolines: real C function pointers that call a host
//! handler.
//!
//! The compiled function has exactly the C signature, in its convention. When called,
//! it stores its arguments into an argument array on its own stack, in the
//! [array layout](crate::array) downcalls read (struct arguments as pointers to their
//! bytes, which live in the trampoline's frame or, when passed by reference, in the
//! caller's copy), then calls
//!
//! ```c
//! void handler(void *context, Slot *args, void *result);
//! ```
//!
//! in the target's C convention, and returns what the handler wrote at `result` (for a
//! struct result: the struct's bytes; a struct returned through a hidden pointer is
//! written there directly). `handler` and `context` are loaded from the trampoline's
//! data entry, whose address is the one relocation in the code
//! ([`DATA_SYMBOL`](super::DATA_SYMBOL)): `[handler, context]`, two pointers.

use super::boundary::{self, Bookkeeping, Side};
use super::{data_entry_address, runtime_facing_signature};
use crate::abi::{self, ArgLowering, ResultLowering, Target};
use crate::array::{self, slot_offset, SLOT_SIZE};
use crate::error::Error;
use crate::signature::Signature;
use cranelift_codegen::ir::{self, InstBuilder, MemFlagsData, StackSlotData, StackSlotKind};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

/// Builds the IR of the callback trampoline for `signature` into `func`. With `exit`
/// bookkeeping it is an exit-recording callback (see [`super::boundary`]).
pub fn build(
    func: &mut ir::Function,
    builder_context: &mut FunctionBuilderContext,
    signature: &Signature,
    target: &Target,
    exit: Option<&Bookkeeping>,
) -> Result<(), Error> {
    let lowered = abi::lower_signature(signature, target)?;
    func.signature = lowered.signature.clone();
    let pointer = target.pointer_type();
    let mut builder = FunctionBuilder::new(func, builder_context);
    let incoming = super::entry_block(&mut builder);
    if let Some(bookkeeping) = exit {
        let context = match &lowered.params[bookkeeping.context_param] {
            ArgLowering::Scalar(scalar) => {
                abi::from_abi(&mut builder, scalar, incoming[scalar.abi_index])
            }
            _ => unreachable!("the context parameter is a ptr"),
        };
        boundary::emit_bookkeeping(&mut builder, bookkeeping, Side::Exit, context, target);
    }

    let args = stack_buffer(
        &mut builder,
        pointer,
        (lowered.params.len() * SLOT_SIZE) as u32,
    );
    for (index, param) in lowered.params.iter().enumerate() {
        let offset = slot_offset(index);
        match param {
            ArgLowering::Scalar(scalar) => {
                let value = abi::from_abi(&mut builder, scalar, incoming[scalar.abi_index]);
                array::store_value(&mut builder, &scalar.ty, value, args, offset);
            }
            ArgLowering::Pieces { ty, pieces } => {
                let bytes = stack_buffer(&mut builder, pointer, ty.size() as u32);
                for piece in pieces {
                    abi::store_piece(&mut builder, piece, incoming[piece.abi_index], bytes);
                }
                builder
                    .ins()
                    .store(MemFlagsData::trusted(), bytes, args, offset);
            }
            ArgLowering::ByReference { abi_index, .. } => {
                // The caller's copy is the handler's to read (and even to modify).
                let bytes = incoming[*abi_index];
                builder
                    .ins()
                    .store(MemFlagsData::trusted(), bytes, args, offset);
            }
        }
    }
    let result = match &lowered.result {
        ResultLowering::Indirect { abi_index, .. } => incoming[*abi_index],
        other => stack_buffer(&mut builder, pointer, other.ty().size() as u32),
    };

    let data = data_entry_address(&mut builder, pointer);
    let handler = builder
        .ins()
        .load(pointer, MemFlagsData::trusted(), data, 0);
    let context = builder.ins().load(
        pointer,
        MemFlagsData::trusted(),
        data,
        pointer.bytes() as i32,
    );
    let handler_sig = builder.import_signature(runtime_facing_signature(target, 3));
    builder
        .ins()
        .call_indirect(handler_sig, handler, &[context, args, result]);

    let returns = match &lowered.result {
        ResultLowering::Void | ResultLowering::Indirect { .. } => Vec::new(),
        ResultLowering::Scalar(scalar) => {
            let value = array::load_value(&mut builder, &scalar.ty, target, result, 0);
            vec![abi::to_abi(&mut builder, scalar, value)]
        }
        ResultLowering::Pieces { pieces, .. } => {
            let mut values = vec![None; pieces.len()];
            for piece in pieces {
                values[piece.abi_index] = Some(abi::load_piece(&mut builder, piece, result));
            }
            values
                .into_iter()
                .map(|v| v.expect("one value per return"))
                .collect()
        }
    };
    builder.ins().return_(&returns);
    builder.finalize(target.frontend_config());
    Ok(())
}

/// A zeroed-size-agnostic stack buffer of at least `size` bytes (at least one slot),
/// 16-byte aligned; returns its address.
fn stack_buffer(builder: &mut FunctionBuilder, pointer: ir::Type, size: u32) -> ir::Value {
    let slot = builder.create_sized_stack_slot(StackSlotData::new(
        StackSlotKind::ExplicitSlot,
        size.max(SLOT_SIZE as u32).next_multiple_of(16),
        4,
    ));
    builder.ins().stack_addr(pointer, slot, 0)
}
