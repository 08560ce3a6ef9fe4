//! Object files: named trampolines for any supported target, for runtimes that compile
//! ahead of time (cranelift-object).
//!
//! Each [`ObjectItem`] becomes an exported function `NAME` with the trampoline's own
//! signature:
//! - a downcall: `void NAME(void *callee, const Slot *args, Slot *result)`;
//! - a callback (and an array-shaped exit): a function with the item's C signature,
//!   plus an exported, writable data object `NAME_entry` holding
//!   `{ void *handler; void *context; }` that the program fills before the callback is
//!   called;
//! - a fast call: its entry signature, calling its callee;
//! - an entry: array shaped `void NAME(void *callee, const Slot *args, Slot *result,
//!   size_t capacity)`, or native shaped with the C signature, calling its callee;
//! - a native exit: the C signature, calling its callee.
//!
//! Callees given as [`Callee::Symbol`] become undefined symbols the linker resolves;
//! in text, `NAME=KIND(CALLEE):SIGNATURE`.
//!
//! ```
//! use springboard::object::{emit_object, ObjectItem};
//!
//! let items: Vec<ObjectItem> = vec![
//!     "add=downcall:(i32, i32) -> i32".parse()?,
//!     "compare=callback:(ptr, ptr) -> i32".parse()?,
//! ];
//! let bytes = emit_object(&"aarch64-unknown-linux-gnu".parse()?, &items)?;
//! assert_eq!(&bytes[..4], b"\x7fELF");
//! # Ok::<(), springboard::Error>(())
//! ```

use crate::abi::Target;
use crate::compiler::{Compiler, CompilerOptions};
use crate::error::{CodegenError, Error, ItemProblem};
use crate::signature::Signature;
use crate::trampoline::boundary::{Boundary, NativeBoundary};
use crate::trampoline::fastcall::FastCall;
use crate::trampoline::{Callee, Kind, Request, CALLEE_NAMESPACE, DATA_SYMBOL};
use cranelift_codegen::ir::{ExternalName, UserExternalName};
use cranelift_codegen::Context;
use cranelift_module::{default_libcall_names, DataDescription, Linkage, Module};
use cranelift_object::{ObjectBuilder, ObjectModule};
use std::fmt;
use std::str::FromStr;

/// One named trampoline to put in an object file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectItem {
    /// The exported symbol name.
    pub name: String,
    /// What to compile.
    pub request: Request,
}

/// `NAME=KIND[(CALLEE)]:SIGNATURE`, as the CLI takes it: `add=downcall:(i32, i32) ->
/// i32`, `fast_add=fastcall(add):(i32, i32) -> i32`, `enter=entry(guest):(ptr) -> i32`.
/// A callee makes a fast call (required) or a native-shaped entry or exit; kinds take
/// their defaults ([`Request::new`]).
impl FromStr for ObjectItem {
    type Err = Error;

    fn from_str(text: &str) -> Result<ObjectItem, Error> {
        let bad = |problem: ItemProblem| Error::BadItem {
            item: text.to_string(),
            problem,
        };
        let (name, rest) = text
            .split_once('=')
            .ok_or_else(|| bad(ItemProblem::NoName))?;
        if !is_identifier(name) {
            return Err(bad(ItemProblem::BadName));
        }
        let (kind, signature) = rest
            .split_once(':')
            .ok_or_else(|| bad(ItemProblem::NoKind))?;
        let (kind, callee) = match kind.split_once('(') {
            Some((kind, callee)) => {
                let callee = callee
                    .strip_suffix(')')
                    .filter(|callee| is_identifier(callee))
                    .ok_or_else(|| bad(ItemProblem::BadCallee))?;
                (kind, Some(callee))
            }
            None => (kind, None),
        };
        let kind = Kind::from_name(kind.trim()).ok_or_else(|| {
            bad(ItemProblem::UnknownKind {
                kind: kind.to_string(),
                valid: Kind::ALL.map(Kind::name).join(", "),
            })
        })?;
        let signature: Signature = signature
            .parse()
            .map_err(|e| bad(ItemProblem::Signature(e)))?;
        let boundary = |signature| -> Result<Boundary, Error> {
            match callee {
                Some(callee) => {
                    NativeBoundary::standard(signature, Callee::from(callee)).map(Boundary::Native)
                }
                None => Boundary::standard(signature),
            }
            .map_err(|e| bad(ItemProblem::Boundary(e)))
        };
        let request = match (kind, callee) {
            (Kind::FastCall, Some(callee)) => {
                Request::FastCall(FastCall::new(signature, Callee::from(callee)))
            }
            (Kind::FastCall, None) => return Err(bad(ItemProblem::NoCallee)),
            (Kind::Entry, _) => Request::Entry(boundary(signature)?),
            (Kind::Exit, _) => Request::Exit(boundary(signature)?),
            (Kind::Downcall | Kind::Callback, Some(_)) => {
                return Err(bad(ItemProblem::UnexpectedCallee))
            }
            (kind, None) => Request::new(kind, signature)?,
        };
        Ok(ObjectItem {
            name: name.to_string(),
            request,
        })
    }
}

/// A C identifier: what symbol names must be.
fn is_identifier(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl fmt::Display for ObjectItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.name, self.request)
    }
}

/// Compiles `items` for `target` into a relocatable object file (ELF, Mach-O or COFF,
/// as the target's format is).
pub fn emit_object(target: &Target, items: &[ObjectItem]) -> Result<Vec<u8>, Error> {
    let compiler = Compiler::for_object(target.clone(), &CompilerOptions::default())?;
    let object_error = |symbol: Option<&str>, message: String| {
        Error::from(CodegenError::Object {
            symbol: symbol.map(str::to_string),
            message,
        })
    };
    let builder = ObjectBuilder::new(compiler.owned_isa(), "springboard", default_libcall_names())
        .map_err(|e| object_error(None, e.to_string()))?;
    let mut module = ObjectModule::new(builder);
    let mut context = Context::new();
    for item in items {
        let module_error =
            |e: cranelift_module::ModuleError| object_error(Some(&item.name), e.to_string());
        if compiler.calls_through_shim(&item.request) {
            return Err(Error::Unsupported(format!(
                "{item}: variadic calls that need a call shim cannot be written to object \
                 files yet"
            )));
        }
        let mut func = compiler.ir_of(&item.request)?;
        let id = module
            .declare_function(&item.name, Linkage::Export, &func.signature)
            .map_err(module_error)?;
        // The data entry (callbacks): an exported, writable `{handler, context}`.
        let entry = func
            .params
            .user_named_funcs()
            .iter()
            .find(|(_, name)| **name == DATA_SYMBOL)
            .map(|(reference, _)| reference);
        if let Some(reference) = entry {
            let data = module
                .declare_data(
                    &format!("{}_entry", item.name),
                    Linkage::Export,
                    true,
                    false,
                )
                .map_err(module_error)?;
            let mut description = DataDescription::new();
            description.define_zeroinit(2 * target.pointer_type().bytes() as usize);
            description.set_align(8);
            module
                .define_data(data, &description)
                .map_err(module_error)?;
            // Namespace 1 is cranelift-module's namespace for data objects.
            func.params
                .reset_user_func_name(reference, UserExternalName::new(1, data.as_u32()));
        }
        // Symbol callees become imports the linker resolves (namespace 0 is
        // cranelift-module's namespace for functions).
        let symbols = item.request.callee_symbols();
        let callees: Vec<_> = func
            .params
            .user_named_funcs()
            .iter()
            .filter(|(_, name)| name.namespace == CALLEE_NAMESPACE)
            .map(|(reference, name)| (reference, name.index))
            .collect();
        for (reference, index) in callees {
            let symbol = symbols[index as usize];
            let signature = func
                .dfg
                .ext_funcs
                .values()
                .find(|ext| ext.name == ExternalName::User(reference))
                .map(|ext| func.dfg.signatures[ext.signature].clone())
                .ok_or_else(|| {
                    object_error(Some(symbol), format!("{item}: the callee has no signature"))
                })?;
            let id = module
                .declare_function(symbol, Linkage::Import, &signature)
                .map_err(module_error)?;
            func.params
                .reset_user_func_name(reference, UserExternalName::new(0, id.as_u32()));
        }
        context.func = func;
        module
            .define_function(id, &mut context)
            .map_err(|e| object_error(Some(&item.name), format!("{e:?}")))?;
        context.clear();
    }
    module
        .finish()
        .emit()
        .map_err(|e| object_error(None, format!("writing the object: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::BoundaryError;
    use crate::signature::ParseError;

    fn problem(text: &str) -> ItemProblem {
        match text.parse::<ObjectItem>() {
            Err(Error::BadItem { item, problem }) => {
                assert_eq!(item, text);
                problem
            }
            other => panic!("`{text}`: {other:?}"),
        }
    }

    #[test]
    fn bad_items_say_what_is_wrong() {
        assert_eq!(problem("add"), ItemProblem::NoName);
        assert_eq!(problem("1add=downcall:(i32)"), ItemProblem::BadName);
        assert_eq!(problem("add=downcall"), ItemProblem::NoKind);
        assert_eq!(problem("f=fastcall(1x):(i32)"), ItemProblem::BadCallee);
        assert_eq!(
            problem("f=upcall:(i32)"),
            ItemProblem::UnknownKind {
                kind: "upcall".into(),
                valid: "downcall, callback, fastcall, entry, exit".into()
            }
        );
        assert!(matches!(
            problem("f=downcall:(i33)"),
            ItemProblem::Signature(ParseError { offset: 1, .. })
        ));
        assert_eq!(problem("f=fastcall:(i32)"), ItemProblem::NoCallee);
        assert_eq!(
            problem("f=callback(g):(i32)"),
            ItemProblem::UnexpectedCallee
        );
        for text in ["e=entry:(i32)", "e=exit(g):(i32)"] {
            assert_eq!(
                problem(text),
                ItemProblem::Boundary(BoundaryError::NoContext {
                    signature: "(i32)".parse().unwrap()
                }),
                "{text}"
            );
        }
    }

    #[test]
    fn items_with_a_callee_are_native_boundaries() {
        let item: ObjectItem = "e=exit(host):(i32, ptr) -> i8".parse().unwrap();
        let Request::Exit(Boundary::Native(native)) = &item.request else {
            panic!("{item:?}");
        };
        assert_eq!(native.callee(), &Callee::Symbol("host".into()));
        assert_eq!(native.bookkeeping().context_param, 1);
        let item: ObjectItem = "e=entry:(i32, ptr) -> i8".parse().unwrap();
        assert!(matches!(item.request, Request::Entry(Boundary::Array(_))));
    }
}
