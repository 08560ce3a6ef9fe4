//! The [`Engine`]: compiles trampolines for this machine, caches them, owns their code.

use crate::array::Slot;
use crate::code_memory::{CodeMemory, CodeRange, MemoryStats};
use crate::compiler::{Compiler, CompilerOptions};
use crate::error::Error;
use crate::signature::Signature;
use crate::trampoline::Kind;
use crate::value::Value;
use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::{Arc, Mutex, MutexGuard};

/// The raw downcall entry point: `callee` is the C function to call, `args` the
/// argument array, `result` the result place (see [`crate::array`]).
pub type RawDowncall =
    unsafe extern "C" fn(callee: *const c_void, args: *const Slot, result: *mut Slot);

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

#[derive(Clone, PartialEq, Eq, Hash)]
struct CacheKey {
    kind: Kind,
    signature: Signature,
}

struct Cache {
    entries: HashMap<CacheKey, (Arc<Compiled>, u64)>,
    clock: u64,
    capacity: usize,
}

impl Cache {
    fn get(&mut self, key: &CacheKey) -> Option<Arc<Compiled>> {
        self.clock += 1;
        let clock = self.clock;
        self.entries.get_mut(key).map(|(compiled, used)| {
            *used = clock;
            Arc::clone(compiled)
        })
    }

    /// Inserts unless another thread got there first; returns what is cached.
    fn insert(&mut self, key: CacheKey, compiled: Arc<Compiled>) -> Arc<Compiled> {
        if self.capacity == 0 {
            return compiled;
        }
        if let Some(existing) = self.get(&key) {
            return existing;
        }
        if self.entries.len() >= self.capacity {
            self.evict_oldest_quarter();
        }
        self.entries
            .insert(key, (Arc::clone(&compiled), self.clock));
        compiled
    }

    /// Evicts in bulk so that the scan is amortised over many inserts.
    fn evict_oldest_quarter(&mut self) {
        let mut stamps: Vec<u64> = self.entries.values().map(|(_, used)| *used).collect();
        let cut = (stamps.len() / 4).max(1);
        let (_, &mut threshold, _) = stamps.select_nth_unstable(cut - 1);
        self.entries.retain(|_, (_, used)| *used > threshold);
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
                    entries: HashMap::new(),
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
        let key = CacheKey {
            kind: Kind::Downcall,
            signature: signature.clone(),
        };
        if let Some(compiled) = self.cache().get(&key) {
            return Ok(Downcall::new(compiled));
        }
        let compiled = self.compile_batch(Kind::Downcall, std::slice::from_ref(signature))?;
        let compiled = compiled
            .into_iter()
            .next()
            .expect("one signature, one trampoline");
        Ok(Downcall::new(self.cache().insert(key, compiled)))
    }

    /// Compiles a downcall trampoline without looking in or filling the cache: the
    /// code is freed as soon as the returned handle (and its clones) drop.
    pub fn downcall_uncached(&self, signature: &Signature) -> Result<Downcall, Error> {
        let compiled = self.compile_batch(Kind::Downcall, std::slice::from_ref(signature))?;
        Ok(Downcall::new(
            compiled.into_iter().next().expect("one in, one out"),
        ))
    }

    /// Downcall trampolines for many signatures at once (a whole library's symbols,
    /// say): cached ones are reused, the others compiled and installed together in
    /// one write of executable memory.
    pub fn downcalls(&self, signatures: &[Signature]) -> Result<Vec<Downcall>, Error> {
        let keys: Vec<CacheKey> = signatures
            .iter()
            .map(|signature| CacheKey {
                kind: Kind::Downcall,
                signature: signature.clone(),
            })
            .collect();
        let mut found: Vec<Option<Arc<Compiled>>> = {
            let mut cache = self.cache();
            keys.iter().map(|key| cache.get(key)).collect()
        };
        let missing: Vec<Signature> = (0..keys.len())
            .filter(|&i| found[i].is_none())
            .map(|i| signatures[i].clone())
            .collect();
        let mut compiled = self.compile_batch(Kind::Downcall, &missing)?.into_iter();
        let mut cache = self.cache();
        for (key, slot) in keys.into_iter().zip(&mut found) {
            if slot.is_none() {
                let fresh = compiled
                    .next()
                    .expect("one trampoline per missing signature");
                *slot = Some(cache.insert(key, fresh));
            }
        }
        Ok(found
            .into_iter()
            .map(|c| Downcall::new(c.expect("filled above")))
            .collect())
    }

    fn compile_batch(
        &self,
        kind: Kind,
        signatures: &[Signature],
    ) -> Result<Vec<Arc<Compiled>>, Error> {
        if signatures.is_empty() {
            return Ok(Vec::new());
        }
        let code: Vec<Vec<u8>> = signatures
            .iter()
            .map(|signature| self.inner.compiler.compile(kind, signature))
            .collect::<Result<_, _>>()?;
        let chunks: Vec<&[u8]> = code.iter().map(Vec::as_slice).collect();
        let ranges = self.inner.memory.install(&chunks)?;
        Ok(ranges
            .into_iter()
            .zip(signatures)
            .map(|(code, signature)| {
                Arc::new(Compiled {
                    code,
                    signature: signature.clone(),
                })
            })
            .collect())
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

/// A compiled downcall trampoline. Cloning shares the code; the code lives until the
/// last clone drops (and the engine's cache lets go of it).
#[derive(Clone)]
pub struct Downcall {
    compiled: Arc<Compiled>,
    raw: RawDowncall,
}

impl Downcall {
    fn new(compiled: Arc<Compiled>) -> Downcall {
        // SAFETY: the code at this address is a compiled downcall trampoline with the
        // `RawDowncall` type in the host's C convention, and it lives as long as
        // `compiled`, which this handle keeps.
        let raw = unsafe { std::mem::transmute::<usize, RawDowncall>(compiled.code.addr()) };
        Downcall { compiled, raw }
    }

    /// The signature of the C functions this trampoline calls.
    pub fn signature(&self) -> &Signature {
        &self.compiled.signature
    }

    /// The raw entry point, for runtimes: the fast path, with no checks.
    ///
    /// The pointer is valid while this handle (or a clone, or the engine's cache)
    /// keeps the trampoline alive.
    pub fn as_raw(&self) -> RawDowncall {
        self.raw
    }

    /// Size of the trampoline's machine code in bytes (rounded to 16).
    pub fn code_size(&self) -> usize {
        self.compiled.code.len()
    }

    /// Calls `callee` with arguments in the array layout.
    ///
    /// # Safety
    /// - `callee` must be a function with exactly this signature and convention;
    /// - `args` must point to at least as many readable slots as the signature has
    ///   parameters, holding values the callee accepts (valid pointers where it
    ///   dereferences them, and so on);
    /// - `result` must point to a writable slot (it may be `args`).
    pub unsafe fn call_raw(&self, callee: *const c_void, args: *const Slot, result: *mut Slot) {
        (self.raw)(callee, args, result)
    }

    /// Calls `callee` with typed arguments, checking their number and types against
    /// the signature first: on a mismatch nothing is called.
    ///
    /// # Safety
    /// `callee` must be a function with exactly this signature and convention, and the
    /// argument values must be ones it accepts (a pointer it dereferences must be
    /// valid, for instance). The checks here cover only what the signature says.
    pub unsafe fn call(&self, callee: *const c_void, args: &[Value]) -> Result<Value, Error> {
        let params = &self.compiled.signature.params;
        if args.len() != params.len() {
            return Err(Error::Arity {
                expected: params.len(),
                found: args.len(),
            });
        }
        for (index, (arg, param)) in args.iter().zip(params).enumerate() {
            if arg.ty() != *param {
                return Err(Error::ArgumentType {
                    index,
                    expected: param.clone(),
                    found: arg.ty(),
                });
            }
            arg.validate()
                .map_err(|reason| Error::MalformedArgument { index, reason })?;
        }
        const INLINE: usize = 16;
        let mut inline = [Slot::default(); INLINE];
        let mut heap = Vec::new();
        let slots: &mut [Slot] = if args.len() <= INLINE {
            &mut inline[..args.len()]
        } else {
            heap.resize(args.len(), Slot::default());
            &mut heap
        };
        // Struct arguments live in C-layout buffers the slots point to.
        let mut aggregates = Vec::new();
        for (slot, arg) in slots.iter_mut().zip(args) {
            *slot = if arg.ty().is_aggregate() {
                let mut bytes = AlignedBytes::new(arg.ty().size());
                arg.encode(bytes.as_mut_slice());
                let slot = Slot::from_ptr(bytes.as_ptr());
                aggregates.push(bytes);
                slot
            } else {
                arg.to_slot()
            };
        }
        let result_ty = &self.compiled.signature.result;
        if result_ty.is_aggregate() {
            let mut result = AlignedBytes::new(result_ty.size());
            (self.raw)(callee, slots.as_ptr(), result.as_mut_ptr().cast());
            return Ok(Value::decode(result_ty, result.as_mut_slice()));
        }
        let mut result = Slot::default();
        (self.raw)(callee, slots.as_ptr(), &mut result);
        Ok(Value::from_slot(result_ty, result))
    }
}

/// A zeroed byte buffer aligned to 8 (enough for every C type here).
struct AlignedBytes {
    words: Vec<u64>,
    len: usize,
}

impl AlignedBytes {
    fn new(len: usize) -> AlignedBytes {
        AlignedBytes {
            words: vec![0; len.div_ceil(8).max(1)],
            len,
        }
    }

    fn as_ptr(&self) -> *const u8 {
        self.words.as_ptr().cast()
    }

    fn as_mut_ptr(&mut self) -> *mut u8 {
        self.words.as_mut_ptr().cast()
    }

    fn as_mut_slice(&mut self) -> &mut [u8] {
        // SAFETY: `len` bytes fit in the words, which are initialised.
        unsafe { std::slice::from_raw_parts_mut(self.as_mut_ptr(), self.len) }
    }
}

impl std::fmt::Debug for Downcall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Downcall")
            .field("signature", &self.compiled.signature.to_string())
            .field("code", &self.compiled.code)
            .finish()
    }
}
