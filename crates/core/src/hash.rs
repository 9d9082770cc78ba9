//! The browsing state in the URL hash.
//!
//! Each widget on a page owns the hash parameters that start with its key
//! and a dot (`xxgk.c=czyjs&xxgk.p=2`), so two widgets, and whatever else
//! the portal keeps in the hash, live side by side. Writing one widget's view
//! keeps every other parameter as it was.
//!
//! | parameter | meaning |
//! |---|---|
//! | `c` | category id |
//! | `y` | year |
//! | `pub` | publisher |
//! | `lv` | `township` or `village` |
//! | `vil` | village |
//! | `val` | `valid`, `expired` or `repealed` |
//! | `g` | genre |
//! | `o` | `old` for oldest first |
//! | `p` | page, always written, so a visited view differs from a fresh one |
//! | `i` | the open entry's index number |
//! | `q` | the search text, kept as typed (other values are trimmed) |
//! | `f` | a feedback panel: `write`, `check` or `replies` |

use crate::{Level, Order, Panel, Validity, View};

/// Reads a widget's view from a hash (with or without the leading `#`).
/// `None` when the hash holds nothing of this widget, so it can start from
/// its configured defaults. Values that make no sense are ignored.
pub fn read(hash: &str, key: &str) -> Option<View> {
    let mut view = View::default();
    let mut found = false;
    for (name, value) in pairs(hash) {
        let Some(param) = own_param(&name, key) else {
            continue;
        };
        found = true;
        let typed = &*value;
        let value = value.trim();
        let text = || (!value.is_empty()).then(|| value.to_owned());
        match param {
            "c" => view.category = text(),
            "y" => view.year = value.parse().ok(),
            "pub" => view.publisher = text(),
            "lv" => view.level = Level::from_code(value),
            "vil" => view.village = text(),
            "val" => view.validity = Validity::from_code(value),
            "g" => view.genre = text(),
            "o" => {
                view.order = if value == "old" {
                    Order::OldestFirst
                } else {
                    Order::NewestFirst
                }
            }
            "p" => view.page = value.parse().unwrap_or(1),
            "i" => view.item = text(),
            // As typed, spaces and all, so the search box can show it back.
            "q" => view.query = text().map(|_| typed.to_owned()),
            "f" => view.panel = Panel::from_code(value),
            _ => {}
        }
    }
    found.then_some(view)
}

/// The hash (without `#`) with this widget's view written in and every
/// other parameter kept in place.
pub fn write(hash: &str, key: &str, view: &View) -> String {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    let mut out: Vec<String> = hash
        .split('&')
        .filter(|segment| !segment.is_empty())
        .filter(|segment| {
            pairs(segment)
                .next()
                .is_none_or(|(name, _)| own_param(&name, key).is_none())
        })
        .map(str::to_owned)
        .collect();
    let year = view.year.map(|y| y.to_string());
    let page = view.page.max(1).to_string();
    let panel = (view.panel != Panel::Catalogue).then(|| view.panel.code());
    let params: [(&str, Option<&str>); 12] = [
        ("c", view.category.as_deref()),
        ("y", year.as_deref()),
        ("pub", view.publisher.as_deref()),
        ("lv", view.level.map(Level::code)),
        ("vil", view.village.as_deref()),
        ("val", view.validity.map(Validity::code)),
        ("g", view.genre.as_deref()),
        ("o", (view.order == Order::OldestFirst).then_some("old")),
        ("p", Some(&page)),
        ("i", view.item.as_deref()),
        ("q", view.query.as_deref()),
        ("f", panel),
    ];
    for (param, value) in params {
        if let Some(value) = value {
            out.push(format!("{key}.{param}={}", form_encoded(value)));
        }
    }
    out.join("&")
}

/// `value` as `application/x-www-form-urlencoded` writes it (what
/// `form_urlencoded::byte_serialize` gives): letters, digits and `*-._`
/// as they are, a space as `+`, any other byte as `%` and two capital hex
/// digits. Written here rather than taken from that crate, whose table of
/// all 256 escapes would be the largest constant in the widget's module.
fn form_encoded(value: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for &byte in value.as_bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(byte >> 4)] as char);
                out.push(HEX[usize::from(byte & 15)] as char);
            }
        }
    }
    out
}

fn pairs(hash: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(hash.strip_prefix('#').unwrap_or(hash).as_bytes())
}

fn own_param<'a>(name: &'a str, key: &str) -> Option<&'a str> {
    name.strip_prefix(key)?.strip_prefix('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full_view() -> View {
        View {
            category: Some("czyjs".into()),
            year: Some(2016),
            publisher: Some("东亭乡人民政府".into()),
            level: Some(Level::Village),
            village: Some("和平村".into()),
            validity: Some(Validity::Expired),
            genre: Some("通知 & 公告".into()),
            order: Order::OldestFirst,
            page: 3,
            item: Some("11341822003207567E/201612-00012".into()),
            query: Some("财政 预算".into()),
            panel: Panel::Write,
        }
    }

    #[test]
    fn values_are_encoded_as_form_urlencoded_encodes_them() {
        let every_byte: Vec<u8> = (0..=255).collect();
        let samples = [
            "财政 预算 & 决算=100%+",
            "11341822003207567E/201612-00012",
            "*-._~!'()",
            "",
        ];
        for value in samples {
            let expected: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
            assert_eq!(form_encoded(value), expected, "{value:?}");
        }
        // Every byte, one at a time (those above 127 as parts of characters).
        for &byte in &every_byte[..128] {
            let value = (byte as char).to_string();
            let expected: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
            assert_eq!(form_encoded(&value), expected, "{byte}");
        }
        for c in ['é', '中', '𠀀', '\u{80}', '\u{ffff}'] {
            let value = c.to_string();
            let expected: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
            assert_eq!(form_encoded(&value), expected, "{c}");
        }
    }

    #[test]
    fn a_written_view_reads_back_the_same() {
        let view = full_view();
        let hash = write("", "xxgk", &view);
        assert_eq!(read(&hash, "xxgk"), Some(view.clone()));
        assert_eq!(read(&format!("#{hash}"), "xxgk"), Some(view));
    }

    #[test]
    fn a_hash_without_this_widgets_parameters_reads_as_none() {
        assert_eq!(read("", "xxgk"), None);
        assert_eq!(read("#top", "xxgk"), None);
        assert_eq!(read("other.c=zn", "xxgk"), None);
        assert_eq!(read("xxgk2.c=zn", "xxgk"), None);
    }

    #[test]
    fn the_first_page_of_everything_is_still_written() {
        let hash = write("", "xxgk", &View::default());
        assert_eq!(hash, "xxgk.p=1");
        assert_eq!(
            read(&hash, "xxgk"),
            Some(View {
                page: 1,
                ..View::default()
            })
        );
    }

    #[test]
    fn two_widgets_and_the_portals_anchor_keep_their_own_parameters() {
        let a = View {
            category: Some("zn".into()),
            page: 2,
            ..View::default()
        };
        let b = View {
            year: Some(2015),
            page: 1,
            ..View::default()
        };
        let hash = write("top", "a", &a);
        let hash = write(&hash, "b", &b);
        let a2 = View {
            item: Some("X-1".into()),
            ..a.clone()
        };
        let hash = write(&hash, "a", &a2);
        assert!(hash.starts_with("top&"), "{hash}");
        assert_eq!(read(&hash, "a"), Some(a2));
        assert_eq!(read(&hash, "b"), Some(b));
    }

    #[test]
    fn nonsense_values_are_ignored() {
        let view = read(
            "xxgk.y=abc&xxgk.lv=city&xxgk.val=&xxgk.p=-3&xxgk.zzz=1&xxgk.c=&xxgk.f=admin",
            "xxgk",
        )
        .unwrap();
        assert_eq!(
            view,
            View {
                page: 1,
                ..View::default()
            }
        );
    }

    #[test]
    fn a_key_that_is_a_prefix_of_another_does_not_steal_its_parameters() {
        let hash = write("", "xxgk2", &full_view());
        assert_eq!(read(&hash, "xxgk"), None);
    }
}
