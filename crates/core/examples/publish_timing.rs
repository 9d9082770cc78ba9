//! Times parsing a catalogue file and publishing it as a bundle, and
//! fingerprints the bundle.
//!
//! `cargo run --profile native -p xxgk-core --example publish_timing --
//! FILE [ROUNDS]` prints the seconds each step took and a fingerprint of
//! every file's path and bytes, in order; `--dump` instead writes the
//! files' paths and bytes to standard output (for `sha256sum`).

use std::io::Write;
use std::time::Instant;
use xxgk_core::bundle::Bundle;
use xxgk_core::Catalogue;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dump = args.iter().any(|a| a == "--dump");
    let mut rest = args.iter().filter(|a| *a != "--dump");
    let Some(file) = rest.next() else {
        eprintln!("usage: publish_timing FILE [ROUNDS] [--dump]");
        std::process::exit(2);
    };
    let rounds: usize = rest.next().and_then(|r| r.parse().ok()).unwrap_or(1);
    let bytes = std::fs::read(file).expect("readable file");
    let start = Instant::now();
    let catalogue = Catalogue::parse(file, &bytes).expect("a catalogue");
    drop(bytes);
    eprintln!(
        "parse: {:.3} s ({} entries)",
        start.elapsed().as_secs_f64(),
        catalogue.items.len()
    );
    for round in 0..rounds {
        let start = Instant::now();
        let bundle = Bundle::publish(&catalogue);
        let seconds = start.elapsed().as_secs_f64();
        let total: usize = bundle.files.iter().map(|(_, b)| b.len()).sum();
        eprintln!(
            "publish {round}: {seconds:.3} s, {} files, {total} bytes, fingerprint {:016x}",
            bundle.files.len(),
            fingerprint(&bundle)
        );
        if dump && round + 1 == rounds {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for (path, bytes) in &bundle.files {
                let _ = writeln!(out, "{path} {}", bytes.len());
                let _ = out.write_all(bytes);
            }
        }
    }
}

/// FNV-1a over every path and file, with their lengths.
fn fingerprint(bundle: &Bundle) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for (path, bytes) in &bundle.files {
        eat(&(path.len() as u64).to_le_bytes());
        eat(path.as_bytes());
        eat(&(bytes.len() as u64).to_le_bytes());
        eat(bytes);
    }
    hash
}
