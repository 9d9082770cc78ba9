use crate::search::Search;
use crate::state::WidgetState;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Event, HtmlInputElement};
use xxgk_core::View;

/// The search box. Results follow each keystroke (Enter works too); the
/// query lives in the hash, one history entry per search rather than per
/// keystroke, so Back returns to the previous search. While an input
/// method is composing (pinyin being turned into characters), nothing is
/// searched until the characters are chosen.
pub fn search_box(state: WidgetState, search: Search) -> impl IntoView {
    let t = state.t();
    view! {
        <form class="xxgk-search" role="search" use:searching=(state, search)>
            <input
                type="search"
                class="xxgk-search__input"
                aria-label=t.search
                placeholder=t.search_hint
            />
            <button type="submit" class="xxgk-button">{t.search}</button>
        </form>
    }
}

/// Wires the form: one listener for focus (which wakes the search engine),
/// typing, input methods and Enter, and
/// the box following the query when Back or a link changes it. (Plain DOM
/// listeners: the widget's size budget has no room for one generic
/// handler per event.)
fn searching(form: web_sys::Element, (state, engine): (WidgetState, Search)) {
    // Whether the next change starts a new history entry.
    let settled = StoredValue::new(true);
    let on_event = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        if event.type_() == "focusin" {
            engine.wake();
            return;
        }
        if event.type_() == "submit" {
            event.prevent_default();
            settled.set_value(true);
            return;
        }
        let composing = js_sys::Reflect::get(&event, &"isComposing".into());
        if event.type_() == "compositionend" || !composing.is_ok_and(|c| c.is_truthy()) {
            if let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                search(state, settled, input.value());
            }
        }
    });
    for kind in ["focusin", "submit", "input", "compositionend"] {
        let _ = form.add_event_listener_with_callback(kind, on_event.as_ref().unchecked_ref());
    }
    on_event.forget();
    // Back and shared links change the query and so the box; while the
    // citizen types, the view already holds what is in the box, so this
    // changes nothing (nor the caret). (Effects run once the form has its
    // children.)
    Effect::new(move |_| {
        let query = state.view.with(|v| v.query.clone().unwrap_or_default());
        let input = form
            .first_element_child()
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok());
        if let Some(input) = input.filter(|input| input.value() != query) {
            input.set_value(&query);
        }
    });
}

/// Shows the results for `text`: the first change of a search is a new
/// history entry, the rest replace it.
fn search(state: WidgetState, settled: StoredValue<bool>, text: String) {
    let view = state.view.get_untracked();
    let query = (!text.trim().is_empty()).then_some(text);
    if query == view.query {
        return;
    }
    let next = View {
        query,
        item: None,
        page: 1,
        ..view.clone()
    };
    if view.query.is_none() || settled.get_value() {
        settled.set_value(false);
        state.go(&next);
    } else {
        state.replace(&next);
    }
}
