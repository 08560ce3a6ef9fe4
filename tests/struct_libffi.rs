//! Differential test for structs by value: springboard downcalls against gcc-compiled
//! callees and against libffi's `ffi_call`, on random signatures.
//!
//! Each signature mixes random scalars with one to four random structs (random scalar
//! field types, nesting up to depth 3, array fields, arrays of structs, 1 to 64 bytes)
//! at random positions, and returns a random struct, a scalar or nothing; a quarter use
//! the Windows x64 convention (`ms_abi` callees, libffi's `FFI_WIN64`). Its C callee
//! folds every scalar leaf of every argument into a 64-bit hash (integers widened from
//! their own C type, floats by their bits, `bool` as 0/1), stores the hash in a global
//! and returns a value derived from it. Rust computes the same hash from the values, so
//! every call is checked against what gcc's callee saw and returned:
//! - springboard must agree with gcc exactly (hash and returned value bytes; struct
//!   padding excepted), and must not write past a struct result;
//! - libffi is run on the same calls; where it disagrees with gcc, gcc is right (gcc
//!   is the ABI's reference here), so such calls are collected and printed, not
//!   failed.
//!
//! libffi disagreements (system libffi 3.4.4 from Debian 12, gcc 12, x86-64): libffi
//! issue #574, fixed upstream by libffi PR #848 (2024), after 3.4.4. On System V,
//! when a struct of more than 8 bytes whose first eightbyte is INTEGER gets the sixth
//! general register (r9), libffi copies the whole struct into r9's slot of its
//! register save area, and the second eightbyte runs over into xmm0's slot. An
//! earlier float argument in xmm0 then reaches the callee as garbage, for example
//! `(i64, i64, i64, i64, i64, f64, {u32, f64})`, or the issue's own `{char, double}`
//! after five chars and a float. The default seed meets it in one signature (24
//! calls). Over 40 seeds (230,400 calls) every libffi disagreement was this one, and
//! there were none in Windows x64. [`meets_libffi_issue_574`] recognises the
//! situation; any other disagreement is printed as UNEXPLAINED. Arrays are described
//! to libffi as repeated fields, which is how libffi models them.
//!
//! The seed is printed on failure; `SPRINGBOARD_SEED=<decimal or 0x-hex>` replays one.

mod common;

use common::c_cases::{
    c_type as c_scalar_type, encoded, encoded_with_padding, holds, leaf_paths, leaves, CTypes,
};
use common::catalogue::PARAM_TYPES as SCALARS;
use common::ffi::{cif, meets_libffi_issue_574};
use common::hashing::{c_function_head, c_hash_input, hash_input, hash_start, mix, C_PRELUDE};
use common::slots::{expected_result_bits, slot_over};
use common::struct_catalogue::build_value;
use common::Rng;
use libffi::middle::{Arg, Cif, CodePtr, Ret};
use springboard::{Convention, Signature, Slot, Tiering, Type, Value};
use std::ffi::c_void;
use std::fmt::Write as _;

const SIGNATURES: usize = 240;
const VALUE_SETS: usize = 24;
const MAX_SCALARS: usize = 12;
const MAX_STRUCT_SIZE: usize = 64;
/// Meets libffi issue #574 once (see above), so the tolerance path runs by default.
const DEFAULT_SEED: u64 = 1;

/// The hash of a call's arguments: every scalar leaf, in argument and memory order.
fn hash_of(index: usize, args: &[Value]) -> u64 {
    args.iter()
        .flat_map(leaves)
        .fold(hash_start(index), |h, leaf| mix(h, hash_input(&leaf)))
}

/// The scalar of type `ty` made from `bits` (`bool` from bit 0).
fn scalar_from_bits(ty: &Type, bits: u64) -> Value {
    match ty {
        Type::Bool => Value::Bool(bits & 1 == 1),
        _ => Value::from_slot(ty, Slot(bits.to_le_bytes())),
    }
}

/// The value of type `ty` the C function returns for `hash`: leaf `k` made from
/// `mix(hash, k + 1)`.
fn result_from_hash(ty: &Type, hash: u64) -> Value {
    let mut k = 0;
    build_value(ty, &mut |scalar| {
        k += 1;
        scalar_from_bits(scalar, mix(hash, k))
    })
}

/// The C expression of scalar type `ty` made from the `uint64_t` expression `bits`.
fn c_from_bits(ty: &Type, bits: &str) -> String {
    match ty {
        Type::Bool => format!("(({bits}) & 1) != 0"),
        Type::F32 => format!("sb_f32((uint32_t)({bits}))"),
        Type::F64 => format!("sb_f64({bits})"),
        Type::Ptr => format!("(void *)(uintptr_t)({bits})"),
        _ => format!("({})({bits})", c_scalar_type(ty)),
    }
}

fn symbol(index: usize) -> String {
    format!("sb_struct_hash_{index}")
}

fn c_source(signatures: &[Signature]) -> String {
    let mut types = CTypes::default();
    let mut functions = String::new();
    for (index, signature) in signatures.iter().enumerate() {
        let f = &mut functions;
        let head = c_function_head(signature, &symbol(index), |ty| types.name(ty));
        let result = types.name(&signature.result);
        writeln!(
            f,
            "\n/* {signature} */\n{head} {{\n    uint64_t h = 0x{:016x}ull;",
            hash_start(index)
        )
        .unwrap();
        for (i, ty) in signature.params.iter().enumerate() {
            for (path, leaf) in leaf_paths(ty, &format!("a{i}")) {
                writeln!(f, "    h = sb_mix(h, {});", c_hash_input(&leaf, &path)).unwrap();
            }
        }
        writeln!(f, "    sb_last_hash = h;").unwrap();
        match &signature.result {
            Type::Void => {}
            ty if ty.is_aggregate() => {
                writeln!(f, "    {result} r;").unwrap();
                for (k, (path, leaf)) in leaf_paths(ty, "r").into_iter().enumerate() {
                    let bits = format!("sb_mix(h, {})", k + 1);
                    writeln!(f, "    {path} = {};", c_from_bits(&leaf, &bits)).unwrap();
                }
                writeln!(f, "    return r;").unwrap();
            }
            ty => writeln!(f, "    return {};", c_from_bits(ty, "sb_mix(h, 1)")).unwrap(),
        }
        writeln!(f, "}}").unwrap();
    }
    format!(
        "/* Generated by tests/struct_libffi.rs: struct-hashing functions. */\n{C_PRELUDE}{}{functions}",
        types.declarations
    )
}

/// How a random struct's scalars are drawn.
#[derive(Clone, Copy)]
enum Flavour {
    Any,
    FloatsOnly,
    IntegersOnly,
}

fn random_scalar(rng: &mut Rng, flavour: Flavour) -> Type {
    match flavour {
        Flavour::Any => SCALARS[rng.below(SCALARS.len())].clone(),
        Flavour::FloatsOnly => [Type::F32, Type::F64][rng.below(2)].clone(),
        Flavour::IntegersOnly => SCALARS[rng.below(SCALARS.len() - 3)].clone(),
    }
}

/// A random struct at nesting `depth` (1 for a top-level struct; nested structs go
/// down to depth 3).
fn random_struct_at(rng: &mut Rng, depth: usize, flavour: Flavour) -> Type {
    let count = 1 + rng.below(if depth == 1 { 6 } else { 3 });
    let fields: Vec<Type> = (0..count)
        .map(|_| match rng.below(10) {
            0..=5 => random_scalar(rng, flavour),
            6 | 7 => {
                let element = if depth < 3 && rng.below(3) == 0 {
                    random_struct_at(rng, depth + 1, flavour)
                } else {
                    random_scalar(rng, flavour)
                };
                Type::array(element, 1 + rng.below(5)).unwrap()
            }
            _ if depth < 3 => random_struct_at(rng, depth + 1, flavour),
            _ => random_scalar(rng, flavour),
        })
        .collect();
    Type::structure(fields).unwrap()
}

/// A random top-level struct of at most `MAX_STRUCT_SIZE` bytes; half of them at most
/// 16 bytes (the sizes that travel in registers).
fn random_struct(rng: &mut Rng) -> Type {
    let limit = if rng.below(2) == 0 {
        16
    } else {
        MAX_STRUCT_SIZE
    };
    let flavour = match rng.below(4) {
        0 => Flavour::FloatsOnly,
        1 => Flavour::IntegersOnly,
        _ => Flavour::Any,
    };
    loop {
        let ty = random_struct_at(rng, 1, flavour);
        if ty.size() <= limit {
            return ty;
        }
    }
}

/// A random signature: random scalars with one to four structs among them, a struct,
/// scalar or void result; one in four in the Windows x64 convention.
fn random_signature(rng: &mut Rng) -> Signature {
    let mut params: Vec<Type> = (0..rng.below(MAX_SCALARS + 1))
        .map(|_| random_scalar(rng, Flavour::Any))
        .collect();
    for _ in 0..1 + rng.below(4) {
        let position = rng.below(params.len() + 1);
        params.insert(position, random_struct(rng));
    }
    let result = match rng.below(10) {
        0..=4 => random_struct(rng),
        5..=8 => random_scalar(rng, Flavour::Any),
        _ => Type::Void,
    };
    rng.signature(params, result)
}

/// A random scalar: a quarter of the time an edge value, otherwise random bits.
fn random_value(ty: &Type, rng: &mut Rng) -> Value {
    build_value(ty, &mut |scalar| {
        let bits = if rng.below(4) == 0 {
            const EDGES: [u64; 8] = [
                0,
                1,
                u64::MAX,
                0x8000_0000_0000_0000,
                0x7fff_ffff_ffff_ffff,
                0x0000_0000_8000_0000,
                0x0000_0000_ffff_ff80,
                0x7ff8_0000_0000_0001,
            ];
            EDGES[rng.below(EDGES.len())]
        } else {
            rng.next_u64()
        };
        scalar_from_bits(scalar, bits)
    })
}

/// An 8-aligned byte buffer holding `bytes`, then `extra` garbage bytes.
fn aligned(bytes: &[u8], extra: usize, salt: u64) -> Vec<u64> {
    let mut words = vec![0u64; (bytes.len() + extra).div_ceil(8).max(1)];
    for (i, byte) in as_bytes_mut(&mut words).iter_mut().enumerate() {
        *byte = bytes
            .get(i)
            .copied()
            .unwrap_or((salt >> (8 * (i % 8))) as u8 ^ i as u8);
    }
    words
}

fn as_bytes(words: &[u64]) -> &[u8] {
    // SAFETY: initialised words viewed as bytes.
    unsafe { std::slice::from_raw_parts(words.as_ptr().cast(), words.len() * 8) }
}

fn as_bytes_mut(words: &mut [u64]) -> &mut [u8] {
    // SAFETY: as above, borrowed mutably.
    unsafe { std::slice::from_raw_parts_mut(words.as_mut_ptr().cast(), words.len() * 8) }
}

/// A struct's bytes with garbage in its padding.
fn dirty_struct_bytes(value: &Value, salt: u64) -> Vec<u8> {
    encoded_with_padding(value, |i| (salt >> (8 * (i % 8))) as u8 | 0x10)
}

/// A scalar in its slot with garbage beyond its size.
fn dirty_slot(value: &Value, salt: u64) -> Slot {
    slot_over(value, salt.to_le_bytes(), salt as usize)
}

/// One call's outcome through libffi: the hash the callee saw and the result bytes.
fn call_libffi(
    cif: &Cif,
    callee: *const c_void,
    signature: &Signature,
    values: &[Value],
    last_hash: *mut u64,
) -> (u64, Vec<u8>) {
    let buffers: Vec<Vec<u64>> = values.iter().map(|v| aligned(&encoded(v), 0, 0)).collect();
    let args: Vec<Arg> = buffers.iter().map(|b| Arg::new(&b[0])).collect();
    // At least 16 bytes and whole eightbytes: libffi may store whole registers.
    let mut result = vec![0u64; signature.result.size().div_ceil(8).max(2)];
    // SAFETY: the cif describes `callee`'s signature and convention; each argument
    // points to the value's C-layout bytes; the result buffer is large enough for
    // the result (and for libffi's widened `ffi_arg`).
    unsafe {
        last_hash.write_volatile(0);
        let ret = if signature.result.is_void() {
            Ret::void()
        } else {
            Ret::new(&mut result[0])
        };
        cif.call_return_into(CodePtr::from_ptr(callee), &args, ret);
    }
    // SAFETY: a `uint64_t` global of the library.
    let hash = unsafe { last_hash.read_volatile() };
    (hash, as_bytes(&result).to_vec())
}

#[test]
fn random_structs_agree_with_gcc_and_libffi() {
    random_structs_agree_with_gcc_and_libffi_with(Tiering::Eager);
}

#[test]
fn random_structs_agree_with_gcc_and_libffi_through_the_generic_caller() {
    random_structs_agree_with_gcc_and_libffi_with(common::GENERIC_ONLY);
}

/// The differential with downcalls from an engine compiling under `tiering`.
fn random_structs_agree_with_gcc_and_libffi_with(tiering: Tiering) {
    let seed = common::seed(DEFAULT_SEED);
    eprintln!("seed {seed:#x} (replay with SPRINGBOARD_SEED={seed:#x})");
    let mut rng = Rng(seed);
    let signatures: Vec<Signature> = (0..SIGNATURES)
        .map(|_| random_signature(&mut rng))
        .collect();
    let library = common::build_c_library(
        // A library per mode: the tests run at once, and each checks its own
        // `sb_last_hash`.
        &format!(
            "struct_ffi_diff_{seed:016x}{}",
            if tiering == Tiering::Eager {
                ""
            } else {
                "_lazy"
            }
        ),
        &c_source(&signatures),
    );
    let last_hash = library.symbol("sb_last_hash") as *mut u64;
    let engine = common::engine_with_tiering(tiering);
    let downcalls = engine.downcalls(&signatures).unwrap();

    let mut calls = 0usize;
    let mut checked_calls = 0usize;
    let mut win64_calls = 0usize;
    let mut struct_results = 0usize;
    let mut libffi_disagreements = Vec::new();
    let mut unexplained_libffi = 0usize;
    let known_libffi_bug = signatures
        .iter()
        .filter(|s| meets_libffi_issue_574(s))
        .count();
    for (index, (signature, downcall)) in signatures.iter().zip(&downcalls).enumerate() {
        let callee = library.symbol(&symbol(index));
        let cif = cif(signature);
        // libffi lays the structs out itself: its sizes must be C's.
        // SAFETY: `Cif::new` prepared the types, which the cif keeps alive.
        let ffi_sizes: Vec<usize> = unsafe {
            let raw = &*cif.as_raw_ptr();
            (0..raw.nargs as usize)
                .map(|i| (**raw.arg_types.add(i)).size)
                .collect()
        };
        let sizes: Vec<usize> = signature.params.iter().map(Type::size).collect();
        assert_eq!(ffi_sizes, sizes, "libffi's sizes for `{signature}`");
        for set in 0..VALUE_SETS {
            let values: Vec<Value> = signature
                .params
                .iter()
                .map(|ty| random_value(ty, &mut rng))
                .collect();
            let shown: Vec<String> = values.iter().map(Value::to_string).collect();
            let context = format!(
                "seed {seed:#x} (SPRINGBOARD_SEED={seed:#x}), signature #{index} `{signature}`, \
                 value set {set}, arguments ({})",
                shown.join(", ")
            );
            let hash = hash_of(index, &values);
            let expected = result_from_hash(&signature.result, hash);
            let salt = rng.next_u64() | 0x0101_0101_0101_0101;

            // springboard, raw: structs in aligned buffers with garbage padding,
            // garbage in scalar slots and in the result buffer.
            let mut buffers = Vec::new();
            let slots: Vec<Slot> = values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let salt = salt.rotate_left(i as u32 * 8);
                    if v.ty().is_aggregate() {
                        buffers.push(aligned(&dirty_struct_bytes(v, salt), 8, salt));
                        Slot::from_ptr(buffers.last().unwrap().as_ptr())
                    } else {
                        dirty_slot(v, salt)
                    }
                })
                .collect();
            let result_size = signature.result.size().max(8);
            let mut result = aligned(&[], result_size + 16, salt.rotate_left(13));
            let before = as_bytes(&result).to_vec();
            // SAFETY: a sentinel in a `uint64_t` global of the library.
            unsafe { last_hash.write_volatile(!hash) };
            // SAFETY: `callee` was generated from `signature`; one slot per
            // parameter, struct slots pointing at C-layout bytes; the result buffer
            // is 8-aligned and holds the result; the callee dereferences no pointer.
            unsafe { (downcall.as_raw())(callee, slots.as_ptr(), result.as_mut_ptr().cast()) };
            calls += 1;
            // SAFETY: as above.
            let seen_hash = unsafe { last_hash.read_volatile() };
            assert_eq!(
                seen_hash, hash,
                "through springboard the callee hashed different arguments; {context}"
            );
            let after = as_bytes(&result);
            if signature.result.is_aggregate() {
                struct_results += 1;
                assert!(
                    holds(after, &expected),
                    "springboard's struct result {:02x?} is not {expected} ({:02x?}); {context}",
                    &after[..signature.result.size()],
                    encoded(&expected)
                );
                let size = signature.result.size();
                assert_eq!(
                    after[size..],
                    before[size..],
                    "springboard wrote past the struct result; {context}"
                );
            } else {
                let slot = u64::from_le_bytes(after[..8].try_into().unwrap());
                let before_slot = u64::from_le_bytes(before[..8].try_into().unwrap());
                let wanted = expected_result_bits(&expected, before_slot);
                assert_eq!(
                    slot, wanted,
                    "springboard's result slot is {slot:#018x}, expected {wanted:#018x} \
                     ({expected:?}); {context}"
                );
            }
            if signature.convention == Convention::Win64 {
                win64_calls += 1;
            }

            // springboard, checked, now and then.
            if set % 8 == 0 {
                // SAFETY: as above.
                let returned = unsafe { downcall.call(callee, &values) }
                    .unwrap_or_else(|e| panic!("checked call failed: {e}; {context}"));
                assert!(
                    returned.ty() == expected.ty() && holds(&encoded(&returned), &expected),
                    "the checked call returned {returned}, expected {expected}; {context}"
                );
                checked_calls += 1;
            }

            // libffi: where it disagrees with gcc, gcc is right; record it.
            let (ffi_hash, ffi_result) = call_libffi(&cif, callee, signature, &values, last_hash);
            let ffi_ok =
                ffi_hash == hash && (expected == Value::Void || holds(&ffi_result, &expected));
            if !ffi_ok {
                let known = meets_libffi_issue_574(signature);
                unexplained_libffi += usize::from(!known);
                libffi_disagreements.push(format!(
                    "libffi ({}): callee hash {}, result {:02x?} (expected {expected}); {context}",
                    if known {
                        "libffi issue #574"
                    } else {
                        "UNEXPLAINED"
                    },
                    if ffi_hash == hash { "right" } else { "WRONG" },
                    &ffi_result[..signature.result.size()],
                ));
            }
        }
    }
    assert_eq!(calls, SIGNATURES * VALUE_SETS);
    assert!(calls >= 5_000, "only {calls} calls");
    assert!(
        win64_calls > 0 && win64_calls < calls,
        "{win64_calls} win64 calls"
    );
    assert!(
        struct_results > calls / 4,
        "{struct_results} struct results"
    );
    eprintln!(
        "{calls} calls through springboard ({win64_calls} win64, {struct_results} struct \
         results, {checked_calls} also checked), all equal to gcc's; libffi disagreed with \
         gcc on {} of them ({unexplained_libffi} not explained by libffi issue #574, which \
         {known_libffi_bug} of the signatures meet)",
        libffi_disagreements.len()
    );
    for disagreement in libffi_disagreements.iter().take(20) {
        eprintln!("{disagreement}");
    }
}
