//! What an alert says: the webhook's JSON body, the mail's subject and
//! text. Only the lookup code, the kind, the office or village, the due
//! date and the times: never a name, a contact, a subject or a text the
//! citizen wrote, since webhooks often lead to chat groups.

use crate::store::{Alert, Queued};
use serde::Serialize;
use xxgk_core::date::beijing_time;
use xxgk_core::submission::Kind;
use xxgk_core::Date;

/// The JSON body POSTed to the webhook (docs/alerts.md).
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Body<'a> {
    /// `submitted`, `assigned` or `due_soon`.
    pub event: &'static str,
    /// The alert's number, also sent as `X-Xxgk-Delivery`: the same alert
    /// sent again has the same one.
    pub id: i64,
    /// The case's lookup code.
    pub code: &'a str,
    /// The case's kind code (`complaint`, `disclosure_request`…); null if
    /// the case is gone.
    pub kind: Option<&'static str>,
    /// The office or village a case was assigned to (`assigned` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<&'a str>,
    /// The reply's due date, `YYYY-MM-DD` (`due_soon` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<String>,
    /// When the alert was queued, in seconds since 1970.
    pub queued_at: i64,
    /// The case in the staff console, if `--console-url` was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// One line in Chinese saying all of the above, for chat bots that
    /// show a `text` field.
    pub text: String,
}

/// An alert put in words, for every channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// The mail's subject: `【信息公开】新留言（投诉） CODE`.
    pub subject: String,
    /// The mail's plain text.
    pub text: String,
    /// The webhook's body.
    pub json: Vec<u8>,
}

/// Where a case is seen in the staff console: `--console-url` with
/// `{code}` replaced by the lookup code.
pub fn link(console: &str, code: &str) -> String {
    console.replace("{code}", code)
}

impl Message {
    /// Puts `alert`, kept as `queued`, in words on `today`, with a link
    /// into the console at `console` if there is one.
    pub fn compose(queued: &Queued, alert: &Alert, console: Option<&str>, today: Date) -> Message {
        let code = alert.code();
        let kind = queued.kind.or(match alert {
            Alert::Submitted { kind, .. } => Some(*kind),
            _ => None,
        });
        let noun = kind.map_or("案件", Kind::noun);
        let link = console.map(|c| link(c, code));
        let (subject, summary) = match alert {
            Alert::Submitted { .. } if kind == Some(Kind::DisclosureRequest) => (
                format!("新申请 {code}"),
                format!("收到新的政府信息公开申请，查询码 {code}。"),
            ),
            Alert::Submitted { .. } => (
                format!("新留言（{noun}） {code}"),
                format!("收到新的{noun}，查询码 {code}。"),
            ),
            Alert::Assigned { unit, .. } => (
                format!("已转办 {code}"),
                format!("{noun} {code} 已转交{unit}办理。"),
            ),
            Alert::DueSoon { due, .. } if *due < today => (
                format!("已超过答复期限 {code}"),
                format!("{noun} {code} 的答复期限 {due} 已过，尚未答复。"),
            ),
            Alert::DueSoon { due, .. } => (
                format!("临近答复期限 {code}"),
                format!("{noun} {code} 的答复期限是 {due}，请及时办理。"),
            ),
        };
        let mut text = format!("{summary}\n\n查询码：{code}\n类型：{noun}\n");
        match alert {
            Alert::Assigned { unit, .. } => text.push_str(&format!("转交：{unit}\n")),
            Alert::DueSoon { due, .. } => text.push_str(&format!("答复期限：{due}\n")),
            Alert::Submitted { .. } => {}
        }
        text.push_str(&format!(
            "提醒时间：{}（北京时间）\n",
            beijing_time(queued.queued_at)
        ));
        if let Some(link) = &link {
            text.push_str(&format!("办理：{link}\n"));
        }
        text.push_str(
            "\n此邮件由 xxgk-server 自动发送，不含来信人的个人信息和来信内容，请登录后台查看。\n",
        );
        let body = Body {
            event: alert.event(),
            id: queued.id,
            code,
            kind: kind.map(Kind::code),
            unit: match alert {
                Alert::Assigned { unit, .. } => Some(unit),
                _ => None,
            },
            due: match alert {
                Alert::DueSoon { due, .. } => Some(due.to_string()),
                _ => None,
            },
            queued_at: queued.queued_at,
            link,
            text: summary,
        };
        Message {
            subject: format!("【信息公开】{subject}"),
            text,
            json: serde_json::to_vec(&body).expect("a body of strings and numbers"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::AlertState;

    fn queued(id: i64, alert: &Alert, kind: Kind) -> Queued {
        Queued {
            id,
            alert: Some(alert.clone()),
            kind: Some(kind),
            queued_at: 1_765_771_200,
            state: AlertState::Pending,
            webhook_at: None,
            email_at: None,
            attempts: 0,
            next_at: 0,
            last_error: String::new(),
        }
    }

    fn date(text: &str) -> Date {
        Date::parse(text).unwrap()
    }

    #[test]
    fn a_new_message_is_named_by_its_kind_and_code_with_a_link_to_the_console() {
        let alert = Alert::Submitted {
            code: "ABCDEFGHJKMN".into(),
            kind: Kind::Complaint,
        };
        let message = Message::compose(
            &queued(7, &alert, Kind::Complaint),
            &alert,
            Some("https://xxgk.example.gov.cn/console/#/case/{code}"),
            date("2025-12-15"),
        );
        assert_eq!(message.subject, "【信息公开】新留言（投诉） ABCDEFGHJKMN");
        assert!(message
            .text
            .starts_with("收到新的投诉，查询码 ABCDEFGHJKMN。"));
        assert!(message
            .text
            .contains("提醒时间：2025-12-15 12:00（北京时间）"));
        let json: serde_json::Value = serde_json::from_slice(&message.json).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "event": "submitted",
                "id": 7,
                "code": "ABCDEFGHJKMN",
                "kind": "complaint",
                "queued_at": 1_765_771_200,
                "link": "https://xxgk.example.gov.cn/console/#/case/ABCDEFGHJKMN",
                "text": "收到新的投诉，查询码 ABCDEFGHJKMN。",
            })
        );
    }

    #[test]
    fn an_assignment_names_the_unit_and_a_due_date_says_whether_it_is_past() {
        let assigned = Alert::Assigned {
            code: "ABCDEFGHJKMN".into(),
            unit: "东亭村".into(),
        };
        let message = Message::compose(
            &queued(8, &assigned, Kind::DisclosureRequest),
            &assigned,
            None,
            date("2025-12-15"),
        );
        assert_eq!(message.subject, "【信息公开】已转办 ABCDEFGHJKMN");
        assert!(message.text.contains("转交：东亭村"));
        assert!(!message.text.contains("办理："));
        let json: serde_json::Value = serde_json::from_slice(&message.json).unwrap();
        assert_eq!(json["unit"], "东亭村");
        assert_eq!(json["kind"], "disclosure_request");
        assert!(json.get("link").is_none() && json.get("due").is_none());

        let due = Alert::DueSoon {
            code: "ABCDEFGHJKMN".into(),
            due: date("2025-12-18"),
        };
        let soon = Message::compose(
            &queued(9, &due, Kind::DisclosureRequest),
            &due,
            None,
            date("2025-12-15"),
        );
        assert_eq!(soon.subject, "【信息公开】临近答复期限 ABCDEFGHJKMN");
        assert!(soon.text.contains("答复期限：2025-12-18"));
        let json: serde_json::Value = serde_json::from_slice(&soon.json).unwrap();
        assert_eq!(json["due"], "2025-12-18");
        let late = Message::compose(
            &queued(9, &due, Kind::DisclosureRequest),
            &due,
            None,
            date("2025-12-19"),
        );
        assert_eq!(late.subject, "【信息公开】已超过答复期限 ABCDEFGHJKMN");
    }
}
