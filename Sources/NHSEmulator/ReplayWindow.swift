// SPDX-License-Identifier: Apache-2.0

import JWS

/// How long the emulator remembers a used `(sub, jti)`: until the token's `exp` plus the clock skew, but never past
/// the longest lifetime the endpoint accepts.
///
/// `exp` comes from a client and is read before any signature check (APIM burns the `jti` first, NHS-RULES rule 13),
/// so it can be any finite JSON number (`1e300`, `9223372036854775808`, `-1e19`): the arithmetic saturates instead
/// of trapping, and a token whose `exp` lies beyond what the endpoint accepts is held only as long as an accepted one
/// could be (it is refused anyway), so unsigned requests cannot pin records for decades.
enum ReplayWindow {
    /// The record's expiry in Unix seconds: `exp` (rounded down; `now` when absent) kept within
    /// `now...now + longestLifetime`, plus `skew` (at least 1 s, so the record outlives `now`), saturated at
    /// `Int64.max`.
    static func expiry(exp: Double?, now: Int64, longestLifetime: Int64, skew: Int64) -> Int64 {
        let latest = adding(now, max(longestLifetime, 0))
        let base = min(max(exp.map { NumericDate($0).seconds } ?? now, now), latest)
        return adding(base, max(skew, 1))
    }

    /// APIM's jti cache time, 30 days (rule 12): the bound when the endpoint does not limit the lifetime.
    static let apimCacheSeconds: Int64 = 2_592_000

    private static func adding(_ a: Int64, _ b: Int64) -> Int64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? .max : sum
    }
}
