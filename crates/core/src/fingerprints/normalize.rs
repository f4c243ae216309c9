//! Token normalisation shared by list patterns and documents.
//!
//! Matching runs over a *normalised token stream*, not the raw input, so
//! that "Counterfeit  Consciousness", "counterfeit\nconsciousness" and
//! "counterfeit-consciousness" are one and the same phrase. A document is
//! turned into a buffer of lower-cased tokens, each followed by one space,
//! and every token keeps the character range it came from, so a match in
//! the buffer maps back to character offsets that slice the untouched input
//! exactly.
//!
//! The rules, applied the same way to patterns and documents:
//! - a word is a run of letters, digits, `_` and combining marks; an
//!   apostrophe (`'` or `’`) between two word characters joins them and is
//!   written as `'`;
//! - letters are lower-cased;
//! - white space and dashes (`-`, `‐`, `‑`, `–`, `—`) separate tokens and are
//!   dropped, so hyphen and space are interchangeable;
//! - every other character (punctuation, symbols) is a token of its own.

/// One token of a [`Normalized`] buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Tok {
    /// byte offset of the token in the normalised buffer
    pub norm: u32,
    /// first character of the token in the input
    pub cstart: u32,
    /// one past the last character of the token in the input
    pub cend: u32,
    /// true when the token is a word (not punctuation)
    pub word: bool,
    /// true when a dash (not white space) separated this token from the
    /// previous one in the input
    pub after_dash: bool,
}

/// A normalised token stream: `buf` is `" " + tok + " " + tok + " " ...`,
/// every token preceded and followed by one space.
#[derive(Clone, Debug, Default)]
pub(crate) struct Normalized {
    pub buf: String,
    pub toks: Vec<Tok>,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || is_mark(c)
}

fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '\u{2010}' | '\u{2011}' | '\u{2013}' | '\u{2014}')
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

impl Normalized {
    /// Normalises `input`.
    pub fn new(input: &str) -> Normalized {
        let mut n = Normalized {
            buf: String::with_capacity(input.len() + 2),
            toks: Vec::with_capacity(input.len() / 5 + 1),
        };
        n.fill(input);
        n
    }

    /// Normalises `input` into this value, reusing its allocations.
    pub fn fill(&mut self, input: &str) {
        self.toks.clear();
        let mut buf = std::mem::take(&mut self.buf).into_bytes();
        buf.clear();
        buf.push(b' ');
        let bytes = input.as_bytes();
        let mut i = 0usize; // byte position in input
        let mut cpos = 0u32; // char position in input
        let mut in_word = false;
        let mut dash_seen = false;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                // ASCII fast path, by table
                match ASCII[b as usize] {
                    W => {
                        if !in_word {
                            self.toks.push(Tok::new(buf.len(), cpos, true, dash_seen));
                            in_word = true;
                            dash_seen = false;
                        }
                        // the whole ASCII run of word characters at once
                        let run = bytes[i..]
                            .iter()
                            .position(|&c| c >= 0x80 || ASCII[c as usize] != W)
                            .unwrap_or(bytes.len() - i);
                        buf.extend(bytes[i..i + run].iter().map(u8::to_ascii_lowercase));
                        i += run;
                        cpos += run as u32;
                        continue;
                    }
                    A if in_word && possessive(input, i + 1) => {
                        end_tok(&mut self.toks, &mut buf, cpos);
                        self.toks.push(Tok::new(buf.len(), cpos, true, false));
                        buf.push(b'\'');
                    }
                    A if in_word && next_is_word(input, i + 1) => buf.push(b'\''),
                    class => {
                        if in_word {
                            end_tok(&mut self.toks, &mut buf, cpos);
                            in_word = false;
                        }
                        match class {
                            D => dash_seen = true,
                            S | A => dash_seen = false,
                            _ => {
                                self.toks.push(Tok::new(buf.len(), cpos, false, dash_seen));
                                dash_seen = false;
                                buf.push(b);
                                end_tok(&mut self.toks, &mut buf, cpos + 1);
                            }
                        }
                    }
                }
                i += 1;
                cpos += 1;
                continue;
            }
            let c = input[i..].chars().next().expect("char boundary");
            let len = c.len_utf8();
            if is_word_char(c) {
                if !in_word {
                    self.toks.push(Tok::new(buf.len(), cpos, true, dash_seen));
                    in_word = true;
                    dash_seen = false;
                }
                let mut tmp = [0u8; 4];
                for l in c.to_lowercase() {
                    buf.extend_from_slice(l.encode_utf8(&mut tmp).as_bytes());
                }
            } else if in_word && is_apostrophe(c) && possessive(input, i + len) {
                end_tok(&mut self.toks, &mut buf, cpos);
                self.toks.push(Tok::new(buf.len(), cpos, true, false));
                buf.push(b'\'');
            } else if in_word && is_apostrophe(c) && next_is_word(input, i + len) {
                buf.push(b'\'');
            } else {
                if in_word {
                    end_tok(&mut self.toks, &mut buf, cpos);
                    in_word = false;
                }
                if is_dash(c) {
                    dash_seen = true;
                } else if c.is_whitespace() || is_apostrophe(c) {
                    // a quote mark outside a word separates like a space
                    dash_seen = false;
                } else {
                    self.toks.push(Tok::new(buf.len(), cpos, false, dash_seen));
                    dash_seen = false;
                    let mut tmp = [0u8; 4];
                    buf.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
                    end_tok(&mut self.toks, &mut buf, cpos + 1);
                }
            }
            i += len;
            cpos += 1;
        }
        if in_word {
            end_tok(&mut self.toks, &mut buf, cpos);
        }
        // only whole chars, lower-cased, were written
        self.buf = String::from_utf8(buf).expect("normalised text is UTF-8");
    }

    /// The text of token `i` in the buffer.
    #[inline]
    pub fn tok_str(&self, i: usize) -> &str {
        let start = self.toks[i].norm as usize;
        // every token is followed by exactly one space
        let end = self
            .toks
            .get(i + 1)
            .map_or(self.buf.len(), |t| t.norm as usize)
            - 1;
        &self.buf[start..end]
    }

    /// The normalised tokens as strings.
    pub fn tokens(&self) -> Vec<&str> {
        (0..self.toks.len()).map(|i| self.tok_str(i)).collect()
    }
}

impl Tok {
    fn new(norm: usize, cstart: u32, word: bool, after_dash: bool) -> Tok {
        Tok {
            norm: norm as u32,
            cstart,
            cend: cstart,
            word,
            after_dash,
        }
    }
}

fn end_tok(toks: &mut [Tok], buf: &mut Vec<u8>, cend: u32) {
    if let Some(t) = toks.last_mut() {
        t.cend = cend;
    }
    buf.push(b' ');
}

/// ASCII classes: word, space, dash, apostrophe, other (punctuation).
const W: u8 = 0;
const S: u8 = 1;
const D: u8 = 2;
const A: u8 = 3;
const P: u8 = 4;

static ASCII: [u8; 128] = {
    let mut t = [P; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() || c == b'_' {
            W
        } else if c.is_ascii_whitespace() || c == 0x0b {
            S
        } else if c == b'-' {
            D
        } else if c == b'\'' {
            A
        } else {
            P
        };
        b += 1;
    }
    t
};

/// True at the `s` of a possessive `'s` that ends a word: the `'s` is then
/// a token of its own, so "collection's" still ends the phrase "data
/// collection".
fn possessive(input: &str, at: usize) -> bool {
    let rest = &input.as_bytes()[at.min(input.len())..];
    matches!(rest.first(), Some(b's' | b'S')) && !next_is_word(input, at + 1)
}

fn next_is_word(input: &str, at: usize) -> bool {
    input[at..].chars().next().is_some_and(is_word_char)
}

/// Normalises a phrase into its space-joined tokens ("Cross-Approval" →
/// "cross approval").
pub(crate) fn normalize_phrase(phrase: &str) -> String {
    Normalized::new(phrase).tokens().join(" ")
}

/// Inflectional variants of a head word: the plural of a singular, the
/// singular of a plural, and -ed ↔ -ing for a word listed in one of those
/// forms (never the bare stem: "as pursues" does not grow into "as
/// pursue", "networking" not into "network").
pub(crate) fn inflections(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    if word.chars().count() < 3 || !word.chars().all(|c| c.is_alphabetic()) {
        return out;
    }
    let verbal = word.ends_with("ed") || word.ends_with("ing");
    if verbal {
        let mut bases = Vec::new();
        if let Some(s) = word.strip_suffix("ed") {
            bases.push(s.to_string());
            bases.push(format!("{s}e"));
            out.extend(bases.iter().filter(|b| b.len() >= 2).map(|b| gerund(b)));
        }
        if let Some(s) = word.strip_suffix("ing") {
            bases.push(s.to_string());
            bases.push(format!("{s}e"));
            out.extend(bases.iter().filter(|b| b.len() >= 2).map(|b| past(b)));
        }
    } else if let Some(s) = word.strip_suffix("ies") {
        out.push(format!("{s}y"));
    } else if let Some(s) = word.strip_suffix("es") {
        out.push(s.to_string());
        out.push(format!("{s}e"));
    } else if let Some(s) = word.strip_suffix('s') {
        if !s.ends_with('s') && !s.ends_with('u') && !s.ends_with('i') {
            out.push(s.to_string());
        }
    } else {
        out.push(plural(word));
    }
    out.retain(|w| w.len() >= 2);
    out.sort();
    out.dedup();
    out
}

fn consonant_y(w: &str) -> bool {
    let b = w.as_bytes();
    b.len() >= 2 && b[b.len() - 1] == b'y' && !b"aeiou".contains(&b[b.len() - 2])
}

fn plural(w: &str) -> String {
    if consonant_y(w) {
        format!("{}ies", &w[..w.len() - 1])
    } else if w.ends_with('s')
        || w.ends_with('x')
        || w.ends_with('z')
        || w.ends_with("ch")
        || w.ends_with("sh")
    {
        format!("{w}es")
    } else {
        format!("{w}s")
    }
}

fn past(w: &str) -> String {
    if w.ends_with('e') {
        format!("{w}d")
    } else if consonant_y(w) {
        format!("{}ied", &w[..w.len() - 1])
    } else {
        format!("{w}ed")
    }
}

fn gerund(w: &str) -> String {
    if w.ends_with('e') && !w.ends_with("ee") {
        format!("{}ing", &w[..w.len() - 1])
    } else {
        format!("{w}ing")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffer_and_offsets() {
        let n = Normalized::new("Counterfeit  Consciousness, (ANN) cross-approval’s");
        assert_eq!(
            n.buf,
            " counterfeit consciousness , ( ann ) cross approval 's "
        );
        let t: Vec<_> = n.toks.iter().map(|t| (t.cstart, t.cend)).collect();
        assert_eq!(t[0], (0, 11));
        assert_eq!(t[1], (13, 26));
        assert!(n.toks[7].after_dash);
        assert!(!n.toks[6].after_dash);
    }

    #[test]
    fn multibyte_offsets_are_chars() {
        let s = "Ünïcode façade — naïve";
        let n = Normalized::new(s);
        assert_eq!(n.tokens(), ["ünïcode", "façade", "naïve"]);
        for t in &n.toks {
            let got: String = s
                .chars()
                .skip(t.cstart as usize)
                .take((t.cend - t.cstart) as usize)
                .collect();
            assert_eq!(
                crate::text::normalize_word(&got),
                n.tok_str(n.toks.iter().position(|x| x == t).unwrap())
            );
        }
    }

    #[test]
    fn trailing_apostrophe_is_not_a_word_char() {
        assert_eq!(normalize_phrase("the students' work"), "the students work");
        assert_eq!(
            normalize_phrase("Alzheimer’s illness"),
            "alzheimer 's illness"
        );
        assert_eq!(normalize_phrase("don't isn’t"), "don't isn't");
        assert_eq!(normalize_phrase("the set’s size"), "the set 's size");
    }

    #[test]
    fn inflection_variants() {
        let v = inflections("network");
        assert!(v.contains(&"networks".to_string()));
        assert!(!v.contains(&"networked".to_string()));
        let v = inflections("associations");
        assert!(v.contains(&"association".to_string()));
        let v = inflections("studies");
        assert!(v.contains(&"study".to_string()));
        let v = inflections("helped");
        assert!(v.contains(&"helping".to_string()) && !v.contains(&"help".to_string()));
        assert!(!inflections("networking").contains(&"network".to_string()));
        assert!(inflections("processes").contains(&"process".to_string()));
        assert_eq!(inflections("(ann)"), ["(ann)"]);
    }
}
