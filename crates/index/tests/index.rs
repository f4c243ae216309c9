//! End-to-end tests of the reference index: build, append, duplicate ids,
//! bad directories, crash safety, concurrent readers, trace and restoration
//! by reference.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use unspin_index::{restore_by_reference, Added, Error, Index};

const SOURCES: &[(&str, &str)] = &[
    (
        "army",
        "The military held joint exercises in the field last February. Officials said the drills \
         would continue until March. The Cold War era base was reopened in 2019 by the government.",
    ),
    (
        "budget",
        "The finance minister said the budget would rise by 3% next year. Schools and hospitals will \
         get more money, while defence spending stays flat. Critics called the plan a gamble.",
    ),
    (
        "flood",
        "Heavy rain flooded the valley overnight and roads were closed by the police. Hundreds of \
         homes lost power. The river reached its highest level since 1998, the agency reported.",
    ),
    (
        "ai",
        "Artificial intelligence is used in order to detect breast cancer in early scans. The random \
         forest model was trained on 12,000 images from four hospitals. Doctors still check every result.",
    ),
];

const SPUN_ARMY: &str = "The navy held joint workout routines in the discipline final February. Officials stated the drills \
     would proceed until March. The Chilly Conflict period base was reopened in 2019 by the authorities.";

fn build(dir: &Path, docs: &[(&str, &str)]) -> Index {
    let index = Index::create(dir).unwrap();
    let mut w = index.writer().unwrap();
    for (id, text) in docs {
        assert_eq!(w.add(id, text).unwrap(), Added::New);
    }
    w.finish().unwrap();
    index.reload().unwrap();
    index
}

#[test]
fn trace_finds_the_source_of_a_spun_copy_and_lists_substitutions() {
    let tmp = tempfile::tempdir().unwrap();
    let index = build(&tmp.path().join("idx"), SOURCES);
    assert_eq!(index.num_docs(), 4);
    let m = index.trace(SPUN_ARMY, 3).unwrap();
    assert_eq!(m[0].doc_id, "army", "{m:?}");
    assert!(m[0].coverage > 0.99, "{}", m[0].coverage);
    assert!(m[0].score > 0.5, "{}", m[0].score);
    assert_eq!(m[0].alignment.len(), 3);
    let subs: Vec<(&str, &str)> = m[0]
        .alignment
        .iter()
        .flat_map(|p| {
            p.substitutions
                .iter()
                .map(|s| (s.text.as_str(), s.original.as_str()))
        })
        .collect();
    for want in [
        ("navy", "military"),
        ("workout routines", "exercises"),
        ("Chilly Conflict period", "Cold War era"),
        ("authorities", "government"),
    ] {
        assert!(subs.contains(&want), "{want:?} missing from {subs:?}");
    }
    // every offset slices the suspect and the source exactly
    let src = index.get("army").unwrap().unwrap();
    for p in &m[0].alignment {
        for s in &p.substitutions {
            assert_eq!(
                unspin_core::text::slice_chars(SPUN_ARMY, s.start..s.end),
                Some(s.text.as_str())
            );
            assert_eq!(
                unspin_core::text::slice_chars(&src, s.source_start..s.source_end),
                Some(s.original.as_str())
            );
        }
    }
    // unrelated text finds nothing
    assert!(index
        .trace("Completely unrelated words about cooking pasta tonight.", 3)
        .unwrap()
        .is_empty());
    assert!(index.trace("", 3).unwrap().is_empty());
}

#[test]
fn a_patchwork_names_each_source_with_the_part_it_covers() {
    let tmp = tempfile::tempdir().unwrap();
    let index = build(&tmp.path().join("idx"), SOURCES);
    let suspect = "The finance minister stated the finances would increase by 3% next year. Schools and hospitals \
                   will obtain more cash. Heavy rain inundated the valley overnight and roads were shut by the police. \
                   The river reached its highest degree since 1998, the agency reported.";
    let m = index.trace(suspect, 5).unwrap();
    let ids: Vec<&str> = m.iter().map(|m| m.doc_id.as_str()).collect();
    assert!(
        ids.starts_with(&["budget", "flood"]) || ids.starts_with(&["flood", "budget"]),
        "{ids:?}"
    );
    for x in &m[..2] {
        assert!(
            x.coverage > 0.3 && x.coverage < 0.7,
            "{}: {}",
            x.doc_id,
            x.coverage
        );
        assert_eq!(x.alignment.len(), 2);
    }
    let b = m.iter().find(|x| x.doc_id == "budget").unwrap();
    let f = m.iter().find(|x| x.doc_id == "flood").unwrap();
    assert!(b.alignment.last().unwrap().end <= f.alignment[0].start);
}

#[test]
fn restoration_by_reference_is_exact_where_the_text_aligns() {
    let tmp = tempfile::tempdir().unwrap();
    let index = build(&tmp.path().join("idx"), SOURCES);
    let unspinner = unspin_core::Unspinner::new(unspin_core::Model::builtin().unwrap());
    let r = restore_by_reference(&index, &unspinner, SPUN_ARMY).unwrap();
    assert_eq!(r.text, SOURCES[0].1.replace("  ", " "));
    assert!(!r.changes.is_empty());
    for c in &r.changes {
        assert_eq!(c.source.as_deref(), Some("reference"));
        assert_eq!(
            unspin_core::text::slice_chars(SPUN_ARMY, c.start..c.end),
            Some(c.from.as_str())
        );
    }
    // text outside any source is left to the model, tagged so
    let mixed =
        format!("{SPUN_ARMY} Nobody expected the parade to be cancelled because of the weather.");
    let r = restore_by_reference(&index, &unspinner, &mixed).unwrap();
    assert!(r.text.starts_with(SOURCES[0].1), "{}", r.text);
    let tail = SPUN_ARMY.chars().count();
    assert!(r
        .changes
        .iter()
        .all(|c| (c.start < tail) == (c.source.as_deref() == Some("reference"))));
}

#[test]
fn the_last_document_with_an_id_wins() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("idx");
    let index = Index::create(&dir).unwrap();
    let mut w = index.writer().unwrap();
    assert_eq!(w.add("a", "first version of a").unwrap(), Added::New);
    assert_eq!(w.add("a", "second version of a").unwrap(), Added::Replaced);
    assert_eq!(w.add("b", "document b").unwrap(), Added::New);
    w.finish().unwrap();
    index.reload().unwrap();
    assert_eq!(index.num_docs(), 2);
    assert_eq!(
        index.get("a").unwrap().as_deref(),
        Some("second version of a")
    );
    drop(index);
    // across an append, too
    let index = Index::open(&dir).unwrap();
    let mut w = index.writer().unwrap();
    assert_eq!(w.add("b", "document b, revised").unwrap(), Added::Replaced);
    assert_eq!(w.add("c", "document c").unwrap(), Added::New);
    w.finish().unwrap();
    index.reload().unwrap();
    assert_eq!(index.num_docs(), 3);
    assert_eq!(
        index.get("b").unwrap().as_deref(),
        Some("document b, revised")
    );
    assert_eq!(index.get("zzz").unwrap(), None);
    // a writer sees ids committed by an earlier writer without a reload
    let mut w = index.writer().unwrap();
    w.add("d", "document d").unwrap();
    w.commit().unwrap();
    drop(w);
    let mut w = index.writer().unwrap();
    assert_eq!(w.add("d", "document d again").unwrap(), Added::Replaced);
    w.finish().unwrap();
    index.reload().unwrap();
    assert_eq!(index.num_docs(), 4);
}

#[test]
fn empty_documents_and_ids_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let index = Index::create(&tmp.path().join("idx")).unwrap();
    let mut w = index.writer().unwrap();
    assert!(matches!(
        w.add("a", "  \n ... "),
        Err(Error::BadDocument { .. })
    ));
    assert!(matches!(w.add("", "text"), Err(Error::BadDocument { .. })));
    w.finish().unwrap();
}

#[test]
fn bad_index_directories_get_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let err = |dir: &Path| Index::open(dir).unwrap_err();

    assert!(matches!(err(&t.join("missing")), Error::NotFound { .. }));

    let junk = t.join("junk");
    std::fs::create_dir(&junk).unwrap();
    std::fs::write(junk.join("notes.txt"), "hello").unwrap();
    let e = err(&junk);
    assert!(matches!(e, Error::NotAnIndex { .. }), "{e}");
    assert!(matches!(
        Index::create(&junk),
        Err(Error::AlreadyExists { .. })
    ));

    // a tantivy index made by someone else
    let foreign = t.join("foreign");
    std::fs::create_dir(&foreign).unwrap();
    let mut sb = tantivy::schema::Schema::builder();
    sb.add_text_field("body", tantivy::schema::TEXT);
    tantivy::Index::create_in_dir(&foreign, sb.build()).unwrap();
    let e = err(&foreign);
    assert!(e.to_string().contains("another program"), "{e}");

    // another format version
    let old = t.join("old");
    build(&old, &SOURCES[..1]);
    let marker = old.join(unspin_index::MARKER_FILE);
    let body = std::fs::read_to_string(&marker)
        .unwrap()
        .replace("\"version\": 1", "\"version\": 99");
    std::fs::write(&marker, body).unwrap();
    let e = err(&old);
    assert!(
        matches!(e, Error::IncompatibleVersion { found: 99, .. }),
        "{e}"
    );
    assert!(e.to_string().contains("rebuild"), "{e}");

    // damaged files
    let bad = t.join("bad");
    build(&bad, &SOURCES[..1]);
    std::fs::write(bad.join("meta.json"), "{ not json").unwrap();
    let e = err(&bad);
    assert!(matches!(e, Error::Corrupt { .. }), "{e}");
    assert!(e.to_string().contains("rebuild"), "{e}");
    let bad2 = t.join("bad2");
    build(&bad2, &SOURCES[..1]);
    std::fs::write(bad2.join(unspin_index::MARKER_FILE), "\u{0}\u{1}garbage").unwrap();
    assert!(matches!(err(&bad2), Error::Corrupt { .. }));
    let bad3 = t.join("bad3");
    build(&bad3, &SOURCES[..1]);
    std::fs::remove_file(bad3.join("meta.json")).unwrap();
    assert!(matches!(err(&bad3), Error::Corrupt { .. }));
    // damaged segment files: an error, never a panic
    let bad4 = t.join("bad4");
    build(&bad4, SOURCES);
    for e in std::fs::read_dir(&bad4).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "store" || x == "term") {
            std::fs::write(&p, b"garbage").unwrap();
        }
    }
    let e = match Index::open(&bad4) {
        Ok(index) => index.trace(SPUN_ARMY, 3).unwrap_err(),
        Err(e) => e,
    };
    assert!(matches!(e, Error::Corrupt { .. }), "{e}");
}

#[test]
fn a_flipped_bit_in_any_segment_file_is_caught_at_open() {
    // tantivy trusts the lengths it reads: a bit flipped in a store's skip
    // index once asked for a 30 TB buffer (found by fuzzing,
    // fuzz/regressions/index/), an abort no guard catches. Every segment
    // file's checksum is checked when the index opens.
    let tmp = tempfile::tempdir().unwrap();
    let pristine = tmp.path().join("pristine");
    build(&pristine, SOURCES);
    let files: Vec<std::path::PathBuf> = std::fs::read_dir(&pristine)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            !name.ends_with(".json") && !name.starts_with('.')
        })
        .collect();
    assert!(files.len() >= 3, "{files:?}");
    for (k, file) in files.iter().enumerate() {
        let copy = tmp.path().join(format!("copy{k}"));
        std::fs::create_dir(&copy).unwrap();
        for e in std::fs::read_dir(&pristine).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), copy.join(e.file_name())).unwrap();
        }
        let target = copy.join(file.file_name().unwrap());
        let mut bytes = std::fs::read(&target).unwrap();
        let at = bytes.len() / 3;
        bytes[at] ^= 0x40;
        std::fs::write(&target, bytes).unwrap();
        let e = Index::open(&copy).unwrap_err();
        assert!(
            matches!(e, Error::Corrupt { .. }),
            "{}: {e}",
            target.display()
        );
        let name = file.file_name().unwrap().to_string_lossy();
        assert!(e.to_string().contains(name.as_ref()), "{e}");
    }
}

#[test]
fn readers_see_whole_commits_while_a_writer_appends() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("idx");
    let index = Index::create(&dir).unwrap();
    const BATCH: usize = 25;
    const BATCHES: usize = 8;
    let reader_dir = dir.clone();
    let reader = std::thread::spawn(move || {
        let r = Index::open(&reader_dir).unwrap();
        let mut seen = 0u64;
        for _ in 0..400 {
            r.reload().unwrap();
            let n = r.num_docs();
            assert_eq!(n % BATCH as u64, 0, "a reader saw half a commit: {n}");
            assert!(n >= seen);
            if n > 0 {
                let last = format!("doc-{}", n - 1);
                assert!(r.get(&last).unwrap().is_some(), "{last} missing at {n}");
            }
            seen = n;
            if n == (BATCH * BATCHES) as u64 {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        seen
    });
    let mut w = index.writer().unwrap();
    for b in 0..BATCHES {
        for i in 0..BATCH {
            let n = b * BATCH + i;
            w.add(
                &format!("doc-{n}"),
                &format!("Document number {n} says something about topic {}.", n % 7),
            )
            .unwrap();
        }
        w.commit().unwrap();
    }
    w.finish().unwrap();
    let seen = reader.join().unwrap();
    assert!(seen <= (BATCH * BATCHES) as u64);
}

/// The child side of the crash test: builds an index forever-ish,
/// printing each commit. Does nothing unless run by the parent test.
#[test]
#[ignore]
fn crash_child() {
    let Some(dir) = std::env::var_os("UNSPIN_CRASH_DIR") else {
        return;
    };
    let index = Index::create(Path::new(&dir)).unwrap();
    let mut w = index.writer().unwrap();
    for n in 0..200_000usize {
        w.add(
            &format!("doc-{n}"),
            &format!(
                "Crash test document {n}: the {} of {} rose by {n}%.",
                n % 13,
                n % 17
            ),
        )
        .unwrap();
        if (n + 1) % 100 == 0 {
            w.commit().unwrap();
            println!("committed {}", n + 1);
        }
    }
}

#[test]
fn a_build_killed_with_sigkill_keeps_every_committed_document() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("idx");
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "crash_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("UNSPIN_CRASH_DIR", &dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut committed = 0usize;
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    while let Some(Ok(line)) = lines.next() {
        if let Some(n) = line.strip_prefix("committed ") {
            committed = n.trim().parse().unwrap();
            if committed >= 500 {
                break;
            }
        }
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    assert!(committed >= 500, "the child never committed");
    let index = Index::open(&dir).unwrap();
    let n = index.num_docs() as usize;
    assert!(
        n >= committed,
        "{n} documents after the kill, {committed} were committed"
    );
    for i in [0, committed / 2, committed - 1] {
        assert!(
            index.get(&format!("doc-{i}")).unwrap().is_some(),
            "doc-{i} lost"
        );
    }
    // the killed writer's lock is gone: the index can be extended
    let mut w = index.writer().unwrap();
    w.add("after", "A document added after the crash.").unwrap();
    w.finish().unwrap();
    index.reload().unwrap();
    assert_eq!(index.num_docs() as usize, n + 1);
}

/// Real data, when present: BBC sources with a crude deterministic spinner
/// are all traced to their source, and restored exactly.
#[test]
fn bbc_spun_copies_are_traced_and_restored() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/news-bbc/bbc_dev.jsonl");
    let Ok(body) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: {} not found", path.display());
        return;
    };
    let docs: Vec<(String, String)> = body
        .lines()
        .take(300)
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["id"].as_str().unwrap().to_string(),
                v["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    let refs: Vec<(&str, &str)> = docs.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let index = build(&tmp.path().join("idx"), &refs);
    let unspinner = unspin_core::Unspinner::new(unspin_core::Model::builtin().unwrap());
    for (id, text) in docs.iter().step_by(15) {
        // swap every other long lower-case word for a made-up "synonym"
        let mut k = 0;
        let spun: String = text
            .split(' ')
            .map(|w| {
                if w.len() > 4 && w.chars().all(|c| c.is_ascii_lowercase()) {
                    k += 1;
                    if k % 2 == 0 {
                        return format!("q{}", w.chars().rev().collect::<String>());
                    }
                }
                w.to_string()
            })
            .collect::<Vec<_>>()
            .join(" ");
        let m = index.trace(&spun, 10).unwrap();
        assert_eq!(m.first().map(|m| m.doc_id.as_str()), Some(id.as_str()));
        let r = restore_by_reference(&index, &unspinner, &spun).unwrap();
        let words = |s: &str| unspin_core::text::metric_words(s);
        assert_eq!(words(&r.text), words(text), "{id}");
    }
}

/// Model-based test: random adds (ids from a small pool, so many replace),
/// commits and writer reopenings, checked against a map after each commit.
#[test]
fn random_add_commit_sequences_match_a_simple_model() {
    use rand::{Rng, SeedableRng};
    for seed in 0..4u64 {
        let mut rng = rand::rngs::SmallRng::seed_from_u64(seed);
        let tmp = tempfile::tempdir().unwrap();
        let index = Index::create(&tmp.path().join("idx")).unwrap();
        let mut model: std::collections::HashMap<String, String> = Default::default();
        let mut pending = model.clone();
        let mut w = index.writer().unwrap();
        for step in 0..120 {
            match rng.gen_range(0..10) {
                0 => {
                    w.commit().unwrap();
                    model = pending.clone();
                }
                1 => {
                    // a new writer: what the old one did not commit is lost
                    drop(w);
                    pending = model.clone();
                    w = index.writer().unwrap();
                }
                _ => {
                    let id = format!("id-{}", rng.gen_range(0..15));
                    let text = format!("Version {step} of document {id}, seed {seed}.");
                    let added = w.add(&id, &text).unwrap();
                    let was_there = pending.insert(id, text).is_some();
                    assert_eq!(added == Added::Replaced, was_there, "step {step}");
                }
            }
            index.reload().unwrap();
            assert_eq!(
                index.num_docs() as usize,
                model.len(),
                "seed {seed} step {step}"
            );
            for (id, text) in &model {
                assert_eq!(
                    index.get(id).unwrap().as_ref(),
                    Some(text),
                    "seed {seed} step {step}"
                );
            }
        }
    }
}
