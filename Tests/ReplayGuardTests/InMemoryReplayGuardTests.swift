// SPDX-License-Identifier: Apache-2.0

import ReplayGuard
import Testing

/// Claims `(subject, jti)` and expects `expected` (bound to a local first: `#expect` over the whole call takes the
/// type checker minutes).
func check(
    _ replayGuard: any ReplayGuard, _ subject: String, _ jti: String, until: Int64, now: Int64,
    _ expected: ReplayClaim, sourceLocation: SourceLocation = #_sourceLocation
) async throws {
    let actual = try await replayGuard.claim(subject: subject, jti: jti, until: until, now: now)
    #expect(actual == expected, sourceLocation: sourceLocation)
}

/// ``check(_:_:_:until:now:_:sourceLocation:)`` on the in-memory guard's synchronous entry point.
func checkNow(
    _ replayGuard: InMemoryReplayGuard, _ subject: String, _ jti: String, until: Int64, now: Int64,
    _ expected: ReplayClaim, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let actual = try replayGuard.claimSynchronously(subject: subject, jti: jti, until: until, now: now)
    #expect(actual == expected, sourceLocation: sourceLocation)
}

/// The behaviour every guard shares, run against the in-memory guard here and the PostgreSQL one in its suite.
enum GuardBehaviour {
    static let t0: Int64 = 1_800_000_000

    static func firstUseThenReplay(_ replayGuard: any ReplayGuard) async throws {
        try await check(replayGuard, "app", "j1", until: t0 + 300, now: t0, .firstUse)
        try await check(replayGuard, "app", "j1", until: t0 + 400, now: t0 + 5, .replay(firstSeen: t0))
        // The replay did not move the record's expiry: it still ends at t0 + 300.
        try await check(replayGuard, "app", "j1", until: t0 + 999, now: t0 + 299, .replay(firstSeen: t0))
        // The key is the pair: the same jti under another subject, or another jti, is a first use.
        try await check(replayGuard, "other", "j1", until: t0 + 300, now: t0, .firstUse)
        try await check(replayGuard, "app", "j2", until: t0 + 300, now: t0, .firstUse)
    }

    static func expiryReadmits(_ replayGuard: any ReplayGuard) async throws {
        try await check(replayGuard, "app", "e1", until: t0 + 10, now: t0, .firstUse)
        try await check(replayGuard, "app", "e1", until: t0 + 20, now: t0 + 9, .replay(firstSeen: t0))
        // At its expiry the record is gone: the pair is admitted again, with a new first-seen time.
        try await check(replayGuard, "app", "e1", until: t0 + 40, now: t0 + 10, .firstUse)
        try await check(replayGuard, "app", "e1", until: t0 + 50, now: t0 + 39, .replay(firstSeen: t0 + 10))
    }

    static func comparesBytes(_ replayGuard: any ReplayGuard) async throws {
        // NFC and NFD spellings of "é" are equal as Swift strings but different JWT strings (RFC 7519 §7.3).
        #expect("\u{E9}" == "e\u{301}")
        try await check(replayGuard, "app", "\u{E9}", until: t0 + 60, now: t0, .firstUse)
        try await check(replayGuard, "app", "e\u{301}", until: t0 + 60, now: t0, .firstUse)
        // The boundary between subject and jti is part of the key.
        try await check(replayGuard, "ab", "c", until: t0 + 60, now: t0, .firstUse)
        try await check(replayGuard, "a", "bc", until: t0 + 60, now: t0, .firstUse)
        // A NUL byte and an empty jti are strings like any other.
        try await check(replayGuard, "app", "x\u{0}y", until: t0 + 60, now: t0, .firstUse)
        try await check(replayGuard, "app", "x", until: t0 + 60, now: t0, .firstUse)
        try await check(replayGuard, "app", "", until: t0 + 60, now: t0, .firstUse)
        try await check(replayGuard, "app", "", until: t0 + 60, now: t0, .replay(firstSeen: t0))
    }

    static func rejectsBadInput(_ replayGuard: any ReplayGuard, maximumFieldLength: Int) async throws {
        let atLimit = String(repeating: "j", count: maximumFieldLength)
        let overLimit = atLimit + "j"
        try await check(replayGuard, "app", atLimit, until: t0 + 60, now: t0, .firstUse)
        await #expect(throws: ReplayGuardError(.invalidInput, reason: "")) {
            try await replayGuard.claim(subject: "app", jti: overLimit, until: t0 + 60, now: t0)
        }
        await #expect(throws: ReplayGuardError(.invalidInput, reason: "")) {
            try await replayGuard.claim(subject: overLimit, jti: "j", until: t0 + 60, now: t0)
        }
        // Multi-byte characters count as their UTF-8 bytes.
        let wide = String(repeating: "\u{E9}", count: maximumFieldLength / 2 + 1)
        await #expect(throws: ReplayGuardError(.invalidInput, reason: "")) {
            try await replayGuard.claim(subject: "app", jti: wide, until: t0 + 60, now: t0)
        }
        await #expect(throws: ReplayGuardError(.invalidInput, reason: "")) {
            try await replayGuard.claim(subject: "app", jti: "late", until: t0, now: t0)
        }
        // A rejected claim recorded nothing.
        try await check(replayGuard, "app", "late", until: t0 + 1, now: t0, .firstUse)
    }

    /// `count` concurrent claims of one pair: exactly one first use, every other a replay naming the same time.
    static func concurrentClaims(_ guards: [any ReplayGuard], count: Int) async throws {
        let outcomes = try await withThrowingTaskGroup(of: ReplayClaim.self) { group in
            for index in 0..<count {
                let replayGuard = guards[index % guards.count]
                group.addTask {
                    try await replayGuard.claim(subject: "app", jti: "race", until: t0 + 300, now: t0)
                }
            }
            var outcomes: [ReplayClaim] = []
            for try await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        #expect(outcomes.count == count)
        let firstUses = outcomes.filter(\.isFirstUse).count
        let replays = outcomes.filter { outcome in outcome == ReplayClaim.replay(firstSeen: t0) }.count
        #expect(firstUses == 1)
        #expect(replays == count - 1)
    }

    /// The guard's answer to `claim`, `nil` for `replay.capacity`. (A `do`/`catch … where` here sent the compiler's
    /// code generation into a loop of many minutes.)
    static func outcome(of claim: RandomClaim, on replayGuard: any ReplayGuard) async throws -> ReplayClaim? {
        do {
            return try await replayGuard.claim(
                subject: claim.subject, jti: claim.jti, until: claim.expiry, now: claim.now)
        } catch {
            guard error.code == .capacity else { throw error }
            return nil
        }
    }

    /// Runs a random sequence against `replayGuard` and the model; any difference is reported with its step.
    static func matchesModel(_ replayGuard: any ReplayGuard, capacity: Int, seed: UInt64, count: Int) async throws {
        var model = ReplayModel(capacity: capacity)
        for (step, claim) in RandomClaim.sequence(seed: seed, count: count).enumerated() {
            let expected = model.claim(subject: claim.subject, jti: claim.jti, until: claim.expiry, now: claim.now)
            let actual = try await outcome(of: claim, on: replayGuard)
            #expect(actual == expected, "step \(step): \(claim)")
            if actual != expected { return }
        }
    }
}

@Suite struct InMemoryReplayGuardTests {
    @Test func firstUseThenReplay() async throws {
        try await GuardBehaviour.firstUseThenReplay(InMemoryReplayGuard())
    }

    @Test func expiryReadmits() async throws {
        try await GuardBehaviour.expiryReadmits(InMemoryReplayGuard())
    }

    @Test func comparesBytes() async throws {
        try await GuardBehaviour.comparesBytes(InMemoryReplayGuard())
    }

    @Test func rejectsBadInput() async throws {
        try await GuardBehaviour.rejectsBadInput(InMemoryReplayGuard(maximumFieldLength: 64), maximumFieldLength: 64)
        try await GuardBehaviour.rejectsBadInput(
            InMemoryReplayGuard(), maximumFieldLength: ReplayGuardLimits.defaultMaximumFieldLength)
    }

    @Test func rejectsBadConfiguration() {
        #expect(throws: ReplayGuardError(.invalidConfiguration, reason: "")) { try InMemoryReplayGuard(capacity: 0) }
        #expect(throws: ReplayGuardError(.invalidConfiguration, reason: "")) {
            try InMemoryReplayGuard(maximumFieldLength: 0)
        }
    }

    @Test func oneThousandConcurrentClaimsOneFirstUse() async throws {
        try await GuardBehaviour.concurrentClaims([InMemoryReplayGuard()], count: 1000)
    }

    /// Full of live records, the guard refuses new pairs rather than forget one, still answers for the pairs it holds,
    /// and takes new pairs again once records expire.
    @Test func capacityFailsClosed() async throws {
        let t0 = GuardBehaviour.t0
        let replayGuard = try InMemoryReplayGuard(capacity: 3)
        for (index, jti) in ["a", "b", "c"].enumerated() {
            try checkNow(replayGuard, "s", jti, until: t0 + 10 + Int64(index), now: t0, .firstUse)
        }
        #expect(throws: ReplayGuardError(.capacity, reason: "")) {
            try replayGuard.claimSynchronously(subject: "s", jti: "d", until: t0 + 100, now: t0 + 1)
        }
        for jti in ["a", "b", "c"] {
            try checkNow(replayGuard, "s", jti, until: t0 + 100, now: t0 + 9, .replay(firstSeen: t0))
        }
        // "a" expires at t0 + 10: its room goes to "d"; "b" and "c" are still held.
        try checkNow(replayGuard, "s", "d", until: t0 + 100, now: t0 + 10, .firstUse)
        #expect(throws: ReplayGuardError(.capacity, reason: "")) {
            try replayGuard.claimSynchronously(subject: "s", jti: "e", until: t0 + 100, now: t0 + 10)
        }
        try checkNow(replayGuard, "s", "b", until: t0 + 100, now: t0 + 10, .replay(firstSeen: t0))
        #expect(replayGuard.liveCount(now: t0 + 10) == 3)
        // The refused claims recorded nothing: once everything but "d" has expired, "e" is a first use.
        try checkNow(replayGuard, "s", "e", until: t0 + 200, now: t0 + 50, .firstUse)
        #expect(replayGuard.liveCount(now: t0 + 50) == 2)
        #expect(replayGuard.liveCount(now: t0 + 100) == 1)
        #expect(replayGuard.liveCount(now: t0 + 200) == 0)
    }

    /// A mass expiry is purged a slice per claim and in full when the table is full, never lost track of: the heap
    /// and the table agree after 50,000 records expire at once and are replaced.
    @Test func massExpiryIsPurged() async throws {
        let t0 = GuardBehaviour.t0
        let replayGuard = try InMemoryReplayGuard(capacity: 50_000)
        for index in 0..<50_000 {
            try checkNow(replayGuard, "s", "m\(index)", until: t0 + 5, now: t0, .firstUse)
        }
        // Full; all expire at t0 + 5. A new pair forces a full purge, then the table refills.
        for index in 0..<50_000 {
            let outcome = try replayGuard.claimSynchronously(
                subject: "s", jti: "n\(index)", until: t0 + 100, now: t0 + 5)
            #expect(outcome == ReplayClaim.firstUse)
        }
        #expect(replayGuard.liveCount(now: t0 + 5) == 50_000)
        #expect(throws: ReplayGuardError(.capacity, reason: "")) {
            try replayGuard.claimSynchronously(subject: "s", jti: "m0", until: t0 + 100, now: t0 + 6)
        }
    }

    /// Differential: random sequences (replays, re-admissions after expiry, a full table) give exactly the model's
    /// outcomes, capacity refusals included.
    static let modelCases: [(seed: UInt64, capacity: Int)] = [(1, 4), (2, 8), (3, 30), (4, 1)]

    @Test(arguments: modelCases)
    func matchesModel(seed: UInt64, capacity: Int) async throws {
        try await GuardBehaviour.matchesModel(
            InMemoryReplayGuard(capacity: capacity), capacity: capacity, seed: seed, count: 5_000)
    }
}
