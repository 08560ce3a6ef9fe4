//! springboard's ABI layer for runtimes built on Cranelift (feature `module`): trampolines
//! defined in the runtime's own [`cranelift_module::Module`], and C calls made straight
//! from the runtime's own IR.
//!
//! This API has Cranelift types in it ([`Module`], [`FunctionBuilder`], IR values and
//! signatures): they are those of the Cranelift version springboard pins (0.135.8) and
//! change when it does, so its stability follows Cranelift's, not springboard's.
//!
//! - [`define_trampoline`] declares and defines any trampoline kind as a function of
//!   the module, with the runtime's name and linkage; symbol callees become the
//!   module's functions of that name (its own, or imports). [`emit_object`] is this
//!   function applied to an `ObjectModule`.
//! - [`c_signature`] is the Cranelift signature of a C function (to declare C
//!   functions and C-callable functions in the module), [`call_c`] a C call from a
//!   `FunctionBuilder` (arguments and results as IR values, structs as pointers to
//!   their bytes), and [`CEntry`] the C parameters of a C-callable function decoded
//!   into IR values, and its return.
//!
//! Every convention springboard lowers is available, variadic calls included. A
//! variadic call whose convention needs register setup Cranelift cannot express goes
//! through one of springboard's call shims: the module imports it as
//! `springboard_shim_NAME` and its ISA must have `enable_pinned_reg`.
//! [`define_call_shims`] then defines the imported shims in the module from their
//! machine code (what [`emit_object`] does); with the `jit-module` feature,
//! [`jit_builder`] instead makes a `JITBuilder` with the pinned register and the
//! shims of this process as symbols.
//!
//! [`emit_object`]: crate::emit_object

use crate::abi::errno::{Accessors, ERRNO_NAMESPACE};
use crate::abi::shim::{Shim, SHIM_NAMESPACE};
use crate::abi::{self, ArgLowering, LoweredSignature, ResultLowering, Target};
use crate::error::{CodegenError, Error, InlineError};
use crate::signature::Signature;
use crate::trampoline::moves::{self, IrResult, IrValues};
use crate::trampoline::{Request, CALLEE_NAMESPACE, DATA_SYMBOL};
use cranelift_codegen::ir::{self, ExternalName, InstBuilder, UserExternalName};
use cranelift_codegen::Context;
use cranelift_frontend::FunctionBuilder;
use cranelift_module::{DataDescription, DataId, FuncId, Linkage, Module};

/// Namespace 0 of user external names is cranelift-module's namespace for functions,
/// 1 for data objects.
const FUNCTION_NAMESPACE: u32 = 0;
const DATA_NAMESPACE: u32 = 1;

/// The springboard target `module` compiles for.
fn target_of<M: Module + ?Sized>(module: &M) -> Result<Target, Error> {
    Target::from_triple(module.isa().triple().clone())
}

fn module_error(symbol: &str, error: impl std::fmt::Display) -> Error {
    CodegenError::Module {
        symbol: symbol.to_string(),
        message: error.to_string(),
    }
    .into()
}

/// What [`define_trampoline`] put in the module.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Defined {
    /// The trampoline.
    pub function: FuncId,
    /// A callback's (or array exit's) data entry `NAME_entry`: two zeroed pointers,
    /// `{handler, context}`, that the runtime writes before the code runs.
    pub data: Option<DataId>,
}

/// Declares `name` with `linkage` in `module` and defines it as the trampoline
/// `request` asks for, compiled with the module's ISA in `context` (which holds the
/// compiled code afterwards, for the caller's unwind or debug information; clear it
/// before its next use).
///
/// Symbol callees (fast calls, native boundaries) and an errno downcall's accessors
/// (the target's C library functions) are the module's functions of that name:
/// declared as imports unless the module defines them. A callback's data entry
/// is a writable data object `NAME_entry` (see [`Defined::data`]).
///
/// ```
/// use cranelift_codegen::{isa, settings};
/// use cranelift_module::{default_libcall_names, Linkage, Module};
/// use cranelift_object::{ObjectBuilder, ObjectModule};
/// use springboard::{module::define_trampoline, Request};
///
/// let flags = settings::Flags::new(settings::builder());
/// let isa = isa::lookup("x86_64-unknown-linux-gnu".parse().unwrap()).unwrap().finish(flags).unwrap();
/// let builder = ObjectBuilder::new(isa, "runtime", default_libcall_names()).unwrap();
/// let mut module = ObjectModule::new(builder);
/// let mut context = module.make_context();
/// let request = Request::Callback("(ptr, ptr) -> i32".parse()?);
/// let defined = define_trampoline(&mut module, &mut context, "compare", Linkage::Export, &request)?;
/// assert!(defined.data.is_some());
/// let bytes = module.finish().emit().unwrap();
/// assert_eq!(&bytes[..4], b"\x7fELF");
/// # Ok::<(), springboard::Error>(())
/// ```
pub fn define_trampoline<M: Module + ?Sized>(
    module: &mut M,
    context: &mut Context,
    name: &str,
    linkage: Linkage,
    request: &Request,
) -> Result<Defined, Error> {
    let target = target_of(module)?;
    context.clear();
    let mut builder_context = cranelift_frontend::FunctionBuilderContext::new();
    request.build(&mut context.func, &mut builder_context, &target)?;
    let function = module
        .declare_function(name, linkage, &context.func.signature)
        .map_err(|e| module_error(name, e))?;
    let symbols = request.callee_symbols();
    // An errno downcall's accessors: the target's C library functions.
    let accessors = match request {
        Request::ErrnoDowncall(..) => Accessors::of(&target)?.symbols(),
        _ => Vec::new(),
    };
    let references: Vec<_> = context
        .func
        .params
        .user_named_funcs()
        .iter()
        .map(|(reference, user)| (reference, user.clone()))
        .collect();
    let mut data = None;
    for (reference, user) in references {
        let renamed = if user == DATA_SYMBOL {
            let entry = format!("{name}_entry");
            let id = module
                .declare_data(&entry, linkage_of_data(linkage), true, false)
                .map_err(|e| module_error(&entry, e))?;
            let mut description = DataDescription::new();
            description.define_zeroinit(2 * target.pointer_type().bytes() as usize);
            description.set_align(8);
            module
                .define_data(id, &description)
                .map_err(|e| module_error(&entry, e))?;
            data = Some(id);
            UserExternalName::new(DATA_NAMESPACE, id.as_u32())
        } else if user.namespace == CALLEE_NAMESPACE || user.namespace == ERRNO_NAMESPACE {
            let symbol = match user.namespace {
                CALLEE_NAMESPACE => symbols[user.index as usize],
                _ => accessors[user.index as usize],
            };
            let signature = ext_signature(&context.func, reference);
            let id = module
                .declare_function(symbol, Linkage::Import, &signature)
                .map_err(|e| module_error(symbol, e))?;
            UserExternalName::new(FUNCTION_NAMESPACE, id.as_u32())
        } else if let Some(shim) =
            Shim::from_index(user.index).filter(|_| user.namespace == SHIM_NAMESPACE)
        {
            let id = import_shim(module, request.signature(), shim)?;
            UserExternalName::new(FUNCTION_NAMESPACE, id.as_u32())
        } else {
            continue;
        };
        context.func.params.reset_user_func_name(reference, renamed);
    }
    module
        .define_function(function, context)
        .map_err(|e| module_error(name, format!("{e:?}")))?;
    Ok(Defined { function, data })
}

/// A data entry is exported with its function, and local to a local one.
fn linkage_of_data(linkage: Linkage) -> Linkage {
    match linkage {
        Linkage::Local => Linkage::Local,
        Linkage::Hidden => Linkage::Hidden,
        _ => Linkage::Export,
    }
}

/// The Cranelift signature `func` calls the external function `reference` with.
fn ext_signature(func: &ir::Function, reference: ir::UserExternalNameRef) -> ir::Signature {
    func.dfg
        .ext_funcs
        .values()
        .find(|ext| ext.name == ExternalName::User(reference))
        .map(|ext| func.dfg.signatures[ext.signature].clone())
        .unwrap_or_else(|| ir::Signature::new(func.signature.call_conv))
}

/// The module's import of `shim`. Every call of it has its own signature (the
/// callee's), so the declaration has none; the module's ISA must reserve the pinned
/// register.
fn import_shim<M: Module + ?Sized>(
    module: &mut M,
    signature: &Signature,
    shim: Shim,
) -> Result<FuncId, Error> {
    let name = shim_symbol(shim);
    // The x87 shims are ordinary functions: no pinned register (declared without a
    // signature like the others, each call giving its own).
    if shim.takes_callee() && !module.isa().flags().enable_pinned_reg() {
        return Err(InlineError::NeedsPinnedRegister {
            signature: signature.clone(),
            shim: shim.to_string(),
        }
        .into());
    }
    let declared = ir::Signature::new(module.isa().default_call_conv());
    module
        .declare_function(&name, Linkage::Import, &declared)
        .map_err(|e| module_error(&name, e))
}

/// The symbol a module imports `shim` as.
fn shim_symbol(shim: Shim) -> String {
    format!("springboard_shim_{shim}")
}

/// Defines, as local functions of `module`, the call shims its functions imported so
/// far ([`define_trampoline`] and [`call_c`] import a shim for a variadic call whose
/// convention needs one), from their machine code ([`Shim::code`]); returns what it
/// defined. An object file then needs nothing from springboard at link time; a
/// `JITModule` may use it instead of [`jit_builder`]'s symbols. Call it after the
/// last function that makes such calls, before `finish`; shims defined already are
/// left alone.
///
/// ```
/// use cranelift_codegen::settings::{self, Configurable};
/// use cranelift_codegen::isa;
/// use cranelift_module::{default_libcall_names, Linkage, Module};
/// use cranelift_object::{ObjectBuilder, ObjectModule};
/// use springboard::module::{define_call_shims, define_trampoline};
/// use springboard::Request;
///
/// let mut flags = settings::builder();
/// flags.set("enable_pinned_reg", "true").unwrap();
/// let isa = isa::lookup("x86_64-unknown-linux-gnu".parse().unwrap()).unwrap();
/// let isa = isa.finish(settings::Flags::new(flags)).unwrap();
/// let builder = ObjectBuilder::new(isa, "runtime", default_libcall_names()).unwrap();
/// let mut module = ObjectModule::new(builder);
/// let mut context = module.make_context();
/// let printf = Request::Downcall("(ptr, ...; i32, f64) -> i32".parse()?);
/// define_trampoline(&mut module, &mut context, "call_printf", Linkage::Export, &printf)?;
/// assert_eq!(define_call_shims(&mut module)?.len(), 1); // `mov eax, 1; jmp r15`
/// # Ok::<(), springboard::Error>(())
/// ```
pub fn define_call_shims<M: Module + ?Sized>(module: &mut M) -> Result<Vec<FuncId>, Error> {
    let imported: Vec<(FuncId, Shim)> = Shim::all()
        .filter_map(|shim| match module.get_name(&shim_symbol(shim)) {
            Some(cranelift_module::FuncOrDataId::Func(id))
                if module.declarations().get_function_decl(id).linkage == Linkage::Import =>
            {
                Some((id, shim))
            }
            _ => None,
        })
        .collect();
    for &(id, shim) in &imported {
        let name = shim_symbol(shim);
        let declared = ir::Signature::new(module.isa().default_call_conv());
        module
            .declare_function(&name, Linkage::Local, &declared)
            .map_err(|e| module_error(&name, e))?;
        module
            .define_function_bytes(id, 16, shim.code(), &[])
            .map_err(|e| module_error(&name, e))?;
    }
    Ok(imported.into_iter().map(|(id, _)| id).collect())
}

/// The Cranelift signature of a C function of `signature` in `module`'s target: what
/// to declare C functions (imports, or C-callable functions of the runtime) with.
pub fn c_signature<M: Module + ?Sized>(
    module: &M,
    signature: &Signature,
) -> Result<ir::Signature, Error> {
    Ok(abi::lower_signature(signature, &target_of(module)?)?.signature)
}

/// The C function an inline call calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CCallee {
    /// A function of the module, declared in this function (`declare_func_in_func`)
    /// with the signature [`c_signature`] gives.
    Func(ir::FuncRef),
    /// The function's address.
    Pointer(ir::Value),
}

/// Emits a call of the C function `callee`, of `signature`, with `args` (one IR value
/// per C parameter: a scalar as its natural IR type, `i8` 0 or 1 for `bool`, a struct
/// as a pointer to its bytes) at `builder`'s current position. Returns the scalar
/// result as its natural IR type; a struct result is written to `result` (a pointer to
/// memory for its bytes, required then), `void` returns `None`.
///
/// ```
/// use cranelift_codegen::ir::{types, AbiParam, InstBuilder};
/// use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
/// use cranelift_module::{Linkage, Module};
/// use springboard::module::{c_signature, call_c, jit_builder, CCallee};
///
/// extern "C" fn scale(x: f64, by: i8) -> f64 { x * by as f64 }
///
/// let mut jit = jit_builder()?;
/// jit.symbol("scale", scale as *const u8);
/// let mut module = cranelift_jit::JITModule::new(jit);
/// let c = "(f64, i8) -> f64".parse()?;
/// let scale_id = module.declare_function("scale", Linkage::Import, &c_signature(&module, &c)?).unwrap();
///
/// // A runtime function `f64 twice_minus(f64 x)` that calls `scale(x, -2)`.
/// let mut context = module.make_context();
/// context.func.signature.params.push(AbiParam::new(types::F64));
/// context.func.signature.returns.push(AbiParam::new(types::F64));
/// let mut builder_context = FunctionBuilderContext::new();
/// let mut b = FunctionBuilder::new(&mut context.func, &mut builder_context);
/// let block = b.create_block();
/// b.append_block_params_for_function_params(block);
/// b.switch_to_block(block);
/// let x = b.block_params(block)[0];
/// let by = b.ins().iconst(types::I8, -2);
/// let callee = CCallee::Func(module.declare_func_in_func(scale_id, b.func));
/// let y = call_c(&mut module, &mut b, callee, &c, &[x, by], None)?.unwrap();
/// b.ins().return_(&[y]);
/// b.seal_all_blocks();
/// b.finalize(module.target_config());
/// let id = module.declare_function("twice_minus", Linkage::Local, &context.func.signature).unwrap();
/// module.define_function(id, &mut context).unwrap();
/// module.finalize_definitions().unwrap();
/// // SAFETY: the function has this signature.
/// let f: extern "C" fn(f64) -> f64 = unsafe { std::mem::transmute(module.get_finalized_function(id)) };
/// assert_eq!(f(1.5), -3.0);
/// # Ok::<(), springboard::Error>(())
/// ```
pub fn call_c<M: Module + ?Sized>(
    module: &mut M,
    builder: &mut FunctionBuilder,
    callee: CCallee,
    signature: &Signature,
    args: &[ir::Value],
    result: Option<ir::Value>,
) -> Result<Option<ir::Value>, Error> {
    let target = target_of(module)?;
    let lowered = abi::lower_signature(signature, &target)?;
    let pointer = target.pointer_type();
    check_args(builder, &lowered, signature, args, pointer)?;
    let mut sink = IrResult {
        place: struct_place(builder, &lowered, signature, result, pointer)?,
        value: None,
    };
    if let CCallee::Func(func) = callee {
        let declared = &builder.func.dfg.signatures[builder.func.dfg.ext_funcs[func].signature];
        if *declared != lowered.signature {
            return Err(InlineError::CalleeSignature {
                signature: signature.clone(),
                expected: lowered.signature.to_string(),
                found: declared.to_string(),
            }
            .into());
        }
    }
    let call_args = moves::call_args(
        builder,
        &lowered,
        pointer,
        &mut IrValues::new(args),
        &mut sink,
    );
    let call = match (lowered.shim(), callee) {
        (None, CCallee::Func(func)) => builder.ins().call(func, &call_args),
        (None, CCallee::Pointer(address)) => {
            let sig = builder.import_signature(lowered.signature.clone());
            builder.ins().call_indirect(sig, address, &call_args)
        }
        (Some(shim), callee) => {
            let address = match callee {
                CCallee::Func(func) => builder.ins().func_addr(pointer, func),
                CCallee::Pointer(address) => address,
            };
            let id = import_shim(module, signature, shim)?;
            let name = UserExternalName::new(FUNCTION_NAMESPACE, id.as_u32());
            let sig = lowered.signature.clone();
            crate::trampoline::call_through_shim_named(builder, name, sig, address, &call_args)
        }
    };
    let returned = builder.inst_results(call).to_vec();
    moves::deliver_results(builder, &lowered, &returned, &mut sink);
    Ok(sink.value)
}

/// Checks that `args` are the IR values `lowered`'s C parameters need.
fn check_args(
    builder: &FunctionBuilder,
    lowered: &LoweredSignature,
    signature: &Signature,
    args: &[ir::Value],
    pointer: ir::Type,
) -> Result<(), Error> {
    if args.len() != lowered.params.len() {
        return Err(Error::Arity {
            expected: lowered.params.len(),
            found: args.len(),
        });
    }
    for (index, (param, &arg)) in lowered.params.iter().zip(args).enumerate() {
        let expected = match param {
            ArgLowering::Scalar(scalar) => scalar.natural,
            ArgLowering::Pieces { .. } | ArgLowering::ByReference { .. } => pointer,
        };
        let found = builder.func.dfg.value_type(arg);
        if found != expected {
            return Err(InlineError::ArgumentType {
                signature: signature.clone(),
                index,
                expected: expected.to_string(),
                found: found.to_string(),
            }
            .into());
        }
    }
    Ok(())
}

/// The place of a struct result: `result`, a pointer, required for a struct.
fn struct_place(
    builder: &FunctionBuilder,
    lowered: &LoweredSignature,
    signature: &Signature,
    result: Option<ir::Value>,
    pointer: ir::Type,
) -> Result<Option<ir::Value>, Error> {
    let is_struct = matches!(
        lowered.result,
        ResultLowering::Pieces { .. }
            | ResultLowering::Indirect { .. }
            | ResultLowering::X87 { .. }
    );
    match result {
        _ if !is_struct => Ok(None),
        None => Err(InlineError::NoResultPlace {
            signature: signature.clone(),
        }
        .into()),
        Some(place) => {
            check_result_type(builder, signature, Some(place), pointer)?;
            Ok(Some(place))
        }
    }
}

fn check_result_type(
    builder: &FunctionBuilder,
    signature: &Signature,
    value: Option<ir::Value>,
    expected: ir::Type,
) -> Result<(), Error> {
    let found = value.map(|value| builder.func.dfg.value_type(value));
    if found == Some(expected) {
        return Ok(());
    }
    Err(InlineError::ResultType {
        signature: signature.clone(),
        expected: expected.to_string(),
        found: found.map_or_else(|| "none".to_string(), |ty| ty.to_string()),
    }
    .into())
}

/// The C side of a runtime function callable from C: its parameters decoded from the
/// incoming ABI values, and its return.
///
/// Declare the function with [`c_signature`], start its entry block with the
/// signature's parameters, and make a `CEntry` from them: [`CEntry::params`] are the
/// C values (a scalar as its natural IR type, a struct as a pointer to its bytes), a
/// struct result is written to [`CEntry::result_place`], and [`CEntry::return_`] ends
/// the function.
#[derive(Debug)]
pub struct CEntry {
    signature: Signature,
    lowered: LoweredSignature,
    params: Vec<ir::Value>,
    result_place: Option<ir::Value>,
}

impl CEntry {
    /// Decodes `incoming`, the entry block's parameters of a function declared with
    /// [`c_signature`] for `signature`, at `builder`'s current position.
    pub fn new<M: Module + ?Sized>(
        module: &M,
        builder: &mut FunctionBuilder,
        signature: &Signature,
        incoming: &[ir::Value],
    ) -> Result<CEntry, Error> {
        let target = target_of(module)?;
        let lowered = abi::lower_signature(signature, &target)?;
        let pointer = target.pointer_type();
        let given: Vec<ir::Type> = incoming
            .iter()
            .map(|&value| builder.func.dfg.value_type(value))
            .collect();
        let wanted: Vec<ir::Type> = lowered
            .signature
            .params
            .iter()
            .map(|p| p.value_type)
            .collect();
        if given != wanted {
            let clif = |types: &[ir::Type]| {
                types
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            return Err(InlineError::Params {
                signature: signature.clone(),
                expected: clif(&wanted),
                found: clif(&given),
            }
            .into());
        }
        let params = (0..lowered.params.len())
            .map(|index| moves::incoming_value(builder, &lowered, incoming, index, pointer))
            .collect();
        let result_place = match &lowered.result {
            ResultLowering::Indirect { abi_index, .. } => Some(incoming[*abi_index]),
            ResultLowering::Pieces { ty, .. } | ResultLowering::X87 { ty } => {
                Some(moves::frame_buffer(builder, pointer, ty.size() as u32))
            }
            ResultLowering::Void | ResultLowering::Scalar(_) => None,
        };
        Ok(CEntry {
            signature: signature.clone(),
            lowered,
            params,
            result_place,
        })
    }

    /// The C parameters, in order.
    pub fn params(&self) -> &[ir::Value] {
        &self.params
    }

    /// For a struct result, the pointer to write its bytes to before
    /// [`CEntry::return_`].
    pub fn result_place(&self) -> Option<ir::Value> {
        self.result_place
    }

    /// Emits the C return: `value` is the scalar result as its natural IR type
    /// (`None` for `void` and structs, whose bytes are at [`CEntry::result_place`]).
    pub fn return_(
        &self,
        builder: &mut FunctionBuilder,
        value: Option<ir::Value>,
    ) -> Result<(), Error> {
        let mut source = IrResult {
            place: self.result_place,
            value: None,
        };
        match &self.lowered.result {
            ResultLowering::Scalar(scalar) => {
                check_result_type(builder, &self.signature, value, scalar.natural)?;
                source.value = value;
            }
            _ if value.is_some() => {
                return Err(InlineError::ResultType {
                    signature: self.signature.clone(),
                    expected: "none".into(),
                    found: value
                        .map(|v| builder.func.dfg.value_type(v).to_string())
                        .unwrap_or_default(),
                }
                .into())
            }
            _ => {}
        }
        let returns = moves::return_values(builder, &self.lowered, &mut source);
        builder.ins().return_(&returns);
        Ok(())
    }
}

/// A `JITBuilder` for this machine that springboard's inline calls work in: the host
/// ISA with `enable_pinned_reg` where call shims need it (x86-64) and frame pointers
/// kept, and springboard's call shims as symbols (feature `jit-module`). Add the
/// runtime's own symbols to it.
#[cfg(feature = "jit-module")]
pub fn jit_builder() -> Result<cranelift_jit::JITBuilder, Error> {
    jit_builder_with(cranelift_codegen::settings::builder())
}

/// [`jit_builder`] with the runtime's own Cranelift settings `flags` (for example
/// `opt_level`), to which it adds the settings it needs.
#[cfg(feature = "jit-module")]
pub fn jit_builder_with(
    mut flags: cranelift_codegen::settings::Builder,
) -> Result<cranelift_jit::JITBuilder, Error> {
    use cranelift_codegen::settings::{self, Configurable};
    let target = Target::host()?;
    let mut set = |name: &'static str, value: &'static str| {
        flags.set(name, value).map_err(|e| {
            Error::from(CodegenError::Setting {
                name,
                value,
                message: e.to_string(),
            })
        })
    };
    set("preserve_frame_pointers", "true")?;
    set("is_pic", "false")?;
    let shims = Shim::all().filter_map(|shim| Some((shim, shim.host_address()?)));
    let shims: Vec<(Shim, u64)> = shims.collect();
    if !shims.is_empty() {
        set("enable_pinned_reg", "true")?;
    }
    let isa = cranelift_native::builder()
        .map_err(|_| Error::UnsupportedTarget(target.to_string()))?
        .finish(settings::Flags::new(flags))
        .map_err(|e| CodegenError::Isa {
            target: target.to_string(),
            message: e.to_string(),
        })?;
    let mut builder =
        cranelift_jit::JITBuilder::with_isa(isa, cranelift_module::default_libcall_names());
    for (shim, address) in shims {
        builder.symbol(shim_symbol(shim), address as *const u8);
    }
    Ok(builder)
}
