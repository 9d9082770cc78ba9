//! The `site` block of a catalogue made from a spreadsheet: the name and
//! region staff give, or else the publisher (发布机构) of most entries;
//! `updated` is the latest 发布日期, never today, so the same sheet always
//! gives the same file.

use serde::Serialize;
use std::collections::HashMap;
use xxgk_core::Date;

/// The site as the catalogue file writes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SiteEntry {
    /// The disclosing body.
    pub name: String,
    /// The region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The latest publication date, `2017-03-31`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub updated: Option<String>,
}

/// The name given most often; of two given as often, the one given first.
pub fn most_frequent<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (order, name) in names.into_iter().map(str::trim).enumerate() {
        if !name.is_empty() {
            counts.entry(name).or_insert((0, order)).0 += 1;
        }
    }
    counts
        .into_iter()
        .max_by(|(_, (a, a_first)), (_, (b, b_first))| a.cmp(b).then(b_first.cmp(a_first)))
        .map(|(name, _)| name.to_owned())
}

/// The latest of these dates, as `2017-03-31`.
pub fn latest(dates: impl IntoIterator<Item = Date>) -> Option<String> {
    dates.into_iter().max().map(|d| d.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_frequent_publisher_wins_and_ties_go_to_the_first() {
        assert_eq!(
            most_frequent([
                "乙村",
                "东亭乡人民政府",
                " 东亭乡人民政府",
                "乙村",
                "东亭乡人民政府"
            ]),
            Some("东亭乡人民政府".into())
        );
        assert_eq!(most_frequent(["乙", "甲", "甲", "乙"]), Some("乙".into()));
        assert_eq!(most_frequent(["甲", "乙", "乙", "甲"]), Some("甲".into()));
        assert_eq!(most_frequent([" ", ""]), None);
    }

    #[test]
    fn updated_is_the_latest_date() {
        let dates = ["2016-12-01", "2017-03-31", "2015-01-01"].map(|d| Date::parse(d).unwrap());
        assert_eq!(latest(dates), Some("2017-03-31".into()));
        assert_eq!(latest([]), None);
    }
}
