//! The binding key of a cif: its ABI, variadic split and type trees as a few bytes
//! (on the stack), so that re-preparing a known signature is one lookup in a table
//! read without locks (no allocation, no springboard signature built). Encoding a tree also lays out its struct types as
//! `ffi_prep_cif` must.

use crate::{ffi_status, ffi_type, FFI_BAD_TYPEDEF, FFI_TYPE_COMPLEX, FFI_TYPE_STRUCT};
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::Mutex;

const OPEN: u8 = 0xfe;
const CLOSE: u8 = 0xff;

/// Appends `ty`'s encoding to `key`, filling the size and alignment of struct types
/// that have none: each element aligned to its alignment, the size rounded up to the
/// largest alignment.
///
/// # Safety
/// `ty` is null or a valid type with null-terminated element lists.
unsafe fn encode(ty: *mut ffi_type, key: &mut Key) -> Result<(), ffi_status> {
    if ty.is_null() {
        return Err(FFI_BAD_TYPEDEF);
    }
    if (*ty).type_ == FFI_TYPE_COMPLEX {
        // The element tells `_Complex float` from `_Complex double`.
        key.push(FFI_TYPE_COMPLEX as u8);
        let elements = (*ty).elements;
        if elements.is_null() {
            return Err(FFI_BAD_TYPEDEF);
        }
        return encode(*elements, key);
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

/// Key bytes most cifs fit in (a byte per scalar, two more per struct, five of
/// header): encoded on the stack, longer ones spill to the heap.
const INLINE: usize = 64;

/// A cif's key as it is encoded, with its hash.
struct Key {
    inline: [u8; INLINE],
    len: usize,
    spilled: Option<Vec<u8>>,
    hash: u64,
}

impl Key {
    fn new() -> Key {
        Key {
            inline: [0; INLINE],
            len: 0,
            spilled: None,
            hash: 0xcbf2_9ce4_8422_2325,
        }
    }

    #[inline]
    fn push(&mut self, byte: u8) {
        self.hash = (self.hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        match &mut self.spilled {
            Some(bytes) => bytes.push(byte),
            None if self.len < INLINE => {
                self.inline[self.len] = byte;
                self.len += 1;
            }
            None => {
                let mut bytes = self.inline.to_vec();
                bytes.push(byte);
                self.spilled = Some(bytes);
            }
        }
    }

    fn bytes(&self) -> &[u8] {
        match &self.spilled {
            Some(bytes) => bytes,
            None => &self.inline[..self.len],
        }
    }
}

/// A remembered key: never freed (as bindings are never removed).
struct Entry {
    hash: u64,
    key: Box<[u8]>,
    bound: Bound,
}

/// Places in the table of remembered keys (a power of two).
const PLACES: usize = 1 << 17;

/// At most this many keys are remembered (half the places, so probes stay short);
/// a cif whose key is not takes the full path, correctly, just slower.
const MOST_KEYS: usize = PLACES / 2;

/// Remembered keys by hash, open addressing: read with plain acquire loads (no lock,
/// no thread-local, no read-modify-write), written under [`WRITER`].
static TABLE: [AtomicPtr<Entry>; PLACES] = [const { AtomicPtr::new(std::ptr::null_mut()) }; PLACES];

/// Serialises writers of [`TABLE`]; holds the number of keys remembered.
static WRITER: Mutex<usize> = Mutex::new(0);

/// Runs `f` with the key of a cif (an error if a type is malformed) and its hash.
///
/// # Safety
/// The types are valid; `atypes` has `nargs` pointers.
pub(crate) unsafe fn with_key<R>(
    abi: u32,
    fixed: Option<u32>,
    rtype: *mut ffi_type,
    atypes: &[*mut ffi_type],
    f: impl FnOnce(&[u8], u64) -> R,
) -> Result<R, ffi_status> {
    let mut key = Key::new();
    key.push(abi as u8);
    for byte in fixed.unwrap_or(u32::MAX).to_le_bytes() {
        key.push(byte);
    }
    encode(rtype, &mut key)?;
    for &ty in atypes {
        encode(ty, &mut key)?;
    }
    Ok(f(key.bytes(), key.hash))
}

/// The binding of a known key.
pub(crate) fn lookup(key: &[u8], hash: u64) -> Option<Bound> {
    let mut place = hash as usize % PLACES;
    loop {
        let entry = TABLE[place].load(Ordering::Acquire);
        // SAFETY: entries are leaked, published with Release, never changed.
        let entry = unsafe { entry.as_ref() }?;
        if entry.hash == hash && *entry.key == *key {
            return Some(entry.bound);
        }
        place = (place + 1) % PLACES;
    }
}

/// Records the binding of a key (unless the table holds its most keys).
pub(crate) fn remember(key: &[u8], hash: u64, bound: Bound) {
    let mut count = WRITER.lock().unwrap_or_else(|e| e.into_inner());
    if lookup(key, hash).is_some() || *count >= MOST_KEYS {
        return;
    }
    let mut place = hash as usize % PLACES;
    while !TABLE[place].load(Ordering::Relaxed).is_null() {
        place = (place + 1) % PLACES;
    }
    let entry = Box::leak(Box::new(Entry {
        hash,
        key: key.into(),
        bound,
    }));
    TABLE[place].store(entry, Ordering::Release);
    *count += 1;
}
