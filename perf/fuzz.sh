#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs one libFuzzer target (ASan + libFuzzer) for SECONDS, starting from the committed seed corpus.
#   perf/fuzz.sh TARGET SECONDS        targets: base64url jws json pem jwks gmp curves doctor claims serve
# New inputs go to perf/out/fuzz-corpus/TARGET; crashes to perf/out/fuzz-crashes/. Summary line at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET=${1:?target}; SECS=${2:-60}
./dev deps
swift build --product SignetFuzz -Xswiftc -sanitize=fuzzer,address -Xswiftc -DSIGNET_FUZZ --scratch-path .build-fuzz 2>&1 \
    | grep -v "Cannot export local symbol" >&2
mkdir -p "perf/out/fuzz-corpus/$TARGET" perf/out/fuzz-crashes
export SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0
.build-fuzz/debug/SignetFuzz "$TARGET" -max_total_time="$SECS" -print_final_stats=1 \
    -artifact_prefix=perf/out/fuzz-crashes/"$TARGET"- "perf/out/fuzz-corpus/$TARGET" "Tests/Fuzz/Corpus/$TARGET" \
    2> "perf/out/fuzz-$TARGET.log" || { tail -40 "perf/out/fuzz-$TARGET.log"; exit 1; }
grep -a -E "stat::number_of_executed_units|stat::peak_rss_mb|cov:" "perf/out/fuzz-$TARGET.log" | tail -3
echo "fuzz $TARGET: ${SECS}s, no crash"
