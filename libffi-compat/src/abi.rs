//! `ffi_abi`: libffi's ABI enumeration, whose values differ per target, in one table
//! per target and nothing else that knows them.
//!
//! The values are those of libffi 3.4's `ffitarget.h` of each port (`src/x86`,
//! `src/aarch64`, `src/riscv` in the libffi-sys 4.2.2 crate's copy of libffi), which C
//! programs compile into their `ffi_prep_cif` calls:
//!
//! - x86-64 Unix: `FFI_FIRST_ABI = 1`, then `FFI_UNIX64` (2, the default), `FFI_WIN64`
//!   (3, also `FFI_EFI64`) and `FFI_GNUW64` (4).
//! - aarch64 (not Windows): `FFI_FIRST_ABI = 0`, then `FFI_SYSV` (1, the default: the
//!   platform's own procedure call standard, AAPCS64 on Linux and Apple's variant on
//!   Darwin) and `FFI_WIN64` (2, Windows on Arm, which springboard does not
//!   implement).
//! - riscv64: `FFI_FIRST_ABI = 0`, then `FFI_SYSV` (1, the default: the psABI's
//!   hardware floating-point convention, LP64D here), then unused values.
//!
//! A value of another target (x86-64's `FFI_UNIX64`, 2, is aarch64's `FFI_WIN64`) is
//! `FFI_BAD_ABI` like any value outside the table.

use crate::{ffi_status, FFI_BAD_ABI};
use springboard::Convention;

/// `ffi_abi` values (a C enum: an `unsigned int` on every supported target).
pub type ffi_abi = u32;

/// One value of a target's `ffi_abi` enumeration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AbiValue {
    /// The number C programs pass.
    pub value: ffi_abi,
    /// libffi's name for it.
    pub name: &'static str,
    /// The springboard convention it selects, `None` for one springboard does not
    /// implement (`ffi_prep_cif` returns `FFI_BAD_ABI`).
    pub convention: Option<Convention>,
}

/// A target's `ffi_abi` values and its default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AbiTable {
    /// A target triple the table is for (what the tests lower its conventions for).
    pub triple: &'static str,
    /// `FFI_DEFAULT_ABI`.
    pub default: ffi_abi,
    /// Every named value.
    pub values: &'static [AbiValue],
}

const fn value(value: ffi_abi, name: &'static str, convention: Option<Convention>) -> AbiValue {
    AbiValue {
        value,
        name,
        convention,
    }
}

/// x86-64 Linux and the BSDs (`src/x86/ffitarget.h`, not `X86_WIN64`).
pub const X86_64: AbiTable = AbiTable {
    triple: "x86_64-unknown-linux-gnu",
    default: 2,
    values: &[
        value(2, "FFI_UNIX64", Some(Convention::SysV)),
        value(3, "FFI_WIN64", Some(Convention::Win64)),
        value(4, "FFI_GNUW64", Some(Convention::Win64)),
    ],
};

/// aarch64 Linux (`src/aarch64/ffitarget.h`, not `_WIN32`).
pub const AARCH64_LINUX: AbiTable = AbiTable {
    triple: "aarch64-unknown-linux-gnu",
    default: 1,
    values: &[
        value(1, "FFI_SYSV", Some(Convention::Aapcs64)),
        value(2, "FFI_WIN64", None),
    ],
};

/// aarch64 Darwin: the same enumeration, `FFI_SYSV` meaning Apple's variant.
pub const AARCH64_APPLE: AbiTable = AbiTable {
    triple: "aarch64-apple-darwin",
    default: 1,
    values: &[
        value(1, "FFI_SYSV", Some(Convention::Apple)),
        value(2, "FFI_WIN64", None),
    ],
};

/// riscv64 (`src/riscv/ffitarget.h`).
pub const RISCV64: AbiTable = AbiTable {
    triple: "riscv64gc-unknown-linux-gnu",
    default: 1,
    values: &[value(1, "FFI_SYSV", Some(Convention::Riscv64))],
};

/// The table of the target this library is built for.
pub const HOST: AbiTable = if cfg!(target_arch = "x86_64") {
    X86_64
} else if cfg!(all(target_arch = "aarch64", target_vendor = "apple")) {
    AARCH64_APPLE
} else if cfg!(target_arch = "aarch64") {
    AARCH64_LINUX
} else {
    RISCV64
};

/// `FFI_DEFAULT_ABI` of this target.
pub const FFI_DEFAULT_ABI: ffi_abi = HOST.default;

impl AbiTable {
    /// The springboard convention of `abi` in this table, `FFI_BAD_ABI` for a value it
    /// lacks or one springboard does not implement.
    pub fn convention(&self, abi: ffi_abi) -> Result<Convention, ffi_status> {
        self.values
            .iter()
            .find(|entry| entry.value == abi)
            .and_then(|entry| entry.convention)
            .ok_or(FFI_BAD_ABI)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use springboard::{Compiler, CompilerOptions, Request, Signature, Target};

    /// A table and what each of some values must map to.
    type Expected = (AbiTable, &'static [(ffi_abi, Option<Convention>)]);

    #[test]
    fn each_target_maps_its_own_values() {
        let cases: [Expected; 4] = [
            (
                X86_64,
                &[
                    (0, None),
                    (1, None),
                    (2, Some(Convention::SysV)),
                    (3, Some(Convention::Win64)),
                    (4, Some(Convention::Win64)),
                    (5, None),
                ],
            ),
            (
                AARCH64_LINUX,
                &[
                    (0, None),
                    (1, Some(Convention::Aapcs64)),
                    (2, None),
                    (3, None),
                ],
            ),
            (
                AARCH64_APPLE,
                &[(0, None), (1, Some(Convention::Apple)), (2, None)],
            ),
            (
                RISCV64,
                &[(0, None), (1, Some(Convention::Riscv64)), (2, None)],
            ),
        ];
        for (table, expected) in cases {
            for &(abi, convention) in expected {
                let got = table.convention(abi);
                assert_eq!(got, convention.ok_or(FFI_BAD_ABI), "{} {abi}", table.triple);
            }
            assert!(table.convention(table.default).is_ok(), "{}", table.triple);
        }
    }

    #[test]
    fn every_convention_a_table_names_compiles_for_its_target() {
        for table in [X86_64, AARCH64_LINUX, AARCH64_APPLE, RISCV64] {
            let target: Target = table.triple.parse().unwrap();
            let compiler = Compiler::for_target(target.clone(), &CompilerOptions::default())
                .unwrap_or_else(|e| panic!("{}: {e}", table.triple));
            for entry in table.values {
                let Some(convention) = entry.convention else {
                    continue;
                };
                let signature: Signature = "(i32, f64) -> i64".parse().unwrap();
                let signature = signature.with_convention(convention);
                compiler
                    .compile(&Request::Downcall(signature))
                    .unwrap_or_else(|e| panic!("{} {}: {e}", table.triple, entry.name));
            }
            // The default is the target's C convention.
            let default = table.convention(table.default).unwrap();
            assert_eq!(default, target.convention(), "{}", table.triple);
        }
    }

    #[test]
    fn the_host_table_is_this_targets() {
        let host = Target::host().unwrap();
        assert_eq!(HOST.convention(FFI_DEFAULT_ABI), Ok(host.convention()));
    }
}
