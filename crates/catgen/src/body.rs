//! The body (full text) and summary of an item, built from sentences.

use crate::dice::Dice;
use crate::genre::Genre;
use crate::slots::Ctx;
use crate::specs::{Spec, GENERIC, GENERIC_VILLAGE};
use crate::vocab::{chinese_number, dated};

/// Fewest characters a body has.
pub const MIN_BODY: usize = 150;
/// Most characters a body has.
pub const MAX_BODY: usize = 800;
/// Most characters a summary has.
pub const MAX_SUMMARY: usize = 100;

/// The text of an item.
pub struct Text {
    /// Paragraphs separated by `\n`, [`MIN_BODY`]..=[`MAX_BODY`] characters.
    pub body: String,
    /// The first of the category's own sentences in the body (else the
    /// opening), cut to [`MAX_SUMMARY`] characters.
    pub summary: String,
}

/// Writes the body of an item of category `spec` and genre `genre`.
///
/// The layout follows the genre: a salutation, an opening sentence, the
/// category's own sentences then generic ones (each used at most once),
/// numbered or headed as documents of that genre are, a closing, and the
/// publisher and date as a signature.
pub fn compose(spec: &Spec, genre: Genre, village: bool, ctx: &mut Ctx, dice: &mut Dice) -> Text {
    let year = ctx.year();
    let target = dice.between(MIN_BODY as u32, MAX_BODY as u32) as usize;

    let (salutation, opening) = match (genre, spec.letter) {
        (Genre::Notice, Some(letter)) => (Some(letter.0), letter.1),
        _ => (genre.salutation(village), genre.opening(village)),
    };
    let mut head = Vec::new();
    if let Some(s) = salutation {
        head.push(ctx.render(s, dice));
    }
    let opening = ctx.render(opening, dice);
    head.push(opening.clone());

    let mut tail: Vec<String> = genre
        .closing(village)
        .iter()
        .map(|c| ctx.render(c, dice))
        .collect();
    if genre.signed() {
        tail.push(ctx.render("{发布机构}", dice));
        tail.push(ctx.render("{日期}", dice));
    }

    let fixed = paragraphs_len(&head) + paragraphs_len(&tail) + 1;
    let own = if village && !spec.village_sentences.is_empty() {
        spec.village_sentences
    } else {
        spec.sentences
    };
    let generic: &'static [&'static str] = match (spec.generic, village) {
        (false, _) => &[],
        (true, true) => GENERIC_VILLAGE,
        (true, false) => GENERIC,
    };
    let mut pools = [Draw::new(own, year), Draw::new(generic, year)];

    // A content sentence adds at least its own length, and at most 8 more
    // characters of numbering, heading and line break: fill up to the target
    // by the first measure without passing the maximum by the second.
    let mut chosen = Vec::new();
    let mut least = fixed;
    let mut most = fixed;
    while least < target {
        let Some(key) = pools
            .iter_mut()
            .enumerate()
            .find_map(|(p, pool)| pool.next(dice).map(|(i, t)| ((p, i), t)))
        else {
            break;
        };
        let s = ctx.render(key.1, dice);
        let len = s.chars().count();
        if most + len + 8 > MAX_BODY {
            continue;
        }
        least += len;
        most += len + 8;
        chosen.push((key.0, s));
    }
    // Pools are written in document order (purpose, substance, contacts):
    // keep that order among the sentences drawn.
    chosen.sort_by_key(|(key, _)| *key);
    let summary = match chosen.first() {
        Some(((0, _), first)) => summary_of(first),
        _ => summary_of(&opening),
    };
    let sentences: Vec<String> = chosen.into_iter().map(|(_, s)| s).collect();

    let mut body_paragraphs = head;
    lay_out(genre, sentences, &mut body_paragraphs, dice);
    body_paragraphs.extend(tail);
    let body = body_paragraphs.join("\n");

    Text { body, summary }
}

/// Arranges content sentences into paragraphs the way `genre` does.
fn lay_out(genre: Genre, sentences: Vec<String>, out: &mut Vec<String>, dice: &mut Dice) {
    match genre {
        Genre::Measures => {
            for (i, s) in sentences.into_iter().enumerate() {
                out.push(format!("第{}条 {s}", chinese_number(i as u32 + 2)));
            }
        }
        Genre::Opinion | Genre::Plan => {
            let headings = genre.headings();
            for (i, pair) in sentences.chunks(2).enumerate() {
                if let Some(h) = headings.get(i) {
                    out.push((*h).to_string());
                }
                out.push(pair.concat());
            }
        }
        Genre::Notice | Genre::Decision | Genre::Report => {
            for (i, s) in sentences.into_iter().enumerate() {
                out.push(format!("{}、{s}", chinese_number(i as u32 + 1)));
            }
        }
        Genre::Announcement | Genre::Publicity => {
            let mut rest = sentences.as_slice();
            while !rest.is_empty() {
                let n = (dice.between(1, 3) as usize).min(rest.len());
                out.push(rest[..n].concat());
                rest = &rest[n..];
            }
        }
    }
}

/// Characters of paragraphs joined by line breaks.
fn paragraphs_len(paragraphs: &[String]) -> usize {
    let chars: usize = paragraphs.iter().map(|p| p.chars().count()).sum();
    chars + paragraphs.len().saturating_sub(1)
}

/// A sentence as a summary of at most [`MAX_SUMMARY`] characters.
fn summary_of(sentence: &str) -> String {
    let opening = sentence.trim_end_matches(['：', ':']);
    if opening.chars().count() <= MAX_SUMMARY {
        let mut s = opening.to_string();
        if !s.ends_with('。') {
            s.push('。');
        }
        // The added full stop may push it one over.
        if s.chars().count() <= MAX_SUMMARY {
            return s;
        }
    }
    let mut s: String = opening.chars().take(MAX_SUMMARY - 2).collect();
    s.push_str("……");
    s
}

/// Sentences of a pool drawn at random, each at most once, skipping those
/// not meant for the year.
struct Draw {
    pool: &'static [&'static str],
    left: Vec<u16>,
    year: i32,
}

impl Draw {
    fn new(pool: &'static [&'static str], year: i32) -> Self {
        Draw {
            pool,
            left: (0..pool.len() as u16).collect(),
            year,
        }
    }

    /// The index and text of a sentence not drawn before.
    fn next(&mut self, dice: &mut Dice) -> Option<(u16, &'static str)> {
        while !self.left.is_empty() {
            let i = dice.index(self.left.len());
            let index = self.left.swap_remove(i);
            let (text, ok) = dated(self.pool[usize::from(index)], self.year);
            if ok {
                return Some((index, text));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_end_with_a_full_stop_and_stay_short() {
        assert_eq!(
            summary_of("现就有关事项通知如下："),
            "现就有关事项通知如下。"
        );
        let long = "长".repeat(150);
        let s = summary_of(&long);
        assert_eq!(s.chars().count(), MAX_SUMMARY);
        assert!(s.ends_with("……"));
        let exact = "字".repeat(100);
        assert!(summary_of(&exact).chars().count() <= MAX_SUMMARY);
    }
}
