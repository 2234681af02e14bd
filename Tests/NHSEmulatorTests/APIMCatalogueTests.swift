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

/// One row of NHS-RULES §J provoked by a request.
struct CatalogueCase: Sendable, CustomStringConvertible {
    let row: String
    let contentType: String?
    let form: @Sendable (RunningEmulator) -> String
    let status: Int
    let error: String
    let text: String

    var description: String { row }

    init(
        _ row: String, _ status: Int, _ error: String, _ text: String,
        contentType: String? = APIMTokenEndpoint.contentType, form: @escaping @Sendable (RunningEmulator) -> String
    ) {
        self.row = row
        self.contentType = contentType
        self.form = form
        self.status = status
        self.error = error
        self.text = text
    }
}

typealias E = NHSEndpointMessages

/// A client_credentials form whose assertion is built from `claims` changes and `header`.
func cc(
    header: String = Assertion.defaultHeader, key: RSAPrivateKey = Keys.client, _ changes: [String: String?] = [:]
) -> @Sendable (RunningEmulator) -> String {
    { run in
        Assertion.form(Assertion.token(header: header, claims: Assertion.claims(aud: run.tokenURL, changes), key: key))
    }
}

let now = RunningEmulator.now

/// Every APIM row that applies to client_credentials, in catalogue order.
let clientCredentialsCatalogue: [CatalogueCase] = [
    CatalogueCase(
        "E1 content type", 415, "invalid_request", E.contentTypeInvalid, contentType: "application/json", form: cc()),
    CatalogueCase(
        "E1 content type with charset", 415, "invalid_request", E.contentTypeInvalid,
        contentType: "application/x-www-form-urlencoded; charset=utf-8", form: cc()),
    CatalogueCase("E3 grant_type missing", 400, "invalid_request", E.grantTypeMissing) { run in
        Assertion.form(Assertion.token(claims: Assertion.claims(aud: run.tokenURL)), grant: nil)
    },
    CatalogueCase("E4 grant_type unknown", 400, "unsupported_grant_type", E.grantTypeInvalid) { run in
        Assertion.form(Assertion.token(claims: Assertion.claims(aud: run.tokenURL)), grant: "password")
    },
    CatalogueCase("E5 id_token type without token exchange", 400, "invalid_request", E.grantTypeInvalid) { run in
        Assertion.form(
            Assertion.token(claims: Assertion.claims(aud: run.tokenURL)),
            extra: [("subject_token_type", TokenRequestForm.idTokenType), ("subject_token", "x.y.z")])
    },
    CatalogueCase("E6 subject_token_type missing", 400, "invalid_request", E.subjectTokenTypeInvalid) { run in
        Assertion.form(
            Assertion.token(claims: Assertion.claims(aud: run.tokenURL)),
            grant: TokenRequestForm.tokenExchangeGrantType,
            extra: [("subject_token", "x.y.z")])
    },
    CatalogueCase("E7 client_assertion_type wrong", 400, "invalid_request", E.clientAssertionTypeInvalid) { run in
        Assertion.form(
            Assertion.token(claims: Assertion.claims(aud: run.tokenURL)),
            assertionType: "urn:ietf:params:oauth:grant-type:jwt-bearer")
    },
    CatalogueCase("E8 client_assertion missing", 400, "invalid_request", E.clientAssertionMissing) { _ in
        Assertion.form(nil)
    },
    CatalogueCase("E9 en dash in the assertion", 400, "invalid_request", E.assertionMalformed) { run in
        let token = Assertion.token(claims: Assertion.claims(aud: run.tokenURL))
        return Assertion.form(String(token.dropLast(3)) + "\u{2013}" + String(token.suffix(2)))
    },
    CatalogueCase("E9 two parts", 400, "invalid_request", E.assertionMalformed) { _ in Assertion.form("abc.def") },
    CatalogueCase("E10 alg RS256", 400, "invalid_request", E.assertionAlg) { run in
        Assertion.form(
            Assertion.token(
                header: #"{"alg":"RS256","typ":"JWT","kid":"k1"}"#, claims: Assertion.claims(aud: run.tokenURL),
                algorithm: .rs256))
    },
    CatalogueCase(
        "E10 alg missing", 400, "invalid_request", E.assertionAlg, form: cc(header: #"{"typ":"JWT","kid":"k1"}"#)),
    CatalogueCase("E11 expired", 400, "invalid_request", E.assertionExpired, form: cc(["exp": String(now - 1)])),
    CatalogueCase(
        "E12 kid missing", 400, "invalid_request", E.assertionKidMissing,
        form: cc(header: #"{"alg":"RS512","typ":"JWT"}"#)),
    CatalogueCase(
        "E13 typ missing", 400, "invalid_request", E.assertionTyp, form: cc(header: #"{"alg":"RS512","kid":"k1"}"#)),
    CatalogueCase(
        "E13 typ wrong", 400, "invalid_request", E.assertionTyp,
        form: cc(header: #"{"alg":"RS512","typ":"at+jwt","kid":"k1"}"#)),
    CatalogueCase("E14 exp missing", 400, "invalid_request", E.assertionExpMissing, form: cc(["exp": nil])),
    CatalogueCase(
        "E15 exp a string", 400, "invalid_request", E.assertionExpNotInteger, form: cc(["exp": "\"\(now + 300)\""])),
    CatalogueCase(
        "E16 iss differs from sub", 400, "invalid_request", E.assertionIssSub, form: cc(["sub": "\"someone-else\""])),
    CatalogueCase("E16 sub missing", 400, "invalid_request", E.assertionIssSub, form: cc(["sub": nil])),
    CatalogueCase("E17 jti missing", 400, "invalid_request", E.assertionJtiMissing, form: cc(["jti": nil])),
    CatalogueCase("E18 jti a number", 400, "invalid_request", E.assertionJtiNotString, form: cc(["jti": "12345"])),
    CatalogueCase(
        "E20 exp 311 s ahead", 400, "invalid_request", E.assertionExpTooFar, form: cc(["exp": String(now + 311)])),
    CatalogueCase("E21 unknown API key", 401, "invalid_request", E.assertionIssSubInvalid) { run in
        Assertion.form(Assertion.token(claims: Assertion.claims(aud: run.tokenURL, iss: "NOT-A-KEY")))
    },
    CatalogueCase("E23 no JWKS registered", 403, "public_key error", E.publicKeyNotRegistered) { run in
        Assertion.form(Assertion.token(claims: Assertion.claims(aud: run.tokenURL, iss: "APIKEY-NOJWKS")))
    },
    CatalogueCase("E25 aud is the INT URL", 401, "invalid_request", E.assertionAud) { _ in
        Assertion.form(Assertion.token(claims: Assertion.claims(aud: APIMEnvironment.integration.tokenURL)))
    },
    CatalogueCase(
        "E26 kid unknown", 401, "invalid_request", E.assertionKidUnknown,
        form: cc(header: #"{"alg":"RS512","typ":"JWT","kid":"k2"}"#)),
    CatalogueCase("E27 signed by another key", 401, "public_key error", E.signatureFailed, form: cc(key: Keys.other)),
]

@Suite("APIM client_credentials over HTTP: the NHS error catalogue")
struct APIMCatalogueTests {
    @Test("a valid assertion gets APIM's success body, expires_in and issued_at as strings")
    func success() async throws {
        try await RunningEmulator.with { run in
            let answer = try await run.token(cc()(run))
            #expect(answer.status == 200, "\(answer.body)")
            let json = try #require(answer.json)
            #expect(json.members.map(\.name) == ["access_token", "expires_in", "token_type", "issued_at"])
            #expect(json["expires_in"] == .string("599"))
            #expect(json["token_type"] == .string("Bearer"))
            #expect(json["issued_at"] == .string(String(RunningEmulator.now * 1000)))
            #expect((json["access_token"]?.stringValue?.count ?? 0) >= 20)
        }
    }

    @Test(
        "each catalogue row: status, error and error_description byte for byte", arguments: clientCredentialsCatalogue)
    func row(_ c: CatalogueCase) async throws {
        try await RunningEmulator.withShared { run in
            let answer = try await run.token(c.form(run), contentType: c.contentType)
            #expect(answer.status == c.status, "\(answer.body)")
            #expect(answer.error == c.error)
            #expect(answer.description == c.text)
            let json = try #require(answer.json)
            #expect(json.members.map(\.name) == ["error", "error_description", "message_id"])
        }
    }

    @Test("E19: a jti is burned even when the first attempt fails its signature check (rule 13)")
    func replayAfterFailure() async throws {
        try await RunningEmulator.with { run in
            let claims = Assertion.claims(aud: run.tokenURL)
            let forged = try await run.token(Assertion.form(Assertion.token(claims: claims, key: Keys.other)))
            #expect(forged.description == E.signatureFailed)
            let genuine = try await run.token(Assertion.form(Assertion.token(claims: claims)))
            #expect(genuine.status == 400)
            #expect(genuine.description == E.assertionJtiReused)
        }
    }

    @Test("E2: other methods get 405 with Allow: POST and no body")
    func methodNotAllowed() async throws {
        try await RunningEmulator.with { run in
            for method in [HTTPMethod.GET, .PUT, .DELETE] {
                let r = try await run.send("/oauth2/token", method: method, contentType: nil)
                #expect(r.status == 405)
                #expect(r.headers.contains { $0.0.lowercased() == "allow" && $0.1 == "POST" })
                #expect(r.body.isEmpty)
            }
        }
    }

    @Test("--env int: the aud demanded is INT's token URL, so an assertion minted for INT passes unchanged")
    func environmentAudience() async throws {
        var configuration = try RunningEmulator.configuration()
        configuration.apim.environment = .integration
        try await RunningEmulator.with(configuration) { run in
            #expect(run.server.audience == "https://int.api.service.nhs.uk/oauth2/token")
            let minter = try ClientAssertionMinter(
                key: Keys.client, keyID: "k1", clientID: RunningEmulator.apiKey, profile: .apim(.integration),
                clock: JWTClock { NumericDate(RunningEmulator.now) })
            let answer = try await run.token(Assertion.form(try minter.mint()))
            #expect(answer.status == 200, "\(answer.body)")
        }
    }
}
