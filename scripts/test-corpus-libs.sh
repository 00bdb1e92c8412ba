#!/usr/bin/env bash
# Checks the text handling of the corpus scripts (scripts/lib/Sentences.pm, DebianDescriptions.pm
# and broad.pl) on small fixed inputs, without any download: run it after changing them.
# Prints one line per check and "N passed, N failed"; exits 1 when a check fails.
set -euo pipefail
lib="$(cd "$(dirname "$0")" && pwd)/lib"
fixture=$(mktemp)
trap 'rm -f "$fixture"' EXIT
cat > "$fixture" <<'TXT'
Package: demo
Description-md5: 00000000000000000000000000000000
Description-en: a demo synopsis
 Demo plays sound files. It reads WAV and OGG.
 .
 Features:
   * fast mixing of many
     channels at once
   * a small library
 .
 It is written in C.

Package: demo
Description-md5: 11111111111111111111111111111111
Description-en: a second record of the same package
 Not this one.
TXT
perl -CSD -I"$lib" -Mstrict -Mwarnings -e '
require "broad.pl";
my ($pass, $fail) = (0, 0);
sub check { my ($name, $got, $want) = @_;
  if ($got eq $want) { $pass++; print "ok   $name\n" } else { $fail++; print "FAIL $name\n  got:  $got\n  want: $want\n" } }
sub sents { join(" | ", map { join(" ", @$_) } sentences(tokens($_[0]))) }

check("sentences: abbreviations, quotes, split before a capital",
  sents(q{Mr. Smith said "it is late." Then he left at 5 p.m. for home.}),
  "Mr. Smith said `` it is late . \x{27}\x{27} | Then he left at 5 p.m. for home .");
check("sentences: shorter than 3 tokens and all-capital headings dropped", sents("Go. THE END OF IT. It ends here."), "It ends here .");
check("split_of: md5 rule of fetch-debian.sh (its split of these packages)", join(",", map { split_of($_) } qw(bash coreutils 0ad)), "train,test,train");

my $d = read_translation(shift);
check("read_translation: paragraphs, list items joined, first record wins",
  join(" | ", $d->{demo}[0], @{$d->{demo}[1]}),
  "a demo synopsis | Demo plays sound files. It reads WAV and OGG. | Features: | fast mixing of many channels at once | a small library | It is written in C.");
check("body_key: lower case, one space", body_key(["A  b", "C"]), "a b c");

my $mail = join("\n", "From: a\@b", "Content-Type: multipart/alternative; boundary=\"XX\"", "", "--XX",
  "Content-Type: text/plain; charset=iso-8859-1", "Content-Transfer-Encoding: quoted-printable", "",
  "The meeting moves to Friday, caf=E9 at noon.", "", "> You wrote something earlier.", "On Monday Bob wrote:",
  "", "-- ", "Bob, the signature line.", "--XX", "Content-Type: text/html", "", "<p>Not this part.</p>", "--XX--", "");
check("mail: plain part decoded; quotes, wrote-lines and signature dropped",
  join(" | ", @{prose(mail_blocks($mail))}), "The meeting moves to Friday , caf\x{E9} at noon .");
check("html: pre, script and navigation dropped, entities decoded, blocks split",
  join(" | ", html_blocks(q{<html><head><title>T</title></head><body><nav>Home</nav><p>Use &lt;b&gt; &amp; more.</p><pre>x = 1;</pre><script>var a;</script><p>Second&nbsp;one.</p></body></html>})),
  "Use <b> & more. | Second one.");
check("prose: headings, code and non-Latin sentences dropped",
  join(" | ", @{prose("OPTIONS AND FLAGS", "int x = f ( a , b ) ; y = 2 ;", "\x{8FD9}\x{662F}\x{4E00}\x{4E2A}\x{53E5}\x{5B50} is here .", "The file is read once.")}),
  "The file is read once .");
check("info: node lines and menus dropped, cross references keep their label",
  join(" | ", info_blocks("\x{1F}\nFile: a.info,  Node: Top\n\n* Menu:\n\n* Intro::  The start.\n\nThis manual explains\nthe tool.  *Note Common\noptions::.  See the *note changelog: 158.\n\n=====\n")),
  "This manual explains the tool. Common options. See the changelog.");
print "$pass passed, $fail failed\n";
exit($fail ? 1 : 0);
' "$fixture"
