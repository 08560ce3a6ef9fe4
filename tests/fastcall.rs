//! Fast-call trampolines against gcc-compiled C targets.
//!
//! The hand-written targets (`tests/c/fastcall_callees.c`, compiled once plain and once
//! with `__attribute__((ms_abi))`) pass every argument, in order, to `fc_see`, which
//! compares it with what Rust stored in `fc_expect` and counts mismatches in
//! `fc_failures`; `fc_calls` counts calls, and every target (and the buffer converter)
//! first overwrites every register its convention lets it clobber. Every case runs
//! for four pairs of conventions: entry and target System V, both Windows x64, a
//! System V entry calling a Windows x64 target, and the reverse. The entry is called
//! from Rust through an `extern "sysv64"` or `extern "win64"` function pointer. The
//! converter and the raise hook are runtime functions: they use the platform's C
//! convention (System V here) whatever the entry and target conventions are.
//!
//! - Deno's turbocall signatures: 22 mixed arguments with an inline buffer, 12 narrow
//!   integers returning `i8`, 8 inline buffers (V8's `FastApiTypedArray`: the data
//!   pointer at offset 8), and buffers at other offsets.
//! - Converted buffers: a failed conversion calls `raise(options)` once, never the
//!   target, and returns zero (`i32`, `f64`, `i8` results, with and without options,
//!   null and non-null sentinels, one or two failing buffers); a successful one passes
//!   the converter's pointer, other arguments intact across the converter calls.
//! - Out-pointer `u64`/`i64` results, struct results, struct arguments.
//! - Garbage: every 32-bit entry value (and `f32`) with garbage in bits 32..63, narrow
//!   ones with only correct low 32 bits (as V8 guarantees), `bool` as any non-zero
//!   32-bit value; garbage above a narrow C result's width. On System V targets,
//!   `_wide` twins that declare narrow parameters as 32-bit integers check the
//!   extension to 32 bits that clang-compiled callees rely on.
//! - Callee-saved registers survive an entry whose converter and target clobber
//!   everything they may (Windows x64 entries calling System V functions included).
//! - Random fast calls (seeded, `SPRINGBOARD_SEED=<decimal or 0x-hex>` replays): each
//!   value set is passed to the C function directly and through the entry; both must
//!   see identical arguments and results. Both calls go through libffi's `ffi_call`:
//!   the direct one because a springboard downcall shares the ABI lowering with the
//!   fast-call trampoline (a lowering bug would then agree with itself), the entry one
//!   because libffi can be told that a 32-bit entry value is 64 bits wide (and an `f32`
//!   an `f64`), which puts garbage in their upper bits, and because it is independent
//!   of springboard as well.
//! - A batch of 25 fast calls compiled by one `Engine::fast_calls`.

mod common;

use common::catalogue::PARAM_TYPES as SCALARS;
use common::deno::{self, c_view, widened_result, Narrow12, Turbo22, NARROW12, TURBO22};
use common::ffi::{cif, ffi_abi, ffi_type};
use common::{CLibrary, Rng};
use libffi::middle::{Arg, Cif, CodePtr, Ret, Type as FfiType};
use springboard::trampoline::Callee;
use springboard::{
    BufferAccess, Convention, Engine, FastCall, FastCallError, FastParam, FastResult,
    NativeFunction, Signature, Type, Value,
};
use std::cell::Cell;
use std::ffi::c_void;
use std::fmt;
use std::ptr;
use std::sync::{Mutex, MutexGuard, OnceLock};

const PRELUDE: &str = include_str!("c/fastcall_prelude.c");
const CALLEES: &str = include_str!("c/fastcall_callees.c");

/// The length that makes the C converter fail (`fc_fail_length`).
const FAIL_LENGTH: usize = 0xfa11;

/// A buffer descriptor in V8's `FastApiTypedArray` layout (`struct fc_buffer`).
#[repr(C)]
struct Buffer {
    length: usize,
    data: *mut c_void,
}

impl Buffer {
    fn new(data: u64) -> Buffer {
        Buffer {
            length: 16,
            data: ptr::without_provenance_mut(data as usize),
        }
    }

    fn failing(data: u64) -> Buffer {
        Buffer {
            length: FAIL_LENGTH,
            ..Buffer::new(data)
        }
    }
}

/// `struct fc_pair`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
struct Pair {
    a: i32,
    b: i32,
}

/// `struct fc_triple`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
struct Triple {
    x: f64,
    y: f64,
    z: f64,
}

/// The bytes of a `struct fc_mix` (`{uint8_t; float}`), padding included.
#[repr(C, align(8))]
#[derive(Clone, Copy, Debug, PartialEq)]
struct MixBytes([u8; 8]);

fn receiver() -> *const c_void {
    ptr::without_provenance(0x0bad_cafe_0000_1000)
}

fn options_pointer() -> *mut c_void {
    ptr::without_provenance_mut(0x0091_7105_0000_2000)
}

fn data_pointer(tag: u64) -> u64 {
    0x00d0_0000_0000_0000 | tag << 8
}

/// The function argument of the turbocall signature (never called).
extern "C" fn turbocall_function() {}

/// Entry and target conventions of a fast call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Conventions {
    entry: Convention,
    target: Convention,
}

const EVERY_PAIR: [Conventions; 4] = [
    Conventions {
        entry: Convention::SysV,
        target: Convention::SysV,
    },
    Conventions {
        entry: Convention::Win64,
        target: Convention::Win64,
    },
    Conventions {
        entry: Convention::SysV,
        target: Convention::Win64,
    },
    Conventions {
        entry: Convention::Win64,
        target: Convention::SysV,
    },
];

impl fmt::Display for Conventions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "entry {}, target {}",
            self.entry.name(),
            self.target.name()
        )
    }
}

/// Calls a fast-call entry through a function pointer of the given type in the
/// entry's convention. Expands to an unsafe call.
macro_rules! call_entry {
    ($entry:expr, $code:expr, fn($($ty:ty),* $(,)?) $(-> $ret:ty)?, $($arg:expr),* $(,)?) => {{
        let code: *const c_void = $code;
        match $entry {
            Convention::Win64 => {
                let entry = std::mem::transmute::<
                    *const c_void,
                    unsafe extern "win64" fn($($ty),*) $(-> $ret)?,
                >(code);
                entry($($arg),*)
            }
            Convention::SysV => {
                let entry = std::mem::transmute::<
                    *const c_void,
                    unsafe extern "sysv64" fn($($ty),*) $(-> $ret)?,
                >(code);
                entry($($arg),*)
            }
            other => panic!("no Rust function pointer type for an entry in {other:?}"),
        }
    }};
}

/// Garbage for the upper halves of 64-bit registers: never zero nor all ones, so
/// neither a zero nor a sign extension.
struct Garbage(Rng);

impl Garbage {
    fn high(&mut self) -> u64 {
        loop {
            let high = self.0.next_u64() >> 32;
            if high != 0 && high != 0xffff_ffff {
                return high << 32;
            }
        }
    }

    /// A 32-bit entry value with garbage in bits 32..63.
    fn u32(&mut self, low: u32) -> u64 {
        self.high() | u64::from(low)
    }

    /// An `f32` in the low half of an `f64` register with garbage above it.
    fn f32(&mut self, value: f32) -> f64 {
        f64::from_bits(self.high() | u64::from(value.to_bits()))
    }
}

fn read_global(library: &CLibrary, name: &str) -> u64 {
    // SAFETY: every global read this way is a 64-bit C object of the library.
    unsafe { (library.symbol(name) as *const u64).read_volatile() }
}

fn write_global(library: &CLibrary, name: &str, value: u64) {
    // SAFETY: as above; the tests using a library hold its lock.
    unsafe { (library.symbol(name) as *mut u64).write_volatile(value) }
}

/// What the last target recorded with `fc_see`.
fn seen_arguments(library: &CLibrary) -> Vec<u64> {
    let count = read_global(library, "fc_seen_count").min(32) as usize;
    let seen = library.symbol("fc_seen") as *const u64;
    // SAFETY: `fc_seen` is a `uint64_t[32]`.
    (0..count)
        .map(|i| unsafe { seen.add(i).read_volatile() })
        .collect()
}

/// Resets the counters before a call and sets what the target returns.
fn reset_counters(library: &CLibrary, ret: u64) {
    for name in [
        "fc_seen_count",
        "fc_failures",
        "fc_calls",
        "fc_convert_calls",
        "fc_raise_calls",
        "fc_raise_options",
    ] {
        write_global(library, name, 0);
    }
    write_global(library, "fc_first_bad", u64::MAX);
    write_global(library, "fc_ret", ret);
}

/// The hand-written targets, compiled for both conventions, and an engine.
struct Fixture {
    library: CLibrary,
    engine: Engine,
    /// Calls checked with [`Fixture::assert_called_with`] or [`Fixture::assert_raised`].
    checked: Cell<usize>,
}

/// The locked fixture; when dropped, prints how many calls the test checked through it.
struct Locked {
    guard: MutexGuard<'static, Fixture>,
    start: usize,
}

impl std::ops::Deref for Locked {
    type Target = Fixture;
    fn deref(&self) -> &Fixture {
        &self.guard
    }
}

impl Drop for Locked {
    fn drop(&mut self) {
        let checked = self.guard.checked.get() - self.start;
        eprintln!("{checked} calls checked");
    }
}

fn fixture_source() -> String {
    format!(
        "{PRELUDE}\n#define FC_ABI\n#define FC(name) name##_sysv\n{CALLEES}\n\
         #undef FC_ABI\n#undef FC\n#define FC_ABI __attribute__((ms_abi))\n\
         #define FC(name) name##_win64\n{CALLEES}"
    )
}

/// The fixture, locked: its C globals are shared by every test using it.
fn fixture() -> Locked {
    static FIXTURE: OnceLock<Mutex<Fixture>> = OnceLock::new();
    let guard = FIXTURE
        .get_or_init(|| {
            Mutex::new(Fixture {
                library: common::build_c_library("fastcall_fixtures", &fixture_source()),
                engine: Engine::new().unwrap(),
                checked: Cell::new(0),
            })
        })
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let start = guard.checked.get();
    Locked { guard, start }
}

impl Fixture {
    fn symbol(&self, name: &str) -> u64 {
        self.library.symbol(name) as u64
    }

    fn get(&self, name: &str) -> u64 {
        read_global(&self.library, name)
    }

    fn set(&self, name: &str, value: u64) {
        write_global(&self.library, name, value);
    }

    /// Prepares a call: the arguments the target must see, what it returns.
    fn arm(&self, expected: &[u64], ret: u64) {
        let expect = self.library.symbol("fc_expect") as *mut u64;
        for i in 0..32 {
            let value = expected
                .get(i)
                .copied()
                .unwrap_or(0xdead_0000_0000_0000 | i as u64);
            // SAFETY: `fc_expect` is a `uint64_t[32]`.
            unsafe { expect.add(i).write_volatile(value) };
        }
        reset_counters(&self.library, ret);
    }

    /// Sets the bytes a struct-returning target returns.
    fn set_ret_bytes(&self, bytes: &[u8]) {
        assert!(bytes.len() <= 32);
        let target = self.library.symbol("fc_ret_bytes") as *mut u8;
        // SAFETY: `fc_ret_bytes` is a `uint8_t[32]`.
        unsafe { ptr::copy_nonoverlapping(bytes.as_ptr(), target, bytes.len()) };
    }

    /// Asserts that the target was called once and saw exactly `expected`.
    fn assert_called_with(&self, expected: &[u64], context: &str) {
        self.checked.set(self.checked.get() + 1);
        let calls = self.get("fc_calls");
        assert_eq!(calls, 1, "{context}: the target was called {calls} times");
        let seen = seen_arguments(&self.library);
        assert!(
            seen == expected,
            "{context}: the target saw\n  {seen:#x?}\nexpected\n  {expected:#x?}"
        );
        let failures = self.get("fc_failures");
        assert_eq!(
            failures,
            0,
            "{context}: the target counted {failures} wrong arguments, the first #{}",
            self.get("fc_first_bad") as i64
        );
    }

    /// Asserts a failed conversion: raise called once with `options`, the target not
    /// called, the converter `converted` times.
    fn assert_raised(&self, options: bool, converted: u64, context: &str) {
        self.checked.set(self.checked.get() + 1);
        let raised = self.get("fc_raise_calls");
        assert_eq!(raised, 1, "{context}: raise called {raised} times");
        let expected_options = if options { options_pointer() as u64 } else { 0 };
        assert_eq!(
            self.get("fc_raise_options"),
            expected_options,
            "{context}: raise's options pointer"
        );
        let calls = self.get("fc_calls");
        assert_eq!(
            calls, 0,
            "{context}: the target was called {calls} times after a failed conversion"
        );
        let conversions = self.get("fc_convert_calls");
        assert_eq!(
            conversions, converted,
            "{context}: the converter was called {conversions} times"
        );
    }

    /// A fast call of `{name}_{sysv|win64}` with the target signature `target`.
    fn fast(&self, conventions: Conventions, name: &str, target: &str) -> FastCall {
        let signature: Signature = format!("{} {target}", conventions.target.name())
            .parse()
            .unwrap();
        let symbol = match conventions.target {
            Convention::Win64 => format!("{name}_win64"),
            _ => format!("{name}_sysv"),
        };
        let mut fast = FastCall::new(signature, self.symbol(&symbol));
        fast.entry = conventions.entry;
        fast
    }

    fn convert(&self, sentinel: u64) -> FastParam {
        FastParam::Buffer(BufferAccess::Convert {
            converter: self.symbol("fc_convert").into(),
            sentinel,
            raise: self.symbol("fc_raise").into(),
        })
    }

    fn compile(&self, fast: &FastCall) -> NativeFunction {
        self.engine
            .fast_call(fast)
            .unwrap_or_else(|e| panic!("fast call {fast:?}: {e}"))
    }
}

// ---------------------------------------------------------------------------------
// Deno's turbocall signatures.

const TURBO22_SETS: [Turbo22; 3] = [
    deno::TURBO22_SHARED_SETS[0],
    deno::TURBO22_SHARED_SETS[1],
    Turbo22 {
        ints: (0, 0, 0, 0, 0, 0),
        more: (0, 0, 0, 0),
        f: [0.0; 5],
        d: [0.0; 5],
    },
];

/// Calls of a [`Turbo22`] set through a turbocall entry.
trait Turbo22Calls {
    /// The 22 values the C target must see.
    fn expected(&self, data: u64, function: u64) -> Vec<u64>;
    /// Calls the entry with each value in its entry type.
    ///
    /// # Safety
    /// `code` is a turbocall entry in convention `entry`.
    unsafe fn call(
        &self,
        entry: Convention,
        code: *const c_void,
        buffer: &Buffer,
        function: *const c_void,
    );
    /// Calls the entry with every 32-bit value (and `f32`) 64 bits wide, garbage in
    /// bits 32..63.
    ///
    /// # Safety
    /// As [`Turbo22Calls::call`].
    unsafe fn call_dirty(
        &self,
        entry: Convention,
        code: *const c_void,
        buffer: &Buffer,
        function: *const c_void,
        g: &mut Garbage,
    );
}

impl Turbo22Calls for Turbo22 {
    fn expected(&self, data: u64, function: u64) -> Vec<u64> {
        let pointer = |address: u64| Value::Ptr(ptr::without_provenance_mut(address as usize));
        self.values(pointer(data), pointer(function))
            .iter()
            .map(c_view)
            .collect()
    }

    unsafe fn call(
        &self,
        entry: Convention,
        code: *const c_void,
        buffer: &Buffer,
        function: *const c_void,
    ) {
        let (a0, a1, a2, a3, a4, a5) = self.ints;
        let (a8, a9, a10, a11) = self.more;
        call_entry!(
            entry,
            code,
            fn(
                *const c_void,
                u32,
                u32,
                i32,
                i32,
                u32,
                u64,
                *const Buffer,
                *const c_void,
                i64,
                i32,
                i32,
                i32,
                f32,
                f32,
                f32,
                f32,
                f64,
                f64,
                f64,
                f64,
                f32,
                f64,
                *mut c_void,
            ),
            receiver(),
            u32::from(a0),
            u32::from(a1),
            i32::from(a2),
            i32::from(a3),
            a4,
            a5,
            buffer,
            function,
            a8,
            a9,
            i32::from(a10),
            i32::from(a11),
            self.f[0],
            self.f[1],
            self.f[2],
            self.f[3],
            self.d[0],
            self.d[1],
            self.d[2],
            self.d[3],
            self.f[4],
            self.d[4],
            options_pointer(),
        )
    }

    unsafe fn call_dirty(
        &self,
        entry: Convention,
        code: *const c_void,
        buffer: &Buffer,
        function: *const c_void,
        g: &mut Garbage,
    ) {
        let (a0, a1, a2, a3, a4, a5) = self.ints;
        let (a8, a9, a10, a11) = self.more;
        call_entry!(
            entry,
            code,
            fn(
                *const c_void,
                u64,
                u64,
                u64,
                u64,
                u64,
                u64,
                *const Buffer,
                *const c_void,
                i64,
                u64,
                u64,
                u64,
                f64,
                f64,
                f64,
                f64,
                f64,
                f64,
                f64,
                f64,
                f64,
                f64,
                *mut c_void,
            ),
            receiver(),
            g.u32(u32::from(a0)),
            g.u32(u32::from(a1)),
            g.u32(i32::from(a2) as u32),
            g.u32(i32::from(a3) as u32),
            g.u32(a4),
            a5,
            buffer,
            function,
            a8,
            g.u32(a9 as u32),
            g.u32(i32::from(a10) as u32),
            g.u32(i32::from(a11) as u32),
            g.f32(self.f[0]),
            g.f32(self.f[1]),
            g.f32(self.f[2]),
            g.f32(self.f[3]),
            self.d[0],
            self.d[1],
            self.d[2],
            self.d[3],
            g.f32(self.f[4]),
            self.d[4],
            options_pointer(),
        )
    }
}

fn turbo22_fast(fx: &Fixture, conventions: Conventions, name: &str) -> FastCall {
    let mut fast = fx.fast(conventions, name, TURBO22);
    fast.set_param(6, FastParam::Buffer(BufferAccess::Inline { offset: 8 }))
        .unwrap();
    fast
}

#[test]
fn turbocall_22_mixed_arguments() {
    let fx = fixture();
    let buffer = Buffer::new(data_pointer(0x22));
    let function = turbocall_function as *const c_void;
    for conventions in EVERY_PAIR {
        let fast = turbo22_fast(&fx, conventions, "turbo22");
        assert_eq!(
            fast.entry_signature().to_string(),
            format!(
                "{} (ptr, u32, u32, i32, i32, u32, u64, ptr, ptr, i64, i32, i32, i32, \
                 f32, f32, f32, f32, f64, f64, f64, f64, f32, f64, ptr)",
                conventions.entry.name()
            )
        );
        let trampoline = fx.compile(&fast);
        for (set, values) in TURBO22_SETS.iter().enumerate() {
            let expected = values.expected(buffer.data as u64, function as u64);
            fx.arm(&expected, 0);
            // SAFETY: the trampoline's entry has exactly these types.
            unsafe { values.call(conventions.entry, trampoline.code(), &buffer, function) };
            fx.assert_called_with(&expected, &format!("turbo22, {conventions}, set {set}"));
        }
    }
}

const NARROW12_SETS: [Narrow12; 3] = [
    deno::NARROW12_SHARED_SETS[0],
    deno::NARROW12_SHARED_SETS[1],
    Narrow12 {
        u8s: [0; 3],
        u16s: [0; 3],
        i8s: [0; 3],
        i16s: [0; 3],
    },
];

/// Values of `fc_ret` whose low byte covers the sign cases of an `i8` result; the
/// upper bytes are garbage, to be ignored.
const I8_RETURNS: [u64; 5] = [
    0x80,
    0x7f,
    0xdead_beef_0000_00ff,
    0x1234_5678_9abc_de00,
    0x5a,
];

/// Calls of a [`Narrow12`] set through its entry.
trait Narrow12Calls {
    /// The 12 values the C target must see.
    fn expected(&self) -> Vec<u64>;
    /// The entry values (widened to 32 bits), in order.
    fn entry_values(&self) -> [u32; 12];
    /// # Safety
    /// `code` is a `(u8, u16, i8, i16) x3 -> i8` entry in convention `entry`.
    unsafe fn call(&self, entry: Convention, code: *const c_void) -> i32;
    /// As [`Narrow12Calls::call`], every value 64 bits wide with garbage in bits 32..63.
    ///
    /// # Safety
    /// As [`Narrow12Calls::call`].
    unsafe fn call_dirty(&self, entry: Convention, code: *const c_void, g: &mut Garbage) -> i32;
}

impl Narrow12Calls for Narrow12 {
    fn expected(&self) -> Vec<u64> {
        self.values().iter().map(c_view).collect()
    }

    fn entry_values(&self) -> [u32; 12] {
        let mut values = [0; 12];
        for k in 0..3 {
            values[4 * k] = u32::from(self.u8s[k]);
            values[4 * k + 1] = u32::from(self.u16s[k]);
            values[4 * k + 2] = i32::from(self.i8s[k]) as u32;
            values[4 * k + 3] = i32::from(self.i16s[k]) as u32;
        }
        values
    }

    unsafe fn call(&self, entry: Convention, code: *const c_void) -> i32 {
        let v = self.entry_values();
        call_entry!(
            entry,
            code,
            fn(
                *const c_void,
                u32,
                u32,
                i32,
                i32,
                u32,
                u32,
                i32,
                i32,
                u32,
                u32,
                i32,
                i32,
                *mut c_void,
            ) -> i32,
            receiver(),
            v[0],
            v[1],
            v[2] as i32,
            v[3] as i32,
            v[4],
            v[5],
            v[6] as i32,
            v[7] as i32,
            v[8],
            v[9],
            v[10] as i32,
            v[11] as i32,
            options_pointer(),
        )
    }

    unsafe fn call_dirty(&self, entry: Convention, code: *const c_void, g: &mut Garbage) -> i32 {
        let v = self.entry_values().map(|value| g.u32(value));
        call_entry!(
            entry,
            code,
            fn(
                *const c_void,
                u64,
                u64,
                u64,
                u64,
                u64,
                u64,
                u64,
                u64,
                u64,
                u64,
                u64,
                u64,
                *mut c_void,
            ) -> i32,
            receiver(),
            v[0],
            v[1],
            v[2],
            v[3],
            v[4],
            v[5],
            v[6],
            v[7],
            v[8],
            v[9],
            v[10],
            v[11],
            options_pointer(),
        )
    }
}

#[test]
fn turbocall_12_narrow_integers_return_i8() {
    let fx = fixture();
    for conventions in EVERY_PAIR {
        let fast = fx.fast(conventions, "narrow12", NARROW12);
        assert_eq!(
            fast.entry_signature().to_string(),
            format!(
                "{} (ptr, u32, u32, i32, i32, u32, u32, i32, i32, u32, u32, i32, i32, ptr) -> i32",
                conventions.entry.name()
            )
        );
        let trampoline = fx.compile(&fast);
        for (set, values) in NARROW12_SETS.iter().enumerate() {
            for ret in I8_RETURNS {
                let expected = values.expected();
                fx.arm(&expected, ret);
                // SAFETY: the entry has exactly these types.
                let result = unsafe { values.call(conventions.entry, trampoline.code()) };
                let context = format!("narrow12, {conventions}, set {set}, C result {ret:#x}");
                fx.assert_called_with(&expected, &context);
                assert_eq!(result, i32::from(ret as u8 as i8), "{context}");
            }
        }
    }
}

#[test]
fn turbocall_8_inline_buffers() {
    let fx = fixture();
    let buffers: Vec<Buffer> = (0..8)
        .map(|i| Buffer::new(data_pointer(0x80 + i)))
        .collect();
    let expected: Vec<u64> = buffers.iter().map(|b| b.data as u64).collect();
    // The same data pointers in descriptors of 4 words with the pointer at word
    // `i % 4` and garbage in the others, for an `Inline { offset }` at each offset.
    let other_layouts: Vec<[u64; 4]> = (0..8)
        .map(|i| {
            let mut words = [0x6a6a_6a6a_6a6a_6a00 | i as u64; 4];
            words[i % 4] = expected[i];
            words
        })
        .collect();
    for conventions in EVERY_PAIR {
        for v8_layout in [true, false] {
            let mut fast = fx.fast(
                conventions,
                "buffers8",
                "(ptr, ptr, ptr, ptr, ptr, ptr, ptr, ptr)",
            );
            for i in 0..8 {
                let offset = if v8_layout { 8 } else { 8 * (i as i32 % 4) };
                let buffer = FastParam::Buffer(BufferAccess::Inline { offset });
                fast.set_param(i, buffer).unwrap();
            }
            let trampoline = fx.compile(&fast);
            let descriptors: Vec<*const c_void> = (0..8)
                .map(|i| {
                    if v8_layout {
                        (&raw const buffers[i]).cast()
                    } else {
                        other_layouts[i].as_ptr().cast()
                    }
                })
                .collect();
            let d = &descriptors;
            fx.arm(&expected, 0);
            // SAFETY: the entry has exactly these types; each descriptor lives.
            unsafe {
                call_entry!(
                    conventions.entry,
                    trampoline.code(),
                    fn(
                        *const c_void,
                        *const c_void,
                        *const c_void,
                        *const c_void,
                        *const c_void,
                        *const c_void,
                        *const c_void,
                        *const c_void,
                        *const c_void,
                        *mut c_void,
                    ),
                    receiver(),
                    d[0],
                    d[1],
                    d[2],
                    d[3],
                    d[4],
                    d[5],
                    d[6],
                    d[7],
                    options_pointer(),
                )
            };
            fx.assert_called_with(
                &expected,
                &format!("buffers8, {conventions}, V8 layout {v8_layout}"),
            );
        }
    }
}

// ---------------------------------------------------------------------------------
// Converted buffers.

/// Calls a `(buffer, i32) -> R` entry; returns the result's bits (`i32` results as
/// their 32 bits, `f64` as its 64).
///
/// # Safety
/// `code` is such an entry in convention `entry`, with options when `options`, whose
/// entry result is `f64` when `float` and `i32` otherwise.
unsafe fn call_converted(
    entry: Convention,
    code: *const c_void,
    float: bool,
    options: bool,
    buffer: &Buffer,
    x: i32,
) -> u64 {
    match (float, options) {
        (true, true) => call_entry!(
            entry,
            code,
            fn(*const c_void, *const Buffer, i32, *mut c_void) -> f64,
            receiver(),
            buffer,
            x,
            options_pointer(),
        )
        .to_bits(),
        (true, false) => call_entry!(
            entry,
            code,
            fn(*const c_void, *const Buffer, i32) -> f64,
            receiver(),
            buffer,
            x,
        )
        .to_bits(),
        (false, true) => u64::from(call_entry!(
            entry,
            code,
            fn(*const c_void, *const Buffer, i32, *mut c_void) -> u32,
            receiver(),
            buffer,
            x,
            options_pointer(),
        )),
        (false, false) => u64::from(call_entry!(
            entry,
            code,
            fn(*const c_void, *const Buffer, i32) -> u32,
            receiver(),
            buffer,
            x,
        )),
    }
}

#[test]
fn converted_buffer_failure_raises_once_and_returns_zero() {
    let fx = fixture();
    let ret: u64 = 0x4142_4344_c546_4748;
    for conventions in EVERY_PAIR {
        for (name, result) in [
            ("converted_i32", "i32"),
            ("converted_f64", "f64"),
            ("converted_i8", "i8"),
        ] {
            let float = result == "f64";
            // What a successful call returns, as the entry's result bits.
            let success_bits = match result {
                "i32" => u64::from(ret as u32),
                "i8" => u64::from(i32::from(ret as u8 as i8) as u32),
                _ => ret,
            };
            for options in [true, false] {
                for sentinel in [0, 0xdead_0000_0000_0001, u64::MAX] {
                    let mut fast = fx.fast(conventions, name, &format!("(ptr, i32) -> {result}"));
                    fast.options = options;
                    fast.set_param(0, fx.convert(sentinel)).unwrap();
                    let trampoline = fx.compile(&fast);
                    fx.set("fc_sentinel", sentinel);
                    let context =
                        format!("{name}, {conventions}, options {options}, sentinel {sentinel:#x}");

                    let failing = Buffer::failing(data_pointer(1));
                    fx.arm(&[], ret);
                    // SAFETY: the entry has these types.
                    let bits = unsafe {
                        call_converted(
                            conventions.entry,
                            trampoline.code(),
                            float,
                            options,
                            &failing,
                            -77,
                        )
                    };
                    fx.assert_raised(options, 1, &format!("{context}, failing"));
                    assert_eq!(bits, 0, "{context}: a failed call returns zero");

                    let buffer = Buffer::new(data_pointer(2));
                    let expected = [buffer.data as u64, -77i64 as u64];
                    fx.arm(&expected, ret);
                    // SAFETY: as above.
                    let bits = unsafe {
                        call_converted(
                            conventions.entry,
                            trampoline.code(),
                            float,
                            options,
                            &buffer,
                            -77,
                        )
                    };
                    fx.assert_called_with(&expected, &format!("{context}, converted"));
                    assert_eq!(fx.get("fc_convert_calls"), 1, "{context}");
                    assert_eq!(fx.get("fc_raise_calls"), 0, "{context}");
                    assert_eq!(bits, success_bits, "{context}: result");
                }
            }
        }
    }
}

/// `(converted, f64, inline, i8, converted, f32, u16) -> f64` with garbage in the
/// upper bits of the 32-bit values; returns the result's bits.
///
/// # Safety
/// `code` is that entry in convention `entry`.
unsafe fn call_mixed(
    entry: Convention,
    code: *const c_void,
    buffers: [&Buffer; 3],
    g: &mut Garbage,
) -> u64 {
    call_entry!(
        entry,
        code,
        fn(
            *const c_void,
            *const Buffer,
            f64,
            *const Buffer,
            u64,
            *const Buffer,
            f64,
            u64,
            *mut c_void,
        ) -> f64,
        receiver(),
        buffers[0],
        -1.25e-7,
        buffers[1],
        g.u32(-100i32 as u32),
        buffers[2],
        g.f32(3.75),
        g.u32(0xfedc),
        options_pointer(),
    )
    .to_bits()
}

#[test]
fn converted_buffers_keep_other_arguments_and_stop_at_the_first_failure() {
    let fx = fixture();
    let ret = 2.5f64.to_bits();
    let mut g = Garbage(Rng(0x3a));
    for conventions in EVERY_PAIR {
        let mut fast = fx.fast(
            conventions,
            "converted_mixed",
            "(ptr, f64, ptr, i8, ptr, f32, u16) -> f64",
        );
        fast.set_param(0, fx.convert(0)).unwrap();
        fast.set_param(2, FastParam::Buffer(BufferAccess::Inline { offset: 8 }))
            .unwrap();
        fast.set_param(4, fx.convert(0)).unwrap();
        let trampoline = fx.compile(&fast);
        fx.set("fc_sentinel", 0);
        let (a, b, d) = (
            Buffer::new(data_pointer(0xa)),
            Buffer::new(data_pointer(0xb)),
            Buffer::new(data_pointer(0xd)),
        );
        let expected = [
            a.data as u64,
            (-1.25e-7f64).to_bits(),
            b.data as u64,
            -100i64 as u64,
            d.data as u64,
            u64::from(3.75f32.to_bits()),
            0xfedc,
        ];
        fx.arm(&expected, ret);
        // SAFETY: the entry has these types.
        let bits =
            unsafe { call_mixed(conventions.entry, trampoline.code(), [&a, &b, &d], &mut g) };
        let context = format!("converted_mixed, {conventions}");
        fx.assert_called_with(&expected, &context);
        assert_eq!(bits, ret, "{context}: result");
        assert_eq!(fx.get("fc_convert_calls"), 2, "{context}");
        assert_eq!(fx.get("fc_raise_calls"), 0, "{context}");

        let d_fails = Buffer::failing(data_pointer(0xd));
        fx.arm(&[], ret);
        // SAFETY: as above.
        let bits = unsafe {
            call_mixed(
                conventions.entry,
                trampoline.code(),
                [&a, &b, &d_fails],
                &mut g,
            )
        };
        fx.assert_raised(true, 2, &format!("{context}, last buffer failing"));
        assert_eq!(bits, 0, "{context}: a failed call returns +0.0");

        let a_fails = Buffer::failing(data_pointer(0xa));
        fx.arm(&[], ret);
        // SAFETY: as above.
        let bits = unsafe {
            call_mixed(
                conventions.entry,
                trampoline.code(),
                [&a_fails, &b, &d_fails],
                &mut g,
            )
        };
        fx.assert_raised(
            true,
            1,
            &format!("{context}, both converted buffers failing"),
        );
        assert_eq!(bits, 0, "{context}: a failed call returns +0.0");
    }
}

// ---------------------------------------------------------------------------------
// Out-pointer results, struct results and struct arguments.

const CANARY: u64 = 0xcccc_cccc_cccc_cccc;

#[test]
fn out_pointer_64_bit_results() {
    let fx = fixture();
    let cases: [(i32, u64, u64); 3] = [
        (-7, 0xfedc_ba98_7654_3210, 0x8000_0000_0000_0001),
        (i32::MAX, 0, u64::MAX),
        (0, 1, 0x0000_0001_0000_0000),
    ];
    for conventions in EVERY_PAIR {
        for options in [true, false] {
            let mut fast = fx.fast(conventions, "out_u64", "(i32, u64) -> u64");
            fast.result = FastResult::OutPointer;
            fast.options = options;
            let suffix = if options { ", ptr" } else { "" };
            assert_eq!(
                fast.entry_signature().to_string(),
                format!("{} (ptr, i32, u64, ptr{suffix})", conventions.entry.name())
            );
            let trampoline = fx.compile(&fast);
            for (a, b, ret) in cases {
                let context = format!("out_u64({a}, {b:#x}), {conventions}, options {options}");
                let mut out = [CANARY; 4];
                let place = &raw mut out[1];
                let expected = [i64::from(a) as u64, b];
                fx.arm(&expected, ret);
                // SAFETY: the entry has these types; `place` is 8 writable bytes.
                unsafe {
                    if options {
                        call_entry!(
                            conventions.entry,
                            trampoline.code(),
                            fn(*const c_void, i32, u64, *mut u64, *mut c_void),
                            receiver(),
                            a,
                            b,
                            place,
                            options_pointer(),
                        )
                    } else {
                        call_entry!(
                            conventions.entry,
                            trampoline.code(),
                            fn(*const c_void, i32, u64, *mut u64),
                            receiver(),
                            a,
                            b,
                            place,
                        )
                    }
                };
                fx.assert_called_with(&expected, &context);
                assert_eq!(out, [CANARY, ret, CANARY, CANARY], "{context}");
            }
        }

        // The same target with a direct result, for comparison.
        let fast = fx.fast(conventions, "out_u64", "(i32, u64) -> u64");
        let trampoline = fx.compile(&fast);
        fx.arm(&[3, 4], 0xfeed_f00d_1234_5678);
        // SAFETY: the entry has these types.
        let direct = unsafe {
            call_entry!(
                conventions.entry,
                trampoline.code(),
                fn(*const c_void, i32, u64, *mut c_void) -> u64,
                receiver(),
                3,
                4,
                options_pointer(),
            )
        };
        fx.assert_called_with(&[3, 4], &format!("out_u64 direct, {conventions}"));
        assert_eq!(direct, 0xfeed_f00d_1234_5678, "{conventions}");

        let mut fast = fx.fast(conventions, "out_i64", "(i16, f64) -> i64");
        fast.result = FastResult::OutPointer;
        let trampoline = fx.compile(&fast);
        for (a, b, ret) in [
            (-32768i16, -0.5f64, i64::MIN + 5),
            (12345, 1e-300, -1),
            (-1, f64::INFINITY, i64::MAX),
        ] {
            let context = format!("out_i64({a}, {b}), {conventions}");
            let mut out = [CANARY; 4];
            let place = (&raw mut out[1]).cast::<i64>();
            let expected = [i64::from(a) as u64, b.to_bits()];
            fx.arm(&expected, ret as u64);
            // SAFETY: the entry has these types; `place` is 8 writable bytes.
            unsafe {
                call_entry!(
                    conventions.entry,
                    trampoline.code(),
                    fn(*const c_void, i32, f64, *mut i64, *mut c_void),
                    receiver(),
                    i32::from(a),
                    b,
                    place,
                    options_pointer(),
                )
            };
            fx.assert_called_with(&expected, &context);
            assert_eq!(out, [CANARY, ret as u64, CANARY, CANARY], "{context}");
        }
    }
}

/// A 48-byte result area full of 0xcc; the result goes at offset 8.
fn result_area() -> [u64; 6] {
    [CANARY; 6]
}

fn area_bytes(area: &[u64; 6]) -> Vec<u8> {
    area.iter().flat_map(|word| word.to_le_bytes()).collect()
}

/// The area after a correct store of `bytes` at offset 8.
fn area_with(bytes: &[u8]) -> Vec<u8> {
    let mut expected = area_bytes(&result_area());
    expected[8..8 + bytes.len()].copy_from_slice(bytes);
    expected
}

/// One struct-result call: the fast call of `name` with the target signature `target`
/// (whose entry prints as `entry` after the convention, when given) is made by `call`
/// with the entry's code and `out` (40 writable bytes at offset 8 of a canary area);
/// the target must see `expected` and its result `bytes` must land at `out`, nothing
/// else in the area changing.
#[allow(clippy::too_many_arguments)]
fn check_struct_result(
    fx: &Fixture,
    conventions: Conventions,
    name: &str,
    target: &str,
    entry: Option<&str>,
    expected: &[u64],
    bytes: &[u8],
    call: impl FnOnce(*const c_void, *mut u8),
) {
    let fast = fx.fast(conventions, name, target);
    if let Some(entry) = entry {
        assert_eq!(
            fast.entry_signature().to_string(),
            format!("{} {entry}", conventions.entry.name())
        );
    }
    let trampoline = fx.compile(&fast);
    let mut area = result_area();
    let out = (&raw mut area[1]).cast::<u8>();
    fx.arm(expected, 0);
    fx.set_ret_bytes(bytes);
    call(trampoline.code(), out);
    let context = format!("{name}, {conventions}");
    fx.assert_called_with(expected, &context);
    assert_eq!(area_bytes(&area), area_with(bytes), "{context}");
}

#[test]
fn struct_results_are_stored_through_out() {
    let fx = fixture();
    let pair_bytes: Vec<u8> = [-5i32, i32::MAX]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let triple_bytes: Vec<u8> = [1.5f64, -1e300, f64::MIN_POSITIVE]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let mut floats_bytes: Vec<u8> = [3.5f32, -1e-40]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    floats_bytes.extend(1e200f64.to_le_bytes());
    for conventions in EVERY_PAIR {
        let entry = conventions.entry;
        check_struct_result(
            &fx,
            conventions,
            "pair_result",
            "(i32, f64) -> {i32, i32}",
            Some("(ptr, i32, f64, ptr, ptr)"),
            &[-9i64 as u64, 0.25f64.to_bits()],
            &pair_bytes,
            // SAFETY: the entry has these types; `out` has 40 writable bytes.
            |code, out| unsafe {
                call_entry!(
                    entry,
                    code,
                    fn(*const c_void, i32, f64, *mut u8, *mut c_void),
                    receiver(),
                    -9,
                    0.25,
                    out,
                    options_pointer(),
                )
            },
        );

        let pair = Pair { a: i32::MIN, b: 77 };
        check_struct_result(
            &fx,
            conventions,
            "triple_result",
            "({i32, i32}, i8) -> {f64, f64, f64}",
            Some("(ptr, ptr, i32, ptr, ptr)"),
            &[i32::MIN as i64 as u64, 77, -3i64 as u64],
            &triple_bytes,
            // SAFETY: the entry has these types; `out` has 40 writable bytes.
            |code, out| unsafe {
                call_entry!(
                    entry,
                    code,
                    fn(*const c_void, *const Pair, i32, *mut u8, *mut c_void),
                    receiver(),
                    &pair,
                    -3,
                    out,
                    options_pointer(),
                )
            },
        );

        // Float pieces (xmm0 and xmm1 on System V; a hidden pointer on Windows x64).
        check_struct_result(
            &fx,
            conventions,
            "floats_result",
            "(f32, i8) -> {f32, f32, f64}",
            None,
            &[u64::from((-0.5f32).to_bits()), 99],
            &floats_bytes,
            // SAFETY: the entry has these types; `out` has 40 writable bytes.
            |code, out| unsafe {
                call_entry!(
                    entry,
                    code,
                    fn(*const c_void, f32, i32, *mut u8, *mut c_void),
                    receiver(),
                    -0.5,
                    99,
                    out,
                    options_pointer(),
                )
            },
        );
    }
}

#[test]
fn struct_arguments_arrive_as_pointers_to_their_bytes() {
    let fx = fixture();
    let pair = Pair { a: -123_456, b: 7 };
    let triple = Triple {
        x: -0.0,
        y: 1e-310,
        z: 65536.5,
    };
    let mut mix = MixBytes([0x9c, 0xab, 0xcd, 0xef, 0, 0, 0, 0]);
    mix.0[4..].copy_from_slice(&(-2.5f32).to_le_bytes());
    let (pair_before, triple_before, mix_before) = (pair, triple, mix);
    for conventions in EVERY_PAIR {
        let fast = fx.fast(
            conventions,
            "struct_args",
            "({i32, i32}, {f64, f64, f64}, i8, {u8, f32}, f32) -> f64",
        );
        assert_eq!(
            fast.entry_signature().to_string(),
            format!(
                "{} (ptr, ptr, ptr, i32, ptr, f32, ptr) -> f64",
                conventions.entry.name()
            )
        );
        let trampoline = fx.compile(&fast);
        let expected = [
            -123_456i64 as u64,
            7,
            (-0.0f64).to_bits(),
            1e-310f64.to_bits(),
            65536.5f64.to_bits(),
            -128i64 as u64,
            0x9c,
            u64::from((-2.5f32).to_bits()),
            u64::from(0.125f32.to_bits()),
        ];
        let ret = (-7.75f64).to_bits();
        fx.arm(&expected, ret);
        // SAFETY: the entry has these types; the structs live.
        let result = unsafe {
            call_entry!(
                conventions.entry,
                trampoline.code(),
                fn(
                    *const c_void,
                    *const Pair,
                    *const Triple,
                    i32,
                    *const MixBytes,
                    f32,
                    *mut c_void,
                ) -> f64,
                receiver(),
                &pair,
                &triple,
                -128,
                &mix,
                0.125,
                options_pointer(),
            )
        };
        let context = format!("struct_args, {conventions}");
        fx.assert_called_with(&expected, &context);
        assert_eq!(result.to_bits(), ret, "{context}: result");
        // The target scribbled on its copies, not on the caller's bytes.
        assert_eq!(pair, pair_before, "{context}");
        assert_eq!(triple.x.to_bits(), triple_before.x.to_bits(), "{context}");
        assert_eq!(triple, triple_before, "{context}");
        assert_eq!(mix, mix_before, "{context}");
    }
}

#[test]
fn invalid_fast_calls_are_errors() {
    let fx = fixture();
    let mut fast = fx.fast(EVERY_PAIR[0], "converted_i32", "(ptr, i32) -> i32");
    let before = fast.clone();
    let buffer = FastParam::Buffer(BufferAccess::Inline { offset: 8 });
    assert_eq!(
        fast.set_param(1, buffer.clone()),
        Err(FastCallError::BufferNotPtr {
            index: 1,
            found: Type::I32
        })
    );
    assert_eq!(
        fast.set_param(2, buffer.clone()),
        Err(FastCallError::NoSuchParam {
            index: 2,
            params: 2
        })
    );
    assert_eq!(fast, before, "a refused description changes nothing");
    let target = fast.target().clone();
    assert_eq!(
        FastCall::with_params(target, vec![FastParam::Value], fast.callee.clone()),
        Err(FastCallError::ParamCount {
            descriptions: 1,
            params: 2
        })
    );
}

// ---------------------------------------------------------------------------------
// Garbage in the upper bits.

#[test]
fn garbage_above_32_bit_entry_values_is_ignored() {
    let fx = fixture();
    let buffer = Buffer::new(data_pointer(0x99));
    let function = turbocall_function as *const c_void;
    let mut g = Garbage(Rng(0x6a2b));
    for conventions in EVERY_PAIR {
        // The _wide twins check the extension to 32 bits, which only System V
        // callees (clang's) rely on.
        let names: &[&str] = if conventions.target == Convention::SysV {
            &["turbo22", "turbo22_wide"]
        } else {
            &["turbo22"]
        };
        for name in names {
            let trampoline = fx.compile(&turbo22_fast(&fx, conventions, name));
            for (set, values) in TURBO22_SETS.iter().enumerate() {
                for round in 0..4 {
                    let expected = values.expected(buffer.data as u64, function as u64);
                    fx.arm(&expected, 0);
                    // SAFETY: 64-bit integer and f64 registers and stack slots hold
                    // the 32-bit values and f32s in their low halves.
                    unsafe {
                        values.call_dirty(
                            conventions.entry,
                            trampoline.code(),
                            &buffer,
                            function,
                            &mut g,
                        )
                    };
                    fx.assert_called_with(
                        &expected,
                        &format!("{name} with garbage, {conventions}, set {set}, round {round}"),
                    );
                }
            }
        }

        let names: &[&str] = if conventions.target == Convention::SysV {
            &["narrow12", "narrow12_wide"]
        } else {
            &["narrow12"]
        };
        for name in names {
            let trampoline = fx.compile(&fx.fast(conventions, name, NARROW12));
            for (set, values) in NARROW12_SETS.iter().enumerate() {
                for ret in I8_RETURNS {
                    let expected = values.expected();
                    fx.arm(&expected, ret);
                    // SAFETY: as above.
                    let result =
                        unsafe { values.call_dirty(conventions.entry, trampoline.code(), &mut g) };
                    let context =
                        format!("{name} with garbage, {conventions}, set {set}, C result {ret:#x}");
                    fx.assert_called_with(&expected, &context);
                    assert_eq!(result, i32::from(ret as u8 as i8), "{context}");
                }
            }
        }
    }
}

#[test]
fn bool_arguments_are_any_non_zero_32_bit_value() {
    let fx = fixture();
    let mut g = Garbage(Rng(0xb001));
    // (low 32 bits at the entry, what C sees).
    let bools: [(u32, u64); 5] = [
        (0, 0),
        (1, 1),
        (0x100, 1),
        (0x8000_0000, 1),
        (0xffff_fffe, 1),
    ];
    for conventions in EVERY_PAIR {
        let names: &[&str] = if conventions.target == Convention::SysV {
            &["bools", "bools_wide"]
        } else {
            &["bools"]
        };
        for name in names {
            let fast = fx.fast(conventions, name, "(bool, u8, bool, i16) -> bool");
            assert_eq!(
                fast.entry_signature().to_string(),
                format!(
                    "{} (ptr, u32, u32, u32, i32, ptr) -> u32",
                    conventions.entry.name()
                )
            );
            let trampoline = fx.compile(&fast);
            for (i, &(a, a_seen)) in bools.iter().enumerate() {
                let (c, c_seen) = bools[(i + 2) % bools.len()];
                for ret in [0u64, 1, 0xdead_beef_1234_5600, 0x0bad_0000_0000_ff01] {
                    let expected = [a_seen, 0xc8, c_seen, -2i64 as u64];
                    fx.arm(&expected, ret);
                    // SAFETY: the entry has these types, 64 bits wide.
                    let result = unsafe {
                        call_entry!(
                            conventions.entry,
                            trampoline.code(),
                            fn(*const c_void, u64, u64, u64, u64, *mut c_void) -> u32,
                            receiver(),
                            g.u32(a),
                            g.u32(0xc8),
                            g.u32(c),
                            g.u32(-2i32 as u32),
                            options_pointer(),
                        )
                    };
                    let context = format!("{name}({a:#x}, 200, {c:#x}, -2), {conventions}");
                    fx.assert_called_with(&expected, &context);
                    assert_eq!(result, (ret & 1) as u32, "{context}: C returned {ret:#x}");
                }
            }
        }
    }
}

#[test]
fn garbage_above_a_narrow_c_result_is_ignored() {
    let fx = fixture();
    let mut g = Garbage(Rng(0x7e5));
    // Low bits of the C result covering each type's sign and range edges.
    let lows: [u64; 10] = [
        0,
        1,
        0x7f,
        0x80,
        0xff,
        0x7fff,
        0x8000,
        0xffff,
        0x8000_0000,
        0xffff_ffff,
    ];
    for conventions in EVERY_PAIR {
        for (result, size) in [
            ("i8", 1),
            ("u8", 1),
            ("i16", 2),
            ("u16", 2),
            ("bool", 1),
            ("i32", 4),
            ("u32", 4),
            ("f32", 4),
        ] {
            let name = if result == "f32" {
                "raw_result_f64"
            } else {
                "raw_result"
            };
            let trampoline = fx.compile(&fx.fast(conventions, name, &format!("(i32) -> {result}")));
            for low in lows {
                if result == "bool" && low > 1 {
                    continue;
                }
                // The value in its low `size` bytes, garbage in every byte above.
                let ret = (g.high() | g.high() >> 32) & !mask(size) | (low & mask(size));
                let expected_result = match result {
                    "i8" => i32::from(ret as u8 as i8) as u32,
                    "u8" | "bool" => u32::from(ret as u8),
                    "i16" => i32::from(ret as u16 as i16) as u32,
                    "u16" => u32::from(ret as u16),
                    _ => ret as u32,
                };
                fx.arm(&[-3i64 as u64], ret);
                // SAFETY: the entry takes (ptr, i32, ptr) and returns a 32-bit integer
                // or an f32, read as its bits.
                let got = unsafe {
                    if result == "f32" {
                        call_entry!(
                            conventions.entry,
                            trampoline.code(),
                            fn(*const c_void, i32, *mut c_void) -> f32,
                            receiver(),
                            -3,
                            options_pointer(),
                        )
                        .to_bits()
                    } else {
                        call_entry!(
                            conventions.entry,
                            trampoline.code(),
                            fn(*const c_void, i32, *mut c_void) -> u32,
                            receiver(),
                            -3,
                            options_pointer(),
                        )
                    }
                };
                let context = format!("{name} as -> {result}, {conventions}, C returned {ret:#x}");
                fx.assert_called_with(&[-3i64 as u64], &context);
                assert_eq!(got, expected_result, "{context}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// Callee-saved registers.

/// Patterns for the callee-saved registers: rbx, rbp, r12-r15, rsi, rdi, xmm6-xmm15.
const PATTERNS: [u64; 18] = {
    let mut patterns = [0u64; 18];
    let mut i = 0;
    while i < 18 {
        patterns[i] = 0x1357_9bdf_2468_ac00 + i as u64;
        i += 1;
    }
    patterns
};

/// Calls a 4-argument entry with every callee-saved register of its convention set
/// to [`PATTERNS`]; returns their values after the call (and rax last).
///
/// # Safety
/// `code` is an entry in convention `entry` taking four integer or pointer arguments
/// and returning an integer.
unsafe fn call_checking_registers(
    entry: Convention,
    code: *const c_void,
    args: [u64; 4],
) -> [u64; 19] {
    let mut after = [0u64; 19];
    let out = after.as_mut_ptr();
    match entry {
        Convention::Win64 => std::arch::asm!(
            "push rbx",
            "push rbp",
            "push r12",
            "push r13",
            "push r14",
            "push r15",
            "push r10",
            "mov rbx, {p0}",
            "mov rbp, {p1}",
            "mov r12, {p2}",
            "mov r13, {p3}",
            "mov r14, {p4}",
            "mov r15, {p5}",
            "mov rsi, {p6}",
            "mov rdi, {p7}",
            "mov r11, {p8}",
            "movq xmm6, r11",
            "mov r11, {p9}",
            "movq xmm7, r11",
            "mov r11, {p10}",
            "movq xmm8, r11",
            "mov r11, {p11}",
            "movq xmm9, r11",
            "mov r11, {p12}",
            "movq xmm10, r11",
            "mov r11, {p13}",
            "movq xmm11, r11",
            "mov r11, {p14}",
            "movq xmm12, r11",
            "mov r11, {p15}",
            "movq xmm13, r11",
            "mov r11, {p16}",
            "movq xmm14, r11",
            "mov r11, {p17}",
            "movq xmm15, r11",
            // 7 pushes and 40 bytes keep rsp 16-aligned, with 32 bytes of shadow space.
            "sub rsp, 40",
            "call rax",
            "add rsp, 40",
            "mov r11, [rsp]",
            "mov [r11], rbx",
            "mov [r11 + 8], rbp",
            "mov [r11 + 16], r12",
            "mov [r11 + 24], r13",
            "mov [r11 + 32], r14",
            "mov [r11 + 40], r15",
            "mov [r11 + 48], rsi",
            "mov [r11 + 56], rdi",
            "movq [r11 + 64], xmm6",
            "movq [r11 + 72], xmm7",
            "movq [r11 + 80], xmm8",
            "movq [r11 + 88], xmm9",
            "movq [r11 + 96], xmm10",
            "movq [r11 + 104], xmm11",
            "movq [r11 + 112], xmm12",
            "movq [r11 + 120], xmm13",
            "movq [r11 + 128], xmm14",
            "movq [r11 + 136], xmm15",
            "mov [r11 + 144], rax",
            "pop r10",
            "pop r15",
            "pop r14",
            "pop r13",
            "pop r12",
            "pop rbp",
            "pop rbx",
            p0 = const PATTERNS[0],
            p1 = const PATTERNS[1],
            p2 = const PATTERNS[2],
            p3 = const PATTERNS[3],
            p4 = const PATTERNS[4],
            p5 = const PATTERNS[5],
            p6 = const PATTERNS[6],
            p7 = const PATTERNS[7],
            p8 = const PATTERNS[8],
            p9 = const PATTERNS[9],
            p10 = const PATTERNS[10],
            p11 = const PATTERNS[11],
            p12 = const PATTERNS[12],
            p13 = const PATTERNS[13],
            p14 = const PATTERNS[14],
            p15 = const PATTERNS[15],
            p16 = const PATTERNS[16],
            p17 = const PATTERNS[17],
            in("rax") code,
            in("r10") out,
            in("rcx") args[0],
            in("rdx") args[1],
            in("r8") args[2],
            in("r9") args[3],
            out("rsi") _,
            out("rdi") _,
            out("xmm6") _,
            out("xmm7") _,
            out("xmm8") _,
            out("xmm9") _,
            out("xmm10") _,
            out("xmm11") _,
            out("xmm12") _,
            out("xmm13") _,
            out("xmm14") _,
            out("xmm15") _,
            clobber_abi("win64"),
        ),
        Convention::SysV => std::arch::asm!(
            "push rbx",
            "push rbp",
            "push r12",
            "push r13",
            "push r14",
            "push r15",
            "push r10",
            "mov rbx, {p0}",
            "mov rbp, {p1}",
            "mov r12, {p2}",
            "mov r13, {p3}",
            "mov r14, {p4}",
            "mov r15, {p5}",
            // 7 pushes and 8 bytes keep rsp 16-aligned.
            "sub rsp, 8",
            "call rax",
            "add rsp, 8",
            "mov r11, [rsp]",
            "mov [r11], rbx",
            "mov [r11 + 8], rbp",
            "mov [r11 + 16], r12",
            "mov [r11 + 24], r13",
            "mov [r11 + 32], r14",
            "mov [r11 + 40], r15",
            "mov [r11 + 144], rax",
            "pop r10",
            "pop r15",
            "pop r14",
            "pop r13",
            "pop r12",
            "pop rbp",
            "pop rbx",
            p0 = const PATTERNS[0],
            p1 = const PATTERNS[1],
            p2 = const PATTERNS[2],
            p3 = const PATTERNS[3],
            p4 = const PATTERNS[4],
            p5 = const PATTERNS[5],
            in("rax") code,
            in("r10") out,
            in("rdi") args[0],
            in("rsi") args[1],
            in("rdx") args[2],
            in("rcx") args[3],
            clobber_abi("sysv64"),
        ),
        other => panic!("no register check for an entry in {other:?}"),
    }
    after
}

const REGISTER_NAMES: [&str; 18] = [
    "rbx", "rbp", "r12", "r13", "r14", "r15", "rsi", "rdi", "xmm6", "xmm7", "xmm8", "xmm9",
    "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15",
];

#[test]
fn entries_preserve_callee_saved_registers() {
    let fx = fixture();
    let mut g = Garbage(Rng(0x5afe));
    // The check can fail: the System V raise hook, called as a Windows x64 function,
    // clobbers rsi, rdi and xmm6-xmm15 (and records rdi as its options pointer).
    reset_counters(&fx.library, 0);
    let raise: *const c_void = fx.library.symbol("fc_raise");
    // SAFETY: `fc_raise` only records its argument and returns an integer.
    let after = unsafe { call_checking_registers(Convention::Win64, raise, [0; 4]) };
    for i in 6..18 {
        assert_ne!(
            after[i], PATTERNS[i],
            "the check missed a clobbered {}",
            REGISTER_NAMES[i]
        );
    }
    assert_eq!(after[..6], PATTERNS[..6], "System V preserves these too");
    for conventions in EVERY_PAIR {
        let mut fast = fx.fast(conventions, "converted_i32", "(ptr, i32) -> i32");
        fast.set_param(0, fx.convert(0)).unwrap();
        let trampoline = fx.compile(&fast);
        fx.set("fc_sentinel", 0);
        let preserved = if conventions.entry == Convention::Win64 {
            18
        } else {
            6
        };
        for failing in [false, true] {
            let buffer = if failing {
                Buffer::failing(data_pointer(0x5))
            } else {
                Buffer::new(data_pointer(0x5))
            };
            let expected = [buffer.data as u64, -9i64 as u64];
            fx.arm(&expected, 0x1234_5678);
            let args = [
                receiver() as u64,
                &raw const buffer as u64,
                g.u32(-9i32 as u32),
                options_pointer() as u64,
            ];
            // SAFETY: the entry takes (ptr, ptr, i32, ptr) and returns i32.
            let after =
                unsafe { call_checking_registers(conventions.entry, trampoline.code(), args) };
            let context = format!("converted_i32, {conventions}, failing {failing}");
            for i in 0..preserved {
                assert_eq!(
                    after[i], PATTERNS[i],
                    "{context}: {} not preserved",
                    REGISTER_NAMES[i]
                );
            }
            if failing {
                fx.assert_raised(true, 1, &context);
                assert_eq!(after[18] as u32, 0, "{context}");
            } else {
                fx.assert_called_with(&expected, &context);
                assert_eq!(after[18] as u32, 0x1234_5678, "{context}");
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// Random fast calls, differential against direct calls.

const RANDOM_SIGNATURES: usize = 200;
const RANDOM_VALUE_SETS: usize = 12;
const DEFAULT_SEED: u64 = 0x00fa_57ca_11ed;

/// How a random parameter arrives.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    Value,
    /// A descriptor with the data pointer at this offset.
    Inline(i32),
    /// A `struct fc_buffer` through the C converter.
    Convert,
}

/// A random fast call before its library exists.
#[derive(Clone, Debug)]
struct RandomSpec {
    target: Signature,
    entry: Convention,
    modes: Vec<Mode>,
    options: bool,
    out_pointer: bool,
    sentinel: u64,
}

fn random_convention(rng: &mut Rng) -> Convention {
    if rng.below(2) == 0 {
        Convention::SysV
    } else {
        Convention::Win64
    }
}

fn random_spec(rng: &mut Rng) -> RandomSpec {
    let target_convention = random_convention(rng);
    let entry = random_convention(rng);
    let count = rng.below(13);
    let params: Vec<Type> = (0..count)
        .map(|_| {
            if rng.below(6) == 0 {
                Type::Ptr
            } else {
                SCALARS[rng.below(SCALARS.len())].clone()
            }
        })
        .collect();
    let result = if rng.below(8) == 0 {
        Type::Void
    } else {
        SCALARS[rng.below(SCALARS.len())].clone()
    };
    let modes = params
        .iter()
        .map(|ty| match (ty, rng.below(4)) {
            (Type::Ptr, 0) => Mode::Inline(8 * rng.below(4) as i32),
            (Type::Ptr, 1) => Mode::Convert,
            _ => Mode::Value,
        })
        .collect();
    RandomSpec {
        target: Signature {
            convention: target_convention,
            params,
            result,
            variadic_from: None,
        },
        entry,
        modes,
        options: rng.below(4) != 0,
        out_pointer: rng.below(4) == 0,
        sentinel: match rng.below(3) {
            0 => 0,
            _ => rng.next_u64(),
        },
    }
}

fn is_signed(ty: &Type) -> bool {
    matches!(
        ty,
        Type::I8 | Type::I16 | Type::I32 | Type::I64 | Type::Isize
    )
}

/// Integers and `bool` that travel in 32 bits at the entry.
fn is_32_bit_entry_integer(ty: &Type) -> bool {
    matches!(
        ty,
        Type::Bool | Type::I8 | Type::U8 | Type::I16 | Type::U16 | Type::I32 | Type::U32
    )
}

/// Bits of a `size`-byte value.
fn mask(size: usize) -> u64 {
    if size >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * size)) - 1
    }
}

fn sign_extend(bits: u64, size: usize) -> u64 {
    let shift = 64 - 8 * size as u32;
    (((bits << shift) as i64) >> shift) as u64
}

/// The C parameter type: narrow integers and `bool` as the 32-bit integers they
/// travel in, so that the record shows the caller's extension.
fn c_param_type(ty: &Type) -> &'static str {
    match ty {
        Type::Bool | Type::U8 | Type::U16 | Type::U32 => "uint32_t",
        Type::I8 | Type::I16 | Type::I32 => "int32_t",
        Type::I64 | Type::Isize => "int64_t",
        Type::U64 | Type::Usize => "uint64_t",
        Type::F32 => "float",
        Type::F64 => "double",
        Type::Ptr => "void *",
        other => panic!("no {other} parameters"),
    }
}

/// How the C target records a parameter as 64 bits.
fn c_record(ty: &Type, name: &str) -> String {
    match ty {
        Type::F32 => format!("fc_f32_bits({name})"),
        Type::F64 => format!("fc_f64_bits({name})"),
        Type::Ptr => format!("(uint64_t)(uintptr_t){name}"),
        ty if is_signed(ty) => format!("(uint64_t)(int64_t){name}"),
        _ => format!("(uint64_t){name}"),
    }
}

fn random_symbol(index: usize) -> String {
    format!("fr{index}")
}

/// The C targets of `specs`: each records its arguments in `fc_seen` and returns
/// `fc_ret` (integer results all 64 bits of it, garbage above their width).
fn random_source(specs: &[RandomSpec]) -> String {
    let mut source = String::from(PRELUDE);
    for (index, spec) in specs.iter().enumerate() {
        let attribute = match spec.target.convention {
            Convention::Win64 => "__attribute__((ms_abi)) ",
            _ => "",
        };
        let (result, value) = match spec.target.result {
            Type::Void => ("void", ""),
            Type::F32 => ("float", "fc_ret_f32()"),
            Type::F64 => ("double", "fc_ret_f64()"),
            _ => ("uint64_t", "fc_ret"),
        };
        let params: Vec<String> = spec
            .target
            .params
            .iter()
            .enumerate()
            .map(|(i, ty)| format!("{} a{i}", c_param_type(ty)))
            .collect();
        let params = if params.is_empty() {
            "void".to_string()
        } else {
            params.join(", ")
        };
        source.push_str(&format!(
            "{attribute}{result} {}({params}) {{\n    fc_enter();\n",
            random_symbol(index)
        ));
        for (i, ty) in spec.target.params.iter().enumerate() {
            source.push_str(&format!(
                "    fc_seen[{i}] = {};\n",
                c_record(ty, &format!("a{i}"))
            ));
        }
        source.push_str(&format!(
            "    fc_seen_count = {};\n    return {value};\n}}\n",
            spec.target.params.len()
        ));
    }
    source
}

/// A random value's bits (its size, zero-extended; `bool` 0 or 1).
fn random_bits(ty: &Type, rng: &mut Rng) -> u64 {
    let size = ty.size();
    match ty {
        Type::Bool => rng.below(2) as u64,
        Type::F32 => match rng.below(6) {
            0 => 0,
            1 => 0x8000_0000,
            2 => u64::from(1.5f32.to_bits()),
            3 => 0x7fc0_0001,
            _ => rng.next_u64() & mask(4),
        },
        Type::F64 => match rng.below(6) {
            0 => 0,
            1 => 0x8000_0000_0000_0000,
            2 => (-2.75f64).to_bits(),
            3 => 0x7ff0_0000_0000_0001,
            _ => rng.next_u64(),
        },
        _ => {
            let bits = match rng.below(6) {
                0 => 0,
                1 => u64::MAX,
                2 => 1,
                3 => 1 << (8 * size - 1),
                4 => (1 << (8 * size - 1)) - 1,
                _ => rng.next_u64(),
            };
            bits & mask(size)
        }
    }
}

impl RandomSpec {
    fn fast_call(&self, library: &CLibrary, index: usize) -> FastCall {
        let mut fast = FastCall::new(
            self.target.clone(),
            library.symbol(&random_symbol(index)) as u64,
        );
        fast.entry = self.entry;
        fast.options = self.options;
        if self.out_pointer {
            fast.result = FastResult::OutPointer;
        }
        for (index, mode) in self.modes.iter().enumerate() {
            let param = match *mode {
                Mode::Value => FastParam::Value,
                Mode::Inline(offset) => FastParam::Buffer(BufferAccess::Inline { offset }),
                Mode::Convert => FastParam::Buffer(BufferAccess::Convert {
                    converter: (library.symbol("fc_convert") as u64).into(),
                    sentinel: self.sentinel,
                    raise: (library.symbol("fc_raise") as u64).into(),
                }),
            };
            fast.set_param(index, param).unwrap();
        }
        fast
    }

    /// The entry signature as this test reads the fast-call contract.
    fn entry_signature(&self) -> Signature {
        let mut params = vec![Type::Ptr];
        for (ty, mode) in self.target.params.iter().zip(&self.modes) {
            params.push(match (mode, ty) {
                (Mode::Value, ty) if is_32_bit_entry_integer(ty) => {
                    if is_signed(ty) {
                        Type::I32
                    } else {
                        Type::U32
                    }
                }
                (_, ty) => ty.clone(),
            });
        }
        if self.out_pointer {
            params.push(Type::Ptr);
        }
        if self.options {
            params.push(Type::Ptr);
        }
        let result = match &self.target.result {
            _ if self.out_pointer => Type::Void,
            ty if is_32_bit_entry_integer(ty) => {
                if is_signed(ty) {
                    Type::I32
                } else {
                    Type::U32
                }
            }
            ty => ty.clone(),
        };
        Signature {
            convention: self.entry,
            params,
            result,
            variadic_from: None,
        }
    }

    /// libffi's call interface for the entry: 32-bit integers described as 64-bit
    /// ones and `f32` as `f64`, so that their upper bits can carry garbage; a 32-bit
    /// result read from the whole register.
    fn entry_cif(&self) -> Cif {
        let signature = self.entry_signature();
        let widen = |ty: &Type| match ty {
            Type::I32 | Type::U32 => FfiType::u64(),
            Type::F32 => FfiType::f64(),
            ty => ffi_type(ty),
        };
        let result = match &signature.result {
            Type::I32 | Type::U32 => FfiType::u64(),
            ty => ffi_type(ty),
        };
        Cif::new_with_abi(
            signature.params.iter().map(widen),
            result,
            ffi_abi(self.entry),
        )
    }

    fn direct_cif(&self) -> Cif {
        cif(&self.target)
    }
}

/// What the C target records for a parameter of `ty` with `bits`, and which of its
/// bits are defined: a narrow integer's extension to 32 bits is checked for
/// System V targets only.
fn expected_record(ty: &Type, bits: u64, target: Convention) -> (u64, u64) {
    let size = ty.size();
    let record = if is_signed(ty) {
        sign_extend(bits, size)
    } else {
        bits
    };
    let defined = if size < 4 && target != Convention::SysV {
        mask(size)
    } else {
        u64::MAX
    };
    (record, defined)
}

/// Everything one random call needs.
struct RandomCall<'a> {
    library: &'a CLibrary,
    spec: &'a RandomSpec,
    fast: &'a FastCall,
    code: *const c_void,
    entry_cif: &'a Cif,
    direct_cif: &'a Cif,
}

/// How a random call went.
enum Outcome {
    Called,
    Raised,
}

impl RandomCall<'_> {
    /// One value set through libffi directly and through the entry; panics with
    /// `context` on any difference.
    fn run(&self, rng: &mut Rng, context: &str) -> Outcome {
        let spec = self.spec;
        let library = self.library;
        let target = &spec.target;
        let bits: Vec<u64> = target
            .params
            .iter()
            .zip(&spec.modes)
            .map(|(ty, mode)| {
                let bits = random_bits(ty, rng);
                // A converted pointer never equals the sentinel by accident.
                if *mode == Mode::Convert && bits == spec.sentinel {
                    bits ^ 0x10
                } else {
                    bits
                }
            })
            .collect();
        let ret = match target.result {
            Type::Bool => (rng.next_u64() & !0xff) | rng.below(2) as u64,
            _ => rng.next_u64(),
        };
        let result_size = match target.result {
            Type::Void => 0,
            ref ty => ty.size(),
        };
        let result_bits = ret & mask(result_size.max(1));
        let converted: Vec<usize> = (0..bits.len())
            .filter(|&i| spec.modes[i] == Mode::Convert)
            .collect();
        let failing = (!converted.is_empty() && rng.below(6) == 0)
            .then(|| converted[rng.below(converted.len())]);
        let context = format!("{context}, arguments {bits:#x?}, C result {ret:#x}");

        // Directly.
        let direct_seen = (failing.is_none()).then(|| {
            let slots = bits.clone();
            let args: Vec<Arg> = slots.iter().map(Arg::new).collect();
            let mut result = CANARY;
            reset_counters(library, ret);
            // SAFETY: the cif describes the C function; each argument's first bytes
            // hold the value; `result` is 8 bytes, enough for every scalar.
            unsafe {
                let out = if target.result.is_void() {
                    Ret::void()
                } else {
                    Ret::new(&mut result)
                };
                self.direct_cif.call_return_into(
                    CodePtr::from_ptr(spec_callee(self.fast)),
                    &args,
                    out,
                );
            }
            assert_eq!(
                read_global(library, "fc_calls"),
                1,
                "{context}: direct call"
            );
            if result_size > 0 {
                assert_eq!(
                    result & mask(result_size),
                    result_bits,
                    "{context}: direct result"
                );
            }
            seen_arguments(library)
        });

        // Through the entry, with garbage in the upper bits of 32-bit values.
        let mut garbage = Garbage(Rng(rng.next_u64()));
        let mut descriptors: Vec<[u64; 4]> = Vec::new();
        for (i, mode) in spec.modes.iter().enumerate() {
            let mut words = [rng.next_u64(); 4];
            match *mode {
                Mode::Value => {}
                Mode::Inline(offset) => words[offset as usize / 8] = bits[i],
                Mode::Convert => {
                    words[0] = if failing == Some(i) {
                        FAIL_LENGTH as u64
                    } else {
                        16
                    };
                    words[1] = bits[i];
                }
            }
            descriptors.push(words);
        }
        let mut out = [CANARY; 3];
        let mut entry_args: Vec<u64> = vec![receiver() as u64];
        for (i, (ty, mode)) in target.params.iter().zip(&spec.modes).enumerate() {
            entry_args.push(match mode {
                Mode::Value if is_32_bit_entry_integer(ty) => {
                    let low = if is_signed(ty) {
                        sign_extend(bits[i], ty.size())
                    } else {
                        bits[i]
                    };
                    garbage.u32(low as u32)
                }
                Mode::Value if *ty == Type::F32 => garbage.high() | bits[i],
                Mode::Value => bits[i],
                _ => descriptors[i].as_ptr() as u64,
            });
        }
        if spec.out_pointer {
            entry_args.push(&raw mut out[1] as u64);
        }
        if spec.options {
            entry_args.push(options_pointer() as u64);
        }
        let args: Vec<Arg> = entry_args.iter().map(Arg::new).collect();
        let entry_result_size = match self.entry_cif_result() {
            Type::Void => 0,
            ty => ty.size(),
        };
        let mut result = CANARY;
        reset_counters(library, ret);
        write_global(library, "fc_sentinel", spec.sentinel);
        // SAFETY: the cif describes the entry (with 32-bit values as 64-bit ones and
        // f32 as f64, which travel in the same registers and stack slots); every
        // argument is 8 bytes; descriptors and `out` live across the call.
        unsafe {
            let ret = if entry_result_size == 0 {
                Ret::void()
            } else {
                Ret::new(&mut result)
            };
            self.entry_cif
                .call_return_into(CodePtr::from_ptr(self.code), &args, ret);
        }
        let raised = read_global(library, "fc_raise_calls");
        let conversions = read_global(library, "fc_convert_calls");
        if let Some(failing) = failing {
            let calls = read_global(library, "fc_calls");
            assert_eq!(raised, 1, "{context}: raise calls for a failing #{failing}");
            assert_eq!(calls, 0, "{context}: target calls for a failing #{failing}");
            let before = converted.iter().filter(|&&i| i <= failing).count() as u64;
            assert_eq!(conversions, before, "{context}: converter calls");
            let options = if spec.options {
                options_pointer() as u64
            } else {
                0
            };
            assert_eq!(
                read_global(library, "fc_raise_options"),
                options,
                "{context}: raise's options"
            );
            if entry_result_size > 0 {
                assert_eq!(
                    result & mask(entry_result_size),
                    0,
                    "{context}: result of a failed call"
                );
            }
            return Outcome::Raised;
        }
        assert_eq!(raised, 0, "{context}: raise called");
        assert_eq!(
            conversions,
            converted.len() as u64,
            "{context}: converter calls"
        );
        assert_eq!(read_global(library, "fc_calls"), 1, "{context}: entry call");
        let entry_seen = seen_arguments(library);

        // Both saw the values; the entry's saw their 32-bit extension on System V.
        let direct_seen = direct_seen.expect("a direct call when nothing fails");
        assert_eq!(
            entry_seen.len(),
            bits.len(),
            "{context}: arguments recorded"
        );
        for (i, ty) in target.params.iter().enumerate() {
            let (record, defined) = expected_record(ty, bits[i], target.convention);
            let natural = mask(ty.size());
            assert_eq!(
                entry_seen[i] & defined,
                record & defined,
                "{context}: argument #{i} ({ty}) through the entry: saw {:#x}, expected {record:#x}",
                entry_seen[i]
            );
            assert_eq!(
                entry_seen[i] & natural,
                direct_seen[i] & natural,
                "{context}: argument #{i} ({ty}): through the entry {:#x}, directly {:#x}",
                entry_seen[i],
                direct_seen[i]
            );
        }

        if spec.out_pointer {
            // The value's own bytes; bytes of the slot beyond them may be written (the
            // slot layout extends integers), nothing outside the slot may.
            assert_eq!(
                [out[0], out[2]],
                [CANARY; 2],
                "{context}: out area {out:#x?}"
            );
            if result_size > 0 {
                assert_eq!(
                    out[1] & mask(result_size),
                    result_bits,
                    "{context}: result through out {:#x}",
                    out[1]
                );
            } else {
                assert_eq!(
                    out[1], CANARY,
                    "{context}: a void result stored through out"
                );
            }
        } else {
            assert_eq!(out, [CANARY; 3], "{context}: no out pointer");
            if entry_result_size > 0 {
                let entry_mask = mask(entry_result_size);
                assert_eq!(
                    result & entry_mask,
                    widened_result(&target.result, result_bits) & entry_mask,
                    "{context}: entry result {result:#x}"
                );
            }
        }
        Outcome::Called
    }

    /// The entry's result type as the test reads the contract.
    fn entry_cif_result(&self) -> Type {
        self.spec.entry_signature().result
    }
}

fn spec_callee(fast: &FastCall) -> *const c_void {
    match fast.callee {
        Callee::Address(address) => ptr::without_provenance(address as usize),
        Callee::Symbol(ref name) => panic!("a symbol callee `{name}` in a host fast call"),
    }
}

/// Builds the library of `specs`, checks each entry signature against the contract,
/// and compiles all fast calls in one batch.
fn build_random(
    engine: &Engine,
    name: &str,
    specs: &[RandomSpec],
) -> (CLibrary, Vec<FastCall>, Vec<NativeFunction>) {
    let library = common::build_c_library(name, &random_source(specs));
    let fasts: Vec<FastCall> = specs
        .iter()
        .enumerate()
        .map(|(index, spec)| spec.fast_call(&library, index))
        .collect();
    for (spec, fast) in specs.iter().zip(&fasts) {
        assert_eq!(
            fast.entry_signature(),
            spec.entry_signature(),
            "entry signature of {spec:?}"
        );
    }
    let trampolines = engine.fast_calls(&fasts).unwrap();
    (library, fasts, trampolines)
}

#[test]
fn random_fast_calls_agree_with_direct_calls() {
    let seed = common::seed(DEFAULT_SEED);
    eprintln!("seed {seed:#x} (replay with SPRINGBOARD_SEED={seed:#x})");
    let mut rng = Rng(seed);
    let specs: Vec<RandomSpec> = (0..RANDOM_SIGNATURES)
        .map(|_| random_spec(&mut rng))
        .collect();
    let engine = Engine::new().unwrap();
    let (library, fasts, trampolines) =
        build_random(&engine, &format!("fastcall_random_{seed:016x}"), &specs);
    let (mut called, mut raised) = (0usize, 0usize);
    for (index, ((spec, fast), trampoline)) in
        specs.iter().zip(&fasts).zip(&trampolines).enumerate()
    {
        let call = RandomCall {
            library: &library,
            spec,
            fast,
            code: trampoline.code(),
            entry_cif: &spec.entry_cif(),
            direct_cif: &spec.direct_cif(),
        };
        for set in 0..RANDOM_VALUE_SETS {
            let context = format!(
                "seed {seed:#x} (SPRINGBOARD_SEED={seed:#x}), #{index} `{}` entry {}, modes {:?}, \
                 options {}, out {}, sentinel {:#x}, value set {set}",
                spec.target,
                spec.entry.name(),
                spec.modes,
                spec.options,
                spec.out_pointer,
                spec.sentinel
            );
            match call.run(&mut rng, &context) {
                Outcome::Called => called += 1,
                Outcome::Raised => raised += 1,
            }
        }
    }
    eprintln!("{called} calls compared with direct calls, {raised} failed conversions");
    assert!(called >= 2000, "only {called} compared calls");
    assert!(raised > 0, "no failed conversion among the random calls");
}

#[test]
fn batch_of_25_fast_calls() {
    let seed = common::seed(DEFAULT_SEED) ^ 0xba7c;
    let mut rng = Rng(seed);
    // Mixed on purpose: every pair of conventions, out pointers, no options, buffers.
    let specs: Vec<RandomSpec> = (0..25)
        .map(|i| {
            let mut spec = random_spec(&mut rng);
            let conventions = EVERY_PAIR[i % 4];
            spec.target.convention = conventions.target;
            spec.entry = conventions.entry;
            spec.out_pointer = i % 5 == 0;
            spec.options = i % 3 != 0;
            if i % 2 == 0 {
                spec.target.params.push(Type::Ptr);
                spec.modes.push(if i % 4 == 0 {
                    Mode::Inline(8)
                } else {
                    Mode::Convert
                });
            }
            spec
        })
        .collect();
    let engine = Engine::new().unwrap();
    let (library, fasts, trampolines) =
        build_random(&engine, &format!("fastcall_batch_{seed:016x}"), &specs);
    assert_eq!(trampolines.len(), 25);
    let mut codes: Vec<usize> = trampolines.iter().map(|t| t.code() as usize).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), 25, "25 requests, 25 distinct trampolines");

    for (index, ((spec, fast), trampoline)) in
        specs.iter().zip(&fasts).zip(&trampolines).enumerate()
    {
        let call = RandomCall {
            library: &library,
            spec,
            fast,
            code: trampoline.code(),
            entry_cif: &spec.entry_cif(),
            direct_cif: &spec.direct_cif(),
        };
        for set in 0..4 {
            let context = format!(
                "batch seed {seed:#x}, #{index} `{}` entry {}, modes {:?}, options {}, out {}, set {set}",
                spec.target,
                spec.entry.name(),
                spec.modes,
                spec.options,
                spec.out_pointer
            );
            call.run(&mut rng, &context);
        }
        // Cached: asking again gives the same code.
        assert_eq!(
            engine.fast_call(fast).unwrap().code(),
            trampoline.code(),
            "#{index} again"
        );
    }
    let again = engine
        .fast_calls(&[fasts[3].clone(), fasts[7].clone(), fasts[3].clone()])
        .unwrap();
    assert_eq!(again[0].code(), trampolines[3].code());
    assert_eq!(again[1].code(), trampolines[7].code());
    assert_eq!(again[2].code(), trampolines[3].code());
}
