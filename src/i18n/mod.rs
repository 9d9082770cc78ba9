//! The widget's own words in each language: one table each for 简体
//! (`ZH`), 繁體 (`HANT`, Taiwan usage, as the feedback panels' tables) and
//! English (`EN`); a missing text does not compile, and
//! `tests/words.test.mjs` checks each table's script. Messages about
//! catalogue data are the staff's, in simplified Chinese or English, said
//! by the search engine's module (`xxgk.explain`). A text with a number in
//! it is kept as the words before and after the number.

use xxgk_core::{Date, Lang};

/// Every fixed text of the interface.
pub struct Strings {
    pub heading: &'static str,
    pub loading: &'static str,
    pub updated: &'static str,
    pub all_categories: &'static str,
    pub categories: &'static str,
    pub category: &'static str,
    pub filters: &'static str,
    pub filters_active: Around,
    pub year: &'static str,
    pub any_year: &'static str,
    pub publisher: &'static str,
    pub any: &'static str,
    pub scope: &'static str,
    pub any_scope: &'static str,
    pub validity: &'static str,
    pub genre: &'static str,
    pub order: &'static str,
    pub newest_first: &'static str,
    pub clear_filters: &'static str,
    pub total: Around,
    pub page_of: (&'static str, &'static str, &'static str),
    pub previous: &'static str,
    pub next: &'static str,
    pub pages: &'static str,
    pub nothing_found: &'static str,
    pub nothing_found_hint: &'static str,
    pub back_to_list: &'static str,
    pub metadata: &'static str,
    pub index_number: &'static str,
    pub doc_number: &'static str,
    pub written: &'static str,
    pub published: &'static str,
    pub topic: &'static str,
    pub disclosure: &'static str,
    pub level: &'static str,
    pub keywords: &'static str,
    pub summary: &'static str,
    pub body: &'static str,
    pub attachments: &'static str,
    pub original: &'static str,
    pub new_window: &'static str,
    pub not_found: &'static str,
    pub retry: &'static str,
    pub load_failed: &'static str,
    pub skipped: Around,
    pub list_label: &'static str,
    pub search: &'static str,
    pub search_hint: &'static str,
    pub found: Around,
    pub searching: &'static str,
    pub search_starting: &'static str,
    pub search_failed: &'static str,
    /// Part of a published catalogue could not be fetched (read by the
    /// bundle's module only).
    #[cfg_attr(not(feature = "bundle"), allow(dead_code))]
    pub part_failed: &'static str,
    pub no_hits: &'static str,
    pub remove_filters: &'static str,
    pub clear_search: &'static str,
    /// An attachment's type and size: `（PDF，1.2 MB）`.
    pub file_about: (&'static str, &'static str, &'static str),
    /// An attachment a phone's browser may not open itself.
    pub needs_app: &'static str,
    /// Between thousands in a number (`12,345`), if anything.
    pub thousands: &'static str,
    /// The catalogue file cannot be reached: before and after its address.
    pub unreachable: Around,
    /// The catalogue file is not there (404).
    pub missing_file: Around,
    /// The server failed sending it: address, then HTTP status.
    pub server_failed: (&'static str, &'static str, &'static str),
}

const ZH: Strings = Strings {
    heading: "政府信息公开目录",
    loading: "正在加载公开目录……",
    updated: "更新于",
    all_categories: "全部信息",
    categories: "目录分类",
    category: "分类",
    filters: "筛选",
    filters_active: ("已选 ", " 项"),
    year: "年份",
    any_year: "全部年份",
    publisher: "发布机构",
    any: "全部",
    scope: "乡镇/村",
    any_scope: "乡镇和村",
    validity: "有效性",
    genre: "体裁",
    order: "排序",
    newest_first: "最新发布在前",
    clear_filters: "清除筛选",
    total: ("共 ", " 条"),
    page_of: ("第 ", " 页，共 ", " 页"),
    previous: "上一页",
    next: "下一页",
    pages: "分页",
    nothing_found: "没有符合条件的信息。",
    nothing_found_hint: "可以减少筛选条件，或查看全部信息。",
    back_to_list: "返回列表",
    metadata: "信息要素",
    index_number: "索引号",
    doc_number: "文号",
    written: "成文日期",
    published: "发布日期",
    topic: "主题分类",
    disclosure: "公开方式",
    level: "层级",
    keywords: "主题词",
    summary: "内容概述",
    body: "正文",
    attachments: "附件",
    original: "查看原文",
    new_window: "（在新窗口打开）",
    not_found: "未找到这条信息，它可能已被撤下或链接有误。",
    retry: "重新加载",
    load_failed: "公开目录暂时无法显示。",
    skipped: ("有 ", " 条信息因数据有误未能显示（点击查看详情）"),
    list_label: "信息列表",
    search: "搜索",
    search_hint: "标题、文号或正文中的字词",
    found: ("找到 ", " 条"),
    searching: "正在搜索……",
    search_starting: "正在准备搜索……",
    search_failed: "搜索暂时不可用，请稍后再试。",
    part_failed: "这部分内容未能加载，请检查网络后重试。",
    no_hits: "没有找到相关信息。",
    remove_filters: "去掉筛选条件再搜索",
    clear_search: "清除搜索",
    file_about: ("（", "，", "）"),
    needs_app: "手机上可能需要另装软件才能打开",
    thousands: "",
    unreachable: (
        "无法连接到目录文件 ",
        "。请检查网络后重试；如果一直如此，请告知网站管理员。",
    ),
    missing_file: (
        "找不到目录文件 ",
        "（404）。请网站管理员检查 data-catalogue 地址。",
    ),
    server_failed: ("读取目录文件 ", " 时服务器出错（HTTP ", "）。请稍后重试。"),
};

const HANT: Strings = Strings {
    heading: "政府資訊公開目錄",
    loading: "正在載入公開目錄……",
    updated: "更新於",
    all_categories: "全部資訊",
    categories: "目錄分類",
    category: "分類",
    filters: "篩選",
    filters_active: ("已選 ", " 項"),
    year: "年份",
    any_year: "全部年份",
    publisher: "發布機構",
    any: "全部",
    scope: "鄉鎮/村",
    any_scope: "鄉鎮和村",
    validity: "有效性",
    genre: "體裁",
    order: "排序",
    newest_first: "最新發布在前",
    clear_filters: "清除篩選",
    total: ("共 ", " 筆"),
    page_of: ("第 ", " 頁，共 ", " 頁"),
    previous: "上一頁",
    next: "下一頁",
    pages: "分頁",
    nothing_found: "沒有符合條件的資訊。",
    nothing_found_hint: "可以減少篩選條件，或查看全部資訊。",
    back_to_list: "返回列表",
    metadata: "資訊要素",
    index_number: "索引號",
    doc_number: "文號",
    written: "成文日期",
    published: "發布日期",
    topic: "主題分類",
    disclosure: "公開方式",
    level: "層級",
    keywords: "主題詞",
    summary: "內容摘要",
    body: "全文",
    attachments: "附件",
    original: "查看原文",
    new_window: "（在新視窗開啟）",
    not_found: "找不到這筆資訊，它可能已被撤下，或連結有誤。",
    retry: "重新載入",
    load_failed: "公開目錄暫時無法顯示。",
    skipped: ("有 ", " 筆資訊因資料有誤未能顯示（點選查看詳情）"),
    list_label: "資訊列表",
    search: "搜尋",
    search_hint: "標題、文號或全文中的字詞",
    found: ("找到 ", " 筆"),
    searching: "正在搜尋……",
    search_starting: "正在準備搜尋……",
    search_failed: "搜尋暫時無法使用，請稍後再試。",
    part_failed: "這部分內容未能載入，請檢查網路連線後重試。",
    no_hits: "找不到相關資訊。",
    remove_filters: "取消篩選條件再搜尋",
    clear_search: "清除搜尋",
    file_about: ("（", "，", "）"),
    needs_app: "手機上可能需要另外安裝軟體才能開啟",
    thousands: "",
    unreachable: (
        "無法連線到目錄檔案 ",
        "。請檢查網路後重試；如果一直如此，請告知網站管理員。",
    ),
    missing_file: (
        "找不到目錄檔案 ",
        "（404）。請網站管理員檢查 data-catalogue 網址。",
    ),
    server_failed: ("讀取目錄檔案 ", " 時伺服器出錯（HTTP ", "）。請稍後重試。"),
};

const EN: Strings = Strings {
    heading: "Government Information Disclosure",
    loading: "Loading the catalogue…",
    updated: "Updated",
    all_categories: "All entries",
    categories: "Categories",
    category: "Category",
    filters: "Filters",
    filters_active: ("", " set"),
    year: "Year",
    any_year: "All years",
    publisher: "Publisher",
    any: "All",
    scope: "Township/village",
    any_scope: "Township and villages",
    validity: "Validity",
    genre: "Genre",
    order: "Order",
    newest_first: "Newest first",
    clear_filters: "Clear filters",
    total: ("Entries: ", ""),
    page_of: ("Page ", " of ", ""),
    previous: "Previous",
    next: "Next",
    pages: "Pages",
    nothing_found: "No entries match.",
    nothing_found_hint: "Remove a filter, or show all entries.",
    back_to_list: "Back to the list",
    metadata: "Metadata",
    index_number: "Index number",
    doc_number: "Document number",
    written: "Date written",
    published: "Date published",
    topic: "Topic",
    disclosure: "Disclosure",
    level: "Level",
    keywords: "Keywords",
    summary: "Summary",
    body: "Full text",
    attachments: "Attachments",
    original: "View the original",
    new_window: " (opens in a new window)",
    not_found: "This entry was not found. It may have been withdrawn, or the link is wrong.",
    retry: "Try again",
    load_failed: "The catalogue cannot be shown right now.",
    skipped: (
        "Entries not shown because of errors in the data: ",
        " (details)",
    ),
    list_label: "Entries",
    search: "Search",
    search_hint: "Words from a title, number or text",
    found: ("", " found"),
    searching: "Searching…",
    search_starting: "Preparing search…",
    search_failed: "Search is not available right now. Please try again later.",
    part_failed:
        "This part of the catalogue could not be loaded. Check your connection and try again.",
    no_hits: "Nothing found.",
    remove_filters: "Search without the filters",
    clear_search: "Clear the search",
    file_about: (" (", ", ", ")"),
    needs_app: "a phone may need an app to open it",
    thousands: ",",
    unreachable: (
        "Cannot reach the catalogue file ",
        ". Check your connection and try again; if it persists, tell the site's webmaster.",
    ),
    missing_file: (
        "The catalogue file ",
        " was not found (404). The webmaster should check data-catalogue.",
    ),
    server_failed: (
        "The server failed while sending ",
        " (HTTP ",
        "). Try again later.",
    ),
};

/// The texts of a language.
/// Each is read once, when first needed.
pub fn strings(lang: Lang) -> &'static Strings {
    match lang {
        Lang::Zh => &ZH,
        Lang::Hant => &HANT,
        Lang::En => &EN,
    }
}

/// The words before and after a number, e.g. `("共 ", " 条")`.
pub type Around = (&'static str, &'static str);

impl Strings {
    /// A number as the language writes it: `12345`, `12,345`.
    pub fn number(&self, n: usize) -> String {
        let digits = n.to_string();
        if self.thousands.is_empty() {
            return digits;
        }
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(self.thousands);
            }
            out.push(c);
        }
        out
    }

    /// A number with its words around it: `共 12 条`, `12,345 entries`.
    pub fn count(&self, around: Around, n: usize) -> String {
        format!("{}{}{}", around.0, self.number(n), around.1)
    }
}

/// A date as the language writes it: `2016-03-05` in Chinese (as
/// catalogues and documents number them), `5 Mar 2016` in English.
pub fn date(lang: Lang, date: Date) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match lang {
        Lang::En => format!(
            "{} {} {}",
            date.day(),
            MONTHS[usize::from(date.month()).saturating_sub(1) % 12],
            date.year()
        ),
        _ => date.to_string(),
    }
}
