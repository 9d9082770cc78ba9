//! The bytes of a bundle's binary shards: LEB128 numbers, lists of entry
//! numbers, content tags, and JSON text written by hand.

use std::fmt::Write;

/// Appends `n` in LEB128 (seven bits a byte, low first).
pub(crate) fn put(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Reads shard bytes from the front.
pub(crate) struct Bytes<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// A shard that does not read as what it should be: a publishing bug, a
/// truncated download or a file from another version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Corrupt;

impl<'a> Bytes<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Bytes<'a> {
        Bytes { bytes, at: 0 }
    }

    /// What is left to read.
    pub(crate) fn rest(&self) -> &'a [u8] {
        self.bytes.get(self.at..).unwrap_or_default()
    }

    pub(crate) fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    /// A LEB128 number.
    pub(crate) fn num(&mut self) -> Result<u32, Corrupt> {
        let mut n: u32 = 0;
        for shift in (0..35).step_by(7) {
            let byte = *self.bytes.get(self.at).ok_or(Corrupt)?;
            self.at += 1;
            n |= u32::from(byte & 0x7f).checked_shl(shift).ok_or(Corrupt)?;
            if byte & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(Corrupt)
    }

    /// `len` bytes.
    pub(crate) fn take(&mut self, len: usize) -> Result<&'a [u8], Corrupt> {
        let end = self.at.checked_add(len).ok_or(Corrupt)?;
        let bytes = self.bytes.get(self.at..end).ok_or(Corrupt)?;
        self.at = end;
        Ok(bytes)
    }

    /// A length, then that many bytes of UTF-8.
    pub(crate) fn text(&mut self) -> Result<&'a str, Corrupt> {
        let len = self.num()? as usize;
        std::str::from_utf8(self.take(len)?).map_err(|_| Corrupt)
    }
}

/// Appends a length and `text`.
pub(crate) fn put_text(out: &mut Vec<u8>, text: &str) {
    put(out, text.len() as u32);
    out.extend_from_slice(text.as_bytes());
}

/// Appends ascending entry numbers: how many, then the gaps. (A bitmap
/// would be smaller for the commonest lists, but the server compresses
/// neither well and gaps of one byte cost little more.)
pub(crate) fn put_list(out: &mut Vec<u8>, docs: &[u32]) {
    put(out, docs.len() as u32);
    let mut last = 0;
    for (i, &doc) in docs.iter().enumerate() {
        put(out, if i == 0 { doc } else { doc - last });
        last = doc;
    }
}

/// Reads what [`put_list`] wrote.
pub(crate) fn list(bytes: &mut Bytes) -> Result<Vec<u32>, Corrupt> {
    let count = bytes.num()? as usize;
    gaps(bytes, count)
}

/// `count` ascending entries as gaps: the first, then each gap (never 0).
pub(crate) fn gaps(bytes: &mut Bytes, count: usize) -> Result<Vec<u32>, Corrupt> {
    // Each number takes a byte at least: a count the bytes cannot hold
    // reserves no more than they can.
    let mut docs = Vec::with_capacity(count.min(bytes.rest().len()));
    let mut doc: u32 = 0;
    for i in 0..count {
        let gap = bytes.num()?;
        doc = if i == 0 {
            gap
        } else {
            doc.checked_add(gap).filter(|_| gap > 0).ok_or(Corrupt)?
        };
        docs.push(doc);
    }
    Ok(docs)
}

/// A 48-bit tag of `bytes`, as 12 hexadecimal digits: shards are named by
/// what they hold, so a name, once published, always means the same bytes
/// and can be cached for ever. (FNV-1a, then a finishing mix so that every
/// bit of the input reaches the kept bits.)
pub fn tag(bytes: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xff51_afd7_ed55_8ccd);
    hash ^= hash >> 33;
    hash = hash.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    hash ^= hash >> 33;
    format!("{:012x}", hash >> 16)
}

/// Whether `text` is a tag as [`tag`] writes it: 12 lower-case
/// hexadecimal digits (so that a name made with it stays a file of the
/// bundle, whatever a damaged file holds).
pub(crate) fn is_tag(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Whether `bytes` are what the content-named file `path` holds: the tag
/// in its name (`l/3-0123456789ab.json`, `f/0123456789ab.bin`) is theirs.
/// A file cut short, an error page served in its place or a file edited
/// by hand reads as such, not as other entries.
pub(crate) fn named(path: &str, bytes: &[u8]) -> bool {
    let stem = path.rsplit_once('.').map_or(path, |(stem, _)| stem);
    let Some(at) = stem.len().checked_sub(12) else {
        return false;
    };
    stem.get(at..)
        .is_some_and(|name| is_tag(name) && tag(bytes) == name)
        && stem[..at].ends_with(['/', '-'])
}

/// A bucket number for `key` among `buckets`, the same on every machine.
pub(crate) fn bucket(key: &str, buckets: u32) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for &byte in key.as_bytes() {
        hash ^= u32::from(byte);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash ^= hash >> 16;
    hash = hash.wrapping_mul(0x7feb_352d);
    hash ^= hash >> 15;
    hash % buckets.max(1)
}

/// Appends `text` as a JSON string. The runs that need no escaping
/// (nearly all of a catalogue's text) are copied at once: only a byte
/// below 0x20, `"`, `\\` or 0xe2 (which begins U+2028 and U+2029, among
/// other characters) may begin a character that is escaped.
pub(crate) fn json_string(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    out.push('"');
    let (mut from, mut at) = (0, 0);
    while let Some(skip) = bytes[at..]
        .iter()
        .position(|&b| b < 0x20 || b == b'"' || b == b'\\' || b == 0xe2)
    {
        at += skip;
        // Each of those bytes begins a character.
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        let next = at + c.len_utf8();
        let escaped = match c {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            // Line and paragraph separators end a line in some JavaScript.
            c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => "",
            _ => {
                at = next;
                continue;
            }
        };
        out.push_str(&text[from..at]);
        if escaped.is_empty() {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push_str(escaped);
        }
        (from, at) = (next, next);
    }
    out.push_str(&text[from..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_lists_read_back_as_written() {
        let mut out = Vec::new();
        for n in [0, 1, 127, 128, 16_383, 16_384, u32::MAX] {
            put(&mut out, n);
        }
        put_list(&mut out, &[0, 5, 6, 1000, 99_999]);
        put_text(&mut out, "财政〔2016〕");
        let mut bytes = Bytes::new(&out);
        for n in [0, 1, 127, 128, 16_383, 16_384, u32::MAX] {
            assert_eq!(bytes.num(), Ok(n));
        }
        assert_eq!(list(&mut bytes), Ok(vec![0, 5, 6, 1000, 99_999]));
        assert_eq!(bytes.text(), Ok("财政〔2016〕"));
        assert!(bytes.done());
        assert_eq!(bytes.num(), Err(Corrupt));
    }

    #[test]
    fn a_list_that_does_not_ascend_is_corrupt() {
        let mut out = Vec::new();
        put(&mut out, 2);
        put(&mut out, 4);
        put(&mut out, 0);
        assert_eq!(list(&mut Bytes::new(&out)), Err(Corrupt));
    }

    #[test]
    fn a_file_is_what_its_name_says_or_not() {
        let bytes = b"[1,2,3]";
        let name = tag(bytes);
        assert!(named(&format!("l/3-{name}.json"), bytes));
        assert!(named(&format!("f/{name}.bin"), bytes));
        assert!(!named(&format!("l/3-{name}.json"), b"[1,2,3"));
        assert!(!named(&format!("l/3-{name}.json"), b"<!DOCTYPE html>"));
        assert!(!named(&format!("l/3x{name}.json"), bytes));
        assert!(!named("x/1.json", bytes));
        assert!(!named("", bytes));
    }

    #[test]
    fn a_count_past_the_end_of_the_bytes_is_corrupt() {
        let mut out = Vec::new();
        put(&mut out, u32::MAX);
        put(&mut out, 1);
        let mut bytes = Bytes::new(&out);
        assert_eq!(list(&mut bytes), Err(Corrupt));
    }

    #[test]
    fn tags_differ_for_nearly_equal_bytes() {
        assert_eq!(tag(b"abc"), tag(b"abc"));
        assert_ne!(tag(b"abc"), tag(b"abd"));
        assert_eq!(tag(b"").len(), 12);
        assert!(is_tag(&tag(b"abc")));
        assert!(!is_tag("0123456789AB") && !is_tag("0123456789a") && !is_tag("../../../x/y"));
    }

    #[test]
    fn json_strings_escape_what_json_and_javascript_need() {
        let mut out = String::new();
        json_string(&mut out, "a\"b\\c\nd\u{1}\u{2028}东");
        assert_eq!(out, r#""a\"b\\c\nd\u0001\u2028东""#);
    }

    /// Escaping a character at a time, as JSON and JavaScript need it.
    fn escaped_one_by_one(text: &str) -> String {
        let mut out = String::from("\"");
        for c in text.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                c if (c as u32) < 0x20 || c == '\u{2028}' || c == '\u{2029}' => {
                    let _ = write!(out, "\\u{:04x}", c as u32);
                }
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    #[test]
    fn json_strings_copied_in_runs_are_escaped_as_one_character_at_a_time() {
        for text in [
            "",
            "政务公开",
            "a\"b\\c\nd\r\te\u{1}\u{1f}\u{7f}",
            "\u{2028}行\u{2029}—…\u{2027}\u{202a}",
            "\"\"\n",
            "末尾\\",
        ] {
            let mut out = String::from("x");
            json_string(&mut out, text);
            assert_eq!(out, format!("x{}", escaped_one_by_one(text)), "{text:?}");
        }
    }
}
