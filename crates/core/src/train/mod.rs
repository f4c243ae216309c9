//! Building models from corpora and from existing language models.
//!
//! Both parts feed an [`LmBuilder`](crate::lm::LmBuilder) with entries in
//! ARPA form (log10 probability, log10 backoff weight):
//!
//! - [`sphinx`]: reads a CMU Sphinx binary trie language model (the
//!   "Trie Language Model" format of sphinxbase / pocketsphinx, e.g. the
//!   `en-us.lm.bin` of Debian's `pocketsphinx-en-us`). Fetch it with
//!   `scripts/fetch-lm.sh`.
//! - [`corpus`]: trains an interpolated modified Kneser-Ney trigram model
//!   from plain text of any size, counting with a bounded memory budget
//!   (sorted runs spilled to temporary files, then merged).
//! - [`mix`]: interpolates a corpus model with another one (the built-in
//!   model), for a domain whose own text is too scarce to stand alone.
//! - [`spans`]: fits detect's span model ([`crate::rescore`]) on aligned
//!   (original, spun) pairs.

pub mod corpus;
pub mod mix;
pub mod spans;
pub mod sphinx;

pub use corpus::{CorpusOptions, CorpusStats, CorpusTrainer};
pub use mix::{interpolate, MixStats};
pub use spans::{fit_spans, SpanFit};
pub use sphinx::{read_sphinx_trie, read_sphinx_trie_with, SphinxOptions, SphinxStats};

/// Shared test helpers: held-out data and perplexity.
#[cfg(test)]
pub(crate) mod testing {
    use crate::model::Model;
    use crate::text::Text;

    /// BBC articles from the shared data, split by a hash of their id:
    /// (training texts, held-out texts). None (with a message) if absent.
    pub(crate) fn bbc_split() -> Option<(Vec<String>, Vec<String>)> {
        let path = "../../../shared/data/news-bbc/bbc_dev.jsonl";
        let Ok(data) = std::fs::read_to_string(path) else {
            eprintln!("skipping: {path} not found");
            return None;
        };
        let (mut train, mut test) = (Vec::new(), Vec::new());
        for line in data.lines() {
            let v: serde_json::Value = serde_json::from_str(line).ok()?;
            let id = v["id"].as_str()?;
            let text = v["text"].as_str()?.to_string();
            // FNV-1a: a split that does not depend on the std hasher
            let h = id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ b as u64).wrapping_mul(0x0100_0000_01b3)
            });
            if h % 10 == 0 {
                test.push(text);
            } else {
                train.push(text);
            }
        }
        Some((train, test))
    }

    /// Perplexity per word (and `</s>`) over in-vocabulary words.
    pub(crate) fn perplexity(m: &Model, texts: &[String]) -> f64 {
        let lm = m.lm();
        let (mut sum, mut n) = (0f64, 0usize);
        for t in texts {
            let text = Text::new(t);
            for r in text.sentences() {
                let mut st = lm.start_state();
                let ids = text.words()[r].iter().map(|w| lm.id(&w.norm));
                for id in ids.chain([lm.eos()]) {
                    if id.is_some() {
                        sum += lm.logp(st, id) as f64;
                        n += 1;
                    }
                    st = crate::lm::NgramLm::advance(st, id);
                }
            }
        }
        10f64.powf(-sum / n as f64)
    }
}
