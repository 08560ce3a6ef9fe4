//! C function signatures and their text form.
//!
//! The grammar, with `T` any type keyword from [`Type::name`]:
//!
//! ```text
//! signature  := [convention] '(' [T {',' T}] ')' ['->' T]
//! convention := 'c' | 'sysv' | 'win64' | 'aapcs64' | 'apple'
//! ```
//!
//! No arrow means a `void` result; `-> void` is accepted and prints without the arrow.
//! `{` (struct) and `[` (array field) are reserved for aggregate types. Whitespace may
//! stand between any two tokens. [`Signature`]'s `Display` prints the canonical form,
//! which parses back to an equal signature and prints identically.
//!
//! ```
//! use springboard::{Convention, Signature, Type};
//!
//! let sig: Signature = "win64 (ptr, u8) -> f64".parse()?;
//! assert_eq!(sig.convention, Convention::Win64);
//! assert_eq!(sig.params, [Type::Ptr, Type::U8]);
//! assert_eq!(sig.to_string(), "win64 (ptr, u8) -> f64");
//!
//! let err = "(i32, i33)".parse::<Signature>().unwrap_err();
//! assert_eq!(err.offset, 6);
//! assert_eq!(err.to_string(), "at byte 6: expected a type, found `i33`");
//! # Ok::<(), springboard::ParseError>(())
//! ```

use crate::types::Type;
use std::fmt;
use std::str::FromStr;

/// A calling convention named in a signature.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Convention {
    /// The C convention of whatever target the trampoline is compiled for.
    #[default]
    C,
    /// x86-64 System V (Linux, macOS, BSDs on x86-64).
    SysV,
    /// Microsoft x64 (Windows on x86-64).
    Win64,
    /// AArch64 Procedure Call Standard (Linux and others on arm64).
    Aapcs64,
    /// Apple's arm64 variant of AAPCS64 (macOS, iOS).
    Apple,
}

impl Convention {
    /// Every convention, `C` first.
    pub const ALL: [Convention; 5] = [
        Convention::C,
        Convention::SysV,
        Convention::Win64,
        Convention::Aapcs64,
        Convention::Apple,
    ];

    /// The keyword for this convention in signature text.
    pub fn name(self) -> &'static str {
        match self {
            Convention::C => "c",
            Convention::SysV => "sysv",
            Convention::Win64 => "win64",
            Convention::Aapcs64 => "aapcs64",
            Convention::Apple => "apple",
        }
    }

    /// Looks a convention up by its keyword.
    pub fn from_name(name: &str) -> Option<Convention> {
        Convention::ALL.into_iter().find(|c| c.name() == name)
    }
}

impl fmt::Display for Convention {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A C function signature: convention, parameter types and result type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Signature {
    /// The calling convention of the C function.
    pub convention: Convention,
    /// Parameter types, in order. None is `void`.
    pub params: Vec<Type>,
    /// Result type; [`Type::Void`] for none.
    pub result: Type,
}

impl Signature {
    /// A signature in the target's C convention.
    pub fn new(params: impl Into<Vec<Type>>, result: Type) -> Signature {
        Signature {
            convention: Convention::C,
            params: params.into(),
            result,
        }
    }

    /// The same signature with another convention.
    pub fn with_convention(mut self, convention: Convention) -> Signature {
        self.convention = convention;
        self
    }

    /// Checks what the parser checks, for signatures built in code: no `void`
    /// parameter.
    pub fn validate(&self) -> Result<(), SignatureError> {
        match self.params.iter().position(Type::is_void) {
            Some(index) => Err(SignatureError::VoidParameter { index }),
            None => Ok(()),
        }
    }
}

/// A signature built in code that no C function can have.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    /// `void` stands as a parameter type.
    #[error("parameter {index} is void; void is only valid as a result type")]
    VoidParameter {
        /// Zero-based parameter index.
        index: usize,
    },
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.convention != Convention::C {
            write!(f, "{} ", self.convention)?;
        }
        f.write_str("(")?;
        for (i, param) in self.params.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{param}")?;
        }
        f.write_str(")")?;
        if !self.result.is_void() {
            write!(f, " -> {}", self.result)?;
        }
        Ok(())
    }
}

/// Signature text that does not parse: where, what was expected, what was there.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("at byte {offset}: expected {expected}, found {found}")]
pub struct ParseError {
    /// Byte offset into the text where the problem starts.
    pub offset: usize,
    /// What the parser was looking for.
    pub expected: String,
    /// What it found instead (a quoted token, or `end of input`).
    pub found: String,
}

impl FromStr for Signature {
    type Err = ParseError;

    fn from_str(text: &str) -> Result<Signature, ParseError> {
        Parser::new(text).signature()
    }
}

/// A lexical token with its byte offset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token<'a> {
    Word(&'a str),
    Punct(&'static str),
    Unknown(char),
    End,
}

impl fmt::Display for Token<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Word(w) => write!(f, "`{w}`"),
            Token::Punct(p) => write!(f, "`{p}`"),
            Token::Unknown(c) => write!(f, "`{}`", c.escape_debug()),
            Token::End => f.write_str("end of input"),
        }
    }
}

const PUNCTUATION: [&str; 8] = ["->", "(", ")", ",", "{", "}", "[", "]"];

/// A recursive-descent parser over signature text. Never panics: every index it
/// takes comes from `char_indices` or a prefix match at a char boundary.
struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Parser { text, pos: 0 }
    }

    /// The next token and its offset, without consuming it.
    fn peek(&self) -> (usize, Token<'a>, usize) {
        let rest = &self.text[self.pos..];
        let trimmed = rest.trim_start();
        let start = self.pos + (rest.len() - trimmed.len());
        let Some(first) = trimmed.chars().next() else {
            return (start, Token::End, start);
        };
        if let Some(p) = PUNCTUATION.iter().find(|p| trimmed.starts_with(**p)) {
            return (start, Token::Punct(p), start + p.len());
        }
        if first.is_ascii_alphanumeric() || first == '_' {
            let len = trimmed
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(trimmed.len());
            return (start, Token::Word(&trimmed[..len]), start + len);
        }
        (start, Token::Unknown(first), start + first.len_utf8())
    }

    fn next(&mut self) -> (usize, Token<'a>) {
        let (start, token, end) = self.peek();
        self.pos = end;
        (start, token)
    }

    fn error(offset: usize, expected: &str, found: Token<'_>) -> ParseError {
        ParseError {
            offset,
            expected: expected.to_string(),
            found: found.to_string(),
        }
    }

    fn expect(&mut self, punct: &'static str, expected: &str) -> Result<(), ParseError> {
        match self.next() {
            (_, Token::Punct(p)) if p == punct => Ok(()),
            (offset, token) => Err(Self::error(offset, expected, token)),
        }
    }

    fn signature(&mut self) -> Result<Signature, ParseError> {
        let mut convention = Convention::C;
        if let (offset, Token::Word(word), _) = self.peek() {
            convention = Convention::from_name(word).ok_or_else(|| {
                Self::error(
                    offset,
                    "a calling convention (c, sysv, win64, aapcs64, apple) or `(`",
                    Token::Word(word),
                )
            })?;
            self.next();
        }
        self.expect("(", "`(`")?;
        let mut params = Vec::new();
        if !matches!(self.peek().1, Token::Punct(")")) {
            loop {
                let (offset, ty) = self.ty()?;
                if ty.is_void() {
                    return Err(ParseError {
                        offset,
                        expected: "a parameter type (void is only valid as a result)".into(),
                        found: "`void`".into(),
                    });
                }
                params.push(ty);
                match self.next() {
                    (_, Token::Punct(",")) => continue,
                    (_, Token::Punct(")")) => break,
                    (offset, token) => return Err(Self::error(offset, "`,` or `)`", token)),
                }
            }
        } else {
            self.next();
        }
        let result = match self.next() {
            (_, Token::End) => Type::Void,
            (_, Token::Punct("->")) => {
                let (_, ty) = self.ty()?;
                match self.next() {
                    (_, Token::End) => ty,
                    (offset, token) => return Err(Self::error(offset, "end of input", token)),
                }
            }
            (offset, token) => return Err(Self::error(offset, "`->` or end of input", token)),
        };
        Ok(Signature {
            convention,
            params,
            result,
        })
    }

    fn ty(&mut self) -> Result<(usize, Type), ParseError> {
        match self.next() {
            (offset, Token::Word(word)) => Type::from_name(word)
                .map(|ty| (offset, ty))
                .ok_or_else(|| Self::error(offset, "a type", Token::Word(word))),
            (offset, Token::Punct(p @ ("{" | "["))) => Err(ParseError {
                offset,
                expected: "a scalar type (struct and array types are not supported yet)".into(),
                found: format!("`{p}`"),
            }),
            (offset, token) => Err(Self::error(offset, "a type", token)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_canonical_forms() {
        for text in [
            "()",
            "(i32, f64) -> f64",
            "win64 (ptr, u8)",
            "sysv () -> bool",
            "apple (i8, i16, u8, i32, i64) -> u16",
            "aapcs64 (f32) -> isize",
            "(usize)",
        ] {
            let sig: Signature = text.parse().unwrap();
            assert_eq!(sig.to_string(), text);
        }
    }

    #[test]
    fn accepts_whitespace_c_and_void_result() {
        let sig: Signature = "  c(i32,i32)->void ".parse().unwrap();
        assert_eq!(sig, Signature::new([Type::I32, Type::I32], Type::Void));
        assert_eq!(sig.to_string(), "(i32, i32)");
    }

    #[test]
    fn errors_name_offset_and_expectation() {
        let cases = [
            ("", 0, "`(`"),
            ("(", 1, "a type"),
            ("(i32", 4, "`,` or `)`"),
            ("(i32,)", 5, "a type"),
            ("fastcall (i32)", 0, "a calling convention"),
            ("(i32) -> ", 9, "a type"),
            ("(i32) -> i32 i32", 13, "end of input"),
            ("(void)", 1, "a parameter type"),
            ("({i32})", 1, "struct and array"),
            ("(i32) => i32", 6, "`->`"),
            ("(é)", 1, "a type"),
        ];
        for (text, offset, expected) in cases {
            let err = text.parse::<Signature>().unwrap_err();
            assert_eq!(err.offset, offset, "{text:?}: {err}");
            assert!(err.expected.contains(expected), "{text:?}: {err}");
        }
    }

    #[test]
    fn validate_rejects_void_parameters() {
        let sig = Signature::new([Type::I32, Type::Void], Type::Void);
        assert_eq!(
            sig.validate(),
            Err(SignatureError::VoidParameter { index: 1 })
        );
    }
}
