//! The rules the preview server applies to every request, as pure functions.
//!
//! The server answers only with files the in-memory build produced, so there
//! is no file system to traverse; [`resolve`] still refuses anything that
//! looks like an attempt (dot segments, backslashes, NUL bytes, double
//! encoding tricks decode once and then simply name no file). [`host_allowed`]
//! stops DNS rebinding: a page on another site cannot talk to the preview
//! through a host name that resolves to 127.0.0.1 (or to this machine's LAN
//! address).

/// Longest request target the server reads.
pub const MAX_TARGET_LEN: usize = 2048;

/// What a request target names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// An output file, by its output path.
    File(String),
    /// A folder whose index exists: redirect to the address with a slash.
    Redirect(String),
    /// Nothing the build produced.
    NotFound,
    /// Not a path a browser would send.
    BadRequest,
}

/// Maps a raw request target (`/events/x/?q=1`) to an output path.
pub fn resolve(target: &str, exists: impl Fn(&str) -> bool) -> Resolved {
    if target.len() > MAX_TARGET_LEN {
        return Resolved::BadRequest;
    }
    let Some(path) = target.strip_prefix('/') else {
        return Resolved::BadRequest;
    };
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let Some(decoded) = percent_decode(path) else {
        return Resolved::BadRequest;
    };
    if decoded.contains(['\0', '\\']) || decoded.starts_with('/') || decoded.contains("//") {
        return Resolved::BadRequest;
    }
    if decoded.split('/').any(|segment| segment == ".." || segment == ".") {
        return Resolved::BadRequest;
    }
    if decoded.chars().any(char::is_control) {
        return Resolved::BadRequest;
    }
    let key = if decoded.is_empty() || decoded.ends_with('/') {
        format!("{decoded}index.html")
    } else {
        decoded.clone()
    };
    if exists(&key) {
        Resolved::File(key)
    } else if !decoded.ends_with('/') && exists(&format!("{decoded}/index.html")) {
        let location = format!("/{path}/");
        // A folder named at the length limit would be sent to an address
        // one byte too long, which the server then refuses.
        if location.len() <= MAX_TARGET_LEN {
            Resolved::Redirect(location)
        } else {
            Resolved::NotFound
        }
    } else {
        Resolved::NotFound
    }
}

/// Decodes `%XX` escapes once; `None` for bad escapes or invalid UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Whether a `Host` header names this server: one of `names` (host names
/// or addresses as a URL writes them, IPv6 in brackets) with the server's
/// port, or without a port when that is 80. See [`super::lan::HostNames`]
/// for which names a server answers to.
pub fn host_allowed(host: Option<&str>, names: &[String], port: u16) -> bool {
    let Some(host) = host else {
        return false;
    };
    let host = host.trim().to_ascii_lowercase();
    names.iter().any(|name| {
        let name = name.to_ascii_lowercase();
        host == format!("{name}:{port}") || (port == 80 && host == name)
    })
}

/// The `Content-Type` for an output path.
pub fn content_type(path: &str) -> &'static str {
    let extension = path.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase());
    match extension.as_deref() {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") if path.ends_with("feed.xml") => "application/atom+xml",
        Some("xml") => "application/xml",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("mp4") => "video/mp4",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(path: &str) -> bool {
        ["index.html", "events/x/index.html", "assets/annals.css", "a b.txt"].contains(&path)
    }

    #[test]
    fn folders_serve_their_index_and_files_themselves() {
        assert_eq!(resolve("/", site), Resolved::File("index.html".into()));
        assert_eq!(
            resolve("/events/x/", site),
            Resolved::File("events/x/index.html".into())
        );
        assert_eq!(
            resolve("/events/x/index.html?x=1#top", site),
            Resolved::File("events/x/index.html".into())
        );
        assert_eq!(
            resolve("/assets/annals.css", site),
            Resolved::File("assets/annals.css".into())
        );
        assert_eq!(resolve("/a%20b.txt", site), Resolved::File("a b.txt".into()));
        assert_eq!(resolve("/events/x", site), Resolved::Redirect("/events/x/".into()));
        assert_eq!(resolve("/nope", site), Resolved::NotFound);
    }

    #[test]
    fn traversal_attempts_never_name_a_file() {
        for target in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/..%2fetc/passwd",
            "/%252e%252e/etc/passwd",
            "/..\\etc\\passwd",
            "/%5c..%5cetc",
            "/C:/Windows/win.ini",
            "//etc/passwd",
            "/index.html%00",
            "/%00",
            "/%zz",
            "/%c0%ae%c0%ae/",
            "etc/passwd",
            "*",
            "http://evil.example/",
        ] {
            let resolved = resolve(target, site);
            assert!(
                matches!(resolved, Resolved::BadRequest | Resolved::NotFound),
                "{target} → {resolved:?}"
            );
        }
        assert_eq!(resolve(&format!("/{}", "a".repeat(5000)), site), Resolved::BadRequest);
    }

    #[test]
    fn a_folder_is_redirected_only_to_an_address_the_server_accepts() {
        let folders = |key: &str| key.ends_with("/index.html");
        let longest = format!("/{}", "a".repeat(MAX_TARGET_LEN - 2));
        let Resolved::Redirect(location) = resolve(&longest, folders) else {
            panic!("a folder one byte under the limit is redirected");
        };
        assert_eq!(location.len(), MAX_TARGET_LEN);
        assert!(matches!(resolve(&location, folders), Resolved::File(_)));
        let too_long = format!("/{}", "a".repeat(MAX_TARGET_LEN - 1));
        assert_eq!(resolve(&too_long, folders), Resolved::NotFound);
    }

    #[test]
    fn only_local_host_names_are_accepted() {
        let names: Vec<String> = ["localhost", "127.0.0.1", "[::1]", "192.168.1.5"]
            .map(String::from)
            .to_vec();
        assert!(host_allowed(Some("localhost:1111"), &names, 1111));
        assert!(host_allowed(Some("LocalHost:1111"), &names, 1111));
        assert!(host_allowed(Some("127.0.0.1:1111"), &names, 1111));
        assert!(host_allowed(Some("[::1]:1111"), &names, 1111));
        assert!(host_allowed(Some("192.168.1.5:1111"), &names, 1111));
        assert!(host_allowed(Some("localhost"), &names, 80));
        assert!(!host_allowed(Some("localhost"), &names, 1111));
        assert!(!host_allowed(Some("evil.example:1111"), &names, 1111));
        assert!(!host_allowed(Some("localhost:2222"), &names, 1111));
        assert!(!host_allowed(Some("localhost.evil.example:1111"), &names, 1111));
        assert!(!host_allowed(Some("192.168.1.6:1111"), &names, 1111));
        assert!(!host_allowed(None, &names, 1111));
    }

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "application/atom+xml");
        assert_eq!(content_type("media/a.JPG"), "image/jpeg");
        assert_eq!(content_type("CNAME"), "application/octet-stream");
    }
}
