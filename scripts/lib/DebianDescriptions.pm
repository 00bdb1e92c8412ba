# Reads Debian's Translation-en (the English long descriptions) for fetch-debtags.sh and
# fetch-broad.sh. Shared so both corpora cut descriptions into paragraphs the same way.
#
# read_translation(FILE) -> hash ref: package -> [synopsis, [paragraph, ...]]. The long
#   description's " ." lines end a paragraph; a verbatim line (two or more leading spaces) that
#   starts with a bullet (* - + o) starts a list item of its own (bullet dropped), and further
#   verbatim lines continue it. The first record of a package wins.
# body_key(PARAGRAPHS) -> the long description lower-cased with white space collapsed, to keep
#   one package per distinct long description (-dev/-doc/-data siblings often share it).
package DebianDescriptions;
use strict;
use warnings;
use Exporter qw(import);
our @EXPORT = qw(read_translation body_key);

sub read_translation {
  my ($file) = @_;
  open(my $in, "<:encoding(UTF-8)", $file) or die "cannot read $file: $!\n";
  local $/ = "";                               # paragraph mode: one package record at a time
  my %desc;
  while (my $rec = <$in>) {
    my ($pkg) = $rec =~ /^Package:\s*(\S+)/m or next;
    next if $desc{$pkg};
    my ($text) = $rec =~ /^Description-en:[ \t]*(.*?)\n(?=\S|\z)/ms or next;
    my ($synopsis, @lines) = split /\n/, $text;
    my (@paras, $cur, $item);
    my $flush = sub { push @paras, $cur if defined $cur && $cur =~ /\S/; $cur = undef; $item = 0 };
    for my $l (@lines) {
      if ($l =~ /^ \.\s*$/) { $flush->(); next }
      if ($l =~ /^  +(?:[*+o-]|\x{2022})\s+(.*)$/) { $flush->(); $cur = $1; $item = 1; next }
      if ($l =~ /^  +(.*)$/) {                 # verbatim: continues a list item, else stands alone
        if ($item) { $cur .= " $1" } else { $flush->(); $cur = $1; $flush->() }
        next;
      }
      (my $t = $l) =~ s/^ //;
      if ($item) { $flush->() }
      $cur = defined $cur ? "$cur $t" : $t;
    }
    $flush->();
    $desc{$pkg} = [$synopsis, \@paras];
  }
  close $in;
  return \%desc;
}

sub body_key {
  my ($paras) = @_;
  my $k = lc join(" ", @$paras);
  $k =~ s/\s+/ /g;
  return $k;
}

1;
