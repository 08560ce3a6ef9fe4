//! The binding key of a cif: its ABI, variadic split and type trees as a few bytes,
//! so that re-preparing a known signature is one hash lookup (no allocation, no
//! springboard signature built). Encoding a tree also lays out its struct types as
//! `ffi_prep_cif` must.

use crate::{ffi_status, ffi_type, FFI_BAD_TYPEDEF, FFI_TYPE_STRUCT};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::sync::{OnceLock, RwLock};

const OPEN: u8 = 0xfe;
const CLOSE: u8 = 0xff;

/// Appends `ty`'s encoding to `key`, filling the size and alignment of struct types
/// that have none: each element aligned to its alignment, the size rounded up to the
/// largest alignment.
///
/// # Safety
/// `ty` is null or a valid type with null-terminated element lists.
unsafe fn encode(ty: *mut ffi_type, key: &mut Vec<u8>) -> Result<(), ffi_status> {
    if ty.is_null() {
        return Err(FFI_BAD_TYPEDEF);
    }
    if (*ty).type_ != FFI_TYPE_STRUCT {
        if (*ty).size == 0 {
            return Err(FFI_BAD_TYPEDEF);
        }
        key.push((*ty).type_ as u8);
        return Ok(());
    }
    let mut at = (*ty).elements;
    if at.is_null() {
        return Err(FFI_BAD_TYPEDEF);
    }
    key.push(OPEN);
    let (mut size, mut align) = (0usize, 1usize);
    while !(*at).is_null() {
        let element = *at;
        encode(element, key)?;
        let element_align = ((*element).alignment as usize).max(1);
        size = size.next_multiple_of(element_align) + (*element).size;
        align = align.max(element_align);
        at = at.add(1);
    }
    key.push(CLOSE);
    size = size.next_multiple_of(align);
    if size == 0 {
        return Err(FFI_BAD_TYPEDEF);
    }
    if (*ty).size == 0 || (*ty).alignment == 0 {
        (*ty).size = size;
        (*ty).alignment = align as u16;
    }
    Ok(())
}

/// What a key was bound to: the binding index and the cif's `bytes`.
#[derive(Clone, Copy)]
pub(crate) struct Bound {
    pub(crate) index: u32,
    pub(crate) bytes: u32,
}

fn known() -> &'static RwLock<FxHashMap<Box<[u8]>, Bound>> {
    static KNOWN: OnceLock<RwLock<FxHashMap<Box<[u8]>, Bound>>> = OnceLock::new();
    KNOWN.get_or_init(Default::default)
}

thread_local! {
    static BUFFER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// This thread's copy of the keys it met, consulted first (no lock).
    static LOCAL: RefCell<FxHashMap<Box<[u8]>, Bound>> = RefCell::new(FxHashMap::default());
}

/// Runs `f` with the key of a cif (an error if a type is malformed).
///
/// # Safety
/// The types are valid; `atypes` has `nargs` pointers.
pub(crate) unsafe fn with_key<R>(
    abi: u32,
    fixed: Option<u32>,
    rtype: *mut ffi_type,
    atypes: &[*mut ffi_type],
    f: impl FnOnce(&[u8]) -> R,
) -> Result<R, ffi_status> {
    BUFFER.with(|buffer| {
        let mut key = buffer.take();
        key.clear();
        key.push(abi as u8);
        key.extend_from_slice(&fixed.unwrap_or(u32::MAX).to_le_bytes());
        let encoded = (|| {
            encode(rtype, &mut key)?;
            for &ty in atypes {
                encode(ty, &mut key)?;
            }
            Ok(())
        })();
        let result = encoded.map(|()| f(&key));
        buffer.replace(key);
        result
    })
}

/// The binding of a known key.
pub(crate) fn lookup(key: &[u8]) -> Option<Bound> {
    if let Some(bound) = LOCAL.with(|local| local.borrow().get(key).copied()) {
        return Some(bound);
    }
    let bound = known()
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .get(key)
        .copied()?;
    LOCAL.with(|local| local.borrow_mut().insert(key.into(), bound));
    Some(bound)
}

/// Records the binding of a key.
pub(crate) fn remember(key: &[u8], bound: Bound) {
    known()
        .write()
        .unwrap_or_else(|e| e.into_inner())
        .insert(key.into(), bound);
}
