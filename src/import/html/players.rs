//! Players' addresses: the host an embedded player comes from, and the
//! page a reader can open instead of the player.

/// `https://www.youtube.com/embed/x` → `youtube.com`.
pub(super) fn host(url: &str) -> String {
    let rest = url.split_once("//").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or(host);
    host.strip_prefix("www.").unwrap_or(host).to_ascii_lowercase()
}

/// The page a reader can open for a player's address: a YouTube or Vimeo
/// player links to its video's page (keeping the start time); others to
/// the player itself. Addresses without a scheme (`//host/…`) get `https:`.
pub fn player_page(src: &str) -> String {
    let src = src.trim();
    let src = match src.strip_prefix("//") {
        Some(rest) => format!("https://{rest}"),
        None => src.to_string(),
    };
    let (address, fragment) = src.split_once('#').unwrap_or((&src, ""));
    let (path, query) = address.split_once('?').unwrap_or((address, ""));
    let start = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("start=").or_else(|| pair.strip_prefix("t=")))
        .or_else(|| fragment.strip_prefix("t="))
        .filter(|time| !time.is_empty() && time.chars().all(|c| c.is_ascii_alphanumeric()));
    let host_path = path.split_once("//").map_or(path, |(_, rest)| rest);
    let host_path = host_path.strip_prefix("www.").unwrap_or(host_path);
    for prefix in ["youtube.com/embed/", "youtube-nocookie.com/embed/"] {
        if let Some(id) = host_path
            .strip_prefix(prefix)
            .filter(|id| !id.is_empty() && !id.contains('/'))
        {
            return match start {
                Some(time) => format!("https://www.youtube.com/watch?v={id}&t={time}"),
                None => format!("https://www.youtube.com/watch?v={id}"),
            };
        }
    }
    if let Some(id) = host_path
        .strip_prefix("player.vimeo.com/video/")
        .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
    {
        return match start {
            Some(time) => format!("https://vimeo.com/{id}#t={time}"),
            None => format!("https://vimeo.com/{id}"),
        };
    }
    src
}
