#!/usr/bin/env bash
# Writes what every surface prints for a fixed set of inputs into one directory, so two builds
# can be compared byte for byte (`diff -r`): the refactorings of the run-time path must leave
# every output unchanged.
#
# Usage: scripts/surface-outputs.sh OUT_DIR        (after `mvn -DskipTests package`)
#        scripts/surface-outputs.sh --compare REV  (builds REV in a temporary worktree and HEAD's
#                                                   working tree, runs both, diffs; exit 1 on any
#                                                   difference)
# Surfaces: annotate (compact, corenlp, IWAE), the OpenNLP tool (text, json, raw), generation
# (sample, reconstruct, interpolate), the CoreNLP
# command line with docs/vae.properties, index add + search (documents, sentences, JSON), and the
# Spark annotate job on local[1] (hashes job output); each for the four shipped models where it
# takes a model. Spark is skipped with a note when its classpath cannot be built offline.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ "${1:-}" = "--help" ] || [ $# -lt 1 ]; then
  sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
  [ $# -ge 1 ] && exit 0 || exit 2
fi

if [ "$1" = "--compare" ]; then
  [ $# -ge 2 ] || { echo "surface-outputs.sh: --compare needs a revision" >&2; exit 2; }
  rev="$2"
  work="$(mktemp -d)"
  trap 'git -C "$root" worktree remove --force "$work/base" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
  git -C "$root" worktree add --detach "$work/base" "$rev" >/dev/null
  cp "$0" "$work/base/scripts/surface-outputs.sh"
  echo "building $rev ..." >&2
  (cd "$work/base" && mvn -B -q -o -Dstyle.color=never -DskipTests package) >&2
  "$work/base/scripts/surface-outputs.sh" "$work/out-base"
  echo "building the working tree ..." >&2
  (cd "$root" && mvn -B -q -o -Dstyle.color=never -DskipTests package) >&2
  "$root/scripts/surface-outputs.sh" "$work/out-head"
  if diff -r "$work/out-base" "$work/out-head"; then
    echo "identical: $(find "$work/out-head" -type f | wc -l) outputs of $rev and the working tree" >&2
  else
    echo "surface outputs differ between $rev and the working tree" >&2
    exit 1
  fi
  exit 0
fi

out="$1"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
cd "$root"
export DJL_OFFLINE=true
jar="$root/cli/target/latent-nlp-cli.jar"
cli() { java -Xmx4g -Dai.djl.offline=true -jar "$jar" "$@" 2>/dev/null; }
models="minilm-gaussian64 minilm-lstm64 brown-bernoulli64 brown-gaussian32"
text="docs/sample.txt"   # relative: annotate prints the path it was given
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
printf 'The jury said it did not find any evidence .\n\nA dog ran across the road .\nprices of wheat and corn rose sharply in chicago\n' > "$tmp/tokens.txt"
mkdir -p "$tmp/texts" && cp "$text" "$tmp/texts/sample.txt" && cp "$tmp/tokens.txt" "$tmp/texts/tokens.txt"

for m in $models; do
  cli annotate -m "$m" "$text" > "$out/annotate.$m.json"
  cli annotate -m "$m" --iwae 10 --format corenlp "$text" > "$out/annotate-corenlp-iwae.$m.json"
  cli opennlp SentenceVae -model "$m" < "$tmp/tokens.txt" > "$out/opennlp.$m.tsv"
  cli opennlp SentenceVae -model "$m" -format json -raw true -iwae 10 < "$text" > "$out/opennlp-raw.$m.json"
  rm -rf "$tmp/index"
  cli index add --index "$tmp/index" -m "$m" --root "$tmp/texts" "$tmp/texts/sample.txt" "$tmp/texts/tokens.txt" >/dev/null
  cli search --index "$tmp/index" -m "$m" -k 5 "The jury said it did not find any evidence ." > "$out/search.$m.txt"
  cli search --index "$tmp/index" -m "$m" -k 5 --level sentence --json "A walk down the road ." > "$out/search-sentences.$m.json" 
done
for m in minilm-gaussian64 brown-gaussian32 brown-bernoulli64; do
  cli sample -m "$m" -n 3 --seed 7 --json > "$out/sample.$m.json"
  cli reconstruct -m "$m" --json "The jury said it did not find any evidence ." > "$out/reconstruct.$m.json"
  cli interpolate -m "$m" --steps 3 "The jury said it did not find any evidence ." "She smiled and walked into the kitchen ." > "$out/interpolate.$m.txt"
done
java -cp "$jar:$root/cli/target/lib/*" -Dai.djl.offline=true edu.stanford.nlp.pipeline.StanfordCoreNLP -props docs/vae.properties \
  -file "$text" -outputDirectory "$tmp/corenlp" >/dev/null 2>&1
cp "$tmp/corenlp/sample.txt.out" "$out/corenlp-cli.json"

# Spark: the annotate job on local[1], then its hashes, over a tsv of the sample's lines.
if (cd "$root" && mvn -B -q -o -Dstyle.color=never -pl spark dependency:build-classpath -Dmdep.includeScope=test \
      -Dmdep.outputFile="$tmp/spark.cp" >/dev/null 2>&1) && [ -s "$tmp/spark.cp" ]; then
  # the reactor's classes first (annotator/ before the split of corenlp/ and opennlp/; a missing directory is ignored)
  cp_spark="$root/spark/target/classes:$root/opennlp/target/classes:$root/corenlp/target/classes:$root/annotator/target/classes:$root/index/target/classes:$root/models/target/classes:$(cat "$tmp/spark.cp")"
  opens="$(sed -n 's:.*<spark.java17.opens>\(.*\)</spark.java17.opens>.*:\1:p' "$root/spark/pom.xml")"
  awk '{ printf "d%d\tsample\t%s\n", NR, $0 }' "$tmp/tokens.txt" | grep -v $'\t$' > "$tmp/spark.tsv"
  sj() { java $opens -Xmx3g -Dspark.master=local[1] -Dspark.driver.host=127.0.0.1 -Dspark.driver.bindAddress=127.0.0.1 \
      -cp "$cp_spark" io.latentnlp.spark.SparkJobs "$@" 2>/dev/null; }
  for m in minilm-gaussian64 brown-bernoulli64; do
    rm -rf "$tmp/sa"
    sj annotate --input "$tmp/spark.tsv" --output "$tmp/sa" --model "$m" --iwae 5 > /dev/null
    sj hashes --annotations "$tmp/sa" > "$out/spark-hashes.$m.tsv"
  done
else
  echo "surface-outputs.sh: Spark skipped (its classpath could not be built offline)" >&2
fi
echo "wrote $(find "$out" -type f | wc -l) outputs to $out" >&2
