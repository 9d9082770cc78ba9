//! The widget module for published bundles (see `Cargo.toml`).
fn main() {
    xxgk::start();
}
