//! Value movement, written once: between a lowered signature's ABI parameters and
//! returns and the places a trampoline keeps values in.
//!
//! A trampoline moves values in one of two directions:
//!
//! - **calling out** (downcall, fast call, entry): every argument comes from an
//!   [`ArgSource`] and becomes the ABI argument list ([`call_args`]); the callee's
//!   returns go to a [`ResultSink`] ([`deliver_results`]);
//! - **being called** (callback, exit): every incoming ABI parameter goes to an
//!   [`ArgSink`] ([`deliver_args`]); the ABI return values are built from a
//!   [`ResultSource`] ([`return_values`]).
//!
//! The functions here do everything the [ABI layer](crate::abi) asks of a value:
//! extension of scalars ([`abi::to_abi`]/[`abi::from_abi`]), the pieces of a struct
//! passed in registers, the caller's copy of a struct passed by reference, fillers,
//! and the hidden result pointer. A source or sink only says where a C value is: a
//! scalar as its natural IR type, a struct as the address of its bytes. The
//! [array layout](crate::array) is [`SlotArray`] (arguments) and [`ResultSlot`] (the
//! result place); libffi's layout (an array of pointers to the argument values, see
//! [`ArgLayout::Pointers`]) is [`PointerArray`], with the same result place.
//!
//! Memory flags come from the one policy in [`ir_bytes`](crate::ir_bytes).

use crate::abi::plan::CallPlan;
use crate::abi::shim::{Shim, SHIM_NAMESPACE};
use super::ArgLayout;
use crate::abi::{self, ArgLowering, LoweredSignature, Piece, ResultLowering, ScalarLowering};
use crate::array::{slot_offset, Slot, SLOT_SIZE};
use crate::ir_bytes::{self, FRAME_ALIGN, SLOT_ALIGN};
use crate::types::{ScalarClass, Type};
use cranelift_codegen::ir::{
    self, condcodes::IntCC, types, InstBuilder, MemFlagsData, StackSlotData, StackSlotKind,
};
use cranelift_frontend::FunctionBuilder;
use std::ffi::c_void;
use std::mem::MaybeUninit;

/// A struct's bytes in memory: their address and the alignment it is guaranteed.
#[derive(Clone, Copy, Debug)]
pub struct Bytes {
    /// The address of the first byte.
    pub address: ir::Value,
    /// The address is a multiple of this (a power of two).
    pub align: u32,
}

impl Bytes {
    /// Bytes at `address`, which is only known to have `ty`'s C alignment.
    pub fn of_type(address: ir::Value, ty: &Type) -> Bytes {
        Bytes {
            address,
            align: ty.align() as u32,
        }
    }
}

/// Where the arguments of an outgoing call come from.
pub trait ArgSource {
    /// Argument `index`, a scalar lowered as `s`, as its natural IR type.
    fn scalar(&mut self, b: &mut FunctionBuilder, index: usize, s: &ScalarLowering) -> ir::Value;

    /// The bytes of argument `index`, a struct of type `ty`.
    fn bytes(&mut self, builder: &mut FunctionBuilder, index: usize, ty: &Type) -> Bytes;
}

/// Where the arguments of an incoming call go.
pub trait ArgSink {
    /// Takes argument `index`, a scalar lowered as `s`, as its natural IR type `v`.
    fn scalar(&mut self, b: &mut FunctionBuilder, index: usize, s: &ScalarLowering, v: ir::Value);

    /// Memory to assemble the bytes of argument `index`, a struct of type `ty`, in.
    fn place(&mut self, builder: &mut FunctionBuilder, index: usize, ty: &Type) -> Bytes;

    /// Takes argument `index`, a struct of type `ty`, complete at `bytes`: memory from
    /// [`ArgSink::place`], or the caller's copy of a struct passed by reference.
    fn placed(&mut self, builder: &mut FunctionBuilder, index: usize, ty: &Type, bytes: Bytes);
}

/// Where the result of an outgoing call goes.
pub trait ResultSink {
    /// Takes the scalar result `v`, lowered as `s`, as its natural IR type.
    fn scalar(&mut self, b: &mut FunctionBuilder, s: &ScalarLowering, v: ir::Value);

    /// Memory for the bytes of a struct result of type `ty`: the pieces returned in
    /// registers are stored there, and a callee that returns it through a hidden
    /// pointer is given this address.
    fn place(&mut self, builder: &mut FunctionBuilder, ty: &Type) -> Bytes;

    /// The address a callee returning a struct of type `ty` through a hidden pointer
    /// writes to, which C assumes has `ty`'s alignment (gcc stores a 16-aligned
    /// struct with aligned vector stores). By default [`ResultSink::place`]'s.
    fn indirect_place(&mut self, builder: &mut FunctionBuilder, ty: &Type) -> ir::Value {
        self.place(builder, ty).address
    }

    /// Called once the callee has written the struct at [`ResultSink::indirect_place`].
    /// By default nothing is left to do.
    fn indirect_written(&mut self, _builder: &mut FunctionBuilder, _ty: &Type) {}
}

/// Where the result of an incoming call comes from.
pub trait ResultSource {
    /// The scalar result, lowered as `s`, as its natural IR type.
    fn scalar(&mut self, b: &mut FunctionBuilder, s: &ScalarLowering) -> ir::Value;

    /// The bytes of a struct result of type `ty`.
    fn bytes(&mut self, builder: &mut FunctionBuilder, ty: &Type) -> Bytes;
}

/// The ABI argument list of a call to a function lowered as `lowered`: every argument
/// from `args` (scalars extended, structs as pieces or as a pointer to a copy in this
/// frame), zero for fillers, and the place `result` gives for a struct returned
/// through a hidden pointer.
pub fn call_args(
    builder: &mut FunctionBuilder,
    lowered: &LoweredSignature,
    pointer: ir::Type,
    args: &mut impl ArgSource,
    result: &mut impl ResultSink,
) -> Vec<ir::Value> {
    let mut values = vec![None; lowered.signature.params.len()];
    for filler in &lowered.fillers {
        values[filler.abi_index] = Some(zero(builder, filler.carrier));
    }
    if let ResultLowering::Indirect { ty, abi_index } = &lowered.result {
        // The callee writes the struct straight into the result's place.
        values[*abi_index] = Some(result.indirect_place(builder, ty));
    }
    for (index, param) in lowered.params.iter().enumerate() {
        match param {
            ArgLowering::Scalar(scalar) => {
                let value = args.scalar(builder, index, scalar);
                values[scalar.abi_index] = Some(abi::to_abi(builder, scalar, value));
            }
            ArgLowering::Pieces { ty, pieces } => {
                let bytes = args.bytes(builder, index, ty);
                for piece in pieces {
                    values[piece.abi_index] = Some(load_piece(builder, piece, bytes));
                }
            }
            ArgLowering::ByReference { ty, abi_index } => {
                // A copy on this frame: the callee may write to its copy, never to the
                // caller's value.
                let bytes = args.bytes(builder, index, ty);
                let size = ty.size() as u32;
                let copy = frame_buffer(builder, pointer, size);
                ir_bytes::copy_bytes(builder, copy, bytes.address, size);
                values[*abi_index] = Some(copy);
            }
        }
    }
    complete(builder, values, &lowered.signature.params)
}

/// Hands the values a call to a function lowered as `lowered` returned (`returned`, in
/// ABI order) to `result`: a scalar narrowed to its natural type, struct pieces stored
/// into the result's place, a result in `st0` stored there, nothing for `void` or a
/// struct the callee already wrote. Call it before any other call of C code.
pub fn deliver_results(
    builder: &mut FunctionBuilder,
    lowered: &LoweredSignature,
    returned: &[ir::Value],
    result: &mut impl ResultSink,
) {
    match &lowered.result {
        ResultLowering::Void => {}
        ResultLowering::Indirect { ty, .. } => result.indirect_written(builder, ty),
        ResultLowering::Scalar(scalar) => {
            let value = abi::from_abi(builder, scalar, returned[scalar.abi_index]);
            result.scalar(builder, scalar, value);
        }
        ResultLowering::Pieces { ty, pieces } => {
            let place = result.place(builder, ty);
            for piece in pieces {
                store_piece(builder, piece, returned[piece.abi_index], place);
            }
        }
        ResultLowering::X87 { ty } => {
            let place = result.place(builder, ty);
            call_x87_shim(builder, Shim::x87_store(ty), place.address);
        }
    }
}

/// Calls one of the x87 [shims](crate::abi::shim) with the address of a `long
/// double`'s bytes.
fn call_x87_shim(builder: &mut FunctionBuilder, shim: Shim, address: ir::Value) {
    let signature = builder.import_signature(Shim::x87_signature());
    let name = builder.func.declare_imported_user_function(ir::UserExternalName {
        namespace: SHIM_NAMESPACE,
        index: shim.index(),
    });
    let function = builder.import_function(ir::ExtFuncData {
        name: ir::ExternalName::User(name),
        signature,
        colocated: false,
        patchable: false,
    });
    builder.ins().call(function, &[address]);
}

/// Hands every incoming ABI parameter (`incoming`, of a function lowered as
/// `lowered`) to `args`: scalars narrowed to their natural type, structs assembled
/// from their pieces in the sink's place, or the caller's copy of a struct passed by
/// reference.
pub fn deliver_args(
    builder: &mut FunctionBuilder,
    lowered: &LoweredSignature,
    incoming: &[ir::Value],
    args: &mut impl ArgSink,
) {
    for (index, param) in lowered.params.iter().enumerate() {
        match param {
            ArgLowering::Scalar(scalar) => {
                let value = abi::from_abi(builder, scalar, incoming[scalar.abi_index]);
                args.scalar(builder, index, scalar, value);
            }
            ArgLowering::Pieces { ty, pieces } => {
                let place = args.place(builder, index, ty);
                store_pieces(builder, pieces, incoming, place);
                args.placed(builder, index, ty, place);
            }
            ArgLowering::ByReference { ty, abi_index } => {
                // The caller's copy is the sink's to read (and even to modify).
                let bytes = Bytes::of_type(incoming[*abi_index], ty);
                args.placed(builder, index, ty, bytes);
            }
        }
    }
}

/// The ABI return values of a function lowered as `lowered`, built from `result`: a
/// scalar extended to its carrier, the pieces of a struct returned in registers,
/// nothing for `void` or a struct returned through the hidden pointer. A result
/// returned in `st0` is loaded there now, so the caller must return right after.
pub fn return_values(
    builder: &mut FunctionBuilder,
    lowered: &LoweredSignature,
    result: &mut impl ResultSource,
) -> Vec<ir::Value> {
    let mut values = vec![None; lowered.signature.returns.len()];
    match &lowered.result {
        ResultLowering::Void | ResultLowering::Indirect { .. } => {}
        ResultLowering::Scalar(scalar) => {
            let value = result.scalar(builder, scalar);
            values[scalar.abi_index] = Some(abi::to_abi(builder, scalar, value));
        }
        ResultLowering::Pieces { ty, pieces } => {
            let bytes = result.bytes(builder, ty);
            for piece in pieces {
                values[piece.abi_index] = Some(load_piece(builder, piece, bytes));
            }
        }
        ResultLowering::X87 { ty } => {
            // The last call before the return: the value stays in `st0` (and `st1`).
            let bytes = result.bytes(builder, ty);
            call_x87_shim(builder, Shim::x87_load(ty), bytes.address);
        }
    }
    complete(builder, values, &lowered.signature.returns)
}

/// The C value of incoming parameter `index` of a function lowered as `lowered`: a
/// scalar as its natural IR type, a struct as the address of its bytes (assembled in
/// this frame from its pieces, or the caller's copy).
pub fn incoming_value(
    builder: &mut FunctionBuilder,
    lowered: &LoweredSignature,
    incoming: &[ir::Value],
    index: usize,
    pointer: ir::Type,
) -> ir::Value {
    match &lowered.params[index] {
        ArgLowering::Scalar(scalar) => abi::from_abi(builder, scalar, incoming[scalar.abi_index]),
        ArgLowering::Pieces { ty, pieces } => {
            let address = frame_buffer(builder, pointer, ty.size() as u32);
            let place = Bytes {
                address,
                align: FRAME_ALIGN,
            };
            store_pieces(builder, pieces, incoming, place);
            address
        }
        ArgLowering::ByReference { abi_index, .. } => incoming[*abi_index],
    }
}

/// The finished list of ABI values: every one set (an ABI value no C value sets is a
/// filler's, which carries zero).
fn complete(
    builder: &mut FunctionBuilder,
    values: Vec<Option<ir::Value>>,
    abi: &[ir::AbiParam],
) -> Vec<ir::Value> {
    values
        .into_iter()
        .zip(abi)
        .map(|(value, param)| value.unwrap_or_else(|| zero(builder, param.value_type)))
        .collect()
}

/// Stores a struct's incoming pieces into its bytes at `place`.
fn store_pieces(
    builder: &mut FunctionBuilder,
    pieces: &[Piece],
    incoming: &[ir::Value],
    place: Bytes,
) {
    for piece in pieces {
        store_piece(builder, piece, incoming[piece.abi_index], place);
    }
}

/// Zero of an IR type (what fillers carry and cold paths return).
pub fn zero(builder: &mut FunctionBuilder, ty: ir::Type) -> ir::Value {
    if ty == types::F32 {
        builder.ins().f32const(0.0)
    } else if ty == types::F64 {
        builder.ins().f64const(0.0)
    } else {
        builder.ins().iconst(ty, 0)
    }
}

/// A buffer of at least `size` bytes (at least one slot) in this frame,
/// [`FRAME_ALIGN`]-aligned; returns its address. (Microsoft x64 wants a
/// by-reference copy 16-byte aligned; that suits every convention.)
pub fn frame_buffer(builder: &mut FunctionBuilder, pointer: ir::Type, size: u32) -> ir::Value {
    let slot = builder.create_sized_stack_slot(StackSlotData::new(
        StackSlotKind::ExplicitSlot,
        size.max(SLOT_SIZE as u32).next_multiple_of(FRAME_ALIGN),
        FRAME_ALIGN.trailing_zeros() as u8,
    ));
    builder.ins().stack_addr(pointer, slot, 0)
}

/// Loads a struct piece from the struct's bytes, reading exactly the bytes the piece
/// carries (never past the struct's end); float and vector carriers (a 16-byte value
/// in one vector register) as one typed load.
fn load_piece(builder: &mut FunctionBuilder, piece: &Piece, bytes: Bytes) -> ir::Value {
    let offset = piece.offset as i32;
    if piece.carrier.is_float() || piece.carrier.is_vector() {
        debug_assert_eq!(piece.size, piece.carrier.bytes().min(piece.size));
        return if piece.size == piece.carrier.bytes() {
            let flags = ir_bytes::typed_flags(piece_align(bytes), offset, piece.size);
            builder
                .ins()
                .load(piece.carrier, flags, bytes.address, offset)
        } else {
            // A 4-byte float tail carried in an f64 (two-float chunks on AAPCS64).
            let bits = ir_bytes::load_bytes(builder, bytes.address, offset, piece.size);
            builder.ins().bitcast(types::F64, MemFlagsData::new(), bits)
        };
    }
    ir_bytes::load_bytes(builder, bytes.address, offset, piece.size)
}

/// The alignment piece accesses may assume: the bytes' own, but at most 8, since the
/// array layout guarantees no more for the bytes a slot points to (a 16-byte aligned
/// `i128` or struct may sit at an 8-aligned address).
fn piece_align(bytes: Bytes) -> u32 {
    bytes.align.min(8)
}

/// Stores a received struct piece to the struct's bytes, writing exactly the bytes the
/// piece carries.
fn store_piece(builder: &mut FunctionBuilder, piece: &Piece, value: ir::Value, bytes: Bytes) {
    let offset = piece.offset as i32;
    let whole = piece.carrier.is_float() || piece.carrier.is_vector();
    if whole && piece.size == piece.carrier.bytes() {
        let flags = ir_bytes::typed_flags(piece_align(bytes), offset, piece.size);
        builder.ins().store(flags, value, bytes.address, offset);
        return;
    }
    let bits = if piece.carrier.is_float() {
        builder
            .ins()
            .bitcast(types::I64, MemFlagsData::new(), value)
    } else {
        value
    };
    ir_bytes::store_bytes(builder, bits, bytes.address, offset, piece.size);
}

/// The [array layout](crate::array)'s argument array at `base`: argument `i` in slot
/// `i`, a struct as a pointer to its bytes. As a sink (a callback's array in its own
/// frame), struct arguments are assembled in buffers of the frame.
#[derive(Clone, Copy, Debug)]
pub struct SlotArray {
    base: ir::Value,
    pointer: ir::Type,
}

impl SlotArray {
    /// The array at `base`, on a target with `pointer`-typed addresses.
    pub fn new(base: ir::Value, pointer: ir::Type) -> SlotArray {
        SlotArray { base, pointer }
    }

    /// The pointer held in slot `index`.
    pub fn pointer_at(&self, builder: &mut FunctionBuilder, index: usize) -> ir::Value {
        let flags = ir_bytes::slot_flags();
        let offset = slot_offset(index);
        builder.ins().load(self.pointer, flags, self.base, offset)
    }
}

impl ArgSource for SlotArray {
    fn scalar(&mut self, b: &mut FunctionBuilder, index: usize, s: &ScalarLowering) -> ir::Value {
        let flags = ir_bytes::slot_flags();
        load_scalar(b, s, flags, self.base, slot_offset(index))
    }

    fn bytes(&mut self, builder: &mut FunctionBuilder, index: usize, ty: &Type) -> Bytes {
        Bytes::of_type(self.pointer_at(builder, index), ty)
    }
}

impl ArgSink for SlotArray {
    fn scalar(&mut self, b: &mut FunctionBuilder, index: usize, s: &ScalarLowering, v: ir::Value) {
        store_slot(b, &s.ty, v, self.base, slot_offset(index));
    }

    fn place(&mut self, builder: &mut FunctionBuilder, _index: usize, ty: &Type) -> Bytes {
        Bytes {
            address: frame_buffer(builder, self.pointer, ty.size() as u32),
            align: FRAME_ALIGN,
        }
    }

    fn placed(&mut self, builder: &mut FunctionBuilder, index: usize, _ty: &Type, bytes: Bytes) {
        let flags = ir_bytes::slot_flags();
        let offset = slot_offset(index);
        builder.ins().store(flags, bytes.address, self.base, offset);
    }
}

/// libffi's argument layout ([`ArgLayout::Pointers`]) at `base`: pointer `i` points
/// to argument `i`. A source reads every value through its pointer; a sink (a
/// callback's array in its own frame) stores scalars in a value area of the frame,
/// one slot each, and assembles structs in frame buffers, pointing the array at them.
#[derive(Clone, Copy, Debug)]
pub struct PointerArray {
    pointers: SlotArray,
    /// A sink's value area: scalar argument `i` in its slot `i`.
    values: Option<ir::Value>,
}

impl PointerArray {
    /// The array at `base` (a source), on a target with `pointer`-typed addresses.
    pub fn new(base: ir::Value, pointer: ir::Type) -> PointerArray {
        PointerArray {
            pointers: SlotArray::new(base, pointer),
            values: None,
        }
    }

    /// An array for `count` arguments in this frame (a sink); returns it and its
    /// address.
    pub fn in_frame(
        builder: &mut FunctionBuilder,
        count: usize,
        pointer: ir::Type,
    ) -> (PointerArray, ir::Value) {
        let size = (count * SLOT_SIZE) as u32;
        let base = frame_buffer(builder, pointer, size);
        let values = frame_buffer(builder, pointer, size);
        let array = PointerArray {
            pointers: SlotArray::new(base, pointer),
            values: Some(values),
        };
        (array, base)
    }
}

impl ArgSource for PointerArray {
    fn scalar(&mut self, b: &mut FunctionBuilder, index: usize, s: &ScalarLowering) -> ir::Value {
        let value = self.pointers.pointer_at(b, index);
        let flags = ir_bytes::typed_flags(s.ty.align() as u32, 0, s.natural.bytes());
        load_scalar(b, s, flags, value, 0)
    }

    fn bytes(&mut self, builder: &mut FunctionBuilder, index: usize, ty: &Type) -> Bytes {
        self.pointers.bytes(builder, index, ty)
    }
}

impl ArgSink for PointerArray {
    fn scalar(&mut self, b: &mut FunctionBuilder, index: usize, s: &ScalarLowering, v: ir::Value) {
        let values = self.values.expect("a sink has its value area");
        let offset = slot_offset(index);
        b.ins().store(ir_bytes::slot_flags(), v, values, offset);
        let address = b.ins().iadd_imm_u(values, i64::from(offset));
        let bytes = Bytes::of_type(address, &s.ty);
        self.pointers.placed(b, index, &s.ty, bytes);
    }

    fn place(&mut self, builder: &mut FunctionBuilder, index: usize, ty: &Type) -> Bytes {
        self.pointers.place(builder, index, ty)
    }

    fn placed(&mut self, builder: &mut FunctionBuilder, index: usize, ty: &Type, bytes: Bytes) {
        self.pointers.placed(builder, index, ty, bytes);
    }
}

/// The [array layout](crate::array)'s result place at `base`: a scalar in one slot
/// (integers written extended to the whole slot), a struct as its bytes. The array
/// layout's place is only [`SLOT_ALIGN`]-aligned: a 16-aligned struct a callee returns
/// through the hidden pointer is written to a buffer in the frame first, then copied.
/// It is libffi's result place too (integral results narrower than `ffi_arg` widened
/// to a full `ffi_arg` by their signedness), where a struct result's place has the
/// struct's C alignment (and is written directly).
#[derive(Clone, Copy, Debug)]
pub struct ResultSlot {
    base: ir::Value,
    staged: Option<ir::Value>,
    /// Struct bytes are [`SLOT_ALIGN`]-aligned (the array layout), not aligned as
    /// their type (libffi's).
    slot_aligned: bool,
}

impl ResultSlot {
    /// The array layout's result place at `base`.
    pub fn new(base: ir::Value) -> ResultSlot {
        ResultSlot {
            base,
            staged: None,
            slot_aligned: true,
        }
    }

    /// The result place `layout` uses, at `base`.
    pub fn of_layout(base: ir::Value, layout: ArgLayout) -> ResultSlot {
        ResultSlot {
            base,
            staged: None,
            slot_aligned: layout == ArgLayout::Slots,
        }
    }

    fn memory(&self, ty: &Type) -> Bytes {
        if self.slot_aligned {
            Bytes {
                address: self.base,
                align: SLOT_ALIGN,
            }
        } else {
            Bytes::of_type(self.base, ty)
        }
    }
}

impl ResultSink for ResultSlot {
    fn scalar(&mut self, b: &mut FunctionBuilder, s: &ScalarLowering, v: ir::Value) {
        store_slot(b, &s.ty, v, self.base, 0);
    }

    fn place(&mut self, _builder: &mut FunctionBuilder, ty: &Type) -> Bytes {
        self.memory(ty)
    }

    fn indirect_place(&mut self, builder: &mut FunctionBuilder, ty: &Type) -> ir::Value {
        if !self.slot_aligned || ty.align() as u32 <= SLOT_ALIGN {
            return self.base;
        }
        let pointer = builder.func.dfg.value_type(self.base);
        *self
            .staged
            .insert(frame_buffer(builder, pointer, ty.size() as u32))
    }

    fn indirect_written(&mut self, builder: &mut FunctionBuilder, ty: &Type) {
        // Member by member: the callee's padding bytes (an `f80`'s last six included)
        // are not copied over the place.
        if let Some(staged) = self.staged {
            ty.for_each_scalar(0, &mut |offset, scalar| {
                let (dst, src) = (self.base, staged);
                let (dst, src) = if offset == 0 {
                    (dst, src)
                } else {
                    let at = offset as i64;
                    (builder.ins().iadd_imm_u(dst, at), builder.ins().iadd_imm_u(src, at))
                };
                let size = if *scalar == Type::F80 { 10 } else { scalar.size() };
                ir_bytes::copy_bytes(builder, dst, src, size as u32);
            });
        }
    }
}

impl ResultSource for ResultSlot {
    fn scalar(&mut self, b: &mut FunctionBuilder, s: &ScalarLowering) -> ir::Value {
        load_scalar(b, s, ir_bytes::slot_flags(), self.base, 0)
    }

    fn bytes(&mut self, _builder: &mut FunctionBuilder, ty: &Type) -> Bytes {
        self.memory(ty)
    }
}

/// Loads a scalar from `base + offset` (a slot, or the value a pointer array points
/// to) with `flags`, as its natural IR type. Narrow integers load only their own
/// bytes; `bool` is normalised to 0 or 1.
fn load_scalar(
    builder: &mut FunctionBuilder,
    lowering: &ScalarLowering,
    flags: MemFlagsData,
    base: ir::Value,
    offset: i32,
) -> ir::Value {
    let value = builder.ins().load(lowering.natural, flags, base, offset);
    if lowering.ty == Type::Bool {
        // icmp yields an i8 0/1.
        return builder.ins().icmp_imm_u(IntCC::NotEqual, value, 0);
    }
    value
}

/// Stores a scalar (of `ty`'s natural IR type) to its slot at `base + offset`
/// following the result rules: integers widened to a full slot, floats at their own
/// width.
fn store_slot(
    builder: &mut FunctionBuilder,
    ty: &Type,
    value: ir::Value,
    base: ir::Value,
    offset: i32,
) {
    let value = match ty.class() {
        Some(ScalarClass::Integer { bytes, signed }) if bytes < 8 => {
            if signed {
                builder.ins().sextend(types::I64, value)
            } else {
                builder.ins().uextend(types::I64, value)
            }
        }
        _ => value,
    };
    builder
        .ins()
        .store(ir_bytes::slot_flags(), value, base, offset);
}

/// A runtime's own IR values as a layout ([`crate::module`]'s inline calls): argument
/// `i` is `values[i]`, a scalar as its natural IR type, a struct as the address of its
/// bytes.
#[derive(Clone, Copy, Debug)]
pub struct IrValues<'a> {
    values: &'a [ir::Value],
}

impl<'a> IrValues<'a> {
    /// The C values `values`, one per parameter.
    pub fn new(values: &'a [ir::Value]) -> IrValues<'a> {
        IrValues { values }
    }
}

impl ArgSource for IrValues<'_> {
    fn scalar(&mut self, _b: &mut FunctionBuilder, index: usize, _s: &ScalarLowering) -> ir::Value {
        self.values[index]
    }

    fn bytes(&mut self, _builder: &mut FunctionBuilder, index: usize, ty: &Type) -> Bytes {
        Bytes::of_type(self.values[index], ty)
    }
}

/// A C result as a runtime's own IR value: a scalar as its natural IR type, a struct
/// as its bytes at `place`, memory the runtime gives (or, in a C-callable function
/// returning through a hidden pointer, the caller's).
#[derive(Clone, Copy, Debug, Default)]
pub struct IrResult {
    /// Where a struct result's bytes are.
    pub place: Option<ir::Value>,
    /// A scalar result.
    pub value: Option<ir::Value>,
}

impl IrResult {
    fn memory(&self, ty: &Type) -> Bytes {
        Bytes::of_type(self.place.expect("checked: a struct result has a place"), ty)
    }
}

impl ResultSink for IrResult {
    fn scalar(&mut self, _b: &mut FunctionBuilder, _s: &ScalarLowering, v: ir::Value) {
        self.value = Some(v);
    }

    fn place(&mut self, _builder: &mut FunctionBuilder, ty: &Type) -> Bytes {
        self.memory(ty)
    }
}

impl ResultSource for IrResult {
    fn scalar(&mut self, _b: &mut FunctionBuilder, _s: &ScalarLowering) -> ir::Value {
        self.value.expect("checked: a scalar result has a value")
    }

    fn bytes(&mut self, _builder: &mut FunctionBuilder, ty: &Type) -> Bytes {
        self.memory(ty)
    }
}

// ---------------------------------------------------------------------------------
// At run time: the generic caller's blocks (see `generic.rs` and `abi::plan`)

/// The generic caller's C type: `callee`, the argument block, the result block. It has
/// unwind information, so an exception the callee throws (C++) may pass through it.
pub type GenericCaller =
    unsafe extern "C-unwind" fn(callee: *const c_void, args: *const u64, results: *mut u64);

/// Words of the largest argument block of any convention's generic frame.
const MAX_ARGUMENT_WORDS: usize = 40;
/// Words of the largest result block.
const MAX_RESULT_WORDS: usize = 8;

/// Calls `callee` the way `plan` says, through `generic` (the generic caller compiled
/// for `plan.frame`), with the arguments from `args` in `layout` (the [array
/// layout](crate::array)'s slots, [`SlotArray`], or libffi's pointers to the values,
/// [`PointerArray`]) and the result written to the place `result` by the result
/// rules both layouts share ([`ResultSlot`]: integral results widened to 8 bytes by
/// their signedness, floats at their own width, a struct as its bytes): what the
/// compiled downcall trampoline of the plan's signature in that layout does, with the
/// same extensions, pieces and result pointer as [`call_args`] and
/// [`deliver_results`].
/// Words no value takes (unused registers, fillers) are passed with whatever the block
/// holds. Every value is written as a whole 8-byte word at its offset, in order: stack
/// values come in increasing offsets, so a packed stack value's word only overwrites
/// bytes a later value then writes (the block has room for the last word).
///
/// # Safety
/// `generic` must be the generic caller of `plan.frame`, and `callee`, `args` and
/// `result` must meet a downcall's requirements for the plan's signature in `layout`
/// (see [`Downcall::call_raw`](crate::Downcall::call_raw) and
/// [`PointerDowncall::call_raw`](crate::PointerDowncall::call_raw)).
pub unsafe fn call_generic(
    plan: &CallPlan,
    generic: GenericCaller,
    layout: ArgLayout,
    callee: *const c_void,
    args: *const Slot,
    result: *mut Slot,
) {
    assert!(plan.frame.argument_words() < MAX_ARGUMENT_WORDS);
    assert!(plan.frame.result_words() <= MAX_RESULT_WORDS);
    let mut block = MaybeUninit::<[u64; MAX_ARGUMENT_WORDS]>::uninit();
    let block_bytes = block.as_mut_ptr().cast::<u8>();
    let put = |at: u32, value: u64| {
        // SAFETY: the plan's offsets lie inside the frame's block, which fits here
        // with a word to spare.
        unsafe { block_bytes.add(at as usize).cast::<u64>().write_unaligned(value) }
    };
    let lowered = &plan.lowered;
    if let ResultLowering::Indirect { abi_index, .. } = lowered.result {
        put(plan.param_at[abi_index], result as u64);
    }
    for (index, param) in lowered.params.iter().enumerate() {
        // SAFETY: the caller provides one slot (or one pointer, as wide) per parameter.
        let slot = unsafe { args.add(index) };
        match param {
            ArgLowering::Scalar(scalar) => {
                let raw = match layout {
                    // SAFETY: a readable slot.
                    ArgLayout::Slots => u64::from_le_bytes(unsafe { (*slot).0 }),
                    // SAFETY: the pointer is to a readable value of the parameter's
                    // type, whose natural bytes are read (no more).
                    ArgLayout::Pointers => unsafe {
                        get_bytes(slot.cast::<*const u8>().read(), scalar.natural.bytes())
                    },
                };
                put(plan.param_at[scalar.abi_index], scalar_to_abi(scalar, raw));
            }
            ArgLowering::Pieces { pieces, .. } => {
                // SAFETY: in both layouts the element of a struct or wide integer is
                // the address of its bytes, which the caller vouches for.
                let bytes = unsafe { slot.cast::<*const u8>().read() };
                for piece in pieces {
                    // SAFETY: a piece lies inside the value's bytes.
                    let value = unsafe { get_bytes(bytes.add(piece.offset as usize), piece.size) };
                    put(plan.param_at[piece.abi_index], value);
                }
            }
            ArgLowering::ByReference { .. } => unreachable!("a plan has no by-reference copy"),
        }
    }
    let mut results = MaybeUninit::<[u64; MAX_RESULT_WORDS]>::uninit();
    // SAFETY: the caller's promises; the blocks have the frame's sizes.
    unsafe { generic(callee, block.as_ptr().cast(), results.as_mut_ptr().cast()) };
    let returned = |at: u32| {
        // SAFETY: the generic caller stored every result word.
        unsafe { results.as_ptr().cast::<u64>().add(at as usize / 8).read() }
    };
    let place = result.cast::<u8>();
    match &lowered.result {
        ResultLowering::Void | ResultLowering::Indirect { .. } => {}
        ResultLowering::X87 { .. } => unreachable!("a plan has no x87 result"),
        ResultLowering::Scalar(scalar) => {
            let (value, width) = scalar_to_slot(scalar, returned(plan.return_at[scalar.abi_index]));
            // SAFETY: the result place holds a slot.
            unsafe { put_bytes(place, value, width) };
        }
        ResultLowering::Pieces { pieces, .. } => {
            for piece in pieces {
                let value = returned(plan.return_at[piece.abi_index]);
                // SAFETY: the result place holds the value's size.
                unsafe { put_bytes(place.add(piece.offset as usize), value, piece.size) };
            }
        }
    }
}

/// The carrier bits of a scalar argument whose slot holds `slot`: the natural bytes
/// (`bool` normalised to 0 or 1), extended as the lowering says.
#[inline]
fn scalar_to_abi(scalar: &ScalarLowering, slot: u64) -> u64 {
    let bits = scalar.natural.bits();
    let raw = low_bits(slot, bits);
    let raw = if scalar.ty == Type::Bool {
        u64::from(raw != 0)
    } else {
        raw
    };
    match scalar.extension {
        abi::Extension::Sign => sign_extend(raw, bits),
        abi::Extension::Zero | abi::Extension::None | abi::Extension::FloatBits => raw,
    }
}

/// The slot bits and width of a scalar result that came back as `carrier`: the
/// natural bits only, integers then widened to the whole slot by their signedness,
/// floats at their own width (the rules of [`store_slot`]).
#[inline]
fn scalar_to_slot(scalar: &ScalarLowering, carrier: u64) -> (u64, u32) {
    let bits = scalar.natural.bits();
    let natural = low_bits(carrier, bits);
    match scalar.ty.class() {
        Some(ScalarClass::Integer { signed: true, .. }) => (sign_extend(natural, bits), 8),
        Some(ScalarClass::Integer { .. }) => (natural, 8),
        _ => (natural, bits / 8),
    }
}

/// `value`'s low `bits` bits (1 to 64), zero-extended.
#[inline]
fn low_bits(value: u64, bits: u32) -> u64 {
    value & (u64::MAX >> (64 - bits))
}

/// `value`'s low `bits` bits, sign-extended to 64.
fn sign_extend(value: u64, bits: u32) -> u64 {
    let shift = 64 - bits;
    (((value << shift) as i64) >> shift) as u64
}

/// The `size` bytes at `at`, little-endian, zero-extended.
///
/// # Safety
/// `at` must be readable for `size` (at most 8) bytes.
#[inline]
unsafe fn get_bytes(at: *const u8, size: u32) -> u64 {
    // SAFETY (every arm): the caller's promise.
    unsafe {
        match size {
            8 => at.cast::<u64>().read_unaligned(),
            4 => u64::from(at.cast::<u32>().read_unaligned()),
            2 => u64::from(at.cast::<u16>().read_unaligned()),
            1 => u64::from(*at),
            _ => (0..size as usize).fold(0, |v, i| v | u64::from(*at.add(i)) << (8 * i)),
        }
    }
}

/// Writes the low `width` bytes of `value` (at most 8), little-endian, to `at`.
///
/// # Safety
/// `at` must be writable for `width` bytes.
#[inline]
unsafe fn put_bytes(at: *mut u8, value: u64, width: u32) {
    // SAFETY (every arm): the caller's promise.
    unsafe {
        match width {
            8 => at.cast::<u64>().write_unaligned(value),
            4 => at.cast::<u32>().write_unaligned(value as u32),
            _ => (0..width.min(8) as usize).for_each(|i| *at.add(i) = (value >> (8 * i)) as u8),
        }
    }
}
