#!/usr/bin/env bash
# Trains the bundles shipped in models/src/main/resources (docs/models.md): a Gaussian VAE with
# 32 dimensions, a Bernoulli VAE with 64 bits, and the LSTM language model they are compared
# with, on Brown (scripts/fetch-brown.sh first), into runs/shipped/<name>. Recipe: one epoch of
# encoder pretraining, then three epochs with KL annealing over the first (beta 0.1 -> 1) and free
# bits; the language model trains four epochs (the same number of passes). Run from the project
# root: the paths in each bundle's recorded command are relative to it.
# With OMP_NUM_THREADS=1 the three runs can go in parallel (65 minutes on 2 cores, measured).
# Finished runs are skipped; unfinished ones resume from their checkpoint.
#
# Usage: [OMP_NUM_THREADS=1] scripts/train-shipped.sh [gaussian32|bernoulli64|lm ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cli="${LATENT_NLP:-bin/latent-nlp}"
out=runs/shipped
mkdir -p "$out"
common=(--train data/brown/train.tsv --valid data/brown/valid.tsv --test data/brown/test.tsv
        --vocab-size 6000 --embedding-dim 128 --hidden-dim 128 --batch-size 64
        --eval-samples 5 --test-samples 20 --seed 42)
vae=(--pretrain-epochs 1 --epochs 3 --anneal-steps 713 --beta-start 0.1)

source scripts/lib/train-run.sh

for which in "${@:-gaussian32 bernoulli64 lm}"; do
  for w in $which; do
    case "$w" in
      gaussian32)  train_run brown-gaussian32 --model gaussian "${vae[@]}" --latent-dim 32 --free-bits 0.5 ;;
      bernoulli64) train_run brown-bernoulli64 --model bernoulli "${vae[@]}" --latent-dim 64 --free-bits 0.3 ;;
      lm)          train_run brown-lm --model lm --epochs 4 ;;
      *) echo "unknown model $w (gaussian32, bernoulli64, lm)" >&2; exit 2 ;;
    esac
  done
done
