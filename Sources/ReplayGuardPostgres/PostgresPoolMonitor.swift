// SPDX-License-Identifier: Apache-2.0

import Logging
import Synchronization

/// Tells a ``PostgresReplayGuard`` at once when its connection pool cannot reach PostgreSQL, so that claims fail
/// fast instead of each waiting out ``PostgresReplayGuard/Configuration/timeout``.
///
/// postgres-nio keeps a lease waiting while the pool retries a refused connection, and reports the failure only
/// through the client's background logger (`Connection creation failed`). Give the client a logger from
/// ``observing(_:)`` and the guard this monitor:
///
/// ```swift
/// let monitor = PostgresPoolMonitor()
/// let client = PostgresClient(configuration: configuration, backgroundLogger: monitor.observing(logger))
/// let replay = try PostgresReplayGuard(client: client, logger: logger, poolMonitor: monitor)
/// ```
///
/// Without a monitor the guard still fails fast, but only after one claim has timed out.
public final class PostgresPoolMonitor: Sendable {
    private let healths = Mutex<[StoreHealth]>([])

    /// Creates a monitor attached to no guard yet.
    public init() {}

    /// A logger that passes everything to `logger` (at `logger`'s own level) and reads the pool's reports of failed
    /// connections on the way.
    ///
    /// - Parameter logger: Where the client's background messages should go.
    /// - Returns: The logger to give `PostgresClient(configuration:backgroundLogger:)`.
    public func observing(_ logger: Logger) -> Logger {
        let handler = PoolObservingLogHandler(inner: logger.handler, monitor: self)
        return Logger(label: logger.label, factory: { _ in handler })
    }

    func attach(_ health: StoreHealth) { healths.withLock { $0.append(health) } }

    /// The pool said it could not open a connection.
    func connectionFailed(_ reason: String) {
        for health in healths.withLock({ $0 }) { health.markDown(reason: reason) }
    }
}

/// Forwards to another handler and reports the pool's connection failures to a ``PostgresPoolMonitor``.
struct PoolObservingLogHandler: LogHandler {
    var inner: any LogHandler
    let monitor: PostgresPoolMonitor

    /// At least `info`, the level of postgres-nio's `Connection creation failed`; messages below the inner
    /// handler's own level are not forwarded.
    var logLevel: Logger.Level {
        get { min(inner.logLevel, .info) }
        set { inner.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { inner.metadata }
        set { inner.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { inner.metadataProvider }
        set { inner.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { inner[metadataKey: key] }
        set { inner[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        if event.message.description == "Connection creation failed" {
            let error = event.metadata?["psql_error"].map { "\($0)" } ?? "no reason given"
            monitor.connectionFailed(error)
        }
        if event.level >= inner.logLevel { inner.log(event: event) }
    }
}
