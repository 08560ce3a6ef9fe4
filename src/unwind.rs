//! Unwind information for installed trampolines, registered with the system unwinder.
//!
//! Cranelift describes each compiled function's frame (where the CFA is and where the
//! callee-saved registers were saved, instruction by instruction) as System V call
//! frame information. This module turns that description into `.eh_frame` records
//! (a CIE and an FDE per trampoline, the FDE written on the compiling thread) and
//! registers them with the unwinder the process uses, so that C++ exceptions,
//! `_Unwind_Backtrace`, `backtrace()` and debuggers that ask the unwinder walk through
//! trampoline frames.
//!
//! The description of a frame does not depend on where its code is placed, so its
//! FDE is written once at a placeholder address and copied to wherever the code goes
//! (a callback body's to each instance, see [`Unwinder::register_copies`]; a
//! downcall's into its address group, see [`FrameGroups`]); nothing is recompiled.
//!
//! A [`Registration`] covers one section and deregisters it when dropped: every owner
//! drops its registration (or removes its FDE from its group) before the code ranges
//! it covers, so no stale record ever describes memory that holds other code.
//!
//! The unwinders: libgcc's (Linux with glibc) takes a whole `.eh_frame` section in one
//! `__register_frame` call; LLVM's libunwind (macOS, and the other systems where
//! `__register_frame` exists) takes one FDE per call.

use crate::error::{CodegenError, Error};
use cranelift_codegen::isa::unwind::{systemv, UnwindInfo};
use cranelift_codegen::isa::TargetIsa;
use cranelift_codegen::CompiledCode;
use gimli::write::{Address, CommonInformationEntry, EhFrame, EndianVec, FrameTable};

/// How one compiled function's frame unwinds, wherever its code is placed: Cranelift's
/// description and the CIE and FDE bytes written from it once, on the thread that
/// compiled the function (an install only copies the FDE and sets its address).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FrameUnwind {
    info: systemv::UnwindInfo,
    template: FrameTemplate,
}

impl FrameUnwind {
    /// The frame description of `compiled`, or `None` when Cranelift gives none that
    /// this module registers (Windows unwind codes, or a function without a frame).
    pub(crate) fn of(
        compiled: &CompiledCode,
        isa: &dyn TargetIsa,
    ) -> Result<Option<FrameUnwind>, Error> {
        match compiled.create_unwind_info(isa) {
            Ok(Some(UnwindInfo::SystemV(info))) => {
                let Some(cie) = isa.create_systemv_cie() else {
                    return Ok(None);
                };
                let template = template(&cie, &info)?;
                Ok(Some(FrameUnwind { info, template }))
            }
            Ok(_) => Ok(None),
            Err(e) => Err(CodegenError::Unwind {
                message: format!("{e:?}"),
            }
            .into()),
        }
    }
}

/// Writes and registers `.eh_frame` records for the code of one ISA.
pub(crate) struct Unwinder {
    cie: CommonInformationEntry,
}

impl std::fmt::Debug for Unwinder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Unwinder")
    }
}

impl Unwinder {
    /// An unwinder for code compiled by `isa` on this host, or `None` where this host
    /// has no unwinder that this module registers with.
    pub(crate) fn for_host(isa: &dyn TargetIsa) -> Option<Unwinder> {
        if !HOST_SUPPORTED {
            return None;
        }
        Some(Unwinder {
            cie: isa.create_systemv_cie()?,
        })
    }

    /// `frame`'s records written once, to be placed at many addresses without
    /// writing them again ([`Unwinder::register_copies`]).
    pub(crate) fn template(&self, frame: &FrameUnwind) -> Result<FrameTemplate, Error> {
        template(&self.cie, &frame.info)
    }

    /// Registers `template`'s frame at each of `addresses` (copies of one function's
    /// code): one CIE and an FDE per address, copied from the template with their
    /// CIE pointer and start address set; nothing is written through gimli again.
    pub(crate) fn register_copies(
        &self,
        template: &FrameTemplate,
        addresses: impl ExactSizeIterator<Item = usize>,
    ) -> Registration {
        let section = self.copies(template, addresses);
        // SAFETY: a well-formed section (the template's records, placed as gimli
        // would place them), ending in a zero terminator; the registration owns it.
        unsafe { Registration::new(section) }
    }

    /// The section [`Unwinder::register_copies`] registers.
    fn copies(
        &self,
        template: &FrameTemplate,
        addresses: impl ExactSizeIterator<Item = usize>,
    ) -> Box<[u64]> {
        let (cie, fde) = (template.cie.len(), template.fde.len());
        let len = cie + addresses.len() * fde + 4;
        let mut words = vec![0u64; len.div_ceil(8)].into_boxed_slice();
        // SAFETY: viewing the zeroed words as bytes.
        let bytes = unsafe {
            std::slice::from_raw_parts_mut(words.as_mut_ptr().cast::<u8>(), words.len() * 8)
        };
        bytes[..cie].copy_from_slice(&template.cie);
        for (i, address) in addresses.enumerate() {
            let at = cie + i * fde;
            let record = &mut bytes[at..at + fde];
            record.copy_from_slice(&template.fde);
            // The CIE pointer: the distance back from this field to the CIE (at 0).
            record[4..8].copy_from_slice(&((at + 4) as u32).to_ne_bytes());
            let pc_begin = template.pc_begin_at;
            record[pc_begin..pc_begin + 8].copy_from_slice(&(address as u64).to_ne_bytes());
        }
        // The zero terminator is already there (the words were zeroed).
        words
    }

    /// `.eh_frame` bytes with one CIE, one FDE per frame and the zero terminator, in
    /// 8-byte aligned storage (what the tests compare built sections with).
    #[cfg(test)]
    fn eh_frame<'a>(
        &self,
        frames: impl IntoIterator<Item = (usize, &'a FrameUnwind)>,
    ) -> Result<Box<[u64]>, Error> {
        let mut bytes = self.records(frames)?;
        // The zero-length record that ends a section.
        bytes.extend_from_slice(&[0; 4]);
        let mut words = vec![0u64; bytes.len().div_ceil(8)].into_boxed_slice();
        // SAFETY: the words hold at least `bytes.len()` bytes and do not overlap it.
        unsafe {
            std::ptr::copy_nonoverlapping(
                bytes.as_ptr(),
                words.as_mut_ptr().cast::<u8>(),
                bytes.len(),
            )
        };
        Ok(words)
    }

    /// One CIE and one FDE per frame, written by gimli (no terminator).
    #[cfg(test)]
    fn records<'a>(
        &self,
        frames: impl IntoIterator<Item = (usize, &'a FrameUnwind)>,
    ) -> Result<Vec<u8>, Error> {
        records(
            &self.cie,
            frames
                .into_iter()
                .map(|(address, frame)| (address, &frame.info)),
        )
    }
}

/// One CIE and one FDE per frame, written by gimli (no terminator).
fn records<'a>(
    cie: &CommonInformationEntry,
    frames: impl IntoIterator<Item = (usize, &'a systemv::UnwindInfo)>,
) -> Result<Vec<u8>, Error> {
    let mut table = FrameTable::default();
    let cie = table.add_cie(cie.clone());
    for (address, info) in frames {
        table.add_fde(cie, info.to_fde(Address::Constant(address as u64)));
    }
    let mut eh_frame = EhFrame(EndianVec::new(gimli::NativeEndian));
    table
        .write_eh_frame(&mut eh_frame)
        .map_err(|e| CodegenError::Unwind {
            message: format!("writing .eh_frame: {e}"),
        })?;
    Ok(eh_frame.0.into_vec())
}

/// `info`'s CIE and FDE written once by gimli at a placeholder address, split, and the
/// FDE's start-address field found (DWARF 5, 6.4.1: an FDE is its length, the offset
/// back to its CIE, then the initial location in the CIE's pointer encoding, an
/// absolute 8-byte address here).
fn template(
    cie: &CommonInformationEntry,
    info: &systemv::UnwindInfo,
) -> Result<FrameTemplate, Error> {
    let bytes = records(cie, [(PLACEHOLDER, info)])?;
    let malformed = || CodegenError::Unwind {
        message: "unexpected .eh_frame layout for a frame template".into(),
    };
    let word = |at: usize| {
        bytes
            .get(at..at + 4)
            .map(|w| u32::from_ne_bytes(w.try_into().expect("4 bytes")))
    };
    let cie_end = 4 + word(0).ok_or_else(malformed)? as usize;
    let fde = bytes.get(cie_end..).ok_or_else(malformed)?;
    let placeholder = (PLACEHOLDER as u64).to_ne_bytes();
    let pc_begin_at = fde
        .windows(8)
        .position(|window| window == placeholder)
        .ok_or_else(malformed)?;
    if word(cie_end) != Some((fde.len() - 4) as u32)
        || word(cie_end + 4) != Some(cie_end as u32 + 4)
    {
        return Err(malformed().into());
    }
    Ok(FrameTemplate {
        cie: bytes[..cie_end].to_vec(),
        fde: fde.to_vec(),
        pc_begin_at,
    })
}

/// Code addresses whose FDEs share one registered section: every trampoline that
/// starts in the same `GROUP_BYTES` of address space (DWARF has no limit; this bounds
/// the bytes copied when a group's section is rebuilt).
const GROUP_BYTES: usize = 4096;

/// The FDEs of installed downcalls and other relocation-free code, registered in
/// groups: one `.eh_frame` section (one CIE, the FDEs of every live trampoline that
/// starts in the group's [`GROUP_BYTES`], a zero terminator) per group, so a
/// trampoline costs its FDE's bytes instead of a section, a CIE and the unwinder's
/// record of its own.
///
/// libgcc cannot add FDEs to a registered section (it walks a section's records when
/// it first searches it, and keeps what it found), so a group whose FDEs change is
/// written again and the new section registered **before** the old one is
/// deregistered: at every moment some registered section describes every live
/// trampoline of the group (two sections describing the same code for an instant is
/// harmless: both say the same), and a trampoline's FDE is gone from every section
/// before its code memory is freed ([`FrameGroups::remove`]).
pub(crate) struct FrameGroups {
    /// The CIE record every FDE points back to: the first record of each section
    /// (the first frame's, which every later one must share).
    cie: std::sync::OnceLock<Box<[u8]>>,
    groups: std::sync::Mutex<std::collections::HashMap<usize, Registration>>,
}

impl std::fmt::Debug for FrameGroups {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FrameGroups")
    }
}

impl FrameGroups {
    /// No groups yet.
    pub(crate) fn new() -> FrameGroups {
        FrameGroups {
            cie: std::sync::OnceLock::new(),
            groups: Default::default(),
        }
    }

    fn groups(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<usize, Registration>> {
        self.groups.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers each `(address, frame)`: the frame's code starts at `address` and
    /// stays there until [`FrameGroups::remove`] is called with that address. Each
    /// group touched is written and registered once, however many frames it gains.
    pub(crate) fn add<'a>(
        &self,
        frames: impl IntoIterator<Item = (usize, &'a FrameUnwind)>,
    ) -> Result<(), Error> {
        let mut added: Vec<(usize, &FrameTemplate)> = Vec::new();
        for (address, frame) in frames {
            let template = &frame.template;
            let cie = self
                .cie
                .get_or_init(|| template.cie.clone().into_boxed_slice());
            if *template.cie != **cie || template.pc_begin_at != PC_BEGIN_AT {
                return Err(CodegenError::Unwind {
                    message: format!(
                        "the frame at {address:#x} was written against another CIE or layout"
                    ),
                }
                .into());
            }
            added.push((address, template));
        }
        added.sort_unstable_by_key(|&(address, _)| address);
        let mut groups = self.groups();
        for run in added.chunk_by(|a, b| a.0 / GROUP_BYTES == b.0 / GROUP_BYTES) {
            let key = run[0].0 / GROUP_BYTES;
            let old = groups.get(&key).map(|r| r.fde_bytes());
            let section = self.section(
                old.into_iter().flat_map(fdes),
                run.iter().map(|&(address, t)| (address, &t.fde[..])),
            );
            // SAFETY: a well-formed section (the CIE, whole FDEs whose CIE pointers
            // point back to it, a terminator) describing live code: the group's
            // trampolines, each removed before its code is freed.
            let registration = unsafe { Registration::new(section) };
            // The new section is registered before the old one goes.
            drop(groups.insert(key, registration));
        }
        Ok(())
    }

    /// Forgets the frame of the code starting at `address` (registered by
    /// [`FrameGroups::add`]); its code may be freed once this returns.
    pub(crate) fn remove(&self, address: usize) {
        let key = address / GROUP_BYTES;
        let mut groups = self.groups();
        let Some(old) = groups.get(&key) else {
            return;
        };
        let all = fdes(old.fde_bytes());
        let rest: Vec<&[u8]> = all.clone().filter(|fde| pc_begin(fde) != address).collect();
        if rest.len() == all.count() {
            // Code without a frame description: nothing to forget.
            return;
        }
        if rest.is_empty() {
            drop(groups.remove(&key));
            return;
        }
        let section = self.section(rest.into_iter(), std::iter::empty());
        // SAFETY: as in `add`: the group's other frames, whose code is live.
        let registration = unsafe { Registration::new(section) };
        drop(groups.insert(key, registration));
    }

    /// A section of the CIE, the `kept` FDEs (already placed) and the `added` FDE
    /// templates at their addresses, each FDE's CIE pointer set, and the terminator.
    fn section<'a>(
        &self,
        kept: impl Iterator<Item = &'a [u8]> + Clone,
        added: impl Iterator<Item = (usize, &'a [u8])> + Clone,
    ) -> Box<[u64]> {
        let cie = self.cie.get().map_or(&[][..], |cie| &cie[..]);
        let len = cie.len()
            + kept.clone().map(<[u8]>::len).sum::<usize>()
            + added.clone().map(|(_, fde)| fde.len()).sum::<usize>()
            + 4;
        let mut words = vec![0u64; len.div_ceil(8)].into_boxed_slice();
        // SAFETY: viewing the zeroed words as bytes.
        let bytes = unsafe {
            std::slice::from_raw_parts_mut(words.as_mut_ptr().cast::<u8>(), words.len() * 8)
        };
        bytes[..cie.len()].copy_from_slice(cie);
        let mut at = cie.len();
        let records = kept
            .map(|fde| (None, fde))
            .chain(added.map(|(address, fde)| (Some(address), fde)));
        for (address, fde) in records {
            let record = &mut bytes[at..at + fde.len()];
            record.copy_from_slice(fde);
            // The CIE pointer: the distance back from this field to the CIE (at 0).
            record[4..8].copy_from_slice(&((at + 4) as u32).to_ne_bytes());
            if let Some(address) = address {
                record[PC_BEGIN_AT..PC_BEGIN_AT + 8]
                    .copy_from_slice(&(address as u64).to_ne_bytes());
            }
            at += fde.len();
        }
        // The zero terminator is already there (the words were zeroed).
        words
    }

    /// Groups registered now (for tests).
    #[cfg(test)]
    fn registered(&self) -> usize {
        self.groups().len()
    }
}

/// Where an FDE written against the host CIE holds its start address: after its
/// length and CIE pointer (checked against every template [`FrameGroups::add`] gets).
const PC_BEGIN_AT: usize = 8;

/// The FDEs of a section's bytes after its first record (the CIE), up to the
/// terminator.
fn fdes(section: &[u8]) -> impl Iterator<Item = &[u8]> + Clone {
    let word = |bytes: &[u8], at: usize| {
        bytes
            .get(at..at + 4)
            .map_or(0, |w| u32::from_ne_bytes(w.try_into().expect("4 bytes"))) as usize
    };
    let mut at = 4 + word(section, 0);
    std::iter::from_fn(move || {
        let length = word(section, at);
        if length == 0 {
            return None;
        }
        let record = section.get(at..at + 4 + length)?;
        at += 4 + length;
        Some(record)
    })
}

/// The start address of a placed FDE.
fn pc_begin(fde: &[u8]) -> usize {
    u64::from_ne_bytes(
        fde[PC_BEGIN_AT..PC_BEGIN_AT + 8]
            .try_into()
            .expect("8 bytes"),
    ) as usize
}

/// The start address a template's FDE is written with, found again to patch it.
const PLACEHOLDER: usize = 0x5b7a_11c0_de5b_7a11u64 as usize;

/// One frame's CIE and FDE as bytes, and where the FDE holds its start address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FrameTemplate {
    cie: Vec<u8>,
    fde: Vec<u8>,
    pc_begin_at: usize,
}

/// Whether this host has an unwinder this module registers with.
const HOST_SUPPORTED: bool = cfg!(all(
    unix,
    any(target_arch = "x86_64", target_arch = "aarch64")
));

/// Whether the unwinder takes a whole section per call (libgcc) rather than one FDE.
const WHOLE_SECTION: bool = cfg!(all(target_os = "linux", target_env = "gnu"));

/// Records registered with the system unwinder; deregistered on drop.
pub(crate) struct Registration {
    /// The `.eh_frame` section the unwinder reads while registered.
    section: Box<[u64]>,
    /// Byte offsets of the registered records in `section`, each FDE's; empty where
    /// the whole section is registered at once (no allocation per registration).
    registered: Vec<usize>,
}

impl std::fmt::Debug for Registration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Registration({} bytes at {:p})",
            self.section.len() * 8,
            self.section.as_ptr()
        )
    }
}

impl Registration {
    /// Registers `section`.
    ///
    /// # Safety
    /// `section` must be a well-formed `.eh_frame` section ending in a zero
    /// terminator whose FDEs describe code that stays in place until the
    /// registration drops.
    unsafe fn new(section: Box<[u64]>) -> Registration {
        let base = section.as_ptr().cast::<u8>();
        let registration = Registration {
            registered: if WHOLE_SECTION {
                Vec::new()
            } else {
                fde_offsets(&section)
            },
            section,
        };
        for &offset in registration.offsets() {
            sys::register(base.add(offset));
        }
        registration
    }

    /// The section's bytes.
    fn fde_bytes(&self) -> &[u8] {
        // SAFETY: reading the initialised words as bytes.
        unsafe {
            std::slice::from_raw_parts(self.section.as_ptr().cast::<u8>(), self.section.len() * 8)
        }
    }

    /// The byte offsets passed to the unwinder.
    fn offsets(&self) -> &[usize] {
        if WHOLE_SECTION {
            &[0]
        } else {
            &self.registered
        }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let base = self.section.as_ptr().cast::<u8>();
        for &offset in self.offsets() {
            // SAFETY: registered by `new` with exactly this pointer, once.
            unsafe { sys::deregister(base.add(offset)) };
        }
    }
}

/// Byte offsets of the FDEs (records whose CIE pointer is not zero) in a section.
fn fde_offsets(section: &[u64]) -> Vec<usize> {
    // SAFETY: reading the initialised words as bytes.
    let bytes =
        unsafe { std::slice::from_raw_parts(section.as_ptr().cast::<u8>(), section.len() * 8) };
    let word = |at: usize| u32::from_ne_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    let mut offsets = Vec::new();
    let mut at = 0;
    while at + 8 <= bytes.len() {
        let length = word(at) as usize;
        if length == 0 {
            break;
        }
        if word(at + 4) != 0 {
            offsets.push(at);
        }
        at += 4 + length;
    }
    offsets
}

#[cfg(unix)]
mod sys {
    extern "C" {
        fn __register_frame(begin: *const u8);
        fn __deregister_frame(begin: *const u8);
    }

    /// # Safety
    /// `begin` is a section (libgcc) or an FDE (libunwind) that stays valid until
    /// [`deregister`] is called with it.
    pub(super) unsafe fn register(begin: *const u8) {
        __register_frame(begin)
    }

    /// # Safety
    /// `begin` was passed to [`register`] and not yet deregistered.
    pub(super) unsafe fn deregister(begin: *const u8) {
        __deregister_frame(begin)
    }
}

#[cfg(not(unix))]
mod sys {
    /// # Safety
    /// Never called: no unwinder is supported on this host.
    pub(super) unsafe fn register(_: *const u8) {}

    /// # Safety
    /// Never called: no unwinder is supported on this host.
    pub(super) unsafe fn deregister(_: *const u8) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compiler::{Compiler, CompilerOptions};
    use crate::trampoline::Request;

    #[test]
    fn a_section_holds_one_cie_and_one_fde_per_frame() {
        let compiler = Compiler::host(&CompilerOptions::default()).unwrap();
        let code = compiler
            .compile(&Request::Downcall("(i32, f64) -> i64".parse().unwrap()))
            .unwrap();
        let frame = code.unwind.expect("host code has unwind information");
        let unwinder = compiler.unwinder().expect("a supported host");
        let section = unwinder
            .eh_frame([(0x1000, &frame), (0x2000, &frame), (0x3000, &frame)])
            .unwrap();
        assert_eq!(fde_offsets(&section).len(), 3);
        // SAFETY: reading the initialised words as bytes.
        let bytes =
            unsafe { std::slice::from_raw_parts(section.as_ptr().cast::<u8>(), section.len() * 8) };
        let cie_length = u32::from_ne_bytes(bytes[0..4].try_into().unwrap());
        assert_eq!(&bytes[4..8], &[0; 4], "the first record is the CIE");
        assert_eq!(fde_offsets(&section)[0], 4 + cie_length as usize);
    }

    #[test]
    fn copies_of_a_template_are_what_gimli_writes_for_each_address() {
        let compiler = Compiler::host(&CompilerOptions::default()).unwrap();
        let unwinder = compiler.unwinder().expect("a supported host");
        for text in [
            "() -> i32",
            "(i32, f64, i8, ptr, f32, i64, u16, f64) -> f64",
        ] {
            let code = compiler
                .compile(&Request::Callback(text.parse().unwrap()))
                .unwrap();
            let frame = code.unwind.expect("host code has unwind information");
            let addresses = [0x7f00_0000_1000usize, 0x7f00_0000_1070, 0x7f00_0001_0000];
            let written = unwinder
                .eh_frame(addresses.iter().map(|&address| (address, &frame)))
                .unwrap();
            let template = unwinder.template(&frame).unwrap();
            let copied = unwinder.copies(&template, addresses.iter().copied());
            assert_eq!(copied, written, "{text}");
        }
    }

    #[test]
    fn a_group_section_is_what_gimli_writes_for_its_frames_kept_and_added() {
        let compiler = Compiler::host(&CompilerOptions::default()).unwrap();
        let unwinder = compiler.unwinder().expect("a supported host");
        let groups = FrameGroups::new();
        let frames: Vec<FrameUnwind> = ["() -> i32", "(i32, f64, i8, ptr, f32, i64) -> f64"]
            .iter()
            .map(|text| {
                let code = compiler
                    .compile(&Request::Downcall(text.parse().unwrap()))
                    .unwrap();
                code.unwind.expect("host code has unwind information")
            })
            .collect();
        let placed = [
            (0x7f00_0000_1000usize, &frames[0]),
            (0x7f00_0000_1040, &frames[1]),
            (0x7f00_0000_10c0, &frames[0]),
        ];
        groups
            .cie
            .get_or_init(|| frames[0].template.cie.clone().into_boxed_slice());
        let bytes = |words: &[u64]| {
            // SAFETY: reading initialised words as bytes.
            unsafe { std::slice::from_raw_parts(words.as_ptr().cast::<u8>(), words.len() * 8) }
                .to_vec()
        };
        // The first two added, then the third added to the section they are in.
        let first = groups.section(
            std::iter::empty(),
            placed[..2]
                .iter()
                .map(|&(address, frame)| (address, &frame.template.fde[..])),
        );
        assert_eq!(
            first,
            unwinder.eh_frame(placed[..2].iter().copied()).unwrap()
        );
        let first = bytes(&first);
        let second = groups.section(
            fdes(&first),
            placed[2..]
                .iter()
                .map(|&(address, frame)| (address, &frame.template.fde[..])),
        );
        assert_eq!(second, unwinder.eh_frame(placed.iter().copied()).unwrap());
        // The middle one taken out: the others moved, their CIE pointers set again.
        let second = bytes(&second);
        let rest: Vec<&[u8]> = fdes(&second)
            .filter(|fde| pc_begin(fde) != placed[1].0)
            .collect();
        assert_eq!(rest.len(), 2);
        let third = groups.section(rest.into_iter(), std::iter::empty());
        assert_eq!(
            third,
            unwinder
                .eh_frame([placed[0], placed[2]].iter().copied())
                .unwrap()
        );
        assert_eq!(groups.registered(), 0, "nothing was registered");
    }
}
