//! The 附件 cell: one attachment per line, or several on a line separated
//! by `；` or `;`, each written `name|url`, `name url` or as a bare URL
//! (named after its file). Whether a URL is allowed (http(s) or relative)
//! is the catalogue parser's to say.

use serde::Serialize;

/// An attachment as the catalogue file writes it; a missing name or URL
/// is left out, and the parser reports it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Attachment {
    /// What citizens see.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Where it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Its size in bytes, where the file is found (`sizes::fill`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

/// The attachments a cell lists.
pub fn split(cell: &str) -> Vec<Attachment> {
    cell.split(['\n', '；', ';'])
        .map(str::trim)
        .filter(|piece| !piece.is_empty())
        .map(one)
        .collect()
}

fn one(piece: &str) -> Attachment {
    let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    if let Some((name, url)) = piece.split_once(['|', '｜']) {
        return Attachment {
            name: text(name),
            url: text(url),
            ..Attachment::default()
        };
    }
    match piece.rsplit_once(char::is_whitespace) {
        Some((name, url)) if looks_like_url(url) => Attachment {
            name: text(name),
            url: text(url),
            ..Attachment::default()
        },
        Some(_) => Attachment {
            name: text(piece),
            ..Attachment::default()
        },
        None => Attachment {
            name: text(file_name(piece)),
            url: text(piece),
            ..Attachment::default()
        },
    }
}

/// Whether the last word of `name url` is an address rather than the end
/// of a name with a space in it.
fn looks_like_url(word: &str) -> bool {
    word.contains(['/', ':', '\\'])
        || word.rsplit_once('.').is_some_and(|(_, ext)| {
            !ext.is_empty() && ext.len() <= 5 && ext.bytes().all(|b| b.is_ascii_alphanumeric())
        })
}

/// The last segment of a URL's path, the name a bare URL is shown by.
fn file_name(url: &str) -> &str {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let path = match path.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |host_end| &rest[host_end..]),
        None => path,
    };
    match path.trim_end_matches('/').rsplit('/').next() {
        Some(last) if !last.is_empty() && !last.contains(':') => last,
        _ => url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(name: Option<&str>, url: Option<&str>) -> Attachment {
        Attachment {
            name: name.map(Into::into),
            url: url.map(Into::into),
            size: None,
        }
    }

    #[test]
    fn each_way_of_writing_an_attachment_is_read() {
        let cell = "2016年预算表.xls|files/2016-budget.xls\n\
                    说明 第二版 https://www.example.gov.cn/a/说明.pdf；\
                    https://www.example.gov.cn/files/plan.docx?v=2; ";
        assert_eq!(
            split(cell),
            [
                a(Some("2016年预算表.xls"), Some("files/2016-budget.xls")),
                a(
                    Some("说明 第二版"),
                    Some("https://www.example.gov.cn/a/说明.pdf")
                ),
                a(
                    Some("plan.docx"),
                    Some("https://www.example.gov.cn/files/plan.docx?v=2")
                ),
            ]
        );
    }

    #[test]
    fn a_name_without_an_address_keeps_its_spaces_and_has_no_url() {
        assert_eq!(split("会议 纪要"), [a(Some("会议 纪要"), None)]);
        assert_eq!(split("名称|"), [a(Some("名称"), None)]);
        assert_eq!(split("｜files/a.pdf"), [a(None, Some("files/a.pdf"))]);
    }

    #[test]
    fn a_bare_address_is_named_after_its_file() {
        assert_eq!(
            split("report.pdf"),
            [a(Some("report.pdf"), Some("report.pdf"))]
        );
        assert_eq!(
            split("https://www.example.gov.cn/"),
            [a(
                Some("https://www.example.gov.cn/"),
                Some("https://www.example.gov.cn/")
            )]
        );
        assert_eq!(
            split("javascript:alert(1)"),
            [a(Some("javascript:alert(1)"), Some("javascript:alert(1)"))]
        );
    }

    #[test]
    fn an_empty_cell_has_no_attachments() {
        assert!(split(" \n；").is_empty());
    }
}
