//! A callee that breaks the registers every x86-64 convention preserves, and a shim
//! that calls a C caller on it and repairs the damage: the callback catalogues check
//! with them that their C callers notice a callee that breaks the convention.

use std::ffi::c_void;

// A callee that breaks both conventions for callers with a `void` result: it changes
// the registers every convention preserves (rbx, rbp, r12-r15 and, preserved by
// Windows x64 only, rsi, rdi, xmm6-xmm15) and returns. A general register is changed
// (bit 0 flipped) only when its value cannot be a user-space address or a small
// negative number (bits 47-63 neither all clear nor all set), as the callers' live
// values are: the caller may hold pointers in those registers that it still needs,
// and must not crash before it reports.
#[cfg(target_arch = "x86_64")]
std::arch::global_asm!(
    ".macro sb_test_flip_value reg",
    "mov rax, \\reg",
    "sar rax, 47",
    "jz 2f",
    "cmp rax, -1",
    "je 2f",
    "xor \\reg, 1",
    "2:",
    ".endm",
    ".globl sb_test_clobber_preserved",
    "sb_test_clobber_preserved:",
    "sb_test_flip_value rbx",
    "sb_test_flip_value rbp",
    "sb_test_flip_value r12",
    "sb_test_flip_value r13",
    "sb_test_flip_value r14",
    "sb_test_flip_value r15",
    "sb_test_flip_value rsi",
    "sb_test_flip_value rdi",
    "pcmpeqb xmm6, xmm6",
    "pcmpeqb xmm7, xmm7",
    "pcmpeqb xmm8, xmm8",
    "pcmpeqb xmm9, xmm9",
    "pcmpeqb xmm10, xmm10",
    "pcmpeqb xmm11, xmm11",
    "pcmpeqb xmm12, xmm12",
    "pcmpeqb xmm13, xmm13",
    "pcmpeqb xmm14, xmm14",
    "pcmpeqb xmm15, xmm15",
    "ret",
);

// `int32_t sb_test_call_preserving(caller, callee)` (System V): calls
// `caller(callee)` in either convention (the argument in rdi and rcx, 32 bytes of
// shadow space) and restores every register either convention preserves, so that a
// caller whose callee broke them does not pass the damage on to Rust.
#[cfg(target_arch = "x86_64")]
std::arch::global_asm!(
    ".globl sb_test_call_preserving",
    "sb_test_call_preserving:",
    "push rbp",
    "mov rbp, rsp",
    "push rbx",
    "push r12",
    "push r13",
    "push r14",
    "push r15",
    "push rsi",
    "push rdi",
    "sub rsp, 168",
    "movdqu [rsp], xmm6",
    "movdqu [rsp + 16], xmm7",
    "movdqu [rsp + 32], xmm8",
    "movdqu [rsp + 48], xmm9",
    "movdqu [rsp + 64], xmm10",
    "movdqu [rsp + 80], xmm11",
    "movdqu [rsp + 96], xmm12",
    "movdqu [rsp + 112], xmm13",
    "movdqu [rsp + 128], xmm14",
    "movdqu [rsp + 144], xmm15",
    "sub rsp, 32",
    "mov rax, rdi",
    "mov rdi, rsi",
    "mov rcx, rsi",
    "call rax",
    "add rsp, 32",
    "movdqu xmm6, [rsp]",
    "movdqu xmm7, [rsp + 16]",
    "movdqu xmm8, [rsp + 32]",
    "movdqu xmm9, [rsp + 48]",
    "movdqu xmm10, [rsp + 64]",
    "movdqu xmm11, [rsp + 80]",
    "movdqu xmm12, [rsp + 96]",
    "movdqu xmm13, [rsp + 112]",
    "movdqu xmm14, [rsp + 128]",
    "movdqu xmm15, [rsp + 144]",
    "add rsp, 168",
    "pop rdi",
    "pop rsi",
    "pop r15",
    "pop r14",
    "pop r13",
    "pop r12",
    "pop rbx",
    "pop rbp",
    "ret",
);

#[cfg(target_arch = "x86_64")]
extern "C" {
    /// Breaks every convention on purpose: only its address is used.
    fn sb_test_clobber_preserved();
    fn sb_test_call_preserving(caller: *const c_void, callee: *const c_void) -> i32;
}

/// Calls the generated caller `caller` (`int32_t (const void *)`, System V or
/// Windows x64) on a callee that breaks every register the conventions preserve, and
/// returns what the caller counted, with those registers restored afterwards.
///
/// # Safety
/// `caller` must be a generated caller of a `() -> void` case (the callee reads no
/// arguments and writes no result).
#[cfg(target_arch = "x86_64")]
pub unsafe fn call_with_preserved_registers_broken(caller: *const c_void) -> i32 {
    // SAFETY: the shim calls the caller in either convention and restores the
    // registers the clobbering callee breaks; the callee reads nothing.
    unsafe { sb_test_call_preserving(caller, sb_test_clobber_preserved as *const c_void) }
}
