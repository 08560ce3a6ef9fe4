//! The GDB JIT interface: debuggers learn the names of trampoline code.
//!
//! A debugger that supports the interface (gdb, lldb) puts a breakpoint on
//! `__jit_debug_register_code` and, when it is hit, reads `__jit_debug_descriptor`: a
//! list of in-memory object files and which one was just added or removed. Each
//! installed batch (a compiled batch, or a chunk of callback instances) becomes one
//! small ELF relocatable whose `.text` section sits at the code's address, holding a
//! copy of the code and one function symbol per trampoline; gdb then names trampoline
//! frames in `bt` and walks through them on their frame pointers.
//!
//! Off by default ([`crate::EngineOptions::gdb_jit`]): registering takes a process-wide
//! lock and allocates an image per batch.

use std::sync::Mutex;

/// `jit_actions_t`: what the debugger is told at a `__jit_debug_register_code` call.
const JIT_REGISTER_FN: u32 = 1;
const JIT_UNREGISTER_FN: u32 = 2;

/// `struct jit_code_entry`: one in-memory object file in the debugger's list.
#[repr(C)]
pub struct JitCodeEntry {
    next_entry: *mut JitCodeEntry,
    prev_entry: *mut JitCodeEntry,
    symfile_addr: *const u8,
    symfile_size: u64,
}

/// `struct jit_descriptor`: the list the debugger reads.
#[repr(C)]
pub struct JitDescriptor {
    version: u32,
    action_flag: u32,
    relevant_entry: *mut JitCodeEntry,
    first_entry: *mut JitCodeEntry,
}

/// The descriptor debuggers look up by this name.
#[no_mangle]
pub static mut __jit_debug_descriptor: JitDescriptor = JitDescriptor {
    version: 1,
    action_flag: 0,
    relevant_entry: std::ptr::null_mut(),
    first_entry: std::ptr::null_mut(),
};

/// The function debuggers put a breakpoint on: called after every change of the list.
#[no_mangle]
#[inline(never)]
pub extern "C" fn __jit_debug_register_code() {
    // Keeps the call (and the function) from being optimised away.
    std::hint::black_box(());
}

/// Serialises changes of the list (a debugger reads it only while the process stops).
static LOCK: Mutex<()> = Mutex::new(());

/// One object file registered with the debugger; unregistered on drop.
pub(crate) struct GdbRegistration {
    /// The `JitCodeEntry` (from `Box::into_raw`), as an address.
    entry: usize,
    /// The ELF image the entry points to.
    _image: Box<[u8]>,
}

impl std::fmt::Debug for GdbRegistration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "GdbRegistration({:#x})", self.entry)
    }
}

/// Registers `(address, size, name)` functions, which lie in ascending order in one
/// run of live, readable code memory, with the debugger.
pub(crate) fn register(functions: &[(usize, usize, &str)]) -> Option<GdbRegistration> {
    let first = functions.first()?.0;
    let (last, last_size, _) = *functions.last()?;
    let end = last + last_size;
    // SAFETY: the caller gives live, readable code: `first..end` is one installed run.
    let code = unsafe { std::slice::from_raw_parts(first as *const u8, end - first) };
    let image = elf_image(first, code, functions).into_boxed_slice();
    let entry = Box::into_raw(Box::new(JitCodeEntry {
        next_entry: std::ptr::null_mut(),
        prev_entry: std::ptr::null_mut(),
        symfile_addr: image.as_ptr(),
        symfile_size: image.len() as u64,
    }));
    let _guard = LOCK.lock().unwrap_or_else(|p| p.into_inner());
    // SAFETY: the descriptor and the entries are only changed under LOCK.
    unsafe {
        let descriptor = std::ptr::addr_of_mut!(__jit_debug_descriptor);
        (*entry).next_entry = (*descriptor).first_entry;
        if !(*descriptor).first_entry.is_null() {
            (*(*descriptor).first_entry).prev_entry = entry;
        }
        (*descriptor).first_entry = entry;
        (*descriptor).relevant_entry = entry;
        (*descriptor).action_flag = JIT_REGISTER_FN;
    }
    __jit_debug_register_code();
    Some(GdbRegistration {
        entry: entry as usize,
        _image: image,
    })
}

impl Drop for GdbRegistration {
    fn drop(&mut self) {
        let entry = self.entry as *mut JitCodeEntry;
        let _guard = LOCK.lock().unwrap_or_else(|p| p.into_inner());
        // SAFETY: `entry` is in the list (added by `register`, removed only here) and
        // the list is only changed under LOCK.
        unsafe {
            let descriptor = std::ptr::addr_of_mut!(__jit_debug_descriptor);
            let (prev, next) = ((*entry).prev_entry, (*entry).next_entry);
            if prev.is_null() {
                (*descriptor).first_entry = next;
            } else {
                (*prev).next_entry = next;
            }
            if !next.is_null() {
                (*next).prev_entry = prev;
            }
            (*descriptor).relevant_entry = entry;
            (*descriptor).action_flag = JIT_UNREGISTER_FN;
            __jit_debug_register_code();
            (*descriptor).relevant_entry = std::ptr::null_mut();
            drop(Box::from_raw(entry));
        }
    }
}

/// ELF `e_machine` of the host.
const MACHINE: u16 = if cfg!(target_arch = "aarch64") {
    183
} else {
    62
};

/// A little-endian 64-bit ELF relocatable: `.text` at `address` holding `code`, a
/// function symbol per `(address, size, name)`, and the string tables.
fn elf_image(address: usize, code: &[u8], functions: &[(usize, usize, &str)]) -> Vec<u8> {
    const EHDR: usize = 64;
    const SHDR: usize = 64;
    const SYM: usize = 24;
    let shstrtab = b"\0.text\0.symtab\0.strtab\0.shstrtab\0";
    let (text_name, symtab_name, strtab_name, shstrtab_name) = (1, 7, 15, 23);
    let mut strtab = vec![0u8];
    let mut symtab = vec![0u8; SYM];
    for &(function, size, name) in functions {
        let name_offset = strtab.len() as u32;
        strtab.extend_from_slice(name.as_bytes());
        strtab.push(0);
        symtab.extend_from_slice(&name_offset.to_le_bytes());
        symtab.push(0x12); // STB_GLOBAL, STT_FUNC
        symtab.push(0); // STV_DEFAULT
        symtab.extend_from_slice(&1u16.to_le_bytes()); // .text
        symtab.extend_from_slice(&((function - address) as u64).to_le_bytes());
        symtab.extend_from_slice(&(size as u64).to_le_bytes());
    }
    let align = |at: usize, to: usize| at.div_ceil(to) * to;
    let text_at = align(EHDR, 16);
    let symtab_at = align(text_at + code.len(), 8);
    let strtab_at = symtab_at + symtab.len();
    let shstrtab_at = strtab_at + strtab.len();
    let shdrs_at = align(shstrtab_at + shstrtab.len(), 8);

    let mut image = Vec::with_capacity(shdrs_at + 5 * SHDR);
    image.extend_from_slice(&[0x7f, b'E', b'L', b'F', 2, 1, 1, 0]);
    image.resize(16, 0);
    image.extend_from_slice(&1u16.to_le_bytes()); // ET_REL
    image.extend_from_slice(&MACHINE.to_le_bytes());
    image.extend_from_slice(&1u32.to_le_bytes()); // EV_CURRENT
    image.extend_from_slice(&0u64.to_le_bytes()); // entry
    image.extend_from_slice(&0u64.to_le_bytes()); // no program headers
    image.extend_from_slice(&(shdrs_at as u64).to_le_bytes());
    image.extend_from_slice(&0u32.to_le_bytes()); // flags
    for half in [EHDR as u16, 0, 0, SHDR as u16, 5, 4] {
        image.extend_from_slice(&half.to_le_bytes());
    }
    image.resize(text_at, 0);
    image.extend_from_slice(code);
    image.resize(symtab_at, 0);
    image.extend_from_slice(&symtab);
    image.extend_from_slice(&strtab);
    image.extend_from_slice(shstrtab);
    image.resize(shdrs_at, 0);

    struct Section {
        name: u32,
        kind: u32,
        flags: u64,
        addr: u64,
        offset: usize,
        size: usize,
        link: u32,
        info: u32,
        align: u64,
        entsize: u64,
    }
    let sections = [
        Section {
            name: 0,
            kind: 0,
            flags: 0,
            addr: 0,
            offset: 0,
            size: 0,
            link: 0,
            info: 0,
            align: 0,
            entsize: 0,
        },
        Section {
            name: text_name,
            kind: 1,  // SHT_PROGBITS
            flags: 6, // SHF_ALLOC | SHF_EXECINSTR
            addr: address as u64,
            offset: text_at,
            size: code.len(),
            link: 0,
            info: 0,
            align: 16,
            entsize: 0,
        },
        Section {
            name: symtab_name,
            kind: 2, // SHT_SYMTAB
            flags: 0,
            addr: 0,
            offset: symtab_at,
            size: symtab.len(),
            link: 3,
            info: 1, // every symbol but the null one is global
            align: 8,
            entsize: SYM as u64,
        },
        Section {
            name: strtab_name,
            kind: 3, // SHT_STRTAB
            flags: 0,
            addr: 0,
            offset: strtab_at,
            size: strtab.len(),
            link: 0,
            info: 0,
            align: 1,
            entsize: 0,
        },
        Section {
            name: shstrtab_name,
            kind: 3,
            flags: 0,
            addr: 0,
            offset: shstrtab_at,
            size: shstrtab.len(),
            link: 0,
            info: 0,
            align: 1,
            entsize: 0,
        },
    ];
    for section in sections {
        image.extend_from_slice(&section.name.to_le_bytes());
        image.extend_from_slice(&section.kind.to_le_bytes());
        image.extend_from_slice(&section.flags.to_le_bytes());
        image.extend_from_slice(&section.addr.to_le_bytes());
        image.extend_from_slice(&(section.offset as u64).to_le_bytes());
        image.extend_from_slice(&(section.size as u64).to_le_bytes());
        image.extend_from_slice(&section.link.to_le_bytes());
        image.extend_from_slice(&section.info.to_le_bytes());
        image.extend_from_slice(&section.align.to_le_bytes());
        image.extend_from_slice(&section.entsize.to_le_bytes());
    }
    image
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_image_is_an_elf_relocatable_with_a_symbol_per_function() {
        let code = [0xc3u8; 48];
        let image = elf_image(
            0x10000,
            &code,
            &[
                (0x10000, 16, "springboard a"),
                (0x10010, 32, "springboard b"),
            ],
        );
        assert_eq!(&image[..4], b"\x7fELF");
        let shoff = u64::from_le_bytes(image[40..48].try_into().unwrap()) as usize;
        assert_eq!(image.len(), shoff + 5 * 64);
        let text = &image[shoff + 64..shoff + 128];
        let addr = u64::from_le_bytes(text[16..24].try_into().unwrap());
        let offset = u64::from_le_bytes(text[24..32].try_into().unwrap()) as usize;
        assert_eq!(addr, 0x10000);
        assert_eq!(&image[offset..offset + 48], &code);
        let text = String::from_utf8_lossy(&image);
        assert!(text.contains("springboard a\0springboard b\0"));
    }
}
