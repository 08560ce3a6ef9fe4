//! The [`Engine`]: compiles trampolines for this machine, caches them, owns their code.

mod callback;
mod downcall;

pub use callback::{Callback, CallbackOptions, OnPanic, RawHandler};
pub use downcall::{Downcall, RawDowncall};

use crate::code_memory::{CodeMemory, CodeRange, MemoryStats};
use crate::compiler::{Compiler, CompilerOptions, MachineCode};
use crate::error::Error;
use crate::signature::Signature;
use crate::trampoline::boundary::{Boundary, BoundaryShape};
use crate::trampoline::fastcall::FastCall;
use crate::trampoline::{Trampoline, TrampolineRef};
use callback::CallbackPool;
use hashbrown::HashTable;
use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, MutexGuard};

/// How an [`Engine`] compiles and caches.
#[derive(Clone, Debug)]
pub struct EngineOptions {
    /// Compiler settings.
    pub compiler: CompilerOptions,
    /// Trampolines the cache keeps alive (least recently used ones are evicted
    /// first); 0 disables caching.
    pub cache_capacity: usize,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            compiler: CompilerOptions::default(),
            cache_capacity: 4096,
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
    /// The whole request (kind, signature and the kind's options) is the key.
    key: Trampoline,
    hash: u64,
    cached: Cached,
    used: u64,
}

/// Trampolines by request, least recently used evicted first. Lookups hash the
/// borrowed request with FxHash and never clone it: a hit is a hash and a compare.
struct Cache {
    entries: HashTable<CacheEntry>,
    clock: u64,
    capacity: usize,
}

fn hash_of(request: TrampolineRef<'_>) -> u64 {
    let mut hasher = FxHasher::default();
    request.hash(&mut hasher);
    hasher.finish()
}

impl Cache {
    fn get(&mut self, request: TrampolineRef<'_>) -> Option<Cached> {
        self.clock += 1;
        let clock = self.clock;
        let entry = self
            .entries
            .find_mut(hash_of(request), |entry| entry.key.as_ref() == request)?;
        entry.used = clock;
        Some(entry.cached.clone())
    }

    /// Inserts unless another thread got there first; returns what is cached.
    fn insert(&mut self, request: TrampolineRef<'_>, cached: Cached) -> Cached {
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
            CacheEntry {
                key: request.to_trampoline(),
                hash,
                cached: cached.clone(),
                used: self.clock,
            },
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

/// A compiled trampoline that is called directly: a fast call (its entry signature,
/// [`FastCall::entry_signature`]), a native boundary (its C signature), or an array
/// entry (`void entry(void *callee, const Slot *args, void *result, size_t capacity)`).
/// The code lives while a clone of this handle does (or the cache keeps it).
#[derive(Clone)]
pub struct Entrypoint {
    compiled: Arc<Compiled>,
}

impl Entrypoint {
    /// The entry point: transmute it to its `extern "C"` function type.
    pub fn code(&self) -> *const std::ffi::c_void {
        self.compiled.code.addr() as *const std::ffi::c_void
    }

    /// Size of the machine code in bytes (rounded to 16).
    pub fn code_size(&self) -> usize {
        self.compiled.code.len()
    }
}

impl std::fmt::Debug for Entrypoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entrypoint")
            .field("target", &self.compiled.signature.to_string())
            .field("code", &self.compiled.code)
            .finish()
    }
}

/// A compiled trampoline: its code and what it was compiled for.
struct Compiled {
    code: CodeRange,
    signature: Signature,
}

impl Engine {
    /// An engine for this machine with default options.
    pub fn new() -> Result<Engine, Error> {
        Engine::with_options(EngineOptions::default())
    }

    /// An engine for this machine.
    pub fn with_options(options: EngineOptions) -> Result<Engine, Error> {
        Ok(Engine {
            inner: Arc::new(EngineInner {
                compiler: Compiler::host(&options.compiler)?,
                memory: CodeMemory::new(),
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
        let key = TrampolineRef::Downcall(signature);
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
        let keys: Vec<TrampolineRef<'_>> = signatures.iter().map(TrampolineRef::Downcall).collect();
        Ok(self
            .cached_code(&keys)?
            .into_iter()
            .map(Downcall::new)
            .collect())
    }

    fn compile_downcalls(&self, signatures: &[Signature]) -> Result<Vec<Arc<Compiled>>, Error> {
        let requests: Vec<Trampoline> = signatures
            .iter()
            .map(|signature| Trampoline::Downcall(signature.clone()))
            .collect();
        self.compile_code(&requests)
    }

    /// Compiles relocation-free trampolines and installs them together in one write.
    fn compile_code(&self, requests: &[Trampoline]) -> Result<Vec<Arc<Compiled>>, Error> {
        if requests.is_empty() {
            return Ok(Vec::new());
        }
        let code: Vec<MachineCode> = requests
            .iter()
            .map(|request| self.inner.compiler.compile_trampoline(request))
            .collect::<Result<_, _>>()?;
        if let Some((request, _)) = requests
            .iter()
            .zip(&code)
            .find(|(_, code)| !code.data_relocations.is_empty())
        {
            return Err(Error::Codegen(format!("{request} has a data relocation")));
        }
        let chunks: Vec<&[u8]> = code.iter().map(|c| c.bytes.as_slice()).collect();
        let ranges = self.inner.memory.install(&chunks)?;
        Ok(ranges
            .into_iter()
            .zip(requests)
            .map(|(code, request)| {
                Arc::new(Compiled {
                    code,
                    signature: request.signature().clone(),
                })
            })
            .collect())
    }

    /// The fast-call trampoline `fast` describes, from the cache or freshly compiled.
    pub fn fast_call(&self, fast: &FastCall) -> Result<Entrypoint, Error> {
        Ok(self.fast_calls(std::slice::from_ref(fast))?.remove(0))
    }

    /// Fast-call trampolines for a whole library's symbols at once: the ones not
    /// cached are compiled and installed together in one write.
    pub fn fast_calls(&self, fast: &[FastCall]) -> Result<Vec<Entrypoint>, Error> {
        let keys: Vec<TrampolineRef<'_>> = fast.iter().map(TrampolineRef::FastCall).collect();
        self.entrypoints(&keys)
    }

    /// An entry boundary trampoline (array or native shape; see
    /// [`crate::trampoline::boundary`]).
    pub fn entry(&self, boundary: &Boundary) -> Result<Entrypoint, Error> {
        boundary.validate()?;
        Ok(self
            .entrypoints(&[TrampolineRef::Entry(boundary)])?
            .remove(0))
    }

    /// A native-shaped exit boundary trampoline. (An array-shaped exit is a callback:
    /// [`Engine::exit_callback_raw`].)
    pub fn exit(&self, boundary: &Boundary) -> Result<Entrypoint, Error> {
        boundary.validate()?;
        if boundary.shape == BoundaryShape::Array {
            return Err(Error::Boundary(
                "an array-shaped exit is a callback: use Engine::exit_callback_raw".into(),
            ));
        }
        Ok(self
            .entrypoints(&[TrampolineRef::Exit(boundary)])?
            .remove(0))
    }

    /// An array-shaped exit boundary: a callback with `boundary.signature` that records
    /// the exit FP and PC in the runtime context before calling `handler(context,
    /// args, result)`.
    pub fn exit_callback_raw(
        &self,
        boundary: &Boundary,
        handler: RawHandler,
        context: *mut std::ffi::c_void,
    ) -> Result<Callback, Error> {
        boundary.validate()?;
        if boundary.shape != BoundaryShape::Array {
            return Err(Error::Boundary(
                "a native-shaped exit calls a fixed function: use Engine::exit".into(),
            ));
        }
        let pool = self.callback_pool(TrampolineRef::Exit(boundary))?;
        Callback::raw(pool, handler, context)
    }

    /// Relocation-free trampolines that are called directly, cached or compiled
    /// together.
    fn entrypoints(&self, keys: &[TrampolineRef<'_>]) -> Result<Vec<Entrypoint>, Error> {
        Ok(self
            .cached_code(keys)?
            .into_iter()
            .map(|compiled| Entrypoint { compiled })
            .collect())
    }

    /// The code of each relocation-free request: cached ones from the cache, the others
    /// compiled and installed together in one write, then cached.
    fn cached_code(&self, keys: &[TrampolineRef<'_>]) -> Result<Vec<Arc<Compiled>>, Error> {
        let mut found: Vec<Option<Arc<Compiled>>> = {
            let mut cache = self.cache();
            keys.iter()
                .map(|&key| match cache.get(key) {
                    Some(Cached::Code(compiled)) => Some(compiled),
                    _ => None,
                })
                .collect()
        };
        let missing: Vec<Trampoline> = keys
            .iter()
            .zip(&found)
            .filter(|(_, found)| found.is_none())
            .map(|(key, _)| key.to_trampoline())
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
    fn callback_pool(&self, key: TrampolineRef<'_>) -> Result<Arc<CallbackPool>, Error> {
        if let Some(Cached::Callbacks(pool)) = self.cache().get(key) {
            return Ok(pool);
        }
        let request = key.to_trampoline();
        let template = self.inner.compiler.compile_trampoline(&request)?;
        let pool = CallbackPool::new(
            request.signature().clone(),
            template,
            Arc::clone(&self.inner.memory),
        )?;
        match self.cache().insert(key, Cached::Callbacks(pool)) {
            Cached::Callbacks(pool) => Ok(pool),
            Cached::Code(_) => unreachable!("callback keys hold pools"),
        }
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
        let pool = self.callback_pool(TrampolineRef::Callback(signature))?;
        Callback::raw(pool, handler, context)
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
    /// // SAFETY: the callback has exactly this C type while `callback` lives.
    /// let multiply: extern "C" fn(i32, i32) -> i32 = unsafe { std::mem::transmute(callback.code()) };
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
    pub fn callback_with<F>(
        &self,
        signature: &Signature,
        options: CallbackOptions,
        closure: F,
    ) -> Result<Callback, Error>
    where
        F: Fn(&[crate::Value]) -> crate::Value + Send + Sync + 'static,
    {
        let pool = self.callback_pool(TrampolineRef::Callback(signature))?;
        Callback::closure(pool, options, Box::new(closure))
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

    /// The compiler (for listings of host trampolines).
    pub fn compiler(&self) -> &Compiler {
        &self.inner.compiler
    }
}
