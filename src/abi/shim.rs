//! Call shims: the few instructions of register setup a variadic call needs that
//! Cranelift 0.135 cannot emit, as hand-written machine code.
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
//! register of a slot that holds a float (no other argument has that slot). They are
//! compiled into springboard itself ([`Shim::host_address`], on x86-64 hosts); their
//! encoding is also given as bytes ([`Shim::code`]), which a test checks against the
//! compiled ones.

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
}

/// The namespace of shim symbols in a trampoline's user external names; the index is
/// [`Shim::index`].
pub const SHIM_NAMESPACE: u32 = 0x5d;

/// `jmp r15`.
#[cfg(any(test, feature = "unstable-internals"))]
const JMP_R15: [u8; 3] = [0x41, 0xff, 0xe7];

/// `movq rcx, xmm0`, `movq rdx, xmm1`, `movq r8, xmm2`, `movq r9, xmm3`
/// (`66 REX.W 0F 7E /r`, the `xmm` register in `reg`, the integer register in `r/m`).
#[cfg(any(test, feature = "unstable-internals"))]
const MOVQ_SLOT: [[u8; 5]; 4] = [
    [0x66, 0x48, 0x0f, 0x7e, 0xc1],
    [0x66, 0x48, 0x0f, 0x7e, 0xca],
    [0x66, 0x49, 0x0f, 0x7e, 0xd0],
    [0x66, 0x49, 0x0f, 0x7e, 0xd9],
];

impl Shim {
    /// Every shim, in [`Shim::index`] order.
    pub fn all() -> impl Iterator<Item = Shim> {
        (0..=8)
            .map(Shim::VectorCount)
            .chain((1..=15).map(Shim::FloatCopies))
    }

    /// The shim's index among [`Shim::all`] (its symbol index in [`SHIM_NAMESPACE`]).
    pub fn index(self) -> u32 {
        match self {
            Shim::VectorCount(count) => u32::from(count),
            Shim::FloatCopies(mask) => 8 + u32::from(mask),
        }
    }

    /// The shim of an index, `None` beyond the last.
    pub fn from_index(index: u32) -> Option<Shim> {
        Shim::all().nth(usize::try_from(index).ok()?)
    }

    /// The shim's machine code (what [`Shim::host_address`] points at).
    #[cfg(any(test, feature = "unstable-internals"))]
    pub fn code(self) -> Vec<u8> {
        let mut code = Vec::with_capacity(24);
        match self {
            Shim::VectorCount(count) => {
                // `mov eax, imm32` (B8 id); it also clears the upper half of rax.
                code.push(0xb8);
                code.extend_from_slice(&u32::from(count).to_le_bytes());
            }
            Shim::FloatCopies(mask) => {
                for (slot, movq) in MOVQ_SLOT.iter().enumerate() {
                    if mask & (1 << slot) != 0 {
                        code.extend_from_slice(movq);
                    }
                }
            }
        }
        code.extend_from_slice(&JMP_R15);
        code
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
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod host {
    //! The shims as functions of springboard itself. They are not Rust functions:
    //! nothing calls them but a trampoline, with the callee in `r15`.

    macro_rules! shims {
        ($($name:ident: [$($line:literal),*];)*) => {
            $(
                #[unsafe(naked)]
                unsafe extern "C" fn $name() {
                    core::arch::naked_asm!($($line,)* "jmp r15")
                }
            )*
            /// Every shim's code, in `Shim::index` order.
            const SHIMS: [unsafe extern "C" fn(); 24] = [$($name),*];
        };
    }

    shims! {
        al_0: ["mov eax, 0"];
        al_1: ["mov eax, 1"];
        al_2: ["mov eax, 2"];
        al_3: ["mov eax, 3"];
        al_4: ["mov eax, 4"];
        al_5: ["mov eax, 5"];
        al_6: ["mov eax, 6"];
        al_7: ["mov eax, 7"];
        al_8: ["mov eax, 8"];
        copies_0001: ["movq rcx, xmm0"];
        copies_0010: ["movq rdx, xmm1"];
        copies_0011: ["movq rcx, xmm0", "movq rdx, xmm1"];
        copies_0100: ["movq r8, xmm2"];
        copies_0101: ["movq rcx, xmm0", "movq r8, xmm2"];
        copies_0110: ["movq rdx, xmm1", "movq r8, xmm2"];
        copies_0111: ["movq rcx, xmm0", "movq rdx, xmm1", "movq r8, xmm2"];
        copies_1000: ["movq r9, xmm3"];
        copies_1001: ["movq rcx, xmm0", "movq r9, xmm3"];
        copies_1010: ["movq rdx, xmm1", "movq r9, xmm3"];
        copies_1011: ["movq rcx, xmm0", "movq rdx, xmm1", "movq r9, xmm3"];
        copies_1100: ["movq r8, xmm2", "movq r9, xmm3"];
        copies_1101: ["movq rcx, xmm0", "movq r8, xmm2", "movq r9, xmm3"];
        copies_1110: ["movq rdx, xmm1", "movq r8, xmm2", "movq r9, xmm3"];
        copies_1111: ["movq rcx, xmm0", "movq rdx, xmm1", "movq r8, xmm2", "movq r9, xmm3"];
    }

    pub fn address(index: usize) -> Option<u64> {
        SHIMS.get(index).map(|shim| *shim as usize as u64)
    }
}

#[cfg(not(target_arch = "x86_64"))]
mod host {
    pub fn address(_index: usize) -> Option<u64> {
        None
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
        assert_eq!(Shim::from_index(24), None);
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
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn the_compiled_shims_are_the_documented_bytes() {
        for shim in Shim::all() {
            let code = shim.code();
            let address = shim.host_address().expect("x86-64 host");
            // SAFETY: the shim is a function of this binary, at least `code.len()`
            // bytes long if it is what it should be; reading code bytes is allowed.
            let compiled = unsafe { std::slice::from_raw_parts(address as *const u8, code.len()) };
            assert_eq!(compiled, code, "{shim}");
        }
    }
}
