// SPDX-License-Identifier: Apache-2.0

@_spi(Benchmarking) @_spi(Testing) import SignetKeys
import TestSupport
import Testing

/// RSASSA-PSS (PS256/PS384/PS512): Wycheproof on every verification engine, signatures from OpenSSL EVP and from the
/// IFMA engine (emulated here) checked by both Signet's decoder and OpenSSL's own, and no confusion with PKCS#1 v1.5.
@Suite struct PSSTests {
    static func pssAlgorithm(forSHA sha: String) -> RSASignatureAlgorithm? {
        switch sha {
        case "SHA-256": .ps256
        case "SHA-384": .ps384
        case "SHA-512": .ps512
        default: nil
        }
    }

    static var engines: [RSAEngine] { [.openSSL] + SigningEngineTests.engines }

    /// Every vector of the JWA-parameter files gets its expected verdict from the zero-allocation path on each
    /// engine and from OpenSSL's own `EVP_DigestVerify`; a valid signature never verifies as PKCS#1 v1.5.
    @Test(arguments: Wycheproof.pssVerifyFiles)
    func wycheproofVerify(file: String) throws {
        let cases = try Wycheproof.verifyCases(file)
        #expect(cases.count > 100)
        var keys: [[UInt8]: [RSAPublicKey]] = [:]
        for c in cases {
            let alg = try #require(Self.pssAlgorithm(forSHA: c.sha))
            let loaded: [RSAPublicKey]
            if let k = keys[c.publicKeyDER] {
                loaded = k
            } else {
                let key = try RSAPublicKey(der: c.publicKeyDER)
                loaded = try Self.engines.map { engine in engine == .openSSL ? key : try key.using(engine: engine) }
                keys[c.publicKeyDER] = loaded
            }
            let expected = c.result == "valid"
            for key in loaded {
                #expect(
                    key.isValidSignature(c.signature, for: c.message, algorithm: alg) == expected, "\(c) \(key.engine)")
            }
            let evp = unsafe c.signature.withUnsafeBytes { s in
                unsafe c.message.withUnsafeBytes { m in
                    unsafe RawEVPBaseline.verify(s, for: m, key: loaded[0], algorithm: alg)
                }
            }
            #expect(evp == expected, "\(c) plain EVP")
            if expected {
                for other in RSASignatureAlgorithm.all where other != alg {
                    #expect(
                        !loaded[0].isValidSignature(c.signature, for: c.message, algorithm: other), "\(c) as \(other)")
                }
            }
        }
    }

    /// Signatures from EVP and from each IFMA backend verify on Signet's path and on OpenSSL's; two signatures of
    /// one message differ (fresh salt); a flipped bit or another algorithm is rejected.
    @Test(arguments: [RSAEngine.openSSL] + SigningEngineTests.engines)
    func signingRoundTripsOnEveryEngine(engine: RSAEngine) throws {
        var rng = SplitMix64(seed: 0x7055_0001)
        let key = try SigningEngineTests.key4096.using(engine: engine)
        let small = try Fixtures.key2048.using(engine: engine)
        #expect(key.engine == engine)
        for (i, alg) in (RSASignatureAlgorithm.pss + RSASignatureAlgorithm.pss).enumerated() {
            let signer = i < 3 ? small : key
            let message = rng.bytes(rng.below(400))
            let first = try signer.signature(for: message, algorithm: alg)
            let second = try signer.signature(for: message, algorithm: alg)
            #expect(first != second)
            for signature in [first, second] {
                #expect(signer.publicKey.isValidSignature(signature, for: message, algorithm: alg))
                let evp = unsafe signature.withUnsafeBytes { s in
                    unsafe message.withUnsafeBytes { m in
                        unsafe RawEVPBaseline.verify(s, for: m, key: signer.publicKey, algorithm: alg)
                    }
                }
                #expect(evp)
            }
            var flipped = first
            flipped[rng.below(flipped.count)] ^= 1 << UInt8(rng.below(8))
            #expect(!signer.publicKey.isValidSignature(flipped, for: message, algorithm: alg))
            for other in RSASignatureAlgorithm.all where other != alg {
                #expect(!signer.publicKey.isValidSignature(first, for: message, algorithm: other))
            }
        }
    }

    /// OpenSSL's plain PSS signatures verify on every verification engine.
    @Test(arguments: SigningEngineTests.engines)
    func plainEVPSignaturesVerifyOnTheEngine(engine: RSAEngine) throws {
        let key = Fixtures.key2048
        let publicKey = try key.publicKey.using(engine: engine)
        let message = Array("PS256 from plain EVP".utf8)
        for alg in RSASignatureAlgorithm.pss {
            var signature = [UInt8](repeating: 0, count: key.signatureByteCount)
            let n = try unsafe message.withUnsafeBytes { m in
                try unsafe signature.withUnsafeMutableBytes { o in
                    try unsafe RawEVPBaseline.sign(m, key: key, algorithm: alg, into: o)
                }
            }
            #expect(n == key.signatureByteCount)
            #expect(publicKey.isValidSignature(signature, for: message, algorithm: alg))
            #expect(!publicKey.isValidSignature(signature, for: message + [0], algorithm: alg))
        }
    }

    @Test func namesRoundTrip() {
        for alg in RSASignatureAlgorithm.all {
            #expect(RSASignatureAlgorithm(jwsName: alg.jwsName) == alg)
            #expect(alg.usesPSS == alg.jwsName.hasPrefix("PS"))
        }
        #expect(RSASignatureAlgorithm(jwsName: "ps256") == nil)
        #expect(Set(RSASignatureAlgorithm.all).count == 6)
    }
}
