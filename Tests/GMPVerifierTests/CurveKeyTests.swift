// SPDX-License-Identifier: Apache-2.0

import TestSupport
import Testing

@testable import GMPVerifier

/// Curve constants, key import edge cases and signature edge cases of the ECDSA and Ed25519 verifiers.
@Suite struct CurveKeyTests {
    /// The first valid Wycheproof case of a file: its group and test.
    static func firstValid(_ file: String) throws -> (group: [String: Any], test: [String: Any]) {
        let root = try vectorObject("wycheproof/\(file).json")
        for group in try #require(root["testGroups"] as? [[String: Any]]) {
            for test in try #require(group["tests"] as? [[String: Any]]) where test["result"] as? String == "valid" {
                return (group, test)
            }
        }
        throw VectorError.missing("valid case in \(file)")
    }

    static let ecdsaFiles: [(GMPCurve, String)] = [
        (.p256, "ecdsa_secp256r1_sha256_p1363_test"), (.p384, "ecdsa_secp384r1_sha384_p1363_test"),
        (.p521, "ecdsa_secp521r1_sha512_p1363_test"),
    ]

    // MARK: - Constants

    @Test(arguments: GMPCurve.allCases) func weierstrassConstants(_ curve: GMPCurve) throws {
        let c = curve.parameters
        #expect(c.field.p.bitCount == [GMPCurve.p256: 256, .p384: 384, .p521: 521][curve])
        #expect(c.order.p.bitCount == c.field.p.bitCount)
        #expect(c.isOnCurve(x: c.gx, y: c.gy), "G is on the curve")
        // n·G = ∞ and (n − 1)·G = −G, with the same double-and-add the verifier uses.
        let zero = MPZ(0)
        #expect(c.linearCombination(u1: c.order.p, u2: zero, qx: c.gx, qy: c.gy) == nil)
        let nMinusOne = MPZ(bits: c.order.bits)
        nMinusOne.setDifference(c.order.p, small: 1)
        let minusG = try #require(c.linearCombination(u1: nMinusOne, u2: zero, qx: c.gx, qy: c.gy))
        #expect(minusG.x.compare(c.gx) == 0)
        let sum = MPZ(bits: 2 * c.field.bits)
        sum.setSum(minusG.y, c.gy)
        #expect(sum.compare(c.field.p) == 0, "y(−G) = p − y(G)")
        // P-521's special reduction needs p = 2^521 − 1 exactly.
        if curve == .p521 {
            let p = MPZ(bits: 600)
            p.setShiftedLeft(MPZ(1), by: 521)
            p.setDifference(p, small: 1)
            #expect(p.compare(c.field.p) == 0)
        }
    }

    @Test func edwards25519Constants() throws {
        let e = Edwards25519.shared
        let p = MPZ(bits: 320)
        p.setShiftedLeft(MPZ(1), by: 255)
        p.setDifference(p, small: 19)
        #expect(p.compare(e.field.p) == 0)
        // d and B as RFC 8032 §5.1 prints them.
        #expect(
            e.d.bigEndianBytes(count: 32)
                == Hex.decode("52036cee2b6ffe738cc740797779e89800700a4d4141d8ab75eb4dca135978a3"))
        #expect(e.by.littleEndianBytes(count: 32) == [0x58] + [UInt8](repeating: 0x66, count: 31))
        #expect(
            e.bx.bigEndianBytes(count: 32)
                == Hex.decode("216936d3cd6e53fec0a4e231fdd6dc5c692cc7609525a7b2c9562d608f25d51a"))
        // [L]B is the neutral element (0, 1).
        let f = FieldArithmetic(e.field)
        let b = EdwardsPoint(x: e.bx, y: e.by, field: f)
        let lb = e.linearCombination(a: e.order.p, b, b: MPZ(0), b)
        #expect(e.equals(lb, x: MPZ(0), y: MPZ(1)))
    }

    // MARK: - ECDSA keys

    @Test(arguments: ecdsaFiles) func ecdsaKeyImportRefusals(_ curve: GMPCurve, _ file: String) throws {
        let (group, _) = try Self.firstValid(file)
        let point = try group.object("publicKey").hex("uncompressed")
        let size = curve.coordinateByteCount
        let x = Array(point[1...size])
        let y = Array(point[(size + 1)...])
        _ = try GMPECDSAPublicKey(curve: curve, uncompressedPoint: point)

        var offCurve = point
        offCurve[offCurve.count - 1] ^= 1
        expectCode(.invalidPoint, "y changed") { _ = try GMPECDSAPublicKey(curve: curve, uncompressedPoint: offCurve) }
        let p = try #require(curve.parameters.field.p.bigEndianBytes(count: size))
        expectCode(.invalidPoint, "x = p") { _ = try GMPECDSAPublicKey(curve: curve, x: p, y: y) }
        expectCode(.invalidPoint, "y = p") { _ = try GMPECDSAPublicKey(curve: curve, x: x, y: p) }
        expectCode(.invalidPoint, "x too long") { _ = try GMPECDSAPublicKey(curve: curve, x: [0] + x, y: y) }
        expectCode(.invalidPoint, "infinity") { _ = try GMPECDSAPublicKey(curve: curve, uncompressedPoint: [0]) }
        expectCode(.invalidPoint, "compressed") {
            _ = try GMPECDSAPublicKey(curve: curve, uncompressedPoint: [0x02 | (y[size - 1] & 1)] + x)
        }
        expectCode(.invalidPoint, "truncated") {
            _ = try GMPECDSAPublicKey(curve: curve, uncompressedPoint: Array(point.dropLast()))
        }
        expectCode(.invalidPoint, "empty") { _ = try GMPECDSAPublicKey(curve: curve, uncompressedPoint: []) }
        for other in GMPCurve.allCases where other != curve {
            expectCode(.invalidPoint, "as \(other)") {
                _ = try GMPECDSAPublicKey(curve: other, uncompressedPoint: point)
            }
        }

        // SPKI: another curve's OID, an RSA key, trailing bytes, unused bits.
        let der = try group.hex("publicKeyDer")
        _ = try GMPECDSAPublicKey(spkiDER: der)
        let oid = curve.oidDER
        let oidAt = try #require(Self.find(oid, in: der))
        let secp256k1: [UInt8] = [0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x0A]
        if oid.count == secp256k1.count {
            var k1 = der
            k1.replaceSubrange(oidAt..<(oidAt + oid.count), with: secp256k1)
            let error = expectCode(.unsupportedCurve) { _ = try GMPECDSAPublicKey(spkiDER: k1) }
            #expect(error?.offset == oidAt)
        }
        expectCode(.invalidDER) { _ = try GMPECDSAPublicKey(spkiDER: der + [0]) }
        var unused = der
        let bitStringAt = der.count - point.count - 1
        #expect(unused[bitStringAt] == 0)
        unused[bitStringAt] = 1
        expectCode(.invalidDER) { _ = try GMPECDSAPublicKey(spkiDER: unused) }
        let rsa = try vectorObject("wycheproof/rsa_pss_2048_sha256_mgf1_32_test.json")
        let rsaDER = try #require((rsa["testGroups"] as? [[String: Any]])?.first).hex("publicKeyDer")
        expectCode(.invalidDER) { _ = try GMPECDSAPublicKey(spkiDER: rsaDER) }
        expectCode(.invalidPEM) {
            _ = try GMPECDSAPublicKey(pem: DERWriter.pem(der, label: "RSA PUBLIC KEY"))
        }
        #expect(try GMPECDSAPublicKey(pem: DERWriter.pem(der, label: "PUBLIC KEY")).xBytes == x)

        // JWK: unknown crv, a coordinate of the wrong length.
        let jwk = try #require(group["publicKeyJwk"] as? [String: Any])
        let jx = try jwk.string("x")
        let jy = try jwk.string("y")
        _ = try GMPECDSAPublicKey(jwkCurve: curve.jwkName, x: jx, y: jy)
        expectCode(.unsupportedCurve) { _ = try GMPECDSAPublicKey(jwkCurve: "secp256k1", x: jx, y: jy) }
        expectCode(.unsupportedCurve) { _ = try GMPECDSAPublicKey(jwkCurve: "p-256", x: jx, y: jy) }
        let shortX = try #require(Self.base64URL(Array(x.dropFirst())))
        expectCode(.invalidJWK) { _ = try GMPECDSAPublicKey(jwkCurve: curve.jwkName, x: shortX, y: jy) }
        expectCode(.invalidBase64) { _ = try GMPECDSAPublicKey(jwkCurve: curve.jwkName, x: jx + "=", y: jy) }
    }

    @Test(arguments: ecdsaFiles) func ecdsaSignatureEdges(_ curve: GMPCurve, _ file: String) throws {
        let (group, test) = try Self.firstValid(file)
        let key = try GMPECDSAPublicKey(spkiDER: try group.hex("publicKeyDer"))
        let message = try test.hex("msg")
        let signature = try test.hex("sig")
        let hash = curve.jwsHash
        let size = curve.coordinateByteCount
        try key.verify(signature: signature, message: message, hash: hash)
        let r = Array(signature[0..<size])
        let s = Array(signature[size...])
        let n = try #require(curve.parameters.order.p.bigEndianBytes(count: size))
        let zero = [UInt8](repeating: 0, count: size)
        for (name, bad) in [("r = 0", zero + s), ("s = 0", r + zero), ("r = n", n + s), ("s = n", r + n)] {
            expectCode(.signatureOutOfRange, "\(name)") { try key.verify(signature: bad, message: message, hash: hash) }
        }
        for bad in [Array(signature.dropLast()), signature + [0], []] {
            expectCode(.signatureLength) { try key.verify(signature: bad, message: message, hash: hash) }
        }
        expectCode(.signatureMismatch) { try key.verify(signature: signature, message: message + [0], hash: hash) }
        for other in GMPHash.allCases where other != hash {
            #expect(!key.isValidSignature(signature, for: message, hash: other))
        }
        // (r, n − s) is valid too (no low-S rule).
        let ns = MPZ(bits: 8 * size)
        ns.setDifference(MPZ(bigEndian: n), MPZ(bigEndian: s))
        let malleated = r + (try #require(ns.bigEndianBytes(count: size)))
        #expect(key.isValidSignature(malleated, for: message, hash: hash))
        // The digest is cut to the bit length of n: extra trailing digest bits never matter, and a leading zero
        // byte that keeps the digest within that length does not change it.
        let digest = Oracle.digest(hash, message)
        try key.verify(signature: signature, digest: digest)
        if 8 * digest.count >= curve.parameters.order.bits {
            try key.verify(signature: signature, digest: digest + [0xA5, 0x5A])
        } else {
            try key.verify(signature: signature, digest: [0] + digest)
            expectCode(.signatureMismatch) { try key.verify(signature: signature, digest: digest + [0]) }
        }
    }

    // MARK: - Ed25519 keys

    @Test func ed25519KeyImportRefusals() throws {
        let (group, test) = try Self.firstValid("ed25519_test")
        let raw = try group.object("publicKey").hex("pk")
        let der = try group.hex("publicKeyDer")
        // y ≥ p (non-canonical: 2^255 − 1 and p itself).
        let allOnes = [UInt8](repeating: 0xFF, count: 31) + [0x7F]
        let pBytes = [0xED] + [UInt8](repeating: 0xFF, count: 30) + [0x7F]
        for bad in [allOnes, pBytes] {
            let error = expectCode(.invalidPoint) { _ = try GMPEd25519PublicKey(raw: bad) }
            #expect(error?.reason.contains("non-canonical") == true)
        }
        // y = 1 gives x = 0; with the sign bit set that is refused, without it is the neutral element.
        let one = [1] + [UInt8](repeating: 0, count: 31)
        _ = try GMPEd25519PublicKey(raw: one)
        var oneNegative = one
        oneNegative[31] = 0x80
        let error = expectCode(.invalidPoint) { _ = try GMPEd25519PublicKey(raw: oneNegative) }
        #expect(error?.reason.contains("x = 0") == true)
        // Some small y are curve points and some are not.
        var points = 0
        var nonPoints = 0
        for y in 2..<20 {
            do {
                _ = try GMPEd25519PublicKey(raw: [UInt8(y)] + [UInt8](repeating: 0, count: 31))
                points += 1
            } catch {
                #expect(error.code == .invalidPoint && error.reason.contains("square root"))
                nonPoints += 1
            }
        }
        #expect(points > 0 && nonPoints > 0)
        for bad in [Array(raw.dropLast()), raw + [0], []] {
            expectCode(.invalidPoint) { _ = try GMPEd25519PublicKey(raw: bad) }
        }
        // SPKI: X25519's OID, parameters present, trailing bytes.
        var x25519 = der
        x25519[8] = 0x6E
        #expect(der[4..<9].elementsEqual([0x06, 0x03, 0x2B, 0x65, 0x70]))
        expectCode(.unsupportedCurve) { _ = try GMPEd25519PublicKey(spkiDER: x25519) }
        let withNull = DERWriter.tlv(
            0x30, DERWriter.tlv(0x30, [0x06, 0x03, 0x2B, 0x65, 0x70, 0x05, 0x00]) + DERWriter.tlv(0x03, [0] + raw))
        expectCode(.invalidDER) { _ = try GMPEd25519PublicKey(spkiDER: withNull) }
        expectCode(.invalidDER) { _ = try GMPEd25519PublicKey(spkiDER: der + [0]) }
        #expect(try GMPEd25519PublicKey(spkiDER: der).rawRepresentation == raw)
        #expect(try GMPEd25519PublicKey(pem: DERWriter.pem(der, label: "PUBLIC KEY")).rawRepresentation == raw)
        let ecDER = try Self.firstValid("ecdsa_secp256r1_sha256_p1363_test").group.hex("publicKeyDer")
        expectCode(.unsupportedCurve) { _ = try GMPEd25519PublicKey(spkiDER: ecDER) }
        // JWK.
        let x = try #require(Self.base64URL(raw))
        #expect(try GMPEd25519PublicKey(jwkCurve: "Ed25519", x: x).rawRepresentation == raw)
        expectCode(.unsupportedCurve) { _ = try GMPEd25519PublicKey(jwkCurve: "X25519", x: x) }
        expectCode(.unsupportedCurve) { _ = try GMPEd25519PublicKey(jwkCurve: "Ed448", x: x) }

        // Signature edges: S = L and S + L (malleability), R not a point, wrong lengths.
        let key = try GMPEd25519PublicKey(raw: raw)
        let message = try test.hex("msg")
        let signature = try test.hex("sig")
        try key.verify(signature: signature, message: message)
        let l = try #require(Edwards25519.shared.order.p.littleEndianBytes(count: 32))
        expectCode(.signatureOutOfRange) { try key.verify(signature: Array(signature[0..<32]) + l, message: message) }
        let sPlusL = MPZ(bits: 300)
        let s = MPZ(bits: 256)
        s.set(littleEndian: signature[32...])
        sPlusL.setSum(s, Edwards25519.shared.order.p)
        let malleated = Array(signature[0..<32]) + (try #require(sPlusL.littleEndianBytes(count: 32)))
        expectCode(.signatureOutOfRange) { try key.verify(signature: malleated, message: message) }
        expectCode(.signatureOutOfRange) { try key.verify(signature: allOnes + signature[32...], message: message) }
        for bad in [Array(signature.dropLast()), signature + [0], []] {
            expectCode(.signatureLength) { try key.verify(signature: bad, message: message) }
        }
        expectCode(.signatureMismatch) { try key.verify(signature: signature, message: message + [0]) }
    }

    /// One key of each kind shared by concurrent tasks: the curve constants and the keys are read-only, and every
    /// verification has its own registers, so all verdicts stay right.
    @Test func concurrentVerification() async throws {
        let (eg, et) = try Self.firstValid("ecdsa_secp256r1_sha256_p1363_test")
        let ecKey = try GMPECDSAPublicKey(spkiDER: try eg.hex("publicKeyDer"))
        let (dg, dt) = try Self.firstValid("ed25519_test")
        let edKey = try GMPEd25519PublicKey(spkiDER: try dg.hex("publicKeyDer"))
        let ecMessage = try et.hex("msg")
        let ecSignature = try et.hex("sig")
        let edMessage = try dt.hex("msg")
        let edSignature = try dt.hex("sig")
        let results = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<16 {
                group.addTask {
                    let wrong = i % 2 == 1
                    let ec = ecKey.isValidSignature(ecSignature, for: ecMessage + (wrong ? [1] : []), hash: .sha256)
                    let ed = edKey.isValidSignature(edSignature, for: edMessage + (wrong ? [1] : []))
                    return ec == !wrong && ed == !wrong
                }
            }
            var all: [Bool] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 16 && results.allSatisfy { $0 })
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }

    static func base64URL(_ bytes: [UInt8]) -> String? {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let chunk = Array(bytes[i..<min(i + 3, bytes.count)])
            let v = chunk.enumerated().reduce(0) { $0 | Int($1.element) << (16 - 8 * $1.offset) }
            for j in 0...chunk.count { out.append(alphabet[(v >> (18 - 6 * j)) & 63]) }
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
