//! The command line.

use crate::files;
use clap::{Parser, Subcommand};
use std::net::SocketAddr;
use std::path::PathBuf;

/// The xxgk reference server.
#[derive(Parser, Debug)]
#[command(name = "xxgk-server", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// What to do.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve static files (the built widget, demo page, catalogues), the
    /// feedback API, or both.
    Serve {
        /// A folder to serve; give it several times to layer folders, the
        /// first that has a file wins.
        #[arg(long = "static", value_name = "DIR", required_unless_present = "db")]
        dirs: Vec<PathBuf>,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
        /// Receive feedback into this SQLite file (created if missing) at
        /// /api/feedback; without it there is no feedback API.
        #[arg(long, value_name = "PATH")]
        db: Option<PathBuf>,
        /// An origin whose pages may call the feedback API
        /// (https://www.example.gov.cn); give it once per origin.
        #[arg(long = "allow-origin", value_name = "ORIGIN")]
        allow_origins: Vec<String>,
        /// Submissions one address may make in a burst.
        #[arg(long, default_value_t = 10)]
        rate_burst: u32,
        /// Then one submission per this many seconds.
        #[arg(long, default_value_t = 6.0)]
        rate_seconds: f64,
    },
    /// List the submissions received, oldest first.
    List {
        /// The feedback database.
        #[arg(long, value_name = "PATH", default_value = "feedback.db")]
        db: PathBuf,
    },
    /// Reply to a submission; the author sees the reply by its code.
    Reply {
        /// The submission's lookup code.
        code: String,
        /// The reply.
        #[arg(long)]
        text: String,
        /// The feedback database.
        #[arg(long, value_name = "PATH", default_value = "feedback.db")]
        db: PathBuf,
    },
    /// Decline a submission (不予受理), with the reason the author will see.
    Reject {
        /// The submission's lookup code.
        code: String,
        /// Why it is not accepted.
        #[arg(long)]
        reason: String,
        /// The feedback database.
        #[arg(long, value_name = "PATH", default_value = "feedback.db")]
        db: PathBuf,
    },
    /// Write every submission, personal data included, to standard output.
    Export {
        /// The format: csv.
        #[arg(long, default_value = "csv")]
        format: String,
        /// The feedback database.
        #[arg(long, value_name = "PATH", default_value = "feedback.db")]
        db: PathBuf,
    },
    /// Check a catalogue file as the widget reads it: every problem, with
    /// the position of the entry, and a non-zero exit if there is one.
    Check {
        /// The catalogue file.
        file: PathBuf,
        /// The language of the messages: zh or en.
        #[arg(long, default_value = "zh")]
        lang: String,
    },
}

/// Runs a command; the error is a sentence for the terminal.
pub async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Check { file, lang } => check(&file, xxgk_core::Lang::from_tag(&lang)),
        Command::List { db } => {
            for record in open(&db)?.records().map_err(|e| e.to_string())? {
                let p = &record.public;
                println!(
                    "{}  {}  {}  {}  {}",
                    p.code,
                    xxgk_core::date::beijing_time(p.received_at),
                    p.status.label(),
                    p.kind.label(),
                    record.submission.subject.trim()
                );
            }
            Ok(())
        }
        Command::Reply { code, text, db } => answer(&db, &code, &text, true),
        Command::Reject { code, reason, db } => answer(&db, &code, &reason, false),
        Command::Export { format, db } => {
            if format != "csv" {
                return Err(format!("unknown format {format}: csv is the one there is"));
            }
            let records = open(&db)?.records().map_err(|e| e.to_string())?;
            print!("{}", crate::staff::csv(&records));
            Ok(())
        }
        Command::Serve {
            dirs,
            listen,
            db,
            allow_origins,
            rate_burst,
            rate_seconds,
        } => {
            for dir in &dirs {
                if !dir.is_dir() {
                    return Err(format!(
                        "{} is not a folder: build the widget first (make build)",
                        dir.display()
                    ));
                }
            }
            let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| {
                format!("cannot listen on {listen}: {e} (is another server using it?)")
            })?;
            let address = listener.local_addr().map_err(|e| e.to_string())?;
            if !dirs.is_empty() {
                println!(
                    "xxgk-server: serving {} on http://{address}/",
                    describe(&dirs)
                );
            }
            let mut app = files::router(dirs);
            if let Some(db) = db {
                let store = crate::store::Store::open(&db)
                    .map_err(|e| format!("cannot open {}: {e}", db.display()))?;
                let settings = crate::api::Settings {
                    allowed_origins: allow_origins,
                    burst: rate_burst,
                    refill: std::time::Duration::try_from_secs_f64(rate_seconds)
                        .map_err(|_| "--rate-seconds must be a positive number".to_owned())?,
                };
                app = crate::api::router(store, settings).merge(app);
                println!(
                    "xxgk-server: receiving feedback at http://{address}/api/feedback into {}",
                    db.display()
                );
            }
            axum::serve(
                listener,
                app.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| format!("server stopped: {e}"))
        }
    }
}

fn open(db: &std::path::Path) -> Result<crate::store::Store, String> {
    if !db.exists() {
        return Err(format!(
            "{} does not exist: give the database the server writes with --db",
            db.display()
        ));
    }
    crate::store::Store::open(db).map_err(|e| format!("cannot open {}: {e}", db.display()))
}

/// Replies to (or declines) a submission.
fn answer(db: &std::path::Path, code: &str, text: &str, reply: bool) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err("the text is empty: say what the author should read".into());
    }
    let mut store = open(db)?;
    let now = crate::store::now();
    let done = if reply {
        store.reply(code, text.trim(), now)
    } else {
        store.reject(code, text.trim(), now)
    }
    .map_err(|e| e.to_string())?;
    if !done {
        return Err(format!("no submission has the code {code}"));
    }
    println!("{code}: {}", if reply { "已答复" } else { "不予受理" });
    Ok(())
}

fn describe(dirs: &[PathBuf]) -> String {
    dirs.iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Reads a catalogue file and reports what the widget would show and skip.
fn check(file: &std::path::Path, lang: xxgk_core::Lang) -> Result<(), String> {
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let catalogue = xxgk_core::Catalogue::parse(&file.display().to_string(), &bytes)
        .map_err(|e| e.message(lang))?;
    for skipped in &catalogue.skipped {
        println!("{}", skipped.message(lang));
    }
    let (items, skipped) = (catalogue.items.len(), catalogue.skipped.len());
    match lang {
        xxgk_core::Lang::Zh => {
            println!("{}：可显示 {items} 条，跳过 {skipped} 处。", file.display())
        }
        xxgk_core::Lang::En => println!(
            "{}: {items} entries shown, {skipped} skipped.",
            file.display()
        ),
    }
    if skipped == 0 {
        Ok(())
    } else {
        Err(lang
            .pick(
                "请按上面的提示修正后再上传。",
                "fix the problems above before uploading.",
            )
            .to_owned())
    }
}
