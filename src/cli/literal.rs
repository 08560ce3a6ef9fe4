//! Argument literals: command-line text parsed into a [`Value`] of a parameter's type.
//!
//! The grammar, keyed by the parameter's [`Type`]:
//!
//! ```text
//! integer := ['-' | '+'] (digits | '0x' hexdigits)      range-checked against the type
//! float   := Rust float syntax (1.5, -2e3, inf, -inf, nan) or an integer
//! bool    := 'true' | 'false'
//! ptr     := 'null' | integer (an address) | string
//! string  := '"' {char | '\n' | '\t' | '\\' | '\"'} '"'  a NUL-terminated copy
//! ```
//!
//! The text is split into tokens (atoms, strings and the punctuation `{`, `}`, `,`)
//! and parsed by a recursive-descent `Parser` that asks for one value of a given
//! type. Struct literals (`{1, 2.5}`, nested) slot in as one more arm of
//! `Parser::value` that reads `{`, one value per field type, and `}`.

use springboard::types::ScalarClass;
use springboard::{Type, Value};
use std::ffi::{c_void, CString};
use std::fmt;

/// Owns the memory that pointer literals (strings) point to; it must outlive the call.
#[derive(Debug, Default)]
pub struct LiteralStorage {
    strings: Vec<CString>,
}

impl LiteralStorage {
    /// Empty storage.
    pub fn new() -> LiteralStorage {
        LiteralStorage::default()
    }

    /// Keeps `string` alive and returns a pointer to its first byte. The pointer stays
    /// valid while `self` lives: a `CString`'s bytes do not move when the vector grows.
    fn keep(&mut self, string: CString) -> *mut c_void {
        let pointer = string.as_ptr().cast_mut().cast::<c_void>();
        self.strings.push(string);
        pointer
    }
}

/// Why an argument literal does not parse as a value of its type.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum LiteralError {
    /// The text is not a literal of the expected form.
    #[error("at byte {offset}: expected {expected}, found {found}")]
    Syntax {
        /// Byte offset into the argument.
        offset: usize,
        /// What the parser wanted.
        expected: String,
        /// What it found (a quoted token, `a string`, or `end of input`).
        found: String,
    },
    /// An integer that does not fit the parameter's type.
    #[error("{literal} is out of range for {ty} ({min} to {max})")]
    IntegerRange {
        /// The literal as written.
        literal: String,
        /// The parameter type.
        ty: Type,
        /// Smallest value of the type.
        min: i128,
        /// Largest value of the type.
        max: u128,
    },
    /// A finite float literal too large for the parameter's type.
    #[error("{literal} is out of range for {ty} (overflows to infinity)")]
    FloatRange {
        /// The literal as written.
        literal: String,
        /// The parameter type.
        ty: Type,
    },
    /// Members that do not make a value of the aggregate's type (the parser checks
    /// each member's type, so this is not expected).
    #[error("{0}")]
    Member(#[from] springboard::ValueError),
    /// A backslash escape the string syntax does not have.
    #[error(
        "at byte {offset}: unknown escape `\\{escape}` in string (supported: \\n \\t \\\\ \\\")"
    )]
    Escape {
        /// Byte offset of the backslash.
        offset: usize,
        /// The character after the backslash.
        escape: char,
    },
    /// A string without its closing quote.
    #[error("at byte {offset}: string has no closing `\"`")]
    UnterminatedString {
        /// Byte offset of the opening quote.
        offset: usize,
    },
    /// A string holding a NUL byte, which a C string cannot.
    #[error("at byte {offset}: a C string cannot contain a NUL byte")]
    NulInString {
        /// Byte offset of the opening quote.
        offset: usize,
    },
}

/// Parses `text` as one value of type `ty`; string literals are kept in `storage`.
pub fn parse_literal(
    text: &str,
    ty: &Type,
    storage: &mut LiteralStorage,
) -> Result<Value, LiteralError> {
    let mut parser = Parser::new(text, storage);
    let value = parser.value(ty)?;
    match parser.next()? {
        Token {
            kind: TokenKind::End,
            ..
        } => Ok(value),
        token => Err(token.unexpected("end of the argument")),
    }
}

/// What a literal of type `ty` looks like, for error messages.
pub fn expectation(ty: &Type) -> String {
    match ty.class() {
        _ if *ty == Type::Bool => "`true` or `false`".into(),
        _ if *ty == Type::Ptr => "a pointer (`null`, an address, or a \"string\")".into(),
        Some(ScalarClass::Integer { .. }) => {
            format!("{} {ty} integer (decimal or 0x hex)", article(ty))
        }
        Some(ScalarClass::Float { .. }) => {
            format!("{} {ty} number (like 1.5, -2e3, inf, nan)", article(ty))
        }
        Some(ScalarClass::X87 | ScalarClass::Binary128) => format!(
            "{} {ty} number (like 1.5, -2e3, inf, nan; read as an f64, then widened exactly)",
            article(ty)
        ),
        None if ty.is_void() => "no value (`void` is not a parameter type)".into(),
        None => match ty {
            Type::Struct(layout) => format!(
                "a `{ty}` struct literal: `{{` then {} field value(s) separated by `,` then `}}`",
                layout.fields().len()
            ),
            Type::Array(array) => format!(
                "a `{ty}` array literal: `[` then {} element(s) separated by `,` then `]`",
                array.len
            ),
            _ => format!("a `{ty}` value"),
        },
    }
}

/// `an i32`, `an f64`, `a u8`: by how the type's name is spoken.
fn article(ty: &Type) -> &'static str {
    if ty.name().starts_with(['i', 'f']) {
        "an"
    } else {
        "a"
    }
}

#[derive(Clone, Debug, PartialEq)]
enum TokenKind<'a> {
    /// A run of characters other than whitespace, quotes and punctuation: a number,
    /// `true`, `null`, `inf`...
    Atom(&'a str),
    /// A string literal, escapes decoded.
    Str(String),
    /// `{`, `}`, `[`, `]` or `,`.
    Punct(char),
    End,
}

#[derive(Clone, Debug, PartialEq)]
struct Token<'a> {
    offset: usize,
    kind: TokenKind<'a>,
}

impl Token<'_> {
    fn unexpected(&self, expected: &str) -> LiteralError {
        LiteralError::Syntax {
            offset: self.offset,
            expected: expected.to_string(),
            found: self.kind.to_string(),
        }
    }
}

impl fmt::Display for TokenKind<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenKind::Atom(atom) => write!(f, "`{atom}`"),
            TokenKind::Str(_) => f.write_str("a string"),
            TokenKind::Punct(c) => write!(f, "`{c}`"),
            TokenKind::End => f.write_str("end of input"),
        }
    }
}

const PUNCTUATION: [char; 5] = ['{', '}', '[', ']', ','];

/// A recursive-descent parser over one argument's text. Never panics: every index it
/// takes comes from `char_indices` or a match at a char boundary.
struct Parser<'a, 's> {
    text: &'a str,
    pos: usize,
    storage: &'s mut LiteralStorage,
}

impl<'a, 's> Parser<'a, 's> {
    fn new(text: &'a str, storage: &'s mut LiteralStorage) -> Self {
        Parser {
            text,
            pos: 0,
            storage,
        }
    }

    /// Consumes and returns the next token.
    fn next(&mut self) -> Result<Token<'a>, LiteralError> {
        let rest = &self.text[self.pos..];
        let trimmed = rest.trim_start();
        let offset = self.pos + (rest.len() - trimmed.len());
        let Some(first) = trimmed.chars().next() else {
            self.pos = offset;
            return Ok(Token {
                offset,
                kind: TokenKind::End,
            });
        };
        let (kind, len) = if PUNCTUATION.contains(&first) {
            (TokenKind::Punct(first), first.len_utf8())
        } else if first == '"' {
            let (string, len) = Self::string(trimmed, offset)?;
            (TokenKind::Str(string), len)
        } else {
            let len = trimmed
                .find(|c: char| c.is_whitespace() || c == '"' || PUNCTUATION.contains(&c))
                .unwrap_or(trimmed.len());
            (TokenKind::Atom(&trimmed[..len]), len)
        };
        self.pos = offset + len;
        Ok(Token { offset, kind })
    }

    /// Decodes the string literal at the start of `text` (which begins with `"`);
    /// returns it and the literal's length in bytes.
    fn string(text: &str, offset: usize) -> Result<(String, usize), LiteralError> {
        let mut decoded = String::new();
        let mut chars = text.char_indices().skip(1);
        while let Some((i, c)) = chars.next() {
            match c {
                '"' => return Ok((decoded, i + 1)),
                '\\' => {
                    let escape = chars.next().map(|(_, e)| e);
                    decoded.push(match escape {
                        Some('n') => '\n',
                        Some('t') => '\t',
                        Some('\\') => '\\',
                        Some('"') => '"',
                        Some(escape) => {
                            return Err(LiteralError::Escape {
                                offset: offset + i,
                                escape,
                            })
                        }
                        None => break,
                    });
                }
                c => decoded.push(c),
            }
        }
        Err(LiteralError::UnterminatedString { offset })
    }

    /// Parses one value of type `ty`.
    fn value(&mut self, ty: &Type) -> Result<Value, LiteralError> {
        let token = self.next()?;
        match (&token.kind, ty) {
            (TokenKind::Atom(atom), _) => {
                scalar(atom, ty).ok_or_else(|| token.unexpected(&expectation(ty)))?
            }
            (TokenKind::Str(string), Type::Ptr) => {
                let c_string =
                    CString::new(string.as_str()).map_err(|_| LiteralError::NulInString {
                        offset: token.offset,
                    })?;
                Ok(Value::Ptr(self.storage.keep(c_string)))
            }
            (TokenKind::Punct('{'), Type::Struct(layout)) => {
                let fields = self.members(layout.fields().iter(), '}', ty)?;
                Value::structure(ty, &fields).map_err(LiteralError::Member)
            }
            (TokenKind::Punct('['), Type::Array(array)) => {
                let elements =
                    self.members(std::iter::repeat_n(&array.element, array.len), ']', ty)?;
                Value::array(ty, &elements).map_err(LiteralError::Member)
            }
            _ => Err(token.unexpected(&expectation(ty))),
        }
    }

    /// Parses the members of a struct or array literal after its opening bracket, one
    /// per type in `types`, separated by `,`, up to `close`.
    fn members<'t>(
        &mut self,
        types: impl ExactSizeIterator<Item = &'t Type>,
        close: char,
        aggregate: &Type,
    ) -> Result<Vec<Value>, LiteralError> {
        let count = types.len();
        let mut values = Vec::with_capacity(count);
        for (index, member) in types.enumerate() {
            if index > 0 {
                let token = self.next()?;
                if token.kind != TokenKind::Punct(',') {
                    return Err(token.unexpected(&format!(
                        "`,` and member {} of {count} of `{aggregate}`",
                        index + 1
                    )));
                }
            }
            values.push(self.value(member)?);
        }
        let token = self.next()?;
        if token.kind != TokenKind::Punct(close) {
            return Err(
                token.unexpected(&format!("`{close}`: `{aggregate}` has {count} member(s)"))
            );
        }
        Ok(values)
    }
}

/// Parses an atom as a scalar of type `ty`: `None` when it has the wrong form, an
/// error when it has the right form but not a value of the type.
fn scalar(atom: &str, ty: &Type) -> Option<Result<Value, LiteralError>> {
    match ty.class()? {
        _ if *ty == Type::Bool => match atom {
            "true" => Some(Ok(Value::Bool(true))),
            "false" => Some(Ok(Value::Bool(false))),
            _ => None,
        },
        _ if *ty == Type::Ptr && atom == "null" => Some(Ok(Value::Ptr(std::ptr::null_mut()))),
        ScalarClass::Integer { .. } if *ty == Type::U128 => {
            // The one type whose values go past `i128`.
            let (negative, magnitude) = integer_parts(atom)?;
            Some(match magnitude {
                Some(magnitude) if !negative || magnitude == 0 => Ok(Value::U128(magnitude)),
                _ => Err(range_error(atom, ty)),
            })
        }
        ScalarClass::Integer { .. } => Some(match integer(atom)? {
            Some(value) => integer_value(atom, value, ty),
            None => Err(range_error(atom, ty)),
        }),
        ScalarClass::Float { .. } | ScalarClass::X87 | ScalarClass::Binary128 => float(atom, ty),
    }
}

/// An integer literal's value, `None` when it is not one, `Some(None)` when it is
/// beyond `i128` (out of range for every type but `u128`).
fn integer(atom: &str) -> Option<Option<i128>> {
    let (negative, magnitude) = integer_parts(atom)?;
    let Some(magnitude) = magnitude else {
        return Some(None);
    };
    Some(if negative {
        0i128.checked_sub_unsigned(magnitude)
    } else {
        i128::try_from(magnitude).ok()
    })
}

/// An integer literal's sign (true for `-`) and magnitude, `None` when it is not
/// one; the magnitude is `None` when it is beyond `u128`.
fn integer_parts(atom: &str) -> Option<(bool, Option<u128>)> {
    let (negative, unsigned) = match atom.as_bytes().first()? {
        b'-' => (true, &atom[1..]),
        b'+' => (false, &atom[1..]),
        _ => (false, atom),
    };
    let (digits, radix) = match unsigned
        .strip_prefix("0x")
        .or_else(|| unsigned.strip_prefix("0X"))
    {
        Some(hex) => (hex, 16),
        None => (unsigned, 10),
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    Some((negative, u128::from_str_radix(digits, radix).ok()))
}

/// The smallest and largest values of an integer type (pointers are addresses).
fn integer_bounds(ty: &Type) -> (i128, u128) {
    match ty.class() {
        Some(ScalarClass::Integer { bytes: 16, signed }) => {
            if signed {
                (i128::MIN, i128::MAX as u128)
            } else {
                (0, u128::MAX)
            }
        }
        Some(ScalarClass::Integer { bytes, signed }) => {
            let bits = u32::from(bytes) * 8;
            if signed {
                (-(1i128 << (bits - 1)), (1u128 << (bits - 1)) - 1)
            } else {
                (0, (1u128 << bits) - 1)
            }
        }
        _ => (0, 0),
    }
}

/// The error for an integer literal outside `ty`'s range.
fn range_error(literal: &str, ty: &Type) -> LiteralError {
    let (min, max) = integer_bounds(ty);
    LiteralError::IntegerRange {
        literal: literal.to_string(),
        ty: ty.clone(),
        min,
        max,
    }
}

fn integer_value(literal: &str, value: i128, ty: &Type) -> Result<Value, LiteralError> {
    let (min, max) = integer_bounds(ty);
    if value < min || u128::try_from(value).is_ok_and(|value| value > max) {
        return Err(range_error(literal, ty));
    }
    // In range, so every cast below is exact.
    Ok(match ty {
        Type::I8 => Value::I8(value as i8),
        Type::U8 => Value::U8(value as u8),
        Type::I16 => Value::I16(value as i16),
        Type::U16 => Value::U16(value as u16),
        Type::I32 => Value::I32(value as i32),
        Type::U32 => Value::U32(value as u32),
        Type::I64 => Value::I64(value as i64),
        Type::U64 => Value::U64(value as u64),
        Type::I128 => Value::I128(value),
        Type::Isize => Value::Isize(value as isize),
        Type::Usize => Value::Usize(value as usize),
        Type::Ptr => Value::Ptr(value as usize as *mut c_void),
        // `scalar` sends only integer types and `ptr` here.
        _ => Value::Void,
    })
}

/// A float literal of type `ty` (F32 or F64), `None` when it is not one.
fn float(atom: &str, ty: &Type) -> Option<Result<Value, LiteralError>> {
    // Rust's float syntax also takes `infinity` and any letter case of `inf`/`nan`;
    // an integer literal (`0`, `-3`) is a float literal too.
    let (value, infinite) = match ty {
        Type::F32 => {
            let v = atom.parse::<f32>().ok()?;
            (Value::F32(v), v.is_infinite())
        }
        _ => {
            let v = atom.parse::<f64>().ok()?;
            let value = match ty {
                // Literals of the long double formats are read as f64s (their value
                // shown rounded to f64 too).
                Type::F80 => Value::F80(springboard::F80::from_f64(v)),
                Type::F128 => Value::F128(springboard::F128::from_f64(v)),
                _ => Value::F64(v),
            };
            (value, v.is_infinite())
        }
    };
    let spelled_infinite = atom
        .trim_start_matches(['+', '-'])
        .to_ascii_lowercase()
        .starts_with("inf");
    if infinite && !spelled_infinite {
        return Some(Err(LiteralError::FloatRange {
            literal: atom.to_string(),
            ty: ty.clone(),
        }));
    }
    Some(Ok(value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    fn parse(text: &str, ty: Type) -> Result<Value, LiteralError> {
        parse_literal(text, &ty, &mut LiteralStorage::new())
    }

    /// The bytes of the C string a pointer value points to.
    fn c_string(value: Value) -> Vec<u8> {
        let Value::Ptr(pointer) = value else {
            panic!("not a pointer: {value:?}");
        };
        // SAFETY: the pointer comes from a string literal whose storage is alive.
        unsafe { CStr::from_ptr(pointer.cast()) }
            .to_bytes()
            .to_vec()
    }

    #[test]
    fn integers_in_decimal_and_hex_with_signs() {
        assert_eq!(parse("42", Type::I32), Ok(Value::I32(42)));
        assert_eq!(parse("-7", Type::I32), Ok(Value::I32(-7)));
        assert_eq!(parse("+7", Type::I16), Ok(Value::I16(7)));
        assert_eq!(parse("0x1F", Type::U8), Ok(Value::U8(31)));
        assert_eq!(parse("0XfF", Type::U16), Ok(Value::U16(255)));
        assert_eq!(parse("-0x10", Type::I64), Ok(Value::I64(-16)));
        let min = i128::MIN.to_string();
        assert_eq!(parse(&min, Type::I128), Ok(Value::I128(i128::MIN)));
        assert!(parse("-1", Type::U128).is_err());
        let beyond = format!("-{}", 1u128 << 127 | 1);
        assert!(
            parse(&beyond, Type::I128).is_err(),
            "never a saturated value"
        );
        let big = (1u128 << 100).to_string();
        assert_eq!(parse(&big, Type::U128), Ok(Value::U128(1 << 100)));
        let max = u128::MAX.to_string();
        assert_eq!(parse(&max, Type::U128), Ok(Value::U128(u128::MAX)));
        assert_eq!(
            parse("0xffffffffffffffffffffffffffffffff", Type::U128),
            Ok(Value::U128(u128::MAX))
        );
        let err = parse(&format!("{max}0"), Type::U128).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("{max}0 is out of range for u128 (0 to {max})")
        );
        assert_eq!(parse("-0", Type::U128), Ok(Value::U128(0)));
        assert!(parse(&max, Type::I128).is_err(), "beyond i128::MAX");
        assert_eq!(parse("-0", Type::U32), Ok(Value::U32(0)));
        assert_eq!(parse("  9 ", Type::Isize), Ok(Value::Isize(9)));
        assert_eq!(parse("007", Type::Usize), Ok(Value::Usize(7)));
    }

    #[test]
    fn integer_bounds_of_every_type_are_inclusive() {
        let cases: [(Type, &str, Value, &str, Value); 10] = [
            (
                Type::I8,
                "-128",
                Value::I8(i8::MIN),
                "127",
                Value::I8(i8::MAX),
            ),
            (Type::U8, "0", Value::U8(0), "255", Value::U8(u8::MAX)),
            (
                Type::I16,
                "-32768",
                Value::I16(i16::MIN),
                "32767",
                Value::I16(i16::MAX),
            ),
            (Type::U16, "0", Value::U16(0), "65535", Value::U16(u16::MAX)),
            (
                Type::I32,
                "-2147483648",
                Value::I32(i32::MIN),
                "0x7fffffff",
                Value::I32(i32::MAX),
            ),
            (
                Type::U32,
                "0",
                Value::U32(0),
                "4294967295",
                Value::U32(u32::MAX),
            ),
            (
                Type::I64,
                "-9223372036854775808",
                Value::I64(i64::MIN),
                "9223372036854775807",
                Value::I64(i64::MAX),
            ),
            (
                Type::U64,
                "0",
                Value::U64(0),
                "0xffffffffffffffff",
                Value::U64(u64::MAX),
            ),
            (
                Type::Isize,
                "-0x8000000000000000",
                Value::Isize(isize::MIN),
                "0x7fffffffffffffff",
                Value::Isize(isize::MAX),
            ),
            (
                Type::Usize,
                "0",
                Value::Usize(0),
                "18446744073709551615",
                Value::Usize(usize::MAX),
            ),
        ];
        for (ty, min_text, min, max_text, max) in cases {
            assert_eq!(parse(min_text, ty.clone()), Ok(min), "{ty} {min_text}");
            assert_eq!(parse(max_text, ty.clone()), Ok(max), "{ty} {max_text}");
            let (low, high) = integer_bounds(&ty);
            for text in [(low - 1).to_string(), (high + 1).to_string()] {
                assert_eq!(
                    parse(&text, ty.clone()),
                    Err(LiteralError::IntegerRange {
                        literal: text.clone(),
                        ty: ty.clone(),
                        min: low,
                        max: high,
                    }),
                    "{ty} {text}"
                );
            }
        }
    }

    #[test]
    fn range_errors_say_literal_type_and_bounds() {
        let err = parse("300", Type::U8).unwrap_err();
        assert_eq!(err.to_string(), "300 is out of range for u8 (0 to 255)");
        let err = parse("-0x81", Type::I8).unwrap_err();
        assert_eq!(
            err.to_string(),
            "-0x81 is out of range for i8 (-128 to 127)"
        );
        // Far beyond any 128-bit integer: still a range error, not a syntax error.
        let huge = "9".repeat(60);
        assert!(matches!(
            parse(&huge, Type::U64),
            Err(LiteralError::IntegerRange { .. })
        ));
        assert!(matches!(
            parse(&format!("-{huge}"), Type::I64),
            Err(LiteralError::IntegerRange { .. })
        ));
    }

    #[test]
    fn malformed_integers_are_syntax_errors() {
        for text in [
            "1.5", "0x", "-", "+", "0xg", "1_000", "abc", "--1", "0x+5", "1e3", "é",
        ] {
            match parse(text, Type::I32) {
                Err(LiteralError::Syntax {
                    offset: 0,
                    expected,
                    found,
                }) => {
                    assert!(expected.contains("an i32 integer"), "{text}: {expected}");
                    assert_eq!(found, format!("`{text}`"));
                }
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn floats_in_rust_syntax_and_integers() {
        assert_eq!(parse("1.5", Type::F64), Ok(Value::F64(1.5)));
        assert_eq!(parse("-2e3", Type::F64), Ok(Value::F64(-2000.0)));
        assert_eq!(parse("0", Type::F64), Ok(Value::F64(0.0)));
        assert_eq!(parse("-3", Type::F32), Ok(Value::F32(-3.0)));
        assert_eq!(parse("0.1", Type::F32), Ok(Value::F32(0.1)));
        assert_eq!(parse("inf", Type::F64), Ok(Value::F64(f64::INFINITY)));
        assert_eq!(parse("-inf", Type::F32), Ok(Value::F32(f32::NEG_INFINITY)));
        assert_eq!(parse("infinity", Type::F64), Ok(Value::F64(f64::INFINITY)));
        assert!(matches!(parse("nan", Type::F64), Ok(Value::F64(v)) if v.is_nan()));
        assert!(matches!(parse("NaN", Type::F32), Ok(Value::F32(v)) if v.is_nan()));
        assert_eq!(parse("1e300", Type::F64), Ok(Value::F64(1e300)));
    }

    #[test]
    fn float_overflow_and_malformed_floats_are_errors() {
        assert_eq!(
            parse("1e39", Type::F32).unwrap_err().to_string(),
            "1e39 is out of range for f32 (overflows to infinity)"
        );
        assert!(matches!(
            parse("-1e309", Type::F64),
            Err(LiteralError::FloatRange { .. })
        ));
        for text in ["1.5.2", "0x10", "one", "true", "1,5"] {
            assert!(
                matches!(parse(text, Type::F64), Err(LiteralError::Syntax { .. })),
                "{text}"
            );
        }
    }

    #[test]
    fn bools_are_true_or_false_only() {
        assert_eq!(parse("true", Type::Bool), Ok(Value::Bool(true)));
        assert_eq!(parse("false", Type::Bool), Ok(Value::Bool(false)));
        for text in ["1", "True", "yes", "\"true\""] {
            let err = parse(text, Type::Bool).unwrap_err();
            assert!(
                err.to_string().contains("expected `true` or `false`"),
                "{text}: {err}"
            );
        }
    }

    #[test]
    fn pointers_from_null_and_addresses() {
        assert_eq!(
            parse("null", Type::Ptr),
            Ok(Value::Ptr(std::ptr::null_mut()))
        );
        assert_eq!(
            parse("0x1000", Type::Ptr),
            Ok(Value::Ptr(0x1000 as *mut c_void))
        );
        assert_eq!(
            parse("4096", Type::Ptr),
            Ok(Value::Ptr(4096 as *mut c_void))
        );
        assert!(matches!(
            parse("-1", Type::Ptr),
            Err(LiteralError::IntegerRange { .. })
        ));
        assert!(matches!(
            parse("nil", Type::Ptr),
            Err(LiteralError::Syntax { .. })
        ));
    }

    #[test]
    fn strings_become_nul_terminated_copies_with_escapes() {
        let mut storage = LiteralStorage::new();
        let plain = parse_literal("\"hello\"", &Type::Ptr, &mut storage).unwrap();
        let escaped = parse_literal(r#""a\n\t\\\"b""#, &Type::Ptr, &mut storage).unwrap();
        let empty = parse_literal(" \"\" ", &Type::Ptr, &mut storage).unwrap();
        let unicode = parse_literal("\"héllo, {w}\"", &Type::Ptr, &mut storage).unwrap();
        assert_eq!(c_string(plain), b"hello");
        assert_eq!(c_string(escaped), b"a\n\t\\\"b");
        assert_eq!(c_string(empty), b"");
        assert_eq!(c_string(unicode), "héllo, {w}".as_bytes());
    }

    #[test]
    fn string_pointers_stay_valid_while_storage_grows() {
        let mut storage = LiteralStorage::new();
        let values: Vec<Value> = (0..200)
            .map(|i| parse_literal(&format!("\"s{i}\""), &Type::Ptr, &mut storage).unwrap())
            .collect();
        for (i, value) in values.into_iter().enumerate() {
            assert_eq!(c_string(value), format!("s{i}").as_bytes());
        }
    }

    #[test]
    fn bad_strings_report_where() {
        assert_eq!(
            parse(r#""a\qb""#, Type::Ptr),
            Err(LiteralError::Escape {
                offset: 2,
                escape: 'q'
            })
        );
        // Offsets are bytes: `é` takes two.
        assert_eq!(
            parse(r#""é\0""#, Type::Ptr),
            Err(LiteralError::Escape {
                offset: 3,
                escape: '0'
            })
        );
        assert_eq!(
            parse("  \"abc", Type::Ptr),
            Err(LiteralError::UnterminatedString { offset: 2 })
        );
        assert_eq!(
            parse(r#""abc\"#, Type::Ptr),
            Err(LiteralError::UnterminatedString { offset: 0 })
        );
        assert_eq!(
            parse(r#""abc\""#, Type::Ptr),
            Err(LiteralError::UnterminatedString { offset: 0 })
        );
        assert_eq!(
            parse("\"a\0b\"", Type::Ptr),
            Err(LiteralError::NulInString { offset: 0 })
        );
    }

    #[test]
    fn strings_only_for_pointers() {
        let err = parse("\"5\"", Type::I32).unwrap_err();
        assert_eq!(
            err,
            LiteralError::Syntax {
                offset: 0,
                expected: expectation(&Type::I32),
                found: "a string".into(),
            }
        );
    }

    #[test]
    fn one_value_per_argument() {
        assert_eq!(
            parse("1 2", Type::I32),
            Err(LiteralError::Syntax {
                offset: 2,
                expected: "end of the argument".into(),
                found: "`2`".into(),
            })
        );
        assert_eq!(
            parse("\"a\"\"b\"", Type::Ptr).unwrap_err().to_string(),
            "at byte 3: expected end of the argument, found a string"
        );
        assert_eq!(
            parse("", Type::U8).unwrap_err().to_string(),
            "at byte 0: expected a u8 integer (decimal or 0x hex), found end of input"
        );
        // Struct syntax is tokenised already; scalars reject it.
        assert_eq!(
            parse("{1, 2}", Type::I32).unwrap_err().to_string(),
            "at byte 0: expected an i32 integer (decimal or 0x hex), found `{`"
        );
        assert_eq!(
            parse("1,", Type::I32).unwrap_err().to_string(),
            "at byte 1: expected end of the argument, found `,`"
        );
    }

    #[test]
    fn expectations_name_the_type() {
        assert_eq!(expectation(&Type::U8), "a u8 integer (decimal or 0x hex)");
        assert_eq!(
            expectation(&Type::Isize),
            "an isize integer (decimal or 0x hex)"
        );
        assert_eq!(
            expectation(&Type::F64),
            "an f64 number (like 1.5, -2e3, inf, nan)"
        );
        assert!(expectation(&Type::Ptr).contains("null"));
        let pair = Type::structure([Type::I32, Type::I32]).unwrap();
        assert!(expectation(&pair).contains("2 field value(s)"));
    }

    #[test]
    fn struct_and_array_literals_nest() {
        let ty: Type = "{i8, {f64, [u16; 3]}, bool}".parse().unwrap();
        let value = parse(" { -3, {2.5, [1, 0x10, 65535]}, true } ", ty.clone()).unwrap();
        assert_eq!(value.ty(), ty);
        assert_eq!(value.to_string(), "{-3, {2.5, [1, 16, 65535]}, true}");
        let Value::Struct(outer) = &value else {
            panic!("{value:?} is not a struct")
        };
        assert_eq!(outer.member(0), Some(Value::I8(-3)));
        assert_eq!(outer.member(2), Some(Value::Bool(true)));
    }

    #[test]
    fn struct_literal_errors_say_where_and_what() {
        let pair: Type = "{i32, f64}".parse().unwrap();
        let err = parse("{1}", pair.clone()).unwrap_err().to_string();
        assert_eq!(
            err,
            "at byte 2: expected `,` and member 2 of 2 of `{i32, f64}`, found `}`"
        );
        let err = parse("{1, 2, 3}", pair.clone()).unwrap_err().to_string();
        assert_eq!(
            err,
            "at byte 5: expected `}`: `{i32, f64}` has 2 member(s), found `,`"
        );
        let err = parse("{1, x}", pair.clone()).unwrap_err().to_string();
        assert!(
            err.starts_with("at byte 4: expected an f64 number"),
            "{err}"
        );
        let err = parse("{300000000000, 1}", pair).unwrap_err().to_string();
        assert!(err.contains("out of range for i32"), "{err}");
        let array_field: Type = "{[u8; 2]}".parse().unwrap();
        let err = parse("{{1, 2}}", array_field).unwrap_err().to_string();
        assert!(
            err.starts_with("at byte 1: expected a `[u8; 2]` array literal"),
            "{err}"
        );
    }
}
