//! Genres (体裁分类) and the shape of a document of each genre.

/// The genre of an item, which decides how its body opens, is laid out and
/// closes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Genre {
    /// 通知: salutation, numbered points, 特此通知, signature.
    Notice,
    /// 公告: plain paragraphs, 特此公告, signature.
    Announcement,
    /// 公示: plain paragraphs, the objection period, signature.
    Publicity,
    /// 报告: numbered paragraphs, no signature.
    Report,
    /// 意见: headed sections.
    Opinion,
    /// 方案: headed sections.
    Plan,
    /// 决定: numbered points, signature.
    Decision,
    /// 办法: articles (第一条 …).
    Measures,
}

impl Genre {
    /// The word written in the `genre` member.
    pub fn as_str(self) -> &'static str {
        match self {
            Genre::Notice => "通知",
            Genre::Announcement => "公告",
            Genre::Publicity => "公示",
            Genre::Report => "报告",
            Genre::Opinion => "意见",
            Genre::Plan => "方案",
            Genre::Decision => "决定",
            Genre::Measures => "办法",
        }
    }

    /// The first line before the text, if the genre has one.
    pub fn salutation(self, village: bool) -> Option<&'static str> {
        match (self, village) {
            (Genre::Notice, false) => Some("各村（社区）、{级}直各单位："),
            (Genre::Notice | Genre::Announcement, true) => Some("全体村民："),
            _ => None,
        }
    }

    /// The opening sentence.
    pub fn opening(self, village: bool) -> &'static str {
        match (self, village) {
            (Genre::Notice, false) => {
                "为{目的}，根据上级有关文件精神，经{级}党委、政府研究，现就有关事项通知如下："
            }
            (Genre::Notice, true) => "经村“两委”研究，现将有关事项通知如下：",
            (Genre::Announcement, _) => "根据有关法律法规和上级文件规定，现将有关事项公告如下：",
            (Genre::Publicity, false) => "根据有关规定，现将有关情况予以公示。",
            (Genre::Publicity, true) => {
                "经村民代表会议评议、村务监督委员会审核，现将有关情况在本村公示栏予以公示。"
            }
            (Genre::Report, false) => {
                "{年}年以来，{乡}在县委、县政府的正确领导下，认真落实各项工作部署，现将有关情况报告如下。"
            }
            (Genre::Report, true) => "{年}年以来，在{乡}党委、政府的指导下，{村}各项工作有序推进，现将有关情况报告如下。",
            (Genre::Opinion, false) => "为{目的}，结合我{级}实际，提出如下意见。",
            (Genre::Opinion, true) => "为{目的}，结合本村实际，提出如下意见。",
            (Genre::Plan, false) => "为{目的}，结合我{级}实际，特制定本方案。",
            (Genre::Plan, true) => "为{目的}，结合本村实际，特制定本方案。",
            (Genre::Decision, _) => "经{级}党委、政府研究，作出如下决定。",
            (Genre::Measures, _) => {
                "第一条 为{目的}，根据有关法律法规和上级文件规定，结合本{级}实际，制定本办法。"
            }
        }
    }

    /// The paragraphs after the text, before the signature.
    pub fn closing(self, village: bool) -> &'static [&'static str] {
        match (self, village) {
            (Genre::Notice, _) => &["特此通知。"],
            (Genre::Announcement, _) => &["特此公告。"],
            (Genre::Publicity, false) => &[
                "公示期为{天数}个工作日（{起}至{止}）。公示期间如有异议，请向{乡}{办}反映，联系电话：{电话}。",
            ],
            (Genre::Publicity, true) => &[
                "公示期为{天数}个工作日（{起}至{止}）。如有异议，请向{村}村务监督委员会或{乡}{办}反映，联系电话：{电话}。",
            ],
            (Genre::Decision, _) => &["特此决定。"],
            (Genre::Measures, _) => &["本办法由{乡}{办}负责解释，自发布之日起施行。"],
            _ => &[],
        }
    }

    /// Whether the body ends with the publisher and the date.
    pub fn signed(self) -> bool {
        matches!(
            self,
            Genre::Notice | Genre::Announcement | Genre::Publicity | Genre::Decision
        )
    }

    /// Section headings, for genres laid out in headed sections.
    pub fn headings(self) -> &'static [&'static str] {
        match self {
            Genre::Opinion => &[
                "一、总体要求",
                "二、主要任务",
                "三、保障措施",
                "四、工作要求",
                "五、其他事项",
            ],
            Genre::Plan => &[
                "一、指导思想",
                "二、工作目标",
                "三、工作措施",
                "四、时间安排",
                "五、工作要求",
            ],
            _ => &[],
        }
    }
}
