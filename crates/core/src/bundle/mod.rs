//! A catalogue published as a static bundle (`xxgk-bundle/2`): a small
//! manifest the widget is pointed at, and shards fetched only when a view
//! needs them, so that what a citizen downloads does not grow with the
//! catalogue. `docs/bundle.md` describes the files; this module writes
//! them ([`Bundle::publish`]) and answers views, entries and searches
//! from them ([`Reader`]) exactly as the whole catalogue would
//! ([`crate::Catalogue::select`], [`crate::search::SearchIndex`]).
//!
//! Entries are numbered oldest first (the reverse of
//! [`crate::Catalogue::newest_first`]), so that entries added at the new
//! end leave earlier shards, and their names, as they were. The newest
//! first list is then the numbers descending.
//!
//! Reading never fetches: each question is asked with the files already
//! at hand ([`Files`]), and either answered or told which files it still
//! needs ([`Wait::Fetch`]); the caller fetches them (all at once, in
//! parallel) and asks again. The widget does this with `fetch`, the tests
//! with a folder.

pub mod answer;
mod codec;
mod find;
mod read;
mod terms;
mod write;

pub use codec::{tag, Corrupt};
pub use read::{Entry, Manifest, Page, Reader, Row};
pub use write::Bundle;

use std::collections::HashMap;

/// The manifest's `schema`.
pub const SCHEMA: &str = "xxgk-bundle/2";

/// Entries per listing shard.
pub const LIST_SHARD: usize = 32;

/// Entries per detail shard (a divisor of [`LIST_SHARD`]).
pub const DETAIL_GROUP: usize = 4;

/// Newest entries listed in the manifest itself: the first page of the
/// default view for any page size up to this.
pub const FIRST_ROWS: usize = 20;

/// Buckets of index numbers, about 256 entries each.
pub(crate) fn id_buckets(entries: usize) -> u32 {
    entries.div_ceil(256).max(1) as u32
}

/// The bundle's files at hand, by their path in the bundle.
pub trait Files {
    /// The bytes of `path`, if fetched.
    fn get(&self, path: &str) -> Option<&[u8]>;
}

impl Files for HashMap<String, Vec<u8>> {
    fn get(&self, path: &str) -> Option<&[u8]> {
        HashMap::get(self, path).map(Vec::as_slice)
    }
}

/// Why a question cannot be answered yet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Wait {
    /// These files are needed first (paths in the bundle).
    Fetch(Vec<String>),
    /// This file does not read as it should: published by another version,
    /// or cut short on the way.
    Corrupt(String),
}

/// Both results, or what either waits for: every file both need is asked
/// for at once.
pub(crate) fn both<A, B>(a: Result<A, Wait>, b: Result<B, Wait>) -> Result<(A, B), Wait> {
    match (a, b) {
        (Err(Wait::Fetch(mut paths)), Err(Wait::Fetch(more))) => {
            for path in more {
                if !paths.contains(&path) {
                    paths.push(path);
                }
            }
            Err(Wait::Fetch(paths))
        }
        (a, b) => Ok((a?, b?)),
    }
}

/// Collects the files a step needs, so that all of them are asked for at
/// once.
pub(crate) struct Gather<'f> {
    files: &'f dyn Files,
    missing: Vec<String>,
}

impl<'f> Gather<'f> {
    pub(crate) fn new(files: &'f dyn Files) -> Gather<'f> {
        Gather {
            files,
            missing: Vec::new(),
        }
    }

    /// The file, or `None` and it is noted as missing.
    pub(crate) fn get(&mut self, path: String) -> Option<&'f [u8]> {
        let found = self.files.get(&path);
        if found.is_none() && !self.missing.contains(&path) {
            self.missing.push(path);
        }
        found
    }

    /// `Err` with every missing file, if any.
    pub(crate) fn check(self) -> Result<(), Wait> {
        if self.missing.is_empty() {
            Ok(())
        } else {
            Err(Wait::Fetch(self.missing))
        }
    }
}
