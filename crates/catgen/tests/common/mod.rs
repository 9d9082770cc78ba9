//! Generated catalogues, read back with the widget's own parser
//! (`xxgk_core::Catalogue::parse`), so the tests grade the generator by the
//! rules the widget applies.

#![allow(dead_code)]

use serde_json::Value;
use xxgk_catgen::{catalogue_bytes, Options};
use xxgk_core::{Catalogue, ItemProblem, SkippedPlace};

fn bytes(items: u64, seed: u64, bad: u64) -> Vec<u8> {
    catalogue_bytes(&Options {
        items,
        seed,
        bad,
        ..Options::default()
    })
    .expect("generation succeeds")
}

/// The generated catalogue as JSON, for looking at its raw members.
pub fn catalogue(items: u64, seed: u64, bad: u64) -> Value {
    serde_json::from_slice(&bytes(items, seed, bad)).expect("output is JSON")
}

/// The generated catalogue as the widget reads it.
pub fn parsed(items: u64, seed: u64, bad: u64) -> Catalogue {
    Catalogue::parse("generated.json", &bytes(items, seed, bad)).expect("the whole file is valid")
}

/// The entries the widget skips: position (from 1) and a short name of
/// each problem.
pub fn all_problems(catalogue: &Catalogue) -> Vec<(usize, Vec<&'static str>)> {
    catalogue
        .skipped
        .iter()
        .map(|s| {
            let SkippedPlace::Item(position) = s.place else {
                panic!("a category was skipped: {s}");
            };
            (position, s.problems.iter().map(kind).collect())
        })
        .collect()
}

fn kind(problem: &ItemProblem) -> &'static str {
    match problem {
        ItemProblem::Missing(xxgk_core::catalogue::Field::Title) => "missing title",
        ItemProblem::BadDate(xxgk_core::catalogue::Field::Published, _) => "bad published",
        ItemProblem::UnknownCategory(_) => "unknown category",
        ItemProblem::DuplicateId { .. } => "duplicate id",
        ItemProblem::UnsafeLink(..) => "bad link",
        ItemProblem::WrongType(xxgk_core::catalogue::Field::Title, _) => "title is not text",
        _ => "other",
    }
}
