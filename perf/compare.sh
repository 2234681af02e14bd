#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Side-by-side, one run: Signet (signet bench), `openssl speed`, the raw EVP floor in C (perf/evp-floor.c),
# vapor/jwt-kit 5.8.0 (perf/peers/jwtkit) and Python cryptography / PyJWT when present. Prints a table of rates
# and ratios, plus the CPU, and writes the raw JSON lines to perf/out/compare-<date>.jsonl.
#   perf/compare.sh [SECONDS] [--no-jwtkit]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER=${1:-3}
JWTKIT=1
for a in "$@"; do [ "$a" = "--no-jwtkit" ] && JWTKIT=0; done
./dev deps
mkdir -p perf/out
out="perf/out/compare-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
: > "$out"

echo "building signet (release)…" >&2
swift build -c release --product signet >&2
SIGNET="$(swift build -c release --show-bin-path)/signet"
echo "building perf/evp-floor…" >&2
cc -O2 -o perf/out/evp-floor perf/evp-floor.c -lcrypto
cc -O2 -o perf/out/gmp-floor perf/gmp-floor.c -lcrypto -lgmp
if [ "$JWTKIT" = 1 ]; then
    echo "building perf/peers/jwtkit (first time: a few minutes)…" >&2
    (cd perf/peers/jwtkit && swift build -c release >&2) || JWTKIT=0
fi

echo "measuring: signet bench…" >&2
"$SIGNET" bench --json --seconds "$((SECONDS_PER * 4))" --rounds 4 | python3 -c '
import json,sys
for r in json.load(sys.stdin)["results"]:
    r["peer"]="signet"; print(json.dumps(r))' >> "$out"
echo "measuring: evp-floor (C)…" >&2
perf/out/evp-floor "$SECONDS_PER" | sed 's/^{/{"peer":"evp-floor (C, OpenSSL 3 EVP)",/' >> "$out"
perf/out/gmp-floor "$SECONDS_PER" >> "$out"
echo "measuring: openssl speed…" >&2
openssl speed -seconds "$SECONDS_PER" rsa2048 rsa4096 2>/dev/null | python3 -c '
import json,sys,re
for line in sys.stdin:
    m = re.match(r"\s*rsa\s+(\d+)\s+bits\s+[\d.]+s\s+[\d.]+s\s+([\d.]+)\s+([\d.]+)", line)
    if m:
        bits=int(m.group(1)); alg={2048:"RS256",4096:"RS512"}.get(bits)
        if alg: print(json.dumps({"peer":"openssl speed (raw RSA, no hash)","alg":alg,"bits":bits,"signPerSecond":float(m.group(2)),"verifyPerSecond":float(m.group(3))}))' >> "$out"
if [ "$JWTKIT" = 1 ]; then
    echo "measuring: jwt-kit…" >&2
    "$(cd perf/peers/jwtkit && swift build -c release --show-bin-path)/jwtkit-peer" "$SECONDS_PER" >> "$out"
fi
if python3 -c "import cryptography" 2>/dev/null; then
    echo "measuring: python cryptography/PyJWT…" >&2
    python3 perf/peers/python_peer.py "$SECONDS_PER" >> "$out"
fi

CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') (family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' '), model $(grep -m1 '^model\s' /proc/cpuinfo | cut -d: -f2 | tr -d ' '))"
python3 - "$out" "$CPU" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(f"CPU: {sys.argv[2]}   date: {__import__('datetime').datetime.utcnow():%Y-%m-%d %H:%M}Z   raw: {sys.argv[1]}")
for alg, bits in (("RS256", 2048), ("RS512", 4096)):
    sig = next((r for r in rows if r["peer"] == "signet" and r["alg"] == alg and r.get("threads", 1) == 1), None)
    if not sig: continue
    print(f"\n{alg} RSA-{bits}, one thread         mint or sign/s   vs Signet mint    verify/s   vs Signet verify")
    ref_m, ref_v = sig["mintPerSecond"], sig["verifyPerSecond"]
    print(f"  {'Signet (full assertion)':<34}{ref_m:>12.0f}   {'1.00':>12}   {ref_v:>10.0f}   {'1.00':>12}")
    # For the in-process floor the ratio is the median of the per-round ratios (interleaved rounds), as signet bench
    # reports it: steadier than a ratio of medians on a shared machine.
    print(f"  {'Signet in-process raw EVP floor':<34}{sig['evpSignPerSecond']:>12.0f}   {sig.get('mintToEVPSign', ref_m/sig['evpSignPerSecond']):>11.2f}x   {sig['evpVerifyPerSecond']:>10.0f}   {sig.get('verifyToEVPVerify', ref_v/sig['evpVerifyPerSecond']):>11.2f}x")
    if "gmpVerifyPerSecond" in sig:
        g = sig["gmpVerifyPerSecond"]
        floor = next((r["verifyPerSecond"] for r in rows if r["peer"].startswith("gmp-floor") and r["alg"] == alg), None)
        extra = f"   RSAGMP ÷ GMP-from-C = {g/floor:.2f}" if floor else ""
        print(f"  {'RSAGMP verify (signature only)':<34}{'':>12}   {'':>12}   {g:>10.0f}   {ref_v/g:>11.2f}x{extra}")
    for r in rows:
        if r["peer"] == "signet" or r["alg"] != alg: continue
        if r["peer"].startswith("gmp-floor"): continue  # shown as the RSAGMP ratio above
        m = r.get("mintPerSecond", r.get("signPerSecond")); v = r.get("verifyPerSecond")
        mc = f"{m:>12.0f}   {ref_m/m:>11.2f}x" if m else f"{'':>12}   {'':>12}"
        vc = f"{v:>10.0f}   {ref_v/v:>11.2f}x" if v else f"{'':>10}   {'':>12}"
        print(f"  {r['peer'][:34]:<34}{mc}   {vc}")
print("\n'vs Signet' = Signet's rate divided by that row's rate (above 1: Signet is faster); for the in-process floor,")
print("the median of the per-round ratios of interleaved rounds. Signet's mint signs on the engine named in the raw JSON.")
PY
