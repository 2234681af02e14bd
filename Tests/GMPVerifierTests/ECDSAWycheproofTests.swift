// SPDX-License-Identifier: Apache-2.0

import GMPVerifier
import TestSupport
import Testing

/// Project Wycheproof ECDSA vectors in IEEE P1363 form (`r || s`, the JWS encoding) through `GMPECDSAPublicKey`:
/// P-256/SHA-256 (ES256), P-384/SHA-384 (ES384) and P-521/SHA-512 (ES512).
///
/// Every group's key is loaded five ways (uncompressed SEC 1 point, affine x/y, SPKI DER, PEM, and JWK when the
/// group has one) and must be
/// the same point; every test goes through each key, through the throwing API (with one of the verification codes),
/// and pre-hashed with OpenSSL's digest.
///
/// "acceptable": these files contain none; one would be recorded as an issue until a verdict is written down here.
/// Malleated signatures (s replaced by n − s) are "valid" in Wycheproof and accepted here: ECDSA has no low-S rule.
@Suite struct ECDSAWycheproofTests {
    static let files: [(String, GMPCurve, GMPHash)] = [
        ("ecdsa_secp256r1_sha256_p1363_test", .p256, .sha256),
        ("ecdsa_secp384r1_sha384_p1363_test", .p384, .sha384),
        ("ecdsa_secp521r1_sha512_p1363_test", .p521, .sha512),
    ]

    /// Strips the leading zero octets Wycheproof's `wx`/`wy` carry (they are ASN.1-style magnitudes).
    static func magnitude(_ bytes: [UInt8]) -> [UInt8] { Array(bytes.drop { $0 == 0 }) }

    static func keys(_ group: [String: Any], curve: GMPCurve) throws -> [(String, GMPECDSAPublicKey)] {
        let pk = try group.object("publicKey")
        var keys: [(String, GMPECDSAPublicKey)] = []
        keys.append(("SEC 1", try GMPECDSAPublicKey(curve: curve, uncompressedPoint: try pk.hex("uncompressed"))))
        keys.append(
            (
                "x/y",
                try GMPECDSAPublicKey(
                    curve: curve, x: magnitude(try pk.hex("wx")), y: magnitude(try pk.hex("wy")))
            ))
        keys.append(("SPKI DER", try GMPECDSAPublicKey(spkiDER: try group.hex("publicKeyDer"))))
        keys.append(("PEM", try GMPECDSAPublicKey(pem: try group.string("publicKeyPem"))))
        // Groups whose key has a coordinate that is not the full length in some other encoding have no JWK.
        if let jwk = group["publicKeyJwk"] as? [String: Any] {
            #expect(try jwk.string("kty") == "EC")
            keys.append(
                (
                    "JWK",
                    try GMPECDSAPublicKey(
                        jwkCurve: try jwk.string("crv"), x: try jwk.string("x"), y: try jwk.string("y"))
                ))
        }
        let first = keys[0].1
        #expect(first.uncompressedPoint == (try pk.hex("uncompressed")))
        for (name, key) in keys {
            #expect(key.curve == curve, "\(name)")
            #expect(key.xBytes == first.xBytes && key.yBytes == first.yBytes, "\(name) is the same point")
        }
        return keys
    }

    @Test(arguments: files) func verificationVectors(_ file: String, _ curve: GMPCurve, _ hash: GMPHash) throws {
        let root = try vectorObject("wycheproof/\(file).json")
        let groups = try #require(root["testGroups"] as? [[String: Any]])
        var seen = 0
        var verdicts: [Bool: Int] = [:]
        for group in groups {
            #expect(try group.string("sha") == hash.description)
            let keys = try Self.keys(group, curve: curve)
            for test in try #require(group["tests"] as? [[String: Any]]) {
                seen += 1
                let id = test["tcId"] as? Int ?? -1
                let comment = test["comment"] as? String ?? ""
                let message = try test.hex("msg")
                let signature = try test.hex("sig")
                let expected: Bool
                switch try test.string("result") {
                case "valid": expected = true
                case "invalid": expected = false
                default:
                    Issue.record("\(file) tcId \(id): 'acceptable' needs a written-down verdict")
                    continue
                }
                verdicts[expected, default: 0] += 1
                for (name, key) in keys {
                    #expect(
                        key.isValidSignature(signature, for: message, hash: hash) == expected,
                        "\(file) tcId \(id) via \(name): \(comment)")
                }
                let key = keys[0].1
                do {
                    try key.verify(signature: signature, message: message, hash: hash)
                    #expect(expected, "tcId \(id) accepted by verify")
                } catch {
                    #expect(!expected, "tcId \(id) rejected: \(error)")
                    #expect(
                        [.signatureLength, .signatureOutOfRange, .signatureMismatch].contains(error.code),
                        "tcId \(id): \(error)")
                }
                let preHashed = (try? key.verify(signature: signature, digest: Oracle.digest(hash, message))) != nil
                #expect(preHashed == expected, "tcId \(id) pre-hashed")
                #expect(
                    unsafe signature.withUnsafeBytes { s in
                        unsafe message.withUnsafeBytes { m in unsafe key.isValidSignature(s, for: m, hash: hash) }
                    } == expected, "tcId \(id) raw buffers")
            }
        }
        #expect(seen == root["numberOfTests"] as? Int)
        #expect((verdicts[true] ?? 0) >= 170)
        #expect((verdicts[false] ?? 0) >= 85)
        print("\(file): \(seen) vectors, \(verdicts[true] ?? 0) accepted, \(verdicts[false] ?? 0) rejected")
    }
}
