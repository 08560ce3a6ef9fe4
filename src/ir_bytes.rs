//! Emitting IR that moves raw bytes: exact-width loads and stores (never touching a
//! byte outside the range) and copies. Used for struct values, whose sizes need not
//! be a power of two.
//!
//! This module is also the one place that decides the memory flags of every load and
//! store a trampoline emits ([`slot_flags`], [`typed_flags`], [`byte_range_flags`]).
//! Every access is `notrap`: the memory is the caller's contract (a valid argument
//! array, result place, struct pointer or context) or the trampoline's own frame. An
//! access claims `aligned` only when its address is known to be a multiple of its
//! width:
//!
//! - slot memory (the argument array, the result place, the trampoline's own frame
//!   buffers, its data entry, a runtime context's pointer-sized words) is 8-aligned and
//!   every access to it is at most 8 bytes at a multiple of its width:
//!   [`slot_flags`], `aligned`;
//! - a typed access (a whole `f32`/`f64` struct piece) into memory guaranteed `align`
//!   bytes (a struct's C alignment when the bytes are the caller's, [`SLOT_ALIGN`] or
//!   [`FRAME_ALIGN`] when they are a result place or a frame buffer):
//!   [`typed_flags`], `aligned` only if the width is at most `align` and the offset a
//!   multiple of the width (so an `f64` piece of a 4-aligned `{f32, f32}` is not);
//! - the power-of-two chunks a byte range is split into (integer pieces, float tails,
//!   copies), which may sit at any offset of any struct: [`byte_range_flags`], never
//!   `aligned`. Claiming nothing is always true.

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

/// Flags of a `width`-byte access at `offset` from a base guaranteed `align`-byte
/// alignment: `notrap`, plus `aligned` when that makes the address a multiple of
/// `width`.
pub fn typed_flags(align: u32, offset: i32, width: u32) -> MemFlagsData {
    let flags = MemFlagsData::new().with_notrap();
    let width_fits = width.is_power_of_two() && width <= align;
    if width_fits && offset.rem_euclid(width as i32) == 0 {
        flags.with_aligned()
    } else {
        flags
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_accesses_claim_alignment_only_where_the_base_guarantees_it() {
        let aligned = |align, offset, width| typed_flags(align, offset, width).aligned();
        // An f64 piece of a 4-aligned struct ({f32, f32}, {[f32; 2], f32}).
        assert!(!aligned(4, 0, 8));
        assert!(!aligned(4, 8, 8));
        // An f32 piece of the same struct, and f64 pieces of an 8-aligned one.
        assert!(aligned(4, 8, 4));
        assert!(aligned(8, 0, 8) && aligned(8, 8, 8));
        // A result place (8) or frame buffer (16) holding a 4-aligned struct.
        assert!(aligned(SLOT_ALIGN, 0, 8) && aligned(FRAME_ALIGN, 8, 8));
        // Offsets that are not a multiple of the width.
        assert!(!aligned(16, 4, 8) && !aligned(8, 2, 4));
        for flags in [typed_flags(4, 0, 8), typed_flags(8, 0, 8), slot_flags()] {
            assert!(flags.notrap());
        }
        assert!(slot_flags().aligned());
        assert!(byte_range_flags().notrap() && !byte_range_flags().aligned());
    }
}
