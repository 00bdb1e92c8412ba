#!/usr/bin/env bash
# Builds the topical benchmark: Debian package descriptions labelled by archive section, from
# `apt-cache dumpavail` (the package lists this machine's apt knows; `apt-get update` refreshes
# them from deb.debian.org). Writes one sentence per line as "package<TAB>section<TAB>tokens",
# split by package into train/valid/test (80/10/10 by md5 of the package name, so a package's
# split never depends on which other packages exist).
#
# What is kept (the choice is the benchmark's definition; docs/results.md states it):
# - Sections that name a topic. Dropped: programming-language ecosystems (python perl haskell
#   rust golang javascript java ruby gnu-r php ocaml lisp cli-mono introspection zope), where the
#   label says which language a library is for rather than what it does; packaging kinds (libs
#   libdevel oldlibs debug doc metapackages tasks localization); and the catch-all misc.
#   "contrib/x" and "non-free/x" count as x.
# - One package per distinct synopsis (the first by name): -dev/-doc/-data siblings often share
#   the text, which would put copies of a test item into the database.
# - One item per package: its synopsis (the one-line description; apt's Packages files carry
#   no long descriptions when Acquire::Languages is "none", and using only the synopsis keeps
#   the corpus the same whatever the machine's language settings). Tokens are runs of
#   letters/digits (with inner apostrophes) and single symbols; synopses of fewer than 2 tokens
#   are dropped.
#
# Apache-2.0 project, data under the packages' own licences: descriptions are short factual
# texts from Debian's archive; never commit the output.
#
# Usage: scripts/fetch-debian.sh [--out DIR] [--input FILE]
#   --out DIR     output directory (default data/debian)
#   --input FILE  read a saved dumpavail output instead of running apt-cache
set -euo pipefail

out="data/debian"
input=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --input) input="$2"; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "fetch-debian.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

command -v perl >/dev/null || { echo "fetch-debian.sh: perl is needed" >&2; exit 1; }
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -n "$input" ]; then
  [ -r "$input" ] || { echo "fetch-debian.sh: cannot read --input $input" >&2; exit 1; }
  cp "$input" "$work/dumpavail.txt"
else
  command -v apt-cache >/dev/null || { echo "fetch-debian.sh: apt-cache is needed (a Debian or Ubuntu machine), or pass --input FILE" >&2; exit 1; }
  apt-cache dumpavail > "$work/dumpavail.txt"
fi
[ -s "$work/dumpavail.txt" ] || { echo "fetch-debian.sh: no package records (run apt-get update?)" >&2; exit 1; }
echo "dumpavail: $(grep -c '^Package:' "$work/dumpavail.txt") records, sha256 $(sha256sum "$work/dumpavail.txt" | cut -d' ' -f1)" >&2

perl -CSD -Mstrict -Mwarnings -MDigest::MD5=md5_hex -e '
my %drop = map { $_ => 1 } qw(python perl haskell rust golang javascript java ruby gnu-r php ocaml lisp
  cli-mono introspection zope libs libdevel oldlibs debug doc metapackages tasks localization misc);
my ($dir) = @ARGV;
local $/ = "";                               # paragraph mode: one package record at a time
open(my $in, "<:encoding(UTF-8)", "$dir/dumpavail.txt") or die "cannot read dumpavail: $!";
my (%seen, @recs);
while (my $rec = <$in>) {
  my ($pkg) = $rec =~ /^Package:\s*(\S+)/m or next;
  my ($sec) = $rec =~ /^Section:\s*(\S+)/m or next;
  $sec =~ s{.*/}{};
  next if $drop{$sec};
  my ($desc) = $rec =~ /^Description(?:-en)?:[ \t]*(.*)$/m or next;
  push @recs, [$pkg, $sec, $desc];
}
close $in;
my %out;
for my $r (sort { $a->[0] cmp $b->[0] } @recs) {
  my ($pkg, $sec, $desc) = @$r;
  my $key = lc $desc;
  $key =~ s/\s+/ /g;
  next if $seen{$key}++;
  my @sents = ($desc);
  my @rows;
  my $ntok = 0;
  for my $s (@sents) {
    my @tok = $s =~ /([\p{L}\p{N}]+(?:[\x{27}\x{2019}]\p{L}+)*|[^\p{L}\p{N}\s])/g;
    next unless @tok;
    $ntok += @tok;
    push @rows, "$pkg\t$sec\t" . join(" ", @tok);
  }
  next if $ntok < 2;
  my $h = hex(substr(md5_hex($pkg), 0, 8)) % 10;
  my $split = $h == 0 ? "test" : $h == 1 ? "valid" : "train";
  push @{$out{$split}}, @rows;
}
for my $split (qw(train valid test)) {
  open(my $o, ">:encoding(UTF-8)", "$dir/$split.tsv") or die "cannot write $split.tsv: $!";
  print $o "$_\n" for @{$out{$split} // []};
  close $o;
}
' "$work"

for split in train valid test; do
  mv "$work/$split.tsv" "$out/$split.tsv"
  docs=$(cut -f1 "$out/$split.tsv" | sort -u | wc -l)
  sents=$(wc -l < "$out/$split.tsv")
  labels=$(cut -f2 "$out/$split.tsv" | sort -u | wc -l)
  echo "$out/$split.tsv: $docs packages, $sents sentences, $labels sections, sha256 $(sha256sum "$out/$split.tsv" | cut -d' ' -f1)" >&2
done
echo "(the archive moves with point releases: compare these sha256 sums with the ones docs/results.md measured on)" >&2
