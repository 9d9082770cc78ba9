//! A bundle as a citizen's phone gets it: files cut short, empty, replaced
//! by a server's error page, swapped for another of their kind, taken
//! from another publication or edited by hand, and numbers pushed to
//! their limits. Every question is answered as from the intact bundle or
//! told the file is corrupt (`Wait::Corrupt`): never a panic (which kills
//! the widget's worker), never an allocation of the size a number claims,
//! never endless asking. Views and queries at their edges give what the
//! whole catalogue gives.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use xxgk_core::bundle::{tag, Bundle, Files, Manifest, Reader, Wait};
use xxgk_core::search::Query;
use xxgk_core::{Catalogue, Level, Order, Validity, View};

// The largest allocation each thread makes, watched; one of a gigabyte or
// more is refused (which aborts), as a phone's tab would be killed.
thread_local! {
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}
const REFUSED: usize = 1 << 30;
/// What answering one question may take at once, at most.
const ALLOWED: usize = 64 << 20;

struct Watched;

fn watch(size: usize) -> bool {
    let _ = LARGEST.try_with(|largest| largest.set(largest.get().max(size)));
    size < REFUSED
}

unsafe impl GlobalAlloc for Watched {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !watch(layout.size()) {
            return std::ptr::null_mut();
        }
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if !watch(layout.size()) {
            return std::ptr::null_mut();
        }
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !watch(new_size) {
            return std::ptr::null_mut();
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Watched = Watched;

type Folder = HashMap<String, Vec<u8>>;

fn generated(items: u64) -> Catalogue {
    let bytes = xxgk_catgen::catalogue_bytes(&xxgk_catgen::Options {
        items,
        ..Default::default()
    })
    .unwrap();
    Catalogue::parse("generated", &bytes).unwrap()
}

fn published(catalogue: &Catalogue) -> Folder {
    Bundle::publish(catalogue).files.into_iter().collect()
}

/// How a question ended.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    /// Answered: the answer's debug text.
    Answer(String),
    /// `Wait::Corrupt` with this path.
    Corrupt(String),
    /// Anything the widget must never meet: a panic, a file asked for
    /// twice or that is not in the folder, asking without end, an
    /// allocation past [`ALLOWED`].
    Broken(String),
}

/// Asks until answered, fetching from `folder` what is asked for; the
/// outcome and the files fetched.
fn ask_fetching<T: std::fmt::Debug>(
    folder: &Folder,
    question: impl Fn(&dyn Files) -> Result<T, Wait>,
) -> (Outcome, Folder) {
    let mut fetched = Folder::new();
    LARGEST.with(|l| l.set(0));
    let outcome = (|| {
        for _ in 0..6 {
            match catch_unwind(AssertUnwindSafe(|| question(&fetched))) {
                Err(panic) => {
                    let message = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                        .unwrap_or_default();
                    return Outcome::Broken(format!("panic: {message}"));
                }
                Ok(Ok(answer)) => return Outcome::Answer(format!("{answer:?}")),
                Ok(Err(Wait::Corrupt(path))) => return Outcome::Corrupt(path),
                Ok(Err(Wait::Fetch(paths))) => {
                    if paths.is_empty() {
                        return Outcome::Broken("asked for nothing".into());
                    }
                    for path in paths {
                        let Some(bytes) = folder.get(&path) else {
                            return Outcome::Broken(format!("asked for {path}, not published"));
                        };
                        if fetched.insert(path.clone(), bytes.clone()).is_some() {
                            return Outcome::Broken(format!("asked for {path} twice"));
                        }
                    }
                }
            }
        }
        Outcome::Broken("still asking after 6 rounds".into())
    })();
    let largest = LARGEST.with(Cell::get);
    let outcome = if largest > ALLOWED {
        Outcome::Broken(format!("allocated {largest} bytes at once"))
    } else {
        outcome
    };
    (outcome, fetched)
}

fn ask<T: std::fmt::Debug>(
    folder: &Folder,
    question: impl Fn(&dyn Files) -> Result<T, Wait>,
) -> Outcome {
    ask_fetching(folder, question).0
}

/// A question to a reader.
type Question = Box<dyn Fn(&Reader, &dyn Files) -> Result<String, Wait>>;

fn answer<T: std::fmt::Debug>(result: Result<T, Wait>) -> Result<String, Wait> {
    result.map(|answer| format!("{answer:?}"))
}

fn view_question(view: View, size: usize) -> Question {
    Box::new(move |reader, files| answer(reader.page(files, &view, size)))
}

/// Questions that between them read every kind of file.
fn questions(catalogue: &Catalogue) -> Vec<(String, Question)> {
    let facets = xxgk_core::Facets::of(catalogue);
    let mut out: Vec<(String, Question)> = Vec::new();
    for (page, size) in [(1, 10), (3, 10), (1, 100), (40, 5)] {
        let view = View {
            page,
            ..View::default()
        };
        out.push((format!("page {page} of {size}"), view_question(view, size)));
    }
    let view = View {
        page: 2,
        order: Order::OldestFirst,
        ..View::default()
    };
    out.push(("oldest first".into(), view_question(view, 10)));
    let view = View {
        year: facets.years.get(1).copied(),
        ..View::default()
    };
    out.push(("a year".into(), view_question(view, 10)));
    let view = View {
        category: catalogue.categories.get(2).map(|c| c.id.clone()),
        validity: Some(Validity::Valid),
        ..View::default()
    };
    out.push(("a category in force".into(), view_question(view, 10)));
    let view = View {
        publisher: facets.publishers.first().cloned(),
        level: Some(Level::Township),
        page: 2,
        ..View::default()
    };
    out.push(("a publisher".into(), view_question(view, 10)));
    let count = catalogue.items.len();
    for i in [0, count / 3, count.saturating_sub(1)] {
        let id = catalogue.items[i.min(count - 1)].id.clone();
        out.push((
            format!("entry {id}"),
            Box::new(move |reader, files| answer(reader.entry(files, &id))),
        ));
    }
    out.push((
        "an entry there is not".into(),
        Box::new(|reader, files| answer(reader.entry(files, "no/such-id"))),
    ));
    for text in [
        "财政",
        "预决算 2016",
        "czyjs",
        "caizheng",
        "人民政府关于",
        "2016",
        "乡村振兴工作实施方案",
        "gongkai xinxi",
        "zhengfuxinxigongkai",
    ] {
        out.push((
            format!("search {text}"),
            Box::new(move |reader, files| answer(reader.search(files, &Query::parse(text)))),
        ));
    }
    let year = facets.years.first().copied();
    out.push((
        "a page of search results".into(),
        Box::new(move |reader, files| {
            let view = View {
                year,
                ..View::default()
            };
            answer(reader.search_page(files, "财政", &view, 10, true))
        }),
    ));
    out
}

/// The tag in a content-named file's path, if it has one.
fn tag_in(path: &str) -> Option<&str> {
    let stem = path.rsplit_once('.')?.0;
    stem.get(stem.len().checked_sub(12)?..)
}

fn edited_manifest(folder: &Folder, edit: impl Fn(&mut serde_json::Value)) -> Vec<u8> {
    let mut json: serde_json::Value = serde_json::from_slice(&folder["index.json"]).unwrap();
    edit(&mut json);
    serde_json::to_vec(&json).unwrap()
}

type Edit = Box<dyn Fn(&mut serde_json::Value)>;

#[test]
fn a_manifest_that_does_not_add_up_is_refused() {
    let folder = published(&generated(300));
    assert!(Manifest::read(&folder["index.json"]).is_some());
    let edits: Vec<(&str, Edit)> = vec![
        (
            "4 billion entries",
            Box::new(|j| j["entries"] = 4_000_000_000u64.into()),
        ),
        (
            "2^32-1 entries",
            Box::new(|j| j["entries"] = u32::MAX.into()),
        ),
        (
            "2^32 + 300 entries",
            Box::new(|j| j["entries"] = ((1u64 << 32) + 300).into()),
        ),
        ("100 entries", Box::new(|j| j["entries"] = 100.into())),
        ("no entries", Box::new(|j| j["entries"] = 0.into())),
        (
            "a category its own parent",
            Box::new(|j| j["categories"][3]["parent"] = 3.into()),
        ),
        (
            "a parent further on",
            Box::new(|j| j["categories"][3]["parent"] = 5.into()),
        ),
        (
            "a parent past the end",
            Box::new(|j| j["categories"][3]["parent"] = u32::MAX.into()),
        ),
        (
            "two categories of one id",
            Box::new(|j| j["categories"][4]["id"] = j["categories"][3]["id"].clone()),
        ),
        (
            "a year's count changed",
            Box::new(|j| j["years"][0][1] = 4_000_000_000u64.into()),
        ),
        (
            "a year left out",
            Box::new(|j| {
                j["years"].as_array_mut().unwrap().remove(0);
            }),
        ),
        (
            "a detail shard of another group",
            Box::new(|j| j["firstDetails"][0][0] = 0.into()),
        ),
        (
            "a detail shard past the end",
            Box::new(|j| j["firstDetails"][0][0] = 4_000_000_000u64.into()),
        ),
        (
            "a detail shard's tag a path",
            Box::new(|j| j["firstDetails"][0][1] = "../../../../x".into()),
        ),
        (
            "the directory elsewhere",
            Box::new(|j| j["directory"] = "../../api/delete".into()),
        ),
        (
            "the directory's tag in capitals",
            Box::new(|j| {
                let upper = j["directory"].as_str().unwrap().to_uppercase();
                j["directory"] = upper.replace("X/", "x/").replace(".JSON", ".json").into();
            }),
        ),
        (
            "more newest entries than a manifest lists",
            Box::new(|j| {
                let first = j["first"].as_array().unwrap().clone();
                j["first"].as_array_mut().unwrap().extend(first.clone());
                j["first"].as_array_mut().unwrap().extend(first);
            }),
        ),
    ];
    for (name, edit) in edits {
        let bytes = edited_manifest(&folder, edit);
        assert!(Manifest::read(&bytes).is_none(), "{name} is read");
    }
    for bytes in [&b""[..], b"<!DOCTYPE html>", b"{}", b"[]", b"null"] {
        assert!(Manifest::read(bytes).is_none());
    }
    let text = String::from_utf8(folder["index.json"].clone()).unwrap();
    for cut in (0..text.len()).step_by(97) {
        assert!(Manifest::read(&text.as_bytes()[..cut]).is_none());
    }
}

/// A manifest whose counts all say 4 billion entries costs no more than
/// its directory, which does not say so.
#[test]
fn a_manifest_claiming_billions_of_entries_is_found_out_by_its_directory() {
    let catalogue = generated(300);
    let mut folder = published(&catalogue);
    let claimed: u64 = 4_000_000_000;
    let bytes = edited_manifest(&folder, |j| {
        let more = claimed - j["entries"].as_u64().unwrap();
        j["entries"] = claimed.into();
        for counts in ["years", "publishers", "levels"] {
            let count = j[counts][0][1].as_u64().unwrap();
            j[counts][0][1] = (count + more).into();
        }
        let groups = claimed.div_ceil(4);
        let details = j["firstDetails"].as_array_mut().unwrap();
        let from = groups - details.len() as u64;
        for (i, pair) in details.iter_mut().enumerate() {
            pair[0] = (from + i as u64).into();
        }
    });
    folder.insert("index.json".into(), bytes);
    let manifest = Manifest::read(&folder["index.json"]).expect("the manifest adds up");
    assert_eq!(manifest.entries, claimed as usize);
    for (name, question) in questions(&catalogue) {
        let reader = Reader::new(manifest.clone());
        let got = ask(&folder, |files| question(&reader, files));
        // The newest entries are in the manifest, with their detail
        // shards (which are not where it says).
        let newest = name.starts_with("entry");
        assert!(
            matches!(&got, Outcome::Corrupt(p) if p.starts_with("x/"))
                || name == "page 1 of 10"
                || newest && matches!(&got, Outcome::Broken(b) if b.ends_with("not published")),
            "{name}: {got:?}"
        );
    }
}

/// Replaces a content-named file by `bytes` under their own tag, and the
/// files naming it in turn (up to the manifest): a bundle edited by hand,
/// or published by a writer with a bug, that every tag vouches for.
fn replace_tagged(folder: &mut Folder, path: &str, bytes: Vec<u8>) {
    let old = tag_in(path).unwrap().to_owned();
    let new = tag(&bytes);
    folder.remove(path);
    folder.insert(path.replace(&old, &new), bytes);
    let naming: Vec<String> = folder
        .iter()
        .filter(|(p, b)| !p.starts_with("g/") && String::from_utf8_lossy(b).contains(old.as_str()))
        .map(|(p, _)| p.clone())
        .collect();
    for path in naming {
        let text = String::from_utf8(folder[&path].clone()).unwrap();
        let text = text.replace(&old, &new).into_bytes();
        if path == "index.json" {
            folder.insert(path, text);
        } else {
            replace_tagged(folder, &path, text);
        }
    }
}

fn path_like(folder: &Folder, prefix: &str) -> String {
    folder
        .keys()
        .find(|p| p.starts_with(prefix))
        .unwrap_or_else(|| panic!("no {prefix}"))
        .clone()
}

fn json_of(folder: &Folder, path: &str) -> serde_json::Value {
    serde_json::from_slice(&folder[path]).unwrap()
}

/// Entry numbers of the catalogue's entries: oldest first.
fn numbers(catalogue: &Catalogue) -> Vec<u32> {
    let mut n = vec![0; catalogue.items.len()];
    for (rank, &i) in catalogue.newest_first().iter().enumerate() {
        n[i] = (catalogue.items.len() - 1 - rank) as u32;
    }
    n
}

#[test]
fn shards_edited_under_their_own_tags_read_as_corrupt_not_as_other_entries() {
    let catalogue = generated(300);
    let folder = published(&catalogue);
    let n = numbers(&catalogue);
    let by_number = |number: u32| &catalogue.items[n.iter().position(|&x| x == number).unwrap()];
    let entry = |folder: &Folder, id: &str| {
        let reader = Reader::new(Manifest::read(&folder["index.json"]).unwrap());
        ask(folder, |files| reader.entry(files, id))
    };
    let page = |folder: &Folder, page: usize| {
        let reader = Reader::new(Manifest::read(&folder["index.json"]).unwrap());
        let view = View {
            page,
            order: Order::OldestFirst,
            ..View::default()
        };
        ask(folder, |files| reader.page(files, &view, 10))
    };

    // An entry of detail shard 2 that no longer reads (its date): the
    // next one would take its place.
    let mut edited = folder.clone();
    let path = path_like(&edited, "e/2-");
    let mut shard = json_of(&edited, &path);
    shard["items"][1]["published"] = "someday".into();
    replace_tagged(&mut edited, &path, serde_json::to_vec(&shard).unwrap());
    for number in [8, 9, 10] {
        let got = entry(&edited, &by_number(number).id);
        assert!(
            matches!(got, Outcome::Corrupt(ref p) if p.starts_with("e/2-")),
            "{number}: {got:?}"
        );
    }

    // A listing shard with a row left out: the rows after it would be
    // numbered as the next entries.
    let mut edited = folder.clone();
    let path = path_like(&edited, "l/1-");
    let mut shard = json_of(&edited, &path);
    shard["rows"].as_array_mut().unwrap().remove(3);
    replace_tagged(&mut edited, &path, serde_json::to_vec(&shard).unwrap());
    let got = page(&edited, 4);
    assert!(
        matches!(got, Outcome::Corrupt(ref p) if p.starts_with("l/1-")),
        "{got:?}"
    );

    // An index-number bucket pointing at another entry, past the last,
    // or at nothing.
    let old = by_number(5).id.clone();
    for (name, number) in [
        ("another entry", serde_json::json!(6)),
        ("past the last", serde_json::json!(300)),
        ("a huge number", serde_json::json!(4_294_967_296u64 + 5)),
        ("nothing", serde_json::Value::Null),
    ] {
        let mut edited = folder.clone();
        let path = edited
            .keys()
            .find(|p| p.starts_with("i/") && String::from_utf8_lossy(&edited[*p]).contains(&old))
            .unwrap()
            .clone();
        let mut pairs = json_of(&edited, &path);
        for pair in pairs.as_array_mut().unwrap() {
            if pair[0] == old.as_str() {
                if number.is_null() {
                    pair.as_array_mut().unwrap().pop();
                } else {
                    pair[1] = number.clone();
                }
            }
        }
        replace_tagged(&mut edited, &path, serde_json::to_vec(&pairs).unwrap());
        let got = entry(&edited, &old);
        assert!(
            matches!(got, Outcome::Corrupt(ref p) if p.starts_with("i/")),
            "{name}: {got:?}"
        );
    }
}
