//! One entry as the catalogue file writes it (`docs/catalogue.md`),
//! members in the order of that page; an absent member is left out.
//! Spreadsheet rows are turned into these before the catalogue parser
//! checks them, and parsed entries are written back as these by `import`.

use super::attachments::Attachment;
use serde::Serialize;
use xxgk_core::{Category, Disclosure, Item};

/// An entry's members, as text the parser reads.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// 索引号.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// 名称.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// 发布机构.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// 层级: `township` or `village` (or what the sheet says, for the
    /// parser to refuse).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// 村.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub village: Option<String>,
    /// 文号.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_number: Option<String>,
    /// 成文日期, `2016-12-01` (or the text that is not a date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written: Option<String>,
    /// 发布日期, `2016-12-01` (or the text that is not a date).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// The category's id (or the text that names none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// 主题分类.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// 体裁分类.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub genre: Option<String>,
    /// 主题词.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// 有效性: `valid`, `expired` or `repealed`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub validity: Option<String>,
    /// 公开属性: `proactive` or `on_request`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub disclosure: Option<String>,
    /// 内容概述.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// 正文.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// 原文链接.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// 附件.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
}

/// The code of a disclosure value in the file.
pub fn disclosure_code(disclosure: Disclosure) -> &'static str {
    match disclosure {
        Disclosure::Proactive => "proactive",
        Disclosure::OnRequest => "on_request",
    }
}

impl Entry {
    /// A parsed entry written back; `categories` is the catalogue's.
    pub fn from_item(item: &Item, categories: &[Category]) -> Entry {
        Entry {
            id: Some(item.id.clone()),
            title: Some(item.title.clone()),
            publisher: Some(item.publisher.clone()),
            level: Some(item.level.code().to_owned()),
            village: item.village.clone(),
            doc_number: item.doc_number.clone(),
            written: item.written.map(|d| d.to_string()),
            published: Some(item.published.to_string()),
            category: Some(categories[item.category].id.clone()),
            topic: item.topic.clone(),
            genre: item.genre.clone(),
            keywords: item.keywords.clone(),
            validity: Some(item.validity.code().to_owned()),
            disclosure: Some(disclosure_code(item.disclosure).to_owned()),
            summary: item.summary.clone(),
            body: item.body.clone(),
            link: item.link.as_ref().map(|l| l.as_str().to_owned()),
            attachments: item
                .attachments
                .iter()
                .map(|a| Attachment {
                    name: Some(a.name.clone()),
                    url: Some(a.url.as_str().to_owned()),
                    size: a.size,
                })
                .collect(),
        }
    }
}
