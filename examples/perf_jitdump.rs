//! A hot loop through a downcall, for trying the perf jitdump by hand:
//!
//! ```sh
//! cargo build --release --example perf_jitdump
//! perf record -k mono -o perf.data -- target/release/examples/perf_jitdump /tmp
//! perf inject --jit -i perf.data -o perf.jit.data
//! perf report -i perf.jit.data --stdio --sort sym   # "springboard downcall (i64) -> i64"
//! ```
//!
//! The argument is the directory the dump goes to (`jit-<pid>.dump`).

use springboard::{Engine, EngineOptions, Value};

extern "C" fn step(x: i64) -> i64 {
    x.wrapping_mul(6364136223846793005).wrapping_add(1)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let directory = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let engine = Engine::with_options(EngineOptions {
        jitdump: Some(directory.into()),
        ..EngineOptions::default()
    })?;
    let downcall = engine.downcall(&"(i64) -> i64".parse()?)?;
    let mut x = Value::I64(1);
    for _ in 0..3_000_000 {
        // SAFETY: `step` has exactly the downcall's signature.
        x = unsafe { downcall.call(step as *const _, &[x])? };
    }
    println!("{x:?}");
    Ok(())
}
