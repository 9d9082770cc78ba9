//! The same item count and seed give the same bytes; other seeds do not.

use xxgk_catgen::{catalogue_bytes, Options};

fn bytes(items: u64, seed: u64, bad: u64) -> Vec<u8> {
    catalogue_bytes(&Options {
        items,
        seed,
        bad,
        ..Options::default()
    })
    .expect("generation succeeds")
}

#[test]
fn same_seed_gives_byte_identical_output() {
    assert_eq!(bytes(1000, 7, 0), bytes(1000, 7, 0));
    assert_eq!(bytes(300, 7, 12), bytes(300, 7, 12));
}

#[test]
fn different_seeds_give_different_output() {
    let one = bytes(200, 1, 0);
    let two = bytes(200, 2, 0);
    assert_ne!(one, two);
    let text_one = String::from_utf8(one).unwrap();
    let text_two = String::from_utf8(two).unwrap();
    let differing = text_one
        .lines()
        .zip(text_two.lines())
        .filter(|(a, b)| a != b)
        .count();
    assert!(differing > 190, "only {differing} lines differ");
}

#[test]
fn output_is_pinned_for_seed_one() {
    // Pins the byte stream: a change of rand_chacha's output, of the pools or
    // of the templates shows up here. Update the hash deliberately when the
    // content is changed on purpose.
    let hash = fnv1a(&bytes(1000, 1, 0));
    assert_eq!(
        hash, PINNED_1K_SEED_1,
        "1k/seed 1 output changed: {hash:#018x}"
    );
}

const PINNED_1K_SEED_1: u64 = 0x7ce4_447d_1a19_6cf9;

fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[test]
fn bad_items_leave_the_other_items_unchanged() {
    let clean = String::from_utf8(bytes(500, 3, 0)).unwrap();
    let spoilt = String::from_utf8(bytes(500, 3, 25)).unwrap();
    let differing = clean
        .lines()
        .zip(spoilt.lines())
        .filter(|(a, b)| a != b)
        .count();
    assert_eq!(differing, 25);
    assert_eq!(clean.lines().count(), spoilt.lines().count());
}
