//! The scalar and struct catalogues executed on riscv64 Linux (RV64GC, LP64D) under
//! qemu, from the same case data as the host tests (see `tests/common/cross.rs` for
//! what each check does): downcalls into the catalogues' gcc-compiled callees, and
//! callbacks called by gcc through the cases' C prototypes, context-binding callbacks
//! calling the catalogues' gcc-compiled bound handlers, plus [`riscv_cases`], the
//! places where the RISC-V psABI differs from the other conventions:
//! - floats after `fa7` go in free integer registers, as their bits (Cranelift 0.135.8
//!   would put them on the stack);
//! - 32-bit integers, unsigned ones too, are sign-extended to 64 bits;
//! - a 16-byte struct with only `a7` free is split between `a7` and the stack;
//! - structs of one or two floats, or one float and one integer, use `fa` registers
//!   when enough are free and the integer convention otherwise, without using up the
//!   registers they did not take.
//!
//! `riscv64-linux-gnu-gcc` and `qemu-riscv64` come from scripts/install-test-deps.sh;
//! a missing tool fails the tests.

mod common;

use common::case::with_low_bit_flipped;
use common::cross::{self, Callees, Case, Modes, RISCV64};
use common::struct_catalogue;
use common::{catalogue, Rng};

/// Signatures for the RISC-V rules the catalogues may not reach (names say which).
const RISCV: [(&str, &str); 17] = [
    (
        "rv_f64_after_fa7_in_a_registers",
        "(f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, i32) -> f64",
    ),
    (
        "rv_f32_after_fa7_in_a_registers",
        "(f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, i8, f32) -> f32",
    ),
    (
        "rv_floats_after_fa7_and_a7_on_the_stack",
        "(f64, f64, f64, f64, f64, f64, f64, f64, i64, i64, i64, i64, i64, i64, f32, f64, \
         f64, f32, u16, f32) -> f32",
    ),
    (
        "rv_floats_interleaved_with_ints_after_fa7",
        "(f32, f64, f32, f64, f32, f64, f32, f64, i32, f32, u32, f64, i16, f32, u8, f64) -> i32",
    ),
    (
        "rv_u32_and_i32_sign_extended",
        "(u32, i32, u32, i32, u16, i16, u8, i8, u32, i32, bool) -> u32",
    ),
    ("rv_u32_result", "(u32, u32) -> u32"),
    ("rv_i32_result", "(i32, i8) -> i32"),
    (
        "rv_struct_split_between_a7_and_stack",
        "(i64, i64, i64, i64, i64, i64, i64, {i64, i32}, i8, u32) -> {i16, i32}",
    ),
    (
        "rv_struct_of_f32_pair_split_between_a7_and_stack",
        "(f64, f64, f64, f64, f64, f64, f64, f64, i64, i64, i64, i64, i64, i64, i64, \
         {f64, f64}, f32) -> {f32, f32}",
    ),
    (
        "rv_float_pair_with_one_fa_left_then_f64_in_fa7",
        "(f64, f64, f64, f64, f64, f64, f64, {f64, f32}, f64, {f32}) -> {f64, f32}",
    ),
    (
        "rv_float_int_pair_without_a_register_then_f32_in_fa7",
        "(f64, f64, f64, f64, f64, f64, f64, i64, i64, i64, i64, i64, i64, i64, i64, \
         {f32, i32}, f32, {i8, f64}) -> {i8, f64}",
    ),
    (
        "rv_float_structs_in_fa_and_a",
        "({f32, i8}, {i16, f64}, {[f32; 2]}, {{f64}, f32}, {f32}, {u32, f32}) -> {f32, u32}",
    ),
    (
        "rv_big_structs_by_reference_after_a7",
        "(i64, i64, i64, i64, i64, i64, i64, i64, {f64, f64, f64}, {[u8; 20]}, i8) -> \
         {i64, i64, i64}",
    ),
    (
        "rv_indirect_result_takes_a0",
        "(i64, i64, i64, i64, i64, i64, i64, i32, i16) -> {f64, f64, f64, f64}",
    ),
    // With a0 taken by the result pointer, a float-and-integer struct finds no `a`
    // register after seven integers: it goes on the stack, and the f64 gets fa0.
    (
        "rv_indirect_result_then_float_int_pair_on_the_stack",
        "(i64, i64, i64, i64, i64, i64, i64, {f32, i32}, f64) -> {i64, i64, i64}",
    ),
    (
        "rv_three_floats_struct_in_a_registers",
        "(f32, {f32, f32, f32}, f64, {f64, i64}) -> {f32, f32, f32}",
    ),
    (
        "rv_everything_after_both_files",
        "(f64, f64, f64, f64, f64, f64, f64, f64, i64, i64, i64, i64, i64, i64, i64, i64, \
         f32, i8, {f32, f32}, u32, {i8, i16}, f64, bool, {f64}) -> i16",
    ),
];

/// [`RISCV`] as struct-catalogue cases.
fn riscv_cases() -> Vec<Case> {
    struct_catalogue::cases_of(&RISCV)
}

/// The struct catalogue followed by [`riscv_cases`].
fn struct_cases() -> Vec<Case> {
    let mut cases = struct_catalogue::cases();
    cases.extend(riscv_cases());
    cases
}

fn downcalls_and_callbacks(callees: Callees) -> Modes {
    Modes {
        downcalls: Some(callees),
        callbacks: true,
        bound: None,
        apple_pairs: false,
        apple_conformance: false,
    }
}

#[test]
fn scalar_catalogue_downcalls_and_callbacks_on_riscv64() {
    let cases = catalogue::cases();
    let modes = downcalls_and_callbacks(Callees::of(&cases));
    let outcome = cross::run_on(&RISCV64, "scalar", &cases, &modes);
    assert_eq!(outcome.checks, 2 * cases.len());
    outcome.assert_all_passed();
}

#[test]
fn struct_catalogue_downcalls_and_callbacks_on_riscv64() {
    let cases = struct_cases();
    let modes = downcalls_and_callbacks(Callees::of(&cases));
    let outcome = cross::run_on(&RISCV64, "struct", &cases, &modes);
    assert_eq!(outcome.checks, 2 * cases.len());
    outcome.assert_all_passed();
}

/// The harness must report what it cannot confirm on riscv64 too: cases whose values
/// differ by one bit from what their callees expect fail, and only they do.
#[test]
fn harness_reports_wrong_values_on_riscv64() {
    let all = riscv_cases();
    let mut rng = Rng(0x5c_0f_a7);
    let mut cross_cases: Vec<Case> = all.clone();
    let mut tampered = Vec::new();
    for (index, case) in cross_cases.iter_mut().enumerate().skip(1).step_by(3) {
        let candidates: Vec<usize> = (0..case.args.len())
            .filter(|&j| !case.args[j].ty().is_aggregate())
            .collect();
        let j = candidates[rng.below(candidates.len())];
        case.args[j] = with_low_bit_flipped(&case.args[j]);
        tampered.push((index, j));
    }
    let modes = Modes {
        downcalls: Some(Callees::of(&all)),
        ..Modes::default()
    };
    let outcome = cross::run_on(&RISCV64, "selftest", &cross_cases, &modes);
    assert_eq!(
        (outcome.passed, outcome.failed),
        (all.len() - tampered.len(), tampered.len()),
        "{outcome:#?}"
    );
    for (index, j) in tampered {
        let expected = format!(
            "FAIL downcall {}: the callee saw argument {j} ",
            cross_cases[index].name
        );
        cross::assert_reported(&outcome.problems, &expected);
    }
}

#[test]
fn both_catalogues_as_bound_callbacks_on_riscv64() {
    let scalar = catalogue::cases();
    let modes = Modes {
        bound: Some(Callees::bound(&scalar)),
        ..Modes::default()
    };
    let outcome = cross::run_on(&RISCV64, "scalar_bound", &scalar, &modes);
    assert_eq!(outcome.checks, scalar.len());
    outcome.assert_all_passed();
    let structs = struct_cases();
    let modes = Modes {
        bound: Some(Callees::bound(&structs)),
        ..Modes::default()
    };
    let outcome = cross::run_on(&RISCV64, "struct_bound", &structs, &modes);
    assert_eq!(outcome.checks, structs.len());
    outcome.assert_all_passed();
}
