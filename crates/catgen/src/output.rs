//! Writing a whole catalogue as JSON, one item per line.

use crate::generator::Generator;
use crate::item::LAST_DAY;
use crate::tree::TREE;
use serde::Serialize;
use std::io::{self, Write};

#[derive(Serialize)]
struct SiteJson {
    name: String,
    region: String,
    updated: String,
}

/// Streams the catalogue of `generator` to `out`.
///
/// The head (schema, site, tree) is pretty-printed; each item is one compact
/// line, so the file diffs and greps well and is written in one pass with
/// memory independent of the item count.
pub fn write_json<W: Write>(mut out: W, generator: Generator) -> io::Result<()> {
    let site = generator.site();
    let (y, m, d) = LAST_DAY;
    let site_json = SiteJson {
        name: site.name(),
        region: site.region(),
        updated: format!("{y:04}-{m:02}-{d:02}"),
    };
    out.write_all(b"{\n  \"schema\": \"xxgk-catalogue/1\",\n  \"site\": ")?;
    serde_json::to_writer(&mut out, &site_json)?;
    out.write_all(b",\n  \"categories\": ")?;
    let tree = serde_json::to_string_pretty(TREE)?;
    out.write_all(tree.replace('\n', "\n  ").as_bytes())?;
    out.write_all(b",\n  \"items\": [")?;
    let mut first = true;
    for entry in generator {
        out.write_all(if first { b"\n    " } else { b",\n    " })?;
        first = false;
        serde_json::to_writer(&mut out, &entry)?;
    }
    out.write_all(if first { b"]\n}\n" } else { b"\n  ]\n}\n" })?;
    out.flush()
}
