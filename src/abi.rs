//! The IR-level ABI layer: the one place that knows calling conventions.
//!
//! Trampoline kinds never decide how a C value travels. They ask this module to
//! [`lower`](lower_signature) a [`Signature`] for a [`Target`], which gives the Cranelift
//! [`ir::Signature`] of the C function plus a [`ValueLowering`] per parameter and for
//! the result, and they convert values with [`to_abi`] (the side that produces a value:
//! a caller's argument, a callee's result) and [`from_abi`] (the side that consumes it).
//!
//! # Narrow integers: who extends, to which width
//!
//! The conventions disagree on who widens `bool`, 8- and 16-bit integers:
//!
//! | convention | arguments | results |
//! |---|---|---|
//! | SysV x86-64 | caller, to 32 bits (de-facto; see [`Abi::SysV`]) | unspecified upper bits (callers re-extend) |
//! | Microsoft x64 | upper bits unspecified | upper bits unspecified |
//! | AAPCS64 | callee (upper bits unspecified) | caller (upper bits unspecified) |
//! | Apple arm64 | caller, to 32 bits | callee, to 32 bits (what Clang does) |
//!
//! springboard satisfies every row with one policy: **the producer always extends a
//! narrow value to 32 bits, and the consumer never trusts bits above the value's own
//! width** (it truncates and re-extends itself). Narrow values therefore travel as an
//! `i32` *carrier* in registers. The one exception is Apple arm64 stack arguments, which
//! are packed at their natural size (see [`Abi::Apple`]): they travel as `i8`/`i16`, with
//! no extension attribute (that also avoids a Cranelift 0.135 bug, where an extended
//! narrow stack argument is stored with an 8-byte store over its neighbours).
//!
//! `bool` is a 1-byte integer that holds 0 or 1 in bits 0..8 when passed or returned
//! (SysV psABI §3.1.2, footnote on `_Bool`; AAPCS64 §5.1 / §6.8.2 treat it as an
//! unsigned byte). Consumers read bits 0..8 only.
//!
//! # Register accounting
//!
//! The layer tracks which arguments land in registers and which on the stack, because
//! some rules depend on it (Apple packing now; structs that no longer fit the remaining
//! registers go wholly on the stack). The counts mirror the conventions:
//! - SysV: six general registers `rdi, rsi, rdx, rcx, r8, r9` and eight vector
//!   registers `xmm0..xmm7`, taken independently (psABI §3.2.3, "Parameter Passing").
//! - Microsoft x64: the first four arguments by *position*, integers in `rcx, rdx, r8,
//!   r9` and floats in `xmm0..xmm3`; every argument after that on the stack in an
//!   8-byte slot (Microsoft x64 calling convention, "Parameter passing").
//! - AAPCS64 and Apple: eight general registers `x0..x7` (NGRN) and eight SIMD/FP
//!   registers `v0..v7` (NSRN), taken independently (AAPCS64 §6.8.2, stages B-C).

use crate::error::Error;
use crate::signature::{Convention, Signature};
use crate::types::{ScalarClass, Type};
use cranelift_codegen::ir::{self, types, AbiParam, InstBuilder};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::FunctionBuilder;
use std::fmt;
use std::str::FromStr;
use target_lexicon::{Architecture, OperatingSystem, Triple};

/// A concrete calling convention: [`Convention`] resolved for a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Abi {
    /// System V AMD64 psABI (x86-64 Linux, macOS, BSD).
    ///
    /// Narrow integer arguments: §3.2.3 leaves the bits above an argument's width
    /// unspecified, but GCC and Clang both sign/zero-extend `bool`, `char` and `short`
    /// arguments to 32 bits at the caller, and Clang-compiled callees rely on it; so
    /// callers here extend to 32 bits. Results: GCC callers re-extend, so results are
    /// produced extended and consumed truncated.
    SysV,
    /// Microsoft x64 calling convention (Windows on x86-64): four positional register
    /// slots, 8-byte stack slots, 32 bytes of shadow space reserved by the caller.
    /// Narrow values leave upper register bits unspecified ("Parameter passing").
    Win64,
    /// AAPCS64 (Arm's Procedure Call Standard for the 64-bit architecture), as used by
    /// Linux. §6.8.2 stage C: an argument smaller than 8 bytes is "as if" copied to the
    /// low bits of a register or 8-byte stack slot with the other bits unspecified, so
    /// the callee extends. §6.9: results are returned as if they were the first
    /// argument, so the caller extends.
    Aapcs64,
    /// Apple's arm64 ABI ("Writing ARM64 code for Apple platforms"): AAPCS64 except
    /// that the caller extends arguments narrower than 32 bits ("Pass arguments to
    /// functions correctly") and stack arguments are packed at their natural size and
    /// alignment instead of 8-byte slots ("Function arguments may consume slots on the
    /// stack that are not multiples of 8 bytes").
    Apple,
}

impl Abi {
    /// The Cranelift calling convention that implements this ABI's register use.
    pub fn call_conv(self) -> CallConv {
        match self {
            Abi::SysV | Abi::Aapcs64 => CallConv::SystemV,
            Abi::Win64 => CallConv::WindowsFastcall,
            Abi::Apple => CallConv::AppleAarch64,
        }
    }

    /// The architecture this ABI exists on.
    pub fn architecture(self) -> Architecture {
        match self {
            Abi::SysV | Abi::Win64 => Architecture::X86_64,
            Abi::Aapcs64 | Abi::Apple => {
                Architecture::Aarch64(target_lexicon::Aarch64Architecture::Aarch64)
            }
        }
    }

    /// The signature keyword naming this ABI.
    pub fn convention(self) -> Convention {
        match self {
            Abi::SysV => Convention::SysV,
            Abi::Win64 => Convention::Win64,
            Abi::Aapcs64 => Convention::Aapcs64,
            Abi::Apple => Convention::Apple,
        }
    }

    /// Argument registers available before values go to the stack.
    fn registers(self) -> RegisterFile {
        match self {
            // psABI §3.2.3: rdi, rsi, rdx, rcx, r8, r9 and xmm0-xmm7.
            Abi::SysV => RegisterFile::separate(6, 8),
            // Microsoft x64 "Parameter passing": four slots by position.
            Abi::Win64 => RegisterFile::Positional { left: 4 },
            // AAPCS64 §6.8.2: x0-x7 (NGRN < 8) and v0-v7 (NSRN < 8).
            Abi::Aapcs64 | Abi::Apple => RegisterFile::separate(8, 8),
        }
    }
}

impl fmt::Display for Abi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.convention().fmt(f)
    }
}

/// Argument registers still free while a signature is being lowered.
enum RegisterFile {
    /// Integer and float registers are counted separately (SysV, AAPCS64).
    Separate { int_left: u8, float_left: u8 },
    /// Every argument takes the next slot whatever its class (Win64).
    Positional { left: u8 },
}

impl RegisterFile {
    fn separate(int: u8, float: u8) -> Self {
        RegisterFile::Separate {
            int_left: int,
            float_left: float,
        }
    }

    /// Takes a register for one scalar of this class; `Stack` when none is left.
    fn take(&mut self, class: ScalarClass) -> Location {
        let left = match (self, class) {
            (RegisterFile::Positional { left }, _) => left,
            (RegisterFile::Separate { int_left, .. }, ScalarClass::Integer { .. }) => int_left,
            (RegisterFile::Separate { float_left, .. }, ScalarClass::Float { .. }) => float_left,
        };
        if *left == 0 {
            Location::Stack
        } else {
            *left -= 1;
            Location::Register
        }
    }
}

/// Where a lowered value travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// In an argument or result register.
    Register,
    /// In the outgoing argument area.
    Stack,
}

/// How the producing side widens a value to its carrier type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extension {
    /// The carrier is the value's own type.
    None,
    /// Sign-extend to the carrier.
    Sign,
    /// Zero-extend to the carrier.
    Zero,
}

/// How one C value (a parameter or the result) crosses the call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueLowering {
    /// The C type.
    pub ty: Type,
    /// The value's own IR type (`i8` for `bool`, `u8` and `i8`, and so on).
    pub natural: ir::Type,
    /// The IR type it travels as.
    pub carrier: ir::Type,
    /// How the producer widens `natural` to `carrier`.
    pub extension: Extension,
    /// Register or stack.
    pub location: Location,
    /// Index of the carrier in the lowered `ir::Signature`'s params or returns.
    pub abi_index: usize,
}

/// A signature lowered for one target: what Cranelift must see, and how each value
/// gets there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoweredSignature {
    /// The concrete convention.
    pub abi: Abi,
    /// The C function's signature as Cranelift sees it.
    pub signature: ir::Signature,
    /// One lowering per C parameter.
    pub params: Vec<ValueLowering>,
    /// The result's lowering, `None` for `void`.
    pub result: Option<ValueLowering>,
}

/// A compilation target: a triple springboard can compile for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Target {
    triple: Triple,
    c_abi: Abi,
}

impl Target {
    /// The targets `springboard show` and the fixtures cover, one per convention.
    pub const NAMED: [&'static str; 4] = [
        "x86_64-unknown-linux-gnu",
        "x86_64-pc-windows-msvc",
        "aarch64-unknown-linux-gnu",
        "aarch64-apple-darwin",
    ];

    /// The machine this process runs on.
    pub fn host() -> Result<Target, Error> {
        Target::from_triple(Triple::host())
    }

    /// A target from a triple; fails for architectures or systems without a supported
    /// C convention.
    pub fn from_triple(triple: Triple) -> Result<Target, Error> {
        let apple = matches!(
            triple.operating_system,
            OperatingSystem::Darwin(_) | OperatingSystem::MacOSX(_) | OperatingSystem::IOS(_)
        );
        let c_abi = match triple.architecture {
            Architecture::X86_64 if triple.operating_system == OperatingSystem::Windows => {
                Abi::Win64
            }
            Architecture::X86_64 => Abi::SysV,
            Architecture::Aarch64(_) if apple => Abi::Apple,
            Architecture::Aarch64(_) => Abi::Aapcs64,
            _ => return Err(Error::UnsupportedTarget(triple.to_string())),
        };
        Ok(Target { triple, c_abi })
    }

    /// The target triple.
    pub fn triple(&self) -> &Triple {
        &self.triple
    }

    /// The target's C convention: what `c` in a signature means.
    pub fn c_abi(&self) -> Abi {
        self.c_abi
    }

    /// Pointer-sized integer type (every supported target has 64-bit pointers).
    pub fn pointer_type(&self) -> ir::Type {
        types::I64
    }

    /// What `FunctionBuilder::finalize` needs to know about the target.
    pub fn frontend_config(&self) -> cranelift_codegen::isa::TargetFrontendConfig {
        cranelift_codegen::isa::TargetFrontendConfig {
            default_call_conv: self.c_abi.call_conv(),
            pointer_width: target_lexicon::PointerWidth::U64,
            // Apple arm64 uses 16 KiB pages.
            page_size_align_log2: if self.c_abi == Abi::Apple { 14 } else { 12 },
        }
    }

    /// Resolves a signature's convention for this target.
    pub fn resolve(&self, convention: Convention) -> Result<Abi, Error> {
        let abi = match convention {
            Convention::C => return Ok(self.c_abi),
            Convention::SysV => Abi::SysV,
            Convention::Win64 => Abi::Win64,
            Convention::Aapcs64 => Abi::Aapcs64,
            Convention::Apple => Abi::Apple,
        };
        if abi.architecture() == self.triple.architecture
            || matches!(
                (abi.architecture(), self.triple.architecture),
                (Architecture::Aarch64(_), Architecture::Aarch64(_))
            )
        {
            Ok(abi)
        } else {
            Err(Error::UnsupportedConvention {
                convention,
                target: self.triple.to_string(),
            })
        }
    }
}

impl FromStr for Target {
    type Err = Error;

    fn from_str(text: &str) -> Result<Target, Error> {
        let triple =
            Triple::from_str(text).map_err(|_| Error::UnsupportedTarget(text.to_string()))?;
        Target::from_triple(triple)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.triple.fmt(f)
    }
}

/// The IR type a C scalar has inside a trampoline, `None` for `void`.
pub fn natural_type(ty: &Type, target: &Target) -> Option<ir::Type> {
    Some(match (ty, ty.class()?) {
        (Type::Ptr | Type::Isize | Type::Usize, _) => target.pointer_type(),
        (_, ScalarClass::Integer { bytes, .. }) => ir::Type::int_with_byte_size(bytes.into())?,
        (_, ScalarClass::Float { bytes: 4 }) => types::F32,
        (_, ScalarClass::Float { .. }) => types::F64,
    })
}

/// Lowers `signature` for `target`: the Cranelift signature of the C function and the
/// per-value work.
pub fn lower_signature(signature: &Signature, target: &Target) -> Result<LoweredSignature, Error> {
    signature.validate()?;
    let abi = target.resolve(signature.convention)?;
    let mut lowered = ir::Signature::new(abi.call_conv());
    let mut registers = abi.registers();
    let mut params = Vec::with_capacity(signature.params.len());
    for ty in &signature.params {
        let class = ty.class().expect("validate() rejects void parameters");
        let location = registers.take(class);
        let lowering = lower_value(ty, target, abi, location, lowered.params.len());
        lowered.params.push(AbiParam::new(lowering.carrier));
        params.push(lowering);
    }
    let result = if signature.result.is_void() {
        None
    } else {
        // Scalar results always come back in rax/xmm0 or x0/v0 (psABI §3.2.3
        // "Returning of Values", Microsoft x64 "Return values", AAPCS64 §6.9).
        let lowering = lower_value(&signature.result, target, abi, Location::Register, 0);
        lowered.returns.push(AbiParam::new(lowering.carrier));
        Some(lowering)
    };
    Ok(LoweredSignature {
        abi,
        signature: lowered,
        params,
        result,
    })
}

/// The carrier rule for one scalar (see the module documentation).
fn lower_value(
    ty: &Type,
    target: &Target,
    abi: Abi,
    location: Location,
    abi_index: usize,
) -> ValueLowering {
    let natural = natural_type(ty, target).expect("void is lowered by the caller");
    let (carrier, extension) = match ty.class() {
        Some(ScalarClass::Integer { bytes, signed }) if bytes < 4 => {
            if abi == Abi::Apple && location == Location::Stack {
                // Apple: packed at natural size on the stack; no extension attribute.
                (natural, Extension::None)
            } else if signed {
                (types::I32, Extension::Sign)
            } else {
                (types::I32, Extension::Zero)
            }
        }
        _ => (natural, Extension::None),
    };
    ValueLowering {
        ty: ty.clone(),
        natural,
        carrier,
        extension,
        location,
        abi_index,
    }
}

/// Converts a value of its natural IR type into its carrier, on the producing side
/// (a caller's argument or a callee's result).
pub fn to_abi(
    builder: &mut FunctionBuilder,
    lowering: &ValueLowering,
    value: ir::Value,
) -> ir::Value {
    match lowering.extension {
        Extension::None => value,
        Extension::Sign => builder.ins().sextend(lowering.carrier, value),
        Extension::Zero => builder.ins().uextend(lowering.carrier, value),
    }
}

/// Converts a received carrier back to the value's natural IR type, on the consuming
/// side. Bits above the natural width are discarded, never trusted.
pub fn from_abi(
    builder: &mut FunctionBuilder,
    lowering: &ValueLowering,
    carrier: ir::Value,
) -> ir::Value {
    if lowering.carrier == lowering.natural {
        carrier
    } else {
        builder.ins().ireduce(lowering.natural, carrier)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lower(text: &str, triple: &str) -> LoweredSignature {
        let target: Target = triple.parse().unwrap();
        lower_signature(&text.parse().unwrap(), &target).unwrap()
    }

    #[test]
    fn c_resolves_per_target() {
        let cases = [
            ("x86_64-unknown-linux-gnu", Abi::SysV),
            ("x86_64-apple-darwin", Abi::SysV),
            ("x86_64-pc-windows-msvc", Abi::Win64),
            ("aarch64-unknown-linux-gnu", Abi::Aapcs64),
            ("aarch64-apple-darwin", Abi::Apple),
        ];
        for (triple, abi) in cases {
            assert_eq!(triple.parse::<Target>().unwrap().c_abi(), abi, "{triple}");
        }
    }

    #[test]
    fn conventions_of_another_architecture_are_errors() {
        let target: Target = "aarch64-unknown-linux-gnu".parse().unwrap();
        let err = target.resolve(Convention::Win64).unwrap_err();
        assert!(err.to_string().contains("win64"), "{err}");
        assert!("riscv32-unknown-none-elf".parse::<Target>().is_err());
    }

    #[test]
    fn narrow_integers_travel_extended_to_32_bits() {
        let lowered = lower(
            "(i8, u16, bool, i32, i64) -> i16",
            "x86_64-unknown-linux-gnu",
        );
        let ext: Vec<_> = lowered
            .params
            .iter()
            .map(|p| (p.carrier, p.extension))
            .collect();
        assert_eq!(
            ext,
            [
                (types::I32, Extension::Sign),
                (types::I32, Extension::Zero),
                (types::I32, Extension::Zero),
                (types::I32, Extension::None),
                (types::I64, Extension::None),
            ]
        );
        let result = lowered.result.unwrap();
        assert_eq!(
            (result.carrier, result.extension),
            (types::I32, Extension::Sign)
        );
    }

    #[test]
    fn win64_counts_registers_by_position() {
        let lowered = lower("win64 (f64, i32, f64, i32, i8)", "x86_64-unknown-linux-gnu");
        let locations: Vec<_> = lowered.params.iter().map(|p| p.location).collect();
        assert_eq!(locations[3], Location::Register);
        assert_eq!(locations[4], Location::Stack);
    }

    #[test]
    fn apple_stack_arguments_keep_their_natural_width() {
        let lowered = lower(
            "apple (i64, i64, i64, i64, i64, i64, i64, i8, i8, u16)",
            "aarch64-apple-darwin",
        );
        let p = &lowered.params;
        assert_eq!(
            (p[7].location, p[7].carrier),
            (Location::Register, types::I32)
        );
        assert_eq!((p[8].location, p[8].carrier), (Location::Stack, types::I8));
        assert_eq!(
            (p[9].carrier, p[9].extension),
            (types::I16, Extension::None)
        );
        // AAPCS64 keeps 8-byte slots: the carrier stays 32-bit and extended.
        let lowered = lower(
            "aapcs64 (i64, i64, i64, i64, i64, i64, i64, i64, i8)",
            "aarch64-unknown-linux-gnu",
        );
        assert_eq!(lowered.params[8].carrier, types::I32);
    }
}
