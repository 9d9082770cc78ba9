//! Searching a bundle: the index buckets a query needs (see
//! [`super::terms`]), and the same ranking as
//! [`crate::search::SearchIndex::search`], entry for entry.

use super::codec::{bucket, gaps, Bytes, Corrupt};
use super::read::{shown, Page, Reader};
use super::terms::{
    CHAR, FIRSTS, INITIALS, INITIALS_WHOLE, INITIAL_RUNS, PAIR, RUNS, SPELLED, SPELLED_ANYWHERE,
    SPELLED_AT_START, SPELLED_WHOLE, TRIPLE, WORDS, WORD_PREFIX, WORD_START,
};
use super::{both, Files, Gather, Wait};
use crate::search::index::{Field, FIELDS};
use crate::search::page::Hit;
use crate::search::postings::Bits;
use crate::search::{highlights, snippet, Query, Term, TermKind, Weights};
use crate::View;
use rustc_hash::FxHashMap;

/// A key's entries, per field.
type Lists = [Vec<u32>; 7];

/// Reads a key's lists (see `terms::write_list`); with `firsts`, the
/// title's list is followed by the first place in each title, returned
/// too.
fn read_lists(bytes: &mut Bytes, firsts: bool) -> Result<(Lists, Vec<u32>), Corrupt> {
    let mut lists = Lists::default();
    let mut title_firsts = Vec::new();
    // Each field once, in order.
    let mut next = 0;
    while !bytes.done() {
        let field = bytes.take(1)?[0] as usize;
        if field < next {
            return Err(Corrupt);
        }
        next = field + 1;
        let count = bytes.num()? as usize;
        let coded = bytes.num()? as usize;
        let inner = bytes.take(coded / 2)?;
        let mut docs = Vec::with_capacity(count.min(inner.len() * 8));
        if coded % 2 == 1 {
            for (i, &byte) in inner.iter().enumerate() {
                let mut byte = byte;
                while byte != 0 {
                    docs.push(i as u32 * 8 + byte.trailing_zeros());
                    byte &= byte - 1;
                }
            }
            if docs.len() != count {
                return Err(Corrupt);
            }
        } else {
            docs = gaps(&mut Bytes::new(inner), count)?;
        }
        if field == 0 && firsts {
            title_firsts = (0..count).map(|_| bytes.num()).collect::<Result<_, _>>()?;
        }
        *lists.get_mut(field).ok_or(Corrupt)? = docs;
    }
    Ok((lists, title_firsts))
}

/// Reads a `F` key: the titles and the first place in each.
fn read_firsts(bytes: &mut Bytes) -> Result<FxHashMap<u32, u32>, Corrupt> {
    let count = bytes.num()? as usize;
    let len = bytes.num()? as usize;
    let docs = gaps(&mut Bytes::new(bytes.take(len)?), count)?;
    docs.into_iter().map(|d| Ok((d, bytes.num()?))).collect()
}

/// A key's places: per field, entry → places, ascending.
type Places = [FxHashMap<u32, Vec<u32>>; 7];

fn read_places(bytes: &mut Bytes) -> Result<Places, Corrupt> {
    let mut places: Places = Default::default();
    while !bytes.done() {
        let field = bytes.take(1)?[0] as usize;
        let count = bytes.num()?;
        let len = bytes.num()? as usize;
        let mut inner = Bytes::new(bytes.take(len)?);
        let map = places.get_mut(field).ok_or(Corrupt)?;
        let mut doc = 0u32;
        for i in 0..count {
            let gap = inner.num()?;
            doc = if i == 0 {
                gap
            } else {
                doc.checked_add(gap).filter(|_| gap > 0).ok_or(Corrupt)?
            };
            let mut at = Vec::new();
            let mut last = 0u32;
            loop {
                let step = inner.num()?;
                if step == 0 {
                    break;
                }
                last = last.checked_add(step).ok_or(Corrupt)?;
                at.push(last - 1);
            }
            map.insert(doc, at);
        }
    }
    Ok(places)
}

/// The records of bucket `at` of `buckets`, read whole: key and payload,
/// in key order. As written, every key hashes to this bucket and the keys
/// ascend, so that a bucket of another generation or number, or an error
/// page served in its place, does not read as one, nor a record repeated.
fn records_of(bytes: &[u8], at: u32, buckets: u32) -> Result<Vec<(&str, &[u8])>, Corrupt> {
    let mut bytes = Bytes::new(bytes);
    let mut records: Vec<(&str, &[u8])> = Vec::new();
    while !bytes.done() {
        let key = bytes.text()?;
        let len = bytes.num()? as usize;
        let payload = bytes.take(len)?;
        if bucket(key, buckets) != at || records.last().is_some_and(|&(last, _)| last >= key) {
            return Err(Corrupt);
        }
        records.push((key, payload));
    }
    Ok(records)
}

fn key(kind: char, chars: &[char]) -> String {
    std::iter::once(kind).chain(chars.iter().copied()).collect()
}

/// Where in a term of `len` characters the runs of `run` characters that
/// cover it start: 0, run, 2 run… and the last run.
fn covering(len: usize, run: usize) -> Vec<usize> {
    let mut at: Vec<usize> = (0..=len - run).step_by(run).collect();
    if at.last() != Some(&(len - run)) {
        at.push(len - run);
    }
    at
}

/// How a term is looked up in the text fields.
enum Plan {
    /// One key's lists, exactly (a term of up to three characters, a word
    /// prefix of up to three).
    Whole(String),
    /// Words under their first characters, those the term starts.
    Words(String),
    /// Runs of three characters at these places of the term.
    Runs(Vec<(usize, String)>),
}

impl Plan {
    fn of(term: &Term) -> Plan {
        let chars = &term.chars;
        match (term.kind, chars.len()) {
            (TermKind::Word, len) if len <= WORD_PREFIX => Plan::Whole(key(WORD_START, chars)),
            (TermKind::Word, _) => Plan::Words(key(WORDS, &chars[..=WORD_PREFIX])),
            (TermKind::Substring, 1) => Plan::Whole(key(CHAR, chars)),
            (TermKind::Substring, 2) => Plan::Whole(key(PAIR, chars)),
            (TermKind::Substring, 3) => Plan::Whole(key(TRIPLE, chars)),
            (TermKind::Substring, len) => Plan::Runs(
                covering(len, 3)
                    .into_iter()
                    .map(|at| (at, key(RUNS, &chars[at..at + 3])))
                    .collect(),
            ),
        }
    }
}

/// How a pinyin term is looked up, by its initials or its spelling.
enum Pinyin {
    /// The titles in one list.
    Whole(String),
    /// Pieces at these places of the term, the first of `first` kind.
    Pieces(Vec<(usize, String)>),
}

impl Pinyin {
    fn of(term: &Term) -> [Pinyin; 2] {
        let chars = &term.chars;
        let len = chars.len();
        let initials = if len <= INITIALS_WHOLE {
            Pinyin::Whole(key(INITIALS, chars))
        } else {
            let run = INITIALS_WHOLE + 1;
            Pinyin::Pieces(
                covering(len, run)
                    .into_iter()
                    .map(|at| (at, key(INITIAL_RUNS, &chars[at..at + run])))
                    .collect(),
            )
        };
        let spelled = if len <= SPELLED_WHOLE {
            Pinyin::Whole(key(SPELLED, chars))
        } else {
            let run = SPELLED_WHOLE + 1;
            Pinyin::Pieces(
                covering(len, run)
                    .into_iter()
                    .map(|at| {
                        let kind = if at == 0 {
                            SPELLED_AT_START
                        } else {
                            SPELLED_ANYWHERE
                        };
                        (at, key(kind, &chars[at..at + run]))
                    })
                    .collect(),
            )
        };
        [initials, spelled]
    }
}

/// The keys a query looks up: in the term buckets, in the place buckets.
fn keys(query: &Query) -> (Vec<String>, Vec<String>) {
    let (mut terms, mut places) = (Vec::new(), Vec::new());
    let several = query.terms.len() > 1;
    for term in &query.terms {
        match Plan::of(term) {
            Plan::Whole(key) => {
                if several {
                    places.push(format!("{FIRSTS}{key}"));
                }
                terms.push(key);
            }
            Plan::Words(key) => terms.push(key),
            Plan::Runs(runs) => places.extend(runs.into_iter().map(|(_, k)| k)),
        }
        if term.pinyin {
            for plan in Pinyin::of(term) {
                match plan {
                    Pinyin::Whole(key) => terms.push(key),
                    Pinyin::Pieces(pieces) => places.extend(pieces.into_iter().map(|(_, k)| k)),
                }
            }
        }
    }
    for list in [&mut terms, &mut places] {
        list.sort_unstable();
        list.dedup();
    }
    (terms, places)
}

/// The records a query needs, read from their buckets: key → payload.
type Found<'f> = FxHashMap<String, &'f [u8]>;

impl Reader {
    fn records<'f>(&self, files: &'f dyn Files, query: &Query) -> Result<Found<'f>, Wait> {
        let directory = self.directory(files)?;
        let (terms, places) = keys(query);
        let mut gather = Gather::new(files);
        let mut wanted = Vec::new();
        for (set, count, list) in [
            ('t', directory.terms, &terms),
            ('p', directory.places, &places),
        ] {
            for key in list {
                let at = bucket(key, count);
                let path = format!("g/{}/{set}{at}.bin", directory.generation);
                if let Some(bytes) = gather.get(path.clone()) {
                    wanted.push((key, path, (set, at, count), bytes));
                }
            }
        }
        gather.check()?;
        let mut read: FxHashMap<String, Vec<(&str, &[u8])>> = FxHashMap::default();
        let mut found = Found::default();
        for (key, path, (set, at, count), bytes) in wanted {
            if !read.contains_key(&path) {
                // A bucket is empty only when its kind has no key at all:
                // one of several (each some 12 KB), or the one term bucket
                // of entries that have titles, is a file cut to nothing.
                let empty_as_written = count == 1 && (set == 'p' || self.manifest.entries == 0);
                let records = records_of(bytes, at, count)
                    .ok()
                    .filter(|r| !r.is_empty() || empty_as_written)
                    .ok_or_else(|| Wait::Corrupt(path.clone()))?;
                read.insert(path.clone(), records);
            }
            let records = &read[&path];
            if let Ok(i) = records.binary_search_by(|&(k, _)| k.cmp(key.as_str())) {
                found.insert(key.clone(), records[i].1);
            }
        }
        Ok(found)
    }

    /// The entries matching every term of `query`, best first, as entry
    /// numbers; `None` if the query has no terms. The same entries in the
    /// same order as [`crate::search::SearchIndex::search`] on the whole
    /// catalogue.
    pub fn search(&self, files: &dyn Files, query: &Query) -> Result<Option<Vec<u32>>, Wait> {
        if query.is_empty() {
            return Ok(None);
        }
        let found = self.records(files, query)?;
        let directory = self.directory(files)?;
        let corrupt = || Wait::Corrupt(format!("g/{}", directory.generation));
        let count = self.manifest.entries;
        let weights = Weights::default();
        let mut scores = vec![0u32; count];
        let mut in_title = vec![0u8; count];
        let mut alive = Bits::all(count);
        let mut order: Vec<usize> = (0..query.terms.len()).collect();
        order.sort_by_key(|&t| {
            let term = &query.terms[t];
            (!term.exact(), std::cmp::Reverse(term.chars.len()))
        });
        let mut firsts: Vec<FxHashMap<u32, u32>> = vec![FxHashMap::default(); query.terms.len()];
        for t in order {
            let term = &query.terms[t];
            let (lists, term_firsts) = lookup(term, &found).map_err(|_| corrupt())?;
            firsts[t] = term_firsts;
            let mut found_docs = Bits::none(count);
            for (f, field) in FIELDS.into_iter().enumerate() {
                let weight = weights.of(field);
                for &doc in &lists[f] {
                    if doc as usize >= count {
                        return Err(corrupt());
                    }
                    if alive.contains(doc) && !found_docs.contains(doc) {
                        found_docs.insert(doc);
                        scores[doc as usize] += weight;
                        in_title[doc as usize] += u8::from(field == Field::Title);
                    }
                }
            }
            if term.pinyin {
                for doc in pinyin(term, &found).map_err(|_| corrupt())? {
                    if doc as usize >= count {
                        return Err(corrupt());
                    }
                    if alive.contains(doc) && !found_docs.contains(doc) {
                        found_docs.insert(doc);
                        scores[doc as usize] += weights.pinyin;
                    }
                }
            }
            alive = found_docs;
        }
        let terms = query.terms.len() as u8;
        if query.terms.len() > 1 {
            for doc in alive.iter() {
                if in_title[doc as usize] != terms {
                    continue;
                }
                let starts: Option<Vec<u32>> =
                    firsts.iter().map(|f| f.get(&doc).copied()).collect();
                if let Some(starts) = starts {
                    let span =
                        starts.iter().max().unwrap_or(&0) - starts.iter().min().unwrap_or(&0);
                    scores[doc as usize] += weights.closeness * 4 / span.saturating_add(4);
                }
            }
        }
        // Best score first, newest (highest number) first within a score.
        let mut hits: Vec<u32> = alive.iter().collect();
        hits.sort_by(|&a, &b| scores[b as usize].cmp(&scores[a as usize]).then(b.cmp(&a)));
        Ok(Some(hits))
    }

    /// One page of results for `query` under `view`: its filters and page
    /// apply, its order does not (results are best first). With
    /// `snippets`, each hit has its excerpt, which needs the entries' full
    /// text; without, only the title marks. `None` if the query has no
    /// terms.
    pub fn search_page(
        &self,
        files: &dyn Files,
        query: &str,
        view: &View,
        page_size: usize,
        snippets: bool,
    ) -> Result<Option<(Page, Vec<Hit>)>, Wait> {
        let query = Query::parse(query);
        let ranked = self.search(files, &query);
        if let Ok(None) = ranked {
            return Ok(None);
        }
        // The view's lists are fetched with the search's buckets, not
        // after them.
        let (ranked, bits) = both(ranked, self.filtered(files, view))?;
        let Some(ranked) = ranked else {
            return Ok(None);
        };
        let matches: Vec<u32> = ranked.into_iter().filter(|&n| bits.contains(n)).collect();
        // The page's rows and, for the excerpts, its entries' text, fetched
        // together.
        let page_size = page_size.max(1);
        let (_, _, ns) = shown(&matches, view.page, page_size);
        let texts = match snippets {
            true => self.entries(files, &ns).map(|entries| {
                entries
                    .into_iter()
                    .map(|e| e.item.body.or(e.item.summary).unwrap_or_default())
                    .collect()
            }),
            false => Ok(vec![String::new(); ns.len()]),
        };
        let (page, texts) = both(self.page_of(files, &matches, view.page, page_size), texts)?;
        let pairs = |ranges: Vec<std::ops::Range<usize>>| -> Vec<(usize, usize)> {
            ranges.into_iter().map(|r| (r.start, r.end)).collect()
        };
        let hits = page
            .rows
            .iter()
            .zip(texts)
            .map(|(row, text)| {
                let (snippet, marks) = snippet(&text, &query, 30, 80).unwrap_or_default();
                Hit {
                    index: row.n as usize,
                    title: pairs(highlights(&row.title, &query)),
                    snippet,
                    marks: pairs(marks),
                }
            })
            .collect();
        Ok(Some((page, hits)))
    }
}

/// The entries a term is in, per field, and the first place in each title
/// it is in (for closeness).
fn lookup(term: &Term, found: &Found) -> Result<(Lists, FxHashMap<u32, u32>), Corrupt> {
    match Plan::of(term) {
        Plan::Whole(key) => {
            let lists = match found.get(&key) {
                Some(payload) => read_lists(&mut Bytes::new(payload), false)?.0,
                None => Lists::default(),
            };
            let firsts = match found.get(&format!("{FIRSTS}{key}")) {
                Some(payload) => read_firsts(&mut Bytes::new(payload))?,
                None => FxHashMap::default(),
            };
            Ok((lists, firsts))
        }
        Plan::Words(key) => {
            let mut lists = Lists::default();
            let mut firsts: FxHashMap<u32, u32> = FxHashMap::default();
            if let Some(payload) = found.get(&key) {
                let mut bytes = Bytes::new(payload);
                for _ in 0..bytes.num()? {
                    let word = bytes.text()?;
                    let len = bytes.num()? as usize;
                    let inner = bytes.take(len)?;
                    if !word.starts_with(term.text.as_str()) {
                        continue;
                    }
                    let (word_lists, title_firsts) = read_lists(&mut Bytes::new(inner), true)?;
                    for (doc, &first) in word_lists[0].iter().zip(&title_firsts) {
                        firsts
                            .entry(*doc)
                            .and_modify(|f| *f = (*f).min(first))
                            .or_insert(first);
                    }
                    for (mine, docs) in lists.iter_mut().zip(word_lists) {
                        mine.extend(docs);
                    }
                }
                for docs in &mut lists {
                    docs.sort_unstable();
                    docs.dedup();
                }
            }
            Ok((lists, firsts))
        }
        Plan::Runs(runs) => {
            let mut lists = Lists::default();
            let mut firsts = FxHashMap::default();
            let Some(places) = pieces(&runs, found)? else {
                return Ok((lists, firsts));
            };
            for (f, docs) in lists.iter_mut().enumerate() {
                for (doc, start) in chained(&places, f) {
                    docs.push(doc);
                    if f == 0 {
                        firsts.insert(doc, start);
                    }
                }
            }
            Ok((lists, firsts))
        }
    }
}

/// The places of each piece of a term; `None` if one of them is nowhere.
fn pieces(
    pieces: &[(usize, String)],
    found: &Found,
) -> Result<Option<Vec<(usize, Places)>>, Corrupt> {
    let mut read = Vec::with_capacity(pieces.len());
    for (at, key) in pieces {
        match found.get(key) {
            Some(payload) => read.push((*at, read_places(&mut Bytes::new(payload))?)),
            None => return Ok(None),
        }
    }
    Ok(Some(read))
}

/// The entries where, in field `f`, every piece is at its distance from
/// the first, with the first such place; ascending.
fn chained(pieces: &[(usize, Places)], f: usize) -> Vec<(u32, u32)> {
    let Some(((_, first), rest)) = pieces.split_first() else {
        return Vec::new();
    };
    let mut docs: Vec<(u32, u32)> = first[f]
        .iter()
        .filter_map(|(&doc, starts)| {
            starts
                .iter()
                .copied()
                .find(|&start| {
                    rest.iter().all(|(at, places)| {
                        let want = start.checked_add(*at as u32);
                        places[f]
                            .get(&doc)
                            .zip(want)
                            .is_some_and(|(p, want)| p.binary_search(&want).is_ok())
                    })
                })
                .map(|start| (doc, start))
        })
        .collect();
    docs.sort_unstable();
    docs
}

/// The titles `term` (lower-case letters) is pinyin of: a run of initials,
/// or the spelling of consecutive characters from a syllable's start, the
/// last syllable possibly cut short (see `crate::search`'s pinyin).
fn pinyin(term: &Term, found: &Found) -> Result<Vec<u32>, Corrupt> {
    let mut docs = Vec::new();
    for plan in Pinyin::of(term) {
        match plan {
            Pinyin::Whole(key) => {
                if let Some(payload) = found.get(&key) {
                    let (lists, _) = read_lists(&mut Bytes::new(payload), false)?;
                    docs.extend_from_slice(&lists[0]);
                }
            }
            Pinyin::Pieces(list) => {
                if let Some(places) = pieces(&list, found)? {
                    docs.extend(chained(&places, 0).into_iter().map(|(doc, _)| doc));
                }
            }
        }
    }
    docs.sort_unstable();
    docs.dedup();
    Ok(docs)
}
