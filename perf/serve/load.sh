#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Load on `signet serve` over loopback: client_credentials with RS512-4096 assertions (wrk, one thread), beside the
# bare RS512-4096 verify rate on 2 threads from `signet bench`, in one run.
#   perf/serve/load.sh [SECONDS_PER_RUN] [CONNECTIONS]
# Runs, each SECONDS_PER_RUN long (default 80, enough for 1,000,000 requests at 12,500/s):
#   full      every APIM check on except the jti replay check (a pool of assertions is reused), signature included
#   mixed     `full` again while hostile clients run beside it (issue 28): 2 connections flooding 60 KiB forms of
#             ~9,000 fields (item 3), 2 sending unsigned assertions with exp ten years ahead (item 2), one streaming
#             an endless body after its 413 and one sending HTTP/1.0 requests without keep-alive (item 4); its valid
#             requests/s is compared with `full`'s (target: at least 0.8x)
#   flood     the jti replay check on, only the unsigned far-future assertions for the whole run (item 2): the
#             replay store's growth (RSS), then whether a fresh valid assertion still gets 200
#   nosig     the same as `full` with the signature check off: the request's cost without RSA verification
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

run() { # name, extra YAML for checks.apim, attackers (none, mixed or flood)
    local name="$1" checks="$2" attackers="${3:-none}"
    local replay=false
    [ "$attackers" = flood ] && replay=true
    cat > "$OUT/$name.yaml" <<YAML
port: 0
apim:
  applications: [{apiKey: LOAD-KEY, jwks: jwks.json}]
checks:
  apim: {jtiReplay: $replay$checks}
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
    local attacks=()
    if [ "$attackers" = mixed ]; then
        ATTACK=flood wrk -t1 -c2 -d"${SECONDS_PER_RUN}s" -s perf/serve/attack.lua "$url" > "$OUT/$name.flood.txt" &
        attacks+=($!)
        ATTACK=farexp wrk -t1 -c2 -d"${SECONDS_PER_RUN}s" -s perf/serve/attack.lua "$url" > "$OUT/$name.farexp.txt" &
        attacks+=($!)
        python3 perf/serve/attack.py "$url" "$SECONDS_PER_RUN" endless > "$OUT/$name.endless.txt" &
        attacks+=($!)
        python3 perf/serve/attack.py "$url" "$SECONDS_PER_RUN" http10 > "$OUT/$name.http10.txt" &
        attacks+=($!)
    fi
    if [ "$attackers" = flood ]; then
        ATTACK=farexp wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" -s perf/serve/attack.lua "$url" \
            > "$OUT/$name.wrk.txt"
    else
        BODIES="$OUT/bodies.txt" wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_RUN}s" --latency -s perf/serve/load.lua \
            "$url" > "$OUT/$name.wrk.txt"
    fi
    for a in "${attacks[@]}"; do wait "$a" || true; done
    local rss_after; rss_after=$(ps -o rss= -p "$pid")
    local extra=""
    if [ "$attackers" = mixed ]; then
        extra=" | flood: $(grep '^wrk:' "$OUT/$name.flood.txt") | farexp: $(grep '^wrk:' "$OUT/$name.farexp.txt")"
        extra="$extra | $(cat "$OUT/$name.endless.txt") | $(cat "$OUT/$name.http10.txt")"
    fi
    if [ "$attackers" = flood ]; then
        local status
        status=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/x-www-form-urlencoded' \
            --data-binary "$(head -1 "$OUT/bodies.txt")" "$url/oauth2/token")  # $(…) drops the newline
        extra=" | a fresh valid assertion after the flood: $status"
    fi
    kill -TERM "$pid"; wait "$pid" || true
    echo "$name: $(grep '^wrk:' "$OUT/$name.wrk.txt") rss_kib_before=$rss_before rss_kib_after=$rss_after$extra" \
        | tee -a "$OUT/summary.txt"
}

rps() { grep "^$1:" "$OUT/summary.txt" | sed -E 's/^[^|]* rps=([0-9]+).*/\1/'; }  # the valid traffic's

run full ""
run mixed "" mixed
echo "mixed/full valid requests/s: $(rps mixed) / $(rps full) = $(awk "BEGIN {printf \"%.2f\", $(rps mixed) / $(rps full)}")" \
    | tee -a "$OUT/summary.txt"
run flood "" flood
run nosig ", signature: false"
"$BIN" bench --alg RS512 --threads 2 --seconds 4 --rounds 3 > "$OUT/bench.txt" 2>&1
cat "$OUT/bench.txt" >> "$OUT/summary.txt"
echo "logs: $OUT"
