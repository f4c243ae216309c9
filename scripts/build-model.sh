#!/usr/bin/env bash
# Builds the built-in model, model/default.unspin.zst, reproducibly from
# registry-packaged data only (Debian packages; versions and licences in
# model/SOURCES.md):
#   pocketsphinx-en-us  CMU's US-English trigram language model (BSD-2)
#   mythes-en-us        the MyThes English thesaurus, from WordNet 3.0
#   wordnet-base        WordNet 3.0 irregular inflections (*.exc)
# the Moby thesaurus from the crates.io package thesaurus-moby (public
# domain data, MIT crate), plus model/swaps.tsv (our own list) and
# model/params.json.
# Usage: scripts/build-model.sh [CACHE_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${1:-target/model-src}"
mkdir -p "$cache/debs" "$cache/root"
packages=(pocketsphinx-en-us mythes-en-us wordnet-base)
(
  cd "$cache/debs"
  if ! apt-get download "${packages[@]}" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null
    apt-get download "${packages[@]}"
  fi
)
for deb in "$cache"/debs/*.deb; do
  dpkg -x "$deb" "$cache/root"
  dpkg-deb -f "$deb" Package Version | paste -sd' ' -
done
root="$cache/root/usr/share"
cargo run --release -q --manifest-path tools/moby-export/Cargo.toml -- "$cache/moby.txt"
cargo run --release -q -p unspin-cli -- train \
  --sphinx-lm "$root/pocketsphinx/model/en-us/en-us.lm.bin" \
  --mythes "$root/mythes/th_en_US_v2.dat" \
  --moby "$cache/moby.txt" --moby-keep 1000 \
  --wordnet "$root/wordnet" \
  --swaps model/swaps.tsv \
  --params model/params.json --max-synonyms 400 \
  -o model/default.unspin.zst
ls -l model/default.unspin.zst
