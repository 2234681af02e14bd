// SPDX-License-Identifier: Apache-2.0

import ClientAssertion
import JWS
import SignetKeys
import Testing

/// The FAPI client-assertion profile: PS256 or ES256 only, `aud` = the token endpoint, a short `exp`; the minter
/// and the doctor apply the same list of algorithms.
@Suite("FAPI profile")
struct FAPIProfileTests {
    static let endpoint = "https://as.bank.example/token"
    static let ecKey: ECPrivateKey = {
        do { return try ECPrivateKey.generate(curve: .p256) } catch { fatalError("fixture: \(error)") }
    }()

    func mint(_ key: JWSSigningKey, alg: JWSAlgorithm? = nil, lifetime: Int? = nil) throws -> String {
        try ClientAssertionMinter(
            signingKey: key, keyID: "k1", clientID: Fixtures.clientID, profile: .fapi(tokenEndpoint: Self.endpoint),
            algorithm: alg, lifetime: lifetime, clock: .fixed(Fixtures.now)
        ).mint()
    }

    @Test func ps256WithAnRSAKeyAndES256WithAnECKey() throws {
        for (key, alg, jwks) in [
            (
                JWSSigningKey.rsa(Fixtures.key), JWSAlgorithm.ps256,
                JWKSet.document([(Fixtures.key.publicKey, "k1", .ps256)])
            ),
            (
                .ec(Self.ecKey), .es256,
                JWKSet.document([(JWSPublicKey.ec(Self.ecKey.publicKey), "k1", JWSAlgorithm.es256)])
            ),
        ] {
            let token = try mint(key)
            #expect(try Fixtures.headerText(token) == #"{"alg":"\#(alg.jwsName)","typ":"JWT","kid":"k1"}"#)
            let claims = try Fixtures.claims(token)
            #expect(claims["aud"] == .string(Self.endpoint))
            let iat = try #require(claims["iat"]?.numberValue?.int64Value)
            let exp = try #require(claims["exp"]?.numberValue?.int64Value)
            #expect(exp - iat == 60)
            let verifier = try JWSVerifier(
                keys: [JWSVerificationKey(key: key.publicKey, algorithm: alg, keyID: "k1")],
                policy: JWTValidationPolicy(
                    issuer: Fixtures.clientID, subject: Fixtures.clientID, audience: Self.endpoint, requireID: true,
                    maximumLifetime: 60, expectedType: "JWT", clock: .fixed(Fixtures.now)))
            _ = try verifier.verify(token)
            let report = Fixtures.examine(token, jwks: jwks, audience: Self.endpoint, profile: .fapi)
            #expect(report.findings.isEmpty, "\(report.findings)")
        }
    }

    @Test func rs256AndLongLifetimesAreRefused() throws {
        #expect(throws: ClientAssertionError(.algorithmNotAllowed, reason: "")) {
            _ = try mint(.rsa(Fixtures.key), alg: .rs256)
        }
        #expect(throws: ClientAssertionError(.lifetimeTooLong, reason: "")) {
            _ = try mint(.ec(Self.ecKey), lifetime: 300)
        }
        // An Ed25519 key signs neither PS256 nor ES256.
        #expect(throws: ClientAssertionError(.algorithmNotAllowed, reason: "")) {
            _ = try mint(.ed25519(try Ed25519PrivateKey.generate()))
        }
        // The doctor flags an RS256 assertion under the FAPI profile, and accepts it under rfc7523.
        let rs256 = try ClientAssertionMinter(
            key: Fixtures.key, keyID: "k1", clientID: Fixtures.clientID, profile: .rfc7523(audience: Self.endpoint),
            algorithm: .rs256, lifetime: 60, clock: .fixed(Fixtures.now)
        ).mint()
        let jwks = JWKSet.document([(Fixtures.key.publicKey, "k1", .rs256)])
        let fapi = Fixtures.examine(rs256, jwks: jwks, audience: Self.endpoint, profile: .fapi)
        #expect(fapi.findings.map(\.code.rawValue) == ["header.alg-not-allowed"], "\(fapi.findings)")
        #expect(Fixtures.examine(rs256, jwks: jwks, audience: Self.endpoint, profile: .rfc7523).findings.isEmpty)
    }

    @Test func profileListsAgreeWithTheDoctor() {
        let profile = ClientAssertionProfile.fapi(tokenEndpoint: Self.endpoint)
        #expect(profile.allowedAlgorithms == [.ps256, .es256])
        #expect(profile.kind == .fapi)
        #expect(profile.algorithm(for: .ec(Self.ecKey)) == .es256)
        #expect(profile.algorithm(for: .rsa(Fixtures.key)) == .ps256)
        #expect(ClientAssertionProfile.rfc7523(audience: Self.endpoint).allowedAlgorithms == JWSAlgorithm.all)
    }
}
