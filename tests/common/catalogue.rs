//! A catalogue of scalar call cases, as data, and the C functions that check them.
//!
//! Each [`Case`] is a signature, concrete argument values and the result the callee
//! returns. [`cases`] builds the catalogue deterministically. Two generators turn any
//! list of cases into C source:
//! - [`c_source`] (downcalls): one *callee* per case that compares every argument
//!   exactly against its expected value (floats bit for bit), records mismatches in
//!   exported globals, counts its calls and returns the expected result;
//! - [`c_callers_source`] (callbacks): one *caller* per case that calls a function
//!   pointer with the case's arguments through a typed C function-pointer type (so gcc
//!   does the convention), checks the returned value exactly, checks that values it
//!   kept in callee-saved registers across the call survived, and records problems in
//!   the same globals.
//!
//! The same data drives host tests (System V and, through `__attribute__((ms_abi))`,
//! Windows x64) and can drive a C harness for another architecture. [`c_source_with`]
//! can also declare narrow parameters as their 32-bit carriers, to observe the caller's
//! extension; [`c_callers_source_with`] can declare narrow parameters and results as
//! carriers, to pass garbage above a narrow argument and observe the callee's
//! extension of its result.
//!
//! The C side exports, besides one `sb_case_<name>` function per case (callees) or one
//! `sb_call_<name>` per case (callers):
//!
//! | symbol | meaning |
//! |---|---|
//! | `int64_t sb_catalogue_failures(void)` | mismatches since the last reset |
//! | `int32_t sb_catalogue_failed_case(void)` | index (in the list given to the generator) of the first failing case, -1 if none |
//! | `int32_t sb_catalogue_failed_arg(void)` | argument index of the first mismatch, -1 if none; callers also report [`RESULT_MISMATCH`] and [`REGISTERS_CLOBBERED`] |
//! | `uint64_t sb_catalogue_calls(void)` | callee invocations (callers: calls made) since the last reset |
//! | `void sb_catalogue_reset(void)` | clears all of the above |
//! | `uint64_t sb_catalogue_failed_result_bits(void)` | callers only: the result bits the first failing caller got |
//!
//! The globals behind them (`sb_catalogue_failure_count`, `sb_catalogue_first_case`,
//! `sb_catalogue_first_arg`, `sb_catalogue_call_count`) are exported too. Only the case
//! functions get the ABI attribute; the bookkeeping functions use the C default.

pub use super::case::Case;
use super::{CLibrary, Rng};
use springboard::{Convention, Signature, Type, Value};
use std::ffi::c_void;
use std::fmt::Write as _;

/// Bookkeeping symbol: mismatches since the last reset (`int64_t (void)`).
pub const FAILURES: &str = "sb_catalogue_failures";
/// Bookkeeping symbol: index of the first failing case (`int32_t (void)`).
pub const FAILED_CASE: &str = "sb_catalogue_failed_case";
/// Bookkeeping symbol: argument index of the first mismatch (`int32_t (void)`).
pub const FAILED_ARG: &str = "sb_catalogue_failed_arg";
/// Bookkeeping symbol: callee invocations since the last reset (`uint64_t (void)`).
pub const CALLS: &str = "sb_catalogue_calls";
/// Bookkeeping symbol: clears the counters (`void (void)`).
pub const RESET: &str = "sb_catalogue_reset";
/// Bookkeeping symbol of callers: the result bits the first failing caller got, as
/// the C result type's value converted to `uint64_t` (floats: their bits)
/// (`uint64_t (void)`).
pub const FAILED_RESULT_BITS: &str = "sb_catalogue_failed_result_bits";
/// What `sb_catalogue_failed_arg` reports when a caller got a wrong result.
pub const RESULT_MISMATCH: i32 = -2;
/// What `sb_catalogue_failed_arg` reports when a value a caller kept in a register
/// across the call (callee-saved in the convention) changed.
pub const REGISTERS_CLOBBERED: i32 = -3;

/// The bookkeeping functions every library built from [`c_source`] or
/// [`c_callers_source`] exports, bound.
pub struct Bookkeeping {
    /// [`FAILURES`].
    pub failures: extern "C" fn() -> i64,
    /// [`FAILED_CASE`].
    pub failed_case: extern "C" fn() -> i32,
    /// [`FAILED_ARG`].
    pub failed_arg: extern "C" fn() -> i32,
    /// [`CALLS`].
    pub calls: extern "C" fn() -> u64,
    /// [`RESET`].
    pub reset: extern "C" fn(),
}

impl Bookkeeping {
    /// The bookkeeping functions of `library`, which [`c_source`] or
    /// [`c_callers_source`] generated.
    pub fn bind(library: &CLibrary) -> Bookkeeping {
        // SAFETY: the prelude of both generators defines these with exactly these C
        // types, in the C default convention.
        unsafe {
            Bookkeeping {
                failures: std::mem::transmute::<*const c_void, extern "C" fn() -> i64>(
                    library.symbol(FAILURES),
                ),
                failed_case: std::mem::transmute::<*const c_void, extern "C" fn() -> i32>(
                    library.symbol(FAILED_CASE),
                ),
                failed_arg: std::mem::transmute::<*const c_void, extern "C" fn() -> i32>(
                    library.symbol(FAILED_ARG),
                ),
                calls: std::mem::transmute::<*const c_void, extern "C" fn() -> u64>(
                    library.symbol(CALLS),
                ),
                reset: std::mem::transmute::<*const c_void, extern "C" fn()>(library.symbol(RESET)),
            }
        }
    }
}

/// Calls a generated caller (`int32_t (const void *)`, with the ABI attribute of
/// `convention`, as [`c_callers_source`] and the struct catalogue's
/// `c_callers_source` define them) on `callee`; returns the problems it counted.
///
/// # Safety
/// `caller` must be such a caller in `convention`, and `callee` a live function with
/// its case's signature in that convention.
pub unsafe fn call_caller(
    convention: Convention,
    caller: *const c_void,
    callee: *const c_void,
) -> i32 {
    // SAFETY: the caller's type and convention are the caller's promise.
    unsafe {
        match convention {
            Convention::Win64 => std::mem::transmute::<
                *const c_void,
                extern "win64" fn(*const c_void) -> i32,
            >(caller)(callee),
            _ => std::mem::transmute::<*const c_void, extern "C" fn(*const c_void) -> i32>(caller)(
                callee,
            ),
        }
    }
}

/// The C symbol of a scalar case's callee (see [`c_source`]).
pub fn symbol(case: &Case) -> String {
    format!("sb_case_{}", case.name)
}

/// The C symbol of a scalar case's caller (see [`c_callers_source`]).
pub fn caller_symbol(case: &Case) -> String {
    format!("sb_call_{}", case.name)
}

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

/// The C spelling of a springboard type (`<stdint.h>`, `<stdbool.h>`).
pub fn c_type(ty: &Type) -> &'static str {
    match ty {
        Type::Void => "void",
        Type::Bool => "bool",
        Type::I8 => "int8_t",
        Type::U8 => "uint8_t",
        Type::I16 => "int16_t",
        Type::U16 => "uint16_t",
        Type::I32 => "int32_t",
        Type::U32 => "uint32_t",
        Type::I64 => "int64_t",
        Type::U64 => "uint64_t",
        Type::I128 => "__int128",
        Type::U128 => "unsigned __int128",
        Type::Isize => "intptr_t",
        Type::Usize => "size_t",
        Type::F32 => "float",
        Type::F64 => "double",
        Type::Ptr => "void *",
        #[allow(unreachable_patterns)] // aggregates, once `Type` has them
        other => panic!("{other} is not a scalar type"),
    }
}

/// The value's bits as the C type's unsigned representation, widened to 64 bits
/// (floats: their bit pattern; bool: 0 or 1; pointers: the address).
pub fn value_bits(value: &Value) -> u64 {
    let size = value.ty().size().min(8);
    let mut bytes = [0; 8];
    bytes[..size].copy_from_slice(&value.to_slot().0[..size]);
    u64::from_le_bytes(bytes)
}

/// Values compared by type and bits (so NaNs compare by payload).
pub fn same_value(a: &Value, b: &Value) -> bool {
    a.ty() == b.ty() && value_bits(a) == value_bits(b)
}

/// A C expression of the value's type whose value is exactly `value`.
pub fn c_literal(value: &Value) -> String {
    let signed = |v: i64, ty: &str| {
        if v == i64::MIN {
            format!("(({ty})INT64_MIN)")
        } else {
            format!("(({ty}){v}LL)")
        }
    };
    match *value {
        Value::Void => String::new(),
        Value::Bool(v) => v.to_string(),
        Value::I8(v) => signed(v.into(), "int8_t"),
        Value::I16(v) => signed(v.into(), "int16_t"),
        Value::I32(v) => signed(v.into(), "int32_t"),
        Value::I64(v) => signed(v, "int64_t"),
        Value::Isize(v) => signed(v as i64, "intptr_t"),
        Value::F32(v) => format!("sb_f32(0x{:08x}u)", v.to_bits()),
        Value::F64(v) => format!("sb_f64(0x{:016x}ull)", v.to_bits()),
        Value::Ptr(v) => format!("((void *)(uintptr_t)0x{:x}ull)", v as usize),
        _ => format!("(({}){}ull)", c_type(&value.ty()), value_bits(value)),
    }
}

/// How the generated callees declare `bool` and 8- and 16-bit integer parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NarrowParams {
    /// With their own C type: the callee checks the value as C sees it.
    Natural,
    /// As the 32-bit integer they travel in (`int32_t` for signed types, `uint32_t`
    /// for unsigned ones and `bool`), checked against the value sign- or zero-extended
    /// to 32 bits. This observes the caller's extension, which springboard's ABI layer
    /// performs on System V, Windows x64 and AAPCS64 (not for Apple's packed stack
    /// arguments) and which Clang-compiled System V callees rely on.
    Carrier32,
}

/// The C type of a parameter holding `value` under `narrow`.
fn c_param_type(value: &Value, narrow: NarrowParams) -> &'static str {
    match (value, narrow) {
        (Value::I8(_) | Value::I16(_), NarrowParams::Carrier32) => "int32_t",
        (Value::Bool(_) | Value::U8(_) | Value::U16(_), NarrowParams::Carrier32) => "uint32_t",
        _ => c_type(&value.ty()),
    }
}

/// A C condition that is true when the parameter `name`, declared as
/// [`c_param_type`] says, does NOT hold `value` exactly (floats and natural bools
/// compared by their bytes).
fn c_mismatch(name: &str, value: &Value, narrow: NarrowParams) -> String {
    match (value, narrow) {
        (Value::Bool(v), NarrowParams::Carrier32) => format!("{name} != {}u", u8::from(*v)),
        (Value::I8(_) | Value::I16(_), NarrowParams::Carrier32) => {
            format!("{name} != ((int32_t){}LL)", value_bits_signed(value))
        }
        (Value::U8(_) | Value::U16(_), NarrowParams::Carrier32) => {
            format!("{name} != {}u", value_bits(value))
        }
        (Value::Bool(v), _) => format!("!sb_bool_is({name}, {})", u8::from(*v)),
        (Value::F32(v), _) => format!("!sb_f32_is({name}, 0x{:08x}u)", v.to_bits()),
        (Value::F64(v), _) => format!("!sb_f64_is({name}, 0x{:016x}ull)", v.to_bits()),
        (Value::Ptr(v), _) => format!("(uintptr_t){name} != 0x{:x}ull", *v as usize),
        _ => format!("{name} != {}", c_literal(value)),
    }
}

/// A signed narrow value as an `i64`.
fn value_bits_signed(value: &Value) -> i64 {
    match *value {
        Value::I8(v) => v.into(),
        Value::I16(v) => v.into(),
        _ => panic!("{value:?} is not a signed narrow integer"),
    }
}

/// A C `return` statement for `value`. Integers narrower than 64 bits come out of an
/// optimisation barrier holding garbage in the upper bits, so the compiler returns
/// them with the register's upper bits unspecified (as every convention allows) and
/// a caller that trusts them fails.
fn c_return(value: &Value) -> String {
    let narrow = matches!(
        value,
        Value::I8(_) | Value::U8(_) | Value::I16(_) | Value::U16(_) | Value::I32(_) | Value::U32(_)
    );
    if matches!(value, Value::Void) {
        "return;".to_string()
    } else if narrow {
        let width = value.ty().size() * 8;
        let garbage = 0xa5a5_a5a5_a5a5_a5a5_u64 & (u64::MAX << width);
        format!(
            "return ({})sb_opaque(0x{:016x}ull);",
            c_type(&value.ty()),
            garbage | value_bits(value)
        )
    } else {
        format!("return {};", c_literal(value))
    }
}

/// C source defining one checking callee per case, plus the bookkeeping functions
/// (see the module documentation). `abi_attribute` (for example
/// `__attribute__((ms_abi))`) is put on every case callee. Case indices reported by
/// `sb_catalogue_failed_case` are positions in `cases`.
pub fn c_source(cases: &[Case], abi_attribute: Option<&str>) -> String {
    c_source_with(cases, abi_attribute, NarrowParams::Natural)
}

/// [`c_source`], with narrow parameters declared as `narrow` says.
pub fn c_source_with(cases: &[Case], abi_attribute: Option<&str>, narrow: NarrowParams) -> String {
    let mut c = String::new();
    c.push_str(PRELUDE);
    let attribute = abi_attribute.map(|a| format!("{a} ")).unwrap_or_default();
    for (index, case) in cases.iter().enumerate() {
        let params = if case.args.is_empty() {
            "void".to_string()
        } else {
            case.args
                .iter()
                .enumerate()
                .map(|(i, arg)| format!("{} a{i}", c_param_type(arg, narrow)))
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(
            c,
            "\n/* {} */\n{attribute}{} {}({params}) {{\n    sb_catalogue_call_count++;",
            case.signature,
            c_type(&case.result.ty()),
            symbol(case)
        )
        .unwrap();
        for (i, arg) in case.args.iter().enumerate() {
            let mismatch = c_mismatch(&format!("a{i}"), arg, narrow);
            writeln!(c, "    if ({mismatch}) sb_fail({index}, {i});").unwrap();
        }
        writeln!(c, "    {}\n}}", c_return(&case.result)).unwrap();
    }
    c
}

/// Upper bits a carrier argument holds above a narrow value (see [`c_argument`]):
/// no byte is 0x00 or 0xff, so they cannot pass for a sign or zero extension.
const CARRIER_GARBAGE: [u32; 4] = [0xa5c3_5a96, 0x3c69_a55a, 0x96a5_3cc3, 0x5a96_c3a5];

/// The C expression a caller passes for argument `index`. With
/// [`NarrowParams::Carrier32`], a `bool` or 8- or 16-bit value goes in its 32-bit
/// carrier with garbage above the value's width, which a callee must ignore (every
/// convention leaves those bits unspecified, System V included by its text).
fn c_argument(value: &Value, index: usize, narrow: NarrowParams) -> String {
    let narrow_value = matches!(
        value,
        Value::Bool(_) | Value::I8(_) | Value::U8(_) | Value::I16(_) | Value::U16(_)
    );
    if narrow != NarrowParams::Carrier32 || !narrow_value {
        return c_literal(value);
    }
    let width = value.ty().size() * 8;
    let garbage = CARRIER_GARBAGE[index % CARRIER_GARBAGE.len()] & (u32::MAX << width);
    let bits = garbage | value_bits(value) as u32;
    format!("(({})0x{bits:08x}u)", c_param_type(value, narrow))
}

/// A C expression giving the bits of the variable `name`, declared as
/// [`c_param_type`] says for `value`, as a `uint64_t` (for failure reports).
fn c_bits(name: &str, value: &Value) -> String {
    match value {
        Value::F32(_) => format!("sb_f32_bits({name})"),
        Value::F64(_) => format!("sb_f64_bits({name})"),
        Value::Ptr(_) => format!("(uint64_t)(uintptr_t){name}"),
        _ => format!("(uint64_t){name}"),
    }
}

/// C source defining one checking *caller* per case, plus the bookkeeping functions
/// (see the module documentation), for testing callbacks:
///
/// ```c
/// int32_t sb_call_<name>(const void *callee);
/// ```
///
/// calls `callee` once through a function-pointer type of the case's signature, so gcc
/// passes the case's arguments and reads the result by the convention, and returns the
/// number of problems it found (0 when all is well), each also recorded in the
/// globals: a result that is not exactly the case's result (floats bit for bit,
/// `bool` by its byte) and values the caller kept across the call in the registers the
/// convention preserves (eight integers and ten doubles; gcc keeps them in `rbx`,
/// `rbp`, `r12`-`r15` and, for `ms_abi`, also `rsi`, `rdi` and `xmm6`-`xmm15`) that
/// changed. `abi_attribute` (for example `__attribute__((ms_abi))`) is put on the
/// function-pointer types *and* on the callers themselves (gcc only keeps values in
/// `ms_abi`'s extra preserved registers inside an `ms_abi` function), so the host
/// calls the callers in that convention too. Case indices reported by
/// `sb_catalogue_failed_case` are positions in `cases`.
pub fn c_callers_source(cases: &[Case], abi_attribute: Option<&str>) -> String {
    c_callers_source_with(cases, abi_attribute, NarrowParams::Natural)
}

/// [`c_callers_source`], with narrow parameters and results declared as `narrow`
/// says. With [`NarrowParams::Carrier32`] the callers pass narrow arguments in their
/// 32-bit carrier with garbage above the value (the callee must not trust those bits)
/// and read narrow results as `int32_t`/`uint32_t`, checked against the value sign- or
/// zero-extended to 32 bits: springboard's callbacks promise that extension in every
/// convention.
pub fn c_callers_source_with(
    cases: &[Case],
    abi_attribute: Option<&str>,
    narrow: NarrowParams,
) -> String {
    let mut c = String::new();
    c.push_str(PRELUDE);
    c.push_str(CALLER_PRELUDE);
    let attribute = abi_attribute.map(|a| format!("{a} ")).unwrap_or_default();
    for (index, case) in cases.iter().enumerate() {
        let param_types = if case.args.is_empty() {
            "void".to_string()
        } else {
            case.args
                .iter()
                .map(|arg| c_param_type(arg, narrow))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let arguments = case
            .args
            .iter()
            .enumerate()
            .map(|(i, arg)| c_argument(arg, i, narrow))
            .collect::<Vec<_>>()
            .join(", ");
        let result_type = match case.result {
            Value::Void => "void",
            ref result => c_param_type(result, narrow),
        };
        let pointer_type = format!("sb_fn_{}", case.name);
        writeln!(
            c,
            "\n/* {} */\ntypedef {result_type} ({attribute}*{pointer_type})({param_types});\n\
             {attribute}int32_t {}(const void *callee) {{\n    int32_t problems = 0;\n    \
             SB_LIVE_BEGIN",
            case.signature,
            caller_symbol(case)
        )
        .unwrap();
        let call = format!("(({pointer_type})callee)({arguments})");
        if case.result == Value::Void {
            writeln!(c, "    {call};\n    sb_catalogue_call_count++;").unwrap();
        } else {
            writeln!(
                c,
                "    {result_type} r = {call};\n    sb_catalogue_call_count++;\n    \
                 if ({}) problems += sb_caller_fail({index}, {RESULT_MISMATCH}, {});",
                c_mismatch("r", &case.result, narrow),
                c_bits("r", &case.result)
            )
            .unwrap();
        }
        writeln!(
            c,
            "    if (SB_LIVE_CHANGED) problems += sb_caller_fail({index}, \
             {REGISTERS_CLOBBERED}, 0);\n    return problems;\n}}"
        )
        .unwrap();
    }
    c
}

/// What [`c_callers_source`] adds to [`PRELUDE`]: result reporting and the values
/// kept live across each call.
const CALLER_PRELUDE: &str = concat!(
    include_str!("../c/catalogue_caller_results.c"),
    c_float_bits!(),
    include_str!("../c/caller_live_values.c"),
);

const PRELUDE: &str = concat!(
    include_str!("../c/catalogue_prelude.c"),
    c_bits_float!(),
    include_str!("../c/opaque.c"),
);
