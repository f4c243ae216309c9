//! The wire format: what detect, restore and trace answer, as JSON.
//!
//! These types are public API (PRODUCT.md §4). Offsets are Unicode scalar
//! (character) offsets into the input `text`, end exclusive. The CLI, the
//! server and the Python binding all serialise these same types.

use serde::{Deserialize, Serialize};

/// One flagged span of a detection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Span {
    /// first character of the span
    pub start: usize,
    /// one past the last character of the span
    pub end: usize,
    /// the input text of the span
    pub text: String,
    /// probability that the span was substituted by a spinner, 0..1
    pub score: f64,
    /// the most likely original wording, when one is known; empty when the
    /// spinner added the span's words and they should go ("was once" →
    /// "was" flags "once" with suggestion "")
    pub suggestion: Option<String>,
    /// where the evidence comes from: "model", "list", "rule" (spinner
    /// residue: [`crate::residue`], [`crate::numbers`], [`crate::style`])
    /// or "reference"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The result of detect on one document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Detection {
    /// calibrated probability that the document is spun, 0..1
    pub score: f64,
    /// spans flagged at the engine's threshold, in input order
    pub spans: Vec<Span>,
}

/// One change made by restore.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// first character of the replaced span, in the input
    pub start: usize,
    /// one past the last character of the replaced span, in the input
    pub end: usize,
    /// the input text that was replaced
    pub from: String,
    /// the restored wording
    pub to: String,
    /// confidence that the change restores the original, 0..1
    pub score: f64,
    /// where the change comes from: "model", "list", "rule" (spinner
    /// residue: [`crate::residue`], [`crate::numbers`], [`crate::style`])
    /// or "reference"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The result of restore on one document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Restoration {
    /// the restored text
    pub text: String,
    /// every change, in input order; offsets are into the input
    pub changes: Vec<Change>,
}

impl Restoration {
    /// Checks that this restoration is consistent with the `input` it was
    /// made from: changes sorted and disjoint, each slicing `input` exactly
    /// (`from`), scores in 0..=1, and the changes applied to `input` giving
    /// `text`. For tests, fuzzing, and clients that receive restorations
    /// over the wire.
    pub fn check(&self, input: &str) -> std::result::Result<(), String> {
        let mut end = 0;
        for c in &self.changes {
            if c.start > c.end || c.start < end {
                return Err(format!("change {c:?} overlaps or is out of order"));
            }
            if crate::text::slice_chars(input, c.start..c.end) != Some(c.from.as_str()) {
                return Err(format!("change {c:?} does not slice the input"));
            }
            if !(0.0..=1.0).contains(&c.score) {
                return Err(format!("change {c:?} has a score outside 0..=1"));
            }
            end = c.end;
        }
        let again = Restoration::apply(input, self.changes.clone());
        if again.text != self.text || again.changes.len() != self.changes.len() {
            return Err("the changes applied to the input do not give the text".into());
        }
        Ok(())
    }

    /// Builds a restoration by applying non-overlapping `changes` (sorted by
    /// start, character offsets into `input`).
    pub fn apply(input: &str, changes: Vec<Change>) -> Restoration {
        let mut text = String::with_capacity(input.len());
        let mut char_to_byte = input
            .char_indices()
            .map(|(b, _)| b)
            .chain(std::iter::once(input.len()));
        let mut chars_seen = 0usize;
        // the last target asked and its byte: an insertion (start == end) or
        // adjacent changes ask for the same offset twice
        let mut memo: Option<(usize, usize)> = None;
        let mut byte_at = |target: usize| -> usize {
            if let Some((t, b)) = memo {
                if t == target {
                    return b;
                }
            }
            // char offsets are ascending, so walk the iterator forward once
            let mut last = None;
            while chars_seen <= target {
                last = char_to_byte.next();
                chars_seen += 1;
            }
            let b = last.unwrap_or(input.len());
            memo = Some((target, b));
            b
        };
        let mut cursor = 0usize;
        let mut kept = Vec::with_capacity(changes.len());
        let mut last_end = 0usize;
        for c in changes {
            if c.start < last_end || c.end < c.start {
                continue; // overlapping changes are a bug upstream; keep the first
            }
            let s = byte_at(c.start);
            let e = byte_at(c.end);
            text.push_str(&input[cursor..s]);
            text.push_str(&c.to);
            cursor = e;
            last_end = c.end;
            kept.push(c);
        }
        text.push_str(&input[cursor..]);
        Restoration {
            text,
            changes: kept,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(start: usize, end: usize, to: &str) -> Change {
        Change {
            start,
            end,
            from: String::new(),
            to: to.into(),
            score: 1.0,
            source: None,
        }
    }

    #[test]
    fn apply_replaces_by_character_offsets() {
        let r = Restoration::apply(
            "né Chilly Conflict ère",
            vec![change(3, 9, "Cold"), change(10, 18, "War")],
        );
        assert_eq!(r.text, "né Cold War ère");
        assert_eq!(r.changes.len(), 2);
    }

    #[test]
    fn apply_handles_insertions_and_adjacent_changes() {
        let r = Restoration::apply(
            "ab cd",
            vec![change(2, 2, " x"), change(3, 5, "CD"), change(5, 5, "!")],
        );
        assert_eq!(r.text, "ab x CD!");
        let r = Restoration::apply("héllo wörld", vec![change(0, 5, "hi"), change(5, 6, "_")]);
        assert_eq!(r.text, "hi_wörld");
    }

    #[test]
    fn check_accepts_only_consistent_restorations() {
        let input = "né Chilly Conflict ère";
        let with_from = |start, end, from: &str, to: &str| Change {
            from: from.into(),
            ..change(start, end, to)
        };
        let good = Restoration::apply(
            input,
            vec![
                with_from(3, 9, "Chilly", "Cold"),
                with_from(10, 18, "Conflict", "War"),
            ],
        );
        assert_eq!(good.check(input), Ok(()));
        let mut wrong_from = good.clone();
        wrong_from.changes[0].from = "Chilli".into();
        assert!(wrong_from.check(input).is_err());
        let mut wrong_text = good.clone();
        wrong_text.text.push('!');
        assert!(wrong_text.check(input).is_err());
        let mut unordered = good.clone();
        unordered.changes.swap(0, 1);
        assert!(unordered.check(input).is_err());
        let mut bad_score = good;
        bad_score.changes[1].score = 1.5;
        assert!(bad_score.check(input).is_err());
    }

    #[test]
    fn apply_skips_overlaps() {
        let r = Restoration::apply("abcdef", vec![change(0, 3, "X"), change(2, 4, "Y")]);
        assert_eq!(r.text, "Xdef");
        assert_eq!(r.changes.len(), 1);
    }
}
