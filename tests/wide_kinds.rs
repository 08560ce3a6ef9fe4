//! `i128`/`u128`, `long double` (`f80`) and binary128 (`f128`, `__float128`) in fast
//! calls and boundaries on this machine, against gcc-compiled C (tests/c/wide_kinds.c,
//! written by scripts/gen_wide_kinds.py from tests/c/wide_kinds.sigs), in System V and
//! in Win64 (gcc's `ms_abi`).
//!
//! For every signature, each round makes gcc's `callerN` call gcc's `calleeN` directly
//! (the reference: both sides compiled by gcc) and then through each trampoline kind;
//! every result must equal the direct one:
//! - a fast call of `calleeN`, called by `fcallerN` with the entry's own layout (16-byte
//!   scalars and structs by address, narrow integers as 32 bits, 16-byte and struct
//!   results through `out`);
//! - a native entry and a native exit calling `calleeN` (every ABI value passed
//!   through: an `st0` result stays in `st0`);
//! - an array exit whose handler calls an array entry of `calleeN` with the argument
//!   array and result place it got (so the exit must deliver every wide argument and
//!   the entry place it where gcc reads it).
//!
//! The callee hashes every argument leaf (a value in the wrong register, half or stack
//! slot changes the hash) and notes the context's records; the records must describe
//! the frames around the trampolines: an exit's FP is its caller's frame and its PC
//! returns into `callerN`; an entry's FP is the frame the callee's frame links to, and
//! links to the caller's.
//!
//! libffi has no 128-bit integer type and no `__float128`, and does not call fast-call
//! entries or boundaries, so gcc is the only reference here.

mod common;

use springboard::object::{emit_object, ObjectItem};
use springboard::{
    ArrayBoundary, Convention, Engine, Error, FastCall, NativeBoundary, RawArrayEntry, Signature,
    Slot, Type,
};
use std::ffi::{c_void, CStr};
use std::sync::OnceLock;

/// Random value sets per signature, convention and kind.
const ROUNDS: usize = 30;

/// What the records hold until a trampoline writes them.
const UNTOUCHED: usize = 0x5eed_0000_dead_beef;

/// `wk_ctx` of tests/c/wide_kinds.c: the standard records at 0, 8, 16, 24.
#[repr(C)]
#[derive(Debug)]
struct Context {
    entry_sp: usize,
    entry_fp: usize,
    exit_fp: usize,
    exit_pc: usize,
    /// The four records as the callee saw them.
    seen: [usize; 4],
    caller_fp: usize,
    callee_fp: usize,
    /// The frame the callee's frame links to.
    callee_link: usize,
    /// The entry trampoline's frame record (saved FP, return address), read by the
    /// callee.
    entry_link: usize,
    entry_return: usize,
    hash: u128,
}

impl Context {
    fn new() -> Box<Context> {
        Box::new(Context {
            entry_sp: UNTOUCHED,
            entry_fp: UNTOUCHED,
            exit_fp: UNTOUCHED,
            exit_pc: UNTOUCHED,
            seen: [0; 4],
            caller_fp: 0,
            callee_fp: 0,
            callee_link: 0,
            entry_link: 0,
            entry_return: 0,
            hash: 0,
        })
    }

    fn reset(&mut self) {
        *self = *Context::new();
    }
}

/// `callerN` and `fcallerN`: call `f` (a function of signature N, or its fast-call
/// entry) with the context and arguments made from `v`.
type Caller = unsafe extern "C" fn(f: *const c_void, ctx: *mut Context, v: *const u128) -> u128;

fn library() -> &'static common::CLibrary {
    static LIBRARY: OnceLock<common::CLibrary> = OnceLock::new();
    LIBRARY.get_or_init(|| common::build_c_library("wide_kinds", include_str!("c/wide_kinds.c")))
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new().unwrap())
}

/// The signatures of tests/c/wide_kinds.sigs with x86-64's `long double`.
fn signatures() -> Vec<String> {
    include_str!("c/wide_kinds.sigs")
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| line.replace("q128", "f128").replace("ld", "f80"))
        .collect()
}

/// The name of the exported function whose code holds the return address `pc`.
fn symbol_of(pc: usize) -> Option<String> {
    // SAFETY: dladdr only reads the loader's tables; a zeroed Dl_info is valid.
    unsafe {
        let mut info: libc::Dl_info = std::mem::zeroed();
        if pc == 0
            || libc::dladdr((pc - 1) as *const c_void, &mut info) == 0
            || info.dli_sname.is_null()
        {
            return None;
        }
        Some(
            CStr::from_ptr(info.dli_sname)
                .to_string_lossy()
                .into_owned(),
        )
    }
}

/// The array exit's handler: calls the array entry of the callee with the exit's own
/// argument array and result place.
struct Chain {
    entry: RawArrayEntry,
    callee: *const c_void,
    capacity: usize,
}

unsafe extern "C" fn forward(context: *mut c_void, args: *mut Slot, result: *mut Slot) {
    // SAFETY: the context is the test's `Chain`, alive while the exit is; the argument
    // array and result place are the exit's, of the entry's signature.
    unsafe {
        let chain = &*context.cast::<Chain>();
        (chain.entry)(chain.callee, args, result, chain.capacity);
    }
}

/// Checks the exit records the callee saw: the exit FP is `callerN`'s frame, the exit PC
/// returns into it.
fn check_exit(ctx: &Context, caller: &str, what: &str) {
    let [_, _, exit_fp, exit_pc] = ctx.seen;
    assert_eq!(
        exit_fp, ctx.caller_fp,
        "{what}: exit FP is not the caller's frame"
    );
    assert_eq!(
        symbol_of(exit_pc).as_deref(),
        Some(caller),
        "{what}: exit PC {exit_pc:#x}"
    );
}

/// Checks the entry records the callee saw: the callee's frame links to the entry FP,
/// the entry SP lies between the two frames.
fn check_entry(ctx: &Context, what: &str) {
    let [entry_sp, entry_fp, _, _] = ctx.seen;
    assert_eq!(
        ctx.callee_link, entry_fp,
        "{what}: the callee's frame does not link to the entry FP"
    );
    assert!(
        ctx.callee_fp < entry_sp && entry_sp <= entry_fp,
        "{what}: entry SP {entry_sp:#x} not between the callee's frame {:#x} and the entry FP {entry_fp:#x}",
        ctx.callee_fp
    );
}

fn check_all(convention: Convention) -> usize {
    let prefix = if convention == Convention::Win64 {
        "ms_"
    } else {
        ""
    };
    let mut rng = common::Rng(common::seed(0x80f));
    let mut ctx = Context::new();
    let mut checked = 0;
    for (n, text) in signatures().iter().enumerate() {
        let signature: Signature = text
            .parse::<Signature>()
            .unwrap()
            .with_convention(convention);
        let callee = library().symbol(&format!("{prefix}callee{n}"));
        let caller_name = format!("{prefix}caller{n}");
        // SAFETY: callerN and fcallerN have the `Caller` type.
        let (caller, fcaller): (Caller, Caller) = unsafe {
            (
                library().function(&caller_name),
                library().function(&format!("{prefix}fcaller{n}")),
            )
        };
        let fast = engine()
            .fast_call(&FastCall::new(signature.clone(), callee as u64))
            .unwrap_or_else(|e| panic!("fast call {signature}: {e}"));
        let native = NativeBoundary::standard(signature.clone(), callee as u64).unwrap();
        let native_entry = engine().native_entry(&native).unwrap();
        let native_exit = engine().native_exit(&native).unwrap();
        let array = ArrayBoundary::standard(signature.clone()).unwrap();
        let array_entry = engine().array_entry(&array).unwrap();
        let mut chain = Box::new(Chain {
            entry: array_entry.as_raw(),
            callee,
            capacity: signature.params.len(),
        });
        let array_exit = engine()
            .array_exit_raw(&array, forward, (&mut *chain as *mut Chain).cast())
            .unwrap();
        for round in 0..ROUNDS {
            let what = |kind: &str| format!("{signature}, {kind}, round {round}");
            let v: Vec<u128> = (0..16)
                .map(|_| (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64()))
                .collect();
            ctx.reset();
            // SAFETY (every call below): the function has signature N (the fast entry
            // its entry signature), the context lives here, `v` holds 16 values.
            let direct = unsafe { caller(callee, &mut *ctx, v.as_ptr()) };
            assert_eq!(ctx.seen, [UNTOUCHED; 4], "{}", what("direct"));

            ctx.reset();
            let got = unsafe { fcaller(fast.code(), &mut *ctx, v.as_ptr()) };
            assert_eq!(got, direct, "{}", what("fast call"));

            ctx.reset();
            let got = unsafe { caller(native_entry.code(), &mut *ctx, v.as_ptr()) };
            assert_eq!(got, direct, "{}", what("native entry"));
            check_entry(&ctx, &what("native entry"));
            // The entry's own frame links to its caller's and returns into it.
            assert_eq!(
                ctx.entry_link,
                ctx.caller_fp,
                "{}",
                what("native entry's frame")
            );
            assert_eq!(
                symbol_of(ctx.entry_return).as_deref(),
                Some(caller_name.as_str()),
                "{}",
                what("native entry's return address")
            );

            ctx.reset();
            let got = unsafe { caller(native_exit.code(), &mut *ctx, v.as_ptr()) };
            assert_eq!(got, direct, "{}", what("native exit"));
            check_exit(&ctx, &caller_name, &what("native exit"));

            ctx.reset();
            let got = unsafe { caller(array_exit.code(), &mut *ctx, v.as_ptr()) };
            assert_eq!(got, direct, "{}", what("array exit and entry"));
            check_exit(&ctx, &caller_name, &what("array exit"));
            check_entry(&ctx, &what("array entry"));
            checked += 1;
        }
        drop(array_exit);
    }
    checked
}

#[test]
fn sysv_fast_calls_and_boundaries_carry_int128_long_double_and_float128() {
    assert_eq!(check_all(Convention::SysV), signatures().len() * ROUNDS);
}

#[test]
fn win64_fast_calls_and_boundaries_carry_int128_long_double_and_float128() {
    assert_eq!(check_all(Convention::Win64), signatures().len() * ROUNDS);
}

#[test]
fn fast_call_entries_take_wide_values_by_address_and_return_them_through_out() {
    for (text, entry) in [
        ("(ptr, i128, i8) -> i128", "(ptr, ptr, ptr, i32, ptr, ptr)"),
        ("(f80, f128) -> f80", "(ptr, ptr, ptr, ptr, ptr)"),
        ("(u128) -> f64", "(ptr, ptr, ptr) -> f64"),
    ] {
        let fast = FastCall::new(text.parse().unwrap(), 0u64);
        assert_eq!(fast.entry_signature().to_string(), entry, "{text}");
    }
}

/// A type a convention does not have is a typed error naming it, for every fast-call
/// and boundary kind (the ABI layer's rule, which every kind meets when it lowers the
/// signature).
#[test]
fn wide_types_a_convention_lacks_are_typed_errors_in_every_kind() {
    for (target, ty, text) in [
        ("aarch64-unknown-linux-gnu", Type::F80, "(ptr, f80) -> i32"),
        ("aarch64-unknown-linux-gnu", Type::F80, "(ptr, i32) -> f80"),
        (
            "riscv64gc-unknown-linux-gnu",
            Type::F80,
            "(ptr, f80, i32) -> i32",
        ),
        ("aarch64-apple-darwin", Type::F128, "(ptr, f128) -> i32"),
        ("aarch64-apple-darwin", Type::F128, "(ptr) -> f128"),
    ] {
        let target = target.parse().unwrap();
        for kind in ["fastcall(g)", "entry", "entry(g)", "exit", "exit(g)"] {
            let item: ObjectItem = format!("t={kind}:{text}").parse().unwrap();
            match emit_object(&target, &[item]) {
                Err(Error::UnsupportedType { ty: found, .. }) => {
                    assert_eq!(found, ty, "{target} {kind} {text}")
                }
                other => panic!("{target} {kind} {text}: {:?}", other.map(|b| b.len())),
            }
        }
    }
    // What the convention has compiles in every kind (Apple arm64's `__int128`; it
    // cannot run here).
    let apple = "aarch64-apple-darwin".parse().unwrap();
    for kind in ["fastcall(g)", "entry", "entry(g)", "exit", "exit(g)"] {
        let item: ObjectItem = format!("t={kind}:(ptr, i128, u128) -> i128")
            .parse()
            .unwrap();
        let object = emit_object(&apple, &[item]).unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(&object[..4], b"\xcf\xfa\xed\xfe", "{kind}: a Mach-O object");
    }
}
