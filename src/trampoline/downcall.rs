//! Downcall (array-to-native) trampolines: a per-signature `ffi_call`.
//!
//! The compiled function has the C type
//!
//! ```c
//! void trampoline(void *callee, const Slot *args, void *result);
//! ```
//!
//! in the target's C convention. It loads every argument from `args` (see the
//! [array layout](crate::array); a [`Request::PointerDowncall`](super::Request) reads
//! libffi's array of pointers to the values instead, `void *const *args`), calls `callee` with the signature's convention, and
//! stores the result at `result` (nothing for `void`). Every argument is read before
//! the result is written, so `result` may point into `args`.
//!
//! A call of a variadic function whose convention needs register setup Cranelift
//! cannot express goes through the ABI layer's [shim](crate::abi::shim): the
//! trampoline saves the pinned register, puts the callee in it, calls the shim (a
//! symbol in [`SHIM_NAMESPACE`](crate::abi::shim::SHIM_NAMESPACE), which the compiler
//! resolves) and restores the register. Such trampolines are compiled with
//! `enable_pinned_reg`.

use super::boundary::{self, Bookkeeping, Side};
use super::moves::{self, PointerArray, ResultSlot, SlotArray};
use super::{runtime_facing_signature, ArgLayout};
use crate::abi::{self, ErrnoMode, Target};
use crate::error::Error;
use crate::signature::Signature;
use cranelift_codegen::ir::{self, InstBuilder};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

/// What a downcall is specialised on besides its signature.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options<'a> {
    /// Entry bookkeeping: an entry-recording downcall taking a fourth parameter, the
    /// array's capacity in slots (see [`super::boundary`]).
    pub entry: Option<&'a Bookkeeping>,
    /// An errno downcall taking the error number's place as its fourth parameter.
    pub errno: Option<ErrnoMode>,
    /// The layout of its argument array.
    pub layout: ArgLayout,
}

/// Builds the IR of the downcall trampoline for `signature` into `func`, with
/// `options` (a request sets at most one of them).
pub fn build(
    func: &mut ir::Function,
    builder_context: &mut FunctionBuilderContext,
    signature: &Signature,
    target: &Target,
    options: Options<'_>,
) -> Result<(), Error> {
    let Options {
        entry,
        errno,
        layout,
    } = options;
    debug_assert!(entry.is_none() || errno.is_none(), "requests make one or the other");
    debug_assert!(entry.is_none() || layout == ArgLayout::Slots, "entries are array shaped");
    let lowered = abi::lower_signature(signature, target)?;
    if errno.is_some() {
        abi::errno::check(target)?;
    }
    let pointer = target.pointer_type();
    let extra = usize::from(entry.is_some() || errno.is_some());
    func.signature = runtime_facing_signature(target, 3 + extra);
    let mut builder = FunctionBuilder::new(func, builder_context);
    let params = super::entry_block(&mut builder);
    let (callee, mut args, mut result) = (
        params[0],
        SlotArray::new(params[1], pointer),
        ResultSlot::of_layout(params[2], layout),
    );
    if let Some(bookkeeping) = entry {
        boundary::emit_capacity_check(&mut builder, bookkeeping, signature, params[3]);
        let context = args.pointer_at(&mut builder, bookkeeping.context_param);
        boundary::emit_bookkeeping(&mut builder, bookkeeping, Side::Entry, context, target);
    }

    let call_args = match layout {
        ArgLayout::Slots => moves::call_args(&mut builder, &lowered, pointer, &mut args, &mut result),
        ArgLayout::Pointers => {
            let mut args = PointerArray::new(params[1], pointer);
            moves::call_args(&mut builder, &lowered, pointer, &mut args, &mut result)
        }
    };
    let errno_place = errno.map(|mode| (mode, params[3]));
    if let Some((ErrnoMode::SetAndCapture, place)) = errno_place {
        abi::errno::emit_set(&mut builder, target, place);
    }
    let call = match lowered.shim() {
        None => {
            let callee_sig = builder.import_signature(lowered.signature.clone());
            builder.ins().call_indirect(callee_sig, callee, &call_args)
        }
        Some(shim) => super::call_through_shim(
            &mut builder,
            shim,
            lowered.signature.clone(),
            callee,
            &call_args,
        ),
    };
    let returned = builder.inst_results(call).to_vec();
    if let Some((_, place)) = errno_place {
        abi::errno::emit_capture(&mut builder, target, place);
    }
    moves::deliver_results(&mut builder, &lowered, &returned, &mut result);
    builder.ins().return_(&[]);
    builder.finalize(target.frontend_config());
    Ok(())
}
