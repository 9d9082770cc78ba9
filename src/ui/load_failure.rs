use crate::load::LoadError;
use crate::state::WidgetState;
use leptos::prelude::*;

/// Why the catalogue cannot be shown, and a button to try again.
pub fn load_failure(
    state: WidgetState,
    error: LoadError,
    retry: impl Fn() + 'static,
) -> impl IntoView {
    let t = state.t();
    let lang = state.lang();
    let marked = error.is_for_staff().then(|| lang.staff_tag()).flatten();
    view! {
        <div class="xxgk-failure" role="alert">
            <p class="xxgk-failure__title">{t.load_failed}</p>
            <p class="xxgk-failure__detail" lang=marked>{error.message(lang)}</p>
            <button type="button" class="xxgk-button" on:click=move |_| retry()>{t.retry}</button>
        </div>
    }
}
