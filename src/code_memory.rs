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
//! 1. **W^X**: no page is ever writable and executable at once. Code is written into a
//!    private read-write mapping that is not executable, which is then made
//!    read-execute.
//! 2. **Live code stays executable**: a page holding a live trampoline is never made
//!    non-executable, not even briefly, because another thread may be running it.
//! 3. **Dense packing**: trampolines are packed at 16-byte granularity, many per page,
//!    even when they are compiled one at a time.
//! 4. **Freeing**: a trampoline's bytes return to its page's free list when its last
//!    [`CodeRange`] drops, and are reused by later code; a page with nothing live in it
//!    is unmapped (one empty page is kept for reuse).
//!
//! Rules 1-3 together forbid writing into a page that already holds live code. On
//! Linux, new code for such a page is written into a fresh read-write copy of the page,
//! the copy is made read-execute, and `mremap(MREMAP_FIXED)` atomically replaces the
//! old page with it. Every live trampoline has the same bytes at the same address in
//! both pages, so a thread running one of them at that moment is unaffected (a thread
//! that faults on the page during the swap waits for the kernel's mapping lock and
//! resumes on the new page). On other systems a page only receives code while nothing
//! live is in it.
//!
//! **Hardened hosts.** A Linux process under `prctl(PR_SET_MDWE,
//! PR_MDWE_REFUSE_EXEC_GAIN)` (what systemd's `MemoryDenyWriteExecute=` sets) may not
//! make a mapping executable that was not mapped executable, so the `mprotect` above
//! fails there. There, code lives in a memfd instead ([`Backing::Memfd`], chosen when
//! `PR_GET_MDWE` reports the flag): each page run is a range of the file mapped
//! read-execute from the start (never writable, never gaining exec), and code is
//! written through a short-lived read-write mapping of the same range that is never
//! executable, unmapped again right after the write. A freed run's file range is
//! punched out and reused.
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
    /// Pages mapped (executable or kept empty for reuse).
    pub pages: usize,
    /// Bytes mapped.
    pub mapped_bytes: usize,
    /// Bytes held by live trampolines.
    pub live_bytes: usize,
}

/// Where code pages come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backing {
    /// Private anonymous pages, written and then made read-execute.
    Anonymous,
    /// Ranges of a memfd, mapped read-execute once and written through a separate,
    /// short-lived read-write mapping (Linux only): for hosts that forbid gaining
    /// exec (MDWE).
    Memfd,
}

impl Backing {
    /// The backing this process can use: [`Backing::Memfd`] under MDWE's
    /// refuse-exec-gain, [`Backing::Anonymous`] otherwise.
    pub fn for_this_process() -> Backing {
        #[cfg(target_os = "linux")]
        {
            /// `PR_GET_MDWE` and its `PR_MDWE_REFUSE_EXEC_GAIN` flag (linux/prctl.h).
            const PR_GET_MDWE: libc::c_int = 66;
            const PR_MDWE_REFUSE_EXEC_GAIN: libc::c_int = 1;
            // SAFETY: PR_GET_MDWE reads the process's flags; kernels before 6.3 fail
            // with EINVAL, which means no MDWE.
            let flags = unsafe { libc::prctl(PR_GET_MDWE, 0, 0, 0, 0) };
            if flags > 0 && flags & PR_MDWE_REFUSE_EXEC_GAIN != 0 {
                return Backing::Memfd;
            }
        }
        Backing::Anonymous
    }
}

/// The memfd of [`Backing::Memfd`] and the file ranges of unmapped page runs.
#[cfg(target_os = "linux")]
struct CodeFile {
    fd: std::os::fd::OwnedFd,
    /// File size: the end of the highest range handed out.
    len: usize,
    /// `(offset, len)` ranges handed back (their contents punched out).
    free: Vec<(usize, usize)>,
}

struct Pages {
    page_size: usize,
    #[cfg(target_os = "linux")]
    /// `Some` for [`Backing::Memfd`].
    file: Option<CodeFile>,
    /// Pages by base address.
    pages: BTreeMap<usize, Page>,
}

struct Page {
    len: usize,
    /// The page run's range in the memfd ([`Backing::Memfd`] only).
    #[cfg_attr(not(target_os = "linux"), allow(dead_code))]
    file_offset: usize,
    /// Free byte ranges `[start, end)` as offsets into the page, sorted and coalesced.
    free: Vec<(usize, usize)>,
    live_bytes: usize,
}

impl Page {
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

    fn give_back(&mut self, offset: usize, len: usize) {
        let i = self.free.partition_point(|&(s, _)| s < offset);
        self.free.insert(i, (offset, offset + len));
        // Coalesce with the neighbours.
        if i + 1 < self.free.len() && self.free[i].1 == self.free[i + 1].0 {
            self.free[i].1 = self.free.remove(i + 1).1;
        }
        if i > 0 && self.free[i - 1].1 == self.free[i].0 {
            self.free[i - 1].1 = self.free.remove(i).1;
        }
        self.live_bytes -= len;
    }
}

fn round_up(value: usize, to: usize) -> usize {
    value.div_ceil(to) * to
}

impl CodeMemory {
    /// Empty code memory with the backing this process can use
    /// ([`Backing::for_this_process`]); pages are mapped on demand.
    pub fn new() -> io::Result<Arc<CodeMemory>> {
        CodeMemory::with_backing(Backing::for_this_process())
    }

    /// Empty code memory with the given backing ([`Backing::Memfd`] fails off Linux).
    pub fn with_backing(backing: Backing) -> io::Result<Arc<CodeMemory>> {
        // SAFETY: sysconf has no preconditions.
        let page_size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
        let page_size = usize::try_from(page_size).unwrap_or(4096).max(4096);
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
                page_size,
                #[cfg(target_os = "linux")]
                file,
                pages: BTreeMap::new(),
            }),
        }))
    }

    /// The backing in use.
    pub fn backing(&self) -> Backing {
        #[cfg(target_os = "linux")]
        if self.lock().file.is_some() {
            return Backing::Memfd;
        }
        Backing::Anonymous
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
        MemoryStats {
            pages: pages.pages.len(),
            mapped_bytes: pages.pages.values().map(|p| p.len).sum(),
            live_bytes: pages.pages.values().map(|p| p.live_bytes).sum(),
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

    /// Writes `image` somewhere executable and returns its address.
    fn place(&mut self, image: &[u8]) -> io::Result<usize> {
        let len = image.len();
        let fit = self.pages.iter().find_map(|(&base, page)| {
            let writable_in_place = page.live_bytes == 0 || cfg!(target_os = "linux");
            page.find_fit(len)
                .filter(|_| writable_in_place)
                .map(|offset| (base, offset))
        });
        if let Some((base, offset)) = fit {
            let (page_len, file_offset) = (self.pages[&base].len, self.pages[&base].file_offset);
            // SAFETY: `base..base+page_len` is a page we mapped and still own; the
            // target range is free, so no live code is overwritten.
            unsafe {
                match self.file_mut() {
                    #[cfg(target_os = "linux")]
                    Some(file) => file.write(base, file_offset, offset, image)?,
                    _ => rewrite_page(base, page_len, offset, image)?,
                }
            }
            self.pages
                .get_mut(&base)
                .expect("page found above")
                .take(offset, len);
            return Ok(base + offset);
        }
        let page_len = round_up(len, self.page_size);
        let (base, file_offset) = match self.file_mut() {
            #[cfg(target_os = "linux")]
            Some(file) => file.map_new_code(page_len, image)?,
            // SAFETY: a fresh mapping is exclusively ours.
            _ => (unsafe { map_new_code(page_len, image)? }, 0),
        };
        let mut page = Page {
            len: page_len,
            file_offset,
            free: vec![(0, page_len)],
            live_bytes: 0,
        };
        page.take(0, len);
        self.pages.insert(base, page);
        Ok(base)
    }

    fn free(&mut self, addr: usize, len: usize) {
        let (&base, page) = self
            .pages
            .range_mut(..=addr)
            .next_back()
            .expect("freeing code that was never installed");
        page.give_back(addr - base, len);
        if page.live_bytes == 0 {
            let empty_pages = self.pages.values().filter(|p| p.live_bytes == 0).count();
            if empty_pages > 1 {
                let page = self.pages.remove(&base).expect("page found above");
                // SAFETY: nothing live is in the page, and it is ours.
                unsafe { libc::munmap(base as *mut libc::c_void, page.len) };
                #[cfg(target_os = "linux")]
                if let Some(file) = self.file.as_mut() {
                    file.give_back(page.file_offset, page.len);
                }
            }
        }
    }
}

#[cfg(target_os = "linux")]
impl CodeFile {
    fn create() -> io::Result<CodeFile> {
        use std::os::fd::FromRawFd;
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

    /// A new read-execute page run of `len` bytes holding `image` at its start: its
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

    /// Writes `image` at `at` into the page run mapped at `base` from file offset
    /// `offset`, through a read-write mapping of just the bytes written, which is
    /// unmapped again before returning; then makes the instruction cache coherent.
    ///
    /// # Safety
    /// `base` must be the read-execute mapping of the run at `offset`, and the bytes
    /// written must hold no live code.
    unsafe fn write(&self, base: usize, offset: usize, at: usize, image: &[u8]) -> io::Result<()> {
        let page_size = usize::try_from(libc::sysconf(libc::_SC_PAGESIZE)).unwrap_or(4096);
        let start = (at / page_size) * page_size;
        let len = round_up(at + image.len(), page_size) - start;
        let alias = self.map(offset + start, len, libc::PROT_READ | libc::PROT_WRITE)?;
        std::ptr::copy_nonoverlapping(image.as_ptr(), alias.add(at - start), image.len());
        libc::munmap(alias.cast(), len);
        icache_coherent((base + at) as *const u8, image.len())
    }

    /// Returns a run's file range, its contents punched out (memory given back).
    fn give_back(&mut self, offset: usize, len: usize) {
        // SAFETY: our descriptor and a range within the file. A failure only keeps the
        // memory allocated; the range is reused either way.
        unsafe {
            libc::fallocate(
                self.raw_fd(),
                libc::FALLOC_FL_PUNCH_HOLE | libc::FALLOC_FL_KEEP_SIZE,
                offset as libc::off_t,
                len as libc::off_t,
            )
        };
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
                stats.pages <= 1,
                "empty pages are unmapped but one: {stats:?}"
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
}
