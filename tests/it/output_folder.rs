//! The output folder against a hostile repository and against other
//! builds: a cloned `public/` with committed links and a planted manifest,
//! an `output_dir` that leaves the site, two real builds at once, and a
//! build killed half way by SIGKILL. Victim files outside the site must be
//! unchanged byte for byte.

use std::fs;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use annals::write::manifest::content_print;
use annals::write::{LOCK_FILE, MANIFEST};

use crate::support::{annals, assert_same_tree, corpus, temporary_files, tree, Site};

fn git(cwd: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.test"])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "core.symlinks=true",
        ])
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?} failed");
}

/// Files a hostile repository would like to reach: a home folder beside it.
fn victims(base: &Path) -> std::path::PathBuf {
    let home = base.join("home");
    fs::create_dir_all(home.join(".ssh")).unwrap();
    fs::write(home.join(".bashrc"), "export PATH=/usr/bin\n").unwrap();
    fs::write(home.join(".ssh/authorized_keys"), "ssh-ed25519 AAAA the-user\n").unwrap();
    home
}

#[cfg(unix)]
#[test]
fn a_cloned_repository_with_linked_output_and_a_planted_manifest_harms_nothing() {
    use std::os::unix::fs::symlink;
    let site = Site::fixture("base");
    let base = site.base();
    let home = victims(&base);
    let before = tree(&home);
    // The repository commits an output folder: a manifest naming files
    // through a linked folder (with the right size and fingerprint, and in
    // the old path-only form), and a page that is a link to a key file.
    let bashrc = fs::read(home.join(".bashrc")).unwrap();
    fs::create_dir_all(site.path("public")).unwrap();
    site.write(
        &format!("public/{MANIFEST}"),
        &format!(
            "# Files written by annals\nevil/.bashrc\t{}\t-\t{:016x}\nevil/.ssh/authorized_keys\n",
            bashrc.len(),
            content_print(&bashrc)
        ),
    );
    symlink("../../home", site.path("public/evil")).unwrap();
    symlink("../../home/.ssh/authorized_keys", site.path("public/index.html")).unwrap();
    git(&site.root, &["init", "-q"]);
    git(&site.root, &["add", "-A"]);
    git(&site.root, &["commit", "-q", "-m", "a timeline"]);
    git(&base, &["clone", "-q", "site", "clone"]);
    let clone = base.join("clone");
    assert!(fs::symlink_metadata(clone.join("public/evil"))
        .unwrap()
        .file_type()
        .is_symlink());

    // `git clone` and `annals build`, as a new user would.
    let run = annals(&clone, &["build"]).failure();
    assert!(run.stderr.contains("public/index.html` is a symbolic link"), "{run}");
    assert_same_tree(&before, &tree(&home), "the victim files");
    // The user removes the link it named; the next one is named in turn.
    fs::remove_file(clone.join("public/index.html")).unwrap();
    let run = annals(&clone, &["build"]).failure();
    assert!(run.stderr.contains("public/evil` is a symbolic link"), "{run}");
    assert_same_tree(&before, &tree(&home), "the victim files");
    fs::remove_file(clone.join("public/evil")).unwrap();
    annals(&clone, &["build"]).success();
    assert_same_tree(&before, &tree(&home), "the victim files");
    assert!(clone.join("public/index.html").is_file());
}

#[test]
fn an_output_dir_in_site_yaml_that_leaves_the_site_is_refused() {
    let site = Site::fixture("base");
    // Another annals site's output beside this one, which a build there
    // would clean up as its own.
    let other = site.base().join("other-public");
    site.build_into(&other, &[]).success();
    let before = tree(&other);
    let yaml = site.read("site.yaml");
    site.write("site.yaml", &format!("{yaml}output_dir: ../other-public\n"));
    site.remove("content/events/2001-01-02-first.md");
    let run = annals(&site.root, &["build"]).failure();
    assert!(
        run.stderr
            .contains("`output_dir` in site.yaml must be a folder inside the site"),
        "{run}"
    );
    assert_same_tree(&before, &tree(&other), "the other output folder");
    // On the command line the user may choose any folder.
    annals(&site.root, &["build", "-o", "../other-public"]).success();
}

/// A site big enough that a debug build takes a while.
fn generated_site() -> Site {
    let site = Site::empty();
    corpus::generate(&site.root, 1500, 7);
    site
}

fn spawn_build(site: &Site, out: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_annals"))
        .args(["build", "--root"])
        .arg(&site.root)
        .arg("-o")
        .arg(out)
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start annals build")
}

/// Waits until `child` names itself in the lock file of `out`, and says
/// whether it did before it finished.
fn holds_the_lock(child: &mut Child, out: &Path) -> bool {
    let pid = child.id().to_string();
    let deadline = Instant::now() + Duration::from_secs(300);
    while Instant::now() < deadline {
        if fs::read_to_string(out.join(LOCK_FILE)).is_ok_and(|text| text.trim() == pid) {
            return true;
        }
        if child.try_wait().expect("poll the build").is_some() {
            return false;
        }
        std::thread::yield_now();
    }
    panic!("the build never took the lock of {}", out.display());
}

/// Starts a build into `out` and returns it once it holds the lock; a
/// build that finished first is started again, a few times.
fn build_holding_the_lock(site: &Site, out: &Path) -> Child {
    for _ in 0..5 {
        let mut child = spawn_build(site, out);
        if holds_the_lock(&mut child, out) {
            return child;
        }
    }
    panic!("every build finished before it could be seen holding the lock");
}

fn signal(child: &Child, signal: i32) {
    let pid = i32::try_from(child.id()).expect("a pid");
    // SAFETY: kill(2) with the pid of a child this test started.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0, "signal {signal}");
}

#[cfg(unix)]
#[test]
fn a_second_build_into_a_folder_in_use_waits_then_names_the_first() {
    let site = generated_site();
    let out = site.out();
    let first = build_holding_the_lock(&site, &out);
    // Paused while it holds the folder, however slow the machine is.
    signal(&first, libc::SIGSTOP);
    let run = site.build();
    signal(&first, libc::SIGCONT);
    let run = run.failure();
    assert_eq!(run.code, Some(1), "{run}");
    let expected = format!("another annals build (pid {}) is writing to", first.id());
    assert!(run.stderr.contains(&expected), "{run}");
    let first = first.wait_with_output().expect("wait for the first build");
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    site.build().success();
    let fresh = site.base().join("fresh");
    site.build_into(&fresh, &[]).success();
    assert_same_tree(&tree(&fresh), &tree(&out), "the output of two builds in turn");
}

#[cfg(unix)]
#[test]
fn a_build_killed_half_way_is_taken_over_and_leaves_nothing_behind() {
    let site = generated_site();
    let out = site.out();
    site.build().success();
    // Every page changes, so the killed build was replacing files.
    site.replace("site.yaml", "title: Generated timeline", "title: Regenerated timeline");
    let mut killed = build_holding_the_lock(&site, &out);
    // Let it get some way into its writing before it dies.
    let deadline = Instant::now() + Duration::from_secs(60);
    while temporary_files(&out).is_empty() && Instant::now() < deadline && killed.try_wait().unwrap().is_none() {
        std::thread::yield_now();
    }
    signal(&killed, libc::SIGKILL);
    killed.wait().expect("reap the killed build");
    let run = site.build().success();
    assert!(!run.stdout.is_empty());
    let fresh = site.base().join("fresh");
    site.build_into(&fresh, &[]).success();
    assert_same_tree(&tree(&fresh), &tree(&out), "the output after a killed build");
    assert!(temporary_files(&out).is_empty());
    assert!(!out.join(LOCK_FILE).exists());
}
