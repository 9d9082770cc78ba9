//! Takes the standard township category tree (目录分类) from the sample
//! catalogue, `examples/dongting/catalogue.json`, so that
//! `xxgk-server catalogue` maps spreadsheet categories to it when no
//! `--categories` file is given. Only the tree is kept, written as a
//! catalogue without entries (`default-categories.json` in `OUT_DIR`), so
//! the binary carries a few hundred bytes rather than the whole sample and
//! the tree is read by the same parser as any `--categories` file.

use std::{env, error::Error, fs, path::Path};

const SOURCE: &str = "../../examples/dongting/catalogue.json";

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo:rerun-if-changed={SOURCE}");
    let sample: serde_json::Value = serde_json::from_slice(&fs::read(SOURCE)?)?;
    let categories = sample
        .get("categories")
        .filter(|c| c.is_array())
        .ok_or(format!("{SOURCE} has no \"categories\" array"))?;
    let tree = serde_json::json!({
        "schema": "xxgk-catalogue/1",
        "site": { "name": "目录分类" },
        "categories": categories,
        "items": [],
    });
    let out = Path::new(&env::var("OUT_DIR")?).join("default-categories.json");
    fs::write(out, serde_json::to_vec(&tree)?)?;
    Ok(())
}
