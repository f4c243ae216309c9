//! Dev aid: prints the spun-rate feature of spun and original texts, for
//! fitting the document calibration: `docscores MODEL PAIRS LIMIT`.
use unspin_core::model::Params;
use unspin_core::{Model, Unspinner};
fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let m = Model::open(&a[0]).unwrap();
    let p = Params { doc_a: 1.0, doc_b: 0.0, ..m.params().clone() };
    let u = Unspinner::builder(m).params(p).build();
    for l in std::fs::read_to_string(&a[1]).unwrap().lines().take(a[2].parse().unwrap()) {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        for (k, label) in [("spun", 1), ("original", 0)] {
            let s = u.detect(v[k].as_str().unwrap()).score;
            println!("{label}\t{}", (s / (1.0 - s)).ln());
        }
    }
}
