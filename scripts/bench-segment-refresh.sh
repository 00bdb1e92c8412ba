#!/usr/bin/env bash
# Refresh-after-commit time and query latency of the index, two builds in one run: builds the
# index module of REV and of HEAD (the last commit) in temporary worktrees, then runs
# scripts/SegmentRefreshBench.java against each in turn (same data, same seed) and prints both.
#
# Usage: scripts/bench-segment-refresh.sh REV [CODES [ADDED [ROUNDS [QUERIES]]]]
#        (defaults: 400000 codes, 1000 added per round, 5 rounds, 20000 queries after 5000 warm-up ones; scratch in $TMPDIR)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 1 ] || { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
rev="$1"; codes="${2:-400000}"; added="${3:-1000}"; rounds="${4:-5}"; queries="${5:-20000}"
work="$(mktemp -d)"
trap 'for w in base head; do git -C "$root" worktree remove --force "$work/$w" >/dev/null 2>&1 || true; done; rm -rf "$work"' EXIT
git -C "$root" worktree add --detach "$work/base" "$rev" >/dev/null
git -C "$root" worktree add --detach "$work/head" HEAD >/dev/null

classpath() { # the index module's runtime classpath in a checkout, after `package`
  (cd "$1" && mvn -B -q -o -Dstyle.color=never -pl models,index -DskipTests package >&2 \
    && mvn -B -q -o -Dstyle.color=never -pl index dependency:build-classpath -Dmdep.outputFile="$work/cp.txt" >&2)
  echo "$1/index/target/classes:$1/models/target/classes:$(cat "$work/cp.txt")"
}
run() { # name checkout
  local cp; cp="$(classpath "$2")"
  local src="$work/src-$1/SegmentRefreshBench.java"
  mkdir -p "$work/src-$1/classes"
  # REV may spell the level HashIndex.Level (before Level became a top-level type)
  if [ -f "$2/index/src/main/java/io/latentnlp/index/Level.java" ]; then level="io.latentnlp.index.Level.SENTENCE"; else level="HashIndex.Level.SENTENCE"; fi
  # and SemanticHash io.latentnlp.models.SemanticHash (before models had subpackages)
  if [ -f "$2/models/src/main/java/io/latentnlp/models/hash/SemanticHash.java" ]; then hash="io.latentnlp.models.hash.SemanticHash"; else hash="io.latentnlp.models.SemanticHash"; fi
  sed "s/LEVEL/$level/g; s/io\.latentnlp\.models\.hash\.SemanticHash/$hash/" "$root/scripts/SegmentRefreshBench.java" > "$src"
  javac -d "$work/src-$1/classes" -cp "$cp" "$src"
  echo "== $1 ($(git -C "$2" log -1 --format=%h))"
  java -Xmx6g -cp "$work/src-$1/classes:$cp" SegmentRefreshBench "$work/data-$1" "$codes" "$added" "$rounds" "$queries" 42
  rm -rf "$work/data-$1"
}
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1); load $(cut -d' ' -f1-3 /proc/loadavg)"
run base "$work/base"
run head "$work/head"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
