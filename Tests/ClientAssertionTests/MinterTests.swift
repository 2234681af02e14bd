// SPDX-License-Identifier: Apache-2.0

import ClientAssertion
import JWS
import SignetKeys
import Testing

@Suite("Minting, claim by claim")
struct MinterTests {
    static var uuidV4: Regex<Substring> { #/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/# }

    func mint(
        _ profile: ClientAssertionProfile, alg: RSASignatureAlgorithm? = nil, lifetime: Int = 300
    ) throws -> String {
        let minter = try ClientAssertionMinter(
            key: Fixtures.key, keyID: "k1", clientID: Fixtures.clientID, profile: profile, algorithm: alg,
            lifetime: lifetime, clock: .fixed(Fixtures.now))
        return try minter.mint()
    }

    func checkClaims(_ token: String, audience: String, lifetime: Int64) throws {
        let claims = try Fixtures.claims(token)
        #expect(claims.members.map(\.name) == ["iss", "sub", "aud", "jti", "exp", "iat"])
        #expect(claims["iss"] == .string(Fixtures.clientID))
        #expect(claims["sub"] == .string(Fixtures.clientID))
        #expect(claims["aud"] == .string(audience))
        let iat = try #require(claims["iat"]?.numberValue?.int64Value)
        let exp = try #require(claims["exp"]?.numberValue?.int64Value)
        #expect(iat == 1_800_000_000)
        #expect(exp - iat == lifetime)
        #expect(exp - iat <= 300)
        let jti = try #require(claims["jti"]?.stringValue)
        #expect(jti.wholeMatch(of: Self.uuidV4) != nil, "jti \(jti) is not a lower-case UUID v4")
    }

    @Test func apimAssertionClaimByClaim() throws {
        let token = try mint(.apim(.integration))
        #expect(try Fixtures.headerText(token) == #"{"alg":"RS512","typ":"JWT","kid":"k1"}"#)
        try checkClaims(token, audience: "https://int.api.service.nhs.uk/oauth2/token", lifetime: 300)
        let verifier = try JWSVerifier(
            keys: [JWSVerificationKey(key: Fixtures.key.publicKey, algorithm: .rs512, keyID: "k1")],
            policy: JWTValidationPolicy(
                issuer: Fixtures.clientID, subject: Fixtures.clientID, audience: Fixtures.apimAudience, requireID: true,
                maximumLifetime: 300, expectedType: "JWT", clock: .fixed(Fixtures.now)))
        _ = try verifier.verify(token)
        #expect(Fixtures.examine(token).findings.isEmpty)
    }

    @Test func apimProductionAudienceAndShorterLifetime() throws {
        let token = try mint(.apim(.production), lifetime: 290)
        try checkClaims(token, audience: "https://api.service.nhs.uk/oauth2/token", lifetime: 290)
    }

    @Test func cis2AssertionKeepsPort443AndAllowsRS256() throws {
        let token = try mint(.cis2(tokenEndpoint: Fixtures.cis2Endpoint), alg: .rs256)
        #expect(try Fixtures.headerText(token) == #"{"alg":"RS256","typ":"JWT","kid":"k1"}"#)
        try checkClaims(token, audience: Fixtures.cis2Endpoint, lifetime: 300)
        let report = Fixtures.examine(
            token, jwks: JWKSet.document([(Fixtures.key.publicKey, "k1", .rs256)]),
            audience: Fixtures.cis2Endpoint, profile: .cis2)
        #expect(report.findings.isEmpty, "\(report.findings)")
        #expect(report.signatureVerified == true)
    }

    @Test func everyMintHasAFreshJTI() throws {
        let minter = try ClientAssertionMinter(
            key: Fixtures.key, keyID: "k1", clientID: Fixtures.clientID, profile: .apim(.integration),
            clock: .fixed(Fixtures.now))
        var seen = Set<String>()
        for _ in 0..<20 {
            let jti = try #require(try Fixtures.claims(try minter.mint())["jti"]?.stringValue)
            #expect(jti.wholeMatch(of: Self.uuidV4) != nil)
            #expect(seen.insert(jti).inserted, "jti \(jti) repeated")
        }
    }

    @Test func apimRefusesRS256AndLongLifetimes() {
        #expect(throws: ClientAssertionError(.algorithmNotAllowed, reason: "")) {
            try mint(.apim(.integration), alg: .rs256)
        }
        #expect(throws: ClientAssertionError(.lifetimeTooLong, reason: "")) {
            try mint(.apim(.integration), lifetime: 301)
        }
        #expect(throws: ClientAssertionError(.keyIDRequired, reason: "")) {
            try ClientAssertionMinter(key: Fixtures.key, keyID: nil, clientID: "c", profile: .apim(.integration))
        }
    }

    @Test func profileKinds() {
        #expect(ClientAssertionProfile.apim(.sandbox).kind == .apim)
        #expect(ClientAssertionProfile.cis2(tokenEndpoint: Fixtures.cis2Endpoint).kind == .cis2)
        #expect(ClientAssertionProfile.rfc7523(audience: "https://as/token").kind == .rfc7523)
    }
}
