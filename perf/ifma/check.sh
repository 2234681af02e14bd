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
#   5. perf/ifma/test_mb.c, the multi-buffer kernel (ifma_mb_kernel.h) against GMP: optimised on every backend
#      (emulated 4/8 lanes, native where the CPU has IFMA), on the fake intrinsics, under the sanitizers, plus
#      its two mutant kernels, which must be caught; and perf/ifma/test_mb_rsa.c, the multi-buffer RSA CRT private
#      operation (ifma_mb_rsa.c) against OpenSSL, with a faulted lane and an out-of-range lane, the same ways.
#
# CHECK_PROFILE=ci (what perf/ccheck.sh runs in CI, a few minutes less): leaves out what perf/ccheck.sh does itself
# (the per-file -Werror builds of the production sources, gcc and clang, and the aarch64 cross-compile with real
# headers) and the optimised and fake-intrinsics runs; keeps the test-configuration warnings and step 4 on one
# sanitizer build, the emulated backends side by side: 4-lane with the MULX/ADX row (where the CPU has BMI2 + ADX)
# and 8-lane with the portable-C row, test_mb (emulated 4 and 8 lanes, reduced, with its mutants) and test_mb_rsa
# (emulated 8 lanes, one batch per size plus the fault and range batches). Where the CPU has AVX-512 IFMA (/proc/cpuinfo: avx512ifma) the native 256-
# and 512-bit backends run under the sanitizers too; elsewhere they are NOT RUN in this profile.
#
# Environment: CHECK_PROFILE (full, the default, or ci), CHECK_KEYS (default 20), CHECK_JOBS (compilations and
# sanitizer runs at once; default: the number of CPUs), CHECK_OUT (default: a new directory /tmp/signet-ifma-check.XXXXXX per run, removed
# when the run passes, so that two runs side by side never link each other's objects), KEY_CACHE
# (default /tmp/signet-ifma-keys: OpenSSL-generated test keys are cached there; delete it for fresh keys), SEED.
# Needs: gcc, clang (optional), python3, libgmp-dev, libssl-dev; for the aarch64 step with real headers,
# libc6-dev-arm64-cross (without it: stub headers).
set -euo pipefail
cd "$(dirname "$0")/../.."
S=Sources/CSignetIFMA
PROFILE=${CHECK_PROFILE:-full}
case "$PROFILE" in full | ci) ;; *) echo "check.sh: CHECK_PROFILE must be full or ci" >&2; exit 64 ;; esac
if [ -n "${CHECK_OUT:-}" ]; then
    OUT=$CHECK_OUT
else
    OUT=$(mktemp -d "${TMPDIR:-/tmp}/signet-ifma-check.XXXXXX")
    trap 'rc=$?; if [ "$rc" -eq 0 ]; then rm -rf "$OUT"; else echo "check.sh: failed (exit $rc); its files: $OUT" >&2; fi' EXIT
fi
KEYS=${CHECK_KEYS:-20}
JOBS=${CHECK_JOBS:-$(nproc)}
CACHE=${KEY_CACHE:-/tmp/signet-ifma-keys}
SEED=${SEED:-$(date +%s)}
mkdir -p "$OUT"
WARN="-std=c11 -Wall -Wextra -Werror -pedantic"
SRCS=$(ls $S/*.c)
# what the multi-buffer driver links (its kernel lives in the backend files)
MB_SRCS="$S/ifma_mb.c $S/ifma_mb_rsa.c $S/ifma_cpu.c $S/ifma_bn.c $S/ifma_emu4.c $S/ifma_emu8.c $S/ifma_avx256.c $S/ifma_avx512.c"
IFMA_CPU=0
grep -q avx512ifma /proc/cpuinfo 2>/dev/null && IFMA_CPU=1
t0=$(date +%s)

# build BINARY DIR "FLAGS" LIBS SOURCE...: each source compiled to DIR on its own, $JOBS at a time, then linked.
build() {
    local bin=$1 dir=$2 flags=$3 libs=$4
    shift 4
    mkdir -p "$dir"
    rm -f "$dir"/*.o
    printf '%s\n' "$@" | xargs -P "$JOBS" -I{} sh -c "gcc $flags -c {} -o $dir/\$(basename {} .c).o"
    gcc $flags "$dir"/*.o -o "$bin" $libs
}

echo "== warnings"
for cc in gcc clang; do
    command -v $cc >/dev/null || { echo "$cc: not installed, skipped"; continue; }
    if [ "$PROFILE" = full ]; then
        for f in $SRCS; do
            $cc $WARN -O2 -I$S/include -c "$f" -o "$OUT/w.o"
        done
    fi
    $cc $WARN -O2 -fsyntax-only -DSIGNET_IFMA_TESTING -DSIGNET_IFMA_CTGRIND -I$S -I$S/include $SRCS \
        perf/ifma/test_ifma.c perf/ifma/test_ifma_kat.c perf/ifma/ctgrind.c perf/ifma/dudect.c perf/ifma/bench.c \
        perf/ifma/test_mb.c perf/ifma/test_mb_rsa.c perf/ifma/mb_bench.c
    for w in 256 512; do # the kernel microbenchmark includes a native backend's source
        $cc $WARN -O2 -fsyntax-only -DW=$w -I$S -I$S/include perf/ifma/amm.c
    done
    if [ "$PROFILE" = full ]; then echo "$cc: clean"; else echo "$cc: clean (test configuration)"; fi
done
# aarch64: clang cross-compiles to objects, to prove the engine builds there with the native backends compiled out:
# with Debian's aarch64 libc headers where libc6-dev-arm64-cross is installed (perf/ccheck.sh installs it, builds
# and runs there), else with clang's freestanding headers plus two stub libc headers (declarations only; nothing is
# linked).
if [ "$PROFILE" = ci ]; then
    echo "aarch64: left to perf/ccheck.sh (real headers, and a run under qemu-user)"
elif command -v clang >/dev/null && [ -f /usr/aarch64-linux-gnu/include/stdlib.h ]; then
    for f in $SRCS; do
        clang --target=aarch64-linux-gnu --sysroot=/usr/aarch64-linux-gnu $WARN -O2 -I$S/include -c "$f" \
            -o "$OUT/a64.o"
    done
    echo "clang --target=aarch64-linux-gnu --sysroot=/usr/aarch64-linux-gnu: clean (native backends compiled out)"
elif command -v clang >/dev/null; then
    mkdir -p "$OUT/a64stub"
    printf '#include <stddef.h>\nvoid *aligned_alloc(size_t, size_t);\nvoid free(void *);\n' > "$OUT/a64stub/stdlib.h"
    printf '#include <stddef.h>\nvoid *memset(void *, int, size_t);\nvoid *memcpy(void *, const void *, size_t);\n' \
        > "$OUT/a64stub/string.h"
    for f in $SRCS; do
        clang --target=aarch64-linux-gnu $WARN -O2 -ffreestanding -nostdlibinc -isystem "$OUT/a64stub" \
            -I$S/include -c "$f" -o "$OUT/a64.o"
    done
    echo "clang --target=aarch64-linux-gnu: clean with stub libc headers (native backends compiled out;" \
        "install libc6-dev-arm64-cross for the real ones)"
fi

echo "== Wycheproof vectors"
python3 perf/ifma/wycheproof_to_txt.py Tests/Vectors/wycheproof/rsa_pkcs1_2048_sig_gen_test.json \
    Tests/Vectors/wycheproof/rsa_pkcs1_3072_sig_gen_test.json Tests/Vectors/wycheproof/rsa_pkcs1_4096_sig_gen_test.json > "$OUT/wycheproof.txt"
echo "$(grep -c '^K' "$OUT/wycheproof.txt") key groups, $(grep -c '^T' "$OUT/wycheproof.txt") signatures"

if [ "$PROFILE" = ci ]; then
    # -g1 (line tables: the sanitizers' reports keep file:line) compiles the kernel twice as fast as -g
    SAN="-std=c11 -O1 -g1 -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
    echo "== tests under -fsanitize=address,undefined (ci profile: reduced counts, no Wycheproof - perf/ccheck.sh" \
        "runs those vectors through test_ifma_kat)"
    build "$OUT/test_ifma_asan" "$OUT/obj-asan" "$SAN -DSIGNET_IFMA_TESTING -I$S -I$S/include" "-lgmp -lcrypto" \
        $SRCS perf/ifma/test_ifma.c
    # the 4-lane run goes through a blinding regeneration (34 calls); the 8-lane one, lighter, also on the other row
    RUNS=("--backend 0 --long 34" "--backend 3 --row 0 --long 2")
    # the multi-buffer driver on the same sanitizer objects (its own main instead of test_ifma's)
    gcc $SAN -DSIGNET_IFMA_TESTING -I$S -I$S/include -c perf/ifma/test_mb.c -o "$OUT/test_mb_asan.o"
    gcc $SAN $(ls "$OUT"/obj-asan/*.o | grep -v '/test_ifma\.o$') "$OUT/test_mb_asan.o" -o "$OUT/test_mb_asan" \
        -lgmp -lcrypto
    gcc $SAN -DSIGNET_IFMA_TESTING -I$S -I$S/include -c perf/ifma/test_mb_rsa.c -o "$OUT/test_mb_rsa_asan.o"
    gcc $SAN $(ls "$OUT"/obj-asan/*.o | grep -v '/test_ifma\.o$') "$OUT/test_mb_rsa_asan.o" \
        -o "$OUT/test_mb_rsa_asan" -lgmp -lcrypto
    MB_BACKENDS="--backend 0 --backend 3"
    RSA_BACKENDS="--backend 3"
    [ "$IFMA_CPU" = 1 ] && MB_BACKENDS+=" --backend 1 --backend 2" && RSA_BACKENDS+=" --backend 1 --backend 2"
    # shellcheck disable=SC2086
    ASAN_OPTIONS=detect_leaks=1 "$OUT/test_mb_rsa_asan" --cache "$CACHE" --seed "$SEED" $RSA_BACKENDS --batches 1 \
        > "$OUT/asan-mb-rsa.log" 2>&1 &
    rsa_pid=$!
    if [ "$IFMA_CPU" = 1 ]; then RUNS+=("--backend 1 --long 34" "--backend 2 --long 2"); else
        echo "native backends 1 and 2: NOT RUN (no avx512ifma in /proc/cpuinfo)"; fi
    pids=()
    for i in "${!RUNS[@]}"; do
        while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do sleep 0.2; done
        # shellcheck disable=SC2086
        ASAN_OPTIONS=detect_leaks=1 "$OUT/test_ifma_asan" --cache "$CACHE" --seed "$SEED" ${RUNS[$i]} --keys 1 \
            --msgs 2 --long4k 2 --moduli 1 > "$OUT/asan-$i.log" 2>&1 &
        pids+=($!)
    done
    # shellcheck disable=SC2086
    mb_rc=0
    ASAN_OPTIONS=detect_leaks=1 "$OUT/test_mb_asan" --seed "$SEED" $MB_BACKENDS --count 8 --exps 1 --mutants \
        > "$OUT/asan-mb.log" 2>&1 || mb_rc=$?
    failed=0
    for i in "${!RUNS[@]}"; do
        rc=0
        wait "${pids[$i]}" || rc=$?
        echo "-- test_ifma ${RUNS[$i]} (exit $rc)"
        cat "$OUT/asan-$i.log"
        [ "$rc" = 0 ] || failed=1
    done
    echo "-- test_mb $MB_BACKENDS --count 8 --exps 1 --mutants (exit $mb_rc)"
    cat "$OUT/asan-mb.log"
    [ "$mb_rc" = 0 ] || failed=1
    rsa_rc=0
    wait "$rsa_pid" || rsa_rc=$?
    echo "-- test_mb_rsa $RSA_BACKENDS --batches 1 (exit $rsa_rc)"
    cat "$OUT/asan-mb-rsa.log"
    [ "$rsa_rc" = 0 ] || failed=1
    [ "$failed" = 0 ] || { echo "== check.sh: FAILED (sanitizer runs)"; exit 1; }
    echo "== check.sh (ci profile): all passed in $(( $(date +%s) - t0 )) s"
    exit 0
fi

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
echo "== multi-buffer kernel vs GMP (test_mb: every backend here, then the mutants)"
# shellcheck disable=SC2086
build "$OUT/test_mb" "$OUT/obj-mb" "-std=c11 -O2 -g -DSIGNET_IFMA_TESTING -I$S -I$S/include" "-lgmp -lcrypto" \
    $MB_SRCS perf/ifma/test_mb.c
"$OUT/test_mb" --seed "$SEED" --count 40 --exps 2 --mutants
# mb_link BINARY OBJDIR "FLAGS": test_mb_rsa on the objects test_mb was built from
mb_link() {
    # shellcheck disable=SC2086
    gcc $3 -DSIGNET_IFMA_TESTING -I$S -I$S/include -c perf/ifma/test_mb_rsa.c -o "$2/../$(basename "$1").o"
    # shellcheck disable=SC2086
    gcc $3 $(ls "$2"/*.o | grep -v '/test_mb\.o$') "$2/../$(basename "$1").o" -o "$1" -lgmp -lcrypto
}
mb_link "$OUT/test_mb_rsa" "$OUT/obj-mb" "-std=c11 -O2 -g"
"$OUT/test_mb_rsa" --cache "$CACHE" --seed "$SEED" --batches 3

echo "== native backends' intrinsic mappings, executed on Intel's pseudocode (perf/ifma/fake_immintrin.h)"
gcc -std=c11 -O3 -g -Wall -Wextra -Werror -DSIGNET_IFMA_TESTING -DSIGNET_IFMA_FAKE_INTRINSICS -Iperf/ifma -I$S \
    -I$S/include $SRCS perf/ifma/test_ifma.c -o "$OUT/test_ifma_fake" -lgmp -lcrypto
for b in 1 2; do
    "$OUT/test_ifma_fake" "${COMMON[@]}" --backend $b --keys 3 --msgs 2 --long 34 --moduli 2
done
# shellcheck disable=SC2086
build "$OUT/test_mb_fake" "$OUT/obj-mb-fake" \
    "-std=c11 -O2 -g -Wall -Wextra -Werror -DSIGNET_IFMA_TESTING -DSIGNET_IFMA_FAKE_INTRINSICS -Iperf/ifma -I$S -I$S/include" \
    "-lgmp -lcrypto" $MB_SRCS perf/ifma/test_mb.c
"$OUT/test_mb_fake" --seed "$SEED" --backend 1 --backend 2 --count 16 --exps 1
mb_link "$OUT/test_mb_rsa_fake" "$OUT/obj-mb-fake" "-std=c11 -O2 -g"
"$OUT/test_mb_rsa_fake" --cache "$CACHE" --seed "$SEED" --backend 1 --backend 2 --batches 1

echo "== tests under -fsanitize=address,undefined"
gcc -std=c11 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
    -DSIGNET_IFMA_TESTING -I$S -I$S/include $SRCS perf/ifma/test_ifma.c -o "$OUT/test_ifma_asan" -lgmp -lcrypto
for b in 0 3; do
    ASAN_OPTIONS=detect_leaks=1 "$OUT/test_ifma_asan" --cache "$CACHE" --seed "$SEED" --backend $b --keys 1 --msgs 2 \
        --long 34 --long4k 2 --moduli 1
done
# shellcheck disable=SC2086
build "$OUT/test_mb_asan" "$OUT/obj-mb-asan" "-std=c11 -O1 -g1 -fsanitize=address,undefined -fno-sanitize-recover=all \
-fno-omit-frame-pointer -DSIGNET_IFMA_TESTING -I$S -I$S/include" "-lgmp -lcrypto" $MB_SRCS perf/ifma/test_mb.c
ASAN_OPTIONS=detect_leaks=1 "$OUT/test_mb_asan" --seed "$SEED" --backend 0 --backend 3 --count 8 --exps 1 --mutants
mb_link "$OUT/test_mb_rsa_asan" "$OUT/obj-mb-asan" "-std=c11 -O1 -g1 -fsanitize=address,undefined \
-fno-sanitize-recover=all -fno-omit-frame-pointer"
ASAN_OPTIONS=detect_leaks=1 "$OUT/test_mb_rsa_asan" --cache "$CACHE" --seed "$SEED" --backend 0 --backend 3 --batches 1
echo "== check.sh: all passed in $(( $(date +%s) - t0 )) s"
