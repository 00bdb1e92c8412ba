#!/usr/bin/env bash
# Measures the semantic-codes ablation (scripts/ablation-semantic.sh) and prints its table for
# docs/results.md: per finished run, test IW-NLL (K=20, DJL at the end of training), KL, MI and
# active units from summary.json; precision@100 (sentence level; document level too on Brown),
# length Spearman and distinct share of its own 64-bit hash from `latent-nlp eval-hash`; and, when
# RUN/NAME-itq.vae exists (`latent-nlp rehash`), the same for ITQ bits over its posterior means.
# Baselines in the same table: TF-IDF SimHash, random bits, LSH and ITQ over the backbone.
# Writes runs/ablation-CORPUS/hash-*.json; needs jq.
#
# Usage: scripts/results-semantic.sh CORPUS [RUNS]   (brown or debian; RUNS default runs/ablation-CORPUS)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cli="${LATENT_NLP:-bin/latent-nlp}"
corpus="${1:?usage: scripts/results-semantic.sh brown|debian}"
command -v jq >/dev/null || { echo "results-semantic.sh: jq is needed (apt-get install jq)" >&2; exit 1; }
data="data/$corpus"
out="${2:-runs/ablation-$corpus}"
levels=sentence
[ "$corpus" = brown ] && levels=sentence,document
hash_eval() { # NAME [eval-hash options...]
  local name="$1"; shift
  [ -f "$out/hash-$name.json" ] && return
  $cli eval-hash --train "$data/train.tsv" --test "$data/test.tsv" --bits 64 --level "$levels" --threads 1 \
    --feature-cache runs/features --json "$out/hash-$name.json" "$@" > /dev/null 2> "$out/hash-$name.log"
}
hash_eval baselines
for run in "$out"/*/; do
  name=$(basename "$run")
  [ -f "$run/summary.json" ] && [ -f "$run/$name.vae" ] || continue
  hash_eval "$name" -m "$run/$name.vae" --no-baselines
  [ -f "$run/$name-itq.vae" ] && hash_eval "$name-itq" -m "$run/$name-itq.vae" --no-baselines
done

lm=$(jq -r '.metrics["test.iw_nll"] // empty' "$out/lm/summary.json" 2>/dev/null || true)
cell() { # FILE LEVEL FIELD
  jq -r --arg l "$2" --arg f "$3" '[.rows[] | select(.level == $l)][0] |
    if $f == "p" then (.precision * 100 * 100 | round / 100) elif $f == "rho" then (.structure.lengthSpearman * 1000 | round / 1000)
    else (.structure.distinctShare * 1000 | round / 1000) end' "$1"
}
echo "| run | IW-NLL (LM ${lm:-n/a}) | KL | MI | AU | P@100 sentence | P@100 document | length Spearman | distinct |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for f in "$out"/hash-*.json; do
  name=$(basename "$f" .json); name=${name#hash-}
  [ "$name" = baselines ] && continue
  run="$out/${name%-itq}"
  m=$(jq -r '.metrics | "\(.["test.iw_nll"]*100|round/100) | \(.["test.kl"]*100|round/100) | \(.["test.mi"]*100|round/100) | \(.["test.au"])"' "$run/summary.json")
  doc="-"; [ "$corpus" = brown ] && doc=$(cell "$f" document p)
  echo "| $name | $m | $(cell "$f" sentence p) | $doc | $(cell "$f" sentence rho) | $(cell "$f" sentence d) |"
done
jq -r --arg c "$corpus" '.rows[] | select(.level == "sentence") | "| \(.family) | - | - | - | - | \(.precision*10000|round/100) | \(if $c == "brown" then "see JSON" else "-" end) | \(.structure.lengthSpearman*1000|round/1000) | \(.structure.distinctShare*1000|round/1000) |"' "$out/hash-baselines.json"
