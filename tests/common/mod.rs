//! Helpers shared by the integration tests and the benchmarks: building C sources with
//! the system C compiler (found through the `cc` crate) into shared libraries.
#![allow(dead_code)]

/// C source (for the generated test sources; needs `<stdint.h>` and `<string.h>`):
/// `sb_f32_bits` and `sb_f64_bits`, a float's bit pattern as a `uint64_t`.
macro_rules! c_float_bits {
    () => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/c/float_bits.c"))
    };
}

/// C source (as [`c_float_bits`]): `sb_f32` and `sb_f64`, the float with a bit pattern.
macro_rules! c_bits_float {
    () => {
        include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/c/bits_float.c"))
    };
}

pub mod c_cases;
pub mod c_types;
pub mod case;
pub mod catalogue;
pub mod clobber;
pub mod cross;
pub mod deno;
pub mod ffi;
pub mod hashing;
pub mod pointers;
pub mod slots;
pub mod struct_catalogue;
pub mod variadic;
pub mod wide;

use springboard::{Convention, Signature, Type};
use std::ffi::c_void;
use std::path::PathBuf;
use std::process::Command;

/// A gcc-compiled shared library, loaded.
pub struct CLibrary {
    pub path: PathBuf,
    library: libloading::Library,
}

impl CLibrary {
    /// Address of an exported function; panics with the name when it is missing.
    pub fn symbol(&self, name: &str) -> *const c_void {
        // SAFETY: we only take the address; calling it is the test's business.
        unsafe {
            let symbol: libloading::Symbol<*const c_void> = self
                .library
                .get(name.as_bytes())
                .unwrap_or_else(|e| panic!("symbol {name} in {}: {e}", self.path.display()));
            *symbol
        }
    }

    /// An exported function as the function-pointer type `F`; panics with the name when
    /// it is missing.
    ///
    /// # Safety
    ///
    /// `F` must be a function-pointer type that spells the C type of `name`.
    pub unsafe fn function<F: Copy>(&self, name: &str) -> F {
        let address = self.symbol(name);
        assert_eq!(
            std::mem::size_of::<F>(),
            std::mem::size_of_val(&address),
            "{name}: not a function pointer type"
        );
        // SAFETY: `F` is pointer-sized and, by the caller's promise, `name`'s type.
        unsafe { std::mem::transmute_copy::<*const c_void, F>(&address) }
    }
}

/// The C compiler the `cc` crate picks for the host, as a command.
pub fn c_compiler() -> Command {
    host_compiler(false)
}

/// The C++ compiler the `cc` crate picks for the host, as a command.
pub fn cpp_compiler() -> Command {
    host_compiler(true)
}

fn host_compiler(cpp: bool) -> Command {
    let host = target_lexicon::HOST.to_string();
    cc::Build::new()
        .cpp(cpp)
        .host(&host)
        .target(&host)
        .opt_level(1)
        .cargo_metadata(false)
        .cargo_warnings(false)
        .get_compiler()
        .to_command()
}

/// Compiles `source` into `lib<name>.so` under the target's temporary directory
/// (rebuilt only when the source changes) and loads it.
pub fn build_c_library(name: &str, source: &str) -> CLibrary {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("c-fixtures");
    std::fs::create_dir_all(&dir).unwrap();
    let c_path = dir.join(format!("{name}.c"));
    let so_path = dir.join(format!("lib{name}.so"));
    let unchanged =
        std::fs::read_to_string(&c_path).is_ok_and(|old| old == source) && so_path.exists();
    if !unchanged {
        // Write to a unique temporary name first: test binaries run in parallel, and
        // so do the tests of one binary, which may build the same library at once.
        static BUILDS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let unique = format!(
            "{}.{}",
            std::process::id(),
            BUILDS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let tmp_c = dir.join(format!("{name}.{unique}.c"));
        let tmp_so = dir.join(format!("lib{name}.{unique}.so"));
        std::fs::write(&tmp_c, source).unwrap();
        let output = c_compiler()
            .args(["-shared", "-fPIC", "-O1", "-Wall", "-Wno-unused", "-o"])
            .arg(&tmp_so)
            .arg(&tmp_c)
            .output()
            .expect("run the C compiler");
        assert!(
            output.status.success(),
            "C compiler failed on {}:\n{}",
            tmp_c.display(),
            String::from_utf8_lossy(&output.stderr)
        );
        std::fs::rename(&tmp_so, &so_path).unwrap();
        std::fs::rename(&tmp_c, &c_path).unwrap();
    }
    // SAFETY: our own library, with no initialisers beyond the C runtime's.
    let library = unsafe { libloading::Library::new(&so_path) }
        .unwrap_or_else(|e| panic!("load {}: {e}", so_path.display()));
    CLibrary {
        path: so_path,
        library,
    }
}

/// An engine with default options but `tiering`: what the catalogues run under each
/// mode with.
pub fn engine_with_tiering(tiering: springboard::Tiering) -> springboard::Engine {
    springboard::Engine::with_options(springboard::EngineOptions {
        tiering,
        ..springboard::EngineOptions::default()
    })
    .unwrap()
}

/// Lazy downcalls that are never compiled: every call runs the generic caller.
pub const GENERIC_ONLY: springboard::Tiering = springboard::Tiering::Lazy {
    compile_after: u32::MAX,
};

/// Lazy downcalls compiled after their second call: a case's first calls run the
/// generic caller, the later ones the compiled trampoline through the lazy entry.
pub const TIERED: springboard::Tiering = springboard::Tiering::Lazy { compile_after: 2 };

/// A small deterministic PRNG (SplitMix64) so that failures name a reproducible seed.
#[derive(Clone)]
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A signature of `params` and `result` in `win64` a quarter of the time, in `c`
    /// otherwise (one draw).
    pub fn signature(&mut self, params: Vec<Type>, result: Type) -> Signature {
        let convention = if self.below(4) == 0 {
            Convention::Win64
        } else {
            Convention::C
        };
        Signature::new(params, result).with_convention(convention)
    }
}

/// `count` distinct signatures (0 to 8 parameters of any type, any result), the same
/// ones on every run.
pub fn distinct_signatures(count: usize) -> Vec<Signature> {
    const PARAMS: [&str; 14] = [
        "bool", "i8", "u8", "i16", "u16", "i32", "u32", "i64", "u64", "isize", "usize", "f32",
        "f64", "ptr",
    ];
    let mut rng = Rng(0x5eed_d0c5);
    let mut seen = std::collections::HashSet::new();
    let mut signatures = Vec::with_capacity(count);
    while signatures.len() < count {
        let params: Vec<&str> = (0..rng.below(9))
            .map(|_| PARAMS[rng.below(PARAMS.len())])
            .collect();
        let result = match rng.below(PARAMS.len() + 1) {
            0 => "void",
            i => PARAMS[i - 1],
        };
        let text = format!("({}) -> {result}", params.join(", "));
        if seen.insert(text.clone()) {
            signatures.push(text.parse().expect("generated signature"));
        }
    }
    signatures
}

/// The seed of a randomised test: `SPRINGBOARD_SEED` (decimal or `0x`-hex) when set,
/// `default` otherwise.
pub fn seed(default: u64) -> u64 {
    match std::env::var("SPRINGBOARD_SEED") {
        Err(_) => default,
        Ok(text) => {
            let text = text.trim();
            let parsed = match text.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => text.parse(),
            };
            parsed.unwrap_or_else(|e| panic!("SPRINGBOARD_SEED={text}: {e}"))
        }
    }
}

/// Runs `command`, asserts that it succeeded (its output in the message otherwise) and
/// returns its standard output. A tool that cannot be started fails the test, naming
/// the script that installs the test dependencies.
pub fn run_ok(command: &mut std::process::Command) -> String {
    let output = command.output().unwrap_or_else(|e| {
        panic!("cannot run {command:?} (run scripts/install-test-deps.sh): {e}")
    });
    assert!(
        output.status.success(),
        "{command:?} failed: {}\n{}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}
