#!/usr/bin/env bash
# Distills the shipped default minilm-gaussian64 (pretrained encoder family: frozen MiniLM + head)
# into an LSTM encoder over the same word pieces, sharing its decoders (the student's bundle reads
# them from minilm-gaussian64: --share-teacher-files), and measures the student
# beside the teacher (docs/results.md, "Distilled LSTM encoder"; docs/benchmarks.md). Needs
# data/brown, data/debian and the teacher's training data DATA (default data/brown-debian-prose,
# which PROSE=1 scripts/train-shipped-v2.sh makes) and, to skip embedding the corpora with MiniLM
# again, the teacher's feature cache FEATURES (default runs/shipped-v4-prose/features) and
# eval-hash's runs/features (missing embeddings are computed).
# Steps (each skipped when its output exists; an unfinished distillation resumes):
#   distill  runs/distill/NAME/NAME.vae  (EPOCHS, default 12; the shipped minilm-lstm64 is this step's output)
#   hash     eval-hash on Debian (sentences) and Brown (sentences, documents), student and teacher,
#            64 bits -> runs/distill/NAME-hash-{debian,brown}.{txt,json}
#   eval     IW-NLL (K=100), KL, MI, AU of the student on the combined test -> runs/distill/NAME-eval.txt
#   bench    corenlp-bench, one thread, student, teacher and brown-bernoulli64 one after the other
#            -> runs/distill/NAME-bench-*.txt
# NAME is minilm-lstm64 (student embedding initialized at random) or, with INIT=teacher,
# minilm-lstm64-temb (initialized with the teacher's decoder embedding of the same word pieces).
# Run from the project root with OMP_NUM_THREADS=1 (the recorded command's paths are relative).
#
# Usage: [OMP_NUM_THREADS=1] [EPOCHS=12] [INIT=random|teacher] [DATA=DIR] [FEATURES=DIR] scripts/distill-shipped.sh [distill|hash|eval|bench ...]   (default: all)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cli="${LATENT_NLP:-bin/latent-nlp}"
out=runs/distill
init="${INIT:-random}"
case "$init" in random) name=minilm-lstm64 ;; teacher) name=minilm-lstm64-temb ;; *) echo "unknown INIT=$init (random, teacher)" >&2; exit 2 ;; esac
student="$out/$name/$name.vae"
teacher=minilm-gaussian64
data="${DATA:-data/brown-debian-prose}"
features="${FEATURES:-runs/shipped-v4-prose/features}"
mkdir -p "$out"
for split in train valid test; do
  [ -f "$data/$split.tsv" ] || { echo "no $data/$split.tsv: run PROSE=1 scripts/train-shipped-v2.sh first (it concatenates data/brown, data/debian and data/prose)" >&2; exit 1; }
done

for step in ${@:-distill hash eval bench}; do
  case "$step" in
    distill)
      [ -f "$student" ] && { echo "distill: done already" >&2; continue; }
      resume=(); [ -d "$out/$name/checkpoint" ] && resume=(--resume)
      echo "== distill $(date -u +%H:%M:%S) ==" >&2
      $cli distill -m "$teacher" --train "$data/train.tsv" --valid "$data/valid.tsv" --test "$data/test.tsv" \
        --run-dir "$out/$name" --name "$name" --feature-cache "$features" --epochs "${EPOCHS:-12}" --init-embedding "$init" --share-teacher-files \
        "${resume[@]}" > "$out/$name.out" ;;
    hash)
      echo "== hash $(date -u +%H:%M:%S) ==" >&2
      [ -f "$out/$name-hash-debian.json" ] || $cli eval-hash --train data/debian/train.tsv --test data/debian/test.tsv -m "$teacher" -m "$student" \
        --bits 64 --level sentence --threads 1 --feature-cache runs/features --json "$out/$name-hash-debian.json" > "$out/$name-hash-debian.txt"
      [ -f "$out/$name-hash-brown.json" ] || $cli eval-hash --train data/brown/train.tsv --test data/brown/test.tsv -m "$teacher" -m "$student" \
        --bits 64 --level sentence,document --threads 1 --feature-cache runs/features --json "$out/$name-hash-brown.json" > "$out/$name-hash-brown.txt" ;;
    eval)
      echo "== eval $(date -u +%H:%M:%S) ==" >&2
      [ -f "$out/$name-eval.txt" ] || $cli eval -m "$student" --corpus "$data/test.tsv" --iw-samples 100 > "$out/$name-eval.txt" ;;
    bench)
      for m in "$student" "$teacher" brown-bernoulli64; do
        b=$(basename "$m" .vae)
        echo "== bench $b $(date -u +%H:%M:%S), load $(cut -d' ' -f1-3 /proc/loadavg) ==" >&2
        $cli corenlp-bench -m "$m" --corpus data/brown/test.tsv --repeats 3 --iwae-samples 0 --threads 1 > "$out/$name-bench-$b.txt"
      done ;;
    *) echo "unknown step $step (distill, hash, eval, bench)" >&2; exit 2 ;;
  esac
done
