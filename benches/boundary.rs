//! Boundary trampoline benchmarks: what the bookkeeping (entry SP/FP, exit FP/PC
//! stores, debug checks) costs per call.
//!
//! - array entry with no records vs the standard records (and with debug checks), and
//!   a plain downcall of the same signature for reference;
//! - native entry vs a direct call of the same function (and a native entry with no
//!   records, to separate the extra hop from the stores);
//! - array exit vs a plain callback of the same signature, native exit vs direct.
//!
//! `cargo bench --bench boundary` (about 25 s after the build) prints a Markdown
//! summary whose ratios all come from that run: medians of criterion's samples, read
//! back from the `estimates.json` files it wrote. Instruction counts: run the bench
//! executable under callgrind with `SPRINGBOARD_CALLGRIND=<variant>` (see
//! BENCHMARKS.md); only `callgrind_loop` is collected.

use criterion::Criterion;
use springboard::{
    ArrayBoundary, Bookkeeping, DebugChecks, Engine, NativeBoundary, RawArrayEntry, Signature, Slot,
};
use std::ffi::c_void;
use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

const SIGNATURE: &str = "(ptr, i64) -> i64";
const GROUP: &str = "boundary";
const MAGIC: u32 = 0x5b0a_4d1c;

type ArrayEntry = RawArrayEntry;
type Downcall = unsafe extern "C" fn(*const c_void, *const Slot, *mut Slot);
/// The C type of `(ptr, i64) -> i64`.
type Native = unsafe extern "C" fn(*mut c_void, i64) -> i64;

/// The runtime code every entry calls and the host function every native exit calls.
#[inline(never)]
extern "C" fn callee(_context: *mut c_void, x: i64) -> i64 {
    x.wrapping_add(1)
}

/// The handler of the array exit and the plain callback.
unsafe extern "C" fn handler(_: *mut c_void, args: *mut Slot, result: *mut Slot) {
    // SAFETY: (ptr, i64) -> i64: two argument slots and one result slot.
    unsafe {
        let x = (*args.add(1)).as_i64();
        result
            .cast::<Slot>()
            .write(Slot::from_i64(x.wrapping_add(1)));
    }
}

/// Every variant, compiled, and the context their records go to.
struct Variants {
    context: Box<[u64; 8]>,
    array_none: ArrayEntry,
    array_records: ArrayEntry,
    array_checked: ArrayEntry,
    downcall: Downcall,
    native_none: Native,
    native_records: Native,
    exit_records: Native,
    plain_callback: Native,
    native_exit: Native,
    _keep: Vec<Box<dyn std::any::Any>>,
}

fn no_records() -> Bookkeeping {
    Bookkeeping {
        context_param: 0,
        entry_sp: None,
        entry_fp: None,
        exit_fp: None,
        exit_pc: None,
        checks: None,
    }
}

impl Variants {
    fn new() -> Variants {
        let engine = Engine::new().unwrap();
        let signature: Signature = SIGNATURE.parse().unwrap();
        let array =
            |bookkeeping: Bookkeeping| ArrayBoundary::new(signature.clone(), bookkeeping).unwrap();
        let native = |bookkeeping: Bookkeeping| {
            let callee = callee as *const c_void as u64;
            NativeBoundary::new(signature.clone(), bookkeeping, callee).unwrap()
        };
        let mut checked = Bookkeeping::standard(0);
        checked.checks = Some(DebugChecks {
            magic_offset: 32,
            magic: MAGIC,
        });
        let array_entries = [
            array(no_records()),
            array(Bookkeeping::standard(0)),
            array(checked),
        ]
        .map(|boundary| engine.array_entry(&boundary).unwrap());
        let native_entries = [native(no_records()), native(Bookkeeping::standard(0))]
            .map(|boundary| engine.native_entry(&boundary).unwrap());
        let native_exit = engine
            .native_exit(&native(Bookkeeping::standard(0)))
            .unwrap();
        let downcall = engine.downcall(&signature).unwrap();
        let exit = engine
            .array_exit_raw(
                &array(Bookkeeping::standard(0)),
                handler,
                std::ptr::null_mut(),
            )
            .unwrap();
        let callback = engine
            .callback_raw(&signature, handler, std::ptr::null_mut())
            .unwrap();
        let mut context = Box::new([0u64; 8]);
        context[4] = u64::from(MAGIC);
        // SAFETY: `Native` is the Rust type of the C signature every native function
        // and callback here has.
        unsafe {
            Variants {
                context,
                array_none: array_entries[0].as_raw(),
                array_records: array_entries[1].as_raw(),
                array_checked: array_entries[2].as_raw(),
                native_none: native_entries[0].as_fn::<Native>().unwrap(),
                native_records: native_entries[1].as_fn::<Native>().unwrap(),
                downcall: downcall.as_raw(),
                exit_records: exit.as_fn::<Native>().unwrap(),
                plain_callback: callback.as_fn::<Native>().unwrap(),
                native_exit: native_exit.as_fn::<Native>().unwrap(),
                _keep: vec![
                    Box::new(array_entries),
                    Box::new(native_entries),
                    Box::new(native_exit),
                    Box::new(downcall),
                    Box::new(exit),
                    Box::new(callback),
                ],
            }
        }
    }

    fn ctx(&self) -> *mut c_void {
        self.context.as_ptr() as *mut c_void
    }

    /// Hands every variant to `visitor` as a closure `x -> x + 1` making one call, so
    /// that each measuring loop is compiled for its variant alone.
    fn visit_all(&self, visitor: &mut impl Visit) {
        let ctx = self.ctx();
        let callee_address = callee as *const c_void;
        let array = |entry: ArrayEntry| {
            move |x: i64| {
                let args = [Slot::from_ptr(ctx), Slot::from_i64(x)];
                let mut result = Slot::default();
                // SAFETY: two slots for (ptr, i64); callee has that signature.
                unsafe {
                    black_box(entry)(black_box(callee_address), args.as_ptr(), &mut result, 2)
                };
                result.as_i64()
            }
        };
        // SAFETY: each function has the Native type.
        let native = |function: Native| move |x: i64| unsafe { black_box(function)(ctx, x) };
        let downcall = self.downcall;
        visitor.visit("direct", native(callee));
        visitor.visit("downcall", move |x: i64| {
            let args = [Slot::from_ptr(ctx), Slot::from_i64(x)];
            let mut result = Slot::default();
            // SAFETY: as for the array entries.
            unsafe { black_box(downcall)(black_box(callee_address), args.as_ptr(), &mut result) };
            result.as_i64()
        });
        visitor.visit("array_no_records", array(self.array_none));
        visitor.visit("array_records", array(self.array_records));
        visitor.visit("array_records_checked", array(self.array_checked));
        visitor.visit("native_no_records", native(self.native_none));
        visitor.visit("native_records", native(self.native_records));
        visitor.visit("native_exit", native(self.native_exit));
        visitor.visit("plain_callback", native(self.plain_callback));
        visitor.visit("exit_records", native(self.exit_records));
    }
}

/// Something done with each variant's one-call closure.
trait Visit {
    fn visit<F: Fn(i64) -> i64>(&mut self, name: &'static str, call: F);
}

/// Checks every variant computes `x + 1`.
struct Check;

impl Visit for Check {
    fn visit<F: Fn(i64) -> i64>(&mut self, name: &'static str, call: F) {
        assert_eq!(call(41), 42, "{name}");
    }
}

/// Benchmarks every variant in one criterion group.
struct Bench<'a>(criterion::BenchmarkGroup<'a, criterion::measurement::WallTime>);

impl Visit for Bench<'_> {
    fn visit<F: Fn(i64) -> i64>(&mut self, name: &'static str, call: F) {
        self.0.bench_function(name, |b| {
            let mut x = 0i64;
            b.iter(|| {
                x = call(black_box(x));
                x
            })
        });
    }
}

/// Runs one variant `n` times inside [`callgrind_loop`].
struct Callgrind {
    wanted: String,
    n: i64,
    ran: bool,
}

/// The loop callgrind collects in: `n` dependent calls.
#[inline(never)]
fn callgrind_loop<F: Fn(i64) -> i64>(call: F, n: i64) -> i64 {
    let mut x = 0;
    for _ in 0..n {
        x = call(black_box(x));
    }
    x
}

impl Visit for Callgrind {
    fn visit<F: Fn(i64) -> i64>(&mut self, name: &'static str, call: F) {
        if name == self.wanted {
            assert_eq!(callgrind_loop(call, self.n), self.n);
            self.ran = true;
        }
    }
}

/// The median ns of a benchmark, when criterion wrote it during this run.
fn median_ns(id: &str, since: SystemTime) -> Option<f64> {
    let path = PathBuf::from(std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into()))
        .join("criterion")
        .join(GROUP)
        .join(id)
        .join("new/estimates.json");
    if std::fs::metadata(&path).ok()?.modified().ok()? < since {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let median = &text[text.find("\"median\"")?..];
    let key = "\"point_estimate\":";
    let number = &median[median.find(key)? + key.len()..];
    let end = number.find([',', '}'])?;
    number[..end].trim().parse().ok()
}

fn summary(since: SystemTime) -> String {
    let ns = |id: &str| median_ns(id, since);
    let mut out =
        String::from("| variant | median ns | vs baseline | baseline |\n|---|---|---|---|\n");
    let rows = [
        ("direct", None),
        ("downcall", Some("direct")),
        ("array_no_records", Some("downcall")),
        ("array_records", Some("array_no_records")),
        ("array_records_checked", Some("array_records")),
        ("native_no_records", Some("direct")),
        ("native_records", Some("native_no_records")),
        ("native_exit", Some("direct")),
        ("plain_callback", Some("direct")),
        ("exit_records", Some("plain_callback")),
    ];
    for (id, baseline) in rows {
        let value = ns(id);
        let ratio = baseline.and_then(|b| Some(value? / ns(b)?));
        out.push_str(&format!(
            "| `{id}` | {} | {} | {} |\n",
            value.map_or("-".into(), |v| format!("{v:.2}")),
            ratio.map_or("-".into(), |r| format!("{r:.2}×")),
            baseline.map_or("-".into(), |b| format!("`{b}`")),
        ));
    }
    out
}

fn main() {
    let variants = Variants::new();
    variants.visit_all(&mut Check);
    if let Ok(wanted) = std::env::var("SPRINGBOARD_CALLGRIND") {
        let n = std::env::var("SPRINGBOARD_CALLGRIND_N").map_or(100_000, |n| n.parse().unwrap());
        if wanted == "empty" {
            assert_eq!(callgrind_loop(|x| x + 1, n), n);
        } else {
            let mut callgrind = Callgrind {
                wanted,
                n,
                ran: false,
            };
            variants.visit_all(&mut callgrind);
            assert!(callgrind.ran, "unknown variant {}", callgrind.wanted);
        }
        return;
    }
    let since = SystemTime::now();
    let mut criterion = Criterion::default()
        .sample_size(40)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(1500))
        .configure_from_args();
    variants.visit_all(&mut Bench(criterion.benchmark_group(GROUP)));
    criterion.final_summary();
    println!(
        "\n## Boundary trampolines, per call (median ns, one run)\n\n{}",
        summary(since)
    );
}
