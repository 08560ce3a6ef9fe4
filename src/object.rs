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
//! Every function comes with its unwind information, so that C++ exceptions,
//! backtraces and debuggers walk through it once the object is linked: an `.eh_frame`
//! section (`__TEXT,__eh_frame` in Mach-O) with one FDE per function, relocated
//! against the function's symbol, or, in COFF, `.xdata` unwind records with a `.pdata`
//! entry per function.
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
use crate::trampoline::{Callee, Kind, Request};
use cranelift_codegen::isa::unwind::UnwindInfo;
use cranelift_codegen::isa::TargetIsa;
use cranelift_codegen::Context;
use cranelift_module::{default_libcall_names, FuncId, Linkage, Module};
use cranelift_object::{ObjectBuilder, ObjectModule, ObjectProduct};
use gimli::write::{Address, EhFrame, EndianVec, FrameTable, RelocateWriter, RelocationTarget};
use object::write::{Object, Relocation, SectionId, StandardSection, SymbolId};
use object::{BinaryFormat, RelocationEncoding, RelocationFlags, RelocationKind, SectionKind};
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

/// `NAME=KIND[(CALLEE)][+OPTION]:SIGNATURE`, as the CLI takes it: `add=downcall:(i32,
/// i32) -> i32`, `fast_add=fastcall(add):(i32, i32) -> i32`, `enter=entry(guest):(ptr)
/// -> i32`, `open_e=downcall+errno:(ptr, i32) -> i32`. A callee makes a fast call
/// (required) or a native-shaped entry or exit; a downcall's option makes it an errno
/// downcall (`+errno`: [`ErrnoMode::Capture`](crate::ErrnoMode::Capture),
/// `+set_errno`: [`ErrnoMode::SetAndCapture`](crate::ErrnoMode::SetAndCapture)), a
/// callback's `+bound` makes it a context-binding callback
/// ([`Request::BoundCallback`]: `cb=callback+bound:(i32) -> i32`); kinds take their
/// defaults ([`Request::new`]).
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
        let (kind, option) = match kind.split_once('+') {
            Some((kind, option)) => (kind, Some(option)),
            None => (kind, None),
        };
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
        let request = match (option, request) {
            (None, request) => request,
            (Some("errno"), Request::Downcall(signature)) => {
                Request::ErrnoDowncall(signature, crate::ErrnoMode::Capture)
            }
            (Some("set_errno"), Request::Downcall(signature)) => {
                Request::ErrnoDowncall(signature, crate::ErrnoMode::SetAndCapture)
            }
            (Some("bound"), Request::Callback(signature)) => Request::BoundCallback(signature),
            (Some(option), _) => {
                return Err(bad(ItemProblem::BadOption {
                    option: option.to_string(),
                }))
            }
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
    // One ISA for the whole object: with the pinned register reserved as soon as one
    // item calls through a shim.
    let shims = items
        .iter()
        .any(|item| compiler.calls_through_shim(&item.request));
    let isa = compiler.owned_isa_with_shims(shims);
    let builder = ObjectBuilder::new(isa.clone(), "springboard", default_libcall_names())
        .map_err(|e| object_error(None, e.to_string()))?;
    let mut module = ObjectModule::new(builder);
    let mut context = Context::new();
    let mut frames = Vec::new();
    for item in items {
        let id = crate::module::define_trampoline(
            &mut module,
            &mut context,
            &item.name,
            Linkage::Export,
            &item.request,
        )?
        .function;
        let compiled = context.compiled_code().ok_or_else(|| {
            object_error(Some(&item.name), "no compiled code after definition".into())
        })?;
        let unwind_error = |e: cranelift_codegen::CodegenError| {
            object_error(Some(&item.name), format!("unwind information: {e:?}"))
        };
        if let Some(info) = compiled
            .create_unwind_info(module.isa())
            .map_err(unwind_error)?
        {
            frames.push(Frame {
                function: id,
                size: compiled.buffer.data().len() as u32,
                info,
            });
        }
        context.clear();
    }
    // The shims jump to the callee without touching the stack: no frame to describe.
    crate::module::define_call_shims(&mut module)?;
    let mut product = module.finish();
    add_unwind_sections(&mut product, &*isa, frames)
        .map_err(|message| object_error(None, message))?;
    product
        .emit()
        .map_err(|e| object_error(None, format!("writing the object: {e}")))
}

/// One defined function's unwind information, added to the object once cranelift-object
/// has given every function its symbol.
struct Frame {
    function: FuncId,
    /// The function's code size in bytes.
    size: u32,
    info: UnwindInfo,
}

/// Adds `frames` to the finished object: System V frames as one `.eh_frame` section,
/// Windows x64 frames as `.xdata` and `.pdata`.
fn add_unwind_sections(
    product: &mut ObjectProduct,
    isa: &dyn TargetIsa,
    frames: Vec<Frame>,
) -> Result<(), String> {
    let mut system_v = Vec::new();
    let mut windows = Vec::new();
    for frame in frames {
        let symbol = product.function_symbol(frame.function);
        match frame.info {
            UnwindInfo::SystemV(info) => system_v.push((symbol, info)),
            UnwindInfo::WindowsX64(info) => windows.push((symbol, frame.size, info)),
            other => {
                return Err(format!(
                    "unwind information of an unsupported kind: {other:?}"
                ))
            }
        }
    }
    if !system_v.is_empty() {
        eh_frame(&mut product.object, isa, system_v)?;
    }
    if !windows.is_empty() {
        pdata(&mut product.object, windows)?;
    }
    Ok(())
}

/// `.eh_frame` bytes and the relocations gimli asks for while writing them.
struct EhFrameSection {
    bytes: EndianVec<gimli::RunTimeEndian>,
    relocations: Vec<gimli::write::Relocation>,
}

impl RelocateWriter for EhFrameSection {
    type Writer = EndianVec<gimli::RunTimeEndian>;

    fn writer(&self) -> &Self::Writer {
        &self.bytes
    }

    fn writer_mut(&mut self) -> &mut Self::Writer {
        &mut self.bytes
    }

    fn relocate(&mut self, relocation: gimli::write::Relocation) {
        self.relocations.push(relocation);
    }
}

/// One CIE and an FDE per function in `.eh_frame`, each FDE's start relocated against
/// its function's symbol. ELF gets PC-relative 4-byte starts (what linkers expect in
/// position-independent executables: no dynamic relocation in a read-only section);
/// Mach-O keeps absolute 8-byte addresses (a plain `UNSIGNED` relocation, where a
/// PC-relative one would need a subtractor pair).
fn eh_frame(
    object: &mut Object<'static>,
    isa: &dyn TargetIsa,
    frames: Vec<(
        SymbolId,
        cranelift_codegen::isa::unwind::systemv::UnwindInfo,
    )>,
) -> Result<(), String> {
    let mut cie = isa
        .create_systemv_cie()
        .ok_or_else(|| format!("{} has no System V CIE", isa.triple()))?;
    if object.format() == BinaryFormat::Elf {
        cie.fde_address_encoding = gimli::constants::DwEhPe(
            gimli::constants::DW_EH_PE_pcrel.0 | gimli::constants::DW_EH_PE_sdata4.0,
        );
    }
    let mut table = FrameTable::default();
    let cie = table.add_cie(cie);
    let symbols: Vec<SymbolId> = frames.iter().map(|(symbol, _)| *symbol).collect();
    for (index, (_, info)) in frames.iter().enumerate() {
        let start = Address::Symbol {
            symbol: index,
            addend: 0,
        };
        table.add_fde(cie, info.to_fde(start));
    }
    let endian = match isa.endianness() {
        cranelift_codegen::ir::Endianness::Little => gimli::RunTimeEndian::Little,
        cranelift_codegen::ir::Endianness::Big => gimli::RunTimeEndian::Big,
    };
    let mut section = EhFrame(EhFrameSection {
        bytes: EndianVec::new(endian),
        relocations: Vec::new(),
    });
    table
        .write_eh_frame(&mut section)
        .map_err(|e| format!("writing .eh_frame: {e}"))?;
    let EhFrame(EhFrameSection { bytes, relocations }) = section;
    let id = object.section_id(StandardSection::EhFrame);
    let pointer = u64::from(isa.pointer_bytes());
    object.append_section_data(id, bytes.slice(), pointer);
    for relocation in relocations {
        let RelocationTarget::Symbol(index) = relocation.target else {
            return Err(format!("unexpected .eh_frame relocation {relocation:?}"));
        };
        let pc_relative = relocation
            .eh_pe
            .is_some_and(|pe| pe.application() == gimli::constants::DW_EH_PE_pcrel);
        let flags = RelocationFlags::Generic {
            kind: if pc_relative {
                RelocationKind::Relative
            } else {
                RelocationKind::Absolute
            },
            encoding: RelocationEncoding::Generic,
            size: relocation.size * 8,
        };
        add_relocation(
            object,
            id,
            relocation.offset as u64,
            symbols[index],
            relocation.addend,
            flags,
        )?;
    }
    Ok(())
}

/// Windows x64: each function's `UNWIND_INFO` in `.xdata` and a `RUNTIME_FUNCTION`
/// (start, end, unwind record; image-relative) per function in `.pdata`.
fn pdata(
    object: &mut Object<'static>,
    frames: Vec<(
        SymbolId,
        u32,
        cranelift_codegen::isa::unwind::winx64::UnwindInfo,
    )>,
) -> Result<(), String> {
    let xdata = object.add_section(Vec::new(), b".xdata".to_vec(), SectionKind::ReadOnlyData);
    let pdata = object.add_section(Vec::new(), b".pdata".to_vec(), SectionKind::ReadOnlyData);
    let xdata_symbol = object.section_symbol(xdata);
    let image_relative = RelocationFlags::Coff {
        typ: object::pe::IMAGE_REL_AMD64_ADDR32NB,
    };
    for (symbol, size, info) in frames {
        // Unwind records are 4-byte aligned (and a whole number of 4-byte words).
        let mut record = vec![0; info.emit_size().next_multiple_of(4)];
        info.emit(&mut record);
        let record_at = object.append_section_data(xdata, &record, 4);
        let entry_at = object.append_section_data(pdata, &[0; 12], 4);
        let fields = [
            (0, symbol, 0),
            (4, symbol, i64::from(size)),
            (8, xdata_symbol, record_at as i64),
        ];
        for (offset, target, addend) in fields {
            add_relocation(
                object,
                pdata,
                entry_at + offset,
                target,
                addend,
                image_relative,
            )?;
        }
    }
    Ok(())
}

fn add_relocation(
    object: &mut Object<'static>,
    section: SectionId,
    offset: u64,
    symbol: SymbolId,
    addend: i64,
    flags: RelocationFlags,
) -> Result<(), String> {
    object
        .add_relocation(
            section,
            Relocation {
                offset,
                symbol,
                addend,
                flags,
            },
        )
        .map_err(|e| format!("relocating unwind information: {e}"))
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
        for (text, option) in [
            ("f=callback+errno:(i32)", "errno"),
            ("f=downcall+bound:(i32)", "bound"),
            ("f=downcall+e:()", "e"),
        ] {
            let option = option.to_string();
            assert_eq!(problem(text), ItemProblem::BadOption { option }, "{text}");
        }
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

    /// The unwind section of `bytes`' format and its relocations' target symbols.
    fn unwind_relocations(bytes: &[u8], section: &str) -> Vec<String> {
        use object::{Object as _, ObjectSection as _, ObjectSymbol as _};
        let file = object::File::parse(bytes).unwrap();
        let section = file
            .section_by_name(section)
            .unwrap_or_else(|| panic!("no {section}"));
        assert!(section.size() > 0);
        section
            .relocations()
            .map(|(_, relocation)| match relocation.target() {
                object::RelocationTarget::Symbol(index) => {
                    let symbol = file.symbol_by_index(index).unwrap();
                    symbol.name().unwrap().to_string()
                }
                other => panic!("{other:?}"),
            })
            .collect()
    }

    fn items() -> Vec<ObjectItem> {
        [
            "m_down=downcall:(i32) -> i32",
            "m_cb=callback:(ptr, f64) -> i32",
        ]
        .map(|text| text.parse().unwrap())
        .to_vec()
    }

    #[test]
    fn mach_o_objects_have_an_absolute_fde_start_per_function() {
        for triple in ["aarch64-apple-darwin", "x86_64-apple-darwin"] {
            let bytes = emit_object(&triple.parse().unwrap(), &items()).unwrap();
            let mut symbols = unwind_relocations(&bytes, "__eh_frame");
            symbols.sort();
            assert_eq!(symbols, ["_m_cb", "_m_down"], "{triple}");
        }
    }

    #[test]
    fn every_format_relocates_its_unwind_records_against_the_functions() {
        let elf = emit_object(&"x86_64-unknown-linux-gnu".parse().unwrap(), &items()).unwrap();
        assert_eq!(unwind_relocations(&elf, ".eh_frame"), ["m_down", "m_cb"]);
        let coff = emit_object(&"x86_64-pc-windows-msvc".parse().unwrap(), &items()).unwrap();
        // Start, end and unwind record of each function.
        assert_eq!(
            unwind_relocations(&coff, ".pdata"),
            ["m_down", "m_down", ".xdata", "m_cb", "m_cb", ".xdata"]
        );
    }

    #[test]
    fn errno_downcalls_import_their_targets_accessors() {
        use object::{Object as _, ObjectSymbol as _};
        let item: ObjectItem = "open_errno=downcall+set_errno:(ptr, i32) -> i32"
            .parse()
            .unwrap();
        let signature: Signature = "(ptr, i32) -> i32".parse().unwrap();
        let capture: ObjectItem = "o=downcall+errno:(ptr, i32) -> i32".parse().unwrap();
        let bound: ObjectItem = "b=callback+bound:(ptr, i32) -> i32".parse().unwrap();
        assert_eq!(bound.request, Request::BoundCallback(signature.clone()));
        let mode = crate::ErrnoMode::Capture;
        assert_eq!(capture.request, Request::ErrnoDowncall(signature, mode));
        let cases: [(&str, &[&str]); 3] = [
            ("x86_64-pc-windows-msvc", &["GetLastError", "SetLastError"]),
            ("aarch64-unknown-linux-gnu", &["__errno_location"]),
            ("aarch64-apple-darwin", &["___error"]),
        ];
        for (triple, expected) in cases {
            let bytes = emit_object(&triple.parse().unwrap(), std::slice::from_ref(&item)).unwrap();
            let file = object::File::parse(&*bytes).unwrap();
            let mut undefined: Vec<String> = file
                .symbols()
                .filter(|symbol| symbol.is_undefined())
                .map(|symbol| symbol.name().unwrap().to_string())
                .filter(|name| !name.is_empty())
                .collect();
            undefined.sort();
            assert_eq!(undefined, expected, "{triple}");
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
