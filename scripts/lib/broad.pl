# The text-handling half of fetch-broad.sh (which fetches, checks and unpacks the sources first):
#   perl -CSD -I scripts/lib scripts/lib/broad.pl WORK TRANSLATION_EN
# reads WORK/brown/*.tsv, WORK/prose/*.tsv (fetch-brown.sh and fetch-prose.sh output),
# WORK/mail/*/*.json (the Spam Assassin messages), TRANSLATION_EN (Debian long descriptions),
# WORK/man/PKG/... (man pages rendered to text), WORK/debs/PKG/... (unpacked packages: info
# manuals and /usr/share/doc texts), and writes WORK/{train,valid,test}.tsv
# ("doc<TAB>source<TAB>tokens") and WORK/counts.tsv (per source and split: documents, sentences,
# duplicates dropped). Deterministic: sources in a fixed order, documents sorted by id.
use strict;
use warnings;
use Sentences;
use DebianDescriptions;
use JSON::PP ();
use MIME::Base64 qw(decode_base64);
use MIME::QuotedPrint qw(decode_qp);
use Encode qw(decode);
use IO::Uncompress::Gunzip qw(gunzip $GunzipError);
use File::Find ();

my (%seen, %count, %out);
my $t0 = time;
sub progress { printf STDERR "  %s (%d s)\n", $_[0], time - $t0 }

# Adds one document's sentences; a sentence already kept (any source, lower-cased, white space
# collapsed) is dropped, so the first copy in source order wins and no sentence is in two splits.
sub emit {
  my ($source, $doc, $split, $sents) = @_;
  my $kept = 0;
  for my $line (@$sents) {
    (my $key = lc $line) =~ s/\s+/ /g;
    if ($seen{$key}++) { $count{$source}{$split}{dup}++; next }
    push @{$out{$split}}, "$doc\t$source\t$line";
    $kept++;
  }
  $count{$source}{$split}{sent} += $kept;
  $count{$source}{$split}{doc}++ if $kept;
}

# Sentences of running text from sources with markup, code and tables mixed in (man pages,
# manuals, mail): besides sentences()'s rules, a sentence must end with . ! or ? (so headings,
# option names, synopses and code lines go), at least half its tokens must hold a letter, and
# it must be in Latin script (the HTML manuals carry translations).
sub prose {
  my @keep;
  for my $p (@_) {
    for my $s (sentences(tokens($p))) {
      my $last = $s->[-1] =~ /^(?:''|'|\)|\])$/ && @$s > 1 ? $s->[-2] : $s->[-1];
      next unless $last =~ /^(?:[.!?]|\.\.\.)$/;
      next unless 2 * grep({ /\p{L}/ } @$s) >= @$s;
      my $line = join(" ", @$s);
      next if $line =~ /[^\p{Latin}\p{Common}\p{Inherited}]/;
      push @keep, $line;
    }
  }
  return \@keep;
}

sub slurp {
  my ($file) = @_;
  my $raw;
  if ($file =~ /\.gz$/) { gunzip($file => \$raw) or die "cannot gunzip $file: $GunzipError\n" }
  else { open(my $in, "<:raw", $file) or die "cannot read $file: $!\n"; local $/; $raw = <$in>; close $in }
  my $text = eval { decode("UTF-8", $raw, Encode::FB_CROAK) };
  return defined $text ? $text : decode("ISO-8859-1", $raw);     # a few old files are Latin-1
}

# Blank-line separated blocks, each joined into one line.
sub blocks {
  my ($text) = @_;
  return grep { /\S/ } map { my $b = $_; $b =~ s/\s+/ /g; $b =~ s/^ | $//g; $b } split /\n[ \t]*\n/, $text;
}

my %entity = (amp => "&", lt => "<", gt => ">", quot => "\"", apos => "\x{27}", nbsp => " ",
  mdash => "\x{2014}", ndash => "\x{2013}", lsquo => "\x{2018}", rsquo => "\x{2019}",
  ldquo => "\x{201C}", rdquo => "\x{201D}", hellip => "\x{2026}", copy => "\x{A9}", reg => "\x{AE}");
sub html_blocks {
  my ($h) = @_;
  $h =~ s/<!--.*?-->//gs;
  $h =~ s{<(script|style|head|pre|nav|footer|table|svg|math|textarea|select)\b.*?</\1\s*>}{\n\n}gis;   # code, tables, navigation
  $h =~ s{</?(?:p|div|br|li|ul|ol|dl|dt|dd|h[1-6]|tr|td|th|blockquote|section|article|aside|title|hr|figure|figcaption|caption|body|form)\b[^>]*>}{\n\n}gi;
  $h =~ s/<[^>]*>//gs;
  $h =~ s/&#(\d+);/$1 < 0x110000 ? chr($1) : " "/ge;
  $h =~ s/&#x([0-9a-fA-F]+);/hex($1) < 0x110000 ? chr(hex $1) : " "/ge;
  $h =~ s/&([a-zA-Z]+);/$entity{$1} \/\/ " "/ge;
  return blocks($h);
}

# Info manuals: node headers, menus and heading underlines are not text.
sub info_blocks {
  my ($t) = @_;
  $t =~ s/^\x{1F}.*$//mg;
  $t =~ s/^(?:File: .*|\* Menu:.*|\* [^:]+::.*|\s*[=*.-]{3,}\s*|Tag Table:.*|End Tag Table.*)$//mg;
  # cross references: "*Note Node::" and "*note Label: anchor." keep their label only
  return map { s/\*[Nn]ote\s+([^:]+?)::/$1/g; s/\*[Nn]ote\s+([^:]+?):\s*[^.,:]+([.,])/$1$2/g; $_ } blocks($t);
}

# One mail message: the text/plain parts (or text/html turned to text when there is none),
# decoded; quoted lines, "... wrote:" lines and everything after a "-- " signature line dropped.
sub mail_parts {
  my ($msg) = @_;
  my ($head, $body) = split /\r?\n\r?\n/, $msg, 2;
  return () unless defined $body;
  $head =~ s/\r?\n[ \t]+/ /g;                # unfold header lines
  my ($type) = $head =~ /^Content-Type:\s*([^;\s]+)/mi;
  $type = lc($type // "text/plain");
  my ($enc) = $head =~ /^Content-Transfer-Encoding:\s*(\S+)/mi;
  $enc = lc($enc // "");
  if ($type =~ m{^multipart/}) {
    my ($b) = $head =~ /boundary="?([^";]+)"?/i or return ();
    my @parts = map { [mail_parts($_)] } grep { /\S/ } split /^--\Q$b\E(?:--)?[ \t]*\r?$/m, $body;
    my @plain = grep { @$_ && $_->[0] eq "plain" } @parts;
    return map { @$_ } (@plain ? @plain : grep { @$_ } @parts);
  }
  return () unless $type eq "text/plain" || $type eq "text/html";
  if ($enc eq "base64") { $body = decode_base64($body) }
  elsif ($enc eq "quoted-printable") { $body = decode_qp($body) }
  if ($enc eq "base64" || $enc eq "quoted-printable") {      # decoded bytes: the text's charset
    my ($cs) = $head =~ /charset="?([\w.:-]+)/i;
    $body = eval { decode($cs // "ISO-8859-1", $body) } // $body;
  }
  return ($type eq "text/html" ? "html" : "plain", $body);
}
sub mail_blocks {
  my ($msg) = @_;
  my @parts = mail_parts($msg);
  my @b;
  while (my ($kind, $body) = splice(@parts, 0, 2)) {
    if ($kind eq "html") { push @b, html_blocks($body); next }
    $body =~ s/\r//g;
    $body =~ s/^-- ?\n.*//ms;                 # signature
    $body =~ s/^[ \t]*(?:>|\|).*$//mg;        # quoted text
    $body =~ s/^.*\bwrote:[ \t]*$//mg;
    $body =~ s/^-+ ?(?:Original Message|Forwarded message).*$//mgi;
    push @b, blocks($body);
  }
  return @b;
}

sub files_under {
  my ($dir, $want) = @_;
  my @f;
  return () unless -d $dir;
  File::Find::find({ no_chdir => 1, wanted => sub { push @f, $_ if -f $_ && !-l $_ && $want->($_) } }, $dir);
  return sort @f;
}
sub main {
  my ($work, $translation) = @_;
  die "usage: broad.pl WORK TRANSLATION_EN\n" unless defined $translation;
  # 1-2. Brown and the prose corpus as their own scripts split them (documents keep their split).
  for my $src (["brown", "brown"], ["prose", undef]) {
    my ($dir, $label) = @$src;
    my %docs;                                  # doc -> [split, source, [sentences]]
    for my $split (qw(train valid test)) {
      open(my $in, "<:encoding(UTF-8)", "$work/$dir/$split.tsv") or die "cannot read $work/$dir/$split.tsv: $!\n";
      while (my $l = <$in>) {
        chomp $l;
        my ($doc, $lab, $toks) = split /\t/, $l, 3;
        my $n = () = $toks =~ /\S+/g;
        next if $n < 3 || $n > 80;
        my $id = $label ? "${label}_$doc" : $doc;
        $docs{$id} //= [$split, $label // $lab, []];
        push @{$docs{$id}[2]}, $toks;
      }
      close $in;
    }
    for my $id (sort keys %docs) { emit($docs{$id}[1], $id, @{$docs{$id}}[0, 2]) }
  }

  progress("brown, sotu, moby-dick read");
  # 3. Mail: the Spam Assassin corpus, ham and spam.
  {
    my @files = sort glob("$work/mail/*/*.json");
    die "no Spam Assassin messages under $work/mail\n" unless @files > 1000;
    my $json = JSON::PP->new;
    for my $f (@files) {
      my $m = $json->decode(do { open(my $in, "<:raw", $f) or die "cannot read $f: $!\n"; local $/; <$in> });
      my $id = "mail_$m->{group}_$m->{id}";
      emit("mail", $id, split_of($id), prose(mail_blocks($m->{text})));
    }
  }

  progress("mail read");
  # 4. Debian long descriptions (not the synopses), split by package as fetch-debian.sh does.
  {
    my $desc = read_translation($translation);
    for my $pkg (sort keys %$desc) {
      my @s = grep { !/[^\p{Latin}\p{Common}\p{Inherited}]/ }
        map { join(" ", @$_) } map { sentences(tokens($_)) } @{$desc->{$pkg}[1]};
      emit("debian-descriptions", "debian_$pkg", split_of($pkg), \@s);
    }
  }

  progress("Debian descriptions read");
  # 5-7. Man pages (rendered by fetch-broad.sh), info manuals, /usr/share/doc texts.
  my $lang = qr{/(?:ar|ar-MA|ca|ca-ES|cs|cs-CZ|da|da-DK|de|de-DE|el|el-GR|es|es-ES|fa|fa-IR|fr|fr-FR|hr|hr-HR|id|id-ID|it|it-IT|ja|ja-JP|ko|ko-KR|nb|nb-NO|nl|nl-NL|pl|pl-PL|pt|pt-br|pt-BR|ro|ro-RO|ru|ru-RU|sv|sv-SE|tr|tr-TR|vi|vi-VN|zh|zh-CN|zh-TW|zh_CN|zh_TW|sp_SP|translations)/};
  opendir(my $dh, "$work/debs") or die "cannot list $work/debs: $!\n";
  my @pkgs = sort grep { !/^\./ } readdir $dh;
  closedir $dh;
  for my $pkg (@pkgs) {
    for my $f (files_under("$work/man/$pkg", sub { $_[0] =~ /\.txt$/ })) {
      (my $page = $f) =~ s{^.*/}{};
      $page =~ s/\.txt$//;
      my $id = "man_${pkg}_$page";
      # groff's output: one filled paragraph per line (a 4000-column page), blocks of code line by
      # line; the page's header and footer lines are mostly spaces, collapsed first (the
      # tokenizer's \s* patterns are quadratic in a long run of them).
      emit("man", $id, split_of($id), prose(grep { /\S/ } map { s/\s+/ /gr =~ s/^ | $//gr } split /\n/, slurp($f)));
    }
    my $root = "$work/debs/$pkg/usr/share";
    for my $f (files_under("$root/info", sub { $_[0] =~ /\.info(?:-\d+)?(?:\.gz)?$/ })) {
      (my $rel = $f) =~ s{^\Q$root/info/\E}{};
      my $id = "info_${pkg}_$rel";
      emit("info", $id, split_of($id), prose(info_blocks(slurp($f))));
    }
    for my $f (files_under("$root/doc", sub {
        my $p = $_[0];
        return 0 if $p =~ $lang || $p =~ m{/_sources/|/changelog|/copyright|/NEWS|/examples/}i;
        return $p =~ /\.(?:html?|html\.en)(?:\.gz)?$/ || $p =~ m{/(?:README[^/]*|[^/]+\.txt(?:\.gz)?)$} }))
    {
      (my $rel = $f) =~ s{^\Q$root/doc/\E}{};
      my $id = "doc_${pkg}_$rel";
      my $text = slurp($f);
      emit("doc", $id, split_of($id), prose($f =~ /\.html?(?:\.en)?(?:\.gz)?$/ ? html_blocks($text) : blocks($text)));
    }
    progress("package $pkg read");
  }

  for my $split (qw(train valid test)) {
    open(my $o, ">:encoding(UTF-8)", "$work/$split.tsv") or die "cannot write $work/$split.tsv: $!\n";
    print $o "$_\n" for @{$out{$split} // []};
    close $o or die "cannot write $work/$split.tsv: $!\n";
  }
  open(my $c, ">:encoding(UTF-8)", "$work/counts.tsv") or die "cannot write $work/counts.tsv: $!\n";
  for my $source (qw(brown sotu moby-dick mail debian-descriptions man info doc)) {
    print $c join("\t", $source, map { my $x = $count{$source}{$_} // {}; ($x->{doc} // 0, $x->{sent} // 0, $x->{dup} // 0) } qw(train valid test)), "\n";
  }
  close $c;
}

main(@ARGV) unless caller;                   # scripts/test-corpus-libs.sh loads the subs alone
1;
