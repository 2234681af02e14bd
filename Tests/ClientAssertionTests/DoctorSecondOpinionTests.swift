// SPDX-License-Identifier: Apache-2.0

import CrossCheck
import JWS
import SignetKeys
import Testing

@testable import ClientAssertion

/// The doctor's second opinion covers every algorithm: GMPVerifier's verdict, given through the
/// `SignatureSecondOpinion.Source` seam as `signet doctor` gives it, is consulted for PS, ES and EdDSA keys as for RS
/// ones, and agrees with OpenSSL on good and bad signatures; a second opinion that disagrees is reported.
@Suite struct DoctorSecondOpinionTests {
    @Test(arguments: [JWSAlgorithm.ps256, .es256, .es384, .es512, .edDSA])
    func secondOpinionForEveryFamily(alg: JWSAlgorithm) throws {
        let key = try JWSSigningKey.generate(for: alg)
        let message = Array("header.payload".utf8)
        let signature = try key.signature(for: message, algorithm: alg)
        let source = SignatureSecondOpinion.Source.gmpVerifier
        let opinion = try #require(source.opinion(for: key.publicKey, algorithm: alg))
        #expect(opinion.isValid(signature, for: message, algorithm: alg))
        var flipped = signature
        flipped[3] ^= 0x10
        #expect(!opinion.isValid(flipped, for: message, algorithm: alg))
        #expect(!opinion.isValid(signature, for: message + [0], algorithm: alg))
        // An algorithm of another family has no opinion (the key cannot be bound to it).
        #expect(source.opinion(for: key.publicKey, algorithm: alg == .edDSA ? .es256 : .edDSA) == nil)
    }

    /// An ES256 and an EdDSA assertion against their JWKS: the signature verifies and nothing is reported; with a
    /// damaged signature the doctor says so (both verifiers agree, so no disagreement finding).
    @Test(arguments: [JWSAlgorithm.es256, .edDSA])
    func doctorVerifiesCurveAssertions(alg: JWSAlgorithm) throws {
        let key = try JWSSigningKey.generate(for: alg)
        let token = try ClientAssertionMinter(
            signingKey: key, keyID: "k1", clientID: Fixtures.clientID,
            profile: .rfc7523(audience: Fixtures.apimAudience), algorithm: alg, lifetime: 60,
            clock: .fixed(Fixtures.now)
        ).mint()
        let jwks = JWKSet.document([(key.publicKey, "k1", alg)])
        let report = Fixtures.examine(token, jwks: jwks, audience: Fixtures.apimAudience, profile: .rfc7523)
        #expect(report.signatureVerified == true)
        #expect(report.findings.isEmpty, "\(report.findings)")
        // One character well inside the signature segment (the last one may carry only padding bits).
        var characters = Array(token)
        characters[characters.count - 10] = characters[characters.count - 10] == "A" ? "B" : "A"
        let damaged = String(characters)
        let bad = Fixtures.examine(damaged, jwks: jwks, audience: Fixtures.apimAudience, profile: .rfc7523)
        #expect(bad.signatureVerified == false)
        #expect(!bad.findings.contains { $0.code == .signatureCrossCheckDisagreement })
    }

    /// A second opinion that always disagrees makes the doctor report `signature.cross-check-disagreement`, name the
    /// opinion, and leave the signature unchecked; without one, OpenSSL's verdict stands.
    @Test func disagreementIsReported() throws {
        let key = try JWSSigningKey.generate(for: .es256)
        let token = try ClientAssertionMinter(
            signingKey: key, keyID: "k1", clientID: Fixtures.clientID,
            profile: .rfc7523(audience: Fixtures.apimAudience), algorithm: .es256, lifetime: 60,
            clock: .fixed(Fixtures.now)
        ).mint()
        let jwks = JWKSet.document([(key.publicKey, "k1", .es256)])
        let contrarian = SignatureSecondOpinion.Source(name: "Contrarian") { _, _ in
            unsafe SignatureSecondOpinion(name: "Contrarian") { _, _, _ in false }
        }
        let input = Doctor.Input(
            token: token, jwks: jwks, clientID: Fixtures.clientID, audience: Fixtures.apimAudience, profile: .rfc7523,
            now: Fixtures.now, secondOpinion: contrarian)
        let report = Doctor.examine(input)
        #expect(report.signatureVerified == nil)
        let finding = try #require(report.findings.first { $0.code == .signatureCrossCheckDisagreement })
        #expect(finding.message.contains("Contrarian says invalid"), "\(finding.message)")
        var alone = input
        alone.secondOpinion = nil
        #expect(Doctor.examine(alone).signatureVerified == true)
    }
}
