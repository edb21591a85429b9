//! Embeds the default theme: lists every file under `themes/default/` so
//! the binary carries the theme and `annals new` + `annals build` work with
//! no `themes/` folder. Regenerated whenever the folder changes. The theme
//! contract there (`contract.yaml`) is left out: it binds every theme, and
//! `src/render/theme/contract.rs` includes it by itself.
//!
//! Also names this build of annals (`ANNALS_BUILD_ID`, a hash of its
//! sources and theme), so output folders remember which annals made them
//! and a different one never trusts their fingerprints.

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
    // Still hashed below: the contract is part of this build of annals.
    let theme_files: Vec<&String> = files.iter().filter(|file| *file != "contract.yaml").collect();
    let mut code = String::from("&[\n");
    for file in theme_files {
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

    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=Cargo.lock");
    let mut sources = Vec::new();
    collect(&Path::new(&manifest).join("src"), Path::new(&manifest), &mut sources);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &byte in bytes {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    for (base, file) in sources
        .iter()
        .map(|file| (Path::new(&manifest), file.as_str()))
        .chain(files.iter().map(|file| (theme.as_path(), file.as_str())))
        .chain([(Path::new(&manifest), "Cargo.lock")])
    {
        feed(file.as_bytes());
        feed(&fs::read(base.join(file)).unwrap_or_default());
    }
    feed(env::var("CARGO_PKG_VERSION").unwrap_or_default().as_bytes());
    println!("cargo:rustc-env=ANNALS_BUILD_ID={hash:016x}");
}
