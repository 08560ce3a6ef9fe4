//! Variadic call shapes shared by the host tests (`tests/variadic.rs`) and the qemu
//! ones (`tests/cross_variadic.rs`): 1 to 8 fixed parameters, 0 to 20 variadic
//! arguments (structs included), and generated C: callees that walk `va_arg` and hash
//! what they read, and callers that call a variadic function pointer with the values.
//! [`wide_cases`] adds the 16-byte scalars (`long double`, `__float128`, `__int128`)
//! as variadic and fixed arguments and as results.

use super::c_cases::{c_literal, c_type};
use super::catalogue::value_of;
use super::hashing::{c_hash_inputs, hash_inputs, hash_start, mix, C_PRELUDE};
use springboard::{Convention, Signature, Type, Value, F128, F80};
use std::fmt::Write;

/// The promoted scalar types a variadic part may hold.
pub const VARIADIC_SCALARS: [Type; 8] = [
    Type::I32,
    Type::U32,
    Type::I64,
    Type::U64,
    Type::Isize,
    Type::Usize,
    Type::F64,
    Type::Ptr,
];

/// Struct types passed as variadic arguments: integer pairs, float pairs (SSE
/// eightbytes, read from the vector save area), MEMORY class, a small one, mixed.
pub const VARIADIC_STRUCTS: [&str; 6] = [
    "{i32, i32}",
    "{f64, f64}",
    "{f32, f32}",
    "{i64, i64, i64}",
    "{i8, i16}",
    "{f64, i32}",
];

/// Fixed parameter types, narrow ones and `f32` included (no promotion applies there).
const FIXED: [Type; 9] = [
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

/// One call: its signature and argument values.
pub struct Case {
    pub signature: Signature,
    pub values: Vec<Value>,
}

/// Variadic types that cycle through scalars and structs, floats often enough that
/// more than eight vector registers are in use.
fn variadic_type(i: usize, salt: usize) -> Type {
    let k = i * 7 + salt * 3;
    if k % 5 == 4 {
        VARIADIC_STRUCTS[(k / 5) % VARIADIC_STRUCTS.len()]
            .parse()
            .unwrap()
    } else if k.is_multiple_of(3) {
        Type::F64
    } else {
        VARIADIC_SCALARS[k % VARIADIC_SCALARS.len()].clone()
    }
}

fn value(ty: &Type, k: usize) -> Value {
    match ty.as_struct() {
        Some(st) => {
            let fields: Vec<Value> = st
                .fields()
                .iter()
                .enumerate()
                .map(|(i, f)| value(f, k + i))
                .collect();
            Value::structure(ty, &fields).unwrap()
        }
        None if ty.is_wide() => wide_value(ty, k as u64),
        None => value_of(ty, k),
    }
}

/// A 16-byte scalar made from `k`: every bit pattern of an integer; a normal float
/// (the x87 loads and stores those unchanged) with varied significand, exponent and
/// sign.
pub fn wide_value(ty: &Type, k: u64) -> Value {
    let low = mix(0x5eed_0000 ^ k, k);
    let high = mix(low, 0x80);
    let top = (0x3f00 + (high >> 56)) | ((high & 1) << 15);
    match ty {
        Type::I128 => Value::I128(((u128::from(high) << 64) | u128::from(low)) as i128),
        Type::U128 => Value::U128((u128::from(high) << 64) | u128::from(low)),
        Type::F80 => {
            let mut bytes = [0u8; 16];
            bytes[..8].copy_from_slice(&(low | 1 << 63).to_le_bytes());
            bytes[8..10].copy_from_slice(&(top as u16).to_le_bytes());
            Value::F80(F80::from_bytes(bytes))
        }
        Type::F128 => {
            let high = (high & 0x0000_ffff_ffff_ffff) | (top << 48);
            Value::F128(F128::from_bytes(
                ((u128::from(high) << 64) | u128::from(low)).to_le_bytes(),
            ))
        }
        other => panic!("{other} is not a 16-byte scalar"),
    }
}

/// The result a callee of a case returns for the hash `h` of its arguments: `h` for
/// `u64`, a 16-byte scalar made from it otherwise (`sb_widen` in the C).
pub fn result_value(ty: &Type, h: u64) -> Value {
    match ty {
        Type::U64 => Value::U64(h),
        wide => wide_value(wide, h),
    }
}

/// What a C caller returns for the result `value` it got: a `u64` itself, a 16-byte
/// scalar folded into a 64-bit hash of its value bytes ([`hash_inputs`]).
pub fn fold_result(value: &Value) -> u64 {
    match value {
        Value::U64(v) => *v,
        wide => hash_inputs(wide).into_iter().fold(RESULT_START, mix),
    }
}

/// What the C caller of case `index` returns: the fold of the callee's result for the
/// hash of the values.
pub fn expected(index: usize, case: &Case) -> u64 {
    fold_result(&result_value(
        &case.signature.result,
        hash_values(index, &case.values),
    ))
}

/// The start of a folded 16-byte result's hash.
const RESULT_START: u64 = 0x0123_4567_89ab_cdef;

/// The 16-byte scalars a target's C has: x86-64 all four (`long double` is `f80`,
/// `__float128` is `f128`), aarch64 and riscv64 Linux `f128` (their `long double`) and
/// the integers, Apple arm64 the integers only.
pub fn wide_types(target: &str) -> Vec<Type> {
    let mut types = vec![Type::I128, Type::U128];
    if target.starts_with("x86_64") {
        types.extend([Type::F80, Type::F128]);
    } else if !target.contains("apple") {
        types.push(Type::F128);
    }
    types
}

/// Calls with the 16-byte scalars `wide` (see [`wide_types`]) among 1 to 8 fixed
/// parameters and 0 to 20 variadic arguments, mixed with 4- and 8-byte integers,
/// pointers and doubles so that they land at every register parity and at the
/// register/stack boundaries; the results cycle through `u64` and `wide`. Then each
/// wide type 20 times in a row after one and after two fixed integers.
pub fn wide_cases(convention: Convention, wide: &[Type]) -> Vec<Case> {
    const NARROW: [Type; 6] = [
        Type::I32,
        Type::F64,
        Type::I64,
        Type::F64,
        Type::Ptr,
        Type::U32,
    ];
    let mut cases = Vec::new();
    let mut push = |fixed_types: Vec<Type>, variadic_types: Vec<Type>, result: Type| {
        let salt = cases.len();
        let signature =
            Signature::variadic(fixed_types, variadic_types, result).with_convention(convention);
        let values = signature
            .params
            .iter()
            .enumerate()
            .map(|(i, ty)| value(ty, i * 5 + salt * 31))
            .collect();
        cases.push(Case { signature, values });
    };
    for fixed in 1..=8usize {
        for variadic in (0..=20).step_by(if fixed % 2 == 0 { 1 } else { 3 }) {
            let salt = fixed + variadic;
            let fixed_types: Vec<Type> = (0..fixed)
                .map(|i| {
                    if (i + salt) % 4 == 3 {
                        wide[(i + salt) % wide.len()].clone()
                    } else {
                        FIXED[(i + fixed) % FIXED.len()].clone()
                    }
                })
                .collect();
            let variadic_types: Vec<Type> = (0..variadic)
                .map(|i| {
                    // Irregular gaps between the wide ones: an odd number of 8-byte
                    // slots between two of them puts the second at an offset that
                    // needs alignment.
                    let k = mix(salt as u64, i as u64) as usize;
                    if k.is_multiple_of(3) {
                        wide[(k / 3) % wide.len()].clone()
                    } else {
                        NARROW[(k / 3) % NARROW.len()].clone()
                    }
                })
                .collect();
            let result = match salt % (wide.len() + 1) {
                0 => Type::U64,
                r => wide[r - 1].clone(),
            };
            push(fixed_types, variadic_types, result);
        }
    }
    for ty in wide {
        for fixed in [vec![Type::I32], vec![Type::I32, Type::I64]] {
            push(fixed, vec![ty.clone(); 20], ty.clone());
        }
    }
    cases
}

/// 1 to 8 fixed parameters, then 0 to 20 variadic arguments (gcc 12 has no C23
/// `f(...)`, so C callees have at least one fixed parameter).
pub fn cases(convention: Convention) -> Vec<Case> {
    let mut cases = Vec::new();
    for fixed in 1..=8 {
        for variadic in (0..=20).step_by(if fixed % 2 == 0 { 1 } else { 3 }) {
            let fixed_types: Vec<Type> = (0..fixed)
                .map(|i| FIXED[(i + fixed) % FIXED.len()].clone())
                .collect();
            let variadic_types: Vec<Type> = (0..variadic)
                .map(|i| variadic_type(i, fixed + variadic))
                .collect();
            let signature = Signature::variadic(fixed_types, variadic_types, Type::U64)
                .with_convention(convention);
            let values = signature
                .params
                .iter()
                .enumerate()
                .map(|(i, ty)| value(ty, i * 5 + fixed + variadic))
                .collect();
            cases.push(Case { signature, values });
        }
    }
    // Only scalars of one class, far past the registers.
    for ty in [Type::F64, Type::I64, Type::I32, Type::Ptr] {
        let signature =
            Signature::variadic([Type::I32], vec![ty; 20], Type::U64).with_convention(convention);
        let values = signature
            .params
            .iter()
            .enumerate()
            .map(|(i, ty)| value(ty, i))
            .collect();
        cases.push(Case { signature, values });
    }
    cases
}

/// The hash of the values, member by member (a 16-byte scalar as two inputs, see
/// [`hash_inputs`]).
pub fn hash_values(index: usize, values: &[Value]) -> u64 {
    fn fold(hash: u64, value: &Value) -> u64 {
        match value {
            Value::Struct(aggregate) => aggregate.members().iter().fold(hash, fold),
            scalar => hash_inputs(scalar).into_iter().fold(hash, mix),
        }
    }
    values.iter().fold(hash_start(index), fold)
}

/// C typedefs for the variadic struct types: `sb_s<k>`.
pub fn c_structs() -> String {
    let mut text = String::new();
    for (k, ty) in VARIADIC_STRUCTS.iter().enumerate() {
        let ty: Type = ty.parse().unwrap();
        let fields: String = ty
            .as_struct()
            .unwrap()
            .fields()
            .iter()
            .enumerate()
            .map(|(i, f)| format!("{} f{i}; ", c_type(f)))
            .collect();
        writeln!(text, "typedef struct {{ {fields}}} sb_s{k};").unwrap();
    }
    text
}

/// C's name for a parameter type: the struct typedefs of [`c_structs`], `sb_f128`
/// (`__float128` on x86-64, `long double` elsewhere) and `long double` for `f80`.
pub fn c_param_type(ty: &Type) -> String {
    if *ty == Type::F80 {
        "long double".to_string()
    } else if *ty == Type::F128 {
        "sb_f128".to_string()
    } else if ty.is_aggregate() {
        let text = ty.to_string();
        let k = VARIADIC_STRUCTS.iter().position(|s| *s == text).unwrap();
        format!("sb_s{k}")
    } else {
        c_type(ty).to_string()
    }
}

/// The C statements folding the lvalue `name` of type `ty` into `h`, member by member.
pub fn c_hash_value(ty: &Type, name: &str) -> String {
    match ty.as_struct() {
        Some(st) => st
            .fields()
            .iter()
            .enumerate()
            .map(|(i, f)| c_hash_value(f, &format!("{name}.f{i}")))
            .collect::<Vec<_>>()
            .join(" "),
        None => c_hash_inputs(ty, name)
            .iter()
            .map(|input| format!("h = sb_mix(h, {input});"))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// C statements that set `out` to [`fold_result`] of the lvalue `name` of type `ty`.
pub fn c_fold_result(ty: &Type, name: &str, out: &str) -> String {
    if *ty == Type::U64 {
        return format!("{out} = {name};");
    }
    let inputs: Vec<String> = c_hash_inputs(ty, name)
        .iter()
        .map(|input| format!("{out} = sb_mix({out}, {input});"))
        .collect();
    format!("{out} = {RESULT_START}ull; {}", inputs.join(" "))
}

/// The `sb_widen` kind of a result type: how the C builds [`result_value`].
fn widen_kind(ty: &Type) -> u8 {
    match ty {
        Type::F80 => 2,
        Type::F128 => 1,
        _ => 0,
    }
}

/// Helpers of the wide cases' C: `sb_f128`, `sb_wide(lo, hi, out)` (16 bytes from two
/// words) and `sb_widen(k, h, kind, out)`, [`wide_value`] in C.
const WIDE_PRELUDE: &str = r#"#if defined(__x86_64__)
typedef __float128 sb_f128;
#else
typedef long double sb_f128;
#endif
static inline void sb_wide(uint64_t lo, uint64_t hi, void *out) {
    memset(out, 0, 16);
    memcpy(out, &lo, 8);
    memcpy((char *)out + 8, &hi, 8);
}
static inline void sb_widen(uint64_t k, int kind, void *out) {
    uint64_t lo = sb_mix(0x5eed0000ull ^ k, k), hi = sb_mix(lo, 0x80);
    uint64_t top = (0x3f00 + (hi >> 56)) | ((hi & 1) << 15);
    if (kind == 1) hi = (hi & 0x0000ffffffffffffull) | (top << 48);
    if (kind == 2) { lo |= 1ull << 63; hi = top; }
    sb_wide(lo, hi, out);
}
"#;

pub fn c_value(value: &Value) -> String {
    match value {
        Value::Struct(aggregate) => {
            let members: Vec<String> = aggregate.members().iter().map(c_value).collect();
            format!(
                "(({}){{{}}})",
                c_param_type(aggregate.ty()),
                members.join(", ")
            )
        }
        Value::I128(_) | Value::U128(_) | Value::F80(_) | Value::F128(_) => {
            let bytes = bytes_16(value);
            let lo = u64::from_le_bytes(bytes[..8].try_into().unwrap());
            let hi = u64::from_le_bytes(bytes[8..].try_into().unwrap());
            let ty = c_param_type(&value.ty());
            format!("({{ {ty} w; sb_wide(0x{lo:x}ull, 0x{hi:x}ull, &w); w; }})")
        }
        scalar => c_literal(scalar),
    }
}

/// The 16 bytes of a 16-byte scalar.
fn bytes_16(value: &Value) -> [u8; 16] {
    match value {
        Value::I128(v) => v.to_le_bytes(),
        Value::U128(v) => v.to_le_bytes(),
        Value::F80(v) => v.to_bytes(),
        Value::F128(v) => v.to_bytes(),
        other => panic!("{other:?} is not a 16-byte scalar"),
    }
}

/// Callees `sb_callee_<i>` that walk their variadic part with `va_arg` and return the
/// hash, and callers `sb_caller_<i>` that call a function pointer of the variadic type
/// with the case's values. `ms` makes them `ms_abi` (with `__builtin_ms_va_list`).
pub fn c_source(cases: &[Case], ms: bool) -> String {
    let (attribute, va_list, va_start, va_end) = if ms {
        (
            "__attribute__((ms_abi)) ",
            "__builtin_ms_va_list",
            "__builtin_ms_va_start",
            "__builtin_ms_va_end",
        )
    } else {
        ("", "va_list", "va_start", "va_end")
    };
    let mut text = format!(
        "/* Generated by tests/variadic.rs */\n{C_PRELUDE}#include <stdarg.h>\n{WIDE_PRELUDE}"
    );
    text.push_str(&c_structs());
    for (index, case) in cases.iter().enumerate() {
        let sig = &case.signature;
        let fixed = sig.variadic_from.unwrap();
        let result = c_param_type(&sig.result);
        let params: Vec<String> = sig.params[..fixed]
            .iter()
            .enumerate()
            .map(|(i, ty)| format!("{} p{i}", c_param_type(ty)))
            .collect();
        writeln!(
            text,
            "{attribute}{result} sb_callee_{index}({}, ...) {{\n    uint64_t h = {}ull;",
            params.join(", "),
            hash_start(index)
        )
        .unwrap();
        for (i, ty) in sig.params[..fixed].iter().enumerate() {
            writeln!(text, "    {}", c_hash_value(ty, &format!("p{i}"))).unwrap();
        }
        writeln!(
            text,
            "    {va_list} ap;\n    {va_start}(ap, p{});",
            fixed - 1
        )
        .unwrap();
        for (i, ty) in sig.params[fixed..].iter().enumerate() {
            let c_ty = c_param_type(ty);
            // Microsoft's `va_arg` reads an argument that is not 1, 2, 4 or 8 bytes (a
            // struct, or gcc's 16-byte scalars) through the pointer its slot holds (the
            // caller passed a copy by reference); gcc's `va_arg` on a
            // `__builtin_ms_va_list` does not, so the callee says it.
            let by_reference = ms && ty.by_address() && !matches!(ty.size(), 1 | 2 | 4 | 8);
            let read = if by_reference {
                format!("*va_arg(ap, {c_ty} *)")
            } else {
                format!("va_arg(ap, {c_ty})")
            };
            writeln!(
                text,
                "    {{ {c_ty} v{i} = {read}; {} }}",
                c_hash_value(ty, &format!("v{i}"))
            )
            .unwrap();
        }
        writeln!(text, "    {va_end}(ap);").unwrap();
        if sig.result == Type::U64 {
            writeln!(text, "    return h;\n}}").unwrap();
        } else {
            writeln!(
                text,
                "    {{ {result} r; sb_widen(h, {}, &r); return r; }}\n}}",
                widen_kind(&sig.result)
            )
            .unwrap();
        }
        let args: Vec<String> = case.values.iter().map(c_value).collect();
        writeln!(
            text,
            "uint64_t sb_caller_{index}({result} ({attribute}*f)({}, ...)) {{\n    \
             {result} r = f({}); uint64_t folded; {}\n    return folded;\n}}",
            sig.params[..fixed]
                .iter()
                .map(c_param_type)
                .collect::<Vec<_>>()
                .join(", "),
            args.join(", "),
            c_fold_result(&sig.result, "r", "folded")
        )
        .unwrap();
    }
    text
}

/// A C `main` for a qemu run (after [`c_source`] of the same `cases`): per case, the
/// C-to-C call `sb_caller_<i>(sb_callee_<i>)` must give the hash Rust computes; the
/// downcall `sbd_<i>` (emitted by springboard) must get the same hash from
/// `sb_callee_<i>` with the arguments in the array layout (garbage above every
/// scalar); and the callback `sbc_<i>`, called by gcc through the variadic prototype,
/// must hand its handler every argument (which hashes them) and return the hash.
/// Prints `FAIL ...` lines and `N passed, M failed`.
pub fn c_harness(cases: &[Case]) -> String {
    let mut text = String::from("#include <stdio.h>\n");
    for (index, case) in cases.iter().enumerate() {
        let sig = &case.signature;
        writeln!(
            text,
            "void sbd_{index}(const void *, const uint64_t *, void *);\n\
             void sbc_{index}(void);\n\
             extern struct {{ void *handler; void *context; }} sbc_{index}_entry;\n\
             static void handler_{index}(void *context, uint64_t *args, void *result) {{\n    \
             uint64_t h = {}ull;",
            hash_start(index)
        )
        .unwrap();
        for (k, ty) in sig.params.iter().enumerate() {
            let c_ty = c_param_type(ty);
            let source = if ty.by_address() {
                format!("(const void *)(uintptr_t)args[{k}]")
            } else {
                format!("&args[{k}]")
            };
            writeln!(
                text,
                "    {{ {c_ty} a{k}; memcpy(&a{k}, {source}, sizeof a{k}); {} }}",
                c_hash_value(ty, &format!("a{k}"))
            )
            .unwrap();
        }
        if sig.result == Type::U64 {
            writeln!(text, "    memcpy(result, &h, 8);\n}}").unwrap();
        } else {
            writeln!(
                text,
                "    sb_widen(h, {}, result);\n}}",
                widen_kind(&sig.result)
            )
            .unwrap();
        }
    }
    text.push_str("int main(void) {\n    int passed = 0, failed = 0;\n");
    for (index, case) in cases.iter().enumerate() {
        let n = case.values.len().max(1);
        let result = c_param_type(&case.signature.result);
        writeln!(
            text,
            "    {{\n        uint64_t want = {}ull, got, args[{n}];\n        \
             _Alignas(16) uint64_t place[2]; {result} r;",
            expected(index, case)
        )
        .unwrap();
        for (k, value) in case.values.iter().enumerate() {
            let c_ty = c_param_type(&value.ty());
            if value.ty().by_address() {
                writeln!(
                    text,
                    "        static {c_ty} s{k}; s{k} = {}; args[{k}] = (uintptr_t)&s{k};",
                    c_value(value)
                )
                .unwrap();
            } else {
                writeln!(
                    text,
                    "        {{ {c_ty} v = {}; args[{k}] = 0x5a6b7c8d9eaf1b2cull; \
                     memcpy(&args[{k}], &v, sizeof v); }}",
                    c_value(value)
                )
                .unwrap();
            }
        }
        writeln!(
            text,
            "        got = sb_caller_{index}((void *)sb_callee_{index});\n        \
             if (got == want) passed++; else {{ failed++; printf(\"FAIL c-to-c {index}\\n\"); }}\n        \
             memset(place, 0, sizeof place); sbd_{index}((const void *)sb_callee_{index}, args, place);\n        \
             memcpy(&r, place, sizeof r); {}\n        \
             if (got == want) passed++; else {{ failed++; printf(\"FAIL downcall {index}\\n\"); }}\n        \
             sbc_{index}_entry.handler = (void *)handler_{index};\n        \
             got = sb_caller_{index}((void *)sbc_{index});\n        \
             if (got == want) passed++; else {{ failed++; printf(\"FAIL callback {index}\\n\"); }}\n    }}",
            c_fold_result(&case.signature.result, "r", "got")
        )
        .unwrap();
    }
    text.push_str(
        "    printf(\"%d passed, %d failed\\n\", passed, failed);\n    return failed != 0;\n}\n",
    );
    text
}
