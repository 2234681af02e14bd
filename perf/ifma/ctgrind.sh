#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# perf/ifma/ctgrind.sh - Valgrind memcheck with the secret key and the blinding randomness marked undefined
# (ctgrind method): any branch or address depending on a secret shows up as a memcheck error. Runs the emulated
# backends, which share the kernel source, control flow and addressing with the native ones (only the lane
# primitives differ, each one instruction there). Builds with gcc -O2, gcc -O3 and clang -O2 (SwiftPM's compiler).
#
# Also the multi-buffer kernel (perf/ifma/ctgrind_mb.c): mb_exp on both emulated backends, N = 20, 30, 40, with
# every lane's modulus, k0, R^2 mod m, base and exponent undefined, plus a control that must be flagged; and the
# multi-buffer RSA private operation (RSA-2048 on 8 lanes; RSA-4096 on 4 unless CTGRIND_QUICK=1) with every lane's
# p, q, dp, dq, qinv and blinding randomness undefined.
# Pass: zero memcheck errors. No suppressions are used.
# Environment: KEY_CACHE (default /tmp/signet-ifma-keys), CTGRIND_OUT (default /tmp/signet-ifma-ctgrind),
#   CTGRIND_QUICK=1 to skip the RSA-4096 runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
S=Sources/CSignetIFMA
OUT=${CTGRIND_OUT:-/tmp/signet-ifma-ctgrind}
CACHE=${KEY_CACHE:-/tmp/signet-ifma-keys}
mkdir -p "$OUT" "$CACHE"
status=0
CONFIGS=("gcc -O2" "gcc -O3")
command -v clang >/dev/null && CONFIGS+=("clang -O2") # SwiftPM builds C targets with clang
for cfg in "${CONFIGS[@]}"; do
    set -- $cfg
    cc=$1 opt=$2 tag=$1$2
    $cc -std=c11 $opt -g -gdwarf-4 -DSIGNET_IFMA_TESTING -DSIGNET_IFMA_CTGRIND -I$S -I$S/include $S/*.c \
        perf/ifma/ctgrind.c \
        -o "$OUT/ctgrind-$tag" -lcrypto
    # the fourth field picks the mod-n row: "c" portable C, "adx" MULX/ADCX/ADOX (the one IFMA CPUs run)
    runs=("0 2048 3 c" "0 2048 3 adx" "3 2048 3 c")
    [ "${CTGRIND_QUICK:-0}" = 1 ] || runs+=("0 4096 2 adx" "3 4096 2 adx") # 4096: the public op at N = 80
    for r in "${runs[@]}"; do
        set -- $r
        log="$OUT/memcheck-$tag-b$1-$2-$4.log"
        valgrind --tool=memcheck --error-exitcode=3 --track-origins=yes --num-callers=30 --log-file="$log" \
            "$OUT/ctgrind-$tag" "$CACHE" "$1" "$2" "$3" "$4" || true
        errs=$(grep -Eo 'ERROR SUMMARY: [0-9]+' "$log" | grep -Eo '[0-9]+$' || echo "?")
        cj=$(grep -c 'Conditional jump or move depends on uninitialised' "$log" || true)
        ad=$(grep -c 'Use of uninitialised value of size' "$log" || true)
        echo "ctgrind $cc $opt backend $1 RSA-$2 row $4: memcheck errors $errs" \
            "(secret-dependent branches $cj, addresses $ad); log $log"
        [ "$errs" = 0 ] || status=1
    done
done
# Control: the same harness with the engine built WITHOUT the declassification hooks. Memcheck must now flag the
# branches on the declassified facts (key checks, blinding validity, verify outcome) - proof that the secret taint
# really propagates through load, blinding, exponentiation, Garner and verify to those points.
gcc -std=c11 -O2 -g -gdwarf-4 -DSIGNET_IFMA_TESTING -I$S -I$S/include $S/*.c perf/ifma/ctgrind.c \
    -o "$OUT/ctgrind-control" -lcrypto
for row in c adx; do
    log="$OUT/control-$row.log"
    valgrind --tool=memcheck --num-callers=2 --log-file="$log" "$OUT/ctgrind-control" "$CACHE" 0 2048 2 $row || true
    nctl=$(grep -Eo 'ERROR SUMMARY: [0-9]+' "$log" | grep -Eo '[0-9]+$')
    echo "control (no declassification, row $row): memcheck flags $nctl errors at:"
    grep -A1 -E 'Conditional jump|Use of uninitialised' "$log" \
        | grep -Eo '(at|by) 0x[0-9A-F]+: [a-z_]+ \([a-z_.]+:[0-9]+\)' \
        | sed -E 's/.*: //' | sort | uniq -c
    grep -Eq 'ifma_(key|blinding|private|public|crt)\.c' "$log" ||
        { echo "control did not flag the engine (row $row): taint not propagating?"; status=1; }
done
# The multi-buffer kernel (issue 30): mb_exp with every lane's modulus, k0, R^2, base and exponent undefined.
MB_SRCS="$S/ifma_mb.c $S/ifma_mb_rsa.c $S/ifma_cpu.c $S/ifma_bn.c $S/ifma_emu4.c $S/ifma_emu8.c $S/ifma_avx256.c
    $S/ifma_avx512.c"
for cfg in "${CONFIGS[@]}"; do
    set -- $cfg
    cc=$1 opt=$2 tag=$1$2
    # shellcheck disable=SC2086
    $cc -std=c11 $opt -g -gdwarf-4 -DSIGNET_IFMA_TESTING -DSIGNET_IFMA_CTGRIND -I$S -I$S/include $MB_SRCS \
        perf/ifma/ctgrind_mb.c -o "$OUT/ctgrind-mb-$tag" -lgmp -lcrypto
    runs=("3 20" "0 20" "3 30" "3 rsa 2048 $CACHE")
    [ "${CTGRIND_QUICK:-0}" = 1 ] || runs+=("3 40" "0 40" "0 rsa 4096 $CACHE")
    for r in "${runs[@]}"; do
        set -- $r
        log="$OUT/memcheck-mb-$tag-b$1-$2${3:-}.log"
        # shellcheck disable=SC2068
        valgrind --tool=memcheck --error-exitcode=3 --track-origins=yes --num-callers=30 --log-file="$log" \
            "$OUT/ctgrind-mb-$tag" $@ || true
        errs=$(grep -Eo 'ERROR SUMMARY: [0-9]+' "$log" | grep -Eo '[0-9]+$' || echo "?")
        echo "ctgrind mb $cc $opt backend $1 ${2/rsa/RSA-}${3:-} (N = $2 if a number): memcheck errors $errs; log $log"
        [ "$errs" = 0 ] || status=1
    done
done
log="$OUT/control-mb.log"
valgrind --tool=memcheck --num-callers=2 --log-file="$log" "$OUT/ctgrind-mb-gcc-O2" 3 20 control || true
grep -q 'ctgrind_mb.c' "$log" || { echo "control (mb): the branch on the result was not flagged"; status=1; }
echo "control (mb, a branch on the undeclassified result): memcheck flags" \
    "$(grep -Eo 'ERROR SUMMARY: [0-9]+' "$log" | grep -Eo '[0-9]+$') error(s)"
# Control for the RSA layer: built without the declassification hooks, memcheck must flag the layer's verdicts.
# shellcheck disable=SC2086
gcc -std=c11 -O2 -g -gdwarf-4 -DSIGNET_IFMA_TESTING -I$S -I$S/include $MB_SRCS perf/ifma/ctgrind_mb.c \
    -o "$OUT/ctgrind-mb-control" -lgmp -lcrypto
log="$OUT/control-mb-rsa.log"
valgrind --tool=memcheck --num-callers=2 --log-file="$log" "$OUT/ctgrind-mb-control" 3 rsa 2048 "$CACHE" || true
grep -q 'ifma_mb_rsa\.c' "$log" || { echo "control (mb RSA): the layer's verdicts were not flagged"; status=1; }
echo "control (mb RSA, no declassification): memcheck flags" \
    "$(grep -Eo 'ERROR SUMMARY: [0-9]+' "$log" | grep -Eo '[0-9]+$') errors, in ifma_mb_rsa.c at lines" \
    "$(grep -Eo 'ifma_mb_rsa\.c:[0-9]+' "$log" | sort -u | sed 's/.*://' | tr '\n' ' ')"
[ $status = 0 ] && echo "ctgrind: PASS (no secret-dependent branch or address)" || echo "ctgrind: FAIL"
exit $status
