//! Argument and result slots as the tests fill and check them: values with garbage
//! around them, and the bytes a correct call leaves in a result slot.

use super::c_cases::value_bits;
use springboard::{Slot, Value};

/// A garbage byte for byte `index` of slot (or buffer) `salt`: never 0x00 or 0xff, so
/// that it cannot pass for a sign or zero extension, and different from slot to slot.
pub fn garbage(salt: usize, index: usize) -> u8 {
    let b = (0xa5 ^ (salt as u8).wrapping_mul(0x3b)).wrapping_add((index as u8).wrapping_mul(0x11));
    match b {
        0x00 | 0xff => 0x5a,
        b => b,
    }
}

/// The scalar `value` in a slot holding `garbage`: the value's own bytes replace the
/// first ones, the garbage stays beyond its size; a `true` is written as one of several
/// non-zero bytes, picked by `variant` (the layout reads "first byte non-zero").
pub fn slot_over(value: &Value, garbage: [u8; 8], variant: usize) -> Slot {
    let mut bytes = garbage;
    let size = value.ty().size();
    bytes[..size].copy_from_slice(&value.to_slot().0[..size]);
    if *value == Value::Bool(true) {
        bytes[0] = [0x01, 0x80, 0xff, 0x02][variant % 4];
    }
    Slot(bytes)
}

/// The scalar `value` in slot `index` of an argument array, with [`garbage`] in every
/// byte beyond its size (see [`slot_over`]).
pub fn dirty_slot(value: &Value, index: usize) -> Slot {
    slot_over(
        value,
        std::array::from_fn(|byte| garbage(index, byte)),
        index,
    )
}

/// Whether an argument slot holds the scalar `value` as the layout says: its own bytes
/// exact (the rest is not a handler's business), `bool` as a 0 or 1 byte.
pub fn slot_holds(slot: Slot, value: &Value) -> bool {
    match *value {
        Value::Bool(v) => slot.0[0] == u8::from(v),
        _ => {
            let size = value.ty().size();
            slot.0[..size] == value.to_slot().0[..size]
        }
    }
}

/// A scalar result as the layout's writer rule says: integers, `bool` and pointers
/// extended per their type to the whole slot (an `f32` is written separately).
pub fn layout_slot(value: &Value) -> Slot {
    let extended = match *value {
        Value::I8(v) => i64::from(v) as u64,
        Value::I16(v) => i64::from(v) as u64,
        Value::I32(v) => i64::from(v) as u64,
        Value::Isize(v) => v as i64 as u64,
        _ => value_bits(value),
    };
    Slot(extended.to_le_bytes())
}

/// The result slot after a call that returned the scalar `result` into a slot that
/// held `before`, per the layout: integers, `bool` and pointers fill the slot sign- or
/// zero-extended, an `f32` replaces the first four bytes only, `void` writes nothing.
pub fn expected_result_slot(result: &Value, before: Slot) -> Slot {
    match result {
        Value::Void => before,
        Value::F32(v) => {
            let mut bytes = before.0;
            bytes[..4].copy_from_slice(&v.to_bits().to_le_bytes());
            Slot(bytes)
        }
        scalar => layout_slot(scalar),
    }
}

/// [`expected_result_slot`] for a slot read as a little-endian `u64`.
pub fn expected_result_bits(result: &Value, before: u64) -> u64 {
    u64::from_le_bytes(expected_result_slot(result, Slot(before.to_le_bytes())).0)
}

/// Overwrites every register the System V convention lets a function clobber (the
/// integer argument and scratch registers, all of xmm0-xmm15) with `pattern`: a
/// Windows x64 caller expects rsi, rdi and xmm6-xmm15 back unchanged, so a callback
/// trampoline must preserve them around its handler.
#[inline(never)]
pub fn scramble_clobberable_registers(pattern: u64) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: the asm writes only registers declared as clobbered outputs.
    unsafe {
        std::arch::asm!(
            "mov rcx, rax", "mov rdx, rax", "mov rsi, rax", "mov rdi, rax",
            "mov r8, rax", "mov r9, rax", "mov r10, rax", "mov r11, rax",
            "movq xmm0, rax", "punpcklqdq xmm0, xmm0",
            "movaps xmm1, xmm0", "movaps xmm2, xmm0", "movaps xmm3, xmm0",
            "movaps xmm4, xmm0", "movaps xmm5, xmm0", "movaps xmm6, xmm0",
            "movaps xmm7, xmm0", "movaps xmm8, xmm0", "movaps xmm9, xmm0",
            "movaps xmm10, xmm0", "movaps xmm11, xmm0", "movaps xmm12, xmm0",
            "movaps xmm13, xmm0", "movaps xmm14, xmm0", "movaps xmm15, xmm0",
            inout("rax") pattern => _, out("rcx") _, out("rdx") _, out("rsi") _,
            out("rdi") _, out("r8") _, out("r9") _, out("r10") _, out("r11") _,
            out("xmm0") _, out("xmm1") _, out("xmm2") _, out("xmm3") _,
            out("xmm4") _, out("xmm5") _, out("xmm6") _, out("xmm7") _,
            out("xmm8") _, out("xmm9") _, out("xmm10") _, out("xmm11") _,
            out("xmm12") _, out("xmm13") _, out("xmm14") _, out("xmm15") _,
            options(nostack, nomem),
        );
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = pattern;
}
