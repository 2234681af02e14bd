#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# perf/ifma/measure.sh - everything issues 9 and 16 ask to be measured on an AVX-512 IFMA CPU, in one command, logged to
# perf/out/ifma-measure-<UTC time>.txt (the figures for perf/RESULTS.md, with the CPU family and model):
#
#   1. perf/ifma/check.sh: the C tests, now with the native 256- and 512-bit backends on the real instructions;
#   2. perf/ifma/dudect.sh with BACKEND=1 and BACKEND=2: the timing test on the native instructions;
#   3. perf/ifma/bench.sh: private operations/s of OpenSSL and each backend, the work around the kernel, the
#      kernel alone with its IFMA instructions per cycle (which bound holds it: throughput or the serial chain), and
#      the public-key operation (OpenSSL's, each backend's with its IFMA instructions per cycle, the scalar one);
#      then perf/ifma/amm.sh: the kernel's multiplication alone, cycles per limb step per width and size;
#      then perf/ifma/mb_bench.sh: the multi-buffer kernel's mb_amm/mb_ams/mb_redc cycles per call and their ratio;
#   4. signet bench (release build) for RS512 and RS256 with --engine evp, ifma256, ifma512 and auto: mint and
#      verify next to OpenSSL 3.0's EVP sign and verify, interleaved in one run (mint/EVP and verify/EVP are the
#      engine's ratios to the system OpenSSL; the engine column says which engine signed and which verified);
#   5. signet cross-check --engine ifma256 / ifma512 at the issue's scale (10,000 messages over 100 fresh keys per
#      size, byte-identical to OpenSSL, GMPVerifier agreeing, every case also verified on the engine);
#   6. perf/compare.sh with SIGNET_RSA_ENGINE=ifma256 and =ifma512: Signet next to Python `cryptography` (its wheel
#      carries OpenSSL 4.0, with IFMA code for RSA-4096), the issue's reference; installed from PyPI if missing.
#
# Usage: perf/ifma/measure.sh [SECONDS per bench measurement, default 10]. About 40 minutes on 2 cores.
# Refuses (exit 2) on a CPU without AVX-512 IFMA: there, perf/ifma/check.sh runs the emulated tests. Exit 1 if any
# step failed (all steps run regardless; the summary at the end says which).
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-10}
mkdir -p perf/out
LOG=perf/out/ifma-measure-$(date -u +%Y%m%dT%H%M%SZ).txt
exec > >(tee "$LOG") 2>&1

echo "== $(date -u)  $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')," \
    "cpu family $(grep -m1 'cpu family' /proc/cpuinfo | sed 's/.*: //')," \
    "model $(grep -m1 -E '^model[[:space:]]+:' /proc/cpuinfo | sed 's/.*: //'), $(nproc) cores"
if ! grep -qw avx512ifma /proc/cpuinfo; then
    echo "this CPU does not report avx512ifma: nothing to measure here (perf/ifma/check.sh runs the emulated tests)"
    exit 2
fi
python3 -c 'import cryptography, jwt' 2>/dev/null || python3 -m pip install --quiet cryptography PyJWT ||
    echo "note: could not install cryptography/PyJWT; compare.sh will leave those peers out"

# Every step runs even if an earlier one failed (a failure is a finding, not a reason to lose the other figures);
# the summary at the end lists each step's exit status, and the script exits 1 if any failed.
declare -a SUMMARY=()
FAILED=0
step() {
    local name=$1
    shift
    echo "== $name"
    local rc=0
    "$@" || rc=$?
    SUMMARY+=("$(printf '%-58s %s' "$name" "$([ $rc = 0 ] && echo ok || echo "FAILED (exit $rc)")")")
    [ $rc = 0 ] || FAILED=1
}

step "1. perf/ifma/check.sh" bash perf/ifma/check.sh
for b in 1 2; do
    step "2. perf/ifma/dudect.sh, backend $b" env BACKEND=$b bash perf/ifma/dudect.sh
done
step "3. perf/ifma/bench.sh 3" bash perf/ifma/bench.sh 3
step "3. perf/ifma/amm.sh" bash perf/ifma/amm.sh
step "3. perf/ifma/mb_bench.sh (multi-buffer kernel calls)" bash perf/ifma/mb_bench.sh

step "4. release build of signet" swift build -c release --product signet
SIGNET=$(swift build -c release --show-bin-path)/signet
for alg in RS512 RS256; do
    for engine in evp ifma256 ifma512 auto; do
        step "4. signet bench --alg $alg --engine $engine" \
            "$SIGNET" bench --alg "$alg" --engine "$engine" --seconds "$SECS" --rounds 5
    done
done
for engine in ifma256 ifma512; do
    step "5. signet cross-check --engine $engine (100 keys/size)" \
        "$SIGNET" cross-check --engine "$engine" --bits 2048,4096 --keys 100 --count 20000 --threads 2
done
for engine in ifma256 ifma512; do
    step "6. perf/compare.sh, SIGNET_RSA_ENGINE=$engine" \
        env SIGNET_RSA_ENGINE=$engine bash perf/compare.sh 3 --no-jwtkit
done

echo "== summary ($LOG)"
printf '%s\n' "${SUMMARY[@]}"
exit $FAILED
