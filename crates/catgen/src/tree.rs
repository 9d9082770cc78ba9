//! The catalogue tree (目录分类) every generated file carries.

use serde::Serialize;

/// One node of the catalogue tree, serialised as the format's category node.
#[derive(Debug, Serialize)]
pub struct Node {
    /// Unique id that items refer to.
    pub id: &'static str,
    /// Name shown to citizens.
    pub name: &'static str,
    /// Sub-categories; omitted from the JSON when empty.
    #[serde(skip_serializing_if = "<[Node]>::is_empty")]
    pub children: &'static [Node],
}

const fn leaf(id: &'static str, name: &'static str) -> Node {
    Node {
        id,
        name,
        children: &[],
    }
}

/// The usual top level of a township catalogue, as the brief fixes it.
pub const TREE: &[Node] = &[
    leaf("zn", "政府信息公开指南"),
    leaf("zd", "政府信息公开制度"),
    Node {
        id: "fdzdgk",
        name: "法定主动公开内容",
        children: &[
            leaf("jgzn", "机构职能"),
            leaf("zcwj", "政策文件"),
            leaf("ghjh", "规划计划"),
            Node {
                id: "czyjs",
                name: "财政预决算",
                children: &[leaf("sgjf", "三公经费")],
            },
            leaf("zfcg", "政府采购"),
            leaf("zdxm", "重大项目"),
            leaf("zdfw", "征地与房屋征收补偿"),
            leaf("shjz", "社会救助"),
            leaf("jy", "教育"),
            leaf("ylws", "医疗卫生"),
            leaf("shbz", "社会保障与就业"),
            leaf("jhsy", "计划生育"),
            leaf("aqsc", "安全生产与应急"),
            leaf("mlxc", "美丽乡村"),
            leaf("wmcj", "文明创建"),
            leaf("rsxx", "人事信息"),
            leaf("zdjc", "重大决策（决策、执行和结果）"),
        ],
    },
    leaf("ndbg", "年度报告"),
    leaf("ysqgk", "依申请公开"),
];

/// Every id in the tree, parents before children.
pub fn all_ids() -> Vec<&'static str> {
    fn walk(nodes: &'static [Node], out: &mut Vec<&'static str>) {
        for node in nodes {
            out.push(node.id);
            walk(node.children, out);
        }
    }
    let mut out = Vec::new();
    walk(TREE, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_has_the_twenty_three_ids_once_each() {
        let ids = all_ids();
        assert_eq!(ids.len(), 23);
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len());
    }

    #[test]
    fn leaves_serialise_without_children() {
        let json = serde_json::to_string(&leaf("zn", "政府信息公开指南")).unwrap();
        assert_eq!(json, r#"{"id":"zn","name":"政府信息公开指南"}"#);
    }
}
