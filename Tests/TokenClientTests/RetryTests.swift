// SPDX-License-Identifier: Apache-2.0

import AsyncHTTPClient
import ClientAssertion
import JWS
import NIOCore
import SignetKeys
import TestSupport
import Testing

@testable import TokenClient

/// Retries, backoff, timeouts and cancellation against a scripted server on loopback.
@Suite(.serialized) struct RetryTests {
    static let fast = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .milliseconds(80))

    /// An endpoint on `url`. The default timeout is far beyond any answer on a busy machine, so that no attempt is
    /// retried by accident (which would add a jti); tests of timeouts set their own.
    static func endpoint(
        _ url: String, retry: RetryPolicy = fast, timeout: Duration = hangGuard / 2, maxResponseBytes: Int = 64 * 1024,
        http: HTTPClient = Emulator.http
    ) throws -> TokenEndpoint {
        let minter = try ClientAssertionMinter(
            key: Keys.client, keyID: "k1", clientID: "APIKEY-1", profile: .apim(.integration))
        return try TokenEndpoint(
            tokenURL: url, minter: minter,
            configuration: .init(requestTimeout: timeout, maxResponseBytes: maxResponseBytes, retry: retry),
            httpClient: http)
    }

    @Test("503 twice, then 200: three attempts, each with a fresh jti")
    func transientFailuresAreRetriedWithFreshAssertions() async throws {
        try await ScriptedTokenServer.with(
            ScriptedTokenServer.Script { n in n < 2 ? .init(status: 503, body: "busy") : .init() }
        ) { server, url in
            let r = try await Self.endpoint(url).clientCredentials()
            #expect(r.accessToken == "t")
            let jtis = server.jtis
            #expect(jtis.count == 3)
            #expect(Set(jtis).count == 3)
            #expect(!jtis.contains("?"))
        }
    }

    @Test("429 with Retry-After: 1 waits a second; one of 120 s ends the retries at once")
    func retryAfterIsHonouredUpToTheCap() async throws {
        try await ScriptedTokenServer.with(
            ScriptedTokenServer.Script { n in
                n == 0 ? .init(status: 429, headers: [("Retry-After", "1")], body: "{}") : .init()
            }
        ) { server, url in
            let started = ContinuousClock.now
            _ = try await Self.endpoint(url).clientCredentials()
            let elapsed = ContinuousClock.now - started
            #expect(elapsed >= .seconds(1))
            #expect(server.jtis.count == 2)
        }
        try await ScriptedTokenServer.with(
            ScriptedTokenServer.Script { _ in .init(status: 429, headers: [("Retry-After", "120")], body: "{}") }
        ) {
            server, url in
            let error = await refusal { try await Self.endpoint(url).clientCredentials() }
            #expect(error.code == .refused)
            #expect(error.refusal?.status == 429)
            #expect(error.attempts == 1)
            #expect(server.jtis.count == 1)
        }
    }

    @Test("a 4xx is never retried; a 5xx that persists ends after the last attempt")
    func permanentAndPersistentFailures() async throws {
        let apim400 =
            #"{"error":"invalid_request","error_description":"Missing 'kid' header in client_assertion JWT","message_id":"m-1"}"#
        try await ScriptedTokenServer.with(ScriptedTokenServer.Script { _ in .init(status: 400, body: apim400) }) {
            server, url in
            let error = await refusal { try await Self.endpoint(url).clientCredentials() }
            #expect(error.nhsError == NHSEndpointMessages.assertionKidMissing)
            #expect(error.refusal?.messageID == "m-1")
            #expect(error.attempts == 1)
            #expect(server.jtis.count == 1)
        }
        try await ScriptedTokenServer.with(ScriptedTokenServer.Script { _ in .init(status: 502, body: "<html/>") }) {
            server, url in
            let error = await refusal { try await Self.endpoint(url).clientCredentials() }
            #expect(error.code == .refused)
            #expect(error.refusal?.status == 502)
            #expect(error.attempts == 3)
            #expect(server.jtis.count == 3)
        }
    }

    @Test("a server that answers too slowly: each attempt times out, and the error says so")
    func slowAnswersTimeOut() async throws {
        // The server answers only after the hang guard: each attempt can end sooner only by its own timeout.
        try await ScriptedTokenServer.with(ScriptedTokenServer.Script { _ in .init(delay: hangGuard) }) {
            server, url in
            let policy = RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10), maxDelay: .milliseconds(10))
            let error = await refusal {
                try await Self.endpoint(url, retry: policy, timeout: .milliseconds(300)).clientCredentials()
            }
            #expect(error.code == .timeout)
            #expect(error.attempts == 2)
            #expect(server.jtis.count <= 2)  // no attempt beyond the policy's two
        }
    }

    @Test("nothing listening: unreachable after every attempt")
    func connectionRefused() async throws {
        let http = HTTPClient(configuration: .init(timeout: .init(connect: .milliseconds(200))))
        defer { _ = Task { try? await http.shutdown() } }
        let error = await refusal {
            try await Self.endpoint("http://127.0.0.1:1/oauth2/token", http: http).clientCredentials()
        }
        #expect(error.code == .unreachable || error.code == .timeout)
        #expect(error.attempts == 3)
    }

    @Test("a connection dropped mid-request is retried with a fresh assertion, then reported as unreachable")
    func droppedConnections() async throws {
        try await DroppingServer.with { server, url in
            let error = await refusal { try await Self.endpoint(url).clientCredentials() }
            #expect(error.code == .unreachable)
            #expect(error.attempts == 3)
            #expect(server.dropped >= 3)
        }
    }

    @Test("a redirect is never followed: the default client stops at it, and an answer via one is refused")
    func redirectsAreNotFollowed() async throws {
        let script = ScriptedTokenServer.Script { n in
            n <= 1 ? .init(status: 307, headers: [("Location", "/oauth2/token")], body: "") : .init()
        }
        try await ScriptedTokenServer.with(script) { server, url in
            let minter = try ClientAssertionMinter(
                key: Keys.client, keyID: "k1", clientID: "APIKEY-1", profile: .apim(.integration))
            let stopped = await refusal {
                try await TokenEndpoint(tokenURL: url, minter: minter, configuration: .init(retry: Self.fast))
                    .clientCredentials()
            }
            #expect(stopped.refusal?.status == 307)
            #expect(server.jtis.count == 1)
            let following = HTTPClient(configuration: .init(redirectConfiguration: .follow(max: 3, allowCycles: true)))
            defer { _ = Task { try? await following.shutdown() } }
            let viaRedirect = await refusal {
                try await Self.endpoint(url, http: following).clientCredentials()
            }
            #expect(viaRedirect.code == .configuration)
        }
    }

    @Test("an answer over the size cap is refused, not retried")
    func oversizedAnswer() async throws {
        let big = ScriptedTokenServer.token(String(repeating: "x", count: 10_000))
        try await ScriptedTokenServer.with(ScriptedTokenServer.Script { _ in .init(body: big) }) { server, url in
            let error = await refusal { try await Self.endpoint(url, maxResponseBytes: 1024).clientCredentials() }
            #expect(error.code == .responseTooLarge)
            #expect(server.jtis.count == 1)
        }
    }

    @Test("a cancelled caller stops at once, mid-request")
    func cancellationIsHonoured() async throws {
        // The server holds the answer until the test ends, and the timeout is past the hang guard: the caller can
        // only come back by being cancelled, which happens once its request has reached the server.
        try await ScriptedTokenServer.with(ScriptedTokenServer.Script { _ in .init(hold: Gate()) }) { server, url in
            let endpoint = try Self.endpoint(url, timeout: hangGuard * 2)
            let task = Task { try await endpoint.clientCredentials() }
            #expect(await eventually { server.jtis.count == 1 })
            task.cancel()
            let error = await refusal { try await task.value }
            #expect(error.code == .cancelled)
            #expect(server.jtis.count == 1)
        }
    }
}
