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
    /// Serve static files (the built widget, demo page, catalogues).
    Serve {
        /// A folder to serve; give it several times to layer folders, the
        /// first that has a file wins.
        #[arg(long = "static", value_name = "DIR", required = true)]
        dirs: Vec<PathBuf>,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: SocketAddr,
    },
}

/// Runs a command; the error is a sentence for the terminal.
pub async fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Serve { dirs, listen } => {
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
            println!(
                "xxgk-server: serving {} on http://{address}/",
                describe(&dirs)
            );
            axum::serve(listener, files::router(dirs))
                .with_graceful_shutdown(async {
                    let _ = tokio::signal::ctrl_c().await;
                })
                .await
                .map_err(|e| format!("server stopped: {e}"))
        }
    }
}

fn describe(dirs: &[PathBuf]) -> String {
    dirs.iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(" + ")
}
