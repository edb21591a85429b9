//! How large a file of each kind annals reads may be.
//!
//! Every file's size is checked against its limit from the file system
//! before it is read (see [`crate::load`]), so a huge or sparse file costs a
//! `stat`, not its size in memory. Errors name the file, its size and the
//! limit.

use crate::config::CONFIG_FILE;
use crate::diagnostic::{Code, Diagnostic};
use crate::yaml::MAX_YAML_BYTES;

/// Largest content text file (Markdown or YAML) annals reads.
pub const MAX_TEXT_BYTES: u64 = CONTENT_TEXT.bytes;

/// The largest file of one kind annals reads, and what to say beyond it.
#[derive(Debug)]
pub struct Limit {
    /// At most this many bytes.
    pub bytes: u64,
    /// The kind of file, plural.
    what: &'static str,
    hint: &'static str,
}

const MIB: u64 = 1024 * 1024;

/// Content text files (Markdown or YAML). An explainer's event is a few
/// kilobytes; a file this big is a mistake, and refusing it keeps memory
/// and time bounded.
pub const CONTENT_TEXT: Limit = Limit {
    bytes: 16 * MIB,
    what: "content files (Markdown or YAML)",
    hint: "split it into several events, or move large media into content/media/",
};

/// Files copied as they are: media, `static/` files, a theme's static files.
pub const ASSET: Limit = Limit {
    bytes: 256 * MIB,
    what: "media and static files",
    hint: "make it smaller (a video is best hosted elsewhere and linked to)",
};

/// `site.yaml`: settings only, so the YAML limit.
pub const CONFIG: Limit = Limit {
    bytes: MAX_YAML_BYTES as u64,
    what: "site.yaml files",
    hint: "site.yaml holds settings; events go in content/events/",
};

/// A theme's templates, strings and settings.
pub const THEME_TEXT: Limit = Limit {
    bytes: 16 * MIB,
    what: "theme templates and strings",
    hint: "split the template into partials",
};

impl Limit {
    /// The limit for the file at the site-relative `path`.
    pub fn of(path: &str) -> &'static Limit {
        if let Some(theme) = path.strip_prefix("themes/") {
            let inner = theme.split_once('/').map_or("", |(_, inner)| inner);
            if inner.starts_with("static/") {
                &ASSET
            } else {
                &THEME_TEXT
            }
        } else if path.starts_with("content/") && crate::load::is_event_file(path) {
            &CONTENT_TEXT
        } else if path == CONFIG_FILE {
            &CONFIG
        } else {
            &ASSET
        }
    }

    /// The error for a file of `size` bytes over this limit.
    pub fn refuse(&self, path: &str, size: u64) -> Diagnostic {
        Diagnostic::error(
            path,
            format!(
                "the file is {} ({size} bytes); annals reads {} of at most {}",
                shown_size(size),
                self.what,
                shown_size(self.bytes)
            ),
        )
        .with_hint(self.hint)
        .with_code(Code::FileTooLarge)
    }
}

/// `16 MiB`, `2.0 GiB`, `300 KiB`, `12 bytes`.
fn shown_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const GIB: u64 = 1024 * MIB;
    let scaled = |unit: u64, name: &str| {
        if bytes.is_multiple_of(unit) {
            format!("{} {name}", bytes / unit)
        } else {
            format!("{:.1} {name}", bytes as f64 / unit as f64)
        }
    };
    match bytes {
        GIB.. => scaled(GIB, "GiB"),
        MIB.. => scaled(MIB, "MiB"),
        KIB.. => scaled(KIB, "KiB"),
        _ => format!("{bytes} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_file_has_its_limit() {
        assert_eq!(Limit::of("content/events/x.md").bytes, 16 * MIB);
        assert_eq!(Limit::of("content/media/x.mp4").bytes, 256 * MIB);
        assert_eq!(Limit::of("static/x.js").bytes, 256 * MIB);
        assert_eq!(Limit::of("site.yaml").bytes, 4 * MIB);
        assert_eq!(Limit::of("themes/t/templates/base.html").bytes, 16 * MIB);
        assert_eq!(Limit::of("themes/t/static/font.woff2").bytes, 256 * MIB);
        // A YAML file in static/ is copied, not parsed.
        assert_eq!(Limit::of("static/x.yaml").bytes, 256 * MIB);
    }

    #[test]
    fn sizes_are_shown_in_the_largest_whole_unit() {
        assert_eq!(shown_size(16 * MIB), "16 MiB");
        assert_eq!(shown_size(2 * 1024 * MIB), "2 GiB");
        assert_eq!(shown_size(3 * MIB / 2), "1.5 MiB");
        assert_eq!(shown_size(12), "12 bytes");
    }
}
