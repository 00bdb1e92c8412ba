#!/usr/bin/env bash
# The quickest real demo, until shipped default models exist: builds the project, fetches the
# Brown corpus, trains a small Gaussian sentence VAE with DJL for a few minutes (encoder
# pretraining, then KL annealing and free bits), exports it to ONNX, and evaluates the bundle on
# Brown test with ONNX Runtime. The metric table goes to stdout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
[ -f data/brown/test.tsv ] || scripts/fetch-brown.sh
rm -rf runs/demo
bin/latent-nlp train --train data/brown/train.tsv --valid data/brown/valid.tsv \
  --run-dir runs/demo --name brown-demo --max-sentences 8000 \
  --vocab-size 5000 --embedding-dim 64 --hidden-dim 128 --latent-dim 16 \
  --pretrain-epochs 1 --epochs 1 --anneal-steps 150 --beta-start 0.1 --free-bits 0.25 \
  --eval-samples 2 > /dev/null
bin/latent-nlp eval --model runs/demo/brown-demo.vae --corpus data/brown/test.tsv --iw-samples 10
