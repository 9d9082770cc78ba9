use crate::state::WidgetState;
use leptos::prelude::*;

/// Grey placeholder rows while the catalogue loads, with the words for
/// screen readers and for anyone on a slow line.
pub fn skeleton(state: WidgetState) -> impl IntoView {
    view! {
        <div class="xxgk-skeleton" aria-busy="true">
            <p class="xxgk-skeleton__text" role="status">{state.t().loading}</p>
            <div class="xxgk-skeleton__rows"></div>
        </div>
    }
}
