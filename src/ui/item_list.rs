use super::filter_bar::filter_bar;
use super::pagination::pagination;
use super::validity_badge::validity_badge;
use crate::i18n::Around;
use crate::load::Loaded;
use crate::search::{Engine, Search};
use crate::state::WidgetState;
use leptos::either::Either;
use leptos::prelude::document;
use leptos::prelude::*;
use std::sync::Arc;
#[cfg(feature = "bundle")]
use xxgk_core::bundle::answer::Answer;
#[cfg(feature = "bundle")]
use xxgk_core::bundle::Row;
#[cfg(feature = "bundle")]
use xxgk_core::search::page::Found;
use xxgk_core::search::page::Hit;
use xxgk_core::{Level, Validity, View};

/// The filters, the count, one page of entries and the page links: the
/// catalogue's, or the search engine's when there is a query. The filters
/// stay put; the rest is rendered anew for each hash change and answer.
pub fn item_list(state: WidgetState, loaded: Arc<Loaded>, search: Search) -> impl IntoView {
    let t = state.t();
    let filters = filter_bar(state, &loaded);
    let results = move || {
        let view = state.view.get();
        let page = match view.query.as_deref() {
            None => listed(state, &loaded, search, &view),
            Some(query) => found(state, search, query),
        };
        let body = if page.total == 0 && page.note.is_none() {
            Either::Left(nothing_found(state, &view))
        } else {
            #[cfg(not(feature = "bundle"))]
            let rows = page
                .hits
                .iter()
                .map(|hit| item_row(state, &loaded.catalogue.items[hit.index], hit, &view))
                .collect_view();
            #[cfg(feature = "bundle")]
            let rows = page
                .hits
                .iter()
                .zip(&page.rows)
                .map(|(hit, row)| item_row(state, row, hit, &view))
                .collect_view();
            Either::Right(view! { <ul class="xxgk-list" aria-label=t.list_label>{rows}</ul> })
        };
        let said = page
            .note
            .map_or_else(|| t.count(page.counted, page.total), str::to_owned);
        #[cfg(not(feature = "bundle"))]
        let said = view! {
            <p class="xxgk-list__count" tabindex="-1" role="status" aria-busy=page.note.is_some().then_some("true")>
                {said}
            </p>
        };
        // With a retry when a file the page needs could not be fetched.
        #[cfg(feature = "bundle")]
        let said = {
            let again = move |_| search.retry(&state.key(), state.page_size);
            let retry = page.failed.then(|| {
                view! { <button type="button" class="xxgk-button" on:click=again>{t.retry}</button> }
            });
            view! {
                <p class="xxgk-list__count" tabindex="-1" role="status" aria-busy=(page.note.is_some() && !page.failed).then_some("true")>
                    {said}
                    {retry}
                </p>
            }
        };
        view! {
            {said}
            {body}
            {pagination(state, page.page, page.pages, &view)}
        }
    };
    view! {
        {filters}
        {results}
    }
}

/// What the list shows: a page of entries, or a note while there is none.
struct Page {
    note: Option<&'static str>,
    /// The engine could not fetch what the page needs: try again.
    #[cfg(feature = "bundle")]
    failed: bool,
    counted: Around,
    total: usize,
    page: usize,
    pages: usize,
    hits: Vec<Hit>,
    /// The rows of the hits: a published bundle's come with them, as the
    /// widget holds no entries.
    #[cfg(feature = "bundle")]
    rows: Vec<Row>,
}

/// What a row of the list shows of an entry.
#[cfg(feature = "bundle")]
type Shown = Row;
#[cfg(not(feature = "bundle"))]
type Shown = xxgk_core::Item;

/// The view's page without a search, from the catalogue.
#[cfg(not(feature = "bundle"))]
fn listed(state: WidgetState, loaded: &Loaded, _: Search, view: &View) -> Page {
    let s = loaded.catalogue.select(view, state.page_size);
    let hits = s
        .items
        .into_iter()
        .map(|index| Hit {
            index,
            ..Hit::default()
        })
        .collect();
    Page {
        note: None,
        counted: state.t().total,
        total: s.total,
        page: s.page,
        pages: s.pages,
        hits,
    }
}

/// The view's page without a search, from a published bundle: the
/// manifest's own first page at once, any other from the engine, which
/// fetches what it needs.
#[cfg(feature = "bundle")]
fn listed(state: WidgetState, loaded: &Loaded, search: Search, view: &View) -> Page {
    match loaded.manifest.first_page(view, state.page_size) {
        Some(first) => Page {
            note: None,
            failed: false,
            counted: state.t().total,
            total: first.total,
            page: first.page,
            pages: first.pages,
            hits: vec![Hit::default(); first.rows.len()],
            rows: first.rows,
        },
        None => found(state, search, ""),
    }
}

/// The search engine's latest page for `query` (for a published bundle,
/// `""` is the view's page without a search): shown even while the answer
/// to a newer keystroke is on its way (with a note saying so), never in
/// place of a newer one; a note with a retry when a file it needs could
/// not be fetched.
fn found(state: WidgetState, search: Search, query: &str) -> Page {
    let t = state.t();
    let browsing = cfg!(feature = "bundle") && query.is_empty();
    let latest = search.results.get();
    let current = latest
        .as_ref()
        .is_some_and(|r| r.asked.query == query && r.asked.hash == state.asked());
    #[cfg(feature = "bundle")]
    let ((answer, rows), failed): ((Found, Vec<Row>), bool) = match latest.map(|r| r.answer) {
        Some(Answer::List(found, rows)) => ((found, rows), false),
        Some(Answer::Failed) => (Default::default(), current),
        _ => (Default::default(), false),
    };
    #[cfg(not(feature = "bundle"))]
    let (answer, failed) = (latest.map(|r| r.answer).unwrap_or_default(), false);
    #[cfg(feature = "bundle")]
    let part_failed = t.part_failed;
    #[cfg(not(feature = "bundle"))]
    let part_failed = "";
    let note = match search.engine.get() {
        _ if failed => Some(part_failed),
        Engine::Failed if browsing => Some(part_failed),
        Engine::Failed => Some(t.search_failed),
        Engine::Starting if browsing => Some(t.loading),
        Engine::Starting => Some(t.search_starting),
        Engine::Ready if !current && browsing => Some(t.loading),
        Engine::Ready if !current => Some(t.searching),
        Engine::Ready => None,
    };
    // While a newer view's answer is on its way, the page links lead on
    // from the page asked for, not from the one still shown: quick taps on
    // the next page each count.
    #[cfg(feature = "bundle")]
    let page = if current {
        answer.page
    } else {
        state.view.with(|v| v.page).min(answer.pages)
    };
    #[cfg(not(feature = "bundle"))]
    let page = answer.page;
    Page {
        note,
        #[cfg(feature = "bundle")]
        failed,
        counted: if browsing { t.total } else { t.found },
        total: answer.total,
        page: page.max(1),
        pages: answer.pages.max(1),
        hits: answer.hits,
        #[cfg(feature = "bundle")]
        rows,
    }
}

/// Nothing matches: say so, and offer the way out, without the filters (or
/// without the search).
fn nothing_found(state: WidgetState, view: &View) -> impl IntoView {
    let t = state.t();
    let unfiltered = View {
        category: None,
        ..view.clone().without_filters()
    };
    let (message, wider) = match view.query {
        Some(_) if unfiltered != *view => {
            (t.no_hits, Some((state.href(&unfiltered), t.remove_filters)))
        }
        Some(_) => (t.no_hits, None),
        None => (
            t.nothing_found,
            Some((state.href(&unfiltered), t.nothing_found_hint)),
        ),
    };
    let cleared = view.query.as_ref().map(|_| {
        state.href(
            &View {
                query: None,
                ..view.clone()
            }
            .restarted(),
        )
    });
    view! {
        <div class="xxgk-empty">
            <p>{message}</p>
            {wider.map(|(href, text)| view! { <p><a href=href>{text}</a></p> })}
            {cleared.map(|href| view! { <p><a href=href>{t.clear_search}</a></p> })}
        </div>
    }
}

/// One entry in the list: its title as a link, then date, publisher, 文号,
/// and a badge when it is no longer in force; for a search, what matched
/// is marked, with an excerpt of the text around the first match.
fn item_row(state: WidgetState, item: &Shown, hit: &Hit, view: &View) -> impl IntoView {
    let href = state.href(&View {
        item: Some(item.id.clone()),
        ..view.clone()
    });
    let village = (item.level == Level::Village).then(|| {
        item.village
            .clone()
            .unwrap_or_else(|| item.level.label(state.lang()).into())
    });
    // Date, publisher and 文号 as one line of text: one node, not three.
    let mut meta = format!(
        "{}　{}",
        crate::i18n::date(state.lang(), item.published),
        item.publisher
    );
    if let Some(doc_number) = &item.doc_number {
        meta.push('　');
        meta.push_str(doc_number);
    }
    let snippet = (!hit.snippet.is_empty()).then(|| {
        view! { <span class="xxgk-list__snippet" use:marked=(hit.snippet.clone(), hit.marks.clone())></span> }
    });
    view! {
        <li class="xxgk-list__item">
            <a class="xxgk-list__title" href=href use:marked=(item.title.clone(), hit.title.clone())></a>
            <span class="xxgk-list__meta">
                {meta}
                {village.map(|v| view! { <span class="xxgk-tag">{v}</span> })}
                {(item.validity != Validity::Valid).then(|| validity_badge(item.validity, state.lang()))}
            </span>
            {snippet}
        </li>
    }
}

/// Fills `element` with `text`, the byte ranges `marks` in `<mark>`: text
/// nodes only, never markup made from the text. (The list is re-rendered
/// in place, so the element may hold an earlier entry's text.)
fn marked(element: web_sys::Element, (text, marks): (String, Vec<(usize, usize)>)) {
    element.set_text_content(None);
    let document = document();
    let mut at = 0;
    for (start, end) in marks {
        let (Some(before), Some(inside)) = (text.get(at..start), text.get(start..end)) else {
            continue;
        };
        let Ok(mark) = document.create_element("mark") else {
            continue;
        };
        mark.set_class_name("xxgk-mark");
        mark.set_text_content(Some(inside));
        let _ = element.append_with_str_1(before);
        let _ = element.append_with_node_1(&mark);
        at = end;
    }
    let _ = element.append_with_str_1(text.get(at..).unwrap_or_default());
}
