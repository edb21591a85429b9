//! What annals reads: symbolic links that lead out of the site are refused
//! unless `--follow-links` is given, content files a browser would run are
//! refused while `markdown.unsafe_html` is off, and every file's size is
//! checked before it is read. Real links, real sparse files, a real
//! `git clone`.

#![cfg(unix)]

use std::fs;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::support::{annals, files, tree, Run, ServeGuard, Site, Stream};

const SECRET: &str = "SECRET-7f3a: the victim's private line";

/// A folder beside the site (outside it) holding a secret file.
fn victim(site: &Site) -> PathBuf {
    let victim = site.base().join("victim");
    fs::create_dir_all(&victim).unwrap();
    fs::write(victim.join("secret.txt"), SECRET).unwrap();
    victim
}

/// Asserts the run printed nothing of the secret and wrote no output.
#[track_caller]
fn nothing_leaked(site: &Site, run: &Run) {
    assert!(!run.stdout.contains(SECRET) && !run.stderr.contains(SECRET), "{run}");
    assert!(
        !site.out().exists(),
        "a refused build wrote {:?}",
        tree(&site.out()).keys().collect::<Vec<_>>()
    );
}

/// The stderr line of the error about `link`, asserting it names `target`
/// and the way out (`--follow-links`).
#[track_caller]
fn refusal<'a>(run: &'a Run, link: &str, target: &Path) -> &'a str {
    let line = run.error_at(link);
    assert!(
        line.contains("this symbolic link leads out of the site") && line.contains(&format!("`{}`", target.display())),
        "{run}"
    );
    assert!(
        run.stderr.contains("pass --follow-links if you trust where it leads"),
        "{run}"
    );
    line
}

#[test]
fn a_static_folder_linking_out_of_the_site_is_refused_and_nothing_is_published() {
    let site = Site::fixture("base");
    let victim = victim(&site);
    symlink(&victim, site.path("static")).unwrap();
    let run = site.build().failure();
    refusal(&run, "static", &victim);
    nothing_leaked(&site, &run);
}

#[test]
fn a_theme_folder_linking_out_of_the_site_is_refused() {
    let site = Site::fixture("base");
    let victim = victim(&site);
    fs::create_dir_all(victim.join("templates")).unwrap();
    fs::write(victim.join("templates/index.html"), SECRET).unwrap();
    fs::create_dir_all(site.path("themes")).unwrap();
    symlink(&victim, site.path("themes/borrowed")).unwrap();
    site.replace("site.yaml", "theme: default", "theme: borrowed");
    let run = site.build().failure();
    refusal(&run, "themes/borrowed", &victim);
    nothing_leaked(&site, &run);
}

#[test]
fn a_theme_name_cannot_climb_out_of_themes() {
    let site = Site::fixture("base");
    victim(&site);
    site.replace("site.yaml", "theme: default", "theme: ../../victim");
    let run = site.build().failure();
    assert!(
        run.error_at("site.yaml")
            .contains("the theme name `../../victim` is not a folder name"),
        "{run}"
    );
    nothing_leaked(&site, &run);
}

#[test]
fn a_site_yaml_linking_out_of_the_site_is_refused_without_printing_the_file() {
    let site = Site::fixture("base");
    let outside = site.base().join("credentials.yaml");
    // Were it read, its bad YAML would be quoted in the error's frame.
    fs::write(&outside, format!("title: x\n{SECRET}\n")).unwrap();
    site.remove("site.yaml");
    symlink(&outside, site.path("site.yaml")).unwrap();
    for command in ["build", "check"] {
        let run = match command {
            "build" => site.build(),
            _ => annals(&site.base(), &["check", "--root", site.root.to_str().unwrap()]),
        }
        .failure();
        refusal(&run, "site.yaml", &outside);
        nothing_leaked(&site, &run);
    }
}

#[test]
fn a_content_events_folder_linking_out_is_an_error_not_an_empty_timeline() {
    let site = Site::fixture("base");
    let victim = victim(&site);
    fs::rename(site.path("content/events"), victim.join("events")).unwrap();
    symlink(victim.join("events"), site.path("content/events")).unwrap();
    let run = site.build().failure();
    refusal(&run, "content/events", &victim.join("events"));
    assert!(!run.stdout.contains("Built "), "{run}");
    nothing_leaked(&site, &run);
}

#[test]
fn a_link_deep_inside_content_that_leads_out_is_refused() {
    let site = Site::fixture("base");
    let victim = victim(&site);
    fs::create_dir_all(site.path("content/media")).unwrap();
    symlink(victim.join("secret.txt"), site.path("content/media/photo.txt")).unwrap();
    symlink(victim.join("secret.txt"), site.path("content/events/leak.md")).unwrap();
    let run = site.build().failure();
    // Both are reported in one run.
    refusal(&run, "content/media/photo.txt", &victim.join("secret.txt"));
    refusal(&run, "content/events/leak.md", &victim.join("secret.txt"));
    nothing_leaked(&site, &run);
}

#[test]
fn a_link_to_the_clones_own_secrets_inside_the_site_is_refused_even_with_follow_links() {
    let site = Site::fixture("base");
    // What a cloner keeps beside a site: a token, a remote with credentials.
    site.write(".env", SECRET);
    site.write(".git/config", SECRET);
    fs::create_dir_all(site.path("static")).unwrap();
    fs::create_dir_all(site.path("content/media")).unwrap();
    symlink("../.env", site.path("static/robots2.txt")).unwrap();
    symlink("../../.git/config", site.path("content/media/config.txt")).unwrap();
    for extra in [&[][..], &["--follow-links"][..]] {
        let run = site.build_into(&site.out(), extra).failure();
        assert!(
            run.error_at("static/robots2.txt")
                .contains("this symbolic link leads to `.env`, which annals never reads"),
            "{run}"
        );
        assert!(
            run.error_at("content/media/config.txt").contains("leads to `.git`"),
            "{run}"
        );
        nothing_leaked(&site, &run);
    }
}

#[test]
fn links_that_stay_inside_the_site_are_followed() {
    let site = Site::fixture("base");
    // static/ is a link to a folder of the site, a file of an event a link
    // to a file kept elsewhere in the site, and a theme a link to another.
    site.write("shared/static/robots-extra.txt", "shared");
    symlink("shared/static", site.path("static")).unwrap();
    site.write(
        "drafts/2003-linked.md",
        "---\ntitle: Linked event\ndate: 2003\n---\nReached through a link.\n",
    );
    symlink(
        "../../drafts/2003-linked.md",
        site.path("content/events/2003-linked.md"),
    )
    .unwrap();
    // A link back to a folder that holds it would never end: it is skipped.
    symlink("..", site.path("content/events/again")).unwrap();
    let run = site.build().success();
    assert_eq!(
        fs::read_to_string(site.out().join("robots-extra.txt")).unwrap(),
        "shared"
    );
    assert_eq!(run.summary().events, 3, "{run}");
    let page = fs::read_to_string(site.out().join("events/linked/index.html")).unwrap();
    assert!(page.contains("Reached through a link."));
    assert!(
        run.stderr
            .contains("content/events/again: warning: skipped: this symbolic link leads back"),
        "{run}"
    );
}

#[test]
fn follow_links_allows_a_link_out_of_the_site() {
    let site = Site::fixture("base");
    let victim = victim(&site);
    symlink(&victim, site.path("static")).unwrap();
    let root = site.root.to_str().unwrap();
    annals(&site.base(), &["check", "--root", root]).failure();
    annals(&site.base(), &["check", "--root", root, "--follow-links"]).success();
    site.build_into(&site.out(), &["--follow-links"]).success();
    assert_eq!(fs::read_to_string(site.out().join("secret.txt")).unwrap(), SECRET);
}

#[test]
fn serve_refuses_a_link_out_of_the_site_and_follows_it_with_the_flag() {
    let site = Site::fixture("base");
    let victim = victim(&site);
    symlink(&victim, site.path("static")).unwrap();
    let mut refused = ServeGuard::start(&site);
    refused.wait_for_line(Stream::Stderr, 1, Duration::from_secs(10), |line| {
        line.starts_with("static: error: this symbolic link leads out of the site")
    });
    // Until the site builds, every page is the error page.
    let response = refused.get("/secret.txt");
    assert_eq!(response.status, 500);
    assert!(response.body.contains("leads out of the site"), "{}", response.body);
    assert!(!response.body.contains(SECRET));
    drop(refused);
    let followed = ServeGuard::start_with(&site, &["--follow-links"]);
    let response = followed.get("/secret.txt");
    assert_eq!(response.status, 200);
}

#[test]
fn content_files_a_browser_would_run_are_refused_unless_unsafe_html_is_on() {
    let site = Site::fixture("base");
    let refused = [
        (
            "content/media/chart.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
        ),
        ("content/media/page.html", "<p>hello</p>"),
        ("content/media/app.js", "alert(1)"),
    ];
    for (path, text) in refused {
        site.write(path, text);
    }
    let plain = "<svg xmlns=\"http://www.w3.org/2000/svg\"><polygon points=\"0,0 1,1\"/></svg>";
    site.write("content/media/plain.svg", plain);
    site.write("static/site.js", "console.log('the owner\\'s own')");
    let run = site.build().failure();
    for (path, _) in refused {
        let line = run.error_at(path);
        assert!(
            line.contains("a browser would run this file") && line.contains("`markdown.unsafe_html` is off"),
            "{run}"
        );
    }
    assert!(
        !run.stderr.contains("plain.svg") && !run.stderr.contains("site.js"),
        "{run}"
    );
    assert!(!site.out().join("media/page.html").exists());

    // Without them the plain image and the owner's script are published.
    for (path, _) in refused {
        site.remove(path);
    }
    site.build().success();
    assert_eq!(fs::read_to_string(site.out().join("media/plain.svg")).unwrap(), plain);
    assert!(site.out().join("site.js").is_file());

    // A site that trusts its authors publishes them.
    for (path, text) in refused {
        site.write(path, text);
    }
    site.write(
        "site.yaml",
        &format!("{}\nmarkdown:\n  unsafe_html: true\n", site.read("site.yaml")),
    );
    site.build().success();
    assert!(site.out().join("media/page.html").is_file());
}

/// The largest resident size any finished child of this process reached,
/// in bytes (Linux reports KiB).
fn largest_child_memory() -> u64 {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    assert_eq!(unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) }, 0);
    usage.ru_maxrss as u64 * 1024
}

#[test]
fn a_two_gigabyte_event_file_is_refused_without_reading_it() {
    let site = Site::fixture("base");
    let huge = site.path("content/events/2004-huge.md");
    // Sparse: no room on disk, 2 GiB to anyone who reads it.
    fs::File::create(&huge).unwrap().set_len(2 << 30).unwrap();
    let run = site.build().failure();
    // Had it been read, the build would have held 2 GiB at once. Other
    // tests' children count too, and none comes near.
    let peak = largest_child_memory();
    assert!(peak < 1 << 30, "a child of the tests used {} MiB", peak >> 20);
    assert_eq!(
        run.error_at("content/events/2004-huge.md"),
        "content/events/2004-huge.md: error: the file is 2 GiB (2147483648 bytes); \
         annals reads content files (Markdown or YAML) of at most 16 MiB",
    );
    assert!(!site.out().exists());
}

#[test]
fn media_static_theme_and_settings_files_are_checked_for_size_before_reading() {
    let site = Site::fixture("base");
    let sparse = |relative: &str, size: u64| {
        let path = site.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::File::create(path).unwrap().set_len(size).unwrap();
    };
    sparse("content/media/film.mp4", 300 << 20);
    sparse("static/backup.tar", 257 << 20);
    sparse("themes/default/templates/base.html", 17 << 20);
    let run = site.build().failure();
    for (path, message) in [
        (
            "content/media/film.mp4",
            "the file is 300 MiB (314572800 bytes); annals reads media and static files of at most 256 MiB",
        ),
        (
            "static/backup.tar",
            "the file is 257 MiB (269484032 bytes); annals reads media and static files of at most 256 MiB",
        ),
        (
            "themes/default/templates/base.html",
            "the file is 17 MiB (17825792 bytes); annals reads theme templates and strings of at most 16 MiB",
        ),
    ] {
        assert_eq!(run.error_at(path), format!("{path}: error: {message}"), "{run}");
    }
    assert!(!site.out().exists());

    site.remove("site.yaml");
    sparse("site.yaml", 5 << 20);
    let run = site.build().failure();
    assert_eq!(
        run.error_at("site.yaml"),
        "site.yaml: error: the file is 5 MiB (5242880 bytes); annals reads site.yaml files of at most 4 MiB"
    );
}

/// Runs git with a fixed identity, asserting it succeeds.
#[track_caller]
fn git(cwd: &Path, args: &[&str]) {
    let output = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run git");
    assert!(
        output.status.success(),
        "git {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_cloned_repository_whose_static_links_out_cannot_publish_the_victims_files() {
    let site = Site::fixture("base");
    let base = site.base();
    // <base>/victim holds the files; the repository is <base>/upstream, and
    // its clone <base>/work/clone: `../../victim` from the clone's root
    // is the victim folder.
    let victim = victim(&site);
    fs::write(victim.join("id_ed25519"), "-----BEGIN OPENSSH PRIVATE KEY-----\n").unwrap();
    let before = tree(&victim);
    let upstream = base.join("upstream");
    fs::create_dir_all(&upstream).unwrap();
    fs::copy(site.path("site.yaml"), upstream.join("site.yaml")).unwrap();
    fs::create_dir_all(upstream.join("content/events")).unwrap();
    fs::copy(
        site.path("content/events/2002-second.md"),
        upstream.join("content/events/2002-second.md"),
    )
    .unwrap();
    symlink("../../victim", upstream.join("static")).unwrap();
    git(&upstream, &["init", "-q"]);
    git(&upstream, &["add", "."]);
    git(&upstream, &["commit", "-q", "-m", "A site"]);
    fs::create_dir_all(base.join("work")).unwrap();
    git(
        &base.join("work"),
        &["clone", "-q", upstream.to_str().unwrap(), "clone"],
    );
    let clone = base.join("work/clone");
    assert!(fs::symlink_metadata(clone.join("static"))
        .unwrap()
        .file_type()
        .is_symlink());

    let run = annals(&clone, &["build"]).failure();
    refusal(&run, "static", &victim);
    assert!(!run.stdout.contains(SECRET) && !run.stderr.contains(SECRET), "{run}");
    let published = tree(&clone.join("public"));
    assert!(
        files(&published)
            .keys()
            .all(|path| !path.contains("secret") && !path.contains("id_ed25519")),
        "{published:?}"
    );
    assert!(!clone.join("public").exists(), "a refused build created public/");
    assert_eq!(tree(&victim), before, "the victim's files changed");
}
