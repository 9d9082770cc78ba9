use clap::Parser;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = xxgk_server::cli::Cli::parse();
    match xxgk_server::cli::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xxgk-server: {message}");
            ExitCode::FAILURE
        }
    }
}
