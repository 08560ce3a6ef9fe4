//! Callbacks: per-signature pools of prepared instances, and the handles that own one.
//!
//! A callback signature is compiled once into a body whose only relocation is the
//! address of its data entry `[handler, context]`. A pool prepares instances in
//! chunks: copies of the body, each with the relocation set to its own entry, installed
//! into executable memory in one write. Creating a callback claims a free instance and
//! writes its entry; dropping it points the entry at a handler that reports the use
//! after free and aborts, and returns the instance to the pool. A chunk whose
//! instances are all free is released (its code freed) unless it is the pool's last.

use crate::array::Slot;
use crate::code_memory::{CodeMemory, CodeRange};
use crate::compiler::MachineCode;
use crate::error::Error;
use crate::signature::Signature;
use crate::value::Value;
use std::any::Any;
use std::ffi::c_void;
use std::mem::MaybeUninit;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// A raw callback handler: `context` is what the runtime gave at creation, `args` the
/// argument array, `result` where to write the result (one slot for scalars, the
/// struct's size for struct results; see [`crate::array`]).
pub type RawHandler =
    unsafe extern "C" fn(context: *mut c_void, args: *mut Slot, result: *mut Slot);

/// What a closure callback does when the closure panics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OnPanic {
    /// Print the panic and abort the process, as Rust does for a panic that reaches
    /// an `extern "C"` boundary.
    #[default]
    Abort,
    /// Return the zero value of the result type to C and keep the panic for
    /// [`Callback::take_panic`].
    ReturnZero,
}

/// Options of a closure callback.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CallbackOptions {
    /// What a panic in the closure does.
    pub on_panic: OnPanic,
}

/// Instances prepared per chunk: at least this many, growing with the pool.
const MIN_CHUNK: usize = 8;
/// At most this many instances per chunk.
const MAX_CHUNK: usize = 256;

/// A data entry, read by the instance's code: `[handler, context]`.
#[repr(C)]
struct DataEntry {
    handler: AtomicUsize,
    context: AtomicUsize,
}

impl DataEntry {
    fn set(&self, handler: RawHandler, context: *mut c_void) {
        self.context.store(context as usize, Ordering::Relaxed);
        self.handler.store(handler as usize, Ordering::Release);
    }
}

/// Instances of one chunk: code and data entries, index for index.
struct Chunk {
    code: Vec<CodeRange>,
    /// Boxed so that its address, baked into the code, never moves.
    data: Box<[DataEntry]>,
    live: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct InstanceId {
    chunk: usize,
    index: usize,
}

#[derive(Default)]
struct PoolState {
    chunks: Vec<Option<Chunk>>,
    free: Vec<InstanceId>,
    prepared: usize,
}

/// The compiled body of one callback signature and its instances.
pub(crate) struct CallbackPool {
    signature: Signature,
    template: MachineCode,
    memory: Arc<CodeMemory>,
    state: Mutex<PoolState>,
}

impl CallbackPool {
    pub(crate) fn new(
        signature: Signature,
        template: MachineCode,
        memory: Arc<CodeMemory>,
    ) -> Result<Arc<CallbackPool>, Error> {
        if template.data_relocations.is_empty() {
            return Err(crate::error::CodegenError::NoDataEntry { signature }.into());
        }
        Ok(Arc::new(CallbackPool {
            signature,
            template,
            memory,
            state: Mutex::new(PoolState::default()),
        }))
    }

    fn lock(&self) -> MutexGuard<'_, PoolState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Claims an instance that calls `handler(context, ..)`; returns it and its code.
    fn claim(
        &self,
        handler: RawHandler,
        context: *mut c_void,
    ) -> Result<(InstanceId, usize), Error> {
        let mut state = self.lock();
        if state.free.is_empty() {
            self.prepare_chunk(&mut state)?;
        }
        let id = state.free.pop().expect("a chunk was just prepared");
        let chunk = state.chunks[id.chunk]
            .as_mut()
            .expect("free instances are in live chunks");
        chunk.data[id.index].set(handler, context);
        chunk.live += 1;
        Ok((id, chunk.code[id.index].addr()))
    }

    /// Prepares a chunk of instances: copies of the body, each relocated to its own
    /// data entry, installed in one write.
    fn prepare_chunk(&self, state: &mut PoolState) -> Result<(), Error> {
        let count = state.prepared.clamp(MIN_CHUNK, MAX_CHUNK);
        let data: Box<[DataEntry]> = (0..count)
            .map(|_| DataEntry {
                handler: AtomicUsize::new(dropped_callback as *const () as usize),
                context: AtomicUsize::new(0),
            })
            .collect();
        let copies: Vec<Vec<u8>> = data
            .iter()
            .map(|entry| {
                let mut bytes = self.template.bytes.clone();
                let address = (entry as *const DataEntry as u64).to_le_bytes();
                for &offset in &self.template.data_relocations {
                    let offset = offset as usize;
                    bytes[offset..offset + 8].copy_from_slice(&address);
                }
                bytes
            })
            .collect();
        let slices: Vec<&[u8]> = copies.iter().map(Vec::as_slice).collect();
        let code = self.memory.install(&slices)?;
        let chunk_index = match state.chunks.iter().position(Option::is_none) {
            Some(vacant) => vacant,
            None => {
                state.chunks.push(None);
                state.chunks.len() - 1
            }
        };
        state.chunks[chunk_index] = Some(Chunk {
            code,
            data,
            live: 0,
        });
        state.free.extend((0..count).rev().map(|index| InstanceId {
            chunk: chunk_index,
            index,
        }));
        state.prepared += count;
        Ok(())
    }

    /// Returns an instance: its entry now reports use after free.
    fn release(&self, id: InstanceId) {
        let mut state = self.lock();
        let chunk = state.chunks[id.chunk]
            .as_mut()
            .expect("live instances are in live chunks");
        chunk.data[id.index].set(dropped_callback, std::ptr::null_mut());
        chunk.live -= 1;
        let empty = chunk.live == 0;
        state.free.push(id);
        let live_chunks = state.chunks.iter().filter(|c| c.is_some()).count();
        if empty && live_chunks > 1 {
            let chunk = state.chunks[id.chunk].take().expect("checked above");
            state.free.retain(|free| free.chunk != id.chunk);
            state.prepared -= chunk.data.len();
            drop(state);
            drop(chunk);
        }
    }
}

/// The handler of every instance that is not claimed: calling a callback after its
/// handle dropped is a bug in the runtime, reported rather than undefined.
unsafe extern "C" fn dropped_callback(_: *mut c_void, _: *mut Slot, _: *mut Slot) {
    eprintln!("springboard: a callback was called after its handle was dropped; aborting");
    std::process::abort();
}

/// The closure behind a safe callback.
type Handler = Box<dyn Fn(&[Value]) -> Value + Send + Sync>;

/// What a closure callback's context points to.
struct ClosureState {
    closure: Handler,
    signature: Signature,
    /// The result's size in bytes, computed once.
    result_size: usize,
    on_panic: OnPanic,
    panic: Mutex<Option<Box<dyn Any + Send>>>,
}

/// A live callback: a C function pointer valid while this handle lives.
///
/// Dropping it frees the instance (and the closure); [`Callback::leak`] makes it
/// permanent.
pub struct Callback {
    pool: Arc<CallbackPool>,
    id: InstanceId,
    code: usize,
    closure: Option<Box<ClosureState>>,
}

impl Callback {
    pub(super) fn raw(
        pool: Arc<CallbackPool>,
        handler: RawHandler,
        context: *mut c_void,
    ) -> Result<Callback, Error> {
        let (id, code) = pool.claim(handler, context)?;
        Ok(Callback {
            pool,
            id,
            code,
            closure: None,
        })
    }

    pub(super) fn closure(
        pool: Arc<CallbackPool>,
        options: CallbackOptions,
        closure: Handler,
    ) -> Result<Callback, Error> {
        let state = Box::new(ClosureState {
            closure,
            result_size: pool.signature.result.size(),
            signature: pool.signature.clone(),
            on_panic: options.on_panic,
            panic: Mutex::new(None),
        });
        let context = &*state as *const ClosureState as *mut c_void;
        let (id, code) = pool.claim(closure_handler, context)?;
        Ok(Callback {
            pool,
            id,
            code,
            closure: Some(state),
        })
    }

    /// The C function pointer, to hand to C; [`Callback::as_fn`] gives it as a Rust
    /// function type.
    pub fn code(&self) -> *const c_void {
        self.code as *const c_void
    }

    /// The callback's C signature.
    pub fn signature(&self) -> &Signature {
        &self.pool.signature
    }

    /// The panic a closure callback recorded under [`OnPanic::ReturnZero`], if any
    /// (taking it clears it).
    pub fn take_panic(&self) -> Option<Box<dyn Any + Send>> {
        let state = self.closure.as_ref()?;
        state.panic.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    /// Makes the callback permanent: the pointer stays valid for the life of the
    /// process, and the handle's resources are never freed.
    pub fn leak(self) -> *const c_void {
        let code = self.code();
        std::mem::forget(self);
        code
    }
}

impl Drop for Callback {
    fn drop(&mut self) {
        // The entry stops pointing at the closure before the closure is freed.
        self.pool.release(self.id);
        self.closure = None;
    }
}

impl std::fmt::Debug for Callback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Callback")
            .field("signature", &self.pool.signature.to_string())
            .field("code", &format_args!("{:#x}", self.code))
            .finish()
    }
}

/// The raw handler behind closure callbacks: decodes the arguments, runs the closure,
/// encodes its result, and never lets a panic unwind into C.
unsafe extern "C" fn closure_handler(context: *mut c_void, args: *mut Slot, result: *mut Slot) {
    // SAFETY: the context of a closure instance is its `ClosureState`, which outlives
    // the instance's claim (see `Callback::drop`).
    let state = unsafe { &*(context as *const ClosureState) };
    let result_ty = &state.signature.result;
    let size = state.result_size;
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let params = &state.signature.params;
        // Arguments decode into storage on this stack (no allocation for up to
        // INLINE parameters); the guard drops exactly the values decoded.
        const INLINE: usize = 8;
        let mut inline = [const { MaybeUninit::<Value>::uninit() }; INLINE];
        let mut heap = Vec::new();
        let storage: &mut [MaybeUninit<Value>] = if params.len() <= INLINE {
            &mut inline[..params.len()]
        } else {
            heap.resize_with(params.len(), MaybeUninit::uninit);
            &mut heap
        };
        let mut values = Decoded {
            storage,
            initialised: 0,
        };
        for (i, ty) in params.iter().enumerate() {
            // SAFETY: the trampoline filled one slot per parameter.
            let slot = unsafe { *args.add(i) };
            values.push(if ty.is_aggregate() {
                // SAFETY: an aggregate's slot points to its bytes.
                let bytes = unsafe { std::slice::from_raw_parts(slot.as_ptr::<u8>(), ty.size()) };
                Value::decode(ty, bytes)
            } else {
                Value::from_slot(ty, slot)
            });
        }
        let values = values.as_slice();
        let value = (state.closure)(values);
        if !value.has_type(result_ty) || (result_ty.is_aggregate() && value.validate().is_err()) {
            panic!(
                "a callback for `{}` returned {value} of type {}, expected {result_ty}",
                state.signature,
                value.ty()
            );
        }
        // The result is written here, so that no value moves out of the guard.
        if result_ty.is_aggregate() {
            // SAFETY: the result place holds the struct's size.
            value.encode(unsafe { std::slice::from_raw_parts_mut(result.cast::<u8>(), size) });
        } else if !result_ty.is_void() {
            // SAFETY: a scalar result place is at least one slot.
            unsafe { result.cast::<Slot>().write(value.to_result_slot()) };
        }
    }));
    match outcome {
        Ok(()) => {}
        Err(payload) => match state.on_panic {
            OnPanic::Abort => {
                eprintln!(
                    "springboard: a callback handler for `{}` panicked: {}; aborting, since \
                     unwinding into C is undefined behaviour",
                    state.signature,
                    panic_message(&*payload)
                );
                std::process::abort();
            }
            OnPanic::ReturnZero => {
                // SAFETY: the result place holds the result's size (a slot for scalars).
                unsafe { std::ptr::write_bytes(result.cast::<u8>(), 0, size) };
                *state.panic.lock().unwrap_or_else(|p| p.into_inner()) = Some(payload);
            }
        },
    }
}

/// Values decoded into uninitialised storage; drops the ones written.
struct Decoded<'a> {
    storage: &'a mut [MaybeUninit<Value>],
    initialised: usize,
}

impl Decoded<'_> {
    fn push(&mut self, value: Value) {
        self.storage[self.initialised].write(value);
        self.initialised += 1;
    }

    fn as_slice(&self) -> &[Value] {
        // SAFETY: the first `initialised` elements were written by `push`.
        unsafe { std::slice::from_raw_parts(self.storage.as_ptr().cast(), self.initialised) }
    }
}

impl Drop for Decoded<'_> {
    fn drop(&mut self) {
        for value in &mut self.storage[..self.initialised] {
            // SAFETY: written by `push`, dropped once.
            unsafe { value.assume_init_drop() };
        }
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(a non-string panic payload)")
}
