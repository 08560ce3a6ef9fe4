//! C function signatures and their text form.
//!
//! The grammar:
//!
//! ```text
//! signature  := [convention] '(' params ')' ['->' type]
//! params     := [type {',' type}]
//!             | [type {',' type} ','] '...' [';' type {',' type}]
//! convention := 'c' | 'sysv' | 'win64' | 'aapcs64' | 'apple' | 'riscv64'
//! type       := scalar | struct | complex
//! scalar     := 'void' | 'bool' | 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32'
//!             | 'i64' | 'u64' | 'i128' | 'u128' | 'isize' | 'usize'
//!             | 'f32' | 'f64' | 'f80' | 'f128' | 'ptr'
//! struct     := '{' field {',' field} '}'
//! field      := type | '[' field ';' length ']'
//! complex    := 'complex' '<' ('f32' | 'f64' | 'f80' | 'f128') '>'
//! ```
//!
//! `complex<T>` is C's `_Complex T` (see [`Type::complex`]): `complex<f32>`,
//! `complex<f64>` and `complex<f128>` are the structs `{T, T}` and print as them;
//! `complex<f80>` (`_Complex long double` on x86-64) is a type of its own.
//!
//! No arrow means a `void` result; `-> void` is accepted and prints without the arrow.
//! `long double` is written as its format: `f80` (x87 extended, x86-64) or `f128` (IEEE
//! binary128: aarch64 and riscv64 Linux, x86-64's `__float128`); on Apple arm64 and MSVC
//! it is `f64`. Lowering a format the convention lacks is an
//! [`Error::UnsupportedType`](crate::Error::UnsupportedType).
//! Arrays exist only as struct fields (as in C, where an array parameter is a pointer).
//!
//! A variadic function's call site is written with `...` after the fixed parameters and,
//! after `;`, the types this call passes in the variadic part: `(ptr, ...; i32, f64) -> i32`
//! is a call of `int printf(const char *, ...)` with an `int` and a `double`; `(ptr, ...)`
//! passes none. The variadic part holds only types that survive C's default argument
//! promotions (C17 §6.5.2.2p7): `f32`, `bool` and integers narrower than 32 bits are
//! rejected there with an error naming the promoted type to write instead (`f64`,
//! `i32`/`u32`), the way libffi 3.4's `ffi_prep_cif_var` rejects them with
//! `FFI_BAD_ARGTYPE`. A C caller never passes them, so no callee can expect them.
//! Whitespace may stand between any two tokens. [`Signature`]'s `Display` prints the canonical form,
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

use crate::types::{Type, TypeError};
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
    /// The RISC-V ELF psABI's LP64D convention (RV64GC Linux).
    Riscv64,
}

impl Convention {
    /// Every convention, `C` first.
    pub const ALL: [Convention; 6] = [
        Convention::C,
        Convention::SysV,
        Convention::Win64,
        Convention::Aapcs64,
        Convention::Apple,
        Convention::Riscv64,
    ];

    /// The keyword for this convention in signature text.
    pub fn name(self) -> &'static str {
        match self {
            Convention::C => "c",
            Convention::SysV => "sysv",
            Convention::Win64 => "win64",
            Convention::Aapcs64 => "aapcs64",
            Convention::Apple => "apple",
            Convention::Riscv64 => "riscv64",
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
    /// For a call of a variadic function: the number of fixed parameters (`params[n..]`
    /// are the variadic arguments of this call). `None` for a function with a fixed
    /// parameter list.
    pub variadic_from: Option<usize>,
}

impl Signature {
    /// A signature in the target's C convention.
    pub fn new(params: impl Into<Vec<Type>>, result: Type) -> Signature {
        Signature {
            convention: Convention::C,
            params: params.into(),
            result,
            variadic_from: None,
        }
    }

    /// A call of a variadic function with `fixed` parameters, then `variadic` arguments
    /// (see [`Signature::variadic_from`]).
    pub fn variadic(
        fixed: impl Into<Vec<Type>>,
        variadic: impl IntoIterator<Item = Type>,
        result: Type,
    ) -> Signature {
        let mut params = fixed.into();
        let variadic_from = Some(params.len());
        params.extend(variadic);
        Signature {
            variadic_from,
            ..Signature::new(params, result)
        }
    }

    /// Whether parameter `index` is in the variadic part of the call.
    pub fn is_variadic_arg(&self, index: usize) -> bool {
        self.variadic_from.is_some_and(|from| index >= from)
    }

    /// The same signature with another convention.
    pub fn with_convention(mut self, convention: Convention) -> Signature {
        self.convention = convention;
        self
    }

    /// Checks what the parser checks, for signatures built in code: no `void`
    /// parameter and no bare array parameter or result.
    pub fn validate(&self) -> Result<(), SignatureError> {
        if let Some(index) = self.params.iter().position(Type::is_void) {
            return Err(SignatureError::VoidParameter { index });
        }
        let is_array = |ty: &Type| matches!(ty, Type::Array(_));
        if let Some(index) = self.params.iter().position(is_array) {
            return Err(SignatureError::ArrayValue { index: Some(index) });
        }
        if is_array(&self.result) {
            return Err(SignatureError::ArrayValue { index: None });
        }
        if let Some(from) = self.variadic_from {
            if from > self.params.len() {
                return Err(SignatureError::VariadicFromOutOfRange {
                    from,
                    params: self.params.len(),
                });
            }
            for (index, ty) in self.params.iter().enumerate().skip(from) {
                if let Some(promoted) = promoted(ty) {
                    return Err(SignatureError::UnpromotedVariadic {
                        index,
                        ty: ty.clone(),
                        promoted,
                    });
                }
            }
        }
        Ok(())
    }
}

/// The type C's default argument promotions (C17 §6.5.2.2p7, §6.3.1.1p2) make of a
/// variadic argument of type `ty`, when that differs from `ty`: `f64` for `f32`, `i32`
/// for `bool` and integers narrower than 32 bits (all their values fit an `int`).
pub fn promoted(ty: &Type) -> Option<Type> {
    match ty {
        Type::F32 => Some(Type::F64),
        Type::Bool | Type::I8 | Type::U8 | Type::I16 | Type::U16 => Some(Type::I32),
        _ => None,
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
    /// An array stands as a parameter (`Some(index)`) or the result (`None`): C passes
    /// arrays only inside structs.
    #[error("{} is an array; arrays are only valid as struct fields", match index { Some(i) => format!("parameter {i}"), None => "the result".to_string() })]
    ArrayValue {
        /// Zero-based parameter index, or `None` for the result.
        index: Option<usize>,
    },
    /// A variadic argument of a type C's default argument promotions never leave
    /// (see the [module documentation](self)).
    #[error("variadic argument {index} is {ty}; C promotes it to {promoted} (write {promoted})")]
    UnpromotedVariadic {
        /// Zero-based parameter index.
        index: usize,
        /// The type given.
        ty: Type,
        /// The type a C caller passes instead.
        promoted: Type,
    },
    /// [`Signature::variadic_from`] is beyond the parameter list.
    #[error("the variadic part starts at parameter {from}, but there are only {params}")]
    VariadicFromOutOfRange {
        /// The start given.
        from: usize,
        /// The number of parameters.
        params: usize,
    },
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.convention != Convention::C {
            write!(f, "{} ", self.convention)?;
        }
        f.write_str("(")?;
        let fixed = self.variadic_from.unwrap_or(self.params.len());
        let (fixed_params, variadic) = self.params.split_at(fixed.min(self.params.len()));
        for (i, param) in fixed_params.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{param}")?;
        }
        if self.variadic_from.is_some() {
            f.write_str(if fixed_params.is_empty() {
                "..."
            } else {
                ", ..."
            })?;
            for (i, param) in variadic.iter().enumerate() {
                f.write_str(if i == 0 { "; " } else { ", " })?;
                write!(f, "{param}")?;
            }
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

const PUNCTUATION: [&str; 12] = [
    "->", "...", "(", ")", ",", "{", "}", "[", "]", ";", "<", ">",
];

/// A recursive-descent parser over signature text. Never panics: every index it
/// takes comes from `char_indices` or a prefix match at a char boundary.
struct Parser<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Parser {
            text,
            pos: 0,
            depth: 0,
        }
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
                    "a calling convention (c, sysv, win64, aapcs64, apple, riscv64) or `(`",
                    Token::Word(word),
                )
            })?;
            self.next();
        }
        self.expect("(", "`(`")?;
        let mut params = Vec::new();
        let mut variadic_from = None;
        if !matches!(self.peek().1, Token::Punct(")")) {
            loop {
                if let (_, Token::Punct("..."), _) = self.peek() {
                    self.next();
                    variadic_from = Some(params.len());
                    match self.next() {
                        (_, Token::Punct(")")) => break,
                        (_, Token::Punct(";")) => {}
                        (offset, token) => {
                            return Err(Self::error(
                                offset,
                                "`;` (then the variadic types) or `)`",
                                token,
                            ))
                        }
                    }
                    self.variadic_part(&mut params)?;
                    break;
                }
                params.push(self.parameter(false)?);
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
                let (_, ty) = self.ty(false)?;
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
            variadic_from,
        })
    }

    /// One parameter type (not `void`); in the variadic part, only promoted types.
    fn parameter(&mut self, variadic: bool) -> Result<Type, ParseError> {
        let (offset, ty) = self.ty(false)?;
        if ty.is_void() {
            return Err(ParseError {
                offset,
                expected: "a parameter type (void is only valid as a result)".into(),
                found: "`void`".into(),
            });
        }
        if variadic {
            if let Some(promoted) = promoted(&ty) {
                return Err(ParseError {
                    offset,
                    expected: format!(
                        "a promoted variadic type (C passes {ty} as {promoted}: write {promoted})"
                    ),
                    found: format!("`{ty}`"),
                });
            }
        }
        Ok(ty)
    }

    /// The variadic types after `...;`, through the closing `)`.
    fn variadic_part(&mut self, params: &mut Vec<Type>) -> Result<(), ParseError> {
        loop {
            params.push(self.parameter(true)?);
            match self.next() {
                (_, Token::Punct(",")) => continue,
                (_, Token::Punct(")")) => return Ok(()),
                (offset, token) => return Err(Self::error(offset, "`,` or `)`", token)),
            }
        }
    }

    /// A parameter, result or struct field type; arrays only when `in_struct`.
    fn ty(&mut self, in_struct: bool) -> Result<(usize, Type), ParseError> {
        let depth_error = |offset| ParseError {
            offset,
            expected: format!("at most {MAX_NESTING} levels of nested structs and arrays"),
            found: "deeper nesting".into(),
        };
        match self.next() {
            (offset, Token::Word("complex")) => {
                self.expect("<", "`<` and the element type of `complex`")?;
                let (element_offset, element) = self.ty(false)?;
                let ty = Type::complex(element).map_err(|e| self.type_error(element_offset, e))?;
                self.expect(">", "`>` after the element type of `complex`")?;
                Ok((offset, ty))
            }
            (offset, Token::Word(word)) => Type::from_name(word)
                .map(|ty| (offset, ty))
                .ok_or_else(|| Self::error(offset, "a type", Token::Word(word))),
            (offset, Token::Punct("{")) => {
                if self.depth == MAX_NESTING {
                    return Err(depth_error(offset));
                }
                self.depth += 1;
                let mut fields = Vec::new();
                if let (_, Token::Punct("}"), _) = self.peek() {
                    self.next();
                    return Err(self.type_error(offset, TypeError::EmptyStruct));
                }
                loop {
                    let (field_offset, field) = self.ty(true)?;
                    if field.is_void() {
                        return Err(self.type_error(field_offset, TypeError::VoidMember));
                    }
                    fields.push(field);
                    match self.next() {
                        (_, Token::Punct(",")) => continue,
                        (_, Token::Punct("}")) => break,
                        (at, token) => return Err(Self::error(at, "`,` or `}`", token)),
                    }
                }
                self.depth -= 1;
                let ty = Type::structure(fields).map_err(|e| self.type_error(offset, e))?;
                Ok((offset, ty))
            }
            (offset, Token::Punct("[")) if in_struct => {
                if self.depth == MAX_NESTING {
                    return Err(depth_error(offset));
                }
                self.depth += 1;
                let (element_offset, element) = self.ty(true)?;
                if element.is_void() {
                    return Err(self.type_error(element_offset, TypeError::VoidMember));
                }
                self.expect(";", "`;` and an array length")?;
                let len = match self.next() {
                    (at, Token::Word(word)) => word.parse::<usize>().map_err(|_| {
                        Self::error(at, "an array length (a decimal integer)", Token::Word(word))
                    })?,
                    (at, token) => return Err(Self::error(at, "an array length", token)),
                };
                self.expect("]", "`]`")?;
                self.depth -= 1;
                let ty = Type::array(element, len).map_err(|e| self.type_error(offset, e))?;
                Ok((offset, ty))
            }
            (offset, Token::Punct("[")) => Err(ParseError {
                offset,
                expected: "a type (arrays are only valid as struct fields)".into(),
                found: "`[`".into(),
            }),
            (offset, token) => Err(Self::error(offset, "a type", token)),
        }
    }

    /// An aggregate C does not allow, reported with the text it was written as.
    fn type_error(&self, offset: usize, error: TypeError) -> ParseError {
        let expected = match error {
            TypeError::EmptyStruct => "a struct with at least one field",
            TypeError::EmptyArray => "an array with at least one element",
            TypeError::VoidMember => "a struct field or array element type other than void",
            TypeError::TooLarge => "a struct or array smaller than 2 GiB",
            TypeError::ComplexElement(_) => "a complex element type (f32, f64, f80 or f128)",
        };
        let end = self.pos.max(offset);
        ParseError {
            offset,
            expected: expected.into(),
            found: format!("`{}`", self.text[offset..end].trim()),
        }
    }
}

/// Nesting limit for structs and arrays in signature text, so that no input can
/// exhaust the parser's stack.
const MAX_NESTING: usize = 32;

impl FromStr for Type {
    type Err = ParseError;

    /// Parses one type in signature syntax (`f64`, `{i32, [u8; 4]}`).
    fn from_str(text: &str) -> Result<Type, ParseError> {
        let mut parser = Parser::new(text);
        let (_, ty) = parser.ty(false)?;
        match parser.next() {
            (_, Token::End) => Ok(ty),
            (offset, token) => Err(Parser::error(offset, "end of input", token)),
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
            "({i8, {i16, i32}}, {[f32; 2], f32}) -> {f64, f64}",
            "win64 ({[u8; 100]}) -> {i64, i64, i64}",
            "(complex<f80>, {complex<f80>, i8}) -> complex<f80>",
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
            ("({})", 1, "a struct with at least one field"),
            ("({i32, [f32; 0]})", 7, "an array with at least one element"),
            ("([i32; 2])", 1, "only valid as struct fields"),
            ("({[i32 2]})", 7, "`;`"),
            ("({[i32; x]})", 8, "array length"),
            ("({i32, void})", 7, "other than void"),
            ("({i32", 5, "`,` or `}`"),
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
    fn variadic_call_sites_round_trip() {
        for text in [
            "(ptr, ...; i32, f64) -> i32",
            "(ptr, ...)",
            "(...)",
            "(...; i64)",
            "win64 (ptr, i32, ...; {i8, i8, i8}, f64, ptr)",
            "(i32, ...; u32, isize, {f32, f32}) -> f64",
        ] {
            let sig: Signature = text.parse().unwrap();
            assert!(sig.variadic_from.is_some(), "{text}");
            assert_eq!(sig.to_string(), text);
            assert_eq!(sig.validate(), Ok(()));
        }
        let sig: Signature = "(ptr , ... ; i32,f64)->i32".parse().unwrap();
        assert_eq!(
            sig,
            Signature::variadic([Type::Ptr], [Type::I32, Type::F64], Type::I32)
        );
        assert!(!sig.is_variadic_arg(0) && sig.is_variadic_arg(1));
        assert_ne!(sig, "(ptr, i32, f64) -> i32".parse().unwrap());
    }

    #[test]
    fn variadic_errors_name_offset_and_expectation() {
        let cases = [
            ("(ptr, ...; f32)", 11, "C passes f32 as f64: write f64"),
            ("(...; i32, u8)", 11, "C passes u8 as i32"),
            ("(...; bool)", 6, "write i32"),
            ("(...; i16)", 6, "promoted variadic type"),
            ("(ptr, ..., i32)", 9, "`;`"),
            ("(ptr, ...;)", 10, "a type"),
            ("(ptr, ...; i32", 14, "`,` or `)`"),
            ("(ptr ...)", 5, "`,` or `)`"),
            ("(...; void)", 6, "a parameter type"),
        ];
        for (text, offset, expected) in cases {
            let err = text.parse::<Signature>().unwrap_err();
            assert_eq!(err.offset, offset, "{text:?}: {err}");
            assert!(err.expected.contains(expected), "{text:?}: {err}");
        }
        // Narrow types and f32 are fine among the fixed parameters.
        assert!("(u8, f32, ...; i32)".parse::<Signature>().is_ok());
    }

    #[test]
    fn validate_applies_the_promotion_rule_to_built_signatures() {
        let sig = Signature::variadic([Type::U8], [Type::I64, Type::F32], Type::Void);
        assert_eq!(
            sig.validate(),
            Err(SignatureError::UnpromotedVariadic {
                index: 2,
                ty: Type::F32,
                promoted: Type::F64
            })
        );
        let mut sig = Signature::new([Type::I32], Type::Void);
        sig.variadic_from = Some(2);
        assert!(matches!(
            sig.validate(),
            Err(SignatureError::VariadicFromOutOfRange { from: 2, params: 1 })
        ));
        for ty in [Type::Bool, Type::I8, Type::U8, Type::I16, Type::U16] {
            assert_eq!(promoted(&ty), Some(Type::I32), "{ty}");
        }
        for ty in [Type::I32, Type::U32, Type::I64, Type::F64, Type::Ptr] {
            assert_eq!(promoted(&ty), None, "{ty}");
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

    #[test]
    fn complex_types_are_structs_except_long_double() {
        let sig: Signature = "(complex<f32>, complex < f64 >, complex<f128>) -> complex<f80>"
            .parse()
            .unwrap();
        assert_eq!(
            sig.to_string(),
            "({f32, f32}, {f64, f64}, {f128, f128}) -> complex<f80>"
        );
        let complex = &sig.result;
        assert_eq!((complex.size(), complex.align()), (32, 16));
        assert!(complex.as_struct().unwrap().is_complex());
        assert_eq!(complex.as_struct().unwrap().offsets(), &[0, 16]);
        assert_ne!(*complex, "{f80, f80}".parse::<Type>().unwrap());
        for (text, offset, expected) in [
            (
                "(complex<i32>)",
                9,
                "a complex element type (f32, f64, f80 or f128)",
            ),
            (
                "(complex<f80)",
                12,
                "`>` after the element type of `complex`",
            ),
            ("(complex f80)", 9, "`<` and the element type of `complex`"),
            (
                "(complex<{f32}>)",
                9,
                "a complex element type (f32, f64, f80 or f128)",
            ),
        ] {
            let err = text.parse::<Signature>().unwrap_err();
            assert_eq!(
                (err.offset, err.expected.as_str()),
                (offset, expected),
                "{text}"
            );
        }
    }
}
