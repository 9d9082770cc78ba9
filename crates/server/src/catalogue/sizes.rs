//! The `size` of attachments that the publisher can find: an attachment
//! with a relative address, naming a file beside the source catalogue or
//! the output, gets that file's size in bytes. Addresses that leave those
//! folders (`..`, absolute paths) and other origins are not looked up.

use percent_encoding::percent_decode_str;
use std::path::{Component, Path, PathBuf};
use xxgk_core::Catalogue;

/// Fills the missing sizes of `catalogue`'s attachments from the files
/// their relative addresses name beside any of `beside` (catalogue files,
/// whose folders the addresses are relative to).
pub fn fill(catalogue: &mut Catalogue, beside: &[&Path]) {
    let folders: Vec<&Path> = beside.iter().filter_map(|file| file.parent()).collect();
    for item in &mut catalogue.items {
        for attachment in item.attachments.iter_mut().filter(|a| a.size.is_none()) {
            let Some(relative) = local_path(attachment.url.as_str()) else {
                continue;
            };
            attachment.size = folders.iter().find_map(|folder| {
                let path = folder.join(&relative);
                std::fs::metadata(path)
                    .ok()
                    .filter(|m| m.is_file())
                    .map(|m| m.len())
            });
        }
    }
}

/// The relative path a relative address names, or `None` for an address
/// with a scheme or host, an absolute path or one that climbs out.
fn local_path(url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next()?;
    if path.is_empty() || path.starts_with('/') || path.contains(':') || path.contains('\\') {
        return None;
    }
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    let relative = PathBuf::from(decoded.as_ref());
    relative
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        .then_some(relative)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_relative_addresses_inside_the_folder_are_looked_up() {
        assert_eq!(
            local_path("files/a.pdf"),
            Some(PathBuf::from("files/a.pdf"))
        );
        assert_eq!(
            local_path("files/%E9%A2%84%E7%AE%97.xls?v=2"),
            Some(PathBuf::from("files/预算.xls"))
        );
        for outside in [
            "../secret.txt",
            "/etc/passwd",
            "https://x.cn/a.pdf",
            "//x.cn/a",
            "a/../../b",
            "C:\\x",
        ] {
            assert_eq!(local_path(outside), None, "{outside}");
        }
    }

    #[test]
    fn sizes_come_from_files_found_beside_the_catalogue() {
        let dir = std::env::temp_dir().join(format!("xxgk-sizes-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("files")).unwrap();
        std::fs::write(dir.join("files/a.pdf"), vec![0u8; 52_736]).unwrap();
        std::fs::write(dir.join("secret"), b"x").unwrap();
        let json = r#"{"schema":"xxgk-catalogue/1","site":{"name":"乡"},"categories":[{"id":"c","name":"分类"}],
            "items":[{"id":"1","title":"t","published":"2016-01-02","category":"c","attachments":[
              {"name":"a","url":"files/a.pdf"},{"name":"b","url":"files/missing.pdf"},
              {"name":"c","url":"files/a.pdf","size":7},{"name":"d","url":"../secret"}]}]}"#;
        let mut catalogue = xxgk_core::Catalogue::parse("c.json", json.as_bytes()).unwrap();
        fill(&mut catalogue, &[&dir.join("catalogue.json")]);
        let sizes: Vec<_> = catalogue.items[0]
            .attachments
            .iter()
            .map(|a| a.size)
            .collect();
        assert_eq!(sizes, [Some(52_736), None, Some(7), None]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
