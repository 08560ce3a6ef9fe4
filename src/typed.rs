//! The typed API: C signatures from Rust types, typed downcalls and typed callbacks.
//!
//! [`CType`] says which C type a Rust type is. It is implemented for every C scalar
//! (`bool`, `i8`…`u64`, `i128`, `u128`, `isize`, `usize`, `f32`, `f64`, raw pointers and `extern "C"`
//! function pointers as `ptr`, `()` as `void`) and, through [`c_struct!`](crate::c_struct),
//! for `#[repr(C)]` structs. [`CFn`] is implemented for `extern "C" fn` and
//! `unsafe extern "C" fn` types of 0 to 12 parameters, so that
//! [`Signature::of`] spells a signature as a Rust type:
//!
//! ```
//! use springboard::Signature;
//! let signature = Signature::of::<extern "C" fn(i32, f64) -> u8>()?;
//! assert_eq!(signature.to_string(), "(i32, f64) -> u8");
//! # Ok::<(), springboard::TypedError>(())
//! ```
//!
//! A [`TypedDowncall`] ([`Downcall::typed`](crate::Downcall::typed) or
//! [`Engine::typed_downcall`](crate::Engine::typed_downcall)) moves Rust values straight
//! into the argument array and reads the result straight back: no [`Value`](crate::Value)
//! is built. A [`TypedCallback`] ([`Engine::typed_callback`](crate::Engine::typed_callback))
//! is a C function pointer backed by an ordinary Rust closure, with its real function type.

use crate::array::Slot;
use crate::signature::{Convention, Signature, SignatureError};
use crate::types::{Type, TypeError};
use std::ffi::c_void;
use std::mem::MaybeUninit;

/// A Rust type with a C counterpart that springboard can pass and return.
///
/// # Safety
/// An implementation promises that the Rust type has exactly the C layout of the type
/// [`CType::c_type`] returns (size, alignment, field offsets, and for scalars the same
/// representation), and that every bit pattern C can hand back for that C type is a
/// valid value of the Rust type. Use [`c_struct!`](crate::c_struct) for structs rather
/// than implementing this by hand. Size, alignment and [`CType::AGGREGATE`] are checked
/// against the C type whenever a signature is built from Rust types.
pub unsafe trait CType: Copy + 'static {
    /// Whether the array layout passes the type by reference (a slot holding a pointer
    /// to its bytes): structs, `i128` and `u128`. Other scalars set it to `false`.
    const AGGREGATE: bool = true;

    /// The C type.
    fn c_type() -> Result<Type, TypeError>;

    /// Reads a value from memory holding its C bytes (a slot's first bytes for a
    /// scalar, the struct's bytes for a struct). Only `bool` overrides it: any non-zero
    /// byte is `true`.
    ///
    /// # Safety
    /// `place` must be readable for the type's size and hold a value C produced.
    #[doc(hidden)]
    #[inline(always)]
    unsafe fn read_from(place: *const u8) -> Self {
        // SAFETY: the caller's promise; the impl's promise that C's bytes are valid.
        unsafe { place.cast::<Self>().read_unaligned() }
    }
}

macro_rules! scalar_ctypes {
    ($($t:ty => $c:ident),* $(,)?) => {$(
        // SAFETY: the Rust and C types are the same scalar on every supported target.
        unsafe impl CType for $t {
            const AGGREGATE: bool = false;
            #[inline]
            fn c_type() -> Result<Type, TypeError> {
                Ok(Type::$c)
            }
        }
    )*};
}

scalar_ctypes! {
    i8 => I8, u8 => U8, i16 => I16, u16 => U16, i32 => I32, u32 => U32,
    i64 => I64, u64 => U64, isize => Isize, usize => Usize, f32 => F32, f64 => F64,
}

macro_rules! wide_ctypes {
    ($($t:ty => $c:ident),* $(,)?) => {$(
        // SAFETY: Rust's 128-bit integers have the layout of C's `__int128` (16 bytes,
        // 16-aligned, two's complement) on every supported target; the array layout
        // holds them by address, as it does structs (`AGGREGATE` stays true).
        unsafe impl CType for $t {
            #[inline]
            fn c_type() -> Result<Type, TypeError> {
                Ok(Type::$c)
            }
        }
    )*};
}

wide_ctypes! { i128 => I128, u128 => U128 }

// `F80` and `F128` are not `CType`s: they have the bytes of `long double` but not its
// calling convention (Rust passes them as 16-byte structs), so an `extern "C" fn` type
// with them would not be the C function's type. Use the `Value` or raw APIs.

// SAFETY: Rust's `bool` is C's `_Bool` (one byte, 0 or 1); reads normalise.
unsafe impl CType for bool {
    const AGGREGATE: bool = false;
    #[inline]
    fn c_type() -> Result<Type, TypeError> {
        Ok(Type::Bool)
    }
    #[inline(always)]
    unsafe fn read_from(place: *const u8) -> Self {
        // SAFETY: the caller's promise: one readable byte.
        unsafe { *place != 0 }
    }
}

// SAFETY: `()` is C's `void`: zero bytes, nothing read or written.
unsafe impl CType for () {
    const AGGREGATE: bool = false;
    #[inline]
    fn c_type() -> Result<Type, TypeError> {
        Ok(Type::Void)
    }
}

// SAFETY: a thin raw pointer is a C data pointer.
unsafe impl<T: 'static> CType for *const T {
    const AGGREGATE: bool = false;
    #[inline]
    fn c_type() -> Result<Type, TypeError> {
        Ok(Type::Ptr)
    }
}

// SAFETY: as above.
unsafe impl<T: 'static> CType for *mut T {
    const AGGREGATE: bool = false;
    #[inline]
    fn c_type() -> Result<Type, TypeError> {
        Ok(Type::Ptr)
    }
}

// SAFETY: a C array field has the layout of a Rust array of the same element type.
unsafe impl<T: CType, const N: usize> CType for [T; N] {
    fn c_type() -> Result<Type, TypeError> {
        Type::array(T::c_type()?, N)
    }
}

/// Implements [`CType`] for a struct, which the macro declares `#[repr(C)]`.
///
/// Write the struct inside the macro, with its attributes; every field type must be a
/// [`CType`] (scalars, other such structs, arrays of them) and the struct must be
/// `Copy`.
///
/// ```
/// springboard::c_struct! {
///     /// A complex number, as C's `struct { double re, im; }`.
///     #[derive(Clone, Copy, Debug, PartialEq)]
///     pub struct Complex {
///         pub re: f64,
///         pub im: f64,
///     }
/// }
/// use springboard::CType;
/// assert_eq!(Complex::c_type()?.to_string(), "{f64, f64}");
/// # Ok::<(), springboard::TypeError>(())
/// ```
#[macro_export]
macro_rules! c_struct {
    ($(#[$meta:meta])* $vis:vis struct $name:ident {
        $($(#[$field_meta:meta])* $field_vis:vis $field:ident : $ty:ty),+ $(,)?
    }) => {
        $(#[$meta])*
        #[repr(C)]
        $vis struct $name {
            $($(#[$field_meta])* $field_vis $field: $ty),+
        }

        // SAFETY: `#[repr(C)]` lays the fields out as C does, and every field is a
        // `CType`, whose own impl promises its layout.
        unsafe impl $crate::CType for $name {
            fn c_type() -> ::std::result::Result<$crate::Type, $crate::TypeError> {
                $crate::Type::structure(::std::vec![
                    $(<$ty as $crate::CType>::c_type()?),+
                ])
            }
        }
    };
}

/// A signature built from Rust types that springboard cannot use.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TypedError {
    /// A struct or array type that C does not allow.
    #[error("{0}")]
    Type(#[from] TypeError),
    /// The types make no C signature (a `()` parameter, an array parameter).
    #[error("{0}")]
    Signature(#[from] SignatureError),
    /// A `CType` impl whose Rust layout differs from its C type's.
    #[error(
        "the Rust type `{rust}` ({size} bytes, align {align}) does not have the layout of \
         the C type {c_type}"
    )]
    Layout {
        /// The Rust type's name.
        rust: &'static str,
        /// Its size.
        size: usize,
        /// Its alignment.
        align: usize,
        /// The C type it claims.
        c_type: Type,
    },
    /// A typed handle asked for with types other than the signature's.
    #[error("the Rust types spell `{requested}`, the trampoline was built for `{signature}`")]
    Mismatch {
        /// The trampoline's signature.
        signature: Box<Signature>,
        /// The signature the Rust types spell.
        requested: Box<Signature>,
    },
}

/// `T`'s C type, checked against its Rust layout.
fn checked_c_type<T: CType>() -> Result<Type, TypedError> {
    let c_type = T::c_type()?;
    let (size, align) = (size_of::<T>(), align_of::<T>());
    // `void` is a zero-sized type whose C "size" is 0; its alignment means nothing.
    let matches = size == c_type.size()
        && (c_type.is_void() || align == c_type.align())
        && T::AGGREGATE == c_type.by_address();
    if !matches {
        return Err(TypedError::Layout {
            rust: std::any::type_name::<T>(),
            size,
            align,
            c_type,
        });
    }
    Ok(c_type)
}

/// A tuple of [`CType`]s: the parameters of a typed downcall or callback, moved to and
/// from the argument array without [`Value`](crate::Value)s.
///
/// # Safety
/// Implemented here for tuples of 0 to 12 `CType`s; the methods must agree with
/// [`crate::array`]'s layout.
pub unsafe trait CArgs: Copy + 'static {
    /// The argument array for these values: one [`Slot`] per parameter.
    type Slots: AsRef<[Slot]>;
    /// `extern "C" fn(..) -> R` with these parameters.
    type Fn<R: CType>: CFn<Args = Self, Output = R>;
    /// `unsafe extern "C" fn(..) -> R` with these parameters.
    type UnsafeFn<R: CType>: CFn<Args = Self, Output = R>;

    /// The parameters' C types, checked against their Rust layouts.
    fn c_types() -> Result<Vec<Type>, TypedError>;

    /// The argument array: scalars in their slots, structs as pointers into `self`
    /// (so the slots are valid while `self` is neither moved nor dropped).
    fn to_slots(&self) -> Self::Slots;

    /// Reads the arguments back from an argument array.
    ///
    /// # Safety
    /// `args` must point to one slot per parameter, as a callback trampoline fills
    /// them: scalars in their slots, struct slots pointing to the struct's bytes.
    unsafe fn from_slots(args: *const Slot) -> Self;

    /// The address of `unsafe extern "C" fn(context, A0, A1, ..) -> MaybeUninit<R>`,
    /// the handler a context-binding callback of a typed closure `F` calls (see
    /// [`Engine::callback_bound`](crate::Engine::callback_bound)).
    #[doc(hidden)]
    fn bound_handler<R: CType, F: TypedClosure<Self, R>>() -> *const c_void;
}

/// A Rust function-pointer type whose parameters and result are [`CType`]s: what
/// [`Signature::of`] reads, what typed handles are built from, and what compiled code
/// is handed out as (`as_fn`, checked against the code's signature).
///
/// # Safety
/// Implemented here for `extern "C" fn` and `unsafe extern "C" fn` of 0 to 12
/// parameters (and on x86-64 `extern "win64"` and `extern "sysv64"` ones); `Self`
/// must be a pointer-sized function pointer of exactly this type, called with the
/// convention `CONVENTION` names.
pub unsafe trait CFn: Copy + 'static {
    /// The parameters, as a tuple.
    type Args: CArgs;
    /// The result (`()` for `void`).
    type Output: CType;
    /// The convention the type is called with (`Convention::C`: the platform's).
    const CONVENTION: Convention;

    /// The function pointer for code at `code`.
    ///
    /// # Safety
    /// `code` must be the address of a function of exactly this type, callable while
    /// the result is used.
    unsafe fn from_code(code: *const c_void) -> Self;

    /// The function's address.
    fn code(self) -> *const c_void;
}

impl Signature {
    /// The C signature of a function-pointer type, in its convention (`extern "C"`:
    /// the platform's C convention).
    ///
    /// ```
    /// use springboard::Signature;
    /// springboard::c_struct! {
    ///     #[derive(Clone, Copy)]
    ///     struct Pair { a: i32, b: f32 }
    /// }
    /// let signature = Signature::of::<unsafe extern "C" fn(Pair, *const u8)>()?;
    /// assert_eq!(signature, "({i32, f32}, ptr)".parse()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn of<F: CFn>() -> Result<Signature, TypedError> {
        let mut signature = Signature::new(
            <F::Args as CArgs>::c_types()?,
            checked_c_type::<F::Output>()?,
        );
        signature.convention = F::CONVENTION;
        signature.validate()?;
        Ok(signature)
    }

    /// The signature of parameters `A` and result `R`.
    pub(crate) fn of_parts<A: CArgs, R: CType>() -> Result<Signature, TypedError> {
        Signature::of::<A::Fn<R>>()
    }
}

/// Where a trampoline writes a `R` result: the result place of [`crate::array`], sized
/// and aligned for `R` and for a whole slot (integer results fill one), with room for a
/// struct rounded up to 8 bytes.
#[repr(C, align(8))]
pub(crate) struct ResultPlace<R> {
    value: MaybeUninit<R>,
    _spill: MaybeUninit<Slot>,
}

impl<R: CType> ResultPlace<R> {
    #[inline(always)]
    pub(crate) fn new() -> Self {
        ResultPlace {
            value: MaybeUninit::uninit(),
            _spill: MaybeUninit::uninit(),
        }
    }

    #[inline(always)]
    pub(crate) fn as_mut_ptr(&mut self) -> *mut Slot {
        (self as *mut Self).cast()
    }

    /// # Safety
    /// A trampoline for a signature with result `R` wrote the place.
    #[inline(always)]
    pub(crate) unsafe fn read(&self) -> R {
        // SAFETY: the caller's promise; the result bytes start at the place.
        unsafe { R::read_from((self as *const Self).cast()) }
    }
}

/// A scalar's slot (its bytes first, the rest zero), or a struct's slot (a pointer to
/// it).
#[inline(always)]
fn arg_slot<T: CType>(value: &T) -> Slot {
    if T::AGGREGATE {
        Slot::from_ptr(value as *const T)
    } else {
        let mut slot = Slot::default();
        // SAFETY: a scalar CType is at most 8 bytes (checked when its signature was
        // built; `void` is 0 bytes) and `value` is readable for its size.
        unsafe {
            std::ptr::copy_nonoverlapping(
                (value as *const T).cast::<u8>(),
                slot.0.as_mut_ptr(),
                size_of::<T>().min(8),
            )
        };
        slot
    }
}

/// Reads argument `T` from its slot.
///
/// # Safety
/// The slot holds a `T` as a callback trampoline writes it.
#[inline(always)]
unsafe fn read_arg<T: CType>(slot: *const Slot) -> T {
    // SAFETY: the caller's promise: a struct slot points to its bytes, a scalar is in
    // the slot's first bytes.
    unsafe {
        if T::AGGREGATE {
            T::read_from((*slot).as_ptr::<u8>())
        } else {
            T::read_from(slot.cast())
        }
    }
}

/// Writes a result of type `T` to a callback's result place.
///
/// # Safety
/// `result` holds a `T` result (one slot for scalars, the struct's size for structs).
#[inline(always)]
pub(crate) unsafe fn write_result<T: CType>(result: *mut c_void, value: T) {
    // SAFETY: the caller's promise.
    unsafe { result.cast::<T>().write_unaligned(value) }
}

/// [`CFn`] and [`CType`] (as `ptr`) for one function-pointer type `$f` with parameters
/// `$a` and result `R`.
macro_rules! fn_pointer_impls {
    ($f:ty, $convention:expr; $($a:ident),*) => {
        // SAFETY: a function pointer of exactly this type.
        unsafe impl<$($a: CType,)* R: CType> CFn for $f {
            type Args = ($($a,)*);
            type Output = R;
            const CONVENTION: Convention = $convention;
            #[inline]
            unsafe fn from_code(code: *const c_void) -> Self {
                // SAFETY: the caller's promise.
                unsafe { std::mem::transmute::<*const c_void, Self>(code) }
            }
            #[inline]
            fn code(self) -> *const c_void {
                self as *const c_void
            }
        }

        // SAFETY: a C function pointer is a C `ptr`.
        unsafe impl<$($a: CType,)* R: CType> CType for $f {
            const AGGREGATE: bool = false;
            #[inline]
            fn c_type() -> Result<Type, TypeError> {
                Ok(Type::Ptr)
            }
        }
    };
}

macro_rules! tuple_impls {
    ($($n:literal => ($($a:ident $i:tt),*);)*) => {$(
        // SAFETY: one slot per element, in order, as `crate::array` lays them out.
        unsafe impl<$($a: CType),*> CArgs for ($($a,)*) {
            type Slots = [Slot; $n];
            type Fn<R: CType> = extern "C" fn($($a),*) -> R;
            type UnsafeFn<R: CType> = unsafe extern "C" fn($($a),*) -> R;

            fn c_types() -> Result<Vec<Type>, TypedError> {
                Ok(vec![$(checked_c_type::<$a>()?),*])
            }

            #[inline(always)]
            #[allow(clippy::unused_unit)]
            fn to_slots(&self) -> [Slot; $n] {
                [$(arg_slot(&self.$i)),*]
            }

            #[inline(always)]
            #[allow(unused_variables, unused_unsafe, clippy::unused_unit)]
            unsafe fn from_slots(args: *const Slot) -> Self {
                // SAFETY: the caller's promise: one slot per parameter.
                unsafe { ($(read_arg::<$a>(args.add($i)),)*) }
            }

            fn bound_handler<R: CType, F: TypedClosure<Self, R>>() -> *const c_void {
                #[allow(non_snake_case)]
                unsafe extern "C" fn handler<$($a: CType,)* R: CType, F>(
                    context: *mut c_void,
                    $($a: $a,)*
                ) -> std::mem::MaybeUninit<R>
                where
                    F: TypedClosure<($($a,)*), R>,
                {
                    // SAFETY: the callback's context is its closure state.
                    unsafe { crate::engine::run_bound::<($($a,)*), R, F>(context, ($($a,)*)) }
                }
                handler::<$($a,)* R, F> as *const c_void
            }
        }

        fn_pointer_impls!(extern "C" fn($($a),*) -> R, Convention::C; $($a),*);
        fn_pointer_impls!(unsafe extern "C" fn($($a),*) -> R, Convention::C; $($a),*);
        #[cfg(target_arch = "x86_64")]
        fn_pointer_impls!(extern "win64" fn($($a),*) -> R, Convention::Win64; $($a),*);
        #[cfg(target_arch = "x86_64")]
        fn_pointer_impls!(unsafe extern "win64" fn($($a),*) -> R, Convention::Win64; $($a),*);
        #[cfg(target_arch = "x86_64")]
        fn_pointer_impls!(extern "sysv64" fn($($a),*) -> R, Convention::SysV; $($a),*);
        #[cfg(target_arch = "x86_64")]
        fn_pointer_impls!(unsafe extern "sysv64" fn($($a),*) -> R, Convention::SysV; $($a),*);

        impl<F, $($a: CType,)* R: CType> TypedClosure<($($a,)*), R> for F
        where
            F: Fn($($a),*) -> R + Send + Sync + 'static,
        {
            #[inline(always)]
            #[allow(unused_variables)]
            fn call_with(&self, args: ($($a,)*)) -> R {
                self($(args.$i),*)
            }
        }
    )*};
}

/// A Rust closure that can back a typed callback: `Fn(A0, A1, ..) -> R` for
/// [`CType`] parameters and result, `Send + Sync + 'static`. Implemented for every such
/// closure of 0 to 12 parameters.
pub trait TypedClosure<A: CArgs, R: CType>: Send + Sync + 'static {
    /// Calls the closure with the arguments of a tuple.
    fn call_with(&self, args: A) -> R;
}

tuple_impls! {
    0 => ();
    1 => (A0 0);
    2 => (A0 0, A1 1);
    3 => (A0 0, A1 1, A2 2);
    4 => (A0 0, A1 1, A2 2, A3 3);
    5 => (A0 0, A1 1, A2 2, A3 3, A4 4);
    6 => (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5);
    7 => (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6);
    8 => (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7);
    9 => (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8);
    10 => (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9);
    11 => (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10);
    12 => (A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11);
}

pub use crate::engine::{TypedCallback, TypedDowncall};
