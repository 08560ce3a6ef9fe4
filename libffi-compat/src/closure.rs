//! Closures: `ffi_closure_alloc`/`ffi_closure_free`, `ffi_prep_closure_loc`, the
//! deprecated `ffi_prep_closure`, and Go closures.
//!
//! A closure's code is a springboard callback in libffi's layout
//! ([`springboard::ArgLayout::Pointers`]) whose context is the closure. Its handler
//! reads the closure's `cif`, `fun` and `user_data` when called (as libffi does) and
//! hands `fun` the callback's own array of argument pointers. The closure's `tramp` field holds an absolute jump to the
//! callback's code, so that calling the closure's own code address runs it.

use crate::engine;
use crate::{binding, ffi_cif, ffi_status, FFI_BAD_ABI, FFI_BAD_TYPEDEF, FFI_OK};
use springboard::{Callback, Target};
use std::collections::HashMap;
use std::ffi::c_void;
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

/// A callback handle, kept alive in the registry while its closure lives.
struct Live(#[allow(dead_code)] Callback);

// SAFETY: a callback handle only frees its instance when dropped; the registry owns
// it and drops it under its lock.
unsafe impl Send for Live {}

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

/// A springboard callback for `cif` calling `handler` with `context`.
///
/// # Safety
/// `cif` is valid.
unsafe fn callback_for(
    cif: *mut ffi_cif,
    handler: UnwindingHandler,
    context: *mut c_void,
) -> Result<Callback, ffi_status> {
    if cif.is_null() {
        return Err(FFI_BAD_TYPEDEF);
    }
    // libffi checks the ABI again: a caller may change it after preparing.
    crate::convention((*cif).abi)?;
    let binding = binding(&*cif).ok_or(FFI_BAD_TYPEDEF)?;
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
    let mut live = live().lock().unwrap_or_else(|e| e.into_inner());
    live.insert(closure as usize, Live(callback));
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
    let mut live = live().lock().unwrap_or_else(|e| e.into_inner());
    live.insert(closure as usize, Live(callback));
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

/// Closure memory: pages mapped twice from one shared memory object, writable at one
/// address and executable at another.
struct Pool {
    /// Free blocks of each size class: (writable, executable).
    free: HashMap<usize, Vec<(usize, usize)>>,
    /// The executable address and size class of every block handed out, by its
    /// writable address.
    used: HashMap<usize, (usize, usize)>,
}

fn pool() -> &'static Mutex<Pool> {
    static POOL: OnceLock<Mutex<Pool>> = OnceLock::new();
    POOL.get_or_init(|| {
        Mutex::new(Pool {
            free: HashMap::new(),
            used: HashMap::new(),
        })
    })
}

/// Bytes mapped at a time.
const REGION: usize = 64 * 1024;

/// Maps a region twice; returns (writable, executable) base addresses.
fn map_region(size: usize) -> Option<(usize, usize)> {
    // SAFETY: plain system calls on a descriptor this function owns.
    unsafe {
        let fd = libc::memfd_create(c"springboard-ffi-closures".as_ptr(), libc::MFD_CLOEXEC);
        if fd < 0 {
            return None;
        }
        let mapped = (|| {
            if libc::ftruncate(fd, size as libc::off_t) != 0 {
                return None;
            }
            let map = |prot| {
                let p = libc::mmap(std::ptr::null_mut(), size, prot, libc::MAP_SHARED, fd, 0);
                (p != libc::MAP_FAILED).then_some(p as usize)
            };
            let writable = map(libc::PROT_READ | libc::PROT_WRITE)?;
            match map(libc::PROT_READ | libc::PROT_EXEC) {
                Some(executable) => Some((writable, executable)),
                None => {
                    libc::munmap(writable as *mut c_void, size);
                    None
                }
            }
        })();
        libc::close(fd);
        mapped
    }
}

/// libffi's `ffi_closure_alloc`: `size` bytes of closure memory; returns the
/// writable address and stores the executable address of the same bytes at `code`.
///
/// # Safety
/// `code` is null or writable.
#[no_mangle]
pub unsafe extern "C" fn ffi_closure_alloc(size: usize, code: *mut *mut c_void) -> *mut c_void {
    let class = size.max(1).next_multiple_of(64);
    let mut pool = pool().lock().unwrap_or_else(|e| e.into_inner());
    let free = pool.free.entry(class).or_default();
    if free.is_empty() {
        let region = REGION.max(class.next_multiple_of(4096));
        let Some((w, x)) = map_region(region) else {
            return std::ptr::null_mut();
        };
        free.extend(
            (0..region / class)
                .rev()
                .map(|i| (w + i * class, x + i * class)),
        );
    }
    let Some((w, x)) = free.pop() else {
        return std::ptr::null_mut();
    };
    pool.used.insert(w, (x, class));
    std::ptr::write_bytes(w as *mut u8, 0, class);
    if !code.is_null() {
        *code = x as *mut c_void;
    }
    w as *mut c_void
}

/// libffi's `ffi_closure_free`: frees memory from [`ffi_closure_alloc`] (and the
/// closure's callback).
///
/// # Safety
/// `ptr` is null or a writable address [`ffi_closure_alloc`] returned, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ffi_closure_free(ptr: *mut c_void) {
    if ptr.is_null() {
        return;
    }
    let callback = live()
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .remove(&(ptr as usize));
    drop(callback);
    let mut pool = pool().lock().unwrap_or_else(|e| e.into_inner());
    if let Some((x, class)) = pool.used.remove(&(ptr as usize)) {
        pool.free.entry(class).or_default().push((ptr as usize, x));
    }
}
