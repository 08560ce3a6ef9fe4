//! `springboard show`: a trampoline's CLIF and machine-code listing for any target.

use super::call::parse_signature;
use super::CliError;
use springboard::{
    Boundary, BufferAccess, Callee, Compiler, CompilerOptions, Convention, ErrnoMode, FastParam,
    FastResult, Kind, NativeBoundary, Request, Target,
};
use std::io::Write;

/// How `show` specialises fast calls and boundaries beyond their defaults (the
/// options of `show`; each doc comment is its help text).
#[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args)]
pub struct Shape {
    /// Fast call: the convention the entry is called with (e.g. aapcs64 for V8 on
    /// Apple arm64, whose C functions use `apple`).
    #[arg(long)]
    pub entry: Option<String>,
    /// Fast call: parameter INDEX (zero-based, a ptr) is a buffer whose data pointer
    /// is at OFFSET in its descriptor (default 8). Repeatable.
    #[arg(long = "buffer", value_name = "INDEX[:OFFSET]")]
    pub buffers: Vec<String>,
    /// Fast call: store the result through an out pointer.
    #[arg(long)]
    pub out_pointer: bool,
    /// Fast call: no trailing options pointer.
    #[arg(long)]
    pub no_options: bool,
    /// Entry/exit: the native shape (a C function calling a fixed callee).
    #[arg(long)]
    pub native: bool,
    /// Downcall: an errno downcall, `capture` (errno after the call) or
    /// `set_and_capture` (also set from the place before it).
    #[arg(long, value_name = "MODE")]
    pub errno: Option<String>,
}

/// Which parts of the listing `show` prints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sections {
    /// The Cranelift IR.
    pub clif: bool,
    /// Cranelift's listing of the machine code.
    pub asm: bool,
}

/// Compiles the `kind` trampoline for `signature_text` for `target` (the host when
/// `None`) and writes the requested sections to `out`; with both, each comes under a
/// `;` header line (a CLIF comment).
pub fn show(
    signature_text: &str,
    kind: &str,
    target: Option<&str>,
    shape: &Shape,
    sections: Sections,
    out: &mut impl Write,
) -> Result<(), CliError> {
    let signature = parse_signature(signature_text)?;
    let kind = Kind::from_name(kind).ok_or_else(|| CliError::UnknownKind {
        name: kind.to_string(),
        valid: Kind::ALL.map(Kind::name).join(", "),
    })?;
    let target = match target {
        Some(text) => text
            .parse::<Target>()
            .map_err(|_| CliError::UnknownTarget(text.to_string()))?,
        None => Target::host()?,
    };
    let compiler = Compiler::for_target(target.clone(), &CompilerOptions::default())?;
    let request = shaped(Request::new(kind, signature.clone())?, shape)?;
    let listing = compiler.listing(&request)?;

    let both = sections.clif == sections.asm;
    if sections.clif || both {
        if both {
            writeln!(out, "; CLIF: {kind} `{signature}` for {target}")?;
        }
        write_block(out, &listing.clif)?;
    }
    if sections.asm || both {
        if both {
            writeln!(
                out,
                "\n; machine code: {} bytes for {target}",
                listing.code_size
            )?;
        }
        write_block(out, &listing.vcode)?;
    }
    out.flush()?;
    Ok(())
}

/// Applies the `--entry`, `--buffer`, `--out-pointer`, `--no-options`, `--native` and
/// `--errno` options; an option that does not apply to the kind is an error.
fn shaped(request: Request, shape: &Shape) -> Result<Request, CliError> {
    let misplaced = |option: &str, kind: Kind| CliError::Option {
        option: option.to_string(),
        problem: format!("does not apply to {kind} trampolines"),
    };
    if let Some(mode) = &shape.errno {
        let mode = ErrnoMode::ALL
            .into_iter()
            .find(|known| known.name() == mode)
            .ok_or_else(|| CliError::Option {
                option: "--errno".into(),
                problem: format!("unknown mode `{mode}` (capture, set_and_capture)"),
            })?;
        return match request {
            Request::Downcall(signature) if fast_call_options_unused(shape) && !shape.native => {
                Ok(Request::ErrnoDowncall(signature, mode))
            }
            other => Err(misplaced("--errno", other.kind())),
        };
    }
    match request {
        Request::FastCall(mut fast) => {
            if shape.native {
                return Err(misplaced("--native", Kind::FastCall));
            }
            if let Some(entry) = &shape.entry {
                fast.entry = Convention::from_name(entry).ok_or_else(|| CliError::Option {
                    option: "--entry".into(),
                    problem: format!(
                        "unknown convention `{entry}` (c, sysv, win64, aapcs64, apple, riscv64)"
                    ),
                })?;
            }
            for buffer in &shape.buffers {
                let bad = || CliError::Option {
                    option: "--buffer".into(),
                    problem: format!("`{buffer}` is not INDEX or INDEX:OFFSET of a ptr parameter"),
                };
                let (index, offset) = match buffer.split_once(':') {
                    Some((index, offset)) => (index, offset.parse::<i32>().map_err(|_| bad())?),
                    None => (buffer.as_str(), 8),
                };
                let index: usize = index.parse().map_err(|_| bad())?;
                fast.set_param(index, FastParam::Buffer(BufferAccess::Inline { offset }))
                    .map_err(|_| bad())?;
            }
            if shape.out_pointer {
                fast.result = FastResult::OutPointer;
            }
            fast.options = !shape.no_options;
            Ok(Request::FastCall(fast))
        }
        Request::Entry(boundary) if fast_call_options_unused(shape) => {
            Ok(Request::Entry(native_if_asked(boundary, shape)?))
        }
        Request::Exit(boundary) if fast_call_options_unused(shape) => {
            Ok(Request::Exit(native_if_asked(boundary, shape)?))
        }
        other => {
            let kind = other.kind();
            let used = [
                (shape.entry.is_some(), "--entry"),
                (!shape.buffers.is_empty(), "--buffer"),
                (shape.out_pointer, "--out-pointer"),
                (shape.no_options, "--no-options"),
                (shape.native, "--native"),
            ];
            match used.iter().find(|(used, _)| *used) {
                Some((_, option)) => Err(misplaced(option, kind)),
                None => Ok(other),
            }
        }
    }
}

fn fast_call_options_unused(shape: &Shape) -> bool {
    shape.entry.is_none() && shape.buffers.is_empty() && !shape.out_pointer && !shape.no_options
}

/// A boundary in the native shape (calling [`Callee::PLACEHOLDER`]) when `--native`
/// asks for it.
fn native_if_asked(boundary: Boundary, shape: &Shape) -> Result<Boundary, CliError> {
    Ok(match boundary {
        Boundary::Array(array) if shape.native => Boundary::Native(
            NativeBoundary::new(
                array.signature().clone(),
                array.bookkeeping().clone(),
                Callee::PLACEHOLDER,
            )
            .map_err(springboard::Error::from)?,
        ),
        other => other,
    })
}

/// Writes `text`, ending it with a newline if it has none.
fn write_block(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    Ok(())
}
