//! From a trampoline request to machine code: one ISA, pooled contexts.
//!
//! A [`Compiler`] owns a Cranelift ISA for one [`Target`] and a pool of reusable
//! `Context` + `FunctionBuilderContext` pairs (fresh ones cost ~12 µs of cold
//! allocations; reused ones nothing), so threads compile concurrently without sharing
//! mutable state and without paying for new contexts.

use crate::abi::errno::{Accessors, ERRNO_NAMESPACE};
use crate::abi::shim::{Shim, SHIM_NAMESPACE};
use crate::abi::Target;
use crate::error::{CodegenError, Error};
use crate::trampoline::{Kind, Request, DATA_SYMBOL};
use cranelift_codegen::binemit::Reloc;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::isa::{self, OwnedTargetIsa, TargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::{ir, Context, FinalizedRelocTarget};
use cranelift_frontend::FunctionBuilderContext;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The fewest requests per thread for which [`Compiler::compile_many`] starts another
/// thread.
pub const MIN_PER_THREAD: usize = 8;

/// The register allocator Cranelift runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RegAlloc {
    /// `single_pass`: about 4x faster to compile, slightly larger code. Trampolines are
    /// straight-line code with few live values, where it loses little.
    #[default]
    SinglePass,
    /// `backtracking`: Cranelift's default, the best code.
    Backtracking,
}

/// How trampolines are compiled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CompilerOptions {
    /// Run Cranelift's IR verifier on every function (default: in debug builds).
    pub verify: bool,
    /// Register allocator for downcalls, callbacks and boundary trampolines.
    pub regalloc: RegAlloc,
    /// Register allocator for fast calls. They exist for hot call paths (V8's Fast
    /// API), so the default is [`RegAlloc::Backtracking`]: tighter code (a few
    /// instructions and callee-saved spills less per call) for ~1.5x the compile time.
    pub fast_call_regalloc: RegAlloc,
}

impl Default for CompilerOptions {
    fn default() -> Self {
        CompilerOptions {
            verify: cfg!(debug_assertions),
            regalloc: RegAlloc::default(),
            fast_call_regalloc: RegAlloc::Backtracking,
        }
    }
}

impl RegAlloc {
    fn setting(self) -> &'static str {
        match self {
            RegAlloc::SinglePass => "single_pass",
            RegAlloc::Backtracking => "backtracking",
        }
    }
}

/// A trampoline's IR and Cranelift's listing of the machine code, for `show` and the
/// fixtures.
#[derive(Clone, Debug)]
pub struct Listing {
    /// The function in CLIF text.
    pub clif: String,
    /// Cranelift's VCode listing of the final machine code.
    pub vcode: String,
    /// Machine code size in bytes.
    pub code_size: usize,
}

/// Machine code of one trampoline, as Cranelift emitted it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MachineCode {
    /// The bytes.
    pub bytes: Vec<u8>,
    /// Offsets of 8-byte absolute addresses that must be set to the address of the
    /// trampoline's data entry (a callback's `{handler, context}`) before the code
    /// runs.
    pub data_relocations: Vec<u32>,
    /// How the code's frame unwinds (host code only), for the system unwinder.
    pub(crate) unwind: Option<crate::unwind::FrameUnwind>,
}

struct Scratch {
    context: Context,
    builder: FunctionBuilderContext,
}

/// Compiles trampolines for one target.
pub struct Compiler {
    target: Target,
    isa: OwnedTargetIsa,
    #[cfg_attr(not(feature = "unstable-internals"), allow(dead_code))]
    settings: Vec<(&'static str, &'static str)>,
    /// The ISA fast calls are compiled with (the same as `isa` when their allocators
    /// agree).
    fast_call_isa: OwnedTargetIsa,
    #[cfg_attr(not(feature = "unstable-internals"), allow(dead_code))]
    fast_call_settings: Vec<(&'static str, &'static str)>,
    /// The ISA of trampolines that call through a [shim](crate::abi::shim): `isa`'s
    /// settings plus `enable_pinned_reg`, so that no other code changes.
    shim_isa: OwnedTargetIsa,
    #[cfg_attr(not(feature = "unstable-internals"), allow(dead_code))]
    shim_settings: Vec<(&'static str, &'static str)>,
    pool: Mutex<Vec<Scratch>>,
}

/// Makes ISA builders for `target`'s baseline features.
fn lookup(target: &Target) -> impl Fn() -> Result<isa::Builder, Error> + '_ {
    move || {
        isa::lookup(target.triple().clone())
            .map_err(|_| Error::UnsupportedTarget(target.to_string()))
    }
}

impl Compiler {
    /// A compiler for the machine this process runs on, using the CPU's features.
    pub fn host(options: &CompilerOptions) -> Result<Compiler, Error> {
        let target = Target::host()?;
        let triple = target.to_string();
        let make =
            || cranelift_native::builder().map_err(|_| Error::UnsupportedTarget(triple.clone()));
        Compiler::with_isa_builder(target.clone(), make, options, false, true)
    }

    /// A compiler for any supported target, using the architecture's baseline
    /// features (so output does not depend on this machine).
    pub fn for_target(target: Target, options: &CompilerOptions) -> Result<Compiler, Error> {
        let make = lookup(&target);
        Compiler::with_isa_builder(target.clone(), make, options, false, false)
    }

    /// A compiler for object files: like [`Compiler::for_target`], with
    /// position-independent code, so that references to other symbols go through the
    /// GOT and the objects link into PIE and static executables, and with frame
    /// descriptions for the objects' unwind sections.
    pub fn for_object(target: Target, options: &CompilerOptions) -> Result<Compiler, Error> {
        let make = lookup(&target);
        Compiler::with_isa_builder(target.clone(), make, options, true, true)
    }

    fn with_isa_builder(
        target: Target,
        make_builder: impl Fn() -> Result<isa::Builder, Error>,
        options: &CompilerOptions,
        pic: bool,
        unwind: bool,
    ) -> Result<Compiler, Error> {
        let finish = |regalloc: RegAlloc, pinned: bool| -> Result<_, Error> {
            let mut flags = settings::builder();
            let mut applied = vec![
                ("opt_level", "none"),
                ("regalloc_algorithm", regalloc.setting()),
                (
                    "enable_verifier",
                    if options.verify { "true" } else { "false" },
                ),
                // Runtimes and profilers walk frame-pointer chains through trampolines.
                ("preserve_frame_pointers", "true"),
                // Host code and objects describe their frames for unwinders (this
                // adds no instructions); listings keep the settings they had.
                ("unwind_info", if unwind { "true" } else { "false" }),
                ("is_pic", if pic { "true" } else { "false" }),
            ];
            if pinned {
                applied.push(("enable_pinned_reg", "true"));
            }
            for &(name, value) in &applied {
                flags.set(name, value).map_err(|e| CodegenError::Setting {
                    name,
                    value,
                    message: e.to_string(),
                })?;
            }
            let isa = make_builder()?
                .finish(settings::Flags::new(flags))
                .map_err(|e| CodegenError::Isa {
                    target: target.to_string(),
                    message: e.to_string(),
                })?;
            Ok((isa, applied))
        };
        let (isa, settings) = finish(options.regalloc, false)?;
        let (shim_isa, shim_settings) = finish(options.regalloc, true)?;
        let (fast_call_isa, fast_call_settings) = if options.fast_call_regalloc == options.regalloc
        {
            (isa.clone(), settings.clone())
        } else {
            finish(options.fast_call_regalloc, false)?
        };
        Ok(Compiler {
            target,
            isa,
            settings,
            fast_call_isa,
            fast_call_settings,
            shim_isa,
            shim_settings,
            pool: Mutex::new(Vec::new()),
        })
    }

    /// The target this compiler emits code for.
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// The Cranelift settings this compiler applies to trampolines of `kind`, as
    /// `(name, value)` pairs (what a CLIF test file's `set` lines need to reproduce
    /// its output). Unstable: Cranelift's setting names.
    #[cfg(feature = "unstable-internals")]
    pub fn settings(&self, kind: Kind) -> &[(&'static str, &'static str)] {
        match kind {
            Kind::FastCall => &self.fast_call_settings,
            _ => &self.settings,
        }
    }

    /// The Cranelift settings `trampoline` is compiled with (see
    /// [`Compiler::settings`]; a trampoline that calls through a shim also reserves the
    /// pinned register). Unstable: Cranelift's setting names.
    #[cfg(feature = "unstable-internals")]
    pub fn settings_for(&self, request: &Request) -> &[(&'static str, &'static str)] {
        if self.calls_through_shim(request) {
            &self.shim_settings
        } else {
            self.settings(request.kind())
        }
    }

    /// Whether `request` calls its callee through a [shim](crate::abi::shim) (a
    /// variadic downcall in a convention that needs one).
    pub(crate) fn calls_through_shim(&self, request: &Request) -> bool {
        let signature = match request {
            Request::Downcall(signature)
            | Request::ErrnoDowncall(signature, _)
            | Request::PointerDowncall(signature) => signature,
            Request::Entry(crate::trampoline::boundary::Boundary::Array(array)) => {
                array.signature()
            }
            _ => return false,
        };
        signature.variadic_from.is_some()
            && crate::abi::lower_signature(signature, &self.target)
                .is_ok_and(|lowered| lowered.shim().is_some())
    }

    fn isa_for(&self, request: &Request) -> &dyn TargetIsa {
        if self.calls_through_shim(request) {
            return &*self.shim_isa;
        }
        match request.kind() {
            Kind::FastCall => &*self.fast_call_isa,
            _ => &*self.isa,
        }
    }

    /// What registers this compiler's code with the system unwinder (`None` where
    /// the host has no unwinder springboard registers with).
    pub(crate) fn unwinder(&self) -> Option<crate::unwind::Unwinder> {
        crate::unwind::Unwinder::for_host(&*self.isa)
    }

    /// The Cranelift ISA. Unstable: a Cranelift type.
    #[cfg(feature = "unstable-internals")]
    pub fn isa(&self) -> &dyn TargetIsa {
        &*self.isa
    }

    /// A shared handle to the Cranelift ISA (for cranelift-object); with `shims`, the
    /// ISA of trampolines that call through a [shim](crate::abi::shim).
    pub(crate) fn owned_isa_with_shims(&self, shims: bool) -> OwnedTargetIsa {
        if shims {
            self.shim_isa.clone()
        } else {
            self.isa.clone()
        }
    }

    /// Compiles the trampoline `request` asks for and returns its machine code. The
    /// only relocations it can have are absolute addresses of its data entry
    /// (callbacks).
    pub fn compile(&self, request: &Request) -> Result<MachineCode, Error> {
        self.with_scratch(|scratch| {
            self.build_and_compile(scratch, request, false)?;
            self.machine_code(&scratch.context, self.isa_for(request), request)
        })
    }

    /// The machine code `context` holds, compiled for `isa`, with the addresses of
    /// shims and errno accessors put in; `trampoline` names it in errors.
    fn machine_code(
        &self,
        context: &Context,
        isa: &dyn TargetIsa,
        trampoline: &dyn std::fmt::Display,
    ) -> Result<MachineCode, Error> {
        {
            let compiled = context.compiled_code().expect("compiled above");
            let names = context.func.params.user_named_funcs();
            let mut data_relocations = Vec::new();
            let mut bytes = compiled.code_buffer().to_vec();
            for reloc in compiled.buffer.relocs() {
                let name = match reloc.target {
                    FinalizedRelocTarget::ExternalName(ir::ExternalName::User(name)) => {
                        Some(&names[name])
                    }
                    _ => None,
                };
                let shim = name
                    .filter(|name| name.namespace == SHIM_NAMESPACE)
                    .and_then(|name| Shim::from_index(name.index));
                let host_address = match (shim, name) {
                    // A shim compiled into this process.
                    (Some(shim), _) => Some(self.host_shim_address(shim)?),
                    // The C library's errno accessor, as this process links it.
                    (None, Some(name)) if name.namespace == ERRNO_NAMESPACE => {
                        Some(self.host_errno_accessor(name.index)?)
                    }
                    _ => None,
                };
                if let (Some(address), Reloc::Abs8, 0) = (host_address, reloc.kind, reloc.addend) {
                    // Its address goes into the code.
                    let at = reloc.offset as usize;
                    bytes[at..at + 8].copy_from_slice(&address.to_le_bytes());
                    continue;
                }
                let to_data_entry = name.is_some_and(|name| *name == DATA_SYMBOL);
                if reloc.kind != Reloc::Abs8 || reloc.addend != 0 || !to_data_entry {
                    return Err(CodegenError::Relocation {
                        trampoline: trampoline.to_string(),
                        relocation: format!("{:?} to {:?}", reloc.kind, reloc.target),
                    }
                    .into());
                }
                data_relocations.push(reloc.offset);
            }
            Ok(MachineCode {
                bytes,
                data_relocations,
                unwind: unwind_of(compiled, isa)?,
            })
        }
    }

    /// Compiles every request, on up to `threads` threads (this one included), and
    /// returns their machine code in request order; the first error in request order
    /// if any fails. Threads take requests one at a time from a shared counter, so a
    /// slow request does not hold up a whole share; each uses its own pooled context.
    /// Batches of fewer than [`MIN_PER_THREAD`] requests per extra thread compile on
    /// this thread alone (starting a thread costs about as much as a compile).
    pub fn compile_many(
        &self,
        requests: &[Request],
        threads: usize,
    ) -> Result<Vec<MachineCode>, Error> {
        let threads = threads.min(requests.len() / MIN_PER_THREAD).max(1);
        if threads == 1 {
            return requests
                .iter()
                .map(|request| self.compile(request))
                .collect();
        }
        let next = AtomicUsize::new(0);
        let work = || {
            let mut done = Vec::new();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(request) = requests.get(index) else {
                    return done;
                };
                done.push((index, self.compile(request)));
            }
        };
        let mut results: Vec<Option<Result<MachineCode, Error>>> =
            (0..requests.len()).map(|_| None).collect();
        std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
            let mut parts = vec![work()];
            for helper in helpers {
                // A panic in Cranelift on a helper thread is re-raised here.
                parts.push(
                    helper
                        .join()
                        .unwrap_or_else(|p| std::panic::resume_unwind(p)),
                );
            }
            for (index, result) in parts.into_iter().flatten() {
                results[index] = Some(result);
            }
        });
        results
            .into_iter()
            .map(|result| result.expect("every index was taken by one thread"))
            .collect()
    }

    /// Compiles the generic caller of `frame` (see [`crate::abi::plan`]): no
    /// relocations, host code only.
    pub(crate) fn compile_generic(
        &self,
        frame: &crate::abi::plan::GenericFrame,
    ) -> Result<MachineCode, Error> {
        self.with_scratch(|scratch| {
            let Scratch { context, builder } = scratch;
            crate::trampoline::generic::build(&mut context.func, builder, frame, &self.target);
            context.set_disasm(false);
            // A caller through a shim reserves the pinned register, as downcalls do.
            let isa = if frame.shim.is_some() {
                &*self.shim_isa
            } else {
                &*self.isa
            };
            let name = format!("the generic caller of {frame:?}");
            context
                .compile(isa, &mut ControlPlane::default())
                .map_err(|e| CodegenError::Function {
                    trampoline: name.clone(),
                    message: format!("{:?}", e.inner),
                })?;
            self.machine_code(context, isa, &name)
        })
    }

    /// Compiles the trampoline `request` asks for and returns its IR and machine-code
    /// listing.
    pub fn listing(&self, request: &Request) -> Result<Listing, Error> {
        self.with_scratch(|scratch| {
            self.build_and_compile(scratch, request, true)?;
            let clif = scratch.context.func.display().to_string();
            let compiled = scratch.context.compiled_code().expect("compiled above");
            Ok(Listing {
                clif,
                vcode: compiled.vcode.clone().unwrap_or_default(),
                code_size: compiled.code_buffer().len(),
            })
        })
    }

    /// Builds the IR of the trampoline `request` asks for, without compiling it.
    /// Unstable: a Cranelift type.
    #[cfg(feature = "unstable-internals")]
    pub fn build_ir(&self, request: &Request) -> Result<ir::Function, Error> {
        self.with_scratch(|scratch| {
            let mut func = ir::Function::new();
            request.build(&mut func, &mut scratch.builder, &self.target)?;
            Ok(func)
        })
    }

    /// The address of `shim` in this process, when code for this target runs here.
    fn host_shim_address(&self, shim: Shim) -> Result<u64, Error> {
        let host = target_lexicon::Triple::host().architecture;
        match shim.host_address() {
            Some(address) if host == self.target.triple().architecture => Ok(address),
            _ => Err(Error::Unsupported(format!(
                "variadic calls that need the `{shim}` shim run only on an x86-64 host \
                 compiling for it (this is {host}, compiling for {})",
                self.target
            ))),
        }
    }

    /// The address, in this process, of the errno accessor at `index` of this target's
    /// [`Accessors::symbols`]; an error unless this target is the host's.
    fn host_errno_accessor(&self, index: u32) -> Result<u64, Error> {
        let accessors = Accessors::of(&self.target)?;
        let symbol = accessors.symbols()[index as usize];
        let host = target_lexicon::Triple::host();
        let unsupported = || {
            Error::Unsupported(format!(
                "errno capture for {} runs only on such a host (this is {host}); `{symbol}` \
                 is not in this process",
                self.target
            ))
        };
        if host.architecture != self.target.triple().architecture
            || host.operating_system != self.target.triple().operating_system
        {
            return Err(unsupported());
        }
        host_symbol(symbol).ok_or_else(unsupported)
    }

    fn with_scratch<T>(
        &self,
        f: impl FnOnce(&mut Scratch) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let taken = self.pool.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let mut scratch = taken.unwrap_or_else(|| Scratch {
            context: Context::new(),
            builder: FunctionBuilderContext::new(),
        });
        let result = f(&mut scratch);
        scratch.context.clear();
        self.pool
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(scratch);
        result
    }

    fn build_and_compile(
        &self,
        scratch: &mut Scratch,
        request: &Request,
        disasm: bool,
    ) -> Result<(), Error> {
        let Scratch { context, builder } = scratch;
        request.build(&mut context.func, builder, &self.target)?;
        context.set_disasm(disasm);
        context
            .compile(self.isa_for(request), &mut ControlPlane::default())
            .map_err(|e| CodegenError::Function {
                trampoline: request.to_string(),
                message: format!("{:?}", e.inner),
            })?;
        Ok(())
    }
}

/// How `compiled`'s frame unwinds, when `isa` describes frames.
fn unwind_of(
    compiled: &cranelift_codegen::CompiledCode,
    isa: &dyn TargetIsa,
) -> Result<Option<crate::unwind::FrameUnwind>, Error> {
    if isa.flags().unwind_info() {
        crate::unwind::FrameUnwind::of(compiled, isa)
    } else {
        Ok(None)
    }
}

/// The address of C symbol `name` in this process (the dynamic linker's default
/// search), `None` if it has none.
#[cfg(unix)]
fn host_symbol(name: &str) -> Option<u64> {
    let name = std::ffi::CString::new(name).ok()?;
    // SAFETY: `name` is a NUL-terminated string; dlsym only looks the symbol up.
    let address = unsafe { libc::dlsym(libc::RTLD_DEFAULT, name.as_ptr()) };
    (!address.is_null()).then_some(address as u64)
}

/// No symbol lookup in this process off Unix.
#[cfg(not(unix))]
fn host_symbol(_name: &str) -> Option<u64> {
    None
}
