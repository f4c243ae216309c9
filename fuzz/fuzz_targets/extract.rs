//! Uploads through the file reader: arbitrary bytes, and bytes made to
//! look like a PDF or a zip, never panic, and what `extract` answers is
//! consistent with the format it reports.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unspin_extract::{extract, Format};

fuzz_target!(|data: &[u8]| {
    for input in [
        data.to_vec(),
        [b"%PDF-1.4\n".as_slice(), data].concat(),
        [b"PK\x03\x04".as_slice(), data].concat(),
    ] {
        if let Ok(got) = extract(&input) {
            assert_eq!(got.format, Format::sniff(&input));
            if got.format == Format::Text {
                assert!(input.ends_with(got.text.as_bytes()));
            }
        }
    }
});
