//! Numbers a spinner spelled out (PRODUCT.md §1): piecewise, against a
//! digit group or another piece ("five,22,062" for "5,22,062", "5,zero"
//! for "5,000", "zero.one%" for "0.1%", "one.4bn" for "1.4bn"), against a
//! sign ("nine%", "£two.89bn") or before a month ("eleven September"), or
//! as a hyphenated compound in running text ("twenty-four" for "24").
//!
//! The language model cannot judge these (the built-in one knows no
//! digits), but genuine text gives them away: none of the 1,745 clean BBC
//! articles writes a number word against a digit group, a sign or a month,
//! and eight write a compound like "twenty-four" (0.012 per 1,000 words).
//! They are restored by rule, with a fixed confidence.

use crate::style::WordFix;
use crate::text::{Case, Text};

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
pub(crate) fn value(word: &str) -> Option<(u32, bool)> {
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

/// Digits with a unit of up to three letters glued on, not an ordinal's
/// suffix: the decimals of "one.4bn", "three.75p", "two.5m".
fn is_digits_with_unit(w: &str) -> bool {
    let unit = w.trim_start_matches(|c: char| c.is_ascii_digit());
    unit.len() < w.len()
        && unit.len() <= 3
        && unit.bytes().all(|b| b.is_ascii_lowercase())
        && !matches!(unit, "st" | "nd" | "rd" | "th")
}

/// Confidence of a number word bound to a sign ("nine%", "£two.89bn") or
/// to a month ("eleven September").
const BOUND: f64 = 0.95;

/// Months a date writes after its day (not "May", a verb too).
const MONTHS: [&str; 11] = [
    "January",
    "February",
    "March",
    "April",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The input before word `i` back to the previous word (or the start).
fn gap_before<'a>(t: &Text<'a>, i: usize) -> &'a str {
    match i {
        0 => &t.input()[..t.words()[0].bytes.start],
        _ => t.gap_after(i - 1),
    }
}

/// Every spelled-out number of `t` that a spinner most likely wrote.
///
/// Genuine text writes a number word on its own; a spinner that spells out
/// the digits of "0.1%", "£2.89bn", "7,000" or "11 September" one piece at
/// a time leaves it against a digit group or another piece ("zero.one%",
/// "seven,zero"), against a sign ("nine%", "£two"), or before a month.
/// None of these occurs in the 1,745 clean BBC articles. Each is given as
/// its word and the digits it stands for.
pub fn spelled_numbers(t: &Text) -> Vec<WordFix> {
    let words = t.words();
    let joins = |gap: &str| gap == "," || gap == ".";
    let lower = |j: usize| words[j].case == Case::Lower;
    // word `i` and its neighbour `j` are pieces of one number: one of them
    // is a digit group, or both are lower-case number words ("one.Two" is
    // two sentences)
    let pieces = |i: usize, j: usize| {
        is_digits(&words[j].norm)
            || (j > i && is_digits_with_unit(&words[j].norm))
            || (lower(i) && lower(j) && value(&words[j].norm).is_some())
    };
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let Some((v, compound)) = value(&w.norm) else {
            continue;
        };
        let after_group = i > 0 && joins(t.gap_after(i - 1)) && pieces(i, i - 1);
        let before_group = i + 1 < words.len() && joins(t.gap_after(i)) && pieces(i, i + 1);
        let signed = t.gap_after(i).starts_with('%') || gap_before(t, i).ends_with(['£', '$', '€']);
        // "one December night" is narrative, not a date
        let dated = (2..=31).contains(&v)
            && t.gap_after(i) == " "
            && words
                .get(i + 1)
                .is_some_and(|m| MONTHS.contains(&t.word_str(i + 1)) && m.case != Case::Lower);
        let (digits, confidence) = if after_group {
            // a group after a thousands comma has three digits
            match t.gap_after(i - 1) {
                "," if v < 10 => (format!("{v:03}"), PIECEWISE),
                _ => (v.to_string(), PIECEWISE),
            }
        } else if before_group {
            (v.to_string(), PIECEWISE)
        } else if signed || dated {
            (v.to_string(), BOUND)
        } else if compound && !w.sentence_start {
            // a sentence may open with a spelled-out number by style
            (v.to_string(), COMPOUND)
        } else {
            continue;
        };
        out.push(WordFix {
            word: i,
            to: digits,
            confidence,
        });
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
            .map(|n| (t.words()[n.word].norm.clone(), n.to))
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
            found("Profit was one.4bn and shares fell three.75p."),
            [pair("one", "1"), pair("three", "3")]
        );
        assert_eq!(
            found("It lasted twenty-four hours."),
            [pair("twenty-four", "24")]
        );
    }

    #[test]
    fn numbers_spelled_piece_by_piece_or_bound_to_a_sign_are_found() {
        assert_eq!(
            found("Growth was zero.one% and 7,zero jobs went."),
            [pair("zero", "0"), pair("one", "1"), pair("zero", "000")]
        );
        assert_eq!(
            found("Unemployment rose seven,zero to four.three%."),
            [
                pair("seven", "7"),
                pair("zero", "000"),
                pair("four", "4"),
                pair("three", "3")
            ]
        );
        assert_eq!(found("Sales fell nine% in May."), [pair("nine", "9")]);
        assert_eq!(
            found("It rose to £two.89bn from $one."),
            [pair("two", "2"), pair("one", "1")]
        );
        assert_eq!(
            found("After the eleven September attacks."),
            [pair("eleven", "11")]
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
            "It was one.Two more came.",
            "One May morning, nine of them left; forty per cent stayed.",
            "It happened one December night.",
            "The ten largest firms paid £5m.",
            "It was one.It cost 4bn.",
            "Chapter one.4th of July.",
        ] {
            assert_eq!(found(s), [], "{s}");
        }
    }
}
