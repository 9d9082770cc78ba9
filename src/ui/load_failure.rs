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
    // A catalogue that cannot be read: the search engine's module says why.
    let detail = RwSignal::new(error.message(lang));
    #[cfg(not(feature = "bundle"))]
    if let LoadError::Catalogue(problem) = &error {
        let url = problem.file().to_owned();
        leptos::task::spawn_local(async move {
            detail.set(crate::load::explained(&url, lang).await.join("\n"));
        });
    }
    view! {
        <div class="xxgk-failure" role="alert">
            <p class="xxgk-failure__title">{t.load_failed}</p>
            <p class="xxgk-failure__detail" lang=marked>{detail}</p>
            <button type="button" class="xxgk-button" on:click=move |_| retry()>{t.retry}</button>
        </div>
    }
}
