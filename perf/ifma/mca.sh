#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# perf/ifma/mca.sh [SRC_DIR] - a static speed proxy for the IFMA kernel: llvm-mca's cycles per iteration of each
# kernel function's hot loop, 256-bit (ymm) and 512-bit (zmm) backends, no IFMA CPU needed.
#
# How (the method of /work/shared/IFMA-ZEN4.md, "llvm-mca calibration", automated):
#   1. SRC_DIR/ifma_avx*.c (default Sources/CSignetIFMA; give a variant copy of the directory to compare it
#      with the committed kernel) compiled to assembly as SwiftPM builds them: Swift's clang (/opt/swift/usr/bin/
#      clang unless CC is set), -std=c11 -O2 -DSIGNET_IFMA_TESTING.
#   2. perf/ifma/mca.py finds every ifma_* function left in the assembly (whatever the kernel's inlining leaves:
#      amm2, redc2, sqr_wide, ams2, amm1, pub_exp, ...; nothing is hard-coded), its loops (backward branches to a
#      label inside the function) and, in each, the IFMA loops: those holding vpmadd52luq/huq with no such loop
#      inside. Each is cut out (label to back-branch) and run through llvm-mca -iterations=500; a function with IFMA
#      but no loop (fully unrolled) is run whole with -iterations=20. Hottest loop first ("loop 1/2" ...).
#   3. One row per (function, width, IFMA loop): IFMA/iter (VPMADD52 per iteration), IFMA/vec (IFMA/iter per
#      accumulator vector, K_V = ceil(N / lanes)), cycles/iter (Total Cycles / iterations), IFMA/cycle.
#      One limb step of the word-serial Montgomery loop is 8 IFMA/vec for amm2, 4 for amm1 and redc2, 2 for redc1
#      (the "iteration" column says so for functions named *_amm2/_amm1/_redc2/_redc1; pub_exp's inlined
#      squaring-reduction loop is a redc1 step at 2 IFMA/vec); the sqr_wide loop is one block, 2 IFMA. A loop-free
#      function's cycles are per call. Functions without IFMA (crt_exp calling the others) are listed at the end.
#
#   The multi-buffer kernel (ifma_mb_kernel.h: *_mb_amm, *_mb_ams) is compiled with IFMA_MB_MCA, which unrolls its
#   per-limb-step loops too (only here; SwiftPM builds keep them loops): each function is then loop-free and its
#   row is one whole 8-lane (zmm) or 4-lane (ymm) call, with the exact IFMA count per call in IFMA/iter.
#
# Calibration caveats (IFMA-ZEN4.md, measured on a Zen 4 against llvm-mca 16 -mcpu=sapphirerapids, which gives the
# same figures as icelake-server): it orders kernel variants as the hardware does, but the sizes are unreliable
# (a 3 % predicted gain measured 24 %, a 10 % one measured 0 %).
#   - ymm: 5-12 % low (22 % for one N = 20 variant);
#   - zmm: 20-35 % low: the model assumes 2 zmm IFMA per cycle (Zen 4 does 1; 2 ymm);
#   - store-forwarding chains are not modelled (sqr_wide v1 at zmm came out 33 % low);
#   - LLVM 16's znver4 model is unusable for IFMA (0.5 VPMADD52 per cycle at both widths, flat ~83 cycles/amm2);
#   - LLVM 17+ replaced the sapphirerapids model (LLVM 19's figures differ by up to 35 % and are not calibrated;
#     LLVM 14 and 16 agree on the current kernel). So llvm-mca-16 is used, installed (Debian llvm-16) if missing.
#
# Environment: MCA (an llvm-mca binary, default llvm-mca-16), MCPU (default sapphirerapids), CC, MCA_OUT (default
# /tmp/signet-ifma-mca: the .s files and the cut loops, <function>.<k>.s). Runs under nice -n 19, one core.
# Needs: python3, Swift's clang (or CC), llvm-16 (apt-get installed when missing).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
S=$(cd "${1:-$ROOT/Sources/CSignetIFMA}" && pwd)
cd "$ROOT"
OUT=${MCA_OUT:-/tmp/signet-ifma-mca}
MCPU=${MCPU:-sapphirerapids}
CC=${CC:-/opt/swift/usr/bin/clang}
[ -x "$CC" ] || command -v "$CC" >/dev/null || CC=clang
MCA=${MCA:-llvm-mca-16}
if [ "$MCA" = llvm-mca-16 ] && ! command -v llvm-mca-16 >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq llvm-16 >/dev/null
fi
command -v "$MCA" >/dev/null || { echo "mca.sh: $MCA not found" >&2; exit 1; }
SRCS=$(ls "$S"/ifma_avx*.c 2>/dev/null) || { echo "mca.sh: no ifma_avx*.c in $S" >&2; exit 1; }
rm -rf "$OUT" && mkdir -p "$OUT"

ASM=()
for c in $SRCS; do
    a=$OUT/$(basename "$c" .c).s
    nice -n 19 "$CC" -std=c11 -O2 -DSIGNET_IFMA_TESTING -DIFMA_MB_MCA -I"$S" -I"$S/include" -S "$c" -o "$a"
    ASM+=("$a")
done
echo "# $MCA ($("$MCA" --version | sed -n 's/.*LLVM version //p')) -mcpu=$MCPU, loops -iterations=500, loop-free" \
    "bodies 20; $("$CC" --version | head -1 | sed 's/ ([^)]*)//'); src ${S#"$ROOT"/}"
nice -n 19 python3 perf/ifma/mca.py "$MCA" "$MCPU" "$OUT" "${ASM[@]}"
