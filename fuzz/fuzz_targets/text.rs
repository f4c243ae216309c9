//! Plain text with arbitrary bytes through the tokenizer: every word's byte
//! and character ranges slice the input to the same string, words are in
//! order and disjoint, sentences partition the words.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unspin_core::text::{char_offset, metric_words, normalize_word, slice_chars, Text};

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    let t = Text::new(&input);
    let mut last_byte = 0;
    let mut last_char = 0;
    for (i, w) in t.words().iter().enumerate() {
        assert!(w.bytes.start >= last_byte && w.bytes.start < w.bytes.end);
        assert!(w.chars.start >= last_char && w.chars.start < w.chars.end);
        let by_bytes = &input[w.bytes.clone()];
        assert_eq!(slice_chars(&input, w.chars.clone()), Some(by_bytes));
        assert_eq!(char_offset(&input, w.bytes.start), w.chars.start);
        assert_eq!(char_offset(&input, w.bytes.end), w.chars.end);
        assert_eq!(t.word_str(i), by_bytes);
        assert_eq!(w.norm, normalize_word(by_bytes));
        let gap = t.gap_after(i);
        assert!(!gap.chars().any(char::is_alphanumeric), "{gap:?}");
        last_byte = w.bytes.end;
        last_char = w.chars.end;
    }
    let mut next = 0;
    for s in t.sentences() {
        assert_eq!(s.start, next, "sentences must partition the words");
        assert!(s.end > s.start);
        assert!(t.words()[s.start].sentence_start);
        next = s.end;
    }
    assert_eq!(next, t.words().len());
    assert_eq!(slice_chars(&input, 0..input.chars().count()), Some(&*input));
    assert_eq!(slice_chars(&input, 0..input.chars().count() + 1), None);
    let _ = metric_words(&input);
});
