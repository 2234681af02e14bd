#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Converts Wycheproof ECDSA P1363 and Ed25519 verification files into a line format perf/ec/test_ec.c reads.

The hashing is done here (hashlib), so the C driver needs nothing but CSignetEC and libc: it also runs as a static
aarch64 binary under qemu-user, with no cross-built OpenSSL.

   C <256|384|521> <x hex> <y hex>                  an ECDSA key group (coordinates at the curve's exact width)
   S <tcId> <verdict> <digest hex> <sig hex> <flags> one ECDSA test: digest = SHA-2(msg) with the group's hash
   E <pk hex>                                       an Ed25519 key group (32 bytes)
   D <tcId> <verdict> <hram hex> <sig hex> <flags>   one Ed25519 test: hram = SHA-512(R || A || M) (R = sig[0:32])

<verdict> is 1 (valid), 0 (invalid) or a (acceptable); an empty field is written as "-"; <flags> are the test's
Wycheproof flags joined by commas ("-" if none). Ed25519 signatures shorter than 32 bytes get hram "-".
"""
import hashlib
import json
import sys

CURVES = {"secp256r1": (256, 32), "secp384r1": (384, 48), "secp521r1": (521, 66)}
HASHES = {"SHA-256": hashlib.sha256, "SHA-384": hashlib.sha384, "SHA-512": hashlib.sha512}
VERDICT = {"valid": "1", "invalid": "0", "acceptable": "a"}


def field(b):
    return b.hex() if b else "-"


def flags(t):
    return ",".join(t.get("flags") or []) or "-"


def ecdsa(data, out):
    for group in data["testGroups"]:
        bits, width = CURVES[group["publicKey"]["curve"]]
        point = bytes.fromhex(group["publicKey"]["uncompressed"])
        assert len(point) == 1 + 2 * width and point[0] == 4
        out.write("C %d %s %s\n" % (bits, point[1:1 + width].hex(), point[1 + width:].hex()))
        digest = HASHES[group["sha"]]
        for t in group["tests"]:
            d = digest(bytes.fromhex(t["msg"])).digest()
            out.write("S %d %s %s %s %s\n" % (t["tcId"], VERDICT[t["result"]], field(d),
                                              field(bytes.fromhex(t["sig"])), flags(t)))


def ed25519(data, out):
    for group in data["testGroups"]:
        pk = bytes.fromhex(group["publicKey"]["pk"])
        assert len(pk) == 32
        out.write("E %s\n" % pk.hex())
        for t in group["tests"]:
            sig, msg = bytes.fromhex(t["sig"]), bytes.fromhex(t["msg"])
            hram = hashlib.sha512(sig[:32] + pk + msg).digest() if len(sig) >= 32 else b""
            out.write("D %d %s %s %s %s\n" % (t["tcId"], VERDICT[t["result"]], field(hram), field(sig), flags(t)))


def main():
    for path in sys.argv[1:]:
        data = json.load(open(path))
        schema = data.get("schema", "")
        if schema.startswith("ecdsa_p1363_verify"):
            ecdsa(data, sys.stdout)
        elif schema.startswith("eddsa_verify"):
            ed25519(data, sys.stdout)
        else:
            sys.exit("%s: unsupported schema %r" % (path, schema))


if __name__ == "__main__":
    main()
