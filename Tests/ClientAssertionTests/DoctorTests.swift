// SPDX-License-Identifier: Apache-2.0

import Base64URL
import ClientAssertion
import JWS
import SignetKeys
import Testing

/// One test per doctor code, each on a real token with one deliberate fault.
@Suite("Doctor")
struct DoctorTests {
    typealias E = NHSEndpointMessages

    /// Token offset of the first byte of `needle` inside the JSON of segment `segment` (0 header, 1 payload).
    static func at(_ token: String, _ segment: Int, _ json: String, _ needle: String) -> Int {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        let start = segment == 0 ? 0 : parts[0].utf8.count + 1
        return start + (Fixtures.offset(of: needle, in: json) ?? -1000) * 4 / 3
    }

    static func form(_ fields: [(String, String)]) -> String {
        TokenRequestForm(fields: fields.map { .init($0.0, $0.1) }).encoded
    }

    static let assertionType = TokenRequestForm.jwtBearerAssertionType

    // MARK: - A clean token

    @Test func cleanTokenHasNoFindingsAndVerifies() {
        let report = Fixtures.examine(
            Fixtures.token(), form: TokenRequestForm.clientCredentials(assertion: Fixtures.token()).encoded)
        #expect(report.findings.isEmpty, "\(report.findings)")
        #expect(report.signatureVerified == true)
        #expect(!report.hasErrors)
    }

    @Test func withoutJWKSTheSignatureIsNotGuessed() {
        let report = Fixtures.examine(Fixtures.token(), jwks: nil)
        #expect(report.findings.isEmpty)
        #expect(report.signatureVerified == nil)
    }

    @Test func everyFindingIsReportedNotJustTheFirst() {
        let header = #"{"alg":"RS256","typ":"JOSE"}"#
        let payload =
            #"{"iss":"a","sub":"b","aud":"https://int.api.service.nhs.uk/oauth2/token/","exp":"1800000300","jit":"x"}"#
        let report = Fixtures.examine(Fixtures.token(header: header, payload: payload, algorithm: .rs256))
        #expect(
            report.codes == [
                "header.alg-not-allowed", "header.typ-invalid", "header.kid-missing", "claim.exp-not-integer",
                "claim.iss-sub-mismatch", "claim.client-id-mismatch", "claim.jti-missing", "claim.aud-mismatch",
                "claim.unknown-similar", "jwks.alg-mismatch",
            ])
        #expect(report.signatureVerified == true)  // the only key, RS256 over the bytes as given
        #expect(report.hasErrors)
    }

    // MARK: - Token shape and encoding

    @Test func tokenNotJWS() {
        let report = Fixtures.examine("2YotnFZFEjr1zCsicMWpAA")
        let f = report.only(.notJWS)
        #expect(f?.severity == .error)
        #expect(f?.segment == .token)
        #expect(f?.offset == 0)
        #expect(f?.endpointError == E.assertionMalformed)
        #expect(f?.message.contains("access token") == true)
        #expect(report.signatureVerified == nil)
        #expect(Fixtures.examine("a.b.c.d.e").only(.notJWS)?.message.contains("JWE") == true)
        #expect(Fixtures.examine("a.b.c.d").only(.notJWS)?.offset == 5)
    }

    @Test func base64urlInvalidCharacter() throws {
        let good = Fixtures.token()
        let damaged = good.replacingFirst("e", in: 1, with: "\u{2013}")  // in the payload
        let report = Fixtures.examine(damaged)
        let f = try #require(report.only(.base64InvalidCharacter))
        #expect(f.segment == .payload)
        #expect(f.offset == Fixtures.offset(of: "\u{2013}", in: damaged))
        #expect(f.message.contains("U+2013 EN DASH"))
        #expect(f.endpointError == E.assertionMalformed)
        // The signature segment is intact, so the signature over the damaged bytes is checked, and fails.
        #expect(report.signatureVerified == false)
        #expect(report.codes.contains("signature.invalid"))
    }

    @Test func base64urlPadding() throws {
        // This header encodes to 51 characters, so a padded encoder adds one '='.
        let h = Base64URL.encode(Array(Fixtures.goodHeader.utf8))
        #expect(h.utf8.count % 4 == 3)
        let p = Base64URL.encode(Array(Fixtures.payload().utf8))
        let token = Fixtures.signed(h + "=." + p)
        let report = Fixtures.examine(token)
        let f = try #require(report.only(.base64Padding))
        #expect(f.segment == .header)
        #expect(f.offset == h.utf8.count)
        #expect(f.endpointError == E.assertionMalformed)
        #expect(report.codes == ["base64url.padding"])  // the header still decodes: every other check runs
        #expect(report.signatureVerified == true)  // signed over the padded text, as sent
    }

    @Test func base64urlNonCanonical() throws {
        let h = Array(Base64URL.encode(Array(Fixtures.goodHeader.utf8)).utf8)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        let last = try #require(alphabet.firstIndex(of: h[h.count - 1]))
        let tweaked = String(decoding: h.dropLast() + [alphabet[last | 1]], as: UTF8.self)  // 2 unused bits
        let token = Fixtures.signed(tweaked + "." + Base64URL.encode(Array(Fixtures.payload().utf8)))
        let report = Fixtures.examine(token)
        let f = try #require(report.only(.base64NonCanonical))
        #expect(f.segment == .header)
        #expect(f.offset == h.count - 1)
        #expect(report.codes == ["base64url.non-canonical"])
    }

    @Test func base64urlInvalidLength() throws {
        let token = Fixtures.token()
        let parts = token.split(separator: ".")
        let extra = (5 - parts[1].utf8.count % 4) % 4  // makes the length 1 mod 4
        let report = Fixtures.examine(parts[0] + "." + parts[1] + String(repeating: "A", count: extra) + "." + parts[2])
        let f = try #require(report.only(.base64InvalidLength))
        #expect(f.segment == .payload)
        #expect(f.offset == parts[0].utf8.count + parts[1].utf8.count + extra)
    }

    @Test func jsonInvalid() throws {
        let payload = #"{"iss":"client-1","sub":}"#
        let token = Fixtures.token(payload: payload)
        let f = try #require(Fixtures.examine(token).only(.jsonInvalid))
        #expect(f.segment == .payload)
        #expect(f.offset == Self.at(token, 1, payload, "}"))
        #expect(f.endpointError == E.assertionMalformed)
    }

    @Test func jsonDuplicateMember() throws {
        let payload = Fixtures.payload(tail: #","jti":"x","exp":1700000000,"exp":1800000300"#)
        let token = Fixtures.token(payload: payload)
        let report = Fixtures.examine(token)
        let f = try #require(report.only(.jsonDuplicateMember))
        #expect(f.segment == .payload)
        #expect(f.severity == .error)
        #expect(f.offset == Self.at(token, 1, payload, #""exp":1800000300"#))
        // The last value is the one checked (as APIM's JSON.parse does): not expired.
        #expect(report.codes == ["json.duplicate-member"])
    }

    // MARK: - Header

    @Test func headerAlgMissing() throws {
        let token = Fixtures.token(header: #"{"typ":"JWT","kid":"k1"}"#)
        let report = Fixtures.examine(token)
        let f = try #require(report.only(.algMissing))
        #expect(f.endpointError == E.assertionAlg)
        #expect(f.offset == nil)
        #expect(report.signatureVerified == nil)  // no algorithm: nothing to check against
    }

    @Test func headerAlgNotAllowed() throws {
        let header = #"{"alg":"RS256","typ":"JWT","kid":"k1"}"#
        let token = Fixtures.token(header: header, algorithm: .rs256)
        let report = Fixtures.examine(token, jwks: JWKSet.document([(Fixtures.key.publicKey, "k1", .rs256)]))
        let f = try #require(report.only(.algNotAllowed))
        #expect(
            f.endpointError
                == "Invalid 'alg' header in client_assertion JWT - unsupported JWT algorithm - must be 'RS512'")
        #expect(f.offset == Self.at(token, 0, header, #""RS256""#))
        #expect(report.codes == ["header.alg-not-allowed"])
        #expect(report.signatureVerified == true)
        // "none" and HMAC are named for what they are.
        let none = Fixtures.examine(Fixtures.token(header: #"{"alg":"none","typ":"JWT","kid":"k1"}"#))
        #expect(none.only(.algNotAllowed)?.message.contains("unsigned") == true)
    }

    @Test func headerKidMissing() throws {
        let report = Fixtures.examine(Fixtures.token(header: #"{"alg":"RS512","typ":"JWT"}"#))
        let f = try #require(report.only(.kidMissing))
        #expect(f.endpointError == "Missing 'kid' header in client_assertion JWT")
        #expect(report.signatureVerified == true)  // a single key is selected without kid
    }

    @Test func headerKidUnknown() throws {
        let header = #"{"alg":"RS512","typ":"JWT","kid":"k9"}"#
        let token = Fixtures.token(header: header)
        let report = Fixtures.examine(token)
        let f = try #require(report.only(.kidUnknown))
        #expect(f.endpointError == "Invalid 'kid' header in client_assertion JWT - no matching public key")
        #expect(f.offset == Self.at(token, 0, header, #""k9""#))
        #expect(f.message.contains("\"k1\""))
        #expect(report.signatureVerified == nil)  // the server finds no key
        #expect(report.only(.signatureOtherKey)?.message.contains("\"kid\":\"k1\"") == true)
    }

    @Test func headerTypInvalid() throws {
        let header = #"{"alg":"RS512","typ":"JOSE","kid":"k1"}"#
        let token = Fixtures.token(header: header)
        let f = try #require(Fixtures.examine(token).only(.typInvalid))
        #expect(f.endpointError == "Invalid 'typ' header in client_assertion JWT - must be 'JWT'")
        #expect(f.offset == Self.at(token, 0, header, #""JOSE""#))
        // Case does not matter to APIM; a missing typ does.
        #expect(Fixtures.examine(Fixtures.token(header: #"{"alg":"RS512","typ":"jwt","kid":"k1"}"#)).findings.isEmpty)
        #expect(Fixtures.examine(Fixtures.token(header: #"{"alg":"RS512","kid":"k1"}"#)).only(.typInvalid) != nil)
    }

    // MARK: - Claims

    @Test func claimExpMissing() throws {
        let f = try #require(
            Fixtures.examine(Fixtures.token(payload: Fixtures.payload(tail: #","jti":"x""#))).only(.expMissing))
        #expect(f.endpointError == "Missing 'exp' claim in client_assertion JWT")
        #expect(f.offset == nil)
        // APIM tests `!exp`: zero is "missing" too.
        let zero = Fixtures.examine(Fixtures.token(payload: Fixtures.payload(tail: #","jti":"x","exp":0"#)))
        #expect(zero.codes == ["claim.exp-missing"])
    }

    @Test func claimExpNotInteger() throws {
        let payload = Fixtures.payload(tail: #","jti":"x","exp":"1800000300""#)
        let token = Fixtures.token(payload: payload)
        let report = Fixtures.examine(token)
        let f = try #require(report.only(.expNotInteger))
        #expect(f.severity == .error)
        #expect(f.endpointError == "Invalid 'exp' claim in client_assertion JWT - must be an integer")
        #expect(f.offset == Self.at(token, 1, payload, #""1800000300""#))
        // An array (a merged duplicate) is an error too; a fractional number only a warning.
        let array = Fixtures.examine(Fixtures.token(payload: Fixtures.payload(tail: #","jti":"x","exp":[1,2]"#)))
        #expect(array.only(.expNotInteger)?.message.contains("array") == true)
        let fraction = Fixtures.examine(
            Fixtures.token(payload: Fixtures.payload(tail: #","jti":"x","exp":1800000300.5"#)))
        #expect(fraction.only(.expNotInteger)?.severity == .warning)
        #expect(!fraction.hasErrors)
    }

    @Test func claimExpExpiredHasNoLeeway() throws {
        let payload = Fixtures.payload(tail: #","jti":"x","exp":1799999999"#)
        let token = Fixtures.token(payload: payload)
        let f = try #require(Fixtures.examine(token).only(.expExpired))
        #expect(f.endpointError == "Invalid 'exp' claim in client_assertion JWT - JWT has expired")
        #expect(f.offset == Self.at(token, 1, payload, "1799999999"))
        #expect(f.message.contains("1 s before now"))
        // exp == now is not yet expired (APIM: now > exp).
        #expect(
            Fixtures.examine(Fixtures.token(payload: Fixtures.payload(tail: #","jti":"x","exp":1800000000"#))).findings
                .isEmpty)
    }

    @Test func claimExpTooFar() throws {
        let f = try #require(
            Fixtures.examine(Fixtures.token(payload: Fixtures.payload(tail: #","jti":"x","exp":1800000311"#))).only(
                .expTooFar))
        #expect(f.endpointError == "Invalid 'exp' claim in client_assertion JWT - more than 5 minutes in future")
        #expect(f.severity == .error)
        // 310 s is still inside APIM's grace.
        #expect(
            Fixtures.examine(Fixtures.token(payload: Fixtures.payload(tail: #","jti":"x","exp":1800000310"#))).findings
                .isEmpty)
    }

    @Test func claimIssSubMismatch() throws {
        let payload = Fixtures.payload(sub: "client-2")
        let token = Fixtures.token(payload: payload)
        let report = Fixtures.examine(token, clientID: nil)
        let f = try #require(report.only(.issSubMismatch))
        #expect(f.endpointError == "Missing or non-matching 'iss'/'sub' claims in client_assertion JWT")
        #expect(f.offset == Self.at(token, 1, payload, #""client-1""#))
        // With the expected client id, the odd one out is named too.
        let named = Fixtures.examine(token)
        #expect(named.only(.clientIDMismatch)?.endpointError == "Invalid 'iss'/'sub' claims in client_assertion JWT")
    }

    @Test func claimJtiMissing() throws {
        let f = try #require(
            Fixtures.examine(Fixtures.token(payload: Fixtures.payload(tail: #","exp":1800000300"#))).only(.jtiMissing))
        #expect(f.endpointError == "Missing 'jti' claim in client_assertion JWT")
        #expect(f.severity == .error)
    }

    @Test func claimJtiNotString() throws {
        let payload = Fixtures.payload(tail: #","jti":12345,"exp":1800000300"#)
        let token = Fixtures.token(payload: payload)
        let f = try #require(Fixtures.examine(token).only(.jtiNotString))
        #expect(
            f.endpointError
                == "Invalid 'jti' claim in client_assertion JWT - must be a unique string value such as a GUID")
        #expect(f.offset == Self.at(token, 1, payload, "12345"))
    }

    @Test func claimAudMismatch() throws {
        let payload = Fixtures.payload(aud: "https://api.service.nhs.uk/oauth2/token")
        let token = Fixtures.token(payload: payload)
        let f = try #require(Fixtures.examine(token).only(.audMismatch))
        #expect(f.endpointError == "Missing or invalid 'aud' claim in client_assertion JWT")
        #expect(f.offset == Self.at(token, 1, payload, #""https://api"#))
        #expect(f.message.contains("prod environment"))
        // With no expected audience, any APIM environment's token URL is accepted for the apim profile.
        #expect(Fixtures.examine(token, audience: nil).findings.isEmpty)
        #expect(
            Fixtures.examine(Fixtures.token(payload: Fixtures.payload(aud: "https://example.com/token")), audience: nil)
                .only(.audMismatch) != nil)
    }

    @Test func claimAudPort443() throws {
        let withoutPort = Fixtures.cis2Endpoint.replacingFirst(":443", with: "")
        let payload = Fixtures.payload(aud: withoutPort)
        let token = Fixtures.token(payload: payload)
        let report = Fixtures.examine(token, audience: Fixtures.cis2Endpoint, profile: .cis2)
        let f = try #require(report.only(.audPort443))
        #expect(f.endpointError == "JWT is not valid")
        #expect(f.offset == Self.at(token, 1, payload, #""https://am"#))
        #expect(report.findings(.audMismatch).isEmpty)
        // And the other way round, and with no expected audience (CIS2 endpoints always carry :443).
        let extra = Fixtures.token(payload: Fixtures.payload(aud: Fixtures.cis2Endpoint))
        #expect(Fixtures.examine(extra, audience: withoutPort, profile: .cis2).only(.audPort443) != nil)
        #expect(Fixtures.examine(token, audience: nil, profile: .cis2).only(.audPort443) != nil)
    }

    @Test func claimUnknownSimilar() throws {
        let payload = Fixtures.payload(tail: #","jit":"0b7d6c3e","exp":1800000300"#)
        let token = Fixtures.token(payload: payload)
        let report = Fixtures.examine(token)
        let f = try #require(report.only(.unknownSimilar))
        #expect(f.severity == .warning)
        #expect(f.message.contains(#""jit""#) && f.message.contains(#""jti""#))
        #expect(f.offset == Self.at(token, 1, payload, #""jit""#))
        #expect(report.codes == ["claim.jti-missing", "claim.unknown-similar"])
        // Common OIDC claims and claims whose registered twin is present are not flagged.
        let oidc = Fixtures.payload(tail: #","jti":"x","exp":1800000300,"sid":"s","azp":"a","EXP2":1"#)
        #expect(Fixtures.examine(Fixtures.token(payload: oidc)).findings.isEmpty)
    }

    // MARK: - Form

    @Test func formGrantType() throws {
        let token = Fixtures.token()
        let body = Self.form([
            ("grant_type", "client-credentials"), ("client_assertion_type", Self.assertionType),
            ("client_assertion", token),
        ])
        let f = try #require(Fixtures.examine(token, form: body).only(.formGrantType))
        #expect(f.endpointError == "grant_type is invalid")
        #expect(f.segment == .form)
        #expect(f.offset == 11)
    }

    @Test func formClientAssertionType() throws {
        let token = Fixtures.token()
        let body = Self.form([
            ("grant_type", "client_credentials"),
            ("client_assertion_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"), ("client_assertion", token),
        ])
        let f = try #require(Fixtures.examine(token, form: body).only(.formClientAssertionType))
        #expect(
            f.endpointError
                == "Missing or invalid client_assertion_type - must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'"
        )
        #expect(f.offset == Fixtures.offset(of: "urn%3Aietf%3Aparams%3Aoauth%3Agrant-type", in: body))
        #expect(f.message.contains("grant type"))
    }

    @Test func formSubjectTokenType() throws {
        let token = Fixtures.token()
        let idToken = Fixtures.token(header: #"{"alg":"RS256","typ":"JWT","kid":"cis2"}"#, algorithm: .rs256)
        let body = Self.form([
            ("grant_type", TokenRequestForm.tokenExchangeGrantType), ("subject_token", idToken),
            ("subject_token_type", "urn:ietf:params:oauth:token-type:access_token"),
            ("client_assertion_type", Self.assertionType), ("client_assertion", token),
        ])
        let report = Fixtures.examine(token, form: body)
        let f = try #require(report.only(.formSubjectTokenType))
        #expect(
            f.endpointError
                == "missing or invalid subject_token_type - must be 'urn:ietf:params:oauth:token-type:id_token'")
        #expect(report.codes == ["form.subject-token-type"])
    }

    @Test func formMissingField() throws {
        let token = Fixtures.token()
        let body = Self.form([("grant_type", "client_credentials"), ("client_assertion_type", Self.assertionType)])
        let f = try #require(Fixtures.examine(token, form: body).only(.formMissingField))
        #expect(f.endpointError == "Missing client_assertion")
        #expect(f.offset == nil)
        let noGrant = Fixtures.examine(
            token, form: Self.form([("client_assertion_type", Self.assertionType), ("client_assertion", token)]))
        #expect(noGrant.only(.formMissingField)?.endpointError == "grant_type is missing")
    }

    @Test func formClientIDMismatch() throws {
        let token = Fixtures.token(payload: Fixtures.payload(aud: Fixtures.cis2Endpoint))
        let body = Self.form([
            ("grant_type", "authorization_code"), ("code", "abc"), ("redirect_uri", "https://app/cb"),
            ("client_id", "1234.apps.supplier"), ("client_assertion_type", Self.assertionType),
            ("client_assertion", token),
        ])
        let report = Fixtures.examine(token, form: body, clientID: nil, audience: Fixtures.cis2Endpoint, profile: .cis2)
        let f = try #require(report.only(.formClientIDMismatch))
        #expect(f.endpointError == "JWT is not valid")
        #expect(f.offset == Fixtures.offset(of: "1234.apps.supplier", in: body))
        #expect(report.codes == ["form.client-id-mismatch"])
    }

    @Test func formSubjectTokenNotJWS() throws {
        let token = Fixtures.token()
        let body = Self.form([
            ("grant_type", TokenRequestForm.tokenExchangeGrantType), ("subject_token", "2YotnFZFEjr1zCsicMWpAA"),
            ("subject_token_type", TokenRequestForm.idTokenType),
            ("client_assertion_type", Self.assertionType), ("client_assertion", token),
        ])
        let report = Fixtures.examine(token, form: body)
        let f = try #require(report.only(.formSubjectTokenNotJWS))
        #expect(f.endpointError == "Malformed JWT in subject_token")
        #expect(f.offset == Fixtures.offset(of: "2YotnFZFEjr1zCsicMWpAA", in: body))
        #expect(f.message.contains("access token"))
        #expect(report.codes == ["form.subject-token-not-jws"])
    }

    @Test func subjectTokenIsCheckedAsAnIDToken() throws {
        // An id_token equal to the form's subject_token is examined under APIM's token-exchange rules.
        let idToken = Fixtures.token(
            header: #"{"alg":"RS256","kid":"cis2"}"#,
            payload: #"{"sub":"u","exp":1799999000}"#, algorithm: .rs256)
        let body = Self.form([
            ("grant_type", TokenRequestForm.tokenExchangeGrantType), ("subject_token", idToken),
            ("subject_token_type", TokenRequestForm.idTokenType),
            ("client_assertion_type", Self.assertionType), ("client_assertion", Fixtures.token()),
        ])
        let report = Fixtures.examine(idToken, form: body, jwks: nil)
        #expect(
            report.findings.map { $0.endpointError ?? $0.code.rawValue } == [
                "Invalid 'typ' header in subject_token JWT - must be 'JWT'",
                "Invalid 'exp' claim in subject_token JWT - JWT has expired",
                "Missing 'iss' claim in subject_token JWT", "Missing 'aud' claim in subject_token JWT",
            ])
    }

    // MARK: - JWKS

    @Test func jwksNoKeys() throws {
        let report = Fixtures.examine(Fixtures.token(), jwks: #"{"keys":[]}"#)
        let f = try #require(report.only(.jwksNoKeys))
        #expect(f.segment == .jwks)
        #expect(f.offset == 8)
        #expect(report.signatureVerified == nil)
    }

    @Test func jwksPrivateMembers() throws {
        let jwk = Fixtures.key.publicKey.jwk
        let jwks = #"{"keys":[{"kty":"RSA","kid":"k1","n":"\#(jwk.n)","e":"\#(jwk.e)","d":"AQAB"}]}"#
        let report = Fixtures.examine(Fixtures.token(), jwks: jwks)
        let f = try #require(report.only(.jwksPrivateMembers))
        #expect(f.severity == .error)
        #expect(f.offset == Fixtures.offset(of: #""d""#, in: jwks))
        #expect(f.message.contains("compromised"))
        #expect(report.signatureVerified == true)  // diagnosed with the public part; the key is still refused
    }

    @Test func jwksKeyTooSmall() throws {
        let jwks = #"{"keys":[{"kty":"RSA","kid":"k1","n":"\#(Fixtures.smallModulus)","e":"AQAB"}]}"#
        let report = Fixtures.examine(Fixtures.token(), jwks: jwks)
        let f = try #require(report.only(.jwksKeyTooSmall))
        #expect(f.offset == Fixtures.offset(of: Fixtures.smallModulus, in: jwks).map { $0 - 1 })
        #expect(f.message.contains("1024"))
        #expect(report.findings(.kidUnknown).isEmpty)  // the kid exists; its key is unusable
        #expect(report.signatureVerified == nil)
    }

    @Test func jwksDuplicateKid() throws {
        let jwks = JWKSet.document([
            (Fixtures.key.publicKey, "k1", .rs512), (Fixtures.otherKey.publicKey, "k1", .rs512),
        ])
        let report = Fixtures.examine(Fixtures.token(), jwks: jwks)
        let f = try #require(report.only(.jwksDuplicateKid))
        let first = try #require(Fixtures.offset(of: #""kid":"k1""#, in: jwks))
        let second = try #require(Fixtures.offset(of: #""kid":"k1""#, in: String(jwks.dropFirst(first + 1))))
        #expect(f.offset == first + 1 + second + #""kid":"#.utf8.count)
        #expect(report.signatureVerified == true)
    }

    @Test func jwksAlgMismatch() throws {
        let jwks = JWKSet.document([(Fixtures.key.publicKey, "k1", .rs256)])
        let report = Fixtures.examine(Fixtures.token(), jwks: jwks)
        let f = try #require(report.only(.jwksAlgMismatch))
        #expect(f.offset == Fixtures.offset(of: #""RS256""#, in: jwks))
        #expect(report.codes == ["jwks.alg-mismatch"])
    }

    // MARK: - Signature

    @Test func signatureInvalid() throws {
        let token = Fixtures.token(key: Fixtures.otherKey)
        let report = Fixtures.examine(token)
        let f = try #require(report.only(.signatureInvalid))
        #expect(f.endpointError == "JWT signature verification failed")
        #expect(f.offset == Fixtures.offset(of: String(token.split(separator: ".")[2]), in: token))
        #expect(report.signatureVerified == false)
        #expect(report.codes == ["signature.invalid"])
    }

    @Test func signatureOtherKey() throws {
        let jwks = JWKSet.document([
            (Fixtures.key.publicKey, "k1", .rs512), (Fixtures.otherKey.publicKey, "k2", .rs512),
        ])
        let report = Fixtures.examine(Fixtures.token(key: Fixtures.otherKey), jwks: jwks)
        #expect(report.codes == ["signature.invalid", "signature.other-key"])
        #expect(report.only(.signatureOtherKey)?.message.contains(#"keys[1] (kid "k2")"#) == true)
        #expect(report.signatureVerified == false)
    }

    @Test func signatureRepairedVerifies() throws {
        // A token whose signature has '-', damaged the way an editor damages it.
        var token = Fixtures.token()
        for n in 1...100 where !token.split(separator: ".")[2].contains("-") {  // 99.5 % of signatures have one
            token = Fixtures.token(payload: Fixtures.payload(tail: #","jti":"\#(n)","exp":1800000300"#))
        }
        try #require(token.split(separator: ".")[2].contains("-"))
        let sigStart = try #require(Fixtures.offset(of: String(token.split(separator: ".")[2]), in: token))
        let damaged =
            String(token.prefix(sigStart)) + String(token.dropFirst(sigStart)).replacingAll("-", with: "\u{2013}")
            + "\u{200B}"
        let report = Fixtures.examine(damaged)
        #expect(report.signatureVerified == nil)  // the signature as given is not base64url
        let f = try #require(report.only(.signatureRepairedVerifies))
        #expect(f.severity == .info)
        #expect(f.message.contains("replacing U+2013 EN DASH with '-' at offset"))
        #expect(f.message.contains("removing U+200B ZERO WIDTH SPACE"))
        #expect(f.offset == Fixtures.offset(of: "\u{2013}", in: damaged))
        #expect(
            report.codes == [
                "base64url.invalid-character", "base64url.invalid-character", "signature.repaired-verifies",
            ])
        // A leading "Bearer " and line breaks are undone too.
        let wrapped = "Bearer " + token.prefix(40) + "\n" + token.dropFirst(40)
        let bearer = Fixtures.examine(wrapped)
        #expect(bearer.signatureVerified == false)
        #expect(bearer.only(.signatureRepairedVerifies)?.message.contains("removing \"Bearer \" at offset 0") == true)
    }
}

extension String {
    /// The string with the first `target` in `.`-separated segment `segment` (or anywhere) replaced.
    func replacingFirst(_ target: String, in segment: Int? = nil, with replacement: String) -> String {
        var parts = split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let indices = segment.map { [$0] } ?? Array(parts.indices)
        for i in indices {
            if let r = parts[i].firstRange(of: target) {
                parts[i].replaceSubrange(r, with: replacement)
                return parts.joined(separator: ".")
            }
        }
        return self
    }

    func replacingAll(_ target: Character, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
