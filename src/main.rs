//! `springboard`: call C functions through JIT-compiled trampolines, and show the
//! trampolines' Cranelift IR and machine code for any supported target.
//!
//! ```text
//! springboard call libm.so.6 cos '(f64) -> f64' 0          # prints 1.0
//! springboard call libc.so.6 strlen '(ptr) -> usize' '"hi"' # prints 2
//! springboard show 'win64 (ptr, u8) -> f64' --target x86_64-pc-windows-msvc
//! ```
//!
//! Errors print one line, `springboard: error: ...`, on stderr and exit with status 2.

mod cli;

use clap::{Parser, Subcommand};
use std::io::Write;
use std::process::ExitCode;

/// Build FFI trampolines with Cranelift: call C functions, inspect the code.
#[derive(Parser)]
#[command(version, after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Call a C function in a shared library and print its result.
    ///
    /// Arguments are literals of their parameter's type: integers (`-7`, `0xff`,
    /// `-0x10`), floats (`1.5`, `-2e3`, `inf`, `nan`), `true`/`false`, and for `ptr`
    /// `null`, an address or a double-quoted string (escapes \n \t \\ \"), passed as
    /// a pointer to a NUL-terminated copy. Negative numbers need no `--`.
    Call {
        /// Shared library: a path or a name the system loader finds (`libm.so.6`).
        library: String,
        /// Name of the function.
        symbol: String,
        /// The function's signature, e.g. `(f64, i32) -> f64`.
        signature: String,
        /// Also print the callee's `errno`, captured by the trampoline right after the
        /// call (a line `errno N (NAME)` after the result). Give it before the
        /// arguments.
        #[arg(long)]
        errno: bool,
        /// One literal per parameter.
        #[arg(allow_hyphen_values = true, trailing_var_arg = true)]
        args: Vec<String>,
    },
    /// Print a trampoline's CLIF and machine-code listing (both unless one is asked for).
    Show {
        /// The C signature, e.g. `win64 (ptr, u8) -> f64`.
        signature: String,
        /// Trampoline kind.
        #[arg(long, default_value = "downcall")]
        kind: String,
        /// Target triple [default: the host]: x86_64-unknown-linux-gnu,
        /// x86_64-pc-windows-msvc, aarch64-unknown-linux-gnu, aarch64-apple-darwin,
        /// riscv64gc-unknown-linux-gnu.
        #[arg(long)]
        target: Option<String>,
        /// Print the Cranelift IR.
        #[arg(long)]
        clif: bool,
        /// Print the machine-code listing.
        #[arg(long)]
        asm: bool,
        /// How fast calls, boundaries and downcalls are specialised.
        #[command(flatten)]
        shape: cli::Shape,
    },
    /// Write an object file of named trampolines for a target (ahead of time).
    ///
    /// Each item is NAME=KIND[(CALLEE)][+OPTION]:SIGNATURE. A downcall NAME is
    /// `void NAME(void *callee, const Slot *args, void *result)`; with `+errno` (or
    /// `+set_errno`) it takes a fourth parameter, `int *errno`, that receives the
    /// callee's errno (and sets it before the call); a callback (or an exit)
    /// NAME has the C signature and reads its handler and context from the exported
    /// data object `NAME_entry` (`{ void *handler; void *context; }`); a fastcall needs
    /// its CALLEE symbol; entry/exit with a CALLEE are native shaped.
    Emit {
        /// Target triple: x86_64-unknown-linux-gnu, x86_64-pc-windows-msvc,
        /// aarch64-unknown-linux-gnu, aarch64-apple-darwin, riscv64gc-unknown-linux-gnu.
        #[arg(long)]
        target: String,
        /// The object file to write.
        #[arg(short, long)]
        output: String,
        /// Trampolines, e.g. `add=downcall:(i32, i32) -> i32` or
        /// `fast_add=fastcall(add):(i32, i32) -> i32`.
        items: Vec<String>,
    },
}

const EXAMPLES: &str = "\
Examples:
  springboard call libm.so.6 cos '(f64) -> f64' 0
  springboard call libc.so.6 strlen '(ptr) -> usize' '\"hello\"'
  springboard call --errno libc.so.6 open '(ptr, i32) -> i32' '\"/missing\"' 0
  springboard show 'win64 (ptr, u8) -> f64' --target x86_64-pc-windows-msvc --asm
  springboard show --kind fastcall --entry aapcs64 --target aarch64-apple-darwin 'apple (u8, ptr) -> i8' --buffer 1
  springboard emit --target aarch64-unknown-linux-gnu -o t.o 'add=downcall:(i32, i32) -> i32'

Errors print one line on stderr and exit with status 2.";

fn main() -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    let outcome = match Cli::parse().command {
        Command::Call {
            library,
            symbol,
            signature,
            errno,
            args,
        } => cli::call(&library, &symbol, &signature, &args, errno, &mut stdout),
        Command::Show {
            signature,
            kind,
            target,
            clif,
            asm,
            shape,
        } => cli::show(
            &signature,
            &kind,
            target.as_deref(),
            &shape,
            cli::Sections { clif, asm },
            &mut stdout,
        ),
        Command::Emit {
            target,
            output,
            items,
        } => cli::emit(&target, &output, &items),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // Nothing better to do if stderr itself is gone.
            let _ = writeln!(
                std::io::stderr(),
                "springboard: error: {}",
                error.one_line()
            );
            ExitCode::from(2)
        }
    }
}
