//! Unwinding through installed trampolines: C++ exceptions thrown by a callee reach a
//! C++ caller through every kind of trampoline, `_Unwind_Backtrace` from a callee lists
//! the frames below the trampoline, and freed trampolines leave no registration behind.
//!
//! The C++ side is tests/c/unwind.cc, built with the C++ compiler the `cc` crate finds.
//! Cases whose failure is an abort (a throw that finds no unwind information) run in a
//! child process: this test binary again, selected with `SB_UNWIND_CHILD`.

mod common;

use springboard::{
    ArrayBoundary, Downcall, Engine, EngineOptions, FastCall, NativeBoundary, RawArrayEntry,
    RawHandler, Signature,
};
use std::ffi::c_void;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// How a C++ caller's call ended (`Outcome` in unwind.cc).
const RETURNED: i32 = 0;
const CAUGHT: i32 = 1;

type Native = unsafe extern "C" fn(*mut c_void, i32) -> i32;
type Fast = unsafe extern "C" fn(*mut c_void, *mut c_void, i32, *mut c_void) -> i32;

/// The C++ library, built once per process (a child reuses its parent's build).
struct Cpp {
    path: PathBuf,
    library: libloading::Library,
}

impl Cpp {
    fn symbol(&self, name: &str) -> *const c_void {
        // SAFETY: only the address is taken; callers give it its C type.
        unsafe {
            *self
                .library
                .get::<*const c_void>(name.as_bytes())
                .unwrap_or_else(|e| panic!("{name} in {}: {e}", self.path.display()))
        }
    }
}

const LIBRARY_ENV: &str = "SB_UNWIND_LIBRARY";
const CHILD_ENV: &str = "SB_UNWIND_CHILD";

fn cpp() -> &'static Cpp {
    static CPP: OnceLock<Cpp> = OnceLock::new();
    CPP.get_or_init(|| {
        let path = match std::env::var_os(LIBRARY_ENV) {
            Some(path) => PathBuf::from(path),
            None => build_cpp(),
        };
        // SAFETY: our own library; its initialisers are the C++ runtime's.
        let library = unsafe { libloading::Library::new(&path) }
            .unwrap_or_else(|e| panic!("load {}: {e}", path.display()));
        Cpp { path, library }
    })
}

fn build_cpp() -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/c/unwind.cc");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("unwind");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("libsb_unwind.{}.so", std::process::id()));
    let output = common::cpp_compiler()
        .args(["-shared", "-fPIC", "-Wall", "-o"])
        .arg(&path)
        .arg(&source)
        .output()
        .expect("run the C++ compiler");
    assert!(
        output.status.success(),
        "C++ compiler failed on {}:\n{}",
        source.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    path
}

/// The trampoline kinds, each reaching `sb_callee` from a C++ caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Downcall,
    Callback,
    FastCall,
    EntryNative,
    ExitNative,
    EntryArray,
    ExitArray,
}

const KINDS: [Kind; 7] = [
    Kind::Downcall,
    Kind::Callback,
    Kind::FastCall,
    Kind::EntryNative,
    Kind::ExitNative,
    Kind::EntryArray,
    Kind::ExitArray,
];

impl Kind {
    fn parse(name: &str) -> Kind {
        *KINDS
            .iter()
            .find(|kind| format!("{kind:?}") == name)
            .unwrap_or_else(|| panic!("no kind {name}"))
    }
}

/// A live trampoline of one kind and the C++ caller that calls it.
struct Live {
    kind: Kind,
    code: usize,
    size: usize,
    caller: &'static str,
    call: Box<dyn Fn(i32) -> (i32, i32)>,
    _handle: Box<dyn std::any::Any>,
}

fn signature() -> Signature {
    "(ptr, i32) -> i32".parse().unwrap()
}

fn native_boundary() -> NativeBoundary {
    NativeBoundary::standard(signature(), cpp().symbol("sb_callee") as u64).unwrap()
}

/// Calls `caller(trampoline, context, x, &value)` with a fresh record area as context.
fn via<T: Copy + 'static>(caller: &'static str, trampoline: T) -> Box<dyn Fn(i32) -> (i32, i32)> {
    let function = cpp().symbol(caller);
    Box::new(move |x| {
        let mut context = [0u64; 8];
        let mut value = 0;
        // SAFETY: every caller has the type `(T, void *, int32_t, int32_t *) -> int32_t`
        // for the trampoline type T it is paired with below.
        let caller = unsafe {
            std::mem::transmute::<
                *const c_void,
                unsafe extern "C" fn(T, *mut c_void, i32, *mut i32) -> i32,
            >(function)
        };
        // SAFETY: the trampoline reaches `sb_callee` with the context and `x`.
        let outcome = unsafe { caller(trampoline, context.as_mut_ptr().cast(), x, &mut value) };
        (outcome, value)
    })
}

fn handler() -> RawHandler {
    // SAFETY: `sb_handler` is a raw callback handler.
    unsafe { std::mem::transmute::<*const c_void, RawHandler>(cpp().symbol("sb_handler")) }
}

fn make(engine: &Engine, kind: Kind) -> Live {
    let (code, size, caller, call, handle): (usize, usize, _, _, Box<dyn std::any::Any>) =
        match kind {
            Kind::Downcall => {
                return downcall_live(engine.downcall_uncached(&signature()).unwrap())
            }
            Kind::Callback | Kind::ExitArray => {
                let callback = if kind == Kind::Callback {
                    engine.callback_raw(&signature(), handler(), std::ptr::null_mut())
                } else {
                    let boundary = ArrayBoundary::standard(signature()).unwrap();
                    engine.array_exit_raw(&boundary, handler(), std::ptr::null_mut())
                }
                .unwrap();
                // SAFETY: the callback has the C type `(ptr, i32) -> i32`.
                let native = unsafe { callback.as_fn::<Native>() }.unwrap();
                (
                    callback.code() as usize,
                    callback.code_size(),
                    "sb_call_native",
                    via("sb_call_native", native),
                    Box::new(callback),
                )
            }
            Kind::FastCall => {
                let fast = FastCall::new(signature(), cpp().symbol("sb_callee") as u64);
                let entry = engine.fast_call(&fast).unwrap();
                // SAFETY: the entry of a default fast call of `(ptr, i32) -> i32`:
                // receiver, the two values, the options pointer.
                let function = unsafe { entry.as_fn::<Fast>() }.unwrap();
                (
                    entry.code() as usize,
                    entry.code_size(),
                    "sb_call_fast",
                    via("sb_call_fast", function),
                    Box::new(entry),
                )
            }
            Kind::EntryNative | Kind::ExitNative => {
                let entry = if kind == Kind::EntryNative {
                    engine.native_entry(&native_boundary())
                } else {
                    engine.native_exit(&native_boundary())
                }
                .unwrap();
                // SAFETY: a native boundary has its signature's C type.
                let native = unsafe { entry.as_fn::<Native>() }.unwrap();
                (
                    entry.code() as usize,
                    entry.code_size(),
                    "sb_call_native",
                    via("sb_call_native", native),
                    Box::new(entry),
                )
            }
            Kind::EntryArray => {
                let entry = engine
                    .array_entry(&ArrayBoundary::standard(signature()).unwrap())
                    .unwrap();
                let function: RawArrayEntry = entry.as_raw();
                (
                    entry.code() as usize,
                    entry.code_size(),
                    "sb_call_array_entry",
                    via("sb_call_array_entry", function),
                    Box::new(entry),
                )
            }
        };
    Live {
        kind,
        code,
        size,
        caller,
        call,
        _handle: handle,
    }
}

/// A downcall of `(ptr, i32) -> i32` as a [`Live`].
fn downcall_live(downcall: Downcall) -> Live {
    let raw = downcall.as_raw();
    Live {
        kind: Kind::Downcall,
        code: raw as usize,
        size: downcall.code_size(),
        caller: "sb_call_downcall",
        call: via("sb_call_downcall", raw),
        _handle: Box::new(downcall),
    }
}

fn engine(unwind_info: bool) -> Engine {
    Engine::with_options(EngineOptions {
        unwind_info,
        ..EngineOptions::default()
    })
    .unwrap()
}

// ---------------------------------------------------------------------------------
// backtraces

/// The module base and nearest symbol of an address (`dladdr`).
fn symbolise(address: usize) -> Option<(usize, String)> {
    let mut info = libc::Dl_info {
        dli_fname: std::ptr::null(),
        dli_fbase: std::ptr::null_mut(),
        dli_sname: std::ptr::null(),
        dli_saddr: std::ptr::null_mut(),
    };
    // SAFETY: dladdr only reads the address and fills `info`.
    if unsafe { libc::dladdr(address as *const c_void, &mut info) } == 0 {
        return None;
    }
    let name = if info.dli_sname.is_null() {
        String::new()
    } else {
        // SAFETY: dladdr's symbol names are NUL-terminated strings.
        unsafe { std::ffi::CStr::from_ptr(info.dli_sname) }
            .to_string_lossy()
            .into_owned()
    };
    Some((info.dli_fbase as usize, name))
}

/// `_Unwind_Backtrace` from inside `sb_callee`, called through `live`: the return
/// addresses, innermost first.
fn backtrace_through(live: &Live) -> Vec<usize> {
    let (outcome, count) = (live.call)(0);
    assert_eq!(outcome, RETURNED, "{:?}", live.kind);
    // SAFETY: the accessors' C types.
    let (frame_count, frame) = unsafe {
        (
            std::mem::transmute::<*const c_void, unsafe extern "C" fn() -> i32>(
                cpp().symbol("sb_frame_count"),
            ),
            std::mem::transmute::<*const c_void, unsafe extern "C" fn(i32) -> usize>(
                cpp().symbol("sb_frame"),
            ),
        )
    };
    // SAFETY: plain reads of the library's frame buffer.
    let frames: Vec<usize> = unsafe { (0..frame_count()).map(|i| frame(i)).collect() };
    assert_eq!(frames.len(), count as usize);
    frames
}

/// Checks that the backtrace goes callee → trampoline → C++ caller → this test's own
/// frames; returns a description of what is wrong.
fn check_backtrace(live: &Live, frames: &[usize]) -> Result<(), String> {
    let describe = || {
        frames
            .iter()
            .map(|&ip| match symbolise(ip) {
                Some((_, name)) if !name.is_empty() => format!("{ip:#x} {name}"),
                Some((base, _)) => format!("{ip:#x} (module at {base:#x})"),
                None if (live.code..live.code + live.size).contains(&ip) => {
                    format!("{ip:#x} (the trampoline)")
                }
                None => format!("{ip:#x} ?"),
            })
            .collect::<Vec<_>>()
            .join("\n  ")
    };
    let fail = |what: &str| {
        Err(format!(
            "{:?}: {what}; frames:\n  {}",
            live.kind,
            describe()
        ))
    };
    let Some(at) = frames
        .iter()
        .position(|ip| (live.code..=live.code + live.size).contains(ip))
    else {
        return fail("no frame in the trampoline");
    };
    let callee = frames[..at]
        .iter()
        .any(|&ip| symbolise(ip).is_some_and(|(_, name)| name == "sb_callee"));
    if !callee {
        return fail("the callee is not above the trampoline");
    }
    match frames.get(at + 1).and_then(|&ip| symbolise(ip)) {
        Some((_, name)) if name == live.caller => {}
        _ => {
            return fail(&format!(
                "the frame below the trampoline is not {}",
                live.caller
            ))
        }
    }
    let this_test = symbolise(check_backtrace as *const () as usize)
        .expect("this binary")
        .0;
    if !frames[at + 2..]
        .iter()
        .any(|&ip| symbolise(ip).is_some_and(|(base, _)| base == this_test))
    {
        return fail("no frame of this test below the C++ caller");
    }
    Ok(())
}

#[test]
fn a_backtrace_from_the_callee_lists_the_frames_below_every_kind() {
    let engine = engine(true);
    for kind in KINDS {
        let live = make(&engine, kind);
        let frames = backtrace_through(&live);
        check_backtrace(&live, &frames).unwrap_or_else(|problem| panic!("{problem}"));
    }
}

#[test]
fn without_unwind_info_a_backtrace_stops_at_the_trampoline() {
    let engine = engine(false);
    for kind in KINDS {
        let live = make(&engine, kind);
        let frames = backtrace_through(&live);
        let problem = check_backtrace(&live, &frames).expect_err("the walk should stop");
        assert!(
            problem.contains("is not sb_call"),
            "{kind:?}: stops in the trampoline, found: {problem}"
        );
        let last = *frames.last().unwrap();
        assert!(
            (live.code..live.code + live.size).contains(&last),
            "{kind:?}: the last frame is the trampoline's"
        );
    }
}

// ---------------------------------------------------------------------------------
// throws that abort, in child processes

/// In a child (`SB_UNWIND_CHILD=KIND:on|off`), throws through one trampoline. In the
/// suite's own run (where a throw that finds no unwind information would abort the
/// whole suite), checks plain calls through every kind.
#[test]
fn child_throws_through_a_trampoline() {
    let Ok(request) = std::env::var(CHILD_ENV) else {
        let engine = engine(true);
        for kind in KINDS {
            let live = make(&engine, kind);
            assert_eq!((live.call)(21), (RETURNED, 42), "{kind:?}");
            assert_eq!((live.call)(5), (RETURNED, 10), "{kind:?}");
        }
        return;
    };
    let (kind, registered) = request.split_once(':').expect("KIND:on|off");
    let kind = Kind::parse(kind);
    let live = make(&engine(registered == "on"), kind);
    assert_eq!((live.call)(-1), (CAUGHT, 0), "{kind:?}");
    println!("caught through {kind:?}");
    assert_eq!((live.call)(21), (RETURNED, 42), "{kind:?} after the throw");
}

fn run_child(kind: Kind, unwind_info: bool) -> std::process::Output {
    let request = format!("{kind:?}:{}", if unwind_info { "on" } else { "off" });
    Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "child_throws_through_a_trampoline",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, &request)
        .env(LIBRARY_ENV, &cpp().path)
        .output()
        .expect("run the child")
}

#[test]
fn a_cpp_exception_from_the_callee_reaches_the_cpp_caller_through_every_kind() {
    for kind in KINDS {
        let child = run_child(kind, true);
        assert!(
            child.status.success()
                && String::from_utf8_lossy(&child.stdout)
                    .contains(&format!("caught through {kind:?}")),
            "{kind:?}: {child:?}"
        );
    }
}

#[test]
fn without_unwind_info_a_throw_through_a_trampoline_aborts() {
    use std::os::unix::process::ExitStatusExt;
    for kind in KINDS {
        let child = run_child(kind, false);
        let stderr = String::from_utf8_lossy(&child.stderr);
        assert_eq!(
            child.status.signal(),
            Some(libc::SIGABRT),
            "{kind:?} without unwind info: {child:?}"
        );
        assert!(
            stderr.contains("terminate called after throwing"),
            "{kind:?}: the C++ runtime found no handler: {stderr}"
        );
    }
}

// ---------------------------------------------------------------------------------
// deregistration

/// `struct dwarf_eh_bases` of libgcc's unwinder.
#[repr(C)]
struct EhBases {
    tbase: *mut c_void,
    dbase: *mut c_void,
    func: *mut c_void,
}

extern "C" {
    /// libgcc: the FDE covering `pc` among registered frames and loaded modules.
    fn _Unwind_Find_FDE(pc: *mut c_void, bases: *mut EhBases) -> *const u8;
}

/// The registered FDE covering `pc`: its start and length.
fn fde_at(pc: usize) -> Option<(usize, usize)> {
    fde_record_at(pc).map(|(_, start, len)| (start, len))
}

/// The registered FDE covering `pc`: where the record is, the code's start and length.
fn fde_record_at(pc: usize) -> Option<(usize, usize, usize)> {
    let mut bases = EhBases {
        tbase: std::ptr::null_mut(),
        dbase: std::ptr::null_mut(),
        func: std::ptr::null_mut(),
    };
    // SAFETY: a lookup; it reads only the unwinder's own tables.
    let fde = unsafe { _Unwind_Find_FDE(pc as *mut c_void, &mut bases) };
    if fde.is_null() {
        return None;
    }
    // An FDE: length, CIE pointer, then (springboard writes absolute 8-byte
    // addresses) the start and the length of the code.
    // SAFETY: the unwinder returned a pointer to a whole FDE.
    let (start, len) = unsafe {
        (
            fde.add(8).cast::<u64>().read_unaligned(),
            fde.add(16).cast::<u64>().read_unaligned(),
        )
    };
    assert_eq!(start as usize, bases.func as usize, "an absptr FDE");
    Some((fde as usize, start as usize, len as usize))
}

/// Every pc of a live trampoline finds its own FDE.
fn assert_covered(what: &str, code: usize, size: usize) {
    let (start, len) = fde_at(code).unwrap_or_else(|| panic!("{what}: no FDE at {code:#x}"));
    assert_eq!(start, code, "{what}: the FDE starts at the code");
    assert!(
        len <= size && len + 16 > size,
        "{what}: FDE length {len} for {size} bytes of code"
    );
    assert_eq!(
        fde_at(code + len - 1),
        Some((start, len)),
        "{what}: last byte"
    );
}

#[test]
fn a_dropped_trampoline_leaves_no_fde_and_its_reused_address_finds_only_the_new_one() {
    let engine = Engine::with_options(EngineOptions {
        cache_capacity: 0,
        ..EngineOptions::default()
    })
    .unwrap();
    let long: Signature = "(i64, f64, i32, f32, i8, u16, f64, i64, ptr, f32, i32, f64) -> f64"
        .parse()
        .unwrap();
    let short = signature();
    let old = engine.downcall_uncached(&long).unwrap();
    let (old_code, old_size) = (old.as_raw() as usize, old.code_size());
    assert_covered("the long downcall", old_code, old_size);
    drop(old);
    for pc in old_code..old_code + old_size {
        assert_eq!(fde_at(pc), None, "{pc:#x} after the drop");
    }
    let new = engine.downcall_uncached(&short).unwrap();
    let (new_code, new_size) = (new.as_raw() as usize, new.code_size());
    assert_eq!(new_code, old_code, "the freed range is reused");
    assert!(new_size < old_size);
    assert_covered("the short downcall", new_code, new_size);
    for pc in new_code + new_size..old_code + old_size {
        assert_eq!(fde_at(pc), None, "{pc:#x}: only the old code reached here");
    }
    // A walk through the code at the reused address unwinds with the new FDE.
    let live = downcall_live(new);
    check_backtrace(&live, &backtrace_through(&live)).unwrap_or_else(|problem| panic!("{problem}"));
}

/// Where springboard groups FDEs: trampolines starting in the same 4096 bytes of
/// address space share one registered section (`GROUP_BYTES` in src/unwind.rs).
const GROUP_BYTES: usize = 4096;

#[test]
fn a_batch_shares_its_groups_sections_and_each_trampoline_leaves_on_its_own() {
    let engine = Engine::with_options(EngineOptions {
        cache_capacity: 0,
        ..EngineOptions::default()
    })
    .unwrap();
    let batch = engine.downcalls(&vec![signature(); 48]).unwrap();
    let ranges: Vec<(usize, usize)> = batch
        .iter()
        .map(|d| (d.as_raw() as usize, d.code_size()))
        .collect();
    let mut records = Vec::new();
    for (i, (downcall, &(code, size))) in batch.iter().zip(&ranges).enumerate() {
        assert_covered(&format!("downcall {i} of the batch"), code, size);
        let live = downcall_live(downcall.clone());
        check_backtrace(&live, &backtrace_through(&live))
            .unwrap_or_else(|problem| panic!("downcall {i} of the batch: {problem}"));
        records.push(fde_record_at(code).expect("covered").0);
    }
    // The FDEs of a group follow each other in one section (one CIE before them);
    // 48 trampolines of this size span more than one group.
    let mut same_group = 0;
    for (i, pair) in records.windows(2).enumerate() {
        if ranges[i].0 / GROUP_BYTES != ranges[i + 1].0 / GROUP_BYTES {
            continue;
        }
        same_group += 1;
        // SAFETY: a registered FDE's length field.
        let length = unsafe { (pair[0] as *const u32).read_unaligned() } as usize;
        assert_eq!(
            pair[1],
            pair[0] + 4 + length,
            "FDE {} follows FDE {i}",
            i + 1
        );
    }
    assert!(
        same_group > 0 && same_group < ranges.len() - 1,
        "{same_group}"
    );
    // Dropping every other trampoline frees its code at once (no batch holds it) and
    // leaves no FDE behind; its group's section is written again, and the others
    // stay covered and unwind with it.
    let live_before = engine.memory_stats().live_bytes;
    let mut kept = Vec::new();
    let mut freed = 0;
    for (i, downcall) in batch.into_iter().enumerate() {
        if i % 2 == 0 {
            freed += downcall.code_size();
            drop(downcall);
            let (code, size) = ranges[i];
            for pc in code..code + size {
                assert_eq!(fde_at(pc), None, "{pc:#x} of dropped downcall {i}");
            }
        } else {
            kept.push((i, downcall));
        }
    }
    assert_eq!(engine.memory_stats().live_bytes, live_before - freed);
    for (i, downcall) in &kept {
        let (code, size) = ranges[*i];
        assert_covered(&format!("kept downcall {i}"), code, size);
        let live = downcall_live(downcall.clone());
        check_backtrace(&live, &backtrace_through(&live))
            .unwrap_or_else(|problem| panic!("kept downcall {i}: {problem}"));
    }
    // New code in the freed places joins the groups' sections.
    let newer = engine.downcalls(&vec![signature(); 24]).unwrap();
    for (i, downcall) in newer.iter().enumerate() {
        assert_covered(
            &format!("new downcall {i}"),
            downcall.as_raw() as usize,
            downcall.code_size(),
        );
    }
    for (i, _) in &kept {
        let (code, size) = ranges[*i];
        assert_covered(
            &format!("kept downcall {i}, new code beside it"),
            code,
            size,
        );
    }
    drop(kept);
    drop(newer);
    for &(code, size) in &ranges {
        for pc in code..code + size {
            assert_eq!(fde_at(pc), None, "{pc:#x} after the whole batch dropped");
        }
    }
}

#[test]
fn callback_chunks_are_registered_once_and_deregistered_when_released() {
    let engine = engine(true);
    let signature = signature();
    let callbacks: Vec<_> = (0..40)
        .map(|_| {
            engine
                .callback_raw(&signature, handler(), std::ptr::null_mut())
                .unwrap()
        })
        .collect();
    for callback in &callbacks {
        assert_covered("a callback", callback.code() as usize, callback.code_size());
    }
    let ranges: Vec<(usize, usize)> = callbacks
        .iter()
        .map(|c| (c.code() as usize, c.code_size()))
        .collect();
    drop(callbacks);
    // Empty chunks stay prepared, and registered, while the pool holds fewer than
    // 1024 free instances (the next callbacks reuse them); the pool goes with the
    // engine, and the unwinder forgets every chunk.
    for &(code, size) in &ranges {
        assert_covered("a kept instance", code, size);
    }
    drop(engine);
    let still = ranges
        .iter()
        .filter(|&&(code, _)| fde_at(code).is_some())
        .count();
    assert_eq!(
        still, 0,
        "instances still registered after the engine dropped"
    );
}

fn resident_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: usize = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    // SAFETY: sysconf has no preconditions.
    pages * unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as usize
}

#[test]
fn creating_and_dropping_100_000_trampolines_keeps_memory_flat_and_no_fde_stale() {
    let engine = Engine::with_options(EngineOptions {
        cache_capacity: 0,
        ..EngineOptions::default()
    })
    .unwrap();
    let signatures: Vec<Signature> = ["(i32) -> i32", "(f64, f64, i64, i32) -> f64"]
        .iter()
        .map(|text| text.parse().unwrap())
        .collect();
    let callback_signature = signature();
    let cycle = |i: usize| {
        if i % 4 == 3 {
            // A callback signature compiled and dropped with its pool: a chunk
            // registered and deregistered.
            let callback = engine
                .callback_raw(&callback_signature, handler(), std::ptr::null_mut())
                .unwrap();
            let (code, size) = (callback.code() as usize, callback.code_size());
            if i % 64 == 3 {
                assert_covered("a callback", code, size);
            }
            drop(callback);
            if i % 64 == 3 {
                assert_eq!(fde_at(code), None, "cycle {i}: the callback's chunk");
            }
        } else {
            let downcall = engine.downcall_uncached(&signatures[i % 2]).unwrap();
            let (code, size) = (downcall.as_raw() as usize, downcall.code_size());
            if i % 64 < 2 {
                assert_covered("a downcall", code, size);
            }
            drop(downcall);
            if i % 64 < 2 {
                for pc in code..code + size {
                    assert_eq!(fde_at(pc), None, "cycle {i}: {pc:#x} after the drop");
                }
            }
        }
    };
    for i in 0..2000 {
        cycle(i);
    }
    let before = resident_bytes();
    for i in 0..100_000 {
        cycle(i);
    }
    let growth = resident_bytes().saturating_sub(before);
    assert!(
        growth < 2 << 20,
        "resident memory grew by {} KiB over 100,000 create/drop cycles",
        growth >> 10
    );
    let stats = engine.memory_stats();
    assert_eq!(stats.live_bytes, 0);
}

// ---------------------------------------------------------------------------------
// the GDB JIT interface

/// `struct jit_code_entry` of the GDB JIT interface.
#[repr(C)]
struct JitCodeEntry {
    next: *const JitCodeEntry,
    prev: *const JitCodeEntry,
    symfile: *const u8,
    size: u64,
}

/// `struct jit_descriptor`.
#[repr(C)]
struct JitDescriptor {
    version: u32,
    action: u32,
    relevant: *const JitCodeEntry,
    first: *const JitCodeEntry,
}

extern "C" {
    /// springboard's descriptor, as a debugger finds it.
    static __jit_debug_descriptor: JitDescriptor;
}

/// The registered in-memory objects: each one's `.text` address, size and bytes.
fn gdb_objects() -> Vec<(usize, usize, Vec<u8>)> {
    let mut objects = Vec::new();
    // SAFETY: only this test registers with the interface in this process, and it
    // does not while reading; entries point to whole images.
    unsafe {
        let mut entry = (*std::ptr::addr_of!(__jit_debug_descriptor)).first;
        while !entry.is_null() {
            let image = std::slice::from_raw_parts((*entry).symfile, (*entry).size as usize);
            let u64_at = |at: usize| u64::from_le_bytes(image[at..at + 8].try_into().unwrap());
            let text = u64_at(40) as usize + 64;
            objects.push((
                u64_at(text + 16) as usize,
                u64_at(text + 32) as usize,
                image.to_vec(),
            ));
            entry = (*entry).next;
        }
    }
    objects
}

fn engine_with_gdb_jit(on: bool) -> Engine {
    Engine::with_options(EngineOptions {
        gdb_jit: on,
        ..EngineOptions::default()
    })
    .unwrap()
}

#[test]
fn gdb_jit_lists_every_live_trampoline_by_name_and_forgets_dropped_ones() {
    let before = gdb_objects().len();
    let engine = engine_with_gdb_jit(true);
    let lives: Vec<Live> = KINDS.iter().map(|&kind| make(&engine, kind)).collect();
    let objects = gdb_objects();
    assert!(objects.len() >= before + KINDS.len());
    for live in &lives {
        let name = match live.kind {
            Kind::Downcall => "springboard downcall (ptr, i32) -> i32",
            Kind::Callback => "springboard callback (ptr, i32) -> i32",
            Kind::FastCall => "springboard fastcall (ptr, i32) -> i32",
            Kind::EntryNative | Kind::EntryArray => "springboard entry (ptr, i32) -> i32",
            Kind::ExitNative | Kind::ExitArray => "springboard exit (ptr, i32) -> i32",
        };
        let object = objects
            .iter()
            .find(|(addr, size, _)| (*addr..addr + size).contains(&live.code))
            .unwrap_or_else(|| panic!("{:?}: no object covers its code", live.kind));
        let image = String::from_utf8_lossy(&object.2);
        assert!(
            image.contains(&format!("\0{name}\0")),
            "{:?}: {name} not in its object",
            live.kind
        );
        assert_eq!((live.call)(4), (RETURNED, 8), "{:?}", live.kind);
    }
    drop(lives);
    drop(engine);
    assert_eq!(gdb_objects().len(), before, "every object unregistered");
    // Off by default.
    let quiet = Engine::new().unwrap();
    let _live = make(&quiet, Kind::Downcall);
    assert_eq!(gdb_objects().len(), before);
}

const GDB_ENV: &str = "SB_GDB_CHILD";

/// Under gdb (`SB_GDB_CHILD=on|off`: the GDB JIT option), calls `sb_callee` through a
/// downcall and a callback, where gdb stops; in the suite's own run, the same calls
/// without a debugger.
#[test]
fn child_stops_under_gdb() {
    let on = std::env::var(GDB_ENV).map_or(true, |value| value == "on");
    let engine = engine_with_gdb_jit(on);
    for kind in [Kind::Downcall, Kind::Callback] {
        let live = make(&engine, kind);
        assert_eq!((live.call)(5), (RETURNED, 10), "{kind:?}");
    }
}

/// gdb's output for `bt` at each stop in `sb_callee` of [`child_stops_under_gdb`],
/// run in this test binary or in a stripped copy of it (no `.symtab`: what gdb finds
/// then is in the dynamic symbol table).
fn gdb_backtraces(gdb_jit: bool, stripped: bool) -> String {
    let mut binary = std::env::current_exe().unwrap();
    if stripped {
        let copy = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("unwind-stripped.{}", std::process::id()));
        let status = Command::new("strip")
            .arg("--strip-all")
            .arg("-o")
            .arg(&copy)
            .arg(&binary)
            .status()
            .expect("run strip (binutils)");
        assert!(status.success(), "strip failed");
        binary = copy;
    }
    let output = Command::new("gdb")
        .args([
            "-nx",
            "-batch",
            "-ex",
            "set pagination off",
            "-ex",
            "set breakpoint pending on",
            "-ex",
            "break sb_callee",
            "-ex",
            "run",
            "-ex",
            "bt",
            "-ex",
            "continue",
            "-ex",
            "bt",
            "-ex",
            "kill",
            "--args",
        ])
        .arg(&binary)
        .args([
            "--exact",
            "child_stops_under_gdb",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(GDB_ENV, if gdb_jit { "on" } else { "off" })
        .env(LIBRARY_ENV, &cpp().path)
        .output()
        .expect("run gdb (scripts/install-test-deps.sh installs it)");
    if stripped {
        let _ = std::fs::remove_file(&binary);
    }
    String::from_utf8_lossy(&output.stdout).into_owned()
}

extern "C" {
    fn __jit_debug_register_code();
}

#[test]
fn the_gdb_jit_symbols_are_in_the_dynamic_symbol_table() {
    // `dlsym` on the whole process sees only dynamic symbol tables.
    for (name, linked) in [
        (
            c"__jit_debug_register_code",
            __jit_debug_register_code as *const c_void,
        ),
        (
            c"__jit_debug_descriptor",
            std::ptr::addr_of!(__jit_debug_descriptor).cast(),
        ),
    ] {
        // SAFETY: a lookup by a NUL-terminated name.
        let found = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
        assert_eq!(
            found.cast_const(),
            linked,
            "{name:?} in the dynamic symbol table"
        );
    }
}

#[test]
fn gdb_names_trampoline_frames_in_a_stripped_binary() {
    let out = gdb_backtraces(true, true);
    for name in [
        "springboard downcall (ptr, i32) -> i32",
        "springboard callback (ptr, i32) -> i32",
    ] {
        assert!(
            out.lines()
                .any(|line| line.starts_with('#') && line.contains(name)),
            "no {name} frame in the stripped binary's backtrace:\n{out}"
        );
    }
}

#[test]
fn gdb_bt_names_trampoline_frames_and_shows_their_callers() {
    let out = gdb_backtraces(true, false);
    let frames: Vec<&str> = out.lines().filter(|line| line.starts_with('#')).collect();
    let position = |text: &str| frames.iter().position(|frame| frame.contains(text));
    let downcall = position("springboard downcall (ptr, i32) -> i32")
        .unwrap_or_else(|| panic!("no downcall frame in:\n{out}"));
    assert!(
        frames[downcall + 1].contains("sb_call_downcall"),
        "the downcall's caller follows it:\n{out}"
    );
    let callback = position("springboard callback (ptr, i32) -> i32")
        .unwrap_or_else(|| panic!("no callback frame in:\n{out}"));
    assert!(
        frames[callback - 1].contains("sb_handler")
            && frames[callback + 1].contains("sb_call_native"),
        "handler above, caller below the callback:\n{out}"
    );
    assert!(
        frames
            .iter()
            .any(|frame| frame.contains("child_stops_under_gdb")),
        "the test's own frames below:\n{out}"
    );

    let out = gdb_backtraces(false, false);
    assert!(
        out.contains("sb_callee"),
        "gdb stopped in the callee:\n{out}"
    );
    assert!(
        !out.contains("springboard downcall"),
        "without the option gdb has no name for the trampoline:\n{out}"
    );
}
