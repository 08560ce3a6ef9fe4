//! The array layout: how values sit in the argument array and the result place.
//!
//! Every trampoline kind that moves values between registers and memory (downcalls
//! read arguments from it; callbacks hand it to their handler) uses this one layout:
//!
//! - The argument array is a sequence of 8-byte, 8-aligned [`Slot`]s; argument `i`
//!   lives in slot `i` (byte offset `8 * i`).
//! - A scalar occupies the low-addressed bytes of its slot, in the target's (little)
//!   byte order: `i8`/`u8`/`bool` the first byte, 16-bit integers the first two, 32-bit
//!   integers and `f32` the first four, 64-bit values all eight. **Bytes beyond the
//!   value's size are ignored when read**, so a runtime may leave garbage there.
//! - `bool` is read as "first byte non-zero" and written as 0 or 1.
//! - The result place is one slot for a scalar (it may be the same memory as slot 0:
//!   every argument is read before the result is written). A downcall writes integer
//!   results, `bool` and pointers as a whole 8-byte slot, sign- or zero-extended per
//!   their type, so a runtime can read any integer result as `i64`/`u64`; an `f32`
//!   result goes to the first four bytes and leaves the other four unchanged; an `f64`
//!   fills the slot. A callback handler writes its result the same way, but the
//!   callback reads only the value's own bytes, so a handler may leave the rest alone.
//! - Structs are passed by reference: the argument's slot holds a pointer to the
//!   struct's bytes, in C layout. A struct result is written to the result place,
//!   which must then hold the struct's size (aligned to 8).
//! - `i128` and `u128` do not fit a slot and are held the same way: the slot holds a
//!   pointer to the value's 16 little-endian bytes (8-aligned suffices), and a 128-bit result
//!   fills the first 16 bytes of the result place, which must then hold two slots.
//!   (Two slots per value would break "argument `i` in slot `i`", which every kind and
//!   every runtime relies on; a pointer keeps it, at the cost of one indirection.)
//!
//! [`Slot`] has constructors and readers for every scalar, so Rust code builds arrays
//! without unsafe code:
//!
//! ```
//! use springboard::Slot;
//! let args = [Slot::from_i32(-7), Slot::from_f64(2.5), Slot::from_bool(true)];
//! assert_eq!(args[0].as_i32(), -7);
//! assert_eq!(args[1].as_f64(), 2.5);
//! assert_eq!(args[0].as_i64(), 0xffff_fff9); // the upper half is not part of an i32
//! ```

/// Size in bytes of one slot of the argument array.
pub const SLOT_SIZE: usize = 8;

/// One 8-byte cell of the argument array or the result place.
#[repr(C, align(8))]
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Slot(pub [u8; 8]);

impl std::fmt::Debug for Slot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Slot({:#018x})", u64::from_le_bytes(self.0))
    }
}

macro_rules! slot_accessors {
    ($($from:ident $as:ident $t:ty;)*) => {
        impl Slot {
            $(
                #[doc = concat!("A slot holding a `", stringify!($t), "` (the rest zeroed).")]
                #[inline]
                pub fn $from(value: $t) -> Slot {
                    let mut bytes = [0; 8];
                    let raw = value.to_le_bytes();
                    bytes[..raw.len()].copy_from_slice(&raw);
                    Slot(bytes)
                }
                #[doc = concat!("Reads the `", stringify!($t), "` in the slot's first bytes.")]
                #[inline]
                pub fn $as(self) -> $t {
                    let mut raw = [0; std::mem::size_of::<$t>()];
                    raw.copy_from_slice(&self.0[..std::mem::size_of::<$t>()]);
                    <$t>::from_le_bytes(raw)
                }
            )*
        }
    };
}

slot_accessors! {
    from_i8 as_i8 i8;
    from_u8 as_u8 u8;
    from_i16 as_i16 i16;
    from_u16 as_u16 u16;
    from_i32 as_i32 i32;
    from_u32 as_u32 u32;
    from_i64 as_i64 i64;
    from_u64 as_u64 u64;
    from_isize as_isize isize;
    from_usize as_usize usize;
    from_f32 as_f32 f32;
    from_f64 as_f64 f64;
}

impl Slot {
    /// A slot holding a `bool` (0 or 1 in the first byte).
    #[inline]
    pub fn from_bool(value: bool) -> Slot {
        Slot::from_u8(value.into())
    }

    /// Reads a `bool`: true when the first byte is non-zero.
    #[inline]
    pub fn as_bool(self) -> bool {
        self.0[0] != 0
    }

    /// A slot holding a pointer.
    #[inline]
    pub fn from_ptr<T>(value: *const T) -> Slot {
        Slot::from_usize(value as usize)
    }

    /// Reads a pointer.
    #[inline]
    pub fn as_ptr<T>(self) -> *mut T {
        self.as_usize() as *mut T
    }
}

/// Byte offset of argument `index` in the array.
pub fn slot_offset(index: usize) -> i32 {
    i32::try_from(index * SLOT_SIZE).expect("argument index beyond i32 range")
}
