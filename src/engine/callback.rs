//! Callbacks: per-signature pools of prepared instances, and the handles that own one.
//!
//! A callback signature is compiled once into a body whose only relocation is the
//! address of its data entry `[handler, context]`. A pool prepares instances in
//! chunks: copies of the body, each with the relocation set to its own entry, installed
//! into executable memory in one write. Creating a callback claims a free instance and
//! writes its entry; dropping it points the entry at a handler that reports the use
//! after free and aborts, and returns the instance to the pool. A chunk whose
//! instances are all free is released (its code freed) once the pool's other chunks
//! hold [`SPARE`] free instances; until then it stays prepared for the next callbacks.

use crate::array::Slot;
use crate::code_memory::{CodeMemory, CodeRange};
use crate::compiler::MachineCode;
use crate::error::Error;
use crate::gdb_jit::GdbRegistration;
use crate::signature::Signature;
use crate::trampoline::RequestRef;
use crate::typed::{write_result, CArgs, CFn, CType, TypedClosure};
use crate::types::Type;
use crate::unwind::{FrameTemplate, Registration, Unwinder};
use crate::value::{write_from_slot, Value};
use std::any::Any;
use std::ffi::c_void;
use std::marker::PhantomData;
use std::mem::MaybeUninit;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// A raw callback handler: `context` is what the runtime gave at creation, `args` the
/// argument array, `result` where to write the result (one slot for scalars, the
/// struct's size for struct results; see [`crate::array`]).
pub type RawHandler =
    unsafe extern "C" fn(context: *mut c_void, args: *mut Slot, result: *mut Slot);

/// A raw handler of a callback in libffi's layout
/// ([`Engine::pointer_callback_raw`](super::Engine::pointer_callback_raw)): `args[i]`
/// points to argument `i`'s value; `result` is as for a [`RawHandler`].
pub type RawPointerHandler =
    unsafe extern "C" fn(context: *mut c_void, args: *mut *mut c_void, result: *mut c_void);

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
/// Free instances a pool keeps prepared in other chunks before it releases an empty
/// one (about 110 KiB of code for a small body).
const SPARE: usize = 1024;

/// A data entry, read by the instance's code: `[handler, context]`.
#[repr(C)]
struct DataEntry {
    handler: AtomicUsize,
    context: AtomicUsize,
}

impl DataEntry {
    /// Points the entry at `handler` (a [`RawHandler`], or a bound callback's
    /// handler) and `context`.
    fn set(&self, handler: usize, context: *mut c_void) {
        self.context.store(context as usize, Ordering::Relaxed);
        self.handler.store(handler, Ordering::Release);
    }
}

/// Instances of one chunk: code and data entries, index for index.
struct Chunk {
    /// Declared before `code`: fields drop in order, so the unwinder forgets the
    /// instances before their memory can be reused.
    _unwind: Option<Registration>,
    /// Also before `code`: debuggers forget the instances first.
    _gdb: Option<GdbRegistration>,
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
    /// Shared with the recorders of closure callbacks (no copy per callback).
    signature: Arc<Signature>,
    template: MachineCode,
    memory: Arc<CodeMemory>,
    unwinder: Option<Arc<Unwinder>>,
    /// The body's `.eh_frame` records, copied to each instance's address.
    frame: Option<FrameTemplate>,
    /// `springboard callback <signature>` (or `exit`), every instance's name.
    name: Box<str>,
    /// Where chunks are announced to profilers.
    profilers: crate::perf_map::Profilers,
    /// Whether chunks are registered with the GDB JIT interface.
    gdb_jit: bool,
    state: Mutex<PoolState>,
}

impl CallbackPool {
    pub(crate) fn new(
        kind: crate::trampoline::Kind,
        signature: Signature,
        template: MachineCode,
        memory: Arc<CodeMemory>,
        unwinder: Option<Arc<Unwinder>>,
        profilers: crate::perf_map::Profilers,
        gdb_jit: bool,
    ) -> Result<Arc<CallbackPool>, Error> {
        if template.data_relocations.is_empty() {
            return Err(crate::error::CodegenError::NoDataEntry { signature }.into());
        }
        let frame = match (&unwinder, &template.unwind) {
            (Some(unwinder), Some(frame)) => Some(unwinder.template(frame)?),
            _ => None,
        };
        Ok(Arc::new(CallbackPool {
            frame,
            name: crate::perf_map::name(kind, &signature),
            profilers,
            gdb_jit,
            signature: Arc::new(signature),
            template,
            memory,
            unwinder,
            state: Mutex::new(PoolState::default()),
        }))
    }

    fn lock(&self) -> MutexGuard<'_, PoolState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Claims an instance that calls `handler(context, ..)`; returns it and its code.
    fn claim(&self, handler: usize, context: *mut c_void) -> Result<(InstanceId, usize), Error> {
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
        // The copies one after another in one buffer, each relocated to its entry.
        let body = &self.template.bytes;
        let mut copies = Vec::with_capacity(body.len() * count);
        for entry in data.iter() {
            let start = copies.len();
            copies.extend_from_slice(body);
            let address = (entry as *const DataEntry as u64).to_le_bytes();
            for &offset in &self.template.data_relocations {
                let offset = start + offset as usize;
                copies[offset..offset + 8].copy_from_slice(&address);
            }
        }
        let slices: Vec<&[u8]> = copies.chunks(body.len().max(1)).collect();
        let code = self.memory.install(&slices)?;
        // Every instance is a copy of the body: the body's frame description at each
        // instance's address, registered once for the whole chunk.
        let unwind = match (&self.unwinder, &self.frame) {
            (Some(unwinder), Some(frame)) => {
                Some(unwinder.register_copies(frame, code.iter().map(CodeRange::addr)))
            }
            _ => None,
        };
        let gdb = if self.profilers.any() || self.gdb_jit {
            let functions: Vec<(usize, usize, &str)> = code
                .iter()
                .map(|range| (range.addr(), range.len(), &*self.name))
                .collect();
            self.profilers.announce(&functions)?;
            self.gdb_jit
                .then(|| crate::gdb_jit::register(&functions))
                .flatten()
        } else {
            None
        };
        let chunk_index = match state.chunks.iter().position(Option::is_none) {
            Some(vacant) => vacant,
            None => {
                state.chunks.push(None);
                state.chunks.len() - 1
            }
        };
        state.chunks[chunk_index] = Some(Chunk {
            _unwind: unwind,
            _gdb: gdb,
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
        chunk.data[id.index].set(dropped_callback as *const () as usize, std::ptr::null_mut());
        chunk.live -= 1;
        let (empty, size) = (chunk.live == 0, chunk.data.len());
        state.free.push(id);
        // An empty chunk stays while the other chunks have fewer than SPARE free
        // instances: a runtime that creates and drops callbacks in batches reuses
        // prepared code instead of installing and registering it again.
        if empty && state.free.len() - size >= SPARE {
            let chunk = state.chunks[id.chunk].take().expect("checked above");
            state.free.retain(|free| free.chunk != id.chunk);
            state.prepared -= chunk.data.len();
            drop(state);
            drop(chunk);
        }
    }
}

/// The compiled body of a callback signature, kept to create callbacks of it without
/// looking the signature up (what a prepared `ffi_cif` is to libffi closures): made by
/// [`Engine::callback_raw_factory`](super::Engine::callback_raw_factory) (array
/// handlers), [`Engine::callback_bound_factory`](super::Engine::callback_bound_factory)
/// (context-binding handlers) or
/// [`Engine::pointer_callback_factory`](super::Engine::pointer_callback_factory)
/// (handlers given libffi's array of pointers); its [`CallbackForm`] says which.
///
/// ```
/// use springboard::{Engine, Slot};
/// use std::ffi::c_void;
///
/// unsafe extern "C" fn negate(_: *mut c_void, args: *mut Slot, result: *mut Slot) {
///     // SAFETY: `(i32) -> i32`: one argument slot, one result slot.
///     unsafe { *result = Slot::from_i32(-(*args).as_i32()) };
/// }
/// let engine = Engine::new()?;
/// let factory = engine.callback_raw_factory(&"(i32) -> i32".parse()?)?;
/// let callbacks: Vec<_> = (0..3)
///     .map(|_| factory.create(negate, std::ptr::null_mut()))
///     .collect::<Result<_, _>>()?;
/// // SAFETY: each callback has exactly this C type while it lives.
/// let f = unsafe { callbacks[2].as_fn::<extern "C" fn(i32) -> i32>()? };
/// assert_eq!(f(5), -5);
/// # Ok::<(), springboard::Error>(())
/// ```
#[derive(Clone)]
pub struct CallbackFactory {
    pool: Arc<CallbackPool>,
    form: CallbackForm,
}

/// Which handler the callbacks of a [`CallbackFactory`] call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallbackForm {
    /// `handler(context, args, result)` over the slot array ([`RawHandler`]).
    Array,
    /// `handler(context, args...)`, the C arguments unchanged.
    Bound,
    /// `handler(context, args, result)` with `args` libffi's array of pointers to the
    /// values ([`RawPointerHandler`](super::RawPointerHandler)).
    Pointers,
}

impl std::fmt::Display for CallbackForm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            CallbackForm::Array => "array-handler",
            CallbackForm::Bound => "context-binding",
            CallbackForm::Pointers => "pointer-array",
        })
    }
}

impl CallbackFactory {
    pub(super) fn new(pool: Arc<CallbackPool>, form: CallbackForm) -> CallbackFactory {
        CallbackFactory { pool, form }
    }

    /// A callback calling `handler(context, args, result)`, from a factory of
    /// [`Engine::callback_raw_factory`](super::Engine::callback_raw_factory) (as
    /// [`Engine::callback_raw`](super::Engine::callback_raw)); a bound factory's
    /// callbacks take a bound handler ([`CallbackFactory::create_bound`]), so this is
    /// [`CodegenError::WrongCallbackForm`](crate::error::CodegenError::WrongCallbackForm) there.
    pub fn create(&self, handler: RawHandler, context: *mut c_void) -> Result<Callback, Error> {
        self.expect_form(CallbackForm::Array)?;
        Callback::raw(Arc::clone(&self.pool), handler as usize, context)
    }

    /// A context-binding callback calling `handler(context, args...)`, from a factory
    /// of [`Engine::callback_bound_factory`](super::Engine::callback_bound_factory) (as
    /// [`Engine::callback_bound`](super::Engine::callback_bound), whose documentation
    /// says what `handler` must be); an array factory gives
    /// [`CodegenError::WrongCallbackForm`](crate::error::CodegenError::WrongCallbackForm).
    pub fn create_bound(
        &self,
        handler: *const c_void,
        context: *mut c_void,
    ) -> Result<Callback, Error> {
        self.expect_form(CallbackForm::Bound)?;
        Callback::raw(Arc::clone(&self.pool), handler as usize, context)
    }

    /// A callback calling `handler(context, args, result)` with `args` an array of
    /// pointers to the argument values, from a factory of
    /// [`Engine::pointer_callback_factory`](super::Engine::pointer_callback_factory) (as
    /// [`Engine::pointer_callback_raw`](super::Engine::pointer_callback_raw)); another
    /// factory gives
    /// [`CodegenError::WrongCallbackForm`](crate::error::CodegenError::WrongCallbackForm).
    pub fn create_pointers(
        &self,
        handler: super::RawPointerHandler,
        context: *mut c_void,
    ) -> Result<Callback, Error> {
        self.expect_form(CallbackForm::Pointers)?;
        // The pool's code calls the handler with a pointer array where a slot
        // handler's type says slots: both are functions of three pointers.
        Callback::raw(Arc::clone(&self.pool), handler as usize, context)
    }

    fn expect_form(&self, wanted: CallbackForm) -> Result<(), Error> {
        if self.form == wanted {
            return Ok(());
        }
        Err(crate::error::CodegenError::WrongCallbackForm {
            signature: Signature::clone(&self.pool.signature),
            form: self.form,
        }
        .into())
    }

    /// The signature its callbacks have.
    pub fn signature(&self) -> &Signature {
        &self.pool.signature
    }

    /// Which handler its callbacks call.
    pub fn form(&self) -> CallbackForm {
        self.form
    }
}

impl std::fmt::Debug for CallbackFactory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallbackFactory")
            .field("signature", &self.pool.signature.to_string())
            .field("form", &self.form)
            .finish()
    }
}

/// The handler of every instance that is not claimed: calling a callback after its
/// handle dropped is a bug in the runtime, reported rather than undefined. (A bound
/// callback calls it with its own arguments, which it never reads.)
unsafe extern "C" fn dropped_callback(_: *mut c_void, _: *mut Slot, _: *mut Slot) {
    eprintln!("springboard: a callback was called after its handle was dropped; aborting");
    std::process::abort();
}

/// Why a closure callback gave its C caller the zero value instead of the closure's
/// result (see [`Callback::take_error`]).
#[derive(Debug, thiserror::Error)]
pub enum CallbackError {
    /// The closure returned a value of another type than the signature's result.
    #[error(
        "the callback for `{signature}` returned a value of type {found}, expected {expected}"
    )]
    ResultType {
        /// The callback's signature.
        signature: Signature,
        /// The signature's result type.
        expected: Type,
        /// The type of the value returned.
        found: Type,
    },
    /// The closure returned an error (the `Result` form,
    /// [`Engine::callback_fallible`](super::Engine::callback_fallible)).
    #[error("the callback for `{signature}` failed: {error}")]
    Handler {
        /// The callback's signature.
        signature: Signature,
        /// The closure's error.
        error: Box<dyn std::error::Error + Send + Sync>,
    },
}

/// What a closure callback keeps for the runtime: the panic and error of its last
/// failed call, and what to do on a panic.
struct Recorder {
    signature: Arc<Signature>,
    /// Whether a parameter is a struct (decoded values then own memory).
    aggregate_params: bool,
    /// The result's size in bytes, computed once.
    result_size: usize,
    on_panic: OnPanic,
    panic: Mutex<Option<Box<dyn Any + Send>>>,
    error: Mutex<Option<CallbackError>>,
}

impl Recorder {
    fn new(signature: &Arc<Signature>, options: CallbackOptions) -> Recorder {
        Recorder {
            result_size: signature.result.size(),
            aggregate_params: signature.params.iter().any(Type::is_aggregate),
            signature: Arc::clone(signature),
            on_panic: options.on_panic,
            panic: Mutex::new(None),
            error: Mutex::new(None),
        }
    }

    /// Gives C the zero result.
    ///
    /// # Safety
    /// `result` is the result place of this callback's signature.
    unsafe fn zero(&self, result: *mut Slot) {
        // SAFETY: the result place holds the result's size (a slot for scalars).
        unsafe { std::ptr::write_bytes(result.cast::<u8>(), 0, self.result_size) };
    }

    /// Zero result to C and the error kept for [`Callback::take_error`].
    ///
    /// # Safety
    /// As [`Recorder::zero`].
    #[cold]
    unsafe fn fail(&self, result: *mut Slot, error: CallbackError) {
        // SAFETY: the caller's promise.
        unsafe { self.zero(result) };
        *self.error.lock().unwrap_or_else(|p| p.into_inner()) = Some(error);
    }

    /// What a panic does: abort, or zero result to C and the payload kept.
    ///
    /// # Safety
    /// As [`Recorder::zero`].
    #[cold]
    unsafe fn panicked(&self, result: *mut Slot, payload: Box<dyn Any + Send>) {
        match self.on_panic {
            OnPanic::Abort => {
                eprintln!(
                    "springboard: a callback handler for `{}` panicked: {}; aborting, since \
                     unwinding into C is undefined behaviour",
                    self.signature,
                    panic_message(&*payload)
                );
                std::process::abort();
            }
            OnPanic::ReturnZero => {
                // SAFETY: the caller's promise.
                unsafe { self.zero(result) };
                *self.panic.lock().unwrap_or_else(|p| p.into_inner()) = Some(payload);
            }
        }
    }
}

/// What a closure callback's context points to: the closure and its recorder.
struct ClosureState<F> {
    recorder: Recorder,
    closure: F,
}

/// A closure state with its closure type erased, as the handle keeps it.
trait Recorded: Send + Sync {
    fn recorder(&self) -> &Recorder;
}

impl<F: Send + Sync> Recorded for ClosureState<F> {
    fn recorder(&self) -> &Recorder {
        &self.recorder
    }
}

/// A live callback: a C function pointer valid while this handle lives.
///
/// Dropping it frees the instance (and the closure); [`Callback::leak`] makes it
/// permanent.
pub struct Callback {
    pool: Arc<CallbackPool>,
    id: InstanceId,
    code: usize,
    closure: Option<Box<dyn Recorded>>,
}

impl Callback {
    /// A callback whose instance calls `handler` (a [`RawHandler`] for an
    /// array-shaped pool, the bound handler for a bound one) with `context`.
    pub(super) fn raw(
        pool: Arc<CallbackPool>,
        handler: usize,
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

    /// A callback whose instance calls `handler` with a `ClosureState<F>` context.
    fn closure<F: Send + Sync + 'static>(
        pool: Arc<CallbackPool>,
        options: CallbackOptions,
        closure: F,
        handler: usize,
    ) -> Result<Callback, Error> {
        let state = Box::new(ClosureState {
            recorder: Recorder::new(&pool.signature, options),
            closure,
        });
        let context = &*state as *const ClosureState<F> as *mut c_void;
        let (id, code) = pool.claim(handler, context)?;
        Ok(Callback {
            pool,
            id,
            code,
            closure: Some(state),
        })
    }

    /// The C function pointer, to hand to C; [`Callback::as_fn`] gives it as a Rust
    /// function type, and a [`TypedCallback`] has its function type from the start.
    pub fn code(&self) -> *const c_void {
        self.code as *const c_void
    }

    /// Size of the instance's machine code in bytes (rounded to 16).
    pub fn code_size(&self) -> usize {
        let len = self.pool.template.bytes.len().max(1);
        len.div_ceil(crate::code_memory::CODE_ALIGN) * crate::code_memory::CODE_ALIGN
    }

    /// The trampoline's name, `springboard callback <signature>` (`exit` for an
    /// array-shaped exit boundary): what the perf map lists, for runtimes that keep
    /// their own symbol maps. Every instance of a signature has the same name.
    pub fn name(&self) -> &str {
        &self.pool.name
    }

    /// The callback's C signature.
    pub fn signature(&self) -> &Signature {
        &self.pool.signature
    }

    /// The panic a closure callback recorded under [`OnPanic::ReturnZero`], if any
    /// (taking it clears it).
    pub fn take_panic(&self) -> Option<Box<dyn Any + Send>> {
        let state = self.closure.as_ref()?;
        let mut panic = state.recorder().panic.lock();
        panic.as_mut().unwrap_or_else(|p| p.get_mut()).take()
    }

    /// Why the last failed call of a closure callback returned the zero value (a
    /// result of the wrong type, or the closure's error), if one did since the last
    /// `take_error` (taking it clears it).
    pub fn take_error(&self) -> Option<CallbackError> {
        let state = self.closure.as_ref()?;
        let mut error = state.recorder().error.lock();
        error.as_mut().unwrap_or_else(|p| p.get_mut()).take()
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

/// The raw handler behind `Value` closure callbacks: decodes the arguments, runs the
/// closure, checks and encodes its result, and never lets a panic unwind into C.
unsafe extern "C" fn value_handler<F, E>(context: *mut c_void, args: *mut Slot, result: *mut Slot)
where
    F: Fn(&[Value]) -> Result<Value, E>,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    // SAFETY: the context of a closure instance is its `ClosureState`, which outlives
    // the instance's claim (see `Callback::drop`).
    let state = unsafe { &*(context as *const ClosureState<F>) };
    let recorder = &state.recorder;
    let signature = &recorder.signature;
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let params = &signature.params;
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
            owns_memory: recorder.aggregate_params,
        };
        for (i, ty) in params.iter().enumerate() {
            // SAFETY: the trampoline filled one slot per parameter.
            let slot = unsafe { *args.add(i) };
            if ty.by_address() {
                // SAFETY: an aggregate's or a 128-bit integer's slot points to its bytes.
                let bytes = unsafe { std::slice::from_raw_parts(slot.as_ptr::<u8>(), ty.size()) };
                values.push(Value::decode(ty, bytes));
            } else {
                values.push_scalar(ty, slot);
            }
        }
        let value = match (state.closure)(values.as_slice()) {
            Ok(value) => value,
            Err(error) => {
                let error = CallbackError::Handler {
                    signature: Signature::clone(signature),
                    error: error.into(),
                };
                // SAFETY: `result` is this signature's result place.
                return unsafe { recorder.fail(result, error) };
            }
        };
        let result_ty = &signature.result;
        // The result is written here, so that no value moves out of the guard.
        if !value.has_type(result_ty) {
            // SAFETY: `result` is this signature's result place.
            unsafe { recorder.fail(result, wrong_result(signature, &value)) };
        } else if result_ty.by_address() {
            // SAFETY: the result place holds the struct's (or 128-bit integer's) size.
            value.encode(unsafe {
                std::slice::from_raw_parts_mut(result.cast::<u8>(), recorder.result_size)
            });
        } else if !result_ty.is_void() {
            // SAFETY: a scalar result place is at least one slot.
            unsafe { result.write(value.to_result_slot()) };
        }
    }));
    if let Err(payload) = outcome {
        // SAFETY: `result` is this signature's result place.
        unsafe { recorder.panicked(result, payload) };
    }
}

#[cold]
fn wrong_result(signature: &Signature, value: &Value) -> CallbackError {
    CallbackError::ResultType {
        signature: signature.clone(),
        expected: signature.result.clone(),
        found: value.ty(),
    }
}

/// The raw handler behind typed closure callbacks: reads the arguments straight from
/// their slots, runs the closure, writes its result, and never lets a panic unwind
/// into C.
unsafe extern "C" fn typed_handler<A, R, F>(
    context: *mut c_void,
    args: *mut Slot,
    result: *mut Slot,
) where
    A: CArgs,
    R: CType,
    F: TypedClosure<A, R>,
{
    // SAFETY: as in `value_handler`.
    let state = unsafe { &*(context as *const ClosureState<F>) };
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: the trampoline was compiled for `A -> R` and filled one slot per
        // parameter; the result place holds an `R`.
        unsafe { write_result(result.cast(), state.closure.call_with(A::from_slots(args))) }
    }));
    if let Err(payload) = outcome {
        // SAFETY: `result` is this signature's result place.
        unsafe { state.recorder.panicked(result, payload) };
    }
}

/// What a typed closure's bound handler runs (see [`CArgs::bound_handler`]): the
/// closure on `args`, and on a panic what the callback's options say, giving C the
/// zero value.
///
/// # Safety
/// `context` is the `ClosureState<F>` of a live typed closure callback for `A -> R`.
#[inline(always)]
pub(crate) unsafe fn run_bound<A, R, F>(context: *mut c_void, args: A) -> MaybeUninit<R>
where
    A: CArgs,
    R: CType,
    F: TypedClosure<A, R>,
{
    // SAFETY: as in `value_handler`.
    let state = unsafe { &*(context as *const ClosureState<F>) };
    match catch_unwind(AssertUnwindSafe(|| state.closure.call_with(args))) {
        Ok(value) => MaybeUninit::new(value),
        Err(payload) => {
            let mut zero = MaybeUninit::<R>::zeroed();
            // SAFETY: `zero` holds an `R`, the signature's result.
            unsafe { state.recorder.panicked(zero.as_mut_ptr().cast(), payload) };
            zero
        }
    }
}

/// A callback from a Rust closure with [`CType`] parameters and result: a C function
/// pointer of type `extern "C" fn(A0, A1, ..) -> R`, made by
/// [`Engine::typed_callback`](super::Engine::typed_callback).
///
/// ```
/// use springboard::Engine;
///
/// let engine = Engine::new()?;
/// let offset = 100;
/// let callback = engine.typed_callback(move |a: i32, b: i32| a * b + offset)?;
/// let multiply = callback.code(); // unsafe extern "C" fn(i32, i32) -> i32
/// // SAFETY: `callback` is alive.
/// assert_eq!(unsafe { multiply(6, 7) }, 142);
/// # Ok::<(), springboard::Error>(())
/// ```
pub struct TypedCallback<A, R> {
    callback: Callback,
    types: PhantomData<fn(A) -> R>,
}

impl<A: CArgs, R: CType> TypedCallback<A, R> {
    /// The C function pointer with its function type. It is `unsafe` to call because
    /// it is valid only while this handle lives (after that, the code may be freed);
    /// [`TypedCallback::leak`] gives a pointer that is always valid.
    pub fn code(&self) -> A::UnsafeFn<R> {
        // SAFETY: the instance's code has exactly this type (the pool was compiled
        // for `Signature::of_parts::<A, R>()`).
        unsafe { <A::UnsafeFn<R> as CFn>::from_code(self.callback.code()) }
    }

    /// The untyped handle (its signature, [`Callback::take_panic`]).
    pub fn callback(&self) -> &Callback {
        &self.callback
    }

    /// Makes the callback permanent, returning its function pointer, safe to call for
    /// the life of the process.
    pub fn leak(self) -> A::Fn<R> {
        // SAFETY: as in `code`; leaked code is never freed.
        unsafe { <A::Fn<R> as CFn>::from_code(self.callback.leak()) }
    }
}

impl<A, R> std::fmt::Debug for TypedCallback<A, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("TypedCallback")
            .field(&self.callback)
            .finish()
    }
}

impl super::Engine {
    /// A callback from a closure that can fail: an `Err` (or a result of the wrong
    /// type) gives the C caller the zero value and is kept for
    /// [`Callback::take_error`].
    ///
    /// ```
    /// use springboard::{Engine, Value};
    ///
    /// let engine = Engine::new()?;
    /// let halve = engine.callback_fallible(&"(i32) -> i32".parse()?, |args| match args[0] {
    ///     Value::I32(n) if n % 2 == 0 => Ok(Value::I32(n / 2)),
    ///     _ => Err("odd"),
    /// })?;
    /// // SAFETY: the callback has exactly this C type while `halve` lives.
    /// let f: extern "C" fn(i32) -> i32 = unsafe { std::mem::transmute(halve.code()) };
    /// assert_eq!(f(8), 4);
    /// assert_eq!(f(7), 0);
    /// assert!(halve.take_error().unwrap().to_string().ends_with("failed: odd"));
    /// # Ok::<(), springboard::Error>(())
    /// ```
    pub fn callback_fallible<F, E>(
        &self,
        signature: &Signature,
        closure: F,
    ) -> Result<Callback, Error>
    where
        F: Fn(&[Value]) -> Result<Value, E> + Send + Sync + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        self.callback_fallible_with(signature, CallbackOptions::default(), closure)
    }

    /// [`Engine::callback_fallible`](super::Engine::callback_fallible) with options.
    pub fn callback_fallible_with<F, E>(
        &self,
        signature: &Signature,
        options: CallbackOptions,
        closure: F,
    ) -> Result<Callback, Error>
    where
        F: Fn(&[Value]) -> Result<Value, E> + Send + Sync + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let pool = self.callback_pool(RequestRef::Callback(signature))?;
        Callback::closure(
            pool,
            options,
            closure,
            value_handler::<F, E> as *const () as usize,
        )
    }

    /// A callback from an ordinary Rust closure: the signature comes from the
    /// closure's parameter and result types (all [`CType`]s; annotate the parameters),
    /// in the host's C convention. A panic aborts, as for
    /// [`Engine::callback`](super::Engine::callback).
    pub fn typed_callback<A, R, F>(&self, closure: F) -> Result<TypedCallback<A, R>, Error>
    where
        A: CArgs,
        R: CType,
        F: TypedClosure<A, R>,
    {
        self.typed_callback_with(CallbackOptions::default(), closure)
    }

    /// [`Engine::typed_callback`](super::Engine::typed_callback) with options (what a
    /// panic does; a panic's payload is kept for [`Callback::take_panic`] on
    /// [`TypedCallback::callback`]).
    pub fn typed_callback_with<A, R, F>(
        &self,
        options: CallbackOptions,
        closure: F,
    ) -> Result<TypedCallback<A, R>, Error>
    where
        A: CArgs,
        R: CType,
        F: TypedClosure<A, R>,
    {
        let signature = Signature::of_parts::<A, R>()?;
        // Scalars pass to a Rust `extern "C"` handler exactly as C passes them: the
        // bound form, with no argument array. Structs and 128-bit integers go through
        // the array.
        let scalars =
            !signature.result.by_address() && !signature.params.iter().any(Type::by_address);
        let callback = if scalars {
            let pool = self.callback_pool(RequestRef::BoundCallback(&signature))?;
            Callback::closure(pool, options, closure, A::bound_handler::<R, F>() as usize)?
        } else {
            let pool = self.callback_pool(RequestRef::Callback(&signature))?;
            Callback::closure(
                pool,
                options,
                closure,
                typed_handler::<A, R, F> as *const () as usize,
            )?
        };
        Ok(TypedCallback {
            callback,
            types: PhantomData,
        })
    }
}

/// Values decoded into uninitialised storage; drops the ones written.
struct Decoded<'a> {
    storage: &'a mut [MaybeUninit<Value>],
    initialised: usize,
    /// Whether any value can own memory (a struct's fields); scalars need no drop.
    owns_memory: bool,
}

impl Decoded<'_> {
    #[inline(always)]
    fn push(&mut self, value: Value) {
        self.storage[self.initialised].write(value);
        self.initialised += 1;
    }

    /// Decodes a scalar straight into the next element.
    #[inline(always)]
    fn push_scalar(&mut self, ty: &Type, slot: Slot) {
        write_from_slot(&mut self.storage[self.initialised], ty, slot);
        self.initialised += 1;
    }

    #[inline(always)]
    fn as_slice(&self) -> &[Value] {
        // SAFETY: the first `initialised` elements were written by `push`.
        unsafe { std::slice::from_raw_parts(self.storage.as_ptr().cast(), self.initialised) }
    }
}

impl Drop for Decoded<'_> {
    #[inline(always)]
    fn drop(&mut self) {
        if !self.owns_memory {
            return;
        }
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
