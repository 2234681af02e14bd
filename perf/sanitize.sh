#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The test suite under AddressSanitizer (+ UBSan checks Swift does by default) and under ThreadSanitizer,
# each in its own scratch folder. XCTest itself leaks, so LeakSanitizer is off for the test runs.
# Full logs go to perf/out/sanitize-{asan,tsan}.log; the summary lines are printed.
#   perf/sanitize.sh [asan|tsan|all]
set -uo pipefail
cd "$(dirname "$0")/.."
WHICH=${1:-all}
./dev deps
mkdir -p perf/out
status=0
summarise() {
    grep -E "Test run with|Executed .* tests|WARNING: ThreadSanitizer|ERROR: AddressSanitizer|SUMMARY: " "$1" | sort | uniq -c
}
if [ "$WHICH" = asan ] || [ "$WHICH" = all ]; then
    ASAN_OPTIONS=detect_leaks=0 swift test --sanitize=address --scratch-path .build-asan > perf/out/sanitize-asan.log 2>&1 || status=1
    echo "ASan:"; summarise perf/out/sanitize-asan.log
fi
if [ "$WHICH" = tsan ] || [ "$WHICH" = all ]; then
    swift test --sanitize=thread --scratch-path .build-tsan > perf/out/sanitize-tsan.log 2>&1 || status=1
    echo "TSan:"; summarise perf/out/sanitize-tsan.log
fi
exit $status
