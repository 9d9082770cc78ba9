use crate::load::Loaded;
#[cfg(feature = "bundle")]
use crate::search::Results;
use crate::search::Search;
use crate::state::WidgetState;
use leptos::prelude::*;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
#[cfg(feature = "bundle")]
use xxgk_core::bundle::answer::Answer;
use xxgk_core::{Panel, View};

#[wasm_bindgen]
extern "C" {
    /// See `xxgk.showPanel` in `src/loader.js`.
    #[wasm_bindgen(js_namespace = xxgk, js_name = showPanel)]
    fn show_panel(
        root: &web_sys::HtmlElement,
        endpoint: &str,
        key: &str,
        open: bool,
        link: &str,
        title: &str,
    );
}

/// The feedback panels, on widgets with `data-feedback`: as the view
/// changes (or the title of the entry a question is about comes), tells
/// the loader, which shows the way to them (a link to the form) in the
/// widget's `root`, or has the feedback module (crates/form) draw the
/// panel the view names over the catalogue. The module is fetched the
/// first time a panel opens.
pub fn follow_panels(
    state: WidgetState,
    data: RwSignal<Option<Result<Arc<Loaded>, crate::load::LoadError>>>,
    search: Search,
    root: NodeRef<leptos::html::Div>,
) {
    let Some(endpoint) = state.feedback.get_value() else {
        return;
    };
    Effect::new(move |_| {
        let view = state.view.get();
        // Told again when the visitor switches language: the loader reads
        // it from the host.
        state.lang();
        // The entry a question is about, by title once the catalogue is
        // there (from a published bundle, once the entry has come).
        #[cfg(not(feature = "bundle"))]
        let title = view
            .item
            .as_ref()
            .and_then(|id| {
                let _ = search;
                data.with(|d| match d {
                    Some(Ok(loaded)) => loaded.catalogue.item(id).map(|i| i.title.clone()),
                    _ => None,
                })
            })
            .unwrap_or_default();
        #[cfg(feature = "bundle")]
        let title = view
            .item
            .as_ref()
            .and_then(|id| {
                let _ = data;
                search.results.with(|r| match r {
                    Some(Results {
                        answer: Answer::Entry(Some(item)),
                        ..
                    }) if item.id == *id => Some(item.title.clone()),
                    _ => None,
                })
            })
            .unwrap_or_default();
        let open = view.panel != Panel::Catalogue;
        // The way to the form (with the open entry, if any: the question
        // is about it), or back from a panel.
        let link = state.href(&View {
            panel: if open { Panel::Catalogue } else { Panel::Write },
            ..view
        });
        if let Some(root) = root.get() {
            show_panel(&root, &endpoint, &state.key(), open, &link, &title);
        }
    });
}
