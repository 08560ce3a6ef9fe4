//! Boundary trampolines: runtime entry and exit with stack bookkeeping (wasm-style).
//!
//! A runtime that runs its own compiled code must walk its stack across calls into and
//! out of the host. Boundary trampolines record, into the runtime's context:
//! - on **entry** (host → runtime code): the entry stack pointer and/or frame pointer
//!   (the trampoline's own, so they lie between the host caller's frames and the
//!   runtime code's);
//! - on **exit** (runtime code → host): the exit frame pointer (the frame the
//!   trampoline's frame links to: the runtime code's) and the exit PC (the return
//!   address into the runtime code).
//!
//! Four shapes, as Wasmtime has them, in two types (so asking for the wrong shape does
//! not compile):
//! - entry, [array](ArrayBoundary): an entry-recording downcall,
//!   `void entry(void *callee, const Slot *args, Slot *result, size_t capacity)`;
//! - exit, [array](ArrayBoundary): an exit-recording callback (a C function with
//!   the signature, calling `handler(context, args, result)`);
//! - entry or exit, [native](NativeBoundary): a C function with the signature
//!   that records and calls a fixed C function with the same signature, passing every
//!   argument and the result through untouched.
//!
//! The runtime context is one of the signature's `ptr` parameters. Every record is
//! stored at an offset in the context, optionally after loading a pointer from the
//! context first (context → limits struct → field). Frame pointers are always
//! preserved (the compiler sets `preserve_frame_pointers`), so a walker can follow the
//! chain from the recorded exit FP back to the recorded entry FP.
//!
//! Every type the convention has crosses every shape, the 16-byte scalars (`i128`,
//! `u128`, `f80`, `f128`) included, as a wasm-style runtime with 128-bit values needs:
//! the array shapes hold them by address in the argument array and result place (as
//! downcalls and callbacks do), and the native shapes pass their ABI values through,
//! so a System V `long double` result the callee leaves in `st0` is still there when
//! the trampoline returns (nothing it runs after the call touches the x87 stack). A
//! convention without the type rejects the boundary with
//! [`Error::UnsupportedType`](crate::Error::UnsupportedType).
//!
//! Debug checks, off by default, trap on a bad context (its magic value differs) with
//! the Cranelift user trap code [`TRAP_BAD_CONTEXT`], and in array entries on an array
//! too small for the signature with [`TRAP_ARRAY_TOO_SMALL`]; the trap instruction
//! raises `SIGILL` on Linux.

use crate::abi::{self, Target};
use crate::error::{BoundaryError, Error};
use crate::ir_bytes;
use crate::signature::Signature;
use crate::types::Type;
use cranelift_codegen::ir::{self, condcodes::IntCC, InstBuilder, TrapCode};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};

/// Cranelift user trap code of a failed context-magic check.
pub const TRAP_BAD_CONTEXT: u8 = 1;
/// Cranelift user trap code of an array entry given too few slots.
pub const TRAP_ARRAY_TOO_SMALL: u8 = 2;

/// Where one record is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct RecordPlace {
    /// First load a pointer at this offset of the context, and store relative to it.
    pub via: Option<i32>,
    /// Byte offset of the record (in the context, or in what `via` points to).
    pub offset: i32,
}

impl RecordPlace {
    /// Directly at `offset` in the context.
    pub fn at(offset: i32) -> RecordPlace {
        RecordPlace { via: None, offset }
    }

    /// At `offset` in the struct whose pointer is at `via` in the context.
    pub fn via(via: i32, offset: i32) -> RecordPlace {
        RecordPlace {
            via: Some(via),
            offset,
        }
    }
}

/// Debug checks of a boundary trampoline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DebugChecks {
    /// Byte offset of a 32-bit magic value in the context.
    pub magic_offset: i32,
    /// The value it must have.
    pub magic: u32,
}

/// What a boundary trampoline records, and where.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Bookkeeping {
    /// Index of the `ptr` parameter that carries the runtime context.
    pub context_param: usize,
    /// Entry: the trampoline's stack pointer before it calls the runtime code.
    pub entry_sp: Option<RecordPlace>,
    /// Entry: the trampoline's frame pointer.
    pub entry_fp: Option<RecordPlace>,
    /// Exit: the caller's frame pointer (the frame the trampoline's frame links to).
    pub exit_fp: Option<RecordPlace>,
    /// Exit: the return address into the caller.
    pub exit_pc: Option<RecordPlace>,
    /// Debug checks, `None` for none.
    pub checks: Option<DebugChecks>,
}

impl Bookkeeping {
    /// Every record, at offsets 0 (entry SP), 8 (entry FP), 16 (exit FP) and 24 (exit
    /// PC) of the context, which is parameter `context_param`; no checks.
    pub fn standard(context_param: usize) -> Bookkeeping {
        Bookkeeping {
            context_param,
            entry_sp: Some(RecordPlace::at(0)),
            entry_fp: Some(RecordPlace::at(8)),
            exit_fp: Some(RecordPlace::at(16)),
            exit_pc: Some(RecordPlace::at(24)),
            checks: None,
        }
    }
}

/// Checks that `bookkeeping`'s context parameter exists in `signature` and is a `ptr`.
fn check_context(signature: &Signature, bookkeeping: &Bookkeeping) -> Result<(), BoundaryError> {
    match signature.params.get(bookkeeping.context_param) {
        Some(Type::Ptr) => Ok(()),
        _ => Err(BoundaryError::ContextNotPtr {
            index: bookkeeping.context_param,
            signature: signature.clone(),
        }),
    }
}

/// [`Bookkeeping::standard`] with the first `ptr` parameter of `signature` as context.
fn standard_bookkeeping(signature: &Signature) -> Result<Bookkeeping, BoundaryError> {
    let context = signature
        .params
        .iter()
        .position(|ty| *ty == Type::Ptr)
        .ok_or_else(|| BoundaryError::NoContext {
            signature: signature.clone(),
        })?;
    Ok(Bookkeeping::standard(context))
}

/// A boundary trampoline whose host side is the [argument array](crate::array): as an
/// entry, an entry-recording downcall,
/// `void entry(void *callee, const Slot *args, Slot *result, size_t capacity)`
/// ([`Engine::array_entry`](crate::Engine::array_entry)); as an exit, an
/// exit-recording callback with the signature
/// ([`Engine::array_exit_raw`](crate::Engine::array_exit_raw)).
///
/// Built only through [`ArrayBoundary::new`] or [`ArrayBoundary::standard`], so its
/// context parameter is always a `ptr` of the signature.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ArrayBoundary {
    signature: Signature,
    bookkeeping: Bookkeeping,
}

impl ArrayBoundary {
    /// A boundary for `signature` recording what `bookkeeping` says; fails unless the
    /// bookkeeping's context parameter is a `ptr` parameter of `signature`.
    pub fn new(signature: Signature, bookkeeping: Bookkeeping) -> Result<Self, BoundaryError> {
        check_context(&signature, &bookkeeping)?;
        Ok(ArrayBoundary {
            signature,
            bookkeeping,
        })
    }

    /// [`Bookkeeping::standard`] with the first `ptr` parameter as the context; fails
    /// if there is none.
    pub fn standard(signature: Signature) -> Result<Self, BoundaryError> {
        let bookkeeping = standard_bookkeeping(&signature)?;
        ArrayBoundary::new(signature, bookkeeping)
    }

    /// The C signature of the runtime-side function (entry) or of the callback
    /// (exit).
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// What it records, and where.
    pub fn bookkeeping(&self) -> &Bookkeeping {
        &self.bookkeeping
    }

    /// The same boundary with these debug checks (`None` for none).
    pub fn with_checks(mut self, checks: Option<DebugChecks>) -> Self {
        self.bookkeeping.checks = checks;
        self
    }
}

/// A boundary trampoline whose host side is a C call: a C function with the
/// signature that records and calls a fixed C function with the same signature,
/// passing every argument and the result through untouched
/// ([`Engine::native_entry`](crate::Engine::native_entry),
/// [`Engine::native_exit`](crate::Engine::native_exit)).
///
/// Built only through [`NativeBoundary::new`] or [`NativeBoundary::standard`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NativeBoundary {
    signature: Signature,
    bookkeeping: Bookkeeping,
    callee: super::Callee,
}

impl NativeBoundary {
    /// A boundary for `signature` calling `callee`, recording what `bookkeeping` says;
    /// fails unless the bookkeeping's context parameter is a `ptr` parameter.
    pub fn new(
        signature: Signature,
        bookkeeping: Bookkeeping,
        callee: impl Into<super::Callee>,
    ) -> Result<Self, BoundaryError> {
        check_context(&signature, &bookkeeping)?;
        Ok(NativeBoundary {
            signature,
            bookkeeping,
            callee: callee.into(),
        })
    }

    /// [`Bookkeeping::standard`] with the first `ptr` parameter as the context.
    pub fn standard(
        signature: Signature,
        callee: impl Into<super::Callee>,
    ) -> Result<Self, BoundaryError> {
        let bookkeeping = standard_bookkeeping(&signature)?;
        NativeBoundary::new(signature, bookkeeping, callee)
    }

    /// The C signature, of the trampoline and of its callee.
    pub fn signature(&self) -> &Signature {
        &self.signature
    }

    /// What it records, and where.
    pub fn bookkeeping(&self) -> &Bookkeeping {
        &self.bookkeeping
    }

    /// The C function it calls.
    pub fn callee(&self) -> &super::Callee {
        &self.callee
    }

    /// The same boundary with these debug checks (`None` for none).
    pub fn with_checks(mut self, checks: Option<DebugChecks>) -> Self {
        self.bookkeeping.checks = checks;
        self
    }
}

/// A boundary trampoline of either shape: what an entry or exit
/// [request](crate::Request) holds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Boundary {
    /// The host side is the argument array.
    Array(ArrayBoundary),
    /// The host side is a C call of a fixed function.
    Native(NativeBoundary),
}

impl Boundary {
    /// An array-shaped boundary with [`Bookkeeping::standard`] (see
    /// [`ArrayBoundary::standard`]).
    pub fn standard(signature: Signature) -> Result<Boundary, BoundaryError> {
        ArrayBoundary::standard(signature).map(Boundary::Array)
    }

    /// The C signature.
    pub fn signature(&self) -> &Signature {
        match self {
            Boundary::Array(array) => array.signature(),
            Boundary::Native(native) => native.signature(),
        }
    }

    /// What it records, and where.
    pub fn bookkeeping(&self) -> &Bookkeeping {
        match self {
            Boundary::Array(array) => array.bookkeeping(),
            Boundary::Native(native) => native.bookkeeping(),
        }
    }

    /// The borrowed form (a cache key).
    pub(crate) fn as_ref(&self) -> BoundaryRef<'_> {
        match self {
            Boundary::Array(array) => BoundaryRef::Array(array),
            Boundary::Native(native) => BoundaryRef::Native(native),
        }
    }
}

impl From<ArrayBoundary> for Boundary {
    fn from(array: ArrayBoundary) -> Boundary {
        Boundary::Array(array)
    }
}

impl From<NativeBoundary> for Boundary {
    fn from(native: NativeBoundary) -> Boundary {
        Boundary::Native(native)
    }
}

/// A borrowed [`Boundary`], for cache lookups that do not clone the request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum BoundaryRef<'a> {
    /// See [`Boundary::Array`].
    Array(&'a ArrayBoundary),
    /// See [`Boundary::Native`].
    Native(&'a NativeBoundary),
}

impl BoundaryRef<'_> {
    /// The owned form.
    pub(crate) fn to_boundary(self) -> Boundary {
        match self {
            BoundaryRef::Array(array) => Boundary::Array(array.clone()),
            BoundaryRef::Native(native) => Boundary::Native(native.clone()),
        }
    }
}

/// Which records a trampoline takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Host → runtime code: entry SP/FP.
    Entry,
    /// Runtime code → host: exit FP/PC.
    Exit,
}

/// Emits the IR that reads one record's value.
type ReadRecord = fn(&mut FunctionBuilder, ir::Type) -> ir::Value;

/// Emits the debug checks and this side's records for `context`.
pub(super) fn emit_bookkeeping(
    builder: &mut FunctionBuilder,
    bookkeeping: &Bookkeeping,
    side: Side,
    context: ir::Value,
    target: &Target,
) {
    let pointer = target.pointer_type();
    if let Some(checks) = bookkeeping.checks {
        let magic = builder.ins().load(
            ir::types::I32,
            ir_bytes::slot_flags(),
            context,
            checks.magic_offset,
        );
        let bad = builder
            .ins()
            .icmp_imm_u(IntCC::NotEqual, magic, i64::from(checks.magic));
        builder
            .ins()
            .trapnz(bad, TrapCode::unwrap_user(TRAP_BAD_CONTEXT));
    }
    let records: [(Option<RecordPlace>, ReadRecord); 2] = match side {
        Side::Entry => [
            (bookkeeping.entry_sp, |b, p| b.ins().get_stack_pointer(p)),
            (bookkeeping.entry_fp, |b, p| b.ins().get_frame_pointer(p)),
        ],
        Side::Exit => [
            (bookkeeping.exit_fp, |b, p| {
                // The frame record's first word is the caller's frame pointer
                // (x86-64 `push rbp`; AAPCS64 §6.4.6 frame records).
                let own = b.ins().get_frame_pointer(p);
                b.ins().load(p, ir_bytes::slot_flags(), own, 0)
            }),
            (bookkeeping.exit_pc, |b, p| b.ins().get_return_address(p)),
        ],
    };
    for (place, read) in records {
        let Some(place) = place else { continue };
        let value = read(builder, pointer);
        let base = match place.via {
            Some(via) => builder
                .ins()
                .load(pointer, ir_bytes::slot_flags(), context, via),
            None => context,
        };
        builder
            .ins()
            .store(ir_bytes::slot_flags(), value, base, place.offset);
    }
}

/// The runtime context of an incoming call to a function of `signature` lowered as
/// `lowered`: its parameter `bookkeeping.context_param`, which must be a `ptr`.
pub(super) fn context_value(
    builder: &mut FunctionBuilder,
    signature: &Signature,
    bookkeeping: &Bookkeeping,
    lowered: &abi::LoweredSignature,
    incoming: &[ir::Value],
    target: &Target,
) -> Result<ir::Value, Error> {
    let index = bookkeeping.context_param;
    match lowered.params.get(index) {
        Some(param) if *param.ty() == Type::Ptr => Ok(super::moves::incoming_value(
            builder,
            lowered,
            incoming,
            index,
            target.pointer_type(),
        )),
        _ => Err(BoundaryError::ContextNotPtr {
            index,
            signature: signature.clone(),
        }
        .into()),
    }
}

/// Emits the array-size check of an array entry: trap unless `capacity` slots hold
/// every argument (and the result place, one slot, may alias them).
pub(super) fn emit_capacity_check(
    builder: &mut FunctionBuilder,
    bookkeeping: &Bookkeeping,
    signature: &Signature,
    capacity: ir::Value,
) {
    if bookkeeping.checks.is_none() {
        return;
    }
    let needed = signature.params.len() as i64;
    let small = builder
        .ins()
        .icmp_imm_u(IntCC::UnsignedLessThan, capacity, needed);
    builder
        .ins()
        .trapnz(small, TrapCode::unwrap_user(TRAP_ARRAY_TOO_SMALL));
}

/// Builds a native-shaped boundary trampoline: the C signature in, the same C
/// signature out to the fixed callee, every ABI value passed through untouched.
pub fn build_native(
    func: &mut ir::Function,
    builder_context: &mut FunctionBuilderContext,
    boundary: &NativeBoundary,
    side: Side,
    target: &Target,
) -> Result<(), Error> {
    if boundary.signature.variadic_from.is_some() {
        return Err(Error::Boundary(BoundaryError::Variadic {
            signature: boundary.signature.clone(),
        }));
    }
    let lowered = abi::lower_signature(&boundary.signature, target)?;
    let callee = &boundary.callee;
    func.signature = lowered.signature.clone();
    let mut builder = FunctionBuilder::new(func, builder_context);
    let incoming = super::entry_block(&mut builder);
    let context = context_value(
        &mut builder,
        &boundary.signature,
        &boundary.bookkeeping,
        &lowered,
        &incoming,
        target,
    )?;
    emit_bookkeeping(&mut builder, &boundary.bookkeeping, side, context, target);
    let call = super::call_callee(
        &mut builder,
        callee,
        0,
        lowered.signature.clone(),
        &incoming,
        target.pointer_type(),
    );
    let results = builder.inst_results(call).to_vec();
    builder.ins().return_(&results);
    builder.finalize(target.frontend_config());
    Ok(())
}
