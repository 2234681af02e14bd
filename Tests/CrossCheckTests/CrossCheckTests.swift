// SPDX-License-Identifier: Apache-2.0

import Foundation
import GMPVerifier
import JWS
@_spi(Testing) import SignetKeys
import TestSupport
import Testing

@testable import CrossCheck

/// SignetKeys (OpenSSL) and GMPVerifier (independent) must reach the same verdict on every input.
@Suite struct CrossCheckTests {
    static func gmpAlgorithm(_ sha: String) -> GMPRSAAlgorithm? {
        switch sha {
        case "SHA-256": .rs256
        case "SHA-384": .rs384
        case "SHA-512": .rs512
        default: nil
        }
    }

    /// Every Wycheproof rsa_signature vector: the two verdicts are compared vector by vector.
    @Test(arguments: Wycheproof.verifyFiles)
    func wycheproofVerdictsAgree(file: String) throws {
        var evpKeys: [[UInt8]: RSAPublicKey] = [:]
        var gmpKeys: [[UInt8]: GMPRSAPublicKey] = [:]
        var compared = 0
        for c in try Wycheproof.verifyCases(file) {
            let alg = try #require(
                RSASignatureAlgorithm.all.first { $0.digestByteCount * 8 == Int(c.sha.dropFirst(4)) })
            let gAlg = try #require(Self.gmpAlgorithm(c.sha))
            let evp = try evpKeys[c.publicKeyDER] ?? RSAPublicKey(der: c.publicKeyDER)
            let gmp = try gmpKeys[c.publicKeyDER] ?? GMPRSAPublicKey(spkiDER: c.publicKeyDER)
            evpKeys[c.publicKeyDER] = evp
            gmpKeys[c.publicKeyDER] = gmp
            let a: Bool = evp.isValidSignature(c.signature, for: c.message, algorithm: alg)
            let b: Bool = gmp.isValidSignature(c.signature, for: c.message, algorithm: gAlg)
            #expect(a == b, "\(c): OpenSSL \(a), GMPVerifier \(b)")
            #expect(a == (c.result == "valid"), "\(c)")
            compared += 1
        }
        #expect(compared > 200)
    }

    /// A seeded differential run: ≥ 2,000 cases per key size (Wycheproof's fixed 2048- and 4096-bit keys, so the
    /// run is deterministic), RS256 and RS512, valid signatures and mutations.
    @Test(arguments: ["rsa_pkcs1_2048_sig_gen_test.json", "rsa_pkcs1_4096_sig_gen_test.json"])
    func seededDifferentialRun(file: String) throws {
        let c = try #require(try Wycheproof.signCases(file).first)
        let key = try RSAPrivateKey(pem: c.privateKeyPEM)
        let campaign = try DifferentialCampaign(key: .rsa(key))
        var rng = SplitMix64(seed: 0xC0FFEE ^ UInt64(key.bits))
        var totals = DifferentialCampaign.Totals()
        for i in 0..<40 {
            try campaign.run(algorithm: i % 2 == 0 ? .rs256 : .rs512, mutations: 50, using: &rng, into: &totals)
        }
        #expect(totals.cases >= 2000)
        #expect(totals.allValid >= 40)
        #expect(totals.disagreements.isEmpty, "\(totals.disagreements.first.map { $0.description } ?? "")")
    }

    static func wycheproofKey(_ file: String) throws -> RSAPrivateKey {
        let c = try #require(try Wycheproof.signCases(file).first)
        return try RSAPrivateKey(pem: c.privateKeyPEM)
    }

    /// An engine campaign on the emulated IFMA lanes (any CPU): every valid case is signed twice, byte-identical.
    @Test(arguments: ["rsa_pkcs1_2048_sig_gen_test.json", "rsa_pkcs1_4096_sig_gen_test.json"])
    func seededEngineRunIsByteIdentical(file: String) throws {
        let key = try Self.wycheproofKey(file)
        let campaign = try DifferentialCampaign(key: .rsa(key)).comparingEngine(.emulated)
        #expect(campaign.engine == .emulated)
        var rng = SplitMix64(seed: 0xE61E ^ UInt64(key.bits))
        var totals = DifferentialCampaign.Totals()
        for i in 0..<6 {
            try campaign.run(algorithm: i % 2 == 0 ? .rs256 : .rs512, mutations: 3, using: &rng, into: &totals)
        }
        #expect(totals.cases == 24)
        #expect(totals.engineSignatures == 6)
        #expect(totals.engineIdentical == 6)
        #expect(totals.engineVerifiedByGMP == 6)
        #expect(totals.engineVerifications == 24, "every case, valid or mutated, is verified on the engine too")
        #expect(totals.engineMismatches == 0)
        #expect(totals.disagreements.isEmpty, "\(totals.disagreements.first.map { $0.description } ?? "")")
    }

    /// A signature that differs from OpenSSL's by one bit, and identical bytes for the wrong message, are both
    /// engine mismatches (the comparison that every engine case goes through).
    @Test func engineMismatchesAreReported() throws {
        let key = try Self.wycheproofKey("rsa_pkcs1_2048_sig_gen_test.json")
        let campaign = try DifferentialCampaign(key: .rsa(key)).comparingEngine(.openSSL)
        let message = Array("header.payload".utf8)
        let signature = try key.using(engine: .openSSL).signature(for: message, algorithm: .rs256)
        var totals = DifferentialCampaign.Totals()

        campaign.compareEngineSignature(
            signature, openSSLSignature: signature, message: message, algorithm: .rs256, into: &totals)
        #expect(totals.engineSignatures == 1 && totals.engineIdentical == 1 && totals.engineVerifiedByGMP == 1)
        #expect(totals.engineMismatches == 0 && totals.disagreements.isEmpty)

        var flipped = signature
        flipped[17] ^= 0x04
        campaign.compareEngineSignature(
            flipped, openSSLSignature: signature, message: message, algorithm: .rs256, into: &totals)
        #expect(totals.engineSignatures == 2 && totals.engineIdentical == 1 && totals.engineVerifiedByGMP == 1)
        #expect(totals.engineMismatches == 1)
        let differs = try #require(totals.disagreements.last)
        #expect(differs.kind == "engine signature differs")
        #expect(differs.engine == .openSSL)
        #expect(differs.engineSignature == flipped && differs.signature == signature && differs.message == message)
        #expect(!differs.openSSLVerdict && !differs.gmpVerdict)
        #expect(differs.description.contains("engine signature="))

        campaign.compareEngineSignature(
            signature, openSSLSignature: signature, message: message + [0], algorithm: .rs256, into: &totals)
        #expect(totals.engineMismatches == 2 && totals.disagreements.count == 2)
        #expect(totals.disagreements.last?.kind == "engine signature rejected by GMPVerifier")
        // OpenSSL's campaign against itself verifies nothing twice
        #expect(totals.engineVerifications == 0)
    }

    /// The reproducer of an engine verdict that differs from OpenSSL's names both verdicts and the key as a JWK.
    @Test func engineVerdictDisagreementDescribesBothVerdicts() {
        let d = DifferentialCampaign.Disagreement(
            kind: "engine verify: signature bit flip", algorithm: .rs512,
            publicKeyJWK: #"{"kty":"RSA","n":"xQ","e":"AQAB"}"#, message: [0x61], signature: [0x0A],
            openSSLVerdict: false, gmpVerdict: false, engine: .emulated, engineVerdict: true)
        #expect(
            d.description.hasPrefix(
                "disagreement (engine verify: signature bit flip, RS512): engine emulated=true OpenSSL=false GMPVerifier=false"
            ))
        #expect(d.description.contains(#"key={"kty":"RSA","n":"xQ","e":"AQAB"}"#))
        #expect(d.description.contains("signature=0a"))
    }

    /// An engine that does not take the key is an error, not a silent fallback to OpenSSL.
    @Test func engineThatRefusesTheKeyThrows() throws {
        let key = try RSAPrivateKey.generate(bits: 2560)
        let error = #expect(throws: SignetKeyError.self) {
            try DifferentialCampaign(key: .rsa(key)).comparingEngine(.emulated)
        }
        #expect(error?.code == .engineUnavailable)
        for engine in [RSAEngine.ifma256, .ifma512] where !RSAEngine.supportedIFMA.contains(engine) {
            let native = #expect(throws: SignetKeyError.self) {
                try DifferentialCampaign(key: .rsa(Self.wycheproofKey("rsa_pkcs1_2048_sig_gen_test.json")))
                    .comparingEngine(
                        engine)
            }
            #expect(native?.code == .engineUnavailable)
        }
    }

    @Test func crossCheckedVerifierAcceptsAndDetectsDisagreement() throws {
        let key = try RSAPrivateKey.generate(bits: 2048)
        let signer = try JWSSigner(key: key, algorithm: .rs256, keyID: "k")
        let token = try signer.token(claims: JWTClaims(expiresAt: NumericDate(Int64(4_000_000_000))))
        let checked = try JWSVerifier(keys: [.crossChecked(key: .rsa(key.publicKey), algorithm: .rs256, keyID: "k")])
        #expect(throws: Never.self) { try checked.verify(token) }
        let broken = try unsafe JWSVerifier(keys: [
            JWSVerificationKey(
                key: key.publicKey, algorithm: .rs256, keyID: "k",
                secondOpinion: SignatureSecondOpinion(name: "always-no") { _, _, _ in false })
        ])
        let error = #expect(throws: JWSError.self) { try broken.verify(token) }
        #expect(error?.code == .crossCheckDisagreement)
        // Bad signatures: both say no, so the ordinary error comes back.
        let tampered = String(token.dropLast(2)) + (token.hasSuffix("AA") ? "BA" : "AA")
        let error2 = #expect(throws: JWSError.self) { try checked.verify(tampered) }
        #expect(error2?.code != .crossCheckDisagreement)
    }
}
