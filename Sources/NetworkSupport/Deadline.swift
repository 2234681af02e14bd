// SPDX-License-Identifier: Apache-2.0

import Synchronization

/// The operation did not finish before its deadline.
package struct DeadlineExceeded: Error {
    package init() {}
}

/// Runs an operation against a deadline without waiting for it past the deadline: the one helper for every bounded
/// network exchange in the package (JWKS fetches, token requests, discovery, the PostgreSQL replay store).
///
/// A task group would wait for a child that ignores cancellation (a query or a request already on the wire), so the
/// operation runs in its own task and the first of operation, timer and caller cancellation resumes the caller; the
/// others are cancelled and their results dropped. The outcome is the operation's result, or a failure with
/// ``DeadlineExceeded`` (the timer won) or `CancellationError` (the caller was cancelled).
package enum Deadline {
    /// The operation's result, or ``DeadlineExceeded`` after `timeout`, or `CancellationError` when the caller is
    /// cancelled first.
    package static func run<T: Sendable>(
        timeout: Duration, _ operation: @escaping @Sendable () async throws -> T
    ) async
        -> Result<T, any Error>
    {
        await run(race: Race<T>(), timeout: timeout, operation)
    }

    /// Runs `operation` as ``run(timeout:_:)`` does, in a race the caller created, so that it can end the wait
    /// early from elsewhere with ``Race/finish(_:)`` (e.g. when the store is found to be down).
    package static func run<T: Sendable>(
        race: Race<T>, timeout: Duration, _ operation: @escaping @Sendable () async throws -> T
    ) async
        -> Result<T, any Error>
    {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                race.start(continuation: continuation, timeout: timeout, operation)
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }
}

/// The shared state of one ``Deadline/run(timeout:_:)``: whoever finishes first resumes the caller.
package final class Race<T: Sendable>: Sendable {
    struct State {
        var continuation: CheckedContinuation<Result<T, any Error>, Never>?
        var outcome: Result<T, any Error>?
        var tasks: [Task<Void, Never>] = []
    }
    let state = Mutex(State())

    package init() {}

    func start(
        continuation: CheckedContinuation<Result<T, any Error>, Never>, timeout: Duration,
        _ operation: @escaping @Sendable () async throws -> T
    ) {
        let finishedEarly = state.withLock { state -> Result<T, any Error>? in
            if let outcome = state.outcome { return outcome }
            state.continuation = continuation
            return nil
        }
        if let finishedEarly {
            continuation.resume(returning: finishedEarly)
            return
        }
        let work = Task {
            do {
                self.finish(.success(try await operation()))
            } catch {
                self.finish(.failure(error))
            }
        }
        let timer = Task {
            do {
                try await Task.sleep(for: timeout)
                self.finish(.failure(DeadlineExceeded()))
            } catch {}
        }
        let cancelNow = state.withLock { state -> Bool in
            if state.outcome != nil { return true }
            state.tasks = [work, timer]
            return false
        }
        if cancelNow {
            work.cancel()
            timer.cancel()
        }
    }

    /// Ends the race with `outcome` unless it has ended already: resumes the caller and cancels the operation and the
    /// timer.
    package func finish(_ outcome: Result<T, any Error>) {
        let (continuation, tasks) = state.withLock {
            state -> (CheckedContinuation<Result<T, any Error>, Never>?, [Task<Void, Never>]) in
            guard state.outcome == nil else { return (nil, []) }
            state.outcome = outcome
            let taken = (state.continuation, state.tasks)
            state.continuation = nil
            state.tasks = []
            return taken
        }
        for task in tasks { task.cancel() }
        continuation?.resume(returning: outcome)
    }
}
