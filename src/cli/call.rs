//! `springboard call`: load a library, look a function up, call it through a downcall.

use super::literal::{parse_literal, LiteralStorage};
use super::CliError;
use springboard::{Engine, Signature, Value};
use std::ffi::c_void;
use std::io::Write;

/// Calls `symbol` in `library` as a C function of `signature_text` with the argument
/// literals `args`, and writes its result (nothing for `void`) and a newline to `out`.
///
/// Everything is checked before the library is opened: the signature, the number of
/// arguments and every literal against its parameter's type. What cannot be checked
/// is whether the function really has this signature; a wrong one is undefined
/// behaviour, as in C.
pub fn call(
    library: &str,
    symbol: &str,
    signature_text: &str,
    args: &[String],
    out: &mut impl Write,
) -> Result<(), CliError> {
    let signature = parse_signature(signature_text)?;
    if args.len() != signature.params.len() {
        return Err(CliError::Arity {
            signature: signature.to_string(),
            expected: signature.params.len(),
            found: args.len(),
        });
    }
    let mut storage = LiteralStorage::new();
    let values = args
        .iter()
        .zip(&signature.params)
        .enumerate()
        .map(|(index, (text, ty))| {
            parse_literal(text, ty, &mut storage).map_err(|source| CliError::Literal {
                number: index + 1,
                text: text.clone(),
                ty: ty.clone(),
                source: Box::new(source),
            })
        })
        .collect::<Result<Vec<Value>, _>>()?;

    // SAFETY: loading a library runs its initialisers; the user asked for this one.
    let library_handle =
        unsafe { libloading::Library::new(library) }.map_err(|source| CliError::Library {
            library: library.to_string(),
            source,
        })?;
    // SAFETY: only the address is taken (libloading rejects null ones); the symbol
    // lives as long as `library_handle`, which outlives the call below.
    let callee: *const c_void = unsafe {
        *library_handle
            .get::<*const c_void>(symbol.as_bytes())
            .map_err(|source| CliError::Symbol {
                symbol: symbol.to_string(),
                library: library.to_string(),
                source,
            })?
    };

    let engine = Engine::new()?;
    let downcall = engine.downcall(&signature)?;
    // SAFETY: the user vouches that `symbol` has `signature`; string arguments point
    // into `storage`, alive until the end of this function.
    let result = unsafe { downcall.call(callee, &values)? };
    // The callee may have written to C's stdout (`puts`); let that come first.
    // SAFETY: fflush(NULL) flushes every open C stream and has no other effect.
    unsafe { libc::fflush(std::ptr::null_mut()) };
    drop(storage);

    if !result.ty().is_void() {
        writeln!(out, "{result}")?;
    }
    out.flush()?;
    Ok(())
}

/// Parses signature text, keeping the text for the error message.
pub(super) fn parse_signature(text: &str) -> Result<Signature, CliError> {
    text.parse().map_err(|source| CliError::Signature {
        text: text.to_string(),
        source,
    })
}
