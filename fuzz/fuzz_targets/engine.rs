//! Detect and restore on arbitrary text with the tiny model, with and
//! without a tortured-phrase list: offsets slice the input, applying the
//! changes gives the restored text, results are deterministic (a fresh
//! unspinner, whose caches are empty, answers the same as a warm one), and
//! spinning a text then restoring it never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;
use unspin_core::spin::{SpinOptions, Spinner};
use unspin_core::Unspinner;
use unspin_fuzz::{check_detection, check_restoration, model, unspinner, words_text};

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let text = if flags & 1 == 0 {
        words_text(rest)
    } else {
        String::from_utf8_lossy(rest).into_owned()
    };
    let with_list = flags & 2 != 0;
    let warm = unspinner(with_list);
    let d = warm.detect(&text);
    check_detection(&text, &d);
    let r = warm.restore(&text);
    check_restoration(&text, &r);
    // determinism: the same answer twice, and from a cold unspinner
    assert_eq!(warm.detect(&text), d);
    assert_eq!(warm.restore(&text), r);
    if flags & 4 != 0 {
        let mut b = Unspinner::builder(model());
        if let Some(f) = warm.fingerprints() {
            b.fingerprints(f.clone());
        }
        let cold = b.build();
        assert_eq!(cold.detect(&text), d);
        assert_eq!(cold.restore(&text), r);
    }
    // spin, then restore the spun text
    let m = model();
    let spinner = Spinner::new(
        &m,
        SpinOptions {
            rate: f64::from(flags >> 4) / 15.0,
            seed: u64::from(flags),
            ..SpinOptions::default()
        },
    );
    let spun = spinner.spin(&text, rest.len() as u64);
    assert_eq!(
        spinner.spin(&text, rest.len() as u64),
        spun,
        "spin is seeded"
    );
    check_detection(&spun, &warm.detect(&spun));
    check_restoration(&spun, &warm.restore(&spun));
});
