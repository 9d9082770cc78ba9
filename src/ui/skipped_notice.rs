use crate::i18n::count;
use crate::load::Loaded;
use crate::state::WidgetState;
use leptos::prelude::*;

/// A folded note under the catalogue when entries were skipped for bad
/// data, listing each with its position, index number and problems, so
/// township staff can fix the file. Nothing shows when all is well.
pub fn skipped_notice(state: WidgetState, loaded: &Loaded) -> impl IntoView {
    #[cfg(not(feature = "bundle"))]
    let skipped: Vec<String> = loaded
        .catalogue
        .skipped
        .iter()
        .map(|s| s.message(state.lang()))
        .collect();
    // A published bundle's, as the publisher wrote them.
    #[cfg(feature = "bundle")]
    let skipped: Vec<String> = loaded
        .manifest
        .skipped
        .iter()
        .map(|(zh, en)| state.lang().pick(zh, en).to_owned())
        .collect();
    (!skipped.is_empty()).then(|| {
        let n = skipped.len();
        let lines = skipped
            .into_iter()
            .map(|s| view! { <li>{s}</li> })
            .collect_view();
        view! {
            <details class="xxgk-skipped">
                <summary class="xxgk-skipped__summary">{count(state.t().skipped, n)}</summary>
                <ul lang=state.lang().staff_tag()>{lines}</ul>
            </details>
        }
    })
}
