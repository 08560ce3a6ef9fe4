//! Property tests of the signature text form: no input panics the parser, every error
//! points inside the text, and printing round-trips.

use proptest::prelude::*;
use springboard::{Convention, Signature, Type};

fn scalar() -> impl Strategy<Value = Type> {
    proptest::sample::select(
        Type::SCALARS
            .iter()
            .filter(|t| !t.is_void())
            .cloned()
            .collect::<Vec<_>>(),
    )
}

/// A promoted type, as the variadic part of a call may hold.
fn promoted_scalar() -> impl Strategy<Value = Type> {
    scalar().prop_map(|ty| springboard::promoted(&ty).unwrap_or(ty))
}

fn signature() -> impl Strategy<Value = Signature> {
    (
        proptest::sample::select(Convention::ALL.to_vec()),
        proptest::collection::vec(scalar(), 0..24),
        proptest::option::of(scalar()),
        proptest::option::of(proptest::collection::vec(promoted_scalar(), 0..12)),
    )
        .prop_map(|(convention, params, result, variadic)| {
            let result = result.unwrap_or(Type::Void);
            match variadic {
                None => Signature::new(params, result),
                Some(variadic) => Signature::variadic(params, variadic, result),
            }
            .with_convention(convention)
        })
}

/// Text made of the grammar's own pieces, so that random inputs get deep into it.
fn near_miss_text() -> impl Strategy<Value = String> {
    let pieces = vec![
        "(", ")", ",", "->", "-", ">", "{", "}", "[", "]", ";", " ", "i32", "u8", "f64", "ptr",
        "void", "win64", "apple", "c", "i33", "x", "é", "\u{0}", "\t", "1", "...", "..", ".",
        "f32", "bool",
    ];
    proptest::collection::vec(proptest::sample::select(pieces), 0..16)
        .prop_map(|pieces| pieces.concat())
}

fn check_error_position(text: &str) {
    if let Err(err) = text.parse::<Signature>() {
        assert!(err.offset <= text.len(), "{text:?}: {err}");
        assert!(text.is_char_boundary(err.offset), "{text:?}: {err}");
        assert!(!err.expected.is_empty() && !err.found.is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn any_string_parses_or_errors_inside_the_text(text in "\\PC{0,40}") {
        check_error_position(&text);
    }

    #[test]
    fn grammar_shaped_strings_parse_or_error_inside_the_text(text in near_miss_text()) {
        check_error_position(&text);
    }

    #[test]
    fn printing_round_trips(sig in signature()) {
        let text = sig.to_string();
        let parsed: Signature = text.parse().unwrap();
        prop_assert_eq!(&parsed, &sig);
        prop_assert_eq!(parsed.to_string(), text);
    }

    #[test]
    fn whitespace_between_tokens_does_not_matter(sig in signature(), pad in "[ \t\n]{0,3}") {
        let spaced = sig
            .to_string()
            .replace('(', &format!("{pad}({pad}"))
            .replace(';', &format!("{pad};{pad}"))
            .replace(',', &format!("{pad},{pad}"))
            .replace("->", &format!("{pad}->{pad}"));
        prop_assert_eq!(spaced.parse::<Signature>().unwrap(), sig);
    }
}
