use crate::load::Loaded;
use crate::state::WidgetState;
use leptos::prelude::*;
use xxgk_core::View;

/// The category tree with entry counts, beside the list on wide columns
/// (narrow columns get a category menu in the filter panel instead).
pub fn category_tree(state: WidgetState, loaded: &Loaded) -> impl IntoView {
    let t = state.t();
    // One list of (id, name, depth, count), "all" first with no id.
    let nodes: Vec<(Option<String>, String, usize, usize)> =
        std::iter::once((None, t.all_categories.to_owned(), 0, loaded.entries()))
            .chain(
                loaded
                    .catalogue
                    .categories
                    .iter()
                    .zip(&loaded.facets.category_counts)
                    .map(|(c, &n)| (Some(c.id.clone()), c.name.clone(), c.depth, n)),
            )
            .collect();
    // Rendered whole on every hash change: links carry the other widgets'
    // state, and this keeps the tree to one reactive function.
    let links = move || {
        let view = state.view.get();
        nodes
            .iter()
            .map(|(id, name, depth, count)| {
                let href = state.href(
                    &View {
                        category: id.clone(),
                        ..view.clone()
                    }
                    .restarted(),
                );
                let current = (view.category == *id).then_some("page");
                view! {
                    <li style=format!("--xxgk-depth:{depth}")>
                        <a class="xxgk-tree__link" href=href aria-current=current>
                            <span>{name.clone()}</span>
                            <span class="xxgk-tree__count">{t.number(*count)}</span>
                        </a>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <nav class="xxgk-tree" aria-label=t.categories>
            <ul>{links}</ul>
        </nav>
    }
}
