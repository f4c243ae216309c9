//! Tortured-phrase fingerprint lists: load them, match them at scale, and
//! weigh the evidence per document.
//!
//! A *tortured phrase* is what a spinner makes of an established term
//! ("counterfeit consciousness" for artificial intelligence). Lists of them
//! (the Problematic Paper Screener's, or an analyst's own) are loaded with
//! [`Fingerprints::from_path`] from a PPS CSV export or a TSV file (see
//! [`ListFormat`] for the formats) and compiled into one
//! Aho-Corasick automaton over *normalised tokens*: case-folded, with
//! hyphen and space interchangeable ("cross-approval" = "cross approval" =
//! "crossapproval") and the head word (the last word) matched in its
//! plural/singular forms, and in its -ed/-ing forms when it is listed as one.
//! PPS context clauses are honoured: `AND x` requires `x` in the document,
//! `NOT x` vetoes the hit when `x` occurs.
//!
//! Every [`Hit`] carries character offsets into the untouched input; slicing
//! the input with them gives the matched text exactly.
//!
//! ```
//! use unspin_core::fingerprints::Fingerprints;
//! let list = Fingerprints::from_pairs([("counterfeit consciousness", "artificial intelligence")]);
//! let text = "Façade: Counterfeit-Consciousness is everywhere.";
//! let hits = list.find(text);
//! assert_eq!(hits.len(), 1);
//! let found: String = text.chars().skip(hits[0].start).take(hits[0].end - hits[0].start).collect();
//! assert_eq!(found, "Counterfeit-Consciousness");
//! assert_eq!(hits[0].expected, "artificial intelligence");
//! ```
//!
//! [`evidence`] turns a document's findings into the PPS-style verdict
//! ("≥ N distinct tortured phrases") with the table an analyst reads.

mod evidence;
mod load;
pub(crate) mod normalize;
mod query;
mod trie;

use std::cell::RefCell;
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

pub use evidence::{evidence, Evidence, PhraseEvidence, PhraseOrigin, DEFAULT_MIN_DISTINCT};
pub use load::ListFormat;
use normalize::{inflections, Normalized};
use query::{ClauseGroup, TermSpec};
use trie::Trie;

use crate::error::{Error, Result};
use crate::record::Span;

/// Score given to list hits: a listed tortured phrase is near-certain
/// evidence.
pub const LIST_SCORE: f64 = 0.99;

/// One entry of a list: a tortured phrase, its expected wording and the
/// conditions under which it counts.
#[derive(Clone, Debug)]
pub struct Entry {
    phrase: String,
    query: String,
    expected: String,
    suggestion: String,
    papers: Option<u64>,
    line: usize,
    context: Vec<Group>,
    near: Option<Near>,
}

impl Entry {
    /// The tortured phrase (the first alternative, as written in the list).
    pub fn phrase(&self) -> &str {
        &self.phrase
    }

    /// The whole fingerprint as written (for TSV, the phrase and context).
    pub fn query(&self) -> &str {
        &self.query
    }

    /// The expected wording as written in the list, annotations included
    /// ("supervised \[machine\] learning").
    pub fn expected(&self) -> &str {
        &self.expected
    }

    /// The expected wording cleaned for use as a replacement: bracketed
    /// annotations and question marks removed ("supervised learning").
    pub fn suggestion(&self) -> &str {
        &self.suggestion
    }

    /// "Nb Retrieved Papers" of a PPS export, when given.
    pub fn papers(&self) -> Option<u64> {
        self.papers
    }

    /// The 1-based line of the list file the entry came from (0 when built
    /// in memory).
    pub fn line(&self) -> usize {
        self.line
    }

    /// True when the entry has context clauses.
    pub fn has_context(&self) -> bool {
        !self.context.is_empty()
    }
}

type TermId = u32;

#[derive(Clone, Debug)]
struct Group {
    all: Vec<Vec<TermId>>,
    none: Vec<TermId>,
}

#[derive(Clone, Debug)]
struct Near {
    words: Vec<TermId>,
    window: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Term {
    /// normalised phrase
    Phrase(String),
    /// normalised word prefix
    Prefix(String),
    /// every word within `window` words of the first
    Near(Vec<TermId>, u32),
}

#[derive(Clone, Copy, Debug)]
enum Pat {
    /// a form of an entry's phrase, `toks` tokens long
    Phrase { entry: u32, toks: u32 },
    /// a context term
    Term(TermId),
}

/// A compiled list of tortured phrases, each with its expected wording.
#[derive(Debug, Clone, Default)]
pub struct Fingerprints {
    entries: Vec<Entry>,
    terms: Vec<Term>,
    /// per automaton pattern, what it stands for
    pats: Vec<Vec<Pat>>,
    /// entries never matched: their phrase is part of their expected text
    inert: Vec<usize>,
    /// every pattern (phrase forms and context phrases) over token ids;
    /// prefix context terms (`optimiz*`) are looked for only when a hit's
    /// context needs them
    trie: Trie,
}

/// Per-thread buffers of [`Fingerprints::find`], reused across calls.
#[derive(Default)]
struct Scratch {
    norm: Normalized,
    ids: Vec<u32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::default();
}

/// One list hit in a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// first character of the hit
    pub start: usize,
    /// one past the last character
    pub end: usize,
    /// the expected (original) wording, cleaned for use as a replacement
    pub expected: String,
    /// index of the matching entry in [`Fingerprints::entries`]
    pub entry: usize,
}

impl Fingerprints {
    /// Loads a list from a file: a PPS CSV export (a `.csv` name, or a first
    /// line with the PPS header) or TSV. Fails on the first bad line with
    /// [`Error::BadFingerprint`].
    pub fn from_path(path: impl AsRef<Path>) -> Result<Fingerprints> {
        Ok(Self::load(path.as_ref(), false)?.0)
    }

    /// Like [`Fingerprints::from_path`], but skips bad lines and returns
    /// them (each an [`Error::BadFingerprint`]) beside the list.
    pub fn from_path_lenient(path: impl AsRef<Path>) -> Result<(Fingerprints, Vec<Error>)> {
        Self::load(path.as_ref(), true)
    }

    fn load(path: &Path, lenient: bool) -> Result<(Fingerprints, Vec<Error>)> {
        let bytes = std::fs::read(path).map_err(|e| {
            Error::Io(std::io::Error::new(
                e.kind(),
                format!("cannot read fingerprint list {}: {e}", path.display()),
            ))
        })?;
        let name = path.display().to_string();
        let format = load::sniff(&name, &bytes);
        Self::from_reader_inner(&bytes[..], format, &name, lenient)
    }

    /// Reads a list in `format` from `reader`; `name` is used in errors.
    pub fn from_reader(reader: impl Read, format: ListFormat, name: &str) -> Result<Fingerprints> {
        Ok(Self::from_reader_inner(reader, format, name, false)?.0)
    }

    fn from_reader_inner(
        reader: impl Read,
        format: ListFormat,
        name: &str,
        lenient: bool,
    ) -> Result<(Fingerprints, Vec<Error>)> {
        let (raw, problems) = load::read(reader, format, name, lenient)?;
        let mut c = Compiler::default();
        for r in raw {
            c.add(r);
        }
        Ok((c.finish(), problems))
    }

    /// A list from literal `(tortured, expected)` pairs, without context.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Fingerprints {
        let mut c = Compiler::default();
        for (t, e) in pairs {
            if normalize::normalize_phrase(t).is_empty() {
                continue;
            }
            c.add(load::RawEntry {
                query: query::Query {
                    phrases: vec![TermSpec::Phrase {
                        text: t.to_string(),
                        near: None,
                    }],
                    context: Vec::new(),
                },
                expected: e.trim().to_string(),
                papers: None,
                line: 0,
            });
        }
        c.finish()
    }

    /// Number of entries in the list.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the list is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The entries, in list order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Indexes of entries that are never matched because the list itself
    /// shows their tortured phrase to be genuine wording: it is part of
    /// their own expected wording (a malformed row, e.g. "neural network" →
    /// "[neural network] layer outputs"), the expected wording of another
    /// row, or (two words or more) part of another row's expected wording
    /// ("speech signal" while another row expects "speech signal
    /// processing"); or [`Fingerprints::disable_found_in`] found it in clean
    /// text. Matching them would flag the genuine term.
    pub fn inert(&self) -> &[usize] {
        &self.inert
    }

    /// Makes inert every entry that matches in `clean` documents (text
    /// known to be genuine, e.g. a reference corpus of the field), and
    /// returns their indexes. A listed phrase found in clean text is a
    /// genuine term listed by mistake (a reversed row such as "image
    /// features" → "picture features"); matching it would flag clean text.
    pub fn disable_found_in<'a>(&mut self, clean: impl IntoIterator<Item = &'a str>) -> Vec<usize> {
        let mut found: Vec<usize> = Vec::new();
        for doc in clean {
            found.extend(self.find(doc).iter().map(|h| h.entry));
        }
        found.sort_unstable();
        found.dedup();
        found.retain(|e| !self.inert.contains(e));
        if !found.is_empty() {
            for list in &mut self.pats {
                list.retain(|p| !matches!(p, Pat::Phrase { entry, .. } if found.binary_search(&(*entry as usize)).is_ok()));
            }
            self.inert.extend(&found);
            self.inert.sort_unstable();
        }
        found
    }

    /// Number of patterns in the automaton (every form of every phrase, and
    /// the context terms).
    pub fn pattern_count(&self) -> usize {
        self.pats.len()
    }

    /// Every hit of the list in `text`, in input order, not overlapping:
    /// where hits overlap, the longest (then the earliest, then the first
    /// listed) wins.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        if self.trie.is_empty() {
            return Vec::new();
        }
        SCRATCH.with(|s| match s.try_borrow_mut() {
            Ok(mut s) => self.find_with(text, &mut s),
            Err(_) => self.find_with(text, &mut Scratch::default()),
        })
    }

    fn find_with(&self, text: &str, scratch: &mut Scratch) -> Vec<Hit> {
        let Scratch { norm, ids } = scratch;
        norm.fill(text);
        ids.clear();
        ids.extend((0..norm.toks.len()).map(|i| self.trie.id(norm.tok_str(i))));
        // (first token, end token, entry)
        let mut cands: Vec<(usize, usize, u32)> = Vec::new();
        let mut terms: Vec<(TermId, usize)> = Vec::new();
        self.trie.each_match(ids, |ti, _, pat| {
            for p in &self.pats[pat as usize] {
                match *p {
                    Pat::Phrase { entry, toks } => cands.push((ti, ti + toks as usize, entry)),
                    Pat::Term(t) => terms.push((t, ti)),
                }
            }
        });
        if cands.is_empty() {
            return Vec::new();
        }
        let norm = &*norm;
        let mut ctx = Context {
            fp: self,
            norm,
            occurrences: HashMap::new(),
            present: HashMap::new(),
        };
        for (t, ti) in terms {
            ctx.occurrences.entry(t).or_default().push(ti);
        }
        let mut kept: Vec<(usize, usize, u32)> = Vec::new();
        for (ts, te, e) in cands {
            let entry = &self.entries[e as usize];
            let (ts, te) = match &entry.near {
                None => (ts, te),
                Some(near) => match ctx.near_span(ts, near) {
                    Some(span) => span,
                    None => continue,
                },
            };
            if !entry.context.is_empty() && !entry.context.iter().any(|g| ctx.group_holds(g)) {
                continue;
            }
            kept.push((ts, te, e));
        }
        kept.sort_by_key(|&(ts, te, e)| (ts, std::cmp::Reverse(te - ts), e));
        // longest first among overlapping hits
        let mut order: Vec<usize> = (0..kept.len()).collect();
        order.sort_by_key(|&i| {
            (
                std::cmp::Reverse(kept[i].1 - kept[i].0),
                kept[i].0,
                kept[i].2,
            )
        });
        let mut taken = vec![false; norm.toks.len()];
        let mut out = Vec::new();
        for i in order {
            let (ts, te, e) = kept[i];
            if taken[ts..te].iter().any(|&t| t) {
                continue;
            }
            taken[ts..te].iter_mut().for_each(|t| *t = true);
            let entry = &self.entries[e as usize];
            out.push(Hit {
                start: norm.toks[ts].cstart as usize,
                end: norm.toks[te - 1].cend as usize,
                expected: entry.suggestion.clone(),
                entry: e as usize,
            });
        }
        out.sort_by_key(|h| h.start);
        out
    }

    /// Hits as detect spans (source "list", score [`LIST_SCORE`]).
    pub fn spans(&self, text: &str) -> Vec<Span> {
        self.find(text)
            .into_iter()
            .map(|h| Span {
                text: crate::text::slice_chars(text, h.start..h.end)
                    .unwrap_or("")
                    .to_string(),
                start: h.start,
                end: h.end,
                score: LIST_SCORE,
                suggestion: Some(h.expected),
                source: Some("list".into()),
            })
            .collect()
    }
}

/// Context evaluation for one document.
struct Context<'a> {
    fp: &'a Fingerprints,
    norm: &'a Normalized,
    /// token positions of every context term found
    occurrences: HashMap<TermId, Vec<usize>>,
    present: HashMap<TermId, bool>,
}

impl Context<'_> {
    fn is_present(&mut self, t: TermId) -> bool {
        if let Some(&p) = self.present.get(&t) {
            return p;
        }
        let p = match &self.fp.terms[t as usize] {
            Term::Phrase(_) => self.occurrences.contains_key(&t),
            Term::Prefix(p) => {
                // a prefix starts at a token and may run over several
                let buf = &self.norm.buf;
                self.norm
                    .toks
                    .iter()
                    .any(|tok| buf[tok.norm as usize..].starts_with(p.as_str()))
            }
            Term::Near(words, window) => {
                let (words, window) = (words.clone(), *window);
                let anchors = self.occurrences.get(&words[0]).cloned().unwrap_or_default();
                anchors.iter().any(|&a| {
                    words[1..]
                        .iter()
                        .all(|w| self.nearest(*w, a, window as usize).is_some())
                })
            }
        };
        self.present.insert(t, p);
        p
    }

    /// The occurrence of `t` nearest to token `at`, within `window` tokens.
    fn nearest(&self, t: TermId, at: usize, window: usize) -> Option<usize> {
        self.occurrences
            .get(&t)?
            .iter()
            .copied()
            .filter(|&p| p != at && p.abs_diff(at) <= window)
            .min_by_key(|&p| p.abs_diff(at))
    }

    fn group_holds(&mut self, g: &Group) -> bool {
        g.all
            .iter()
            .all(|any| any.iter().any(|&t| self.is_present(t)))
            && !g.none.iter().any(|&t| self.is_present(t))
    }

    /// For a proximity phrase anchored at token `at`: the token span from
    /// the first to the last of its words, when all are near.
    fn near_span(&self, at: usize, near: &Near) -> Option<(usize, usize)> {
        let (mut lo, mut hi) = (at, at + 1);
        for &w in &near.words {
            let p = self.nearest(w, at, near.window as usize)?;
            lo = lo.min(p);
            hi = hi.max(p + 1);
        }
        Some((lo, hi))
    }
}

/// Builds the automaton from parsed rows.
#[derive(Default)]
struct Compiler {
    entries: Vec<Entry>,
    terms: Vec<Term>,
    term_ids: HashMap<Term, TermId>,
    patterns: Vec<String>,
    pat_ids: HashMap<String, usize>,
    pats: Vec<Vec<Pat>>,
    inert: Vec<usize>,
}

impl Compiler {
    fn pattern(&mut self, text: String, p: Pat) {
        let id = *self.pat_ids.entry(text.clone()).or_insert_with(|| {
            self.patterns.push(text);
            self.pats.push(Vec::new());
            self.pats.len() - 1
        });
        self.pats[id].push(p);
    }

    fn term(&mut self, t: Term) -> TermId {
        if let Some(&id) = self.term_ids.get(&t) {
            return id;
        }
        let id = self.terms.len() as TermId;
        self.terms.push(t.clone());
        self.term_ids.insert(t.clone(), id);
        match t {
            Term::Phrase(p) => self.pattern(format!("{p} "), Pat::Term(id)),
            // looked for on demand, see `Context::is_present`
            Term::Prefix(_) => {}
            Term::Near(..) => {}
        }
        id
    }

    fn term_spec(&mut self, s: &TermSpec) -> TermId {
        match s {
            TermSpec::Phrase { text, near: None } => {
                self.term(Term::Phrase(normalize::normalize_phrase(text)))
            }
            TermSpec::Phrase {
                text,
                near: Some(n),
            } => {
                let words: Vec<TermId> = normalize::normalize_phrase(text)
                    .split(' ')
                    .map(|w| self.term(Term::Phrase(w.to_string())))
                    .collect();
                self.term(Term::Near(words, *n))
            }
            TermSpec::Prefix(p) => self.term(Term::Prefix(normalize::normalize_phrase(p))),
        }
    }

    fn add(&mut self, r: load::RawEntry) {
        let context: Vec<Group> = r
            .query
            .context
            .iter()
            .map(|g: &ClauseGroup| Group {
                all: g
                    .all
                    .iter()
                    .map(|any| any.iter().map(|t| self.term_spec(t)).collect())
                    .collect(),
                none: g.none.iter().map(|t| self.term_spec(t)).collect(),
            })
            .collect();
        let first = match &r.query.phrases[0] {
            TermSpec::Phrase { text, .. } | TermSpec::Prefix(text) => text.clone(),
        };
        let query = if r.query.context.is_empty() && r.query.phrases.len() == 1 {
            first.clone()
        } else {
            format!("{:?}", r.query)
        };
        // one entry per alternative phrase form, sharing the context
        for ph in &r.query.phrases {
            let id = self.entries.len() as u32;
            let (text, near) = match ph {
                TermSpec::Phrase { text, near } => (text.clone(), *near),
                TermSpec::Prefix(text) => (text.clone(), None),
            };
            let mut entry = Entry {
                phrase: text.clone(),
                query: query.clone(),
                expected: r.expected.clone(),
                suggestion: suggestion(&r.expected),
                papers: r.papers,
                line: r.line,
                context: context.clone(),
                near: None,
            };
            match near {
                Some(window) => {
                    let words: Vec<String> = normalize::normalize_phrase(&text)
                        .split(' ')
                        .map(str::to_string)
                        .collect();
                    let rest = words[1..]
                        .iter()
                        .map(|w| self.term(Term::Phrase(w.clone())))
                        .collect();
                    entry.near = Some(Near {
                        words: rest,
                        window,
                    });
                    self.pattern(format!("{} ", words[0]), Pat::Phrase { entry: id, toks: 1 });
                }
                None => {
                    for (form, toks) in forms(&text) {
                        self.pattern(form, Pat::Phrase { entry: id, toks });
                    }
                }
            }
            self.entries.push(entry);
        }
    }

    fn finish(mut self) -> Fingerprints {
        // Rows that contradict the list are kept but never matched: a
        // tortured phrase inside its own expected wording ("machine
        // learning" → "discriminative learning (machine learning)"), equal to
        // the expected wording of any row ("cloud computing" → "cloud
        // environment" while "fog up computing" → "cloud computing"), or,
        // from two words on, part of the expected wording of any row
        // ("speech signal" → "fundamental frequency" while "speech signal
        // handling" → "speech signal processing"). The list itself then
        // says the phrase is genuine wording, and matching it would flag
        // clean text.
        let expected: Vec<Vec<String>> = self
            .entries
            .iter()
            .map(|e| expected_forms(&e.expected))
            .collect();
        let mut genuine: std::collections::HashSet<&str> =
            expected.iter().flatten().map(String::as_str).collect();
        // the parts of expected wordings that could equal a tortured
        // phrase: only as long as some phrase is (all parts of a long
        // wording would be cubic in its length)
        let lengths: std::collections::BTreeSet<usize> = self
            .entries
            .iter()
            .map(|e| normalize::normalize_phrase(&e.phrase).split(' ').count())
            .filter(|&n| n >= 2)
            .collect();
        let mut parts: std::collections::HashSet<String> = std::collections::HashSet::new();
        for f in expected.iter().flatten() {
            let words: Vec<&str> = f.split(' ').collect();
            for &n in lengths.range(..words.len()) {
                parts.extend(words.windows(n).map(|w| w.join(" ")));
            }
        }
        genuine.extend(parts.iter().map(String::as_str));
        for (i, e) in self.entries.iter().enumerate() {
            if e.near.is_some() {
                continue;
            }
            let p = normalize::normalize_phrase(&e.phrase);
            let padded = format!(" {p} ");
            let inside_own = expected[i]
                .iter()
                .any(|f| format!(" {f} ").contains(&padded));
            if inside_own || genuine.contains(p.as_str()) {
                self.inert.push(i);
            }
        }
        if !self.inert.is_empty() {
            let inert: std::collections::HashSet<u32> =
                self.inert.iter().map(|&i| i as u32).collect();
            for list in &mut self.pats {
                list.retain(|p| !matches!(p, Pat::Phrase { entry, .. } if inert.contains(entry)));
            }
        }
        // patterns are normalised tokens, each followed by one space
        let trie = Trie::new(
            self.patterns
                .iter()
                .map(|p| p.split(' ').filter(|t| !t.is_empty()).collect()),
        );
        Fingerprints {
            entries: self.entries,
            terms: self.terms,
            pats: self.pats,
            inert: self.inert,
            trie,
        }
    }
}

/// Every matchable form of a phrase (normalised, each token followed by a
/// space), with its token count: the head word inflected, and the
/// dash-joined tokens also written closed up.
fn forms(phrase: &str) -> Vec<(String, u32)> {
    let n = Normalized::new(phrase);
    let toks = n.tokens();
    let Some(last) = toks.last() else {
        return Vec::new();
    };
    let heads = if n.toks.last().is_some_and(|t| t.word) && toks.len() > 1 {
        inflections(last)
    } else {
        vec![last.to_string()]
    };
    let has_dash = n.toks.iter().any(|t| t.after_dash);
    let mut out = Vec::new();
    for head in &heads {
        let mut spaced = String::new();
        for t in &toks[..toks.len() - 1] {
            spaced.push_str(t);
            spaced.push(' ');
        }
        spaced.push_str(head);
        spaced.push(' ');
        out.push((spaced, toks.len() as u32));
        if has_dash {
            let mut joined = String::new();
            let mut count = 0u32;
            for (i, t) in toks.iter().enumerate() {
                if i > 0 && !n.toks[i].after_dash {
                    joined.push(' ');
                }
                if i > 0 && !n.toks[i].after_dash || i == 0 {
                    count += 1;
                }
                joined.push_str(if i + 1 == toks.len() { head } else { t });
            }
            joined.push(' ');
            out.push((joined, count));
        }
    }
    out
}

/// Normalised readings of an expected text: as written, with bracketed
/// and parenthesised parts dropped, and with the brackets alone dropped.
fn expected_forms(expected: &str) -> Vec<String> {
    let mut dropped = String::new();
    let mut depth = 0usize;
    for c in expected.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => dropped.push(c),
            _ => {}
        }
    }
    let unbracketed: String = expected
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '[' | ']'))
        .collect();
    let mut out: Vec<String> = [expected, &dropped, &unbracketed]
        .iter()
        .map(|s| normalize::normalize_phrase(s))
        .filter(|s| !s.is_empty())
        .collect();
    out.dedup();
    out
}

/// The expected text cleaned for use as a replacement: `[...]` annotations,
/// `(?)` and trailing `?` dropped, spaces squeezed.
fn suggestion(expected: &str) -> String {
    let mut out = String::with_capacity(expected.len());
    let mut depth = 0usize;
    for c in expected.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    let out = out.replace("(?)", "");
    let out = out.trim().trim_end_matches('?');
    let squeezed = out.split_whitespace().collect::<Vec<_>>().join(" ");
    if squeezed.is_empty() {
        expected.trim().to_string()
    } else {
        squeezed
    }
}

#[cfg(test)]
mod tests;
