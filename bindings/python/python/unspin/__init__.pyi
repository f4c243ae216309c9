from typing import List

from ._unspin import (
    Change as Change,
    Detection as Detection,
    FingerprintError as FingerprintError,
    Index as Index,
    Match as Match,
    Trace as Trace,
    IndexLoadError as IndexLoadError,
    ModelError as ModelError,
    Restoration as Restoration,
    Span as Span,
    Unspinner as Unspinner,
    UnspinError as UnspinError,
    __version__ as __version__,
)

def default_unspinner() -> Unspinner: ...
def detect(text: str) -> Detection: ...
def restore(text: str) -> Restoration: ...
def detect_batch(texts: List[str]) -> List[Detection]: ...
def restore_batch(texts: List[str]) -> List[Restoration]: ...
