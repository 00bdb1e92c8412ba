#!/usr/bin/env bash
# The semantic-hash search benchmark on real codes (docs/benchmarks.md, "Semantic-hash search on
# real codes"): encodes the distinct sentences of Brown and the Debian descriptions once with the
# shipped default model (cached in runs/minilm-gaussian64-codes.tsv; ~75k sentences, about 5 ms
# each on one thread), then measures the durable index, in-memory multi-index hashing and the
# linear scan on 1M and 10M codes in one JVM, one query thread. Indexes are built under
# runs/bench-index/real-N (about 2.2 GB at 10M) and reused by a rerun with the same settings.
#
# Usage: scripts/bench-index-real.sh [sizes, default 1000000,10000000] [extra index bench options]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sizes="${1:-1000000,10000000}"
shift || true
cd "$root"
for f in data/brown/train.tsv data/debian/train.tsv; do
  [ -f "$f" ] || { echo "missing $f: run scripts/fetch-brown.sh and scripts/fetch-debian.sh first" >&2; exit 1; }
done
mkdir -p runs/bench-index
LATENT_NLP_JAVA_OPTS="${LATENT_NLP_JAVA_OPTS:--Xmx8g}" bin/latent-nlp index bench \
  --real runs/minilm-gaussian64-codes.tsv \
  --corpus data/brown/train.tsv,data/brown/valid.tsv,data/brown/test.tsv,data/debian/train.tsv,data/debian/valid.tsv,data/debian/test.tsv \
  --sizes "$sizes" --queries 1000 --flips 3 --sentences-per-text 10 --scratch runs/bench-index "$@"
