"""Each paragraph of 15 words or more of a pairs file, as a pair of its own
(the short texts an analyst pastes): paragraphs.py PAIRS OUT"""
import json
import sys

src, dst = sys.argv[1:3]
with open(dst, "w") as f:
    for line in open(src, encoding="utf-8"):
        d = json.loads(line)
        originals, spuns = d["original"].split("\n\n"), d["spun"].split("\n\n")
        if len(originals) != len(spuns):
            continue
        for i, (o, s) in enumerate(zip(originals, spuns)):
            if len(o.split()) >= 15:
                pair = {"id": f"{d['id']}-{i}", "original": o, "spun": s, "domain": "news"}
                f.write(json.dumps(pair) + "\n")
