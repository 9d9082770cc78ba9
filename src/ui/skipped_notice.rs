use crate::load::Loaded;
use crate::state::WidgetState;
use leptos::prelude::*;

/// A folded note under the catalogue when entries were skipped for bad
/// data, listing each with its position, index number and problems, so
/// township staff can fix the file. Nothing shows when all is well.
pub fn skipped_notice(state: WidgetState, loaded: &Loaded) -> impl IntoView {
    let t = state.t();
    let lang = state.lang();
    // A catalogue file's, said by the search engine's module when the note
    // is first opened (`explained`); meanwhile, that they are coming.
    #[cfg(not(feature = "bundle"))]
    let (n, lines, ask) = {
        let lines = RwSignal::new(vec![t.loading.to_owned()]);
        let url = loaded.url.clone();
        let asked = StoredValue::new(false);
        let ask = move |_| {
            if !asked.get_value() {
                asked.set_value(true);
                let url = url.clone();
                leptos::task::spawn_local(async move {
                    lines.set(crate::load::explained(&url, lang).await);
                });
            }
        };
        (loaded.catalogue.skipped.len(), lines, ask)
    };
    // A published bundle's, as the publisher wrote them.
    #[cfg(feature = "bundle")]
    let (n, lines, ask) = {
        let lines: Vec<String> = loaded
            .manifest
            .skipped
            .iter()
            .map(|(zh, en)| lang.pick(zh, en).to_owned())
            .collect();
        (lines.len(), RwSignal::new(lines), |_| {})
    };
    (n > 0).then(|| {
        let shown = move || {
            lines
                .get()
                .into_iter()
                .map(|s| view! { <li>{s}</li> })
                .collect_view()
        };
        view! {
            <details class="xxgk-skipped" on:toggle=ask>
                <summary class="xxgk-skipped__summary">{t.count(t.skipped, n)}</summary>
                <ul lang=lang.staff_tag()>{shown}</ul>
            </details>
        }
    })
}
