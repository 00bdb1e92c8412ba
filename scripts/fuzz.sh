#!/usr/bin/env bash
# Runs the fuzz properties of every reader of outside input (the *FuzzTest classes in models,
# corpus, training, index and cli; see docs/fuzzing.md) with many more tries than `mvn verify` gives them
# (200 each), and prints the figures docs/fuzzing.md quotes: properties, tries, failures, time.
# Seeds are fixed in the properties, so a run is reproducible and a longer run extends the
# shorter one's input sequence. A failure prints jqwik's shrunk sample in the Maven output.
#
# Usage: scripts/fuzz.sh [tries per property, default 5000]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tries="${1:-5000}"
export DJL_OFFLINE=true
log="$root/target/fuzz-$tries.log"
mkdir -p "$root/target"
cd "$root"
start=$(date +%s)
set +e
mvn -B ${MVN_OFFLINE--o} -pl models,corpus,training,index,cli -am test -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false \
    -Djqwik.tries.default="$tries" >"$log" 2>&1
status=$?
set -e
end=$(date +%s)
python3 - "$root" "$tries" "$((end - start))" "$status" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
root, tries, wall, status = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
props = fails = 0
print(f"| property | tries | failures | time (s) |\n|---|---:|---:|---:|")
for f in sorted(glob.glob(f"{root}/*/target/surefire-reports/TEST-*FuzzTest.xml")):
    for case in ET.parse(f).getroot().iter("testcase"):
        bad = len(case.findall("failure")) + len(case.findall("error"))
        props += 1
        fails += bad
        print(f"| {case.get('classname').split('.')[-1]}.{case.get('name')} | {tries} | {bad} | {float(case.get('time')):.1f} |")
print(f"\n{props} properties, {props * tries} inputs tried, {fails} failing properties, {wall} s wall clock (Maven exit {status})")
PY
exit "$status"
