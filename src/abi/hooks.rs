//! The hooks a calling convention implements, and the vocabulary they share with the
//! driver in `lower.rs`.
//!
//! Each convention module (`sysv.rs`, `win64.rs`, `aapcs64.rs`, `apple.rs`,
//! `riscv64.rs`) implements [`Hooks`] once, with every rule citing its document; the
//! driver asks these hooks every question whose answer depends on the convention and
//! decides nothing itself.

use super::{Extension, Location, Piece, VariadicCall};
use crate::types::{ScalarClass, Type};
use cranelift_codegen::ir::{self, types};
use cranelift_codegen::isa::CallConv;
use target_lexicon::Architecture;

/// One calling convention's rules, asked by the driver while it lowers a signature.
pub(super) trait Hooks: Sync {
    /// The Cranelift calling convention that implements the register use.
    fn call_conv(&self) -> CallConv;

    /// The architecture the convention exists on.
    fn architecture(&self) -> Architecture;

    /// Log2 of the page size of the convention's platforms (code alignment). By default
    /// 4 KiB pages.
    fn page_size_log2(&self) -> u8 {
        12
    }

    /// The argument registers free at the start of a call.
    fn registers(&self) -> RegisterFile;

    /// How many integer and float registers results come back in at most (scalars and
    /// struct pieces together), for the generic caller (`plan.rs`), which reads them
    /// all after every call.
    fn return_registers(&self) -> (u8, u8);

    /// Where one scalar argument of this class goes, taking its register if it gets one.
    /// By default the next free register of its class, else the stack.
    fn scalar(&self, class: ScalarClass, registers: &mut RegisterFile) -> ScalarPlace {
        ScalarPlace::Own(registers.take(class))
    }

    /// How an integer narrower than 8 bytes travels at `location`: its carrier type and
    /// how the producer widens it. Results ask with [`Location::Register`].
    fn narrow_integer(&self, bytes: u8, signed: bool, location: Location) -> Carrier;

    /// Where a struct argument goes, taking the registers it gets.
    fn struct_argument(&self, ty: &Type, registers: &mut RegisterFile) -> AggregateArg;

    /// Where a struct result comes back.
    fn struct_result(&self, ty: &Type) -> AggregateResult;

    /// Where a 16-byte scalar argument (`i128`, `u128`, `f80`, `f128`: see
    /// [`Type::is_wide`]) goes (`variadic`: in a call's variadic part), taking the
    /// registers it gets; its parts cover its 16 bytes.
    fn wide_scalar(&self, ty: &Type, registers: &mut RegisterFile, variadic: bool)
        -> AggregateArg;

    /// Where a 16-byte scalar result comes back.
    fn wide_result(&self, ty: &Type) -> AggregateResult;

    /// Why the convention has no type `ty` (a scalar), or `None` if it has it. By
    /// default every type exists.
    fn lacks(&self, _ty: &Type) -> Option<&'static str> {
        None
    }

    /// The alignment (8 or 16) of an argument of type `ty` placed in the stack argument
    /// area; the driver pads the area to it.
    fn stack_alignment(&self, ty: &Type) -> u32;

    /// Bytes one stack value of IR type `carrier` takes in the argument area, at an
    /// address aligned to that size. By default every value takes an 8-byte slot.
    fn stack_bytes(&self, _carrier: ir::Type) -> u32 {
        8
    }

    /// Which register carries the pointer to an indirect (in-memory) result. By default
    /// the first integer argument register.
    fn result_pointer(&self) -> ResultPointer {
        ResultPointer::FirstIntegerArgument
    }

    /// Where one scalar of a call's variadic part goes, taking its register if it gets
    /// one; anything the caller must do for it besides placing it goes into `call`.
    /// By default a variadic scalar goes where a fixed one would.
    fn variadic_scalar(&self, class: ScalarClass, part: &mut VariadicPart<'_>) -> ScalarPlace {
        self.scalar(class, part.registers)
    }

    /// Where a struct of a call's variadic part goes. By default where a fixed one
    /// would.
    fn variadic_struct(&self, ty: &Type, registers: &mut RegisterFile) -> AggregateArg {
        self.struct_argument(ty, registers)
    }

    /// Completes `call` once every argument of a variadic call is placed (`registers`
    /// as they are then). By default a variadic call needs nothing more.
    fn finish_variadic(&self, _registers: &RegisterFile, _call: &mut VariadicCall) {}
}

/// The `size` bytes at `offset` in a struct's C layout, travelling as one ABI value of
/// type `carrier` (`i64` for integer parts, whatever their size; `f32`/`f64` for float
/// parts).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Part {
    /// Byte offset in the struct.
    pub offset: u32,
    /// Bytes of the struct the part carries (1 to 8; 16 for a vector carrier).
    pub size: u32,
    /// The IR type of the ABI value.
    pub carrier: ir::Type,
}

impl Part {
    /// A part of `size` bytes at `offset`, carried as `carrier`.
    pub const fn new(offset: u32, size: u32, carrier: ir::Type) -> Part {
        Part {
            offset,
            size,
            carrier,
        }
    }

    /// The part as the ABI value at `abi_index`.
    pub fn piece(self, abi_index: usize) -> Piece {
        Piece {
            offset: self.offset,
            size: self.size,
            carrier: self.carrier,
            abi_index,
        }
    }
}

/// What placing one argument of a call's variadic part works on.
pub(super) struct VariadicPart<'a> {
    /// The argument registers still free.
    pub(super) registers: &'a mut RegisterFile,
    /// What the caller must do for the call besides placing its arguments.
    pub(super) call: &'a mut VariadicCall,
}

/// Where one scalar argument goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ScalarPlace {
    /// In a register of its own class, or on the stack.
    Own(Location),
    /// A float in an integer register, as its bits (RISC-V, after `fa7`, and its
    /// variadic floats).
    FloatInIntegerRegister,
    /// On the stack in a slot of its own of 8 bytes, an integer extended to 64 bits
    /// (Apple arm64's variadic arguments).
    StackSlot,
}

/// The type a narrow integer travels as and how its producer widens it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Carrier {
    /// The carrier type.
    pub ty: ir::Type,
    /// How the producer widens the value to `ty`.
    pub extension: Extension,
}

impl Carrier {
    /// The integer's own type, unextended.
    pub fn natural(bytes: u8) -> Carrier {
        Carrier {
            ty: ir::Type::int_with_byte_size(bytes.into()).expect("integers are 1 to 8 bytes"),
            extension: Extension::None,
        }
    }

    /// Extended to `ty` according to the integer's sign.
    pub fn extended(ty: ir::Type, signed: bool) -> Carrier {
        let extension = if signed {
            Extension::Sign
        } else {
            Extension::Zero
        };
        Carrier { ty, extension }
    }

    /// springboard's policy for registers (see the `abi` module documentation): the
    /// producer extends an integer narrower than 32 bits to an `i32` carrier; 32-bit
    /// integers travel as themselves.
    pub fn to_32_bits(bytes: u8, signed: bool) -> Carrier {
        if bytes < 4 {
            Carrier::extended(types::I32, signed)
        } else {
            Carrier::natural(bytes)
        }
    }
}

/// Where a convention puts one struct argument, decided by its classification rules
/// against the registers still free.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum AggregateArg {
    /// In registers, as these parts.
    Registers(Vec<Part>),
    /// As a pointer to a caller-made copy (one integer argument, in a register or on
    /// the stack).
    ByReference {
        /// Where the pointer goes.
        location: Location,
    },
    /// Wholly on the stack, as these parts in consecutive stack slots.
    Stack(Vec<Part>),
    /// The first parts in registers, the rest on the stack (RISC-V: a two-register
    /// aggregate when only one register is left).
    Split {
        /// Parts in registers, in memory order.
        registers: Vec<Part>,
        /// Parts on the stack, in memory order after those.
        stack: Vec<Part>,
    },
}

/// Where a convention puts a struct result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum AggregateResult {
    /// In return registers, as these parts.
    Registers(Vec<Part>),
    /// Through a pointer the caller passes.
    Indirect,
    /// On the x87 register stack, in `st0` (System V's `long double`): the value's 16
    /// bytes are stored from and loaded to `st0` by the [`crate::abi::Shim`]s for it.
    X87,
}

/// The register that carries an indirect result's pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ResultPointer {
    /// The first integer argument register, which arguments then cannot use.
    FirstIntegerArgument,
    /// A register of its own that no argument uses.
    Dedicated,
}

/// An integer register's class, for taking one register for a pointer or integer part.
pub(super) const INTEGER: ScalarClass = ScalarClass::Integer {
    bytes: 8,
    signed: false,
};

/// Argument registers while a signature is being lowered: which are still available
/// to C arguments, and which no argument has physically taken (the difference is what
/// a convention skips, like AAPCS64's NGRN/NSRN = 8 after a struct goes to the stack).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct RegisterFile {
    int_left: u8,
    float_left: u8,
    int_untaken: u8,
    float_untaken: u8,
    /// Integer registers at the start, to tell even from odd register numbers.
    int_total: u8,
    /// Integer registers skipped for alignment since the driver last asked (it fills
    /// each in place with a [`crate::abi::Filler`]).
    skipped: u8,
    /// One count of positional slots shared by both classes.
    positional: bool,
}

impl RegisterFile {
    /// `int` integer and `float` float registers, taken independently.
    pub fn separate(int: u8, float: u8) -> Self {
        RegisterFile {
            int_left: int,
            float_left: float,
            int_untaken: int,
            float_untaken: float,
            int_total: int,
            skipped: 0,
            positional: false,
        }
    }

    /// `slots` argument slots by position, each either an integer or a float register.
    pub fn positional(slots: u8) -> Self {
        RegisterFile {
            positional: true,
            ..RegisterFile::separate(slots, slots)
        }
    }

    /// The integer and float registers still available in a file whose classes are
    /// taken independently (all of them, for a file fresh from [`Hooks::registers`]);
    /// `None` for positional slots.
    pub fn separate_counts(&self) -> Option<(u8, u8)> {
        (!self.positional).then_some((self.int_left, self.float_left))
    }

    /// Takes a register for one scalar of this class; `Stack` when none is left.
    pub fn take(&mut self, class: ScalarClass) -> Location {
        let (ints, floats) = match class {
            ScalarClass::Integer { .. } => (1, 0),
            // The 16-byte floats are placed by the conventions' `wide_scalar` hooks,
            // which take float registers for them where they travel in one.
            ScalarClass::Float { .. } | ScalarClass::X87 | ScalarClass::Binary128 => (0, 1),
        };
        if self.take_all(ints, floats) {
            Location::Register
        } else {
            Location::Stack
        }
    }

    /// Takes `ints` integer and `floats` float registers if all of them are available,
    /// and nothing otherwise.
    pub fn take_all(&mut self, ints: u8, floats: u8) -> bool {
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

    /// Takes the registers `parts` need, one per part of its carrier's class (vector
    /// carriers take a float register), if all
    /// of them are available, and nothing otherwise.
    pub fn take_parts(&mut self, parts: &[Part]) -> bool {
        let floats = parts.iter().filter(|p| p.carrier.is_float() || p.carrier.is_vector()).count() as u8;
        self.take_all(parts.len() as u8 - floats, floats)
    }

    /// Skips one integer register if the next one is odd-numbered (a pair that must
    /// start at an even register); the driver fills a skipped register in place.
    pub fn align_int_pair(&mut self) {
        if !self.positional && self.int_left > 0 && !(self.int_total - self.int_left).is_multiple_of(2) {
            self.int_left -= 1;
            self.int_untaken -= 1;
            self.skipped += 1;
        }
    }

    /// The integer registers skipped since the last call, now the driver's to fill.
    pub fn take_skipped(&mut self) -> u8 {
        std::mem::take(&mut self.skipped)
    }

    /// No later argument may use an integer register.
    pub fn exhaust_int(&mut self) {
        self.int_left = 0;
    }

    /// No later argument may use a float register.
    pub fn exhaust_float(&mut self) {
        self.float_left = 0;
    }

    /// Integer registers (positional: slots) still available to arguments.
    pub fn int_left(&self) -> u8 {
        self.int_left
    }

    /// Integer registers no argument has taken.
    pub fn int_untaken(&self) -> u8 {
        self.int_untaken
    }

    /// Float registers no argument has taken.
    pub fn float_untaken(&self) -> u8 {
        self.float_untaken
    }
}

/// The two 8-byte halves of an `i128`/`u128`, low half first.
pub(super) fn wide_halves() -> Vec<Part> {
    integer_parts(16)
}

/// Splits `size` bytes into eightbyte-sized integer parts.
pub(super) fn integer_parts(size: usize) -> Vec<Part> {
    (0..size.div_ceil(8))
        .map(|i| {
            let offset = i * 8;
            Part::new(offset as u32, (size - offset).min(8) as u32, types::I64)
        })
        .collect()
}

/// The scalars of a type, flattened, as `(offset, scalar class)`.
pub(super) fn flattened(ty: &Type) -> Vec<(usize, ScalarClass)> {
    let mut scalars = Vec::new();
    ty.for_each_scalar(0, &mut |offset, scalar| {
        scalars.push((offset, scalar.class().expect("leaves are scalars")));
    });
    scalars
}

/// A float member's part at `offset`, carried as its own type: `f32` for a 4-byte
/// float, the 128-bit vector `i64x2` for a binary128 (a whole vector register), `f64`
/// for any other class (callers pass floats).
pub(super) fn float_part(offset: usize, class: ScalarClass) -> Part {
    match class {
        ScalarClass::Float { bytes: 4 } => Part::new(offset as u32, 4, types::F32),
        ScalarClass::Binary128 => quad_part(offset),
        _ => Part::new(offset as u32, 8, types::F64),
    }
}

/// A binary128 at `offset` as one 16-byte value in a vector register.
pub(super) fn quad_part(offset: usize) -> Part {
    Part::new(offset as u32, 16, types::I64X2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separate_classes_are_taken_independently() {
        let mut file = RegisterFile::separate(1, 2);
        assert_eq!(file.take(INTEGER), Location::Register);
        assert_eq!(file.take(INTEGER), Location::Stack);
        assert!(file.take_all(0, 2));
        assert!(!file.take_all(0, 1));
        assert_eq!((file.int_untaken(), file.float_untaken()), (0, 0));
    }

    #[test]
    fn take_all_takes_nothing_when_anything_is_missing() {
        let mut file = RegisterFile::separate(2, 1);
        assert!(!file.take_all(1, 2));
        assert_eq!((file.int_untaken(), file.float_untaken()), (2, 1));
        let parts = [Part::new(0, 8, types::I64), Part::new(8, 8, types::F64)];
        assert!(file.take_parts(&parts));
        assert_eq!((file.int_untaken(), file.float_untaken()), (1, 0));
    }

    #[test]
    fn positional_slots_are_shared_by_both_classes() {
        let mut file = RegisterFile::positional(2);
        let float = ScalarClass::Float { bytes: 8 };
        assert_eq!(file.take(float), Location::Register);
        assert_eq!(file.take(INTEGER), Location::Register);
        assert_eq!(file.take(float), Location::Stack);
        assert_eq!((file.int_untaken(), file.float_untaken()), (0, 0));
    }

    #[test]
    fn exhausting_a_class_keeps_its_registers_untaken() {
        let mut file = RegisterFile::separate(8, 8);
        file.exhaust_int();
        file.exhaust_float();
        assert_eq!(file.take(INTEGER), Location::Stack);
        assert_eq!((file.int_untaken(), file.float_untaken()), (8, 8));
    }

    #[test]
    fn pairs_start_at_even_registers() {
        let mut file = RegisterFile::separate(8, 8);
        file.align_int_pair();
        assert_eq!(file.take_skipped(), 0, "x0 is even");
        assert_eq!(file.take(INTEGER), Location::Register);
        file.align_int_pair();
        assert_eq!((file.take_skipped(), file.int_left()), (1, 6), "x1 skipped");
        assert_eq!(file.take_skipped(), 0, "skips are handed over once");
    }

    #[test]
    fn integer_parts_are_eightbytes_with_a_short_tail() {
        let expected = [Part::new(0, 8, types::I64), Part::new(8, 3, types::I64)];
        assert_eq!(integer_parts(11), expected);
        assert!(integer_parts(0).is_empty());
    }

    #[test]
    fn narrow_carriers() {
        let (i32_, i16_) = (types::I32, types::I16);
        assert_eq!(
            Carrier::to_32_bits(1, true),
            Carrier::extended(i32_, true),
            "i8 to 32 bits"
        );
        assert_eq!(Carrier::to_32_bits(2, false).extension, Extension::Zero);
        assert_eq!(Carrier::to_32_bits(4, false), Carrier::natural(4));
        assert_eq!(Carrier::natural(2).ty, i16_);
    }
}
