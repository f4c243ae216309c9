//! A seeded spinner simulator, to make evaluation data.
//!
//! It imitates the thesaurus spinners described in PRODUCT.md §1: it walks
//! the text and, at a given rate, replaces words and phrases (one to three
//! words) by a synonym drawn from the lexicon's forward index — so wrong
//! senses are as likely as the spinner's dictionary makes them — keeping
//! inflection and capitalisation, breaking collocations word by word,
//! leaving the article before a swapped word as it was ("a impartial"),
//! or, with [`SpinOptions::fix_articles`], fitting it to the new word ("a
//! longer" → "an extended", as some spinner families do), sparing names
//! (or only those the lexicon lacks, with
//! [`SpinOptions::capitalised_rate`]), and spelling out some numbers. Each
//! occurrence is decided afresh, or, with [`SpinOptions::consistent`],
//! every occurrence of a word or phrase in a text gets the first
//! occurrence's fate (a spinner with a fixed dictionary). With
//! [`SpinOptions::typo_rate`], some words then get a typo. The same seed
//! gives the same output.
//!
//! The draw weighs a synonym by its channel probability raised to
//! [`SpinOptions::channel_power`] times its language-model probability
//! raised to [`SpinOptions::familiarity`]: real spinners' dictionaries
//! favour familiar words ("workers", "celebration", "chilly"), not the
//! thesaurus's rarest entries. The defaults are the maximum-likelihood fit
//! to the real spins listed in PRODUCT.md §1 (`bench/engine/real_spins.tsv`,
//! `cargo run --release -p unspin-core --example spinfit`); 0 and 1 give
//! the plain channel draw of earlier versions.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::lexicon::Lexicon;
use crate::lm::{NgramLm, UNKNOWN_LOGP};
use crate::model::Model;
use crate::numbers::spell;
use crate::text::{is_function_word, Case, Text};

/// How to spin.
#[derive(Clone, Debug)]
pub struct SpinOptions {
    /// share of eligible words (those with synonyms) that get replaced
    pub rate: f64,
    /// the random seed
    pub seed: u64,
    /// relative rate for function words ("in" → "within")
    pub function_word_rate: f64,
    /// relative rate for a capitalised word inside a sentence, alone (0:
    /// such words are taken for names and spared). Real spinners look
    /// words up whatever their case, so names go untouched mostly because
    /// their dictionaries lack them, while "The Health Ministry" becomes
    /// "The Well being Ministry" and "the Cold War" "the Chilly Conflict"
    pub capitalised_rate: f64,
    /// probability of spelling out a small number written in digits
    pub number_rate: f64,
    /// spin every occurrence of a word or phrase in a text alike
    pub consistent: bool,
    /// exponent of the synonym's language-model probability in the draw
    pub familiarity: f64,
    /// exponent of the channel probability in the draw
    pub channel_power: f64,
    /// fit "a"/"an" before a swapped word to the new word ("a longer" →
    /// "an extended"), as some spinner families do; off, the article is
    /// left as it was ("a impartial")
    pub fix_articles: bool,
    /// share of lower-case words of four letters or more that get a typo
    /// after the swaps (a letter dropped, doubled or replaced by a
    /// neighbour on the keyboard, or two neighbours swapped; never the
    /// first letter): spinners "spin typos too" (PRODUCT.md §1)
    pub typo_rate: f64,
}

impl Default for SpinOptions {
    fn default() -> SpinOptions {
        SpinOptions {
            rate: 0.3,
            seed: 0,
            function_word_rate: 0.3,
            capitalised_rate: 0.0,
            number_rate: 0.3,
            consistent: false,
            familiarity: 0.3,
            channel_power: 0.7,
            fix_articles: false,
            typo_rate: 0.0,
        }
    }
}

/// The spinner simulator.
pub struct Spinner<'a> {
    lexicon: &'a Lexicon,
    lm: &'a NgramLm,
    opts: SpinOptions,
}

impl<'a> Spinner<'a> {
    /// A spinner over a model's lexicon, weighing synonyms with its
    /// language model.
    pub fn new(model: &'a Model, opts: SpinOptions) -> Spinner<'a> {
        Spinner {
            lexicon: model.lexicon(),
            lm: model.lm(),
            opts,
        }
    }

    /// ln of each synonym's draw weight (see the module docs).
    pub fn weights(&self, options: &[crate::lexicon::Candidate]) -> Vec<f64> {
        let (beta, gamma) = (self.opts.familiarity, self.opts.channel_power);
        options
            .iter()
            .map(|c| {
                let familiar = if beta == 0.0 {
                    0.0
                } else {
                    beta * (self.lm.phrase_logp(&c.text, UNKNOWN_LOGP) * std::f32::consts::LN_10)
                        as f64
                };
                gamma * c.ln_channel as f64 + familiar
            })
            .collect()
    }

    /// Spins one text. Each text gets its own stream from the seed and
    /// `salt` (e.g. the document's index), so output does not depend on the
    /// order texts are spun in.
    pub fn spin(&self, text: &str, salt: u64) -> String {
        let mut rng =
            SmallRng::seed_from_u64(self.opts.seed ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let t = Text::new(text);
        let words = t.words();
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        let mut cursor = 0usize;
        // each phrase's first fate, by its lower-case form (for `consistent`)
        let mut fates: std::collections::HashMap<String, Option<String>> =
            std::collections::HashMap::new();
        let mut i = 0;
        while i < words.len() {
            let w = &words[i];
            // numbers: spell out a small one now and then
            if w.norm.chars().all(|c| c.is_ascii_digit()) {
                if let Ok(n) = w.norm.parse::<u32>() {
                    if rng.gen_bool(self.opts.number_rate) {
                        if let Some(s) = spell(n) {
                            out.push_str(&text[cursor..w.bytes.start]);
                            out.push_str(&s);
                            cursor = w.bytes.end;
                        }
                    }
                }
                i += 1;
                continue;
            }
            // names: capitalised words inside a sentence are left alone,
            // unless `capitalised_rate` says otherwise
            let is_name = w.case != Case::Lower && !w.sentence_start && !is_function_word(&w.norm);
            let mut done = false;
            // try the longest phrase first, as spinners do
            for k in (1..=3usize.min(words.len() - i)).rev() {
                if k > 1 && (i..i + k - 1).any(|j| !t.gap_after(j).trim().is_empty()) {
                    continue;
                }
                let key = words[i..i + k]
                    .iter()
                    .map(|w| w.norm.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let function = k == 1 && is_function_word(&key);
                let capitalised = is_name && k == 1;
                if capitalised && self.opts.capitalised_rate <= 0.0 {
                    continue;
                }
                let rate = if function {
                    self.opts.rate * self.opts.function_word_rate
                } else if capitalised {
                    self.opts.rate * self.opts.capitalised_rate
                } else {
                    self.opts.rate
                };
                // Some(original's replacement) or None (kept)
                let fate = match fates.get(&key).filter(|_| self.opts.consistent) {
                    Some(f) => f.clone(),
                    None => {
                        let options = self.lexicon.spins(&key);
                        if options.is_empty() {
                            continue;
                        }
                        let f = rng
                            .gen_bool(rate.clamp(0.0, 1.0))
                            .then(|| draw(&options, &self.weights(&options), &mut rng));
                        fates.insert(key, f.clone());
                        f
                    }
                };
                let Some(chosen) = fate else {
                    if k == 1 {
                        break;
                    }
                    continue;
                };
                let last = &words[i + k - 1];
                // the article before the phrase, when it is still the
                // input's and fits the new word no more ("a" + "extended")
                let article = (self.opts.fix_articles && i > 0)
                    .then(|| &words[i - 1])
                    .filter(|a| {
                        (a.norm == "a" || a.norm == "an")
                            && a.bytes.start >= cursor
                            && t.gap_after(i - 1).trim().is_empty()
                            && a.norm != crate::text::article_for(&chosen)
                    });
                match article {
                    Some(a) => {
                        out.push_str(&text[cursor..a.bytes.start]);
                        let written = &text[a.bytes.clone()];
                        out.push_str(&Case::of(written).apply(crate::text::article_for(&chosen)));
                        out.push_str(&text[a.bytes.end..w.bytes.start]);
                    }
                    None => out.push_str(&text[cursor..w.bytes.start]),
                }
                let all_title = words[i..i + k].iter().all(|w| w.case == Case::Title);
                let replaced = match w.case {
                    Case::Title if all_title && k > 1 => Case::Title.apply(&chosen),
                    Case::Title => Case::Title.apply_first(&chosen),
                    Case::Upper => Case::Upper.apply(&chosen),
                    _ => chosen,
                };
                out.push_str(&replaced);
                cursor = last.bytes.end;
                i += k;
                done = true;
                break;
            }
            if !done {
                i += 1;
            }
        }
        out.push_str(&text[cursor..]);
        if self.opts.typo_rate > 0.0 {
            // a stream of its own, so that the swaps stay those of the
            // same seed without typos
            let mut rng = SmallRng::seed_from_u64(
                self.opts.seed ^ salt.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ TYPO_STREAM,
            );
            out = garble(&out, self.opts.typo_rate, &mut rng);
        }
        out
    }
}

/// Salt of the typo draw's random stream.
const TYPO_STREAM: u64 = 0x7970_6f73;

/// Keys next to each letter on a QWERTY keyboard, by row.
const ROWS: [&[u8]; 3] = [b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];

/// A letter next to `c` in its keyboard row.
fn neighbour_key(c: u8, rng: &mut SmallRng) -> u8 {
    for row in ROWS {
        if let Some(i) = row.iter().position(|&x| x == c) {
            let left = i.checked_sub(1).map(|j| row[j]);
            let right = row.get(i + 1).copied();
            return match (left, right) {
                (Some(l), Some(r)) => *[l, r].get(rng.gen_range(0..2)).expect("two keys"),
                (Some(x), None) | (None, Some(x)) => x,
                (None, None) => c,
            };
        }
    }
    c
}

/// `text` with a share `rate` of its lower-case ASCII words of four
/// letters or more given one typo each.
fn garble(text: &str, rate: f64, rng: &mut SmallRng) -> String {
    let t = Text::new(text);
    let mut out = String::with_capacity(text.len());
    let mut cursor = 0;
    for w in t.words() {
        let word = &text[w.bytes.clone()];
        if word.len() < 4 || !word.bytes().all(|b| b.is_ascii_lowercase()) || !rng.gen_bool(rate) {
            continue;
        }
        let mut b = word.as_bytes().to_vec();
        let i = rng.gen_range(1..b.len());
        match rng.gen_range(0..4) {
            0 => {
                b.remove(i);
            }
            1 => b.insert(i, b[i]),
            2 if i + 1 < b.len() && b[i] != b[i + 1] => b.swap(i, i + 1),
            _ => b[i] = neighbour_key(b[i], rng),
        }
        out.push_str(&text[cursor..w.bytes.start]);
        out.push_str(std::str::from_utf8(&b).expect("ASCII letters"));
        cursor = w.bytes.end;
    }
    out.push_str(&text[cursor..]);
    out
}

/// Draws a synonym by its ln weight.
fn draw(options: &[crate::lexicon::Candidate], ln_w: &[f64], rng: &mut SmallRng) -> String {
    let top = ln_w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let w: Vec<f64> = ln_w.iter().map(|x| (x - top).exp()).collect();
    let mut pick = rng.gen_range(0.0..w.iter().sum::<f64>());
    for (c, x) in options.iter().zip(&w) {
        pick -= x;
        if pick <= 0.0 {
            return c.text.clone();
        }
    }
    options[0].text.clone()
}
