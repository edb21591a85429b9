//! The writer against real folders in temp dirs: what it writes, keeps,
//! takes back and deletes, and the links it will not go through.

use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::manifest::{self, content_print};
use super::*;
use crate::error::Error;
use crate::render::{self, FileBytes, Outputs};

fn outputs(files: &[(&str, &str)]) -> Outputs {
    Outputs {
        files: files
            .iter()
            .map(|(p, c)| {
                (
                    p.to_string(),
                    FileBytes::Whole(std::sync::Arc::new(c.as_bytes().to_vec())),
                )
            })
            .collect(),
    }
}

/// Every path under `dir` with its bytes (links as links, not followed).
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut all: Vec<_> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|entry| entry.unwrap())
        .map(|entry| {
            let bytes = if entry.file_type().is_file() {
                fs::read(entry.path()).unwrap()
            } else if entry.path_is_symlink() {
                fs::read_link(entry.path())
                    .unwrap()
                    .into_os_string()
                    .into_encoded_bytes()
            } else {
                Vec::new()
            };
            (entry.path().to_path_buf(), bytes)
        })
        .collect();
    all.sort();
    all
}

#[test]
fn writes_only_changes_and_removes_only_its_own_stale_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let first = write_outputs(&out, &outputs(&[("index.html", "a"), ("events/x/index.html", "x")])).unwrap();
    assert_eq!(first.written, 2);
    fs::write(out.join("CNAME"), "example.org").unwrap();
    fs::create_dir_all(out.join(".git")).unwrap();
    fs::write(out.join(".git/HEAD"), "ref").unwrap();
    let second = write_outputs(&out, &outputs(&[("index.html", "a"), ("events/y/index.html", "y")])).unwrap();
    assert_eq!((second.written, second.unchanged, second.removed), (1, 1, 1));
    assert!(
        !out.join("events/x").exists(),
        "the empty folder of the removed page is gone"
    );
    assert!(out.join("CNAME").exists() && out.join(".git/HEAD").exists());
    let leftovers: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp") || name == LOCK_FILE)
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_stale_file_changed_by_hand_or_listed_without_a_fingerprint_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_outputs(&out, &outputs(&[("edited.html", "mine"), ("same.html", "same")])).unwrap();
    fs::write(out.join("edited.html"), "edited by hand").unwrap();
    fs::write(out.join("notes.txt"), "the user's").unwrap();
    fs::write(out.join("CNAME"), "example.org").unwrap();
    fs::create_dir_all(out.join(".git")).unwrap();
    fs::write(out.join(".git/HEAD"), "ref").unwrap();
    // Lines planted by hand: a path alone, and a size with a wrong fingerprint.
    let mut text = fs::read_to_string(out.join(MANIFEST)).unwrap();
    text.push_str("notes.txt\nCNAME\t11\t-\t");
    text.push_str(&format!("{:016x}\n", content_print(b"example.org")));
    text.push_str(&format!(".git/HEAD\t3\t-\t{:016x}\n", content_print(b"ref")));
    fs::write(out.join(MANIFEST), text).unwrap();
    let report = write_outputs(&out, &outputs(&[("index.html", "new")])).unwrap();
    assert_eq!(report.removed, 1, "only same.html, which still is what annals wrote");
    assert!(!out.join("same.html").exists());
    for kept in ["edited.html", "notes.txt", "CNAME", ".git/HEAD"] {
        assert!(out.join(kept).exists(), "{kept} is kept");
        assert!(
            report.kept.iter().any(|k| k.path == kept),
            "{kept} is reported: {:?}",
            report.kept
        );
    }
}

#[test]
fn a_streamed_file_is_rewritten_only_where_it_differs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let old = "a".repeat(100_000);
    write_outputs(&out, &outputs(&[("data.json", old.as_str())])).unwrap();
    let mut changed_middle = old.clone();
    changed_middle.replace_range(70_000..70_001, "b");
    for (new, written) in [
        (old.clone(), 0),
        (changed_middle, 1),
        (format!("{old}tail"), 1),
        (old[..500].to_string(), 1),
        (String::new(), 1),
    ] {
        write_outputs(&out, &outputs(&[("data.json", old.as_str())])).unwrap();
        let staging = Staging::open(&out).unwrap();
        let (sender, outputs) = render::channel();
        std::thread::scope(|scope| {
            let writer = scope.spawn(|| staging.take(outputs));
            sender
                .stream("data.json".into(), |w| {
                    // In uneven pieces, as a serializer writes.
                    for piece in new.as_bytes().chunks(777) {
                        w.write_all(piece)?;
                    }
                    Ok(())
                })
                .unwrap();
            drop(sender);
            writer.join().unwrap().unwrap();
        });
        let report = staging.commit().unwrap();
        assert_eq!(report.written, written, "{} bytes", new.len());
        assert_eq!(fs::read_to_string(out.join("data.json")).unwrap(), new);
        let listed = manifest::parse(&fs::read_to_string(out.join(MANIFEST)).unwrap());
        let stamp = listed.files["data.json"].expect("a stamp");
        assert_eq!(
            (stamp.size, stamp.content),
            (new.len() as u64, content_print(new.as_bytes()))
        );
    }
}

#[test]
fn a_build_killed_half_way_leaves_a_folder_the_next_build_accepts() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    fs::create_dir_all(&root).unwrap();
    let out = root.join("public");
    let staging = Staging::open(&out).unwrap();
    staging.put("index.html".into(), b"half".to_vec()).unwrap();
    // A killed process runs no destructors (its lock goes with it; here the
    // test process lives on, so only the pid file is left, as after a kill).
    std::mem::forget(staging);
    let protected = Protected {
        root: root.canonicalize().unwrap(),
        home: None,
    };
    let out = out.canonicalize().unwrap();
    assert!(
        check_output_dir(&out, &protected, false).is_ok(),
        "the folder is annals' own"
    );
}

#[test]
fn a_failed_build_takes_back_what_it_wrote() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_outputs(&out, &outputs(&[("index.html", "old"), ("a/b.html", "old")])).unwrap();
    fs::write(out.join("CNAME"), "example.org").unwrap();
    let before = snapshot(&out);
    let staging = Staging::open(&out).unwrap();
    staging.put("index.html".into(), b"new".to_vec()).unwrap();
    staging.put("new/deep/page.html".into(), b"new".to_vec()).unwrap();
    staging.put("a/b.html".into(), b"old".to_vec()).unwrap();
    staging.abort();
    assert_eq!(snapshot(&out), before);
    drop(Staging::open(&dir.path().join("never/deeper")).unwrap());
    assert!(
        !dir.path().join("never").exists(),
        "output folders made for nothing are removed"
    );
}

#[test]
fn files_written_at_once_into_shared_new_folders_are_all_kept_or_all_taken_back() {
    let paths: Vec<String> = (0..400)
        .map(|at| format!("events/part-{}/deep-{}/page-{at}.html", at % 7, at % 3))
        .collect();
    for commit in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_outputs(&out, &outputs(&[("index.html", "old")])).unwrap();
        let before = snapshot(&out);
        let staging = Staging::open(&out).unwrap();
        paths
            .par_iter()
            .for_each(|path| staging.put(path.clone(), path.as_bytes().to_vec()).unwrap());
        if commit {
            staging.commit().unwrap();
            for path in &paths {
                assert_eq!(fs::read_to_string(out.join(path)).unwrap(), *path);
            }
        } else {
            staging.abort();
            assert_eq!(snapshot(&out), before, "every folder made at once is removed");
        }
    }
}

#[test]
fn unsafe_output_paths_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let error = write_outputs(&dir.path().join("o"), &outputs(&[("../evil", "x")])).unwrap_err();
    assert!(matches!(error, Error::Write { .. }));
    assert!(!dir.path().join("evil").exists());
}

#[cfg(unix)]
mod links {
    use super::*;
    use std::os::unix::fs::symlink;

    /// An output folder from an earlier build, and a victim folder beside it.
    fn built() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_outputs(&out, &outputs(&[("index.html", "old"), ("events/x/index.html", "x")])).unwrap();
        let victim = dir.path().join("victim");
        fs::create_dir_all(&victim).unwrap();
        fs::write(victim.join("secret.txt"), "secret").unwrap();
        (dir, out, victim)
    }

    fn assert_names_link(error: Error, link: &Path) {
        match error {
            Error::LinkInOutput { path } => assert_eq!(path, link),
            other => panic!("expected a link error naming {}, got {other}", link.display()),
        }
    }

    #[test]
    fn a_linked_folder_in_the_output_is_never_written_through() {
        let (_dir, out, victim) = built();
        fs::remove_dir_all(out.join("events")).unwrap();
        symlink(&victim, out.join("events")).unwrap();
        let before = snapshot(&out);
        let error = write_outputs(&out, &outputs(&[("index.html", "new"), ("events/x/index.html", "x")])).unwrap_err();
        assert_names_link(error, &out.join("events"));
        assert_eq!(
            fs::read_dir(&victim).unwrap().count(),
            1,
            "nothing was written into the victim"
        );
        assert_eq!(snapshot(&out), before, "the failed build changed nothing");
    }

    #[test]
    fn a_linked_file_in_the_output_is_never_overwritten_through() {
        let (_dir, out, victim) = built();
        fs::remove_file(out.join("index.html")).unwrap();
        symlink(victim.join("secret.txt"), out.join("index.html")).unwrap();
        let error = write_outputs(&out, &outputs(&[("index.html", "page")])).unwrap_err();
        assert_names_link(error, &out.join("index.html"));
        assert_eq!(fs::read_to_string(victim.join("secret.txt")).unwrap(), "secret");
    }

    #[test]
    fn a_manifest_line_through_a_linked_folder_deletes_nothing() {
        let (_dir, out, victim) = built();
        symlink(&victim, out.join("evil")).unwrap();
        let mut text = fs::read_to_string(out.join(MANIFEST)).unwrap();
        text.push_str(&format!("evil/secret.txt\t6\t-\t{:016x}\n", content_print(b"secret")));
        text.push_str("evil/old-format.txt\n");
        fs::write(out.join(MANIFEST), text).unwrap();
        let before = snapshot(&out);
        let error = write_outputs(&out, &outputs(&[("index.html", "new")])).unwrap_err();
        assert_names_link(error, &out.join("evil"));
        assert_eq!(fs::read_to_string(victim.join("secret.txt")).unwrap(), "secret");
        assert_eq!(snapshot(&out), before, "the build stopped before changing anything");
    }

    #[test]
    fn a_linked_manifest_is_refused() {
        let (_dir, out, victim) = built();
        fs::remove_file(out.join(MANIFEST)).unwrap();
        symlink(victim.join("secret.txt"), out.join(MANIFEST)).unwrap();
        let error = write_outputs(&out, &outputs(&[("index.html", "new")])).unwrap_err();
        assert_names_link(error, &out.join(MANIFEST));
        assert_eq!(fs::read_to_string(victim.join("secret.txt")).unwrap(), "secret");
    }

    #[test]
    fn an_output_folder_that_is_a_link_is_not_opened() {
        let (dir, _out, victim) = built();
        let linked = dir.path().join("linked");
        symlink(&victim, &linked).unwrap();
        assert!(Staging::open(&linked).is_err());
        assert_eq!(fs::read_dir(&victim).unwrap().count(), 1);
    }
}

#[test]
fn a_second_build_waits_for_the_first_and_then_names_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let first = Staging::open(&out).unwrap();
    let started = std::time::Instant::now();
    let error = match Staging::open(&out) {
        Err(error) => error,
        Ok(_) => panic!("a second build took a held folder"),
    };
    assert!(started.elapsed() >= LOCK_WAIT, "it waited a moment first");
    let Error::Locked { pid, .. } = &error else {
        panic!("expected the lock error, got {error}");
    };
    assert_eq!(*pid, std::process::id().to_string());
    assert!(error.to_string().contains("another annals build (pid"), "{error}");
    first.commit().unwrap();
    assert!(!out.join(LOCK_FILE).exists(), "the lock file goes with the lock");
    Staging::open(&out).unwrap().commit().unwrap();
}

#[test]
fn a_streamed_file_whose_maker_fails_half_way_is_never_taken_for_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    let staging = Staging::open(&out).unwrap();
    let (sender, outputs) = render::channel();
    let taken = std::thread::scope(|scope| {
        let writer = scope.spawn(|| staging.take(outputs));
        let made = sender.stream("data.json".into(), |w| {
            w.write_all(&[b'a'; 200_000])?;
            Err(std::io::Error::other("the serializer failed"))
        });
        assert!(made.is_err());
        drop(sender);
        writer.join().unwrap()
    });
    assert!(taken.is_err(), "a half-made file must fail the write");
    drop(staging);
    assert!(!out.join("data.json").exists());
}
