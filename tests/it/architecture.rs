//! The shape of the library's source, checked: the stages of a build sit in
//! folders of their own (`load`, `parse`, `model`, `render`, `write`), data
//! flows one way, so no module imports from a later stage, and no two
//! modules import each other, directly or round a longer circle. The
//! table below is the one `docs/architecture.md` shows.
//!
//! The check reads `src/` as text: every `crate::…`, `super::…` and
//! `self::…` path outside test code is an import of the file that defines
//! it. A parent and its children may use each other (a `mod.rs` declares
//! its children and they use its types); siblings may not go round in a
//! circle.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// Each top-level module of the library and its layer: a module may import
/// only from its own layer or a lower one.
const LAYERS: &[(&str, u8, &str)] = &[
    ("hashing", 0, "foundation"),
    ("terminal", 0, "foundation"),
    ("diagnostic", 0, "foundation"),
    ("error", 0, "foundation"),
    ("xml", 0, "foundation"),
    ("slug", 0, "foundation"),
    ("lang", 0, "foundation"),
    ("date", 0, "foundation"),
    ("yaml", 0, "foundation"),
    ("fields", 0, "foundation"),
    ("describe", 0, "foundation"),
    ("config", 0, "foundation"),
    ("memo", 0, "foundation"),
    ("load", 1, "load"),
    ("parse", 2, "parse"),
    ("model", 3, "model"),
    ("render", 4, "render"),
    ("write", 5, "write"),
    ("pipeline", 6, "edge"),
    ("serve", 6, "edge"),
    ("site", 6, "edge"),
    ("import", 6, "edge"),
    ("scaffold", 6, "edge"),
    ("schema", 6, "edge"),
    ("fuzzing", 6, "edge"),
];

/// A module's path below the crate root: `src/render/theme/mod.rs` is
/// `["render", "theme"]`.
type ModulePath = Vec<String>;

fn source_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every library source file and its module path (the crate root, which
/// only declares the modules, and the binary, `main.rs` and `cli/`, are
/// left out: they sit above everything).
fn library_files() -> BTreeMap<ModulePath, PathBuf> {
    let root = source_root();
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&root) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|extension| extension != "rs") {
            continue;
        }
        let relative = path.strip_prefix(&root).unwrap().with_extension("");
        let mut module: ModulePath = relative
            .iter()
            .map(|part| part.to_string_lossy().into_owned())
            .collect();
        if module.last().is_some_and(|last| last == "mod" || last == "lib") {
            module.pop();
        }
        if module.first().is_none_or(|first| first == "main" || first == "cli") {
            continue;
        }
        files.insert(module, path.to_path_buf());
    }
    files
}

/// The text of a file without its comments and test code (tests may
/// reach anywhere: a `#[cfg(test)]` module, or a file named `tests.rs`).
fn code_of(module: &ModulePath, path: &Path) -> String {
    if module.last().is_some_and(|last| last == "tests") {
        return String::new();
    }
    let text = fs::read_to_string(path).unwrap();
    text.lines()
        .take_while(|line| !line.starts_with("#[cfg(test)]"))
        .filter(|line| !line.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The files `module` imports from, by module path.
fn imports(module: &ModulePath, code: &str, files: &BTreeMap<ModulePath, PathBuf>) -> BTreeSet<ModulePath> {
    let is_file = |candidate: &ModulePath| files.contains_key(candidate);
    // `super` is the parent of a file's module; a `mod.rs` is its folder's
    // module, so its `super` is one level further up.
    let mut found = BTreeSet::new();
    let bytes = code.as_bytes();
    for start in ["crate::", "super::", "self::"] {
        let mut from = 0;
        while let Some(offset) = code[from..].find(start) {
            let at = from + offset;
            from = at + start.len();
            if at > 0 && (bytes[at - 1].is_ascii_alphanumeric() || bytes[at - 1] == b'_' || bytes[at - 1] == b':') {
                continue;
            }
            let mut target: ModulePath = match start {
                "crate::" => Vec::new(),
                "super::" => module[..module.len().saturating_sub(1)].to_vec(),
                _ => module.clone(),
            };
            let mut rest = &code[from..];
            // `super::super::x`
            while let Some(after) = rest.strip_prefix("super::") {
                target.pop();
                rest = after;
            }
            for segment in rest.split("::") {
                let name: String = segment
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_lowercase()) {
                    break;
                }
                let mut longer = target.clone();
                longer.push(name.clone());
                if !is_file(&longer) {
                    break;
                }
                target = longer;
                if segment.len() != name.len() {
                    break;
                }
            }
            if &target != module && !target.is_empty() {
                found.insert(target);
            }
        }
    }
    found
}

fn graph() -> BTreeMap<ModulePath, BTreeSet<ModulePath>> {
    let files = library_files();
    files
        .iter()
        .map(|(module, path)| (module.clone(), imports(module, &code_of(module, path), &files)))
        .collect()
}

fn layer_of(top: &str) -> (u8, &'static str) {
    LAYERS
        .iter()
        .find(|(name, ..)| *name == top)
        .map(|(_, layer, stage)| (*layer, *stage))
        .unwrap_or_else(|| panic!("src/{top}: a new top-level module; give it a layer in tests/it/architecture.rs"))
}

/// The circles of a directed graph, as the first path found round each.
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
        found: &mut Vec<Vec<String>>,
    ) {
        if let Some(at) = path.iter().position(|seen| seen == node) {
            let mut circle = path[at..].to_vec();
            circle.push(node.to_string());
            found.push(circle);
            return;
        }
        if done.contains(node) {
            return;
        }
        path.push(node.to_string());
        for next in edges.get(node).into_iter().flatten() {
            visit(next, edges, path, done, found);
        }
        path.pop();
        done.insert(node.to_string());
    }
    let mut found = Vec::new();
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        visit(node, edges, &mut Vec::new(), &mut done, &mut found);
    }
    found
}

#[test]
fn no_module_imports_from_a_later_stage() {
    let mut wrong = Vec::new();
    for (module, targets) in graph() {
        let (from_layer, from_stage) = layer_of(&module[0]);
        for target in targets {
            let (to_layer, to_stage) = layer_of(&target[0]);
            if to_layer > from_layer {
                wrong.push(format!(
                    "src/{} ({from_stage}) imports {} ({to_stage})",
                    module.join("/"),
                    target.join("::")
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the flow:\n{}", wrong.join("\n"));
}

#[test]
fn no_two_modules_import_each_other_round_a_circle() {
    let graph = graph();
    // Within each folder, between its children (each child standing for
    // everything below it); and between the top-level modules.
    let mut folders: BTreeMap<ModulePath, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    for (module, targets) in &graph {
        for target in targets {
            let shared = module.iter().zip(target).take_while(|(a, b)| a == b).count();
            if shared == module.len() || shared == target.len() {
                continue; // a parent and its descendant
            }
            let folder = module[..shared].to_vec();
            folders
                .entry(folder)
                .or_default()
                .entry(module[shared].clone())
                .or_default()
                .insert(target[shared].clone());
        }
    }
    let mut found = Vec::new();
    for (folder, edges) in &folders {
        for circle in circles(edges) {
            let place = if folder.is_empty() {
                "src".to_string()
            } else {
                format!("src/{}", folder.join("/"))
            };
            found.push(format!("{place}: {}", circle.join(" → ")));
        }
    }
    assert!(found.is_empty(), "import circles:\n{}", found.join("\n"));
}

#[test]
fn the_checker_sees_imports_through_super_and_crate() {
    let files: BTreeMap<ModulePath, PathBuf> = [
        vec!["render".to_string()],
        vec!["render".to_string(), "cache".to_string()],
        vec!["render".to_string(), "parts".to_string()],
        vec!["hashing".to_string()],
    ]
    .into_iter()
    .map(|module| (module, PathBuf::new()))
    .collect();
    let parts = vec!["render".to_string(), "parts".to_string()];
    let found = imports(
        &parts,
        "use super::cache::Cache;\nlet x = crate::hashing::fingerprint_of(&1);\nuse super::Theme;",
        &files,
    );
    let names: Vec<String> = found.iter().map(|module| module.join("::")).collect();
    assert_eq!(names, ["hashing", "render", "render::cache"]);
    let mut edges = BTreeMap::new();
    edges.insert("a".to_string(), BTreeSet::from(["b".to_string()]));
    edges.insert("b".to_string(), BTreeSet::from(["a".to_string()]));
    assert_eq!(circles(&edges), [vec!["a", "b", "a"]]);
}
