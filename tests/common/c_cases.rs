//! The C side of every catalogue: for any list of [`Case`]s, scalar or struct, one
//! checking *callee* per case (for downcalls) or one checking *caller* per case (for
//! callbacks), with one set of bookkeeping globals. The scalar catalogue
//! ([`super::catalogue`]), the struct catalogue ([`super::struct_catalogue`]), the
//! module and cross tests all build their C here.
//!
//! - [`c_source`] / [`c_source_with`]: callee `sb_case_<name>` ([`symbol`]) compares
//!   every scalar argument and every scalar leaf of every struct argument with the
//!   case's (floats and `bool` by their bytes), records the first mismatch, scribbles
//!   over its own struct parameters (they are its copies) and returns the case's result
//!   (narrow integers with garbage above them, which every convention allows). The
//!   source checks at compile time that the C compiler lays every struct out as
//!   springboard does (`_Static_assert` on sizes, alignments and offsets).
//! - [`c_callers_source`] / [`c_callers_source_with`]: caller `sb_call_<name>`
//!   ([`caller_symbol`]), `int32_t (const void *callee)`, builds the case's struct
//!   arguments in locals (publishing their addresses in [`ORIGINALS`]), calls `callee`
//!   through a function-pointer type of the case's signature (so the C compiler does
//!   the caller's side of the convention) and counts problems: values it kept across
//!   the call in the registers the convention preserves that changed
//!   ([`REGISTERS_CLOBBERED`]), a result that is not exactly the case's
//!   ([`RESULT_MISMATCH`]), a leaf of one of its own struct arguments that changed (the
//!   argument's index).
//!
//! [`NarrowParams::Carrier32`] declares `bool` and 8- and 16-bit scalar parameters (and,
//! for callers, results) as the 32-bit integers they travel in, to observe extensions.
//!
//! Globals (plain C objects, so that any harness can read them; [`Bookkeeping`] binds
//! them):
//!
//! | symbol | C type | meaning |
//! |---|---|---|
//! | [`FAILURES`] | `int64_t` | problems since the last reset |
//! | [`FIRST_CASE`] | `int32_t` | index in the list given to the generator of the first failing case, -1 if none |
//! | [`FIRST_ARG`] | `int32_t` | its argument index, [`RESULT_MISMATCH`], [`REGISTERS_CLOBBERED`] or [`CONTEXT_MISMATCH`]; -1 if none |
//! | [`FIRST_LEAF`] | `int32_t` | the scalar leaf within that argument or result (memory order; 0 for a scalar), -1 if none |
//! | [`FIRST_BITS`] | `uint64_t` | callers: the bytes of the first wrong value they saw, zero-extended |
//! | [`CALLS`] | `uint64_t` | callee invocations (callers: calls made) since the last reset |
//! | [`ORIGINALS`] | `void *[ORIGINALS_LEN]` | callers: the running caller's own struct arguments by index |
//!
//! and `void sb_case_reset(void)` ([`RESET`]) clears them.

pub use super::case::Case;
use super::CLibrary;
use springboard::{Convention, Type, Value};
use std::collections::HashMap;
use std::ffi::c_void;
use std::fmt::Write as _;

/// Global: problems since the last reset (`int64_t`).
pub const FAILURES: &str = "sb_case_failure_count";
/// Global: index of the first failing case (`int32_t`).
pub const FIRST_CASE: &str = "sb_case_first_case";
/// Global: argument index of the first mismatch (`int32_t`).
pub const FIRST_ARG: &str = "sb_case_first_arg";
/// Global: leaf index of the first mismatch within its argument (`int32_t`).
pub const FIRST_LEAF: &str = "sb_case_first_leaf";
/// Global of callers: the bytes of the first mismatching value a caller saw, as a
/// zero-extended little-endian number (`uint64_t`).
pub const FIRST_BITS: &str = "sb_case_first_bits";
/// Global: callee invocations (callers: calls made) since the last reset (`uint64_t`).
pub const CALLS: &str = "sb_case_call_count";
/// Function: clears the globals (`void (void)`).
pub const RESET: &str = "sb_case_reset";
/// Global of callers: `void *sb_case_originals[ORIGINALS_LEN]`, the addresses of the
/// running caller's own struct arguments by argument index (null elsewhere), so that a
/// deliberately misbehaving callee can reach them. Storing them also makes the
/// caller's after-call checks real reads: the compiler cannot assume the call left
/// objects whose address escaped unchanged.
pub const ORIGINALS: &str = "sb_case_originals";
/// Elements of [`ORIGINALS`]: the most parameters a caller can have.
pub const ORIGINALS_LEN: usize = 32;
/// What [`FIRST_ARG`] holds when a caller got a wrong result (the leaf is the
/// result's).
pub const RESULT_MISMATCH: i32 = -2;
/// What [`FIRST_ARG`] holds when values a caller kept in preserved registers across
/// the call changed.
pub const REGISTERS_CLOBBERED: i32 = -3;

/// The globals of a library built from [`c_source`] or [`c_callers_source`], bound.
pub struct Bookkeeping {
    failures: *const i64,
    first_case: *const i32,
    first_arg: *const i32,
    first_leaf: *const i32,
    first_bits: *const u64,
    calls: *const u64,
    /// [`ORIGINALS`].
    pub originals: *const [*mut u8; ORIGINALS_LEN],
    reset: extern "C" fn(),
}

/// What the C side recorded since the last reset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// Callee invocations (callers: calls made).
    pub calls: u64,
    /// Problems.
    pub failures: i64,
    /// `(case, argument or RESULT_MISMATCH or REGISTERS_CLOBBERED, leaf, bits seen)`
    /// of the first problem.
    pub first: Option<(usize, i32, usize, u64)>,
}

impl Bookkeeping {
    /// The globals of `library`, which one of the generators here made.
    pub fn bind(library: &CLibrary) -> Bookkeeping {
        Bookkeeping {
            failures: library.symbol(FAILURES).cast(),
            first_case: library.symbol(FIRST_CASE).cast(),
            first_arg: library.symbol(FIRST_ARG).cast(),
            first_leaf: library.symbol(FIRST_LEAF).cast(),
            first_bits: library.symbol(FIRST_BITS).cast(),
            calls: library.symbol(CALLS).cast(),
            originals: library.symbol(ORIGINALS).cast(),
            // SAFETY: the prelude defines `void sb_case_reset(void)`.
            reset: unsafe {
                std::mem::transmute::<*const c_void, extern "C" fn()>(library.symbol(RESET))
            },
        }
    }

    fn read<T: Copy>(global: *const T) -> T {
        // SAFETY: the globals are C objects of these types, alive with the library;
        // only the test's thread runs its functions.
        unsafe { global.read_volatile() }
    }

    /// What was recorded since the last reset (nothing is reset).
    pub fn recorded(&self) -> Recorded {
        let failures = Self::read(self.failures);
        Recorded {
            calls: Self::read(self.calls),
            failures,
            first: (failures != 0).then(|| {
                (
                    Self::read(self.first_case) as usize,
                    Self::read(self.first_arg),
                    Self::read(self.first_leaf) as usize,
                    Self::read(self.first_bits),
                )
            }),
        }
    }

    /// What was recorded since the last reset, then resets.
    pub fn take(&self) -> Recorded {
        let recorded = self.recorded();
        self.reset();
        recorded
    }

    /// Clears the globals.
    pub fn reset(&self) {
        (self.reset)()
    }
}

/// The checking callees of some cases ([`c_source_with`]), compiled into one library,
/// with its globals bound.
pub struct Callees {
    /// The library.
    pub library: CLibrary,
    /// Its globals.
    pub bookkeeping: Bookkeeping,
}

impl Callees {
    /// Builds the callees of `cases` into `lib<name>.so`.
    pub fn build(
        name: &str,
        cases: &[Case],
        abi_attribute: Option<&str>,
        narrow: NarrowParams,
    ) -> Callees {
        Self::from_source(name, &c_source_with(cases, abi_attribute, narrow))
    }

    /// Builds the bound handlers of `cases` ([`c_bound_source`]) into `lib<name>.so`.
    pub fn build_bound(name: &str, cases: &[Case], abi_attribute: Option<&str>) -> Callees {
        Self::from_source(name, &c_bound_source(cases, abi_attribute))
    }

    fn from_source(name: &str, source: &str) -> Callees {
        let library = super::build_c_library(name, source);
        Callees {
            bookkeeping: Bookkeeping::bind(&library),
            library,
        }
    }

    /// Checks that the callees ran `calls` times since the last reset and saw no wrong
    /// argument (else names the first: its case, argument and scalar leaf) nor, bound
    /// handlers, another context; then resets. `cases` is the list the library was built from.
    pub fn take(&self, cases: &[Case], what: &str, calls: u64, problems: &mut Vec<String>) {
        let recorded = self.bookkeeping.take();
        if recorded.calls != calls {
            problems.push(format!(
                "{what}: the callee ran {} times, expected {calls}",
                recorded.calls
            ));
        }
        if let Some((case, arg, leaf, _)) = recorded.first {
            let case = &cases[case];
            if arg == CONTEXT_MISMATCH {
                problems.push(format!(
                    "{what}: bound handler {} got another context; {} problem(s)",
                    case.name, recorded.failures
                ));
                return;
            }
            let arg = usize::try_from(arg).expect("a failing argument index");
            let expected = leaves(&case.args[arg])[leaf].clone();
            problems.push(format!(
                "{what}: callee {} `{}` saw a wrong argument {arg} ({}), scalar leaf {leaf} \
                 (expected {expected:?}); {} mismatching value(s)",
                case.name, case.signature, case.args[arg], recorded.failures
            ));
        }
    }
}

/// Calls a generated caller (`int32_t (const void *)`, with the ABI attribute of
/// `convention`, as [`c_callers_source`] defines them) on `callee`; returns the
/// problems it counted.
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

/// The C symbol of a case's callee (see [`c_source`]).
pub fn symbol(case: &Case) -> String {
    format!("sb_case_{}", case.name)
}

/// The C symbol of a case's caller (see [`c_callers_source`]).
pub fn caller_symbol(case: &Case) -> String {
    format!("sb_call_{}", case.name)
}

/// A scalar's bytes as an unsigned number: the value's own bytes (at most 8),
/// zero-extended (floats: their bit pattern; `bool`: 0 or 1; pointers: the address).
pub fn value_bits(value: &Value) -> u64 {
    let size = value.ty().size().min(8);
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

/// Values compared by type and value bytes (floats by their bits, so NaNs by payload;
/// padding aside).
pub fn same_value(actual: &Value, expected: &Value) -> bool {
    actual.ty() == expected.ty() && holds(&encoded(actual), expected)
}

/// The C spelling of a scalar springboard type (`<stdint.h>`, `<stdbool.h>`).
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
        other => panic!("{other} is not a scalar type"),
    }
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
            scalar => c_type(scalar).to_string(),
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

/// A C expression of the scalar's type whose value is exactly `value` (empty for
/// `void`).
pub fn c_literal(value: &Value) -> String {
    let bits = value_bits(value);
    match value {
        Value::Void => String::new(),
        Value::Bool(v) => v.to_string(),
        Value::F32(_) => format!("sb_f32(0x{bits:08x}u)"),
        Value::F64(_) => format!("sb_f64(0x{bits:016x}ull)"),
        Value::Ptr(_) => format!("((void *)(uintptr_t)0x{bits:x}ull)"),
        // The conversion of an out-of-range unsigned constant to a signed type wraps
        // (GCC and Clang define it so), giving the negative value.
        other => format!("(({})0x{bits:x}ull)", c_type(&other.ty())),
    }
}

/// A C initializer of a struct or array value (`{ 1, { 2, 3 }, { 4, 5 } }`), every
/// leaf an exact literal; a scalar gives its literal.
pub fn c_initializer(value: &Value) -> String {
    match value {
        Value::Struct(aggregate) | Value::Array(aggregate) => {
            let members: Vec<String> = aggregate.members().iter().map(c_initializer).collect();
            format!("{{ {} }}", members.join(", "))
        }
        scalar => c_literal(scalar),
    }
}

/// How the generated functions declare `bool` and 8- and 16-bit integer scalar
/// parameters (and callers their results).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NarrowParams {
    /// With their own C type: the function checks the value as C sees it.
    Natural,
    /// As the 32-bit integer they travel in (`int32_t` for signed types, `uint32_t`
    /// for unsigned ones and `bool`), checked against the value sign- or zero-extended
    /// to 32 bits. This observes the caller's extension, which springboard's ABI layer
    /// performs on System V, Windows x64 and AAPCS64 (not for Apple's packed stack
    /// arguments) and which Clang-compiled System V callees rely on.
    Carrier32,
}

/// Whether `value` is a `bool` or an 8- or 16-bit integer.
fn is_narrow(value: &Value) -> bool {
    matches!(
        value,
        Value::Bool(_) | Value::I8(_) | Value::U8(_) | Value::I16(_) | Value::U16(_)
    )
}

/// The C type of a scalar parameter (or a caller's scalar result) holding `value`
/// under `narrow`.
fn c_param_type(value: &Value, narrow: NarrowParams) -> &'static str {
    match (value, narrow) {
        (Value::I8(_) | Value::I16(_), NarrowParams::Carrier32) => "int32_t",
        (Value::Bool(_) | Value::U8(_) | Value::U16(_), NarrowParams::Carrier32) => "uint32_t",
        _ => c_type(&value.ty()),
    }
}

/// A C condition that is true when the lvalue `path`, declared as [`c_param_type`]
/// says, does NOT hold `value` exactly (floats and natural bools compared by their
/// bytes).
fn c_mismatch(path: &str, value: &Value, narrow: NarrowParams) -> String {
    let bits = value_bits(value);
    match (value, narrow) {
        (Value::I8(_) | Value::I16(_), NarrowParams::Carrier32) => {
            let extended = match *value {
                Value::I8(v) => i64::from(v),
                Value::I16(v) => i64::from(v),
                _ => unreachable!(),
            };
            format!("{path} != ((int32_t){extended}LL)")
        }
        (Value::Bool(_) | Value::U8(_) | Value::U16(_), NarrowParams::Carrier32) => {
            format!("{path} != {bits}u")
        }
        (Value::Bool(_), _) => format!("!sb_bytes_are(&{path}, 1, 0x{bits:x}ull)"),
        (Value::F32(_), _) => format!("!sb_bytes_are(&{path}, 4, 0x{bits:x}ull)"),
        (Value::F64(_), _) => format!("!sb_bytes_are(&{path}, 8, 0x{bits:x}ull)"),
        (Value::Ptr(_), _) => format!("(uintptr_t){path} != 0x{bits:x}ull"),
        _ => format!("{path} != {}", c_literal(value)),
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
                c_type(&ty),
                garbage | value_bits(value)
            )
        }
        other => format!("return {};", c_literal(other)),
    }
}

/// `void` for no parameters, else the comma-separated list.
fn c_list(items: Vec<String>) -> String {
    if items.is_empty() {
        "void".to_string()
    } else {
        items.join(", ")
    }
}

/// [`c_source_with`] with natural parameter types.
pub fn c_source(cases: &[Case], abi_attribute: Option<&str>) -> String {
    c_source_with(cases, abi_attribute, NarrowParams::Natural)
}

/// C source defining the globals, one checking callee per case (named [`symbol`];
/// see the module documentation) and the struct types they use, scalar parameters
/// declared as `narrow` says. `abi_attribute` (for example `__attribute__((ms_abi))`)
/// goes on every case callee. Case indices in [`FIRST_CASE`] are positions in `cases`.
pub fn c_source_with(cases: &[Case], abi_attribute: Option<&str>, narrow: NarrowParams) -> String {
    c_callees(cases, abi_attribute, narrow, false)
}

/// What [`FIRST_ARG`] holds when a bound handler got another context.
pub const CONTEXT_MISMATCH: i32 = -4;

/// The context the bound handler of case `index` expects (see [`c_bound_source`]).
pub fn bound_context(index: usize) -> *mut c_void {
    (0x5b00_0000_usize + index * 16) as *mut c_void
}

/// The C symbol of a case's bound handler (see [`c_bound_source`]).
pub fn bound_symbol(case: &Case) -> String {
    format!("sb_bound_{}", case.name)
}

/// [`c_source`] for context-binding callbacks: one checking handler per case,
/// `R sb_bound_<name>(void *context, P0 a0, ...)` ([`bound_symbol`]), which checks
/// its arguments as a callee does and also that `context` is [`bound_context`] of the
/// case's index (else [`FIRST_ARG`] is [`CONTEXT_MISMATCH`]).
pub fn c_bound_source(cases: &[Case], abi_attribute: Option<&str>) -> String {
    c_callees(cases, abi_attribute, NarrowParams::Natural, true)
}

/// The checking callees of [`c_source_with`], or with `bound` the handlers of
/// [`c_bound_source`].
fn c_callees(
    cases: &[Case],
    abi_attribute: Option<&str>,
    narrow: NarrowParams,
    bound: bool,
) -> String {
    let mut types = CTypes::default();
    let mut functions = String::new();
    let attribute = abi_attribute.map(|a| format!("{a} ")).unwrap_or_default();
    for (index, case) in cases.iter().enumerate() {
        let f = &mut functions;
        let params = &case.signature.params;
        let mut declared: Vec<String> = bound
            .then(|| "void *sb_ctx".to_string())
            .into_iter()
            .collect();
        declared.extend(
            case.args
                .iter()
                .zip(params)
                .enumerate()
                .map(|(i, (arg, ty))| match ty.is_aggregate() {
                    true => format!("{} a{i}", types.name(ty)),
                    false => format!("{} a{i}", c_param_type(arg, narrow)),
                }),
        );
        let result_type = types.name(&case.signature.result);
        let name = match bound {
            true => bound_symbol(case),
            false => symbol(case),
        };
        writeln!(
            f,
            "\n/* {} */\n{attribute}{result_type} {name}({}) {{\n    sb_case_call_count++;",
            case.signature,
            c_list(declared)
        )
        .unwrap();
        if bound {
            let expected = bound_context(index) as usize;
            writeln!(
                f,
                "    if ((uintptr_t)sb_ctx != 0x{expected:x}ull) \
                 sb_fail({index}, {CONTEXT_MISMATCH}, 0);"
            )
            .unwrap();
        }
        for (arg_index, (arg, ty)) in case.args.iter().zip(params).enumerate() {
            let name = format!("a{arg_index}");
            if !ty.is_aggregate() {
                let mismatch = c_mismatch(&name, arg, narrow);
                writeln!(f, "    if ({mismatch}) sb_fail({index}, {arg_index}, 0);").unwrap();
                continue;
            }
            let paths = leaf_paths(ty, &name);
            for (leaf, ((path, _), value)) in paths.iter().zip(leaves(arg)).enumerate() {
                let mismatch = c_mismatch(path, &value, NarrowParams::Natural);
                writeln!(
                    f,
                    "    if ({mismatch}) sb_fail({index}, {arg_index}, {leaf});"
                )
                .unwrap();
            }
        }
        // The callee owns its struct parameters: overwriting them must not reach the
        // caller's values.
        for (arg_index, ty) in params.iter().enumerate() {
            if ty.is_aggregate() {
                writeln!(f, "    sb_scribble(&a{arg_index}, sizeof a{arg_index});").unwrap();
            }
        }
        if case.result.ty().is_aggregate() {
            writeln!(f, "    {result_type} r;\n    memset(&r, 0x5a, sizeof r);").unwrap();
            let paths = leaf_paths(&case.signature.result, "r");
            for ((path, _), value) in paths.iter().zip(leaves(&case.result)) {
                writeln!(f, "    {path} = {};", c_literal(&value)).unwrap();
            }
            writeln!(f, "    return r;\n}}").unwrap();
        } else {
            writeln!(f, "    {}\n}}", c_scalar_return(&case.result)).unwrap();
        }
    }
    format!("{}{}{functions}", prelude(), types.declarations)
}

/// Upper bits a carrier argument holds above a narrow value (see [`c_argument`]):
/// no byte is 0x00 or 0xff, so they cannot pass for a sign or zero extension.
const CARRIER_GARBAGE: [u32; 4] = [0xa5c3_5a96, 0x3c69_a55a, 0x96a5_3cc3, 0x5a96_c3a5];

/// The C expression a caller passes for scalar argument `index`. With
/// [`NarrowParams::Carrier32`], a `bool` or 8- or 16-bit value goes in its 32-bit
/// carrier with garbage above the value's width, which a callee must ignore (every
/// convention leaves those bits unspecified, System V included by its text).
fn c_argument(value: &Value, index: usize, narrow: NarrowParams) -> String {
    if narrow != NarrowParams::Carrier32 || !is_narrow(value) {
        return c_literal(value);
    }
    let width = value.ty().size() * 8;
    let garbage = CARRIER_GARBAGE[index % CARRIER_GARBAGE.len()] & (u32::MAX << width);
    let bits = garbage | value_bits(value) as u32;
    format!("(({})0x{bits:08x}u)", c_param_type(value, narrow))
}

/// [`c_callers_source_with`] with natural parameter and result types.
pub fn c_callers_source(cases: &[Case], abi_attribute: Option<&str>) -> String {
    c_callers_source_with(cases, abi_attribute, NarrowParams::Natural)
}

/// C source defining the globals and one checking *caller* per case (named
/// [`caller_symbol`]; see the module documentation), for testing callbacks:
///
/// ```c
/// int32_t sb_call_<name>(const void *callee);
/// ```
///
/// returns the number of problems it found, each also recorded in the globals, in this
/// order: values kept across the call in registers the convention preserves that
/// changed ([`REGISTERS_CLOBBERED`]; eight integers and ten doubles, which gcc keeps in
/// `rbx`, `rbp`, `r12`-`r15` and, in an `ms_abi` function, `rsi`, `rdi` and
/// `xmm6`-`xmm15`); a scalar result that is not exactly the case's, or each scalar leaf
/// of a struct result whose bytes are not ([`RESULT_MISMATCH`]); each leaf of one of its
/// own struct arguments that changed during the call (the argument's index). Struct
/// leaves are compared from tables of `(offset, size, bits)` (padding is never
/// compared). With [`NarrowParams::Carrier32`] narrow scalar arguments go in their
/// 32-bit carrier with garbage above the value and narrow results are read as
/// `int32_t`/`uint32_t`, checked against the value sign- or zero-extended to 32 bits
/// (springboard's callbacks promise that extension in every convention).
/// `abi_attribute` (for example `__attribute__((ms_abi))`) goes on the
/// function-pointer types *and* on the callers (gcc only keeps values in `ms_abi`'s
/// extra preserved registers inside an `ms_abi` function), which are then called in
/// that convention too. Case indices in [`FIRST_CASE`] are positions in `cases`.
pub fn c_callers_source_with(
    cases: &[Case],
    abi_attribute: Option<&str>,
    narrow: NarrowParams,
) -> String {
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
        let param_types = case
            .args
            .iter()
            .zip(params)
            .map(|(arg, ty)| match ty.is_aggregate() {
                true => types.name(ty),
                false => c_param_type(arg, narrow).to_string(),
            })
            .collect();
        let result_type = match &case.result {
            Value::Void => "void".to_string(),
            result if result.ty().is_aggregate() => types.name(&result.ty()),
            result => c_param_type(result, narrow).to_string(),
        };
        let pointer_type = format!("sb_fn_{}", case.name);
        let f = &mut functions;
        writeln!(
            f,
            "\n/* {} */\ntypedef {result_type} ({attribute}*{pointer_type})({});\n\
             {attribute}int32_t {}(const void *callee) {{\n    int32_t problems = 0;",
            case.signature,
            c_list(param_types),
            caller_symbol(case)
        )
        .unwrap();
        let mut arguments = Vec::new();
        for (i, (arg, ty)) in case.args.iter().zip(params).enumerate() {
            if ty.is_aggregate() {
                writeln!(
                    f,
                    "    {} a{i} = {};\n    sb_case_originals[{i}] = &a{i};",
                    types.name(ty),
                    c_initializer(arg)
                )
                .unwrap();
                arguments.push(format!("a{i}"));
            } else {
                arguments.push(c_argument(arg, i, narrow));
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
            "    sb_case_call_count++;\n    if (SB_LIVE_CHANGED) problems += \
             sb_caller_fail({index}, {REGISTERS_CLOBBERED}, 0, 0);"
        )
        .unwrap();
        if !case.result.ty().is_aggregate() && case.result != Value::Void {
            writeln!(
                f,
                "    if ({}) problems += sb_caller_fail({index}, {RESULT_MISMATCH}, 0, \
                 sb_bytes_of(&r, sizeof r));",
                c_mismatch("r", &case.result, narrow),
            )
            .unwrap();
        }
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
        if case.result.ty().is_aggregate() {
            check(RESULT_MISMATCH, "r", &case.result);
        }
        for (i, (arg, ty)) in case.args.iter().zip(params).enumerate() {
            if ty.is_aggregate() {
                check(i as i32, &format!("a{i}"), arg);
            }
        }
        for (i, ty) in params.iter().enumerate() {
            if ty.is_aggregate() {
                writeln!(f, "    sb_case_originals[{i}] = NULL;").unwrap();
            }
        }
        writeln!(f, "    return problems;\n}}").unwrap();
    }
    format!(
        "{}{CALLER_PRELUDE}{}{tables}{functions}",
        prelude(),
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
            value_bits(leaf)
        )
        .unwrap();
    }
    writeln!(c, "}};").unwrap();
}

/// What [`c_callers_source`] adds to [`prelude`]: failure reports with the bits seen,
/// leaf tables, and the values kept live across each call.
const CALLER_PRELUDE: &str = concat!(
    include_str!("../c/case_caller_prelude.c"),
    include_str!("../c/caller_live_values.c"),
);

/// What every generated source starts with: the globals and the helpers.
fn prelude() -> String {
    concat!(
        include_str!("../c/case_prelude.c"),
        c_bits_float!(),
        include_str!("../c/opaque.c"),
        include_str!("../c/scribble.c"),
    )
    .replace("ORIGINALS_LEN", &ORIGINALS_LEN.to_string())
}
