//! Detect and restore: a noisy-channel decoder over a lattice of candidate
//! originals.
//!
//! For each sentence the decoder considers, at every word, keeping the word
//! or replacing a span of one to three words by a candidate original from
//! the [`Lexicon`] (reverse synonyms, inflected).
//! A path is scored by the language model over the words it emits plus the
//! channel: `ln(1 - ρ)` for keeping a word that could have been spun,
//! `ln ρ + ln P(spun | original) - margin` for undoing a substitution, and a
//! discount of part of the candidate's plain frequency advantage (so that a
//! common word does not replace a correct rare one merely for being
//! common). A beam search finds the best path, so neighbouring spun words
//! are undone jointly ("Chilly Conflict period" → "Cold War era").
//!
//! The document weighs in twice: in a text that reads as spun, undoing a
//! substitution to a less common word the text uses elsewhere earns a
//! bonus (a spinner swaps some occurrences of a word and leaves others:
//! "stated" where "said" stands elsewhere), and changing a word the text
//! repeats costs more (a writer's repeated word is more often genuine than
//! a spinner's pick).
//!
//! Detection reads the same lattice: a word's posterior of having been
//! substituted is the share of the probability mass, with its decoded
//! neighbours fixed, that goes to the candidates rather than to keeping it.
//! A word the language model does not know is touched only when it reads
//! as an ordinary lower-case word with candidates (spinners reach for rare
//! thesaurus entries: "axerophthol" for "vitamin A"); names, acronyms,
//! numbers and unknown words the document repeats (its own terms) are left
//! alone.
//!
//! See DESIGN.md for the reasoning and the measured effect of each part.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::sync::Arc;

use crate::fingerprints::Fingerprints;
use crate::lexicon::morph::Infl;
use crate::lexicon::Lexicon;
use crate::lm::{LmState, NgramLm};
use crate::model::{Model, Params};
use crate::record::{Change, Detection, Restoration, Span};
use crate::rescore::SpanFeatures;
use crate::style::WordFix;
use crate::text::{Case, Text, Word};

const LN10: f32 = std::f32::consts::LN_10;
/// Longest spun phrase considered, in words.
const MAX_SPAN: usize = 3;
/// Sentences decoded together; a longer document is decoded part by part
/// (see `Unspinner::analyze`).
const SENTENCES_PER_PART: usize = 2_000;
/// Candidates kept per spun phrase (the likeliest under the channel).
const MAX_CANDIDATES: usize = 20;
/// Hypotheses kept per word boundary.
const BEAM: usize = 4;
/// The same in the second pass over a text that reads as spun, whose
/// lattice is wider and whose changes come in runs.
const BEAM_WHEN_SPUN: usize = 8;
/// Alternatives kept per span after local scoring.
const ALTS_PER_SPAN: usize = 10;
/// Candidates of each of two neighbouring words tried as pairs.
const PAIR_CANDIDATES: usize = 12;
/// A candidate pair whose bigram is at least this likely (log10) is kept.
const PAIR_MIN_LOG10: f32 = -1.5;
/// Further alternatives kept per span for fitting one neighbour only.
const ALTS_ONE_SIDE: usize = 4;
/// A word of the document is a term of its own, for the document-term
/// bonus, when its unigram is below this (log10): "said" and rarer, not
/// "the" or "to".
const DOC_TERM_MAX_LOG10: f32 = -2.5;

/// Detects and restores spun text with one model. Cheap to clone; share it
/// across threads.
#[derive(Clone, Debug)]
pub struct Unspinner {
    model: Model,
    fingerprints: Option<Arc<Fingerprints>>,
    phrase_starts: Arc<PhraseStarts>,
    cache: Arc<Cache<Candidates>>,
    /// the wide lists, by spun phrase (`Params::wide_when_spun`)
    wide_cache: Arc<Cache<Candidates>>,
    /// an original's forms in each inflection slot (indexed by `Infl as
    /// usize`, then lexicon id), made on first use: each original serves
    /// many spun phrases
    forms: Arc<Vec<std::sync::OnceLock<Vec<std::sync::OnceLock<Forms>>>>>,
    /// ln Z(original) of the familiarity channel, by original
    norms: Arc<Cache<f32>>,
    /// ln Σ P(form)^familiarity over a lexicon phrase's forms in each
    /// inflection slot (indexed by `Infl as usize`), for the normalisers:
    /// each phrase is the synonym of many originals
    familiarity: Arc<Vec<PhraseValues>>,
    /// decode a document's sentences on rayon's pool
    parallel: bool,
    /// let the second decoding reuse the first's work (always, but in a
    /// test that checks the shortcut against the plain computation)
    reuse_first_pass: bool,
    /// sentences decoded together ([`SENTENCES_PER_PART`] but in a test)
    sentences_per_part: usize,
}

/// A candidate original: its text, its LM ids, ln P(spun | original) by
/// the thesaurus, and the familiarity channel's correction to
/// `channel_weight` × that, in ln units (0 without familiarity).
type Candidate = (Arc<str>, Arc<[u32]>, f32, f32);
type Candidates = Arc<Vec<Candidate>>;

/// The forms of an original in one inflection slot whose words the
/// language model knows.
type Forms = Arc<Vec<Form>>;
/// A form: its text, its LM ids and ln P(form) out of context (its first
/// word's unigram, then bigrams along the phrase).
type Form = (Arc<str>, Arc<[u32]>, f32);

/// Values by phrase (candidate lists by spun phrase, normalisers by
/// original), shared by every thread using one unspinner. Bounded: it is
/// emptied when it reaches its capacity.
#[derive(Debug)]
struct Cache<V> {
    map: std::sync::RwLock<HashMap<String, V>>,
}

impl<V> Default for Cache<V> {
    fn default() -> Cache<V> {
        Cache {
            map: Default::default(),
        }
    }
}

const CACHE_CAPACITY: usize = 200_000;

/// How many of a span's candidates, best by prior and thesaurus channel,
/// are weighed again by the familiarity channel.
const FAMILIARITY_POOL: usize = 24;
/// Candidates kept per spun phrase in a text that reads as spun
/// (`Params::wide_when_spun`).
const WIDE_CANDIDATES: usize = 32;
/// The pool they are chosen from, as [`FAMILIARITY_POOL`] for the others.
const WIDE_POOL: usize = 38;

impl<V: Clone> Cache<V> {
    fn get(&self, key: &str) -> Option<V> {
        self.map.read().ok()?.get(key).cloned()
    }

    fn insert(&self, key: &str, v: V) {
        if let Ok(mut m) = self.map.write() {
            if m.len() >= CACHE_CAPACITY {
                m.clear();
            }
            m.insert(key.to_string(), v);
        }
    }
}

/// A value per lexicon phrase, computed on first use and shared by every
/// thread without a lock.
#[derive(Debug)]
struct PhraseValues(Vec<std::sync::atomic::AtomicU32>);

/// The bits of an f32 NaN no computed value has: "not computed yet".
const UNSET: u32 = 0x7fc0_dead;

impl PhraseValues {
    fn new(n: usize) -> PhraseValues {
        PhraseValues((0..n).map(|_| UNSET.into()).collect())
    }

    /// The value of phrase `id`, computing it with `f` the first time.
    fn get(&self, id: u32, f: impl FnOnce() -> f32) -> f32 {
        use std::sync::atomic::Ordering::Relaxed;
        let Some(slot) = self.0.get(id as usize) else {
            return f();
        };
        match slot.load(Relaxed) {
            UNSET => {
                let v = f();
                slot.store(v.to_bits(), Relaxed);
                v
            }
            bits => f32::from_bits(bits),
        }
    }
}

/// ln Σ exp(x) over `xs`, without overflow; −∞ for none.
fn log_sum_exp(xs: &[f32]) -> f32 {
    let top = xs.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    if top == f32::NEG_INFINITY {
        return top;
    }
    top + xs.iter().map(|x| (x - top).exp()).sum::<f32>().ln()
}

/// Builds an [`Unspinner`].
#[derive(Clone, Debug)]
pub struct UnspinnerBuilder {
    model: Model,
    fingerprints: Option<Arc<Fingerprints>>,
    params: Option<Params>,
}

impl UnspinnerBuilder {
    /// Adds a tortured-phrase list whose hits count as strong evidence.
    pub fn fingerprints(&mut self, f: Fingerprints) -> &mut Self {
        self.fingerprints = Some(Arc::new(f));
        self
    }

    /// Overrides the model's decoder parameters.
    pub fn params(&mut self, p: Params) -> &mut Self {
        self.params = Some(p);
        self
    }

    /// Freezes the configuration.
    pub fn build(&self) -> Unspinner {
        let model = match &self.params {
            Some(p) => self.model.with_params(p.clone()),
            None => self.model.clone(),
        };
        let phrase_starts = Arc::new(PhraseStarts::new(model.lexicon()));
        let familiarity = Arc::new(
            (0..Infl::ALL.len())
                .map(|_| PhraseValues::new(model.lexicon().len()))
                .collect(),
        );
        Unspinner {
            model,
            fingerprints: self.fingerprints.clone(),
            phrase_starts,
            cache: Arc::default(),
            wide_cache: Arc::default(),
            forms: Arc::new(Infl::ALL.iter().map(|_| Default::default()).collect()),
            norms: Arc::default(),
            familiarity,
            parallel: false,
            reuse_first_pass: true,
            sentences_per_part: SENTENCES_PER_PART,
        }
    }
}

/// The first two words of the lexicon's multi-word phrases (lemma forms),
/// to skip phrase lookups that cannot succeed. A phrase is inflected on its
/// first word or its last (see [`crate::lexicon::Irregular::analyses`]), so
/// a span can only have candidates when its first two words, one of them
/// taken back to a lemma, start some phrase.
#[derive(Debug, Default)]
struct PhraseStarts(HashSet<String>);

impl PhraseStarts {
    fn new(lex: &Lexicon) -> PhraseStarts {
        let mut set = HashSet::default();
        for id in 0..lex.len() as u32 {
            if !lex.is_spun_form(id) {
                continue;
            }
            // a compound may be written as separate words ("well being"),
            // see [`crate::lexicon::hyphen_variant`]
            let phrase = lex.phrase(id);
            let split = match phrase.contains(' ') {
                false => crate::lexicon::hyphen_variant(phrase),
                true => None,
            };
            let mut words = split.as_deref().unwrap_or(phrase).split(' ');
            if let (Some(a), Some(b)) = (words.next(), words.next()) {
                set.insert(format!("{a} {b}"));
            }
        }
        PhraseStarts(set)
    }

    /// Whether a span of `len` ≥ 2 words may be a phrase of the lexicon;
    /// `first` and `second` are the analyses of its first two words (see
    /// [`crate::lexicon::Irregular::analyses`]), each word itself first.
    fn may_start(&self, first: &[String], second: &[String], len: usize) -> bool {
        let has = |a: &str, b: &str| {
            let mut key = String::with_capacity(a.len() + b.len() + 1);
            key.push_str(a);
            key.push(' ');
            key.push_str(b);
            self.0.contains(&key)
        };
        // the first word as written or as its lemma, the second as written
        if first.iter().any(|a| has(a, &second[0])) {
            return true;
        }
        // a two-word phrase may be inflected on its second (last) word
        len == 2 && second.iter().skip(1).any(|b| has(&first[0], b))
    }
}

/// One alternative at a position: replace words `start..end` by `words`.
#[derive(Clone, Debug)]
struct Alt {
    start: usize,
    end: usize,
    /// the candidate list holding it, and its place there
    cands: Candidates,
    cand: u32,
    /// channel and frequency discount, in ln units, relative to keeping
    /// the words; the prior's share is added per decoding (see [`Prior`])
    bonus: f32,
    /// the candidate is a less common word the document uses elsewhere
    in_doc: bool,
    /// the span is one word the document uses more than once
    repeated: bool,
    /// the first decoding changed the same words to the same candidate
    /// at another place in the document
    seconded: bool,
}

impl Alt {
    /// the candidate original, lower case
    fn text(&self) -> &str {
        &self.cands[self.cand as usize].0
    }

    /// its words as LM ids
    fn ids(&self) -> &[u32] {
        &self.cands[self.cand as usize].1
    }
}

/// A sentence's words and their alternatives: built once per document,
/// decoded once per prior spin rate.
struct Lattice {
    /// the sentence's word range in the document
    sent: std::ops::Range<usize>,
    ids: Vec<Option<u32>>,
    alts: Vec<Alt>,
    /// words that have at least one alternative
    active: Vec<bool>,
    /// what keeping each word costs beyond the prior: a word whose
    /// article does not fit it ("a impartial") was likely swapped in
    keep_extra: Vec<f32>,
    /// alternatives by start word
    by_start: Vec<Vec<u32>>,
}

/// The prior's terms for one decoding, in ln units.
#[derive(Clone, Copy)]
struct Prior {
    /// ln(1 - rho), paid by each active word kept
    keep: f32,
    /// ln rho - ln(1 - rho) - margin, paid by each change
    spin: f32,
    /// earned by a change to a word the document uses elsewhere
    doc_term: f32,
    /// paid by a change of a word the document repeats
    repeated: f32,
    /// earned by a change the first decoding made elsewhere too
    seconded: f32,
}

impl Prior {
    fn new(rho: f32, margin: f32, doc_term: f32, repeated: f32) -> Prior {
        let keep = (1.0 - rho).ln();
        Prior {
            keep,
            spin: rho.ln() - keep - margin,
            doc_term,
            repeated,
            seconded: 0.0,
        }
    }

    /// The same prior, with a bonus for a change the first decoding made
    /// at another place in the document.
    fn seconding(self, seconded: f32) -> Prior {
        Prior { seconded, ..self }
    }

    /// True when no alternative is more attractive, against keeping its
    /// words, under this prior than under `other`. What a prior adds to an
    /// alternative of `len` words against keeping them is
    /// `spin - keep * (2 len - 1)` plus `doc_term` where it applies, so it
    /// is enough that `keep` is no lower and the one-word case no higher.
    fn no_more_inviting_than(&self, other: &Prior) -> bool {
        self.keep >= other.keep
            && self.repeated == other.repeated
            && self.spin - self.keep + self.doc_term.max(0.0) + self.seconded.max(0.0)
                <= other.spin - other.keep + other.doc_term.min(0.0) + other.seconded.min(0.0)
    }

    /// What undoing alternative `a` earns on top of its channel bonus.
    fn bonus(&self, a: &Alt) -> f32 {
        let mut doc = 0.0;
        if a.in_doc {
            doc += self.doc_term;
        }
        // a word the document repeats is more often the writer's choice
        // than a spinner's
        if a.repeated {
            doc -= self.repeated;
        }
        if a.seconded {
            doc += self.seconded;
        }
        a.bonus + doc + self.spin - self.keep * ((a.end - a.start) as f32 - 1.0)
    }
}

#[derive(Clone, Copy)]
struct Hyp {
    score: f32,
    state: LmState,
    back: u32,
    /// index into the sentence's alternatives, or u32::MAX for "keep"
    alt: u32,
    /// the boundary this hypothesis came from
    from: u32,
}

impl Hyp {
    /// Hypotheses merge when they predict alike: same LM state and same
    /// answer to "was the last word changed?".
    fn key(&self) -> (LmState, bool) {
        (self.state, self.alt != u32::MAX)
    }
}

/// The words a document uses, to tell which candidates it uses elsewhere.
struct DocTerms {
    ids: Vec<Option<u32>>,
    /// occurrences by word
    words: HashMap<u32, u32>,
    /// every pair of neighbouring known words with the position of its
    /// first word, sorted: a phrase is looked up by its first two words
    /// instead of by a walk over the whole document
    pairs: Vec<((u32, u32), u32)>,
}

impl DocTerms {
    fn new(ids: Vec<Option<u32>>) -> DocTerms {
        let mut words: HashMap<u32, u32> = HashMap::default();
        for &w in ids.iter().flatten() {
            *words.entry(w).or_default() += 1;
        }
        let mut pairs: Vec<((u32, u32), u32)> = ids
            .windows(2)
            .enumerate()
            .filter_map(|(i, w)| Some(((w[0]?, w[1]?), i as u32)))
            .collect();
        pairs.sort_unstable();
        DocTerms { ids, words, pairs }
    }

    fn count(&self, w: u32) -> u32 {
        self.words.get(&w).copied().unwrap_or(0)
    }

    /// True when the phrase occurs in the document.
    fn contains(&self, phrase: &[u32]) -> bool {
        match phrase {
            [] => false,
            [w] => self.words.contains_key(w),
            [a, b, rest @ ..] => {
                let first = self.pairs.partition_point(|&(pair, _)| pair < (*a, *b));
                self.pairs[first..]
                    .iter()
                    .take_while(|&&(pair, _)| pair == (*a, *b))
                    .any(|&(_, at)| {
                        let from = at as usize + 2;
                        self.ids
                            .get(from..from + rest.len())
                            .is_some_and(|tail| tail.iter().zip(rest).all(|(x, y)| *x == Some(*y)))
                    })
            }
        }
    }
}

impl Analysis {
    /// Who found the flag or change of words `ws..we`: "rule" or "model".
    fn source(&self, ws: usize, we: usize) -> &'static str {
        if we == ws + 1 && self.by_rule.contains(&ws) {
            "rule"
        } else {
            "model"
        }
    }

    fn new(words: usize) -> Analysis {
        Analysis {
            changes: Vec::new(),
            flagged: Vec::new(),
            by_rule: HashSet::default(),
            expected_spun: 0.0,
            words,
            spun_rate: 0.0,
            vocabulary: 0.0,
            doc_score: 0.0,
        }
    }
}

/// What the decoder found in one document (or one sentence of it).
struct Analysis {
    /// (word range, candidate text, posterior that it was spun, confidence of the change)
    changes: Vec<(usize, usize, String, f64, f64)>,
    /// word index → posterior that the word was substituted (active words)
    flagged: Vec<(usize, usize, f64, Option<String>)>,
    /// words whose flag and change a rule made, not the decoder
    by_rule: HashSet<usize>,
    /// sum of posteriors and number of words, for the document score
    expected_spun: f64,
    words: usize,
    /// expected share of spun words
    spun_rate: f64,
    /// mean log10 unigram probability of the document's lower-case words
    /// (see [`Params::doc_clean_a`])
    vocabulary: f64,
    /// calibrated probability that the document is spun
    doc_score: f64,
}

impl Unspinner {
    /// An unspinner with a model and no fingerprint list.
    pub fn new(model: Model) -> Unspinner {
        Unspinner::builder(model).build()
    }

    /// A builder starting from a model.
    pub fn builder(model: Model) -> UnspinnerBuilder {
        UnspinnerBuilder {
            model,
            fingerprints: None,
            params: None,
        }
    }

    /// The same unspinner (sharing its caches), decoding the sentences of
    /// each document in parallel on rayon's global pool, or not (the
    /// default). Results are the same either way. It lowers the latency of
    /// one document where nothing else keeps the cores busy (a command on
    /// one file, a service answering one person); where documents already
    /// run in parallel it only adds contention.
    pub fn parallel_sentences(&self, on: bool) -> Unspinner {
        Unspinner {
            parallel: on,
            ..self.clone()
        }
    }

    /// True when it decodes each document's sentences in parallel.
    pub fn decodes_sentences_in_parallel(&self) -> bool {
        self.parallel
    }

    /// The model in use.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The decoder parameters in use.
    pub fn params(&self) -> &Params {
        self.model.params()
    }

    /// The fingerprint list in use, if any.
    pub fn fingerprints(&self) -> Option<&Fingerprints> {
        self.fingerprints.as_deref()
    }

    /// The originals the decoder weighs for a lower-case phrase, best
    /// first by prior, channel and familiarity (a window on its choices,
    /// for explaining a decision).
    pub fn candidate_originals(&self, phrase: &str) -> Vec<String> {
        self.candidates(phrase)
            .iter()
            .map(|c| c.0.to_string())
            .collect()
    }

    /// Finds the spun spans of `text` and scores the whole document.
    ///
    /// Spinner residue found by rule ([`crate::residue`]: split numbers,
    /// spintax) is flagged with `source: "rule"` and wins over the list's
    /// and the model's spans where they overlap.
    pub fn detect(&self, text: &str) -> Detection {
        let t = Text::new(text);
        let a = self.analyze(&t, self.params().spin_rate_spun_detect);
        // spinner residue found by rule wins over the list and the model
        let rules = crate::residue::find(text);
        let list = self.list_spans(text, &rules);
        let model = &self.params().span_model;
        let mut spans: Vec<Span> = Vec::new();
        for (mut span, features) in self.model_spans(&t, &a, &list, &rules) {
            if let Some(f) = features {
                span.score = model.probability(&f);
                if span.score < model.threshold {
                    continue;
                }
            }
            spans.push(span);
        }
        let n_list = list.len();
        spans.extend(list);
        spans.extend(rules.iter().map(|r| r.span()));
        spans.sort_by_key(|s| (s.start, s.end));
        let mut score = a.doc_score;
        if n_list > 0 {
            // each listed tortured phrase is near-certain evidence
            score = 1.0 - (1.0 - score) * 0.05f64.powi(n_list as i32);
        }
        if !rules.is_empty() {
            // a residue proves a spinner, not how much it changed
            score = 1.0 - (1.0 - score) * crate::residue::DOC_FACTOR.powi(rules.len() as i32);
        }
        Detection { score, spans }
    }

    /// Detect's candidate spans from the decoder (list and rule residue
    /// aside), each with its [`SpanFeatures`]: what the span model
    /// ([`crate::rescore`]) reads, from the decoder posterior of its floor.
    /// The span's `score` is the decoder's posterior. For fitting a span
    /// model ([`crate::train::spans`]).
    pub fn span_candidates(&self, text: &str) -> Vec<(Span, SpanFeatures)> {
        let t = Text::new(text);
        let a = self.analyze(&t, self.params().spin_rate_spun_detect);
        let rules = crate::residue::find(text);
        let list = self.list_spans(text, &rules);
        let floor = self.params().span_model.floor;
        self.spans_from(&t, &a, &list, &rules, floor, true)
            .into_iter()
            .map(|(s, f)| (s, f.expect("features asked for")))
            .collect()
    }

    /// The fingerprint list's spans of `text`, but where spinner residue
    /// found by rule overlaps them (the rule wins).
    fn list_spans(&self, text: &str, rules: &[crate::residue::Residue]) -> Vec<Span> {
        let mut list = self
            .fingerprints
            .as_ref()
            .map(|f| f.spans(text))
            .unwrap_or_default();
        list.retain(|s| !crate::residue::overlaps(rules, s.start, s.end));
        list
    }

    /// The decoder's spans of a detection: with a span model, those from
    /// its floor with their features; without, those from
    /// `flag_threshold`.
    fn model_spans(
        &self,
        t: &Text,
        a: &Analysis,
        list: &[Span],
        rules: &[crate::residue::Residue],
    ) -> Vec<(Span, Option<SpanFeatures>)> {
        let p = self.params();
        match p.span_model.is_on() {
            true => self.spans_from(t, a, list, rules, p.span_model.floor, true),
            false => self.spans_from(t, a, list, rules, p.flag_threshold, false),
        }
    }

    /// The decoder's flags of posterior `floor` or more as spans (narrowed
    /// to what changes, with a refitted article, and not where the list or
    /// a rule found something), with their features when `features`.
    fn spans_from(
        &self,
        t: &Text,
        a: &Analysis,
        list: &[Span],
        rules: &[crate::residue::Residue],
        floor: f64,
        features: bool,
    ) -> Vec<(Span, Option<SpanFeatures>)> {
        let text = t.input();
        let mut spans: Vec<Span> = Vec::new();
        let mut cands: Vec<(usize, usize, Option<String>, f64, bool)> = Vec::new();
        for &(ws, we, p, ref sugg) in &a.flagged {
            if p < floor {
                continue;
            }
            let source = a.source(ws, we);
            let (ws, we, sugg) = match sugg {
                Some(s) => {
                    let (ws, we, rest) = narrow_to_change(t, ws, we, s, true);
                    // an original that keeps every word and adds some
                    // ("exchange" → "stock exchange") marks no word as
                    // swapped: restore may add them, detect has no span
                    if only_adds(t, ws, we, &rest) {
                        continue;
                    }
                    // a spinner that fitted the article to its word
                    // changed the article too ("an extended" for "a
                    // longer"): the span covers it
                    let free = |i: usize| {
                        spans
                            .last()
                            .map_or(true, |s| s.end <= t.words()[i].chars.start)
                    };
                    match refitted_article(t, ws, &rest).filter(|_| free(ws - 1)) {
                        Some(article) => (ws - 1, we, Some(format!("{article} {rest}"))),
                        None => (ws, we, Some(rest)),
                    }
                }
                None => (ws, we, None),
            };
            let (start, end) = (t.words()[ws].chars.start, t.words()[we - 1].chars.end);
            if list.iter().any(|s| s.start < end && start < s.end)
                || crate::residue::overlaps(rules, start, end)
            {
                continue;
            }
            spans.push(Span {
                start,
                end,
                text: text[t.words()[ws].bytes.start..t.words()[we - 1].bytes.end].to_string(),
                score: p,
                suggestion: sugg.as_deref().map(|s| case_like(t, ws, we, s)),
                source: Some(source.into()),
            });
            cands.push((ws, we, sugg, p, source == "rule"));
        }
        if !features {
            return spans.into_iter().map(|s| (s, None)).collect();
        }
        let lm = &self.model.lm;
        let doc = crate::rescore::Document {
            t,
            lm,
            ids: t.words().iter().map(|w| lm.id_lenient(&w.norm)).collect(),
            score: a.doc_score,
        };
        let cands: Vec<crate::rescore::Candidate> = cands
            .iter()
            .map(|(ws, we, sugg, p, by_rule)| crate::rescore::Candidate {
                ws: *ws,
                we: *we,
                suggestion: sugg.as_deref(),
                posterior: *p,
                by_rule: *by_rule,
            })
            .collect();
        let features = doc.features(&cands);
        spans
            .into_iter()
            .zip(features.into_iter().map(Some))
            .collect()
    }

    /// Restores the most likely original wording of `text`.
    ///
    /// Spinner residue found by rule ([`crate::residue`]) is undone with
    /// `source: "rule"`, in place of any overlapping list or model change.
    pub fn restore(&self, text: &str) -> Restoration {
        let t = Text::new(text);
        let a = self.analyze(&t, self.params().spin_rate_spun);
        // spinner residue found by rule wins over the list and the model
        let rules = crate::residue::find(text);
        let mut list_changes: Vec<Change> = self
            .fingerprints
            .as_ref()
            .map(|f| {
                f.find(text)
                    .into_iter()
                    .map(|h| Change {
                        from: crate::text::slice_chars(text, h.start..h.end)
                            .unwrap_or("")
                            .to_string(),
                        start: h.start,
                        end: h.end,
                        to: h.expected,
                        score: 0.99,
                        source: Some("list".into()),
                    })
                    .collect()
            })
            .unwrap_or_default();
        list_changes.retain(|c| !crate::residue::overlaps(&rules, c.start, c.end));
        let mut changes = list_changes.clone();
        for (ws, we, cand, posterior, conf) in &a.changes {
            let (ws, we, posterior, conf) = (*ws, *we, *posterior, *conf);
            // the decoded path may change a word whose posterior of being
            // spun is middling; restore only what detect is sure of
            if posterior < self.params().restore_threshold {
                continue;
            }
            let source = a.source(ws, we);
            let (ws, we, cand) = narrow_to_change(&t, ws, we, cand, false);
            let (start, end) = (t.words()[ws].chars.start, t.words()[we - 1].chars.end);
            if list_changes.iter().any(|c| c.start < end && start < c.end)
                || crate::residue::overlaps(&rules, start, end)
            {
                continue;
            }
            changes.push(Change {
                start,
                end,
                from: text[t.words()[ws].bytes.start..t.words()[we - 1].bytes.end].to_string(),
                to: case_like(&t, ws, we, &cand),
                score: conf,
                source: Some(source.into()),
            });
        }
        changes.sort_by_key(|c| (c.start, c.end));
        fix_articles(text, &mut changes);
        // after the articles: a rule's restoration ("$3,800", "this")
        // is no swapped word whose article needs fixing
        if !rules.is_empty() {
            changes.retain(|c| !crate::residue::overlaps(&rules, c.start, c.end));
            changes.extend(rules.iter().map(|r| r.change()));
            changes.sort_by_key(|c| (c.start, c.end));
        }
        Restoration::apply(text, changes)
    }

    /// Decodes a document twice: a first pass with the model's prior spin
    /// rate scores the document; the second decodes with the rate that
    /// score implies (a spinner's rate is a property of the document: a
    /// clean text gets a low prior, a spun one a high prior, `rate_spun`
    /// at most).
    ///
    /// A long document is decoded in parts of [`SENTENCES_PER_PART`]
    /// sentences, so that memory follows the part and not the document.
    /// What the document as a whole decides (its own words, its first-pass
    /// score and changes) still comes from all of it. The one part of a
    /// shorter document keeps its lattices for the second pass; the parts
    /// of a longer one are made again, which gives the same lattices.
    fn analyze(&self, t: &Text, rate_spun: f64) -> Analysis {
        let p = self.params();
        // a misspelled word is read as the word it misspells (see
        // [`crate::typos`]), so that its neighbours, and the word itself,
        // are decoded in a sentence the model knows
        let typos = match p.typos {
            true => crate::typos::find(t, &self.model.lm, &self.model.lexicon),
            false => Vec::new(),
        };
        let respelled;
        let t = match typos.is_empty() {
            true => t,
            false => {
                respelled = t.respelled(typos.iter().map(|f| (f.word, f.to.as_str())));
                &respelled
            }
        };
        let terms = self.repeated_unknown_words(t);
        let doc_terms = self.doc_terms(t);
        let sentences: Vec<std::ops::Range<usize>> = t.sentences().collect();
        let parts: Vec<&[std::ops::Range<usize>]> =
            sentences.chunks(self.sentences_per_part).collect();
        let spans_of = |part: &[std::ops::Range<usize>], require_unseen: bool, wide: bool| {
            self.per_sentence(part, |sent| {
                self.sentence_spans(t, sent.clone(), require_unseen, &terms, wide)
            })
        };
        let lattices = |spans: &[SentenceSpans]| -> Vec<Option<Lattice>> {
            self.per_sentence(spans, |s| self.lattice(t, s, &doc_terms))
        };
        // spelled-out numbers, restored by rule over the decoder's findings
        let mut fixes: Vec<WordFix> = crate::numbers::spelled_numbers(t);
        let margin = p.change_margin as f32;
        let repeated = p.repeated_word_cost as f32;
        let first_prior = Prior::new(p.spin_rate as f32, margin, 0.0, repeated);
        // the first pass, part by part; a lone part's work is kept
        let mut kept: Option<(Vec<SentenceSpans>, Vec<Lattice>, Vec<bool>)> = None;
        let mut first = Analysis::new(t.words().len());
        first.vocabulary = self.vocabulary(t);
        // by sentence: nothing changed or flagged in the first pass
        let mut quiet_sentences: Vec<Vec<bool>> = Vec::with_capacity(parts.len());
        for part in &parts {
            let spans = spans_of(part, p.require_unseen, false);
            let made = lattices(&spans);
            let has: Vec<bool> = made.iter().map(Option::is_some).collect();
            let part_lattices: Vec<Lattice> = made.into_iter().flatten().collect();
            let quiet = self.decode_all(&part_lattices, first_prior, BEAM, None, &mut first);
            let mut by_lattice = quiet.iter();
            quiet_sentences.push(
                has.iter()
                    .map(|&has| !has || *by_lattice.next().expect("a lattice's flag"))
                    .collect(),
            );
            if parts.len() == 1 {
                kept = Some((spans, part_lattices, quiet));
            }
        }
        self.finish(&mut first, &fixes);
        if !p.adaptive {
            return first;
        }
        let spun =
            sigmoid(p.prior_a * switch_reading(p, first.spun_rate, first.vocabulary) + p.prior_b);
        let rho = p.spin_rate_clean + spun * (rate_spun - p.spin_rate_clean);
        // a text that reads as spun: every span is considered, with the
        // wide candidate lists (then each is scored again) or with the
        // shortlists (then the first pass's scores are kept)
        let rebuilt = p.require_unseen && p.seen_when_spun && spun > 0.5;
        let wide = p.wide_when_spun;
        // the document's own words weigh in by how spun it reads
        let prior = Prior::new(
            rho as f32,
            margin,
            (p.doc_term_bonus * spun) as f32,
            repeated,
        )
        .seconding((p.seconded_bonus * spun) as f32);
        // a sentence where the first pass changed nothing and flagged
        // nothing stays so under a prior that invites changes no more (a
        // text that reads as clean): it need not be decoded again
        let skip = self.reuse_first_pass && !rebuilt && prior.no_more_inviting_than(&first_prior);
        // the second pass's spans of some sentences, from the first
        // pass's when they are at hand
        let second_spans = |sents: &[std::ops::Range<usize>], first: Option<Vec<SentenceSpans>>| {
            // the wide lists (or no shortcut): every span scored afresh
            if rebuilt && (wide || !self.reuse_first_pass) {
                return spans_of(sents, false, wide);
            }
            let mut spans = first.unwrap_or_else(|| spans_of(sents, p.require_unseen, false));
            if rebuilt {
                let more = self.per_sentence(&spans, |s| self.score_deferred(t, s));
                for (s, more) in spans.iter_mut().zip(more) {
                    s.spans.extend(more);
                    s.deferred.clear();
                }
            }
            spans
        };
        // a first-pass flag seconds its suggestion only in a text that
        // reads as spun: a text of rare words (an abstract) repeats its
        // terms, and reads a little spun without being so
        let flag_from = match spun > 0.5 {
            true => p.seconded_flag_from,
            false => 1.0,
        };
        let lattices_of = |spans: Vec<SentenceSpans>| -> Vec<Lattice> {
            lattices(&spans).into_iter().flatten().collect()
        };
        let mut second = Analysis::new(t.words().len());
        second.vocabulary = first.vocabulary;
        for (part, part_quiet) in parts.iter().zip(&quiet_sentences) {
            let (mut part_lattices, skip) = match kept.take() {
                Some((_, part_lattices, quiet)) if !rebuilt => {
                    (part_lattices, skip.then_some(quiet))
                }
                Some((spans, _, _)) => (lattices_of(second_spans(part, Some(spans))), None),
                None => {
                    // a part made again: only its sentences that can change
                    let again: Vec<std::ops::Range<usize>> = part
                        .iter()
                        .zip(part_quiet)
                        .filter(|&(_, &quiet)| !(skip && quiet))
                        .map(|(sent, _)| sent.clone())
                        .collect();
                    (lattices_of(second_spans(&again, None)), None)
                }
            };
            if p.seconded_bonus > 0.0 {
                second_first_changes(t, &first, flag_from, &mut part_lattices);
            }
            let beam = if spun > 0.5 { BEAM_WHEN_SPUN } else { BEAM };
            self.decode_all(&part_lattices, prior, beam, skip.as_deref(), &mut second);
        }
        if spun > 0.5 {
            // a text that reads as spun: its residue of style is the
            // spinner's too (see [`crate::style`])
            let mut style = crate::style::find(t);
            // a typo the decoded path left as it is: its spelling is
            // restored (a change the path made there wins)
            let changed = |w: usize| second.changes.iter().any(|c| c.0 <= w && w < c.1);
            style.extend(typos.into_iter().filter(|f| !changed(f.word)));
            let taken: HashSet<usize> = fixes.iter().map(|f| f.word).collect();
            fixes.extend(style.into_iter().filter(|f| !taken.contains(&f.word)));
        }
        self.finish(&mut second, &fixes);
        second.doc_score = first.doc_score;
        second
    }

    /// Decodes lattices under a prior, keeping `beam` hypotheses per word
    /// boundary, and adds what they found to `out`; returns which were
    /// quiet (see [`Unspinner::decode`]). `skip` marks lattices known to be
    /// quiet, which are not decoded.
    fn decode_all(
        &self,
        lattices: &[Lattice],
        prior: Prior,
        beam: usize,
        skip: Option<&[bool]>,
        out: &mut Analysis,
    ) -> Vec<bool> {
        let indexed: Vec<(usize, &Lattice)> = lattices.iter().enumerate().collect();
        let sentences = self.per_sentence(&indexed, |&(i, l)| {
            let mut a = Analysis::new(0);
            let quiet = match skip {
                Some(skip) if skip[i] => true,
                _ => self.decode(l, prior, beam, &mut a),
            };
            (a, quiet)
        });
        let mut quiet = Vec::with_capacity(sentences.len());
        for (a, q) in sentences {
            quiet.push(q);
            out.changes.extend(a.changes);
            out.flagged.extend(a.flagged);
            out.expected_spun += a.expected_spun;
        }
        quiet
    }

    /// Completes a document's decoding: words rewritten by rule (spelled-out
    /// numbers, and in a text read as spun its residue of style) replace
    /// what the decoder made of them, and the document is scored.
    fn finish(&self, out: &mut Analysis, fixes: &[WordFix]) {
        for f in fixes {
            let covers = |ws: usize, we: usize| ws <= f.word && f.word < we;
            for flag in out.flagged.iter().filter(|x| covers(x.0, x.1)) {
                out.expected_spun -= flag.2 * (flag.1 - flag.0) as f64;
            }
            out.flagged.retain(|x| !covers(x.0, x.1));
            out.changes.retain(|c| !covers(c.0, c.1));
            let (w, p) = (f.word, f.confidence);
            out.flagged.push((w, w + 1, p, Some(f.to.clone())));
            out.changes.push((w, w + 1, f.to.clone(), p, p));
            out.by_rule.insert(w);
            out.expected_spun += p;
        }
        let p = self.params();
        out.spun_rate = out.expected_spun / (out.words.max(1) as f64);
        out.doc_score = doc_score(p, out.spun_rate, out.words, out.vocabulary);
    }

    /// The mean log10 unigram probability of the lower-case words of `t`
    /// (an unknown word at the model's unknown-word probability): how rare
    /// its vocabulary is.
    fn vocabulary(&self, t: &Text) -> f64 {
        let lm = &self.model.lm;
        let (mut sum, mut n) = (0.0f64, 0usize);
        for w in t.words() {
            if w.case == Case::Lower && w.norm.chars().all(char::is_alphabetic) {
                sum += f64::from(lm.unigram(lm.id(&w.norm)));
                n += 1;
            }
        }
        if n == 0 {
            0.0
        } else {
            sum / n as f64
        }
    }

    /// `f` over a document's sentences (or their lattices), in order: on
    /// rayon's pool with [`Unspinner::parallel_sentences`].
    fn per_sentence<T: Sync, R: Send>(&self, items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
        if self.parallel {
            use rayon::prelude::*;
            items.par_iter().map(&f).collect()
        } else {
            items.iter().map(f).collect()
        }
    }

    /// Candidates of a lower-case phrase, as LM ids, best first: the
    /// shortlist.
    fn candidates(&self, key: &str) -> Candidates {
        self.cached_list(&self.cache, key, FAMILIARITY_POOL, MAX_CANDIDATES)
    }

    /// The same, the wide list for a text that reads as spun: made only
    /// when asked for, so that clean text pays nothing for it.
    fn wide_candidates(&self, key: &str) -> Candidates {
        self.cached_list(&self.wide_cache, key, WIDE_POOL, WIDE_CANDIDATES)
    }

    /// The best `max` of a phrase's first `pool` ranked candidates once the
    /// familiarity channel weighs in, kept in `cache`.
    fn cached_list(
        &self,
        cache: &Cache<Candidates>,
        key: &str,
        pool: usize,
        max: usize,
    ) -> Candidates {
        if let Some(c) = cache.get(key) {
            return c;
        }
        let v = Arc::new(self.rerank(key, self.ranked(key), pool, max));
        cache.insert(key, Arc::clone(&v));
        v
    }

    /// The lexicon's candidates of a phrase that the model knows, ranked by
    /// prior and thesaurus channel, as far down as any list looks: the
    /// candidates of [`Lexicon::candidates`](crate::lexicon::Lexicon::candidates),
    /// built from each original's cached forms.
    fn ranked(&self, key: &str) -> Vec<(f32, Candidate)> {
        let lex = &self.model.lexicon;
        let mut routes: Vec<(Forms, f32)> = Vec::new();
        lex.for_each_original(key, |orig, infl, ln_channel| {
            routes.push((self.forms_of(orig, infl), ln_channel))
        });
        let joined = lex.joined_spelling(key);
        // the best channel of each form: two routes may give the same text
        let mut best: rustc_hash::FxHashMap<&str, (f32, &Form)> = Default::default();
        for (forms, ln_channel) in &routes {
            for form in forms.iter() {
                let text = &*form.0;
                if text == key || joined.as_deref() == Some(text) {
                    continue;
                }
                let e = best.entry(text).or_insert((f32::NEG_INFINITY, form));
                e.0 = e.0.max(*ln_channel);
            }
        }
        // rank by the joint P(original) P(spun | original): the channel alone
        // favours obscure originals whose only synonym is the spun word
        let mut v: Vec<(f32, f32, &Form)> = best
            .into_values()
            .map(|(ln_channel, form)| (form.2 + ln_channel, ln_channel, form))
            .collect();
        v.sort_by(|a, b| {
            (b.0.total_cmp(&a.0))
                .then(b.1.total_cmp(&a.1))
                .then_with(|| a.2 .0.cmp(&b.2 .0))
        });
        // (a spelling variant or two filtered out makes no list short)
        v.truncate(WIDE_POOL);
        v.into_iter()
            .map(|(score, ln_channel, form)| {
                let (text, ids) = (Arc::clone(&form.0), Arc::clone(&form.1));
                (score, (text, ids, ln_channel, 0.0))
            })
            .collect()
    }

    /// The forms of original `orig` in inflection slot `infl` that the
    /// language model knows, with their prior, made once.
    fn forms_of(&self, orig: u32, infl: Infl) -> Forms {
        let make = || {
            let lm = &self.model.lm;
            let forms = self
                .model
                .lexicon
                .inflect(orig, infl)
                .into_iter()
                .filter_map(|text| {
                    let ids: Vec<u32> = text.split(' ').map(|w| lm.id(w)).collect::<Option<_>>()?;
                    // P(original) out of context: its first word's unigram,
                    // then bigrams along the phrase
                    let prior = lm.ids_logp(ids.iter().map(|&x| Some(x)), 0.0) * LN10;
                    Some((Arc::from(text), Arc::from(ids), prior))
                })
                .collect();
            Arc::new(forms)
        };
        let slots = self.forms[infl as usize].get_or_init(|| {
            (0..self.model.lexicon.len())
                .map(|_| Default::default())
                .collect()
        });
        match slots.get(orig as usize) {
            Some(slot) => Arc::clone(slot.get_or_init(make)),
            None => make(),
        }
    }

    /// The best `max` of the first `pool` candidates of `v` (ranked by
    /// prior and thesaurus channel) once the familiarity channel weighs in.
    fn rerank(
        &self,
        key: &str,
        mut v: Vec<(f32, Candidate)>,
        pool: usize,
        max: usize,
    ) -> Vec<Candidate> {
        let lm = &self.model.lm;
        let beta = self.params().familiarity as f32;
        if beta > 0.0 {
            // the spinner favours familiar synonyms: P(spun | original) =
            // ch^cw f(spun)^beta / Z(original), so an original with many
            // familiar synonyms gives any one of them a smaller share
            let cw = self.params().channel_weight as f32;
            // an unknown word is taken at the frequency the discount assumes
            let unknown = self.params().unknown_unigram as f32;
            let familiar = beta * lm.phrase_logp(key, unknown) * LN10;
            v.truncate(pool);
            for (score, c) in &mut v {
                c.3 = familiar - self.norm(&c.0, cw, beta, unknown);
                *score += c.3;
            }
            v.sort_by(|a, b| b.0.total_cmp(&a.0));
        }
        // another spelling of the same words ("labour", "labor"; "centre
        // stage"), their clipped form ("net", "internet") or a British
        // word's American equivalent ("lorry", "truck") is not a
        // substitution
        v.into_iter()
            .filter(|(_, (text, _, _, _))| {
                !crate::spelling::same_wording(key, text)
                    && !crate::spelling::is_british_for(key, text)
            })
            .take(max)
            .map(|x| x.1)
            .collect()
    }

    /// ln Z(original) = ln Σ ch(s | original)^cw f(s)^beta over the spun
    /// forms s the lexicon offers for it.
    fn norm(&self, original: &str, cw: f32, beta: f32, unknown: f32) -> f32 {
        if let Some(z) = self.norms.get(original) {
            return z;
        }
        let lm = &self.model.lm;
        let mut ln_w: Vec<f32> = Vec::new();
        let lex = &self.model.lexicon;
        lex.for_each_spun_synonym(original, |synonym, infl, ln_channel| {
            // ln Σ over the synonym's forms of P(form)^beta
            let familiar = self.familiarity[infl as usize].get(synonym, || {
                let forms = match infl {
                    Infl::Base => vec![lex.phrase(synonym).to_string()],
                    _ => lex.inflect(synonym, infl),
                };
                let logps: Vec<f32> = forms
                    .iter()
                    .map(|f| beta * lm.phrase_logp(f, unknown) * LN10)
                    .collect();
                log_sum_exp(&logps)
            });
            if familiar > f32::NEG_INFINITY {
                ln_w.push(cw * ln_channel + familiar);
            }
        });
        let z = match ln_w.is_empty() {
            true => 0.0,
            false => log_sum_exp(&ln_w),
        };
        self.norms.insert(original, z);
        z
    }

    /// Scores the spans of one sentence that have candidates: every span
    /// of one to [`MAX_SPAN`] words, or with `require_unseen` only those
    /// with a bigram the language model does not know (the others are
    /// deferred, for a decoding that asks for them: see
    /// [`Unspinner::score_deferred`]).
    fn sentence_spans(
        &self,
        t: &Text,
        sent: std::ops::Range<usize>,
        require_unseen: bool,
        terms: &HashSet<String>,
        wide: bool,
    ) -> SentenceSpans {
        let lm: &NgramLm = &self.model.lm;
        let words = &t.words()[sent.clone()];
        let n = words.len();
        let ids: Vec<Option<u32>> = words.iter().map(|w| lm.id_lenient(&w.norm)).collect();
        let article_cost = self.params().article_misfit_cost as f32;
        let keep_extra: Vec<f32> = (0..n)
            .map(|j| match misfit(t, &sent, j, &words[j].norm) {
                true => -article_cost,
                false => 0.0,
            })
            .collect();
        let mut out = SentenceSpans {
            sent,
            ids,
            keep_extra,
            spans: Vec::new(),
            wide,
            deferred: Vec::new(),
        };
        let (mut spans, mut deferred) = (Vec::new(), Vec::new());
        let ids = &out.ids;
        // a sentence with no lower-case word is shouted: its capitals say
        // nothing about acronyms
        let shouted = !words
            .iter()
            .any(|w| w.case == Case::Lower && w.norm.chars().any(char::is_alphabetic));
        // a word the language model does not know is a candidate only when
        // it reads as an ordinary lower-case word: spinners reach for rare
        // thesaurus entries ("axerophthol"), while names and acronyms are
        // unknown for other reasons
        let may_be_spun = |j: usize| {
            let w = &words[j];
            // a title after an honorific is a name ("Mr Glazer")
            if w.case == Case::Title && j > 0 && is_honorific(&words[j - 1].norm) {
                return false;
            }
            // an acronym or a lone letter is no spinner's synonym ("TV",
            // "PM", "S Korea", "George W Bush")
            if (w.case == Case::Upper && !shouted) || is_initial(&w.norm) {
                return false;
            }
            // a list's numbering: "(ii) a classifier and (iii) …" (a
            // spinner may write "ii" for "two", but not in brackets)
            if is_roman_numeral(&w.norm) {
                let input = t.input();
                let before = input[..w.bytes.start].trim_end();
                let after = input[w.bytes.end..].trim_start();
                if before.ends_with('(') || after.starts_with(')') {
                    return false;
                }
            }
            // after a number, a word the model does not know is a unit or
            // a numeral of its own ("2 lakh", "500 crore")
            let unit = j > 0 && is_number(&words[j - 1].norm);
            ids[j].is_some()
                || (!is_number(&w.norm)
                    && !terms.contains(stem(&w.norm))
                    && !unit
                    && (w.case == Case::Lower || (w.sentence_start && w.case == Case::Title))
                    && w.norm.chars().all(|c| c.is_alphabetic() || c == '-'))
        };
        // each word's analyses, the word itself first, made when needed
        let mut analyses: Vec<Option<Arc<Vec<String>>>> = vec![None; n];
        let mut lemmas = |j: usize| -> Arc<Vec<String>> {
            Arc::clone(analyses[j].get_or_insert_with(|| {
                let an = self.model.lexicon.irregular().analyses(&words[j].norm);
                Arc::new(an.into_iter().map(|(l, _)| l).collect())
            }))
        };
        for (i, word) in words.iter().enumerate() {
            if is_number(&word.norm) || !may_be_spun(i) {
                continue;
            }
            for k in 1..=MAX_SPAN.min(n - i) {
                if k > 1 {
                    if !(i..i + k).all(may_be_spun) {
                        break;
                    }
                    let (first, second) = (lemmas(i), lemmas(i + 1));
                    if !self.phrase_starts.may_start(&first, &second, k) {
                        break; // a longer span needs more of the same
                    }
                    // no sentence punctuation inside a phrase
                    if (i..i + k - 1).any(|j| t.gap_after(out.sent.start + j).trim() != "") {
                        break;
                    }
                }
                // evidence first: a span whose every bigram (with its
                // neighbours too) is known to the language model reads as
                // genuine, and is left alone
                if require_unseen && fits(lm, ids, i, k) {
                    deferred.push((i, i + k));
                    continue;
                }
                spans.extend(self.score_span(t, &out, i, i + k));
            }
        }
        out.spans = spans;
        out.deferred = deferred;
        out
    }

    /// Scores the spans [`Unspinner::sentence_spans`] deferred.
    fn score_deferred(&self, t: &Text, s: &SentenceSpans) -> Vec<SpanScores> {
        s.deferred
            .iter()
            .filter_map(|&(i, end)| self.score_span(t, s, i, end))
            .collect()
    }

    /// The candidates of words `i..end` of a sentence, scored in their
    /// local context; None when there are none.
    fn score_span(&self, t: &Text, s: &SentenceSpans, i: usize, end: usize) -> Option<SpanScores> {
        let lm: &NgramLm = &self.model.lm;
        let p = self.params();
        let words = &t.words()[s.sent.clone()];
        let (ids, n, k) = (&s.ids, s.ids.len(), end - i);
        let key: String = if k == 1 {
            words[i].norm.clone()
        } else {
            words[i..end]
                .iter()
                .map(|w| w.norm.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let cands = match s.wide {
            true => self.wide_candidates(&key),
            false => self.candidates(&key),
        };
        if cands.is_empty() {
            return None;
        }
        let (fw, cw) = (p.freq_weight as f32, p.channel_weight as f32);
        let spun_uni: f32 = (i..end)
            .map(|j| match ids[j] {
                Some(x) => lm.unigram(Some(x)),
                None => p.unknown_unigram as f32,
            })
            .sum();
        // the local fit of keeping the span, with its original neighbours
        let left: LmState = match i {
            0 => lm.start_state(),
            1 => (lm.start_state().1, ids[0]),
            _ => (ids[i - 2], ids[i - 1]),
        };
        let right = &ids[end..n.min(end + 2)];
        // the local fit of a span's words with the original neighbours:
        // (words given the left context, right context given the words),
        // in ln units
        let local = |emit: &mut dyn Iterator<Item = Option<u32>>| -> (f32, f32) {
            let mut st = left;
            let mut sc = 0.0;
            for x in emit {
                sc += lm.logp(st, x);
                st = NgramLm::advance(st, x);
            }
            let mut rc = 0.0;
            for &x in right {
                rc += lm.logp(st, x);
                st = NgramLm::advance(st, x);
            }
            (sc * LN10, rc * LN10)
        };
        // the lookups of all candidates at once (see [`NgramLm::prefetch`])
        lm.prefetch(left, ids[i..end].iter().chain(right).copied());
        for c in cands.iter() {
            lm.prefetch(
                left,
                c.1.iter().map(|&x| Some(x)).chain(right.iter().copied()),
            );
        }
        let (keep_l, keep_r) = local(&mut ids[i..end].iter().copied());
        let article_cost = p.article_misfit_cost as f32;
        // (gain with both neighbours, with the left only, with the right only)
        let mut scored: Vec<([f32; 3], f32)> = Vec::with_capacity(cands.len());
        for (text, cids, ln_channel, familiarity) in cands.iter() {
            let cand_uni: f32 = cids.iter().map(|&c| lm.unigram(Some(c))).sum();
            // discount part of the candidate's frequency advantage
            let freq = -fw * (cand_uni - spun_uni).max(0.0) * LN10;
            // the prior's share is the same for every candidate of the
            // span, so it does not change their order
            let mut bonus = cw * ln_channel + familiarity + freq;
            // the original fitted its article: a candidate that does not
            // pays what keeping the misfit pays
            if s.keep_extra[i] != 0.0 && misfit(t, &s.sent, i, text) {
                bonus -= article_cost;
            }
            let (l, r) = local(&mut cids.iter().map(|&c| Some(c)));
            let (gl, gr) = (l - keep_l + bonus, r - keep_r + bonus);
            scored.push(([gl + gr - bonus, gl, gr], bonus));
        }
        // keep the few that fit best locally, plus the few that fit best on
        // one side only: a neighbour that is spun too spoils the other side
        // ("Chilly Conflict period": "cold" fits "the" on its left, not
        // "Conflict" on its right), and the beam undoes such runs jointly
        let mut keep = vec![false; scored.len()];
        for (side, quota) in [(0, ALTS_PER_SPAN), (1, ALTS_ONE_SIDE), (2, ALTS_ONE_SIDE)] {
            let mut order: Vec<usize> = (0..scored.len()).collect();
            order.sort_by(|&a, &b| scored[b].0[side].total_cmp(&scored[a].0[side]));
            let floor = order
                .first()
                .map_or(f32::NEG_INFINITY, |&x| scored[x].0[side])
                - 12.0;
            for &x in order.iter().take(quota) {
                if scored[x].0[side] >= floor {
                    keep[x] = true;
                }
            }
        }
        Some(SpanScores {
            start: i,
            end,
            collocation: vec![false; keep.len()],
            cands,
            scored,
            keep,
        })
    }

    /// The lattice of a sentence's scored spans; None when it has no
    /// alternative.
    fn lattice(&self, t: &Text, s: &SentenceSpans, doc_terms: &DocTerms) -> Option<Lattice> {
        let lm: &NgramLm = &self.model.lm;
        let p = self.params();
        let n = s.ids.len();
        let ids = &s.ids;
        let cw = p.channel_weight as f32;
        let mut alts: Vec<Alt> = Vec::new();
        let mut active = vec![false; n];
        // one-word spans wait for the collocation pass below; longer ones
        // come first, by position
        let mut singles: Vec<Option<SpanScores>> = (0..n).map(|_| None).collect();
        let mut longer: Vec<&SpanScores> = Vec::new();
        for span in &s.spans {
            for a in &mut active[span.start..span.end] {
                *a = true;
            }
            match span.end - span.start {
                1 => singles[span.start] = Some(span.clone()),
                _ => longer.push(span),
            }
        }
        longer.sort_by_key(|x| (x.start, x.end));
        for span in longer {
            alts.extend(span.clone().kept());
        }
        // collocations broken word by word: where two neighbouring words
        // both have candidates, a pair of candidates that forms a strong
        // bigram ("cold" "war" for "Chilly Conflict") is kept at both
        // places even when neither fits its spun neighbour
        for i in 0..n.saturating_sub(1) {
            let (Some(a), Some(b)) = (&singles[i], &singles[i + 1]) else {
                continue;
            };
            if t.gap_after(s.sent.start + i).trim() != "" {
                continue;
            }
            // the likeliest by prior and channel: the candidates' own order
            let best = |s: &SpanScores| 0..s.cands.len().min(PAIR_CANDIDATES);
            let mut mark: Vec<(usize, usize)> = Vec::new();
            for x in best(a) {
                let cx = *a.cands[x].1.last().expect("a candidate has words");
                for y in best(b) {
                    lm.prefetch((None, Some(cx)), [Some(b.cands[y].1[0])]);
                }
            }
            for x in best(a) {
                let cx = *a.cands[x].1.last().expect("a candidate has words");
                for y in best(b) {
                    let cy = b.cands[y].1[0];
                    if lm.has_bigram(cx, cy) && lm.bigram(Some(cx), cy) >= PAIR_MIN_LOG10 {
                        mark.push((x, y));
                    }
                }
            }
            for (x, y) in mark {
                if let Some(a) = singles[i].as_mut() {
                    a.keep[x] = true;
                    a.collocation[x] = true;
                }
                if let Some(b) = singles[i + 1].as_mut() {
                    b.keep[y] = true;
                    b.collocation[y] = true;
                }
            }
        }
        let floor = p.collocation_channel_floor as f32;
        for mut span in singles.into_iter().flatten() {
            // a word that forms a strong collocation with its neighbour's
            // candidate pays a capped channel cost: the channel spreads an
            // original's probability over all its synonyms, so a common
            // original with a long list ("party", "cold") gets a tiny share
            // although spinners use it often ("impartial celebration")
            for x in 0..span.cands.len() {
                let ln_channel = span.cands[x].2;
                if span.collocation[x] && ln_channel < floor {
                    span.scored[x].1 += cw * (floor - ln_channel);
                }
            }
            alts.extend(span.kept());
        }
        if alts.is_empty() {
            return None;
        }
        for a in &mut alts {
            let cids = a.ids();
            a.in_doc = cids
                .iter()
                .any(|&c| lm.unigram(Some(c)) < DOC_TERM_MAX_LOG10)
                && !cids.iter().any(|&c| ids[a.start..a.end].contains(&Some(c)))
                && doc_terms.contains(cids);
            a.repeated =
                a.end == a.start + 1 && ids[a.start].is_some_and(|w| doc_terms.count(w) > 1);
        }
        let mut by_start: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (ai, a) in alts.iter().enumerate() {
            by_start[a.start].push(ai as u32);
        }
        Some(Lattice {
            sent: s.sent.clone(),
            ids: ids.clone(),
            alts,
            active,
            keep_extra: s.keep_extra.clone(),
            by_start,
        })
    }

    /// Decodes one sentence's lattice under a prior and adds its changes
    /// and posteriors to `out`. True when it is quiet: the best path keeps
    /// every word and no word's posterior reaches the flag threshold.
    fn decode(&self, l: &Lattice, prior: Prior, beam: usize, out: &mut Analysis) -> bool {
        let lm: &NgramLm = &self.model.lm;
        let p = self.params();
        let Lattice {
            sent,
            ids,
            alts,
            active,
            keep_extra,
            by_start,
        } = l;
        let n = ids.len();
        let keep_cost: Vec<f32> = active
            .iter()
            .zip(keep_extra)
            .map(|(&a, &extra)| if a { prior.keep + extra } else { 0.0 })
            .collect();

        // 2. beam search over word boundaries
        let mut arena: Vec<Hyp> = Vec::with_capacity(n * beam * 4);
        let mut beams: Vec<Vec<u32>> = vec![Vec::new(); n + 1];
        arena.push(Hyp {
            score: 0.0,
            state: lm.start_state(),
            back: u32::MAX,
            alt: u32::MAX,
            from: 0,
        });
        beams[0].push(0);
        let mut pending: Vec<HashMap<(LmState, bool), u32>> = vec![HashMap::default(); n + 1];
        for j in 0..n {
            // prune the beam at boundary j
            let mut b = std::mem::take(&mut beams[j]);
            b.sort_by(|&x, &y| arena[y as usize].score.total_cmp(&arena[x as usize].score));
            b.truncate(beam);
            for &hi in &b {
                let st = arena[hi as usize].state;
                lm.prefetch(st, [ids[j]]);
                for &ai in &by_start[j] {
                    lm.prefetch(st, alts[ai as usize].ids().iter().map(|&c| Some(c)));
                }
            }
            for &hi in &b {
                let h = arena[hi as usize];
                // keep word j
                let s = h.score + lm.logp(h.state, ids[j]) * LN10 + keep_cost[j];
                push(
                    &mut arena,
                    &mut pending[j + 1],
                    &mut beams[j + 1],
                    Hyp {
                        score: s,
                        state: NgramLm::advance(h.state, ids[j]),
                        back: hi,
                        alt: u32::MAX,
                        from: j as u32,
                    },
                );
                // spinners break collocations word by word: a change right
                // after a change needs no margin of its own
                let run = if h.alt != u32::MAX {
                    p.change_margin as f32
                } else {
                    0.0
                };
                for &ai in &by_start[j] {
                    let a = &alts[ai as usize];
                    let mut st = h.state;
                    let mut s = h.score + prior.bonus(a) + run;
                    for &c in a.ids() {
                        s += lm.logp(st, Some(c)) * LN10;
                        st = NgramLm::advance(st, Some(c));
                    }
                    push(
                        &mut arena,
                        &mut pending[a.end],
                        &mut beams[a.end],
                        Hyp {
                            score: s,
                            state: st,
                            back: hi,
                            alt: ai,
                            from: j as u32,
                        },
                    );
                }
            }
        }
        let eos = lm.eos();
        let best = beams[n]
            .iter()
            .copied()
            .max_by(|&x, &y| {
                let sx = arena[x as usize].score + lm.logp(arena[x as usize].state, eos) * LN10;
                let sy = arena[y as usize].score + lm.logp(arena[y as usize].state, eos) * LN10;
                sx.total_cmp(&sy)
            })
            .expect("a path always exists");

        // 3. read the path back
        let mut path: Vec<(usize, usize, Option<u32>)> = Vec::new(); // (start, end, alt)
        let mut hi = best;
        while arena[hi as usize].back != u32::MAX {
            let h = arena[hi as usize];
            let alt = (h.alt != u32::MAX).then_some(h.alt);
            let end = match alt {
                Some(ai) => alts[ai as usize].end,
                None => h.from as usize + 1,
            };
            path.push((h.from as usize, end, alt));
            hi = h.back;
        }
        path.reverse();
        // decoded words (LM ids) to give each segment its context
        let mut seg_ids: Vec<Vec<Option<u32>>> = Vec::with_capacity(path.len());
        for &(s, _, alt) in &path {
            seg_ids.push(match alt {
                Some(ai) => alts[ai as usize].ids().iter().map(|&c| Some(c)).collect(),
                None => vec![ids[s]],
            });
        }

        // 4. posteriors per segment with decoded neighbours fixed
        let mut quiet = path.iter().all(|&(_, _, alt)| alt.is_none());
        for (si, &(s, e, alt)) in path.iter().enumerate() {
            if !(s..e).any(|j| active[j]) {
                continue;
            }
            // left context state
            let mut left: Vec<Option<u32>> = Vec::new();
            for seg in seg_ids[..si].iter().rev() {
                for &x in seg.iter().rev() {
                    left.push(x);
                    if left.len() == 2 {
                        break;
                    }
                }
                if left.len() == 2 {
                    break;
                }
            }
            let state: LmState = match left.as_slice() {
                [] => lm.start_state(),
                [b] => (lm.start_state().1, *b),
                [b, a, ..] => (*a, *b),
            };
            let right: Vec<Option<u32>> = seg_ids[si + 1..]
                .iter()
                .flatten()
                .copied()
                .take(2)
                .collect();
            let local = |emit: &mut dyn Iterator<Item = Option<u32>>| -> f32 {
                let mut st = state;
                let mut sc = 0.0;
                for x in emit.chain(right.iter().copied()) {
                    sc += lm.logp(st, x) * LN10;
                    st = NgramLm::advance(st, x);
                }
                if right.len() < 2 && si + 1 + right.len() >= path.len() {
                    sc += lm.logp(st, eos) * LN10;
                }
                sc
            };
            lm.prefetch(state, (s..e).map(|j| ids[j]).chain(right.iter().copied()));
            for &ai in by_start[s].iter().filter(|&&ai| alts[ai as usize].end == e) {
                let words = alts[ai as usize].ids().iter().map(|&c| Some(c));
                lm.prefetch(state, words.chain(right.iter().copied()));
            }
            let keep_score =
                local(&mut (s..e).map(|j| ids[j])) + (s..e).map(|j| keep_cost[j]).sum::<f32>();
            // all alternatives covering exactly this segment, plus, for a
            // kept word, single-word alternatives at it
            let mut scores: Vec<(f32, u32)> = Vec::new();
            for &ai in &by_start[s] {
                let a = &alts[ai as usize];
                if a.end != e {
                    continue;
                }
                // undo the margin: the posterior is about spun-ness, the
                // margin only guards restoration
                let sc = local(&mut a.ids().iter().map(|&c| Some(c)))
                    + prior.bonus(a)
                    + p.change_margin as f32;
                scores.push((sc, ai));
            }
            if scores.is_empty() {
                continue;
            }
            let m = scores.iter().map(|x| x.0).fold(keep_score, f32::max);
            let z_spun: f32 = scores.iter().map(|x| (x.0 - m).exp()).sum();
            let z = z_spun + (keep_score - m).exp();
            let posterior = (z_spun / z) as f64;
            out.expected_spun += posterior * (e - s) as f64;
            let best_alt = scores
                .iter()
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|x| x.1)
                .unwrap();
            let sugg_alt = alt.unwrap_or(best_alt);
            let suggestion = alts[sugg_alt as usize].text().to_string();
            let (ws, we) = (sent.start + s, sent.start + e);
            if let Some(ai) = alt {
                let best = scores.iter().find(|x| x.1 == ai).map_or(0.0, |x| x.0);
                let conf = ((best - m).exp() / z) as f64;
                out.changes.push((
                    ws,
                    we,
                    alts[ai as usize].text().to_string(),
                    posterior,
                    conf,
                ));
            }
            quiet &= posterior < p.flag_threshold;
            out.flagged.push((ws, we, posterior, Some(suggestion)));
        }
        quiet
    }

    /// The document's words as LM ids.
    fn doc_terms(&self, t: &Text) -> DocTerms {
        let lm = &self.model.lm;
        DocTerms::new(t.words().iter().map(|w| lm.id_lenient(&w.norm)).collect())
    }

    /// Words the language model does not know that occur more than once
    /// in the document (by [`stem`]): the text's own terms ("classifier",
    /// "classifiers" in an abstract), where a spinner's rare synonyms vary.
    fn repeated_unknown_words(&self, t: &Text) -> HashSet<String> {
        let lm = &self.model.lm;
        let mut seen: HashMap<&str, u32> = HashMap::default();
        for w in t.words() {
            if lm.id_lenient(&w.norm).is_none() {
                *seen.entry(stem(&w.norm)).or_default() += 1;
            }
        }
        seen.into_iter()
            .filter(|&(_, n)| n > 1)
            .map(|(w, _)| w.to_string())
            .collect()
    }
}

fn push(
    arena: &mut Vec<Hyp>,
    seen: &mut HashMap<(LmState, bool), u32>,
    beam: &mut Vec<u32>,
    h: Hyp,
) {
    match seen.get(&h.key()) {
        Some(&i) if arena[i as usize].score >= h.score => {}
        Some(&i) => arena[i as usize] = h,
        None => {
            let i = arena.len() as u32;
            arena.push(h);
            seen.insert(h.key(), i);
            beam.push(i);
        }
    }
}

/// A sentence's spans that have candidates, each scored in its local
/// context: the costly part of a [`Lattice`], made once per document.
struct SentenceSpans {
    /// the sentence's word range in the document
    sent: std::ops::Range<usize>,
    ids: Vec<Option<u32>>,
    /// see [`Lattice::keep_extra`]
    keep_extra: Vec<f32>,
    spans: Vec<SpanScores>,
    /// scored with the wide candidate lists
    wide: bool,
    /// spans (word ranges in the sentence) not scored yet: every bigram
    /// around them is known to the language model
    deferred: Vec<(usize, usize)>,
}

/// True when word `j` of a sentence follows an article that does not fit
/// `first` (the word, or a candidate for it): "a" before a vowel sound or
/// "an" before a consonant. Spinners swap a word and leave its article
/// ("a impartial celebration").
fn misfit(t: &Text, sent: &std::ops::Range<usize>, j: usize, first: &str) -> bool {
    let words = &t.words()[sent.clone()];
    j > 0
        && (words[j - 1].norm == "a" || words[j - 1].norm == "an")
        && t.gap_after(sent.start + j - 1).trim().is_empty()
        && words[j].case != Case::Upper
        && first.starts_with(|c: char| c.is_alphabetic())
        && words[j - 1].norm != crate::text::article_for(first)
}

/// A span's candidates scored in their local context, before the
/// alternatives to decode are chosen.
#[derive(Clone)]
struct SpanScores {
    start: usize,
    end: usize,
    /// best first by prior and channel
    cands: Candidates,
    /// per candidate: (gain with both neighbours, with the left only, with
    /// the right only), and its channel and frequency bonus
    scored: Vec<([f32; 3], f32)>,
    /// per candidate: kept as an alternative
    keep: Vec<bool>,
    /// per candidate: forms a strong bigram with a candidate of a neighbour
    collocation: Vec<bool>,
}

impl SpanScores {
    /// The alternatives marked to keep.
    fn kept(self) -> impl Iterator<Item = Alt> {
        let SpanScores {
            start,
            end,
            cands,
            scored,
            keep,
            ..
        } = self;
        (0..scored.len())
            .filter(move |&x| keep[x])
            .map(move |x| Alt {
                start,
                end,
                cands: Arc::clone(&cands),
                cand: x as u32,
                bonus: scored[x].1,
                in_doc: false,
                repeated: false,
                seconded: false,
            })
    }
}

/// Marks the alternatives that repeat a change of the first decoding made
/// at another place: the same words (lower case) to the same candidate.
/// A segment the first decoding flagged with a posterior of at least
/// `flag_from` (below 1) counts as changed to its suggestion.
fn second_first_changes(t: &Text, first: &Analysis, flag_from: f64, lattices: &mut [Lattice]) {
    let words = t.words();
    let key = |start: usize, end: usize| -> String {
        let ws: Vec<&str> = words[start..end].iter().map(|w| w.norm.as_str()).collect();
        ws.join(" ")
    };
    // (spun words, candidate) → where the first decoding made that change
    let mut made: HashMap<(String, &str), Vec<usize>> = HashMap::default();
    for (start, end, to, _, _) in &first.changes {
        made.entry((key(*start, *end), to.as_str()))
            .or_default()
            .push(*start);
    }
    if flag_from < 1.0 {
        // a changed segment is flagged with its change as the suggestion:
        // pushed twice, it seconds nothing more
        for (start, end, _, to) in first.flagged.iter().filter(|f| f.2 >= flag_from) {
            if let Some(to) = to {
                made.entry((key(*start, *end), to.as_str()))
                    .or_default()
                    .push(*start);
            }
        }
    }
    if made.is_empty() {
        return;
    }
    // most alternatives propose an original the first decoding never
    // chose: they are passed over without building their words' key
    let chosen: HashSet<&str> = made.keys().map(|k| k.1).collect();
    for l in lattices {
        for a in &mut l.alts {
            if !chosen.contains(a.text()) {
                continue;
            }
            let start = l.sent.start + a.start;
            a.seconded = made
                .get(&(key(start, l.sent.start + a.end), a.text()))
                .is_some_and(|at| at.iter().any(|&s| s != start));
        }
    }
}

/// True when every bigram touching words `i..i + k` is known to the model
/// (unknown neighbours count as unknown bigrams).
fn fits(lm: &NgramLm, ids: &[Option<u32>], i: usize, k: usize) -> bool {
    let lo = i.saturating_sub(1);
    let hi = (i + k + 1).min(ids.len());
    (lo..hi - 1).all(|j| match (ids[j], ids[j + 1]) {
        (Some(a), Some(b)) => lm.has_bigram(a, b),
        _ => false,
    })
}

/// A word without a plural or third-person "s", to count a term's forms
/// together.
fn stem(w: &str) -> &str {
    if w.len() > 3 && !w.ends_with("ss") {
        w.strip_suffix('s').unwrap_or(w)
    } else {
        w
    }
}

/// Titles before a surname, separated by spaces.
const HONORIFICS: &str =
    "mr mrs ms miss dr sir dame lord lady prof professor president senator judge \
    justice rev father sister brother uncle aunt saint st gen general captain capt \
    col sgt gov governor chancellor minister secretary king queen prince princess \
    pope bishop archbishop mayor chairman chief inspector detective officer coach \
    manager";

/// A Roman numeral of two letters or more below 40 ("ii", "iv", "xiii").
fn is_roman_numeral(w: &str) -> bool {
    let tens = w.len() - w.trim_start_matches('x').len();
    let units = &w[tens..];
    w.len() >= 2
        && tens <= 3
        && ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", ""].contains(&units)
}

/// A single letter other than the words "a" and "I".
fn is_initial(w: &str) -> bool {
    let mut chars = w.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphabetic() && c != 'a' && c != 'i')
}

fn is_honorific(w: &str) -> bool {
    HONORIFICS.split_ascii_whitespace().any(|h| h == w)
}

/// The calibrated probability that a document is spun, from its first
/// pass's estimated spun share, its length in words and the rarity of its
/// vocabulary (see [`Params::doc_a`]). A text without words holds no spun
/// word.
fn doc_score(p: &Params, spun_rate: f64, words: usize, vocabulary: f64) -> f64 {
    if words == 0 {
        return 0.0;
    }
    let excess = spun_rate - (p.doc_clean_a + p.doc_clean_b * vocabulary);
    let rare = (p.doc_rare_damping * (vocabulary - p.doc_rare_from))
        .exp()
        .min(1.0);
    let shrink = match p.doc_words > 0.0 {
        true => (words as f64 / p.doc_words).sqrt().min(1.0),
        false => 1.0,
    };
    sigmoid(shrink * (p.doc_a * rare * excess + p.doc_b))
}

/// What the adaptive prior's switch reads of the first pass: its estimate
/// r of the spun share; with `prior_vocabulary`, r damped as the document
/// score damps it in a text of rare words (see [`doc_score`]).
fn switch_reading(p: &Params, r: f64, u: f64) -> f64 {
    if !p.prior_vocabulary {
        return r;
    }
    r * (p.doc_rare_damping * (u - p.doc_rare_from)).exp().min(1.0)
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn is_number(w: &str) -> bool {
    w.chars().any(|c| c.is_ascii_digit())
}

/// Writes a lower-case replacement in the case of the words it replaces.
fn case_like(t: &Text, ws: usize, we: usize, lower: &str) -> String {
    let first = &t.words()[ws];
    let all_title = (ws..we).all(|i| t.words()[i].case == Case::Title);
    match first.case {
        Case::Upper if we - ws == 1 || (ws..we).all(|i| t.words()[i].case == Case::Upper) => {
            Case::Upper.apply(lower)
        }
        Case::Title if all_title && !(first.sentence_start && we - ws == 1) && we - ws > 1 => {
            title_phrase(lower)
        }
        // one capitalised word mid-sentence is a name's, so a phrase in its
        // place is one too ("Blair" → "Tony Blair", not "Tony blair")
        Case::Title
            if !first.sentence_start
                && we - ws == 1
                && lower.contains(' ')
                && !lower.split(' ').all(crate::text::is_function_word) =>
        {
            title_phrase(lower)
        }
        Case::Title => {
            // a capitalised first word keeps its capital ("Well being
            // Ministry" → "Health Ministry"), but a capitalised
            // function-word swap mid-sentence ("Oregon" for
            // "or") goes back to lower case
            if !first.sentence_start && lower.split(' ').all(crate::text::is_function_word) {
                lower.to_string()
            } else {
                Case::Title.apply_first(lower)
            }
        }
        _ => lower.to_string(),
    }
}

/// Narrows the span `ws..we` that `original` (lower case, words joined by
/// single spaces) replaces to the words it changes: a word at either edge
/// that the original keeps was not spun ("economic process" → "economic
/// growth" is the change of "process" to "growth"). One spun word always
/// stays. The original may narrow to nothing only when `may_delete`
/// ("was once" → "was" is "once" to be deleted): a detected span can say
/// so, while a restored change that deleted words would leave their
/// spacing behind. Returns the narrowed span and the rest of the original.
fn narrow_to_change(
    t: &Text,
    mut ws: usize,
    mut we: usize,
    original: &str,
    may_delete: bool,
) -> (usize, usize, String) {
    let orig: Vec<&str> = original.split(' ').filter(|w| !w.is_empty()).collect();
    let (mut os, mut oe) = (0, orig.len());
    let keeps = |w: &Word, o: &str| w.norm == o;
    let room = |os: usize, oe: usize| oe - os > usize::from(!may_delete);
    while we - ws > 1 && room(os, oe) && keeps(&t.words()[ws], orig[os]) {
        ws += 1;
        os += 1;
    }
    while we - ws > 1 && room(os, oe) && keeps(&t.words()[we - 1], orig[oe - 1]) {
        we -= 1;
        oe -= 1;
    }
    (ws, we, orig[os..oe].join(" "))
}

/// The article `original` takes when word `ws` of `t` follows an "a" or
/// "an" that fits it and would not fit `original` ("an extended" where
/// "longer" is suggested): the spinner refitted the article to its word,
/// so the original had the other one. `None` otherwise, as when the
/// article misfits the spun word ("a impartial"), since the spinner then
/// left it as the original had it.
fn refitted_article(t: &Text, ws: usize, original: &str) -> Option<&'static str> {
    let words = t.words();
    let (article, spun) = (words.get(ws.checked_sub(1)?)?, &words[ws]);
    let wanted = crate::text::article_for(original);
    ((article.norm == "a" || article.norm == "an")
        && !spun.sentence_start
        && t.gap_after(ws - 1).trim().is_empty()
        && original.starts_with(|c: char| c.is_alphabetic())
        && article.norm == crate::text::article_for(&spun.norm)
        && article.norm != wanted)
        .then_some(wanted)
}

/// True when `original` holds the words `ws..we` of `t` in a row and more
/// words besides: undoing the span would only add words.
fn only_adds(t: &Text, ws: usize, we: usize, original: &str) -> bool {
    let orig: Vec<&str> = original.split(' ').filter(|w| !w.is_empty()).collect();
    let words = &t.words()[ws..we];
    orig.len() > words.len()
        && orig
            .windows(words.len())
            .any(|o| o.iter().zip(words).all(|(o, w)| *o == w.norm))
}

/// A phrase in title case, its function words after the first left lower
/// case ("bank of england" → "Bank of England").
fn title_phrase(lower: &str) -> String {
    let mut out = String::with_capacity(lower.len());
    for (i, w) in lower.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        if i > 0 && crate::text::is_function_word(w) {
            out.push_str(w);
        } else {
            out.push_str(&Case::Title.apply(w));
        }
    }
    out
}

/// Fixes "a"/"an" before a changed word ("a impartial" → "an impartial"
/// was left by the spinner; after restoring "neutral" it must be "a").
fn fix_articles(text: &str, changes: &mut Vec<Change>) {
    let t = Text::new(text);
    let words = t.words();
    let mut extra = Vec::new();
    for c in changes.iter() {
        // the word before the change
        let Some(i) = words.iter().position(|w| w.chars.start == c.start) else {
            continue;
        };
        if i == 0 {
            continue;
        }
        let prev = &words[i - 1];
        if prev.norm != "a" && prev.norm != "an" {
            continue;
        }
        if changes
            .iter()
            .any(|o| o.start <= prev.chars.start && prev.chars.start < o.end)
        {
            continue;
        }
        let want = crate::text::article_for(&c.to);
        if prev.norm != want {
            let from = &text[prev.bytes.clone()];
            extra.push(Change {
                start: prev.chars.start,
                end: prev.chars.end,
                from: from.to_string(),
                to: Case::of(from).apply(want),
                score: c.score,
                source: c.source.clone(),
            });
        }
    }
    changes.extend(extra);
    changes.sort_by_key(|c| (c.start, c.end));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacements_take_the_case_of_what_they_replace() {
        // (text, first word, end word, lower-case replacement, expected)
        let cases = [
            ("Mr Blair said so.", 1, 2, "tony blair", "Tony Blair"),
            (
                "He met the Chancellor today.",
                3,
                4,
                "prime minister",
                "Prime Minister",
            ),
            (
                "Aides of the Exec said.",
                3,
                4,
                "white house",
                "White House",
            ),
            (
                "Shares of Federal Reserve rose.",
                2,
                4,
                "bank of england",
                "Bank of England",
            ),
            ("Warfare broke out.", 0, 1, "world war", "World war"),
            ("Well being Ministry staff.", 0, 2, "health", "Health"),
            ("We met Monday Oregon Tuesday.", 3, 4, "or", "or"),
            ("NASA said.", 0, 1, "space agency", "SPACE AGENCY"),
            (
                "Ask a Financial analyst.",
                2,
                4,
                "securities analyst",
                "Securities analyst",
            ),
            ("the workers left.", 1, 2, "staff", "staff"),
        ];
        for (text, ws, we, lower, want) in cases {
            let t = Text::new(text);
            assert_eq!(case_like(&t, ws, we, lower), want, "{text:?} {lower:?}");
        }
    }

    #[test]
    fn phrase_starts_admit_every_inflection_the_lexicon_can_analyse() {
        use crate::lexicon::{morph::pos, LexiconBuilder};
        let mut lex = LexiconBuilder::new();
        lex.irregular_mut().add_exc("went go\n", pos::VERB);
        lex.add("visit", "go to", pos::VERB, 1.0);
        lex.add("war", "armed conflict", pos::NOUN, 1.0);
        lex.add("era", "time period", pos::NOUN, 1.0);
        let lm = crate::lm::LmBuilder::new().build().unwrap();
        let model = Model::from_bytes(&crate::model::write_model(
            &lm,
            &lex.build(),
            &Params::default(),
        ))
        .unwrap();
        let starts = PhraseStarts::new(model.lexicon());
        let an = |w: &str| -> Vec<String> {
            let irr = model.lexicon().irregular();
            irr.analyses(w).into_iter().map(|(l, _)| l).collect()
        };
        let may = |a: &str, b: &str, len: usize| starts.may_start(&an(a), &an(b), len);
        // as listed, inflected on the first word, on the last word
        assert!(may("go", "to", 2));
        assert!(may("went", "to", 2));
        assert!(may("going", "to", 2));
        assert!(may("armed", "conflicts", 2));
        // a three-word span keeps its first two words
        assert!(may("went", "to", 3));
        // the inflected second word of a two-word phrase is not a start
        // of a longer one
        assert!(!may("armed", "conflicts", 3));
        // words that start no phrase, in either order
        assert!(!may("to", "go", 2));
        assert!(!may("armed", "forces", 2));
        assert!(!may("time", "war", 2));
        // and the filter agrees with the lexicon on every listed form
        for phrase in [
            "go to",
            "went to",
            "going to",
            "armed conflicts",
            "time periods",
        ] {
            let (a, b) = phrase.split_once(' ').unwrap();
            assert!(!model.lexicon().candidates(phrase).is_empty(), "{phrase}");
            assert!(may(a, b, 2), "{phrase}");
        }
    }

    #[test]
    fn the_familiarity_channel_normalises_over_the_originals_synonyms() {
        use crate::lexicon::{morph::pos, LexiconBuilder};
        let mut lm = crate::lm::LmBuilder::new();
        for (w, p) in [
            ("cold", -2.0),
            ("chilly", -4.0),
            ("cool", -3.0),
            ("icy", -5.0),
        ] {
            lm.add(&[w], p, 0.0).unwrap();
        }
        let mut lex = LexiconBuilder::new();
        lex.add("cold", "chilly", pos::ADJ, 1.0);
        lex.add("cold", "cool", pos::ADJ, 3.0);
        lex.add("cold", "frigorific", pos::ADJ, 1.0); // unknown to the LM
        lex.add("icy", "chilly", pos::ADJ, 1.0);
        let params = Params {
            familiarity: 0.5,
            channel_weight: 0.7,
            unknown_unigram: -6.0,
            ..Params::default()
        };
        let model = Model::from_bytes(&crate::model::write_model(
            &lm.build().unwrap(),
            &lex.build(),
            &params,
        ))
        .unwrap();
        let u = Unspinner::new(model.clone());
        let cands = u.candidates("chilly");
        let of = |text: &str| cands.iter().find(|c| &*c.0 == text).expect(text).clone();
        // by hand: ln Z(cold) over its three synonyms (channel 1/5, 3/5, 1/5)
        let term = |ch: f32, log10_f: f32| 0.7 * ch.ln() + 0.5 * log10_f * LN10;
        let ln_z_cold = [term(0.2, -4.0), term(0.6, -3.0), term(0.2, -6.0)]
            .iter()
            .map(|x| x.exp())
            .sum::<f32>()
            .ln();
        let familiar = 0.5 * -4.0 * LN10;
        let cold = of("cold");
        assert!((cold.2 - 0.2f32.ln()).abs() < 1e-2, "{cold:?}"); // stored to 3 decimals
        assert!((cold.3 - (familiar - ln_z_cold)).abs() < 1e-3, "{cold:?}");
        // "icy" has "chilly" as its only synonym: Z is that one term
        let icy = of("icy");
        assert!(
            (icy.3 - (familiar - term(1.0, -4.0))).abs() < 1e-3,
            "{icy:?}"
        );
        // off, the thesaurus channel stands alone
        let mut plain = params.clone();
        plain.familiarity = 0.0;
        let u = Unspinner::builder(model).params(plain).build();
        assert!(u.candidates("chilly").iter().all(|c| c.3 == 0.0));
    }

    #[test]
    fn the_span_model_decides_what_detect_flags() {
        let model = Model::builtin().expect("the built-in model loads");
        let text = "Throughout the Chilly Conflict period, the navy staged joint workout \
                    routines close to the border. The Well being Ministry revealed the whole \
                    variety of lively instances on Tuesday.";
        let with = |weights: Vec<f64>, threshold: f64| {
            let mut p = model.params().clone();
            p.span_model = crate::rescore::SpanModel {
                weights,
                threshold,
                floor: 0.5,
            };
            Unspinner::builder(model.clone()).params(p).build()
        };
        let n = crate::rescore::N_FEATURES;
        let candidates = with(Vec::new(), 0.5).span_candidates(text);
        assert!(candidates.len() >= 3, "{candidates:?}");
        for (s, f) in &candidates {
            assert!(s.score >= 0.5, "{s:?}");
            assert_eq!(f.0[0], s.score, "the first feature is the posterior");
        }
        // a bias alone: every candidate from the floor, or none
        let mut all = vec![0.0; n];
        all.push(10.0);
        let flagged = with(all, 0.5).detect(text).spans;
        assert_eq!(flagged.len(), candidates.len());
        assert!(flagged.iter().all(|s| s.score > 0.99));
        let mut none = vec![0.0; n];
        none.push(-10.0);
        assert!(with(none, 0.5).detect(text).spans.is_empty());
        // the posterior's weight alone: a span's score follows its posterior
        let mut by_posterior = vec![0.0; n];
        by_posterior[0] = 20.0;
        by_posterior.push(-18.0);
        let u = with(by_posterior, 0.0);
        for s in u.detect(text).spans {
            let (_, f) = candidates
                .iter()
                .find(|c| c.0.start == s.start)
                .expect("a candidate");
            let expected = 1.0 / (1.0 + (18.0 - 20.0 * f.0[0]).exp());
            assert!((s.score - expected).abs() < 1e-9, "{s:?}");
        }
        // without weights, the posterior and flag_threshold decide
        let plain = with(Vec::new(), 0.5).detect(text).spans;
        assert!(plain
            .iter()
            .all(|s| s.score >= model.params().flag_threshold));
    }

    #[test]
    fn a_change_made_elsewhere_seconds_the_same_change_only() {
        let u = Unspinner::new(Model::builtin().expect("the built-in model loads"));
        let t = Text::new("The lively instances rose. Lively instances fell again.");
        let spans: Vec<SentenceSpans> = t
            .sentences()
            .map(|s| u.sentence_spans(&t, s, false, &HashSet::default(), false))
            .collect();
        let doc_terms = u.doc_terms(&t);
        let mut lattices: Vec<Lattice> = spans
            .iter()
            .filter_map(|s| u.lattice(&t, s, &doc_terms))
            .collect();
        // the first decoding changed "instances" (word 2) to "cases"
        let mut first = Analysis::new(t.words().len());
        first.changes.push((2, 3, "cases".into(), 0.9, 0.9));
        second_first_changes(&t, &first, 1.0, &mut lattices);
        let marked: Vec<(usize, &str)> = lattices
            .iter()
            .flat_map(|l| l.alts.iter().map(move |a| (l.sent.start + a.start, a)))
            .filter(|(_, a)| a.seconded)
            .map(|(at, a)| (at, a.text()))
            .collect();
        // the other "instances" (word 5), to "cases" only; not word 2 itself
        assert!(!marked.is_empty());
        assert!(marked.iter().all(|&m| m == (5, "cases")), "{marked:?}");
    }

    #[test]
    fn a_likely_change_the_first_decoding_left_seconds_it_too() {
        let u = Unspinner::new(Model::builtin().expect("the built-in model loads"));
        let t = Text::new("The lively instances rose. Lively instances fell again.");
        let doc_terms = u.doc_terms(&t);
        let lattices = || -> Vec<Lattice> {
            t.sentences()
                .map(|s| u.sentence_spans(&t, s, false, &HashSet::default(), false))
                .filter_map(|s| u.lattice(&t, &s, &doc_terms))
                .collect()
        };
        let marked = |posterior: f64, flag_from: f64| -> Vec<(usize, String)> {
            // the first decoding kept "instances" (word 2) but found it
            // spun from "cases" with this posterior
            let mut first = Analysis::new(t.words().len());
            first.flagged.push((2, 3, posterior, Some("cases".into())));
            let mut ls = lattices();
            second_first_changes(&t, &first, flag_from, &mut ls);
            ls.iter()
                .flat_map(|l| l.alts.iter().map(move |a| (l.sent.start + a.start, a)))
                .filter(|(_, a)| a.seconded)
                .map(|(at, a)| (at, a.text().to_string()))
                .collect()
        };
        let seconded = marked(0.6, 0.5);
        assert!(!seconded.is_empty());
        assert!(
            seconded.iter().all(|m| *m == (5, "cases".to_string())),
            "{seconded:?}"
        );
        // below the posterior asked for, or with flags not counted: nothing
        assert!(marked(0.4, 0.5).is_empty());
        assert!(marked(0.99, 1.0).is_empty());
    }

    #[test]
    fn ranked_lists_are_the_lexicons_candidates_by_prior_and_channel() {
        // the ranked list, built from each original's cached forms, is the
        // lexicon's candidate list with LM ids, ranked by prior + channel
        let model = Model::builtin().expect("the built-in model loads");
        let u = Unspinner::new(model.clone());
        let lm = model.lm();
        // plain, inflected (irregular and regular), multi-word, spaced
        // compounds whose hyphenated spelling has originals, and asked twice
        let keys = [
            "chilly",
            "stated",
            "instances",
            "go to",
            "well being",
            "x ray",
            "chilly",
            "revealed",
        ];
        for key in keys {
            let mut reference: Vec<(f32, String, Vec<u32>, f32)> = Vec::new();
            for c in model.lexicon().candidates(key) {
                let ids: Option<Vec<u32>> = c.text.split(' ').map(|w| lm.id(w)).collect();
                if let Some(ids) = ids {
                    let prior = lm.ids_logp(ids.iter().map(|&x| Some(x)), 0.0) * LN10;
                    reference.push((prior + c.ln_channel, c.text, ids, c.ln_channel));
                }
            }
            // stable: ties keep the lexicon's order (channel, then text)
            reference.sort_by(|a, b| b.0.total_cmp(&a.0));
            reference.truncate(WIDE_POOL);
            let ranked: Vec<(f32, String, Vec<u32>, f32)> = u
                .ranked(key)
                .into_iter()
                .map(|(score, c)| (score, c.0.to_string(), c.1.to_vec(), c.2))
                .collect();
            assert!(!ranked.is_empty(), "{key}");
            assert_eq!(ranked, reference, "{key}");
        }
    }

    #[test]
    fn a_text_that_reads_as_spun_weighs_longer_candidate_lists() {
        let model = Model::builtin().expect("the built-in model loads");
        let u = Unspinner::new(model.clone());
        assert!(u.params().wide_when_spun);
        // "era" is a candidate for "period" only in the wide list
        let (narrow, wide) = (u.candidates("period"), u.wide_candidates("period"));
        assert_eq!(narrow.len(), MAX_CANDIDATES);
        assert!(wide.len() > narrow.len() && wide.len() <= WIDE_CANDIDATES);
        let has = |l: &Candidates, w: &str| l.iter().any(|c| &*c.0 == w);
        assert!(has(&wide, "era") && !has(&narrow, "era"));
        // the shortlist is the wide list's start, reranked in a smaller pool
        assert!(narrow.iter().all(|c| has(&wide, &c.0)));
        // a genuine text never reads as spun: the same with or without
        let mut off = model.params().clone();
        off.wide_when_spun = false;
        let off = Unspinner::builder(model).params(off).build();
        let clean = "The company reported strong profits in the third quarter, \
            analysts said. The government will publish the report on Monday.";
        assert_eq!(u.detect(clean).spans, off.detect(clean).spans);
        // the spans of a sentence scored wide weigh the wide list
        let t = Text::new("Throughout the Chilly Conflict period, the navy staged exercises.");
        let period = |wide: bool| {
            let s = u.sentence_spans(&t, 0..t.words().len(), false, &HashSet::default(), wide);
            let span = s.spans.iter().find(|x| x.start == 4 && x.end == 5);
            span.map(|x| has(&x.cands, "era"))
        };
        assert_eq!(period(true), Some(true));
        assert_eq!(period(false), Some(false));
    }

    #[test]
    fn a_fixed_dictionary_spin_is_undone_at_every_place() {
        let model = Model::builtin().expect("the built-in model loads");
        let mut off = model.params().clone();
        off.seconded_bonus = 0.0;
        let on = Unspinner::new(model.clone());
        let off = Unspinner::builder(model).params(off).build();
        // every "said" became "stated": the first decoding undoes it where
        // the context shows it ("Officers stated the whole variety"), and
        // that seconds the last sentence, which reads well either way
        let spun = "The Well being Ministry reported 120 new instances and the \
            restoration charge rose to 95% final week. Officers stated the whole \
            variety of lively instances had fallen. Throughout the Chilly Conflict \
            period, the navy staged joint workout routines close to the border. \
            The minister stated that he was pleased.";
        let changed = |u: &Unspinner| {
            u.restore(spun)
                .changes
                .iter()
                .filter(|c| c.from == "stated" && c.to == "said")
                .count()
        };
        assert!(
            changed(&on) > changed(&off),
            "{} vs {}",
            changed(&on),
            changed(&off)
        );
    }

    #[test]
    fn a_document_decoded_in_parts_gets_the_same_result() {
        let u = Unspinner::new(Model::builtin().expect("the built-in model loads"));
        let clean = "The company said its profits rose by 5% in the last quarter. \
            Analysts had expected a smaller rise. The chief executive said the \
            firm would open ten new stores next year. Shares rose 3%.";
        let spun = "The Well being Ministry reported 120 new instances. Officers \
            stated the whole variety of lively instances had fallen. Throughout \
            the Chilly Conflict period, the navy staged joint workout routines. \
            The Well being Ministry stated twenty-four instances had been lively. \
            He stated it was once a good day. They additionally stated the talks \
            would proceed.";
        let mut wide_off = u.params().clone();
        wide_off.wide_when_spun = false;
        let narrow = Unspinner::builder(u.model.clone()).params(wide_off).build();
        let mut checked = 0;
        for whole in [u.clone(), narrow] {
            for reuse in [true, false] {
                let whole = Unspinner {
                    reuse_first_pass: reuse,
                    ..whole.clone()
                };
                for per_part in [1, 2, 3] {
                    let parts = Unspinner {
                        sentences_per_part: per_part,
                        ..whole.clone()
                    };
                    for text in [clean, spun, &format!("{clean} {spun} {clean}")] {
                        let restored = whole.restore(text);
                        assert_eq!(parts.detect(text), whole.detect(text), "{text}");
                        assert_eq!(parts.restore(text), restored, "{text}");
                        checked += usize::from(!restored.changes.is_empty());
                    }
                }
            }
        }
        // the spun texts were restored: the comparison had work to check
        assert!(checked >= 16, "{checked}");
    }

    #[test]
    fn reusing_the_first_pass_changes_no_result() {
        let u = Unspinner::new(Model::builtin().expect("the built-in model loads"));
        let plain = Unspinner {
            reuse_first_pass: false,
            ..u.clone()
        };
        let clean = "The company said its profits rose by 5% in the last quarter, \
            helped by strong sales in Asia. Analysts had expected a smaller rise. \
            The chief executive said the firm would open ten new stores next year.";
        let spun = "The Well being Ministry reported 120 new instances and the \
            restoration charge rose to 95%. Officers stated the whole variety of \
            lively instances had fallen. Throughout the Chilly Conflict period, \
            the navy staged joint workout routines close to the border.";
        for text in [clean, spun, &format!("{clean} {spun}")] {
            assert_eq!(u.detect(text), plain.detect(text), "{text}");
            assert_eq!(u.restore(text), plain.restore(text), "{text}");
        }
        // both shortcuts are taken: the spun text has spans deferred to
        // its second pass, the clean one quiet sentences to skip there
        let p = u.params();
        let first_pass = |text: &str| {
            let t = Text::new(text);
            let spans: Vec<SentenceSpans> = t
                .sentences()
                .map(|s| u.sentence_spans(&t, s, true, &HashSet::default(), false))
                .collect();
            let doc_terms = u.doc_terms(&t);
            let lattices: Vec<Lattice> = spans
                .iter()
                .filter_map(|s| u.lattice(&t, s, &doc_terms))
                .collect();
            let prior = Prior::new(
                p.spin_rate as f32,
                p.change_margin as f32,
                0.0,
                p.repeated_word_cost as f32,
            );
            let quiet = u.decode_all(&lattices, prior, BEAM, None, &mut Analysis::new(0));
            let deferred: usize = spans.iter().map(|s| s.deferred.len()).sum();
            (deferred, quiet.iter().filter(|&&q| q).count())
        };
        assert!(first_pass(spun).0 > 0);
        assert!(first_pass(clean).1 > 0);
    }

    #[test]
    fn a_prior_that_invites_changes_less() {
        let clean = Prior::new(0.02, 3.0, 0.0, 1.0);
        let first = Prior::new(0.15, 3.0, 0.0, 1.0);
        let spun = Prior::new(0.3, 3.0, 0.0, 1.0);
        assert!(clean.no_more_inviting_than(&first));
        assert!(first.no_more_inviting_than(&first));
        assert!(!spun.no_more_inviting_than(&first));
        // a document-term bonus can outweigh the lower rate
        assert!(!Prior::new(0.02, 3.0, 5.0, 1.0).no_more_inviting_than(&first));
        assert!(Prior::new(0.02, 3.0, 0.5, 1.0).no_more_inviting_than(&first));
        // a different cost of changing a repeated word is not comparable
        assert!(!Prior::new(0.02, 3.0, 0.0, 2.0).no_more_inviting_than(&first));
    }

    #[test]
    fn phrase_values_are_computed_once() {
        let v = PhraseValues::new(3);
        let calls = std::cell::Cell::new(0);
        let f = |x: f32| {
            calls.set(calls.get() + 1);
            x
        };
        assert_eq!(v.get(1, || f(-2.5)), -2.5);
        assert_eq!(v.get(1, || f(7.0)), -2.5);
        assert_eq!(v.get(2, || f(-1.0)), -1.0);
        // beyond the table: computed every time, never stored
        assert_eq!(v.get(9, || f(4.0)), 4.0);
        assert_eq!(calls.get(), 3);
    }

    #[test]
    fn doc_terms_find_words_and_contiguous_phrases() {
        let d = DocTerms::new(vec![
            Some(1),
            Some(2),
            None,
            Some(3),
            Some(1),
            Some(2),
            Some(4),
            Some(1),
            Some(2),
        ]);
        assert_eq!((d.count(1), d.count(3), d.count(9)), (3, 1, 0));
        assert!(d.contains(&[2]) && d.contains(&[1, 2]) && d.contains(&[3, 1]));
        assert!(!d.contains(&[9]) && !d.contains(&[2, 3]) && !d.contains(&[]));
        // longer phrases: found at any of their first pair's places, never
        // across an unknown word or past the end
        assert!(d.contains(&[3, 1, 2, 4]) && d.contains(&[1, 2, 4, 1, 2]));
        assert!(!d.contains(&[1, 2, 3]) && !d.contains(&[4, 1, 2, 5]));
        assert!(!d.contains(&[1, 2, 4, 1, 2, 9]));
    }

    #[test]
    fn roman_numerals_are_told_from_words() {
        for w in ["ii", "iii", "iv", "vi", "ix", "xi", "xiv", "xxxix", "xx"] {
            assert!(is_roman_numeral(w), "{w}");
        }
        for w in [
            "i", "x", "v", "mix", "vix", "iiii", "xxxx", "via", "ivy", "six", "",
        ] {
            assert!(!is_roman_numeral(w), "{w}");
        }
    }

    #[test]
    fn the_document_score_weighs_the_evidence_by_length_and_vocabulary() {
        let p = Params {
            doc_a: 176.0,
            doc_b: -4.0,
            doc_clean_a: -0.081,
            doc_clean_b: -0.0333,
            doc_words: 200.0,
            ..Params::default()
        };
        // an article: a genuine text's rate scores low, a spun one's high
        assert!(doc_score(&p, 0.027, 400, -3.28) < 0.05);
        assert!(doc_score(&p, 0.10, 400, -3.40) > 0.99);
        // the same rate in rarer words is less evidence
        assert!(doc_score(&p, 0.06, 400, -3.8) < doc_score(&p, 0.06, 400, -3.2));
        // and noisier evidence, in words rarer than `doc_rare_from`
        let damped = Params {
            doc_rare_damping: 1.0,
            doc_rare_from: -3.3,
            ..p.clone()
        };
        let x = -0.081 + 0.0333 * 3.8 + 0.05; // an excess of 0.05 at u = -3.8
        assert!(doc_score(&damped, x, 400, -3.8) < doc_score(&p, x, 400, -3.8));
        assert!(doc_score(&damped, x, 400, -3.8) > 0.5);
        assert_eq!(
            doc_score(&damped, 0.1, 400, -3.1),
            doc_score(&p, 0.1, 400, -3.1)
        );
        // the prior's switch reads the first pass's rate as it is, or, with
        // `prior_vocabulary`, damped like the score's in rarer words
        assert_eq!(switch_reading(&damped, 0.08, -3.8), 0.08);
        let reading = Params {
            prior_vocabulary: true,
            ..damped.clone()
        };
        assert_eq!(switch_reading(&reading, 0.08, -3.1), 0.08);
        let rare = switch_reading(&reading, 0.08, -3.8);
        assert!((rare - 0.08 * (-0.5f64).exp()).abs() < 1e-12, "{rare}");
        // a shorter text is less evidence either way, no change past
        // `doc_words`
        let (short, long) = (
            doc_score(&p, 0.10, 50, -3.4),
            doc_score(&p, 0.10, 200, -3.4),
        );
        assert!(0.5 < short && short < long, "{short} {long}");
        assert_eq!(
            doc_score(&p, 0.10, 200, -3.4),
            doc_score(&p, 0.10, 5000, -3.4)
        );
        let (short, long) = (doc_score(&p, 0.0, 50, -3.4), doc_score(&p, 0.0, 200, -3.4));
        assert!(long < short && short < 0.5, "{short} {long}");
        // nothing to be spun
        assert_eq!(doc_score(&p, 0.0, 0, 0.0), 0.0);
        // a model without the new parameters scores as before them
        let old = Params {
            doc_a: 19.5,
            doc_b: -1.65,
            ..Params::default()
        };
        let want = sigmoid(19.5 * 0.08 - 1.65);
        assert!((doc_score(&old, 0.08, 30, -3.9) - want).abs() < 1e-12);
    }

    #[test]
    fn the_prior_adds_the_document_terms() {
        let cands: Candidates = Arc::new(vec![("x".into(), vec![7].into(), 0.0, 0.0)]);
        let alt = |in_doc, repeated| Alt {
            start: 0,
            end: 1,
            cands: Arc::clone(&cands),
            cand: 0,
            bonus: 1.0,
            in_doc,
            repeated,
            seconded: false,
        };
        let p = Prior::new(0.25, 2.0, 3.0, 5.0);
        let plain = p.bonus(&alt(false, false));
        let seconded = Alt {
            seconded: true,
            ..alt(false, false)
        };
        assert!((p.seconding(4.0).bonus(&seconded) - plain - 4.0).abs() < 1e-5);
        assert!((p.bonus(&seconded) - plain).abs() < 1e-5);
        assert!((plain - (1.0 + (0.25f32).ln() - (0.75f32).ln() - 2.0)).abs() < 1e-5);
        assert!((p.bonus(&alt(true, false)) - plain - 3.0).abs() < 1e-5);
        assert!((p.bonus(&alt(false, true)) - plain + 5.0).abs() < 1e-5);
        assert!((p.bonus(&alt(true, true)) - plain + 2.0).abs() < 1e-5);
    }

    #[test]
    fn an_article_the_spinner_refitted_joins_the_span() {
        // "an extended" where "longer" is suggested: the original read "a"
        let t = Text::new("They took an extended break.");
        assert_eq!(refitted_article(&t, 3, "longer"), Some("a"));
        assert_eq!(refitted_article(&t, 3, "enlarged"), None);
        let t = Text::new("An extended break followed.");
        assert_eq!(refitted_article(&t, 1, "long"), Some("a"));
        // the article misfits its word: the spinner left it as it was
        let t = Text::new("They took a extended break.");
        assert_eq!(refitted_article(&t, 3, "longer"), None);
        assert_eq!(refitted_article(&t, 3, "enlarged"), None);
        // no article before the word, or none at all
        let t = Text::new("They took the extended break, an unusual one.");
        assert_eq!(refitted_article(&t, 3, "longer"), None);
        assert_eq!(refitted_article(&t, 0, "longer"), None);
    }

    #[test]
    fn articles_follow_the_restored_word() {
        let text = "a impartial celebration";
        let mut changes = vec![Change {
            start: 2,
            end: 11,
            from: "impartial".into(),
            to: "neutral".into(),
            score: 0.9,
            source: None,
        }];
        fix_articles(text, &mut changes);
        let r = Restoration::apply(text, changes);
        assert_eq!(r.text, "a neutral celebration");
        let mut c2 = vec![Change {
            start: 2,
            end: 7,
            from: "great".into(),
            to: "important".into(),
            score: 0.9,
            source: None,
        }];
        fix_articles("a great day", &mut c2);
        assert_eq!(
            Restoration::apply("a great day", c2).text,
            "an important day"
        );
    }
}
