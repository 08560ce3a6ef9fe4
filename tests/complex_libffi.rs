//! `_Complex` differential: springboard spells `float _Complex` and `double _Complex`
//! as the structs `{f32, f32}` and `{f64, f64}`, and `long double _Complex` as
//! `complex<f80>` (a type of its own: System V returns it in `st0`/`st1`); libffi has
//! `ffi_type_complex_float`, `ffi_type_complex_double` and
//! `ffi_type_complex_longdouble` (the `libffi` crate's `complex` feature). On random signatures mixing complex values with the
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
//! - a third of the System V signatures are variadic calls (`ffi_prep_cif_var`; the gcc
//!   callee reads its variadic part, complex values included, with `va_arg`).
//!
//! So springboard's struct spelling and libffi's complex types meet on both sides of
//! the call, in both conventions: libffi 3.4.4 (Debian 12's system libffi) accepts the
//! complex types in `FFI_WIN64` too, and agrees with gcc's `ms_abi` (8-byte
//! `float _Complex` in an integer register, 16-byte `double _Complex` by reference).
//! Over seeds 0xc0 and 1 to 3 there was no disagreement at all. libffi 3.4.4 also
//! accepts `ffi_type_complex_longdouble` in both (System V: in memory, the result in
//! `st0`/`st1`; `FFI_WIN64`: by reference, the result through a hidden pointer, as
//! gcc's `ms_abi`). A `long double` part is hashed as its ten value bytes (the
//! significand word, then sign and exponent), and results are compared on those
//! bytes (an x87 store leaves the padding as it was).
//!
//! The seed is printed on failure; `SPRINGBOARD_SEED=<decimal or 0x-hex>` replays one.

mod common;

use common::c_cases::c_type;
use common::catalogue::PARAM_TYPES;
use common::ffi::{ffi_abi, ffi_type};
use common::hashing::{c_function_head, c_hash_input, hash_input, hash_start, mix, C_PRELUDE};
use common::Rng;
use libffi::middle::{Arg, Cif, CodePtr, Ret, Type as FfiType};
use springboard::{Convention, Engine, Signature, Slot, Type, Value, F80};
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
    ComplexLongDouble,
    Void,
}

impl CType {
    /// springboard's spelling.
    fn springboard(self) -> Type {
        match self {
            CType::Scalar(i) => PARAM_TYPES[i].clone(),
            CType::ComplexFloat => "{f32, f32}".parse().unwrap(),
            CType::ComplexDouble => "{f64, f64}".parse().unwrap(),
            CType::ComplexLongDouble => "complex<f80>".parse().unwrap(),
            CType::Void => Type::Void,
        }
    }

    /// libffi's.
    fn libffi(self) -> FfiType {
        match self {
            CType::ComplexFloat => FfiType::c32(),
            CType::ComplexDouble => FfiType::c64(),
            CType::ComplexLongDouble => FfiType::complex_longdouble(),
            other => ffi_type(&other.springboard()),
        }
    }

    /// gcc's.
    fn c(self) -> &'static str {
        match self {
            CType::ComplexFloat => "float _Complex",
            CType::ComplexDouble => "double _Complex",
            CType::ComplexLongDouble => "long double _Complex",
            other => c_type(&other.springboard()),
        }
    }

    fn is_complex(self) -> bool {
        matches!(
            self,
            CType::ComplexFloat | CType::ComplexDouble | CType::ComplexLongDouble
        )
    }

    /// The part type of a complex type.
    fn part(self) -> Type {
        match self {
            CType::ComplexFloat => Type::F32,
            CType::ComplexDouble => Type::F64,
            CType::ComplexLongDouble => Type::F80,
            other => panic!("{other:?} is not complex"),
        }
    }
}

fn random_ctype(rng: &mut Rng) -> CType {
    match rng.below(4) {
        0 => CType::ComplexFloat,
        1 => CType::ComplexDouble,
        2 => CType::ComplexLongDouble,
        _ => CType::Scalar(rng.below(PARAM_TYPES.len())),
    }
}

#[derive(Debug)]
struct Case {
    params: Vec<CType>,
    result: CType,
    signature: Signature,
}

impl Case {
    /// Where the variadic part starts, for a variadic case.
    fn variadic_from(&self) -> Option<usize> {
        self.signature.variadic_from
    }
}

/// Whether a scalar may be a variadic argument as it is (the default argument
/// promotions leave it alone); complex types are never promoted.
fn is_promoted(ty: CType) -> bool {
    match ty {
        CType::Scalar(i) => !matches!(
            PARAM_TYPES[i],
            Type::Bool | Type::I8 | Type::U8 | Type::I16 | Type::U16 | Type::F32
        ),
        _ => true,
    }
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
        // A third are variadic calls in System V (gcc's C wants a fixed parameter
        // first), the variadic part in the promoted types: libffi's
        // `ffi_prep_cif_var` on one side, gcc's `va_arg` on the other.
        let mut params = params;
        let variadic_from =
            (params.len() >= 2 && rng.below(3) == 0).then(|| 1 + rng.below(params.len() - 1));
        if let Some(fixed) = variadic_from {
            for param in &mut params[fixed..] {
                while !is_promoted(*param) {
                    *param = random_ctype(rng);
                }
            }
        }
        let types: Vec<Type> = params.iter().map(|p| p.springboard()).collect();
        let signature = match variadic_from {
            Some(fixed) => Signature::variadic(
                types[..fixed].to_vec(),
                types[fixed..].to_vec(),
                result.springboard(),
            ),
            None => rng.signature(types, result.springboard()),
        };
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

/// What a part contributes to the hash: a `long double` its significand word, then
/// its sign and exponent; any other scalar its one hash input.
fn part_inputs(part: &Value) -> Vec<u64> {
    match part {
        Value::F80(v) => {
            let bytes = v.to_bytes();
            let top = u16::from_le_bytes([bytes[8], bytes[9]]);
            vec![
                u64::from_le_bytes(bytes[..8].try_into().unwrap()),
                top.into(),
            ]
        }
        scalar => vec![hash_input(scalar)],
    }
}

fn hash_of(index: usize, values: &[Value]) -> u64 {
    values
        .iter()
        .flat_map(parts)
        .flat_map(|part| part_inputs(&part))
        .fold(hash_start(index), mix)
}

/// A normal `long double` made from `bits`, as `sb_ld` in the C source makes it:
/// significand `bits` with the integer bit set, exponent 0x3c00 plus 11 bits of
/// `bits`, sign bit 15 of `bits`.
fn f80_from_bits(bits: u64) -> F80 {
    let top = (0x3c00 + (bits >> 53 & 0x7ff) as u16) | (bits as u16 & 0x8000);
    let mut bytes = [0; 16];
    bytes[..8].copy_from_slice(&(bits | 1 << 63).to_le_bytes());
    bytes[8..10].copy_from_slice(&top.to_le_bytes());
    F80::from_bytes(bytes)
}

/// A scalar of type `ty` made from `bits`.
fn scalar_from_bits(ty: &Type, bits: u64) -> Value {
    match ty {
        Type::Bool => Value::Bool(bits & 1 == 1),
        Type::F80 => Value::F80(f80_from_bits(bits)),
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
                Type::F80 => Value::F80(f80_from_bits(rng.next_u64())),
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
        let fixed = case.variadic_from().unwrap_or(case.params.len());
        let mut types = case.params[..fixed].iter().copied();
        // `c_function_head` names the parameters' types in order, then the result's;
        // a variadic callee declares its fixed part and `...`.
        let fixed_signature = Signature {
            params: case.signature.params[..fixed].to_vec(),
            variadic_from: None,
            ..case.signature.clone()
        };
        let mut head = c_function_head(&fixed_signature, &symbol(index), |_| {
            types.next().unwrap_or(case.result).c().to_string()
        });
        if case.variadic_from().is_some() {
            head = head.replacen(')', ", ...)", 1);
        }
        writeln!(
            f,
            "\n/* {} */\n{head} {{\n    uint64_t h = 0x{:016x}ull;",
            case.signature,
            hash_start(index)
        )
        .unwrap();
        if fixed < case.params.len() {
            writeln!(f, "    va_list ap;\n    va_start(ap, a{});", fixed - 1).unwrap();
            for (i, param) in case.params.iter().enumerate().skip(fixed) {
                writeln!(f, "    {} a{i} = va_arg(ap, {});", param.c(), param.c()).unwrap();
            }
            writeln!(f, "    va_end(ap);").unwrap();
        }
        for (i, param) in case.params.iter().enumerate() {
            let name = format!("a{i}");
            match param {
                CType::ComplexLongDouble => {
                    for op in ["__real__", "__imag__"] {
                        for word in 0..2 {
                            writeln!(f, "    h = sb_mix(h, sb_ld_word({op} {name}, {word}));")
                                .unwrap();
                        }
                    }
                }
                CType::ComplexFloat | CType::ComplexDouble => {
                    for op in ["__real__", "__imag__"] {
                        let input = c_hash_input(&param.part(), &format!("{op} {name}"));
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
            Type::F80 => format!("sb_ld({bits})"),
            Type::Ptr => format!("(void *)(uintptr_t)({bits})"),
            _ => format!("({})({bits})", c_type(ty)),
        };
        match case.result {
            CType::Void => {}
            CType::ComplexFloat | CType::ComplexDouble | CType::ComplexLongDouble => {
                let part = case.result.part();
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
        "/* Generated by tests/complex_libffi.rs: complex-hashing functions. */\n{C_PRELUDE}#include <stdarg.h>\n{LONG_DOUBLE}{out}"
    )
}

/// The C helpers for `long double` parts: word 0 (the significand) or 1 (sign and
/// exponent) of the ten value bytes, and `f80_from_bits` in C.
const LONG_DOUBLE: &str = r#"
static uint64_t sb_ld_word(long double v, int k) {
    uint64_t w[2] = {0, 0};
    memcpy(w, &v, 10);
    return w[k];
}

static long double sb_ld(uint64_t bits) {
    long double v = 0;
    uint64_t significand = bits | 1ull << 63;
    uint16_t top = (uint16_t)(0x3c00 + (bits >> 53 & 0x7ff)) | (uint16_t)(bits & 0x8000);
    memcpy(&v, &significand, 8);
    memcpy((char *)&v + 8, &top, 2);
    return v;
}
"#;

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

/// Values compared by type and bytes (floats by bits, a `long double` by its ten value
/// bytes).
fn same(a: &Value, b: &Value) -> bool {
    let bytes = |v: &Value| {
        let mut out = vec![0u8; v.ty().size()];
        v.encode(&mut out);
        v.ty().for_each_scalar(0, &mut |offset, leaf| {
            if *leaf == Type::F80 {
                out[offset + 10..offset + 16].fill(0);
            }
        });
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
    // Variadic signatures, and those with a complex variadic argument.
    let (mut variadic, mut variadic_complex) = (0, 0);
    // Signatures with a `long double _Complex`: System V, Win64.
    let mut long_double_cases = [0usize; 2];
    for (index, (case, downcall)) in cases.iter().zip(&downcalls).enumerate() {
        let signature = &case.signature;
        let context = format!(
            "signature {index} `{signature}` ({:?} -> {:?}), seed {seed:#x}",
            case.params, case.result
        );
        let callee = library.symbol(&symbol(index));
        let cif = match case.variadic_from() {
            Some(fixed) => Cif::try_new_variadic_with_abi(
                case.params.iter().map(|p| p.libffi()),
                fixed,
                case.result.libffi(),
                ffi_abi(signature.convention),
            ),
            None => Cif::try_new_with_abi(
                case.params.iter().map(|p| p.libffi()),
                case.result.libffi(),
                ffi_abi(signature.convention),
            ),
        }
        .unwrap_or_else(|e| panic!("ffi_prep_cif(_var): {e:?}; {context}"));
        if let Some(fixed) = case.variadic_from() {
            variadic += 1;
            variadic_complex += usize::from(case.params[fixed..].iter().any(|p| p.is_complex()));
        }
        win64 += usize::from(signature.convention == Convention::Win64);
        let long_double = case.result == CType::ComplexLongDouble
            || case.params.contains(&CType::ComplexLongDouble);
        if long_double {
            let at = usize::from(signature.convention == Convention::Win64);
            long_double_cases[at] += 1;
        }
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
         ({win64} signatures in win64; {long_double_cases:?} with long double _Complex \
         in System V and win64; {variadic} variadic, {variadic_complex} of them with a \
         complex variadic argument)"
    );
    assert_eq!(springboard_calls, SIGNATURES * VALUE_SETS);
    assert_eq!(libffi_calls, SIGNATURES * VALUE_SETS);
    assert_eq!(libffi_callbacks, SIGNATURES);
    assert!(win64 > 0, "no win64 signature with seed {seed:#x}");
    assert!(
        variadic_complex > 20,
        "{variadic} variadic signatures, {variadic_complex} with a complex variadic \
         argument, seed {seed:#x}"
    );
    assert!(
        long_double_cases.iter().all(|&n| n > 0),
        "long double _Complex in both conventions with seed {seed:#x}"
    );
}
