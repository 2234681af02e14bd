#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The test suite under AddressSanitizer (+ UBSan checks Swift does by default) and under ThreadSanitizer,
# each in its own scratch folder. XCTest itself leaks, so LeakSanitizer is off for the test runs.
#   perf/sanitize.sh [asan|tsan|all]
set -euo pipefail
cd "$(dirname "$0")/.."
WHICH=${1:-all}
./dev deps
if [ "$WHICH" = asan ] || [ "$WHICH" = all ]; then
    ASAN_OPTIONS=detect_leaks=0 swift test --sanitize=address --scratch-path .build-asan 2>&1 \
        | grep -v "Cannot export local symbol" | tail -5
fi
if [ "$WHICH" = tsan ] || [ "$WHICH" = all ]; then
    swift test --sanitize=thread --scratch-path .build-tsan 2>&1 | tail -5
fi
