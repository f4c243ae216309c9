"""The Spark job in local mode writes exactly what `unspin scan` writes on
the same input, record for record (and reports the same bad lines)."""

import glob
import json
import os
import shutil
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

TEXTS = [
    "The Chilly Conflict period ended in 1991.",
    "We used an irregular woodland classifier on the data.",
    "Patients with bosom malignancy were enrolled in the study.",
    "The weather was fine and the children played outside.",
    "Counterfeit consciousness is changing the discipline of medicine.",
    "é — ünïcödé, \"quotes\", 😀 and a tab\there.",
]


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    pytest.importorskip("pyarrow")
    if not shutil.which("java"):
        pytest.skip("no java on PATH")
    import unspin

    try:
        unspin.default_unspinner()
    except unspin.ModelError as e:
        pytest.skip(f"the built-in model is not available: {e}")
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")  # loopback only
    s = (
        SparkSession.builder.master("local[2]")
        .appName("unspin-scan-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "37")
        .getOrCreate()
    )
    yield s
    s.stop()


def write_corpus(path, n, seed):
    with open(path, "wb") as f:
        for i in range(n):
            rec = {"id": f"{seed}-{i}", "text": TEXTS[(i * 7 + seed) % len(TEXTS)], "n": i, "meta": {"k": [1, None]}}
            if i % 13 == 0:
                del rec["id"]  # id becomes the line number
            f.write(json.dumps(rec, ensure_ascii=i % 2 == 0).encode() + b"\n")
            if i % 29 == 0:
                f.write(b"\n")  # blank lines are skipped silently
            if i % 41 == 0:
                f.write(b'{"id": "no-text"}\n')
            if i == 50:
                f.write(b'{"text": "bad \xff byte"}\n')
                f.write(b"not json at all\r\n")


def test_spark_output_equals_cli(spark, tmp_path):
    import scan_job

    bin_ = os.environ.get("UNSPIN_BIN") or shutil.which("unspin")
    if not bin_:
        pytest.skip("no unspin binary (set UNSPIN_BIN)")
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    write_corpus(a, 300, 1)
    write_corpus(b, 120, 2)
    cli = subprocess.run([bin_, "scan", "-j", "2", str(a), str(b)], capture_output=True)
    assert cli.returncode == 2, cli.stderr  # bad lines in the input
    cli_lines = cli.stdout.decode().splitlines()

    out = tmp_path / "out"
    docs, bad = scan_job.run(spark, [str(a), str(b)], str(out))
    parts = sorted(glob.glob(str(out / "part-*")))
    spark_lines = [line for p in parts for line in open(p, encoding="utf-8").read().splitlines()]
    assert len(spark_lines) == len(cli_lines) == docs
    for i, (x, y) in enumerate(zip(spark_lines, cli_lines)):
        assert x == y, f"record {i}"

    cli_bad = [l for l in cli.stderr.decode().splitlines() if l.endswith(": skipped")]
    assert bad == len(cli_bad)
    spark_bad = [json.loads(l) for p in sorted(glob.glob(str(out / "_bad" / "part-*"))) for l in open(p)]
    assert [f"unspin: {r['file']}:{r['line']}: {r['reason']}: skipped" for r in spark_bad] == cli_bad
