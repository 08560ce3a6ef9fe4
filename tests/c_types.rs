//! `i128`/`u128` (`__int128`) and `_Complex` arguments, results and struct fields
//! against gcc-compiled C (tests/c/c_types.c): downcalls into C callees and callbacks called by C callers,
//! in the host's System V convention and in Win64 (gcc's `ms_abi`, on this machine),
//! through the raw array layout, the `Value` API and the typed API.
//!
//! `_Complex float` and `_Complex double` are spelled `{f32, f32}` and `{f64, f64}`:
//! the C side uses the complex types, so these tests show that the struct spelling is
//! passed and returned as gcc passes the complex types, in every convention tested.
//!
//! libffi has no 128-bit integer type, so there is no differential test against it
//! here (a struct of two `u64`s is not the same as `__int128` on every convention:
//! Win64 returns one in `rax` only if it is 8 bytes, and AAPCS64 aligns `__int128` to an
//! even register pair).
//!
//! Every C callee hashes its arguments' scalar leaves in order (each sign-extended to
//! 128 bits, a `float` or `double` as the `int64_t` it holds, a complex as its real
//! then imaginary part) and returns the hash converted to its
//! result type (a struct result: leaf `k` gets `hash + k`); every C caller calls a
//! callback with arguments made from an array of values and returns the callback's
//! result widened to 128 bits (a struct result hashed like arguments). A value in the
//! wrong register, half or stack slot changes the hash.

mod common;

use common::c_types::{long_float_to_i64, signatures, VARIADIC};
use springboard::{Convention, Engine, Signature, Slot, Type, Value, F128, F80};
use std::ffi::c_void;
use std::sync::OnceLock;

/// Random value sets per signature and convention.
const ROUNDS: usize = 40;

fn library() -> &'static common::CLibrary {
    static LIBRARY: OnceLock<common::CLibrary> = OnceLock::new();
    LIBRARY.get_or_init(|| common::build_c_library("c_types", include_str!("c/c_types.c")))
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new().unwrap())
}

/// The C functions' hash step.
fn mix(h: u128, v: u128) -> u128 {
    h.wrapping_mul(0x9e37_79b9_7f4a_7c15).wrapping_add(v) ^ (h >> 64)
}

/// The scalar leaves of `ty`, as `(offset, type)`.
fn leaves(ty: &Type) -> Vec<(usize, Type)> {
    let mut out = Vec::new();
    ty.for_each_scalar(0, &mut |offset, leaf| out.push((offset, leaf.clone())));
    out
}

/// `v` converted to the leaf type `ty` as C converts it, then sign-extended to 128
/// bits as the hash reads it (a float leaf holds `v >> 12` or `v >> 40`, exactly).
fn widened(ty: &Type, v: u128) -> u128 {
    match ty {
        Type::I8 => v as i8 as i128 as u128,
        Type::I32 => v as i32 as i128 as u128,
        Type::I64 => v as i64 as i128 as u128,
        Type::F64 => ((v as i64) >> 12) as i128 as u128,
        Type::F32 => ((v as i64) >> 40) as i128 as u128,
        Type::I128 | Type::U128 => v,
        Type::F80 | Type::F128 => ((v as i64) >> 1) as i128 as u128,
        other => panic!("no leaf of type {other} in these signatures"),
    }
}

/// The C bytes of a leaf of type `ty` holding `v` (converted as C converts it).
fn leaf_bytes(ty: &Type, v: u128) -> Vec<u8> {
    match ty {
        Type::F64 => (((v as i64) >> 12) as f64).to_le_bytes().to_vec(),
        Type::F32 => (((v as i64) >> 40) as f32).to_le_bytes().to_vec(),
        Type::F80 => F80::from_i64((v as i64) >> 1).to_bytes().to_vec(),
        Type::F128 => F128::from_i64((v as i64) >> 1).to_bytes().to_vec(),
        _ => v.to_le_bytes()[..ty.size()].to_vec(),
    }
}

/// The bytes of a value of `ty` whose leaves hold `values` in order.
fn bytes_of(ty: &Type, values: &[u128]) -> Vec<u8> {
    let mut bytes = vec![0u8; ty.size()];
    for ((offset, leaf), &v) in leaves(ty).iter().zip(values) {
        bytes[*offset..offset + leaf.size()].copy_from_slice(&leaf_bytes(leaf, v));
    }
    bytes
}

/// Reads the leaves of a value of `ty` from its bytes, each widened as the hash reads it.
fn read_leaves(ty: &Type, bytes: &[u8]) -> Vec<u128> {
    leaves(ty)
        .iter()
        .map(|(offset, leaf)| {
            let mut raw = [0u8; 16];
            let size = leaf.size();
            raw[..size].copy_from_slice(&bytes[*offset..offset + size]);
            let v = u128::from_le_bytes(raw);
            match leaf {
                Type::F64 => f64::from_le_bytes(raw[..8].try_into().unwrap()) as i64 as u128,
                Type::F32 => f32::from_le_bytes(raw[..4].try_into().unwrap()) as i64 as u128,
                Type::F80 | Type::F128 => long_float_to_i64(leaf, &raw) as i128 as u128,
                _ => widened(leaf, v),
            }
        })
        .collect()
}

/// The result bytes a callee of `signature` returns for argument leaves hashing to `h`.
fn result_bytes(result: &Type, h: u128) -> Vec<u8> {
    let values: Vec<u128> = (0..leaves(result).len() as u128)
        .map(|k| h.wrapping_add(k))
        .collect();
    bytes_of(result, &values)
}

/// Random leaf values for `signature`'s parameters, one per leaf.
fn leaf_values(signature: &Signature, rng: &mut common::Rng) -> Vec<u128> {
    let mut values = Vec::new();
    for param in &signature.params {
        for (_, leaf) in leaves(param) {
            let _ = leaf;
            values.push((u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64()));
        }
    }
    values
}

/// The hash of `values`, each widened per its leaf type.
fn hash(signature: &Signature, values: &[u128]) -> u128 {
    let types = signature.params.iter().flat_map(leaves).map(|(_, ty)| ty);
    types
        .zip(values)
        .fold(0, |h, (ty, &v)| mix(h, widened(&ty, v)))
}

fn symbol(convention: Convention, kind: &str, n: usize) -> *const c_void {
    let prefix = if convention == Convention::Win64 {
        "ms_"
    } else {
        ""
    };
    library().symbol(&format!("{prefix}{kind}{n}"))
}

fn signature(text: &str, convention: Convention) -> Signature {
    text.parse::<Signature>()
        .unwrap()
        .with_convention(convention)
}

/// The argument array for `values`: scalars in their slots, `i128`/`u128` and structs
/// as pointers to their bytes in `storage` (which must outlive the call).
fn argument_slots(
    signature: &Signature,
    values: &[u128],
    storage: &mut Vec<Vec<u64>>,
) -> Vec<Slot> {
    let mut rest = values;
    let mut slots = Vec::new();
    for param in &signature.params {
        let count = leaves(param).len();
        let bytes = bytes_of(param, &rest[..count]);
        rest = &rest[count..];
        if param.by_address() {
            // 8-aligned words: all the array layout promises.
            let mut words = vec![0u64; bytes.len().div_ceil(8)];
            for (i, b) in bytes.iter().enumerate() {
                words[i / 8] |= u64::from(*b) << (8 * (i % 8));
            }
            slots.push(Slot::from_ptr(words.as_ptr()));
            storage.push(words);
        } else {
            let mut slot = [0x5au8; 8];
            slot[..bytes.len()].copy_from_slice(&bytes);
            slots.push(Slot(slot));
        }
    }
    slots
}

fn downcalls_match(convention: Convention) -> usize {
    let mut rng = common::Rng(common::seed(0x128));
    let mut checked = 0;
    for (n, text) in signatures().iter().enumerate() {
        let signature = signature(text, convention);
        let downcall = engine().downcall(&signature).unwrap();
        for round in 0..ROUNDS {
            let values = leaf_values(&signature, &mut rng);
            let mut storage = Vec::new();
            let slots = argument_slots(&signature, &values, &mut storage);
            let mut result = [Slot::default(); 4];
            // SAFETY: callee N has this signature; struct and 128-bit slots point into
            // `storage`, alive across the call; the result place holds 32 bytes.
            unsafe {
                downcall.call_raw(
                    symbol(convention, "callee", n),
                    slots.as_ptr(),
                    result.as_mut_ptr(),
                )
            };
            let size = signature.result.size();
            let got: Vec<u8> = result.iter().flat_map(|s| s.0).take(size).collect();
            let expected = result_bytes(&signature.result, hash(&signature, &values));
            assert_eq!(got, expected, "{convention} {text}, round {round}");
            checked += 1;
        }
    }
    checked
}

/// What a callback handler needs: the signature.
struct Handler {
    signature: Signature,
}

/// Hashes the incoming arguments like the C callees and writes the result the same way.
unsafe extern "C" fn hashing_handler(context: *mut c_void, args: *mut Slot, result: *mut Slot) {
    // SAFETY: the context is the test's `Handler`, alive while the callback is.
    let handler = unsafe { &*context.cast::<Handler>() };
    let signature = &handler.signature;
    let mut h = 0;
    for (i, param) in signature.params.iter().enumerate() {
        // SAFETY: one slot per parameter.
        let slot = unsafe { *args.add(i) };
        let bytes = if param.by_address() {
            // SAFETY: the slot of a 128-bit integer or struct points to its bytes.
            unsafe { std::slice::from_raw_parts(slot.as_ptr::<u8>(), param.size()) }.to_vec()
        } else {
            slot.0[..param.size()].to_vec()
        };
        for v in read_leaves(param, &bytes) {
            h = mix(h, v);
        }
    }
    let bytes = result_bytes(&signature.result, h);
    for (i, b) in bytes.into_iter().enumerate() {
        // SAFETY: the result place holds the result's size (at least one slot). Byte
        // by byte, volatile: a 16-byte copy through xmm0 would leave the value where
        // a Win64 caller reads it even if the trampoline returned it elsewhere.
        unsafe { std::ptr::write_volatile(result.cast::<u8>().add(i), b) };
    }
    // Something else in the float registers, for the same reason.
    std::hint::black_box(f64::from_bits(std::hint::black_box(0x7ff8_dead_beef_0001)) * 3.0);
}

fn callbacks_match(convention: Convention) -> usize {
    let mut rng = common::Rng(common::seed(0x821));
    let mut checked = 0;
    for (n, text) in signatures().iter().enumerate() {
        let signature = signature(text, convention);
        let mut handler = Box::new(Handler {
            signature: signature.clone(),
        });
        let context = (&mut *handler as *mut Handler).cast();
        let callback = engine()
            .callback_raw(&signature, hashing_handler, context)
            .unwrap();
        type Caller = unsafe extern "C" fn(*const c_void, *const u128) -> u128;
        // SAFETY: caller N has this type.
        let caller: Caller = unsafe { std::mem::transmute(symbol(convention, "caller", n)) };
        for round in 0..ROUNDS {
            let values = leaf_values(&signature, &mut rng);
            // SAFETY: the callback has the signature caller N calls it with; `values`
            // holds one value per leaf.
            let got = unsafe { caller(callback.code(), values.as_ptr()) };
            let result = result_bytes(&signature.result, hash(&signature, &values));
            let expected = match leaves(&signature.result).as_slice() {
                [(_, scalar)] if !signature.result.is_aggregate() => {
                    read_leaves(scalar, &result)[0]
                }
                _ => read_leaves(&signature.result, &result)
                    .into_iter()
                    .fold(0, mix),
            };
            assert_eq!(got, expected, "{convention} {text}, round {round}");
            checked += 1;
        }
        drop(callback);
    }
    checked
}

#[test]
fn sysv_downcalls_pass_and_return_int128_and_complex() {
    assert_eq!(
        downcalls_match(Convention::SysV),
        signatures().len() * ROUNDS
    );
}

#[test]
fn sysv_callbacks_receive_and_return_int128_and_complex() {
    assert_eq!(
        callbacks_match(Convention::SysV),
        signatures().len() * ROUNDS
    );
}

#[test]
fn win64_downcalls_pass_int128_by_reference_and_get_it_back_in_xmm0_and_complex() {
    assert_eq!(
        downcalls_match(Convention::Win64),
        signatures().len() * ROUNDS
    );
}

#[test]
fn win64_callbacks_receive_and_return_int128_and_complex() {
    assert_eq!(
        callbacks_match(Convention::Win64),
        signatures().len() * ROUNDS
    );
}

#[test]
fn values_and_typed_calls_carry_int128() {
    let text = &signatures()[0];
    let downcall = engine().downcall(&text.parse().unwrap()).unwrap();
    let (a, b) = (-(1i128 << 100) + 12345, (7i128 << 70) - 1);
    let expected = mix(mix(0, a as u128), b as u128) as i128;
    // SAFETY: callee0 is `i128 (i128, i128)`.
    let got = unsafe {
        downcall.call(
            symbol(Convention::SysV, "callee", 0),
            &[Value::I128(a), Value::I128(b)],
        )
    };
    assert_eq!(got.unwrap(), Value::I128(expected));
    let typed = engine()
        .typed_downcall::<extern "C" fn(i128, i128) -> i128>()
        .unwrap();
    // SAFETY: as above.
    assert_eq!(
        unsafe { typed.call(symbol(Convention::SysV, "callee", 0), (a, b)) },
        expected
    );
    let callback = engine()
        .typed_callback(|a: i128, b: i128| -> i128 { mix(mix(0, a as u128), b as u128) as i128 })
        .unwrap();
    type Caller = unsafe extern "C" fn(*const c_void, *const u128) -> u128;
    // SAFETY: caller0 has this type and calls an `i128 (i128, i128)`.
    let caller: Caller = unsafe { std::mem::transmute(symbol(Convention::SysV, "caller", 0)) };
    let values = [a as u128, b as u128];
    let got = unsafe { caller(callback.code() as *const c_void, values.as_ptr()) };
    assert_eq!(got, expected as u128);
    // A `Value` callback: the 128-bit arguments decoded from their bytes, the result
    // encoded into the result place.
    let callback = engine()
        .callback(&text.parse().unwrap(), |args| match args {
            [Value::I128(a), Value::I128(b)] => {
                Value::I128(mix(mix(0, *a as u128), *b as u128) as i128)
            }
            other => panic!("arguments {other:?}"),
        })
        .unwrap();
    // SAFETY: as above.
    let got = unsafe { caller(callback.code(), values.as_ptr()) };
    assert_eq!(got, expected as u128);
    let unsigned = Signature::of::<extern "C" fn(u128, i64) -> u128>().unwrap();
    assert_eq!(unsigned.to_string(), "(u128, i64) -> u128");
}

#[test]
fn variadic_int128_reaches_va_arg() {
    let mut rng = common::Rng(common::seed(0x5a));
    let downcall = engine().downcall(&VARIADIC.parse().unwrap()).unwrap();
    for round in 0..ROUNDS {
        let mut args = vec![Value::I32(5)];
        let mut h = 0;
        for _ in 0..5 {
            let (a, b) = (
                rng.next_u64() as i64,
                (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64()),
            );
            h = mix(mix(h, a as i128 as u128), b);
            args.extend([Value::I64(a), Value::I128(b as i128)]);
        }
        // SAFETY: vsum reads five (int64_t, __int128) pairs.
        let got = unsafe { downcall.call(library().symbol("vsum"), &args) }.unwrap();
        assert_eq!(got, Value::U128(h), "round {round}");
    }
}

#[test]
fn values_carry_long_double_bytes() {
    // callee15 is `long double (long double)`: for an argument holding x it returns
    // x / 2 (the hash of one leaf is the leaf; the result holds hash >> 1).
    let n = signatures()
        .iter()
        .position(|s| s == "(f80) -> f80")
        .unwrap();
    let downcall = engine().downcall(&"(f80) -> f80".parse().unwrap()).unwrap();
    for x in [1000i64, -(1 << 62) + 7, 3] {
        // SAFETY: callee N has this signature.
        let got = unsafe {
            downcall.call(
                symbol(Convention::SysV, "callee", n),
                &[Value::F80(F80::from_i64(x))],
            )
        };
        assert_eq!(got.unwrap(), Value::F80(F80::from_i64(x >> 1)), "{x}");
    }
    // A `Value` callback, called by caller N (which returns its result as an int64).
    let callback = engine()
        .callback(&"(f80) -> f80".parse().unwrap(), |args| match args {
            [Value::F80(x)] => {
                let x = long_float_to_i64(&Type::F80, &x.to_bytes());
                Value::F80(F80::from_i64(x.wrapping_mul(3)))
            }
            other => panic!("arguments {other:?}"),
        })
        .unwrap();
    type Caller = unsafe extern "C" fn(*const c_void, *const u128) -> u128;
    // SAFETY: caller N has this type and calls a `long double (long double)`.
    let caller: Caller = unsafe { std::mem::transmute(symbol(Convention::SysV, "caller", n)) };
    let values = [2000u128];
    // SAFETY: one value for the one leaf.
    let got = unsafe { caller(callback.code(), values.as_ptr()) };
    assert_eq!(
        got, 3000,
        "the caller passed 2000 >> 1 and read the st0 result"
    );
    // The same through binary128 (`__float128` here).
    let n = signatures()
        .iter()
        .position(|s| s == "(f128, f128) -> f128")
        .unwrap();
    let downcall = engine()
        .downcall(&"(f128, f128) -> f128".parse().unwrap())
        .unwrap();
    let (a, b) = (12345i64, -678);
    let expected = (mix(mix(0, a as i128 as u128), b as i128 as u128) as i64) >> 1;
    let args = [
        Value::F128(F128::from_i64(a)),
        Value::F128(F128::from_i64(b)),
    ];
    // SAFETY: callee N has this signature.
    let got = unsafe { downcall.call(symbol(Convention::SysV, "callee", n), &args) };
    assert_eq!(got.unwrap(), Value::F128(F128::from_i64(expected)));
}
