//! The command line writes the same bytes as the library.

use std::process::Command;
use xxgk_catgen::{catalogue_bytes, Options};

fn catgen() -> Command {
    Command::new(env!("CARGO_BIN_EXE_xxgk-catgen"))
}

#[test]
fn out_file_and_stdout_hold_the_library_output() {
    let expected = catalogue_bytes(&Options {
        items: 40,
        seed: 3,
        bad: 2,
        ..Options::default()
    })
    .unwrap();

    let dir = std::env::temp_dir().join(format!("xxgk-catgen-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("catalogue.json");
    let status = catgen()
        .args(["--items", "40", "--seed", "3", "--bad", "2", "--out"])
        .arg(&path)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(std::fs::read(&path).unwrap(), expected);
    assert!(!dir.join("catalogue.json.part").exists());
    std::fs::remove_dir_all(&dir).unwrap();

    let output = catgen()
        .args(["--items", "40", "--seed", "3", "--bad", "2"])
        .output()
        .unwrap();
    assert!(output.status.success());
    assert_eq!(output.stdout, expected);
}

#[test]
fn seed_defaults_to_one() {
    let default = catgen().args(["--items", "5"]).output().unwrap();
    let one = catgen()
        .args(["--items", "5", "--seed", "1"])
        .output()
        .unwrap();
    assert_eq!(default.stdout, one.stdout);
}

#[test]
fn impossible_requests_fail_with_a_message() {
    let output = catgen()
        .args(["--items", "3", "--bad", "4"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--bad 4"), "{stderr}");

    let output = catgen()
        .args(["--items", "3", "--out", "/nonexistent-folder/x.json"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cannot create"), "{stderr}");

    let output = catgen().output().unwrap();
    assert!(!output.status.success(), "--items is required");
}
