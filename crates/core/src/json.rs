//! A small, strict JSON reader (RFC 8259) for catalogue files.
//!
//! The widget's download has a budget of 100 KB compressed. serde_json with
//! serde's derived code cost 43 KB of it for the catalogue parser alone
//! (measured with brotli on the optimised module), so the widget reads JSON
//! with this instead: a recursive-descent reader that keeps strings
//! borrowed from the input where they have no escapes, and keeps numbers as
//! their text (no float code). It agrees with serde_json on what is JSON;
//! `tests/json.rs` checks that on generated documents and mutations of
//! them.

use std::borrow::Cow;

/// A JSON value borrowing from the text it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Json<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written (`12`, `-1.5e3`).
    Number(&'a str),
    /// A string, unescaped.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<Json<'a>>),
    /// An object's members in file order, repeats included.
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
    /// A value below the depth asked of [`parse_to_depth`]: checked to be
    /// JSON, kept as its text, to be read with [`parse`] when needed.
    Raw(&'a str),
}

/// Where and why a text is not JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// Line of the error, from 1.
    pub line: usize,
    /// Column of the error in characters, from 1.
    pub column: usize,
    /// What is wrong, in English (the parser's own words).
    pub reason: &'static str,
}

/// Whether any of the eight bytes of `word` is a quote, a backslash or a
/// control character (the classic "has a zero byte" and "has a byte below
/// n" tests, on bytes XOR-ed with the character sought).
fn needs_attention(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS != 0;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGHS != 0;
    has_zero(word ^ (ONES * u64::from(b'"')))
        || has_zero(word ^ (ONES * u64::from(b'\\')))
        || below_space
}

const CONTROL_IN_STRING: &str = "control character (\\u0000-\\u001F) found while parsing a string";

/// How deep arrays and objects may nest: deeper input is refused rather
/// than allowed to exhaust the stack.
pub const MAX_DEPTH: usize = 128;

/// Reads one JSON document: a value with only white space around it.
pub fn parse(text: &str) -> Result<Json<'_>, JsonError> {
    parse_to_depth(text, MAX_DEPTH)
}

/// Reads one JSON document, building values only down to `depth` levels of
/// nesting; deeper values are checked and kept as [`Json::Raw`] text. A
/// catalogue is read with depth 2 (the file, its `items`), so the whole
/// file is checked at once but each entry is built only when it is read,
/// and the memory of one entry's values is free again before the next.
pub fn parse_to_depth(text: &str, depth: usize) -> Result<Json<'_>, JsonError> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        depth: 0,
        build_to: depth,
        building: true,
    };
    reader.skip_space();
    let value = reader.value()?;
    reader.skip_space();
    if reader.at < reader.bytes.len() {
        return Err(reader.error("trailing characters"));
    }
    Ok(value)
}

impl<'a> Json<'a> {
    /// The member `key` of an object (the last, if repeated).
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        match self {
            Json::Object(members) => members.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number, if this is an integer written without a fraction or an
    /// exponent that fits an `i64`: counts, days and times in seconds, read
    /// without the code that parsing an `f64` adds to a WebAssembly module.
    pub fn as_integer(&self) -> Option<i64> {
        match self {
            Json::Number(number) => number.parse().ok(),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// `text` as a JSON string: quotes, backslashes and control characters
/// escaped, and U+2028 and U+2029, which older JavaScript does not take
/// inside a string.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || matches!(c, '\u{2028}' | '\u{2029}') => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON object written member by member, in the order given, without
/// white space: the small writer that submissions and the feedback API's
/// types ([`crate::api`]) write themselves with. What it writes reads
/// back with [`parse`].
///
/// ```
/// use xxgk_core::json::Object;
/// let json = Object::new().string("code", "ABCDEFGHJKMN").integer("n", 2).finish();
/// assert_eq!(json, r#"{"code":"ABCDEFGHJKMN","n":2}"#);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Object {
    out: String,
}

impl Object {
    /// An object with no members yet.
    pub fn new() -> Object {
        Object::default()
    }

    /// A member whose value is written already (an object, an array).
    pub fn raw(mut self, key: &str, json: &str) -> Object {
        self.out.push(if self.out.is_empty() { '{' } else { ',' });
        self.out.push_str(&quote(key));
        self.out.push(':');
        self.out.push_str(json);
        self
    }

    /// A string member.
    pub fn string(self, key: &str, value: &str) -> Object {
        self.raw(key, &quote(value))
    }

    /// A string member, `null` for `None`.
    pub fn optional_string(self, key: &str, value: Option<&str>) -> Object {
        match value {
            Some(value) => self.string(key, value),
            None => self.raw(key, "null"),
        }
    }

    /// An integer member.
    pub fn integer(self, key: &str, value: i64) -> Object {
        self.raw(key, &value.to_string())
    }

    /// An integer member, `null` for `None`.
    pub fn optional_integer(self, key: &str, value: Option<i64>) -> Object {
        match value {
            Some(value) => self.integer(key, value),
            None => self.raw(key, "null"),
        }
    }

    /// A boolean member.
    pub fn boolean(self, key: &str, value: bool) -> Object {
        self.raw(key, if value { "true" } else { "false" })
    }

    /// The object's text.
    pub fn finish(mut self) -> String {
        if self.out.is_empty() {
            self.out.push('{');
        }
        self.out.push('}');
        self.out
    }
}

/// A JSON array of values written already.
pub fn array(values: impl IntoIterator<Item = String>) -> String {
    let values: Vec<String> = values.into_iter().collect();
    format!("[{}]", values.join(","))
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    depth: usize,
    /// Values nested deeper than this are checked, not built.
    build_to: usize,
    /// False while checking a value that will be kept as text.
    building: bool,
}

impl<'a> Reader<'a> {
    fn error(&self, reason: &'static str) -> JsonError {
        let before = self.slice(0, self.char_boundary(self.at));
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        JsonError {
            line,
            column,
            reason,
        }
    }

    /// The text between two byte offsets that the reader only ever stops at
    /// between characters. `get` instead of indexing keeps the panic
    /// machinery (and its Unicode tables) out of the widget's download.
    fn slice(&self, start: usize, end: usize) -> &'a str {
        self.text.get(start..end).unwrap_or_default()
    }

    fn char_boundary(&self, mut at: usize) -> usize {
        at = at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn value(&mut self) -> Result<Json<'a>, JsonError> {
        if self.building && self.depth >= self.build_to {
            let start = self.at;
            self.building = false;
            let checked = self.value();
            self.building = true;
            checked?;
            return Ok(Json::Raw(self.slice(start, self.at)));
        }
        match self.peek() {
            None => Err(self.error("EOF while parsing a value")),
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => Ok(Json::String(self.string()?)),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("expected value")),
        }
    }

    fn nested(
        &mut self,
        read: fn(&mut Self) -> Result<Json<'a>, JsonError>,
    ) -> Result<Json<'a>, JsonError> {
        if self.depth == MAX_DEPTH {
            return Err(self.error("recursion limit exceeded"));
        }
        self.depth += 1;
        self.at += 1;
        let value = read(self);
        self.depth -= 1;
        value
    }

    fn literal(&mut self, word: &'static str, value: Json<'a>) -> Result<Json<'a>, JsonError> {
        for expected in word.bytes() {
            match self.peek() {
                Some(b) if b == expected => self.at += 1,
                None => return Err(self.error("EOF while parsing a value")),
                Some(_) => return Err(self.error("expected ident")),
            }
        }
        Ok(value)
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Json<'a>, JsonError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.at += 1;
                if let Some(b'0'..=b'9') = self.peek() {
                    return Err(self.error("invalid number"));
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            None => return Err(self.error("EOF while parsing a value")),
            Some(_) => return Err(self.error("invalid number")),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.error(if self.peek().is_none() {
                    "EOF while parsing a value"
                } else {
                    "invalid number"
                }));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.error(if self.peek().is_none() {
                    "EOF while parsing a value"
                } else {
                    "invalid number"
                }));
            }
        }
        Ok(Json::Number(self.slice(start, self.at)))
    }

    /// Reads a string starting at its opening quote.
    fn string(&mut self) -> Result<Cow<'a, str>, JsonError> {
        self.at += 1;
        let start = self.at;
        // Fast path: no escapes, borrow the text.
        self.skip_plain();
        match self.peek() {
            Some(b'"') => {
                let s = self.slice(start, self.at);
                self.at += 1;
                return Ok(Cow::Borrowed(s));
            }
            Some(b'\\') => {}
            Some(_) => return Err(self.error(CONTROL_IN_STRING)),
            None => return Err(self.error("EOF while parsing a string")),
        }
        let mut out = String::from(self.slice(start, self.at));
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.at += 1;
                    let unescaped = self.escape()?;
                    if self.building {
                        out.push(unescaped);
                    }
                }
                Some(_) => return Err(self.error(CONTROL_IN_STRING)),
                None => return Err(self.error("EOF while parsing a string")),
            }
            let run = self.at;
            self.skip_plain();
            if self.building {
                out.push_str(self.slice(run, self.at));
            }
        }
    }

    /// Moves past string content that needs no attention: everything but a
    /// quote, a backslash or a control character. Eight bytes are checked
    /// at a time, since most of a catalogue is long runs of plain text.
    fn skip_plain(&mut self) {
        let rest = self.bytes.get(self.at..).unwrap_or_default();
        let words = rest.chunks_exact(8).take_while(|chunk| {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            !needs_attention(u64::from_le_bytes(word))
        });
        let plain = words.count() * 8;
        let tail = rest.get(plain..).unwrap_or_default();
        self.at += plain
            + tail
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .unwrap_or(tail.len());
    }

    /// Reads the escape after a backslash.
    fn escape(&mut self) -> Result<char, JsonError> {
        let Some(b) = self.peek() else {
            return Err(self.error("EOF while parsing a string"));
        };
        self.at += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let first = self.hex4()?;
                match first {
                    0xD800..=0xDBFF => {
                        if self.bytes.get(self.at..self.at + 2) != Some(b"\\u") {
                            return Err(self.error("lone leading surrogate in hex escape"));
                        }
                        self.at += 2;
                        let second = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&second) {
                            return Err(self.error("lone leading surrogate in hex escape"));
                        }
                        let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                        char::from_u32(code)
                            .ok_or_else(|| self.error("invalid unicode code point"))?
                    }
                    0xDC00..=0xDFFF => {
                        return Err(self.error("lone leading surrogate in hex escape"))
                    }
                    code => char::from_u32(code)
                        .ok_or_else(|| self.error("invalid unicode code point"))?,
                }
            }
            _ => {
                self.at -= 1;
                return Err(self.error("invalid escape"));
            }
        })
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let mut code = 0;
        for _ in 0..4 {
            let Some(b) = self.peek() else {
                return Err(self.error("EOF while parsing a string"));
            };
            let digit = (b as char)
                .to_digit(16)
                .ok_or_else(|| self.error("invalid escape"))?;
            code = code * 16 + digit;
            self.at += 1;
        }
        Ok(code)
    }

    /// Reads an array after its `[`.
    fn array(&mut self) -> Result<Json<'a>, JsonError> {
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Json::Array(items));
        }
        loop {
            self.skip_space();
            let item = self.value()?;
            if self.building {
                items.push(item);
            }
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Json::Array(items));
                }
                None => return Err(self.error("EOF while parsing a list")),
                Some(_) => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    /// Reads an object after its `{`.
    fn object(&mut self) -> Result<Json<'a>, JsonError> {
        let mut members = Vec::new();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Json::Object(members));
        }
        loop {
            self.skip_space();
            match self.peek() {
                Some(b'"') => {}
                None => return Err(self.error("EOF while parsing an object")),
                Some(_) => return Err(self.error("key must be a string")),
            }
            let key = self.string()?;
            self.skip_space();
            match self.peek() {
                Some(b':') => self.at += 1,
                None => return Err(self.error("EOF while parsing an object")),
                Some(_) => return Err(self.error("expected `:`")),
            }
            self.skip_space();
            let value = self.value()?;
            if self.building {
                members.push((key, value));
            }
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Json::Object(members));
                }
                None => return Err(self.error("EOF while parsing an object")),
                Some(_) => return Err(self.error("expected `,` or `}`")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_read_without_fractions_or_exponents() {
        let read = |text: &str| parse(text).unwrap().as_integer();
        assert_eq!(read("0"), Some(0));
        assert_eq!(read("1700000000"), Some(1_700_000_000));
        assert_eq!(read("-3"), Some(-3));
        assert_eq!(read("2.0"), None);
        assert_eq!(read("2e3"), None);
        assert_eq!(read("99999999999999999999"), None);
        assert_eq!(read("\"2\""), None);
    }

    #[test]
    fn what_the_writer_writes_reads_back_and_is_json_to_serde() {
        let tricky = "引号\" 反斜杠\\ 换行\n 制表\t \u{1} \u{2028}😀";
        let inner = Object::new().boolean("yes", true).finish();
        let text = Object::new()
            .string("text", tricky)
            .optional_string("none", None)
            .optional_string("some", Some("有"))
            .integer("n", -12)
            .optional_integer("m", None)
            .raw("inner", &inner)
            .raw("list", &array([quote("a"), "1".to_owned()]))
            .finish();
        let read = parse(&text).unwrap();
        assert_eq!(read.get("text").and_then(Json::as_str), Some(tricky));
        assert_eq!(read.get("none"), Some(&Json::Null));
        assert_eq!(read.get("some").and_then(Json::as_str), Some("有"));
        assert_eq!(read.get("n").and_then(Json::as_integer), Some(-12));
        assert_eq!(read.get("m"), Some(&Json::Null));
        assert_eq!(
            read.get("inner")
                .and_then(|i| i.get("yes"))
                .and_then(Json::as_bool),
            Some(true)
        );
        assert_eq!(
            read.get("list"),
            Some(&Json::Array(vec![
                Json::String("a".into()),
                Json::Number("1")
            ]))
        );
        let serde: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(serde["text"], tricky);
        assert_eq!(Object::new().finish(), "{}");
        assert_eq!(array([]), "[]");
    }

    #[test]
    fn values_of_every_kind_are_read() {
        let json = parse(
            r#" {"a": [1, -2.5e3, true, false, null], "b": "x\"\u4e1c\ud83d\ude00", "c": {}} "#,
        )
        .unwrap();
        assert_eq!(
            json.get("a"),
            Some(&Json::Array(vec![
                Json::Number("1"),
                Json::Number("-2.5e3"),
                Json::Bool(true),
                Json::Bool(false),
                Json::Null
            ]))
        );
        assert_eq!(json.get("b").and_then(Json::as_str), Some("x\"东😀"));
        assert_eq!(json.get("c"), Some(&Json::Object(vec![])));
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let Json::String(s) = parse(r#""东亭乡""#).unwrap() else {
            panic!()
        };
        assert!(matches!(s, Cow::Borrowed("东亭乡")));
    }

    #[test]
    fn errors_give_line_and_character_column() {
        let error = parse("{\n  \"名称\": tru\n}").unwrap_err();
        assert_eq!(
            (error.line, error.column, error.reason),
            (2, 12, "expected ident")
        );
    }

    #[test]
    fn deep_nesting_is_refused_without_overflowing_the_stack() {
        let deep = "[".repeat(100_000);
        assert_eq!(parse(&deep).unwrap_err().reason, "recursion limit exceeded");
    }

    #[test]
    fn every_byte_that_ends_plain_text_is_found_at_every_offset() {
        for special in [b'"', b'\\', 0x00, 0x0a, 0x1f] {
            for at in 0..20 {
                let mut bytes = "东亭乡政府信息公开".as_bytes()[..20].to_vec();
                bytes[at] = special;
                let word_hits = bytes
                    .chunks_exact(8)
                    .any(|c| needs_attention(u64::from_le_bytes(c.try_into().unwrap())));
                assert_eq!(word_hits, at < 16, "byte {special:#x} at {at}");
            }
        }
        for plain in [b' ', b'!', b'#', b'[', b']', 0x7f, 0x80, 0xff] {
            assert!(
                !needs_attention(u64::from_le_bytes([plain; 8])),
                "{plain:#x}"
            );
        }
    }

    #[test]
    fn values_below_the_depth_are_kept_as_checked_text() {
        let text = r#"{"items": [{"a": [1, 2]}, "x\n", 3]}"#;
        let json = parse_to_depth(text, 2).unwrap();
        assert_eq!(
            json.get("items"),
            Some(&Json::Array(vec![
                Json::Raw(r#"{"a": [1, 2]}"#),
                Json::Raw(r#""x\n""#),
                Json::Raw("3")
            ]))
        );
        let Some(Json::Array(items)) = json.get("items") else {
            panic!()
        };
        let Json::Raw(first) = items[0] else { panic!() };
        assert_eq!(
            parse(first).unwrap().get("a"),
            Some(&Json::Array(vec![Json::Number("1"), Json::Number("2")]))
        );
        // Errors deep inside are still found, where they are.
        let broken = r#"{"items": [{"a": [1, }]}"#;
        let error = parse_to_depth(broken, 2).unwrap_err();
        assert_eq!((error.line, error.column), (1, 22));
        assert_eq!(error, parse(broken).unwrap_err());
    }

    #[test]
    fn the_last_of_repeated_members_is_found() {
        let json = parse(r#"{"a":1,"a":2}"#).unwrap();
        assert_eq!(json.get("a"), Some(&Json::Number("2")));
    }
}
