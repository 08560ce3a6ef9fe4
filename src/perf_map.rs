//! The perf map: `/tmp/perf-<pid>.map`, where `perf` and other profilers look up the
//! names of JIT code.
//!
//! One line per installed trampoline, `<address hex> <size hex> <name>`, appended when
//! its code is installed (a whole batch, or a chunk of callback instances, in one
//! write). The format has no way to remove a line: a range that is freed and reused
//! gets a second line, and profilers that read the map after the fact see both.

use std::fmt::Write as _;
use std::fs::{File, OpenOptions};
use std::io::{self, Write as _};
use std::sync::Mutex;

/// The name of a trampoline: `springboard <kind> <signature>`, e.g.
/// `springboard downcall (i32, i32) -> i32`.
pub(crate) fn name(kind: crate::trampoline::Kind, signature: &crate::Signature) -> Box<str> {
    format!("springboard {kind} {signature}").into_boxed_str()
}

/// The process's map file, opened on first use (and again after a fork, whose pid
/// names another file).
static MAP: Mutex<Option<(u32, File)>> = Mutex::new(None);

/// Appends a line per `(address, size, name)`, in one write.
pub(crate) fn append<'a>(
    entries: impl IntoIterator<Item = (usize, usize, &'a str)>,
) -> io::Result<()> {
    let mut text = String::new();
    for (address, size, name) in entries {
        // Writing to a String cannot fail.
        let _ = writeln!(text, "{address:x} {size:x} {name}");
    }
    if text.is_empty() {
        return Ok(());
    }
    let pid = std::process::id();
    let mut map = MAP.lock().unwrap_or_else(|p| p.into_inner());
    if map.as_ref().is_none_or(|(opened_by, _)| *opened_by != pid) {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(format!("/tmp/perf-{pid}.map"))?;
        *map = Some((pid, file));
    }
    let (_, file) = map.as_mut().expect("opened above");
    file.write_all(text.as_bytes())
}

/// Where installed code is announced to profilers: the perf map and the jitdump, each
/// when enabled.
#[derive(Clone, Debug, Default)]
pub(crate) struct Profilers {
    /// Lines in `/tmp/perf-<pid>.map`.
    pub(crate) perf_map: bool,
    /// Records in `jit-<pid>.dump` in this directory.
    pub(crate) jitdump: Option<std::path::PathBuf>,
}

impl Profilers {
    /// Whether anything is announced.
    pub(crate) fn any(&self) -> bool {
        self.perf_map || self.jitdump.is_some()
    }

    /// Announces `(address, size, name)` functions of live, readable code.
    pub(crate) fn announce(&self, functions: &[(usize, usize, &str)]) -> Result<(), crate::Error> {
        if self.perf_map {
            append(functions.iter().copied()).map_err(crate::Error::PerfMap)?;
        }
        if let Some(directory) = &self.jitdump {
            crate::jitdump::append(directory, functions).map_err(|source| {
                crate::Error::JitDump {
                    path: crate::jitdump::path_in(directory),
                    source,
                }
            })?;
        }
        Ok(())
    }
}
