"""Shared fixtures: the default unspinner (skips while the built-in model is
missing from the tree), sample texts and the ``unspin`` binary."""

import os
import shutil

import pytest

import unspin

TEXTS = [
    "The Chilly Conflict period ended in 1991.",
    "We used an irregular woodland classifier on the data.",
    "Patients with bosom malignancy were enrolled in the study.",
    "The weather was fine and the children played outside.",
    "Counterfeit consciousness is changing the discipline of medicine.",
    "Nearby, the navy staged joint workout routines last February.",
    "She visited her grandmother on Sunday.",
    "é — a line with ünïcödé and \"quotes\" and 😀 emoji.",
    "",
]


@pytest.fixture(scope="session")
def unspinner():
    try:
        return unspin.default_unspinner()
    except unspin.ModelError as e:
        pytest.skip(f"the built-in model is not available: {e}")


@pytest.fixture(scope="session")
def texts():
    return list(TEXTS)


@pytest.fixture(scope="session")
def unspin_bin():
    """The unspin binary: $UNSPIN_BIN, else on PATH; skips when absent."""
    path = os.environ.get("UNSPIN_BIN") or shutil.which("unspin")
    if not path or not os.path.exists(path):
        pytest.skip("no unspin binary (set UNSPIN_BIN)")
    return path
