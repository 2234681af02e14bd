// SPDX-License-Identifier: Apache-2.0

@_spi(Testing) import SignetKeys
import TestSupport
import Testing

/// The IFMA engine's public-key operation (verification) against OpenSSL's, through ``RSAPublicKey``. As for
/// signing, the emulated backends run the same kernel on portable C lanes on every machine; the native ones are
/// tested wherever the CPU enables AVX-512 IFMA.
@Suite struct VerifyingEngineTests {
    static var engines: [RSAEngine] { SigningEngineTests.engines }

    /// Every Wycheproof PKCS#1 v1.5 verification vector for RSA-2048, RSA-3072 and RSA-4096 gets the same verdict from
    /// the engine as its expected result (and so as OpenSSL's, which `RSASignatureTests` checks on the same files).
    @Test(arguments: engines, Wycheproof.verifyFiles)
    func wycheproofVerifyThroughTheEngine(engine: RSAEngine, file: String) throws {
        var keys: [[UInt8]: RSAPublicKey] = [:]
        var checked = 0
        for c in try Wycheproof.verifyCases(file) {
            let alg = try #require(algorithm(forSHA: c.sha))
            let key: RSAPublicKey
            if let k = keys[c.publicKeyDER] {
                key = k
            } else {
                key = try RSAPublicKey(der: c.publicKeyDER).using(engine: engine)
                #expect(key.engine == engine)
                keys[c.publicKeyDER] = key
            }
            #expect(key.isValidSignature(c.signature, for: c.message, algorithm: alg) == (c.result == "valid"), "\(c)")
            checked += 1
        }
        #expect(checked > 200)
    }

    /// Random messages, each signature verified on both engines and then mutated (one bit flipped, anywhere, or
    /// verified under another algorithm): the verdicts are always the same, and always right.
    @Test(arguments: engines)
    func randomSignaturesAndMutationsAgreeWithOpenSSL(engine: RSAEngine) throws {
        var rng = SplitMix64(seed: 0x1F3A_0101)
        for (privateKey, count) in [(Fixtures.key2048, 24), (SigningEngineTests.key4096, 6)] {
            let evp = try privateKey.publicKey.using(engine: .openSSL)
            let key = try privateKey.publicKey.using(engine: engine)
            #expect(evp.engine == .openSSL && key.engine == engine)
            for i in 0..<count {
                let alg = RSASignatureAlgorithm.all[i % 3]
                let message = rng.bytes(Int.random(in: 0...400, using: &rng))
                let signature = try privateKey.signature(for: message, algorithm: alg)
                #expect(key.isValidSignature(signature, for: message, algorithm: alg))
                var bad = signature
                let bit = Int.random(in: 0..<(bad.count * 8), using: &rng)
                bad[bit / 8] ^= UInt8(1) << (bit % 8)
                #expect(
                    key.isValidSignature(bad, for: message, algorithm: alg)
                        == evp.isValidSignature(bad, for: message, algorithm: alg))
                #expect(!key.isValidSignature(bad, for: message, algorithm: alg), "bit \(bit)")
                let other = RSASignatureAlgorithm.all[(i + 1) % 3]
                #expect(!key.isValidSignature(signature, for: message, algorithm: other))
            }
        }
    }

    /// Inputs outside the operation's domain are rejected with the same codes and reasons as on OpenSSL.
    @Test(arguments: engines)
    func outOfRangeAndWrongLengthSignaturesAreRejectedLikeOpenSSL(engine: RSAEngine) throws {
        let evp = try Fixtures.key2048.publicKey.using(engine: .openSSL)
        let key = try Fixtures.key2048.publicKey.using(engine: engine)
        let message = Array("header.payload".utf8)
        let candidates: [[UInt8]] = [
            key.modulus,  // s = n
            [UInt8](repeating: 0xFF, count: key.signatureByteCount),  // s > n
            [UInt8](repeating: 0, count: key.signatureByteCount),  // s = 0
            [UInt8](repeating: 0, count: key.signatureByteCount - 1) + [1],  // s = 1
            [UInt8](repeating: 7, count: key.signatureByteCount - 1),  // one byte short
        ]
        for signature in candidates {
            let mine = #expect(throws: SignetKeyError.self) {
                try unsafe signature.withUnsafeBytes { s in
                    try unsafe message.withUnsafeBytes { m in try unsafe key.verify(s, for: m, algorithm: .rs256) }
                }
            }
            let theirs = #expect(throws: SignetKeyError.self) {
                try unsafe signature.withUnsafeBytes { s in
                    try unsafe message.withUnsafeBytes { m in try unsafe evp.verify(s, for: m, algorithm: .rs256) }
                }
            }
            #expect(mine?.code == theirs?.code && mine?.reason == theirs?.reason, "\(signature.prefix(4))")
        }
    }

    @Test func privateKeyUsingAnEngineVerifiesOnItToo() throws {
        let key = try Fixtures.key2048.using(engine: .emulated)
        #expect(key.engine == .emulated && key.publicKey.engine == .emulated)
        #expect(try Fixtures.key2048.using(engine: .openSSL).publicKey.engine == .openSSL)
        let message = Array("both engines".utf8)
        #expect(
            key.publicKey.isValidSignature(
                try key.signature(for: message, algorithm: .rs512), for: message, algorithm: .rs512))
    }

    @Test func automaticVerifiesOnIFMAOnlyWhereTheCPUHasIt() throws {
        let key = try Fixtures.key2048.publicKey.using(engine: .automatic)
        if RSAEngine.supportedIFMA.isEmpty {
            #expect(key.engine == .openSSL)
            #expect(Fixtures.key2048.publicKey.engine == .openSSL, "a key loaded the default way")
        } else {
            #expect(key.engine == .openSSL || RSAEngine.supportedIFMA.contains(key.engine))
        }
        // the choice is made once per size and exponent: another key of the same shape gets the same engine
        let other = try RSAPublicKey(
            der: try #require(Wycheproof.verifyCases("rsa_signature_2048_sha256_test.json").first).publicKeyDER)
        #expect(other.bits == 2048 && other.exponent == key.exponent)
        #expect(other.engine == key.engine)
        // and whichever it is, it verifies
        let message = Array("automatic".utf8)
        #expect(
            key.isValidSignature(
                try Fixtures.key2048.signature(for: message, algorithm: .rs256), for: message, algorithm: .rs256))
    }

    @Test func keysTheEngineDoesNotTakeAreRefused() throws {
        // RSA-2560: the engine's public-key operation covers 2048, 3072 and 4096 bits only.
        let key2560 = try RSAPrivateKey.generate(bits: 2560).publicKey
        let error = #expect(throws: SignetKeyError.self) { try key2560.using(engine: .emulated) }
        #expect(error?.code == .engineUnavailable)
        #expect(error?.reason.contains("RSA-2560") == true, "\(error?.reason ?? "")")
        #expect(try key2560.using(engine: .automatic).engine == .openSSL)
        // RSA-3072 is taken.
        let key3072 = try RSAPublicKey(
            der: try #require(Wycheproof.verifyCases("rsa_signature_3072_sha256_test.json").first).publicKeyDER)
        #expect(try key3072.using(engine: .emulated).engine == .emulated)
        for engine in [RSAEngine.ifma256, .ifma512] where !RSAEngine.supportedIFMA.contains(engine) {
            let refused = #expect(throws: SignetKeyError.self) { try Fixtures.key2048.publicKey.using(engine: engine) }
            #expect(refused?.code == .engineUnavailable)
        }
    }

    @Test func concurrentEngineVerifyingIsSafe() async throws {
        let key = try Fixtures.key2048.publicKey.using(engine: .emulated)
        let message = Array("concurrent verify".utf8)
        let signature = try Fixtures.key2048.signature(for: message, algorithm: .rs256)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<8 where !key.isValidSignature(signature, for: message, algorithm: .rs256) {
                        return false
                    }
                    return true
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }
}
