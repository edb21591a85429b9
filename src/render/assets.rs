//! The site's and the theme's static files on their way out: stylesheets
//! and scripts renamed after their content so browsers may cache them for
//! ever, the site's own `stylesheets:`, and which files are pictures.

use std::collections::BTreeMap;

use crate::config::Stylesheet;
use crate::diagnostic::Diagnostic;
use crate::hashing::stable_hash;
use crate::load::Asset;
use crate::render::theme::Theme;

/// An output file: (path, bytes).
pub(super) type OutputFile = (String, Vec<u8>);

/// The theme's static files, with stylesheets and scripts under `assets/`
/// renamed after their content (`assets/annals.3f2a9c1b.css`) so browsers
/// may cache them for ever; and the map from old to new names that
/// templates use. A site file of the same name replaces the theme's.
pub(super) fn fingerprint_assets(theme: &Theme, site_assets: &[Asset]) -> (Vec<OutputFile>, BTreeMap<String, String>) {
    let mut files = Vec::with_capacity(theme.static_files.len());
    let mut names = BTreeMap::new();
    for (path, bytes) in &theme.static_files {
        let fingerprinted = path.starts_with("assets/") && (path.ends_with(".css") || path.ends_with(".js"));
        if !fingerprinted {
            files.push((path.clone(), bytes.clone()));
            continue;
        }
        let bytes = site_assets
            .iter()
            .find(|asset| &asset.output_path == path)
            .map_or(bytes, |asset| &asset.bytes);
        let (stem, extension) = path.rsplit_once('.').expect("checked above");
        let renamed = format!("{stem}.{:08x}.{extension}", stable_hash(bytes) >> 32);
        names.insert(path.clone(), renamed.clone());
        files.push((renamed, bytes.clone()));
    }
    (files, names)
}

/// The site's own stylesheets (`stylesheets:` in site.yaml), fingerprinted
/// like the theme's and added to `files` and `names`; their output paths, in
/// order, for the pages to link. Each must be a file of the site's
/// `static/`: the ones that are not are errors at their line of site.yaml.
pub(super) fn site_stylesheets(
    wanted: &[Stylesheet],
    site_assets: &[Asset],
    files: &mut Vec<OutputFile>,
    names: &mut BTreeMap<String, String>,
) -> Result<Vec<String>, Vec<Diagnostic>> {
    let mut linked = Vec::with_capacity(wanted.len());
    let mut missing = Vec::new();
    for sheet in wanted {
        let source = format!("static/{}", sheet.path);
        let Some(asset) = site_assets.iter().find(|asset| asset.source_path == source) else {
            missing.push(
                sheet
                    .error(format!("the stylesheet `{source}` does not exist"))
                    .with_hint("stylesheets are named by their path inside the site's `static/` folder"),
            );
            continue;
        };
        let renamed = match names.get(&asset.output_path) {
            // The theme has a file of that name, already fingerprinted
            // with the site's bytes.
            Some(renamed) => renamed.clone(),
            None => {
                let (stem, extension) = asset
                    .output_path
                    .rsplit_once('.')
                    .unwrap_or((&asset.output_path, "css"));
                let renamed = format!("{stem}.{:08x}.{extension}", stable_hash(&asset.bytes) >> 32);
                names.insert(asset.output_path.clone(), renamed.clone());
                files.push((renamed.clone(), asset.bytes.clone()));
                renamed
            }
        };
        if !linked.contains(&renamed) {
            linked.push(renamed);
        }
    }
    if missing.is_empty() {
        Ok(linked)
    } else {
        Err(missing)
    }
}

/// Whether a path names a picture whose size annals can read.
pub(super) fn is_image(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}
