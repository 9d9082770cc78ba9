use super::filter_bar::filter_bar;
use super::pagination::pagination;
use super::validity_badge::validity_badge;
use crate::i18n::count;
use crate::load::Loaded;
use crate::state::WidgetState;
use leptos::either::Either;
use leptos::prelude::*;
use std::sync::Arc;
use xxgk_core::{Level, Validity, View};

/// The filters, the count, one page of entries and the page links. The
/// filters stay put; the rest is rendered anew for each hash change.
pub fn item_list(state: WidgetState, loaded: Arc<Loaded>) -> impl IntoView {
    let t = state.t();
    let filters = filter_bar(state, &loaded);
    let results = move || {
        let view = state.view.get();
        let selection = loaded.catalogue.select(&view, state.page_size);
        let body = if selection.total == 0 {
            let show_all = state.href(&View {
                category: None,
                ..view.clone().without_filters()
            });
            Either::Left(view! {
                <div class="xxgk-empty">
                    <p>{t.nothing_found}</p>
                    <p><a href=show_all>{t.nothing_found_hint}</a></p>
                </div>
            })
        } else {
            let rows = selection
                .items
                .iter()
                .map(|&index| item_row(state, &loaded, index, &view))
                .collect_view();
            Either::Right(view! { <ul class="xxgk-list" aria-label=t.list_label>{rows}</ul> })
        };
        view! {
            <p class="xxgk-list__count" tabindex="-1" role="status">
                {count(t.total, selection.total)}
            </p>
            {body}
            {pagination(state, selection.page, selection.pages, &view)}
        }
    };
    view! {
        {filters}
        {results}
    }
}

/// One entry in the list: its title as a link, then date, publisher, 文号,
/// and a badge when it is no longer in force.
fn item_row(state: WidgetState, loaded: &Loaded, index: usize, view: &View) -> impl IntoView {
    let item = &loaded.catalogue.items[index];
    let href = state.href(&View {
        item: Some(item.id.clone()),
        ..view.clone()
    });
    let village = (item.level == Level::Village).then(|| {
        item.village
            .clone()
            .unwrap_or_else(|| item.level.label(state.lang).into())
    });
    // Date, publisher and 文号 as one line of text: one node, not three.
    let mut meta = format!("{}　{}", item.published, item.publisher);
    if let Some(doc_number) = &item.doc_number {
        meta.push('　');
        meta.push_str(doc_number);
    }
    view! {
        <li class="xxgk-list__item">
            <a class="xxgk-list__title" href=href>{item.title.clone()}</a>
            <span class="xxgk-list__meta">
                {meta}
                {village.map(|v| view! { <span class="xxgk-tag">{v}</span> })}
                {(item.validity != Validity::Valid).then(|| validity_badge(item.validity, state.lang))}
            </span>
        </li>
    }
}
