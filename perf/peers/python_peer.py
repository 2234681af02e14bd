#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Peer benchmark: Python `cryptography` (its bundled OpenSSL) and, when installed, PyJWT.

Usage: python_peer.py SECONDS  -> one JSON line per (library, alg, bits).
Measures the raw RSASSA-PKCS1-v1_5 sign/verify of a ~700-byte signing input with `cryptography` (its wheel bundles
its own, newer OpenSSL: the "OpenSSL 4.0" reference in DESIGN.md), and a full client-assertion mint/verify with PyJWT.
"""
import json
import sys
import time
import uuid

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
import cryptography
from cryptography.hazmat.backends.openssl.backend import backend

seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 2.0
msg = bytes((65 + i % 26) for i in range(700))


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

for name, bits, h in (("RS256", 2048, hashes.SHA256()), ("RS512", 4096, hashes.SHA512())):
    key = rsa.generate_private_key(public_exponent=65537, key_size=bits)
    pub = key.public_key()
    sig = key.sign(msg, padding.PKCS1v15(), h)
    sign_rate = rate(lambda: key.sign(msg, padding.PKCS1v15(), h))
    verify_rate = rate(lambda: pub.verify(sig, msg, padding.PKCS1v15(), h))
    print(json.dumps({"peer": f"cryptography {cryptography.__version__} ({backend.openssl_version_text()})",
                      "alg": name, "bits": bits, "signPerSecond": round(sign_rate, 1),
                      "verifyPerSecond": round(verify_rate, 1)}))
    if jwt is not None:
        aud = "https://int.api.service.nhs.uk/oauth2/token"

        def mint():
            now = int(time.time())
            return jwt.encode({"iss": "bench-client", "sub": "bench-client", "aud": aud, "jti": str(uuid.uuid4()),
                               "exp": now + 300, "iat": now}, key, algorithm=name, headers={"kid": "k1", "typ": "JWT"})

        token = mint()
        mint_rate = rate(mint)
        verify_jwt = rate(lambda: jwt.decode(token, pub, algorithms=[name], audience=aud))
        print(json.dumps({"peer": f"PyJWT {jwt.__version__}", "alg": name, "bits": bits,
                          "mintPerSecond": round(mint_rate, 1), "verifyPerSecond": round(verify_jwt, 1)}))
