//! `--bad N` replaces exactly N items with invalid ones of varied kinds.

mod common;

use common::{all_problems, parsed};
use std::collections::HashSet;
use xxgk_catgen::{generator, Error, Options};

#[test]
fn bad_n_yields_exactly_n_bad_items_with_one_problem_each() {
    for (items, bad) in [(1000, 12), (60, 60), (500, 1), (10, 0)] {
        let c = parsed(items, 2, bad);
        let problems = all_problems(&c);
        assert_eq!(problems.len() as u64, bad, "{items}/{bad}: {problems:?}");
        for (pos, p) in &problems {
            assert_eq!(p.len(), 1, "item {pos}: {p:?}");
        }
    }
}

#[test]
fn bad_items_are_spread_and_of_every_kind() {
    let c = parsed(1200, 3, 12);
    let problems = all_problems(&c);
    let kinds: HashSet<&str> = problems.iter().map(|(_, p)| p[0]).collect();
    for kind in [
        "missing title",
        "bad published",
        "unknown category",
        "duplicate id",
        "bad link",
        "title is not text",
    ] {
        assert!(kinds.contains(kind), "no {kind} in {kinds:?}");
    }
    let positions: Vec<usize> = problems.iter().map(|(i, _)| *i).collect();
    assert!(positions[0] < 100 && positions[11] > 1100, "{positions:?}");
}

#[test]
fn the_generator_says_which_flaw_it_put_in() {
    let entries = generator(&Options {
        items: 100,
        bad: 6,
        ..Options::default()
    })
    .unwrap();
    let flaws: Vec<&str> = entries
        .filter_map(|e| match e {
            xxgk_catgen::generator::Entry::Bad { flaw, .. } => Some(flaw.name()),
            xxgk_catgen::generator::Entry::Good(_) => None,
        })
        .collect();
    assert_eq!(flaws.len(), 6);
    assert_eq!(flaws.iter().collect::<HashSet<_>>().len(), 6);
}

#[test]
fn more_bad_items_than_items_is_refused_with_advice() {
    let err = generator(&Options {
        items: 5,
        bad: 6,
        ..Options::default()
    })
    .err()
    .expect("refused");
    assert!(matches!(err, Error::TooManyBad { bad: 6, items: 5 }));
    assert!(err.to_string().contains("at most 5"));
}
