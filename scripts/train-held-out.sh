#!/usr/bin/env bash
# Models trained on text none of the labelled corpora come from, for the held-out-domain protocol
# (docs/results.md, "A neighbourhood-preserving hash"): one model is then held out from Brown,
# Debian synopses and debtags at once, so its hash as trained is measured on each of them against
# ITQ fitted on that corpus's own training split (scripts/eval-held-out.sh).
#
# Data: data/broad-heldout, every 10th training sentence (every 10th of valid and test) of
# data/broad (scripts/fetch-broad.sh) without its `brown` and `debian-descriptions` sources:
# 76,971 / 8,191 / 9,517 sentences of Debian manuals, man pages, info manuals, mail, State of the
# Union addresses and Moby-Dick.
# Runs (into runs/held-out-models, each resumable; a finished one is skipped):
#   lm        the LSTM language model, 4 epochs (the decoders start from it)
#   aligned   the default's recipe: posterior mean pulled to 0.5 x MiniLM's principal components
#             (--align-weight 20), lstm-topic decoder from `lm`, 8 epochs; median-threshold hash
#   aligned-itq  `aligned` rehashed: ITQ over its means fitted on its training text (the
#             default's hash); the ablation's "alignment + ITQ"
#   aligned128, aligned128-itq  the same at 128 dimensions and 128 bits
#   neighbor  the same with the neighbourhood-preserving loss instead of alignment
#             (--neighbor-weight 5; NEIGHBOR_WEIGHT= sets it: at 20 the encoder's gradients became NaN in epoch 1); its hash is the signs of its means against their medians
#   lm-continued  `lm` trained 8 epochs more: the same-run baseline of the VAEs' decoders
# Then scripts/eval-held-out.sh --out runs/held-out-models/eval -m BUNDLE ... measures them.
#
# Usage: [OMP_NUM_THREADS=1] scripts/train-held-out.sh [lm|aligned|aligned-itq|aligned128|aligned128-itq|neighbor|lm-continued ...]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
case "${1:-}" in -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;; esac
cli="${LATENT_NLP:-bin/latent-nlp}"
out=runs/held-out-models
data=data/broad-heldout
[ -f data/broad/train.tsv ] || { echo "train-held-out.sh: no data/broad/train.tsv: run scripts/fetch-broad.sh first" >&2; exit 1; }
mkdir -p "$out" "$data"
for split in train valid test; do
  k=10
  [ -f "$data/$split.tsv" ] || awk -F'\t' -v k=$k '$2 != "brown" && $2 != "debian-descriptions" { if (n++ % k == 0) print }' \
    "data/broad/$split.tsv" > "$data/$split.tsv"
done
sha256sum "$data"/*.tsv
batch=64
steps=$(( ($(wc -l < "$data/train.tsv") + batch - 1) / batch ))
common=(--train "$data/train.tsv" --valid "$data/valid.tsv" --test "$data/test.tsv"
        --vocab-size 8000 --embedding-dim 128 --hidden-dim 128 --batch-size "$batch" --eval-samples 5 --test-samples 20 --seed 42
        --units wordpiece --max-length 80 --sampled-softmax 1024)
vae=(--model gaussian --epochs 8 --anneal-steps "$steps" --beta-start 0.1 --encoder pretrained
     --feature-cache "$out/features" --init-decoder "$out/lm" --decoder lstm-topic)
source scripts/lib/train-run.sh
need_lm() { [ -f "$out/lm/summary.json" ] || { echo "$1 starts from $out/lm: train lm first" >&2; exit 1; }; }
for which in "${@:-lm aligned aligned-itq aligned128 aligned128-itq neighbor lm-continued}"; do
  for w in $which; do
    case "$w" in
      lm) train_run lm --model lm --epochs 4 ;;
      aligned) need_lm aligned; train_run aligned "${vae[@]}" --latent-dim 64 --align-weight 20 --align-scale 0.5 ;;
      aligned128) need_lm aligned128; train_run aligned128 "${vae[@]}" --latent-dim 128 --align-weight 20 --align-scale 0.5 ;;
      aligned-itq|aligned128-itq)
        m="${w%-itq}"
        [ -f "$out/$m/$m.vae" ] || { echo "$w rehashes $out/$m: train $m first" >&2; exit 1; }
        [ -f "$out/$w.vae" ] || $cli rehash -m "$out/$m/$m.vae" --train "$data/train.tsv" --name "$w" \
          --out "$out/$w.vae" --feature-cache "$out/features" --threads 1 ;;
      neighbor) need_lm neighbor; train_run neighbor "${vae[@]}" --latent-dim 64 --neighbor-weight "${NEIGHBOR_WEIGHT:-5}" ;;
      lm-continued) need_lm lm-continued; train_run lm-continued --model lm --epochs 8 --init-decoder "$out/lm" ;;
      *) echo "unknown run $w (lm, aligned, aligned-itq, aligned128, aligned128-itq, neighbor, lm-continued)" >&2; exit 2 ;;
    esac
  done
done
