use clap::Parser;
use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let cli = xxgk_server::cli::Cli::parse();
    // A staff command whose output goes to a pipe closed early (`case
    // list | head`) stops quietly, as other command-line tools do, instead
    // of failing on its next line. The server keeps writes to a closed
    // connection as errors it handles.
    #[cfg(unix)]
    if !matches!(cli.command, xxgk_server::cli::Command::Serve(_)) {
        // SAFETY: called before any thread starts; restores the default
        // disposition Rust's runtime replaced.
        unsafe {
            libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        }
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("xxgk-server: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(xxgk_server::cli::run(cli));
    // After the grace period a write still waiting for the database is not
    // waited for: the process stops in bounded time.
    runtime.shutdown_timeout(Duration::from_secs(1));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xxgk-server: {message}");
            ExitCode::FAILURE
        }
    }
}
