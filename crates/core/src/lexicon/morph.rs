//! English inflection: analyse an inflected word into (lemma, inflection)
//! and generate the inflected forms of a lemma.
//!
//! Regular forms follow WordNet's `morphy` detachment rules; irregular forms
//! come from WordNet's exception lists (`*.exc`), stored in the model.

use rustc_hash::FxHashMap as HashMap;

/// An inflection slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Infl {
    /// the lemma itself
    Base,
    /// noun plural ("cases")
    Plural,
    /// verb third person singular ("says")
    ThirdSg,
    /// verb past tense or past participle ("said", "published")
    Past,
    /// verb present participle ("saying")
    Ing,
    /// adjective comparative ("colder")
    Comparative,
    /// adjective superlative ("coldest")
    Superlative,
}

impl Infl {
    /// Every slot, in declaration order: `Infl as usize` indexes it.
    pub const ALL: [Infl; 7] = [
        Infl::Base,
        Infl::Plural,
        Infl::ThirdSg,
        Infl::Past,
        Infl::Ing,
        Infl::Comparative,
        Infl::Superlative,
    ];
}

/// Part-of-speech bits of a lexicon entry.
pub mod pos {
    /// noun
    pub const NOUN: u8 = 1;
    /// verb
    pub const VERB: u8 = 2;
    /// adjective
    pub const ADJ: u8 = 4;
    /// adverb
    pub const ADV: u8 = 8;
    /// any
    pub const ANY: u8 = 15;
}

impl Infl {
    /// The part of speech a lemma needs to take this inflection.
    pub fn pos(self) -> u8 {
        match self {
            Infl::Base => pos::ANY,
            Infl::Plural => pos::NOUN,
            Infl::ThirdSg | Infl::Past | Infl::Ing => pos::VERB,
            Infl::Comparative | Infl::Superlative => pos::ADJ,
        }
    }

    /// Inflections of a verb apply to the first word of a phrase ("go to" →
    /// "went to"); others to the last word ("workout routine" → "workout
    /// routines").
    fn on_first_word(self) -> bool {
        matches!(self, Infl::ThirdSg | Infl::Past | Infl::Ing)
    }
}

/// Irregular forms, both ways.
#[derive(Default, Debug)]
pub struct Irregular {
    /// form → (lemma, inflection)
    to_lemma: HashMap<String, Vec<(String, Infl)>>,
    /// lemma → (inflection, form), looked up without allocating
    to_form: HashMap<String, Vec<(Infl, String)>>,
}

fn classify(form: &str, lemma: &str, pos: u8) -> Infl {
    // "be" alone has a past in -s and present forms besides its lemma
    // (analysed as the lemma: "are" may stand for "exist")
    if lemma == "be" && pos == pos::VERB {
        return match form {
            "is" => Infl::ThirdSg,
            "am" | "are" => Infl::Base,
            "being" => Infl::Ing,
            _ => Infl::Past,
        };
    }
    match pos {
        pos::NOUN => Infl::Plural,
        pos::ADJ | pos::ADV => {
            if form.ends_with("est") {
                Infl::Superlative
            } else {
                Infl::Comparative
            }
        }
        _ => {
            if form.ends_with("ing") && !lemma.ends_with("ing") {
                Infl::Ing
            } else if form.ends_with('s')
                && !form.ends_with("ss")
                && form.len() <= lemma.len() + 2
                && !lemma.ends_with('s')
            {
                Infl::ThirdSg
            } else {
                Infl::Past
            }
        }
    }
}

impl Irregular {
    /// Adds one exception line: `form lemma` with its part of speech.
    pub fn add(&mut self, form: &str, lemma: &str, pos: u8) {
        if form == lemma {
            return;
        }
        let infl = classify(form, lemma, pos);
        let e = self.to_lemma.entry(form.to_string()).or_default();
        if !e.iter().any(|(l, i)| l == lemma && *i == infl) {
            e.push((lemma.to_string(), infl));
        }
        let f = self.to_form.entry(lemma.to_string()).or_default();
        if !f.iter().any(|(i, x)| *i == infl && x == form) {
            f.push((infl, form.to_string()));
        }
    }

    /// Parses WordNet exception lines (`form lemma [lemma…]`).
    pub fn add_exc(&mut self, text: &str, pos: u8) {
        for line in text.lines() {
            let mut it = line.split_whitespace();
            let Some(form) = it.next() else { continue };
            for lemma in it {
                self.add(&form.replace('_', " "), &lemma.replace('_', " "), pos);
            }
        }
    }

    /// Serialises as `form\tlemma\tinfl` lines.
    pub fn to_text(&self) -> String {
        let mut lines: Vec<String> = self
            .to_lemma
            .iter()
            .flat_map(|(f, ls)| {
                ls.iter()
                    .map(move |(l, i)| format!("{f}\t{l}\t{}", infl_code(*i)))
            })
            .collect();
        lines.sort();
        lines.join("\n")
    }

    /// Parses [`Irregular::to_text`] output.
    pub fn from_text(text: &str) -> Irregular {
        let mut irr = Irregular::default();
        for line in text.lines() {
            let mut it = line.split('\t');
            if let (Some(f), Some(l), Some(i)) = (it.next(), it.next(), it.next()) {
                if let Some(infl) = infl_from_code(i) {
                    let e = irr.to_lemma.entry(f.to_string()).or_default();
                    e.push((l.to_string(), infl));
                    irr.to_form
                        .entry(l.to_string())
                        .or_default()
                        .push((infl, f.to_string()));
                }
            }
        }
        irr
    }

    /// Number of irregular forms.
    pub fn len(&self) -> usize {
        self.to_lemma.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.to_lemma.is_empty()
    }
}

fn infl_code(i: Infl) -> &'static str {
    match i {
        Infl::Base => "base",
        Infl::Plural => "pl",
        Infl::ThirdSg => "3sg",
        Infl::Past => "past",
        Infl::Ing => "ing",
        Infl::Comparative => "cmp",
        Infl::Superlative => "sup",
    }
}

fn infl_from_code(s: &str) -> Option<Infl> {
    Some(match s {
        "base" => Infl::Base,
        "pl" => Infl::Plural,
        "3sg" => Infl::ThirdSg,
        "past" => Infl::Past,
        "ing" => Infl::Ing,
        "cmp" => Infl::Comparative,
        "sup" => Infl::Superlative,
        _ => return None,
    })
}

fn is_vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// Regular analyses of one word (lemma candidates; callers check that the
/// lemma is known).
fn regular_lemmas(w: &str) -> Vec<(String, Infl)> {
    let mut out = Vec::new();
    let strip = |suf: &str, add: &str| -> Option<String> {
        w.strip_suffix(suf)
            .filter(|s| s.len() >= 2)
            .map(|s| format!("{s}{add}"))
    };
    for (suf, add) in [
        ("ses", "s"),
        ("xes", "x"),
        ("zes", "z"),
        ("ches", "ch"),
        ("shes", "sh"),
        ("ies", "y"),
        ("s", ""),
    ] {
        if suf == "s" && (w.ends_with("ss") || w.ends_with("us") || w.ends_with("is")) {
            continue;
        }
        if let Some(l) = strip(suf, add) {
            out.push((l.clone(), Infl::Plural));
            out.push((l, Infl::ThirdSg));
        }
    }
    if let Some(l) = strip("men", "man") {
        out.push((l, Infl::Plural));
    }
    if let Some(l) = strip("es", "e") {
        out.push((l, Infl::ThirdSg));
    }
    for (suf, infl) in [("ed", Infl::Past), ("ing", Infl::Ing)] {
        if let Some(stem) = w.strip_suffix(suf).filter(|s| s.len() >= 2) {
            out.push((stem.to_string(), infl));
            out.push((format!("{stem}e"), infl));
            let b = stem.as_bytes();
            if b.len() >= 3 && b[b.len() - 1] == b[b.len() - 2] && !is_vowel(b[b.len() - 1]) {
                out.push((stem[..stem.len() - 1].to_string(), infl));
            }
            if suf == "ed" {
                if let Some(s) = stem.strip_suffix('i') {
                    out.push((format!("{s}y"), infl));
                }
            }
        }
    }
    for (suf, infl) in [("er", Infl::Comparative), ("est", Infl::Superlative)] {
        if let Some(stem) = w.strip_suffix(suf).filter(|s| s.len() >= 2) {
            out.push((stem.to_string(), infl));
            out.push((format!("{stem}e"), infl));
            if let Some(s) = stem.strip_suffix('i') {
                out.push((format!("{s}y"), infl));
            }
            let b = stem.as_bytes();
            if b.len() >= 3 && b[b.len() - 1] == b[b.len() - 2] && !is_vowel(b[b.len() - 1]) {
                out.push((stem[..stem.len() - 1].to_string(), infl));
            }
        }
    }
    out
}

/// Regular inflected forms of a single word.
fn regular_form(w: &str, infl: Infl) -> Option<String> {
    let b = w.as_bytes();
    if b.is_empty() || !w.is_ascii() {
        return None;
    }
    let last = b[b.len() - 1];
    let cvc = b.len() >= 3
        && b.len() <= 4
        && !is_vowel(last)
        && !matches!(last, b'w' | b'x' | b'y')
        && is_vowel(b[b.len() - 2])
        && !is_vowel(b[b.len() - 3]);
    Some(match infl {
        Infl::Base => w.to_string(),
        Infl::Plural | Infl::ThirdSg => {
            if w.ends_with('s')
                || w.ends_with('x')
                || w.ends_with('z')
                || w.ends_with("ch")
                || w.ends_with("sh")
            {
                format!("{w}es")
            } else if last == b'y' && b.len() > 1 && !is_vowel(b[b.len() - 2]) {
                format!("{}ies", &w[..w.len() - 1])
            } else {
                format!("{w}s")
            }
        }
        Infl::Past => {
            if last == b'e' {
                format!("{w}d")
            } else if last == b'y' && b.len() > 1 && !is_vowel(b[b.len() - 2]) {
                format!("{}ied", &w[..w.len() - 1])
            } else if cvc {
                format!("{w}{}ed", last as char)
            } else {
                format!("{w}ed")
            }
        }
        Infl::Ing => {
            if let Some(stem) = w.strip_suffix("ie") {
                format!("{stem}ying")
            } else if last == b'e' && !w.ends_with("ee") && b.len() > 2 {
                format!("{}ing", &w[..w.len() - 1])
            } else if cvc {
                format!("{w}{}ing", last as char)
            } else {
                format!("{w}ing")
            }
        }
        Infl::Comparative | Infl::Superlative => {
            let suf = if infl == Infl::Comparative {
                "er"
            } else {
                "est"
            };
            if last == b'e' {
                format!("{w}{}", &suf[1..])
            } else if last == b'y' && b.len() > 1 && !is_vowel(b[b.len() - 2]) {
                format!("{}i{suf}", &w[..w.len() - 1])
            } else if cvc {
                format!("{w}{}{suf}", last as char)
            } else {
                format!("{w}{suf}")
            }
        }
    })
}

impl Irregular {
    /// Every (lemma, inflection) analysis of a lower-case phrase, the phrase
    /// itself as `Base` first. Callers keep the lemmas their lexicon knows.
    pub fn analyses(&self, phrase: &str) -> Vec<(String, Infl)> {
        let mut out = vec![(phrase.to_string(), Infl::Base)];
        let (Some((first, tail)), Some((init, last))) =
            (phrase.split_once(' '), phrase.rsplit_once(' '))
        else {
            // one word (or none)
            if phrase.is_empty() {
                return out;
            }
            if let Some(ls) = self.to_lemma.get(phrase) {
                out.extend(ls.iter().cloned());
            }
            out.extend(regular_lemmas(phrase));
            return out;
        };
        // a phrase: inflect its first word for verbs, its last for the rest
        let mut first_an: Vec<(String, Infl)> =
            self.to_lemma.get(first).cloned().unwrap_or_default();
        first_an.extend(regular_lemmas(first));
        for (l, i) in first_an {
            if i.on_first_word() {
                out.push((format!("{l} {tail}"), i));
            }
        }
        let mut last_an: Vec<(String, Infl)> = self.to_lemma.get(last).cloned().unwrap_or_default();
        last_an.extend(regular_lemmas(last));
        for (l, i) in last_an {
            if !i.on_first_word() {
                out.push((format!("{init} {l}"), i));
            }
        }
        out
    }

    /// The inflected forms of a lower-case lemma phrase.
    pub fn forms(&self, lemma: &str, infl: Infl) -> Vec<String> {
        if infl == Infl::Base {
            // not "be"'s "are" and "am": offered for every verb that was
            // once "be", they fit the model well and are almost always
            // wrong ("methods require" is no "methods are")
            return vec![lemma.to_string()];
        }
        let word_forms = |w: &str| -> Vec<String> {
            let irregular: Vec<String> = self
                .to_form
                .get(w)
                .into_iter()
                .flatten()
                .filter(|(i, _)| *i == infl)
                .map(|(_, f)| f.clone())
                .collect();
            if irregular.is_empty() {
                regular_form(w, infl).into_iter().collect()
            } else {
                irregular
            }
        };
        match lemma.split_once(' ') {
            None => word_forms(lemma),
            Some((first, tail)) if infl.on_first_word() => word_forms(first)
                .into_iter()
                .map(|f| format!("{f} {tail}"))
                .collect(),
            Some(_) => {
                let (init, last) = lemma.rsplit_once(' ').unwrap_or(("", lemma));
                word_forms(last)
                    .into_iter()
                    .map(|f| format!("{init} {f}"))
                    .collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn irr() -> Irregular {
        let mut i = Irregular::default();
        i.add_exc("said say\nwent go\ngone go\nchildren child\n", pos::VERB);
        i.add_exc("children child\n", pos::NOUN);
        i.add_exc("better good well\nbest good well\n", pos::ADJ);
        i
    }

    #[test]
    fn regular_round_trips() {
        let i = irr();
        for (lemma, infl, form) in [
            ("exercise", Infl::Plural, "exercises"),
            ("publish", Infl::Past, "published"),
            ("reveal", Infl::Past, "revealed"),
            ("stop", Infl::Past, "stopped"),
            ("study", Infl::Plural, "studies"),
            ("make", Infl::Ing, "making"),
            ("cold", Infl::Comparative, "colder"),
            ("workout routine", Infl::Plural, "workout routines"),
            ("go to", Infl::Ing, "going to"),
        ] {
            assert!(
                i.forms(lemma, infl).contains(&form.to_string()),
                "{lemma} {infl:?}"
            );
            assert!(
                i.analyses(form).contains(&(lemma.to_string(), infl)),
                "{form}"
            );
        }
    }

    #[test]
    fn irregulars_both_ways() {
        let i = irr();
        assert!(i.analyses("said").contains(&("say".into(), Infl::Past)));
        assert_eq!(i.forms("say", Infl::Past), ["said"]);
        assert!(i.forms("go", Infl::Past).contains(&"went".to_string()));
        assert!(i
            .analyses("best")
            .contains(&("good".into(), Infl::Superlative)));
        let back = Irregular::from_text(&i.to_text());
        assert_eq!(back.forms("say", Infl::Past), ["said"]);
        // a lemma irregular in one slot is regular in the others
        assert_eq!(i.forms("good", Infl::Comparative), ["better"]);
        assert_eq!(back.forms("good", Infl::Plural), ["goods"]);
        assert_eq!(i.forms("say", Infl::Ing), ["saying"]);
    }

    #[test]
    fn be_keeps_its_tenses_apart() {
        let mut i = Irregular::default();
        i.add_exc(
            "am be\nare be\nis be\nwas be\nwere be\nbeen be\nbeing be\n",
            pos::VERB,
        );
        let sorted = |lemma: &str, infl: Infl| {
            let mut f = i.forms(lemma, infl);
            f.sort();
            f
        };
        // "comes" was once "is", never "was"; "remained" was "was" or
        // "were" (or "been"), never "are"
        assert_eq!(sorted("be", Infl::ThirdSg), ["is"]);
        assert_eq!(sorted("be", Infl::Past), ["been", "was", "were"]);
        assert_eq!(sorted("be", Infl::Base), ["be"]);
        assert_eq!(sorted("be", Infl::Ing), ["being"]);
        assert!(i.analyses("are").contains(&("be".into(), Infl::Base)));
        assert!(i.analyses("was").contains(&("be".into(), Infl::Past)));
        // other lemmas have one base form
        assert_eq!(i.forms("say", Infl::Base), ["say"]);
    }

    #[test]
    fn every_slot_indexes_its_place() {
        for (i, infl) in Infl::ALL.into_iter().enumerate() {
            assert_eq!(infl as usize, i);
            // a new slot must join ALL: this match lists every one
            match infl {
                Infl::Base
                | Infl::Plural
                | Infl::ThirdSg
                | Infl::Past
                | Infl::Ing
                | Infl::Comparative
                | Infl::Superlative => {}
            }
        }
    }
}
