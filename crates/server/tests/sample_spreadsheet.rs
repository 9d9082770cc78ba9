//! The sample spreadsheet of `examples/spreadsheet/`: a township's
//! catalogue as staff keep it in Excel, written here, once as `.xlsx` and
//! once as the `.csv` Excel saves from it. The committed files must be what
//! this test writes; to change them, edit the rows below and run
//!
//! ```sh
//! XXGK_WRITE_SAMPLES=1 cargo test -p xxgk-server --test sample_spreadsheet
//! ```
//!
//! What it holds: Chinese headers and an extra 备注 column; dates typed in
//! each form staff use, a date cell (row 2, row 8) and a date left as
//! Excel's serial number (rows 7 and 12, 42814 and 42794); categories by
//! name, path (with `/` and `＞`) and id; attachments as `name|url`,
//! `name url` and a bare URL; a blank row (6) and one bad row (9, a date
//! that does not exist).

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};

/// A cell of the sample.
#[derive(Clone, Copy)]
enum Value {
    /// Text, as typed.
    T(&'static str),
    /// A date cell, formatted as a date in Excel (saved to CSV as Excel
    /// shows it, `2016/12/5`).
    Day(u16, u8, u8),
    /// A number in General format: a date Excel shows as its serial.
    Serial(f64),
    /// Nothing.
    Empty,
}

use Value::{Day, Empty, Serial, T};

const HEADER: [&str; 19] = [
    "索引号",
    "名称",
    "发布机构",
    "文号",
    "成文日期",
    "发布日期",
    "目录分类",
    "主题分类",
    "体裁",
    "主题词",
    "有效性",
    "公开方式",
    "层级",
    "村",
    "内容概述",
    "正文",
    "附件",
    "原文链接",
    "备注",
];

const ROWS: [[Value; 19]; 11] = [
    [
        T("11341822003207567E/201612-00031"),
        T("东亭乡2017年部门预算公开"),
        T("东亭乡人民政府"),
        T("东政〔2016〕58号"),
        T("2016-12-01"),
        Day(2016, 12, 5),
        T("财政预决算"),
        T("财政"),
        T("报告"),
        T("部门预算；2017年，预算公开"),
        T("有效"),
        T("主动公开"),
        T("乡镇级"),
        Empty,
        T("公开2017年乡本级部门收支预算、政府采购预算和“三公”经费预算。"),
        T("根据《预算法》和县财政局关于预决算公开的要求，现将东亭乡2017年部门预算公开如下。\n一、收入预算：一般公共预算拨款收入1286.4万元。\n二、支出预算：一般公共服务支出512.3万元，农林水支出408.6万元，其他支出365.5万元。"),
        T("2017年东亭乡部门预算表.xls|files/2017-dept-budget.xls"),
        Empty,
        T("已审核"),
    ],
    [
        T("11341822003207567E/201612-00033"),
        T("东亭乡2016年“三公”经费预算执行情况说明"),
        T("东亭乡人民政府"),
        Empty,
        T("2016/12/8"),
        T("2016/12/12"),
        T("法定主动公开内容/财政预决算/三公经费"),
        T("财政"),
        T("说明"),
        T("三公经费 公务接待 公务用车"),
        T("有效"),
        T("主动公开"),
        T("乡镇级"),
        Empty,
        T("2016年1-11月“三公”经费支出21.7万元，比上年同期下降12.4%。"),
        T("2016年1-11月，我乡“三公”经费支出21.7万元，其中公务接待费6.2万元，公务用车运行维护费15.5万元，无因公出国（境）费用。"),
        Empty,
        T("https://www.guangde.gov.cn/public/2651141/30186031.html"),
        Empty,
    ],
    [
        T("11341822003207567E/201611-00027"),
        T("东亭乡2016年秋冬季森林防火工作方案"),
        T("东亭乡人民政府"),
        T("东政办〔2016〕21号"),
        T("2016.11.02"),
        T("2016.11.04"),
        T("法定主动公开内容＞安全生产与应急"),
        T("安全生产"),
        T("方案"),
        T("森林防火、秋冬季"),
        T("失效"),
        T("主动公开"),
        T("乡镇级"),
        Empty,
        T("明确2016年11月至2017年4月森林防火期的责任分工、巡查值守和扑救预案。"),
        T("一、防火期：2016年11月1日至2017年4月30日。\n二、各村设立护林员，重点山场每日巡查。\n三、乡组建30人半专业扑火队，24小时值班。"),
        Empty,
        Empty,
        T("2017年方案已发布"),
    ],
    [
        T("11341822003207567E/201610-00019"),
        T("东亭村2016年第三季度村级财务收支公开"),
        T("东亭乡东亭村村民委员会"),
        Empty,
        T("2016年10月8日"),
        T("2016年10月10日"),
        T("czyjs"),
        T("财政"),
        T("公示"),
        T("村务公开；财务收支"),
        T("有效"),
        T("主动公开"),
        T("村级"),
        T("东亭村"),
        T("东亭村2016年7-9月村级收入8.6万元，支出7.9万元。"),
        T("经村务监督委员会审核，现将东亭村2016年第三季度村级财务收支情况公开如下：收入8.6万元，支出7.9万元，结余0.7万元。"),
        T("东亭村2016年第三季度财务收支明细.xls files/dongting-2016q3.xls"),
        Empty,
        Empty,
    ],
    [
        Empty, Empty, Empty, Empty, Empty, Empty, Empty, Empty, Empty, Empty, Empty, Empty,
        Empty, Empty, Empty, Empty, Empty, Empty, Empty,
    ],
    [
        T("11341822003207567E/201703-00020"),
        T("东亭乡2016年政府信息公开工作年度报告"),
        T("东亭乡人民政府"),
        Empty,
        T("2017-03-20"),
        Serial(42814.0),
        T("年度报告"),
        T("综合政务"),
        T("报告"),
        T("年度报告、政府信息公开"),
        T("有效"),
        T("主动公开"),
        T("乡镇级"),
        Empty,
        T("2016年全乡主动公开政府信息136条，受理依申请公开2件，均按时答复。"),
        T("本报告根据《中华人民共和国政府信息公开条例》要求编制。\n一、概述\n二、主动公开政府信息情况\n三、依申请公开政府信息情况"),
        Empty,
        Empty,
        Empty,
    ],
    [
        T("11341822003207567E/201701-00004"),
        T("关于东亭乡2016年农村危房改造补助资金发放情况的答复"),
        T("东亭乡人民政府"),
        Empty,
        T("20170110"),
        Day(2017, 1, 12),
        T("依申请公开"),
        T("城乡建设"),
        T("答复"),
        T("危房改造 补助资金"),
        T("有效"),
        T("依申请公开"),
        T("乡镇级"),
        Empty,
        T("答复申请人关于2016年农村危房改造补助资金发放情况的申请。"),
        T("2016年我乡完成农村危房改造42户，发放补助资金75.6万元，均已通过“一卡通”直接发放到户。"),
        Empty,
        Empty,
        Empty,
    ],
    [
        T("11341822003207567E/201602-00008"),
        T("东亭乡2016年春季植树造林工作安排"),
        T("东亭乡人民政府"),
        Empty,
        T("2016-02-22"),
        T("2016年2月30日"),
        T("规划计划"),
        T("林业"),
        T("通知"),
        T("植树造林"),
        T("有效"),
        T("主动公开"),
        T("乡镇级"),
        Empty,
        T("2016年春季全乡计划植树造林1200亩。"),
        Empty,
        Empty,
        Empty,
        T("发布日期待核"),
    ],
    [
        T("11341822003207567E/201609-00014"),
        T("白杨村美丽乡村中心村（一期）建设资金使用情况公示"),
        T("东亭乡白杨村村民委员会"),
        Empty,
        T("2016-09-01"),
        T("2016/9/6"),
        T("美丽乡村"),
        T("城乡建设"),
        T("公示"),
        T("美丽乡村 中心村 资金使用"),
        T("有效"),
        T("主动公开"),
        T("村级"),
        T("白杨村"),
        T("白杨村中心村（一期）建设资金312万元的使用情况。"),
        T("白杨村美丽乡村中心村（一期）建设共投入资金312万元，其中道路硬化128万元，污水处理96万元，绿化亮化88万元。"),
        T("资金使用明细表.xls|files/baiyang-2016-funds.xls\nhttps://www.guangde.gov.cn/files/baiyang-plan.pdf"),
        Empty,
        Empty,
    ],
    [
        T("11341822003207567E/201405-00006"),
        T("东亭乡农村宅基地管理暂行办法"),
        T("东亭乡人民政府"),
        T("东政〔2014〕9号"),
        T("2014-05-10"),
        T("2014-05-16"),
        T("政策文件"),
        T("国土资源"),
        T("办法"),
        T("宅基地"),
        T("废止"),
        T("主动公开"),
        T("乡镇级"),
        Empty,
        T("规范农村宅基地申请、审批和使用。"),
        T("第一条 为加强农村宅基地管理，节约集约用地，制定本办法。"),
        Empty,
        Empty,
        T("已被新办法取代"),
    ],
    [
        T("11341822003207567E/201702-00009"),
        T("东亭乡2017年第一季度农村低保对象名单公示"),
        T("东亭乡人民政府"),
        Empty,
        T("2017-02-24"),
        Serial(42794.0),
        T("社会救助"),
        T("民政"),
        T("公示"),
        T("低保；公示"),
        T("有效"),
        T("主动公开"),
        T("乡镇级"),
        Empty,
        T("2017年第一季度全乡农村低保对象186户312人。"),
        T("经村民代表民主评议、乡审核，2017年第一季度全乡农村低保对象186户312人，现予公示，公示期7天。"),
        T("2017年第一季度东亭乡农村低保对象名册.xls|files/2017q1-dibao.xls"),
        Empty,
        Empty,
    ],
];

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/spreadsheet");

/// The workbook: one sheet, bold headers, dates formatted as dates, fixed
/// document properties so the bytes are the same on every run.
fn xlsx() -> Vec<u8> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2017, 3, 31).unwrap();
    book.set_properties(
        &DocProperties::new()
            .set_title("东亭乡政府信息公开目录（示例）")
            .set_creation_datetime(&created),
    );
    let sheet = book.add_worksheet();
    sheet.set_name("公开目录").unwrap();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (col, name) in HEADER.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, *name, &bold)
            .unwrap();
    }
    for (i, row) in ROWS.iter().enumerate() {
        let r = i as u32 + 1;
        for (c, value) in row.iter().enumerate() {
            let c = c as u16;
            match *value {
                T(text) => {
                    sheet.write_string(r, c, text).unwrap();
                }
                Day(y, m, d) => {
                    let day = ExcelDateTime::from_ymd(y, m, d).unwrap();
                    sheet.write_datetime_with_format(r, c, &day, &date).unwrap();
                }
                Serial(n) => {
                    sheet.write_number(r, c, n).unwrap();
                }
                Empty => {}
            }
        }
    }
    for (col, width) in [
        (0, 34),
        (1, 40),
        (2, 24),
        (6, 30),
        (14, 40),
        (15, 40),
        (16, 40),
    ] {
        sheet.set_column_width(col, width).unwrap();
    }
    sheet.set_freeze_panes(1, 0).unwrap();
    book.save_to_buffer().unwrap()
}

/// The same rows as Excel's "CSV UTF-8" saves them: a byte-order mark,
/// CRLF between rows (a line break inside a cell stays LF), date cells as
/// Excel shows them, serial numbers as numbers.
fn csv() -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(&mut out);
    writer.write_record(HEADER).unwrap();
    for row in &ROWS {
        let cells = row.iter().map(|value| match *value {
            T(text) => text.to_owned(),
            Day(y, m, d) => format!("{y}/{m}/{d}"),
            Serial(n) => format!("{n}"),
            Empty => String::new(),
        });
        writer.write_record(cells).unwrap();
    }
    writer.flush().unwrap();
    drop(writer);
    out
}

#[test]
fn the_committed_samples_are_what_this_test_writes() {
    let samples = [
        ("dongting-sample.xlsx", xlsx()),
        ("dongting-sample.csv", csv()),
    ];
    if std::env::var_os("XXGK_WRITE_SAMPLES").is_some() {
        std::fs::create_dir_all(DIR).unwrap();
        for (name, bytes) in &samples {
            std::fs::write(format!("{DIR}/{name}"), bytes).unwrap();
        }
    }
    for (name, bytes) in &samples {
        let committed = std::fs::read(format!("{DIR}/{name}")).unwrap();
        assert!(
            committed == *bytes,
            "examples/spreadsheet/{name} is not what this test writes: run XXGK_WRITE_SAMPLES=1 cargo test -p xxgk-server --test sample_spreadsheet"
        );
    }
}
