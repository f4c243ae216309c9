//! # unspin-index
//!
//! A persistent reference index of source documents, and *trace*: given a
//! suspect text (possibly spun, possibly a patchwork of several sources),
//! find its sources, align it to each of them and list every substitution.
//! With the sources known, [`restore_by_reference`] undoes the spinning
//! exactly where the text aligns and leaves the rest to the model.
//!
//! Main types:
//! - [`Index`]: an on-disk index ([`Index::create`], [`Index::open`]);
//!   [`Index::trace`] returns [`Match`]es, best first.
//! - [`IndexWriter`]: adds documents ([`IndexWriter::add`]) and makes them
//!   durable ([`IndexWriter::commit`]).
//! - [`align`]: the word-level aligner behind each [`Match`]'s
//!   [`SentencePair`]s and [`Substitution`]s.
//! - [`features`]: the spin-robust features the index is keyed on.
//!
//! ## How trace works
//! Documents are indexed (tantivy, BM25) on stems and on hashed n-grams of
//! "immutables", the function words, numbers and names a spinner leaves
//! alone (see [`features`]). A suspect's rarest features retrieve a few
//! dozen candidates; each is then verified by a word-level alignment, and
//! the candidates are re-ranked by the share of the suspect they explain.
//!
//! ## On disk
//! A directory holding tantivy's files plus `unspin-index.json`, a marker
//! with the format name and [`FORMAT_VERSION`]. An index of another version
//! is refused with a "rebuild" message; a directory without the marker is
//! refused as "not an unspin index". Writes are crash-safe: a commit is
//! atomic (tantivy swaps `meta.json`), so a build killed at any moment
//! leaves an index that opens and holds every document committed before.
//! Readers see the last commit while a writer appends.
//!
//! ## Duplicate ids
//! The last document added under an id wins: adding an id that is already
//! in the index, or was added earlier in the same build, replaces the
//! earlier document ([`Added::Replaced`] says so).
//!
//! ```no_run
//! use unspin_index::Index;
//! let dir = std::path::Path::new("refs.idx");
//! let index = Index::create(dir)?;
//! let mut w = index.writer()?;
//! w.add("bbc-1", "Quarterly profits at US media giant TimeWarner jumped 76%.")?;
//! w.commit()?;
//! index.reload()?;
//! for m in index.trace("Quarterly earnings at US press giant TimeWarner leapt 76%.", 5)? {
//!     println!("{} {:.2} {:.2}", m.doc_id, m.score, m.coverage);
//! }
//! # Ok::<(), unspin_index::Error>(())
//! ```
#![deny(missing_docs)]

pub mod align;
pub mod error;
pub mod features;
mod restore;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED, STRING,
};
use tantivy::{IndexReader, ReloadPolicy, TantivyDocument, Term};

pub use align::{SentencePair, Substitution};
pub use error::{Error, Result};
pub use restore::restore_by_reference;

/// The on-disk format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// Name of the marker file in an index directory.
pub const MARKER_FILE: &str = "unspin-index.json";

/// At most this many of a suspect's rarest features form the query.
const MAX_QUERY_TERMS: usize = 96;

/// Candidates scoring below this share of the best candidate's retrieval
/// score are not verified.
const MIN_SCORE_SHARE: f32 = 0.2;

/// Candidates retrieved for verification, at least.
const MIN_CANDIDATES: usize = 24;

#[derive(Debug, Serialize, Deserialize)]
struct Marker {
    format: String,
    version: u32,
    features: String,
}

/// One source of a suspect text, as trace answers it (PRODUCT.md §4).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Match {
    /// id of the source document
    pub doc_id: String,
    /// 0..1: share of the suspect's words matched verbatim in aligned
    /// sentences, nudged by the share of the source used
    pub score: f64,
    /// 0..1: share of the suspect's words in sentences this source explains
    pub coverage: f64,
    /// the aligned sentence pairs, in suspect order
    pub alignment: Vec<SentencePair>,
}

/// What [`IndexWriter::add`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Added {
    /// a new id
    New,
    /// the id was already indexed (or added earlier in this build): the new
    /// document replaces the old one
    Replaced,
}

#[derive(Clone, Copy, Debug)]
struct Fields {
    id: Field,
    text: Field,
    feat: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_text_field("id", STRING | STORED);
    let text = b.add_text_field("text", STORED);
    let feat = b.add_text_field(
        "feat",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(features::TOKENIZER_NAME)
                .set_index_option(IndexRecordOption::WithFreqs),
        ),
    );
    (b.build(), Fields { id, text, feat })
}

/// An on-disk reference index. Cheap to share between threads; searches see
/// the last commit.
pub struct Index {
    path: PathBuf,
    inner: tantivy::Index,
    reader: IndexReader,
    fields: Fields,
}

impl std::fmt::Debug for Index {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Index").field("path", &self.path).finish()
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

impl Index {
    /// Creates a new, empty index in `dir` (created if missing; it must be
    /// empty if it exists).
    pub fn create(dir: &Path) -> Result<Index> {
        if dir.exists() {
            let mut entries = std::fs::read_dir(dir).map_err(io_err(dir))?;
            if entries.next().is_some() {
                return Err(Error::AlreadyExists {
                    path: dir.to_path_buf(),
                });
            }
        } else {
            std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        }
        // The marker goes first: a create interrupted before tantivy's
        // meta.json exists is then reported as an incomplete unspin index.
        let marker = Marker {
            format: "unspin-index".into(),
            version: FORMAT_VERSION,
            features: features::TOKENIZER_NAME.into(),
        };
        let tmp = dir.join(format!("{MARKER_FILE}.tmp"));
        let body = serde_json::to_vec_pretty(&marker).expect("marker serialises");
        std::fs::write(&tmp, body).map_err(io_err(&tmp))?;
        std::fs::rename(&tmp, dir.join(MARKER_FILE)).map_err(io_err(dir))?;
        let (schema, _) = schema();
        tantivy::Index::create_in_dir(dir, schema)?;
        Index::open(dir)
    }

    /// Opens an existing index, checking that it is an unspin index of this
    /// format version.
    pub fn open(dir: &Path) -> Result<Index> {
        guard(dir, || Index::open_unguarded(dir))
    }

    fn open_unguarded(dir: &Path) -> Result<Index> {
        if !dir.is_dir() {
            return Err(Error::NotFound {
                path: dir.to_path_buf(),
            });
        }
        let marker_path = dir.join(MARKER_FILE);
        let not_index = |reason: &str| Error::NotAnIndex {
            path: dir.to_path_buf(),
            reason: reason.to_string(),
        };
        let corrupt = |reason: String| Error::Corrupt {
            path: dir.to_path_buf(),
            reason,
        };
        let body = match std::fs::read(&marker_path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(if dir.join("meta.json").exists() {
                    not_index(
                        "it is a tantivy index made by another program (no unspin-index.json)",
                    )
                } else {
                    not_index("no unspin-index.json marker")
                });
            }
            Err(e) => return Err(io_err(&marker_path)(e)),
        };
        let marker: Marker = serde_json::from_slice(&body)
            .map_err(|e| corrupt(format!("{MARKER_FILE} is not a valid marker ({e})")))?;
        if marker.format != "unspin-index" {
            return Err(not_index(&format!(
                "{MARKER_FILE} names format {:?}",
                marker.format
            )));
        }
        if marker.version != FORMAT_VERSION {
            return Err(Error::IncompatibleVersion {
                path: dir.to_path_buf(),
                found: marker.version,
                expected: FORMAT_VERSION,
            });
        }
        if !dir.join("meta.json").exists() {
            return Err(corrupt(
                "tantivy's meta.json is missing (an interrupted create?)".into(),
            ));
        }
        let inner = tantivy::Index::open_in_dir(dir).map_err(|e| corrupt(e.to_string()))?;
        // every segment file carries a checksum: check them all before any
        // is read, since tantivy trusts the lengths it finds inside (a
        // flipped bit in a store's skip index asked for a 30 TB buffer,
        // an abort no guard can catch)
        let segments = inner
            .searchable_segment_metas()
            .map_err(|e| corrupt(e.to_string()))?;
        for file in segments.iter().flat_map(|m| m.list_files()) {
            if !dir.join(&file).exists() {
                continue;
            }
            match inner.directory().validate_checksum(&file) {
                Ok(true) => {}
                Ok(false) => return Err(corrupt(format!("{} fails its checksum", file.display()))),
                Err(e) => return Err(corrupt(format!("{}: {e}", file.display()))),
            }
        }
        let (want, _) = schema();
        let have = inner.schema();
        let fields = match (
            have.get_field("id"),
            have.get_field("text"),
            have.get_field("feat"),
        ) {
            (Ok(id), Ok(text), Ok(feat)) if have == want => Fields { id, text, feat },
            _ => return Err(corrupt("its schema is not the one unspin writes".into())),
        };
        inner.tokenizers().register(
            features::TOKENIZER_NAME,
            tantivy::tokenizer::TextAnalyzer::from(features::FeatureTokenizer),
        );
        let reader = inner
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e: tantivy::TantivyError| corrupt(e.to_string()))?;
        Ok(Index {
            path: dir.to_path_buf(),
            inner,
            reader,
            fields,
        })
    }

    /// The index directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes searches see the latest commit (also one made by another
    /// process).
    pub fn reload(&self) -> Result<()> {
        guard(&self.path, || Ok(self.reader.reload()?))
    }

    /// Number of documents in the last commit this handle has loaded.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The text of document `id`, if indexed.
    pub fn get(&self, id: &str) -> Result<Option<String>> {
        guard(&self.path, || self.get_unguarded(id))
    }

    fn get_unguarded(&self, id: &str) -> Result<Option<String>> {
        let searcher = self.reader.searcher();
        let q = TermQuery::new(
            Term::from_field_text(self.fields.id, id),
            IndexRecordOption::Basic,
        );
        let top = searcher.search(&q, &TopDocs::with_limit(1))?;
        match top.first() {
            Some((_, addr)) => {
                let doc: TantivyDocument = searcher.doc(*addr)?;
                Ok(doc
                    .get_first(self.fields.text)
                    .and_then(|v| v.as_str())
                    .map(str::to_string))
            }
            None => Ok(None),
        }
    }

    /// A writer that appends to this index. Only one writer may exist at a
    /// time across processes ([`Error::Locked`] otherwise).
    pub fn writer(&self) -> Result<IndexWriter> {
        // the writer must see every committed id to replace duplicates
        self.reader.reload()?;
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 4);
        let w = match self
            .inner
            .writer_with_num_threads(threads, (128 << 20) * threads)
        {
            Ok(w) => w,
            Err(tantivy::TantivyError::LockFailure(..)) => {
                return Err(Error::Locked {
                    path: self.path.clone(),
                })
            }
            Err(e) => return Err(e.into()),
        };
        Ok(IndexWriter {
            inner: Some(w),
            fields: self.fields,
            existing: self.reader.searcher(),
            seen: HashSet::new(),
            pending: 0,
        })
    }

    /// Finds the sources of `text`: at most `k` matches, best first. Only
    /// documents that align to at least one sentence of `text` are returned.
    pub fn trace(&self, text: &str, k: usize) -> Result<Vec<Match>> {
        guard(&self.path, || self.trace_unguarded(text, k))
    }

    fn trace_unguarded(&self, text: &str, k: usize) -> Result<Vec<Match>> {
        if k == 0 {
            return Ok(Vec::new());
        }
        let searcher = self.reader.searcher();
        let mut tf: HashMap<String, u32> = HashMap::new();
        for f in features::features(text) {
            *tf.entry(f).or_insert(0) += 1;
        }
        let mut terms: Vec<(u64, Term)> = Vec::with_capacity(tf.len());
        for f in tf.keys() {
            let term = Term::from_field_text(self.fields.feat, f);
            let df = searcher.doc_freq(&term)?;
            if df > 0 {
                terms.push((df, term));
            }
        }
        if terms.is_empty() {
            return Ok(Vec::new());
        }
        // the rarest features are the most telling and keep the query fast
        terms.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
        terms.truncate(MAX_QUERY_TERMS);
        let clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .into_iter()
            .map(|(_, t)| {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) as Box<dyn Query>,
                )
            })
            .collect();
        let query = BooleanQuery::new(clauses);
        let top = searcher.search(&query, &TopDocs::with_limit(MIN_CANDIDATES.max(2 * k)))?;
        let suspect = unspin_core::text::Text::new(text);
        let mut matches = Vec::new();
        // candidates far below the best retrieval score cannot explain much
        // of the suspect: skip their (costlier) alignment
        let floor = top.first().map_or(0.0, |(s, _)| s * MIN_SCORE_SHARE);
        for (_, addr) in top.into_iter().filter(|(s, _)| *s >= floor) {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let id = doc
                .get_first(self.fields.id)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let src = doc
                .get_first(self.fields.text)
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            let a = align::align_texts(&suspect, &unspin_core::text::Text::new(src));
            if a.pairs.is_empty() {
                continue;
            }
            matches.push(Match {
                doc_id: id.to_string(),
                score: a.score(),
                coverage: a.coverage(),
                alignment: a.pairs,
            });
        }
        matches.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then_with(|| a.doc_id.cmp(&b.doc_id))
        });
        matches.truncate(k);
        Ok(matches)
    }
}

thread_local! {
    /// True while this thread runs inside [`guard`].
    static IN_GUARD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Installs a panic hook that stays silent for panics the index catches
/// (the index library panicking on damaged files inside [`Index::open`],
/// [`Index::get`], [`Index::trace`], [`Index::reload`]): those are reported
/// as [`Error::Corrupt`], and a program should not also print a panic
/// message and backtrace for them. Every other panic goes to the hook that
/// was installed before. Call it once, early (the CLI does in `main`).
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !IN_GUARD.with(|g| g.get()) {
            previous(info);
        }
    }));
}

/// Runs `f` (a read: open, get, trace), turning a panic inside the index
/// library (which it may raise on damaged files) and its errors into
/// [`Error::Corrupt`], which names the index: reading an index that opened
/// fails only when its files are damaged or gone.
fn guard<T>(path: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let corrupt = |reason: String| Error::Corrupt {
        path: path.to_path_buf(),
        reason,
    };
    let outer = IN_GUARD.with(|g| g.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    IN_GUARD.with(|g| g.set(outer));
    match result {
        Ok(Err(Error::Tantivy(e))) => Err(corrupt(e.to_string())),
        Ok(r) => r,
        Err(panic) => {
            let msg = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(corrupt(format!(
                "the index library failed to read it ({msg})"
            )))
        }
    }
}

/// Adds documents to an [`Index`]. Nothing is durable before
/// [`IndexWriter::commit`]; dropping a writer discards what it added since
/// its last commit.
pub struct IndexWriter {
    /// always `Some` until the writer is finished or dropped
    inner: Option<tantivy::IndexWriter<TantivyDocument>>,
    fields: Fields,
    /// the index as it was when the writer opened, to find replaced ids
    existing: tantivy::Searcher,
    /// ids added by this writer
    seen: HashSet<String>,
    pending: usize,
}

impl std::fmt::Debug for IndexWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexWriter")
            .field("pending", &self.pending)
            .finish()
    }
}

impl IndexWriter {
    /// Adds one document. An empty id or a text without a single word is
    /// refused ([`Error::BadDocument`]); an id already present is replaced
    /// (the last document wins).
    pub fn add(&mut self, id: &str, text: &str) -> Result<Added> {
        let bad = |reason: &str| Error::BadDocument {
            id: id.to_string(),
            reason: reason.to_string(),
        };
        if id.is_empty() {
            return Err(bad("empty id"));
        }
        if !text.chars().any(char::is_alphanumeric) {
            return Err(bad("empty document (no words)"));
        }
        let id_term = Term::from_field_text(self.fields.id, id);
        let replaced = if self.seen.contains(id) {
            true
        } else {
            self.seen.insert(id.to_string());
            self.existing.num_docs() > 0
                && self.existing.search(
                    &TermQuery::new(id_term.clone(), IndexRecordOption::Basic),
                    &Count,
                )? > 0
        };
        if replaced {
            self.tantivy().delete_term(id_term);
        }
        let mut doc = TantivyDocument::default();
        doc.add_text(self.fields.id, id);
        doc.add_text(self.fields.text, text);
        doc.add_text(self.fields.feat, text);
        self.tantivy().add_document(doc)?;
        self.pending += 1;
        Ok(if replaced {
            Added::Replaced
        } else {
            Added::New
        })
    }

    /// Documents added since the last commit.
    pub fn pending(&self) -> usize {
        self.pending
    }

    /// Makes every document added so far durable, atomically.
    pub fn commit(&mut self) -> Result<()> {
        self.tantivy().commit()?;
        self.pending = 0;
        Ok(())
    }

    /// Commits, then waits for background merges to finish.
    pub fn finish(mut self) -> Result<()> {
        self.commit()?;
        if let Some(w) = self.inner.take() {
            w.wait_merging_threads()?;
        }
        Ok(())
    }

    fn tantivy(&mut self) -> &mut tantivy::IndexWriter<TantivyDocument> {
        self.inner
            .as_mut()
            .expect("the writer is live until finished or dropped")
    }
}

impl Drop for IndexWriter {
    /// Discards what was not committed and waits for background merges, so
    /// that a writer opened next never races a merge of this one.
    fn drop(&mut self) {
        if let Some(w) = self.inner.take() {
            let _ = w.wait_merging_threads();
        }
    }
}

#[cfg(test)]
mod auto_traits {
    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn public_types_are_thread_safe() {
        assert_send_sync::<crate::Index>();
        assert_send_sync::<crate::Match>();
    }
}
