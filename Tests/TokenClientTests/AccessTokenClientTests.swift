// SPDX-License-Identifier: Apache-2.0

import ClientAssertion
import JWS
import ServiceLifecycle
import Synchronization
import TestSupport
import Testing

@testable import TokenClient

/// A clock that moves only when told to (and whose sleeps wake when it has moved far enough).
final class ManualClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Duration
        func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        func duration(to other: Instant) -> Duration { other.offset - offset }
        static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }

    private let time = Mutex<Duration>(.zero)
    var now: Instant { Instant(offset: time.withLock { $0 }) }
    var minimumResolution: Duration { .nanoseconds(1) }

    func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        while now < deadline { try await Task.sleep(for: .milliseconds(5)) }
    }

    func advance(by d: Duration) { time.withLock { $0 += d } }
}

/// The cache, single flight, background refresh, clock jumps and cancellation of ``AccessTokenClient``.
@Suite(.serialized) struct AccessTokenClientTests {
    /// Token `t<n>` for the n-th request, 599 s, after `delay`.
    static func numbered(delay: Duration = .zero) -> ScriptedTokenServer.Script {
        ScriptedTokenServer.Script { n in .init(body: ScriptedTokenServer.token("t\(n)"), delay: delay) }
    }

    @Test("1,000 concurrent calls on an empty cache make exactly one token request")
    func singleFlight() async throws {
        try await ScriptedTokenServer.with(Self.numbered(delay: .milliseconds(300))) { server, url in
            // A generous timeout: on a loaded machine a retried attempt would add a second jti.
            let client = AccessTokenClient(endpoint: try RetryTests.endpoint(url, timeout: .seconds(60)))
            let tokens = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<1000 { group.addTask { try await client.accessToken() } }
                var all: [String] = []
                for try await t in group { all.append(t) }
                return all
            }
            #expect(tokens.count == 1000)
            #expect(Set(tokens) == ["t0"])
            #expect(server.jtis.count == 1)
            #expect(client.requestCount == 1)
            // Warm: no request at all.
            for _ in 0..<100 { _ = try await client.accessToken() }
            #expect(server.jtis.count == 1)
        }
    }

    @Test("a clock that jumps past the margin never gets the expired token")
    func clockJumps() async throws {
        try await ScriptedTokenServer.with(Self.numbered()) { server, url in
            let clock = ManualClock()
            let client = AccessTokenClient(
                endpoint: try RetryTests.endpoint(url), configuration: .init(refreshAfter: 1), clock: clock)
            #expect(try await client.accessToken() == "t0")
            clock.advance(by: .seconds(568))  // 599 − 30 s margin = 569: still usable
            #expect(try await client.accessToken() == "t0")
            clock.advance(by: .seconds(1))  // at the margin: not served
            #expect(try await client.accessToken() == "t1")
            clock.advance(by: .seconds(3600))  // far past expiry (a suspended laptop, a VM migration)
            #expect(try await client.accessToken() == "t2")
            #expect(server.jtis.count == 3)
        }
    }

    @Test("after 75% of the lifetime a call gets the current token and starts a refresh in the background")
    func refreshAhead() async throws {
        try await ScriptedTokenServer.with(Self.numbered()) { server, url in
            let clock = ManualClock()
            let client = AccessTokenClient(endpoint: try RetryTests.endpoint(url), clock: clock)
            #expect(try await client.accessToken() == "t0")
            clock.advance(by: .seconds(450))  // 0.75 × 599 = 449.25
            #expect(try await client.accessToken() == "t0")
            #expect(try await eventually { try await client.accessToken() == "t1" })
            #expect(server.jtis.count == 2)
        }
    }

    @Test("a cancelled waiter leaves at once; the others get the token from the one request")
    func cancelledWaiter() async throws {
        // The one request is held at a gate: the impatient waiter must come back while it is still pending.
        let gate = Gate()
        let script = ScriptedTokenServer.Script { n in .init(body: ScriptedTokenServer.token("t\(n)"), hold: gate) }
        try await ScriptedTokenServer.with(script) { server, url in
            let client = AccessTokenClient(endpoint: try RetryTests.endpoint(url, timeout: hangGuard * 2))
            let patient = Task { try await client.accessToken() }
            let impatient = Task { try await client.accessToken() }
            #expect(await eventually { server.jtis.count == 1 })
            impatient.cancel()
            let error = await refusal { try await impatient.value }
            #expect(error.code == .cancelled)
            #expect(!gate.opened)  // it left while the request was pending
            gate.open()
            #expect(try await patient.value == "t0")
            #expect(server.jtis.count == 1)
        }
    }

    @Test("a refusal reaches every waiter and is remembered for the retry interval; refreshNow() asks again")
    func failureReachesEveryWaiter() async throws {
        let apim =
            #"{"error":"invalid_request","error_description":"Invalid 'iss'/'sub' claims in client_assertion JWT","message_id":"m"}"#
        try await ScriptedTokenServer.with(
            ScriptedTokenServer.Script { n in
                n == 0 ? .init(status: 401, body: apim, delay: .milliseconds(200)) : .init()
            }
        ) { server, url in
            // A clock that stands still: however slowly the 50 callers run, the refusal stays within its interval.
            let client = AccessTokenClient(endpoint: try RetryTests.endpoint(url), clock: ManualClock())
            let errors = await withTaskGroup(of: TokenClientError?.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        do {
                            _ = try await client.accessToken()
                            return nil
                        } catch { return error as? TokenClientError }
                    }
                }
                var all: [TokenClientError?] = []
                for await e in group { all.append(e) }
                return all
            }
            #expect(errors.allSatisfy { $0?.nhsError == NHSEndpointMessages.assertionIssSubInvalid })
            #expect(server.jtis.count == 1)
            // A 4xx is remembered for the retry interval: no second request for a key that is wrong.
            let again = await refusal { try await client.accessToken() }
            #expect(again.nhsError == NHSEndpointMessages.assertionIssSubInvalid)
            #expect(server.jtis.count == 1)
            // refreshNow() asks again at once.
            #expect(try await client.refreshNow().accessToken == "t")
            #expect(try await client.accessToken() == "t")
            #expect(server.jtis.count == 2)
        }
    }

    @Test("run() as a Service fetches at once and refreshes ahead of expiry")
    func backgroundService() async throws {
        try await ScriptedTokenServer.with(Self.numbered()) { server, url in
            let clock = ManualClock()
            let client = AccessTokenClient(endpoint: try RetryTests.endpoint(url), clock: clock)
            let running = Task { try await client.run() }
            defer { running.cancel() }
            #expect(await eventually { server.jtis.count >= 1 })
            #expect(try await client.accessToken() == "t0")
            clock.advance(by: .seconds(450))
            #expect(await eventually { server.jtis.count >= 2 })
            #expect(server.jtis.count == 2)
            running.cancel()
            _ = await running.result
        }
    }

    @Test("expires_in 0 is refused, not served or refetched in a loop")
    func zeroLifetime() async throws {
        let script = ScriptedTokenServer.Script { n in .init(body: ScriptedTokenServer.token("t\(n)", expiresIn: 0)) }
        try await ScriptedTokenServer.with(script) { server, url in
            let client = AccessTokenClient(endpoint: try RetryTests.endpoint(url))
            let error = await refusal { try await client.accessToken() }
            #expect(error.code == .responseInvalid)
            #expect(server.jtis.count == 1)
        }
    }

    @Test("invalidate drops the token the API refused, and only that one")
    func invalidate() async throws {
        try await ScriptedTokenServer.with(Self.numbered()) { server, url in
            let client = AccessTokenClient(endpoint: try RetryTests.endpoint(url))
            #expect(try await client.accessToken() == "t0")
            client.invalidate("someone-else")
            #expect(try await client.accessToken() == "t0")
            client.invalidate("t0")
            #expect(try await client.accessToken() == "t1")
            #expect(server.jtis.count == 2)
        }
    }
}
