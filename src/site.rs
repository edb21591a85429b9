//! The library's front door: find a site, load it, check it, build it.
//!
//! The command line is one user of these calls; a test, a script or
//! another tool can be another. They run the same pipeline as `annals
//! build` and `annals check`, print nothing, and return what they found.
//!
//! ```no_run
//! use annals::{BuildOptions, Site};
//!
//! let root = Site::find("my-timeline".as_ref())?;
//! let site = Site::load(&root, BuildOptions::default())?;
//! println!("{} errors", site.check()?.iter().filter(|d| d.is_error()).count());
//! let built = site.build(None, false)?;
//! println!("{} events, {} files written", built.event_count, built.written.written);
//! # Ok::<(), annals::error::Error>(())
//! ```
//!
//! The preview server is [`crate::serve::run`].

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::error::{Error, Result};
use crate::load::links::LinkRule;
use crate::load::{self, SiteFiles};
use crate::pipeline::{self, BuildOptions, Caches};
use crate::write::{self, Protected, Staging, WriteReport};

/// A site read from disk: its settings and every file a build reads.
pub struct Site {
    root: PathBuf,
    options: BuildOptions,
    config: Config,
    files: SiteFiles,
}

/// What a build into an output folder did.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// The output folder, resolved.
    pub output: PathBuf,
    /// How many events were published.
    pub event_count: usize,
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// What the writer did to the folder.
    pub written: WriteReport,
}

impl Site {
    /// The nearest folder at or above `start` that holds a `site.yaml`.
    pub fn find(start: &Path) -> Result<PathBuf> {
        load::find_root(start)
    }

    /// Reads the site at `root` (its settings, content, static files and
    /// theme) under the rules of `options`.
    pub fn load(root: &Path, options: BuildOptions) -> Result<Site> {
        let (config, files) = pipeline::load(root, &options)?;
        Ok(Site {
            root: root.to_path_buf(),
            options,
            config,
            files,
        })
    }

    /// The site's settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Every problem a build would meet, errors and warnings, without
    /// writing anything.
    pub fn check(&self) -> Result<Vec<Diagnostic>> {
        let built = pipeline::build_from_files(self.config.clone(), &self.files, &self.options, &mut Caches::default());
        match built {
            Ok(built) => Ok(built.warnings),
            Err(Error::Invalid { diagnostics }) => Ok(diagnostics),
            Err(other) => Err(other),
        }
    }

    /// Builds the site into `output` (by default `output_dir` of
    /// `site.yaml`, which must lie inside the site), writing only what
    /// changed; `force` writes into a non-empty folder annals did not make.
    /// On an error the folder is left as it was.
    pub fn build(self, output: Option<&Path>, force: bool) -> Result<BuildReport> {
        let Site {
            root,
            options,
            config,
            mut files,
        } = self;
        let given = match output {
            Some(output) => output.to_path_buf(),
            None => write::output_from_config(&root, &config.output_dir)?,
        };
        let output = write::resolve_output(&given, &root)?;
        let protected = Protected {
            root: root.clone(),
            home: std::env::var_os("HOME")
                .map(PathBuf::from)
                .and_then(|home| home.canonicalize().ok()),
        };
        // Files are written as they are rendered; a failed build is rolled
        // back when `staging` is dropped. Opening it locks the folder, or
        // waits for the build that holds it.
        let staging = Staging::open_checked(&output, &protected, force)?;
        let previous = staging.previous_build();
        let mut caches = Caches::before_exit();
        // Each text goes once parsed; a problem that quotes one reads it
        // again under the same rule for links as the first read.
        let links = LinkRule::new(&root, options.follow_links)?;
        let assembled =
            pipeline::assemble_letting_texts_go(config, &mut files, &links, &options, &mut caches, Some(&previous))?;
        // Every text is parsed: only the site's own files are still needed.
        let assets = std::mem::take(&mut files.assets);
        drop(files);
        // The writer takes the files on a thread of its own as they render.
        let (built, taken) = pipeline::with_consumer(
            |outputs| staging.take(outputs),
            |sender| pipeline::render_assembled(assembled, &assets, &mut caches, Some(&previous), sender),
        );
        let built = match (built, taken) {
            // Every broken template is worth more than a write error.
            (Err(error @ Error::Invalid { .. }), _) => Err(error),
            // The writer says why the render could not send.
            (_, Err(error)) => Err(error),
            (built, Ok(())) => built,
        }?;
        let written = staging.commit()?;
        Ok(BuildReport {
            output,
            event_count: built.event_count,
            warnings: built.warnings,
            written,
        })
    }
}
