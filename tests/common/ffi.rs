//! springboard types and signatures described to libffi, for the differential tests
//! that call through `ffi_call` or libffi closures.

use libffi::middle::{Cif, Type as FfiType};
use springboard::{Convention, Signature, Type};

/// libffi's description of a springboard type: `bool` as `uint8_t` (which is what it
/// is in every supported ABI), a struct's array field as that many fields of its
/// element type (how libffi models arrays).
pub fn ffi_type(ty: &Type) -> FfiType {
    ensure_system_libffi();
    match ty {
        Type::Void => FfiType::void(),
        Type::Bool | Type::U8 => FfiType::u8(),
        Type::I8 => FfiType::i8(),
        Type::I16 => FfiType::i16(),
        Type::U16 => FfiType::u16(),
        Type::I32 => FfiType::i32(),
        Type::U32 => FfiType::u32(),
        Type::I64 => FfiType::i64(),
        Type::U64 => FfiType::u64(),
        Type::Isize => FfiType::isize(),
        Type::Usize => FfiType::usize(),
        Type::F32 => FfiType::f32(),
        Type::F64 => FfiType::f64(),
        Type::Ptr => FfiType::pointer(),
        Type::Struct(layout) => {
            let fields: Vec<FfiType> = layout
                .fields()
                .iter()
                .flat_map(|field| match field {
                    Type::Array(array) => {
                        (0..array.len).map(|_| ffi_type(&array.element)).collect()
                    }
                    other => vec![ffi_type(other)],
                })
                .collect();
            FfiType::structure(fields)
        }
        Type::Array(_) => panic!("an array is only a struct field: {ty}"),
        // `long double`: x87 80-bit on x86-64, binary128 on aarch64 and riscv64 Linux.
        Type::F80 if cfg!(target_arch = "x86_64") => FfiType::longdouble(),
        Type::F128 if !cfg!(target_arch = "x86_64") => FfiType::longdouble(),
        // libffi has no 128-bit integer type and no __float128; the catalogues never
        // pick one.
        Type::I128 | Type::U128 | Type::F80 | Type::F128 => {
            panic!("libffi cannot describe {ty}")
        }
    }
}

/// Panics unless the libffi this process calls is the system's: a differential against
/// springboard's own drop-in (which cargo would load if a `libffi.so.8` of it sat in a
/// directory of the tests' `LD_LIBRARY_PATH`) compares springboard with itself. The
/// drop-in exports `springboard_libffi_version`; libffi does not.
pub fn ensure_system_libffi() {
    static CHECKED: std::sync::Once = std::sync::Once::new();
    CHECKED.call_once(|| {
        extern "C" {
            fn dlsym(
                handle: *mut std::ffi::c_void,
                symbol: *const std::ffi::c_char,
            ) -> *mut std::ffi::c_void;
        }
        // SAFETY: RTLD_DEFAULT (a null handle on glibc) and a NUL-terminated name.
        let drop_in =
            unsafe { dlsym(std::ptr::null_mut(), c"springboard_libffi_version".as_ptr()) };
        assert!(
            drop_in.is_null(),
            "the libffi loaded into this test is springboard's drop-in, not the system's \
             (LD_LIBRARY_PATH={:?})",
            std::env::var("LD_LIBRARY_PATH")
        );
    });
}

/// libffi's ABI for a convention: `FFI_WIN64` for Windows x64, the default otherwise.
pub fn ffi_abi(convention: Convention) -> libffi::raw::ffi_abi {
    ensure_system_libffi();
    match convention {
        Convention::Win64 => libffi::raw::ffi_abi_FFI_WIN64,
        _ => libffi::middle::ffi_abi_FFI_DEFAULT_ABI,
    }
}

/// libffi's call interface for `signature`, in its convention.
pub fn cif(signature: &Signature) -> Cif {
    Cif::new_with_abi(
        signature.params.iter().map(ffi_type),
        ffi_type(&signature.result),
        ffi_abi(signature.convention),
    )
}

/// Whether `signature` meets libffi issue #574 (fixed by libffi PR #848, after 3.4.4):
/// on System V, libffi copies the first eightbyte of a struct of more than 8 bytes
/// into its register save area with the struct's whole size; when that eightbyte is
/// INTEGER and gets the sixth general register (r9), the copy runs over into the slot
/// of xmm0, which an earlier argument already holds. This simulates the psABI's
/// register assignment (§3.2.3) to spot that situation. libffi's closures are not
/// affected.
pub fn meets_libffi_issue_574(signature: &Signature) -> bool {
    if signature.convention == Convention::Win64 {
        return false;
    }
    /// The class of each eightbyte (true for INTEGER), or `None` for MEMORY.
    fn eightbytes(ty: &Type) -> Option<Vec<bool>> {
        if ty.size() > 16 {
            return None;
        }
        let mut integer = vec![false; ty.size().div_ceil(8)];
        ty.for_each_scalar(0, &mut |offset, scalar| {
            integer[offset / 8] |= !matches!(scalar, Type::F32 | Type::F64);
        });
        Some(integer)
    }
    let result_in_memory =
        signature.result.is_aggregate() && eightbytes(&signature.result).is_none();
    let (mut gprs, mut sses) = (usize::from(result_in_memory), 0);
    for ty in &signature.params {
        let classes = match ty {
            Type::F32 | Type::F64 => vec![false],
            ty if ty.is_aggregate() => match eightbytes(ty) {
                Some(classes) => classes,
                None => continue,
            },
            _ => vec![true],
        };
        let ints = classes.iter().filter(|&&c| c).count();
        let floats = classes.len() - ints;
        if gprs + ints > 6 || sses + floats > 8 {
            continue;
        }
        if ty.size() > 8 && classes[0] && gprs == 5 && sses > 0 {
            return true;
        }
        gprs += ints;
        sses += floats;
    }
    false
}
