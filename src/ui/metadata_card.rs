use super::validity_badge::validity_badge;
use crate::i18n::date;
use crate::load::Loaded;
use crate::state::WidgetState;
use leptos::prelude::*;
use xxgk_core::{Item, Level};

/// The standard metadata of an entry (索引号, 发布机构, 文号, 成文日期,
/// 发布日期, 主题分类, 有效性, 公开方式), then category, genre, level and
/// keywords where known. A dash marks a standard field the entry lacks.
pub fn metadata_card(state: WidgetState, loaded: &Loaded, item: &Item) -> impl IntoView {
    let t = state.t();
    let lang = state.lang();
    let or_dash = |value: Option<String>| value.unwrap_or_else(|| "—".to_owned());
    let level = match (item.level, &item.village) {
        (Level::Village, Some(village)) => format!("{}（{village}）", item.level.label(lang)),
        (level, _) => level.label(lang).to_owned(),
    };
    let keywords = (!item.keywords.is_empty()).then(|| item.keywords.join("、"));
    let rows = [
        (t.index_number, Some(item.id.clone())),
        (t.publisher, Some(item.publisher.clone())),
        (t.doc_number, Some(or_dash(item.doc_number.clone()))),
        (
            t.written,
            Some(or_dash(item.written.map(|d| date(lang, d)))),
        ),
        (t.published, Some(date(lang, item.published))),
        (t.topic, Some(or_dash(item.topic.clone()))),
        (t.disclosure, Some(item.disclosure.label(lang).to_owned())),
        (
            t.category,
            Some(loaded.catalogue.category_path(item.category).join(" / ")),
        ),
        (t.genre, item.genre.clone()),
        (t.level, Some(level)),
        (t.keywords, keywords),
    ];
    let rows = rows
        .into_iter()
        .filter_map(|(label, value)| {
            value.map(|value| view! { <div class="xxgk-meta__row"><dt>{label}</dt><dd>{value}</dd></div> })
        })
        .collect_view();
    view! {
        <dl class="xxgk-meta" aria-label=t.metadata>
            {rows}
            <div class="xxgk-meta__row">
                <dt>{t.validity}</dt>
                <dd>{validity_badge(item.validity, lang)}</dd>
            </div>
        </dl>
    }
}
