// SPDX-License-Identifier: Apache-2.0

import ReplayGuard
import TestSupport

/// The reference the guards are compared with: the specification written the slow, obvious way (a scan that drops
/// every expired record before each claim, a full-table count for the capacity).
struct ReplayModel {
    struct Entry {
        var expiry: Int64
        var firstSeen: Int64
    }
    let capacity: Int
    var entries: [[UInt8]: Entry] = [:]

    /// The outcome the specification gives, or `nil` for `replay.capacity`.
    mutating func claim(subject: String, jti: String, until expiry: Int64, now: Int64) -> ReplayClaim? {
        entries = entries.filter { $0.value.expiry > now }
        let key = Self.key(subject, jti)
        if let entry = entries[key] { return .replay(firstSeen: entry.firstSeen) }
        if entries.count >= capacity { return nil }
        entries[key] = Entry(expiry: expiry, firstSeen: now)
        return .firstUse
    }

    static func key(_ subject: String, _ jti: String) -> [UInt8] {
        var key = Array(String(subject.utf8.count).utf8)
        key.append(0)
        key.append(contentsOf: subject.utf8)
        key.append(contentsOf: jti.utf8)
        return key
    }
}

/// One random claim of a sequence: few subjects and jtis (so that replays and re-admissions are common), a clock that
/// moves forward in small steps, expiries a few seconds ahead.
struct RandomClaim {
    let subject: String
    let jti: String
    let expiry: Int64
    let now: Int64

    static func sequence(seed: UInt64, count: Int) -> [RandomClaim] {
        var random = SplitMix64(seed: seed)
        var now: Int64 = 1_800_000_000
        // Canonically equivalent spellings (NFC and NFD é) must count as different jtis: bytes, not characters.
        let jtis = ["a", "b", "c", "d", "e", "f", "\u{E9}", "e\u{301}", "", "jti-with-a-longer-name-0000000000000"]
        let subjects = ["s1", "s2", "s3"]
        return (0..<count).map { _ in
            now += Int64(random.below(3))
            return RandomClaim(
                subject: subjects[random.below(subjects.count)], jti: jtis[random.below(jtis.count)],
                expiry: now + 1 + Int64(random.below(12)), now: now)
        }
    }
}
