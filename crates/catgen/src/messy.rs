//! The untidiness of real catalogues, in measured doses.
//!
//! Township staff type 〔〕, [], 【】 and （） for the brackets of a document
//! number, export dates in several shapes, write 村级 for `village` and
//! sometimes paste titles with markup in them. All of it is valid per
//! docs/catalogue.md; the widget has to cope.

use crate::date::Day;
use crate::dice::Dice;

/// A document number such as `东政〔2016〕12号`; one in ten uses other brackets.
pub fn doc_number(prefix: &str, year: i32, n: u32, dice: &mut Dice) -> String {
    const OTHER: [(&str, &str); 4] = [("[", "]"), ("【", "】"), ("（", "）"), ("(", ")")];
    let (open, close) = if dice.per_mille(900) {
        ("〔", "〕")
    } else {
        *dice.pick(&OTHER)
    };
    format!("{prefix}{open}{year}{close}{n}号")
}

/// A title with markup-like text in it, to check that it is shown as text.
pub fn with_markup(title: &str, dice: &mut Dice) -> String {
    match dice.below(6) {
        0 => format!("<b>{title}</b>"),
        1 => format!("{title}（水利&amp;交通）"),
        2 => format!("{title} <i>更正</i>"),
        3 => format!("{title}&lt;附件&gt;"),
        4 => format!("<script>alert(1)</script>{title}"),
        _ => format!("{title} \"征求意见稿\" & 'A&B'"),
    }
}

/// The written date, mostly `2016-03-05`, sometimes as a spreadsheet exports it.
pub fn date(day: Day, dice: &mut Dice) -> String {
    match dice.below(100) {
        0 => day.slashed(),
        1 | 2 => day.chinese(),
        _ => day.iso(),
    }
}

/// `level`: `township`/`village`, one in twenty as `乡镇级`/`村级`.
pub fn level(village: bool, dice: &mut Dice) -> &'static str {
    match (village, dice.per_mille(950)) {
        (false, true) => "township",
        (false, false) => "乡镇级",
        (true, true) => "village",
        (true, false) => "村级",
    }
}

/// `validity`: about 85% valid, 10% expired, 5% repealed; one in twenty in Chinese.
pub fn validity(dice: &mut Dice) -> &'static str {
    let which = dice.weighted(&[85, 10, 5]);
    let english = dice.per_mille(950);
    match (which, english) {
        (0, true) => "valid",
        (0, false) => "有效",
        (1, true) => "expired",
        (1, false) => "失效",
        (_, true) => "repealed",
        (_, false) => "废止",
    }
}

/// `disclosure`, one in twenty in Chinese.
pub fn disclosure(proactive: bool, dice: &mut Dice) -> &'static str {
    match (proactive, dice.per_mille(950)) {
        (true, true) => "proactive",
        (true, false) => "主动公开",
        (false, true) => "on_request",
        (false, false) => "依申请公开",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_numbers_mostly_use_hexagonal_brackets() {
        let mut dice = Dice::new(9);
        let all: Vec<String> = (0..2000)
            .map(|i| doc_number("东政", 2016, i, &mut dice))
            .collect();
        let standard = all.iter().filter(|d| d.contains('〔')).count();
        assert!((1700..1900).contains(&standard), "{standard}");
        assert!(all.iter().any(|d| d.contains('【')));
        assert!(all.iter().any(|d| d.contains('[')));
        assert!(all[0].starts_with("东政") && all[0].ends_with("0号"));
    }
}
