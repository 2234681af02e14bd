// SPDX-License-Identifier: Apache-2.0

import AsyncHTTPClient
import Base64URL
import ClientAssertion
import Foundation
import JWS
import Logging
import NHSEmulator
import NIOCore
import NIOHTTP1
import PostgresNIO
import ReplayGuard
import ReplayGuardPostgres
import Synchronization
import TestSupport
import Testing

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
            #expect(answer.description == NHSEndpointMessages.assertionExpTooFar)
            #expect(try await run.token(cc()(run)).status == 200)
        }
    }

    @Test("an exp far in the past (-1e19) is an expired assertion, not a crash")
    func hugeNegativeExp() async throws {
        try await RunningEmulator.with { run in
            let answer = try await run.token(Assertion.form(Self.unsigned(exp: "-1e19")))
            #expect(answer.status == 400, "\(answer.body)")
            #expect(answer.description == NHSEndpointMessages.assertionExpired)
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
    @Test("a malformed chunk size is a 400, not a 408 (clients retry 408)")
    func malformedChunkSize() async throws {
        try await RunningEmulator.with { run in
            let port = try #require(URLComponents(string: run.url)?.port)
            let reply = try await rawExchange(
                port: port,
                request:
                    "POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\ngrant_type=x\r\n0\r\n\r\n"
            )
            #expect(reply.hasPrefix("HTTP/1.1 400"), "\(reply.prefix(300))")
        }
    }

    @Test("a jti over 1,024 bytes is a 400 invalid jti claim, not a 500")
    func longJti() async throws {
        try await RunningEmulator.with { run in
            let jti = "\"" + String(repeating: "j", count: 1025) + "\""
            let answer = try await run.token(cc(["jti": jti])(run))
            #expect(answer.status == 400, "\(answer.body)")
            #expect(answer.description == NHSEndpointMessages.assertionJtiNotString)
        }
    }

    @Test("a sub over 1,024 bytes is a 400 invalid iss/sub claim, not a 500")
    func longSub() async throws {
        try await RunningEmulator.with { run in
            let sub = "\"" + String(repeating: "s", count: 1025) + "\""
            let answer = try await run.token(cc(["iss": sub, "sub": sub])(run))
            #expect(answer.status == 400, "\(answer.body)")
            #expect(answer.description == NHSEndpointMessages.assertionIssSubInvalid)
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
                #expect(answer.description == NHSEndpointMessages.assertionExpTooFar)
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

extension HostileClientTests {
    @Test("at CIS2 too, a full replay store is 503 with Retry-After, not the client's 'JWT is not valid'")
    func fullStoreIsOverloadAtCIS2() async throws {
        var configuration = try RunningEmulator.configuration()
        configuration.replay.capacity = 1
        try await RunningEmulator.with(configuration) { run in
            let first = try await run.exchangeCode(try await run.authorize(), assertion: run.cis2Assertion())
            #expect(first.status == 200, "\(first.body)")
            let second = try await run.exchangeCode(try await run.authorize(), assertion: run.cis2Assertion())
            #expect(second.status == 503, "\(second.body)")
            #expect(second.error == "temporarily_unavailable")
        }
    }
}

// MARK: Item 4: Connection: close

extension HostileClientTests {
    /// A configuration whose body deadline and idle timeout are far beyond the tests' 30 s read guard, so a
    /// connection that closes within it was closed on purpose.
    static func patientConfiguration() throws -> EmulatorConfiguration {
        var configuration = try RunningEmulator.configuration()
        configuration.limits.bodyTimeoutSeconds = 300
        configuration.limits.idleTimeoutSeconds = 300
        return configuration
    }

    @Test("after a 413 that says Connection: close, the connection is closed: the pipelined request is not served")
    func closeAfter413() async throws {
        try await RunningEmulator.with(Self.patientConfiguration()) { run in
            let port = try #require(URLComponents(string: run.url)?.port)
            let size = run.server.configuration.limits.maxBodyBytes + 1
            let request =
                "POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: \(size)\r\n\r\n"
                + String(repeating: "A", count: size) + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n"
            let outcome = try await offThePool {
                try RawHTTP.converse(port: port, request: request, guardSeconds: 30)
            }
            let (reply, closed) = (outcome.reply, outcome.closed)
            #expect(closed, "the connection was still open after 30 s")
            #expect(reply.hasPrefix("HTTP/1.1 413") || reply.isEmpty, "\(reply.prefix(300))")
            // (The status line, not the digits "404", which a random message_id can hold.)
            #expect(!reply.contains("HTTP/1.1 404"), "\(reply)")
        }
    }

    @Test("an HTTP/1.0 request without keep-alive is answered and the connection closed")
    func http10Closes() async throws {
        try await RunningEmulator.with(Self.patientConfiguration()) { run in
            let port = try #require(URLComponents(string: run.url)?.port)
            let outcome = try await offThePool {
                try RawHTTP.converse(port: port, request: "GET /nope HTTP/1.0\r\nHost: x\r\n\r\n", guardSeconds: 30)
            }
            let (reply, closed) = (outcome.reply, outcome.closed)
            #expect(closed, "the connection was still open after 30 s")
            #expect(reply.hasPrefix("HTTP/1.1 404") || reply.hasPrefix("HTTP/1.0 404"), "\(reply.prefix(300))")
            #expect(reply.lowercased().contains("connection: close"), "\(reply.prefix(300))")
        }
    }

    @Test("an HTTP/1.0 request with keep-alive is kept open for the next one")
    func http10KeepAlive() async throws {
        try await RunningEmulator.with { run in
            let port = try #require(URLComponents(string: run.url)?.port)
            let one = "GET /nope HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n"
            let outcome = try await offThePool {
                try RawHTTP.converse(
                    port: port, request: one + "GET /nope HTTP/1.0\r\nHost: x\r\n\r\n", guardSeconds: 30)
            }
            let (reply, closed) = (outcome.reply, outcome.closed)
            #expect(closed)
            #expect(reply.components(separatedBy: " 404 ").count == 3, "\(reply)")
        }
    }
}

// MARK: Item 6: replay-store outages

extension HostileClientTests {
    @Test("with PostgreSQL refusing connections, requests get 503 with Retry-After at once; the outage is logged once")
    func storeRefusesConnections() async throws {
        // A port held by a socket that does not listen: refused, and no other test's server can take it.
        let refused = try #require(PortReservation.any())
        defer { withExtendedLifetime(refused) {} }
        let monitor = PostgresPoolMonitor()
        let client = PostgresClient(
            configuration: .init(
                host: "127.0.0.1", port: refused.port, username: "signet", password: nil, database: "signet",
                tls: .disable),
            backgroundLogger: monitor.observing(Logger(label: "pool", factory: { _ in SwiftLogNoOpLogHandler() })))
        let records = LogRecords()
        let logger = Logger(label: "replay", factory: { _ in CapturingLogHandler(records, level: .warning) })
        // A timeout far beyond the HTTP client's 30 s: an answer within it comes from failing fast.
        let store = try PostgresReplayGuard(
            client: client, configuration: .init(timeout: .seconds(600)), logger: logger, poolMonitor: monitor)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await RunningEmulator.with(replayGuard: store) { run in
                for _ in 0..<3 {
                    let r = try await run.send("/oauth2/token", body: Array(cc()(run).utf8))
                    #expect(r.status == 503, "\(r.body)")
                    #expect(r.headers.contains { $0.0.lowercased() == "retry-after" })
                }
            }
        }
        let outages = records.messages.filter { $0.contains("replay store unavailable") }
        #expect(outages.count == 1, "\(records.messages)")
    }
}

/// Log lines kept for a test to read.
final class LogRecords: Sendable {
    private let lines = Mutex<[String]>([])
    var messages: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }
}

/// A log handler that keeps each message at or above its level.
struct CapturingLogHandler: LogHandler {
    let records: LogRecords
    var logLevel: Logger.Level
    var metadata: Logger.Metadata = [:]

    init(_ records: LogRecords, level: Logger.Level) {
        self.records = records
        self.logLevel = level
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        records.append("\(event.level): \(event.message)")
    }
}
