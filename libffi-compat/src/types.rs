//! `ffi_type`: libffi's type descriptions, its predefined type objects, and their
//! translation to springboard types.

use crate::{convention, ffi_abi, ffi_status, FFI_BAD_TYPEDEF, FFI_OK};
use springboard::{StructType, Type};

/// libffi's `ffi_type`.
#[repr(C)]
#[derive(Debug)]
pub struct ffi_type {
    /// Size in bytes (0 for a struct type libffi has not laid out yet).
    pub size: usize,
    /// Alignment in bytes.
    pub alignment: u16,
    /// One of the `FFI_TYPE_*` codes.
    pub type_: u16,
    /// A struct's (or complex type's) element types, null-terminated.
    pub elements: *mut *mut ffi_type,
}

// SAFETY: the predefined type objects are immutable data shared by every thread.
unsafe impl Sync for ffi_type {}

/// `void`.
pub const FFI_TYPE_VOID: u16 = 0;
/// `int`.
pub const FFI_TYPE_INT: u16 = 1;
/// `float`.
pub const FFI_TYPE_FLOAT: u16 = 2;
/// `double`.
pub const FFI_TYPE_DOUBLE: u16 = 3;
/// `long double`.
pub const FFI_TYPE_LONGDOUBLE: u16 = 4;
/// `uint8_t`.
pub const FFI_TYPE_UINT8: u16 = 5;
/// `int8_t`.
pub const FFI_TYPE_SINT8: u16 = 6;
/// `uint16_t`.
pub const FFI_TYPE_UINT16: u16 = 7;
/// `int16_t`.
pub const FFI_TYPE_SINT16: u16 = 8;
/// `uint32_t`.
pub const FFI_TYPE_UINT32: u16 = 9;
/// `int32_t`.
pub const FFI_TYPE_SINT32: u16 = 10;
/// `uint64_t`.
pub const FFI_TYPE_UINT64: u16 = 11;
/// `int64_t`.
pub const FFI_TYPE_SINT64: u16 = 12;
/// A struct.
pub const FFI_TYPE_STRUCT: u16 = 13;
/// A pointer.
pub const FFI_TYPE_POINTER: u16 = 14;
/// `_Complex` of an element type.
pub const FFI_TYPE_COMPLEX: u16 = 15;

const fn scalar(size: usize, type_: u16) -> ffi_type {
    ffi_type {
        size,
        alignment: size as u16,
        type_,
        elements: std::ptr::null_mut(),
    }
}

/// libffi's `ffi_type_void`.
#[no_mangle]
pub static ffi_type_void: ffi_type = ffi_type {
    size: 1,
    alignment: 1,
    type_: FFI_TYPE_VOID,
    elements: std::ptr::null_mut(),
};
/// libffi's `ffi_type_uint8`.
#[no_mangle]
pub static ffi_type_uint8: ffi_type = scalar(1, FFI_TYPE_UINT8);
/// libffi's `ffi_type_sint8`.
#[no_mangle]
pub static ffi_type_sint8: ffi_type = scalar(1, FFI_TYPE_SINT8);
/// libffi's `ffi_type_uint16`.
#[no_mangle]
pub static ffi_type_uint16: ffi_type = scalar(2, FFI_TYPE_UINT16);
/// libffi's `ffi_type_sint16`.
#[no_mangle]
pub static ffi_type_sint16: ffi_type = scalar(2, FFI_TYPE_SINT16);
/// libffi's `ffi_type_uint32`.
#[no_mangle]
pub static ffi_type_uint32: ffi_type = scalar(4, FFI_TYPE_UINT32);
/// libffi's `ffi_type_sint32`.
#[no_mangle]
pub static ffi_type_sint32: ffi_type = scalar(4, FFI_TYPE_SINT32);
/// libffi's `ffi_type_uint64`.
#[no_mangle]
pub static ffi_type_uint64: ffi_type = scalar(8, FFI_TYPE_UINT64);
/// libffi's `ffi_type_sint64`.
#[no_mangle]
pub static ffi_type_sint64: ffi_type = scalar(8, FFI_TYPE_SINT64);
/// libffi's `ffi_type_float`.
#[no_mangle]
pub static ffi_type_float: ffi_type = scalar(4, FFI_TYPE_FLOAT);
/// libffi's `ffi_type_double`.
#[no_mangle]
pub static ffi_type_double: ffi_type = scalar(8, FFI_TYPE_DOUBLE);
/// libffi's `ffi_type_pointer`.
#[no_mangle]
pub static ffi_type_pointer: ffi_type = scalar(8, FFI_TYPE_POINTER);
/// libffi's `ffi_type_longdouble`: 16 bytes, springboard's `f80` on x86-64 (x87
/// extended) and `f128` on aarch64 and riscv64 (binary128).
#[no_mangle]
pub static ffi_type_longdouble: ffi_type = scalar(16, FFI_TYPE_LONGDOUBLE);

/// A complex type's element list: the element type, then the terminator.
#[repr(transparent)]
pub struct Elements([*const ffi_type; 2]);

// SAFETY: immutable pointers to immutable statics.
unsafe impl Sync for Elements {}

static COMPLEX_FLOAT: Elements = Elements([&ffi_type_float, std::ptr::null()]);
static COMPLEX_DOUBLE: Elements = Elements([&ffi_type_double, std::ptr::null()]);
static COMPLEX_LONGDOUBLE: Elements = Elements([&ffi_type_longdouble, std::ptr::null()]);

const fn complex(size: usize, elements: &'static Elements) -> ffi_type {
    ffi_type {
        size,
        alignment: (size / 2) as u16,
        type_: FFI_TYPE_COMPLEX,
        elements: elements as *const Elements as *mut *mut ffi_type,
    }
}

/// libffi's `ffi_type_complex_float` (passed as `{f32, f32}`).
#[no_mangle]
pub static ffi_type_complex_float: ffi_type = complex(8, &COMPLEX_FLOAT);
/// libffi's `ffi_type_complex_double` (passed as `{f64, f64}`).
#[no_mangle]
pub static ffi_type_complex_double: ffi_type = complex(16, &COMPLEX_DOUBLE);
/// libffi's `ffi_type_complex_longdouble` (`complex<f80>` on x86-64, `complex<f128>`
/// elsewhere: see `complex_as_struct`).
#[no_mangle]
pub static ffi_type_complex_longdouble: ffi_type = complex(32, &COMPLEX_LONGDOUBLE);

/// The springboard type of `ty`, laying out struct types as libffi does: a struct's
/// size and alignment are computed from its elements and written into it when its
/// size is 0; a struct that comes sized keeps its size. Offsets of the elements go
/// to `offsets` when given.
///
/// # Safety
/// `ty` is null or a valid type whose element lists are null-terminated.
pub(crate) unsafe fn to_type_with(
    ty: *mut ffi_type,
    offsets: Option<*mut usize>,
) -> Result<Type, ffi_status> {
    if ty.is_null() {
        return Err(FFI_BAD_TYPEDEF);
    }
    if (*ty).size == 0 && (*ty).type_ != FFI_TYPE_STRUCT {
        // libffi lays out every zero-sized type as an aggregate: one with no
        // elements is malformed.
        return Err(FFI_BAD_TYPEDEF);
    }
    Ok(match (*ty).type_ {
        FFI_TYPE_VOID => Type::Void,
        FFI_TYPE_INT | FFI_TYPE_SINT32 => Type::I32,
        FFI_TYPE_UINT32 => Type::U32,
        FFI_TYPE_FLOAT => Type::F32,
        FFI_TYPE_DOUBLE => Type::F64,
        FFI_TYPE_UINT8 => Type::U8,
        FFI_TYPE_SINT8 => Type::I8,
        FFI_TYPE_UINT16 => Type::U16,
        FFI_TYPE_SINT16 => Type::I16,
        FFI_TYPE_UINT64 => Type::U64,
        FFI_TYPE_SINT64 => Type::I64,
        FFI_TYPE_POINTER => Type::Ptr,
        FFI_TYPE_LONGDOUBLE if cfg!(target_arch = "x86_64") => Type::F80,
        FFI_TYPE_LONGDOUBLE => Type::F128,
        FFI_TYPE_STRUCT => {
            let elements = (*ty).elements;
            if elements.is_null() {
                return Err(FFI_BAD_TYPEDEF);
            }
            let mut fields = Vec::new();
            let mut at = elements;
            while !(*at).is_null() {
                fields.push(to_type_with(*at, None)?);
                at = at.add(1);
            }
            let layout = StructType::new(fields).map_err(|_| FFI_BAD_TYPEDEF)?;
            if let Some(out) = offsets {
                for (i, offset) in layout.offsets().iter().enumerate() {
                    *out.add(i) = *offset;
                }
            }
            let t = Type::Struct(layout.intern());
            if t.size() == 0 {
                return Err(FFI_BAD_TYPEDEF);
            }
            if (*ty).size == 0 || (*ty).alignment == 0 {
                (*ty).size = t.size();
                (*ty).alignment = t.align() as u16;
            }
            t
        }
        FFI_TYPE_COMPLEX => complex_as_struct(ty)?,
        _ => return Err(FFI_BAD_TYPEDEF),
    })
}

/// A complex type as springboard spells it: `_Complex float`, `_Complex double` and
/// gcc's integer `_Complex` types are a struct of two of their element type. System V
/// psABI §3.2.3 classifies them like that struct, and under `FFI_WIN64`/`FFI_GNUW64`
/// gcc and libffi pass them as the struct too (tests/complex_libffi.rs checks
/// springboard's struct spelling against gcc's complex types and libffi in both).
/// `_Complex long double` is springboard's `complex<f80>` on x86-64 (System V returns
/// it in `st0`/`st1`, class COMPLEX_X87, unlike the 32-byte struct) and
/// `complex<f128>`, the struct `{f128, f128}`, on aarch64 and riscv64 (see
/// [`Type::complex`]).
///
/// # Safety
/// `ty` is a valid complex type with a null-terminated element list.
unsafe fn complex_as_struct(ty: *mut ffi_type) -> Result<Type, ffi_status> {
    let elements = (*ty).elements;
    if elements.is_null() || (*elements).is_null() {
        return Err(FFI_BAD_TYPEDEF);
    }
    let element = to_type_with(*elements, None)?;
    if element.is_aggregate() {
        return Err(FFI_BAD_TYPEDEF);
    }
    if element.is_long_float() {
        return Type::complex(element).map_err(|_| FFI_BAD_TYPEDEF);
    }
    let layout = StructType::new(vec![element.clone(), element]).map_err(|_| FFI_BAD_TYPEDEF)?;
    Ok(Type::Struct(layout.intern()))
}

/// [`to_type_with`] without offsets.
///
/// # Safety
/// As [`to_type_with`].
pub(crate) unsafe fn to_type(ty: *mut ffi_type) -> Result<Type, ffi_status> {
    to_type_with(ty, None)
}

/// libffi's `ffi_get_struct_offsets`: lays out `struct_type` (filling its size and
/// alignment) and writes each element's offset to `offsets` (when not null).
///
/// # Safety
/// `struct_type` is a valid struct type; `offsets` has room for one offset per
/// element.
#[no_mangle]
pub unsafe extern "C" fn ffi_get_struct_offsets(
    abi: ffi_abi,
    struct_type: *mut ffi_type,
    offsets: *mut usize,
) -> ffi_status {
    if let Err(status) = convention(abi) {
        return status;
    }
    if struct_type.is_null() || (*struct_type).type_ != FFI_TYPE_STRUCT {
        return FFI_BAD_TYPEDEF;
    }
    let out = (!offsets.is_null()).then_some(offsets);
    match to_type_with(struct_type, out) {
        Ok(_) => FFI_OK,
        Err(status) => status,
    }
}
