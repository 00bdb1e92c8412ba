# Sourced by fetch-debtags.sh and fetch-broad.sh: fetches Debian 12 (bookworm) main's package
# index and English long descriptions with apt itself, into a private apt state under a cache
# directory (the machine's own apt lists and settings are not touched), and checks them against
# pinned sha256 sums. apt verifies the InRelease signature and each file's hash against it; the
# pins below then fix which point release the corpora are built from (12.15, InRelease dated
# 2026-07-11): a later point release fails with both sums printed, and --accept-archive makes
# the script go on with the new files (record the sums it prints in docs/results.md).
#
#   debian_lists CACHE_DIR SCRIPT_NAME ACCEPT(0|1)
#     -> CACHE_DIR/Packages and CACHE_DIR/Translation-en (uncompressed), sums checked;
#        DEBIAN_APT_OPTS holds the apt options that use this private state (for apt-get download).

DEBIAN_SUITE_URI="http://deb.debian.org/debian"
DEBIAN_PACKAGES_SHA256="515e692f2c4121c6fcec444ef100cc18f79a991910615f3a88c8b7becfc94d2f"
DEBIAN_TRANSLATION_SHA256="62f59c3cdca9786e4f7adf9002f9f5729a684adcb4667e58e448dec9b5a46c7f"

debian_lists() {
  local me="$2" accept="$3" cache apt
  command -v apt-get >/dev/null || { echo "$me: apt-get is needed (a Debian or Ubuntu machine)" >&2; return 1; }
  mkdir -p "$1/apt" && cache=$(cd "$1" && pwd) || { echo "$me: cannot create $1" >&2; return 1; }
  apt="$cache/apt"                             # apt wants absolute directories
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/sources" || return 1
  : > "$apt/sources.list"; : > "$apt/status"
  printf 'Types: deb\nURIs: %s\nSuites: bookworm\nComponents: main\nArchitectures: amd64\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$DEBIAN_SUITE_URI" > "$apt/sources/bookworm.sources"
  DEBIAN_APT_OPTS=(-o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
    -o "Dir::Etc::sourcelist=$apt/sources.list" -o "Dir::Etc::sourceparts=$apt/sources"
    -o "Dir::State::status=$apt/status" -o "Acquire::Languages=en" -o "APT::Architecture=amd64")
  if [ ! -s "$cache/Packages" ] || [ ! -s "$cache/Translation-en" ]; then
    echo "fetching the bookworm main index and Translation-en with apt-get update (private state in $apt) ..." >&2
    apt-get "${DEBIAN_APT_OPTS[@]}" -q update > "$apt/update.log" 2>&1 \
      || { echo "$me: apt-get update failed:" >&2; tail -5 "$apt/update.log" >&2; return 1; }
    local f
    for f in Packages Translation-en; do
      local lz4=("$apt"/lists/*_bookworm_main_*"$f"*)
      [ -f "${lz4[0]}" ] || { echo "$me: apt-get update did not fetch $f (see $apt/update.log)" >&2; return 1; }
      /usr/lib/apt/apt-helper cat-file "${lz4[0]}" > "$cache/$f.tmp" && mv "$cache/$f.tmp" "$cache/$f" \
        || { echo "$me: cannot decompress ${lz4[0]}" >&2; return 1; }
    done
  fi
  local name want got
  for name in Packages Translation-en; do
    if [ "$name" = Packages ]; then want=$DEBIAN_PACKAGES_SHA256; else want=$DEBIAN_TRANSLATION_SHA256; fi
    got=$(sha256sum "$cache/$name" | cut -d' ' -f1)
    if [ "$got" != "$want" ]; then
      if [ "$accept" = 1 ]; then
        echo "$me: note: bookworm main $name is not the pinned one (got $got, pinned $want); going on (--accept-archive)" >&2
      else
        echo "$me: sha256 mismatch for bookworm main $name: got $got, pinned $want (a newer point release?);" \
          "rerun with --accept-archive to build from it and record the new sums, or delete $cache to refetch" >&2
        return 1
      fi
    else
      echo "bookworm main $name: sha256 $got ok" >&2
    fi
  done
}
