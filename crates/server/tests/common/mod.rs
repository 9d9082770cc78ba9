//! What the command-line tests share.

use std::process::Command;

/// Runs `xxgk-server` with `args`: whether it succeeded, its standard
/// output and its standard error.
pub fn run(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_xxgk-server"))
        .args(args)
        .output()
        .unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (
        output.status.success(),
        text(output.stdout),
        text(output.stderr),
    )
}
