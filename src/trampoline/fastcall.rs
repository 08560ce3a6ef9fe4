//! Fast-call trampolines: a V8 Fast API shaped entry into a C function.
//!
//! The entry is called as `(receiver, args..., [out], [options])` in the entry
//! convention, with narrow integers and `bool` widened to 32 bits, buffers passed as a
//! pointer to a descriptor and struct arguments as a pointer to their bytes. The
//! trampoline drops the receiver, narrows each value back to its C type, unwraps
//! buffers (an inline load of the data pointer, or a call to a converter whose
//! sentinel result sends the call to a cold path that calls `raise(options)` and
//! returns zero), and calls the C function in the target convention. The result comes
//! back widened to 32 bits for narrow integers and `bool`, or is stored through the
//! `out` pointer (out-pointer mode, and always for struct results).
//!
//! The entry and target conventions are independent: on Apple arm64, V8 calls with
//! AAPCS64's 8-byte stack slots while the C function expects Apple's packing.
//!
//! # 16-byte scalars
//!
//! `i128`, `u128`, `f80` and `f128` are not in V8's type set (structs are not either);
//! a fast call takes them the way it takes structs, which is what an embedder that has
//! such a value can hand over without knowing the C convention: a 16-byte argument
//! arrives as a pointer to its bytes, and a 16-byte result is stored through the `out`
//! pointer, the entry returning nothing (an `f80` as its 10 value bytes, which the x87
//! shim of `src/abi/shim.rs` stores from `st0` on System V). The C function gets
//! and returns them by its own convention's rule for them (the ABI layer's lowering);
//! a convention without the type rejects the fast call with
//! [`Error::UnsupportedType`](crate::Error::UnsupportedType), as every kind does.

use super::moves::{self, ArgSource, Bytes, ResultSink, ResultSlot};
use super::runtime_facing_signature;
use crate::abi::{self, ResultLowering, ScalarLowering, Target};
use crate::error::{Error, FastCallError};
use crate::ir_bytes::{self, FRAME_ALIGN};
use crate::signature::{Convention, Signature};
use crate::types::{ScalarClass, Type};
use cranelift_codegen::ir::{self, condcodes::IntCC, InstBuilder};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

pub use super::Callee;

/// How a buffer argument's data pointer is found from its descriptor.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum BufferAccess {
    /// Load the data pointer at this byte offset in the descriptor (V8's
    /// `FastApiTypedArray` keeps it at 8, after the length).
    Inline {
        /// Byte offset of the data pointer.
        offset: i32,
    },
    /// Call `converter(descriptor) -> data`; a result equal to `sentinel` means
    /// failure: `raise(options)` is called once and the trampoline returns zero (an out
    /// place is left unwritten). Converter and hook use the platform's C convention
    /// (the compilation target's default), whatever the entry and target conventions.
    Convert {
        /// The converter function.
        converter: Callee,
        /// The failure value.
        sentinel: u64,
        /// The hook called once on failure, with the options pointer (null without).
        raise: Callee,
    },
}

/// How one C parameter arrives at the entry.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum FastParam {
    /// As its value (narrow integers and `bool` widened to 32 bits; structs and
    /// 16-byte scalars as a pointer to their bytes).
    #[default]
    Value,
    /// As a pointer to a buffer descriptor; the C function gets the data pointer.
    Buffer(BufferAccess),
}

/// How the result leaves the entry.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum FastResult {
    /// Returned (narrow integers and `bool` widened to 32 bits).
    #[default]
    Direct,
    /// Stored through a pointer passed as the last entry parameter before `options`
    /// (older V8's 64-bit results), written as a result slot is in the
    /// [array layout](crate::array) (integers extended to 8 bytes). Struct and 16-byte
    /// scalar (`i128`, `u128`, `f80`, `f128`) results always use it, written as their
    /// bytes.
    OutPointer,
}

/// A fast-call trampoline: the C function, how its arguments arrive, and where to.
///
/// The fields every value of which is valid are public; the target signature and the
/// parameter descriptions, which must agree, are set through checked constructors and
/// [`FastCall::set_param`], so a `FastCall` is always a valid description.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FastCall {
    /// The C function's signature; its convention is the target convention.
    target: Signature,
    /// How each parameter arrives (one per target parameter).
    params: Vec<FastParam>,
    /// The convention the entry is called with.
    pub entry: Convention,
    /// Whether the entry has a trailing options pointer.
    pub options: bool,
    /// How the result leaves.
    pub result: FastResult,
    /// The C function.
    pub callee: Callee,
}

impl FastCall {
    /// A fast call of `callee` with every parameter a value, an options pointer, a
    /// direct result, and the entry in the same convention as the target.
    pub fn new(target: Signature, callee: impl Into<Callee>) -> FastCall {
        let params = vec![FastParam::Value; target.params.len()];
        FastCall {
            entry: target.convention,
            params,
            options: true,
            result: FastResult::Direct,
            target,
            callee: callee.into(),
        }
    }

    /// [`FastCall::new`] with one description per parameter; fails unless there is
    /// one per target parameter and every buffer is a `ptr` parameter.
    pub fn with_params(
        target: Signature,
        params: Vec<FastParam>,
        callee: impl Into<Callee>,
    ) -> Result<FastCall, FastCallError> {
        if params.len() != target.params.len() {
            return Err(FastCallError::ParamCount {
                descriptions: params.len(),
                params: target.params.len(),
            });
        }
        let mut fast = FastCall::new(target, callee);
        for (index, how) in params.into_iter().enumerate() {
            fast.set_param(index, how)?;
        }
        Ok(fast)
    }

    /// Sets how parameter `index` arrives; fails for an index beyond the target's
    /// parameters or a buffer whose C type is not `ptr` (the description is then
    /// unchanged).
    pub fn set_param(&mut self, index: usize, how: FastParam) -> Result<(), FastCallError> {
        let ty = self
            .target
            .params
            .get(index)
            .ok_or(FastCallError::NoSuchParam {
                index,
                params: self.target.params.len(),
            })?;
        if matches!(how, FastParam::Buffer(_)) && *ty != Type::Ptr {
            return Err(FastCallError::BufferNotPtr {
                index,
                found: ty.clone(),
            });
        }
        self.params[index] = how;
        Ok(())
    }

    /// The C function's signature; its convention is the target convention.
    pub fn target(&self) -> &Signature {
        &self.target
    }

    /// How each parameter arrives, one per target parameter.
    pub fn params(&self) -> &[FastParam] {
        &self.params
    }

    /// Every function it calls, in symbol-index order: the callee, then each buffer
    /// converter and raise hook in parameter order.
    pub fn callees(&self) -> Vec<&Callee> {
        let mut callees = vec![&self.callee];
        for how in &self.params {
            if let FastParam::Buffer(BufferAccess::Convert {
                converter, raise, ..
            }) = how
            {
                callees.push(converter);
                callees.push(raise);
            }
        }
        callees
    }

    /// Whether the result goes through the `out` pointer.
    fn out_pointer(&self) -> bool {
        self.result == FastResult::OutPointer || self.target.result.by_address()
    }

    /// The entry's signature, in the entry convention:
    /// `(receiver, args..., [out], [options])`.
    pub fn entry_signature(&self) -> Signature {
        let mut params = vec![Type::Ptr];
        for (ty, how) in self.target.params.iter().zip(&self.params) {
            params.push(match how {
                FastParam::Buffer(_) => Type::Ptr,
                FastParam::Value => widened(ty),
            });
        }
        if self.out_pointer() {
            params.push(Type::Ptr);
        }
        if self.options {
            params.push(Type::Ptr);
        }
        let result = if self.out_pointer() {
            Type::Void
        } else {
            widened(&self.target.result)
        };
        Signature {
            convention: self.entry,
            params,
            result,
            variadic_from: None,
        }
    }
}

/// The type a value has at the entry: 32 bits for narrow integers and `bool`, a
/// pointer for structs and 16-byte scalars, itself otherwise.
fn widened(ty: &Type) -> Type {
    match ty.class() {
        Some(ScalarClass::Integer { bytes, signed }) if bytes < 4 => {
            if signed {
                Type::I32
            } else {
                Type::U32
            }
        }
        _ if ty.by_address() => Type::Ptr,
        _ => ty.clone(),
    }
}

/// Builds the IR of the fast-call trampoline `fast` into `func`.
pub fn build(
    func: &mut ir::Function,
    builder_context: &mut FunctionBuilderContext,
    fast: &FastCall,
    target: &Target,
) -> Result<(), Error> {
    if fast.target.variadic_from.is_some() {
        return Err(Error::FastCall(FastCallError::Variadic {
            signature: fast.target.clone(),
        }));
    }
    let entry_sig = fast.entry_signature();
    let entry = abi::lower_signature(&entry_sig, target)?;
    let callee = abi::lower_signature(&fast.target, target)?;
    let pointer = target.pointer_type();
    func.signature = entry.signature.clone();
    let mut builder = FunctionBuilder::new(func, builder_context);
    let incoming = super::entry_block(&mut builder);
    // Entry parameters: the receiver, one per C parameter, [out], [options].
    let mut next = fast.target.params.len() + 1;
    let out = fast.out_pointer().then(|| {
        next += 1;
        moves::incoming_value(&mut builder, &entry, &incoming, next - 1, pointer)
    });
    let options = if fast.options {
        moves::incoming_value(&mut builder, &entry, &incoming, next, pointer)
    } else {
        builder.ins().iconst(pointer, 0)
    };

    let mut args = EntryArgs {
        fast,
        entry: &entry,
        incoming: &incoming,
        options,
        next_symbol: 1,
        target,
    };
    let mut result = EntryResult {
        out: out.map(ResultSlot::new),
        entry: &entry,
        pointer,
        returns: Vec::new(),
    };
    let call_args = moves::call_args(&mut builder, &callee, pointer, &mut args, &mut result);
    let call = super::call_callee(
        &mut builder,
        &fast.callee,
        0,
        callee.signature.clone(),
        &call_args,
        pointer,
    );
    let returned = builder.inst_results(call).to_vec();
    moves::deliver_results(&mut builder, &callee, &returned, &mut result);
    builder.ins().return_(&result.returns);
    builder.finalize(target.frontend_config());
    Ok(())
}

/// The fast-call entry's parameters as the C function's arguments (V8's layout): C
/// parameter `i` is entry parameter `i + 1` (after the receiver), a narrow integer or
/// `bool` widened to 32 bits, a buffer as its descriptor, a struct as a pointer to its
/// bytes.
struct EntryArgs<'a> {
    fast: &'a FastCall,
    entry: &'a abi::LoweredSignature,
    incoming: &'a [ir::Value],
    /// The options pointer (null without).
    options: ir::Value,
    /// The callee symbol index of the next buffer converter.
    next_symbol: u32,
    target: &'a Target,
}

impl EntryArgs<'_> {
    /// Entry parameter `index + 1`, as its entry type.
    fn arrived(&self, builder: &mut FunctionBuilder, index: usize) -> ir::Value {
        let pointer = self.target.pointer_type();
        moves::incoming_value(builder, self.entry, self.incoming, index + 1, pointer)
    }
}

impl ArgSource for EntryArgs<'_> {
    fn scalar(&mut self, b: &mut FunctionBuilder, index: usize, s: &ScalarLowering) -> ir::Value {
        let arrived = self.arrived(b, index);
        match self.fast.params.get(index) {
            Some(FastParam::Buffer(access)) => unwrap_buffer(
                b,
                self.target,
                access,
                &mut self.next_symbol,
                (arrived, self.options),
                self.entry,
            ),
            _ => narrow(b, &s.ty, s.natural, arrived),
        }
    }

    fn bytes(&mut self, builder: &mut FunctionBuilder, index: usize, ty: &Type) -> Bytes {
        Bytes::of_type(self.arrived(builder, index), ty)
    }
}

/// The C function's result as the fast-call entry's: stored to the `out` place as a
/// result slot, or returned widened to 32 bits.
struct EntryResult<'a> {
    out: Option<ResultSlot>,
    entry: &'a abi::LoweredSignature,
    pointer: ir::Type,
    /// The entry's return values.
    returns: Vec<ir::Value>,
}

impl ResultSink for EntryResult<'_> {
    fn scalar(&mut self, b: &mut FunctionBuilder, s: &ScalarLowering, v: ir::Value) {
        if let Some(out) = &mut self.out {
            return out.scalar(b, s, v);
        }
        let widened = widen(b, &s.ty, v);
        // The entry returns the widened type (see `FastCall::entry_signature`).
        if let ResultLowering::Scalar(entry_result) = &self.entry.result {
            self.returns.push(abi::to_abi(b, entry_result, widened));
        }
    }

    fn place(&mut self, builder: &mut FunctionBuilder, ty: &Type) -> Bytes {
        match &mut self.out {
            Some(out) => out.place(builder, ty),
            // Struct results always take the out place (`FastCall::out_pointer`);
            // without one they would land in this frame.
            None => Bytes {
                address: moves::frame_buffer(builder, self.pointer, ty.size() as u32),
                align: FRAME_ALIGN,
            },
        }
    }

    fn indirect_place(&mut self, builder: &mut FunctionBuilder, ty: &Type) -> ir::Value {
        match &mut self.out {
            Some(out) => out.indirect_place(builder, ty),
            None => self.place(builder, ty).address,
        }
    }

    fn indirect_written(&mut self, builder: &mut FunctionBuilder, ty: &Type) {
        if let Some(out) = &mut self.out {
            out.indirect_written(builder, ty);
        }
    }
}

/// Narrows a 32-bit entry value to a narrow C integer (`bool`: non-zero is true).
fn narrow(
    builder: &mut FunctionBuilder,
    ty: &Type,
    natural: ir::Type,
    value: ir::Value,
) -> ir::Value {
    let arrived = builder.func.dfg.value_type(value);
    if arrived == natural {
        return value;
    }
    if *ty == Type::Bool {
        return builder.ins().icmp_imm_u(IntCC::NotEqual, value, 0);
    }
    builder.ins().ireduce(natural, value)
}

/// Widens a narrow C integer result to the 32-bit entry result.
fn widen(builder: &mut FunctionBuilder, ty: &Type, value: ir::Value) -> ir::Value {
    match ty.class() {
        Some(ScalarClass::Integer { bytes, signed }) if bytes < 4 => {
            if signed {
                builder.ins().sextend(ir::types::I32, value)
            } else {
                builder.ins().uextend(ir::types::I32, value)
            }
        }
        _ => value,
    }
}

/// The data pointer of a buffer argument; a failed conversion leaves through a cold
/// block that calls `raise(options)` and returns zero. Converter and raise hook take
/// the next two callee symbol indices.
fn unwrap_buffer(
    builder: &mut FunctionBuilder,
    target: &Target,
    access: &BufferAccess,
    next_symbol: &mut u32,
    (descriptor, options): (ir::Value, ir::Value),
    entry: &abi::LoweredSignature,
) -> ir::Value {
    let pointer = target.pointer_type();
    match access {
        BufferAccess::Inline { offset } => {
            let flags = ir_bytes::slot_flags();
            builder.ins().load(pointer, flags, descriptor, *offset)
        }
        BufferAccess::Convert {
            converter,
            sentinel,
            raise,
        } => {
            let (converter_index, raise_index) = (*next_symbol, *next_symbol + 1);
            *next_symbol += 2;
            let mut sig = runtime_facing_signature(target, 1);
            sig.returns.push(ir::AbiParam::new(pointer));
            let call = super::call_callee(
                builder,
                converter,
                converter_index,
                sig,
                &[descriptor],
                pointer,
            );
            let data = builder.inst_results(call)[0];
            let failed = builder
                .ins()
                .icmp_imm_u(IntCC::Equal, data, *sentinel as i64);
            let cold = builder.create_block();
            let done = builder.create_block();
            builder.set_cold_block(cold);
            builder.ins().brif(failed, cold, &[], done, &[]);
            builder.seal_block(cold);
            builder.seal_block(done);

            builder.switch_to_block(cold);
            let raise_sig = runtime_facing_signature(target, 1);
            super::call_callee(builder, raise, raise_index, raise_sig, &[options], pointer);
            let zero = match &entry.result {
                ResultLowering::Scalar(scalar) => vec![moves::zero(builder, scalar.carrier)],
                _ => Vec::new(),
            };
            builder.ins().return_(&zero);

            builder.switch_to_block(done);
            data
        }
    }
}
