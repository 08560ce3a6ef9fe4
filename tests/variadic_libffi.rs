//! Differential test of variadic calls: springboard downcalls against libffi's
//! `ffi_prep_cif_var` + `ffi_call` on random variadic signatures, in System V and
//! Windows x64 (`ms_abi`), both checked against a hash computed in Rust.
//!
//! The callees are gcc-compiled C from `tests/common/variadic.rs`: each walks its
//! variadic part with `va_arg` and returns the hash of everything it read, so the
//! returned value is what the callee saw. One library is compiled per convention
//! and seed (not per case); every signature is then called with many value sets.
//!
//! The signatures include x87 `long double` (`f80`, `ffi_type_longdouble`), fixed and
//! variadic, often among `double`s and `int64_t`s: System V passes it in memory; for
//! Windows x64 the signatures with one are prepared as `FFI_GNUW64` (gcc's `ms_abi`,
//! which passes it by reference; `FFI_WIN64` is MSVC's, whose `long double` is
//! `double`).
//!
//! The seed is printed on failure; `SPRINGBOARD_SEED=<decimal or 0x-hex>` replays one.
#![cfg(all(target_arch = "x86_64", target_os = "linux"))]

mod common;

use common::ffi::{ffi_abi, ffi_type};
use common::variadic::{c_source, hash_values, Case, VARIADIC_SCALARS, VARIADIC_STRUCTS};
use common::Rng;
use libffi::low::{self, ffi_cif, CodePtr};
use springboard::{Convention, Signature, Slot, Tiering, Type, Value, F80};
use std::ffi::c_void;

/// Signatures per convention, and value sets per signature: 2 × 130 × 20 = 5,200 calls.
const SIGNATURES: usize = 130;
const VALUE_SETS: usize = 20;
const DEFAULT_SEED: u64 = 0x5b0a_7a41_0d1f_f001;

/// Fixed parameter types (no promotion applies there, so narrow ones and `f32` too).
const FIXED: [Type; 10] = [
    Type::F80,
    Type::I32,
    Type::F64,
    Type::U8,
    Type::F32,
    Type::I64,
    Type::I16,
    Type::Ptr,
    Type::Bool,
    Type::U64,
];

/// A random variadic signature: 1 to 8 fixed parameters (gcc's C has no `f(...)`),
/// 0 to 20 variadic arguments of the promoted types, `long double` and the struct
/// shapes, sometimes mostly floats (past the eight vector registers), mostly integers,
/// or mostly `long double`s among `double`s and `int64_t`s.
fn random_signature(rng: &mut Rng, convention: Convention) -> Signature {
    let fixed: Vec<Type> = (0..1 + rng.below(8))
        .map(|_| FIXED[rng.below(FIXED.len())].clone())
        .collect();
    let bias = rng.below(4);
    let variadic: Vec<Type> = (0..rng.below(21))
        .map(|_| match (bias, rng.below(10)) {
            (1, 0..=6) => Type::F64,
            (2, 0..=6) => Type::I64,
            (3, 0..=3) => Type::F80,
            (3, 4..=6) => [Type::F64, Type::I64][rng.below(2)].clone(),
            (_, 2) => Type::F80,
            (_, 0..=1) => VARIADIC_STRUCTS[rng.below(VARIADIC_STRUCTS.len())]
                .parse()
                .unwrap(),
            _ => VARIADIC_SCALARS[rng.below(VARIADIC_SCALARS.len())].clone(),
        })
        .collect();
    Signature::variadic(fixed, variadic, Type::U64).with_convention(convention)
}

/// A random value of `ty` (random bits; a struct member by member).
fn random_value(ty: &Type, rng: &mut Rng) -> Value {
    match ty.as_struct() {
        Some(layout) => {
            let fields: Vec<Value> = layout
                .fields()
                .iter()
                .map(|field| random_value(field, rng))
                .collect();
            Value::structure(ty, &fields).unwrap()
        }
        None if *ty == Type::Bool => Value::Bool(rng.below(2) == 1),
        None if *ty == Type::F80 => Value::F80(random_f80(rng)),
        None => Value::from_slot(ty, Slot(rng.next_u64().to_le_bytes())),
    }
}

/// A random normal x87 `long double` (padding zero): random significand (the explicit
/// integer bit set), exponent and sign, which the x87 loads and stores unchanged.
fn random_f80(rng: &mut Rng) -> F80 {
    let significand = rng.next_u64() | 1 << 63;
    let top = (1 + rng.below(0x7ffe) as u16) | ((rng.below(2) as u16) << 15);
    let mut bytes = [0; 16];
    bytes[..8].copy_from_slice(&significand.to_le_bytes());
    bytes[8..10].copy_from_slice(&top.to_le_bytes());
    F80::from_bytes(bytes)
}

/// The libffi ABI of `signature`: `FFI_GNUW64` for a Windows x64 one with a `long
/// double` (gcc's, by reference), [`ffi_abi`] otherwise.
fn abi_of(signature: &Signature) -> libffi::raw::ffi_abi {
    if signature.convention == Convention::Win64 && signature.params.contains(&Type::F80) {
        libffi::raw::ffi_abi_FFI_GNUW64
    } else {
        ffi_abi(signature.convention)
    }
}

/// A prepared variadic call interface and the libffi types it points to.
struct VariadicCif {
    cif: Box<ffi_cif>,
    _types: Vec<libffi::middle::Type>,
    _result: libffi::middle::Type,
    _pointers: Vec<*mut low::ffi_type>,
}

/// `ffi_prep_cif_var` for `signature`.
fn prep_cif_var(signature: &Signature) -> VariadicCif {
    let types: Vec<libffi::middle::Type> = signature.params.iter().map(ffi_type).collect();
    let result = ffi_type(&signature.result);
    let mut pointers: Vec<*mut low::ffi_type> = types.iter().map(|t| t.as_raw_ptr()).collect();
    let mut cif: Box<ffi_cif> = Box::default();
    // SAFETY: the types are valid libffi types that `VariadicCif` keeps alive with the
    // array of pointers to them.
    unsafe {
        low::prep_cif_var(
            &mut *cif,
            abi_of(signature),
            signature.variadic_from.unwrap(),
            pointers.len(),
            result.as_raw_ptr(),
            pointers.as_mut_ptr(),
        )
    }
    .unwrap_or_else(|e| panic!("ffi_prep_cif_var for `{signature}`: {e:?}"));
    VariadicCif {
        cif,
        _types: types,
        _result: result,
        _pointers: pointers,
    }
}

/// The C-layout bytes of a value, in 8-aligned words (what libffi reads through an
/// argument pointer).
fn encoded(value: &Value, ty: &Type) -> Vec<u64> {
    let mut words = vec![0u64; ty.size().div_ceil(8).max(1)];
    // SAFETY: the words are plain bytes, at least `ty.size()` of them.
    let bytes = unsafe { std::slice::from_raw_parts_mut(words.as_mut_ptr().cast(), ty.size()) };
    value.encode(bytes);
    words
}

/// Runs every call of one convention; returns the number of calls made.
fn differential(convention: Convention, seed: u64, tiering: Tiering) -> usize {
    let mut rng = Rng(seed);
    let signatures: Vec<Signature> = (0..SIGNATURES)
        .map(|_| random_signature(&mut rng, convention))
        .collect();
    // What the signatures reach: variadic structs, variadic floats past the eight
    // vector registers, variadic arguments on the stack (past 6 + 8 or 4 registers).
    let variadic = |s: &Signature| s.params[s.variadic_from.unwrap()..].to_vec();
    let reaches = |test: &dyn Fn(&Signature) -> bool| signatures.iter().filter(|s| test(s)).count();
    let with_structs = reaches(&|s| variadic(s).iter().any(Type::is_aggregate));
    let many_floats = reaches(&|s| s.params.iter().filter(|t| **t == Type::F64).count() > 8);
    let on_stack = reaches(&|s| s.params.len() > 14);
    let long_doubles = reaches(&|s| variadic(s).iter().filter(|t| **t == Type::F80).count() > 3);
    assert!(
        with_structs > 10 && many_floats > 10 && on_stack > 10 && long_doubles > 10,
        "{convention}: {with_structs} with variadic structs, {many_floats} with more than 8 \
         doubles, {on_stack} with more than 14 arguments, {long_doubles} with more than 3 \
         variadic long doubles"
    );
    // The generator wants a value set per signature only to write C-to-C callers,
    // which this test does not call.
    let cases: Vec<Case> = signatures
        .iter()
        .map(|signature| Case {
            signature: signature.clone(),
            values: signature
                .params
                .iter()
                .map(|ty| random_value(ty, &mut rng))
                .collect(),
        })
        .collect();
    let ms = convention == Convention::Win64;
    // A library per mode: the tests run at once.
    let mode = if tiering == Tiering::Eager {
        ""
    } else {
        "_lazy"
    };
    let name = format!("variadic_libffi_{}_{seed:016x}{mode}", convention.name());
    let library = common::build_c_library(&name, &c_source(&cases, ms));
    let engine = common::engine_with_tiering(tiering);
    let downcalls = engine.downcalls(&signatures).unwrap();
    if tiering == common::GENERIC_ONLY {
        // Most have a plan (the rest pass more than 16 stack words).
        let generic = downcalls.iter().filter(|d| !d.runs_compiled_code()).count();
        assert!(
            2 * generic > downcalls.len(),
            "only {generic} on the generic path"
        );
    }
    let mut calls = 0;
    for (index, (signature, downcall)) in signatures.iter().zip(&downcalls).enumerate() {
        let callee = library.symbol(&format!("sb_callee_{index}"));
        let cif = prep_cif_var(signature);
        for set in 0..VALUE_SETS {
            let values: Vec<Value> = signature
                .params
                .iter()
                .map(|ty| random_value(ty, &mut rng))
                .collect();
            let context = || {
                format!(
                    "seed {seed:#x} (SPRINGBOARD_SEED={seed:#x}), {convention} signature \
                     #{index} `{signature}`, value set {set}, arguments {values:?}"
                )
            };
            let expected = hash_values(index, &values);
            // SAFETY: the callee was generated from `signature`; it dereferences no
            // pointer argument.
            let got = unsafe { downcall.call(callee, &values) }.unwrap();
            let buffers: Vec<Vec<u64>> = values
                .iter()
                .zip(&signature.params)
                .map(|(value, ty)| encoded(value, ty))
                .collect();
            let mut pointers: Vec<*mut c_void> = buffers
                .iter()
                .map(|buffer| buffer.as_ptr() as *mut c_void)
                .collect();
            // SAFETY: the cif was prepared for the callee's signature; each argument
            // pointer points to the value's C-layout bytes, alive across the call.
            let libffi: u64 = unsafe {
                low::call(
                    &*cif.cif as *const ffi_cif as *mut ffi_cif,
                    CodePtr::from_ptr(callee),
                    pointers.as_mut_ptr(),
                )
            };
            assert_eq!(
                libffi,
                expected,
                "libffi's call differs from the hash: {}",
                context()
            );
            assert_eq!(
                got,
                Value::U64(libffi),
                "springboard and libffi disagree: {}",
                context()
            );
            calls += 1;
        }
    }
    calls
}

#[test]
fn random_variadic_signatures_agree_with_libffi() {
    let seed = common::seed(DEFAULT_SEED);
    eprintln!("seed {seed:#x} (replay with SPRINGBOARD_SEED={seed:#x})");
    let sysv = differential(Convention::C, seed, Tiering::Eager);
    let win64 = differential(Convention::Win64, seed ^ 0x77, Tiering::Eager);
    assert_eq!(sysv + win64, 2 * SIGNATURES * VALUE_SETS);
    assert!(sysv + win64 >= 5_000);
}

#[test]
fn random_variadic_signatures_agree_with_libffi_through_the_generic_caller() {
    let seed = common::seed(DEFAULT_SEED);
    eprintln!("seed {seed:#x} (replay with SPRINGBOARD_SEED={seed:#x})");
    let sysv = differential(Convention::C, seed, common::GENERIC_ONLY);
    assert_eq!(sysv, SIGNATURES * VALUE_SETS);
}
