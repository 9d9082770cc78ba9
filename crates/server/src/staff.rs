//! What staff read: times in Beijing time, and the CSV export.

use crate::store::Record;

/// Seconds since 1970 as `YYYY-MM-DD HH:MM` in Beijing time (UTC+8).
pub fn time(seconds: i64) -> String {
    let local = seconds + 8 * 3600;
    let (days, rest) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    // Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60
    )
}

/// Every record as CSV (RFC 4180, a header row, UTF-8 with a byte-order
/// mark so that spreadsheet programs read the Chinese right). A cell that
/// a spreadsheet would take for a formula is prefixed with `'`.
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
        "证件类型",
        "证件号码",
        "所需信息",
        "文号或标题",
        "载体形式",
        "获取方式",
        "同意公开",
        "相关信息",
        "答复或理由",
    ];
    line(&mut out, header.iter().map(|h| h.to_string()));
    for r in records {
        let (p, s) = (&r.public, &r.submission);
        let request = s.request.as_ref();
        line(
            &mut out,
            [
                p.code.clone(),
                s.kind.label().into(),
                p.status.label().into(),
                time(p.received_at),
                p.answered_at.map(time).unwrap_or_default(),
                s.subject.clone(),
                s.body.clone(),
                s.name.clone(),
                s.phone.clone(),
                s.email.clone(),
                s.address.clone(),
                request
                    .and_then(|r| r.id_type)
                    .map(|t| t.label().into())
                    .unwrap_or_default(),
                request.map(|r| r.id_number.clone()).unwrap_or_default(),
                request.map(|r| r.description.clone()).unwrap_or_default(),
                request.map(|r| r.document.clone()).unwrap_or_default(),
                request
                    .and_then(|r| r.format)
                    .map(|f| f.code().into())
                    .unwrap_or_default(),
                request
                    .and_then(|r| r.delivery)
                    .map(|d| d.code().into())
                    .unwrap_or_default(),
                if s.consent_to_publish { "是" } else { "否" }.into(),
                s.related_item.clone(),
                p.answer.clone().unwrap_or_default(),
            ],
        );
    }
    out
}

fn line(out: &mut String, cells: impl IntoIterator<Item = String>) {
    let cells: Vec<String> = cells.into_iter().map(|c| cell(&c)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

fn cell(text: &str) -> String {
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
    fn times_are_beijing_time() {
        assert_eq!(time(0), "1970-01-01 08:00");
        assert_eq!(time(1_488_326_400), "2017-03-01 08:00");
        assert_eq!(time(951_782_400 - 8 * 3600), "2000-02-29 00:00");
        assert_eq!(time(1_798_761_600 - 8 * 3600 - 60), "2026-12-31 23:59");
    }

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        assert_eq!(cell("路灯"), "路灯");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("说\"好\""), "\"说\"\"好\"\"\"");
        assert_eq!(cell("第一行\n第二行"), "\"第一行\n第二行\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("+86 139"), "'+86 139");
    }
}
