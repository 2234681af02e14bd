#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# perf/ifma/dudect.sh - dudect-style fixed-vs-random timing test of the engine (see dudect.c for the targets).
# Pass: max |t| < 4.5 on every target and crop. Runs the emulated backend by default (what this machine has);
# on an IFMA CPU run it with BACKEND=1 and BACKEND=2 too: only there are the native instructions' timings measured.
# Environment: SAMPLES (default 1500 per target), BACKEND (default 0), KEY_CACHE, DUDECT_OUT.
set -euo pipefail
cd "$(dirname "$0")/../.."
S=Sources/CSignetIFMA
OUT=${DUDECT_OUT:-/tmp/signet-ifma-dudect}
mkdir -p "$OUT" "${KEY_CACHE:-/tmp/signet-ifma-keys}"
gcc -std=c11 -O2 -DSIGNET_IFMA_TESTING -I$S -I$S/include $S/*.c perf/ifma/dudect.c -o "$OUT/dudect" -lcrypto -lgmp -lm
"$OUT/dudect" -n "${SAMPLES:-1500}" -b "${BACKEND:-0}" -c "${KEY_CACHE:-/tmp/signet-ifma-keys}"
