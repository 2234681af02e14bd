// SPDX-License-Identifier: Apache-2.0

import Testing

@testable import TokenClient

/// Answers read as NHS writes them: APIM's numbers as strings, CIS2's as numbers; errors as APIM shapes them.
@Suite struct TokenResponseTests {
    @Test func apimAnswerWithNumbersAsStrings() throws {
        let body = #"""
            {"access_token":"Sr5PGv19wTEHJdDr2wx2f7IGd0cw","expires_in":"599","token_type":"Bearer","issued_at":"1650000000000"}
            """#
        let r = try TokenResponse(parsing: body)
        let fields = (r.accessToken, r.expiresIn, r.tokenType, r.issuedAtMilliseconds, r.refreshToken)
        #expect(fields.0 == "Sr5PGv19wTEHJdDr2wx2f7IGd0cw")
        #expect(fields.1 == 599)
        #expect(fields.2 == "Bearer")
        #expect(fields.3 == 1_650_000_000_000)
        #expect(fields.4 == nil)
    }

    @Test func tokenExchangeAnswerWithRefreshFields() throws {
        let body = #"""
            {"access_token":"a","expires_in":"599","token_type":"Bearer","issued_at":"1","issued_token_type":"urn:ietf:params:oauth:token-type:access_token","refresh_token":"r","refresh_token_expires_in":"43199","refresh_count":"0"}
            """#
        let r = try TokenResponse(parsing: body)
        let fields = (r.refreshToken, r.refreshTokenExpiresIn, r.refreshCount, r.issuedTokenType)
        #expect(fields.0 == "r")
        #expect(fields.1 == 43_199)
        #expect(fields.2 == 0)
        #expect(fields.3 == "urn:ietf:params:oauth:token-type:access_token")
    }

    @Test func cis2AnswerWithNumbers() throws {
        let r = try TokenResponse(
            parsing: #"{"access_token":"x","expires_in":3599,"id_token":"h.p.s","scope":"openid"}"#)
        let fields = (r.expiresIn, r.idToken, r.scope)
        #expect(fields.0 == 3599)
        #expect(fields.1 == "h.p.s")
        #expect(fields.2 == "openid")
    }

    @Test(arguments: [
        "", "[]", "{}", #"{"access_token":1,"expires_in":5}"#, #"{"access_token":"","expires_in":5}"#,
        #"{"access_token":"a"}"#, #"{"access_token":"a","expires_in":"5 "}"#, #"{"access_token":"a","expires_in":-1}"#,
        #"{"access_token":"a","expires_in":"-1"}"#, #"{"access_token":"a","expires_in":1.5}"#,
        #"{"access_token":"a","expires_in":"5","refresh_count":true}"#,
        #"{"access_token":"a","expires_in":"5","token_type":7}"#,
        #"{"access_token":"a","expires_in":"99999999999999999999"}"#,
    ])
    func malformedAnswersAreTypedErrors(_ body: String) {
        #expect(throws: TokenClientError(.responseInvalid, reason: "")) { try TokenResponse(parsing: body) }
    }

    @Test func refusalReadsAPIMShape() {
        let r = TokenEndpointRefusal(
            status: 401,
            body:
                #"{"error":"invalid_request","error_description":"Missing 'kid' header in client_assertion JWT","message_id":"rrt-1"}"#
        )
        let fields = (r.error, r.errorDescription, r.messageID)
        #expect(fields.0 == "invalid_request")
        #expect(fields.1 == "Missing 'kid' header in client_assertion JWT")
        #expect(fields.2 == "rrt-1")
        #expect(r.description == "401 invalid_request: Missing 'kid' header in client_assertion JWT (message_id rrt-1)")
        let html = TokenEndpointRefusal(status: 502, body: "<html>bad gateway</html>")
        #expect(html.error == nil && html.description == "502")
    }
}

/// `Retry-After` and backoff.
@Suite struct RetryPolicyTests {
    @Test func retryAfterSecondsAndHTTPDate() {
        #expect(RetryPolicy.retryAfter("7", now: 0) == .seconds(7))
        #expect(RetryPolicy.retryAfter(" 0 ", now: 0) == .seconds(0))
        // RFC 9110's example date is 784111777 s after 1970.
        #expect(RetryPolicy.retryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now: 784_111_770) == .seconds(7))
        #expect(RetryPolicy.retryAfter("Sun, 06 Nov 1994 08:49:37 GMT", now: 784_111_800) == .seconds(0))
        #expect(RetryPolicy.retryAfter("Sunday, 06-Nov-94 08:49:37 GMT", now: 0) == nil)
        #expect(RetryPolicy.retryAfter("soon", now: 0) == nil)
        #expect(RetryPolicy.retryAfter(nil, now: 0) == nil)
    }

    @Test func hugeRetryAfterValuesNeitherTrapNorShorten() {
        #expect(RetryPolicy.retryAfter("99999999999999999999999", now: 0) == .seconds(1_000_000_000))
        #expect(RetryPolicy.retryAfter("Sun, 06 Nov 999999999999 08:49:37 GMT", now: 0) == nil)
        #expect(RetryPolicy.retryAfter("Sun, 6 Nov 1994 08:49:37 GMT", now: 0) == nil)
    }

    @Test func transientStatuses() {
        let transient = [408, 429, 500, 502, 503, 504].map(RetryPolicy.isTransient(status:))
        let permanent = [400, 401, 403, 404, 405, 415].map(RetryPolicy.isTransient(status:))
        #expect(transient.allSatisfy { $0 })
        #expect(!permanent.contains(true))
    }

    @Test func backoffGrowsWithJitterUpToTheCap() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        var random = SystemRandomNumberGenerator()
        for attempt in 1...9 {
            let nominal = min(Duration.milliseconds(100) * (1 << (attempt - 1)), .seconds(1))
            for _ in 0..<50 {
                let d = policy.delay(after: attempt, using: &random)
                #expect(d >= nominal / 2 && d <= nominal)
            }
        }
    }
}

/// Printing an answer never prints a token.
@Suite struct RedactionTests {
    @Test func descriptionLeavesTokensOut() throws {
        let r = try TokenResponse(
            parsing: #"{"access_token":"SECRET-A","expires_in":"599","refresh_token":"SECRET-R","id_token":"SECRET-I"}"#
        )
        let printed = [r.description, r.debugDescription, "\(r)", String(reflecting: r)]
        #expect(printed.allSatisfy { !$0.contains("SECRET") })
        #expect(r.description.contains("expires_in: 599"))
    }
}
