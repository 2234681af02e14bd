#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# perf/flake.sh [RUNS] [HOGS] - the whole test suite RUNS times (default 5) while `stress-ng --cpu HOGS` (default 2,
# one per core here) keeps the machine busy: a suite that passes only on an idle machine fails here.
#
# Builds the tests first (not under load: the build is not what is tested), starts one throwaway PostgreSQL server
# for all the runs (.ci/postgres), then runs `swift test --skip-build` RUNS times in a row under the hog, stopping at
# the first failure. Each run's log goes to perf/out/flake-<time>/run-N.log; one line per run (wall time, the
# Swift Testing and XCTest summaries) to stdout and to summary.txt there. Installs stress-ng (Debian) if absent.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-5}"
HOGS="${2:-2}"
command -v stress-ng >/dev/null || {
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq stress-ng >&2
}
./dev deps
OUT="perf/out/flake-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
swift build --build-tests >&2
trap '.ci/postgres stop || true; [ -n "${hog:-}" ] && kill "$hog" 2>/dev/null; wait 2>/dev/null || true' EXIT
SIGNET_TEST_POSTGRES_URL=$(.ci/postgres start)
export SIGNET_TEST_POSTGRES_URL
{
    echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) (family $(grep -m1 'cpu family' /proc/cpuinfo | awk '{print $NF}') model $(grep -m1 '^model\s' /proc/cpuinfo | awk '{print $NF}')), $(nproc) cores"
    echo "load: stress-ng --cpu $HOGS; commit $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (modified)')"
} | tee "$OUT/summary.txt"
stress-ng --cpu "$HOGS" --timeout 0 --quiet &
hog=$!
passed=0
for run in $(seq 1 "$RUNS"); do
    start=$(date +%s)
    if swift test --skip-build > "$OUT/run-$run.log" 2>&1; then status=green; else status=FAILED; fi
    secs=$(( $(date +%s) - start ))
    testing=$(grep -E "^.{0,4}Test run with [0-9]+ tests" "$OUT/run-$run.log" | tail -1 | sed 's/^[^T]*//')
    xctest=$(grep -E "Executed [0-9]+ tests" "$OUT/run-$run.log" | tail -1 | xargs)
    echo "run $run: $status in ${secs}s; $testing; XCTest: $xctest; load average $(cut -d' ' -f1 /proc/loadavg)" \
        | tee -a "$OUT/summary.txt"
    if [ "$status" != green ]; then
        grep -E "✘|failed|error:" "$OUT/run-$run.log" | head -40 >&2
        echo "flake: run $run failed; log: $OUT/run-$run.log" | tee -a "$OUT/summary.txt"
        exit 1
    fi
    passed=$((passed + 1))
done
echo "flake: $passed of $RUNS runs green in a row under stress-ng --cpu $HOGS ($OUT)" | tee -a "$OUT/summary.txt"
