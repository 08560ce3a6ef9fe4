//! The perf map option: every live trampoline listed in `/tmp/perf-<pid>.map` with its
//! address, size and name, and the same names through the API.

use springboard::{
    ArrayBoundary, Engine, EngineOptions, FastCall, NativeBoundary, Signature, Slot,
};
use std::collections::HashSet;
use std::ffi::c_void;

extern "C" fn callee(_: *mut c_void, x: i32) -> i32 {
    x
}

unsafe extern "C" fn handler(_: *mut c_void, _: *mut Slot, _: *mut Slot) {}

/// A perf map line: address, size, name.
type Line = (usize, usize, String);

/// The handles that keep trampolines alive.
type Handles = Vec<Box<dyn std::any::Any>>;

/// The line of every trampoline of one of each kind, and the handles.
fn one_of_each(engine: &Engine) -> (Vec<Line>, Handles) {
    let signature: Signature = "(ptr, i32) -> i32".parse().unwrap();
    let native = NativeBoundary::standard(signature.clone(), callee as *const () as u64).unwrap();
    let array = ArrayBoundary::standard(signature.clone()).unwrap();
    let mut listed = Vec::new();
    let mut handles: Handles = Vec::new();

    let downcall = engine.downcall(&signature).unwrap();
    listed.push((
        downcall.as_raw() as usize,
        downcall.code_size(),
        downcall.name().to_string(),
    ));
    handles.push(Box::new(downcall));
    // More callbacks than one chunk of instances holds.
    for _ in 0..20 {
        let callback = engine
            .callback_raw(&signature, handler, std::ptr::null_mut())
            .unwrap();
        listed.push((
            callback.code() as usize,
            callback.code_size(),
            callback.name().to_string(),
        ));
        handles.push(Box::new(callback));
    }
    let exit = engine
        .array_exit_raw(&array, handler, std::ptr::null_mut())
        .unwrap();
    listed.push((
        exit.code() as usize,
        exit.code_size(),
        exit.name().to_string(),
    ));
    handles.push(Box::new(exit));
    for entry in [
        engine
            .fast_call(&FastCall::new(
                signature.clone(),
                callee as *const () as u64,
            ))
            .unwrap(),
        engine.native_entry(&native).unwrap(),
        engine.native_exit(&native).unwrap(),
    ] {
        listed.push((
            entry.code() as usize,
            entry.code_size(),
            entry.name().to_string(),
        ));
        handles.push(Box::new(entry));
    }
    let entry = engine.array_entry(&array).unwrap();
    listed.push((
        entry.code() as usize,
        entry.code_size(),
        entry.name().to_string(),
    ));
    handles.push(Box::new(entry));
    (listed, handles)
}

/// The lines of this process's perf map, parsed.
fn perf_map() -> HashSet<Line> {
    let path = format!("/tmp/perf-{}.map", std::process::id());
    let Ok(text) = std::fs::read_to_string(&path) else {
        return HashSet::new();
    };
    text.lines()
        .map(|line| {
            let mut fields = line.splitn(3, ' ');
            let mut hex = || usize::from_str_radix(fields.next().unwrap(), 16).unwrap();
            let (address, size) = (hex(), hex());
            (address, size, fields.next().unwrap().to_string())
        })
        .collect()
}

#[test]
fn every_live_trampoline_is_in_the_perf_map_with_its_address_size_and_name() {
    let names = [
        "springboard downcall (ptr, i32) -> i32",
        "springboard callback (ptr, i32) -> i32",
        "springboard exit (ptr, i32) -> i32",
        "springboard fastcall (ptr, i32) -> i32",
        "springboard entry (ptr, i32) -> i32",
    ];

    // Off by default: names through the API, nothing written.
    let quiet = Engine::new().unwrap();
    let (listed, _handles) = one_of_each(&quiet);
    for (_, _, name) in &listed {
        assert!(names.contains(&name.as_str()), "{name}");
    }
    let map = perf_map();
    for entry in &listed {
        assert!(!map.contains(entry), "listed without the option: {entry:?}");
    }

    let engine = Engine::with_options(EngineOptions {
        perf_map: true,
        ..EngineOptions::default()
    })
    .unwrap();
    let (listed, _handles) = one_of_each(&engine);
    let map = perf_map();
    for entry in &listed {
        assert!(map.contains(entry), "not in the perf map: {entry:?}");
    }
    let kinds: HashSet<&str> = listed.iter().map(|(_, _, name)| name.as_str()).collect();
    assert_eq!(kinds.len(), names.len(), "{kinds:?}");
    let _ = std::fs::remove_file(format!("/tmp/perf-{}.map", std::process::id()));
}
