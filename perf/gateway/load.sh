#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# What the bearer authenticator costs per request (issue 31): examples/gateway's bare route (GET /health) and its
# authenticated one (GET /whoami: SignetHummingbirdAuth, one verify, no upstream call) under wrk on loopback, the
# server pinned to CPU 0 and wrk to CPU 1, beside `signet bench`'s full-verify rate on CPU 0, in one run, for ES256
# (Signet's own curve verifier) and RS256 (RSA-2048) caller tokens.
#   perf/gateway/load.sh [SECONDS_PER_RUN] [CONNECTIONS]
# Runs are at most 250 s (the tokens live 300 s). The server saturates its one core, so its CPU per request is 1 / (requests/s). The target: the authenticated
# route costs at most 1.2x the bare route plus one verify. Logs go to perf/out/gateway-*/.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN="${1:-20}"
[ "$SECONDS_PER_RUN" -le 250 ] || { echo "perf/gateway/load.sh: at most 250 s per run (tokens live 300 s)" >&2; exit 2; }
CONNECTIONS="${2:-32}"
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
    --upstream http://127.0.0.1:9/unused --port 0 > "$OUT/gateway.log" 2>&1 &
GW=$!
trap 'kill $GW 2>/dev/null || true' EXIT
for _ in $(seq 100); do grep -q '^signet-gateway-example: listening on' "$OUT/gateway.log" && break; sleep 0.1; done
URL=$(grep -m1 '^signet-gateway-example: listening on' "$OUT/gateway.log" | awk '{print $NF}')
[ "$(curl -s -H "Authorization: Bearer $ES_TOKEN" "$URL/whoami")" = clinician-7 ] || { echo "whoami refused the ES256 token" >&2; exit 1; }
[ "$(curl -s -H "Authorization: Bearer $RS_TOKEN" "$URL/whoami")" = clinician-7 ] || { echo "whoami refused the RS256 token" >&2; exit 1; }

load() { # name, path, token
    local header=()
    [ -n "$3" ] && header=(-H "Authorization: Bearer $3")
    taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency "${header[@]}" "$URL$2" > "$OUT/$1.wrk"
    local rps non2xx
    rps=$(awk '/Requests\/sec/ {print $2}' "$OUT/$1.wrk")
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$OUT/$1.wrk")
    echo "$1 $rps ${non2xx:-0}" >> "$OUT/rates.txt"
    echo "  $1: $rps requests/s, non-2xx ${non2xx:-0}, p50 $(awk '/ 50%/ {print $2}' "$OUT/$1.wrk"), p99 $(awk '/ 99%/ {print $2}' "$OUT/$1.wrk")" | tee -a "$OUT/summary.txt"
}
: > "$OUT/rates.txt"
# The bare route gets the same Authorization header (unread), so that both carry the same bytes.
load bare /health "$(mint caller-rs caller-rs RS256)"
load es256 /whoami "$(mint caller-es caller-es ES256)"
load rs256 /whoami "$(mint caller-rs caller-rs RS256)"
load bare-again /health "$(mint caller-rs caller-rs RS256)"
kill $GW 2>/dev/null || true
taskset -c 0 "$BIN/signet" bench --alg ES256,RS256 --seconds 4 --rounds 3 --json > "$OUT/bench.json"
python3 - "$OUT" <<'PY' | tee -a "$OUT/summary.txt"
import json, sys
out = sys.argv[1]
rates = {l.split()[0]: float(l.split()[1]) for l in open(f"{out}/rates.txt")}
verify = {r["alg"]: r["verifyPerSecond"] for r in json.load(open(f"{out}/bench.json"))["results"]}
bare = (rates["bare"] + rates["bare-again"]) / 2
print(f"bare route: {bare:.0f} requests/s ({1e6 / bare:.1f} µs of server CPU per request; the two runs {rates['bare']:.0f}, {rates['bare-again']:.0f})")
for name, alg in (("es256", "ES256"), ("rs256", "RS256")):
    auth, v = rates[name], verify[alg]
    per, per_bare, per_verify = 1e6 / auth, 1e6 / bare, 1e6 / v
    print(f"{alg}: {auth:.0f} requests/s = {per:.1f} µs; one verify {per_verify:.1f} µs ({v:.0f}/s, signet bench);"
          f" (authenticated − verify) ÷ bare = {(per - per_verify) / per_bare:.2f} (target ≤ 1.2)")
PY
