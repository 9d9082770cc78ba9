//! Talking to the search engine, which runs in a Web Worker (see
//! `src/loader.js` and `crates/search`): the catalogue's bytes go over
//! once, then each query goes over with the view and one page of results
//! comes back, marked (`xxgk_core::search::page`). The loader does the
//! messaging: a few lines of JavaScript instead of bindings for each
//! message field in the widget's module.

use js_sys::ArrayBuffer;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use xxgk_core::search::page::Found;

#[wasm_bindgen]
extern "C" {
    /// Starts the engine on the catalogue file; `answer(seq, page)` hears
    /// it (seq 0: ready, -1: failed). Returns the worker.
    #[wasm_bindgen(catch, js_namespace = xxgk, js_name = startSearch)]
    fn start_search(
        bytes: &ArrayBuffer,
        answer: &Closure<dyn FnMut(i32, String)>,
    ) -> Result<JsValue, JsValue>;

    /// Asks question number `seq`.
    #[wasm_bindgen(js_namespace = xxgk, js_name = askSearch)]
    fn ask_search(worker: &JsValue, seq: u32, query: &str, hash: &str, key: &str, size: u32);
}

/// Where the engine is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    /// Downloading and indexing.
    Starting,
    /// Answering.
    Ready,
    /// Could not start (no Web Workers, a blocked script): search is off.
    Failed,
}

/// One page of results and the question it answers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Results {
    /// Which question this answers.
    pub asked: Asked,
    /// The entries found, marked.
    pub found: Found,
}

/// The question results answer: the query and the hash it was asked with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Asked {
    /// The search text.
    pub query: String,
    /// The URL hash (the view).
    pub hash: String,
}

/// A widget's connection to its search engine.
#[derive(Clone, Copy)]
pub struct Search {
    /// Where the engine is.
    pub engine: RwSignal<Engine>,
    /// The latest results; older answers never replace newer ones.
    pub results: RwSignal<Option<Results>>,
    worker: StoredValue<Option<JsValue>, LocalStorage>,
    /// The catalogue file, until the engine starts.
    pending: StoredValue<Option<ArrayBuffer>, LocalStorage>,
    /// The latest question and its number.
    latest: StoredValue<(u32, Asked)>,
}

impl Search {
    /// A connection not yet started.
    pub fn new() -> Search {
        Search {
            engine: RwSignal::new(Engine::Starting),
            results: RwSignal::new(None),
            worker: StoredValue::new_local(None),
            pending: StoredValue::new_local(None),
            latest: StoredValue::new((0, Asked::default())),
        }
    }

    /// Starts the engine on the catalogue file a moment after the first
    /// page is painted, so that its download and index (a second of
    /// work at 10,000 entries, in a worker but on the same few cores) do
    /// not delay what the citizen came to see; at once if a search is
    /// wanted before that ([`Search::wake`]).
    pub fn start_after_paint(self, catalogue: ArrayBuffer) {
        self.pending.set_value(Some(catalogue));
        request_animation_frame(move || {
            set_timeout(move || self.wake(), std::time::Duration::from_secs(1));
        });
    }

    /// Starts the engine now if it is waiting: the search box has focus,
    /// or the view has a query.
    pub fn wake(self) {
        if let Some(catalogue) = self.pending.try_update_value(Option::take).flatten() {
            self.start(catalogue);
        }
    }

    fn start(self, catalogue: ArrayBuffer) {
        let answer = Closure::<dyn FnMut(i32, String)>::new(move |seq, page: String| {
            self.receive(seq, &page)
        });
        match start_search(&catalogue, &answer) {
            Ok(worker) => self.worker.set_value(Some(worker)),
            Err(_) => self.engine.set(Engine::Failed),
        }
        answer.forget();
    }

    /// Asks for one page of results for `query` under the view in `hash`.
    pub fn ask(self, query: &str, hash: &str, key: &str, page_size: usize) {
        let Some(worker) = self.worker.get_value() else {
            return;
        };
        let seq = self.latest.with_value(|(seq, _)| seq + 1);
        let asked = Asked {
            query: query.to_owned(),
            hash: hash.to_owned(),
        };
        self.latest.set_value((seq, asked));
        ask_search(&worker, seq, query, hash, key, page_size as u32);
    }

    fn receive(self, seq: i32, page: &str) {
        match seq {
            0 => self.engine.set(Engine::Ready),
            -1 => self.engine.set(Engine::Failed),
            // Only the answer to the latest question is shown.
            seq => self.latest.with_value(|(latest, asked)| {
                if seq as u32 == *latest {
                    if let Some(found) = Found::read(page) {
                        self.results.set(Some(Results {
                            asked: asked.clone(),
                            found,
                        }));
                    }
                }
            }),
        }
    }
}
