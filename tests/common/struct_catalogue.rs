//! A catalogue of struct-by-value call cases, as data.
//!
//! Each [`Case`] is a name, a springboard [`Signature`] (in the `c` convention; runners
//! re-target it), concrete argument values and the value the callee returns. [`cases`]
//! builds the catalogue deterministically from [`SHAPES`]: every shape as the only
//! argument, after 5 and 6 integers, after 7 and 8 doubles, several times among
//! scalars, followed by scalars that must still find their registers, and as the
//! result (alone and with arguments). Every scalar leaf of every value in the
//! catalogue is distinct (narrow integers negative or with the top bit set, floats
//! fractional, alternating signs). [`super::c_cases`] turns the cases into C, as it
//! does the scalar catalogue's.

pub use super::case::Case;
use springboard::{Signature, Type, Value};
use std::ffi::c_void;

/// The struct shapes of the catalogue: a name (a C identifier fragment) and the type in
/// signature syntax. `x4`-style shapes come both as separate fields and as an array
/// field (`_arr`).
pub const SHAPES: [(&str, &str); 44] = [
    ("i8", "{i8}"),
    ("i16", "{i16}"),
    ("i32", "{i32}"),
    ("i64", "{i64}"),
    ("f32", "{f32}"),
    ("f64", "{f64}"),
    ("f32x2", "{f32, f32}"),
    ("f32x2_arr", "{[f32; 2]}"),
    ("f32x3", "{f32, f32, f32}"),
    ("f32x4", "{f32, f32, f32, f32}"),
    ("f32x4_arr", "{[f32; 4]}"),
    ("f32x5", "{f32, f32, f32, f32, f32}"),
    ("f32x5_arr", "{[f32; 5]}"),
    ("f64x2", "{f64, f64}"),
    ("f64x2_arr", "{[f64; 2]}"),
    ("f64x3", "{f64, f64, f64}"),
    ("f64x4", "{f64, f64, f64, f64}"),
    ("f64x4_arr", "{[f64; 4]}"),
    ("i8_f64", "{i8, f64}"),
    ("i32_f32", "{i32, f32}"),
    ("i64_f64", "{i64, f64}"),
    ("f64_i64", "{f64, i64}"),
    ("f32_i32_f32", "{f32, i32, f32}"),
    ("f32_f64", "{f32, f64}"),
    ("i16_f32", "{i16, f32}"),
    ("f32_i8_f32_i8", "{f32, i8, f32, i8}"),
    ("i8x3", "{i8, i8, i8}"),
    ("i8x3_arr", "{[i8; 3]}"),
    ("i8x9", "{i8, i8, i8, i8, i8, i8, i8, i8, i8}"),
    ("i8x9_arr", "{[i8; 9]}"),
    ("u8_u16_u8", "{u8, u16, u8}"),
    ("bool_i8_u16", "{bool, i8, u16}"),
    ("ptr_u32", "{ptr, u32}"),
    ("i64x2", "{i64, i64}"),
    ("i64x3", "{i64, i64, i64}"),
    ("mixed32", "{i64, f64, i32, f32, i16, u8, bool, u32}"),
    ("u8x100", "{[u8; 100]}"),
    ("mixed100", "{i32, [f32; 16], [i16; 6], [i8; 20]}"),
    ("nest_f32x2_f32", "{{f32, f32}, f32}"),
    ("arr_f32x2_f32", "{[f32; 2], f32}"),
    ("i8_nest_i16_i32", "{i8, {i16, i32}}"),
    ("nest_f64_nest_f64", "{{f64}, {{f64}}}"),
    ("arr_of_structs", "{[{i8, i16}; 3]}"),
    ("deep_mixed", "{u16, {f32, [i8; 3]}, [{f64}; 1]}"),
];

/// The kinds of case built for every shape `S`, in the order of [`cases`].
///
/// | kind | signature |
/// |---|---|
/// | `only` | `(S) -> scalar` |
/// | `after5i` | `(5 integers, S) -> scalar` |
/// | `after6i` | `(6 integers, S) -> scalar` |
/// | `after7f` | `(7 f64, S) -> scalar` |
/// | `after8f` | `(8 f64, S) -> scalar` |
/// | `three` | `(i32, S, f64, S, u8, S) -> scalar` |
/// | `overflow` | `(S, i64, S, f64, S, i32, S, f32, S, i16, S, f64, S, u64, S, f64) -> scalar` |
/// | `split_int` | `(5 x i64, S, i64, f64) -> scalar`: the i64 after S needs r9 on SysV |
/// | `split_float` | `(7 x f64, S, f64, i32) -> scalar`: the f64 after S needs xmm7 |
/// | `ret` | `() -> S` |
/// | `ret_args` | `(i32, S, f64, S) -> S` |
/// | `ret_after6i` | `(6 integers, S, f64) -> S` |
pub const KINDS: [&str; 12] = [
    "only",
    "after5i",
    "after6i",
    "after7f",
    "after8f",
    "three",
    "overflow",
    "split_int",
    "split_float",
    "ret",
    "ret_args",
    "ret_after6i",
];

/// The shapes, parsed.
pub fn shapes() -> Vec<(&'static str, Type)> {
    SHAPES
        .iter()
        .map(|&(name, text)| {
            let ty: Type = text
                .parse()
                .unwrap_or_else(|e| panic!("shape {name} `{text}`: {e}"));
            (name, ty)
        })
        .collect()
}

/// Integer scalars used around the structs (narrow ones among them).
const INTS: [Type; 8] = [
    Type::I64,
    Type::I32,
    Type::I16,
    Type::U64,
    Type::I8,
    Type::U32,
    Type::U8,
    Type::Isize,
];

/// Scalar results, cycled through the non-`ret` cases.
const SCALAR_RESULTS: [Type; 12] = [
    Type::I32,
    Type::F64,
    Type::Void,
    Type::I8,
    Type::F32,
    Type::U64,
    Type::U16,
    Type::Bool,
    Type::Ptr,
    Type::I64,
    Type::I16,
    Type::U8,
];

/// Cases for `(name, signature text)` pairs, their values from one [`ValueSource`]
/// (distinct values, narrow ones negative or with the top bit set).
pub fn cases_of(list: &[(&str, &str)]) -> Vec<Case> {
    let mut values = ValueSource::default();
    list.iter()
        .map(|&(name, text)| {
            let signature: Signature = text.parse().unwrap_or_else(|e| panic!("{text}: {e}"));
            let args = signature.params.iter().map(|t| values.value(t)).collect();
            let result = values.value(&signature.result);
            Case {
                name: name.to_string(),
                signature,
                args,
                result,
            }
        })
        .collect()
}

/// Hands out distinct, non-trivial values: every call gives the next serial number's
/// value of the requested type.
#[derive(Default)]
pub struct ValueSource {
    serial: u64,
}

/// A value of `ty` (`Value::Void` for `void`) whose scalar leaves `leaf` makes, in
/// field and element order.
pub fn build_value(ty: &Type, leaf: &mut impl FnMut(&Type) -> Value) -> Value {
    match ty {
        Type::Void => Value::Void,
        Type::Struct(layout) => {
            let fields: Vec<Value> = layout
                .fields()
                .iter()
                .map(|f| build_value(f, leaf))
                .collect();
            Value::structure(ty, &fields).expect("fields of the struct's types")
        }
        Type::Array(array) => {
            let elements: Vec<Value> = (0..array.len)
                .map(|_| build_value(&array.element, leaf))
                .collect();
            Value::array(ty, &elements).expect("elements of the array's type")
        }
        scalar => leaf(scalar),
    }
}

impl ValueSource {
    /// A fresh value of `ty` (a scalar, struct or array type; `Value::Void` for
    /// `void`), every scalar leaf from a new serial number.
    pub fn value(&mut self, ty: &Type) -> Value {
        build_value(ty, &mut |scalar| self.scalar(scalar))
    }

    fn scalar(&mut self, ty: &Type) -> Value {
        self.serial += 1;
        let k = self.serial;
        let sign: f64 = if k.is_multiple_of(2) { 1.0 } else { -1.0 };
        match ty {
            Type::Bool => Value::Bool(!k.is_multiple_of(3)),
            // -3 ..= -122
            Type::I8 => Value::I8(-3 - (k % 120) as i8),
            // An odd multiplier walks all 256 bytes; 0 is avoided.
            Type::U8 => Value::U8(match (k.wrapping_mul(0x9d) as u8) ^ 0x80 {
                0 => 0xc3,
                b => b,
            }),
            Type::I16 => Value::I16(-300 - (k.wrapping_mul(17) % 30_000) as i16),
            Type::U16 => Value::U16(0x8000 | (k.wrapping_mul(0x1235) as u16 & 0x7fff)),
            Type::I32 => Value::I32(-0x0001_0000 - (k.wrapping_mul(7919) % 0x0100_0000) as i32),
            Type::U32 => Value::U32(0x8000_0000 | (k.wrapping_mul(0x9e37_79b9) as u32 >> 1)),
            Type::I64 => Value::I64(-(1 << 40) - k.wrapping_mul(0x1_0000_0003) as i64),
            Type::Isize => Value::Isize(-(1 << 36) - k.wrapping_mul(0x7_0001) as isize),
            Type::U64 => Value::U64(0xf000_0000_0000_0000 | k.wrapping_mul(0x0123_4567_89ab)),
            Type::Usize => Value::Usize(0x8000_0000_0000_0000 | k.wrapping_mul(0xfeed) as usize),
            Type::F32 => Value::F32(sign as f32 * (k as f32 + 0.375)),
            // 0.1 is inexact: every mantissa bit is in play.
            Type::F64 => Value::F64(sign * (k as f64 * 1.0625 + 0.1)),
            Type::Ptr => Value::Ptr((0x7f00_dead_0000 + k * 8) as *mut c_void),
            other => panic!("{other} is not a scalar type"),
        }
    }
}

/// Builds the catalogue: every shape in [`SHAPES`] in every kind of [`KINDS`], named
/// `<shape>_<kind>`; deterministic.
pub fn cases() -> Vec<Case> {
    let mut values = ValueSource::default();
    let mut cases = Vec::new();
    let mut serial = 0usize;
    let ints = |n: usize, from: usize| -> Vec<Type> {
        (0..n)
            .map(|i| INTS[(from + i) % INTS.len()].clone())
            .collect()
    };
    for (shape, s) in shapes() {
        for kind in KINDS {
            serial += 1;
            let f64s = |n: usize| vec![Type::F64; n];
            let params: Vec<Type> = match kind {
                "only" => vec![s.clone()],
                "ret" => Vec::new(),
                "after5i" => [ints(5, serial), vec![s.clone()]].concat(),
                "after6i" => [ints(6, serial), vec![s.clone()]].concat(),
                "after7f" => [f64s(7), vec![s.clone()]].concat(),
                "after8f" => [f64s(8), vec![s.clone()]].concat(),
                "three" => vec![
                    Type::I32,
                    s.clone(),
                    Type::F64,
                    s.clone(),
                    Type::U8,
                    s.clone(),
                ],
                "overflow" => {
                    let between = [
                        Type::I64,
                        Type::F64,
                        Type::I32,
                        Type::F32,
                        Type::I16,
                        Type::F64,
                        Type::U64,
                        Type::F64,
                    ];
                    between
                        .into_iter()
                        .flat_map(|scalar| [s.clone(), scalar])
                        .collect()
                }
                "split_int" => [vec![Type::I64; 5], vec![s.clone(), Type::I64, Type::F64]].concat(),
                "split_float" => [f64s(7), vec![s.clone(), Type::F64, Type::I32]].concat(),
                "ret_args" => vec![Type::I32, s.clone(), Type::F64, s.clone()],
                "ret_after6i" => [ints(6, serial), vec![s.clone(), Type::F64]].concat(),
                other => unreachable!("kind {other}"),
            };
            let result_ty = if kind.starts_with("ret") {
                s.clone()
            } else {
                SCALAR_RESULTS[serial % SCALAR_RESULTS.len()].clone()
            };
            let args: Vec<Value> = params.iter().map(|ty| values.value(ty)).collect();
            let result = values.value(&result_ty);
            cases.push(Case {
                name: format!("{shape}_{kind}"),
                signature: Signature::new(params, result_ty),
                args,
                result,
            });
        }
    }
    cases
}
