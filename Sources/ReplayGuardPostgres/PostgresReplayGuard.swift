// SPDX-License-Identifier: Apache-2.0

import Logging
import NetworkSupport
import PostgresNIO
import ReplayGuard

/// A `ReplayGuard` over one PostgreSQL table, so that every server instance pointed at the same database shares one
/// replay window.
///
/// Each claim is one statement, atomic under any number of concurrent instances: an `INSERT … ON CONFLICT (subject,
/// jti) DO UPDATE` that re-admits the pair only if its record has expired and otherwise counts the use, returning the
/// count (1 is a first use) and the first-seen time. PostgreSQL's unique index serialises two claims of one pair, on
/// one instance or on two. Values are always bound, never spliced into SQL; the table name is checked to be a plain
/// identifier once, at ``init(client:configuration:logger:poolMonitor:)``.
///
/// The table (see ``migrate()``):
///
/// ```sql
/// CREATE TABLE signet_replay (
///     subject    bytea  NOT NULL,   -- UTF-8 of `sub`, compared byte for byte
///     jti        bytea  NOT NULL,   -- UTF-8 of `jti`
///     first_seen bigint NOT NULL,   -- Unix seconds of the claim that recorded it
///     expires_at bigint NOT NULL,   -- Unix seconds; at or before `now` the record is gone
///     uses       bigint NOT NULL,   -- claims since first_seen, the first included
///     PRIMARY KEY (subject, jti));
/// CREATE INDEX signet_replay_expires_at ON signet_replay (expires_at);
/// ```
///
/// The caller owns the `PostgresClient` and runs it; see <doc:RunningTheGuard>. Expired rows are deleted by
/// ``purgeExpired(now:maximumBatches:)`` in bounded batches, which a server schedules with ``runPurging(every:now:)``.
///
/// Every failure throws: `replay.timeout` when the store does not answer within ``Configuration/timeout``,
/// `replay.store-unavailable` when it fails (the `PSQLError` in `underlying`), `replay.invalid-configuration` when
/// the table does not exist. A verifier refuses the token on any of them.
public final class PostgresReplayGuard: ReplayGuard {
    /// How the guard uses its table.
    public struct Configuration: Sendable {
        /// The table: a plain SQL identifier (`[A-Za-z_][A-Za-z0-9_]*`, at most 48 characters), optionally with a
        /// schema (`schema.table`). Defaults to `signet_replay`.
        public var tableName: String
        /// How long a claim or a purge batch may take, connection wait included, before it throws
        /// `replay.timeout`. Defaults to 2 seconds.
        public var timeout: Duration
        /// The longest `subject` or `jti` accepted, in UTF-8 bytes.
        public var maximumFieldLength: Int
        /// The most rows one purge statement deletes. Defaults to 1,000.
        public var purgeBatchSize: Int

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - tableName: The table, optionally schema-qualified.
        ///   - timeout: The longest a claim or a purge batch may take.
        ///   - maximumFieldLength: The longest `subject` or `jti` accepted, in UTF-8 bytes.
        ///   - purgeBatchSize: The most rows one purge statement deletes.
        public init(
            tableName: String = "signet_replay", timeout: Duration = .seconds(2),
            maximumFieldLength: Int = ReplayGuardLimits.defaultMaximumFieldLength, purgeBatchSize: Int = 1000
        ) {
            self.tableName = tableName
            self.timeout = timeout
            self.maximumFieldLength = maximumFieldLength
            self.purgeBatchSize = purgeBatchSize
        }
    }

    /// The configuration, as checked at creation.
    public let configuration: Configuration
    private let client: PostgresClient
    private let logger: Logger
    private let statements: Statements
    private let health: StoreHealth

    /// Creates a guard over `client`, which the caller runs (`client.run()` in a task or a service group) for as
    /// long as the guard is used.
    ///
    /// - Parameters:
    ///   - client: The PostgreSQL client; the guard only queries through it.
    ///   - configuration: The table and limits.
    ///   - logger: Where the guard logs (debug: each purge; warning: a failed scheduled purge and the end of an
    ///     outage; error: the start of an outage, once). Defaults to none.
    ///   - poolMonitor: The monitor whose logger `client` reports to, if any: with it, claims fail at once when the
    ///     pool cannot connect; without it, only after one claim has timed out.
    /// - Throws: `replay.invalid-configuration` if the table name is not a plain identifier or a limit is below 1.
    public init(
        client: PostgresClient, configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "signet.replay.postgres", factory: { _ in SwiftLogNoOpLogHandler() }),
        poolMonitor: PostgresPoolMonitor? = nil
    ) throws(ReplayGuardError) {
        guard configuration.maximumFieldLength >= 1, configuration.purgeBatchSize >= 1,
            configuration.timeout > .zero
        else {
            throw ReplayGuardError(
                .invalidConfiguration,
                reason: "maximum field length, purge batch size and timeout must be positive")
        }
        self.statements = try Statements(tableName: configuration.tableName)
        self.configuration = configuration
        self.client = client
        self.logger = logger
        self.health = StoreHealth(logger: logger)
        poolMonitor?.attach(health)
    }

    /// Creates the table and its expiry index if they do not exist, under a transaction-scoped advisory lock so that
    /// instances starting together do not race each other's `CREATE`.
    ///
    /// - Throws: `replay.store-unavailable` if a statement fails, `replay.timeout` if the store does not answer.
    public func migrate() async throws(ReplayGuardError) {
        let statements = self.statements
        let client = self.client
        let logger = self.logger
        try await run(action: "create the table") {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.query(statements.lock(), logger: logger)
                try await connection.query(PostgresQuery(unsafeSQL: statements.createTable), logger: logger)
                try await connection.query(PostgresQuery(unsafeSQL: statements.createIndex), logger: logger)
            }
        }
    }

    /// Records `(subject, jti)` until `expiry` unless a live record exists, in one statement; see `ReplayGuard`.
    ///
    /// While the store is known to be unreachable (a statement timed out or failed to reach it, or the pool monitor
    /// saw a refused connection), a claim fails at once with `replay.store-unavailable`, except one probe a second.
    ///
    /// - Throws: `replay.invalid-input` (a field longer than ``Configuration/maximumFieldLength``, or `expiry` not
    ///   after `now`), `replay.timeout`, `replay.store-unavailable`, `replay.invalid-configuration` (no table: call
    ///   ``migrate()``).
    public func claim(
        subject: String, jti: String, until expiry: Int64, now: Int64
    ) async throws(ReplayGuardError)
        -> ReplayClaim
    {
        try ReplayGuardLimits.check(
            subject: subject, jti: jti, expiry: expiry, now: now,
            maximumFieldLength: configuration.maximumFieldLength)
        var binds = PostgresBindings(capacity: 4)
        binds.append(ByteBuffer(string: subject))
        binds.append(ByteBuffer(string: jti))
        binds.append(now)
        binds.append(expiry)
        let query = PostgresQuery(unsafeSQL: statements.claim, binds: binds)
        let client = self.client
        let logger = self.logger
        let (uses, firstSeen) = try await run(action: "claim") { () async throws -> (Int64, Int64) in
            let rows = try await client.query(query, logger: logger)
            for try await row in rows.decode((Int64, Int64).self) { return row }
            throw MissingRow()
        }
        return uses == 1 ? .firstUse : .replay(firstSeen: firstSeen)
    }

    /// Deletes rows whose expiry is at or before `now`, in batches of ``Configuration/purgeBatchSize``, until a batch
    /// comes back short or `maximumBatches` have run.
    ///
    /// Each batch locks its rows with `FOR UPDATE SKIP LOCKED`, so instances purging at once share the work instead of
    /// waiting on each other, and a row re-admitted meanwhile (its expiry moved past `now`) is left alone.
    ///
    /// - Parameters:
    ///   - now: Unix seconds.
    ///   - maximumBatches: The most statements this call runs.
    /// - Returns: The number of rows deleted.
    /// - Throws: `replay.timeout` or `replay.store-unavailable` for the batch that failed (earlier batches stay
    ///   deleted).
    @discardableResult
    public func purgeExpired(now: Int64, maximumBatches: Int = 100) async throws(ReplayGuardError) -> Int {
        var total = 0
        var batches = 0
        let client = self.client
        let logger = self.logger
        let batchSize = Int64(configuration.purgeBatchSize)
        while batches < maximumBatches {
            var binds = PostgresBindings(capacity: 2)
            binds.append(now)
            binds.append(batchSize)
            let query = PostgresQuery(unsafeSQL: statements.purge, binds: binds)
            let deleted = try await run(action: "purge") { () async throws -> Int64 in
                let rows = try await client.query(query, logger: logger)
                for try await count in rows.decode(Int64.self) { return count }
                throw MissingRow()
            }
            total += Int(deleted)
            batches += 1
            if deleted < batchSize { break }
        }
        logger.debug("purged expired replay records", metadata: ["deleted": "\(total)", "batches": "\(batches)"])
        return total
    }

    /// Runs ``purgeExpired(now:maximumBatches:)`` every `interval` until the calling task is cancelled; a failed
    /// purge is logged as a warning and retried at the next tick.
    ///
    /// - Parameters:
    ///   - interval: The pause between purges.
    ///   - now: The current time in Unix seconds, read at each tick.
    public func runPurging(every interval: Duration, now: @Sendable () -> Int64) async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            do {
                try await purgeExpired(now: now())
            } catch {
                // An outage is logged once, by the claims' circuit breaker, not once a minute here.
                if health.isDown { continue }
                logger.warning(
                    "purging expired replay records failed", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Runs `operation` under the configured timeout and maps its failures to ``ReplayGuardError``.
    private func run<T: Sendable>(
        action: String, _ operation: @escaping @Sendable () async throws -> T
    )
        async throws(ReplayGuardError) -> T
    {
        let race = Race<T>()
        let admission = health.admit(timeout: configuration.timeout) { reason in
            race.finish(.failure(StoreDown(reason: reason)))
        }
        switch admission {
        case .refuse(let downFor):
            throw ReplayGuardError(
                .storeUnavailable,
                reason: "PostgreSQL has been unreachable for \(downFor.components.seconds) s: not waiting for it",
                underlying: StoreDown(reason: "the store is down"))
        case .run(let id, let timeout):
            let outcome = await Deadline.run(race: race, timeout: timeout, operation)
            switch outcome {
            case .success(let value):
                health.finished(id, outcome: .succeeded)
                return value
            case .failure(let error):
                health.finished(id, outcome: Self.classify(error))
                throw ReplayGuardError(
                    mapping: error, action: action, table: configuration.tableName, timeout: timeout)
            }
        }
    }

    /// Whether a failure says the store is unreachable (no answer, no connection) rather than that it refused a
    /// statement.
    static func classify(_ error: any Error) -> StoreHealth.Outcome {
        switch error {
        case is DeadlineExceeded: return .unreachable("no answer within the timeout")
        case is StoreDown, is CancellationError, is MissingRow: return .failed
        case let psql as PSQLError where psql.serverInfo != nil: return .failed
        default: return .unreachable("\(error)")
        }
    }
}

/// A statement that returns rows returned none.
struct MissingRow: Error, CustomStringConvertible {
    var description: String { "the statement returned no row" }
}

extension ReplayGuardError {
    /// The guard's error for a failed store operation.
    init(mapping error: any Error, action: String, table: String, timeout: Duration) {
        if let down = error as? StoreDown {
            self.init(.storeUnavailable, reason: "PostgreSQL is unreachable: \(down.reason)", underlying: error)
        } else if error is DeadlineExceeded {
            self.init(.timeout, reason: "PostgreSQL did not \(action) within \(timeout)", underlying: nil)
        } else if error is CancellationError {
            self.init(.storeUnavailable, reason: "the \(action) was cancelled", underlying: error)
        } else if let psql = error as? PSQLError, psql.serverInfo?[.sqlState] == "42P01" {
            self.init(
                .invalidConfiguration, reason: "table \(table) does not exist: call migrate() first",
                underlying: error)
        } else if let psql = error as? PSQLError, let message = psql.serverInfo?[.message] {
            self.init(.storeUnavailable, reason: "PostgreSQL failed the \(action): \(message)", underlying: error)
        } else {
            self.init(.storeUnavailable, reason: "PostgreSQL failed the \(action): \(error)", underlying: error)
        }
    }
}
