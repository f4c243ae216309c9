//! Readers for the thesauri and word lists a lexicon is built from.
//!
//! - MyThes thesaurus files (`th_en_US_v2.dat`, Debian `mythes-en-us`):
//!   sense groups of synonyms, similar, generic and related terms.
//! - WordNet exception lists (`noun.exc`, `verb.exc`, `adj.exc`; Debian
//!   `wordnet-base`): irregular inflections.
//! - Phrase-swap lists: `original<TAB>spun[<TAB>weight]` lines, for the
//!   function-word and n:m swaps spinners make that no thesaurus lists.

use super::morph::pos;
use super::LexiconBuilder;
use crate::error::{Error, Result};

/// Which MyThes entries to take and how to weigh them.
pub struct MythesOptions<'a> {
    /// keeps a phrase (lower case) only when this returns true
    pub keep: &'a dyn Fn(&str) -> bool,
    /// weight of a plain synonym; similar, generic and related terms get
    /// the weights that follow
    pub synonym: f32,
    /// "(similar term)"
    pub similar: f32,
    /// "(generic term)"
    pub generic: f32,
    /// "(related term)"
    pub related: f32,
    /// weight of the reverse entry (term → head) relative to the forward one
    pub symmetric: f32,
}

fn pos_bits(tag: &str) -> u8 {
    match tag {
        "(noun)" => pos::NOUN,
        "(verb)" => pos::VERB,
        "(adj)" => pos::ADJ,
        "(adv)" => pos::ADV,
        _ => 0,
    }
}

/// Adds every (head → term) pair of a MyThes data file. Returns the number
/// of pairs added.
pub fn add_mythes(b: &mut LexiconBuilder, data: &str, opts: &MythesOptions) -> Result<usize> {
    let mut lines = data.lines();
    let first = lines.next().unwrap_or("");
    if !first.trim().eq_ignore_ascii_case("UTF-8") && !first.contains('|') {
        return Err(Error::Training(format!(
            "not a MyThes file (first line {first:?})"
        )));
    }
    let mut added = 0;
    let mut head: Option<(String, usize)> = None;
    let mut sense = 0usize;
    for line in lines {
        if let Some((h, left)) = head.as_mut() {
            if *left > 0 && line.starts_with('(') {
                *left -= 1;
                let mut fields = line.split('|');
                let p = pos_bits(fields.next().unwrap_or(""));
                let terms: Vec<&str> = fields.collect();
                let sense_w = 1.0 / (sense as f32 + 1.0);
                sense += 1;
                let n = terms.len().max(1) as f32;
                for t in terms {
                    let (word, w) = if let Some(x) = t.strip_suffix(" (similar term)") {
                        (x, opts.similar)
                    } else if let Some(x) = t.strip_suffix(" (generic term)") {
                        (x, opts.generic)
                    } else if let Some(x) = t.strip_suffix(" (related term)") {
                        (x, opts.related)
                    } else if t.ends_with(')') {
                        continue; // antonyms and other relations
                    } else {
                        (t, opts.synonym)
                    };
                    let word = word.trim();
                    if w <= 0.0
                        || word.is_empty()
                        || !(opts.keep)(&word.to_lowercase())
                        || !(opts.keep)(h)
                    {
                        continue;
                    }
                    b.add(h, word, p, w * sense_w / n.sqrt());
                    if opts.symmetric > 0.0 {
                        // spinners read thesauri both ways
                        b.add(word, h, p, opts.symmetric * w * sense_w / n.sqrt());
                    }
                    added += 1;
                }
                continue;
            }
        }
        // a head line: "word|count"
        let Some((h, count)) = line.rsplit_once('|') else {
            continue;
        };
        let Ok(count) = count.trim().parse::<usize>() else {
            continue;
        };
        head = Some((h.to_string(), count));
        sense = 0;
    }
    Ok(added)
}

/// Adds the Moby thesaurus (one row per head: `head,syn,syn,…`, or with `|`
/// between entries as the `thesaurus-moby` crate stores it). Rows list
/// hundreds of words in no order, far more than any spinner's dictionary;
/// each head keeps its `k` most frequent synonyms by `freq` (higher is more
/// frequent), each with weight `w / k`. Returns the pairs added.
pub fn add_moby(
    b: &mut LexiconBuilder,
    data: &str,
    keep: &dyn Fn(&str) -> bool,
    freq: &dyn Fn(&str) -> Option<f32>,
    k: usize,
    w: f32,
) -> Result<usize> {
    let mut added = 0;
    for (i, line) in data.lines().enumerate() {
        // the raw list separates entries with commas; the crate's copy with '|'
        let mut fields = line.split([',', '|']);
        let Some(head) = fields.next() else { continue };
        let head = head.trim().to_lowercase();
        if head.is_empty() {
            continue;
        }
        if i == 0 && line.contains('\0') {
            return Err(Error::Training("not a Moby thesaurus file".into()));
        }
        if !keep(&head) || freq(&head).is_none() {
            continue;
        }
        let mut syns: Vec<(f32, String)> = fields
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty() && *s != head && keep(s))
            .filter_map(|s| {
                // a phrase's frequency is that of its rarest word
                let f = s
                    .split(' ')
                    .map(freq)
                    .try_fold(f32::INFINITY, |acc, f| f.map(|f| acc.min(f)))?;
                Some((f, s))
            })
            .collect();
        syns.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        syns.truncate(k);
        let n = syns.len().max(1) as f32;
        for (_, s) in syns {
            b.add(&head, &s, pos::ANY, w / n);
            added += 1;
        }
    }
    Ok(added)
}

/// Adds a phrase-swap list: `original<TAB>spun[<TAB>weight]` per line;
/// `#` starts a comment. `file` names the list in errors.
pub fn add_swaps(b: &mut LexiconBuilder, text: &str, file: &str) -> Result<usize> {
    let mut n = 0;
    for (i, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim_end();
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let bad = |reason: &str| Error::BadFingerprint {
            file: file.to_string(),
            line: i + 1,
            reason: reason.to_string(),
        };
        if f.len() < 2 || f[0].trim().is_empty() || f[1].trim().is_empty() {
            return Err(bad("expected original<TAB>spun[<TAB>weight]"));
        }
        let w = match f.get(2) {
            Some(w) => w
                .trim()
                .parse::<f32>()
                .map_err(|_| bad("weight is not a number"))?,
            None => 1.0,
        };
        b.add(f[0].trim(), f[1].trim(), pos::ANY, w);
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lm::LmBuilder;
    use crate::model::{write_model, Model, Params};

    #[test]
    fn moby_rows_with_either_separator() {
        let keep = |_: &str| true;
        let freq = |w: &str| Some(-(w.len() as f32));
        for data in ["cold,chilly,icy,frigid\n", "cold|chilly|icy|frigid\n"] {
            let mut b = LexiconBuilder::new();
            assert_eq!(
                add_moby(&mut b, data, &keep, &freq, 2, 1.0).unwrap(),
                2,
                "{data}"
            );
        }
    }

    #[test]
    fn mythes_senses_and_relations() {
        let data = "UTF-8\nwar|2\n(noun)|warfare|conflict (generic term)|peace (antonym)\n(verb)|fight (generic term)\nera|1\n(noun)|epoch|period (generic term)\n";
        let keep = |_: &str| true;
        let opts = MythesOptions {
            keep: &keep,
            synonym: 1.0,
            similar: 0.8,
            generic: 0.5,
            related: 0.3,
            symmetric: 0.0,
        };
        let mut b = LexiconBuilder::new();
        assert_eq!(add_mythes(&mut b, data, &opts).unwrap(), 5);
        add_swaps(
            &mut b,
            "# comment\nvisit\tgo to\nwe have\twe've\t2\n",
            "swaps",
        )
        .unwrap();
        assert!(add_swaps(&mut LexiconBuilder::new(), "lonely\n", "x.tsv")
            .unwrap_err()
            .to_string()
            .contains("x.tsv:1"));
        let mut lm = LmBuilder::new();
        lm.add(&["<s>"], -1.0, 0.0).unwrap();
        let m = Model::from_bytes(&write_model(
            &lm.build().unwrap(),
            &b.build(),
            &Params::default(),
        ))
        .unwrap();
        let lex = m.lexicon();
        assert_eq!(lex.candidates("conflict")[0].text, "war");
        assert!(
            lex.candidates("peace").is_empty(),
            "antonyms are not synonyms"
        );
        assert_eq!(lex.candidates("go to")[0].text, "visit");
        assert_eq!(lex.candidates("going to")[0].text, "visiting");
        assert_eq!(lex.candidates("we've")[0].text, "we have");
        assert!(add_mythes(&mut LexiconBuilder::new(), "PK\x03\x04", &opts).is_err());
    }
}
