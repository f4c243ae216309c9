"""The BBC articles of one split, for the engine's benchmarks.

    python3 bench/engine/split.py SRC DST A|B N

Articles are split by md5(id) mod 2: split A (0) chose the decoder's
parameters, split B (1) is the one reported. Writes the split's first N
articles of SRC (0: all) to DST as JSONL, each marked "domain": "news".
"""
import hashlib
import json
import sys

src, dst, split, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
parity = {"A": 0, "B": 1}[split]
k = 0
with open(dst, "w", encoding="utf-8") as f:
    for line in open(src, encoding="utf-8"):
        d = json.loads(line)
        if int(hashlib.md5(str(d["id"]).encode()).hexdigest(), 16) % 2 == parity:
            d["domain"] = "news"
            f.write(json.dumps(d) + "\n")
            k += 1
            if n and k >= n:
                break
