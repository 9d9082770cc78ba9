//! The category tree (目录分类) spreadsheet rows are filed in, and how a
//! category cell names a node: by its name (`财政预决算`), by a path from
//! any ancestor (`法定主动公开内容/财政预决算`, with `/`, `>`, `＞` or `\`
//! between the names), or by its id (`czyjs`). Names are compared folded
//! ([`super::text::fold`]).
//!
//! The tree is that of a `--categories` catalogue file, or by default the
//! standard township tree of `examples/dongting/catalogue.json`, taken
//! from it when the server is built (see `build.rs`).

use super::error::InputError;
use super::text::fold;
use serde::Serialize;
use std::collections::HashMap;
use xxgk_core::{Catalogue, Category};

const STANDARD: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/default-categories.json"));

/// A category tree, flat, parents before their children.
#[derive(Clone, Debug)]
pub struct Tree {
    nodes: Vec<Category>,
    ids: HashMap<String, usize>,
    names: HashMap<String, Vec<usize>>,
}

/// What a category cell names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found<'a> {
    /// One node: its id.
    Id(&'a str),
    /// No node: the catalogue parser will say so.
    Nothing,
    /// Several nodes: their paths.
    Several(Vec<String>),
}

/// A node as the catalogue file writes it.
#[derive(Clone, Debug, Serialize)]
pub struct Node {
    id: String,
    name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    children: Vec<Node>,
}

impl Tree {
    /// The standard township tree.
    pub fn standard() -> Result<Tree, InputError> {
        Tree::read("examples/dongting/catalogue.json", STANDARD)
    }

    /// The tree of a catalogue file; its entries are not looked at.
    pub fn from_file(path: &std::path::Path) -> Result<Tree, InputError> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| InputError::Read {
            file: file.clone(),
            detail: e.to_string(),
        })?;
        Tree::read(&file, &bytes)
    }

    fn read(file: &str, bytes: &[u8]) -> Result<Tree, InputError> {
        let catalogue = Catalogue::parse(file, bytes).map_err(InputError::Categories)?;
        let skipped: Vec<_> = catalogue
            .skipped
            .iter()
            .filter(|s| matches!(s.place, xxgk_core::SkippedPlace::Category(_)))
            .cloned()
            .collect();
        if !skipped.is_empty() {
            return Err(InputError::BadCategories {
                file: file.to_owned(),
                skipped,
            });
        }
        Ok(Tree::new(catalogue.categories))
    }

    /// A tree of these nodes (parents before children, as
    /// [`Catalogue::categories`] has them).
    pub fn new(nodes: Vec<Category>) -> Tree {
        let mut ids = HashMap::new();
        let mut names: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, node) in nodes.iter().enumerate() {
            ids.insert(node.id.clone(), i);
            names.entry(fold(&node.name)).or_default().push(i);
        }
        Tree { nodes, ids, names }
    }

    /// The node a category cell names.
    pub fn find(&self, cell: &str) -> Found<'_> {
        let cell = cell.trim();
        if let Some(&i) = self.ids.get(cell) {
            return Found::Id(&self.nodes[i].id);
        }
        if let Some(nodes) = self.names.get(&fold(cell)) {
            return self.one_of(nodes);
        }
        let folded = super::text::half_width(cell);
        let steps: Vec<String> = folded
            .split(['/', '>', '\\'])
            .map(fold)
            .filter(|s| !s.is_empty())
            .collect();
        let Some((last, above)) = steps.split_last() else {
            return Found::Nothing;
        };
        if above.is_empty() {
            return Found::Nothing;
        }
        let matching: Vec<usize> = (0..self.nodes.len())
            .filter(|&i| self.is(i, last) && self.below(i, above))
            .collect();
        self.one_of(&matching)
    }

    /// Whether node `i` has this folded name or this id.
    fn is(&self, i: usize, step: &str) -> bool {
        fold(&self.nodes[i].name) == step || self.nodes[i].id == step
    }

    /// Whether node `i`'s nearest ancestors are `steps`, the last its
    /// parent.
    fn below(&self, i: usize, steps: &[String]) -> bool {
        let mut at = self.nodes[i].parent;
        for step in steps.iter().rev() {
            match at {
                Some(p) if self.is(p, step) => at = self.nodes[p].parent,
                _ => return false,
            }
        }
        true
    }

    fn one_of(&self, nodes: &[usize]) -> Found<'_> {
        match nodes {
            [] => Found::Nothing,
            [one] => Found::Id(&self.nodes[*one].id),
            several => Found::Several(several.iter().map(|&i| self.path(i)).collect()),
        }
    }

    /// A node's names from the top, joined by `/`.
    pub fn path(&self, i: usize) -> String {
        let mut names = Vec::new();
        let mut at = Some(i);
        while let Some(n) = at {
            names.push(self.nodes[n].name.as_str());
            at = self.nodes[n].parent;
        }
        names.reverse();
        names.join("/")
    }

    /// The tree as the catalogue file's `categories` writes it.
    pub fn nodes(&self) -> Vec<Node> {
        nest(&self.nodes)
    }
}

/// Flat categories (parents before children) as nested nodes.
pub fn nest(flat: &[Category]) -> Vec<Node> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); flat.len()];
    let mut top = Vec::new();
    for (i, node) in flat.iter().enumerate() {
        match node.parent {
            Some(p) => children[p].push(i),
            None => top.push(i),
        }
    }
    fn build(i: usize, flat: &[Category], children: &[Vec<usize>]) -> Node {
        Node {
            id: flat[i].id.clone(),
            name: flat[i].name.clone(),
            children: children[i]
                .iter()
                .map(|&c| build(c, flat, children))
                .collect(),
        }
    }
    top.into_iter().map(|i| build(i, flat, &children)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree() -> Tree {
        let json = r#"{"schema":"xxgk-catalogue/1","site":{"name":"x"},"items":[],"categories":[
            {"id":"fd","name":"法定主动公开内容","children":[
                {"id":"cz","name":"财政预决算（含三公经费）","children":[{"id":"qt1","name":"其他"}]},
                {"id":"qt2","name":"其他"}]},
            {"id":"nb","name":"年度报告","children":[{"id":"qt3","name":"其他"}]}]}"#;
        Tree::read("t", json.as_bytes()).unwrap()
    }

    #[test]
    fn the_standard_tree_is_the_sample_catalogues() {
        let standard = Tree::standard().unwrap();
        assert_eq!(standard.find("财政预决算"), Found::Id("czyjs"));
        assert_eq!(standard.find("三公经费"), Found::Id("sgjf"));
        assert_eq!(standard.nodes.len(), 23);
    }

    #[test]
    fn the_import_guide_lists_the_standard_tree() {
        let guide = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../docs/catalogue-import.md"
        );
        let guide = std::fs::read_to_string(guide).unwrap();
        let standard = Tree::standard().unwrap();
        for (i, node) in standard.nodes.iter().enumerate() {
            let line = format!("\n| {} | `{}` |\n", standard.path(i), node.id);
            assert!(
                guide.contains(&line),
                "docs/catalogue-import.md lacks{line}"
            );
        }
    }

    #[test]
    fn a_category_is_found_by_id_name_or_path() {
        let tree = tree();
        assert_eq!(tree.find("cz"), Found::Id("cz"));
        assert_eq!(tree.find(" 财政预决算(含三公经费) "), Found::Id("cz"));
        assert_eq!(tree.find("法定主动公开内容/其他"), Found::Id("qt2"));
        assert_eq!(
            tree.find("法定主动公开内容＞财政预决算（含三公经费）＞其他"),
            Found::Id("qt1")
        );
        assert_eq!(
            tree.find("财政预决算（含三公经费）> 其他"),
            Found::Id("qt1")
        );
        assert_eq!(tree.find("年度报告\\其他"), Found::Id("qt3"));
        assert_eq!(tree.find("nb/qt3"), Found::Id("qt3"));
    }

    #[test]
    fn a_name_of_several_nodes_names_their_paths() {
        assert_eq!(
            tree().find("其他"),
            Found::Several(vec![
                "法定主动公开内容/财政预决算（含三公经费）/其他".into(),
                "法定主动公开内容/其他".into(),
                "年度报告/其他".into(),
            ])
        );
    }

    #[test]
    fn what_names_no_node_is_nothing() {
        let tree = tree();
        for cell in [
            "财政",
            "年度报告/财政预决算（含三公经费）",
            "/",
            "其他/法定主动公开内容",
            "QT1",
        ] {
            assert_eq!(tree.find(cell), Found::Nothing, "{cell}");
        }
    }

    #[test]
    fn a_tree_with_a_bad_node_is_refused() {
        let json = r#"{"schema":"xxgk-catalogue/1","site":{"name":"x"},"items":[],
            "categories":[{"id":"a","name":"甲"},{"id":"a","name":"乙"}]}"#;
        assert!(matches!(
            Tree::read("t", json.as_bytes()),
            Err(InputError::BadCategories { .. })
        ));
    }

    #[test]
    fn nesting_gives_back_the_tree() {
        let nodes = serde_json::to_value(tree().nodes()).unwrap();
        assert_eq!(nodes[0]["children"][0]["children"][0]["id"], "qt1");
        assert_eq!(nodes[1]["children"][0]["name"], "其他");
        assert!(nodes[0]["children"][1].get("children").is_none());
    }
}
