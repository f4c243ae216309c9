//! Text with offsets: words, the gaps between them and sentence boundaries.
//!
//! A [`Text`] never changes its input. Every token keeps its byte range and
//! its character (Unicode scalar) range in the untouched input, so a finding
//! can always be reported as character offsets that slice the input exactly
//! (the public contract) while the engine works on byte slices internally.
//!
//! A word is a maximal run matching `\w+(['’-]\w+)*`, the same definition the
//! metrics use (PRODUCT.md §5).

use std::ops::Range;

/// How a word is written, used to carry capitalisation over to a
/// replacement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// every letter lower case (or no letters at all)
    Lower,
    /// first letter upper case, the rest lower case
    Title,
    /// every letter upper case, at least two letters
    Upper,
    /// anything else ("iPhone", "McDonald")
    Mixed,
}

impl Case {
    /// Classifies how `word` is capitalised.
    pub fn of(word: &str) -> Case {
        let mut letters = word.chars().filter(|c| c.is_alphabetic());
        let Some(first) = letters.next() else {
            return Case::Lower;
        };
        let rest: Vec<char> = letters.collect();
        let rest_lower = rest.iter().all(|c| !c.is_uppercase());
        let rest_upper = rest.iter().all(|c| !c.is_lowercase());
        if !first.is_uppercase() {
            if rest_lower {
                Case::Lower
            } else {
                Case::Mixed
            }
        } else if rest_lower {
            Case::Title
        } else if rest_upper && !rest.is_empty() {
            Case::Upper
        } else {
            Case::Mixed
        }
    }

    /// Writes `lower` (a lower-case word or phrase) in this case.
    pub fn apply(self, lower: &str) -> String {
        match self {
            Case::Lower | Case::Mixed => lower.to_string(),
            Case::Upper => lower.to_uppercase(),
            Case::Title => {
                let mut out = String::with_capacity(lower.len());
                let mut at_word_start = true;
                for c in lower.chars() {
                    if at_word_start && c.is_alphabetic() {
                        out.extend(c.to_uppercase());
                        at_word_start = false;
                    } else {
                        if c == ' ' {
                            at_word_start = true;
                        }
                        out.push(c);
                    }
                }
                out
            }
        }
    }

    /// Title case applied to the first word only ("Cold war" style), used
    /// when a sentence-initial word is replaced by a phrase.
    pub fn apply_first(self, lower: &str) -> String {
        match self {
            Case::Title => {
                let mut chars = lower.chars();
                match chars.next() {
                    Some(c) => c.to_uppercase().chain(chars).collect(),
                    None => String::new(),
                }
            }
            other => other.apply(lower),
        }
    }
}

/// One word of a [`Text`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    /// byte range in the input
    pub bytes: Range<usize>,
    /// character (Unicode scalar) range in the input
    pub chars: Range<usize>,
    /// the word lower-cased, with a curly apostrophe made straight
    pub norm: String,
    /// how the word is capitalised in the input
    pub case: Case,
    /// true when the word starts a sentence
    pub sentence_start: bool,
}

/// A tokenised view of an input string.
#[derive(Clone, Debug)]
pub struct Text<'a> {
    input: &'a str,
    words: Vec<Word>,
    /// index of the first word of each sentence, ascending
    sentence_starts: Vec<usize>,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_mark(c)
}

/// Combining marks belong to `\w` in the regex crate's Unicode definition.
fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn is_joiner(c: char) -> bool {
    matches!(c, '\'' | '’' | '-')
}

/// Normalises one word: lower case, curly apostrophe made straight.
pub fn normalize_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if c == '’' {
            out.push('\'');
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

impl<'a> Text<'a> {
    /// Tokenises `input`. Runs in one pass; never fails.
    pub fn new(input: &'a str) -> Text<'a> {
        let mut words = Vec::new();
        let mut sentence_starts = Vec::new();
        let mut chars = input.char_indices().peekable();
        let mut char_pos = 0usize;
        // true after a sentence-ending mark has been seen since the last word
        let mut boundary = true;
        let mut pending_end = false;
        while let Some(&(b, c)) = chars.peek() {
            if is_word_char(c) {
                let start_b = b;
                let start_c = char_pos;
                let mut end_b = b;
                let mut end_c = char_pos;
                // consume \w+ ( ['’-] \w+ )*
                loop {
                    while let Some(&(bb, cc)) = chars.peek() {
                        if is_word_char(cc) {
                            chars.next();
                            char_pos += 1;
                            end_b = bb + cc.len_utf8();
                            end_c = char_pos;
                        } else {
                            break;
                        }
                    }
                    // a joiner followed by a word character continues the word
                    let mut look = chars.clone();
                    match look.next() {
                        Some((_, j)) if is_joiner(j) => match look.peek() {
                            Some(&(_, n)) if is_word_char(n) => {
                                chars.next();
                                char_pos += 1;
                            }
                            _ => break,
                        },
                        _ => break,
                    }
                }
                let raw = &input[start_b..end_b];
                if pending_end || words.is_empty() {
                    boundary = true;
                }
                let sentence_start = boundary;
                if sentence_start {
                    sentence_starts.push(words.len());
                }
                boundary = false;
                pending_end = false;
                words.push(Word {
                    bytes: start_b..end_b,
                    chars: start_c..end_c,
                    norm: normalize_word(raw),
                    case: Case::of(raw),
                    sentence_start,
                });
            } else {
                chars.next();
                char_pos += 1;
                match c {
                    '.' | '!' | '?' | '…' | ';' => {
                        // "U.S." and "3.5" do not end sentences: require
                        // that the next non-space character is not a
                        // lower-case letter or a digit.
                        let rest = &input[b + c.len_utf8()..];
                        let next = rest
                            .trim_start_matches([' ', '"', '\'', '’', '”', ')'])
                            .chars()
                            .next();
                        let followed_by_space = rest.starts_with(char::is_whitespace)
                            || rest.is_empty()
                            || rest.starts_with(['"', '”', '’', '\'', ')']);
                        if followed_by_space
                            && !matches!(next, Some(n) if n.is_lowercase() || n.is_ascii_digit())
                        {
                            pending_end = true;
                        }
                    }
                    // a blank line ends a sentence
                    '\n' if input[b + 1..].starts_with('\n') || input[..b].ends_with('\n') => {
                        pending_end = true;
                    }
                    _ => {}
                }
            }
        }
        Text {
            input,
            words,
            sentence_starts,
        }
    }

    /// This text with some words read as other lower-case words (a typo
    /// as what it misspells): offsets, case and sentences stay the
    /// input's; only [`Word::norm`] changes.
    pub fn respelled<'w>(&self, words: impl IntoIterator<Item = (usize, &'w str)>) -> Text<'a> {
        let mut t = self.clone();
        for (i, norm) in words {
            t.words[i].norm = norm.to_string();
        }
        t
    }

    /// The untouched input.
    pub fn input(&self) -> &'a str {
        self.input
    }

    /// All words, in order.
    pub fn words(&self) -> &[Word] {
        &self.words
    }

    /// The word ranges of each sentence, in order.
    pub fn sentences(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        let n = self.words.len();
        self.sentence_starts
            .iter()
            .enumerate()
            .map(move |(i, &s)| s..self.sentence_starts.get(i + 1).copied().unwrap_or(n))
    }

    /// The input text of word `i`.
    pub fn word_str(&self, i: usize) -> &'a str {
        &self.input[self.words[i].bytes.clone()]
    }

    /// The input between word `i` and word `i + 1` (or the end).
    pub fn gap_after(&self, i: usize) -> &'a str {
        let end = self.words[i].bytes.end;
        let next = self
            .words
            .get(i + 1)
            .map_or(self.input.len(), |w| w.bytes.start);
        &self.input[end..next]
    }
}

/// Converts byte offsets of `s` to character offsets, for a sorted list of
/// byte positions. Used where a finding is made on bytes.
pub fn char_offset(s: &str, byte: usize) -> usize {
    s[..byte].chars().count()
}

/// Slices `s` by character offsets; `None` if out of range.
pub fn slice_chars(s: &str, chars: Range<usize>) -> Option<&str> {
    let mut it = s
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(s.len()));
    let start = it.by_ref().nth(chars.start)?;
    if chars.end < chars.start {
        return None;
    }
    let end = if chars.end == chars.start {
        start
    } else {
        it.nth(chars.end - chars.start - 1)?
    };
    Some(&s[start..end])
}

/// Splits `s` into the words the metrics count (lower-cased).
pub fn metric_words(s: &str) -> Vec<String> {
    Text::new(s).words.into_iter().map(|w| w.norm).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_article_follows_the_sound() {
        assert_eq!(article_for("hour"), "an");
        assert_eq!(article_for("university"), "a");
        assert_eq!(article_for("Impartial"), "an");
        assert_eq!(article_for("one-off"), "a");
        assert_eq!(article_for("longer"), "a");
    }

    #[test]
    fn a_respelled_text_changes_only_the_words_read() {
        let t = Text::new("The goverment met. Then it left.");
        let r = t.respelled([(1, "government")]);
        assert_eq!(r.words()[1].norm, "government");
        assert_eq!(r.word_str(1), "goverment", "the input is untouched");
        for (a, b) in t
            .words()
            .iter()
            .zip(r.words())
            .filter(|(a, _)| a.norm != "goverment")
        {
            assert_eq!((&a.norm, &a.bytes, a.case), (&b.norm, &b.bytes, b.case));
        }
        assert_eq!(
            t.sentences().collect::<Vec<_>>(),
            r.sentences().collect::<Vec<_>>()
        );
    }

    #[test]
    fn words_keep_offsets_on_multibyte_text() {
        let s = "«Café» — naïve ‘quotes’ don’t … 東京 x-ray; ok.";
        let t = Text::new(s);
        let got: Vec<&str> = t.words().iter().map(|w| &s[w.bytes.clone()]).collect();
        assert_eq!(
            got,
            ["Café", "naïve", "quotes", "don’t", "東京", "x-ray", "ok"]
        );
        for w in t.words() {
            assert_eq!(slice_chars(s, w.chars.clone()), Some(&s[w.bytes.clone()]));
        }
        assert_eq!(t.words()[3].norm, "don't");
    }

    #[test]
    fn sentences_split_on_terminal_marks() {
        let t = Text::new("The U.S. army said so. It was 3.5 km away! Really? yes");
        let s: Vec<_> = t.sentences().collect();
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(t.words()[0].sentence_start);
        assert!(t.words()[6].sentence_start, "It starts a sentence");
    }

    #[test]
    fn case_round_trips() {
        assert_eq!(Case::of("Cold"), Case::Title);
        assert_eq!(Case::of("NATO"), Case::Upper);
        assert_eq!(Case::of("iPhone"), Case::Mixed);
        assert_eq!(Case::Title.apply("cold war"), "Cold War");
        assert_eq!(Case::Title.apply_first("go to"), "Go to");
    }

    #[test]
    fn trailing_joiners_are_not_words() {
        let t = Text::new("rock- and roll' -x");
        let got: Vec<&str> = t
            .words()
            .iter()
            .map(|w| &t.input()[w.bytes.clone()])
            .collect();
        assert_eq!(got, ["rock", "and", "roll", "x"]);
    }

    #[test]
    fn slice_chars_bounds() {
        assert_eq!(slice_chars("héllo", 1..3), Some("él"));
        assert_eq!(slice_chars("héllo", 5..5), Some(""));
        assert_eq!(slice_chars("héllo", 4..6), None);
    }
}

/// The indefinite article that fits before `w`: "an" before a vowel sound
/// ("an impartial", "an hour"), else "a" ("a university", "a one-off").
pub fn article_for(w: &str) -> &'static str {
    let l = w.to_lowercase();
    let vowel = l.starts_with(['a', 'e', 'i', 'o'])
        || (l.starts_with('u') && !l.starts_with("uni") && !l.starts_with("use"));
    let silent_h = ["hour", "honest", "honour", "honor", "heir"]
        .iter()
        .any(|h| l.starts_with(h));
    match (vowel && !l.starts_with("one") && !l.starts_with("eu")) || silent_h {
        true => "an",
        false => "a",
    }
}

/// English function words (articles, pronouns, prepositions, conjunctions,
/// auxiliaries): spinners swap them too, but they are never names.
pub fn is_function_word(w: &str) -> bool {
    const WORDS: &[&str] = &[
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "although",
        "am",
        "among",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "either",
        "even",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "however",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "just",
        "may",
        "me",
        "might",
        "more",
        "most",
        "must",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "out",
        "over",
        "own",
        "same",
        "shall",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "though",
        "through",
        "throughout",
        "to",
        "too",
        "under",
        "until",
        "up",
        "upon",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "whereas",
        "whether",
        "which",
        "while",
        "who",
        "whom",
        "whose",
        "why",
        "will",
        "with",
        "within",
        "without",
        "would",
        "yet",
        "you",
        "your",
    ];
    WORDS.binary_search(&w).is_ok()
}

#[cfg(test)]
mod function_word_tests {
    #[test]
    fn list_is_sorted_for_binary_search() {
        assert!(super::is_function_word("whereas"));
        assert!(super::is_function_word("a"));
        assert!(!super::is_function_word("oregon"));
    }
}
