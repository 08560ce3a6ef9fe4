//! A catalogue of struct-by-value downcall cases, as data, and the C callees that check
//! them.
//!
//! Each [`Case`] is a name, a springboard [`Signature`] (in the `c` convention; runners
//! re-target it), concrete argument values and the value the callee returns. [`cases`]
//! builds the catalogue deterministically from [`SHAPES`]: every shape as the only
//! argument, after 5 and 6 integers, after 7 and 8 doubles, several times among
//! scalars, followed by scalars that must still find their registers, and as the
//! result (alone and with arguments). Every scalar leaf of every value in the
//! catalogue is distinct (narrow integers negative or with the top bit set, floats
//! fractional, alternating signs).
//!
//! [`c_source`] turns any list of cases into C: one callee per case that compares every
//! scalar argument and every leaf of every struct argument with its expected value
//! (floats bit for bit), records the first mismatch in exported globals, scribbles over
//! its own struct parameters (a callee may: they are its copies), and returns the
//! expected value. The source also checks, at compile time, that the C compiler lays
//! every struct out as springboard does (`_Static_assert` on sizes, alignments and
//! offsets). The same data can drive a C harness on another architecture.
//!
//! Exported globals (plain C objects, so that any harness can read them):
//!
//! | symbol | C type | meaning |
//! |---|---|---|
//! | [`FAILURES`] | `int64_t` | mismatching values since the last reset |
//! | [`FIRST_CASE`] | `int32_t` | index in the list given to [`c_source`] of the first failing case, -1 if none |
//! | [`FIRST_ARG`] | `int32_t` | its argument index, -1 if none |
//! | [`FIRST_LEAF`] | `int32_t` | the scalar leaf within that argument (memory order; 0 for a scalar), -1 if none |
//! | [`CALLS`] | `uint64_t` | callee invocations since the last reset |
//!
//! and `void sb_struct_reset(void)` ([`RESET`]) clears them.
//!
//! [`c_callers_source`] turns the same cases around, for callbacks: one *caller* per
//! case ([`caller_symbol`]) that builds the case's arguments (struct locals
//! initialised from literals), calls a function pointer through a prototype of the
//! case's signature, and checks the result (every leaf, floats bit for bit), that its
//! own struct arguments are unchanged after the call (the callee got copies), and that
//! values it kept across the call in registers the convention preserves survived. Its
//! problems go to the same globals ([`CALLS`] counts the calls made; [`FIRST_ARG`] is
//! the argument whose original changed, or [`RESULT_MISMATCH`] or
//! [`REGISTERS_CLOBBERED`]), plus [`FIRST_BITS`] and [`ORIGINALS`].

pub use super::case::Case;
pub use super::catalogue::c_type as c_scalar_type;
use springboard::{Signature, Type, Value};
use std::collections::HashMap;
use std::ffi::c_void;
use std::fmt::Write as _;

/// Global: mismatches since the last reset (`int64_t`).
pub const FAILURES: &str = "sb_struct_failure_count";
/// Global: index of the first failing case (`int32_t`).
pub const FIRST_CASE: &str = "sb_struct_first_case";
/// Global: argument index of the first mismatch (`int32_t`).
pub const FIRST_ARG: &str = "sb_struct_first_arg";
/// Global: leaf index of the first mismatch within its argument (`int32_t`).
pub const FIRST_LEAF: &str = "sb_struct_first_leaf";
/// Global: callee invocations since the last reset (`uint64_t`).
pub const CALLS: &str = "sb_struct_call_count";
/// Function: clears the globals (`void (void)`).
pub const RESET: &str = "sb_struct_reset";

/// Global of callers: the bytes of the first mismatching leaf a caller saw, as a
/// zero-extended little-endian number (`uint64_t`).
pub const FIRST_BITS: &str = "sb_struct_first_bits";
/// Global of callers: `void *sb_struct_originals[ORIGINALS_LEN]`, the addresses of the
/// running caller's own struct arguments by argument index (null elsewhere), so that a
/// deliberately misbehaving callee can reach them. Storing them also makes the
/// caller's after-call checks real reads: the compiler cannot assume the call left
/// objects whose address escaped unchanged.
pub const ORIGINALS: &str = "sb_struct_originals";
/// Elements of [`ORIGINALS`]: the most parameters a caller can have.
pub const ORIGINALS_LEN: usize = 32;
/// What [`FIRST_ARG`] holds when a caller got a wrong result (the leaf is the
/// result's).
pub const RESULT_MISMATCH: i32 = -2;
/// What [`FIRST_ARG`] holds when values a caller kept in preserved registers across
/// the call changed.
pub const REGISTERS_CLOBBERED: i32 = -3;

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

/// The C symbol of a struct case's callee (see [`c_source`]); struct case names are
/// `<shape>_<kind>`.
pub fn symbol(case: &Case) -> String {
    format!("sb_struct_{}", case.name)
}

/// The C symbol of a struct case's caller (see [`c_callers_source`]).
pub fn caller_symbol(case: &Case) -> String {
    format!("sb_struct_call_{}", case.name)
}

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

/// A scalar's bytes as an unsigned number: the value's own bytes, zero-extended
/// (floats: their bit pattern; `bool`: 0 or 1; pointers: the address).
pub fn scalar_bits(value: &Value) -> u64 {
    let size = value.ty().size();
    let mut bytes = [0; 8];
    bytes[..size].copy_from_slice(&value.to_slot().0[..size]);
    u64::from_le_bytes(bytes)
}

/// The scalar leaves of a value, in memory order (a scalar is its own only leaf).
pub fn leaves(value: &Value) -> Vec<Value> {
    fn walk(value: &Value, out: &mut Vec<Value>) {
        match value {
            Value::Struct(aggregate) | Value::Array(aggregate) => {
                aggregate.members().iter().for_each(|m| walk(m, out))
            }
            scalar => out.push(scalar.clone()),
        }
    }
    let mut out = Vec::new();
    walk(value, &mut out);
    out
}

/// The C lvalue of every scalar leaf of a `ty` named `base`, with the leaf's type, in
/// memory order (`a0.f1.f0[2]`); struct fields are `f0`, `f1`, ... as [`CTypes`]
/// declares them.
pub fn leaf_paths(ty: &Type, base: &str) -> Vec<(String, Type)> {
    fn walk(ty: &Type, path: String, out: &mut Vec<(String, Type)>) {
        match ty {
            Type::Struct(layout) => {
                for (i, field) in layout.fields().iter().enumerate() {
                    walk(field, format!("{path}.f{i}"), out);
                }
            }
            Type::Array(array) => {
                for i in 0..array.len {
                    walk(&array.element, format!("{path}[{i}]"), out);
                }
            }
            scalar => out.push((path, scalar.clone())),
        }
    }
    let mut out = Vec::new();
    walk(ty, base.to_string(), &mut out);
    out
}

/// Which bytes of a `ty` belong to a scalar leaf (the others are padding).
pub fn value_bytes_mask(ty: &Type) -> Vec<bool> {
    let mut mask = vec![false; ty.size()];
    ty.for_each_scalar(0, &mut |offset, scalar| {
        mask[offset..offset + scalar.size()].fill(true);
    });
    mask
}

/// A value's C-layout bytes (padding zero).
pub fn encoded(value: &Value) -> Vec<u8> {
    let mut bytes = vec![0; value.ty().size()];
    value.encode(&mut bytes);
    bytes
}

/// A value's C-layout bytes with `garbage(i)` in each padding byte `i`.
pub fn encoded_with_padding(value: &Value, garbage: impl Fn(usize) -> u8) -> Vec<u8> {
    let mut bytes = encoded(value);
    for (i, (byte, is_value)) in bytes
        .iter_mut()
        .zip(value_bytes_mask(&value.ty()))
        .enumerate()
    {
        if !is_value {
            *byte = garbage(i);
        }
    }
    bytes
}

/// Whether the first `expected.ty().size()` bytes of `actual` hold `expected`'s value
/// bytes (a struct's padding ignored; a scalar's own bytes).
pub fn holds(actual: &[u8], expected: &Value) -> bool {
    let want = encoded(expected);
    let mask = value_bytes_mask(&expected.ty());
    want.iter()
        .zip(&mask)
        .zip(actual)
        .all(|((w, &m), a)| !m || w == a)
}

/// Values compared by type and value bytes (floats by their bits, padding aside).
pub fn same_value(actual: &Value, expected: &Value) -> bool {
    actual.ty() == expected.ty() && holds(&encoded(actual), expected)
}

/// Struct declarations for C: one `struct sb_sN` per distinct struct type, fields
/// `f0, f1, ...`, each declared after the structs it contains, with `_Static_assert`s
/// that the C compiler's layout is springboard's.
#[derive(Default)]
pub struct CTypes {
    names: HashMap<Type, String>,
    /// The declarations, in dependency order.
    pub declarations: String,
}

impl CTypes {
    /// The C type name of a scalar or struct type, declaring structs as needed.
    pub fn name(&mut self, ty: &Type) -> String {
        match ty {
            Type::Struct(_) => self.declare(ty),
            Type::Array(_) => panic!("arrays have no C type name of their own: {ty}"),
            scalar => c_scalar_type(scalar).to_string(),
        }
    }

    /// `T name` or `T name[2][3]` for a field of type `ty`.
    fn declarator(&mut self, ty: &Type, name: String) -> String {
        match ty {
            Type::Array(array) => {
                let element = array.element.clone();
                self.declarator(&element, format!("{name}[{}]", array.len))
            }
            _ => format!("{} {name}", self.name(ty)),
        }
    }

    fn declare(&mut self, ty: &Type) -> String {
        if let Some(name) = self.names.get(ty) {
            return name.clone();
        }
        let layout = ty.as_struct().expect("a struct type");
        let fields: Vec<String> = layout
            .fields()
            .iter()
            .enumerate()
            .map(|(i, field)| self.declarator(field, format!("f{i}")))
            .collect();
        let name = format!("struct sb_s{}", self.names.len());
        let d = &mut self.declarations;
        writeln!(d, "\n/* {ty} */\n{name} {{").unwrap();
        for field in &fields {
            writeln!(d, "    {field};").unwrap();
        }
        writeln!(d, "}};").unwrap();
        let check = |d: &mut String, what: String, value: usize| {
            writeln!(d, "_Static_assert({what} == {value}, \"{what} for {ty}\");").unwrap()
        };
        check(d, format!("sizeof({name})"), ty.size());
        check(d, format!("_Alignof({name})"), ty.align());
        for (i, offset) in layout.offsets().iter().enumerate() {
            check(d, format!("offsetof({name}, f{i})"), *offset);
        }
        self.names.insert(ty.clone(), name.clone());
        name
    }
}

/// A C expression of the scalar's type whose value is exactly `value`.
pub fn c_scalar_literal(value: &Value) -> String {
    let bits = scalar_bits(value);
    match value {
        Value::Bool(v) => v.to_string(),
        Value::F32(_) => format!("sb_f32(0x{bits:08x}u)"),
        Value::F64(_) => format!("sb_f64(0x{bits:016x}ull)"),
        Value::Ptr(_) => format!("((void *)(uintptr_t)0x{bits:x}ull)"),
        // The conversion of an out-of-range unsigned constant to a signed type wraps
        // (GCC and Clang define it so), giving the negative value.
        other => format!("(({})0x{bits:x}ull)", c_scalar_type(&other.ty())),
    }
}

/// A C condition that is true when the lvalue `path` does NOT hold `value` exactly
/// (floats and bools compared by their bytes).
fn c_mismatch(path: &str, value: &Value) -> String {
    let bits = scalar_bits(value);
    match value {
        Value::Bool(_) => format!("!sb_bytes_are(&{path}, 1, 0x{bits:x}ull)"),
        Value::F32(_) => format!("!sb_bytes_are(&{path}, 4, 0x{bits:x}ull)"),
        Value::F64(_) => format!("!sb_bytes_are(&{path}, 8, 0x{bits:x}ull)"),
        Value::Ptr(_) => format!("(uintptr_t){path} != 0x{bits:x}ull"),
        other => format!("{path} != {}", c_scalar_literal(other)),
    }
}

/// A C `return` statement for a scalar `value`. Integers narrower than 64 bits come out
/// of an optimisation barrier with garbage in the register's upper bits (which every
/// convention allows), so a caller that trusts them fails.
fn c_scalar_return(value: &Value) -> String {
    let ty = value.ty();
    match value {
        Value::Void => "return;".to_string(),
        Value::I8(_)
        | Value::U8(_)
        | Value::I16(_)
        | Value::U16(_)
        | Value::I32(_)
        | Value::U32(_) => {
            let garbage = 0xa5a5_a5a5_a5a5_a5a5_u64 & (u64::MAX << (ty.size() * 8));
            format!(
                "return ({})sb_opaque(0x{:016x}ull);",
                c_scalar_type(&ty),
                garbage | scalar_bits(value)
            )
        }
        other => format!("return {};", c_scalar_literal(other)),
    }
}

/// C source defining the globals, one checking callee per case (named
/// [`symbol`]) and the struct types they use. `abi_attribute` (for example
/// `__attribute__((ms_abi))`) goes on every case callee. Case indices in
/// [`FIRST_CASE`] are positions in `cases`.
pub fn c_source(cases: &[Case], abi_attribute: Option<&str>) -> String {
    let mut types = CTypes::default();
    let mut functions = String::new();
    let attribute = abi_attribute.map(|a| format!("{a} ")).unwrap_or_default();
    for (index, case) in cases.iter().enumerate() {
        let f = &mut functions;
        let params: Vec<String> = case
            .signature
            .params
            .iter()
            .enumerate()
            .map(|(i, ty)| format!("{} a{i}", types.name(ty)))
            .collect();
        let params = if params.is_empty() {
            "void".to_string()
        } else {
            params.join(", ")
        };
        let result_type = types.name(&case.signature.result);
        writeln!(
            f,
            "\n/* {} */\n{attribute}{result_type} {}({params}) {{\n    sb_struct_call_count++;",
            case.signature,
            symbol(case)
        )
        .unwrap();
        for (arg_index, (arg, ty)) in case.args.iter().zip(&case.signature.params).enumerate() {
            let name = format!("a{arg_index}");
            let paths = leaf_paths(ty, &name);
            for (leaf, ((path, _), value)) in paths.iter().zip(leaves(arg)).enumerate() {
                let mismatch = c_mismatch(path, &value);
                writeln!(
                    f,
                    "    if ({mismatch}) sb_fail({index}, {arg_index}, {leaf});"
                )
                .unwrap();
            }
        }
        // The callee owns its struct parameters: overwriting them must not reach the
        // caller's values.
        for (arg_index, ty) in case.signature.params.iter().enumerate() {
            if ty.is_aggregate() {
                writeln!(f, "    sb_scribble(&a{arg_index}, sizeof a{arg_index});").unwrap();
            }
        }
        if case.result.ty().is_aggregate() {
            writeln!(f, "    {result_type} r;\n    memset(&r, 0x5a, sizeof r);").unwrap();
            let paths = leaf_paths(&case.signature.result, "r");
            for ((path, _), value) in paths.iter().zip(leaves(&case.result)) {
                writeln!(f, "    {path} = {};", c_scalar_literal(&value)).unwrap();
            }
            writeln!(f, "    return r;\n}}").unwrap();
        } else {
            writeln!(f, "    {}\n}}", c_scalar_return(&case.result)).unwrap();
        }
    }
    format!("{PRELUDE}{}{functions}", types.declarations)
}

/// A C initializer of a struct or array value (`{ 1, { 2, 3 }, { 4, 5 } }`), every
/// leaf an exact literal; a scalar gives its literal.
pub fn c_initializer(value: &Value) -> String {
    match value {
        Value::Struct(aggregate) | Value::Array(aggregate) => {
            let members: Vec<String> = aggregate.members().iter().map(c_initializer).collect();
            format!("{{ {} }}", members.join(", "))
        }
        scalar => c_scalar_literal(scalar),
    }
}

/// C source defining the globals and one checking *caller* per case, for testing
/// callbacks:
///
/// ```c
/// int32_t sb_struct_call_<name>(const void *callee);
/// ```
///
/// builds the case's struct arguments in locals from initialisers (publishing their
/// addresses in [`ORIGINALS`]), calls `callee` once through a function-pointer type of
/// the case's signature (so the C compiler does the caller's side of the convention),
/// and returns the number of problems it found, each also recorded in the globals, in
/// this order: values kept across the call in registers the convention preserves that
/// changed ([`REGISTERS_CLOBBERED`]; eight integers and ten doubles, which gcc keeps in
/// `rbx`, `rbp`, `r12`-`r15` and, in an `ms_abi` function, `rsi`, `rdi` and
/// `xmm6`-`xmm15`); each scalar leaf of the result whose bytes are not exactly the
/// case's ([`RESULT_MISMATCH`]; floats and `bool` by their bytes too); each leaf of one
/// of its own struct arguments that changed during the call (the argument's index:
/// the callee only ever had a copy). Leaves are compared from tables of
/// `(offset, size, bits)` (padding is never compared). `abi_attribute` (for example
/// `__attribute__((ms_abi))`) goes on the function-pointer types *and* on the callers,
/// which are then called in that convention too. Case indices in [`FIRST_CASE`] are
/// positions in `cases`.
pub fn c_callers_source(cases: &[Case], abi_attribute: Option<&str>) -> String {
    let mut types = CTypes::default();
    let mut tables = String::new();
    let mut functions = String::new();
    let attribute = abi_attribute.map(|a| format!("{a} ")).unwrap_or_default();
    for (index, case) in cases.iter().enumerate() {
        let params = &case.signature.params;
        assert!(
            params.len() <= ORIGINALS_LEN,
            "{}: more than {ORIGINALS_LEN} parameters",
            case.name
        );
        let param_types: Vec<String> = params.iter().map(|ty| types.name(ty)).collect();
        let param_types = if param_types.is_empty() {
            "void".to_string()
        } else {
            param_types.join(", ")
        };
        let result_type = types.name(&case.signature.result);
        let pointer_type = format!("sb_struct_fn_{}", case.name);
        let f = &mut functions;
        writeln!(
            f,
            "\n/* {} */\ntypedef {result_type} ({attribute}*{pointer_type})({param_types});\n\
             {attribute}int32_t {}(const void *callee) {{\n    int32_t problems = 0;",
            case.signature,
            caller_symbol(case)
        )
        .unwrap();
        let mut arguments = Vec::new();
        for (i, (arg, ty)) in case.args.iter().zip(params).enumerate() {
            if ty.is_aggregate() {
                writeln!(
                    f,
                    "    {} a{i} = {};\n    sb_struct_originals[{i}] = &a{i};",
                    types.name(ty),
                    c_initializer(arg)
                )
                .unwrap();
                arguments.push(format!("a{i}"));
            } else {
                arguments.push(c_scalar_literal(arg));
            }
        }
        let call = format!("(({pointer_type})callee)({})", arguments.join(", "));
        if case.result == Value::Void {
            writeln!(f, "    SB_LIVE_BEGIN\n    {call};").unwrap();
        } else {
            writeln!(f, "    SB_LIVE_BEGIN\n    {result_type} r = {call};").unwrap();
        }
        writeln!(
            f,
            "    sb_struct_call_count++;\n    if (SB_LIVE_CHANGED) problems += \
             sb_caller_fail({index}, {REGISTERS_CLOBBERED}, 0, 0);"
        )
        .unwrap();
        let mut check = |what: i32, object: &str, value: &Value| {
            let table = format!("sb_leaves_{index}_{object}");
            leaf_table(&mut tables, &table, value);
            writeln!(
                f,
                "    problems += sb_check_leaves({index}, {what}, &{object}, {table}, \
                 sizeof {table} / sizeof {table}[0]);"
            )
            .unwrap();
        };
        if case.result != Value::Void {
            check(RESULT_MISMATCH, "r", &case.result);
        }
        for (i, (arg, ty)) in case.args.iter().zip(params).enumerate() {
            if ty.is_aggregate() {
                check(i as i32, &format!("a{i}"), arg);
            }
        }
        for (i, ty) in params.iter().enumerate() {
            if ty.is_aggregate() {
                writeln!(f, "    sb_struct_originals[{i}] = NULL;").unwrap();
            }
        }
        writeln!(f, "    return problems;\n}}").unwrap();
    }
    format!(
        "{PRELUDE}{}{}{tables}{functions}",
        CALLER_PRELUDE.replace("ORIGINALS_LEN", &ORIGINALS_LEN.to_string()),
        types.declarations
    )
}

/// `static const struct sb_leaf name[]`: every scalar leaf of `value` as its offset,
/// size and bits, in memory order.
fn leaf_table(c: &mut String, name: &str, value: &Value) {
    let mut offsets = Vec::new();
    value
        .ty()
        .for_each_scalar(0, &mut |offset, _| offsets.push(offset));
    let leaves = leaves(value);
    assert_eq!(
        offsets.len(),
        leaves.len(),
        "one offset per leaf of {value}"
    );
    writeln!(c, "static const struct sb_leaf {name}[] = {{").unwrap();
    for (offset, leaf) in offsets.iter().zip(&leaves) {
        writeln!(
            c,
            "    {{ {offset}, {}, 0x{:x}ull }},",
            leaf.ty().size(),
            scalar_bits(leaf)
        )
        .unwrap();
    }
    writeln!(c, "}};").unwrap();
}

/// What [`c_callers_source`] adds to [`PRELUDE`].
const CALLER_PRELUDE: &str = include_str!("../c/struct_caller_prelude.c");

const PRELUDE: &str = concat!(
    include_str!("../c/struct_prelude.c"),
    c_bits_float!(),
    include_str!("../c/opaque.c"),
    include_str!("../c/scribble.c"),
);
