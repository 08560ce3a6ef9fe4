//! The random catalogue's 128-bit section, shared by the host test
//! (`tests/i128_catalogue.rs`) and the qemu one (`tests/cross_i128_catalogue.rs`):
//! signatures with `i128`/`u128` scalars and struct members among the scalar
//! catalogue's types, their values, the argument hash (a 128-bit leaf folded as its
//! low then its high half) and the gcc-compiled callees and callers.

use super::c_cases::{c_literal, leaf_paths, leaves, CTypes};
use super::catalogue::PARAM_TYPES;
use super::hashing::{c_function_head, c_hash_input, hash_input, hash_start, mix, C_PRELUDE};
use super::struct_catalogue::build_value;
use super::Rng;
use springboard::{Signature, Type, Value};
use std::fmt::Write as _;
pub const MAX_PARAMS: usize = 10;
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
pub fn random_signature(rng: &mut Rng) -> Signature {
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
pub fn leaf_inputs(leaf: &Value) -> Vec<u64> {
    match *leaf {
        Value::I128(v) => vec![v as u64, (v >> 64) as u64],
        Value::U128(v) => vec![v as u64, (v >> 64) as u64],
        ref other => vec![hash_input(other)],
    }
}

/// The hash of `values` for signature `index`, as the C functions compute it.
pub fn hash_of(index: usize, values: &[Value]) -> u64 {
    values
        .iter()
        .flat_map(leaves)
        .flat_map(|leaf| leaf_inputs(&leaf))
        .fold(hash_start(index), mix)
}

/// The C statements folding the scalar lvalue `path` of type `ty` into `h`.
pub fn c_fold(ty: &Type, path: &str) -> String {
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
pub fn c_leaf_from_hash(ty: &Type, k: u64) -> String {
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
        _ => format!("({})({bits})", super::c_cases::c_type(ty)),
    }
}

pub fn c_wide(ty: &Type) -> &'static str {
    match ty {
        Type::I128 => "__int128",
        _ => "unsigned __int128",
    }
}

/// The value of type `ty` the callee returns (and the closure returns) for `hash`.
pub fn result_from_hash(ty: &Type, hash: u64) -> Value {
    let mut k = 0;
    build_value(ty, &mut |scalar| {
        k += 1;
        leaf_from_hash(scalar, hash, k)
    })
}

/// A C expression whose value is exactly the scalar `value`.
pub fn c_scalar_literal(value: &Value) -> String {
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

/// The C lvalue and type of every scalar leaf of a value `name` of type `ty` (the
/// value itself for a scalar), in memory order.
pub fn c_leaves(ty: &Type, name: &str) -> Vec<(String, Type)> {
    match ty {
        Type::Struct(_) => leaf_paths(ty, name),
        scalar => vec![(name.to_string(), scalar.clone())],
    }
}

pub fn callee_symbol(index: usize) -> String {
    format!("sb_wide_callee_{index}")
}

pub fn caller_symbol(index: usize) -> String {
    format!("sb_wide_caller_{index}")
}

/// The callees and callers of every signature; `values[i]` are the caller's literal
/// arguments for signature `i`.
pub fn c_source(signatures: &[Signature], values: &[Vec<Value>], types: &mut CTypes) -> String {
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
                let paths = c_leaves(ty, "r");
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
            let paths = c_leaves(ty, &name);
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
                let paths = c_leaves(ty, "r");
                for (path, leaf) in paths {
                    f.push_str(&c_fold(&leaf, &path));
                }
            }
        }
        writeln!(f, "    return h;\n}}").unwrap();
    }
    format!(
        "/* Generated by tests/common/wide.rs: 128-bit callees and callers. */\n{C_PRELUDE}{}{functions}",
        types.declarations
    )
}

/// A fresh value of `ty`, every leaf from the generator.
pub fn random_value(rng: &mut Rng, ty: &Type) -> Value {
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
