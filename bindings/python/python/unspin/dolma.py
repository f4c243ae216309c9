"""A dolma tagger that marks spun spans and scores whole documents.

dolma (AI2) taggers implement ``predict(doc) -> DocResult`` whose spans
``Span(start, end, type, score)`` are written as attributes beside the
documents; ``dolma mix`` then filters on them or rewrites spans with
``span_replacement``. Importing this module registers the tagger
``unspin_v1``; run it with ``dolma tag --taggers unspin_v1 ...`` (pass
``--tagger_modules unspin.dolma`` so dolma imports it).

Span types:

- ``spun``: one per flagged span, character offsets into the text (Python
  ``str`` indices), score = the span's probability of being spun;
- ``doc_spun``: one span over the whole text, score = the document's spun
  probability (what ``dolma mix`` filters on, e.g.
  ``$.attributes[?(@.unspin_v1__unspin_v1__doc_spun[0][2] >= 0.5)]``).
"""

from __future__ import annotations

from typing import Any, List

from dolma import BaseTagger, add_tagger
from dolma.core.data_types import DocResult, Span

from . import default_unspinner


@add_tagger("unspin_v1")
class UnspinTagger(BaseTagger):
    """Spun spans and the document's spun probability."""

    def __init__(self) -> None:
        self.unspinner = default_unspinner()

    @property
    def defaults(self) -> List[str]:
        return ["doc_spun"]

    def predict(self, doc: Any) -> DocResult:
        result = self.unspinner.detect(doc.text)
        spans = [Span(start=s["start"], end=s["end"], type="spun", score=s["score"]) for s in result["spans"]]
        spans.append(Span(start=0, end=len(doc.text), type="doc_spun", score=result["score"]))
        return DocResult(doc=doc, spans=spans)
