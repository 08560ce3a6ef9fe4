//! The scalar and struct catalogues on aarch64 and riscv64 Linux under qemu, through
//! `springboard::module` in an `ObjectModule`: the harness of `tests/common/cross.rs`
//! links an object in which every downcall and callback the harness calls is a
//! *runtime's* function, not a springboard trampoline:
//!
//! - `sbd_<i>(callee, args, result)`, the downcall, is runtime code that loads the C
//!   values from the array itself and makes the C call with [`call_c`] (the callee a
//!   pointer), then writes the result as the array layout says (integers extended to
//!   a slot, a struct written by the call into the result place);
//! - `sbc_<i>`, the callback, is a function of the case's C signature whose parameters
//!   [`CEntry`] decodes; it stores them into an array in its frame, calls the handler
//!   of its data entry `sbc_<i>_entry` and returns the handler's result through
//!   [`CEntry::return_`].
//!
//! Every other item (and the data entries' declarations) goes through
//! [`define_trampoline`]. The harness checks what it checks for springboard's own
//! trampolines: arguments the gcc callees see, results gcc callers get, the array
//! layout's result rules; Apple-convention pairs run on aarch64 too.

mod common;

use common::cross::{self, Arch, Callees, Case, Modes};
use common::{catalogue, struct_catalogue};
use cranelift_codegen::ir::{self, types, AbiParam, InstBuilder, MemFlagsData};
use cranelift_codegen::{isa, settings, settings::Configurable, Context};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use cranelift_module::{default_libcall_names, DataDescription, Linkage, Module};
use cranelift_object::{ObjectBuilder, ObjectModule};
use springboard::module::{c_signature, call_c, define_trampoline, CCallee, CEntry};
use springboard::types::ScalarClass;
use springboard::{ObjectItem, Request, Signature, Target, Type};

/// The IR type of a C scalar on a 64-bit target.
fn natural(ty: &Type) -> ir::Type {
    match ty.class() {
        Some(ScalarClass::Float { bytes: 4 }) => types::F32,
        Some(ScalarClass::Float { .. }) => types::F64,
        Some(ScalarClass::Integer { bytes, .. }) => {
            ir::Type::int_with_byte_size(bytes.into()).unwrap()
        }
        // Held by address, like aggregates.
        Some(ScalarClass::X87 | ScalarClass::Binary128) | None => types::I64,
    }
}

fn entry_block(b: &mut FunctionBuilder) -> Vec<ir::Value> {
    let block = b.create_block();
    b.append_block_params_for_function_params(block);
    b.switch_to_block(block);
    b.seal_block(block);
    b.block_params(block).to_vec()
}

fn frame(b: &mut FunctionBuilder, size: usize) -> ir::Value {
    let slot = b.create_sized_stack_slot(ir::StackSlotData::new(
        ir::StackSlotKind::ExplicitSlot,
        size.max(8).next_multiple_of(16) as u32,
        4,
    ));
    b.ins().stack_addr(types::I64, slot, 0)
}

/// `void NAME(void *callee, const Slot *args, Slot *result)`, calling inline.
fn downcall(module: &mut ObjectModule, b: &mut FunctionBuilder, signature: &Signature) {
    let flags = MemFlagsData::trusted();
    let params = entry_block(b);
    let (callee, array, result) = (params[0], params[1], params[2]);
    let args: Vec<ir::Value> = signature
        .params
        .iter()
        .enumerate()
        .map(|(i, ty)| {
            let ir_type = if ty.is_aggregate() {
                types::I64
            } else {
                natural(ty)
            };
            let value = b.ins().load(ir_type, flags, array, 8 * i as i32);
            match ty {
                // The array layout: a `bool` is true when its byte is not zero.
                Type::Bool => b.ins().icmp_imm_u(ir::condcodes::IntCC::NotEqual, value, 0),
                _ => value,
            }
        })
        .collect();
    // Every argument is read before the result is written (the layout allows aliasing).
    let place = signature.result.is_aggregate().then_some(result);
    let value = call_c(module, b, CCallee::Pointer(callee), signature, &args, place).unwrap();
    if let Some(value) = value {
        let value = match signature.result.class() {
            Some(ScalarClass::Integer { bytes, signed }) if bytes < 8 => match signed {
                true => b.ins().sextend(types::I64, value),
                false => b.ins().uextend(types::I64, value),
            },
            _ => value,
        };
        b.ins().store(flags, value, result, 0);
    }
    b.ins().return_(&[]);
}

/// A function of `signature` that hands its arguments to the handler in `entry`.
fn callback(
    module: &mut ObjectModule,
    b: &mut FunctionBuilder,
    signature: &Signature,
    entry: ir::GlobalValue,
) {
    let flags = MemFlagsData::trusted();
    let incoming = entry_block(b);
    let c = CEntry::new(module, b, signature, &incoming).unwrap();
    let array = frame(b, 8 * signature.params.len());
    for (i, &value) in c.params().iter().enumerate() {
        b.ins().store(flags, value, array, 8 * i as i32);
    }
    let result = c.result_place().unwrap_or_else(|| frame(b, 8));
    let data = b.ins().symbol_value(types::I64, entry);
    let handler = b.ins().load(types::I64, flags, data, 0);
    let context = b.ins().load(types::I64, flags, data, 8);
    let mut sig = ir::Signature::new(module.isa().default_call_conv());
    sig.params = vec![AbiParam::new(types::I64); 3];
    let sig = b.import_signature(sig);
    b.ins()
        .call_indirect(sig, handler, &[context, array, result]);
    let value = match &signature.result {
        Type::Void => None,
        ty if ty.is_aggregate() => None,
        ty => Some(b.ins().load(natural(ty), flags, result, 0)),
    };
    c.return_(b, value).unwrap();
}

/// The object: the runtime's downcalls and callbacks, the rest defined by springboard.
fn object(target: &Target, items: &[ObjectItem]) -> Result<Vec<u8>, springboard::Error> {
    let mut flags = settings::builder();
    flags.set("is_pic", "true").unwrap();
    flags.set("preserve_frame_pointers", "true").unwrap();
    let isa = isa::lookup(target.to_string().parse().unwrap())
        .unwrap()
        .finish(settings::Flags::new(flags))
        .unwrap();
    let mut module =
        ObjectModule::new(ObjectBuilder::new(isa, "runtime", default_libcall_names()).unwrap());
    let mut context = Context::new();
    let mut builder_context = FunctionBuilderContext::new();
    for item in items {
        let (signature, is_callback) = match &item.request {
            Request::Downcall(signature) => (signature, false),
            Request::Callback(signature) => (signature, true),
            request => {
                define_trampoline(
                    &mut module,
                    &mut context,
                    &item.name,
                    Linkage::Export,
                    request,
                )?;
                continue;
            }
        };
        module.clear_context(&mut context);
        context.func.signature = match is_callback {
            true => c_signature(&module, signature)?,
            false => {
                let mut sig = ir::Signature::new(module.isa().default_call_conv());
                sig.params = vec![AbiParam::new(types::I64); 3];
                sig
            }
        };
        let id = module
            .declare_function(&item.name, Linkage::Export, &context.func.signature)
            .unwrap();
        let mut b = FunctionBuilder::new(&mut context.func, &mut builder_context);
        if is_callback {
            let data = module
                .declare_data(
                    &format!("{}_entry", item.name),
                    Linkage::Export,
                    true,
                    false,
                )
                .unwrap();
            let mut description = DataDescription::new();
            description.define_zeroinit(16);
            description.set_align(8);
            module.define_data(data, &description).unwrap();
            let entry = module.declare_data_in_func(data, b.func);
            callback(&mut module, &mut b, signature, entry);
        } else {
            downcall(&mut module, &mut b, signature);
        }
        b.finalize(module.target_config());
        module
            .define_function(id, &mut context)
            .unwrap_or_else(|e| panic!("{}: {e:?}", item.name));
    }
    Ok(module.finish().emit().unwrap())
}

fn run_catalogues(arch: &Arch, apple: bool) {
    let scalar = catalogue::cases();
    let modes = Modes {
        downcalls: Some(Callees::of(&scalar)),
        callbacks: true,
        bound: None,
        apple_pairs: apple,
        apple_conformance: false,
    };
    let outcome = cross::run_with_object(arch, "module_scalar", &scalar, &modes, object);
    assert_eq!(outcome.checks, modes.per_case() * scalar.len());
    outcome.assert_all_passed();
    let structs: Vec<Case> = struct_catalogue::cases();
    let modes = Modes {
        downcalls: Some(Callees::of(&structs)),
        ..modes
    };
    let outcome = cross::run_with_object(arch, "module_struct", &structs, &modes, object);
    assert_eq!(outcome.checks, modes.per_case() * structs.len());
    outcome.assert_all_passed();
    eprintln!(
        "{} scalar and {} struct cases passed on {}",
        scalar.len(),
        structs.len(),
        arch.name
    );
}

#[test]
fn catalogues_through_an_object_module_on_aarch64() {
    run_catalogues(&cross::AARCH64, true);
}

#[test]
fn catalogues_through_an_object_module_on_riscv64() {
    run_catalogues(&cross::RISCV64, false);
}
