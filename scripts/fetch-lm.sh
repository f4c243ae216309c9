#!/usr/bin/env bash
# Fetches the CMU Sphinx US English trigram language model (Debian package
# `pocketsphinx-en-us`, BSD-2 licence) and prints the path of en-us.lm.bin.
#
# Usage: scripts/fetch-lm.sh [CACHE_DIR]   (default: target/model-src)
#
# Layout (shared with scripts/build-model.sh): the .deb goes to
# CACHE_DIR/debs, its files are unpacked under CACHE_DIR/root.
#
# Idempotent: when the model is already unpacked in CACHE_DIR, it only
# prints the path. Otherwise it runs `apt-get download` (after
# `apt-get update` if apt does not know the package) and `dpkg -x`.
# Needs apt-get and dpkg (Debian/Ubuntu); no root rights unless the apt
# lists must be updated. Read it with
# `unspin_core::train::sphinx::read_sphinx_trie`.
set -euo pipefail

PKG=pocketsphinx-en-us
REL=usr/share/pocketsphinx/model/en-us/en-us.lm.bin
CACHE=${1:-target/model-src}

mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
LM="$CACHE/root/$REL"
STAMP="$CACHE/.$PKG.complete"

if [[ -s "$LM" && -e "$STAMP" ]]; then
    echo "$LM"
    exit 0
fi

for tool in apt-get apt-cache dpkg; do
    command -v "$tool" >/dev/null || { echo "fetch-lm: $tool not found (a Debian or Ubuntu system is needed)" >&2; exit 2; }
done

as_root() {
    if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "fetch-lm: need root to run: $*" >&2; return 1; fi
}

if ! apt-cache show "$PKG" >/dev/null 2>&1; then
    echo "fetch-lm: apt does not know $PKG; running apt-get update" >&2
    as_root apt-get update -qq >&2
fi

work=$(mktemp -d "$CACHE/.fetch.XXXXXX")
chmod 755 "$work" # readable by apt's sandbox user
trap 'rm -rf "$work"' EXIT
(cd "$work" && timeout 600 apt-get download -qq "$PKG" >&2)
deb=$(ls "$work"/"$PKG"_*.deb 2>/dev/null | head -n 1)
[[ -n "$deb" ]] || { echo "fetch-lm: apt-get download produced no .deb" >&2; exit 1; }
dpkg -x "$deb" "$work/root"
[[ -s "$work/root/$REL" ]] || { echo "fetch-lm: $REL missing from $(basename "$deb")" >&2; exit 1; }
# The stamp is written last, so an interrupted run is redone next time.
rm -f "$STAMP"
mkdir -p "$CACHE/root" "$CACHE/debs"
cp -a "$work/root/." "$CACHE/root/"
cp "$deb" "$CACHE/debs/"
touch "$STAMP"
echo "$LM"
