// SPDX-License-Identifier: Apache-2.0

import GMPVerifier
import TestSupport
import Testing

/// Project Wycheproof RSASSA-PSS vectors through GMPVerifier's EMSA-PSS verification.
///
/// The `rsa_pss_{bits}_sha{n}_mgf1_{sLen}` files are exactly JWA's PS256/PS384/PS512 (same hash for the message and
/// MGF1, salt length = hash length). Every group's key is loaded five ways (SPKI DER, PKCS#1 DER, PEM,
/// modulus/exponent, JWK); every test goes through each key with the algorithm API, through the general
/// `verifyPSS` with the group's salt length, through the throwing API, and pre-hashed with OpenSSL's digest.
///
/// "acceptable": these files contain none; a test that had one would be recorded as an issue (a verdict would have
/// to be chosen and written down here first).
@Suite struct PSSWycheproofTests {
    static let files = [
        "rsa_pss_2048_sha256_mgf1_32_test", "rsa_pss_3072_sha256_mgf1_32_test", "rsa_pss_4096_sha256_mgf1_32_test",
        "rsa_pss_2048_sha384_mgf1_48_test", "rsa_pss_4096_sha384_mgf1_48_test", "rsa_pss_4096_sha512_mgf1_64_test",
    ]

    static func hash(_ name: String) -> GMPHash? {
        switch name {
        case "SHA-256": .sha256
        case "SHA-384": .sha384
        case "SHA-512": .sha512
        default: nil
        }
    }

    static func pss(_ hash: GMPHash) -> GMPRSAAlgorithm {
        switch hash {
        case .sha256: .ps256
        case .sha384: .ps384
        case .sha512: .ps512
        }
    }

    @Test(arguments: files) func verificationVectors(_ file: String) throws {
        let root = try vectorObject("wycheproof/\(file).json")
        let groups = try #require(root["testGroups"] as? [[String: Any]])
        var seen = 0
        var verdicts: [Bool: Int] = [:]
        for group in groups {
            let hash = try #require(Self.hash(try group.string("sha")))
            #expect(try group.string("mgfSha") == group.string("sha"))
            let sLen = try #require(group["sLen"] as? Int)
            #expect(sLen == hash.digestByteCount)
            let algorithm = Self.pss(hash)
            let keys = try WycheproofTests.keys(
                group, spki: "publicKeyDer", pkcs1: "publicKeyAsn", pem: "publicKeyPem", rawKey: "publicKey")
            #expect(keys.count == 5)
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
                        key.isValidSignature(signature, for: message, algorithm: algorithm) == expected,
                        "\(file) tcId \(id) via \(name): \(comment)")
                }
                let key = keys[0].1
                #expect(key.isValidPSSSignature(signature, for: message, hash: hash, saltLength: sLen) == expected)
                do {
                    try key.verifySignature(signature, for: message, algorithm: algorithm)
                    #expect(expected, "tcId \(id) accepted by verifySignature")
                } catch {
                    #expect(!expected, "tcId \(id) rejected: \(error)")
                    #expect(
                        [.signatureLength, .signatureOutOfRange, .pssInconsistent].contains(error.code),
                        "tcId \(id): \(error)")
                }
                let digest = Oracle.digest(hash, message)
                #expect(key.isValidSignature(signature, forDigest: digest, algorithm: algorithm) == expected)
                // A valid signature is never valid under PKCS#1 v1.5, another PSS hash, or another salt length.
                // (Some invalid ones are: "WrongPrimitive" is a PKCS#1 v1.5 signature, others use other salts.)
                guard expected else { continue }
                for other in GMPRSAAlgorithm.all where other != algorithm {
                    #expect(!key.isValidSignature(signature, for: message, algorithm: other), "tcId \(id) as \(other)")
                }
                for otherSalt in [0, sLen - 1, sLen + 1] {
                    #expect(!key.isValidPSSSignature(signature, for: message, hash: hash, saltLength: otherSalt))
                }
            }
        }
        #expect(seen == root["numberOfTests"] as? Int)
        #expect((verdicts[true] ?? 0) >= 60)
        #expect((verdicts[false] ?? 0) >= 45)
        print("\(file): \(seen) vectors, \(verdicts[true] ?? 0) accepted, \(verdicts[false] ?? 0) rejected")
    }

    /// `rsa_pss_misc`: signatures valid for their own (hash, MGF1 hash, salt length). Those with one SHA-2 hash for
    /// both verify through `verifyPSS` with their salt length, and through PSnnn exactly when the salt length is the
    /// hash length; the others (SHA-1, SHA-224, or two different hashes) are outside GMPVerifier and are skipped.
    @Test func miscellaneousParameters() throws {
        let root = try vectorObject("wycheproof/rsa_pss_misc_test.json")
        let groups = try #require(root["testGroups"] as? [[String: Any]])
        var checked = 0
        var skipped = 0
        var asJWSAlgorithm = 0
        for group in groups {
            let tests = try #require(group["tests"] as? [[String: Any]])
            guard let hash = Self.hash(try group.string("sha")), try group.string("mgfSha") == group.string("sha")
            else {
                skipped += tests.count
                continue
            }
            let sLen = try #require(group["sLen"] as? Int)
            let key = try GMPRSAPublicKey(spkiDER: try group.hex("publicKeyDer"))
            for test in tests {
                let id = test["tcId"] as? Int ?? -1
                #expect(try test.string("result") == "valid")
                let message = try test.hex("msg")
                let signature = try test.hex("sig")
                #expect(
                    key.isValidPSSSignature(signature, for: message, hash: hash, saltLength: sLen),
                    "tcId \(id) sLen \(sLen) \(hash)")
                let jws = key.isValidSignature(signature, for: message, algorithm: Self.pss(hash))
                #expect(jws == (sLen == hash.digestByteCount), "tcId \(id) as \(Self.pss(hash)), sLen \(sLen)")
                if jws { asJWSAlgorithm += 1 }
                if sLen != hash.digestByteCount {
                    let error = expectCode(.pssInconsistent) {
                        try key.verifySignature(signature, for: message, algorithm: Self.pss(hash))
                    }
                    #expect(error?.offset == nil)
                }
                checked += 1
            }
        }
        #expect(checked >= 18)
        #expect(asJWSAlgorithm >= 3)
        #expect(checked + skipped == root["numberOfTests"] as? Int)
        print("rsa_pss_misc_test: \(checked) checked (\(asJWSAlgorithm) as PSnnn), \(skipped) skipped")
    }

    @Test func negativeSaltLengthIsRefused() throws {
        let f = try Fixture.load()
        expectCode(.invalidSaltLength) {
            try f.key.verifyPSS(f.signature, for: f.input, hash: .sha256, saltLength: -1)
        }
        #expect(!f.key.isValidPSSSignature(f.signature, for: f.input, hash: .sha256, saltLength: -1))
    }
}
