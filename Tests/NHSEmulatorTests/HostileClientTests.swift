// SPDX-License-Identifier: Apache-2.0
import AsyncHTTPClient
import Base64URL
import ClientAssertion
import Foundation
import JWS
import NHSEmulator
import NIOCore
import NIOHTTP1
import ReplayGuard
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The hostile-client findings of issue 28, each over loopback against a real server.
@Suite("Hostile clients: out-of-range claims, replay-store exhaustion, form floods, connection handling")
struct HostileClientTests {
    /// An unsigned APIM assertion (the signature is four `A`s) whose claims pass APIM's JavaScript checks up to the
    /// `jti`, for a `sub` that is not an API key: what an attacker without keys can send.
    static func unsigned(exp: String, sub: String = "attacker", jti: String? = nil) -> String {
        let claims = Assertion.claims(
            aud: "https://nowhere.example/oauth2/token", iss: sub,
            ["exp": exp, "jti": jti.map { "\"\($0)\"" } ?? "\"\(UUID().uuidString)\""])
        let header = Base64URL.encode(Array(Assertion.defaultHeader.utf8))
        return header + "." + Base64URL.encode(Array(claims.utf8)) + ".AAAA"
    }

    // MARK: Item 1: numeric claims out of Int64's range

    @Test(
        "an exp at or beyond 2^63 is refused as more than 5 minutes ahead, and the server keeps serving",
        arguments: ["1e19", "1e300", "9223372036854775808", "18446744073709551616", "1.7976931348623157e308"])
    func hugeExp(_ exp: String) async throws {
        try await RunningEmulator.with { run in
            let answer = try await run.token(Assertion.form(Self.unsigned(exp: exp)))
            #expect(answer.status == 400, "\(answer.body)")
            #expect(answer.description == NHSEndpointError.assertionExpTooFar)
            #expect(try await run.token(cc()(run)).status == 200)
        }
    }

    @Test("an exp far in the past (-1e19) is an expired assertion, not a crash")
    func hugeNegativeExp() async throws {
        try await RunningEmulator.with { run in
            let answer = try await run.token(Assertion.form(Self.unsigned(exp: "-1e19")))
            #expect(answer.status == 400, "\(answer.body)")
            #expect(answer.description == NHSEndpointError.assertionExpired)
        }
    }

    @Test("CIS2 with its exp check off records a 1e19 exp without trapping")
    func hugeExpAtCIS2() async throws {
        var configuration = try RunningEmulator.configuration()
        configuration.checks.cis2Off = [.exp]
        try await RunningEmulator.with(configuration) { run in
            let code = try await run.authorize()
            let answer = try await run.exchangeCode(code, assertion: run.cis2Assertion(["exp": "1e19"]))
            #expect(answer.status == 200, "\(answer.body)")
        }
    }
}

// MARK: Item 3: form floods

extension HostileClientTests {
    @Test("a 64 KiB form of ~14,000 distinct field names is refused as too many fields")
    func formFlood() async throws {
        try await RunningEmulator.with { run in
            var body = ""
            var i = 0
            while body.utf8.count < 60_000 {
                body += (i == 0 ? "" : "&") + "f\(i)="
                i += 1
            }
            let answer = try await run.token(body)
            #expect(answer.status == 400, "\(answer.body)")
            #expect(answer.description?.hasPrefix("Malformed request body: the form has more than") == true)
            #expect(try await run.token(cc()(run)).status == 200)
        }
    }
}
