"""A datatrove filter that drops spun documents.

datatrove (Hugging Face) runs ``PipelineStep``\\ s over ``Document(text, id,
metadata)``; a filter implements ``filter(doc) -> bool | (bool, reason)``,
True meaning *keep*. :class:`SpunFilter` scores documents in batches
(parallel, GIL released), writes ``unspin_score`` and ``unspin_spans`` (the
number of flagged spans) into ``doc.metadata``, and drops documents scored
at or above ``threshold`` with the reason ``"spun"`` (one stable stats key;
the score is in the metadata and goes to the exclusion writer with it)::

    from datatrove.pipeline.readers import JsonlReader
    from unspin.datatrove import SpunFilter

    pipeline = [JsonlReader("data/"), SpunFilter(threshold=0.5), ...]

The filter keeps only paths, not the model, so it pickles to datatrove's
Slurm and Ray workers; each worker loads the model once, on first use.
"""

from __future__ import annotations

from typing import Any, List, Optional, Tuple, Union

from datatrove.pipeline.filters.base_filter import BaseFilter

from . import Unspinner, default_unspinner

FilterResult = Union[bool, Tuple[bool, str]]


class SpunFilter(BaseFilter):
    """Drops documents whose spun probability is at least ``threshold``."""

    name = "🌀 unspin"

    def __init__(
        self,
        threshold: float = 0.5,
        model: Optional[str] = None,
        fingerprints: Optional[str] = None,
        exclusion_writer: Any = None,
        batch_size: int = 64,
    ) -> None:
        super().__init__(exclusion_writer=exclusion_writer, batch_size=batch_size)
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"threshold must be within 0..1, not {threshold!r}")
        self.threshold = threshold
        self.model = model
        self.fingerprints = fingerprints
        self._unspinner: Optional[Unspinner] = None

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["_unspinner"] = None  # native objects do not pickle; reload in the worker
        return state

    def unspinner(self) -> Unspinner:
        """The unspinner this filter uses, loaded on first use."""
        if self._unspinner is None:
            if self.model is None and self.fingerprints is None:
                self._unspinner = default_unspinner()
            else:
                self._unspinner = Unspinner(self.model, self.fingerprints)
        return self._unspinner

    def filter(self, doc: Any) -> FilterResult:
        return self.filter_batch([doc])[0]

    def filter_batch(self, batch: List[Any]) -> List[FilterResult]:
        results = self.unspinner().detect_batch([doc.text for doc in batch])
        out: List[FilterResult] = []
        for doc, r in zip(batch, results):
            doc.metadata["unspin_score"] = r["score"]
            doc.metadata["unspin_spans"] = len(r["spans"])
            out.append((False, "spun") if r["score"] >= self.threshold else True)
        return out
