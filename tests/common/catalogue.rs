//! A catalogue of scalar call cases, as data.
//!
//! Each [`Case`] is a signature, concrete argument values and the result the callee
//! returns. [`cases`] builds the catalogue deterministically; [`super::c_cases`] turns
//! any list of cases into C (checking callees for downcalls, checking callers for
//! callbacks), as it does the struct catalogue's. The same data drives host tests
//! (System V and, through `__attribute__((ms_abi))`, Windows x64) and the C harnesses
//! for other architectures.

pub use super::case::Case;
use super::Rng;
use springboard::{Signature, Type, Value};
use std::ffi::c_void;

/// The scalar parameter types (every [`Type`] but `void`).
pub const PARAM_TYPES: [Type; 14] = [
    Type::Bool,
    Type::I8,
    Type::U8,
    Type::I16,
    Type::U16,
    Type::I32,
    Type::U32,
    Type::I64,
    Type::U64,
    Type::Isize,
    Type::Usize,
    Type::F32,
    Type::F64,
    Type::Ptr,
];

/// How many result types there are: `void` and every parameter type.
pub const RESULT_TYPE_COUNT: usize = PARAM_TYPES.len() + 1;

/// Result type `index` (below [`RESULT_TYPE_COUNT`]): `void` first, then the
/// parameter types in their order.
pub fn result_type(index: usize) -> Type {
    match index {
        0 => Type::Void,
        i => PARAM_TYPES[i - 1].clone(),
    }
}

/// Every result type, in [`result_type`]'s order.
pub fn result_types() -> Vec<Type> {
    (0..RESULT_TYPE_COUNT).map(result_type).collect()
}

fn ptr(address: usize) -> Value {
    Value::Ptr(address as *mut c_void)
}

/// The values the catalogue draws from for `ty`: extension stress first (all-ones,
/// minimum, sign bit set), then ordinary and boundary values. Floats include signed
/// zero, infinities, quiet and signalling NaNs with payloads and subnormals.
pub fn edge_values(ty: &Type) -> Vec<Value> {
    match ty {
        Type::Void => vec![Value::Void],
        Type::Bool => vec![Value::Bool(true), Value::Bool(false)],
        Type::I8 => [-1, i8::MIN, i8::MAX, 0, 1, -2, 0x55]
            .map(Value::I8)
            .to_vec(),
        Type::U8 => [0xff, 0x80, 0, 1, 0x7f, 0xfe].map(Value::U8).to_vec(),
        Type::I16 => [-1, i16::MIN, i16::MAX, -128, 0x1234, 0]
            .map(Value::I16)
            .to_vec(),
        Type::U16 => [0xffff, 0x8000, 0, 0x7fff, 0xfedc].map(Value::U16).to_vec(),
        Type::I32 => [-1, i32::MIN, i32::MAX, -0x123_4567, 0, 0x0bad_f00d]
            .map(Value::I32)
            .to_vec(),
        Type::U32 => [0xffff_ffff, 0x8000_0000, 0, 0x7fff_ffff, 0xdead_beef]
            .map(Value::U32)
            .to_vec(),
        Type::I64 => [
            -1,
            i64::MIN,
            i64::MAX,
            -0x1_2345_6789,
            0,
            0x0123_4567_89ab_cdef,
        ]
        .map(Value::I64)
        .to_vec(),
        Type::U64 => [u64::MAX, 1 << 63, 0, 0xfedc_ba98_7654_3210, 0xffff_ffff]
            .map(Value::U64)
            .to_vec(),
        Type::Isize => [-1, isize::MIN, isize::MAX, -42, 0x7fff_ffff]
            .map(Value::Isize)
            .to_vec(),
        Type::Usize => [usize::MAX, 1 << 63, 0, 0xffff_ffff, 0x1234_5678_9abc_def0]
            .map(Value::Usize)
            .to_vec(),
        Type::F32 => [
            0xbf80_0000, // -1.0
            0x8000_0000, // -0.0
            0x7fc1_2345, // quiet NaN with a payload
            0x0000_0001, // smallest subnormal
            0xff80_0000, // -inf
            0x7f7f_ffff, // largest finite
            0x3fc0_0000, // 1.5
            0x7fa0_0001, // signalling NaN
        ]
        .map(|bits| Value::F32(f32::from_bits(bits)))
        .to_vec(),
        Type::F64 => [
            0xbff0_0000_0000_0000, // -1.0
            0x8000_0000_0000_0000, // -0.0
            0x7ff8_0000_dead_beef, // quiet NaN with a payload
            0x0000_0000_0000_0001, // smallest subnormal
            0xfff0_0000_0000_0000, // -inf
            0x7fef_ffff_ffff_ffff, // largest finite
            0x400c_0000_0000_0000, // 3.5
            0x7ff0_0000_0000_0001, // signalling NaN
        ]
        .map(|bits| Value::F64(f64::from_bits(bits)))
        .to_vec(),
        Type::Ptr => vec![
            ptr(0),
            ptr(usize::MAX),
            ptr(0xdead_beef_cafe_f00d),
            ptr(0x1000),
            ptr(0x0000_7fff_ffff_fff8),
        ],
        #[allow(unreachable_patterns)] // aggregates, once `Type` has them
        other => panic!("{other} is not a scalar type"),
    }
}

/// The `k`-th catalogue value of `ty` (cycling through [`edge_values`]).
pub fn value_of(ty: &Type, k: usize) -> Value {
    let mut values = edge_values(ty);
    let index = k % values.len();
    values.swap_remove(index)
}

/// Builds the catalogue; deterministic (the same cases, in the same order, every run).
///
/// Groups, by name prefix:
/// - `ret_<type>_<k>`: no parameters, every result type with every catalogue value;
/// - `uniform_<type>_<n>`: `n` parameters of one type, `n` from 1 to 20 (stack
///   arguments for every type, narrow ones included);
/// - `pos_<type>_<i>`: every parameter type at every position of a 20-parameter
///   signature whose other parameters alternate integers and floats, so both register
///   files spill;
/// - `arity_<n>`: 0 to 20 parameters cycling through every type;
/// - `mix_<ints>i_<floats>f_<order>`: integer and float counts around the register
///   limits, ints first, floats first or interleaved;
/// - `narrow_stack_<type>`: registers filled with 8 integers and 8 floats, then narrow
///   values that can only go on the stack;
/// - `random_<k>`: random signatures from a fixed seed.
pub fn cases() -> Vec<Case> {
    let mut builder = CatalogueBuilder::default();

    for ty in &result_types() {
        for (k, result) in edge_values(ty).into_iter().enumerate() {
            builder.push_with_result(format!("ret_{}_{k}", ty.name()), Vec::new(), result);
        }
    }

    for ty in &PARAM_TYPES {
        for n in [1, 2, 6, 8, 9, 12, 20] {
            builder.push(format!("uniform_{}_{n}", ty.name()), vec![ty.clone(); n]);
        }
    }

    // Half integers (narrow ones among them), half floats.
    const FILLERS: [Type; 10] = [
        Type::I64,
        Type::F64,
        Type::U8,
        Type::F32,
        Type::I16,
        Type::F64,
        Type::Ptr,
        Type::F32,
        Type::Bool,
        Type::F64,
    ];
    for ty in &PARAM_TYPES {
        for position in 0..20 {
            let params = (0..20)
                .map(|i| {
                    if i == position {
                        ty.clone()
                    } else {
                        FILLERS[i % FILLERS.len()].clone()
                    }
                })
                .collect();
            builder.push(format!("pos_{}_{position}", ty.name()), params);
        }
    }

    for n in 0..=20 {
        let params = (0..n)
            .map(|i| PARAM_TYPES[(i + 3 * n) % PARAM_TYPES.len()].clone())
            .collect();
        builder.push(format!("arity_{n}"), params);
    }

    const INTS: [Type; 11] = [
        Type::I8,
        Type::U16,
        Type::I32,
        Type::U64,
        Type::Bool,
        Type::I16,
        Type::U8,
        Type::Isize,
        Type::U32,
        Type::I64,
        Type::Usize,
    ];
    for (ints, floats) in [
        (0, 20),
        (20, 0),
        (6, 8),
        (7, 9),
        (9, 7),
        (8, 8),
        (9, 9),
        (10, 10),
    ] {
        let int_types = (0..ints).map(|i| INTS[(i + floats) % INTS.len()].clone());
        let float_types = (0..floats).map(|i| [Type::F32, Type::F64][(i + ints) % 2].clone());
        let mut ints_first: Vec<Type> = int_types.clone().collect();
        ints_first.extend(float_types.clone());
        let mut floats_first: Vec<Type> = float_types.clone().collect();
        floats_first.extend(int_types.clone());
        let interleaved = interleave(int_types.collect(), float_types.collect());
        if ints == 0 || floats == 0 {
            builder.push(format!("mix_{ints}i_{floats}f"), ints_first);
            continue;
        }
        for (order, params) in [
            ("ints_first", ints_first),
            ("floats_first", floats_first),
            ("interleaved", interleaved),
        ] {
            builder.push(format!("mix_{ints}i_{floats}f_{order}"), params);
        }
    }

    for ty in [
        Type::Bool,
        Type::I8,
        Type::U8,
        Type::I16,
        Type::U16,
        Type::I32,
        Type::U32,
        Type::F32,
    ] {
        let mut params = Vec::new();
        for _ in 0..8 {
            params.push(Type::I64);
            params.push(Type::F64);
        }
        params.extend(std::iter::repeat_n(ty.clone(), 4));
        builder.push(format!("narrow_stack_{}", ty.name()), params);
    }

    let mut rng = Rng(0x00ca_7a10_6e5e_ed00);
    for k in 0..40 {
        let n = rng.below(21);
        let params: Vec<Type> = (0..n)
            .map(|_| PARAM_TYPES[rng.below(PARAM_TYPES.len())].clone())
            .collect();
        let result = result_type(rng.below(RESULT_TYPE_COUNT));
        let values = params.iter().map(|ty| value_of(ty, rng.below(8))).collect();
        let result = value_of(&result, rng.below(8));
        builder.push_values(format!("random_{k}"), values, result);
    }

    builder.cases
}

/// `a0, b0, a1, b1, ...`, then whatever is left of the longer list.
fn interleave(a: Vec<Type>, b: Vec<Type>) -> Vec<Type> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut a, mut b) = (a.into_iter(), b.into_iter());
    loop {
        match (a.next(), b.next()) {
            (None, None) => return out,
            (x, y) => out.extend(x.into_iter().chain(y)),
        }
    }
}

/// Picks values and result types so that consecutive cases differ.
#[derive(Default)]
struct CatalogueBuilder {
    cases: Vec<Case>,
}

impl CatalogueBuilder {
    /// Adds a case with these parameters, cycling values and the result type.
    fn push(&mut self, name: String, params: Vec<Type>) {
        let serial = self.cases.len();
        let result_ty = &result_type(serial % RESULT_TYPE_COUNT);
        let result = value_of(result_ty, serial / RESULT_TYPE_COUNT);
        self.push_with_result(name, params, result);
    }

    fn push_with_result(&mut self, name: String, params: Vec<Type>, result: Value) {
        let serial = self.cases.len();
        let args = params
            .iter()
            .enumerate()
            .map(|(i, ty)| value_of(ty, serial + i))
            .collect();
        self.push_values(name, args, result);
    }

    fn push_values(&mut self, name: String, args: Vec<Value>, result: Value) {
        assert!(
            self.cases.iter().all(|case| case.name != name),
            "duplicate case name {name}"
        );
        let params: Vec<Type> = args.iter().map(Value::ty).collect();
        self.cases.push(Case {
            name,
            signature: Signature::new(params, result.ty()),
            args,
            result,
        });
    }
}
