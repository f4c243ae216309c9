//! Evaluates a model on pairs with parameter overrides, for tuning:
//! `quickeval MODEL PAIRS.jsonl LIMIT [key=value…]`.
use unspin_core::eval::{evaluate_pair, Pair, Report};
use unspin_core::{Model, Unspinner};

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let m = Model::open(&a[0]).expect("model");
    let limit: usize = a[2].parse().unwrap();
    let mut p = serde_json::to_value(m.params()).unwrap();
    for kv in &a[3..] {
        let (k, v) = kv.split_once('=').unwrap();
        p[k] = serde_json::from_str(v).unwrap();
    }
    let u = Unspinner::builder(m).params(serde_json::from_value(p).unwrap()).build();
    let pairs: Vec<Pair> = std::fs::read_to_string(&a[1])
        .unwrap()
        .lines()
        .take(limit)
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let scores: Vec<_> = std::thread::scope(|s| {
        let hs: Vec<_> = pairs.chunks(pairs.len().div_ceil(2)).map(|c| { let u = &u; s.spawn(move || c.iter().map(|p| evaluate_pair(u, p)).collect::<Vec<_>>()) }).collect();
        hs.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let r = Report::from_scores(&scores);
    println!("{}", serde_json::to_string(&r).unwrap());
}
