//! Index files: a small reference index is built once; each input damages
//! one of its files (bit flips, byte writes, truncation, or new contents)
//! in a fresh copy, which is then opened, searched and read. Every outcome
//! must be an answer or an error, never a panic that escapes or a hang.
//! (Panics inside the index library are caught by `unspin_index` and
//! reported as a corrupt index; this target's panic hook lets them be.)
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use unspin_index::{Error, Index};

const DOCS: &[(&str, &str)] = &[
    ("army", "The military held joint exercises in the field last February. Officials said the drills would continue until March."),
    ("flood", "Heavy rain flooded the valley overnight and roads were closed by the police. Hundreds of homes lost power."),
    ("ai", "Artificial intelligence is used in order to detect breast cancer in early scans. Doctors still check every result."),
];
const SPUN: &str = "The navy held joint workout routines in the discipline final February. Officials stated the drills would proceed until March.";

#[derive(Arbitrary, Debug)]
enum Damage {
    Xor { at: u32, mask: u8 },
    Write { at: u32, bytes: Vec<u8> },
    Truncate { len: u32 },
    Replace(Vec<u8>),
    Remove,
}

#[derive(Arbitrary, Debug)]
struct Case {
    file: u8,
    damage: Vec<Damage>,
}

struct Pristine {
    _dir: tempfile::TempDir,
    path: PathBuf,
    files: Vec<String>,
}

fn pristine() -> &'static Pristine {
    static P: OnceLock<Pristine> = OnceLock::new();
    P.get_or_init(|| {
        // panics caught by the index's guard are expected here; one that
        // escapes still aborts through libFuzzer's catch_unwind
        std::panic::set_hook(Box::new(|info| eprintln!("panic (caught?): {info}")));
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.path().join("idx");
        let index = Index::create(&path).expect("create");
        let mut w = index.writer().expect("writer");
        for (id, text) in &DOCS[..2] {
            w.add(id, text).expect("add");
        }
        w.commit().expect("commit");
        w.add(DOCS[2].0, DOCS[2].1).expect("add");
        w.finish().expect("finish");
        let mut files: Vec<String> = std::fs::read_dir(&path)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.ends_with(".lock"))
            .collect();
        files.sort();
        Pristine {
            _dir: dir,
            path,
            files,
        }
    })
}

/// Copies the pristine index. The copy is read and written in full (not
/// `fs::copy`, whose kernel copy was once interrupted by libFuzzer's timer
/// signal on a loaded machine, failing the harness, not the index).
fn copy(from: &Path, to: &Path) {
    std::fs::create_dir(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let bytes = std::fs::read(e.path()).unwrap();
        std::fs::write(to.join(e.file_name()), bytes).unwrap();
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(case) = Case::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    let p = pristine();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("idx");
    copy(&p.path, &dir);
    let file = dir.join(&p.files[case.file as usize % p.files.len()]);
    for d in case.damage.iter().take(8) {
        let mut bytes = std::fs::read(&file).unwrap_or_default();
        match d {
            Damage::Xor { at, mask } if !bytes.is_empty() => {
                let i = *at as usize % bytes.len();
                bytes[i] ^= mask;
            }
            Damage::Write { at, bytes: w } => {
                let i = *at as usize % (bytes.len() + 1);
                let end = (i + w.len()).min(bytes.len());
                bytes.splice(i..end, w.iter().copied());
            }
            Damage::Truncate { len } => bytes.truncate(*len as usize % (bytes.len() + 1)),
            Damage::Replace(b) => bytes = b.clone(),
            Damage::Remove => {
                let _ = std::fs::remove_file(&file);
                continue;
            }
            _ => {}
        }
        std::fs::write(&file, &bytes).unwrap();
    }
    let named = |e: &Error| {
        let msg = e.to_string();
        assert!(
            msg.contains(&*dir.to_string_lossy()),
            "the error names no path: {msg}"
        );
    };
    let index = match Index::open(&dir) {
        Ok(i) => i,
        Err(e) => return named(&e),
    };
    match index.trace(SPUN, 3) {
        Ok(m) => assert!(m.len() <= 3),
        Err(e) => named(&e),
    }
    match index.get("army") {
        Ok(_) => {}
        Err(e) => named(&e),
    }
    let _ = index.num_docs();
});
