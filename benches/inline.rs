//! Inline C calls (`springboard::module::call_c`) from JIT code against a direct call
//! from Rust and a springboard raw downcall, to the same gcc-compiled callees.
//! BENCHMARKS.md has the results.
//!
//! Every variant runs a loop of `n` calls: the direct one a Rust loop calling the C
//! function pointer, the raw downcall a Rust loop calling the trampoline with filled
//! slots, the inline one a loop compiled into a `JITModule` whose body is the C call
//! `call_c` lowered. `cargo bench --bench inline` measures them under criterion and
//! then interleaved (`benches/support/report.rs`), and prints the table; with
//! `SPRINGBOARD_CALLGRIND=<case>:<variant>` the binary runs one variant
//! `SPRINGBOARD_CALLGRIND_N` times inside `callgrind_loop` and exits (see
//! `scripts/callgrind-inline.sh`); `*_empty` variants are the loops without the call.

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "support/report.rs"]
mod report;

use cranelift_codegen::ir::{condcodes::IntCC, types, AbiParam, InstBuilder};
use cranelift_codegen::settings::Configurable;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::JITModule;
use cranelift_module::{FuncId, Linkage, Module};
use criterion::Criterion;
use report::{callgrind_loop, criterion_dir, fmt_num, fmt_ratio, ratio, repeat};
use springboard::module::{c_signature, call_c, jit_builder_with, CCallee};
use springboard::{Engine, RawDowncall, Signature, Slot};
use std::ffi::c_void;
use std::hint::black_box;
use std::time::Instant;

const C_SOURCE: &str = include_str!("c/downcall.c");
const SUM6: [f64; 6] = [0.5, -1.25, 2.0, 1e10, -3.75, 0.125];
static ADD: [i32; 2] = [2, 40];

/// `extern "C" fn(n: u64, args: *const u8)`: `n` iterations of a loop, each loading the
/// arguments from `args` and calling the callee (or, `empty`, nothing). Both the JIT
/// loop and the direct one read the arguments from memory, so that what differs is the
/// call alone.
type JitLoop = extern "C" fn(u64, *const u8);

/// One callee and every way of calling it.
struct Case {
    name: &'static str,
    raw: RawDowncall,
    callee: *const c_void,
    slots: Vec<Slot>,
    inline: JitLoop,
    inline_empty: JitLoop,
    /// The arguments, where the loops read them.
    memory: *const u8,
}

type AddFn = extern "C" fn(i32, i32) -> i32;
type Sum6Fn = extern "C" fn(f64, f64, f64, f64, f64, f64) -> f64;

impl Case {
    /// `n` direct calls from Rust, in `callgrind_loop` or else `repeat`: the function
    /// pointer in a register and constant arguments, as the JIT loop has them.
    fn direct(&self, n: u64, callgrind: bool) {
        macro_rules! run {
            ($call:expr) => {
                if callgrind {
                    callgrind_loop(n, || $call)
                } else {
                    repeat(n, || $call)
                }
            };
        }
        // SAFETY: the callees are gcc's `add` and `sum6`.
        if self.name == "add" {
            let f = black_box(unsafe { std::mem::transmute::<*const c_void, AddFn>(self.callee) });
            let p = black_box(ADD.as_ptr());
            // SAFETY: `p` points at two i32s.
            run!(f(unsafe { *p }, unsafe { *p.add(1) }))
        } else {
            let f = black_box(unsafe { std::mem::transmute::<*const c_void, Sum6Fn>(self.callee) });
            let p = black_box(SUM6.as_ptr());
            // SAFETY: `p` points at six f64s.
            let at = |i| unsafe { *p.add(i) };
            run!(f(at(0), at(1), at(2), at(3), at(4), at(5)))
        }
    }

    fn raw_call(&self) -> Slot {
        let mut result = Slot::default();
        // SAFETY: the trampoline was built for the callee's signature, one slot each.
        unsafe { (self.raw)(self.callee, self.slots.as_ptr(), &mut result) };
        result
    }
}

/// Compiles the loop calling `symbol` of `signature` with constant arguments.
fn jit_loop(module: &mut JITModule, symbol: &str, signature: &Signature, call: bool) -> FuncId {
    let c = c_signature(module, signature).unwrap();
    let import = module
        .declare_function(symbol, Linkage::Import, &c)
        .unwrap();
    let mut context = module.make_context();
    context.func.signature.params = vec![AbiParam::new(types::I64); 2];
    let mut builder_context = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut context.func, &mut builder_context);
    let (entry, header, body, exit) = (
        b.create_block(),
        b.create_block(),
        b.create_block(),
        b.create_block(),
    );
    b.append_block_params_for_function_params(entry);
    b.append_block_param(header, types::I64);
    b.switch_to_block(entry);
    let (n, memory) = (b.block_params(entry)[0], b.block_params(entry)[1]);
    b.ins().jump(header, &[n.into()]);
    b.switch_to_block(header);
    let left = b.block_params(header)[0];
    let done = b.ins().icmp_imm_u(IntCC::Equal, left, 0);
    b.ins().brif(done, exit, &[], body, &[]);
    b.switch_to_block(body);
    if call {
        let flags = cranelift_codegen::ir::MemFlagsData::trusted();
        let args: Vec<_> = match signature.params.len() {
            2 => (0..2)
                .map(|i| b.ins().load(types::I32, flags, memory, 4 * i))
                .collect(),
            _ => (0..6)
                .map(|i| b.ins().load(types::F64, flags, memory, 8 * i))
                .collect(),
        };
        let callee = CCallee::Func(module.declare_func_in_func(import, b.func));
        call_c(module, &mut b, callee, signature, &args, None).unwrap();
    }
    let next = b.ins().iadd_imm_s(left, -1);
    b.ins().jump(header, &[next.into()]);
    b.switch_to_block(exit);
    b.ins().return_(&[]);
    b.seal_all_blocks();
    b.finalize(module.target_config());
    let name = format!("loop_{symbol}_{call}");
    let id = module
        .declare_function(&name, Linkage::Local, &context.func.signature)
        .unwrap();
    context.set_disasm(std::env::var_os("SPRINGBOARD_LISTING").is_some());
    module.define_function(id, &mut context).unwrap();
    if let Some(vcode) = context.compiled_code().and_then(|code| code.vcode.as_ref()) {
        println!("{name}:\n{vcode}");
    }
    id
}

fn cases(engine: &Engine, library: &common::CLibrary) -> Vec<Case> {
    let mut module = JITModule::new({
        // The runtime's code optimised, as a JIT's hot code would be.
        let mut flags = cranelift_codegen::settings::builder();
        flags.set("opt_level", "speed").unwrap();
        let mut jit = jit_builder_with(flags).unwrap();
        for symbol in ["add", "sum6"] {
            jit.symbol(symbol, library.symbol(symbol) as *const u8);
        }
        jit
    });
    let specs = [
        ("add", "(i32, i32) -> i32"),
        ("sum6", "(f64, f64, f64, f64, f64, f64) -> f64"),
    ];
    let ids: Vec<_> = specs
        .iter()
        .map(|&(symbol, text)| {
            let signature: Signature = text.parse().unwrap();
            let loops = (
                jit_loop(&mut module, symbol, &signature, true),
                jit_loop(&mut module, symbol, &signature, false),
            );
            (symbol, signature, loops)
        })
        .collect();
    module.finalize_definitions().unwrap();
    let cases = ids
        .into_iter()
        .map(|(name, signature, (inline, empty))| {
            let callee = library.symbol(name);
            // SAFETY: the loops were compiled with `JitLoop`'s signature; the callees
            // are gcc's `add` and `sum6`.
            let as_loop = |id| unsafe {
                std::mem::transmute::<*const u8, JitLoop>(module.get_finalized_function(id))
            };
            let slots = match name {
                "add" => vec![Slot::from_i32(2), Slot::from_i32(40)],
                _ => SUM6.iter().map(|&x| Slot::from_f64(x)).collect(),
            };
            Case {
                name,
                raw: engine.downcall(&signature).unwrap().as_raw(),
                callee,
                slots,
                inline: as_loop(inline),
                inline_empty: as_loop(empty),
                memory: match name {
                    "add" => ADD.as_ptr().cast(),
                    _ => SUM6.as_ptr().cast(),
                },
            }
        })
        .collect();
    // The loops' code lives as long as the module: for the whole run.
    std::mem::forget(module);
    cases
}

fn callgrind_mode(spec: &str, cases: &[Case]) {
    let n: u64 = std::env::var("SPRINGBOARD_CALLGRIND_N").map_or(100_000, |n| n.parse().unwrap());
    let (name, variant) = spec.split_once(':').expect("<case>:<variant>");
    let case = cases.iter().find(|case| case.name == name).expect("a case");
    match variant {
        "direct" => case.direct(n, true),
        "direct_empty" => callgrind_loop(n, || ()),
        "raw" => callgrind_loop(n, || case.raw_call()),
        "inline" => callgrind_loop(1, || (case.inline)(n, case.memory)),
        "inline_empty" => callgrind_loop(1, || (case.inline_empty)(n, case.memory)),
        other => panic!("unknown variant {other}"),
    }
}

fn main() {
    let library = common::build_c_library("bench_inline", C_SOURCE);
    let engine = Engine::new().unwrap();
    let cases = cases(&engine, &library);
    if let Ok(spec) = std::env::var("SPRINGBOARD_CALLGRIND") {
        return callgrind_mode(&spec, &cases);
    }
    let mut criterion = Criterion::default()
        .output_directory(&criterion_dir())
        .configure_from_args();
    for case in &cases {
        let mut group = criterion.benchmark_group(format!("inline/{}", case.name));
        group.bench_function("direct", |b| {
            b.iter_custom(|n| timed(|| case.direct(n, false)))
        });
        group.bench_function("inline", |b| {
            b.iter_custom(|n| timed(|| (case.inline)(n, case.memory)))
        });
        group.bench_function("raw_downcall", |b| {
            b.iter_custom(|n| timed(|| repeat(n, || case.raw_call())))
        });
        group.finish();
    }
    criterion.final_summary();
    if !report::benchmarking() {
        return;
    }
    let (rounds, turn) = report::rounds();
    let mut out = format!(
        "\n## Inline C calls, interleaved ({rounds} rounds, median ns per call)\n\n\
         | callee | direct (Rust) | inline (JIT, `call_c`) | raw downcall | inline / direct | raw / direct |\n|---|---|---|---|---|---|\n"
    );
    for case in &cases {
        let mut variants: Vec<report::Variant> = vec![
            ("direct", Box::new(|n| case.direct(n, false))),
            ("inline", Box::new(|n| (case.inline)(n, case.memory))),
            ("raw", Box::new(|n| repeat(n, || case.raw_call()))),
        ];
        let ns = report::interleaved(&mut variants, rounds, turn);
        let (direct, inline, raw) = (Some(ns[0]), Some(ns[1]), Some(ns[2]));
        out += &format!(
            "| `{}` | {} | {} | {} | {} | {} |\n",
            case.name,
            fmt_num(direct, 1.0, 2),
            fmt_num(inline, 1.0, 2),
            fmt_num(raw, 1.0, 2),
            fmt_ratio(ratio(inline, direct)),
            fmt_ratio(ratio(raw, direct)),
        );
    }
    println!("{out}");
}

fn timed(run: impl FnOnce()) -> std::time::Duration {
    let start = Instant::now();
    run();
    start.elapsed()
}
