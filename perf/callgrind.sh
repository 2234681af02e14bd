#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Repeatable instruction counts (valgrind callgrind) for one mint and one verify, next to the raw EVP floor, with
# fixed keys (the Wycheproof sig-gen test keys, so runs are comparable) on a release `signet` built with DWARF 4.
#   perf/callgrind.sh [COUNT]        (COUNT operations each; default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
COUNT=${1:-20}
./dev deps
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind; }
mkdir -p perf/out
swift build -c release --product signet -Xcc -gdwarf-4 -Xswiftc -g --scratch-path .build-callgrind >&2
SIGNET=".build-callgrind/release/signet"
for bits in 2048 4096; do
    python3 -c "import json,sys; print(json.load(open('Tests/Vectors/wycheproof/rsa_pkcs1_${bits}_sig_gen_test.json'))['testGroups'][0]['privateKeyPem'])" > "perf/out/key-$bits.pem"
done
printf '%-6s %-11s %16s %14s\n' alg op "Ir per op" "vs EVP floor"
for alg in RS256 RS512; do
    bits=2048; [ "$alg" = RS512 ] && bits=4096
    declare -A ir=()
    for op in evp-sign mint evp-verify key-verify verify; do
        valgrind --tool=callgrind --collect-atstart=no --toggle-collect=signet_perf_loop \
            --callgrind-out-file="perf/out/callgrind.$alg.$op.out" \
            "$SIGNET" perf-loop --op "$op" --alg "$alg" --key "perf/out/key-$bits.pem" --count "$COUNT" 2> "perf/out/callgrind.$alg.$op.log"
        total=$(grep -m1 '^summary:' "perf/out/callgrind.$alg.$op.out" | awk '{print $2}')
        ir[$op]=$((total / COUNT))
    done
    for op in evp-sign mint evp-verify key-verify verify; do
        base=${ir[evp-sign]}; [[ "$op" == *verify ]] && base=${ir[evp-verify]}
        printf '%-6s %-11s %16d %14s\n' "$alg" "$op" "${ir[$op]}" "$(python3 -c "print(f'{${ir[$op]}/$base:.3f}')")"
    done
done
echo "profiles: perf/out/callgrind.*.out (callgrind_annotate perf/out/callgrind.RS256.verify.out | head -40)"
