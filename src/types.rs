//! C types as springboard sees them.
//!
//! A [`Type`] is a C scalar (every integer width up to `__int128`, `float`, `double`, the
//! two `long double` formats, `bool`, a data pointer), a struct (passed and returned by value), a fixed-size array (only as a
//! struct field, as in C), or `void` for results. Sizes and alignments are those of the
//! C types on every target springboard compiles for (all have 64-bit pointers and
//! naturally aligned scalars); struct layout follows the C rules: each field at the next
//! offset that is a multiple of its alignment, the struct aligned to its most aligned
//! field, its size rounded up to that alignment (tail padding).
//!
//! ```
//! use springboard::Type;
//! let ty: Type = "{i8, {i16, i32}, [f32; 3]}".parse()?;
//! let layout = ty.as_struct().unwrap();
//! assert_eq!(layout.offsets(), &[0, 4, 12]);
//! assert_eq!((ty.size(), ty.align()), (24, 4));
//! # Ok::<(), springboard::ParseError>(())
//! ```
//!
//! Struct and array types are *interned*: [`Type::structure`], [`Type::array`] and the
//! parser keep one layout per distinct type for the life of the process and hand out
//! `&'static` references to it, so a [`Type`] is two words, cloning one costs nothing
//! (no reference count, no atomic operation) and equal aggregate types are one
//! address. The memory this holds is bounded by the number of distinct struct and
//! array types a process builds, not by how often it builds them:
//!
//! ```
//! use springboard::Type;
//! let a: Type = "{f64, f64}".parse()?;
//! let b = Type::structure([Type::F64, Type::F64]).unwrap();
//! assert!(std::ptr::eq(a.as_struct().unwrap(), b.as_struct().unwrap()));
//! # Ok::<(), springboard::ParseError>(())
//! ```

use std::collections::HashSet;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::{LazyLock, Mutex, PoisonError};

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
    /// `__int128` (GCC and Clang): travels as two 8-byte halves, like a 16-aligned
    /// struct of two integers, except where a convention says otherwise (see
    /// `src/abi/`). In the argument array its slot holds a pointer to its 16 bytes.
    I128,
    /// `unsigned __int128`, as [`Type::I128`].
    U128,
    /// `intptr_t` / `ssize_t`: pointer-sized signed integer.
    Isize,
    /// `uintptr_t` / `size_t`: pointer-sized unsigned integer.
    Usize,
    /// `float`
    F32,
    /// `double`
    F64,
    /// The x87 80-bit extended format: `long double` on x86-64 (System V, and gcc's
    /// `ms_abi`). 16 bytes, 16-aligned; the value is the low 10 bytes (64-bit
    /// significand with an explicit integer bit, 15-bit exponent, sign), the rest is
    /// padding. Held by address in the argument array, like [`Type::I128`]. Only x86-64
    /// conventions accept it (see [`crate::F80`] for values).
    F80,
    /// IEEE 754 binary128: `long double` on Linux aarch64 and RISC-V (LP64D), and gcc's
    /// `__float128` on x86-64. 16 bytes, 16-aligned, held by address like
    /// [`Type::I128`]. Apple arm64 has no such type (see [`crate::F128`] for values).
    F128,
    /// Any data or function pointer.
    Ptr,
    /// A C struct, by value: its layout, interned (see [`StructType::intern`]).
    Struct(&'static StructType),
    /// A C array `[T; N]`: only valid as a struct field. Interned like structs (see
    /// [`ArrayType::intern`]).
    Array(&'static ArrayType),
}

/// The layout of a C struct: its fields and where they are.
///
/// Equality and hashing are by content; an interned layout compares equal to itself
/// by address first.
#[derive(Clone, Debug, Eq)]
pub struct StructType {
    fields: Vec<Type>,
    offsets: Vec<usize>,
    size: usize,
    align: usize,
    /// Whether this is C's `_Complex long double` rather than a struct of two (see
    /// [`Type::complex`]).
    complex: bool,
}

/// A fixed-size array field.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ArrayType {
    /// The element type.
    pub element: Type,
    /// The number of elements (at least 1).
    pub len: usize,
}

/// An aggregate type that C does not allow by value.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TypeError {
    /// A struct without fields (zero-sized in C++ and a GNU extension in C).
    #[error("a struct needs at least one field")]
    EmptyStruct,
    /// An array of length zero.
    #[error("an array needs at least one element")]
    EmptyArray,
    /// `void` as a struct field or array element.
    #[error("void cannot be a struct field or array element")]
    VoidMember,
    /// A struct or array too large to lay out.
    #[error("the aggregate is too large")]
    TooLarge,
    /// `complex<T>` with an element type that is not a real floating type.
    #[error("complex<{0}>: the element of a complex type must be f32, f64, f80 or f128")]
    ComplexElement(Type),
}

impl PartialEq for StructType {
    fn eq(&self, other: &StructType) -> bool {
        std::ptr::eq(self, other)
            || (self.size == other.size
                && self.align == other.align
                && self.complex == other.complex
                && self.fields == other.fields)
    }
}

/// Consistent with `PartialEq`: the offsets, size and alignment follow from the fields.
impl Hash for StructType {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.fields.hash(state);
        self.complex.hash(state);
    }
}

/// The interned struct layouts (see the module documentation).
static STRUCTS: LazyLock<Mutex<HashSet<&'static StructType>>> = LazyLock::new(Default::default);
/// The interned array types.
static ARRAYS: LazyLock<Mutex<HashSet<&'static ArrayType>>> = LazyLock::new(Default::default);

/// The process-lifetime copy of `value` in `set`, made (and leaked, once per distinct
/// value) on first use.
fn intern<T: Eq + Hash>(set: &Mutex<HashSet<&'static T>>, value: T) -> &'static T {
    // A panic while the lock was held cannot leave the set half-updated (an insert
    // either happened or did not), so a poisoned lock is used as it is.
    let mut set = set.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(&interned) = set.get(&value) {
        return interned;
    }
    let interned: &'static T = Box::leak(Box::new(value));
    set.insert(interned);
    interned
}

impl StructType {
    /// Lays out a struct with these fields, as a C compiler would.
    pub fn new(fields: Vec<Type>) -> Result<StructType, TypeError> {
        if fields.is_empty() {
            return Err(TypeError::EmptyStruct);
        }
        let mut offsets = Vec::with_capacity(fields.len());
        let (mut end, mut align) = (0usize, 1usize);
        for field in &fields {
            if field.is_void() {
                return Err(TypeError::VoidMember);
            }
            let offset = end
                .checked_next_multiple_of(field.align())
                .ok_or(TypeError::TooLarge)?;
            offsets.push(offset);
            end = offset
                .checked_add(field.size())
                .ok_or(TypeError::TooLarge)?;
            align = align.max(field.align());
        }
        let size = end
            .checked_next_multiple_of(align)
            .ok_or(TypeError::TooLarge)?;
        if size > i32::MAX as usize {
            return Err(TypeError::TooLarge);
        }
        Ok(StructType {
            fields,
            offsets,
            size,
            align,
            complex: false,
        })
    }

    /// True for `complex<f80>`, C's `_Complex long double` (see [`Type::complex`]):
    /// laid out as its two fields, real part first, but a type of its own, since
    /// System V returns it unlike the struct.
    pub fn is_complex(&self) -> bool {
        self.complex
    }

    /// The fields, in order.
    pub fn fields(&self) -> &[Type] {
        &self.fields
    }

    /// Byte offset of each field.
    pub fn offsets(&self) -> &[usize] {
        &self.offsets
    }

    /// The process-lifetime layout equal to this one, for [`Type::Struct`]: the first
    /// call for a distinct layout keeps it (allocated once, never freed), later ones
    /// return that same reference.
    pub fn intern(self) -> &'static StructType {
        intern(&STRUCTS, self)
    }
}

impl ArrayType {
    /// An array type; fails for zero elements, `void` elements or overflow.
    pub fn new(element: Type, len: usize) -> Result<ArrayType, TypeError> {
        if len == 0 {
            return Err(TypeError::EmptyArray);
        }
        if element.is_void() {
            return Err(TypeError::VoidMember);
        }
        match element.size().checked_mul(len) {
            Some(size) if size <= i32::MAX as usize => Ok(ArrayType { element, len }),
            _ => Err(TypeError::TooLarge),
        }
    }

    /// The process-lifetime array type equal to this one, for [`Type::Array`] (as
    /// [`StructType::intern`]).
    pub fn intern(self) -> &'static ArrayType {
        intern(&ARRAYS, self)
    }
}

/// The broad class of a scalar, which is what calling conventions dispatch on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ScalarClass {
    /// An integer, `bool` or pointer: travels in general-purpose registers.
    Integer {
        /// Size in bytes (1, 2, 4, 8, or 16 for `i128`/`u128`).
        bytes: u8,
        /// Whether the value is sign-extended when widened.
        signed: bool,
    },
    /// A binary floating-point value: travels in vector/float registers.
    Float {
        /// Size in bytes (4 or 8).
        bytes: u8,
    },
    /// The x87 80-bit extended format in 16 bytes ([`Type::F80`]).
    X87,
    /// IEEE binary128 in 16 bytes ([`Type::F128`]).
    Binary128,
}

impl Type {
    /// A struct type with these fields (see [`StructType::new`]), interned.
    pub fn structure(fields: impl Into<Vec<Type>>) -> Result<Type, TypeError> {
        Ok(Type::Struct(StructType::new(fields.into())?.intern()))
    }

    /// C's `_Complex` of a real floating type, written `complex<T>` in signature text:
    /// laid out as a struct of two `T`, the real part first (C17 §6.2.5p13).
    ///
    /// For `f32`, `f64` and `f128` the result *is* that struct `{T, T}`: every
    /// convention springboard implements passes and returns those complex types
    /// exactly as the struct (System V psABI §3.2.3 classifies `complex T` "as if"
    /// `struct { T real; T imag; }`; AAPCS64 §5.9.5 counts it as a homogeneous
    /// aggregate of two `T`; the RISC-V psABI passes a complex "as though it were a
    /// struct containing two floating-point reals"; gcc's `ms_abi` and Microsoft x64
    /// pass and return it as the struct of its size), so a type of their own would be
    /// a second name for one lowering. `f80` is its own type, printed
    /// `complex<f80>`: System V gives `_Complex long double` the class COMPLEX_X87 and
    /// returns it in `st0` (real) and `st1` (imaginary), where the 32-byte struct comes
    /// back through a hidden pointer (§3.2.3 "Returning of Values"); as an argument,
    /// and in every other convention, it travels like the struct.
    ///
    /// ```
    /// use springboard::Type;
    /// let z: Type = "complex<f80>".parse()?;
    /// assert_eq!((z.size(), z.align(), z.to_string()), (32, 16, "complex<f80>".into()));
    /// assert_ne!(z, "{f80, f80}".parse()?);
    /// assert_eq!(Type::complex(Type::F64).unwrap(), "{f64, f64}".parse()?);
    /// assert!(Type::complex(Type::I32).is_err());
    /// # Ok::<(), springboard::ParseError>(())
    /// ```
    pub fn complex(element: Type) -> Result<Type, TypeError> {
        match element {
            Type::F32 | Type::F64 | Type::F128 => Type::structure([element.clone(), element]),
            Type::F80 => {
                let mut layout = StructType::new(vec![Type::F80, Type::F80])?;
                layout.complex = true;
                Ok(Type::Struct(layout.intern()))
            }
            other => Err(TypeError::ComplexElement(other)),
        }
    }

    /// An array field type `[element; len]`, interned.
    pub fn array(element: Type, len: usize) -> Result<Type, TypeError> {
        Ok(Type::Array(ArrayType::new(element, len)?.intern()))
    }

    /// Every scalar type, in the order the signature syntax documents them.
    pub const SCALARS: [Type; 19] = [
        Type::Bool,
        Type::I8,
        Type::U8,
        Type::I16,
        Type::U16,
        Type::I32,
        Type::U32,
        Type::I64,
        Type::U64,
        Type::I128,
        Type::U128,
        Type::Isize,
        Type::Usize,
        Type::F32,
        Type::F64,
        Type::F80,
        Type::F128,
        Type::Ptr,
        Type::Void,
    ];

    /// The keyword for a scalar type in signature text; `"struct"` and `"array"` for
    /// aggregates (whose text form is their `Display`).
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
            Type::I128 => "i128",
            Type::U128 => "u128",
            Type::Isize => "isize",
            Type::Usize => "usize",
            Type::F32 => "f32",
            Type::F64 => "f64",
            Type::F80 => "f80",
            Type::F128 => "f128",
            Type::Ptr => "ptr",
            Type::Struct(_) => "struct",
            Type::Array(_) => "array",
        }
    }

    /// Looks a scalar type up by its keyword.
    pub fn from_name(name: &str) -> Option<Type> {
        Type::SCALARS.iter().find(|t| t.name() == name).cloned()
    }

    /// Size in bytes (0 for `void`).
    #[inline]
    pub fn size(&self) -> usize {
        match (self, self.class()) {
            (Type::Struct(s), _) => s.size,
            (Type::Array(a), _) => a.element.size() * a.len,
            (_, None) => 0,
            (_, Some(ScalarClass::Integer { bytes, .. } | ScalarClass::Float { bytes })) => {
                bytes as usize
            }
            (_, Some(ScalarClass::X87 | ScalarClass::Binary128)) => 16,
        }
    }

    /// Alignment in bytes (1 for `void`). Every scalar is naturally aligned.
    pub fn align(&self) -> usize {
        match self {
            Type::Struct(s) => s.align,
            Type::Array(a) => a.element.align(),
            _ => self.size().max(1),
        }
    }

    /// True for structs and arrays.
    pub fn is_aggregate(&self) -> bool {
        matches!(self, Type::Struct(_) | Type::Array(_))
    }

    /// The struct layout, for struct types.
    pub fn as_struct(&self) -> Option<&StructType> {
        match self {
            Type::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// Calls `visit(offset, scalar)` for every scalar inside this type, in memory
    /// order, with nested structs and arrays flattened (a scalar visits itself at
    /// `base`).
    pub fn for_each_scalar(&self, base: usize, visit: &mut impl FnMut(usize, &Type)) {
        match self {
            Type::Struct(s) => {
                for (field, offset) in s.fields.iter().zip(&s.offsets) {
                    field.for_each_scalar(base + offset, visit);
                }
            }
            Type::Array(a) => {
                let stride = a.element.size();
                for i in 0..a.len {
                    a.element.for_each_scalar(base + i * stride, visit);
                }
            }
            Type::Void => {}
            scalar => visit(base, scalar),
        }
    }

    /// The scalar class, or `None` for `void` and aggregates.
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
            Type::I128 => int(16, true),
            Type::U128 => int(16, false),
            Type::F32 => Some(ScalarClass::Float { bytes: 4 }),
            Type::F64 => Some(ScalarClass::Float { bytes: 8 }),
            Type::F80 => Some(ScalarClass::X87),
            Type::F128 => Some(ScalarClass::Binary128),
            Type::Struct(_) | Type::Array(_) => None,
        }
    }

    /// True for the 16-byte scalars `i128`, `u128`, `f80` and `f128`: wider than a
    /// register, held by address in the argument array (see [`crate::array`]) and
    /// placed by each convention's own rule for them.
    pub fn is_wide(&self) -> bool {
        matches!(self, Type::I128 | Type::U128 | Type::F80 | Type::F128)
    }

    /// True for `f80` and `f128`, the two `long double` formats.
    pub fn is_long_float(&self) -> bool {
        matches!(self, Type::F80 | Type::F128)
    }

    /// True for the types the argument array holds by address, their slot a pointer
    /// to their bytes (see [`crate::array`]): structs, arrays and the 16-byte scalars
    /// (`i128`, `u128`, `f80`, `f128`).
    pub fn by_address(&self) -> bool {
        self.is_aggregate() || self.is_wide()
    }

    /// True for `void`.
    pub fn is_void(&self) -> bool {
        matches!(self, Type::Void)
    }
}

/// Prints the signature syntax: `i32`, `{i8, {f32, f32}}`, `[u8; 3]`.
impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Struct(s) if s.complex => write!(f, "complex<{}>", s.fields[0]),
            Type::Struct(s) => {
                f.write_str("{")?;
                for (i, field) in s.fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{field}")?;
                }
                f.write_str("}")
            }
            Type::Array(a) => write!(f, "[{}; {}]", a.element, a.len),
            scalar => f.write_str(scalar.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    fn ty(text: &str) -> Type {
        text.parse().unwrap()
    }

    #[test]
    fn equal_aggregate_types_are_one_interned_layout() {
        let parsed = ty("{f64, {i8, [u16; 3]}}");
        let inner = Type::structure([Type::I8, Type::array(Type::U16, 3).unwrap()]).unwrap();
        let built = Type::structure([Type::F64, inner.clone()]).unwrap();
        let (Type::Struct(a), Type::Struct(b)) = (&parsed, &built) else {
            panic!("{parsed} {built}")
        };
        assert!(std::ptr::eq(*a, *b), "one layout for one type");
        assert_eq!(parsed, built);
        let Type::Struct(nested) = &a.fields()[1] else {
            panic!("{parsed}")
        };
        assert!(std::ptr::eq(*nested, inner.as_struct().unwrap()));
        let (Type::Array(x), Type::Array(y)) =
            (&nested.fields()[1], &Type::array(Type::U16, 3).unwrap())
        else {
            panic!("{inner}")
        };
        assert!(std::ptr::eq(*x, *y), "arrays are interned too");
        let other = ty("{f64, {i8, [u16; 4]}}");
        assert!(!std::ptr::eq(other.as_struct().unwrap(), *a));
        assert_ne!(other, parsed);
    }

    #[test]
    fn a_layout_that_was_not_interned_still_equals_the_interned_one() {
        let interned = ty("{i32, f32}");
        let own: &'static StructType = Box::leak(Box::new(
            StructType::new(vec![Type::I32, Type::F32]).unwrap(),
        ));
        assert!(!std::ptr::eq(own, interned.as_struct().unwrap()));
        let separate = Type::Struct(own);
        assert_eq!(separate, interned);
        let value = Value::structure(&separate, &[Value::I32(1), Value::F32(2.0)]).unwrap();
        assert!(value.has_type(&interned));
        assert!(std::ptr::eq(
            own.clone().intern(),
            interned.as_struct().unwrap()
        ));
    }
}
