//! The theme contract (`themes/default/contract.yaml`) and the guide that
//! describes it (`docs/themes.md`) say the same: the same common variables,
//! the same page templates, required or optional, and the same variables
//! for each. A change to one without the other fails here. And annals
//! keeps the contract: a theme that prints each promised variable finds
//! every one of them given, in every template. The guide's table of the
//! theme's scripts names each file of the theme, in the order `base.html`
//! loads them.

use std::collections::BTreeSet;
use std::path::Path;

use annals::render::theme::Contract;

use crate::support::output::html_pages;
use crate::support::{read, Site, REPO};

fn guide() -> String {
    std::fs::read_to_string(format!("{REPO}/docs/themes.md")).expect("read docs/themes.md")
}

/// The names written in backticks in `text`, in order.
fn quoted(text: &str) -> Vec<String> {
    text.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

/// The rows of the first table after the line `heading`, as cells.
fn table_after(guide: &str, heading: &str) -> Vec<Vec<String>> {
    let start = guide
        .lines()
        .position(|line| line == heading)
        .unwrap_or_else(|| panic!("docs/themes.md has no line `{heading}`"));
    guide
        .lines()
        .skip(start + 1)
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2) // the header and its rule
        .map(cells)
        .collect()
}

/// A table row's cells, trimmed; `\|` inside a cell is not a border.
fn cells(row: &str) -> Vec<String> {
    let row = row.replace("\\|", "\u{0}");
    row.trim_matches('|')
        .split('|')
        .map(|cell| cell.trim().replace('\u{0}', "|"))
        .collect()
}

fn set(names: impl IntoIterator<Item = impl Into<String>>) -> BTreeSet<String> {
    names.into_iter().map(Into::into).collect()
}

#[test]
fn the_guide_lists_the_variables_every_template_receives_as_the_contract_does() {
    let rows = table_after(&guide(), "### Variables every template receives");
    let documented: Vec<String> = rows.iter().flat_map(|row| quoted(&row[0])).collect();
    assert_eq!(documented, Contract::built_in().variables);
}

#[test]
fn the_guide_lists_each_template_and_its_variables_as_the_contract_does() {
    let contract = Contract::built_in();
    let rows = table_after(&guide(), "### Each template");
    let mut documented = Vec::new();
    for row in &rows {
        let name = quoted(&row[0]).into_iter().next().expect("a template name");
        let required = !row[0].contains("(optional)");
        let extra = &row[2];
        let variables = if extra == "none" {
            Vec::new()
        } else if let Some(other) = extra.strip_prefix("the same as ") {
            let other = quoted(other).into_iter().next().expect("a template name");
            contract
                .template(&other)
                .expect("a template of the contract")
                .variables
                .clone()
        } else {
            quoted(extra)
        };
        documented.push((name, required, variables));
    }
    let expected: Vec<_> = contract
        .templates
        .iter()
        .map(|template| (template.name.clone(), template.required, template.variables.clone()))
        .collect();
    assert_eq!(documented, expected);
}

/// Each `**`index.html`**` paragraph heads a table of the variables of the
/// templates it names (tag, track and era share one), or says the template
/// receives only the common ones.
#[test]
fn the_guide_describes_every_variable_of_each_template_and_no_other() {
    let contract = Contract::built_in();
    let guide = guide();
    let section = guide
        .split("### Each template")
        .nth(1)
        .and_then(|rest| rest.split("\n## ").next())
        .expect("the section on each template");
    let mut described = BTreeSet::new();
    for line in section.lines().filter(|line| line.starts_with("**`")) {
        let names = quoted(line);
        let expected = set(names.iter().flat_map(|name| {
            contract
                .template(name)
                .unwrap_or_else(|| panic!("`{name}` in docs/themes.md is not in the contract"))
                .variables
                .clone()
        }));
        let documented = if line.contains("receives only the common variables") {
            BTreeSet::new()
        } else {
            set(table_after(&guide, line).iter().flat_map(|row| quoted(&row[0])))
        };
        assert_eq!(documented, expected, "the variables under {line}");
        described.extend(names);
    }
    assert_eq!(
        described,
        set(contract.templates.iter().map(|template| template.name.clone()))
    );
}

#[test]
fn the_guide_names_the_required_templates_and_the_hint_as_annals_does() {
    let contract = Contract::built_in();
    let guide = guide();
    let bullet = guide
        .split("Every theme must end up with:")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .expect("the list of what every theme must have");
    assert_eq!(quoted(bullet), contract.required().collect::<Vec<_>>());
    assert!(
        guide.contains(&format!("= hint: {}", contract.required_hint())),
        "docs/themes.md quotes another hint than `{}`",
        contract.required_hint()
    );
}

/// A theme whose every page template prints its own name and, for each
/// variable the contract promises it, whether it received it.
#[test]
fn the_guide_lists_the_themes_scripts_in_the_order_base_html_loads_them() {
    let theme = Path::new(REPO).join("themes/default");
    let documented: Vec<String> = table_after(&guide(), "## JavaScript")
        .iter()
        .flat_map(|row| quoted(&row[0]))
        .collect();
    let base = read(&theme.join("templates/base.html"));
    let loaded: Vec<String> = base
        .split("assets[\"")
        .skip(1)
        .filter_map(|rest| rest.split_once("\"]").map(|(path, _)| path.to_string()))
        .filter(|path| path.ends_with(".js"))
        .collect();
    assert_eq!(documented, loaded, "docs/themes.md and base.html");
    // Scripts loaded later, by another script, are listed apart.
    let on_demand: Vec<String> = table_after(&guide(), "### Loaded when the reader searches")
        .iter()
        .flat_map(|row| quoted(&row[0]))
        .collect();
    let explore = read(&theme.join("templates/partials/explore.html"));
    for script in &on_demand {
        assert!(
            explore.contains(&format!("assets[\"{script}\"]")),
            "partials/explore.html names `{script}`"
        );
    }
    let assets = theme.join("static/assets");
    let mut files = vec!["assets/annals.js".to_string()];
    for entry in std::fs::read_dir(assets.join("annals")).expect("read the theme's script folder") {
        let name = entry.expect("a folder entry").file_name();
        files.push(format!("assets/annals/{}", name.to_string_lossy()));
    }
    assert_eq!(
        set(files),
        set(loaded.into_iter().chain(on_demand)),
        "the theme's scripts and base.html"
    );
}

fn probe_theme(site: &Site, contract: &Contract) {
    for language in ["en", "zh"] {
        let strings = read(&Path::new(REPO).join(format!("themes/default/i18n/{language}.yaml")));
        site.write(&format!("themes/probe/i18n/{language}.yaml"), &strings);
    }
    for template in &contract.templates {
        let mut text = format!("template={}\n", template.name);
        for name in contract.variables.iter().chain(&template.variables) {
            text.push_str(&format!(
                "{name}={{% if {name} is defined %}}given{{% else %}}missing{{% endif %}}\n"
            ));
        }
        site.write(&format!("themes/probe/templates/{}", template.name), &text);
    }
}

#[test]
fn every_template_receives_each_variable_the_contract_promises_it() {
    let contract = Contract::built_in();
    let site = Site::example();
    probe_theme(&site, contract);
    site.replace("site.yaml", "\ntheme: default\n", "\ntheme: probe\n");
    site.build().success();
    let mut rendered = BTreeSet::new();
    for page in html_pages(&site.out()) {
        let text = read(&site.out().join(&page));
        let Some(template) = text.lines().next().and_then(|line| line.strip_prefix("template=")) else {
            continue;
        };
        let missing: Vec<&str> = text.lines().filter(|line| line.ends_with("=missing")).collect();
        assert!(missing.is_empty(), "{page}, from {template}: {missing:?}");
        rendered.insert(template.to_string());
    }
    assert_eq!(
        rendered,
        set(contract.templates.iter().map(|template| template.name.clone()))
    );
}

#[test]
fn a_theme_without_the_optional_templates_builds_and_leaves_their_pages_out() {
    let contract = Contract::built_in();
    let site = Site::example();
    probe_theme(&site, contract);
    let optional: Vec<&str> = contract
        .templates
        .iter()
        .filter(|template| !template.required)
        .map(|template| template.name.as_str())
        .collect();
    assert_eq!(
        optional,
        ["embed.html", "events.html", "timeline.html", "tracks.html", "eras.html"]
    );
    for name in &optional {
        site.remove(&format!("themes/probe/templates/{name}"));
    }
    site.replace("site.yaml", "\ntheme: default\n", "\ntheme: probe\n");
    site.build().success();
    let out = site.out();
    for page in ["embed", "events", "timeline", "tracks", "eras", "zh/events"] {
        assert!(!out.join(page).join("index.html").exists(), "{page}/index.html");
    }
    for page in ["tags", "events/fair-founded", "eras/nyu", "zh/tags"] {
        assert!(out.join(page).join("index.html").is_file(), "{page}/index.html");
    }
}
