//! Publishing: a catalogue written as a bundle (see [`super`]).

use super::codec::{bucket, json_string, put_list, tag};
use super::terms::Builder;
use super::Row;
use super::{id_buckets, DETAIL_GROUP, FIRST_ROWS, LIST_SHARD, SCHEMA};
use crate::{Catalogue, Facets, Item, Lang, Level, Validity};
use std::fmt::Write;

/// A published bundle: each file's path inside the bundle's folder and its
/// bytes. `index.json` comes last, so a folder written in this order never
/// names a file that is not there yet.
pub struct Bundle {
    /// The files, `index.json` last.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Bundle {
    /// Writes the bundle of a catalogue. The same catalogue always gives
    /// the same bytes.
    pub fn publish(catalogue: &Catalogue) -> Bundle {
        let mut files = Vec::new();
        // Entry numbers: oldest first, so new entries add numbers at the
        // end and leave most shards as they were.
        let order: Vec<usize> = catalogue.newest_first().iter().rev().copied().collect();
        let count = order.len();
        let items: Vec<&Item> = order.iter().map(|&i| &catalogue.items[i]).collect();

        let details: Vec<String> = items
            .chunks(DETAIL_GROUP)
            .enumerate()
            .map(|(group, chunk)| {
                let bytes = detail_shard(catalogue, chunk).into_bytes();
                let name = format!("e/{group}-{}.json", tag(&bytes));
                files.push((name.clone(), bytes));
                name
            })
            .collect();

        let rows: Vec<String> = items
            .iter()
            .enumerate()
            .map(|(n, item)| row(&Row::of(n as u32, item)))
            .collect();
        let groups_per_shard = LIST_SHARD / DETAIL_GROUP;
        let mut list_tags = String::new();
        for (shard, chunk) in rows.chunks(LIST_SHARD).enumerate() {
            let mut json = String::from("{\"rows\":[");
            json.push_str(&chunk.join(","));
            json.push_str("],\"details\":[");
            let first = shard * groups_per_shard;
            let names = &details[first..(first + groups_per_shard).min(details.len())];
            json.push_str(
                &names
                    .iter()
                    .map(|n| quoted(tag_of(n)))
                    .collect::<Vec<_>>()
                    .join(","),
            );
            json.push_str("]}");
            let tag = tag(json.as_bytes());
            list_tags.push_str(&tag);
            files.push((format!("l/{shard}-{tag}.json"), json.into_bytes()));
        }

        // Index numbers to entry numbers, for links to one entry.
        let buckets = id_buckets(count);
        let mut ids: Vec<Vec<String>> = vec![Vec::new(); buckets as usize];
        for (n, item) in items.iter().enumerate() {
            let mut pair = String::from("[");
            json_string(&mut pair, &item.id);
            let _ = write!(pair, ",{n}]");
            ids[bucket(&item.id, buckets) as usize].push(pair);
        }
        let mut id_tags = String::new();
        for (b, pairs) in ids.into_iter().enumerate() {
            let json = format!("[{}]", pairs.join(","));
            let tag = tag(json.as_bytes());
            id_tags.push_str(&tag);
            files.push((format!("i/{b}-{tag}.json"), json.into_bytes()));
        }

        // The entries of each filter value.
        let facets = Facets::of(catalogue);
        let mut facet_json = String::from("{");
        let mut lists = |name: &str, pick: &dyn Fn(&Item, usize) -> bool, values: usize| {
            let mut tags = Vec::new();
            for value in 0..values {
                let docs: Vec<u32> = (0..count)
                    .filter(|&n| pick(items[n], value))
                    .map(|n| n as u32)
                    .collect();
                let mut bytes = Vec::new();
                put_list(&mut bytes, &docs);
                let tag = tag(&bytes);
                tags.push(quoted(&tag));
                files.push((format!("f/{tag}.bin"), bytes));
            }
            if facet_json.len() > 1 {
                facet_json.push(',');
            }
            let _ = write!(facet_json, "\"{name}\":[{}]", tags.join(","));
        };
        let inside: Vec<Vec<bool>> = (0..catalogue.categories.len())
            .map(|c| catalogue.subtree(c))
            .collect();
        lists(
            "category",
            &|item, c| inside[c][item.category],
            catalogue.categories.len(),
        );
        lists(
            "year",
            &|item, y| item.published.year() == facets.years[y],
            facets.years.len(),
        );
        lists(
            "publisher",
            &|item, p| item.publisher == facets.publishers[p],
            facets.publishers.len(),
        );
        lists(
            "village",
            &|item, v| item.village.as_deref() == Some(facets.villages[v].as_str()),
            facets.villages.len(),
        );
        lists(
            "genre",
            &|item, g| item.genre.as_deref() == Some(facets.genres[g].as_str()),
            facets.genres.len(),
        );
        lists(
            "level",
            &|item, l| item.level == Level::ALL[l],
            Level::ALL.len(),
        );
        lists(
            "validity",
            &|item, v| item.validity == Validity::ALL[v],
            Validity::ALL.len(),
        );
        facet_json.push('}');

        // The search index, built in two halves at once.
        let half = count / 2;
        let build = |range: std::ops::Range<usize>| {
            let mut builder = Builder::default();
            for n in range {
                builder.add(n as u32, items[n]);
            }
            builder
        };
        let mut builder = std::thread::scope(|scope| {
            let earlier = scope.spawn(|| build(0..half));
            let later = build(half..count);
            let mut earlier = match earlier.join() {
                Ok(builder) => builder,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            earlier.append(later);
            earlier
        });
        let written = std::mem::take(&mut builder).finish(count as u32);
        let generation = {
            let mut all = Vec::new();
            for bucket in written.terms.iter().chain(&written.places) {
                all.extend_from_slice(tag(bucket).as_bytes());
            }
            tag(&all)
        };
        let (terms, places) = (written.terms.len(), written.places.len());
        for (b, bytes) in written.terms.into_iter().enumerate() {
            files.push((format!("g/{generation}/t{b}.bin"), bytes));
        }
        for (b, bytes) in written.places.into_iter().enumerate() {
            files.push((format!("g/{generation}/p{b}.bin"), bytes));
        }

        let directory = format!(
            "{{\"lists\":\"{list_tags}\",\"ids\":\"{id_tags}\",\"facets\":{facet_json},\
             \"search\":{{\"generation\":\"{generation}\",\"terms\":{terms},\"places\":{places}}}}}"
        );
        let directory_name = format!("x/{}.json", tag(directory.as_bytes()));
        files.push((directory_name.clone(), directory.into_bytes()));

        let manifest = manifest(catalogue, &facets, &items, &rows, &details, &directory_name);
        files.push(("index.json".into(), manifest.into_bytes()));
        Bundle { files }
    }
}

/// The tag in a shard's name (`e/12-0123456789ab.json` → `0123456789ab`).
fn tag_of(name: &str) -> &str {
    name.rsplit('-')
        .next()
        .and_then(|t| t.split('.').next())
        .unwrap_or_default()
}

fn quoted(text: &str) -> String {
    let mut out = String::new();
    json_string(&mut out, text);
    out
}

/// An entry as the list shows it: `[id, title, publisher, published,
/// doc_number, scope, validity]`, the scope `""` for the township, `"v"`
/// for a village entry without a village, `"v:和平村"` with one.
pub(crate) fn row(entry: &Row) -> String {
    let mut out = String::from("[");
    for text in [&entry.id, &entry.title, &entry.publisher] {
        json_string(&mut out, text);
        out.push(',');
    }
    let _ = write!(out, "\"{}\",", entry.published);
    json_string(&mut out, entry.doc_number.as_deref().unwrap_or_default());
    out.push(',');
    let scope = match (entry.level, &entry.village) {
        (Level::Township, _) => String::new(),
        (Level::Village, None) => "v".into(),
        (Level::Village, Some(village)) => format!("v:{village}"),
    };
    json_string(&mut out, &scope);
    let validity = Validity::ALL
        .iter()
        .position(|&v| v == entry.validity)
        .unwrap_or(0);
    let _ = write!(out, ",{validity}]");
    out
}

/// A few entries in full, as an `xxgk-catalogue/1` file whose categories
/// are only the ones they use (by id; the tree is in the manifest).
fn detail_shard(catalogue: &Catalogue, items: &[&Item]) -> String {
    let mut used: Vec<usize> = items.iter().map(|i| i.category).collect();
    used.sort_unstable();
    used.dedup();
    let mut out = String::from("{\"schema\":\"xxgk-catalogue/1\",\"site\":{\"name\":");
    json_string(&mut out, &catalogue.site.name);
    out.push_str("},\"categories\":[");
    for (i, &c) in used.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let category = &catalogue.categories[c];
        out.push_str("{\"id\":");
        json_string(&mut out, &category.id);
        out.push_str(",\"name\":");
        json_string(&mut out, &category.name);
        out.push('}');
    }
    out.push_str("],\"items\":[");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_item(&mut out, catalogue, item);
    }
    out.push_str("]}");
    out
}

/// An entry in the catalogue file's format, every member it has.
pub(crate) fn write_item(out: &mut String, catalogue: &Catalogue, item: &Item) {
    let member = |out: &mut String, name: &str, value: &str| {
        if out.ends_with('{') {
            let _ = write!(out, "\"{name}\":");
        } else {
            let _ = write!(out, ",\"{name}\":");
        }
        json_string(out, value);
    };
    out.push('{');
    member(out, "id", &item.id);
    member(out, "title", &item.title);
    member(out, "publisher", &item.publisher);
    member(out, "level", item.level.code());
    if let Some(village) = &item.village {
        member(out, "village", village);
    }
    if let Some(doc_number) = &item.doc_number {
        member(out, "doc_number", doc_number);
    }
    if let Some(written) = item.written {
        member(out, "written", &written.to_string());
    }
    member(out, "published", &item.published.to_string());
    member(out, "category", &catalogue.categories[item.category].id);
    if let Some(topic) = &item.topic {
        member(out, "topic", topic);
    }
    if let Some(genre) = &item.genre {
        member(out, "genre", genre);
    }
    if !item.keywords.is_empty() {
        out.push_str(",\"keywords\":[");
        for (i, keyword) in item.keywords.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            json_string(out, keyword);
        }
        out.push(']');
    }
    member(out, "validity", item.validity.code());
    let disclosure = match item.disclosure {
        crate::Disclosure::Proactive => "proactive",
        crate::Disclosure::OnRequest => "on_request",
    };
    member(out, "disclosure", disclosure);
    if let Some(summary) = &item.summary {
        member(out, "summary", summary);
    }
    if let Some(body) = &item.body {
        member(out, "body", body);
    }
    if let Some(link) = &item.link {
        member(out, "link", link.as_str());
    }
    if !item.attachments.is_empty() {
        out.push_str(",\"attachments\":[");
        for (i, attachment) in item.attachments.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str("{\"name\":");
            json_string(out, &attachment.name);
            out.push_str(",\"url\":");
            json_string(out, attachment.url.as_str());
            out.push('}');
        }
        out.push(']');
    }
    out.push('}');
}

/// The manifest: what the first view needs, and where the rest is.
fn manifest(
    catalogue: &Catalogue,
    facets: &Facets,
    items: &[&Item],
    rows: &[String],
    details: &[String],
    directory: &str,
) -> String {
    let mut out = format!("{{\"schema\":\"{SCHEMA}\",\"site\":{{\"name\":");
    let site = &catalogue.site;
    json_string(&mut out, &site.name);
    if let Some(region) = &site.region {
        out.push_str(",\"region\":");
        json_string(&mut out, region);
    }
    if let Some(updated) = site.updated {
        let _ = write!(out, ",\"updated\":\"{updated}\"");
    }
    let _ = write!(out, "}},\"entries\":{},\"categories\":[", items.len());
    for (i, category) in catalogue.categories.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"id\":");
        json_string(&mut out, &category.id);
        out.push_str(",\"name\":");
        json_string(&mut out, &category.name);
        match category.parent {
            Some(parent) => {
                let _ = write!(out, ",\"parent\":{parent}");
            }
            None => out.push_str(",\"parent\":null"),
        }
        let _ = write!(out, ",\"count\":{}}}", facets.category_counts[i]);
    }
    out.push(']');
    let mut counted = |name: &str, values: Vec<(String, usize)>| {
        let _ = write!(out, ",\"{name}\":[");
        for (i, (value, count)) in values.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('[');
            json_string(&mut out, value);
            let _ = write!(out, ",{count}]");
        }
        out.push(']');
    };
    let tally = |pick: &dyn Fn(&Item) -> String, values: &[String]| -> Vec<(String, usize)> {
        values
            .iter()
            .map(|v| (v.clone(), items.iter().filter(|i| pick(i) == *v).count()))
            .collect()
    };
    let years: Vec<String> = facets.years.iter().map(u16::to_string).collect();
    counted("years", tally(&|i| i.published.year().to_string(), &years));
    counted(
        "publishers",
        tally(&|i| i.publisher.clone(), &facets.publishers),
    );
    counted(
        "villages",
        tally(&|i| i.village.clone().unwrap_or_default(), &facets.villages),
    );
    counted(
        "genres",
        tally(&|i| i.genre.clone().unwrap_or_default(), &facets.genres),
    );
    let levels: Vec<String> = Level::ALL.iter().map(|l| l.code().to_owned()).collect();
    counted("levels", tally(&|i| i.level.code().to_owned(), &levels));
    let validity: Vec<String> = Validity::ALL.iter().map(|v| v.code().to_owned()).collect();
    counted(
        "validity",
        tally(&|i| i.validity.code().to_owned(), &validity),
    );
    // The newest entries, and the detail shards they are in.
    let first = items.len().saturating_sub(FIRST_ROWS);
    out.push_str(",\"first\":[");
    out.push_str(
        &rows[first..]
            .iter()
            .rev()
            .cloned()
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("],\"firstDetails\":[");
    let groups = first / DETAIL_GROUP..details.len();
    let names: Vec<String> = details[groups.clone()]
        .iter()
        .zip(groups)
        .map(|(name, group)| format!("[{group},{}]", quoted(tag_of(name))))
        .collect();
    out.push_str(&names.join(","));
    out.push_str("],\"skipped\":[");
    for (i, skipped) in catalogue.skipped.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"zh\":");
        json_string(&mut out, &skipped.message(Lang::Zh));
        out.push_str(",\"en\":");
        json_string(&mut out, &skipped.message(Lang::En));
        out.push('}');
    }
    out.push_str("],\"directory\":");
    json_string(&mut out, directory);
    out.push('}');
    out
}
