#!/usr/bin/env bash
# Trains the four models of docs/results.md on Brown (scripts/fetch-brown.sh first), one after
# the other, into runs/results/<name>: the LSTM language model, a vanilla VAE (beta = 1 from the
# start, no free bits), KL annealing only, and encoder pretraining + annealing + free bits.
# Each run prints its validation and test tables to runs/results/<name>.out.
#
# Usage: scripts/results-gaussian.sh [extra train options ...]   (e.g. --epochs 1 for a quick look)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cli="${LATENT_NLP:-$root/bin/latent-nlp}"   # unquoted when run: may be a command with arguments
data="$root/data/brown"
out="$root/runs/results"
mkdir -p "$out"
common=(--train "$data/train.tsv" --valid "$data/valid.tsv" --test "$data/test.tsv"
        --vocab-size 8000 --embedding-dim 128 --hidden-dim 256 --latent-dim 32 --batch-size 32
        --eval-samples 5 --test-samples 50 --seed 42)
steps_per_epoch=1426   # ceil(45608 / 32)

source "$root/scripts/lib/train-run.sh"
run() { train_run "$@" "${EXTRA[@]}"; }

EXTRA=("$@")
run vae-vanilla   --epochs 2
run vae-pretrain-fb --pretrain-epochs 1 --epochs 2 --anneal-steps "$steps_per_epoch" --beta-start 0.1 --free-bits 0.5
run vae-anneal    --epochs 2 --anneal-steps "$steps_per_epoch" --beta-start 0.1
run lstm-lm       --model lm --epochs 2
echo "all runs done: $out" >&2
