//! `annals schema`: prints the JSON Schema of event front matter or of
//! site.yaml, for editors to check and complete files as they are typed.

use clap::{Args, ValueEnum};

use annals::error::Error;
use annals::schema;

use super::printer::Printer;

/// The flags of `annals schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which schema to print.
    #[arg(value_enum, default_value_t = SchemaKind::Event)]
    which: SchemaKind,
}

/// Which JSON Schema `annals schema` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// Event front matter and YAML event files.
    Event,
    /// site.yaml.
    Site,
}

/// Prints the chosen schema.
pub fn run(args: &SchemaArgs, printer: &Printer) -> Result<(), Error> {
    let schema = match args.which {
        SchemaKind::Event => schema::event_schema(),
        SchemaKind::Site => schema::site_schema(),
    };
    printer.json(&serde_json::to_string_pretty(&schema).unwrap_or_default());
    Ok(())
}
