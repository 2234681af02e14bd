#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Converts Wycheproof rsa_pkcs1_*_sig_gen_test.json files into a line format the C driver reads:
   K <sha> <n> <e> <p> <q> <dp> <dq> <qinv>     (hex; from the PKCS#8 DER of each group, parsed here)
   T <tcId> <msg hex or -> <sig hex>
"""
import json
import sys


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
    for path in sys.argv[1:]:
        data = json.load(open(path))
        for group in data["testGroups"]:
            n, e, p, q, dp, dq, qinv = rsa_private_from_pkcs8(bytes.fromhex(group["privateKeyPkcs8"]))
            assert hex(n)[2:].lstrip("0") == group["privateKey"]["modulus"].lstrip("0")
            out.write("K %s %s\n" % (group["sha"], " ".join("%x" % v for v in (n, e, p, q, dp, dq, qinv))))
            for t in group["tests"]:
                if t["result"] in ("valid", "acceptable") and t.get("sig"):
                    out.write("T %d %s %s\n" % (t["tcId"], t["msg"] or "-", t["sig"]))


if __name__ == "__main__":
    main()
