"""The Python API: result shapes, batch = single, GIL release, errors."""

import json
import subprocess
import threading
import time

import pytest

import unspin


def check_offsets(text, spans, key="text"):
    for s in spans:
        assert 0 <= s["start"] <= s["end"] <= len(text)
        assert text[s["start"] : s["end"]] == s[key]


def test_detect_shape(unspinner, texts):
    for t in texts:
        d = unspin.detect(t)
        assert set(d) == {"score", "spans"}
        assert 0.0 <= d["score"] <= 1.0
        for s in d["spans"]:
            assert {"start", "end", "text", "score", "suggestion"} <= set(s)
            assert 0.0 <= s["score"] <= 1.0
            assert s["suggestion"] is None or isinstance(s["suggestion"], str)
        check_offsets(t, d["spans"])


def test_restore_shape(unspinner, texts):
    for t in texts:
        r = unspin.restore(t)
        assert set(r) == {"text", "changes"}
        check_offsets(t, r["changes"], key="from")
        # applying the changes to the input gives the restored text
        out, pos = [], 0
        for c in r["changes"]:
            out.append(t[pos : c["start"]])
            out.append(c["to"])
            pos = c["end"]
        out.append(t[pos:])
        assert "".join(out) == r["text"]


def test_batches_equal_single_calls(unspinner, texts):
    many = texts * 20
    assert unspin.detect_batch(many) == [unspin.detect(t) for t in many]
    assert unspin.restore_batch(many) == [unspin.restore(t) for t in many]
    assert unspin.detect_batch([]) == []


def test_dicts_match_the_cli_jsonl(unspinner, texts, unspin_bin, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts)))
    for cmd, fn in (("detect", unspin.detect), ("restore", unspin.restore)):
        out = subprocess.run(
            [unspin_bin, cmd, "--format", "jsonl", "--json", str(src)], capture_output=True, text=True, check=True
        ).stdout
        for i, line in enumerate(out.splitlines()):
            rec = json.loads(line)
            assert rec.pop("id") == i
            assert rec == fn(texts[i]), cmd


def test_batch_releases_the_gil(unspinner, texts):
    big = [" ".join(texts) * 4] * 200
    t0 = time.perf_counter()
    unspin.detect_batch(big)
    solo = time.perf_counter() - t0
    if solo < 0.05:
        pytest.skip(f"batch too fast to observe ({solo:.3f}s)")
    done = threading.Event()

    def work():
        unspin.detect_batch(big)
        done.set()

    th = threading.Thread(target=work)
    last, max_gap = time.perf_counter(), 0.0
    th.start()
    while not done.is_set():
        now = time.perf_counter()
        max_gap = max(max_gap, now - last)
        last = now
    th.join()
    # with the GIL held for the whole call this thread would stall for ~solo
    assert max_gap < 0.5 * solo, (max_gap, solo)


def test_errors_map_to_exception_classes(tmp_path):
    assert issubclass(unspin.ModelError, unspin.UnspinError)
    assert issubclass(unspin.FingerprintError, unspin.UnspinError)
    assert issubclass(unspin.IndexLoadError, unspin.UnspinError)
    with pytest.raises(unspin.ModelError, match="nope.unspin"):
        unspin.Unspinner(model=str(tmp_path / "nope.unspin"))
    junk = tmp_path / "junk.unspin"
    junk.write_bytes(b"this is not a model at all" * 10)
    with pytest.raises(unspin.ModelError, match="not an unspin model"):
        unspin.Unspinner(model=junk)


def test_bad_arguments_are_type_errors(unspinner):
    with pytest.raises(TypeError):
        unspin.detect(42)
    with pytest.raises(TypeError):
        unspin.detect_batch("a string is not a list of texts")
    with pytest.raises(TypeError):
        unspinner.scan_lines([1, 2])


def test_scan_lines_reports_bad_lines(unspinner, texts):
    lines = [
        json.dumps({"id": "a", "text": texts[0], "lang": "en"}),
        "",
        '{"id": "b"}',
        "not json",
        json.dumps({"text": texts[1]}).encode(),
    ]
    outs, errors = unspinner.scan_lines(lines, first_line=10)
    assert outs[1] is None and outs[2] is None and outs[3] is None
    a, e = json.loads(outs[0]), json.loads(outs[4])
    assert list(a) == ["lang", "id", "score", "spans"]
    assert a["spans"] == unspin.detect(texts[0])["spans"]
    assert e["id"] == 14  # no id: the line number
    assert [n for n, _ in errors] == [12, 13]
    assert "no \"text\"" in errors[0][1] and "bad JSON" in errors[1][1]
    outs, _ = unspinner.scan_lines(lines[:1], restore=True)
    r = json.loads(outs[0])
    assert r["restored"] == unspin.restore(texts[0])["text"]


def test_scan_lines_equals_cli_scan(unspinner, texts, unspin_bin, tmp_path):
    lines = [json.dumps({"id": f"d{i}", "text": t, "n": i}, ensure_ascii=i % 2 == 0) for i, t in enumerate(texts * 5)]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    cli = subprocess.run([unspin_bin, "scan", "-q", str(src)], capture_output=True, check=True).stdout
    outs, errors = unspinner.scan_lines(lines)
    assert errors == []
    assert cli.decode().splitlines() == outs


def test_index_trace_matches_the_cli(unspinner, unspin_bin, tmp_path):
    sources = [
        "The Cold War era ended in 1991 when the Soviet Union collapsed. Historians still argue about why.",
        "We used a random forest classifier on the data. It beat every other model we tried.",
    ]
    src = tmp_path / "src.jsonl"
    src.write_text("".join(json.dumps({"id": f"s{i}", "text": t}) + "\n" for i, t in enumerate(sources)))
    idx = tmp_path / "idx"
    subprocess.run([unspin_bin, "index", "build", "--index", str(idx), "-q", str(src)], check=True)
    suspect = "We used an irregular woodland classifier on the data. It beat every other model we tried."
    q = tmp_path / "q.jsonl"
    q.write_text(json.dumps({"id": "q", "text": suspect}) + "\n")
    cli = subprocess.run(
        [unspin_bin, "trace", "--index", str(idx), "--format", "jsonl", "--json", str(q)],
        capture_output=True, text=True, check=True,
    ).stdout
    index = unspin.Index(idx)
    assert len(index) == 2
    got = index.trace(suspect)
    assert got["matches"] == json.loads(cli)["matches"]
    assert got["matches"][0]["doc_id"] == "s1"
    assert index.trace_batch([suspect, suspect], k=1) == [index.trace(suspect, k=1)] * 2
    with pytest.raises(unspin.IndexLoadError):
        unspin.Index(tmp_path / "missing")
