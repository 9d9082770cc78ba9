//! Which entries contain a character or a pair of characters.
//!
//! A list of entry numbers per character and per pair ("bigram"), kept small:
//! a pair found in many entries is a bitmap (one bit per entry), a rare one
//! a list of the gaps between entry numbers in LEB128 (most gaps fit one
//! byte). A query keeps its candidates in a [`Bits`] set, one bit per
//! entry, and narrows it by each list in turn ([`Postings::keep_in`]).

/// The entries (by number, ascending) that contain one character or pair.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Postings {
    /// One bit per entry.
    Dense(Vec<u64>),
    /// Gaps between ascending entry numbers, LEB128-coded, and how many.
    Sparse { gaps: Vec<u8>, count: u32 },
}

impl Postings {
    /// Stores ascending, distinct entry numbers of a catalogue of `entries`.
    pub(crate) fn new(docs: &[u32], entries: usize) -> Postings {
        // A bitmap costs entries/8 bytes; gaps about 1.2 bytes each.
        if docs.len() * 10 > entries {
            let mut bits = vec![0u64; entries.div_ceil(64)];
            for &doc in docs {
                bits[doc as usize / 64] |= 1 << (doc % 64);
            }
            Postings::Dense(bits)
        } else {
            let mut gaps = Vec::with_capacity(docs.len() + docs.len() / 4);
            let mut last = 0;
            for &doc in docs {
                code_gap(&mut gaps, doc - last);
                last = doc;
            }
            gaps.shrink_to_fit();
            Postings::Sparse {
                gaps,
                count: docs.len() as u32,
            }
        }
    }

    /// A list from its LEB128-coded gaps (as [`Postings::Sparse`] holds
    /// them) and count: a bitmap when that is smaller.
    pub(crate) fn from_gaps(gaps: Vec<u8>, count: u32, entries: usize) -> Postings {
        let sparse = Postings::Sparse { gaps, count };
        if count as usize * 10 > entries {
            Postings::new(&sparse.docs(), entries)
        } else {
            sparse
        }
    }

    /// The entries, ascending.
    pub(crate) fn docs(&self) -> Vec<u32> {
        match self {
            Postings::Dense(bits) => {
                let mut docs = Vec::new();
                for (i, &word) in bits.iter().enumerate() {
                    let mut word = word;
                    while word != 0 {
                        docs.push(i as u32 * 64 + word.trailing_zeros());
                        word &= word - 1;
                    }
                }
                docs
            }
            Postings::Sparse { gaps, count } => {
                let mut docs = Vec::with_capacity(*count as usize);
                let (mut doc, mut gap, mut shift) = (0u32, 0u32, 0);
                for &byte in gaps {
                    gap |= u32::from(byte & 0x7f) << shift;
                    if byte & 0x80 == 0 {
                        doc += gap;
                        docs.push(doc);
                        gap = 0;
                        shift = 0;
                    } else {
                        shift += 7;
                    }
                }
                docs
            }
        }
    }

    /// Bytes held.
    pub(crate) fn heap_bytes(&self) -> usize {
        match self {
            Postings::Dense(bits) => bits.capacity() * 8,
            Postings::Sparse { gaps, .. } => gaps.capacity(),
        }
    }
}

/// Appends `gap` to `gaps` in LEB128.
pub(crate) fn code_gap(gaps: &mut Vec<u8>, mut gap: u32) {
    while gap >= 0x80 {
        gaps.push((gap as u8) | 0x80);
        gap >>= 7;
    }
    gaps.push(gap as u8);
}

/// A set of entries, one bit each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Bits {
    pub(crate) words: Vec<u64>,
    /// How many entries there are.
    pub(crate) len: usize,
}

impl Bits {
    /// No entry of `len`.
    pub(crate) fn none(len: usize) -> Bits {
        Bits {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    /// Every entry of `len`.
    pub(crate) fn all(len: usize) -> Bits {
        let mut words = vec![!0u64; len.div_ceil(64)];
        if len % 64 != 0 {
            if let Some(last) = words.last_mut() {
                *last = (1 << (len % 64)) - 1;
            }
        }
        Bits { words, len }
    }

    pub(crate) fn insert(&mut self, doc: u32) {
        self.words[doc as usize / 64] |= 1 << (doc % 64);
    }

    pub(crate) fn contains(&self, doc: u32) -> bool {
        self.words[doc as usize / 64] & (1 << (doc % 64)) != 0
    }

    /// Removes the entries of `other`.
    pub(crate) fn remove(&mut self, other: &Bits) {
        for (word, other) in self.words.iter_mut().zip(&other.words) {
            *word &= !other;
        }
    }

    /// Keeps only the entries of `other` too.
    pub(crate) fn keep(&mut self, other: &Bits) {
        for (word, other) in self.words.iter_mut().zip(&other.words) {
            *word &= other;
        }
    }

    pub(crate) fn clear(&mut self) {
        self.words.fill(0);
    }

    /// The entries, ascending.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &word)| {
            let mut word = word;
            std::iter::from_fn(move || {
                (word != 0).then(|| {
                    let bit = word.trailing_zeros();
                    word &= word - 1;
                    i as u32 * 64 + bit
                })
            })
        })
    }
}

impl Postings {
    /// Keeps in `bits` (one bit per entry) only this list's entries.
    pub(crate) fn keep_in(&self, bits: &mut [u64]) {
        match self {
            Postings::Dense(list) => {
                for (word, list) in bits.iter_mut().zip(list) {
                    *word &= list;
                }
            }
            Postings::Sparse { .. } => {
                let mut kept = vec![0u64; bits.len()];
                for doc in self.docs() {
                    let (at, bit) = (doc as usize / 64, 1u64 << (doc % 64));
                    kept[at] |= bits[at] & bit;
                }
                bits.copy_from_slice(&kept);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_and_sparse_lists_give_back_what_went_in() {
        let many: Vec<u32> = (0..1000).filter(|d| d % 3 == 0).collect();
        let few = vec![0, 5, 127, 128, 16_384, 99_999];
        let dense = Postings::new(&many, 1000);
        let sparse = Postings::new(&few, 100_000);
        assert!(matches!(dense, Postings::Dense(_)));
        assert!(matches!(sparse, Postings::Sparse { .. }));
        assert_eq!(dense.docs(), many);
        assert_eq!(sparse.docs(), few);
    }

    #[test]
    fn a_set_keeps_only_what_every_list_has() {
        let a = Postings::new(&(0..500).collect::<Vec<_>>(), 1000);
        let b = Postings::new(&[3, 10, 499, 700], 1000);
        let c = Postings::new(&(0..1000).filter(|d| d % 2 == 1).collect::<Vec<_>>(), 1000);
        let mut bits = Bits::all(1000);
        assert_eq!(bits.iter().count(), 1000);
        for list in [&a, &b, &c] {
            list.keep_in(&mut bits.words);
        }
        assert_eq!(bits.iter().collect::<Vec<_>>(), [3, 499]);
        let mut others = Bits::none(1000);
        others.insert(3);
        bits.remove(&others);
        assert_eq!(bits.iter().collect::<Vec<_>>(), [499]);
        assert!(bits.contains(499) && !bits.contains(3));
    }
}
