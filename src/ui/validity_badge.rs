use leptos::prelude::*;
use xxgk_core::{Lang, Validity};

/// 有效 / 失效 / 废止 as a labelled badge: words, not colour alone.
pub fn validity_badge(validity: Validity, lang: Lang) -> impl IntoView {
    let class = match validity {
        Validity::Valid => "xxgk-badge xxgk-badge--valid",
        Validity::Expired => "xxgk-badge xxgk-badge--expired",
        Validity::Repealed => "xxgk-badge xxgk-badge--repealed",
    };
    view! { <span class=class>{validity.label(lang)}</span> }
}
