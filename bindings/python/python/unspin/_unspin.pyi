"""Type stubs for the native module ``unspin._unspin``."""

from os import PathLike
from typing import List, Literal, Optional, Sequence, Tuple, TypedDict, Union

__version__: str

# Where a span's or change's evidence comes from: the language model, a
# tortured-phrase list, a spinner-residue rule (a split number, spintax) or
# a reference source.
Source = Literal["model", "list", "rule", "reference"]

class Span(TypedDict, total=False):
    start: int
    end: int
    text: str
    score: float
    # the most likely original; "" when the spun words should be deleted
    suggestion: Optional[str]
    source: Source

class Detection(TypedDict):
    score: float
    spans: List[Span]

class Change(TypedDict, total=False):
    start: int
    end: int
    # "from" is a keyword; read it as change["from"]
    to: str
    score: float
    source: Source

class Restoration(TypedDict):
    text: str
    changes: List[Change]

class Match(TypedDict):
    doc_id: str
    score: float
    coverage: float
    alignment: List[dict]

class Trace(TypedDict):
    matches: List[Match]

class UnspinError(Exception): ...
class ModelError(UnspinError): ...
class FingerprintError(UnspinError): ...
class IndexLoadError(UnspinError): ...

_Path = Union[str, PathLike[str]]

class Unspinner:
    def __init__(self, model: Optional[_Path] = None, fingerprints: Optional[_Path] = None) -> None: ...
    def detect(self, text: str) -> Detection: ...
    def restore(self, text: str) -> Restoration: ...
    def detect_batch(self, texts: Sequence[str]) -> List[Detection]: ...
    def restore_batch(self, texts: Sequence[str]) -> List[Restoration]: ...
    def scan_lines(
        self,
        lines: Sequence[Union[str, bytes]],
        restore: bool = False,
        lossy: bool = False,
        first_line: int = 1,
        line_numbers: Optional[Sequence[int]] = None,
    ) -> Tuple[List[Optional[str]], List[Tuple[int, str]]]: ...

class Index:
    def __init__(self, path: _Path) -> None: ...
    def __len__(self) -> int: ...
    def trace(self, text: str, k: int = 5) -> Trace: ...
    def trace_batch(self, texts: Sequence[str], k: int = 5) -> List[Trace]: ...
