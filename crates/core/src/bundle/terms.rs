//! The search index of a bundle, written as buckets of keys.
//!
//! A key names what a query term looks up; its first character is its
//! kind. In the term buckets, lists of entries per field (in the order of
//! the search's field weights):
//! - `c`, `p`, `q`: the entries with a character, or a run of two or three
//!   characters (what a term of that length needs, exactly);
//! - `w`: the entries with a word (a run of Latin letters and digits)
//!   starting with one to three characters; `W`: the words starting with
//!   four characters, each with its entries (and first places in titles);
//! - `i`: the titles whose initials have a run of two to four letters;
//!   `a`: the titles in whose pinyin two to five letters start a syllable.
//!
//! In the place buckets, which a query of one short term never downloads,
//! where things are:
//! - `T`: each run of three characters, per field (terms of four or more
//!   characters are runs of three at the right distances);
//! - `F` and a term key: the first place of the key in each title (for
//!   ranking by closeness, when a query has several terms);
//! - `I`: runs of five initials; `A`: five-letter spellings from a syllable
//!   start, and `U`: anywhere (longer pinyin terms, from the pieces).
//!
//! A key's bucket is a hash of its text, so a query knows which files to
//! fetch from its own characters. Entries are numbered oldest first (see
//! [`super`]); lists ascend, as gaps or, where smaller, as a bitmap.

use super::codec::{bucket, put, put_text, tag, Bytes};
use crate::search::fold::{fold, is_word, pinyin};
use crate::search::ids::{CharIds, PairIds};
use crate::search::index::{field_text, FIELDS};
use crate::Item;
use rustc_hash::FxHashMap;

/// Key kinds (see the module's text).
pub(crate) const CHAR: char = 'c';
pub(crate) const PAIR: char = 'p';
pub(crate) const TRIPLE: char = 'q';
pub(crate) const RUNS: char = 'T';
pub(crate) const FIRSTS: char = 'F';
pub(crate) const WORD_START: char = 'w';
pub(crate) const WORDS: char = 'W';
pub(crate) const INITIALS: char = 'i';
pub(crate) const INITIAL_RUNS: char = 'I';
pub(crate) const SPELLED: char = 'a';
pub(crate) const SPELLED_AT_START: char = 'A';
pub(crate) const SPELLED_ANYWHERE: char = 'U';

/// Word prefixes with a list of their own; longer terms look in the words
/// under their first `WORD_PREFIX + 1` characters.
pub(crate) const WORD_PREFIX: usize = 3;
/// Initials looked up whole up to this length, longer ones in runs of one
/// more.
pub(crate) const INITIALS_WHOLE: usize = 4;
/// Spellings looked up whole up to this length, longer ones in runs of one
/// more.
pub(crate) const SPELLED_WHOLE: usize = 5;

/// The bytes a bucket aims at: big enough that there are few files, small
/// enough that a query's few buckets stay within what a phone should
/// download for it.
const BUCKET_BYTES: usize = 12 * 1024;

/// The written index.
pub(crate) struct Written {
    /// Term buckets.
    pub terms: Vec<Vec<u8>>,
    /// Place buckets.
    pub places: Vec<Vec<u8>>,
    /// The tags of the term buckets, then of the place buckets.
    pub tags: Vec<String>,
}

/// One key's entries in one field, being written.
#[derive(Default)]
struct List {
    count: u32,
    /// The last entry noted, plus one (0: none yet).
    last: u32,
    gaps: Vec<u8>,
    /// In the title: the first place in each entry.
    firsts: Vec<u8>,
}

impl List {
    fn note(&mut self, doc: u32, place: u32, title: bool) {
        if self.last == doc + 1 {
            return;
        }
        put(&mut self.gaps, doc - self.last.saturating_sub(1));
        if title {
            put(&mut self.firsts, place);
        }
        self.last = doc + 1;
        self.count += 1;
    }
}

/// One key's places in one field: per entry, the gap from the last entry,
/// then each place plus one as gaps, then 0.
#[derive(Default)]
struct Places {
    count: u32,
    last: u32,
    at: u32,
    bytes: Vec<u8>,
}

impl Places {
    fn note(&mut self, doc: u32, place: u32) {
        if self.last != doc + 1 {
            if self.last != 0 {
                self.bytes.push(0);
            }
            put(&mut self.bytes, doc - self.last.saturating_sub(1));
            self.last = doc + 1;
            self.count += 1;
            self.at = 0;
        }
        put(&mut self.bytes, place + 1 - self.at);
        self.at = place + 1;
    }

    /// The entries, as a list (with the first place in each title).
    fn entries(&self, title: bool) -> List {
        let mut list = List::default();
        let mut bytes = Bytes::new(&self.bytes);
        let mut doc = 0u32;
        for i in 0..self.count {
            let (Ok(gap), Ok(first)) = (bytes.num(), bytes.num()) else {
                break;
            };
            doc = if i == 0 { gap } else { doc + gap };
            list.note(doc, first - 1, title);
            // The rest of this entry's places, up to its 0: the one byte 0
            // there (a number's last byte is 0 only for the number 0).
            let rest = bytes.rest();
            let end = memchr::memchr(0, rest).map_or(rest.len(), |at| at + 1);
            bytes = Bytes::new(&rest[end..]);
        }
        list
    }
}

/// Numbers for characters and runs of two and three characters, so that
/// most of what is noted is found by index rather than by hashing.
#[derive(Default)]
struct Ids {
    chars: CharIds,
    pairs: PairIds,
    /// Runs of three: a pair's number and the third character's.
    triples: PairIds,
}

impl Ids {
    fn text(&self, kind: char, ids: &[u32]) -> String {
        std::iter::once(kind)
            .chain(ids.iter().map(|&i| self.chars.chars[i as usize]))
            .collect()
    }

    fn pair_text(&self, kind: char, pair: u32) -> String {
        let (a, b) = self.pairs.pairs[pair as usize];
        self.text(kind, &[a, b])
    }

    fn triple_text(&self, kind: char, triple: u32) -> String {
        let (pair, c) = self.triples.pairs[triple as usize];
        let (a, b) = self.pairs.pairs[pair as usize];
        self.text(kind, &[a, b, c])
    }
}

/// Lists by id, for the ids one field has: a slot number per id (small)
/// and the lists (large) only for the ids seen.
struct Slots<T> {
    /// Per id, its list's place in `lists` plus one (0: none).
    slot_of: Vec<u32>,
    lists: Vec<T>,
}

impl<T> Default for Slots<T> {
    fn default() -> Slots<T> {
        Slots {
            slot_of: Vec::new(),
            lists: Vec::new(),
        }
    }
}

impl<T: Default> Slots<T> {
    fn at(&mut self, id: u32) -> &mut T {
        let id = id as usize;
        if self.slot_of.len() <= id {
            self.slot_of.resize((id + 1).max(self.slot_of.len() * 2), 0);
        }
        if self.slot_of[id] == 0 {
            self.lists.push(T::default());
            self.slot_of[id] = self.lists.len() as u32;
        }
        let slot = self.slot_of[id] as usize - 1;
        &mut self.lists[slot]
    }

    fn get(&self, id: u32) -> Option<&T> {
        let slot = *self.slot_of.get(id as usize)?;
        self.lists.get(slot.checked_sub(1)? as usize)
    }
}

/// A note waiting in a block of entries: a key (an id, or a pinyin key),
/// an entry and a place.
#[derive(Clone, Copy, Default)]
struct Noted<K> {
    key: K,
    doc: u32,
    place: u32,
}

/// Notes waiting for the end of their block. Sorted by key when the block
/// ends, they touch each key's list once a block rather than once a
/// character, which is most of the time an index takes.
#[derive(Default)]
struct Pending {
    /// Per field: pairs at their first place in each entry, runs of three
    /// at every place. (Characters, few, are noted at once.)
    pairs: [Vec<Noted<u32>>; 7],
    runs: [Vec<Noted<u32>>; 7],
    /// Title pinyin: the entries of keys, and places.
    spelled: Vec<Noted<u64>>,
    spelled_places: Vec<Noted<u64>>,
    /// How many notes wait in all.
    count: usize,
    /// Sorting room.
    counts: Vec<u32>,
    sorted: Vec<Noted<u32>>,
    sorted_long: Vec<Noted<u64>>,
}

/// The notes a block holds before they are put in the lists: the more,
/// the fewer times each list is touched.
const BLOCK_NOTES: usize = 1 << 22;

/// Sorts `noted` stably by `digit` (below `digits`), through `sorted`.
fn sort_by_digit<K: Copy + Default>(
    noted: &mut Vec<Noted<K>>,
    sorted: &mut Vec<Noted<K>>,
    counts: &mut Vec<u32>,
    digits: usize,
    digit: impl Fn(K) -> usize,
) {
    counts.clear();
    counts.resize(digits + 1, 0);
    for n in noted.iter() {
        counts[digit(n.key) + 1] += 1;
    }
    for d in 1..counts.len() {
        counts[d] += counts[d - 1];
    }
    sorted.clear();
    sorted.resize(noted.len(), Noted::default());
    for &n in noted.iter() {
        let at = &mut counts[digit(n.key)];
        sorted[*at as usize] = n;
        *at += 1;
    }
    std::mem::swap(noted, sorted);
}

/// Calls `each` with every key of sorted `noted` and its notes, and
/// empties `noted`.
fn each_key<K: Copy + PartialEq>(noted: &mut Vec<Noted<K>>, mut each: impl FnMut(K, &[Noted<K>])) {
    let mut from = 0;
    while from < noted.len() {
        let key = noted[from].key;
        let len = noted[from..].iter().take_while(|n| n.key == key).count();
        each(key, &noted[from..from + len]);
        from += len;
    }
    noted.clear();
}

/// Calls `each` with every id in `noted` and its notes, in the order they
/// were made; empties `noted`. Ids are below `ids`.
fn by_id(
    noted: &mut Vec<Noted<u32>>,
    ids: usize,
    counts: &mut Vec<u32>,
    sorted: &mut Vec<Noted<u32>>,
    each: impl FnMut(u32, &[Noted<u32>]),
) {
    if noted.is_empty() {
        return;
    }
    sort_by_digit(noted, sorted, counts, ids, |id| id as usize);
    each_key(noted, each);
}

/// The bits of a pinyin key's letters.
const LETTER_BITS: u32 = 30;

/// Calls `each` with every pinyin key in `noted` and its notes, in the
/// order they were made; empties `noted`.
fn by_pinyin(
    noted: &mut Vec<Noted<u64>>,
    counts: &mut Vec<u32>,
    sorted: &mut Vec<Noted<u64>>,
    each: impl FnMut(u64, &[Noted<u64>]),
) {
    // The letters, then the kind, eleven bits at a time.
    let short = |key: u64| {
        let kind = match char::from_u32((key >> 32) as u32) {
            Some(INITIALS | INITIAL_RUNS) => 0,
            Some(SPELLED | SPELLED_AT_START) => 1,
            Some(SPELLED_ANYWHERE) => 2,
            _ => 3,
        };
        (key & ((1 << LETTER_BITS) - 1)) | (kind << LETTER_BITS)
    };
    for shift in [0, 11, 22] {
        sort_by_digit(noted, sorted, counts, 1 << 11, |key| {
            ((short(key) >> shift) & 0x7ff) as usize
        });
    }
    each_key(noted, each);
}

/// Whether `doc` is new for `id` in `seen` (the last entry of each id,
/// plus one), noting it.
fn first_in(seen: &mut Vec<u32>, id: u32, doc: u32) -> bool {
    let id = id as usize;
    if seen.len() <= id {
        seen.resize((id + 1).max(seen.len() * 2), 0);
    }
    let first = seen[id] != doc + 1;
    seen[id] = doc + 1;
    first
}

/// A word prefix (up to [`WORD_PREFIX`] characters) in a number: its
/// characters, 21 bits each, the first in the highest bits and 0 for none
/// (no word has the character 0).
fn prefix_char(c: char, n: usize) -> u64 {
    u64::from(c as u32) << (21 * (WORD_PREFIX - 1 - n))
}

fn prefix_text(key: u64) -> String {
    (0..WORD_PREFIX)
        .rev()
        .filter_map(|n| char::from_u32(((key >> (21 * n)) & 0x1f_ffff) as u32))
        .filter(|&c| c != '\0')
        .collect()
}

/// One field's lists.
#[derive(Default)]
struct FieldLists {
    /// Per character and pair id, the last entry noted plus one.
    char_seen: Vec<u32>,
    pair_seen: Vec<u32>,
    chars: Slots<List>,
    pairs: Slots<List>,
    /// Runs of three: their places (their entries, the `q` keys, are
    /// read from these when written).
    runs: Slots<Places>,
    /// Word prefixes (`w` keys, see [`prefix_char`]) and words of four
    /// characters or more.
    prefixes: FxHashMap<u64, List>,
    words: FxHashMap<String, List>,
}

/// A character's pinyin, by character id: unknown yet, none, or its
/// syllable.
#[derive(Clone, Copy, Default)]
enum Syllable {
    #[default]
    Unknown,
    None,
    Some(&'static str),
}

/// The index being built, entry by entry.
#[derive(Default)]
pub(crate) struct Builder {
    ids: Ids,
    fields: [FieldLists; 7],
    /// Title pinyin, by key (see [`kind_bits`]).
    pinyin: FxHashMap<u64, List>,
    pinyin_places: FxHashMap<u64, Places>,
    syllables: Vec<Syllable>,
    chars: Vec<u32>,
    text: Vec<char>,
    word: String,
    initials: Vec<u8>,
    spelled: Vec<u8>,
    starts: Vec<usize>,
    pending: Pending,
}

impl Builder {
    /// Indexes entry number `doc`; entries come in ascending order.
    pub(crate) fn add(&mut self, doc: u32, item: &Item) {
        let keywords = item.keywords.join(" ");
        for (f, field) in FIELDS.into_iter().enumerate() {
            let text = field_text(item, field, &keywords);
            if text.is_empty() {
                continue;
            }
            let mut chars = std::mem::take(&mut self.text);
            chars.clear();
            chars.extend(fold(text).chars());
            let mut ids = std::mem::take(&mut self.chars);
            ids.clear();
            ids.extend(chars.iter().map(|&c| self.ids.chars.id(c)));
            self.note_field(f, doc, &chars, &ids);
            if f == 0 {
                self.note_pinyin(doc, &chars, &ids);
            }
            self.text = chars;
            self.chars = ids;
        }
        if self.pending.count >= BLOCK_NOTES {
            self.flush();
        }
    }

    /// Puts the pending notes in the lists, and frees their room (done by
    /// [`Builder::finish`] if not before, but best done by the thread that
    /// added the entries).
    pub(crate) fn flush_all(&mut self) {
        self.flush();
        self.pending = Pending::default();
    }

    /// Puts the pending notes in the lists.
    fn flush(&mut self) {
        let Pending {
            pairs,
            runs,
            spelled,
            spelled_places,
            count,
            counts,
            sorted,
            sorted_long,
        } = &mut self.pending;
        let ids = &self.ids;
        for (f, lists) in self.fields.iter_mut().enumerate() {
            let title = f == 0;
            by_id(
                &mut pairs[f],
                ids.pairs.pairs.len(),
                counts,
                sorted,
                |id, notes| {
                    let list = lists.pairs.at(id);
                    for n in notes {
                        list.note(n.doc, n.place, title);
                    }
                },
            );
            by_id(
                &mut runs[f],
                ids.triples.pairs.len(),
                counts,
                sorted,
                |id, notes| {
                    let places = lists.runs.at(id);
                    for n in notes {
                        places.note(n.doc, n.place);
                    }
                },
            );
        }
        by_pinyin(spelled, counts, sorted_long, |key, notes| {
            let list = self.pinyin.entry(key).or_default();
            for n in notes {
                list.note(n.doc, 0, false);
            }
        });
        by_pinyin(spelled_places, counts, sorted_long, |key, notes| {
            let places = self.pinyin_places.entry(key).or_default();
            for n in notes {
                places.note(n.doc, n.place);
            }
        });
        *count = 0;
    }

    fn note_field(&mut self, f: usize, doc: u32, text: &[char], ids: &[u32]) {
        let title = f == 0;
        let lists = &mut self.fields[f];
        let pending = &mut self.pending;
        let before = pending.pairs[f].len() + pending.runs[f].len();
        let mut previous_pair = None;
        for (i, &id) in ids.iter().enumerate() {
            let place = i as u32;
            if first_in(&mut lists.char_seen, id, doc) {
                lists.chars.at(id).note(doc, place, title);
            }
            let Some(&next) = ids.get(i + 1) else { break };
            let pair = self.ids.pairs.id(id, next);
            if first_in(&mut lists.pair_seen, pair, doc) {
                pending.pairs[f].push(Noted {
                    key: pair,
                    doc,
                    place,
                });
            }
            if let Some(previous) = previous_pair {
                let triple = self.ids.triples.id(previous, next);
                pending.runs[f].push(Noted {
                    key: triple,
                    doc,
                    place: place - 1,
                });
            }
            previous_pair = Some(pair);
        }
        pending.count += pending.pairs[f].len() + pending.runs[f].len() - before;
        // Words: runs of Latin letters and digits.
        let mut start = None;
        for i in 0..=text.len() {
            let inside = text.get(i).is_some_and(|&c| is_word(c));
            match (inside, start) {
                (true, None) => start = Some(i),
                (false, Some(from)) => {
                    start = None;
                    let word = &text[from..i];
                    let place = from as u32;
                    let mut prefix = 0;
                    for (n, &c) in word.iter().take(WORD_PREFIX).enumerate() {
                        prefix |= prefix_char(c, n);
                        lists
                            .prefixes
                            .entry(prefix)
                            .or_default()
                            .note(doc, place, title);
                    }
                    if word.len() > WORD_PREFIX {
                        self.word.clear();
                        self.word.extend(word);
                        match lists.words.get_mut(self.word.as_str()) {
                            Some(list) => list.note(doc, place, title),
                            None => lists
                                .words
                                .entry(self.word.clone())
                                .or_default()
                                .note(doc, place, title),
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// A title's initials and spelling (see [`crate::search`]'s pinyin):
    /// one initial per character (a space where there is none), and the
    /// syllables run together, a space for anything but an ideograph.
    fn note_pinyin(&mut self, doc: u32, title: &[char], ids: &[u32]) {
        let (initials, spelled, starts) = (&mut self.initials, &mut self.spelled, &mut self.starts);
        initials.clear();
        spelled.clear();
        starts.clear();
        for (&c, &id) in title.iter().zip(ids) {
            let id = id as usize;
            if self.syllables.len() <= id {
                self.syllables
                    .resize((id + 1).max(self.syllables.len() * 2), Syllable::Unknown);
            }
            let syllable = match self.syllables[id] {
                Syllable::Unknown => {
                    let known = pinyin(c).map_or(Syllable::None, Syllable::Some);
                    self.syllables[id] = known;
                    known
                }
                known => known,
            };
            match syllable {
                Syllable::Some(syllable) => {
                    initials.push(syllable.as_bytes()[0]);
                    starts.push(spelled.len());
                    spelled.extend_from_slice(syllable.as_bytes());
                }
                _ => {
                    initials.push(if c.is_ascii_alphabetic() {
                        c as u8
                    } else {
                        b' '
                    });
                    spelled.push(b' ');
                }
            }
        }
        let pending = &mut self.pending;
        let before = pending.spelled.len() + pending.spelled_places.len();
        // Each run of letters from `from` without a space, its key growing
        // a letter at a time (see [`kind_bits`]): whole keys up to
        // `whole` letters, a place for a run of one more.
        let mut runs = |text: &[u8], from: usize, whole: usize, (kind, run_kind): (char, char)| {
            let mut letters = 0u64;
            for (i, &letter) in text[from..].iter().take(whole + 1).enumerate() {
                if letter == b' ' {
                    break;
                }
                letters |= letter_bits(letter, i);
                if i + 1 > whole {
                    pending.spelled_places.push(Noted {
                        key: kind_bits(run_kind) | letters,
                        doc,
                        place: from as u32,
                    });
                } else if i >= 1 {
                    pending.spelled.push(Noted {
                        key: kind_bits(kind) | letters,
                        doc,
                        place: 0,
                    });
                }
            }
        };
        for from in 0..initials.len() {
            runs(initials, from, INITIALS_WHOLE, (INITIALS, INITIAL_RUNS));
        }
        for &from in starts.iter() {
            runs(spelled, from, SPELLED_WHOLE, (SPELLED, SPELLED_AT_START));
        }
        // Spellings anywhere: every six letters without a space.
        let spellings = SPELLED_WHOLE + 1;
        let mut letters = 0u64;
        let mut run = 0;
        for (i, &letter) in spelled.iter().enumerate() {
            if letter == b' ' {
                run = 0;
                continue;
            }
            letters = ((letters << 5) | letter_bits(letter, 5)) & ((1 << LETTER_BITS) - 1);
            run += 1;
            if run >= spellings {
                pending.spelled_places.push(Noted {
                    key: kind_bits(SPELLED_ANYWHERE) | letters,
                    doc,
                    place: (i + 1 - spellings) as u32,
                });
            }
        }
        pending.count += pending.spelled.len() + pending.spelled_places.len() - before;
    }

    /// Writes the buckets of the index of this builder's entries and then
    /// `later`'s, built at once; `entries` is how many entries there are.
    pub(crate) fn finish(mut self, mut later: Builder, entries: u32) -> Written {
        self.flush_all();
        later.flush_all();
        // The later builder's ids in this one's numbering, and back.
        let ids = &mut self.ids;
        let chars: Vec<u32> = later
            .ids
            .chars
            .chars
            .iter()
            .map(|&c| ids.chars.id(c))
            .collect();
        let pairs: Vec<u32> = (later.ids.pairs.pairs.iter())
            .map(|&(a, b)| ids.pairs.id(chars[a as usize], chars[b as usize]))
            .collect();
        let triples: Vec<u32> = (later.ids.triples.pairs.iter())
            .map(|&(p, c)| ids.triples.id(pairs[p as usize], chars[c as usize]))
            .collect();
        let back = |theirs: &[u32], count: usize| {
            let mut back = vec![NONE; count];
            for (id, &mine) in theirs.iter().enumerate() {
                back[mine as usize] = id as u32;
            }
            back
        };
        let halves = Halves {
            later_chars: back(&chars, ids.chars.chars.len()),
            later_pairs: back(&pairs, ids.pairs.pairs.len()),
            later_triples: back(&triples, ids.triples.pairs.len()),
            ids: &self.ids,
            parts: [&self, &later],
        };
        // The records in two parts at once: the runs of three are most of
        // the work, so the other thread writes two thirds of them.
        let (mine, theirs) = std::thread::scope(|scope| {
            let theirs = scope.spawn(|| halves.records(false, entries));
            let mine = halves.records(true, entries);
            match theirs.join() {
                Ok(theirs) => (mine, theirs),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        });
        drop(halves);
        drop(self);
        drop(later);
        bucketed([mine.0, theirs.0], [mine.1, theirs.1])
    }
}

/// No id.
const NONE: u32 = u32::MAX;

/// A key's list, or places, in one field, in parts: from the builder of
/// the earlier entries, then from the later one's (either may be none).
type Parts<'a, T> = [Option<&'a T>; 2];

/// Two builders' lists, read as one's.
struct Halves<'a> {
    /// The ids of both (the earlier builder's, with the later one's
    /// added).
    ids: &'a Ids,
    parts: [&'a Builder; 2],
    /// Per id, the later builder's id ([`NONE`] for none).
    later_chars: Vec<u32>,
    later_pairs: Vec<u32>,
    later_triples: Vec<u32>,
}

impl<'a> Halves<'a> {
    /// The parts of id `id` (whose id in the later builder `later` says)
    /// that `pick` finds in field `f`.
    fn by_id<T>(
        &self,
        f: usize,
        id: u32,
        later: &[u32],
        pick: impl Fn(&'a FieldLists, u32) -> Option<&'a T>,
    ) -> Parts<'a, T> {
        let [earlier, then] = self.parts;
        let theirs = later.get(id as usize).copied().unwrap_or(NONE);
        [
            pick(&earlier.fields[f], id),
            (theirs != NONE)
                .then(|| pick(&then.fields[f], theirs))
                .flatten(),
        ]
    }

    /// Term and place records: with `first`, those of characters, pairs,
    /// words, pinyin and a third of the runs of three; else the other runs.
    fn records(&self, first: bool, entries: u32) -> (Records, Records) {
        let mut terms: Records = Vec::new();
        let mut places: Records = Vec::new();
        let ids = self.ids;
        let mine = |id: u32| (id % 3 == 0) == first;
        let runs = |l: &'a FieldLists, id: u32| l.runs.get(id).filter(|p| p.count > 0);
        for id in (0..ids.triples.pairs.len() as u32).filter(|&id| mine(id)) {
            let mut lists: Vec<(usize, [Option<List>; 2])> = Vec::new();
            let mut payload = Vec::new();
            for f in 0..FIELDS.len() {
                let parts = self.by_id(f, id, &self.later_triples, runs);
                if parts.iter().any(Option::is_some) {
                    lists.push((f, parts.map(|p| p.map(|p| p.entries(f == 0)))));
                    write_places(&mut payload, f, parts);
                }
            }
            if !lists.is_empty() {
                let lists: Vec<(usize, Parts<List>)> = (lists.iter())
                    .map(|(f, parts)| (*f, [parts[0].as_ref(), parts[1].as_ref()]))
                    .collect();
                record(
                    &mut terms,
                    &mut places,
                    ids.triple_text(TRIPLE, id),
                    &lists,
                    entries,
                );
                places.push((ids.triple_text(RUNS, id), payload));
            }
        }
        if !first {
            return (terms, places);
        }
        // Lists by id, in every field.
        let mut by_id =
            |count: usize,
             text: &dyn Fn(u32) -> String,
             later: &[u32],
             pick: &dyn Fn(&'a FieldLists, u32) -> Option<&'a List>| {
                for id in 0..count as u32 {
                    let lists: Vec<(usize, Parts<List>)> = (0..FIELDS.len())
                        .map(|f| {
                            let parts = self
                                .by_id(f, id, later, |l, id| pick(l, id).filter(|l| l.count > 0));
                            (f, parts)
                        })
                        .filter(|(_, parts)| parts.iter().any(Option::is_some))
                        .collect();
                    if !lists.is_empty() {
                        record(&mut terms, &mut places, text(id), &lists, entries);
                    }
                }
            };
        by_id(
            ids.chars.chars.len(),
            &|id| ids.text(CHAR, &[id]),
            &self.later_chars,
            &|l, id| l.chars.get(id),
        );
        by_id(
            ids.pairs.pairs.len(),
            &|id| ids.pair_text(PAIR, id),
            &self.later_pairs,
            &|l, id| l.pairs.get(id),
        );
        let [earlier, later] = self.parts;
        let fields = || earlier.fields.iter().chain(&later.fields);
        // Word prefixes, and words under their first characters.
        let mut prefixes: Vec<u64> = fields().flat_map(|l| l.prefixes.keys().copied()).collect();
        prefixes.sort_unstable();
        prefixes.dedup();
        let in_field = |f: usize, pick: &dyn Fn(&'a FieldLists) -> Option<&'a List>| {
            [pick(&earlier.fields[f]), pick(&later.fields[f])]
        };
        for prefix in prefixes {
            let lists: Vec<(usize, Parts<List>)> = (0..FIELDS.len())
                .map(|f| (f, in_field(f, &|l| l.prefixes.get(&prefix))))
                .filter(|(_, parts)| parts.iter().any(Option::is_some))
                .collect();
            record(
                &mut terms,
                &mut places,
                format!("{WORD_START}{}", prefix_text(prefix)),
                &lists,
                entries,
            );
        }
        let mut words: Vec<&String> = fields().flat_map(|l| l.words.keys()).collect();
        words.sort_unstable();
        words.dedup();
        let mut grouped: Vec<(String, Vec<u8>, u32)> = Vec::new();
        for word in words {
            let key: String = std::iter::once(WORDS)
                .chain(word.chars().take(WORD_PREFIX + 1))
                .collect();
            if grouped.last().is_none_or(|(k, _, _)| *k != key) {
                grouped.push((key, Vec::new(), 0));
            }
            let Some((_, payload, count)) = grouped.last_mut() else {
                continue;
            };
            *count += 1;
            put_text(payload, word);
            let mut lists = Vec::new();
            for f in 0..FIELDS.len() {
                let parts = in_field(f, &|l| l.words.get(word.as_str()));
                if parts.iter().any(Option::is_some) {
                    write_list(&mut lists, f, parts, entries);
                    if f == 0 {
                        for part in parts.iter().flatten() {
                            lists.extend_from_slice(&part.firsts);
                        }
                    }
                }
            }
            put(payload, lists.len() as u32);
            payload.extend_from_slice(&lists);
        }
        for (key, words, count) in grouped {
            let mut payload = Vec::new();
            put(&mut payload, count);
            payload.extend_from_slice(&words);
            terms.push((key, payload));
        }
        // Title pinyin.
        let keys = |earlier: Vec<u64>, later: Vec<u64>, has: &dyn Fn(&u64) -> bool| {
            let mut keys = earlier;
            keys.extend(later.into_iter().filter(|k| !has(k)));
            keys
        };
        for key in keys(
            earlier.pinyin.keys().copied().collect(),
            later.pinyin.keys().copied().collect(),
            &|k| earlier.pinyin.contains_key(k),
        ) {
            let mut payload = Vec::new();
            let parts = [earlier.pinyin.get(&key), later.pinyin.get(&key)];
            write_list(&mut payload, 0, parts, entries);
            terms.push((pinyin_text(key), payload));
        }
        for key in keys(
            earlier.pinyin_places.keys().copied().collect(),
            later.pinyin_places.keys().copied().collect(),
            &|k| earlier.pinyin_places.contains_key(k),
        ) {
            let mut payload = Vec::new();
            let parts = [
                earlier.pinyin_places.get(&key),
                later.pinyin_places.get(&key),
            ];
            write_places(&mut payload, 0, parts);
            places.push((pinyin_text(key), payload));
        }
        (terms, places)
    }
}

/// Records: keys and their payloads.
type Records = Vec<(String, Vec<u8>)>;

/// A pinyin key is a number: its kind, then up to six lower-case letters
/// of five bits each, the first in the highest bits. This is its kind.
fn kind_bits(kind: char) -> u64 {
    u64::from(kind as u32) << 32
}

/// A pinyin key's letter number `i` (below six).
fn letter_bits(letter: u8, i: usize) -> u64 {
    (u64::from(letter.wrapping_sub(b'a') & 31) + 1) << (25 - 5 * i)
}

fn pinyin_text(key: u64) -> String {
    let mut text = String::new();
    text.extend(char::from_u32((key >> 32) as u32));
    for i in 0..6 {
        let letter = (key >> (25 - 5 * i)) & 31;
        if letter > 0 {
            text.push((b'a' + letter as u8 - 1) as char);
        }
    }
    text
}

/// Adds a term key's record, and its `F` record if it is in titles.
fn record(
    terms: &mut Records,
    places: &mut Records,
    key: String,
    lists: &[(usize, Parts<List>)],
    entries: u32,
) {
    let mut payload = Vec::new();
    for &(f, parts) in lists {
        write_list(&mut payload, f, parts, entries);
    }
    if let Some(&(0, title)) = lists.first() {
        let mut firsts = Vec::new();
        put(&mut firsts, title.iter().flatten().map(|l| l.count).sum());
        let gaps = spliced(title.iter().flatten().map(|l| (&l.gaps[..], l.last)), false);
        put(&mut firsts, gaps.len() as u32);
        gaps.write(&mut firsts);
        for part in title.iter().flatten() {
            firsts.extend_from_slice(&part.firsts);
        }
        places.push((format!("{FIRSTS}{key}"), firsts));
    }
    terms.push((key, payload));
}

/// Numbers written by builders of later and later entries, read as one
/// builder's: each part's first number, a gap from no entry, re-counted
/// from the last entry before it (an entry number plus one, 0 for none);
/// with `separated`, a 0 before each part but the first.
struct Spliced<'b> {
    parts: Vec<(bool, Option<u32>, &'b [u8])>,
}

fn spliced<'b>(parts: impl Iterator<Item = (&'b [u8], u32)>, separated: bool) -> Spliced<'b> {
    let mut last = 0;
    let parts = parts
        .map(|(bytes, part_last)| {
            let before = last;
            last = part_last;
            if before == 0 {
                return (false, None, bytes);
            }
            let mut read = Bytes::new(bytes);
            match read.num() {
                Ok(first) => (separated, Some(first - (before - 1)), read.rest()),
                Err(_) => (separated, None, bytes),
            }
        })
        .collect();
    Spliced { parts }
}

impl Spliced<'_> {
    fn len(&self) -> usize {
        (self.parts.iter())
            .map(|&(separated, first, rest)| {
                usize::from(separated) + first.map_or(0, put_len) + rest.len()
            })
            .sum()
    }

    fn write(&self, out: &mut Vec<u8>) {
        for &(separated, first, rest) in &self.parts {
            if separated {
                out.push(0);
            }
            if let Some(first) = first {
                put(out, first);
            }
            out.extend_from_slice(rest);
        }
    }
}

/// How many bytes [`put`] writes for `n`.
fn put_len(n: u32) -> usize {
    (32 - (n | 1).leading_zeros()).div_ceil(7) as usize
}

/// Appends field `f`'s list of entries: the field, how many, then the
/// length of what follows times two, plus one for a bitmap (one bit per
/// entry, low bit first) when that is smaller than the gaps.
fn write_list(out: &mut Vec<u8>, f: usize, parts: Parts<List>, entries: u32) {
    out.push(f as u8);
    put(out, parts.iter().flatten().map(|l| l.count).sum());
    let gaps = spliced(parts.iter().flatten().map(|l| (&l.gaps[..], l.last)), false);
    let bitmap = (entries as usize).div_ceil(8);
    if bitmap < gaps.len() {
        let mut bits = vec![0u8; bitmap];
        for list in parts.iter().flatten() {
            let mut gaps = Bytes::new(&list.gaps);
            let mut doc = 0u32;
            for i in 0..list.count {
                let gap = gaps.num().unwrap_or(0);
                doc = if i == 0 { gap } else { doc + gap };
                bits[doc as usize / 8] |= 1 << (doc % 8);
            }
        }
        put(out, bitmap as u32 * 2 + 1);
        out.extend_from_slice(&bits);
    } else {
        put(out, gaps.len() as u32 * 2);
        gaps.write(out);
    }
}

/// Appends field `f`'s places: the field, how many entries, the length of
/// what follows, then per entry its gap and places (see [`Places`]).
fn write_places(out: &mut Vec<u8>, f: usize, parts: Parts<Places>) {
    out.push(f as u8);
    put(out, parts.iter().flatten().map(|p| p.count).sum());
    let bytes = spliced(parts.iter().flatten().map(|p| (&p.bytes[..], p.last)), true);
    put(out, bytes.len() as u32 + 1);
    bytes.write(out);
    out.push(0);
}

/// Puts each record of the term and place records in its bucket, in key
/// order: its key, the length of its payload, the payload. The buckets
/// are written by two threads at once.
fn bucketed(terms: [Records; 2], places: [Records; 2]) -> Written {
    let sorted = |parts: [Records; 2]| {
        let total: usize = parts
            .iter()
            .flatten()
            .map(|(k, p)| k.len() + p.len() + 4)
            .sum();
        let count = total.div_ceil(BUCKET_BYTES).max(1) as u32;
        let mut sorted: Vec<Records> = (0..count).map(|_| Vec::new()).collect();
        for (key, payload) in parts.into_iter().flatten() {
            sorted[bucket(&key, count) as usize].push((key, payload));
        }
        sorted
    };
    let (terms, places) = (sorted(terms), sorted(places));
    let term_count = terms.len();
    let mut all: Vec<Records> = terms.into_iter().chain(places).collect();
    // Half the bytes each.
    let size =
        |records: &Records| -> usize { records.iter().map(|(k, p)| k.len() + p.len()).sum() };
    let total: usize = all.iter().map(size).sum();
    let mut half = 0;
    let mut bytes = 0;
    while half < all.len() && bytes < total / 2 {
        bytes += size(&all[half]);
        half += 1;
    }
    let later = all.split_off(half);
    let write = |buckets: Vec<Records>| -> Vec<(Vec<u8>, String)> {
        buckets
            .into_iter()
            .map(|mut records| {
                // Sorted, so that the bytes depend on the keys alone.
                records.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                let mut out = Vec::with_capacity(size(&records) + 8 * records.len());
                for (key, payload) in records {
                    put_text(&mut out, &key);
                    put(&mut out, payload.len() as u32);
                    out.extend_from_slice(&payload);
                }
                let tag = tag(&out);
                (out, tag)
            })
            .collect()
    };
    let written = std::thread::scope(|scope| {
        let later = scope.spawn(|| write(later));
        let mut written = write(all);
        match later.join() {
            Ok(later) => written.extend(later),
            Err(panic) => std::panic::resume_unwind(panic),
        }
        written
    });
    let tags = written.iter().map(|(_, tag)| tag.clone()).collect();
    let mut terms: Vec<Vec<u8>> = written.into_iter().map(|(bucket, _)| bucket).collect();
    let places = terms.split_off(term_count);
    Written {
        terms,
        places,
        tags,
    }
}

#[cfg(test)]
mod timing {
    use super::*;

    /// `XXGK_CATALOGUE=FILE cargo test --profile native -p xxgk-core --lib
    /// timing -- --ignored --nocapture`: the time to index a catalogue on
    /// one thread, the best of three.
    #[test]
    #[ignore]
    fn index_building() {
        let Some(file) = std::env::var_os("XXGK_CATALOGUE") else {
            return;
        };
        let bytes = std::fs::read(&file).unwrap();
        let catalogue = crate::Catalogue::parse("catalogue", &bytes).unwrap();
        let items: Vec<&Item> = catalogue.items.iter().take(50_000).collect();
        let mut best = f64::MAX;
        for _ in 0..3 {
            let start = std::time::Instant::now();
            let mut builder = Builder::default();
            for (n, item) in items.iter().enumerate() {
                builder.add(n as u32, item);
            }
            builder.flush_all();
            best = best.min(start.elapsed().as_secs_f64());
            drop(builder);
        }
        eprintln!("indexing {} entries: {best:.3} s", items.len());
    }
}
