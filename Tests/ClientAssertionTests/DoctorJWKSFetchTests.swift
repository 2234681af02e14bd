// SPDX-License-Identifier: Apache-2.0

import ClientAssertion
import JWS
import SignetKeys
import Testing

/// The doctor with a JWK set fetched by the caller (by URL): the set as read, or why it could not be had.
@Suite("Doctor: JWKS fetched by URL")
struct DoctorJWKSFetchTests {
    static func examine(
        keySet: JWKSet? = nil, failure: JWKSFetchFailure? = nil, profile: ClientAssertionProfile.Kind = .apim,
        role: Doctor.TokenRole? = nil
    ) -> DoctorReport {
        Doctor.examine(
            Doctor.Input(
                token: Fixtures.token(), clientID: Fixtures.clientID, audience: Fixtures.apimAudience,
                profile: profile, role: role, now: Fixtures.now, keySet: keySet, jwksFetchFailure: failure))
    }

    @Test func aSetReadElsewhereVerifiesLikeItsText() throws {
        let set = try JWKSet.parse(Fixtures.jwks)
        let report = Self.examine(keySet: set)
        #expect(report.signatureVerified == true)
        #expect(report.codes == Fixtures.examine(Fixtures.token()).codes)
        let other = try JWKSet.parse(JWKSet.document([(Fixtures.otherKey.publicKey, "k1", .rs512)]))
        #expect(Self.examine(keySet: other).signatureVerified == false)
    }

    @Test(arguments: JWKSFetchFailure.Kind.allCases)
    func eachFailureIsAnErrorWithAPIMsString(kind: JWKSFetchFailure.Kind) throws {
        let failure = JWKSFetchFailure(kind, url: "https://example.org/jwks", reason: "it failed")
        let report = Self.examine(failure: failure)
        let finding = try #require(report.only(kind.findingCode))
        #expect(finding.code.rawValue.hasPrefix("jwks."))
        #expect(finding.severity == .error)
        #expect(finding.segment == .jwks)
        #expect(finding.endpointError == NHSEndpointMessages.jwksUnreachable)
        #expect(finding.message.contains("https://example.org/jwks: it failed"))
        #expect(report.hasErrors)
        #expect(report.signatureVerified == nil)
        // CIS2 answers its one message; an id_token's JWKS is not the application's (APIM answers 500 then).
        #expect(
            Self.examine(failure: failure, profile: .cis2).only(kind.findingCode)?.endpointError == "JWT is not valid")
        #expect(Self.examine(failure: failure, role: .subjectToken).only(kind.findingCode)?.endpointError == nil)
    }

    @Test func theCodesAreDistinctAndStable() {
        let codes = JWKSFetchFailure.Kind.allCases.map(\.findingCode.rawValue)
        #expect(Set(codes).count == codes.count)
        #expect(
            Set(codes) == [
                "jwks.not-https", "jwks.invalid-url", "jwks.unreachable", "jwks.timeout", "jwks.http-status",
                "jwks.too-large", "jwks.not-jwks",
            ])
        #expect(NHSEndpointMessages.jwksUnreachable == "The JWKS endpoint, for your client_assertion can't be reached")
    }

    @Test func aBodyThatWasNotAJWKSReportsItsIssuesToo() throws {
        let read = try JWKSet.parse(#"{"keys": [{"kty": "RSA", "kid": "a", "n": "AQAB", "e": "AQAB"}]}"#)
        #expect(!read.issues.isEmpty)
        let failure = JWKSFetchFailure(
            .notJWKS, url: "https://example.org/jwks", reason: "no usable key", issues: read.issues)
        let report = Self.examine(failure: failure)
        #expect(report.only(.jwksNotJWKS) != nil)
        #expect(report.findings.count(where: { $0.segment == .jwks }) == 1 + read.issues.count)
    }
}
