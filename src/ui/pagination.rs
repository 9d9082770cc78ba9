use crate::state::WidgetState;
use leptos::either::Either;
use leptos::prelude::*;
use xxgk_core::View;

/// Previous and next page links around "page x of y"; nothing when one
/// page holds everything.
pub fn pagination(state: WidgetState, page: usize, pages: usize, view: &View) -> impl IntoView {
    let t = state.t();
    let link = |text: &'static str, target: usize, class: &'static str| {
        if (1..=pages).contains(&target) && target != page {
            let href = state.href(&View {
                page: target,
                ..view.clone()
            });
            Either::Left(view! { <a class=class href=href>{text}</a> })
        } else {
            Either::Right(view! { <span class=class aria-disabled="true">{text}</span> })
        }
    };
    (pages > 1).then(|| {
        let (before, middle, after) = t.page_of;
        view! {
            <nav class="xxgk-pages" aria-label=t.pages>
                {link(t.previous, page - 1, "xxgk-pages__link xxgk-pages__link--previous")}
                <span class="xxgk-pages__status">{format!("{before}{}{middle}{}{after}", t.number(page), t.number(pages))}</span>
                {link(t.next, page + 1, "xxgk-pages__link xxgk-pages__link--next")}
            </nav>
        }
    })
}
