//! Boundary trampolines on this machine: the records they write let a runtime walk its
//! stack across the host boundary.
//!
//! The "runtime code" here is Cranelift-compiled guest functions (built by this file,
//! with `preserve_frame_pointers`) or gcc-compiled C with frame pointers; the host
//! callers are C functions with frame pointers. Every walk starts from the records
//! alone and checks each frame it meets against the code ranges the test installed or
//! the C symbols `dladdr` names.

mod common;

use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::{self, types, AbiParam, InstBuilder, UserFuncName};
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use springboard::code_memory::{CodeMemory, CodeRange};
use springboard::{
    ArrayBoundary, ArrayEntry, Bookkeeping, Callback, DebugChecks, Engine, NativeBoundary,
    RecordPlace, Signature, Slot,
};
use std::cell::RefCell;
use std::ffi::{c_void, CStr};
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::Command;
use std::sync::Arc;

/// The C host: callers that enter the runtime, and a C guest for the native shapes.
/// Frame pointers on, no sibling calls and no inlining, so every frame is a real one.
const HOST_C: &str = include_str!("c/boundary_host.c");

type HostEnter = unsafe extern "C" fn(
    entry: *const c_void,
    callee: *const c_void,
    ctx: *mut Context,
    x: i64,
    capacity: usize,
    host_fp: *mut usize,
) -> i64;

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
struct Pair {
    a: i64,
    b: f64,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
struct Quad {
    a: i32,
    b: i32,
    c: i32,
    d: i32,
    e: i64,
}

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
struct Triple {
    x: f64,
    y: i64,
    z: i64,
}

type HostNative = unsafe extern "C" fn(
    entry: *const c_void,
    ctx: *mut Context,
    p: Pair,
    q: Quad,
    k: i8,
    host_fp: *mut usize,
) -> Triple;

/// The guests' and the records' signature: `(ctx, x) -> x'`.
const SIGNATURE: &str = "(ptr, i64) -> i64";
/// The native shapes' signature: a register struct, a memory struct, a struct result
/// returned through a hidden pointer.
const NATIVE_SIGNATURE: &str =
    "(ptr, {i64, f64}, {i32, i32, i32, i32, i64}, i8) -> {f64, i64, i64}";

/// What the sentinel fields hold until something writes them.
const UNTOUCHED: usize = 0x5eed_0000_dead_beef;
const MAGIC: u32 = 0x5b0a_4d1c;
const MAGIC_OFFSET: i32 = 32;
const LIMITS_OFFSET: i32 = 40;

/// The runtime context: the standard records at 0, 8, 16, 24, the debug-check magic
/// at 32, a limits struct for `via` records at 40, and the test's probe at 48.
#[repr(C)]
struct Context {
    entry_sp: usize,
    entry_fp: usize,
    exit_fp: usize,
    exit_pc: usize,
    magic: u32,
    _padding: u32,
    limits: *mut Limits,
    probe: *const Probe,
}

/// Where `via` records go (context → limits → field), at shuffled offsets.
#[repr(C)]
struct Limits {
    entry_fp: usize, // 0
    exit_pc: usize,  // 8
    unused: usize,   // 16
    entry_sp: usize, // 24
    exit_fp: usize,  // 32
}

impl Context {
    fn new(magic: u32) -> Box<Context> {
        Box::new(Context {
            entry_sp: UNTOUCHED,
            entry_fp: UNTOUCHED,
            exit_fp: UNTOUCHED,
            exit_pc: UNTOUCHED,
            magic,
            _padding: 0,
            limits: std::ptr::null_mut(),
            probe: std::ptr::null(),
        })
    }
}

/// The via bookkeeping matching [`Limits`].
fn via_bookkeeping() -> Bookkeeping {
    Bookkeeping {
        context_param: 0,
        entry_sp: Some(RecordPlace::via(LIMITS_OFFSET, 24)),
        entry_fp: Some(RecordPlace::via(LIMITS_OFFSET, 0)),
        exit_fp: Some(RecordPlace::via(LIMITS_OFFSET, 32)),
        exit_pc: Some(RecordPlace::via(LIMITS_OFFSET, 8)),
        checks: None,
    }
}

/// The four records, wherever they were stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Records {
    entry_sp: usize,
    entry_fp: usize,
    exit_fp: usize,
    exit_pc: usize,
}

/// Where a probe reads the records from.
#[derive(Clone, Copy, Debug)]
enum RecordsAt {
    Context,
    Limits,
}

impl Records {
    /// # Safety
    /// `ctx` is a live context (with live limits for [`RecordsAt::Limits`]).
    unsafe fn read(ctx: *const Context, at: RecordsAt) -> Records {
        unsafe {
            match at {
                RecordsAt::Context => Records {
                    entry_sp: (*ctx).entry_sp,
                    entry_fp: (*ctx).entry_fp,
                    exit_fp: (*ctx).exit_fp,
                    exit_pc: (*ctx).exit_pc,
                },
                RecordsAt::Limits => {
                    let limits = (*ctx).limits;
                    Records {
                        entry_sp: (*limits).entry_sp,
                        entry_fp: (*limits).entry_fp,
                        exit_fp: (*limits).exit_fp,
                        exit_pc: (*limits).exit_pc,
                    }
                }
            }
        }
    }

    /// # Safety
    /// `ctx` is a live context with the standard records.
    unsafe fn write(self, ctx: *mut Context) {
        unsafe {
            (*ctx).entry_sp = self.entry_sp;
            (*ctx).entry_fp = self.entry_fp;
            (*ctx).exit_fp = self.exit_fp;
            (*ctx).exit_pc = self.exit_pc;
        }
    }
}

/// A frame-pointer walk from the records alone.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Walk {
    records: Records,
    /// `(fp, [fp + 8])` from the exit FP up to the frame whose saved FP is the entry FP.
    frames: Vec<(usize, usize)>,
    /// The chain reached the entry FP.
    reached_entry: bool,
    /// `[entry_fp + 8]`: the return address into the host caller.
    host_return: usize,
    /// `[entry_fp]`: the host caller's frame pointer.
    host_fp: usize,
}

/// Walks from the exit FP towards the entry FP. Stops (without reaching it) when the
/// chain stops growing upwards, after 16 frames, or at a misaligned pointer, so that
/// wrong records fail the checks instead of crashing.
///
/// # Safety
/// The records describe the current thread's live stack.
unsafe fn walk(records: Records) -> Walk {
    let read = |address: usize| unsafe { *(address as *const usize) };
    let plausible = |fp: usize| fp != 0 && fp.is_multiple_of(8) && fp <= records.entry_fp;
    let mut frames = Vec::new();
    let mut fp = records.exit_fp;
    let mut reached_entry = false;
    while plausible(fp) && fp != records.entry_fp && frames.len() < 16 {
        frames.push((fp, read(fp + 8)));
        let next = read(fp);
        if next <= fp {
            break;
        }
        fp = next;
        reached_entry = fp == records.entry_fp;
    }
    let (host_return, host_fp) = if plausible(records.entry_fp) {
        (read(records.entry_fp + 8), read(records.entry_fp))
    } else {
        (0, 0)
    };
    Walk {
        records,
        frames,
        reached_entry,
        host_return,
        host_fp,
    }
}

/// The name of the exported symbol whose code holds the return address `pc`.
fn symbol_of(pc: usize) -> Option<String> {
    // SAFETY: dladdr only reads the loader's tables; a zeroed Dl_info is valid.
    unsafe {
        let mut info: libc::Dl_info = std::mem::zeroed();
        // A return address may be the first byte after its function: look one back.
        if libc::dladdr((pc - 1) as *const c_void, &mut info) == 0 || info.dli_sname.is_null() {
            return None;
        }
        Some(
            CStr::from_ptr(info.dli_sname)
                .to_string_lossy()
                .into_owned(),
        )
    }
}

/// A return address or exit PC inside `[start, start + len)`, strictly after the
/// first byte (it follows a call).
fn inside(start: usize, len: usize, pc: usize) -> bool {
    start < pc && pc < start + len
}

/// What a walk from one level's records must find.
struct Expected<'a> {
    /// The guest frames, innermost (the exit's caller) first, by name and range.
    guests: Vec<(&'a str, usize, usize)>,
    /// The entry trampoline's code range.
    entry: (usize, usize),
    /// The host caller's function and frame pointer.
    host: &'a str,
    host_fp: usize,
}

/// Asserts everything tests 1 and 2 of the issue ask of one walk.
fn check_walk(walk: &Walk, expected: &Expected, what: &str) {
    let r = walk.records;
    let (innermost, start, len) = expected.guests[0];
    assert!(
        inside(start, len, r.exit_pc),
        "{what}: exit PC {:#x} not inside {innermost} {start:#x}+{len}",
        r.exit_pc
    );
    assert!(
        walk.reached_entry,
        "{what}: the chain never reached the entry FP: {walk:#x?}"
    );
    assert_eq!(
        walk.frames.len(),
        expected.guests.len(),
        "{what}: one frame per guest: {walk:#x?}"
    );
    assert_eq!(
        walk.frames[0].0, r.exit_fp,
        "{what}: the walk starts at the exit FP"
    );
    // Each guest frame returns into the next guest out, the outermost into the entry.
    for (index, &(fp, return_address)) in walk.frames.iter().enumerate() {
        let (caller, start, len) = match expected.guests.get(index + 1) {
            Some(&guest) => guest,
            None => ("the entry trampoline", expected.entry.0, expected.entry.1),
        };
        assert!(
            inside(start, len, return_address),
            "{what}: frame {index} at {fp:#x} returns to {return_address:#x}, not into {caller}"
        );
        // Stack grows down: every guest frame lies below the entry SP and FP.
        assert!(
            fp < r.entry_sp,
            "{what}: guest frame {fp:#x} not below entry SP {:#x}",
            r.entry_sp
        );
    }
    assert!(
        r.entry_sp <= r.entry_fp,
        "{what}: entry SP {:#x} above entry FP {:#x}",
        r.entry_sp,
        r.entry_fp
    );
    check_entry_sp_at_call(walk, what);
    assert!(
        r.entry_fp < expected.host_fp,
        "{what}: entry FP not below the host's frame"
    );
    assert_eq!(
        symbol_of(walk.host_return).as_deref(),
        Some(expected.host),
        "{what}: [entry_fp + 8] = {:#x} does not return into {}",
        walk.host_return,
        expected.host
    );
    assert_eq!(
        walk.host_fp, expected.host_fp,
        "{what}: [entry_fp] is not the host caller's FP"
    );
}

/// The entry SP is the stack pointer at the call into the runtime code: on x86-64 the
/// call pushes the return address and the outermost guest pushes its caller's FP, so
/// that guest's frame pointer is 16 bytes below it.
fn check_entry_sp_at_call(walk: &Walk, what: &str) {
    if cfg!(target_arch = "x86_64") {
        let outermost = walk.frames.last().map_or(0, |&(fp, _)| fp);
        assert_eq!(
            outermost + 16,
            walk.records.entry_sp,
            "{what}: the entry SP is not the SP at the call into the runtime code"
        );
    }
}

/// Compiles guest functions with Cranelift (frame pointers preserved) into executable
/// memory of their own.
struct GuestCompiler {
    isa: OwnedTargetIsa,
    memory: Arc<CodeMemory>,
}

impl GuestCompiler {
    fn new() -> GuestCompiler {
        let mut flags = settings::builder();
        flags.set("preserve_frame_pointers", "true").unwrap();
        flags.set("opt_level", "speed").unwrap();
        let isa = cranelift_codegen::isa::lookup(target_lexicon::Triple::host())
            .unwrap()
            .finish(settings::Flags::new(flags))
            .unwrap();
        GuestCompiler {
            isa,
            memory: CodeMemory::new().unwrap(),
        }
    }

    /// `i64 guest(ptr ctx, i64 x) { return callee(ctx, x) + add; }`, `callee` baked in.
    fn forwarder(&self, callee: *const c_void, add: i64) -> CodeRange {
        let mut signature = ir::Signature::new(self.isa.default_call_conv());
        signature.params = vec![AbiParam::new(types::I64); 2];
        signature.returns = vec![AbiParam::new(types::I64)];
        let mut func =
            ir::Function::with_name_signature(UserFuncName::default(), signature.clone());
        let mut builder_context = FunctionBuilderContext::new();
        let mut builder = FunctionBuilder::new(&mut func, &mut builder_context);
        let block = builder.create_block();
        builder.append_block_params_for_function_params(block);
        builder.switch_to_block(block);
        builder.seal_block(block);
        let params = builder.block_params(block).to_vec();
        let callee_signature = builder.import_signature(signature);
        let callee = builder.ins().iconst(types::I64, callee as i64);
        let call = builder
            .ins()
            .call_indirect(callee_signature, callee, &params);
        let result = builder.inst_results(call)[0];
        let add = builder.ins().iconst(types::I64, add);
        let sum = builder.ins().iadd(result, add);
        builder.ins().return_(&[sum]);
        builder.finalize(self.isa.frontend_config());
        let mut context = cranelift_codegen::Context::for_function(func);
        let compiled = context
            .compile(&*self.isa, &mut ControlPlane::default())
            .unwrap_or_else(|e| panic!("compiling a guest: {e:?}"));
        assert!(
            compiled.buffer.relocs().is_empty(),
            "guests call through constants"
        );
        let bytes = compiled.code_buffer().to_vec();
        self.memory.install(&[&bytes]).unwrap().remove(0)
    }
}

/// What the exit handler saw at one nesting level.
#[derive(Debug)]
struct Level {
    /// The handler's `x` (the innermost level has 0).
    x: i64,
    /// The walk when the handler was called.
    before: Walk,
    /// The walk after the nested entry returned and the runtime restored the records.
    after: Option<Walk>,
    /// The records the nested levels left behind, before the restore.
    clobbered: Option<Records>,
}

/// The test's view into the handler: how to re-enter, and what each level saw.
struct Probe {
    records_at: RecordsAt,
    enter: RefCell<Option<Runtime>>,
    levels: RefCell<Vec<Level>>,
    /// The frame pointer of each `host_enter`, pushed as it returns (innermost first).
    host_fps: RefCell<Vec<usize>>,
    /// What `host_import` saw: its walk and arguments.
    native: RefCell<Option<(Walk, Pair, Quad, i8)>>,
}

impl Probe {
    fn new(records_at: RecordsAt) -> Box<Probe> {
        Box::new(Probe {
            records_at,
            enter: RefCell::new(None),
            levels: RefCell::new(Vec::new()),
            host_fps: RefCell::new(Vec::new()),
            native: RefCell::new(None),
        })
    }
}

/// A tiny runtime: host C caller → array entry → guest → guest2 → array exit →
/// [`exit_handler`].
struct Runtime {
    host_enter: HostEnter,
    entry: ArrayEntry,
    guest: *const c_void,
}

impl Runtime {
    /// Enters the runtime as Wasmtime does: saves the context's records first and
    /// restores them afterwards, so that the caller's (an outer level's) walk still
    /// works when a nested entry returns.
    ///
    /// # Safety
    /// `ctx` is a live context with the standard records and a live probe.
    unsafe fn enter(&self, ctx: *mut Context, x: i64, capacity: usize) -> i64 {
        unsafe {
            let saved = Records::read(ctx, RecordsAt::Context);
            let mut host_fp = 0;
            let result = (self.host_enter)(
                self.entry.code(),
                self.guest,
                ctx,
                x,
                capacity,
                &mut host_fp,
            );
            let probe = &*(*ctx).probe;
            probe.host_fps.borrow_mut().push(host_fp);
            let clobbered = Records::read(ctx, RecordsAt::Context);
            saved.write(ctx);
            // The level that re-entered notes what the nested levels left behind.
            if let Some(level) = probe
                .levels
                .borrow_mut()
                .iter_mut()
                .rev()
                .find(|l| l.x == x + 1)
            {
                level.clobbered = Some(clobbered);
            }
            result
        }
    }
}

/// What the handler computes: `h(0) = 7`, `h(x) = 2 * f(x - 1)`, where `f(x) = h(x) +
/// 1100` is what one entry returns (the guests add 1000 and 100).
fn expected_result(x: i64) -> i64 {
    let handled = if x == 0 {
        7
    } else {
        2 * expected_result(x - 1)
    };
    handled + 1100
}

/// The host side of the array exit: walks from the records, re-enters the runtime
/// while `x > 0` (through [`Runtime::enter`], which restores the records), walks again.
unsafe extern "C" fn exit_handler(_: *mut c_void, args: *mut Slot, result: *mut Slot) {
    unsafe {
        let ctx: *mut Context = (*args).as_ptr();
        let x = (*args.add(1)).as_i64();
        let probe = &*(*ctx).probe;
        let before = walk(Records::read(ctx, probe.records_at));
        let index = {
            let mut levels = probe.levels.borrow_mut();
            levels.push(Level {
                x,
                before,
                after: None,
                clobbered: None,
            });
            levels.len() - 1
        };
        let handled = if x == 0 {
            7
        } else {
            let runtime = probe.enter.borrow();
            let runtime = runtime.as_ref().expect("nesting needs a runtime");
            let nested = runtime.enter(ctx, x - 1, 2);
            let after = walk(Records::read(ctx, probe.records_at));
            probe.levels.borrow_mut()[index].after = Some(after);
            2 * nested
        };
        result.cast::<Slot>().write(Slot::from_i64(handled));
    }
}

/// Everything one array-shaped runtime needs, alive together.
struct ArrayRuntime {
    _library: common::CLibrary,
    probe: Box<Probe>,
    ctx: Box<Context>,
    _limits: Box<Limits>,
    _exit: Callback,
    guest: CodeRange,
    guest2: CodeRange,
}

impl ArrayRuntime {
    /// host C → `entry` → guest (+100) → guest2 (+1000) → `exit` → [`exit_handler`].
    fn new(
        engine: &Engine,
        entry: &ArrayBoundary,
        exit: &ArrayBoundary,
        records_at: RecordsAt,
        magic: u32,
    ) -> ArrayRuntime {
        let library = common::build_c_library("boundary_host", HOST_C);
        let probe = Probe::new(records_at);
        let mut ctx = Context::new(magic);
        let mut limits = Box::new(Limits {
            entry_fp: UNTOUCHED,
            exit_pc: UNTOUCHED,
            unused: UNTOUCHED,
            entry_sp: UNTOUCHED,
            exit_fp: UNTOUCHED,
        });
        ctx.limits = &mut *limits;
        ctx.probe = &*probe;
        let exit = engine
            .array_exit_raw(exit, exit_handler, std::ptr::null_mut())
            .unwrap();
        let guests = GuestCompiler::new();
        let guest2 = guests.forwarder(exit.code(), 1000);
        let guest = guests.forwarder(guest2.addr() as *const c_void, 100);
        // SAFETY: host_enter has the HostEnter type.
        let host_enter: HostEnter = unsafe { std::mem::transmute(library.symbol("host_enter")) };
        *probe.enter.borrow_mut() = Some(Runtime {
            host_enter,
            entry: engine.array_entry(entry).unwrap(),
            guest: guest.addr() as *const c_void,
        });
        ArrayRuntime {
            _library: library,
            probe,
            ctx,
            _limits: limits,
            _exit: exit,
            guest,
            guest2,
        }
    }

    fn ctx(&mut self) -> *mut Context {
        &mut *self.ctx
    }

    /// The frame pointers of every `host_enter` so far, innermost of each run first.
    fn host_fps(&self) -> Vec<usize> {
        self.probe.host_fps.borrow().clone()
    }

    /// Enters with `x` and `capacity` slots; checks the result.
    fn run(&mut self, x: i64, capacity: usize) {
        let ctx = self.ctx();
        let runtime = self.probe.enter.borrow();
        // SAFETY: the context, probe and code live as long as `self`.
        let result = unsafe { runtime.as_ref().unwrap().enter(ctx, x, capacity) };
        assert_eq!(
            result,
            expected_result(x),
            "the runtime's result for x = {x}"
        );
    }

    /// What a walk must find when `host_enter`'s frame was at `host_fp`.
    fn expected(&self, host_fp: usize) -> Expected<'_> {
        let runtime = self.probe.enter.borrow();
        let entry = &runtime.as_ref().unwrap().entry;
        Expected {
            guests: vec![
                ("guest2", self.guest2.addr(), self.guest2.len()),
                ("guest", self.guest.addr(), self.guest.len()),
            ],
            entry: (entry.code() as usize, entry.code_size()),
            host: "host_enter",
            host_fp,
        }
    }
}

fn signature(text: &str) -> Signature {
    text.parse().unwrap()
}

#[test]
fn walk_from_exit_fp_crosses_guest_frames_to_the_entry_and_the_host_caller() {
    let engine = Engine::new().unwrap();
    let boundary = ArrayBoundary::standard(signature(SIGNATURE)).unwrap();
    let mut runtime = ArrayRuntime::new(&engine, &boundary, &boundary, RecordsAt::Context, 0);
    runtime.run(0, 2);
    let levels = runtime.probe.levels.borrow();
    assert_eq!(levels.len(), 1, "the exit handler ran once");
    check_walk(
        &levels[0].before,
        &runtime.expected(runtime.host_fps()[0]),
        "one level",
    );
    // The trampolines wrote every record, and nothing but them runs in between.
    let records = levels[0].before.records;
    assert!(![
        records.entry_sp,
        records.entry_fp,
        records.exit_fp,
        records.exit_pc
    ]
    .contains(&UNTOUCHED));
}

#[test]
fn nested_entries_and_exits_keep_each_levels_records_when_the_runtime_restores_them() {
    let engine = Engine::new().unwrap();
    let boundary = ArrayBoundary::standard(signature(SIGNATURE)).unwrap();
    let mut runtime = ArrayRuntime::new(&engine, &boundary, &boundary, RecordsAt::Context, 0);
    const DEPTH: i64 = 3;
    runtime.run(DEPTH, 2);
    let levels = runtime.probe.levels.borrow();
    assert_eq!(
        levels.iter().map(|l| l.x).collect::<Vec<_>>(),
        vec![3, 2, 1, 0]
    );
    // host_fps is pushed when each host_enter returns: innermost first.
    let host_fps = runtime.probe.host_fps.borrow().clone();
    assert_eq!(host_fps.len(), levels.len());
    for (depth, level) in levels.iter().enumerate() {
        let what = format!("level {depth}");
        let expected = runtime.expected(host_fps[host_fps.len() - 1 - depth]);
        check_walk(&level.before, &expected, &format!("{what} on exit"));
        if let Some(inner) = levels.get(depth + 1) {
            // The nested level runs deeper on the same stack.
            assert!(
                inner.before.records.entry_fp < level.before.records.exit_fp,
                "{what}: the nested entry FP is not below this level's exit FP"
            );
            assert!(expected.host_fp > inner.before.records.entry_fp);
            let after = level.after.as_ref().expect("levels with x > 0 re-entered");
            let clobbered = level.clobbered.expect("the runtime saw the nested records");
            assert_ne!(
                clobbered, level.before.records,
                "{what}: nesting overwrote the records"
            );
            assert_eq!(clobbered.entry_fp, inner.before.records.entry_fp, "{what}");
            // Restored: the same walk as before the nested entry, still valid.
            assert_eq!(
                after, &level.before,
                "{what}: after the nested entry returned"
            );
            check_walk(after, &expected, &format!("{what} after nesting"));
        } else {
            assert!(level.after.is_none());
        }
    }
}

#[test]
fn via_records_go_through_the_limits_struct() {
    let engine = Engine::new().unwrap();
    let boundary = ArrayBoundary::new(signature(SIGNATURE), via_bookkeeping()).unwrap();
    let mut runtime = ArrayRuntime::new(&engine, &boundary, &boundary, RecordsAt::Limits, 0);
    runtime.run(0, 2);
    let levels = runtime.probe.levels.borrow();
    assert_eq!(levels.len(), 1);
    check_walk(
        &levels[0].before,
        &runtime.expected(runtime.host_fps()[0]),
        "via limits",
    );
    // Nothing was written directly into the context or the unused limits field.
    let ctx = &*runtime.ctx;
    assert_eq!(
        [ctx.entry_sp, ctx.entry_fp, ctx.exit_fp, ctx.exit_pc],
        [UNTOUCHED; 4]
    );
    // SAFETY: the limits live in the runtime.
    assert_eq!(unsafe { (*ctx.limits).unused }, UNTOUCHED);
}

/// The host function the native exit calls: walks from the records and computes a
/// result from every field.
unsafe extern "C" fn host_import(ctx: *mut Context, p: Pair, q: Quad, k: i8) -> Triple {
    unsafe {
        let probe = &*(*ctx).probe;
        let seen = walk(Records::read(ctx, RecordsAt::Context));
        *probe.native.borrow_mut() = Some((seen, p, q, k));
    }
    native_result(p, q, k)
}

fn native_result(p: Pair, q: Quad, k: i8) -> Triple {
    Triple {
        x: p.b * 2.0 + f64::from(q.a),
        y: p.a + q.e + i64::from(k),
        z: i64::from(q.b) * 3 + i64::from(q.c) * 5 + i64::from(q.d) * 7,
    }
}

#[test]
fn native_entry_and_exit_pass_structs_through_and_record() {
    let engine = Engine::new().unwrap();
    let library = common::build_c_library("boundary_host", HOST_C);
    let native = |callee: *const c_void| {
        let signature = signature(NATIVE_SIGNATURE);
        NativeBoundary::new(signature, Bookkeeping::standard(0), callee as u64).unwrap()
    };
    let entry = engine
        .native_entry(&native(library.symbol("guest_native")))
        .unwrap();
    let exit = engine
        .native_exit(&native(
            host_import as unsafe extern "C" fn(_, _, _, _) -> _ as *const c_void,
        ))
        .unwrap();
    // SAFETY: `native_exit` is a function-pointer variable; host_native has this type.
    let host_native: HostNative = unsafe {
        *(library.symbol("native_exit") as *mut *const c_void) = exit.code();
        std::mem::transmute(library.symbol("host_native"))
    };
    let probe = Probe::new(RecordsAt::Context);
    let mut ctx = Context::new(0);
    ctx.probe = &*probe;
    let (p, q, k) = (
        Pair { a: -40, b: 2.25 },
        Quad {
            a: -3,
            b: 11,
            c: -13,
            d: 17,
            e: 1 << 40,
        },
        -9i8,
    );
    let mut host_fp = 0;
    // SAFETY: the entry has host_native's `native_fn` type; everything lives here.
    let result = unsafe { host_native(entry.code(), &mut *ctx, p, q, k, &mut host_fp) };
    let mut want = native_result(p, q, k);
    want.y += 1;
    want.z += 1;
    assert_eq!(
        result, want,
        "the struct result came back through both trampolines"
    );
    let (seen, p_seen, q_seen, k_seen) = probe.native.borrow_mut().take().expect("host_import ran");
    assert_eq!(
        (p_seen, q_seen, k_seen),
        (p, q, k),
        "the arguments reached the host untouched"
    );
    let guest = library.symbol("guest_native") as usize;
    assert_eq!(
        symbol_of(seen.records.exit_pc).as_deref(),
        Some("guest_native")
    );
    assert!(seen.records.exit_pc > guest);
    assert!(seen.reached_entry, "{seen:#x?}");
    assert_eq!(seen.frames.len(), 1, "one C guest frame: {seen:#x?}");
    let ((fp, return_address), code) = (seen.frames[0], entry.code() as usize);
    assert_eq!(fp, seen.records.exit_fp);
    assert!(
        inside(code, entry.code_size(), return_address),
        "guest_native returns into the entry"
    );
    assert!(fp < seen.records.entry_sp && seen.records.entry_sp <= seen.records.entry_fp);
    check_entry_sp_at_call(&seen, "native");
    assert!(seen.records.entry_fp < host_fp);
    assert_eq!(symbol_of(seen.host_return).as_deref(), Some("host_native"));
    assert_eq!(seen.host_fp, host_fp);
}

/// The environment variable that makes [`debug_checks_trap_with_sigill`] a child that
/// runs one trapping scenario.
const TRAP_SCENARIO: &str = "SPRINGBOARD_BOUNDARY_TRAP";

fn checked(boundary: ArrayBoundary) -> ArrayBoundary {
    boundary.with_checks(Some(DebugChecks {
        magic_offset: MAGIC_OFFSET,
        magic: MAGIC,
    }))
}

/// Runs one scenario in this (child) process: a correct call first, then the one that
/// must trap. Returns only if it did not trap.
fn run_trap_scenario(scenario: &str) {
    let engine = Engine::new().unwrap();
    let standard = ArrayBoundary::standard(signature(SIGNATURE)).unwrap();
    let (entry, exit) = match scenario {
        "entry_bad_magic" | "entry_too_small" => (checked(standard.clone()), standard),
        "exit_bad_magic" => (standard.clone(), checked(standard)),
        other => panic!("unknown scenario {other}"),
    };
    let mut runtime = ArrayRuntime::new(&engine, &entry, &exit, RecordsAt::Context, MAGIC);
    runtime.run(0, 2);
    let capacity = match scenario {
        "entry_too_small" => 1,
        _ => {
            runtime.ctx.magic = MAGIC ^ 0x100;
            2
        }
    };
    println!("about to trap: {scenario}");
    runtime.run(0, capacity);
    println!("no trap: {scenario}");
}

#[test]
fn debug_checks_trap_with_sigill() {
    if let Ok(scenario) = std::env::var(TRAP_SCENARIO) {
        run_trap_scenario(&scenario);
        return;
    }
    for scenario in ["entry_bad_magic", "exit_bad_magic", "entry_too_small"] {
        let mut child = Command::new(std::env::current_exe().unwrap());
        child
            .args([
                "debug_checks_trap_with_sigill",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(TRAP_SCENARIO, scenario);
        // SAFETY: only setrlimit between fork and exec: no core file for the trap.
        unsafe {
            child.pre_exec(|| {
                let none = libc::rlimit {
                    rlim_cur: 0,
                    rlim_max: 0,
                };
                libc::setrlimit(libc::RLIMIT_CORE, &none);
                Ok(())
            });
        }
        let output = child.output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            stdout.contains(&format!("about to trap: {scenario}")),
            "{scenario}: the correct call before the trap failed: {}\n{stdout}{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(
            output.status.signal(),
            Some(libc::SIGILL),
            "{scenario}: the child did not die of SIGILL ({}):\n{stdout}",
            output.status
        );
    }
}

#[test]
fn debug_checks_pass_correct_calls_and_are_off_by_default() {
    let engine = Engine::new().unwrap();
    let standard = ArrayBoundary::standard(signature(SIGNATURE)).unwrap();
    assert_eq!(
        standard.bookkeeping().checks,
        None,
        "checks are off by default"
    );
    // Checks on, right magic, exactly enough slots and more: no trap, records correct.
    let checked = checked(standard.clone());
    let mut runtime = ArrayRuntime::new(&engine, &checked, &checked, RecordsAt::Context, MAGIC);
    runtime.run(0, 2);
    runtime.run(1, 64);
    let levels = runtime.probe.levels.borrow();
    assert_eq!(levels.len(), 3);
    check_walk(
        &levels[0].before,
        &runtime.expected(runtime.host_fps()[0]),
        "checked",
    );
    check_walk(
        &levels[2].before,
        &runtime.expected(runtime.host_fps()[1]),
        "checked, nested",
    );
    drop(levels);
    // Checks off: a wrong magic and a zero capacity go unnoticed.
    let mut unchecked =
        ArrayRuntime::new(&engine, &standard, &standard, RecordsAt::Context, !MAGIC);
    unchecked.run(1, 0);
    assert_eq!(unchecked.probe.levels.borrow().len(), 2);
}
