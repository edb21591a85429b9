//! The languages annals can write dates and interface text in.
//!
//! A site names its language in `site.yaml` (`language: en`); everything that
//! prints words for readers (dates, the theme's UI strings) takes a [`Lang`].

use std::fmt;
use std::str::FromStr;

/// A language the built-in date formatting and the default theme support.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Chinese (Simplified).
    Zh,
}

impl Lang {
    /// Every supported language, in the order they are listed to users.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// The short code used in `site.yaml` and file names (`en`, `zh`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The language's name in itself, for a language switcher.
    pub fn name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "中文",
        }
    }

    /// The BCP 47 tag for the HTML `lang` attribute.
    pub fn html_tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-Hans",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The error for a language code annals does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language `{0}`; annals knows: en, zh")]
pub struct UnknownLang(pub String);

impl FromStr for Lang {
    type Err = UnknownLang;

    fn from_str(code: &str) -> Result<Self, Self::Err> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" | "en-gb" | "en-us" => Ok(Lang::En),
            "zh" | "zh-cn" | "zh-hans" => Ok(Lang::Zh),
            _ => Err(UnknownLang(code.to_string())),
        }
    }
}
