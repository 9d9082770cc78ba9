//! Looking up a submission by its lookup code: where it stands, and the
//! answer.

use crate::card::status_card;
use crate::i18n::Strings;
use crate::net::{self, Failure};
use crate::widget::{on_page_left, Widget};
use leptos::either::Either;
use leptos::prelude::*;
use xxgk_core::api::Lookup;

#[derive(Clone, Debug, PartialEq, Eq)]
enum Found {
    Nothing,
    /// Looked up with no code typed.
    Empty,
    Looking,
    Status(Box<Lookup>),
    Unknown,
    Failed(Failure),
}

/// The lookup: a box for the code, then what is found.
pub fn check(widget: Widget) -> impl IntoView {
    // Never filled in from before: the next person at a shared computer
    // must not find the last one's code.
    let code = RwSignal::new(String::new());
    let id = format!("{}-check-code", widget.ids());
    let hint = format!("{id}-hint");
    let found = RwSignal::new(Found::Nothing);
    // Nor is the code or what it found shown to whoever presses Back
    // after the page was left.
    on_page_left(move || {
        code.set(String::new());
        found.set(Found::Nothing);
    });
    let look = move || {
        // As the receiver reads it, full-width letters and digits
        // included; nothing but letters and digits goes in the address.
        let typed: String = xxgk_core::api::normalise_code(&code.get_untracked())
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        if typed.is_empty() {
            found.set(Found::Empty);
            return;
        }
        found.set(Found::Looking);
        let url = widget.api(&format!("/api/feedback/{typed}"));
        let visit = widget.visit();
        leptos::task::spawn_local(async move {
            let answer = net::get(url).await;
            if visit != widget.visit() {
                return;
            }
            // Nothing to do if the panel is gone.
            let _ = found.try_set(match answer {
                Ok(Some(text)) => match Lookup::read(&text) {
                    Ok(lookup) => Found::Status(Box::new(lookup)),
                    Err(_) => Found::Failed(Failure::Unreadable),
                },
                Ok(None) => Found::Unknown,
                Err(failure) => Found::Failed(failure),
            });
        });
    };
    let words = move || widget.words();
    let result = move || match found.get() {
        Found::Status(lookup) => Either::Right(status_card(widget, *lookup)),
        other => Either::Left(alert_for(words(), &other).map(|said| {
            view! { <p class="xxgk-form__alert" role="alert">{said}</p> }
        })),
    };
    view! {
        <form
            class="xxgk-form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                look();
            }
        >
            <h3 class="xxgk-form__heading" tabindex="-1" node_ref=widget.heading>{move || words().check}</h3>
            <div class="xxgk-form__field">
                <label class="xxgk-form__label" for=id.clone()>{move || words().code}</label>
                <p class="xxgk-form__hint" id=hint.clone()>{move || words().code_hint}</p>
                <input
                    id=id
                    class="xxgk-form__input xxgk-form__code-input"
                    type="text"
                    autocomplete="off"
                    autocapitalize="characters"
                    spellcheck="false"
                    aria-describedby=hint
                    prop:value=move || code.get()
                    on:input=move |ev| code.set(event_target_value(&ev))
                />
            </div>
            <button
                type="submit"
                class="xxgk-button xxgk-form__submit"
                disabled=move || found.with(|f| *f == Found::Looking)
            >
                {move || if found.with(|f| *f == Found::Looking) { words().looking } else { words().look }}
            </button>
            <div aria-live="polite">{result}</div>
        </form>
    }
}

fn alert_for(words: &Strings, found: &Found) -> Option<String> {
    Some(match found {
        Found::Nothing | Found::Looking | Found::Status(_) => return None,
        Found::Empty => words.no_code.into(),
        Found::Unknown => words.unknown_code.into(),
        Found::Failed(failure) => failure.lookup_message(words),
    })
}
