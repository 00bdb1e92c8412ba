#!/usr/bin/env bash
# Builds the third labelled topical benchmark: Debian package LONG descriptions labelled by a
# debtags tag of the facet works-with:: (the kind of data a package handles: works-with::audio,
# ::mail, ::db, ::image, ::text, ::video, ::font, ...). Writes one sentence per line as
# "package<TAB>tag<TAB>tokens", split by package into train/valid/test, 80/10/10 by the md5 of the
# package name: the rule of fetch-debian.sh, so a package that is in both corpora is in the same
# split of both, and fitting on one corpus's train split never sees a package of the other's
# test split (the script checks this when the Debian synopses corpus is there).
#
# Source: Debian 12 (bookworm) main, fetched with apt into a private state (scripts/lib/
# debian-lists.sh, sha256 pinned): the Packages index for the Tag: field and Translation-en for
# the long descriptions (the machine's own lists carry no long descriptions). Data under each
# package's own licence: short factual texts from Debian's archive.
#
# How labels are chosen (the benchmark's definition; docs/results.md states it):
# - One tag per package: packages with exactly one tag of the facet (TODO tags ignored);
#   packages with two or more are ambiguous and dropped. works-with:: is the facet whose tags
#   are topics (use:: names actions, implemented-in:: languages, role:: packaging kinds).
# - One package per distinct long description (the first by name): -dev/-doc/-data siblings often
#   share it, which would put copies of a test item into the database.
# - The synopsis (first line) is not used: it is the Debian synopses corpus's text.
# - Sentences split and tokenized as fetch-prose.sh does (scripts/lib/Sentences.pm), 3..80 tokens;
#   a sentence found in two or more packages ("This package contains the development files.")
#   is dropped everywhere, a repeat inside one package is kept once, and a package keeps its
#   first --max-sentences-per-package (default 12; a few descriptions list hundreds of fonts).
# - Per tag, at least --min-packages packages (default 40; rarer tags dropped) and at most
#   --max-packages (default 300: the first by md5("select:" package), so no tag swamps P@100).
#
# Apache-2.0 project, data under the packages' own licences: never commit the output.
#
# Usage: scripts/fetch-debtags.sh [--out DIR] [--cache DIR] [--facets LIST] [--min-packages N]
#          [--max-packages N] [--max-sentences-per-package N] [--debian DIR] [--accept-archive]
#   --out DIR          output directory (default data/debtags)
#   --cache DIR        downloaded index files, kept between runs (default data/.cache/debian)
#   --facets LIST      debtags facets to label by, comma-separated (default works-with; e.g.
#                      works-with,field,game: then a package needs exactly one tag among them)
#   --debian DIR       the Debian synopses corpus, to report the package overlap (default
#                      data/debian; skipped when it is not there)
#   --accept-archive   go on when bookworm's index is not the pinned one (a later point release)
set -euo pipefail

me=fetch-debtags.sh
out="data/debtags"
cache="data/.cache/debian"
facets="works-with"
maxs=12
minp=40
maxp=300
debian="data/debian"
accept=0
number() { [[ "$2" =~ ^[0-9]+$ ]] || { echo "$me: $1 needs a whole number, got '$2'" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
  case "$1" in
    --out|--cache|--facets|--debian|--min-packages|--max-packages|--max-sentences-per-package)
      [ $# -ge 2 ] || { echo "$me: $1 needs a value (try --help)" >&2; exit 2; } ;;&
    --out) out="$2"; shift 2 ;;
    --cache) cache="$2"; shift 2 ;;
    --facets) [[ "$2" =~ ^[a-z0-9-]+(,[a-z0-9-]+)*$ ]] \
        || { echo "$me: --facets '$2' is not a comma-separated list of debtags facet names (e.g. works-with,field)" >&2; exit 2; }
      facets="$2"; shift 2 ;;
    --max-sentences-per-package) number "$1" "$2"; maxs="$2"; shift 2 ;;
    --min-packages) number "$1" "$2"; minp="$2"; shift 2 ;;
    --max-packages) number "$1" "$2"; maxp="$2"; shift 2 ;;
    --debian) debian="$2"; shift 2 ;;
    --accept-archive) accept=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "$me: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[ "$maxp" -ge "$minp" ] && [ "$maxp" -gt 0 ] \
  || { echo "$me: --max-packages $maxp must be positive and at least --min-packages $minp" >&2; exit 2; }

lib="$(cd "$(dirname "$0")" && pwd)/lib"
# shellcheck source=lib/debian-lists.sh
. "$lib/debian-lists.sh"
command -v perl >/dev/null || { echo "$me: perl is needed" >&2; exit 1; }
mkdir -p "$cache" || { echo "$me: cannot create --cache $cache" >&2; exit 1; }
debian_lists "$cache" "$me" "$accept"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
perl -CSD -I"$lib" -Mstrict -Mwarnings -MDigest::MD5=md5_hex -MSentences -MDebianDescriptions -e '
my ($cache, $work, $facets, $minp, $maxp, $maxs) = @ARGV;
my %facet = map { $_ => 1 } split /,/, $facets;
my %tag;                                     # package -> its one tag of the facets
{
  local $/ = "";
  open(my $in, "<:encoding(UTF-8)", "$cache/Packages") or die "cannot read $cache/Packages: $!\n";
  while (my $rec = <$in>) {
    my ($pkg) = $rec =~ /^Package:\s*(\S+)/m or next;
    my ($tags) = $rec =~ /^Tag:[ \t]*(.*?)\n(?=\S|\z)/ms or next;
    my %t = map { $_ => 1 } grep { $facet{(split /::/)[0]} && !/::TODO$/ } split /[\s,]+/, $tags;
    my @t = keys %t;
    $tag{$pkg} = @t == 1 ? $t[0] : "";     # "" = two or more: ambiguous
  }
  close $in;
}
my @tagged = grep { $tag{$_} ne "" } sort keys %tag;
die "no package has exactly one tag of the facets $facets: are the names right?\n" unless @tagged;
my $desc = read_translation("$cache/Translation-en");

my (%seen, %sents, %where);                  # sents: package -> [token strings]; where: sentence -> packages
for my $pkg (@tagged) {
  my $d = $desc->{$pkg} or next;
  next if $seen{body_key($d->[1])}++;
  my (%mine, @rows);
  for my $p (@{$d->[1]}) {
    for my $s (sentences(tokens($p))) {
      my $line = join(" ", @$s);
      (my $key = lc $line) =~ s/\s+/ /g;
      next if $mine{$key}++;
      $where{$key}++;
      push @rows, [$key, $line];
    }
  }
  $sents{$pkg} = \@rows;
}
my (%bytag, %dropped);
for my $pkg (sort keys %sents) {
  my @rows = map { $_->[1] } grep { $where{$_->[0]} == 1 } @{$sents{$pkg}};
  $dropped{shared} += @{$sents{$pkg}} - @rows;
  splice(@rows, $maxs) if @rows > $maxs;     # a few descriptions list hundreds of items
  if (@rows) { $sents{$pkg} = \@rows; push @{$bytag{$tag{$pkg}}}, $pkg } else { delete $sents{$pkg} }
}
my (%out, @report);
for my $t (sort keys %bytag) {
  my @p = @{$bytag{$t}};
  if (@p < $minp) { push @report, sprintf("tag %s: %d packages, fewer than --min-packages %d: dropped", $t, scalar @p, $minp); next }
  @p = (sort { md5_hex("select:$a") cmp md5_hex("select:$b") } @p)[0 .. ($maxp < @p ? $maxp : @p) - 1];
  my %c;
  for my $pkg (sort @p) { my $s = split_of($pkg); $c{$s} += @{$sents{$pkg}}; push @{$out{$s}}, map { [$pkg, "$pkg\t$t\t$_"] } @{$sents{$pkg}} }
  push @report, sprintf("tag %s: %d of %d packages kept; sentences train %d valid %d test %d", $t, scalar @p, scalar @{$bytag{$t}}, map { $c{$_} // 0 } qw(train valid test));
}
print STDERR "$_\n" for @report;
printf STDERR "%d packages with one tag of %s, %d with a long description of their own; %d sentences dropped as shared by several packages\n",
  scalar @tagged, $facets, scalar keys %sents, $dropped{shared} // 0;
for my $split (qw(train valid test)) {
  open(my $o, ">:encoding(UTF-8)", "$work/$split.tsv") or die "cannot write $split.tsv: $!\n";
  print $o "$_->[1]\n" for sort { $a->[0] cmp $b->[0] } @{$out{$split} // []};   # by package, text order kept
  close $o or die "cannot write $split.tsv: $!\n";
}
' "$cache" "$work" "$facets" "$minp" "$maxp" "$maxs" || { echo "$me: building the corpus failed" >&2; exit 1; }

mkdir -p "$out" || { echo "$me: cannot create --out $out" >&2; exit 1; }
for split in train valid test; do mv "$work/$split.tsv" "$out/$split.tsv"; done
for split in train valid test; do
  f="$out/$split.tsv"
  echo "$f: $(cut -f1 "$f" | sort -u | wc -l) packages, $(wc -l < "$f") sentences, $(cut -f2 "$f" | sort -u | wc -l) tags, sha256 $(sha256sum "$f" | cut -d' ' -f1)" >&2
done
if [ -r "$debian/train.tsv" ] && [ -r "$debian/valid.tsv" ] && [ -r "$debian/test.tsv" ]; then
  # The same split rule on the same package name: an overlapping package is in the same split of
  # both corpora, and the check below says so or fails.
  for split in train valid test; do cut -f1 "$out/$split.tsv" | sort -u | sed "s/\$/\t$split/"; done | sort > "$work/ours"
  for split in train valid test; do cut -f1 "$debian/$split.tsv" | sort -u | sed "s/\$/\t$split/"; done | sort > "$work/theirs"
  both=$(join -t "$(printf '\t')" "$work/ours" "$work/theirs" | wc -l)
  crossed=$(join -t "$(printf '\t')" "$work/ours" "$work/theirs" | awk -F'\t' '$2 != $3' | wc -l)
  echo "overlap with the Debian synopses in $debian: $both of $(wc -l < "$work/ours") packages (their synopses there, long descriptions here), $crossed in different splits" >&2
  [ "$crossed" -eq 0 ] || { echo "$me: $crossed packages are in different splits here and in $debian: was $debian built by fetch-debian.sh?" >&2; exit 1; }
else
  echo "($debian not there: run scripts/fetch-debian.sh first to report the package overlap with the Debian synopses)" >&2
fi
echo "(compare these sha256 sums with the ones docs/results.md measured on)" >&2
