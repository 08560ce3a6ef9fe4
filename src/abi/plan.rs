//! Plans for the generic caller: where every value of a lowered signature sits in the
//! memory block that the generic caller of its convention loads registers from.
//!
//! The generic caller (`src/trampoline/generic.rs`) is compiled once per convention:
//! it loads every integer and float argument register and a block of stack words from
//! memory, calls, and stores every result register. A [`CallPlan`] says, for one
//! signature, at which byte of that block each ABI parameter of its lowering goes, and
//! in which word of the stored results each ABI return comes back; the values
//! themselves are moved at run time by `src/trampoline/moves.rs`, from the same
//! [`LoweredSignature`] the compiled trampolines are built from.
//!
//! The plan follows how Cranelift places the lowered signature: the lowering orders
//! register values first, then fillers, then stack values, so that value `k` of a
//! register class takes that class's register `k` while one is left and stack values
//! take the argument area in order, each [`Hooks::stack_bytes`] long at that alignment.
//! That holds for conventions whose integer and float registers are taken
//! independently. Signatures with no plan (positional registers, a struct passed by
//! reference, a result pointer in a dedicated register, a variadic call whose register
//! setup depends on the call, a vector piece, more stack than the block holds) are
//! compiled. A System V variadic call's `%al` is set by the frame's shim to every
//! vector register, an upper bound for any call.

use super::hooks::{Hooks, ResultPointer};
use super::{lower_signature, ArgLowering, LoweredSignature, ResultLowering, Shim, Target};
use crate::error::Error;
use crate::signature::Signature;
use cranelift_codegen::ir::{self, types, AbiParam};
use cranelift_codegen::isa::CallConv;

/// Stack words the larger generic caller passes; signatures needing more have no plan.
pub const STACK_WORDS: u8 = 16;

/// What a generic caller loads and stores: its argument block is `int_args` words for
/// the integer registers, then `float_args` for the float registers, then
/// `stack_words` words of stack arguments; its result block is `int_returns` words
/// then `float_returns`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct GenericFrame {
    /// The convention the callee is called with.
    pub call_conv: CallConv,
    /// Integer argument registers.
    pub int_args: u8,
    /// Float argument registers.
    pub float_args: u8,
    /// 8-byte stack words.
    pub stack_words: u8,
    /// Integer result registers.
    pub int_returns: u8,
    /// Float result registers.
    pub float_returns: u8,
    /// The shim a variadic call goes through, with its setup for any call of the
    /// frame (`None` for fixed parameter lists).
    pub shim: Option<Shim>,
}

impl GenericFrame {
    /// Words of the argument block.
    pub fn argument_words(&self) -> usize {
        usize::from(self.int_args) + usize::from(self.float_args) + usize::from(self.stack_words)
    }

    /// Words of the result block.
    pub fn result_words(&self) -> usize {
        usize::from(self.int_returns) + usize::from(self.float_returns)
    }

    /// The signature the generic caller calls its callee with: every register word as
    /// an `i64` or `f64`, the stack words as `i64`s, every result register.
    pub fn callee_signature(&self) -> ir::Signature {
        let mut signature = ir::Signature::new(self.call_conv);
        let words = |ty, count: u8| std::iter::repeat_n(AbiParam::new(ty), count.into());
        signature.params.extend(words(types::I64, self.int_args));
        signature.params.extend(words(types::F64, self.float_args));
        signature.params.extend(words(types::I64, self.stack_words));
        signature.returns.extend(words(types::I64, self.int_returns));
        signature.returns.extend(words(types::F64, self.float_returns));
        signature
    }
}

/// One signature's plan for the generic caller.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallPlan {
    /// The generic caller to use (the smallest whose stack block suffices).
    pub frame: GenericFrame,
    /// The signature's lowering, whose `abi_index`es the two maps below translate.
    pub lowered: LoweredSignature,
    /// Byte offset in the argument block of each ABI parameter.
    pub param_at: Vec<u32>,
    /// Byte offset in the result block of each ABI return.
    pub return_at: Vec<u32>,
}

/// The plan of `signature` for `target`'s generic callers; `Ok(None)` when the generic
/// caller cannot make the call (see the module documentation), an error when the
/// signature does not lower.
pub fn call_plan(signature: &Signature, target: &Target) -> Result<Option<CallPlan>, Error> {
    let lowered = lower_signature(signature, target)?;
    let hooks = lowered.abi.hooks();
    let Some(mut frame) = generic_frame(hooks, 0) else {
        return Ok(None);
    };
    // `%al` holds an upper bound of the vector registers a variadic call uses (see
    // `VariadicCall::vector_registers`): every float register of the frame is one for
    // any call; other register setup depends on the call, and has no generic form.
    frame.shim = match lowered.shim() {
        None => None,
        Some(Shim::VectorCount(_)) => Some(Shim::VectorCount(frame.float_args)),
        Some(_) => return Ok(None),
    };
    let expressible = lowered.params.iter().all(|param| match param {
            ArgLowering::Scalar(_) => true,
            ArgLowering::Pieces { pieces, .. } => pieces.iter().all(|p| !p.carrier.is_vector()),
            ArgLowering::ByReference { .. } => false,
        })
        && match &lowered.result {
            ResultLowering::Pieces { pieces, .. } => pieces.iter().all(|p| !p.carrier.is_vector()),
            ResultLowering::Indirect { .. } => {
                hooks.result_pointer() == ResultPointer::FirstIntegerArgument
            }
            ResultLowering::Void | ResultLowering::Scalar(_) => true,
            // An x87 result comes back on the x87 stack, which the generic caller
            // does not read.
            ResultLowering::X87 { .. } => false,
        };
    if !expressible {
        return Ok(None);
    }
    let float_base = u32::from(frame.int_args) * 8;
    let stack_base = float_base + u32::from(frame.float_args) * 8;
    let (mut ints, mut floats, mut stack) = (0u8, 0u8, 0u32);
    let mut param_at = Vec::with_capacity(lowered.signature.params.len());
    for param in &lowered.signature.params {
        let float = param.value_type.is_float();
        let at = if float && floats < frame.float_args {
            floats += 1;
            float_base + u32::from(floats - 1) * 8
        } else if !float && ints < frame.int_args {
            ints += 1;
            u32::from(ints - 1) * 8
        } else {
            let bytes = hooks.stack_bytes(param.value_type);
            let offset = stack.next_multiple_of(bytes);
            stack = offset + bytes;
            stack_base + offset
        };
        param_at.push(at);
    }
    let stack_words = stack.div_ceil(8);
    if stack_words > u32::from(STACK_WORDS) {
        return Ok(None);
    }
    let (mut ints, mut floats) = (0u8, 0u8);
    let mut return_at = Vec::with_capacity(lowered.signature.returns.len());
    for ret in &lowered.signature.returns {
        let word = if ret.value_type.is_float() {
            floats += 1;
            if floats > frame.float_returns {
                return Ok(None);
            }
            frame.int_returns + floats - 1
        } else {
            ints += 1;
            if ints > frame.int_returns {
                return Ok(None);
            }
            ints - 1
        };
        return_at.push(u32::from(word) * 8);
    }
    if stack_words > 0 {
        frame.stack_words = STACK_WORDS;
    }
    Ok(Some(CallPlan {
        frame,
        lowered,
        param_at,
        return_at,
    }))
}

/// The generic frame of the convention `hooks` describes, `None` for positional
/// registers.
fn generic_frame(hooks: &dyn Hooks, stack_words: u8) -> Option<GenericFrame> {
    let (int_args, float_args) = hooks.registers().separate_counts()?;
    let (int_returns, float_returns) = hooks.return_registers();
    Some(GenericFrame {
        call_conv: hooks.call_conv(),
        int_args,
        float_args,
        stack_words,
        int_returns,
        float_returns,
        shim: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(text: &str, target: &str) -> Option<CallPlan> {
        let target: Target = target.parse().unwrap();
        call_plan(&text.parse().unwrap(), &target).unwrap()
    }

    #[test]
    fn system_v_registers_are_taken_per_class_in_order() {
        let plan = plan("(i32, f64, ptr, f32) -> f64", "x86_64-unknown-linux-gnu").unwrap();
        // rdi, xmm0, rsi, xmm1: integer words 0 and 1, float words 6 and 7.
        assert_eq!(plan.param_at, [0, 48, 8, 56]);
        // xmm0 is the third result word (after rax and rdx).
        assert_eq!(plan.return_at, [16]);
        assert_eq!(plan.frame.stack_words, 0);
    }

    #[test]
    fn variadic_system_v_calls_set_al_to_every_vector_register() {
        let plan = plan("(ptr, ...; f64) -> i32", "x86_64-unknown-linux-gnu").unwrap();
        assert_eq!(plan.frame.shim, Some(Shim::VectorCount(8)));
        assert_eq!(plan.param_at, [0, 48]);
    }

    #[test]
    fn stack_values_follow_the_registers() {
        let sig = "(i64, i64, i64, i64, i64, i64, i8, i64) -> void";
        let plan = plan(sig, "x86_64-unknown-linux-gnu").unwrap();
        // The block's stack words start after 6 integer and 8 float words.
        assert_eq!(&plan.param_at[6..], [112, 120]);
        assert_eq!(plan.frame.stack_words, STACK_WORDS);
    }

    #[test]
    fn what_the_generic_caller_cannot_do_has_no_plan() {
        // Positional registers.
        assert!(plan("(i32) -> i32", "x86_64-pc-windows-msvc").is_none());
        // A result pointer in x8.
        let big = "({i64, i64, i64}) -> {i64, i64, i64}";
        assert!(plan(big, "aarch64-unknown-linux-gnu").is_none());
        // More stack than the block holds.
        let many = format!("({}) -> void", vec!["i64"; 6 + 17].join(", "));
        assert!(plan(&many, "x86_64-unknown-linux-gnu").is_none());
    }
}
