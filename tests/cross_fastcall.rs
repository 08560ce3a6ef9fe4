//! Fast calls executed on aarch64 Linux under qemu-aarch64, for the two pairs of
//! conventions V8 uses on arm64: entry and target AAPCS64 (Linux), and an AAPCS64
//! entry (V8 calls with 8-byte stack slots everywhere) calling an Apple target
//! (Apple's stack packs arguments at their natural size and alignment).
//!
//! Every entry is emitted into one aarch64-unknown-linux-gnu object with
//! [`emit_object`], its callee (and the buffer converter and raise hook) a symbol the
//! linker resolves. The C harness (tests/cross/fastcall_harness.c plus a generated
//! part) calls each entry from gcc-compiled C through a function pointer of the
//! entry's prototype, and again through a prototype that declares every 32-bit entry
//! value as `uint64_t` (and every `f32` as a `double`) with garbage above bit 31.
//!
//! - AAPCS64 targets are tests/c/fastcall_callees.c (the host tests' targets),
//!   compiled by aarch64-linux-gnu-gcc after tests/c/fastcall_prelude.c: each
//!   records every argument and counts mismatches with what the harness expects.
//! - Apple targets cannot be compiled here (gcc speaks only AAPCS64), so the target is
//!   an assembly probe that records x0-x8, d0-d7 and the stack argument area; each
//!   argument must be where and as [`cross::apple_frame`] (the aarch64 tests' own model
//!   of Apple's convention) says: narrow integers in registers extended to 32 bits, on
//!   the stack packed at their natural size and alignment. The probe returns a value
//!   that Apple's rules allow (a narrow result extended to 32 bits, garbage above).
//!
//! Shapes: Deno's 22 mixed arguments (an inline V8 buffer and a function pointer among
//! them), 12 narrow integers returning `i8`, 8 inline buffers, converted buffers (a
//! failed conversion calls `raise(options)` once, never the target, and returns zero;
//! with and without options, three sentinels, `i32`/`f64`/`i8` results), two
//! converters and an inline buffer in one call (stopping at the first failure),
//! out-pointer `u64`/`i64` results, and a narrow result with garbage above it.
//!
//! `aarch64-linux-gnu-gcc` and `qemu-aarch64` come from scripts/install-test-deps.sh;
//! a missing tool fails the tests.

mod common;

use common::cross::{self, apple_frame, Case, Location, Place};
use common::deno::{self, c_view, widened_result, Narrow12, Turbo22};
use common::Rng;
use springboard::object::{emit_object, ObjectItem};
use springboard::trampoline::Callee;
use springboard::{
    BufferAccess, Convention, FastCall, FastParam, FastResult, Request, Signature, Type, Value,
};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::Command;
use std::ptr;

const PRELUDE: &str = include_str!("c/fastcall_prelude.c");
const CALLEES: &str = include_str!("c/fastcall_callees.c");
const HARNESS: &str = include_str!("cross/fastcall_harness.c");

/// A descriptor length that makes the converter fail (`fc_fail_length`).
const FAIL_LENGTH: u64 = 0xfa11;
/// A good descriptor's length.
const LENGTH: u64 = 16;
/// What fills the words around an out place (`SBF_CANARY`).
const CANARY: u64 = 0xcccc_cccc_cccc_cccc;
/// Bytes of stack arguments the probe records (`SBF_STACK`).
const PROBE_STACK: usize = 64;

/// The entry and target conventions of the fast calls of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pairing {
    /// Entry and target AAPCS64; the targets are gcc-compiled C.
    Aapcs64,
    /// Entry AAPCS64, target Apple; the target is the probe.
    AppleTarget,
}

impl Pairing {
    fn target(self) -> Convention {
        match self {
            Pairing::Aapcs64 => Convention::Aapcs64,
            Pairing::AppleTarget => Convention::Apple,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Pairing::Aapcs64 => "aapcs64",
            Pairing::AppleTarget => "apple",
        }
    }
}

/// How a buffer parameter's data pointer is found.
#[derive(Clone, Copy, Debug)]
enum Buffer {
    /// Loaded from the descriptor at this offset.
    Inline(i32),
    /// Returned by `fc_convert`; this value means failure.
    Convert(u64),
}

/// A fast call's shape: the target's name and signature and how its arguments arrive.
struct Shape {
    /// The C target in tests/c/fastcall_callees.c, without its `_aapcs64`.
    c_name: &'static str,
    /// The target signature without its convention.
    signature: &'static str,
    /// The buffer parameters.
    buffers: &'static [(usize, Buffer)],
    result: FastResult,
    options: bool,
}

/// One entry in the object.
struct Item {
    /// Its exported symbol.
    symbol: String,
    /// A name for reports.
    label: String,
    fast: FastCall,
    /// The target is the probe (an Apple target), not a C function.
    apple: bool,
}

/// One call of an entry and everything it must do.
#[derive(Clone, Debug)]
struct Call {
    name: String,
    item: usize,
    dirty: bool,
    /// The entry value of each target parameter (0 for buffers), garbage above
    /// bit 31 of the 32-bit ones when dirty.
    args: Vec<u64>,
    /// `(length, data)` of each buffer parameter's descriptor.
    buffers: Vec<(u64, u64)>,
    sentinel: u64,
    raise: bool,
    options: bool,
    conversions: u32,
    /// C targets: what the target must record for each argument.
    seen: Vec<u64>,
    /// The probe: where each argument must be.
    places: Vec<Place>,
    /// What the target returns: `fc_ret`, or the probe's x0 and d0.
    callee_ret: u64,
    /// 0 none, 1 the entry's 32-bit result, 2 its 64-bit result, 3 stored at `out`.
    result_kind: u8,
    result: u64,
}

/// The entries of one run and their calls.
struct Plan {
    pairing: Pairing,
    items: Vec<Item>,
    calls: Vec<Call>,
    garbage: Rng,
}

impl Plan {
    fn new(pairing: Pairing) -> Plan {
        Plan {
            pairing,
            items: Vec::new(),
            calls: Vec::new(),
            garbage: Rng(0x00fa_57a6_4c0d_e000),
        }
    }

    /// Garbage for bits 32..63: neither all zeros nor all ones.
    fn high_garbage(&mut self) -> u64 {
        loop {
            let high = self.garbage.next_u64() >> 32;
            if high != 0 && high != 0xffff_ffff {
                return high << 32;
            }
        }
    }

    /// Adds an entry of `shape` (entry AAPCS64, target in the pairing's convention);
    /// returns its index.
    fn item(&mut self, shape: &Shape, label: String) -> usize {
        let index = self.items.len();
        let signature: Signature = format!("{} {}", self.pairing.target().name(), shape.signature)
            .parse()
            .unwrap_or_else(|e| panic!("{}: {e}", shape.signature));
        let callee = match self.pairing {
            Pairing::Aapcs64 => format!("{}_aapcs64", shape.c_name),
            // Each import must have one signature: one probe alias per entry.
            Pairing::AppleTarget => format!("sbf_probe_{index}"),
        };
        let mut fast = FastCall::new(signature, Callee::Symbol(callee));
        fast.entry = Convention::Aapcs64;
        fast.options = shape.options;
        fast.result = shape.result;
        for &(j, buffer) in shape.buffers {
            let access = match buffer {
                Buffer::Inline(offset) => BufferAccess::Inline { offset },
                Buffer::Convert(sentinel) => BufferAccess::Convert {
                    converter: Callee::Symbol("fc_convert".into()),
                    sentinel,
                    raise: Callee::Symbol("fc_raise".into()),
                },
            };
            fast.set_param(j, FastParam::Buffer(access)).unwrap();
        }
        self.items.push(Item {
            symbol: format!("fast_{}_{index}", self.pairing.label()),
            label: format!("{} {label}", self.pairing.label()),
            fast,
            apple: self.pairing == Pairing::AppleTarget,
        });
        index
    }

    /// Adds a call of entry `item` with the target arguments `values` (a buffer's
    /// value is its data pointer; `failing` says, per buffer, whether its descriptor
    /// makes the converter fail) when the target returns `ret`.
    fn call(
        &mut self,
        item: usize,
        label: &str,
        values: &[Value],
        failing: &[bool],
        ret: u64,
        dirty: bool,
    ) {
        let fast = self.items[item].fast.clone();
        assert_eq!(values.len(), fast.target().params.len(), "{label}");
        let mut args = Vec::new();
        let mut buffers = Vec::new();
        let (mut conversions, mut raise, mut sentinel) = (0, false, None);
        let mut failing = failing.iter().copied();
        for (j, (value, how)) in values.iter().zip(fast.params()).enumerate() {
            assert_eq!(value.ty(), fast.target().params[j], "{label}: argument {j}");
            match how {
                FastParam::Value => {
                    let high = if dirty { self.high_garbage() } else { 0 };
                    args.push(entry_bits(value, high));
                }
                FastParam::Buffer(access) => {
                    let fails = failing.next().expect("a failing flag per buffer");
                    buffers.push((if fails { FAIL_LENGTH } else { LENGTH }, c_view(value)));
                    args.push(0);
                    match access {
                        BufferAccess::Convert { sentinel: s, .. } => {
                            assert!(sentinel.is_none_or(|t| t == *s), "one fc_sentinel");
                            sentinel = Some(*s);
                            if !raise {
                                conversions += 1;
                                raise = fails;
                            }
                        }
                        BufferAccess::Inline { .. } => assert!(!fails, "inline buffers never fail"),
                    }
                }
            }
        }
        assert!(
            failing.next().is_none(),
            "{label}: more failing flags than buffers"
        );
        let apple = self.pairing == Pairing::AppleTarget;
        let result_ty = fast.target().result.clone();
        let (result_kind, result) = match fast.result {
            FastResult::OutPointer => {
                assert_eq!(result_ty.size(), 8, "out-pointer results here are 64-bit");
                (3, if raise { CANARY } else { ret })
            }
            FastResult::Direct if result_ty.is_void() => (0, 0),
            FastResult::Direct if result_ty.size() == 8 => (2, if raise { 0 } else { ret }),
            FastResult::Direct if raise => (1, 0),
            FastResult::Direct => (1, widened_result(&result_ty, ret)),
        };
        // The probe returns what Apple's rules allow: a narrow integer extended to 32
        // bits, garbage above a 32-bit value.
        let callee_ret = match (apple, result_ty.size()) {
            (false, _) | (true, 8) => ret,
            (true, 0) => self.high_garbage() | ret,
            (true, _) => self.high_garbage() | widened_result(&result_ty, ret),
        };
        let places = if apple {
            let case = Case {
                name: label.to_string(),
                signature: fast.target().clone(),
                args: values.to_vec(),
                result: Value::Void,
            };
            let frame = apple_frame(&case);
            assert!(
                frame.stack_size <= PROBE_STACK,
                "{label}: the probe records 64 bytes"
            );
            frame.args
        } else {
            Vec::new()
        };
        self.calls.push(Call {
            name: format!(
                "{} {label}{}",
                self.items[item].label,
                if dirty { " dirty" } else { "" }
            ),
            item,
            dirty,
            args,
            buffers,
            sentinel: sentinel.unwrap_or(0),
            raise,
            options: fast.options,
            conversions,
            seen: if apple {
                Vec::new()
            } else {
                values.iter().map(c_view).collect()
            },
            places,
            callee_ret,
            result_kind,
            result,
        });
    }
}

/// A value as it arrives at the entry: narrow integers widened to 32 bits (sign or
/// zero), and `high` (garbage or zero) above every 32-bit value and `f32`.
fn entry_bits(value: &Value, high: u64) -> u64 {
    let low32 = |bits: u32| high | u64::from(bits);
    match *value {
        Value::I8(v) => low32(i32::from(v) as u32),
        Value::I16(v) => low32(i32::from(v) as u32),
        Value::U8(v) => low32(v.into()),
        Value::U16(v) => low32(v.into()),
        Value::I32(v) => low32(v as u32),
        Value::U32(v) => low32(v),
        Value::F32(v) => low32(v.to_bits()),
        _ => c_view(value),
    }
}

fn pointer(address: u64) -> Value {
    Value::Ptr(ptr::without_provenance_mut(address as usize))
}

fn data_pointer(tag: u64) -> Value {
    pointer(0x00d0_0000_0000_0000 | tag << 8)
}

/// The turbocall's function argument (never called).
const FUNCTION: u64 = 0x00f0_0000_0012_3450;

// ---------------------------------------------------------------------------------
// The shapes and their values.

const TURBO22: Shape = Shape {
    c_name: "turbo22",
    signature: deno::TURBO22,
    buffers: &[(6, Buffer::Inline(8))],
    result: FastResult::Direct,
    options: true,
};

const TURBO22_SETS: [Turbo22; 3] = [
    deno::TURBO22_SHARED_SETS[0],
    deno::TURBO22_SHARED_SETS[1],
    Turbo22 {
        ints: (
            0x81,
            0x7ffe,
            0x1234,
            -0x56,
            0x7654_3210,
            0x8000_0000_0000_0000,
        ),
        more: (0x0fed_cba9_8765_4321, -0x1234_5678, -0x5678, 0x5a),
        f: [-3.5, 0.0, 1.0e-40, -6.5e10, 9.75],
        d: [2.0, -0.0, 1.0e-310, 123.456, -7.25],
    },
];

const NARROW12: Shape = Shape {
    c_name: "narrow12",
    signature: deno::NARROW12,
    buffers: &[],
    result: FastResult::Direct,
    options: true,
};

const NARROW12_SETS: [Narrow12; 3] = [
    deno::NARROW12_SHARED_SETS[0],
    deno::NARROW12_SHARED_SETS[1],
    Narrow12 {
        u8s: [0x80, 0x7f, 0xfe],
        u16s: [0x8000, 0x7fff, 1],
        i8s: [0, -2, 3],
        i16s: [-2, 0, 0x7ffe],
    },
];

/// Results whose low byte covers an `i8`'s sign cases; the bytes above are garbage
/// a C target may leave (AAPCS64 leaves them unspecified).
const I8_RETURNS: [u64; 5] = [
    0x80,
    0x7f,
    0xdead_beef_0000_00ff,
    0x1234_5678_9abc_de00,
    0x5a5a_5a5a_5a5a_5a5a,
];

const BUFFERS8: Shape = Shape {
    c_name: "buffers8",
    signature: "(ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr)",
    buffers: &[
        (0, Buffer::Inline(8)),
        (1, Buffer::Inline(8)),
        (2, Buffer::Inline(8)),
        (3, Buffer::Inline(8)),
        (4, Buffer::Inline(8)),
        (5, Buffer::Inline(8)),
        (6, Buffer::Inline(8)),
        (7, Buffer::Inline(8)),
    ],
    result: FastResult::Direct,
    options: true,
};

/// The sentinels of converted buffers: null, a pointer-like value, all ones.
const SENTINELS: [u64; 3] = [0, 0xdead_0000_0000_0001, u64::MAX];

/// What the converted targets return when called.
const CONVERTED_RET: u64 = 0x4142_4344_c546_4748;

const OUT_U64_SETS: [(i32, u64, u64); 3] = [
    (-7, 0xfedc_ba98_7654_3210, 0x8000_0000_0000_0001),
    (i32::MAX, 0, u64::MAX),
    (i32::MIN, 1, 0x0000_0001_0000_0000),
];

const OUT_I64_SETS: [(i16, f64, i64); 3] = [
    (-32768, -0.5, i64::MIN + 5),
    (12345, 1e-300, -1),
    (-1, f64::INFINITY, i64::MAX),
];

/// Every fast call of one pairing, called clean and dirty.
fn plan(pairing: Pairing) -> Plan {
    let mut plan = Plan::new(pairing);

    let turbo = plan.item(&TURBO22, "turbo22".into());
    for (set, values) in TURBO22_SETS.iter().enumerate() {
        let values = values.values(data_pointer(0x22 + set as u64), pointer(FUNCTION));
        for dirty in [false, true] {
            plan.call(turbo, &format!("set {set}"), &values, &[false], 0, dirty);
        }
    }

    let narrow = plan.item(&NARROW12, "narrow12".into());
    for (set, values) in NARROW12_SETS.iter().enumerate() {
        let values = values.values();
        for dirty in [false, true] {
            let ret = I8_RETURNS[(2 * set + usize::from(dirty)) % I8_RETURNS.len()];
            plan.call(narrow, &format!("set {set}"), &values, &[], ret, dirty);
        }
    }

    let buffers = plan.item(&BUFFERS8, "buffers8".into());
    let values: Vec<Value> = (0..8).map(|i| data_pointer(0x80 + i)).collect();
    plan.call(buffers, "V8 layout", &values, &[false; 8], 0, false);

    for (c_name, signature) in [
        ("converted_i32", "(ptr, i32) -> i32"),
        ("converted_f64", "(ptr, i32) -> f64"),
        ("converted_i8", "(ptr, i32) -> i8"),
    ] {
        for options in [true, false] {
            for (s, sentinel) in SENTINELS.into_iter().enumerate() {
                let shape = Shape {
                    c_name,
                    signature,
                    buffers: &[],
                    result: FastResult::Direct,
                    options,
                };
                let item = plan.item(&shape, format!("{c_name} options {options} sentinel {s}"));
                let convert = FastParam::Buffer(BufferAccess::Convert {
                    converter: Callee::Symbol("fc_convert".into()),
                    sentinel,
                    raise: Callee::Symbol("fc_raise".into()),
                });
                plan.items[item].fast.set_param(0, convert).unwrap();
                let values = [data_pointer(0xc0 + s as u64), Value::I32(-77)];
                plan.call(item, "failing", &values, &[true], CONVERTED_RET, false);
                plan.call(item, "converted", &values, &[false], CONVERTED_RET, false);
                let values = [data_pointer(0xc8 + s as u64), Value::I32(i32::MIN + 3)];
                plan.call(item, "converted", &values, &[false], CONVERTED_RET, true);
            }
        }
    }

    let mixed = plan.item(
        &Shape {
            c_name: "converted_mixed",
            signature: "(ptr, f64, ptr, i8, ptr, f32, u16) -> f64",
            buffers: &[
                (0, Buffer::Convert(0)),
                (2, Buffer::Inline(8)),
                (4, Buffer::Convert(0)),
            ],
            result: FastResult::Direct,
            options: true,
        },
        "converted_mixed".into(),
    );
    let values = [
        data_pointer(0xa),
        Value::F64(-1.25e-7),
        data_pointer(0xb),
        Value::I8(-100),
        data_pointer(0xd),
        Value::F32(3.75),
        Value::U16(0xfedc),
    ];
    let ret = 2.5f64.to_bits();
    plan.call(mixed, "all converted", &values, &[false; 3], ret, true);
    plan.call(
        mixed,
        "last failing",
        &values,
        &[false, false, true],
        ret,
        true,
    );
    plan.call(
        mixed,
        "both failing",
        &values,
        &[true, false, true],
        ret,
        false,
    );

    for options in [true, false] {
        let shape = Shape {
            c_name: "out_u64",
            signature: "(i32, u64) -> u64",
            buffers: &[],
            result: FastResult::OutPointer,
            options,
        };
        let item = plan.item(&shape, format!("out_u64 options {options}"));
        for (a, b, ret) in OUT_U64_SETS {
            for dirty in [false, true] {
                let values = [Value::I32(a), Value::U64(b)];
                plan.call(item, &format!("({a}, {b:#x})"), &values, &[], ret, dirty);
            }
        }
    }
    let shape = Shape {
        c_name: "out_i64",
        signature: "(i16, f64) -> i64",
        buffers: &[],
        result: FastResult::OutPointer,
        options: true,
    };
    let item = plan.item(&shape, "out_i64".into());
    for (a, b, ret) in OUT_I64_SETS {
        for dirty in [false, true] {
            let values = [Value::I16(a), Value::F64(b)];
            plan.call(
                item,
                &format!("({a}, {b})"),
                &values,
                &[],
                ret as u64,
                dirty,
            );
        }
    }

    // The C target returns all 64 bits of fc_ret for an `i8` result.
    let shape = Shape {
        c_name: "raw_result",
        signature: "(i32) -> i8",
        buffers: &[],
        result: FastResult::Direct,
        options: true,
    };
    let item = plan.item(&shape, "raw_result i8".into());
    for (k, ret) in I8_RETURNS.into_iter().enumerate() {
        let values = [Value::I32(-(k as i32) * 1000 - 1)];
        plan.call(
            item,
            &format!("returns {ret:#x}"),
            &values,
            &[],
            ret,
            k % 2 == 1,
        );
    }
    plan
}

// ---------------------------------------------------------------------------------
// The generated C and the run.

/// The C type of an entry parameter or result; `dirty` declares 32-bit integers as
/// `uint64_t` and `f32` as `double`.
fn c_entry_type(ty: &Type, dirty: bool) -> &'static str {
    match ty {
        Type::I32 | Type::U32 if dirty => "uint64_t",
        Type::F32 if dirty => "double",
        Type::Void => "void",
        Type::I32 => "int32_t",
        Type::U32 => "uint32_t",
        Type::I64 => "int64_t",
        Type::U64 => "uint64_t",
        Type::F32 => "float",
        Type::F64 => "double",
        Type::Ptr => "void *",
        other => panic!("no entry parameter of type {other} here"),
    }
}

/// `sbf_e<item><c|d>`: calls entry `item` with a call's values, through its own
/// prototype or the dirty one; returns the result's bits.
fn entry_caller(c: &mut String, index: usize, item: &Item, dirty: bool) {
    let fast = &item.fast;
    let entry = fast.entry_signature();
    let suffix = if dirty { 'd' } else { 'c' };
    let params: Vec<&str> = entry
        .params
        .iter()
        .map(|ty| c_entry_type(ty, dirty))
        .collect();
    let mut args = vec!["SBF_RECEIVER".to_string()];
    let mut buffer = 0;
    for (j, (ty, how)) in fast.target().params.iter().zip(fast.params()).enumerate() {
        let slot = format!("c->args[{j}]");
        args.push(match (how, ty) {
            (FastParam::Buffer(_), _) => {
                buffer += 1;
                format!("(void *)&c->buffers[{}]", buffer - 1)
            }
            (_, Type::F32) if dirty => format!("sbf_f64({slot})"),
            (_, Type::F32) => format!("sbf_f32({slot})"),
            (_, Type::F64) => format!("sbf_f64({slot})"),
            (_, Type::Ptr) => format!("(void *)(uintptr_t){slot}"),
            _ => format!("({}){slot}", c_entry_type(&entry.params[j + 1], dirty)),
        });
    }
    if entry.params.len() > args.len() + usize::from(fast.options) {
        args.push("out".to_string());
    }
    if fast.options {
        args.push("SBF_OPTIONS".to_string());
    }
    assert_eq!(args.len(), entry.params.len(), "{}", item.label);
    let call = format!("entry({})", args.join(", "));
    let body = match entry.result {
        Type::Void => format!("{call};\n    return 0;"),
        Type::I32 | Type::U32 => format!("return (uint32_t){call};"),
        Type::I64 | Type::U64 => format!("return (uint64_t){call};"),
        Type::F32 => format!("return sbf_bits32({call});"),
        Type::F64 => format!("return sbf_bits64({call});"),
        ref other => panic!("no entry result of type {other} here"),
    };
    writeln!(
        c,
        "typedef {result} sbf_t{index}{suffix}({params});\n\
         static uint64_t sbf_e{index}{suffix}(const sbf_call_t *c, void *out) {{\n    \
         sbf_t{index}{suffix} *volatile entry = (sbf_t{index}{suffix} *){symbol};\n    \
         (void)out;\n    {body}\n}}",
        result = c_entry_type(&entry.result, false),
        params = params.join(", "),
        symbol = item.symbol,
    )
    .unwrap();
}

fn u64_array(c: &mut String, name: &str, values: &[u64]) -> String {
    if values.is_empty() {
        return "0".to_string();
    }
    let values: Vec<String> = values.iter().map(|v| format!("0x{v:016x}ull")).collect();
    writeln!(
        c,
        "static const uint64_t {name}[] = {{{}}};",
        values.join(", ")
    )
    .unwrap();
    name.to_string()
}

fn byte_list(bytes: &[u8]) -> String {
    let bytes: Vec<String> = bytes.iter().map(|b| format!("0x{b:02x}")).collect();
    format!("(const uint8_t[]){{{}}}", bytes.join(", "))
}

/// The generated part of the harness for `plan`.
fn generated(plan: &Plan) -> String {
    let mut c = String::new();
    for (index, item) in plan.items.iter().enumerate() {
        writeln!(c, "\n/* {}: {} */", item.label, item.fast.target()).unwrap();
        writeln!(c, "void {}(void);", item.symbol).unwrap();
        if let (true, Callee::Symbol(probe)) = (item.apple, &item.fast.callee) {
            writeln!(
                c,
                "__asm__(\".globl {probe}\\n.set {probe}, sbf_probe\\n\");"
            )
            .unwrap();
        }
        entry_caller(&mut c, index, item, false);
        entry_caller(&mut c, index, item, true);
    }
    let mut rows = Vec::new();
    for (n, call) in plan.calls.iter().enumerate() {
        writeln!(c, "\n/* {} */", call.name).unwrap();
        let args = u64_array(&mut c, &format!("sbf_a{n}"), &call.args);
        let seen = u64_array(&mut c, &format!("sbf_s{n}"), &call.seen);
        let buffers = if call.buffers.is_empty() {
            "0".to_string()
        } else {
            let descriptors: Vec<String> = call
                .buffers
                .iter()
                .map(|(length, data)| format!("{{{length}, (void *)(uintptr_t)0x{data:x}ull}}"))
                .collect();
            writeln!(
                c,
                "static const struct fc_buffer sbf_b{n}[] = {{{}}};",
                descriptors.join(", ")
            )
            .unwrap();
            format!("sbf_b{n}")
        };
        let places = if call.places.is_empty() {
            "0".to_string()
        } else {
            let places: Vec<String> = call
                .places
                .iter()
                .map(|place| {
                    let (kind, at) = match place.location {
                        Location::X(r) => (0, usize::from(r)),
                        Location::D(r) => (1, usize::from(r)),
                        Location::Stack(offset) => (2, offset),
                        Location::X8Memory => panic!("no indirect results here"),
                    };
                    assert!(!place.by_reference, "no by-reference arguments here");
                    let mask = if place.mask.contains(&0) {
                        byte_list(&place.mask)
                    } else {
                        "0".to_string()
                    };
                    format!(
                        "{{{}, {kind}, {at}, {}, {}, {mask}}}",
                        place.arg.expect("an argument"),
                        place.bytes.len(),
                        byte_list(&place.bytes)
                    )
                })
                .collect();
            writeln!(
                c,
                "static const sbf_place_t sbf_p{n}[] = {{{}}};",
                places.join(",\n    ")
            )
            .unwrap();
            format!("sbf_p{n}")
        };
        rows.push(format!(
            "    {{.name = \"{name}\", .call = sbf_e{item}{suffix}, .apple = {apple}, \
             .options = {options}, .raise = {raise}, .conversions = {conversions}, \
             .sentinel = 0x{sentinel:x}ull, .args = {args}, .buffers = {buffers}, \
             .nseen = {nseen}, .seen = {seen}, .nplaces = {nplaces}, .places = {places}, \
             .callee_ret = 0x{ret:x}ull, .result_kind = {kind}, .result = 0x{result:x}ull}},",
            name = call.name,
            item = call.item,
            suffix = if call.dirty { 'd' } else { 'c' },
            apple = u8::from(plan.items[call.item].apple),
            options = u8::from(call.options),
            raise = u8::from(call.raise),
            conversions = call.conversions,
            sentinel = call.sentinel,
            nseen = call.seen.len(),
            nplaces = call.places.len(),
            ret = call.callee_ret,
            kind = call.result_kind,
            result = call.result,
        ));
    }
    writeln!(
        c,
        "\nconst sbf_call_t sbf_calls[] = {{\n{}\n    {{.name = 0}}\n}};",
        rows.join("\n")
    )
    .unwrap();
    c
}

/// What a run printed.
#[derive(Debug)]
struct Outcome {
    passed: usize,
    failed: usize,
    problems: Vec<String>,
    exited_cleanly: bool,
    output: String,
    executable: PathBuf,
}

impl Outcome {
    fn assert_all_passed(&self, calls: usize) {
        assert!(
            self.passed == calls && self.failed == 0 && self.exited_cleanly,
            "{} passed, {} failed of {calls} calls (exited cleanly: {}); rerun with \
             `{} -L {} {}`\n{}\n--- output ---\n{}",
            self.passed,
            self.failed,
            self.exited_cleanly,
            cross::QEMU,
            cross::SYSROOT,
            self.executable.display(),
            self.problems.join("\n"),
            self.output
        );
        eprintln!("{calls} fast calls passed under qemu");
    }
}

/// Emits the entries of `plan`, builds the harness with them and runs it.
fn execute(name: &str, plan: &Plan) -> Outcome {
    cross::require_tools();
    let items: Vec<ObjectItem> = plan
        .items
        .iter()
        .map(|item| ObjectItem {
            name: item.symbol.clone(),
            request: Request::FastCall(item.fast.clone()),
        })
        .collect();
    let target = cross::TARGET.parse().expect("a supported target");
    let object = emit_object(&target, &items).unwrap_or_else(|e| panic!("emit_object: {e}"));

    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("cross-fastcall");
    std::fs::create_dir_all(&dir).unwrap();
    // Unique names while building and running (another `cargo test` may run this
    // test at the same time); afterwards the files keep `{name}.*` for reruns.
    let pid = std::process::id();
    let file = |ext: &str| dir.join(format!("{name}.{pid}.{ext}"));
    let (harness, callees, object_file, executable) =
        (file("harness.c"), file("callees.c"), file("o"), file("exe"));
    std::fs::write(&harness, format!("{HARNESS}{}", generated(plan))).unwrap();
    std::fs::write(
        &callees,
        format!("{PRELUDE}\n#define FC_ABI\n#define FC(name) name##_aapcs64\n{CALLEES}"),
    )
    .unwrap();
    std::fs::write(&object_file, object).unwrap();
    let build = Command::new(cross::CROSS_CC)
        .args(["-O1", "-Wall", "-Wno-unused-function", "-o"])
        .arg(&executable)
        .arg(&harness)
        .arg(&callees)
        .arg(&object_file)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "run {} (run scripts/install-test-deps.sh): {e}",
                cross::CROSS_CC
            )
        });
    assert!(
        build.status.success(),
        "{} failed on {}:\n{}",
        cross::CROSS_CC,
        harness.display(),
        String::from_utf8_lossy(&build.stderr)
    );
    let run = Command::new(cross::QEMU)
        .args(["-L", cross::SYSROOT])
        .arg(&executable)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "run {} (run scripts/install-test-deps.sh): {e}",
                cross::QEMU
            )
        });
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let summary = output.lines().rev().find_map(|line| {
        let (passed, failed) = line.split_once(" passed, ")?;
        Some((
            passed.parse().ok()?,
            failed.strip_suffix(" failed")?.parse().ok()?,
        ))
    });
    let mut problems: Vec<String> = output
        .lines()
        .filter(|line| line.starts_with("FAIL ") || line.starts_with("CRASH "))
        .map(str::to_string)
        .collect();
    if summary.is_none() {
        problems.insert(
            0,
            format!("no summary; the harness ended with {}", run.status),
        );
    }
    let (passed, failed) = summary.unwrap_or((0, 0));
    let kept = |ext: &str| dir.join(format!("{name}.{ext}"));
    for (from, ext) in [
        (&harness, "harness.c"),
        (&callees, "callees.c"),
        (&executable, "exe"),
    ] {
        std::fs::rename(from, kept(ext)).unwrap();
    }
    let _ = std::fs::remove_file(&object_file);
    let executable = kept("exe");
    Outcome {
        passed,
        failed,
        problems,
        exited_cleanly: run.status.success(),
        output,
        executable,
    }
}

#[test]
fn aapcs64_fast_calls_into_gcc_targets_under_qemu() {
    let plan = plan(Pairing::Aapcs64);
    assert_eq!(plan.calls.len(), 93);
    execute("aapcs64", &plan).assert_all_passed(plan.calls.len());
}

#[test]
fn aapcs64_entries_calling_apple_targets_match_the_apple_model_under_qemu() {
    let plan = plan(Pairing::AppleTarget);
    assert_eq!(plan.calls.len(), 93);
    // Deno's turbocall: the four integers and two floats after the register files
    // are full travel packed on Apple's stack, in 8-byte slots at the entry.
    let stack: Vec<(usize, usize)> = plan.calls[0]
        .places
        .iter()
        .filter_map(|place| match place.location {
            Location::Stack(offset) => Some((place.arg.unwrap(), offset)),
            _ => None,
        })
        .collect();
    assert_eq!(
        stack,
        [(8, 0), (9, 8), (10, 12), (11, 14), (20, 16), (21, 24)]
    );
    execute("apple", &plan).assert_all_passed(plan.calls.len());
}

/// The index of the first call whose name starts with `prefix`.
fn find(plan: &Plan, prefix: &str) -> usize {
    plan.calls
        .iter()
        .position(|call| call.name.starts_with(prefix))
        .unwrap_or_else(|| panic!("no call `{prefix}...`"))
}

/// The harness reports what it cannot confirm: with one expectation of a few calls
/// off by one bit (an argument a C target records, a byte of the Apple model, a
/// result, whether raise runs), exactly those calls fail, each with its reason.
#[test]
fn harness_reports_wrong_expectations() {
    // Both pairings in one harness.
    let apple = plan(Pairing::AppleTarget);
    let mut both = plan(Pairing::Aapcs64);
    let offset = both.items.len();
    both.items.extend(apple.items);
    both.calls.extend(apple.calls.into_iter().map(|mut call| {
        call.item += offset;
        call
    }));
    let tampered = [
        (
            "aapcs64 turbo22 set 0 dirty",
            "the target saw 1 arguments wrong, the first argument 0:",
        ),
        ("aapcs64 narrow12 set 1", "the entry returned 0x"),
        ("aapcs64 out_u64 options false", "out holds 0x"),
        ("apple turbo22 set 2 dirty", "argument 9 in stack+8:"),
        ("apple narrow12 set 0", "argument 8 in stack+0:"),
        ("apple buffers8", "argument 0 in x0:"),
        (
            "apple converted_i8 options false sentinel 1 failing",
            "raise was called 1 times",
        ),
    ];
    for (prefix, _) in tampered {
        let n = find(&both, prefix);
        let call = &mut both.calls[n];
        if prefix.starts_with("aapcs64 turbo22") {
            call.seen[0] ^= 1;
        } else if prefix.starts_with("aapcs64") {
            call.result ^= 1;
        } else if call.raise {
            call.raise = false;
        } else {
            let arg = match prefix {
                "apple turbo22 set 2 dirty" => 9,
                "apple narrow12 set 0" => 8,
                _ => 0,
            };
            let place = call
                .places
                .iter_mut()
                .find(|place| place.arg == Some(arg))
                .unwrap();
            place.bytes[0] ^= 1;
        }
    }
    let outcome = execute("selftest", &both);
    assert_eq!(
        (outcome.passed, outcome.failed),
        (both.calls.len() - tampered.len(), tampered.len()),
        "{outcome:#?}"
    );
    assert!(!outcome.exited_cleanly);
    for (prefix, reason) in tampered {
        let name = &both.calls[find(&both, prefix)].name;
        let expected = format!("FAIL {name}: {reason}");
        cross::assert_reported(&outcome.problems, &expected);
    }
}
