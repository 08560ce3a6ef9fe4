//! C types as springboard sees them.
//!
//! A [`Type`] is a C scalar (every integer width, both float widths, `bool`, a data
//! pointer) or `void` for results. Its size and alignment are those of the C type on an
//! LP64 target (every target springboard compiles for is LP64 or LLP64 with 64-bit
//! pointers, and the scalar sizes below agree on all of them).
//!
//! `Type` is deliberately not `Copy`: aggregate types (C structs by value) become one
//! more variant holding their shared layout, and every user of `Type` already clones or
//! borrows it.

use std::fmt;

/// A C type that can appear in a signature.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// `void`: only valid as a result type.
    Void,
    /// C `_Bool` / `bool`: one byte holding 0 or 1.
    Bool,
    /// `int8_t`
    I8,
    /// `uint8_t`
    U8,
    /// `int16_t`
    I16,
    /// `uint16_t`
    U16,
    /// `int32_t`
    I32,
    /// `uint32_t`
    U32,
    /// `int64_t`
    I64,
    /// `uint64_t`
    U64,
    /// `intptr_t` / `ssize_t`: pointer-sized signed integer.
    Isize,
    /// `uintptr_t` / `size_t`: pointer-sized unsigned integer.
    Usize,
    /// `float`
    F32,
    /// `double`
    F64,
    /// Any data or function pointer.
    Ptr,
}

/// The broad class of a scalar, which is what calling conventions dispatch on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarClass {
    /// An integer, `bool` or pointer: travels in general-purpose registers.
    Integer {
        /// Size in bytes (1, 2, 4 or 8).
        bytes: u8,
        /// Whether the value is sign-extended when widened.
        signed: bool,
    },
    /// A binary floating-point value: travels in vector/float registers.
    Float {
        /// Size in bytes (4 or 8).
        bytes: u8,
    },
}

impl Type {
    /// Every scalar type, in the order the signature syntax documents them.
    pub const SCALARS: [Type; 15] = [
        Type::Bool,
        Type::I8,
        Type::U8,
        Type::I16,
        Type::U16,
        Type::I32,
        Type::U32,
        Type::I64,
        Type::U64,
        Type::Isize,
        Type::Usize,
        Type::F32,
        Type::F64,
        Type::Ptr,
        Type::Void,
    ];

    /// The keyword for this type in signature text.
    pub fn name(&self) -> &'static str {
        match self {
            Type::Void => "void",
            Type::Bool => "bool",
            Type::I8 => "i8",
            Type::U8 => "u8",
            Type::I16 => "i16",
            Type::U16 => "u16",
            Type::I32 => "i32",
            Type::U32 => "u32",
            Type::I64 => "i64",
            Type::U64 => "u64",
            Type::Isize => "isize",
            Type::Usize => "usize",
            Type::F32 => "f32",
            Type::F64 => "f64",
            Type::Ptr => "ptr",
        }
    }

    /// Looks a scalar type up by its keyword.
    pub fn from_name(name: &str) -> Option<Type> {
        Type::SCALARS.iter().find(|t| t.name() == name).cloned()
    }

    /// Size in bytes (0 for `void`).
    pub fn size(&self) -> usize {
        match self.class() {
            None => 0,
            Some(ScalarClass::Integer { bytes, .. } | ScalarClass::Float { bytes }) => {
                bytes as usize
            }
        }
    }

    /// Alignment in bytes (1 for `void`). Every scalar is naturally aligned.
    pub fn align(&self) -> usize {
        self.size().max(1)
    }

    /// The scalar class, or `None` for `void`.
    pub fn class(&self) -> Option<ScalarClass> {
        let int = |bytes, signed| Some(ScalarClass::Integer { bytes, signed });
        match self {
            Type::Void => None,
            Type::Bool | Type::U8 => int(1, false),
            Type::I8 => int(1, true),
            Type::I16 => int(2, true),
            Type::U16 => int(2, false),
            Type::I32 => int(4, true),
            Type::U32 => int(4, false),
            Type::I64 | Type::Isize => int(8, true),
            Type::U64 | Type::Usize | Type::Ptr => int(8, false),
            Type::F32 => Some(ScalarClass::Float { bytes: 4 }),
            Type::F64 => Some(ScalarClass::Float { bytes: 8 }),
        }
    }

    /// True for `void`.
    pub fn is_void(&self) -> bool {
        matches!(self, Type::Void)
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
