//! Prints the candidate originals of phrases and their LM unigram scores
//! (a debugging aid for model builders).
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: cands MODEL PHRASE…");
    let m = unspin_core::Model::open(&path).expect("model");
    for p in args {
        let c = m.lexicon().candidates(&p);
        let shown: Vec<String> = c
            .iter()
            .take(15)
            .map(|c| {
                format!(
                    "{}({:.1},{:.1})",
                    c.text,
                    c.ln_channel,
                    m.lm().unigram(m.lm().id(&c.text))
                )
            })
            .collect();
        println!(
            "{p} [{}] ({}): {}",
            m.lm().unigram(m.lm().id(&p)),
            c.len(),
            shown.join(" ")
        );
    }
}
