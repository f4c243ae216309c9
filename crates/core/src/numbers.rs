//! Numbers a spinner spelled out (PRODUCT.md §1): piecewise, against a
//! digit group ("five,22,062" for "5,22,062", "5,zero" for "5,000"), or as
//! a hyphenated compound in running text ("twenty-four" for "24").
//!
//! The language model cannot judge these (the built-in one knows no
//! digits), but genuine text gives them away: none of the 1,745 clean BBC
//! articles writes a number word against a digit group, and eight write a
//! compound like "twenty-four" (0.012 per 1,000 words). They are restored
//! by rule, with a fixed confidence.

use crate::text::Text;

/// A spelled-out number found in a text.
#[derive(Clone, Debug, PartialEq)]
pub struct SpelledNumber {
    /// the word's index in [`Text::words`]
    pub word: usize,
    /// the digits it stands for
    pub digits: String,
    /// probability that a spinner wrote it
    pub confidence: f64,
}

/// Confidence of a number word written against a digit group.
const PIECEWISE: f64 = 0.99;
/// Confidence of a compound like "twenty-four" inside a sentence.
const COMPOUND: f64 = 0.95;

const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: [&str; 8] = [
    "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// Spells out 0..=99 ("seven", "forty", "twenty-four"); the inverse of
/// `value`.
pub fn spell(n: u32) -> Option<String> {
    let tens = |n: u32| TENS[(n / 10 - 2) as usize];
    match n {
        0..=19 => Some(UNITS[n as usize].to_string()),
        20..=99 if n % 10 == 0 => Some(tens(n).to_string()),
        20..=99 => Some(format!("{}-{}", tens(n), UNITS[(n % 10) as usize])),
        _ => None,
    }
}

/// The value of a lower-case number word below 100 ("seven", "forty",
/// "twenty-four"), and whether it is a tens-units compound.
fn value(word: &str) -> Option<(u32, bool)> {
    let unit = |w: &str| UNITS.iter().position(|&u| u == w).map(|v| v as u32);
    let tens = |w: &str| {
        TENS.iter()
            .position(|&t| t == w)
            .map(|v| 20 + 10 * v as u32)
    };
    match word.split_once('-') {
        None => unit(word).or_else(|| tens(word)).map(|v| (v, false)),
        Some((t, u)) => {
            let (t, u) = (tens(t)?, unit(u).filter(|&u| (1..10).contains(&u))?);
            Some((t + u, true))
        }
    }
}

fn is_digits(w: &str) -> bool {
    !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit())
}

/// Every spelled-out number of `t` that a spinner most likely wrote.
pub fn spelled_numbers(t: &Text) -> Vec<SpelledNumber> {
    let words = t.words();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Some((v, compound)) = value(&w.norm) else {
            continue;
        };
        let joins = |gap: &str| gap == "," || gap == ".";
        let after_group = i > 0 && joins(t.gap_after(i - 1)) && is_digits(&words[i - 1].norm);
        let before_group =
            i + 1 < words.len() && joins(t.gap_after(i)) && is_digits(&words[i + 1].norm);
        if after_group {
            // a group after a thousands comma has three digits
            let digits = match t.gap_after(i - 1) {
                "," if v < 10 => format!("{v:03}"),
                _ => v.to_string(),
            };
            out.push(SpelledNumber {
                word: i,
                digits,
                confidence: PIECEWISE,
            });
        } else if before_group {
            out.push(SpelledNumber {
                word: i,
                digits: v.to_string(),
                confidence: PIECEWISE,
            });
        } else if compound && !w.sentence_start {
            // a sentence may open with a spelled-out number by style
            out.push(SpelledNumber {
                word: i,
                digits: v.to_string(),
                confidence: COMPOUND,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(s: &str) -> Vec<(String, String)> {
        let t = Text::new(s);
        spelled_numbers(&t)
            .into_iter()
            .map(|n| (t.words()[n.word].norm.clone(), n.digits))
            .collect()
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn spelling_and_value_are_inverses() {
        for n in 0..100 {
            let word = spell(n).unwrap();
            assert_eq!(value(&word).map(|v| v.0), Some(n), "{word}");
        }
        assert_eq!(spell(24).as_deref(), Some("twenty-four"));
        assert_eq!(spell(100), None);
    }

    #[test]
    fn values_of_number_words() {
        assert_eq!(value("zero"), Some((0, false)));
        assert_eq!(value("nineteen"), Some((19, false)));
        assert_eq!(value("forty"), Some((40, false)));
        assert_eq!(value("twenty-four"), Some((24, true)));
        assert_eq!(value("twenty-zero"), None);
        assert_eq!(value("four-twenty"), None);
        assert_eq!(value("hundred"), None);
        assert_eq!(value("one-off"), None);
    }

    #[test]
    fn piecewise_numbers_and_compounds_are_found() {
        assert_eq!(found("It cost five,22,062 rupees."), [pair("five", "5")]);
        assert_eq!(found("About 5,zero people came."), [pair("zero", "000")]);
        assert_eq!(found("Growth was 3.five per cent."), [pair("five", "5")]);
        assert_eq!(
            found("It lasted twenty-four hours."),
            [pair("twenty-four", "24")]
        );
    }

    #[test]
    fn genuine_number_words_are_left_alone() {
        for s in [
            "Five people were hurt, 12 were not.",
            "Twenty-four people died in the crash.",
            "One, 2 and three are listed.",
            "He scored one-off goals, five of them.",
            "The count was five, then 6.",
        ] {
            assert_eq!(found(s), [], "{s}");
        }
    }
}
