//! Spinner residue of style: forms that genuine news and scientific prose
//! avoids outside quotations, yet that a spinner writes when it swaps "it
//! is" for "it's" or "12" for "twelve" (PRODUCT.md §1: "We have" →
//! "We've"; numbers spelled out).
//!
//! Unlike [`crate::residue`] and [`crate::numbers`], these forms are not
//! proof on their own: a columnist contracts, a novelist writes "forty
//! days". So [`Unspinner`](crate::Unspinner) applies them only to a text its
//! first pass reads as spun, and never inside double quotation marks,
//! where people are quoted as they spoke. What is found:
//! - **contractions** outside quotations ("it's", "doesn't", "we've",
//!   "they're"), expanded ("it is", "does not"); a "'s" only after a
//!   pronoun that takes "is" ("it's", "there's", not "Peter's"), as "has"
//!   before "been" or "got"; "'d" (would or had) is left alone;
//! - **number words from ten to ninety** written alone in running text
//!   ("twelve", "thirty"; news style writes 10 and above in figures),
//!   given back as digits. Left alone: a capitalised word (a sentence's
//!   first word, a title), a ratio's "one in ten" or "out of ten", and a
//!   number word before "hundred" or "thousand", whose digits are lost.
//!
//! Measured on 200 BBC articles of split A spun at 0.3 by `unspin spin`:
//! outside quotations, 58 of 66 contractions in the spun texts were the
//! spinner's and 97 of 103 lower-case number words from ten to ninety. The
//! 1,745 clean BBC articles have 1.58 such contractions and 0.05 such
//! number words per 1,000 words: too many to flag in every text, hence the
//! gate.

use crate::text::{Case, Text};

/// A rewrite of one word that a rule proposes (here, and for the numbers
/// of [`crate::numbers`]).
#[derive(Clone, Debug, PartialEq)]
pub struct WordFix {
    /// the word's index in [`Text::words`]
    pub word: usize,
    /// its replacement, lower case but for the pronoun "I"
    pub to: String,
    /// probability that a spinner wrote the word, in a text read as spun
    pub confidence: f64,
}

/// Confidence of a contraction outside quotations in a spun text.
const CONTRACTION: f64 = 0.95;
/// Confidence of a number word from ten to ninety in running text.
const NUMBER_WORD: f64 = 0.95;

/// Pronouns whose "'s" stands for "is" (or "has").
const IS_PRONOUNS: [&str; 10] = [
    "it", "that", "there", "here", "what", "who", "where", "he", "she", "how",
];

/// The expansion of a lower-case contraction (straight apostrophe), given
/// the next word; None for other words and for ambiguous ones ("'d").
fn expansion(word: &str, next: Option<&str>) -> Option<String> {
    let irregular = match word {
        "can't" => Some("cannot"),
        "won't" => Some("will not"),
        "shan't" => Some("shall not"),
        "let's" => Some("let us"),
        _ => None,
    };
    if let Some(e) = irregular {
        return Some(e.to_string());
    }
    if let Some(stem) = word.strip_suffix("n't") {
        const NEGATED: [&str; 15] = [
            "do", "does", "did", "is", "are", "was", "were", "has", "have", "had", "would",
            "could", "should", "might", "must",
        ];
        return NEGATED.contains(&stem).then(|| format!("{stem} not"));
    }
    let (stem, tail) = word.split_once('\'')?;
    let full = match tail {
        "re" => "are",
        "ve" => "have",
        "m" if stem == "i" => "am",
        "ll" => "will",
        "s" if IS_PRONOUNS.contains(&stem) => match next {
            Some("been" | "got") => "has",
            _ => "is",
        },
        _ => return None,
    };
    // the pronoun keeps its capital ("I'm" → "I am")
    let stem = if stem == "i" { "I" } else { stem };
    (!stem.is_empty() && stem.chars().all(char::is_alphabetic)).then(|| format!("{stem} {full}"))
}

/// For each word of `t`, whether it stands inside double quotation marks.
/// A paragraph (a line) starts outside: news style opens every paragraph
/// of a long quotation again.
pub fn quoted(t: &Text) -> Vec<bool> {
    let words = t.words();
    let mut out = Vec::with_capacity(words.len());
    let mut inside = false;
    for i in 0..words.len() {
        let gap = match i {
            0 => &t.input()[..words[0].bytes.start],
            _ => t.gap_after(i - 1),
        };
        for c in gap.chars() {
            match c {
                '\n' => inside = false,
                '"' => inside = !inside,
                '“' => inside = true,
                '”' => inside = false,
                _ => {}
            }
        }
        out.push(inside);
    }
    out
}

/// The style residue of `t` (see the module's documentation), by word.
pub fn find(t: &Text) -> Vec<WordFix> {
    let words = t.words();
    let quoted = quoted(t);
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if quoted[i] {
            continue;
        }
        let next = words.get(i + 1).map(|n| n.norm.as_str());
        if let Some(to) = expansion(&w.norm, next) {
            out.push(WordFix {
                word: i,
                to,
                confidence: CONTRACTION,
            });
            continue;
        }
        let Some((v, false)) = crate::numbers::value(&w.norm) else {
            continue;
        };
        let previous = i.checked_sub(1).map(|p| words[p].norm.as_str());
        if v < 10
            || w.case != Case::Lower
            || matches!(previous, Some("in" | "of"))
            || matches!(next, Some("hundred" | "thousand"))
            || t.gap_after(i).starts_with('-')
        {
            continue;
        }
        out.push(WordFix {
            word: i,
            to: v.to_string(),
            confidence: NUMBER_WORD,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(s: &str) -> Vec<(String, String)> {
        let t = Text::new(s);
        find(&t)
            .into_iter()
            .map(|f| (t.word_str(f.word).to_string(), f.to))
            .collect()
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn contractions_outside_quotations_are_expanded() {
        assert_eq!(
            found("It's clear that we've lost, and it doesn't help."),
            [
                pair("It's", "it is"),
                pair("we've", "we have"),
                pair("doesn't", "does not")
            ]
        );
        assert_eq!(
            found("There’s a plan; it's been late and they can't wait."),
            [
                pair("There’s", "there is"),
                pair("it's", "it has"),
                pair("can't", "cannot")
            ]
        );
        assert_eq!(
            found("So I'm told, and I've seen it."),
            [pair("I'm", "I am"), pair("I've", "I have")]
        );
    }

    #[test]
    fn possessives_and_ambiguous_forms_are_left_alone() {
        assert_eq!(found("Peter's firm said they'd go; the firm's rules."), []);
        assert_eq!(found("Rock 'n' roll and o'clock stay."), []);
    }

    #[test]
    fn quoted_speech_is_left_alone() {
        assert_eq!(found("He said: \"It's over, we're done.\""), []);
        assert_eq!(
            found("He said “it's over” and it's not."),
            [pair("it's", "it is")]
        );
        // a new paragraph starts outside, even if a quotation was left open
        assert_eq!(
            found("\"We're leaving.\n\nIt's late, she said."),
            [pair("It's", "it is")]
        );
    }

    #[test]
    fn number_words_from_ten_in_running_text_become_digits() {
        assert_eq!(
            found("Sales rose for twelve months and thirty firms failed."),
            [pair("twelve", "12"), pair("thirty", "30")]
        );
        assert_eq!(found("The firm cut ten million jobs."), [pair("ten", "10")]);
    }

    #[test]
    fn other_number_words_are_left_alone() {
        for s in [
            "Twelve firms failed.",
            "Nine firms failed.",
            "One in ten firms failed, and six out of ten.",
            "Some ten thousand people came.",
            "It was twenty-four hours.",
            "\"Give me twenty minutes,\" he said.",
        ] {
            assert_eq!(found(s), [], "{s}");
        }
    }
}
