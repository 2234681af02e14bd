// SPDX-License-Identifier: Apache-2.0
import ClientAssertion
import CryptoEVP
import Foundation
import JWS
import RSAGMP
import Testing
import TestSupport

/// CryptoEVP (OpenSSL) and RSAGMP (independent) must reach the same verdict on every input.
@Suite struct CrossCheckTests {
    static func gmpAlgorithm(_ sha: String) -> RSAGMPAlgorithm? {
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
        var gmpKeys: [[UInt8]: RSAGMPPublicKey] = [:]
        var compared = 0
        for c in try Wycheproof.verifyCases(file) {
            let alg = try #require(RSASignatureAlgorithm.all.first { $0.digestByteCount * 8 == Int(c.sha.dropFirst(4)) })
            let gAlg = try #require(Self.gmpAlgorithm(c.sha))
            let evp = try evpKeys[c.publicKeyDER] ?? RSAPublicKey(der: c.publicKeyDER)
            let gmp = try gmpKeys[c.publicKeyDER] ?? RSAGMPPublicKey(spkiDER: c.publicKeyDER)
            evpKeys[c.publicKeyDER] = evp
            gmpKeys[c.publicKeyDER] = gmp
            let a: Bool = evp.isValidSignature(c.signature, for: c.message, algorithm: alg)
            let b: Bool = gmp.isValidSignature(c.signature, for: c.message, algorithm: gAlg)
            #expect(a == b, "\(c): OpenSSL \(a), RSAGMP \(b)")
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
        let campaign = try DifferentialCampaign(key: key)
        var rng = SplitMix64(seed: 0xC0FFEE ^ UInt64(key.bits))
        var totals = DifferentialCampaign.Totals()
        for i in 0..<40 {
            try campaign.run(algorithm: i % 2 == 0 ? .rs256 : .rs512, mutations: 50, using: &rng, into: &totals)
        }
        #expect(totals.cases >= 2000)
        #expect(totals.bothValid >= 40)
        #expect(totals.disagreements.isEmpty, "\(totals.disagreements.first.map { $0.description } ?? "")")
    }

    @Test func crossCheckedVerifierAcceptsAndDetectsDisagreement() throws {
        let key = try RSAPrivateKey.generate(bits: 2048)
        let signer = try JWSSigner(key: key, algorithm: .rs256, keyID: "k")
        let token = try signer.token(claims: JWTClaims(expiresAt: NumericDate(Int64(4_000_000_000))))
        let checked = try JWSVerifier(keys: [.crossChecked(key: key.publicKey, algorithm: .rs256, keyID: "k")])
        #expect(throws: Never.self) { try checked.verify(token) }
        let broken = try JWSVerifier(keys: [JWSVerificationKey(
            key: key.publicKey, algorithm: .rs256, keyID: "k",
            secondOpinion: SignatureSecondOpinion(name: "always-no") { _, _, _ in false })])
        let error = #expect(throws: JWSError.self) { try broken.verify(token) }
        #expect(error?.code == .crossCheckDisagreement)
        // Bad signatures: both say no, so the ordinary error comes back.
        let tampered = String(token.dropLast(2)) + (token.hasSuffix("AA") ? "BA" : "AA")
        let error2 = #expect(throws: JWSError.self) { try checked.verify(tampered) }
        #expect(error2?.code != .crossCheckDisagreement)
    }
}
