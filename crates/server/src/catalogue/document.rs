//! A whole catalogue written as `xxgk-catalogue/1` JSON: indented by two
//! spaces, members in the order of `docs/catalogue.md`, Chinese as is, a
//! line break at the end. The same input always gives the same bytes.

use super::categories::{nest, Node};
use super::entry::Entry;
use super::error::InputError;
use super::site::SiteEntry;
use serde::Serialize;
use xxgk_core::Catalogue;

#[derive(Serialize)]
struct Document<'a> {
    schema: &'static str,
    site: &'a SiteEntry,
    categories: &'a [Node],
    items: &'a [Entry],
}

/// The catalogue file of this site, tree and entries.
pub fn write(
    site: &SiteEntry,
    categories: &[Node],
    items: &[Entry],
) -> Result<Vec<u8>, InputError> {
    let document = Document {
        schema: xxgk_core::catalogue::SCHEMA,
        site,
        categories,
        items,
    };
    let mut json =
        serde_json::to_vec_pretty(&document).map_err(|e| InputError::Json(e.to_string()))?;
    json.push(b'\n');
    Ok(json)
}

/// A parsed catalogue written back with `site`: only what the parser
/// kept, in canonical form (dates as `2016-12-01`, codes for 层级, 有效性
/// and 公开属性, every member the widget would default written out).
pub fn from_catalogue(catalogue: &Catalogue, site: &SiteEntry) -> Result<Vec<u8>, InputError> {
    let items: Vec<Entry> = catalogue
        .items
        .iter()
        .map(|item| Entry::from_item(item, &catalogue.categories))
        .collect();
    write(site, &nest(&catalogue.categories), &items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_catalogue_written_back_reads_the_same() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/dongting/catalogue.json"
        );
        let original = Catalogue::parse("sample", &std::fs::read(path).unwrap()).unwrap();
        let site = SiteEntry {
            name: original.site.name.clone(),
            region: original.site.region.clone(),
            updated: original.site.updated.map(|d| d.to_string()),
        };
        let written = from_catalogue(&original, &site).unwrap();
        let again = Catalogue::parse("again", &written).unwrap();
        assert!(again.skipped.is_empty());
        assert_eq!(again.site, original.site);
        assert_eq!(again.categories, original.categories);
        assert_eq!(again.items, original.items);
        assert_eq!(from_catalogue(&again, &site).unwrap(), written);
    }
}
