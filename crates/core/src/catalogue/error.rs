//! What can be wrong with a catalogue file, in words for the staff who keep
//! it.

use crate::Lang;
use std::fmt;

/// A problem with the whole catalogue file: nothing can be shown.
///
/// `Display` gives the Chinese message; [`CatalogueError::message`] gives
/// either language. Each message names the file and says what to do.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CatalogueError {
    /// The file has no content.
    #[error("{}", self.message(Lang::Zh))]
    Empty {
        /// The file's URL or path.
        file: String,
    },
    /// The bytes are not UTF-8 (a GBK export, usually).
    #[error("{}", self.message(Lang::Zh))]
    NotUtf8 {
        /// The file's URL or path.
        file: String,
        /// The byte offset of the first bad byte.
        offset: usize,
    },
    /// The text is not JSON.
    #[error("{}", self.message(Lang::Zh))]
    NotJson {
        /// The file's URL or path.
        file: String,
        /// Line of the error, from 1.
        line: usize,
        /// Column of the error, from 1.
        column: usize,
        /// The JSON parser's own words.
        detail: String,
    },
    /// The top level is JSON but not an object.
    #[error("{}", self.message(Lang::Zh))]
    NotAnObject {
        /// The file's URL or path.
        file: String,
    },
    /// The `schema` member is missing.
    #[error("{}", self.message(Lang::Zh))]
    MissingSchema {
        /// The file's URL or path.
        file: String,
    },
    /// The `schema` member names a version this widget does not read.
    #[error("{}", self.message(Lang::Zh))]
    UnknownSchema {
        /// The file's URL or path.
        file: String,
        /// What the file says.
        found: String,
    },
    /// `site`, `categories` or `items` is missing or of the wrong type.
    #[error("{}", self.message(Lang::Zh))]
    BadMember {
        /// The file's URL or path.
        file: String,
        /// The member's name.
        member: &'static str,
        /// What it should be, e.g. "an array".
        expected: Expected,
    },
}

/// What a member should be: a JSON type, or, for an index number, the
/// text [`super::check_entry_id`] takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// A string.
    Text,
    /// An array.
    List,
    /// An object.
    Object,
    /// A string or an array of strings.
    TextOrList,
    /// A file's size: a whole number of bytes.
    Bytes,
    /// An index number: at most [`super::ENTRY_ID_MAX`] characters, none
    /// of them hidden.
    EntryId,
}

impl Expected {
    fn words(self, lang: Lang) -> &'static str {
        match self {
            Expected::Text => lang.pick("文字", "a string"),
            Expected::List => lang.pick("数组 [...]", "an array [...]"),
            Expected::Object => lang.pick("对象 {...}", "an object {...}"),
            Expected::TextOrList => lang.pick("文字或文字数组", "a string or an array of strings"),
            Expected::Bytes => lang.pick(
                "以字节计的整数，例如 52736",
                "a whole number of bytes, e.g. 52736",
            ),
            Expected::EntryId => lang.pick(
                "不超过 100 个字符、不含看不见的控制字符的文字",
                "text of at most 100 characters without invisible control characters",
            ),
        }
    }
}

impl CatalogueError {
    /// The file this error is about.
    pub fn file(&self) -> &str {
        match self {
            CatalogueError::Empty { file }
            | CatalogueError::NotUtf8 { file, .. }
            | CatalogueError::NotJson { file, .. }
            | CatalogueError::NotAnObject { file }
            | CatalogueError::MissingSchema { file }
            | CatalogueError::UnknownSchema { file, .. }
            | CatalogueError::BadMember { file, .. } => file,
        }
    }

    /// The message, naming the file, the problem and what to do.
    pub fn message(&self, lang: Lang) -> String {
        let file = self.file();
        match (self, lang) {
            (CatalogueError::Empty { .. }, Lang::Zh | Lang::Hant) => {
                format!("目录文件 {file} 是空的。请检查文件是否上传完整。")
            }
            (CatalogueError::Empty { .. }, Lang::En) => {
                format!("The catalogue file {file} is empty. Check that it was uploaded completely.")
            }
            (CatalogueError::NotUtf8 { offset, .. }, Lang::Zh | Lang::Hant) => format!(
                "目录文件 {file} 不是 UTF-8 编码（第 {offset} 字节起无法识别，可能是 GBK）。请用编辑器将其另存为 UTF-8 编码。"
            ),
            (CatalogueError::NotUtf8 { offset, .. }, Lang::En) => format!(
                "The catalogue file {file} is not UTF-8 (unreadable from byte {offset}; it may be GBK). Save it as UTF-8."
            ),
            (CatalogueError::NotJson { line, column, detail, .. }, Lang::Zh | Lang::Hant) => format!(
                "目录文件 {file} 不是有效的 JSON：第 {line} 行第 {column} 列有误（{detail}）。请修正该处后重新上传。"
            ),
            (CatalogueError::NotJson { line, column, detail, .. }, Lang::En) => format!(
                "The catalogue file {file} is not valid JSON: error at line {line}, column {column} ({detail}). Fix it there and upload again."
            ),
            (CatalogueError::NotAnObject { .. }, Lang::Zh | Lang::Hant) => {
                format!("目录文件 {file} 的最外层应是以 {{ 开头的对象。请对照 docs/catalogue.md 检查格式。")
            }
            (CatalogueError::NotAnObject { .. }, Lang::En) => format!(
                "The catalogue file {file} must be a JSON object starting with {{. Compare it with docs/catalogue.md."
            ),
            (CatalogueError::MissingSchema { .. }, Lang::Zh | Lang::Hant) => format!(
                "目录文件 {file} 缺少 \"schema\" 字段。请在文件开头加上 \"schema\": \"{}\"。",
                super::SCHEMA
            ),
            (CatalogueError::MissingSchema { .. }, Lang::En) => format!(
                "The catalogue file {file} has no \"schema\" member. Add \"schema\": \"{}\" at its top.",
                super::SCHEMA
            ),
            (CatalogueError::UnknownSchema { found, .. }, Lang::Zh | Lang::Hant) => format!(
                "目录文件 {file} 的格式版本是 \"{found}\"，本组件只能读取 \"{}\"。请使用对应版本的组件，或按 {} 格式导出目录。",
                super::SCHEMA,
                super::SCHEMA
            ),
            (CatalogueError::UnknownSchema { found, .. }, Lang::En) => format!(
                "The catalogue file {file} is in format \"{found}\"; this widget reads \"{}\" only. Use a matching widget version or export the catalogue as {}.",
                super::SCHEMA,
                super::SCHEMA
            ),
            (CatalogueError::BadMember { member, expected, .. }, Lang::Zh | Lang::Hant) => format!(
                "目录文件 {file} 的 \"{member}\" 字段缺失或类型不对，应为{}。请对照 docs/catalogue.md 修正。",
                expected.words(lang)
            ),
            (CatalogueError::BadMember { member, expected, .. }, Lang::En) => format!(
                "The catalogue file {file} lacks \"{member}\" or it has the wrong type; it must be {}. Compare it with docs/catalogue.md.",
                expected.words(lang)
            ),
        }
    }
}

/// A field of an entry, for naming it in problems.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// `id`, 索引号.
    Id,
    /// `title`, 名称.
    Title,
    /// `publisher`, 发布机构.
    Publisher,
    /// `level`, 层级.
    Level,
    /// `village`, 村.
    Village,
    /// `doc_number`, 文号.
    DocNumber,
    /// `written`, 成文日期.
    Written,
    /// `published`, 发布日期.
    Published,
    /// `category`, 目录分类.
    Category,
    /// `topic`, 主题分类.
    Topic,
    /// `genre`, 体裁分类.
    Genre,
    /// `keywords`, 主题词.
    Keywords,
    /// `validity`, 有效性.
    Validity,
    /// `disclosure`, 公开属性.
    Disclosure,
    /// `summary`, 内容概述.
    Summary,
    /// `body`, 正文.
    Body,
    /// `link`, 原文链接.
    Link,
    /// `attachments`, 附件.
    Attachments,
    /// The `name` of the n-th attachment (from 1).
    AttachmentName(usize),
    /// The `url` of the n-th attachment (from 1).
    AttachmentUrl(usize),
    /// The `size` of the n-th attachment (from 1), in bytes.
    AttachmentSize(usize),
    /// A category's `name`.
    Name,
    /// A category's `children`.
    Children,
}

impl Field {
    /// The JSON member and its Chinese name, e.g. `名称（title）`.
    pub fn describe(self, lang: Lang) -> String {
        let (zh, en, key) = match self {
            Field::Id => ("索引号", "index number", "id"),
            Field::Title => ("名称", "title", "title"),
            Field::Publisher => ("发布机构", "publisher", "publisher"),
            Field::Level => ("层级", "level", "level"),
            Field::Village => ("村", "village", "village"),
            Field::DocNumber => ("文号", "document number", "doc_number"),
            Field::Written => ("成文日期", "date written", "written"),
            Field::Published => ("发布日期", "date published", "published"),
            Field::Category => ("目录分类", "category", "category"),
            Field::Topic => ("主题分类", "topic", "topic"),
            Field::Genre => ("体裁分类", "genre", "genre"),
            Field::Keywords => ("主题词", "keywords", "keywords"),
            Field::Validity => ("有效性", "validity", "validity"),
            Field::Disclosure => ("公开属性", "disclosure", "disclosure"),
            Field::Summary => ("内容概述", "summary", "summary"),
            Field::Body => ("正文", "body", "body"),
            Field::Link => ("原文链接", "link", "link"),
            Field::Attachments => ("附件", "attachments", "attachments"),
            Field::AttachmentName(n) | Field::AttachmentUrl(n) | Field::AttachmentSize(n) => {
                let (zh, en, key) = match self {
                    Field::AttachmentName(_) => ("名称", "name", "name"),
                    Field::AttachmentUrl(_) => ("地址", "URL", "url"),
                    _ => ("大小", "size", "size"),
                };
                return match lang {
                    Lang::Zh | Lang::Hant => {
                        format!("第 {n} 个附件的{zh}（attachments[{}].{key}）", n - 1)
                    }
                    Lang::En => format!("{en} of attachment {n} (attachments[{}].{key})", n - 1),
                };
            }
            Field::Name => ("名称", "name", "name"),
            Field::Children => ("下级分类", "children", "children"),
        };
        match lang {
            Lang::Zh | Lang::Hant => format!("{zh}（{key}）"),
            Lang::En => format!("{en} ({key})"),
        }
    }
}

/// One thing wrong with an entry (or a category node).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemProblem {
    /// The entry is not a JSON object.
    NotAnObject,
    /// A required field is missing or blank.
    Missing(Field),
    /// A field has the wrong JSON type, or, with [`Expected::EntryId`],
    /// is an index number that breaks [`super::check_entry_id`] (the entry
    /// is then listed without it, so the list shows nothing hidden or
    /// overlong).
    // size: an index number said as what it should be, in the words and
    // the code of a wrong type, costs the widget's download least.
    WrongType(Field, Expected),
    /// A date field is not a calendar date.
    BadDate(Field, String),
    /// A `level`, `validity` or `disclosure` value outside its list.
    BadValue(Field, String),
    /// `category` names no node of the tree.
    UnknownCategory(String),
    /// The index number (or category id) was already used.
    DuplicateId {
        /// Where it was first used.
        first: SkippedPlace,
    },
    /// A link that is neither http(s) nor relative.
    UnsafeLink(Field, String),
    /// A member given twice (JSON readers disagree on which one counts).
    Repeated(String),
}

impl ItemProblem {
    /// The problem in words, naming the field and the bad value.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (ItemProblem::NotAnObject, Lang::Zh | Lang::Hant) => "不是一个对象 {...}".into(),
            (ItemProblem::NotAnObject, Lang::En) => "is not an object {...}".into(),
            (ItemProblem::Missing(f), Lang::Zh | Lang::Hant) => format!("缺少{}", f.describe(lang)),
            (ItemProblem::Missing(f), Lang::En) => format!("{} is missing", f.describe(lang)),
            (ItemProblem::WrongType(f, e), Lang::Zh | Lang::Hant) => {
                format!("{}应为{}", f.describe(lang), e.words(lang))
            }
            (ItemProblem::WrongType(f, e), Lang::En) => {
                format!("{} must be {}", f.describe(lang), e.words(lang))
            }
            (ItemProblem::BadDate(f, v), Lang::Zh | Lang::Hant) => {
                format!("{}“{v}”不是有效日期，应写成 2016-03-05", f.describe(lang))
            }
            (ItemProblem::BadDate(f, v), Lang::En) => {
                format!(
                    "{} \"{v}\" is not a valid date; write it as 2016-03-05",
                    f.describe(lang)
                )
            }
            (ItemProblem::BadValue(f, v), Lang::Zh | Lang::Hant) => {
                format!("{}“{v}”不在可选值之内", f.describe(lang))
            }
            (ItemProblem::BadValue(f, v), Lang::En) => format!(
                "{} \"{v}\" is not one of the allowed values",
                f.describe(lang)
            ),
            (ItemProblem::UnknownCategory(v), Lang::Zh | Lang::Hant) => {
                format!("目录分类“{v}”不存在")
            }
            (ItemProblem::UnknownCategory(v), Lang::En) => {
                format!("category \"{v}\" does not exist")
            }
            (ItemProblem::DuplicateId { first }, Lang::Zh | Lang::Hant) => {
                format!("编号与{}重复", first.describe(lang))
            }
            (ItemProblem::DuplicateId { first }, Lang::En) => {
                format!("id already used by {}", first.describe(lang))
            }
            (ItemProblem::UnsafeLink(f, v), Lang::Zh | Lang::Hant) => {
                format!("{}“{v}”不是 http(s) 或相对地址", f.describe(lang))
            }
            (ItemProblem::UnsafeLink(f, v), Lang::En) => {
                format!(
                    "{} \"{v}\" is not an http(s) or relative URL",
                    f.describe(lang)
                )
            }
            (ItemProblem::Repeated(key), Lang::Zh | Lang::Hant) => {
                format!("字段 {key} 出现了不止一次")
            }
            (ItemProblem::Repeated(key), Lang::En) => {
                format!("member {key} is given more than once")
            }
        }
    }
}

/// Where a skipped piece sat in the file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SkippedPlace {
    /// An entry: its position in `items`, from 1.
    Item(usize),
    /// A category node: its path, e.g. `categories[2].children[0]`.
    Category(String),
}

impl SkippedPlace {
    /// The place in words, e.g. `第 3 条` or `entry 3`.
    pub fn describe(&self, lang: Lang) -> String {
        match (self, lang) {
            (SkippedPlace::Item(n), Lang::Zh | Lang::Hant) => format!("第 {n} 条"),
            (SkippedPlace::Item(n), Lang::En) => format!("entry {n}"),
            (SkippedPlace::Category(path), Lang::Zh | Lang::Hant) => format!("分类 {path}"),
            (SkippedPlace::Category(path), Lang::En) => format!("category {path}"),
        }
    }
}

/// A piece of the file left out, with every problem found in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// Where it was.
    pub place: SkippedPlace,
    /// Its index number (or category id), when it had a readable one.
    pub id: Option<String>,
    /// What is wrong, at least one thing.
    pub problems: Vec<ItemProblem>,
}

impl Skipped {
    /// One line for staff: where, which, and what is wrong.
    pub fn message(&self, lang: Lang) -> String {
        let place = self.place.describe(lang);
        let id = match (&self.id, lang) {
            (Some(id), Lang::Zh | Lang::Hant) => format!("（索引号 {id}）"),
            (Some(id), Lang::En) => format!(" (id {id})"),
            (None, _) => String::new(),
        };
        let problems: Vec<String> = self.problems.iter().map(|p| p.message(lang)).collect();
        let separator = lang.pick("；", "; ");
        let colon = lang.pick("：", ": ");
        let mut place = place;
        if let Some(first) = place.get_mut(0..1) {
            first.make_ascii_uppercase();
        }
        format!("{place}{id}{colon}{}", problems.join(separator))
    }
}

impl fmt::Display for Skipped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::Zh))
    }
}
