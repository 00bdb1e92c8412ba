#!/usr/bin/env bash
# The generation outputs of docs/results.md: every generation command on the shipped models,
# printed with the command line before its output. Seeded, so a rerun prints the same text.
#
# Usage: scripts/generation-examples.sh [MODEL ...]   (default: brown-bernoulli64 brown-gaussian32)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cli="${LATENT_NLP:-bin/latent-nlp}"
a="The jury said it did not find any evidence ."
b="She smiled and walked into the kitchen ."
show() {
  local line="\$ latent-nlp"
  for arg in "$@"; do
    if [[ "$arg" == *" "* ]]; then line+=" \"$arg\""; else line+=" $arg"; fi
  done
  echo "$line"
  $cli "$@"
}
for m in "${@:-brown-bernoulli64 brown-gaussian32}"; do
  for model in $m; do
    show sample -m "$model" -n 5
    show sample -m "$model" -n 5 --decode sample --top-p 0.9
    show reconstruct -m "$model" "$a" "$b"
    show reconstruct -m "$model" "$a" --decode beam --beam 5
    show interpolate -m "$model" "$a" "$b" --steps 5
    show neighbours -m "$model" "$a" -n 4
    echo
  done
done
