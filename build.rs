//! Embeds the default theme: lists every file under `themes/default/` so
//! the binary carries the theme and `annals new` + `annals build` work with
//! no `themes/` folder. Regenerated whenever the folder changes.

use std::fmt::Write;
use std::path::Path;
use std::{env, fs};

fn collect(folder: &Path, base: &Path, files: &mut Vec<String>) {
    let mut entries: Vec<_> = fs::read_dir(folder)
        .expect("themes/default is readable")
        .map(|entry| entry.expect("a readable entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        if name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") {
            continue;
        }
        if path.is_dir() {
            collect(&path, base, files);
        } else {
            let relative = path.strip_prefix(base).expect("inside the theme");
            let parts: Vec<&str> = relative
                .iter()
                .map(|part| part.to_str().expect("UTF-8 file names"))
                .collect();
            files.push(parts.join("/"));
        }
    }
}

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let theme = Path::new(&manifest).join("themes/default");
    println!("cargo:rerun-if-changed=themes/default");
    let mut files = Vec::new();
    collect(&theme, &theme, &mut files);
    let mut code = String::from("&[\n");
    for file in &files {
        let absolute = theme.join(file);
        let _ = writeln!(
            code,
            "    ({file:?}, include_bytes!({:?}) as &[u8]),",
            absolute.display().to_string()
        );
    }
    code.push_str("]\n");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("embedded_theme.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
