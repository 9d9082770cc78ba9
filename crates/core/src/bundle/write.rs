//! Publishing: a catalogue written as a bundle (see [`super`]).

use super::codec::{bucket, json_string, put_list, tag};
use super::terms::Builder;
use super::Row;
use super::{id_buckets, DETAIL_GROUP, FIRST_ROWS, LIST_SHARD, SCHEMA};
use crate::{Catalogue, Facets, Item, Lang, Level, Validity};
use std::collections::HashMap;
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
        // Entry numbers: oldest first, so new entries add numbers at the
        // end and leave most shards as they were.
        let order: Vec<usize> = catalogue.newest_first().iter().rev().copied().collect();
        let count = order.len();
        let items: Vec<&Item> = order.iter().map(|&i| &catalogue.items[i]).collect();

        // Two threads: each writes the detail and listing shards of half
        // the entries (split at a listing shard) and indexes half of them;
        // this one also writes the index-number and filter files. Each
        // part's bytes depend on the catalogue alone, and they are put
        // together in one order.
        let shown_split = count.div_ceil(LIST_SHARD) / 2 * LIST_SHARD;
        let index_split = count / 2;
        let build = |range: std::ops::Range<usize>| {
            let mut builder = Builder::default();
            for n in range {
                builder.add(n as u32, items[n]);
            }
            builder.flush_all();
            builder
        };
        let (earlier, (ids, id_tags), (facets, filters, facet_json), index, (later, later_index)) =
            std::thread::scope(|scope| {
                let later = scope.spawn(|| {
                    let shown = Shown::of(catalogue, &items, shown_split..count);
                    (shown, build(index_split..count))
                });
                let earlier = Shown::of(catalogue, &items, 0..shown_split);
                let ids = id_files(&items);
                let filters = filter_files(catalogue, &items);
                let index = build(0..index_split);
                match later.join() {
                    Ok(later) => (earlier, ids, filters, index, later),
                    Err(panic) => std::panic::resume_unwind(panic),
                }
            });
        let written = index.finish(later_index, count as u32);
        let generation = tag(written.tags.concat().as_bytes());

        let mut files = Vec::with_capacity(
            earlier.detail_files.len()
                + later.detail_files.len()
                + earlier.list_files.len()
                + later.list_files.len()
                + ids.len()
                + filters.len()
                + written.terms.len()
                + written.places.len()
                + 2,
        );
        let details: Vec<(String, String)> =
            earlier.details.into_iter().chain(later.details).collect();
        let rows: Vec<String> = earlier.rows.into_iter().chain(later.rows).collect();
        let list_tags = earlier.list_tags + &later.list_tags;
        files.extend(earlier.detail_files);
        files.extend(later.detail_files);
        files.extend(earlier.list_files);
        files.extend(later.list_files);
        files.extend(ids);
        files.extend(filters);
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

/// The detail and listing shards of some entries.
struct Shown {
    detail_files: Vec<(String, Vec<u8>)>,
    list_files: Vec<(String, Vec<u8>)>,
    /// Each detail shard's tag (of its bytes) and its listing shard's tag,
    /// which names it.
    details: Vec<(String, String)>,
    /// The entries' rows.
    rows: Vec<String>,
    /// The listing shards' tags, run together.
    list_tags: String,
}

impl Shown {
    /// The shards of `range` of `items`, which starts at a listing shard.
    /// A detail shard is named by the tag of its listing shard, which
    /// holds the tag of its bytes: its path is known from the directory
    /// alone, so it is fetched with its listing shard, not after it.
    fn of(catalogue: &Catalogue, items: &[&Item], range: std::ops::Range<usize>) -> Shown {
        let first_group = range.start / DETAIL_GROUP;
        let first_shard = range.start / LIST_SHARD;
        let items = &items[range.clone()];
        let detail_bytes: Vec<Vec<u8>> = items
            .chunks(DETAIL_GROUP)
            .map(|chunk| detail_shard(catalogue, chunk).into_bytes())
            .collect();
        let detail_tags: Vec<String> = detail_bytes.iter().map(|b| tag(b)).collect();

        let rows: Vec<String> = items
            .iter()
            .zip(range.start..)
            .map(|(item, n)| row(&Row::of(n as u32, item)))
            .collect();
        let groups_per_shard = LIST_SHARD / DETAIL_GROUP;
        let mut list_tags = String::new();
        let mut list_files = Vec::new();
        let mut details = Vec::with_capacity(detail_tags.len());
        for (shard, chunk) in rows.chunks(LIST_SHARD).enumerate() {
            let mut json = String::from("{\"rows\":[");
            json.push_str(&chunk.join(","));
            json.push_str("],\"details\":[");
            let first = shard * groups_per_shard;
            let tags = &detail_tags[first..(first + groups_per_shard).min(detail_tags.len())];
            json.push_str(&tags.iter().map(|t| quoted(t)).collect::<Vec<_>>().join(","));
            json.push_str("]}");
            let tag = tag(json.as_bytes());
            list_tags.push_str(&tag);
            details.extend(tags.iter().map(|t| (t.clone(), tag.clone())));
            list_files.push((
                format!("l/{}-{tag}.json", first_shard + shard),
                json.into_bytes(),
            ));
        }
        let detail_files = detail_bytes
            .into_iter()
            .zip(&details)
            .enumerate()
            .map(|(group, (bytes, (_, list)))| {
                (format!("e/{}-{list}.json", first_group + group), bytes)
            })
            .collect();
        Shown {
            detail_files,
            list_files,
            details,
            rows,
            list_tags,
        }
    }
}

/// Index numbers to entry numbers, for links to one entry: the files and
/// their tags run together.
fn id_files(items: &[&Item]) -> (Vec<(String, Vec<u8>)>, String) {
    let buckets = id_buckets(items.len());
    let mut ids: Vec<Vec<String>> = vec![Vec::new(); buckets as usize];
    for (n, item) in items.iter().enumerate() {
        let mut pair = String::from("[");
        json_string(&mut pair, &item.id);
        let _ = write!(pair, ",{n}]");
        ids[bucket(&item.id, buckets) as usize].push(pair);
    }
    let mut files = Vec::new();
    let mut id_tags = String::new();
    for (b, pairs) in ids.into_iter().enumerate() {
        let json = format!("[{}]", pairs.join(","));
        let tag = tag(json.as_bytes());
        id_tags.push_str(&tag);
        files.push((format!("i/{b}-{tag}.json"), json.into_bytes()));
    }
    (files, id_tags)
}

/// The entries of each filter value: the values, the files and their
/// tags as the directory's `facets`.
fn filter_files(
    catalogue: &Catalogue,
    items: &[&Item],
) -> (Facets, Vec<(String, Vec<u8>)>, String) {
    let facets = Facets::of(catalogue);
    let mut files = Vec::new();
    let mut facet_json = String::from("{");
    // Each value's entries, from each entry's values (`of`).
    let mut lists = |name: &str, values: usize, of: &dyn Fn(&Item, &mut Vec<usize>)| {
        let mut docs: Vec<Vec<u32>> = vec![Vec::new(); values];
        let mut found = Vec::new();
        for (n, item) in items.iter().enumerate() {
            found.clear();
            of(item, &mut found);
            for &value in &found {
                docs[value].push(n as u32);
            }
        }
        let mut tags = Vec::new();
        for docs in docs {
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
    // The categories each category is in (itself and those above it).
    let categories = catalogue.categories.len();
    let inside: Vec<Vec<bool>> = (0..categories).map(|c| catalogue.subtree(c)).collect();
    let within: Vec<Vec<usize>> = (0..categories)
        .map(|k| (0..categories).filter(|&c| inside[c][k]).collect())
        .collect();
    lists("category", categories, &|item, found| {
        found.extend_from_slice(&within[item.category]);
    });
    let years = positions(facets.years.iter().copied());
    lists("year", facets.years.len(), &|item, found| {
        found.extend_from_slice(years.get(&item.published.year()).map_or(&[], Vec::as_slice));
    });
    let publishers = positions(facets.publishers.iter().map(String::as_str));
    lists("publisher", facets.publishers.len(), &|item, found| {
        found.extend_from_slice(
            publishers
                .get(item.publisher.as_str())
                .map_or(&[], Vec::as_slice),
        );
    });
    let villages = positions(facets.villages.iter().map(String::as_str));
    lists("village", facets.villages.len(), &|item, found| {
        if let Some(village) = &item.village {
            found.extend_from_slice(villages.get(village.as_str()).map_or(&[], Vec::as_slice));
        }
    });
    let genres = positions(facets.genres.iter().map(String::as_str));
    lists("genre", facets.genres.len(), &|item, found| {
        if let Some(genre) = &item.genre {
            found.extend_from_slice(genres.get(genre.as_str()).map_or(&[], Vec::as_slice));
        }
    });
    lists("level", Level::ALL.len(), &|item, found| {
        found.extend((0..Level::ALL.len()).filter(|&l| item.level == Level::ALL[l]));
    });
    lists("validity", Validity::ALL.len(), &|item, found| {
        found.extend((0..Validity::ALL.len()).filter(|&v| item.validity == Validity::ALL[v]));
    });
    facet_json.push('}');
    (facets, files, facet_json)
}

/// Where each value is among `values`.
fn positions<K: std::hash::Hash + Eq>(values: impl Iterator<Item = K>) -> HashMap<K, Vec<usize>> {
    let mut at: HashMap<K, Vec<usize>> = HashMap::new();
    for (i, value) in values.enumerate() {
        at.entry(value).or_default().push(i);
    }
    at
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
            if let Some(size) = attachment.size {
                out.push_str(&format!(",\"size\":{size}"));
            }
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
    details: &[(String, String)],
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
        let mut counts: HashMap<String, usize> = HashMap::new();
        for item in items {
            *counts.entry(pick(item)).or_default() += 1;
        }
        values
            .iter()
            .map(|v| (v.clone(), counts.get(v).copied().unwrap_or(0)))
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
        .map(|((own, list), group)| format!("[{group},{},{}]", quoted(own), quoted(list)))
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
