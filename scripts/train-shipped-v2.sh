#!/usr/bin/env bash
# Trains the semantic default model shipped in models/src/main/resources (docs/models.md) and the
# language model it is compared with, on Brown plus the Debian topical benchmark
# (scripts/fetch-brown.sh and scripts/fetch-debian.sh first), into runs/shipped-v2/<name>:
#   minilm-gaussian64  the pretrained encoder family (frozen all-MiniLM-L6-v2, head trained here),
#                      a 64-dimensional Gaussian latent with free bits 0.5 nats/dimension and the
#                      bag-of-words loss (weight BOW, default 5); one epoch of encoder pretraining,
#                      then three epochs with KL annealing 0.1 -> 1 over the first. Its hash is
#                      then refitted as ITQ over the posterior means of the training sentences
#                      (latent-nlp rehash) -> runs/shipped-v2/minilm-gaussian64.vae
#   lm                 the LSTM language model on the same data, vocabulary and passes (4 epochs)
#   minilm-gaussian64-fb2  the same with free bits 0.2 nats/dimension (less free KL, closer to the LM)
#   gaussian64-lminit  the pretrained-encoder VAE with its decoder started from the trained `lm`
#                      (--init-decoder: z's weights at zero, so it starts at the LM's likelihood),
#                      free bits FB (default 0.1), bag-of-words weight BOW (default 1), EPOCHS
#                      (default 3) epochs, KL annealing 0.1 -> 1 over the first, no encoder
#                      pretraining -> minilm-gaussian64-lminit-fbFB-bowBOW
#   gaussian64-aligned the same start from `lm`, no free bits and no bag-of-words loss, but the
#                      alignment loss (weight ALIGN, default 20): posterior means pulled towards
#                      SCALE (default 0.5) times the MiniLM embedding's top 64 principal components,
#                      so the code keeps MiniLM's geometry (and ITQ-over-MiniLM's retrieval) at a
#                      KL of about 64 x SCALE^2 / 2 nats -> minilm-gaussian64-aligned-wALIGN-sSCALE
#   lm-continued       the same-run baseline for it: `lm` trained EPOCHS more epochs (fresh Adam,
#                      as the VAE's), so both decoders have seen the data equally often
# UNITS=wordpiece trains with an open vocabulary (8,000 word pieces of MiniLM's WordPiece
# vocabulary, sentences up to 80 pieces) into runs/shipped-v3 instead; the LM then uses the same
# word pieces. SAMPLED=N (with UNITS=wordpiece) trains every run with --sampled-softmax N into
# runs/shipped-v4. PROSE=1 adds the public-domain prose of scripts/fetch-prose.sh (State of the
# Union addresses and Moby-Dick, fetched with --max-sentences-per-source 20000) to the training,
# validation and test data (data/brown-debian-prose; output directory suffixed -prose).
# DECODER=lstm-topic trains gaussian64-aligned with that decoder family (U z added to the logits;
# run name suffixed -lstm-topic). The recipe of the current default is
#   PROSE=1 DECODER=lstm-topic UNITS=wordpiece SAMPLED=1024 EPOCHS=8 scripts/train-shipped-v2.sh lm gaussian64-aligned lm-continued
# Run from the project root (the paths in the manifest's recorded command are relative to it).
# With OMP_NUM_THREADS=1 both runs can go in parallel. Finished runs are skipped; unfinished ones
# resume from their checkpoint.
#
# Usage: [OMP_NUM_THREADS=1] [BOW=5] [FB=0.1] [EPOCHS=3] [UNITS=words|wordpiece] scripts/train-shipped-v2.sh [gaussian64|gaussian64-fb2|lm|gaussian64-lminit|gaussian64-aligned|lm-continued ...]
#        [ALIGN=20] [SCALE=0.5] [SAMPLED=0] [PROSE=0|1] [DECODER=lstm|lstm-topic]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cli="${LATENT_NLP:-bin/latent-nlp}"
units="${UNITS:-words}"
case "$units" in
  words) out=runs/shipped-v2; tokens=(--units words) ;;
  wordpiece) out=runs/shipped-v3; tokens=(--units wordpiece --max-length 80)
    if [ "${SAMPLED:-0}" != 0 ]; then out=runs/shipped-v4; tokens+=(--sampled-softmax "$SAMPLED"); fi ;;
  *) echo "unknown UNITS=$units (words, wordpiece)" >&2; exit 2 ;;
esac
corpora=(brown debian)
data=data/brown-debian
if [ "${PROSE:-0}" = 1 ]; then corpora+=(prose); data=data/brown-debian-prose; out="$out-prose"; fi
decoder="${DECODER:-lstm}"
case "$decoder" in lstm) suffix="" ;; lstm-topic) suffix="-lstm-topic" ;; *) echo "unknown DECODER=$decoder (lstm, lstm-topic)" >&2; exit 2 ;; esac
mkdir -p "$out" "$data"
for split in train valid test; do
  for c in "${corpora[@]}"; do
    [ -f "data/$c/$split.tsv" ] || { echo "no data/$c/$split.tsv: run scripts/fetch-$c.sh first" >&2; exit 1; }
  done
  [ -f "$data/$split.tsv" ] || (for c in "${corpora[@]}"; do cat "data/$c/$split.tsv"; done) > "$data/$split.tsv"
done
batch=64
steps=$(( ($(wc -l < "$data/train.tsv") + batch - 1) / batch ))
common=(--train "$data/train.tsv" --valid "$data/valid.tsv" --test "$data/test.tsv"
        --vocab-size 8000 --embedding-dim 128 --hidden-dim 128 --batch-size "$batch"
        --eval-samples 5 --test-samples 20 --seed 42 "${tokens[@]}")
vae=(--pretrain-epochs 1 --epochs 3 --anneal-steps "$steps" --beta-start 0.1)

source scripts/lib/train-run.sh

for which in "${@:-gaussian64 lm}"; do
  for w in $which; do
    case "$w" in
      gaussian64)
        train_run minilm-gaussian64 --model gaussian --latent-dim 64 --free-bits 0.5 "${vae[@]}" \
          --encoder pretrained --feature-cache "$out/features" --bow-weight "${BOW:-5}"
        [ -f "$out/minilm-gaussian64.vae" ] || $cli rehash -m "$out/minilm-gaussian64/minilm-gaussian64.vae" --train "$data/train.tsv" \
          --name minilm-gaussian64 --out "$out/minilm-gaussian64.vae" --feature-cache "$out/features" ;;
      gaussian64-fb2)
        train_run minilm-gaussian64-fb2 --model gaussian --latent-dim 64 --free-bits 0.2 "${vae[@]}" \
          --encoder pretrained --feature-cache "$out/features" --bow-weight "${BOW:-5}"
        [ -f "$out/minilm-gaussian64-fb2.vae" ] || $cli rehash -m "$out/minilm-gaussian64-fb2/minilm-gaussian64-fb2.vae" --train "$data/train.tsv" \
          --name minilm-gaussian64 --out "$out/minilm-gaussian64-fb2.vae" --feature-cache "$out/features" ;;
      lm) train_run lm --model lm --epochs 4 ;;
      gaussian64-lminit)
        [ -f "$out/lm/summary.json" ] || { echo "gaussian64-lminit starts from $out/lm: train lm first" >&2; exit 1; }
        n="minilm-gaussian64-lminit-fb${FB:-0.1}-bow${BOW:-1}"
        train_run "$n" --model gaussian --latent-dim 64 --free-bits "${FB:-0.1}" --epochs "${EPOCHS:-3}" --anneal-steps "$steps" --beta-start 0.1 \
          --encoder pretrained --feature-cache "$out/features" --bow-weight "${BOW:-1}" --init-decoder "$out/lm"
        [ -f "$out/$n.vae" ] || $cli rehash -m "$out/$n/$n.vae" --train "$data/train.tsv" \
          --name minilm-gaussian64 --out "$out/$n.vae" --feature-cache "$out/features" ;;
      gaussian64-aligned)
        [ -f "$out/lm/summary.json" ] || { echo "gaussian64-aligned starts from $out/lm: train lm first" >&2; exit 1; }
        n="minilm-gaussian64-aligned-w${ALIGN:-20}-s${SCALE:-0.5}$suffix"
        train_run "$n" --model gaussian --latent-dim 64 --epochs "${EPOCHS:-3}" --anneal-steps "$steps" --beta-start 0.1 \
          --encoder pretrained --feature-cache "$out/features" --align-weight "${ALIGN:-20}" --align-scale "${SCALE:-0.5}" --init-decoder "$out/lm" \
          --decoder "$decoder"
        [ -f "$out/$n.vae" ] || $cli rehash -m "$out/$n/$n.vae" --train "$data/train.tsv" \
          --name minilm-gaussian64 --out "$out/$n.vae" --feature-cache "$out/features" ;;
      lm-continued)
        [ -f "$out/lm/summary.json" ] || { echo "lm-continued starts from $out/lm: train lm first" >&2; exit 1; }
        train_run lm-continued --model lm --epochs "${EPOCHS:-3}" --init-decoder "$out/lm" ;;
      *) echo "unknown model $w (gaussian64, gaussian64-fb2, lm, gaussian64-lminit, gaussian64-aligned, lm-continued)" >&2; exit 2 ;;
    esac
  done
done
