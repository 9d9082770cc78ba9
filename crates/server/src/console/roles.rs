//! Who may do what: the four roles of a disclosure office and the duty
//! each action needs. The server checks [`Roles::may`] for every action,
//! from the console and from the command line alike; the console only
//! hides what a role may not do as a courtesy.

use std::fmt;

/// A role in the office.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// 受理: registers requests, confirms, asks for clarification, assigns.
    Intake,
    /// 承办: drafts answers for the cases assigned to their office or
    /// village.
    Handler,
    /// 审核: approves decisions and what is published.
    Reviewer,
    /// 管理员: accounts, settings, the audit log.
    Admin,
}

impl Role {
    /// Every role, in the order they are shown.
    pub const ALL: [Role; 4] = [Role::Intake, Role::Handler, Role::Reviewer, Role::Admin];

    /// Its code on the command line and in the database.
    pub fn code(self) -> &'static str {
        match self {
            Role::Intake => "intake",
            Role::Handler => "handler",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
        }
    }

    /// Its name in Chinese.
    pub fn label(self) -> &'static str {
        match self {
            Role::Intake => "受理",
            Role::Handler => "承办",
            Role::Reviewer => "审核",
            Role::Admin => "管理员",
        }
    }

    /// The role named by its code or its Chinese name.
    pub fn from_name(name: &str) -> Option<Role> {
        let name = name.trim();
        Role::ALL
            .into_iter()
            .find(|r| r.code().eq_ignore_ascii_case(name) || r.label() == name)
    }

    fn bit(self) -> u8 {
        1 << self as u8
    }
}

/// The roles an account holds (a township clerk often holds several).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Roles(u8);

impl Roles {
    /// Every role: the server's operator at the command line of a
    /// database without accounts.
    pub fn all() -> Roles {
        Role::ALL.into_iter().collect()
    }

    /// Whether `role` is among them.
    pub fn has(self, role: Role) -> bool {
        self.0 & role.bit() != 0
    }

    /// Whether there is none.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The roles held, in order.
    pub fn iter(self) -> impl Iterator<Item = Role> {
        Role::ALL.into_iter().filter(move |r| self.has(*r))
    }

    /// Their codes, comma-separated, as stored.
    pub fn codes(self) -> String {
        self.iter().map(Role::code).collect::<Vec<_>>().join(",")
    }

    /// Roles from codes or Chinese names separated by commas (`受理,审核`,
    /// `intake，reviewer`); the name that is not a role if one is not.
    pub fn parse(text: &str) -> Result<Roles, String> {
        let mut roles = Roles::default();
        for name in text
            .split([',', '，', '、'])
            .filter(|n| !n.trim().is_empty())
        {
            roles.0 |= Role::from_name(name)
                .ok_or_else(|| name.trim().to_owned())?
                .bit();
        }
        Ok(roles)
    }

    /// Whether an account with these roles, of the office or village
    /// `own` (empty for none), may do what `duty` asks on a case assigned
    /// to `case` (empty for none).
    pub fn may_in(self, duty: Duty, own: &str, case: &str) -> bool {
        self.may(duty, !case.is_empty() && case == own)
    }

    /// Whether these roles may do what `duty` asks; `assigned` says whether
    /// the case is assigned to the account's own office or village.
    pub fn may(self, duty: Duty, assigned: bool) -> bool {
        use Role::*;
        let any = |roles: &[Role]| roles.iter().any(|r| self.has(*r));
        match duty {
            Duty::SeeCase => any(&[Intake, Reviewer]) || (self.has(Handler) && assigned),
            Duty::SeePersonal => any(&[Intake, Reviewer]) || (self.has(Handler) && assigned),
            Duty::Register => any(&[Intake]),
            Duty::Progress => any(&[Intake]) || (self.has(Handler) && assigned),
            Duty::Draft => any(&[Reviewer]) || (self.has(Handler) && assigned),
            Duty::Decide | Duty::Publish | Duty::Correct | Duty::Export => any(&[Reviewer]),
            Duty::RecordReview => any(&[Intake, Reviewer]),
            Duty::Report => !self.is_empty(),
            Duty::Administer => any(&[Admin]),
        }
    }
}

impl FromIterator<Role> for Roles {
    fn from_iter<I: IntoIterator<Item = Role>>(iter: I) -> Roles {
        Roles(iter.into_iter().fold(0, |bits, r| bits | r.bit()))
    }
}

impl fmt::Display for Roles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let labels: Vec<&str> = self.iter().map(Role::label).collect();
        f.write_str(&labels.join("、"))
    }
}

/// What an action asks of the one who takes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Duty {
    /// See a case: the list and the case page.
    SeeCase,
    /// See a case's identity number, phone, email and address in full.
    SeePersonal,
    /// Register and confirm a request, ask for clarification, note the
    /// clarification, assign a case, restore a suspected one.
    Register,
    /// Extend the time, ask a third party and note its answer.
    Progress,
    /// Draft an answer, private and public, for review.
    Draft,
    /// Decide a request, answer or decline a message, return a draft.
    Decide,
    /// Approve or withdraw what is published.
    Publish,
    /// Take back a step recorded by mistake.
    Correct,
    /// Record a reconsideration or lawsuit and its result.
    RecordReview,
    /// Export every record with its personal data.
    Export,
    /// Read the statistics and the annual report.
    Report,
    /// Accounts, settings, the audit log.
    Administer,
}

impl Duty {
    /// What the duty is, for a refusal: "…需要 审核 角色".
    pub fn roles(self) -> &'static str {
        match self {
            Duty::SeeCase | Duty::SeePersonal => "受理、审核，或案件转办到本单位的承办",
            Duty::Register => "受理",
            Duty::Progress => "受理，或案件转办到本单位的承办",
            Duty::Draft => "审核，或案件转办到本单位的承办",
            Duty::Decide | Duty::Publish | Duty::Correct | Duty::Export => "审核",
            Duty::RecordReview => "受理或审核",
            Duty::Report => "任一",
            Duty::Administer => "管理员",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_read_from_codes_and_chinese_names_alike() {
        let roles = Roles::parse("受理，reviewer").unwrap();
        assert!(roles.has(Role::Intake) && roles.has(Role::Reviewer));
        assert!(!roles.has(Role::Handler) && !roles.has(Role::Admin));
        assert_eq!(roles.codes(), "intake,reviewer");
        assert_eq!(roles.to_string(), "受理、审核");
        assert_eq!(Roles::parse("审核,局长"), Err("局长".to_owned()));
        assert!(Roles::parse(" , ").unwrap().is_empty());
    }

    #[test]
    fn a_handler_sees_and_drafts_only_what_is_assigned_to_their_unit() {
        let handler = Roles::parse("承办").unwrap();
        for duty in [
            Duty::SeeCase,
            Duty::SeePersonal,
            Duty::Draft,
            Duty::Progress,
        ] {
            assert!(handler.may(duty, true), "{duty:?}");
            assert!(!handler.may(duty, false), "{duty:?}");
        }
        for duty in [Duty::Decide, Duty::Publish, Duty::Register, Duty::Export] {
            assert!(!handler.may(duty, true), "{duty:?}");
        }
    }

    #[test]
    fn an_administrator_manages_accounts_but_sees_no_personal_data() {
        let admin = Roles::parse("管理员").unwrap();
        assert!(admin.may(Duty::Administer, false));
        assert!(admin.may(Duty::Report, false));
        for duty in [Duty::SeeCase, Duty::SeePersonal, Duty::Decide, Duty::Export] {
            assert!(!admin.may(duty, true), "{duty:?}");
        }
    }

    #[test]
    fn only_a_reviewer_decides_publishes_and_exports() {
        let all_but = Roles::parse("受理,承办,管理员").unwrap();
        let reviewer = Roles::parse("审核").unwrap();
        for duty in [Duty::Decide, Duty::Publish, Duty::Correct, Duty::Export] {
            assert!(!all_but.may(duty, true), "{duty:?}");
            assert!(reviewer.may(duty, false), "{duty:?}");
        }
        assert!(!Roles::default().may(Duty::Report, true));
    }
}
