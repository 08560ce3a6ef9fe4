//! Typed values for the checked API.

use crate::array::Slot;
use crate::types::Type;
use std::ffi::c_void;
use std::fmt;
use std::sync::Arc;

/// A C value tagged with its type, for the checked call API and the CLI.
///
/// Struct values hold their field values in order; array fields hold their elements.
#[derive(Clone, Debug, PartialEq)]
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
    /// A struct: its type and one value per field.
    Struct(Type, Vec<Value>),
    /// An array field: its type and one value per element.
    Array(Type, Vec<Value>),
}

// SAFETY: a `Value::Ptr` is an address carried as data; `Value` never dereferences
// it, so moving or sharing one between threads cannot cause a data race.
unsafe impl Send for Value {}
// SAFETY: as above.
unsafe impl Sync for Value {}

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
            Value::Struct(ty, _) | Value::Array(ty, _) => ty.clone(),
        }
    }

    /// Whether the value has type `ty` (cheaper than comparing with [`Value::ty`]: no
    /// `Type` is built).
    #[inline]
    pub fn has_type(&self, ty: &Type) -> bool {
        matches!(
            (self, ty),
            (Value::Void, Type::Void)
                | (Value::Bool(_), Type::Bool)
                | (Value::I8(_), Type::I8)
                | (Value::U8(_), Type::U8)
                | (Value::I16(_), Type::I16)
                | (Value::U16(_), Type::U16)
                | (Value::I32(_), Type::I32)
                | (Value::U32(_), Type::U32)
                | (Value::I64(_), Type::I64)
                | (Value::U64(_), Type::U64)
                | (Value::Isize(_), Type::Isize)
                | (Value::Usize(_), Type::Usize)
                | (Value::F32(_), Type::F32)
                | (Value::F64(_), Type::F64)
                | (Value::Ptr(_), Type::Ptr)
        ) || match (self, ty) {
            (Value::Struct(Type::Struct(own), _), Type::Struct(ty)) => {
                Arc::ptr_eq(own, ty) || own == ty
            }
            (Value::Array(Type::Array(own), _), Type::Array(ty)) => {
                Arc::ptr_eq(own, ty) || own == ty
            }
            _ => false,
        }
    }

    /// Builds a struct value, checking the fields against the struct's field types.
    pub fn structure(ty: &Type, fields: Vec<Value>) -> Result<Value, ValueError> {
        let layout = ty
            .as_struct()
            .ok_or_else(|| ValueError::NotAStruct(ty.clone()))?;
        check_members(layout.fields().iter(), &fields)?;
        Ok(Value::Struct(ty.clone(), fields))
    }

    /// Builds an array value, checking the elements against the array's element type.
    pub fn array(ty: &Type, elements: Vec<Value>) -> Result<Value, ValueError> {
        let Type::Array(array) = ty else {
            return Err(ValueError::NotAnArray(ty.clone()));
        };
        if elements.len() != array.len {
            return Err(ValueError::MemberCount {
                expected: array.len,
                found: elements.len(),
            });
        }
        check_members(std::iter::repeat_n(&array.element, array.len), &elements)?;
        Ok(Value::Array(ty.clone(), elements))
    }

    /// Checks that a struct or array value's members match its type, recursively
    /// (the variants are public, so a value can be built inconsistent).
    pub fn validate(&self) -> Result<(), ValueError> {
        match self {
            Value::Struct(ty, fields) => {
                let layout = ty
                    .as_struct()
                    .ok_or_else(|| ValueError::NotAStruct(ty.clone()))?;
                check_members(layout.fields().iter(), fields)?;
                fields.iter().try_for_each(Value::validate)
            }
            Value::Array(ty, elements) => {
                let Type::Array(array) = ty else {
                    return Err(ValueError::NotAnArray(ty.clone()));
                };
                check_members(std::iter::repeat_n(&array.element, array.len), elements)?;
                elements.iter().try_for_each(Value::validate)
            }
            _ => Ok(()),
        }
    }

    /// Writes the value in C layout into the first `ty().size()` bytes of `out`.
    ///
    /// # Panics
    /// If `out` is shorter than the value's size.
    pub fn encode(&self, out: &mut [u8]) {
        match self {
            Value::Struct(ty, fields) => {
                let layout = ty.as_struct().expect("struct values have struct types");
                for (field, &offset) in fields.iter().zip(layout.offsets()) {
                    field.encode(&mut out[offset..]);
                }
            }
            Value::Array(_, elements) => {
                let mut offset = 0;
                for element in elements {
                    element.encode(&mut out[offset..]);
                    offset += element.ty().size();
                }
            }
            scalar => {
                let size = scalar.ty().size();
                scalar.write_scalar(&scalar.ty(), &mut out[..size]);
            }
        }
    }

    /// Reads a value of type `ty` from C-layout bytes.
    ///
    /// # Panics
    /// If `bytes` is shorter than `ty.size()`.
    pub fn decode(ty: &Type, bytes: &[u8]) -> Value {
        match ty {
            Type::Struct(layout) => Value::Struct(ty.clone(), Value::decode_fields(layout, bytes)),
            Type::Array(array) => {
                let stride = array.element.size();
                Value::Array(
                    ty.clone(),
                    (0..array.len)
                        .map(|i| Value::decode(&array.element, &bytes[i * stride..]))
                        .collect(),
                )
            }
            scalar => Value::read_scalar(scalar, bytes),
        }
    }

    /// Decodes a struct's fields from its C bytes.
    #[inline(always)]
    pub(crate) fn decode_fields(layout: &crate::types::StructType, bytes: &[u8]) -> Vec<Value> {
        let count = layout.fields().len();
        let mut fields = Vec::with_capacity(count);
        // Each field is written straight into the vector's storage (no grow call
        // between building a value and storing it, so no stack copy).
        let spare = &mut fields.spare_capacity_mut()[..count];
        let members = layout.fields().iter().zip(layout.offsets());
        for (slot, (field, &offset)) in spare.iter_mut().zip(members) {
            if field.is_aggregate() {
                slot.write(Value::decode(field, &bytes[offset..]));
            } else {
                Value::read_scalar_into(slot, field, &bytes[offset..]);
            }
        }
        // SAFETY: the loop wrote all `count` elements (the zip is exact: the spare
        // slice has `count` elements, the layout `count` fields).
        unsafe { fields.set_len(count) };
        fields
    }

    /// Reads a scalar of type `ty` from the first bytes of `bytes` (`Void` for
    /// anything else).
    #[inline(always)]
    fn read_scalar(ty: &Type, bytes: &[u8]) -> Value {
        let mut out = std::mem::MaybeUninit::uninit();
        Value::read_scalar_into(&mut out, ty, bytes);
        // SAFETY: `read_scalar_into` writes a value for every type.
        unsafe { out.assume_init() }
    }

    /// [`Value::read_scalar`] written straight into `out`, variant by variant, so that
    /// no whole `Value` is built elsewhere and copied in.
    #[inline(always)]
    fn read_scalar_into(out: &mut std::mem::MaybeUninit<Value>, ty: &Type, bytes: &[u8]) {
        macro_rules! read {
            ($t:ty) => {{
                let mut raw = [0; size_of::<$t>()];
                raw.copy_from_slice(&bytes[..size_of::<$t>()]);
                <$t>::from_le_bytes(raw)
            }};
        }
        match ty {
            Type::Bool => out.write(Value::Bool(bytes[0] != 0)),
            Type::I8 => out.write(Value::I8(read!(i8))),
            Type::U8 => out.write(Value::U8(bytes[0])),
            Type::I16 => out.write(Value::I16(read!(i16))),
            Type::U16 => out.write(Value::U16(read!(u16))),
            Type::I32 => out.write(Value::I32(read!(i32))),
            Type::U32 => out.write(Value::U32(read!(u32))),
            Type::I64 => out.write(Value::I64(read!(i64))),
            Type::U64 => out.write(Value::U64(read!(u64))),
            Type::Isize => out.write(Value::Isize(read!(isize))),
            Type::Usize => out.write(Value::Usize(read!(usize))),
            Type::F32 => out.write(Value::F32(read!(f32))),
            Type::F64 => out.write(Value::F64(read!(f64))),
            Type::Ptr => out.write(Value::Ptr(read!(usize) as *mut c_void)),
            Type::Void | Type::Struct(_) | Type::Array(_) => out.write(Value::Void),
        };
    }

    /// Writes a scalar value of type `ty` into the first bytes of `out`; false (nothing
    /// written) when the value is not a `ty`.
    #[inline]
    fn write_scalar(&self, ty: &Type, out: &mut [u8]) -> bool {
        macro_rules! write {
            ($v:expr) => {{
                let raw = $v.to_le_bytes();
                out[..raw.len()].copy_from_slice(&raw);
            }};
        }
        match (self, ty) {
            (Value::Bool(v), Type::Bool) => out[0] = u8::from(*v),
            (Value::I8(v), Type::I8) => write!(v),
            (Value::U8(v), Type::U8) => out[0] = *v,
            (Value::I16(v), Type::I16) => write!(v),
            (Value::U16(v), Type::U16) => write!(v),
            (Value::I32(v), Type::I32) => write!(v),
            (Value::U32(v), Type::U32) => write!(v),
            (Value::I64(v), Type::I64) => write!(v),
            (Value::U64(v), Type::U64) => write!(v),
            (Value::Isize(v), Type::Isize) => write!(v),
            (Value::Usize(v), Type::Usize) => write!(v),
            (Value::F32(v), Type::F32) => write!(v),
            (Value::F64(v), Type::F64) => write!(v),
            (Value::Ptr(v), Type::Ptr) => write!(*v as usize),
            _ => return false,
        }
        true
    }

    /// Checks a value against `ty` (members, recursively, as [`Value::validate`] does
    /// for a value of that type) while writing it in C layout into `out` (at least
    /// `ty.size()` bytes): one walk instead of a validation and an encoding. On an
    /// error, `out` may be partly written.
    pub fn encode_checked(&self, ty: &Type, out: &mut [u8]) -> Result<(), ValueError> {
        let member = |index: usize, expected: &Type, found: &Value| ValueError::MemberType {
            index,
            expected: expected.clone(),
            found: found.ty(),
        };
        let encode_member = |index: usize, value: &Value, ty: &Type, out: &mut [u8]| {
            if ty.is_aggregate() {
                if !value.has_type(ty) {
                    return Err(member(index, ty, value));
                }
                value.encode_checked(ty, out)
            } else if value.write_scalar(ty, out) {
                Ok(())
            } else {
                Err(member(index, ty, value))
            }
        };
        match (self, ty) {
            (Value::Struct(_, fields), Type::Struct(layout)) => {
                if fields.len() != layout.fields().len() {
                    return Err(ValueError::MemberCount {
                        expected: layout.fields().len(),
                        found: fields.len(),
                    });
                }
                let members = fields
                    .iter()
                    .zip(layout.fields().iter().zip(layout.offsets()));
                for (index, (field, (ty, &offset))) in members.enumerate() {
                    encode_member(index, field, ty, &mut out[offset..])?;
                }
                Ok(())
            }
            (Value::Array(_, elements), Type::Array(array)) => {
                if elements.len() != array.len {
                    return Err(ValueError::MemberCount {
                        expected: array.len,
                        found: elements.len(),
                    });
                }
                let stride = array.element.size();
                for (index, element) in elements.iter().enumerate() {
                    encode_member(index, element, &array.element, &mut out[index * stride..])?;
                }
                Ok(())
            }
            (Value::Struct(..), _) => Err(ValueError::NotAStruct(ty.clone())),
            (Value::Array(..), _) => Err(ValueError::NotAnArray(ty.clone())),
            (scalar, _) => {
                if scalar.write_scalar(ty, out) {
                    Ok(())
                } else {
                    Err(member(0, ty, scalar))
                }
            }
        }
    }

    /// A scalar value in the array layout (`Void` gives an empty slot). Aggregates do
    /// not fit in a slot (the array holds a pointer to their bytes; see
    /// [`crate::array`]): they give an empty slot too; use [`Value::encode`].
    #[inline]
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
            Value::Struct(..) | Value::Array(..) => Slot::default(),
        }
    }

    /// A scalar value as a result slot: like [`Value::to_slot`], but integers (and
    /// `bool`) sign- or zero-extended to the whole slot, as the array layout writes
    /// results.
    #[inline]
    pub fn to_result_slot(&self) -> Slot {
        match *self {
            Value::I8(v) => Slot::from_i64(v.into()),
            Value::I16(v) => Slot::from_i64(v.into()),
            Value::I32(v) => Slot::from_i64(v.into()),
            _ => self.to_slot(),
        }
    }

    /// Reads a scalar value of type `ty` from a slot.
    ///
    /// # Panics
    /// If `ty` is a struct or array: their slots hold a pointer, which only
    /// [`Value::decode`] of the pointed-to bytes can turn into a value.
    #[inline]
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
            Type::Struct(_) | Type::Array(_) => {
                panic!("Value::from_slot({ty}): aggregates are decoded from their bytes")
            }
        }
    }
}

/// Writes the scalar of type `ty` in `slot` into `out`, variant by variant, so that no
/// whole `Value` is built elsewhere and copied (a copy that stalls on store
/// forwarding, measured in the callback handler).
///
/// # Panics
/// As [`Value::from_slot`], for aggregates.
#[inline(always)]
pub(crate) fn write_from_slot(out: &mut std::mem::MaybeUninit<Value>, ty: &Type, slot: Slot) {
    match ty {
        Type::Void => out.write(Value::Void),
        Type::Bool => out.write(Value::Bool(slot.as_bool())),
        Type::I8 => out.write(Value::I8(slot.as_i8())),
        Type::U8 => out.write(Value::U8(slot.as_u8())),
        Type::I16 => out.write(Value::I16(slot.as_i16())),
        Type::U16 => out.write(Value::U16(slot.as_u16())),
        Type::I32 => out.write(Value::I32(slot.as_i32())),
        Type::U32 => out.write(Value::U32(slot.as_u32())),
        Type::I64 => out.write(Value::I64(slot.as_i64())),
        Type::U64 => out.write(Value::U64(slot.as_u64())),
        Type::Isize => out.write(Value::Isize(slot.as_isize())),
        Type::Usize => out.write(Value::Usize(slot.as_usize())),
        Type::F32 => out.write(Value::F32(slot.as_f32())),
        Type::F64 => out.write(Value::F64(slot.as_f64())),
        Type::Ptr => out.write(Value::Ptr(slot.as_ptr())),
        Type::Struct(_) | Type::Array(_) => {
            panic!("write_from_slot({ty}): aggregates are decoded from their bytes")
        }
    };
}

/// A struct or array value that does not match its type.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ValueError {
    /// `Value::structure` with a type that is not a struct.
    #[error("{0} is not a struct type")]
    NotAStruct(Type),
    /// `Value::array` with a type that is not an array.
    #[error("{0} is not an array type")]
    NotAnArray(Type),
    /// Wrong number of fields or elements.
    #[error("expected {expected} fields or elements, found {found}")]
    MemberCount {
        /// Members the type has.
        expected: usize,
        /// Members given.
        found: usize,
    },
    /// A field or element of the wrong type.
    #[error("member {index} has type {found}, expected {expected}")]
    MemberType {
        /// Zero-based member index.
        index: usize,
        /// The type's member type.
        expected: Type,
        /// The value's type.
        found: Type,
    },
}

fn check_members<'a>(
    types: impl ExactSizeIterator<Item = &'a Type>,
    values: &[Value],
) -> Result<(), ValueError> {
    if types.len() != values.len() {
        return Err(ValueError::MemberCount {
            expected: types.len(),
            found: values.len(),
        });
    }
    for (index, (ty, value)) in types.zip(values).enumerate() {
        if !value.has_type(ty) {
            return Err(ValueError::MemberType {
                index,
                expected: ty.clone(),
                found: value.ty(),
            });
        }
    }
    Ok(())
}

/// Prints as the CLI does: integers in decimal, floats as Rust's `{:?}`, bools as
/// `true`/`false`, pointers in `0x` hex, `Void` as nothing, structs as `{1, 2.5}` and
/// arrays as `[1, 2]`.
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
            Value::Struct(_, members) | Value::Array(_, members) => {
                let (open, close) = if matches!(self, Value::Struct(..)) {
                    ("{", "}")
                } else {
                    ("[", "]")
                };
                f.write_str(open)?;
                for (i, member) in members.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{member}")?;
                }
                f.write_str(close)
            }
        }
    }
}
