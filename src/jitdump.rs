//! The perf jitdump file: `jit-<pid>.dump`, from which `perf inject --jit` makes an ELF
//! object per JIT function, so that `perf report` names and disassembles trampolines.
//!
//! The format (Linux `tools/perf/Documentation/jitdump-specification.txt`, version 1
//! of the header): a file header, then records; springboard writes one
//! `JIT_CODE_LOAD` record per installed trampoline, with its address, size, name and
//! a copy of its code bytes. All fields are in the host's byte order, which the
//! header's magic tells the reader. `perf inject` finds the file through the mmap
//! event of its first page, mapped executable here once when the file is created
//! (the "marker"). Timestamps are `CLOCK_MONOTONIC`, what `perf record -k mono`
//! samples with.
//!
//! Like the perf map, the file only grows: a range freed and reused gets a second
//! record, with a later timestamp and a new code index.

use std::fs::File;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// "JiTD" read as a host-order word.
const MAGIC: u32 = 0x4A69_5444;
/// The header version this writer follows.
const VERSION: u32 = 1;
/// The size of the file header in bytes.
const HEADER_SIZE: u32 = 40;
/// `JIT_CODE_LOAD`: a function's code was loaded.
const JIT_CODE_LOAD: u32 = 0;
/// The bytes of a load record before its name: the record prefix (id, total size,
/// timestamp) and pid, tid, vma, code address, code size, code index.
const LOAD_FIXED: usize = 16 + 8 + 4 * 8;

/// The ELF machine of the host (`e_machine`), as the header records it.
const ELF_MACHINE: u32 = if cfg!(target_arch = "x86_64") {
    62
} else if cfg!(target_arch = "aarch64") {
    183
} else if cfg!(target_arch = "riscv64") {
    243
} else {
    0
};

/// One process's dump file in one directory.
struct Dump {
    pid: u32,
    directory: PathBuf,
    file: File,
    /// The next record's code index (unique per record in the file).
    next_index: u64,
}

/// The dumps open in this process: one per directory asked for (and again after a
/// fork, whose pid names another file).
static DUMPS: Mutex<Vec<Dump>> = Mutex::new(Vec::new());

/// The path of this process's dump in `directory`.
pub(crate) fn path_in(directory: &Path) -> PathBuf {
    directory.join(format!("jit-{}.dump", std::process::id()))
}

/// Appends a `JIT_CODE_LOAD` record per `(address, size, name)` to this process's
/// dump in `directory` (created with its header and marker on first use), in one write.
///
/// Every `address..address + size` must be live, readable code.
pub(crate) fn append(directory: &Path, functions: &[(usize, usize, &str)]) -> io::Result<()> {
    if functions.is_empty() {
        return Ok(());
    }
    let pid = std::process::id();
    let mut dumps = DUMPS.lock().unwrap_or_else(|p| p.into_inner());
    dumps.retain(|dump| dump.pid == pid);
    let at = match dumps.iter().position(|dump| dump.directory == directory) {
        Some(at) => at,
        None => {
            dumps.push(create(directory, pid)?);
            dumps.len() - 1
        }
    };
    let dump = &mut dumps[at];
    let timestamp = monotonic_ns();
    // SAFETY: gettid has no preconditions.
    let tid = unsafe { libc::gettid() } as u32;
    let mut bytes = Vec::new();
    for &(address, size, name) in functions {
        let total = LOAD_FIXED + name.len() + 1 + size;
        let total = u32::try_from(total)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "record over 4 GiB"))?;
        bytes.extend_from_slice(&JIT_CODE_LOAD.to_ne_bytes());
        bytes.extend_from_slice(&total.to_ne_bytes());
        bytes.extend_from_slice(&timestamp.to_ne_bytes());
        bytes.extend_from_slice(&pid.to_ne_bytes());
        bytes.extend_from_slice(&tid.to_ne_bytes());
        for word in [address as u64, address as u64, size as u64, dump.next_index] {
            bytes.extend_from_slice(&word.to_ne_bytes());
        }
        dump.next_index += 1;
        bytes.extend_from_slice(name.as_bytes());
        bytes.push(0);
        // SAFETY: the caller's promise: live, readable code.
        bytes.extend_from_slice(unsafe { std::slice::from_raw_parts(address as *const u8, size) });
    }
    dump.file.write_all(&bytes)
}

/// Creates the dump with its header and maps its first page executable, the marker
/// `perf inject` looks for among the process's mmap events.
fn create(directory: &Path, pid: u32) -> io::Result<Dump> {
    let path = path_in(directory);
    let mut file = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&path)?;
    let mut header = Vec::with_capacity(HEADER_SIZE as usize);
    for word in [MAGIC, VERSION, HEADER_SIZE, ELF_MACHINE, 0, pid] {
        header.extend_from_slice(&word.to_ne_bytes());
    }
    header.extend_from_slice(&monotonic_ns().to_ne_bytes());
    header.extend_from_slice(&0u64.to_ne_bytes()); // flags
    file.write_all(&header)?;
    marker(&file)?;
    Ok(Dump {
        pid,
        directory: directory.to_path_buf(),
        file,
        next_index: 0,
    })
}

/// Maps the file's first page read-execute and leaves it mapped: the mapping is only
/// there to be seen by perf, never read.
fn marker(file: &File) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(4096) as usize;
    // SAFETY: a new private mapping of our own file; nothing else is at its address.
    let mapped = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            page,
            libc::PROT_READ | libc::PROT_EXEC,
            libc::MAP_PRIVATE,
            file.as_raw_fd(),
            0,
        )
    };
    if mapped == libc::MAP_FAILED {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// `CLOCK_MONOTONIC` in nanoseconds.
fn monotonic_ns() -> u64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec to write.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut now) };
    now.tv_sec as u64 * 1_000_000_000 + now.tv_nsec as u64
}
