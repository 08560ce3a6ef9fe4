//! Shims: the few instructions of register setup a variadic call needs, and the x87
//! moves a System V `long double` result needs, that Cranelift 0.135 cannot emit, as
//! hand-written machine code.
//!
//! Cranelift never places a value in `rax` at a call (System V's `%al` count) and
//! assigns one register per Windows x64 argument slot (the Microsoft varargs rule
//! wants a float in both of its slot's registers). So a caller that needs either calls
//! the callee through a shim:
//!
//! 1. the caller saves the pinned register `r15` (Cranelift's `enable_pinned_reg`; no
//!    allocation uses it then), sets it to the callee's address, and makes an ordinary
//!    call of the shim with the callee's arguments in place;
//! 2. the shim writes the registers it exists for, nothing else, and jumps to `r15`
//!    without touching the stack, so the callee sees the caller's return address and
//!    stack arguments exactly as if it had been called directly;
//! 3. the caller restores `r15`, which is callee-saved in both conventions (System V
//!    psABI §3.2.1, Figure 3.4; Microsoft x64 "Caller/callee saved registers").
//!
//! The shims write only registers the callee does not expect anything else in: `rax`
//! (no argument in System V; a scratch register) and, on Windows x64, the integer
//! register of a slot that holds a float (no other argument has that slot).
//!
//! Their machine code is written once, here, as bytes ([`Shim::code`]). The same bytes
//! are the shims of this process (on x86-64 hosts they sit in springboard's own text
//! section, [`Shim::host_address`]) and the shim functions that object files and
//! runtimes' modules define ([`crate::module::define_call_shims`]).
//!
//! # `long double` in `st0`
//!
//! System V returns a `long double` on the x87 register stack, in `st0` (psABI §3.2.3,
//! "Returning of Values"); Cranelift has no x87 registers or instructions. Two more
//! shims are ordinary System V functions of one pointer argument, called with an
//! ordinary call (no pinned register, see [`Shim::takes_callee`]):
//!
//! - [`Shim::X87Store`], `fstp tbyte [rdi]; ret`: a downcall calls it right after the C
//!   function returns, with the result's place. It pops `st0` into the 10 value bytes,
//!   leaving the x87 stack empty as §3.2.3 requires at the next call.
//! - [`Shim::X87Load`], `fld tbyte [rdi]; ret`: a callback calls it with its result's
//!   bytes as its last call before returning, so the value is in `st0` when the
//!   callback returns.
//!
//! - [`Shim::X87StorePair`], `fstp tbyte [rdi]; fstp tbyte [rdi+16]; ret`, and
//!   [`Shim::X87LoadPair`], `fld tbyte [rdi+16]; fld tbyte [rdi]; ret`: the same for a
//!   `complex<f80>` (`_Complex long double`, class COMPLEX_X87), which §3.2.3 returns
//!   with "the real part in %st0 and the imaginary part in %st1". Its 32 bytes are
//!   the real part's 16, then the imaginary part's; the store pops the real part
//!   first, the load pushes the imaginary part first so the real part ends on top.
//!
//! All four are sound because nothing Cranelift emits between the C call (or the shim) and
//! the trampoline's own return touches the x87 stack: Cranelift code uses only
//! general and SSE registers, and the x87 registers survive calls of such code. The
//! one call that may run between the C function's return and `X87Store` is an errno
//! downcall's error number accessor (`__errno_location`), which reads a thread
//! pointer and uses no x87 register.

use cranelift_codegen::ir::{self, types, AbiParam};
use cranelift_codegen::isa::CallConv;
use std::fmt;

/// One shim.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shim {
    /// System V AMD64: `mov eax, N` (N = 0..=8, the vector-register count of the
    /// call), then `jmp r15`.
    VectorCount(u8),
    /// Windows x64: for every bit `k` set in the mask (1..=15), `movq` from `xmmk` to
    /// slot `k`'s integer register (`rcx, rdx, r8, r9`), then `jmp r15`.
    FloatCopies(u8),
    /// System V AMD64: `fstp tbyte [rdi]`, then `ret`: an ordinary function storing a
    /// `long double` result from `st0`.
    X87Store,
    /// System V AMD64: `fld tbyte [rdi]`, then `ret`: an ordinary function loading a
    /// `long double` result into `st0`.
    X87Load,
    /// System V AMD64: `fstp tbyte [rdi]`, `fstp tbyte [rdi+16]`, then `ret`: stores a
    /// `complex<f80>` result from `st0` (real part) and `st1` (imaginary part).
    X87StorePair,
    /// System V AMD64: `fld tbyte [rdi+16]`, `fld tbyte [rdi]`, then `ret`: loads a
    /// `complex<f80>` result into `st1` (imaginary part) and `st0` (real part).
    X87LoadPair,
}

/// The namespace of shim symbols in a trampoline's user external names; the index is
/// [`Shim::index`].
pub const SHIM_NAMESPACE: u32 = 0x5d;

/// `jmp r15`.
const JMP_R15: [u8; 3] = [0x41, 0xff, 0xe7];

/// `movq rcx, xmm0`, `movq rdx, xmm1`, `movq r8, xmm2`, `movq r9, xmm3`
/// (`66 REX.W 0F 7E /r`, the `xmm` register in `reg`, the integer register in `r/m`).
const MOVQ_SLOT: [[u8; 5]; 4] = [
    [0x66, 0x48, 0x0f, 0x7e, 0xc1],
    [0x66, 0x48, 0x0f, 0x7e, 0xca],
    [0x66, 0x49, 0x0f, 0x7e, 0xd0],
    [0x66, 0x49, 0x0f, 0x7e, 0xd9],
];

/// The room every shim has in [`CODE`]: the longest (four `movq`s and the jump) is 23
/// bytes; the rest of an entry is `int3`.
const ENTRY: usize = 24;

/// The number of shims.
const COUNT: usize = 28;

/// One shim's code, `int3`-padded to [`ENTRY`] bytes, and its length.
const fn encode(shim: Shim) -> ([u8; ENTRY], usize) {
    let mut code = [0xcc; ENTRY];
    let mut len = 0;
    match shim {
        Shim::VectorCount(count) => {
            // `mov eax, imm32` (B8 id); it also clears the upper half of rax.
            let imm = (count as u32).to_le_bytes();
            len = put(&mut code, 0, &[0xb8, imm[0], imm[1], imm[2], imm[3]]);
        }
        // `fstp m80fp` (DB /7) and `fld m80fp` (DB /5) with `[rdi]` as r/m, then `ret`
        // (C3): ordinary functions, no jump.
        Shim::X87Store | Shim::X87Load => {
            let modrm = if matches!(shim, Shim::X87Store) { 0x3f } else { 0x2f };
            let len = put(&mut code, 0, &[0xdb, modrm, 0xc3]);
            return (code, len);
        }
        // The same instructions, one of them with `[rdi+16]` as r/m (mod 01, an 8-bit
        // displacement of 0x10): `DB 7F 10` and `DB 6F 10`.
        Shim::X87StorePair => {
            let len = put(&mut code, 0, &[0xdb, 0x3f, 0xdb, 0x7f, 0x10, 0xc3]);
            return (code, len);
        }
        Shim::X87LoadPair => {
            let len = put(&mut code, 0, &[0xdb, 0x6f, 0x10, 0xdb, 0x2f, 0xc3]);
            return (code, len);
        }
        Shim::FloatCopies(mask) => {
            let mut slot = 0;
            while slot < MOVQ_SLOT.len() {
                if mask & (1 << slot) != 0 {
                    len = put(&mut code, len, &MOVQ_SLOT[slot]);
                }
                slot += 1;
            }
        }
    }
    let len = put(&mut code, len, &JMP_R15);
    (code, len)
}

/// Copies `bytes` into `code` at `at` (a loop: `copy_from_slice` is not `const`);
/// returns the end.
const fn put(code: &mut [u8; ENTRY], at: usize, bytes: &[u8]) -> usize {
    let mut i = 0;
    while i < bytes.len() {
        code[at + i] = bytes[i];
        i += 1;
    }
    at + bytes.len()
}

/// Every shim's code, in [`Shim::index`] order, one [`ENTRY`] each.
const fn all_code() -> [[u8; ENTRY]; COUNT] {
    let mut all = [[0; ENTRY]; COUNT];
    let mut index = 0;
    while index < COUNT {
        let shim = match Shim::from_index_const(index as u32) {
            Some(shim) => shim,
            None => panic!("the shim indices are dense"),
        };
        all[index] = encode(shim).0;
        index += 1;
    }
    all
}

/// The shims' machine code.
const CODE: [[u8; ENTRY]; COUNT] = all_code();

impl Shim {
    /// Every shim, in [`Shim::index`] order.
    pub fn all() -> impl Iterator<Item = Shim> {
        (0..=8)
            .map(Shim::VectorCount)
            .chain((1..=15).map(Shim::FloatCopies))
            .chain([
                Shim::X87Store,
                Shim::X87Load,
                Shim::X87StorePair,
                Shim::X87LoadPair,
            ])
    }

    /// The shim that stores an x87 result of type `ty` (a
    /// [`ResultLowering::X87`](super::ResultLowering::X87)) from the x87 stack into its
    /// bytes: [`Shim::X87StorePair`] for `complex<f80>`, else [`Shim::X87Store`].
    pub fn x87_store(ty: &crate::Type) -> Shim {
        if is_complex(ty) {
            Shim::X87StorePair
        } else {
            Shim::X87Store
        }
    }

    /// The shim that loads an x87 result of type `ty` from its bytes onto the x87
    /// stack: [`Shim::X87LoadPair`] for `complex<f80>`, else [`Shim::X87Load`].
    pub fn x87_load(ty: &crate::Type) -> Shim {
        if is_complex(ty) {
            Shim::X87LoadPair
        } else {
            Shim::X87Load
        }
    }

    /// Whether the shim is a call shim, taking the callee in the pinned register `r15`
    /// and jumping to it (the variadic ones); the x87 shims are ordinary functions.
    pub fn takes_callee(self) -> bool {
        matches!(self, Shim::VectorCount(_) | Shim::FloatCopies(_))
    }

    /// The Cranelift signature of the x87 shims: System V, one pointer argument, no
    /// result.
    pub fn x87_signature() -> ir::Signature {
        let mut signature = ir::Signature::new(CallConv::SystemV);
        signature.params.push(AbiParam::new(types::I64));
        signature
    }

    /// The shim's index among [`Shim::all`] (its symbol index in [`SHIM_NAMESPACE`]).
    pub fn index(self) -> u32 {
        match self {
            Shim::VectorCount(count) => u32::from(count),
            Shim::FloatCopies(mask) => 8 + u32::from(mask),
            Shim::X87Store => 24,
            Shim::X87Load => 25,
            Shim::X87StorePair => 26,
            Shim::X87LoadPair => 27,
        }
    }

    /// The shim of an index, `None` beyond the last.
    pub fn from_index(index: u32) -> Option<Shim> {
        Shim::from_index_const(index)
    }

    const fn from_index_const(index: u32) -> Option<Shim> {
        match index {
            0..=8 => Some(Shim::VectorCount(index as u8)),
            9..=23 => Some(Shim::FloatCopies((index - 8) as u8)),
            24 => Some(Shim::X87Store),
            25 => Some(Shim::X87Load),
            26 => Some(Shim::X87StorePair),
            27 => Some(Shim::X87LoadPair),
            _ => None,
        }
    }

    /// The shim's machine code: what [`Shim::host_address`] points at, and what a
    /// module's shim function is defined with.
    pub fn code(self) -> &'static [u8] {
        let entry = &CODE[self.index() as usize];
        &entry[..encode(self).1]
    }

    /// The address of the shim compiled into this process, `None` on hosts that are
    /// not x86-64 (where no System V or Windows x64 code runs).
    pub fn host_address(self) -> Option<u64> {
        host::address(self.index() as usize)
    }
}

impl fmt::Display for Shim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Shim::VectorCount(count) => write!(f, "sysv_al_{count}"),
            Shim::FloatCopies(mask) => write!(f, "win64_float_copies_{mask:04b}"),
            Shim::X87Store => f.write_str("sysv_x87_store"),
            Shim::X87Load => f.write_str("sysv_x87_load"),
            Shim::X87StorePair => f.write_str("sysv_x87_store_pair"),
            Shim::X87LoadPair => f.write_str("sysv_x87_load_pair"),
        }
    }
}

/// True for `complex<f80>`, the one x87 result of two values.
fn is_complex(ty: &crate::Type) -> bool {
    ty.as_struct().is_some_and(crate::types::StructType::is_complex)
}

#[cfg(target_arch = "x86_64")]
mod host {
    //! The shims of this process: [`super::CODE`] placed in an executable section. They
    //! are not Rust functions: nothing calls them but a trampoline (the call shims with
    //! the callee in `r15`).

    #[cfg_attr(target_os = "macos", link_section = "__TEXT,__text")]
    #[cfg_attr(target_os = "windows", link_section = ".text$springboard_shims")]
    #[cfg_attr(
        not(any(target_os = "macos", target_os = "windows")),
        link_section = ".text.springboard_shims"
    )]
    static SHIMS: [[u8; super::ENTRY]; super::COUNT] = super::CODE;

    pub fn address(index: usize) -> Option<u64> {
        SHIMS.get(index).map(|shim| shim.as_ptr() as usize as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indices_round_trip_and_are_dense() {
        for (i, shim) in Shim::all().enumerate() {
            assert_eq!(shim.index() as usize, i);
            assert_eq!(Shim::from_index(i as u32), Some(shim));
        }
        assert_eq!(Shim::from_index(28), None);
        assert!(!Shim::X87Store.takes_callee() && Shim::VectorCount(0).takes_callee());
        assert_eq!(Shim::VectorCount(8).to_string(), "sysv_al_8");
    }

    #[test]
    fn encodings() {
        assert_eq!(
            Shim::VectorCount(3).code(),
            [0xb8, 3, 0, 0, 0, 0x41, 0xff, 0xe7]
        );
        let code = Shim::FloatCopies(0b1010).code();
        assert_eq!(
            code,
            [0x66, 0x48, 0x0f, 0x7e, 0xca, 0x66, 0x49, 0x0f, 0x7e, 0xd9, 0x41, 0xff, 0xe7]
        );
        assert_eq!(Shim::X87Store.code(), [0xdb, 0x3f, 0xc3]);
        assert_eq!(Shim::X87Load.code(), [0xdb, 0x2f, 0xc3]);
        assert_eq!(
            Shim::X87StorePair.code(),
            [0xdb, 0x3f, 0xdb, 0x7f, 0x10, 0xc3]
        );
        assert_eq!(Shim::X87LoadPair.code(), [0xdb, 0x6f, 0x10, 0xdb, 0x2f, 0xc3]);
        let complex = crate::Type::complex(crate::Type::F80).unwrap();
        assert_eq!(Shim::x87_store(&complex), Shim::X87StorePair);
        assert_eq!(Shim::x87_load(&complex), Shim::X87LoadPair);
        let pair: crate::Type = "{f80, f80}".parse().unwrap();
        assert_eq!(Shim::x87_store(&crate::Type::F80), Shim::X87Store);
        assert_eq!(Shim::x87_load(&pair), Shim::X87Load);
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_host_shims_are_the_documented_bytes() {
        for shim in Shim::all() {
            let code = shim.code();
            let address = shim.host_address().expect("x86-64 host");
            // SAFETY: the shim is an entry of this binary's `SHIMS` table, at least
            // `code.len()` bytes long; reading those bytes is allowed.
            let compiled = unsafe { std::slice::from_raw_parts(address as *const u8, code.len()) };
            assert_eq!(compiled, code, "{shim}");
        }
    }
}
