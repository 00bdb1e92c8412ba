#!/usr/bin/env bash
# Trains the models of the hash-quality table in docs/results.md on Brown (scripts/fetch-brown.sh
# first), one after the other, into runs/hash/<name>: Bernoulli (straight-through), categorical
# (straight-through Gumbel-softmax, K = 16, so 4 bits per group) and Gaussian (median-threshold
# bits) VAEs at 16, 32 and 64 bits. All use one epoch of encoder pretraining, then one epoch of
# KL annealing (beta 0.1 -> 1 over the epoch) with free bits: about 12 minutes per model on 2 cores.
# Validation and test use few importance samples (K = 2 and 5): these runs are for the hash
# table; `latent-nlp eval -k 100` gives a tighter IW-NLL of any bundle afterwards.
# Finished runs are skipped; unfinished ones resume from their checkpoint. Several copies may run
# at once (each claims a model before training it); on 2 cores, two copies with
# OMP_NUM_THREADS=1 finish sooner than one with both threads.
#
# Usage: [OMP_NUM_THREADS=1] scripts/results-hash.sh [extra train options ...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cli="${LATENT_NLP:-$root/bin/latent-nlp}"
data="$root/data/brown"
out="$root/runs/hash"
mkdir -p "$out"
steps_per_epoch=713   # ceil(45608 / 64)
common=(--train "$data/train.tsv" --valid "$data/valid.tsv" --test "$data/test.tsv"
        --vocab-size 6000 --embedding-dim 128 --hidden-dim 128 --batch-size 64
        --pretrain-epochs 1 --epochs 1 --anneal-steps "$steps_per_epoch" --beta-start 0.1
        --eval-samples 2 --test-samples 5 --seed 42)

run() {
  local name="$1"; shift
  if [ -f "$out/$name/summary.json" ]; then echo "$name: done already" >&2; return; fi
  # claim the model: a claim whose process is gone is taken over
  local claim="$out/$name.claim"
  if ! mkdir "$claim" 2>/dev/null; then
    if kill -0 "$(cat "$claim/pid" 2>/dev/null)" 2>/dev/null; then echo "$name: another copy is training it" >&2; return; fi
  fi
  echo $$ > "$claim/pid"
  local resume=()
  [ -d "$out/$name/checkpoint" ] && resume=(--resume)
  echo "== $name $(date -u +%H:%M:%S) ==" >&2
  "$cli" train "${common[@]}" --run-dir "$out/$name" --name "$name" "$@" "${resume[@]}" "${EXTRA[@]}" > "$out/$name.out"
  rm -rf "$claim"
}

EXTRA=("$@")
for bits in 64 32 16; do
  run "bernoulli$bits" --model bernoulli --latent-dim "$bits" --free-bits 0.3
  run "categorical$bits" --model categorical --latent-dim $((bits / 4)) --categories 16 --estimator st-gumbel --free-bits 1.0
  run "gauss$bits" --model gaussian --latent-dim "$bits" --free-bits 0.5
done
echo "all runs done: $out" >&2
