//! Exports the GDB JIT interface's symbols from this package's executables (tests,
//! benches, examples, the CLI) into their dynamic symbol tables, where a debugger finds
//! them even in a stripped binary. Downstream binaries add the same linker arguments
//! (see the README, "Profiling and debugging").

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        for symbol in ["__jit_debug_register_code", "__jit_debug_descriptor"] {
            println!("cargo:rustc-link-arg=-Wl,--export-dynamic-symbol={symbol}");
        }
    }
}
