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
import Synchronization
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

// MARK: Item 5: wrong answers to bad framing and oversized claims

extension HostileClientTests {
    @Test("a jti over 1,024 bytes is a 400 invalid jti claim, not a 500")
    func longJti() async throws {
        try await RunningEmulator.with { run in
            let jti = "\"" + String(repeating: "j", count: 1025) + "\""
            let answer = try await run.token(cc(["jti": jti])(run))
            #expect(answer.status == 400, "\(answer.body)")
            #expect(answer.description == NHSEndpointError.assertionJtiNotString)
        }
    }

    @Test("a sub over 1,024 bytes is a 400 invalid iss/sub claim, not a 500")
    func longSub() async throws {
        try await RunningEmulator.with { run in
            let sub = "\"" + String(repeating: "s", count: 1025) + "\""
            let answer = try await run.token(cc(["iss": sub, "sub": sub])(run))
            #expect(answer.status == 400, "\(answer.body)")
            #expect(answer.description == NHSEndpointError.assertionIssSubInvalid)
        }
    }
}

// MARK: Item 2: replay-store exhaustion

/// A clock the test moves.
final class ManualServerClock: Sendable {
    private let seconds = Mutex(RunningEmulator.now)
    var now: Int64 { seconds.withLock { $0 } }
    func advance(by delta: Int64) { seconds.withLock { $0 += delta } }
}

extension HostileClientTests {
    @Test("unsigned tokens with exp decades ahead hold their jti no longer than now + 310 s + skew")
    func farFutureExpDoesNotPinTheStore() async throws {
        var configuration = try RunningEmulator.configuration()
        configuration.replay.capacity = 20
        let clock = ManualServerClock()
        let now: @Sendable () -> Int64 = { clock.now }
        try await RunningEmulator.with(configuration, clock: now) { run in
            for _ in 0..<20 {
                let decadesAhead = String(clock.now + 30 * 31_536_000)
                let answer = try await run.token(Assertion.form(Self.unsigned(exp: decadesAhead)))
                #expect(answer.description == NHSEndpointError.assertionExpTooFar)
            }
            clock.advance(by: 310 + Int64(configuration.replay.skewSeconds) + 1)
            let exp = String(clock.now + 300)
            let answer = try await run.token(cc(["exp": exp, "iat": String(clock.now)])(run))
            #expect(answer.status == 200, "\(answer.body)")
        }
    }

    @Test("a full replay store answers 503 with Retry-After, never 500")
    func fullStoreIsOverload() async throws {
        var configuration = try RunningEmulator.configuration()
        configuration.replay.capacity = 5
        try await RunningEmulator.with(configuration) { run in
            for _ in 0..<5 {
                _ = try await run.token(Assertion.form(Self.unsigned(exp: String(RunningEmulator.now + 300))))
            }
            let r = try await run.send("/oauth2/token", body: Array(cc()(run).utf8))
            #expect(r.status == 503, "\(r.body)")
            #expect(r.headers.contains { $0.0.lowercased() == "retry-after" })
            let json = (try StrictJSON.parse(r.body)).objectValue
            #expect(json?["error"]?.stringValue == "temporarily_unavailable")
            #expect(json?["message_id"]?.stringValue?.hasPrefix("rrt-") == true)
        }
    }
}
