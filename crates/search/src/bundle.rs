use std::collections::HashMap;
use wasm_bindgen::prelude::*;
use xxgk_core::bundle::{answer, Files, Manifest, Reader, Wait, SCHEMA};
use xxgk_core::hash;

/// A published bundle (`docs/bundle.md`), read a shard at a time: the
/// widget's questions are answered from the files fetched so far, or say
/// which files to fetch first (the loader's worker fetches them, hands
/// them over with [`BundleEngine::put`] and asks again).
#[wasm_bindgen]
pub struct BundleEngine {
    reader: Reader,
    files: Shards,
    /// Files put since the engine last answered or asked for files: if
    /// one of them is damaged, they came together (one bad moment on the
    /// network, a proxy's error page for each) and are all fetched again.
    fresh: Vec<String>,
}

/// The shards fetched, the least recently put dropped past a limit.
#[derive(Default)]
struct Shards {
    bytes: HashMap<String, Vec<u8>>,
    order: Vec<String>,
    held: usize,
}

/// Bytes of shards kept: a few searches' worth.
const KEPT_BYTES: usize = 6 << 20;

impl Files for Shards {
    fn get(&self, path: &str) -> Option<&[u8]> {
        self.bytes.get(path).map(Vec::as_slice)
    }
}

impl Shards {
    fn put(&mut self, path: String, bytes: Vec<u8>) {
        self.held += bytes.len();
        if let Some(old) = self.bytes.insert(path.clone(), bytes) {
            self.held -= old.len();
        } else {
            self.order.push(path);
        }
    }

    /// Drops a file, so that it is fetched again when next needed.
    fn forget(&mut self, path: &str) {
        if let Some(old) = self.bytes.remove(path) {
            self.held -= old.len();
            self.order.retain(|p| p != path);
        }
    }

    /// Drops the oldest files past the limit, but never the directory
    /// every question needs. Only between questions: a question waiting
    /// for files keeps the ones it was given, however many it needs.
    fn trim(&mut self, keep: &str) {
        while self.held > KEPT_BYTES && self.order.len() > 1 {
            let oldest = self.order.remove(0);
            if oldest == keep {
                self.order.push(oldest);
                continue;
            }
            if let Some(old) = self.bytes.remove(&oldest) {
                self.held -= old.len();
            }
        }
    }
}

#[wasm_bindgen]
impl BundleEngine {
    /// Reads the bundle's manifest (`index.json`).
    #[wasm_bindgen(constructor)]
    pub fn new(manifest: &[u8]) -> Result<BundleEngine, JsError> {
        let manifest = Manifest::read(manifest)
            .ok_or_else(|| JsError::new(&format!("not an {SCHEMA} manifest")))?;
        Ok(BundleEngine {
            reader: Reader::new(manifest),
            files: Shards::default(),
            fresh: Vec::new(),
        })
    }

    /// Hands over a fetched file (its path in the bundle).
    pub fn put(&mut self, path: String, bytes: Vec<u8>) {
        self.fresh.push(path.clone());
        self.files.put(path, bytes);
    }

    /// The directory's path: worth fetching before the first question.
    pub fn directory(&self) -> String {
        self.reader.directory_path().to_owned()
    }

    /// Answers the widget about the view in `hash` (its part under `key`)
    /// with search text `query` (empty for none): the open entry if the
    /// view has one, else the page of entries (see
    /// `xxgk_core::bundle::answer`). Or `?` and the paths of the files to
    /// fetch first, one a line.
    pub fn answer(&mut self, query: &str, hash: &str, key: &str, size: usize) -> String {
        let view = hash::read(hash, key).unwrap_or_default();
        let asked = match &view.item {
            Some(id) => self.entry(id),
            None if query.trim().is_empty() => self
                .reader
                .page(&self.files, &view, size)
                .map(|page| answer::list(&page, &[])),
            None => self
                .reader
                .search_page(&self.files, query, &view, size, true)
                .map(|found| match found {
                    Some((page, hits)) => answer::list(&page, &hits),
                    None => answer::list(&Default::default(), &[]),
                }),
        };
        let text = match asked {
            Err(Wait::Fetch(paths)) => {
                self.fresh.clear();
                return format!("?{}", paths.join("\n"));
            }
            Ok(text) => text,
            // A damaged file (cut short, an error page served as the
            // file) is not kept, nor are the files that came with it:
            // asked again, they are fetched again, all at once.
            Err(Wait::Corrupt(path)) => {
                self.files.forget(&path);
                for other in std::mem::take(&mut self.fresh) {
                    self.files.forget(&other);
                }
                format!("!{path}")
            }
        };
        self.fresh.clear();
        let keep = self.reader.directory_path().to_owned();
        self.files.trim(&keep);
        text
    }
}

impl BundleEngine {
    fn entry(&self, id: &str) -> Result<String, Wait> {
        let found = self.reader.entry(&self.files, id)?;
        let categories = &self.reader.manifest.categories;
        Ok(answer::entry(found.as_ref().and_then(|e| {
            categories.get(e.item.category).map(|c| (&e.item, c))
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use xxgk_core::bundle::Bundle;
    use xxgk_core::Catalogue;

    /// The example catalogue published: each file by its path.
    fn dongting() -> HashMap<String, Vec<u8>> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/dongting/catalogue.json"
        );
        let bytes = std::fs::read(path).unwrap();
        let catalogue = Catalogue::parse(path, &bytes).unwrap();
        Bundle::publish(&catalogue).files.into_iter().collect()
    }

    #[test]
    fn a_damaged_file_is_fetched_again_when_asked_again() {
        let files = dongting();
        let file = |name: &str| files[name].clone();
        let mut engine = BundleEngine::new(&file("index.json")).unwrap();
        let directory = engine.directory();
        // Page 5 of 10 needs the directory first.
        let ask = |engine: &mut BundleEngine| engine.answer("", "x.p=5", "x", 10);
        assert_eq!(ask(&mut engine), format!("?{directory}"));
        // An error page served in its place is damage, said once...
        engine.put(directory.clone(), b"<html>502 Bad Gateway</html>".to_vec());
        assert_eq!(ask(&mut engine), format!("!{directory}"));
        // ...and the next asking fetches it again, and goes on.
        assert_eq!(ask(&mut engine), format!("?{directory}"));
        engine.put(directory.clone(), file(&directory));
        let next = ask(&mut engine);
        assert!(
            next.starts_with('?') && !next.contains(&directory),
            "{next}"
        );
    }

    /// One bad moment: every shard of a search page comes back as a
    /// proxy's error page. One retry fetches them all again.
    #[test]
    fn files_damaged_together_are_all_fetched_again_at_the_next_asking() {
        let files = dongting();
        let file = |name: &str| files[name].clone();
        let mut engine = BundleEngine::new(&file("index.json")).unwrap();
        let ask = |engine: &mut BundleEngine| engine.answer("通知", "", "x", 10);
        let shards = loop {
            let asked = ask(&mut engine);
            let paths: Vec<String> = asked
                .strip_prefix('?')
                .expect(&asked)
                .lines()
                .map(str::to_owned)
                .collect();
            if paths.iter().any(|p| p.starts_with("e/")) {
                break paths;
            }
            for p in paths {
                engine.put(p.clone(), file(&p));
            }
        };
        assert!(shards.len() > 2, "{shards:?}");
        for p in &shards {
            engine.put(p.clone(), b"<html>502 Bad Gateway</html>".to_vec());
        }
        assert!(ask(&mut engine).starts_with('!'));
        let again = ask(&mut engine);
        let mut asked: Vec<&str> = again.strip_prefix('?').expect(&again).lines().collect();
        asked.sort();
        let mut wanted: Vec<&str> = shards.iter().map(String::as_str).collect();
        wanted.sort();
        assert_eq!(asked, wanted);
        for p in &shards {
            engine.put(p.clone(), file(p));
        }
        assert!(ask(&mut engine).starts_with('L'));
    }
}
