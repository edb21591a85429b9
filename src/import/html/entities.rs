//! Character references: `&amp;`, `&#39;`, `&#x2014;`, `&eacute;`.

/// Replaces character references (`&amp;`, `&#39;`, `&#x2014;`, `&eacute;`…);
/// an unknown name is left as written, as browsers do.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match read_entity(rest) {
            Some((decoded, length)) => {
                out.push_str(&decoded);
                rest = &rest[length..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Reads one character reference at the start of `text` (which starts with
/// `&`): what it stands for and how many bytes it took.
pub(super) fn read_entity(text: &str) -> Option<(String, usize)> {
    let end = text.find(';')?;
    let body = &text[1..end];
    if body.is_empty() || end > 40 {
        return None;
    }
    let decoded = if let Some(number) = body.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) if !hex.is_empty() && hex.chars().all(|c| c.is_ascii_hexdigit()) => {
                u32::from_str_radix(hex, 16).ok()?
            }
            None if number.chars().all(|c| c.is_ascii_digit()) => number.parse().ok()?,
            _ => return None,
        };
        let c = match code {
            0 => '\u{FFFD}',
            code => char::from_u32(code).unwrap_or('\u{FFFD}'),
        };
        c.to_string()
    } else {
        if !body.chars().all(|c| c.is_ascii_alphanumeric()) {
            return None;
        }
        named_entity(body)?
    };
    Some((decoded, end + 1))
}

fn named_entity(name: &str) -> Option<String> {
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "sbquo" => '‚',
        "ldquo" => '“',
        "rdquo" => '”',
        "bdquo" => '„',
        "laquo" => '«',
        "raquo" => '»',
        "lsaquo" => '‹',
        "rsaquo" => '›',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "deg" => '°',
        "middot" => '·',
        "bull" => '•',
        "times" => '×',
        "divide" => '÷',
        "plusmn" => '±',
        "minus" => '−',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "sect" => '§',
        "para" => '¶',
        "dagger" => '†',
        "Dagger" => '‡',
        "prime" => '′',
        "Prime" => '″',
        "frac12" => '½',
        "frac14" => '¼',
        "frac34" => '¾',
        "iexcl" => '¡',
        "iquest" => '¿',
        "shy" => '\u{ad}',
        "ensp" => '\u{2002}',
        "emsp" => '\u{2003}',
        "thinsp" => '\u{2009}',
        "zwnj" => '\u{200c}',
        "zwj" => '\u{200d}',
        "lrm" => '\u{200e}',
        "rlm" => '\u{200f}',
        "szlig" => 'ß',
        _ => return accented_letter(name),
    };
    Some(c.to_string())
}

/// `&eacute;`, `&Ouml;`, `&ccedil;`…: a letter and its accent.
fn accented_letter(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let letter = chars.next()?;
    let accent = chars.as_str();
    let lower = match (letter.to_ascii_lowercase(), accent) {
        ('a', "grave") => 'à',
        ('a', "acute") => 'á',
        ('a', "circ") => 'â',
        ('a', "tilde") => 'ã',
        ('a', "uml") => 'ä',
        ('a', "ring") => 'å',
        ('a', "elig") => 'æ',
        ('c', "cedil") => 'ç',
        ('e', "grave") => 'è',
        ('e', "acute") => 'é',
        ('e', "circ") => 'ê',
        ('e', "uml") => 'ë',
        ('i', "grave") => 'ì',
        ('i', "acute") => 'í',
        ('i', "circ") => 'î',
        ('i', "uml") => 'ï',
        ('n', "tilde") => 'ñ',
        ('o', "grave") => 'ò',
        ('o', "acute") => 'ó',
        ('o', "circ") => 'ô',
        ('o', "tilde") => 'õ',
        ('o', "uml") => 'ö',
        ('o', "slash") => 'ø',
        ('o', "elig") => 'œ',
        ('u', "grave") => 'ù',
        ('u', "acute") => 'ú',
        ('u', "circ") => 'û',
        ('u', "uml") => 'ü',
        ('y', "acute") => 'ý',
        ('y', "uml") => 'ÿ',
        _ => return None,
    };
    Some(if letter.is_ascii_uppercase() {
        lower.to_uppercase().collect()
    } else {
        lower.to_string()
    })
}
