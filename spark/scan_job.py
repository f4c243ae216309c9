"""Scan a JSONL dataset with unspin on Spark (``mapInArrow``).

Each input line goes through ``unspin.Unspinner.scan_lines`` — the very code
``unspin scan`` runs — inside the executors, a whole Arrow batch at a time
(the GIL is released and the batch runs on all the executor's cores), so
the output is, record for record, what ``unspin scan`` writes on the same
files::

    spark-submit spark/scan_job.py --output out/ data/a.jsonl data/b.jsonl

Output: ``out/part-*.txt`` JSON lines (in input order unless --unordered),
``out/_bad/`` the bad lines as JSON ``{"file", "line", "reason"}``. Line
numbers (the ids of records without one) count per file, from 1, as in the
CLI. The summary goes to stderr; the exit code is 2 when some lines were
bad, as with the CLI. See spark/README.md for running on a cluster.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Iterator, List, Optional

OUT_SCHEMA = "file_idx INT, line LONG, out STRING, error STRING"


def scan_batches(
    batches: Iterator["pyarrow.RecordBatch"],  # noqa: F821
    restore: bool = False,
    lossy: bool = False,
    model: Optional[str] = None,
    fingerprints: Optional[str] = None,
) -> Iterator["pyarrow.RecordBatch"]:  # noqa: F821
    """The executor side: (file_idx, line, value) batches to
    (file_idx, line, out, error) batches."""
    import pyarrow as pa

    import unspin

    u = unspin.default_unspinner() if model is None and fingerprints is None else unspin.Unspinner(model, fingerprints)
    for batch in batches:
        cols = batch.to_pydict()
        files, numbers, lines = cols["file_idx"], [int(n) for n in cols["line"]], cols["value"]
        outs: List[Optional[str]] = []
        error_col: List[Optional[str]] = []
        start = 0
        while start < len(lines):  # one call per run of lines from the same file
            end = start
            while end < len(lines) and files[end] == files[start]:
                end += 1
            o, errors = u.scan_lines(lines[start:end], restore=restore, lossy=lossy, line_numbers=numbers[start:end])
            reasons = dict(errors)  # line numbers are unique within one file
            outs.extend(o)
            error_col.extend(reasons.get(n) if x is None else None for n, x in zip(numbers[start:end], o))
            start = end
        yield pa.RecordBatch.from_pydict(
            {"file_idx": files, "line": numbers, "out": outs, "error": error_col},
            schema=pa.schema(
                [("file_idx", pa.int32()), ("line", pa.int64()), ("out", pa.string()), ("error", pa.string())]
            ),
        )


def read_lines(spark, paths: List[str]):
    """(file_idx, line, value) for every line of every file, numbered per file."""
    from pyspark.sql import Row
    from pyspark.sql import functions as F

    frames = []
    for idx, path in enumerate(paths):
        # Spark SQL's text source keeps each line's raw bytes (cast to binary
        # they come back untouched), so invalid UTF-8 reaches unspin as it
        # is, to be reported (or replaced with --lossy) exactly as the CLI
        # does; lineSep "\n" splits lines where the CLI does (a "\r" before
        # it is dropped by the record parser, as in the CLI).
        lines = spark.read.option("lineSep", "\n").text(path).select(F.col("value").cast("binary").alias("value"))
        rows = lines.rdd.zipWithIndex().map(lambda p, idx=idx: Row(file_idx=idx, line=p[1] + 1, value=p[0].value))
        frames.append(spark.createDataFrame(rows, "file_idx INT, line LONG, value BINARY"))
    df = frames[0]
    for f in frames[1:]:
        df = df.unionByName(f)
    return df


def run(spark, paths: List[str], output: str, restore=False, lossy=False, ordered=True, model=None, fingerprints=None):
    """Runs the scan; returns (documents, bad)."""
    from pyspark.sql import functions as F

    if __name__ != "__main__":
        # imported (not spark-submitted): executors need this module to
        # unpickle scan_batches
        spark.sparkContext.addPyFile(os.path.abspath(__file__))
    df = read_lines(spark, paths)

    def fn(batches):
        return scan_batches(batches, restore=restore, lossy=lossy, model=model, fingerprints=fingerprints)

    result = df.mapInArrow(fn, OUT_SCHEMA).cache()
    good = result.where(F.col("out").isNotNull())
    if ordered:
        good = good.orderBy("file_idx", "line")
    good.select("out").write.mode("overwrite").text(output)
    bad = result.where(F.col("error").isNotNull())
    names = spark.createDataFrame([(i, p) for i, p in enumerate(paths)], "file_idx INT, file STRING")
    bad_rows = bad.join(names, "file_idx").orderBy("file_idx", "line").select("file", "line", F.col("error").alias("reason"))
    bad_rows.write.mode("overwrite").json(output.rstrip("/") + "/_bad")
    for r in bad_rows.limit(100).collect():
        print(f"unspin: {r.file}:{r.line}: {r.reason}: skipped", file=sys.stderr)
    documents, n_bad = good.count(), bad.count()
    result.unpersist()
    return documents, n_bad


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("inputs", nargs="+", help="JSONL files (plain or .gz; any Hadoop path)")
    ap.add_argument("--output", required=True, help="output directory (overwritten)")
    ap.add_argument("--restore", action="store_true", help="also restore: adds restored and changes")
    ap.add_argument("--lossy", action="store_true", help="replace invalid UTF-8 instead of skipping the line")
    ap.add_argument("--unordered", action="store_true", help="skip the final sort into input order")
    ap.add_argument("--model", help="a model file instead of the built-in model (visible to every executor)")
    ap.add_argument("--fingerprints", help="a tortured-phrase list (visible to every executor)")
    ap.add_argument("--master", help="Spark master (default: from spark-submit, else local[*])")
    args = ap.parse_args(argv)

    from pyspark.sql import SparkSession

    b = SparkSession.builder.appName("unspin-scan")
    if args.master:
        b = b.master(args.master)
    spark = b.getOrCreate()
    try:
        docs, bad = run(
            spark, args.inputs, args.output, args.restore, args.lossy, not args.unordered, args.model, args.fingerprints
        )
    finally:
        spark.stop()
    print(f"unspin spark scan: {docs} documents, {bad} bad record(s) skipped", file=sys.stderr)
    return 2 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
