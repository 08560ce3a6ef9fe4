//! Emitting IR that moves raw bytes: exact-width loads and stores (never touching a
//! byte outside the range) and copies. Used for struct values, whose sizes need not
//! be a power of two.
//!
//! This module is also the one place that decides the memory flags of every load and
//! store a trampoline emits ([`slot_flags`], [`typed_flags`], [`byte_range_flags`]).

use cranelift_codegen::ir::{self, types, InstBuilder, MemFlagsData};
use cranelift_frontend::FunctionBuilder;

/// Alignment of slot memory: argument arrays and result places.
pub const SLOT_ALIGN: u32 = 8;

/// Alignment of the buffers a trampoline allocates in its own frame.
pub const FRAME_ALIGN: u32 = 16;

/// Flags of an access to slot memory (8-aligned, valid): `notrap aligned`.
pub fn slot_flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

/// Flags of a `width`-byte typed access at `offset` from a base guaranteed
/// `align`-byte alignment: `notrap aligned`.
pub fn typed_flags(_align: u32, _offset: i32, _width: u32) -> MemFlagsData {
    MemFlagsData::trusted()
}

/// Flags of one chunk of a byte range (struct bytes at any offset): `notrap`, no
/// alignment claimed.
pub fn byte_range_flags() -> MemFlagsData {
    MemFlagsData::new().with_notrap()
}

fn flags() -> MemFlagsData {
    byte_range_flags()
}

/// Splits `size` bytes at `offset` into power-of-two accesses, largest first.
fn chunks(size: u32) -> impl Iterator<Item = (u32, ir::Type)> {
    let mut done = 0;
    std::iter::from_fn(move || {
        let left = size - done;
        let ty = match left {
            0 => return None,
            8.. => types::I64,
            4..=7 => types::I32,
            2..=3 => types::I16,
            _ => types::I8,
        };
        let at = done;
        done += ty.bytes();
        Some((at, ty))
    })
}

/// Loads `size` (1 to 8) bytes at `base + offset` into the low bytes of an `i64`, the
/// rest zero.
pub fn load_bytes(
    builder: &mut FunctionBuilder,
    base: ir::Value,
    offset: i32,
    size: u32,
) -> ir::Value {
    debug_assert!((1..=8).contains(&size));
    let mut value = None;
    for (at, ty) in chunks(size) {
        let mut part = builder.ins().load(ty, flags(), base, offset + at as i32);
        if ty != types::I64 {
            part = builder.ins().uextend(types::I64, part);
        }
        if at > 0 {
            part = builder.ins().ishl_imm_u(part, i64::from(at * 8));
        }
        value = Some(match value {
            None => part,
            Some(low) => builder.ins().bor(low, part),
        });
    }
    value.expect("size is at least 1")
}

/// Stores the low `size` (1 to 8) bytes of the `i64` `value` at `base + offset`.
pub fn store_bytes(
    builder: &mut FunctionBuilder,
    value: ir::Value,
    base: ir::Value,
    offset: i32,
    size: u32,
) {
    debug_assert!((1..=8).contains(&size));
    for (at, ty) in chunks(size) {
        let mut part = value;
        if at > 0 {
            part = builder.ins().ushr_imm_u(part, i64::from(at * 8));
        }
        if ty != types::I64 {
            part = builder.ins().ireduce(ty, part);
        }
        builder.ins().store(flags(), part, base, offset + at as i32);
    }
}

/// Copies `size` bytes from `src` to `dst` (non-overlapping), unrolled.
pub fn copy_bytes(builder: &mut FunctionBuilder, dst: ir::Value, src: ir::Value, size: u32) {
    for (at, ty) in chunks(size) {
        let value = builder.ins().load(ty, flags(), src, at as i32);
        builder.ins().store(flags(), value, dst, at as i32);
    }
}
