#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# perf/ifma/mb_bench.sh [SRC_DIR] [--backend B]... - the multi-buffer kernel's calls timed (perf/ifma/mb_bench.c):
# cycles per 8-lane (zmm) and 4-lane (ymm) call of mb_amm, mb_ams, mb_redc for N = 20, 30, 40, the squaring/
# multiplication ratio, and mb_exp per lane. Needs a CPU with AVX-512 IFMA for the native backends (else they print
# NOT RUN; pass --backend 3 to time the emulated lanes instead). Built as SwiftPM builds the engine: clang -O2.
set -euo pipefail
cd "$(dirname "$0")/../.."
S=Sources/CSignetIFMA
if [ $# -gt 0 ] && [ -d "$1" ]; then S=$1; shift; fi
OUT=${MB_BENCH_OUT:-/tmp/signet-ifma-mb-bench}
mkdir -p "$OUT"
CC=${CC:-clang}
command -v "$CC" >/dev/null || CC=gcc
$CC -std=c11 -O2 -I"$S" -I"$S/include" "$S/ifma_mb.c" "$S/ifma_cpu.c" "$S/ifma_bn.c" "$S/ifma_emu4.c" \
    "$S/ifma_emu8.c" "$S/ifma_avx256.c" "$S/ifma_avx512.c" perf/ifma/mb_bench.c -o "$OUT/mb_bench"
"$OUT/mb_bench" "$@"
