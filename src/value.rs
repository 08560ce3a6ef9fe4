//! Typed values for the checked API.

use crate::array::Slot;
use crate::types::Type;
use std::ffi::c_void;
use std::fmt;

/// A C value tagged with its type, for the checked call API and the CLI.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    /// The result of a `void` function.
    Void,
    /// `bool`
    Bool(bool),
    /// `i8`
    I8(i8),
    /// `u8`
    U8(u8),
    /// `i16`
    I16(i16),
    /// `u16`
    U16(u16),
    /// `i32`
    I32(i32),
    /// `u32`
    U32(u32),
    /// `i64`
    I64(i64),
    /// `u64`
    U64(u64),
    /// `isize`
    Isize(isize),
    /// `usize`
    Usize(usize),
    /// `f32`
    F32(f32),
    /// `f64`
    F64(f64),
    /// `ptr`
    Ptr(*mut c_void),
}

impl Value {
    /// The value's type.
    pub fn ty(&self) -> Type {
        match self {
            Value::Void => Type::Void,
            Value::Bool(_) => Type::Bool,
            Value::I8(_) => Type::I8,
            Value::U8(_) => Type::U8,
            Value::I16(_) => Type::I16,
            Value::U16(_) => Type::U16,
            Value::I32(_) => Type::I32,
            Value::U32(_) => Type::U32,
            Value::I64(_) => Type::I64,
            Value::U64(_) => Type::U64,
            Value::Isize(_) => Type::Isize,
            Value::Usize(_) => Type::Usize,
            Value::F32(_) => Type::F32,
            Value::F64(_) => Type::F64,
            Value::Ptr(_) => Type::Ptr,
        }
    }

    /// The value in the array layout (`Void` gives an empty slot).
    pub fn to_slot(&self) -> Slot {
        match *self {
            Value::Void => Slot::default(),
            Value::Bool(v) => Slot::from_bool(v),
            Value::I8(v) => Slot::from_i8(v),
            Value::U8(v) => Slot::from_u8(v),
            Value::I16(v) => Slot::from_i16(v),
            Value::U16(v) => Slot::from_u16(v),
            Value::I32(v) => Slot::from_i32(v),
            Value::U32(v) => Slot::from_u32(v),
            Value::I64(v) => Slot::from_i64(v),
            Value::U64(v) => Slot::from_u64(v),
            Value::Isize(v) => Slot::from_isize(v),
            Value::Usize(v) => Slot::from_usize(v),
            Value::F32(v) => Slot::from_f32(v),
            Value::F64(v) => Slot::from_f64(v),
            Value::Ptr(v) => Slot::from_ptr(v),
        }
    }

    /// Reads a value of type `ty` from a slot.
    pub fn from_slot(ty: &Type, slot: Slot) -> Value {
        match ty {
            Type::Void => Value::Void,
            Type::Bool => Value::Bool(slot.as_bool()),
            Type::I8 => Value::I8(slot.as_i8()),
            Type::U8 => Value::U8(slot.as_u8()),
            Type::I16 => Value::I16(slot.as_i16()),
            Type::U16 => Value::U16(slot.as_u16()),
            Type::I32 => Value::I32(slot.as_i32()),
            Type::U32 => Value::U32(slot.as_u32()),
            Type::I64 => Value::I64(slot.as_i64()),
            Type::U64 => Value::U64(slot.as_u64()),
            Type::Isize => Value::Isize(slot.as_isize()),
            Type::Usize => Value::Usize(slot.as_usize()),
            Type::F32 => Value::F32(slot.as_f32()),
            Type::F64 => Value::F64(slot.as_f64()),
            Type::Ptr => Value::Ptr(slot.as_ptr()),
        }
    }
}

/// Prints as the CLI does: integers in decimal, floats as Rust's `{:?}`, bools as
/// `true`/`false`, pointers in `0x` hex, `Void` as nothing.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Void => Ok(()),
            Value::Bool(v) => write!(f, "{v}"),
            Value::I8(v) => write!(f, "{v}"),
            Value::U8(v) => write!(f, "{v}"),
            Value::I16(v) => write!(f, "{v}"),
            Value::U16(v) => write!(f, "{v}"),
            Value::I32(v) => write!(f, "{v}"),
            Value::U32(v) => write!(f, "{v}"),
            Value::I64(v) => write!(f, "{v}"),
            Value::U64(v) => write!(f, "{v}"),
            Value::Isize(v) => write!(f, "{v}"),
            Value::Usize(v) => write!(f, "{v}"),
            Value::F32(v) => write!(f, "{v:?}"),
            Value::F64(v) => write!(f, "{v:?}"),
            Value::Ptr(v) => write!(f, "{:#x}", *v as usize),
        }
    }
}
