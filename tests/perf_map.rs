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

/// A `JIT_CODE_LOAD` record of a jitdump: address, size, name, code bytes.
type Load = (usize, usize, String, Vec<u8>);

/// The header's fields and the load records of a jitdump, every field checked
/// against the format (host byte order, sizes adding up).
fn parse_jitdump(bytes: &[u8]) -> ([u32; 6], Vec<Load>) {
    let u32_at = |at: usize| u32::from_ne_bytes(bytes[at..at + 4].try_into().unwrap());
    let u64_at = |at: usize| u64::from_ne_bytes(bytes[at..at + 8].try_into().unwrap());
    let header = [0, 4, 8, 12, 16, 20].map(u32_at);
    let mut at = header[2] as usize;
    let mut loads = Vec::new();
    let mut indices = HashSet::new();
    while at < bytes.len() {
        let (id, total) = (u32_at(at), u32_at(at + 4) as usize);
        assert_eq!(id, 0, "only JIT_CODE_LOAD records at {at}");
        let record = &bytes[at..at + total];
        assert_eq!(u32_at(at + 16), std::process::id(), "pid");
        let (vma, address, size, index) = (
            u64_at(at + 24),
            u64_at(at + 32) as usize,
            u64_at(at + 40) as usize,
            u64_at(at + 48),
        );
        assert_eq!(vma as usize, address, "vma is the code address");
        assert!(indices.insert(index), "code index {index} twice");
        let name_end = 56 + record[56..].iter().position(|&b| b == 0).unwrap();
        let name = String::from_utf8(record[56..name_end].to_vec()).unwrap();
        let code = record[name_end + 1..].to_vec();
        assert_eq!(code.len(), size, "{name}: code bytes of the record's size");
        loads.push((address, size, name, code));
        at += total;
    }
    assert_eq!(at, bytes.len(), "records end at the end of the file");
    (header, loads)
}

/// Whether this process maps `path` executable (the marker `perf inject` looks for).
fn mapped_executable(path: &std::path::Path) -> bool {
    let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
    let path = path.to_str().unwrap();
    maps.lines()
        .any(|line| line.ends_with(path) && line.split_whitespace().nth(1).unwrap().contains('x'))
}

#[test]
fn the_jitdump_has_a_load_record_with_the_code_of_every_live_trampoline() {
    let directory = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("jitdump");
    std::fs::create_dir_all(&directory).unwrap();
    let path = directory.join(format!("jit-{}.dump", std::process::id()));
    let _ = std::fs::remove_file(&path);

    // Off by default: no file.
    let quiet = Engine::new().unwrap();
    let (_listed, _handles) = one_of_each(&quiet);
    assert!(!path.exists(), "written without the option");

    let engine = Engine::with_options(EngineOptions {
        jitdump: Some(directory.clone()),
        ..EngineOptions::default()
    })
    .unwrap();
    let (listed, _handles) = one_of_each(&engine);
    let bytes = std::fs::read(&path).unwrap();
    let (header, loads) = parse_jitdump(&bytes);
    let machine = if cfg!(target_arch = "x86_64") {
        62
    } else {
        183
    };
    assert_eq!(
        header,
        [0x4A69_5444, 1, 40, machine, 0, std::process::id()],
        "magic, version, header size, ELF machine, padding, pid"
    );
    assert!(
        mapped_executable(&path),
        "the dump is not mapped executable"
    );
    for (address, size, name) in &listed {
        let load = loads
            .iter()
            .find(|(a, s, n, _)| (a, s, n) == (address, size, name))
            .unwrap_or_else(|| panic!("no record for {name} at {address:#x}+{size}"));
        // SAFETY: the trampoline is alive (its handle is in `_handles`) and readable.
        let code = unsafe { std::slice::from_raw_parts(*address as *const u8, *size) };
        assert_eq!(load.3, code, "{name}: the record's code bytes");
    }
    let _ = std::fs::remove_file(&path);
}

const PERF_CHILD_ENV: &str = "SB_PERF_CHILD";

extern "C" fn eight(a: i64, _: i64, _: i64, _: i64, _: i64, _: i64, _: i64, h: i64) -> i64 {
    a ^ h
}

/// Under `perf record` (`SB_PERF_CHILD=<directory>`): a jitdump in that directory and
/// a hot loop through one downcall, so that samples land in the trampoline. In the
/// suite's own run, a few calls of the same loop.
#[test]
fn child_runs_a_hot_downcall() {
    let directory = std::env::var_os(PERF_CHILD_ENV).map(std::path::PathBuf::from);
    let iterations = if directory.is_some() { 20_000_000 } else { 10 };
    let engine = Engine::with_options(EngineOptions {
        jitdump: directory,
        ..EngineOptions::default()
    })
    .unwrap();
    let downcall = engine
        .downcall(
            &"(i64, i64, i64, i64, i64, i64, i64, i64) -> i64"
                .parse()
                .unwrap(),
        )
        .unwrap();
    let raw = downcall.as_raw();
    let args: Vec<Slot> = (1..=8).map(Slot::from_i64).collect();
    let mut result = Slot::default();
    for _ in 0..iterations {
        // SAFETY: `eight` has the downcall's signature; one slot per parameter.
        unsafe { raw(eight as *const c_void, args.as_ptr(), &mut result) };
    }
    assert_eq!(result.as_i64(), 1 ^ 8);
}

#[test]
fn perf_inject_names_the_trampoline_from_the_jitdump() {
    let directory = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("perf-jit.{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let (data, injected) = (directory.join("perf.data"), directory.join("perf.jit.data"));
    let perf = |args: &[&std::ffi::OsStr]| {
        let output = std::process::Command::new("perf")
            .args(args)
            .env(PERF_CHILD_ENV, &directory)
            .output()
            .expect("run perf (scripts/install-test-deps.sh installs linux-perf)");
        assert!(
            output.status.success(),
            "perf {args:?}: {}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let exe = std::env::current_exe().unwrap();
    perf(&[
        "record".as_ref(),
        "-k".as_ref(),
        "mono".as_ref(),
        "-o".as_ref(),
        data.as_os_str(),
        "--".as_ref(),
        exe.as_os_str(),
        "--exact".as_ref(),
        "child_runs_a_hot_downcall".as_ref(),
        "--test-threads=1".as_ref(),
    ]);
    perf(&[
        "inject".as_ref(),
        "--jit".as_ref(),
        "-i".as_ref(),
        data.as_os_str(),
        "-o".as_ref(),
        injected.as_os_str(),
    ]);
    let report = perf(&[
        "report".as_ref(),
        "-i".as_ref(),
        injected.as_os_str(),
        "--stdio".as_ref(),
        "--sort".as_ref(),
        "sym".as_ref(),
    ]);
    let _ = std::fs::remove_dir_all(&directory);
    assert!(
        report.contains("springboard downcall (i64, i64, i64, i64, i64, i64, i64, i64) -> i64"),
        "perf report has no sample named after the trampoline:\n{report}"
    );
}
