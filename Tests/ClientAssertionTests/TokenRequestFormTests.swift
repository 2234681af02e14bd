// SPDX-License-Identifier: Apache-2.0

import ClientAssertion
import Testing

@Suite("Token-request form bodies")
struct TokenRequestFormTests {
    static let assertionType = "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"

    @Test func clientCredentialsBody() {
        #expect(
            TokenRequestForm.clientCredentials(assertion: "h.p.s").encoded
                == "grant_type=client_credentials&\(Self.assertionType)&client_assertion=h.p.s")
    }

    @Test func authorizationCodeBodyPercentEncodesEverythingReserved() {
        let form = TokenRequestForm.authorizationCode(
            code: "c0de/+= x~", redirectURI: "https://app.example/cb?x=1&y=é", clientID: "1234.apps.supplier",
            assertion: "h.p.s")
        #expect(
            form.encoded == "grant_type=authorization_code&code=c0de%2F%2B%3D%20x~"
                + "&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%3Fx%3D1%26y%3D%C3%A9&client_id=1234.apps.supplier"
                + "&\(Self.assertionType)&client_assertion=h.p.s")
    }

    @Test func tokenExchangeBody() {
        #expect(
            TokenRequestForm.tokenExchange(subjectToken: "i.d.t", assertion: "h.p.s").encoded
                == "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Atoken-exchange&subject_token=i.d.t"
                + "&subject_token_type=urn%3Aietf%3Aparams%3Aoauth%3Atoken-type%3Aid_token&\(Self.assertionType)&client_assertion=h.p.s"
        )
        #expect(TokenRequestForm.contentType == "application/x-www-form-urlencoded")
    }

    @Test func strictReaderRoundTripsWithOffsets() throws {
        let form = TokenRequestForm.authorizationCode(
            code: "a b+c", redirectURI: "https://x/cb?é", clientID: "id", assertion: "h.p.s")
        let parsed = try ParsedForm(parsing: form.encoded)
        #expect(parsed.form == form)
        #expect(parsed.problems.isEmpty)
        let code = try #require(parsed["code"])
        #expect(code.nameOffset == 30)
        #expect(code.valueOffset == 35)
        #expect(code.encodedValueLength == "a%20b%2Bc".utf8.count)
        #expect(try ParsedForm(parsing: "a=b+c%20d")["a"]?.value == "b c d")
        #expect(try ParsedForm(parsing: "")["a"] == nil)
    }

    @Test(arguments: [
        ("a=%zz", "form.invalid-escape", 2), ("a=%4", "form.invalid-escape", 2), ("a=1&&b=2", "form.empty-field", 4),
        ("a=1&", "form.empty-field", 4), ("a", "form.missing-equals", 0), ("a=1&a=2", "form.duplicate-field", 4),
        ("=x", "form.empty-name", 0), ("a=%FF", "form.invalid-utf8", 2), ("a=b c", "form.invalid-character", 3),
    ])
    func strictReaderRejects(body: String, code: String, offset: Int) {
        do {
            _ = try ParsedForm(parsing: body)
            Issue.record("\(body) was accepted")
        } catch {
            #expect(error.code.rawValue == code, "\(error)")
            #expect(error.offset == offset, "\(error)")
        }
    }

    @Test func lenientReaderCollectsEveryProblem() {
        let parsed = ParsedForm.parseLeniently("a=%zz&&a=2&b")
        #expect(
            parsed.problems.map(\.code.rawValue) == [
                "form.invalid-escape", "form.empty-field", "form.duplicate-field", "form.missing-equals",
            ])
        #expect(parsed.fields.map(\.name) == ["a", "b"])
        #expect(parsed["a"]?.value == "%zz")
        #expect(parsed["b"]?.value == "")
    }
}
