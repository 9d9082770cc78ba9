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
use xxgk_core::search::{Query, SearchIndex};
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

/// The same kind of file: `l/`, `e/`… and for search buckets, terms or
/// places.
fn kind(path: &str) -> String {
    if path.starts_with("g/") {
        let name = path.rsplit('/').next().unwrap_or_default();
        return format!("g/{}", &name[..1]);
    }
    path[..2].to_owned()
}

fn leb(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn read_leb(bytes: &[u8], at: &mut usize) -> u32 {
    let mut n = 0u32;
    let mut shift = 0;
    loop {
        let byte = bytes[*at];
        *at += 1;
        n |= u32::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return n;
        }
        shift += 7;
    }
}

/// A search bucket's records: key and payload.
fn records(bucket: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut at = 0;
    let mut out = Vec::new();
    while at < bucket.len() {
        let len = read_leb(bucket, &mut at) as usize;
        let key = String::from_utf8(bucket[at..at + len].to_vec()).unwrap();
        at += len;
        let len = read_leb(bucket, &mut at) as usize;
        out.push((key, bucket[at..at + len].to_vec()));
        at += len;
    }
    out
}

fn bucket_of(records: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (key, payload) in records {
        leb(&mut out, key.len() as u32);
        out.extend_from_slice(key.as_bytes());
        leb(&mut out, payload.len() as u32);
        out.extend_from_slice(payload);
    }
    out
}

/// Ways a file is damaged on its way: emptied, cut short, replaced by an
/// error page or by another file of its kind, and, with `bytes`, single
/// bytes changed and numbers inserted at places through it.
fn damages(path: &str, folder: &Folder, bytes: bool) -> Vec<(String, Vec<u8>)> {
    let file = &folder[path];
    let mut out = vec![
        ("emptied".to_owned(), Vec::new()),
        (
            "an error page".into(),
            b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\
              <body><h1>Not Found</h1><p>The requested URL was not found on this server.</p>\
              </body></html>"
                .to_vec(),
        ),
    ];
    for cut in [1, file.len() / 2, file.len().saturating_sub(1)] {
        out.push((
            format!("cut to {cut} bytes"),
            file[..cut.min(file.len())].to_vec(),
        ));
    }
    let mut others: Vec<&String> = folder
        .keys()
        .filter(|p| *p != path && kind(p) == kind(path) && folder[*p] != *file)
        .collect();
    others.sort();
    for other in others.into_iter().take(2) {
        out.push((format!("replaced by {other}"), folder[other].clone()));
    }
    if !bytes {
        return out;
    }
    let step = (file.len() / 20).max(1);
    for at in (0..file.len()).step_by(step) {
        for value in [file[at] ^ 1, 0xff, 0, 0x7f] {
            let mut changed = file.clone();
            changed[at] = value;
            if changed != *file {
                out.push((format!("byte {at} made {value:#x}"), changed));
            }
        }
        let mut changed = file.clone();
        changed.splice(at..at, [0xff, 0xff, 0xff, 0xff, 0x0f]);
        out.push((format!("2^32-1 put at {at}"), changed));
        if file[at].is_ascii_digit() {
            let mut changed = file.clone();
            changed.splice(at..at, *b"4294967295");
            out.push((format!("4294967295 put at {at}"), changed));
        }
    }
    out
}

/// What each question answers from the intact folder, and the files it
/// reads.
fn intact(folder: &Folder, questions: &[(String, Question)]) -> Vec<(Outcome, Folder)> {
    let manifest = Manifest::read(&folder["index.json"]).unwrap();
    questions
        .iter()
        .map(|(name, question)| {
            let reader = Reader::new(manifest.clone());
            let (outcome, fetched) = ask_fetching(folder, |files| question(&reader, files));
            assert!(matches!(outcome, Outcome::Answer(_)), "{name}: {outcome:?}");
            (outcome, fetched)
        })
        .collect()
}

/// Asks every question that reads `path` with `path` replaced by `bytes`;
/// what went wrong, as `(question, outcome)`. With `wrong_allowed`, an
/// answer unlike the intact one is not counted (damage inside a search
/// bucket's lists can leave them readable).
fn damaged_answers(
    folder: &Folder,
    questions: &[(String, Question)],
    truth: &[(Outcome, Folder)],
    path: &str,
    bytes: &[u8],
    wrong_allowed: bool,
) -> Vec<(String, Outcome)> {
    let manifest = Manifest::read(&folder["index.json"]).unwrap();
    let mut served = folder.clone();
    served.insert(path.to_owned(), bytes.to_vec());
    let mut wrong = Vec::new();
    for ((name, question), (want, read)) in questions.iter().zip(truth) {
        if !read.contains_key(path) {
            continue;
        }
        let reader = Reader::new(manifest.clone());
        let got = ask(&served, |files| question(&reader, files));
        let fine = match &got {
            Outcome::Corrupt(_) => true,
            Outcome::Answer(_) => got == *want || wrong_allowed,
            Outcome::Broken(_) => false,
        };
        if !fine {
            wrong.push((name.clone(), got));
        }
    }
    wrong
}

#[test]
fn every_kind_of_file_damaged_reads_as_corrupt_or_as_before() {
    let catalogue = generated(300);
    let folder = published(&catalogue);
    let questions = questions(&catalogue);
    let truth = intact(&folder, &questions);
    let mut read: Vec<&String> = truth.iter().flat_map(|(_, f)| f.keys()).collect();
    read.sort();
    read.dedup();
    let kinds: Vec<String> = read.iter().map(|p| kind(p)).collect();
    for wanted in ["x/", "l/", "e/", "i/", "f/", "g/t", "g/p"] {
        assert!(
            kinds.iter().any(|k| k == wanted),
            "no question reads {wanted}"
        );
    }
    let mut failures = Vec::new();
    for path in read {
        let bucket = path.starts_with("g/");
        for (damage, bytes) in damages(path, &folder, true) {
            // A search bucket has no tag of its own: a byte changed inside
            // a list of entries may read as another list.
            let byte = damage.starts_with("byte") || damage.starts_with("2^32");
            let wrong = damaged_answers(&folder, &questions, &truth, path, &bytes, bucket && byte);
            for (question, outcome) in wrong {
                failures.push(format!("{path} {damage}: {question}: {outcome:?}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} wrong:\n{}",
        failures.len(),
        failures[..failures.len().min(40)].join("\n")
    );
}

/// A visitor holding one publication's manifest, and a server that
/// answers for its files with the files of the same kind and number of the
/// next publication (a cache or a copy that mixed them up).
#[test]
fn files_of_another_publication_read_as_corrupt() {
    let old = generated(300);
    let new = generated(340);
    let old_folder = published(&old);
    let new_folder = published(&new);
    let questions = questions(&old);
    let truth = intact(&old_folder, &questions);
    // Each file's kind and number: `l/3`, `g/t5`, `x/`.
    let slot = |path: &str| -> String {
        let name = path.rsplit('/').next().unwrap_or_default();
        match path.split('/').next() {
            Some("g") => format!("g/{}", name.split('.').next().unwrap_or_default()),
            Some("l" | "e" | "i") => format!("{}/{}", &path[..1], name.split('-').next().unwrap()),
            _ => path[..2].to_owned(),
        }
    };
    let mut newer: HashMap<String, Vec<u8>> = HashMap::new();
    for (path, bytes) in &new_folder {
        if path.starts_with("f/") {
            continue;
        }
        newer.insert(slot(path), bytes.clone());
    }
    let mut failures = Vec::new();
    let mut mixed = 0;
    for path in old_folder.keys() {
        if path == "index.json" || new_folder.contains_key(path) {
            continue;
        }
        let Some(bytes) = newer.get(&slot(path)) else {
            continue;
        };
        mixed += 1;
        for (question, outcome) in
            damaged_answers(&old_folder, &questions, &truth, path, bytes, false)
        {
            failures.push(format!("{path}: {question}: {outcome:?}"));
        }
    }
    assert!(mixed > 10, "only {mixed} files differ");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
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
            // Detail shards were named by their own tags: its paths would
            // all be missing.
            "a manifest of the first version",
            Box::new(|j| j["schema"] = "xxgk-bundle/1".into()),
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
            "a detail shard's listing tag a path",
            Box::new(|j| j["firstDetails"][0][2] = "../../../../x".into()),
        ),
        (
            "a detail shard without its listing tag",
            Box::new(|j| {
                j["firstDetails"][0].as_array_mut().unwrap().pop();
            }),
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
    // A detail shard is named by its listing shard's tag, which holds its
    // own.
    let detail = path.starts_with("e/");
    let old = match detail {
        true => tag(&folder[path]),
        false => tag_in(path).unwrap().to_owned(),
    };
    let new = tag(&bytes);
    folder.remove(path);
    folder.insert(
        match detail {
            true => path.to_owned(),
            false => path.replace(&old, &new),
        },
        bytes,
    );
    if path.starts_with("l/") {
        let named: Vec<String> = folder
            .keys()
            .filter(|p| p.starts_with("e/") && p.ends_with(&format!("-{old}.json")))
            .cloned()
            .collect();
        for p in named {
            let bytes = folder.remove(&p).unwrap();
            folder.insert(p.replace(&old, &new), bytes);
        }
    }
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

/// The search bucket and record of `key`.
fn find_record(folder: &Folder, key: &str) -> (String, Vec<(String, Vec<u8>)>, usize) {
    for (path, bytes) in folder {
        if !path.starts_with("g/") {
            continue;
        }
        let records = records(bytes);
        if let Some(i) = records.iter().position(|(k, _)| k == key) {
            return (path.clone(), records, i);
        }
    }
    panic!("no record {key}");
}

#[test]
fn a_key_twice_in_a_bucket_is_corrupt() {
    let catalogue = generated(300);
    let mut folder = published(&catalogue);
    let reader = Reader::new(Manifest::read(&folder["index.json"]).unwrap());
    let query = Query::parse("财政");
    assert!(matches!(
        ask(&folder, |f| reader.search(f, &query)),
        Outcome::Answer(_)
    ));
    // An empty list for 财 before its real one, as a hand edit might leave.
    let (path, mut records, at) = find_record(&folder, "p财政");
    records.insert(at, ("p财政".into(), Vec::new()));
    folder.insert(path.clone(), bucket_of(&records));
    let reader = Reader::new(Manifest::read(&folder["index.json"]).unwrap());
    assert_eq!(
        ask(&folder, |f| reader.search(f, &query)),
        Outcome::Corrupt(path)
    );
}

/// Places near the largest number a bucket can hold, where a term's
/// pieces are looked for at their distances and titles scored by how
/// close the terms are.
#[test]
fn places_near_the_largest_number_are_no_panic() {
    let json = r#"{"schema":"xxgk-catalogue/1","site":{"name":"测试乡"},
      "categories":[{"id":"a","name":"甲"}],
      "items":[
        {"id":"1","title":"财政预算公开","published":"2020-01-01","category":"a"},
        {"id":"2","title":"乡村财政预算","published":"2020-01-02","category":"a"}
      ]}"#;
    let catalogue = Catalogue::parse("test", json.as_bytes()).unwrap();
    let folder = published(&catalogue);

    // The places of 财政预 in titles: the one entry's run moved to the
    // end of the numbers, then looked for three further on (财政预算公开).
    let mut edited = folder.clone();
    let (path, mut records, at) = find_record(&edited, "T财政预");
    let mut payload = Vec::new();
    payload.push(0); // the title
    leb(&mut payload, 1); // one entry
    let mut places = Vec::new();
    leb(&mut places, 0); // entry 0
    leb(&mut places, u32::MAX); // at 2^32 - 2
    places.push(0);
    leb(&mut payload, places.len() as u32);
    payload.extend_from_slice(&places);
    records[at].1 = payload;
    edited.insert(path, bucket_of(&records));
    let reader = Reader::new(Manifest::read(&edited["index.json"]).unwrap());
    let query = Query::parse("财政预算公开");
    let got = ask(&edited, |f| reader.search(f, &query));
    assert!(!matches!(got, Outcome::Broken(_)), "{got:?}");

    // The first places of 财政 in titles made the largest there are, and
    // 预算's left at the start: as far apart as can be.
    let mut edited = folder.clone();
    let (path, mut records, at) = find_record(&edited, "Fp财政");
    let payload = &records[at].1;
    let mut i = 0;
    let count = read_leb(payload, &mut i);
    let len = read_leb(payload, &mut i) as usize;
    let mut changed = payload[..i + len].to_vec();
    for _ in 0..count {
        leb(&mut changed, u32::MAX);
    }
    records[at].1 = changed;
    edited.insert(path, bucket_of(&records));
    let reader = Reader::new(Manifest::read(&edited["index.json"]).unwrap());
    let query = Query::parse("财政 预算");
    let got = ask(&edited, |f| reader.search(f, &query));
    assert!(matches!(got, Outcome::Answer(_)), "{got:?}");
}

fn check_views(catalogue: &Catalogue, views: &[View]) {
    let folder = published(catalogue);
    let reader = Reader::new(Manifest::read(&folder["index.json"]).unwrap());
    for view in views {
        for size in [0, 1, 7, 20, 21, 100, usize::MAX] {
            let want = catalogue.select(view, size);
            let got = ask(&folder, |files| reader.page(files, view, size));
            let Outcome::Answer(_) = got else {
                panic!("{view:?} size {size}: {got:?}")
            };
            let page = reader
                .page(&folder, view, size)
                .unwrap_or_else(|w| panic!("{w:?}"));
            let ids: Vec<&str> = page.rows.iter().map(|r| r.id.as_str()).collect();
            let want_ids: Vec<&str> = want
                .items
                .iter()
                .map(|&i| catalogue.items[i].id.as_str())
                .collect();
            assert_eq!(ids, want_ids, "{view:?} size {size}");
            assert_eq!(
                (page.total, page.page, page.pages),
                (want.total, want.page, want.pages),
                "{view:?} size {size}"
            );
        }
    }
}

fn edge_views(catalogue: &Catalogue) -> Vec<View> {
    let facets = xxgk_core::Facets::of(catalogue);
    let mut views = Vec::new();
    for page in [0, 1, 2, 15, 16, usize::MAX / 2, usize::MAX] {
        for order in [Order::NewestFirst, Order::OldestFirst] {
            views.push(View {
                page,
                order,
                ..View::default()
            });
        }
    }
    views.extend([
        View {
            category: Some("no-such-category".into()),
            page: 2,
            ..View::default()
        },
        View {
            category: Some(String::new()),
            ..View::default()
        },
        View {
            year: Some(0),
            ..View::default()
        },
        View {
            year: Some(u16::MAX),
            page: usize::MAX,
            ..View::default()
        },
        View {
            publisher: Some(String::new()),
            ..View::default()
        },
        View {
            village: Some("无此村".into()),
            ..View::default()
        },
        View {
            genre: Some("无此体裁".into()),
            order: Order::OldestFirst,
            ..View::default()
        },
        View {
            level: Some(Level::Village),
            village: facets.villages.first().cloned(),
            validity: Some(Validity::Repealed),
            ..View::default()
        },
        View {
            level: Some(Level::Township),
            year: facets.years.last().copied(),
            publisher: facets.publishers.last().cloned(),
            category: catalogue.categories.last().map(|c| c.id.clone()),
            genre: facets.genres.last().cloned(),
            page: 0,
            ..View::default()
        },
    ]);
    for category in catalogue.categories.iter().take(6) {
        views.push(View {
            category: Some(category.id.clone()),
            page: usize::MAX,
            ..View::default()
        });
    }
    views
}

#[test]
fn views_at_their_edges_are_the_catalogue_s() {
    let catalogue = generated(300);
    check_views(&catalogue, &edge_views(&catalogue));
}

fn tiny(items: &str) -> Catalogue {
    let json = format!(
        r#"{{"schema":"xxgk-catalogue/1","site":{{"name":"测试乡"}},
          "categories":[{{"id":"a","name":"甲","children":[{{"id":"b","name":"乙"}}]}}],
          "items":[{items}]}}"#
    );
    Catalogue::parse("test", json.as_bytes()).unwrap()
}

fn check_queries(catalogue: &Catalogue, queries: &[String]) {
    let folder = published(catalogue);
    let reader = Reader::new(Manifest::read(&folder["index.json"]).unwrap());
    let index = SearchIndex::build(catalogue);
    let n = numbers(catalogue);
    for text in queries {
        let query = Query::parse(text);
        let want: Option<Vec<u32>> = index
            .search(catalogue, &query)
            .map(|hits| hits.iter().map(|&i| n[i]).collect());
        let got = ask(&folder, |files| reader.search(files, &query));
        assert_eq!(got, Outcome::Answer(format!("{want:?}")), "query {text:?}");
        let hits = index.search(catalogue, &query).unwrap_or_default();
        for view in [
            View {
                page: usize::MAX,
                ..View::default()
            },
            View {
                category: Some("no-such-category".into()),
                page: 0,
                ..View::default()
            },
            View {
                publisher: Some("无此机构".into()),
                ..View::default()
            },
            View {
                category: catalogue.categories.last().map(|c| c.id.clone()),
                level: Some(Level::Township),
                ..View::default()
            },
        ] {
            for size in [1, 100] {
                let got = ask(&folder, |files| {
                    reader.search_page(files, text, &view, size, true)
                });
                let Outcome::Answer(got) = got else {
                    panic!("{text:?} {view:?}: {got:?}")
                };
                if query.is_empty() {
                    assert_eq!(got, "None");
                    continue;
                }
                let want = catalogue.select_among(&hits, &view, size);
                let want_ns: Vec<u32> = want.items.iter().map(|&i| n[i]).collect();
                let (page, found) = reader
                    .search_page(&folder, text, &view, size, true)
                    .unwrap()
                    .unwrap();
                let ns: Vec<u32> = found.iter().map(|h| h.index as u32).collect();
                assert_eq!(
                    (page.total, page.page, page.pages, ns),
                    (want.total, want.page, want.pages, want_ns),
                    "{text:?} {view:?} size {size}"
                );
            }
        }
    }
}

fn edge_queries(catalogue: &Catalogue) -> Vec<String> {
    let title = &catalogue.items[catalogue.items.len() / 2].title;
    let long: String = title.chars().cycle().take(64).collect();
    let mut queries: Vec<String> = [
        "",
        "   ",
        "。，、 - ！",
        "《》〔〕()[]{}",
        "!@#$%^&*",
        "财",
        "cz",
        "zh",
        "xx",
        "caizhengyujuesuangon",
        "zhengfuxinxigongkaiz",
        "qqqqqqqqqqqqqqqqqqqq",
        "a",
        "1",
        "2016年财政预算",
        "pm2.5浓度",
        "xxgk公开",
        "财政zhengfu",
        "〔2016〕",
        "ＰＭ２．５",
        "財政預算",
    ]
    .map(String::from)
    .to_vec();
    queries.push("财".repeat(64));
    queries.push("财".repeat(200));
    queries.push("a".repeat(64));
    queries.push("caizheng".repeat(8));
    queries.push(long.clone());
    queries.push(title.clone());
    queries.push(format!("{title} {title}"));
    queries.push(vec!["财政"; 16].join(" "));
    queries.push(vec!["财政"; 40].join(" "));
    let words: Vec<&str> = vec![
        "财政", "预算", "2016", "cz", "公开", "乡", "村", "xinxi", "政府", "通知", "关于", "年",
        "工作", "的", "人民", "zhengfu",
    ];
    queries.push(words.join(" "));
    queries.push(format!("{} {long}", words.join(" ")));
    queries.push(
        title
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            + "z",
    );
    queries
}

#[test]
fn queries_at_their_edges_find_what_the_index_finds() {
    let catalogue = generated(300);
    check_queries(&catalogue, &edge_queries(&catalogue));
}

#[test]
fn a_catalogue_of_one_entry_or_none_reads_as_itself() {
    for catalogue in [
        tiny(""),
        tiny(r#"{"id":"1","title":"乡","published":"2020-01-01","category":"b"}"#),
        tiny(
            r#"{"id":"1","title":"财政预算公开 2016","published":"2020-01-01","category":"b","body":"正文"}"#,
        ),
    ] {
        let mut views = edge_views(&catalogue);
        views.push(View {
            category: Some("a".into()),
            ..View::default()
        });
        check_views(&catalogue, &views);
        let queries: Vec<String> = [
            "乡",
            "财政",
            "cz",
            "caizheng",
            "2016",
            "财政 2016",
            "正文",
            "。",
        ]
        .map(String::from)
        .to_vec();
        check_queries(&catalogue, &queries);
        let folder = published(&catalogue);
        let reader = Reader::new(Manifest::read(&folder["index.json"]).unwrap());
        for id in ["1", "2", ""] {
            let got = ask(&folder, |files| reader.entry(files, id));
            let want = catalogue.item(id).map(|item| item.title.clone());
            match (&got, want) {
                (Outcome::Answer(text), Some(title)) => assert!(text.contains(&title)),
                (Outcome::Answer(text), None) => assert_eq!(text, "None"),
                _ => panic!("{id}: {got:?}"),
            }
        }
    }
}

/// Every question is answered within three rounds of fetching, asking for
/// no file twice (`ask` checks); a page of search results under a filter
/// asks for its search buckets and its filter's list together.
#[test]
fn every_question_is_answered_in_few_rounds() {
    let catalogue = generated(300);
    let folder = published(&catalogue);
    let manifest = Manifest::read(&folder["index.json"]).unwrap();
    for (name, question) in questions(&catalogue) {
        let reader = Reader::new(manifest.clone());
        let mut fetched = Folder::new();
        let mut rounds = 0;
        loop {
            match question(&reader, &fetched) {
                Ok(_) => break,
                Err(Wait::Fetch(paths)) => {
                    rounds += 1;
                    for path in paths {
                        assert!(fetched
                            .insert(path.clone(), folder[&path].clone())
                            .is_none());
                    }
                }
                Err(Wait::Corrupt(path)) => panic!("{name}: {path}"),
            }
            assert!(rounds <= 3, "{name}: still asking");
        }
    }
    // The directory, then the buckets and the year's list, then the
    // listing shards with the detail shards for the excerpts.
    let facets = xxgk_core::Facets::of(&catalogue);
    let reader = Reader::new(manifest);
    let view = View {
        year: facets.years.first().copied(),
        ..View::default()
    };
    let mut fetched = Folder::new();
    let mut asked = Vec::new();
    while let Err(wait) = reader.search_page(&fetched, "财政", &view, 10, true) {
        let Wait::Fetch(paths) = wait else {
            panic!("{wait:?}")
        };
        asked.push(paths.iter().map(|p| kind(p)).collect::<Vec<_>>());
        for path in paths {
            fetched.insert(path.clone(), folder[&path].clone());
        }
    }
    assert_eq!(asked.len(), 3, "{asked:?}");
    assert!(asked[1].iter().any(|k| k == "f/") && asked[1].iter().any(|k| k.starts_with("g/")));
    assert!(asked[2].iter().any(|k| k == "l/") && asked[2].iter().any(|k| k == "e/"));
}
