// SPDX-License-Identifier: Apache-2.0

import Logging
import PostgresNIO
import ReplayGuard

/// A ``PostgresReplayGuard`` with a connection pool of its own, made from a `postgres://` URL: what a server that
/// runs one store needs (`signet serve` with `replay.store: postgres`). As a `ReplayGuardService` it runs the pool,
/// creates the table before the server starts, and purges expired rows every minute while the server runs.
public final class PostgresReplayStore: ReplayGuardService {
    /// The guard the claims go to.
    public let replayGuard: PostgresReplayGuard
    let client: PostgresClient
    let now: @Sendable () -> Int64

    /// Creates the store (nothing connects before ``run(beside:)``).
    ///
    /// - Parameters:
    ///   - url: `postgres://user[:password]@host[:port]/database` (`postgresql://` too; no TLS: a local server).
    ///   - tableName: The table (default: ``PostgresReplayGuard``'s).
    ///   - timeout: How long one statement (a claim, the table's creation) may take before `replay.timeout`.
    ///   - logger: Where the pool's and the guard's reports go.
    ///   - now: The current time in Unix seconds, read at each purge.
    /// - Throws: `replay.invalid-configuration` when `url` is not such a URL, `tableName` not a plain identifier, or
    ///   `timeout` not positive.
    public init(
        url: String, tableName: String = PostgresReplayGuard.Configuration().tableName,
        timeout: Duration = .seconds(10), logger: Logger,
        now: @escaping @Sendable () -> Int64
    ) throws(ReplayGuardError) {
        guard let parsed = PostgresURL(url) else {
            throw ReplayGuardError(
                .invalidConfiguration, reason: "the URL must be postgres://user[:password]@host[:port]/database")
        }
        // The monitor reads the pool's own reports (a refused connection) so that claims fail at once while the
        // store is down, instead of each waiting out the timeout.
        let monitor = PostgresPoolMonitor()
        client = PostgresClient(
            configuration: .init(
                host: parsed.host, port: parsed.port, username: parsed.user, password: parsed.password,
                database: parsed.database, tls: .disable),
            backgroundLogger: monitor.observing(logger))
        replayGuard = try PostgresReplayGuard(
            client: client, configuration: .init(tableName: tableName, timeout: timeout), logger: logger,
            poolMonitor: monitor)
        self.now = now
    }

    /// Records `(subject, jti)` in the table (see `ReplayGuard`).
    public func claim(
        subject: String, jti: String, until expiry: Int64, now: Int64
    ) async throws(ReplayGuardError) -> ReplayClaim {
        try await replayGuard.claim(subject: subject, jti: jti, until: expiry, now: now)
    }

    /// Runs the pool, creates the table, then runs `server` with expired rows purged every minute beside it.
    ///
    /// - Throws: `replay.store-unavailable` or `replay.timeout` when the table cannot be created, or what `server`
    ///   throws.
    public func run(beside server: @Sendable () async throws -> Void) async throws {
        let client = self.client
        let replayGuard = self.replayGuard
        let now = self.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await replayGuard.migrate()
            group.addTask { await replayGuard.runPurging(every: .seconds(60), now: now) }
            try await server()
        }
    }
}

/// The parts of a `postgres://user[:password]@host[:port]/database` URL.
struct PostgresURL {
    let user: String
    let password: String?
    let host: String
    let port: Int
    let database: String?

    init?(_ text: String) {
        var rest = Substring(text)
        guard let scheme = ["postgres://", "postgresql://"].first(where: { rest.hasPrefix($0) }) else { return nil }
        rest = rest.dropFirst(scheme.count)
        guard let at = rest.lastIndex(of: "@") else { return nil }
        let credentials = rest[..<at]
        rest = rest[rest.index(after: at)...]
        let userPart = credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        guard let name = userPart.first, !name.isEmpty else { return nil }
        user = String(name)
        password = userPart.count > 1 ? String(userPart[1]) : nil
        let hostPort = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(hostPort.count)
        let hostParts = hostPort.split(separator: ":", omittingEmptySubsequences: false)
        guard let h = hostParts.first, !h.isEmpty, hostParts.count <= 2 else { return nil }
        host = String(h)
        if hostParts.count == 2 {
            guard let p = Int(hostParts[1]), (1...65_535).contains(p) else { return nil }
            port = p
        } else {
            port = 5432
        }
        let name2 = path.dropFirst().prefix { $0 != "?" }
        database = name2.isEmpty ? nil : String(name2)
    }
}
