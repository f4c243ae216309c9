//! The lexicon: synonym sets indexed both ways, with morphology.
//!
//! A spinner replaces an original phrase `c` by one of its synonyms `w`.
//! The lexicon stores, for every phrase (lower case, one to four words),
//! the synonyms a spinner may put in its place (forward) and, reversed, the
//! originals a spun phrase may stand for, each with the channel probability
//! `P(w | c)`. [`Lexicon::candidates`] combines the reverse index with
//! [`morph`] so that an inflected spun form ("workout routines",
//! "revealed") yields inflected originals ("exercises", "published").

pub mod morph;
pub mod sources;

use std::collections::HashMap;

use crate::error::{Error, Result};
use crate::model::{Container, ContainerWriter, Section};
use morph::{Infl, Irregular};

const W_QUANT: f32 = 1000.0;

/// A candidate original for a spun phrase.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// the original wording, lower case, inflected like the spun phrase
    pub text: String,
    /// ln P(spun | original) under the spinner's channel
    pub ln_channel: f32,
}

/// One spun form of an original, as [`Lexicon::for_each_spin`] gives it.
#[derive(Clone, Debug)]
pub struct Spin {
    /// the lexicon phrase it is a form of
    pub synonym: u32,
    /// the inflected form, lower case; None when it is the phrase itself
    pub form: Option<String>,
    /// ln P(spun | original) under the spinner's channel
    pub ln_channel: f32,
}

/// A loaded lexicon.
pub struct Lexicon {
    phrases: fst::Map<Section>,
    phrase_ids: crate::model::KeyIds,
    str_off: Section,
    strs: Section,
    pos: Section,
    fwd_off: Section,
    fwd_id: Section,
    fwd_w: Section,
    rev_off: Section,
    rev_id: Section,
    rev_w: Section,
    irregular: Irregular,
}

impl Lexicon {
    pub(crate) fn from_container(c: &Container, what: &str) -> Result<Lexicon> {
        let corrupt = |reason: String| Error::CorruptModel {
            what: what.to_string(),
            reason,
        };
        let phrases = fst::Map::new(c.require("lex.fst", what)?)
            .map_err(|e| corrupt(format!("bad lexicon index: {e}")))?;
        let irr = c.require("lex.irr", what)?;
        let irregular = Irregular::from_text(
            std::str::from_utf8(irr.bytes())
                .map_err(|_| corrupt("irregular forms are not UTF-8".into()))?,
        );
        let pos = c.require("lex.pos", what)?;
        let phrase_ids = crate::model::KeyIds::of(&phrases, pos.bytes().len() as u64)
            .map_err(|e| corrupt(format!("section lex.fst: {e}")))?;
        let lex = Lexicon {
            str_off: c.require("lex.str.off", what)?,
            strs: c.require("lex.str", what)?,
            pos,
            fwd_off: c.require("lex.fwd.off", what)?,
            fwd_id: c.require("lex.fwd.id", what)?,
            fwd_w: c.require("lex.fwd.w", what)?,
            rev_off: c.require("lex.rev.off", what)?,
            rev_id: c.require("lex.rev.id", what)?,
            rev_w: c.require("lex.rev.w", what)?,
            phrase_ids,
            phrases,
            irregular,
        };
        // check every array once so lookups can index without surprises
        let n = lex.phrases.len();
        let u32s = |s: &Section| s.as_slice::<u32>().map(|x| x.to_vec());
        let ok = (|| {
            let so = u32s(&lex.str_off)?;
            if so.len() != n + 1
                || *so.last()? as usize != lex.strs.bytes().len()
                || so.windows(2).any(|w| w[0] > w[1])
            {
                return None;
            }
            if lex.pos.bytes().len() != n {
                return None;
            }
            for (off, id, w) in [
                (&lex.fwd_off, &lex.fwd_id, &lex.fwd_w),
                (&lex.rev_off, &lex.rev_id, &lex.rev_w),
            ] {
                let o = u32s(off)?;
                let ids = id.as_slice::<u32>()?;
                if o.len() != n + 1
                    || *o.last()? as usize != ids.len()
                    || o.windows(2).any(|w| w[0] > w[1])
                {
                    return None;
                }
                if w.as_slice::<u16>()?.len() != ids.len() || ids.iter().any(|&i| i as usize >= n) {
                    return None;
                }
            }
            Some(())
        })();
        if ok.is_none() {
            return Err(corrupt("lexicon arrays disagree".into()));
        }
        // a phrase that is not UTF-8 is damage, not an empty phrase
        let (off, strs) = (
            lex.str_off.as_slice::<u32>().unwrap_or(&[]),
            lex.strs.bytes(),
        );
        if off
            .windows(2)
            .any(|w| std::str::from_utf8(&strs[w[0] as usize..w[1] as usize]).is_err())
        {
            return Err(corrupt("a lexicon phrase is not UTF-8".into()));
        }
        Ok(lex)
    }

    /// Number of phrases.
    pub fn len(&self) -> usize {
        self.phrases.len()
    }

    /// True when the lexicon is empty.
    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// The id of a lower-case phrase.
    #[inline]
    pub fn id(&self, phrase: &str) -> Option<u32> {
        self.phrase_ids.get(phrase)
    }

    /// The phrase with id `id`.
    pub fn phrase(&self, id: u32) -> &str {
        let off = self.str_off.as_slice::<u32>().unwrap();
        let b = &self.strs.bytes()[off[id as usize] as usize..off[id as usize + 1] as usize];
        // never "": `from_container` refuses a phrase that is not UTF-8
        std::str::from_utf8(b).unwrap_or("")
    }

    /// Part-of-speech bits of a phrase ([`morph::pos`]).
    pub fn pos(&self, id: u32) -> u8 {
        self.pos.bytes()[id as usize] & morph::pos::ANY
    }

    /// True when the phrase is usually capitalised (a name: "Oregon").
    pub fn is_proper(&self, id: u32) -> bool {
        self.pos.bytes()[id as usize] & 0x80 != 0
    }

    fn list<'a>(
        &'a self,
        off: &'a Section,
        ids: &'a Section,
        w: &'a Section,
        id: u32,
    ) -> impl Iterator<Item = (u32, f32)> + 'a {
        let o = off.as_slice::<u32>().unwrap();
        let (s, e) = (o[id as usize] as usize, o[id as usize + 1] as usize);
        let ids = &ids.as_slice::<u32>().unwrap()[s..e];
        let ws = &w.as_slice::<u16>().unwrap()[s..e];
        ids.iter()
            .zip(ws)
            .map(|(&i, &q)| (i, -(q as f32) / W_QUANT))
    }

    /// The synonyms a spinner may write for phrase `id`, with ln P(w | c).
    pub fn synonyms(&self, id: u32) -> impl Iterator<Item = (u32, f32)> + '_ {
        self.list(&self.fwd_off, &self.fwd_id, &self.fwd_w, id)
    }

    /// The originals phrase `id` may stand for, with ln P(w | c).
    pub fn originals(&self, id: u32) -> impl Iterator<Item = (u32, f32)> + '_ {
        self.list(&self.rev_off, &self.rev_id, &self.rev_w, id)
    }

    /// True when some original maps to this phrase.
    pub fn is_spun_form(&self, id: u32) -> bool {
        let o = self.rev_off.as_slice::<u32>().unwrap();
        o[id as usize] < o[id as usize + 1]
    }

    /// Irregular inflections.
    pub fn irregular(&self) -> &Irregular {
        &self.irregular
    }

    /// Candidate originals of a lower-case spun phrase, inflected like it.
    /// The best channel score wins when two routes give the same text.
    pub fn candidates(&self, spun: &str) -> Vec<Candidate> {
        let mut best: rustc_hash::FxHashMap<String, f32> = Default::default();
        self.for_each_original(spun, |orig, infl, lnp| {
            for form in self.inflect(orig, infl) {
                if form != spun {
                    let e = best.entry(form).or_insert(f32::NEG_INFINITY);
                    *e = e.max(lnp);
                }
            }
        });
        if let Some(other) = self.joined_spelling(spun) {
            best.remove(&other);
        }
        let mut out: Vec<Candidate> = best
            .into_iter()
            .map(|(text, ln_channel)| Candidate { text, ln_channel })
            .collect();
        out.sort_by(|a, b| {
            b.ln_channel
                .total_cmp(&a.ln_channel)
                .then_with(|| a.text.cmp(&b.text))
        });
        out
    }

    /// The analyses of a phrase into (lemma, its id, inflection) whose lemma
    /// the lexicon knows in a part of speech that takes the inflection,
    /// the most direct first.
    fn known_analyses(&self, phrase: &str) -> impl Iterator<Item = (String, u32, Infl)> + '_ {
        let analyses = self.irregular.analyses(phrase);
        analyses.into_iter().filter_map(|(lemma, infl)| {
            let lid = self.id(&lemma)?;
            (infl == Infl::Base || self.pos(lid) & infl.pos() != 0).then_some((lemma, lid, infl))
        })
    }

    /// What [`Lexicon::candidates`] is made of, without building their
    /// texts: `f` sees each original phrase, the inflection slot its forms
    /// take, and ln P(spun | original). The candidates are the forms
    /// ([`Lexicon::inflect`]) of what `f` sees, each with the best channel
    /// it comes with, except `spun` itself and, for a spaced compound
    /// ("well being"), its hyphenated spelling.
    pub fn for_each_original(&self, spun: &str, mut f: impl FnMut(u32, Infl, f32)) {
        let mut from = |key: &str| {
            for (_, lid, infl) in self.known_analyses(key) {
                for (orig, lnp) in self.originals(lid) {
                    if infl == Infl::Base || self.pos(orig) & infl.pos() != 0 {
                        f(orig, infl, lnp);
                    }
                }
            }
        };
        from(spun);
        // spinners split compounds ("Well being Ministry", from a
        // dictionary's "well-being"): the joined spelling's originals count
        // (the other way round, a hyphenated word's parts, adds clean flags)
        if let Some(other) = self.joined_spelling(spun) {
            from(&other);
        }
    }

    /// The hyphenated spelling of a spaced compound, whose originals
    /// count for it ([`Lexicon::for_each_original`]).
    pub fn joined_spelling(&self, spun: &str) -> Option<String> {
        hyphen_variant(spun).filter(|_| spun.contains(' '))
    }

    /// The spun forms a spinner may write for a lower-case original phrase,
    /// inflected like it, with ln P(w | c).
    pub fn spins(&self, original: &str) -> Vec<Candidate> {
        let mut out = Vec::new();
        self.for_each_spin(original, |s| {
            out.push(Candidate {
                text: s.form.unwrap_or_else(|| self.phrase(s.synonym).to_string()),
                ln_channel: s.ln_channel,
            })
        });
        out
    }

    /// The synonyms a spinner may put for a lower-case original phrase,
    /// each once, with the inflection their spun forms take and ln P(w | c),
    /// without building the forms ([`Lexicon::inflect`] does): the same
    /// spins as [`Lexicon::for_each_spin`], grouped by synonym, except that
    /// an inflected synonym is left out only when it is the original's own
    /// lemma (not whenever one of its forms spells the original).
    pub fn for_each_spun_synonym(&self, original: &str, mut f: impl FnMut(u32, Infl, f32)) {
        for (lemma, lid, infl) in self.known_analyses(original) {
            let mut any = false;
            for (synonym, ln_channel) in self.synonyms(lid) {
                let same = match (infl, lemma == original) {
                    (Infl::Base, false) => self.phrase(synonym) == original,
                    _ => synonym == lid,
                };
                if !same {
                    any = true;
                    f(synonym, infl, ln_channel);
                }
            }
            if any {
                break; // the most direct analysis that knows synonyms wins
            }
        }
    }

    /// The forms of phrase `id` in inflection slot `infl`.
    pub fn inflect(&self, id: u32, infl: Infl) -> Vec<String> {
        self.irregular.forms(self.phrase(id), infl)
    }

    /// [`Lexicon::spins`] without building what the caller does not need:
    /// `f` sees each spun form with the synonym it comes from; a form that
    /// is the synonym itself, uninflected, is not even read.
    pub fn for_each_spin(&self, original: &str, mut f: impl FnMut(Spin)) {
        for (lemma, lid, infl) in self.known_analyses(original) {
            let mut any = false;
            for (synonym, ln_channel) in self.synonyms(lid) {
                if infl == Infl::Base {
                    // phrases are unique: the synonym is the original
                    // exactly when their ids agree
                    let same = match lemma == original {
                        true => synonym == lid,
                        false => self.phrase(synonym) == original,
                    };
                    if !same {
                        any = true;
                        f(Spin {
                            synonym,
                            form: None,
                            ln_channel,
                        });
                    }
                    continue;
                }
                for form in self.irregular.forms(self.phrase(synonym), infl) {
                    if form != original {
                        any = true;
                        f(Spin {
                            synonym,
                            form: Some(form),
                            ln_channel,
                        });
                    }
                }
            }
            if any {
                break; // the most direct analysis that knows synonyms wins
            }
        }
    }
}

/// The other spelling of a compound of two or three parts: "well-being"
/// for "well being" and the reverse; None for anything else.
pub fn hyphen_variant(phrase: &str) -> Option<String> {
    let (from, to) = match (phrase.contains('-'), phrase.contains(' ')) {
        (true, false) => ('-', ' '),
        (false, true) => (' ', '-'),
        _ => return None,
    };
    let parts: Vec<&str> = phrase.split(from).collect();
    let ok = (2..=3).contains(&parts.len()) && parts.iter().all(|p| !p.is_empty());
    ok.then(|| parts.join(&to.to_string()))
}

/// A lexicon under construction.
#[derive(Default)]
pub struct LexiconBuilder {
    ids: HashMap<String, u32>,
    names: Vec<String>,
    pos: Vec<u8>,
    proper: Vec<bool>,
    fwd: HashMap<u32, HashMap<u32, f32>>,
    irregular: Irregular,
}

impl LexiconBuilder {
    /// An empty lexicon.
    pub fn new() -> LexiconBuilder {
        LexiconBuilder::default()
    }

    fn intern(&mut self, phrase: &str) -> u32 {
        let lower = crate::text::normalize_word(phrase);
        if let Some(&id) = self.ids.get(&lower) {
            if phrase == lower {
                self.proper[id as usize] = false;
            }
            return id;
        }
        let id = self.names.len() as u32;
        self.proper
            .push(phrase != lower && phrase.chars().next().is_some_and(|c| c.is_uppercase()));
        self.names.push(lower.clone());
        self.pos.push(0);
        self.ids.insert(lower, id);
        id
    }

    /// Adds weight `w` (any positive scale) to the spinner replacing
    /// `original` by `spun`; `pos` are the part-of-speech bits of the sense.
    pub fn add(&mut self, original: &str, spun: &str, pos: u8, w: f32) {
        let c = self.intern(original);
        let s = self.intern(spun);
        if c == s || w.is_nan() || w <= 0.0 {
            return;
        }
        self.pos[c as usize] |= pos;
        self.pos[s as usize] |= pos;
        *self.fwd.entry(c).or_default().entry(s).or_insert(0.0) += w;
    }

    /// Irregular forms to use in analyses and generation.
    pub fn irregular_mut(&mut self) -> &mut Irregular {
        &mut self.irregular
    }

    /// Number of phrases and of (original, spun) pairs.
    pub fn counts(&self) -> (usize, usize) {
        (self.names.len(), self.fwd.values().map(|m| m.len()).sum())
    }

    /// Keeps at most `k` synonyms per original (the heaviest) and drops the
    /// rest; call before [`LexiconBuilder::build`].
    pub fn truncate(&mut self, k: usize) {
        for m in self.fwd.values_mut() {
            if m.len() > k {
                let mut v: Vec<(u32, f32)> = m.iter().map(|(&a, &b)| (a, b)).collect();
                v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                v.truncate(k);
                *m = v.into_iter().collect();
            }
        }
    }

    /// Freezes the lexicon: phrases get ids in sorted order, weights are
    /// normalised into ln P(spun | original).
    pub fn build(self) -> LexiconParts {
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        order.sort_by(|&a, &b| {
            self.names[a as usize]
                .as_bytes()
                .cmp(self.names[b as usize].as_bytes())
        });
        let mut remap = vec![0u32; self.names.len()];
        for (new, &old) in order.iter().enumerate() {
            remap[old as usize] = new as u32;
        }
        let n = order.len();
        let mut fst_b = fst::MapBuilder::memory();
        let mut str_off = vec![0u32];
        let mut strs = Vec::new();
        let mut pos = Vec::with_capacity(n);
        for (new, &old) in order.iter().enumerate() {
            let name = &self.names[old as usize];
            fst_b
                .insert(name, new as u64)
                .expect("sorted unique phrases");
            strs.extend_from_slice(name.as_bytes());
            str_off.push(strs.len() as u32);
            pos.push(self.pos[old as usize] | if self.proper[old as usize] { 0x80 } else { 0 });
        }
        let mut fwd: Vec<Vec<(u32, u16)>> = vec![Vec::new(); n];
        let mut rev: Vec<Vec<(u32, u16)>> = vec![Vec::new(); n];
        for (&c, syns) in &self.fwd {
            // sum in a fixed order so the model file is the same on every run
            let mut syns: Vec<(u32, f32)> = syns.iter().map(|(&s, &w)| (s, w)).collect();
            syns.sort_by_key(|x| x.0);
            let total: f32 = syns.iter().map(|x| x.1).sum();
            for &(s, w) in &syns {
                let q = (-(w / total).ln() * W_QUANT)
                    .round()
                    .clamp(0.0, u16::MAX as f32) as u16;
                let (c2, s2) = (remap[c as usize], remap[s as usize]);
                fwd[c2 as usize].push((s2, q));
                rev[s2 as usize].push((c2, q));
            }
        }
        let flatten = |lists: Vec<Vec<(u32, u16)>>| {
            let mut off = vec![0u32];
            let mut ids = Vec::new();
            let mut ws = Vec::new();
            for mut l in lists {
                l.sort_by_key(|&(i, q)| (q, i));
                for (i, q) in l {
                    ids.push(i);
                    ws.push(q);
                }
                off.push(ids.len() as u32);
            }
            (off, ids, ws)
        };
        let (fwd_off, fwd_id, fwd_w) = flatten(fwd);
        let (rev_off, rev_id, rev_w) = flatten(rev);
        LexiconParts {
            fst: fst_b.into_inner().expect("fst in memory"),
            str_off,
            strs,
            pos,
            fwd_off,
            fwd_id,
            fwd_w,
            rev_off,
            rev_id,
            rev_w,
            irregular: self.irregular.to_text(),
        }
    }
}

/// The stored form of a lexicon.
pub struct LexiconParts {
    fst: Vec<u8>,
    str_off: Vec<u32>,
    strs: Vec<u8>,
    pos: Vec<u8>,
    fwd_off: Vec<u32>,
    fwd_id: Vec<u32>,
    fwd_w: Vec<u16>,
    rev_off: Vec<u32>,
    rev_id: Vec<u32>,
    rev_w: Vec<u16>,
    irregular: String,
}

fn le32(xs: &[u32]) -> Vec<u8> {
    xs.iter().flat_map(|x| x.to_le_bytes()).collect()
}
fn le16(xs: &[u16]) -> Vec<u8> {
    xs.iter().flat_map(|x| x.to_le_bytes()).collect()
}

impl LexiconParts {
    pub(crate) fn write(&self, w: &mut ContainerWriter) {
        w.add("lex.fst", self.fst.clone());
        w.add("lex.str.off", le32(&self.str_off));
        w.add("lex.str", self.strs.clone());
        w.add("lex.pos", self.pos.clone());
        w.add("lex.fwd.off", le32(&self.fwd_off));
        w.add("lex.fwd.id", le32(&self.fwd_id));
        w.add("lex.fwd.w", le16(&self.fwd_w));
        w.add("lex.rev.off", le32(&self.rev_off));
        w.add("lex.rev.id", le32(&self.rev_id));
        w.add("lex.rev.w", le16(&self.rev_w));
        w.add("lex.irr", self.irregular.as_bytes().to_vec());
    }
}

impl LexiconBuilder {
    /// A builder holding every entry of an existing lexicon, to extend it.
    pub fn from_lexicon(lex: &Lexicon) -> LexiconBuilder {
        let mut b = LexiconBuilder::new();
        for id in 0..lex.len() as u32 {
            let orig = lex.phrase(id).to_string();
            let orig = if lex.is_proper(id) {
                crate::text::Case::Title.apply(&orig)
            } else {
                orig
            };
            for (syn, lnp) in lex.synonyms(id) {
                let s = lex.phrase(syn);
                let s = if lex.is_proper(syn) {
                    crate::text::Case::Title.apply(s)
                } else {
                    s.to_string()
                };
                b.add(&orig, &s, lex.pos(id) & lex.pos(syn), lnp.exp());
            }
        }
        b.irregular = Irregular::from_text(&lex.irregular.to_text());
        b
    }
}

#[cfg(test)]
mod tests {
    use super::morph::pos;
    use super::*;
    use crate::lm::LmBuilder;
    use crate::model::{write_model, Model, Params};

    fn model() -> Model {
        let mut lex = LexiconBuilder::new();
        lex.add("exercise", "workout routine", pos::NOUN, 1.0);
        lex.add("exercise", "drill", pos::NOUN, 3.0);
        lex.add("publish", "reveal", pos::VERB, 1.0);
        lex.add("say", "state", pos::VERB, 1.0);
        lex.add("or", "Oregon", pos::NOUN, 1.0);
        lex.add("health", "well-being", pos::NOUN, 1.0);
        lex.add("invent", "make up", pos::VERB, 1.0);
        lex.irregular_mut().add_exc("said say\n", pos::VERB);
        let mut lm = LmBuilder::new();
        lm.add(&["<s>"], -1.0, 0.0).unwrap();
        let parts = lex.build();
        Model::from_bytes(&write_model(
            &lm.build().unwrap(),
            &parts,
            &Params::default(),
        ))
        .unwrap()
    }

    #[test]
    fn reverse_lookup_inflects_candidates() {
        let m = model();
        let lex = m.lexicon();
        let c = lex.candidates("workout routines");
        assert_eq!(c.len(), 1);
        assert_eq!(c[0].text, "exercises");
        assert!((c[0].ln_channel - (0.25f32).ln()).abs() < 1e-2);
        assert_eq!(lex.candidates("revealed")[0].text, "published");
        assert_eq!(lex.candidates("oregon")[0].text, "or");
        assert!(lex.is_proper(lex.id("oregon").unwrap()));
        assert!(!lex.is_proper(lex.id("or").unwrap()));
        assert!(lex.candidates("unrelated").is_empty());
        let s: Vec<String> = lex.spins("said").into_iter().map(|c| c.text).collect();
        assert_eq!(s, ["stated"]);
    }

    #[test]
    fn a_split_compound_finds_the_joined_form_originals() {
        let m = model();
        let lex = m.lexicon();
        for spun in ["well-being", "well being"] {
            let c: Vec<String> = lex.candidates(spun).into_iter().map(|c| c.text).collect();
            assert_eq!(c, ["health"], "{spun}");
        }
        // one way only: a hyphenated word's parts are not looked up
        assert_eq!(lex.candidates("make up")[0].text, "invent");
        assert!(lex.candidates("make-up").is_empty());
        assert_eq!(hyphen_variant("well being").as_deref(), Some("well-being"));
        assert_eq!(hyphen_variant("well-being").as_deref(), Some("well being"));
        assert_eq!(hyphen_variant("a-b c"), None);
        assert_eq!(hyphen_variant("a b c d"), None);
        assert_eq!(hyphen_variant("-b"), None);
    }
}
