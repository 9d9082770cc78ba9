//! Command line of `xxgk-catgen`.

use clap::Parser;
use std::fs::{self, File};
use std::io::{self, ErrorKind};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use xxgk_catgen::{write_catalogue, Error, Options};

/// Writes a realistic, deterministic xxgk-catalogue/1 file (a township's
/// 政府信息公开目录) for tests and benchmarks.
#[derive(Parser)]
#[command(name = "xxgk-catgen", version)]
struct Args {
    /// Number of items, exactly.
    #[arg(long)]
    items: u64,
    /// Seed; the same items and seed give byte-identical output.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output file (written whole or not at all); standard output if absent.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace this many items, spread through the file, with invalid ones.
    #[arg(long, default_value_t = 0)]
    bad: u64,
    /// Percentage of valid items in traditional characters.
    #[arg(long, default_value_t = 5)]
    traditional_percent: u32,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let options = Options {
        items: args.items,
        seed: args.seed,
        bad: args.bad,
        traditional_percent: args.traditional_percent,
    };
    let result = match &args.out {
        Some(path) => write_file(path, &options),
        None => write_catalogue(io::stdout().lock(), &options),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `xxgk-catgen … | head` is fine.
        Err(Error::Write(e)) if e.kind() == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xxgk-catgen: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Writes to `path.part` and renames, so a reader never sees half a file.
fn write_file(path: &Path, options: &Options) -> Result<(), Error> {
    let mut part = path.as_os_str().to_owned();
    part.push(".part");
    let part = PathBuf::from(part);
    let file = File::create(&part).map_err(|e| {
        Error::Write(io::Error::new(
            e.kind(),
            format!("cannot create {}: {e}", part.display()),
        ))
    })?;
    if let Err(e) = write_catalogue(file, options) {
        let _ = fs::remove_file(&part);
        return Err(e);
    }
    fs::rename(&part, path).map_err(|e| {
        Error::Write(io::Error::new(
            e.kind(),
            format!(
                "cannot rename {} to {}: {e}",
                part.display(),
                path.display()
            ),
        ))
    })
}
