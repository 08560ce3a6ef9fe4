//! What unwind registration (`EngineOptions::unwind_info`) costs: compiles (one and a
//! batch of 16 in one call) and callback creation, each with registration on and off.
//!
//! `cargo bench --bench unwind` runs the criterion benchmarks, then the interleaved
//! comparison (every variant in turn, many short rounds, so that load on a shared
//! machine hits on and off alike) and prints its table. With
//! `SPRINGBOARD_CALLGRIND=<variant>:<n>` it runs one variant `n` times inside
//! `callgrind_loop` and exits, for `scripts/callgrind-unwind.sh`.

#[path = "support/report.rs"]
mod report;

use criterion::Criterion;
use springboard::{Callback, Engine, EngineOptions, Signature, Slot};
use std::ffi::c_void;
use std::time::Duration;

unsafe extern "C" fn handler(_: *mut c_void, _: *mut Slot, _: *mut Slot) {}

/// An engine with registration on or off; `cache_capacity` 0 makes every compile
/// install new code.
fn engine(unwind_info: bool, cache_capacity: usize) -> Engine {
    Engine::with_options(EngineOptions {
        unwind_info,
        cache_capacity,
        ..EngineOptions::default()
    })
    .unwrap()
}

/// Per setting (on, off): an engine that caches nothing, for compiles, and a caching
/// one whose callback pool is compiled, with a callback kept alive so that a created
/// callback takes a slot of an existing chunk.
struct Fixture {
    signature: Signature,
    batch: Vec<Signature>,
    compiling: [Engine; 2],
    callbacks: [(Engine, Callback); 2],
}

impl Fixture {
    fn new() -> Fixture {
        let signature: Signature = "(i32, i32) -> i32".parse().unwrap();
        let callbacks = [true, false].map(|on| {
            let engine = engine(on, 4096);
            let kept = engine
                .callback_raw(&signature, handler, std::ptr::null_mut())
                .unwrap();
            (engine, kept)
        });
        Fixture {
            batch: vec![signature.clone(); 16],
            signature,
            compiling: [engine(true, 0), engine(false, 0)],
            callbacks,
        }
    }
}

/// The operations measured, by name; `on` selects the engine.
const OPERATIONS: [&str; 4] = ["compile", "compile_batch16", "callback", "callback_64_held"];

/// Runs operation `name` once with the engine `on` selects.
fn run(fixture: &Fixture, name: &str, on: bool) {
    let setting = usize::from(!on);
    let compiling = &fixture.compiling[setting];
    let engine = &fixture.callbacks[setting].0;
    match name {
        "compile" => drop(compiling.downcall_uncached(&fixture.signature).unwrap()),
        "compile_batch16" => drop(compiling.downcalls(&fixture.batch).unwrap()),
        "callback" => drop(
            engine
                .callback_raw(&fixture.signature, handler, std::ptr::null_mut())
                .unwrap(),
        ),
        "callback_64_held" => {
            // 64 held at once: the pool prepares (and registers) new chunks, and
            // releases them when they empty.
            let held: Vec<Callback> = (0..64)
                .map(|_| {
                    engine
                        .callback_raw(&fixture.signature, handler, std::ptr::null_mut())
                        .unwrap()
                })
                .collect();
            drop(held);
        }
        other => panic!("unknown operation {other}"),
    }
}

fn criterion_benches(c: &mut Criterion, fixture: &Fixture) {
    let mut group = c.benchmark_group("unwind_registration");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    for name in OPERATIONS {
        for on in [true, false] {
            let label = format!("{name}_{}", if on { "on" } else { "off" });
            group.bench_function(label, |b| b.iter(|| run(fixture, name, on)));
        }
    }
    group.finish();
}

/// The interleaved comparison as a markdown table: median per operation, on and off.
fn compare(fixture: &Fixture) -> String {
    let (rounds, turn) = report::rounds();
    let mut variants: Vec<report::Variant<'_>> = Vec::new();
    for name in OPERATIONS {
        for on in [true, false] {
            variants.push((
                name,
                Box::new(move |n| report::repeat(n, || run(fixture, name, on))),
            ));
        }
    }
    let medians = report::interleaved(&mut variants, rounds, turn);
    let mut out = format!(
        "Interleaved, {rounds} rounds of {turn:?} turns, medians (µs per operation):\n\n\
         | operation | `unwind_info: true` | `unwind_info: false` | on / off |\n|---|---|---|---|\n"
    );
    for (name, pair) in OPERATIONS.iter().zip(medians.chunks(2)) {
        out += &format!(
            "| {name} | {:.3} | {:.3} | {} |\n",
            pair[0] / 1000.0,
            pair[1] / 1000.0,
            report::fmt_ratio(report::ratio(Some(pair[0]), Some(pair[1])))
        );
    }
    out
}

fn main() {
    let fixture = Fixture::new();
    if let Ok(spec) = std::env::var("SPRINGBOARD_CALLGRIND") {
        let (variant, n) = spec.split_once(':').expect("<operation>_<on|off>:<n>");
        let n: u64 = n.parse().expect("n is a number");
        let (name, setting) = variant.rsplit_once('_').expect("<operation>_<on|off>");
        let on = match setting {
            "on" => true,
            "off" => false,
            other => panic!("{other}: on or off"),
        };
        report::callgrind_loop(n, || run(&fixture, name, on));
        return;
    }
    if std::env::var_os("SPRINGBOARD_COMPARE").is_none() {
        let mut criterion = Criterion::default().configure_from_args();
        criterion_benches(&mut criterion, &fixture);
        criterion.final_summary();
    }
    if report::benchmarking() {
        println!("{}", compare(&fixture));
    }
}
