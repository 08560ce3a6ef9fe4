//! The [`Engine`]: compiles trampolines for this machine, caches them, owns their code.

mod callback;
mod code;
mod downcall;
mod errno;
mod lazy;

pub(crate) use callback::run_bound;
pub use callback::{
    Callback, CallbackError, CallbackFactory, CallbackForm, CallbackOptions, OnPanic, RawHandler,
    RawPointerHandler, TypedCallback,
};
pub use code::{ArrayEntry, NativeFunction, RawArrayEntry};
pub use downcall::{Downcall, PointerDowncall, RawDowncall, RawPointerDowncall, TypedDowncall};
pub use errno::{ErrnoDowncall, RawErrnoDowncall, TypedErrnoDowncall};
pub use lazy::Tiering;

pub use crate::code_memory::{Backing as CodeBacking, MemoryStats};
use crate::code_memory::{CodeMemory, CodeRange};
use crate::compiler::{Compiler, CompilerOptions, MachineCode};
use crate::error::{CodegenError, Error};
use crate::gdb_jit::GdbRegistration;
use crate::perf_map::Profilers;
use crate::signature::Signature;
use crate::trampoline::boundary::{ArrayBoundary, BoundaryRef, NativeBoundary};
use crate::trampoline::fastcall::FastCall;
use crate::trampoline::{ArgLayout, Kind, Request, RequestRef};
use crate::unwind::{FrameGroups, Unwinder};
use callback::CallbackPool;
use hashbrown::HashTable;
use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

/// How an [`Engine`] compiles and caches.
#[derive(Clone, Debug)]
pub struct EngineOptions {
    /// Compiler settings.
    pub compiler: CompilerOptions,
    /// Trampolines the cache keeps alive (least recently used ones are evicted
    /// first); 0 disables caching.
    pub cache_capacity: usize,
    /// Register every trampoline's unwind information with the system unwinder
    /// (default: on), so that C++ exceptions, `_Unwind_Backtrace` and debuggers pass
    /// through trampoline frames. A trampoline's FDE goes into the section of its
    /// address group (the trampolines starting in the same 4 KiB share one), so it
    /// costs its FDE's bytes; a compile call registers each group it adds to once
    /// (and deregisters that group's previous section), however many trampolines it
    /// installs, and so does each dropped trampoline. Callback instances are
    /// registered per chunk, never one per callback created.
    pub unwind_info: bool,
    /// Append a line per installed trampoline to `/tmp/perf-<pid>.map` (default: off),
    /// so that `perf` and other profilers name trampoline frames: address, size and
    /// the trampoline's [name](Downcall::name). Written per compiled batch and per
    /// chunk of callback instances.
    pub perf_map: bool,
    /// Register every installed trampoline with the GDB JIT interface (default: off),
    /// so that gdb's `bt` names trampoline frames: an in-memory ELF object per
    /// compile call and per chunk of callback instances, under a process-wide lock.
    pub gdb_jit: bool,
    /// Write a perf jitdump, `jit-<pid>.dump` in this directory (default: none): one
    /// `JIT_CODE_LOAD` record per installed trampoline, with its address, size,
    /// [name](Downcall::name) and code bytes, for `perf inject --jit`. Written per
    /// compiled batch and per chunk of callback instances; the file is created, with
    /// its header and the executable mapping perf looks for, on first use.
    pub jitdump: Option<std::path::PathBuf>,
    /// Threads a batch ([`Engine::downcalls`], [`Engine::fast_calls`]) compiles on,
    /// the calling thread included; 0 (the default) means one per core
    /// ([`std::thread::available_parallelism`]). Helper threads are scoped to the
    /// compile call: none outlives it, and a batch of few signatures stays on the
    /// calling thread.
    pub compile_threads: usize,
    /// When downcalls are compiled (default: when asked for). Under
    /// [`Tiering::Lazy`] a new downcall is callable at once through a generic caller
    /// and compiled after a number of calls; see [`Tiering`] for what runs where.
    pub tiering: Tiering,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            compiler: CompilerOptions::default(),
            cache_capacity: 4096,
            unwind_info: true,
            perf_map: false,
            gdb_jit: false,
            jitdump: None,
            compile_threads: 0,
            tiering: Tiering::Eager,
        }
    }
}

/// Compiles and owns trampolines for the host.
///
/// Cheap to clone (clones share everything), `Send + Sync`: any thread may compile and
/// call at the same time. Trampolines are cached by (kind, signature): asking twice
/// returns the same code while it is cached or alive. A trampoline's code is freed
/// when its last handle is dropped and the cache no longer holds it.
///
/// ```
/// use springboard::{Engine, Value};
///
/// extern "C" fn add(a: i32, b: i32) -> i32 { a + b }
///
/// let engine = Engine::new()?;
/// let downcall = engine.downcall(&"(i32, i32) -> i32".parse()?)?;
/// // SAFETY: `add` has exactly the signature the downcall was built for.
/// let sum = unsafe { downcall.call(add as *const _, &[Value::I32(2), Value::I32(40)])? };
/// assert_eq!(sum, Value::I32(42));
/// # Ok::<(), springboard::Error>(())
/// ```
#[derive(Clone)]
pub struct Engine {
    inner: Arc<EngineInner>,
}

struct EngineInner {
    compiler: Compiler,
    memory: Arc<CodeMemory>,
    /// Registers unwind information (`None`: off, or no supported unwinder).
    unwinder: Option<Arc<Unwinder>>,
    /// The registered FDEs of relocation-free code, grouped by address (`Some` when
    /// `unwinder` is).
    frames: Option<Arc<FrameGroups>>,
    profilers: Profilers,
    gdb_jit: bool,
    /// Threads a batch compiles on (resolved: at least 1).
    compile_threads: usize,
    tiering: Tiering,
    /// Generic callers and entry points of lazy downcalls.
    lazy: lazy::LazyParts,
    cache: Mutex<Cache>,
}

/// What the cache holds for a key.
#[derive(Clone)]
enum Cached {
    /// A relocation-free trampoline (downcall, fast call).
    Code(Arc<Compiled>),
    /// The compiled body and instances of a callback signature.
    Callbacks(Arc<CallbackPool>),
}

struct CacheEntry {
    /// The whole request (kind, signature and the kind's options) is the key; `None`
    /// for a plain downcall, whose key is its trampoline's signature (so a cached
    /// downcall holds its signature once: see [`CacheEntry::key`]).
    key: Option<Box<Request>>,
    hash: u64,
    cached: Cached,
    used: u64,
}

impl CacheEntry {
    fn new(request: RequestRef<'_>, hash: u64, cached: Cached, used: u64) -> CacheEntry {
        let key = match (request, &cached) {
            (RequestRef::Downcall(signature), Cached::Code(code))
                if code.signature == *signature =>
            {
                None
            }
            _ => Some(Box::new(request.to_request())),
        };
        CacheEntry {
            key,
            hash,
            cached,
            used,
        }
    }

    fn key(&self) -> RequestRef<'_> {
        match (&self.key, &self.cached) {
            (Some(key), _) => Request::as_ref(key),
            (None, Cached::Code(code)) => RequestRef::Downcall(&code.signature),
            (None, Cached::Callbacks(_)) => unreachable!("callback pools keep their key"),
        }
    }
}

/// Trampolines by request, least recently used evicted first. Lookups hash the
/// borrowed request with FxHash and never clone it: a hit is a hash and a compare.
struct Cache {
    entries: HashTable<CacheEntry>,
    clock: u64,
    capacity: usize,
}

fn hash_of(request: RequestRef<'_>) -> u64 {
    let mut hasher = FxHasher::default();
    request.hash(&mut hasher);
    hasher.finish()
}

impl Cache {
    fn get(&mut self, request: RequestRef<'_>) -> Option<Cached> {
        self.clock += 1;
        let clock = self.clock;
        let entry = self
            .entries
            .find_mut(hash_of(request), |entry| entry.key() == request)?;
        entry.used = clock;
        Some(entry.cached.clone())
    }

    /// Inserts unless another thread got there first; returns what is cached.
    fn insert(&mut self, request: RequestRef<'_>, cached: Cached) -> Cached {
        if self.capacity == 0 {
            return cached;
        }
        if let Some(existing) = self.get(request) {
            return existing;
        }
        if self.entries.len() >= self.capacity {
            self.evict_oldest_quarter();
        }
        let hash = hash_of(request);
        self.entries.insert_unique(
            hash,
            CacheEntry::new(request, hash, cached.clone(), self.clock),
            |entry| entry.hash,
        );
        cached
    }

    /// Evicts in bulk so that the scan is amortised over many inserts.
    fn evict_oldest_quarter(&mut self) {
        let mut stamps: Vec<u64> = self.entries.iter().map(|entry| entry.used).collect();
        let cut = (stamps.len() / 4).max(1);
        let (_, &mut threshold, _) = stamps.select_nth_unstable(cut - 1);
        self.entries.retain(|entry| entry.used > threshold);
    }
}

/// A compiled trampoline: its code and what it was compiled for.
struct Compiled {
    code: Placed,
    signature: Signature,
    kind: Kind,
    /// `springboard <kind> <signature>`, made when first asked for (at install when
    /// profilers or debuggers are told about the code).
    name: std::sync::OnceLock<Box<str>>,
}

impl Compiled {
    fn name(&self) -> &str {
        self.name
            .get_or_init(|| crate::perf_map::name(self.kind, &self.signature))
    }
}

/// Where a trampoline's code is, and what keeps it there.
struct Placed {
    addr: usize,
    len: usize,
    _owner: Owner,
}

impl Compiled {
    /// The code to hand out now: a lazy downcall's trampoline once it is compiled,
    /// this otherwise.
    fn current(self: Arc<Compiled>) -> Arc<Compiled> {
        if let Owner::Lazy(lazy) = &self.code._owner {
            if let Some(compiled) = lazy.compiled() {
                return Arc::clone(compiled);
            }
        }
        self
    }

    /// Whether calls run compiled code (a lazy downcall's only once compiled).
    fn runs_compiled_code(&self) -> bool {
        match &self.code._owner {
            Owner::Lazy(lazy) => lazy.compiled().is_some(),
            _ => true,
        }
    }
}

impl Placed {
    fn addr(&self) -> usize {
        self.addr
    }

    fn len(&self) -> usize {
        self.len
    }
}

impl std::fmt::Debug for Placed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Code({:#x}+{})", self.addr, self.len)
    }
}

/// The owner of a trampoline's code memory (held, never read: dropping it frees).
#[allow(dead_code)]
enum Owner {
    /// Its code, with its FDE in the engine's [`FrameGroups`] if unwind information is
    /// on: freed as soon as its trampoline drops.
    Alone(Framed),
    /// The batch it was compiled in, registered with the debugger as one (see
    /// [`Batch`]).
    Batch(Arc<Batch>),
    /// A batch of one told to the debugger: no reference count, no vector of ranges.
    One(Box<One>),
    /// A lazy downcall: its entry point, plan and, once compiled, trampoline.
    Lazy(Arc<lazy::Lazy>),
}

/// A trampoline's code range and, with unwind information on, its FDE's place in the
/// engine's groups: the FDE is removed before the range is freed.
struct Framed {
    frames: Option<Arc<FrameGroups>>,
    code: CodeRange,
}

impl Drop for Framed {
    fn drop(&mut self) {
        // The unwinder forgets the code before `code` drops and frees it.
        if let Some(frames) = &self.frames {
            frames.remove(self.code.addr());
        }
    }
}

/// A trampoline compiled alone and told to the debugger ([`Batch`] for one).
struct One {
    /// Declared before `code`, as in [`Batch`].
    _gdb: Option<GdbRegistration>,
    _code: Framed,
}

/// A batch of trampolines installed in one write and registered in one call with the
/// debugger (gdb's JIT interface, an in-memory object per compile). That registration
/// describes every range of the batch, so no range is freed (and reused by other
/// code) while it lasts: the batch's memory returns when its last trampoline drops,
/// registrations first. (Unwind information needs no batch: each trampoline's FDE
/// is removed from its group on its own, see [`FrameGroups`].)
struct Batch {
    /// Declared before `code`: fields drop in order, so debuggers forget the code
    /// before its memory can be reused.
    _gdb: Option<GdbRegistration>,
    _code: Vec<Framed>,
}

impl Engine {
    /// An engine for this machine with default options.
    pub fn new() -> Result<Engine, Error> {
        Engine::with_options(EngineOptions::default())
    }

    /// An engine for this machine.
    pub fn with_options(options: EngineOptions) -> Result<Engine, Error> {
        let compiler = Compiler::host(&options.compiler)?;
        let unwinder = if options.unwind_info {
            compiler.unwinder().map(Arc::new)
        } else {
            None
        };
        let frames = unwinder.as_ref().map(|_| Arc::new(FrameGroups::new()));
        Ok(Engine {
            inner: Arc::new(EngineInner {
                compiler,
                memory: CodeMemory::new()?,
                unwinder,
                frames,
                profilers: Profilers {
                    perf_map: options.perf_map,
                    jitdump: options.jitdump,
                },
                gdb_jit: options.gdb_jit,
                compile_threads: match options.compile_threads {
                    0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
                    n => n,
                },
                tiering: options.tiering,
                lazy: lazy::LazyParts::default(),
                cache: Mutex::new(Cache {
                    entries: HashTable::new(),
                    clock: 0,
                    capacity: options.cache_capacity,
                }),
            }),
        })
    }

    fn cache(&self) -> MutexGuard<'_, Cache> {
        self.inner.cache.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The downcall trampoline for `signature`, from the cache or freshly compiled.
    pub fn downcall(&self, signature: &Signature) -> Result<Downcall, Error> {
        let key = RequestRef::Downcall(signature);
        if let Some(Cached::Code(compiled)) = self.cache().get(key) {
            return Ok(Downcall::new(compiled));
        }
        let compiled = self.compile_downcalls(std::slice::from_ref(signature))?;
        let compiled = compiled
            .into_iter()
            .next()
            .expect("one signature, one trampoline");
        match self.cache().insert(key, Cached::Code(compiled)) {
            Cached::Code(compiled) => Ok(Downcall::new(compiled)),
            Cached::Callbacks(_) => unreachable!("downcall keys hold code"),
        }
    }

    /// The downcall trampoline for `signature` in libffi's argument layout (an array
    /// of pointers to the values, as `ffi_call` gets them), from the cache or freshly
    /// compiled.
    ///
    /// ```
    /// use springboard::Engine;
    /// use std::ffi::c_void;
    ///
    /// extern "C" fn sub(a: i8, b: i64) -> i8 { (b - a as i64) as i8 }
    ///
    /// let engine = Engine::new()?;
    /// let downcall = engine.pointer_downcall(&"(i8, i64) -> i8".parse()?)?;
    /// let (mut a, mut b) = (50i8, 8i64);
    /// let args = [&mut a as *mut i8 as *mut c_void, &mut b as *mut i64 as *mut c_void];
    /// let mut result = 0u64;
    /// // SAFETY: `sub` has the signature; one pointer per parameter to its value.
    /// unsafe { downcall.call_raw(sub as *const _, args.as_ptr(), &mut result as *mut u64 as *mut _) };
    /// assert_eq!(result, -42i64 as u64); // widened by its signedness
    /// # Ok::<(), springboard::Error>(())
    /// ```
    pub fn pointer_downcall(&self, signature: &Signature) -> Result<PointerDowncall, Error> {
        let key = RequestRef::PointerDowncall(signature);
        Ok(PointerDowncall::new(self.cached_code(&[key])?.remove(0)))
    }

    /// Compiles a downcall trampoline without looking in or filling the cache: the
    /// code is freed as soon as the returned handle (and its clones) drop.
    pub fn downcall_uncached(&self, signature: &Signature) -> Result<Downcall, Error> {
        let compiled = self.compile_downcalls(std::slice::from_ref(signature))?;
        Ok(Downcall::new(
            compiled.into_iter().next().expect("one in, one out"),
        ))
    }

    /// Downcall trampolines for many signatures at once (a whole library's symbols,
    /// say): cached ones are reused, the others compiled and installed together in
    /// one write of executable memory.
    pub fn downcalls(&self, signatures: &[Signature]) -> Result<Vec<Downcall>, Error> {
        let keys: Vec<RequestRef<'_>> = signatures.iter().map(RequestRef::Downcall).collect();
        Ok(self
            .cached_code(&keys)?
            .into_iter()
            .map(Downcall::new)
            .collect())
    }

    fn compile_downcalls(&self, signatures: &[Signature]) -> Result<Vec<Arc<Compiled>>, Error> {
        let requests: Vec<Request> = signatures
            .iter()
            .map(|signature| Request::Downcall(signature.clone()))
            .collect();
        self.compile_code(&requests)
    }

    /// Relocation-free trampolines for `requests`: under [`Tiering::Lazy`], lazy
    /// downcalls where the generic caller can make them; the others compiled and
    /// installed together in one write.
    fn compile_code(&self, requests: &[Request]) -> Result<Vec<Arc<Compiled>>, Error> {
        let Tiering::Lazy { compile_after } = self.inner.tiering else {
            return self.compile_now(requests);
        };
        let mut made = Vec::with_capacity(requests.len());
        for request in requests {
            made.push(match request {
                Request::Downcall(signature) => {
                    self.lazy_downcall(signature, ArgLayout::Slots, compile_after)?
                }
                Request::PointerDowncall(signature) => {
                    self.lazy_downcall(signature, ArgLayout::Pointers, compile_after)?
                }
                _ => None,
            });
        }
        let rest: Vec<Request> = requests
            .iter()
            .zip(&made)
            .filter(|(_, made)| made.is_none())
            .map(|(request, _)| request.clone())
            .collect();
        let mut compiled = self.compile_now(&rest)?.into_iter();
        Ok(made
            .into_iter()
            .map(|made| made.unwrap_or_else(|| compiled.next().expect("one per request")))
            .collect())
    }

    /// Compiles relocation-free trampolines and installs them together in one write.
    fn compile_now(&self, requests: &[Request]) -> Result<Vec<Arc<Compiled>>, Error> {
        if requests.is_empty() {
            return Ok(Vec::new());
        }
        let code = (self.inner.compiler).compile_many(requests, self.inner.compile_threads)?;
        if let Some((request, _)) = requests
            .iter()
            .zip(&code)
            .find(|(_, code)| !code.data_relocations.is_empty())
        {
            return Err(CodegenError::Relocation {
                trampoline: request.to_string(),
                relocation: "its data entry".into(),
            }
            .into());
        }
        let described = requests
            .iter()
            .map(|request| (request.kind(), request.signature().clone()))
            .collect();
        self.install(code, described)
    }

    /// Installs relocation-free machine code together in one write, each with its
    /// kind and signature, and registers it as one batch.
    fn install(
        &self,
        code: Vec<MachineCode>,
        described: Vec<(Kind, Signature)>,
    ) -> Result<Vec<Arc<Compiled>>, Error> {
        let chunks: Vec<&[u8]> = code.iter().map(|c| c.bytes.as_slice()).collect();
        let ranges = self.inner.memory.install(&chunks)?;
        if let Some(frames) = &self.inner.frames {
            frames.add(ranges.iter().zip(&code).filter_map(|(range, code)| {
                code.unwind.as_ref().map(|frame| (range.addr(), frame))
            }))?;
        }
        // From here each range with a registered FDE removes it when it drops.
        let ranges: Vec<Framed> = ranges
            .into_iter()
            .zip(&code)
            .map(|(range, code)| Framed {
                frames: self
                    .inner
                    .frames
                    .as_ref()
                    .filter(|_| code.unwind.is_some())
                    .cloned(),
                code: range,
            })
            .collect();
        let names: Vec<OnceLock<Box<str>>> = described.iter().map(|_| OnceLock::new()).collect();
        let gdb = if self.inner.profilers.any() || self.inner.gdb_jit {
            let functions: Vec<(usize, usize, &str)> = ranges
                .iter()
                .zip(&names)
                .zip(&described)
                .map(|((range, name), (kind, signature))| {
                    let name = name.get_or_init(|| crate::perf_map::name(*kind, signature));
                    (range.code.addr(), range.code.len(), &**name)
                })
                .collect();
            self.inner.profilers.announce(&functions)?;
            self.inner
                .gdb_jit
                .then(|| crate::gdb_jit::register(&functions))
                .flatten()
        } else {
            None
        };
        let spans: Vec<(usize, usize)> = ranges
            .iter()
            .map(|r| (r.code.addr(), r.code.len()))
            .collect();
        let owners: Vec<Owner> = if gdb.is_none() {
            ranges.into_iter().map(Owner::Alone).collect()
        } else if let [_] = ranges[..] {
            let code = ranges.into_iter().next().expect("one range");
            vec![Owner::One(Box::new(One {
                _gdb: gdb,
                _code: code,
            }))]
        } else {
            let batch = Arc::new(Batch {
                _gdb: gdb,
                _code: ranges,
            });
            (0..spans.len())
                .map(|_| Owner::Batch(Arc::clone(&batch)))
                .collect()
        };
        let compiled: Vec<Arc<Compiled>> = spans
            .into_iter()
            .zip(owners)
            .zip(described.into_iter().zip(names))
            .map(|(((addr, len), owner), ((kind, signature), name))| {
                Arc::new(Compiled {
                    code: Placed {
                        addr,
                        len,
                        _owner: owner,
                    },
                    signature,
                    kind,
                    name,
                })
            })
            .collect();
        Ok(compiled)
    }

    /// The fast-call trampoline `fast` describes, from the cache or freshly compiled:
    /// a C function with [`FastCall::entry_signature`].
    pub fn fast_call(&self, fast: &FastCall) -> Result<NativeFunction, Error> {
        Ok(self.fast_calls(std::slice::from_ref(fast))?.remove(0))
    }

    /// Fast-call trampolines for a whole library's symbols at once: the ones not
    /// cached are compiled and installed together in one write.
    pub fn fast_calls(&self, fast: &[FastCall]) -> Result<Vec<NativeFunction>, Error> {
        let keys: Vec<RequestRef<'_>> = fast.iter().map(RequestRef::FastCall).collect();
        Ok(self
            .cached_code(&keys)?
            .into_iter()
            .zip(fast)
            .map(|(compiled, fast)| NativeFunction::new(compiled, fast.entry_signature()))
            .collect())
    }

    /// An array-shaped entry boundary: an entry-recording downcall (see
    /// [`ArrayBoundary`]).
    pub fn array_entry(&self, boundary: &ArrayBoundary) -> Result<ArrayEntry, Error> {
        let key = RequestRef::Entry(BoundaryRef::Array(boundary));
        Ok(ArrayEntry::new(self.cached_code(&[key])?.remove(0)))
    }

    /// A native-shaped entry boundary: a C function with `boundary`'s signature that
    /// records the entry SP/FP and calls its callee.
    pub fn native_entry(&self, boundary: &NativeBoundary) -> Result<NativeFunction, Error> {
        self.native_boundary(RequestRef::Entry(BoundaryRef::Native(boundary)))
    }

    /// A native-shaped exit boundary: a C function with `boundary`'s signature that
    /// records the exit FP and PC and calls its callee.
    pub fn native_exit(&self, boundary: &NativeBoundary) -> Result<NativeFunction, Error> {
        self.native_boundary(RequestRef::Exit(BoundaryRef::Native(boundary)))
    }

    fn native_boundary(&self, key: RequestRef<'_>) -> Result<NativeFunction, Error> {
        let compiled = self.cached_code(&[key])?.remove(0);
        let signature = compiled.signature.clone();
        Ok(NativeFunction::new(compiled, signature))
    }

    /// An array-shaped exit boundary: a callback with `boundary`'s signature that
    /// records the exit FP and PC in the runtime context before calling
    /// `handler(context, args, result)`.
    pub fn array_exit_raw(
        &self,
        boundary: &ArrayBoundary,
        handler: RawHandler,
        context: *mut std::ffi::c_void,
    ) -> Result<Callback, Error> {
        let pool = self.callback_pool(RequestRef::Exit(BoundaryRef::Array(boundary)))?;
        Callback::raw(pool, handler as usize, context)
    }

    /// The code of each relocation-free request: cached ones from the cache, the others
    /// compiled and installed together in one write, then cached.
    fn cached_code(&self, keys: &[RequestRef<'_>]) -> Result<Vec<Arc<Compiled>>, Error> {
        let mut found: Vec<Option<Arc<Compiled>>> = {
            let mut cache = self.cache();
            keys.iter()
                .map(|&key| match cache.get(key) {
                    Some(Cached::Code(compiled)) => Some(compiled),
                    _ => None,
                })
                .collect()
        };
        let missing: Vec<Request> = keys
            .iter()
            .zip(&found)
            .filter(|(_, found)| found.is_none())
            .map(|(key, _)| key.to_request())
            .collect();
        let mut compiled = self.compile_code(&missing)?.into_iter();
        let mut cache = self.cache();
        for (&key, slot) in keys.iter().zip(&mut found) {
            if slot.is_none() {
                let fresh = compiled.next().expect("one trampoline per missing request");
                if let Cached::Code(code) = cache.insert(key, Cached::Code(fresh)) {
                    *slot = Some(code);
                }
            }
        }
        Ok(found
            .into_iter()
            .map(|compiled| compiled.expect("filled above"))
            .collect())
    }

    /// The callback pool of a callback or array exit: compiled once, cached like any
    /// trampoline.
    fn callback_pool(&self, key: RequestRef<'_>) -> Result<Arc<CallbackPool>, Error> {
        if let Some(Cached::Callbacks(pool)) = self.cache().get(key) {
            return Ok(pool);
        }
        let pool = self.new_callback_pool(&key.to_request())?;
        match self.cache().insert(key, Cached::Callbacks(pool)) {
            Cached::Callbacks(pool) => Ok(pool),
            Cached::Code(_) => unreachable!("callback keys hold pools"),
        }
    }

    /// Compiles the callback pool of a callback or array exit, outside the cache.
    fn new_callback_pool(&self, request: &Request) -> Result<Arc<CallbackPool>, Error> {
        let template = self.inner.compiler.compile(request)?;
        CallbackPool::new(
            request.kind(),
            request.signature().clone(),
            template,
            Arc::clone(&self.inner.memory),
            self.inner.unwinder.clone(),
            self.inner.profilers.clone(),
            self.inner.gdb_jit,
        )
    }

    /// A C function pointer with `signature` that calls `handler(context, args,
    /// result)` with its arguments in the [array layout](crate::array).
    ///
    /// The trampoline body is compiled once per signature; each callback after the
    /// first of its signature only claims a prepared instance (no compilation, no
    /// system call in the common case). The pointer is valid until the returned
    /// handle drops (or forever after [`Callback::leak`]).
    pub fn callback_raw(
        &self,
        signature: &Signature,
        handler: RawHandler,
        context: *mut std::ffi::c_void,
    ) -> Result<Callback, Error> {
        let pool = self.callback_pool(RequestRef::Callback(signature))?;
        Callback::raw(pool, handler as usize, context)
    }

    /// A context-binding callback: a C function pointer with `signature` that calls
    /// `handler(context, args...)` and returns its result, the C arguments passed on
    /// unchanged (no argument array), for runtimes with their own compiled handlers.
    ///
    /// `handler` must be a function with a `ptr` context parameter, then `signature`'s
    /// parameters (a variadic signature's arguments as fixed parameters), and its
    /// result, in its convention. Like
    /// [`Engine::callback_raw`], the body is compiled once per signature and each
    /// callback claims a prepared instance.
    ///
    /// ```
    /// use springboard::Engine;
    /// use std::ffi::c_void;
    ///
    /// extern "C" fn scaled(context: *mut c_void, a: i32, b: i32) -> i32 {
    ///     // SAFETY: the context is the `i32` below, alive while the callback is.
    ///     (a + b) * unsafe { *context.cast::<i32>() }
    /// }
    /// let engine = Engine::new()?;
    /// let mut factor = 10;
    /// let context = (&mut factor as *mut i32).cast();
    /// let callback = engine.callback_bound(&"(i32, i32) -> i32".parse()?, scaled as *const c_void, context)?;
    /// // SAFETY: the callback has exactly this C type while it lives.
    /// let f = unsafe { callback.as_fn::<extern "C" fn(i32, i32) -> i32>()? };
    /// assert_eq!(f(2, 3), 50);
    /// # Ok::<(), springboard::Error>(())
    /// ```
    pub fn callback_bound(
        &self,
        signature: &Signature,
        handler: *const std::ffi::c_void,
        context: *mut std::ffi::c_void,
    ) -> Result<Callback, Error> {
        let pool = self.callback_pool(RequestRef::BoundCallback(signature))?;
        Callback::raw(pool, handler as usize, context)
    }

    /// The factory of `signature`'s array-handler callbacks (as
    /// [`Engine::callback_raw`] makes them): compiled now if it is new, then creating a
    /// callback from it is a claim of a prepared instance, with no lookup.
    pub fn callback_raw_factory(&self, signature: &Signature) -> Result<CallbackFactory, Error> {
        let pool = self.callback_pool(RequestRef::Callback(signature))?;
        Ok(CallbackFactory::new(pool, CallbackForm::Array))
    }

    /// The factory of `signature`'s context-binding callbacks (as
    /// [`Engine::callback_bound`] makes them).
    pub fn callback_bound_factory(&self, signature: &Signature) -> Result<CallbackFactory, Error> {
        let pool = self.callback_pool(RequestRef::BoundCallback(signature))?;
        Ok(CallbackFactory::new(pool, CallbackForm::Bound))
    }

    /// [`Engine::callback_raw`] with the arguments handed to `handler` in libffi's
    /// layout: `args` is an array of pointers to the argument values (in the
    /// callback's frame, or the caller's copy of a struct passed by reference), as a
    /// libffi closure's `fun` gets them. The result place is as for
    /// [`Engine::callback_raw`].
    pub fn pointer_callback_raw(
        &self,
        signature: &Signature,
        handler: RawPointerHandler,
        context: *mut std::ffi::c_void,
    ) -> Result<Callback, Error> {
        self.pointer_callback_factory(signature)?
            .create_pointers(handler, context)
    }

    /// The factory of `signature`'s callbacks in libffi's layout (as
    /// [`Engine::pointer_callback_raw`] makes them), for a runtime that binds a
    /// signature once and makes many callbacks of it without a cache lookup.
    pub fn pointer_callback_factory(
        &self,
        signature: &Signature,
    ) -> Result<CallbackFactory, Error> {
        let pool = self.callback_pool(RequestRef::PointerCallback(signature))?;
        Ok(CallbackFactory::new(pool, CallbackForm::Pointers))
    }

    /// A C function pointer with `signature` that calls a Rust closure with the
    /// arguments as [`Value`](crate::Value)s. A panic in the closure aborts the process
    /// with a message (unwinding into C is undefined behaviour); see
    /// [`Engine::callback_with`] for the other choice.
    ///
    /// ```
    /// use springboard::{Engine, Value};
    ///
    /// let engine = Engine::new()?;
    /// let callback = engine.callback(&"(i32, i32) -> i32".parse()?, |args| {
    ///     let (Value::I32(a), Value::I32(b)) = (&args[0], &args[1]) else { unreachable!() };
    ///     Value::I32(a * b)
    /// })?;
    /// // SAFETY: `(i32, i32) -> i32` is `extern "C" fn(i32, i32) -> i32` in Rust.
    /// let multiply = unsafe { callback.as_fn::<extern "C" fn(i32, i32) -> i32>()? };
    /// assert_eq!(multiply(6, 7), 42);
    /// # Ok::<(), springboard::Error>(())
    /// ```
    pub fn callback<F>(&self, signature: &Signature, closure: F) -> Result<Callback, Error>
    where
        F: Fn(&[crate::Value]) -> crate::Value + Send + Sync + 'static,
    {
        self.callback_with(signature, CallbackOptions::default(), closure)
    }

    /// [`Engine::callback`] with options (what a panic does).
    pub fn callback_with(
        &self,
        signature: &Signature,
        options: CallbackOptions,
        closure: impl Fn(&[crate::Value]) -> crate::Value + Send + Sync + 'static,
    ) -> Result<Callback, Error> {
        self.callback_fallible_with(signature, options, move |args| {
            Ok::<_, std::convert::Infallible>(closure(args))
        })
    }

    /// Drops every cached trampoline (live handles keep theirs).
    pub fn clear_cache(&self) {
        self.cache().entries.clear();
    }

    /// Trampolines currently held by the cache.
    pub fn cached(&self) -> usize {
        self.cache().entries.len()
    }

    /// Executable memory in use.
    pub fn memory_stats(&self) -> MemoryStats {
        self.inner.memory.stats()
    }

    /// Where this engine's code pages come from: [`CodeBacking::Memfd`] on Linux
    /// (also under MDWE, where a mapping may not gain exec), unless a memfd cannot be
    /// mapped executable there; else [`CodeBacking::Anonymous`].
    pub fn code_backing(&self) -> CodeBacking {
        self.inner.memory.backing()
    }

    /// The compiler (for listings of host trampolines).
    pub fn compiler(&self) -> &Compiler {
        &self.inner.compiler
    }
}
