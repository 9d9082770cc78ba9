//! Fetching and reading the catalogue file.

use js_sys::{ArrayBuffer, Promise, Reflect, Uint8Array};
use leptos::prelude::window;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{RequestCache, RequestInit, Response};
#[cfg(feature = "bundle")]
use xxgk_core::bundle::Manifest;
#[cfg(not(feature = "bundle"))]
use xxgk_core::catalogue::Reader;
#[cfg(not(feature = "bundle"))]
use xxgk_core::CatalogueError;
use xxgk_core::{Catalogue, Facets, Lang};

/// A catalogue ready to browse, with what the menus need computed once.
///
/// The widget is built twice (`Cargo.toml`, `index.html`): without the
/// `bundle` feature it reads catalogue files, with it published bundles
/// (`docs/bundle.md`), and the loader starts the module a catalogue
/// needs. Each module carries one way of reading, so neither grows by the
/// other's code.
pub struct Loaded {
    /// The catalogue; for a published bundle, its site and category tree
    /// only (the entries come from the search engine, a page at a time).
    pub catalogue: Catalogue,
    /// The values of each filter.
    pub facets: Facets,
    /// The catalogue's URL, against which its relative links resolve.
    pub url: String,
    /// A published bundle's manifest: its newest entries and what was
    /// skipped when it was published.
    #[cfg(feature = "bundle")]
    pub manifest: Manifest,
}

impl Loaded {
    /// How many entries the catalogue has.
    pub fn entries(&self) -> usize {
        #[cfg(feature = "bundle")]
        return self.manifest.entries;
        #[cfg(not(feature = "bundle"))]
        self.catalogue.items.len()
    }
}

/// Why the catalogue cannot be shown.
#[derive(Clone, Debug, thiserror::Error)]
pub enum LoadError {
    /// No answer: offline, wrong host, or refused by CORS.
    #[error("cannot reach {url}")]
    Unreachable {
        /// The catalogue's URL.
        url: String,
    },
    /// The server answered with an error status.
    #[error("{url} answered HTTP {status}")]
    Status {
        /// The catalogue's URL.
        url: String,
        /// The HTTP status.
        status: u16,
    },
    /// The file is there but cannot be read as a catalogue.
    #[error(transparent)]
    #[cfg(not(feature = "bundle"))]
    Catalogue(#[from] CatalogueError),
    /// A bundle's manifest of another version, or damaged; or a
    /// catalogue file named `index.json`, which is read as a manifest.
    #[error("{url} is not a bundle manifest this widget reads")]
    #[cfg(feature = "bundle")]
    Manifest {
        /// The manifest's URL.
        url: String,
        /// It is a catalogue file (`xxgk-catalogue/1`).
        file: bool,
    },
}

/// Messages about catalogue data (`xxgk.explain` in src/loader.js): why
/// the catalogue at `url` cannot be shown or its entries were skipped, in
/// the staff's language for `lang`. Nothing when they cannot be had.
#[cfg(not(feature = "bundle"))]
pub async fn explained(url: &str, lang: Lang) -> Vec<String> {
    let answer = JsFuture::from(explain(url, lang.tag())).await;
    answer
        .ok()
        .and_then(|a| a.as_string())
        .map(|a| {
            a.split('\u{1e}')
                .filter(|m| !m.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(not(feature = "bundle"))]
#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// See `xxgk.explain` in `src/loader.js`.
    #[wasm_bindgen(js_namespace = xxgk)]
    fn explain(url: &str, lang: &str) -> Promise;
}

impl LoadError {
    /// Whether the message is about the file, for the web team: written in
    /// simplified Chinese under a traditional-Chinese interface.
    pub fn is_for_staff(&self) -> bool {
        !matches!(
            self,
            LoadError::Unreachable { .. } | LoadError::Status { .. }
        )
    }

    /// What happened and what to do, for the citizen and the web team.
    pub fn message(&self, lang: Lang) -> String {
        let t = crate::i18n::strings(lang);
        match (self, lang) {
            (LoadError::Unreachable { url }, _) => {
                let (before, after) = t.unreachable;
                format!("{before}{url}{after}")
            }
            (LoadError::Status { url, status: 404 }, _) => {
                let (before, after) = t.missing_file;
                format!("{before}{url}{after}")
            }
            (LoadError::Status { url, status }, _) => {
                let (before, middle, after) = t.server_failed;
                format!("{before}{url}{middle}{status}{after}")
            }
            // Said by the search engine's module (`explained`).
            #[cfg(not(feature = "bundle"))]
            (LoadError::Catalogue(_), _) => String::new(),
            #[cfg(feature = "bundle")]
            (LoadError::Manifest { url, file: true }, Lang::Zh | Lang::Hant) => format!(
                "{url} 是目录文件（xxgk-catalogue/1），不是发布包：以 index.json 结尾的地址按发布包读取。请网站管理员把文件改名（例如 catalogue.json）并修改 data-catalogue，或用 xxgk-server catalogue publish 发布后指向发布包的 index.json。"
            ),
            #[cfg(feature = "bundle")]
            (LoadError::Manifest { url, file: true }, Lang::En) => format!(
                "{url} is a catalogue file (xxgk-catalogue/1), not a published bundle: an address ending in index.json is read as a bundle. The webmaster should rename the file (catalogue.json, say) and change data-catalogue, or publish it with xxgk-server catalogue publish and point at the bundle's index.json."
            ),
            #[cfg(feature = "bundle")]
            (LoadError::Manifest { url, .. }, Lang::Zh | Lang::Hant) => format!(
                "{url} 不是本版本目录组件能读取的发布包（{}）。请网站管理员用与组件同一版本的 xxgk-server catalogue publish 重新发布。",
                xxgk_core::bundle::SCHEMA
            ),
            #[cfg(feature = "bundle")]
            (LoadError::Manifest { url, .. }, Lang::En) => format!(
                "{url} is not a published catalogue ({}) this widget reads. The webmaster should publish it again with the xxgk-server of the widget's version.",
                xxgk_core::bundle::SCHEMA
            ),
        }
    }
}

/// Fetches and reads the catalogue. The browser revalidates it every time,
/// so staff edits show at once. The response the loader started fetching
/// while the module downloaded is taken if there is one. Reading yields to
/// the browser between steps, so the page stays responsive however large
/// the catalogue. The file's bytes come back too, for the search engine.
pub async fn catalogue(url: String) -> Result<(Arc<Loaded>, ArrayBuffer), LoadError> {
    let file = fetch(&url).await?;
    let bytes = Uint8Array::new(&file).to_vec();
    #[cfg(feature = "bundle")]
    {
        let manifest = Manifest::read(&bytes).ok_or_else(|| LoadError::Manifest {
            url: url.clone(),
            file: bytes.windows(16).any(|w| w == b"xxgk-catalogue/1"),
        })?;
        let catalogue = Catalogue::tree_only(manifest.site.clone(), manifest.categories.clone());
        Ok((
            Arc::new(Loaded {
                catalogue,
                facets: manifest.facets.clone(),
                url,
                manifest,
            }),
            file,
        ))
    }
    #[cfg(not(feature = "bundle"))]
    {
        next_task().await;
        let mut reader = Reader::new(&url, Catalogue::text(&url, &bytes)?)?;
        next_task().await;
        let mut task_started = js_sys::Date::now();
        while reader.read(ENTRIES_PER_CHECK) {
            if js_sys::Date::now() - task_started > TASK_MS {
                next_task().await;
                task_started = js_sys::Date::now();
            }
        }
        let catalogue = reader.finish();
        drop(bytes);
        next_task().await;
        let facets = Facets::of(&catalogue);
        Ok((
            Arc::new(Loaded {
                catalogue,
                facets,
                url,
            }),
            file,
        ))
    }
}

/// How long reading entries may hold the main thread before it lets the
/// browser have a turn: well under the 50 ms that makes a page feel stuck.
#[cfg(not(feature = "bundle"))]
const TASK_MS: f64 = 12.0;

/// Entries read between two looks at the clock.
#[cfg(not(feature = "bundle"))]
const ENTRIES_PER_CHECK: usize = 50;

/// The catalogue's bytes: from the loader's early fetch if it made one,
/// else fetched now.
async fn fetch(url: &str) -> Result<ArrayBuffer, LoadError> {
    let unreachable = || LoadError::Unreachable {
        url: url.to_owned(),
    };
    let status = |status| LoadError::Status {
        url: url.to_owned(),
        status,
    };
    if let Some(started) = prefetched(url) {
        // Resolves to { status, body }, body null unless the status is OK.
        let done = JsFuture::from(started).await.map_err(|_| unreachable())?;
        let code = Reflect::get(&done, &"status".into())
            .ok()
            .and_then(|s| s.as_f64())
            .unwrap_or(0.0);
        let body = Reflect::get(&done, &"body".into())
            .ok()
            .and_then(|b| b.dyn_into::<ArrayBuffer>().ok());
        return body.ok_or_else(|| status(code as u16));
    }
    let init = RequestInit::new();
    init.set_cache(RequestCache::NoCache);
    let response = JsFuture::from(window().fetch_with_str_and_init(url, &init))
        .await
        .map_err(|_| unreachable())?
        .unchecked_into::<Response>();
    if !response.ok() {
        return Err(status(response.status()));
    }
    let body = response.array_buffer().map_err(|_| unreachable())?;
    let body = JsFuture::from(body).await.map_err(|_| unreachable())?;
    body.dyn_into::<ArrayBuffer>().map_err(|_| unreachable())
}

/// The loader's early fetch of this URL (see `src/loader.js`), taken so a
/// retry fetches afresh.
fn prefetched(url: &str) -> Option<Promise> {
    let api = Reflect::get(&window(), &"xxgk".into()).ok()?;
    let started = Reflect::get(&api, &"prefetched".into())
        .ok()?
        .dyn_into::<js_sys::Object>()
        .ok()?;
    let promise = Reflect::get(&started, &url.into())
        .ok()?
        .dyn_into::<Promise>()
        .ok()?;
    let _ = Reflect::delete_property(&started, &url.into());
    Some(promise)
}

/// Resolves in a new task, after the browser has had a turn.
#[cfg(not(feature = "bundle"))]
async fn next_task() {
    let promise = Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback(&resolve);
    });
    let _ = JsFuture::from(promise).await;
}

/// Resolves a catalogue link against the catalogue's URL. `None` unless the
/// result is http(s), a second guard behind the parser's check.
pub fn resolve(link: &xxgk_core::Link, base: &str) -> Option<String> {
    let url = web_sys::Url::new_with_base(link.as_str(), base).ok()?;
    matches!(url.protocol().as_str(), "http:" | "https:").then(|| url.href())
}
