//! Dev aid: restores each line of a file: `restorelines MODEL FILE [key=value…]`.
use unspin_core::{Model, Unspinner};
fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    let m = Model::open(&a[0]).unwrap();
    let mut p = serde_json::to_value(m.params()).unwrap();
    for kv in &a[2..] {
        let (k, v) = kv.split_once('=').unwrap();
        p[k] = serde_json::from_str(v).unwrap();
    }
    let u = Unspinner::builder(m).params(serde_json::from_value(p).unwrap()).build();
    for line in std::fs::read_to_string(&a[1]).unwrap().lines() {
        let r = u.restore(line);
        let d = u.detect(line);
        println!("{}\n   score {:.2} changes: {}", r.text, d.score, r.changes.iter().map(|c| format!("{}→{}({:.2})", c.from, c.to, c.score)).collect::<Vec<_>>().join(", "));
    }
}
