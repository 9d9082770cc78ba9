use crate::load::Loaded;
use crate::state::WidgetState;
use leptos::html;
use leptos::prelude::*;
use xxgk_core::Filter;

/// The filter panel: category (narrow columns only), year, publisher,
/// township/village, validity, genre and order. Collapsed unless a filter
/// is set, so a phone sees the list first.
pub fn filter_bar(state: WidgetState, loaded: &Loaded) -> impl IntoView {
    let t = state.t();
    let active = move || state.view.with(|v| v.active_filters());
    let starts_open = untrack(active) > 0;
    let summary = move || match active() {
        0 => t.filters.to_owned(),
        n => format!("{}（{}）", t.filters, t.count(t.filters_active, n)),
    };
    let clear = move || {
        (active() > 0).then(|| {
            let href = state.href(&state.view.get().without_filters());
            view! { <a class="xxgk-filters__clear" href=href>{t.clear_filters}</a> }
        })
    };
    let menus: [(Filter, &'static str, &'static str); 7] = [
        (Filter::Category, t.category, t.all_categories),
        (Filter::Year, t.year, t.any_year),
        (Filter::Publisher, t.publisher, t.any),
        (Filter::Scope, t.scope, t.any_scope),
        (Filter::Validity, t.validity, t.any),
        (Filter::Genre, t.genre, t.any),
        (Filter::Order, t.order, t.newest_first),
    ];
    view! {
        <details class="xxgk-filters" open=starts_open>
            <summary class="xxgk-filters__summary">{summary}</summary>
            <div class="xxgk-filters__grid">
                {menus.map(|(filter, label, all)| filter_select(state, loaded, filter, label, all)).collect_view()}
            </div>
            {clear}
        </details>
    }
}

/// One labelled menu. Picking a value navigates, so Back undoes it; the
/// menu follows the hash (Back, shared links) without being re-created, so
/// it keeps keyboard focus.
fn filter_select(
    state: WidgetState,
    loaded: &Loaded,
    filter: Filter,
    label: &'static str,
    all: &'static str,
) -> impl IntoView {
    let options = loaded
        .facets
        .options(&loaded.catalogue, filter, state.lang());
    if options.is_empty() {
        return None;
    }
    let select = NodeRef::<html::Select>::new();
    Effect::new(move |_| {
        let value = state.view.with(|v| v.filter_value(filter));
        if let Some(select) = select.get() {
            select.set_value(&value);
        }
    });
    let pick = move |ev| {
        state.go(&state
            .view
            .get_untracked()
            .with_filter(filter, &event_target_value(&ev)))
    };
    let class = if filter == Filter::Category {
        "xxgk-field xxgk-field--narrow-only"
    } else {
        "xxgk-field"
    };
    let choices = std::iter::once((String::new(), all.to_owned()))
        .chain(options)
        .map(|(value, text)| view! { <option value=value>{text}</option> })
        .collect_view();
    Some(view! {
        <label class=class>
            <span class="xxgk-field__label">{label}</span>
            <select class="xxgk-field__select" aria-label=label node_ref=select on:change=pick data-filter=filter.code()>
                {choices}
            </select>
        </label>
    })
}
