//! The sequence of entries of a catalogue: good items with bad ones spliced in.

use crate::bad::{corrupt, position, Flaw};
use crate::dice::Dice;
use crate::item::{Item, ItemMaker};
use crate::site::Site;
use serde::{Serialize, Serializer};

/// One entry of `items`.
#[derive(Debug)]
pub enum Entry {
    /// A valid item (boxed: items are large, bad entries are few).
    Good(Box<Item>),
    /// An invalid item and what is wrong with it.
    Bad {
        /// The flaw put into it.
        flaw: Flaw,
        /// The item as JSON.
        value: serde_json::Value,
    },
}

impl Serialize for Entry {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Entry::Good(item) => item.serialize(serializer),
            Entry::Bad { value, .. } => value.serialize(serializer),
        }
    }
}

/// Yields the entries of a catalogue in order.
///
/// A bad item is made as a good one and then spoilt, without extra rolls of
/// the dice, so the other items are byte-identical with and without `--bad`.
pub struct Generator {
    dice: Dice,
    maker: ItemMaker,
    index: u64,
    total: u64,
    bad: u64,
    bad_done: u64,
    last_good_id: Option<String>,
}

impl Generator {
    /// Entries for `total` items from `seed`, `bad` of them invalid (at most
    /// `total`), `traditional_per_mille` of the others in traditional script.
    pub fn new(seed: u64, total: u64, bad: u64, traditional_per_mille: u32) -> Self {
        let mut dice = Dice::new(seed);
        let site = Site::choose(&mut dice);
        Generator {
            dice,
            maker: ItemMaker::new(site, total, traditional_per_mille),
            index: 0,
            total,
            bad: bad.min(total),
            bad_done: 0,
            last_good_id: None,
        }
    }

    /// The site the catalogue belongs to.
    pub fn site(&self) -> &Site {
        self.maker.site()
    }
}

impl Iterator for Generator {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        if self.index >= self.total {
            return None;
        }
        let item = self.maker.make(self.index, &mut self.dice);
        let is_bad =
            self.bad_done < self.bad && position(self.bad_done, self.bad, self.total) == self.index;
        self.index += 1;
        if !is_bad {
            self.last_good_id = Some(item.id.clone());
            return Some(Entry::Good(Box::new(item)));
        }
        let k = self.bad_done;
        self.bad_done += 1;
        let flaw = Flaw::for_bad_item(k, self.last_good_id.is_some());
        let value = corrupt(&item, flaw, k, self.last_good_id.as_deref());
        Some(Entry::Bad { flaw, value })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = usize::try_from(self.total - self.index).unwrap_or(usize::MAX);
        (left, Some(left))
    }
}
