//! Set-up and calls the downcall and fast-call benches share. Included with
//! `#[path = "support/setup.rs"] mod setup;`.
#![allow(dead_code)]

use springboard::{CompilerOptions, Engine, EngineOptions, RawDowncall, RegAlloc, Slot};
use std::ffi::c_void;
use std::hint::black_box;

/// An engine compiling with `regalloc` (downcalls and fast calls alike), without the
/// verifier, caching up to `cache_capacity` trampolines (0: every request compiles).
pub fn engine_with(regalloc: RegAlloc, cache_capacity: usize) -> Engine {
    Engine::with_options(EngineOptions {
        compiler: CompilerOptions {
            regalloc,
            fast_call_regalloc: regalloc,
            verify: false,
        },
        cache_capacity,
        ..EngineOptions::default()
    })
    .expect("engine")
}

/// The engines of the two register allocators with the labels the benches give them.
pub fn by_allocator<'a>(
    single_pass: &'a Engine,
    backtracking: &'a Engine,
) -> [(&'static str, &'a Engine); 2] {
    [("single_pass", single_pass), ("backtracking", backtracking)]
}

/// One call of `callee` through the raw downcall `raw` with the argument array `slots`
/// (trampoline, callee and array black-boxed).
///
/// # Safety
///
/// `raw` must be a downcall trampoline of `callee`'s signature and `slots` must hold one
/// slot per parameter of it.
#[inline(always)]
pub unsafe fn raw_call(raw: RawDowncall, callee: *const c_void, slots: &[Slot]) -> Slot {
    let mut result = Slot::default();
    // SAFETY: the caller's promise.
    unsafe { black_box(raw)(black_box(callee), black_box(slots.as_ptr()), &mut result) };
    result
}
