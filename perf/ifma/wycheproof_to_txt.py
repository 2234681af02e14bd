#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Converts Wycheproof rsa_pkcs1_*_sig_gen_test.json files into a line format the C driver reads:
   K <sha> <n> <e> <p> <q> <dp> <dq> <qinv>     (hex; from the PKCS#8 DER of each group, parsed here)
   T <tcId> <msg hex or -> <sig hex>            (test_ifma.c hashes and pads the message itself)
With --em first, each T line is an M line instead, for perf/ifma/test_ifma_kat.c (no OpenSSL, runs on aarch64):
   M <tcId> <EM hex> <sig hex>                  (EM = the PKCS#1 v1.5 encoding of the message, k bytes)
"""
import hashlib
import json
import sys

# RFC 8017 section 9.2, note 1: the DER DigestInfo prefixes
DIGEST_INFO = {
    "SHA-256": ("sha256", "3031300d060960864801650304020105000420"),
    "SHA-384": ("sha384", "3041300d060960864801650304020205000430"),
    "SHA-512": ("sha512", "3051300d060960864801650304020305000440"),
}


def emsa_pkcs1_v15(sha, msg, k):
    name, prefix = DIGEST_INFO[sha]
    t = bytes.fromhex(prefix) + hashlib.new(name, msg).digest()
    return b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t


def der_read(buf, pos):
    tag = buf[pos]
    length = buf[pos + 1]
    pos += 2
    if length & 0x80:
        nbytes = length & 0x7F
        length = int.from_bytes(buf[pos:pos + nbytes], "big")
        pos += nbytes
    return tag, buf[pos:pos + length], pos + length


def der_seq_items(body):
    items, pos = [], 0
    while pos < len(body):
        tag, value, pos = der_read(body, pos)
        items.append((tag, value))
    return items


def rsa_private_from_pkcs8(der):
    tag, body, _ = der_read(der, 0)
    assert tag == 0x30
    items = der_seq_items(body)  # version, algorithm, privateKey OCTET STRING
    octet = [v for t, v in items if t == 0x04][0]
    tag, body, _ = der_read(octet, 0)
    assert tag == 0x30
    ints = [int.from_bytes(v, "big") for t, v in der_seq_items(body) if t == 0x02]
    version, n, e, d, p, q, dp, dq, qinv = ints[:9]
    assert version == 0 and n == p * q
    return n, e, p, q, dp, dq, qinv


def main():
    out = sys.stdout
    args = sys.argv[1:]
    em = args[:1] == ["--em"]
    for path in args[1:] if em else args:
        data = json.load(open(path))
        for group in data["testGroups"]:
            n, e, p, q, dp, dq, qinv = rsa_private_from_pkcs8(bytes.fromhex(group["privateKeyPkcs8"]))
            assert hex(n)[2:].lstrip("0") == group["privateKey"]["modulus"].lstrip("0")
            out.write("K %s %s\n" % (group["sha"], " ".join("%x" % v for v in (n, e, p, q, dp, dq, qinv))))
            for t in group["tests"]:
                if not (t["result"] in ("valid", "acceptable") and t.get("sig")):
                    continue
                if not em:
                    out.write("T %d %s %s\n" % (t["tcId"], t["msg"] or "-", t["sig"]))
                elif group["sha"] in DIGEST_INFO:  # SHA-1/SHA-224 groups: not JWS hashes, left out
                    k = (n.bit_length() + 7) // 8
                    em_bytes = emsa_pkcs1_v15(group["sha"], bytes.fromhex(t["msg"]), k)
                    out.write("M %d %s %s\n" % (t["tcId"], em_bytes.hex(), t["sig"]))


if __name__ == "__main__":
    main()
