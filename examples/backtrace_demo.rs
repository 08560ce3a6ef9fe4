//! A tiny runtime that prints a backtrace across the host boundary from the boundary
//! records alone.
//!
//! The runtime's code is two Cranelift-compiled functions (frame pointers preserved):
//!
//! ```text
//! i64 guest_main(ctx, n)   { return guest_helper(ctx, n) * 10; }
//! i64 guest_helper(ctx, n) { return (n == 0 ? print_backtrace(ctx) : guest_helper(ctx, n - 1)) + 1; }
//! ```
//!
//! They call each other and the host through addresses in the runtime context (as
//! wasm code calls through its vmctx), so their code has no relocations. The host
//! enters `guest_main` through an array entry trampoline (recording the entry SP/FP)
//! and `print_backtrace` is an array exit trampoline (recording the exit FP/PC) whose
//! handler walks the frame-pointer chain from the exit FP up to the entry FP, naming
//! each PC by the code ranges the runtime installed:
//!
//! ```text
//! #0 guest_helper+0x2a
//! #1 guest_helper+0x18
//! #2 guest_main+0xb
//! -- entry --
//! ```
//!
//! (depth 1 on x86-64; the offsets depend on the machine code).
//!
//! `cargo run --example backtrace_demo [DEPTH]`; tests/boundary_demo.rs runs it.

use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::{self, condcodes::IntCC, types, AbiParam, InstBuilder, MemFlagsData};
use cranelift_codegen::isa::OwnedTargetIsa;
use cranelift_codegen::settings::{self, Configurable};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use springboard::code_memory::{CodeMemory, CodeRange};
use springboard::{ArrayBoundary, Engine, Slot};
use std::cell::RefCell;
use std::ffi::c_void;

/// The runtime context the guests get as their first argument.
#[repr(C)]
struct VmContext {
    /// The boundary records, at the offsets of `Bookkeeping::standard`.
    entry_sp: usize,
    entry_fp: usize,
    exit_fp: usize,
    exit_pc: usize,
    /// Imports and functions the guests call through (offsets 32 and 40).
    print_backtrace: *const c_void,
    guest_helper: *const c_void,
    /// The host's runtime state, for the exit handler.
    runtime: *const Runtime,
}

const PRINT_BACKTRACE_OFFSET: i32 = 32;
const GUEST_HELPER_OFFSET: i32 = 40;

/// One frame of a backtrace: the guest function and the PC's offset in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    /// The function's name, `None` for a PC outside the runtime's code.
    pub function: Option<&'static str>,
    /// The PC.
    pub pc: usize,
    /// The PC minus the function's start.
    pub offset: usize,
}

/// What one run printed.
#[derive(Debug)]
pub struct Demo {
    /// What `guest_main` returned.
    pub result: i64,
    /// The frames, innermost first.
    pub frames: Vec<Frame>,
    /// The printed lines (the frames, then `-- entry --`, or a broken-chain note).
    pub lines: Vec<String>,
}

/// The runtime's installed code, by name.
struct Runtime {
    functions: Vec<(&'static str, CodeRange)>,
    backtraces: RefCell<Vec<(Vec<Frame>, Vec<String>)>>,
}

impl Runtime {
    /// The guest function holding the return address `pc` (a call precedes it).
    fn function_of(&self, pc: usize) -> Option<(&'static str, usize)> {
        self.functions
            .iter()
            .find(|(_, range)| range.addr() < pc && pc <= range.addr() + range.len())
            .map(|(name, range)| (*name, pc - range.addr()))
    }

    /// The backtrace from the records alone: the exit PC, then the return address of
    /// each frame from the exit FP until the frame whose caller is the entry
    /// trampoline (the one whose saved FP is the entry FP).
    ///
    /// # Safety
    /// The records describe the current thread's live stack.
    unsafe fn backtrace(&self, ctx: &VmContext) -> (Vec<Frame>, Vec<String>) {
        let mut frames = Vec::new();
        let mut lines = Vec::new();
        let (mut pc, mut fp) = (ctx.exit_pc, ctx.exit_fp);
        loop {
            if fp == ctx.entry_fp {
                lines.push("-- entry --".to_string());
                break;
            }
            if fp == 0 || fp > ctx.entry_fp || frames.len() == 64 {
                lines.push(format!("-- broken chain at fp {fp:#x} --"));
                break;
            }
            let frame = match self.function_of(pc) {
                Some((name, offset)) => Frame {
                    function: Some(name),
                    pc,
                    offset,
                },
                None => Frame {
                    function: None,
                    pc,
                    offset: 0,
                },
            };
            lines.push(match frame.function {
                Some(name) => format!("#{} {name}+{:#x}", frames.len(), frame.offset),
                None => format!("#{} ?? {pc:#x}", frames.len()),
            });
            frames.push(frame);
            // SAFETY: fp is a live frame record: [fp] the caller's FP, [fp + 8] the
            // return address into the caller.
            unsafe {
                pc = *((fp + 8) as *const usize);
                fp = *(fp as *const usize);
            }
        }
        (frames, lines)
    }
}

/// The host side of `print_backtrace(ctx) -> i64`: prints and keeps the backtrace,
/// returns its frame count.
unsafe extern "C" fn print_backtrace(_: *mut c_void, args: *mut Slot, result: *mut Slot) {
    // SAFETY: the exit passes (ctx) in the argument array and one result slot; the
    // context and the runtime outlive the call.
    unsafe {
        let ctx = &*(*args).as_ptr::<VmContext>();
        let runtime = &*ctx.runtime;
        let (frames, lines) = runtime.backtrace(ctx);
        for line in &lines {
            println!("{line}");
        }
        result
            .cast::<Slot>()
            .write(Slot::from_i64(frames.len() as i64));
        runtime.backtraces.borrow_mut().push((frames, lines));
    }
}

/// Cranelift for the guests: this machine, frame pointers preserved.
fn guest_isa() -> OwnedTargetIsa {
    let mut flags = settings::builder();
    flags.set("preserve_frame_pointers", "true").unwrap();
    flags.set("opt_level", "speed").unwrap();
    cranelift_codegen::isa::lookup(target_lexicon::Triple::host())
        .unwrap()
        .finish(settings::Flags::new(flags))
        .unwrap()
}

/// `i64 f(i64 ctx, i64 n)` in the C convention.
fn guest_signature(isa: &OwnedTargetIsa, params: usize) -> ir::Signature {
    let mut signature = ir::Signature::new(isa.default_call_conv());
    signature.params = vec![AbiParam::new(types::I64); params];
    signature.returns = vec![AbiParam::new(types::I64)];
    signature
}

/// Loads the function at `offset` in the context and calls it with `args`.
fn call_through_context(
    builder: &mut FunctionBuilder,
    ctx: ir::Value,
    offset: i32,
    signature: ir::Signature,
    args: &[ir::Value],
) -> ir::Value {
    let function = builder
        .ins()
        .load(types::I64, MemFlagsData::trusted(), ctx, offset);
    let signature = builder.import_signature(signature);
    let call = builder.ins().call_indirect(signature, function, args);
    builder.inst_results(call)[0]
}

fn compile(isa: &OwnedTargetIsa, func: ir::Function) -> Vec<u8> {
    let mut context = cranelift_codegen::Context::for_function(func);
    let compiled = context
        .compile(&**isa, &mut ControlPlane::default())
        .unwrap_or_else(|e| panic!("compiling a guest: {e:?}"));
    assert!(
        compiled.buffer.relocs().is_empty(),
        "guests call through the context"
    );
    compiled.code_buffer().to_vec()
}

fn guest_main(isa: &OwnedTargetIsa) -> Vec<u8> {
    let mut func = ir::Function::with_name_signature(Default::default(), guest_signature(isa, 2));
    let mut builder_context = FunctionBuilderContext::new();
    let mut builder = FunctionBuilder::new(&mut func, &mut builder_context);
    let block = builder.create_block();
    builder.append_block_params_for_function_params(block);
    builder.switch_to_block(block);
    builder.seal_block(block);
    let params = builder.block_params(block).to_vec();
    let helper = guest_signature(isa, 2);
    let result = call_through_context(
        &mut builder,
        params[0],
        GUEST_HELPER_OFFSET,
        helper,
        &params,
    );
    let ten = builder.ins().iconst(types::I64, 10);
    let product = builder.ins().imul(result, ten);
    builder.ins().return_(&[product]);
    builder.finalize(isa.frontend_config());
    compile(isa, func)
}

fn guest_helper(isa: &OwnedTargetIsa) -> Vec<u8> {
    let mut func = ir::Function::with_name_signature(Default::default(), guest_signature(isa, 2));
    let mut builder_context = FunctionBuilderContext::new();
    let mut builder = FunctionBuilder::new(&mut func, &mut builder_context);
    let (entry, leaf, recurse) = (
        builder.create_block(),
        builder.create_block(),
        builder.create_block(),
    );
    builder.append_block_params_for_function_params(entry);
    builder.switch_to_block(entry);
    let params = builder.block_params(entry).to_vec();
    let (ctx, n) = (params[0], params[1]);
    let done = builder.ins().icmp_imm_s(IntCC::Equal, n, 0);
    builder.ins().brif(done, leaf, &[], recurse, &[]);
    for block in [leaf, recurse] {
        builder.switch_to_block(block);
        let result = if block == leaf {
            let import = guest_signature(isa, 1);
            call_through_context(&mut builder, ctx, PRINT_BACKTRACE_OFFSET, import, &[ctx])
        } else {
            let one = builder.ins().iconst(types::I64, 1);
            let less = builder.ins().isub(n, one);
            let helper = guest_signature(isa, 2);
            call_through_context(&mut builder, ctx, GUEST_HELPER_OFFSET, helper, &[ctx, less])
        };
        let one = builder.ins().iconst(types::I64, 1);
        let sum = builder.ins().iadd(result, one);
        builder.ins().return_(&[sum]);
    }
    builder.seal_all_blocks();
    builder.finalize(isa.frontend_config());
    compile(isa, func)
}

/// Compiles and installs the guests, enters `guest_main(ctx, depth)` through an entry
/// trampoline and returns what the `print_backtrace` exit printed.
pub fn run(depth: i64) -> Demo {
    let engine = Engine::new().expect("an engine for this machine");
    let isa = guest_isa();
    let memory = CodeMemory::new().expect("code memory for the guests");
    let code = [guest_main(&isa), guest_helper(&isa)];
    let mut ranges = memory
        .install(&[&code[0], &code[1]])
        .expect("install the guests")
        .into_iter();
    let runtime = Box::new(Runtime {
        functions: vec![
            ("guest_main", ranges.next().unwrap()),
            ("guest_helper", ranges.next().unwrap()),
        ],
        backtraces: RefCell::new(Vec::new()),
    });

    let exit_boundary = ArrayBoundary::standard("(ptr) -> i64".parse().unwrap()).unwrap();
    let exit = engine
        .array_exit_raw(&exit_boundary, print_backtrace, std::ptr::null_mut())
        .expect("the print_backtrace exit");
    let entry_boundary = ArrayBoundary::standard("(ptr, i64) -> i64".parse().unwrap()).unwrap();
    let entry = engine.array_entry(&entry_boundary).expect("the entry");

    let mut ctx = Box::new(VmContext {
        entry_sp: 0,
        entry_fp: 0,
        exit_fp: 0,
        exit_pc: 0,
        print_backtrace: exit.code(),
        guest_helper: runtime.functions[1].1.addr() as *const c_void,
        runtime: &*runtime,
    });
    let args = [
        Slot::from_ptr(&mut *ctx as *mut VmContext),
        Slot::from_i64(depth),
    ];
    let mut result = Slot::default();
    // SAFETY: guest_main takes (ctx, n) as the entry's signature says; the context,
    // code and runtime outlive the call.
    unsafe {
        let guest_main = runtime.functions[0].1.addr() as *const c_void;
        (entry.as_raw())(guest_main, args.as_ptr(), &mut result, args.len());
    }
    let (frames, lines) = runtime
        .backtraces
        .borrow_mut()
        .pop()
        .expect("print_backtrace ran");
    Demo {
        result: result.as_i64(),
        frames,
        lines,
    }
}

fn main() {
    let depth = std::env::args()
        .nth(1)
        .map(|arg| arg.parse().expect("DEPTH is a number"))
        .unwrap_or(1);
    let demo = run(depth);
    println!("guest_main returned {}", demo.result);
}
