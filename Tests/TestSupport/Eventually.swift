// SPDX-License-Identifier: Apache-2.0

import Synchronization

/// The bound every wait in the suite uses: long enough that a busy machine never reaches it, so reaching it means
/// the code under test hung. It is a hang guard, never a claim about speed.
public let hangGuard: Duration = .seconds(60)

/// Polls `condition` until it holds, giving up after `hangGuard` of wall time.
///
/// - Returns: Whether the condition held (`false` only when the guard ran out): assert on it.
public func eventually(
    within guardTime: Duration = hangGuard, _ condition: () async throws -> Bool
) async rethrows -> Bool {
    let deadline = ContinuousClock.now + guardTime
    while true {
        if try await condition() { return true }
        if ContinuousClock.now >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(5))
    }
}

/// A latch a test opens: a loopback server holds its answer at a gate until the test opens it, so "the answer was
/// still pending" is a fact the test controls rather than a race against a delay.
public final class Gate: Sendable {
    private let isOpen = Atomic<Bool>(false)

    public init() {}

    /// Opens the gate: every waiter, present and future, goes on.
    public func open() { isOpen.store(true, ordering: .releasing) }

    /// Whether the gate is open.
    public var opened: Bool { isOpen.load(ordering: .acquiring) }

    /// Waits until the gate opens; a cancelled waiter leaves at once, throwing `CancellationError`.
    public func wait() async throws {
        while !opened { try await Task.sleep(for: .milliseconds(2)) }
    }
}
