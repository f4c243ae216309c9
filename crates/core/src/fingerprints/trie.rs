//! The token trie behind [`Fingerprints::find`](super::Fingerprints::find).
//!
//! Patterns are sequences of normalised tokens, so matching runs over token
//! ids rather than bytes: every distinct token of every pattern gets an id
//! (one hash lookup per document token, with a small multiplicative hash),
//! and a trie over ids is walked from each token that starts some pattern.
//! A token no pattern contains ends every walk at once, so most of a
//! document costs one lookup per token. A match is always whole tokens,
//! exactly as the byte automaton over the normalised buffer matched
//! `" tok tok "`.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// No id / no node.
pub(crate) const NONE: u32 = u32::MAX;

/// FxHash (rustc's hasher): fast on short keys, good enough for a table of
/// list words that no document controls the layout of.
#[derive(Default, Clone, Copy)]
pub(crate) struct Fx(u64);

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl Fx {
    #[inline]
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(SEED);
    }
}

impl Hasher for Fx {
    #[inline]
    fn write(&mut self, mut bytes: &[u8]) {
        while bytes.len() >= 8 {
            self.add(u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes")));
            bytes = &bytes[8..];
        }
        if bytes.len() >= 4 {
            self.add(u32::from_le_bytes(bytes[..4].try_into().expect("4 bytes")) as u64);
            bytes = &bytes[4..];
        }
        for &b in bytes {
            self.add(b as u64);
        }
    }

    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }

    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }

    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(crate) type FxBuild = BuildHasherDefault<Fx>;

/// A trie over token ids; node 0 is the root.
#[derive(Clone, Debug, Default)]
pub(crate) struct Trie {
    vocab: HashMap<Box<str>, u32, FxBuild>,
    /// child of the root per token id (dense: every id starts or continues
    /// some pattern, and the root is visited at every token)
    root: Vec<u32>,
    /// (node, token id) → child, below the root
    edges: HashMap<(u32, u32), u32, FxBuild>,
    /// per node, the pattern that ends there, or [`NONE`]
    end: Vec<u32>,
}

impl Trie {
    /// A trie of `patterns`, each a sequence of tokens; pattern `i` is
    /// reported as `i`.
    pub fn new<'a>(patterns: impl IntoIterator<Item = Vec<&'a str>>) -> Trie {
        let mut t = Trie {
            end: vec![NONE],
            ..Trie::default()
        };
        for (i, toks) in patterns.into_iter().enumerate() {
            let mut node = 0u32;
            for tok in toks {
                let next_id = t.vocab.len() as u32;
                let id = *t.vocab.entry(tok.into()).or_insert(next_id);
                if id as usize >= t.root.len() {
                    t.root.resize(id as usize + 1, NONE);
                }
                let slot = if node == 0 {
                    t.root[id as usize]
                } else {
                    t.edges.get(&(node, id)).copied().unwrap_or(NONE)
                };
                node = if slot == NONE {
                    let n = t.end.len() as u32;
                    t.end.push(NONE);
                    if node == 0 {
                        t.root[id as usize] = n;
                    } else {
                        t.edges.insert((node, id), n);
                    }
                    n
                } else {
                    slot
                };
            }
            if node != 0 {
                t.end[node as usize] = i as u32;
            }
        }
        t
    }

    /// True when the trie holds no pattern.
    pub fn is_empty(&self) -> bool {
        self.end.len() <= 1
    }

    /// The id of a token, or [`NONE`] when no pattern contains it.
    #[inline]
    pub fn id(&self, tok: &str) -> u32 {
        self.vocab.get(tok).copied().unwrap_or(NONE)
    }

    /// Calls `f(start, len, pattern)` for every pattern that occurs in the
    /// token id sequence `ids` (all of them, overlapping ones included).
    #[inline]
    pub fn each_match(&self, ids: &[u32], mut f: impl FnMut(usize, usize, u32)) {
        for (i, &id) in ids.iter().enumerate() {
            if id == NONE {
                continue;
            }
            let mut node = self.root[id as usize];
            let mut j = i + 1;
            while node != NONE {
                let p = self.end[node as usize];
                if p != NONE {
                    f(i, j - i, p);
                }
                let Some(&next) = ids.get(j) else { break };
                if next == NONE {
                    break;
                }
                node = self.edges.get(&(node, next)).copied().unwrap_or(NONE);
                j += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_all_overlapping_matches() {
        let t = Trie::new([
            vec!["a", "b"],
            vec!["a", "b", "c"],
            vec!["b", "c"],
            vec!["c"],
        ]);
        let ids: Vec<u32> = ["x", "a", "b", "c", "a"].iter().map(|w| t.id(w)).collect();
        assert_eq!(ids[0], NONE);
        let mut got = Vec::new();
        t.each_match(&ids, |s, n, p| got.push((s, n, p)));
        assert_eq!(got, [(1, 2, 0), (1, 3, 1), (2, 2, 2), (3, 1, 3)]);
        assert!(Trie::new(Vec::<Vec<&str>>::new()).is_empty());
    }

    #[test]
    fn hasher_separates_close_keys() {
        use std::hash::BuildHasher;
        let b = FxBuild::default();
        let h = |s: &str| b.hash_one(s);
        assert_ne!(h("network"), h("networks"));
        assert_ne!(h("ab"), h("ba"));
    }
}
