//! The scan pipeline: one reader, N workers, one writer, bounded in between.
//!
//! ```text
//!  reader thread ──batches──▶ N worker threads ──results──▶ writer (caller)
//!       ▲                                                      │
//!       └──────────────── in-flight tokens ◀───────────────────┘
//! ```
//!
//! The reader only reads, decompresses and splits (JSONL lines are parsed
//! by the workers, so parsing scales with them). It must take a token
//! before sending a batch and the writer gives it back once the batch is
//! written, so at most `in_flight` batches exist at any time, however large
//! the input and however slow one batch is: memory stays flat. Batches
//! carry a sequence number and the writer restores input order (unless
//! unordered output was asked for).

use std::collections::BTreeMap;
use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, unbounded, Receiver, Sender};
use serde_json::{Map, Value};
use unspin_core::Unspinner;

use crate::error::Error;
use crate::input::{self, FormatKind, Input};
use crate::record::{decode_document, parse_record, Record};
use crate::resume::ResumePoint;

/// Adds fields to each output record (e.g. trace matches from an index).
pub trait Annotator: Send + Sync {
    /// Adds fields for `record` to `out`. An error makes the record a bad
    /// record (reported, skipped, counted) with the error as the reason.
    fn annotate(&self, record: &Record, out: &mut Map<String, Value>) -> Result<(), String>;
}

/// Where in its file a bad record was.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Location {
    /// 1-based line of a JSONL file
    Line(usize),
    /// 1-based record number in a WARC file
    Record(usize),
    /// the file as a whole
    File,
}

/// A record (or file) that was reported and skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadRecord {
    /// the input's name
    pub file: String,
    /// where in it
    pub location: Location,
    /// what is wrong
    pub reason: String,
}

impl std::fmt::Display for BadRecord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.location {
            Location::Line(n) => write!(f, "{}:{}: {}", self.file, n, self.reason),
            Location::Record(n) => write!(f, "{}: record {}: {}", self.file, n, self.reason),
            Location::File => write!(f, "{}: {}", self.file, self.reason),
        }
    }
}

/// Counts so far, given to [`Observer::progress`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    /// documents written
    pub documents: u64,
    /// documents scored at or above the spun threshold
    pub spun: u64,
    /// bad records skipped
    pub bad: u64,
    /// records skipped because an earlier run already wrote them
    pub resumed: u64,
    /// uncompressed input bytes of the records processed
    pub bytes: u64,
    /// raw (possibly compressed) bytes read from the inputs so far
    pub raw_bytes_read: u64,
}

/// What a finished scan did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Summary {
    /// the final counts
    pub counts: Progress,
    /// wall time
    pub elapsed: Duration,
}

impl Summary {
    /// Share of documents scored spun, 0..1 (0 with no documents).
    pub fn spun_share(&self) -> f64 {
        if self.counts.documents == 0 {
            0.0
        } else {
            self.counts.spun as f64 / self.counts.documents as f64
        }
    }

    /// Uncompressed input megabytes (10^6 bytes) per second.
    pub fn mb_per_s(&self) -> f64 {
        self.counts.bytes as f64 / 1e6 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let c = &self.counts;
        write!(
            f,
            "{} documents, {} spun ({:.1}%), {} bad record(s) skipped, {:.1} MB in {:.2}s ({:.2} MB/s)",
            c.documents,
            c.spun,
            100.0 * self.spun_share(),
            c.bad,
            c.bytes as f64 / 1e6,
            self.elapsed.as_secs_f64(),
            self.mb_per_s()
        )?;
        if c.resumed > 0 {
            write!(
                f,
                "; {} record(s) already in the output were skipped",
                c.resumed
            )?;
        }
        Ok(())
    }
}

/// Receives bad-record reports and progress from a scan, in the calling
/// thread.
pub trait Observer {
    /// A record or file was skipped. Called in input order when the scan
    /// is ordered.
    fn bad(&mut self, _bad: &BadRecord) {}
    /// Called after each batch is written.
    fn progress(&mut self, _progress: &Progress) {}
}

/// An observer that ignores everything.
impl Observer for () {}

/// Streams documents through an [`Unspinner`]; see the crate docs.
#[derive(Clone)]
pub struct Scanner {
    unspinner: Unspinner,
    threads: usize,
    batch_records: usize,
    batch_bytes: usize,
    in_flight: usize,
    ordered: bool,
    restore: bool,
    lossy: bool,
    format: Option<FormatKind>,
    spun_threshold: f64,
    max_doc_bytes: usize,
    annotators: Vec<Arc<dyn Annotator>>,
}

impl std::fmt::Debug for Scanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scanner")
            .field("threads", &self.threads)
            .field("batch_records", &self.batch_records)
            .field("batch_bytes", &self.batch_bytes)
            .field("in_flight", &self.in_flight)
            .field("ordered", &self.ordered)
            .field("restore", &self.restore)
            .field("lossy", &self.lossy)
            .field("format", &self.format)
            .field("max_doc_bytes", &self.max_doc_bytes)
            .field("annotators", &self.annotators.len())
            .finish()
    }
}

/// Builds a [`Scanner`]; every setting has a default.
#[derive(Clone)]
pub struct ScannerBuilder {
    inner: Scanner,
}

impl ScannerBuilder {
    /// Worker threads (default: the number of cores; 0 means that too).
    pub fn threads(&mut self, n: usize) -> &mut Self {
        self.inner.threads = if n == 0 { default_threads() } else { n };
        self
    }

    /// Most records per batch (default 64).
    pub fn batch_records(&mut self, n: usize) -> &mut Self {
        self.inner.batch_records = n.max(1);
        self
    }

    /// A batch is closed once it holds this many input bytes (default 256 KiB).
    pub fn batch_bytes(&mut self, n: usize) -> &mut Self {
        self.inner.batch_bytes = n.max(1);
        self
    }

    /// Most batches in flight (default: 2 × threads + 2). This bounds memory.
    pub fn in_flight(&mut self, n: usize) -> &mut Self {
        self.inner.in_flight = n.max(1);
        self
    }

    /// Write results in input order (default true).
    pub fn ordered(&mut self, yes: bool) -> &mut Self {
        self.inner.ordered = yes;
        self
    }

    /// Also restore each document: adds `restored` (the restored text) and
    /// `changes` to each output record.
    pub fn restore(&mut self, yes: bool) -> &mut Self {
        self.inner.restore = yes;
        self
    }

    /// Replace invalid UTF-8 with U+FFFD instead of skipping the record.
    pub fn lossy(&mut self, yes: bool) -> &mut Self {
        self.inner.lossy = yes;
        self
    }

    /// Force an input format (default: from each file's name or content).
    pub fn format(&mut self, format: Option<FormatKind>) -> &mut Self {
        self.inner.format = format;
        self
    }

    /// Document score at or above which a document counts as spun in the
    /// summary (default 0.5).
    pub fn spun_threshold(&mut self, t: f64) -> &mut Self {
        self.inner.spun_threshold = t;
        self
    }

    /// Largest document in bytes: a JSONL line (without its line ending),
    /// a plain-text file, a WARC record (default
    /// [`input::DEFAULT_MAX_DOC_BYTES`]; 0 means no limit). A larger one is
    /// a bad record, skipped without being held in memory.
    pub fn max_doc_bytes(&mut self, n: usize) -> &mut Self {
        self.inner.max_doc_bytes = if n == 0 { usize::MAX } else { n };
        self
    }

    /// Adds an annotator run on every record after detect.
    pub fn annotator(&mut self, a: Arc<dyn Annotator>) -> &mut Self {
        self.inner.annotators.push(a);
        self
    }

    /// Freezes the configuration.
    pub fn build(&self) -> Scanner {
        let mut s = self.inner.clone();
        if s.in_flight == 0 {
            s.in_flight = 2 * s.threads + 2;
        }
        s
    }
}

/// The number of cores this process may use.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

enum Item {
    Line {
        file: Arc<str>,
        lineno: usize,
        bytes: Vec<u8>,
    },
    Doc {
        record: Record,
        bytes: usize,
    },
    Bad(BadRecord),
}

struct Batch {
    seq: u64,
    items: Vec<Item>,
}

#[derive(Default)]
struct Done {
    seq: u64,
    out: Vec<u8>,
    bad: Vec<BadRecord>,
    documents: u64,
    spun: u64,
    bytes: u64,
}

impl Scanner {
    /// A scanner with default settings.
    pub fn new(unspinner: Unspinner) -> Scanner {
        Scanner::builder(unspinner).build()
    }

    /// A builder starting from defaults.
    pub fn builder(unspinner: Unspinner) -> ScannerBuilder {
        ScannerBuilder {
            inner: Scanner {
                unspinner,
                threads: default_threads(),
                batch_records: 64,
                batch_bytes: 256 << 10,
                in_flight: 0,
                ordered: true,
                restore: false,
                lossy: false,
                format: None,
                spun_threshold: 0.5,
                max_doc_bytes: input::DEFAULT_MAX_DOC_BYTES,
                annotators: Vec::new(),
            },
        }
    }

    /// The unspinner in use.
    pub fn unspinner(&self) -> &Unspinner {
        &self.unspinner
    }

    /// Worker threads.
    pub fn threads(&self) -> usize {
        self.threads
    }

    /// The output object for one record: its extra fields, `id`, the detect
    /// fields (`score`, `spans`), then `restored` and `changes` if restore
    /// is on, then whatever the annotators add.
    pub fn process(&self, record: &Record) -> Result<Map<String, Value>, String> {
        let detection = self.unspinner.detect(&record.text);
        let mut obj = record
            .output(&detection)
            .map_err(|e| format!("cannot serialise the result: {e}"))?;
        if self.restore {
            let r = self.unspinner.restore(&record.text);
            obj.insert("restored".into(), Value::from(r.text));
            let changes = serde_json::to_value(&r.changes)
                .map_err(|e| format!("cannot serialise the result: {e}"))?;
            obj.insert("changes".into(), changes);
        }
        for a in &self.annotators {
            a.annotate(record, &mut obj)?;
        }
        Ok(obj)
    }

    /// One JSONL input line to one output line (with its `\n`), exactly as
    /// a scan writes it: `Ok(None)` for a blank line, `Err(reason)` for a
    /// bad one. `lineno` (1-based) is the id of a record without one.
    pub fn process_line(&self, line: &[u8], lineno: usize) -> Result<Option<Vec<u8>>, String> {
        let Some(record) = parse_record(line, self.lossy, lineno)? else {
            return Ok(None);
        };
        let obj = self.process(&record)?;
        let mut out = Vec::with_capacity(256);
        write_object(&mut out, &obj)?;
        Ok(Some(out))
    }

    /// Scans `inputs`, writing one JSON line per good record to `out`.
    ///
    /// With `resume`, the first `resume.records` good records are skipped
    /// (they are already in the output); this needs ordered output. Bad
    /// records and unreadable files are reported to `observer`, skipped and
    /// counted; only output errors, resume mismatches and unlistable
    /// directories stop the scan.
    pub fn scan(
        &self,
        inputs: &[Input],
        out: &mut dyn Write,
        resume: Option<&ResumePoint>,
        observer: &mut dyn Observer,
    ) -> Result<Summary, Error> {
        if resume.is_some_and(|r| r.records > 0) && !self.ordered {
            return Err(Error::Config(
                "resuming needs ordered output (drop --unordered)".into(),
            ));
        }
        let start = Instant::now();
        let raw_read = Arc::new(AtomicU64::new(0));
        let (work_tx, work_rx) = bounded::<Batch>(self.in_flight);
        let (done_tx, done_rx) = unbounded::<Done>();
        let (token_tx, token_rx) = bounded::<()>(self.in_flight);
        for _ in 0..self.in_flight {
            token_tx
                .send(())
                .expect("the channel has room for every token");
        }
        let mut counts = Progress::default();
        let result = std::thread::scope(|s| {
            let reader = {
                let raw_read = raw_read.clone();
                s.spawn(move || self.read_all(inputs, resume, raw_read, work_tx, token_rx))
            };
            for _ in 0..self.threads {
                let work_rx = work_rx.clone();
                let done_tx = done_tx.clone();
                s.spawn(move || self.work(work_rx, done_tx));
            }
            drop(work_rx);
            drop(done_tx);
            let written = self.write_all(out, done_rx, token_tx, &mut counts, &raw_read, observer);
            let read = reader
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p));
            written.and(read.map(|resumed| counts.resumed = resumed))
        });
        result?;
        counts.raw_bytes_read = raw_read.load(Ordering::Relaxed);
        Ok(Summary {
            counts,
            elapsed: start.elapsed(),
        })
    }

    /// The writer: restores order, writes, gives tokens back.
    fn write_all(
        &self,
        out: &mut dyn Write,
        done_rx: Receiver<Done>,
        token_tx: Sender<()>,
        counts: &mut Progress,
        raw_read: &AtomicU64,
        observer: &mut dyn Observer,
    ) -> Result<(), Error> {
        let mut pending = BTreeMap::new();
        let mut next = 0u64;
        for done in done_rx {
            if !self.ordered {
                self.emit(out, done, counts, observer)?;
            } else {
                pending.insert(done.seq, done);
                while let Some(done) = pending.remove(&next) {
                    self.emit(out, done, counts, observer)?;
                    next += 1;
                    // the reader may be gone (finished); that is fine
                    let _ = token_tx.send(());
                }
                counts.raw_bytes_read = raw_read.load(Ordering::Relaxed);
                observer.progress(counts);
                continue;
            }
            let _ = token_tx.send(());
            counts.raw_bytes_read = raw_read.load(Ordering::Relaxed);
            observer.progress(counts);
        }
        out.flush().map_err(Error::Output)
    }

    fn emit(
        &self,
        out: &mut dyn Write,
        done: Done,
        counts: &mut Progress,
        observer: &mut dyn Observer,
    ) -> Result<(), Error> {
        out.write_all(&done.out).map_err(Error::Output)?;
        for b in &done.bad {
            observer.bad(b);
        }
        counts.documents += done.documents;
        counts.spun += done.spun;
        counts.bad += done.bad.len() as u64;
        counts.bytes += done.bytes;
        Ok(())
    }

    /// A worker: parses and processes batches.
    fn work(&self, work_rx: Receiver<Batch>, done_tx: Sender<Done>) {
        for batch in work_rx {
            let mut done = Done {
                seq: batch.seq,
                out: Vec::with_capacity(batch.items.len() * 256),
                ..Done::default()
            };
            for item in batch.items {
                let (record, loc) = match item {
                    Item::Bad(b) => {
                        done.bad.push(b);
                        continue;
                    }
                    Item::Doc { record, bytes } => {
                        done.bytes += bytes as u64;
                        (record, None)
                    }
                    Item::Line {
                        file,
                        lineno,
                        bytes,
                    } => {
                        done.bytes += bytes.len() as u64;
                        match parse_record(&bytes, self.lossy, lineno) {
                            Ok(Some(r)) => (r, Some((file, lineno))),
                            Ok(None) => continue,
                            Err(reason) => {
                                done.bad.push(BadRecord {
                                    file: file.to_string(),
                                    location: Location::Line(lineno),
                                    reason,
                                });
                                continue;
                            }
                        }
                    }
                };
                // A panic on one document must not stall the pipeline (its
                // batch would never reach the writer): it becomes a bad record.
                let processed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.process(&record)
                }))
                .unwrap_or_else(|_| {
                    Err("internal error: the engine panicked on this document".into())
                });
                let result = processed.and_then(|obj| {
                    let spun = obj
                        .get("score")
                        .and_then(Value::as_f64)
                        .is_some_and(|s| s >= self.spun_threshold);
                    write_object(&mut done.out, &obj).map(|()| spun)
                });
                match result {
                    Ok(spun) => {
                        done.documents += 1;
                        done.spun += u64::from(spun);
                    }
                    Err(reason) => done.bad.push(BadRecord {
                        file: loc
                            .as_ref()
                            .map_or_else(|| "<input>".into(), |(f, _)| f.to_string()),
                        location: loc.map_or(Location::File, |(_, n)| Location::Line(n)),
                        reason,
                    }),
                }
            }
            if done_tx.send(done).is_err() {
                return; // the writer stopped
            }
        }
    }

    /// The reader: splits every input into batches. Returns the number of
    /// records skipped for `resume`.
    fn read_all(
        &self,
        inputs: &[Input],
        resume: Option<&ResumePoint>,
        raw_read: Arc<AtomicU64>,
        work_tx: Sender<Batch>,
        token_rx: Receiver<()>,
    ) -> Result<u64, Error> {
        let mut batcher = Batcher {
            scanner: self,
            work_tx,
            token_rx,
            items: Vec::new(),
            bytes: 0,
            seq: 0,
            to_skip: resume.map_or(0, |r| r.records),
            skipped: 0,
            expected_last_id: resume.and_then(|r| r.last_id.clone()),
            fatal: None,
            stopped: false,
        };
        for input in inputs {
            if batcher.stopped {
                break;
            }
            self.read_one(input, &raw_read, &mut batcher);
        }
        batcher.flush();
        if let Some(e) = batcher.fatal.take() {
            return Err(e);
        }
        if let Some(r) = resume {
            if batcher.skipped < r.records {
                return Err(Error::ResumeMismatch(format!(
                    "the output already holds {} records but the inputs have only {} good records",
                    r.records, batcher.skipped
                )));
            }
        }
        Ok(batcher.skipped as u64)
    }

    fn read_one(&self, input: &Input, raw_read: &Arc<AtomicU64>, batcher: &mut Batcher<'_>) {
        let name: Arc<str> = input.name().into();
        let bad_file = |reason: String| BadRecord {
            file: name.to_string(),
            location: Location::File,
            reason,
        };
        let mut reader = match input::open(input, raw_read.clone()) {
            Ok(r) => r,
            Err(e) => return batcher.push(Item::Bad(bad_file(format!("cannot open: {e}"))), 0),
        };
        let format = match self.format {
            Some(f) => f,
            None => match input {
                Input::Path(p) => match input::format_from_name(p) {
                    Some(f) => f,
                    None => match input::sniff(&mut reader) {
                        Ok(f) => f,
                        Err(e) => {
                            return batcher
                                .push(Item::Bad(bad_file(format!("cannot read: {e}"))), 0)
                        }
                    },
                },
                Input::Stdin => match input::sniff(&mut reader) {
                    Ok(f) => f,
                    Err(e) => {
                        return batcher.push(Item::Bad(bad_file(format!("cannot read: {e}"))), 0)
                    }
                },
            },
        };
        match format {
            FormatKind::Text => {
                let bytes = match input::read_doc_limited(&mut reader, self.max_doc_bytes) {
                    Ok(Ok(bytes)) => bytes,
                    Ok(Err(n)) => {
                        let reason = input::too_large(
                            &format!("a text file of {n} bytes or more"),
                            self.max_doc_bytes,
                        );
                        return batcher.push(Item::Bad(bad_file(reason)), 0);
                    }
                    Err(e) => {
                        return batcher.push(Item::Bad(bad_file(format!("cannot read: {e}"))), 0)
                    }
                };
                let len = bytes.len();
                match decode_document(bytes, self.lossy) {
                    Ok(text) => batcher.push_doc(Record::new(name.to_string(), text), len),
                    Err(reason) => {
                        let advice = if reason.starts_with("invalid UTF-8") {
                            " (pass --lossy to replace bad bytes)"
                        } else {
                            ""
                        };
                        batcher.push(Item::Bad(bad_file(format!("{reason}{advice}"))), 0)
                    }
                }
            }
            FormatKind::Jsonl => {
                let mut lineno = 0usize;
                loop {
                    if batcher.stopped {
                        return;
                    }
                    let mut line = Vec::with_capacity(1024);
                    match input::read_line_limited(&mut reader, &mut line, self.max_doc_bytes) {
                        Ok(input::LineRead::Eof) => return,
                        Ok(input::LineRead::Line) => {
                            lineno += 1;
                            batcher.push_line(&name, lineno, line);
                        }
                        Ok(input::LineRead::TooLong { len }) => {
                            lineno += 1;
                            let bad = BadRecord {
                                file: name.to_string(),
                                location: Location::Line(lineno),
                                reason: input::too_large(
                                    &format!("a line of {len} bytes"),
                                    self.max_doc_bytes,
                                ),
                            };
                            batcher.push_bad_line(bad);
                        }
                        Err(e) => {
                            let reason = format!("read error: {e}; rest of the file skipped");
                            let bad = BadRecord {
                                file: name.to_string(),
                                location: Location::Line(lineno + 1),
                                reason,
                            };
                            return batcher.push(Item::Bad(bad), 0);
                        }
                    }
                }
            }
            FormatKind::Warc => {
                // the WARC reader buffers a whole record: bound what it may
                // hold (headers get 1 MiB on top of the document limit)
                let consumed = Arc::new(AtomicU64::new(0));
                let limited = input::ConsumeLimit {
                    inner: reader,
                    consumed: consumed.clone(),
                    limit: (self.max_doc_bytes as u64).saturating_add(1 << 20),
                };
                let mut records = warc::WarcReader::new(limited).iter_records();
                for i in 0.. {
                    if batcher.stopped {
                        return;
                    }
                    // the WARC crate can panic on some malformed records (a
                    // Content-Length near usize::MAX): that file is bad, the
                    // scan goes on
                    let next =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| records.next()));
                    consumed.store(0, Ordering::Relaxed);
                    let rec = match next {
                        Ok(Some(rec)) => rec,
                        Ok(None) => return,
                        Err(_) => {
                            let bad = BadRecord {
                                file: name.to_string(),
                                location: Location::Record(i + 1),
                                reason: "malformed WARC record (the WARC reader failed); rest of the file skipped".into(),
                            };
                            return batcher.push(Item::Bad(bad), 0);
                        }
                    };
                    let bad = |reason: String| BadRecord {
                        file: name.to_string(),
                        location: Location::Record(i + 1),
                        reason,
                    };
                    match rec {
                        Ok(rec) => {
                            let len = rec.body().len();
                            match crate::warc::to_document(rec, self.lossy) {
                                Ok(Some(doc)) => batcher.push_doc(doc, len),
                                Ok(None) => {}
                                Err(reason) => batcher.push(Item::Bad(bad(reason)), 0),
                            }
                        }
                        Err(e) => {
                            // the reader cannot resynchronise after a broken record
                            // the WARC crate's message hides the cause of a read error
                            let cause = match &e {
                                warc::Error::ReadData(io) => format!(" ({io})"),
                                _ => String::new(),
                            };
                            let reason =
                                format!("bad WARC record: {e}{cause}; rest of the file skipped");
                            return batcher.push(Item::Bad(bad(reason)), 0);
                        }
                    }
                }
            }
        }
    }
}

/// Accumulates items into batches and sends them, honouring the tokens
/// and the resume skip.
struct Batcher<'a> {
    scanner: &'a Scanner,
    work_tx: Sender<Batch>,
    token_rx: Receiver<()>,
    items: Vec<Item>,
    bytes: usize,
    seq: u64,
    to_skip: usize,
    skipped: usize,
    expected_last_id: Option<Value>,
    fatal: Option<Error>,
    stopped: bool,
}

impl Batcher<'_> {
    /// Counts one good record towards the resume skip. The moment the skip
    /// is complete, the record's id must be the last id in the output: the
    /// check comes before anything new is written.
    fn skip(&mut self, id: Value) {
        self.skipped += 1;
        if self.skipped == self.to_skip && self.expected_last_id.as_ref() != Some(&id) {
            self.fatal = Some(Error::ResumeMismatch(format!(
                "the output's last record has id {} but input record {} has id {}: are these the same inputs?",
                self.expected_last_id.as_ref().map_or("none".into(), Value::to_string),
                self.to_skip,
                id
            )));
            self.stopped = true;
        }
    }

    fn push_line(&mut self, file: &Arc<str>, lineno: usize, bytes: Vec<u8>) {
        if self.skipped < self.to_skip {
            // Resuming: only good records count towards the skip, so the
            // line is judged here (bad ones go on to be reported again).
            match parse_record(&bytes, self.scanner.lossy, lineno) {
                Ok(Some(r)) => return self.skip(r.id),
                Ok(None) => return,
                Err(_) => {}
            }
        }
        let len = bytes.len();
        self.push(
            Item::Line {
                file: file.clone(),
                lineno,
                bytes,
            },
            len,
        );
    }

    /// A line too long to hold: reported in order like any bad line (it is
    /// not a good record, so it does not count towards a resume skip).
    fn push_bad_line(&mut self, bad: BadRecord) {
        self.push(Item::Bad(bad), 0);
    }

    fn push_doc(&mut self, record: Record, bytes: usize) {
        if self.skipped < self.to_skip {
            return self.skip(record.id);
        }
        self.push(Item::Doc { record, bytes }, bytes);
    }

    fn push(&mut self, item: Item, bytes: usize) {
        self.items.push(item);
        self.bytes += bytes;
        if self.items.len() >= self.scanner.batch_records || self.bytes >= self.scanner.batch_bytes
        {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.items.is_empty() || self.stopped {
            return;
        }
        // Back-pressure: wait for a free slot. No token means the writer
        // has stopped (an output error): stop reading.
        if self.token_rx.recv().is_err() {
            self.stopped = true;
            return;
        }
        let batch = Batch {
            seq: self.seq,
            items: std::mem::take(&mut self.items),
        };
        self.bytes = 0;
        self.seq += 1;
        if self.work_tx.send(batch).is_err() {
            self.stopped = true;
        }
    }
}

/// Writes one JSON object and a newline.
fn write_object(out: &mut Vec<u8>, obj: &Map<String, Value>) -> Result<(), String> {
    serde_json::to_writer(&mut *out, obj)
        .map_err(|e| format!("cannot serialise the result: {e}"))?;
    out.push(b'\n');
    Ok(())
}
