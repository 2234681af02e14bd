#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Peer benchmark: Python `cryptography` (its bundled OpenSSL) and, when installed, PyJWT.

Usage: python_peer.py SECONDS [ALG ...]  -> one JSON line per (library, alg, bits); ALG: JWS names separated by
spaces or commas (RS256, PS256, RS384, PS384, RS512, PS512, ES256, ES384, ES512, EdDSA; default: all).
Measures the raw sign/verify of a ~700-byte signing input with `cryptography` (its wheel bundles its own, newer
OpenSSL: the "OpenSSL 4.0" reference in DESIGN.md): RSASSA-PKCS1-v1_5, RSASSA-PSS (salt length = digest length, MGF1
with the same hash), ECDSA (DER signatures) and Ed25519; and a full client-assertion mint/verify with PyJWT. An
algorithm the installed versions cannot do is skipped with a note on stderr.
"""
import json
import sys
import time
import uuid

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
import cryptography
from cryptography.hazmat.backends.openssl.backend import backend

seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
wanted = [a for arg in sys.argv[2:] for a in arg.replace(",", " ").split() if a != "all"]
msg = bytes((65 + i % 26) for i in range(700))

# (alg, bits, kind, hash, curve)
ALGS = (("RS256", 2048, "rsa", hashes.SHA256, None), ("PS256", 2048, "pss", hashes.SHA256, None),
        ("RS384", 3072, "rsa", hashes.SHA384, None), ("PS384", 3072, "pss", hashes.SHA384, None),
        ("RS512", 4096, "rsa", hashes.SHA512, None), ("PS512", 4096, "pss", hashes.SHA512, None),
        ("ES256", 256, "ec", hashes.SHA256, ec.SECP256R1), ("ES384", 384, "ec", hashes.SHA384, ec.SECP384R1),
        ("ES512", 521, "ec", hashes.SHA512, ec.SECP521R1), ("EdDSA", 256, "ed25519", None, None))
unknown = [a for a in wanted if a not in {row[0] for row in ALGS}]
if unknown:
    sys.exit(f"python_peer.py: unknown algorithm {', '.join(unknown)}")


def rate(fn):
    n, start = 0, time.perf_counter()
    while True:
        for _ in range(4):
            fn()
        n += 4
        t = time.perf_counter() - start
        if t >= seconds:
            return n / t


try:
    import jwt  # PyJWT
except ImportError:
    jwt = None

keys = {}  # one key per RSA size, curve or Ed25519: RS and PS of one size share it


def key_for(bits, kind, curve):
    k = (bits, "rsa" if kind == "pss" else kind)
    if k not in keys:
        if kind in ("rsa", "pss"):
            keys[k] = rsa.generate_private_key(public_exponent=65537, key_size=bits)
        elif kind == "ec":
            keys[k] = ec.generate_private_key(curve())
        else:
            keys[k] = ed25519.Ed25519PrivateKey.generate()
    return keys[k]


def raw_ops(kind, h):
    """(sign(key), verify(pub, sig)) for one algorithm, as `cryptography` spells them."""
    if kind == "rsa":
        return (lambda key: key.sign(msg, padding.PKCS1v15(), h()),
                lambda pub, sig: pub.verify(sig, msg, padding.PKCS1v15(), h()))
    if kind == "pss":
        pss = padding.PSS(mgf=padding.MGF1(h()), salt_length=h.digest_size)
        return (lambda key: key.sign(msg, pss, h()), lambda pub, sig: pub.verify(sig, msg, pss, h()))
    if kind == "ec":
        return (lambda key: key.sign(msg, ec.ECDSA(h())), lambda pub, sig: pub.verify(sig, msg, ec.ECDSA(h())))
    return (lambda key: key.sign(msg), lambda pub, sig: pub.verify(sig, msg))


peer = f"cryptography {cryptography.__version__} ({backend.openssl_version_text()})"
for name, bits, kind, h, curve in ALGS:
    if wanted and name not in wanted:
        continue
    try:
        key = key_for(bits, kind, curve)
        pub = key.public_key()
        sign, verify = raw_ops(kind, h)
        sig = sign(key)
        verify(pub, sig)
    except Exception as e:  # an older cryptography or an OpenSSL build without the curve
        print(f"python_peer.py: {name} skipped with cryptography: {e!r}", file=sys.stderr)
        continue
    sign_rate = rate(lambda: sign(key))
    verify_rate = rate(lambda: verify(pub, sig))
    print(json.dumps({"peer": peer, "alg": name, "bits": bits, "signPerSecond": round(sign_rate, 1),
                      "verifyPerSecond": round(verify_rate, 1)}), flush=True)
    if jwt is not None:
        aud = "https://int.api.service.nhs.uk/oauth2/token"

        def mint():
            now = int(time.time())
            return jwt.encode({"iss": "bench-client", "sub": "bench-client", "aud": aud, "jti": str(uuid.uuid4()),
                               "exp": now + 300, "iat": now}, key, algorithm=name, headers={"kid": "k1", "typ": "JWT"})

        try:
            token = mint()
            jwt.decode(token, pub, algorithms=[name], audience=aud)
        except Exception as e:  # e.g. PyJWT without its `cryptography` extra for PS/ES/EdDSA
            print(f"python_peer.py: {name} skipped with PyJWT: {e!r}", file=sys.stderr)
            continue
        mint_rate = rate(mint)
        verify_jwt = rate(lambda: jwt.decode(token, pub, algorithms=[name], audience=aud))
        print(json.dumps({"peer": f"PyJWT {jwt.__version__}", "alg": name, "bits": bits,
                          "mintPerSecond": round(mint_rate, 1), "verifyPerSecond": round(verify_jwt, 1)}), flush=True)
