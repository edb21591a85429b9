//! The phrases annals writes around dates that CLDR has no data for.
//!
//! CLDR formats a date; it has no pattern for "about this date", "this date,
//! but doubtful", an open-ended range or a decade. These are written here by
//! hand, one block per language, each a pattern with `{0}` for what it
//! surrounds. Counted phrases (`events`) have a form per CLDR plural category
//! of the language; a missing category falls back to "other".

use super::Lang;

/// annals' own phrases in one language.
#[derive(Debug)]
pub struct Words {
    /// An approximate date: "c. {0}", "{0}頃".
    pub circa: &'static str,
    /// A doubtful date: "{0}?", "{0}（存疑）".
    pub uncertain: &'static str,
    /// A range that has not ended: "{0} – present".
    pub ongoing_range: &'static str,
    /// The end of such a range on its own: "present".
    pub present: &'static str,
    /// The length of a span that has not ended: "ongoing".
    pub ongoing: &'static str,
    /// An approximate length: "about {0}".
    pub about: &'static str,
    /// A decade from its first year: "{0}s", "années {0}".
    pub decade: &'static str,
    /// The gap to a later group, `{0}` being an amount of years: "{0} later".
    pub later: &'static str,
    /// The gap to an earlier group: "{0} earlier".
    pub earlier: &'static str,
    /// A count of events by plural category: "{0} event", "{0} events".
    pub events: &'static [(&'static str, &'static str)],
    /// Between a label and what it labels: ": ", "：".
    pub colon: &'static str,
}

/// The phrases of `lang`.
pub fn of(lang: Lang) -> &'static Words {
    match lang {
        Lang::En => &EN,
        Lang::Zh => &ZH,
        Lang::Fr => &FR,
        Lang::De => &DE,
        Lang::Es => &ES,
        Lang::Ja => &JA,
        Lang::Ko => &KO,
        Lang::Pt => &PT,
        Lang::Ru => &RU,
    }
}

const EN: Words = Words {
    circa: "c. {0}",
    uncertain: "{0}?",
    ongoing_range: "{0} – present",
    present: "present",
    ongoing: "ongoing",
    about: "about {0}",
    decade: "{0}s",
    later: "{0} later",
    earlier: "{0} earlier",
    events: &[("one", "{0} event"), ("other", "{0} events")],
    colon: ": ",
};

const ZH: Words = Words {
    circa: "约{0}",
    uncertain: "{0}（存疑）",
    ongoing_range: "{0}至今",
    present: "至今",
    ongoing: "持续至今",
    about: "约{0}",
    decade: "{0}年代",
    later: "{0}后",
    earlier: "{0}前",
    // Spaced as the default theme's zh.yaml spaces its counts ("5 个事件").
    events: &[("other", "{0} 个事件")],
    colon: "：",
};

// French puts a no-break space before a colon.
const FR: Words = Words {
    circa: "vers {0}",
    uncertain: "{0} (?)",
    ongoing_range: "{0} – aujourd’hui",
    present: "aujourd’hui",
    ongoing: "en cours",
    about: "environ {0}",
    decade: "années {0}",
    later: "{0} plus tard",
    earlier: "{0} plus tôt",
    events: &[
        ("one", "{0} événement"),
        ("many", "{0} d’événements"),
        ("other", "{0} événements"),
    ],
    colon: "\u{a0}: ",
};

// "um 1500" reads oddly before a full date; "ca." fits every precision.
const DE: Words = Words {
    circa: "ca. {0}",
    uncertain: "{0} (?)",
    ongoing_range: "{0} – heute",
    present: "heute",
    ongoing: "andauernd",
    about: "etwa {0}",
    decade: "{0}er-Jahre",
    later: "{0} später",
    earlier: "{0} früher",
    events: &[("one", "{0} Ereignis"), ("other", "{0} Ereignisse")],
    colon: ": ",
};

const ES: Words = Words {
    circa: "c. {0}",
    uncertain: "{0} (?)",
    ongoing_range: "{0} – actualidad",
    present: "actualidad",
    ongoing: "en curso",
    about: "aprox. {0}",
    decade: "década de {0}",
    later: "{0} después",
    earlier: "{0} antes",
    events: &[
        ("one", "{0} evento"),
        ("many", "{0} de eventos"),
        ("other", "{0} eventos"),
    ],
    colon: ": ",
};

const JA: Words = Words {
    circa: "{0}頃",
    uncertain: "{0}（？）",
    ongoing_range: "{0}～現在",
    present: "現在",
    ongoing: "継続中",
    about: "約{0}",
    decade: "{0}年代",
    later: "{0}後",
    earlier: "{0}前",
    events: &[("other", "{0}件の出来事")],
    colon: "：",
};

const KO: Words = Words {
    circa: "{0}경",
    uncertain: "{0}(?)",
    ongoing_range: "{0} ~ 현재",
    present: "현재",
    ongoing: "진행 중",
    about: "약 {0}",
    decade: "{0}년대",
    later: "{0} 후",
    earlier: "{0} 전",
    events: &[("other", "사건 {0}건")],
    colon: ": ",
};

const PT: Words = Words {
    circa: "c. {0}",
    uncertain: "{0} (?)",
    ongoing_range: "{0} – presente",
    present: "presente",
    ongoing: "em curso",
    about: "cerca de {0}",
    decade: "década de {0}",
    later: "{0} depois",
    earlier: "{0} antes",
    events: &[
        ("one", "{0} evento"),
        ("many", "{0} de eventos"),
        ("other", "{0} eventos"),
    ],
    colon: ": ",
};

// "около" would need the genitive ("около 2 лет"); "примерно" takes the
// nominative the CLDR units are in ("примерно 2 года").
const RU: Words = Words {
    circa: "ок. {0}",
    uncertain: "{0} (?)",
    ongoing_range: "{0} – наст. время",
    present: "наст. время",
    ongoing: "продолжается",
    about: "примерно {0}",
    decade: "{0}-е",
    later: "{0} спустя",
    earlier: "на {0} раньше",
    events: &[
        ("one", "{0} событие"),
        ("few", "{0} события"),
        ("many", "{0} событий"),
        ("other", "{0} события"),
    ],
    colon: ": ",
};
