use super::category_tree::category_tree;
use super::item_detail::item_detail;
use super::item_list::item_list;
use super::search_box::search_box;
use super::skipped_notice::skipped_notice;
use crate::load::Loaded;
use crate::search::{Engine, Search};
use crate::state::WidgetState;
use leptos::either::Either;
use leptos::prelude::*;
use std::sync::Arc;
use xxgk_core::{Panel, View};

/// The loaded catalogue: who publishes it, the category tree beside the
/// list or the open entry, and any entries skipped for bad data.
pub fn browser(state: WidgetState, loaded: Arc<Loaded>, search: Search) -> impl IntoView {
    let t = state.t();
    let site = &loaded.catalogue.site;
    let updated = site
        .updated
        .map(|d| format!("{} {}", t.updated, crate::i18n::date(state.lang(), d)));
    let main = loaded.clone();
    let open_item = Memo::new(move |_| state.view.with(|v| v.item.clone()));
    follow_focus(state);
    ask_as_the_view_changes(state, search, &loaded);
    announce_ready(state);
    view! {
        <p class="xxgk__site">
            <span>{site.name.clone()}</span>
            {updated.map(|u| view! { <span>{u}</span> })}
        </p>
        {search_box(state, search)}
        <div class="xxgk__layout">
            {category_tree(state, &loaded)}
            <div class="xxgk__main">
                {move || match open_item.get() {
                    Some(id) => Either::Left(item_detail(state, main.clone(), search, id)),
                    None => Either::Right(item_list(state, main.clone(), search)),
                }}
            </div>
        </div>
        {skipped_notice(state, &loaded)}
    }
}

/// After a navigation inside the widget, puts keyboard focus where the new
/// content starts: the entry's title when one opens, the result count when
/// the page turns or the list comes back; back where the catalogue was
/// left when a feedback panel closes. A shared link to an entry lands on
/// its title too. Filter changes keep focus on the menu.
fn follow_focus(state: WidgetState) {
    Effect::new(move |previous: Option<View>| {
        let view = state.view.get();
        let closed =
            |before: &View| before.panel != Panel::Catalogue && view.panel == Panel::Catalogue;
        let target = match &previous {
            None => view.item.is_some().then_some(".xxgk-detail__title"),
            Some(before) if view.item.is_some() && (view.item != before.item || closed(before)) => {
                Some(".xxgk-detail__title")
            }
            Some(before) if closed(before) => Some(".xxgk-list__count"),
            Some(before)
                if view.item.is_none() && (before.item.is_some() || before.page != view.page) =>
            {
                Some(".xxgk-list__count")
            }
            Some(_) => None,
        };
        if let Some(selector) = target {
            state.focus(selector);
        }
        view
    });
}

/// Sends the query to the search engine whenever it, the view (filters,
/// page) or the engine's readiness changes; for a published bundle, also
/// every view its manifest does not hold (another page, a filter, an open
/// entry).
fn ask_as_the_view_changes(state: WidgetState, search: Search, loaded: &Arc<Loaded>) {
    #[cfg(feature = "bundle")]
    let loaded = loaded.clone();
    #[cfg(not(feature = "bundle"))]
    let _ = loaded;
    Effect::new(move |_| {
        #[cfg(not(feature = "bundle"))]
        let query = state.view.with(|v| v.query.clone());
        #[cfg(feature = "bundle")]
        let view = state.view.get();
        let hash = state.asked();
        #[cfg(feature = "bundle")]
        let query = view.query.clone().or_else(|| {
            (view.item.is_some() || loaded.manifest.first_page(&view, state.page_size).is_none())
                .then(String::new)
        });
        match (query, search.engine.get()) {
            (Some(query), Engine::Ready) => {
                search.ask(&query, &hash, &state.key(), state.page_size)
            }
            (Some(_), Engine::Starting) => search.wake(),
            _ => {}
        }
    });
}

/// Tells the portal, with an `xxgk:ready` event on the host, that the first
/// view is on screen: fired in the animation frame after the first render.
fn announce_ready(state: WidgetState) {
    let host = state.host();
    request_animation_frame(move || {
        if let Ok(event) = web_sys::Event::new("xxgk:ready") {
            let _ = host.dispatch_event(&event);
        }
    });
}
