//! A bundle as a citizen's phone gets it: files cut short, empty, replaced
//! by a server's error page, swapped for another of their kind, taken
//! from another publication or edited by hand, and numbers pushed to
//! their limits. Every question is answered as from the intact bundle or
//! told the file is corrupt (`Wait::Corrupt`): never a panic (which kills
//! the widget's worker), never an allocation of the size a number claims,
//! never endless asking. Views and queries at their edges give what the
//! whole catalogue gives.

use std::collections::HashMap;
use xxgk_core::bundle::{Bundle, Manifest};
use xxgk_core::Catalogue;

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
