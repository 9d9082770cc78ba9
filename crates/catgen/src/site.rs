//! The disclosing township chosen by the seed, with its villages and publishers.

use crate::dice::Dice;
use crate::orgcode::credit_code;
use std::collections::HashSet;

/// A county (all invented, in real provinces) that can host the township.
pub struct County {
    /// Province, e.g. `安徽省`.
    pub province: &'static str,
    /// Prefecture-level city, e.g. `宣城市`.
    pub city: &'static str,
    /// County name, e.g. `桐溪县`.
    pub name: &'static str,
    /// Pinyin used for the portal's host name in links.
    pub pinyin: &'static str,
    /// Six-digit administrative region code used in credit codes.
    pub region: &'static str,
    /// Telephone area code.
    pub area_code: &'static str,
}

const fn county(
    province: &'static str,
    city: &'static str,
    name: &'static str,
    pinyin: &'static str,
    region: &'static str,
    area_code: &'static str,
) -> County {
    County {
        province,
        city,
        name,
        pinyin,
        region,
        area_code,
    }
}

/// Counties the seed chooses from.
pub const COUNTIES: &[County] = &[
    county("安徽省", "宣城市", "桐溪县", "tongxi", "341826", "0563"),
    county("安徽省", "六安市", "霍岭县", "huoling", "341527", "0564"),
    county("安徽省", "安庆市", "皖山县", "wanshan", "340829", "0556"),
    county("江西省", "吉安市", "禾川县", "hechuan", "360831", "0796"),
    county("湖南省", "常德市", "澧川县", "lichuan", "430727", "0736"),
    county("湖北省", "黄冈市", "蕲阳县", "qiyang", "421128", "0713"),
    county("河南省", "信阳市", "淮川县", "huaichuan", "411529", "0376"),
    county("四川省", "南充市", "蓬川县", "pengchuan", "511326", "0817"),
    county("贵州省", "遵义市", "湄江县", "meijiang", "520331", "0851"),
    county(
        "广西壮族自治区",
        "桂林市",
        "漓源县",
        "liyuan",
        "450333",
        "0773",
    ),
    county("浙江省", "丽水市", "瓯源县", "ouyuan", "331128", "0578"),
    county("福建省", "三明市", "沙溪县", "shaxi", "350431", "0598"),
    county("山东省", "临沂市", "沂山县", "yishan", "371331", "0539"),
    county("江苏省", "盐城市", "淮东县", "huaidong", "320926", "0515"),
    county("河北省", "保定市", "易阳县", "yiyang", "130639", "0312"),
    county("山西省", "长治市", "漳源县", "zhangyuan", "140432", "0355"),
    county("陕西省", "汉中市", "褒城县", "baocheng", "610731", "0916"),
    county("甘肃省", "天水市", "渭川县", "weichuan", "620526", "0938"),
    county("云南省", "曲靖市", "南盘县", "nanpan", "530327", "0874"),
];

/// Township names (three characters, ending in 乡 or 镇).
pub const TOWNSHIPS: &[&str] = &[
    "东亭乡",
    "柏垫镇",
    "杨滩镇",
    "白石乡",
    "桃源镇",
    "清河乡",
    "双桥镇",
    "龙山乡",
    "金塘镇",
    "石门乡",
    "新丰镇",
    "马头镇",
    "黄土乡",
    "高桥镇",
    "古城镇",
    "三溪乡",
    "梅林镇",
    "青山乡",
    "长岭乡",
    "大河镇",
    "花园乡",
    "溪口镇",
    "塘湾镇",
    "杨柳乡",
    "凤凰镇",
    "茶山乡",
    "芦塘乡",
    "南岗镇",
    "北山乡",
    "西河镇",
    "红星乡",
    "太平镇",
    "安乐乡",
    "丰收乡",
    "宝塔镇",
    "枫林镇",
    "竹溪乡",
    "柳湾乡",
    "汤口镇",
    "黄岗乡",
];

/// Village stems; a village is the stem plus `村`.
pub const VILLAGE_STEMS: &[&str] = &[
    "东亭", "大屋", "沙坝", "新华", "红旗", "胜利", "光明", "前进", "和平", "团结", "永丰", "长桥",
    "石桥", "河口", "山口", "塘坊", "张庄", "李店", "王庄", "陈湾", "杨林", "黄岭", "周岗", "吴圩",
    "徐畈", "孙集", "马岭", "朱桥", "胡家", "郭庄", "何湾", "高林", "罗店", "梁山", "谢家", "宋湾",
    "唐店", "韩庄", "冯岭", "邓家", "曹湾", "彭桥", "田畈", "董岗", "潘庙", "袁庄", "蔡岭", "蒋湾",
    "丁桥", "魏庄", "叶湾", "杜湾", "戴家", "夏庄", "汪湾", "任庄", "方塘", "石岭", "姚畈", "谭家",
    "廖湾", "邹庄", "熊岭", "金山", "陆湾", "郝庄", "孔庄", "白马", "崔庄", "康乐", "毛坦", "邱湾",
    "江口", "史庄", "顾湾", "侯岗", "邵湾", "孟庄", "龙井", "万安", "段庄", "雷山", "钱桥", "汤池",
    "尹湾", "黎明", "易家", "常丰", "武陵", "乔庄", "贺湾", "龚店", "文山", "三河", "五里", "七星",
    "九龙", "十里", "双河", "四合", "六合", "新民", "新建", "幸福", "联合", "东风", "建新", "民主",
];

/// A township office (办、站、所) that publishes entries.
pub struct Office {
    /// Full name with `{乡}` for the township, e.g. `{乡}财政所`.
    pub name: &'static str,
    /// Short name used inside sentences, e.g. `财政所`.
    pub short: &'static str,
    /// Document-number infix after the township's first character, e.g. `财`.
    pub doc: &'static str,
    /// Credit-code kind: `11` organ of state, `12` public institution.
    pub kind: &'static str,
}

const fn office(
    name: &'static str,
    short: &'static str,
    doc: &'static str,
    kind: &'static str,
) -> Office {
    Office {
        name,
        short,
        doc,
        kind,
    }
}

/// The offices; category specs refer to them by index.
pub const OFFICES: &[Office] = &[
    office("{乡}党政办公室", "党政办公室", "政办", "11"),
    office("{乡}财政所", "财政所", "财", "11"),
    office("{乡}社会事务办公室", "社会事务办公室", "社", "11"),
    office("{乡}经济发展办公室", "经济发展办公室", "经", "11"),
    office("{乡}规划建设办公室", "规划建设办公室", "建", "11"),
    office("{乡}民政办公室", "民政办公室", "民", "11"),
    office("{乡}安全生产监督管理站", "安全生产监督管理站", "安监", "12"),
    office("{乡}计划生育办公室", "计划生育办公室", "计生", "11"),
    office("{乡}中心学校", "中心学校", "教", "12"),
    office("{乡}卫生院", "卫生院", "卫", "12"),
    office("{乡}农业综合服务中心", "农业综合服务中心", "农", "12"),
    office(
        "{乡}人力资源和社会保障事务所",
        "人力资源和社会保障事务所",
        "人社",
        "12",
    ),
    office("{乡}综合治理办公室", "综合治理办公室", "综治", "11"),
    office("中共{乡}委员会", "党委", "发", "11"),
];

/// Which kind of body a publisher is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Body {
    /// The township's people's government.
    Government,
    /// One of [`OFFICES`], by index.
    Office(usize),
    /// The committee of one of the site's villages, by index.
    Village(usize),
}

/// A body that publishes entries, with what its index numbers and document
/// numbers are made of.
pub struct Publisher {
    /// Full name, e.g. `东亭乡财政所`.
    pub name: String,
    /// 18-character credit code, the first part of every index number.
    pub code: String,
    /// Document-number prefix, e.g. `东财`.
    pub doc_prefix: String,
    /// What kind of body this is.
    pub body: Body,
}

/// The township whose catalogue is generated.
pub struct Site {
    /// The county it lies in.
    pub county: &'static County,
    /// Township name, e.g. `东亭乡`.
    pub township: &'static str,
    /// The township name without 乡/镇, e.g. `东亭`.
    pub stem: &'static str,
    /// `乡` or `镇`, used in 全乡/全镇, 乡长/镇长 and the like.
    pub level_word: &'static str,
    /// Its villages, e.g. `大屋村`.
    pub villages: Vec<String>,
    /// All publishers: the government first, then [`OFFICES`] in order, then
    /// one committee per village in order.
    pub publishers: Vec<Publisher>,
}

impl Site {
    /// Chooses the county, township, villages and publisher codes from the dice.
    pub fn choose(dice: &mut Dice) -> Site {
        let county = dice.pick(COUNTIES);
        let township = *dice.pick(TOWNSHIPS);
        let split = township
            .char_indices()
            .last()
            .map_or(township.len(), |(i, _)| i);
        let (stem, level_word) = township.split_at(split);
        let first: String = township.chars().take(1).collect();

        let village_count = dice.between(15, 24) as usize;
        let mut stems: Vec<&str> = VILLAGE_STEMS
            .iter()
            .copied()
            .filter(|s| *s != stem)
            .collect();
        let mut villages = Vec::with_capacity(village_count);
        for _ in 0..village_count {
            let i = dice.index(stems.len());
            villages.push(format!("{}村", stems.swap_remove(i)));
        }

        let mut used = HashSet::new();
        let mut unique_code = |kind: &str, dice: &mut Dice| loop {
            let code = credit_code(kind, county.region, dice);
            if used.insert(code.clone()) {
                return code;
            }
        };

        let mut publishers = Vec::with_capacity(1 + OFFICES.len() + villages.len());
        publishers.push(Publisher {
            name: format!("{township}人民政府"),
            code: unique_code("11", dice),
            doc_prefix: format!("{first}政"),
            body: Body::Government,
        });
        for (i, office) in OFFICES.iter().enumerate() {
            publishers.push(Publisher {
                name: office.name.replace("{乡}", township),
                code: unique_code(office.kind, dice),
                doc_prefix: format!("{first}{}", office.doc),
                body: Body::Office(i),
            });
        }
        for (i, village) in villages.iter().enumerate() {
            publishers.push(Publisher {
                name: format!("{village}村民委员会"),
                code: unique_code("54", dice),
                doc_prefix: format!("{}委", village),
                body: Body::Village(i),
            });
        }

        Site {
            county,
            township,
            stem,
            level_word,
            villages,
            publishers,
        }
    }

    /// `site.name`: county, township and 人民政府.
    pub fn name(&self) -> String {
        format!("{}{}人民政府", self.county.name, self.township)
    }

    /// `site.region`: province, city, county and township.
    pub fn region(&self) -> String {
        format!(
            "{}{}{}{}",
            self.county.province, self.county.city, self.county.name, self.township
        )
    }

    /// Index into [`Site::publishers`] of the government.
    pub fn government(&self) -> usize {
        0
    }

    /// Index into [`Site::publishers`] of office `office`.
    pub fn office(&self, office: usize) -> usize {
        1 + office
    }

    /// Index into [`Site::publishers`] of the committee of village `village`.
    pub fn village_committee(&self, village: usize) -> usize {
        1 + OFFICES.len() + village
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn townships_end_in_xiang_or_zhen() {
        for t in TOWNSHIPS {
            assert_eq!(t.chars().count(), 3, "{t}");
            assert!(t.ends_with('乡') || t.ends_with('镇'), "{t}");
        }
    }

    #[test]
    fn village_stems_are_distinct_and_never_end_in_cun() {
        let mut seen = HashSet::new();
        for s in VILLAGE_STEMS {
            assert!(seen.insert(*s), "{s} twice");
            assert!(!s.ends_with('村'), "{s}");
        }
    }

    #[test]
    fn a_site_has_distinct_villages_and_publisher_codes() {
        for seed in 0..50 {
            let site = Site::choose(&mut Dice::new(seed));
            let villages: HashSet<_> = site.villages.iter().collect();
            assert_eq!(villages.len(), site.villages.len());
            let codes: HashSet<_> = site.publishers.iter().map(|p| &p.code).collect();
            assert_eq!(codes.len(), site.publishers.len());
            assert!(site.name().ends_with("人民政府"));
            assert_eq!(site.stem.chars().count(), 2);
        }
    }
}
