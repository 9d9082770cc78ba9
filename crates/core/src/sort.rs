//! One sort for the crate.

use std::cmp::Ordering;

/// Sorts positions by a comparison. Every sort in the crate goes through
/// this one function with a `dyn` comparison, so the widget carries one copy
/// of the sorting code instead of one per call site.
pub(crate) fn indices(positions: &mut [usize], compare: &dyn Fn(usize, usize) -> Ordering) {
    positions.sort_unstable_by(|&a, &b| compare(a, b));
}
