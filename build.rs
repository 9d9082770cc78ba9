//! Minifies the widget's stylesheet into the build directory; `embed.rs`
//! includes the result, so every byte saved is a byte citizens do not
//! download. Only comments and white space are removed, never inside a
//! quoted string.

use std::{env, fs, path::Path};

fn main() {
    let source = "style/xxgk.css";
    println!("cargo:rerun-if-changed={source}");
    let css = fs::read_to_string(source).expect("style/xxgk.css is readable");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("xxgk.min.css");
    fs::write(out, minify(&css)).expect("the build directory is writable");
}

fn minify(css: &str) -> String {
    let mut without_comments = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        without_comments.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .split_once("*/")
            .map_or("", |(_, after)| after);
    }
    without_comments.push_str(rest);
    let collapsed = without_comments
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut out = String::with_capacity(collapsed.len());
    let chars: Vec<char> = collapsed.chars().collect();
    // Inside a quoted string every character counts.
    let mut quote = None;
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let previous = out.chars().last();
        match quote {
            Some(q) if c == q && previous != Some('\\') => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None => {}
        }
        if quote.is_some() {
            out.push(c);
            continue;
        }
        // A space after a colon (a declaration's, a pseudo-class's or a
        // media feature's) or before `!important` carries no meaning; one
        // before a colon does (`.a :focus`), and stays.
        let around_punctuation = matches!(next, Some('{' | '}' | ';' | '!'))
            || matches!(previous, Some('{' | '}' | ';' | ',' | ':'));
        if c == ' ' && around_punctuation {
            continue;
        }
        // The last declaration of a block needs no `;` (a space may
        // stand between them).
        let next_solid = chars[i + 1..].iter().copied().find(|&n| n != ' ');
        if c == ';' && next_solid == Some('}') {
            continue;
        }
        out.push(c);
    }
    out
}
