// SPDX-License-Identifier: Apache-2.0
import JWS

/// How long the emulator remembers a used `(sub, jti)`: until the token's `exp` plus the clock skew.
///
/// `exp` comes from a client and is read before any signature check, so it can be any finite JSON number (`1e300`,
/// `9223372036854775808`, `-1e19`): the arithmetic saturates instead of trapping.
enum ReplayWindow {
    /// The record's expiry in Unix seconds: `exp` (rounded down, at least `now`; `now` when absent) plus `skew` (at
    /// least 1 s, so the record outlives `now`), saturated at `Int64.max`.
    static func expiry(exp: Double?, now: Int64, skew: Int64) -> Int64 {
        let base = max(exp.map { NumericDate($0).seconds } ?? now, now)
        let (sum, overflow) = base.addingReportingOverflow(max(skew, 1))
        return overflow ? .max : sum
    }
}
