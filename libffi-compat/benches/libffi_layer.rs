//! The libffi layer against the system libffi, in one process: `ffi_prep_cif` of a
//! known signature, `ffi_call`, closure calls, closure creation (alloc + prep + free,
//! and a re-prepare of a closure kept alive) for `(i32, i32) -> i32`, six doubles, 12
//! mixed arguments and `{f64, f64}` by value, and the first `ffi_call` of a
//! never-seen signature.
//!
//! Both libraries are loaded with `dlopen(RTLD_LOCAL)` from their files (the drop-in
//! also with `RTLD_DEEPBIND`), so neither is in the global scope and neither can
//! interpose on the other's symbols; [`Lib::load`] proves which file every function
//! came from (`dladdr`), and that the drop-in's own references bind inside it.
//!
//! `cargo bench -p springboard-libffi --bench libffi_layer`: criterion groups, then an
//! interleaved comparison (drop-in and system libffi measured in turn, round after
//! round) with the issue-13 targets; `SPRINGBOARD_COMPARE=1` runs only the comparison.
//! `SPRINGBOARD_CALLGRIND=<case>:<variant>` runs one operation in
//! `report::callgrind_loop` for `scripts/callgrind-libffi.sh`. Under `cargo test
//! --benches` every benchmark runs once, after each variant's result was checked.

#[path = "../../benches/support/report.rs"]
mod report;

use criterion::{BatchSize, Criterion};
use std::ffi::{c_void, CStr, CString};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// libffi's `ffi_type` (x86-64).
#[repr(C)]
struct FfiType {
    size: usize,
    alignment: u16,
    type_: u16,
    elements: *mut *mut FfiType,
}

/// libffi's `ffi_cif` (x86-64, 32 bytes).
#[repr(C)]
struct Cif {
    abi: u32,
    nargs: u32,
    arg_types: *mut *mut FfiType,
    rtype: *mut FfiType,
    bytes: u32,
    flags: u32,
}

impl Cif {
    /// A cif for `ffi_prep_cif` to fill.
    fn empty() -> Cif {
        Cif {
            abi: 0,
            nargs: 0,
            arg_types: std::ptr::null_mut(),
            rtype: std::ptr::null_mut(),
            bytes: 0,
            flags: 0,
        }
    }
}

/// libffi's `ffi_closure` (x86-64): 32 trampoline bytes, then cif, fun, user_data.
const CLOSURE_SIZE: usize = 56;
const FFI_TYPE_STRUCT: u16 = 13;
const FFI_DEFAULT_ABI: u32 = 2;

type PrepCif = unsafe extern "C" fn(*mut Cif, u32, u32, *mut FfiType, *mut *mut FfiType) -> u32;
type Call = unsafe extern "C" fn(*mut Cif, *const c_void, *mut c_void, *mut *mut c_void);
type ClosureFun = unsafe extern "C" fn(*mut Cif, *mut c_void, *mut *mut c_void, *mut c_void);
type ClosureAlloc = unsafe extern "C" fn(usize, *mut *mut c_void) -> *mut c_void;
type ClosureFree = unsafe extern "C" fn(*mut c_void);
type PrepClosureLoc =
    unsafe extern "C" fn(*mut c_void, *mut Cif, ClosureFun, *mut c_void, *mut c_void) -> u32;

/// One libffi, loaded from its file: its functions and type objects.
struct Lib {
    name: &'static str,
    prep_cif: PrepCif,
    call: Call,
    closure_alloc: ClosureAlloc,
    closure_free: ClosureFree,
    prep_closure_loc: PrepClosureLoc,
    sint32: *mut FfiType,
    sint64: *mut FfiType,
    uint8: *mut FfiType,
    uint16: *mut FfiType,
    float: *mut FfiType,
    double: *mut FfiType,
    pointer: *mut FfiType,
    _library: libloading::os::unix::Library,
}

/// The file an address belongs to (`dladdr`).
fn file_of(address: *const c_void) -> PathBuf {
    let mut info: libc::Dl_info = unsafe { std::mem::zeroed() };
    // SAFETY: dladdr only reads the address and fills `info`.
    let found = unsafe { libc::dladdr(address, &mut info) };
    assert!(
        found != 0 && !info.dli_fname.is_null(),
        "{address:?} is in no object"
    );
    // SAFETY: dladdr's file name is a C string.
    let name = unsafe { CStr::from_ptr(info.dli_fname) };
    std::fs::canonicalize(name.to_str().unwrap()).unwrap()
}

impl Lib {
    /// Loads the libffi at `path` (with `deepbind`, its own symbols first for its own
    /// references) and checks that every symbol taken from it lies in that file.
    fn load(name: &'static str, path: &Path, deepbind: bool) -> Lib {
        let mut flags = libc::RTLD_NOW | libc::RTLD_LOCAL;
        if deepbind {
            flags |= libc::RTLD_DEEPBIND;
        }
        // SAFETY: loading a libffi runs no code of interest beyond its initialisers.
        let library = unsafe { libloading::os::unix::Library::open(Some(path), flags) }
            .unwrap_or_else(|e| panic!("loading {}: {e}", path.display()));
        let file = std::fs::canonicalize(path).unwrap();
        let symbol = |symbol: &str| -> *mut c_void {
            let c = CString::new(symbol).unwrap();
            // SAFETY: only the address is taken.
            let address = unsafe { library.get::<*mut c_void>(c.as_bytes_with_nul()) }
                .unwrap_or_else(|e| panic!("{symbol} in {}: {e}", path.display()));
            let address = *address;
            assert_eq!(
                file_of(address),
                file,
                "{symbol} of {name} came from another file"
            );
            address
        };
        // SAFETY (every transmute): the symbols are libffi 3.4's functions of these
        // C types.
        unsafe {
            Lib {
                name,
                prep_cif: std::mem::transmute::<*mut c_void, PrepCif>(symbol("ffi_prep_cif")),
                call: std::mem::transmute::<*mut c_void, Call>(symbol("ffi_call")),
                closure_alloc: std::mem::transmute::<*mut c_void, ClosureAlloc>(symbol(
                    "ffi_closure_alloc",
                )),
                closure_free: std::mem::transmute::<*mut c_void, ClosureFree>(symbol(
                    "ffi_closure_free",
                )),
                prep_closure_loc: std::mem::transmute::<*mut c_void, PrepClosureLoc>(symbol(
                    "ffi_prep_closure_loc",
                )),
                sint32: symbol("ffi_type_sint32").cast(),
                sint64: symbol("ffi_type_sint64").cast(),
                uint8: symbol("ffi_type_uint8").cast(),
                uint16: symbol("ffi_type_uint16").cast(),
                float: symbol("ffi_type_float").cast(),
                double: symbol("ffi_type_double").cast(),
                pointer: symbol("ffi_type_pointer").cast(),
                _library: library,
            }
        }
    }
}

/// The drop-in beside this bench's executable (`target/<profile>/libffi.so`), built
/// first (benches link the library as an rlib only; cargo's build lock is free while
/// they run).
fn drop_in_path() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let profile = exe.parent().and_then(Path::parent).unwrap();
    let mut build = std::process::Command::new(env!("CARGO"));
    build.args(["build", "--locked", "-p", "springboard-libffi", "--lib"]);
    if profile.file_name().is_some_and(|name| name == "release") {
        build.arg("--release");
    }
    assert!(
        build.status().unwrap().success(),
        "building the drop-in failed"
    );
    let path = profile.join("libffi.so");
    assert!(path.exists(), "the drop-in is built at {}", path.display());
    path
}

/// The system's libffi 3.4.
fn system_path() -> PathBuf {
    [
        "/lib/x86_64-linux-gnu/libffi.so.8",
        "/usr/lib/x86_64-linux-gnu/libffi.so.8",
    ]
    .into_iter()
    .map(PathBuf::from)
    .find(|p| p.exists())
    .expect("the system libffi.so.8 (Debian libffi8)")
}

/// Loads both and proves they are two libraries: the drop-in has springboard's
/// version symbol and the system libffi has not, and the drop-in's own reference to
/// `ffi_type_float` (in `ffi_type_complex_float`'s elements) binds to its own object.
fn load_both() -> [Lib; 2] {
    let drop_in_file = drop_in_path();
    let drop_in = Lib::load("springboard", &drop_in_file, true);
    let system = Lib::load("libffi", &system_path(), false);
    // SAFETY: the symbols are taken, not called, except the version string getter.
    unsafe {
        let lib = libloading::os::unix::Library::open(
            Some(&drop_in_file),
            libc::RTLD_NOW | libc::RTLD_LOCAL | libc::RTLD_DEEPBIND,
        )
        .unwrap();
        let version = lib
            .get::<unsafe extern "C" fn() -> *const std::ffi::c_char>(
                b"springboard_libffi_version\0",
            )
            .expect("the drop-in has its version symbol");
        assert!(CStr::from_ptr(version())
            .to_str()
            .unwrap()
            .starts_with("springboard"));
        let complex = *lib
            .get::<*const FfiType>(b"ffi_type_complex_float\0")
            .unwrap();
        assert_eq!(
            *(*complex).elements,
            drop_in.float,
            "the drop-in's own ffi_type_float"
        );
        let system_lib = libloading::os::unix::Library::open(
            Some(system_path()),
            libc::RTLD_NOW | libc::RTLD_LOCAL,
        )
        .unwrap();
        assert!(system_lib
            .get::<*const c_void>(b"springboard_libffi_version\0")
            .is_err());
    }
    assert_ne!(drop_in.call as usize, system.call as usize);
    [drop_in, system]
}

#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
struct Pair {
    a: f64,
    b: f64,
}

extern "C" fn add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

extern "C" fn sum6(a: f64, b: f64, c: f64, d: f64, e: f64, f: f64) -> f64 {
    a + b + c + d + e + f
}

type Mixed12 =
    extern "C" fn(i32, f64, i64, f32, *const u8, u8, i32, f64, i64, f32, u16, i64) -> i64;

#[allow(clippy::too_many_arguments)]
extern "C" fn mixed12(
    a: i32,
    b: f64,
    c: i64,
    d: f32,
    e: *const u8,
    f: u8,
    g: i32,
    h: f64,
    i: i64,
    j: f32,
    k: u16,
    l: i64,
) -> i64 {
    a as i64
        + b as i64
        + c
        + d as i64
        + e as i64
        + f as i64
        + g as i64
        + h as i64
        + i
        + j as i64
        + k as i64
        + l
}

extern "C" fn swap(p: Pair) -> Pair {
    Pair { a: p.b, b: p.a }
}

/// The benchmarked signatures.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Case {
    Add,
    Sum6,
    Mixed12,
    Pair,
}

const CASES: [Case; 4] = [Case::Add, Case::Sum6, Case::Mixed12, Case::Pair];

impl Case {
    fn name(self) -> &'static str {
        match self {
            Case::Add => "(i32, i32) -> i32",
            Case::Sum6 => "six f64 -> f64",
            Case::Mixed12 => "12 mixed -> i64",
            Case::Pair => "({f64, f64}) -> {f64, f64}",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Case::Add => "add",
            Case::Sum6 => "sum6",
            Case::Mixed12 => "mixed12",
            Case::Pair => "pair",
        }
    }
}

/// Argument values, in memory that `avalue` points into.
#[repr(C)]
struct Values {
    i: [i32; 2],
    d: [f64; 6],
    l: [i64; 3],
    f: [f32; 2],
    p: *const u8,
    b: u8,
    h: u16,
    pair: Pair,
}

/// One signature prepared on one library: its types, a prepared cif, argument
/// pointers, and a closure of the signature kept alive.
struct Prepared<'a> {
    lib: &'a Lib,
    case: Case,
    rtype: *mut FfiType,
    atypes: Vec<*mut FfiType>,
    cif: Box<Cif>,
    _pair_type: Box<FfiType>,
    _pair_elements: Box<[*mut FfiType; 3]>,
    values: Box<Values>,
    avalue: Vec<*mut c_void>,
    closure: *mut c_void,
    closure_code: *mut c_void,
}

impl<'a> Prepared<'a> {
    fn new(lib: &'a Lib, case: Case) -> Box<Prepared<'a>> {
        let mut pair_elements = Box::new([lib.double, lib.double, std::ptr::null_mut()]);
        let mut pair_type = Box::new(FfiType {
            size: 0,
            alignment: 0,
            type_: FFI_TYPE_STRUCT,
            elements: pair_elements.as_mut_ptr(),
        });
        let pair: *mut FfiType = &mut *pair_type;
        let mut values = Box::new(Values {
            i: [20, 22],
            d: [1.5, 2.25, -3.0, 4.0, 5.5, 6.75],
            l: [1 << 40, -7, 99],
            f: [2.5, -1.5],
            p: 0x1000 as *const u8,
            b: 200,
            h: 60000,
            pair: Pair { a: 1.25, b: -8.5 },
        });
        let v = &mut *values;
        let ptr = |p: *mut u8| p.cast::<c_void>();
        let (rtype, atypes, avalue): (*mut FfiType, Vec<*mut FfiType>, Vec<*mut c_void>) =
            match case {
                Case::Add => (
                    lib.sint32,
                    vec![lib.sint32; 2],
                    vec![
                        ptr((&mut v.i[0] as *mut i32).cast()),
                        ptr((&mut v.i[1] as *mut i32).cast()),
                    ],
                ),
                Case::Sum6 => (
                    lib.double,
                    vec![lib.double; 6],
                    (0..6)
                        .map(|k| ptr((&mut v.d[k] as *mut f64).cast()))
                        .collect(),
                ),
                Case::Mixed12 => (
                    lib.sint64,
                    vec![
                        lib.sint32,
                        lib.double,
                        lib.sint64,
                        lib.float,
                        lib.pointer,
                        lib.uint8,
                        lib.sint32,
                        lib.double,
                        lib.sint64,
                        lib.float,
                        lib.uint16,
                        lib.sint64,
                    ],
                    vec![
                        ptr((&mut v.i[0] as *mut i32).cast()),
                        ptr((&mut v.d[0] as *mut f64).cast()),
                        ptr((&mut v.l[0] as *mut i64).cast()),
                        ptr((&mut v.f[0] as *mut f32).cast()),
                        ptr((&mut v.p as *mut *const u8).cast()),
                        ptr(&mut v.b),
                        ptr((&mut v.i[1] as *mut i32).cast()),
                        ptr((&mut v.d[1] as *mut f64).cast()),
                        ptr((&mut v.l[1] as *mut i64).cast()),
                        ptr((&mut v.f[1] as *mut f32).cast()),
                        ptr((&mut v.h as *mut u16).cast()),
                        ptr((&mut v.l[2] as *mut i64).cast()),
                    ],
                ),
                Case::Pair => (
                    pair,
                    vec![pair],
                    vec![ptr((&mut v.pair as *mut Pair).cast())],
                ),
            };
        let mut prepared = Box::new(Prepared {
            lib,
            case,
            rtype,
            atypes,
            cif: Box::new(Cif::empty()),
            _pair_type: pair_type,
            _pair_elements: pair_elements,
            values,
            avalue,
            closure: std::ptr::null_mut(),
            closure_code: std::ptr::null_mut(),
        });
        assert_eq!(prepared.prep(), 0, "{} prepares {}", lib.name, case.name());
        let (closure, code) = prepared.new_closure();
        prepared.closure = closure;
        prepared.closure_code = code;
        prepared
    }

    /// `ffi_prep_cif` of the signature (the operation the prep benchmark times).
    #[inline(always)]
    fn prep(&mut self) -> u32 {
        // SAFETY: the types are valid; the cif is writable.
        unsafe {
            (self.lib.prep_cif)(
                &mut *self.cif,
                FFI_DEFAULT_ABI,
                self.atypes.len() as u32,
                self.rtype,
                self.atypes.as_mut_ptr(),
            )
        }
    }

    fn callee(&self) -> *const c_void {
        match self.case {
            Case::Add => add as *const c_void,
            Case::Sum6 => sum6 as *const c_void,
            Case::Mixed12 => mixed12 as *const c_void,
            Case::Pair => swap as *const c_void,
        }
    }

    /// One `ffi_call` of the callee; returns the result's first 16 bytes.
    #[inline(always)]
    fn call(&mut self) -> [u64; 2] {
        let mut result = [0u64; 2];
        // SAFETY: the cif is prepared for the callee's signature; avalue points to
        // values of its types; the result place holds 16 bytes.
        unsafe {
            (self.lib.call)(
                &mut *self.cif,
                self.callee(),
                result.as_mut_ptr().cast(),
                self.avalue.as_mut_ptr(),
            )
        };
        result
    }

    /// What the callee returns, as `call` gives it.
    fn expected(&self) -> [u64; 2] {
        let v = &self.values;
        match self.case {
            Case::Add => [add(v.i[0], v.i[1]) as i64 as u64, 0],
            Case::Sum6 => [
                sum6(v.d[0], v.d[1], v.d[2], v.d[3], v.d[4], v.d[5]).to_bits(),
                0,
            ],
            Case::Mixed12 => [
                mixed12(
                    v.i[0], v.d[0], v.l[0], v.f[0], v.p, v.b, v.i[1], v.d[1], v.l[1], v.f[1], v.h,
                    v.l[2],
                ) as u64,
                0,
            ],
            Case::Pair => {
                let p = swap(v.pair);
                [p.a.to_bits(), p.b.to_bits()]
            }
        }
    }

    /// A closure of the signature computing what the callee does.
    fn new_closure(&mut self) -> (*mut c_void, *mut c_void) {
        let mut code = std::ptr::null_mut();
        // SAFETY: libffi's closure API with a prepared cif that outlives the closure.
        unsafe {
            let closure = (self.lib.closure_alloc)(CLOSURE_SIZE, &mut code);
            assert!(!closure.is_null());
            let status = (self.lib.prep_closure_loc)(
                closure,
                &mut *self.cif,
                handler,
                self.case as usize as *mut c_void,
                code,
            );
            assert_eq!(status, 0);
            (closure, code)
        }
    }

    /// Calls the kept closure through its code pointer; returns the result as `call`.
    #[inline(always)]
    fn call_closure(&self) -> [u64; 2] {
        let code = self.closure_code;
        let v = &self.values;
        // SAFETY: the closure's code has the signature of the case.
        unsafe {
            match self.case {
                Case::Add => {
                    let f =
                        std::mem::transmute::<*mut c_void, extern "C" fn(i32, i32) -> i32>(code);
                    [f(black_box(v.i[0]), v.i[1]) as i64 as u64, 0]
                }
                Case::Sum6 => {
                    let f = std::mem::transmute::<
                        *mut c_void,
                        extern "C" fn(f64, f64, f64, f64, f64, f64) -> f64,
                    >(code);
                    [
                        f(black_box(v.d[0]), v.d[1], v.d[2], v.d[3], v.d[4], v.d[5]).to_bits(),
                        0,
                    ]
                }
                Case::Mixed12 => {
                    let f = std::mem::transmute::<*mut c_void, Mixed12>(code);
                    [
                        f(
                            black_box(v.i[0]),
                            v.d[0],
                            v.l[0],
                            v.f[0],
                            v.p,
                            v.b,
                            v.i[1],
                            v.d[1],
                            v.l[1],
                            v.f[1],
                            v.h,
                            v.l[2],
                        ) as u64,
                        0,
                    ]
                }
                Case::Pair => {
                    let f = std::mem::transmute::<*mut c_void, extern "C" fn(Pair) -> Pair>(code);
                    let p = f(black_box(v.pair));
                    [p.a.to_bits(), p.b.to_bits()]
                }
            }
        }
    }

    /// alloc + prep + free of a closure.
    #[inline(always)]
    fn create_and_free(&mut self) {
        let (closure, _) = self.new_closure();
        // SAFETY: allocated above, freed once.
        unsafe { (self.lib.closure_free)(closure) };
    }

    /// A re-prepare of the kept closure (its memory stays allocated).
    #[inline(always)]
    fn reprepare(&mut self) -> u32 {
        // SAFETY: the kept closure's memory and code, a prepared cif.
        unsafe {
            (self.lib.prep_closure_loc)(
                self.closure,
                &mut *self.cif,
                handler,
                self.case as usize as *mut c_void,
                self.closure_code,
            )
        }
    }
}

impl Drop for Prepared<'_> {
    fn drop(&mut self) {
        // SAFETY: allocated by this library, freed once.
        unsafe { (self.lib.closure_free)(self.closure) };
    }
}

/// The closures' handler: computes the case's function from libffi's argument
/// pointers, writing the result as libffi's closures do (integers widened to
/// `ffi_arg`).
unsafe extern "C" fn handler(
    _: *mut Cif,
    ret: *mut c_void,
    args: *mut *mut c_void,
    case: *mut c_void,
) {
    let arg = |i: usize| unsafe { *args.add(i) };
    unsafe {
        match case as usize {
            c if c == Case::Add as usize => {
                let r = add(*arg(0).cast::<i32>(), *arg(1).cast::<i32>());
                *ret.cast::<u64>() = r as i64 as u64;
            }
            c if c == Case::Sum6 as usize => {
                let d = |i| *arg(i).cast::<f64>();
                *ret.cast::<f64>() = sum6(d(0), d(1), d(2), d(3), d(4), d(5));
            }
            c if c == Case::Mixed12 as usize => {
                *ret.cast::<i64>() = mixed12(
                    *arg(0).cast(),
                    *arg(1).cast(),
                    *arg(2).cast(),
                    *arg(3).cast(),
                    *arg(4).cast(),
                    *arg(5).cast(),
                    *arg(6).cast(),
                    *arg(7).cast(),
                    *arg(8).cast(),
                    *arg(9).cast(),
                    *arg(10).cast(),
                    *arg(11).cast(),
                );
            }
            _ => *ret.cast::<Pair>() = swap(*arg(0).cast::<Pair>()),
        }
    }
}

/// A signature no earlier call used: eight arguments picked by the digits of `n`.
fn fresh_types(lib: &Lib, n: u64) -> Vec<*mut FfiType> {
    let pool = [
        lib.sint32,
        lib.double,
        lib.sint64,
        lib.float,
        lib.pointer,
        lib.uint16,
        lib.uint8,
    ];
    (0..10)
        .scan(n, |rest, _| {
            let t = pool[(*rest % pool.len() as u64) as usize];
            *rest /= pool.len() as u64;
            Some(t)
        })
        .collect()
}

extern "C" fn ignore_all() {}

/// Prepares a never-seen signature on `lib` and calls it once (`void` result; the
/// callee ignores its arguments).
fn first_call(lib: &Lib, n: u64, values: &mut [u64; 10]) {
    let mut types = fresh_types(lib, n);
    let mut cif = Cif::empty();
    let void = lib.sint32; // the result is ignored: any integer type will do
    let mut avalue: Vec<*mut c_void> = values.iter_mut().map(|v| (v as *mut u64).cast()).collect();
    let mut result = 0u64;
    // SAFETY: valid types; every value is 8 bytes, enough for each type.
    unsafe {
        assert_eq!(
            (lib.prep_cif)(&mut cif, FFI_DEFAULT_ABI, 10, void, types.as_mut_ptr()),
            0
        );
        (lib.call)(
            &mut cif,
            ignore_all as *const c_void,
            (&mut result as *mut u64).cast(),
            avalue.as_mut_ptr(),
        );
    }
}

/// Every signature on both libraries, each call's result checked before timing.
fn prepare_all(libs: &[Lib; 2]) -> Vec<Box<Prepared<'_>>> {
    let mut all = Vec::new();
    for case in CASES {
        for lib in libs {
            let mut p = Prepared::new(lib, case);
            let expected = p.expected();
            assert_eq!(p.call(), expected, "{} ffi_call {}", lib.name, case.name());
            assert_eq!(
                p.call_closure(),
                expected,
                "{} closure {}",
                lib.name,
                case.name()
            );
            assert_eq!(p.prep(), 0);
            assert_eq!(p.reprepare(), 0);
            p.create_and_free();
            assert_eq!(
                p.call(),
                expected,
                "{} ffi_call {} after re-preparing",
                lib.name,
                case.name()
            );
            all.push(p);
        }
    }
    all
}

/// The operations compared, by name.
const OPERATIONS: [&str; 5] = [
    "prep_cif",
    "ffi_call",
    "closure_call",
    "closure_create_free",
    "closure_reprep",
];

#[inline(always)]
fn run(p: &mut Prepared<'_>, operation: &str, n: u64) {
    match operation {
        "prep_cif" => report::repeat(n, || p.prep()),
        "ffi_call" => report::repeat(n, || p.call()),
        "closure_call" => report::repeat(n, || p.call_closure()),
        "closure_create_free" => report::repeat(n, || p.create_and_free()),
        _ => report::repeat(n, || p.reprepare()),
    }
}

fn criterion_groups(c: &mut Criterion, all: &mut [Box<Prepared<'_>>], libs: &[Lib; 2]) {
    for operation in OPERATIONS {
        let mut group = c.benchmark_group(format!("libffi_layer_{operation}"));
        group
            .measurement_time(Duration::from_secs(2))
            .warm_up_time(Duration::from_millis(500));
        for p in all.iter_mut() {
            let id = format!("{}/{}", p.case.id(), p.lib.name);
            group.bench_function(id, |b| b.iter(|| run(p, operation, 1)));
        }
        group.finish();
    }
    let mut group = c.benchmark_group("libffi_layer_first_call");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(100));
    for (k, lib) in libs.iter().enumerate() {
        let mut n = 1_000_003 * (k as u64 + 1);
        let mut values = [7u64; 10];
        group.bench_function(lib.name, |b| {
            b.iter_batched(
                || {
                    n += 1;
                    n
                },
                |n| first_call(lib, n, &mut values),
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
}

/// The interleaved comparison and the targets, as Markdown.
fn compare(all: &mut [Box<Prepared<'_>>], libs: &[Lib; 2]) -> String {
    let (rounds, turn) = report::rounds();
    let mut out = format!(
        "\n## libffi layer: the drop-in against the system libffi, interleaved ({rounds} rounds, median ns per operation)\n\n\
         | operation | signature | springboard | libffi | springboard / libffi |\n|---|---|---|---|---|\n"
    );
    let mut targets = Vec::new();
    for operation in OPERATIONS {
        for pair in all.chunks_mut(2) {
            let case = pair[0].case;
            let (a, b) = pair.split_at_mut(1);
            let (ours, theirs) = (&mut a[0], &mut b[0]);
            let mut variants: Vec<report::Variant<'_>> = vec![
                ("springboard", Box::new(|n| run(ours, operation, n))),
                ("libffi", Box::new(|n| run(theirs, operation, n))),
            ];
            let ns = report::interleaved(&mut variants, rounds, turn);
            let ratio = ns[0] / ns[1];
            out.push_str(&format!(
                "| {operation} | `{}` | {:.2} | {:.2} | {ratio:.2}× |\n",
                case.name(),
                ns[0],
                ns[1]
            ));
            let target = match (operation, case) {
                ("prep_cif", _) => Some(("≤ libffi", 1.0)),
                ("ffi_call", Case::Add) => Some(("≥ 3× faster", 1.0 / 3.0)),
                ("ffi_call", Case::Mixed12) => Some(("≥ 8× faster", 1.0 / 8.0)),
                ("closure_call", _) => Some(("≥ 3× faster", 1.0 / 3.0)),
                ("closure_create_free" | "closure_reprep", _) => Some(("≤ libffi", 1.0)),
                _ => None,
            };
            if let Some((what, limit)) = target {
                targets.push((
                    format!("{operation} `{}` {what}", case.name()),
                    format!("{ratio:.2}× ({:.1} vs {:.1} ns)", ns[0], ns[1]),
                    Some(ratio <= limit),
                ));
            }
        }
    }
    // First calls: every call a new signature (fewer rounds: each compiles).
    let mut counters = [10_000_000u64, 20_000_000u64];
    let mut values = [[7u64; 10], [7u64; 10]];
    let times: Vec<f64> = libs
        .iter()
        .zip(counters.iter_mut().zip(values.iter_mut()))
        .map(|(lib, (n, values))| {
            let count = 200;
            let start = Instant::now();
            for _ in 0..count {
                *n += 1;
                first_call(lib, *n, values);
            }
            start.elapsed().as_secs_f64() * 1e9 / count as f64
        })
        .collect();
    out.push_str(&format!(
        "| first ffi_call of a never-seen signature (prep + call, 10 arguments; 200 each, not interleaved) | – | {:.0} | {:.0} | {:.0}× |\n",
        times[0],
        times[1],
        times[0] / times[1]
    ));
    report::push_targets(&mut out, "libffi-layer targets", &targets);
    out
}

/// `SPRINGBOARD_CALLGRIND=<case>:<operation>/<lib>` (case add, sum6, mixed12, pair;
/// lib springboard or libffi): that operation in the callgrind loop.
fn callgrind(all: &mut [Box<Prepared<'_>>], spec: &str) {
    let (iterations, case, variant) = report::callgrind_request(spec);
    let (operation, lib) = variant.split_once('/').expect("<operation>/<lib>");
    let p = all
        .iter_mut()
        .find(|p| p.case.id() == case && p.lib.name == lib)
        .expect("a known case and library");
    report::callgrind_loop(iterations, || run(p, operation, 1));
}

fn main() {
    let libs = load_both();
    let mut all = prepare_all(&libs);
    if report::ran_other_mode(|spec| callgrind(&mut all, spec), || {}) {
        return;
    }
    if std::env::var_os("SPRINGBOARD_COMPARE").is_none() {
        let mut criterion = Criterion::default().configure_from_args();
        criterion_groups(&mut criterion, &mut all, &libs);
        criterion.final_summary();
    }
    if report::benchmarking() {
        println!("{}", compare(&mut all, &libs));
    } else {
        // Test mode: the first call of new signatures works on both.
        let mut values = [7u64; 10];
        for lib in &libs {
            first_call(lib, 123_456, &mut values);
        }
    }
}
