//! The random catalogue's 128-bit section: `i128`/`u128` (`__int128`) scalars and
//! structs with `i128`/`u128` members, mixed with the scalar catalogue's types
//! (`common::catalogue::PARAM_TYPES`) at random positions, in the host's C convention
//! (System V) and a quarter in `win64` (`ms_abi`), as downcalls and as callbacks.
//!
//! It is a catalogue section of its own, with its own seed, so the other catalogues'
//! seeds and case counts stay as they were. libffi has no 128-bit integer type
//! (`ffi_type` has no `__int128`, and a struct of two `uint64` is classified
//! differently on Windows x64 and AAPCS64), so there is no libffi differential here:
//! gcc is the reference.
//!
//! Every signature gets a gcc-compiled callee that folds every scalar leaf it receives
//! into a 64-bit hash (a 128-bit leaf as its low then its high half) and returns a
//! value made from the hash, and a gcc-compiled caller that calls a function pointer of
//! the signature with literal arguments and returns the hash of what it got back:
//! - downcalls: the callee's hash must be the hash of the values passed, and the
//!   returned value the one made from it, through the checked [`Downcall::call`];
//! - callbacks: the closure must receive the caller's literal values, and the caller
//!   must see the value the closure returned.
//!
//! The seed is printed on failure; `SPRINGBOARD_SEED=<decimal or 0x-hex>` replays one.
//!
//! [`Downcall::call`]: springboard::Downcall::call

mod common;

use common::c_cases::{same_value, CTypes};
use common::hashing::hash_start;
use common::wide::{
    c_source, callee_symbol, caller_symbol, hash_of, random_signature, random_value,
    result_from_hash,
};
use common::Rng;
use springboard::{Engine, Signature, Value};
use std::ffi::c_void;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

const SIGNATURES: usize = 160;
const VALUE_SETS: usize = 6;
const DEFAULT_SEED: u64 = 0x0128;

#[test]
fn random_i128_signatures_agree_with_gcc() {
    let seed = common::seed(DEFAULT_SEED);
    eprintln!("seed {seed:#x} (replay with SPRINGBOARD_SEED={seed:#x})");
    let mut rng = Rng(seed);
    let signatures: Vec<Signature> = (0..SIGNATURES)
        .map(|_| random_signature(&mut rng))
        .collect();
    let caller_values: Vec<Vec<Value>> = signatures
        .iter()
        .map(|s| {
            s.params
                .iter()
                .map(|ty| random_value(&mut rng, ty))
                .collect()
        })
        .collect();
    let library = common::build_c_library(
        &format!("i128_catalogue_{seed:016x}"),
        &c_source(&signatures, &caller_values, &mut CTypes::default()),
    );
    let last_hash = library.symbol("sb_last_hash") as *mut u64;
    let engine = Engine::new().unwrap();
    let downcalls = engine.downcalls(&signatures).unwrap();
    let (mut downcall_calls, mut callback_calls, mut win64) = (0, 0, 0);
    for (index, (signature, downcall)) in signatures.iter().zip(&downcalls).enumerate() {
        win64 += usize::from(signature.convention == springboard::Convention::Win64);
        let context = format!("signature {index} `{signature}`, seed {seed:#x}");
        let callee = library.symbol(&callee_symbol(index));
        for _ in 0..VALUE_SETS {
            let values: Vec<Value> = signature
                .params
                .iter()
                .map(|ty| random_value(&mut rng, ty))
                .collect();
            let hash = hash_of(index, &values);
            // SAFETY: `callee` is the gcc function of `signature`; `sb_last_hash` is a
            // `uint64_t` global of the library.
            let (returned, seen) = unsafe {
                last_hash.write_volatile(0);
                let returned = downcall
                    .call(callee, &values)
                    .unwrap_or_else(|e| panic!("{context}: {e}"));
                (returned, last_hash.read_volatile())
            };
            assert_eq!(seen, hash, "the callee's hash of {values:?}; {context}");
            let expected = result_from_hash(&signature.result, hash);
            assert!(
                same_value(&returned, &expected),
                "returned {returned}, expected {expected}; {context}"
            );
            downcall_calls += 1;
        }

        // A callback called by the gcc caller with its literal arguments.
        let observed = Arc::new(AtomicU64::new(0));
        let closure_observed = observed.clone();
        let result = signature.result.clone();
        let callback = engine
            .callback(signature, move |args| {
                let hash = hash_of(index, args);
                closure_observed.store(hash, Ordering::SeqCst);
                result_from_hash(&result, hash)
            })
            .unwrap_or_else(|e| panic!("{context}: {e}"));
        let caller = library.symbol(&caller_symbol(index));
        // SAFETY: the caller is `uint64_t caller(fn f)` with `f` of `signature`, which
        // the callback's code is.
        let caller: extern "C" fn(*const c_void) -> u64 = unsafe { std::mem::transmute(caller) };
        let got = caller(callback.code());
        let hash = hash_of(index, &caller_values[index]);
        assert_eq!(
            observed.load(Ordering::SeqCst),
            hash,
            "the callback's arguments from {:?}; {context}",
            caller_values[index]
        );
        let expected = result_from_hash(&signature.result, hash);
        let expected_hash = hash_of(index, std::slice::from_ref(&expected));
        let expected_hash = if signature.result.is_void() {
            hash_start(index)
        } else {
            expected_hash
        };
        assert_eq!(
            got, expected_hash,
            "the caller's view of {expected}; {context}"
        );
        callback_calls += 1;
    }
    eprintln!(
        "{downcall_calls} downcalls and {callback_calls} callbacks of {SIGNATURES} signatures \
         ({win64} in win64) agree with gcc"
    );
    assert_eq!(downcall_calls, SIGNATURES * VALUE_SETS);
    assert_eq!(callback_calls, SIGNATURES);
    assert!(win64 > 0, "no win64 signature with seed {seed:#x}");
}
