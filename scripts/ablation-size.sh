#!/usr/bin/env bash
# What the size choices of the shipped Bernoulli bundle cost (docs/models.md): the same recipe as
# results-hash.sh's bernoulli64 (one epoch of encoder pretraining, one of annealing with free bits
# 0.3, normalizer v2) with one change each, into runs/ablation/<name>:
#   base        vocabulary 6000, embedding = LSTM = 128, untied
#   repro       base again, same seed: how exactly a run reproduces
#   seed43/44   base with seeds 43 and 44: how much runs differ by seed alone
#   tied        base with --tie-embeddings
#   vocab10k    vocabulary 10000, tied
#   small       embedding = LSTM = 64, untied
# Then `latent-nlp eval-hash -m runs/ablation/NAME/NAME.vae --bits 64 -k 100` gives precision@100. About 20 minutes per run with
# OMP_NUM_THREADS=1 (two runs at once on 2 cores). Finished runs are skipped.
#
# Usage: [OMP_NUM_THREADS=1] scripts/ablation-size.sh [base|repro|seed43|seed44|tied|vocab10k|small ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cli="${LATENT_NLP:-bin/latent-nlp}"
out=runs/ablation
mkdir -p "$out"
common=(--train data/brown/train.tsv --valid data/brown/valid.tsv --test data/brown/test.tsv
        --model bernoulli --latent-dim 64 --free-bits 0.3 --batch-size 64
        --pretrain-epochs 1 --epochs 1 --anneal-steps 713 --beta-start 0.1
        --eval-samples 2 --test-samples 5)
base=(--vocab-size 6000 --embedding-dim 128 --hidden-dim 128)

source scripts/lib/train-run.sh

for w in "${@:-base repro seed43 seed44 tied vocab10k small}"; do
  for v in $w; do
    case "$v" in
      base)     train_run base "${base[@]}" --seed 42 ;;
      repro)    train_run repro "${base[@]}" --seed 42 ;;
      seed43)   train_run seed43 "${base[@]}" --seed 43 ;;
      seed44)   train_run seed44 "${base[@]}" --seed 44 ;;
      tied)     train_run tied "${base[@]}" --tie-embeddings --seed 42 ;;
      vocab10k) train_run vocab10k --vocab-size 10000 --embedding-dim 128 --hidden-dim 128 --tie-embeddings --seed 42 ;;
      small)    train_run small --vocab-size 6000 --embedding-dim 64 --hidden-dim 64 --seed 42 ;;
      *) echo "unknown run $v (base, repro, seed43, seed44, tied, vocab10k, small)" >&2; exit 2 ;;
    esac
  done
done
