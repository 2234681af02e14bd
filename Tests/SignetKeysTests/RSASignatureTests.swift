// SPDX-License-Identifier: Apache-2.0

import Foundation
@_spi(Benchmarking) import SignetKeys
import TestSupport
import Testing

func algorithm(forSHA sha: String) -> RSASignatureAlgorithm? {
    switch sha {
    case "SHA-256": .rs256
    case "SHA-384": .rs384
    case "SHA-512": .rs512
    default: nil
    }
}

@Suite struct RSASignatureTests {
    /// Every Wycheproof PKCS#1 v1.5 verification vector for 2048/3072/4096 × SHA-256/384/512.
    ///
    /// "acceptable" vectors (tcId 8 in each file: a DigestInfo with the NULL parameters missing, which RFC 8017
    /// §9.2 note 2 lets old verifiers accept) are rejected by Signet: JWA fixes the encoding, so only the exact
    /// DER DigestInfo verifies.
    @Test(arguments: Wycheproof.verifyFiles)
    func wycheproofVerify(file: String) throws {
        let cases = try Wycheproof.verifyCases(file)
        #expect(cases.count > 200)
        var keys: [[UInt8]: RSAPublicKey] = [:]
        for c in cases {
            let alg = try #require(algorithm(forSHA: c.sha))
            let key: RSAPublicKey
            if let k = keys[c.publicKeyDER] {
                key = k
            } else {
                key = try RSAPublicKey(der: c.publicKeyDER)
                let fromNumbers = try RSAPublicKey(modulus: c.modulus, exponent: c.exponent)
                #expect(fromNumbers.modulus == key.modulus)
                keys[c.publicKeyDER] = key
            }
            let verdict: Bool = key.isValidSignature(c.signature, for: c.message, algorithm: alg)
            let expected: Bool = c.result == "valid"
            #expect(verdict == expected, "\(c)")
            // A valid signature never verifies under another algorithm. (Some invalid vectors carry a correct
            // signature made with another hash, so they are only checked under their own algorithm.)
            if expected {
                for other in RSASignatureAlgorithm.all where other != alg {
                    let accepted = key.isValidSignature(c.signature, for: c.message, algorithm: other)
                    #expect(!accepted, "\(c) with \(other)")
                }
            }
        }
    }

    /// Byte-exact deterministic signatures (Wycheproof `rsa_pkcs1_*_sig_gen`), keys loaded from PKCS#1 PEM.
    @Test(arguments: Wycheproof.signFiles)
    func wycheproofSign(file: String) throws {
        let cases = try Wycheproof.signCases(file)
        #expect(!cases.isEmpty)
        var keys: [String: RSAPrivateKey] = [:]
        for c in cases where c.result == "valid" {
            let alg = try #require(algorithm(forSHA: c.sha))
            let key: RSAPrivateKey
            if let k = keys[c.privateKeyPEM] {
                key = k
            } else {
                key = try RSAPrivateKey(pem: c.privateKeyPEM)
                keys[c.privateKeyPEM] = key
            }
            #expect(try key.signature(for: c.message, algorithm: alg) == c.signature, "\(c)")
            #expect(key.publicKey.isValidSignature(c.signature, for: c.message, algorithm: alg))
        }
    }

    @Test func rfc7515AppendixA2() throws {
        let v = try #require(try Vectors.json("rfc/rfc7515_a2_rs256.json") as? [String: Any])
        let j = try #require(v["jwk"] as? [String: String])
        let key = try RSAPrivateKey(
            jwk: RSAJWKComponents(
                n: j["n"]!, e: j["e"]!, d: j["d"], p: j["p"], q: j["q"], dp: j["dp"], dq: j["dq"], qi: j["qi"]))
        let input = Array(try #require(v["signing_input_ascii"] as? String).utf8)
        let expected = try #require(v["signature_octets"] as? [Int]).map { UInt8($0) }
        #expect(try key.signature(for: input, algorithm: .rs256) == expected)
    }

    @Test func rfc7520Section4_1() throws {
        let v = try #require(try Vectors.json("jose-cookbook/jws/4_1.rsa_v15_signature.json") as? [String: Any])
        let j = try #require((v["input"] as? [String: Any])?["key"] as? [String: String])
        let signing = try #require(v["signing"] as? [String: Any])
        let key = try RSAPrivateKey(
            jwk: RSAJWKComponents(
                n: j["n"]!, e: j["e"]!, d: j["d"], p: j["p"], q: j["q"], dp: j["dp"], dq: j["dq"], qi: j["qi"]))
        let input = Array(try #require(signing["sig-input"] as? String).utf8)
        let sig = try key.signature(for: input, algorithm: .rs256)
        let expectedB64 = try #require(signing["sig"] as? String)
        let expected = try #require(Data(base64URL: expectedB64))
        #expect(sig == Array(expected))
    }

    @Test func randomRoundTripsAndMutations() throws {
        var rng = SplitMix64(seed: 0x5167_4E54)
        let key = Fixtures.key2048
        for i in 0..<60 {
            let alg = RSASignatureAlgorithm.all[i % 3]
            let message = rng.bytes(Int.random(in: 0...2000, using: &rng))
            var sig = try key.signature(for: message, algorithm: alg)
            #expect(key.publicKey.isValidSignature(sig, for: message, algorithm: alg))
            let bit = Int.random(in: 0..<(sig.count * 8), using: &rng)
            sig[bit / 8] ^= 1 << UInt8(bit % 8)
            #expect(!key.publicKey.isValidSignature(sig, for: message, algorithm: alg))
            #expect(throws: SignetKeyError.self) {
                try unsafe sig.withUnsafeBytes { s in
                    try unsafe message.withUnsafeBytes { m in try unsafe key.publicKey.verify(s, for: m, algorithm: alg)
                    }
                }
            }
        }
    }

    /// The allocation-free verify path (libcrypto Montgomery arithmetic + re-encoding) and a plain
    /// `EVP_DigestVerify` give the same verdict on valid signatures, other algorithms, bit flips, and the
    /// numbers around the modulus.
    @Test func verifyPathAgreesWithPlainEVP() throws {
        var rng = SplitMix64(seed: 0xB1C0_FFEE)
        let key = Fixtures.key2048
        let n = key.publicKey.modulus
        var nMinus1 = n
        nMinus1[nMinus1.count - 1] -= 1  // n is odd
        let edge: [[UInt8]] = [
            n, nMinus1, [UInt8](repeating: 0, count: n.count), [UInt8](repeating: 0xFF, count: n.count),
            [UInt8](repeating: 0, count: n.count - 1) + [1],
        ]
        for i in 0..<90 {
            let alg = RSASignatureAlgorithm.all[i % 3]
            let message = rng.bytes(Int.random(in: 0...1500, using: &rng))
            let valid = try key.signature(for: message, algorithm: alg)
            var flipped = valid
            flipped[Int.random(in: 0..<flipped.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            let candidates = [valid, flipped] + (i < 5 ? [edge[i]] : [])
            for sig in candidates {
                for verifyAlg in RSASignatureAlgorithm.all {
                    let ours = key.publicKey.isValidSignature(sig, for: message, algorithm: verifyAlg)
                    let plain = unsafe sig.withUnsafeBytes { s in
                        unsafe message.withUnsafeBytes { m in
                            unsafe RawEVPBaseline.verify(s, for: m, key: key.publicKey, algorithm: verifyAlg)
                        }
                    }
                    #expect(ours == plain, "alg \(alg) verified as \(verifyAlg), case \(i)")
                    #expect(ours == (sig == valid && verifyAlg == alg))
                }
            }
        }
        // Out of range is named as such.
        let error = #expect(throws: SignetKeyError.self) {
            try unsafe n.withUnsafeBytes { s in
                try unsafe [UInt8]().withUnsafeBytes { m in
                    try unsafe key.publicKey.verify(s, for: m, algorithm: .rs256)
                }
            }
        }
        #expect(error?.code == .badSignature)
        #expect(error?.reason.contains("not smaller than the key's modulus") == true)
    }

    @Test func concurrentVerifyingIsSafe() async throws {
        let key = Fixtures.key2048
        let message = Array("concurrent verify".utf8)
        let good = try key.signature(for: message, algorithm: .rs512)
        var bad = good
        bad[7] ^= 0x40
        try await withThrowingTaskGroup(of: Bool.self) { [bad] group in
            for t in 0..<8 {
                group.addTask {
                    for i in 0..<40 {
                        let useGood = (i + t) % 3 != 0
                        let ok = key.publicKey.isValidSignature(useGood ? good : bad, for: message, algorithm: .rs512)
                        if ok != useGood { return false }
                    }
                    return true
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }

    @Test func outputTooSmallAndWrongLengthThrow() throws {
        let key = Fixtures.key2048
        var small = [UInt8](repeating: 0, count: 255)
        let error = #expect(throws: SignetKeyError.self) {
            try unsafe small.withUnsafeMutableBytes { o in
                try unsafe [UInt8]([1]).withUnsafeBytes { m in try unsafe key.sign(m, algorithm: .rs256, into: o) }
            }
        }
        #expect(error?.code == .outputTooSmall)
        let error2 = #expect(throws: SignetKeyError.self) {
            try unsafe small.withUnsafeBytes { s in
                try unsafe [UInt8]([1]).withUnsafeBytes { m in
                    try unsafe key.publicKey.verify(s, for: m, algorithm: .rs256)
                }
            }
        }
        #expect(error2?.code == .signatureLength)
    }

    @Test func errorCodesKeepTheirSpellings() {
        typealias Code = SignetKeyError.Code
        #expect(Code.openSSL.rawValue == "key.openssl")
        #expect(Code.internalError.rawValue == "key.internal")
        #expect(Code.engineFault.rawValue == "rsa.engine-fault")
        #expect(Code.engineUnavailable.rawValue == "rsa.engine-unavailable")
        #expect(Code.badSignature.rawValue == "key.bad-signature")
        #expect(Code.keyTooSmall.rawValue == "key.too-small")
        let error = SignetKeyError(.internalError, offset: 3, reason: "why")
        #expect(error.description == "SignetKeyError.key.internal @3: why")
    }

    @Test func spanSigningAppends() throws {
        let key = Fixtures.key2048
        let message: [UInt8] = Array("span".utf8)
        let prefix: [UInt8] = [9, 9, 9]
        let out = try unsafe [UInt8](unsafeUninitializedCapacity: 3 + key.signatureByteCount) { buffer, count in
            var span = unsafe OutputRawSpan(buffer: UnsafeMutableRawBufferPointer(buffer), initializedCount: 0)
            for b in prefix { span.append(b) }
            try unsafe key.sign(message.span.bytes, algorithm: .rs512, into: &span)
            count = unsafe span.finalize(for: UnsafeMutableRawBufferPointer(buffer))
        }
        #expect(Array(out.prefix(3)) == prefix)
        #expect(Array(out.dropFirst(3)) == (try key.signature(for: message, algorithm: .rs512)))
    }

    @Test func concurrentSigningIsSafe() async throws {
        let key = Fixtures.key2048
        let message = Array("concurrent".utf8)
        let expected = try key.signature(for: message, algorithm: .rs256)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<10 where try key.signature(for: message, algorithm: .rs256) != expected {
                        return false
                    }
                    return true
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }
}

extension Data {
    init?(base64URL s: String) {
        var t = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while t.count % 4 != 0 { t += "=" }
        self.init(base64Encoded: t)
    }
}
