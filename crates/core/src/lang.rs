//! The languages messages are written in.

/// A language the widget speaks. Messages that come from this crate (catalogue
/// problems, later validation errors) carry a text for each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Simplified Chinese, the default.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Reads a `data-lang` value such as `zh-CN`, `zh`, `en` or `en-GB`;
    /// anything not English falls back to Chinese.
    pub fn from_tag(tag: &str) -> Lang {
        let tag = tag.trim().to_ascii_lowercase();
        if tag == "en" || tag.starts_with("en-") {
            Lang::En
        } else {
            Lang::Zh
        }
    }

    /// Picks the text for this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// The BCP 47 tag to put in a `lang` attribute.
    pub fn tag(self) -> &'static str {
        self.pick("zh-CN", "en")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_tags_select_english_and_everything_else_chinese() {
        assert_eq!(Lang::from_tag("en"), Lang::En);
        assert_eq!(Lang::from_tag(" EN-gb "), Lang::En);
        assert_eq!(Lang::from_tag("zh-CN"), Lang::Zh);
        assert_eq!(Lang::from_tag(""), Lang::Zh);
        assert_eq!(Lang::from_tag("english"), Lang::Zh);
    }
}
