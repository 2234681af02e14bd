#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Load on `signet serve` over loopback: client_credentials with RS512-4096 assertions (wrk, one thread), beside the
# bare RS512-4096 verify rate on 2 threads from `signet bench`, in one run.
#   perf/serve/load.sh [SECONDS_PER_RUN] [CONNECTIONS]
# Runs, each SECONDS_PER_RUN long (default 80, enough for 1,000,000 requests at 12,500/s):
#   full      every APIM check on except the jti replay check (a pool of assertions is reused), signature included
#   nosig     the same with the signature check off: the request's cost without RSA verification
# Prints requests/s, p50/p99 latency, non-2xx answers, the server's RSS before and after, and the ratio to the bare
# verify rate. Logs go to perf/out/serve-*/. SIGNET=path/to/signet measures that binary instead of building one (to
# compare two builds); SIGNET_RSA_ENGINE=evp keeps both the server and the bare rate on OpenSSL.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_PER_RUN="${1:-80}"
CONNECTIONS="${2:-32}"
command -v wrk >/dev/null || {
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >&2
}
./dev deps
if [ -n "${SIGNET:-}" ]; then
    BIN="$SIGNET"
else
    swift build -c release --product signet >&2
    BIN="$(swift build -c release --show-bin-path)/signet"
fi
OUT="perf/out/serve-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs) (family $(grep -m1 'cpu family' /proc/cpuinfo | awk '{print $NF}') model $(grep -m1 '^model\s' /proc/cpuinfo | awk '{print $NF}')), $(nproc) cores" | tee "$OUT/summary.txt"

"$BIN" keygen --bits 4096 --kid load-1 --out "$OUT/key.pem" --jwks "$OUT/jwks.json" 2>/dev/null

run() { # name, extra YAML lines for checks.apim
    local name="$1" checks="$2"
    cat > "$OUT/$name.yaml" <<YAML
port: 0
apim:
  applications: [{apiKey: LOAD-KEY, jwks: jwks.json}]
checks:
  apim: {jtiReplay: false$checks}
YAML
    "$BIN" serve --config "$OUT/$name.yaml" --log-level error > "$OUT/$name.serve.txt" 2>&1 &
    local pid=$!
    local url=""
    for _ in $(seq 100); do
        url=$(head -1 "$OUT/$name.serve.txt" 2>/dev/null | awk '/listening on/ {print $NF}')
        [ -n "$url" ] && break
        sleep 0.1
    done
    # 400 distinct assertions minted now (exp = now + 300), reused round robin.
    : > "$OUT/bodies.txt"
    seq 400 | xargs -P 2 -I{} "$BIN" mint --key "$OUT/key.pem" --kid load-1 --client-id LOAD-KEY --profile rfc7523 \
        --aud "$url/oauth2/token" --alg RS512 --form client_credentials >> "$OUT/bodies.txt"
    local rss_before; rss_before=$(ps -o rss= -p "$pid")
    BODIES="$OUT/bodies.txt" wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s perf/serve/load.lua \
        "$url" > "$OUT/$name.wrk.txt"
    local rss_after; rss_after=$(ps -o rss= -p "$pid")
    kill -TERM "$pid"; wait "$pid" || true
    echo "$name: $(grep '^wrk:' "$OUT/$name.wrk.txt") rss_kib_before=$rss_before rss_kib_after=$rss_after" | tee -a "$OUT/summary.txt"
}

run full ""
run nosig ", signature: false"
"$BIN" bench --alg RS512 --threads 2 --seconds 4 --rounds 3 > "$OUT/bench.txt" 2>&1
cat "$OUT/bench.txt" >> "$OUT/summary.txt"
echo "logs: $OUT"
