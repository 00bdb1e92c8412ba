#!/usr/bin/env bash
# Runs the headless-Chromium test of `latent-nlp serve` (cli's ServeBrowserTest) and writes its
# screenshots into docs/ (docs/serve-query.png, docs/serve-map.png).
#
# Usage: scripts/browser-test.sh
# Installs Debian's chromium first when no browser is found and apt-get can run (as root, or with
# sudo without a password). Without a browser the test is skipped, and it says so; this script
# then exits 1, since no screenshot was taken. Builds the modules cli needs (offline, tests of
# the other modules not run).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if [ "${1:-}" = "--help" ]; then
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
  exit 0
fi

if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null && ! command -v google-chrome >/dev/null \
    && [ -z "${LATENTNLP_CHROMIUM:-}" ]; then
  echo "browser-test.sh: no Chromium found; installing Debian's chromium ..." >&2
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo -n"; fi
  { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium; } >/dev/null 2>&1 \
    || echo "browser-test.sh: could not install chromium (apt-get failed); the test will be skipped" >&2
fi

cd "$root"
export DJL_OFFLINE=true LATENTNLP_SCREENSHOTS="$root/docs"
mvn -B -q -o -pl cli -am test -Dtest=ServeBrowserTest -Dsurefire.failIfNoSpecifiedTests=false
report="cli/target/surefire-reports/TEST-io.latentnlp.cli.ServeBrowserTest.xml"
if grep -q '<skipped' "$report"; then
  echo "browser-test.sh: the browser test was skipped: $(grep -o 'Assumption failed: .*' "$report" | head -1)" >&2
  exit 1
fi
echo "browser test passed; screenshots: docs/serve-query.png docs/serve-map.png" >&2
