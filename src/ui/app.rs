use super::browser::browser;
use super::feedback_panel::follow_panels;
use super::load_failure::load_failure;
use super::skeleton::skeleton;
use crate::embed::Mount;
use crate::load;
use crate::search::Search;
use crate::state::WidgetState;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// The whole widget: heading, then the skeleton, the catalogue or the
/// reason it cannot be shown.
#[component]
pub fn App(mount: Mount) -> impl IntoView {
    let state = WidgetState::new(&mount);
    // A signal filled by a spawned task rather than a LocalResource: the
    // resource machinery cost 8 KB of the 100 KB compressed budget.
    let url = StoredValue::new(mount.catalogue_url.clone());
    let data = RwSignal::new(None);
    let search = Search::new();
    let fetch = move || {
        data.set(None);
        let url = url.get_value();
        leptos::task::spawn_local(async move {
            match load::catalogue(url).await {
                Ok((loaded, file)) => {
                    #[cfg(feature = "bundle")]
                    search.start_bundle_after_paint(file, loaded.clone());
                    data.set(Some(Ok(loaded)));
                    #[cfg(not(feature = "bundle"))]
                    search.start_after_paint(file);
                }
                Err(error) => data.set(Some(Err(error))),
            }
        });
    };
    fetch();
    let root = NodeRef::new();
    follow_panels(state, data, search, root);
    let title = mount.config.title.clone();
    let heading = move || {
        title
            .clone()
            .unwrap_or_else(|| state.t().heading.to_owned())
    };
    let accent = mount
        .config
        .theme_color
        .clone()
        .filter(|c| is_css_color(c))
        .map(|c| format!("--xxgk-accent:{c}"));
    // Elderly mode and the language switch: the loader's, in the header.
    Effect::new(move |done: Option<bool>| {
        done == Some(true)
            || root
                .get()
                .map(|root| settings(&root, &state.host()))
                .is_some()
    });
    view! {
        <div class="xxgk" lang=move || state.lang().tag() style=accent node_ref=root>
            <header class="xxgk__header">
                <h2 class="xxgk__heading">{heading}</h2>
            </header>
            {move || match data.get() {
                None => EitherOf3::A(skeleton(state)),
                Some(Ok(loaded)) => EitherOf3::B(browser(state, loaded, search)),
                Some(Err(error)) => EitherOf3::C(load_failure(state, error, fetch)),
            }}
        </div>
    }
}

#[wasm_bindgen]
extern "C" {
    /// See `xxgk.settings` in `src/loader.js`.
    #[wasm_bindgen(js_namespace = xxgk)]
    fn settings(root: &web_sys::HtmlElement, host: &web_sys::HtmlElement);
}

/// Whether the browser reads `value` as a colour, so that a typo in
/// `data-theme-color` cannot inject other declarations.
fn is_css_color(value: &str) -> bool {
    !value.contains([';', '{', '}'])
        && web_sys::css::supports_with_value("color", value).unwrap_or(false)
}
