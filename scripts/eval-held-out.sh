#!/usr/bin/env bash
# The held-out-domain protocol of docs/results.md ("Held-out-domain protocol"): for each labelled
# corpus in turn, hashes fitted without it against ITQ fitted on its own training split, for every
# known backbone (all-MiniLM-L6-v2, bge-small-en-v1.5, e5-small-v2, int8) and the shipped
# minilm-gaussian64 and minilm-lstm64 bundles. Sentence level, precision@100 by label, 64 bits,
# every fit on at most 20,000 sentences (the issue's measurement fitted on 20,000); references:
# LSH-64, TF-IDF SimHash-64, random bits (`-- --cosine` adds float cosine, a full scan;
# `-- --wide-bits 128` adds ITQ-128 both ways, four times the fitting time of 64).
#
# Corpora: data/brown (scripts/fetch-brown.sh), data/debian (scripts/fetch-debian.sh) and, when it
# is there, data/debtags (scripts/fetch-debtags.sh); or the directories given. Each needs train.tsv
# and test.tsv ("doc TAB label TAB tokens"). Backbone embeddings are cached in runs/feature-cache
# (each text embedded once per backbone: for the three corpora about 4 minutes of an idle core for
# MiniLM, 6-7 for bge and e5; far longer on a loaded machine). Writes runs/held-out/table.md, .json, .log.
#
# Usage: scripts/eval-held-out.sh [--threads N] [--out DIR] [DIR DIR ...] [-- extra eval-hash options ...]
#   --out DIR     where the table, JSON and log go (default runs/held-out)
#   --no-bundles  measure the backbones only (e.g. one run per backbone in parallel:
#                 --out runs/held-out-bge --no-bundles -- --backbones bge-small-en-v1.5-q)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cli="${LATENT_NLP:-$root/bin/latent-nlp}"
out="$root/runs/held-out"
threads=1
dirs=()
extra=()
bundles=(-m minilm-gaussian64 -m minilm-lstm64)
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --no-bundles) bundles=(); shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    -*) echo "eval-held-out.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
    *) dirs+=("$1"); shift ;;
  esac
done
if [ ${#dirs[@]} -eq 0 ]; then
  for c in brown debian debtags; do
    if [ -f "$root/data/$c/train.tsv" ] && [ -f "$root/data/$c/test.tsv" ]; then dirs+=("$root/data/$c"); fi
  done
fi
if [ ${#dirs[@]} -lt 2 ]; then
  echo "eval-held-out.sh: needs at least 2 labelled corpora, found ${#dirs[@]} (${dirs[*]:-none}); run scripts/fetch-brown.sh and scripts/fetch-debian.sh" >&2
  exit 1
fi
mkdir -p "$out"
held=$(IFS=,; echo "${dirs[*]}")
for d in "${dirs[@]}"; do sha256sum "$d/train.tsv" "$d/test.tsv"; done > "$out/corpora.sha256"
set -x
"$cli" eval-hash --held-out "$held" "${bundles[@]}" --bits 64 -k 100 --fit-sample 20000 \
  --feature-cache "$root/runs/feature-cache" --threads "$threads" --seed 42 --json "$out/table.json" "${extra[@]}" \
  > "$out/table.md" 2> "$out/run.log"
