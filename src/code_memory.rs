//! Executable memory for compiled trampolines.
//!
//! springboard compiles with `Context::compile` and places the machine code itself,
//! instead of using cranelift-jit's `JITModule`: that module cannot free one function,
//! keeps a record per function forever, and starts a new page at every finalize. Our
//! trampolines have no relocations (callees are passed in or baked in as constants),
//! so their bytes run wherever they are copied.
//!
//! # Rules this module keeps
//!
//! 1. **W^X**: no page is ever writable and executable at once. With the memfd
//!    backing code is written with `pwrite` into the file behind a read-execute
//!    mapping (no writable mapping exists at all); with the anonymous backing it is
//!    written into a private read-write mapping that is not executable, which is then
//!    made read-execute.
//! 2. **Live code stays executable**: a page holding a live trampoline is never made
//!    non-executable, not even briefly, because another thread may be running it.
//! 3. **Dense packing**: trampolines are packed at 16-byte granularity, many per page,
//!    even when they are compiled one at a time.
//! 4. **Freeing**: a trampoline's bytes return to its page's free list when its last
//!    [`CodeRange`] drops, and are reused by later code; a page with nothing live in it
//!    is unmapped (one empty page is kept for reuse).
//!
//! Rules 1-3 together forbid writing into a page that already holds live code through
//! its executable mapping. On Linux, code lives in a memfd ([`Backing::Memfd`], the
//! default): the file is mapped read-execute in regions of [`REGION`] bytes, one
//! mapping each, never writable and never gaining exec; code is written into the file
//! with `pwrite` (one system call, no writable mapping, no mapping change and so no
//! TLB shootdown), and the read-execute mapping shows the file's shared pages. A page holding live code
//! thus receives new code without any change to the mapping that runs it, and a
//! region stays one mapping (one VMA) however often its pages are written. The
//! memory of pages left empty is given back (the file range punched out) once more
//! than [`KEPT_EMPTY_PAGES`] of them wait for reuse, and an empty region is unmapped
//! while another one is kept.
//!
//! **Forks.** The file is shared with a forked child, so after a `fork` neither
//! process may write into a region the other may run code from: a `pthread_atfork`
//! handler counts forks, and at its next install each process freezes the regions it
//! has (their free space is never used again, their pages never punched, each is
//! unmapped when its last trampoline drops) and continues in a new memfd.
//!
//! With [`Backing::Anonymous`] (other systems, or a Linux host where a memfd cannot be
//! mapped executable), code is written into a private read-write mapping that is
//! then made read-execute. New code for a page holding live code is written into a
//! fresh read-write copy of the page, the copy is made read-execute, and
//! `mremap(MREMAP_FIXED)` atomically replaces the old page with it (Linux; every live
//! trampoline has the same bytes at the same address in both pages, so a thread
//! running one is unaffected). Each swapped page is a mapping of its own. On other
//! systems a page only receives code while nothing live is in it.
//!
//! **Hardened hosts.** A Linux process under `prctl(PR_SET_MDWE,
//! PR_MDWE_REFUSE_EXEC_GAIN)` (what systemd's `MemoryDenyWriteExecute=` sets) may not
//! make a mapping executable that was not mapped executable; the memfd backing never
//! does, so it works there.
//!
//! After writing, the instruction cache is made coherent for the new code
//! ([`wasmtime_jit_icache_coherence`]): a no-op on x86-64, required on aarch64.

use std::collections::BTreeMap;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard};

/// Alignment of every trampoline's entry point.
pub const CODE_ALIGN: usize = 16;

/// Executable memory shared by the trampolines of one engine.
pub struct CodeMemory {
    pages: Mutex<Pages>,
}

/// A range of executable memory holding one trampoline. Dropping it frees the range.
pub struct CodeRange {
    memory: Arc<CodeMemory>,
    addr: usize,
    len: usize,
}

impl CodeRange {
    /// Address of the first byte.
    pub fn addr(&self) -> usize {
        self.addr
    }

    /// Length in bytes (rounded up to [`CODE_ALIGN`]).
    pub fn len(&self) -> usize {
        self.len
    }

    /// True for an empty range (never produced by [`CodeMemory::install`]).
    #[cfg_attr(not(feature = "unstable-internals"), allow(dead_code))]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl Drop for CodeRange {
    fn drop(&mut self) {
        self.memory.lock().free(self.addr, self.len);
    }
}

impl std::fmt::Debug for CodeRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CodeRange({:#x}+{})", self.addr, self.len)
    }
}

/// Statistics about the executable memory in use.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemoryStats {
    /// Pages holding memory: live code, or kept empty for reuse.
    pub pages: usize,
    /// Bytes of those pages.
    pub mapped_bytes: usize,
    /// Bytes held by live trampolines.
    pub live_bytes: usize,
    /// Executable mappings holding those pages (with [`Backing::Memfd`], one per
    /// region of [`REGION`] bytes).
    pub mappings: usize,
}

/// Bytes of the memfd mapped at once ([`Backing::Memfd`]): a region is one mapping,
/// and code bigger than a region gets a region of its own size.
pub const REGION: usize = 1 << 20;

/// Empty pages whose memory is kept for reuse ([`Backing::Memfd`]); past this many
/// their file ranges are punched out and the memory given back.
pub const KEPT_EMPTY_PAGES: usize = 16;

/// Where code pages come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backing {
    /// Private anonymous pages, written and then made read-execute; a page receiving
    /// code while it holds live code is replaced by a new one (a mapping of its own).
    Anonymous,
    /// Regions of a memfd, each mapped read-execute once and written through
    /// short-lived read-write mappings that are never executable (Linux only): the
    /// default there, and what works on hosts that forbid gaining exec (MDWE).
    Memfd,
}

impl Backing {
    /// The backing this process uses by default: [`Backing::Memfd`] on Linux where a
    /// memfd can be mapped executable, [`Backing::Anonymous`] otherwise.
    pub fn for_this_process() -> Backing {
        #[cfg(target_os = "linux")]
        if CodeFile::can_execute() {
            return Backing::Memfd;
        }
        Backing::Anonymous
    }
}

/// Forks seen by the `pthread_atfork` handler (in the parent, before the fork, so
/// both processes see the new count).
#[cfg(target_os = "linux")]
static FORKS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

#[cfg(target_os = "linux")]
extern "C" fn count_fork() {
    FORKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
}

/// The number of forks so far (the handler is installed on the first call).
#[cfg(target_os = "linux")]
fn forks() -> usize {
    static WATCH: std::sync::Once = std::sync::Once::new();
    WATCH.call_once(|| {
        // SAFETY: the handler only increments an atomic, which is async-signal-safe.
        unsafe { libc::pthread_atfork(Some(count_fork), None, None) };
    });
    FORKS.load(std::sync::atomic::Ordering::Relaxed)
}

/// The memfd of [`Backing::Memfd`] and the file ranges of unmapped regions.
#[cfg(target_os = "linux")]
struct CodeFile {
    fd: std::os::fd::OwnedFd,
    /// File size: the end of the highest range handed out.
    len: usize,
    /// `(offset, len)` ranges handed back (their contents punched out).
    free: Vec<(usize, usize)>,
    /// [`forks`] when the file was created: the process has not forked since.
    generation: usize,
}

struct Pages {
    page_size: usize,
    #[cfg(target_os = "linux")]
    /// `Some` for [`Backing::Memfd`].
    file: Option<CodeFile>,
    /// Page runs (a memfd region, or anonymous pages) by base address.
    runs: BTreeMap<usize, Run>,
    /// Empty pages still holding memory, `(run base, page index)` ([`Backing::Memfd`]).
    kept_empty: Vec<(usize, usize)>,
}

/// One mapping of pages holding code.
struct Run {
    len: usize,
    /// The run's range in the memfd ([`Backing::Memfd`] only).
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    file_offset: usize,
    /// Free byte ranges `[start, end)` as offsets into the run, sorted and coalesced.
    free: Vec<(usize, usize)>,
    live_bytes: usize,
    /// One bit per page: the page holds memory (written, not punched out since).
    resident: Vec<u64>,
    /// The process forked since this run was mapped: it is shared with the other
    /// process, so it is never written or punched again ([`Backing::Memfd`]).
    frozen: bool,
}

impl Run {
    fn new(len: usize, file_offset: usize, page_size: usize) -> Run {
        Run {
            len,
            file_offset,
            free: vec![(0, len)],
            live_bytes: 0,
            resident: vec![0; (len / page_size).div_ceil(64)],
            frozen: false,
        }
    }

    /// First free offset where `len` bytes fit.
    fn find_fit(&self, len: usize) -> Option<usize> {
        self.free
            .iter()
            .find(|(start, end)| end - start >= len)
            .map(|&(start, _)| start)
    }

    fn take(&mut self, offset: usize, len: usize) {
        let i = self
            .free
            .iter()
            .position(|&(s, e)| s <= offset && offset + len <= e)
            .expect("taking a range that is not free");
        let (start, end) = self.free.remove(i);
        if offset + len < end {
            self.free.insert(i, (offset + len, end));
        }
        if start < offset {
            self.free.insert(i, (start, offset));
        }
        self.live_bytes += len;
    }

    /// Frees `offset..offset+len` and returns the free range it joined.
    fn give_back(&mut self, offset: usize, len: usize) -> (usize, usize) {
        let mut i = self.free.partition_point(|&(s, _)| s < offset);
        self.free.insert(i, (offset, offset + len));
        // Coalesce with the neighbours.
        if i + 1 < self.free.len() && self.free[i].1 == self.free[i + 1].0 {
            self.free[i].1 = self.free.remove(i + 1).1;
        }
        if i > 0 && self.free[i - 1].1 == self.free[i].0 {
            self.free[i - 1].1 = self.free.remove(i).1;
            i -= 1;
        }
        self.live_bytes -= len;
        self.free[i]
    }

    fn is_resident(&self, page: usize) -> bool {
        self.resident[page / 64] & (1 << (page % 64)) != 0
    }

    fn set_resident(&mut self, page: usize, resident: bool) {
        let (word, bit) = (page / 64, 1u64 << (page % 64));
        if resident {
            self.resident[word] |= bit;
        } else {
            self.resident[word] &= !bit;
        }
    }

    fn resident_pages(&self) -> usize {
        self.resident.iter().map(|w| w.count_ones() as usize).sum()
    }
}

fn round_up(value: usize, to: usize) -> usize {
    value.div_ceil(to) * to
}

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let page_size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    usize::try_from(page_size).unwrap_or(4096).max(4096)
}

impl CodeMemory {
    /// Empty code memory with the backing this process uses
    /// ([`Backing::for_this_process`]); pages are mapped on demand.
    pub fn new() -> io::Result<Arc<CodeMemory>> {
        CodeMemory::with_backing(Backing::for_this_process())
    }

    /// Empty code memory with the given backing ([`Backing::Memfd`] fails off Linux).
    pub fn with_backing(backing: Backing) -> io::Result<Arc<CodeMemory>> {
        #[cfg(target_os = "linux")]
        let file = match backing {
            Backing::Anonymous => None,
            Backing::Memfd => Some(CodeFile::create()?),
        };
        #[cfg(not(target_os = "linux"))]
        if backing == Backing::Memfd {
            return Err(io::Error::new(
                io::ErrorKind::Unsupported,
                "memfd-backed code memory needs Linux",
            ));
        }
        Ok(Arc::new(CodeMemory {
            pages: Mutex::new(Pages {
                page_size: page_size(),
                #[cfg(target_os = "linux")]
                file,
                runs: BTreeMap::new(),
                kept_empty: Vec::new(),
            }),
        }))
    }

    /// The backing in use.
    pub fn backing(&self) -> Backing {
        if self.lock().is_memfd() {
            Backing::Memfd
        } else {
            Backing::Anonymous
        }
    }

    fn lock(&self) -> MutexGuard<'_, Pages> {
        // A panic while holding the lock leaves the bookkeeping consistent: every
        // mutation is completed before anything that can fail.
        self.pages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Copies each chunk of machine code into executable memory, packed one after the
    /// other at [`CODE_ALIGN`] in one write, and returns a range per chunk.
    pub fn install(self: &Arc<Self>, chunks: &[&[u8]]) -> io::Result<Vec<CodeRange>> {
        let lens: Vec<usize> = chunks
            .iter()
            .map(|c| round_up(c.len().max(1), CODE_ALIGN))
            .collect();
        let total: usize = lens.iter().sum();
        let mut image = Vec::with_capacity(total);
        for (chunk, &len) in chunks.iter().zip(&lens) {
            image.extend_from_slice(chunk);
            // Pad with trapping instructions' worth of zeros; never executed.
            image.resize(image.len() + len - chunk.len(), 0);
        }
        let base = self.lock().place(&image)?;
        let mut ranges = Vec::with_capacity(chunks.len());
        let mut addr = base;
        for len in lens {
            ranges.push(CodeRange {
                memory: Arc::clone(self),
                addr,
                len,
            });
            addr += len;
        }
        Ok(ranges)
    }

    /// Current usage.
    pub fn stats(&self) -> MemoryStats {
        let pages = self.lock();
        let resident: usize = pages.runs.values().map(Run::resident_pages).sum();
        MemoryStats {
            pages: resident,
            mapped_bytes: resident * pages.page_size,
            live_bytes: pages.runs.values().map(|r| r.live_bytes).sum(),
            mappings: pages.runs.len(),
        }
    }
}

impl Pages {
    /// The memfd, for [`Backing::Memfd`].
    #[cfg(target_os = "linux")]
    fn file_mut(&mut self) -> Option<&mut CodeFile> {
        self.file.as_mut()
    }

    #[cfg(not(target_os = "linux"))]
    fn file_mut(&mut self) -> Option<&mut ()> {
        None
    }

    fn is_memfd(&self) -> bool {
        #[cfg(target_os = "linux")]
        return self.file.is_some();
        #[cfg(not(target_os = "linux"))]
        false
    }

    /// Writes `image` somewhere executable and returns its address.
    fn place(&mut self, image: &[u8]) -> io::Result<usize> {
        #[cfg(target_os = "linux")]
        self.after_fork()?;
        let len = image.len();
        let fit = self.runs.iter().find_map(|(&base, run)| {
            let writable = !run.frozen && (run.live_bytes == 0 || cfg!(target_os = "linux"));
            run.find_fit(len)
                .filter(|_| writable)
                .map(|offset| (base, offset))
        });
        if let Some((base, offset)) = fit {
            let (run_len, file_offset) = (self.runs[&base].len, self.runs[&base].file_offset);
            // SAFETY: `base..base+run_len` is a run we mapped and still own; the
            // target range is free, so no live code is overwritten.
            unsafe {
                match self.file_mut() {
                    #[cfg(target_os = "linux")]
                    Some(file) => file.write(base, file_offset, offset, image)?,
                    _ => rewrite_page(base, run_len, offset, image)?,
                }
            }
            self.took(base, offset, len);
            return Ok(base + offset);
        }
        let run_len = round_up(len, self.page_size);
        let (base, run) = match self.file_mut() {
            #[cfg(target_os = "linux")]
            Some(file) => {
                let run_len = run_len.max(REGION);
                let (base, file_offset) = file.map_new_code(run_len, image)?;
                (base, Run::new(run_len, file_offset, self.page_size))
            }
            _ => {
                // SAFETY: a fresh mapping is exclusively ours.
                let base = unsafe { map_new_code(run_len, image)? };
                let mut run = Run::new(run_len, 0, self.page_size);
                for page in 0..run_len / self.page_size {
                    run.set_resident(page, true);
                }
                (base, run)
            }
        };
        self.runs.insert(base, run);
        self.took(base, 0, len);
        Ok(base)
    }

    /// Books `offset..offset+len` of the run at `base` as live, its pages resident.
    fn took(&mut self, base: usize, offset: usize, len: usize) {
        let pages = offset / self.page_size..(offset + len).div_ceil(self.page_size);
        let run = self.runs.get_mut(&base).expect("a run we placed code in");
        run.take(offset, len);
        for page in pages.clone() {
            run.set_resident(page, true);
        }
        self.kept_empty
            .retain(|&(b, page)| b != base || !pages.contains(&page));
    }

    fn free(&mut self, addr: usize, len: usize) {
        let (memfd, page_size) = (self.is_memfd(), self.page_size);
        let (&base, run) = self
            .runs
            .range_mut(..=addr)
            .next_back()
            .expect("freeing code that was never installed");
        let offset = addr - base;
        let (free_start, free_end) = run.give_back(offset, len);
        if memfd && !run.frozen {
            // The pages this range touched that hold nothing now wait for reuse.
            for page in offset / page_size..(offset + len).div_ceil(page_size) {
                let whole = free_start <= page * page_size && (page + 1) * page_size <= free_end;
                if whole && run.is_resident(page) && !self.kept_empty.contains(&(base, page)) {
                    self.kept_empty.push((base, page));
                }
            }
        }
        if run.live_bytes == 0 {
            let frozen = run.frozen;
            let other_empty = self
                .runs
                .iter()
                .any(|(&b, r)| b != base && r.live_bytes == 0 && !r.frozen);
            if frozen || other_empty {
                self.unmap(base);
            }
        }
        if self.kept_empty.len() > KEPT_EMPTY_PAGES {
            self.give_back_kept_empty();
        }
    }

    /// Unmaps the run at `base`, which holds nothing live.
    fn unmap(&mut self, base: usize) {
        let run = self.runs.remove(&base).expect("a run we mapped");
        // SAFETY: nothing live is in the run, and it is ours.
        unsafe { libc::munmap(base as *mut libc::c_void, run.len) };
        self.kept_empty.retain(|&(b, _)| b != base);
        #[cfg(target_os = "linux")]
        if let (Some(file), false) = (self.file.as_mut(), run.frozen) {
            file.give_back(run.file_offset, run.len);
        }
    }

    /// Gives the memory of the empty pages kept for reuse back to the system.
    fn give_back_kept_empty(&mut self) {
        for (base, page) in std::mem::take(&mut self.kept_empty) {
            let Some(run) = self.runs.get_mut(&base) else {
                continue;
            };
            #[cfg(target_os = "linux")]
            if let Some(file) = self.file.as_ref() {
                file.punch(run.file_offset + page * self.page_size, self.page_size);
            }
            run.set_resident(page, false);
        }
    }

    /// After a fork, the runs are shared with the other process: freeze them (those
    /// with nothing live are unmapped) and continue in a new memfd.
    #[cfg(target_os = "linux")]
    fn after_fork(&mut self) -> io::Result<()> {
        match &self.file {
            Some(file) if file.generation != forks() => {}
            _ => return Ok(()),
        }
        self.file = Some(CodeFile::create()?);
        self.kept_empty.clear();
        let empty: Vec<usize> = self
            .runs
            .iter_mut()
            .filter_map(|(&base, run)| {
                run.frozen = true;
                (run.live_bytes == 0).then_some(base)
            })
            .collect();
        for base in empty {
            self.unmap(base);
        }
        Ok(())
    }
}

impl Drop for Pages {
    /// Only runs once every [`CodeRange`] has dropped (each holds the memory): what
    /// is left are runs kept empty for reuse.
    fn drop(&mut self) {
        for (&base, run) in &self.runs {
            // SAFETY: nothing live is left in the run, and it is ours.
            unsafe { libc::munmap(base as *mut libc::c_void, run.len) };
        }
    }
}

#[cfg(target_os = "linux")]
impl CodeFile {
    fn create() -> io::Result<CodeFile> {
        use std::os::fd::FromRawFd;
        let generation = forks();
        // SAFETY: a NUL-terminated name; the flags are memfd_create's.
        let fd = unsafe { libc::memfd_create(c"springboard-code".as_ptr(), libc::MFD_CLOEXEC) };
        if fd < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(CodeFile {
            // SAFETY: a fresh descriptor that nothing else owns.
            fd: unsafe { std::os::fd::OwnedFd::from_raw_fd(fd) },
            len: 0,
            free: Vec::new(),
            generation,
        })
    }

    /// Whether a memfd can be mapped executable in this process (found out once:
    /// `vm.memfd_noexec` or a security module may forbid it).
    fn can_execute() -> bool {
        static CAN: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
        *CAN.get_or_init(|| {
            let page_size = page_size();
            let Ok(mut file) = CodeFile::create() else {
                return false;
            };
            let Ok(offset) = file.take_range(page_size) else {
                return false;
            };
            // SAFETY: the range is within the file; the mapping is unmapped at once.
            match unsafe { file.map(offset, page_size, libc::PROT_READ | libc::PROT_EXEC) } {
                Ok(mapped) => {
                    // SAFETY: the mapping just made.
                    unsafe { libc::munmap(mapped.cast(), page_size) };
                    true
                }
                Err(_) => false,
            }
        })
    }

    fn raw_fd(&self) -> libc::c_int {
        use std::os::fd::AsRawFd;
        self.fd.as_raw_fd()
    }

    /// A file range of `len` bytes: a freed one of that size, or a new one at the end.
    fn take_range(&mut self, len: usize) -> io::Result<usize> {
        if let Some(i) = self.free.iter().position(|&(_, l)| l == len) {
            return Ok(self.free.swap_remove(i).0);
        }
        let offset = self.len;
        let new_len = libc::off_t::try_from(offset + len)
            .map_err(|_| io::Error::new(io::ErrorKind::OutOfMemory, "code file too large"))?;
        // SAFETY: our descriptor.
        check(unsafe { libc::ftruncate(self.raw_fd(), new_len) })?;
        self.len = offset + len;
        Ok(offset)
    }

    /// Maps `len` bytes of the file at `offset` with `prot`, shared.
    ///
    /// # Safety
    /// `offset..offset+len` must be within the file.
    unsafe fn map(&self, offset: usize, len: usize, prot: libc::c_int) -> io::Result<*mut u8> {
        let ptr = libc::mmap(
            std::ptr::null_mut(),
            len,
            prot,
            libc::MAP_SHARED,
            self.raw_fd(),
            offset as libc::off_t,
        );
        if ptr == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        Ok(ptr.cast())
    }

    /// A new read-execute region of `len` bytes holding `image` at its start: its
    /// address and file offset.
    fn map_new_code(&mut self, len: usize, image: &[u8]) -> io::Result<(usize, usize)> {
        let offset = self.take_range(len)?;
        // SAFETY: the range is ours and within the file; the code mapping is made
        // before anything is written, and is never writable.
        let mapped = unsafe {
            self.map(offset, len, libc::PROT_READ | libc::PROT_EXEC)
                .and_then(|base| {
                    let written = self.write(base as usize, offset, 0, image);
                    if written.is_err() {
                        libc::munmap(base.cast(), len);
                    }
                    written.map(|()| base as usize)
                })
        };
        match mapped {
            Ok(base) => Ok((base, offset)),
            Err(err) => {
                self.give_back(offset, len);
                Err(err)
            }
        }
    }

    /// Writes `image` at `at` into the region mapped at `base` from file offset
    /// `offset` with `pwrite` on the file itself (no writable mapping of any kind
    /// exists, not even briefly: the bytes reach the shared page the read-execute
    /// mapping shows), then makes the instruction cache coherent.
    ///
    /// # Safety
    /// `base` must be the read-execute mapping of the region at `offset`, and the
    /// bytes written must hold no live code.
    unsafe fn write(&self, base: usize, offset: usize, at: usize, image: &[u8]) -> io::Result<()> {
        let mut written = 0;
        while written < image.len() {
            let rest = &image[written..];
            let n = libc::pwrite(
                self.raw_fd(),
                rest.as_ptr().cast(),
                rest.len(),
                (offset + at + written) as libc::off_t,
            );
            match n {
                n if n > 0 => written += n as usize,
                0 => return Err(io::Error::new(io::ErrorKind::WriteZero, "code file write")),
                _ => {
                    let err = io::Error::last_os_error();
                    if err.kind() != io::ErrorKind::Interrupted {
                        return Err(err);
                    }
                }
            }
        }
        icache_coherent((base + at) as *const u8, image.len())
    }

    /// Punches `offset..offset+len` out of the file: its memory is given back, and
    /// reads as zeros.
    fn punch(&self, offset: usize, len: usize) {
        // SAFETY: our descriptor and a range within the file. A failure only keeps the
        // memory allocated.
        unsafe {
            libc::fallocate(
                self.raw_fd(),
                libc::FALLOC_FL_PUNCH_HOLE | libc::FALLOC_FL_KEEP_SIZE,
                offset as libc::off_t,
                len as libc::off_t,
            )
        };
    }

    /// Returns a region's file range, its contents punched out, for reuse.
    fn give_back(&mut self, offset: usize, len: usize) {
        self.punch(offset, len);
        self.free.push((offset, len));
    }
}

fn check(result: libc::c_int) -> io::Result<()> {
    if result == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Maps `len` read-write bytes that are not executable.
unsafe fn map_read_write(len: usize) -> io::Result<*mut u8> {
    let ptr = libc::mmap(
        std::ptr::null_mut(),
        len,
        libc::PROT_READ | libc::PROT_WRITE,
        libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
        -1,
        0,
    );
    if ptr == libc::MAP_FAILED {
        return Err(io::Error::last_os_error());
    }
    Ok(ptr.cast())
}

/// Makes `ptr..ptr+len` read-execute and the instruction cache coherent for it.
unsafe fn seal(ptr: *mut u8, len: usize) -> io::Result<()> {
    check(libc::mprotect(
        ptr.cast(),
        len,
        libc::PROT_READ | libc::PROT_EXEC,
    ))?;
    icache_coherent(ptr, len)
}

unsafe fn icache_coherent(ptr: *const u8, len: usize) -> io::Result<()> {
    wasmtime_jit_icache_coherence::clear_cache(ptr.cast(), len)?;
    wasmtime_jit_icache_coherence::pipeline_flush_mt()?;
    Ok(())
}

/// Maps a new page run holding `image` at its start, read-execute.
unsafe fn map_new_code(len: usize, image: &[u8]) -> io::Result<usize> {
    let ptr = map_read_write(len)?;
    std::ptr::copy_nonoverlapping(image.as_ptr(), ptr, image.len());
    if let Err(err) = seal(ptr, len) {
        libc::munmap(ptr.cast(), len);
        return Err(err);
    }
    Ok(ptr as usize)
}

/// Writes `image` at `offset` into the read-execute page run at `base`, which may hold
/// live code elsewhere: the new contents are prepared in a non-executable copy, sealed,
/// and swapped in atomically.
#[cfg(target_os = "linux")]
unsafe fn rewrite_page(base: usize, len: usize, offset: usize, image: &[u8]) -> io::Result<()> {
    let copy = map_read_write(len)?;
    std::ptr::copy_nonoverlapping(base as *const u8, copy, len);
    std::ptr::copy_nonoverlapping(image.as_ptr(), copy.add(offset), image.len());
    if let Err(err) = check(libc::mprotect(
        copy.cast(),
        len,
        libc::PROT_READ | libc::PROT_EXEC,
    )) {
        libc::munmap(copy.cast(), len);
        return Err(err);
    }
    let moved = libc::mremap(
        copy.cast(),
        len,
        len,
        libc::MREMAP_MAYMOVE | libc::MREMAP_FIXED,
        base as *mut libc::c_void,
    );
    if moved == libc::MAP_FAILED {
        let err = io::Error::last_os_error();
        libc::munmap(copy.cast(), len);
        return Err(err);
    }
    icache_coherent(base as *const u8, len)
}

/// Without an atomic page swap, a page only receives code while nothing live is in
/// it (the caller guarantees that): flip it writable, write, seal again.
#[cfg(not(target_os = "linux"))]
unsafe fn rewrite_page(base: usize, len: usize, offset: usize, image: &[u8]) -> io::Result<()> {
    check(libc::mprotect(
        base as *mut libc::c_void,
        len,
        libc::PROT_READ | libc::PROT_WRITE,
    ))?;
    std::ptr::copy_nonoverlapping(image.as_ptr(), (base + offset) as *mut u8, image.len());
    seal(base as *mut u8, len)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every backing this host has.
    fn backings() -> Vec<Backing> {
        let mut backings = vec![Backing::Anonymous];
        if cfg!(target_os = "linux") {
            backings.push(Backing::Memfd);
        }
        backings
    }

    fn memory(backing: Backing) -> Arc<CodeMemory> {
        let memory = CodeMemory::with_backing(backing).unwrap();
        assert_eq!(memory.backing(), backing);
        memory
    }

    #[test]
    fn packs_densely_and_reuses_freed_ranges() {
        for backing in backings() {
            let memory = memory(backing);
            let a = memory.install(&[&[0xc3; 20]]).unwrap().remove(0);
            let b = memory.install(&[&[0xc3; 16]]).unwrap().remove(0);
            assert_eq!(b.addr(), a.addr() + 32, "second chunk follows the first");
            assert_eq!(memory.stats().pages, 1);
            let freed = a.addr();
            drop(a);
            let c = memory.install(&[&[0x90; 8]]).unwrap().remove(0);
            assert_eq!(c.addr(), freed, "freed range reused");
            // SAFETY: reading our own executable (and readable) memory.
            let byte = unsafe { *(c.addr() as *const u8) };
            assert_eq!(byte, 0x90, "{backing:?}");
            // SAFETY: as above.
            let b_byte = unsafe { *(b.addr() as *const u8) };
            assert_eq!(b_byte, 0xc3, "live neighbour kept its bytes ({backing:?})");
            drop((b, c));
            assert_eq!(memory.stats().live_bytes, 0);
        }
    }

    #[test]
    fn batches_split_into_ranges_and_large_code_spans_pages() {
        for backing in backings() {
            let memory = memory(backing);
            let ranges = memory.install(&[&[1; 3], &[2; 17], &[3; 5000]]).unwrap();
            assert_eq!(ranges[1].addr(), ranges[0].addr() + 16);
            assert_eq!(ranges[2].addr(), ranges[1].addr() + 32);
            assert_eq!(ranges[2].len(), 5008);
            assert!(memory.stats().mapped_bytes >= 5056);
            // SAFETY: reading our own executable (and readable) memory.
            let last = unsafe { *((ranges[2].addr() + 4999) as *const u8) };
            assert_eq!(last, 3, "{backing:?}");
            drop(ranges);
            let stats = memory.stats();
            assert_eq!(stats.live_bytes, 0);
            assert!(
                stats.mappings <= 1 && stats.pages <= KEPT_EMPTY_PAGES.max(2),
                "empty runs are unmapped but one, few empty pages kept: {stats:?}"
            );
        }
    }

    /// `return 42` in this host's machine code.
    fn return_42() -> Vec<u8> {
        if cfg!(target_arch = "aarch64") {
            // mov w0, #42; ret
            [0x5280_0540u32, 0xd65f_03c0]
                .iter()
                .flat_map(|i| i.to_le_bytes())
                .collect()
        } else {
            // mov eax, 42; ret
            vec![0xb8, 42, 0, 0, 0, 0xc3]
        }
    }

    #[test]
    #[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
    fn installed_code_runs_in_pages_that_are_written_again_and_reused() {
        for backing in backings() {
            let memory = memory(backing);
            let code = return_42();
            // Fill more than two pages one install at a time (each install after the
            // first writes into a page holding live code), then free every other one
            // and install again into the holes and into reused file ranges.
            let mut ranges: Vec<CodeRange> = (0..600)
                .map(|_| memory.install(&[&code]).unwrap().remove(0))
                .collect();
            let mut index = 0;
            ranges.retain(|_| {
                index += 1;
                index % 2 == 0
            });
            let pages_before = memory.stats().pages;
            ranges.extend((0..300).map(|_| memory.install(&[&code]).unwrap().remove(0)));
            assert_eq!(memory.stats().pages, pages_before, "holes reused");
            for range in &ranges {
                // SAFETY: the range holds `return 42` for this host's C convention.
                let f = unsafe { std::mem::transmute::<usize, extern "C" fn() -> i32>(range.addr()) };
                assert_eq!(f(), 42, "{backing:?} at {range:?}");
            }
            ranges.clear();
            // Whole page runs go back and their file ranges are reused.
            let again: Vec<CodeRange> = (0..600)
                .map(|_| memory.install(&[&code]).unwrap().remove(0))
                .collect();
            for range in &again {
                // SAFETY: as above.
                let f = unsafe { std::mem::transmute::<usize, extern "C" fn() -> i32>(range.addr()) };
                assert_eq!(f(), 42, "{backing:?} at {range:?}");
            }
        }
    }

    /// The mappings of this process that overlap `addr..addr+len`.
    #[cfg(target_os = "linux")]
    fn mappings_over(addr: usize, len: usize) -> Vec<String> {
        std::fs::read_to_string("/proc/self/maps")
            .unwrap()
            .lines()
            .filter(|line| {
                let range = line.split_whitespace().next().unwrap();
                let (start, end) = range.split_once('-').unwrap();
                let start = usize::from_str_radix(start, 16).unwrap();
                let end = usize::from_str_radix(end, 16).unwrap();
                start < addr + len && addr < end
            })
            .map(str::to_string)
            .collect()
    }

    #[test]
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    fn code_installed_one_at_a_time_stays_in_one_mapping_and_empty_pages_go_back() {
        let memory = memory(Backing::Memfd);
        let code = return_42();
        // 3000 trampolines of 112 bytes, each install after the first writing into
        // a page that holds live code.
        let mut chunk = code.clone();
        chunk.resize(112, 0);
        let ranges: Vec<CodeRange> = (0..3000)
            .map(|_| memory.install(&[&chunk]).unwrap().remove(0))
            .collect();
        let stats = memory.stats();
        assert_eq!(stats.mappings, 1, "{stats:?}");
        let (low, high) = (ranges[0].addr(), ranges[2999].addr() + 112);
        let maps = mappings_over(low, high - low);
        assert_eq!(maps.len(), 1, "code pages in several mappings: {maps:?}");
        assert!(maps[0].split_whitespace().nth(1).unwrap().starts_with("r-x"), "{maps:?}");
        assert_eq!(stats.pages, (3000 * 112usize).div_ceil(4096), "{stats:?}");
        for range in ranges.iter().step_by(97) {
            // SAFETY: the range holds `return 42`.
            let f = unsafe { std::mem::transmute::<usize, extern "C" fn() -> i32>(range.addr()) };
            assert_eq!(f(), 42);
        }
        drop(ranges);
        let stats = memory.stats();
        assert_eq!(stats.live_bytes, 0);
        assert!(stats.pages <= KEPT_EMPTY_PAGES, "empty pages kept: {stats:?}");
    }

    #[test]
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    fn after_a_fork_neither_process_writes_into_code_the_other_may_run() {
        let memory = memory(Backing::Memfd);
        let code = return_42();
        let before: Vec<CodeRange> = (0..4).map(|_| memory.install(&[&code]).unwrap().remove(0)).collect();
        let old_run = (before[0].addr(), before[3].addr() + 16);
        // SAFETY: the child only calls code, installs code and exits with `_exit`.
        let child = unsafe { libc::fork() };
        assert!(child >= 0);
        if child == 0 {
            let new = memory.install(&[&code]).unwrap().remove(0);
            let fresh = new.addr() < old_run.0 || new.addr() >= old_run.1;
            // SAFETY: both ranges hold `return 42`.
            let (f, g) = unsafe {
                (
                    std::mem::transmute::<usize, extern "C" fn() -> i32>(before[1].addr()),
                    std::mem::transmute::<usize, extern "C" fn() -> i32>(new.addr()),
                )
            };
            let ok = fresh && f() == 42 && g() == 42;
            // SAFETY: ends the child without running the parent's exit handlers.
            unsafe { libc::_exit(if ok { 0 } else { 1 }) };
        }
        let mut before = before;
        let freed = before.remove(2).addr();
        let new = memory.install(&[&code]).unwrap().remove(0);
        assert_ne!(new.addr(), freed, "a range the child may still run was reused");
        assert!(
            new.addr() < old_run.0 || new.addr() >= old_run.1 + REGION,
            "new code went into a region shared with the child"
        );
        let mut status = 0;
        // SAFETY: our child.
        assert_eq!(unsafe { libc::waitpid(child, &mut status, 0) }, child);
        assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0, "child status {status}");
    }
}
