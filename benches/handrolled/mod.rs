//! Hand-written x86-64 System V trampolines: the baseline `benches/fastcall.rs`
//! measures springboard against, emitted the way hand-rolled FFI trampolines are
//! (a runtime assembler, no IR, no register allocator).
//!
//! - [`Emitter::fast_call`]: a fast-call entry `(receiver, args..., options)` into a C
//!   function. Integer-class arguments shift down one register to drop the receiver
//!   (`rsi -> rdi`, `rdx -> rsi`, ..., the first stack argument -> `r9`), narrow
//!   integers and `bool` are narrowed from their 32-bit entry form, float arguments
//!   stay where they are. When the result needs no widening and the C function takes
//!   nothing on the stack, the entry ends in a tail call (`jmp`); otherwise it makes a
//!   frame, copies stack arguments, calls, and widens the result to 32 bits.
//! - [`Emitter::downcall`]: `(callee, args: *const Slot, result: *mut Slot)`, loading
//!   each argument from its 8-byte slot and storing the result into a slot.
//!
//! Scalars only, SysV only. Code is assembled into a plain byte vector and installed
//! by [`Emitter::install`] into a fresh read-write mapping that is then made
//! read-execute (W^X: never writable and executable at once).

// `dynasm!` converts every dynamic register number with `.into()`; ours are already
// `u8`.
#![allow(clippy::useless_conversion)]

use dynasm::dynasm;
use dynasmrt::mmap::MutableBuffer;
use dynasmrt::x64::X64Relocation;
use dynasmrt::{DynasmApi, ExecutableBuffer, VecAssembler};
use springboard::types::ScalarClass;
use springboard::{Convention, Signature, Type};
use std::ffi::c_void;
use std::io;

/// SysV integer argument registers in order: rdi, rsi, rdx, rcx, r8, r9.
const INT_ARGS: [u8; 6] = [7, 6, 2, 1, 8, 9];
/// SysV float argument registers: xmm0-xmm7.
const FLOAT_ARGS: u8 = 8;
const RAX: u8 = 0;
/// Entry points are aligned like springboard's (`CODE_ALIGN`).
const ALIGN: usize = 16;

/// Where a value travels under SysV.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Loc {
    Gpr(u8),
    Xmm(u8),
    /// Byte offset in the stack-argument area.
    Stack(i32),
}

/// How a scalar is moved: its class and, for integers, its width and signedness.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Scalar {
    Int { bytes: u8, signed: bool },
    Bool,
    F32,
    F64,
}

impl Scalar {
    fn of(ty: &Type) -> Result<Scalar, Unsupported> {
        match (ty, ty.class()) {
            (Type::Bool, _) => Ok(Scalar::Bool),
            (_, Some(ScalarClass::Integer { bytes, signed })) => Ok(Scalar::Int { bytes, signed }),
            (_, Some(ScalarClass::Float { bytes: 4 })) => Ok(Scalar::F32),
            (_, Some(ScalarClass::Float { .. })) => Ok(Scalar::F64),
            _ => Err(Unsupported(format!("{ty} is not a scalar"))),
        }
    }

    fn is_float(self) -> bool {
        matches!(self, Scalar::F32 | Scalar::F64)
    }

    /// Narrow integers and `bool`: they arrive at a fast-call entry as 32 bits, and a
    /// C function returns them with undefined upper bits.
    fn is_narrow(self) -> bool {
        matches!(self, Scalar::Bool | Scalar::Int { bytes: 1 | 2, .. })
    }
}

/// A signature this emitter does not handle (aggregates, other conventions).
#[derive(Debug)]
pub struct Unsupported(pub String);

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unsupported {}

/// SysV locations of `params`, and the size of their stack-argument area.
fn assign(params: &[Scalar]) -> (Vec<Loc>, i32) {
    let (mut ints, mut floats, mut stack) = (0, 0, 0);
    let locs = params
        .iter()
        .map(|param| {
            if param.is_float() && floats < FLOAT_ARGS {
                floats += 1;
                Loc::Xmm(floats - 1)
            } else if !param.is_float() && ints < INT_ARGS.len() {
                ints += 1;
                Loc::Gpr(INT_ARGS[ints - 1])
            } else {
                stack += 8;
                Loc::Stack(stack - 8)
            }
        })
        .collect();
    (locs, stack)
}

fn scalars(signature: &Signature) -> Result<(Vec<Scalar>, Option<Scalar>), Unsupported> {
    if !matches!(signature.convention, Convention::C | Convention::SysV) {
        return Err(Unsupported(format!(
            "{signature}: only x86-64 System V is hand-rolled"
        )));
    }
    let params = signature
        .params
        .iter()
        .map(Scalar::of)
        .collect::<Result<_, _>>()?;
    let result = match &signature.result {
        Type::Void => None,
        ty => Some(Scalar::of(ty)?),
    };
    Ok((params, result))
}

/// A base register of a memory operand.
#[derive(Clone, Copy)]
enum Base {
    Rsp,
    Rbp,
    R10,
}

/// A memory operand `[base + disp]`.
#[derive(Clone, Copy)]
struct Mem(Base, i32);

/// Where an integer value is read from.
#[derive(Clone, Copy)]
enum Src {
    Gpr(u8),
    Mem(Mem),
}

type Ops = VecAssembler<X64Relocation>;

/// Emits `$op dst, SIZE [base + disp]`, with a one-byte displacement when it fits.
macro_rules! load {
    ($ops:expr, $mem:expr, $op:ident ($($dst:tt)*), $size:ident) => {{
        let Mem(base, disp) = $mem;
        match (base, i8::try_from(disp)) {
            (Base::Rsp, Ok(d)) => dynasm!($ops ; .arch x64 ; $op $($dst)*, $size [BYTE rsp + d]),
            (Base::Rbp, Ok(d)) => dynasm!($ops ; .arch x64 ; $op $($dst)*, $size [BYTE rbp + d]),
            (Base::R10, Ok(d)) => dynasm!($ops ; .arch x64 ; $op $($dst)*, $size [BYTE r10 + d]),
            (Base::Rsp, Err(_)) => dynasm!($ops ; .arch x64 ; $op $($dst)*, $size [rsp + disp]),
            (Base::Rbp, Err(_)) => dynasm!($ops ; .arch x64 ; $op $($dst)*, $size [rbp + disp]),
            (Base::R10, Err(_)) => dynasm!($ops ; .arch x64 ; $op $($dst)*, $size [r10 + disp]),
        }
    }};
}

/// Emits `$op SIZE [base + disp], src`, with a one-byte displacement when it fits.
macro_rules! store {
    ($ops:expr, $op:ident $size:ident, $mem:expr, ($($src:tt)*)) => {{
        let Mem(base, disp) = $mem;
        match (base, i8::try_from(disp)) {
            (Base::Rsp, Ok(d)) => dynasm!($ops ; .arch x64 ; $op $size [BYTE rsp + d], $($src)*),
            (Base::Rbp, Ok(d)) => dynasm!($ops ; .arch x64 ; $op $size [BYTE rbp + d], $($src)*),
            (Base::R10, Ok(d)) => dynasm!($ops ; .arch x64 ; $op $size [BYTE r10 + d], $($src)*),
            (Base::Rsp, Err(_)) => dynasm!($ops ; .arch x64 ; $op $size [rsp + disp], $($src)*),
            (Base::Rbp, Err(_)) => dynasm!($ops ; .arch x64 ; $op $size [rbp + disp], $($src)*),
            (Base::R10, Err(_)) => dynasm!($ops ; .arch x64 ; $op $size [r10 + disp], $($src)*),
        }
    }};
}

/// Machine code for many trampolines, assembled into one buffer.
pub struct Emitter {
    ops: Ops,
    entries: Vec<(usize, usize)>,
}

impl Default for Emitter {
    fn default() -> Self {
        Emitter::new()
    }
}

impl Emitter {
    /// An empty emitter.
    pub fn new() -> Emitter {
        Emitter {
            ops: VecAssembler::new(0),
            entries: Vec::new(),
        }
    }

    /// Appends a fast-call entry for `target` that calls `callee`; returns its index.
    pub fn fast_call(
        &mut self,
        target: &Signature,
        callee: *const c_void,
    ) -> Result<usize, Unsupported> {
        let (params, result) = scalars(target)?;
        // The entry: the receiver, each parameter (narrow ones as 32-bit integers,
        // which take the same registers), then the options pointer.
        let pointer = Scalar::Int {
            bytes: 8,
            signed: false,
        };
        let mut entry_params = Vec::with_capacity(params.len() + 2);
        entry_params.push(pointer);
        entry_params.extend(&params);
        entry_params.push(pointer);
        let (entry_locs, _) = assign(&entry_params);
        let (callee_locs, callee_stack) = assign(&params);
        let widen_result = result.is_some_and(Scalar::is_narrow);
        let tail_call = !widen_result && callee_stack == 0;

        let start = self.begin();
        let ops = &mut self.ops;
        // Incoming stack arguments: above the return address, or above the saved rbp.
        let incoming = |loc: Loc| match loc {
            Loc::Stack(offset) if tail_call => Src::Mem(Mem(Base::Rsp, 8 + offset)),
            Loc::Stack(offset) => Src::Mem(Mem(Base::Rbp, 16 + offset)),
            Loc::Gpr(reg) => Src::Gpr(reg),
            Loc::Xmm(_) => unreachable!("integers only"),
        };
        if !tail_call {
            let frame = (callee_stack + 15) & !15;
            dynasm!(ops
                ; .arch x64
                ; push rbp
                ; mov rbp, rsp
            );
            sub_rsp(ops, frame);
        }
        // Stack arguments first: they only ever come from the incoming stack (an
        // integer's entry position is one later than its C position, a float's is the
        // same), so no register they could read is overwritten yet.
        for (index, &param) in params.iter().enumerate() {
            let (Loc::Stack(to), from) = (callee_locs[index], entry_locs[index + 1]) else {
                continue;
            };
            if param.is_float() {
                let Src::Mem(mem) = incoming(from) else {
                    unreachable!("a stack float stays on the stack")
                };
                load!(ops, mem, mov(rax), QWORD);
            } else {
                narrow_into(ops, param, RAX, incoming(from), true);
            }
            store!(ops, mov QWORD, Mem(Base::Rsp, to), (rax));
        }
        // Register arguments in order: C integer argument k goes to the register that
        // held entry argument k, which has already been read.
        for (index, &param) in params.iter().enumerate() {
            if let (Loc::Gpr(to), from) = (callee_locs[index], entry_locs[index + 1]) {
                narrow_into(ops, param, to, incoming(from), true);
            }
        }
        let callee = callee as i64;
        if tail_call {
            dynasm!(ops
                ; .arch x64
                ; mov rax, QWORD callee
                ; jmp rax
            );
        } else {
            dynasm!(ops
                ; .arch x64
                ; mov rax, QWORD callee
                ; call rax
            );
            match result {
                Some(Scalar::Int {
                    bytes: 1,
                    signed: true,
                }) => dynasm!(ops ; .arch x64 ; movsx eax, al),
                Some(Scalar::Int {
                    bytes: 1,
                    signed: false,
                })
                | Some(Scalar::Bool) => dynasm!(ops ; .arch x64 ; movzx eax, al),
                Some(Scalar::Int {
                    bytes: 2,
                    signed: true,
                }) => dynasm!(ops ; .arch x64 ; movsx eax, ax),
                Some(Scalar::Int {
                    bytes: 2,
                    signed: false,
                }) => dynasm!(ops ; .arch x64 ; movzx eax, ax),
                _ => {}
            }
            dynasm!(ops
                ; .arch x64
                ; leave
                ; ret
            );
        }
        Ok(self.end(start))
    }

    /// Appends a downcall `(callee, args, result)` for `signature`; returns its index.
    pub fn downcall(&mut self, signature: &Signature) -> Result<usize, Unsupported> {
        let (params, result) = scalars(signature)?;
        let (locs, stack) = assign(&params);
        let start = self.begin();
        let ops = &mut self.ops;
        // [rbp - 8]: the result pointer; below it the stack-argument area, keeping rsp
        // 16-byte aligned at the call.
        let frame = 16 + ((stack + 15) & !15);
        dynasm!(ops
            ; .arch x64
            ; push rbp
            ; mov rbp, rsp
        );
        sub_rsp(ops, frame);
        dynasm!(ops
            ; .arch x64
            ; mov [rbp - 8], rdx
            ; mov r11, rdi
            ; mov r10, rsi
        );
        for (index, (&param, &loc)) in params.iter().zip(&locs).enumerate() {
            let slot = Mem(Base::R10, 8 * index as i32);
            match (param, loc) {
                (Scalar::F32, Loc::Xmm(x)) => load!(ops, slot, movss(Rx(x)), DWORD),
                (Scalar::F64, Loc::Xmm(x)) => load!(ops, slot, movsd(Rx(x)), QWORD),
                (_, Loc::Stack(to)) => {
                    if param.is_float() {
                        load!(ops, slot, mov(rax), QWORD);
                    } else {
                        narrow_into(ops, param, RAX, Src::Mem(slot), false);
                    }
                    store!(ops, mov QWORD, Mem(Base::Rsp, to), (rax));
                }
                (_, Loc::Gpr(to)) => narrow_into(ops, param, to, Src::Mem(slot), false),
                (_, Loc::Xmm(_)) => unreachable!("integers take general registers"),
            }
        }
        dynasm!(ops
            ; .arch x64
            ; call r11
            ; mov rcx, [rbp - 8]
        );
        // Integers, bool and pointers fill the whole slot, extended per type; f32 its
        // first 4 bytes.
        match result {
            None => {}
            Some(Scalar::F32) => dynasm!(ops ; .arch x64 ; movss DWORD [rcx], xmm0),
            Some(Scalar::F64) => dynasm!(ops ; .arch x64 ; movsd QWORD [rcx], xmm0),
            Some(Scalar::Int {
                bytes: 8,
                signed: _,
            }) => dynasm!(ops ; .arch x64 ; mov QWORD [rcx], rax),
            Some(int) => {
                match int {
                    Scalar::Int {
                        bytes: 1,
                        signed: true,
                    } => dynasm!(ops ; .arch x64 ; movsx rax, al),
                    Scalar::Int {
                        bytes: 2,
                        signed: true,
                    } => dynasm!(ops ; .arch x64 ; movsx rax, ax),
                    Scalar::Int {
                        bytes: 4,
                        signed: true,
                    } => dynasm!(ops ; .arch x64 ; movsxd rax, eax),
                    Scalar::Int {
                        bytes: 2,
                        signed: false,
                    } => dynasm!(ops ; .arch x64 ; movzx eax, ax),
                    Scalar::Int {
                        bytes: 4,
                        signed: false,
                    } => dynasm!(ops ; .arch x64 ; mov eax, eax),
                    // u8 and bool (a C bool is returned as 0 or 1 in al).
                    _ => dynasm!(ops ; .arch x64 ; movzx eax, al),
                }
                dynasm!(ops ; .arch x64 ; mov QWORD [rcx], rax);
            }
        }
        dynasm!(ops
            ; .arch x64
            ; leave
            ; ret
        );
        Ok(self.end(start))
    }

    /// Pads to the next entry's alignment with `int3` and returns where it starts.
    fn begin(&mut self) -> usize {
        while !self.ops.offset().0.is_multiple_of(ALIGN) {
            dynasm!(self.ops ; .arch x64 ; int3);
        }
        self.ops.offset().0
    }

    fn end(&mut self, start: usize) -> usize {
        self.entries.push((start, self.ops.offset().0 - start));
        self.entries.len() - 1
    }

    /// The machine code assembled so far (entries at 16-byte aligned offsets).
    pub fn into_bytes(self) -> Vec<u8> {
        self.ops.finalize().expect("no labels or relocations")
    }

    /// Installs everything assembled into executable memory: a fresh read-write
    /// mapping is filled and then made read-execute.
    pub fn install(self) -> io::Result<Code> {
        let entries = self.entries.clone();
        let bytes = self.into_bytes();
        let mut buffer = MutableBuffer::new(bytes.len().max(1))?;
        buffer.set_len(bytes.len());
        buffer.copy_from_slice(&bytes);
        Ok(Code {
            buffer: buffer.make_exec()?,
            entries,
        })
    }
}

/// `sub rsp, bytes` (nothing for 0), with a one-byte immediate when it fits.
fn sub_rsp(ops: &mut Ops, bytes: i32) {
    match i8::try_from(bytes) {
        Ok(0) => {}
        Ok(small) => dynasm!(ops ; .arch x64 ; sub rsp, BYTE small),
        Err(_) => dynasm!(ops ; .arch x64 ; sub rsp, bytes),
    }
}

/// Loads an integer-class value of type `param` from `src` into `dst`, as the C
/// function expects it: narrow integers extended to 32 bits (what gcc and clang
/// callers do), `bool` as 0 or 1. `from_entry`: the value is a fast call's 32-bit
/// entry form (a `bool` is true when non-zero); otherwise a slot (a `bool` is true
/// when its first byte is non-zero).
fn narrow_into(ops: &mut Ops, param: Scalar, dst: u8, src: Src, from_entry: bool) {
    let (bytes, signed) = match param {
        Scalar::Int { bytes, signed } => (bytes, signed),
        Scalar::Bool => {
            match (src, from_entry) {
                (Src::Gpr(s), _) => dynasm!(ops ; .arch x64 ; test Rd(s), Rd(s)),
                (Src::Mem(mem), true) => store!(ops, cmp DWORD, mem, (0)),
                (Src::Mem(mem), false) => store!(ops, cmp BYTE, mem, (0)),
            }
            dynasm!(ops
                ; .arch x64
                ; setne Rb(dst)
                ; movzx Rd(dst), Rb(dst)
            );
            return;
        }
        Scalar::F32 | Scalar::F64 => unreachable!("floats are not narrowed"),
    };
    match (bytes, signed, src) {
        (8, _, Src::Gpr(s)) => dynasm!(ops ; .arch x64 ; mov Rq(dst), Rq(s)),
        (8, _, Src::Mem(mem)) => load!(ops, mem, mov(Rq(dst)), QWORD),
        (4, _, Src::Gpr(s)) => dynasm!(ops ; .arch x64 ; mov Rd(dst), Rd(s)),
        (4, _, Src::Mem(mem)) => load!(ops, mem, mov(Rd(dst)), DWORD),
        (2, true, Src::Gpr(s)) => dynasm!(ops ; .arch x64 ; movsx Rd(dst), Rw(s)),
        (2, true, Src::Mem(mem)) => load!(ops, mem, movsx(Rd(dst)), WORD),
        (2, false, Src::Gpr(s)) => dynasm!(ops ; .arch x64 ; movzx Rd(dst), Rw(s)),
        (2, false, Src::Mem(mem)) => load!(ops, mem, movzx(Rd(dst)), WORD),
        (_, true, Src::Gpr(s)) => dynasm!(ops ; .arch x64 ; movsx Rd(dst), Rb(s)),
        (_, true, Src::Mem(mem)) => load!(ops, mem, movsx(Rd(dst)), BYTE),
        (_, false, Src::Gpr(s)) => dynasm!(ops ; .arch x64 ; movzx Rd(dst), Rb(s)),
        (_, false, Src::Mem(mem)) => load!(ops, mem, movzx(Rd(dst)), BYTE),
    }
}

/// Installed trampolines; the code is unmapped when this drops.
pub struct Code {
    buffer: ExecutableBuffer,
    entries: Vec<(usize, usize)>,
}

impl Code {
    /// The entry point of trampoline `index`.
    pub fn entry(&self, index: usize) -> *const c_void {
        self.buffer[self.entries[index].0..].as_ptr().cast()
    }

    /// Size of trampoline `index`'s machine code in bytes (without alignment padding).
    pub fn code_size(&self, index: usize) -> usize {
        self.entries[index].1
    }

    /// The machine code of trampoline `index`.
    pub fn bytes(&self, index: usize) -> &[u8] {
        let (start, len) = self.entries[index];
        &self.buffer[start..start + len]
    }
}

/// Emits and installs one fast call (what a runtime without batching does per
/// symbol).
pub fn fast_call(target: &Signature, callee: *const c_void) -> Result<Code, Unsupported> {
    let mut emitter = Emitter::new();
    emitter.fast_call(target, callee)?;
    emitter
        .install()
        .map_err(|e| Unsupported(format!("install: {e}")))
}

/// Emits and installs one downcall.
pub fn downcall(signature: &Signature) -> Result<Code, Unsupported> {
    let mut emitter = Emitter::new();
    emitter.downcall(signature)?;
    emitter
        .install()
        .map_err(|e| Unsupported(format!("install: {e}")))
}

/// Emits one fast call into a byte vector without installing it (code generation
/// alone, comparable to `Compiler::compile_trampoline`).
pub fn fast_call_bytes(target: &Signature, callee: *const c_void) -> Result<Vec<u8>, Unsupported> {
    let mut emitter = Emitter::new();
    emitter.fast_call(target, callee)?;
    Ok(emitter.into_bytes())
}
