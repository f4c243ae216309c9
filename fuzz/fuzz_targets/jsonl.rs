//! JSONL records: the one parser of `{"id", "text", ...}` lines that detect,
//! restore, scan and the Python binding share, plus UTF-8 decoding.
//! A good record must survive being written back and parsed again.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use unspin_scan::{decode, parse_record};

fuzz_target!(|data: &[u8]| {
    for lossy in [false, true] {
        match parse_record(data, lossy, 7) {
            Ok(Some(r)) => {
                // write it back as a line, parse again: the same record
                let mut obj = r.extra.clone();
                obj.insert("id".into(), r.id.clone());
                obj.insert("text".into(), Value::from(r.text.clone()));
                let line = serde_json::to_vec(&Value::Object(obj)).unwrap();
                let again = parse_record(&line, false, 7).unwrap().unwrap();
                assert_eq!(again.text, r.text);
                assert_eq!(again.id, r.id);
                assert_eq!(again.extra, r.extra);
                let out = r.output(&unspin_core::Detection::default()).unwrap();
                assert_eq!(out.get("id"), Some(&r.id));
            }
            Ok(None) => assert!(data.iter().all(u8::is_ascii_whitespace)),
            Err(reason) => {
                assert!(!reason.is_empty());
                if !lossy && std::str::from_utf8(data).is_err() {
                    assert!(
                        reason.contains("UTF-8") || reason.contains("JSON"),
                        "{reason}"
                    );
                }
            }
        }
    }
    match decode(data.to_vec(), false) {
        Ok(s) => assert_eq!(s.as_bytes(), data),
        Err(e) => assert!(e.contains("byte offset"), "{e}"),
    }
    let lossy = decode(data.to_vec(), true).unwrap();
    assert_eq!(lossy, String::from_utf8_lossy(data));
});
