// SPDX-License-Identifier: Apache-2.0

import GMPVerifier
import TestSupport
import Testing

/// Project Wycheproof RSASSA-PKCS1-v1_5 vectors through GMPVerifier.
///
/// Every group's key is loaded five ways (SPKI DER, PKCS#1 DER, PEM, modulus/exponent hex, JWK) and every test is
/// checked through each key, through the throwing API, and through the pre-hashed API with OpenSSL's digest. All must
/// agree.
///
/// "acceptable" verdicts are fixed here, not left open:
/// - `MissingNull` (DigestInfo without the NULL parameters, one per verify file): **rejected**. RFC 8017 §9.2 gives
///   exactly one encoding and GMPVerifier compares against it; OpenSSL 3 rejects these too, so the cross-check agrees.
/// - `SmallPublicKey` (e = 3) in the sig-gen files: **accepted**. e = 3 is a valid RSA key (odd, > 1), and the
///   "valid" groups of the verify files also use e = 3 keys; those signatures are correct.
/// - `WeakHash` (SHA-1, SHA-224 groups of the sig-gen files): **skipped**, GMPVerifier has no such algorithm.
@Suite struct WycheproofTests {
    static let verifyFiles: [String] = [2048, 3072, 4096].flatMap { bits in
        [256, 384, 512].map { "rsa_signature_\(bits)_sha\($0)_test" }
    }
    static let signatureGenerationFiles = [2048, 3072, 4096].map { "rsa_pkcs1_\($0)_sig_gen_test" }

    static func algorithm(_ sha: String) -> GMPRSAAlgorithm? {
        switch sha {
        case "SHA-256": .rs256
        case "SHA-384": .rs384
        case "SHA-512": .rs512
        default: nil
        }
    }

    /// The fixed verdict for an "acceptable" vector (see the type's documentation).
    static func acceptableVerdict(flags: [String]) -> Bool? {
        if flags.contains("MissingNull") { return false }
        if flags == ["SmallPublicKey"] { return true }
        return nil
    }

    /// Loads one group's key every way the group allows, and checks they are the same key.
    static func keys(
        _ group: [String: Any], spki: String, pkcs1: String, pem: String, rawKey: String
    ) throws
        -> [(String, GMPRSAPublicKey)]
    {
        var keys: [(String, GMPRSAPublicKey)] = []
        keys.append(("SPKI DER", try GMPRSAPublicKey(spkiDER: try group.hex(spki))))
        keys.append(("PKCS#1 DER", try GMPRSAPublicKey(pkcs1DER: try group.hex(pkcs1))))
        keys.append(("PEM", try GMPRSAPublicKey(pem: try group.string(pem))))
        let raw = try group.object(rawKey)
        keys.append(
            (
                "modulus/exponent",
                try GMPRSAPublicKey(modulus: try raw.hex("modulus"), exponent: try raw.hex("publicExponent"))
            ))
        if let jwk = (group["publicKeyJwk"] ?? group["keyJwk"]) as? [String: Any] {
            keys.append(("JWK", try GMPRSAPublicKey(jwkN: try jwk.string("n"), jwkE: try jwk.string("e"))))
        }
        let first = keys[0].1
        for (name, key) in keys.dropFirst() {
            #expect(key.modulus == first.modulus, "\(name) modulus")
            #expect(key.publicExponent == first.publicExponent, "\(name) exponent")
            #expect(key.signatureByteCount == first.signatureByteCount, "\(name) k")
        }
        return keys
    }

    @Test(arguments: verifyFiles) func verificationVectors(_ file: String) throws {
        let root = try vectorObject("wycheproof/\(file).json")
        let groups = try #require(root["testGroups"] as? [[String: Any]])
        var seen = 0
        var verdicts: [Bool: Int] = [:]
        var crossAlgorithm = 0
        for group in groups {
            let algorithm = try #require(Self.algorithm(try group.string("sha")))
            let keys = try Self.keys(
                group, spki: "publicKeyDer", pkcs1: "publicKeyAsn", pem: "publicKeyPem", rawKey: "publicKey")
            #expect(keys.count == 5, "every verify group has a JWK")
            for test in try #require(group["tests"] as? [[String: Any]]) {
                seen += 1
                let id = test["tcId"] as? Int ?? -1
                let comment = test["comment"] as? String ?? ""
                let flags = test["flags"] as? [String] ?? []
                let message = try test.hex("msg")
                let signature = try test.hex("sig")
                let expected: Bool
                switch try test.string("result") {
                case "valid": expected = true
                case "invalid": expected = false
                default:
                    guard let verdict = Self.acceptableVerdict(flags: flags) else {
                        Issue.record("tcId \(id): no fixed verdict for acceptable flags \(flags)")
                        continue
                    }
                    expected = verdict
                }
                verdicts[expected, default: 0] += 1
                for (name, key) in keys {
                    #expect(
                        key.isValidSignature(signature, for: message, algorithm: algorithm) == expected,
                        "\(file) tcId \(id) via \(name): \(comment) \(flags)")
                }
                let key = keys[0].1
                // The throwing API agrees, and says why with one of the verification codes.
                do {
                    try key.verifySignature(signature, for: message, algorithm: algorithm)
                    #expect(expected, "tcId \(id) accepted by verifySignature")
                } catch {
                    #expect(!expected, "tcId \(id) rejected by verifySignature: \(error)")
                    #expect(
                        [.signatureLength, .signatureOutOfRange, .encodingMismatch].contains(error.code),
                        "tcId \(id): \(error)")
                    #expect(!error.reason.isEmpty)
                }
                // Pre-hashed with OpenSSL's digest gives the same verdict (checks GMPVerifier's SHA-2 on the way).
                let digest = Oracle.digest(algorithm, message)
                #expect(
                    key.isValidSignature(signature, forDigest: digest, algorithm: algorithm) == expected, "tcId \(id)")
                // Under the other algorithms a signature verifies only when Wycheproof says it is a correct
                // signature made with that other hash ("The message is hashed with SHA-384 instead of SHA-256.").
                for other in GMPRSAAlgorithm.pkcs1v15Algorithms where other != algorithm {
                    let madeWithOther = comment.hasPrefix(
                        "The message is hashed with SHA-\(other.jwsName.dropFirst(2)) ")
                    if madeWithOther { crossAlgorithm += 1 }
                    #expect(
                        key.isValidSignature(signature, for: message, algorithm: other) == madeWithOther,
                        "tcId \(id) as \(other): \(comment)")
                }
                // No valid PKCS#1 v1.5 signature is a PSS signature (some invalid ones are: "WrongPrimitive").
                for pss in GMPRSAAlgorithm.pssAlgorithms where expected {
                    #expect(!key.isValidSignature(signature, for: message, algorithm: pss), "tcId \(id) as \(pss)")
                }
            }
        }
        #expect(seen == root["numberOfTests"] as? Int)
        #expect((verdicts[true] ?? 0) >= 7)
        #expect(crossAlgorithm == 2, "each file has one SHA-2 wrong-hash signature per other SHA-2 hash")
        print("\(file): \(seen) vectors, \(verdicts[true] ?? 0) accepted, \(verdicts[false] ?? 0) rejected")
    }

    @Test(arguments: signatureGenerationFiles) func signatureGenerationVectors(_ file: String) throws {
        let root = try vectorObject("wycheproof/\(file).json")
        let groups = try #require(root["testGroups"] as? [[String: Any]])
        var verified = 0
        var skipped = 0
        for group in groups {
            guard let algorithm = Self.algorithm(try group.string("sha")) else {
                skipped += (group["tests"] as? [[String: Any]])?.count ?? 0
                continue
            }
            let keys = try Self.keys(group, spki: "keyDer", pkcs1: "keyAsn", pem: "keyPem", rawKey: "privateKey")
            for test in try #require(group["tests"] as? [[String: Any]]) {
                let id = test["tcId"] as? Int ?? -1
                let flags = test["flags"] as? [String] ?? []
                let expected: Bool
                switch try test.string("result") {
                case "valid": expected = true
                case "invalid": expected = false
                default:
                    guard let verdict = Self.acceptableVerdict(flags: flags) else {
                        Issue.record("tcId \(id): no fixed verdict for acceptable flags \(flags)")
                        continue
                    }
                    expected = verdict
                }
                let message = try test.hex("msg")
                let signature = try test.hex("sig")
                for (name, key) in keys {
                    #expect(
                        key.isValidSignature(signature, for: message, algorithm: algorithm) == expected,
                        "\(file) tcId \(id) via \(name)")
                }
                // One flipped bit anywhere in the signature must break it.
                var flipped = signature
                let bit = (id &* 7919) % (signature.count * 8)
                flipped[bit / 8] ^= UInt8(1 << (bit % 8))
                #expect(
                    !keys[0].1.isValidSignature(flipped, for: message, algorithm: algorithm), "tcId \(id) bit \(bit)")
                verified += 1
            }
        }
        #expect(verified >= 24)
        print("\(file): \(verified) signatures checked, \(skipped) skipped (SHA-1/SHA-224)")
    }
}
