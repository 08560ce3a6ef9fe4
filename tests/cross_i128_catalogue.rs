//! The 128-bit catalogue section (`tests/common/wide.rs`) on aarch64 (AAPCS64) and
//! riscv64 (LP64D) Linux under qemu, and on this x86-64 machine (System V) from an
//! emitted object: every signature as a downcall and a callback in an object, linked
//! with the cross gcc's callees, callers and a generated `main` that
//! - calls each downcall with literal values in an argument array (a 128-bit integer
//!   or struct argument's slot points at its bytes) and checks the hash the gcc callee
//!   computed and the result it returned;
//! - points each callback at a C handler that decodes the argument array, hashes it and
//!   writes the result made from the hash, lets the gcc caller call the callback with
//!   literal arguments and checks what the handler saw and what the caller got back.
//!
//! Expected hashes come from Rust (the same hash as the host test). libffi has no
//! 128-bit integer type: gcc is the only reference. A missing tool fails the test,
//! never skips it.

mod common;

use common::c_cases::CTypes;
use common::cross::{run_harness, Arch, AARCH64, RISCV64, X86_64_HOST};
use common::hashing::hash_start;
use common::wide::{
    c_fold, c_leaf_from_hash, c_leaves, c_scalar_literal, c_source, callee_symbol, caller_symbol,
    hash_of, random_signature, random_value, result_from_hash,
};
use common::Rng;
use springboard::object::{emit_object, ObjectItem};
use springboard::{Convention, Kind, Request, Signature, Type, Value};
use std::fmt::Write as _;
use std::path::PathBuf;

const SIGNATURES: usize = 80;
const VALUE_SETS: usize = 4;
/// Its own seed (the host test's is 0x0128).
const DEFAULT_SEED: u64 = 0x1280;

/// The hash the C side computes over a value's leaves (the start alone for `void`).
fn result_hash(index: usize, value: &Value) -> u64 {
    if *value == Value::Void {
        hash_start(index)
    } else {
        hash_of(index, std::slice::from_ref(value))
    }
}

/// Whether a value of `ty` travels in the argument array by reference.
fn by_reference(ty: &Type) -> bool {
    matches!(ty, Type::Struct(_) | Type::I128 | Type::U128)
}

/// Declarations of `a0, a1, ...` holding `values` (C literals, leaf by leaf).
fn c_arguments(types: &mut CTypes, signature: &Signature, values: &[Value]) -> String {
    let mut out = String::new();
    for (i, (ty, value)) in signature.params.iter().zip(values).enumerate() {
        let name = format!("a{i}");
        writeln!(out, "        {} {name};", types.name(ty)).unwrap();
        let leaves = common::c_cases::leaves(value);
        for ((path, _), leaf) in c_leaves(ty, &name).iter().zip(leaves) {
            writeln!(out, "        {path} = {};", c_scalar_literal(&leaf)).unwrap();
        }
    }
    out
}

/// The statements that fold the leaves of `r` (of the result type) into `h`.
fn c_fold_result(signature: &Signature) -> String {
    c_leaves(&signature.result, "r")
        .iter()
        .map(|(path, leaf)| c_fold(leaf, path))
        .collect()
}

/// The generated `main` and callback handlers.
fn c_harness(
    types: &mut CTypes,
    signatures: &[Signature],
    downcall_values: &[Vec<Vec<Value>>],
) -> String {
    let mut out = String::from(
        "typedef struct { void *handler; void *context; } sb_entry_t;\n\
         static uint64_t sb_cb_hash;\n",
    );
    let mut main = String::from("int main(void) {\n    int passed = 0, failed = 0;\n");
    for (index, signature) in signatures.iter().enumerate() {
        let result = types.name(&signature.result);
        let slots = signature.params.len().max(1);
        let result_words = signature.result.size().div_ceil(8) + 2;
        // The callback's handler.
        writeln!(
            out,
            "void sbd_{index}(void *, const uint64_t *, void *);\n\
             extern sb_entry_t sbc_{index}_entry;\nextern char sbc_{index}[];\n\
             static void sb_handler_{index}(void *context, uint64_t *args, void *result) {{\n    \
             uint64_t h = 0x{:016x}ull;",
            hash_start(index)
        )
        .unwrap();
        for (i, ty) in signature.params.iter().enumerate() {
            let source = if by_reference(ty) {
                format!("(void *)(uintptr_t)args[{i}]")
            } else {
                format!("&args[{i}]")
            };
            writeln!(
                out,
                "    {} a{i};\n    memcpy(&a{i}, {source}, sizeof a{i});",
                types.name(ty)
            )
            .unwrap();
            for (path, leaf) in c_leaves(ty, &format!("a{i}")) {
                out.push_str(&c_fold(&leaf, &path));
            }
        }
        writeln!(out, "    sb_cb_hash = h;").unwrap();
        if !signature.result.is_void() {
            writeln!(out, "    {result} r;").unwrap();
            for (k, (path, leaf)) in c_leaves(&signature.result, "r").iter().enumerate() {
                writeln!(
                    out,
                    "    {path} = {};",
                    c_leaf_from_hash(leaf, k as u64 + 1)
                )
                .unwrap();
            }
            writeln!(out, "    memcpy(result, &r, sizeof r);").unwrap();
        }
        writeln!(out, "    (void)context; (void)result;\n}}").unwrap();

        // The downcalls, one block per value set.
        for values in &downcall_values[index] {
            let hash = hash_of(index, values);
            let expected = result_hash(index, &result_from_hash(&signature.result, hash));
            writeln!(
                main,
                "    {{\n{}        uint64_t s[{slots}] = {{0}}, res[{result_words}] = {{0}};",
                c_arguments(types, signature, values)
            )
            .unwrap();
            for (i, ty) in signature.params.iter().enumerate() {
                if by_reference(ty) {
                    writeln!(main, "        s[{i}] = (uint64_t)(uintptr_t)&a{i};").unwrap();
                } else {
                    writeln!(main, "        memcpy(&s[{i}], &a{i}, sizeof a{i});").unwrap();
                }
            }
            writeln!(
                main,
                "        sb_last_hash = 0;\n        sbd_{index}((void *){}, s, res);\n        \
                 uint64_t h = 0x{:016x}ull;",
                callee_symbol(index),
                hash_start(index)
            )
            .unwrap();
            if !signature.result.is_void() {
                writeln!(
                    main,
                    "        {result} r;\n        memcpy(&r, res, sizeof r);"
                )
                .unwrap();
                main.push_str(&c_fold_result(signature).replace("    h =", "        h ="));
            }
            writeln!(
                main,
                "        if (sb_last_hash == 0x{hash:016x}ull && h == 0x{expected:016x}ull) \
                 passed++;\n        else {{ failed++; printf(\"FAIL downcall {index}\\n\"); }}\n    }}"
            )
            .unwrap();
        }
    }
    out.push_str(&main);
    out
}

/// The callback checks of `main`: each caller calls its callback with its literals.
fn c_callback_checks(signatures: &[Signature], caller_values: &[Vec<Value>]) -> String {
    let mut out = String::new();
    for (index, signature) in signatures.iter().enumerate() {
        let hash = hash_of(index, &caller_values[index]);
        let expected = result_hash(index, &result_from_hash(&signature.result, hash));
        writeln!(
            out,
            "    sbc_{index}_entry.handler = (void *)sb_handler_{index};\n    sb_cb_hash = 0;\n    \
             if ({}((sb_fn_{index})(void *)sbc_{index}) == 0x{expected:016x}ull && \
             sb_cb_hash == 0x{hash:016x}ull) passed++;\n    \
             else {{ failed++; printf(\"FAIL callback {index}\\n\"); }}",
            caller_symbol(index)
        )
        .unwrap();
    }
    out.push_str(
        "    printf(\"%d passed, %d failed\\n\", passed, failed);\n    return failed != 0;\n}\n",
    );
    out
}

/// Builds and runs the section on `arch`; returns the number of checks.
fn run(arch: &Arch) -> usize {
    let seed = common::seed(DEFAULT_SEED);
    eprintln!("seed {seed:#x} (replay with SPRINGBOARD_SEED={seed:#x})");
    let mut rng = Rng(seed);
    // The C convention of each target (no `ms_abi` callees there).
    let signatures: Vec<Signature> = (0..SIGNATURES)
        .map(|_| random_signature(&mut rng).with_convention(Convention::C))
        .collect();
    let values = |rng: &mut Rng, signature: &Signature| -> Vec<Value> {
        signature
            .params
            .iter()
            .map(|ty| random_value(rng, ty))
            .collect()
    };
    let caller_values: Vec<Vec<Value>> = signatures.iter().map(|s| values(&mut rng, s)).collect();
    let downcall_values: Vec<Vec<Vec<Value>>> = signatures
        .iter()
        .map(|s| (0..VALUE_SETS).map(|_| values(&mut rng, s)).collect())
        .collect();
    let mut items = Vec::new();
    for (index, signature) in signatures.iter().enumerate() {
        for (prefix, kind) in [("sbd", Kind::Downcall), ("sbc", Kind::Callback)] {
            items.push(ObjectItem {
                name: format!("{prefix}_{index}"),
                request: Request::new(kind, signature.clone()).unwrap(),
            });
        }
    }
    let object = emit_object(&arch.target.parse().unwrap(), &items).unwrap();
    // One set of struct declarations: every struct type is in a signature, so the
    // harness declares none of its own.
    let mut types = CTypes::default();
    let callees = c_source(&signatures, &caller_values, &mut types);
    let source = format!(
        "#include <stdio.h>\n#include <string.h>\n{callees}{}{}",
        c_harness(&mut types, &signatures, &downcall_values),
        c_callback_checks(&signatures, &caller_values)
    );
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("i128-{}", arch.name));
    std::fs::create_dir_all(&dir).unwrap();
    let c_path = dir.join("harness.c");
    std::fs::write(&c_path, source).unwrap();
    let checks = SIGNATURES * (VALUE_SETS + 1);
    run_harness(arch, "i128_catalogue", &[&c_path], &["-w"], &object, checks);
    checks
}

#[test]
fn aarch64_i128_catalogue_matches_gcc() {
    assert_eq!(run(&AARCH64), 400);
}

#[test]
fn riscv64_i128_catalogue_matches_gcc() {
    assert_eq!(run(&RISCV64), 400);
}

#[test]
fn x86_64_emitted_i128_catalogue_matches_gcc() {
    assert_eq!(run(&X86_64_HOST), 400);
}
