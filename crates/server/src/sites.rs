//! `xxgk-server site`: the sites a receiver serves (store/sites.rs), added,
//! changed and listed by a platform's operator. Receivers that are
//! running take a new or changed site within [`crate::api::SITES_FRESH`].

use crate::origin::Origin;
use crate::store::{Site, Store};
use crate::terminal::printable;

/// A `site` command.
#[derive(clap::Subcommand, Debug)]
pub enum SiteCommand {
    /// Add a site: a township, a county department or a county, whose
    /// pages name it with data-site.
    Add {
        /// Its code: 1 to 32 lower-case letters, digits and -, like
        /// dongting.
        code: String,
        /// Its name, like 东亭乡人民政府.
        #[arg(long)]
        name: String,
        /// An origin its pages come from (https://www.example.gov.cn);
        /// give it once per origin.
        #[arg(long = "allow-origin", value_name = "ORIGIN")]
        origins: Vec<String>,
        /// The code of the site it belongs to (a township's county): the
        /// county's figures and staff take it in.
        #[arg(long, value_name = "CODE", default_value = "")]
        parent: String,
        /// Working days within which its messages are answered, if not
        /// the receiver's (--reply-days of serve).
        #[arg(long, value_name = "DAYS")]
        reply_days: Option<u32>,
        /// A holiday calendar file (docs/calendar.md) of the site's own
        /// days off and days worked, added to the receiver's and its
        /// county's for its cases and those of the sites under it.
        #[arg(long, value_name = "FILE")]
        calendar: Option<std::path::PathBuf>,
    },
    /// Change a site: only what is given changes; --allow-origin replaces
    /// the site's origins with the ones given.
    Set {
        /// The site's code.
        code: String,
        /// Its new name.
        #[arg(long)]
        name: Option<String>,
        /// The origins its pages come from, replacing the ones it had.
        #[arg(long = "allow-origin", value_name = "ORIGIN")]
        origins: Vec<String>,
        /// Remove every origin (its pages can no longer send anything).
        #[arg(long, conflicts_with = "origins")]
        no_origins: bool,
        /// The site it belongs to; "" for none.
        #[arg(long, value_name = "CODE")]
        parent: Option<String>,
        /// Its reply period in working days; "receiver" to follow the
        /// receiver's.
        #[arg(long, value_name = "DAYS|receiver")]
        reply_days: Option<String>,
        /// Its own holiday arrangements, from this calendar file
        /// (docs/calendar.md), replacing the ones it had.
        #[arg(long, value_name = "FILE")]
        calendar: Option<std::path::PathBuf>,
        /// Remove its own holiday arrangements: it keeps the receiver's
        /// and its county's.
        #[arg(long, conflicts_with = "calendar")]
        no_calendar: bool,
    },
    /// List the sites, each with its county, origins and reply period.
    List,
}

/// Reads origins as the operator wrote them; the first that is not one,
/// with why.
fn origins(texts: &[String]) -> Result<Vec<Origin>, String> {
    let mut origins = Vec::new();
    for text in texts {
        let origin = Origin::parse(text).map_err(|e| format!("--allow-origin: {e}"))?;
        if !origins.contains(&origin) {
            origins.push(origin);
        }
    }
    Ok(origins)
}

/// The holiday arrangements in the file at `path`, checked.
fn calendar(path: &std::path::Path) -> Result<String, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("--calendar: cannot read {}: {e}", path.display()))?;
    crate::store::check_site_calendar(&text)
        .map_err(|e| format!("--calendar {}: {e}", path.display()))?;
    Ok(text)
}

/// Runs a `site` command on `db`, as `as_name`.
pub fn run(
    command: SiteCommand,
    db: &crate::store::Location,
    as_name: Option<&str>,
) -> Result<(), String> {
    let mut store = crate::cli::open(db)?;
    let who = crate::accounts::acting(&store, as_name)?;
    if let SiteCommand::List = command {
        return list(&store);
    }
    who.may(
        &mut store,
        crate::console::roles::Duty::Administer,
        "",
        "",
        "管理站点",
    )?;
    let (site, replace, action) = match command {
        SiteCommand::Add {
            code,
            name,
            origins: given,
            parent,
            reply_days,
            calendar: file,
        } => (
            Site {
                code,
                name,
                parent,
                origins: origins(&given)?,
                reply_days,
                calendar: file
                    .as_deref()
                    .map(calendar)
                    .transpose()?
                    .unwrap_or_default(),
            },
            false,
            "site_add",
        ),
        SiteCommand::Set {
            code,
            name,
            origins: given,
            no_origins,
            parent,
            reply_days,
            calendar: file,
            no_calendar,
        } => {
            let mut site = store
                .site(&code)
                .map_err(|e| e.to_string())?
                .ok_or_else(|| {
                    format!(
                        "there is no site {}: `site list` shows the sites, `site add` adds one",
                        printable(&code)
                    )
                })?;
            if let Some(name) = name {
                site.name = name;
            }
            if !given.is_empty() || no_origins {
                site.origins = origins(&given)?;
            }
            if let Some(parent) = parent {
                site.parent = parent;
            }
            match reply_days.as_deref() {
                None => {}
                Some("receiver") => site.reply_days = None,
                Some(days) => {
                    site.reply_days = Some(days.parse().map_err(|_| {
                        format!(
                            "--reply-days: {} is not a number of working days (or receiver)",
                            printable(days)
                        )
                    })?)
                }
            }
            if let Some(file) = file {
                site.calendar = calendar(&file)?;
            }
            if no_calendar {
                site.calendar.clear();
            }
            (site, true, "site_set")
        }
        SiteCommand::List => unreachable!("listed above"),
    };
    store
        .put_site(&site, replace, crate::store::now())
        .map_err(|e| e.to_string())?;
    who.log(&mut store, action, "", &audited(&site))?;
    println!(
        "{} {}",
        if replace { "changed" } else { "added" },
        describe(&site)
    );
    if site.origins.is_empty() {
        println!(
            "note: {} lists no origin, so no page can send to it yet: add one with site set {} --allow-origin https://...",
            site.code, site.code
        );
    }
    Ok(())
}

/// A site as the audit log keeps it: its line, and its own holiday
/// arrangements whole, so that every change of a deadline can be traced.
pub fn audited(site: &Site) -> String {
    let lines: Vec<&str> = site
        .calendar
        .trim_start_matches('\u{FEFF}')
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    if lines.is_empty() {
        return describe(site);
    }
    format!("{}  own holidays: {}", describe(site), lines.join("；"))
}

/// One line of a site, as listed.
pub fn describe(site: &Site) -> String {
    let origins: Vec<String> = site.origins.iter().map(Origin::to_string).collect();
    let holidays = site.holiday_lines();
    format!(
        "{}  {}  parent: {}  origins: {}  reply days: {}  own holiday lines: {holidays}",
        site.code,
        printable(&site.name),
        if site.parent.is_empty() {
            "-"
        } else {
            &site.parent
        },
        if origins.is_empty() {
            "-".to_owned()
        } else {
            origins.join(" ")
        },
        site.reply_days
            .map_or("the receiver's".to_owned(), |d| d.to_string())
    )
}

fn list(store: &Store) -> Result<(), String> {
    let sites = store.sites().map_err(|e| e.to_string())?;
    if sites.0.is_empty() {
        println!(
            "no sites: the receiver serves one default site, whose origins are serve's --allow-origin"
        );
    }
    for site in &sites.0 {
        println!("{}", describe(site));
        // Its own days, as kept.
        for line in site.calendar.lines().filter(|l| !l.trim().is_empty()) {
            println!("    {}", printable(line));
        }
    }
    Ok(())
}
