//! Titles found by their pinyin: initials (`czyjs` → 财政预决算) or full
//! spelling from a syllable's start (`caizheng`, `caizh` → 财政).

use super::fold::{is_word, pinyin};

/// The pinyin of every title, in two long strings searched at once.
pub(crate) struct Pinyin {
    /// Each title's initials, one byte per character (an ideograph's first
    /// pinyin letter, a Latin letter or digit as itself, anything else a
    /// space), each title followed by a line break.
    initials: String,
    /// Where each title's initials start.
    initial_starts: Vec<u32>,
    /// For each byte of `initials`, where its character's syllable starts
    /// in `spelled`, counted from the title's start (`NO_SYLLABLE` when it
    /// has none, or it is too far to count in 16 bits).
    syllable_at: Vec<u16>,
    /// Each title's full spelling, syllables run together, a space for
    /// anything that is not an ideograph, each title followed by a line
    /// break.
    spelled: String,
    /// Where each title's spelling starts.
    spelled_starts: Vec<u32>,
    /// One bit per byte of `spelled`: whether a syllable starts there.
    syllable_starts: Vec<u64>,
    /// Every syllable in the titles, sorted.
    syllables: Vec<&'static str>,
}

/// More ways than this to read a term as syllables, and its spelling is
/// looked for in every title instead of only where the initials fit.
const MAX_READINGS: usize = 32;

const NO_SYLLABLE: u16 = u16::MAX;

impl Pinyin {
    /// The pinyin of folded `titles`, title `i` being entry `i`.
    pub(crate) fn new(titles: &[String]) -> Pinyin {
        let mut p = Pinyin {
            initials: String::new(),
            initial_starts: Vec::with_capacity(titles.len()),
            syllable_at: Vec::new(),
            spelled: String::new(),
            spelled_starts: Vec::with_capacity(titles.len()),
            syllable_starts: Vec::new(),
            syllables: Vec::new(),
        };
        let mut starts = Vec::new();
        let mut syllables = rustc_hash::FxHashSet::default();
        for title in titles {
            p.initial_starts.push(p.initials.len() as u32);
            let title_start = p.spelled.len();
            p.spelled_starts.push(title_start as u32);
            for c in title.chars() {
                let at = match pinyin(c) {
                    Some(syllable) => {
                        syllables.insert(syllable);
                        p.initials.push(syllable.chars().next().unwrap_or(' '));
                        starts.push(p.spelled.len());
                        let at =
                            u16::try_from(p.spelled.len() - title_start).unwrap_or(NO_SYLLABLE);
                        p.spelled.push_str(syllable);
                        at
                    }
                    None => {
                        p.initials.push(if is_word(c) { c } else { ' ' });
                        p.spelled.push(' ');
                        NO_SYLLABLE
                    }
                };
                p.syllable_at.resize(p.initials.len(), at);
            }
            p.initials.push('\n');
            p.spelled.push('\n');
            p.syllable_at.push(NO_SYLLABLE);
        }
        p.syllables = syllables.into_iter().collect();
        p.syllable_starts = vec![0; p.spelled.len().div_ceil(64)];
        for at in starts {
            p.syllable_starts[at / 64] |= 1 << (at % 64);
        }
        p.syllables.sort_unstable();
        p.initials.shrink_to_fit();
        p.syllable_at.shrink_to_fit();
        p.spelled.shrink_to_fit();
        p
    }

    /// The entries whose title `term` (lower-case Latin letters) is pinyin
    /// of: a run of its initials, or the full spelling of consecutive
    /// characters from a syllable's start, the last syllable possibly cut
    /// short. Ascending.
    pub(crate) fn matches(&self, term: &str) -> Vec<u32> {
        let Some(mut readings) = self.readings(term) else {
            return self.matches_reading_all(term);
        };
        // Whatever the reading, the spelling is checked from the first
        // character's syllable: where a reading's initials are, so are
        // those of any reading it begins (cz for caizheng, czg for
        // cai-zhen-g…), so only the shortest need be looked for.
        readings.sort_unstable_by_key(String::len);
        let mut shortest: Vec<String> = Vec::new();
        for reading in readings {
            if !shortest.iter().any(|s| reading.starts_with(s.as_str())) {
                shortest.push(reading);
            }
        }
        let mut docs: Vec<u32> = self.find_initials(term).collect();
        // A spelling of characters c1…ck has their initials in a row: it is
        // looked for only where the initials of a reading of the term are,
        // at the first one's syllable.
        let finder = memchr::memmem::Finder::new(term.as_bytes());
        for initials in &shortest {
            let initials = memchr::memmem::Finder::new(initials.as_bytes());
            for at in overlapping(&initials, self.initials.as_bytes()) {
                let title = entry(&self.initial_starts, at);
                let start = self.spelled_starts[title as usize] as usize;
                let found = match self.syllable_at[at] {
                    NO_SYLLABLE => {
                        let (from, to) = self.spelled_range(title);
                        self.spelled_at(&finder, from, to).next().is_some()
                    }
                    offset => self.spelled.as_bytes()[start + offset as usize..]
                        .starts_with(term.as_bytes()),
                };
                if found {
                    docs.push(title);
                }
            }
        }
        docs.sort_unstable();
        docs.dedup();
        docs
    }

    /// The same as [`Pinyin::matches`], found by reading every title's
    /// initials and spelling: the reference the narrowing is checked
    /// against.
    pub(crate) fn matches_reading_all(&self, term: &str) -> Vec<u32> {
        let finder = memchr::memmem::Finder::new(term.as_bytes());
        let mut docs: Vec<u32> = self
            .find_initials(term)
            .chain(
                self.spelled_at(&finder, 0, self.spelled.len())
                    .map(|at| entry(&self.spelled_starts, at)),
            )
            .collect();
        docs.sort_unstable();
        docs.dedup();
        docs
    }

    /// Where the term of `finder` occurs in `spelled[from..to]` from a
    /// syllable's start (byte offsets in `spelled`).
    fn spelled_at<'a>(
        &'a self,
        finder: &'a memchr::memmem::Finder<'a>,
        from: usize,
        to: usize,
    ) -> impl Iterator<Item = usize> + 'a {
        overlapping(finder, &self.spelled.as_bytes()[from..to])
            .map(move |at| from + at)
            .filter(|&at| self.syllable_starts[at / 64] & (1 << (at % 64)) != 0)
    }

    /// The entries where `initials` occur in a row, with repeats.
    fn find_initials<'a>(&'a self, initials: &'a str) -> impl Iterator<Item = u32> + 'a {
        memchr::memmem::find_iter(self.initials.as_bytes(), initials.as_bytes())
            .map(|at| entry(&self.initial_starts, at))
    }

    /// Where title `title`'s spelling lies in `spelled`.
    fn spelled_range(&self, title: u32) -> (usize, usize) {
        let from = self.spelled_starts[title as usize] as usize;
        let to = self
            .spelled_starts
            .get(title as usize + 1)
            .map_or(self.spelled.len(), |&s| s as usize);
        (from, to)
    }

    /// The initials of every way to read `term` as syllables of the titles,
    /// the last possibly cut short; `None` if there are too many to try.
    fn readings(&self, term: &str) -> Option<Vec<String>> {
        let mut readings = Vec::new();
        let mut initials = String::new();
        let mut steps = 0;
        self.read(term, &mut initials, &mut readings, &mut steps)
            .then_some(readings)
    }

    /// Adds the readings of `rest` after `initials`; false when there are
    /// too many, or too many ways to try.
    fn read(
        &self,
        rest: &str,
        initials: &mut String,
        readings: &mut Vec<String>,
        steps: &mut usize,
    ) -> bool {
        *steps += 1;
        if *steps > 64 * MAX_READINGS {
            return false;
        }
        if rest.is_empty() {
            return true;
        }
        let Some(first) = rest.chars().next() else {
            return true;
        };
        initials.push(first);
        // The last syllable, whole or cut short.
        let at = self.syllables.partition_point(|s| *s < rest);
        if self.syllables.get(at).is_some_and(|s| s.starts_with(rest))
            && !readings.contains(initials)
        {
            if readings.len() == MAX_READINGS {
                return false;
            }
            readings.push(initials.clone());
        }
        // A whole syllable, then the rest.
        for len in 1..rest.len() {
            let Some((head, tail)) = rest.split_at_checked(len) else {
                continue;
            };
            if self.syllables.binary_search(&head).is_ok()
                && !self.read(tail, initials, readings, steps)
            {
                return false;
            }
        }
        initials.pop();
        true
    }
    /// Bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.initials.capacity()
            + self.spelled.capacity()
            + (self.initial_starts.capacity() + self.spelled_starts.capacity()) * 4
            + self.syllable_starts.capacity() * 8
            + self.syllables.capacity() * std::mem::size_of::<&str>()
            + self.syllable_at.capacity() * 2
    }
}

/// Every place `finder`'s needle is in `haystack`, overlapping ones too
/// (in `gongong`, `gong` is at 0 and at 3), unlike `find_iter`: a place
/// that is not a syllable's start must not hide one that is.
fn overlapping<'a>(
    finder: &'a memchr::memmem::Finder<'a>,
    haystack: &'a [u8],
) -> impl Iterator<Item = usize> + 'a {
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + finder.find(haystack.get(from..)?)?;
        from = at + 1;
        Some(at)
    })
}

/// The entry whose text starting at `starts[i]` holds byte `at`.
fn entry(starts: &[u32], at: usize) -> u32 {
    (starts.partition_point(|&s| s as usize <= at) - 1) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(term: &str, title: &str) -> bool {
        Pinyin::new(&[String::from("无关"), title.to_owned()]).matches(term) == [1]
    }

    #[test]
    fn initials_find_a_title() {
        assert!(finds("czyjs", "东亭乡2016年财政预决算公开"));
        assert!(finds("mlxc", "关于美丽乡村建设的通知"));
        assert!(finds("2016", "东亭乡2016年"));
        assert!(!finds("czjs", "东亭乡2016年财政预决算公开"));
    }

    #[test]
    fn full_spelling_finds_a_title_from_a_syllable_start() {
        assert!(finds("caizheng", "东亭乡财政预算"));
        assert!(finds("caizh", "东亭乡财政预算"));
        assert!(finds("caizhengyusuan", "东亭乡财政预算"));
        assert!(!finds("aizheng", "东亭乡财政预算"));
        assert!(!finds("caizhengx", "东亭乡财政预算"));
    }

    #[test]
    fn spellings_with_more_than_one_reading_are_all_found() {
        // xian: 先 (xian) or 西安 (xi an); fangan: 方案 (fang an) or 反感
        // (fan gan).
        let titles = ["先进", "西安", "方案", "反感", "无关"].map(String::from);
        let p = Pinyin::new(&titles);
        assert_eq!(p.matches("xian"), [0, 1]);
        assert_eq!(p.matches("fangan"), [2, 3]);
        assert_eq!(p.matches("fanga"), [2, 3]);
        assert_eq!(p.matches("xa"), [1]);
        assert!(p.matches("qian").is_empty());
    }

    #[test]
    fn initials_in_a_row_that_overlap_are_each_tried() {
        // 购公告: initials ggg; gonggao starts at the second g, not the first.
        assert!(finds("gonggao", "农村环境卫生保洁服务采购公告"));
        assert!(finds("gonggao", "采购公告"));
    }

    #[test]
    fn a_term_with_countless_readings_is_still_answered() {
        let titles = ["西安先安", "无关"].map(String::from);
        let p = Pinyin::new(&titles);
        let term = "xian".repeat(16);
        assert_eq!(p.readings(&term), None);
        assert!(p.matches(&term).is_empty());
        assert_eq!(p.matches("xianxian"), [0]);
    }

    #[test]
    fn a_match_never_runs_from_one_title_into_the_next() {
        let p = Pinyin::new(&[String::from("财"), String::from("政")]);
        assert!(p.matches("cz").is_empty());
        assert!(p.matches("caizheng").is_empty());
    }

    /// The sample catalogue's titles, folded, and their pinyin.
    fn sample() -> &'static (Vec<String>, Pinyin) {
        static SAMPLE: std::sync::OnceLock<(Vec<String>, Pinyin)> = std::sync::OnceLock::new();
        SAMPLE.get_or_init(|| {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../examples/dongting/catalogue.json"
            );
            let catalogue =
                crate::Catalogue::parse("c.json", &std::fs::read(path).unwrap()).unwrap();
            let titles: Vec<String> = catalogue
                .items
                .iter()
                .map(|item| crate::search::fold::fold(&item.title))
                .collect();
            let pinyin = Pinyin::new(&titles);
            (titles, pinyin)
        })
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]

        /// Pieces of the titles' spelling from a syllable's start, cut
        /// anywhere, and strings of random letters: looking only where the
        /// initials fit finds what reading every title finds.
        #[test]
        fn narrowing_by_initials_finds_what_reading_every_title_finds(
            title in 0usize..119,
            from in 0usize..30,
            chars in 1usize..6,
            cut in 0usize..5,
            letters in "[a-z]{1,8}",
        ) {
            let (titles, pinyin) = sample();
            let title: Vec<char> = titles[title % titles.len()].chars().collect();
            let from = from % title.len();
            let spelled: String = title[from..(from + chars).min(title.len())]
                .iter()
                .map_while(|&c| crate::search::fold::pinyin(c))
                .collect();
            let piece = &spelled[..spelled.len().saturating_sub(cut).max(1.min(spelled.len()))];
            for term in [piece, letters.as_str()] {
                if !term.is_empty() {
                    proptest::prop_assert_eq!(pinyin.matches(term), pinyin.matches_reading_all(term), "{:?}", term);
                }
            }
        }
    }
}
