//! Unwind information for installed trampolines, registered with the system unwinder.
//!
//! Cranelift describes each compiled function's frame (where the CFA is and where the
//! callee-saved registers were saved, instruction by instruction) as System V call
//! frame information. This module turns that description into `.eh_frame` records
//! (one CIE and one FDE per trampoline) and registers them with the unwinder the
//! process uses, so that C++ exceptions, `_Unwind_Backtrace`, `backtrace()` and
//! debuggers that ask the unwinder walk through trampoline frames.
//!
//! The description of a frame does not depend on where its code is placed, so a
//! callback body's description is kept once and written again at each instance's
//! address (see [`Unwinder::register`]); nothing is recompiled.
//!
//! A [`Registration`] covers one installed batch of code and deregisters it when
//! dropped: every owner drops its registration before the code ranges it covers, so no
//! stale record ever describes memory that holds other code.
//!
//! The unwinders: libgcc's (Linux with glibc) takes a whole `.eh_frame` section in one
//! `__register_frame` call; LLVM's libunwind (macOS, and the other systems where
//! `__register_frame` exists) takes one FDE per call.

use crate::error::{CodegenError, Error};
use cranelift_codegen::isa::unwind::{systemv, UnwindInfo};
use cranelift_codegen::isa::TargetIsa;
use cranelift_codegen::CompiledCode;
use gimli::write::{Address, CommonInformationEntry, EhFrame, EndianVec, FrameTable};

/// How one compiled function's frame unwinds, wherever its code is placed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FrameUnwind {
    info: systemv::UnwindInfo,
}

impl FrameUnwind {
    /// The frame description of `compiled`, or `None` when Cranelift gives none that
    /// this module registers (Windows unwind codes, or a function without a frame).
    pub(crate) fn of(
        compiled: &CompiledCode,
        isa: &dyn TargetIsa,
    ) -> Result<Option<FrameUnwind>, Error> {
        match compiled.create_unwind_info(isa) {
            Ok(Some(UnwindInfo::SystemV(info))) => Ok(Some(FrameUnwind { info })),
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

    /// Registers one FDE per `(address, frame)`: the frame's code starts at `address`
    /// and stays there until the returned registration drops. All the records go into
    /// one `.eh_frame` buffer and, with libgcc, one registration call.
    pub(crate) fn register<'a>(
        &self,
        frames: impl IntoIterator<Item = (usize, &'a FrameUnwind)>,
    ) -> Result<Registration, Error> {
        let section = self.eh_frame(frames)?;
        // SAFETY: `section` is a well-formed `.eh_frame` section ending in a zero
        // terminator; the registration owns it and deregisters before freeing it.
        Ok(unsafe { Registration::new(section) })
    }

    /// `.eh_frame` bytes with one CIE, one FDE per frame and the zero terminator, in
    /// 8-byte aligned storage.
    fn eh_frame<'a>(
        &self,
        frames: impl IntoIterator<Item = (usize, &'a FrameUnwind)>,
    ) -> Result<Box<[u64]>, Error> {
        let mut table = FrameTable::default();
        let cie = table.add_cie(self.cie.clone());
        for (address, frame) in frames {
            table.add_fde(cie, frame.info.to_fde(Address::Constant(address as u64)));
        }
        let mut eh_frame = EhFrame(EndianVec::new(gimli::NativeEndian));
        table
            .write_eh_frame(&mut eh_frame)
            .map_err(|e| CodegenError::Unwind {
                message: format!("writing .eh_frame: {e}"),
            })?;
        let mut bytes = eh_frame.0.into_vec();
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
    /// Byte offsets of the registered records in `section`: 0 alone (the whole
    /// section) or each FDE's.
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
        let registered = if WHOLE_SECTION {
            vec![0]
        } else {
            fde_offsets(&section)
        };
        for &offset in &registered {
            sys::register(base.add(offset));
        }
        Registration {
            section,
            registered,
        }
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let base = self.section.as_ptr().cast::<u8>();
        for &offset in &self.registered {
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
}
