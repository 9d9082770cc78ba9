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
    /// Each title's full spelling, syllables run together, a space for
    /// anything that is not an ideograph, each title followed by a line
    /// break.
    spelled: String,
    /// Where each title's spelling starts.
    spelled_starts: Vec<u32>,
    /// One bit per byte of `spelled`: whether a syllable starts there.
    syllable_starts: Vec<u64>,
}

impl Pinyin {
    /// The pinyin of folded `titles`, title `i` being entry `i`.
    pub(crate) fn new(titles: &[String]) -> Pinyin {
        let mut p = Pinyin {
            initials: String::new(),
            initial_starts: Vec::with_capacity(titles.len()),
            spelled: String::new(),
            spelled_starts: Vec::with_capacity(titles.len()),
            syllable_starts: Vec::new(),
        };
        let mut starts = Vec::new();
        for title in titles {
            p.initial_starts.push(p.initials.len() as u32);
            p.spelled_starts.push(p.spelled.len() as u32);
            for c in title.chars() {
                match pinyin(c) {
                    Some(syllable) => {
                        p.initials.push(syllable.chars().next().unwrap_or(' '));
                        starts.push(p.spelled.len());
                        p.spelled.push_str(syllable);
                    }
                    None => {
                        p.initials.push(if is_word(c) { c } else { ' ' });
                        p.spelled.push(' ');
                    }
                }
            }
            p.initials.push('\n');
            p.spelled.push('\n');
        }
        p.syllable_starts = vec![0; p.spelled.len().div_ceil(64)];
        for at in starts {
            p.syllable_starts[at / 64] |= 1 << (at % 64);
        }
        p.initials.shrink_to_fit();
        p.spelled.shrink_to_fit();
        p
    }

    /// The entries whose title `term` (lower-case Latin letters) is pinyin
    /// of: a run of its initials, or the full spelling of consecutive
    /// characters from a syllable's start, the last syllable possibly cut
    /// short. Ascending.
    pub(crate) fn matches(&self, term: &str) -> Vec<u32> {
        let entry =
            |starts: &[u32], at: usize| (starts.partition_point(|&s| s as usize <= at) - 1) as u32;
        let by_initials = memchr::memmem::find_iter(self.initials.as_bytes(), term.as_bytes())
            .map(|at| entry(&self.initial_starts, at));
        let by_spelling = memchr::memmem::find_iter(self.spelled.as_bytes(), term.as_bytes())
            .filter(|&at| self.syllable_starts[at / 64] & (1 << (at % 64)) != 0)
            .map(|at| entry(&self.spelled_starts, at));
        let mut docs: Vec<u32> = by_initials.chain(by_spelling).collect();
        docs.sort_unstable();
        docs.dedup();
        docs
    }

    /// Bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.initials.capacity()
            + self.spelled.capacity()
            + (self.initial_starts.capacity() + self.spelled_starts.capacity()) * 4
            + self.syllable_starts.capacity() * 8
    }
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
    fn a_match_never_runs_from_one_title_into_the_next() {
        let p = Pinyin::new(&[String::from("财"), String::from("政")]);
        assert!(p.matches("cz").is_empty());
        assert!(p.matches("caizheng").is_empty());
    }
}
