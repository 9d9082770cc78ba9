use super::metadata_card::metadata_card;
use crate::i18n::Strings;
use crate::load::{resolve, Loaded};
#[cfg(feature = "bundle")]
use crate::search::Engine;
use crate::search::Search;
use crate::state::WidgetState;
use leptos::either::Either;
use leptos::prelude::*;
use std::sync::Arc;
#[cfg(feature = "bundle")]
use xxgk_core::bundle::answer::Answer;
use xxgk_core::{Attachment, Item, View};

/// One entry: its metadata card, summary, full text, attachments and a
/// link to the original; or a note that it is gone, for stale shared links.
/// From a published bundle, the entry comes from the search engine, which
/// fetches its shard: a note says so meanwhile, or that it failed.
pub fn item_detail(
    state: WidgetState,
    loaded: Arc<Loaded>,
    search: Search,
    id: String,
) -> impl IntoView {
    let t = state.t();
    // While the entry's file is on its way, a note stands in its place.
    #[cfg(feature = "bundle")]
    let waited = StoredValue::new(false);
    move || {
        let back = state.href(&View {
            item: None,
            ..state.view.get()
        });
        let back = view! { <a class="xxgk-detail__back" href=back>{t.back_to_list}</a> };
        #[cfg(not(feature = "bundle"))]
        {
            let _ = search;
            entry(state, &loaded, back, loaded.catalogue.item(&id))
        }
        #[cfg(feature = "bundle")]
        {
            let _ = &id;
            let shown = match search.results.get() {
                Some(r) if r.asked.hash == state.asked() => match r.answer {
                    Answer::Entry(item) => Ok(item),
                    _ => Err(true),
                },
                _ => Err(search.engine.get() == Engine::Failed),
            };
            // Focus on the note (it opened the entry) goes to what
            // replaces it, the entry's title or the note that it failed,
            // rather than out of the widget.
            if waited.get_value() && state.has_focus(".xxgk-detail__title") {
                state.focus(".xxgk-detail__title");
            }
            waited.set_value(shown.is_err());
            match shown {
                Ok(item) => Either::Right(entry(state, &loaded, back, item.as_deref())),
                Err(failed) => {
                    let again = move |_| search.retry(&state.key(), state.page_size);
                    Either::Left(view! {
                        <div class="xxgk-detail" aria-busy=(!failed).then_some("true")>
                            {back}
                            <p class="xxgk-detail__title" tabindex="-1" role="status">
                                {if failed { t.part_failed } else { t.loading }}
                                {failed.then(|| view! { <button type="button" class="xxgk-button" on:click=again>{t.retry}</button> })}
                            </p>
                        </div>
                    })
                }
            }
        }
    }
}

/// The entry with the link back to the list, or the note that it is gone.
fn entry(
    state: WidgetState,
    loaded: &Loaded,
    back: impl IntoView,
    item: Option<&Item>,
) -> impl IntoView {
    let t = state.t();
    match item {
        None => Either::Left(view! {
            <div class="xxgk-detail xxgk-detail--missing">
                {back}
                <h3 class="xxgk-detail__title" tabindex="-1" role="alert">{t.not_found}</h3>
            </div>
        }),
        Some(item) => Either::Right(view! {
            <article class="xxgk-detail">
                {back}
                <h3 class="xxgk-detail__title" tabindex="-1">{item.title.clone()}</h3>
                {metadata_card(state, loaded, item)}
                {contents(state, &loaded.url, item)}
            </article>
        }),
    }
}

/// Summary, full text, attachments and the original, each only if present.
fn contents(state: WidgetState, base: &str, item: &Item) -> impl IntoView {
    let t = state.t();
    // The full text keeps its line breaks through `white-space: pre-line`,
    // each paragraph opened by two ideographic spaces as Chinese documents
    // are set: one text node, however long the document.
    let body = item.body.as_deref().map(|body| {
        let text = body
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(|line| format!("\u{3000}\u{3000}{line}"))
            .collect::<Vec<_>>()
            .join("\n");
        view! {
            <section class="xxgk-detail__section">
                <h4 class="xxgk-detail__subheading">{t.body}</h4>
                <div class="xxgk-detail__body">{text}</div>
            </section>
        }
    });
    let summary = item.summary.clone().map(|summary| {
        view! {
            <section class="xxgk-detail__section">
                <h4 class="xxgk-detail__subheading">{t.summary}</h4>
                <p>{summary}</p>
            </section>
        }
    });
    let files: Vec<_> = item
        .attachments
        .iter()
        .filter_map(|file| {
            let href = resolve(&file.url, base)?;
            Some(attachment(t, file, href))
        })
        .collect();
    let attachments = (!files.is_empty()).then(|| {
        view! {
            <section class="xxgk-detail__section">
                <h4 class="xxgk-detail__subheading">{t.attachments}</h4>
                <ul>{files}</ul>
            </section>
        }
    });
    let original = item
        .link
        .as_ref()
        .and_then(|link| resolve(link, base))
        .map(|href| {
            view! {
                <p class="xxgk-detail__section">
                    <a class="xxgk-button" href=href target="_blank" rel="noopener noreferrer">
                        {t.original}
                        <span class="xxgk-visually-hidden">{t.new_window}</span>
                    </a>
                </p>
            }
        });
    (summary, body, attachments, original)
}

/// An attachment: its name as a link, then its type and size where
/// known, and a word when a phone may need an app for it.
fn attachment(t: &'static Strings, file: &Attachment, href: String) -> impl IntoView {
    let about = file.about(t.file_about, t.needs_app);
    view! {
        <li>
            <a class="xxgk-detail__file" href=href>{file.name.clone()}</a>
            {about}
        </li>
    }
}
