//! The engine's promises: caching, batches, concurrency, W^X, and freeing code.

use springboard::{Engine, EngineOptions, Signature, Slot, Type};
use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

extern "C" fn sum4(a: i64, b: i64, c: i64, d: i64) -> i64 {
    a.wrapping_add(b.wrapping_mul(3))
        .wrapping_add(c.wrapping_mul(5))
        .wrapping_add(d.wrapping_mul(7))
}

extern "C" fn mix(a: i64, b: f64, c: i32, d: f32) -> f64 {
    a as f64 + b * 2.0 + c as f64 * 3.0 + d as f64 * 4.0
}

const SUM4: *const c_void = sum4 as *const c_void;
const MIX: *const c_void = mix as *const c_void;

/// Types that travel exactly like `i64` (same register class, all 64 bits used).
const WORD_TYPES: [Type; 5] = [Type::I64, Type::U64, Type::Isize, Type::Usize, Type::Ptr];

/// The `index`-th of 3125 distinct signatures that `sum4` can be called through.
fn word_signature(index: usize) -> Signature {
    let mut rest = index;
    let mut pick = || {
        let ty = WORD_TYPES[rest % 5].clone();
        rest /= 5;
        ty
    };
    let params = vec![pick(), pick(), pick(), pick()];
    Signature::new(params, pick())
}

fn call_sum4(engine: &Engine, signature: &Signature, uncached: bool, seed: i64) {
    let downcall = if uncached {
        engine.downcall_uncached(signature).unwrap()
    } else {
        engine.downcall(signature).unwrap()
    };
    let args = [seed, seed ^ 0x55, -seed, 12345].map(Slot::from_i64);
    let mut result = Slot::default();
    // SAFETY: every word signature is ABI-identical to sum4's; four slots.
    unsafe { downcall.call_raw(SUM4, args.as_ptr(), &mut result) };
    assert_eq!(
        result.as_i64(),
        sum4(seed, seed ^ 0x55, -seed, 12345),
        "{signature}"
    );
}

/// Resident set size in bytes.
fn resident_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: usize = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

/// Mappings of this process that are writable and executable at once.
fn writable_and_executable_mappings() -> Vec<String> {
    std::fs::read_to_string("/proc/self/maps")
        .unwrap()
        .lines()
        .filter(|line| {
            let perms = line.split_whitespace().nth(1).unwrap_or("");
            perms.contains('w') && perms.contains('x')
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn the_cache_returns_the_same_code_and_uncached_compiles_do_not() {
    let engine = Engine::new().unwrap();
    let signature: Signature = "(i64, i64, i64, i64) -> i64".parse().unwrap();
    let first = engine.downcall(&signature).unwrap();
    let second = engine.downcall(&signature).unwrap();
    assert_eq!(first.as_raw() as usize, second.as_raw() as usize);
    let other = engine.downcall(&word_signature(7)).unwrap();
    assert_ne!(first.as_raw() as usize, other.as_raw() as usize);
    let uncached = engine.downcall_uncached(&signature).unwrap();
    assert_ne!(first.as_raw() as usize, uncached.as_raw() as usize);
    assert_eq!(engine.cached(), 2);
    // The same signature text parsed again is the same key.
    let reparsed = engine
        .downcall(&signature.to_string().parse().unwrap())
        .unwrap();
    assert_eq!(first.as_raw() as usize, reparsed.as_raw() as usize);
}

#[test]
fn code_is_freed_when_the_last_user_is_gone() {
    let engine = Engine::new().unwrap();
    let handles: Vec<_> = (0..50)
        .map(|i| engine.downcall(&word_signature(i)).unwrap())
        .collect();
    assert!(engine.memory_stats().live_bytes > 0);
    engine.clear_cache();
    assert!(
        engine.memory_stats().live_bytes > 0,
        "handles keep their code"
    );
    let survivor = handles[3].clone();
    drop(handles);
    let stats = engine.memory_stats();
    assert_eq!(stats.live_bytes, survivor.code_size(), "{stats:?}");
    let args = [1, 2, 3, 4].map(Slot::from_i64);
    let mut result = Slot::default();
    // SAFETY: word signatures are ABI-identical to sum4's; four slots.
    unsafe { survivor.call_raw(SUM4, args.as_ptr(), &mut result) };
    assert_eq!(result.as_i64(), sum4(1, 2, 3, 4));
    drop(survivor);
    assert_eq!(engine.memory_stats().live_bytes, 0);
}

#[test]
fn batches_are_packed_together_and_share_the_cache() {
    let engine = Engine::new().unwrap();
    let cached = engine.downcall(&word_signature(0)).unwrap();
    let signatures: Vec<Signature> = (0..200).map(word_signature).collect();
    let batch = engine.downcalls(&signatures).unwrap();
    assert_eq!(batch[0].as_raw() as usize, cached.as_raw() as usize);
    for (downcall, signature) in batch.iter().zip(&signatures) {
        assert_eq!(downcall.signature(), signature);
        call_sum4(&engine, signature, false, 77);
    }
    let stats = engine.memory_stats();
    // Dense packing: mapped memory is the live code rounded up to whole pages, plus
    // at most one page per install for the page the batch started in.
    assert!(
        stats.mapped_bytes <= stats.live_bytes + 3 * 4096,
        "not densely packed: {stats:?}"
    );
}

#[test]
fn single_compiles_are_packed_densely_too() {
    let engine = Engine::new().unwrap();
    let handles: Vec<_> = (0..300)
        .map(|i| engine.downcall(&word_signature(i)).unwrap())
        .collect();
    let stats = engine.memory_stats();
    let per_page = 4096 / handles[0].code_size();
    assert!(
        stats.pages <= handles.len() / per_page + 2,
        "{} trampolines of {} bytes took {} pages",
        handles.len(),
        handles[0].code_size(),
        stats.pages
    );
    for (i, handle) in handles.iter().enumerate() {
        call_sum4(&engine, handle.signature(), false, i as i64);
    }
}

#[test]
fn eight_threads_compile_and_call_at_once_and_no_page_is_ever_writable_and_executable() {
    let engine = Engine::new().unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let watcher = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            let mut samples = 0;
            while !stop.load(Ordering::Relaxed) {
                let bad = writable_and_executable_mappings();
                assert!(bad.is_empty(), "W+X mappings: {bad:?}");
                samples += 1;
            }
            samples
        })
    };
    let workers: Vec<_> = (0..8)
        .map(|thread| {
            let engine = engine.clone();
            std::thread::spawn(move || {
                let mix_sig: Signature = "(i64, f64, i32, f32) -> f64".parse().unwrap();
                for i in 0..400 {
                    // Shared signatures race on the cache; uncached ones force new code
                    // into pages other threads are running code from.
                    call_sum4(&engine, &word_signature(i % 64), false, i as i64);
                    call_sum4(
                        &engine,
                        &word_signature(thread * 300 + i),
                        true,
                        -(i as i64),
                    );
                    let downcall = engine.downcall(&mix_sig).unwrap();
                    let args = [
                        Slot::from_i64(i as i64),
                        Slot::from_f64(0.25),
                        Slot::from_i32(-(thread as i32)),
                        Slot::from_f32(1.5),
                    ];
                    let mut result = Slot::default();
                    // SAFETY: `mix` has this signature; four slots.
                    unsafe { downcall.call_raw(MIX, args.as_ptr(), &mut result) };
                    assert_eq!(result.as_f64(), mix(i as i64, 0.25, -(thread as i32), 1.5));
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    let samples = watcher.join().unwrap();
    assert!(samples > 0, "the W^X watcher never looked");
}

#[test]
fn compiling_and_dropping_100_000_trampolines_keeps_memory_flat() {
    let engine = Engine::with_options(EngineOptions {
        cache_capacity: 64,
        ..EngineOptions::default()
    })
    .unwrap();
    // Warm up allocators, the context pool and the cache before measuring.
    for i in 0..2000 {
        call_sum4(&engine, &word_signature(i), i % 2 == 0, i as i64);
    }
    let before = resident_bytes();
    let pages_before = engine.memory_stats().pages;
    for i in 0..100_000 {
        // Half bypass the cache; half cycle through 3125 signatures with room for 64
        // in the cache, so every one of them misses and evicts.
        call_sum4(&engine, &word_signature(i % 3125), i % 2 == 0, i as i64);
    }
    let after = resident_bytes();
    let growth = after.saturating_sub(before);
    assert!(
        growth < 16 << 20,
        "resident memory grew by {} KiB over 100,000 trampolines",
        growth >> 10
    );
    let stats = engine.memory_stats();
    assert!(
        stats.pages <= pages_before + 16,
        "code pages grew from {pages_before} to {}",
        stats.pages
    );
    assert!(writable_and_executable_mappings().is_empty());
}

#[test]
fn handles_are_send_and_sync() {
    fn send_and_sync<T: Send + Sync>() {}
    send_and_sync::<Engine>();
    send_and_sync::<springboard::Downcall>();
    send_and_sync::<springboard::Callback>();
    send_and_sync::<springboard::NativeFunction>();
    send_and_sync::<springboard::ArrayEntry>();
    send_and_sync::<springboard::Value>();
}

/// Requests for `count` distinct downcall signatures: the binary digits of `n + 1`
/// after its leading one, as `i64` (0) and `f64` (1) parameters.
fn distinct_requests(count: usize) -> Vec<springboard::Request> {
    (1..=count)
        .map(|n| {
            let digits = usize::BITS - 1 - n.leading_zeros();
            let params: Vec<&str> = (0..digits)
                .map(|bit| if n >> bit & 1 == 1 { "f64" } else { "i64" })
                .collect();
            let signature = format!("({}) -> i32", params.join(", "));
            springboard::Request::Downcall(signature.parse().unwrap())
        })
        .collect()
}

#[test]
fn a_batch_on_several_threads_compiles_what_one_thread_does_in_request_order() {
    let compiler = springboard::Compiler::host(&springboard::CompilerOptions::default()).unwrap();
    let requests = distinct_requests(100);
    let alone = compiler.compile_many(&requests, 1).unwrap();
    let parallel = compiler.compile_many(&requests, 4).unwrap();
    assert_eq!(parallel.len(), requests.len());
    for (index, (a, p)) in alone.iter().zip(&parallel).enumerate() {
        assert_eq!(a.bytes, p.bytes, "request {index} ({})", requests[index]);
    }
}

#[test]
fn a_batch_on_several_threads_reports_the_first_failing_request() {
    let target: springboard::Target = "x86_64-unknown-linux-gnu".parse().unwrap();
    let options = springboard::CompilerOptions::default();
    let compiler = springboard::Compiler::for_target(target, &options).unwrap();
    let mut requests = distinct_requests(64);
    // AAPCS64 signatures do not lower for an x86-64 target.
    let foreign = |text: &str| {
        let signature: Signature = text.parse().unwrap();
        springboard::Request::Downcall(signature.with_convention(springboard::Convention::Aapcs64))
    };
    requests[40] = foreign("(i32) -> i32");
    requests[20] = foreign("(f64) -> f64");
    let expected = compiler.compile(&requests[20]).unwrap_err().to_string();
    for threads in [1, 2, 4] {
        let error = compiler.compile_many(&requests, threads).unwrap_err();
        assert_eq!(error.to_string(), expected, "{threads} threads");
    }
}

#[test]
fn engine_batches_use_the_threads_they_are_given() {
    let signatures: Vec<Signature> = distinct_requests(64)
        .iter()
        .map(|request| request.signature().clone())
        .collect();
    for compile_threads in [1, 2] {
        let engine = Engine::with_options(EngineOptions {
            compile_threads,
            ..EngineOptions::default()
        })
        .unwrap();
        let downcalls = engine.downcalls(&signatures).unwrap();
        for (downcall, signature) in downcalls.iter().zip(&signatures) {
            assert_eq!(downcall.signature(), signature);
            assert!(downcall.runs_compiled_code());
        }
    }
}
