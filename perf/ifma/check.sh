#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# perf/ifma/check.sh - builds Sources/CSignetIFMA with plain cc and runs the C test driver.
#
#   1. warnings: gcc and clang, -std=c11 -Wall -Wextra -Werror -pedantic, production and test configurations;
#      an aarch64 syntax check where clang can target it (the engine must build there, reporting no support);
#   2. the driver (optimised build) on every backend: emulated 4-lane in full (>= 20 keys per size), emulated
#      8-lane reduced, the portable-C row of the mod-n arithmetic reduced (the MULX/ADX row runs everywhere else), native 256/512-bit in full wherever signet_ifma_support() reports IFMA (else NOT RUN);
#   3. the native backends' source (ifma_avx256.c, ifma_avx512.c) compiled against perf/ifma/fake_immintrin.h, Intel's
#      intrinsic pseudocode transcribed to portable C: executes every one-line intrinsic mapping here, reduced counts;
#   4. the driver again under AddressSanitizer + UndefinedBehaviorSanitizer, reduced counts (one key per size, the
#      blinding regeneration at 2048 bits, no Wycheproof), both emulated backends.
#
# Environment: CHECK_KEYS (default 20), CHECK_OUT (default /tmp/signet-ifma-check), KEY_CACHE (default
# /tmp/signet-ifma-keys: OpenSSL-generated test keys are cached there; delete it for fresh keys), SEED.
# Needs: gcc, clang (optional), python3, libgmp-dev, libssl-dev.
set -euo pipefail
cd "$(dirname "$0")/../.."
S=Sources/CSignetIFMA
OUT=${CHECK_OUT:-/tmp/signet-ifma-check}
KEYS=${CHECK_KEYS:-20}
CACHE=${KEY_CACHE:-/tmp/signet-ifma-keys}
SEED=${SEED:-$(date +%s)}
mkdir -p "$OUT"
WARN="-std=c11 -Wall -Wextra -Werror -pedantic"
SRCS=$(ls $S/*.c)
t0=$(date +%s)

echo "== warnings"
for cc in gcc clang; do
    command -v $cc >/dev/null || { echo "$cc: not installed, skipped"; continue; }
    for f in $SRCS; do
        $cc $WARN -O2 -I$S/include -c "$f" -o "$OUT/w.o"
    done
    $cc $WARN -O2 -fsyntax-only -DSIGNET_IFMA_TESTING -DSIGNET_IFMA_CTGRIND -I$S -I$S/include $SRCS \
        perf/ifma/test_ifma.c perf/ifma/ctgrind.c perf/ifma/dudect.c perf/ifma/bench.c
    for w in 256 512; do # the kernel microbenchmark includes a native backend's source
        $cc $WARN -O2 -fsyntax-only -DW=$w -I$S -I$S/include perf/ifma/amm.c
    done
    echo "$cc: clean"
done
# aarch64: clang cross-compiles to objects with its freestanding headers plus two stub libc headers (declarations
# only; nothing is linked), to prove the engine builds there with the native backends compiled out.
if command -v clang >/dev/null; then
    mkdir -p "$OUT/a64stub"
    printf '#include <stddef.h>\nvoid *aligned_alloc(size_t, size_t);\nvoid free(void *);\n' > "$OUT/a64stub/stdlib.h"
    printf '#include <stddef.h>\nvoid *memset(void *, int, size_t);\nvoid *memcpy(void *, const void *, size_t);\n' \
        > "$OUT/a64stub/string.h"
    for f in $SRCS; do
        clang --target=aarch64-linux-gnu $WARN -O2 -ffreestanding -nostdlibinc -isystem "$OUT/a64stub" \
            -I$S/include -c "$f" -o "$OUT/a64.o"
    done
    echo "clang --target=aarch64-linux-gnu: clean (native backends compiled out)"
fi

echo "== Wycheproof vectors"
python3 perf/ifma/wycheproof_to_txt.py Tests/Vectors/wycheproof/rsa_pkcs1_2048_sig_gen_test.json \
    Tests/Vectors/wycheproof/rsa_pkcs1_3072_sig_gen_test.json Tests/Vectors/wycheproof/rsa_pkcs1_4096_sig_gen_test.json > "$OUT/wycheproof.txt"
echo "$(grep -c '^K' "$OUT/wycheproof.txt") key groups, $(grep -c '^T' "$OUT/wycheproof.txt") signatures"

echo "== tests (optimised build)"
gcc -std=c11 -O3 -g -DSIGNET_IFMA_TESTING -I$S -I$S/include $SRCS perf/ifma/test_ifma.c -o "$OUT/test_ifma" \
    -lgmp -lcrypto
COMMON=(--cache "$CACHE" --wycheproof "$OUT/wycheproof.txt" --seed "$SEED")
"$OUT/test_ifma" "${COMMON[@]}" --backend 0 --keys "$KEYS" --msgs 5 --long 70
"$OUT/test_ifma" "${COMMON[@]}" --backend 3 --keys 3 --msgs 2 --long 34 --moduli 2
# the mod-n arithmetic's other row kernel (the runs above use MULX/ADX wherever the CPU has BMI2 + ADX)
"$OUT/test_ifma" "${COMMON[@]}" --backend 0 --row 0 --keys 3 --msgs 2 --long 34 --moduli 1
for b in 1 2; do
    "$OUT/test_ifma" "${COMMON[@]}" --backend $b --keys "$KEYS" --msgs 3 --long 70
done

echo "== native backends' intrinsic mappings, executed on Intel's pseudocode (perf/ifma/fake_immintrin.h)"
gcc -std=c11 -O3 -g -Wall -Wextra -Werror -DSIGNET_IFMA_TESTING -DSIGNET_IFMA_FAKE_INTRINSICS -Iperf/ifma -I$S \
    -I$S/include $SRCS perf/ifma/test_ifma.c -o "$OUT/test_ifma_fake" -lgmp -lcrypto
for b in 1 2; do
    "$OUT/test_ifma_fake" "${COMMON[@]}" --backend $b --keys 3 --msgs 2 --long 34 --moduli 2
done

echo "== tests under -fsanitize=address,undefined"
gcc -std=c11 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
    -DSIGNET_IFMA_TESTING -I$S -I$S/include $SRCS perf/ifma/test_ifma.c -o "$OUT/test_ifma_asan" -lgmp -lcrypto
for b in 0 3; do
    ASAN_OPTIONS=detect_leaks=1 "$OUT/test_ifma_asan" --cache "$CACHE" --seed "$SEED" --backend $b --keys 1 --msgs 2 \
        --long 34 --long4k 2 --moduli 1
done
echo "== check.sh: all passed in $(( $(date +%s) - t0 )) s"
