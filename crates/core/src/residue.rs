//! Spinner residue found by rule: artefacts a spinner leaves that are not
//! word swaps, so the statistical decoder cannot see them (PRODUCT.md §1).
//! [`Unspinner::detect`](crate::Unspinner::detect) flags them and
//! [`Unspinner::restore`](crate::Unspinner::restore) undoes them, as spans
//! and changes with `source: "rule"`; where they overlap the model's or a
//! fingerprint list's findings, the rule wins.
//!
//! Each rule is written for precision, not recall: it fires only on forms
//! that genuine text practically never writes, and leaves the look-alikes
//! alone.
//!
//! **Split numbers.** Some spinners split a number at its thousands comma
//! ("$3,800" → "$3, 800"). Genuine text writes a digit, a comma and a
//! space before three digits all the time ("March 3, 800 people",
//! "in 2019, 800 jobs", "1, 200, 300"), so the rule needs proof that the
//! digits are one number:
//! - a currency sign or code directly before it (`$ £ € ¥ ₹`, `Rs`, `Rs.`,
//!   `INR`, `USD`, `EUR`, `GBP`, with at most one space between): an
//!   amount is written with its thousands comma intact, never as a list
//!   ("$3, 800" → "$3,800", "$1, 234, 567" → "$1,234,567"), except
//!   before a closing dollar sign, which is LaTeX math ("$1, 600$"); or
//! - an intact thousands comma before the split: "1,234, 567" →
//!   "1,234,567", or in Indian grouping "5,22, 062" → "5,22,062". Whoever
//!   groups the digits of a number does not then drop the comma's style
//!   halfway through it. Slightly less sure: a list of grouped numbers can
//!   end in a number under 1,000 ("1,234, 567 and 89"), so this form is
//!   refused next to another list item ("12, 1,234, 567", "1,234, 567, 89")
//!   and where an intact comma follows a split ("1,234, 567,890" may be the
//!   two numbers "1,234" and "567,890").
//!
//! Either way the number must be well formed once joined: a first group of
//! one to three digits without a leading zero, then groups of exactly three
//! digits (or, in Indian grouping, a first group of one or two digits,
//! two-digit groups and a last group of three), the last one not followed
//! by another digit group. Anything else (a year before the comma, a
//! two-digit group at the end, a digit or decimal point before the first
//! group) is left alone. Numbers with a currency sign after them ("3, 800
//! euros") are not touched: the words after a number are often a list.
//!
//! **Spintax residue.** A spinner that fails to resolve its template
//! leaves a brace group in the text: "{this|that|the}" or "{that a}". A
//! group is residue when
//! - it holds only letters, spaces, apostrophes, hyphens and `|`: no digit,
//!   backslash, `=`, `:`, `;`, quote, comma or brace, so JSON, code, LaTeX
//!   arguments (`\frac{a}{b}`, `$\{x\}$`), set notation with numbers and
//!   format strings ("{0}", "{}") never qualify;
//! - it stands in running text: after the start, a space or an opening
//!   bracket or quote, and before the end, a space or punctuation; not
//!   glued to a word, a backslash, `^`, `_`, `$` or another brace
//!   (`x^{a b}`, `\section{Main results}`, `}{`, "{{name}}"), not after
//!   `=` or `:` (BibTeX's `title = {Some words}`) and not after a word
//!   that starts with a backslash (`\section {Main results}`);
//! - its content does not start or end with a space (code blocks do:
//!   "{ return x }"), and every alternative has one to eight words, each
//!   with a letter, and is not a lone letter other than "a", "A" or "I"
//!   (set-builder notation "{x | x even}" and "{a|b}" stay);
//! - it has a `|`, or at least two words: a single word without `|`
//!   ("{name}", "{count}") reads as a template placeholder in genuine
//!   text, and is left alone even though a spinner could leave one.
//!
//! A group with `|` restores to its first alternative (spintax lists the
//! original wording first), one without loses its braces.
//!
//! Both scans are hand-written single passes over the text, linear in its
//! length whatever it holds (a megabyte of "{" or of "$1, " included).

use std::ops::Range;

use crate::record::{Change, Span};

/// The `source` of the spans and changes these rules produce.
pub const SOURCE: &str = "rule";

/// Score of a split number with a currency sign or code before it.
pub const CURRENCY_SPLIT_SCORE: f64 = 0.99;
/// Score of a split number after an intact thousands comma.
pub const GROUPED_SPLIT_SCORE: f64 = 0.95;
/// Score of a spintax group with alternatives ("{this|that}").
pub const SPINTAX_SCORE: f64 = 0.99;
/// Score of a brace group of several words without `|` ("{that a}").
pub const BARE_GROUP_SCORE: f64 = 0.9;
/// Each residue in a document multiplies its probability of being genuine
/// (1 − score) by this factor: about half the log-weight of a fingerprint
/// list hit (0.05). A residue proves the text went through a spinner, but
/// not how much of it was changed, and the rules' clean-text rate is
/// bounded only by the documents they were measured on (DESIGN.md).
pub const DOC_FACTOR: f64 = 0.25;

/// Longest brace group considered, in bytes of content.
const MAX_GROUP_BYTES: usize = 256;
/// Most words in one spintax alternative.
const MAX_WORDS: usize = 8;
/// How far back to look for the word before a brace group, in chars.
const LOOKBACK_CHARS: usize = 64;

/// Which rule found a residue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ResidueKind {
    /// a number split at its thousands comma ("$3, 800")
    SplitNumber,
    /// an unresolved spintax group ("{this|that}", "{that a}")
    Spintax,
}

/// One piece of spinner residue in a text.
#[derive(Clone, Debug, PartialEq)]
pub struct Residue {
    /// which rule found it
    pub kind: ResidueKind,
    /// first character, a character offset into the text
    pub start: usize,
    /// one past the last character
    pub end: usize,
    /// the text of the residue
    pub text: String,
    /// what it restores to
    pub restored: String,
    /// confidence that a spinner left it, 0..1
    pub score: f64,
}

impl Residue {
    /// The residue as a detect span (source "rule").
    pub fn span(&self) -> Span {
        Span {
            start: self.start,
            end: self.end,
            text: self.text.clone(),
            score: self.score,
            suggestion: Some(self.restored.clone()),
            source: Some(SOURCE.into()),
        }
    }

    /// The residue as a restore change (source "rule").
    pub fn change(&self) -> Change {
        Change {
            start: self.start,
            end: self.end,
            from: self.text.clone(),
            to: self.restored.clone(),
            score: self.score,
            source: Some(SOURCE.into()),
        }
    }
}

/// Every residue in `text`, in input order, not overlapping. Offsets are
/// character offsets.
pub fn find(text: &str) -> Vec<Residue> {
    let mut hits = Vec::new();
    split_numbers(text, &mut hits);
    spintax(text, &mut hits);
    // the rules' matches are disjoint: a brace group holds no digit
    hits.sort_by_key(|h| h.bytes.start);
    let mut out = Vec::with_capacity(hits.len());
    let (mut chars, mut byte) = (0usize, 0usize);
    for h in hits {
        chars += text[byte..h.bytes.start].chars().count();
        let start = chars;
        let s = &text[h.bytes.clone()];
        chars += s.chars().count();
        byte = h.bytes.end;
        out.push(Residue {
            kind: h.kind,
            start,
            end: chars,
            text: s.to_string(),
            restored: h.restored,
            score: h.score,
        });
    }
    out
}

/// True when the character range `start..end` overlaps one of `hits`
/// (sorted and disjoint, as [`find`] returns them).
pub fn overlaps(hits: &[Residue], start: usize, end: usize) -> bool {
    let i = hits.partition_point(|h| h.end <= start);
    hits.get(i).is_some_and(|h| h.start < end.max(start + 1))
}

/// A match, by byte range.
struct Hit {
    bytes: Range<usize>,
    kind: ResidueKind,
    restored: String,
    score: f64,
}

/// A digit group after a comma: ",800" or, split, ", 800".
struct Group {
    split: bool,
    len: usize,
}

fn digit_run(b: &[u8], from: usize) -> usize {
    let mut e = from;
    while e < b.len() && b[e].is_ascii_digit() {
        e += 1;
    }
    e
}

/// The group of two or three digits starting with a comma at `pos`, and
/// where it ends.
fn group_at(b: &[u8], pos: usize) -> Option<(Group, usize)> {
    if b.get(pos) != Some(&b',') {
        return None;
    }
    let mut k = pos + 1;
    let split = b.get(k) == Some(&b' ');
    if split {
        k += 1;
    }
    let e = digit_run(b, k);
    matches!(e - k, 2 | 3).then_some((Group { split, len: e - k }, e))
}

/// True when a comma and, optionally, a space then a digit start at `pos`:
/// the number goes on as a list.
fn list_after(b: &[u8], pos: usize) -> bool {
    if b.get(pos) != Some(&b',') {
        return false;
    }
    let k = if b.get(pos + 1) == Some(&b' ') {
        pos + 2
    } else {
        pos + 1
    };
    b.get(k).is_some_and(u8::is_ascii_digit)
}

/// True when a digit, a comma and optionally a space come right before
/// `pos`: the number is a list item.
fn list_before(b: &[u8], pos: usize) -> bool {
    let k = if pos > 0 && b[pos - 1] == b' ' {
        pos - 1
    } else {
        pos
    };
    k >= 2 && b[k - 1] == b',' && b[k - 2].is_ascii_digit()
}

/// True when a currency sign or code stands right before byte `pos`, with
/// at most one space between.
fn currency_before(text: &str, pos: usize) -> bool {
    let before = &text[..pos];
    let before = before
        .strip_suffix(' ')
        .or_else(|| before.strip_suffix('\u{a0}'))
        .unwrap_or(before);
    if before.ends_with(['$', '£', '€', '¥', '₹']) {
        return true;
    }
    ["Rs.", "Rs", "INR", "USD", "EUR", "GBP"]
        .iter()
        .any(|code| {
            before.strip_suffix(code).is_some_and(|rest| {
                !rest
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_alphanumeric() || c == '.')
            })
        })
}

fn split_numbers(text: &str, out: &mut Vec<Hit>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        let first = digit_run(b, i);
        let mut groups = Vec::new();
        let mut pos = first;
        while let Some((g, e)) = group_at(b, pos) {
            groups.push(g);
            pos = e;
        }
        if let Some((kind_score, restored)) = judge_number(text, i, first, &groups, pos) {
            out.push(Hit {
                bytes: i..pos,
                kind: ResidueKind::SplitNumber,
                restored,
                score: kind_score,
            });
        }
        // a later group is not a number of its own: it follows a digit and
        // a comma, so it is a list item or part of this number
        i = pos;
    }
}

/// The score and the joined number when the digits `start..end`, its first
/// group ending at `first`, are a split number.
fn judge_number(
    text: &str,
    start: usize,
    first: usize,
    groups: &[Group],
    end: usize,
) -> Option<(f64, String)> {
    let b = text.as_bytes();
    let first_len = first - start;
    if !(1..=3).contains(&first_len) || (first_len > 1 && b[start] == b'0') {
        return None;
    }
    if !groups.iter().any(|g| g.split) || list_after(b, end) {
        return None;
    }
    let western = groups.iter().all(|g| g.len == 3);
    let indian = first_len <= 2
        && groups.len() >= 2
        && groups.last().is_some_and(|g| g.len == 3)
        && groups[..groups.len() - 1].iter().all(|g| g.len == 2);
    if !western && !indian {
        return None;
    }
    // "$1, 600$" is LaTeX math, not an amount
    if b.get(end) == Some(&b'$') {
        return None;
    }
    let score = if currency_before(text, start) {
        CURRENCY_SPLIT_SCORE
    } else {
        let prev = text[..start].chars().next_back();
        let glued = prev.is_some_and(|c| c.is_alphanumeric() || c == '.' || c == ',');
        // intact groups, then split ones: "1,234, 567,890" is as likely
        // the list "1,234" and "567,890" as one number
        let split_from = groups.iter().position(|g| g.split).unwrap_or(0);
        let splits_last = groups[split_from..].iter().all(|g| g.split);
        if split_from == 0 || !splits_last || glued || list_before(b, start) {
            return None;
        }
        GROUPED_SPLIT_SCORE
    };
    Some((score, text[start..end].replace(", ", ",")))
}

/// True when a brace group may open after `prev`: at the start, after a
/// space, or after an opening bracket, quote or dash.
fn opens_after(prev: Option<char>) -> bool {
    match prev {
        None => true,
        Some(c) => {
            c.is_whitespace() || matches!(c, '(' | '[' | '"' | '\'' | '“' | '‘' | '«' | '—' | '–')
        }
    }
}

/// True when a brace group may close before `next`: at the end, before a
/// space or punctuation.
fn closes_before(next: Option<char>) -> bool {
    match next {
        None => true,
        Some(c) => {
            c.is_whitespace()
                || matches!(
                    c,
                    '.' | ','
                        | ';'
                        | ':'
                        | '!'
                        | '?'
                        | ')'
                        | ']'
                        | '"'
                        | '\''
                        | '”'
                        | '’'
                        | '»'
                        | '—'
                        | '–'
                )
        }
    }
}

/// True when the text before a brace group assigns or commands it:
/// `title = {…}`, `key: {…}`, `\section {…}`.
fn assigned_before(before: &str) -> bool {
    let mut rev = before.chars().rev().take(LOOKBACK_CHARS).peekable();
    while rev.next_if(|c| c.is_whitespace()).is_some() {}
    match rev.peek() {
        Some('=' | ':') => true,
        Some(_) => {
            let mut last = None;
            for c in rev.take_while(|c| !c.is_whitespace()) {
                last = Some(c);
            }
            last == Some('\\')
        }
        None => false,
    }
}

fn allowed_in_group(c: char) -> bool {
    c.is_alphabetic() || matches!(c, ' ' | '\'' | '’' | '-' | '|')
}

fn spintax(text: &str, out: &mut Vec<Hit>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'{' || !opens_after(text[..i].chars().next_back()) {
            i += 1;
            continue;
        }
        let limit = (i + 1 + MAX_GROUP_BYTES).min(b.len());
        // where the next scan starts when this group is refused: no brace
        // opening before that point can start a group
        let mut resume = b.len();
        let mut close = None;
        for (off, c) in text[i + 1..].char_indices() {
            let j = i + 1 + off;
            if j >= limit || c == '{' {
                resume = j;
                break;
            }
            if c == '}' {
                close = Some(j);
                break;
            }
            if !allowed_in_group(c) {
                resume = j + c.len_utf8();
                break;
            }
        }
        let Some(j) = close else {
            i = resume;
            continue;
        };
        if closes_before(text[j + 1..].chars().next()) && !assigned_before(&text[..i]) {
            if let Some((restored, score)) = judge_group(&text[i + 1..j]) {
                out.push(Hit {
                    bytes: i..j + 1,
                    kind: ResidueKind::Spintax,
                    restored,
                    score,
                });
            }
        }
        i = j + 1;
    }
}

/// The restoration and score of a brace group's content, when it reads as
/// spintax residue.
fn judge_group(content: &str) -> Option<(String, f64)> {
    if content.is_empty() || content.starts_with(' ') || content.ends_with(' ') {
        return None;
    }
    let mut first = None;
    let mut alternatives = 0;
    let mut words_first = 0;
    for alt in content.split('|') {
        let alt = alt.trim_matches(' ');
        let words = alt.split(' ').filter(|w| !w.is_empty());
        let mut n = 0;
        for w in words {
            if !w.chars().any(char::is_alphabetic) {
                return None;
            }
            n += 1;
        }
        if n == 0 || n > MAX_WORDS {
            return None;
        }
        let mut chars = alt.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            if !matches!(c, 'a' | 'A' | 'I') {
                return None;
            }
        }
        if first.is_none() {
            first = Some(alt);
            words_first = n;
        }
        alternatives += 1;
    }
    let first = first?;
    if alternatives > 1 {
        Some((first.to_string(), SPINTAX_SCORE))
    } else if words_first >= 2 {
        Some((first.to_string(), BARE_GROUP_SCORE))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::slice_chars;

    /// (text, expected residues as (text, restored)) — every span must
    /// slice the text exactly.
    fn check(text: &str, want: &[(&str, &str)]) {
        let got = find(text);
        let pairs: Vec<(&str, &str)> = got
            .iter()
            .map(|r| (r.text.as_str(), r.restored.as_str()))
            .collect();
        assert_eq!(pairs, want, "in {text:?}");
        let mut end = 0;
        for r in &got {
            assert!(r.start >= end && r.start < r.end, "{r:?}");
            assert_eq!(slice_chars(text, r.start..r.end), Some(r.text.as_str()));
            end = r.end;
        }
    }

    #[test]
    fn split_numbers_with_a_currency_sign_are_joined() {
        for (text, want) in [
            ("It cost $3, 800 last year.", ("3, 800", "3,800")),
            ("It cost $1, 234, 567 in all.", ("1, 234, 567", "1,234,567")),
            ("a fine of £12, 500.", ("12, 500", "12,500")),
            ("€3, 800.50 each", ("3, 800", "3,800")),
            ("¥100, 000 and more", ("100, 000", "100,000")),
            ("₹5, 22,062 paid", ("5, 22,062", "5,22,062")),
            ("Rs 5, 000 crore", ("5, 000", "5,000")),
            ("Rs. 12, 000 only", ("12, 000", "12,000")),
            ("(USD 4, 200)", ("4, 200", "4,200")),
            ("US$1,234, 567m", ("1,234, 567", "1,234,567")),
            ("$ 3, 800", ("3, 800", "3,800")),
        ] {
            check(text, &[want]);
        }
    }

    #[test]
    fn split_numbers_after_an_intact_comma_are_joined() {
        check(
            "About 1,234, 567 people voted.",
            &[("1,234, 567", "1,234,567")],
        );
        check("In all 5,22, 062 cases.", &[("5,22, 062", "5,22,062")]);
        check(
            "Some 1,00,00, 000 units",
            &[("1,00,00, 000", "1,00,00,000")],
        );
        check(
            "with 12,345, 678, and more",
            &[("12,345, 678", "12,345,678")],
        );
        let r = find("Some 1,234, 567 people");
        assert_eq!(r[0].score, GROUPED_SPLIT_SCORE);
        let r = find("Some $1, 234 people");
        assert_eq!(r[0].score, CURRENCY_SPLIT_SCORE);
    }

    #[test]
    fn genuine_commas_between_numbers_are_left_alone() {
        for text in [
            "On March 3, 800 people marched.",
            "in 2019, 800 jobs were lost",
            "lists 1, 200, 300",
            "chapters 3, 100 and 200",
            "$3, $800",
            "up to $1, 600$ nodes",
            "$1,234, 567$",
            "$3, 80",
            "$3, 8000 units",
            "$3, 800, 20 and 10",
            "$3,800, 12 items",
            "$1, 200, 3",
            "$03, 800",
            "$1234, 567",
            "$3,800",
            "$3,800,000",
            "12, 1,234, 567",
            "1,234, 567, 89",
            "1,234, 567,890",
            "v1,234, 567",
            "0.1,234, 567",
            "5, 22,062 cases",
            "10, 20,300",
            "Mrs 3, 800",
            "MRs 3, 800",
            "XGBP 3, 800",
            "the 1990s, 200 years",
            "n = 1, 000",
            "1, 000",
            "",
            ", 800",
            "$",
            "$,",
            "$1,",
            "$1, ",
        ] {
            check(text, &[]);
        }
    }

    #[test]
    fn spintax_groups_restore_to_their_first_alternative() {
        check(
            "They said {this|that|the} plan.",
            &[("{this|that|the}", "this")],
        );
        check("It was {that a} lot.", &[("{that a}", "that a")]);
        check("{Big|Large} news", &[("{Big|Large}", "Big")]);
        check(
            "a {well-known|famous} case",
            &[("{well-known|famous}", "well-known")],
        );
        check("(“{it's|it is}”)", &[("{it's|it is}", "it's")]);
        check("say {a lot | many}.", &[("{a lot | many}", "a lot")]);
        check("{a|an} apple", &[("{a|an}", "a")]);
        check("{naïve|credulous}", &[("{naïve|credulous}", "naïve")]);
        let r = find("{this|that} and {that a}");
        assert_eq!(r[0].score, SPINTAX_SCORE);
        assert_eq!(r[1].score, BARE_GROUP_SCORE);
    }

    #[test]
    fn latex_code_json_and_placeholders_are_left_alone() {
        for text in [
            r"\frac{a}{b}",
            r"\frac{a b}{c d}",
            r"$\{x\}$",
            r"$\{x|y\}$",
            r"\section{Main results}",
            r"\section {Main results}",
            r"x^{a b}",
            r"x_{this|that}",
            r"{\em some words}",
            r"\begin{itemize}",
            "{\"a\": 1}",
            "{a: b}",
            "{ return x }",
            "if (x) { y = 1; }",
            "fn f() { g() }",
            "{{name}}",
            "{{this|that}}",
            "{{cite web|url=x}}",
            "Hello {name}, welcome",
            "Hi {first_name}!",
            "{0} and {1}",
            "{}",
            "{ }",
            "{|}",
            "{a|}",
            "{|a}",
            "{x | x even}",
            "{a|b}",
            "{A, B, C}",
            "{1,2,3}",
            "title = {A study of things},",
            "key: {some words}",
            "word{this|that}",
            "{this|that}word",
            "{this|that}{other|thing}",
            "{this|{that|the}}",
            "{one two three four five six seven eight nine}",
            "{- -|x y}",
            "{this\nthat}",
            "{",
            "}",
            "{{",
            "}}",
            "}{",
            "{this|that",
            "this|that}",
            "{{{}}}",
            "",
        ] {
            check(text, &[]);
        }
    }

    #[test]
    fn offsets_are_characters_on_multibyte_text() {
        let text = "€3, 800 — naïve {this|that}";
        check(text, &[("3, 800", "3,800"), ("{this|that}", "this")]);
        let r = find(text);
        assert_eq!((r[0].start, r[0].end), (1, 7));
        assert_eq!((r[1].start, r[1].end), (16, 27));
        let text = "東京 ₹1, 234 «{それ que|this}» é {le été|the summer}";
        check(
            text,
            &[
                ("1, 234", "1,234"),
                ("{それ que|this}", "それ que"),
                ("{le été|the summer}", "le été"),
            ],
        );
    }

    #[test]
    fn overlaps_uses_character_ranges() {
        let hits = find("ab $3, 800 cd {x y|z w} e");
        assert_eq!((hits[0].start, hits[0].end), (4, 10));
        assert!(overlaps(&hits, 0, 5));
        assert!(overlaps(&hits, 9, 12));
        assert!(!overlaps(&hits, 10, 14));
        assert!(overlaps(&hits, 14, 15));
        assert!(overlaps(&hits, 16, 16));
        assert!(!overlaps(&hits, 0, 4));
        assert!(!overlaps(&[], 0, 4));
    }

    #[test]
    fn spans_and_changes_carry_the_rule_source() {
        let r = find("$3, 800");
        let s = r[0].span();
        assert_eq!(s.source.as_deref(), Some(SOURCE));
        assert_eq!(s.suggestion.as_deref(), Some("3,800"));
        let c = r[0].change();
        assert_eq!((c.from.as_str(), c.to.as_str()), ("3, 800", "3,800"));
        let restored = crate::Restoration::apply("$3, 800", vec![c]);
        assert_eq!(restored.text, "$3,800");
    }

    #[test]
    fn long_pathological_lines_take_linear_time() {
        let mb = 1 << 20;
        for piece in [
            "{", "$1, ", "{a ", "{a|", "1,22", ", 800", "}", "{ab|cd} ", "$1, 234",
        ] {
            let text = piece.repeat(mb / piece.len());
            let t = std::time::Instant::now();
            let hits = find(&text);
            // generous: a quadratic scan of a megabyte takes minutes
            assert!(t.elapsed().as_secs() < 5, "{piece:?}: {:?}", t.elapsed());
            if piece == "{ab|cd} " {
                assert_eq!(hits.len(), text.len() / piece.len());
            }
        }
    }
}
