//! The command line.

use crate::console::roles::Duty;
use crate::files;
use crate::store::Location;
use crate::terminal::{printable, printable_lines};
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The xxgk reference server.
#[derive(Parser, Debug)]
#[command(name = "xxgk-server", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// The staff account a staff command acts as: required once the
    /// database has accounts (`staff add`), and checked against its roles.
    #[arg(long = "as", value_name = "NAME", global = true)]
    pub as_name: Option<String>,
}

/// What to do.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve static files (the built widget, demo page, catalogues), the
    /// feedback API, or both.
    Serve(Box<Serve>),
    /// List the submissions received, oldest first: suspected ones (the
    /// form's trap field was filled) marked 疑似垃圾, ones that no longer
    /// read marked 无法解读.
    List {
        /// Only the suspected ones.
        #[arg(long)]
        suspected: bool,
        /// The feedback database.
        #[arg(long, value_name = "PATH|URL", default_value = "feedback.db")]
        db: Location,
    },
    /// Reply to a submission; the author sees the reply by its code.
    Reply {
        /// The submission's lookup code.
        code: String,
        /// The reply, from this file, or - for standard input (a text on
        /// the command line stays in the shell's history).
        #[arg(
            long,
            value_name = "FILE",
            conflicts_with = "text",
            required_unless_present = "text"
        )]
        text_file: Option<PathBuf>,
        /// The reply itself (kept for scripts; prefer --text-file).
        #[arg(long)]
        text: Option<String>,
        /// The feedback database.
        #[arg(long, value_name = "PATH|URL", default_value = "feedback.db")]
        db: Location,
    },
    /// Decline a submission (不予受理), with the reason the author will see.
    Reject {
        /// The submission's lookup code.
        code: String,
        /// Why it is not accepted, from this file, or - for standard input.
        #[arg(
            long,
            value_name = "FILE",
            conflicts_with = "reason",
            required_unless_present = "reason"
        )]
        reason_file: Option<PathBuf>,
        /// Why it is not accepted (kept for scripts; prefer --reason-file).
        #[arg(long)]
        reason: Option<String>,
        /// The feedback database.
        #[arg(long, value_name = "PATH|URL", default_value = "feedback.db")]
        db: Location,
    },
    /// Publish an answered submission whose author consented: the title
    /// and text the public list (GET /api/replies) shows, written for the
    /// public (no names, no phone numbers) and approved by a reviewer.
    Publish {
        /// The submission's lookup code.
        code: String,
        /// The public title.
        #[arg(long)]
        subject: String,
        /// The public text, from this file, or - for standard input.
        #[arg(long, value_name = "FILE")]
        text_file: PathBuf,
        /// The feedback database.
        #[arg(long, value_name = "PATH|URL", default_value = "feedback.db")]
        db: Location,
    },
    /// Withdraw what is published of a submission.
    Unpublish {
        /// The submission's lookup code.
        code: String,
        /// Why, from this file, or - for standard input.
        #[arg(long, value_name = "FILE")]
        reason_file: PathBuf,
        /// The feedback database.
        #[arg(long, value_name = "PATH|URL", default_value = "feedback.db")]
        db: Location,
    },
    /// Staff accounts for the console and for --as: add, disable, enable,
    /// passwd, roles, totp, list; and purge personal data past the
    /// retention period.
    Staff {
        #[command(subcommand)]
        command: crate::accounts::StaffCommand,
        /// The feedback database.
        #[arg(
            long,
            value_name = "PATH|URL",
            default_value = "feedback.db",
            global = true
        )]
        db: Location,
    },
    /// The sites a receiver serves (a township, a county department, a
    /// county): add, set, list.
    Site {
        #[command(subcommand)]
        command: crate::sites::SiteCommand,
        /// The feedback database.
        #[arg(
            long,
            value_name = "PATH|URL",
            default_value = "feedback.db",
            global = true
        )]
        db: Location,
    },
    /// Take a suspected submission out of suspicion: it then counts in the
    /// statistics and may be published like any other.
    Restore {
        /// The submission's lookup code.
        code: String,
        /// The feedback database.
        #[arg(long, value_name = "PATH|URL", default_value = "feedback.db")]
        db: Location,
    },
    /// Work on a database as a whole.
    Db {
        #[command(subcommand)]
        command: DbCommand,
    },
    /// Write every submission, personal data included, to a file readable
    /// by its owner only (--out), or to standard output (a file it is
    /// redirected to is made so too).
    Export {
        /// The format: csv.
        #[arg(long, default_value = "csv")]
        format: String,
        /// The file to write (created, or replaced).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// The feedback database.
        #[arg(long, value_name = "PATH|URL", default_value = "feedback.db")]
        db: Location,
    },
    /// Check a catalogue file as the widget reads it: every problem, with
    /// the position of the entry, and a non-zero exit if there is one.
    /// `catalogue check` does the same and reads spreadsheets too.
    Check {
        /// The catalogue file.
        file: PathBuf,
        /// The language of the messages: zh or en.
        #[arg(long, default_value = "zh")]
        lang: String,
    },
    /// Handle a disclosure request by its statutory clock: confirm,
    /// clarify, extend, consult, decide; list and show (docs/calendar.md
    /// for working days).
    Case {
        #[command(subcommand)]
        command: crate::cases::CaseCommand,
        #[command(flatten)]
        place: crate::cases::Where,
    },
    /// The annual report on government information disclosure: tables 二,
    /// 三 and 四 counted from the catalogue, the requests and the office's
    /// figures, with the sections it writes (docs/annual-report.md).
    Report(crate::report::Report),
    /// Staff tools for the catalogue: check a catalogue file or a
    /// spreadsheet, import a spreadsheet as a catalogue file, count its
    /// entries.
    Catalogue {
        #[command(subcommand)]
        command: crate::catalogue::Command,
    },
}

/// How to serve.
#[derive(clap::Args, Debug)]
pub struct Serve {
    /// A folder to serve; give it several times to layer folders, the
    /// first that has a file wins.
    #[arg(long = "static", value_name = "DIR", required_unless_present = "db")]
    dirs: Vec<PathBuf>,
    /// The address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Receive feedback at /api/feedback into this SQLite file (created if
    /// missing, readable by its owner only; never inside a --static
    /// folder), or into the PostgreSQL database at this `postgres://` URL,
    /// which any number of receivers may share.
    #[arg(long, value_name = "PATH|URL")]
    db: Option<Location>,
    /// A holiday calendar file adding to the shipped arrangements (next
    /// year's, docs/calendar.md), for the due dates a lookup shows; give it
    /// once per file.
    #[arg(long = "calendar", value_name = "FILE")]
    calendars: Vec<PathBuf>,
    /// Working days within which a message (咨询, 建议, 投诉, 求助) is to
    /// be answered, as the county sets it: its lookup shows the last day,
    /// and the public statistics count the ones answered in time.
    #[arg(long, value_name = "N", default_value_t = crate::api::REPLY_DAYS,
          value_parser = clap::value_parser!(u32).range(1..=60))]
    reply_days: u32,
    /// An origin whose pages may call the feedback API
    /// (https://www.example.gov.cn); give it once per origin. Pages served
    /// from the receiver's own host may always call it.
    #[arg(long = "allow-origin", value_name = "ORIGIN")]
    allow_origins: Vec<String>,
    /// A reverse proxy in front of the server (an address or a network such
    /// as 10.0.0.0/8); give it once per proxy. Only from these is the
    /// client taken from Forwarded or X-Forwarded-For.
    #[arg(long = "trusted-proxy", value_name = "CIDR")]
    trusted_proxies: Vec<String>,
    /// The header the trusted proxies append each client's address to;
    /// the other is never read.
    #[arg(long, value_enum, default_value = "x-forwarded-for")]
    forwarded_header: crate::client::ForwardedHeader,
    /// Submissions one client (an IPv4 address, an IPv6 /64) may make in a
    /// burst.
    #[arg(long, default_value_t = 10)]
    rate_burst: u32,
    /// Then one submission per this many seconds.
    #[arg(long, default_value_t = 6.0)]
    rate_seconds: f64,
    /// Submissions per second for the whole server, whatever the
    /// addresses (with a burst of five seconds' worth).
    #[arg(long, default_value_t = 20.0)]
    global_rate: f64,
    /// Lookups and list reads one client may make in a burst.
    #[arg(long, default_value_t = 60)]
    read_burst: u32,
    /// Then one read per this many seconds.
    #[arg(long, default_value_t = 0.5)]
    read_seconds: f64,
    /// Connections open at once.
    #[arg(long, default_value_t = 1024)]
    max_connections: usize,
    /// Connections one address may hold (trusted proxies excepted).
    #[arg(long, default_value_t = 64)]
    max_connections_per_address: usize,
    /// Seconds to deliver a request header (and to start the next request
    /// on a kept-alive connection).
    #[arg(long, default_value_t = 10.0)]
    header_timeout: f64,
    /// Seconds to handle a whole request, body included.
    #[arg(long, default_value_t = 30.0)]
    request_timeout: f64,
    /// Seconds requests in flight are given on SIGTERM or SIGINT.
    #[arg(long, default_value_t = 10.0)]
    shutdown_timeout: f64,
    /// Serve the staff console on this address too (for example the
    /// office network's 10.1.2.3:8443, or 127.0.0.1:8081 behind a TLS
    /// proxy); it needs --db. See the README, "The staff console".
    #[arg(long, value_name = "ADDR", requires = "db")]
    staff_listen: Option<SocketAddr>,
    /// Minutes a console session may go unused before it ends.
    #[arg(long, value_name = "N", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=720))]
    staff_idle_minutes: u64,
    /// Seconds between the log's summaries of refused requests.
    #[arg(long, default_value_t = 60.0)]
    report_seconds: f64,
    /// What to log: error, warn, info or debug.
    #[arg(long, default_value = "info")]
    log_level: tracing::Level,
    #[command(flatten)]
    alerts: crate::alerts::AlertArgs,
}

fn seconds(value: f64, flag: &str) -> Result<Duration, String> {
    Duration::try_from_secs_f64(value)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| format!("--{flag} must be a positive number of seconds"))
}

/// Runs a command; the error is a sentence for the terminal. Every command
/// but `serve` runs on a blocking thread: a store may block there while it
/// waits for its database, which the runtime's own threads must not.
pub async fn run(cli: Cli) -> Result<(), String> {
    if let Command::Serve(serve) = cli.command {
        return self::serve(*serve).await;
    }
    tokio::task::spawn_blocking(move || command(cli))
        .await
        .map_err(|e| format!("the command stopped: {e}"))?
}

/// Runs a command other than `serve`.
fn command(cli: Cli) -> Result<(), String> {
    let as_name = cli.as_name.as_deref();
    match cli.command {
        Command::Check { file, lang } => {
            crate::catalogue::check_file(&file, xxgk_core::Lang::from_tag(&lang))
        }
        Command::Catalogue { command } => crate::catalogue::run(command),
        Command::Case { command, place } => crate::cases::run(command, place, as_name),
        Command::Report(report) => crate::report::report(report, as_name),
        Command::Staff { command, db } => crate::accounts::run(command, &db, as_name),
        Command::Site { command, db } => crate::sites::run(command, &db, as_name),
        Command::Publish {
            code,
            subject,
            text_file,
            db,
        } => {
            let text = crate::cases::text(&text_file)?;
            publication(&db, as_name, &code, "批准公开", |store, actor| {
                store.publish(&code, &subject, &text, actor, crate::store::now())
            })?;
            println!(
                "{}：已公开",
                printable(&crate::store::normalise_code(&code))
            );
            Ok(())
        }
        Command::Unpublish {
            code,
            reason_file,
            db,
        } => {
            let reason = crate::cases::text(&reason_file)?;
            publication(&db, as_name, &code, "撤下公开", |store, actor| {
                store.unpublish(&code, &reason, actor, crate::store::now())
            })?;
            println!(
                "{}：已撤下",
                printable(&crate::store::normalise_code(&code))
            );
            Ok(())
        }
        Command::List { suspected, db } => {
            let store = open(&db)?;
            // A handler lists the cases of their unit only.
            let listed = crate::accounts::acting(&store, as_name)?.listed(&store)?;
            for record in store.records().map_err(|e| e.to_string())? {
                if listed
                    .as_ref()
                    .is_some_and(|l| !l.contains(&record.public.code))
                {
                    continue;
                }
                if suspected && !record.suspected {
                    continue;
                }
                let p = &record.public;
                let mut marks = String::new();
                if record.suspected {
                    marks.push_str("  [疑似垃圾]");
                }
                let subject = match &record.submission {
                    Ok(s) => s.subject.trim().to_owned(),
                    Err(_) => {
                        marks.push_str("  [无法解读，原样见 export]");
                        p.subject.clone()
                    }
                };
                println!(
                    "{}  {}  {}  {}  {}{marks}",
                    printable(&p.code),
                    xxgk_core::date::beijing_time(p.received_at),
                    p.status.label(),
                    p.kind.label(),
                    printable(&subject)
                );
            }
            Ok(())
        }
        Command::Reply {
            code,
            text,
            text_file,
            db,
        } => answer(&db, &code, &given(text, text_file)?, true, as_name),
        Command::Reject {
            code,
            reason,
            reason_file,
            db,
        } => answer(&db, &code, &given(reason, reason_file)?, false, as_name),
        Command::Restore { code, db } => {
            let mut store = open(&db)?;
            let who = act_as(&mut store, as_name, Duty::Register, &code, "恢复为正常留言")?;
            let restored = store
                .restore(&code, &who.label, crate::store::now())
                .map_err(|e| e.to_string())?;
            if !restored {
                return Err(match store.suspected(&code).map_err(|e| e.to_string())? {
                    Some(false) => format!("{} 不是疑似垃圾，无需恢复", printable(&code)),
                    _ => format!("no submission has the code {}", printable(&code)),
                });
            }
            who.log(
                &mut store,
                "act",
                &crate::store::normalise_code(&code),
                "恢复为正常留言",
            )?;
            println!("{}: 已恢复为正常留言", printable(&code));
            Ok(())
        }
        Command::Db {
            command: DbCommand::Copy { from, to },
        } => copy(&from, &to),
        Command::Export { format, out, db } => {
            if format != "csv" {
                return Err(format!(
                    "unknown format {}: csv is the one there is",
                    printable(&format)
                ));
            }
            let mut store = open(&db)?;
            let who = crate::accounts::acting(&store, as_name)?;
            who.may(&mut store, Duty::Export, "", "", "导出全部记录")?;
            // An account of some sites exports their records only.
            let records = store
                .records_of(who.sites.as_deref())
                .map_err(|e| e.to_string())?;
            who.log(&mut store, "export", "", &format!("{} 条", records.len()))?;
            let csv = crate::staff::csv(&records);
            match out {
                Some(path) => write_private(&path, &csv)
                    .map_err(|e| format!("cannot write {}: {e}", path.display())),
                None => print_private(&csv),
            }
        }
        Command::Serve(_) => unreachable!("run serves"),
    }
}

async fn serve(args: Serve) -> Result<(), String> {
    crate::log::init(args.log_level);
    for dir in &args.dirs {
        if !dir.is_dir() {
            return Err(format!(
                "{} is not a folder: build the widget first (make build)",
                dir.display()
            ));
        }
    }
    if args.db.is_none() && args.alerts.names_a_channel() {
        return Err("--alert-webhook and --alert-smtp need --db FILE: alerts tell of the feedback received into it".into());
    }
    if let Some(db) = args.db.as_ref().and_then(Location::file) {
        if let Some(dir) = holding_folder(db, &args.dirs) {
            return Err(format!(
                "{} is inside {}, which is served to everyone: keep the database outside the --static folders",
                db.display(),
                dir.display()
            ));
        }
    }
    let allowed_origins = args
        .allow_origins
        .iter()
        .map(|o| crate::origin::Origin::parse(o).map_err(|e| format!("--allow-origin {e}")))
        .collect::<Result<Vec<_>, _>>()?;
    let proxies = crate::client::Proxies::parse(&args.trusted_proxies)
        .map_err(|e| format!("--trusted-proxy {e}"))?
        .recording_in(args.forwarded_header);
    let request_timeout = seconds(args.request_timeout, "request-timeout")?;
    let limits = crate::serve::Limits {
        max_connections: args.max_connections.max(1),
        per_address: args.max_connections_per_address.max(1),
        header_timeout: seconds(args.header_timeout, "header-timeout")?,
        request_timeout,
        // A response the client stops reading gets as long as a request.
        write_timeout: request_timeout,
        shutdown_timeout: seconds(args.shutdown_timeout, "shutdown-timeout")?,
        report_every: seconds(args.report_seconds, "report-seconds")?,
    };
    let global_every = seconds(1.0 / args.global_rate, "global-rate")
        .map_err(|_| "--global-rate must be a positive number".to_owned())?;
    let settings = crate::api::Settings {
        allowed_origins,
        proxies: proxies.clone(),
        submissions: crate::limit::Rate {
            burst: args.rate_burst.max(1),
            every: seconds(args.rate_seconds, "rate-seconds")?,
        },
        server_submissions: crate::limit::Rate {
            burst: (args.global_rate * 5.0).clamp(1.0, f64::from(u32::MAX)) as u32,
            every: global_every,
        },
        reads: crate::limit::Rate {
            burst: args.read_burst.max(1),
            every: seconds(args.read_seconds, "read-seconds")?,
        },
        calendar: calendar(&args)?,
        reply_days: args.reply_days,
        ..crate::api::Settings::default()
    };
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| {
            format!(
                "cannot listen on {}: {e} (is another server using it?)",
                args.listen
            )
        })?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    // Listened for before the address is printed: whoever reads it may
    // stop the server at once, and gets its orderly shutdown.
    let (stop_public, stop_staff) = (crate::serve::signal(), crate::serve::signal());
    if !args.dirs.is_empty() {
        println!(
            "xxgk-server: serving {} on http://{address}/",
            describe(&args.dirs)
        );
    }
    let mut app = files::router(args.dirs.clone());
    if let Some(db) = &args.db {
        let store = crate::store::Store::open(db).map_err(|e| format!("cannot open {db}: {e}"))?;
        app = crate::api::router(store, settings.clone())
            .map_err(|e| format!("cannot open {db}: {e}"))?
            .merge(app);
        crate::alerts::start(&args.alerts, db, settings.calendar.clone())?;
        println!("xxgk-server: receiving feedback at http://{address}/api/feedback into {db}");
        // From December, reply periods and due dates run into next year.
        let today = xxgk_core::Date::beijing(crate::store::now());
        if let Some(today) = today.filter(|d| d.month() == 12) {
            let next = today.year() + 1;
            if !settings.calendar.current().years().any(|y| y == next) {
                tracing::warn!(
                    year = next,
                    "the holiday calendar lacks next year's arrangement: reply periods and due dates that reach into it are not shown; add it with --calendar when the State Council publishes it (docs/calendar.md)"
                );
            }
        }
    }
    tracing::info!(
        listen = %address,
        static_folders = describe(&args.dirs),
        database = args.db.as_ref().map(|d| d.to_string()).unwrap_or_default(),
        allowed_origins = settings.allowed_origins.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "),
        trusted_proxies = proxies.describe(),
        submissions_per_client = format!("{} then 1/{:?}", settings.submissions.burst, settings.submissions.every),
        submissions_per_second_server = settings.server_submissions.per_second(),
        reads_per_client = format!("{} then 1/{:?}", settings.reads.burst, settings.reads.every),
        reply_days = settings.reply_days,
        max_connections = limits.max_connections,
        max_connections_per_address = limits.per_address,
        header_timeout = ?limits.header_timeout,
        request_timeout = ?limits.request_timeout,
        shutdown_timeout = ?limits.shutdown_timeout,
        "started"
    );
    if args.db.is_some() && !args.listen.ip().is_loopback() {
        tracing::warn!("the receiver listens beyond this machine over plain HTTP: identity numbers cross the network unencrypted; put it behind a TLS proxy on this machine (README, \"Behind nginx with TLS\") and listen on 127.0.0.1");
    }
    if proxies.is_empty() && args.listen.ip().is_loopback() && args.db.is_some() {
        tracing::info!("no --trusted-proxy: every client is its socket address (behind a reverse proxy on this machine, give --trusted-proxy 127.0.0.1)");
    }
    let console = match (&args.staff_listen, &args.db) {
        (Some(addr), Some(db)) => {
            let store =
                crate::store::Store::open(db).map_err(|e| format!("cannot open {db}: {e}"))?;
            let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
                format!("cannot listen on {addr} for the staff console: {e} (is another server using it?)")
            })?;
            let address = listener.local_addr().map_err(|e| e.to_string())?;
            let policy = crate::console::auth::Policy {
                idle: Duration::from_secs(args.staff_idle_minutes * 60),
                ..Default::default()
            };
            let settings = crate::console::Settings {
                policy,
                proxies: proxies.clone(),
                calendar: settings.calendar.clone(),
                calendar_files: args.calendars.clone(),
                reply_days: settings.reply_days,
                alerts: args.alerts.names_a_channel(),
            };
            let accounts = store.staff_count().map_err(|e| e.to_string())?;
            println!("xxgk-server: staff console on http://{address}/");
            if accounts == 0 {
                println!(
                    "xxgk-server: no staff account yet: make the first administrator with `xxgk-server staff add NAME --role admin --db {db}`"
                );
            }
            if !address.ip().is_loopback() {
                tracing::warn!("the staff console listens beyond this machine over plain HTTP: browsers keep its session cookie only over HTTPS (or on this machine), and passwords would cross the network unencrypted; put it behind a TLS proxy on the office network (README, \"The staff console\")");
            }
            tokio::spawn(crate::console::upkeep(db.clone(), policy));
            Some((listener, crate::console::router(store, settings)))
        }
        _ => None,
    };
    let public = crate::serve::serve(listener, app, proxies.clone(), limits.clone(), stop_public);
    match console {
        Some((listener, router)) => {
            let staff = crate::serve::serve(listener, router, proxies, limits, stop_staff);
            tokio::join!(public, staff);
        }
        None => {
            public.await;
        }
    }
    Ok(())
}

/// What is done to a database as a whole.
#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Copy every case, event, account, session, audit row, setting,
    /// draft and alert from one store to another, ids kept: a township's
    /// SQLite file onto a platform's PostgreSQL, or back. Stop the
    /// receivers writing to --from first. The target must be empty; the
    /// rows are counted on both sides afterwards.
    Copy {
        /// The store copied: a SQLite file or a postgres:// URL.
        #[arg(long, value_name = "PATH|URL")]
        from: Location,
        /// The store copied into, empty: a postgres:// URL or a new SQLite
        /// file.
        #[arg(long, value_name = "PATH|URL")]
        to: Location,
    },
}

/// `db copy`: copies `from` into `to` and prints the counts.
fn copy(from: &Location, to: &Location) -> Result<(), String> {
    if from == to {
        return Err("--from and --to name the same store".into());
    }
    let mut source = open(from)?;
    let mut target = crate::store::Store::open(to).map_err(|e| format!("cannot open {to}: {e}"))?;
    let started = std::time::Instant::now();
    let counted = source
        .copy_to(&mut target, |table, rows| {
            eprintln!("xxgk-server: {table}: {rows} rows copied");
        })
        .map_err(|e| format!("nothing was copied: {e}"))?;
    println!("{:<12} {:>10} {:>10}", "table", "from", "to");
    for c in &counted {
        println!("{:<12} {:>10} {:>10}", c.table, c.source, c.target);
    }
    let differ: Vec<&str> = counted
        .iter()
        .filter(|c| c.source != c.target)
        .map(|c| c.table)
        .collect();
    if !differ.is_empty() {
        return Err(format!(
            "the counts differ in {}: --from was written to during the copy. The target holds the copy as it was when it began: stop the receivers of --from, make the target database anew, and copy again",
            differ.join(", ")
        ));
    }
    println!(
        "copied {from} to {to} in {:.1} s: the counts match",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The holiday calendar a server starts with: the shipped arrangements,
/// the `--calendar` files, and what the administrator added in the
/// console (kept in the database).
fn calendar(args: &Serve) -> Result<crate::cases::Calendars, String> {
    let Some(db) = args
        .db
        .as_ref()
        .filter(|db| db.file().is_none_or(Path::exists))
    else {
        return crate::cases::Calendars::following(args.calendars.clone(), "");
    };
    let store = crate::store::Store::open(db).map_err(|e| format!("cannot open {db}: {e}"))?;
    let added = store
        .setting(crate::cases::CALENDAR_SETTING)
        .map_err(|e| e.to_string())?
        .unwrap_or_default();
    crate::cases::Calendars::following(args.calendars.clone(), &added)
}

/// The `--static` folder that `db` would be inside, if any (compared where
/// they really are, links resolved; the database may not exist yet).
fn holding_folder<'a>(db: &Path, dirs: &'a [PathBuf]) -> Option<&'a PathBuf> {
    let parent = match db.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let db_dir = std::fs::canonicalize(parent).ok()?;
    dirs.iter()
        .find(|dir| std::fs::canonicalize(dir).is_ok_and(|dir| db_dir.starts_with(dir)))
}

/// Writes `text` to a new file at `path` readable by its owner only (an
/// existing file is replaced, and made so).
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    file.write_all(text.as_bytes())?;
    file.sync_all()
}

/// Prints an export: a file standard output is redirected to is made
/// readable by its owner only; on a terminal, control characters are
/// shown, not obeyed.
fn print_private(text: &str) -> Result<(), String> {
    use std::io::{IsTerminal, Write};
    let stdout = std::io::stdout();
    if stdout.is_terminal() {
        print!("{}", printable_lines(text));
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        use std::os::unix::fs::PermissionsExt;
        if let Ok(fd) = stdout.as_fd().try_clone_to_owned() {
            let file = std::fs::File::from(fd);
            match file.metadata() {
                Ok(m) if m.is_file() => file
                    .set_permissions(std::fs::Permissions::from_mode(0o600))
                    .map_err(|e| format!("cannot make the output file private: {e}"))?,
                _ => eprintln!(
                    "xxgk-server: the export goes to a pipe: a file it ends up in is not made private; write it with --out FILE instead"
                ),
            }
        }
    }
    let mut out = stdout.lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write the export: {e}"))
}

pub(crate) fn open(db: &Location) -> Result<crate::store::Store, String> {
    let name = printable(&db.to_string()).into_owned();
    let Some(file) = db.file() else {
        return crate::store::Store::open(db).map_err(|e| format!("cannot open {name}: {e}"));
    };
    match std::fs::metadata(file) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!(
                "{name} does not exist: give the database the server writes with --db"
            ))
        }
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            return Err(format!(
                "cannot read {name}: permission denied (run staff commands as the user the server runs as, e.g. sudo -u xxgk xxgk-server …)"
            ))
        }
        Err(e) => return Err(format!("cannot read {name}: {e}")),
    }
    crate::store::Store::open(db).map_err(|e| format!("cannot open {name}: {e}"))
}

/// A text given on the command line, or read from a file or standard
/// input (checked as every text to a citizen is).
fn given(text: Option<String>, file: Option<PathBuf>) -> Result<String, String> {
    match (text, file) {
        (_, Some(file)) => crate::cases::text(&file),
        (Some(text), None) => Ok(text),
        (None, None) => Err("give the text with --text-file FILE (or - for standard input)".into()),
    }
}

/// The account `as_name` acting on the case `code`, if it may do `duty`
/// on it (refusals are logged).
fn act_as(
    store: &mut crate::store::Store,
    as_name: Option<&str>,
    duty: Duty,
    code: &str,
    what: &str,
) -> Result<crate::accounts::Acting, String> {
    let who = crate::accounts::acting(store, as_name)?;
    who.may_on(store, duty, code, what)?;
    Ok(who)
}

/// Publishes or withdraws (`what`) the public text of the submission
/// `code` by `change`, as the account `as_name`, if it may; logged.
fn publication(
    db: &Location,
    as_name: Option<&str>,
    code: &str,
    what: &str,
    change: impl FnOnce(&mut crate::store::Store, &str) -> Result<(), crate::store::ActError>,
) -> Result<(), String> {
    let mut store = open(db)?;
    let who = act_as(&mut store, as_name, Duty::Publish, code, what)?;
    change(&mut store, &who.label).map_err(|e| e.to_string())?;
    who.log(&mut store, "act", &crate::store::normalise_code(code), what)
}

/// Replies to (or declines) a submission.
fn answer(
    db: &Location,
    code: &str,
    text: &str,
    reply: bool,
    as_name: Option<&str>,
) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err("the text is empty: say what the author should read".into());
    }
    let mut store = open(db)?;
    let what = if reply { "答复" } else { "不予受理" };
    let who = act_as(&mut store, as_name, Duty::Decide, code, what)?;
    // A disclosure request is answered by `case decide`, with its legal
    // outcome, on its clock; 不予受理 belongs to petitions.
    if let Some(case) = store.case(code).map_err(|e| e.to_string())? {
        if case.kind == xxgk_core::submission::Kind::DisclosureRequest {
            return Err(format!(
                "{} 是政府信息公开申请：请用 case confirm 确认受理、case decide 答复（见 README）",
                printable(code)
            ));
        }
    }
    if store.suspected(code).map_err(|e| e.to_string())? == Some(true) {
        return Err(format!(
            "{} 被标为疑似垃圾：确认是真实留言后先 restore，再答复",
            printable(code)
        ));
    }
    let now = crate::store::now();
    let done = if reply {
        store.reply(code, text.trim(), &who.label, now)
    } else {
        store.reject(code, text.trim(), &who.label, now)
    }
    .map_err(|e| e.to_string())?;
    if !done {
        return Err(format!("no submission has the code {}", printable(code)));
    }
    who.log(&mut store, "act", &crate::store::normalise_code(code), what)?;
    let code = printable(code);
    println!("{code}: {}", if reply { "已答复" } else { "不予受理" });
    Ok(())
}

fn describe(dirs: &[PathBuf]) -> String {
    dirs.iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(" + ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_inside_a_served_folder_is_found_however_it_is_written() {
        let root = std::env::temp_dir().join(format!("xxgk-cli-{}", std::process::id()));
        let (site, private) = (root.join("site"), root.join("private"));
        std::fs::create_dir_all(site.join("sub")).unwrap();
        std::fs::create_dir_all(&private).unwrap();
        let dirs = [site.clone()];
        assert_eq!(holding_folder(&site.join("fb.db"), &dirs), Some(&site));
        assert_eq!(holding_folder(&site.join("sub/fb.db"), &dirs), Some(&site));
        assert_eq!(
            holding_folder(&private.join("../site/fb.db"), &dirs),
            Some(&site)
        );
        assert_eq!(holding_folder(&private.join("fb.db"), &dirs), None);
        #[cfg(unix)]
        {
            let link = private.join("into-site");
            let _ = std::fs::remove_file(&link);
            std::os::unix::fs::symlink(&site, &link).unwrap();
            assert_eq!(holding_folder(&link.join("fb.db"), &dirs), Some(&site));
        }
        let _ = std::fs::remove_dir_all(&root);
    }
}
