#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Side-by-side, one run: Signet (signet bench), `openssl speed`, the raw EVP floor in C (perf/evp-floor.c),
# vapor/jwt-kit 5.8.0 alone and on Signet's keys (SignetJWTKit; both in perf/peers/jwtkit, rows "jwt-kit 5.8.0" and
# "jwt-kit on Signet"), Python cryptography / PyJWT when present and Intel crypto_mb's raw RSA private operation, 8
# keys per call (perf/peers/cryptomb, row "Intel crypto_mb (8 per call)"; installed from PyPI; AVX-512 IFMA only,
# elsewhere the row says "not run: needs AVX-512 IFMA"), for every JWS algorithm
# (RS256/PS256 RSA-2048, RS384/PS384 RSA-3072, RS512/PS512 RSA-4096, ES256/ES384/ES512 P-256/P-384/P-521, EdDSA
# Ed25519) or those --alg names. Prints a table of rates and ratios per algorithm, plus the CPU, and writes the raw
# JSON lines to perf/out/compare-<date>.jsonl. A peer that is missing or fails to build is left out of the table.
#   perf/compare.sh [SECONDS] [--no-jwtkit] [--no-cryptomb] [--alg LIST]
# SECONDS: whole seconds per measurement (default 3). LIST: JWS names separated by commas (default: all), passed to
# signet bench --alg and to every peer. SIGNET=path/to/signet uses that binary instead of building it.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER=3
JWTKIT=1
CRYPTOMB=1
ALGS=all
while [ $# -gt 0 ]; do
    case "$1" in
        --no-jwtkit) JWTKIT=0 ;;
        --no-cryptomb) CRYPTOMB=0 ;;
        --alg) ALGS=${2:?--alg needs a list such as RS256,ES256}; shift ;;
        --alg=*) ALGS=${1#--alg=} ;;
        *[!0-9]* | "" | 0) echo "usage: perf/compare.sh [SECONDS] [--no-jwtkit] [--no-cryptomb] [--alg LIST]" >&2; exit 2 ;;
        *) SECONDS_PER=$1 ;;
    esac
    shift
done
ALGS=$(echo "$ALGS" | tr -d ' ')
wants() { [ "$ALGS" = all ] || [[ ",$ALGS," == *",$1,"* ]]; }
# Intel crypto_mb's rows (perf/peers/cryptomb/run.sh --jsonl): the raw RSA private operation, 8 fresh keys per call,
# under RS and PS as for openssl speed. Exit 77 (no AVX-512 IFMA here) still gives rows, reading "not run"; a failed
# install or build gives none (as for the other peers); a wrong lane gives rows reading "FAILED".
cryptomb_rows() { # cryptomb_rows SECONDS ALGS >> jsonl
    local rc=0
    perf/peers/cryptomb/run.sh --jsonl "$1" "$2" || rc=$?
    case $rc in
        0 | 77) ;;
        2) echo "crypto_mb peer: install or build failed; its rows are missing" >&2 ;;
        *) echo "crypto_mb peer failed (exit $rc); its rows say FAILED" >&2 ;;
    esac
}
./dev deps
mkdir -p perf/out
out="perf/out/compare-$(date -u +%Y%m%dT%H%M%SZ).jsonl"
: > "$out"

if [ -z "${SIGNET:-}" ]; then
    echo "building signet (release)…" >&2
    swift build -c release --product signet >&2
    SIGNET="$(swift build -c release --show-bin-path)/signet"
fi
echo "building perf/evp-floor…" >&2
cc -O2 -o perf/out/evp-floor perf/evp-floor.c -lcrypto
cc -O2 -o perf/out/gmp-floor perf/gmp-floor.c -lcrypto -lgmp
if [ "$JWTKIT" = 1 ]; then
    echo "building perf/peers/jwtkit (first time: a few minutes)…" >&2
    (cd perf/peers/jwtkit && swift build -c release >&2) || JWTKIT=0
fi

echo "measuring: signet bench…" >&2
"$SIGNET" bench --json --alg "$ALGS" --seconds "$((SECONDS_PER * 4))" --rounds 4 | python3 -c '
import json,sys
for r in json.load(sys.stdin)["results"]:
    r["peer"]="signet"; print(json.dumps(r))' >> "$out"
echo "measuring: evp-floor (C)…" >&2
perf/out/evp-floor "$SECONDS_PER" "$ALGS" | sed 's/^{/{"peer":"evp-floor (C, OpenSSL 3 EVP)",/' >> "$out"
# gmp-floor measures RS256 and RS512 (the GMPVerifier column's algorithms)
if wants RS256 || wants RS512; then perf/out/gmp-floor "$SECONDS_PER" >> "$out"; fi

# openssl speed: raw RSA (PKCS#1 v1.5), ECDSA and Ed25519 over a short message, no hash; one test per key.
speed=()
for t in RS256:rsa2048 PS256:rsa2048 RS384:rsa3072 PS384:rsa3072 RS512:rsa4096 PS512:rsa4096 ES256:ecdsap256 \
    ES384:ecdsap384 ES512:ecdsap521 EdDSA:ed25519; do
    if wants "${t%%:*}" && [[ " ${speed[*]-} " != *" ${t#*:} "* ]]; then speed+=("${t#*:}"); fi
done
if [ ${#speed[@]} -gt 0 ]; then
    echo "measuring: openssl speed ${speed[*]}…" >&2
    { openssl speed -seconds "$SECONDS_PER" "${speed[@]}" 2>/dev/null || echo "openssl speed failed" >&2; } |
        python3 -c '
import json,re,sys
# Each table has a header line naming its columns ("sign verify sign/s verify/s", OpenSSL 3.2+ adds encrypt/decrypt
# for RSA, ...): the numbers after a row label line up with the header words from the right.
cols = []
for line in sys.stdin:
    words = line.split()
    if "sign/s" in words and "verify/s" in words:
        cols = words; continue
    m = (re.match(r"\s*rsa\s+(\d+)\s+bits\s+(.*)", line)
         or re.match(r"\s*(\d+)\s+bits\s+(?:ecdsa|EdDSA)\s+\((\w+)\)\s+(.*)", line))
    if not m: continue
    try:
        nums = [float(w.rstrip("s")) for w in m.groups()[-1].split()]
    except ValueError:
        continue
    named = dict(zip(cols[-len(nums):], nums)) if len(cols) >= len(nums) else {}
    sign, verify = named.get("sign/s", nums[-2]), named.get("verify/s", nums[-1])
    if line.split()[0] == "rsa":  # the same raw RSA private-key operation under RS and PS
        bits, digits = int(m.group(1)), {2048: "256", 3072: "384", 4096: "512"}.get(int(m.group(1)))
        rows = [(p + digits, "openssl speed (raw RSA, no hash)") for p in ("RS", "PS")] if digits else []
    elif "ecdsa" in line:
        bits, alg = int(m.group(1)), {"nistp256": "ES256", "nistp384": "ES384", "nistp521": "ES512"}.get(m.group(2))
        rows = [(alg, "openssl speed (raw ECDSA, no hash)")] if alg else []
    else:
        bits, rows = 256, [("EdDSA", "openssl speed (Ed25519, short msg)")] if m.group(2) == "Ed25519" else []
    for alg, peer in rows:
        print(json.dumps({"peer": peer, "alg": alg, "bits": bits, "signPerSecond": sign,
                          "verifyPerSecond": verify}))' >> "$out"
fi
if [ "$JWTKIT" = 1 ]; then
    echo "measuring: jwt-kit…" >&2
    peer="$(cd perf/peers/jwtkit && swift build -c release --show-bin-path)/jwtkit-peer"
    "$peer" "$SECONDS_PER" "$ALGS" >> "$out" || echo "jwt-kit peer failed; its rows are missing" >&2
fi
if python3 -c "import cryptography" 2>/dev/null; then
    echo "measuring: python cryptography/PyJWT…" >&2
    python3 perf/peers/python_peer.py "$SECONDS_PER" "$ALGS" >> "$out" ||
        echo "python peer failed; its rows are missing" >&2
fi
if [ "$CRYPTOMB" = 1 ]; then
    echo "measuring: Intel crypto_mb (first time: installs it from PyPI)…" >&2
    cryptomb_rows "$SECONDS_PER" "$ALGS" >> "$out"
fi

CPU="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') (family $(grep -m1 'cpu family' /proc/cpuinfo | cut -d: -f2 | tr -d ' '), model $(grep -m1 '^model\s' /proc/cpuinfo | cut -d: -f2 | tr -d ' '))"
python3 - "$out" "$CPU" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(f"CPU: {sys.argv[2]}   date: {__import__('datetime').datetime.utcnow():%Y-%m-%d %H:%M}Z   raw: {sys.argv[1]}")
# One table per algorithm signet bench reported, in its order.
for sig in [r for r in rows if r["peer"] == "signet" and r.get("threads", 1) == 1]:
    alg = sig["alg"]
    title = f"{alg} {sig.get('key', str(sig['bits']) + ' bits')}, one thread"
    print(f"\n{title:<35}mint or sign/s   vs Signet mint    verify/s   vs Signet verify")
    ref_m, ref_v = sig["mintPerSecond"], sig["verifyPerSecond"]
    print(f"  {'Signet (full assertion)':<34}{ref_m:>12.0f}   {'1.00':>12}   {ref_v:>10.0f}   {'1.00':>12}")
    # For the in-process floor the ratio is the median of the per-round ratios (interleaved rounds), as signet bench
    # reports it: steadier than a ratio of medians on a shared machine.
    if sig.get("evpSignPerSecond") and sig.get("evpVerifyPerSecond"):
        print(f"  {'Signet in-process raw EVP floor':<34}{sig['evpSignPerSecond']:>12.0f}   {sig.get('mintToEVPSign') or ref_m/sig['evpSignPerSecond']:>11.2f}x   {sig['evpVerifyPerSecond']:>10.0f}   {sig.get('verifyToEVPVerify') or ref_v/sig['evpVerifyPerSecond']:>11.2f}x")
    if sig.get("gmpVerifyPerSecond"):
        g = sig["gmpVerifyPerSecond"]
        floor = next((r["verifyPerSecond"] for r in rows if r["peer"].startswith("gmp-floor") and r["alg"] == alg), None)
        extra = f"   GMPVerifier ÷ GMP-from-C = {g/floor:.2f}" if floor else ""
        print(f"  {'GMPVerifier verify (signature only)':<34}{'':>12}   {'':>12}   {g:>10.0f}   {ref_v/g:>11.2f}x{extra}")
    for r in rows:
        if r["peer"] == "signet" or r["alg"] != alg: continue
        if r["peer"].startswith("gmp-floor"): continue  # shown as the GMPVerifier ratio above
        if r.get("notRun"):  # a peer that could not run here (Intel crypto_mb without AVX-512 IFMA) says why
            print(f"  {r['peer'][:34]:<34}{r['notRun']}")
            continue
        m = r.get("mintPerSecond", r.get("signPerSecond")); v = r.get("verifyPerSecond")
        mc = f"{m:>12.0f}   {ref_m/m:>11.2f}x" if m else f"{'':>12}   {'':>12}"
        vc = f"{v:>10.0f}   {ref_v/v:>11.2f}x" if v else f"{'':>10}   {'':>12}"
        print(f"  {r['peer'][:34]:<34}{mc}   {vc}")
print("\n'vs Signet' = Signet's rate divided by that row's rate (above 1: Signet is faster); for the in-process floor,")
print("the median of the per-round ratios of interleaved rounds. Signet's mint signs on the engine named in the raw JSON.")
print("The other rows: mint/s is a whole JWT, sign/s a raw signature over the signing input (DER for ECDSA); openssl")
print("speed signs a short message with no hash (RSA: PKCS#1 v1.5 on the PS rows too). Intel crypto_mb: the raw RSA")
print("private operation (CRT, no padding), 8 keys per call, private ops/s on one core; AVX-512 IFMA only.")
PY
