// SPDX-License-Identifier: Apache-2.0
import JWS
import SignetRSA
import Testing

@testable import ClientAssertion

/// The doctor's second opinion covers every algorithm: RSAGMP's verdict is consulted for PS, ES and EdDSA keys as
/// for RS ones, and agrees with OpenSSL on good and bad signatures.
@Suite struct DoctorSecondOpinionTests {
    @Test(arguments: [JWSAlgorithm.ps256, .es256, .es384, .es512, .edDSA])
    func secondOpinionForEveryFamily(alg: JWSAlgorithm) throws {
        let key = try JWSSigningKey.generate(for: alg)
        let message = Array("header.payload".utf8)
        let signature = try key.signature(for: message, algorithm: alg)
        #expect(DoctorRun.gmpVerdict(key.publicKey, alg, signature, message) == true)
        var flipped = signature
        flipped[3] ^= 0x10
        #expect(DoctorRun.gmpVerdict(key.publicKey, alg, flipped, message) == false)
        #expect(DoctorRun.gmpVerdict(key.publicKey, alg, signature, message + [0]) == false)
        // An algorithm of another family has no verdict (the key cannot be bound to it).
        #expect(DoctorRun.gmpVerdict(key.publicKey, alg == .edDSA ? .es256 : .edDSA, signature, message) == nil)
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
}
