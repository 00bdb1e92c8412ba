# Sentence splitting and tokenization shared by the fetch-*.sh corpus scripts (fetch-prose.sh,
# fetch-broad.sh, fetch-debtags.sh), so every corpus they build is tokenized alike and in the
# style of the Brown corpus: quotes `` '' ` ', dashes --, abbreviations kept with their period.
#
#   perl -CSD -I scripts/lib -MSentences -e '... sentences(tokens($paragraph)) ...'
#
# tokens(TEXT)     -> list of tokens of one paragraph (NFC, control characters blanked, stage
#                     directions "(Applause.)" and footnote marks "[1]" dropped).
# sentences(TOKS)  -> list of array refs, one per sentence: a sentence ends at . ! ? (closing
#                     quotes/brackets kept with it) before a token that starts with a capital,
#                     digit or opening quote/bracket, or at the end of the paragraph. Only
#                     sentences of 3..80 tokens with a lower-case word and no more number tokens
#                     than word tokens are returned.
# split_of(KEY)    -> "train", "valid" or "test": 80/10/10 by the md5 of KEY (a document id, or
#                     a Debian package name), the rule of fetch-debian.sh and fetch-prose.sh, so
#                     a document's split never depends on which other documents exist.
# Changing tokens or sentences changes the sha256 of every corpus built with them (docs/results.md
# records those sums).
package Sentences;
use strict;
use warnings;
use Unicode::Normalize qw(NFC);
use Digest::MD5 qw(md5_hex);
use Exporter qw(import);
our @EXPORT = qw(tokens sentences split_of);

my $abbr = qr/(?:Mr|Mrs|Ms|Messrs|Mme|Dr|St|Jr|Sr|Gen|Col|Capt|Lt|Maj|Adm|Gov|Sen|Rep|Hon|Rev|Prof|Mt|Ft|vs|viz|etc|Co|Inc|Ltd|Bros)\./;
my $month = qr/(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.(?=\s+\d)/;
my $word = qr/[\p{L}\p{N}\p{M}]+(?:[\x{27}-][\p{L}\p{N}\p{M}]+)*/;

sub tokens {
  my ($p) = @_;
  $p = NFC($p);
  $p =~ s/[\x{00}-\x{08}\x{0B}-\x{1F}\x{7F}-\x{9F}\x{A0}\x{2000}-\x{200B}\x{FEFF}]/ /g;
  $p =~ s/\((?:[^()]*\b(?:[Aa]pplause|[Ll]aughter)\b[^()]*)\)/ /g;    # stage directions
  $p =~ s/[\x{2010}\x{2011}]/-/g;
  $p =~ s/\s*(?:[\x{2012}-\x{2015}]|-{2,})\s*/ -- /g;
  $p =~ s/(?<=[\p{L}\p{N}])[\x{2019}\x{2032}](?=\p{L})/\x{27}/g;          # inner apostrophe
  $p =~ s/\x{201C}/ `` /g;  $p =~ s/\x{201D}/ \x{27}\x{27} /g;
  $p =~ s/\x{2018}/ ` /g;   $p =~ s/\x{2019}/ \x{27} /g;
  $p =~ s/\[\s*\d+\s*\]/ /g;                                                # footnote marks
  $p =~ s/(?:^|(?<=[\s(\[{`-]))"(?=\S)/ `` /g;                             # ASCII quotes by context
  $p =~ s/"/ \x{27}\x{27} /g;
  $p =~ s/(?:^|(?<=[\s(\[{-]))\x{27}(?=[\p{L}\p{N}])(?!(?:tis|twas|em|s)\b)/ ` /g;
  $p =~ s/\x{2026}|\.{3,}/ ... /g;
  my @t = $p =~ /(``|\x{27}\x{27}|--|\.{3,}|(?:\p{L}\.){2,}|$abbr|$month|No\.(?=\s*\d)|(?<![\p{L}\p{N}])[A-HJ-Z]\.(?=\s+\p{Lu})|\p{N}+(?:[.,]\p{N}+)+|$word|[^\p{L}\p{N}\p{M}\s])/g;
  my @u;
  for my $t (@t) { next if $t eq "--" && @u && $u[-1] eq "--"; push @u, $t }    # "-- --" from removed asides
  return @u;
}

sub sentences {
  my @t = @_;
  my (@s, @cur);
  my %closer = map { $_ => 1 } ("\x{27}\x{27}", "\x{27}", ")", "]", "}");
  for (my $i = 0; $i < @t; $i++) {
    push @cur, $t[$i];
    next unless $t[$i] =~ /^(?:[.!?]|\.\.\.|etc\.)$/;
    while ($i + 1 < @t && $closer{$t[$i + 1]}) { push @cur, $t[++$i] }
    my $next = $i + 1 < @t ? $t[$i + 1] : undef;
    if (!defined $next || $next =~ /^(?:\p{Lu}|\p{N}|``|`|\(|\[)/) { push @s, [@cur]; @cur = () }
  }
  push @s, [@cur] if @cur;
  return grep {
    my @w = grep { /\p{L}/ } @$_;
    @$_ >= 3 && @$_ <= 80                        # length
      && grep({ /\p{Ll}/ } @w)                   # not an all-capitals heading or speaker name
      && grep({ /^\p{N}/ } @$_) <= @w            # not mostly numbers (tables)
  } @s;
}

sub split_of {
  my $h = hex(substr(md5_hex($_[0]), 0, 8)) % 10;
  return $h == 0 ? "test" : $h == 1 ? "valid" : "train";
}

1;
