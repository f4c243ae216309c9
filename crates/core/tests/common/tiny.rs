//! A tiny model built in-process (a few dozen words, a dozen synonym pairs)
//! for tests and fuzz targets that need the whole engine but not the
//! built-in model's load time. Shared by path (`#[path]`) with the fuzz
//! crate and the CLI's fault-injection tests.

#![allow(dead_code)]

use unspin_core::build::ModelBuilder;
use unspin_core::lexicon::morph::pos;

/// Genuine sentences: every bigram in them is known to the tiny model.
pub const CLEAN: &[&str] = &[
    "the cold war era ended",
    "officials said the cold war era ended last week",
    "artificial intelligence is used to detect breast cancer",
    "the navy held joint exercises last week",
    "india wants to be seen as a neutral party",
    "the big data model was trained on the data",
    "officials said the study was used to detect cancer",
    "the party said the navy will hold joint exercises next week",
];

/// Original → spun pairs of the tiny lexicon (phrases included).
pub const SWAPS: &[(&str, &str)] = &[
    ("cold", "chilly"),
    ("war", "conflict"),
    ("era", "period"),
    ("cold war", "chilly conflict"),
    ("artificial intelligence", "counterfeit consciousness"),
    ("breast", "bosom"),
    ("cancer", "malignancy"),
    ("neutral", "impartial"),
    ("party", "celebration"),
    ("exercises", "workout routines"),
    ("last", "final"),
    ("next", "subsequent"),
    ("big", "large"),
    ("data", "information"),
    ("said", "stated"),
    ("held", "hosted"),
    ("detect", "discover"),
];

/// Every word the tiny model knows (spun forms included).
pub fn vocabulary() -> Vec<String> {
    let mut v: Vec<String> = CLEAN
        .iter()
        .flat_map(|s| s.split(' '))
        .chain(
            SWAPS
                .iter()
                .flat_map(|(a, b)| a.split(' ').chain(b.split(' '))),
        )
        .map(str::to_string)
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The attested bigrams of the tiny model's language model.
pub fn bigrams() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = CLEAN
        .iter()
        .flat_map(|s| {
            let w: Vec<&str> = s.split(' ').collect();
            w.windows(2)
                .map(|p| (p[0].to_string(), p[1].to_string()))
                .collect::<Vec<_>>()
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The tiny model, ready to be written or turned into bytes.
pub fn builder() -> ModelBuilder {
    let mut mb = ModelBuilder::new();
    mb.lm.add(&["<s>"], -99.0, -0.5).unwrap();
    mb.lm.add(&["</s>"], -1.0, 0.0).unwrap();
    let spun: Vec<&str> = SWAPS.iter().flat_map(|(_, s)| s.split(' ')).collect();
    for w in vocabulary() {
        let p = if spun.contains(&w.as_str()) {
            -4.0
        } else {
            -2.0
        };
        mb.lm.add(&[w.as_str()], p, -0.3).unwrap();
    }
    for s in CLEAN {
        let mut w: Vec<&str> = vec!["<s>"];
        w.extend(s.split(' '));
        w.push("</s>");
        for p in w.windows(2) {
            mb.lm.add(p, -0.4, -0.2).unwrap();
        }
        for p in w.windows(3) {
            mb.lm.add(p, -0.2, 0.0).unwrap();
        }
    }
    for (orig, spun) in SWAPS {
        mb.lexicon.add(orig, spun, pos::ANY, 1.0);
    }
    mb
}

/// The tiny model's file bytes.
pub fn model_bytes() -> Vec<u8> {
    builder().to_bytes().expect("the tiny model builds")
}

/// The tiny model, loaded.
pub fn model() -> unspin_core::Model {
    unspin_core::Model::from_bytes(&model_bytes()).expect("the tiny model loads")
}
