// SPDX-License-Identifier: Apache-2.0

import GMPVerifier
import TestSupport
import Testing

/// Ed25519 through `GMPEd25519PublicKey`: RFC 8032 §7.1 test vectors and Project Wycheproof `ed25519_test`.
@Suite struct Ed25519Tests {
    /// RFC 8032 §7.1: TEST 1, TEST 2, TEST 3 and TEST SHA(abc) (public key, message, signature).
    static let rfc8032: [(String, String, String, String)] = [
        (
            "TEST 1", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
        (
            "TEST 2", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
        (
            "TEST 3", "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        ),
        (
            "TEST SHA(abc)", "ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"
        ),
    ]

    @Test func rfc8032Section7_1() throws {
        for (name, pk, msg, sig) in Self.rfc8032 {
            let key = try GMPEd25519PublicKey(raw: try #require(Hex.decode(pk)))
            let message = try #require(Hex.decode(msg))
            let signature = try #require(Hex.decode(sig))
            #expect(key.rawRepresentation == Hex.decode(pk))
            try key.verify(signature: signature, message: message)
            #expect(key.isValidSignature(signature, for: message), "\(name)")
            // Any flipped bit of the signature or the message breaks it.
            for bit in stride(from: 0, to: 512, by: 37) {
                var flipped = signature
                flipped[bit / 8] ^= UInt8(1 << (bit % 8))
                #expect(!key.isValidSignature(flipped, for: message), "\(name) signature bit \(bit)")
            }
            #expect(!key.isValidSignature(signature, for: message + [0]), "\(name) longer message")
        }
    }

    @Test func wycheproof() throws {
        let root = try vectorObject("wycheproof/ed25519_test.json")
        let groups = try #require(root["testGroups"] as? [[String: Any]])
        var seen = 0
        var verdicts: [Bool: Int] = [:]
        for group in groups {
            let raw = try group.object("publicKey").hex("pk")
            let jwk = try group.object("publicKeyJwk")
            #expect(try jwk.string("kty") == "OKP")
            let keys: [(String, GMPEd25519PublicKey)] = [
                ("raw", try GMPEd25519PublicKey(raw: raw)),
                ("SPKI DER", try GMPEd25519PublicKey(spkiDER: try group.hex("publicKeyDer"))),
                ("PEM", try GMPEd25519PublicKey(pem: try group.string("publicKeyPem"))),
                ("JWK", try GMPEd25519PublicKey(jwkCurve: try jwk.string("crv"), x: try jwk.string("x"))),
            ]
            for (name, key) in keys { #expect(key.rawRepresentation == raw, "\(name)") }
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
                    Issue.record("tcId \(id): 'acceptable' needs a written-down verdict")
                    continue
                }
                verdicts[expected, default: 0] += 1
                for (name, key) in keys {
                    #expect(
                        key.isValidSignature(signature, for: message) == expected, "tcId \(id) via \(name): \(comment)")
                }
                do {
                    try keys[0].1.verify(signature: signature, message: message)
                    #expect(expected, "tcId \(id) accepted by verify")
                } catch {
                    #expect(!expected, "tcId \(id) rejected: \(error)")
                    #expect(
                        [.signatureLength, .signatureOutOfRange, .signatureMismatch].contains(error.code),
                        "tcId \(id): \(error)")
                }
                #expect(
                    unsafe signature.withUnsafeBytes { s in
                        unsafe message.withUnsafeBytes { m in unsafe keys[0].1.isValidSignature(s, for: m) }
                    } == expected, "tcId \(id) raw buffers")
            }
        }
        #expect(seen == root["numberOfTests"] as? Int)
        #expect((verdicts[true] ?? 0) >= 80)
        #expect((verdicts[false] ?? 0) >= 60)
        print("ed25519_test: \(seen) vectors, \(verdicts[true] ?? 0) accepted, \(verdicts[false] ?? 0) rejected")
    }
}
