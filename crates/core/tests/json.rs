//! The JSON reader agrees with serde_json: on every document serde_json
//! writes, and on what is and is not JSON among mutations of them.

use proptest::prelude::*;
use serde_json::Value;
use xxgk_core::json::{self, Json};

fn to_value(json: &Json) -> Value {
    match json {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(*b),
        Json::Number(n) => serde_json::from_str(n).expect("a number serde_json reads"),
        Json::String(s) => Value::String(s.to_string()),
        Json::Array(items) => Value::Array(items.iter().map(to_value).collect()),
        Json::Raw(text) => to_value(&json::parse(text).expect("raw text was checked")),
        Json::Object(members) => Value::Object(
            members
                .iter()
                .map(|(k, v)| (k.to_string(), to_value(v)))
                .collect(),
        ),
    }
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        "[东亭乡\\\\\"/\n\t\u{1}😀a-z]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map("[a-z名称]{0,6}", inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// serde_json refuses numbers beyond f64; this reader keeps their text.
fn serde_accepts(text: &str) -> Option<bool> {
    match serde_json::from_str::<Value>(text) {
        Ok(_) => Some(true),
        Err(e) if e.to_string().starts_with("number out of range") => None,
        Err(_) => Some(false),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_document_serde_json_writes_reads_back_equal(v in value(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&v) } else { serde_json::to_string(&v) }.unwrap();
        let read = json::parse(&text).expect("valid JSON is read");
        prop_assert_eq!(to_value(&read), v.clone());
        let shallow = json::parse_to_depth(&text, 1).expect("valid JSON is read at any depth");
        prop_assert_eq!(to_value(&shallow), v);
    }

    #[test]
    fn mutated_documents_are_accepted_exactly_when_serde_json_accepts_them(
        v in value(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..3, prop::sample::select(
            vec!["", "\"", "\\", "{", "}", "[", "]", ",", ":", "0", "-", ".", "e", "1", "n", "t", " ", "\u{1}", "\\u", "d800", "01", "+"]
        )), 1..4),
    ) {
        let mut text = serde_json::to_string(&v).unwrap();
        for (at, kind, piece) in edits {
            let chars: Vec<char> = text.chars().collect();
            let i = if chars.is_empty() { 0 } else { at.index(chars.len()) };
            let mut out: String = chars[..i].iter().collect();
            match kind {
                0 => { out.push_str(piece); out.extend(&chars[i..]); }
                1 => { out.extend(chars.iter().skip(i + 1)); }
                _ => { out.push_str(piece); out.extend(chars.iter().skip(i + 1)); }
            }
            text = out;
        }
        if let Some(accepted) = serde_accepts(&text) {
            prop_assert_eq!(json::parse(&text).is_ok(), accepted, "{:?}", text);
            prop_assert_eq!(json::parse_to_depth(&text, 1).is_ok(), accepted, "{:?}", text);
        }
    }
}

#[test]
fn escapes_and_surrogates_match_serde_json() {
    for text in [
        r#""\ud83d\ude00""#,
        r#""\ud83d""#,
        r#""\ude00""#,
        r#""\ud83dx""#,
        r#""\ud83d\u0041""#,
        r#""\u00e9\/\b\f""#,
        r#""\x""#,
        r#""\u12""#,
        "\"a\u{7f}\"",
        "\"tab\there\"",
        "01",
        "-",
        "1.",
        "1e",
        "-0.0e-0",
        "[1,]",
        "{\"a\":1,}",
        "  ",
        "nul",
        "[] x",
    ] {
        assert_eq!(
            json::parse(text).is_ok(),
            serde_accepts(text).unwrap(),
            "{text:?}"
        );
    }
}
