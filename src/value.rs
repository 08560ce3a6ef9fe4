//! Typed values for the checked API.

use crate::array::Slot;
use crate::long_float::{F128, F80};
use crate::types::Type;
use std::ffi::c_void;
use std::fmt;

/// A C value tagged with its type, for the checked call API and the CLI.
///
/// Struct and array values are [`Aggregate`]s: their type and their bytes in C layout,
/// with the members decoded on demand.
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
    /// `i128` (`__int128`)
    I128(i128),
    /// `u128` (`unsigned __int128`)
    U128(u128),
    /// `isize`
    Isize(isize),
    /// `usize`
    Usize(usize),
    /// `f32`
    F32(f32),
    /// `f64`
    F64(f64),
    /// `f80`: an x87 `long double`, as its bytes.
    F80(F80),
    /// `f128`: a binary128 `long double` or `__float128`, as its bytes.
    F128(F128),
    /// `ptr`
    Ptr(*mut c_void),
    /// A struct: its type and its bytes.
    Struct(Aggregate),
    /// An array field: its type and its bytes.
    Array(Aggregate),
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
            Value::I128(_) => Type::I128,
            Value::U128(_) => Type::U128,
            Value::Isize(_) => Type::Isize,
            Value::Usize(_) => Type::Usize,
            Value::F32(_) => Type::F32,
            Value::F64(_) => Type::F64,
            Value::F80(_) => Type::F80,
            Value::F128(_) => Type::F128,
            Value::Ptr(_) => Type::Ptr,
            Value::Struct(aggregate) | Value::Array(aggregate) => aggregate.ty.clone(),
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
                | (Value::I128(_), Type::I128)
                | (Value::U128(_), Type::U128)
                | (Value::Isize(_), Type::Isize)
                | (Value::Usize(_), Type::Usize)
                | (Value::F32(_), Type::F32)
                | (Value::F64(_), Type::F64)
                | (Value::F80(_), Type::F80)
                | (Value::F128(_), Type::F128)
                | (Value::Ptr(_), Type::Ptr)
        ) || match (self, ty) {
            (Value::Struct(aggregate) | Value::Array(aggregate), _) => aggregate.has_type(ty),
            _ => false,
        }
    }

    /// Builds a struct value from its fields, checking them against the struct's field
    /// types.
    pub fn structure(ty: &Type, fields: &[Value]) -> Result<Value, ValueError> {
        let layout = ty
            .as_struct()
            .ok_or_else(|| ValueError::NotAStruct(ty.clone()))?;
        check_members(layout.fields().iter(), fields)?;
        let mut aggregate = Aggregate::zeroed(ty);
        let bytes = aggregate.bytes_mut();
        for (field, &offset) in fields.iter().zip(layout.offsets()) {
            field.encode(&mut bytes[offset..]);
        }
        Ok(Value::Struct(aggregate))
    }

    /// Builds an array value from its elements, checking them against the array's
    /// element type.
    pub fn array(ty: &Type, elements: &[Value]) -> Result<Value, ValueError> {
        let Type::Array(array) = ty else {
            return Err(ValueError::NotAnArray(ty.clone()));
        };
        check_members(std::iter::repeat_n(&array.element, array.len), elements)?;
        let mut aggregate = Aggregate::zeroed(ty);
        let stride = array.element.size();
        let bytes = aggregate.bytes_mut();
        for (index, element) in elements.iter().enumerate() {
            element.encode(&mut bytes[index * stride..]);
        }
        Ok(Value::Array(aggregate))
    }

    /// A struct or array value of type `ty` (an aggregate) with all bytes zero.
    #[inline]
    pub(crate) fn aggregate_zeroed(ty: &Type) -> Value {
        match ty {
            Type::Array(_) => Value::Array(Aggregate::zeroed(ty)),
            _ => Value::Struct(Aggregate::zeroed(ty)),
        }
    }

    /// A new value of type `ty` (an aggregate) from the bytes `fill` writes (8-aligned,
    /// `ty.size()` of them).
    ///
    /// Small aggregates are written into scratch words on this stack and read back one
    /// word at a time into the new value: a trampoline stores a result in pieces of at
    /// most 8 bytes, and the wider loads of a value's copy (into the caller's place,
    /// say) would stall on store forwarding if they read those stores.
    #[inline(always)]
    pub(crate) fn aggregate_filled<E>(
        ty: &Type,
        fill: impl FnOnce(&mut [u8]) -> Result<(), E>,
    ) -> Result<Value, E> {
        let used = ty.size().div_ceil(8);
        if used > INLINE_WORDS {
            let mut value = Value::aggregate_zeroed(ty);
            value.fill_aggregate(ty, fill)?;
            return Ok(value);
        }
        let mut scratch = [0u64; INLINE_WORDS];
        // SAFETY: `u64` has no padding and every byte pattern is a `u8`; the words hold
        // at least `ty.size()` bytes.
        fill(unsafe { std::slice::from_raw_parts_mut(scratch.as_mut_ptr().cast(), ty.size()) })?;
        let words = std::array::from_fn(|i| match i < used {
            // SAFETY: a word of `scratch`; a volatile read keeps it one 8-byte load.
            true => unsafe { std::ptr::read_volatile(&scratch[i]) },
            false => 0,
        });
        let aggregate = Aggregate {
            ty: ty.clone(),
            words: Words::Inline(words),
        };
        Ok(match ty {
            Type::Array(_) => Value::Array(aggregate),
            _ => Value::Struct(aggregate),
        })
    }

    /// Lets `fill` write a value of type `ty` (an aggregate) into bytes that become
    /// this value: its own storage when it already is an aggregate of that type, else
    /// fresh zeroed bytes that replace it once `fill` succeeds.
    #[inline]
    pub(crate) fn fill_aggregate<E>(
        &mut self,
        ty: &Type,
        fill: impl FnOnce(&mut [u8]) -> Result<(), E>,
    ) -> Result<(), E> {
        match self {
            Value::Struct(aggregate) | Value::Array(aggregate) if aggregate.has_type(ty) => {
                fill(aggregate.bytes_mut())
            }
            _ => {
                let mut fresh = Value::aggregate_zeroed(ty);
                if let Value::Struct(aggregate) | Value::Array(aggregate) = &mut fresh {
                    fill(aggregate.bytes_mut())?;
                }
                *self = fresh;
                Ok(())
            }
        }
    }

    /// Writes the value in C layout into the first `ty().size()` bytes of `out`.
    ///
    /// # Panics
    /// If `out` is shorter than the value's size.
    pub fn encode(&self, out: &mut [u8]) {
        match self {
            Value::Struct(aggregate) | Value::Array(aggregate) => {
                let bytes = aggregate.as_bytes();
                out[..bytes.len()].copy_from_slice(bytes);
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
            Type::Struct(_) => Value::Struct(Aggregate::copied(ty, bytes)),
            Type::Array(_) => Value::Array(Aggregate::copied(ty, bytes)),
            scalar => Value::read_scalar(scalar, bytes),
        }
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
            Type::I128 => out.write(Value::I128(read!(i128))),
            Type::U128 => out.write(Value::U128(read!(u128))),
            Type::Isize => out.write(Value::Isize(read!(isize))),
            Type::Usize => out.write(Value::Usize(read!(usize))),
            Type::F32 => out.write(Value::F32(read!(f32))),
            Type::F64 => out.write(Value::F64(read!(f64))),
            Type::F80 => out.write(Value::F80(F80::from_bytes(read!(u128).to_le_bytes()))),
            Type::F128 => out.write(Value::F128(F128::from_bytes(read!(u128).to_le_bytes()))),
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
            (Value::I128(v), Type::I128) => write!(v),
            (Value::U128(v), Type::U128) => write!(v),
            (Value::Isize(v), Type::Isize) => write!(v),
            (Value::Usize(v), Type::Usize) => write!(v),
            (Value::F32(v), Type::F32) => write!(v),
            (Value::F64(v), Type::F64) => write!(v),
            (Value::F80(v), Type::F80) => out[..16].copy_from_slice(&v.to_bytes()),
            (Value::F128(v), Type::F128) => out[..16].copy_from_slice(&v.to_bytes()),
            (Value::Ptr(v), Type::Ptr) => write!(*v as usize),
            _ => return false,
        }
        true
    }

    /// A scalar value in the array layout (`Void` gives an empty slot). Aggregates do
    /// and the 16-byte scalars (`i128`, `u128`, `f80`, `f128`) do not fit in a slot (the array holds a pointer to their bytes; see
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
            Value::I128(..)
            | Value::U128(..)
            | Value::F80(..)
            | Value::F128(..)
            | Value::Struct(..)
            | Value::Array(..) => Slot::default(),
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
    /// If `ty` is a struct, an array or a 16-byte scalar (`i128`, `u128`, `f80`, `f128`): their slots hold a pointer, which only
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
            Type::I128 | Type::U128 | Type::F80 | Type::F128 | Type::Struct(_) | Type::Array(_) => {
                panic!(
                    "Value::from_slot({ty}): values held by address are decoded from their bytes"
                )
            }
        }
    }
}

/// Bytes of an aggregate held in the value itself, up to this many 8-byte words
/// (32 bytes: every struct the conventions pass in registers, four-`double` HFAs
/// included); larger ones are on the heap.
const INLINE_WORDS: usize = 4;

/// A struct or array value: its type and its bytes in C layout (padding zero when
/// built from members). Members are decoded when asked for, so passing one to C or
/// receiving one from C is a copy of its bytes, with no allocation up to 32 bytes.
#[derive(Clone)]
pub struct Aggregate {
    ty: Type,
    words: Words,
}

/// An aggregate's bytes, as 8-byte words so that they are aligned for every field
/// the trampolines read through a pointer to them.
#[derive(Clone)]
enum Words {
    Inline([u64; INLINE_WORDS]),
    Heap(Box<[u64]>),
}

impl Aggregate {
    /// All-zero bytes of type `ty` (an aggregate).
    #[inline]
    fn zeroed(ty: &Type) -> Aggregate {
        let words = ty.size().div_ceil(8);
        let words = if words <= INLINE_WORDS {
            Words::Inline([0; INLINE_WORDS])
        } else {
            Words::Heap(vec![0; words].into_boxed_slice())
        };
        Aggregate {
            ty: ty.clone(),
            words,
        }
    }

    /// A value of type `ty` (an aggregate) with a copy of the first `ty.size()` bytes
    /// of `bytes`.
    ///
    /// # Panics
    /// If `bytes` is shorter than `ty.size()`.
    #[inline]
    fn copied(ty: &Type, bytes: &[u8]) -> Aggregate {
        let mut aggregate = Aggregate::zeroed(ty);
        let size = aggregate.as_bytes().len();
        aggregate.bytes_mut().copy_from_slice(&bytes[..size]);
        aggregate
    }

    /// A struct or array value of type `ty` from its C-layout bytes (`ty.size()` of
    /// them): what C code holds, padding included.
    pub fn from_bytes(ty: &Type, bytes: &[u8]) -> Result<Value, ValueError> {
        let wrap = match ty {
            Type::Struct(_) => Value::Struct,
            Type::Array(_) => Value::Array,
            _ => return Err(ValueError::NotAnAggregate(ty.clone())),
        };
        if bytes.len() != ty.size() {
            return Err(ValueError::ByteCount {
                ty: ty.clone(),
                found: bytes.len(),
            });
        }
        Ok(wrap(Aggregate::copied(ty, bytes)))
    }

    /// The value's type.
    pub fn ty(&self) -> &Type {
        &self.ty
    }

    /// The value's bytes in C layout (`ty().size()` of them).
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        let words: &[u64] = match &self.words {
            Words::Inline(words) => words,
            Words::Heap(words) => words,
        };
        // SAFETY: `u64` has no padding and every byte pattern is a `u8`; the words hold
        // at least `size` bytes (`zeroed` counted them).
        unsafe { std::slice::from_raw_parts(words.as_ptr().cast(), self.ty.size()) }
    }

    /// The bytes, to be written in C layout (by a trampoline, for a result).
    #[inline]
    pub(crate) fn bytes_mut(&mut self) -> &mut [u8] {
        let size = self.ty.size();
        let words: &mut [u64] = match &mut self.words {
            Words::Inline(words) => words,
            Words::Heap(words) => words,
        };
        // SAFETY: as in `as_bytes`, and every `u8` pattern is a valid `u64` byte.
        unsafe { std::slice::from_raw_parts_mut(words.as_mut_ptr().cast(), size) }
    }

    /// Whether the value has type `ty` (the same type, or an equal one: for interned
    /// types, one address compare).
    #[inline]
    pub fn has_type(&self, ty: &Type) -> bool {
        match (&self.ty, ty) {
            (Type::Struct(own), Type::Struct(ty)) => std::ptr::eq(*own, *ty) || own == ty,
            (Type::Array(own), Type::Array(ty)) => std::ptr::eq(*own, *ty) || own == ty,
            _ => false,
        }
    }

    /// The number of members: fields of a struct, elements of an array.
    pub fn len(&self) -> usize {
        match &self.ty {
            Type::Struct(layout) => layout.fields().len(),
            Type::Array(array) => array.len,
            _ => 0,
        }
    }

    /// Whether the value has no members (never true: C has no empty aggregates, and
    /// springboard's types reject them).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Member `index` (a field of a struct, an element of an array), decoded from
    /// the bytes; `None` past the last member.
    pub fn member(&self, index: usize) -> Option<Value> {
        let (ty, offset) = match &self.ty {
            Type::Struct(layout) => (layout.fields().get(index)?, layout.offsets()[index]),
            Type::Array(array) if index < array.len => {
                (&array.element, index * array.element.size())
            }
            _ => return None,
        };
        Some(Value::decode(ty, &self.as_bytes()[offset..]))
    }

    /// Every member in order, decoded from the bytes.
    pub fn members(&self) -> Vec<Value> {
        (0..self.len())
            .filter_map(|index| self.member(index))
            .collect()
    }
}

/// Equal when the types are equal and so is every member (so padding bytes do not
/// count, and floating-point members compare as floats do).
impl PartialEq for Aggregate {
    fn eq(&self, other: &Aggregate) -> bool {
        self.has_type(&other.ty) && self.members() == other.members()
    }
}

impl fmt::Debug for Aggregate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Aggregate")
            .field("ty", &format_args!("{}", self.ty))
            .field("members", &self.members())
            .finish()
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
        Type::I128 | Type::U128 | Type::F80 | Type::F128 | Type::Struct(_) | Type::Array(_) => {
            panic!("write_from_slot({ty}): values held by address are decoded from their bytes")
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
    /// `Aggregate::from_bytes` with a type that is neither a struct nor an array.
    #[error("{0} is not a struct or array type")]
    NotAnAggregate(Type),
    /// `Aggregate::from_bytes` with the wrong number of bytes.
    #[error("{ty} takes {} bytes, found {found}", ty.size())]
    ByteCount {
        /// The aggregate's type.
        ty: Type,
        /// Bytes given.
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
            Value::I128(v) => write!(f, "{v}"),
            Value::U128(v) => write!(f, "{v}"),
            Value::Isize(v) => write!(f, "{v}"),
            Value::Usize(v) => write!(f, "{v}"),
            Value::F32(v) => write!(f, "{v:?}"),
            Value::F64(v) => write!(f, "{v:?}"),
            Value::F80(v) => write!(f, "{v}"),
            Value::F128(v) => write!(f, "{v}"),
            Value::Ptr(v) => write!(f, "{:#x}", *v as usize),
            Value::Struct(aggregate) | Value::Array(aggregate) => {
                let members = aggregate.members();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(text: &str) -> Type {
        text.parse().unwrap()
    }

    #[test]
    fn a_struct_value_is_its_c_bytes() {
        let pair = ty("{i8, f64}");
        let value = Value::structure(&pair, &[Value::I8(-2), Value::F64(1.5)]).unwrap();
        let Value::Struct(aggregate) = &value else {
            panic!("{value:?}")
        };
        let mut expected = [0u8; 16];
        expected[0] = 0xfe;
        expected[8..].copy_from_slice(&1.5f64.to_le_bytes());
        assert_eq!(aggregate.as_bytes(), expected, "padding is zero");
        assert_eq!(aggregate.len(), 2);
        assert_eq!(aggregate.member(1), Some(Value::F64(1.5)));
        assert_eq!(aggregate.member(2), None);
        assert_eq!(value.to_string(), "{-2, 1.5}");
    }

    #[test]
    fn large_aggregates_and_nested_members_round_trip() {
        // 48 bytes: past the inline words.
        let big = ty("{[u16; 3], {f64, i32}, [f64; 4]}");
        assert!(big.size() > INLINE_WORDS * 8);
        let fields = big.as_struct().unwrap().fields();
        let inner = ty("{f64, i32}");
        let shorts = [Value::U16(1), Value::U16(2), Value::U16(3)];
        let shorts = Value::array(&fields[0], &shorts).unwrap();
        let middle = Value::structure(&inner, &[Value::F64(-0.0), Value::I32(7)]).unwrap();
        let doubles: Vec<Value> = (0..4).map(|i| Value::F64(f64::from(i))).collect();
        let doubles = Value::array(&fields[2], &doubles).unwrap();
        let value = Value::structure(&big, &[shorts, middle.clone(), doubles]).unwrap();
        let mut bytes = vec![0u8; big.size()];
        value.encode(&mut bytes);
        let decoded = Value::decode(&big, &bytes);
        assert_eq!(decoded, value);
        let Value::Struct(aggregate) = &decoded else {
            panic!("{decoded:?}")
        };
        assert_eq!(aggregate.member(1), Some(middle));
        assert_eq!(
            decoded.to_string(),
            "{[1, 2, 3], {-0.0, 7}, [0.0, 1.0, 2.0, 3.0]}"
        );
    }

    #[test]
    fn equality_is_by_type_and_members_not_padding() {
        let pair = ty("{i8, f64}");
        let mut bytes = [0u8; 16];
        bytes[0] = 5;
        bytes[1..8].fill(0xaa); // padding, as C may leave it
        let from_c = Aggregate::from_bytes(&pair, &bytes).unwrap();
        let built = Value::structure(&pair, &[Value::I8(5), Value::F64(0.0)]).unwrap();
        assert_eq!(from_c, built);
        let other = Value::structure(&ty("{u8, f64}"), &[Value::U8(5), Value::F64(0.0)]).unwrap();
        assert_ne!(other, built, "another type");
        let different = Value::structure(&pair, &[Value::I8(5), Value::F64(-0.0)]).unwrap();
        assert_eq!(different, built, "members compare as floats do");
        let nan = Value::structure(&pair, &[Value::I8(5), Value::F64(f64::NAN)]).unwrap();
        assert_ne!(nan, nan.clone());
    }

    #[test]
    fn bad_members_and_bytes_are_errors() {
        let pair = ty("{i32, f64}");
        assert_eq!(
            Value::structure(&pair, &[Value::I32(1)]),
            Err(ValueError::MemberCount {
                expected: 2,
                found: 1
            })
        );
        assert_eq!(
            Value::structure(&pair, &[Value::I32(1), Value::F32(1.0)]),
            Err(ValueError::MemberType {
                index: 1,
                expected: Type::F64,
                found: Type::F32
            })
        );
        assert_eq!(
            Value::structure(&Type::I32, &[]),
            Err(ValueError::NotAStruct(Type::I32))
        );
        assert_eq!(
            Value::array(&pair, &[]),
            Err(ValueError::NotAnArray(pair.clone()))
        );
        let err = Aggregate::from_bytes(&pair, &[0; 15]).unwrap_err();
        assert_eq!(err.to_string(), "{i32, f64} takes 16 bytes, found 15");
        let err = Aggregate::from_bytes(&Type::F64, &[0; 8]).unwrap_err();
        assert_eq!(err, ValueError::NotAnAggregate(Type::F64));
    }
}
