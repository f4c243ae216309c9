//! Counts the spinner-residue rules' hits ([`unspin_core::residue`]) in a
//! JSONL corpus, by rule, and prints each hit: the clean-text measure of
//! DESIGN.md ("Spinner residue").
//!
//! `cargo run --release -p unspin-core --example residue -- FIELD FILE…`
//! reads the string field FIELD of each line (an array of strings, such as
//! CSAbstruct's `sentences`, is joined with spaces).
use std::io::BufRead;

use unspin_core::residue::{find, ResidueKind};

fn main() {
    let mut args = std::env::args().skip(1);
    let field = args.next().expect("usage: residue FIELD FILE…");
    let (mut docs, mut chars, mut numbers, mut spintax) = (0usize, 0usize, 0usize, 0usize);
    for path in args {
        let file = std::fs::File::open(&path).expect("open");
        for line in std::io::BufReader::new(file).lines() {
            let line = line.expect("read");
            let v: serde_json::Value = serde_json::from_str(&line).expect("JSON line");
            let text = match &v[field.as_str()] {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Array(a) => a
                    .iter()
                    .filter_map(|x| x.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                _ => continue,
            };
            docs += 1;
            chars += text.chars().count();
            for r in find(&text) {
                match r.kind {
                    ResidueKind::SplitNumber => numbers += 1,
                    _ => spintax += 1,
                }
                println!("{path}\t{:?}\t{:?}\t{:?}", r.kind, r.text, r.restored);
            }
        }
    }
    println!("documents {docs}, characters {chars}: split numbers {numbers}, spintax {spintax}");
}
