//! What staff read: times in Beijing time (`xxgk_core::date`), and the
//! CSV export.

use crate::store::{Record, Unreadable};
use xxgk_core::date::beijing_time;
use xxgk_core::submission::Submission;

/// Every record as CSV (RFC 4180, a header row, UTF-8 with a byte-order
/// mark so that spreadsheet programs read the Chinese right). A cell that
/// a spreadsheet would take for a formula is prefixed with `'`. Suspected
/// submissions are marked; one that no longer reads has its stored text
/// in the last column, as it is, and the public columns filled.
pub fn csv(records: &[Record]) -> String {
    let mut out = String::from("\u{FEFF}");
    let header = [
        "查询码",
        "类型",
        "状态",
        "收到时间",
        "答复时间",
        "标题",
        "内容",
        "姓名",
        "电话",
        "邮箱",
        "地址",
        "申请人类别",
        "单位名称",
        "统一社会信用代码",
        "法定代表人或主要负责人",
        "证件类型",
        "证件号码",
        "所需信息",
        "文号或标题",
        "载体形式",
        "获取方式",
        "同意公开",
        "相关信息",
        "答复或理由",
        "疑似垃圾",
        "无法解读的原始记录",
    ];
    line(&mut out, header.iter().map(|h| cell(h)));
    for r in records {
        let p = &r.public;
        let (s, raw) = match &r.submission {
            Ok(s) => (s.clone(), String::new()),
            Err(Unreadable { data }) => (unread(r), data.clone()),
        };
        let s = &s;
        let request = s.request.as_ref();
        line(
            &mut out,
            [
                cell(&p.code),
                cell(s.kind.label()),
                cell(p.status.label()),
                cell(&beijing_time(p.received_at)),
                cell(&p.answered_at.map(beijing_time).unwrap_or_default()),
                cell(&s.subject),
                cell(&s.body),
                cell(&s.name),
                number(&s.phone),
                cell(&s.email),
                cell(&s.address),
                cell(request.map_or("", |r| r.applicant.label())),
                cell(request.map_or("", |r| &r.organisation)),
                cell(request.map_or("", |r| &r.credit_code)),
                cell(request.map_or("", |r| &r.representative)),
                cell(request.and_then(|r| r.id_type).map_or("", |t| t.label())),
                number(request.map_or("", |r| &r.id_number)),
                cell(request.map_or("", |r| &r.description)),
                cell(request.map_or("", |r| &r.document)),
                cell(request.and_then(|r| r.format).map_or("", |f| f.label())),
                cell(request.and_then(|r| r.delivery).map_or("", |d| d.label())),
                cell(if s.consent_to_publish { "是" } else { "否" }),
                cell(&s.related_item),
                cell(p.answer.as_deref().unwrap_or_default()),
                cell(if r.suspected { "是" } else { "否" }),
                cell(&raw),
            ],
        );
    }
    out
}

/// What is known of a record that no longer reads: its public columns.
fn unread(r: &Record) -> Submission {
    Submission {
        kind: r.public.kind,
        subject: r.public.subject.clone(),
        body: String::new(),
        name: String::new(),
        phone: String::new(),
        email: String::new(),
        address: String::new(),
        request: None,
        consent_to_publish: false,
        related_item: String::new(),
        client_key: String::new(),
    }
}

/// Appends one CSV line of ready cells, ended by CRLF.
pub(crate) fn line(out: &mut String, cells: impl IntoIterator<Item = String>) {
    let cells: Vec<String> = cells.into_iter().collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

/// A number kept as text: a spreadsheet would turn the digits of an
/// identity number into 3.42523E+17 and drop a telephone number's leading
/// 0, so a cell of digits alone is written as the text formula `="…"`.
fn number(text: &str) -> String {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        format!("\"=\"\"{text}\"\"\"")
    } else {
        cell(text)
    }
}

/// A CSV cell: quoted when it needs to be, and prefixed with `'` when a
/// spreadsheet would take it for a formula.
pub(crate) fn cell(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("路灯"), "路灯");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("说\"好\""), "\"说\"\"好\"\"\"");
        assert_eq!(cell("第一行\n第二行"), "\"第一行\n第二行\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+86 139"), "'+86 139");
    }

    #[test]
    fn numbers_stay_text_in_a_spreadsheet() {
        assert_eq!(
            number("342523198001011237"),
            "\"=\"\"342523198001011237\"\"\""
        );
        assert_eq!(number("05636012345"), "\"=\"\"05636012345\"\"\"");
        assert_eq!(number("34252319800101123X"), "34252319800101123X");
        assert_eq!(number("0563-6012345"), "0563-6012345");
        assert_eq!(number(""), "");
        // Anything else gets the usual defusing.
        assert_eq!(number("=1+1"), "'=1+1");
    }
}
