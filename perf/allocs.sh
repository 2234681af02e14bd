#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Heap allocations per operation (valgrind memcheck "total heap usage"), each op run at two counts so that setup
# cancels out: allocs/op = (allocs at N2 - allocs at N1) / (N2 - N1). Fixed keys (the Wycheproof sig-gen test keys).
#   perf/allocs.sh [N1 N2]          (defaults 100 300)
# verify is JWSVerifier.verify(_:scratch:); key-verify is the pooled RSAPublicKey verify alone (OpenSSL's own
# allocations on the same path), so "Swift side" = verify - key-verify; evp-verify is RawEVPBaseline.verify.
set -euo pipefail
cd "$(dirname "$0")/.."
N1=${1:-100}
N2=${2:-300}
./dev deps
command -v valgrind >/dev/null || { apt-get update -qq && apt-get install -y -qq valgrind; }
mkdir -p perf/out
swift build -c release --product signet >&2
# Valgrind 3.19 cannot read the DWARF 5 debug info Swift 6.3 emits ("Possibly corrupted debuginfo file"): run a copy
# without debug info (symbols stay).
SIGNET=perf/out/signet-nodebug
strip --strip-debug -o "$SIGNET" "$(swift build -c release --show-bin-path)/signet"
for bits in 2048 4096; do
    python3 -c "import json,sys; print(json.load(open('Tests/Vectors/wycheproof/rsa_pkcs1_${bits}_sig_gen_test.json'))['testGroups'][0]['privateKeyPem'])" > "perf/out/key-$bits.pem"
done
allocs() {  # alg op count
    local bits=2048; [ "$1" = RS512 ] && bits=4096
    valgrind --tool=memcheck "$SIGNET" perf-loop --op "$2" --alg "$1" --key "perf/out/key-$bits.pem" --count "$3" 2>&1 \
        | sed -n 's/.*total heap usage: \([0-9,]*\) allocs.*/\1/p' | tr -d ,
}
printf '%-6s %-11s %12s %12s %12s\n' alg op "allocs@$N1" "allocs@$N2" "allocs/op"
for alg in RS256 RS512; do
    declare -A per=()
    for op in verify key-verify evp-verify verify-dom mint evp-sign; do
        a=$(allocs "$alg" "$op" "$N1"); b=$(allocs "$alg" "$op" "$N2")
        per[$op]=$(python3 -c "print(f'{($b-$a)/($N2-$N1):.2f}')")
        printf '%-6s %-11s %12d %12d %12s\n' "$alg" "$op" "$a" "$b" "${per[$op]}"
    done
    python3 -c "print(f'$alg  verify Swift side (verify - key-verify): {${per[verify]}-${per[key-verify]}:+.2f}/op;  verify - evp-verify: {${per[verify]}-${per[evp-verify]}:+.2f}/op;  mint - evp-sign: {${per[mint]}-${per[evp-sign]}:+.2f}/op')"
done
