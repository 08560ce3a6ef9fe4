//! `springboard show`: a trampoline's CLIF and machine-code listing for any target.

use super::call::parse_signature;
use super::CliError;
use springboard::{Compiler, CompilerOptions, Kind, Target};
use std::io::Write;

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
    let listing = compiler.listing(kind, &signature)?;

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

/// Writes `text`, ending it with a newline if it has none.
fn write_block(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    out.write_all(text.as_bytes())?;
    if !text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    Ok(())
}
