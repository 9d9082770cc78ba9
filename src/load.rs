//! Fetching and reading the catalogue file.

use gloo_net::http::Request;
use std::sync::Arc;
use web_sys::RequestCache;
use xxgk_core::{Catalogue, CatalogueError, Facets, Lang};

/// A catalogue ready to browse, with what the menus need computed once.
pub struct Loaded {
    /// The catalogue.
    pub catalogue: Catalogue,
    /// The values of each filter.
    pub facets: Facets,
    /// Entries per category, descendants included.
    pub counts: Vec<usize>,
    /// The catalogue's URL, against which its relative links resolve.
    pub url: String,
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
    Catalogue(#[from] CatalogueError),
}

impl LoadError {
    /// What happened and what to do, for the citizen and the web team.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (LoadError::Unreachable { url }, Lang::Zh) => {
                format!("无法连接到目录文件 {url}。请检查网络后重试；如果一直如此，请告知网站管理员。")
            }
            (LoadError::Unreachable { url }, Lang::En) => format!(
                "Cannot reach the catalogue file {url}. Check your connection and try again; if it persists, tell the site's webmaster."
            ),
            (LoadError::Status { url, status: 404 }, Lang::Zh) => {
                format!("找不到目录文件 {url}（404）。请网站管理员检查 data-catalogue 地址。")
            }
            (LoadError::Status { url, status: 404 }, Lang::En) => {
                format!("The catalogue file {url} was not found (404). The webmaster should check data-catalogue.")
            }
            (LoadError::Status { url, status }, Lang::Zh) => {
                format!("读取目录文件 {url} 时服务器出错（HTTP {status}）。请稍后重试。")
            }
            (LoadError::Status { url, status }, Lang::En) => {
                format!("The server failed while sending {url} (HTTP {status}). Try again later.")
            }
            (LoadError::Catalogue(error), lang) => error.message(lang),
        }
    }
}

/// Fetches and reads the catalogue. The browser revalidates it every time,
/// so staff edits show at once.
pub async fn catalogue(url: String) -> Result<Arc<Loaded>, LoadError> {
    let unreachable = || LoadError::Unreachable { url: url.clone() };
    let response = Request::get(&url)
        .cache(RequestCache::NoCache)
        .send()
        .await
        .map_err(|_| unreachable())?;
    if !response.ok() {
        return Err(LoadError::Status {
            url,
            status: response.status(),
        });
    }
    let bytes = response.binary().await.map_err(|_| unreachable())?;
    let catalogue = Catalogue::parse(&url, &bytes)?;
    let facets = Facets::of(&catalogue);
    let counts = catalogue.category_counts();
    Ok(Arc::new(Loaded {
        catalogue,
        facets,
        counts,
        url,
    }))
}

/// Resolves a catalogue link against the catalogue's URL. `None` unless the
/// result is http(s), a second guard behind the parser's check.
pub fn resolve(link: &xxgk_core::Link, base: &str) -> Option<String> {
    let url = web_sys::Url::new_with_base(link.as_str(), base).ok()?;
    matches!(url.protocol().as_str(), "http:" | "https:").then(|| url.href())
}
