//! `xxgk-server catalogue check | import | publish | stats`, and the top-level
//! `xxgk-server check` they grew from. Each reads its input through
//! [`super::input::read`] and prints what staff need: every problem on a
//! line, then a summary; the exit is non-zero when something was left out.

use super::document;
use super::input::{self, Input, Options};
use super::problem::Problem;
use super::site::{self, SiteEntry};
use super::stats::Stats;
use crate::terminal::{printable, printable_lines};
use clap::{Subcommand, ValueEnum};
use std::path::{Path, PathBuf};
use xxgk_core::{Catalogue, Lang};

/// A catalogue command.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// Check a catalogue file or a spreadsheet (.xlsx, .xls, .ods, .csv)
    /// as the widget would read it: every problem, with the entry's
    /// position or the spreadsheet's row, and a non-zero exit if there is
    /// one.
    Check {
        /// The catalogue file or spreadsheet.
        file: PathBuf,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Turn a spreadsheet (or a catalogue file) into a catalogue file:
    /// rows with a problem are listed and left out, the others written;
    /// a non-zero exit if any row was left out.
    Import {
        /// The spreadsheet or catalogue file.
        file: PathBuf,
        /// The catalogue file to write (created, or replaced).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Publish a catalogue file or spreadsheet as a static bundle for the
    /// widget (data-catalogue=".../index.json"): checked as `check`
    /// checks it, the entries that pass written into DIR, whose shards any
    /// web server or CDN may cache for ever. Publishing again writes only
    /// what changed.
    Publish {
        /// The catalogue file or spreadsheet.
        file: PathBuf,
        /// The bundle's folder (created if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        #[command(flatten)]
        input: InputArgs,
    },
    /// Count the entries per category, level, month published and
    /// validity, with totals.
    Stats {
        /// The catalogue file or spreadsheet.
        file: PathBuf,
        /// Count only the entries published in this year.
        #[arg(long)]
        year: Option<u16>,
        /// md (Markdown tables), csv (dimension,value,count) or json.
        #[arg(long, value_enum, default_value_t = Format::Md)]
        format: Format,
        #[command(flatten)]
        input: InputArgs,
    },
}

/// How `stats` writes its counts.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A Markdown table per dimension.
    Md,
    /// One `dimension,value,count` line per count.
    Csv,
    /// One JSON object.
    Json,
}

/// How to read the input, shared by the catalogue commands.
#[derive(clap::Args, Debug)]
pub struct InputArgs {
    /// A catalogue file whose category tree the spreadsheet's 目录分类
    /// names (default: the standard township tree of
    /// examples/dongting/catalogue.json).
    #[arg(long, value_name = "FILE")]
    categories: Option<PathBuf>,
    /// The name of the disclosing body (default: the 发布机构 of most
    /// rows).
    #[arg(long)]
    site_name: Option<String>,
    /// The region, e.g. 安徽省广德县东亭乡.
    #[arg(long)]
    region: Option<String>,
    /// The sheet of a workbook to read (default: the first).
    #[arg(long)]
    sheet: Option<String>,
    /// The language of the messages: zh or en.
    #[arg(long, default_value = "zh")]
    lang: String,
}

impl InputArgs {
    fn options(self) -> Options {
        Options {
            categories: self.categories,
            site_name: self.site_name,
            region: self.region,
            sheet: self.sheet,
            lang: Lang::from_tag(&self.lang),
            progress: true,
        }
    }
}

/// Runs a catalogue command; the error is a sentence for the terminal.
pub fn run(command: Command) -> Result<(), String> {
    match command {
        Command::Check { file, input } => {
            let options = input.options();
            report(&read(&file, &options)?, options.lang)
        }
        Command::Import { file, out, input } => import(&file, &out, &input.options()),
        Command::Publish { file, out, input } => publish(&file, &out, &input.options()),
        Command::Stats {
            file,
            year,
            format,
            input,
        } => stats(&file, year, format, &input.options()),
    }
}

/// `xxgk-server check FILE`: a catalogue file read as the widget reads it,
/// each problem listed with the entry's position.
pub fn check_file(file: &Path, lang: Lang) -> Result<(), String> {
    let name = printable(&file.display().to_string()).into_owned();
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {name}: {e}"))?;
    report(&Input::catalogue(file.display().to_string(), bytes), lang)
}

fn read(file: &Path, options: &Options) -> Result<Input, String> {
    input::read(file, options).map_err(|e| printable(&e.message(options.lang)).into_owned())
}

/// Parses the input and prints its notes, its problems and how many
/// entries the widget will show; an error if anything was left out.
fn report(input: &Input, lang: Lang) -> Result<(), String> {
    let (catalogue, problems) = parse(input, lang)?;
    for line in notes_and_problems(input, &problems, lang) {
        println!("{line}");
    }
    let name = printable(&input.file);
    let (items, skipped) = (catalogue.items.len(), problems.len());
    match lang {
        Lang::Zh | Lang::Hant => println!("{name}：可显示 {items} 条，跳过 {skipped} 处。"),
        Lang::En => println!("{name}: {items} entries shown, {skipped} skipped."),
    }
    if skipped == 0 {
        Ok(())
    } else {
        Err(lang
            .pick(
                "请按上面的提示修正后再上传。",
                "fix the problems above before uploading.",
            )
            .to_owned())
    }
}

fn parse(input: &Input, lang: Lang) -> Result<(Catalogue, Vec<Problem>), String> {
    let catalogue = input
        .parse()
        .map_err(|e| printable(&e.message(lang)).into_owned())?;
    let problems = input.problems(&catalogue);
    Ok((catalogue, problems))
}

/// The notes on how a spreadsheet was read, then each problem, one a
/// line, safe to print.
fn notes_and_problems(input: &Input, problems: &[Problem], lang: Lang) -> Vec<String> {
    let notes = input.notes.iter().map(|n| n.message(lang));
    let problems = problems.iter().map(|p| p.message(lang));
    notes
        .chain(problems)
        .map(|line| printable(&line).into_owned())
        .collect()
}

fn import(file: &Path, out: &Path, options: &Options) -> Result<(), String> {
    let lang = options.lang;
    let input = read(file, options)?;
    let (mut catalogue, problems) = parse(&input, lang)?;
    super::sizes::fill(&mut catalogue, &[file, out]);
    for line in notes_and_problems(&input, &problems, lang) {
        println!("{line}");
    }
    let out_name = printable(&out.display().to_string()).into_owned();
    if catalogue.items.is_empty() {
        return Err(match lang {
            Lang::Zh | Lang::Hant => format!("没有可以导入的条目，未写入 {out_name}。请按上面的提示修正后重新导入。"),
            Lang::En => format!("nothing to import; {out_name} was not written. Fix the problems above and import again."),
        });
    }
    let json = document::from_catalogue(&catalogue, &site(&input, &catalogue, options))
        .map_err(|e| e.message(lang))?;
    write_replacing(out, &json).map_err(|e| match lang {
        Lang::Zh | Lang::Hant => format!("无法写入 {out_name}：{e}"),
        Lang::En => format!("cannot write {out_name}: {e}"),
    })?;
    let (items, skipped) = (catalogue.items.len(), problems.len());
    match lang {
        Lang::Zh | Lang::Hant => println!("已写入 {out_name}：{items} 条。"),
        Lang::En => println!("wrote {out_name}: {items} entries."),
    }
    if skipped == 0 {
        return Ok(());
    }
    Err(left_out(
        &input,
        skipped,
        lang,
        (
            "未导入",
            format!("其余 {items} 条已写入 {out_name}。请修正后重新导入。"),
        ),
        format!("the other {items} entries were written to {out_name}. Fix them and import again."),
    ))
}

/// The error that ends a command that left `skipped` rows or entries out:
/// what happened to them (in Chinese), then to the others.
fn left_out(input: &Input, skipped: usize, lang: Lang, zh: (&str, String), en: String) -> String {
    let rows = input.is_spreadsheet();
    match lang {
        Lang::Zh | Lang::Hant => format!(
            "{skipped} {}{}（见上），{}",
            if rows { "行" } else { "处" },
            zh.0,
            zh.1
        ),
        Lang::En => format!(
            "{skipped} {} left out (see above); {en}",
            if rows { "rows" } else { "entries" }
        ),
    }
}

fn publish(file: &Path, out: &Path, options: &Options) -> Result<(), String> {
    let lang = options.lang;
    let input = read(file, options)?;
    let (mut catalogue, problems) = parse(&input, lang)?;
    super::sizes::fill(&mut catalogue, &[file, &out.join("index.json")]);
    for line in notes_and_problems(&input, &problems, lang) {
        println!("{line}");
    }
    let out_name = printable(&out.display().to_string()).into_owned();
    if catalogue.items.is_empty() {
        return Err(match lang {
            Lang::Zh | Lang::Hant => format!("没有可以发布的条目，未写入 {out_name}。请按上面的提示修正后重新发布。"),
            Lang::En => format!("nothing to publish; {out_name} was not written. Fix the problems above and publish again."),
        });
    }
    let entry = site(&input, &catalogue, options);
    catalogue.site.name = entry.name;
    catalogue.site.region = entry.region;
    catalogue.site.updated = entry.updated.as_deref().and_then(xxgk_core::Date::parse);
    let published = super::publish::publish(&catalogue, out).map_err(|e| match lang {
        Lang::Zh | Lang::Hant => format!("无法写入 {out_name}：{e}"),
        Lang::En => format!("cannot write {out_name}: {e}"),
    })?;
    let (items, skipped) = (catalogue.items.len(), problems.len());
    let kb = published.bytes.div_ceil(1024);
    let (files, written, removed) = (published.files, published.written, published.removed);
    match lang {
        Lang::Zh | Lang::Hant => println!(
            "已发布到 {out_name}：{items} 条，共 {files} 个文件，新写入 {written} 个（{kb} KB），删除旧文件 {removed} 个。网页中请把 data-catalogue 指向 {out_name}/index.json。"
        ),
        Lang::En => println!(
            "published to {out_name}: {items} entries in {files} files, {written} written ({kb} KB), {removed} old files removed. Point data-catalogue at {out_name}/index.json."
        ),
    }
    if skipped == 0 {
        return Ok(());
    }
    Err(left_out(
        &input,
        skipped,
        lang,
        (
            "未发布",
            format!("其余 {items} 条已发布。请修正后重新发布。"),
        ),
        format!("the other {items} entries were published. Fix them and publish again."),
    ))
}

/// The site of an imported catalogue: as the input says it, with the
/// name and region staff give; for a spreadsheet, updated on the latest
/// date of the entries written.
fn site(input: &Input, catalogue: &Catalogue, options: &Options) -> SiteEntry {
    let given = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let updated = if input.is_spreadsheet() {
        site::latest(catalogue.items.iter().map(|i| i.published))
    } else {
        catalogue.site.updated.map(|d| d.to_string())
    };
    SiteEntry {
        name: given(&options.site_name).unwrap_or_else(|| catalogue.site.name.clone()),
        region: given(&options.region).or_else(|| catalogue.site.region.clone()),
        updated,
    }
}

/// Writes `bytes` to `path` through a `.part` file renamed when complete,
/// so a reader never sees half a catalogue.
fn write_replacing(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut part = path.as_os_str().to_owned();
    part.push(".part");
    let part = PathBuf::from(part);
    std::fs::write(&part, bytes)?;
    std::fs::rename(&part, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&part);
    })
}

fn stats(file: &Path, year: Option<u16>, format: Format, options: &Options) -> Result<(), String> {
    let lang = options.lang;
    let input = read(file, options)?;
    let (catalogue, problems) = parse(&input, lang)?;
    for note in &input.notes {
        eprintln!("xxgk-server: {}", printable(&note.message(lang)));
    }
    if !problems.is_empty() {
        let skipped = problems.len();
        eprintln!(
            "xxgk-server: {}",
            match lang {
                Lang::Zh | Lang::Hant => format!("{skipped} 处有问题，未计入统计（xxgk-server catalogue check 会列出）。"),
                Lang::En => format!("{skipped} problems left out of the counts (xxgk-server catalogue check lists them)."),
            }
        );
    }
    let stats = Stats::count(&catalogue, year, lang);
    let text = match format {
        Format::Md => stats.markdown(lang),
        Format::Csv => stats.csv(),
        Format::Json => stats.json(),
    };
    print(&text)
}

/// Prints `text`; on a terminal, control characters are shown, not obeyed.
fn print(text: &str) -> Result<(), String> {
    use std::io::{IsTerminal, Write};
    let stdout = std::io::stdout();
    let text = if stdout.is_terminal() {
        printable_lines(text)
    } else {
        text.to_owned()
    };
    let mut out = stdout.lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write the statistics: {e}"))
}
