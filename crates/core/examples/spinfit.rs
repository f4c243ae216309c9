//! Fits the spinner simulator's draw to real spins: for a grid of
//! (channel power, familiarity) it prints the mean ln probability the draw
//! gives the real spun form of each original in a TSV of
//! `original<TAB>spun` pairs (default `bench/engine/real_spins.tsv`), over
//! the pairs whose spun form the lexicon offers at all.
//!
//! Usage: spinfit [PAIRS.tsv] [MODEL]
use unspin_core::spin::{SpinOptions, Spinner};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "bench/engine/real_spins.tsv".into());
    let model = match args.next() {
        Some(m) => unspin_core::Model::open(m)?,
        None => unspin_core::Model::builtin()?,
    };
    let text = std::fs::read_to_string(&path)?;
    let pairs: Vec<(&str, &str)> = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.split_once('\t'))
        .collect();
    println!(
        "channel_power familiarity  mean ln p  pairs offered (of {})",
        pairs.len()
    );
    for gamma in [1.0, 0.85, 0.7, 0.5] {
        for beta in [0.0, 0.15, 0.3, 0.45, 0.6] {
            let opts = SpinOptions {
                channel_power: gamma,
                familiarity: beta,
                ..SpinOptions::default()
            };
            let spinner = Spinner::new(&model, opts);
            let (mut sum, mut n) = (0.0, 0);
            for &(original, spun) in &pairs {
                let options = model.lexicon().spins(original);
                let Some(at) = options.iter().position(|c| c.text == spun) else {
                    continue;
                };
                let w = spinner.weights(&options);
                let top = w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let ln_z = w.iter().map(|x| (x - top).exp()).sum::<f64>().ln() + top;
                sum += w[at] - ln_z;
                n += 1;
            }
            println!("{gamma:13} {beta:11}  {:9.3}  {n}", sum / n.max(1) as f64);
        }
    }
    Ok(())
}
