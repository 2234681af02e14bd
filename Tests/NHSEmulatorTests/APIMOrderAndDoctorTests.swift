// SPDX-License-Identifier: Apache-2.0

import AsyncHTTPClient
import ClientAssertion
import Foundation
import JWS
import NHSEmulator
import NIOCore
import NIOHTTP1
import SignetKeys
import Testing

/// Two faults at once: the one APIM checks first is the one reported (NHS-RULES §I).
let twoFaults: [CatalogueCase] = [
    CatalogueCase(
        "content type before grant_type", 415, "invalid_request", E.contentTypeInvalid, contentType: "text/plain"
    ) { run in Assertion.form(Assertion.token(claims: Assertion.claims(aud: run.tokenURL)), grant: nil) },
    CatalogueCase("grant_type before client_assertion_type", 400, "invalid_request", E.grantTypeMissing) { _ in
        Assertion.form("x", grant: nil, assertionType: nil)
    },
    CatalogueCase("client_assertion_type before the assertion", 400, "invalid_request", E.clientAssertionTypeInvalid) {
        _ in Assertion.form("not-a-jwt", assertionType: "jwt")
    },
    CatalogueCase(
        "alg before expired", 400, "invalid_request", E.assertionAlg,
        form: cc(header: #"{"alg":"HS256","typ":"JWT","kid":"k1"}"#, ["exp": String(now - 5)])),
    CatalogueCase(
        "expired before kid", 400, "invalid_request", E.assertionExpired,
        form: cc(header: #"{"alg":"RS512","typ":"JWT"}"#, ["exp": String(now - 5)])),
    CatalogueCase(
        "kid before typ", 400, "invalid_request", E.assertionKidMissing, form: cc(header: #"{"alg":"RS512"}"#)),
    CatalogueCase(
        "typ before exp missing", 400, "invalid_request", E.assertionTyp,
        form: cc(header: #"{"alg":"RS512","kid":"k1"}"#, ["exp": nil])),
    CatalogueCase(
        "exp missing before iss/sub", 400, "invalid_request", E.assertionExpMissing,
        form: cc(["exp": nil, "sub": "\"x\""])),
    CatalogueCase(
        "exp type before iss/sub", 400, "invalid_request", E.assertionExpNotInteger,
        form: cc(["exp": "\"soon\"", "sub": "\"x\""])),
    CatalogueCase(
        "iss/sub before jti missing", 400, "invalid_request", E.assertionIssSub, form: cc(["sub": "\"x\"", "jti": nil])),
    CatalogueCase(
        "jti missing before exp too far", 400, "invalid_request", E.assertionJtiMissing,
        form: cc(["jti": nil, "exp": String(now + 3600)])),
    CatalogueCase(
        "jti type before exp too far", 400, "invalid_request", E.assertionJtiNotString,
        form: cc(["jti": "true", "exp": String(now + 3600)])),
    CatalogueCase("exp too far before the API key", 400, "invalid_request", E.assertionExpTooFar) { run in
        Assertion.form(
            Assertion.token(claims: Assertion.claims(aud: run.tokenURL, iss: "NOPE", ["exp": String(now + 3600)])))
    },
    CatalogueCase("API key before aud", 401, "invalid_request", E.assertionIssSubInvalid) { _ in
        Assertion.form(Assertion.token(claims: Assertion.claims(aud: "https://elsewhere/token", iss: "NOPE")))
    },
    CatalogueCase("aud before kid lookup", 401, "invalid_request", E.assertionAud) { _ in
        Assertion.form(
            Assertion.token(
                header: #"{"alg":"RS512","typ":"JWT","kid":"k9"}"#,
                claims: Assertion.claims(aud: "https://elsewhere/token")))
    },
    CatalogueCase(
        "kid lookup before signature", 401, "invalid_request", E.assertionKidUnknown,
        form: cc(header: #"{"alg":"RS512","typ":"JWT","kid":"k9"}"#, key: Keys.other)),
]

@Suite("APIM check order and the doctor's agreement")
struct APIMOrderAndDoctorTests {
    @Test("with two faults, the first in APIM's order is reported", arguments: twoFaults)
    func order(_ c: CatalogueCase) async throws {
        try await RunningEmulator.withShared { run in
            let answer = try await run.token(c.form(run), contentType: c.contentType)
            #expect(answer.status == c.status, "\(answer.body)")
            #expect(answer.error == c.error)
            #expect(answer.description == c.text)
        }
    }

    /// Rows the doctor cannot see: the Content-Type header, and which applications have a JWKS registered.
    static let invisibleToDoctor: Set<String> = [E.contentTypeInvalid, E.publicKeyNotRegistered]

    @Test(
        "for every token the server rejects, the doctor names the same NHS error string",
        arguments: clientCredentialsCatalogue + twoFaults)
    func doctorAgrees(_ c: CatalogueCase) async throws {
        guard !Self.invisibleToDoctor.contains(c.text) else { return }
        try await RunningEmulator.withShared { run in
            let form = c.form(run)
            let answer = try await run.token(form, contentType: c.contentType)
            let description = try #require(answer.description)
            let assertion = ParsedForm.parseLeniently(form)["client_assertion"]?.value ?? ""
            let report = Doctor.examine(
                Doctor.Input(
                    token: assertion, form: form, jwks: Keys.clientJWKS, clientID: RunningEmulator.apiKey,
                    audience: run.tokenURL, profile: .apim, now: NumericDate(RunningEmulator.now)))
            let named = Set(report.findings.compactMap(\.endpointError))
            #expect(named.contains(description), "server: \(description); doctor: \(named)")
        }
    }
}
