//! The signatures of tests/c/c_types.c, shared by tests/c_types.rs (host) and
//! tests/cross_c_types.rs (qemu): read from tests/c/c_types.sigs, the list
//! scripts/gen_c_types.py writes the C from, so the three cannot drift apart.

/// The signatures in the file's order (the C has one callee and one caller each),
/// `_Complex` spelled as the structs springboard passes them as.
pub fn signatures() -> Vec<String> {
    include_str!("../c/c_types.sigs")
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            line.replace("c32", "{f32, f32}")
                .replace("c64", "{f64, f64}")
        })
        .collect()
}

/// The variadic signature of `vsum` with five pairs, the `i128`s at odd argument
/// positions (RISC-V's aligned pairs skip a register for each; System V places them
/// like fixed ones).
pub const VARIADIC: &str =
    "(i32, ...; i64, i128, i64, i128, i64, i128, i64, i128, i64, i128) -> u128";
