#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# perf/ccheck.sh - the checks of Signet's own C that CI runs (`./dev ccheck`, called from .ci/run): the targets
# Sources/CSignetIFMA, Sources/CSignetEC and Sources/CMallocCounter. Exits non-zero, naming the part, as soon as
# one part fails; prints each part's wall time at the end.
#
#   a. warnings: every source of the three targets compiled on its own, production configuration, with gcc, and
#      checked by clang's front end (-fsyntax-only: clang has no optimiser-dependent warnings, and part d compiles
#      every source with clang), -std=c11 -Wall -Wextra -Werror -pedantic -O2; the two drivers below as well. The
#      gcc objects then run them on this machine: perf/ec/test_ec (all Wycheproof ECDSA P-256/384/521 and Ed25519
#      vectors, edge cases, a differential against OpenSSL EVP) and perf/ifma/test_ifma_kat (Wycheproof RSA sig_gen
#      through the public API, both emulated backends, plus the native ones where the CPU has AVX-512 IFMA).
#   b. perf/ifma/check.sh in its ci profile: the test-configuration warnings, then test_ifma under ASan + UBSan on
#      the emulated backends (and on the native ones where /proc/cpuinfo lists avx512ifma).
#   c. perf/ec/test_ec under -fsanitize=address,undefined -fno-sanitize-recover=all (gcc, leak detection on).
#   d. aarch64 (Graviton, Ampere): every source cross-compiled with clang --target=aarch64-linux-gnu
#      --sysroot=/usr/aarch64-linux-gnu (Debian's libc6-dev-arm64-cross), same flags; the objects must hold no
#      AVX-512 or MULX/ADX code; then test_ec and test_ifma_kat linked statically (aarch64-linux-gnu-gcc) and run
#      under qemu-aarch64 (test_ifma_kat also checks that signet_ifma_support() is 0 there and that the native
#      backends are refused, the contract that keeps Swift on OpenSSL).
#
# Installs what it lacks with apt-get (quietly; as root, else through sudo): gcc, python3, libssl-dev, libgmp-dev,
# gcc-aarch64-linux-gnu, libc6-dev-arm64-cross, qemu-user (without recommends: no binfmt registration), and clang if
# neither `clang` nor the Swift toolchain's /opt/swift/usr/bin/clang is there.
# `perf/ccheck.sh --deps` only installs. Environment: CCHECK_PARTS (default "a b c d": the parts to run), CCHECK_OUT
# (default: a new directory /tmp/signet-ccheck.XXXXXX per run, removed when the run passes, kept and named when it
# fails; two runs side by side, say CI's and a developer's, must never link each other's objects),
# CCHECK_JOBS (compilations and runs at once; default: the number of CPUs), SEED (the drivers' random choices;
# printed), KEY_CACHE (check.sh's RSA test keys).
set -euo pipefail
cd "$(dirname "$0")/.."
PARTS=" ${CCHECK_PARTS:-a b c d} "
if [ -n "${CCHECK_OUT:-}" ]; then
    OUT=$CCHECK_OUT
    OWN_OUT=0
else
    OUT=$(mktemp -d "${TMPDIR:-/tmp}/signet-ccheck.XXXXXX")
    OWN_OUT=1
fi
JOBS=${CCHECK_JOBS:-$(nproc)}
SEED=${SEED:-$(date +%s)}
IFMA=Sources/CSignetIFMA
EC=Sources/CSignetEC
MC=Sources/CMallocCounter
W=Tests/Vectors/wycheproof
WARN="-std=c11 -Wall -Wextra -Werror -pedantic"
A64="--target=aarch64-linux-gnu --sysroot=/usr/aarch64-linux-gnu"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
mkdir -p "$OUT"
rm -rf "${OUT:?}"/gcc "${OUT:?}"/clang "${OUT:?}"/asan "${OUT:?}"/a64

# ---- bookkeeping: the current part, each part's time, the verdict on exit ---------------------------------------
part=setup
part_start=$SECONDS
times=""
begin() {
    part=$1
    part_start=$SECONDS
    echo
    echo "== ccheck $1"
}
end() { times+="${part%%:*} $((SECONDS - part_start)) s; "; }
on_exit() {
    local rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "ccheck: FAILED in part ${part%%:*} (exit $rc) after $SECONDS s${times:+; passed: $times}; its files: $OUT" >&2
    elif [ "$OWN_OUT" = 1 ]; then
        rm -rf "$OUT"
    fi
}
trap on_exit EXIT

# ---- dependencies ----------------------------------------------------------------------------------------------
install() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "ccheck: installing ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    # a fresh machine may have no package lists yet
    apt-cache show "${missing[@]}" > /dev/null 2>&1 || $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
}
install gcc libc6-dev python3 libssl-dev libgmp-dev gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
if ! command -v clang > /dev/null; then
    if [ -x /opt/swift/usr/bin/clang ]; then export PATH="/opt/swift/usr/bin:$PATH"; else install clang; fi
fi
# --deps: install, then stop (CI installs everything before it starts this script beside the Swift build)
if [ "${1:-}" = "--deps" ]; then trap - EXIT; [ "$OWN_OUT" = 0 ] || rm -rf "$OUT"; exit 0; fi
echo "ccheck: $(gcc --version | head -1); $(clang --version | head -1); $(aarch64-linux-gnu-gcc --version | head -1);" \
    "$(qemu-aarch64 --version | head -1); $JOBS jobs; seed $SEED"

# ---- helpers ---------------------------------------------------------------------------------------------------
# queue DIR "COMPILER AND FLAGS" SOURCE...: adds each source's compilation to DIR/<name>.o to the queue; compile
# runs the queue, $JOBS at a time, the heavy translation units (the IFMA kernel's instantiations, the NIST curves)
# first so that the light ones fill in beside them.
QUEUE=()
queue() {
    local dir=$1 cc=$2 f
    shift 2
    mkdir -p "$dir"
    for f in "$@"; do QUEUE+=("$cc -c $f -o $dir/$(basename "$f" .c).o"); done
}
compile() {
    local c heavy=() light=()
    for c in "${QUEUE[@]}"; do
        case "$c" in *ifma_emu[48].c* | *ec_p[0-9]*.c* | *ifma_avx*.c*) heavy+=("$c") ;; *) light+=("$c") ;; esac
    done
    QUEUE=()
    printf '%s\n' "${heavy[@]}" "${light[@]}" | xargs -d '\n' -P "$JOBS" -I{} sh -c '{}'
}

# side_by_side LABEL COMMAND [LABEL COMMAND]...: the commands, $JOBS at a time, each into its own log; then the logs
# in order, each with its exit status; fails if any command failed.
side_by_side() {
    local labels=() pids=() i=0 rc failed=0
    while [ $# -gt 0 ]; do
        while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do sleep 0.2; done
        labels+=("$1")
        bash -c "$2" > "$OUT/run-$i.log" 2>&1 &
        pids+=($!)
        i=$((i + 1))
        shift 2
    done
    for i in "${!pids[@]}"; do
        rc=0
        wait "${pids[$i]}" || rc=$?
        echo "-- ${labels[$i]} (exit $rc)"
        cat "$OUT/run-$i.log"
        [ "$rc" -eq 0 ] || failed=1
    done
    return $failed
}

IFMA_SRCS=$(ls $IFMA/*.c)
EC_SRCS=$(ls $EC/*.c)
python3 perf/ec/wycheproof_ec_to_txt.py $W/ecdsa_secp256r1_sha256_p1363_test.json \
    $W/ecdsa_secp384r1_sha384_p1363_test.json $W/ecdsa_secp521r1_sha512_p1363_test.json $W/ed25519_test.json \
    > "$OUT/ec-vectors.txt"
python3 perf/ifma/wycheproof_to_txt.py --em $W/rsa_pkcs1_2048_sig_gen_test.json $W/rsa_pkcs1_3072_sig_gen_test.json \
    $W/rsa_pkcs1_4096_sig_gen_test.json > "$OUT/rsa-vectors.txt"

# ---- a. warnings, and the drivers on the host ------------------------------------------------------------------
if [[ $PARTS == *" a "* ]]; then
begin "a: -Wall -Wextra -Werror -pedantic, gcc and clang, every own C target; drivers on the gcc objects"
# gcc compiles (some of its warnings need the optimiser's analysis); clang's warnings all come from its front end,
# so it only checks the syntax here (part d compiles every source with clang, for aarch64, with the same flags).
queue "$OUT/gcc/ifma" "gcc $WARN -O2 -I$IFMA/include" $IFMA_SRCS perf/ifma/test_ifma_kat.c
queue "$OUT/gcc/ec" "gcc $WARN -O2 -DTEST_EC_OPENSSL -I$EC/include" $EC_SRCS perf/ec/test_ec.c
queue "$OUT/gcc/mc" "gcc $WARN -O2 -I$MC/include" $MC/counter.c
for f in $IFMA_SRCS perf/ifma/test_ifma_kat.c; do QUEUE+=("clang $WARN -O2 -fsyntax-only -I$IFMA/include $f"); done
for f in $EC_SRCS perf/ec/test_ec.c; do QUEUE+=("clang $WARN -O2 -fsyntax-only -DTEST_EC_OPENSSL -I$EC/include $f"); done
QUEUE+=("clang $WARN -O2 -fsyntax-only -I$MC/include $MC/counter.c")
compile
echo "gcc: clean ($(ls "$OUT"/gcc/*/*.o | wc -l) objects); clang: clean (front end, every source)"
gcc "$OUT"/gcc/ec/*.o -o "$OUT/test_ec" -lcrypto
gcc "$OUT"/gcc/ifma/*.o -o "$OUT/test_ifma_kat"
side_by_side \
    "test_ec (host, gcc -O2)" "$OUT/test_ec --vectors $OUT/ec-vectors.txt --seed $SEED --diff-keys 8 --diff-sigs 8" \
    "test_ifma_kat (host, gcc -O2)" "$OUT/test_ifma_kat --vectors $OUT/rsa-vectors.txt"
end
fi

# ---- b. perf/ifma/check.sh, ci profile -------------------------------------------------------------------------
if [[ $PARTS == *" b "* ]]; then
begin "b: perf/ifma/check.sh (CHECK_PROFILE=ci: ASan + UBSan, emulated backends; native where IFMA)"
CHECK_PROFILE=ci CHECK_JOBS="$JOBS" CHECK_OUT="$OUT/ifma-check" SEED="$SEED" bash perf/ifma/check.sh
end
fi

# ---- c. test_ec under ASan + UBSan -----------------------------------------------------------------------------
# (-g1: line tables only, for the reports' file:line; full -g makes gcc's variable tracking triple the compile time)
if [[ $PARTS == *" c "* ]]; then
begin "c: perf/ec/test_ec under -fsanitize=address,undefined (gcc -O1)"
queue "$OUT/asan/ec" "gcc -std=c11 -O1 -g1 $SAN -DTEST_EC_OPENSSL -I$EC/include" $EC_SRCS perf/ec/test_ec.c
compile
gcc $SAN "$OUT"/asan/ec/*.o -o "$OUT/test_ec_asan" -lcrypto
side_by_side "test_ec (ASan + UBSan)" "ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    $OUT/test_ec_asan --vectors $OUT/ec-vectors.txt --seed $SEED --diff-keys 4 --diff-sigs 4"
end
fi

# ---- d. aarch64 ------------------------------------------------------------------------------------------------
if [[ $PARTS == *" d "* ]]; then
begin "d: aarch64 - clang --target=aarch64-linux-gnu with Debian's arm64 libc, static drivers under qemu-aarch64"
queue "$OUT/a64/ifma" "clang $A64 $WARN -O2 -I$IFMA/include" $IFMA_SRCS perf/ifma/test_ifma_kat.c
queue "$OUT/a64/ec" "clang $A64 $WARN -O2 -I$EC/include" $EC_SRCS perf/ec/test_ec.c
queue "$OUT/a64/mc" "clang $A64 $WARN -O2 -I$MC/include" $MC/counter.c
compile
for o in "$OUT"/a64/*/*.o; do
    aarch64-linux-gnu-readelf -h "$o" | grep -q "Machine: *AArch64" || { echo "$o: not an AArch64 object" >&2; exit 1; }
done
# the native backends (AVX-512 IFMA intrinsics) and the MULX/ADX row exist only for x86-64
if aarch64-linux-gnu-nm --format=just-symbols "$OUT"/a64/ifma/*.o | grep -E 'avx256|avx512|row_adx|bmi2'; then
    echo "x86-only code in the aarch64 objects (above)" >&2
    exit 1
fi
echo "clang --target=aarch64-linux-gnu: clean ($(ls "$OUT"/a64/*/*.o | wc -l) AArch64 objects, no AVX-512 or MULX/ADX" \
    "symbols)"
aarch64-linux-gnu-gcc -static "$OUT"/a64/ec/*.o -o "$OUT/test_ec_a64"
aarch64-linux-gnu-gcc -static "$OUT"/a64/ifma/*.o -o "$OUT/test_ifma_kat_a64"
side_by_side \
    "test_ec (aarch64, qemu-user)" "qemu-aarch64 $OUT/test_ec_a64 --vectors $OUT/ec-vectors.txt --seed $SEED" \
    "test_ifma_kat (aarch64, qemu-user)" \
    "qemu-aarch64 $OUT/test_ifma_kat_a64 --vectors $OUT/rsa-vectors.txt --per-group 1"
end
fi

echo
echo "ccheck: all passed in $SECONDS s: ${times:-no part run (CCHECK_PARTS)}"
