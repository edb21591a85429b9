//! Styling a site without forking the theme: its own `stylesheets:`, a
//! copy of the built-in theme made by `annals theme eject`, and template
//! errors that name their file and line once.

use std::path::Path;

use crate::support::output::{html_pages, resolve, Target};
use crate::support::{annals, assert_same_tree, files, html, read, selector, tree, Site};

/// The `href`s of a page's stylesheet links, in order.
fn stylesheet_links(out: &Path, page: &str) -> Vec<String> {
    html(&out.join(page))
        .select(&selector(r#"link[rel="stylesheet"]"#))
        .filter_map(|link| link.value().attr("href").map(str::to_string))
        .collect()
}

/// The example's `base_url`: the 404 page links from it.
const BASE_URL: &str = "https://example.org/annals/lecun/";

/// The file of the output a link of `page` leads to.
fn target(page: &str, href: &str) -> String {
    match resolve(page, href, BASE_URL) {
        Target::Local(path, None) => path,
        other => panic!("{page}: `{href}` is {other:?}"),
    }
}

#[test]
fn an_ejected_theme_builds_the_same_site_byte_for_byte() {
    let site = Site::example();
    let before = site.base().join("with-built-in");
    site.build_into(&before, &[]).success();

    let run = annals(&site.base(), &["theme", "eject", "--root", site.root.to_str().unwrap()]).success();
    assert!(run.stdout.contains("themes/custom/"), "{run}");
    site.replace("site.yaml", "\ntheme: default\n", "\ntheme: custom\n");
    let after = site.base().join("with-ejected");
    site.build_into(&after, &[]).success();

    // The manifest is annals' own record of the build: it names the inputs'
    // fingerprints, and the theme's name is one of them. Of it, the files
    // listed, their sizes and their bytes' fingerprints must be the same.
    let manifest = |out: &Path| -> Vec<String> {
        read(&out.join(".annals-manifest"))
            .lines()
            .filter(|line| line.contains('\t'))
            .map(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                format!("{} {} {}", fields[0], fields[1], fields[fields.len() - 1])
            })
            .collect()
    };
    assert_eq!(manifest(&before), manifest(&after));
    let site_files = |out: &Path| {
        let mut found = tree(out);
        found.remove(".annals-manifest");
        found
    };
    let (before, after) = (site_files(&before), site_files(&after));
    assert!(files(&before).len() > 100, "the example builds many files");
    assert_same_tree(&before, &after, "the output of the ejected theme");
}

#[test]
fn eject_refuses_a_theme_folder_that_exists() {
    let site = Site::example();
    site.write("themes/custom/templates/index.html", "mine");
    let themes = tree(&site.path("themes"));
    let run = annals(
        &site.base(),
        &["theme", "eject", "custom", "--root", site.root.to_str().unwrap()],
    )
    .failure();
    assert!(run.stderr.contains("themes/custom"), "{run}");
    assert!(run.stderr.contains("already exists"), "{run}");
    assert_same_tree(&themes, &tree(&site.path("themes")), "themes/");
}

#[test]
fn site_stylesheets_are_linked_after_the_themes_on_every_page_with_a_fingerprint() {
    let site = Site::example();
    site.write("static/css/brand.css", ":root { --accent: #b00020; }\n");
    site.write("static/print.css", "@media print { .site-nav { display: none; } }\n");
    site.replace(
        "site.yaml",
        "\ntheme: default\n",
        "\ntheme: default\nstylesheets:\n  - css/brand.css\n  - print.css\n",
    );
    site.build().success();
    let out = site.out();
    let pages = html_pages(&out);
    assert!(pages.iter().any(|page| page.starts_with("zh/")), "both languages");
    for page in &pages {
        let links = stylesheet_links(&out, page);
        assert_eq!(links.len(), 3, "{page}: {links:?}");
        let targets: Vec<String> = links.iter().map(|href| target(page, href)).collect();
        // The Chinese pages link the copy under zh/, as they do the theme's.
        let language = if page.starts_with("zh/") { "zh/" } else { "" };
        let name = |target: &str| target.strip_prefix(language).unwrap_or(target).to_string();
        let names: Vec<String> = targets.iter().map(|target| name(target)).collect();
        assert!(
            names[0].starts_with("assets/annals.") && names[0].ends_with(".css"),
            "{page}: {targets:?}"
        );
        assert!(
            names[1].starts_with("css/brand.") && names[1] != "css/brand.css",
            "{page}: {targets:?}"
        );
        assert!(
            names[2].starts_with("print.") && names[2] != "print.css",
            "{page}: {targets:?}"
        );
        assert_eq!(read(&out.join(&targets[1])), ":root { --accent: #b00020; }\n", "{page}");
        assert!(out.join(&targets[0]).is_file(), "{page}: {}", targets[0]);
        assert!(out.join(&targets[2]).is_file(), "{page}: {}", targets[2]);
    }
    assert!(
        !out.join("css/brand.css").exists(),
        "only the fingerprinted name is written"
    );

    // A new stylesheet is a new name: browsers that cached the old one fetch it.
    let old = stylesheet_links(&out, "index.html");
    site.write("static/css/brand.css", ":root { --accent: #006b5f; }\n");
    site.build().success();
    let new = stylesheet_links(&out, "index.html");
    assert_eq!(old[0], new[0]);
    assert_ne!(old[1], new[1]);
}

#[test]
fn a_missing_stylesheet_is_an_error_at_its_line_of_site_yaml() {
    let site = Site::example();
    site.replace(
        "site.yaml",
        "\ntheme: default\n",
        "\ntheme: default\nstylesheets:\n  - css/brand.css\n",
    );
    let line = site
        .read("site.yaml")
        .lines()
        .position(|text| text == "  - css/brand.css")
        .unwrap()
        + 1;
    let run = site.build().failure();
    let error = run.error_at(&format!("site.yaml:{line}:5"));
    assert!(
        error.contains("the stylesheet `static/css/brand.css` does not exist"),
        "{error}"
    );
    assert!(!site.out().exists(), "nothing written");
}

#[test]
fn an_unknown_filter_is_reported_once_at_its_template_line() {
    let site = Site::fixture("base");
    site.write(
        "themes/default/templates/partials/count.html",
        "{{ n }}\n{{ n | no_such_filter }}\n",
    );
    let run = site.build().failure();
    let error = run.error_at("themes/default/templates/partials/count.html:2:8");
    assert!(error.contains("error: Unknown filter `no_such_filter`"), "{error}");
    assert!(!run.stderr.contains("error: error:"), "{run}");
}
