//! Spelling variants for looking words up in a language model trained on
//! another variety of English: the built-in model is US English, while much
//! of the text unspin reads (BBC, Guardian, Commonwealth papers) is
//! British. A British form the model does not know ("globalisation",
//! "favourably", "centre") is looked up as its American form, and a
//! hyphenated compound ("world-wide") as one word, so that it and its
//! neighbours are scored with real statistics instead of as unknown words.
//! Neither another spelling nor a clipped form ("net" for "internet") of a
//! word is taken for a spinner's substitution of it, and a British word is
//! not taken for a spinner's substitution of its American equivalent
//! ("lorry" for "truck", "councillors" for "council members").

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
        ("isable", "izable"),
        ("isably", "izably"),
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

/// British words whose American spelling no suffix rule gives, and British
/// forms of one word ("whilst", "learnt") (a plural "s" is followed too).
const WORDS: &[(&str, &str)] = &[
    ("afterwards", "afterward"),
    ("ageing", "aging"),
    ("aluminium", "aluminum"),
    ("amidst", "amid"),
    ("amongst", "among"),
    ("backwards", "backward"),
    ("burnt", "burned"),
    ("calibre", "caliber"),
    ("cheque", "check"),
    ("downwards", "downward"),
    ("dreamt", "dreamed"),
    ("enrol", "enroll"),
    ("enrolment", "enrollment"),
    ("fibre", "fiber"),
    ("focussed", "focused"),
    ("focusses", "focuses"),
    ("focussing", "focusing"),
    ("forwards", "forward"),
    ("fulfil", "fulfill"),
    ("fulfilment", "fulfillment"),
    ("grey", "gray"),
    ("instalment", "installment"),
    ("jewellery", "jewelry"),
    ("judgement", "judgment"),
    ("kerb", "curb"),
    ("leapt", "leaped"),
    ("learnt", "learned"),
    ("licenced", "licensed"),
    ("licencing", "licensing"),
    ("manoeuvre", "maneuver"),
    ("manoeuvred", "maneuvered"),
    ("manoeuvring", "maneuvering"),
    ("maths", "math"),
    ("mould", "mold"),
    ("moulded", "molded"),
    ("moustache", "mustache"),
    ("plough", "plow"),
    ("ploughed", "plowed"),
    ("practise", "practice"),
    ("practised", "practiced"),
    ("practising", "practicing"),
    ("pyjamas", "pajamas"),
    ("sabre", "saber"),
    ("sceptic", "skeptic"),
    ("sceptical", "skeptical"),
    ("scepticism", "skepticism"),
    ("skilful", "skillful"),
    ("smelt", "smelled"),
    ("sombre", "somber"),
    ("spelt", "spelled"),
    ("spilt", "spilled"),
    ("spoilt", "spoiled"),
    ("towards", "toward"),
    ("tyre", "tire"),
    ("upwards", "upward"),
    ("whilst", "while"),
    ("whisky", "whiskey"),
    ("wilful", "willful"),
];

/// True when one of two lower-case words is a clipped form of the other
/// ("net" and "internet", "ads" and "advertisements"): the same word in
/// another register, never a spinner's substitution to flag in a genuine
/// text. A plural "s" on both is followed.
pub fn is_clipping(a: &str, b: &str) -> bool {
    let pair = |x: &str, y: &str| {
        CLIPPINGS
            .iter()
            .any(|&(short, full)| (x, y) == (short, full) || (y, x) == (short, full))
    };
    pair(a, b)
        || matches!((a.strip_suffix('s'), b.strip_suffix('s')), (Some(x), Some(y)) if pair(x, y))
}

/// True when two lower-case phrases are one wording, word by word: each
/// word the same, another spelling of the other ("centre stage", "center
/// stage") or a clipped form of it.
pub fn same_wording(a: &str, b: &str) -> bool {
    let same = |x: &str, y: &str| {
        x == y
            || variants(x).iter().any(|v| v == y)
            || variants(y).iter().any(|v| v == x)
            || is_clipping(x, y)
    };
    a.split(' ').count() == b.split(' ').count()
        && a.split(' ').zip(b.split(' ')).all(|(x, y)| same(x, y))
}

/// True when `spun` is the British word for `original` in American
/// English ("lorry" and "truck", "councillors" and "council members"): a
/// British writer's word, not a spinner's substitution to flag, although
/// the built-in model, trained on American text, prefers the American
/// one. One way only: a spinner may still turn "lorry" into "truck".
pub fn is_british_for(spun: &str, original: &str) -> bool {
    BRITISH.iter().any(|&(gb, us)| {
        (spun, original) == (gb, us)
            || matches!(
                (spun.strip_suffix('s'), original.strip_suffix('s')),
                (Some(x), Some(y)) if (x, y) == (gb, us)
            )
    })
}

/// British words and their American equivalents (a plural "s" on both is
/// followed; irregular plurals are listed).
const BRITISH: &[(&str, &str)] = &[
    ("aubergine", "eggplant"),
    ("autumn", "fall"),
    ("barrister", "attorney"),
    ("barrister", "lawyer"),
    ("bedsit", "apartment"),
    ("bedsit", "studio apartment"),
    ("biscuit", "cookie"),
    ("car park", "parking lot"),
    ("carmaker", "automaker"),
    ("carmaker", "car maker"),
    ("chemist", "drugstore"),
    ("chemist", "pharmacy"),
    ("cinema", "movie theater"),
    ("councillor", "council member"),
    ("councillor", "councilman"),
    ("courgette", "zucchini"),
    ("crisps", "chips"),
    ("estate agent", "realtor"),
    ("film", "movie"),
    ("flat", "apartment"),
    ("football", "soccer"),
    ("footballer", "football player"),
    ("footballer", "soccer player"),
    ("fortnight", "two weeks"),
    ("goalless", "scoreless"),
    ("headteacher", "principal"),
    ("high street", "main street"),
    ("holiday", "vacation"),
    ("jumper", "sweater"),
    ("lift", "elevator"),
    ("lorry", "truck"),
    ("maize", "corn"),
    ("mobile", "cell phone"),
    ("mobile", "cellphone"),
    ("mobile phone", "cell phone"),
    ("mobile phone", "cellphone"),
    ("motorway", "freeway"),
    ("motorway", "highway"),
    ("mum", "mom"),
    ("nappy", "diaper"),
    ("pavement", "sidewalk"),
    ("petrol", "gas"),
    ("petrol", "gasoline"),
    ("postcode", "zip code"),
    ("pushchair", "stroller"),
    ("queue", "line"),
    ("railway", "railroad"),
    ("redundancies", "layoffs"),
    ("redundancy", "layoff"),
    ("repossession", "foreclosure"),
    ("rubbish", "garbage"),
    ("rubbish", "trash"),
    ("share", "stock"),
    ("shareholder", "stockholder"),
    ("solicitor", "attorney"),
    ("solicitor", "lawyer"),
    ("surgeries", "clinics"),
    ("surgery", "clinic"),
    ("takeaway", "takeout"),
    ("timetable", "schedule"),
    ("torch", "flashlight"),
    ("trainers", "sneakers"),
    ("trousers", "pants"),
    ("tube", "subway"),
    ("turnover", "revenue"),
    ("underground", "subway"),
    ("wardrobe", "closet"),
    ("windscreen", "windshield"),
];

/// Clipped forms and the words they clip, each pair in both directions.
const CLIPPINGS: &[(&str, &str)] = &[
    ("ad", "advert"),
    ("ad", "advertisement"),
    ("advert", "advertisement"),
    ("auto", "automobile"),
    ("bike", "bicycle"),
    ("champ", "champion"),
    ("demo", "demonstration"),
    ("exam", "examination"),
    ("flu", "influenza"),
    ("fridge", "refrigerator"),
    ("gym", "gymnasium"),
    ("info", "information"),
    ("lab", "laboratory"),
    ("limo", "limousine"),
    ("math", "mathematics"),
    ("maths", "mathematics"),
    ("memo", "memorandum"),
    ("net", "internet"),
    ("phone", "telephone"),
    ("photo", "photograph"),
    ("plane", "aeroplane"),
    ("plane", "airplane"),
    ("pro", "professional"),
    ("rep", "representative"),
    ("telecom", "telecommunication"),
    ("vet", "veterinarian"),
];

#[cfg(test)]
mod tests {
    use super::{is_british_for, is_clipping, same_wording, variants};

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
            ("recognisable", "recognizable"),
            ("practises", "practices"),
            ("whilst", "while"),
            ("learnt", "learned"),
            ("focussed", "focused"),
            ("fibres", "fibers"),
        ] {
            assert!(
                variants(gb).iter().any(|v| v == us),
                "{gb}: {:?}",
                variants(gb)
            );
        }
    }

    #[test]
    fn a_clipped_word_is_the_word_it_clips() {
        for (a, b) in [
            ("net", "internet"),
            ("internet", "net"),
            ("ads", "advertisements"),
            ("maths", "mathematics"),
            ("phones", "telephones"),
        ] {
            assert!(is_clipping(a, b), "{a} {b}");
        }
        for (a, b) in [
            ("net", "network"),
            ("nets", "internet"),
            ("ad", "ads"),
            ("phone", "call"),
        ] {
            assert!(!is_clipping(a, b), "{a} {b}");
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

    #[test]
    fn a_phrase_in_another_spelling_is_the_same_wording() {
        assert!(same_wording("centre stage", "center stage"));
        assert!(same_wording("labour party", "labor party"));
        assert!(same_wording("mobile net", "mobile internet"));
        assert!(same_wording("colour", "color"));
        assert!(!same_wording("centre stage", "center"));
        assert!(!same_wording("centre stage", "middle stage"));
        assert!(!same_wording("well being", "health"));
    }

    #[test]
    fn a_british_word_is_not_a_swap_for_its_american_one() {
        for (gb, us) in [
            ("lorry", "truck"),
            ("councillors", "council members"),
            ("redundancies", "layoffs"),
            ("shares", "stocks"),
            ("goalless", "scoreless"),
        ] {
            assert!(is_british_for(gb, us), "{gb} {us}");
        }
        // one way: a spinner may still make an American text British
        assert!(!is_british_for("truck", "lorry"));
        assert!(!is_british_for("lorry", "car"));
        assert!(!is_british_for("shares", "stock"));
    }
}
