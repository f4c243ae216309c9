//! Restoration by reference: undo the spinning exactly where a suspect text
//! aligns to an indexed source, and fall back to the model elsewhere.

use unspin_core::{Change, Restoration, Unspinner};

use crate::{Index, Result};

/// How many sources a restoration draws on, at most.
const MAX_SOURCES: usize = 8;

/// Restores `text` with the help of `index`.
///
/// Each suspect sentence that aligns to a source takes that source's
/// wording for every substitution (changes tagged `source:
/// Some("reference")`, score 1). Sentences are given to the best-scoring
/// source that aligns them, so a patchwork is restored from each of its
/// sources. Outside the aligned sentences the model's restoration is kept
/// (its changes tagged `"model"` unless the engine tagged them already).
pub fn restore_by_reference(
    index: &Index,
    unspinner: &Unspinner,
    text: &str,
) -> Result<Restoration> {
    let matches = index.trace(text, MAX_SOURCES)?;
    // aligned sentence ranges, claimed by the best source first
    let mut claimed: Vec<(usize, usize)> = Vec::new();
    let mut changes: Vec<Change> = Vec::new();
    for m in &matches {
        for p in &m.alignment {
            if claimed.iter().any(|&(s, e)| p.start < e && s < p.end) {
                continue;
            }
            claimed.push((p.start, p.end));
            for s in &p.substitutions {
                if s.text == s.original {
                    continue;
                }
                changes.push(Change {
                    start: s.start,
                    end: s.end,
                    from: s.text.clone(),
                    to: s.original.clone(),
                    score: 1.0,
                    source: Some("reference".into()),
                });
            }
        }
    }
    let model = unspinner.restore(text);
    for mut c in model.changes {
        if claimed
            .iter()
            .any(|&(s, e)| c.start < e && s < c.end.max(c.start + 1))
        {
            continue;
        }
        if c.source.is_none() {
            c.source = Some("model".into());
        }
        changes.push(c);
    }
    changes.sort_by_key(|c| (c.start, c.end));
    Ok(Restoration::apply(text, changes))
}
