//! The output folder: annals never writes over the site, never deletes
//! files it did not write, and cleans up only its own stale files. A full
//! disk (a real one: a small tmpfs) leaves every file whole, and neither a
//! build nor `serve` stopped with Ctrl-C touches a deploy checkout's `.git`
//! or `CNAME`.

use std::fs;
use std::path::Path;

use annals::write::MANIFEST;

use crate::support::{annals, assert_same_tree, files, tree, write_file, Entry, ServeGuard, Site, Tree};

/// Runs `annals <args>` in `cwd`, expecting a refusal that names `path` and
/// `reason` and leaves the whole temp dir (site included) untouched.
#[track_caller]
fn assert_refused(site: &Site, cwd: &Path, args: &[&str], path: &Path, reason: &str) {
    let before = tree(&site.base());
    let run = annals(cwd, args).failure();
    assert!(run.stderr.contains("refusing to write"), "{run}");
    assert!(
        run.stderr.contains(&path.display().to_string()),
        "names {}: {run}",
        path.display()
    );
    assert!(run.stderr.contains(reason), "says `{reason}`: {run}");
    assert_same_tree(&before, &tree(&site.base()), "the site and its temp dir");
}

/// The entries of `tree` under `prefix` (itself included).
fn subtree(tree: &Tree, prefix: &str) -> Tree {
    tree.iter()
        .filter(|(path, _)| *path == prefix || path.starts_with(&format!("{prefix}/")))
        .map(|(path, entry)| (path.clone(), entry.clone()))
        .collect()
}

/// Removes the first event of the `base` fixture, so a rebuild both writes
/// changed pages and removes stale ones.
fn remove_first_event(site: &Site) {
    fs::remove_file(site.path("content/events/2001-01-02-first.md")).expect("remove an event");
}

#[test]
fn git_folder_and_cname_in_the_output_survive_a_rebuild() {
    let site = Site::fixture("base");
    let out = site.out();
    site.build().success();
    write_file(&out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n");
    write_file(&out.join(".git/objects/ab/cdef0123"), "object");
    write_file(&out.join("CNAME"), "timeline.example.org\n");
    let before = tree(&out);
    remove_first_event(&site);
    let run = site.build().success();
    assert!(
        !run.stdout.contains(" 0 removed"),
        "the rebuild removed stale pages: {run}"
    );
    let after = tree(&out);
    assert_same_tree(
        &subtree(&before, ".git"),
        &subtree(&after, ".git"),
        "the output's .git/",
    );
    assert_eq!(after.get("CNAME"), before.get("CNAME"), "CNAME survives");
}

#[test]
fn a_git_file_in_the_output_survives_a_rebuild() {
    let site = Site::fixture("base");
    let out = site.out();
    site.build().success();
    write_file(&out.join(".git"), "gitdir: ../.git/worktrees/out\n");
    remove_first_event(&site);
    site.build().success();
    assert_eq!(
        tree(&out).get(".git"),
        Some(&Entry::File(b"gitdir: ../.git/worktrees/out\n".to_vec())),
        "the submodule-style .git file survives"
    );
}

#[test]
fn output_dot_in_the_site_is_refused() {
    let site = Site::fixture("base");
    assert_refused(&site, &site.root, &["build", "-o", "."], &site.root, "site root");
}

#[test]
fn output_content_is_refused() {
    let site = Site::fixture("base");
    assert_refused(
        &site,
        &site.root,
        &["build", "-o", "content"],
        &site.path("content"),
        "`content/`",
    );
}

#[test]
fn output_parent_of_the_site_is_refused() {
    let site = Site::fixture("base");
    assert_refused(
        &site,
        &site.root,
        &["build", "-o", ".."],
        &site.base(),
        "contains the site",
    );
}

#[test]
fn output_content_is_refused_when_the_site_is_given_with_root() {
    let site = Site::fixture("base");
    assert_refused(
        &site,
        &site.base(),
        &["build", "--root", "site", "-o", "site/content/events"],
        &site.path("content/events"),
        "`content/`",
    );
    assert_refused(
        &site,
        &site.base(),
        &["build", "--root", "site", "-o", "site"],
        &site.root,
        "site root",
    );
}

#[test]
fn outputs_inside_themes_or_static_are_refused() {
    let site = Site::fixture("base");
    site.write("static/CNAME", "timeline.example.org\n");
    site.write("themes/default/static/extra.css", "body {}\n");
    site.build().success();
    for (folder, reason) in [("static", "`static/`"), ("themes/default", "`themes/`")] {
        assert_refused(&site, &site.root, &["build", "-o", folder], &site.path(folder), reason);
    }
}

#[cfg(unix)]
#[test]
fn an_output_that_is_a_symlink_is_refused_before_it_is_followed() {
    let site = Site::fixture("base");
    let link = site.base().join("public-link");
    std::os::unix::fs::symlink(site.path("content"), &link).expect("create a symlink");
    assert_refused(
        &site,
        &site.base(),
        &["build", "--root", "site", "-o", "public-link"],
        &link,
        "is a symbolic link",
    );
}

#[test]
fn a_non_empty_folder_annals_did_not_create_is_refused() {
    let site = Site::fixture("base");
    let out = site.out();
    write_file(&out.join("notes.txt"), "mine\n");
    let before = tree(&site.base());
    let run = site.build().failure();
    assert!(run.stderr.contains("refusing to write"), "{run}");
    assert!(run.stderr.contains(&out.display().to_string()), "{run}");
    assert!(run.stderr.contains("--force"), "tells how to go ahead: {run}");
    assert_same_tree(&before, &tree(&site.base()), "the site and the foreign folder");
}

#[test]
fn force_builds_into_a_foreign_folder_and_keeps_its_files() {
    let site = Site::fixture("base");
    let out = site.out();
    write_file(&out.join("notes.txt"), "mine\n");
    write_file(&out.join("events/first/draft.txt"), "also mine\n");
    site.build_into(&out, &["--force"]).success();
    assert!(out.join("index.html").is_file());
    assert!(out.join("events/first/index.html").is_file());
    assert_eq!(fs::read(out.join("notes.txt")).unwrap(), b"mine\n");
    assert_eq!(fs::read(out.join("events/first/draft.txt")).unwrap(), b"also mine\n");
    // The folder is now annals' own: later builds need no --force and still
    // keep the foreign files, even beside a page they remove.
    remove_first_event(&site);
    site.build().success();
    assert!(!out.join("events/first/index.html").exists());
    assert_eq!(fs::read(out.join("notes.txt")).unwrap(), b"mine\n");
    assert_eq!(fs::read(out.join("events/first/draft.txt")).unwrap(), b"also mine\n");
}

#[test]
fn a_removed_event_page_disappears_on_rebuild_and_a_foreign_file_beside_it_stays() {
    let site = Site::fixture("base");
    let out = site.out();
    site.build().success();
    assert!(out.join("events/first/index.html").is_file());
    assert!(
        out.join("tags/start/index.html").is_file(),
        "only the first event has the tag"
    );
    write_file(&out.join("events/first/notes.txt"), "mine\n");
    remove_first_event(&site);
    site.build().success();
    assert!(
        !out.join("events/first/index.html").exists(),
        "the removed event's page is gone"
    );
    assert_eq!(fs::read(out.join("events/first/notes.txt")).unwrap(), b"mine\n");
    assert!(
        !out.join("tags/start").exists(),
        "the folder of a stale tag page is gone"
    );
    assert!(out.join("events/second/index.html").is_file());
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!index.contains("events/first/"), "the index no longer links to it");
}

#[test]
fn a_renamed_event_removes_its_old_page() {
    let site = Site::fixture("base");
    let out = site.out();
    site.build().success();
    fs::rename(
        site.path("content/events/2001-01-02-first.md"),
        site.path("content/events/2001-01-02-opening.md"),
    )
    .expect("rename an event");
    site.build().success();
    assert!(
        !out.join("events/first").exists(),
        "the old page and its folder are gone"
    );
    assert!(out.join("events/opening/index.html").is_file(), "the new page exists");
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(index.contains("events/opening/index.html"));
    assert!(!index.contains("events/first/"));
    let manifest = fs::read_to_string(out.join(MANIFEST)).unwrap();
    assert!(!manifest.contains("events/first/"), "the manifest forgot the old page");
}

#[test]
fn a_sibling_output_whose_name_starts_with_the_site_name_is_allowed() {
    let site = Site::fixture("base");
    let before = tree(&site.root);
    annals(&site.root, &["build", "-o", "../site-out"]).success();
    assert!(site.base().join("site-out/index.html").is_file());
    assert_same_tree(&before, &tree(&site.root), "the site");
}

#[test]
fn an_output_whose_name_starts_with_content_is_not_mistaken_for_content() {
    let site = Site::fixture("base");
    let content = tree(&site.path("content"));
    annals(&site.root, &["build", "-o", "content-x"]).success();
    assert!(site.path("content-x/index.html").is_file());
    assert_same_tree(&content, &tree(&site.path("content")), "content/");
    // A rebuild is not confused either: content-x is not read as content.
    let run = annals(&site.root, &["build", "-o", "content-x"]).success();
    assert!(run.stdout.contains("(0 written,"), "{run}");
}

#[cfg(unix)]
#[test]
fn git_folders_git_files_and_cname_survive_a_build_and_serve_stopped_with_ctrl_c() {
    // `.git/` when the output is a checkout of the deploy branch; a `.git`
    // file when it is a submodule (here, for both at once, a nested one).
    let foreign: [(&str, &str); 4] = [
        (".git/HEAD", "ref: refs/heads/gh-pages\n"),
        (".git/objects/ab/cdef0123", "object"),
        ("vendor/widget/.git", "gitdir: ../../../.git/modules/widget\n"),
        ("CNAME", "timeline.example.org\n"),
    ];
    let site = Site::fixture("base");
    // The output folder `serve` knows: site.yaml's `output_dir`, `public/`.
    let out = site.path("public");
    site.build_into(&out, &[]).success();
    for (path, text) in foreign {
        write_file(&out.join(path), text);
    }
    remove_first_event(&site);
    site.build_into(&out, &[]).success();
    let built = tree(&out);
    let mut server = ServeGuard::start(&site);
    assert_eq!(server.get("/").status, 200, "{}", server.transcript());
    let status = server.interrupt();
    use std::os::unix::process::ExitStatusExt;
    assert!(
        status.signal() == Some(2) || status.success(),
        "Ctrl-C stops the server quietly, not with an error: {status}"
    );
    assert_same_tree(&built, &tree(&out), "the output after serve and Ctrl-C");
    for (path, text) in foreign {
        assert_eq!(
            fs::read(out.join(path)).ok().as_deref(),
            Some(text.as_bytes()),
            "{path} survives"
        );
    }
}

/// A tmpfs mounted for one test and unmounted when dropped, even when the
/// test panics.
#[cfg(target_os = "linux")]
struct Tmpfs {
    at: std::path::PathBuf,
}

#[cfg(target_os = "linux")]
impl Tmpfs {
    /// Mounts a tmpfs of `size` (`256k`) at `at`; `None`, with a loud
    /// `SKIPPED` line, when this machine does not allow it (mounting needs
    /// root or CAP_SYS_ADMIN), or a panic when `ANNALS_REQUIRE_MOUNT=1`.
    fn mount(at: &Path, size: &str) -> Option<Tmpfs> {
        use std::io::Write;
        fs::create_dir_all(at).expect("create the mount point");
        let why = match std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(at)
            .output()
        {
            Ok(output) if output.status.success() => return Some(Tmpfs { at: at.to_path_buf() }),
            Ok(output) => String::from_utf8_lossy(&output.stderr)
                .lines()
                .next()
                .unwrap_or_default()
                .to_string(),
            Err(error) => format!("cannot run mount: {error}"),
        };
        if std::env::var("ANNALS_REQUIRE_MOUNT").as_deref() == Ok("1") {
            panic!("ANNALS_REQUIRE_MOUNT=1 but a tmpfs cannot be mounted: {why}");
        }
        // Straight to stderr, past the test harness's capture, so a skip is seen.
        let _ = writeln!(
            std::io::stderr(),
            "\nSKIPPED: the full-disk test needs to mount a tmpfs ({why}); \
             ANNALS_REQUIRE_MOUNT=1 makes this a failure\n"
        );
        None
    }

    /// Gives the tmpfs a new size, keeping its files.
    #[track_caller]
    fn resize(&self, size: &str) {
        let status = std::process::Command::new("mount")
            .args(["-o", &format!("remount,size={size}")])
            .arg(&self.at)
            .status()
            .expect("run mount");
        assert!(status.success(), "cannot resize the tmpfs: {status}");
    }
}

#[cfg(target_os = "linux")]
impl Drop for Tmpfs {
    fn drop(&mut self) {
        let unmount = |extra: &[&str]| {
            std::process::Command::new("umount")
                .args(extra)
                .arg(&self.at)
                .status()
                .is_ok_and(|status| status.success())
        };
        if !unmount(&[]) && !unmount(&["-l"]) {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "cannot unmount the test tmpfs at {}",
                self.at.display()
            );
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_leaves_every_file_whole_and_the_next_build_recovers() {
    let site = Site::fixture("base");
    let Some(disk) = Tmpfs::mount(&site.base().join("disk"), "1m") else {
        return;
    };
    let out = disk.at.join("out");
    site.build_into(&out, &[]).success();
    let before = tree(&out);
    // The first event grows until its page alone is bigger than the disk.
    let paragraph = "A paragraph that will not fit on this small disk. ".repeat(40);
    let mut text = site.read("content/events/2001-01-02-first.md");
    for _ in 0..600 {
        text.push_str(&format!("\n{paragraph}\n"));
    }
    site.write("content/events/2001-01-02-first.md", &text);
    let reference = site.base().join("reference");
    site.build_into(&reference, &[]).success();
    let wanted = tree(&reference);
    let (old, new) = (files(&before), files(&wanted));
    assert!(
        new["events/first/index.html"].len() > 1024 * 1024,
        "the page outgrows the disk"
    );

    let run = site.build_into(&out, &[]).failure();
    assert!(
        run.stderr.contains("No space left on device"),
        "says the disk is full: {run}"
    );
    let named = format!("error: cannot write `{}/", out.display());
    assert!(run.stderr.contains(&named), "names a file in the output: {run}");
    let after = tree(&out);
    let now = files(&after);
    assert_eq!(
        now.keys().collect::<Vec<_>>(),
        old.keys().collect::<Vec<_>>(),
        "no file is added (no temporary file, no partial new file) and none is lost"
    );
    for (path, bytes) in &now {
        assert!(
            Some(bytes) == old.get(path) || Some(bytes) == new.get(path),
            "{path} is neither the old file nor the new one: half-written"
        );
    }
    for path in ["events/first/index.html", "events.json", "timeline.json", MANIFEST] {
        assert_eq!(now[path], old[path], "{path}, which cannot fit, is unchanged");
    }

    disk.resize("32m");
    site.build_into(&out, &[]).success();
    assert_same_tree(&wanted, &tree(&out), "the output once the disk has room");
}
