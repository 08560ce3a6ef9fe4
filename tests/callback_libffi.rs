//! Differential tests of callbacks against libffi, on random signatures of scalars and
//! structs by value, a quarter of them in the Windows x64 convention (libffi's
//! `FFI_WIN64`):
//! - libffi's `ffi_call` calls springboard callbacks (raw handlers and closures): the
//!   handler must see exactly the values libffi passed and libffi must get exactly the
//!   value the handler returned;
//! - springboard downcalls call libffi closures, whose handler records the values it
//!   got: the same values, and the downcall gets exactly the closure's result;
//! - springboard downcalls call springboard callbacks (round trips).
//!
//! Structs are at most 32 bytes: fixed shapes every run (float pairs and quads like
//! AAPCS64 HFAs, mixed integer/float eightbytes, odd sizes that Windows x64 passes by
//! reference, nesting, array fields) and random ones (nesting up to depth 2, array
//! fields). Arrays are described to libffi as repeated fields, which is how it models
//! them. Values are compared bit for bit (NaN payloads included; struct padding
//! excepted); a `bool` must arrive as a 0 or 1 byte. Narrow integer results are
//! compared on their own bytes where libffi fills the result buffer (the system libffi
//! 3.4.4 does not widen them), and on the whole slot where springboard does (the array
//! layout's result rule).
//!
//! The system libffi's `ffi_call` (3.4.4) passes one System V pattern wrongly (libffi
//! issue #574, see `common::ffi::meets_libffi_issue_574`): the `ffi_call` test replaces such
//! signatures (and prints how many), and `gcc_callers_pass_what_libffi_3_4_4_gets_wrong`
//! checks springboard's callbacks on that pattern against gcc-compiled callers instead.
//!
//! The seed is printed; `SPRINGBOARD_SEED=<decimal or 0x-hex>` replays one.

mod common;

use common::c_cases::value_bits;
use common::catalogue::{result_type, PARAM_TYPES, RESULT_TYPE_COUNT};
use common::ffi::{cif, meets_libffi_issue_574};
use common::slots::{expected_result_slot, layout_slot, slot_over};
use common::struct_catalogue::build_value;
use common::Rng;
use libffi::middle::{Arg, Cif, CodePtr, Ret};
use springboard::{Callback, Convention, Downcall, Engine, Signature, Slot, Type, Value};
use std::ffi::c_void;
use std::sync::{Arc, Mutex, MutexGuard};

const SIGNATURES: usize = 256;
const VALUE_SETS: usize = 40;
const MAX_PARAMS: usize = 12;
const MAX_STRUCT_SIZE: usize = 32;
const DEFAULT_SEED: u64 = 0x0ca1_1bac_5eed_0001;

/// Struct shapes every run draws from (half of its structs), besides random ones.
const SHAPES: [&str; 28] = [
    "{f32, f32}",
    "{f64, f64}",
    "{f32, f32, f32}",
    "{f32, f32, f32, f32}",
    "{f64, f64, f64}",
    "{f64, f64, f64, f64}",
    "{i32, f32}",
    "{f64, i64}",
    "{i64, f64}",
    "{i8, i16, f32}",
    "{u8}",
    "{i16, u8}",
    "{i8, i8, i8}",
    "{{f32, f32}, f64}",
    "{i8, {f32, [u8; 3]}}",
    "{bool, ptr}",
    "{[f32; 2], i32}",
    "{f64, [i8; 5]}",
    "{u16, [u16; 2]}",
    "{{i32}, {f32}}",
    "{{{f64}}}",
    "{i64, i64, i64, i64}",
    "{f32}",
    "{ptr}",
    "{u32, u32, u32}",
    "{i8, f64}",
    "{[u8; 7]}",
    "{f32, [f32; 3], f64}",
];

/// Random signatures and values from one seed.
struct Generator {
    rng: Rng,
    shapes: Vec<Type>,
}

impl Generator {
    /// A generator for the test named `test` (each test gets its own stream).
    fn new(seed: u64, test: &str) -> Generator {
        let salt = test
            .bytes()
            .fold(0u64, |h, b| h.rotate_left(7) ^ u64::from(b));
        Generator {
            rng: Rng(seed ^ salt),
            shapes: SHAPES.iter().map(|s| s.parse().unwrap()).collect(),
        }
    }

    fn scalar_type(&mut self) -> Type {
        PARAM_TYPES[self.rng.below(PARAM_TYPES.len())].clone()
    }

    /// A random struct of at most `MAX_STRUCT_SIZE` bytes.
    fn random_struct(&mut self, depth: usize) -> Type {
        loop {
            let count = 1 + self.rng.below(4);
            let fields: Vec<Type> = (0..count)
                .map(|_| match self.rng.below(8) {
                    0 if depth < 2 => self.random_struct(depth + 1),
                    1 => Type::array(self.scalar_type(), 1 + self.rng.below(4)).unwrap(),
                    _ => self.scalar_type(),
                })
                .collect();
            let ty = Type::structure(fields).unwrap();
            if ty.size() <= MAX_STRUCT_SIZE {
                return ty;
            }
        }
    }

    fn struct_type(&mut self) -> Type {
        if self.rng.below(2) == 0 {
            self.shapes[self.rng.below(self.shapes.len())].clone()
        } else {
            self.random_struct(0)
        }
    }

    /// Up to 12 parameters, a fifth of them structs; some signatures float-heavy or
    /// struct-heavy so that registers of each kind run out. A quarter of the results
    /// are structs; a quarter of the signatures are `win64`.
    fn signature(&mut self) -> Signature {
        let mode = self.rng.below(3);
        let params: Vec<Type> = (0..self.rng.below(MAX_PARAMS + 1))
            .map(|_| {
                let roll = self.rng.below(10);
                match mode {
                    1 if roll < 6 => [Type::F32, Type::F64][self.rng.below(2)].clone(),
                    2 if roll < 6 => self.struct_type(),
                    _ if roll < 2 => self.struct_type(),
                    _ => self.scalar_type(),
                }
            })
            .collect();
        let result = if self.rng.below(4) == 0 {
            self.struct_type()
        } else {
            result_type(self.rng.below(RESULT_TYPE_COUNT))
        };
        let convention = if self.rng.below(4) == 0 {
            Convention::Win64
        } else {
            Convention::C
        };
        Signature::new(params, result).with_convention(convention)
    }

    /// A random scalar: a quarter of the time an edge value (0, 1, all ones, the sign
    /// bit, the signed maximum; for floats signed zeros, infinities, NaNs with
    /// payloads, subnormals), otherwise random bits.
    fn scalar(&mut self, ty: &Type) -> Value {
        const F32_EDGES: [u32; 10] = [
            0x0000_0000,
            0x8000_0000,
            0x3f80_0000,
            0xff80_0000,
            0x7fc1_2345,
            0x7f80_0001,
            0xffe0_0001,
            0x0000_0001,
            0x807f_ffff,
            0x7f7f_ffff,
        ];
        const F64_EDGES: [u64; 10] = [
            0x0000_0000_0000_0000,
            0x8000_0000_0000_0000,
            0x3ff0_0000_0000_0000,
            0xfff0_0000_0000_0000,
            0x7ff8_dead_beef_0001,
            0x7ff0_0000_0000_0001,
            0xfff4_0000_0000_0001,
            0x0000_0000_0000_0001,
            0x800f_ffff_ffff_ffff,
            0x7fef_ffff_ffff_ffff,
        ];
        let bits = if self.rng.below(4) == 0 {
            match ty {
                Type::F32 => u64::from(F32_EDGES[self.rng.below(F32_EDGES.len())]),
                Type::F64 => F64_EDGES[self.rng.below(F64_EDGES.len())],
                _ => {
                    let width = 8 * ty.size() as u32;
                    let ones = u64::MAX >> (64 - width);
                    let top = 1u64 << (width - 1);
                    [0, 1, ones, top, top - 1][self.rng.below(5)]
                }
            }
        } else {
            self.rng.next_u64()
        };
        match ty {
            Type::Bool => Value::Bool(bits & 1 == 1),
            _ => Value::from_slot(ty, Slot(bits.to_le_bytes())),
        }
    }

    /// The next value set for `signature`: its arguments, its result and a salt for
    /// garbage.
    fn value_set(&mut self, signature: &Signature) -> (Vec<Value>, Value, u64) {
        let args = signature.params.iter().map(|t| self.value(t)).collect();
        let result = self.value(&signature.result);
        (args, result, self.rng.next_u64())
    }

    /// A random value of any type (`Void` for `void`).
    fn value(&mut self, ty: &Type) -> Value {
        build_value(ty, &mut |scalar| self.scalar(scalar))
    }
}

/// Values compared by type and bits, recursively (NaNs by payload, padding ignored).
fn same_bits(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Struct(a), Value::Struct(b)) | (Value::Array(a), Value::Array(b)) => {
            let (fa, fb) = (a.members(), b.members());
            a.ty() == b.ty()
                && fa.len() == fb.len()
                && fa.iter().zip(&fb).all(|(x, y)| same_bits(x, y))
        }
        (Value::Struct(..) | Value::Array(..), _) | (_, Value::Struct(..) | Value::Array(..)) => {
            false
        }
        _ => a.ty() == b.ty() && value_bits(a) == value_bits(b),
    }
}

/// A value as text: the CLI's syntax, floats followed by their bits.
fn show(value: &Value) -> String {
    match value {
        Value::Struct(aggregate) | Value::Array(aggregate) => {
            let inner: Vec<String> = aggregate.members().iter().map(show).collect();
            if matches!(value, Value::Struct(..)) {
                format!("{{{}}}", inner.join(", "))
            } else {
                format!("[{}]", inner.join(", "))
            }
        }
        Value::F32(v) => format!("{v:?}f32({:#x})", v.to_bits()),
        Value::F64(v) => format!("{v:?}f64({:#x})", v.to_bits()),
        Value::Void => "void".to_string(),
        scalar => format!("{scalar}{}", scalar.ty()),
    }
}

/// Values as text, comma-separated.
fn show_all(values: &[Value]) -> String {
    values.iter().map(show).collect::<Vec<_>>().join(", ")
}

/// Whether every `bool` inside a `ty` value in C layout is a 0 or 1 byte.
fn bools_are_exact(ty: &Type, bytes: &[u8]) -> bool {
    let mut exact = true;
    ty.for_each_scalar(0, &mut |offset, scalar| {
        if *scalar == Type::Bool && bytes[offset] > 1 {
            exact = false;
        }
    });
    exact
}

/// A garbage byte (never 0x00 or 0xff, so it cannot pass for an extension).
fn garbage(salt: u64, index: usize) -> u8 {
    let mut rng = Rng(salt ^ (index as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    match rng.next_u64() as u8 {
        0x00 | 0xff => 0x5a,
        b => b,
    }
}

/// 8-aligned bytes: a C value followed by 8 guard bytes, garbage wherever the value
/// does not write (padding, the guard).
struct Buffer {
    words: Vec<u64>,
    len: usize,
}

impl Buffer {
    /// `len` bytes (at least 8) of garbage, plus the guard.
    fn garbage(len: usize, salt: u64) -> Buffer {
        let len = len.max(8);
        let mut buffer = Buffer {
            words: vec![0; len.div_ceil(8) + 1],
            len,
        };
        for (i, byte) in buffer.all_bytes_mut().iter_mut().enumerate() {
            *byte = garbage(salt, i);
        }
        buffer
    }

    /// `value` in C layout over garbage.
    fn holding(value: &Value, salt: u64) -> Buffer {
        let mut buffer = Buffer::garbage(value.ty().size(), salt);
        value.encode(buffer.all_bytes_mut());
        buffer
    }

    fn all_bytes(&self) -> &[u8] {
        // SAFETY: the words are initialised; u8 has no alignment requirement.
        unsafe { std::slice::from_raw_parts(self.words.as_ptr().cast(), self.words.len() * 8) }
    }

    fn all_bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as above.
        unsafe {
            std::slice::from_raw_parts_mut(self.words.as_mut_ptr().cast(), self.words.len() * 8)
        }
    }

    fn as_ptr(&self) -> *const c_void {
        self.words.as_ptr().cast()
    }

    fn as_mut_ptr(&mut self) -> *mut c_void {
        self.words.as_mut_ptr().cast()
    }

    /// The bytes after the first `len` (the value's size): unchanged by a correct call.
    fn tail_after(&self, len: usize) -> &[u8] {
        &self.all_bytes()[len..self.len + 8]
    }
}

/// What the current call must carry and return, and what the handler saw.
struct Exchange {
    args: Vec<Value>,
    result: Value,
    calls: usize,
    problems: Vec<String>,
}

/// A handler's context: the signature and the current exchange.
struct Probe {
    signature: Signature,
    exchange: Mutex<Exchange>,
}

impl Probe {
    fn new(signature: &Signature) -> Probe {
        Probe {
            signature: signature.clone(),
            exchange: Mutex::new(Exchange {
                args: Vec::new(),
                result: Value::Void,
                calls: 0,
                problems: Vec::new(),
            }),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Exchange> {
        self.exchange.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Prepares the next call.
    fn expect(&self, args: &[Value], result: &Value) {
        let mut exchange = self.lock();
        exchange.args = args.to_vec();
        exchange.result = result.clone();
    }

    /// The calls seen and problems recorded since the last take (cleared).
    fn take(&self) -> (usize, Vec<String>) {
        let mut exchange = self.lock();
        let calls = std::mem::take(&mut exchange.calls);
        (calls, std::mem::take(&mut exchange.problems))
    }
}

impl Exchange {
    /// Records a call by `who` that saw `seen` (and whether its bools were exact).
    fn saw(&mut self, who: &str, seen: &[Value], inexact_bools: &[usize]) -> Value {
        self.calls += 1;
        if seen.len() != self.args.len() {
            self.problems.push(format!(
                "{who}: {} arguments, expected {}",
                seen.len(),
                self.args.len()
            ));
        }
        for (i, (got, want)) in seen.iter().zip(&self.args).enumerate() {
            if !same_bits(got, want) {
                self.problems.push(format!(
                    "{who}: argument {i} is {}, expected {}",
                    show(got),
                    show(want)
                ));
            }
        }
        for i in inexact_bools {
            self.problems.push(format!(
                "{who}: a bool in argument {i} is not a 0 or 1 byte"
            ));
        }
        self.result.clone()
    }
}

/// Writes `value` at `result` as a handler must: a struct's bytes, an `f32` in four
/// bytes, any other scalar as a whole slot (which is also libffi's `ffi_arg` rule for
/// closure results).
///
/// # Safety
/// `result` must hold the struct's size, or 8 bytes for a scalar.
unsafe fn write_result(value: &Value, result: *mut c_void) {
    match value {
        Value::Void => {}
        Value::Struct(..) => {
            let size = value.ty().size();
            // SAFETY: the caller's promise.
            value.encode(unsafe { std::slice::from_raw_parts_mut(result.cast(), size) });
        }
        // SAFETY: the caller's promise.
        Value::F32(v) => unsafe { result.cast::<f32>().write_unaligned(*v) },
        // SAFETY: the caller's promise.
        scalar => unsafe { result.cast::<Slot>().write_unaligned(layout_slot(scalar)) },
    }
}

/// Reads a value of `ty` from `bytes` (C layout) and whether its bools are exact.
fn read_value(ty: &Type, bytes: &[u8]) -> (Value, bool) {
    (Value::decode(ty, bytes), bools_are_exact(ty, bytes))
}

/// The springboard raw handler: decodes the argument array, records what it saw in
/// the `Probe` behind `context`, writes the expected result.
unsafe extern "C" fn probe_handler(context: *mut c_void, args: *mut Slot, result: *mut Slot) {
    // SAFETY: the context is a `Probe` that outlives the callback.
    let probe = unsafe { &*(context as *const Probe) };
    let mut inexact = Vec::new();
    let seen: Vec<Value> = probe
        .signature
        .params
        .iter()
        .enumerate()
        .map(|(i, ty)| {
            // SAFETY: one slot per parameter; an aggregate's slot points to its bytes.
            let slot = unsafe { *args.add(i) };
            let bytes = if ty.is_aggregate() {
                unsafe { std::slice::from_raw_parts(slot.as_ptr::<u8>(), ty.size()) }
            } else {
                &slot.0[..ty.size()]
            };
            let (value, exact) = read_value(ty, bytes);
            if !exact {
                inexact.push(i);
            }
            value
        })
        .collect();
    let value = probe.lock().saw("springboard raw handler", &seen, &inexact);
    // SAFETY: the result place holds the result's size (a slot for scalars).
    unsafe { write_result(&value, result.cast()) };
}

/// A springboard callback for `probe`: a raw handler or a closure.
fn springboard_callback(engine: &Engine, probe: &Arc<Probe>, raw: bool) -> Callback {
    if raw {
        engine
            .callback_raw(
                &probe.signature,
                probe_handler,
                Arc::as_ptr(probe) as *mut c_void,
            )
            .unwrap()
    } else {
        let probe = Arc::clone(probe);
        engine
            .callback(&probe.signature.clone(), move |args| {
                probe.lock().saw("springboard closure", args, &[])
            })
            .unwrap()
    }
}

/// The libffi closure handler: decodes the arguments libffi hands over, records them
/// in the `Probe` behind `userdata`, writes the expected result.
unsafe extern "C" fn libffi_probe_handler(
    _cif: *mut libffi::raw::ffi_cif,
    result: *mut c_void,
    args: *mut *mut c_void,
    userdata: *mut c_void,
) {
    // SAFETY: the userdata is a `Probe` that outlives the closure.
    let probe = unsafe { &*(userdata as *const Probe) };
    let mut inexact = Vec::new();
    let seen: Vec<Value> = probe
        .signature
        .params
        .iter()
        .enumerate()
        .map(|(i, ty)| {
            // SAFETY: libffi passes one pointer per argument, to the argument's bytes.
            let bytes = unsafe { std::slice::from_raw_parts((*args.add(i)).cast(), ty.size()) };
            let (value, exact) = read_value(ty, bytes);
            if !exact {
                inexact.push(i);
            }
            value
        })
        .collect();
    let value = probe.lock().saw("libffi closure", &seen, &inexact);
    // SAFETY: libffi's result buffer holds the struct, or an `ffi_arg` for scalars.
    unsafe { write_result(&value, result) };
}

/// A libffi closure that calls `libffi_probe_handler` with a `Probe`.
struct LibffiClosure {
    closure: *mut libffi::low::ffi_closure,
    code: CodePtr,
    // The closure refers to the cif, and the handler to the probe: both live as long.
    _cif: Box<Cif>,
    _probe: Arc<Probe>,
}

impl LibffiClosure {
    fn new(probe: &Arc<Probe>) -> LibffiClosure {
        let cif = Box::new(cif(&probe.signature));
        let (closure, code) = libffi::low::closure_alloc();
        // SAFETY: a freshly allocated closure, a prepared cif and a handler that
        // follows libffi's closure protocol; the cif and probe are kept alive.
        let status = unsafe {
            libffi::raw::ffi_prep_closure_loc(
                closure,
                cif.as_raw_ptr(),
                Some(libffi_probe_handler),
                Arc::as_ptr(probe) as *mut c_void,
                code.as_mut_ptr(),
            )
        };
        assert_eq!(
            status,
            libffi::raw::ffi_status_FFI_OK,
            "ffi_prep_closure_loc for `{}`",
            probe.signature
        );
        LibffiClosure {
            closure,
            code,
            _cif: cif,
            _probe: Arc::clone(probe),
        }
    }

    fn code(&self) -> *const c_void {
        self.code.as_ptr()
    }
}

impl Drop for LibffiClosure {
    fn drop(&mut self) {
        // SAFETY: allocated by `closure_alloc`, freed once.
        unsafe { libffi::low::closure_free(self.closure) };
    }
}

/// `value` in an argument slot with garbage beyond its size (a `true` as one of
/// several non-zero bytes, since the layout reads "first byte non-zero").
fn dirty_slot(value: &Value, salt: u64, index: usize) -> Slot {
    let garbage = std::array::from_fn(|b| garbage(salt, 8 * index + b));
    slot_over(value, garbage, salt as usize + index)
}

/// Calls `callee` through `downcall` with `args` (scalars in dirty slots, structs in
/// garbage-padded buffers) and checks the result against `expected`; returns what went
/// wrong.
fn downcall_and_check(
    downcall: &Downcall,
    callee: *const c_void,
    args: &[Value],
    expected: &Value,
    salt: u64,
) -> Vec<String> {
    let mut problems = Vec::new();
    let structs: Vec<Option<Buffer>> = args
        .iter()
        .enumerate()
        .map(|(i, v)| {
            v.ty()
                .is_aggregate()
                .then(|| Buffer::holding(v, salt ^ i as u64))
        })
        .collect();
    let slots: Vec<Slot> = args
        .iter()
        .zip(&structs)
        .enumerate()
        .map(|(i, (v, buffer))| match buffer {
            Some(buffer) => Slot::from_ptr(buffer.as_ptr()),
            None => dirty_slot(v, salt, i),
        })
        .collect();
    let result_ty = expected.ty();
    if result_ty.is_aggregate() {
        let size = result_ty.size();
        let mut place = Buffer::garbage(size, !salt);
        let tail_before = place.tail_after(size).to_vec();
        // SAFETY: `callee` has the downcall's signature; one slot per parameter, struct
        // slots pointing to their bytes; the result place holds the struct.
        unsafe { downcall.call_raw(callee, slots.as_ptr(), place.as_mut_ptr().cast()) };
        let (got, exact) = read_value(&result_ty, &place.all_bytes()[..size]);
        if !same_bits(&got, expected) || !exact {
            problems.push(format!(
                "the downcall returned {}, expected {}",
                show(&got),
                show(expected)
            ));
        }
        if place.tail_after(size) != tail_before {
            problems.push(format!(
                "the downcall wrote past the {size}-byte struct result"
            ));
        }
    } else {
        let before = Slot(std::array::from_fn(|b| garbage(!salt, b)));
        let mut place = before;
        // SAFETY: as above; a scalar result place is one slot.
        unsafe { downcall.call_raw(callee, slots.as_ptr(), &mut place) };
        let wanted = expected_result_slot(expected, before);
        if place != wanted {
            problems.push(format!(
                "the downcall's result slot is {place:?}, expected {wanted:?} ({})",
                show(expected)
            ));
        }
    }
    problems
}

/// Collects failures and counts calls for one test; reports at the end.
struct Tally {
    seed: u64,
    /// Signatures in `win64`, struct parameters, struct results.
    coverage: [usize; 3],
    calls: usize,
    failures: Vec<String>,
    failing_calls: usize,
}

impl Tally {
    fn new(seed: u64, test: &str) -> Tally {
        eprintln!("{test}: seed {seed:#x} (replay with SPRINGBOARD_SEED={seed:#x})");
        Tally {
            seed,
            coverage: [0; 3],
            calls: 0,
            failures: Vec::new(),
            failing_calls: 0,
        }
    }

    /// Counts what a signature covers.
    fn cover(&mut self, signature: &Signature) {
        self.coverage[0] += usize::from(signature.convention == Convention::Win64);
        self.coverage[1] += signature.params.iter().filter(|t| t.is_aggregate()).count();
        self.coverage[2] += usize::from(signature.result.is_aggregate());
    }

    fn record(&mut self, context: impl FnOnce() -> String, problems: Vec<String>) {
        self.calls += 1;
        if problems.is_empty() {
            return;
        }
        self.failing_calls += 1;
        if self.failures.len() < 12 {
            let context = context();
            self.failures
                .extend(problems.into_iter().map(|p| format!("{context}: {p}")));
        }
    }

    fn finish(self, what: &str) {
        let seed = self.seed;
        assert!(
            self.failures.is_empty(),
            "seed {seed:#x} (SPRINGBOARD_SEED={seed:#x}): {} of {} calls failed; the first \
             problems:\n{}",
            self.failing_calls,
            self.calls,
            self.failures.join("\n")
        );
        assert_eq!(self.calls, SIGNATURES * VALUE_SETS);
        assert!(self.calls >= 10_000, "only {} calls", self.calls);
        let [win64, struct_params, struct_results] = self.coverage;
        assert!(
            win64 > SIGNATURES / 8
                && struct_params > SIGNATURES / 2
                && struct_results > SIGNATURES / 8,
            "too little coverage: {win64} win64 signatures, {struct_params} struct \
             parameters, {struct_results} struct results"
        );
        eprintln!(
            "{what}: {} calls, all exact ({win64} of {SIGNATURES} signatures win64, \
             {struct_params} struct parameters, {struct_results} struct results; seed {seed:#x})",
            self.calls
        );
    }
}

/// The handler side's verdict on one call: it ran once and saw what it should.
fn handler_problems(probe: &Probe) -> Vec<String> {
    let (calls, mut problems) = probe.take();
    if calls != 1 {
        problems.push(format!("the handler ran {calls} times, expected once"));
    }
    problems
}

#[test]
fn libffi_calls_springboard_callbacks() {
    let seed = common::seed(DEFAULT_SEED);
    let mut tally = Tally::new(seed, "libffi -> springboard callback");
    let mut generator = Generator::new(seed, "libffi_calls_springboard_callbacks");
    let engine = Engine::new().unwrap();
    let mut avoided = 0;
    for index in 0..SIGNATURES {
        let mut signature = generator.signature();
        while meets_libffi_issue_574(&signature) {
            avoided += 1;
            signature = generator.signature();
        }
        tally.cover(&signature);
        let probe = Arc::new(Probe::new(&signature));
        let raw = index % 2 == 0;
        let callback = springboard_callback(&engine, &probe, raw);
        let cif = cif(&signature);
        for set in 0..VALUE_SETS {
            let (args, result, salt) = generator.value_set(&signature);
            probe.expect(&args, &result);

            let storage: Vec<Buffer> = args
                .iter()
                .enumerate()
                .map(|(i, v)| Buffer::holding(v, salt ^ i as u64))
                .collect();
            let ffi_args: Vec<Arg> = storage
                .iter()
                .map(|b| Arg::new(b.words.as_slice()))
                .collect();
            let size = signature.result.size();
            let mut place = Buffer::garbage(size, !salt);
            // SAFETY: the cif describes the callback's signature and convention; each
            // argument points to its value's bytes; the result buffer holds at least
            // the result (and an `ffi_arg`).
            unsafe {
                let ret = if signature.result.is_void() {
                    Ret::void()
                } else {
                    Ret::new(place.words.as_mut_slice())
                };
                cif.call_return_into(CodePtr::from_ptr(callback.code()), &ffi_args, ret);
            }
            let mut problems = handler_problems(&probe);
            if !signature.result.is_void() {
                // libffi writes at least the value's own bytes; compare those only.
                let (got, exact) = read_value(&signature.result, &place.all_bytes()[..size]);
                if !same_bits(&got, &result) || !exact {
                    problems.push(format!(
                        "libffi got {} (bytes {:02x?}), expected {}",
                        show(&got),
                        &place.all_bytes()[..size],
                        show(&result)
                    ));
                }
            }
            tally.record(
                || {
                    format!(
                        "signature #{index} `{signature}` ({}), value set {set}, \
                         arguments ({})",
                        if raw { "raw handler" } else { "closure" },
                        show_all(&args)
                    )
                },
                problems,
            );
        }
        drop(callback);
    }
    eprintln!("{avoided} signatures that libffi 3.4.4's ffi_call passes wrongly were replaced");
    tally.finish("libffi -> springboard callback");
}

/// Every random signature of the test `test` (its generator's name) as a springboard
/// downcall into the callee `callee` makes for it (kept alive while the signature's
/// value sets are called; with a label for messages), checked on both sides.
fn downcalls_into<Keep>(
    test: &str,
    what: &str,
    mut callee: impl FnMut(usize, &Engine, &Arc<Probe>) -> (Keep, *const c_void, &'static str),
) {
    let seed = common::seed(DEFAULT_SEED);
    let mut tally = Tally::new(seed, what);
    let mut generator = Generator::new(seed, test);
    let engine = Engine::new().unwrap();
    for index in 0..SIGNATURES {
        let signature = generator.signature();
        tally.cover(&signature);
        let probe = Arc::new(Probe::new(&signature));
        let (_keep, code, label) = callee(index, &engine, &probe);
        let downcall = engine.downcall(&signature).unwrap();
        for set in 0..VALUE_SETS {
            let (args, result, salt) = generator.value_set(&signature);
            probe.expect(&args, &result);
            let mut problems = downcall_and_check(&downcall, code, &args, &result, salt);
            problems.extend(handler_problems(&probe));
            tally.record(
                || {
                    format!(
                        "signature #{index} `{signature}`{label}, value set {set}, arguments \
                         ({})",
                        show_all(&args)
                    )
                },
                problems,
            );
        }
    }
    tally.finish(what);
}

#[test]
fn springboard_downcalls_call_libffi_closures() {
    downcalls_into(
        "springboard_downcalls_call_libffi_closures",
        "springboard downcall -> libffi closure",
        |_, _, probe| {
            let closure = LibffiClosure::new(probe);
            let code = closure.code();
            (closure, code, "")
        },
    );
}

#[test]
fn springboard_downcalls_call_springboard_callbacks() {
    downcalls_into(
        "springboard_downcalls_call_springboard_callbacks",
        "springboard downcall -> springboard callback",
        |index, engine, probe| {
            let raw = index % 2 == 1;
            let callback = springboard_callback(engine, probe, raw);
            let code = callback.code();
            let label = if raw { " (raw handler)" } else { " (closure)" };
            (callback, code, label)
        },
    );
}

/// Callers for `gcc_callers_pass_what_libffi_3_4_4_gets_wrong`: an SSE argument in
/// xmm0, five integers, then a struct whose first (INTEGER) eightbyte takes r9 and
/// whose second is SSE.
const GPR_OVERFLOW_CALLERS: &str = include_str!("c/gpr_overflow_callers.c");

#[test]
fn gcc_callers_pass_what_libffi_3_4_4_gets_wrong() {
    let library = common::build_c_library("callback_libffi_gpr_overflow", GPR_OVERFLOW_CALLERS);
    let engine = Engine::new().unwrap();
    let cases: [(&str, &str, &str, Value); 3] = [
        (
            "call_long_double_pair",
            "(f64, i64, i64, i64, i64, i64, {i64, f64}) -> i64",
            "1.5, 1, 2, 3, 4, 5, {-7, 7.5}",
            Value::I64(-0x1234_5678_9abc),
        ),
        (
            "call_char_double_pair",
            "(f32, i8, i8, i8, i8, i8, {i8, f64}, f64) -> f64",
            "1234.5, 1, 2, 3, 4, 5, {-9, -0.25}, 6.0",
            Value::F64(-3.0e-300),
        ),
        (
            "call_int_float_double",
            "(f64, f64, ptr, i32, u16, i64, u8, {i32, f32, f64}) -> i32",
            "-1.0, 3.25, 0x1000, -2, 65535, 9, 200, {77, 2.5, 1e300}",
            Value::I32(-42),
        ),
    ];
    for (caller, signature_text, expected_text, result) in cases {
        let signature: Signature = signature_text.parse().unwrap();
        assert!(
            meets_libffi_issue_574(&signature),
            "`{signature}` is not the libffi 3.4.4 pattern"
        );
        let seen = Arc::new(Mutex::new(Vec::new()));
        let callback = {
            let (seen, result) = (Arc::clone(&seen), result.clone());
            engine
                .callback(&signature, move |args| {
                    seen.lock().unwrap().push(args.to_vec());
                    result.clone()
                })
                .unwrap()
        };
        let caller = library.symbol(caller);
        // SAFETY: each caller takes a function pointer of the callback's C type and
        // returns the callback's result type.
        let returned = unsafe {
            match result {
                Value::I64(_) => Value::I64(std::mem::transmute::<
                    *const c_void,
                    extern "C" fn(*const c_void) -> i64,
                >(caller)(callback.code())),
                Value::F64(_) => Value::F64(std::mem::transmute::<
                    *const c_void,
                    extern "C" fn(*const c_void) -> f64,
                >(caller)(callback.code())),
                _ => Value::I32(std::mem::transmute::<
                    *const c_void,
                    extern "C" fn(*const c_void) -> i32,
                >(caller)(callback.code())),
            }
        };
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "`{signature}`: one call");
        let text = seen[0]
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        assert_eq!(
            text, expected_text,
            "`{signature}`: the arguments gcc passed"
        );
        assert!(
            same_bits(&returned, &result),
            "`{signature}`: gcc got {returned:?}, expected {result:?}"
        );
    }
}
