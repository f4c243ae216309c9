//! Fault injection on the real binary: SIGKILL at seeded random points of
//! `index build --append`, `train` and `scan --resume`; a full disk (a
//! 1 MB tmpfs, and /dev/full as standard output). Nothing committed may be
//! lost, no half-written model may ever be loaded, a resumed scan must
//! write exactly what an uninterrupted one writes, and a full disk must be
//! a clear error that leaves the old files intact.

#[path = "../../core/tests/common/tiny.rs"]
mod tiny;

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use unspin_core::Model;
use unspin_index::Index;

/// A small seeded generator (no dependency needed for a few numbers).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

fn unspin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_unspin"))
}

fn run(args: &[&str]) -> Output {
    unspin().args(args).output().expect("unspin runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// SIGKILLs `child` (std's kill sends SIGKILL on Unix) and reaps it.
fn kill(mut child: Child) {
    let _ = child.kill();
    child.wait().unwrap();
}

/// Writes the tiny model to `dir/tiny.unspin`.
fn tiny_model(dir: &Path) -> PathBuf {
    let p = dir.join("tiny.unspin");
    tiny::builder().write(&p).unwrap();
    p
}

/// JSONL documents for the index: `prefix-0` … `prefix-(n-1)`.
fn index_docs(prefix: &str, n: usize) -> String {
    (0..n)
        .map(|i| {
            serde_json::json!({
                "id": format!("{prefix}-{i}"),
                "text": format!("Report {i} of {prefix}: the river rose by {} metres and {} roads were closed.", i % 17, i % 5),
            })
            .to_string()
                + "\n"
        })
        .collect()
}

#[test]
fn sigkill_during_index_build_append_keeps_every_committed_document() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("idx");
    let init = tmp.path().join("init.jsonl");
    std::fs::write(&init, index_docs("init", 40)).unwrap();
    let o = run(&["index", "build", "--index", s(&dir), "-q", s(&init)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    const N: usize = 1500;
    const EVERY: usize = 100;
    let more = tmp.path().join("more.jsonl");
    std::fs::write(&more, index_docs("more", N)).unwrap();
    let mut rng = Rng(7);
    for round in 0..4 {
        let mut child = unspin()
            .args(["index", "build", "--append", "--index", s(&dir)])
            .args(["--commit-every", &EVERY.to_string(), s(&more)])
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // the commits it reports are durable: kill at a random point after
        // a random number of them
        let target = 1 + rng.below(6) as usize;
        let (tx, rx) = mpsc::channel();
        let err = child.stderr.take().unwrap();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("unspin: committed ") {
                    let n: usize = rest.split(' ').next().unwrap().parse().unwrap();
                    let _ = tx.send(n);
                }
            }
        });
        let mut committed = 0;
        while committed < target * EVERY {
            match rx.recv_timeout(Duration::from_secs(60)) {
                Ok(n) => committed = n,
                Err(_) => break, // finished (or stuck: the checks below tell)
            }
        }
        std::thread::sleep(Duration::from_millis(rng.below(40)));
        kill(child);
        reader.join().unwrap();
        // commits reported after the sleep are durable too
        committed = committed.max(rx.try_iter().last().unwrap_or(0));
        let index = Index::open(&dir).unwrap_or_else(|e| panic!("round {round}: {e}"));
        let n = index.num_docs() as usize;
        assert!(
            n >= 40 + committed && n <= 40 + N,
            "round {round}: {n} documents, {committed} committed"
        );
        for i in [0, 39] {
            assert!(
                index.get(&format!("init-{i}")).unwrap().is_some(),
                "init-{i} lost"
            );
        }
        for i in (0..committed).step_by(37).chain(committed.checked_sub(1)) {
            assert!(
                index.get(&format!("more-{i}")).unwrap().is_some(),
                "round {round}: more-{i} was committed and is lost"
            );
        }
    }
    // the killed writers' locks are gone: a last run completes
    let o = run(&[
        "index",
        "build",
        "--append",
        "--index",
        s(&dir),
        "-q",
        s(&more),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let index = Index::open(&dir).unwrap();
    assert_eq!(index.num_docs() as usize, 40 + N);
    assert!(index.get(&format!("more-{}", N - 1)).unwrap().is_some());
}

/// A corpus for `unspin train`: the tiny model's sentences, varied.
fn train_corpus(dir: &Path, sentences: usize) -> PathBuf {
    let p = dir.join("corpus.txt");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&p).unwrap());
    for i in 0..sentences {
        let s = tiny::CLEAN[i % tiny::CLEAN.len()];
        writeln!(f, "{s} in {} and {}.", i % 101, i % 37).unwrap();
    }
    f.flush().unwrap();
    p
}

#[test]
fn sigkill_during_train_never_leaves_a_half_written_model() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let corpus = train_corpus(t, 10_000);
    let swaps = t.join("swaps.tsv");
    std::fs::write(&swaps, "cold\tchilly\nwar\tconflict\n").unwrap();
    let train = |out: &Path| {
        let mut c = unspin();
        c.args([
            "train",
            "-o",
            s(out),
            "--corpus",
            s(&corpus),
            "--swaps",
            s(&swaps),
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        c
    };
    // the uninterrupted result, and how long it takes
    let reference = t.join("ref.unspin");
    let start = Instant::now();
    assert!(train(&reference).status().unwrap().success());
    let full = start.elapsed();
    let new = std::fs::read(&reference).unwrap();
    assert!(Model::open(&reference).is_ok());

    let out = t.join("model.unspin");
    tiny::builder().write(&out).unwrap();
    let old = std::fs::read(&out).unwrap();
    let mut rng = Rng(11);
    let mut outcomes = (0, 0);
    for round in 0..6 {
        let child = train(&out).spawn().unwrap();
        // most kills land during the run, the last ones near its end (the
        // write itself)
        let ms = full.as_millis() as u64;
        let at = if round < 4 {
            rng.below(ms)
        } else {
            ms * 6 / 10 + rng.below(ms * 4 / 10 + 1)
        };
        std::thread::sleep(Duration::from_millis(at));
        kill(child);
        let now = std::fs::read(&out).unwrap();
        let m =
            Model::open(&out).unwrap_or_else(|e| panic!("round {round}: a killed train left {e}"));
        assert!((0.0..=1.0).contains(&unspin_core::Unspinner::new(m).detect("the cold war").score));
        if now == old {
            outcomes.0 += 1;
        } else {
            assert_eq!(
                now, new,
                "round {round}: neither the old model nor the new one"
            );
            outcomes.1 += 1;
        }
    }
    eprintln!(
        "train kills: {} kept the old model, {} after the new one was in place",
        outcomes.0, outcomes.1
    );
}

/// A scan corpus: `n` records of the tiny model's words, some bad lines.
fn scan_corpus(dir: &Path, n: usize) -> PathBuf {
    let p = dir.join("corpus.jsonl");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&p).unwrap());
    for i in 0..n {
        if i % 997 == 13 {
            writeln!(f, "{{\"id\": \"bad-{i}\"}}").unwrap();
            continue;
        }
        let a = tiny::CLEAN[i % tiny::CLEAN.len()];
        let b = tiny::CLEAN[(i / 7) % tiny::CLEAN.len()]
            .replace("cold war", "chilly conflict")
            .replace("last", "final");
        let v = serde_json::json!({"id": format!("d{i}"), "text": format!("{a}. {b}."), "n": i});
        writeln!(f, "{v}").unwrap();
    }
    f.flush().unwrap();
    p
}

#[test]
fn sigkill_during_scan_resume_gives_the_uninterrupted_output() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let model = tiny_model(t);
    let corpus = scan_corpus(t, 6000);
    let scan = |out: &Path, resume: bool| {
        let mut c = unspin();
        c.args(["scan", "-q", "-j", "2", "--batch-size", "16", "--restore"])
            .args(["--model", s(&model), "-o", s(out), s(&corpus)])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if resume {
            c.arg("--resume");
        }
        c
    };
    let reference = t.join("ref.jsonl");
    let start = Instant::now();
    let code = scan(&reference, false).status().unwrap().code();
    let full = start.elapsed();
    assert_eq!(code, Some(2), "bad lines make the exit code 2");
    let want = std::fs::read(&reference).unwrap();
    let bad = (0..6000).filter(|i| i % 997 == 13).count();
    assert_eq!(want.iter().filter(|&&b| b == b'\n').count(), 6000 - bad);

    let mut rng = Rng(3);
    let ms = full.as_millis() as u64;
    for round in 0..3 {
        let out = t.join(format!("out-{round}.jsonl"));
        // a first run and two resumed ones, each killed at a random point
        for (i, resume) in [false, true, true].into_iter().enumerate() {
            let child = scan(&out, resume).spawn().unwrap();
            std::thread::sleep(Duration::from_millis(
                rng.below(ms * (i as u64 + 1) / 2 + 1),
            ));
            kill(child);
        }
        let code = scan(&out, true).status().unwrap().code();
        assert_eq!(
            code,
            Some(2),
            "round {round}: the same exit code as a straight run"
        );
        let got = std::fs::read(&out).unwrap();
        assert!(
            got == want,
            "round {round}: the resumed output differs from the uninterrupted one"
        );
    }
}

/// A 1 MB tmpfs, unmounted on drop; `None` (with the reason printed) where
/// mounting is not permitted.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(at: &Path) -> Option<SmallDisk> {
        std::fs::create_dir_all(at).unwrap();
        let o = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=1m", "tmpfs", s(at)])
            .output();
        match o {
            Ok(o) if o.status.success() => Some(SmallDisk(at.to_path_buf())),
            Ok(o) => {
                eprintln!("skipped: cannot mount a tmpfs: {}", stderr(&o).trim());
                None
            }
            Err(e) => {
                eprintln!("skipped: cannot run mount: {e}");
                None
            }
        }
    }

    /// Fills the disk but `leave` bytes.
    fn fill(&self, leave: u64) {
        let p = self.0.join("filler");
        let _ = std::fs::remove_file(&p);
        let mut f = std::fs::File::create(&p).unwrap();
        let chunk = vec![7u8; 4096];
        while f.write_all(&chunk).is_ok() {}
        drop(f);
        let len = std::fs::metadata(&p).unwrap().len();
        let f = std::fs::OpenOptions::new().write(true).open(&p).unwrap();
        f.set_len(len.saturating_sub(leave)).unwrap();
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn assert_disk_full(o: &Output, what: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{what}: {err}");
    assert!(
        err.contains("No space left on device") || err.contains("os error 28"),
        "{what}: not a clear full-disk error: {err}"
    );
    assert!(!err.contains("panicked"), "{what}: {err}");
}

#[test]
fn a_full_disk_is_a_clear_error_and_corrupts_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let Some(disk) = SmallDisk::mount(&t.join("disk")) else {
        return;
    };
    let d = &disk.0;
    let model = tiny_model(t);

    // scan output (about 2 MB of it)
    let corpus = scan_corpus(t, 12_000);
    let o = run(&[
        "scan",
        "-q",
        "--model",
        s(&model),
        "-o",
        s(&d.join("out.jsonl")),
        s(&corpus),
    ]);
    assert_disk_full(&o, "scan -o");
    std::fs::remove_file(d.join("out.jsonl")).unwrap();

    // a model over an old one: the old one stays, no temporary is left
    let old_model = d.join("model.unspin");
    std::fs::copy(&model, &old_model).unwrap();
    let old = std::fs::read(&old_model).unwrap();
    disk.fill(16 << 10);
    let big = train_corpus(t, 20_000);
    let swaps = t.join("swaps.tsv");
    std::fs::write(&swaps, "cold\tchilly\n").unwrap();
    let o = run(&[
        "train",
        "-o",
        s(&old_model),
        "--corpus",
        s(&big),
        "--swaps",
        s(&swaps),
    ]);
    assert_disk_full(&o, "train");
    assert!(
        stderr(&o).contains("model.unspin"),
        "the error names the file: {}",
        stderr(&o)
    );
    assert_eq!(std::fs::read(&old_model).unwrap(), old);
    Model::open(&old_model).expect("the old model still loads");
    let left: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "a temporary file was left: {left:?}");
    std::fs::remove_file(d.join("filler")).unwrap();
    std::fs::remove_file(&old_model).unwrap();

    // an index extended until the disk is full keeps what it had
    let idx = d.join("idx");
    let init = t.join("init.jsonl");
    std::fs::write(&init, index_docs("init", 30)).unwrap();
    let o = run(&["index", "build", "-q", "--index", s(&idx), s(&init)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    disk.fill(8 << 10);
    let more = t.join("more.jsonl");
    std::fs::write(&more, index_docs("more", 3000)).unwrap();
    let o = run(&[
        "index",
        "build",
        "-q",
        "--append",
        "--commit-every",
        "500",
        "--index",
        s(&idx),
        s(&more),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    std::fs::remove_file(d.join("filler")).unwrap();
    let index = Index::open(&idx).expect("the index still opens");
    assert!(index.num_docs() >= 30);
    assert!(index.get("init-29").unwrap().is_some());
}

#[test]
fn dev_full_as_output_is_a_clear_error() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("skipped: no /dev/full");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let model = tiny_model(tmp.path());
    let corpus = scan_corpus(tmp.path(), 500);
    for args in [
        vec!["detect", "--json", "--format", "jsonl"],
        vec!["restore", "--json", "--format", "jsonl"],
        vec!["scan", "-q"],
    ] {
        let o = unspin()
            .args(&args)
            .args(["--model", s(&model), s(&corpus)])
            .stdout(full.try_clone().unwrap())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_disk_full(&o, &args.join(" "));
    }
}
