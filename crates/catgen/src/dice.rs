//! The one source of randomness: reproducible dice over ChaCha8.

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Every random choice of the generator goes through this type.
///
/// Only [`ChaCha8Rng`]'s raw `next_u64` stream is used, whose values are
/// documented as reproducible on every platform. The mapping of that stream to
/// ranges is done here (Lemire's multiply-shift, bias below 2^-40 for the small
/// ranges used), so the output never depends on how `rand` samples ranges or
/// on the width of `usize`.
pub struct Dice {
    rng: ChaCha8Rng,
}

impl Dice {
    /// Dice whose whole sequence is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        Dice {
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// A number in `0..n`; `0` when `n` is `0`.
    pub fn below(&mut self, n: u64) -> u64 {
        let wide = u128::from(self.rng.next_u64()) * u128::from(n);
        // The high half of a 128-bit product of two u64 always fits in u64.
        (wide >> 64) as u64
    }

    /// A number in `lo..=hi` (`lo` when `hi < lo`).
    pub fn between(&mut self, lo: u32, hi: u32) -> u32 {
        if hi <= lo {
            return lo;
        }
        let span = u64::from(hi - lo) + 1;
        lo + self.below(span) as u32
    }

    /// An index into a slice of length `len` (`0` for an empty one).
    pub fn index(&mut self, len: usize) -> usize {
        self.below(len as u64) as usize
    }

    /// One element of a non-empty slice.
    ///
    /// Every pool the generator picks from is a non-empty constant; a test
    /// checks that, so an empty slice here is a programming error.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.index(items.len())]
    }

    /// `true` with probability `p / 1000`.
    pub fn per_mille(&mut self, p: u32) -> bool {
        self.below(1000) < u64::from(p)
    }

    /// An index chosen with probability proportional to `weights[i]`.
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|&w| u64::from(w)).sum();
        let mut roll = self.below(total);
        for (i, &w) in weights.iter().enumerate() {
            let w = u64::from(w);
            if roll < w {
                return i;
            }
            roll -= w;
        }
        weights.len().saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_gives_same_rolls() {
        let mut a = Dice::new(7);
        let mut b = Dice::new(7);
        for _ in 0..100 {
            assert_eq!(a.below(1_000_000), b.below(1_000_000));
        }
    }

    #[test]
    fn rolls_stay_in_range() {
        let mut d = Dice::new(1);
        for _ in 0..10_000 {
            assert!(d.below(7) < 7);
            let x = d.between(150, 800);
            assert!((150..=800).contains(&x));
        }
        assert_eq!(d.below(0), 0);
        assert_eq!(d.between(5, 5), 5);
    }

    #[test]
    fn weighted_never_picks_a_zero_weight() {
        let mut d = Dice::new(3);
        for _ in 0..10_000 {
            assert_ne!(d.weighted(&[3, 0, 5]), 1);
        }
    }
}
