#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# perf/ifma/bench.sh [seconds] - engine backends vs OpenSSL, private operations per second, one run (see bench.c).
set -euo pipefail
cd "$(dirname "$0")/../.."
S=Sources/CSignetIFMA
OUT=${BENCH_OUT:-/tmp/signet-ifma-bench}
mkdir -p "$OUT" "${KEY_CACHE:-/tmp/signet-ifma-keys}"
# SIGNET_IFMA_TESTING adds the test hooks the "work around the kernel" line needs (one predictable branch per call).
clang -std=c11 -O2 -DSIGNET_IFMA_TESTING -I$S -I$S/include $S/*.c perf/ifma/bench.c -o "$OUT/bench" -lcrypto
"$OUT/bench" "${1:-1}" "${KEY_CACHE:-/tmp/signet-ifma-keys}"
