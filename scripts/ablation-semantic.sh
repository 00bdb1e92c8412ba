#!/usr/bin/env bash
# The semantic-codes ablation (docs/results.md): 64-bit Bernoulli hash models on one corpus, same
# seed and budget (one epoch of encoder pretraining, then three epochs with KL annealing 0.1 -> 1
# over the first and free bits 0.3 nats/bit), differing in what pushes content into z:
#   lstm        today's recipe (the shipped brown-bernoulli64's)
#   lstm-wd     + word dropout 0.3 on the decoder's input (Bowman et al. 2016)
#   lstm-bow    + bag-of-words loss, weight 1 (Zhao et al. 2017)
#   pre         pretrained encoder: frozen all-MiniLM-L6-v2 + trained head
#   pre-bow     pretrained encoder + bag-of-words loss
#   pre-bow-g64 the same with a 64-dimensional Gaussian latent (free bits 0.5 nats/dimension)
#   pre-fb6     pretrained encoder, free bits 0.6 nats/bit (near log 2: a bit may be almost
#               deterministic before the KL costs anything)
#   pre-bow-fb6 pretrained encoder + bag-of-words loss, free bits 0.6
#   pre-bow5    pretrained encoder + bag-of-words loss of weight 5, free bits 0.6
#   pre-bow20   pretrained encoder + bag-of-words loss of weight 20, free bits 0.6
#   pre-bow5-g64 Gaussian 64, pretrained encoder + bag-of-words loss of weight 5, free bits 0.5
#   pre-bow-g64-fb1 Gaussian 64, pretrained encoder + bag-of-words loss, free bits 1.0
#   lm          the LSTM language model, four epochs (same passes)
# Corpora: brown (scripts/fetch-brown.sh) or debian (scripts/fetch-debian.sh). Runs go to
# runs/ablation-CORPUS/NAME; finished runs are skipped, unfinished ones resume. Run two at a time
# with OMP_NUM_THREADS=1 on 2 cores.
#
# SEED=N (default 42) trains with another seed into runs/ablation-CORPUS-sN (the seed spread).
#
# Usage: [OMP_NUM_THREADS=1] [SEED=N] scripts/ablation-semantic.sh CORPUS [VARIANT ...]   (default: all)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cli="${LATENT_NLP:-bin/latent-nlp}"
corpus="${1:?usage: scripts/ablation-semantic.sh brown|debian [variant ...]}"; shift
case "$corpus" in brown|debian) ;; *) echo "unknown corpus $corpus (brown, debian)" >&2; exit 2 ;; esac
data="data/$corpus"
[ -f "$data/train.tsv" ] || { echo "no $data/train.tsv: run scripts/fetch-$corpus.sh first" >&2; exit 1; }
seed="${SEED:-42}"
out="runs/ablation-$corpus"
[ "$seed" = 42 ] || out="$out-s$seed"
mkdir -p "$out"
batch=64
steps=$(( ($(wc -l < "$data/train.tsv") + batch - 1) / batch ))   # one epoch of steps
common=(--train "$data/train.tsv" --valid "$data/valid.tsv" --test "$data/test.tsv"
        --vocab-size 6000 --embedding-dim 128 --hidden-dim 128 --batch-size "$batch"
        --eval-samples 5 --test-samples 20 --seed "$seed")
vae=(--pretrain-epochs 1 --epochs 3 --anneal-steps "$steps" --beta-start 0.1)
b64=(--model bernoulli --latent-dim 64 --free-bits 0.3)
pre=(--encoder pretrained --feature-cache "runs/ablation-$corpus/features")

source scripts/lib/train-run.sh

for v in "${@:-lstm lstm-wd lstm-bow pre pre-bow pre-bow-g64 lm}"; do
  for w in $v; do
    case "$w" in
      lstm)        train_run lstm "${vae[@]}" "${b64[@]}" ;;
      lstm-wd)     train_run lstm-wd "${vae[@]}" "${b64[@]}" --word-dropout 0.3 ;;
      lstm-bow)    train_run lstm-bow "${vae[@]}" "${b64[@]}" --bow-weight 1 ;;
      pre)         train_run pre "${vae[@]}" "${b64[@]}" "${pre[@]}" ;;
      pre-bow)     train_run pre-bow "${vae[@]}" "${b64[@]}" "${pre[@]}" --bow-weight 1 ;;
      pre-bow-g64) train_run pre-bow-g64 "${vae[@]}" --model gaussian --latent-dim 64 --free-bits 0.5 "${pre[@]}" --bow-weight 1 ;;
      pre-fb6)     train_run pre-fb6 "${vae[@]}" --model bernoulli --latent-dim 64 --free-bits 0.6 "${pre[@]}" ;;
      pre-bow-fb6) train_run pre-bow-fb6 "${vae[@]}" --model bernoulli --latent-dim 64 --free-bits 0.6 "${pre[@]}" --bow-weight 1 ;;
      pre-bow5)    train_run pre-bow5 "${vae[@]}" --model bernoulli --latent-dim 64 --free-bits 0.6 "${pre[@]}" --bow-weight 5 ;;
      pre-bow20)   train_run pre-bow20 "${vae[@]}" --model bernoulli --latent-dim 64 --free-bits 0.6 "${pre[@]}" --bow-weight 20 ;;
      pre-bow5-g64) train_run pre-bow5-g64 "${vae[@]}" --model gaussian --latent-dim 64 --free-bits 0.5 "${pre[@]}" --bow-weight 5 ;;
      pre-bow-g64-fb1) train_run pre-bow-g64-fb1 "${vae[@]}" --model gaussian --latent-dim 64 --free-bits 1.0 "${pre[@]}" --bow-weight 1 ;;
      lm)          train_run lm --model lm --epochs 4 ;;
      *) echo "unknown variant $w" >&2; exit 2 ;;
    esac
  done
done
