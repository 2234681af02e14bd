// SPDX-License-Identifier: Apache-2.0

import AsyncHTTPClient
import Base64URL
import ClientAssertion
import Foundation
import JWS
import NHSEmulator
import NIOCore
import NIOHTTP1
import SignetKeys
import Testing

extension RunningEmulator {
    var realm: String { server.configuration.cis2.realmPath }

    /// `GET …/authorize` and the code from the redirect.
    func authorize(state: String = "st@te 1", nonce: String = "n-1") async throws -> String {
        let query =
            "response_type=code&scope=openid&client_id=\(RunningEmulator.cis2ClientID)&redirect_uri=\(Assertion.percent(RunningEmulator.redirect))&state=\(Assertion.percent(state))&nonce=\(nonce)"
        let r = try await send(realm + "/authorize?" + query, method: .GET, contentType: nil)
        #expect(r.status == 302)
        let location = try #require(r.headers.first { $0.0.lowercased() == "location" }?.1)
        #expect(location.hasPrefix(RunningEmulator.redirect + "?code="))
        #expect(location.hasSuffix("&state=st%40te%201"))
        let components = try #require(URLComponents(string: location))
        return try #require(components.queryItems?.first { $0.name == "code" }?.value)
    }

    /// A CIS2 client assertion; `changes` edit its claims.
    func cis2Assertion(
        header: String = #"{"alg":"RS256","typ":"JWT","kid":"c1"}"#, aud: String? = nil,
        key: RSAPrivateKey = Keys.cis2Client, _ changes: [String: String?] = [:]
    ) -> String {
        Assertion.token(
            header: header,
            claims: Assertion.claims(aud: aud ?? server.cis2.tokenEndpoint, iss: RunningEmulator.cis2ClientID, changes),
            key: key, algorithm: .rs256)
    }

    /// `POST …/access_token`.
    func exchangeCode(_ code: String, assertion: String) async throws -> APIMAnswer {
        let form = [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", RunningEmulator.redirect),
            ("client_id", RunningEmulator.cis2ClientID),
            ("client_assertion_type", TokenRequestForm.jwtBearerAssertionType), ("client_assertion", assertion),
        ].map { "\($0.0)=\(Assertion.percent($0.1))" }.joined(separator: "&")
        let r = try await send(realm + "/access_token", body: Array(form.utf8))
        return APIMAnswer(status: r.status, body: r.body)
    }

    /// A token-exchange form for `idToken`.
    func exchangeForm(_ idToken: String) -> String {
        Assertion.form(
            Assertion.token(claims: Assertion.claims(aud: tokenURL)), grant: TokenRequestForm.tokenExchangeGrantType,
            extra: [("subject_token_type", TokenRequestForm.idTokenType), ("subject_token", idToken)])
    }

    /// An id_token signed by the emulator's CIS2 key, with `changes` to its claims and `header`.
    func idToken(header: String? = nil, _ changes: [String: String?] = [:]) throws -> String {
        let real = try server.cis2.mintIDToken(
            clientID: RunningEmulator.cis2ClientID, nonce: nil, now: RunningEmulator.now)
        guard header != nil || !changes.isEmpty else { return real }
        // Re-sign edited content with a key the emulator does not know: enough for the claim checks, which run first.
        var claims = "{\"iss\":\"\(server.cis2.issuer)\",\"aud\":\"x\",\"exp\":\(RunningEmulator.now + 300)}"
        var members = (try StrictJSON.parse(claims)).objectValue?.members ?? []
        for (name, value) in changes.sorted(by: { $0.key < $1.key }) {
            members.removeAll { $0.name == name }
            if let value { members.append(.init(name: name, value: try StrictJSON.parse(value))) }
        }
        claims = JSONValue.object(JSONObject(members: members)).description
        return Assertion.token(
            header: header ?? #"{"alg":"RS256","typ":"JWT","kid":"signet-emulator-cis2"}"#, claims: claims,
            key: Keys.other, algorithm: .rs256)
    }
}

@Suite("CIS2 realm and the CIS2 → APIM token exchange over HTTP")
struct CIS2FlowTests {
    @Test("discovery publishes the token endpoint with its explicit port, and the JWKS verifies id_tokens")
    func discovery() async throws {
        try await RunningEmulator.with { run in
            let r = try await run.send(run.realm + "/.well-known/openid-configuration", method: .GET, contentType: nil)
            let json = try #require((try StrictJSON.parse(r.body)).objectValue)
            let endpoint = try #require(json["token_endpoint"]?.stringValue)
            #expect(endpoint == run.url + run.realm + "/access_token")
            #expect(endpoint.contains(":\(URLComponents(string: run.url)?.port ?? -1)/"))
            let jwks = try await run.send(run.realm + "/connect/jwk_uri", method: .GET, contentType: nil)
            let set = try JWKSet.parse(jwks.body)
            let idToken = try run.idToken()
            let verifier = try JWSVerifier(
                keys: set.verificationKeys(defaultAlgorithm: .rs256), allowedAlgorithms: [.rs256])
            let bytes = Array(idToken.utf8)
            let verified = (try? unsafe verifier.verifySignature(bytes.span.bytes)) != nil
            #expect(verified)
        }
    }

    @Test("the whole flow: authorize, code exchange with private_key_jwt, then APIM token exchange")
    func wholeFlow() async throws {
        try await RunningEmulator.with { run in
            let code = try await run.authorize()
            let tokens = try await run.exchangeCode(code, assertion: run.cis2Assertion())
            #expect(tokens.status == 200, "\(tokens.body)")
            let json = try #require(tokens.json)
            #expect(json["expires_in"]?.numberValue != nil)
            let idToken = try #require(json["id_token"]?.stringValue)
            let claims = try #require(unverifiedClaims(idToken))
            #expect(claims["iss"]?.stringValue == run.server.cis2.issuer)
            #expect(claims["aud"]?.stringValue == RunningEmulator.cis2ClientID)
            #expect(claims["nonce"]?.stringValue == "n-1")
            #expect(claims["authentication_assurance_level"]?.stringValue == "3")

            let exchanged = try await run.token(run.exchangeForm(idToken))
            #expect(exchanged.status == 200, "\(exchanged.body)")
            let body = try #require(exchanged.json)
            #expect(
                body.members.map(\.name) == [
                    "access_token", "expires_in", "token_type", "issued_at", "issued_token_type", "refresh_token",
                    "refresh_token_expires_in", "refresh_count",
                ])
            #expect(body["refresh_count"] == .string("0"))
            #expect(body["refresh_token_expires_in"] == .string("43199"))

            // A code is single use.
            let again = try await run.exchangeCode(code, assertion: run.cis2Assertion())
            #expect(again.status == 400)
            #expect(again.error == "invalid_grant")
        }
    }

    @Test("any assertion fault at CIS2 is the terse invalid_client / JWT is not valid, with no message_id")
    func cis2AssertionFaults() async throws {
        try await RunningEmulator.with { run in
            let withoutPort = run.server.cis2.tokenEndpoint.replacingOccurrences(
                of: ":\(URLComponents(string: run.url)?.port ?? 0)/", with: "/")
            let reused = run.cis2Assertion()
            let faults: [(String, String)] = [
                ("aud without the port", run.cis2Assertion(aud: withoutPort)),
                ("iss is the APIM key", run.cis2Assertion(["iss": "\"\(RunningEmulator.apiKey)\""])),
                ("unknown kid", run.cis2Assertion(header: #"{"alg":"RS256","typ":"JWT","kid":"zz"}"#)),
                ("alg not registered", run.cis2Assertion(header: #"{"alg":"RS384","typ":"JWT","kid":"c1"}"#)),
                ("another key", run.cis2Assertion(key: Keys.other)),
                ("expired", run.cis2Assertion(["exp": String(RunningEmulator.now - 1)])),
                ("no jti", run.cis2Assertion(["jti": nil])),
                ("first use", reused),
                ("replayed", reused),
            ]
            for (name, assertion) in faults {
                let code = try await run.authorize()
                let answer = try await run.exchangeCode(code, assertion: assertion)
                if name == "first use" {
                    #expect(answer.status == 200, "\(name): \(answer.body)")
                    continue
                }
                #expect(answer.status == 401, "\(name)")
                #expect(answer.body == #"{"error_description":"JWT is not valid","error":"invalid_client"}"#, "\(name)")
            }
        }
    }

    @Test("authorize never redirects to a URI that is not registered")
    func unregisteredRedirect() async throws {
        try await RunningEmulator.with { run in
            let r = try await run.send(
                run.realm
                    + "/authorize?response_type=code&scope=openid&client_id=\(RunningEmulator.cis2ClientID)&redirect_uri=https%3A%2F%2Fevil.example%2F",
                method: .GET, contentType: nil)
            #expect(r.status == 400)
            #expect(!r.headers.contains { $0.0.lowercased() == "location" })
        }
    }

    @Test("token exchange: each subject_token row of §G, in APIM's order")
    func subjectTokenRows() async throws {
        try await RunningEmulator.with { run in
            let issuer = run.server.cis2.issuer
            let rows: [(String, Int, String, String)] = [
                ("missing", 400, "invalid_request", E.subjectTokenMissing),
                ("access token", 400, "invalid_request", E.subjectTokenMalformed),
                (try run.idToken(header: #"{"alg":"RS256","typ":"JWT"}"#), 400, "invalid_request", E.subjectKidMissing),
                (try run.idToken(header: #"{"alg":"RS256","kid":"x"}"#), 400, "invalid_request", E.subjectTyp),
                (try run.idToken(header: #"{"typ":"JWT","kid":"x"}"#), 400, "invalid_request", E.subjectAlgMissing),
                (try run.idToken(["exp": nil]), 400, "invalid_request", E.subjectExpMissing),
                (try run.idToken(["exp": "\"later\""]), 400, "invalid_request", E.subjectExpNotInteger),
                (try run.idToken(["exp": String(RunningEmulator.now - 1)]), 400, "invalid_request", E.subjectExpired),
                (try run.idToken(["iss": nil]), 400, "invalid_request", E.subjectIssMissing),
                (try run.idToken(["aud": nil]), 401, "invalid_request", E.subjectAudMissing),
                (
                    try run.idToken(["iss": "\"\(issuer.replacingOccurrences(of: "127.0.0.1", with: "localhost"))\""]),
                    400, "invalid_request", E.subjectIssuerMismatch
                ),
                (
                    try run.idToken(header: #"{"alg":"RS256","typ":"JWT","kid":"unknown"}"#, ["sub": "\"u\""]), 401,
                    "invalid_request", E.subjectKidUnknown
                ),
                (try run.idToken(["sub": "\"forged\""]), 401, "public_key error", E.signatureFailed),
            ]
            for (subject, status, error, text) in rows {
                let form: String
                if subject == "missing" {
                    form = Assertion.form(
                        Assertion.token(claims: Assertion.claims(aud: run.tokenURL)),
                        grant: TokenRequestForm.tokenExchangeGrantType,
                        extra: [("subject_token_type", TokenRequestForm.idTokenType)])
                } else {
                    form = run.exchangeForm(subject == "access token" ? "Zb0kTqVu6LW7pYbBIszoTE1aRZqW" : subject)
                }
                let answer = try await run.token(form)
                #expect(answer.status == status, "\(text): \(answer.body)")
                #expect(answer.error == error, "\(text)")
                #expect(answer.description == text)
            }
        }
    }
}

/// The claims of a compact JWS, unverified (test helper).
func unverifiedClaims(_ token: String) -> JSONObject? {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3, let bytes = try? Base64URL.decode(String(parts[1])) else { return nil }
    return (try? StrictJSON.parse(bytes))?.objectValue
}
