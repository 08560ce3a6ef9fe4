//! The scalar and struct catalogues executed on aarch64 Linux under qemu, from the same
//! case data as the host tests (see `tests/common/cross.rs` for what each check does):
//! - AAPCS64 downcalls into the catalogues' gcc-compiled callees, and AAPCS64 callbacks
//!   called by gcc through the cases' C prototypes;
//! - Apple-convention downcalls into Apple-convention callbacks (both sides springboard
//!   code, since Apple arm64 cannot run here), for every case of both catalogues plus
//!   [`packing_cases`]: narrow values packed on Apple's stack, where Cranelift 0.135's
//!   extended-narrow-stack-argument bug would overwrite neighbours.
//! - context-binding callbacks (`callback+bound`) of both catalogues, calling the
//!   catalogues' gcc-compiled bound handlers.
//!
//! `aarch64-linux-gnu-gcc` and `qemu-aarch64` come from scripts/install-test-deps.sh;
//! a missing tool fails the tests.

mod common;

use common::case::with_low_bit_flipped;
use common::cross::{self, Callees, Case, Modes};
use common::struct_catalogue;
use common::{catalogue, Rng};
use springboard::Value;

/// Signatures the catalogues lack: narrow integers (and structs among them) on the
/// stack after the register files are full or nearly full (in Apple's convention each
/// packed at its natural size and alignment), and structs that no longer fit in the
/// general registers.
const PACKING: [(&str, &str); 11] = [
    (
        "pack_narrow_after_8_ints",
        "(i64, i64, i64, i64, i64, i64, i64, i64, i8, i16, u8, i8, u16, bool, i32, i8) -> i8",
    ),
    (
        "pack_narrow_after_7_ints",
        "(i64, i64, i64, i64, i64, i64, i64, i8, i16, u8, i64, i8) -> i16",
    ),
    (
        "pack_narrow_after_both_files",
        "(f64, f64, f64, f64, f64, f64, f64, f64, i64, i64, i64, i64, i64, i64, i64, i64, \
         i8, f32, i16, f64, u8, bool, f32, i8) -> u16",
    ),
    (
        "pack_structs_among_narrow",
        "(f64, f64, f64, f64, f64, f64, f64, f64, i64, i64, i64, i64, i64, i64, i64, i64, \
         i8, {f32, f32, f32}, i16, {i8, i16}, u8, {f64, f64}, bool) -> {i8, i16}",
    ),
    (
        "pack_hfa_after_7_floats",
        "(f64, f64, f64, f64, f64, f64, f64, i8, {f32, f32}, u8, f32, i16) -> f32",
    ),
    (
        "pack_narrow_result_after_8_ints",
        "(i64, i64, i64, i64, i64, i64, i64, i64, u8, i8, u16, i16) -> u8",
    ),
    // The last narrow value ends the (16-byte aligned) stack area: an 8-byte store of it
    // would reach past the area, into the caller's frame.
    (
        "pack_narrow_ending_at_16",
        "(i64, i64, i64, i64, i64, i64, i64, i64, i64, i32, i16, u8, i8) -> i32",
    ),
    (
        "pack_narrow_ending_at_32",
        "(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i32, i16, u8, i8) -> i64",
    ),
    (
        "pack_floats_and_narrow_ending_at_16",
        "(f64, f64, f64, f64, f64, f64, f64, f64, i64, i64, i64, i64, i64, i64, i64, i64, \
         f64, i32, i16, bool, i8) -> u8",
    ),
    // AAPCS64 C.13: a two-register struct that does not fit in x7 goes on the stack and
    // so does every later integer (NGRN = 8), although x7 is free.
    (
        "ngrn_struct_after_7_ints",
        "(i64, i64, i64, i64, i64, i64, i64, {i64, i32}, i32, i8, u16) -> i16",
    ),
    (
        "ngrn_two_structs_after_7_ints",
        "(i64, i64, i64, i64, i64, i64, i64, {i32, i64}, {i16}, u8) -> {i8, i16}",
    ),
];

/// [`PACKING`] as struct-catalogue cases.
fn packing_cases() -> Vec<Case> {
    struct_catalogue::cases_of(&PACKING)
}

/// The struct catalogue followed by [`packing_cases`].
fn struct_cases() -> Vec<Case> {
    let mut cases = struct_catalogue::cases();
    cases.extend(packing_cases());
    cases
}

#[test]
fn scalar_catalogue_downcalls_and_callbacks_on_aarch64() {
    let cases = catalogue::cases();
    let modes = Modes {
        downcalls: Some(Callees::of(&cases)),
        callbacks: true,
        bound: None,
        apple_pairs: false,
        apple_conformance: false,
    };
    let outcome = cross::run("scalar", &cases, &modes);
    assert_eq!(outcome.checks, 2 * cases.len());
    outcome.assert_all_passed();
}

#[test]
fn struct_catalogue_downcalls_and_callbacks_on_aarch64() {
    let cases = struct_cases();
    let modes = Modes {
        downcalls: Some(Callees::of(&cases)),
        callbacks: true,
        bound: None,
        apple_pairs: false,
        apple_conformance: false,
    };
    let outcome = cross::run("struct", &cases, &modes);
    assert_eq!(outcome.checks, 2 * cases.len());
    outcome.assert_all_passed();
}

#[test]
fn apple_downcalls_into_apple_callbacks_on_aarch64() {
    let mut cross_cases: Vec<Case> = catalogue::cases();
    cross_cases.extend(struct_cases().iter().cloned());
    let modes = Modes {
        downcalls: None,
        callbacks: false,
        bound: None,
        apple_pairs: true,
        apple_conformance: true,
    };
    let outcome = cross::run("apple", &cross_cases, &modes);
    assert_eq!(outcome.checks, 3 * cross_cases.len());
    outcome.assert_all_passed();
}

/// The harness itself must report what it cannot confirm: cases whose argument values
/// differ from what their callees expect by one bit of a narrow value, and handlers
/// whose expected arguments differ from what C passes, each fail, and only they do.
#[test]
fn harness_reports_wrong_values() {
    let all = catalogue::cases();
    let mut rng = Rng(0x0c05_5a4c);
    let narrow = |value: &Value| value.ty().size() < 4;
    let picked: Vec<catalogue::Case> = all
        .iter()
        .filter(|case| {
            case.name.starts_with("narrow_stack_") && case.args.iter().any(narrow)
                || case.name == "uniform_i8_20"
        })
        .cloned()
        .collect();
    assert!(picked.len() >= 6, "the catalogue has narrow stack cases");
    let mut cross_cases: Vec<Case> = picked.clone();
    // Flip the lowest bit of one narrow argument in every other case.
    let mut tampered = Vec::new();
    for (index, case) in cross_cases.iter_mut().enumerate().skip(1).step_by(2) {
        let candidates: Vec<usize> = (0..case.args.len())
            .filter(|&j| narrow(&case.args[j]))
            .collect();
        let j = candidates[rng.below(candidates.len())];
        case.args[j] = with_low_bit_flipped(&case.args[j]);
        tampered.push((index, j));
    }
    let modes = Modes {
        downcalls: Some(Callees::of(&picked)),
        callbacks: false,
        bound: None,
        apple_pairs: false,
        apple_conformance: false,
    };
    let outcome = cross::run("selftest", &cross_cases, &modes);
    assert_eq!(
        (outcome.passed, outcome.failed),
        (picked.len() - tampered.len(), tampered.len()),
        "{outcome:#?}"
    );
    assert!(!outcome.exited_cleanly);
    for (index, j) in tampered {
        let expected = format!(
            "FAIL downcall {}: the callee saw argument {j} ",
            cross_cases[index].name
        );
        cross::assert_reported(&outcome.problems, &expected);
    }
}

#[test]
fn both_catalogues_as_bound_callbacks_on_aarch64() {
    let scalar = catalogue::cases();
    let modes = Modes {
        bound: Some(Callees::bound(&scalar)),
        ..Modes::default()
    };
    let outcome = cross::run("scalar_bound", &scalar, &modes);
    assert_eq!(outcome.checks, scalar.len());
    outcome.assert_all_passed();
    let structs = struct_cases();
    let modes = Modes {
        bound: Some(Callees::bound(&structs)),
        ..Modes::default()
    };
    let outcome = cross::run("struct_bound", &structs, &modes);
    assert_eq!(outcome.checks, structs.len());
    outcome.assert_all_passed();
}
