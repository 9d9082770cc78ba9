//! The server against its contract, docs/feedback-api.openapi.json: every
//! response the server gives here is documented for its path, method and
//! status, its body fits the documented schema, and every documented
//! response is given at least once.

mod common;

use axum::body::Body;
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{header, Method, Request};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::time::Duration;
use tower::ServiceExt;
use xxgk_server::api::{router, Settings, BODY_LIMIT};
use xxgk_server::limit::Rate;
use xxgk_server::store::Store;

fn spec() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/feedback-api.openapi.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Whether `value` fits `schema` (the subset of JSON Schema the contract
/// uses: type, enum, required, properties, additionalProperties, items,
/// $ref, anyOf); the reasons it does not.
fn fits(spec: &Value, schema: &Value, value: &Value, at: &str, problems: &mut Vec<String>) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return fits(
            spec,
            &spec["components"]["schemas"][name],
            value,
            at,
            problems,
        );
    }
    if let Some(branches) = schema["anyOf"].as_array() {
        let fitting = branches.iter().any(|branch| {
            let mut mine = Vec::new();
            fits(spec, branch, value, at, &mut mine);
            mine.is_empty()
        });
        if !fitting {
            problems.push(format!("{at}: {value} fits none of anyOf"));
        }
        return;
    }
    if let Some(options) = schema["enum"].as_array() {
        if !options.contains(value) {
            problems.push(format!("{at}: {value} is not one of {options:?}"));
        }
    }
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    let type_of = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let allowed = types.is_empty()
        || types.contains(&type_of)
        || (type_of == "integer" && types.contains(&"number"));
    if !allowed {
        problems.push(format!("{at}: a {type_of}, not {types:?}"));
        return;
    }
    if let Value::Object(members) = value {
        for name in schema["required"].as_array().into_iter().flatten() {
            if !members.contains_key(name.as_str().unwrap_or_default()) {
                problems.push(format!("{at}: {name} is missing"));
            }
        }
        for (name, member) in members {
            let at = format!("{at}.{name}");
            match (&schema["properties"][name], &schema["additionalProperties"]) {
                (Value::Null, Value::Bool(false)) => {
                    problems.push(format!("{at}: not in the contract"))
                }
                (Value::Null, Value::Object(_)) => {
                    fits(spec, &schema["additionalProperties"], member, &at, problems)
                }
                (Value::Null, _) => {}
                (property, _) => fits(spec, property, member, &at, problems),
            }
        }
    }
    if let Value::Array(items) = value {
        for (n, item) in items.iter().enumerate() {
            fits(
                spec,
                &schema["items"],
                item,
                &format!("{at}[{n}]"),
                problems,
            );
        }
    }
}

struct Checked {
    spec: Value,
    app: Router,
    seen: BTreeSet<(String, String, String)>,
}

impl Checked {
    /// Sends a request and checks the response against the contract;
    /// `template` is the documented path.
    async fn send(
        &mut self,
        method: Method,
        path: &str,
        template: &str,
        body: impl Into<Body>,
    ) -> Value {
        self.send_with(
            method,
            path,
            template,
            body,
            &[(header::CONTENT_TYPE, "application/json")],
        )
        .await
    }

    /// [`Checked::send`] with these headers.
    async fn send_with(
        &mut self,
        method: Method,
        path: &str,
        template: &str,
        body: impl Into<Body>,
        headers: &[(header::HeaderName, &str)],
    ) -> Value {
        let mut request = Request::builder().method(method.clone()).uri(path);
        for (name, value) in headers {
            request = request.header(name, *value);
        }
        let request = request.body(body.into()).unwrap();
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status().as_u16().to_string();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let method = method.as_str().to_lowercase();
        let documented = &self.spec["paths"][template][&method]["responses"][&status];
        assert!(
            !documented.is_null(),
            "{method} {template} answered {status}, which is not in the contract"
        );
        let schema = &documented["content"]["application/json"]["schema"];
        let value: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        if !schema.is_null() {
            let mut problems = Vec::new();
            fits(&self.spec, schema, &value, "body", &mut problems);
            assert!(
                problems.is_empty(),
                "{method} {template} {status}: {problems:?}\n{value}"
            );
        }
        self.seen.insert((template.to_owned(), method, status));
        value
    }
}

fn complaint(key: &str) -> Value {
    json!({
        "kind": "complaint",
        "subject": "村道路灯损坏无人修",
        "body": "东亭村村口到小学的路灯坏了三个月，晚上孩子放学很危险。",
        "name": "张三",
        "phone": "13912345678",
        "consent_to_publish": true,
        "client_key": key,
        "leave_blank": "",
    })
}

#[tokio::test]
async fn the_server_keeps_to_its_contract() {
    let dir = std::env::temp_dir().join(format!("xxgk-openapi-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = common::store(&dir);
    let settings = Settings {
        submissions: Rate {
            burst: 6,
            every: Duration::from_secs(600),
        },
        reads: Rate {
            burst: 5,
            every: Duration::from_secs(600),
        },
        ..Settings::default()
    };
    let mut c = Checked {
        spec: spec(),
        app: router(Store::open(&db).unwrap(), settings)
            .unwrap()
            .layer(MockConnectInfo(SocketAddr::from(([10, 0, 0, 8], 1)))),
        seen: BTreeSet::new(),
    };
    let feedback = "/api/feedback";
    let receipt = c
        .send(
            Method::POST,
            feedback,
            feedback,
            complaint("key-contract1").to_string(),
        )
        .await;
    let code = receipt["code"].as_str().unwrap().to_owned();
    c.send(
        Method::POST,
        feedback,
        feedback,
        complaint("key-contract1").to_string(),
    )
    .await;
    // The same key with other content.
    let mut changed = complaint("key-contract1");
    changed.as_object_mut().unwrap()["subject"] = "村道路灯坏了三个月".into();
    let conflict = c
        .send(Method::POST, feedback, feedback, changed.to_string())
        .await;
    // Nothing stored, and the earlier code is not handed to whoever reused
    // the key.
    let words = conflict["error"].as_str().unwrap();
    assert!(
        words.contains("没有保存") && !words.contains(&code),
        "{words}"
    );
    c.send(Method::POST, feedback, feedback, "not json").await;
    c.send(Method::POST, feedback, feedback, r#"{"kind":"complaint"}"#)
        .await;
    c.send(Method::POST, feedback, feedback, vec![b' '; BODY_LIMIT + 1])
        .await;
    c.send_with(
        Method::POST,
        feedback,
        feedback,
        complaint("key-contract3").to_string(),
        &[(header::CONTENT_TYPE, "text/plain")],
    )
    .await;
    c.send_with(
        Method::POST,
        feedback,
        feedback,
        complaint("key-contract4").to_string(),
        &[
            (header::CONTENT_TYPE, "application/json"),
            (header::ORIGIN, "https://evil.example"),
        ],
    )
    .await;
    // While another process holds the database for longer than a
    // submission waits, it cannot be stored.
    {
        let holder = common::WriteLock::take(&db);
        let answer = c
            .send(
                Method::POST,
                feedback,
                feedback,
                complaint("key-contract5").to_string(),
            )
            .await;
        assert!(answer["error"].as_str().unwrap().contains("仍在页面上"));
        drop(holder);
    }
    // The allowance of 6 (413, 415 and 403 cost none) is spent: the next is
    // refused.
    c.send(
        Method::POST,
        feedback,
        feedback,
        complaint("key-contract2").to_string(),
    )
    .await;

    let one = "/api/feedback/{code}";
    c.send(Method::GET, &format!("/api/feedback/{code}"), one, "")
        .await;
    c.send(Method::GET, "/api/feedback/ZZZZZZZZZZZZ", one, "")
        .await;
    {
        let mut store = Store::open(&db).unwrap();
        store
            .reply(&code, "已修复。", "测试", 1_500_000_000)
            .unwrap();
        store
            .publish(&code, "路灯", "已修复。", "测试", 1_500_000_000)
            .unwrap();
    }
    let replied = c
        .send(Method::GET, &format!("/api/feedback/{code}"), one, "")
        .await;
    assert_eq!(replied["progress"]["status"], "replied");
    let list = c
        .send(Method::GET, "/api/replies", "/api/replies", "")
        .await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    // A site that does not exist.
    c.send(Method::GET, "/api/replies?site=nowhere", "/api/replies", "")
        .await;
    // The reading allowance of 5 is spent.
    c.send(Method::GET, "/api/replies", "/api/replies", "")
        .await;
    c.send(Method::GET, "/api/feedback/ZZZZZZZZZZZZ", one, "")
        .await;
    c.send(Method::GET, "/api/replies", "/api/replies", "")
        .await;

    let mut documented = BTreeSet::new();
    for (path, methods) in c.spec["paths"].as_object().unwrap() {
        for (method, operation) in methods.as_object().unwrap() {
            for status in operation["responses"].as_object().unwrap().keys() {
                documented.insert((path.clone(), method.clone(), status.clone()));
            }
        }
    }
    assert_eq!(
        c.seen, documented,
        "every documented response, and only those, is given"
    );
}

/// A disclosure request's lookup, before confirmation, while its clock
/// runs and once decided, and a message's, as the contract says.
#[tokio::test]
async fn a_request_s_lookup_shows_its_clock_as_the_contract_says() {
    use xxgk_core::calendar::Calendar;
    use xxgk_core::case::{Action, Event};
    use xxgk_core::outcome::Outcome;
    use xxgk_core::submission::{read, Incoming};
    use xxgk_core::Date;
    let dir = std::env::temp_dir().join(format!("xxgk-openapi-clock-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = common::store(&dir);
    let request = json!({
        "kind": "disclosure_request",
        "subject": "申请公开村道硬化工程预算",
        "body": "请公开2024年村道硬化工程的预算。",
        "name": "张三",
        "phone": "13912345678",
        "request": {
            "id_type": "resident_card",
            "id_number": "11010519491231002X",
            "description": "2024年村道硬化工程的预算",
            "format": "electronic",
            "delivery": "email",
        },
        "email": "zhang@example.com",
        "consent_to_publish": false,
        "client_key": "key-clock0001",
        "leave_blank": "",
    });
    let submission = match read(&request.to_string()) {
        Ok(Incoming::Submission(submission)) => submission,
        other => panic!("the request reads: {other:?}"),
    };
    let mut store = Store::open(&db).unwrap();
    let code = store
        .submit(&submission, false, 1_727_300_000)
        .unwrap()
        .code()
        .to_owned();
    let mut c = Checked {
        spec: spec(),
        app: router(Store::open(&db).unwrap(), Settings::default())
            .unwrap()
            .layer(MockConnectInfo(SocketAddr::from(([10, 0, 0, 9], 1)))),
        seen: BTreeSet::new(),
    };
    let one = "/api/feedback/{code}";
    let path = format!("/api/feedback/{code}");
    let sent = c.send(Method::GET, &path, one, "").await;
    // Sent, not yet confirmed: the clock has not started.
    assert_eq!(
        sent["progress"],
        json!({"status": "unconfirmed", "label": "待确认"})
    );
    let calendar = Calendar::builtin();
    let on = |d: &str| Date::parse(d).unwrap();
    let confirm = Event {
        on: on("2024-09-27"),
        action: Action::Confirm,
    };
    store
        .act(&code, &confirm, "", "test", 1_727_400_000, &calendar)
        .unwrap();
    let running = c.send(Method::GET, &path, one, "").await;
    assert_eq!(
        running["progress"],
        json!({"status": "in-progress", "label": "办理中", "received": "2024-09-27", "due": "2024-10-30", "extended": false})
    );
    let decide = Event {
        on: on("2024-10-20"),
        action: Action::Decide(Outcome::from_code("refused-4").unwrap()),
    };
    store
        .act(
            &code,
            &decide,
            "涉及第三方商业秘密。",
            "test",
            1_729_400_000,
            &calendar,
        )
        .unwrap();
    let decided = c.send(Method::GET, &path, one, "").await;
    assert_eq!(decided["progress"]["status"], "decided");
    assert_eq!(decided["progress"]["decided"], "2024-10-20");
    assert_eq!(
        decided["progress"]["outcome_label"],
        "不予公开（保护第三方合法权益）"
    );
    assert!(decided["progress"].get("due").is_none());
    assert!(decided["answer"]
        .as_str()
        .unwrap()
        .contains("涉及第三方商业秘密"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The submission the contract documents is the one the core reads: every
/// field under its key and place, every choice with the core's codes.
#[test]
fn the_documented_submission_is_the_one_the_core_reads() {
    use xxgk_core::submission::{Applicant, Delivery, Field, Format, IdType, Kind};
    let spec = spec();
    let top = &spec["components"]["schemas"]["Submission"]["properties"];
    let request = &top["request"]["properties"];
    let mut missing = Vec::new();
    for field in Field::ALL {
        let on_request = field.on_form(Kind::DisclosureRequest) && !field.on_form(Kind::Help);
        let place = if on_request { request } else { top };
        if place.get(field.key()).is_none() {
            missing.push(field.key());
        }
    }
    assert_eq!(
        missing,
        Vec::<&str>::new(),
        "fields the contract does not document"
    );
    let documented = |schema: &Value| -> Vec<String> {
        schema["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    let codes = |codes: Vec<&str>| codes.into_iter().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        documented(&top["kind"]),
        codes(Kind::ALL.map(Kind::code).to_vec())
    );
    assert_eq!(
        documented(&request["applicant"]),
        codes(Applicant::ALL.map(Applicant::code).to_vec())
    );
    assert_eq!(
        documented(&request["id_type"]),
        codes(IdType::ALL.map(IdType::code).to_vec())
    );
    let formats = [Format::Paper, Format::Electronic];
    assert_eq!(
        documented(&request["format"]),
        codes(formats.map(Format::code).to_vec())
    );
    let deliveries = [Delivery::Post, Delivery::Email, Delivery::Collect];
    assert_eq!(
        documented(&request["delivery"]),
        codes(deliveries.map(Delivery::code).to_vec())
    );
}

/// Records, for each member of `value`, the schema that documents it and
/// the member's name (`YearFigures.by_kind` for an object inside one), as
/// [`fits`] walks them: which documented members a value has.
fn members_seen(
    spec: &Value,
    schema: &Value,
    name: &str,
    value: &Value,
    seen: &mut BTreeSet<(String, String)>,
) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return members_seen(
            spec,
            &spec["components"]["schemas"][name],
            name,
            value,
            seen,
        );
    }
    if let Some(branches) = schema["anyOf"].as_array() {
        let fitting = branches.iter().find(|branch| {
            let mut problems = Vec::new();
            fits(spec, branch, value, "", &mut problems);
            problems.is_empty()
        });
        if let Some(branch) = fitting {
            members_seen(spec, branch, name, value, seen);
        }
        return;
    }
    match value {
        Value::Object(members) => {
            for (member, inner) in members {
                seen.insert((name.to_owned(), member.clone()));
                let property = &schema["properties"][member];
                if property.is_object() {
                    let inner_name = if property["$ref"].is_string() {
                        String::new()
                    } else {
                        format!("{name}.{member}")
                    };
                    members_seen(spec, property, &inner_name, inner, seen);
                }
            }
        }
        Value::Array(items) => {
            for item in items {
                members_seen(spec, &schema["items"], name, item, seen);
            }
        }
        _ => {}
    }
}

/// Every member the contract documents for the schema `name` and the
/// objects inside it, as [`members_seen`] names them.
fn members_documented(schema: &Value, name: &str, documented: &mut BTreeSet<(String, String)>) {
    for (member, property) in schema["properties"].as_object().into_iter().flatten() {
        documented.insert((name.to_owned(), member.clone()));
        if property["properties"].is_object() {
            members_documented(property, &format!("{name}.{member}"), documented);
        }
    }
}

/// The contract's answers are the core's types (`xxgk_core::api`), member
/// for member: an example of every type and every status, written by the
/// core's writer, fits its schema (which refuses members it does not
/// document and requires the ones it does) and reads back as it was; and
/// every member the contract documents is written by some example. A
/// member added to a type but not to the contract, or to the contract
/// but not to a type, fails here.
#[test]
fn the_contract_s_answers_are_the_core_s_types_member_for_member() {
    use xxgk_core::api::{
        ErrorBody, FieldErrors, Figures, Lookup, MessageStatus, Progress, PublicReply, Receipt,
        Replies, RequestStatus, Statistics, YearFigures,
    };
    use xxgk_core::outcome::Outcome;
    use xxgk_core::submission::Kind;
    use xxgk_core::Date;
    let spec = spec();
    let day = |d: &str| Date::parse(d).unwrap();
    /// The name of each variant; no wildcard, so a new status must be
    /// given an example below.
    fn variant(progress: &Progress) -> &'static str {
        match progress {
            Progress::Message(MessageStatus::Received { .. }) => "message received",
            Progress::Message(MessageStatus::Replied) => "message replied",
            Progress::Message(MessageStatus::Rejected) => "message rejected",
            Progress::Request(RequestStatus::Unconfirmed) => "unconfirmed",
            Progress::Request(RequestStatus::InProgress { .. }) => "in progress",
            Progress::Request(RequestStatus::AwaitingClarification { .. }) => "clarification",
            Progress::Request(RequestStatus::Consulting { .. }) => "consulting",
            Progress::Request(RequestStatus::Decided { .. }) => "decided",
            Progress::Request(RequestStatus::Undated) => "undated",
            Progress::Request(RequestStatus::AnsweredBefore { .. }) => "answered before",
        }
    }
    let progresses = [
        Progress::Message(MessageStatus::Received {
            reply_by: Some(day("2024-10-23")),
        }),
        Progress::Message(MessageStatus::Received { reply_by: None }),
        Progress::Message(MessageStatus::Replied),
        Progress::Message(MessageStatus::Rejected),
        Progress::Request(RequestStatus::Unconfirmed),
        Progress::Request(RequestStatus::InProgress {
            received: day("2024-09-27"),
            due: day("2024-10-30"),
            extended: false,
        }),
        Progress::Request(RequestStatus::AwaitingClarification {
            received: day("2024-09-27"),
            clarify_by: day("2024-10-31"),
        }),
        Progress::Request(RequestStatus::Consulting {
            received: day("2024-09-27"),
            due: day("2024-11-27"),
            extended: true,
        }),
        Progress::Request(RequestStatus::Decided {
            received: day("2024-09-27"),
            decided: day("2024-10-20"),
            outcome: Outcome::from_code("refused-4").unwrap(),
        }),
        Progress::Request(RequestStatus::Undated),
        Progress::Request(RequestStatus::AnsweredBefore { rejected: false }),
        Progress::Request(RequestStatus::AnsweredBefore { rejected: true }),
    ];
    let names: BTreeSet<&str> = progresses.iter().map(variant).collect();
    assert_eq!(names.len(), 10, "an example of every status: {names:?}");
    let lookups = progresses.iter().map(|progress| {
        let kind = match progress {
            Progress::Message(_) => Kind::Complaint,
            Progress::Request(_) => Kind::DisclosureRequest,
        };
        Lookup {
            code: "ABCDEFGHJKMN".into(),
            kind,
            progress: *progress,
            answer: progress.answered().then(|| "已处理。".to_owned()),
            received_at: 1_727_400_000,
            answered_at: progress.answered().then_some(1_729_400_000),
        }
    });
    let figures = Figures {
        received: 12,
        answered: 10,
        on_time: 9,
        median_working_days: Some(4),
    };
    let replies = Replies {
        items: vec![PublicReply {
            kind: Kind::Help,
            subject: "村道路灯损坏无人修".into(),
            answer: "已修复。".into(),
            received_at: 1_727_400_000,
            answered_at: 1_729_400_000,
        }],
        stats: Statistics {
            reply_days: 15,
            years: vec![
                YearFigures {
                    year: 2024,
                    messages: figures,
                    requests: Figures::default(),
                    by_kind: [figures, Figures::default(), figures, figures],
                },
                YearFigures::empty(2023),
            ],
        },
    };
    let mut seen = BTreeSet::new();
    let mut check = |schema: &str, json: String, reads_back: bool| {
        let value: Value = serde_json::from_str(&json).unwrap();
        let schema_ref = json!({ "$ref": format!("#/components/schemas/{schema}") });
        let mut problems = Vec::new();
        fits(&spec, &schema_ref, &value, schema, &mut problems);
        assert!(problems.is_empty(), "{schema}: {problems:?}\n{json}");
        assert!(reads_back, "{schema} does not read back as written: {json}");
        members_seen(&spec, &schema_ref, schema, &value, &mut seen);
    };
    let receipt = Receipt {
        code: "ABCDEFGHJKMN".into(),
    };
    check(
        "Receipt",
        receipt.to_json(),
        Receipt::read(&receipt.to_json()) == Ok(receipt.clone()),
    );
    let error = ErrorBody {
        error: "没有这个查询码，请核对后再试。".into(),
    };
    check(
        "Error",
        error.to_json(),
        ErrorBody::read(&error.to_json()) == Ok(error.clone()),
    );
    let errors = FieldErrors {
        errors: vec![
            ("subject".into(), "请填写标题。".into()),
            ("attachment".into(), "不接受附件。".into()),
        ],
    };
    check(
        "FieldErrors",
        errors.to_json(),
        FieldErrors::read(&errors.to_json()) == Ok(errors.clone()),
    );
    for lookup in lookups {
        let json = lookup.to_json();
        check("Lookup", json.clone(), Lookup::read(&json) == Ok(lookup));
    }
    check(
        "Replies",
        replies.to_json(),
        Replies::read(&replies.to_json()) == Ok(replies.clone()),
    );

    let mut documented = BTreeSet::new();
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        // What the form sends: checked against the core's reader below.
        if name != "Submission" {
            members_documented(schema, name, &mut documented);
        }
    }
    let only_documented: Vec<_> = documented.difference(&seen).collect();
    assert!(
        only_documented.is_empty(),
        "documented, but no type writes them: {only_documented:?}"
    );
    // The outcomes the contract lists are the annual report's.
    let listed: Vec<&str> = spec["components"]["schemas"]["RequestDecided"]["properties"]
        ["outcome"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let all: Vec<String> = Outcome::all().map(|o| o.code()).collect();
    assert_eq!(listed, all);
}
