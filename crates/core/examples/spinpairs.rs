//! Dev aid: spins JSONL `{"id","text"}` into pairs: `spinpairs MODEL IN RATE SEED`.
use unspin_core::spin::{SpinOptions, Spinner};
fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let m = unspin_core::Model::open(&a[0]).unwrap();
    let s = Spinner::new(m.lexicon(), SpinOptions { rate: a[2].parse().unwrap(), seed: a[3].parse().unwrap(), ..Default::default() });
    for (i, line) in std::fs::read_to_string(&a[1]).unwrap().lines().enumerate() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let t = v["text"].as_str().unwrap();
        println!("{}", serde_json::json!({"id": v["id"], "original": t, "spun": s.spin(t, i as u64), "domain": "news"}));
    }
}
