#!/usr/bin/env bash
# A real Spark standalone cluster on loopback, from the Maven jars (no Spark download): one master
# and two workers (1 core each), then the annotation and index jobs submitted with SparkSubmit,
# their output checked, an executor killed mid-job (twice: annotation and index) and the output
# checked again, and everything stopped by PID.
#
#   scripts/spark-standalone.sh [--data DIR] [--work DIR] [--model NAME] [--kill-lines N]
#
# --data: a directory with brown/test.tsv and brown/train.tsv (scripts/fetch-brown.sh; default data/)
# --work: scratch directory (default runs/spark-standalone, emptied first)
# Needs `mvn -B package -DskipTests` first (spark/target/lib, the cli jar).
# Prints PASS/FAIL lines and exits non-zero on the first failed check.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$root/data"; work="$root/runs/spark-standalone"; model=brown-bernoulli64; kill_lines=40000
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2;;
    --work) work="$2"; shift 2;;
    --model) model="$2"; shift 2;;
    --kill-lines) kill_lines="$2"; shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
needs=("$data/brown/test.tsv" "$data/brown/train.tsv")
source "$root/scripts/lib/spark-cluster.sh"
pass() { echo "PASS: $*"; }
start_cluster
pass "master and 2 workers started"

# 1. annotation on the cluster, equal to the single-JVM OpenNLP tool on the same tokens
input="$data/brown/test.tsv"; n=$(wc -l < "$input")
out="$(submit "$master" "$work/logs/annotate.log" annotate --input "$input" --output "$work/annotated" --model "$model" --partitions 4)" || fail "annotate job failed (see $work/logs/annotate.log)"
echo "$out"
[ "$(echo "$out" | json rows)" = "$n" ] && [ "$(echo "$out" | json distinctIds)" = "$n" ] || fail "annotate: expected $n rows with distinct ids: $out"
pass "annotate on the cluster: $n rows, each once"
submit "local[1]" "$work/logs/hashes.log" hashes --annotations "$work/annotated" \
  | awk -F'\t' '{split($1, a, "/"); print a[length(a)] "\t" $3}' | sort -n -k1,1 | cut -f2 > "$work/cluster-hashes.txt"
cut -f3 "$input" | "$root/bin/latent-nlp" opennlp SentenceVae -model "$model" 2> "$work/logs/opennlp.log" | cut -f1 > "$work/single-hashes.txt"
cmp -s "$work/cluster-hashes.txt" "$work/single-hashes.txt" || fail "cluster hashes differ from the single-JVM tool ($work/cluster-hashes.txt vs $work/single-hashes.txt)"
pass "cluster hashes equal the single-JVM tool's on all $n sentences"

# 2. the index job on the cluster; CheckIndex on every shard; search through the sharded index
out="$(submit "$master" "$work/logs/index.log" index --input "$input" --output "$work/index" --model "$model" --shards 3 --partitions 4)" || fail "index job failed (see $work/logs/index.log)"
echo "$out"
[ "$(echo "$out" | json documents)" = "$n" ] || fail "index: expected $n documents: $out"
check_shards() { # dir
  for s in "$1"/shard-*; do
    java -cp "$root/spark/target/lib/*" org.apache.lucene.index.CheckIndex "$s" > "$work/logs/checkindex-$(basename "$1")-$(basename "$s").log" 2>&1 \
      || fail "CheckIndex $s (see $work/logs)"
  done
  [ ! -e "$1/_attempts" ] || fail "$1/_attempts left behind"
}
check_shards "$work/index"
pass "index: $n documents in 3 shards, every shard CheckIndex-clean"
code="$(head -1 "$work/single-hashes.txt")"
"$root/bin/latent-nlp" search --index "$work/index" --code "$code" -k 3 --json > "$work/search.json" 2> "$work/logs/search.log"
[ "$(wc -l < "$work/search.json")" = 3 ] && grep -q '"distance":0' "$work/search.json" || fail "search on the sharded index: $(cat "$work/search.json")"
pass "latent-nlp search answers from the sharded index (a distance-0 hit for a known code)"

# 3. kill one executor mid-job: Spark re-runs its tasks; every row once, shards CheckIndex-clean
head -n "$kill_lines" "$data/brown/train.tsv" > "$work/kill-input.tsv"; kn=$(wc -l < "$work/kill-input.tsv")
kill_one_executor() { # log partitions: waits until worker 1's executor runs a task of the model stage, then kills it by PID
  local log="$1" partitions="$2" exec_pid="" exec_id="" stage=""
  for _ in $(seq 1 180); do
    exec_pid="$(pgrep -P "$worker1_pid" java | head -1 || true)"
    # the model stage is the job's first with one task per --partitions (stages before it read and repartition the input in a second)
    stage="$(sed -n "s/.*Adding task set \([0-9]*\)\.[0-9]* with $partitions tasks.*/\1/p" "$log" 2>/dev/null | head -1)"
    if [ -n "$exec_pid" ] && [ -n "$stage" ]; then
      exec_id="$(tr '\0' ' ' < "/proc/$exec_pid/cmdline" | sed -n 's/.*--executor-id \([0-9]*\).*/\1/p')"
      grep -q "Starting task .* in stage $stage\.[0-9]* .*executor $exec_id," "$log" 2>/dev/null && break
    fi
    sleep 1
  done
  [ -n "$exec_id" ] || fail "no executor ran a task under worker 1"
  sleep "${KILL_DELAY:-5}"
  kill -9 "$exec_pid" && echo "killed executor $exec_id (pid $exec_pid, child of worker 1) in the middle of its task"
}
for job in annotate index; do
  extra=(); [ "$job" = index ] && extra=(--shards 4)
  submit "$master" "$work/logs/kill-$job.log" "$job" --input "$work/kill-input.tsv" --output "$work/kill-$job" --model "$model" \
    --partitions 8 "${extra[@]}" > "$work/kill-$job.json" & job_pid=$!
  kill_one_executor "$work/logs/kill-$job.log" 8
  wait "$job_pid" || fail "$job job failed after the executor was killed (see $work/logs/kill-$job.log)"
  out="$(cat "$work/kill-$job.json")"; echo "$out"
  lost="$(grep -c "Lost task" "$work/logs/kill-$job.log" || true)"
  [ "$lost" -gt 0 ] || fail "$job: no lost task in the driver log: the kill missed the tasks ($work/logs/kill-$job.log)"
  if [ "$job" = annotate ]; then
    [ "$(echo "$out" | json rows)" = "$kn" ] && [ "$(echo "$out" | json distinctIds)" = "$kn" ] || fail "kill-annotate: expected $kn distinct rows: $out"
    pass "annotate with an executor killed: Spark re-ran $lost lost task(s), $kn rows, each once"
  else
    [ "$(echo "$out" | json documents)" = "$kn" ] || fail "kill-index: expected $kn documents: $out"
    check_shards "$work/kill-index"
    pass "index with an executor killed: Spark re-ran $lost lost task(s), $kn documents, every shard CheckIndex-clean"
  fi
done
echo "all checks passed; stopping master and workers (pids ${pids[*]})"
