use std::cell::OnceCell;
use wasm_bindgen::prelude::*;
use xxgk_core::search::page::{Found, Hit};
use xxgk_core::search::{highlights, scan, snippet, Query, SearchIndex};
use xxgk_core::{hash, Catalogue};

/// A catalogue read and indexed, answering queries.
#[wasm_bindgen]
pub struct SearchEngine {
    catalogue: Catalogue,
    index: OnceCell<SearchIndex>,
}

#[wasm_bindgen]
impl SearchEngine {
    /// Reads the catalogue file's bytes, as the widget does.
    #[wasm_bindgen(constructor)]
    pub fn new(bytes: &[u8]) -> Result<SearchEngine, JsError> {
        let catalogue =
            Catalogue::parse("catalogue", bytes).map_err(|e| JsError::new(&e.to_string()))?;
        Ok(SearchEngine {
            catalogue,
            index: OnceCell::new(),
        })
    }

    /// Builds the index (else the first search does).
    pub fn build(&self) {
        self.index();
    }

    /// The entries matching `query`, best first (positions among the
    /// catalogue's valid entries); empty when the query has no terms.
    pub fn search(&self, query: &str) -> Vec<u32> {
        let hits = self.index().search(&self.catalogue, &Query::parse(query));
        hits.unwrap_or_default()
            .into_iter()
            .map(|i| i as u32)
            .collect()
    }

    /// The same, found by folding and reading every entry: the truth the
    /// index is measured against. Ascending.
    pub fn scan(&self, query: &str) -> Vec<u32> {
        scan(&self.catalogue, &Query::parse(query))
            .into_iter()
            .map(|i| i as u32)
            .collect()
    }

    /// Bytes the index holds.
    pub fn index_bytes(&self) -> usize {
        self.index().heap_bytes()
    }

    /// Bytes of the module's whole memory (0 outside WebAssembly).
    pub fn memory_bytes(&self) -> usize {
        #[cfg(target_arch = "wasm32")]
        return core::arch::wasm32::memory_size(0) * 65_536;
        #[cfg(not(target_arch = "wasm32"))]
        return 0;
    }

    /// How many entries were indexed.
    pub fn entries(&self) -> usize {
        self.catalogue.items.len()
    }

    /// One page of results for the widget: the query and the view (filters,
    /// order, page) come as the widget's URL hash and key, the answer as
    /// the text of a [`Found`] (see `xxgk_core::search::page`).
    pub fn page(&self, query: &str, hash: &str, key: &str, page_size: usize) -> String {
        let query = Query::parse(query);
        let view = hash::read(hash, key).unwrap_or_default();
        let hits = self
            .index()
            .search(&self.catalogue, &query)
            .unwrap_or_default();
        let selection = self.catalogue.select_among(&hits, &view, page_size);
        let pairs = |ranges: Vec<std::ops::Range<usize>>| -> Vec<(usize, usize)> {
            ranges.into_iter().map(|r| (r.start, r.end)).collect()
        };
        let hits = selection
            .items
            .iter()
            .map(|&index| {
                let item = &self.catalogue.items[index];
                let text = item
                    .body
                    .as_deref()
                    .or(item.summary.as_deref())
                    .unwrap_or_default();
                let (snippet, marks) = snippet(text, &query, 30, 80).unwrap_or_default();
                Hit {
                    index,
                    title: pairs(highlights(&item.title, &query)),
                    snippet,
                    marks: pairs(marks),
                }
            })
            .collect();
        Found {
            total: selection.total,
            page: selection.page,
            pages: selection.pages,
            hits,
        }
        .write()
    }
}

impl SearchEngine {
    fn index(&self) -> &SearchIndex {
        self.index
            .get_or_init(|| SearchIndex::build(&self.catalogue))
    }
}
