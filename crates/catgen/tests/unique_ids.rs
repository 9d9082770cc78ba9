//! Index numbers stay unique at the largest benchmark size.

use std::collections::HashSet;
use xxgk_catgen::generator::Entry;
use xxgk_catgen::{generator, Options};

#[test]
fn ids_are_unique_at_100k_items() {
    let entries = generator(&Options {
        items: 100_000,
        seed: 1,
        ..Options::default()
    })
    .unwrap();
    let mut seen = HashSet::with_capacity(100_000);
    let mut count = 0;
    for entry in entries {
        let Entry::Good(item) = entry else {
            panic!("no bad items were asked for");
        };
        assert!(seen.insert(item.id.clone()), "{} twice", item.id);
        count += 1;
    }
    assert_eq!(count, 100_000);
}
