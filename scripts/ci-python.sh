#!/usr/bin/env bash
# CI for the Python package (bindings/python) and the Spark job (spark/):
# installs the tools from PyPI into a private venv, builds the abi3 wheel
# with maturin, installs it, then runs the pytest suites — the API, the
# datatrove/dolma adapters against the real packages, and the Spark
# local-mode check that the job's output equals `unspin scan`'s.
#
# Idempotent; every step is time-bounded; exits non-zero on any failure.
# Env: CARGO_TARGET_DIR (default target), UNSPIN_PY (python3),
#      UNSPIN_CI_VENV (default $CARGO_TARGET_DIR/ci-python-venv).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
VENV=${UNSPIN_CI_VENV:-$TARGET/ci-python-venv}
PY=${UNSPIN_PY:-python3}

step() { echo "== ci-python: $*"; }

step "venv $VENV"
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
PIP="$VENV/bin/python -m pip"
timeout 900 $PIP install -q --disable-pip-version-check \
    "maturin>=1.5,<2" pytest pyarrow "pandas<3" pyspark datatrove

# dolma's full dependency set makes pip's resolver backtrack for a long
# time; the tagger API only needs the wheel and the modules it imports.
step "dolma (optional: the dolma test skips if it does not import)"
if ! "$VENV/bin/python" -c "import dolma" 2>/dev/null; then
    timeout 600 $PIP install -q --disable-pip-version-check --no-deps dolma \
        && timeout 600 $PIP install -q --disable-pip-version-check msgspec necessary smart_open \
            platformdirs nltk uniseg zstandard omegaconf anyascii tokenizers urllib3 fasttext \
        || echo "ci-python: dolma did not install; its adapter test will be skipped"
fi

step "unspin binary (release)"
timeout 1800 cargo build --release -q -p unspin-cli
export UNSPIN_BIN="$TARGET/release/unspin"

step "wheel (maturin, abi3)"
rm -rf "$TARGET/wheels-ci"
(cd bindings/python && CARGO_TARGET_DIR="$TARGET" timeout 1800 "$VENV/bin/maturin" build --release -q \
    -i "$VENV/bin/python" -o "$TARGET/wheels-ci")
$PIP install -q --disable-pip-version-check --force-reinstall --no-deps "$TARGET"/wheels-ci/unspin-*.whl

step "pytest"
export PYSPARK_PYTHON="$VENV/bin/python"
# run from outside the source tree so the installed wheel is what is tested
cd "$TARGET"
timeout 1200 "$VENV/bin/python" -m pytest -q -p no:cacheprovider \
    "$ROOT/bindings/python/tests" "$ROOT/spark/test_scan_job.py"
