//! `_Complex` differential: springboard spells `float _Complex` and `double _Complex`
//! as the structs `{f32, f32}` and `{f64, f64}` (it has no complex type of its own);
//! libffi has `ffi_type_complex_float` and `ffi_type_complex_double` (the `libffi`
//! crate's `complex` feature). On random signatures mixing complex values with the
//! scalar catalogue's types, in the host's System V convention and a quarter in
//! `win64`:
//! - springboard downcalls call gcc callees declared with the real complex types; each
//!   callee folds every argument (a complex one as its real then imaginary part's bits)
//!   into a hash and returns a value made from it, which must be what Rust computes;
//! - libffi's `ffi_call`, with the complex types, calls the same callees and must agree
//!   with gcc;
//! - libffi's `ffi_call` also calls springboard callbacks of the signature, which must
//!   receive the values and return the result libffi reads as a complex.
//!
//! So springboard's struct spelling and libffi's complex types meet on both sides of
//! the call, in both conventions: libffi 3.4.4 (Debian 12's system libffi) accepts the
//! complex types in `FFI_WIN64` too, and agrees with gcc's `ms_abi` (8-byte
//! `float _Complex` in an integer register, 16-byte `double _Complex` by reference).
//! Over seeds 0xc0 and 1 to 3 there was no disagreement at all. Complex `long double`
//! is not here: springboard has no `long double`.
//!
//! The seed is printed on failure; `SPRINGBOARD_SEED=<decimal or 0x-hex>` replays one.

mod common;

use common::c_cases::c_type;
use common::catalogue::PARAM_TYPES;
use common::ffi::{ffi_abi, ffi_type};
use common::hashing::{c_function_head, c_hash_input, hash_input, hash_start, mix, C_PRELUDE};
use common::Rng;
use libffi::middle::{Arg, Cif, CodePtr, Ret, Type as FfiType};
use springboard::{Convention, Engine, Signature, Slot, Type, Value};
use std::ffi::c_void;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

const SIGNATURES: usize = 240;
const VALUE_SETS: usize = 24;
const MAX_PARAMS: usize = 12;
const DEFAULT_SEED: u64 = 0xc0;

/// A parameter or result: a catalogue scalar or a complex type.
#[derive(Clone, Copy, Debug, PartialEq)]
enum CType {
    Scalar(usize),
    ComplexFloat,
    ComplexDouble,
    Void,
}

impl CType {
    /// springboard's spelling.
    fn springboard(self) -> Type {
        match self {
            CType::Scalar(i) => PARAM_TYPES[i].clone(),
            CType::ComplexFloat => "{f32, f32}".parse().unwrap(),
            CType::ComplexDouble => "{f64, f64}".parse().unwrap(),
            CType::Void => Type::Void,
        }
    }

    /// libffi's.
    fn libffi(self) -> FfiType {
        match self {
            CType::ComplexFloat => FfiType::c32(),
            CType::ComplexDouble => FfiType::c64(),
            other => ffi_type(&other.springboard()),
        }
    }

    /// gcc's.
    fn c(self) -> &'static str {
        match self {
            CType::ComplexFloat => "float _Complex",
            CType::ComplexDouble => "double _Complex",
            other => c_type(&other.springboard()),
        }
    }

    fn is_complex(self) -> bool {
        matches!(self, CType::ComplexFloat | CType::ComplexDouble)
    }
}

fn random_ctype(rng: &mut Rng) -> CType {
    match rng.below(3) {
        0 => CType::ComplexFloat,
        1 => CType::ComplexDouble,
        _ => CType::Scalar(rng.below(PARAM_TYPES.len())),
    }
}

#[derive(Debug)]
struct Case {
    params: Vec<CType>,
    result: CType,
    signature: Signature,
}

fn random_case(rng: &mut Rng) -> Case {
    loop {
        let params: Vec<CType> = (0..rng.below(MAX_PARAMS + 1))
            .map(|_| random_ctype(rng))
            .collect();
        let result = match rng.below(4) {
            0 => CType::Void,
            _ => random_ctype(rng),
        };
        if !params.iter().any(|p| p.is_complex()) && !result.is_complex() {
            continue;
        }
        let types = params.iter().map(|p| p.springboard()).collect();
        let signature = rng.signature(types, result.springboard());
        return Case {
            params,
            result,
            signature,
        };
    }
}

/// A complex value's parts (a scalar's one value).
fn parts(value: &Value) -> Vec<Value> {
    match value {
        Value::Struct(aggregate) => aggregate.members().to_vec(),
        scalar => vec![scalar.clone()],
    }
}

fn hash_of(index: usize, values: &[Value]) -> u64 {
    values
        .iter()
        .flat_map(parts)
        .fold(hash_start(index), |h, part| mix(h, hash_input(&part)))
}

/// A scalar of type `ty` made from `bits`.
fn scalar_from_bits(ty: &Type, bits: u64) -> Value {
    match ty {
        Type::Bool => Value::Bool(bits & 1 == 1),
        _ => Value::from_slot(ty, Slot(bits.to_le_bytes())),
    }
}

/// What the callee (and the callback) returns for `hash`: part `k` from
/// `mix(hash, k + 1)`.
fn result_from_hash(ty: &Type, hash: u64) -> Value {
    match ty {
        Type::Void => Value::Void,
        Type::Struct(layout) => {
            let fields: Vec<Value> = layout
                .fields()
                .iter()
                .enumerate()
                .map(|(k, f)| scalar_from_bits(f, mix(hash, k as u64 + 1)))
                .collect();
            Value::structure(ty, &fields).unwrap()
        }
        scalar => scalar_from_bits(scalar, mix(hash, 1)),
    }
}

fn random_value(rng: &mut Rng, ty: &Type) -> Value {
    match ty {
        Type::Struct(layout) => {
            let fields: Vec<Value> = layout
                .fields()
                .iter()
                .map(|f| random_value(rng, f))
                .collect();
            Value::structure(ty, &fields).unwrap()
        }
        scalar => {
            let bits = rng.next_u64();
            // Ordinary floats mostly (NaN payloads are not this test's subject).
            match scalar {
                Type::F32 => Value::F32((bits % 2_000_001) as f32 / 1000.0 - 1000.0),
                Type::F64 => Value::F64((bits % 2_000_000_001) as f64 / 1e6 - 1000.0),
                _ => scalar_from_bits(scalar, bits),
            }
        }
    }
}

fn symbol(index: usize) -> String {
    format!("sb_complex_{index}")
}

fn c_source(cases: &[Case]) -> String {
    let mut out = String::new();
    for (index, case) in cases.iter().enumerate() {
        let f = &mut out;
        let mut types = case.params.iter().copied();
        // `c_function_head` names the parameters' types in order, then the result's.
        let head = c_function_head(&case.signature, &symbol(index), |_| {
            types.next().unwrap_or(case.result).c().to_string()
        });
        writeln!(
            f,
            "\n/* {} */\n{head} {{\n    uint64_t h = 0x{:016x}ull;",
            case.signature,
            hash_start(index)
        )
        .unwrap();
        for (i, param) in case.params.iter().enumerate() {
            let name = format!("a{i}");
            match param {
                CType::ComplexFloat | CType::ComplexDouble => {
                    let part = if *param == CType::ComplexFloat {
                        Type::F32
                    } else {
                        Type::F64
                    };
                    for op in ["__real__", "__imag__"] {
                        let input = c_hash_input(&part, &format!("{op} {name}"));
                        writeln!(f, "    h = sb_mix(h, {input});").unwrap();
                    }
                }
                scalar => {
                    let input = c_hash_input(&scalar.springboard(), &name);
                    writeln!(f, "    h = sb_mix(h, {input});").unwrap();
                }
            }
        }
        writeln!(f, "    sb_last_hash = h;").unwrap();
        let from_bits = |ty: &Type, bits: &str| match ty {
            Type::Bool => format!("(({bits}) & 1) != 0"),
            Type::F32 => format!("sb_f32((uint32_t)({bits}))"),
            Type::F64 => format!("sb_f64({bits})"),
            Type::Ptr => format!("(void *)(uintptr_t)({bits})"),
            _ => format!("({})({bits})", c_type(ty)),
        };
        match case.result {
            CType::Void => {}
            CType::ComplexFloat | CType::ComplexDouble => {
                let part = if case.result == CType::ComplexFloat {
                    Type::F32
                } else {
                    Type::F64
                };
                writeln!(f, "    {} r;", case.result.c()).unwrap();
                writeln!(f, "    __real__ r = {};", from_bits(&part, "sb_mix(h, 1)")).unwrap();
                writeln!(f, "    __imag__ r = {};", from_bits(&part, "sb_mix(h, 2)")).unwrap();
                writeln!(f, "    return r;").unwrap();
            }
            scalar => {
                let made = from_bits(&scalar.springboard(), "sb_mix(h, 1)");
                writeln!(f, "    return {made};").unwrap();
            }
        }
        writeln!(f, "}}").unwrap();
    }
    format!(
        "/* Generated by tests/complex_libffi.rs: complex-hashing functions. */\n{C_PRELUDE}{out}"
    )
}

/// A value's C-layout bytes in 8-byte words (what libffi's argument pointers point at).
fn words_of(value: &Value) -> Vec<u64> {
    let mut bytes = vec![0u8; value.ty().size().max(8).next_multiple_of(8)];
    value.encode(&mut bytes);
    bytes
        .chunks(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

/// The value of type `ty` in the first bytes of `words`.
fn value_from_words(ty: &Type, words: &[u64]) -> Value {
    let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    Value::decode(ty, &bytes)
}

/// Calls `code` through libffi with `values`; returns the result as `ty`.
fn call_libffi(cif: &Cif, code: *const c_void, values: &[Value], ty: &Type) -> Value {
    let buffers: Vec<Vec<u64>> = values.iter().map(words_of).collect();
    let args: Vec<Arg> = buffers.iter().map(|b| Arg::new(&b[0])).collect();
    let mut result = vec![0u64; 4];
    // SAFETY: the cif describes the function at `code` (its types and convention);
    // each argument points to its value's C-layout bytes; the result buffer has room
    // for any result of these signatures (and libffi's widened `ffi_arg`).
    unsafe {
        let ret = if ty.is_void() {
            Ret::void()
        } else {
            Ret::new(&mut result[0])
        };
        cif.call_return_into(CodePtr::from_ptr(code), &args, ret);
    }
    if ty.is_void() {
        Value::Void
    } else {
        value_from_words(ty, &result)
    }
}

/// Values compared by type and bytes (floats by bits).
fn same(a: &Value, b: &Value) -> bool {
    let bytes = |v: &Value| {
        let mut out = vec![0u8; v.ty().size()];
        v.encode(&mut out);
        out
    };
    a.ty() == b.ty() && bytes(a) == bytes(b)
}

#[test]
fn random_complex_signatures_agree_with_gcc_and_libffi() {
    let seed = common::seed(DEFAULT_SEED);
    eprintln!("seed {seed:#x} (replay with SPRINGBOARD_SEED={seed:#x})");
    let mut rng = Rng(seed);
    let cases: Vec<Case> = (0..SIGNATURES).map(|_| random_case(&mut rng)).collect();
    let library =
        common::build_c_library(&format!("complex_ffi_diff_{seed:016x}"), &c_source(&cases));
    let last_hash = library.symbol("sb_last_hash") as *mut u64;
    let engine = Engine::new().unwrap();
    let signatures: Vec<Signature> = cases.iter().map(|c| c.signature.clone()).collect();
    let downcalls = engine.downcalls(&signatures).unwrap();
    let (mut springboard_calls, mut libffi_calls, mut libffi_callbacks) = (0, 0, 0);
    let mut win64 = 0;
    for (index, (case, downcall)) in cases.iter().zip(&downcalls).enumerate() {
        let signature = &case.signature;
        let context = format!(
            "signature {index} `{signature}` ({:?} -> {:?}), seed {seed:#x}",
            case.params, case.result
        );
        let callee = library.symbol(&symbol(index));
        let cif = Cif::try_new_with_abi(
            case.params.iter().map(|p| p.libffi()),
            case.result.libffi(),
            ffi_abi(signature.convention),
        )
        .unwrap_or_else(|e| panic!("ffi_prep_cif: {e:?}; {context}"));
        win64 += usize::from(signature.convention == Convention::Win64);
        for _ in 0..VALUE_SETS {
            let values: Vec<Value> = signature
                .params
                .iter()
                .map(|ty| random_value(&mut rng, ty))
                .collect();
            let hash = hash_of(index, &values);
            let expected = result_from_hash(&signature.result, hash);
            // SAFETY: `callee` is the gcc function of `signature`; `sb_last_hash` is
            // a `uint64_t` global of the library.
            let (returned, seen) = unsafe {
                last_hash.write_volatile(0);
                let returned = downcall
                    .call(callee, &values)
                    .unwrap_or_else(|e| panic!("{e}; {context}"));
                (returned, last_hash.read_volatile())
            };
            assert_eq!(seen, hash, "springboard: the callee's hash; {context}");
            assert!(
                same(&returned, &expected),
                "springboard returned {returned}, expected {expected}; {context}"
            );
            springboard_calls += 1;
            // SAFETY: a `uint64_t` global of the library.
            unsafe { last_hash.write_volatile(0) };
            let returned = call_libffi(&cif, callee, &values, &signature.result);
            // SAFETY: as above.
            let seen = unsafe { last_hash.read_volatile() };
            assert_eq!(seen, hash, "libffi: the callee's hash; {context}");
            assert!(
                same(&returned, &expected),
                "libffi returned {returned}, expected {expected}; {context}"
            );
            libffi_calls += 1;
        }
        // libffi calls a springboard callback with the complex types.
        let observed = Arc::new(AtomicU64::new(0));
        let closure_observed = observed.clone();
        let result = signature.result.clone();
        let callback = engine
            .callback(signature, move |args| {
                let hash = hash_of(index, args);
                closure_observed.store(hash, Ordering::SeqCst);
                result_from_hash(&result, hash)
            })
            .unwrap_or_else(|e| panic!("{e}; {context}"));
        let values: Vec<Value> = signature
            .params
            .iter()
            .map(|ty| random_value(&mut rng, ty))
            .collect();
        let returned = call_libffi(&cif, callback.code(), &values, &signature.result);
        let hash = hash_of(index, &values);
        assert_eq!(
            observed.load(Ordering::SeqCst),
            hash,
            "the callback's arguments from libffi; {context}"
        );
        let expected = result_from_hash(&signature.result, hash);
        assert!(
            same(&returned, &expected),
            "libffi got {returned} from the callback, expected {expected}; {context}"
        );
        libffi_callbacks += 1;
    }
    eprintln!(
        "{springboard_calls} springboard downcalls, {libffi_calls} libffi calls of gcc \
         callees and {libffi_callbacks} libffi calls of springboard callbacks agree \
         ({win64} signatures in win64)"
    );
    assert_eq!(springboard_calls, SIGNATURES * VALUE_SETS);
    assert_eq!(libffi_calls, SIGNATURES * VALUE_SETS);
    assert_eq!(libffi_callbacks, SIGNATURES);
    assert!(win64 > 0, "no win64 signature with seed {seed:#x}");
}
