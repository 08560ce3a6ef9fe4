//! What live and dropped trampolines cost in memory: mappings (VMAs), memory in use
//! per live downcall, and memory in use leveling off over create/drop cycles.
//!
//! Linux only (the figures come from `/proc/self`). The tests share one process and
//! measure the whole of it, so they run one at a time (a lock), each measuring the
//! growth around its own work.

#![cfg(target_os = "linux")]

use springboard::{Engine, Signature, Slot, Type};
use std::ffi::c_void;
use std::sync::Mutex;

/// The tests measure the whole process: one at a time.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

extern "C" fn sum6(a: i64, b: i64, c: i64, d: i64, e: i64, f: i64) -> i64 {
    a.wrapping_add(b.wrapping_mul(3))
        .wrapping_add(c.wrapping_mul(5))
        .wrapping_add(d.wrapping_mul(7))
        .wrapping_add(e.wrapping_mul(11))
        .wrapping_add(f.wrapping_mul(13))
}

/// Types that travel exactly like `i64`.
const WORD_TYPES: [Type; 5] = [Type::I64, Type::U64, Type::Isize, Type::Usize, Type::Ptr];

/// The `index`-th of 78,125 distinct signatures `sum6` can be called through.
fn word_signature(index: usize) -> Signature {
    let mut rest = index;
    let mut pick = || {
        let ty = WORD_TYPES[rest % 5].clone();
        rest /= 5;
        ty
    };
    let params: Vec<Type> = (0..6).map(|_| pick()).collect();
    Signature::new(params, pick())
}

/// Calls `downcall` (one of the word signatures) and checks the result.
fn check_call(downcall: &springboard::Downcall, seed: i64) {
    let args = [seed, 2, -3, 4, seed ^ 0x55, 6].map(Slot::from_i64);
    let mut result = Slot::default();
    // SAFETY: every word signature is ABI-identical to sum6's; six slots.
    unsafe { downcall.call_raw(sum6 as *const c_void, args.as_ptr(), &mut result) };
    assert_eq!(result.as_i64(), sum6(seed, 2, -3, 4, seed ^ 0x55, 6));
}

fn mappings() -> usize {
    std::fs::read_to_string("/proc/self/maps")
        .unwrap()
        .lines()
        .count()
}

/// Memory this process holds, in bytes: resident private memory plus every page of
/// springboard's code files (a memfd's pages count whether this process has them
/// mapped in or not, and are not counted twice where it has).
fn memory_in_use() -> usize {
    use std::os::unix::fs::MetadataExt;
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let kib = |field: &str| -> usize {
        let line = status.lines().find(|l| l.starts_with(field)).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    };
    let private = (kib("RssAnon:") + kib("RssFile:")) * 1024;
    let code: usize = std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .flatten()
        .filter(|entry| {
            std::fs::read_link(entry.path()).is_ok_and(|target| {
                target
                    .to_string_lossy()
                    .starts_with("/memfd:springboard-code")
            })
        })
        .filter_map(|entry| std::fs::metadata(entry.path()).ok())
        .map(|meta| meta.blocks() as usize * 512)
        .sum();
    private + code
}

#[test]
fn ten_thousand_downcalls_compiled_one_at_a_time_leave_few_mappings() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let engine = Engine::new().unwrap();
    check_call(&engine.downcall(&word_signature(0)).unwrap(), 1);
    let before = mappings();
    let live: Vec<_> = (1..=10_000)
        .map(|i| engine.downcall(&word_signature(i)).unwrap())
        .collect();
    let grown = mappings().saturating_sub(before);
    println!("mappings added by 10,000 downcalls compiled one at a time: {grown}");
    // Every install after the first writes into a page holding live code; 10,000
    // trampolines are ~1.3 MB of code, two regions.
    assert!(grown <= 4, "10,000 downcalls left {grown} more mappings");
    for (i, downcall) in live.iter().enumerate().step_by(251) {
        check_call(downcall, i as i64);
    }
    let stats = engine.memory_stats();
    assert!(stats.mappings <= 2, "{stats:?}");
}

/// One create/drop cycle in `engine`: 2,000 downcalls compiled one at a time, one
/// batch of 500, and 20,000 callbacks, everything called once, then dropped and the
/// cache cleared.
fn cycle(engine: &Engine, round: usize) {
    unsafe extern "C" fn handler(context: *mut c_void, args: *mut Slot, result: *mut Slot) {
        // SAFETY: two slots in, one out (the callbacks' signature).
        unsafe { *result = Slot::from_i64((*args).as_i64() + context as i64) };
    }
    let base = round * 2500;
    let single: Vec<_> = (0..2000)
        .map(|i| engine.downcall(&word_signature(base + i)).unwrap())
        .collect();
    let batch_signatures: Vec<Signature> = (2000..2500).map(|i| word_signature(base + i)).collect();
    let batch = engine.downcalls(&batch_signatures).unwrap();
    for (i, downcall) in single.iter().chain(&batch).enumerate().step_by(97) {
        check_call(downcall, i as i64);
    }
    let signature: Signature = "(i64, i64) -> i64".parse().unwrap();
    let callbacks: Vec<_> = (0..20_000)
        .map(|i| {
            engine
                .callback_raw(&signature, handler, i as *mut c_void)
                .unwrap()
        })
        .collect();
    for (i, callback) in callbacks.iter().enumerate().step_by(997) {
        // SAFETY: `(i64, i64) -> i64` is this Rust type; the callback is alive.
        let f = unsafe { callback.as_fn::<extern "C" fn(i64, i64) -> i64>() }.unwrap();
        assert_eq!(f(5, 0), 5 + i as i64);
    }
    drop((single, batch, callbacks));
    engine.clear_cache();
}

#[test]
fn resident_memory_levels_off_over_create_drop_cycles() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    // glibc raises its mmap threshold to the size of a freed mmapped block (up to
    // 32 MiB), so the callback vector of the second cycle comes from the heap and stays
    // resident after the third: a one-time step of the allocator's policy, not memory
    // springboard holds. A fixed threshold turns that adaptation off.
    #[cfg(target_env = "gnu")]
    // SAFETY: mallopt only changes the allocator's policy for later allocations.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 << 10)
    };
    let engine = Engine::new().unwrap();
    cycle(&engine, 0);
    cycle(&engine, 1);
    let before = memory_in_use();
    for round in 2..12 {
        cycle(&engine, round);
    }
    assert_eq!(engine.memory_stats().live_bytes, 0);
    let growth = memory_in_use().saturating_sub(before);
    assert!(
        growth <= 1 << 20,
        "ten create/drop cycles after two grew memory in use by {} KiB",
        growth >> 10
    );
}

/// Resident memory per live downcall, code included: 10,000 distinct signatures
/// compiled one at a time through the cache and kept alive.
#[test]
fn resident_memory_per_live_downcall() {
    let _alone = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    let engine = Engine::new().unwrap();
    // Warm up the compiler's scratch and the allocator.
    let warm: Vec<_> = (100_000..101_000)
        .map(|i| engine.downcall(&word_signature(i % 78_125)).unwrap())
        .collect();
    drop(warm);
    engine.clear_cache();
    let signatures: Vec<Signature> = (0..10_000).map(word_signature).collect();
    let before = memory_in_use();
    let live: Vec<_> = signatures
        .iter()
        .map(|s| engine.downcall(s).unwrap())
        .collect();
    let per = (memory_in_use().saturating_sub(before)) as f64 / live.len() as f64;
    for (i, downcall) in live.iter().enumerate().step_by(499) {
        check_call(downcall, i as i64);
    }
    let stats = engine.memory_stats();
    let code = stats.mapped_bytes as f64 / live.len() as f64;
    let exec = stats.live_bytes as f64 / live.len() as f64;
    println!(
        "bytes in use per live downcall: {per:.0} (code pages {code:.0}, executable bytes \
         per trampoline {exec:.0})"
    );
    assert!(exec <= 128.0, "{exec:.0} bytes of code per trampoline");
    // ~505 here; ~700 when every compile registered an `.eh_frame` section of its own
    // (a CIE, the FDE, a box, libgcc's object record) instead of its FDE in its
    // address group's section; 871 resident bytes (RSS alone, which undercounts)
    // before the cache kept a downcall's signature once, names were made on demand
    // and a trampoline registered alone lost its reference count and range vector.
    assert!(per <= 600.0, "{per:.0} bytes in use per live downcall");
}
