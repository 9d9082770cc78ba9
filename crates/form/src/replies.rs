//! The replies published with their authors' consent, and how promptly
//! submissions are answered.

use crate::check::{lookup_failure, status_card, Status};
use crate::net::{self, Failure};
use crate::panel::Widget;
use leptos::either::EitherOf3;
use leptos::prelude::*;
use xxgk_core::json::{self, Json};

#[derive(Clone, Debug, PartialEq)]
struct Published {
    items: Vec<Status>,
    received: u64,
    replied: u64,
    /// The reply rate, in thousandths.
    rate: Option<u64>,
    /// The median days to reply, in thousandths.
    median_days: Option<u64>,
}

fn read(text: &str) -> Option<Published> {
    let json = json::parse(text).ok()?;
    let number = |j: &Json, key: &str| j.get(key).and_then(Json::thousandths);
    let stats = json.get("stats")?;
    let items = match json.get("items")? {
        Json::Array(items) => items.iter().map(Status::read).collect(),
        _ => return None,
    };
    Some(Published {
        items,
        received: number(stats, "received").unwrap_or(0) / 1000,
        replied: number(stats, "replied").unwrap_or(0) / 1000,
        rate: number(stats, "reply_rate"),
        median_days: number(stats, "median_days_to_reply"),
    })
}

/// The list, fetched when the panel opens.
pub fn replies(widget: Widget) -> impl IntoView {
    let loaded = RwSignal::new(None::<Result<Published, Failure>>);
    let url = widget.api("/api/replies");
    leptos::task::spawn_local(async move {
        loaded.set(Some(match net::get(url).await {
            Ok(Some(text)) => read(&text).ok_or(Failure::Unreadable),
            Ok(None) => Err(Failure::Server(404)),
            Err(failure) => Err(failure),
        }));
    });
    let body = move || match loaded.get() {
        None => EitherOf3::A(view! { <p>"正在加载……"</p> }),
        Some(Err(failure)) => EitherOf3::B(view! {
            <p class="xxgk-form__alert" role="alert">{lookup_failure(&failure)}</p>
        }),
        Some(Ok(published)) => {
            let mut stats = format!(
                "共收到留言和申请 {} 件，已答复 {} 件",
                published.received, published.replied
            );
            if let Some(rate) = published.rate {
                stats.push_str(&format!("，答复率 {}%", (rate + 5) / 10));
            }
            if let Some(days) = published.median_days {
                let tenths = (days + 50) / 100;
                stats.push_str(&format!(
                    "，半数在 {}.{} 天内答复",
                    tenths / 10,
                    tenths % 10
                ));
            }
            stats.push('。');
            let empty = published.items.is_empty().then(|| {
                view! { <p>"还没有公开的答复。"</p> }
            });
            let items: Vec<_> = published
                .items
                .iter()
                .map(|item| {
                    view! {
                        <li class="xxgk-form__reply">
                            <h4 class="xxgk-form__reply-subject">{item.subject.clone()}</h4>
                            {status_card(item)}
                        </li>
                    }
                })
                .collect();
            EitherOf3::C(view! {
                <p class="xxgk-form__stats">{stats}</p>
                {empty}
                <ul class="xxgk-form__replies">{items}</ul>
            })
        }
    };
    view! {
        <section class="xxgk-form">
            <h3 class="xxgk-form__heading" tabindex="-1">"答复公开"</h3>
            <p class="xxgk-form__hint">"以下是提交人同意公开的留言标题和答复；姓名、联系方式和留言正文不公开。"</p>
            {body}
        </section>
    }
}
