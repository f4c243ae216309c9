//! Mining a corpus for new tortured phrases.
//!
//! A spinner turns an established term of a field into a word-by-word
//! synonym variant: "random forest" → "irregular woodland", "neural
//! network" → "neural organization". Such a variant is (1) a synonym
//! variant of a collocation that is frequent in the domain, (2) absent, or
//! nearly, from clean text, and (3) made of words that are odd for the
//! domain next to the words they replaced. The [`Miner`] counts 2- and
//! 3-word phrases in a suspect corpus and in a clean reference corpus, takes
//! the frequent ones as *established* terms, and reports every rare corpus
//! phrase that a [`Thesaurus`] links word by word to an established term, as
//! a [`Candidate`] ranked by evidence:
//!
//! - how established the expected term is (its count),
//! - how surprising the variant is: for each substituted word, how much
//!   rarer it is in the texts than the word it replaced,
//! - how many corpus documents carry the variant,
//! - how key its substituted words are to the corpus: how much more
//!   frequent they are there than in the reference.
//!
//! A candidate must occur in two corpus documents or more (by default),
//! and one that is nearly always part of the same longer phrase grows
//! into it ("get right" into "get right of entry to"; see
//! `Miner::extend`), so that the candidates are the phrases a list would
//! hold. Of the variants one list row would match alike ("irregular
//! woodland", "irregular woodlands"), only the best-ranked is proposed.
//!
//! Candidates are for a human to confirm; [`write_tsv`] exports them in the
//! list format (`tortured<TAB>expected`) that
//! [`Fingerprints`](crate::fingerprints::Fingerprints) loads.
//!
//! ```
//! use unspin_core::mine::{Miner, MineOptions, Thesaurus};
//! let thesaurus = Thesaurus::from_groups([vec!["forest", "woodland"], vec!["random", "irregular"]]);
//! let options = MineOptions { min_established: 2, min_docs: 1, ..MineOptions::default() };
//! let mut miner = Miner::new(&thesaurus, options);
//! miner.add_reference("We train a random forest. A random forest is robust.");
//! miner.add_corpus("An irregular woodland beats the baseline.");
//! let found = miner.candidates();
//! assert_eq!(found[0].tortured, "irregular woodland");
//! assert_eq!(found[0].expected, "random forest");
//! ```

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, Write};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::fingerprints::normalize::{normalize_phrase, Normalized};
use crate::lm::NgramLm;

/// A synonym thesaurus: words linked to their synonyms, both ways.
#[derive(Clone, Debug, Default)]
pub struct Thesaurus {
    links: HashMap<String, Vec<String>>,
}

impl Thesaurus {
    /// A thesaurus from synonym groups: every word of a group is linked to
    /// every other. Multi-word entries are skipped (mining is word by word).
    pub fn from_groups<I, G, S>(groups: I) -> Thesaurus
    where
        I: IntoIterator<Item = G>,
        G: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut t = Thesaurus::default();
        for g in groups {
            let words: Vec<String> = g
                .into_iter()
                .map(|w| w.as_ref().trim().to_lowercase())
                .filter(|w| !w.is_empty() && !w.contains(' '))
                .collect();
            for a in &words {
                for b in &words {
                    if a != b {
                        t.links.entry(a.clone()).or_default().push(b.clone());
                    }
                }
            }
        }
        t.finish();
        t
    }

    /// A thesaurus from headword entries (`word → synonyms`), linked both
    /// ways. Multi-word entries are skipped.
    pub fn from_entries<I, S, V>(entries: I) -> Thesaurus
    where
        I: IntoIterator<Item = (S, V)>,
        S: AsRef<str>,
        V: IntoIterator<Item = S>,
    {
        let mut t = Thesaurus::default();
        for (head, syns) in entries {
            let head = head.as_ref().trim().to_lowercase();
            if head.is_empty() || head.contains(' ') {
                continue;
            }
            for s in syns {
                let s = s.as_ref().trim().to_lowercase();
                if s.is_empty() || s.contains(' ') || s == head {
                    continue;
                }
                t.links.entry(head.clone()).or_default().push(s.clone());
                t.links.entry(s).or_default().push(head.clone());
            }
        }
        t.finish();
        t
    }

    /// Reads a MyThes data file (`th_en_US_v2.dat`: `word|n` then `n` lines
    /// `(pos)|syn|syn...`).
    pub fn from_mythes(reader: impl BufRead) -> Result<Thesaurus> {
        let mut entries: Vec<(String, Vec<String>)> = Vec::new();
        let mut lines = reader.lines();
        let mut lineno = 0usize;
        // first line names the encoding
        if lines.next().transpose()?.is_some() {
            lineno += 1;
        }
        while let Some(line) = lines.next().transpose()? {
            lineno += 1;
            let Some((word, n)) = line.split_once('|') else {
                return Err(Error::Training(format!(
                    "MyThes line {lineno}: expected `word|count`"
                )));
            };
            let n: usize = n.trim().parse().map_err(|_| {
                Error::Training(format!("MyThes line {lineno}: bad meaning count `{n}`"))
            })?;
            let mut syns = Vec::new();
            for _ in 0..n {
                let Some(m) = lines.next().transpose()? else {
                    break;
                };
                lineno += 1;
                syns.extend(m.split('|').skip(1).map(|s| {
                    // drop "(generic term)" style notes
                    s.split(" (").next().unwrap_or(s).to_string()
                }));
            }
            entries.push((word.to_string(), syns));
        }
        Ok(Thesaurus::from_entries(entries.iter().map(|(w, s)| {
            (w.as_str(), s.iter().map(String::as_str).collect::<Vec<_>>())
        })))
    }

    /// The thesaurus shipped with the library: Moby and WordNet, from the
    /// `thesaurus` crate (MIT). Takes a few seconds to decompress.
    #[cfg(feature = "builtin-thesaurus")]
    pub fn builtin() -> Thesaurus {
        let dict = thesaurus::dict();
        Thesaurus::from_entries(
            dict.iter()
                .map(|(k, v)| (k.as_str(), v.iter().map(String::as_str).collect::<Vec<_>>())),
        )
    }

    fn finish(&mut self) {
        for v in self.links.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
    }

    /// Number of words with at least one synonym.
    pub fn len(&self) -> usize {
        self.links.len()
    }

    /// True when the thesaurus has no words.
    pub fn is_empty(&self) -> bool {
        self.links.is_empty()
    }

    /// The synonyms of a lower-case word.
    pub fn synonyms(&self, word: &str) -> &[String] {
        self.links.get(word).map_or(&[], Vec::as_slice)
    }

    /// True when `a` and `b` are linked, directly or through their
    /// singular forms ("organizations" ~ "networks").
    pub fn linked(&self, a: &str, b: &str) -> bool {
        let direct = |x: &str, y: &str| {
            self.links
                .get(x)
                .is_some_and(|v| v.binary_search_by(|s| s.as_str().cmp(y)).is_ok())
        };
        direct(a, b) || {
            let (sa, sb) = (singular(a), singular(b));
            (sa != a || sb != b) && direct(sa, sb)
        }
    }
}

/// `phrase` with each (space-separated) word [`singular`].
fn singular_words(phrase: &str) -> String {
    phrase
        .split(' ')
        .map(singular)
        .collect::<Vec<_>>()
        .join(" ")
}

fn singular(w: &str) -> &str {
    match w.strip_suffix('s') {
        Some(s) if s.len() >= 3 && !s.ends_with('s') => s,
        _ => w,
    }
}

/// Settings of a [`Miner`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct MineOptions {
    /// a phrase counts as an established term from this many occurrences
    /// (corpus and reference together)
    pub min_established: usize,
    /// a candidate may occur at most this many times in the reference
    pub max_clean: usize,
    /// a candidate must occur in at least this many corpus documents (2 by
    /// default: a spinner's phrase recurs, while a phrase of one document
    /// is as often a writer's own odd wording)
    pub min_docs: usize,
    /// longest phrase, in words (2 or 3)
    pub max_words: usize,
}

impl Default for MineOptions {
    fn default() -> Self {
        MineOptions {
            min_established: 3,
            max_clean: 0,
            min_docs: 2,
            max_words: 3,
        }
    }
}

/// A candidate tortured phrase, with the evidence for it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// the variant found in the corpus
    pub tortured: String,
    /// the established term it varies
    pub expected: String,
    /// the ranking score (higher is stronger evidence)
    pub score: f64,
    /// occurrences in the corpus
    pub corpus_count: usize,
    /// corpus documents that carry it
    pub docs: usize,
    /// occurrences in the reference (clean) corpus
    pub clean_count: usize,
    /// occurrences of the expected term, corpus and reference
    pub established_count: usize,
    /// how many words were substituted
    pub substituted: usize,
    /// how many of the substitutions a known list taught
    /// ([`Miner::learn_from_list`])
    pub learned: usize,
    /// how well the variant's neighbours fit where the expected term is
    /// used (log ratio to chance; above 0 is a fit)
    pub context_fit: f64,
    /// how unattested the variant is as a collocation of general English,
    /// by the language model ([`Miner::set_language_model`]): minus the
    /// lowest pointwise mutual information (log10) of its adjacent words;
    /// 0 without a model
    #[serde(default)]
    pub unattested: f64,
    /// how much more frequent the substituted words are in the corpus
    /// than in the reference: the mean over them of the log ratio of their
    /// relative frequencies; 0 without a reference
    #[serde(default)]
    pub keyness: f64,
}

const STOPWORDS: &[&str] = &[
    "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
    "are", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both",
    "but", "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "either",
    "et", "etc", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her",
    "here", "hers", "him", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its",
    "itself", "just", "may", "me", "might", "more", "most", "must", "my", "no", "nor", "not",
    "now", "of", "off", "on", "once", "one", "only", "or", "other", "our", "ours", "out", "over",
    "own", "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs",
    "them", "then", "there", "these", "they", "this", "those", "through", "thus", "to", "too",
    "two", "under", "until", "up", "upon", "us", "using", "very", "via", "was", "we", "were",
    "what", "when", "where", "whether", "which", "while", "who", "whom", "why", "will", "with",
    "within", "without", "would", "yet", "you", "your",
];

type Gram = (u8, [u32; 3]);

#[derive(Clone, Copy, Debug, Default)]
struct Count {
    n: u32,
    docs: u32,
    /// last document counted, to count documents once
    last_doc: u32,
}

#[derive(Default)]
struct Side {
    grams: HashMap<Gram, Count>,
    words: HashMap<u32, u32>,
    docs: u32,
    /// every run of words, one after the other, each followed by BREAK
    seqs: Vec<u32>,
    /// where each document starts in `seqs`
    doc_starts: Vec<usize>,
}

impl Side {
    /// How many words were counted.
    fn total_words(&self) -> u64 {
        self.words.values().map(|&c| c as u64).sum()
    }

    /// The document (0-based) that position `p` of `seqs` belongs to.
    fn doc_of(&self, p: usize) -> usize {
        self.doc_starts
            .partition_point(|&s| s <= p)
            .saturating_sub(1)
    }
}

/// Separates runs of words in [`Side::seqs`]; also the "word" seen at a
/// run's edge when context is compared.
const BREAK: u32 = u32::MAX;

/// Where a phrase is used: its left and right neighbours.
#[derive(Default)]
struct Profile {
    n: u32,
    left: HashMap<u32, u32>,
    right: HashMap<u32, u32>,
    /// each occurrence's (left, right), kept for candidates only
    occurrences: Vec<(u32, u32)>,
}

/// Counts phrases in a corpus and a reference, then finds candidates.
pub struct Miner<'t> {
    thesaurus: &'t Thesaurus,
    options: MineOptions,
    vocab: HashMap<String, u32>,
    words: Vec<String>,
    stop: HashSet<u32>,
    corpus: Side,
    reference: Side,
    /// word substitutions learned from a known list: tortured → expected
    /// (singular forms)
    learned: HashMap<String, Vec<String>>,
    /// tortured phrases already listed (normalised) and their 2-3 word
    /// parts, never proposed again
    known: HashSet<String>,
    /// the listed phrases themselves (normalised): a candidate that
    /// contains one is what list matching already finds
    listed: HashSet<String>,
    /// general-English language model, see [`Miner::set_language_model`]
    lm: Option<&'t NgramLm>,
}

impl<'t> Miner<'t> {
    /// A miner with a thesaurus and settings.
    pub fn new(thesaurus: &'t Thesaurus, options: MineOptions) -> Miner<'t> {
        let mut m = Miner {
            thesaurus,
            options,
            vocab: HashMap::new(),
            words: Vec::new(),
            stop: HashSet::new(),
            corpus: Side::default(),
            reference: Side::default(),
            learned: HashMap::new(),
            known: HashSet::new(),
            listed: HashSet::new(),
            lm: None,
        };
        for w in STOPWORDS {
            let id = m.intern(w);
            m.stop.insert(id);
        }
        m
    }

    fn intern(&mut self, w: &str) -> u32 {
        if let Some(&id) = self.vocab.get(w) {
            return id;
        }
        let id = self.words.len() as u32;
        self.words.push(w.to_string());
        self.vocab.insert(w.to_string(), id);
        id
    }

    /// Learns from a list of known tortured phrases (`(tortured,
    /// expected)`): its phrases, their parts and the longer phrases that
    /// contain one of them are not proposed again, and the word
    /// substitutions of its rows of equal length ("neural organization" →
    /// "neural network": organization → network) become a dictionary of the
    /// spinners' habits, which links words like the thesaurus does and
    /// weighs as strong evidence.
    pub fn learn_from_list<'a>(&mut self, rows: impl IntoIterator<Item = (&'a str, &'a str)>) {
        for (tortured, expected) in rows {
            let t = normalize_phrase(tortured);
            let e = normalize_phrase(expected);
            // the phrase and every 2-3 word part of it are already known
            let words: Vec<&str> = t.split(' ').collect();
            for n in 2..=3 {
                for w in words.windows(n) {
                    self.known.insert(w.join(" "));
                }
            }
            self.known.insert(t.clone());
            self.listed.insert(singular_words(&t));
            let (tw, ew): (Vec<&str>, Vec<&str>) = (t.split(' ').collect(), e.split(' ').collect());
            if tw.len() != ew.len() {
                continue;
            }
            for (a, b) in tw.iter().zip(&ew) {
                let alpha = |w: &str| w.chars().all(char::is_alphabetic);
                if a != b && alpha(a) && alpha(b) && singular(a) != singular(b) {
                    let list = self.learned.entry(singular(a).to_string()).or_default();
                    if !list.iter().any(|x| x == singular(b)) {
                        list.push(singular(b).to_string());
                    }
                }
            }
        }
    }

    /// True when `phrase` (normalised) is listed or a part of a listed
    /// phrase, or contains a listed phrase in any number (list matching
    /// finds it).
    fn is_listed(&self, phrase: &str) -> bool {
        if self.known.contains(phrase) {
            return true;
        }
        let words: Vec<&str> = phrase.split(' ').map(singular).collect();
        (2..=words.len()).any(|n| words.windows(n).any(|w| self.listed.contains(&w.join(" "))))
    }

    /// Weighs candidates with a language model of general English (the
    /// built-in model's, [`crate::Model::lm`]). A spinner draws its words
    /// from a general thesaurus and puts them together regardless of
    /// collocation, so a tortured phrase is made of words the model knows
    /// in a combination it has not seen ("irregular woodland"), while rare
    /// genuine wording is either an attested collocation ("considerable
    /// portion", "glass ceiling") or technical vocabulary the model does not
    /// know ("polynomial approximation"). With a model, a variant whose
    /// substituted words are unknown to it is not proposed, and the less
    /// attested its word pairs, the higher it ranks.
    pub fn set_language_model(&mut self, lm: &'t NgramLm) {
        self.lm = Some(lm);
    }

    /// Minus the lowest pointwise mutual information (log10) of the
    /// adjacent word pairs of `g` that the language model knows both words
    /// of: high for word salad, low or negative for attested collocations.
    fn unattested(&self, g: &Gram) -> f64 {
        let Some(lm) = self.lm else { return 0.0 };
        let ids: Vec<Option<u32>> = g.1[..g.0 as usize]
            .iter()
            .map(|&w| lm.id(&self.words[w as usize]))
            .collect();
        let mut lowest: Option<f32> = None;
        for pair in ids.windows(2) {
            if let (Some(a), Some(b)) = (pair[0], pair[1]) {
                let pmi = lm.bigram(Some(a), b) - lm.unigram(Some(b));
                lowest = Some(lowest.map_or(pmi, |l| l.min(pmi)));
            }
        }
        lowest.map_or(0.0, |l| -l as f64)
    }

    /// The mean, over the words `p` substitutes, of the log ratio of their
    /// relative frequency in the corpus to that in the reference (with
    /// half a count added to each): a spinner's words are key words of
    /// the corpus it spun. 0 when either side is empty.
    fn keyness(&self, p: &Pairing, (corpus, reference): (u64, u64)) -> f64 {
        if corpus == 0 || reference == 0 {
            return 0.0;
        }
        let freq = |side: &Side, w: u32, total: u64| {
            (side.words.get(&w).copied().unwrap_or(0) as f64 + 0.5) / total as f64
        };
        let n = p.g.0 as usize;
        let ratios: Vec<f64> = (0..n)
            .filter(|&i| p.g.1[i] != p.e.1[i])
            .map(|i| {
                let w = p.g.1[i];
                (freq(&self.corpus, w, corpus) / freq(&self.reference, w, reference)).ln()
            })
            .collect();
        ratios.iter().sum::<f64>() / ratios.len().max(1) as f64
    }

    /// True when the known list substitutes `b` by `a` (singular forms).
    fn learned_link(&self, a: &str, b: &str) -> bool {
        self.learned
            .get(singular(a))
            .is_some_and(|v| v.iter().any(|x| x == singular(b)))
    }

    fn text(&self, g: &Gram) -> String {
        let words: Vec<&str> = g.1[..g.0 as usize]
            .iter()
            .map(|&w| self.words[w as usize].as_str())
            .collect();
        words.join(" ")
    }

    /// Adds one document of the suspect corpus.
    pub fn add_corpus(&mut self, text: &str) {
        let mut side = std::mem::take(&mut self.corpus);
        self.count(&mut side, text);
        self.corpus = side;
    }

    /// Adds one document of clean reference text.
    pub fn add_reference(&mut self, text: &str) {
        let mut side = std::mem::take(&mut self.reference);
        self.count(&mut side, text);
        self.reference = side;
    }

    /// Documents added so far: (corpus, reference).
    pub fn documents(&self) -> (usize, usize) {
        (self.corpus.docs as usize, self.reference.docs as usize)
    }

    fn count(&mut self, side: &mut Side, text: &str) {
        side.docs += 1;
        side.doc_starts.push(side.seqs.len());
        let doc = side.docs;
        let norm = Normalized::new(text);
        // runs of alphabetic words; punctuation and numbers break phrases,
        // and a hyphenated compound ("multi-turn") is one word
        let mut run: Vec<u32> = Vec::new();
        let max = self.options.max_words.clamp(2, 3);
        let flush = |run: &mut Vec<u32>, side: &mut Side| {
            for &w in run.iter() {
                *side.words.entry(w).or_default() += 1;
            }
            for n in 2..=max {
                for w in run.windows(n) {
                    let mut key = [BREAK; 3];
                    key[..n].copy_from_slice(w);
                    let c = side.grams.entry((n as u8, key)).or_default();
                    c.n += 1;
                    if c.last_doc != doc {
                        c.last_doc = doc;
                        c.docs += 1;
                    }
                }
            }
            side.seqs.extend_from_slice(run);
            side.seqs.push(BREAK);
            run.clear();
        };
        let mut prev_alpha = false;
        for (i, t) in norm.toks.iter().enumerate() {
            let s = norm.tok_str(i);
            let alpha = t.word
                && s.chars().next().is_some_and(char::is_alphabetic)
                && s.chars().all(|c| c.is_alphabetic() || c == '\'');
            if alpha && t.after_dash && prev_alpha {
                let last = run.pop().expect("a word before the dash");
                let compound = format!("{}-{s}", self.words[last as usize]);
                let id = self.intern(&compound);
                run.push(id);
            } else if alpha {
                let id = self.intern(s);
                run.push(id);
            } else if !run.is_empty() {
                flush(&mut run, side);
            }
            prev_alpha = alpha;
        }
        flush(&mut run, side);
    }

    /// Neighbour profiles of the given phrases, over corpus and reference.
    fn profiles(&self, wanted: &HashSet<Gram>, keep: &HashSet<Gram>) -> HashMap<Gram, Profile> {
        let mut out: HashMap<Gram, Profile> = HashMap::new();
        let max = self.options.max_words.clamp(2, 3);
        for side in [&self.corpus, &self.reference] {
            let seq = &side.seqs;
            for p in 0..seq.len() {
                for n in 2..=max {
                    if p + n > seq.len() || seq[p..p + n].contains(&BREAK) {
                        break;
                    }
                    let mut key = [BREAK; 3];
                    key[..n].copy_from_slice(&seq[p..p + n]);
                    let g = (n as u8, key);
                    if !wanted.contains(&g) {
                        continue;
                    }
                    let l = if p == 0 { BREAK } else { seq[p - 1] };
                    let r = seq.get(p + n).copied().unwrap_or(BREAK);
                    let prof = out.entry(g).or_default();
                    prof.n += 1;
                    *prof.left.entry(l).or_default() += 1;
                    *prof.right.entry(r).or_default() += 1;
                    if keep.contains(&g) && std::ptr::eq(side, &self.corpus) {
                        prof.occurrences.push((l, r));
                    }
                }
            }
        }
        out
    }

    /// How well `g`'s neighbours fit where `e` is used: the mean, over
    /// `g`'s corpus occurrences, of the log ratio between how often `e` has
    /// that neighbour and how often chance would give it.
    fn context_fit(&self, g: &Profile, e: &Profile, words: f64, breaks: f64) -> f64 {
        if g.occurrences.is_empty() || e.n == 0 {
            return 0.0;
        }
        let total = words + breaks;
        let freq = |w: u32| -> f64 {
            if w == BREAK {
                breaks
            } else {
                self.word_freq(w)
            }
        };
        let fit = |map: &HashMap<u32, u32>, w: u32| -> f64 {
            let seen = map.get(&w).copied().unwrap_or(0) as f64;
            let chance = e.n as f64 * freq(w) / total;
            ((seen + 1.0) / (chance + 1.0)).ln()
        };
        let sum: f64 = g
            .occurrences
            .iter()
            .map(|&(l, r)| fit(&e.left, l) + fit(&e.right, r))
            .sum();
        sum / g.occurrences.len() as f64
    }

    fn gram_count(side: &Side, g: &Gram) -> Count {
        side.grams.get(g).copied().unwrap_or_default()
    }

    fn word_freq(&self, w: u32) -> f64 {
        (self.corpus.words.get(&w).copied().unwrap_or(0)
            + self.reference.words.get(&w).copied().unwrap_or(0)) as f64
    }

    /// The candidates, best first.
    pub fn candidates(&self) -> Vec<Candidate> {
        let o = &self.options;
        // established terms by (length, singular first word)
        let mut totals: HashMap<Gram, usize> = HashMap::new();
        for (g, c) in self.corpus.grams.iter().chain(self.reference.grams.iter()) {
            *totals.entry(*g).or_default() += c.n as usize;
        }
        let mut established: HashMap<(u8, &str), Vec<(Gram, usize)>> = HashMap::new();
        for (g, &total) in &totals {
            let n = g.0 as usize;
            if total < o.min_established
                || self.stop.contains(&g.1[0])
                || self.stop.contains(&g.1[n - 1])
            {
                continue;
            }
            let first = singular(&self.words[g.1[0] as usize]);
            established
                .entry((g.0, first))
                .or_default()
                .push((*g, total));
        }
        // every (variant, term) pair the thesaurus links word by word
        let mut pairs: Vec<Pairing> = Vec::new();
        for (g, c) in &self.corpus.grams {
            let n = g.0 as usize;
            let w = &g.1[..n];
            if (c.docs as usize) < o.min_docs
                || self.stop.contains(&w[0])
                || self.stop.contains(&w[n - 1])
            {
                continue;
            }
            let clean = Self::gram_count(&self.reference, g).n as usize;
            if clean > o.max_clean {
                continue;
            }
            if !self.known.is_empty() && self.is_listed(&self.text(g)) {
                continue;
            }
            let first = self.words[w[0] as usize].as_str();
            let mut firsts: Vec<&str> = std::iter::once(first)
                .chain(self.thesaurus.synonyms(first).iter().map(String::as_str))
                .chain(
                    self.thesaurus
                        .synonyms(singular(first))
                        .iter()
                        .map(String::as_str),
                )
                .chain(
                    self.learned
                        .get(singular(first))
                        .into_iter()
                        .flatten()
                        .map(String::as_str),
                )
                .map(singular)
                .collect();
            firsts.sort_unstable();
            firsts.dedup();
            for f in firsts {
                let Some(list) = established.get(&(g.0, f)) else {
                    continue;
                };
                for (e, total) in list {
                    if e != g {
                        if let Some(p) = self.pairing(g, c, clean, e, *total) {
                            pairs.push(p);
                        }
                    }
                }
            }
        }
        let wanted: HashSet<Gram> = pairs.iter().flat_map(|p| [p.g, p.e]).collect();
        let keep: HashSet<Gram> = pairs.iter().map(|p| p.g).collect();
        let profiles = self.profiles(&wanted, &keep);
        let breaks = self
            .corpus
            .seqs
            .iter()
            .chain(&self.reference.seqs)
            .filter(|&&w| w == BREAK)
            .count();
        let words = self.corpus.seqs.len() + self.reference.seqs.len() - breaks;
        let empty = Profile::default();
        let sizes = (self.corpus.total_words(), self.reference.total_words());
        let mut best: HashMap<Gram, Candidate> = HashMap::new();
        for p in pairs {
            let fit = self.context_fit(
                profiles.get(&p.g).unwrap_or(&empty),
                profiles.get(&p.e).unwrap_or(&empty),
                words as f64,
                breaks as f64,
            );
            // the domain evidence: the substituted words rarer than the
            // words they replace, the neighbours those words fit, how
            // established the expected term is, the clean occurrences
            let domain =
                p.surprise + 0.5 * fit + 0.5 * (1.0 + p.total as f64).ln() - 2.0 * p.clean as f64;
            let unattested = self.unattested(&p.g);
            let keyness = self.keyness(&p, sizes);
            // a spinner's words are over-represented in the corpus it
            // spun, next to clean text of the same field
            let score = 0.5 * keyness
                + if self.lm.is_some() {
                    // with a model, how unattested the variant is in
                    // general English and how many documents carry it
                    // lead; the domain evidence breaks ties
                    0.2 * domain + p.learned as f64 + (p.docs as f64).ln() + unattested
                } else {
                    domain + 3.0 * p.learned as f64 + 0.5 * (p.docs as f64).ln()
                };
            let text = |g: &Gram| -> String {
                g.1[..g.0 as usize]
                    .iter()
                    .map(|&w| self.words[w as usize].as_str())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            let cand = Candidate {
                tortured: text(&p.g),
                expected: text(&p.e),
                score,
                corpus_count: p.count,
                docs: p.docs,
                clean_count: p.clean,
                established_count: p.total,
                substituted: p.substituted,
                learned: p.learned,
                context_fit: fit,
                unattested,
                keyness,
            };
            match best.get(&p.g) {
                Some(b) if b.score >= cand.score => {}
                _ => {
                    best.insert(p.g, cand);
                }
            }
        }
        let extended = self.extend(best);
        let mut out: Vec<Candidate> = closed(extended);
        out.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.tortured.cmp(&b.tortured))
        });
        folded(out)
    }

    /// The pairing of `g` with `e` when `g` is a word-by-word synonym
    /// variant of `e` whose substituted words are rarer than the originals.
    fn pairing(
        &self,
        g: &Gram,
        c: &Count,
        clean: usize,
        e: &Gram,
        total: usize,
    ) -> Option<Pairing> {
        let n = g.0 as usize;
        let mut substituted = 0;
        let mut learned = 0;
        let mut surprise = 0.0;
        for i in 0..n {
            let (a, b) = (g.1[i], e.1[i]);
            if a == b {
                continue;
            }
            if self.stop.contains(&a) || self.stop.contains(&b) {
                return None;
            }
            let (wa, wb) = (&self.words[a as usize], &self.words[b as usize]);
            // inflections of one word are not a substitution
            if singular(wa) == singular(wb) {
                return None;
            }
            if self.learned_link(wa, wb) {
                learned += 1;
            } else if !self.thesaurus.linked(wa, wb) {
                return None;
            }
            // a spinner's words are general vocabulary
            if self.lm.is_some_and(|lm| lm.id(wa).is_none()) {
                return None;
            }
            substituted += 1;
            surprise += ((self.word_freq(b) + 1.0) / (self.word_freq(a) + 1.0)).ln();
        }
        if substituted == 0 || surprise <= 0.0 {
            return None;
        }
        Some(Pairing {
            g: *g,
            e: *e,
            count: c.n as usize,
            docs: c.docs as usize,
            clean,
            total,
            substituted,
            learned,
            surprise,
        })
    }
}

/// Longest phrase, in words, that [`Miner::extend`] grows a candidate to.
const MAX_EXTENDED_WORDS: usize = 6;

/// At most this many different neighbours split an extension into
/// branches ("get right of" → "get right of entry", "get right of
/// section").
const MAX_BRANCHES: usize = 3;

/// The share of a candidate's occurrences that its extensions must cover
/// (the rest, left out, have another word there, or none).
const MIN_EXTENSION_SHARE: f64 = 0.9;

/// Words that an extension does not end on: determiners ("the test set"
/// is the term "test set") and words that need one after them ("of",
/// "and", "or").
const DANGLING: &[&str] = &[
    "a", "an", "the", "this", "that", "these", "those", "its", "their", "our", "his", "her", "of",
    "and", "or",
];

/// The corpus occurrences of one phrase: where each starts in
/// [`Side::seqs`], and how many words the phrase has.
#[derive(Clone, Debug)]
struct Occurrences {
    starts: Vec<usize>,
    n: usize,
    /// words added on the left and on the right of the candidate
    left: usize,
    right: usize,
}

impl Miner<'_> {
    /// Grows each candidate into the longer phrase it is always part of.
    ///
    /// Phrases are counted up to three words, but a spinner's rewrite of a
    /// term can be longer ("get right of entry to" for "access", "in
    /// genuine time" for "in real time"), and then each 2-3 word window of
    /// it is found on its own, a part that no list entry equals. A
    /// candidate whose corpus occurrences (two or more, in two or more
    /// documents) have the same word on one side is extended by that
    /// word, repeatedly, up to [`MAX_EXTENDED_WORDS`] words; where the
    /// neighbours are a few words each seen so ("of entry", "of section"),
    /// the candidate splits into one per word. Nine occurrences in ten
    /// are enough ("all" allows no typo, no sentence end), and an
    /// extension never ends on a determiner, "of", "and" or "or".
    fn extend(&self, best: HashMap<Gram, Candidate>) -> Vec<Candidate> {
        let seq = &self.corpus.seqs;
        let mut starts: HashMap<Gram, Vec<usize>> = best.keys().map(|g| (*g, Vec::new())).collect();
        for p in 0..seq.len() {
            for n in 2..=3 {
                if p + n > seq.len() || seq[p..p + n].contains(&BREAK) {
                    break;
                }
                let mut key = [BREAK; 3];
                key[..n].copy_from_slice(&seq[p..p + n]);
                if let Some(v) = starts.get_mut(&(n as u8, key)) {
                    v.push(p);
                }
            }
        }
        let mut out: HashMap<String, Candidate> = HashMap::new();
        for (g, cand) in best {
            let occ = Occurrences {
                starts: starts.remove(&g).unwrap_or_default(),
                n: g.0 as usize,
                left: 0,
                right: 0,
            };
            let grown = self.grow(occ);
            let docs_weight = if self.lm.is_some() { 1.0 } else { 0.5 };
            for o in grown {
                let c = if o.left == 0 && o.right == 0 {
                    cand.clone()
                } else {
                    let s = o.starts[0];
                    let added = |r: std::ops::Range<usize>| -> Vec<&str> {
                        seq[r]
                            .iter()
                            .map(|&w| self.words[w as usize].as_str())
                            .collect()
                    };
                    let left = added(s..s + o.left);
                    let right = added(s + o.n - o.right..s + o.n);
                    let tortured = added(s..s + o.n).join(" ");
                    if self.is_listed(&tortured) {
                        continue;
                    }
                    let expected: Vec<&str> = left
                        .iter()
                        .copied()
                        .chain(std::iter::once(cand.expected.as_str()))
                        .chain(right.iter().copied())
                        .collect();
                    let docs = self.docs_of(&o.starts);
                    Candidate {
                        tortured,
                        expected: expected.join(" "),
                        score: cand.score
                            + docs_weight * ((docs as f64).ln() - (cand.docs as f64).ln()),
                        corpus_count: o.starts.len(),
                        docs,
                        ..cand.clone()
                    }
                };
                match out.get(&c.tortured) {
                    Some(b) if b.score >= c.score => {}
                    _ => {
                        out.insert(c.tortured.clone(), c);
                    }
                }
            }
        }
        out.into_values().collect()
    }

    /// Distinct corpus documents of occurrences starting at `starts`.
    fn docs_of(&self, starts: &[usize]) -> usize {
        let mut docs: Vec<usize> = starts.iter().map(|&p| self.corpus.doc_of(p)).collect();
        docs.sort_unstable();
        docs.dedup();
        docs.len()
    }

    /// The phrases `occ` grows into (itself when it does not grow).
    fn grow(&self, occ: Occurrences) -> Vec<Occurrences> {
        let seq = &self.corpus.seqs;
        let mut done = Vec::new();
        let mut todo = vec![occ];
        while let Some(o) = todo.pop() {
            let right = self.branch(&o, |s| seq.get(s + o.n).copied().unwrap_or(BREAK));
            let left = self.branch(&o, |s| if s == 0 { BREAK } else { seq[s - 1] });
            match (right, left) {
                (Some(groups), _) => todo.extend(groups.into_iter().map(|starts| Occurrences {
                    starts,
                    n: o.n + 1,
                    right: o.right + 1,
                    ..o
                })),
                (None, Some(groups)) => todo.extend(groups.into_iter().map(|starts| Occurrences {
                    starts: starts.iter().map(|s| s - 1).collect(),
                    n: o.n + 1,
                    left: o.left + 1,
                    ..o
                })),
                (None, None) => done.push(self.trim(o)),
            }
        }
        done
    }

    /// The occurrences of `o` grouped by the neighbour `next` gives, when
    /// `o` can grow that way: it is shorter than [`MAX_EXTENDED_WORDS`],
    /// occurs twice or more, and at most [`MAX_BRANCHES`] words, each seen
    /// there in two documents or more, cover [`MIN_EXTENSION_SHARE`] of
    /// its occurrences.
    fn branch(&self, o: &Occurrences, next: impl Fn(usize) -> u32) -> Option<Vec<Vec<usize>>> {
        if o.n >= MAX_EXTENDED_WORDS || o.starts.len() < 2 {
            return None;
        }
        let mut groups: HashMap<u32, Vec<usize>> = HashMap::new();
        for &s in &o.starts {
            groups.entry(next(s)).or_default().push(s);
        }
        groups.remove(&BREAK);
        let mut groups: Vec<Vec<usize>> = groups
            .into_values()
            .filter(|g| self.docs_of(g) >= 2)
            .collect();
        let covered: usize = groups.iter().map(Vec::len).sum();
        if groups.is_empty()
            || groups.len() > MAX_BRANCHES
            || (covered as f64) < MIN_EXTENSION_SHARE * o.starts.len() as f64
        {
            return None;
        }
        groups.sort();
        Some(groups)
    }

    /// `o` without the [`DANGLING`] words its extension ends on.
    fn trim(&self, mut o: Occurrences) -> Occurrences {
        let seq = &self.corpus.seqs;
        let is_det = |w: u32| DANGLING.contains(&self.words[w as usize].as_str());
        while o.left > 0 && is_det(seq[o.starts[0]]) {
            o.starts.iter_mut().for_each(|s| *s += 1);
            o.n -= 1;
            o.left -= 1;
        }
        while o.right > 0 && is_det(seq[o.starts[0] + o.n - 1]) {
            o.n -= 1;
            o.right -= 1;
        }
        o
    }
}

/// Keeps the first (best) of the ranked candidates that one list row
/// would match alike: a list matches its row's head word in either number
/// and in its -ed/-ing forms ([`crate::fingerprints`]), so "random forest"
/// covers "random forests", and a reviewer reads the phrase once.
fn folded(ranked: Vec<Candidate>) -> Vec<Candidate> {
    let mut covered: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(ranked.len());
    for c in ranked {
        if covered.contains(&c.tortured) {
            continue;
        }
        let (init, head) = match c.tortured.rsplit_once(' ') {
            Some((init, head)) => (format!("{init} "), head),
            None => (String::new(), c.tortured.as_str()),
        };
        for form in crate::fingerprints::normalize::inflections(head) {
            covered.insert(format!("{init}{form}"));
        }
        out.push(c);
    }
    out
}

/// Keeps one phrase per substitution: a candidate never seen outside a
/// longer candidate is part of it ("intermittent neural" of "intermittent
/// neural organizations"), and a candidate that only adds unchanged words to
/// a more frequent shorter one is that one in context ("herbal speech
/// processing" beside "herbal speech").
fn closed(cands: Vec<Candidate>) -> Vec<Candidate> {
    let count: HashMap<&str, usize> = cands
        .iter()
        .map(|c| (c.tortured.as_str(), c.corpus_count))
        .collect();
    let mut drop: HashSet<String> = HashSet::new();
    for c in &cands {
        let t: Vec<&str> = c.tortured.split(' ').collect();
        let e: Vec<&str> = c.expected.split(' ').collect();
        for n in 2..t.len() {
            for part in t.windows(n) {
                let part = part.join(" ");
                if count
                    .get(part.as_str())
                    .is_some_and(|&k| k <= c.corpus_count)
                {
                    drop.insert(part);
                }
            }
        }
        if t.len() > 2 && t.len() == e.len() {
            let last = t.len() - 1;
            let shorter = [
                (t[0] == e[0]).then(|| t[1..].join(" ")),
                (t[last] == e[last]).then(|| t[..last].join(" ")),
            ];
            if shorter
                .iter()
                .flatten()
                .any(|s| count.get(s.as_str()).is_some_and(|&k| k > c.corpus_count))
            {
                drop.insert(c.tortured.clone());
            }
        }
    }
    cands
        .into_iter()
        .filter(|c| !drop.contains(&c.tortured))
        .collect()
}

/// A variant linked to an established term, before context is weighed.
struct Pairing {
    g: Gram,
    e: Gram,
    count: usize,
    docs: usize,
    clean: usize,
    total: usize,
    substituted: usize,
    learned: usize,
    surprise: f64,
}

/// Writes candidates in the TSV list format (`tortured<TAB>expected`),
/// preceded by a `#` comment line that [`Fingerprints`] loading skips.
///
/// [`Fingerprints`]: crate::fingerprints::Fingerprints
pub fn write_tsv(candidates: &[Candidate], mut out: impl Write) -> std::io::Result<()> {
    writeln!(
        out,
        "# candidate tortured phrases from `unspin mine`: confirm each by hand"
    )?;
    for c in candidates {
        writeln!(out, "{}\t{}", c.tortured, c.expected)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Options that keep phrases of a single corpus document.
    fn one_doc() -> MineOptions {
        MineOptions {
            min_docs: 1,
            ..MineOptions::default()
        }
    }

    fn thesaurus() -> Thesaurus {
        Thesaurus::from_entries([
            ("forest", vec!["woodland", "wood"]),
            ("random", vec!["irregular", "arbitrary"]),
            ("network", vec!["organization", "web"]),
            ("large", vec!["big"]),
        ])
    }

    #[test]
    fn finds_word_by_word_variants() {
        let t = thesaurus();
        let mut m = Miner::new(&t, one_doc());
        for _ in 0..3 {
            m.add_reference(
                "A random forest and a neural network. A large dataset, a big dataset.",
            );
        }
        m.add_corpus("We used an irregular woodland and a neural organization.");
        m.add_corpus("Neural organizations were trained on a big dataset.");
        let c = m.candidates();
        let pairs: Vec<(&str, &str)> = c
            .iter()
            .map(|c| (c.tortured.as_str(), c.expected.as_str()))
            .collect();
        assert!(
            pairs.contains(&("irregular woodland", "random forest")),
            "{pairs:?}"
        );
        // "big dataset" occurs in clean text: not a candidate
        assert!(!pairs.iter().any(|p| p.0 == "big dataset"), "{pairs:?}");
        let woodland = c
            .iter()
            .find(|c| c.tortured == "irregular woodland")
            .unwrap();
        assert_eq!(
            (woodland.substituted, woodland.docs, woodland.clean_count),
            (2, 1, 0)
        );
        // singular and plural of a term's variant: one candidate, as one
        // list row matches both
        let organizations: Vec<&(&str, &str)> = pairs
            .iter()
            .filter(|p| p.0.starts_with("neural organization"))
            .collect();
        assert_eq!(organizations.len(), 1, "{pairs:?}");
        assert!(
            organizations[0].1.starts_with("neural network"),
            "{pairs:?}"
        );
    }

    #[test]
    fn candidates_grow_into_the_longer_phrase_they_are_part_of() {
        let t = Thesaurus::from_entries([
            ("access", vec!["entry", "section"]),
            ("forest", vec!["woodland"]),
            ("random", vec!["irregular"]),
            ("get", vec!["obtain"]),
            ("right", vec!["correct"]),
        ]);
        let mut m = Miner::new(&t, MineOptions::default());
        for _ in 0..8 {
            m.add_reference("Users obtain correct data. A random forest is robust.");
        }
        // "get right" is always followed by "of", then by "entry to" or by
        // "section to"; "irregular woodland" has varied neighbours, after
        // a determiner
        let docs = [
            "Nodes get right of entry to the cloud; the irregular woodland wins.",
            "Users get right of entry to data. An irregular woodland fails here.",
            "Agents get right of section to files, as irregular woodland models do.",
            "Clients get right of section to logs. We prune the irregular woodland.",
            "Peers get right of entry to peers. Our irregular woodland is small.",
        ];
        for d in docs {
            m.add_corpus(d);
        }
        let c = m.candidates();
        let found: Vec<(&str, usize, usize)> = c
            .iter()
            .map(|c| (c.tortured.as_str(), c.corpus_count, c.docs))
            .collect();
        assert!(
            found.contains(&("get right of entry to", 3, 3)),
            "{found:?}"
        );
        assert!(
            found.contains(&("get right of section to", 2, 2)),
            "{found:?}"
        );
        assert!(!found.iter().any(|f| f.0 == "get right"), "{found:?}");
        assert!(found.contains(&("irregular woodland", 5, 5)), "{found:?}");
        let entry = c
            .iter()
            .find(|c| c.tortured == "get right of entry to")
            .unwrap();
        assert_eq!(entry.expected, "obtain correct of entry to");

        // always after "the", but a term does not end on its determiner
        let mut m = Miner::new(&t, MineOptions::default());
        for _ in 0..8 {
            m.add_reference("A random forest is robust.");
        }
        for d in [
            "Train the irregular woodland.",
            "Prune the irregular woodland.",
            "Fit the irregular woodland.",
        ] {
            m.add_corpus(d);
        }
        let found: Vec<String> = m.candidates().into_iter().map(|c| c.tortured).collect();
        assert_eq!(found, ["irregular woodland"]);
    }

    #[test]
    fn a_known_list_teaches_substitutions() {
        let t = Thesaurus::default();
        let mut m = Miner::new(&t, one_doc());
        for _ in 0..3 {
            m.add_reference("A neural network and a deep network.");
        }
        m.add_corpus("A deep organization and a neural organization.");
        assert!(m.candidates().is_empty(), "no thesaurus, no list: nothing");
        m.learn_from_list([("neural organization", "neural network")]);
        let c = m.candidates();
        let pairs: Vec<(&str, &str)> = c
            .iter()
            .map(|c| (c.tortured.as_str(), c.expected.as_str()))
            .collect();
        // the listed phrase is not proposed again; its substitution is reused
        assert_eq!(pairs, [("deep organization", "deep network")]);
        assert_eq!(c[0].learned, 1);
    }

    #[test]
    fn a_phrase_containing_a_listed_one_is_not_proposed() {
        let t = Thesaurus::default();
        let mut m = Miner::new(&t, one_doc());
        m.learn_from_list([("neural organization", "neural network")]);
        assert!(m.is_listed("neural organization"));
        assert!(m.is_listed("deep neural organization training"));
        assert!(
            m.is_listed("neural organizations"),
            "list matching finds plurals"
        );
        assert!(!m.is_listed("deep organization"));
        assert!(!m.is_listed("organization"));
    }

    fn cand(tortured: &str, expected: &str, count: usize) -> Candidate {
        Candidate {
            tortured: tortured.into(),
            expected: expected.into(),
            score: 1.0,
            corpus_count: count,
            docs: count,
            clean_count: 0,
            established_count: 3,
            substituted: 1,
            learned: 0,
            context_fit: 0.0,
            unattested: 0.0,
            keyness: 0.0,
        }
    }

    #[test]
    fn one_phrase_per_substitution() {
        let kept = closed(vec![
            cand("intermittent neural", "recurrent neural", 3),
            cand(
                "intermittent neural organizations",
                "recurrent neural networks",
                3,
            ),
            cand("neural organizations", "neural networks", 5),
            cand("herbal speech", "natural language", 4),
            cand("herbal speech processing", "natural language processing", 2),
        ]);
        let names: Vec<&str> = kept.iter().map(|c| c.tortured.as_str()).collect();
        // never seen alone: part of the longer one; seen alone more often:
        // its own phrase; an unchanged word added to a more frequent phrase
        assert_eq!(
            names,
            [
                "intermittent neural organizations",
                "neural organizations",
                "herbal speech"
            ]
        );
    }

    #[test]
    fn a_phrase_a_list_row_would_match_is_proposed_once() {
        let kept = folded(vec![
            cand("irregular woodland", "random forest", 5),
            cand("irregular woodlands", "random forests", 3),
            cand("neural organizations", "neural networks", 4),
            cand("arbitrary woodland", "random forest", 2),
            cand("irregular woodland", "random wood", 2),
            cand("neural organization", "neural network", 2),
            cand("woodlands irregular", "forests random", 1),
        ]);
        let names: Vec<&str> = kept.iter().map(|c| c.tortured.as_str()).collect();
        // the first of each head word's numbers; other words stay apart
        assert_eq!(
            names,
            [
                "irregular woodland",
                "neural organizations",
                "arbitrary woodland",
                "woodlands irregular"
            ]
        );
    }

    /// A language model that knows "considerable portion" as a collocation
    /// and every word below but "arbitrary".
    fn general_english() -> crate::Model {
        let mut b = crate::build::ModelBuilder::new();
        for (w, p) in [
            ("<s>", -99.0),
            ("</s>", -1.0),
            ("considerable", -3.0),
            ("portion", -3.0),
            ("large", -2.5),
            ("number", -2.5),
            ("irregular", -4.0),
            ("woodland", -4.0),
            ("random", -3.5),
            ("forest", -3.5),
        ] {
            b.lm.add(&[w], p, -0.3).unwrap();
        }
        b.lm.add(&["considerable", "portion"], -0.7, 0.0).unwrap();
        crate::Model::from_bytes(&b.to_bytes().unwrap()).unwrap()
    }

    #[test]
    fn a_language_model_tells_collocations_from_word_salad() {
        let t = Thesaurus::from_entries([
            ("large", vec!["considerable"]),
            ("number", vec!["portion"]),
            ("random", vec!["irregular", "arbitrary"]),
            ("forest", vec!["woodland"]),
        ]);
        let model = general_english();
        let run = |lm: bool| {
            let mut m = Miner::new(&t, one_doc());
            if lm {
                m.set_language_model(model.lm());
            }
            for _ in 0..3 {
                m.add_reference("A large number of trees. A random forest.");
            }
            m.add_corpus("A considerable portion of an irregular woodland.");
            m.add_corpus("An arbitrary forest.");
            m.candidates()
        };
        let names =
            |c: &[Candidate]| -> Vec<String> { c.iter().map(|c| c.tortured.clone()).collect() };
        let without = run(false);
        assert!(names(&without).contains(&"arbitrary forest".to_string()));
        assert!(without.iter().all(|c| c.unattested == 0.0));
        let with = run(true);
        // "arbitrary" is unknown to the model: not a spinner's word
        assert_eq!(names(&with), ["irregular woodland", "considerable portion"]);
        assert!(with[0].unattested > 0.0, "{with:?}");
        assert!(with[1].unattested < 0.0, "{with:?}");
    }

    #[test]
    fn words_the_reference_uses_less_are_key() {
        let t = thesaurus();
        let mut m = Miner::new(&t, one_doc());
        for _ in 0..3 {
            // "web" is a word of the field, "organization" is not
            m.add_reference("A neural network and a neural network. The web page.");
        }
        m.add_corpus("A neural organization and a neural web.");
        let c = m.candidates();
        let key = |tortured: &str| {
            c.iter()
                .find(|c| c.tortured == tortured)
                .unwrap_or_else(|| panic!("{tortured} in {c:?}"))
                .keyness
        };
        assert!(key("neural organization") > 0.0, "{c:?}");
        assert!(
            key("neural organization") > key("neural web") + 1.0,
            "{c:?}"
        );
        assert_eq!(c[0].tortured, "neural organization", "{c:?}");
    }

    #[test]
    fn rare_established_terms_are_ignored() {
        let t = thesaurus();
        let mut m = Miner::new(&t, MineOptions::default());
        m.add_reference("a random forest");
        m.add_corpus("an irregular woodland");
        assert!(m.candidates().is_empty());
    }

    #[test]
    fn thesaurus_links_both_ways_and_by_singular() {
        let t = thesaurus();
        assert!(t.linked("woodland", "forest") && t.linked("forest", "woodland"));
        assert!(t.linked("organizations", "networks"));
        assert!(!t.linked("forest", "network"));
        let g = Thesaurus::from_groups([vec!["a1", "b1", "c d"]]);
        assert_eq!(g.synonyms("a1"), ["b1"]);
    }

    #[test]
    fn mythes_format() {
        let dat =
            "UTF-8\nforest|1\n(noun)|woodland|timberland (generic term)\nwood|1\n(noun)|forest\n";
        let t = Thesaurus::from_mythes(dat.as_bytes()).unwrap();
        assert!(t.linked("forest", "timberland"));
        assert!(t.linked("wood", "forest"));
        assert!(Thesaurus::from_mythes("UTF-8\nforest\n".as_bytes()).is_err());
    }

    #[test]
    fn tsv_export_loads_as_a_list() {
        let c = vec![Candidate {
            tortured: "irregular woodland".into(),
            expected: "random forest".into(),
            score: 1.0,
            corpus_count: 1,
            docs: 1,
            clean_count: 0,
            established_count: 3,
            substituted: 2,
            learned: 0,
            context_fit: 0.0,
            unattested: 0.0,
            keyness: 0.0,
        }];
        let mut buf = Vec::new();
        write_tsv(&c, &mut buf).unwrap();
        let fp = crate::fingerprints::Fingerprints::from_reader(
            &buf[..],
            crate::fingerprints::ListFormat::Tsv,
            "mined",
        )
        .unwrap();
        assert_eq!(fp.len(), 1);
        assert_eq!(
            fp.find("an irregular woodland")[0].expected,
            "random forest"
        );
    }
}
