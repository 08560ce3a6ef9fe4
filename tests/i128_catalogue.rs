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

use common::catalogue::{c_literal, PARAM_TYPES};
use common::hashing::{c_function_head, c_hash_input, hash_input, hash_start, mix, C_PRELUDE};
use common::struct_catalogue::{build_value, leaf_paths, leaves, same_value, CTypes};
use common::Rng;
use springboard::{Engine, Signature, Type, Value};
use std::ffi::c_void;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

const SIGNATURES: usize = 160;
const VALUE_SETS: usize = 6;
const MAX_PARAMS: usize = 10;
const DEFAULT_SEED: u64 = 0x0128;
const MS_ABI: &str = "__attribute__((ms_abi)) ";

/// A random scalar: a 128-bit integer a third of the time, a catalogue type otherwise.
fn random_scalar(rng: &mut Rng) -> Type {
    match rng.below(6) {
        0 => Type::I128,
        1 => Type::U128,
        _ => PARAM_TYPES[rng.below(PARAM_TYPES.len())].clone(),
    }
}

/// A struct of one to four fields with at least one 128-bit integer member, sometimes
/// inside a nested struct.
fn random_struct(rng: &mut Rng, depth: usize) -> Type {
    let count = 1 + rng.below(4);
    let wide = rng.below(count);
    let fields: Vec<String> = (0..count)
        .map(|i| {
            let ty = if i == wide {
                if depth < 1 && rng.below(4) == 0 {
                    random_struct(rng, depth + 1)
                } else if rng.below(2) == 0 {
                    Type::I128
                } else {
                    Type::U128
                }
            } else {
                random_scalar(rng)
            };
            ty.to_string()
        })
        .collect();
    format!("{{{}}}", fields.join(", ")).parse().unwrap()
}

fn random_type(rng: &mut Rng) -> Type {
    if rng.below(4) == 0 {
        random_struct(rng, 0)
    } else {
        random_scalar(rng)
    }
}

/// A random signature that has at least one 128-bit integer (as a parameter, a member
/// or the result).
fn random_signature(rng: &mut Rng) -> Signature {
    loop {
        let count = rng.below(MAX_PARAMS + 1);
        let params: Vec<Type> = (0..count).map(|_| random_type(rng)).collect();
        let result = match rng.below(5) {
            0 => Type::Void,
            1 => random_struct(rng, 0),
            _ => random_scalar(rng),
        };
        let wide = |ty: &Type| ty.to_string().contains("128");
        if params.iter().any(wide) || wide(&result) {
            return rng.signature(params, result);
        }
    }
}

/// The hash inputs of one scalar leaf: a 128-bit integer as its low and high halves.
fn leaf_inputs(leaf: &Value) -> Vec<u64> {
    match *leaf {
        Value::I128(v) => vec![v as u64, (v >> 64) as u64],
        Value::U128(v) => vec![v as u64, (v >> 64) as u64],
        ref other => vec![hash_input(other)],
    }
}

/// The hash of `values` for signature `index`, as the C functions compute it.
fn hash_of(index: usize, values: &[Value]) -> u64 {
    values
        .iter()
        .flat_map(leaves)
        .flat_map(|leaf| leaf_inputs(&leaf))
        .fold(hash_start(index), mix)
}

/// The C statements folding the scalar lvalue `path` of type `ty` into `h`.
fn c_fold(ty: &Type, path: &str) -> String {
    match ty {
        Type::I128 | Type::U128 => format!(
            "    h = sb_mix(h, (uint64_t){path});\n    h = sb_mix(h, (uint64_t)((unsigned __int128){path} >> 64));\n"
        ),
        _ => format!("    h = sb_mix(h, {});\n", c_hash_input(ty, path)),
    }
}

/// Leaf `k` of a value made from `hash` (128-bit leaves take a second mix for their
/// high half).
fn leaf_from_hash(ty: &Type, hash: u64, k: u64) -> Value {
    let bits = mix(hash, k);
    let wide = (u128::from(mix(bits, 0x80)) << 64) | u128::from(bits);
    match ty {
        Type::I128 => Value::I128(wide as i128),
        Type::U128 => Value::U128(wide),
        Type::Bool => Value::Bool(bits & 1 == 1),
        _ => Value::from_slot(ty, springboard::Slot(bits.to_le_bytes())),
    }
}

/// The C expression for leaf `k` of type `ty` made from the hash `h`.
fn c_leaf_from_hash(ty: &Type, k: u64) -> String {
    let bits = format!("sb_mix(h, {k})");
    match ty {
        Type::I128 | Type::U128 => format!(
            "(({})(((unsigned __int128)sb_mix({bits}, 0x80) << 64) | {bits}))",
            c_wide(ty)
        ),
        Type::Bool => format!("(({bits}) & 1) != 0"),
        Type::F32 => format!("sb_f32((uint32_t)({bits}))"),
        Type::F64 => format!("sb_f64({bits})"),
        Type::Ptr => format!("(void *)(uintptr_t)({bits})"),
        _ => format!("({})({bits})", common::catalogue::c_type(ty)),
    }
}

fn c_wide(ty: &Type) -> &'static str {
    match ty {
        Type::I128 => "__int128",
        _ => "unsigned __int128",
    }
}

/// The value of type `ty` the callee returns (and the closure returns) for `hash`.
fn result_from_hash(ty: &Type, hash: u64) -> Value {
    let mut k = 0;
    build_value(ty, &mut |scalar| {
        k += 1;
        leaf_from_hash(scalar, hash, k)
    })
}

/// A C expression whose value is exactly the scalar `value`.
fn c_scalar_literal(value: &Value) -> String {
    let wide = |bits: u128, ty: &Type| {
        format!(
            "(({})(((unsigned __int128)0x{:x}ull << 64) | 0x{:x}ull))",
            c_wide(ty),
            (bits >> 64) as u64,
            bits as u64
        )
    };
    match *value {
        Value::I128(v) => wide(v as u128, &Type::I128),
        Value::U128(v) => wide(v, &Type::U128),
        ref other => c_literal(other),
    }
}

fn callee_symbol(index: usize) -> String {
    format!("sb_wide_callee_{index}")
}

fn caller_symbol(index: usize) -> String {
    format!("sb_wide_caller_{index}")
}

/// The callees and callers of every signature; `values[i]` are the caller's literal
/// arguments for signature `i`.
fn c_source(signatures: &[Signature], values: &[Vec<Value>]) -> String {
    let mut types = CTypes::default();
    let mut functions = String::new();
    for (index, signature) in signatures.iter().enumerate() {
        let f = &mut functions;
        let head = c_function_head(signature, &callee_symbol(index), |ty| types.name(ty));
        let result = types.name(&signature.result);
        writeln!(
            f,
            "\n/* {signature} */\n{head} {{\n    uint64_t h = 0x{:016x}ull;",
            hash_start(index)
        )
        .unwrap();
        for (i, ty) in signature.params.iter().enumerate() {
            for (path, leaf) in leaf_paths(ty, &format!("a{i}")) {
                f.push_str(&c_fold(&leaf, &path));
            }
        }
        writeln!(f, "    sb_last_hash = h;").unwrap();
        match &signature.result {
            Type::Void => {}
            ty => {
                writeln!(f, "    {result} r;").unwrap();
                let paths = match ty {
                    Type::Struct(_) => leaf_paths(ty, "r"),
                    scalar => vec![("r".to_string(), scalar.clone())],
                };
                for (k, (path, leaf)) in paths.into_iter().enumerate() {
                    let made = c_leaf_from_hash(&leaf, k as u64 + 1);
                    writeln!(f, "    {path} = {made};").unwrap();
                }
                writeln!(f, "    return r;").unwrap();
            }
        }
        writeln!(f, "}}").unwrap();

        // The caller: literal arguments, then the hash of the result's leaves.
        // The pointer type, with the `ms_abi` attribute on the pointed-to function.
        let pointer = c_function_head(signature, "(*sb_fn)", |ty| types.name(ty));
        let pointer = match pointer.strip_prefix(MS_ABI) {
            Some(rest) => rest.replacen("(*sb_fn)", &format!("({MS_ABI}*sb_fn)"), 1),
            None => pointer,
        };
        let pointer = pointer.replacen("sb_fn", &format!("sb_fn_{index}"), 1);
        writeln!(
            f,
            "typedef {pointer};\nuint64_t {}(sb_fn_{index} f) {{\n    uint64_t h = 0x{:016x}ull;",
            caller_symbol(index),
            hash_start(index)
        )
        .unwrap();
        let mut args = Vec::new();
        for (i, (ty, value)) in signature.params.iter().zip(&values[index]).enumerate() {
            let name = format!("a{i}");
            writeln!(f, "    {} {name};", types.name(ty)).unwrap();
            let paths = match ty {
                Type::Struct(_) => leaf_paths(ty, &name),
                scalar => vec![(name.clone(), scalar.clone())],
            };
            for ((path, _), leaf) in paths.iter().zip(leaves(value)) {
                writeln!(f, "    {path} = {};", c_scalar_literal(&leaf)).unwrap();
            }
            args.push(name);
        }
        let call = format!("f({})", args.join(", "));
        match &signature.result {
            Type::Void => writeln!(f, "    {call};").unwrap(),
            ty => {
                writeln!(f, "    {result} r = {call};").unwrap();
                let paths = match ty {
                    Type::Struct(_) => leaf_paths(ty, "r"),
                    scalar => vec![("r".to_string(), scalar.clone())],
                };
                for (path, leaf) in paths {
                    f.push_str(&c_fold(&leaf, &path));
                }
            }
        }
        writeln!(f, "    return h;\n}}").unwrap();
    }
    format!(
        "/* Generated by tests/i128_catalogue.rs: 128-bit callees and callers. */\n{C_PRELUDE}{}{functions}",
        types.declarations
    )
}

/// A fresh value of `ty`, every leaf from the generator.
fn random_value(rng: &mut Rng, ty: &Type) -> Value {
    build_value(ty, &mut |scalar| {
        let (low, high) = (rng.next_u64(), rng.next_u64());
        let wide = (u128::from(high) << 64) | u128::from(low);
        // Edge values now and then: the extremes and values that fit 64 bits.
        let wide = match rng.below(8) {
            0 => 0,
            1 => u128::MAX,
            2 => 1 << 127,
            3 => u128::from(low),
            _ => wide,
        };
        match scalar {
            Type::I128 => Value::I128(wide as i128),
            Type::U128 => Value::U128(wide),
            Type::Bool => Value::Bool(low & 1 == 1),
            other => Value::from_slot(other, springboard::Slot(low.to_le_bytes())),
        }
    })
}

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
        &c_source(&signatures, &caller_values),
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
