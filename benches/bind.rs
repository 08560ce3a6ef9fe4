//! Binding new signatures: every function of the installed SQLite C API (its
//! signatures parsed from `/usr/include/sqlite3.h` here) and 1000 random signatures,
//! compiled one at a time, in one batch on one thread, in one batch on every core, and
//! made lazy ([`Tiering::Lazy`]), against libffi preparing the same cifs; one new
//! signature at a time, eager and lazy; and what a call costs through the generic
//! caller (a lazy downcall before it is compiled) against `ffi_call` and the compiled
//! trampoline; both for the array layout's downcalls ([`Engine::downcall`]) and for
//! libffi's layout ([`Engine::pointer_downcall`], what the drop-in libffi binds).
//!
//! `cargo bench --bench bind` measures every variant interleaved (each round runs each
//! variant once, so load on a shared machine hits all alike; medians of
//! `SPRINGBOARD_BIND_ROUNDS`, default 31) and prints the table BENCHMARKS.md ("Binding
//! a library") shows. Each operation binds every signature of its set into an engine
//! that caches nothing, so every round compiles and installs everything again.
//! `cargo test --bench bind` checks the parse and binds once. With
//! `SPRINGBOARD_CALLGRIND=<set>:<variant>` it runs one variant
//! `SPRINGBOARD_CALLGRIND_N` times inside `callgrind_loop` and exits (see
//! `scripts/callgrind-bind.sh`).

#[path = "../tests/common/mod.rs"]
mod common;
#[path = "support/report.rs"]
mod report;

use springboard::{Downcall, Engine, EngineOptions, PointerDowncall, Signature, Slot, Tiering};
use std::ffi::c_void;
use std::hint::black_box;
use std::time::Instant;

/// Where the SQLite declarations come from (libsqlite3-dev).
const SQLITE_HEADER: &str = "/usr/include/sqlite3.h";

/// The C type of a parameter or result as a springboard type name: pointers (function
/// pointers included) and `va_list` (an array, so passed as a pointer on the hosts
/// benchmarked) are `ptr`; the integer typedefs are their width.
fn c_type(text: &str) -> &'static str {
    let words: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|word| !word.is_empty() && *word != "const")
        .collect();
    let has = |word: &str| words.contains(&word);
    if text.contains('*') || has("va_list") || has("sqlite3_filename") {
        "ptr"
    } else if has("double") || has("sqlite3_rtree_dbl") {
        "f64"
    } else if has("sqlite3_int64") || has("sqlite_int64") {
        "i64"
    } else if has("sqlite3_uint64") || has("sqlite_uint64") {
        "u64"
    } else if has("char") {
        if has("unsigned") {
            "u8"
        } else {
            "i8"
        }
    } else if has("unsigned") {
        "u32"
    } else if has("int") {
        "i32"
    } else if has("void") {
        "void"
    } else {
        panic!("{SQLITE_HEADER}: no springboard type for `{text}`")
    }
}

/// Splits a parameter list at its top-level commas (function-pointer parameters have
/// their own parentheses).
fn split_params(list: &str) -> Vec<&str> {
    let (mut depth, mut start, mut parts) = (0, 0, Vec::new());
    for (at, c) in list.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(list[start..at].trim());
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(list[start..].trim());
    parts
}

/// Every function `header` declares with `SQLITE_API` (variables skipped), as
/// `(name, signature)`; a variadic one is bound as a call with no variadic arguments.
fn sqlite_functions(header: &str) -> Vec<(String, Signature)> {
    let mut text = String::with_capacity(header.len());
    let mut rest = header;
    while let Some(open) = rest.find("/*") {
        text.push_str(&rest[..open]);
        let close = rest[open..].find("*/").expect("closed comment") + open + 2;
        text.push(' ');
        rest = &rest[close..];
    }
    text.push_str(rest);
    let mut functions = Vec::new();
    for line_start in text.match_indices("\nSQLITE_API").map(|(at, _)| at + 1) {
        let end = line_start + text[line_start..].find(';').expect("declaration end");
        let declaration = text[line_start..end].replace('\n', " ");
        if declaration.contains("SQLITE_EXTERN") {
            continue;
        }
        let open = declaration.find('(').expect("a function declaration");
        let close = declaration.rfind(')').expect("a closed parameter list");
        let head = declaration[..open].trim_end();
        let name_at = head
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |at| at + 1);
        let name = &head[name_at..];
        let result = head[..name_at]
            .replace("SQLITE_API", "")
            .replace("SQLITE_DEPRECATED", "")
            .replace("SQLITE_EXPERIMENTAL", "");
        let mut params = Vec::new();
        let mut variadic = false;
        for param in split_params(&declaration[open + 1..close]) {
            match param {
                "..." => variadic = true,
                "void" | "" => {}
                param => params.push(c_type(param)),
            }
        }
        let variadic = if variadic { ", ..." } else { "" };
        let signature = format!("({}{variadic}) -> {}", params.join(", "), c_type(&result));
        let signature = signature.replace("(, ...)", "(...)");
        let parsed = signature
            .parse()
            .unwrap_or_else(|e| panic!("{name}: `{signature}`: {e}"));
        functions.push((name.to_string(), parsed));
    }
    functions
}

extern "C" fn add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

extern "C" fn sum6(a: f64, b: f64, c: f64, d: f64, e: f64, f: f64) -> f64 {
    a + b + c + d + e + f
}

#[allow(clippy::too_many_arguments)]
extern "C" fn mixed12(
    a: i8,
    b: u16,
    c: i32,
    d: i64,
    e: f32,
    f: f64,
    g: *const c_void,
    h: u8,
    i: i16,
    j: u32,
    k: u64,
    l: f32,
) -> i64 {
    let ints = i64::from(a) + i64::from(b) + i64::from(c) + d + i64::from(h) + i64::from(i);
    let more = i64::from(j).wrapping_add(k as i64).wrapping_add(g as i64);
    ints.wrapping_add(more) + (f64::from(e) + f + f64::from(l)) as i64
}

/// One signature called four ways: compiled, through the generic caller (from the
/// array layout and from libffi's), libffi.
struct CallCase {
    name: &'static str,
    signature: Signature,
    callee: *const c_void,
    slots: Vec<Slot>,
    compiled: Downcall,
    generic: Downcall,
    /// The lazy pointer-array downcall, never compiled: called with `ffi_args`.
    generic_pointers: PointerDowncall,
    cif: libffi::middle::Cif,
    ffi_args: Vec<*mut c_void>,
}

impl CallCase {
    fn new(fixture: &Fixture, name: &'static str, text: &str, callee: *const c_void) -> Self {
        let signature: Signature = text.parse().expect("signature");
        let slots: Vec<Slot> = signature
            .params
            .iter()
            .enumerate()
            .map(|(i, ty)| match ty {
                springboard::Type::F32 => Slot::from_f32(i as f32 + 0.5),
                springboard::Type::F64 => Slot::from_f64(i as f64 + 0.25),
                _ => Slot::from_u8(i as u8 + 1),
            })
            .collect();
        let ffi_args = slots
            .iter()
            .map(|slot| std::ptr::from_ref(slot).cast_mut().cast())
            .collect();
        let generic = fixture.generic_only.downcall(&signature).expect("lazy");
        assert!(!generic.runs_compiled_code(), "{name} has a plan");
        let generic_pointers = (fixture.generic_only.pointer_downcall(&signature)).expect("lazy");
        assert!(!generic_pointers.runs_compiled_code(), "{name} has a plan");
        CallCase {
            name,
            compiled: fixture.one_thread.downcall(&signature).expect("compile"),
            generic,
            generic_pointers,
            cif: common::ffi::cif(&signature),
            ffi_args,
            signature,
            callee,
            slots,
        }
    }

    /// One call the way `variant` says; the result slot.
    #[inline(always)]
    fn call(&self, variant: &str) -> Slot {
        let mut result = Slot::default();
        let downcall = match variant {
            "compiled" => &self.compiled,
            "generic" => &self.generic,
            "generic_pointers" => {
                let raw = black_box(self.generic_pointers.as_raw());
                // SAFETY: the callee has the downcall's signature; one pointer per
                // parameter to a slot holding its value in its first bytes.
                unsafe {
                    raw(
                        black_box(self.callee),
                        black_box(self.ffi_args.as_ptr()),
                        std::ptr::from_mut(&mut result).cast(),
                    )
                };
                return result;
            }
            _ => {
                // SAFETY: the cif describes the callee; every argument pointer points
                // at a slot holding a value of its type in its first bytes.
                unsafe {
                    let callee =
                        std::mem::transmute::<*const c_void, unsafe extern "C" fn()>(self.callee);
                    libffi::raw::ffi_call(
                        black_box(self.cif.as_raw_ptr()),
                        Some(black_box(callee)),
                        std::ptr::from_mut(&mut result).cast(),
                        black_box(self.ffi_args.as_ptr().cast_mut()),
                    )
                };
                return result;
            }
        };
        let raw = black_box(downcall.as_raw());
        // SAFETY: the callee has the downcall's signature; one slot per parameter.
        unsafe {
            raw(
                black_box(self.callee),
                black_box(self.slots.as_ptr()),
                &mut result,
            )
        };
        result
    }
}

/// The cases of the per-call comparison and of one new signature at a time.
fn call_cases(fixture: &Fixture) -> Vec<CallCase> {
    let mixed = "(i8, u16, i32, i64, f32, f64, ptr, u8, i16, u32, u64, f32) -> i64";
    vec![
        CallCase::new(fixture, "add", "(i32, i32) -> i32", add as *const c_void),
        CallCase::new(
            fixture,
            "sum6",
            "(f64, f64, f64, f64, f64, f64) -> f64",
            sum6 as *const c_void,
        ),
        CallCase::new(fixture, "mixed12", mixed, mixed12 as *const c_void),
    ]
}

/// Ways to call, and ways to make one new signature callable.
const CALLS: [&str; 4] = ["compiled", "generic", "generic_pointers", "libffi"];
const NEW_SIGNATURE: [&str; 4] = ["eager", "lazy", "lazy_pointers", "libffi"];

/// Makes `signature` callable the way `variant` says (and drops it).
fn new_signature(fixture: &Fixture, signature: &Signature, variant: &str) {
    match variant {
        "eager" => drop(black_box(fixture.one_thread.downcall(signature).unwrap())),
        "lazy" => drop(black_box(fixture.lazy.downcall(signature).unwrap())),
        "lazy_pointers" => drop(black_box(fixture.lazy.pointer_downcall(signature).unwrap())),
        _ => drop(black_box(common::ffi::cif(signature))),
    }
}

/// The signature sets and the engines that bind them.
struct Fixture {
    sets: Vec<(&'static str, Vec<Signature>)>,
    /// Caches nothing; batches on one thread.
    one_thread: Engine,
    /// Caches nothing; batches on every core.
    all_cores: Engine,
    /// Caches nothing; makes lazy downcalls (compiled after 1000 calls).
    lazy: Engine,
    /// Lazy downcalls that are never compiled, for the per-call comparison.
    generic_only: Engine,
}

impl Fixture {
    fn new() -> Fixture {
        let header = std::fs::read_to_string(SQLITE_HEADER)
            .unwrap_or_else(|e| panic!("{SQLITE_HEADER} (libsqlite3-dev): {e}"));
        let sqlite: Vec<Signature> = sqlite_functions(&header)
            .into_iter()
            .map(|(_, signature)| signature)
            .collect();
        let engine = |compile_threads, tiering| {
            Engine::with_options(EngineOptions {
                cache_capacity: 0,
                compile_threads,
                tiering,
                ..EngineOptions::default()
            })
            .expect("engine")
        };
        let lazy = Tiering::Lazy {
            compile_after: 1000,
        };
        Fixture {
            sets: vec![
                ("sqlite", sqlite),
                ("random1000", common::distinct_signatures(1000)),
            ],
            one_thread: engine(1, Tiering::Eager),
            all_cores: engine(0, Tiering::Eager),
            lazy: engine(0, lazy),
            generic_only: engine(0, common::GENERIC_ONLY),
        }
    }

    fn set(&self, name: &str) -> &[Signature] {
        let (_, set) = self.sets.iter().find(|(set, _)| *set == name).expect("set");
        set
    }
}

/// How a set is bound.
const VARIANTS: [&str; 5] = [
    "one_by_one",
    "batch_1_thread",
    "batch_all_cores",
    "lazy",
    "libffi",
];

/// Binds every signature of `set` the way `variant` says, returning what keeps the
/// bindings alive (dropped by the caller, inside the measurement).
fn bind(fixture: &Fixture, set: &[Signature], variant: &str) -> (Vec<Downcall>, usize) {
    match variant {
        "one_by_one" => {
            let engine = &fixture.one_thread;
            let bound = set.iter().map(|s| engine.downcall(s).expect("compile"));
            (bound.collect(), 0)
        }
        "batch_1_thread" => (fixture.one_thread.downcalls(set).expect("compile"), 0),
        "batch_all_cores" => (fixture.all_cores.downcalls(set).expect("compile"), 0),
        "lazy" => (fixture.lazy.downcalls(set).expect("lazy"), 0),
        "libffi" => {
            let cifs: Vec<_> = set.iter().map(common::ffi::cif).collect();
            (Vec::new(), black_box(cifs).len())
        }
        other => panic!("no variant {other}"),
    }
}

/// Median µs per operation of every variant on `set`, interleaved over `rounds`.
fn measure(fixture: &Fixture, set: &[Signature], rounds: usize) -> Vec<f64> {
    let mut samples = vec![Vec::with_capacity(rounds); VARIANTS.len()];
    for _ in 0..rounds {
        for (variant, times) in VARIANTS.iter().zip(&mut samples) {
            let start = Instant::now();
            drop(black_box(bind(fixture, set, variant)));
            times.push(start.elapsed().as_secs_f64() * 1e6);
        }
    }
    samples.into_iter().map(report::median).collect()
}

/// `<set>:<variant>` binds a set; `<case>:new_<variant>` makes a case's signature
/// callable; `<case>:call_<variant>` calls it.
fn callgrind_mode(spec: &str) {
    let (iterations, name, variant) = report::callgrind_request(spec);
    let fixture = Fixture::new();
    if let Some(variant) = variant.strip_prefix("new_") {
        let cases = call_cases(&fixture);
        let case = cases.iter().find(|c| c.name == name).expect("case");
        report::callgrind_loop(iterations, || {
            new_signature(&fixture, &case.signature, variant)
        });
    } else if let Some(variant) = variant.strip_prefix("call_") {
        let cases = call_cases(&fixture);
        let case = cases.iter().find(|c| c.name == name).expect("case");
        report::callgrind_loop(iterations, || case.call(variant));
    } else {
        let set = fixture.set(name);
        report::callgrind_loop(iterations, || drop(bind(&fixture, set, variant)));
    }
}

fn main() {
    if report::ran_other_mode(callgrind_mode, || {}) {
        return;
    }
    let fixture = Fixture::new();
    // Every variant binds every set once, and the bindings work: the smoke test that
    // `cargo test --bench bind` runs.
    for (name, set) in &fixture.sets {
        for variant in VARIANTS {
            let (downcalls, cifs) = bind(&fixture, set, variant);
            assert_eq!(downcalls.len() + cifs, set.len(), "{name} {variant}");
            for (downcall, signature) in downcalls.iter().zip(set.iter()) {
                assert_eq!(downcall.signature(), signature, "{name} {variant}");
            }
        }
    }
    let cases = call_cases(&fixture);
    for case in &cases {
        let results = CALLS.map(|variant| case.call(variant));
        // libffi widens integer results to `ffi_arg`; compare the value's bytes.
        let bytes = case.signature.result.size();
        for (variant, result) in CALLS.iter().zip(&results) {
            assert_eq!(
                result.0[..bytes],
                results[0].0[..bytes],
                "{} {variant}",
                case.name
            );
        }
        for variant in NEW_SIGNATURE {
            new_signature(&fixture, &case.signature, variant);
        }
    }
    let sqlite = fixture.set("sqlite");
    assert!(
        sqlite.len() > 250,
        "{SQLITE_HEADER}: only {} functions",
        sqlite.len()
    );
    if !report::benchmarking() {
        println!("bind: {} SQLite functions parsed and bound", sqlite.len());
        return;
    }
    let rounds = std::env::var("SPRINGBOARD_BIND_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(31);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let (call_rounds, turn) = report::rounds();
    let mut out = String::from(
        "\n## One new signature at a time (interleaved medians, µs)\n\n\
         | signature | eager (compile + install) | lazy (callable) | lazy, libffi's layout (callable) | libffi prep_cif | eager / libffi | lazy / libffi | lazy, libffi's layout / libffi |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    let fixture_ref = &fixture;
    for case in &cases {
        let mut variants: Vec<report::Variant<'_>> = NEW_SIGNATURE
            .iter()
            .map(|&variant| {
                let run: Box<dyn FnMut(u64)> = Box::new(move |n| {
                    report::repeat(n, || new_signature(fixture_ref, &case.signature, variant))
                });
                (variant, run)
            })
            .collect();
        let m = report::interleaved(&mut variants, call_rounds / 4, turn);
        out.push_str(&format!(
            "| `{}` | {:.2} | {:.3} | {:.3} | {:.3} | {:.0}× | {:.1}× | {:.1}× |\n",
            case.name,
            m[0] / 1e3,
            m[1] / 1e3,
            m[2] / 1e3,
            m[3] / 1e3,
            m[0] / m[3],
            m[1] / m[3],
            m[2] / m[3],
        ));
    }
    out.push_str(
        "\n## Per call before and after compiling (interleaved medians, ns)\n\n\
         | signature | compiled | generic caller | generic caller, libffi's layout | libffi ffi_call | generic / libffi | generic, libffi's layout / libffi | generic / compiled |\n\
         |---|---|---|---|---|---|---|---|\n",
    );
    for case in &cases {
        let mut variants: Vec<report::Variant<'_>> = CALLS
            .iter()
            .map(|&variant| {
                let run: Box<dyn FnMut(u64)> =
                    Box::new(move |n| report::repeat(n, || case.call(variant)));
                (variant, run)
            })
            .collect();
        let m = report::interleaved(&mut variants, call_rounds, turn);
        out.push_str(&format!(
            "| `{}` | {:.2} | {:.2} | {:.2} | {:.2} | {:.2}× | {:.2}× | {:.2}× |\n",
            case.name,
            m[0],
            m[1],
            m[2],
            m[3],
            m[1] / m[3],
            m[2] / m[3],
            m[1] / m[0],
        ));
    }
    out.push_str(&format!(
        "\n## Binding a set of signatures (interleaved medians of {rounds} rounds, {cores} cores)\n\n\
         | set | signatures | one by one µs | batch, 1 thread µs | batch, all cores µs | lazy µs | libffi prep µs | all cores / 1 thread | lazy / libffi |\n\
         |---|---|---|---|---|---|---|---|---|\n"
    ));
    for (name, set) in &fixture.sets {
        let m = measure(&fixture, set, rounds);
        out.push_str(&format!(
            "| {name} | {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.1} | {:.2}× | {:.1}× |\n",
            set.len(),
            m[0],
            m[1],
            m[2],
            m[3],
            m[4],
            m[2] / m[1],
            m[3] / m[4],
        ));
    }
    println!("{out}");
}
