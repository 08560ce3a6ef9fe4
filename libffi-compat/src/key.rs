//! The binding key of a cif: its ABI, variadic split and type trees as a few bytes
//! packed into words (on the stack), so that re-preparing a known signature is one lookup in a table
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
#[inline(always)]
unsafe fn encode(ty: *mut ffi_type, key: &mut Key) -> Result<(), ffi_status> {
    if ty.is_null() {
        return Err(FFI_BAD_TYPEDEF);
    }
    let code = (*ty).type_;
    if code == FFI_TYPE_STRUCT || code == FFI_TYPE_COMPLEX {
        return encode_aggregate(ty, key);
    }
    // A byte per type code: a code past libffi's last (`FFI_TYPE_COMPLEX`) would
    // alias a valid one, so it takes the full path, which reports it.
    if (*ty).size == 0 || code > FFI_TYPE_COMPLEX {
        return Err(FFI_BAD_TYPEDEF);
    }
    key.push(code as u8);
    Ok(())
}

/// [`encode`] of a struct or complex type (out of line: scalars are the hot case).
///
/// # Safety
/// As [`encode`], with `ty` not null.
#[inline(never)]
unsafe fn encode_aggregate(ty: *mut ffi_type, key: &mut Key) -> Result<(), ffi_status> {
    if (*ty).type_ == FFI_TYPE_COMPLEX {
        // The element tells `_Complex float` from `_Complex double`.
        key.push(FFI_TYPE_COMPLEX as u8);
        let elements = (*ty).elements;
        if elements.is_null() {
            return Err(FFI_BAD_TYPEDEF);
        }
        return encode(*elements, key);
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

/// Key words most cifs fit in (a byte per scalar, two more per struct, five of
/// header, packed eight to a word): encoded on the stack, longer ones spill to the heap.
const INLINE: usize = 8;

/// A cif's key as it is encoded: its bytes packed little-endian into words, so that
/// hashing and comparing take a word at a time (a two-argument signature is one word).
struct Key {
    inline: [u64; INLINE],
    /// Bytes pushed so far.
    len: usize,
    /// All the words once there are more than [`INLINE`].
    spilled: Vec<u64>,
}

impl Key {
    /// A key starting with its header: the ABI's byte and the fixed-argument count's
    /// four (`u32::MAX` for a cif that is not variadic).
    #[inline(always)]
    fn new(abi: u8, fixed: u32) -> Key {
        let mut inline = [0; INLINE];
        inline[0] = u64::from(abi) | u64::from(fixed) << 8;
        Key {
            inline,
            len: 5,
            spilled: Vec::new(),
        }
    }

    #[inline(always)]
    fn push(&mut self, byte: u8) {
        let len = self.len;
        if len < INLINE * 8 {
            self.inline[len / 8] |= u64::from(byte) << ((len % 8) * 8);
            self.len = len + 1;
        } else {
            self.push_spilled(byte);
        }
    }

    #[cold]
    fn push_spilled(&mut self, byte: u8) {
        if self.spilled.is_empty() {
            self.spilled.extend_from_slice(&self.inline);
        }
        let len = self.len;
        if len / 8 == self.spilled.len() {
            self.spilled.push(0);
        }
        self.spilled[len / 8] |= u64::from(byte) << ((len % 8) * 8);
        self.len = len + 1;
    }

    #[inline(always)]
    fn words(&self) -> &[u64] {
        if self.len <= INLINE * 8 {
            &self.inline[..self.len.div_ceil(8)]
        } else {
            &self.spilled
        }
    }
}

/// The hash of a key's words (with its length, so keys that differ only in trailing
/// zero bytes differ): a multiply and a rotate per word.
#[inline]
fn hash(words: &[u64], len: usize) -> u64 {
    let mut hash = len as u64;
    for &word in words {
        hash = (hash ^ word)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(29);
    }
    hash
}

/// A cif's key: its packed words and length in bytes.
pub(crate) struct KeyRef<'a> {
    words: &'a [u64],
    len: usize,
}

/// A remembered key: never freed (as bindings are never removed).
struct Entry {
    hash: u64,
    len: usize,
    words: Box<[u64]>,
    bound: Bound,
}

impl Entry {
    #[inline]
    fn is(&self, key: &KeyRef<'_>, hash: u64) -> bool {
        // A word loop, not `==` on the slices (a `memcmp` call for a word or two).
        self.hash == hash
            && self.len == key.len
            && self.words.iter().zip(key.words).all(|(a, b)| a == b)
    }
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
    f: impl FnOnce(&KeyRef<'_>, u64) -> R,
) -> Result<R, ffi_status> {
    let mut key = Key::new(abi as u8, fixed.unwrap_or(u32::MAX));
    encode(rtype, &mut key)?;
    for &ty in atypes {
        encode(ty, &mut key)?;
    }
    let words = key.words();
    let hash = hash(words, key.len);
    Ok(f(
        &KeyRef {
            words,
            len: key.len,
        },
        hash,
    ))
}

/// The binding of a known key.
#[inline]
pub(crate) fn lookup(key: &KeyRef<'_>, hash: u64) -> Option<Bound> {
    let mut place = hash as usize % PLACES;
    loop {
        let entry = TABLE[place].load(Ordering::Acquire);
        // SAFETY: entries are leaked, published with Release, never changed.
        let entry = unsafe { entry.as_ref() }?;
        if entry.is(key, hash) {
            return Some(entry.bound);
        }
        place = (place + 1) % PLACES;
    }
}

/// Records the binding of a key (unless the table holds its most keys).
pub(crate) fn remember(key: &KeyRef<'_>, hash: u64, bound: Bound) {
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
        len: key.len,
        words: key.words.into(),
        bound,
    }));
    TABLE[place].store(entry, Ordering::Release);
    *count += 1;
}

#[cfg(test)]
mod tests {
    use crate::*;

    fn scalar(size: usize, type_: u16) -> ffi_type {
        ffi_type {
            size,
            alignment: size as u16,
            type_,
            elements: std::ptr::null_mut(),
        }
    }

    fn prep(rtype: &mut ffi_type, args: &mut [*mut ffi_type]) -> (ffi_status, ffi_cif) {
        let mut cif = ffi_cif::default();
        // SAFETY: valid types and a writable cif.
        let status = unsafe {
            ffi_prep_cif(
                &mut cif,
                FFI_DEFAULT_ABI,
                args.len() as u32,
                rtype,
                args.as_mut_ptr(),
            )
        };
        (status, cif)
    }

    #[test]
    fn a_type_code_past_the_last_never_aliases_a_known_key() {
        let mut pointer = scalar(8, FFI_TYPE_POINTER);
        let mut int = scalar(4, FFI_TYPE_SINT32);
        assert_eq!(prep(&mut int, &mut [&mut pointer]).0, FFI_OK);
        // 0x10e is FFI_TYPE_POINTER in its low byte.
        let mut bogus = scalar(8, 0x100 | FFI_TYPE_POINTER);
        assert_eq!(prep(&mut int, &mut [&mut bogus]).0, FFI_BAD_TYPEDEF);
    }

    #[test]
    fn keys_longer_than_the_inline_words_bind_by_all_their_bytes() {
        let mut double = scalar(8, FFI_TYPE_DOUBLE);
        let mut int = scalar(4, FFI_TYPE_SINT32);
        let mut void = scalar(1, FFI_TYPE_VOID);
        // 5 header bytes, a result byte and 70 argument bytes: ten words.
        let mut args: Vec<*mut ffi_type> = vec![&mut double; 70];
        let (status, first) = prep(&mut void, &mut args);
        assert_eq!(status, FFI_OK);
        assert_eq!(prep(&mut void, &mut args).1.flags, first.flags);
        // Only the last argument differs: another binding.
        args[69] = &mut int;
        let (status, other) = prep(&mut void, &mut args);
        assert_eq!(status, FFI_OK);
        assert_ne!(other.flags, first.flags);
        assert_eq!(prep(&mut void, &mut args).1.flags, other.flags);
        assert_eq!(other.bytes, 70 * 8);
    }
}
