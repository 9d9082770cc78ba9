//! The replies published with their authors' consent, and this year's
//! figures: how many messages and disclosure requests were received, and
//! how many answered, and answered on time.

use crate::card::reply_card;
use crate::net::{self, Failure};
use crate::widget::Widget;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use xxgk_core::api::Replies;

/// The list, fetched when the panel opens.
pub fn replies(widget: Widget) -> impl IntoView {
    let loaded = RwSignal::new(None::<Result<Replies, Failure>>);
    let url = widget.site_api("/api/replies");
    leptos::task::spawn_local(async move {
        // Nothing to do if the panel is gone.
        let _ = loaded.try_set(Some(match net::get(url).await {
            Ok(Some(text)) => Replies::read(&text).map_err(|_| Failure::Unreadable),
            Ok(None) => Err(Failure::Server(404)),
            Err(failure) => Err(failure),
        }));
    });
    let words = move || widget.words();
    let body = move || match loaded.get() {
        None => EitherOf3::A(view! { <p>{words().loading}</p> }),
        Some(Err(failure)) => EitherOf3::B(view! {
            <p class="xxgk-form__alert" role="alert">{move || failure.lookup_message(words())}</p>
        }),
        Some(Ok(published)) => {
            let empty = published.items.is_empty().then(|| {
                view! { <p>{move || words().no_replies}</p> }
            });
            let items: Vec<_> = published
                .items
                .into_iter()
                .map(|item| {
                    view! {
                        <li class="xxgk-form__reply">
                            <h4 class="xxgk-form__reply-subject">{item.subject.clone()}</h4>
                            {reply_card(widget, item)}
                        </li>
                    }
                })
                .collect();
            let stats = published.stats;
            EitherOf3::C(view! {
                <p class="xxgk-form__stats">{move || words().summary(&stats)}</p>
                {empty}
                <ul class="xxgk-form__replies">{items}</ul>
            })
        }
    };
    view! {
        <section class="xxgk-form">
            <h3 class="xxgk-form__heading" tabindex="-1" node_ref=widget.heading>{move || words().replies}</h3>
            <p class="xxgk-form__hint">{move || words().replies_hint}</p>
            {body}
        </section>
    }
}
