//! The widget's configuration, read from its host element's `data-`
//! attributes. Every attribute has a default, so a bare
//! `<div data-xxgk></div>` works; a value that makes no sense falls back to
//! the default with a warning for the web team.

/// Where the widget's markup and CSS live.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Isolation {
    /// In an open Shadow DOM: the portal's CSS cannot reach in, ours cannot
    /// leak out. The default.
    #[default]
    Shadow,
    /// In the page's own DOM, for portals whose accessibility toolbar reads
    /// only the light DOM. All our classes carry the `xxgk` prefix.
    None,
}

/// One widget's settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// `data-catalogue`: the catalogue file's URL, relative to the page.
    /// Default `catalogue.json`.
    pub catalogue: String,
    /// `data-page-size`: entries per page, 1-100. Default 10.
    pub page_size: usize,
    /// `data-category`: the category shown first. Default: every category.
    pub category: Option<String>,
    /// `data-theme-color`: the accent colour, any CSS colour. Default: the
    /// stylesheet's red.
    pub theme_color: Option<String>,
    /// `data-isolation`: `shadow` (default) or `none`.
    pub isolation: Isolation,
    /// `data-id`: the prefix of this widget's URL-hash parameters; letters,
    /// digits, `-` and `_`. Default: `xxgk` for the first widget without one,
    /// `xxgk2`, `xxgk3`… for the next.
    pub id: Option<String>,
    /// `data-large-text`: start in large-text mode (适老化). Default `false`.
    pub large_text: bool,
    /// `data-title`: the heading. Default 政府信息公开目录.
    pub title: Option<String>,
    /// `data-feedback`: where the feedback server is (the origin or path
    /// that `/api/feedback` hangs off, http(s) or relative). Without it the
    /// feedback and request form is not offered.
    pub feedback: Option<crate::Link>,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            catalogue: "catalogue.json".into(),
            page_size: 10,
            category: None,
            theme_color: None,
            isolation: Isolation::Shadow,
            id: None,
            large_text: false,
            title: None,
            feedback: None,
        }
    }
}

/// An attribute whose value was not understood and was replaced by its
/// default.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigWarning {
    /// The attribute, e.g. `data-page-size`.
    pub attribute: &'static str,
    /// What it said.
    pub value: String,
    /// What it may say.
    pub expected: &'static str,
}

impl ConfigWarning {
    /// The warning for the browser console, in both languages (it is read by
    /// the portal's web team, not by citizens).
    pub fn message(&self) -> String {
        format!(
            "xxgk: {}=\"{}\" 无效，已使用默认值（可填：{}）/ invalid, default used (allowed: {})",
            self.attribute, self.value, self.expected, self.expected
        )
    }
}

impl Config {
    /// Reads the settings through `attribute`, which returns the value of a
    /// `data-` attribute given its name without the prefix (`"page-size"`).
    pub fn read(attribute: impl Fn(&str) -> Option<String>) -> (Config, Vec<ConfigWarning>) {
        let mut config = Config::default();
        let mut warnings = Vec::new();
        let mut warn = |attribute, value: &str, expected| {
            warnings.push(ConfigWarning {
                attribute,
                value: value.to_owned(),
                expected,
            })
        };
        let text = |name: &str| {
            attribute(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };

        if let Some(url) = text("catalogue") {
            config.catalogue = url;
        }
        if let Some(size) = text("page-size") {
            match size.parse::<usize>() {
                Ok(n) if (1..=100).contains(&n) => config.page_size = n,
                _ => warn("data-page-size", &size, "1-100"),
            }
        }
        config.category = text("category");
        config.theme_color = text("theme-color");
        if let Some(isolation) = text("isolation") {
            match isolation.to_ascii_lowercase().as_str() {
                "shadow" => config.isolation = Isolation::Shadow,
                "none" => config.isolation = Isolation::None,
                _ => warn("data-isolation", &isolation, "shadow, none"),
            }
        }
        if let Some(id) = text("id") {
            if id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                config.id = Some(id);
            } else {
                warn("data-id", &id, "A-Z a-z 0-9 - _");
            }
        }
        if let Some(large) = attribute("large-text") {
            match large.trim().to_ascii_lowercase().as_str() {
                "" | "true" | "1" | "yes" => config.large_text = true,
                "false" | "0" | "no" => config.large_text = false,
                _ => warn("data-large-text", &large, "true, false"),
            }
        }
        config.title = text("title");
        if let Some(url) = text("feedback") {
            match crate::Link::parse(&url) {
                Ok(link) => config.feedback = Some(link),
                Err(_) => warn("data-feedback", &url, "an http(s) or relative URL"),
            }
        }
        (config, warnings)
    }

    /// `data-shared-device`, read through `attribute` as [`Config::read`]
    /// reads the others: the widget is on a computer that strangers share
    /// (a service hall's public PC), so the feedback form keeps nothing in
    /// the browser's storage, not even a draft for a reload. Present means
    /// yes; only `false`, `0` or `no` mean no, so that a misspelt value
    /// errs on the side of keeping nothing. Default no.
    ///
    /// Apart from [`Config`] because only the feedback module (crates/form)
    /// reads it.
    // size: kept out of `Config::read`, the widget's download does not
    // carry it (about 40 bytes).
    pub fn shared_device(attribute: impl Fn(&str) -> Option<String>) -> bool {
        attribute("shared-device").is_some_and(|v| {
            !matches!(v.trim().to_ascii_lowercase().as_str(), "false" | "0" | "no")
        })
    }

    /// The hash-parameter prefix of the `n`-th widget mounted on the page
    /// (from 1), when `data-id` does not set one.
    pub fn default_id(n: usize) -> String {
        if n <= 1 {
            "xxgk".into()
        } else {
            format!("xxgk{n}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(pairs: &[(&str, &str)]) -> (Config, Vec<ConfigWarning>) {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::read(|name| map.get(name).cloned())
    }

    #[test]
    fn no_attributes_give_the_defaults() {
        assert_eq!(read(&[]), (Config::default(), vec![]));
    }

    #[test]
    fn every_attribute_is_read() {
        let (config, warnings) = read(&[
            ("catalogue", " /data/c.json "),
            ("page-size", "20"),
            ("category", "czyjs"),
            ("theme-color", "#005a9c"),
            ("isolation", "none"),
            ("id", "left_col-1"),
            ("large-text", ""),
            ("title", "东亭乡信息公开"),
            ("feedback", "https://xx.gdx.gov.cn/"),
        ]);
        assert!(warnings.is_empty());
        assert_eq!(
            config,
            Config {
                catalogue: "/data/c.json".into(),
                page_size: 20,
                category: Some("czyjs".into()),
                theme_color: Some("#005a9c".into()),
                isolation: Isolation::None,
                id: Some("left_col-1".into()),
                large_text: true,
                title: Some("东亭乡信息公开".into()),
                feedback: crate::Link::parse("https://xx.gdx.gov.cn/").ok(),
            }
        );
    }

    #[test]
    fn a_shared_device_is_off_only_when_said_so() {
        let shared = |value: Option<&str>| {
            Config::shared_device(|name| {
                value.filter(|_| name == "shared-device").map(str::to_owned)
            })
        };
        for on in ["", "true", "TRUE", "yes", "1", "ture"] {
            assert!(shared(Some(on)), "{on:?}");
        }
        for off in ["false", " No ", "0"] {
            assert!(!shared(Some(off)), "{off:?}");
        }
        assert!(!shared(None));
    }

    #[test]
    fn nonsense_values_fall_back_with_a_warning_each() {
        let (config, warnings) = read(&[
            ("page-size", "0"),
            ("isolation", "iframe"),
            ("id", "a b&c"),
            ("large-text", "maybe"),
            ("feedback", "javascript:alert(1)"),
        ]);
        assert_eq!(config, Config::default());
        let attributes: Vec<&str> = warnings.iter().map(|w| w.attribute).collect();
        assert_eq!(
            attributes,
            [
                "data-page-size",
                "data-isolation",
                "data-id",
                "data-large-text",
                "data-feedback"
            ]
        );
        assert!(warnings[0].message().contains("data-page-size=\"0\""));
    }

    #[test]
    fn widgets_without_an_id_are_numbered() {
        assert_eq!(Config::default_id(1), "xxgk");
        assert_eq!(Config::default_id(3), "xxgk3");
    }
}
