//! Themes: Tera templates, static files and interface strings.
//!
//! The default theme is compiled into the binary ([`DEFAULT_THEME_FILES`](crate::load::DEFAULT_THEME_FILES)), so a
//! new site needs no `themes/` folder; a file in `themes/<name>/` on disk
//! replaces the built-in file of the same path. What every theme must
//! provide is the [`Contract`], read from `themes/default/contract.yaml`.
//! [`Theme::compile`] turns the files into a ready [`tera::Tera`] with
//! autoescaping on for every template, whatever its extension, and template
//! errors pinned to file and line.
//! Escaping and the `safe` filter are annals' own: they write what Tera's
//! write, with less copying.

use std::collections::BTreeMap;

use tera::{ErrorKind, Tera};

use crate::diagnostic::Diagnostic;
use crate::lang::Lang;
use crate::memo::Key;
use crate::yaml;

mod contract;
mod headings;

pub use contract::{Contract, PageTemplate, CONTRACT_FILE, CONTRACT_YAML};

/// A compiled theme.
pub struct Theme {
    /// The templates, compiled.
    pub tera: Tera,
    /// Interface strings for the site's language.
    pub strings: BTreeMap<String, String>,
    /// Files copied to the output: (output path, bytes).
    pub static_files: Vec<(String, Vec<u8>)>,
    /// Each template's name and text, to quote lines in errors.
    pub sources: Vec<(String, String)>,
    /// The key of every theme file and the language, so kept pages
    /// are re-rendered when the theme changes.
    pub key: Key,
}

impl Theme {
    /// Compiles the theme files of theme `name` for `lang`.
    pub fn compile(name: &str, files: &BTreeMap<String, Vec<u8>>, lang: Lang) -> Result<Theme, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let templates = templates(name, files, &mut problems);
        let static_files = static_files(files);
        let strings = interface_strings(name, files, lang, &mut problems);
        check_required_templates(name, &templates, &mut problems);
        let mut tera = new_tera(lang);
        if let Err(error) = tera.add_raw_templates(templates.iter().map(|(name, text)| (name.as_str(), *text))) {
            problems.extend(template_diagnostics(name, &error, &templates));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let key = Key::of(&(files, lang.code()));
        let sources = templates
            .into_iter()
            .map(|(name, text)| (name, text.to_string()))
            .collect();
        Ok(Theme {
            tera,
            strings,
            static_files,
            sources,
            key,
        })
    }
}

/// Where a file of theme `name` is in the site: `themes/<name>/<inner>`.
fn theme_path(name: &str, inner: &str) -> String {
    format!("themes/{name}/{inner}")
}

/// The theme's templates, name and text; one that is not UTF-8 is a
/// problem.
fn templates<'f>(
    name: &str,
    files: &'f BTreeMap<String, Vec<u8>>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(String, &'f str)> {
    let mut templates = Vec::new();
    for (path, bytes) in files {
        if let Some(template) = path.strip_prefix("templates/") {
            match std::str::from_utf8(bytes) {
                Ok(text) => templates.push((template.to_string(), text)),
                Err(_) => problems.push(Diagnostic::error(
                    theme_path(name, path),
                    "the template is not valid UTF-8",
                )),
            }
        }
    }
    templates
}

/// The theme's static files: (output path, bytes).
fn static_files(files: &BTreeMap<String, Vec<u8>>) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .filter_map(|(path, bytes)| Some((path.strip_prefix("static/")?.to_string(), bytes.clone())))
        .collect()
}

/// The interface strings for `lang` (`i18n/<lang>.yaml`); none, and a
/// problem, when the file is missing or unreadable.
fn interface_strings(
    name: &str,
    files: &BTreeMap<String, Vec<u8>>,
    lang: Lang,
    problems: &mut Vec<Diagnostic>,
) -> BTreeMap<String, String> {
    let strings_path = format!("i18n/{}.yaml", lang.code());
    match files.get(&strings_path).map(|bytes| std::str::from_utf8(bytes)) {
        None => {
            problems.push(Diagnostic::error(
                theme_path(name, &strings_path),
                format!("the theme has no interface strings for `{lang}`"),
            ));
            BTreeMap::new()
        }
        Some(Err(_)) => {
            problems.push(Diagnostic::error(
                theme_path(name, &strings_path),
                "the file is not valid UTF-8",
            ));
            BTreeMap::new()
        }
        Some(Ok(text)) => yaml::from_str(text).unwrap_or_else(|error| {
            problems.push(Diagnostic::error(theme_path(name, &strings_path), error.message).at(
                text,
                error.line,
                error.column,
            ));
            BTreeMap::new()
        }),
    }
}

/// A problem for each template the [`Contract`] requires that the theme
/// lacks.
fn check_required_templates(name: &str, templates: &[(String, &str)], problems: &mut Vec<Diagnostic>) {
    let contract = Contract::built_in();
    for required in contract.required() {
        if !templates.iter().any(|(template, _)| template == required) {
            problems.push(
                Diagnostic::error(
                    theme_path(name, &format!("templates/{required}")),
                    format!("the theme has no template `{required}`"),
                )
                .with_hint(contract.required_hint()),
            );
        }
    }
}

/// A Tera with annals' escaping and filters, templates still to add.
fn new_tera(lang: Lang) -> Tera {
    let mut tera = Tera::default();
    // Every template is escaped, not only *.html: a theme's feed.xml or
    // custom extension must not let a title inject markup.
    tera.autoescape_on(vec![""]);
    tera.set_escape_fn(escape_html);
    tera.register_filter("safe", safe);
    tera.register_filter(
        "shift_headings",
        |value: &tera::Value, kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
            let by = kwargs.get::<u8>("by")?.unwrap_or(1);
            Ok(headings::shift_headings(value.as_str().unwrap_or_default(), by))
        },
    );
    // `{{ n | plural }}` is the CLDR plural category of a count in the
    // theme's language ("one", "few", "many", "other"), so templates can
    // pick `event_count_few` in Russian where English has only two forms.
    tera.register_filter(
        "plural",
        move |value: &tera::Value, _: tera::Kwargs, _: &tera::State| {
            value.as_u64().map_or("other", |count| lang.plural(count)).to_string()
        },
    );
    // `{{ n | number }}` writes a count with its digits grouped as the
    // theme's language groups them ("10,000", "10.000", "10 000").
    tera.register_filter(
        "number",
        move |value: &tera::Value, _: tera::Kwargs, _: &tera::State| match value.as_i64() {
            Some(number) => lang.number(number),
            None => value.as_str().map_or_else(|| value.to_string(), str::to_string),
        },
    );
    tera
}

/// Escapes text for HTML exactly as Tera does (`&`, `<`, `>`, `"` and `'`),
/// but hands the writer each run of plain text at once, where Tera's own
/// escaping writes one byte at a time: every title, date and address on
/// every page passes through here.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (at, byte) in bytes.iter().enumerate() {
        let entity: &[u8] = match byte {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..at])?;
        out.write_all(entity)?;
        start = at + 1;
    }
    out.write_all(&bytes[start..])
}

/// Tera's `safe` filter, without the copy: a string is marked safe as it
/// is, where Tera's own filter copies it, and a list page passes thousands
/// of entries through it. Anything else is written out first, as Tera does.
fn safe(value: &tera::Value, _: tera::Kwargs, _: &tera::State) -> tera::Value {
    match value.as_str() {
        Some(_) => value.clone().mark_safe(),
        None => tera::Value::safe_string(&value.to_string()),
    }
}

/// Turns a Tera error into a diagnostic at the template's file and line,
/// keeping the whole cause chain in the message.
pub fn template_diagnostic<S: AsRef<str>>(theme: &str, error: &tera::Error, sources: &[(String, S)]) -> Diagnostic {
    template_diagnostics(theme, error, sources)
        .into_iter()
        .next()
        .unwrap_or_else(|| Diagnostic::error(format!("themes/{theme}/templates"), error.to_string()))
}

/// Every problem in one Tera error. Checks made when templates are added
/// (unknown filters, functions, tests and included templates) come back as
/// one message of printed reports, `error: …` then ` --> file:line:col`,
/// one per problem: each is read back into its own diagnostic, so the
/// file and line are ours and "error:" is printed once.
pub fn template_diagnostics<S: AsRef<str>>(
    theme: &str,
    error: &tera::Error,
    sources: &[(String, S)],
) -> Vec<Diagnostic> {
    if let ErrorKind::Msg(text) = error.kind() {
        let reports = printed_reports(text);
        if !reports.is_empty() {
            return reports
                .into_iter()
                .map(|(template, line, column, message)| located(theme, &template, line, column, message, sources))
                .collect();
        }
    }
    let (template, line, column, message) = match error.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => (
            report.filename().to_string(),
            report.span().start_line,
            report.span().start_col + 1,
            report.message().to_string(),
        ),
        ErrorKind::CircularExtend { tpl, .. } | ErrorKind::CircularInclude { tpl, .. } => {
            (tpl.clone(), 0, 0, error.to_string())
        }
        ErrorKind::MissingParent { current, .. } => (current.clone(), 0, 0, error.to_string()),
        _ => (String::new(), 0, 0, error.to_string()),
    };
    let mut message = first_line(&message).to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        message.push_str(": ");
        message.push_str(first_line(&inner.to_string()));
        cause = inner.source();
    }
    vec![located(theme, &template, line, column, message, sources)]
}

fn located<S: AsRef<str>>(
    theme: &str,
    template: &str,
    line: usize,
    column: usize,
    message: String,
    sources: &[(String, S)],
) -> Diagnostic {
    let path = if template.is_empty() {
        format!("themes/{theme}/templates")
    } else {
        format!("themes/{theme}/templates/{template}")
    };
    let source = sources
        .iter()
        .find(|(name, _)| name == template)
        .map_or("", |(_, text)| text.as_ref());
    Diagnostic::error(path, message).at(source, line, column)
}

/// (template, line, column, message) of each report in a message of
/// Tera's printed reports; empty when the text is not such a message.
fn printed_reports(text: &str) -> Vec<(String, usize, usize, String)> {
    let mut reports = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let place = lines
            .next()
            .and_then(|next| next.trim_start().strip_prefix("--> "))
            .and_then(|place| {
                let mut parts = place.rsplitn(3, ':');
                let column = parts.next()?.parse().ok()?;
                let line = parts.next()?.parse().ok()?;
                Some((parts.next()?.to_string(), line, column))
            });
        match place {
            Some((template, line, column)) => reports.push((template, line, column, message.to_string())),
            None => reports.push((String::new(), 0, 0, message.to_string())),
        }
    }
    reports
}

fn first_line(text: &str) -> &str {
    text.lines().find(|line| !line.trim().is_empty()).unwrap_or(text).trim()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::DEFAULT_THEME_FILES;

    #[test]
    fn the_safe_filter_writes_what_teras_own_writes() {
        let template = "{{ html | safe }} {{ short | safe }} {{ number | safe }} {{ list | safe }} {{ html }}";
        let mut context = tera::Context::new();
        context.insert(
            "html",
            &"<p>A long paragraph, long enough to be kept apart & shared.</p>",
        );
        context.insert("short", &"<b>x</b>");
        context.insert("number", &3.5);
        context.insert("list", &["<i>", "j"]);
        let render = |ours: bool| {
            let mut tera = Tera::default();
            tera.autoescape_on(vec![""]);
            if ours {
                tera.register_filter("safe", safe);
            }
            tera.add_raw_template("t", template).unwrap();
            tera.render("t", &context).unwrap()
        };
        let ours = render(true);
        assert_eq!(ours, render(false));
        assert!(ours.starts_with("<p>A long paragraph"), "{ours}");
    }

    #[test]
    fn html_escaping_writes_what_teras_own_escaping_writes() {
        for text in [
            "",
            "plain",
            "<a href=\"x\">Tom & Jerry's</a>",
            "&&",
            "'",
            "日本語 <b>",
            "end>",
        ] {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            escape_html(text, &mut ours).unwrap();
            tera::escape_html(text, &mut teras).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(teras).unwrap(),
                "{text}"
            );
        }
    }

    fn default_files() -> BTreeMap<String, Vec<u8>> {
        DEFAULT_THEME_FILES
            .iter()
            .map(|(path, bytes)| (path.to_string(), bytes.to_vec()))
            .collect()
    }

    #[test]
    fn the_embedded_theme_lists_every_file_of_the_theme_folder() {
        let folder = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default");
        let mut on_disk: Vec<String> = walkdir::WalkDir::new(folder)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|entry| entry.file_type().is_file())
            .map(|entry| {
                entry
                    .path()
                    .strip_prefix(folder)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        // The contract is annals' own, beside the theme it describes: not a
        // file of the theme.
        on_disk.retain(|path| path != CONTRACT_FILE);
        on_disk.sort();
        let mut embedded: Vec<String> = DEFAULT_THEME_FILES.iter().map(|(path, _)| path.to_string()).collect();
        embedded.sort();
        assert_eq!(embedded, on_disk, "build.rs embeds every file of themes/default");
    }

    #[test]
    fn the_default_theme_compiles_in_every_language() {
        for lang in Lang::ALL {
            let theme = Theme::compile("default", &default_files(), lang).unwrap_or_else(|e| panic!("{e:?}"));
            assert!(theme.strings.contains_key("sources"));
        }
    }

    #[test]
    fn a_syntax_error_names_the_template_and_line() {
        let mut files = default_files();
        files.insert("templates/page.html".into(), b"ok\n{% if %}\n".to_vec());
        let problems = Theme::compile("default", &files, Lang::En).err().unwrap();
        assert_eq!(problems[0].path, "themes/default/templates/page.html");
        assert_eq!(problems[0].line, 2);
    }

    #[test]
    fn unknown_filters_and_includes_are_each_named_once_at_their_line() {
        let mut files = default_files();
        files.insert(
            "templates/page.html".into(),
            b"ok\n{{ x | nofilter }}\n{% include \"nope.html\" %}\n".to_vec(),
        );
        let problems = Theme::compile("default", &files, Lang::En).err().unwrap();
        let found: Vec<_> = problems
            .iter()
            .map(|p| (p.path.as_str(), p.line, p.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("themes/default/templates/page.html", 2, "Unknown filter `nofilter`"),
                ("themes/default/templates/page.html", 3, "Unknown template `nope.html`"),
            ]
        );
        assert_eq!(problems[0].source_line.as_deref(), Some("{{ x | nofilter }}"));
    }

    #[test]
    fn each_template_the_contract_requires_is_named_when_missing_and_an_optional_one_is_not() {
        for page in &Contract::built_in().templates {
            let mut files = default_files();
            files.remove(&format!("templates/{}", page.name));
            match Theme::compile("custom", &files, Lang::En) {
                Ok(_) => assert!(!page.required, "{} is required", page.name),
                Err(problems) => {
                    assert!(page.required, "{} is optional: {problems:?}", page.name);
                    let missing = &problems[0];
                    assert_eq!(missing.path, format!("themes/custom/templates/{}", page.name));
                    assert_eq!(missing.message, format!("the theme has no template `{}`", page.name));
                    assert_eq!(
                        missing.hint.as_deref(),
                        Some(Contract::built_in().required_hint().as_str())
                    );
                }
            }
        }
    }

    #[test]
    fn a_missing_template_is_named() {
        let mut files = default_files();
        files.remove("templates/event.html");
        let problems = Theme::compile("default", &files, Lang::En).err().unwrap();
        assert!(problems.iter().any(|p| p.message.contains("`event.html`")));
    }
}
