//! Closures: `ffi_closure_alloc`/`ffi_closure_free`, `ffi_prep_closure_loc`, the
//! deprecated `ffi_prep_closure`, and Go closures.
//!
//! A closure's code is a springboard callback in libffi's layout
//! ([`springboard::ArgLayout::Pointers`]) whose context is the closure. Its handler
//! reads the closure's `cif`, `fun` and `user_data` when called (as libffi does) and
//! hands `fun` the callback's own array of argument pointers. The closure's `tramp` field holds an absolute jump to the
//! callback's code, so that calling the closure's own code address runs it.
//!
//! Closure memory comes in blocks of power-of-two size classes (64 bytes to 4 KiB)
//! carved from 64 KiB regions, each mapped twice from one memfd: writable at an
//! address aligned to 64 KiB (so a closure's region is its address with the low bits
//! masked off, found in a table read without locks) and executable elsewhere. Each
//! thread keeps up to 64 free blocks of the smallest class for itself. A block
//! remembers the callback of the last closure prepared in it, and keeps it across a
//! free: preparing a closure of the same signature there again writes the jump and the
//! three fields and claims nothing (libffi's cost). A freed block's `tramp` is `int3`.
//! A closure in memory that is not a block (`ffi_prep_closure` on the caller's own
//! executable memory, Go closures) gets its callback from a registry by its address.

use crate::engine;
use crate::{binding, ffi_cif, ffi_status, FFI_BAD_ABI, FFI_BAD_TYPEDEF, FFI_OK};
use springboard::{Callback, Target};
use std::collections::HashMap;
use std::ffi::c_void;
use std::sync::atomic::{AtomicPtr, Ordering};
use std::sync::{Mutex, OnceLock};

/// Size of a closure's `tramp` field on x86-64.
pub const FFI_TRAMPOLINE_SIZE: usize = 32;

/// A closure handler: `fun(cif, result, args, user_data)`.
pub type ffi_closure_fun =
    unsafe extern "C-unwind" fn(*mut ffi_cif, *mut c_void, *mut *mut c_void, *mut c_void);

/// libffi's `ffi_closure` on x86-64.
#[repr(C)]
pub struct ffi_closure {
    /// The closure's code (a jump to its springboard callback).
    pub tramp: [u8; FFI_TRAMPOLINE_SIZE],
    /// The closure's signature.
    pub cif: *mut ffi_cif,
    /// The handler.
    pub fun: Option<ffi_closure_fun>,
    /// The handler's last argument.
    pub user_data: *mut c_void,
}

/// libffi's `ffi_go_closure`: the caller passes the closure in the static chain
/// register (`r10`), which the callback ignores; its context is the closure.
#[repr(C)]
pub struct ffi_go_closure {
    /// The code to call.
    pub tramp: *const c_void,
    /// The closure's signature.
    pub cif: *mut ffi_cif,
    /// The handler (its last argument is the closure).
    pub fun: Option<ffi_closure_fun>,
}

/// A callback handle, kept alive in the registry while its closure lives (`Callback`
/// is `Send`, so the registry's lock is all it needs).
struct Live(#[allow(dead_code)] Callback);

/// The live callback of every prepared closure, by the closure's (writable) address.
fn live() -> &'static Mutex<HashMap<usize, Live>> {
    static LIVE: OnceLock<Mutex<HashMap<usize, Live>>> = OnceLock::new();
    LIVE.get_or_init(Default::default)
}

/// The callback handler of an `ffi_closure`.
unsafe extern "C-unwind" fn closure_handler(
    context: *mut c_void,
    args: *mut *mut c_void,
    result: *mut c_void,
) {
    let closure = &*(context as *const ffi_closure);
    if let Some(fun) = closure.fun {
        fun(closure.cif, result, args, closure.user_data);
    }
}

/// The callback handler of an `ffi_go_closure`.
unsafe extern "C-unwind" fn go_closure_handler(
    context: *mut c_void,
    args: *mut *mut c_void,
    result: *mut c_void,
) {
    let closure = &*(context as *const ffi_go_closure);
    if let Some(fun) = closure.fun {
        fun(closure.cif, result, args, context);
    }
}

type UnwindingHandler = unsafe extern "C-unwind" fn(*mut c_void, *mut *mut c_void, *mut c_void);

/// The binding of a cif a closure is prepared for, checked as libffi checks it.
///
/// # Safety
/// `cif` is null or valid.
unsafe fn check_cif(cif: *mut ffi_cif) -> Result<&'static crate::Binding, ffi_status> {
    if cif.is_null() {
        return Err(FFI_BAD_TYPEDEF);
    }
    // libffi checks the ABI again: a caller may change it after preparing.
    crate::convention((*cif).abi)?;
    binding(&*cif).ok_or(FFI_BAD_TYPEDEF)
}

/// A springboard callback for `cif` calling `handler` with `context`.
///
/// # Safety
/// `cif` is valid.
unsafe fn callback_for(
    cif: *mut ffi_cif,
    handler: UnwindingHandler,
    context: *mut c_void,
) -> Result<Callback, ffi_status> {
    let binding = check_cif(cif)?;
    let callbacks = match binding.callbacks.get() {
        Some(callbacks) => callbacks,
        None => {
            let engine = engine().ok_or(FFI_BAD_ABI)?;
            let made = engine
                .pointer_callback_factory(&binding.signature)
                .map_err(|_| FFI_BAD_TYPEDEF)?;
            binding.callbacks.get_or_init(|| made)
        }
    };
    // SAFETY: the two function types differ only in whether unwinding may leave
    // them, which the callback's code (with unwind information) permits: a C++
    // exception thrown by a closure's handler travels to the closure's caller.
    let handler = std::mem::transmute::<UnwindingHandler, springboard::RawPointerHandler>(handler);
    callbacks
        .create_pointers(handler, context)
        .map_err(|_| FFI_BAD_TYPEDEF)
}

/// The code of a closure's `tramp` (or a Go call's stub): the ABI layer's absolute
/// jump to `target` for this machine ([`Target::absolute_jump`], which loads `chain`
/// into the static chain register first when given), `int3`-padded. `FFI_BAD_ABI` on
/// a machine without one.
fn jump(target: usize, chain: Option<usize>) -> Result<[u8; FFI_TRAMPOLINE_SIZE], ffi_status> {
    static HOST: OnceLock<Option<Target>> = OnceLock::new();
    let host = HOST.get_or_init(|| Target::host().ok()).as_ref();
    let code = host
        .and_then(|host| host.absolute_jump(target as u64, chain.map(|c| c as u64)))
        .ok_or(FFI_BAD_ABI)?;
    let mut tramp = [0xcc; FFI_TRAMPOLINE_SIZE];
    tramp
        .get_mut(..code.len())
        .ok_or(FFI_BAD_ABI)?
        .copy_from_slice(&code);
    Ok(tramp)
}

/// libffi's `ffi_prep_closure_loc`: makes `closure` call `fun` with `user_data`; the
/// closure's code is at `codeloc` (the executable address of `closure`'s memory).
///
/// # Safety
/// `closure` is writable memory of an `ffi_closure`, whose executable view is
/// `codeloc`; `cif` is prepared and outlives the closure.
#[no_mangle]
pub unsafe extern "C" fn ffi_prep_closure_loc(
    closure: *mut ffi_closure,
    cif: *mut ffi_cif,
    fun: Option<ffi_closure_fun>,
    user_data: *mut c_void,
    codeloc: *mut c_void,
) -> ffi_status {
    let _ = codeloc;
    let at = closure as usize;
    let block = region_of(at).and_then(|region| region.block(at));
    let Some(block) = block.filter(|block| block.allocated.get()) else {
        return prep_foreign_closure(closure, cif, fun, user_data);
    };
    // SAFETY: the block is this thread's (it is allocated, and the caller prepares
    // its own closure).
    // A block that kept a callback of the cif's signature, prepared for the same
    // (already checked) ABI value: only the fields change.
    // (`NO_BINDING` may equal a bad cif's `flags`: the kept callback decides.)
    let kept_matches = !cif.is_null()
        && block.binding.get() == (*cif).flags
        && block.abi.get() == (*cif).abi
        && (*block.kept.get()).is_some();
    if !kept_matches {
        return prep_block_closure(block, closure, cif, fun, user_data);
    }
    if !block.armed.get() {
        if let Some(kept) = &*block.kept.get() {
            (*closure).tramp = kept.tramp;
        }
        block.armed.set(true);
    }
    (*closure).cif = cif;
    (*closure).fun = fun;
    (*closure).user_data = user_data;
    FFI_OK
}

/// [`ffi_prep_closure_loc`] for a block whose kept callback (if any) is not of the
/// cif's signature: a new callback, kept in the block.
///
/// # Safety
/// As [`ffi_prep_closure_loc`]; `block` is `closure`'s, allocated.
#[cold]
unsafe fn prep_block_closure(
    block: &Block,
    closure: *mut ffi_closure,
    cif: *mut ffi_cif,
    fun: Option<ffi_closure_fun>,
    user_data: *mut c_void,
) -> ffi_status {
    let callback = match callback_for(cif, closure_handler, closure as *mut c_void) {
        Ok(c) => c,
        Err(status) => return status,
    };
    let tramp = match jump(callback.code() as usize, None) {
        Ok(tramp) => tramp,
        Err(status) => return status,
    };
    (*closure).tramp = tramp;
    (*closure).cif = cif;
    (*closure).fun = fun;
    (*closure).user_data = user_data;
    block.binding.set((*cif).flags);
    block.abi.set((*cif).abi);
    block.armed.set(true);
    // The old callback (if any) is freed after the new jump is in place.
    *block.kept.get() = Some(Box::new(Kept {
        _callback: callback,
        tramp,
    }));
    FFI_OK
}

/// [`ffi_prep_closure_loc`] for a closure in memory [`ffi_closure_alloc`] did not
/// hand out as a block: its callback lives in a registry by the closure's address.
///
/// # Safety
/// As [`ffi_prep_closure_loc`].
#[cold]
unsafe fn prep_foreign_closure(
    closure: *mut ffi_closure,
    cif: *mut ffi_cif,
    fun: Option<ffi_closure_fun>,
    user_data: *mut c_void,
) -> ffi_status {
    if closure.is_null() {
        return FFI_BAD_TYPEDEF;
    }
    let callback = match callback_for(cif, closure_handler, closure as *mut c_void) {
        Ok(c) => c,
        Err(status) => return status,
    };
    (*closure).cif = cif;
    (*closure).fun = fun;
    (*closure).user_data = user_data;
    (*closure).tramp = match jump(callback.code() as usize, None) {
        Ok(tramp) => tramp,
        Err(status) => return status,
    };
    lock(live()).insert(closure as usize, Live(callback));
    FFI_OK
}

/// libffi's deprecated `ffi_prep_closure`: [`ffi_prep_closure_loc`] with the code at
/// the closure's own address (memory the caller made executable).
///
/// # Safety
/// As [`ffi_prep_closure_loc`], with `closure` writable and executable.
#[no_mangle]
pub unsafe extern "C" fn ffi_prep_closure(
    closure: *mut ffi_closure,
    cif: *mut ffi_cif,
    fun: Option<ffi_closure_fun>,
    user_data: *mut c_void,
) -> ffi_status {
    ffi_prep_closure_loc(closure, cif, fun, user_data, closure as *mut c_void)
}

/// libffi's `ffi_prep_go_closure`: makes `closure`'s `tramp` a function that calls
/// `fun(cif, result, args, closure)`.
///
/// # Safety
/// `closure` is writable and outlives every call; `cif` is prepared.
#[no_mangle]
pub unsafe extern "C" fn ffi_prep_go_closure(
    closure: *mut ffi_go_closure,
    cif: *mut ffi_cif,
    fun: Option<ffi_closure_fun>,
) -> ffi_status {
    if closure.is_null() {
        return FFI_BAD_TYPEDEF;
    }
    let callback = match callback_for(cif, go_closure_handler, closure as *mut c_void) {
        Ok(c) => c,
        Err(status) => return status,
    };
    (*closure).cif = cif;
    (*closure).fun = fun;
    (*closure).tramp = callback.code();
    lock(live()).insert(closure as usize, Live(callback));
    FFI_OK
}

/// libffi's `ffi_call_go`: [`ffi_call`](crate::ffi_call) with `closure` in the static
/// chain register, through a stub `movabs r10, closure; movabs r11, fn; jmp r11` in
/// closure memory.
///
/// # Safety
/// As [`ffi_call`](crate::ffi_call).
#[no_mangle]
pub unsafe extern "C-unwind" fn ffi_call_go(
    cif: *mut ffi_cif,
    fn_: Option<unsafe extern "C" fn()>,
    rvalue: *mut c_void,
    avalue: *mut *mut c_void,
    closure: *mut c_void,
) {
    let mut code = std::ptr::null_mut();
    let stub = ffi_closure_alloc(std::mem::size_of::<ffi_closure>(), &mut code) as *mut u8;
    if stub.is_null() {
        eprintln!("springboard libffi: ffi_call_go: no memory for the stub");
        std::process::abort();
    }
    let Ok(bytes) = jump(fn_.map_or(0, |f| f as usize), Some(closure as usize)) else {
        eprintln!("springboard libffi: ffi_call_go: no static-chain jump on this machine");
        std::process::abort();
    };
    std::ptr::copy_nonoverlapping(bytes.as_ptr(), stub, bytes.len());
    // SAFETY: `code` is the executable view of the stub just written.
    let entry = std::mem::transmute::<*mut c_void, unsafe extern "C" fn()>(code);
    crate::ffi_call(cif, Some(entry), rvalue, avalue);
    ffi_closure_free(stub as *mut c_void);
}

/// Bytes of a region of closure blocks, and its alignment: a block's region is its
/// writable address with the low bits masked off.
const REGION: usize = 64 * 1024;

/// The smallest block (an `ffi_closure` fits); the size classes of regions are it
/// and its powers of two up to [`MAX_CLASS`], so that a block's index is a shift.
const MIN_CLASS: usize = 64;

/// Size classes of regions.
const CLASSES: usize = 7;

/// The largest block kept in regions (4 KiB); bigger ones are mapped one by one.
const MAX_CLASS: usize = MIN_CLASS << (CLASSES - 1);

/// Free blocks a thread keeps for itself (of the smallest class, `ffi_closure`'s).
const THREAD_CACHE: usize = 64;

/// What a region remembers of a block between its owner's calls.
struct Block {
    /// Whether the block is handed out (a second free of it is ignored).
    allocated: std::cell::Cell<bool>,
    /// The binding (a cif's `flags`) and ABI value `kept` was made for
    /// ([`NO_BINDING`] while there is none).
    binding: std::cell::Cell<u32>,
    abi: std::cell::Cell<crate::ffi_abi>,
    /// Whether the block's `tramp` holds `kept`'s jump (a free fills it with `int3`).
    armed: std::cell::Cell<bool>,
    /// The callback of the closure last prepared in the block, kept across a free for
    /// the block's next closure of the same signature.
    kept: std::cell::UnsafeCell<Option<Box<Kept>>>,
}

// SAFETY: a block's state is only touched by the thread that holds the block (between
// `ffi_closure_alloc` and `ffi_closure_free`, libffi's contract), and a block changes
// threads only through the free lists' locks (or stays in one thread's cache); its
// kept callback is only dropped by its holder too.
unsafe impl Sync for Block {}

/// A block's `binding` while it has kept no callback (never a binding index).
const NO_BINDING: u32 = u32::MAX;

/// A block's callback and the `tramp` bytes that jump to it.
struct Kept {
    /// Owned, not read: dropping it frees the callback's instance.
    _callback: Callback,
    tramp: [u8; FFI_TRAMPOLINE_SIZE],
}

/// Blocks of one size class, mapped twice from one shared memory object: writable at
/// `writable` (aligned to [`REGION`]) and executable at `executable`.
struct Region {
    writable: usize,
    executable: usize,
    /// The block size's power of two.
    shift: u32,
    blocks: Box<[Block]>,
}

impl Region {
    /// The block at writable address `at`, if it starts one.
    #[inline]
    fn block(&self, at: usize) -> Option<&Block> {
        let offset = at - self.writable;
        if offset & (self.class() - 1) != 0 {
            return None;
        }
        self.blocks.get(offset >> self.shift)
    }

    fn class(&self) -> usize {
        1 << self.shift
    }
}

/// Slots for regions (a power of two): 4 GiB of closure memory.
const REGION_SLOTS: usize = 1 << 16;

/// Every region, by its writable base, open addressing: read with acquire loads,
/// written under [`GROW`].
static REGIONS: [AtomicPtr<Region>; REGION_SLOTS] =
    [const { AtomicPtr::new(std::ptr::null_mut()) }; REGION_SLOTS];

/// Serialises the mapping of regions.
static GROW: Mutex<usize> = Mutex::new(0);

/// A region's first slot: its base's bits above the region size (regions come from
/// mmap, so consecutive ones take consecutive slots).
#[inline]
fn region_slot(base: usize) -> usize {
    (base / REGION) % REGION_SLOTS
}

/// The region holding writable address `at`, if `at` is closure memory of a region.
#[inline]
fn region_of(at: usize) -> Option<&'static Region> {
    let base = at & !(REGION - 1);
    let mut slot = region_slot(base);
    loop {
        // SAFETY: regions are leaked, published with Release, never changed.
        let region = unsafe { REGIONS[slot].load(Ordering::Acquire).as_ref() }?;
        if region.writable == base {
            return Some(region);
        }
        slot = (slot + 1) % REGION_SLOTS;
    }
}

/// A free region block: its two addresses and its state.
#[derive(Clone, Copy)]
struct FreeBlock {
    writable: usize,
    executable: usize,
    block: &'static Block,
}

/// Free blocks of each region size class.
static FREE: [Mutex<Vec<FreeBlock>>; CLASSES] = [const { Mutex::new(Vec::new()) }; CLASSES];

/// Blocks bigger than [`MAX_CLASS`]: writable address to (executable address, size).
fn big() -> &'static Mutex<HashMap<usize, (usize, usize)>> {
    static BIG: OnceLock<Mutex<HashMap<usize, (usize, usize)>>> = OnceLock::new();
    BIG.get_or_init(Default::default)
}

/// A thread's free blocks of the smallest class, handed back to [`FREE`] when the
/// thread ends.
struct ThreadCache(Vec<FreeBlock>);

impl Drop for ThreadCache {
    fn drop(&mut self) {
        lock(&FREE[0]).append(&mut self.0);
    }
}

thread_local! {
    static CACHE: std::cell::RefCell<ThreadCache> =
        const { std::cell::RefCell::new(ThreadCache(Vec::new())) };
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Maps a shared memory object of `size` bytes twice; returns the (writable,
/// executable) base addresses, the writable one aligned to `align` (a power of two
/// of at least a page).
fn map_twice(size: usize, align: usize) -> Option<(usize, usize)> {
    // SAFETY: plain system calls on a descriptor and reservations this function owns.
    unsafe {
        let fd = libc::memfd_create(c"springboard-ffi-closures".as_ptr(), libc::MFD_CLOEXEC);
        if fd < 0 {
            return None;
        }
        let mapped = (|| {
            if libc::ftruncate(fd, size as libc::off_t) != 0 {
                return None;
            }
            // Reserve enough to place an aligned view, map the object over its aligned
            // part, and give the rest back.
            let reserved = size + align - 4096;
            let reservation = libc::mmap(
                std::ptr::null_mut(),
                reserved,
                libc::PROT_NONE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_NORESERVE,
                -1,
                0,
            );
            if reservation == libc::MAP_FAILED {
                return None;
            }
            let start = reservation as usize;
            let writable = start.next_multiple_of(align);
            let placed = libc::mmap(
                writable as *mut c_void,
                size,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED | libc::MAP_FIXED,
                fd,
                0,
            );
            if placed == libc::MAP_FAILED {
                libc::munmap(reservation, reserved);
                return None;
            }
            if writable > start {
                libc::munmap(start as *mut c_void, writable - start);
            }
            let end = writable + size;
            if start + reserved > end {
                libc::munmap(end as *mut c_void, start + reserved - end);
            }
            let executable = libc::mmap(
                std::ptr::null_mut(),
                size,
                libc::PROT_READ | libc::PROT_EXEC,
                libc::MAP_SHARED,
                fd,
                0,
            );
            if executable == libc::MAP_FAILED {
                libc::munmap(writable as *mut c_void, size);
                return None;
            }
            Some((writable, executable as usize))
        })();
        libc::close(fd);
        mapped
    }
}

/// Maps a region of `MIN_CLASS << size`-byte blocks and returns its blocks, first
/// block last.
fn new_region(size: usize) -> Option<Vec<FreeBlock>> {
    let class = MIN_CLASS << size;
    let mut regions = lock(&GROW);
    if *regions >= REGION_SLOTS / 2 {
        return None;
    }
    let (writable, executable) = map_twice(REGION, REGION)?;
    let count = REGION / class;
    let region: &'static Region = Box::leak(Box::new(Region {
        writable,
        executable,
        shift: class.trailing_zeros(),
        blocks: (0..count)
            .map(|_| Block {
                allocated: std::cell::Cell::new(false),
                binding: std::cell::Cell::new(NO_BINDING),
                abi: std::cell::Cell::new(0),
                armed: std::cell::Cell::new(false),
                kept: std::cell::UnsafeCell::new(None),
            })
            .collect(),
    }));
    let mut slot = region_slot(writable);
    while !REGIONS[slot].load(Ordering::Relaxed).is_null() {
        slot = (slot + 1) % REGION_SLOTS;
    }
    REGIONS[slot].store(region as *const Region as *mut Region, Ordering::Release);
    *regions += 1;
    Some(
        region
            .blocks
            .iter()
            .enumerate()
            .rev()
            .map(|(i, block)| FreeBlock {
                writable: writable + i * class,
                executable: executable + i * class,
                block,
            })
            .collect(),
    )
}

/// A free block of size class `size` from the shared list (or a new region), moving
/// up to half a thread cache more into `cache` when there is one.
#[cold]
fn take_shared(size: usize, cache: Option<&mut Vec<FreeBlock>>) -> Option<FreeBlock> {
    let mut free = lock(&FREE[size]);
    if free.is_empty() {
        free.append(&mut new_region(size)?);
    }
    if let Some(cache) = cache {
        let keep = (free.len() - 1).min(THREAD_CACHE / 2);
        let at = free.len() - keep;
        cache.extend(free.drain(at..));
    }
    free.pop()
}

/// A free block of size class `size`: the thread's cache first (for the smallest
/// class), then the shared list, then a new region.
#[inline]
fn take_block(size: usize) -> Option<FreeBlock> {
    if size == 0 {
        let cached = CACHE.try_with(|cache| {
            let cache = &mut cache.borrow_mut().0;
            cache.pop().or_else(|| take_shared(0, Some(cache)))
        });
        if let Ok(block) = cached {
            return block;
        }
    }
    take_shared(size, None)
}

/// Returns a block of size class `size` to the free blocks.
#[inline]
fn give_block(size: usize, free: FreeBlock) {
    if size == 0 {
        let cached = CACHE.try_with(|cache| {
            let cache = &mut cache.borrow_mut().0;
            if cache.len() >= THREAD_CACHE {
                give_shared(0, cache);
            }
            cache.push(free);
        });
        if cached.is_ok() {
            return;
        }
    }
    lock(&FREE[size]).push(free);
}

/// Moves half of a full thread cache to the shared list.
#[cold]
fn give_shared(size: usize, cache: &mut Vec<FreeBlock>) {
    let at = cache.len() - THREAD_CACHE / 2;
    lock(&FREE[size]).extend(cache.drain(at..));
}

/// libffi's `ffi_closure_alloc`: `size` bytes of closure memory; returns the
/// writable address and stores the executable address of the same bytes at `code`.
/// The first [`FFI_TRAMPOLINE_SIZE`] bytes are `int3` until a closure is prepared
/// there; the rest are zero.
///
/// # Safety
/// `code` is null or writable.
#[no_mangle]
pub unsafe extern "C" fn ffi_closure_alloc(size: usize, code: *mut *mut c_void) -> *mut c_void {
    const INT3: u64 = 0xcccc_cccc_cccc_cccc;
    let class = size.max(MIN_CLASS).next_power_of_two();
    if class > MAX_CLASS {
        return alloc_big(class, code);
    }
    let Some(free) = take_block((class / MIN_CLASS).trailing_zeros() as usize) else {
        return std::ptr::null_mut();
    };
    free.block.allocated.set(true);
    let w = free.writable;
    (w as *mut [u64; FFI_TRAMPOLINE_SIZE / 8]).write([INT3; FFI_TRAMPOLINE_SIZE / 8]);
    if class == MIN_CLASS {
        ((w + FFI_TRAMPOLINE_SIZE) as *mut [u64; (MIN_CLASS - FFI_TRAMPOLINE_SIZE) / 8])
            .write([0; (MIN_CLASS - FFI_TRAMPOLINE_SIZE) / 8]);
    } else {
        std::ptr::write_bytes(
            (w + FFI_TRAMPOLINE_SIZE) as *mut u8,
            0,
            class - FFI_TRAMPOLINE_SIZE,
        );
    }
    if !code.is_null() {
        *code = free.executable as *mut c_void;
    }
    w as *mut c_void
}

/// [`ffi_closure_alloc`] of more than [`MAX_CLASS`] bytes: a mapping of its own.
///
/// # Safety
/// As [`ffi_closure_alloc`].
#[cold]
unsafe fn alloc_big(class: usize, code: *mut *mut c_void) -> *mut c_void {
    let bytes = class.next_multiple_of(4096);
    let Some((w, x)) = map_twice(bytes, 4096) else {
        return std::ptr::null_mut();
    };
    lock(big()).insert(w, (x, bytes));
    std::ptr::write_bytes(w as *mut u8, 0xcc, FFI_TRAMPOLINE_SIZE);
    if !code.is_null() {
        *code = x as *mut c_void;
    }
    w as *mut c_void
}

/// libffi's `ffi_closure_free`: frees memory from [`ffi_closure_alloc`]. A region
/// block keeps its closure's callback for the next closure prepared there (its
/// `tramp` becomes `int3`, so a call of the freed closure traps); the callback of a
/// closure elsewhere is freed.
///
/// # Safety
/// `ptr` is null or a writable address [`ffi_closure_alloc`] returned, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ffi_closure_free(ptr: *mut c_void) {
    let at = ptr as usize;
    let Some(region) = region_of(at) else {
        return free_elsewhere(ptr);
    };
    let Some(block) = region.block(at) else {
        return;
    };
    if !block.allocated.replace(false) {
        return;
    }
    (ptr as *mut [u8; FFI_TRAMPOLINE_SIZE]).write([0xcc; FFI_TRAMPOLINE_SIZE]);
    block.armed.set(false);
    let free = FreeBlock {
        writable: at,
        executable: region.executable + (at - region.writable),
        block,
    };
    give_block(
        region.shift as usize - MIN_CLASS.trailing_zeros() as usize,
        free,
    );
}

/// [`ffi_closure_free`] of memory outside the regions: a big block, or (ignored)
/// memory [`ffi_closure_alloc`] did not return; frees the callback of a closure
/// prepared there.
///
/// # Safety
/// As [`ffi_closure_free`].
#[cold]
unsafe fn free_elsewhere(ptr: *mut c_void) {
    if ptr.is_null() {
        return;
    }
    drop(lock(live()).remove(&(ptr as usize)));
    if let Some((x, bytes)) = lock(big()).remove(&(ptr as usize)) {
        libc::munmap(ptr, bytes);
        libc::munmap(x as *mut c_void, bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ffi_prep_cif, ffi_type, ffi_type_double, ffi_type_sint32, FFI_DEFAULT_ABI};

    /// Held by every test here: they share the process's closure memory, and some
    /// check which blocks come back.
    static SERIAL: Mutex<()> = Mutex::new(());

    fn serial() -> std::sync::MutexGuard<'static, ()> {
        lock(&SERIAL)
    }

    fn ty(t: &'static ffi_type) -> *mut ffi_type {
        t as *const ffi_type as *mut ffi_type
    }

    /// A prepared cif of `(t, t) -> t`, leaked (closures keep a pointer to it).
    fn cif_of(t: &'static ffi_type) -> *mut ffi_cif {
        let args = Box::leak(Box::new([ty(t), ty(t)]));
        let cif = Box::leak(Box::new(ffi_cif::default()));
        // SAFETY: valid types, a writable cif.
        let status = unsafe { ffi_prep_cif(cif, FFI_DEFAULT_ABI, 2, ty(t), args.as_mut_ptr()) };
        assert_eq!(status, FFI_OK);
        cif
    }

    /// Adds two `i32`s, plus the `i32` at `user_data`.
    unsafe extern "C-unwind" fn add_ints(
        _: *mut ffi_cif,
        result: *mut c_void,
        args: *mut *mut c_void,
        user_data: *mut c_void,
    ) {
        let sum =
            *(*args as *const i32) + *(*args.add(1) as *const i32) + *(user_data as *const i32);
        *(result as *mut u64) = sum as i64 as u64;
    }

    /// Multiplies two `f64`s.
    unsafe extern "C-unwind" fn mul_doubles(
        _: *mut ffi_cif,
        result: *mut c_void,
        args: *mut *mut c_void,
        _: *mut c_void,
    ) {
        *(result as *mut f64) = *(*args as *const f64) * *(*args.add(1) as *const f64);
    }

    /// A closure block: (writable, executable).
    fn alloc() -> (*mut ffi_closure, *mut c_void) {
        let mut code = std::ptr::null_mut();
        // SAFETY: `code` is writable.
        let closure = unsafe { ffi_closure_alloc(std::mem::size_of::<ffi_closure>(), &mut code) };
        assert!(!closure.is_null() && !code.is_null());
        (closure as *mut ffi_closure, code)
    }

    fn prep_add(closure: *mut ffi_closure, code: *mut c_void, extra: &'static i32) {
        // SAFETY: an allocated closure, a prepared cif that is never freed.
        let status = unsafe {
            ffi_prep_closure_loc(
                closure,
                cif_of(&ffi_type_sint32),
                Some(add_ints),
                extra as *const i32 as *mut c_void,
                code,
            )
        };
        assert_eq!(status, FFI_OK);
    }

    fn call_ints(code: *mut c_void, a: i32, b: i32) -> i32 {
        // SAFETY: a closure prepared for `(i32, i32) -> i32`.
        let f = unsafe { std::mem::transmute::<*mut c_void, extern "C" fn(i32, i32) -> i32>(code) };
        f(a, b)
    }

    #[test]
    fn a_freed_block_is_int3_and_comes_back_with_its_callback() {
        let _serial = serial();
        let (closure, code) = alloc();
        // SAFETY: the block's first bytes, readable at both addresses.
        let tramp = |at: *const c_void| unsafe { *(at as *const [u8; FFI_TRAMPOLINE_SIZE]) };
        assert_eq!(
            tramp(code),
            [0xcc; FFI_TRAMPOLINE_SIZE],
            "int3 until prepared"
        );
        prep_add(closure, code, &100);
        assert_eq!(call_ints(code, 2, 3), 105);
        let armed = tramp(code);
        assert_ne!(armed, [0xcc; FFI_TRAMPOLINE_SIZE]);
        // SAFETY: allocated above, freed once.
        unsafe { ffi_closure_free(closure as *mut c_void) };
        assert_eq!(
            tramp(code),
            [0xcc; FFI_TRAMPOLINE_SIZE],
            "a freed closure traps"
        );
        // The thread's cache hands the block back first, and the same signature
        // reuses its callback: the same jump.
        let (again, again_code) = alloc();
        assert_eq!((again, again_code), (closure, code));
        assert_eq!(tramp(code), [0xcc; FFI_TRAMPOLINE_SIZE]);
        prep_add(again, again_code, &1000);
        assert_eq!(tramp(code), armed);
        assert_eq!(call_ints(code, 2, 3), 1005);
        // SAFETY: allocated above, freed once.
        unsafe { ffi_closure_free(again as *mut c_void) };
    }

    #[test]
    fn a_block_prepared_for_another_signature_calls_as_that_one() {
        let _serial = serial();
        let (closure, code) = alloc();
        prep_add(closure, code, &0);
        assert_eq!(call_ints(code, 20, 22), 42);
        // SAFETY: the allocated closure, a prepared cif.
        let status = unsafe {
            ffi_prep_closure_loc(
                closure,
                cif_of(&ffi_type_double),
                Some(mul_doubles),
                std::ptr::null_mut(),
                code,
            )
        };
        assert_eq!(status, FFI_OK);
        // SAFETY: prepared for `(f64, f64) -> f64`.
        let f = unsafe { std::mem::transmute::<*mut c_void, extern "C" fn(f64, f64) -> f64>(code) };
        assert_eq!(f(1.5, 4.0), 6.0);
        prep_add(closure, code, &1);
        assert_eq!(call_ints(code, 20, 22), 43);
        // SAFETY: allocated above, freed once.
        unsafe { ffi_closure_free(closure as *mut c_void) };
    }

    #[test]
    fn a_cif_that_failed_to_prepare_prepares_no_closure() {
        let _serial = serial();
        let (closure, code) = alloc();
        let mut args = [ty(&crate::ffi_type_void)];
        let mut bad = ffi_cif::default();
        // SAFETY: a writable cif; `void` is not an argument type.
        let status = unsafe {
            ffi_prep_cif(
                &mut bad,
                FFI_DEFAULT_ABI,
                1,
                ty(&ffi_type_sint32),
                args.as_mut_ptr(),
            )
        };
        assert_ne!(status, FFI_OK);
        // That cif, and one of garbage whose fields equal a new block's state.
        let mut garbage = ffi_cif {
            abi: 0,
            flags: u32::MAX,
            ..bad
        };
        for cif in [&mut bad as *mut ffi_cif, &mut garbage] {
            for _ in 0..2 {
                // SAFETY: an allocated closure; the cif is the case under test.
                let status = unsafe {
                    ffi_prep_closure_loc(closure, cif, Some(add_ints), std::ptr::null_mut(), code)
                };
                assert_ne!(status, FFI_OK);
            }
        }
        // SAFETY: allocated above, freed once.
        unsafe { ffi_closure_free(closure as *mut c_void) };
    }

    #[test]
    fn a_second_free_of_a_block_is_ignored() {
        let _serial = serial();
        let (closure, _) = alloc();
        // SAFETY: allocated above; the second free is the case under test.
        unsafe {
            ffi_closure_free(closure as *mut c_void);
            ffi_closure_free(closure as *mut c_void);
        }
        let (first, _) = alloc();
        let (second, _) = alloc();
        assert_ne!(first, second, "a block handed out twice");
        // SAFETY: allocated above, freed once each.
        unsafe {
            ffi_closure_free(first as *mut c_void);
            ffi_closure_free(second as *mut c_void);
        }
    }

    #[test]
    fn blocks_freed_by_another_thread_are_handed_out_again_once() {
        let _serial = serial();
        let blocks: Vec<usize> = (0..300).map(|_| alloc().0 as usize).collect();
        let freed = blocks.clone();
        std::thread::spawn(move || {
            for at in freed {
                // SAFETY: allocated by the parent, freed once here.
                unsafe { ffi_closure_free(at as *mut c_void) };
            }
        })
        .join()
        .unwrap();
        // The thread's cache went back to the shared list when it ended.
        let again: Vec<usize> = (0..600).map(|_| alloc().0 as usize).collect();
        let distinct: std::collections::HashSet<_> = again.iter().collect();
        assert_eq!(distinct.len(), again.len(), "a block handed out twice");
        assert!(blocks.iter().all(|at| distinct.contains(at)), "blocks lost");
        for at in again {
            // SAFETY: allocated above, freed once.
            unsafe { ffi_closure_free(at as *mut c_void) };
        }
    }

    #[test]
    fn blocks_of_every_class_and_big_ones_call_and_free() {
        let _serial = serial();
        for size in [1, 64, 65, 200, 4096, 4097, 100_000] {
            let mut code = std::ptr::null_mut();
            // SAFETY: `code` is writable.
            let closure = unsafe { ffi_closure_alloc(size, &mut code) } as *mut ffi_closure;
            assert!(!closure.is_null(), "{size} bytes");
            // SAFETY: the block's bytes after the trampoline are the caller's.
            let rest = unsafe {
                std::slice::from_raw_parts(
                    (closure as *const u8).add(FFI_TRAMPOLINE_SIZE),
                    size.saturating_sub(FFI_TRAMPOLINE_SIZE),
                )
            };
            assert!(rest.iter().all(|&b| b == 0), "{size} bytes zeroed");
            prep_add(closure, code, &7);
            assert_eq!(call_ints(code, 1, 2), 10, "{size} bytes");
            // SAFETY: allocated above, freed once.
            unsafe { ffi_closure_free(closure as *mut c_void) };
        }
    }

    #[test]
    fn no_closure_memory_is_writable_and_executable() {
        let _serial = serial();
        let (closure, code) = alloc();
        prep_add(closure, code, &0);
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
        let wx: Vec<&str> = maps
            .lines()
            .filter(|l| {
                l.split_whitespace()
                    .nth(1)
                    .is_some_and(|p| p.contains('w') && p.contains('x'))
            })
            .collect();
        assert!(wx.is_empty(), "writable and executable: {wx:?}");
        let executable = maps.lines().find(|l| {
            let range = l.split_whitespace().next().unwrap();
            let (lo, hi) = range.split_once('-').unwrap();
            let (lo, hi) = (
                usize::from_str_radix(lo, 16).unwrap(),
                usize::from_str_radix(hi, 16).unwrap(),
            );
            (lo..hi).contains(&(code as usize))
        });
        assert!(
            executable.is_some_and(|l| l.contains("r-x")),
            "{executable:?}"
        );
        // SAFETY: allocated above, freed once.
        unsafe { ffi_closure_free(closure as *mut c_void) };
    }
}
