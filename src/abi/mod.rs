//! The IR-level ABI layer: the one place that knows calling conventions.
//!
//! Trampoline kinds never decide how a C value travels. They ask this module to
//! [`lower`](lower_signature) a [`Signature`](crate::Signature) for a [`Target`], which
//! gives the Cranelift [`ir::Signature`] of the C function plus an [`ArgLowering`] per
//! parameter and a [`ResultLowering`], and they convert values with [`to_abi`] (the
//! side that produces a value: a caller's argument, a callee's result) and
//! [`from_abi`] (the side that consumes it).
//!
//! # Where the rules live
//!
//! Each convention has one module holding all of its rules, each citing the section
//! of its document: `sysv.rs` (System V AMD64 psABI), `win64.rs` (Microsoft x64),
//! `aapcs64.rs` (AAPCS64), `apple.rs` (Apple arm64, only where it differs from
//! AAPCS64) and `riscv64.rs` (RISC-V ELF psABI, LP64D). Each implements the hooks of
//! `hooks.rs`: the register file, scalar placement, narrow-integer carriers, struct
//! argument and result classification, the indirect result's register and the
//! Cranelift calling convention. The driver in `lower.rs` asks those hooks and knows
//! no convention by name; [`Abi`] picks a convention's hooks in one place.
//!
//! What depends on the target's system rather than its convention lives beside them:
//! which C library function holds the thread's error number (`errno.rs`, for errno
//! downcalls) and the call shims variadic calls need (`shim.rs`).
//!
//! # Narrow integers: one policy
//!
//! The conventions disagree on who widens `bool`, 8- and 16-bit integers, and to
//! which width (each convention's `narrow_integer` hook states its rule).
//! springboard satisfies all of them with one policy: **the producer always extends a
//! narrow value to its carrier, and the consumer never trusts bits above the value's
//! own width** (it truncates and re-extends itself). The carrier is an `i32` in
//! registers, except where a convention needs another: packed natural-size stack
//! arguments on Apple arm64, `i64` on RISC-V.
//!
//! `bool` is a 1-byte integer that holds 0 or 1 in bits 0..8 when passed or returned.
//! Consumers read bits 0..8 only.
//!
//! # Register accounting
//!
//! The layer tracks which arguments land in registers and which on the stack, because
//! some rules depend on it (Apple packing; structs that no longer fit the remaining
//! registers go wholly on the stack), and then orders the Cranelift parameters so
//! that Cranelift's own assignment reproduces that decision (see [`lower_signature`]).

use crate::error::Error;
use crate::signature::Convention;
use crate::types::{ScalarClass, Type};
use cranelift_codegen::ir::{self, types, InstBuilder, MemFlagsData};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::FunctionBuilder;
use hooks::Hooks;
use std::fmt;
use std::str::FromStr;
use target_lexicon::{Architecture, OperatingSystem, Triple};

mod aapcs64;
mod apple;
pub mod errno;
mod hooks;
pub mod jump;
mod lower;
pub mod plan;
mod riscv64;
pub mod shim;
mod sysv;
mod win64;

pub use errno::ErrnoMode;
pub use lower::lower_signature;
pub use shim::Shim;

/// A concrete calling convention: [`Convention`] resolved for a target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Abi {
    /// System V AMD64 psABI (x86-64 Linux, macOS, BSD); rules in `src/abi/sysv.rs`.
    SysV,
    /// Microsoft x64 calling convention (Windows on x86-64); rules in
    /// `src/abi/win64.rs`.
    Win64,
    /// AAPCS64 (Arm's Procedure Call Standard for the 64-bit architecture), as used by
    /// Linux; rules in `src/abi/aapcs64.rs`.
    Aapcs64,
    /// Apple's arm64 ABI: AAPCS64 with Apple's differences, in `src/abi/apple.rs`.
    Apple,
    /// The RISC-V ELF psABI's LP64D convention (RV64GC Linux); rules in
    /// `src/abi/riscv64.rs`.
    Riscv64,
}

impl Abi {
    /// The convention's rules: the one place an [`Abi`] picks its hooks.
    fn hooks(self) -> &'static dyn Hooks {
        match self {
            Abi::SysV => &sysv::SysV,
            Abi::Win64 => &win64::Win64,
            Abi::Aapcs64 => &aapcs64::Aapcs64,
            Abi::Apple => &apple::Apple,
            Abi::Riscv64 => &riscv64::Riscv64,
        }
    }

    /// The Cranelift calling convention that implements this ABI's register use.
    pub fn call_conv(self) -> CallConv {
        self.hooks().call_conv()
    }

    /// The architecture this ABI exists on.
    pub fn architecture(self) -> Architecture {
        self.hooks().architecture()
    }

    /// The signature keyword naming this ABI.
    pub fn convention(self) -> Convention {
        match self {
            Abi::SysV => Convention::SysV,
            Abi::Win64 => Convention::Win64,
            Abi::Aapcs64 => Convention::Aapcs64,
            Abi::Apple => Convention::Apple,
            Abi::Riscv64 => Convention::Riscv64,
        }
    }
}

impl fmt::Display for Abi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.convention().fmt(f)
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
    /// The natural type is a float and the carrier an `i64` holding its bits (an `f32`'s
    /// zero-extended): RISC-V passes a float that finds no free `fa` register in an
    /// integer register (see `src/abi/riscv64.rs`).
    FloatBits,
}

/// How one C scalar (a parameter or the result) crosses the call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScalarLowering {
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

/// A register-sized part of a struct that travels as one ABI value: the `size` bytes
/// at `offset` in the struct's C layout, carried as `carrier` (`i64` for integer
/// parts, whatever their size; `f32`/`f64` for float parts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    /// Byte offset in the struct.
    pub offset: u32,
    /// Bytes of the struct this piece carries (1 to 8; 16 for a vector carrier).
    pub size: u32,
    /// The IR type of the ABI value.
    pub carrier: ir::Type,
    /// Index of the ABI value in the lowered signature's params or returns.
    pub abi_index: usize,
}

/// How one C parameter crosses the call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArgLowering {
    /// A scalar in one ABI parameter.
    Scalar(ScalarLowering),
    /// A struct split into [`Piece`]s, each its own ABI parameter: in registers, or,
    /// where the convention puts the whole struct on the stack, in consecutive stack
    /// slots that together hold the struct's bytes.
    Pieces {
        /// The struct type.
        ty: Type,
        /// The parts, in memory order.
        pieces: Vec<Piece>,
    },
    /// A struct passed as a pointer to a copy the caller makes.
    ByReference {
        /// The struct type.
        ty: Type,
        /// Index of the pointer parameter.
        abi_index: usize,
    },
}

impl ArgLowering {
    /// The C type of the parameter.
    pub fn ty(&self) -> &Type {
        match self {
            ArgLowering::Scalar(scalar) => &scalar.ty,
            ArgLowering::Pieces { ty, .. } | ArgLowering::ByReference { ty, .. } => ty,
        }
    }
}

/// How the C result crosses the call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResultLowering {
    /// `void`.
    Void,
    /// A scalar in one return register.
    Scalar(ScalarLowering),
    /// A struct returned in registers, one [`Piece`] per return value.
    Pieces {
        /// The struct type.
        ty: Type,
        /// The parts; `abi_index` indexes the signature's returns.
        pieces: Vec<Piece>,
    },
    /// A System V `long double` (or a struct of one) returned in the x87 register
    /// `st0`, which Cranelift cannot name: the C function's Cranelift signature returns
    /// nothing, and the value moves between `st0` and its 16 bytes through the
    /// [`Shim::X87Store`] and [`Shim::X87Load`] functions (see [`shim`]).
    X87 {
        /// The C result type.
        ty: Type,
    },
    /// A struct the callee writes through a pointer the caller passes (Cranelift's
    /// `StructReturn` parameter: `rdi`/`rcx` on x86-64, returned again in `rax`; `x8`
    /// on aarch64).
    Indirect {
        /// The struct type.
        ty: Type,
        /// Index of the `StructReturn` parameter.
        abi_index: usize,
    },
}

impl ResultLowering {
    /// The C result type.
    pub fn ty(&self) -> Type {
        match self {
            ResultLowering::Void => Type::Void,
            ResultLowering::Scalar(scalar) => scalar.ty.clone(),
            ResultLowering::Pieces { ty, .. }
            | ResultLowering::Indirect { ty, .. }
            | ResultLowering::X87 { ty } => ty.clone(),
        }
    }
}

/// An ABI parameter that carries no C value: it only occupies a register that no C
/// argument uses, so that the stack values after it land on the stack (see
/// [`lower_signature`]). Callers pass zero; callees ignore it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Filler {
    /// Index of the parameter.
    pub abi_index: usize,
    /// Its IR type (`i64` or `f64`).
    pub carrier: ir::Type,
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
    pub params: Vec<ArgLowering>,
    /// The result's lowering.
    pub result: ResultLowering,
    /// Parameters that only skip registers.
    pub fillers: Vec<Filler>,
    /// For a call of a variadic function, what the caller does besides placing the
    /// arguments; `None` for a fixed parameter list.
    pub variadic: Option<VariadicCall>,
}

impl LoweredSignature {
    /// The [`Shim`] a caller must call the callee through (with the callee's address in
    /// the shim's register, see [`shim`]), if the call needs one.
    pub fn shim(&self) -> Option<Shim> {
        self.variadic.and_then(|call| call.shim())
    }
}

/// What a caller does at a call of a variadic function besides placing the arguments
/// as the lowering says: register setup that Cranelift cannot express, done by a
/// [`Shim`] between the caller and the callee.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct VariadicCall {
    /// The value `%al` must hold: an upper bound (0 to 8) of the vector registers the
    /// call uses (System V AMD64, see `src/abi/sysv.rs`).
    pub vector_registers: Option<u8>,
    /// Bit `k` set: the float in argument slot `k`'s vector register is also copied,
    /// as its bits, into slot `k`'s integer register (Windows x64, see
    /// `src/abi/win64.rs`).
    pub float_copies: u8,
}

impl VariadicCall {
    /// The shim that does this setup, `None` when nothing is to be done.
    pub fn shim(self) -> Option<Shim> {
        match (self.vector_registers, self.float_copies) {
            (Some(count), _) => Some(Shim::VectorCount(count)),
            (None, 0) => None,
            (None, mask) => Some(Shim::FloatCopies(mask)),
        }
    }
}

/// A compilation target: a triple springboard can compile for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Target {
    triple: Triple,
    c_abi: Abi,
}

impl Target {
    /// The targets `springboard show` and the fixtures cover, one per convention.
    pub const NAMED: [&'static str; 5] = [
        "x86_64-unknown-linux-gnu",
        "x86_64-pc-windows-msvc",
        "aarch64-unknown-linux-gnu",
        "aarch64-apple-darwin",
        "riscv64gc-unknown-linux-gnu",
    ];

    /// The machine this process runs on.
    pub fn host() -> Result<Target, Error> {
        Target::from_triple(Triple::host())
    }

    /// A target from a triple; fails for architectures or systems without a supported
    /// C convention.
    pub(crate) fn from_triple(triple: Triple) -> Result<Target, Error> {
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
            Architecture::Riscv64(_) => Abi::Riscv64,
            _ => return Err(Error::UnsupportedTarget(triple.to_string())),
        };
        Ok(Target { triple, c_abi })
    }

    /// The target triple.
    pub(crate) fn triple(&self) -> &Triple {
        &self.triple
    }

    /// The target's C convention: what `c` in a signature means.
    pub fn convention(&self) -> Convention {
        self.c_abi.convention()
    }

    /// The target's C convention, resolved.
    pub(crate) fn c_abi(&self) -> Abi {
        self.c_abi
    }

    /// Pointer-sized integer type (every supported target has 64-bit pointers).
    pub(crate) fn pointer_type(&self) -> ir::Type {
        types::I64
    }

    /// What `FunctionBuilder::finalize` needs to know about the target.
    pub(crate) fn frontend_config(&self) -> cranelift_codegen::isa::TargetFrontendConfig {
        cranelift_codegen::isa::TargetFrontendConfig {
            default_call_conv: self.c_abi.call_conv(),
            pointer_width: target_lexicon::PointerWidth::U64,
            page_size_align_log2: self.c_abi.hooks().page_size_log2(),
        }
    }

    /// Resolves a signature's convention for this target.
    pub(crate) fn resolve(&self, convention: Convention) -> Result<Abi, Error> {
        let abi = match convention {
            Convention::C => return Ok(self.c_abi),
            Convention::SysV => Abi::SysV,
            Convention::Win64 => Abi::Win64,
            Convention::Aapcs64 => Abi::Aapcs64,
            Convention::Apple => Abi::Apple,
            Convention::Riscv64 => Abi::Riscv64,
        };
        if abi.architecture() == self.triple.architecture
            || matches!(
                (abi.architecture(), self.triple.architecture),
                (Architecture::Aarch64(_), Architecture::Aarch64(_))
                    | (Architecture::Riscv64(_), Architecture::Riscv64(_))
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

/// The IR type a C scalar has inside a trampoline, `None` for `void` and aggregates.
pub fn natural_type(ty: &Type, target: &Target) -> Option<ir::Type> {
    Some(match (ty, ty.class()?) {
        (Type::Ptr | Type::Isize | Type::Usize, _) => target.pointer_type(),
        (_, ScalarClass::Integer { bytes, .. }) => ir::Type::int_with_byte_size(bytes.into())?,
        (_, ScalarClass::Float { bytes: 4 }) => types::F32,
        (_, ScalarClass::Float { .. }) => types::F64,
        // Held by address (see `Type::is_wide`): only their halves are IR values.
        (_, ScalarClass::X87 | ScalarClass::Binary128) => return None,
    })
}

/// Converts a value of its natural IR type into its carrier, on the producing side
/// (a caller's argument or a callee's result).
pub fn to_abi(
    builder: &mut FunctionBuilder,
    lowering: &ScalarLowering,
    value: ir::Value,
) -> ir::Value {
    match lowering.extension {
        Extension::None => value,
        Extension::Sign => builder.ins().sextend(lowering.carrier, value),
        Extension::Zero => builder.ins().uextend(lowering.carrier, value),
        Extension::FloatBits if lowering.natural == types::F32 => {
            let bits = builder
                .ins()
                .bitcast(types::I32, MemFlagsData::new(), value);
            builder.ins().uextend(lowering.carrier, bits)
        }
        Extension::FloatBits => builder
            .ins()
            .bitcast(lowering.carrier, MemFlagsData::new(), value),
    }
}

/// Converts a received carrier back to the value's natural IR type, on the consuming
/// side. Bits above the natural width are discarded, never trusted.
pub fn from_abi(
    builder: &mut FunctionBuilder,
    lowering: &ScalarLowering,
    carrier: ir::Value,
) -> ir::Value {
    if lowering.extension == Extension::FloatBits {
        // Only the float's own bits: an f32's upper 32 bits are undefined.
        let bits = if lowering.natural == types::F32 {
            builder.ins().ireduce(types::I32, carrier)
        } else {
            carrier
        };
        return builder
            .ins()
            .bitcast(lowering.natural, MemFlagsData::new(), bits);
    }
    if lowering.carrier == lowering.natural {
        carrier
    } else {
        builder.ins().ireduce(lowering.natural, carrier)
    }
}

#[cfg(test)]
mod test_support {
    //! Helpers the convention modules' tests share.
    use super::hooks::Part;
    use super::*;

    pub const SYSV: &str = "x86_64-unknown-linux-gnu";
    pub const WIN64: &str = "x86_64-pc-windows-msvc";
    pub const LINUX_ARM: &str = "aarch64-unknown-linux-gnu";
    pub const APPLE: &str = "aarch64-apple-darwin";
    pub const RISCV: &str = "riscv64gc-unknown-linux-gnu";

    /// `text` lowered for `triple`.
    pub fn lower(text: &str, triple: &str) -> LoweredSignature {
        let target: Target = triple.parse().unwrap();
        lower_signature(&text.parse().unwrap(), &target).unwrap()
    }

    /// The lowering of a scalar parameter.
    pub fn scalar(lowering: &ArgLowering) -> &ScalarLowering {
        match lowering {
            ArgLowering::Scalar(scalar) => scalar,
            other => panic!("not a scalar: {other:?}"),
        }
    }

    /// `(location, carrier, extension)` of every parameter, all scalars.
    pub fn scalars(lowered: &LoweredSignature) -> Vec<(Location, ir::Type, Extension)> {
        lowered
            .params
            .iter()
            .map(scalar)
            .map(|s| (s.location, s.carrier, s.extension))
            .collect()
    }

    /// `(carrier, extension)` of a scalar result.
    pub fn scalar_result(lowered: &LoweredSignature) -> (ir::Type, Extension) {
        match &lowered.result {
            ResultLowering::Scalar(result) => (result.carrier, result.extension),
            other => panic!("not a scalar result: {other:?}"),
        }
    }

    /// A struct part.
    pub fn part(offset: u32, size: u32, carrier: ir::Type) -> Part {
        Part::new(offset, size, carrier)
    }

    /// The parts of a struct parameter.
    pub fn pieces(lowering: &ArgLowering) -> Vec<Part> {
        match lowering {
            ArgLowering::Pieces { pieces, .. } => pieces.iter().map(parts_of).collect(),
            other => panic!("not in pieces: {other:?}"),
        }
    }

    /// The part a piece carries.
    pub fn parts_of(piece: &Piece) -> Part {
        Part::new(piece.offset, piece.size, piece.carrier)
    }

    /// The ABI indices of a parameter lowered in pieces.
    pub fn piece_indices(lowering: &ArgLowering) -> Vec<usize> {
        match lowering {
            ArgLowering::Pieces { pieces, .. } => pieces.iter().map(|p| p.abi_index).collect(),
            other => panic!("not in pieces: {other:?}"),
        }
    }

    /// The ABI indices of the fillers.
    pub fn filler_indices(lowered: &LoweredSignature) -> Vec<usize> {
        lowered.fillers.iter().map(|f| f.abi_index).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{APPLE, LINUX_ARM, RISCV, SYSV, WIN64};
    use super::*;

    #[test]
    fn c_resolves_per_target() {
        let cases = [
            (SYSV, Abi::SysV),
            ("x86_64-apple-darwin", Abi::SysV),
            (WIN64, Abi::Win64),
            (LINUX_ARM, Abi::Aapcs64),
            (APPLE, Abi::Apple),
            (RISCV, Abi::Riscv64),
            ("riscv64-unknown-linux-gnu", Abi::Riscv64),
        ];
        for (triple, abi) in cases {
            assert_eq!(triple.parse::<Target>().unwrap().c_abi(), abi, "{triple}");
        }
    }

    #[test]
    fn conventions_of_another_architecture_are_errors() {
        let target: Target = LINUX_ARM.parse().unwrap();
        let err = target.resolve(Convention::Win64).unwrap_err();
        assert!(err.to_string().contains("win64"), "{err}");
        assert!("riscv32-unknown-none-elf".parse::<Target>().is_err());
    }

    #[test]
    fn each_abi_has_its_own_cranelift_convention_and_page_size() {
        let cases = [
            (SYSV, CallConv::SystemV, 12),
            (WIN64, CallConv::WindowsFastcall, 12),
            (LINUX_ARM, CallConv::SystemV, 12),
            (APPLE, CallConv::AppleAarch64, 14),
            (RISCV, CallConv::SystemV, 12),
        ];
        for (triple, call_conv, page) in cases {
            let target: Target = triple.parse().unwrap();
            let config = target.frontend_config();
            assert_eq!(config.default_call_conv, call_conv, "{triple}");
            assert_eq!(config.page_size_align_log2, page, "{triple}");
            assert!(target.resolve(target.c_abi().convention()).is_ok());
        }
    }
}
