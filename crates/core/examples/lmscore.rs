//! Prints the language-model log10 probability of sentences (debug aid).
fn main() {
    let mut args = std::env::args().skip(1);
    let m = unspin_core::Model::open(args.next().unwrap()).unwrap();
    for s in args {
        let w = unspin_core::text::metric_words(&s);
        let ws: Vec<&str> = w.iter().map(|x| x.as_str()).collect();
        let oov: Vec<&str> = ws
            .iter()
            .copied()
            .filter(|x| m.lm().id(x).is_none())
            .collect();
        println!("{:8.2}  {s}  oov={oov:?}", m.lm().sentence_logp(&ws));
    }
}
