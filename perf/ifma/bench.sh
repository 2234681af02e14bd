#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# perf/ifma/bench.sh [seconds] - engine backends vs OpenSSL, private operations per second, one run (see bench.c).
# Then Intel crypto_mb, 8 keys per call (perf/peers/cryptomb/run.sh: from PyPI, AVX-512 IFMA only), row "Intel
# crypto_mb (8 per call)" per size: "not run: needs AVX-512 IFMA" where the CPU has none; a wrong lane fails the
# script. CRYPTOMB=0 leaves it out.
set -euo pipefail
cd "$(dirname "$0")/../.."
S=Sources/CSignetIFMA
OUT=${BENCH_OUT:-/tmp/signet-ifma-bench}
mkdir -p "$OUT" "${KEY_CACHE:-/tmp/signet-ifma-keys}"
# SIGNET_IFMA_TESTING adds the test hooks the "work around the kernel" line needs (one predictable branch per call).
clang -std=c11 -O2 -DSIGNET_IFMA_TESTING -I$S -I$S/include $S/*.c perf/ifma/bench.c -o "$OUT/bench" -lcrypto
"$OUT/bench" "${1:-1}" "${KEY_CACHE:-/tmp/signet-ifma-keys}"
if [ "${CRYPTOMB:-1}" != 0 ]; then
    rc=0
    perf/peers/cryptomb/run.sh --bench "${1:-1}" 2048,3072,4096 || rc=$?
    case $rc in
        0 | 77) ;;
        2) printf 'RSA-*     %-36s not run: install or build failed (see above)\n' "Intel crypto_mb (8 per call)" ;;
        *) exit 1 ;;
    esac
fi
