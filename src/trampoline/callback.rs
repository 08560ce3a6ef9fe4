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
//! in the target's C convention (a [`Request::PointerCallback`](super::Request) hands
//! it libffi's layout instead: `args` an array of pointers to the values, which live
//! in the trampoline's frame or the caller's copy), and returns what the handler wrote at `result` (for a
//! struct result: the struct's bytes; a struct returned through a hidden pointer is
//! written there directly). `handler` and `context` are loaded from the trampoline's
//! data entry, whose address is the one relocation in the code
//! ([`DATA_SYMBOL`](super::DATA_SYMBOL)): `[handler, context]`, two pointers.
//!
//! The context-binding form ([`build_bound`]) reads the same entry but calls
//!
//! ```c
//! R handler(void *context, P0 a0, P1 a1, ...);
//! ```
//!
//! in the signature's convention: the C arguments unchanged, after the context, and
//! the handler's result returned as it is (no argument array, no result place).

use super::boundary::{self, Bookkeeping, Side};
use super::moves::{self, IrResult, IrValues, PointerArray, ResultSlot, SlotArray};
use super::{data_entry_address, runtime_facing_signature, ArgLayout};
use crate::abi::{self, ResultLowering, Target};
use crate::array::SLOT_SIZE;
use crate::error::Error;
use crate::ir_bytes;
use crate::signature::Signature;
use crate::types::Type;
use cranelift_codegen::ir::{self, InstBuilder};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

/// Builds the IR of the callback trampoline for `signature` into `func`. With `exit`
/// bookkeeping it is an exit-recording callback (see [`super::boundary`]); its handler
/// gets the arguments in `layout`.
pub fn build(
    func: &mut ir::Function,
    builder_context: &mut FunctionBuilderContext,
    signature: &Signature,
    target: &Target,
    exit: Option<&Bookkeeping>,
    layout: ArgLayout,
) -> Result<(), Error> {
    let lowered = abi::lower_signature(signature, target)?;
    func.signature = lowered.signature.clone();
    let pointer = target.pointer_type();
    let mut builder = FunctionBuilder::new(func, builder_context);
    let incoming = super::entry_block(&mut builder);
    if let Some(bookkeeping) = exit {
        let context =
            boundary::context_value(&mut builder, signature, bookkeeping, &lowered, &incoming, target)?;
        boundary::emit_bookkeeping(&mut builder, bookkeeping, Side::Exit, context, target);
    }

    let count = lowered.params.len();
    let args = match layout {
        ArgLayout::Slots => {
            let args = moves::frame_buffer(&mut builder, pointer, (count * SLOT_SIZE) as u32);
            let mut sink = SlotArray::new(args, pointer);
            moves::deliver_args(&mut builder, &lowered, &incoming, &mut sink);
            args
        }
        ArgLayout::Pointers => {
            let (mut sink, args) = PointerArray::in_frame(&mut builder, count, pointer);
            moves::deliver_args(&mut builder, &lowered, &incoming, &mut sink);
            args
        }
    };
    let result = match &lowered.result {
        ResultLowering::Indirect { abi_index, .. } => incoming[*abi_index],
        other => moves::frame_buffer(&mut builder, pointer, other.ty().size() as u32),
    };

    let (handler, context) = load_entry(&mut builder, pointer);
    let handler_sig = builder.import_signature(runtime_facing_signature(target, 3));
    builder
        .ins()
        .call_indirect(handler_sig, handler, &[context, args, result]);

    let mut result = ResultSlot::of_layout(result, layout);
    let returns = moves::return_values(&mut builder, &lowered, &mut result);
    builder.ins().return_(&returns);
    builder.finalize(target.frontend_config());
    Ok(())
}

/// The signature a bound callback's handler has: a `ptr` context, then the C
/// parameters (a variadic signature's arguments all as fixed parameters), the same
/// result and convention.
pub fn bound_handler_signature(signature: &Signature) -> Signature {
    let params: Vec<Type> = std::iter::once(Type::Ptr)
        .chain(signature.params.iter().cloned())
        .collect();
    Signature::new(params, signature.result.clone()).with_convention(signature.convention)
}

/// Builds the IR of the context-binding callback for `signature` into `func`: it
/// loads `[handler, context]` from its data entry and returns
/// `handler(context, args...)` (see the module documentation).
pub fn build_bound(
    func: &mut ir::Function,
    builder_context: &mut FunctionBuilderContext,
    signature: &Signature,
    target: &Target,
) -> Result<(), Error> {
    let lowered = abi::lower_signature(signature, target)?;
    let handler_lowered = abi::lower_signature(&bound_handler_signature(signature), target)?;
    func.signature = lowered.signature.clone();
    let pointer = target.pointer_type();
    let mut builder = FunctionBuilder::new(func, builder_context);
    let incoming = super::entry_block(&mut builder);

    let (handler, context) = load_entry(&mut builder, pointer);
    let mut values = vec![context];
    values.extend((0..lowered.params.len()).map(|index| {
        moves::incoming_value(&mut builder, &lowered, &incoming, index, pointer)
    }));
    // A struct result: the caller's hidden place, or one in this frame for the
    // pieces the handler returns in registers (or a `long double` it returns in
    // `st0`).
    let place = match &lowered.result {
        ResultLowering::Indirect { abi_index, .. } => Some(incoming[*abi_index]),
        ResultLowering::Pieces { ty, .. } | ResultLowering::X87 { ty } => {
            Some(moves::frame_buffer(&mut builder, pointer, ty.size() as u32))
        }
        ResultLowering::Void | ResultLowering::Scalar(_) => None,
    };
    let mut result = IrResult { place, value: None };
    let call_args = moves::call_args(
        &mut builder,
        &handler_lowered,
        pointer,
        &mut IrValues::new(&values),
        &mut result,
    );
    let handler_sig = builder.import_signature(handler_lowered.signature.clone());
    let call = builder.ins().call_indirect(handler_sig, handler, &call_args);
    let returned = builder.inst_results(call).to_vec();
    moves::deliver_results(&mut builder, &handler_lowered, &returned, &mut result);
    let returns = moves::return_values(&mut builder, &lowered, &mut result);
    builder.ins().return_(&returns);
    builder.finalize(target.frontend_config());
    Ok(())
}

/// Loads `[handler, context]` from the trampoline's data entry.
fn load_entry(builder: &mut FunctionBuilder, pointer: ir::Type) -> (ir::Value, ir::Value) {
    let data = data_entry_address(builder, pointer);
    let flags = ir_bytes::slot_flags();
    let handler = builder.ins().load(pointer, flags, data, 0);
    let context = builder
        .ins()
        .load(pointer, flags, data, pointer.bytes() as i32);
    (handler, context)
}
