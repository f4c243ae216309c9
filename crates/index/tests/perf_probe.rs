//! Temporary probe (removed before hand-off).
#[test]
#[ignore]
fn probe() {
    let body = std::fs::read_to_string("/work/shared/data/news-bbc/bbc_dev.jsonl").unwrap();
    let docs: Vec<String> = body.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["text"].as_str().unwrap().to_string()).collect();
    let mb: usize = docs.iter().map(|d| d.len()).sum();
    let t = std::time::Instant::now();
    let mut n = 0;
    for d in &docs { n += unspin_core::text::Text::new(d).words().len(); }
    println!("Text::new {:.1} MB/s ({n} words)", mb as f64 / 1e6 / t.elapsed().as_secs_f64());
    let t = std::time::Instant::now();
    let mut n = 0;
    for d in &docs { n += unspin_index::features::features(d).len(); }
    println!("features {:.1} MB/s ({n} feats)", mb as f64 / 1e6 / t.elapsed().as_secs_f64());
    let t = std::time::Instant::now();
    let mut n = 0;
    for d in docs.iter().take(200) { n += unspin_index::align::align(d, &docs[(n % 7) + 3]).pairs.len(); }
    println!("align x200 {:.1} ms each", t.elapsed().as_secs_f64() * 1e3 / 200.0);
    let t = std::time::Instant::now();
    for d in docs.iter().take(200) { n += unspin_index::align::align(d, d).pairs.len(); }
    println!("align self x200 {:.1} ms each", t.elapsed().as_secs_f64() * 1e3 / 200.0);
}
