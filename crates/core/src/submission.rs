//! What a citizen sends through the feedback and disclosure-request form,
//! and the rules it must meet. The widget checks a submission with these
//! rules before sending it and the receiving server checks it again on
//! arrival: one set of rules, written once.
//!
//! Kinds follow the usual portal mailbox (咨询, 建议, 投诉, 求助) plus the
//! request for disclosure of the 政府信息公开条例 (Art. 29), which also needs
//! an identity document, a description of the information, the format wanted
//! and how to receive it.

use crate::catalogue::{EntryIdProblem, ENTRY_ID_MAX};
use crate::credit_code::CodeProblem;
use std::fmt;

/// What the submission is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// 咨询: a question.
    Consultation,
    /// 建议: a suggestion.
    Suggestion,
    /// 投诉: a complaint.
    Complaint,
    /// 求助: a request for help.
    Help,
    /// 依申请公开: a request for information not yet public.
    DisclosureRequest,
}

impl Kind {
    /// Every kind, in the order the form offers them.
    pub const ALL: [Kind; 5] = [
        Kind::Consultation,
        Kind::Suggestion,
        Kind::Complaint,
        Kind::Help,
        Kind::DisclosureRequest,
    ];

    /// The kind's code on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Kind::Consultation => "consultation",
            Kind::Suggestion => "suggestion",
            Kind::Complaint => "complaint",
            Kind::Help => "help",
            Kind::DisclosureRequest => "disclosure_request",
        }
    }

    /// The kind named by `code`.
    pub fn from_code(code: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Its name in Chinese.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Consultation => "咨询",
            Kind::Suggestion => "建议",
            Kind::Complaint => "投诉",
            Kind::Help => "求助",
            Kind::DisclosureRequest => "申请公开政府信息",
        }
    }

    /// Its name as a noun, for "已收到您的……": the same as the label but
    /// for a disclosure request, 政府信息公开申请.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::DisclosureRequest => "政府信息公开申请",
            kind => kind.label(),
        }
    }
}

/// The identity document of a disclosure request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdType {
    /// 居民身份证: 18 characters with a check digit.
    ResidentCard,
    /// 护照.
    Passport,
    /// 港澳居民来往内地通行证.
    HongKongMacao,
    /// 台湾居民来往大陆通行证.
    Taiwan,
}

impl IdType {
    /// Every type, in the order the form offers them.
    pub const ALL: [IdType; 4] = [
        IdType::ResidentCard,
        IdType::Passport,
        IdType::HongKongMacao,
        IdType::Taiwan,
    ];

    /// The type's code on the wire.
    pub fn code(self) -> &'static str {
        match self {
            IdType::ResidentCard => "resident_card",
            IdType::Passport => "passport",
            IdType::HongKongMacao => "hk_macao_permit",
            IdType::Taiwan => "taiwan_permit",
        }
    }

    /// The type named by `code`.
    pub fn from_code(code: &str) -> Option<IdType> {
        IdType::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Its name in Chinese.
    pub fn label(self) -> &'static str {
        match self {
            IdType::ResidentCard => "居民身份证",
            IdType::Passport => "护照",
            IdType::HongKongMacao => "港澳居民来往内地通行证",
            IdType::Taiwan => "台湾居民来往大陆通行证",
        }
    }
}

/// Who applies for disclosure (Art. 29): a natural person, or a legal
/// person or other organisation of one of the five kinds the annual
/// report counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicant {
    /// 自然人.
    #[default]
    Person,
    /// 商业企业.
    Business,
    /// 科研机构.
    Research,
    /// 社会公益组织.
    Charity,
    /// 法律服务机构.
    LegalService,
    /// 其他 organisations.
    OtherOrganisation,
}

impl Applicant {
    /// Every kind, in the annual report's order.
    pub const ALL: [Applicant; 6] = [
        Applicant::Person,
        Applicant::Business,
        Applicant::Research,
        Applicant::Charity,
        Applicant::LegalService,
        Applicant::OtherOrganisation,
    ];

    /// The code on the wire and in the report's JSON.
    pub fn code(self) -> &'static str {
        match self {
            Applicant::Person => "person",
            Applicant::Business => "business",
            Applicant::Research => "research",
            Applicant::Charity => "charity",
            Applicant::LegalService => "legal-service",
            Applicant::OtherOrganisation => "other-organisation",
        }
    }

    /// Reads a code as [`Applicant::code`] writes it.
    pub fn from_code(code: &str) -> Option<Applicant> {
        Applicant::ALL.into_iter().find(|a| a.code() == code)
    }

    /// Its name in Chinese.
    pub fn label(self) -> &'static str {
        match self {
            Applicant::Person => "自然人",
            Applicant::Business => "商业企业",
            Applicant::Research => "科研机构",
            Applicant::Charity => "社会公益组织",
            Applicant::LegalService => "法律服务机构",
            Applicant::OtherOrganisation => "其他组织",
        }
    }

    /// Whether it applies by its name and unified social credit code
    /// rather than a person's identity document.
    pub fn is_organisation(self) -> bool {
        self != Applicant::Person
    }
}

/// The form the information is wanted in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// 纸质.
    Paper,
    /// 电子.
    Electronic,
}

impl Format {
    /// The format's code on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Format::Paper => "paper",
            Format::Electronic => "electronic",
        }
    }

    /// The format named by `code`.
    pub fn from_code(code: &str) -> Option<Format> {
        [Format::Paper, Format::Electronic]
            .into_iter()
            .find(|f| f.code() == code)
    }

    /// Its name in Chinese.
    pub fn label(self) -> &'static str {
        match self {
            Format::Paper => "纸质",
            Format::Electronic => "电子",
        }
    }
}

/// How the information is to be received.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// 邮寄: needs an address.
    Post,
    /// 电子邮件: needs an email address.
    Email,
    /// 当面领取: collected in person.
    Collect,
}

impl Delivery {
    /// The way's code on the wire.
    pub fn code(self) -> &'static str {
        match self {
            Delivery::Post => "post",
            Delivery::Email => "email",
            Delivery::Collect => "collect",
        }
    }

    /// The way named by `code`.
    pub fn from_code(code: &str) -> Option<Delivery> {
        [Delivery::Post, Delivery::Email, Delivery::Collect]
            .into_iter()
            .find(|d| d.code() == code)
    }

    /// Its name in Chinese.
    pub fn label(self) -> &'static str {
        match self {
            Delivery::Post => "邮寄",
            Delivery::Email => "电子邮件",
            Delivery::Collect => "当面领取",
        }
    }
}

/// A submission as the citizen filled it in. Text is kept as typed;
/// [`Submission::check`] judges it trimmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Submission {
    /// What it is.
    pub kind: Kind,
    /// 标题.
    pub subject: String,
    /// 内容.
    pub body: String,
    /// 姓名.
    pub name: String,
    /// 联系电话: a mainland mobile or landline number.
    pub phone: String,
    /// 电子邮箱 (optional unless the information is to be emailed).
    pub email: String,
    /// 通讯地址 (optional unless the information is to be posted).
    pub address: String,
    /// The rest is for a disclosure request only.
    pub request: Option<Request>,
    /// 同意公开: whether the submission and its reply may be published
    /// (never the name, phone, email or address).
    pub consent_to_publish: bool,
    /// The index number of the catalogue entry it is about, if any.
    pub related_item: String,
    /// Chosen by the form once per submission and sent again on retry, so
    /// that a retry never makes a second record.
    pub client_key: String,
}

/// What a disclosure request adds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// Who applies.
    pub applicant: Applicant,
    /// 名称: an organisation's name.
    pub organisation: String,
    /// 统一社会信用代码: an organisation's identity.
    pub credit_code: String,
    /// 法定代表人或主要负责人: who answers for an organisation (its
    /// contact person is [`Submission::name`]).
    pub representative: String,
    /// 证件类型: a person's identity document.
    pub id_type: Option<IdType>,
    /// 证件号码.
    pub id_number: String,
    /// 所需信息的内容描述.
    pub description: String,
    /// 文号或标题, if known.
    pub document: String,
    /// 信息的载体形式.
    pub format: Option<Format>,
    /// 获取方式.
    pub delivery: Option<Delivery>,
}

/// A field of the form, for placing an error beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// [`Submission::kind`].
    Kind,
    /// [`Submission::subject`].
    Subject,
    /// [`Submission::body`].
    Body,
    /// [`Submission::name`].
    Name,
    /// [`Submission::phone`].
    Phone,
    /// [`Submission::email`].
    Email,
    /// [`Submission::address`].
    Address,
    /// [`Request::applicant`].
    Applicant,
    /// [`Request::organisation`].
    Organisation,
    /// [`Request::credit_code`].
    CreditCode,
    /// [`Request::representative`].
    Representative,
    /// [`Request::id_type`].
    IdType,
    /// [`Request::id_number`].
    IdNumber,
    /// [`Request::description`].
    Description,
    /// [`Request::document`].
    Document,
    /// [`Request::format`].
    Format,
    /// [`Request::delivery`].
    Delivery,
    /// [`Submission::related_item`].
    RelatedItem,
    /// [`Submission::client_key`].
    ClientKey,
}

impl Field {
    /// Every field, in the form's order.
    pub const ALL: [Field; 19] = [
        Field::Kind,
        Field::Subject,
        Field::Body,
        Field::Name,
        Field::Phone,
        Field::Email,
        Field::Address,
        Field::Applicant,
        Field::Organisation,
        Field::CreditCode,
        Field::Representative,
        Field::IdType,
        Field::IdNumber,
        Field::Description,
        Field::Document,
        Field::Format,
        Field::Delivery,
        Field::RelatedItem,
        Field::ClientKey,
    ];

    /// The field whose key on the wire is `key`.
    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.key() == key)
    }

    /// Whether the form shows this field, with a place for its error
    /// beside it, while a submission of `kind` is written: a disclosure
    /// request's own fields only for that kind; the entry it is about and
    /// the client key never (their errors go at the top of the form).
    pub fn on_form(self, kind: Kind) -> bool {
        match self {
            Field::RelatedItem | Field::ClientKey => false,
            Field::Applicant
            | Field::Organisation
            | Field::CreditCode
            | Field::Representative
            | Field::IdType
            | Field::IdNumber
            | Field::Description
            | Field::Document
            | Field::Format
            | Field::Delivery => kind == Kind::DisclosureRequest,
            _ => true,
        }
    }

    /// The field's key on the wire.
    pub fn key(self) -> &'static str {
        match self {
            Field::Kind => "kind",
            Field::Subject => "subject",
            Field::Body => "body",
            Field::Name => "name",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::Address => "address",
            Field::Applicant => "applicant",
            Field::Organisation => "organisation",
            Field::CreditCode => "credit_code",
            Field::Representative => "representative",
            Field::IdType => "id_type",
            Field::IdNumber => "id_number",
            Field::Description => "description",
            Field::Document => "document",
            Field::Format => "format",
            Field::Delivery => "delivery",
            Field::RelatedItem => "related_item",
            Field::ClientKey => "client_key",
        }
    }

    /// Its label on the form.
    pub fn label(self) -> &'static str {
        match self {
            Field::Kind => "类型",
            Field::Subject => "标题",
            Field::Body => "内容",
            Field::Name => "姓名",
            Field::Phone => "联系电话",
            Field::Email => "电子邮箱",
            Field::Address => "通讯地址",
            Field::Applicant => "申请人",
            Field::Organisation => "单位名称",
            Field::CreditCode => "统一社会信用代码",
            Field::Representative => "法定代表人或主要负责人",
            Field::IdType => "证件类型",
            Field::IdNumber => "证件号码",
            Field::Description => "所需信息的描述",
            Field::Document => "文号或标题",
            Field::Format => "载体形式",
            Field::Delivery => "获取方式",
            Field::RelatedItem => "相关信息",
            Field::ClientKey => "提交编号",
        }
    }
}

/// What is wrong with one field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Which field.
    pub field: Field,
    /// Which rule it breaks.
    pub problem: Problem,
}

/// Which rule a field breaks, with what the citizen needs to put it
/// right. The server words it in Chinese ([`FieldError::message`]); the
/// form words it in the visitor's language from the same data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// A character no one can see (a control or format character), most
    /// likely copied from elsewhere.
    Hidden(char),
    /// The index number of the entry asked about is not one the
    /// catalogue could hold.
    Entry(EntryIdProblem),
    /// Required, and left empty.
    Missing,
    /// No way to reach the author: no telephone, email address or postal
    /// address (put on the telephone).
    NoContact,
    /// Fewer characters than the least (both counted after trimming).
    TooShort {
        /// The least.
        least: usize,
        /// How many there are.
        length: usize,
    },
    /// More characters than the most (both counted after trimming).
    TooLong {
        /// The most.
        most: usize,
        /// How many there are.
        length: usize,
    },
    /// Within the most once trimmed, but not with the white space around
    /// it.
    Padded {
        /// The most.
        most: usize,
        /// How many there are, white space included.
        raw: usize,
    },
    /// Not a telephone number [`phone_number`] reads.
    Phone,
    /// Not an email address ([`is_email`]).
    Email,
    /// A client key with characters other than letters, digits, `-` and
    /// `_`.
    ClientKey,
    /// A disclosure request's details with another kind chosen.
    NotRequest,
    /// Not a unified social credit code.
    CreditCode(CodeProblem),
    /// One of the options must be chosen.
    Unchosen,
    /// Not a number of the identity document chosen.
    IdNumber(IdProblem),
    /// Needed for the way of delivery chosen: the postal address for
    /// post, the email address for email.
    NeededFor(Delivery),
    /// Paper by email.
    PaperByEmail,
    /// A disclosure request sent without its details.
    NoRequest,
    /// On the wire, not a string.
    NotText,
    /// On the wire, not one of the field's codes.
    NotAnOption,
    /// On the wire, the request's details not an object (put on the kind).
    RequestNotObject,
    /// On the wire, the consent not `true` or `false` (put on the kind).
    ConsentNotBool,
}

impl FieldError {
    /// What is wrong and what to do, in plain Chinese: the server's
    /// answer (422) and the staff console say this.
    pub fn message(&self) -> String {
        let label = self.field.label();
        match &self.problem {
            Problem::Hidden(c) => format!(
                "含有看不见的控制字符（U+{:04X}），可能是从别处复制来的，请删除后重新输入。",
                *c as u32
            ),
            Problem::Entry(problem) => {
                let problem = match problem {
                    EntryIdProblem::TooLong(n) => {
                        format!("有 {n} 个字符，最多 {ENTRY_ID_MAX} 个")
                    }
                    EntryIdProblem::Hidden(c) => {
                        format!("含有看不见的控制字符（U+{:04X}）", *c as u32)
                    }
                };
                format!("所针对信息的索引号{problem}。请点“不针对这条信息”后再提交。")
            }
            Problem::Missing => format!("请填写{label}。"),
            Problem::NoContact => {
                "请至少填写一种联系方式：联系电话、电子邮箱或通讯地址。".into()
            }
            Problem::TooShort { least, length } => {
                format!("{label}至少 {least} 个字，现在 {length} 个字。")
            }
            Problem::TooLong { most, length } => {
                format!("{label}最多 {most} 个字，现在 {length} 个字，请删减。")
            }
            Problem::Padded { most, raw } => format!(
                "{label}前后的空格或空行太多：连同空白共 {raw} 个字，超过了 {most} 个字的上限，请删去多余的空白。"
            ),
            Problem::Phone => "请填写 11 位手机号（以 1 开头），或带区号的固定电话，如 0563-6012345；境外号码以 + 和国家或地区代码开头，如 +852 9123 4567。".into(),
            Problem::Email => "电子邮箱的格式不对，应像 name@example.com 这样。".into(),
            Problem::ClientKey => {
                "提交编号只能含字母、数字、- 和 _，请刷新页面后重试。".into()
            }
            Problem::NotRequest => {
                "只有申请公开政府信息才需要填写证件和所需信息，请选择该类型。".into()
            }
            Problem::CreditCode(problem) => problem.to_string(),
            Problem::Unchosen => match self.field {
                Field::Format => "请选择纸质或电子形式。".into(),
                field => format!("请选择{}。", field.label()),
            },
            Problem::IdNumber(problem) => problem.to_string(),
            Problem::NeededFor(Delivery::Email) => {
                "选择电子邮件获取时请填写电子邮箱。".into()
            }
            Problem::NeededFor(_) => "选择邮寄时请填写通讯地址。".into(),
            Problem::PaperByEmail => {
                "纸质材料无法通过电子邮件发送，请改选邮寄或当面领取。".into()
            }
            Problem::NoRequest => format!("申请公开政府信息需要填写{label}。"),
            Problem::NotText => format!("{label}应为文字。"),
            Problem::NotAnOption => {
                format!("{label}不是可选的一项，请从给出的选项中选择。")
            }
            Problem::RequestNotObject => "申请公开的内容（request）应为对象。".into(),
            Problem::ConsentNotBool => {
                "是否同意公开（consent_to_publish）应为 true 或 false。".into()
            }
        }
    }
}

/// How long each text may be, in characters after trimming: (least, most).
/// A least of 0 means optional. The most holds for the text as it
/// arrives too, white space around it included, so that nothing sent is
/// much longer than what is kept.
pub fn limits(field: Field) -> (usize, usize) {
    match field {
        Field::Subject => (4, 40),
        Field::Body => (10, 2000),
        Field::Name => (1, 30),
        Field::Phone => (1, 30),
        Field::Email => (0, 254),
        Field::Address => (0, 200),
        Field::Organisation => (2, 100),
        Field::CreditCode => (1, 30),
        Field::Representative => (1, 30),
        Field::IdNumber => (1, 30),
        Field::Description => (4, 1000),
        Field::Document => (0, 100),
        Field::RelatedItem => (0, ENTRY_ID_MAX),
        Field::ClientKey => (8, 64),
        Field::Kind | Field::Applicant | Field::IdType | Field::Format | Field::Delivery => (0, 0),
    }
}

impl Submission {
    /// Every rule the submission breaks, at most one per field, in the
    /// form's order; empty when it may be sent.
    pub fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut error = |field: Field, problem: Problem| {
            if !errors.iter().any(|e: &FieldError| e.field == field) {
                errors.push(FieldError { field, problem });
            }
        };
        let request = self.request.as_ref();
        let multiline = [Field::Body, Field::Description, Field::Address];
        let texts = [
            (Field::Subject, self.subject.as_str()),
            (Field::Body, &self.body),
            (Field::Name, &self.name),
            (Field::Phone, &self.phone),
            (Field::Email, &self.email),
            (Field::Address, &self.address),
            (Field::Organisation, request.map_or("", |r| &r.organisation)),
            (Field::CreditCode, request.map_or("", |r| &r.credit_code)),
            (
                Field::Representative,
                request.map_or("", |r| &r.representative),
            ),
            (Field::IdNumber, request.map_or("", |r| &r.id_number)),
            (Field::Description, request.map_or("", |r| &r.description)),
            (Field::Document, request.map_or("", |r| &r.document)),
            (Field::RelatedItem, &self.related_item),
            (Field::ClientKey, &self.client_key),
        ];
        // The entry's index number has the catalogue's rule, below.
        for (field, text) in texts.iter().filter(|(f, _)| *f != Field::RelatedItem) {
            let multiline = multiline.contains(field);
            if let Some(c) = text.chars().find(|&c| crate::text::is_hidden(c, multiline)) {
                error(*field, Problem::Hidden(c));
            }
        }
        let item = self.related_item.trim();
        if let (false, Err(problem)) = (item.is_empty(), crate::catalogue::check_entry_id(item)) {
            error(Field::RelatedItem, Problem::Entry(problem));
        }
        for (field, text) in texts {
            let (least, most) = limits(field);
            let needed = least > 0 && self.required(field);
            let length = text.trim().chars().count();
            let raw = text.chars().count();
            if length == 0 && needed && field == Field::Phone {
                error(field, Problem::NoContact);
            } else if length == 0 && needed {
                error(field, Problem::Missing);
            } else if length > 0 && length < least {
                error(field, Problem::TooShort { least, length });
            } else if length > most {
                error(field, Problem::TooLong { most, length });
            } else if raw > most {
                error(field, Problem::Padded { most, raw });
            }
        }
        if !self.phone.trim().is_empty() && phone_number(&self.phone).is_none() {
            error(Field::Phone, Problem::Phone);
        }
        if !self.email.trim().is_empty() && !is_email(self.email.trim()) {
            error(Field::Email, Problem::Email);
        }
        if !self.client_key.trim().is_empty()
            && !self
                .client_key
                .trim()
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            error(Field::ClientKey, Problem::ClientKey);
        }
        if let Some(request) = request {
            if self.kind != Kind::DisclosureRequest {
                error(Field::Kind, Problem::NotRequest);
            }
            let code = request.credit_code.trim();
            if request.applicant.is_organisation() && !code.is_empty() {
                if let Err(problem) = crate::credit_code::check(code) {
                    error(Field::CreditCode, Problem::CreditCode(problem));
                }
            }
            match request.id_type {
                None if !request.applicant.is_organisation() => {
                    error(Field::IdType, Problem::Unchosen)
                }
                None => {}
                Some(id_type) => {
                    if let Err(problem) = check_id(id_type, request.id_number.trim()) {
                        if !request.id_number.trim().is_empty() {
                            error(Field::IdNumber, Problem::IdNumber(problem));
                        }
                    }
                }
            }
            if request.format.is_none() {
                error(Field::Format, Problem::Unchosen);
            }
            match request.delivery {
                None => error(Field::Delivery, Problem::Unchosen),
                Some(Delivery::Post) if self.address.trim().is_empty() => {
                    error(Field::Address, Problem::NeededFor(Delivery::Post))
                }
                Some(Delivery::Email) if self.email.trim().is_empty() => {
                    error(Field::Email, Problem::NeededFor(Delivery::Email))
                }
                Some(Delivery::Email) if request.format == Some(Format::Paper) => {
                    error(Field::Delivery, Problem::PaperByEmail)
                }
                _ => {}
            }
        } else if self.kind == Kind::DisclosureRequest {
            for field in [
                Field::IdType,
                Field::Description,
                Field::Format,
                Field::Delivery,
            ] {
                error(field, Problem::NoRequest);
            }
        }
        errors.sort_by_key(|e| e.field);
        errors
    }
}

impl Submission {
    /// Whether `field` must be filled in, as [`Submission::check`] judges
    /// it: for marking the form's fields before anyone errs.
    pub fn required(&self, field: Field) -> bool {
        let request = self.request.as_ref();
        let delivery = request.and_then(|r| r.delivery);
        let organisation = request.is_some_and(|r| r.applicant.is_organisation());
        match field {
            Field::Kind | Field::Subject | Field::Body | Field::Name => true,
            // Any one way to reach the author (Art. 29 of the Regulations
            // asks for a way, not a mainland telephone): the telephone
            // unless an email address or a postal address is given.
            Field::Phone => self.email.trim().is_empty() && self.address.trim().is_empty(),
            Field::Applicant | Field::Description | Field::Format | Field::Delivery => {
                request.is_some() || self.kind == Kind::DisclosureRequest
            }
            // A person shows an identity document; an organisation gives
            // its name, code and who answers for it.
            Field::IdType | Field::IdNumber => {
                (request.is_some() || self.kind == Kind::DisclosureRequest) && !organisation
            }
            Field::Organisation | Field::CreditCode | Field::Representative => organisation,
            Field::Email => delivery == Some(Delivery::Email),
            Field::Address => delivery == Some(Delivery::Post),
            Field::ClientKey => true,
            Field::Document | Field::RelatedItem => false,
        }
    }

    /// The submission as it is sent: every text trimmed (white space
    /// around a text is never wanted, and [`Submission::check`] counts it
    /// against the most a field may hold); a resident card number with an
    /// upper-case `X`, so that one number typed either way is the same
    /// submission; what was typed for a disclosure request, which the form
    /// keeps while another kind is chosen, only with a disclosure request.
    pub fn as_sent(&self) -> Submission {
        let trim = |text: &String| text.trim().to_owned();
        Submission {
            kind: self.kind,
            subject: trim(&self.subject),
            body: trim(&self.body),
            name: trim(&self.name),
            phone: trim(&self.phone),
            email: trim(&self.email),
            address: trim(&self.address),
            request: self
                .request
                .as_ref()
                .filter(|_| self.kind == Kind::DisclosureRequest)
                .map(|r| {
                    // What was typed for the other kind of applicant, which
                    // the form keeps while this one is chosen, is not sent.
                    let organisation = r.applicant.is_organisation();
                    let only = |yes: bool, text: String| if yes { text } else { String::new() };
                    Request {
                        applicant: r.applicant,
                        organisation: only(organisation, trim(&r.organisation)),
                        credit_code: only(
                            organisation,
                            crate::credit_code::check(&r.credit_code)
                                .unwrap_or_else(|_| trim(&r.credit_code)),
                        ),
                        representative: only(organisation, trim(&r.representative)),
                        id_type: r.id_type.filter(|_| !organisation),
                        id_number: only(
                            !organisation,
                            match r.id_type {
                                Some(IdType::ResidentCard) => {
                                    r.id_number.trim().to_ascii_uppercase()
                                }
                                _ => trim(&r.id_number),
                            },
                        ),
                        description: trim(&r.description),
                        document: trim(&r.document),
                        format: r.format,
                        delivery: r.delivery,
                    }
                }),
            consent_to_publish: self.consent_to_publish,
            related_item: trim(&self.related_item),
            client_key: trim(&self.client_key),
        }
    }

    /// The submission without the identity document's number: what may be
    /// kept in the browser's storage, where the next person at a shared
    /// computer could read it. The number is typed again after a reload.
    pub fn without_id_number(&self) -> Submission {
        let mut kept = self.clone();
        if let Some(r) = kept.request.as_mut() {
            r.id_number.clear();
        }
        kept
    }
}

/// The number with spaces, dashes, parentheses and a +86 prefix taken out
/// and full-width digits made ASCII, if it is a mainland mobile number
/// (11 digits from 13…19) or a landline with its area code (0 and 2-3
/// digits, then 7-8 digits, optionally an extension after 转, # or a
/// second dash);
/// or, for applicants from Hong Kong, Macao, Taiwan and abroad, an
/// international number in E.164 form (`+`, a country or region
/// code other than 86, 8-15 digits in all), kept as `+85291234567`.
pub fn phone_number(text: &str) -> Option<String> {
    if let Some(international) = international_number(text) {
        return Some(international);
    }
    // An extension after a second dash: 0563-6012345-801.
    let dashes: Vec<usize> = text.match_indices(is_dash).map(|(at, _)| at).collect();
    if let [_, .., last] = dashes[..] {
        let (number, ext) = (&text[..last], &text[last..].trim_start_matches(is_dash));
        let ext_digits = ext.trim().chars().map(ascii_digit).collect::<String>();
        let plain = !number.contains(['转', '#']);
        if plain
            && (1..=6).contains(&ext_digits.len())
            && ext_digits.bytes().all(|b| b.is_ascii_digit())
        {
            if let Some(landline) = home_number(number).filter(|n| n.starts_with('0')) {
                return Some(format!("{landline}转{ext_digits}"));
            }
        }
    }
    home_number(text)
}

/// A dash as people type one: ASCII, full-width, or the dashes a word
/// processor puts in.
fn is_dash(c: char) -> bool {
    matches!(c, '-' | '－' | '‐' | '‑' | '–' | '—')
}

/// A separator people put between digit groups.
fn is_separator(c: char) -> bool {
    is_dash(c) || matches!(c, ' ' | '\u{3000}' | '(' | ')' | '（' | '）')
}

/// [`phone_number`] for a mainland number.
fn home_number(text: &str) -> Option<String> {
    let mut digits = String::new();
    let mut extension = None;
    // After `+`, the mainland's country code: other codes are read above.
    let plus = text.trim().starts_with(['+', '＋']);
    for c in without_trunk_zero(text).trim().chars() {
        let c = ascii_digit(c);
        match c {
            '0'..='9' => digits.push(c),
            c if is_separator(c) => {}
            '+' | '＋' if digits.is_empty() => {}
            '转' | '#' if extension.is_none() => {
                extension = Some(digits.len());
            }
            _ => return None,
        }
    }
    if plus && !digits.starts_with("86") {
        return None;
    }
    let (number, ext) = match extension {
        Some(at) => digits.split_at(at),
        None => (digits.as_str(), ""),
    };
    // +86 then the number as dialled from abroad: a mobile number, or a
    // landline's area code without its 0 (+86 563 6012345, +86 10 …),
    // which is kept as dialled at home (0563…, 010…). A 400 or 800
    // service number is no one's telephone.
    let home;
    let number = match number.strip_prefix("86") {
        Some(rest) if plus && (rest.starts_with("400") || rest.starts_with("800")) => return None,
        Some(rest) if plus && !rest.starts_with('0') && !is_mobile(rest) => {
            home = format!("0{rest}");
            home.as_str()
        }
        Some(rest) if plus || rest.starts_with('1') => rest,
        _ => number,
    };
    let mobile = is_mobile(number);
    let landline =
        number.starts_with('0') && !number.starts_with("00") && (10..=12).contains(&number.len());
    if !(mobile || landline) || (mobile && !ext.is_empty()) || ext.len() > 6 {
        return None;
    }
    Some(if ext.is_empty() {
        number.to_owned()
    } else {
        format!("{number}转{ext}")
    })
}

/// Whether `digits` is a mainland mobile number: 11 digits from 13…19.
fn is_mobile(digits: &str) -> bool {
    digits.len() == 11 && digits.starts_with('1') && matches!(digits.as_bytes()[1], b'3'..=b'9')
}

/// `text` without the trunk prefix some numbers are written with, dialled
/// at home but not from abroad: `+44 (0)20 7946 0018`.
fn without_trunk_zero(text: &str) -> String {
    text.replace("(0)", "").replace("（0）", "")
}

/// A full-width digit (typed with a Chinese input method) as its ASCII
/// digit; any other character as it is.
fn ascii_digit(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        c => c,
    }
}

/// An international number other than the mainland's: `+`, then
/// 8-15 digits (E.164) not starting with 86 or 0, with spaces, dashes and
/// parentheses allowed between.
fn international_number(text: &str) -> Option<String> {
    let text = without_trunk_zero(text);
    let text = text.trim();
    // Only with `+`: "00" before a number is more often a mainland
    // landline typed with one 0 too many than an international prefix.
    let rest = text.strip_prefix(['+', '＋'])?;
    let mut digits = String::new();
    for c in rest.chars().map(ascii_digit) {
        match c {
            '0'..='9' => digits.push(c),
            c if is_separator(c) => {}
            _ => return None,
        }
    }
    let fits =
        (8..=15).contains(&digits.len()) && !digits.starts_with("86") && !digits.starts_with('0');
    fits.then(|| format!("+{digits}"))
}

/// Whether `text` looks like an email address: one `@`, a local part of
/// printable ASCII, a domain of dot-separated letters, digits and hyphens
/// with a top-level part of two letters or more.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+/=?^_`{|}~.-".contains(&b))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
        && labels
            .last()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()));
    local_ok && domain_ok && text.len() <= 254
}

/// Why a number is not one of the identity document chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdProblem {
    /// Another document's number is 5 to 20 letters or digits: this
    /// document's.
    Shape(IdType),
    /// A resident card number is 18 characters: 17 digits, then a digit
    /// or `X`.
    CardShape,
    /// The date of birth (7th to 14th characters) is no date.
    CardBirth,
    /// The check character (the 18th) does not fit the first 17.
    CardCheck,
}

impl fmt::Display for IdProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdProblem::Shape(id_type) => {
                write!(f, "{}号码应为 5 到 20 位字母或数字。", id_type.label())
            }
            IdProblem::CardShape => f.write_str("身份证号码应为 18 位：17 位数字加 1 位数字或 X。"),
            IdProblem::CardBirth => {
                f.write_str("身份证号码中的出生日期（第 7 到 14 位）不是有效日期，请核对。")
            }
            IdProblem::CardCheck => f.write_str("身份证号码最后一位（校验位）不对，请逐位核对。"),
        }
    }
}

impl std::error::Error for IdProblem {}

/// Checks an identity document number of type `id_type`.
pub fn check_id(id_type: IdType, number: &str) -> Result<(), IdProblem> {
    match id_type {
        IdType::ResidentCard => check_resident_card(number),
        _ => {
            let ok = (5..=20).contains(&number.len())
                && number.bytes().all(|b| b.is_ascii_alphanumeric());
            if ok {
                Ok(())
            } else {
                Err(IdProblem::Shape(id_type))
            }
        }
    }
}

/// The 18-character resident identity card number: 17 digits (area,
/// date of birth, sequence) and a check character (GB 11643-1999,
/// ISO 7064 MOD 11-2), `X` standing for 10.
pub fn check_resident_card(number: &str) -> Result<(), IdProblem> {
    let number = number.trim().to_ascii_uppercase();
    let bytes = number.as_bytes();
    if bytes.len() != 18
        || !bytes[..17].iter().all(u8::is_ascii_digit)
        || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
    {
        return Err(IdProblem::CardShape);
    }
    let birth = std::str::from_utf8(&bytes[6..14]).unwrap_or_default();
    let date = format!("{}-{}-{}", &birth[..4], &birth[4..6], &birth[6..]);
    let year: u32 = birth[..4].parse().unwrap_or(0);
    if crate::Date::parse(&date).is_none() || !(1900..=2100).contains(&year) {
        return Err(IdProblem::CardBirth);
    }
    if resident_card_check_digit(&number[..17]) != Some(bytes[17] as char) {
        return Err(IdProblem::CardCheck);
    }
    Ok(())
}

/// The check character of the first 17 digits of a resident card number.
pub fn resident_card_check_digit(first17: &str) -> Option<char> {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    if first17.len() != 17 {
        return None;
    }
    let sum = first17
        .chars()
        .zip(WEIGHTS)
        .map(|(c, w)| c.to_digit(10).map(|d| d * w))
        .sum::<Option<u32>>()?;
    Some(CHECK[(sum % 11) as usize] as char)
}

/// The key of the form's hidden trap field: people never see it, so never
/// fill it in; programs that fill in every field do. Its name means
/// nothing to a browser's autofill (a field named like `website` or `url`
/// gets filled in for the citizen).
pub const TRAP_FIELD: &str = "leave_blank";

/// The trap field's key in forms before [`TRAP_FIELD`]; still read, so a
/// form loaded before an upgrade is judged the same way.
pub const OLD_TRAP_FIELD: &str = "website";

/// A submission read off the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Incoming {
    /// A submission that meets every rule.
    Submission(Box<Submission>),
    /// A submission that meets every rule but came with the trap field
    /// filled in: most likely a program, possibly a browser that filled it
    /// for a citizen. It is kept for staff to look at, never dropped.
    Suspected(Box<Submission>),
}

impl Incoming {
    /// The submission, suspected or not.
    pub fn submission(&self) -> &Submission {
        match self {
            Incoming::Submission(s) | Incoming::Suspected(s) => s,
        }
    }

    /// Whether the trap field was filled in.
    pub fn suspected(&self) -> bool {
        matches!(self, Incoming::Suspected(_))
    }
}

/// Why a request body is not a submission.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// Not JSON at all (the reader's words).
    NotJson(String),
    /// JSON, but not an object.
    NotObject,
    /// An object whose fields break rules: every one found.
    Fields(Vec<FieldError>),
}

/// Reads a submission sent as a JSON object (see [`Submission::to_json`])
/// and checks it. Missing texts are empty, and so reported as missing;
/// a value of the wrong type is reported on its field.
pub fn read(text: &str) -> Result<Incoming, ReadError> {
    decode(text, true)
}

/// Reads back a submission that was checked when it arrived, without
/// checking it again: rules may have tightened since, and a kept record
/// must still be read.
pub fn read_kept(text: &str) -> Result<Incoming, ReadError> {
    decode(text, false)
}

fn decode(text: &str, check: bool) -> Result<Incoming, ReadError> {
    use crate::json::{self, Json};
    let json = json::parse(text).map_err(|e| {
        ReadError::NotJson(format!(
            "line {}, column {}: {}",
            e.line, e.column, e.reason
        ))
    })?;
    if !matches!(json, Json::Object(_)) {
        return Err(ReadError::NotObject);
    }
    let trapped = [TRAP_FIELD, OLD_TRAP_FIELD].iter().any(|key| {
        json.get(key)
            .is_some_and(|v| !matches!(v, Json::Null) && v.as_str() != Some(""))
    });
    let mut errors = Vec::new();
    let mut text_of = |object: &Json, field: Field| -> String {
        match object.get(field.key()) {
            None | Some(Json::Null) => String::new(),
            Some(Json::String(s)) => s.to_string(),
            Some(_) => {
                errors.push(FieldError {
                    field,
                    problem: Problem::NotText,
                });
                String::new()
            }
        }
    };
    let subject = text_of(&json, Field::Subject);
    let body = text_of(&json, Field::Body);
    let name = text_of(&json, Field::Name);
    let phone = text_of(&json, Field::Phone);
    let email = text_of(&json, Field::Email);
    let address = text_of(&json, Field::Address);
    let related_item = text_of(&json, Field::RelatedItem);
    let client_key = text_of(&json, Field::ClientKey);
    let kind_code = text_of(&json, Field::Kind);
    let request = match json.get("request") {
        None | Some(Json::Null) => None,
        Some(r @ Json::Object(_)) => Some((
            [
                text_of(r, Field::Applicant),
                text_of(r, Field::Organisation),
                text_of(r, Field::CreditCode),
                text_of(r, Field::Representative),
            ],
            text_of(r, Field::IdType),
            text_of(r, Field::IdNumber),
            text_of(r, Field::Description),
            text_of(r, Field::Document),
            text_of(r, Field::Format),
            text_of(r, Field::Delivery),
        )),
        Some(_) => {
            errors.push(FieldError {
                field: Field::Kind,
                problem: Problem::RequestNotObject,
            });
            None
        }
    };
    let consent_to_publish = match json.get("consent_to_publish") {
        None | Some(Json::Null) => false,
        Some(Json::Bool(b)) => *b,
        Some(_) => {
            errors.push(FieldError {
                field: Field::Kind,
                problem: Problem::ConsentNotBool,
            });
            false
        }
    };
    let mut coded = |field: Field, code: &str, known: bool| {
        if !code.is_empty() && !known {
            // The value is not kept: a form that sends the wrong field
            // here (an identity number) must not get it back in a message
            // that may be logged.
            errors.push(FieldError {
                field,
                problem: Problem::NotAnOption,
            });
        }
    };
    let kind = Kind::from_code(&kind_code);
    coded(Field::Kind, &kind_code, kind.is_some());
    let request = request.map(
        |(
            [applicant, organisation, credit_code, representative],
            id_type,
            id_number,
            description,
            document,
            format,
            delivery,
        )| {
            let parsed = Request {
                // Requests from before organisations could apply, and
                // clients that do not say, are a person's.
                applicant: if applicant.is_empty() {
                    Applicant::Person
                } else {
                    Applicant::from_code(&applicant).unwrap_or_default()
                },
                organisation,
                credit_code,
                representative,
                id_type: IdType::from_code(&id_type),
                id_number,
                description,
                document,
                format: Format::from_code(&format),
                delivery: Delivery::from_code(&delivery),
            };
            coded(
                Field::Applicant,
                &applicant,
                Applicant::from_code(&applicant).is_some(),
            );
            coded(Field::IdType, &id_type, parsed.id_type.is_some());
            coded(Field::Format, &format, parsed.format.is_some());
            coded(Field::Delivery, &delivery, parsed.delivery.is_some());
            parsed
        },
    );
    let Some(kind) = kind else {
        if kind_code.is_empty() {
            errors.push(FieldError {
                field: Field::Kind,
                problem: Problem::Unchosen,
            });
        }
        errors.sort_by_key(|e| e.field);
        return Err(ReadError::Fields(errors));
    };
    let submission = Submission {
        kind,
        subject,
        body,
        name,
        phone,
        email,
        address,
        request,
        consent_to_publish,
        related_item,
        client_key,
    };
    let broken = if check {
        submission.check()
    } else {
        Vec::new()
    };
    for e in broken {
        if !errors.iter().any(|known| known.field == e.field) {
            errors.push(e);
        }
    }
    if errors.is_empty() && trapped {
        Ok(Incoming::Suspected(Box::new(submission)))
    } else if errors.is_empty() {
        Ok(Incoming::Submission(Box::new(submission)))
    } else {
        errors.sort_by_key(|e| e.field);
        Err(ReadError::Fields(errors))
    }
}

impl Submission {
    /// The submission as the form sends it: a JSON object that [`read`]
    /// reads back (with an empty trap field).
    pub fn to_json(&self) -> String {
        self.to_json_with_trap("")
    }

    /// [`Submission::to_json`] with the trap field as the form's hidden
    /// field holds it: filled in only by programs.
    pub fn to_json_with_trap(&self, trap: &str) -> String {
        use crate::json::Object;
        let texts = |members: &[(Field, &str)]| {
            members
                .iter()
                .fold(Object::new(), |object, (field, value)| {
                    object.string(field.key(), value)
                })
        };
        let mut object = texts(&[
            (Field::Kind, self.kind.code()),
            (Field::Subject, &self.subject),
            (Field::Body, &self.body),
            (Field::Name, &self.name),
            (Field::Phone, &self.phone),
            (Field::Email, &self.email),
            (Field::Address, &self.address),
            (Field::RelatedItem, &self.related_item),
            (Field::ClientKey, &self.client_key),
        ]);
        if let Some(r) = &self.request {
            let request = texts(&[
                (Field::Applicant, r.applicant.code()),
                (Field::Organisation, &r.organisation),
                (Field::CreditCode, &r.credit_code),
                (Field::Representative, &r.representative),
                (Field::IdType, r.id_type.map_or("", IdType::code)),
                (Field::IdNumber, &r.id_number),
                (Field::Description, &r.description),
                (Field::Document, &r.document),
                (Field::Format, r.format.map_or("", Format::code)),
                (Field::Delivery, r.delivery.map_or("", Delivery::code)),
            ]);
            object = object.raw("request", &request.finish());
        }
        object
            .boolean("consent_to_publish", self.consent_to_publish)
            .string(TRAP_FIELD, trap)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn complaint() -> Submission {
        Submission {
            kind: Kind::Complaint,
            subject: "村道路灯损坏无人修".into(),
            body: "东亭村村口到小学的路灯坏了三个月，晚上孩子放学很危险。".into(),
            name: "张三".into(),
            phone: "13912345678".into(),
            email: String::new(),
            address: String::new(),
            request: None,
            consent_to_publish: false,
            related_item: String::new(),
            client_key: "k-1a2b3c4d5e".into(),
        }
    }

    fn request() -> Submission {
        Submission {
            kind: Kind::DisclosureRequest,
            subject: "申请公开2016年三公经费明细".into(),
            body: "用于了解本乡财政支出情况，请提供电子版。".into(),
            request: Some(Request {
                id_type: Some(IdType::ResidentCard),
                id_number: "11010519491231002X".into(),
                description: "东亭乡2016年三公经费决算明细表".into(),
                document: "东政〔2017〕6号".into(),
                format: Some(Format::Electronic),
                delivery: Some(Delivery::Email),
                ..Request::default()
            }),
            email: "zhang.san@example.com".into(),
            ..complaint()
        }
    }

    /// A request from a law firm, by its contact person.
    fn organisation() -> Submission {
        let mut s = request();
        let r = s.request.as_mut().unwrap();
        r.applicant = Applicant::LegalService;
        r.organisation = "安徽广德某某律师事务所".into();
        r.credit_code = "31341800MD00123458".into();
        r.representative = "李四".into();
        r.id_type = None;
        r.id_number.clear();
        s
    }

    fn fields(errors: &[FieldError]) -> Vec<Field> {
        errors.iter().map(|e| e.field).collect()
    }

    /// `submission` with `field` left empty.
    fn emptied(submission: &Submission, field: Field) -> Submission {
        let mut s = submission.clone();
        let r = s.request.as_mut();
        match field {
            Field::Kind | Field::Applicant => {}
            Field::Organisation => r.into_iter().for_each(|r| r.organisation.clear()),
            Field::CreditCode => r.into_iter().for_each(|r| r.credit_code.clear()),
            Field::Representative => r.into_iter().for_each(|r| r.representative.clear()),
            Field::Subject => s.subject.clear(),
            Field::Body => s.body.clear(),
            Field::Name => s.name.clear(),
            Field::Phone => s.phone.clear(),
            Field::Email => s.email.clear(),
            Field::Address => s.address.clear(),
            Field::RelatedItem => s.related_item.clear(),
            Field::ClientKey => s.client_key.clear(),
            Field::IdType => r.into_iter().for_each(|r| r.id_type = None),
            Field::IdNumber => r.into_iter().for_each(|r| r.id_number.clear()),
            Field::Description => r.into_iter().for_each(|r| r.description.clear()),
            Field::Document => r.into_iter().for_each(|r| r.document.clear()),
            Field::Format => r.into_iter().for_each(|r| r.format = None),
            Field::Delivery => r.into_iter().for_each(|r| r.delivery = None),
        }
        s
    }

    #[test]
    fn the_fields_marked_required_are_those_check_wants_filled() {
        let mut by_post = request();
        by_post.email.clear();
        by_post.address = "安徽省广德县东亭乡东亭村 12 号".into();
        if let Some(r) = by_post.request.as_mut() {
            r.delivery = Some(Delivery::Post);
        }
        // Every field but the two choices that cannot be emptied.
        let all = Field::ALL
            .into_iter()
            .filter(|f| ![Field::Kind, Field::Applicant].contains(f));
        for filled in [complaint(), request(), by_post, organisation()] {
            assert_eq!(filled.check(), []);
            for field in all.clone() {
                let wanted = fields(&emptied(&filled, field).check()).contains(&field);
                assert_eq!(
                    filled.required(field),
                    wanted,
                    "{field:?} in a {:?}",
                    filled.kind
                );
            }
        }
        // A request's own fields, while another kind is chosen, are kept
        // by the form but neither required nor sent.
        let switched = Submission {
            kind: Kind::Consultation,
            ..request()
        };
        assert!(switched.check().iter().any(|e| e.field == Field::Kind));
        assert_eq!(switched.as_sent().request, None);
        assert_eq!(switched.as_sent().check(), []);
        assert_eq!(request().as_sent(), request());
    }

    /// A retry is known by the text kept of the first attempt (in the
    /// store, and in the form's storage): the text of a submission never
    /// changes between versions.
    #[test]
    fn a_submission_s_text_is_as_earlier_versions_kept_it() {
        assert_eq!(
            complaint().to_json(),
            r#"{"kind":"complaint","subject":"村道路灯损坏无人修","body":"东亭村村口到小学的路灯坏了三个月，晚上孩子放学很危险。","name":"张三","phone":"13912345678","email":"","address":"","related_item":"","client_key":"k-1a2b3c4d5e","consent_to_publish":false,"leave_blank":""}"#
        );
        assert!(request().to_json().contains(
            r#","client_key":"k-1a2b3c4d5e","request":{"applicant":"person","organisation":"","credit_code":"","representative":"","id_type":"resident_card","id_number":"11010519491231002X","description":"东亭乡2016年三公经费决算明细表","document":"东政〔2017〕6号","format":"electronic","delivery":"email"},"consent_to_publish":false,"#
        ));
    }

    #[test]
    fn the_trap_field_goes_out_as_the_form_holds_it() {
        assert_eq!(
            read(&complaint().to_json()),
            Ok(Incoming::Submission(Box::new(complaint())))
        );
        assert_eq!(
            read(&complaint().to_json_with_trap("http://spam.example")),
            Ok(Incoming::Suspected(Box::new(complaint())))
        );
    }

    #[test]
    fn a_complete_complaint_and_request_pass() {
        assert_eq!(complaint().check(), []);
        assert_eq!(request().check(), []);
    }

    #[test]
    fn every_kind_needs_subject_body_name_and_phone() {
        for kind in Kind::ALL
            .into_iter()
            .filter(|k| *k != Kind::DisclosureRequest)
        {
            let empty = Submission {
                kind,
                subject: " ".into(),
                body: String::new(),
                name: String::new(),
                phone: String::new(),
                ..complaint()
            };
            let errors = empty.check();
            assert_eq!(
                fields(&errors),
                [Field::Subject, Field::Body, Field::Name, Field::Phone]
            );
            assert_eq!(errors[0].message(), "请填写标题。");
        }
    }

    #[test]
    fn a_disclosure_request_needs_its_own_fields() {
        let bare = Submission {
            kind: Kind::DisclosureRequest,
            ..complaint()
        };
        assert_eq!(
            fields(&bare.check()),
            [
                Field::IdType,
                Field::IdNumber,
                Field::Description,
                Field::Format,
                Field::Delivery
            ]
        );
        let mut blank = request();
        let r = blank.request.as_mut().unwrap();
        r.id_type = None;
        r.id_number.clear();
        r.description.clear();
        r.format = None;
        r.delivery = None;
        assert_eq!(
            fields(&blank.check()),
            [
                Field::IdType,
                Field::IdNumber,
                Field::Description,
                Field::Format,
                Field::Delivery
            ]
        );
        // Request fields on another kind are refused.
        let mixed = Submission {
            kind: Kind::Help,
            ..request()
        };
        assert_eq!(fields(&mixed.check()), [Field::Kind]);
    }

    #[test]
    fn an_organisation_applies_by_its_name_code_and_representative() {
        assert_eq!(organisation().check(), []);
        let mut blank = organisation();
        let r = blank.request.as_mut().unwrap();
        r.organisation.clear();
        r.credit_code.clear();
        r.representative.clear();
        assert_eq!(
            fields(&blank.check()),
            [
                Field::Organisation,
                Field::CreditCode,
                Field::Representative
            ]
        );
        // One character copied wrong: the check character no longer fits.
        let mut wrong = organisation();
        wrong.request.as_mut().unwrap().credit_code = "31341800MD00123459".into();
        let errors = wrong.check();
        assert_eq!(fields(&errors), [Field::CreditCode]);
        assert!(
            errors[0].message().contains("校验码"),
            "{}",
            errors[0].message()
        );
        // Typed in lower case with spaces, it is sent as printed on the
        // licence; what was typed for a person is not sent.
        let mut typed = organisation();
        let r = typed.request.as_mut().unwrap();
        r.credit_code = " 313418 00md00123458 ".into();
        r.id_type = Some(IdType::ResidentCard);
        r.id_number = "11010519491231002X".into();
        assert_eq!(typed.check(), []);
        let sent = typed.as_sent();
        let r = sent.request.as_ref().unwrap();
        assert_eq!(r.credit_code, "31341800MD00123458");
        assert_eq!((r.id_type, r.id_number.as_str()), (None, ""));
        assert_eq!(organisation().as_sent(), organisation());
        // And a person's request does not send an organisation's fields.
        let mut person = organisation();
        person.request.as_mut().unwrap().applicant = Applicant::Person;
        person.request.as_mut().unwrap().id_type = Some(IdType::ResidentCard);
        person.request.as_mut().unwrap().id_number = "11010519491231002X".into();
        let r = person.as_sent().request.unwrap();
        assert_eq!(
            (r.organisation, r.credit_code, r.representative),
            Default::default()
        );
    }

    #[test]
    fn the_applicant_travels_on_the_wire() {
        let sent = organisation().to_json();
        assert!(sent.contains("\"applicant\":\"legal-service\""), "{sent}");
        assert_eq!(
            read(&sent),
            Ok(Incoming::Submission(Box::new(organisation())))
        );
        // Requests kept from before, and clients that do not say, are a
        // person's.
        let old = request().to_json().replace("\"applicant\":\"person\",", "");
        assert!(!old.contains("applicant"));
        assert_eq!(read(&old), Ok(Incoming::Submission(Box::new(request()))));
        let unknown = sent.replace("legal-service", "company");
        let Err(ReadError::Fields(errors)) = read(&unknown) else {
            panic!("an unknown applicant read");
        };
        assert_eq!(fields(&errors)[0], Field::Applicant);
        // The server refuses a wrong check character as the form does.
        let wrong = sent.replace("31341800MD00123458", "31341800MD00123459");
        let Err(ReadError::Fields(errors)) = read(&wrong) else {
            panic!("a wrong credit code read");
        };
        assert_eq!(fields(&errors), [Field::CreditCode]);
    }

    #[test]
    fn delivery_needs_its_address() {
        let mut post = request();
        post.request.as_mut().unwrap().delivery = Some(Delivery::Post);
        assert_eq!(fields(&post.check()), [Field::Address]);
        post.address = "安徽省广德县东亭乡东亭村1号".into();
        assert_eq!(post.check(), []);
        let mut email = request();
        email.email.clear();
        assert_eq!(fields(&email.check()), [Field::Email]);
        let mut paper_by_email = request();
        paper_by_email.request.as_mut().unwrap().format = Some(Format::Paper);
        assert_eq!(fields(&paper_by_email.check()), [Field::Delivery]);
        let mut collect = request();
        collect.email.clear();
        collect.request.as_mut().unwrap().delivery = Some(Delivery::Collect);
        assert_eq!(collect.check(), []);
    }

    #[test]
    fn lengths_are_counted_in_characters_after_trimming() {
        let at = |subject: &str| Submission {
            subject: subject.into(),
            ..complaint()
        };
        assert_eq!(fields(&at("路灯坏").check()), [Field::Subject]);
        assert_eq!(
            at("路灯坏").check()[0].message(),
            "标题至少 4 个字，现在 3 个字。"
        );
        assert_eq!(at("  路灯坏了  ").check(), []);
        assert_eq!(at(&"路".repeat(40)).check(), []);
        assert_eq!(
            at(&"路".repeat(41)).check()[0].message(),
            "标题最多 40 个字，现在 41 个字，请删减。"
        );
        let body = |body: String| Submission {
            body,
            ..complaint()
        };
        assert_eq!(fields(&body("太短了".repeat(3)).check()), [Field::Body]);
        assert_eq!(body("字".repeat(10)).check(), []);
        assert_eq!(body("字".repeat(2000)).check(), []);
        assert_eq!(fields(&body("字".repeat(2001)).check()), [Field::Body]);
    }

    #[test]
    fn white_space_around_a_text_counts_against_its_most() {
        // A name of two characters in 60,000 spaces: short once trimmed,
        // but not what a form sends.
        let padded = Submission {
            name: format!("{}张三{}", " ".repeat(30_000), " ".repeat(30_000)),
            body: format!("{}{}", complaint().body, "\r\n".repeat(1_000)),
            ..complaint()
        };
        let errors = padded.check();
        assert_eq!(fields(&errors), [Field::Body, Field::Name]);
        assert_eq!(
            errors[1].message(),
            "姓名前后的空格或空行太多：连同空白共 60002 个字，超过了 30 个字的上限，请删去多余的空白。"
        );
        assert!(errors[0].message().contains("内容前后的空格或空行太多"));
        // Up to the most, white space is trimmed and forgiven.
        let within = Submission {
            subject: format!("  {}  ", "路".repeat(36)),
            ..complaint()
        };
        assert_eq!(within.check(), []);
        let over = Submission {
            subject: format!("  {}  ", "路".repeat(37)),
            ..complaint()
        };
        assert!(over.check()[0].message().contains("前后的空格或空行太多"));
        // Too long once trimmed says so, not the white space.
        let long = Submission {
            subject: format!("  {}  ", "路".repeat(41)),
            ..complaint()
        };
        assert_eq!(
            long.check()[0].message(),
            "标题最多 40 个字，现在 41 个字，请删减。"
        );
    }

    #[test]
    fn what_the_form_sends_is_trimmed_so_white_space_never_stops_it() {
        let pad = |text: &str| format!(" \n\t\u{3000}{text}{}", " ".repeat(5000));
        let mut typed = request();
        typed.subject = pad(&typed.subject);
        typed.body = pad(&typed.body);
        typed.name = pad(&typed.name);
        typed.phone = pad(&typed.phone);
        typed.email = pad(&typed.email);
        typed.address = pad("安徽省广德县东亭乡东亭村1号");
        typed.related_item = pad("11341822003207567E/201612-00012");
        typed.client_key = pad(&typed.client_key);
        let r = typed.request.as_mut().unwrap();
        r.id_number = pad(&r.id_number);
        r.description = pad(&r.description);
        r.document = pad(&r.document);
        assert!(!typed.check().is_empty());
        let sent = typed.as_sent();
        assert_eq!(sent.check(), []);
        assert_eq!(
            sent,
            Submission {
                address: "安徽省广德县东亭乡东亭村1号".into(),
                related_item: "11341822003207567E/201612-00012".into(),
                ..request()
            }
        );
    }

    #[test]
    fn a_resident_card_number_goes_out_with_a_capital_x_however_typed() {
        // A lower-case x once went out as typed: the same number retyped
        // with X after a reload was other content under the same client
        // key, refused (409) and then stored a second time.
        let mut typed = request();
        typed.request.as_mut().unwrap().id_number = " 11010519491231002x ".into();
        assert_eq!(typed.check(), []);
        assert_eq!(typed.as_sent(), request());
        // Other documents are sent as typed.
        let r = typed.request.as_mut().unwrap();
        r.id_type = Some(IdType::Passport);
        r.id_number = "e12345678".into();
        assert_eq!(typed.as_sent().request.unwrap().id_number, "e12345678");
    }

    #[test]
    fn what_may_be_kept_in_the_browser_has_no_id_number() {
        let kept = request().without_id_number();
        assert_eq!(kept.request.as_ref().unwrap().id_number, "");
        assert!(!kept.to_json().contains("11010519491231002X"));
        // Nothing else is lost.
        let mut back = kept.clone();
        back.request.as_mut().unwrap().id_number = "11010519491231002X".into();
        assert_eq!(back, request());
        assert_eq!(complaint().without_id_number(), complaint());
    }

    #[test]
    fn the_related_entry_follows_the_catalogue_rule_for_index_numbers() {
        let about = |item: String| Submission {
            related_item: item,
            ..complaint()
        };
        assert_eq!(about("甲".repeat(100)).check(), []);
        assert_eq!(about("东政〔2016〕12号 #1&2/附件　甲".into()).check(), []);
        let long = about("甲".repeat(101)).check();
        assert_eq!(fields(&long), [Field::RelatedItem]);
        assert_eq!(
            long[0].message(),
            "所针对信息的索引号有 101 个字符，最多 100 个。请点“不针对这条信息”后再提交。"
        );
        let hidden = about("A-1\u{200B}".into()).check();
        assert_eq!(fields(&hidden), [Field::RelatedItem]);
        assert_eq!(
            hidden[0].message(),
            "所针对信息的索引号含有看不见的控制字符（U+200B）。请点“不针对这条信息”后再提交。"
        );
    }

    #[test]
    fn fields_are_found_by_key_and_placed_on_the_form_by_kind() {
        for field in Field::ALL {
            assert_eq!(Field::from_key(field.key()), Some(field));
        }
        assert_eq!(Field::from_key("website"), None);
        assert!(Field::Subject.on_form(Kind::Help));
        assert!(!Field::IdNumber.on_form(Kind::Help));
        assert!(Field::IdNumber.on_form(Kind::DisclosureRequest));
        for kind in Kind::ALL {
            assert!(!Field::RelatedItem.on_form(kind));
            assert!(!Field::ClientKey.on_form(kind));
        }
    }

    #[test]
    fn mobile_and_landline_numbers() {
        for good in [
            "13912345678",
            "139 1234 5678",
            "139-1234-5678",
            "+86 139 1234 5678",
            "8613912345678",
            "１３９１２３４５６７８",
            "0563-6012345",
            "(0563)6012345",
            "（0563）60123456",
            "010-12345678",
            "0563-6012345转801",
            "0563-6012345#801",
        ] {
            assert!(phone_number(good).is_some(), "{good}");
        }
        for bad in [
            "",
            "12345678901",
            "1391234567",
            "139123456789",
            "6012345",
            "0563-601",
            "00563-6012345",
            "13912345678转1",
            "139l2345678",
            "电话13912345678",
        ] {
            assert!(phone_number(bad).is_none(), "{bad}");
        }
        assert_eq!(
            phone_number("+86 139-1234-5678").as_deref(),
            Some("13912345678")
        );
        assert_eq!(
            phone_number("(0563) 601 2345 转 801").as_deref(),
            Some("05636012345转801")
        );
        // Hong Kong, Macao, Taiwan and abroad, in E.164 form.
        for (typed, kept) in [
            ("+852 9123 4567", "+85291234567"),
            ("+853 6612 3456", "+85366123456"),
            ("+886 912 345 678", "+886912345678"),
            ("+1 (202) 555-0123", "+12025550123"),
            ("＋４４ ２０ ７９４６ ００１８", "+442079460018"),
        ] {
            assert_eq!(phone_number(typed).as_deref(), Some(kept), "{typed}");
        }
        for bad in [
            "+0852 91234567",
            "+0 123 4567 89",
            "+852 9123",
            "+1234567890123456",
            "+852 9123 4567 转 8",
            "+852-abc-4567",
        ] {
            assert!(phone_number(bad).is_none(), "{bad}");
        }
        // +86 is the mainland's: its numbers are checked as such, typed
        // with a full-width plus too, a landline as dialled from abroad.
        assert!(phone_number("+86 12345678").is_none());
        for (typed, kept) in [
            ("＋86 139 1234 5678", "13912345678"),
            ("+86 563 6012345", "05636012345"),
            ("+86 (0)563 6012345", "05636012345"),
            ("+86-0563-6012345", "05636012345"),
            ("+44 (0)20 7946 0018", "+442079460018"),
            ("+44 （0）20 7946 0018", "+442079460018"),
            ("8613912345678", "13912345678"),
        ] {
            assert_eq!(phone_number(typed).as_deref(), Some(kept), "{typed}");
        }
        // Beijing's area code starts with 1; spaces from a Chinese input
        // method, a word processor's dashes, an extension after a dash.
        for (typed, kept) in [
            ("+86 10 6512 3456", "01065123456"),
            ("+86 (0) 10 65123456", "01065123456"),
            ("139　1234　5678", "13912345678"),
            ("0563–6012345", "05636012345"),
            ("0563－6012345", "05636012345"),
            ("0563‐6012345", "05636012345"),
            ("0563-6012345-801", "05636012345转801"),
            ("+852–9123–4567", "+85291234567"),
        ] {
            assert_eq!(phone_number(typed).as_deref(), Some(kept), "{typed}");
        }
        for bad in [
            "+86 400 123 4567",
            "+86 800 123 4567",
            "139-1234-5678-1",
            "0563-6012345-1234567",
        ] {
            assert!(phone_number(bad).is_none(), "{bad}");
        }
        // Without the plus, 86 before a landline is not a country code.
        assert!(phone_number("865636012345").is_none());
        let bad = Submission {
            phone: "123".into(),
            ..complaint()
        };
        assert_eq!(fields(&bad.check()), [Field::Phone]);
    }

    #[test]
    fn any_one_way_to_reach_the_author_is_enough() {
        let none = Submission {
            phone: String::new(),
            ..complaint()
        };
        let errors = none.check();
        assert_eq!(fields(&errors), [Field::Phone]);
        assert!(errors[0].message().contains("至少填写一种联系方式"));
        assert!(none.required(Field::Phone));
        for (email, address) in [("zhang@example.com", ""), ("", "香港九龙弥敦道 100 号")] {
            let one = Submission {
                phone: String::new(),
                email: email.into(),
                address: address.into(),
                ..complaint()
            };
            assert!(
                one.check().is_empty(),
                "{email}{address}: {:?}",
                one.check()
            );
            assert!(!one.required(Field::Phone));
        }
        // A Hong Kong applicant by telephone.
        let hong_kong = Submission {
            phone: "+852 9123 4567".into(),
            ..request()
        };
        assert!(hong_kong.check().is_empty(), "{:?}", hong_kong.check());
    }

    #[test]
    fn email_addresses() {
        for good in [
            "a@b.cn",
            "zhang.san+xxgk@mail.example.com",
            "x_y@gov-ah.gov.cn",
        ] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "",
            "a",
            "a@b",
            "a@b.c",
            "@b.cn",
            "a@.cn",
            "a@b..cn",
            ".a@b.cn",
            "a..b@c.cn",
            "a b@c.cn",
            "张三@b.cn",
            "a@b.cn@c.cn",
            "a@-b.cn",
            "a@b.1n",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn resident_card_check_digit() {
        // A number published in GB 11643-1999 as an example.
        assert_eq!(check_resident_card("11010519491231002X"), Ok(()));
        assert_eq!(check_resident_card("11010519491231002x"), Ok(()));
        // Any area, a real birth date, any sequence: valid with its check
        // character, and only with it.
        let first17 = "34252219800229123";
        let check = super::resident_card_check_digit(first17).unwrap();
        assert_eq!(check_resident_card(&format!("{first17}{check}")), Ok(()));
        let others = "0123456789X".chars().filter(|&c| c != check);
        assert!(others
            .into_iter()
            .all(|c| check_resident_card(&format!("{first17}{c}")).is_err()));
        assert_eq!(
            super::resident_card_check_digit("11010519491231002"),
            Some('X')
        );
        // Every other last character is refused.
        for last in "0123456789".chars() {
            let wrong = format!("11010519491231002{last}");
            assert_eq!(check_resident_card(&wrong), Err(IdProblem::CardCheck));
        }
        // One digit typed wrong is caught by the check digit.
        assert!(check_resident_card("11010519491231003X").is_err());
        assert!(check_resident_card("11010519491231002").is_err());
        assert!(check_resident_card("1101051949123100２X").is_err());
        assert!(check_resident_card("110105194913310024").is_err());
        assert_eq!(
            check_resident_card("110105194902300020"),
            Err(IdProblem::CardBirth)
        );
        let mut wrong = request();
        wrong.request.as_mut().unwrap().id_number = "110105194912310020".into();
        assert_eq!(fields(&wrong.check()), [Field::IdNumber]);
        let mut passport = request();
        let r = passport.request.as_mut().unwrap();
        r.id_type = Some(IdType::Passport);
        r.id_number = "E12345678".into();
        assert_eq!(passport.check(), []);
        passport.request.as_mut().unwrap().id_number = "E1".into();
        assert_eq!(fields(&passport.check()), [Field::IdNumber]);
    }

    #[test]
    fn control_characters_and_direction_overrides_are_refused() {
        for sneaky in [
            '\u{0}', '\u{7}', '\u{1B}', '\u{85}', '\u{202E}', '\u{202D}', '\u{2066}', '\u{200F}',
            '\u{200B}', '\u{FEFF}',
        ] {
            let s = Submission {
                subject: format!("路灯{sneaky}坏了很久"),
                ..complaint()
            };
            let errors = s.check();
            assert_eq!(fields(&errors), [Field::Subject], "{sneaky:?}");
            assert!(errors[0].message().contains("控制字符"));
        }
        // Line breaks are text in the body, not in the subject or name.
        let lines = Submission {
            body: "第一行。\r\n第二行：路灯坏了。\n\t第三行。".into(),
            ..complaint()
        };
        assert_eq!(lines.check(), []);
        let subject = Submission {
            subject: "路灯\n坏了很久".into(),
            ..complaint()
        };
        assert_eq!(fields(&subject.check()), [Field::Subject]);
    }

    #[test]
    fn the_client_key_is_required_and_plain() {
        let none = Submission {
            client_key: String::new(),
            ..complaint()
        };
        assert_eq!(fields(&none.check()), [Field::ClientKey]);
        let odd = Submission {
            client_key: "键键键键键键键键".into(),
            ..complaint()
        };
        assert_eq!(fields(&odd.check()), [Field::ClientKey]);
    }

    #[test]
    fn codes_read_back() {
        for kind in Kind::ALL {
            assert_eq!(Kind::from_code(kind.code()), Some(kind));
        }
        for id in IdType::ALL {
            assert_eq!(IdType::from_code(id.code()), Some(id));
        }
        assert_eq!(Kind::from_code("Complaint"), None);
        assert_eq!(Format::from_code("paper"), Some(Format::Paper));
        assert_eq!(Delivery::from_code("collect"), Some(Delivery::Collect));
    }

    #[test]
    fn a_submission_reads_back_as_sent() {
        for sent in [complaint(), request()] {
            let mut tricky = sent.clone();
            tricky.body = "第一行 \"引号\" \\ 反斜杠\n第二行\u{2028}。".into();
            for s in [sent, tricky] {
                assert_eq!(
                    read(&s.to_json()),
                    Ok(Incoming::Submission(Box::new(s.clone())))
                );
                // The widget's JSON is JSON to everyone.
                let value: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
                assert_eq!(value["leave_blank"], "");
            }
        }
    }

    #[test]
    fn a_filled_trap_marks_a_valid_submission_suspected_and_changes_no_rule() {
        // An invalid body is refused with its reasons, trap or not.
        assert!(matches!(
            read(r#"{"leave_blank":"http://spam.example"}"#),
            Err(ReadError::Fields(_))
        ));
        let filled = complaint()
            .to_json()
            .replace(r#""leave_blank":"""#, r#""leave_blank":"x""#);
        assert_eq!(
            read(&filled),
            Ok(Incoming::Suspected(Box::new(complaint())))
        );
        // The key of earlier forms counts too.
        let old = complaint()
            .to_json()
            .replace(r#""leave_blank":"""#, r#""website":"http://x.example""#);
        assert_eq!(read(&old), Ok(Incoming::Suspected(Box::new(complaint()))));
        assert_eq!(
            read(
                &complaint()
                    .to_json()
                    .replace(r#""leave_blank":"""#, r#""leave_blank":null"#)
            ),
            Ok(Incoming::Submission(Box::new(complaint())))
        );
    }

    #[test]
    fn bodies_that_are_not_submissions_say_why() {
        assert!(matches!(read("not json"), Err(ReadError::NotJson(_))));
        assert!(matches!(read(""), Err(ReadError::NotJson(_))));
        assert_eq!(read("[1,2]"), Err(ReadError::NotObject));
        assert_eq!(read("\"text\""), Err(ReadError::NotObject));
        let Err(ReadError::Fields(errors)) = read("{}") else {
            panic!("an empty object is not a submission")
        };
        assert_eq!(fields(&errors), [Field::Kind]);
        let Err(ReadError::Fields(errors)) = read(r#"{"kind":"complaint"}"#) else {
            panic!()
        };
        assert_eq!(
            fields(&errors),
            [
                Field::Subject,
                Field::Body,
                Field::Name,
                Field::Phone,
                Field::ClientKey
            ]
        );
        let wrong_types = complaint()
            .to_json()
            .replace(r#""subject":"村道路灯损坏无人修""#, r#""subject":12"#)
            .replace(r#""phone":"13912345678""#, r#""phone":["1"]"#);
        let Err(ReadError::Fields(errors)) = read(&wrong_types) else {
            panic!()
        };
        assert_eq!(fields(&errors), [Field::Subject, Field::Phone]);
        assert_eq!(errors[0].message(), "标题应为文字。");
        let unknown = request()
            .to_json()
            .replace(r#""format":"electronic""#, r#""format":"fax""#);
        let Err(ReadError::Fields(errors)) = read(&unknown) else {
            panic!()
        };
        assert_eq!(fields(&errors), [Field::Format]);
        let Err(ReadError::Fields(errors)) = read(r#"{"kind":"petition"}"#) else {
            panic!()
        };
        assert_eq!(
            errors[0].message(),
            "类型不是可选的一项，请从给出的选项中选择。"
        );
    }

    #[test]
    fn a_kept_submission_reads_back_even_if_the_rules_would_now_refuse_it() {
        let mut old = complaint();
        old.subject = "短".into();
        let text = old.to_json();
        assert!(matches!(read(&text), Err(ReadError::Fields(_))));
        assert_eq!(read_kept(&text), Ok(Incoming::Submission(Box::new(old))));
    }

    proptest::proptest! {
        /// Whatever arrives, reading answers without panicking, and what it
        /// accepts meets every rule: mutations of a valid body (a byte
        /// replaced, a piece cut out) and random text.
        #[test]
        fn reading_never_panics_and_accepts_only_valid_submissions(
            at in 0usize..2000,
            byte in proptest::prelude::any::<u8>(),
            cut in 0usize..40,
            noise in ".{0,200}",
        ) {
            let valid = request().to_json().into_bytes();
            let at = at % valid.len();
            let mut replaced = valid.clone();
            replaced[at] = byte;
            let mut shortened = valid.clone();
            shortened.drain(at..(at + cut).min(valid.len()));
            for bytes in [replaced, shortened, noise.into_bytes()] {
                let text = String::from_utf8_lossy(&bytes);
                if let Ok(Incoming::Submission(s)) = read(&text) {
                    proptest::prop_assert_eq!(s.check(), vec![]);
                }
            }
        }
    }
}
