//! `springboard::module` in a `JITModule`: trampolines defined with the runtime's own
//! names (`define_trampoline`), a symbol callee resolved to a function of the module,
//! and the typed errors of the inline-call API for IR values that do not fit.

use cranelift_codegen::ir::{self, types, AbiParam};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_jit::{JITBuilder, JITModule};
use cranelift_module::{default_libcall_names, Linkage, Module};
use springboard::module::{c_signature, call_c, define_trampoline, jit_builder, CCallee, CEntry};
use springboard::{Callee, Error, FastCall, InlineError, Request, Signature, Slot};
use std::ffi::c_void;

extern "C" fn add(a: i32, b: i32) -> i32 {
    a.wrapping_mul(10) + b
}

/// A handler that answers `a * 100 + b + context`.
extern "C" fn handler(context: *mut c_void, args: *const Slot, result: *mut Slot) {
    // SAFETY: a callback of `(i32, i32) -> i32` passes two slots and a result slot.
    unsafe {
        let (a, b) = ((*args).as_i32(), (*args.add(1)).as_i32());
        *result = Slot::from_i32(a * 100 + b + context as i32);
    }
}

#[test]
fn trampolines_are_functions_of_the_runtime_module() {
    let mut jit = jit_builder().unwrap();
    jit.symbol("host_add", add as *const u8);
    let mut module = JITModule::new(jit);
    let mut context = module.make_context();
    let signature: Signature = "(i32, i32) -> i32".parse().unwrap();
    let down = define_trampoline(
        &mut module,
        &mut context,
        "rt_down",
        Linkage::Local,
        &Request::Downcall(signature.clone()),
    )
    .unwrap();
    assert_eq!(down.data, None);
    let callback = define_trampoline(
        &mut module,
        &mut context,
        "rt_callback",
        Linkage::Export,
        &Request::Callback(signature.clone()),
    )
    .unwrap();
    // A fast call whose callee is a symbol: the module's import `host_add`.
    let fast = FastCall::new(signature.clone(), Callee::from("host_add"));
    let fast = define_trampoline(
        &mut module,
        &mut context,
        "rt_fast",
        Linkage::Local,
        &Request::FastCall(fast),
    )
    .unwrap();
    module.finalize_definitions().unwrap();

    // SAFETY: a downcall trampoline has this type; two argument slots.
    let raw: extern "C" fn(*const c_void, *const Slot, *mut Slot) =
        unsafe { std::mem::transmute(module.get_finalized_function(down.function)) };
    let mut result = Slot::default();
    raw(
        add as *const c_void,
        [Slot::from_i32(4), Slot::from_i32(2)].as_ptr(),
        &mut result,
    );
    assert_eq!(result.as_i32(), 42);

    let (entry, size) = module.get_finalized_data(callback.data.expect("a data entry"));
    assert_eq!(size, 16);
    // SAFETY: the entry is the writable `{handler, context}` the module defined.
    unsafe {
        let entry = entry as *mut usize;
        *entry = handler as *const () as usize;
        *entry.add(1) = 7;
    }
    // SAFETY: the callback has the C signature `(i32, i32) -> i32`.
    let f: extern "C" fn(i32, i32) -> i32 =
        unsafe { std::mem::transmute(module.get_finalized_function(callback.function)) };
    assert_eq!(f(3, 5), 312);

    // The fast call's entry: (receiver, a, b, options) -> i32 calling host_add(a, b).
    // SAFETY: the default fast call's entry signature.
    let fast: extern "C" fn(*const c_void, i32, i32, *const c_void) -> i32 =
        unsafe { std::mem::transmute(module.get_finalized_function(fast.function)) };
    assert_eq!(fast(std::ptr::null(), 4, 3, std::ptr::null()), 43);
}

/// Builds a function of `params` in `module` and hands its builder and parameters to
/// `body`; returns what `body` returned (the function is never compiled).
fn with_function<T>(
    module: &mut JITModule,
    params: ir::Signature,
    body: impl FnOnce(&mut JITModule, &mut FunctionBuilder, &[ir::Value]) -> T,
) -> T {
    let mut func = ir::Function::with_name_signature(ir::UserFuncName::default(), params);
    let mut builder_context = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut builder_context);
    let block = b.create_block();
    b.append_block_params_for_function_params(block);
    b.switch_to_block(block);
    let params = b.block_params(block).to_vec();
    body(module, &mut b, &params)
}

fn signature(params: &[ir::Type]) -> ir::Signature {
    let mut sig = ir::Signature::new(cranelift_codegen::isa::CallConv::SystemV);
    sig.params = params.iter().map(|&t| AbiParam::new(t)).collect();
    sig
}

fn inline_error(module: &mut JITModule, c: &str, params: &[ir::Type], result: bool) -> Error {
    let c: Signature = c.parse().unwrap();
    with_function(module, signature(params), |module, b, values| {
        let (callee, args) = values.split_first().unwrap();
        let place = result.then_some(*callee);
        call_c(module, b, CCallee::Pointer(*callee), &c, args, place).unwrap_err()
    })
}

#[test]
fn ir_values_that_do_not_fit_are_typed_errors() {
    let mut module = JITModule::new(jit_builder().unwrap());
    let p = types::I64;
    assert!(matches!(
        inline_error(&mut module, "(i32, i32) -> i32", &[p, types::I32], false),
        Error::Arity {
            expected: 2,
            found: 1
        }
    ));
    match inline_error(
        &mut module,
        "(i32, f64) -> i32",
        &[p, types::I32, types::F32],
        false,
    ) {
        Error::Inline(InlineError::ArgumentType {
            index: 1,
            expected,
            found,
            ..
        }) => {
            assert_eq!((expected.as_str(), found.as_str()), ("f64", "f32"))
        }
        other => panic!("{other:?}"),
    }
    // A struct argument is a pointer to its bytes.
    assert!(matches!(
        inline_error(&mut module, "({f64, f64}) -> f64", &[p, types::F64], false),
        Error::Inline(InlineError::ArgumentType { index: 0, .. })
    ));
    assert!(matches!(
        inline_error(&mut module, "() -> {i32, i32}", &[p], false),
        Error::Inline(InlineError::NoResultPlace { .. })
    ));

    // A declared callee whose signature is not the lowering.
    let c: Signature = "(i8) -> i8".parse().unwrap();
    let wrong = signature(&[types::I64]);
    let id = module
        .declare_function("elsewhere", Linkage::Import, &wrong)
        .unwrap();
    let error = with_function(&mut module, signature(&[types::I8]), |module, b, values| {
        let callee = CCallee::Func(module.declare_func_in_func(id, b.func));
        call_c(module, b, callee, &c, values, None).unwrap_err()
    });
    assert!(
        matches!(error, Error::Inline(InlineError::CalleeSignature { .. })),
        "{error}"
    );

    // Incoming parameters that are not the C signature's lowering.
    let error = with_function(
        &mut module,
        signature(&[types::F64]),
        |module, b, values| {
            CEntry::new(module, b, &"(i32) -> i32".parse().unwrap(), values).unwrap_err()
        },
    );
    assert!(
        matches!(error, Error::Inline(InlineError::Params { .. })),
        "{error}"
    );
    let lowered = c_signature(&module, &"(i32) -> i32".parse().unwrap()).unwrap();
    let error = with_function(&mut module, lowered, |module, b, values| {
        let entry = CEntry::new(module, b, &"(i32) -> i32".parse().unwrap(), values).unwrap();
        entry.return_(b, None).unwrap_err()
    });
    assert!(
        matches!(error, Error::Inline(InlineError::ResultType { .. })),
        "{error}"
    );
}

#[test]
#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
fn a_variadic_call_that_needs_a_shim_needs_the_pinned_register() {
    // A JITBuilder of the runtime's own, without `enable_pinned_reg`.
    let mut module = JITModule::new(JITBuilder::new(default_libcall_names()).unwrap());
    let error = inline_error(
        &mut module,
        "(ptr, ...; f64) -> i32",
        &[types::I64, types::I64, types::F64],
        false,
    );
    match error {
        Error::Inline(InlineError::NeedsPinnedRegister { shim, .. }) => {
            assert_eq!(shim, "sysv_al_1")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_name_the_module_already_has_is_a_typed_error() {
    let mut module = JITModule::new(jit_builder().unwrap());
    let mut context = module.make_context();
    let request = Request::Downcall("(i32) -> i32".parse().unwrap());
    define_trampoline(&mut module, &mut context, "twice", Linkage::Local, &request).unwrap();
    let other = Request::Callback("(i32) -> i32".parse().unwrap());
    match define_trampoline(&mut module, &mut context, "twice", Linkage::Local, &other) {
        Err(Error::Codegen(springboard::CodegenError::Module { symbol, .. })) => {
            assert_eq!(symbol, "twice")
        }
        other => panic!("{other:?}"),
    }
}

/// Sets errno to its argument and fails.
#[cfg(target_os = "linux")]
extern "C" fn fail_with(code: i32) -> i32 {
    // SAFETY: this thread's errno.
    unsafe { *libc::__errno_location() = code };
    -1
}

#[test]
#[cfg(target_os = "linux")]
fn an_errno_downcall_imports_the_c_library_accessor() {
    let mut module = JITModule::new(jit_builder().unwrap());
    let mut context = module.make_context();
    let request = Request::ErrnoDowncall(
        "(i32) -> i32".parse().unwrap(),
        springboard::ErrnoMode::Capture,
    );
    let defined = define_trampoline(
        &mut module,
        &mut context,
        "rt_errno",
        Linkage::Local,
        &request,
    )
    .unwrap();
    module.finalize_definitions().unwrap();
    // SAFETY: an errno downcall: callee, argument slots, result slot, errno place.
    let raw: extern "C" fn(*const c_void, *const Slot, *mut Slot, *mut i32) =
        unsafe { std::mem::transmute(module.get_finalized_function(defined.function)) };
    let (mut result, mut place) = (Slot::default(), 0);
    raw(
        fail_with as *const c_void,
        [Slot::from_i32(libc::ENOSPC)].as_ptr(),
        &mut result,
        &mut place,
    );
    assert_eq!((result.as_i32(), place), (-1, libc::ENOSPC));
}
