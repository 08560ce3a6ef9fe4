//! libffi's argument layout (an array of pointers to the values,
//! [`springboard::ArgLayout::Pointers`]) built from, and turned into, the array layout,
//! so that every catalogue runs its cases through both layouts with one checker.

use springboard::{Callback, Engine, RawHandler, Signature, Slot, Type};
use std::ffi::c_void;

/// Whether the array layout holds an argument of type `ty` by address.
fn by_address(ty: &Type) -> bool {
    ty.is_aggregate() || ty.is_wide()
}

/// The pointer array for the argument array `args` of parameters `params`: a
/// scalar's pointer is its slot (its value sits in the slot's first bytes), a struct's
/// (or 128-bit integer's) is the address its slot holds.
pub fn pointers_to(args: &[Slot], params: &[Type]) -> Vec<*mut c_void> {
    args.iter()
        .zip(params)
        .map(|(slot, ty)| {
            if by_address(ty) {
                slot.as_ptr::<c_void>()
            } else {
                slot as *const Slot as *mut c_void
            }
        })
        .collect()
}

/// The most parameters an adapted handler's signature may have.
const MOST_ARGS: usize = 64;

/// An array-layout handler, called through a pointer-layout callback.
pub struct Adapted {
    inner: RawHandler,
    context: *mut c_void,
    params: Vec<Type>,
}

/// The pointer-layout handler of an [`Adapted`] context: turns the pointer array into
/// an argument array (a scalar's own bytes, zero above them; a struct's address) and
/// calls the inner handler with it and the same result place.
unsafe extern "C" fn adapting_handler(
    context: *mut c_void,
    args: *mut *mut c_void,
    result: *mut c_void,
) {
    // SAFETY: the context is the `Adapted` of this callback, alive while it is.
    let adapted = unsafe { &*(context as *const Adapted) };
    // On this stack, as a trampoline's own array would be (handlers may check).
    let mut slots = [Slot::default(); MOST_ARGS];
    for ((i, ty), slot) in adapted.params.iter().enumerate().zip(&mut slots) {
        // SAFETY: the trampoline passes one pointer per parameter, to a value of its
        // type.
        let pointer = unsafe { *args.add(i) };
        if by_address(ty) {
            *slot = Slot::from_ptr(pointer);
        } else {
            // SAFETY: a scalar value of `ty.size()` (at most 8) bytes.
            unsafe {
                std::ptr::copy_nonoverlapping(pointer as *const u8, slot.0.as_mut_ptr(), ty.size())
            };
        }
    }
    // SAFETY: the inner handler's contract: its context, an argument array of the
    // signature, the result place.
    unsafe { (adapted.inner)(adapted.context, slots.as_mut_ptr(), result.cast()) }
}

/// A callback in libffi's layout for `signature` whose handler hands `inner` the
/// arguments as an argument array; the returned box must outlive the callback.
pub fn pointer_callback(
    engine: &Engine,
    signature: &Signature,
    inner: RawHandler,
    context: *mut c_void,
) -> (Callback, Box<Adapted>) {
    assert!(
        signature.params.len() <= MOST_ARGS,
        "a signature the adapter holds"
    );
    let adapted = Box::new(Adapted {
        inner,
        context,
        params: signature.params.clone(),
    });
    let pointer = &*adapted as *const Adapted as *mut c_void;
    let callback = engine
        .pointer_callback_raw(signature, adapting_handler, pointer)
        .unwrap();
    (callback, adapted)
}
