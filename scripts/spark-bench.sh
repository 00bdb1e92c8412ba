#!/usr/bin/env bash
# Throughput of the Spark Transformer against the single-JVM annotator in the same run, and the
# per-shard figures of the index job (docs/benchmarks.md, "Spark"):
#   1. single JVM: `latent-nlp opennlp SentenceVae` over the same tokenized sentences
#   2. the annotate job on local[1], 3. on local[2], 4. on a standalone master + two 1-core workers
#   5. the index job (from the cluster's annotations) into 4 shards and into 1, and query times
#      (`latent-nlp search`'s own timing of one query per run: a cold JVM, an upper bound)
#
#   scripts/spark-bench.sh [--data DIR] [--lines N] [--model NAME] [--partitions P]
#
# Input: Brown (train, valid, test) and Debian (train, valid, test) .tsv concatenated, repeated
# and shuffled (fixed seed) to N lines (default 100000). Needs `mvn -B package -DskipTests` and the corpora
# (scripts/fetch-brown.sh, scripts/fetch-debian.sh). Results: runs/spark-bench/results.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$root/data"; work="$root/runs/spark-bench"; lines=100000; model=brown-bernoulli64; partitions=8
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2;;
    --lines) lines="$2"; shift 2;;
    --model) model="$2"; shift 2;;
    --partitions) partitions="$2"; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
needs=("$data/brown/train.tsv" "$data/debian/train.tsv")
source "$root/scripts/lib/spark-cluster.sh"

# the corpora repeated to N lines (or fewer), then shuffled with a fixed seed so any N mixes Brown and Debian
input="$work/input.tsv"; : > "$work/all.tsv"
while [ "$(wc -l < "$work/all.tsv")" -lt "$lines" ]; do
  cat "$data"/brown/{train,valid,test}.tsv "$data"/debian/{train,valid,test}.tsv >> "$work/all.tsv"
done
shuf -n "$lines" --random-source=<(yes 16) "$work/all.tsv" > "$input"
cut -f3 "$input" > "$work/tokens.txt"
results="$work/results.md"
now() { date +%s.%N; }
row() { echo "| $1 | $2 | $3 | $4 |" | tee -a "$results"; }
{ echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; load before: $(cut -d' ' -f1-3 /proc/loadavg); $lines sentences, model $model, $partitions partitions"
  echo; echo "| run | job seconds | wall seconds (JVM start included) | sentences/s (job) |"; echo "|---|---|---|---|"; } | tee "$results"

t0=$(now)
"$root/bin/latent-nlp" opennlp SentenceVae -model "$model" < "$work/tokens.txt" > /dev/null 2> "$work/logs/single.log"
t1=$(now); wall=$(echo "$t1 - $t0" | bc)
row "single JVM (opennlp SentenceVae, ONNX Runtime default threads)" "-" "$wall" "$(echo "scale=1; $lines / $wall" | bc)"

annotate() { # name slug master
  local t0 t1 out
  t0=$(now)
  out="$(submit "$3" "$work/logs/$2.log" annotate --input "$input" --output "$work/out-$2" --model "$model" --partitions "$partitions")" \
    || fail "$1 failed (see $work/logs/$2.log)"
  t1=$(now)
  [ "$(echo "$out" | json rows)" = "$lines" ] || fail "$1: $out"
  row "$1" "$(echo "$out" | json seconds)" "$(echo "$t1 - $t0" | bc)" "$(echo "$out" | json sentencesPerSecond)"
}
annotate "local[1]" local1 "local[1]"
annotate "local[2]" local2 "local[2]"
start_cluster
rss="$work/executor-rss.txt"; : > "$rss"
( while true; do for w in $worker1_pid $worker2_pid; do for p in $(pgrep -P "$w" java || true); do ps -o rss= -p "$p" >> "$rss" || true; done; done; sleep 2; done ) &
sampler=$!
annotate "standalone, 2 workers x 1 core" cluster "$master"
kill "$sampler"; wait "$sampler" 2>/dev/null || true
echo "max executor RSS: $(sort -n "$rss" | tail -1) KiB" | tee -a "$results"

echo | tee -a "$results"; echo "| index job | seconds | shards | bytes on disk per shard | documents per shard |" | tee -a "$results"; echo "|---|---|---|---|---|" | tee -a "$results"
for shards in 4 1; do
  out="$(submit "$master" "$work/logs/index-$shards.log" index --annotations "$work/out-cluster" --output "$work/index-$shards" \
    --model "$model" --shards "$shards")" || fail "index $shards failed (see $work/logs/index-$shards.log)"
  sizes="$(for s in "$work/index-$shards"/shard-*; do du -sb "$s" | cut -f1; done | paste -sd/ -)"
  docs="$(python3 -c "import json; print('/'.join(str(s['documents']) for s in json.load(open('$work/index-$shards/shards.json'))['shards']))")"
  echo "| cluster, $shards shard(s) | $(echo "$out" | json seconds) | $shards | $sizes | $docs |" | tee -a "$results"
done

echo | tee -a "$results"; echo "| query (k=10, sentence level, 8 codes of indexed sentences, one CLI run each) | median ms | max ms |" | tee -a "$results"; echo "|---|---|---|" | tee -a "$results"
head -n 8 "$work/tokens.txt" | "$root/bin/latent-nlp" opennlp SentenceVae -model "$model" 2>/dev/null | cut -f1 > "$work/codes.txt"
for shards in 1 4; do
  : > "$work/ms-$shards.txt"
  while read -r code; do
    "$root/bin/latent-nlp" search --index "$work/index-$shards" --code "$code" -k 10 --level sentence 2>&1 >/dev/null \
      | sed -n 's/.* hits in \([0-9.]*\) ms/\1/p' >> "$work/ms-$shards.txt"
  done < "$work/codes.txt"
  echo "| $shards shard(s) | $(sort -n "$work/ms-$shards.txt" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') | $(sort -n "$work/ms-$shards.txt" | tail -1) |" | tee -a "$results"
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$results"
