//! The theme stage of a build: each language's theme compiled (Tera
//! templates, strings in that language), or taken from the memo table of
//! compiled themes when the theme's files and the language are the same.

use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::{Code, Diagnostic};
use crate::hashing::HashMap;
use crate::lang::Lang;
use crate::load::SiteFiles;
use crate::memo::{Key, Memo};
use crate::render::theme::Theme;

/// Each language's compiled theme, from the table where it can; a theme
/// that does not compile adds its problems.
pub(super) fn compile_themes(
    config: &Config,
    files: &SiteFiles,
    themes_table: &mut Memo<Arc<Theme>>,
    problems: &mut Vec<Diagnostic>,
) -> HashMap<Lang, Arc<Theme>> {
    let mut themes = HashMap::default();
    for &lang in &config.languages {
        let key = Key::of(&(&config.theme, &files.theme, lang.code()));
        if let Some(theme) = themes_table.get(key) {
            themes.insert(lang, theme);
            continue;
        }
        match Theme::compile(&config.theme, &files.theme, lang) {
            Ok(theme) => {
                let theme = Arc::new(theme);
                themes_table.keep(key, Arc::clone(&theme));
                themes.insert(lang, theme);
            }
            Err(found) => problems.extend(found.into_iter().map(|d| d.or_code(Code::Theme))),
        }
    }
    themes_table.end_build();
    themes
}
