//! Executes the scalar downcall catalogue (`tests/common/catalogue.rs`) against
//! gcc-compiled callees that check every argument: in the host's C convention
//! (System V) and, with `__attribute__((ms_abi))` callees, through `win64` signatures;
//! each once with callees declaring parameters as in the signature and once with
//! narrow parameters declared as 32-bit integers, which sees whether the caller
//! extended them to 32 bits as springboard's ABI layer promises.
//!
//! Every case goes through the raw entry point with garbage in every argument byte the
//! layout says is ignored and in the result slot, through the raw entry point of the
//! pointer-array downcall (libffi's layout) with the same values (three times, so that a
//! tiered lazy one runs before and after it is compiled), and through the checked
//! [`Downcall::call`]; the checked API must also reject a wrong arity or argument type
//! without calling anything.

mod common;

use common::c_cases::{self, same_value, Callees, NarrowParams};
use common::case::assert_no_failures;
use common::catalogue::{self, Case};
use common::pointers::pointers_to;
use common::slots::{dirty_slot, expected_result_slot, garbage};
use springboard::{
    Convention, Downcall, Error, PointerDowncall, Signature, Slot, Tiering, Type, Value,
};
use std::ffi::c_void;

/// Calls of each case's pointer-array downcall: more than [`common::TIERED`]'s
/// threshold, so a tiered one is called before and after it is compiled.
const POINTER_CALLS: usize = 3;

/// A value of a type other than `ty`.
fn value_of_another_type(ty: &Type, k: usize) -> Value {
    let types = &catalogue::PARAM_TYPES;
    let position = types.iter().position(|t| t == ty).expect("a scalar type");
    let other = &types[(position + 1 + k % (types.len() - 1)) % types.len()];
    catalogue::value_of(other, k)
}

/// Runs one case through the raw entry point (twice: separate result slot, then the
/// result written over argument slot 0) and the checked API; returns what went wrong.
fn run_case(
    downcall: &Downcall,
    pointer: &PointerDowncall,
    callee: *const c_void,
    case: &Case,
    cases: &[Case],
    callees: &Callees,
) -> Vec<String> {
    let mut problems = Vec::new();
    let check_calls = |what: &str, expected: u64, problems: &mut Vec<String>| {
        callees.take(cases, what, expected, problems)
    };

    // Raw, result in its own slot prefilled with garbage.
    callees.bookkeeping.reset();
    let mut args: Vec<Slot> = case
        .args
        .iter()
        .enumerate()
        .map(|(i, v)| dirty_slot(v, i))
        .collect();
    let before = Slot(std::array::from_fn(|byte| garbage(99, byte)));
    let mut result = before;
    // SAFETY: the callee has the case's signature (generated from it), `args` holds
    // one slot per parameter and `result` is a writable slot.
    unsafe { (downcall.as_raw())(callee, args.as_ptr(), &mut result) };
    check_calls("raw call", 1, &mut problems);
    let expected = expected_result_slot(&case.result, before);
    if result != expected {
        problems.push(format!(
            "raw call: result slot {result:?}, expected {expected:?} ({:?})",
            case.result
        ));
    }

    // libffi's layout: pointers to the same dirty slots (a value's bytes first), the
    // result widened to 8 bytes in its own place. Three times: a lazy downcall compiled
    // after its second call ([`common::TIERED`]) runs the generic caller twice, then
    // its trampoline.
    let pointers = pointers_to(&args, &case.signature.params);
    for call in 1..=POINTER_CALLS {
        let mut result = before;
        // SAFETY: as above, one pointer per parameter to a value of its type.
        unsafe { pointer.call_raw(callee, pointers.as_ptr(), (&mut result as *mut Slot).cast()) };
        check_calls("pointer-array call", 1, &mut problems);
        if result != expected {
            problems.push(format!(
                "pointer-array call {call}: result {result:?}, expected {expected:?} ({:?})",
                case.result
            ));
        }
    }

    // Raw, the result written over argument slot 0 (the layout allows it).
    if !args.is_empty() {
        let before = args[0];
        let base = args.as_mut_ptr();
        // SAFETY: as above; `result` may alias `args` by the layout's rules.
        unsafe { (downcall.as_raw())(callee, base, base) };
        check_calls("raw call, result over slot 0", 1, &mut problems);
        let expected = expected_result_slot(&case.result, before);
        if args[0] != expected {
            problems.push(format!(
                "raw call, result over slot 0: {:?}, expected {expected:?}",
                args[0]
            ));
        }
    }

    // Checked.
    // SAFETY: the callee has the downcall's signature; it dereferences no pointer.
    match unsafe { downcall.call(callee, &case.args) } {
        Ok(value) if same_value(&value, &case.result) => {}
        Ok(value) => problems.push(format!(
            "checked call returned {value:?}, expected {:?}",
            case.result
        )),
        Err(e) => problems.push(format!("checked call failed: {e}")),
    }
    check_calls("checked call", 1, &mut problems);

    // Checked, wrong arity: one argument more, one fewer.
    let mut longer = case.args.clone();
    longer.push(Value::I32(7));
    let mut shorter = case.args.clone();
    shorter.pop();
    for wrong in [&longer, &shorter] {
        if wrong.len() == case.args.len() {
            continue;
        }
        // SAFETY: the call must be refused before anything is called.
        match unsafe { downcall.call(callee, wrong) } {
            Err(Error::Arity { expected, found })
                if expected == case.args.len() && found == wrong.len() => {}
            other => problems.push(format!(
                "checked call with {} arguments: {other:?}, expected an arity error",
                wrong.len()
            )),
        }
    }
    // Checked, a wrong type at every position.
    for index in 0..case.args.len() {
        let mut wrong = case.args.clone();
        wrong[index] = value_of_another_type(&case.args[index].ty(), index);
        // SAFETY: the call must be refused before anything is called.
        match unsafe { downcall.call(callee, &wrong) } {
            Err(Error::ArgumentType {
                index: i,
                expected,
                found,
            }) if i == index && expected == case.args[index].ty() && found == wrong[index].ty() => {
            }
            other => problems.push(format!(
                "checked call with {:?} at {index}: {other:?}, expected an argument type error",
                wrong[index]
            )),
        }
    }
    check_calls("refused checked calls", 0, &mut problems);
    problems
}

/// Runs the whole catalogue with callees compiled with `abi_attribute`, calling them
/// through signatures in `convention`.
fn run_catalogue(
    library: &str,
    abi_attribute: Option<&str>,
    narrow: NarrowParams,
    convention: Convention,
    tiering: Tiering,
) {
    let cases = catalogue::cases();
    let callees = Callees::build(library, &cases, abi_attribute, narrow);
    let engine = common::engine_with_tiering(tiering);
    let signatures: Vec<Signature> = cases
        .iter()
        .map(|case| case.signature.clone().with_convention(convention))
        .collect();
    let downcalls = engine.downcalls(&signatures).unwrap();

    let mut failures = Vec::new();
    let mut failing_cases = 0;
    let mut pointer_downcalls = Vec::with_capacity(cases.len());
    for ((case, downcall), signature) in cases.iter().zip(&downcalls).zip(&signatures) {
        let callee = callees.library.symbol(&c_cases::symbol(case));
        let pointer = engine.pointer_downcall(signature).unwrap();
        let problems = run_case(downcall, &pointer, callee, case, &cases, &callees);
        pointer_downcalls.push(pointer);
        failing_cases += usize::from(!problems.is_empty());
        for problem in problems {
            failures.push(format!(
                "{} `{signature}` args {:?}: {problem}",
                case.name, case.args
            ));
        }
    }
    let compiled = downcalls.iter().filter(|d| d.runs_compiled_code()).count();
    let expected = match (tiering, convention) {
        // Every scalar signature of the host convention has a plan.
        (common::GENERIC_ONLY, Convention::C) => 0,
        // Win64's positional registers have none: compiled when asked for; and the
        // tiered ones were compiled after their second call.
        _ => downcalls.len(),
    };
    assert_eq!(
        compiled, expected,
        "downcalls running compiled code ({tiering:?})"
    );
    // The pointer-array downcalls follow the same tiering.
    let compiled = pointer_downcalls
        .iter()
        .filter(|d| d.runs_compiled_code())
        .count();
    assert_eq!(
        compiled, expected,
        "pointer-array downcalls running compiled code ({tiering:?})"
    );
    assert_no_failures(&failures, 12, || {
        format!(
            "{failing_cases} of {} catalogue cases failed ({} problems)",
            cases.len(),
            failures.len(),
        )
    });
    eprintln!(
        "{} catalogue cases passed ({convention}, {narrow:?} narrow parameters, {tiering:?})",
        cases.len()
    );
}

#[test]
fn catalogue_covers_what_it_promises() {
    let cases = catalogue::cases();
    assert!(cases.len() >= 300, "only {} cases", cases.len());
    for ty in &catalogue::result_types() {
        assert!(
            cases.iter().any(|c| c.signature.result == *ty),
            "no {ty} result"
        );
    }
    for ty in &catalogue::PARAM_TYPES {
        for position in 0..20 {
            assert!(
                cases
                    .iter()
                    .any(|c| c.signature.params.get(position) == Some(ty)),
                "no {ty} at position {position}"
            );
        }
    }
    for n in 0..=20 {
        assert!(
            cases.iter().any(|c| c.args.len() == n),
            "no case with {n} arguments"
        );
    }
    let count = |case: &Case, float: bool| {
        case.args
            .iter()
            .filter(|v| matches!(v, Value::F32(_) | Value::F64(_)) == float)
            .count()
    };
    assert!(cases
        .iter()
        .any(|c| count(c, false) > 8 && count(c, true) > 8));
    for value in [
        Value::Bool(true),
        Value::I8(-1),
        Value::I8(i8::MIN),
        Value::U8(0xff),
        Value::I16(i16::MIN),
        Value::U16(0xffff),
        Value::I32(i32::MIN),
        Value::U32(0xffff_ffff),
    ] {
        assert!(
            cases
                .iter()
                .any(|c| c.args.iter().any(|a| same_value(a, &value))),
            "{value:?} is never an argument"
        );
        assert!(
            cases.iter().any(|c| same_value(&c.result, &value)),
            "{value:?} is never a result"
        );
    }
    for case in &cases {
        case.assert_well_typed();
    }
}

#[test]
fn catalogue_in_the_host_c_convention() {
    run_catalogue(
        "catalogue_sysv",
        None,
        NarrowParams::Natural,
        Convention::C,
        Tiering::Eager,
    );
}

#[test]
fn catalogue_in_the_host_c_convention_sees_narrow_arguments_extended() {
    run_catalogue(
        "catalogue_sysv_carrier32",
        None,
        NarrowParams::Carrier32,
        Convention::C,
        Tiering::Eager,
    );
}

#[test]
fn catalogue_in_win64_with_ms_abi_callees() {
    run_catalogue(
        "catalogue_win64",
        Some("__attribute__((ms_abi))"),
        NarrowParams::Natural,
        Convention::Win64,
        Tiering::Eager,
    );
}

#[test]
fn catalogue_in_win64_sees_narrow_arguments_extended() {
    run_catalogue(
        "catalogue_win64_carrier32",
        Some("__attribute__((ms_abi))"),
        NarrowParams::Carrier32,
        Convention::Win64,
        Tiering::Eager,
    );
}

#[test]
fn catalogue_through_the_generic_caller() {
    // Each test its own library: the callees' bookkeeping is global to it.
    run_catalogue(
        "catalogue_sysv_generic",
        None,
        NarrowParams::Natural,
        Convention::C,
        common::GENERIC_ONLY,
    );
}

#[test]
fn catalogue_through_the_generic_caller_sees_narrow_arguments_extended() {
    run_catalogue(
        "catalogue_sysv_carrier32_generic",
        None,
        NarrowParams::Carrier32,
        Convention::C,
        common::GENERIC_ONLY,
    );
}

#[test]
fn catalogue_tiered_from_the_generic_caller_to_compiled_code() {
    run_catalogue(
        "catalogue_sysv_tiered",
        None,
        NarrowParams::Natural,
        Convention::C,
        common::TIERED,
    );
}

#[test]
fn catalogue_in_win64_lazy_compiles_what_the_generic_caller_cannot_make() {
    run_catalogue(
        "catalogue_win64_lazy",
        Some("__attribute__((ms_abi))"),
        NarrowParams::Natural,
        Convention::Win64,
        common::GENERIC_ONLY,
    );
}
