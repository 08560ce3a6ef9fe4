//! The signatures of tests/c/c_types.c, shared by tests/c_types.rs (host) and
//! tests/cross_c_types.rs (qemu): read from tests/c/c_types.sigs, the list
//! scripts/gen_c_types.py writes the C from, so the three cannot drift apart.

/// The signatures in the file's order (the C has one callee and one caller each),
/// `float _Complex` and `double _Complex` spelled as the structs springboard passes
/// them as, `long double _Complex` as `complex<ld>`, `long double` as the host's
/// (x86-64: `f80`).
pub fn signatures() -> Vec<String> {
    signatures_with_long_double("f80")
}

/// [`signatures`] for a target whose `long double` is `long_double` (`f80` or `f128`).
pub fn signatures_with_long_double(long_double: &str) -> Vec<String> {
    include_str!("../c/c_types.sigs")
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|line| {
            line.replace("cld", "complex<ld>")
                .replace("c32", "{f32, f32}")
                .replace("c64", "{f64, f64}")
                .replace("q128", "f128")
                .replace("ld", long_double)
        })
        .collect()
}

/// The integer a `long double` leaf holds, from its bytes (the tests' values are
/// integers, `(int64_t)v >> 1`), truncated toward zero as C converts it.
pub fn long_float_to_i64(ty: &springboard::Type, bytes: &[u8]) -> i64 {
    let raw = u128::from_le_bytes(bytes[..16].try_into().unwrap());
    let (negative, exponent, significand, point) = match ty {
        springboard::Type::F80 => {
            let top = (raw >> 64) as u16;
            (
                top >> 15 == 1,
                i32::from(top & 0x7fff),
                raw as u64 as u128,
                63,
            )
        }
        _ => {
            let exponent = ((raw >> 112) & 0x7fff) as i32;
            let significand = (raw & ((1 << 112) - 1)) | u128::from(exponent != 0) << 112;
            (raw >> 127 == 1, exponent, significand, 112)
        }
    };
    let scale = exponent - 16383 - point;
    let magnitude = if scale >= 0 {
        significand << scale.min(64)
    } else if -scale >= 128 {
        0
    } else {
        significand >> -scale
    };
    let magnitude = magnitude as u64 as i64;
    if negative {
        magnitude.wrapping_neg()
    } else {
        magnitude
    }
}

/// The variadic signature of `vsum` with five pairs, the `i128`s at odd argument
/// positions (RISC-V's aligned pairs skip a register for each; System V places them
/// like fixed ones).
pub const VARIADIC: &str =
    "(i32, ...; i64, i128, i64, i128, i64, i128, i64, i128, i64, i128) -> u128";
