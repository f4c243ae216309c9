//! Tortured-phrase lists: PPS CSV exports and TSV lists through the list
//! loader, then the compiled list searched in a text. A bad list is an
//! error naming a line; a good one finds hits whose offsets slice the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unspin_core::fingerprints::{Fingerprints, ListFormat};
use unspin_core::text::slice_chars;
use unspin_core::Error;

const TEXT: &str = "During the Chilly Conflict period, researchers used an irregular woodland \
    and counterfeit consciousness to study bosom malignancy in a impartial celebration. \
    Profound learning, «naïve» 東京 data — big information.";

fuzz_target!(|data: &[u8]| {
    let Some((&flags, list)) = data.split_first() else {
        return;
    };
    let format = if flags & 1 == 0 {
        ListFormat::PpsCsv
    } else {
        ListFormat::Tsv
    };
    let f = match Fingerprints::from_reader(list, format, "list.fuzz") {
        Ok(f) => f,
        Err(Error::BadFingerprint { file, line, reason }) => {
            assert_eq!(file, "list.fuzz");
            assert!(!reason.is_empty());
            let lines = list.iter().filter(|&&b| b == b'\n').count() + 1;
            assert!(line <= lines, "line {line} of a {lines}-line list");
            return;
        }
        Err(e) => panic!("a list in memory failed with {e}"),
    };
    // search the fixed text, and a text made of the list itself
    let own = String::from_utf8_lossy(list);
    for text in [TEXT, &own] {
        let mut end = 0;
        for h in f.find(text) {
            assert!(
                h.start <= h.end && h.start >= end,
                "hits overlap or are out of order"
            );
            end = h.end;
            assert!(slice_chars(text, h.start..h.end).is_some(), "{h:?}");
            assert!(h.entry < f.len());
        }
        for s in f.spans(text) {
            assert_eq!(slice_chars(text, s.start..s.end), Some(s.text.as_str()));
        }
    }
});
