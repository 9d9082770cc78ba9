//! Staff accounts at the command line (`xxgk-server staff …`), and who a
//! staff command acts as (`--as NAME`).
//!
//! Once a database has accounts, every staff command names the account it
//! acts as, and that account's roles are checked as the console checks
//! them; the step is recorded under its name and written to the audit
//! log. A database without accounts is worked on as before, by the
//! server's operator, until the first administrator is made.
//!
//! Whoever can run commands on the server can also read the database
//! file: `--as` is the office's rule, not a lock. The console is the
//! place where roles protect personal data.

use crate::console::admin::Change;
use crate::console::auth;
use crate::console::roles::{Duty, Role, Roles};
use crate::store::{Audit, Store};
use crate::terminal::printable;
use clap::Subcommand;
use std::collections::HashSet;
use std::io::BufRead;

/// What to do with staff accounts.
#[derive(Subcommand, Debug)]
pub enum StaffCommand {
    /// Make an account. Its password is read from standard input with
    /// --password-stdin, or made up and printed once.
    Add {
        /// The name staff log in with (王芳, wangfang).
        name: String,
        /// Its roles, comma-separated: intake 受理, handler 承办, reviewer
        /// 审核, admin 管理员 (the first account must be an administrator).
        #[arg(long, value_name = "ROLES")]
        role: String,
        /// The office or village a handler (承办) answers for.
        #[arg(long, value_name = "NAME", default_value = "")]
        unit: String,
        /// The sites it works for, comma-separated site codes (a county's
        /// takes in its townships); none: every site.
        #[arg(long, value_name = "CODES", default_value = "")]
        site: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set the sites an account works for (ending its sessions).
    Sites {
        /// The account.
        name: String,
        /// Comma-separated site codes; "" for every site.
        #[arg(long, value_name = "CODES")]
        site: String,
    },
    /// Disable an account: it can no longer log in, and its sessions end.
    Disable {
        /// The account.
        name: String,
    },
    /// Enable a disabled account again.
    Enable {
        /// The account.
        name: String,
    },
    /// Set an account's password (ending its sessions): from standard
    /// input with --password-stdin, or made up and printed once.
    Passwd {
        /// The account.
        name: String,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Change an account's roles and unit.
    Roles {
        /// The account.
        name: String,
        /// Its roles, comma-separated (intake, handler, reviewer, admin).
        #[arg(long, value_name = "ROLES")]
        role: String,
        /// The office or village a handler answers for.
        #[arg(long, value_name = "NAME", default_value = "")]
        unit: String,
    },
    /// Turn on the second factor (one-time codes from an authenticator
    /// app) for an account, printing the secret to enter in the app; or
    /// turn it off with --off.
    Totp {
        /// The account.
        name: String,
        /// Turn it off.
        #[arg(long)]
        off: bool,
    },
    /// List the accounts.
    List,
    /// Purge the personal data of cases answered longer ago than the
    /// retention setting (the console's 设置 page), now; the server also
    /// does it daily.
    Purge,
}

/// Who a staff command acts as, resolved against the database.
#[derive(Clone, Debug)]
pub struct Acting {
    /// The name the history and audit log show.
    pub label: String,
    /// The account's roles (every role for the operator of a database
    /// without accounts).
    pub roles: Roles,
    /// The account's unit.
    pub unit: String,
    /// The sites it works for, with the sites under them; `None`: every
    /// site.
    pub sites: Option<Vec<String>>,
    /// Whether it is a named account (and so audited).
    named: bool,
}

impl Acting {
    /// Checks that this account may do `duty` on a case assigned to
    /// `unit`; the refusal, logged, if not.
    pub fn may(
        &self,
        store: &mut Store,
        duty: Duty,
        unit: &str,
        code: &str,
        what: &str,
    ) -> Result<(), String> {
        if duty == Duty::Administer && self.sites.is_some() {
            self.log(store, "refused", code, what)?;
            return Err(format!(
                "{} 只负责部分站点，不能{what}：账号、站点和设置由负责全部站点的管理员办理",
                self.label
            ));
        }
        if self.roles.may_in(duty, &self.unit, unit) {
            return Ok(());
        }
        self.log(store, "refused", code, what)?;
        Err(format!(
            "{} 没有权限{what}：需要{}角色",
            self.label,
            duty.roles()
        ))
    }

    /// The cases this account may list: `None` for every one; for a
    /// handler alone, the codes of those assigned to its unit.
    pub fn listed(&self, store: &Store) -> Result<Option<HashSet<String>>, String> {
        if let Some(sites) = &self.sites {
            // Those of its sites, and of its unit if a handler alone.
            let mut codes = HashSet::new();
            if self.roles.may(Duty::SeeCase, true) {
                let only_unit = !self.roles.may(Duty::SeeCase, false);
                for sheet in store.sheets(None).map_err(|e| e.to_string())? {
                    if sites.contains(&sheet.site) && (!only_unit || sheet.unit == self.unit) {
                        codes.insert(sheet.record.public.code);
                    }
                }
            }
            return Ok(Some(codes));
        }
        if self.roles.may(Duty::SeeCase, false) {
            return Ok(None);
        }
        if !self.roles.may(Duty::SeeCase, true) {
            // No case at all: an administrator, whatever unit it names.
            return Ok(Some(HashSet::new()));
        }
        let codes = store.assigned_to(&self.unit).map_err(|e| e.to_string())?;
        Ok(Some(codes.into_iter().collect()))
    }

    /// Checks that this account may do `duty` on the case `code`, as it is
    /// assigned; the refusal, logged, if not.
    pub fn may_on(
        &self,
        store: &mut Store,
        duty: Duty,
        code: &str,
        what: &str,
    ) -> Result<(), String> {
        let code = crate::store::normalise_code(code);
        let unit = store
            .unit_of(&code)
            .map_err(|e| e.to_string())?
            .unwrap_or_default();
        if let Some(sites) = &self.sites {
            let site = store.site_of(&code).map_err(|e| e.to_string())?;
            if site.is_some_and(|site| !sites.contains(&site)) {
                self.log(store, "refused", &code, what)?;
                return Err(format!(
                    "{} 没有权限{what}：这个案件不属于它负责的站点",
                    self.label
                ));
            }
        }
        self.may(store, duty, &unit, &code, what)
    }

    /// Appends a row to the audit log for a named account.
    pub fn log(
        &self,
        store: &mut Store,
        action: &str,
        code: &str,
        detail: &str,
    ) -> Result<(), String> {
        if !self.named {
            return Ok(());
        }
        store
            .audit(
                &Audit {
                    actor: &self.label,
                    address: &terminal_address(),
                    action,
                    code,
                    detail,
                },
                crate::store::now(),
            )
            .map_err(|e| format!("cannot write the audit log: {e}"))
    }
}

/// Where a command-line action comes from, for the audit log.
fn terminal_address() -> String {
    crate::cases::actor()
}

/// The account a staff command acts as: `as_name`, required once the
/// database has accounts.
pub fn acting(store: &Store, as_name: Option<&str>) -> Result<Acting, String> {
    let count = store.staff_count().map_err(|e| e.to_string())?;
    match (count, as_name) {
        (0, None) => Ok(Acting {
            label: crate::cases::actor(),
            roles: Roles::all(),
            unit: String::new(),
            sites: None,
            named: false,
        }),
        (0, Some(_)) => Err(
            "这个数据库还没有工作人员账号：先用 staff add 姓名 --role admin 建第一个管理员".into(),
        ),
        (_, None) => Err(
            "这个数据库已有工作人员账号：请用 --as 账号名 说明由谁办理（例如 --as 王芳）".into(),
        ),
        (_, Some(name)) => {
            let account = store
                .account(name.trim())
                .map_err(|e| e.to_string())?
                .filter(|a| !a.disabled)
                .ok_or_else(|| {
                    format!("没有在用的账号 {}（staff list 列出账号）", printable(name))
                })?;
            let sites = scope(store, &account.sites).map_err(|e| e.to_string())?;
            Ok(Acting {
                label: format!("{}（命令行）", account.name),
                roles: account.roles,
                unit: account.unit,
                sites,
                named: true,
            })
        }
    }
}

/// The sites an account with `sites` works for, with every site under
/// them; `None` for an account of every site.
pub fn scope(store: &Store, sites: &[String]) -> crate::store::Result<Option<Vec<String>>> {
    if sites.is_empty() {
        return Ok(None);
    }
    Ok(Some(store.sites()?.under(sites.iter().map(String::as_str))))
}

/// Reads site codes, comma-separated, each a site of `known`, each
/// once; the first code that is not a site's, if one is not.
pub fn site_codes(known: &crate::store::Sites, text: &str) -> Result<Vec<String>, String> {
    let mut sites = Vec::new();
    for code in text
        .split([',', '，', '、'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        if known.get(code).is_none() {
            return Err(code.to_owned());
        }
        if !sites.iter().any(|s| s == code) {
            sites.push(code.to_owned());
        }
    }
    Ok(sites)
}

/// Reads `--site`: site codes, comma-separated, each a site of `store`.
fn sites_of(store: &Store, text: &str) -> Result<Vec<String>, String> {
    let known = store.sites().map_err(|e| e.to_string())?;
    site_codes(&known, text).map_err(|code| {
        format!(
            "--site：没有站点 {}（site list 列出站点）",
            printable(&code)
        )
    })
}

/// Runs a `staff` command.
pub fn run(
    command: StaffCommand,
    db: &crate::store::Location,
    as_name: Option<&str>,
) -> Result<(), String> {
    let mut store = match &command {
        // The first administrator may make the database.
        StaffCommand::Add { .. } if db.file().is_some_and(|f| !f.exists()) => {
            Store::open(db).map_err(|e| format!("cannot open {db}: {e}"))?
        }
        _ => crate::cli::open(db)?,
    };
    let first = store.staff_count().map_err(|e| e.to_string())? == 0;
    let who = acting(&store, as_name)?;
    if !first && !matches!(command, StaffCommand::List) {
        who.may(&mut store, Duty::Administer, "", "", "管理账号")?;
    }
    let roles_of = |text: &str| -> Result<Roles, String> {
        Roles::parse(text).map_err(|bad| {
            format!("--role：没有“{}”这个角色；可选 intake（受理）、handler（承办）、reviewer（审核）、admin（管理员）", printable(&bad))
        })
    };
    // The first account is made by the operator (`who` before there are
    // accounts), and logged as such.
    let address = terminal_address();
    let by = (who.label.as_str(), address.as_str());
    let change = |store: &mut Store, name: &str, change: &Change| {
        crate::console::admin::apply_change(store, name, change, by)
    };
    match command {
        StaffCommand::Add {
            name,
            role,
            unit,
            site,
            password_stdin,
        } => {
            // The name, roles and sites are checked before a password is
            // read.
            crate::console::admin::check_name(&name)?;
            let roles = roles_of(&role)?;
            let sites = sites_of(&store, &site)?;
            if first && !sites.is_empty() {
                return Err("第一个账号是负责全部站点的管理员：不要给 --site".into());
            }
            crate::console::admin::handler_unit(roles, &unit)?;
            if first && !roles.has(Role::Admin) {
                return Err(
                    "第一个账号应是管理员：--role admin（可同时有其他角色，如 admin,reviewer）"
                        .into(),
                );
            }
            let (password, shown) = password(name.trim(), password_stdin)?;
            let add = Change::Add {
                roles,
                unit,
                sites,
                password: password.clone(),
            };
            change(&mut store, &name, &add)?;
            println!("已新建账号 {}（{roles}）", printable(name.trim()));
            if shown {
                println!("初始密码（只显示这一次）：{password}");
            }
        }
        StaffCommand::Sites { name, site } => {
            let sites = sites_of(&store, &site)?;
            change(&mut store, &name, &Change::Sites(sites.clone()))?;
            if sites.is_empty() {
                println!("{} 负责全部站点", printable(&name));
            } else {
                println!("{} 负责的站点：{}", printable(&name), sites.join(","));
            }
        }
        StaffCommand::Disable { name } => {
            change(&mut store, &name, &Change::Disable)?;
            println!("已停用账号 {}", printable(&name));
        }
        StaffCommand::Enable { name } => {
            change(&mut store, &name, &Change::Enable)?;
            println!("已启用账号 {}", printable(&name));
        }
        StaffCommand::Passwd {
            name,
            password_stdin,
        } => {
            let (password, shown) = password(name.trim(), password_stdin)?;
            change(&mut store, &name, &Change::Password(password.clone()))?;
            println!("已修改 {} 的密码", printable(&name));
            if shown {
                println!("新密码（只显示这一次）：{password}");
            }
        }
        StaffCommand::Roles { name, role, unit } => {
            let roles = roles_of(&role)?;
            change(&mut store, &name, &Change::Roles { roles, unit })?;
            println!("{} 的角色已改为 {roles}", printable(&name));
        }
        StaffCommand::Totp { name, off } => {
            let sql = |e: crate::store::Error| e.to_string();
            let secret = (!off).then(crate::console::totp::new_secret);
            let changed = store
                .set_totp(&name, secret.as_deref(), crate::store::now())
                .map_err(sql)?;
            if !changed {
                return Err(format!(
                    "没有名为 {} 的账号（staff list 列出账号）",
                    printable(&name)
                ));
            }
            match &secret {
                None => println!("已关闭 {} 的双重验证", printable(&name)),
                Some(secret) => {
                    println!(
                        "已为 {} 开启双重验证。请在手机的身份验证器应用里添加：",
                        printable(&name)
                    );
                    println!("  密钥：{secret}");
                    println!("  或地址：{}", crate::console::totp::uri(&name, secret));
                    println!("之后登录时除密码外还要填应用显示的 6 位动态码。");
                }
            }
            let detail = format!("{name}：{}", if off { "关闭" } else { "开启" });
            store
                .audit(
                    &Audit {
                        actor: by.0,
                        address: by.1,
                        action: "staff_totp",
                        code: "",
                        detail: &detail,
                    },
                    crate::store::now(),
                )
                .map_err(sql)?;
        }
        StaffCommand::List => {
            for a in store.accounts().map_err(|e| e.to_string())? {
                println!(
                    "{}  {}  {}  {}{}{}",
                    printable(&a.name),
                    a.roles,
                    printable(&a.unit),
                    crate::console::admin::scope_codes(&a.sites),
                    if a.totp.is_some() {
                        "  [双重验证]"
                    } else {
                        ""
                    },
                    if a.disabled { "  [已停用]" } else { "" }
                );
            }
        }
        StaffCommand::Purge => {
            let done = crate::console::admin::purge(&mut store, &who.label, by.1)
                .map_err(|e| e.to_string())?;
            println!("{done}");
        }
    }
    Ok(())
}

/// The password for `name`: the first line of standard input, checked,
/// or a new one made up (and then to be shown).
fn password(name: &str, from_stdin: bool) -> Result<(String, bool), String> {
    if !from_stdin {
        return Ok((auth::generated_password(), true));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if let Some(why) = auth::weak_password(name, &password) {
        return Err(why);
    }
    Ok((password, false))
}
