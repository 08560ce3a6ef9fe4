//! Values of the two `long double` formats, carried as their raw 16 bytes.
//!
//! Rust has no 80-bit or 128-bit float, so springboard never computes with these
//! values: an [`F80`] or [`F128`] holds exactly the bytes C stores (lossless in both
//! directions), and converts to and from `f64` for display and literals. Widening an
//! `f64` is exact; narrowing rounds to nearest, ties to even, subnormals included.
//!
//! ```
//! use springboard::{F128, F80};
//! let x = F80::from_f64(1.5);
//! assert_eq!(x.to_f64(), 1.5);
//! // 1.5: sign 0, exponent 16383 (0x3fff), significand 0xc000_0000_0000_0000.
//! assert_eq!(&x.to_bytes()[6..10], &[0, 0xc0, 0xff, 0x3f]);
//! assert_eq!(F128::from_f64(-2.0).to_f64(), -2.0);
//! ```

use std::fmt;

/// An x87 80-bit extended value ([`crate::Type::F80`]) as its 16 bytes in memory
/// (little-endian; bytes 10 to 15 are padding).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[repr(C, align(16))]
pub struct F80([u8; 16]);

/// An IEEE binary128 value ([`crate::Type::F128`]) as its 16 bytes in memory
/// (little-endian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[repr(C, align(16))]
pub struct F128([u8; 16]);

/// The exponent bias both formats share.
const BIAS: i32 = 16383;

impl F80 {
    /// The value with these bytes.
    pub const fn from_bytes(bytes: [u8; 16]) -> F80 {
        F80(bytes)
    }

    /// The value's 16 bytes.
    pub const fn to_bytes(self) -> [u8; 16] {
        self.0
    }

    /// `value` exactly (every `f64` is an 80-bit extended value).
    pub fn from_f64(value: f64) -> F80 {
        let (negative, exponent, significand) = split_f64(value);
        let top = match exponent {
            Exponent::Special => (0x7fff, (significand << 11) | 1 << 63),
            Exponent::Zero => (0, 0),
            Exponent::Finite(e) => {
                // Normalised: the explicit integer bit at bit 63.
                let shift = significand.leading_zeros();
                ((e + BIAS - shift as i32 + 11) as u16, significand << shift)
            }
        };
        let mut bytes = [0; 16];
        bytes[..8].copy_from_slice(&top.1.to_le_bytes());
        bytes[8..10].copy_from_slice(&(top.0 | u16::from(negative) << 15).to_le_bytes());
        F80(bytes)
    }

    /// `value` exactly (the 64-bit significand holds every `i64`).
    pub fn from_i64(value: i64) -> F80 {
        let magnitude = value.unsigned_abs();
        let mut bytes = [0; 16];
        if magnitude != 0 {
            let shift = magnitude.leading_zeros();
            let top = (BIAS + 63 - shift as i32) as u16 | u16::from(value < 0) << 15;
            bytes[..8].copy_from_slice(&(magnitude << shift).to_le_bytes());
            bytes[8..10].copy_from_slice(&top.to_le_bytes());
        }
        F80(bytes)
    }

    /// The value rounded to the nearest `f64`.
    pub fn to_f64(self) -> f64 {
        let significand = u64::from_le_bytes(self.0[..8].try_into().expect("8 bytes"));
        let top = u16::from_le_bytes([self.0[8], self.0[9]]);
        let negative = top >> 15 == 1;
        let exponent = i32::from(top & 0x7fff);
        if exponent == 0x7fff {
            let fraction = significand << 1;
            return special(negative, fraction != 0, fraction >> 12);
        }
        // A zero exponent means the same scale as exponent 1 (denormals).
        let scale = exponent.max(1) - BIAS - 63;
        round_to_f64(negative, u128::from(significand), scale)
    }
}

impl F128 {
    /// The value with these bytes.
    pub const fn from_bytes(bytes: [u8; 16]) -> F128 {
        F128(bytes)
    }

    /// The value's 16 bytes.
    pub const fn to_bytes(self) -> [u8; 16] {
        self.0
    }

    /// `value` exactly (every `f64` is a binary128 value).
    pub fn from_f64(value: f64) -> F128 {
        let (negative, exponent, significand) = split_f64(value);
        let (biased, fraction) = match exponent {
            Exponent::Special => (0x7fff, u128::from(significand) << 60),
            Exponent::Zero => (0, 0),
            Exponent::Finite(e) => {
                // Normalised: the implicit bit at bit 112, then dropped.
                let shift = u128::from(significand).leading_zeros() - 15;
                let fraction = (u128::from(significand) << shift) & ((1 << 112) - 1);
                (e + BIAS - shift as i32 + 60, fraction)
            }
        };
        let bits = u128::from(negative) << 127 | (biased as u128) << 112 | fraction;
        F128(bits.to_le_bytes())
    }

    /// `value` exactly (the 113-bit significand holds every `i64`).
    pub fn from_i64(value: i64) -> F128 {
        let magnitude = u128::from(value.unsigned_abs());
        if magnitude == 0 {
            return F128::default();
        }
        let shift = magnitude.leading_zeros() - 15;
        let fraction = (magnitude << shift) & ((1 << 112) - 1);
        let biased = (BIAS + 112 - shift as i32) as u128;
        let bits = u128::from(value < 0) << 127 | biased << 112 | fraction;
        F128(bits.to_le_bytes())
    }

    /// The value rounded to the nearest `f64`.
    pub fn to_f64(self) -> f64 {
        let bits = u128::from_le_bytes(self.0);
        let negative = bits >> 127 == 1;
        let exponent = ((bits >> 112) & 0x7fff) as i32;
        let fraction = bits & ((1 << 112) - 1);
        if exponent == 0x7fff {
            return special(negative, fraction != 0, (fraction >> 60) as u64);
        }
        let significand = if exponent == 0 {
            fraction
        } else {
            fraction | 1 << 112
        };
        round_to_f64(negative, significand, exponent.max(1) - BIAS - 112)
    }
}

/// The exponent of an `f64` as [`split_f64`] gives it.
enum Exponent {
    /// Infinity or NaN.
    Special,
    /// Zero of either sign.
    Zero,
    /// A finite non-zero value `significand * 2^(e - 52)`.
    Finite(i32),
}

/// An `f64` as its sign, exponent and significand (for finite values the integer
/// significand with the implicit bit; for specials the 52 fraction bits).
fn split_f64(value: f64) -> (bool, Exponent, u64) {
    let bits = value.to_bits();
    let negative = bits >> 63 == 1;
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    match biased {
        0x7ff => (negative, Exponent::Special, fraction),
        0 if fraction == 0 => (negative, Exponent::Zero, 0),
        0 => (negative, Exponent::Finite(-1022), fraction),
        _ => (
            negative,
            Exponent::Finite(biased - 1023),
            fraction | 1 << 52,
        ),
    }
}

/// Infinity, or a NaN keeping the top 52 bits of its payload (`payload`), quiet.
fn special(negative: bool, nan: bool, payload: u64) -> f64 {
    let sign = u64::from(negative) << 63;
    let fraction = if nan { payload | 1 << 51 } else { 0 };
    f64::from_bits(sign | 0x7ff << 52 | fraction)
}

/// `significand * 2^scale`, rounded to the nearest `f64` (ties to even).
fn round_to_f64(negative: bool, significand: u128, scale: i32) -> f64 {
    let sign = if negative { -1.0 } else { 1.0 };
    if significand == 0 {
        return sign * 0.0;
    }
    let width = 128 - significand.leading_zeros() as i32;
    let top = scale + width - 1;
    if top > 1023 {
        return sign * f64::INFINITY;
    }
    // Bits the result keeps: 53, fewer in the subnormal range (none below it).
    let kept = if top >= -1022 { 53 } else { 53 - (-1022 - top) };
    let dropped = width - kept;
    let (rounded, scale) = if dropped <= 0 {
        (significand, scale)
    } else if dropped > 127 {
        (0, scale)
    } else {
        let kept_bits = significand >> dropped;
        let rest = significand & ((1 << dropped) - 1);
        let half = 1u128 << (dropped - 1);
        let up = rest > half || (rest == half && kept_bits & 1 == 1);
        (kept_bits + u128::from(up), scale + dropped)
    };
    // At most 54 bits: exact as an f64, and the scaling by powers of two is exact
    // because the result is representable (it overflows to infinity if not).
    let value = rounded as f64;
    let value = if scale < -1022 {
        value * 2f64.powi(-1022) * 2f64.powi(scale + 1022)
    } else {
        value * 2f64.powi(scale.min(1023))
    };
    sign * value
}

/// Prints the value rounded to `f64`, as `f64`'s `{:?}`.
impl fmt::Display for F80 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_f64())
    }
}

/// Prints the value rounded to `f64`, as `f64`'s `{:?}`.
impl fmt::Display for F128 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLES: [f64; 12] = [
        1.0,
        -2.5,
        0.1,
        1e300,
        -1e-300,
        f64::MAX,
        f64::MIN_POSITIVE,
        5e-324,
        1.5e-310,
        f64::INFINITY,
        f64::NEG_INFINITY,
        -0.0,
    ];

    #[test]
    fn f64_round_trips_through_both_formats() {
        for x in SAMPLES {
            assert_eq!(
                F80::from_f64(x).to_f64().to_bits(),
                x.to_bits(),
                "f80 {x:e}"
            );
            assert_eq!(
                F128::from_f64(x).to_f64().to_bits(),
                x.to_bits(),
                "f128 {x:e}"
            );
        }
        assert!(F80::from_f64(f64::NAN).to_f64().is_nan());
        assert!(F128::from_f64(f64::NAN).to_f64().is_nan());
    }

    #[test]
    fn integers_are_exact() {
        for v in [1i64, -1, 3, 1 << 62, -(1 << 53) - 1, i64::MAX, i64::MIN] {
            let expected = v as f64;
            assert_eq!(F80::from_i64(v).to_f64(), expected, "{v}");
            assert_eq!(F128::from_i64(v).to_f64(), expected, "{v}");
        }
        assert_eq!(F80::from_i64(0), F80::from_f64(0.0));
        assert_eq!(F128::from_i64(-6), F128::from_f64(-6.0));
        assert_eq!(F80::from_i64(1 << 40), F80::from_f64((1u64 << 40) as f64));
    }

    #[test]
    fn known_encodings() {
        // 1.0L on x86-64: significand 1 << 63, exponent 0x3fff.
        let mut one = [0u8; 16];
        one[7] = 0x80;
        one[8..10].copy_from_slice(&0x3fffu16.to_le_bytes());
        assert_eq!(F80::from_f64(1.0).to_bytes(), one);
        // 1.0 as binary128: 0x3fff << 112.
        assert_eq!(
            F128::from_f64(1.0).to_bytes(),
            (0x3fffu128 << 112).to_le_bytes()
        );
        // The smallest f64 subnormal, 2^-1074.
        let tiny = F128::from_f64(5e-324).to_bytes();
        assert_eq!(u128::from_le_bytes(tiny), ((BIAS - 1074) as u128) << 112);
    }

    #[test]
    fn narrowing_rounds_to_nearest_even() {
        // 1 + 2^-53 is a tie: to even (1.0); 1 + 3 * 2^-54 rounds up.
        let tie = F128::from_bytes((0x3fffu128 << 112 | 1 << 59).to_le_bytes());
        assert_eq!(tie.to_f64(), 1.0);
        let above = F128::from_bytes((0x3fffu128 << 112 | 3 << 58).to_le_bytes());
        assert_eq!(above.to_f64(), 1.0 + f64::EPSILON);
        // 2^-1075 (half the smallest subnormal) ties to zero; 1.5 * 2^-1075 rounds up.
        let half = F80::from_bytes(f80_bytes(false, BIAS - 1075, 1 << 63));
        assert_eq!(half.to_f64(), 0.0);
        let more = F80::from_bytes(f80_bytes(false, BIAS - 1075, 3 << 62));
        assert_eq!(more.to_f64(), 5e-324);
        // Beyond f64's range: infinity.
        let huge = F80::from_bytes(f80_bytes(true, BIAS + 1024, 1 << 63));
        assert_eq!(huge.to_f64(), f64::NEG_INFINITY);
    }

    fn f80_bytes(negative: bool, exponent: i32, significand: u64) -> [u8; 16] {
        let mut bytes = [0; 16];
        bytes[..8].copy_from_slice(&significand.to_le_bytes());
        let top = exponent as u16 | u16::from(negative) << 15;
        bytes[8..10].copy_from_slice(&top.to_le_bytes());
        bytes
    }
}
