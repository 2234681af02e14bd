#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# perf/ifma/amm.sh [SRC_DIR] - the kernel's multiplication alone (perf/ifma/amm.c), both native widths: cycles per
# call, per limb step and IFMA instructions per cycle. SRC_DIR (default Sources/CSignetIFMA) may be a variant
# copy of the engine, to compare a kernel change in the same session (interleave the runs: the machine is shared).
# Needs a CPU with AVX-512 IFMA.
set -euo pipefail
cd "$(dirname "$0")/../.."
S=${1:-Sources/CSignetIFMA}
OUT=${AMM_OUT:-/tmp/signet-ifma-amm}
mkdir -p "$OUT"
grep -qw avx512ifma /proc/cpuinfo || { echo "this CPU does not report avx512ifma"; exit 2; }
for w in 256 512; do
    clang -std=c11 -O2 -DW=$w -I"$S" -I"$S/include" perf/ifma/amm.c "$S/ifma_bn.c" -o "$OUT/amm$w"
    "$OUT/amm$w"
done
