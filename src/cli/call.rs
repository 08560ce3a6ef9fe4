//! `springboard call`: load a library, look a function up, call it through a downcall.

use super::literal::{parse_literal, LiteralStorage};
use super::CliError;
use springboard::{Engine, ErrnoMode, Signature, Value};
use std::ffi::c_void;
use std::io::Write;

/// Calls `symbol` in `library` as a C function of `signature_text` with the argument
/// literals `args`, and writes its result (nothing for `void`) and a newline to `out`;
/// with `errno`, then a line `errno N (NAME)` with the callee's `errno`, captured by
/// the trampoline (an [errno downcall](springboard::ErrnoDowncall)).
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
    errno: bool,
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
    let mut errno_place = 0;
    // SAFETY: the user vouches that `symbol` has `signature`; string arguments point
    // into `storage`, alive until the end of this function.
    let result = unsafe {
        if errno {
            let downcall = engine.errno_downcall(&signature, ErrnoMode::Capture)?;
            downcall.call(callee, &values, &mut errno_place)?
        } else {
            engine.downcall(&signature)?.call(callee, &values)?
        }
    };
    // The callee may have written to C's stdout (`puts`); let that come first.
    // SAFETY: fflush(NULL) flushes every open C stream and has no other effect.
    unsafe { libc::fflush(std::ptr::null_mut()) };
    drop(storage);

    if !result.ty().is_void() {
        writeln!(out, "{result}")?;
    }
    if errno {
        writeln!(out, "errno {errno_place} ({})", errno_name(errno_place))?;
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

/// The symbolic name of an `errno` value (`ENOENT`), `none` for 0, or `unknown`.
fn errno_name(value: i32) -> &'static str {
    macro_rules! names {
        ($($name:ident),*) => {
            [$((libc::$name, stringify!($name))),*]
        };
    }
    let names = names![
        EPERM,
        ENOENT,
        ESRCH,
        EINTR,
        EIO,
        ENXIO,
        E2BIG,
        ENOEXEC,
        EBADF,
        ECHILD,
        EAGAIN,
        ENOMEM,
        EACCES,
        EFAULT,
        EBUSY,
        EEXIST,
        EXDEV,
        ENODEV,
        ENOTDIR,
        EISDIR,
        EINVAL,
        ENFILE,
        EMFILE,
        ENOTTY,
        EFBIG,
        ENOSPC,
        ESPIPE,
        EROFS,
        EMLINK,
        EPIPE,
        EDOM,
        ERANGE,
        ENAMETOOLONG,
        ENOSYS,
        ENOTEMPTY,
        ELOOP,
        ENOTSUP,
        ETIMEDOUT,
        ECONNREFUSED
    ];
    if value == 0 {
        return "none";
    }
    names
        .into_iter()
        .find(|(number, _)| *number == value)
        .map_or("unknown", |(_, name)| name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn errno_names() {
        assert_eq!(super::errno_name(libc::ENOENT), "ENOENT");
        assert_eq!(super::errno_name(libc::ERANGE), "ERANGE");
        assert_eq!(super::errno_name(0), "none");
        assert_eq!(super::errno_name(-1), "unknown");
    }
}
