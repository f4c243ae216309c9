//! Prints the candidate originals of phrases: the lexicon's (with their ln
//! channel and LM unigram log10) and, after `|`, the decoder's shortlist
//! (a debugging aid for model builders).
//!
//! Usage: cands MODEL PHRASE… (`CANDS_N` sets how many lexicon candidates
//! are shown, 15 by default)
fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: cands MODEL PHRASE…");
    let m = unspin_core::Model::open(&path).expect("model");
    let shown_max = std::env::var("CANDS_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(15);
    let decoder = unspin_core::Unspinner::new(m.clone());
    for p in args {
        let c = m.lexicon().candidates(&p);
        let shown: Vec<String> = c
            .iter()
            .take(shown_max)
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
            "{p} [{}] ({}): {} | {}",
            m.lm().unigram(m.lm().id(&p)),
            c.len(),
            shown.join(" "),
            decoder.candidate_originals(&p).join(", ")
        );
    }
}
