"""The datatrove filter and the dolma tagger, against the real packages
(skipped, with the reason, where they do not install)."""

import pickle

import pytest

import unspin


def test_datatrove_filter(unspinner, texts):
    pytest.importorskip("datatrove")
    from datatrove.data import Document

    from unspin.datatrove import SpunFilter

    docs = [Document(text=t, id=str(i)) for i, t in enumerate(texts)]
    scores = [unspin.detect(t)["score"] for t in texts]
    threshold = sorted(scores)[len(scores) // 2] if len(set(scores)) > 1 else 0.5
    f = SpunFilter(threshold=threshold, batch_size=4)
    kept = list(f.run(iter(docs)))
    expected = [d for d, s in zip(docs, scores) if s < threshold]
    assert [d.id for d in kept] == [d.id for d in expected]
    for d, s in zip(docs, scores):
        assert d.metadata["unspin_score"] == s
        res = f.filter(d)
        assert res == ((False, "spun") if s >= threshold else True)
    dropped = len(docs) - len(kept)
    assert f.stats["dropped"].total == dropped
    if dropped:
        assert f.stats["dropped_spun"].total == dropped
    # it pickles for datatrove's Slurm/Ray executors, and works after
    g = pickle.loads(pickle.dumps(f))
    assert g.filter(docs[0]) == f.filter(docs[0])
    with pytest.raises(ValueError):
        SpunFilter(threshold=2)


def test_dolma_tagger(unspinner, texts):
    pytest.importorskip("dolma")
    from dolma.core.data_types import Document
    from dolma.core.registry import TaggerRegistry

    import unspin.dolma  # noqa: F401  (registers the tagger)

    tagger = TaggerRegistry.get("unspin_v1")()
    for i, t in enumerate(texts):
        doc = Document(source="test", id=str(i), text=t)
        result = tagger.predict(doc)
        d = unspin.detect(t)
        spun = [(s.start, s.end, s.score) for s in result.spans if s.type == "spun"]
        assert spun == [(s["start"], s["end"], s["score"]) for s in d["spans"]]
        (whole,) = [s for s in result.spans if s.type == "doc_spun"]
        assert (whole.start, whole.end, whole.score) == (0, len(t), d["score"])
        out = tagger.group_output(result)
        assert out["doc_spun"][0][:2] == (0, len(t))
