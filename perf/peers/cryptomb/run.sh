#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# perf/peers/cryptomb/run.sh - Intel crypto_mb as a peer, reproducible by anyone (issue 30): installs the library
# from PyPI into a cached venv (no vendored code), builds driver.c with gcc against it and OpenSSL 3, runs it.
#   perf/peers/cryptomb/run.sh [--jsonl | --bench] [--force | --selftest] [SECONDS] [LIST]
# SECONDS: per size (default 3). LIST: sizes (2048,3072,4096) or JWS names (RS256,PS384,...; RS and PS of one size
# share the raw private operation) or all (default).
# Output: the driver's lines (see driver.c). --jsonl: one JSON row per RSA JWS name for perf/compare.sh, peer
# "Intel crypto_mb (8 per call)", with signPerSecond or notRun (the text shown instead: "not run: needs AVX-512
# IFMA", "FAILED ..."); --bench: one line per size in perf/ifma/bench.sh's format. In both, the driver's own lines
# go to stderr. A wrong lane in any size marks every size FAILED: the run as a whole is not to be trusted.
# Exit: the driver's (0 measured; 77 skipped: the CPU has no AVX-512 IFMA; 1 a wrong lane or a bad lane status), or
# 2 when the install or the build fails.
# Environment: PEER_CACHE (default /tmp/signet-peers; the venv and the binary go to $PEER_CACHE/cryptomb),
# PYTHON (default python3), CC (default gcc).
# Pinned wheels, one release of Intel's oneAPI (bump all three together):
#   ipp-crypto 2026.2.0 (lib/libcrypto_mb.so, crypto_mb 2.3.0), ipp-crypto-include 2026.2.0 (include/aggregator/
#   crypto_mb/*.h), intel-cmplr-lib-rt 2026.2.0 (libsvml, libirng, libimf, libintlc, which libcrypto_mb.so needs).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PINS="ipp-crypto==2026.2.0 ipp-crypto-include==2026.2.0 intel-cmplr-lib-rt==2026.2.0"
PEER="Intel crypto_mb (8 per call)"
FORMAT=raw
SECS=3
LIST=all
PASS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --jsonl) FORMAT=jsonl ;;
        --bench) FORMAT=bench ;;
        --force | --selftest) PASS+=("$1") ;;
        -*) echo "usage: $0 [--jsonl | --bench] [--force | --selftest] [SECONDS] [LIST]" >&2; exit 2 ;;
        *[!0-9.]* | *,* | 2048 | 3072 | 4096) LIST=$1 ;; # names, a list or a size
        ?*) SECS=$1 ;;
        *) echo "usage: $0 [--jsonl | --bench] [--force | --selftest] [SECONDS] [LIST]" >&2; exit 2 ;;
    esac
    shift
done

# The JWS names wanted and the sizes they need (RS/PS256: 2048, RS/PS384: 3072, RS/PS512: 4096).
ALGS=()
SIZES=()
for t in RS256:2048 PS256:2048 RS384:3072 PS384:3072 RS512:4096 PS512:4096; do
    a=${t%%:*} b=${t#*:}
    if [ "$LIST" = all ] || [[ ",$LIST," == *",$a,"* || ",$LIST," == *",$b,"* ]]; then
        [[ ",$LIST," == *",$b,"* ]] || ALGS+=("$a")
        [[ " ${SIZES[*]-} " == *" $b "* ]] || SIZES+=("$b")
    fi
done
[ ${#SIZES[@]} -gt 0 ] || exit 0 # no RSA algorithm asked for: nothing to do
SIZELIST=$(IFS=,; echo "${SIZES[*]}")

# Install (once per pin set) and build (when driver.c or the pins change).
CACHE=${PEER_CACHE:-/tmp/signet-peers}/cryptomb
VENV=$CACHE/venv
mkdir -p "$CACHE"
if [ "$(cat "$VENV/.signet-pins" 2>/dev/null)" != "$PINS" ]; then
    echo "crypto_mb: installing $PINS from PyPI into $VENV…" >&2
    rm -rf "$VENV"
    # shellcheck disable=SC2086 # PINS is a word list
    if ! "${PYTHON:-python3}" -m venv "$VENV" >&2 || ! "$VENV/bin/pip" install --quiet --disable-pip-version-check \
        $PINS >&2; then
        echo "crypto_mb: could not install the wheels from PyPI" >&2
        exit 2
    fi
    echo "$PINS" > "$VENV/.signet-pins"
fi
# The wheels put their files under the venv's data directory (lib/, include/); find them rather than assume.
RSA_H=$(find "$VENV/" -path '*/crypto_mb/rsa.h' -print -quit)
LIB=$(find "$VENV/" -name 'libcrypto_mb.so' -print -quit)
RT=$(find "$VENV/" -name 'libsvml.so*' -print -quit)
if [ -z "$RSA_H" ] || [ -z "$LIB" ] || [ -z "$RT" ]; then
    echo "crypto_mb: in $VENV: crypto_mb/rsa.h ${RSA_H:-missing}, libcrypto_mb.so ${LIB:-missing}," \
        "libsvml.so ${RT:-missing}" >&2
    exit 2
fi
INC=$(dirname "$(dirname "$RSA_H")") # rsa.h includes <crypto_mb/defs.h>
LIBDIR=$(dirname "$LIB")
RTDIR=$(dirname "$RT")
BIN=$CACHE/driver
if [ ! -x "$BIN" ] || [ "$HERE/driver.c" -nt "$BIN" ] || [ "$VENV/.signet-pins" -nt "$BIN" ]; then
    # shellcheck disable=SC2046 # pkg-config prints flag lists
    if ! "${CC:-gcc}" -std=c11 -O2 -Wall -Wextra -I"$INC" $(pkg-config --cflags libcrypto 2>/dev/null) \
        "$HERE/driver.c" -o "$BIN" -L"$LIBDIR" -Wl,-rpath-link,"$LIBDIR:$RTDIR" -lcrypto_mb \
        $(pkg-config --libs libcrypto 2>/dev/null || echo -lcrypto) >&2; then
        echo "crypto_mb: could not build driver.c" >&2
        exit 2
    fi
fi
export LD_LIBRARY_PATH="$LIBDIR:$RTDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

if [ "$FORMAT" = raw ]; then
    exec "$BIN" ${PASS[@]+"${PASS[@]}"} "$SECS" "$SIZELIST"
fi
# Converted formats: the driver's own lines go to stderr (the skip line stays visible), the rows to stdout.
rc=0
lines=$("$BIN" ${PASS[@]+"${PASS[@]}"} "$SECS" "$SIZELIST") || rc=$?
printf '%s\n' "$lines" >&2
case $rc in
    0) why="" ;;
    77) why="not run: needs AVX-512 IFMA" ;;
    *) why="FAILED (exit $rc; see its lines on stderr)" ;;
esac
rows() { # rows FORMAT: one row per name (jsonl) or size (bench)
    local a b
    for t in "$@"; do
        a=${t%%:*} b=${t#*:}
        awk -v fmt="$FORMAT" -v alg="$a" -v bits="$b" -v peer="$PEER" -v why="$why" '
            $1 == "cryptomb" && $2 == "rsa" bits && $3 ~ /^ops_per_s=/ {
                for (i = 3; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
                found = 1 }
            END {
                if (!found && why == "") why = "FAILED (no result line)"
                if (fmt == "jsonl" && found && why == "")
                    printf "{\"peer\":\"%s\",\"alg\":\"%s\",\"bits\":%d,\"signPerSecond\":%s," \
                        "\"bestBatchPerSecond\":%s,\"checkedLanes\":%s}\n", peer, alg, bits, f["ops_per_s"],
                        f["best_batch_ops_per_s"], f["checked_lanes"]
                else if (fmt == "jsonl")
                    printf "{\"peer\":\"%s\",\"alg\":\"%s\",\"bits\":%d,\"notRun\":\"%s\"}\n", peer, alg, bits, why
                else if (found && why == "")
                    printf "RSA-%d  %-36s %8.1f ops/s (best batch %.1f; %d lanes checked)\n", bits, peer,
                        f["ops_per_s"], f["best_batch_ops_per_s"], f["checked_lanes"]
                else
                    printf "RSA-%d  %-36s %s\n", bits, peer, why
            }' <<< "$lines"
    done
}
if [ "$FORMAT" = jsonl ]; then
    specs=()
    for a in ${ALGS[@]+"${ALGS[@]}"}; do
        case $a in *256) specs+=("$a:2048") ;; *384) specs+=("$a:3072") ;; *512) specs+=("$a:4096") ;; esac
    done
    rows ${specs[@]+"${specs[@]}"}
else
    specs=()
    for b in "${SIZES[@]}"; do specs+=("-:$b"); done
    rows "${specs[@]}"
fi
exit "$rc"
