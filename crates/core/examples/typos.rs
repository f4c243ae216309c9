//! Counts what the typo rule ([`unspin_core::typos`]) would correct in a
//! JSONL corpus if every text read as spun, and prints each correction:
//! the clean-text measure of DESIGN.md ("Typos").
//!
//! `cargo run --release -p unspin-core --example typos -- MODEL FIELD FILE…`
//! reads the string field FIELD of each line with the model file MODEL
//! (`zstd -dc model/default.unspin.zst > /tmp/default.unspin`).
use std::io::BufRead;

use unspin_core::text::Text;

fn main() {
    let mut args = std::env::args().skip(1);
    let model = unspin_core::Model::open(args.next().expect("usage: typos MODEL FIELD FILE…"))
        .expect("model");
    let field = args.next().expect("usage: typos MODEL FIELD FILE…");
    let (mut docs, mut words, mut found, mut several) = (0usize, 0usize, 0usize, 0usize);
    let mut spent = std::time::Duration::ZERO;
    for path in args {
        let file = std::fs::File::open(&path).expect("open");
        for line in std::io::BufReader::new(file).lines() {
            let v: serde_json::Value = serde_json::from_str(&line.expect("read")).expect("JSON");
            let Some(text) = v[field.as_str()].as_str() else {
                continue;
            };
            let t = Text::new(text);
            docs += 1;
            words += t.words().len();
            let start = std::time::Instant::now();
            let fixes = unspin_core::typos::find(&t, model.lm(), model.lexicon());
            spent += start.elapsed();
            found += fixes.len();
            several += usize::from(fixes.len() > 1);
            for f in fixes {
                println!(
                    "{path}\t{}\t{}\t{:.2}",
                    t.word_str(f.word),
                    f.to,
                    f.confidence
                );
            }
        }
    }
    println!(
        "documents {docs}, words {words}: {found} corrections ({:.3} per 1,000 words), {several} documents with more than one",
        found as f64 * 1000.0 / words.max(1) as f64
    );
    println!("time in the rule: {:.3} s", spent.as_secs_f64());
}
