//! `unspin train`: build a model file from a language-model source, a
//! lexicon source and, optionally, aligned (original, spun) pairs.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use unspin_core::build::ModelBuilder;
use unspin_core::lexicon::morph::pos;
use unspin_core::lexicon::sources::{add_moby, add_mythes, add_swaps, MythesOptions};
use unspin_core::lexicon::LexiconBuilder;
use unspin_core::model::Params;
use unspin_core::Model;

use crate::input::{Format, InputArgs};

/// Flags of `unspin train`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the model (a `.zst` name writes it compressed).
    #[arg(short, long, value_name = "PATH")]
    output: PathBuf,
    /// Plain-text or JSONL corpora to train the language model on.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    corpus: Vec<PathBuf>,
    /// Mix the corpus language model into the base model's instead of
    /// replacing it, giving the corpus this weight (between 0 and 1): adapts
    /// the model to a domain whose own text is too scarce to stand alone.
    #[arg(long, value_name = "WEIGHT", requires = "corpus")]
    mix: Option<f64>,
    /// A sphinxbase binary trie language model (pocketsphinx `en-us.lm.bin`).
    #[arg(long, value_name = "FILE")]
    sphinx_lm: Option<PathBuf>,
    /// A MyThes thesaurus data file (`th_en_US_v2.dat`) for the lexicon.
    #[arg(long, value_name = "FILE")]
    mythes: Option<PathBuf>,
    /// A Moby thesaurus file (rows `head,syn,syn,…`) for the lexicon.
    #[arg(long, value_name = "FILE")]
    moby: Option<PathBuf>,
    /// Synonyms kept per Moby head (the most frequent ones).
    #[arg(long, default_value_t = 60)]
    moby_keep: usize,
    /// Weight of a Moby head's synonyms, all together, relative to MyThes.
    #[arg(long, default_value_t = 1.0)]
    moby_weight: f32,
    /// A WordNet dictionary folder holding noun.exc, verb.exc, adj.exc.
    #[arg(long, value_name = "DIR")]
    wordnet: Option<PathBuf>,
    /// Phrase-swap lists, `original<TAB>spun[<TAB>weight]`.
    #[arg(long, value_name = "FILE")]
    swaps: Vec<PathBuf>,
    /// Aligned pairs (`{"original","spun"}` JSONL) to learn substitutions from.
    #[arg(long, value_name = "FILE")]
    pairs: Vec<PathBuf>,
    /// Weight of one observed substitution relative to a thesaurus entry.
    #[arg(long, default_value_t = 2.0)]
    pair_weight: f32,
    /// A JSON file of decoder parameters (see `Params`); the base model's
    /// otherwise.
    #[arg(long, value_name = "FILE")]
    params: Option<PathBuf>,
    /// The model whose parts are kept where no source is given: the
    /// built-in one unless this names a file.
    #[arg(long, value_name = "PATH")]
    base: Option<PathBuf>,
    /// Keep at most this many synonyms per original phrase.
    #[arg(long, default_value_t = 150)]
    max_synonyms: usize,
}

fn read(path: &PathBuf) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    crate::input::decode(bytes, false)
        .with_context(|| format!("{} is not valid UTF-8", path.display()))
}

pub fn run(args: Args) -> Result<ExitCode> {
    let mut mb = ModelBuilder::new();
    let base = || -> Result<Model> {
        match &args.base {
            Some(p) => {
                Model::open(p).with_context(|| format!("cannot load base model {}", p.display()))
            }
            None => Model::builtin().context("cannot load the built-in model as the base"),
        }
    };
    // 1. language model
    if let Some(w) = args.mix.filter(|w| !(*w > 0.0 && *w < 1.0)) {
        bail!("--mix {w}: the corpus model's weight must be between 0 and 1");
    }
    if args.sphinx_lm.is_some() && !args.corpus.is_empty() {
        bail!("give either --sphinx-lm or --corpus, not both");
    }
    if let Some(p) = &args.sphinx_lm {
        let bytes = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
        let stats = unspin_core::train::read_sphinx_trie(&bytes, &mut mb.lm)
            .with_context(|| format!("cannot read sphinx model {}", p.display()))?;
        eprintln!(
            "unspin train: language model from {}: {stats:?}",
            p.display()
        );
    } else if !args.corpus.is_empty() {
        let mut trainer = unspin_core::train::CorpusTrainer::new(Default::default());
        let input = InputArgs {
            files: args.corpus.clone(),
            format: None,
            lossy: true,
            max_doc_bytes: crate::input::DEFAULT_MAX_DOC_BYTES,
        };
        let report = input.for_each(|rec| {
            trainer.add_text(&rec.text)?;
            Ok(())
        })?;
        if report.skipped > 0 {
            eprintln!("unspin train: {} corpus record(s) skipped", report.skipped);
        }
        mb.lm = trainer
            .finish()
            .context("cannot train the language model")?;
        eprintln!(
            "unspin train: language model from corpus: {:?} n-grams",
            mb.lm.counts()
        );
        if let Some(weight) = args.mix {
            let corpus_lm = ModelBuilder {
                lm: std::mem::take(&mut mb.lm),
                ..ModelBuilder::new()
            }
            .to_bytes()
            .and_then(|bytes| Model::from_bytes(&bytes))
            .context("cannot load the corpus language model")?;
            let (lm, stats) = unspin_core::train::interpolate(base()?.lm(), corpus_lm.lm(), weight)
                .context("cannot mix the corpus model into the base model")?;
            mb.lm = lm;
            eprintln!(
                "unspin train: mixed into the base model at weight {weight}: {:?} n-grams, {} new words",
                stats.counts, stats.new_words
            );
        }
    } else {
        bail!("a language model source is needed: --sphinx-lm FILE or --corpus FILE…");
    }
    // 2. lexicon
    if let Some(p) = &args.mythes {
        let data = read(p)?;
        let keep = |w: &str| keep_phrase(w);
        let opts = MythesOptions {
            keep: &keep,
            synonym: 1.0,
            similar: 0.7,
            generic: 0.5,
            related: 0.2,
            symmetric: 0.5,
        };
        let n = add_mythes(&mut mb.lexicon, &data, &opts)
            .with_context(|| format!("{}", p.display()))?;
        eprintln!("unspin train: {n} thesaurus pairs from {}", p.display());
    } else if args.swaps.is_empty() && args.pairs.is_empty() || args.base.is_some() {
        mb.lexicon = LexiconBuilder::from_lexicon(base()?.lexicon());
    }
    if let Some(p) = &args.moby {
        let data = read(p)?;
        let lm = &mb.lm;
        let freq = |w: &str| lm.unigram(w);
        let n = add_moby(
            &mut mb.lexicon,
            &data,
            &keep_phrase,
            &freq,
            args.moby_keep,
            args.moby_weight,
        )
        .with_context(|| format!("{}", p.display()))?;
        eprintln!("unspin train: {n} thesaurus pairs from {}", p.display());
    }
    if let Some(dir) = &args.wordnet {
        for (file, p) in [
            ("noun.exc", pos::NOUN),
            ("verb.exc", pos::VERB),
            ("adj.exc", pos::ADJ),
        ] {
            let text = read(&dir.join(file))?;
            mb.lexicon.irregular_mut().add_exc(&text, p);
        }
    }
    for p in &args.swaps {
        let text = read(p)?;
        let n = add_swaps(&mut mb.lexicon, &text, &p.display().to_string())?;
        eprintln!("unspin train: {n} phrase swaps from {}", p.display());
    }
    for p in &args.pairs {
        let n = learn_pairs(&mut mb.lexicon, p, args.pair_weight)?;
        eprintln!(
            "unspin train: {n} substitutions learned from {}",
            p.display()
        );
    }
    mb.lexicon.truncate(args.max_synonyms);
    eprintln!(
        "unspin train: lexicon {:?} (phrases, pairs)",
        mb.lexicon.counts()
    );
    // 3. parameters
    mb.params = match &args.params {
        Some(p) => serde_json::from_str::<Params>(&read(p)?)
            .with_context(|| format!("bad parameters in {}", p.display()))?,
        None => base()?.params().clone(),
    };
    let size = mb.write(&args.output)?;
    eprintln!(
        "unspin train: wrote {} ({size} bytes)",
        args.output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Phrases worth a lexicon entry: one to three words of letters.
fn keep_phrase(w: &str) -> bool {
    let words = w.split(' ').count();
    words <= 3
        && !w.is_empty()
        && w.chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '\'')
}

/// Learns substitutions from aligned pairs: every changed block of a word
/// diff (up to three words a side) counts as one observation.
fn learn_pairs(lex: &mut LexiconBuilder, path: &PathBuf, weight: f32) -> Result<usize> {
    let input = InputArgs {
        files: vec![path.clone()],
        format: Some(Format::Jsonl),
        lossy: false,
        max_doc_bytes: crate::input::DEFAULT_MAX_DOC_BYTES,
    };
    let mut n = 0;
    let mut bad = 0;
    // records need "original" and "spun"; parse lines ourselves
    let text = read(path)?;
    let _ = input;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!(
                    "unspin: {}:{}: skipped: bad JSON: {e}",
                    path.display(),
                    i + 1
                );
                bad += 1;
                continue;
            }
        };
        let (Some(o), Some(s)) = (v["original"].as_str(), v["spun"].as_str()) else {
            eprintln!(
                "unspin: {}:{}: skipped: needs \"original\" and \"spun\" strings",
                path.display(),
                i + 1
            );
            bad += 1;
            continue;
        };
        for (orig, spun) in unspin_core::eval::substitutions(o, s) {
            if orig.split(' ').count() <= 3 && spun.split(' ').count() <= 3 {
                lex.add(&orig, &spun, pos::ANY, weight);
                n += 1;
            }
        }
    }
    if bad > 0 {
        bail!("{bad} bad line(s) in {}", path.display());
    }
    Ok(n)
}
