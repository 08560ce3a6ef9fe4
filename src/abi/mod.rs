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
//! | RISC-V LP64D | caller, to 64 bits (see [`Abi::Riscv64`]) | callee, to 64 bits |
//!
//! springboard satisfies every row with one policy: **the producer always extends a
//! narrow value to 32 bits, and the consumer never trusts bits above the value's own
//! width** (it truncates and re-extends itself). Narrow values therefore travel as an
//! `i32` *carrier* in registers. The one exception is Apple arm64 stack arguments, which
//! are packed at their natural size (see [`Abi::Apple`]): they travel as `i8`/`i16`, with
//! no extension attribute (that also avoids a Cranelift 0.135 bug, where an extended
//! narrow stack argument is stored with an 8-byte store over its neighbours). The
//! other exception is RISC-V, where every integer narrower than 64 bits travels as an
//! `i64` carrier extended by the producer, because the psABI makes the upper bits of
//! 32-bit values significant too (see [`Abi::Riscv64`]).
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
//! - RISC-V LP64D: eight integer registers `a0..a7` and eight floating-point registers
//!   `fa0..fa7`; a float finding no `fa` register takes an integer register (RISC-V ELF
//!   psABI, "Hardware Floating-point Calling Convention").

use crate::error::Error;
use crate::signature::{Convention, Signature};
use crate::types::{ScalarClass, Type};
use cranelift_codegen::ir::{self, types, AbiParam, ArgumentPurpose, InstBuilder, MemFlagsData};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::FunctionBuilder;
use std::fmt;
use std::str::FromStr;
use target_lexicon::{Architecture, OperatingSystem, Triple};

mod aapcs64;
mod riscv64;
mod sysv;
mod win64;

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
    /// The RISC-V ELF psABI's LP64D convention (RV64GC Linux): "Integer Calling
    /// Convention" with the "Hardware Floating-point Calling Convention" for FLEN = 64.
    /// Integers narrower than XLEN "are widened according to the sign of their type up
    /// to 32 bits, then sign-extended to XLEN bits", by the producer, so they travel as
    /// `i64` carriers (`u32` sign-extended too). Results are returned "in the same
    /// manner as a first named argument", so the callee extends them. A float that
    /// finds no free `fa` register goes in an integer register, as its bits; the
    /// details are in `src/abi/riscv64.rs`.
    Riscv64,
}

impl Abi {
    /// The Cranelift calling convention that implements this ABI's register use.
    pub fn call_conv(self) -> CallConv {
        match self {
            // Cranelift's SystemV on riscv64 is the standard LP64D convention.
            Abi::SysV | Abi::Aapcs64 | Abi::Riscv64 => CallConv::SystemV,
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
            Abi::Riscv64 => Architecture::Riscv64(target_lexicon::Riscv64Architecture::Riscv64gc),
        }
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

    /// Argument registers available before values go to the stack.
    fn registers(self) -> RegisterFile {
        match self {
            // psABI §3.2.3: rdi, rsi, rdx, rcx, r8, r9 and xmm0-xmm7.
            Abi::SysV => RegisterFile::separate(6, 8),
            // Microsoft x64 "Parameter passing": four slots by position.
            Abi::Win64 => RegisterFile::positional(4),
            // AAPCS64 §6.8.2: x0-x7 (NGRN < 8) and v0-v7 (NSRN < 8).
            Abi::Aapcs64 | Abi::Apple => RegisterFile::separate(8, 8),
            // RISC-V psABI, "Integer Calling Convention": a0-a7; "Hardware
            // Floating-point Calling Convention": fa0-fa7.
            Abi::Riscv64 => RegisterFile::separate(8, 8),
        }
    }
}

impl fmt::Display for Abi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.convention().fmt(f)
    }
}

/// Argument registers while a signature is being lowered: which are still available
/// to C arguments, and which no argument has physically taken (the difference is what
/// a convention skips, like AAPCS64's NGRN/NSRN = 8 after a struct goes to the stack).
struct RegisterFile {
    int_left: u8,
    float_left: u8,
    int_untaken: u8,
    float_untaken: u8,
    /// Win64: one count of positional slots shared by both classes.
    positional: bool,
}

impl RegisterFile {
    fn separate(int: u8, float: u8) -> Self {
        RegisterFile {
            int_left: int,
            float_left: float,
            int_untaken: int,
            float_untaken: float,
            positional: false,
        }
    }

    fn positional(slots: u8) -> Self {
        RegisterFile {
            positional: true,
            ..RegisterFile::separate(slots, slots)
        }
    }

    /// Takes a register for one scalar of this class; `Stack` when none is left.
    fn take(&mut self, class: ScalarClass) -> Location {
        let (ints, floats) = match class {
            ScalarClass::Integer { .. } => (1, 0),
            ScalarClass::Float { .. } => (0, 1),
        };
        if self.take_all(ints, floats) {
            Location::Register
        } else {
            Location::Stack
        }
    }

    /// Takes `ints` integer and `floats` float registers if all of them are available,
    /// and nothing otherwise.
    fn take_all(&mut self, ints: u8, floats: u8) -> bool {
        if self.positional {
            let needed = ints + floats;
            if self.int_left < needed {
                return false;
            }
            self.int_left -= needed;
            self.float_left = self.int_left;
            self.int_untaken = self.int_left;
            self.float_untaken = self.int_left;
        } else {
            if self.int_left < ints || self.float_left < floats {
                return false;
            }
            self.int_left -= ints;
            self.float_left -= floats;
            self.int_untaken -= ints;
            self.float_untaken -= floats;
        }
        true
    }

    /// No later argument may use an integer register.
    fn exhaust_int(&mut self) {
        self.int_left = 0;
    }

    /// No later argument may use a float register.
    fn exhaust_float(&mut self) {
        self.float_left = 0;
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
    /// Bytes of the struct this piece carries (1 to 8).
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
            ResultLowering::Pieces { ty, .. } | ResultLowering::Indirect { ty, .. } => ty.clone(),
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
            Architecture::Riscv64(_) => Abi::Riscv64,
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
    })
}

/// Where a convention puts one struct argument, decided by its classification rules
/// (in the per-convention modules) against the registers still free.
enum AggregateArg {
    /// In registers, as these parts (offset, size, carrier).
    Registers(Vec<(u32, u32, ir::Type)>),
    /// As a pointer to a caller-made copy (one integer argument, in a register or on
    /// the stack).
    ByReference { location: Location },
    /// Wholly on the stack, as these parts in consecutive stack slots.
    Stack(Vec<(u32, u32, ir::Type)>),
    /// The first parts in registers, the rest on the stack (RISC-V: a two-register
    /// aggregate when only one register is left).
    Split {
        /// Parts in registers, in memory order.
        registers: Vec<(u32, u32, ir::Type)>,
        /// Parts on the stack, in memory order after those.
        stack: Vec<(u32, u32, ir::Type)>,
    },
}

/// Where a convention puts a struct result.
enum AggregateResult {
    /// In return registers, as these parts (offset, size, carrier).
    Registers(Vec<(u32, u32, ir::Type)>),
    /// Through a pointer the caller passes.
    Indirect,
}

/// Lowers `signature` for `target`: the Cranelift signature of the C function and the
/// per-value work.
///
/// The layer decides itself which values travel in registers and which on the stack,
/// following the convention, because Cranelift's own assignment (each parameter takes
/// the next free register of its class) cannot express "this struct goes on the stack
/// although registers are free" (SysV §3.2.3, AAPCS64 C.4/C.13). So the Cranelift
/// parameters are ordered: every register value first, in order (which keeps each
/// class's register order), then [`Filler`]s that use up the registers no argument
/// takes, then the stack values, in order (the order the stack area holds them in).
pub fn lower_signature(signature: &Signature, target: &Target) -> Result<LoweredSignature, Error> {
    signature.validate()?;
    let abi = target.resolve(signature.convention)?;
    let mut registers = abi.registers();
    let mut values = AbiValues::default();

    // The result first: an indirect result takes the first argument register on
    // x86-64 (psABI §3.2.3 "Returning of Values" item 2; Microsoft x64 "Return
    // values"), and x8, which no argument uses, on aarch64 (AAPCS64 §6.9).
    let mut returns = Vec::new();
    let result = match &signature.result {
        Type::Void => ResultLowering::Void,
        ty if ty.is_aggregate() => match aggregate_result(abi, ty) {
            AggregateResult::Registers(parts) => ResultLowering::Pieces {
                ty: ty.clone(),
                pieces: parts
                    .into_iter()
                    .map(|(offset, size, carrier)| {
                        returns.push(AbiParam::new(carrier));
                        Piece {
                            offset,
                            size,
                            carrier,
                            abi_index: returns.len() - 1,
                        }
                    })
                    .collect(),
            },
            AggregateResult::Indirect => {
                // RISC-V psABI, "Integer Calling Convention": the caller "passes the
                // address as an implicit first parameter" (a0).
                if abi.architecture() == Architecture::X86_64 || abi == Abi::Riscv64 {
                    registers.take(ScalarClass::Integer {
                        bytes: 8,
                        signed: false,
                    });
                }
                let pointer =
                    AbiParam::special(target.pointer_type(), ArgumentPurpose::StructReturn);
                ResultLowering::Indirect {
                    ty: ty.clone(),
                    abi_index: values.push(pointer, Location::Register),
                }
            }
        },
        // Scalar results come back in rax/xmm0 or x0/v0 (psABI §3.2.3 "Returning of
        // Values", Microsoft x64 "Return values", AAPCS64 §6.9).
        ty => {
            let lowering = lower_scalar(ty, target, abi, Location::Register, 0);
            returns.push(AbiParam::new(lowering.carrier));
            ResultLowering::Scalar(lowering)
        }
    };

    let mut params = Vec::with_capacity(signature.params.len());
    for ty in &signature.params {
        let lowering = match ty.class() {
            Some(class) => {
                let (location, float_bits) = match abi {
                    Abi::Riscv64 => riscv64::scalar(class, &mut registers),
                    _ => (registers.take(class), false),
                };
                let mut lowering = lower_scalar(ty, target, abi, location, 0);
                if float_bits {
                    lowering.carrier = types::I64;
                    lowering.extension = Extension::FloatBits;
                }
                lowering.abi_index = values.push(AbiParam::new(lowering.carrier), location);
                ArgLowering::Scalar(lowering)
            }
            None => lower_aggregate_arg(ty, target, abi, &mut registers, &mut values),
        };
        params.push(lowering);
    }

    // Order: register values, fillers, stack values.
    let stack_needs_int = values.stack_class_used(false);
    let stack_needs_float = values.stack_class_used(true);
    let mut order: Vec<usize> = (0..values.params.len())
        .filter(|&i| values.locations[i] == Location::Register)
        .collect();
    let mut fillers = Vec::new();
    let int_fill = if stack_needs_int {
        registers.int_untaken
    } else {
        0
    };
    let float_fill = if stack_needs_float {
        registers.float_untaken
    } else {
        0
    };
    let mut lowered = ir::Signature::new(abi.call_conv());
    for &i in &order {
        lowered.params.push(values.params[i]);
    }
    for carrier in std::iter::repeat_n(types::I64, int_fill.into())
        .chain(std::iter::repeat_n(types::F64, float_fill.into()))
    {
        fillers.push(Filler {
            abi_index: lowered.params.len(),
            carrier,
        });
        lowered.params.push(AbiParam::new(carrier));
    }
    let stack: Vec<usize> = (0..values.params.len())
        .filter(|&i| values.locations[i] == Location::Stack)
        .collect();
    for &i in &stack {
        lowered.params.push(values.params[i]);
    }
    // Map each value's position in `values` to its Cranelift parameter index.
    let fill = fillers.len();
    let mut position = vec![0; values.params.len()];
    for (index, &i) in order.iter().enumerate() {
        position[i] = index;
    }
    for (index, &i) in stack.iter().enumerate() {
        position[i] = order.len() + fill + index;
    }
    order.clear();
    for param in &mut params {
        param.remap(&position);
    }
    let result = match result {
        ResultLowering::Indirect { ty, abi_index } => ResultLowering::Indirect {
            ty,
            abi_index: position[abi_index],
        },
        other => other,
    };
    lowered.returns = returns;
    Ok(LoweredSignature {
        abi,
        signature: lowered,
        params,
        result,
        fillers,
    })
}

/// The ABI parameters of a signature in C order, with where each travels.
#[derive(Default)]
struct AbiValues {
    params: Vec<AbiParam>,
    locations: Vec<Location>,
}

impl AbiValues {
    /// Appends a parameter and returns its position.
    fn push(&mut self, param: AbiParam, location: Location) -> usize {
        self.params.push(param);
        self.locations.push(location);
        self.params.len() - 1
    }

    /// Whether a stack value of this register class exists (then free registers of
    /// that class must be filled, or Cranelift would put the value there).
    fn stack_class_used(&self, float: bool) -> bool {
        self.params
            .iter()
            .zip(&self.locations)
            .any(|(p, l)| *l == Location::Stack && p.value_type.is_float() == float)
    }
}

impl ArgLowering {
    /// Replaces value positions by Cranelift parameter indices.
    fn remap(&mut self, position: &[usize]) {
        match self {
            ArgLowering::Scalar(scalar) => scalar.abi_index = position[scalar.abi_index],
            ArgLowering::Pieces { pieces, .. } => {
                for piece in pieces {
                    piece.abi_index = position[piece.abi_index];
                }
            }
            ArgLowering::ByReference { abi_index, .. } => *abi_index = position[*abi_index],
        }
    }
}

fn aggregate_result(abi: Abi, ty: &Type) -> AggregateResult {
    match abi {
        Abi::SysV => sysv::result(ty),
        Abi::Win64 => win64::result(ty),
        Abi::Aapcs64 | Abi::Apple => aapcs64::result(ty),
        Abi::Riscv64 => riscv64::result(ty),
    }
}

fn lower_aggregate_arg(
    ty: &Type,
    target: &Target,
    abi: Abi,
    registers: &mut RegisterFile,
    values: &mut AbiValues,
) -> ArgLowering {
    let placement = match abi {
        Abi::SysV => sysv::argument(ty, registers),
        Abi::Win64 => win64::argument(ty, registers),
        Abi::Aapcs64 => aapcs64::argument(ty, registers, false),
        Abi::Apple => aapcs64::argument(ty, registers, true),
        Abi::Riscv64 => riscv64::argument(ty, registers),
    };
    let (parts, location) = match placement {
        AggregateArg::Split { registers, stack } => {
            let pieces = registers
                .into_iter()
                .map(|part| (part, Location::Register))
                .chain(stack.into_iter().map(|part| (part, Location::Stack)))
                .map(|((offset, size, carrier), location)| Piece {
                    offset,
                    size,
                    carrier,
                    abi_index: values.push(AbiParam::new(carrier), location),
                })
                .collect();
            return ArgLowering::Pieces {
                ty: ty.clone(),
                pieces,
            };
        }
        AggregateArg::ByReference { location } => {
            return ArgLowering::ByReference {
                ty: ty.clone(),
                abi_index: values.push(AbiParam::new(target.pointer_type()), location),
            }
        }
        AggregateArg::Registers(parts) => (parts, Location::Register),
        AggregateArg::Stack(parts) => (parts, Location::Stack),
    };
    let pieces = parts
        .into_iter()
        .map(|(offset, size, carrier)| Piece {
            offset,
            size,
            carrier,
            abi_index: values.push(AbiParam::new(carrier), location),
        })
        .collect();
    ArgLowering::Pieces {
        ty: ty.clone(),
        pieces,
    }
}

/// Splits `size` bytes into eightbyte-sized integer parts `(offset, size, i64)`.
fn integer_parts(size: usize) -> Vec<(u32, u32, ir::Type)> {
    (0..size.div_ceil(8))
        .map(|i| {
            let offset = i * 8;
            (offset as u32, (size - offset).min(8) as u32, types::I64)
        })
        .collect()
}

/// The scalars of a type, flattened, as `(offset, scalar class)`.
fn flattened(ty: &Type) -> Vec<(usize, ScalarClass)> {
    let mut scalars = Vec::new();
    ty.for_each_scalar(0, &mut |offset, scalar| {
        scalars.push((offset, scalar.class().expect("leaves are scalars")));
    });
    scalars
}

/// The carrier rule for one scalar (see the module documentation).
fn lower_scalar(
    ty: &Type,
    target: &Target,
    abi: Abi,
    location: Location,
    abi_index: usize,
) -> ScalarLowering {
    let natural = natural_type(ty, target).expect("only scalars are lowered here");
    let (carrier, extension) = match ty.class() {
        Some(ScalarClass::Integer { bytes, signed }) if abi == Abi::Riscv64 && bytes < 8 => {
            (types::I64, riscv64::integer_extension(bytes, signed))
        }
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
    ScalarLowering {
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
mod tests {
    use super::*;

    fn lower(text: &str, triple: &str) -> LoweredSignature {
        let target: Target = triple.parse().unwrap();
        lower_signature(&text.parse().unwrap(), &target).unwrap()
    }

    fn scalar(lowering: &ArgLowering) -> &ScalarLowering {
        match lowering {
            ArgLowering::Scalar(scalar) => scalar,
            other => panic!("not a scalar: {other:?}"),
        }
    }

    /// `(offset, size, carrier)` of each piece of a struct parameter.
    fn pieces(lowering: &ArgLowering) -> Vec<(u32, u32, ir::Type)> {
        match lowering {
            ArgLowering::Pieces { pieces, .. } => pieces
                .iter()
                .map(|p| (p.offset, p.size, p.carrier))
                .collect(),
            other => panic!("not in pieces: {other:?}"),
        }
    }

    const SYSV: &str = "x86_64-unknown-linux-gnu";
    const WIN64: &str = "x86_64-pc-windows-msvc";
    const LINUX_ARM: &str = "aarch64-unknown-linux-gnu";
    const APPLE: &str = "aarch64-apple-darwin";
    const RISCV: &str = "riscv64gc-unknown-linux-gnu";

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
    fn narrow_integers_travel_extended_to_32_bits() {
        let lowered = lower("(i8, u16, bool, i32, i64) -> i16", SYSV);
        let ext: Vec<_> = lowered
            .params
            .iter()
            .map(|p| (scalar(p).carrier, scalar(p).extension))
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
        let ResultLowering::Scalar(result) = lowered.result else {
            panic!("scalar result")
        };
        assert_eq!(
            (result.carrier, result.extension),
            (types::I32, Extension::Sign)
        );
    }

    #[test]
    fn win64_counts_registers_by_position() {
        let lowered = lower("win64 (f64, i32, f64, i32, i8)", SYSV);
        assert_eq!(scalar(&lowered.params[3]).location, Location::Register);
        assert_eq!(scalar(&lowered.params[4]).location, Location::Stack);
    }

    #[test]
    fn apple_stack_arguments_keep_their_natural_width() {
        let lowered = lower(
            "apple (i64, i64, i64, i64, i64, i64, i64, i8, i8, u16)",
            APPLE,
        );
        let p: Vec<_> = lowered.params.iter().map(scalar).collect();
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
            LINUX_ARM,
        );
        assert_eq!(scalar(&lowered.params[8]).carrier, types::I32);
    }

    #[test]
    fn sysv_classifies_eightbytes() {
        let (i64_, f32_, f64_) = (types::I64, types::F32, types::F64);
        type Parts = Vec<(u32, u32, ir::Type)>;
        let cases: [(&str, Parts); 7] = [
            ("{i8}", vec![(0, 1, i64_)]),
            ("{f32, f32, f32}", vec![(0, 8, f64_), (8, 4, f32_)]),
            ("{i8, f64}", vec![(0, 8, i64_), (8, 8, f64_)]),
            ("{f64, i64}", vec![(0, 8, f64_), (8, 8, i64_)]),
            ("{f32, i32, f32}", vec![(0, 8, i64_), (8, 4, f32_)]),
            ("{[i8; 9]}", vec![(0, 8, i64_), (8, 1, i64_)]),
            ("{{f32, f32}, f32}", vec![(0, 8, f64_), (8, 4, f32_)]),
        ];
        for (ty, expected) in cases {
            let lowered = lower(&format!("({ty})"), SYSV);
            assert_eq!(pieces(&lowered.params[0]), expected, "{ty}");
        }
        // MEMORY class: on the stack as eightbytes, after the result pointer in rdi.
        let lowered = lower("({f64, f64, f64}) -> {i64, i64, i64}", SYSV);
        let i64x3 = [(0, 8, i64_), (8, 8, i64_), (16, 8, i64_)];
        assert_eq!(pieces(&lowered.params[0]), i64x3);
        assert!(matches!(
            lowered.result,
            ResultLowering::Indirect { abi_index: 0, .. }
        ));
        // Five fillers take rsi..r9 so that the eightbytes land on the stack.
        assert_eq!(lowered.fillers.len(), 5);
        assert_eq!(lowered.fillers[0].abi_index, 1);
    }

    #[test]
    fn sysv_struct_that_does_not_fit_goes_wholly_to_the_stack() {
        // Five integers leave r9 free: a two-INTEGER struct does not fit and goes on
        // the stack, and the following i64 still gets r9.
        let lowered = lower("(i64, i64, i64, i64, i64, {i64, i64}, i64)", SYSV);
        assert_eq!(scalar(&lowered.params[6]).location, Location::Register);
        assert_eq!(
            scalar(&lowered.params[6]).abi_index,
            5,
            "r9 comes before the stack"
        );
        let ArgLowering::Pieces { pieces, .. } = &lowered.params[5] else {
            panic!("struct in pieces")
        };
        assert_eq!((pieces[0].abi_index, pieces[1].abi_index), (6, 7));
        assert!(lowered.fillers.is_empty(), "no register is left to fill");
        // An indirect result uses rdi: five more integers fill the rest.
        let lowered = lower("(i64, i64, i64, i64, i64, {i64}) -> {i64, i64, i64}", SYSV);
        let ArgLowering::Pieces { pieces, .. } = &lowered.params[5] else {
            panic!("struct in pieces")
        };
        assert_eq!(
            pieces[0].abi_index, 6,
            "after rdi (result) and five integers"
        );
    }

    #[test]
    fn win64_passes_power_of_two_structs_as_integers_and_others_by_reference() {
        let lowered = lower(
            "win64 ({f32}, {i8, i8, i8}, {f64}, {i64, i64}) -> {f32, f32}",
            SYSV,
        );
        assert_eq!(pieces(&lowered.params[0]), [(0, 4, types::I64)]);
        assert!(matches!(lowered.params[1], ArgLowering::ByReference { .. }));
        assert_eq!(pieces(&lowered.params[2]), [(0, 8, types::I64)]);
        assert!(matches!(lowered.params[3], ArgLowering::ByReference { .. }));
        assert!(matches!(lowered.result, ResultLowering::Pieces { .. }));
        let lowered = lower("win64 () -> {i8, i8, i8}", SYSV);
        assert!(matches!(
            lowered.result,
            ResultLowering::Indirect { abi_index: 0, .. }
        ));
    }

    #[test]
    fn aapcs64_hfas_composites_and_the_register_exhaustion_rule() {
        let lowered = lower(
            "({f32, f32, f32}, {f64, i64}, {[f64; 4]}, {f32, f32, f32, f32, f32})",
            LINUX_ARM,
        );
        assert_eq!(
            pieces(&lowered.params[0]),
            [(0, 4, types::F32), (4, 4, types::F32), (8, 4, types::F32)]
        );
        assert_eq!(
            pieces(&lowered.params[1]),
            [(0, 8, types::I64), (8, 8, types::I64)]
        );
        assert_eq!(pieces(&lowered.params[2]).len(), 4);
        assert!(matches!(lowered.params[3], ArgLowering::ByReference { .. }));
        // Seven floats leave v7: a 3-member HFA does not fit, goes to the stack, and
        // fillers use up v7 so that the last f64 goes to the stack too (NSRN = 8).
        let lowered = lower(
            "(f64, f64, f64, f64, f64, f64, f64, {f32, f32, f32}, f64)",
            LINUX_ARM,
        );
        assert_eq!(lowered.fillers.len(), 1);
        assert_eq!(
            pieces(&lowered.params[7]),
            [(0, 8, types::F64), (8, 4, types::F32)]
        );
        let lowered = lower(
            "apple (f64, f64, f64, f64, f64, f64, f64, {f32, f32, f32}, f64)",
            APPLE,
        );
        assert_eq!(pieces(&lowered.params[7]).len(), 3, "Apple packs members");
        // Results: HFA in v0-v3, small composites in x0/x1, larger via x8.
        let lowered = lower("() -> {f64, f64, f64, f64}", LINUX_ARM);
        assert!(
            matches!(&lowered.result, ResultLowering::Pieces { pieces, .. } if pieces.len() == 4)
        );
        let lowered = lower("() -> {i64, i64, i64}", LINUX_ARM);
        assert!(matches!(lowered.result, ResultLowering::Indirect { .. }));
    }

    /// `(location, carrier, extension)` of every scalar parameter.
    fn scalars(lowered: &LoweredSignature) -> Vec<(Location, ir::Type, Extension)> {
        lowered
            .params
            .iter()
            .map(scalar)
            .map(|s| (s.location, s.carrier, s.extension))
            .collect()
    }

    #[test]
    fn riscv64_integers_travel_extended_to_64_bits() {
        // psABI "Integer Calling Convention": widened per signedness to 32 bits, then
        // sign-extended to XLEN, so u32 is sign-extended and u8/u16/bool zero-extended;
        // the ninth integer finds no register and goes on the stack, extended the same.
        let lowered = lower("(i8, u8, i16, u16, i32, u32, bool, i64, ptr) -> u32", RISCV);
        let (r, i64_) = (Location::Register, types::I64);
        assert_eq!(
            scalars(&lowered),
            [
                (r, i64_, Extension::Sign),
                (r, i64_, Extension::Zero),
                (r, i64_, Extension::Sign),
                (r, i64_, Extension::Zero),
                (r, i64_, Extension::Sign),
                (r, i64_, Extension::Sign),
                (r, i64_, Extension::Zero),
                (r, i64_, Extension::None),
                (Location::Stack, i64_, Extension::None),
            ]
        );
        let ResultLowering::Scalar(result) = lowered.result else {
            panic!("scalar result")
        };
        assert_eq!((result.carrier, result.extension), (i64_, Extension::Sign));
        assert_eq!(lowered.signature.call_conv, CallConv::SystemV);
        assert!(lowered.fillers.is_empty());
    }

    #[test]
    fn riscv64_floats_after_fa7_take_free_integer_registers_as_bits() {
        // psABI "Hardware Floating-point Calling Convention": a float finding no fa
        // register is passed per the integer convention: a free a register, then stack.
        let lowered = lower(
            "(f64, f64, f64, f64, f64, f64, f64, f64, f32, f64, i64, i64, i64, i64, i64, i64, \
             f64, i32, f32)",
            RISCV,
        );
        let s = scalars(&lowered);
        let (r, st) = (Location::Register, Location::Stack);
        assert!(s[..8]
            .iter()
            .all(|&v| v == (r, types::F64, Extension::None)));
        assert_eq!(s[8], (r, types::I64, Extension::FloatBits), "f32 in a0");
        assert_eq!(s[9], (r, types::I64, Extension::FloatBits), "f64 in a1");
        assert_eq!(s[15], (r, types::I64, Extension::None), "i64 in a7");
        assert_eq!(s[16], (st, types::F64, Extension::None), "no register left");
        assert_eq!(s[17], (st, types::I64, Extension::Sign));
        assert_eq!(s[18], (st, types::F32, Extension::None));
        // Cranelift order: 8 fa values and 8 a values, then the stack, no fillers.
        let abi = |i: usize| scalar(&lowered.params[i]).abi_index;
        assert_eq!((abi(8), abi(9), abi(16), abi(18)), (8, 9, 16, 18));
        assert!(lowered.fillers.is_empty());
        // With fa registers free, floats stay in them.
        assert_eq!(
            scalars(&lower("(f32, i32)", RISCV))[0],
            (r, types::F32, Extension::None)
        );
    }

    #[test]
    fn riscv64_structs_use_float_registers_pairs_and_references() {
        let (i64_, f32_, f64_) = (types::I64, types::F32, types::F64);
        type Parts = Vec<(u32, u32, ir::Type)>;
        let cases: [(&str, Parts); 10] = [
            ("{f32}", vec![(0, 4, f32_)]),
            ("{f32, f32}", vec![(0, 4, f32_), (4, 4, f32_)]),
            ("{f64, f32}", vec![(0, 8, f64_), (8, 4, f32_)]),
            ("{i8, f64}", vec![(0, 1, i64_), (8, 8, f64_)]),
            ("{f32, i32}", vec![(0, 4, f32_), (4, 4, i64_)]),
            ("{[f32; 2]}", vec![(0, 4, f32_), (4, 4, f32_)]),
            ("{{f32}, f64}", vec![(0, 4, f32_), (8, 8, f64_)]),
            // Three scalars: the integer convention, in a0/a1.
            ("{f32, f32, f32}", vec![(0, 8, i64_), (8, 4, i64_)]),
            ("{i64, i64}", vec![(0, 8, i64_), (8, 8, i64_)]),
            ("{i8, i8, i8}", vec![(0, 3, i64_)]),
        ];
        for (ty, expected) in cases {
            let lowered = lower(&format!("({ty}) -> {ty}"), RISCV);
            assert_eq!(pieces(&lowered.params[0]), expected, "{ty}");
            let ResultLowering::Pieces { pieces: result, .. } = &lowered.result else {
                panic!("{ty}: result in registers")
            };
            let result: Parts = result
                .iter()
                .map(|p| (p.offset, p.size, p.carrier))
                .collect();
            assert_eq!(result, expected, "{ty} as the result");
        }
        // Larger than 2×XLEN: by reference, and a result through a pointer in a0.
        let lowered = lower("({f64, f64, f64}) -> {i64, i64, i64}", RISCV);
        assert!(matches!(
            lowered.params[0],
            ArgLowering::ByReference { abi_index: 1, .. }
        ));
        assert!(matches!(
            lowered.result,
            ResultLowering::Indirect { abi_index: 0, .. }
        ));
    }

    #[test]
    fn riscv64_struct_falls_back_to_integer_registers_and_splits() {
        // Seven floats leave fa7: {f64, f64} takes a0/a1 and the last f64 still gets
        // fa7 (no register is skipped).
        let lowered = lower(
            "(f64, f64, f64, f64, f64, f64, f64, {f64, f64}, f64)",
            RISCV,
        );
        assert_eq!(
            pieces(&lowered.params[7]),
            [(0, 8, types::I64), (8, 8, types::I64)]
        );
        assert_eq!(scalar(&lowered.params[8]).location, Location::Register);
        assert_eq!(scalar(&lowered.params[8]).carrier, types::F64);
        // Seven integers leave a7: a 16-byte struct is split between a7 and the stack.
        let lowered = lower("(i64, i64, i64, i64, i64, i64, i64, {i64, i32}, i8)", RISCV);
        let ArgLowering::Pieces { pieces: split, .. } = &lowered.params[7] else {
            panic!("struct in pieces")
        };
        assert_eq!((split[0].abi_index, split[1].abi_index), (7, 8));
        assert_eq!(scalar(&lowered.params[8]).location, Location::Stack);
        assert_eq!(scalar(&lowered.params[8]).abi_index, 9);
        // No fa or a register left: a {f32, i32} goes on the stack as one 8-byte part.
        let lowered = lower(
            "(f64, f64, f64, f64, f64, f64, f64, f64, i64, i64, i64, i64, i64, i64, i64, \
             i64, {f32, i32})",
            RISCV,
        );
        assert_eq!(pieces(&lowered.params[16]), [(0, 8, types::I64)]);
        // One fa but no a register: {f32, i32} cannot use fa7, so f32 after it can.
        let lowered = lower(
            "(f64, f64, f64, f64, f64, f64, f64, i64, i64, i64, i64, i64, i64, i64, i64, \
             {f32, i32}, f32)",
            RISCV,
        );
        assert_eq!(scalar(&lowered.params[16]).carrier, types::F32);
        assert_eq!(scalar(&lowered.params[16]).location, Location::Register);
    }

    #[test]
    fn riscv64_is_a_riscv_only_convention() {
        let target: Target = RISCV.parse().unwrap();
        assert!(target.resolve(Convention::SysV).is_err());
        assert_eq!(target.resolve(Convention::Riscv64).unwrap(), Abi::Riscv64);
        let x86: Target = SYSV.parse().unwrap();
        assert!(x86.resolve(Convention::Riscv64).is_err());
    }
}
