// SPDX-License-Identifier: Apache-2.0

import GMPVerifier
import JWS
@_spi(Testing) import SignetKeys
import TestSupport
import Testing

@testable import CrossCheck

/// PS, ES and EdDSA get their second opinion from GMPVerifier like RS does: the cross-checked verifier and the
/// differential campaigns agree with OpenSSL, and a second opinion that lies is caught.
@Suite struct EveryAlgorithmCrossCheckTests {
    static let curveAlgorithms: [JWSAlgorithm] = [.es256, .es384, .es512, .edDSA]

    static func token(_ key: JWSSigningKey, _ alg: JWSAlgorithm) throws -> String {
        try JWSSigner(key: key, algorithm: alg, keyID: "k").token(
            claims: JWTClaims(expiresAt: NumericDate(Int64(4_000_000_000))))
    }

    /// A seeded campaign per curve algorithm: ≥ 1,000 cases, no disagreement; ECDSA's malleated (r, n − s) cases
    /// are accepted by all three verifiers and counted, Ed25519's (R, S + L) rejected by all three.
    @Test(arguments: curveAlgorithms)
    func seededCurveDifferentialRun(alg: JWSAlgorithm) throws {
        let key = try JWSSigningKey.generate(for: alg)
        let campaign = try DifferentialCampaign(key: key)
        #expect(campaign.algorithms == [alg])
        var rng = SplitMix64(seed: 0xEC0 ^ UInt64(alg.jwsName.utf8.count))
        var totals = DifferentialCampaign.Totals()
        for _ in 0..<40 { try campaign.run(algorithm: alg, mutations: 24, using: &rng, into: &totals) }
        #expect(totals.cases == 40 * 25)
        #expect(totals.disagreements.isEmpty, "\(totals.disagreements.first.map { $0.description } ?? "")")
        if alg == .edDSA {
            #expect(totals.malleatedAccepted == 0)
            #expect(totals.allValid == 40)
        } else {
            #expect(totals.malleatedAccepted == 80, "two (r, n-s) cases per round, both accepted")
            #expect(totals.allValid == 40 + 80)
        }
        #expect(totals.allInvalid == totals.cases - totals.allValid)
    }

    /// A second opinion that always says no: every valid case (and every accepted malleated one) is a disagreement
    /// with a reproducer.
    @Test(arguments: curveAlgorithms)
    func corruptedSecondOpinionIsCaught(alg: JWSAlgorithm) throws {
        let key = try JWSSigningKey.generate(for: alg)
        let campaign = DifferentialCampaign(key: key, secondOpinion: { _, _, _ in false })
        var rng = SplitMix64(seed: 7)
        var totals = DifferentialCampaign.Totals()
        for _ in 0..<3 { try campaign.run(algorithm: alg, mutations: 12, using: &rng, into: &totals) }
        #expect(totals.disagreements.count == (alg == .edDSA ? 3 : 6))
        let first = try #require(totals.disagreements.first)
        #expect(first.kind == "valid" && first.signetVerdict == true && first.openSSLVerdict && !first.gmpVerdict)
        #expect(
            first.description.hasPrefix(
                "disagreement (valid, \(alg.jwsName)): Signet=true OpenSSL=true GMPVerifier=false"))
        #expect(first.description.contains("key={\"kty\":\"\(key.publicKey.keyType)\""))
    }

    /// One campaign for every family: an RSA key runs RS and PS, a curve key only its own algorithm, and a key
    /// asked for another family's algorithm, or for an engine it has none of, is refused.
    @Test func oneCampaignOverEveryFamily() throws {
        let rsa = try DifferentialCampaign(key: .rsa(CrossCheckTests.wycheproofKey("rsa_pkcs1_2048_sig_gen_test.json")))
        #expect(rsa.algorithms == [.rs256, .rs384, .rs512, .ps256, .ps384, .ps512])
        let ec = try DifferentialCampaign(key: JWSSigningKey.generate(for: .es384))
        #expect(ec.algorithms == [.es384])
        var rng = SplitMix64(seed: 3)
        var totals = DifferentialCampaign.Totals()
        #expect(throws: SignetKeyError.self) { try ec.run(algorithm: .es256, mutations: 1, using: &rng, into: &totals) }
        #expect(throws: SignetKeyError.self) {
            try rsa.run(algorithm: .edDSA, mutations: 1, using: &rng, into: &totals)
        }
        let noEngine = #expect(throws: SignetKeyError.self) { try ec.comparingEngine(.emulated) }
        #expect(noEngine?.code == .wrongKeyType)
        #expect(totals.cases == 0)
    }

    /// The cross-checked verifier for every non-RS algorithm accepts a good token, refuses a tampered one with the
    /// ordinary error, and reports a lying second opinion as `signature.cross-check-disagreement`.
    @Test(arguments: [JWSAlgorithm.ps256, .ps384, .ps512, .es256, .es384, .es512, .edDSA])
    func crossCheckedVerifierForEveryAlgorithm(alg: JWSAlgorithm) throws {
        let key = try JWSSigningKey.generate(for: alg)
        let token = try Self.token(key, alg)
        let checked = try JWSVerifier(keys: [.crossChecked(key: key.publicKey, algorithm: alg, keyID: "k")])
        #expect(checked.keys.first?.secondOpinion != nil)
        #expect(throws: Never.self) { try checked.verify(token) }
        let tampered = String(token.dropLast(2)) + (token.hasSuffix("AA") ? "BA" : "AA")
        let error = #expect(throws: JWSError.self) { try checked.verify(tampered) }
        #expect(error?.code != .crossCheckDisagreement)
        let broken = try unsafe JWSVerifier(keys: [
            JWSVerificationKey(
                key: key.publicKey, algorithm: alg, keyID: "k",
                secondOpinion: SignatureSecondOpinion(name: "always-no") { _, _, _ in false })
        ])
        let disagreement = #expect(throws: JWSError.self) { try broken.verify(token) }
        #expect(disagreement?.code == .crossCheckDisagreement)
        // The message names who decided: OpenSSL or the IFMA engine the key was loaded on for PS, Signet's own
        // verifier for ES and EdDSA.
        let decider = key.publicKey.verifierName
        #expect(
            alg.jwsName.hasPrefix("PS")
                ? decider == "OpenSSL" || decider.hasPrefix("the IFMA engine (ifma")
                : decider == "Signet's own curve verifier", "\(decider)")
        #expect(
            disagreement?.reason.hasPrefix("\(decider) says the signature is valid but always-no says invalid") == true,
            "\(disagreement?.reason ?? "")")
    }

    /// The family-specific entry points bind the curve's algorithm; a key cannot be cross-checked under another
    /// family's algorithm.
    @Test func familyEntryPointsAndMismatches() throws {
        let ec = try ECPrivateKey.generate(curve: .p384)
        let ed = try Ed25519PrivateKey.generate()
        #expect(try JWSVerificationKey.crossChecked(key: ec.publicKey).algorithm == .es384)
        #expect(try JWSVerificationKey.crossChecked(key: ed.publicKey).algorithm == .edDSA)
        #expect(throws: GMPVerifierError.self) {
            try JWSVerificationKey.crossChecked(key: .ec(ec.publicKey), algorithm: .es256)
        }
        #expect(throws: GMPVerifierError.self) {
            try JWSVerificationKey.crossChecked(key: .ed25519(ed.publicKey), algorithm: .rs256)
        }
    }

    /// PS256/384/512 in the RSA campaign: GMPVerifier's own EMSA-PSS (salt = hash length) agrees with OpenSSL on valid
    /// signatures and their mutations, including the other-algorithm probes (RS on a PS signature and back).
    @Test func seededPSSDifferentialRun() throws {
        let key = try RSAPrivateKey.generate(bits: 2048)
        let campaign = try DifferentialCampaign(key: .rsa(key))
        var rng = SplitMix64(seed: 0x955)
        var totals = DifferentialCampaign.Totals()
        let algorithms: [JWSAlgorithm] = [.ps256, .ps384, .ps512]
        for i in 0..<18 { try campaign.run(algorithm: algorithms[i % 3], mutations: 24, using: &rng, into: &totals) }
        #expect(totals.cases == 18 * 25)
        #expect(totals.allValid == 18)
        #expect(totals.disagreements.isEmpty, "\(totals.disagreements.first.map { $0.description } ?? "")")
    }
}

/// PSS in an engine campaign: the random salt makes the engine's signatures differ from OpenSSL's, so each must
/// verify on OpenSSL (and on GMPVerifier) instead of matching byte for byte.
@Suite struct PSSEngineCampaignTests {
    @Test func emulatedEnginePSSSignaturesVerifyEverywhere() throws {
        let key = try CrossCheckTests.wycheproofKey("rsa_pkcs1_2048_sig_gen_test.json")
        let campaign = try DifferentialCampaign(key: .rsa(key)).comparingEngine(.emulated)
        var rng = SplitMix64(seed: 0x9551)
        var totals = DifferentialCampaign.Totals()
        for i in 0..<3 {
            try campaign.run(
                algorithm: [JWSAlgorithm.ps256, .ps384, .ps512][i], mutations: 2, using: &rng, into: &totals)
        }
        #expect(totals.engineSignatures == 3 && totals.engineIdentical == 3 && totals.engineVerifiedByGMP == 3)
        #expect(totals.engineMismatches == 0)
        #expect(totals.disagreements.isEmpty, "\(totals.disagreements.first.map { $0.description } ?? "")")
        // A PSS signature of another message is a mismatch.
        let message = Array("m".utf8)
        let signature = try key.signature(for: message, algorithm: .ps256)
        campaign.compareEngineSignature(
            signature, openSSLSignature: signature, message: message + [1], algorithm: .ps256, into: &totals)
        #expect(totals.engineMismatches == 1)
    }
}
