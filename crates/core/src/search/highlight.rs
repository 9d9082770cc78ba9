//! Marking what matched: in a title, and in a short excerpt of the text.

use super::fold::fold_mapped;
use super::query::Query;
use std::ops::Range;

/// The byte ranges of `text` where terms of `query` occur (found in the
/// folded text, mapped back to the characters they came from), in order,
/// overlapping ones merged.
pub fn highlights(text: &str, query: &Query) -> Vec<Range<usize>> {
    let (folded, origin) = fold_mapped(text);
    let starts: Vec<usize> = folded.char_indices().map(|(at, _)| at).collect();
    let char_at = |byte: usize| starts.partition_point(|&s| s <= byte).saturating_sub(1);
    let mut ranges: Vec<Range<usize>> = query
        .terms
        .iter()
        .flat_map(|term| term.occurrences(&folded).collect::<Vec<_>>())
        .filter(|found| !found.is_empty())
        .filter_map(|found| {
            let first = origin.get(char_at(found.start))?;
            let last = origin.get(char_at(found.end - 1))?;
            Some(first.start..last.end)
        })
        .collect();
    ranges.sort_unstable_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        match merged.last_mut() {
            Some(last) if range.start <= last.end => last.end = last.end.max(range.end),
            _ => merged.push(range),
        }
    }
    merged
}

/// An excerpt of `text` around the first place a term of `query` occurs:
/// up to `before` characters before it and `after` after, with `…` where
/// the text was cut, and the highlights within the excerpt. `None` if no
/// term occurs in `text`.
pub fn snippet(
    text: &str,
    query: &Query,
    before: usize,
    after: usize,
) -> Option<(String, Vec<Range<usize>>)> {
    let marks = highlights(text, query);
    let first = marks.first()?.start;
    let start = text[..first]
        .char_indices()
        .rev()
        .nth(before.saturating_sub(1))
        .map_or(0, |(at, _)| at);
    let start = if before == 0 { first } else { start };
    let end = text[first..]
        .char_indices()
        .nth(after)
        .map_or(text.len(), |(at, _)| first + at);
    let lead = if start > 0 { "…" } else { "" };
    let tail = if end < text.len() { "…" } else { "" };
    let excerpt = format!("{lead}{}{tail}", &text[start..end]);
    let shift = lead.len();
    let inside = marks
        .into_iter()
        .filter(|m| m.start < end && m.end > start)
        .map(|m| m.start.max(start) - start + shift..m.end.min(end) - start + shift)
        .collect();
    Some((excerpt, inside))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(text: &str, ranges: &[Range<usize>]) -> String {
        let mut out = String::new();
        let mut at = 0;
        for r in ranges {
            out.push_str(&text[at..r.start]);
            out.push('[');
            out.push_str(&text[r.clone()]);
            out.push(']');
            at = r.end;
        }
        out.push_str(&text[at..]);
        out
    }

    #[test]
    fn every_occurrence_of_every_term_is_marked_in_the_original_text() {
        let text = "東亭鄉2016年財政預算與財政決算";
        let query = Query::parse("财政 2016");
        assert_eq!(
            marked(text, &highlights(text, &query)),
            "東亭鄉[2016]年[財政]預算與[財政]決算"
        );
    }

    #[test]
    fn marks_skip_removed_pinyin_and_cover_full_width_text() {
        let text = "東亭鄉(xiāng)政府　２０１６年";
        let query = Query::parse("亭乡政府 2016");
        assert_eq!(
            marked(text, &highlights(text, &query)),
            "東[亭鄉(xiāng)政府]　[２０１６]年"
        );
    }

    #[test]
    fn a_snippet_is_cut_around_the_first_match() {
        let text = "第一段没有。第二段讲的是财政预算的公开办法和时间安排。";
        let (excerpt, marks) = snippet(text, &Query::parse("预算"), 4, 6).unwrap();
        assert_eq!(marked(&excerpt, &marks), "…的是财政[预算]的公开办…");
        assert!(snippet(text, &Query::parse("不在其中"), 4, 6).is_none());
        let (excerpt, _) = snippet("预算", &Query::parse("预算"), 10, 10).unwrap();
        assert_eq!(excerpt, "预算");
    }
}
