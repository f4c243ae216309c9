//! TEMP: share of words unknown to the LM, per JSONL doc.
use std::io::BufRead;
fn main() {
    let mut args = std::env::args().skip(1);
    let m = unspin_core::Model::open(args.next().unwrap()).unwrap();
    for line in std::io::stdin().lock().lines() {
        let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        let t = unspin_core::text::Text::new(v["text"].as_str().unwrap());
        let words: Vec<_> = t
            .words()
            .iter()
            .filter(|w| w.norm.chars().all(|c| c.is_alphabetic()))
            .collect();
        let lower: Vec<_> = words
            .iter()
            .filter(|w| w.case == unspin_core::text::Case::Lower)
            .collect();
        let oov = lower
            .iter()
            .filter(|w| m.lm().id(&w.norm).is_none())
            .count();
        let uni: f32 = lower
            .iter()
            .map(|w| m.lm().unigram(m.lm().id(&w.norm)))
            .sum::<f32>()
            / lower.len().max(1) as f32;
        println!(
            "{}\t{}\t{:.4}\t{:.3}",
            v["id"].as_str().unwrap(),
            words.len(),
            oov as f64 / lower.len().max(1) as f64,
            uni
        );
    }
}
