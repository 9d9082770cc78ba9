//! Talking to the search engine, which runs in a Web Worker (see
//! `src/loader.js` and `crates/search`): the catalogue's bytes go over
//! once, then each query goes over with the view and one page of results
//! comes back, marked (`xxgk_core::search::page`). For a published bundle
//! the manifest goes over instead, and the engine answers every view the
//! manifest alone does not (other pages, filters, an open entry) as well
//! as searches, fetching the shards it needs (`xxgk_core::bundle`). The
//! loader does the messaging: a few lines of JavaScript instead of
//! bindings for each message field in the widget's module.

#[cfg(feature = "bundle")]
use crate::load::Loaded;
use js_sys::ArrayBuffer;
use leptos::prelude::*;
#[cfg(feature = "bundle")]
use std::sync::Arc;
use wasm_bindgen::prelude::*;
#[cfg(feature = "bundle")]
use xxgk_core::bundle::answer::Answer;
#[cfg(not(feature = "bundle"))]
use xxgk_core::search::page::Found;

#[wasm_bindgen]
extern "C" {
    /// Starts the engine on the catalogue file; `answer(seq, page)` hears
    /// it (seq 0: ready, -1: failed). Returns the worker.
    #[cfg(not(feature = "bundle"))]
    #[wasm_bindgen(catch, js_namespace = xxgk, js_name = startSearch)]
    fn start_search(
        bytes: &ArrayBuffer,
        answer: &Closure<dyn FnMut(i32, String)>,
    ) -> Result<JsValue, JsValue>;

    /// Starts the engine on a bundle's manifest, whose URL is `base`
    /// (`src/bundle.js`); as above.
    #[cfg(feature = "bundle")]
    #[wasm_bindgen(catch, js_namespace = xxgk, js_name = startBundle)]
    fn start_bundle(
        bytes: &ArrayBuffer,
        base: &str,
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

/// What the engine answers: a page of search results; for a published
/// bundle, any view ([`Answer`]).
#[cfg(not(feature = "bundle"))]
pub type Answered = Found;
#[cfg(feature = "bundle")]
pub type Answered = Answer;

/// An answer and the question it answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Results {
    /// Which question this answers.
    pub asked: Asked,
    /// A page of entries (marked, for a search); from a published bundle,
    /// also an entry, or a failure.
    pub answer: Answered,
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
    /// The catalogue file, or a bundle's manifest, until the engine starts.
    pending: StoredValue<Option<ArrayBuffer>, LocalStorage>,
    /// A published bundle: its manifest's URL, against which its files
    /// are fetched, and its category tree, in which its entries'
    /// categories are found.
    #[cfg(feature = "bundle")]
    bundle: StoredValue<Option<Arc<Loaded>>>,
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
            #[cfg(feature = "bundle")]
            bundle: StoredValue::new(None),
            latest: StoredValue::new((0, Asked::default())),
        }
    }

    /// Starts the engine on the catalogue file a moment after the first
    /// page is painted, so that its download and index (a second of
    /// work at 10,000 entries, in a worker but on the same few cores) do
    /// not delay what the citizen came to see; at once if a search is
    /// wanted before that ([`Search::wake`]).
    #[cfg(not(feature = "bundle"))]
    pub fn start_after_paint(self, catalogue: ArrayBuffer) {
        self.pending.set_value(Some(catalogue));
        request_animation_frame(move || {
            set_timeout(move || self.wake(), std::time::Duration::from_secs(1));
        });
    }

    /// Starts the engine on the manifest of the bundle `loaded` as soon
    /// as the first page is painted: every other view needs it, and its
    /// start is small (no index to build).
    #[cfg(feature = "bundle")]
    pub fn start_bundle_after_paint(self, manifest: ArrayBuffer, loaded: Arc<Loaded>) {
        self.pending.set_value(Some(manifest));
        self.bundle.set_value(Some(loaded));
        request_animation_frame(move || {
            set_timeout(move || self.wake(), std::time::Duration::ZERO);
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
        #[cfg(not(feature = "bundle"))]
        let started = start_search(&catalogue, &answer);
        #[cfg(feature = "bundle")]
        let started = self.bundle.with_value(|loaded| {
            let url = loaded.as_ref().map_or("", |l| l.url.as_str());
            start_bundle(&catalogue, url, &answer)
        });
        match started {
            Ok(worker) => self.worker.set_value(Some(worker)),
            Err(_) => self.engine.set(Engine::Failed),
        }
        answer.forget();
    }

    /// Asks for one page of results for `query` under the view in `hash`
    /// (for a bundle, `query` may be empty: the view's page, or its open
    /// entry).
    pub fn ask(self, query: &str, hash: &str, key: &str, page_size: usize) {
        let Some(worker) = self.worker.get_value() else {
            return;
        };
        let asked = Asked {
            query: query.to_owned(),
            hash: hash.to_owned(),
        };
        // The same view asked again (a re-render): the answer is on its way.
        #[cfg(feature = "bundle")]
        if self
            .latest
            .with_value(|(seq, latest)| *seq > 0 && *latest == asked)
            && self.results.with_untracked(|r| {
                !matches!(
                    r,
                    Some(Results {
                        answer: Answer::Failed,
                        ..
                    })
                )
            })
        {
            return;
        }
        self.send(&worker, asked, key, page_size);
    }

    /// Sends `asked` as the next question, the only one whose answer is
    /// shown.
    fn send(self, worker: &JsValue, asked: Asked, key: &str, page_size: usize) {
        let seq = self.latest.with_value(|(seq, _)| seq + 1);
        ask_search(
            worker,
            seq,
            &asked.query,
            &asked.hash,
            key,
            page_size as u32,
        );
        // Before any answer can come: the worker answers in a later task.
        self.latest.set_value((seq, asked));
    }

    /// Asks the latest question again, after a failure.
    #[cfg(feature = "bundle")]
    pub fn retry(self, key: &str, page_size: usize) {
        let Some(worker) = self.worker.get_value() else {
            return;
        };
        self.results.set(None);
        self.send(
            &worker,
            self.latest.with_value(|(_, asked)| asked.clone()),
            key,
            page_size,
        );
    }

    fn receive(self, seq: i32, page: &str) {
        match seq {
            0 => self.engine.set(Engine::Ready),
            -1 => self.engine.set(Engine::Failed),
            // Only the answer to the latest question is shown.
            seq => self.latest.with_value(|(latest, asked)| {
                if seq as u32 != *latest {
                    return;
                }
                #[cfg(not(feature = "bundle"))]
                let Some(answer) = Found::read(page) else {
                    return;
                };
                #[cfg(feature = "bundle")]
                let answer = self
                    .bundle
                    .with_value(|loaded| Answer::read(page, &loaded.as_ref()?.catalogue.categories))
                    .unwrap_or(Answer::Failed);
                self.results.set(Some(Results {
                    asked: asked.clone(),
                    answer,
                }));
            }),
        }
    }
}
