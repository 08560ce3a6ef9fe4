//! Variadic call shapes shared by the host tests (`tests/variadic.rs`) and the qemu
//! ones (`tests/cross_variadic.rs`): 1 to 8 fixed parameters, 0 to 20 variadic
//! arguments (structs included), and generated C: callees that walk `va_arg` and hash
//! what they read, and callers that call a variadic function pointer with the values.

use super::c_cases::{c_literal, c_type};
use super::catalogue::value_of;
use super::hashing::{c_hash_input, hash_input, hash_start, mix, C_PRELUDE};
use springboard::{Convention, Signature, Type, Value};
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
        None => value_of(ty, k),
    }
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

/// The hash of the values, member by member.
pub fn hash_values(index: usize, values: &[Value]) -> u64 {
    fn fold(hash: u64, value: &Value) -> u64 {
        match value {
            Value::Struct(aggregate) => aggregate.members().iter().fold(hash, fold),
            scalar => mix(hash, hash_input(scalar)),
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

pub fn c_param_type(ty: &Type) -> String {
    if ty.is_aggregate() {
        let text = ty.to_string();
        let k = VARIADIC_STRUCTS.iter().position(|s| *s == text).unwrap();
        format!("sb_s{k}")
    } else {
        c_type(ty).to_string()
    }
}

pub fn c_hash_value(ty: &Type, name: &str) -> String {
    match ty.as_struct() {
        Some(st) => st
            .fields()
            .iter()
            .enumerate()
            .map(|(i, f)| {
                format!(
                    "h = sb_mix(h, {});",
                    c_hash_input(f, &format!("{name}.f{i}"))
                )
            })
            .collect::<Vec<_>>()
            .join(" "),
        None => format!("h = sb_mix(h, {});", c_hash_input(ty, name)),
    }
}

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
        scalar => c_literal(scalar),
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
    let mut text =
        format!("/* Generated by tests/variadic.rs */\n{C_PRELUDE}#include <stdarg.h>\n");
    text.push_str(&c_structs());
    for (index, case) in cases.iter().enumerate() {
        let sig = &case.signature;
        let fixed = sig.variadic_from.unwrap();
        let params: Vec<String> = sig.params[..fixed]
            .iter()
            .enumerate()
            .map(|(i, ty)| format!("{} p{i}", c_param_type(ty)))
            .collect();
        writeln!(
            text,
            "{attribute}uint64_t sb_callee_{index}({}, ...) {{\n    uint64_t h = {}ull;",
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
            // Microsoft's `va_arg` reads a struct that is not 1, 2, 4 or 8 bytes through
            // the pointer its slot holds (the caller passed a copy by reference); gcc's
            // `va_arg` on a `__builtin_ms_va_list` does not, so the callee says it.
            let by_reference = ms && ty.is_aggregate() && !matches!(ty.size(), 1 | 2 | 4 | 8);
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
        writeln!(text, "    {va_end}(ap);\n    return h;\n}}").unwrap();
        let args: Vec<String> = case.values.iter().map(c_value).collect();
        writeln!(
            text,
            "uint64_t sb_caller_{index}(uint64_t ({attribute}*f)({}, ...)) {{\n    return f({});\n}}",
            sig.params[..fixed]
                .iter()
                .map(c_param_type)
                .collect::<Vec<_>>()
                .join(", "),
            args.join(", ")
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
            let source = if ty.is_aggregate() {
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
        writeln!(text, "    memcpy(result, &h, 8);\n}}").unwrap();
    }
    text.push_str("int main(void) {\n    int passed = 0, failed = 0;\n");
    for (index, case) in cases.iter().enumerate() {
        let n = case.values.len().max(1);
        writeln!(
            text,
            "    {{\n        uint64_t want = {}ull, got, args[{n}];",
            hash_values(index, &case.values)
        )
        .unwrap();
        for (k, value) in case.values.iter().enumerate() {
            let c_ty = c_param_type(&value.ty());
            if value.ty().is_aggregate() {
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
             got = 0; sbd_{index}((const void *)sb_callee_{index}, args, &got);\n        \
             if (got == want) passed++; else {{ failed++; printf(\"FAIL downcall {index}\\n\"); }}\n        \
             sbc_{index}_entry.handler = (void *)handler_{index};\n        \
             got = sb_caller_{index}((void *)sbc_{index});\n        \
             if (got == want) passed++; else {{ failed++; printf(\"FAIL callback {index}\\n\"); }}\n    }}"
        )
        .unwrap();
    }
    text.push_str(
        "    printf(\"%d passed, %d failed\\n\", passed, failed);\n    return failed != 0;\n}\n",
    );
    text
}
