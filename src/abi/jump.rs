//! Absolute jumps: the machine code a closure-style entry point needs when its address
//! must be fixed before the code it runs exists (libffi's `ffi_closure.tramp`, which
//! the drop-in fills with a jump to a springboard callback).
//!
//! Each is a few instructions that load a 64-bit address into a register no argument
//! uses and jump to it, leaving every argument register and the stack as the caller
//! left them, so the destination sees the call exactly as if it had been made to it:
//!
//! - x86-64: `movabs r11, destination; jmp r11` (13 bytes). `r11` is a scratch register
//!   in both x86-64 conventions (System V psABI §3.2.1, Figure 3.4: "temporary
//!   register", not used for arguments; Microsoft x64: volatile, not an argument
//!   register). With a static chain, `movabs r10, chain` first (10 more bytes): `r10`
//!   is System V's static chain register (Figure 3.4, "used for passing a function's
//!   static chain pointer").
//! - aarch64: `ldr x16, 8; br x16` and the address (16 bytes). `x16` is IP0, which
//!   AAPCS64 §6.1.1 leaves to veneers between a caller and its callee.
//! - riscv64: `auipc t1, 0; ld t1, 16(t1); jr t1; nop` and the address at offset 16,
//!   8-aligned (24 bytes). `t1` is a temporary no argument uses (RISC-V psABI, "Integer
//!   Register Convention"; the linker's PLT stubs use it the same way).
//!
//! The code is position-independent (the riscv64 and aarch64 forms load the address
//! relative to their own), so it may be written at one address and executed at
//! another (the drop-in's dual-mapped closure pages). On aarch64 and riscv64 the
//! writer must make the instruction cache coherent before executing it.

use super::Target;
use target_lexicon::Architecture;

/// `movabs r11, imm64` (REX.W+B, `B8+3`), then the immediate.
const MOVABS_R11: [u8; 2] = [0x49, 0xbb];
/// `movabs r10, imm64` (REX.W+B, `B8+2`), then the immediate.
const MOVABS_R10: [u8; 2] = [0x49, 0xba];
/// `jmp r11` (REX.B, `FF /4`).
const JMP_R11: [u8; 3] = [0x41, 0xff, 0xe3];

/// aarch64 `ldr x16, #8` (LDR literal, 64-bit: `0x58000000 | imm19 << 5 | Rt`, imm19 =
/// 8 / 4) and `br x16` (`0xd61f0000 | Rn << 5`).
const AARCH64: [u32; 2] = [0x5800_0050, 0xd61f_0200];

/// riscv64 `auipc t1, 0`, `ld t1, 16(t1)`, `jalr x0, 0(t1)` (`jr t1`), `addi x0, x0, 0`
/// (`nop`): U-type `imm | rd << 7 | 0x17`; I-type `imm << 20 | rs1 << 15 | funct3 <<
/// 12 | rd << 7 | opcode` with `ld` = funct3 3, opcode 0x03 and `jalr` = opcode 0x67.
const RISCV64: [u32; 4] = [0x0000_0317, 0x0103_3303, 0x0003_0067, 0x0000_0013];

/// The largest jump any target needs, in bytes (x86-64 with a static chain).
pub const MAX_JUMP_BYTES: usize = 23;

impl Target {
    /// The machine code of an absolute jump to `destination` for this target, at most
    /// [`MAX_JUMP_BYTES`] long: `movabs r11, destination; jmp r11` on x86-64, `ldr x16,
    /// 8; br x16` and the address on aarch64, `auipc t1, 0; ld t1, 16(t1); jr t1; nop`
    /// and the address on riscv64 (`src/abi/jump.rs` says why those registers). It
    /// leaves the argument registers and the stack as they were, and is
    /// position-independent; on aarch64 and riscv64 the instruction cache must be made
    /// coherent after writing it.
    ///
    /// With `static_chain`, the code also loads that value into the System V static
    /// chain register `r10` before jumping (what libffi's Go closures expect); only
    /// x86-64 has one here, so other targets return `None` for it.
    ///
    /// ```
    /// use springboard::Target;
    /// let x86: Target = "x86_64-unknown-linux-gnu".parse()?;
    /// let code = x86.absolute_jump(0x1122_3344_5566_7788, None).unwrap();
    /// assert_eq!(code[..2], [0x49, 0xbb]); // movabs r11, ...
    /// assert_eq!(code.len(), 13);
    /// let arm: Target = "aarch64-unknown-linux-gnu".parse()?;
    /// assert_eq!(arm.absolute_jump(0x1000, None).unwrap().len(), 16);
    /// assert!(arm.absolute_jump(0x1000, Some(1)).is_none());
    /// # Ok::<(), springboard::Error>(())
    /// ```
    pub fn absolute_jump(&self, destination: u64, static_chain: Option<u64>) -> Option<Vec<u8>> {
        let mut code = Vec::with_capacity(MAX_JUMP_BYTES);
        match self.triple().architecture {
            Architecture::X86_64 => {
                if let Some(chain) = static_chain {
                    code.extend_from_slice(&MOVABS_R10);
                    code.extend_from_slice(&chain.to_le_bytes());
                }
                code.extend_from_slice(&MOVABS_R11);
                code.extend_from_slice(&destination.to_le_bytes());
                code.extend_from_slice(&JMP_R11);
            }
            _ if static_chain.is_some() => return None,
            Architecture::Aarch64(_) => {
                AARCH64
                    .iter()
                    .for_each(|word| code.extend_from_slice(&word.to_le_bytes()));
                code.extend_from_slice(&destination.to_le_bytes());
            }
            Architecture::Riscv64(_) => {
                RISCV64
                    .iter()
                    .for_each(|word| code.extend_from_slice(&word.to_le_bytes()));
                code.extend_from_slice(&destination.to_le_bytes());
            }
            _ => return None,
        }
        Some(code)
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{LINUX_ARM, RISCV, SYSV};
    use super::*;
    use std::process::Command;

    /// `objdump`'s disassembly of `code` as a raw binary of machine `machine`, one
    /// instruction a line (mnemonic and operands, whitespace collapsed).
    fn disassemble(objdump: &str, machine: &str, code: &[u8]) -> Vec<String> {
        let dir = std::env::temp_dir().join(format!("springboard-jump-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join(machine.replace(':', "_"));
        std::fs::write(&file, code).unwrap();
        let output = Command::new(objdump)
            .args(["-D", "-b", "binary", "-m", machine])
            .args(machine.starts_with("i386").then_some(["-M", "intel"]).into_iter().flatten())
            .arg(&file)
            .output()
            .unwrap_or_else(|e| panic!("{objdump} (run scripts/install-test-deps.sh): {e}"));
        assert!(output.status.success(), "{objdump}: {output:?}");
        String::from_utf8(output.stdout)
            .unwrap()
            .lines()
            .filter_map(|line| {
                // "   0:\t49 bb 88 77 ...\tmovabs r11,0x..." : the third field.
                let mut fields = line.splitn(3, '\t');
                let address = fields.next()?;
                address.trim().strip_suffix(':')?;
                fields.next()?;
                let text = fields.next()?;
                Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
            })
            .collect()
    }

    #[test]
    fn x86_64_jumps_through_r11_and_sets_r10_for_a_chain() {
        let target: Target = SYSV.parse().unwrap();
        let code = target.absolute_jump(0x1122_3344_5566_7788, None).unwrap();
        assert_eq!(
            disassemble("objdump", "i386:x86-64", &code),
            ["movabs r11,0x1122334455667788", "jmp r11"]
        );
        let code = target.absolute_jump(0x10, Some(0xabcd)).unwrap();
        assert!(code.len() <= MAX_JUMP_BYTES);
        assert_eq!(
            disassemble("objdump", "i386:x86-64", &code),
            ["movabs r10,0xabcd", "movabs r11,0x10", "jmp r11"]
        );
    }

    #[test]
    fn aarch64_loads_x16_from_the_literal_after_the_branch() {
        let target: Target = LINUX_ARM.parse().unwrap();
        let code = target.absolute_jump(0x1122_3344_5566_7788, None).unwrap();
        let lines = disassemble("aarch64-linux-gnu-objdump", "aarch64", &code);
        assert_eq!(lines[..2], ["ldr x16, 0x8", "br x16"]);
        assert_eq!(code[8..], 0x1122_3344_5566_7788u64.to_le_bytes());
        assert!(target.absolute_jump(1, Some(2)).is_none());
    }

    #[test]
    fn riscv64_loads_t1_from_the_aligned_doubleword_at_16() {
        let target: Target = RISCV.parse().unwrap();
        let code = target.absolute_jump(0x1122_3344_5566_7788, None).unwrap();
        let lines = disassemble("riscv64-linux-gnu-objdump", "riscv:rv64", &code);
        assert_eq!(
            lines[..4],
            ["auipc t1,0x0", "ld t1,16(t1) # 0x10", "jr t1", "nop"]
        );
        assert_eq!(code[16..], 0x1122_3344_5566_7788u64.to_le_bytes());
        assert_eq!(code.len(), 24);
    }
}
