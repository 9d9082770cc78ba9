//! `xxgk-server catalogue publish INPUT --out DIR`: a catalogue written as
//! a static bundle (`docs/bundle.md`) that any web server can serve.
//!
//! Shards are named by their content, so a file already in the folder is
//! already right and is left alone: publishing again after a few new
//! entries writes only the shards that changed. `index.json`, the one
//! file whose name stays, is replaced last, by a rename, so a visitor
//! never gets a manifest naming a shard not yet written. The shards of
//! the bundle published before are kept (a visitor who loaded its
//! manifest a minute ago still finds them); older ones are removed.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use xxgk_core::bundle::Bundle;
use xxgk_core::Catalogue;

/// The list of the current bundle's files, kept in the folder so that the
/// next publishing knows what it may remove.
const FILE_LIST: &str = ".xxgk-files";

/// The folders of a bundle: only files in these are ever removed.
const SHARD_FOLDERS: [&str; 6] = ["e", "l", "i", "f", "x", "g"];

/// What publishing did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Published {
    /// Files in the bundle.
    pub files: usize,
    /// Files written (the others were there already).
    pub written: usize,
    /// Bytes written.
    pub bytes: u64,
    /// Files of older bundles removed.
    pub removed: usize,
}

/// Writes the bundle of `catalogue` into `dir` (created if missing).
pub fn publish(catalogue: &Catalogue, dir: &Path) -> std::io::Result<Published> {
    let bundle = Bundle::publish(catalogue);
    std::fs::create_dir_all(dir)?;
    let previous: HashSet<String> = std::fs::read_to_string(dir.join(FILE_LIST))
        .map(|list| list.lines().map(str::to_owned).collect())
        .unwrap_or_default();
    // Files of the same content share a name: each is written once.
    let files: BTreeMap<&str, &[u8]> = bundle
        .files
        .iter()
        .map(|(path, bytes)| (path.as_str(), bytes.as_slice()))
        .collect();
    let mut report = Published {
        files: files.len(),
        ..Published::default()
    };
    let current: HashSet<String> = files.keys().map(|path| (*path).to_owned()).collect();
    let folders: BTreeSet<&Path> = files
        .keys()
        .filter_map(|path| Path::new(path).parent())
        .collect();
    for folder in folders {
        std::fs::create_dir_all(dir.join(folder))?;
    }
    // Shards first, on two threads (writing tens of thousands of small
    // files is mostly waiting on the file system); index.json last.
    let (manifest, shards): (Vec<_>, Vec<_>) =
        files.iter().partition(|(path, _)| **path == "index.json");
    let halves: Vec<std::io::Result<(usize, u64)>> = std::thread::scope(|scope| {
        let writers: Vec<_> = (0..2)
            .map(|half| {
                let shards = &shards;
                scope.spawn(move || {
                    let (mut written, mut bytes) = (0, 0);
                    for (path, content) in shards.iter().skip(half).step_by(2) {
                        let target = dir.join(path);
                        // A shard already there with these bytes is left
                        // alone (named by its content, it is unchanged);
                        // one cut short by a crash, or damaged on the disk,
                        // is written again. No manifest names a shard
                        // before it is written, so it is written in place.
                        if same_file(&target, content) {
                            continue;
                        }
                        std::fs::write(&target, content)?;
                        written += 1;
                        bytes += content.len() as u64;
                    }
                    Ok((written, bytes))
                })
            })
            .collect();
        writers
            .into_iter()
            .map(|w| w.join().expect("writer thread"))
            .collect()
    });
    for half in halves {
        let (written, bytes) = half?;
        report.written += written;
        report.bytes += bytes;
    }
    for (path, content) in manifest {
        write_replacing(&dir.join(path), content)?;
        report.written += 1;
        report.bytes += content.len() as u64;
    }
    report.removed = remove_stale(dir, &current, &previous)?;
    let mut list: Vec<&String> = current.iter().collect();
    list.sort();
    let text: String = list.iter().map(|p| format!("{p}\n")).collect();
    write_replacing(&dir.join(FILE_LIST), text.as_bytes())?;
    Ok(report)
}

/// Whether the file at `path` holds exactly `bytes` (its length first,
/// so that most files that differ are not read).
fn same_file(path: &Path, bytes: &[u8]) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|found| found == bytes)
}

/// Writes `bytes` to `path` through a `.part` file renamed when complete.
fn write_replacing(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut part = path.as_os_str().to_owned();
    part.push(".part");
    let part = PathBuf::from(part);
    let mut file = std::fs::File::create(&part)?;
    file.write_all(bytes)?;
    drop(file);
    std::fs::rename(&part, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&part);
    })
}

/// Removes the files in the bundle's folders that neither this bundle nor
/// the one before it has; how many.
fn remove_stale(
    dir: &Path,
    current: &HashSet<String>,
    previous: &HashSet<String>,
) -> std::io::Result<usize> {
    let mut removed = 0;
    for folder in SHARD_FOLDERS {
        let root = dir.join(folder);
        if !root.is_dir() {
            continue;
        }
        let mut stack = vec![root];
        while let Some(at) = stack.pop() {
            for entry in std::fs::read_dir(&at)? {
                let entry = entry?;
                let path = entry.path();
                let kind = entry.file_type()?;
                if kind.is_dir() {
                    stack.push(path);
                    continue;
                }
                let Ok(relative) = path.strip_prefix(dir) else {
                    continue;
                };
                let name = relative.to_string_lossy().replace('\\', "/");
                if !current.contains(&name) && !previous.contains(&name) {
                    std::fs::remove_file(&path)?;
                    removed += 1;
                }
            }
            if at != dir.join(folder) && std::fs::read_dir(&at)?.next().is_none() {
                std::fs::remove_dir(&at)?;
            }
        }
    }
    Ok(removed)
}
