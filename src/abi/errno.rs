//! The thread's error number around a call: where each target's C library keeps it,
//! and the IR that copies it between the C library and a place the runtime gives.
//!
//! A runtime that reads `errno` itself, after a downcall returned, reads whatever its
//! own allocator, logging or garbage collector left there. An errno downcall copies
//! the value inside the trampoline instead: the first thing after the callee returns
//! is a call of the C library's accessor and a 4-byte store into the place; nothing of
//! the runtime runs in between. With [`ErrnoMode::SetAndCapture`] the last thing
//! before the call is the opposite copy, so the callee starts with the runtime's value
//! (what CPython's ctypes does with `use_errno=True`).
//!
//! # Which function holds the value
//!
//! - Linux (glibc and musl): `errno` is `(*__errno_location ())`, a per-thread `int`
//!   (both libraries' `<errno.h>` define it so).
//! - Apple (macOS, iOS): `errno` is `(*__error())` (`<sys/errno.h>`).
//! - Windows: the thread's last-error code, read with `GetLastError` and written with
//!   `SetLastError` (Microsoft Learn, "GetLastError function (errhandlingapi.h)" and
//!   "SetLastError"); a `DWORD`, stored in the place as its 4 bytes. Win64 trampolines
//!   reach them as imports of objects (`kernel32`); they never run in this process.
//!
//! Every accessor is called in the target's C convention.

use super::Target;
use crate::error::Error;
use cranelift_codegen::ir::{self, types, AbiParam, ExternalName, InstBuilder};
use cranelift_codegen::ir::{MemFlagsData, UserExternalName};
use cranelift_frontend::FunctionBuilder;
use std::fmt;
use target_lexicon::OperatingSystem;

/// What an errno downcall does with the thread's error number (`errno`; on Windows
/// the last-error code).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrnoMode {
    /// Right after the callee returns, store the error number into the place.
    Capture,
    /// Right before the call, set the error number from the place; right after it,
    /// store it back (CPython ctypes' `use_errno`).
    SetAndCapture,
}

impl ErrnoMode {
    /// Both modes.
    pub const ALL: [ErrnoMode; 2] = [ErrnoMode::Capture, ErrnoMode::SetAndCapture];

    /// The mode's name in fixture paths and listings.
    pub fn name(self) -> &'static str {
        match self {
            ErrnoMode::Capture => "capture",
            ErrnoMode::SetAndCapture => "set_and_capture",
        }
    }
}

impl fmt::Display for ErrnoMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The namespace of the error-number accessors in a trampoline's user external names;
/// the index is the accessor's position in [`Accessors::symbols`].
pub const ERRNO_NAMESPACE: u32 = 0x5e;

/// How a target's C library exposes the thread's error number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Accessors {
    /// A function returning the address of the thread's `int` (`int *f(void)`).
    Location(&'static str),
    /// A getter returning the value and a setter taking it (`DWORD get(void)`,
    /// `void set(DWORD)`).
    GetSet {
        /// The getter.
        get: &'static str,
        /// The setter.
        set: &'static str,
    },
}

impl Accessors {
    /// The accessors of `target`'s C library; an error for systems springboard knows
    /// none for.
    pub fn of(target: &Target) -> Result<Accessors, Error> {
        let triple = target.triple();
        match triple.operating_system {
            OperatingSystem::Linux => Ok(Accessors::Location("__errno_location")),
            OperatingSystem::Darwin(_) | OperatingSystem::MacOSX(_) | OperatingSystem::IOS(_) => {
                Ok(Accessors::Location("__error"))
            }
            OperatingSystem::Windows => Ok(Accessors::GetSet {
                get: "GetLastError",
                set: "SetLastError",
            }),
            _ => Err(Error::Unsupported(format!(
                "errno capture for {triple}: springboard knows no errno accessor of its \
                 C library"
            ))),
        }
    }

    /// The symbols, in [`ERRNO_NAMESPACE`] index order: the location function, or the
    /// getter then the setter.
    pub fn symbols(self) -> Vec<&'static str> {
        match self {
            Accessors::Location(location) => vec![location],
            Accessors::GetSet { get, set } => vec![get, set],
        }
    }

    /// The C signature of the accessor at `index` in [`Accessors::symbols`], in the
    /// target's C convention.
    fn signature(self, index: u32, target: &Target) -> ir::Signature {
        let mut signature = ir::Signature::new(target.c_abi().call_conv());
        match (self, index) {
            (Accessors::Location(_), _) => {
                signature.returns.push(AbiParam::new(target.pointer_type()))
            }
            (Accessors::GetSet { .. }, 0) => signature.returns.push(AbiParam::new(types::I32)),
            (Accessors::GetSet { .. }, _) => signature.params.push(AbiParam::new(types::I32)),
        }
        signature
    }
}

/// The flags of the 4-byte accesses to the place and to the C library's `int`: typed
/// accesses of 4-aligned memory (the runtime vouches for its place, documented as a
/// 4-aligned `int`; the C library for its own `int`).
fn flags() -> MemFlagsData {
    crate::ir_bytes::typed_flags(4, 0, 4)
}

/// Emits a call of accessor `index` of `accessors` with `args`; returns its results.
fn call_accessor(
    builder: &mut FunctionBuilder,
    accessors: Accessors,
    index: u32,
    target: &Target,
    args: &[ir::Value],
) -> Vec<ir::Value> {
    let signature = builder.import_signature(accessors.signature(index, target));
    let name = builder
        .func
        .declare_imported_user_function(UserExternalName {
            namespace: ERRNO_NAMESPACE,
            index,
        });
    let function = builder.import_function(ir::ExtFuncData {
        name: ExternalName::User(name),
        signature,
        colocated: false,
        patchable: false,
    });
    let call = builder.ins().call(function, args);
    builder.inst_results(call).to_vec()
}

/// Emits the copy from `place` (a pointer to 4 bytes) into the thread's error number.
pub fn emit_set(builder: &mut FunctionBuilder, target: &Target, place: ir::Value) {
    let accessors = Accessors::of(target).expect("checked by `check`");
    let value = builder.ins().load(types::I32, flags(), place, 0);
    match accessors {
        Accessors::Location(_) => {
            let location = call_accessor(builder, accessors, 0, target, &[])[0];
            builder.ins().store(flags(), value, location, 0);
        }
        Accessors::GetSet { .. } => {
            call_accessor(builder, accessors, 1, target, &[value]);
        }
    }
}

/// Emits the copy from the thread's error number into `place` (a pointer to 4 bytes).
pub fn emit_capture(builder: &mut FunctionBuilder, target: &Target, place: ir::Value) {
    let accessors = Accessors::of(target).expect("checked by `check`");
    let value = match accessors {
        Accessors::Location(_) => {
            let location = call_accessor(builder, accessors, 0, target, &[])[0];
            builder.ins().load(types::I32, flags(), location, 0)
        }
        Accessors::GetSet { .. } => call_accessor(builder, accessors, 0, target, &[])[0],
    };
    builder.ins().store(flags(), value, place, 0);
}

/// Fails unless `target`'s C library has known accessors.
pub fn check(target: &Target) -> Result<(), Error> {
    Accessors::of(target).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accessors(triple: &str) -> Result<Accessors, Error> {
        Accessors::of(&triple.parse().unwrap())
    }

    #[test]
    fn each_system_has_its_accessors() {
        let location = |name| Accessors::Location(name);
        let cases = [
            ("x86_64-unknown-linux-gnu", location("__errno_location")),
            ("riscv64gc-unknown-linux-musl", location("__errno_location")),
            ("aarch64-unknown-linux-gnu", location("__errno_location")),
            ("aarch64-apple-darwin", location("__error")),
            ("x86_64-apple-darwin", location("__error")),
        ];
        for (triple, expected) in cases {
            assert_eq!(accessors(triple).unwrap(), expected, "{triple}");
        }
        let windows = accessors("x86_64-pc-windows-msvc").unwrap();
        assert_eq!(windows.symbols(), ["GetLastError", "SetLastError"]);
    }

    #[test]
    fn systems_without_known_accessors_are_errors() {
        let err = accessors("x86_64-unknown-freebsd").unwrap_err();
        assert!(err.to_string().contains("x86_64-unknown-freebsd"), "{err}");
    }
}
