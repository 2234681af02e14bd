#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What the bearer authenticator costs per request (issue 31), measured in one server under wrk on loopback: the
# server (examples/gateway, release, --baseline-routes) pinned to CPU 0, wrk to CPU 1. Three routes, in rounds:
#   bare         GET /health: no authentication;
#   verify-only  GET /verify-only: one verify of the caller's token on the zero-allocation path inside the handler,
#                no authenticator (the bare route plus one verify, with the server's own caches and scheduling);
#   auth         GET /whoami: SignetHummingbirdAuth's authenticator, then the subject.
# For RS256 (RSA-2048) and ES256 (Signet's own curve verifier) caller tokens. The figure per run is the server's CPU
# time per request (utime + stime from /proc/PID/stat over the run, divided by wrk's request count), which a busy
# machine disturbs less than requests/s; requests/s are printed too. `signet bench`'s warm-loop verify rate is
# measured on CPU 0 afterwards.
#   Target (issue 31): auth <= 1.2 x bare + one verify. Printed two ways:
#     in situ:  (auth - (verify-only - bare)) / bare, the verify costed in the same server;
#     bench:    (auth - bench verify) / bare, the verify costed by `signet bench` (a warm loop: caches hot).
#   And the authenticator's own cost: auth - verify-only, in µs per request.
#   perf/gateway/load.sh [SECONDS_PER_RUN] [CONNECTIONS] [ROUNDS]
# Runs are at most 250 s (the tokens live 300 s). Logs go to perf/out/gateway-*/.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN="${1:-20}"
[ "$SECONDS_PER_RUN" -le 250 ] || { echo "perf/gateway/load.sh: at most 250 s per run (tokens live 300 s)" >&2; exit 2; }
CONNECTIONS="${2:-32}"
ROUNDS="${3:-2}"
command -v wrk >/dev/null || {
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >&2
}
./dev deps
swift build -c release --product signet >&2
swift build -c release --product signet-gateway-example >&2
BIN="$(swift build -c release --show-bin-path)"
OUT="perf/out/gateway-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) (family $(grep -m1 'cpu family' /proc/cpuinfo | awk '{print $NF}') model $(grep -m1 '^model\s' /proc/cpuinfo | awk '{print $NF}')), $(nproc) cores" | tee "$OUT/summary.txt"

# Callers' keys (ES256 and RS256) in one JWK set; the gateway's own APIM key is only loaded (no /patient call here).
"$BIN/signet" keygen --alg ES256 --kid caller-es --out "$OUT/caller-es.pem" --jwks "$OUT/caller-es.json" 2>/dev/null
"$BIN/signet" keygen --bits 2048 --kid caller-rs --out "$OUT/caller-rs.pem" --jwks "$OUT/caller-rs.json" 2>/dev/null
"$BIN/signet" keygen --bits 2048 --kid gw-1 --out "$OUT/gw.pem" --jwks "$OUT/gw.json" 2>/dev/null
python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
keys = []
for name, alg in (("caller-es", "ES256"), ("caller-rs", "RS256")):
    for k in json.load(open(f"{out}/{name}.json"))["keys"]:
        k["alg"] = alg
        keys.append(k)
json.dump({"keys": keys}, open(f"{out}/callers.json", "w"))
PY
mint() { # key, kid, alg (rfc7523 allows 300 s: each run mints its token just before it starts)
    "$BIN/signet" mint --key "$OUT/$1.pem" --kid "$2" --client-id clinician-7 --profile rfc7523 \
        --aud https://gateway.example --alg "$3" --lifetime 300
}
ES_TOKEN=$(mint caller-es caller-es ES256)
RS_TOKEN=$(mint caller-rs caller-rs RS256)

taskset -c 0 "$BIN/signet-gateway-example" --token-url http://127.0.0.1:9/oauth2/token --api-key KEY --key "$OUT/gw.pem" \
    --kid gw-1 --inbound-jwks "$OUT/callers.json" --audience https://gateway.example \
    --upstream http://127.0.0.1:9/unused --port 0 --baseline-routes > "$OUT/gateway.log" 2>&1 &
GW=$!
trap 'kill $GW 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q '^signet-gateway-example: listening on' "$OUT/gateway.log" && break; sleep 0.1; done
URL=$(grep -m1 '^signet-gateway-example: listening on' "$OUT/gateway.log" | awk '{print $NF}')
[ "$(curl -s -H "Authorization: Bearer $ES_TOKEN" "$URL/whoami")" = clinician-7 ] || { echo "whoami refused the ES256 token" >&2; exit 1; }
[ "$(curl -s -H "Authorization: Bearer $RS_TOKEN" "$URL/whoami")" = clinician-7 ] || { echo "whoami refused the RS256 token" >&2; exit 1; }

[ "$(curl -s -H "Authorization: Bearer $RS_TOKEN" "$URL/verify-only")" = clinician-7 ] || { echo "verify-only refused the RS256 token" >&2; exit 1; }

cpu_ticks() { awk '{print $14 + $15}' "/proc/$GW/stat"; }
load() { # name, path, token
    taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d2s -H "Authorization: Bearer $3" "$URL$2" > /dev/null # warm-up
    local before after
    before=$(cpu_ticks)
    taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -H "Authorization: Bearer $3" "$URL$2" > "$OUT/$1.wrk"
    after=$(cpu_ticks)
    local rps requests non2xx
    rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$1.wrk")
    requests=$(awk '/requests in/ {print $1}' "$OUT/$1.wrk")
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$OUT/$1.wrk")
    [ -z "$non2xx" ] || { echo "$1: $non2xx non-2xx answers" >&2; exit 1; }
    local us
    us=$(python3 -c "print(f'{($after - $before) * 1e6 / $(getconf CLK_TCK) / $requests:.1f}')")
    echo "$1 $us $rps" >> "$OUT/runs.txt"
    echo "  $1: $us µs of server CPU per request, $rps requests/s, p50 $(awk '/ 50%/ {print $2}' "$OUT/$1.wrk"), p99 $(awk '/ 99%/ {print $2}' "$OUT/$1.wrk")" | tee -a "$OUT/summary.txt"
}
: > "$OUT/runs.txt"
# Every route gets the same Authorization header bytes for its algorithm (the bare route's is unread). Each run
# mints its token just before it starts (they live 300 s).
for round in $(seq "$ROUNDS"); do
    for alg in RS256 ES256; do
        if [ "$alg" = ES256 ]; then key=caller-es; else key=caller-rs; fi
        token=$(mint "$key" "$key" "$alg")
        load "bare-$alg" /health "$token"
        load "verify-only-$alg" /verify-only "$token"
        load "auth-$alg" /whoami "$token"
    done
done
kill $GW 2>/dev/null || true
taskset -c 0 "$BIN/signet" bench --alg ES256,RS256 --seconds 4 --rounds 3 --json > "$OUT/bench.json"
python3 - "$OUT" <<'PY' | tee -a "$OUT/summary.txt"
import json, statistics, sys
out = sys.argv[1]
runs = {}
for line in open(f"{out}/runs.txt"):
    name, us, rps = line.split()
    runs.setdefault(name, []).append(float(us))
verify = {r["alg"]: r["verifyPerSecond"] for r in json.load(open(f"{out}/bench.json"))["results"]}
for alg in ("RS256", "ES256"):
    bare, only, auth = (statistics.median(runs[f"{n}-{alg}"]) for n in ("bare", "verify-only", "auth"))
    bench = 1e6 / verify[alg]
    print(f"{alg}: bare {bare:.1f} µs, verify-only {only:.1f} µs, auth {auth:.1f} µs per request (medians of"
          f" {len(runs[f'auth-{alg}'])} runs); one verify: {only - bare:.1f} µs in situ, {bench:.1f} µs in signet bench")
    print(f"  authenticator's own cost (auth - verify-only): {auth - only:+.1f} µs per request")
    print(f"  (auth - verify) / bare: in situ {(auth - (only - bare)) / bare:.2f}, bench {(auth - bench) / bare:.2f}"
          f" (target <= 1.2)")
PY
