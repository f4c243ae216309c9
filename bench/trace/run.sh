#!/usr/bin/env bash
# Trace benchmark: unspin vs MinHash-LSH (datatrove defaults) vs BM25.
# Usage: bench/trace/run.sh            # 10,000 documents, 100 sources (a few minutes)
#        bench/trace/run.sh --full     # 100,000 documents, 500 sources
#        bench/trace/run.sh --docs N --queries N --seed N --work DIR
# Needs ../shared/data (BBC and CSAbstruct); prints "skipped" without it.
set -euo pipefail
cd "$(dirname "$0")/../.."
exec cargo bench -p unspin-index --bench trace -- "$@"
