//! The model file: a versioned, checksummed container of named sections.
//!
//! Layout (all integers little-endian):
//!
//! ```text
//! magic    8 bytes  "UNSPINMD"
//! version  u32      FORMAT_VERSION
//! count    u32      number of sections
//! table    count × { name [u8; 24] (NUL padded), offset u64, len u64 }
//! payload  sections, each starting on an 8-byte boundary
//! crc32    u32      CRC-32 of every byte before it
//! ```
//!
//! Sections hold plain arrays so that a model can be memory-mapped and used
//! in place: nothing is parsed at load beyond the table and the checksum.
//! The sections a [`Model`] needs are the language model ([`crate::lm`]),
//! the lexicon ([`crate::lexicon`]) and a JSON section of parameters.

use std::path::Path;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::lexicon::Lexicon;
use crate::lm::NgramLm;

/// Magic bytes at the start of every model file.
pub const MAGIC: &[u8; 8] = b"UNSPINMD";
/// The model format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

const NAME_LEN: usize = 24;
const ENTRY_LEN: usize = NAME_LEN + 16;

/// Bytes that back a model: owned, memory-mapped or static.
pub(crate) enum Backing {
    Owned(Vec<u64>, usize),
    Mapped(memmap2::Mmap),
    Static(&'static [u8]),
}

impl Backing {
    pub(crate) fn bytes(&self) -> &[u8] {
        match self {
            // Vec<u64> keeps the payload 8-byte aligned
            Backing::Owned(words, len) => {
                let all: &[u8] = unsafe {
                    std::slice::from_raw_parts(words.as_ptr() as *const u8, words.len() * 8)
                };
                &all[..*len]
            }
            Backing::Mapped(m) => m,
            Backing::Static(s) => s,
        }
    }

    pub(crate) fn owned(bytes: &[u8]) -> Backing {
        let mut words = vec![0u64; bytes.len().div_ceil(8)];
        let dst: &mut [u8] = unsafe {
            std::slice::from_raw_parts_mut(words.as_mut_ptr() as *mut u8, words.len() * 8)
        };
        dst[..bytes.len()].copy_from_slice(bytes);
        Backing::Owned(words, bytes.len())
    }
}

/// A checked view of the section table of a container.
#[derive(Clone)]
pub(crate) struct Container {
    backing: Arc<Backing>,
    sections: Vec<(String, usize, usize)>,
}

impl Container {
    /// Checks magic, version, table and checksum; `what` names the source in
    /// errors.
    pub(crate) fn open(backing: Backing, what: &str) -> Result<Container> {
        let bytes = backing.bytes();
        let corrupt = |reason: &str| Error::CorruptModel {
            what: what.to_string(),
            reason: reason.to_string(),
        };
        if bytes.len() < 8 || &bytes[..8] != MAGIC {
            return Err(Error::NotAModel {
                what: what.to_string(),
            });
        }
        if bytes.len() < 20 {
            return Err(corrupt("truncated header"));
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().unwrap());
        if version != FORMAT_VERSION {
            return Err(Error::IncompatibleModel {
                what: what.to_string(),
                found: version,
                expected: FORMAT_VERSION,
            });
        }
        let body = bytes.len() - 4;
        let stored = u32::from_le_bytes(bytes[body..].try_into().unwrap());
        if crc32fast::hash(&bytes[..body]) != stored {
            return Err(corrupt("checksum mismatch (truncated or damaged file)"));
        }
        let count = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
        let table_end = 16usize
            .checked_add(
                count
                    .checked_mul(ENTRY_LEN)
                    .ok_or_else(|| corrupt("section count"))?,
            )
            .ok_or_else(|| corrupt("section count"))?;
        if table_end > body {
            return Err(corrupt("section table runs past the end"));
        }
        let mut sections = Vec::with_capacity(count);
        for i in 0..count {
            let e = &bytes[16 + i * ENTRY_LEN..16 + (i + 1) * ENTRY_LEN];
            let name_end = e[..NAME_LEN]
                .iter()
                .position(|&b| b == 0)
                .unwrap_or(NAME_LEN);
            let name = std::str::from_utf8(&e[..name_end])
                .map_err(|_| corrupt("section name is not UTF-8"))?
                .to_string();
            let off = u64::from_le_bytes(e[NAME_LEN..NAME_LEN + 8].try_into().unwrap()) as usize;
            let len = u64::from_le_bytes(e[NAME_LEN + 8..].try_into().unwrap()) as usize;
            if off % 8 != 0
                || off < table_end
                || off.checked_add(len).map_or(true, |end| end > body)
            {
                return Err(corrupt(&format!("section {name} is out of bounds")));
            }
            sections.push((name, off, len));
        }
        Ok(Container {
            backing: Arc::new(backing),
            sections,
        })
    }

    /// The bytes of section `name`.
    pub(crate) fn section(&self, name: &str) -> Option<Section> {
        self.sections.iter().find(|s| s.0 == name).map(|s| Section {
            backing: Arc::clone(&self.backing),
            off: s.1,
            len: s.2,
        })
    }

    pub(crate) fn require(&self, name: &str, what: &str) -> Result<Section> {
        self.section(name).ok_or_else(|| Error::CorruptModel {
            what: what.to_string(),
            reason: format!("missing section {name}"),
        })
    }
}

/// A section: a shared handle on part of the container's bytes.
#[derive(Clone)]
pub(crate) struct Section {
    backing: Arc<Backing>,
    off: usize,
    len: usize,
}

impl Section {
    pub(crate) fn bytes(&self) -> &[u8] {
        &self.backing.bytes()[self.off..self.off + self.len]
    }

    /// The section as a slice of `T` (a plain integer type).
    pub(crate) fn as_slice<T: Plain>(&self) -> Option<&[T]> {
        let b = self.bytes();
        if b.len() % std::mem::size_of::<T>() != 0 {
            return None;
        }
        // SAFETY: T is a plain integer type (any bit pattern is valid); the
        // container puts sections on 8-byte boundaries of an 8-aligned buffer
        // (mmap and Vec<u64> are), and align_to checks it anyway.
        let (pre, mid, post) = unsafe { b.align_to::<T>() };
        if pre.is_empty() && post.is_empty() {
            Some(mid)
        } else {
            None
        }
    }
}

/// Plain integer types that may be viewed in place.
pub(crate) trait Plain: Copy {}
impl Plain for u8 {}
impl Plain for u16 {}
impl Plain for i16 {}
impl Plain for u32 {}
impl Plain for u64 {}
impl Plain for f32 {}

/// Writes a container from named sections.
#[derive(Default)]
pub(crate) struct ContainerWriter {
    sections: Vec<(String, Vec<u8>)>,
}

impl ContainerWriter {
    pub(crate) fn add(&mut self, name: &str, bytes: Vec<u8>) -> &mut Self {
        assert!(name.len() <= NAME_LEN, "section name too long: {name}");
        self.sections.push((name.to_string(), bytes));
        self
    }

    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&(self.sections.len() as u32).to_le_bytes());
        let table_at = out.len();
        out.resize(table_at + self.sections.len() * ENTRY_LEN, 0);
        for (i, (name, bytes)) in self.sections.iter().enumerate() {
            while out.len() % 8 != 0 {
                out.push(0);
            }
            let off = out.len() as u64;
            out.extend_from_slice(bytes);
            let e = table_at + i * ENTRY_LEN;
            out[e..e + name.len()].copy_from_slice(name.as_bytes());
            out[e + NAME_LEN..e + NAME_LEN + 8].copy_from_slice(&off.to_le_bytes());
            out[e + NAME_LEN + 8..e + ENTRY_LEN]
                .copy_from_slice(&(bytes.len() as u64).to_le_bytes());
        }
        let crc = crc32fast::hash(&out);
        out.extend_from_slice(&crc.to_le_bytes());
        out
    }
}

/// Parameters of the decoder and the calibration, stored with the model.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct Params {
    /// prior probability that a word with candidates was substituted
    pub spin_rate: f64,
    /// decode twice, the second time with a prior set by the document score
    pub adaptive: bool,
    /// prior spin rate of a document scored clean (adaptive decoding)
    pub spin_rate_clean: f64,
    /// prior spin rate of a document scored spun (adaptive decoding), for
    /// restoration
    pub spin_rate_spun: f64,
    /// the same for detection: a missed flag costs less than a wrong
    /// rewrite, so restoration may decode more cautiously than detection
    pub spin_rate_spun_detect: f64,
    /// bonus, in ln units, for undoing a substitution to a word the
    /// document uses elsewhere (scaled by the probability that the document
    /// is spun, so a clean text gets none): a spinner swaps some
    /// occurrences of a word and leaves others
    pub doc_term_bonus: f64,
    /// cost, in ln units, of changing a single word the document uses more
    /// than once: a writer's repeated word is more often genuine than a
    /// spinner's pick
    pub repeated_word_cost: f64,
    /// bonus, in ln units, for undoing a substitution that the first
    /// decoding made at another occurrence of the same words, to the same
    /// original (scaled like `doc_term_bonus`): a spinner with a fixed
    /// dictionary swaps every occurrence of a word alike
    pub seconded_bonus: f64,
    /// in a text that reads as spun, a segment the first decoding left as
    /// it was but found spun with at least this posterior seconds its
    /// suggestion like a change (`seconded_bonus`): with the repeated-word
    /// cost and the change margin, the first decoding seldom changes a
    /// word the document repeats, which is what a spinner with a fixed
    /// dictionary leaves. 1 (the default): only changes second
    pub seconded_flag_from: f64,
    /// decode a text that reads as spun the second time with longer
    /// candidate lists (32 originals a span instead of 20): a text that
    /// reads as clean keeps the shortlists, and its false flags with them
    pub wide_when_spun: bool,
    /// the adaptive prior's switch reads the first pass's estimate damped
    /// in a text of rare words, as the document score damps it
    /// (`doc_rare_damping`, `doc_rare_from`): such a text (a scientific
    /// abstract) gets more false evidence. On in the built-in
    /// `params.json`, off in a model file that does not name it (it scores
    /// as before): a spun text's own words are rarer too, so simulated news
    /// loses a little recall
    pub prior_vocabulary: bool,
    /// how much of the candidate's unigram advantage is discounted (0 = none)
    pub freq_weight: f64,
    /// scale of ln P(spun | original): 1 trusts the thesaurus' channel fully,
    /// lower values flatten it (the spinner's dictionary is unknown)
    pub channel_weight: f64,
    /// the spinner's preference for familiar synonyms: with it above 0,
    /// ln P(spun | original) is `channel_weight` × the thesaurus's, plus
    /// `familiarity` × ln P_LM(spun), normalised over the original's
    /// synonyms (as `unspin spin` draws them); 0 leaves the thesaurus's
    /// channel unnormalised
    pub familiarity: f64,
    /// cost, in ln units, of keeping a word its article does not fit ("a
    /// impartial": spinners swap the word and leave the article), also paid
    /// by a candidate original that would not fit it either
    pub article_misfit_cost: f64,
    /// minimum gain in natural log units before a change is made
    pub change_margin: f64,
    /// cap, in ln units, on the channel cost of a candidate that forms a
    /// strong bigram with a neighbouring word's candidate ("neutral party"
    /// for "impartial celebration")
    pub collocation_channel_floor: f64,
    /// consider only spans that form some bigram unknown to the model
    pub require_unseen: bool,
    /// ...except in a document the first pass scores as spun: there, a span
    /// whose bigrams are all known is considered too (a spinner's
    /// substitution often forms a common bigram: "local workers")
    pub seen_when_spun: bool,
    /// log10 unigram probability assumed, in the frequency discount, for
    /// a lower-case word the language model does not know (spinners reach
    /// for rare thesaurus entries; such a word is a candidate for undoing)
    pub unknown_unigram: f64,
    /// posterior above which detect flags a word when there is no span
    /// model (with one, the span model decides); a sentence with no
    /// posterior above it is quiet (see the decoder)
    pub flag_threshold: f64,
    /// posterior below which restore leaves a decoded change out (0 = apply
    /// every change of the decoded path)
    pub restore_threshold: f64,
    /// document calibration: score = sigmoid(g * (doc_a * excess + doc_b)),
    /// where `excess` is the first pass's estimate of the spun share over
    /// what a genuine text of the same vocabulary gets (`doc_clean_a`,
    /// `doc_clean_b`), damped in rare words (`doc_rare_damping`), and g
    /// shrinks the evidence of a short text (`doc_words`)
    pub doc_a: f64,
    /// see `doc_a`
    pub doc_b: f64,
    /// the spun share a genuine text's first pass estimates, as
    /// `doc_clean_a + doc_clean_b * u`, u the mean log10 unigram probability
    /// of its lower-case words: a text of rarer words gets more false
    /// evidence (0 and 0: measured from zero)
    pub doc_clean_a: f64,
    /// see `doc_clean_a`
    pub doc_clean_b: f64,
    /// a text of fewer words than this has its evidence (the logit) scaled
    /// by sqrt(words / doc_words), towards 0.5 (0: no scaling)
    pub doc_words: f64,
    /// the first pass's estimate is noisier in rarer words: the excess of a
    /// text whose u (see `doc_clean_a`) is below `doc_rare_from` counts
    /// exp(doc_rare_damping * (u - doc_rare_from)) times (0: not damped)
    pub doc_rare_damping: f64,
    /// see `doc_rare_damping`
    pub doc_rare_from: f64,
    /// the adaptive prior's switch: the second pass decodes with
    /// `spin_rate_clean + s * (spin_rate_spun - spin_rate_clean)`, where
    /// `s = sigmoid(prior_a * spun_rate_estimate + prior_b)`; sharper than
    /// the reported document score, so that clean text is decoded at the
    /// clean rate
    pub prior_a: f64,
    /// see `prior_a`
    pub prior_b: f64,
    /// read a misspelled word one edit from a common one as that word
    /// ("anouncement"), and restore its spelling in a text that reads as
    /// spun (see [`crate::typos`])
    pub typos: bool,
    /// the second opinion on detect's spans (see [`crate::rescore`]);
    /// without weights, detect flags by the posterior and `flag_threshold`
    pub span_model: crate::rescore::SpanModel,
    /// free-form description of where the model comes from
    pub provenance: String,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            spin_rate: 0.15,
            adaptive: true,
            spin_rate_clean: 0.02,
            spin_rate_spun: 0.35,
            spin_rate_spun_detect: 0.35,
            doc_term_bonus: 0.0,
            repeated_word_cost: 0.0,
            seconded_bonus: 0.0,
            seconded_flag_from: 1.0,
            wide_when_spun: false,
            prior_vocabulary: false,
            freq_weight: 0.5,
            channel_weight: 0.5,
            familiarity: 0.0,
            article_misfit_cost: 0.0,
            change_margin: 1.0,
            collocation_channel_floor: -5.0,
            require_unseen: true,
            seen_when_spun: true,
            unknown_unigram: -5.0,
            flag_threshold: 0.5,
            restore_threshold: 0.0,
            typos: true,
            doc_a: 60.0,
            doc_b: -3.0,
            prior_a: 120.0,
            prior_b: -7.2,
            doc_clean_a: 0.0,
            doc_clean_b: 0.0,
            doc_words: 0.0,
            doc_rare_damping: 0.0,
            doc_rare_from: 0.0,
            span_model: crate::rescore::SpanModel::default(),
            provenance: String::new(),
        }
    }
}

impl Params {
    /// Checks that every parameter is in its range (rates strictly between
    /// 0 and 1, the flag threshold in 0..=1, weights finite and not
    /// negative): a model with others would score NaN or nonsense.
    pub fn validate(&self) -> std::result::Result<(), String> {
        let rate = |name: &str, v: f64| {
            if v > 0.0 && v < 1.0 {
                Ok(())
            } else {
                Err(format!("{name} is {v}, not strictly between 0 and 1"))
            }
        };
        let weight = |name: &str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(format!("{name} is {v}, not a finite number >= 0"))
            }
        };
        rate("spin_rate", self.spin_rate)?;
        rate("spin_rate_clean", self.spin_rate_clean)?;
        rate("spin_rate_spun", self.spin_rate_spun)?;
        rate("spin_rate_spun_detect", self.spin_rate_spun_detect)?;
        weight("doc_term_bonus", self.doc_term_bonus)?;
        weight("repeated_word_cost", self.repeated_word_cost)?;
        weight("seconded_bonus", self.seconded_bonus)?;
        weight("freq_weight", self.freq_weight)?;
        weight("channel_weight", self.channel_weight)?;
        weight("familiarity", self.familiarity)?;
        weight("article_misfit_cost", self.article_misfit_cost)?;
        weight("change_margin", self.change_margin)?;
        weight("doc_words", self.doc_words)?;
        weight("doc_rare_damping", self.doc_rare_damping)?;
        for (name, v) in [
            ("flag_threshold", self.flag_threshold),
            ("restore_threshold", self.restore_threshold),
            ("seconded_flag_from", self.seconded_flag_from),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(format!("{name} is {v}, not between 0 and 1"));
            }
        }
        for (name, v) in [
            ("doc_a", self.doc_a),
            ("doc_b", self.doc_b),
            ("prior_a", self.prior_a),
            ("prior_b", self.prior_b),
            ("doc_clean_a", self.doc_clean_a),
            ("doc_clean_b", self.doc_clean_b),
            ("doc_rare_from", self.doc_rare_from),
            ("unknown_unigram", self.unknown_unigram),
            ("collocation_channel_floor", self.collocation_channel_floor),
        ] {
            if !v.is_finite() {
                return Err(format!("{name} is {v}, not a finite number"));
            }
        }
        self.span_model.validate()
    }
}

/// A loaded model: language model, lexicon and parameters. Cheap to clone.
#[derive(Clone)]
pub struct Model {
    pub(crate) lm: Arc<NgramLm>,
    pub(crate) lexicon: Arc<Lexicon>,
    pub(crate) params: Params,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model")
            .field("lm_order", &self.lm.order())
            .field("vocab", &self.lm.vocab_len())
            .field("params", &self.params)
            .finish()
    }
}

#[cfg(feature = "builtin-model")]
static BUILTIN_ZST: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../model/default.unspin.zst"
));

/// The built-in model's decoder parameters. `scripts/build-model.sh` writes
/// this file into the model's `params` section too, as it stood at the last
/// build; compiling it in, over that copy, lets the decoder be re-tuned
/// without re-committing the model's data.
#[cfg(feature = "builtin-model")]
static BUILTIN_PARAMS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../model/params.json"
));

impl Model {
    /// The built-in default model.
    ///
    /// It is decompressed once per process and shared.
    pub fn builtin() -> Result<Model> {
        #[cfg(feature = "builtin-model")]
        {
            static CACHE: std::sync::OnceLock<std::result::Result<Model, String>> =
                std::sync::OnceLock::new();
            let r = CACHE.get_or_init(|| {
                let raw = zstd::decode_all(BUILTIN_ZST).map_err(|e| e.to_string())?;
                let model = Model::from_backing(Backing::owned(&raw), "built-in model")
                    .map_err(|e| e.to_string())?;
                let params: Params = serde_json::from_str(BUILTIN_PARAMS)
                    .map_err(|e| format!("model/params.json: {e}"))?;
                Ok(model.with_params(params))
            });
            r.clone().map_err(|reason| Error::CorruptModel {
                what: "built-in model".into(),
                reason,
            })
        }
        #[cfg(not(feature = "builtin-model"))]
        {
            Err(Error::NoBuiltinModel)
        }
    }

    /// Opens a model file, memory-mapping it. A zstd-compressed file
    /// (`.zst`) is decompressed into memory instead.
    pub fn open(path: impl AsRef<Path>) -> Result<Model> {
        let path = path.as_ref();
        let what = path.display().to_string();
        let io = |source| Error::ModelIo {
            path: path.to_path_buf(),
            source,
        };
        let file = std::fs::File::open(path).map_err(io)?;
        // SAFETY: the map is read-only; a file changed under us can give wrong
        // scores but the container checks bounds on every section access.
        let map = unsafe { memmap2::Mmap::map(&file) }.map_err(io)?;
        if map.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            #[cfg(feature = "builtin-model")]
            {
                let raw = zstd::decode_all(&map[..]).map_err(|e| Error::CorruptModel {
                    what: what.clone(),
                    reason: format!("bad zstd stream: {e}"),
                })?;
                return Model::from_backing(Backing::owned(&raw), &what);
            }
        }
        Model::from_backing(Backing::Mapped(map), &what)
    }

    /// Loads a model from bytes in memory.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        Model::from_backing(Backing::owned(bytes), "model bytes")
    }

    /// Loads a model from a static byte slice without copying.
    pub fn from_static(bytes: &'static [u8]) -> Result<Model> {
        Model::from_backing(Backing::Static(bytes), "static model")
    }

    fn from_backing(backing: Backing, what: &str) -> Result<Model> {
        let c = Container::open(backing, what)?;
        let params: Params =
            serde_json::from_slice(c.require("params", what)?.bytes()).map_err(|e| {
                Error::CorruptModel {
                    what: what.to_string(),
                    reason: format!("bad params section: {e}"),
                }
            })?;
        params.validate().map_err(|reason| Error::CorruptModel {
            what: what.to_string(),
            reason: format!("bad params section: {reason}"),
        })?;
        // A file whose checksum was recomputed after damage passes the
        // container's checks: the readers walk the fst sections whole as
        // they load them (the fst crate panics on some damaged nodes, so a
        // walk at load means no lookup meets one later), and any panic of
        // theirs becomes an error naming the file.
        let corrupt = |reason: String| Error::CorruptModel {
            what: what.to_string(),
            reason,
        };
        let (lm, lexicon) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            // the language model and the lexicon are independent: load them
            // on two threads (a panic in either is re-raised here)
            std::thread::scope(|s| {
                let lm = s.spawn(|| NgramLm::from_container(&c, what));
                let lexicon = Lexicon::from_container(&c, what);
                let lm = lm.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
                Ok::<_, Error>((lm?, lexicon?))
            })
        }))
        .unwrap_or_else(|_| Err(corrupt("a damaged section made its reader fail".into())))?;
        Ok(Model {
            lm: Arc::new(lm),
            lexicon: Arc::new(lexicon),
            params,
        })
    }

    /// The model's parameters.
    pub fn params(&self) -> &Params {
        &self.params
    }

    /// A copy of this model with other parameters.
    pub fn with_params(&self, params: Params) -> Model {
        Model {
            params,
            ..self.clone()
        }
    }

    /// The language model.
    pub fn lm(&self) -> &NgramLm {
        &self.lm
    }

    /// The lexicon.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }
}

/// The keys of an fst map and their ids in a hash map, built at load: a
/// lookup hashes the key once and touches a cache line or two, where the
/// fst visits a node per byte. The decoder looks words up millions of times.
#[derive(Default)]
pub(crate) struct KeyIds(rustc_hash::FxHashMap<Box<str>, u32>);

impl KeyIds {
    /// Reads every key of `map` (visiting every reachable node, so that a
    /// damaged node shows now rather than in a later lookup), checking
    /// that each id is below `limit`.
    pub(crate) fn of<D: AsRef<[u8]>>(
        map: &fst::Map<D>,
        limit: u64,
    ) -> std::result::Result<KeyIds, String> {
        use fst::Streamer;
        let mut ids = rustc_hash::FxHashMap::default();
        // the stored length of a damaged fst can be anything; each key
        // takes at least a byte
        ids.reserve(map.len().min(map.as_fst().as_bytes().len()));
        let mut stream = map.stream();
        while let Some((key, id)) = stream.next() {
            if id >= limit {
                return Err(format!("id {id} out of range (there are {limit})"));
            }
            if let Ok(key) = std::str::from_utf8(key) {
                ids.insert(key.into(), id as u32);
            }
        }
        Ok(KeyIds(ids))
    }

    #[inline]
    pub(crate) fn get(&self, key: &str) -> Option<u32> {
        self.0.get(key).copied()
    }
}

/// Serialises a model's parts into container bytes.
pub(crate) fn write_model(
    lm: &crate::lm::LmParts,
    lexicon: &crate::lexicon::LexiconParts,
    params: &Params,
) -> Vec<u8> {
    let mut w = ContainerWriter::default();
    w.add(
        "params",
        serde_json::to_vec_pretty(params).expect("params serialise"),
    );
    lm.write(&mut w);
    lexicon.write(&mut w);
    w.to_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<u8> {
        let mut w = ContainerWriter::default();
        w.add("a", vec![1, 2, 3])
            .add("b", 7u64.to_le_bytes().to_vec());
        w.to_bytes()
    }

    #[test]
    fn round_trip_sections() {
        let c = Container::open(Backing::owned(&sample()), "t").unwrap();
        assert_eq!(c.section("a").unwrap().bytes(), &[1, 2, 3]);
        assert_eq!(c.section("b").unwrap().as_slice::<u64>().unwrap(), &[7]);
        assert!(c.section("zz").is_none());
    }

    #[test]
    fn every_truncation_and_bit_flip_is_an_error() {
        let bytes = sample();
        for cut in 0..bytes.len() {
            assert!(
                Container::open(Backing::owned(&bytes[..cut]), "t").is_err(),
                "cut {cut}"
            );
        }
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x10;
            assert!(
                Container::open(Backing::owned(&b), "t").is_err(),
                "flip {i}"
            );
        }
    }

    /// A small real model's bytes and the range of one of its sections.
    fn small_model(section: &str) -> (Vec<u8>, std::ops::Range<usize>) {
        let mut lm = crate::lm::LmBuilder::new();
        for w in [
            "<s>", "</s>", "cold", "war", "chilly", "conflict", "era", "period",
        ] {
            lm.add(&[w], -2.0, -0.3).unwrap();
        }
        lm.add(&["cold", "war"], -0.5, -0.2).unwrap();
        let mut lex = crate::lexicon::LexiconBuilder::new();
        lex.add("cold", "chilly", 15, 1.0);
        lex.add("cold war", "chilly conflict", 15, 1.0);
        let bytes = write_model(&lm.build().unwrap(), &lex.build(), &Params::default());
        let c = Container::open(Backing::owned(&bytes), "t").unwrap();
        let s = c.sections.iter().find(|s| s.0 == section).unwrap();
        let range = s.1..s.1 + s.2;
        (bytes, range)
    }

    #[test]
    fn damaged_fst_sections_with_a_fixed_checksum_are_errors() {
        // found by the `model` fuzz target: a damaged lm.vocab whose CRC was
        // recomputed made the fst crate panic ("1 <= nbytes && nbytes <= 8")
        for section in ["lm.vocab", "lex.fst"] {
            let (good, range) = small_model(section);
            for at in range.clone() {
                for mask in [0x01, 0x10, 0x80, 0xff] {
                    let mut b = good.clone();
                    b[at] ^= mask;
                    let body = b.len() - 4;
                    let crc = crc32fast::hash(&b[..body]);
                    b[body..].copy_from_slice(&crc.to_le_bytes());
                    if let Ok(m) = Model::from_bytes(&b) {
                        // not "": Irregular::analyses("") panics on any model
                        // (reported; see crates/core/tests/props.rs)
                        for w in ["cold", "war", "chilly", "zzz", "cold war"] {
                            let _ = m.lm().id(w);
                            let _ = m.lexicon().candidates(w);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn damaged_arrays_with_a_fixed_checksum_never_panic() {
        // every other section of the lexicon and the language model,
        // damaged past the checksum: an error at load or safe lookups
        for section in [
            "lex.str.off",
            "lex.fwd.off",
            "lex.fwd.id",
            "lex.rev.off",
            "lex.rev.id",
            "lm.bi.k",
            "lm.tri.k",
        ] {
            let (good, range) = small_model(section);
            for at in range.clone() {
                let mut b = good.clone();
                b[at] ^= 0x40;
                let body = b.len() - 4;
                let crc = crc32fast::hash(&b[..body]);
                b[body..].copy_from_slice(&crc.to_le_bytes());
                if let Ok(m) = Model::from_bytes(&b) {
                    for w in ["cold", "chilly", "cold war", "chilly conflict"] {
                        let _ = m.lexicon().candidates(w);
                        let _ = m.lexicon().spins(w);
                        let _ = m.lm().sentence_logp(&["cold", w]);
                    }
                }
            }
        }
    }

    #[test]
    fn a_lexicon_phrase_that_is_not_utf8_is_an_error_at_load() {
        let (good, range) = small_model("lex.str");
        let mut b = good.clone();
        b[range.start] = 0xff;
        let body = b.len() - 4;
        let crc = crc32fast::hash(&b[..body]);
        b[body..].copy_from_slice(&crc.to_le_bytes());
        let Err(e) = Model::from_bytes(&b) else {
            panic!("a damaged phrase loaded");
        };
        assert!(e.to_string().contains("not UTF-8"), "{e}");
        assert!(Model::from_bytes(&good).is_ok());
    }

    #[test]
    fn params_out_of_range_are_refused() {
        assert_eq!(Params::default().validate(), Ok(()));
        for bad in [
            Params {
                spin_rate: 1.5,
                ..Params::default()
            },
            Params {
                spin_rate_clean: 0.0,
                ..Params::default()
            },
            Params {
                change_margin: -1.0,
                ..Params::default()
            },
            Params {
                familiarity: -0.3,
                ..Params::default()
            },
            Params {
                article_misfit_cost: -3.0,
                ..Params::default()
            },
            Params {
                flag_threshold: f64::NAN,
                ..Params::default()
            },
            Params {
                doc_a: f64::INFINITY,
                ..Params::default()
            },
            Params {
                span_model: crate::rescore::SpanModel {
                    weights: vec![1.0, 2.0],
                    ..Default::default()
                },
                ..Params::default()
            },
        ] {
            assert!(bad.validate().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn foreign_and_old_files_are_named() {
        let e = Container::open(Backing::owned(b"PK\x03\x04zipfile"), "x.bin")
            .err()
            .unwrap();
        assert!(matches!(e, Error::NotAModel { .. }), "{e}");
        let mut b = sample();
        b[8] = 99;
        let e = Container::open(Backing::owned(&b), "old").err().unwrap();
        assert!(e.to_string().contains("rebuild"), "{e}");
    }
}
