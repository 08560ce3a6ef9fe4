//! The scalar and struct catalogues through `springboard::module`, in a `JITModule`:
//!
//! - **inline calls**: one JIT function per case loads the case's C values from an
//!   argument buffer (scalars as their natural IR type, structs as pointers to their
//!   bytes), calls the gcc-compiled callee with [`call_c`] (half the cases through a
//!   declared import, half through a pointer) and stores the result; the callees check
//!   every argument, the test checks the result bytes;
//! - **C-callable functions**: one JIT function per case with the case's C signature,
//!   decoded by [`CEntry`], records its parameters and returns the case's result; a
//!   gcc-compiled caller calls it with the case's arguments and checks the result, the
//!   test checks the recorded parameters.
//!
//! Both in the host's C convention and in `win64` with `ms_abi` gcc functions. The
//! variadic call shapes of `tests/common/variadic.rs` go through inline calls too
//! (their call shims included), into gcc callees that walk `va_arg` and hash what they
//! read, and C-callable functions receive them from gcc callers of the variadic type.

mod common;

use common::c_cases::{self, encoded, holds, Bookkeeping};
use common::case::{assert_no_failures, Case};
use common::CLibrary;
use common::{catalogue, struct_catalogue};
use cranelift_codegen::ir::{types, AbiParam, InstBuilder, MemFlagsData};
use cranelift_codegen::Context;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::JITModule;
use cranelift_module::{FuncId, Linkage, Module};
use springboard::module::{c_signature, call_c, jit_builder, CCallee, CEntry};
use springboard::{Convention, Type, Value};

/// The IR type a C scalar has in the runtime's code.
fn natural(ty: &Type) -> cranelift_codegen::ir::Type {
    match ty {
        Type::Bool | Type::I8 | Type::U8 => types::I8,
        Type::I16 | Type::U16 => types::I16,
        Type::I32 | Type::U32 => types::I32,
        Type::I64 | Type::U64 | Type::Isize | Type::Usize | Type::Ptr => types::I64,
        Type::F32 => types::F32,
        Type::F64 => types::F64,
        other => panic!("not a scalar: {other}"),
    }
}

/// One catalogue: its name and its cases (their C comes from [`c_cases`]).
struct Catalogue {
    name: &'static str,
    cases: Vec<Case>,
}

fn scalar_catalogue() -> Catalogue {
    Catalogue {
        name: "scalar",
        cases: catalogue::cases(),
    }
}

fn struct_catalogue() -> Catalogue {
    Catalogue {
        name: "struct",
        cases: struct_catalogue::cases(),
    }
}

/// A function's builder on a fresh entry block; returns its parameters.
fn start<'a>(
    context: &'a mut Context,
    builder_context: &'a mut FunctionBuilderContext,
) -> (FunctionBuilder<'a>, Vec<cranelift_codegen::ir::Value>) {
    let mut b = FunctionBuilder::new(&mut context.func, builder_context);
    let block = b.create_block();
    b.append_block_params_for_function_params(block);
    b.switch_to_block(block);
    b.seal_block(block);
    let params = b.block_params(block).to_vec();
    (b, params)
}

fn define(module: &mut JITModule, context: &mut Context, name: &str) -> FuncId {
    let id = module
        .declare_function(name, Linkage::Local, &context.func.signature)
        .unwrap();
    module
        .define_function(id, context)
        .unwrap_or_else(|e| panic!("{name}: {e:?}"));
    module.clear_context(context);
    id
}

/// `void f(const uint8_t **args, uint8_t *result)`: calls the case's callee inline.
fn define_inline(
    module: &mut JITModule,
    context: &mut Context,
    case: &Case,
    callee: &str,
    through_pointer: bool,
    address: *const std::ffi::c_void,
) -> FuncId {
    let c = c_signature(module, &case.signature).unwrap();
    let import = module
        .declare_function(callee, Linkage::Import, &c)
        .unwrap();
    context.func.signature.params = vec![AbiParam::new(types::I64); 2];
    let mut builder_context = FunctionBuilderContext::new();
    let (mut b, params) = start(context, &mut builder_context);
    let flags = MemFlagsData::trusted();
    let args: Vec<_> = case
        .signature
        .params
        .iter()
        .enumerate()
        .map(|(i, ty)| {
            let pointer = b.ins().load(types::I64, flags, params[0], 8 * i as i32);
            match ty.is_aggregate() {
                true => pointer,
                false => b.ins().load(natural(ty), flags, pointer, 0),
            }
        })
        .collect();
    let callee = if through_pointer {
        CCallee::Pointer(b.ins().iconst(types::I64, address as i64))
    } else {
        CCallee::Func(module.declare_func_in_func(import, b.func))
    };
    let place = case.signature.result.is_aggregate().then_some(params[1]);
    let result = call_c(module, &mut b, callee, &case.signature, &args, place)
        .unwrap_or_else(|e| panic!("{}: {e}", case.name));
    if let Some(value) = result {
        b.ins().store(flags, value, params[1], 0);
    }
    b.ins().return_(&[]);
    b.finalize(module.target_config());
    define(module, context, &format!("inline_{}", case.name))
}

/// Memory a C-callable function records its parameters in and takes its result from.
struct Record {
    /// One buffer per parameter, of its size.
    params: Vec<Vec<u8>>,
    /// The result's bytes.
    result: Vec<u8>,
}

/// A function of the case's C signature: records its parameters' bytes in `record`
/// and returns `record.result`.
fn define_c_callable(
    module: &mut JITModule,
    context: &mut Context,
    case: &Case,
    record: &mut Record,
) -> FuncId {
    context.func.signature = c_signature(module, &case.signature).unwrap();
    let config = module.target_config();
    let mut builder_context = FunctionBuilderContext::new();
    let (mut b, incoming) = start(context, &mut builder_context);
    let entry = CEntry::new(module, &mut b, &case.signature, &incoming)
        .unwrap_or_else(|e| panic!("{}: {e}", case.name));
    let flags = MemFlagsData::trusted();
    for ((ty, &value), buffer) in case
        .signature
        .params
        .iter()
        .zip(entry.params())
        .zip(&mut record.params)
    {
        let to = b.ins().iconst(types::I64, buffer.as_mut_ptr() as i64);
        if ty.is_aggregate() {
            let size = b.ins().iconst(types::I64, ty.size() as i64);
            b.call_memcpy(config, to, value, size);
        } else {
            b.ins().store(flags, value, to, 0);
        }
    }
    let from = b.ins().iconst(types::I64, record.result.as_ptr() as i64);
    let ty = &case.signature.result;
    let result = match ty {
        Type::Void => None,
        ty if ty.is_aggregate() => {
            let size = b.ins().iconst(types::I64, ty.size() as i64);
            b.call_memcpy(config, entry.result_place().unwrap(), from, size);
            None
        }
        ty => Some(b.ins().load(natural(ty), flags, from, 0)),
    };
    entry.return_(&mut b, result).unwrap();
    b.finalize(config);
    define(module, context, &format!("c_callable_{}", case.name))
}

fn run(catalogue: Catalogue, attribute: Option<&str>, convention: Convention) {
    let cases: Vec<Case> = catalogue
        .cases
        .iter()
        .map(|case| Case {
            signature: case.signature.clone().with_convention(convention),
            ..case.clone()
        })
        .collect();
    let tag = format!("module_{}_{convention}", catalogue.name);
    let callees = common::build_c_library(
        &format!("{tag}_callees"),
        &c_cases::c_source(&cases, attribute),
    );
    let callers = common::build_c_library(
        &format!("{tag}_callers"),
        &c_cases::c_callers_source(&cases, attribute),
    );
    let mut jit = jit_builder().unwrap();
    for case in &cases {
        let name = c_cases::symbol(case);
        jit.symbol(name.clone(), callees.symbol(&name) as *const u8);
    }
    let mut module = JITModule::new(jit);
    let mut context = module.make_context();

    let mut records: Vec<Record> = cases
        .iter()
        .map(|case| Record {
            params: case.args.iter().map(|v| vec![0; v.ty().size()]).collect(),
            result: encoded(&case.result),
        })
        .collect();
    let mut inline = Vec::new();
    let mut c_callable = Vec::new();
    for (index, (case, record)) in cases.iter().zip(&mut records).enumerate() {
        let name = c_cases::symbol(case);
        let address = callees.symbol(&name);
        inline.push(define_inline(
            &mut module,
            &mut context,
            case,
            &name,
            index % 2 == 1,
            address,
        ));
        c_callable.push(define_c_callable(&mut module, &mut context, case, record));
    }
    module.finalize_definitions().unwrap();

    let mut failures = Vec::new();
    let bookkeeping = Bookkeeping::bind(&callees);
    check_inline(&module, &cases, &inline, &bookkeeping, &mut failures);
    check_c_callable(
        &module,
        &cases,
        &c_callable,
        &records,
        &callers,
        &mut failures,
    );
    assert_no_failures(&failures, 10, || {
        format!(
            "{} of {} {} cases failed ({convention})",
            failures.len(),
            cases.len(),
            catalogue.name
        )
    });
    eprintln!(
        "{} {} cases passed both ways ({convention})",
        cases.len(),
        catalogue.name
    );
}

/// Calls the inline-call function `id` of `case` with the case's arguments; returns
/// the result bytes.
fn call_inline(module: &JITModule, case: &Case, id: FuncId) -> Vec<u8> {
    let bytes: Vec<Vec<u8>> = case.args.iter().map(encoded).collect();
    let pointers: Vec<*const u8> = bytes.iter().map(|b| b.as_ptr()).collect();
    let mut result = vec![0xa5u8; case.result.ty().size().max(8)];
    // SAFETY: the function was defined with this signature; it reads one argument
    // pointer per parameter and writes the result's bytes.
    let f: extern "C" fn(*const *const u8, *mut u8) =
        unsafe { std::mem::transmute(module.get_finalized_function(id)) };
    f(pointers.as_ptr(), result.as_mut_ptr());
    result
}

fn check_inline(
    module: &JITModule,
    cases: &[Case],
    inline: &[FuncId],
    bookkeeping: &Bookkeeping,
    failures: &mut Vec<String>,
) {
    bookkeeping.reset();
    for (index, (case, &id)) in cases.iter().zip(inline).enumerate() {
        let result = call_inline(module, case, id);
        let recorded = bookkeeping.take();
        if let Some((_, arg, _, _)) = recorded.first {
            failures.push(format!(
                "inline {} `{}`: the callee saw a wrong argument {arg}",
                case.name, case.signature
            ));
        }
        if recorded.calls != 1 {
            failures.push(format!(
                "inline {}: the callee ran {} times",
                case.name, recorded.calls
            ));
        }
        if case.result != Value::Void && !holds(&result, &case.result) {
            failures.push(format!(
                "inline {} `{}` (#{index}): result bytes {:02x?}, expected {:?}",
                case.name,
                case.signature,
                &result[..case.result.ty().size()],
                case.result
            ));
        }
    }
}

fn check_c_callable(
    module: &JITModule,
    cases: &[Case],
    functions: &[FuncId],
    records: &[Record],
    callers: &CLibrary,
    failures: &mut Vec<String>,
) {
    let bookkeeping = Bookkeeping::bind(callers);
    bookkeeping.reset();
    for ((case, &id), record) in cases.iter().zip(functions).zip(records) {
        let caller = callers.symbol(&c_cases::caller_symbol(case));
        let function = module.get_finalized_function(id);
        // SAFETY: the caller takes a function of the case's signature, which `id` is;
        // it has the case's convention itself (`ms_abi` for win64 cases).
        let problems =
            unsafe { c_cases::call_caller(case.signature.convention, caller, function.cast()) };
        let recorded = bookkeeping.take();
        if problems != 0 || recorded.failures != 0 {
            failures.push(format!(
                "C-callable {} `{}`: the gcc caller saw a problem (argument code {:?})",
                case.name,
                case.signature,
                recorded.first.map(|(_, arg, _, _)| arg)
            ));
        }
        for (i, (arg, got)) in case.args.iter().zip(&record.params).enumerate() {
            if !holds(got, arg) {
                failures.push(format!(
                    "C-callable {} `{}`: parameter {i} arrived as {got:02x?}, expected {arg:?}",
                    case.name, case.signature
                ));
            }
        }
    }
}

#[test]
fn scalar_catalogue_through_a_jit_module_in_the_host_c_convention() {
    run(scalar_catalogue(), None, Convention::C);
}

#[test]
fn scalar_catalogue_through_a_jit_module_in_win64() {
    run(
        scalar_catalogue(),
        Some("__attribute__((ms_abi))"),
        Convention::Win64,
    );
}

#[test]
fn struct_catalogue_through_a_jit_module_in_the_host_c_convention() {
    run(struct_catalogue(), None, Convention::C);
}

#[test]
fn struct_catalogue_through_a_jit_module_in_win64() {
    run(
        struct_catalogue(),
        Some("__attribute__((ms_abi))"),
        Convention::Win64,
    );
}

/// A `JITBuilder` for this machine with the pinned register reserved and no shim
/// symbols: the module must define the shims itself (`define_call_shims`).
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
fn jit_builder_without_shims() -> cranelift_jit::JITBuilder {
    use cranelift_codegen::settings::{self, Configurable};
    let mut flags = settings::builder();
    for (name, value) in [
        ("enable_pinned_reg", "true"),
        ("preserve_frame_pointers", "true"),
        ("is_pic", "false"),
    ] {
        flags.set(name, value).unwrap();
    }
    let isa = cranelift_native::builder()
        .unwrap()
        .finish(settings::Flags::new(flags))
        .unwrap();
    cranelift_jit::JITBuilder::with_isa(isa, cranelift_module::default_libcall_names())
}

/// The variadic shapes through inline calls; returns the number of cases. With
/// `own_shims` the module defines the call shims from their bytes instead of using
/// `jit_builder`'s symbols for the shims of this process.
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
fn variadic_inline_calls(convention: Convention, library: &str, own_shims: bool) -> usize {
    use common::variadic;
    let shapes = variadic::cases(convention);
    let source = variadic::c_source(&shapes, convention == Convention::Win64);
    let callees = common::build_c_library(library, &source);
    let cases: Vec<Case> = shapes
        .iter()
        .enumerate()
        .map(|(index, shape)| Case {
            name: format!("variadic_{index}"),
            signature: shape.signature.clone(),
            args: shape.values.clone(),
            result: Value::U64(variadic::hash_values(index, &shape.values)),
        })
        .collect();
    let mut jit = if own_shims {
        jit_builder_without_shims()
    } else {
        jit_builder().unwrap()
    };
    for index in 0..cases.len() {
        let name = format!("sb_callee_{index}");
        jit.symbol(name.clone(), callees.symbol(&name) as *const u8);
    }
    let mut module = JITModule::new(jit);
    let mut context = module.make_context();
    let functions: Vec<FuncId> = cases
        .iter()
        .enumerate()
        .map(|(index, case)| {
            let name = format!("sb_callee_{index}");
            let address = callees.symbol(&name);
            define_inline(
                &mut module,
                &mut context,
                case,
                &name,
                index % 2 == 1,
                address,
            )
        })
        .collect();
    // The reverse: C-callable functions of the call shape, called by gcc's callers
    // through the variadic function pointer type.
    let mut records: Vec<Record> = cases
        .iter()
        .map(|case| Record {
            params: case.args.iter().map(|v| vec![0; v.ty().size()]).collect(),
            result: encoded(&case.result),
        })
        .collect();
    let c_callable: Vec<FuncId> = cases
        .iter()
        .zip(&mut records)
        .map(|(case, record)| define_c_callable(&mut module, &mut context, case, record))
        .collect();
    if own_shims {
        let defined = springboard::module::define_call_shims(&mut module).unwrap();
        assert!(!defined.is_empty(), "no shim was imported ({convention})");
    }
    module.finalize_definitions().unwrap();
    let mut failures = Vec::new();
    for (index, ((case, &id), record)) in cases.iter().zip(&c_callable).zip(&records).enumerate() {
        let caller = callees.symbol(&format!("sb_caller_{index}"));
        // SAFETY: the caller takes a function of the case's call shape and returns
        // what it returned.
        let caller = unsafe {
            std::mem::transmute::<*const std::ffi::c_void, extern "C" fn(*const u8) -> u64>(caller)
        };
        let got = caller(module.get_finalized_function(id));
        if Value::U64(got) != case.result {
            failures.push(format!(
                "C-callable {} `{}`: the caller got {got:#x}",
                case.name, case.signature
            ));
        }
        for (i, (arg, bytes)) in case.args.iter().zip(&record.params).enumerate() {
            if !holds(bytes, arg) {
                failures.push(format!(
                    "C-callable {} `{}`: parameter {i} arrived as {bytes:02x?}, expected {arg:?}",
                    case.name, case.signature
                ));
            }
        }
    }
    for (case, &id) in cases.iter().zip(&functions) {
        let result = call_inline(&module, case, id);
        if !holds(&result, &case.result) {
            failures.push(format!(
                "{} `{}`: result {result:02x?}, expected {:?}",
                case.name, case.signature, case.result
            ));
        }
    }
    assert_no_failures(&failures, 10, || {
        format!(
            "{} of {} variadic calls failed ({convention})",
            failures.len(),
            cases.len()
        )
    });
    cases.len()
}

#[test]
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
fn variadic_inline_calls_in_sysv_go_through_the_vector_count_shim() {
    assert_eq!(
        variadic_inline_calls(Convention::C, "module_variadic_sysv", false),
        116
    );
}

#[test]
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
fn variadic_inline_calls_work_with_shims_the_module_defines() {
    for (convention, library) in [
        (Convention::C, "module_variadic_sysv"),
        (Convention::Win64, "module_variadic_win64"),
    ] {
        assert_eq!(variadic_inline_calls(convention, library, true), 116);
    }
}

#[test]
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
fn variadic_inline_calls_in_win64_go_through_the_float_copies_shim() {
    assert_eq!(
        variadic_inline_calls(Convention::Win64, "module_variadic_win64", false),
        116
    );
}
