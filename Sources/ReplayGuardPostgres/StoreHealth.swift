// SPDX-License-Identifier: Apache-2.0

import Logging
import Synchronization

/// Whether a ``PostgresReplayGuard``'s store is reachable, learnt from the outcome of its statements and from its
/// pool (``PostgresPoolMonitor``): a circuit breaker.
///
/// - Up: every statement runs, each registered so that news of an outage ends its wait at once.
/// - Down (a statement timed out or could not reach the store, or the pool could not connect): statements fail at
///   once with `replay.store-unavailable`, except one probe per ``probeInterval``, run with a short timeout; the
///   first statement that succeeds brings the store back up.
///
/// The outage is logged once when it starts (error) and once when it ends (warning), whatever the traffic.
final class StoreHealth: Sendable {
    /// How often a statement is let through to test a store that is down.
    let probeInterval: Duration
    /// The longest a probe waits.
    let probeTimeout: Duration
    private let logger: Logger
    private let state = Mutex(State())

    struct State {
        var downSince: ContinuousClock.Instant?
        var lastProbe: ContinuousClock.Instant?
        var waiters: [UInt64: @Sendable (String) -> Void] = [:]
        var nextID: UInt64 = 0
    }

    /// What a statement may do.
    enum Admission {
        /// Run, with this timeout; call ``finished(_:outcome:)`` with the id afterwards.
        case run(id: UInt64, timeout: Duration)
        /// Do not run: the store has been down since the given time.
        case refuse(downFor: Duration)
    }

    init(logger: Logger, probeInterval: Duration = .seconds(1), probeTimeout: Duration = .seconds(2)) {
        self.logger = logger
        self.probeInterval = probeInterval
        self.probeTimeout = probeTimeout
    }

    /// Whether a statement may run now. `abort` is called, at most once, if the store is found down while it runs.
    func admit(timeout: Duration, abort: @escaping @Sendable (String) -> Void) -> Admission {
        let now = ContinuousClock.now
        return state.withLock { state in
            var runTimeout = timeout
            if let since = state.downSince {
                if let last = state.lastProbe, now - last < probeInterval { return .refuse(downFor: now - since) }
                state.lastProbe = now
                runTimeout = min(timeout, probeTimeout)
            }
            let id = state.nextID
            state.nextID &+= 1
            state.waiters[id] = abort
            return .run(id: id, timeout: runTimeout)
        }
    }

    /// Records how an admitted statement ended: a success brings the store up; a failure to reach it takes it down.
    func finished(_ id: UInt64, outcome: Outcome) {
        state.withLock { _ = $0.waiters.removeValue(forKey: id) }
        switch outcome {
        case .succeeded: markUp()
        case .unreachable(let reason): markDown(reason: reason)
        case .failed: break
        }
    }

    /// How an admitted statement ended.
    enum Outcome {
        case succeeded
        /// The store did not answer or could not be reached.
        case unreachable(String)
        /// The store answered with an error (the statement, not the store, is at fault).
        case failed
    }

    /// The store cannot be reached: fail what is waiting, and log the outage if it is new.
    func markDown(reason: String) {
        let now = ContinuousClock.now
        let (isNew, waiters) = state.withLock { state -> (Bool, [@Sendable (String) -> Void]) in
            let isNew = state.downSince == nil
            if isNew { state.downSince = now }
            state.lastProbe = now
            let waiters = Array(state.waiters.values)
            state.waiters.removeAll()
            return (isNew, waiters)
        }
        if isNew {
            logger.error(
                "replay store unavailable: failing claims fast until it answers again",
                metadata: ["reason": "\(reason)"])
        }
        for abort in waiters { abort(reason) }
    }

    /// The store answered: log the end of an outage, if there was one.
    func markUp() {
        let now = ContinuousClock.now
        let since = state.withLock { state -> ContinuousClock.Instant? in
            defer {
                state.downSince = nil
                state.lastProbe = nil
            }
            return state.downSince
        }
        if let since {
            logger.warning(
                "replay store available again", metadata: ["outage_seconds": "\((now - since).components.seconds)"])
        }
    }

    /// Whether the store is known to be down.
    var isDown: Bool { state.withLock { $0.downSince != nil } }
}

/// A statement refused or ended because the store is known to be down.
struct StoreDown: Error, CustomStringConvertible {
    let reason: String
    var description: String { reason }
}
