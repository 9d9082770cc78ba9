//! The search index of a catalogue, and how a query is answered.

use super::fold::{fold, fold_char, is_word};
use super::ids::{CharIds, PairIds};
use super::pinyin::Pinyin;
use super::postings::{code_gap, Bits, Postings};
use super::query::{Query, Term, TermKind};
use crate::{Catalogue, Item};
use memchr::memmem::Finder;
use rustc_hash::FxHashMap;

/// How much a match in each field counts, and the other ranking knobs. An
/// entry's score is, for each term, the weight of the best field the term
/// occurs in, plus the closeness bonus; entries with equal scores are
/// ordered newest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Weights {
    /// 名称.
    pub title: u32,
    /// 文号.
    pub doc_number: u32,
    /// 索引号.
    pub id: u32,
    /// 主题词.
    pub keywords: u32,
    /// 发布机构.
    pub publisher: u32,
    /// 内容概述.
    pub summary: u32,
    /// The full text.
    pub body: u32,
    /// The title's pinyin (initials or full spelling): below every text
    /// match, since a Latin term read as pinyin is a guess.
    pub pinyin: u32,
    /// Added when a query of two or more terms finds all of them in the
    /// title, scaled down by how far apart they are.
    pub closeness: u32,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights {
            title: 16,
            doc_number: 16,
            id: 12,
            keywords: 8,
            publisher: 6,
            summary: 4,
            body: 2,
            pinyin: 1,
            closeness: 8,
        }
    }
}

/// The fields searched, best first (matches are looked for in this order).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Field {
    Title,
    DocNumber,
    Id,
    Keywords,
    Publisher,
    Summary,
    Body,
}

pub(crate) const FIELDS: [Field; 7] = [
    Field::Title,
    Field::DocNumber,
    Field::Id,
    Field::Keywords,
    Field::Publisher,
    Field::Summary,
    Field::Body,
];

impl Weights {
    pub(crate) fn of(&self, field: Field) -> u32 {
        match field {
            Field::Title => self.title,
            Field::DocNumber => self.doc_number,
            Field::Id => self.id,
            Field::Keywords => self.keywords,
            Field::Publisher => self.publisher,
            Field::Summary => self.summary,
            Field::Body => self.body,
        }
    }
}

/// Which entries have each character and each pair of adjacent characters
/// in one field.
#[derive(Default)]
struct FieldIndex {
    chars: FxHashMap<char, Postings>,
    pairs: FxHashMap<(char, char), Postings>,
}

/// A catalogue's search index.
///
/// For every field, the entries whose folded text has each character and
/// each pair of adjacent characters. A term of one or two characters is
/// answered from these lists alone, exactly; a longer one from the lists of
/// its pairs and then checked in the text. The folded text itself is not
/// kept: folding nearly always maps one character to one, so the text is
/// checked by folding it as it is read; the few fields where folding is not
/// one-to-one (a pinyin artefact, an NFKC expansion) are kept folded.
pub struct SearchIndex {
    fields: [FieldIndex; 7],
    /// Per field, the words (runs of Latin letters and digits), for terms
    /// that match the start of a word.
    words: [Words; 7],
    /// Fields whose folded text is not the character-by-character fold.
    folded: FxHashMap<(u32, u8), Box<str>>,
    /// Per entry, a bit (see [`bit`]) for each character its fold produced
    /// from a different one: a term with none of these bits is in the
    /// folded text exactly where it is in the text as written.
    changed: Vec<u64>,
    pinyin: Pinyin,
    /// The entries newest first, for ties.
    newest: Vec<u32>,
    weights: Weights,
}

impl SearchIndex {
    /// Indexes every entry of a catalogue, with the default [`Weights`].
    pub fn build(catalogue: &Catalogue) -> SearchIndex {
        SearchIndex::build_with_weights(catalogue, Weights::default())
    }

    /// Indexes every entry of a catalogue, ranking with `weights`.
    pub fn build_with_weights(catalogue: &Catalogue, weights: Weights) -> SearchIndex {
        let count = catalogue.items.len();
        let newest = catalogue.newest_first().iter().map(|&i| i as u32).collect();
        let mut lists = Lists::default();
        let mut words: [WordLists; 7] = Default::default();
        let mut folded = FxHashMap::default();
        let mut changed = vec![0u64; count];
        let mut titles = Vec::with_capacity(count);
        let mut keywords = String::new();
        let mut text_chars: Vec<char> = Vec::new();
        for (doc, item) in catalogue.items.iter().enumerate() {
            let doc = doc as u32;
            keywords.clear();
            keywords.push_str(&item.keywords.join(" "));
            for field in FIELDS {
                let text = field_text(item, field, &keywords);
                text_chars.clear();
                if !fold_charwise(text, &mut text_chars, &mut changed[doc as usize]) {
                    let whole = fold(text);
                    text_chars.clear();
                    text_chars.extend(whole.chars());
                    folded.insert((doc, field as u8), whole.into_boxed_str());
                }
                lists.note(field as usize, doc, &text_chars);
                words[field as usize].note(doc, &text_chars);
                if field == Field::Title {
                    titles.push(text_chars.iter().collect::<String>());
                }
            }
        }
        SearchIndex {
            fields: lists.finish(count),
            words: words.map(|w| w.finish(count)),
            folded,
            changed,
            pinyin: Pinyin::new(&titles),
            newest,
            weights,
        }
    }

    /// The entries matching every term of `query`, best first, as indexes
    /// into [`Catalogue::items`]; `None` if the query has no terms (so the
    /// widget shows the plain list).
    pub fn search(&self, catalogue: &Catalogue, query: &Query) -> Option<Vec<usize>> {
        if query.is_empty() {
            return None;
        }
        let count = self.newest.len();
        let mut scores = vec![0u32; count];
        // How many terms each entry has in its title.
        let mut in_title = vec![0u8; count];
        // The entries with every term so far, one bit each.
        let mut alive = Bits::all(count);
        // Terms the lists answer first, then the longest: each term is
        // looked for only in entries that have every term before it.
        let checks: Vec<Check> = query.terms.iter().map(Check::new).collect();
        let mut order: Vec<&Check> = checks.iter().collect();
        order.sort_by_key(|c| (!c.term.exact(), std::cmp::Reverse(c.term.chars.len())));
        for check in order {
            let term = check.term;
            // The entries given a field for this term.
            let mut found = Bits::none(count);
            for field in FIELDS {
                let weight = self.weights.of(field);
                let mut open = alive.clone();
                open.remove(&found);
                self.narrow(&mut open, term, field);
                for doc in open.iter() {
                    if term.exact() || self.occurs(catalogue, doc, field, check) {
                        found.insert(doc);
                        scores[doc as usize] += weight;
                        in_title[doc as usize] += u8::from(field == Field::Title);
                    }
                }
            }
            if term.pinyin {
                for doc in self.pinyin.matches(&term.text) {
                    if alive.contains(doc) && !found.contains(doc) {
                        found.insert(doc);
                        scores[doc as usize] += self.weights.pinyin;
                    }
                }
            }
            alive = found;
        }
        let terms = query.terms.len() as u8;
        if query.terms.len() > 1 {
            for doc in alive.iter() {
                if in_title[doc as usize] == terms {
                    scores[doc as usize] += self.closeness(catalogue, doc, &checks);
                }
            }
        }
        // Best score first, newest first within a score: a counting sort
        // by score of the entries taken newest first.
        let Some(top) = alive.iter().map(|d| scores[d as usize]).max() else {
            return Some(Vec::new());
        };
        let mut starts = vec![0usize; top as usize + 2];
        for doc in alive.iter() {
            starts[(top - scores[doc as usize]) as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut hits = vec![0usize; starts[starts.len() - 1]];
        for &doc in &self.newest {
            if alive.contains(doc) {
                let at = &mut starts[(top - scores[doc as usize]) as usize];
                hits[*at] = doc as usize;
                *at += 1;
            }
        }
        Some(hits)
    }

    /// Keeps in `open` only the entries whose `field` may have `term`:
    /// exactly those for an exact term (see [`Term::exact`]), a superset
    /// otherwise.
    fn narrow(&self, open: &mut Bits, term: &Term, field: Field) {
        if term.kind == TermKind::Word {
            let mut words = Bits::none(open.len);
            for doc in self.words[field as usize].starting(&term.text) {
                words.insert(doc);
            }
            open.keep(&words);
            return;
        }
        let index = &self.fields[field as usize];
        match term.chars.as_slice() {
            [] => open.clear(),
            [one] => match index.chars.get(one) {
                Some(list) => list.keep_in(&mut open.words),
                None => open.clear(),
            },
            chars => {
                for pair in chars.windows(2) {
                    match index.pairs.get(&(pair[0], pair[1])) {
                        Some(list) => list.keep_in(&mut open.words),
                        None => return open.clear(),
                    }
                }
            }
        }
    }

    /// Whether a substring term occurs in `field` of entry `doc`: looked
    /// for in the text as written when the fold changed none of the term's
    /// characters there (nearly always), else in the text folded as read.
    fn occurs(&self, catalogue: &Catalogue, doc: u32, field: Field, check: &Check) -> bool {
        if let Some(folded) = self.folded.get(&(doc, field as u8)) {
            return check.finder.find(folded.as_bytes()).is_some();
        }
        let item = &catalogue.items[doc as usize];
        let as_written = self.changed[doc as usize] & check.bits == 0;
        if field == Field::Keywords {
            // A term has no space, so it is within one keyword.
            return item.keywords.iter().any(|k| check.occurs(k, as_written));
        }
        check.occurs(field_text(item, field, ""), as_written)
    }

    /// The bonus for all terms in the title (as they are in entry `doc`'s),
    /// by how close they are; `checks` are the query's terms.
    fn closeness(&self, catalogue: &Catalogue, doc: u32, checks: &[Check]) -> u32 {
        let folded = self.folded.get(&(doc, Field::Title as u8));
        let title = &catalogue.items[doc as usize].title;
        let changed = self.changed[doc as usize];
        let starts: Option<Vec<usize>> = checks
            .iter()
            .map(|check| match folded {
                Some(folded) => check.first(folded, true),
                None => check.first(title, changed & check.bits == 0),
            })
            .collect();
        let Some(starts) = starts else { return 0 };
        let span = starts.iter().max().unwrap_or(&0) - starts.iter().min().unwrap_or(&0);
        self.weights.closeness * 4 / (4 + span as u32)
    }

    /// The bytes the index holds, for the memory budget.
    pub fn heap_bytes(&self) -> usize {
        // A hash table entry: key, value, one control byte, at 7/8 load.
        let table = |len: usize, entry: usize| len * (entry + 1) * 8 / 7;
        let postings = std::mem::size_of::<Postings>();
        let fields: usize = self
            .fields
            .iter()
            .map(|f| {
                table(f.chars.capacity(), 4 + postings)
                    + table(f.pairs.capacity(), 8 + postings)
                    + f.chars
                        .values()
                        .chain(f.pairs.values())
                        .map(Postings::heap_bytes)
                        .sum::<usize>()
            })
            .sum();
        fields
            + self.words.iter().map(Words::heap_bytes).sum::<usize>()
            + self.changed.capacity() * 8
            + table(self.folded.capacity(), 8 + 16)
            + self.folded.values().map(|f| f.len()).sum::<usize>()
            + self.pinyin.heap_bytes()
            + self.newest.capacity() * 4
    }
}

/// A term made ready to be looked for in many texts.
struct Check<'t> {
    term: &'t Term,
    finder: Finder<'t>,
    /// The bits (see [`bit`]) of its characters.
    bits: u64,
}

impl<'t> Check<'t> {
    fn new(term: &'t Term) -> Check<'t> {
        Check {
            term,
            finder: Finder::new(term.text.as_bytes()),
            bits: term.chars.iter().fold(0, |bits, &c| bits | bit(c)),
        }
    }

    /// Whether a substring term is in the fold of `text`; `as_written`
    /// when no character of the term comes from folding a different one
    /// there.
    fn occurs(&self, text: &str, as_written: bool) -> bool {
        if as_written {
            self.finder.find(text.as_bytes()).is_some()
        } else {
            self.term
                .first_in(text.chars().filter_map(fold_char))
                .is_some()
        }
    }

    /// Where the term first is in the fold of `text`, in characters (for a
    /// word term, at the start of a word); `as_written` as for
    /// [`Check::occurs`].
    fn first(&self, text: &str, as_written: bool) -> Option<usize> {
        if !as_written {
            return self.term.first_in(text.chars().filter_map(fold_char));
        }
        self.finder
            .find_iter(text.as_bytes())
            .find(|&at| {
                self.term.kind == TermKind::Substring
                    || !text[..at]
                        .chars()
                        .next_back()
                        .and_then(fold_char)
                        .is_some_and(is_word)
            })
            .map(|at| text[..at].chars().count())
    }
}

/// One of 64 bits for a character: ASCII (what full-width letters, digits
/// and punctuation fold to) in the low half, others in the high half, so
/// the punctuation of nearly every Chinese text does not hide its
/// ideographs.
fn bit(c: char) -> u64 {
    if c.is_ascii() {
        1 << (c as u32 & 31)
    } else {
        1 << (32 + ((c as u32).wrapping_mul(0x9E37_79B1) >> 27))
    }
}

impl Term {
    /// Whether the lists alone decide: a substring term of one or two
    /// characters is in a field exactly when its character or pair is, and
    /// a word term when a word starts with it.
    pub(crate) fn exact(&self) -> bool {
        self.kind == TermKind::Word || self.chars.len() <= 2
    }
}

/// The catalogue's text of a field of an entry; keywords, which it keeps as
/// a list, joined by spaces (into `keywords`).
pub(crate) fn field_text<'a>(item: &'a Item, field: Field, keywords: &'a str) -> &'a str {
    match field {
        Field::Title => &item.title,
        Field::DocNumber => item.doc_number.as_deref().unwrap_or_default(),
        Field::Id => &item.id,
        Field::Keywords => keywords,
        Field::Publisher => &item.publisher,
        Field::Summary => item.summary.as_deref().unwrap_or_default(),
        Field::Body => item.body.as_deref().unwrap_or_default(),
    }
}

/// Folds `text` one character at a time into `out`, and says whether that
/// is the fold of the whole text (nearly always: not for a pinyin
/// artefact, a combining accent, an NFKC expansion). Notes in `changed` the [`bit`] of every character the fold produced
/// from a different one.
fn fold_charwise(text: &str, out: &mut Vec<char>, changed: &mut u64) -> bool {
    for c in text.chars() {
        match fold_char(c) {
            Some(f) if !affects_neighbours(c) => {
                if f != c {
                    *changed |= bit(f);
                }
                out.push(f);
            }
            _ => return false,
        }
    }
    true
}

/// Characters whose fold depends on the characters around them: pinyin
/// tone letters (an artefact like `鄉(xiāng)` is dropped whole), combining
/// marks and Hangul jamo (NFKC composes them with their neighbour), the
/// half-width katakana voicing marks. The common ranges of Chinese text are
/// ruled out first.
fn affects_neighbours(c: char) -> bool {
    match c {
        '\0'..='\u{bf}'
        | '\u{2000}'..='\u{2bff}'
        | '\u{3000}'..='\u{3098}'
        | '\u{309b}'..='\u{312f}' => false,
        '\u{3190}'..='\u{9fff}' | '\u{ff00}'..='\u{ff9d}' | '\u{ffa0}'..='\u{ffef}' => false,
        '\u{c0}'..='\u{24f}' | '\u{1e00}'..='\u{1eff}' => true,
        '\u{1100}'..='\u{11ff}' | '\u{3130}'..='\u{318f}' | '\u{ff9e}' | '\u{ff9f}' => true,
        c => unicode_normalization::char::is_combining_mark(c),
    }
}

/// The lists being built: for each field and each character and pair, the
/// entries in order. Characters get small numbers so that a pair is one
/// number and each list is found by index, not by hashing, while millions
/// of characters stream through. What is noted is sorted by list and coded
/// a chunk at a time, each chunk in one buffer, and the lists are put
/// together at the end, so building holds little more than the lists and
/// allocates little.
#[derive(Default)]
struct Lists {
    chars: CharIds,
    pairs: PairIds,
    /// Per field: (list, entry) noted since the last chunk was coded;
    /// lists are character ids times two, pair ids times two plus one.
    noted: [Vec<(u32, u32)>; 7],
    /// Per field and list: the last entry noted, to note each once.
    last: [Vec<u32>; 7],
    /// Per field and list: what is coded so far.
    coded: [Vec<Coded>; 7],
    /// Per field: the coded chunks.
    chunks: [Vec<Chunk>; 7],
}

/// How much of one list is coded.
#[derive(Clone, Copy, Default)]
struct Coded {
    bytes: u32,
    count: u32,
    /// The last entry coded (the gaps count from it).
    last: u32,
}

/// Part of every list of a field, coded: the lists' bytes one after the
/// other, and where each list's part ends.
struct Chunk {
    bytes: Vec<u8>,
    ends: Vec<(u32, u32)>,
}

/// Entries noted before a chunk is coded.
const CHUNK: usize = 1 << 16;

impl Lists {
    fn note(&mut self, field: usize, doc: u32, text: &[char]) {
        let mut previous: Option<u32> = None;
        for &c in text {
            let id = self.chars.id(c);
            self.mark(field, id * 2, doc);
            if let Some(before) = previous {
                let pair = self.pairs.id(before, id);
                self.mark(field, pair * 2 + 1, doc);
            }
            previous = Some(id);
        }
        if self.noted[field].len() >= CHUNK {
            self.code(field);
        }
    }

    fn mark(&mut self, field: usize, list: u32, doc: u32) {
        let last = &mut self.last[field];
        if last.len() <= list as usize {
            last.resize((list as usize + 1).max(last.len() * 2), u32::MAX);
        }
        if last[list as usize] != doc {
            last[list as usize] = doc;
            self.noted[field].push((list, doc));
        }
    }

    /// Codes what was noted in `field` as a chunk: sorted by list (a
    /// counting sort, which keeps each list's entries ascending), then
    /// each list's entries as gaps.
    fn code(&mut self, field: usize) {
        let noted = std::mem::take(&mut self.noted[field]);
        if noted.is_empty() {
            return;
        }
        let lists = self.last[field].len();
        let coded = &mut self.coded[field];
        coded.resize(lists, Coded::default());
        let mut starts = vec![0u32; lists + 1];
        for &(list, _) in &noted {
            starts[list as usize + 1] += 1;
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut docs = vec![0u32; noted.len()];
        {
            let mut next = starts.clone();
            for &(list, doc) in &noted {
                let at = &mut next[list as usize];
                docs[*at as usize] = doc;
                *at += 1;
            }
        }
        let mut chunk = Chunk {
            bytes: Vec::with_capacity(noted.len() + noted.len() / 4),
            ends: Vec::new(),
        };
        for (list, range) in starts.windows(2).enumerate() {
            let (from, to) = (range[0] as usize, range[1] as usize);
            if from == to {
                continue;
            }
            let before = chunk.bytes.len();
            let coded = &mut coded[list];
            for &doc in &docs[from..to] {
                code_gap(&mut chunk.bytes, doc - coded.last);
                coded.last = doc;
            }
            coded.count += (to - from) as u32;
            coded.bytes += (chunk.bytes.len() - before) as u32;
            chunk.ends.push((list as u32, chunk.bytes.len() as u32));
        }
        self.chunks[field].push(chunk);
        // Keep the buffer for the next chunk.
        let mut noted = noted;
        noted.clear();
        self.noted[field] = noted;
    }

    fn finish(mut self, count: usize) -> [FieldIndex; 7] {
        for field in 0..7 {
            self.code(field);
        }
        let Lists {
            chars,
            pairs,
            coded,
            chunks,
            ..
        } = self;
        let mut fields: [FieldIndex; 7] = Default::default();
        for ((index, coded), chunks) in fields.iter_mut().zip(coded).zip(chunks) {
            let mut gaps: Vec<Vec<u8>> = coded
                .iter()
                .map(|c| Vec::with_capacity(c.bytes as usize))
                .collect();
            for chunk in chunks {
                let mut start = 0;
                for &(list, end) in &chunk.ends {
                    gaps[list as usize].extend_from_slice(&chunk.bytes[start..end as usize]);
                    start = end as usize;
                }
            }
            for (list, (gaps, coded)) in gaps.into_iter().zip(coded).enumerate() {
                if coded.count == 0 {
                    continue;
                }
                let postings = Postings::from_gaps(gaps, coded.count, count);
                if list % 2 == 0 {
                    index.chars.insert(chars.chars[list / 2], postings);
                } else {
                    let (a, b) = pairs.pairs[list / 2];
                    let pair = (chars.chars[a as usize], chars.chars[b as usize]);
                    index.pairs.insert(pair, postings);
                }
            }
        }
        fields
    }
}

/// The words of one field: runs of Latin letters and digits, sorted, each
/// with the entries that have it.
#[derive(Default)]
struct Words {
    words: Vec<Box<str>>,
    postings: Vec<Postings>,
}

impl Words {
    /// The entries with a word starting with `prefix`, ascending.
    fn starting(&self, prefix: &str) -> Vec<u32> {
        let from = self.words.partition_point(|w| &**w < prefix);
        let mut docs: Vec<u32> = self.words[from..]
            .iter()
            .zip(&self.postings[from..])
            .take_while(|(w, _)| w.starts_with(prefix))
            .flat_map(|(_, p)| p.docs())
            .collect();
        docs.sort_unstable();
        docs.dedup();
        docs
    }

    fn heap_bytes(&self) -> usize {
        self.words.capacity() * 16
            + self.words.iter().map(|w| w.len()).sum::<usize>()
            + self.postings.capacity() * std::mem::size_of::<Postings>()
            + self
                .postings
                .iter()
                .map(Postings::heap_bytes)
                .sum::<usize>()
    }
}

/// The words of one field being noted, entry by entry.
#[derive(Default)]
struct WordLists {
    docs: FxHashMap<String, Vec<u32>>,
    word: String,
}

impl WordLists {
    fn note(&mut self, doc: u32, text: &[char]) {
        for (i, &c) in text.iter().enumerate() {
            if is_word(c) {
                self.word.push(c);
            }
            let ends = !self.word.is_empty() && text.get(i + 1).is_none_or(|&n| !is_word(n));
            if ends {
                let docs = match self.docs.get_mut(self.word.as_str()) {
                    Some(docs) => docs,
                    None => self.docs.entry(self.word.clone()).or_default(),
                };
                if docs.last() != Some(&doc) {
                    docs.push(doc);
                }
                self.word.clear();
            }
        }
    }

    fn finish(self, count: usize) -> Words {
        let mut sorted: Vec<(String, Vec<u32>)> = self.docs.into_iter().collect();
        sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let (words, postings) = sorted
            .into_iter()
            .map(|(word, docs)| (word.into_boxed_str(), Postings::new(&docs, count)))
            .unzip();
        Words { words, postings }
    }
}
