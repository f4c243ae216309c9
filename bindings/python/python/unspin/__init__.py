"""unspin: find machine-spun text, restore its original wording.

Results are plain dicts shaped like the JSON Lines records of the ``unspin``
command (character offsets into the input, end exclusive)::

    >>> import unspin
    >>> unspin.detect("The Chilly Conflict period ended.")
    {'score': 0.97, 'spans': [{'start': 4, 'end': 18, 'text': 'Chilly Conflict', ...}]}

Module-level functions use one shared :class:`Unspinner` with the built-in
model, created on first use. Batch functions release the GIL and run on all
cores (``RAYON_NUM_THREADS`` caps them). :class:`Index` opens a reference
index made by ``unspin index build`` and traces texts to their sources. Adapters for pipelines live in
:mod:`unspin.datatrove` (a filter) and :mod:`unspin.dolma` (a tagger).
"""

from __future__ import annotations

import threading
from typing import Any, Dict, List, Optional

from ._unspin import (
    FingerprintError,
    Index,
    IndexLoadError,
    ModelError,
    Unspinner,
    UnspinError,
    __version__,
)

__all__ = [
    "Unspinner",
    "Index",
    "UnspinError",
    "ModelError",
    "FingerprintError",
    "IndexLoadError",
    "default_unspinner",
    "detect",
    "restore",
    "detect_batch",
    "restore_batch",
    "__version__",
]

_default: Optional[Unspinner] = None
_lock = threading.Lock()


def default_unspinner() -> Unspinner:
    """The shared :class:`Unspinner` with the built-in model."""
    global _default
    if _default is None:
        with _lock:
            if _default is None:
                _default = Unspinner()
    return _default


def detect(text: str) -> Dict[str, Any]:
    """Spun spans of ``text`` and its document score: ``{"score", "spans"}``."""
    return default_unspinner().detect(text)


def restore(text: str) -> Dict[str, Any]:
    """The restored text and every change: ``{"text", "changes"}``."""
    return default_unspinner().restore(text)


def detect_batch(texts: List[str]) -> List[Dict[str, Any]]:
    """:func:`detect` on each text, in parallel, without the GIL."""
    return default_unspinner().detect_batch(texts)


def restore_batch(texts: List[str]) -> List[Dict[str, Any]]:
    """:func:`restore` on each text, in parallel, without the GIL."""
    return default_unspinner().restore_batch(texts)
