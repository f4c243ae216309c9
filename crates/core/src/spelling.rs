//! Spelling variants for looking words up in a language model trained on
//! another variety of English: the built-in model is US English, while much
//! of the text unspin reads (BBC, Guardian, Commonwealth papers) is
//! British. A British form the model does not know ("globalisation",
//! "favourably", "centre") is looked up as its American form, and a
//! hyphenated compound ("world-wide") as one word, so that it and its
//! neighbours are scored with real statistics instead of as unknown words.

/// Candidate spellings of a lower-case word, likeliest first, not
/// including the word itself. Cheap: a handful of suffix rules.
pub fn variants(word: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if word.contains('-') {
        out.push(word.replace('-', ""));
    }
    // -ise/-isation → -ize/-ization, in every inflection
    for (gb, us) in [
        ("isation", "ization"),
        ("isations", "izations"),
        ("ise", "ize"),
        ("ised", "ized"),
        ("ises", "izes"),
        ("ising", "izing"),
        ("iser", "izer"),
        ("isers", "izers"),
        ("yse", "yze"),
        ("ysed", "yzed"),
        ("ysing", "yzing"),
        ("tre", "ter"),
        ("tres", "ters"),
        ("tred", "tered"),
        ("tring", "tering"),
        ("ence", "ense"),
        ("ences", "enses"),
        ("mme", "m"),
        ("mmes", "ms"),
        ("ogue", "og"),
        ("ogues", "ogs"),
    ] {
        if let Some(stem) = word.strip_suffix(gb) {
            if stem.len() >= 2 {
                out.push(format!("{stem}{us}"));
            }
        }
    }
    // doubled l before a suffix: travelled, cancelling, modeller, medallist
    for suffix in ["ed", "ing", "er", "ers", "ist", "ists", "or", "ors"] {
        if let Some(stem) = word.strip_suffix(suffix) {
            if stem.len() >= 4 && stem.ends_with("ll") {
                out.push(format!("{}{suffix}", &stem[..stem.len() - 1]));
            }
        }
    }
    // words of their own, and their plurals: "sceptical", "jewellery",
    // "judgements", "manoeuvring"
    for &(gb, us) in WORDS {
        match word.strip_prefix(gb) {
            Some("") => out.push(us.to_string()),
            Some("s") => out.push(format!("{us}s")),
            _ => {}
        }
    }
    // -our- → -or- (colour, favourably, labourers), not in "four", "hour"
    if let Some(i) = word.find("our") {
        if i >= 2 && !word[..i].ends_with(['f', 'h', 'y', 't', 's', 'p', 'c']) {
            out.push(format!("{}or{}", &word[..i], &word[i + 3..]));
        }
    }
    // ae/oe ligature spellings: paediatric, manoeuvre, oestrogen
    for (gb, us) in [("ae", "e"), ("oe", "e")] {
        if word.contains(gb) && word.len() > 5 {
            out.push(word.replacen(gb, us, 1));
        }
    }
    out.retain(|v| v != word && !v.is_empty());
    out
}

/// British words whose American spelling no suffix rule gives (a plural
/// "s" is followed too).
const WORDS: &[(&str, &str)] = &[
    ("ageing", "aging"),
    ("aluminium", "aluminum"),
    ("cheque", "check"),
    ("enrol", "enroll"),
    ("enrolment", "enrollment"),
    ("fulfil", "fulfill"),
    ("fulfilment", "fulfillment"),
    ("grey", "gray"),
    ("instalment", "installment"),
    ("jewellery", "jewelry"),
    ("judgement", "judgment"),
    ("kerb", "curb"),
    ("manoeuvre", "maneuver"),
    ("manoeuvred", "maneuvered"),
    ("manoeuvring", "maneuvering"),
    ("maths", "math"),
    ("mould", "mold"),
    ("moulded", "molded"),
    ("moustache", "mustache"),
    ("plough", "plow"),
    ("ploughed", "plowed"),
    ("pyjamas", "pajamas"),
    ("sceptic", "skeptic"),
    ("sceptical", "skeptical"),
    ("scepticism", "skepticism"),
    ("skilful", "skillful"),
    ("tyre", "tire"),
    ("whisky", "whiskey"),
    ("wilful", "willful"),
];

#[cfg(test)]
mod tests {
    use super::variants;

    #[test]
    fn british_forms_get_their_american_spelling() {
        for (gb, us) in [
            ("globalisation", "globalization"),
            ("criticised", "criticized"),
            ("stabilising", "stabilizing"),
            ("analysed", "analyzed"),
            ("centre", "center"),
            ("defence", "defense"),
            ("catalogue", "catalog"),
            ("travelled", "traveled"),
            ("favourably", "favorably"),
            ("labourers", "laborers"),
            ("paediatric", "pediatric"),
            ("world-wide", "worldwide"),
            ("programmes", "programs"),
            ("offences", "offenses"),
            ("centred", "centered"),
            ("medallist", "medalist"),
            ("counsellors", "counselors"),
            ("sceptical", "skeptical"),
            ("jewellery", "jewelry"),
            ("manoeuvring", "maneuvering"),
            ("maths", "math"),
            ("ageing", "aging"),
            ("judgements", "judgments"),
        ] {
            assert!(
                variants(gb).iter().any(|v| v == us),
                "{gb}: {:?}",
                variants(gb)
            );
        }
    }

    #[test]
    fn common_words_are_left_alone() {
        for w in ["four", "hour", "your", "tour", "pour", "court", "the", "a"] {
            assert!(
                !variants(w)
                    .iter()
                    .any(|v| v.contains("or") && !w.contains("or")),
                "{w}: {:?}",
                variants(w)
            );
        }
        assert!(variants("").is_empty());
    }
}
