//! Executes the struct-by-value catalogue (`tests/common/struct_catalogue.rs`) against
//! gcc-compiled callees that check every field of every argument: in the host's C
//! convention (System V) and, with `__attribute__((ms_abi))` callees, through `win64`
//! signatures.
//!
//! Every case runs
//! - through the raw entry point with each struct argument at the very end of a page
//!   followed by an inaccessible page (so reading one byte past a struct faults), at
//!   the struct's own alignment only, garbage in its padding and in every ignored byte
//!   of the scalar slots, and a result buffer pre-filled with garbage: the result's
//!   value bytes must be exact and nothing after the struct may change;
//! - through the raw entry point again with the structs in ordinary 8-aligned buffers
//!   with garbage after them, which must be unchanged after the call (the callees
//!   scribble over their struct parameters, which are their own copies);
//! - both ways again through the pointer-array downcall (libffi's layout), with
//!   pointers to the same values, and at page ends once more (a tiered lazy downcall
//!   runs the generic caller, then its trampoline);
//! - through the checked [`Downcall::call`], which must also refuse a struct of another
//!   type or a malformed struct value without calling anything.

mod common;

use common::c_cases::{
    self, encoded, encoded_with_padding, leaves, same_value, value_bits, value_bytes_mask, Callees,
    NarrowParams,
};
use common::case::assert_no_failures;
use common::pointers::pointers_to;
use common::slots::{dirty_slot, expected_result_slot, garbage};
use common::struct_catalogue::{self as catalogue, Case};
use springboard::{
    Compiler, CompilerOptions, Convention, Downcall, Error, PointerDowncall, Request, Signature,
    Slot, Target, Tiering, Type, Value, ValueError,
};
use std::ffi::c_void;

/// A struct's C-layout bytes with garbage in its padding.
fn dirty_struct_bytes(value: &Value, salt: usize) -> Vec<u8> {
    encoded_with_padding(value, |i| garbage(salt, i))
}

/// Describes how `bytes` (a struct result place that held `before`) differs from
/// `expected`: value bytes must match, padding is free, bytes after the struct must be
/// unchanged.
fn struct_result_problem(expected: &Value, bytes: &[u8], before: &[u8]) -> Option<String> {
    let want = encoded(expected);
    let mask = value_bytes_mask(&expected.ty());
    let size = want.len();
    let wrong: Vec<usize> = (0..size)
        .filter(|&i| mask[i] && bytes[i] != want[i])
        .collect();
    let clobbered: Vec<usize> = (size..bytes.len())
        .filter(|&i| bytes[i] != before[i])
        .collect();
    if wrong.is_empty() && clobbered.is_empty() {
        return None;
    }
    Some(format!(
        "result bytes {:02x?}, expected {want:02x?} ({expected}); wrong value bytes at \
         {wrong:?}, bytes after the struct changed at {clobbered:?}",
        &bytes[..size]
    ))
}

/// Pages mapped alternately read-write and inaccessible: one read-write page per
/// struct, so that a struct placed at the end of its page is followed by a fault.
struct GuardedPages {
    base: *mut u8,
    page: usize,
    count: usize,
}

impl GuardedPages {
    fn new(count: usize) -> GuardedPages {
        // SAFETY: plain anonymous mappings, unmapped in `drop`; the pointers stay in
        // the mapping.
        unsafe {
            let page = libc::sysconf(libc::_SC_PAGESIZE) as usize;
            let len = 2 * page * count;
            let base = libc::mmap(
                std::ptr::null_mut(),
                len,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS,
                -1,
                0,
            );
            assert_ne!(base, libc::MAP_FAILED, "mmap");
            let base = base.cast::<u8>();
            for i in 0..count {
                let guard = base.add((2 * i + 1) * page);
                assert_eq!(libc::mprotect(guard.cast(), page, libc::PROT_NONE), 0);
            }
            GuardedPages { base, page, count }
        }
    }

    /// The last `len` bytes of read-write page `index`.
    fn tail(&mut self, index: usize, len: usize) -> &mut [u8] {
        assert!(index < self.count && len <= self.page);
        // SAFETY: the range lies in read-write page `index`, borrowed mutably.
        unsafe {
            let end = self.base.add(2 * index * self.page + self.page);
            std::slice::from_raw_parts_mut(end.sub(len), len)
        }
    }
}

impl Drop for GuardedPages {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `new`, no longer borrowed.
        unsafe { libc::munmap(self.base.cast(), 2 * self.page * self.count) };
    }
}

/// An 8-aligned byte buffer.
struct Aligned(Vec<u64>);

impl Aligned {
    fn new(len: usize, fill: impl Fn(usize) -> u8) -> Aligned {
        let mut buffer = Aligned(vec![0; len.div_ceil(8)]);
        for (i, byte) in buffer.bytes_mut().iter_mut().enumerate() {
            *byte = fill(i);
        }
        buffer
    }

    fn bytes(&self) -> &[u8] {
        // SAFETY: the words are initialised; u8 has no alignment requirement.
        unsafe { std::slice::from_raw_parts(self.0.as_ptr().cast(), self.0.len() * 8) }
    }

    fn bytes_mut(&mut self) -> &mut [u8] {
        // SAFETY: as above, borrowed mutably.
        unsafe { std::slice::from_raw_parts_mut(self.0.as_mut_ptr().cast(), self.0.len() * 8) }
    }
}

/// Bytes of garbage kept after each struct and result in the plain raw run.
const TAIL: usize = 24;

/// Raw call (`invoke(slots, result)`), structs at page ends; `what` names the call
/// in problems.
fn raw_at_page_ends(
    what: &str,
    invoke: impl Fn(*const Slot, *mut Slot),
    case: &Case,
    pages: &mut GuardedPages,
    problems: &mut Vec<String>,
) {
    let mut slots = Vec::new();
    for (i, arg) in case.args.iter().enumerate() {
        if arg.ty().is_aggregate() {
            let bytes = dirty_struct_bytes(arg, i);
            let place = pages.tail(i, bytes.len());
            place.copy_from_slice(&bytes);
            slots.push(Slot::from_ptr(place.as_ptr()));
        } else {
            slots.push(dirty_slot(arg, i));
        }
    }
    let result_ty = case.result.ty();
    if result_ty.is_aggregate() {
        // 8-aligned, ending as close to the page end as that allows.
        let len = result_ty.size().next_multiple_of(8);
        let place = pages.tail(case.args.len(), len);
        for (i, byte) in place.iter_mut().enumerate() {
            *byte = garbage(77, i);
        }
        let before = place.to_vec();
        let result = place.as_mut_ptr();
        // One slot per parameter, struct slots pointing at the struct's bytes; the
        // result place holds the struct's size, 8-aligned.
        invoke(slots.as_ptr(), result.cast());
        let place = pages.tail(case.args.len(), len);
        if let Some(problem) = struct_result_problem(&case.result, place, &before) {
            problems.push(format!("{what}, structs at page ends: {problem}"));
        }
    } else {
        let before = Slot(std::array::from_fn(|i| garbage(99, i)));
        let mut result = before;
        invoke(slots.as_ptr(), &mut result);
        let expected = expected_result_slot(&case.result, before);
        if result != expected {
            problems.push(format!(
                "{what}, structs at page ends: result slot {result:?}, expected \
                 {expected:?} ({:?})",
                case.result
            ));
        }
    }
}

/// Raw call (`invoke(slots, result)`), structs in 8-aligned buffers followed by
/// garbage that must survive; `what` names the call in problems.
fn raw_in_buffers(
    what: &str,
    invoke: impl Fn(*const Slot, *mut Slot),
    case: &Case,
    problems: &mut Vec<String>,
) {
    let mut buffers = Vec::new();
    let mut slots = Vec::new();
    for (i, arg) in case.args.iter().enumerate() {
        if arg.ty().is_aggregate() {
            let bytes = dirty_struct_bytes(arg, i + 40);
            let buffer = Aligned::new(bytes.len() + TAIL, |b| {
                bytes.get(b).copied().unwrap_or(garbage(i, b))
            });
            slots.push(Slot::from_ptr(buffer.bytes().as_ptr()));
            buffers.push((i, buffer.bytes().to_vec(), buffer));
        } else {
            slots.push(dirty_slot(arg, i + 40));
        }
    }
    let result_ty = case.result.ty();
    let mut result = Aligned::new(result_ty.size().max(8) + TAIL, |i| garbage(55, i));
    let before = result.bytes().to_vec();
    // The result buffer is 8-aligned and large enough for the result (a struct, or
    // one slot).
    invoke(slots.as_ptr(), result.bytes_mut().as_mut_ptr().cast());
    for (i, before, buffer) in &buffers {
        if buffer.bytes() != before.as_slice() {
            problems.push(format!(
                "{what}: the bytes of struct argument {i} changed: {:02x?}, were {before:02x?}",
                buffer.bytes()
            ));
        }
    }
    let after = result.bytes();
    if result_ty.is_aggregate() {
        if let Some(problem) = struct_result_problem(&case.result, after, &before) {
            problems.push(format!("{what}: {problem}"));
        }
    } else {
        let slot = Slot(after[..8].try_into().unwrap());
        let expected = expected_result_slot(&case.result, Slot(before[..8].try_into().unwrap()));
        if slot != expected || after[8..] != before[8..] {
            problems.push(format!(
                "{what}: result slot {slot:?}, expected {expected:?} ({:?}), or bytes \
                 after the slot changed",
                case.result
            ));
        }
    }
}

/// A struct value of another type than `ty`, from the catalogue's shapes.
fn struct_of_another_type(ty: &Type, k: usize) -> Value {
    let shapes = catalogue::shapes();
    let (_, other) = shapes
        .iter()
        .cycle()
        .skip(k % shapes.len())
        .find(|(_, s)| s != ty)
        .expect("more than one shape");
    catalogue::ValueSource::default().value(other)
}

/// Runs one case every way; returns what went wrong.
fn run_case(
    downcall: &Downcall,
    pointer: &PointerDowncall,
    callee: *const c_void,
    case: &Case,
    cases: &[Case],
    callees: &Callees,
    pages: &mut GuardedPages,
) -> Vec<String> {
    let mut problems = Vec::new();
    callees.bookkeeping.reset();

    // SAFETY (every raw call): the callee was generated from the case's signature;
    // the runs pass one slot per parameter (struct slots pointing at the struct's
    // bytes) and a result place of the result's size.
    let slots = |slots, result| unsafe { (downcall.as_raw())(callee, slots, result) };
    let params = &case.signature.params;
    let pointers = |slots: *const Slot, result: *mut Slot| unsafe {
        let slots = std::slice::from_raw_parts(slots, params.len());
        let values = pointers_to(slots, params);
        pointer.call_raw(callee, values.as_ptr(), result.cast())
    };
    raw_at_page_ends("raw call", slots, case, pages, &mut problems);
    callees.take(cases, "raw call, structs at page ends", 1, &mut problems);
    raw_at_page_ends("pointer-array call", pointers, case, pages, &mut problems);
    callees.take(
        cases,
        "pointer-array call, structs at page ends",
        1,
        &mut problems,
    );

    raw_in_buffers("raw call", slots, case, &mut problems);
    callees.take(cases, "raw call", 1, &mut problems);
    raw_in_buffers("pointer-array call", pointers, case, &mut problems);
    callees.take(cases, "pointer-array call", 1, &mut problems);
    // A third pointer-array call: a lazy downcall compiled after its second
    // ([`common::TIERED`]) runs its trampoline here, having run the generic caller.
    let third = "pointer-array call, structs at page ends, again";
    raw_at_page_ends(third, pointers, case, pages, &mut problems);
    callees.take(cases, third, 1, &mut problems);

    // SAFETY: the callee has the downcall's signature; it dereferences no pointer.
    match unsafe { downcall.call(callee, &case.args) } {
        Ok(value) if same_value(&value, &case.result) => {}
        Ok(value) => problems.push(format!(
            "checked call returned {value}, expected {}",
            case.result
        )),
        Err(e) => problems.push(format!("checked call failed: {e}")),
    }
    callees.take(cases, "checked call", 1, &mut problems);

    // Into a result value of another type (replaced), then into a value of the result
    // type holding other bytes (reused).
    let mut out = Value::Void;
    for round in ["replaced", "reused"] {
        if round == "reused" {
            let ty = case.result.ty();
            out = Value::decode(&ty, &vec![0x5a; ty.size().max(8)]);
        }
        // SAFETY: as above.
        match unsafe { downcall.call_into(callee, &case.args, &mut out) } {
            Ok(()) if same_value(&out, &case.result) => {}
            Ok(()) => problems.push(format!(
                "checked call into a {round} value gave {out}, expected {}",
                case.result
            )),
            Err(e) => problems.push(format!("checked call into a {round} value failed: {e}")),
        }
        callees.take(cases, "checked call into a value", 1, &mut problems);
    }

    for (index, arg) in case.args.iter().enumerate() {
        let Value::Struct(aggregate) = arg else {
            continue;
        };
        let ty = aggregate.ty();
        // A struct of another type.
        let mut wrong = case.args.clone();
        wrong[index] = struct_of_another_type(ty, index);
        // SAFETY: the call must be refused before anything is called.
        match unsafe { downcall.call(callee, &wrong) } {
            Err(Error::ArgumentType { index: i, .. }) if i == index => {}
            other => problems.push(format!(
                "checked call with a {} at {index}: {other:?}, expected an argument type error",
                wrong[index].ty()
            )),
        }
        // The right type, one field short: no such value can be built.
        let fields = aggregate.members();
        match Value::structure(ty, &fields[1..]) {
            Err(ValueError::MemberCount { expected, found })
                if expected == fields.len() && found == fields.len() - 1 => {}
            other => problems.push(format!(
                "a struct value one field short at {index}: {other:?}, expected a \
                 member-count error"
            )),
        }
        break;
    }
    callees.take(cases, "refused checked calls", 0, &mut problems);
    problems
}

/// Runs the whole catalogue with callees compiled with `abi_attribute`, calling them
/// through signatures in `convention`.
fn run_catalogue(
    library: &str,
    abi_attribute: Option<&str>,
    convention: Convention,
    tiering: Tiering,
) {
    let cases = catalogue::cases();
    let callees = Callees::build(library, &cases, abi_attribute, NarrowParams::Natural);
    let engine = common::engine_with_tiering(tiering);
    let signatures: Vec<Signature> = cases
        .iter()
        .map(|case| case.signature.clone().with_convention(convention))
        .collect();
    let downcalls = engine.downcalls(&signatures).unwrap();
    let most_args = cases.iter().map(|c| c.args.len()).max().unwrap();
    let mut pages = GuardedPages::new(most_args + 1);

    let mut failures = Vec::new();
    let mut failing_cases = 0;
    let mut pointer_downcalls = Vec::with_capacity(cases.len());
    for ((case, downcall), signature) in cases.iter().zip(&downcalls).zip(&signatures) {
        let callee = callees.library.symbol(&c_cases::symbol(case));
        let pointer = engine.pointer_downcall(signature).unwrap();
        let problems = run_case(
            downcall, &pointer, callee, case, &cases, &callees, &mut pages,
        );
        pointer_downcalls.push(pointer);
        failing_cases += usize::from(!problems.is_empty());
        let args: Vec<String> = case.args.iter().map(Value::to_string).collect();
        for problem in problems {
            failures.push(format!(
                "{} `{signature}` ({}): {problem}",
                case.name,
                args.join(", ")
            ));
        }
    }
    // Both layouts share a signature's plan, so the same downcalls run the generic
    // caller; tiered ones (and eager ones) all end on compiled code.
    let slot_compiled = downcalls.iter().filter(|d| d.runs_compiled_code()).count();
    let pointer_compiled = (pointer_downcalls.iter())
        .filter(|d| d.runs_compiled_code())
        .count();
    let expected = match tiering {
        common::GENERIC_ONLY => slot_compiled,
        _ => cases.len(),
    };
    assert_eq!(
        pointer_compiled, expected,
        "pointer-array downcalls running compiled code ({tiering:?})"
    );
    if tiering == common::GENERIC_ONLY {
        assert!(
            pointer_compiled < cases.len() / 2,
            "{pointer_compiled} of {} pointer-array downcalls compiled: most have a plan",
            cases.len()
        );
    }
    assert_no_failures(&failures, 12, || {
        format!(
            "{failing_cases} of {} struct catalogue cases failed ({} problems)",
            cases.len(),
            failures.len(),
        )
    });
    eprintln!(
        "{} struct catalogue cases passed ({convention})",
        cases.len()
    );
}

#[test]
fn struct_catalogue_covers_what_it_promises() {
    let cases = catalogue::cases();
    let shapes = catalogue::shapes();
    assert_eq!(cases.len(), shapes.len() * catalogue::KINDS.len());
    for (shape, ty) in &shapes {
        for kind in catalogue::KINDS {
            let name = format!("{shape}_{kind}");
            let case = cases
                .iter()
                .find(|c| c.name == name)
                .unwrap_or_else(|| panic!("no case {name}"));
            assert!(
                case.signature.params.contains(ty) || case.signature.result == *ty,
                "{name} does not use {ty}"
            );
        }
    }
    // The shapes the issue asks for, by type.
    for text in [
        "{i8}",
        "{i16}",
        "{i32}",
        "{i64}",
        "{f32}",
        "{f64}",
        "{f32, f32}",
        "{f32, f32, f32}",
        "{f32, f32, f32, f32}",
        "{[f32; 4]}",
        "{f32, f32, f32, f32, f32}",
        "{f64, f64}",
        "{f64, f64, f64}",
        "{f64, f64, f64, f64}",
        "{i8, f64}",
        "{i32, f32}",
        "{i64, f64}",
        "{f64, i64}",
        "{f32, i32, f32}",
        "{i8, i8, i8}",
        "{[i8; 9]}",
        "{i64, i64, i64}",
        "{[u8; 100]}",
        "{{f32, f32}, f32}",
        "{[f32; 2], f32}",
        "{i8, {i16, i32}}",
    ] {
        let ty: Type = text.parse().unwrap();
        assert!(shapes.iter().any(|(_, s)| *s == ty), "no shape {text}");
    }
    assert!(shapes.iter().any(|(_, s)| s.size() == 32));
    assert!(shapes.iter().filter(|(_, s)| s.size() == 100).count() >= 2);
    // Every value well-formed and of its parameter's type; every scalar leaf of the
    // catalogue distinct from the others of its type.
    let mut seen = std::collections::HashSet::new();
    let mut count = 0;
    for case in &cases {
        case.assert_well_typed();
        for value in case.args.iter().chain([&case.result]) {
            for leaf in leaves(value) {
                count += 1;
                if !matches!(
                    leaf,
                    Value::Void | Value::Bool(_) | Value::I8(_) | Value::U8(_)
                ) {
                    let key = (leaf.ty(), value_bits(&leaf));
                    assert!(seen.insert(key), "{leaf:?} repeats in {}", case.name);
                }
            }
        }
    }
    assert!(count > 5_000, "{count} leaves");
}

#[test]
fn struct_catalogue_in_the_host_c_convention() {
    run_catalogue("struct_catalogue_sysv", None, Convention::C, Tiering::Eager);
}

#[test]
fn struct_catalogue_through_the_generic_caller() {
    // Each test its own library: the callees' bookkeeping is global to it.
    let generic = common::GENERIC_ONLY;
    run_catalogue(
        "struct_catalogue_sysv_generic",
        None,
        Convention::C,
        generic,
    );
}

#[test]
fn struct_catalogue_tiered_from_the_generic_caller_to_compiled_code() {
    let tiered = common::TIERED;
    run_catalogue("struct_catalogue_sysv_tiered", None, Convention::C, tiered);
}

#[test]
fn struct_catalogue_in_win64_with_ms_abi_callees() {
    run_catalogue(
        "struct_catalogue_win64",
        Some("__attribute__((ms_abi))"),
        Convention::Win64,
        Tiering::Eager,
    );
}

#[test]
fn struct_catalogue_compiles_for_every_named_target() {
    // The aarch64 conventions cannot run here; every case must at least lower and
    // compile for them (and for both x86-64 ones) through each target's C convention.
    let cases = catalogue::cases();
    for triple in Target::NAMED {
        let target: Target = triple.parse().unwrap();
        let compiler = Compiler::for_target(target, &CompilerOptions::default()).unwrap();
        for case in &cases {
            let listing = compiler
                .listing(&Request::Downcall(case.signature.clone()))
                .unwrap_or_else(|e| panic!("{} `{}` for {triple}: {e}", case.name, case.signature));
            assert!(listing.code_size > 0, "{} for {triple}", case.name);
        }
    }
}
