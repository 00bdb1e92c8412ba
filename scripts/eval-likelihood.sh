#!/usr/bin/env bash
# The likelihood comparison of issue 14 on each test split: a VAE bundle's IW-NLL (K importance
# samples, ONNX Runtime) against the exact NLL of a language-model run (DJL), on Brown test, the
# Debian test split and both together. Prints a markdown table; JSON per cell in OUT.
#
# Usage: [K=100] [THREADS=0] [SPLITS="brown debian brown-debian"] [OUT=runs/eval-lik/NAME] scripts/eval-likelihood.sh BUNDLE LM_RUN_DIR
#   e.g. scripts/eval-likelihood.sh runs/shipped-v3/minilm-gaussian64.vae runs/shipped-v3/lm
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ $# -eq 2 ] || { sed -n 2,9p "$0" >&2; exit 2; }
bundle="$1"; lm="$2"
cli="${LATENT_NLP:-bin/latent-nlp}"
k="${K:-100}"
out="${OUT:-runs/eval-lik/$(basename "$bundle" .vae)}"
mkdir -p "$out"
for split in ${SPLITS:-brown debian brown-debian}; do
  [ -f "data/$split/test.tsv" ] || { echo "no data/$split/test.tsv: run scripts/fetch-brown.sh, scripts/fetch-debian.sh and scripts/train-shipped-v2.sh first" >&2; exit 1; }
  [ -s "$out/vae-$split.json" ] || $cli eval -m "$bundle" --corpus "data/$split/test.tsv" -k "$k" --threads "${THREADS:-0}" --json > "$out/vae-$split.json" 2> "$out/vae-$split.err"
  [ -s "$out/lm-$split.json" ] || $cli eval --lm "$lm" --corpus "data/$split/test.tsv" --json > "$out/lm-$split.json" 2> "$out/lm-$split.err"
done
echo "| test split | VAE IW-NLL (K=$k) | LM NLL | VAE - LM | VAE KL | VAE MI | VAE AU |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for split in ${SPLITS:-brown debian brown-debian}; do
  python3 - "$out/vae-$split.json" "$out/lm-$split.json" "$split" <<'PY'
import json, sys
v = json.load(open(sys.argv[1])); l = json.load(open(sys.argv[2]))
print(f"| {sys.argv[3]} | {v['iw_nll']:.2f} | {l['iw_nll']:.2f} | {v['iw_nll'] - l['iw_nll']:+.2f} | {v['kl']:.2f} | {v['mi']:.2f} | {v['au']}/{v['latent_dim']} |")
PY
done
