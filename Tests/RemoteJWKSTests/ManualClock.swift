// SPDX-License-Identifier: Apache-2.0

import Synchronization

/// A clock that moves only when the test says: cache ages become exact, and the suite does not wait for them.
final class ManualClock: Clock, Sendable {
    struct Instant: InstantProtocol {
        var offset: Swift.Duration
        func advanced(by d: Swift.Duration) -> Instant { Instant(offset: offset + d) }
        func duration(to other: Instant) -> Swift.Duration { other.offset - offset }
        static func < (a: Instant, b: Instant) -> Bool { a.offset < b.offset }
    }

    private let current = Mutex(Swift.Duration.zero)

    var now: Instant { Instant(offset: current.withLock { $0 }) }
    var minimumResolution: Swift.Duration { .nanoseconds(1) }

    /// Moves the clock forward.
    func advance(by d: Swift.Duration) { current.withLock { $0 += d } }

    /// Sets the clock to `d` after its start.
    func set(_ d: Swift.Duration) { current.withLock { $0 = d } }

    func sleep(until deadline: Instant, tolerance: Swift.Duration?) async throws {
        while now < deadline { try await Task.sleep(for: .milliseconds(1)) }
    }
}
