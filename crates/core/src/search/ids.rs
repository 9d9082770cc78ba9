//! Small numbers for characters and for pairs of numbers, so that what an
//! index builder notes for millions of characters is found by index
//! rather than by hashing a character or a string.

use rustc_hash::FxHashMap;

/// Numbers for characters, from 0, in the order first seen.
#[derive(Default)]
pub(crate) struct CharIds {
    /// Characters of the Basic Multilingual Plane by code point: their
    /// number plus one (0: none yet).
    bmp: Vec<u32>,
    others: FxHashMap<char, u32>,
    /// The characters, by number.
    pub(crate) chars: Vec<char>,
}

impl CharIds {
    /// The number of `c`, given one if it has none yet.
    pub(crate) fn id(&mut self, c: char) -> u32 {
        let code = c as usize;
        if code < 0x10000 {
            if self.bmp.is_empty() {
                self.bmp = vec![0; 0x10000];
            }
            if self.bmp[code] == 0 {
                self.chars.push(c);
                self.bmp[code] = self.chars.len() as u32;
            }
            return self.bmp[code] - 1;
        }
        let next = self.chars.len() as u32;
        *self.others.entry(c).or_insert_with(|| {
            self.chars.push(c);
            next
        })
    }
}

/// Numbers for ordered pairs of numbers (two characters, or a pair and a
/// third character), from 0, in the order first seen.
#[derive(Default)]
pub(crate) struct PairIds {
    ids: FxHashMap<u64, u32>,
    /// The pairs, by number.
    pub(crate) pairs: Vec<(u32, u32)>,
}

impl PairIds {
    /// The number of `(a, b)`, given one if it has none yet.
    pub(crate) fn id(&mut self, a: u32, b: u32) -> u32 {
        let next = self.pairs.len() as u32;
        let id = *self
            .ids
            .entry((u64::from(a) << 32) | u64::from(b))
            .or_insert(next);
        if id == next {
            self.pairs.push((a, b));
        }
        id
    }
}
