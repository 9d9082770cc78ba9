//! The languages the interface speaks.

/// A language the widget speaks: simplified Chinese, traditional Chinese or
/// English. Which one a widget shows is the loader's choice (`xxgk.lang`
/// in src/loader.js), written on its host as `data-xxgk-lang`.
///
/// The interface's own words exist in all three ([`Lang::say`]). Messages
/// about catalogue data and the command line's output are written for the
/// staff who keep the catalogue, in simplified Chinese or English
/// ([`Lang::pick`]): a traditional-Chinese interface shows them in
/// simplified Chinese, marked with [`Lang::staff_tag`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Simplified Chinese (简体), the default.
    #[default]
    Zh,
    /// Traditional Chinese (繁體), with Hong Kong and Taiwan usage.
    Hant,
    /// English.
    En,
}

impl Lang {
    /// Every language, in the order the switch shows them.
    pub const ALL: [Lang; 3] = [Lang::Zh, Lang::Hant, Lang::En];

    /// Reads a BCP 47 tag such as `zh-CN`, `zh-Hant-HK`, `zh-TW` or `en-GB`;
    /// `None` for a language the widget does not speak.
    pub fn parse(tag: &str) -> Option<Lang> {
        let tag = tag.trim().to_ascii_lowercase().replace('_', "-");
        let mut parts = tag.split('-');
        match parts.next()? {
            "en" => Some(Lang::En),
            "zh" => {
                let rest: Vec<&str> = parts.collect();
                let traditional = rest.contains(&"hant")
                    || (!rest.contains(&"hans")
                        && rest.iter().any(|p| matches!(*p, "tw" | "hk" | "mo")));
                Some(if traditional { Lang::Hant } else { Lang::Zh })
            }
            _ => None,
        }
    }

    /// Reads a tag for messages to staff (`--lang` of the command line):
    /// English tags give English, anything else Chinese.
    pub fn from_tag(tag: &str) -> Lang {
        match Lang::parse(tag) {
            Some(Lang::En) => Lang::En,
            _ => Lang::Zh,
        }
    }

    /// Picks the interface text for this language.
    pub fn say<'a>(self, zh: &'a str, hant: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::Hant => hant,
            Lang::En => en,
        }
    }

    /// Picks a message to staff: traditional Chinese reads the simplified.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh | Lang::Hant => zh,
            Lang::En => en,
        }
    }

    /// The BCP 47 tag to put in a `lang` attribute.
    pub fn tag(self) -> &'static str {
        self.say("zh-CN", "zh-Hant", "en")
    }

    /// The `lang` attribute of a message to staff, where it differs from
    /// the interface's.
    pub fn staff_tag(self) -> Option<&'static str> {
        (self == Lang::Hant).then_some("zh-CN")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_read_by_language_and_script() {
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse(" EN-gb "), Some(Lang::En));
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("zh"), Some(Lang::Zh));
        assert_eq!(Lang::parse("zh-Hans-HK"), Some(Lang::Zh));
        assert_eq!(Lang::parse("zh-SG"), Some(Lang::Zh));
        assert_eq!(Lang::parse("zh-Hant"), Some(Lang::Hant));
        assert_eq!(Lang::parse("zh_TW"), Some(Lang::Hant));
        assert_eq!(Lang::parse("zh-HK"), Some(Lang::Hant));
        assert_eq!(Lang::parse("zh-Hant-CN"), Some(Lang::Hant));
        assert_eq!(Lang::parse("zh-MO"), Some(Lang::Hant));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse("english"), None);
        assert_eq!(Lang::parse(""), None);
    }

    #[test]
    fn staff_messages_are_chinese_unless_english() {
        assert_eq!(Lang::from_tag("en"), Lang::En);
        assert_eq!(Lang::from_tag("zh-TW"), Lang::Zh);
        assert_eq!(Lang::from_tag("english"), Lang::Zh);
        assert_eq!(Lang::Hant.pick("简", "en"), "简");
    }
}
