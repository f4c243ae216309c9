//! The model file container (`Model::from_bytes`): arbitrary bytes, and
//! mutations of a real model whose checksum is then fixed up, so that the
//! section readers behind the checksum (language model, lexicon, params)
//! see damaged data too. Loading must fail with an error or give a model
//! that detects and restores without panicking.
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use unspin_core::{Model, Unspinner};
use unspin_fuzz::{check_detection, check_restoration, model_bytes, words_text};

#[derive(Arbitrary, Debug)]
enum Edit {
    Xor { at: u32, mask: u8 },
    Set { at: u32, value: u8 },
    Word { at: u32, value: u64 },
    Truncate { len: u32 },
    Insert { at: u32, bytes: Vec<u8> },
    Remove { at: u32, len: u16 },
}

#[derive(Arbitrary, Debug)]
enum Case {
    Raw(Vec<u8>),
    Mutated { edits: Vec<Edit>, fix_crc: bool },
}

fn apply(bytes: &mut Vec<u8>, e: &Edit) {
    let at = |a: u32, len: usize| if len == 0 { 0 } else { a as usize % len };
    match *e {
        Edit::Xor { at: a, mask } if !bytes.is_empty() => {
            let i = at(a, bytes.len());
            bytes[i] ^= mask;
        }
        Edit::Set { at: a, value } if !bytes.is_empty() => {
            let i = at(a, bytes.len());
            bytes[i] = value;
        }
        Edit::Word { at: a, value } if bytes.len() >= 8 => {
            // section table entries and array items are 8-byte aligned words
            let i = at(a, bytes.len() / 8) * 8;
            bytes[i..i + 8].copy_from_slice(&value.to_le_bytes());
        }
        Edit::Truncate { len } => bytes.truncate(at(len, bytes.len() + 1)),
        Edit::Insert {
            at: a,
            bytes: ref ins,
        } => {
            let i = at(a, bytes.len() + 1);
            bytes.splice(i..i, ins.iter().copied());
        }
        Edit::Remove { at: a, len } => {
            let i = at(a, bytes.len() + 1);
            let j = (i + len as usize).min(bytes.len());
            bytes.drain(i..j);
        }
        _ => {}
    }
}

/// The fst crate panics on some damaged nodes; `Model::from_bytes` walks
/// the fst sections at load and turns such a panic into an error. Let those
/// unwind to it; any other panic still aborts through libFuzzer's hook (and
/// one from the fst crate after loading is not caught by anything, so it
/// still ends the run).
fn let_fst_panics_unwind() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let fuzzer_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.location().is_some_and(|l| l.file().contains("/fst-")) {
                eprintln!("panic in the fst crate (caught at load?): {info}");
            } else {
                fuzzer_hook(info)
            }
        }));
    });
}

fuzz_target!(|data: &[u8]| {
    let_fst_panics_unwind();
    let Ok(case) = Case::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let bytes = match case {
        Case::Raw(b) => b,
        Case::Mutated { edits, fix_crc } => {
            let mut b = model_bytes().to_vec();
            for e in edits.iter().take(16) {
                apply(&mut b, e);
            }
            if fix_crc && b.len() >= 4 {
                let body = b.len() - 4;
                let crc = crc32fast::hash(&b[..body]);
                b[body..].copy_from_slice(&crc.to_le_bytes());
            }
            b
        }
    };
    let Ok(model) = Model::from_bytes(&bytes) else {
        return;
    };
    let u = Unspinner::new(model);
    for text in [
        "During the Chilly Conflict period, counterfeit consciousness was used to discover bosom malignancy.",
        &words_text(&bytes[bytes.len().saturating_sub(64)..]),
    ] {
        check_detection(text, &u.detect(text));
        check_restoration(text, &u.restore(text));
    }
});
