//! The theme contract: the page templates annals renders and the variables
//! each receives, written once in `themes/default/contract.yaml` and
//! compiled into the program. [`Theme::compile`](super::Theme::compile)
//! checks every theme against it, and a test holds `docs/themes.md` to it.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::yaml::{self, YamlError};

/// Where the contract is, inside the default theme's folder; `build.rs`
/// leaves it out of [`DEFAULT_THEME_FILES`](crate::load::DEFAULT_THEME_FILES), since it
/// binds every theme rather than being a file of one.
pub const CONTRACT_FILE: &str = "contract.yaml";

/// The text of `themes/default/contract.yaml`.
pub const CONTRACT_YAML: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/contract.yaml"));

/// What annals asks of every theme.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    /// The variables every template receives.
    pub variables: Vec<String>,
    /// The page templates, in the order annals names them.
    pub templates: Vec<PageTemplate>,
}

/// One template annals renders itself.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageTemplate {
    /// Its name under `templates/`: `index.html`.
    pub name: String,
    /// Whether every theme must have it; without an optional one, annals
    /// leaves its page out.
    #[serde(default = "required_by_default")]
    pub required: bool,
    /// The variables it receives besides [`Contract::variables`].
    pub variables: Vec<String>,
}

fn required_by_default() -> bool {
    true
}

static BUILT_IN: LazyLock<Contract> =
    LazyLock::new(|| Contract::parse(CONTRACT_YAML).expect("themes/default/contract.yaml is tested to parse"));

impl Contract {
    /// Reads a contract from its YAML text.
    pub fn parse(text: &str) -> Result<Contract, YamlError> {
        yaml::from_str(text)
    }

    /// The contract compiled into annals.
    pub fn built_in() -> &'static Contract {
        &BUILT_IN
    }

    /// The names of the templates every theme must have, in order.
    pub fn required(&self) -> impl Iterator<Item = &str> {
        self.templates
            .iter()
            .filter(|template| template.required)
            .map(|template| template.name.as_str())
    }

    /// The template named `name`, if annals renders it.
    pub fn template(&self, name: &str) -> Option<&PageTemplate> {
        self.templates.iter().find(|template| template.name == name)
    }

    /// "every theme needs index, event, … and 404 templates": the hint under
    /// a missing template.
    pub fn required_hint(&self) -> String {
        let names: Vec<&str> = self
            .required()
            .map(|name| name.strip_suffix(".html").unwrap_or(name))
            .collect();
        let listed = match names.split_last() {
            None => String::new(),
            Some((last, [])) => (*last).to_string(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        };
        format!("every theme needs {listed} templates")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_contract_parses() {
        let contract = Contract::parse(CONTRACT_YAML).unwrap_or_else(|error| panic!("{error:?}"));
        assert!(contract.variables.iter().any(|name| name == "site"));
        assert!(contract.template("index.html").is_some_and(|index| index.required));
        assert!(contract.template("embed.html").is_some_and(|embed| !embed.required));
    }

    #[test]
    fn the_hint_names_the_required_templates_in_order() {
        assert_eq!(
            Contract::built_in().required_hint(),
            "every theme needs index, event, tags, tag, track, era, page and 404 templates"
        );
    }

    #[test]
    fn an_unknown_field_is_refused() {
        let error =
            Contract::parse("variables: []\ntemplates:\n  - name: a.html\n    variables: []\n    optional: true\n")
                .unwrap_err();
        assert!(error.message.contains("optional"), "{error:?}");
    }
}
