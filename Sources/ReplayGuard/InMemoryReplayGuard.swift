// SPDX-License-Identifier: Apache-2.0

import Synchronization

/// A ``ReplayGuard`` for one process: a bounded table of `(subject, jti)` records, each kept until its expiry.
///
/// - A claim is one critical section under a `Mutex`: a hash lookup, at most one insert, and a bounded slice of
///   purging (a min-heap ordered by expiry hands out expired records oldest first, so the purge costs O(log n) per
///   record, once per record, never a scan of the table).
/// - When the table holds ``capacity`` records that have not expired, a claim of a new pair throws
///   `replay.capacity`: the guard never forgets a live record to make room (an attacker who could evict records
///   could replay tokens).
/// - Records live in this process only: several servers behind one load balancer need a shared guard
///   (`PostgresReplayGuard`).
///
/// Memory: roughly 200 bytes a record for a 36-byte `jti` and a 32-byte subject (dictionary slot, heap slot and the
/// strings), so the default capacity of 1,000,000 bounds the table at about 200 MB.
///
/// `now` should come from one clock: a record counts as expired once any claim's `now` has passed its expiry.
public final class InMemoryReplayGuard: ReplayGuard {
    /// The default ``capacity``.
    public static let defaultCapacity = 1_000_000
    /// The most expired records one claim removes before its own lookup; the rest wait for later claims (or for a
    /// full purge when the table is full), so no single request pays for a mass expiry.
    static let purgeSlice = 32

    /// The most live records the guard holds.
    public let capacity: Int
    /// The longest `subject` or `jti` accepted, in UTF-8 bytes.
    public let maximumFieldLength: Int
    private let state: Mutex<State>

    /// Creates an empty guard.
    ///
    /// - Parameters:
    ///   - capacity: The most live records held; a claim of a new pair beyond it throws `replay.capacity`.
    ///   - maximumFieldLength: The longest `subject` or `jti` accepted, in UTF-8 bytes.
    /// - Throws: `replay.invalid-configuration` if `capacity` or `maximumFieldLength` is below 1.
    public init(
        capacity: Int = InMemoryReplayGuard.defaultCapacity,
        maximumFieldLength: Int = ReplayGuardLimits.defaultMaximumFieldLength
    ) throws(ReplayGuardError) {
        guard capacity >= 1 else {
            throw ReplayGuardError(.invalidConfiguration, reason: "capacity \(capacity) is below 1")
        }
        guard maximumFieldLength >= 1 else {
            throw ReplayGuardError(
                .invalidConfiguration, reason: "maximum field length \(maximumFieldLength) is below 1")
        }
        self.capacity = capacity
        self.maximumFieldLength = maximumFieldLength
        self.state = Mutex(State())
    }

    /// Records `(subject, jti)` until `expiry` unless a live record exists; see ``ReplayGuard``.
    ///
    /// - Throws: `replay.invalid-input` (a field longer than ``maximumFieldLength``, or `expiry` not after `now`),
    ///   `replay.capacity` (``capacity`` live records and this pair is not one of them).
    public func claim(
        subject: String, jti: String, until expiry: Int64, now: Int64
    ) async throws(ReplayGuardError)
        -> ReplayClaim
    {
        try claimSynchronously(subject: subject, jti: jti, until: expiry, now: now)
    }

    /// ``claim(subject:jti:until:now:)`` without the suspension point, for callers that are not async.
    ///
    /// - Throws: As ``claim(subject:jti:until:now:)``.
    public func claimSynchronously(
        subject: String, jti: String, until expiry: Int64, now: Int64
    )
        throws(ReplayGuardError) -> ReplayClaim
    {
        try ReplayGuardLimits.check(
            subject: subject, jti: jti, expiry: expiry, now: now, maximumFieldLength: maximumFieldLength)
        let key = RecordKey(subject: subject, jti: jti)
        let capacity = self.capacity
        return try state.withLock { state throws(ReplayGuardError) -> ReplayClaim in
            state.purge(now: now, limit: Self.purgeSlice)
            let existing = state.records[key]
            if let existing, existing.expiry > now {
                return .replay(firstSeen: existing.firstSeen)
            }
            // Absent, or present but expired (not yet purged): this claim records it. Re-admitting an expired record
            // takes no new room.
            if existing == nil && state.records.count >= capacity {
                state.purge(now: now, limit: Int.max)
                if state.records.count >= capacity {
                    throw ReplayGuardError(
                        .capacity,
                        reason: "\(capacity) records have not expired yet; refusing rather than forgetting one")
                }
            }
            state.records[key] = Record(expiry: expiry, firstSeen: now)
            state.expiries.push(ExpiryEntry(expiry: expiry, key: key))
            return .firstUse
        }
    }

    /// The records held whose expiry is after `now`, after removing every expired one.
    ///
    /// Costs O(k log n) for the k expired records it removes.
    public func liveCount(now: Int64) -> Int {
        state.withLock { state in
            state.purge(now: now, limit: Int.max)
            return state.records.count
        }
    }
}

/// A recorded pair's expiry and the `now` of the claim that recorded it.
struct Record {
    var expiry: Int64
    var firstSeen: Int64
}

/// The table and its expiry order. Every record has one heap entry with its current expiry; a record re-admitted
/// after expiring also leaves its old entry behind, which the purge recognises (expiry differs) and drops.
struct State {
    var records: [RecordKey: Record] = [:]
    var expiries = ExpiryHeap()

    /// Removes up to `limit` records whose expiry is at or before `now`, oldest first.
    mutating func purge(now: Int64, limit: Int) {
        var removed = 0
        while removed < limit, let top = expiries.top, top.expiry <= now {
            expiries.popTop()
            if let record = records[top.key], record.expiry == top.expiry {
                records.removeValue(forKey: top.key)
                removed += 1
            }
        }
    }
}

/// `(subject, jti)` compared and hashed by their UTF-8 bytes, not by Swift's canonical equivalence, so that the
/// in-memory guard and the PostgreSQL one (which stores bytes) agree on what a replay is.
struct RecordKey: Hashable, Sendable {
    let subject: String
    let jti: String

    static func == (a: Self, b: Self) -> Bool {
        a.subject.utf8.count == b.subject.utf8.count && a.jti.utf8.count == b.jti.utf8.count
            && a.subject.utf8.elementsEqual(b.subject.utf8) && a.jti.utf8.elementsEqual(b.jti.utf8)
    }

    func hash(into hasher: inout Hasher) {
        Self.combine(subject, into: &hasher)
        Self.combine(jti, into: &hasher)
    }

    /// Feeds the length then the bytes, so that ("ab", "c") and ("a", "bc") hash apart.
    private static func combine(_ string: String, into hasher: inout Hasher) {
        var string = string
        hasher.combine(string.utf8.count)
        string.withUTF8 { bytes in unsafe hasher.combine(bytes: UnsafeRawBufferPointer(bytes)) }
    }
}

/// One heap slot: a record's expiry at the time it was pushed.
struct ExpiryEntry {
    let expiry: Int64
    let key: RecordKey
}

/// A binary min-heap of entries ordered by expiry.
struct ExpiryHeap {
    private(set) var entries: [ExpiryEntry] = []

    /// The entry with the earliest expiry.
    var top: ExpiryEntry? { entries.first }
    /// The number of entries, stale ones included.
    var count: Int { entries.count }

    /// Adds an entry: O(log n).
    mutating func push(_ entry: ExpiryEntry) {
        entries.append(entry)
        var child = entries.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if entries[parent].expiry <= entries[child].expiry { break }
            entries.swapAt(parent, child)
            child = parent
        }
    }

    /// Removes the earliest entry, if any: O(log n).
    mutating func popTop() {
        guard !entries.isEmpty else { return }
        let last = entries.removeLast()
        guard !entries.isEmpty else { return }
        entries[0] = last
        var parent = 0
        let count = entries.count
        while true {
            let left = 2 * parent + 1
            if left >= count { break }
            let right = left + 1
            var smallest = left
            if right < count && entries[right].expiry < entries[left].expiry { smallest = right }
            if entries[parent].expiry <= entries[smallest].expiry { break }
            entries.swapAt(parent, smallest)
            parent = smallest
        }
    }
}
