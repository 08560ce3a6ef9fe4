//! Deno's turbocall shapes, shared by the host fast-call tests (tests/fastcall.rs) and
//! the qemu ones (tests/cross_fastcall.rs): the signatures, the types of their value
//! sets (each suite keeps its own sets), the values in C order, and how a C target
//! records a value.

use springboard::{Type, Value};

/// 22 mixed arguments; argument 6 is the buffer, 7 the function.
pub const TURBO22: &str = "(u8, u16, i16, i8, u32, u64, ptr, ptr, i64, i32, i16, i8, \
                           f32, f32, f32, f32, f64, f64, f64, f64, f32, f64)";

/// 12 narrow integers, `(u8, u16, i8, i16)` three times, returning `i8`.
pub const NARROW12: &str = "(u8, u16, i8, i16, u8, u16, i8, i16, u8, u16, i8, i16) -> i8";

/// The scalar arguments of one [`TURBO22`] call (the buffer and the function aside):
/// arguments 0-5, 8-11, then `f[..4]`, `d[..4]`, `f[4]`, `d[4]`.
#[derive(Clone, Copy)]
pub struct Turbo22 {
    /// Arguments 0-5.
    pub ints: (u8, u16, i16, i8, u32, u64),
    /// Arguments 8-11.
    pub more: (i64, i32, i16, i8),
    /// Arguments 12-15 and 20.
    pub f: [f32; 5],
    /// Arguments 16-19 and 21.
    pub d: [f64; 5],
}

/// The [`Turbo22`] sets both suites pass: every integer at an extreme and floats at
/// theirs, then mixed bit patterns.
pub const TURBO22_SHARED_SETS: [Turbo22; 2] = [
    Turbo22 {
        ints: (255, 65535, -32768, -128, u32::MAX, u64::MAX),
        more: (i64::MIN, i32::MIN, 32767, 127),
        f: [1.5, -2.25, f32::MAX, f32::MIN_POSITIVE, -0.0],
        d: [
            1e300,
            -2.5e-300,
            f64::MIN_POSITIVE,
            -0.0,
            std::f64::consts::PI,
        ],
    },
    Turbo22 {
        ints: (0x5a, 0x8001, -2, 1, 0x8000_0001, 0x0123_4567_89ab_cdef),
        more: (-0x1234_5678_9abc, 0x7fff_fffe, -300, -1),
        f: [0.1, 7.0, -1.0e-30, 3.0e38, 42.5],
        d: [-1.0, 0.5, 6.02e23, -1e-10, f64::MAX],
    },
];

impl Turbo22 {
    /// The 22 values in C order, with `data` and `function` as arguments 6 and 7.
    pub fn values(&self, data: Value, function: Value) -> Vec<Value> {
        let (a0, a1, a2, a3, a4, a5) = self.ints;
        let (a8, a9, a10, a11) = self.more;
        let mut values = vec![
            Value::U8(a0),
            Value::U16(a1),
            Value::I16(a2),
            Value::I8(a3),
            Value::U32(a4),
            Value::U64(a5),
            data,
            function,
            Value::I64(a8),
            Value::I32(a9),
            Value::I16(a10),
            Value::I8(a11),
        ];
        values.extend(self.f[..4].iter().map(|&f| Value::F32(f)));
        values.extend(self.d[..4].iter().map(|&d| Value::F64(d)));
        values.push(Value::F32(self.f[4]));
        values.push(Value::F64(self.d[4]));
        values
    }
}

/// The arguments of one [`NARROW12`] call: `(u8s[k], u16s[k], i8s[k], i16s[k])` for
/// k = 0, 1, 2.
#[derive(Clone, Copy)]
pub struct Narrow12 {
    pub u8s: [u8; 3],
    pub u16s: [u16; 3],
    pub i8s: [i8; 3],
    pub i16s: [i16; 3],
}

/// The [`Narrow12`] sets both suites pass: the extremes, then small mixed values.
pub const NARROW12_SHARED_SETS: [Narrow12; 2] = [
    Narrow12 {
        u8s: [255, 0, 128],
        u16s: [65535, 0, 32768],
        i8s: [-128, 127, -1],
        i16s: [-32768, 32767, -1],
    },
    Narrow12 {
        u8s: [1, 2, 3],
        u16s: [0x1234, 0x8765, 7],
        i8s: [-5, 6, -7],
        i16s: [-1000, 2000, -3000],
    },
];

impl Narrow12 {
    /// The 12 values in C order.
    pub fn values(&self) -> Vec<Value> {
        (0..3)
            .flat_map(|k| {
                [
                    Value::U8(self.u8s[k]),
                    Value::U16(self.u16s[k]),
                    Value::I8(self.i8s[k]),
                    Value::I16(self.i16s[k]),
                ]
            })
            .collect()
    }
}

/// A value as a C target records it: integers sign- or zero-extended to 64 bits,
/// floats as their bits.
pub fn c_view(value: &Value) -> u64 {
    match *value {
        Value::I8(v) => i64::from(v) as u64,
        Value::I16(v) => i64::from(v) as u64,
        Value::I32(v) => i64::from(v) as u64,
        Value::I64(v) => v as u64,
        Value::U8(v) => v.into(),
        Value::U16(v) => v.into(),
        Value::U32(v) => v.into(),
        Value::U64(v) => v,
        Value::F32(v) => v.to_bits().into(),
        Value::F64(v) => v.to_bits(),
        Value::Ptr(p) => p as u64,
        ref other => panic!("no C view of {other:?} here"),
    }
}

/// The entry's result for a C result of `ty` whose register holds `bits`: a narrow
/// integer or `bool` at its width, sign- or zero-extended to 32 bits; a 32-bit value's
/// low 32 bits; anything wider as it is.
pub fn widened_result(ty: &Type, bits: u64) -> u64 {
    let value = match ty {
        Type::I8 => i32::from(bits as u8 as i8) as u32,
        Type::U8 | Type::Bool => u32::from(bits as u8),
        Type::I16 => i32::from(bits as u16 as i16) as u32,
        Type::U16 => u32::from(bits as u16),
        Type::I32 | Type::U32 | Type::F32 => bits as u32,
        _ => return bits,
    };
    value.into()
}
