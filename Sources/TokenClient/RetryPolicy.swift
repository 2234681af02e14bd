// SPDX-License-Identifier: Apache-2.0

/// When a token request is tried again: connection failures, timeouts, `408`, `429` and `5xx` are transient; any
/// other `4xx` is not (a fresh assertion cannot fix a wrong key, `aud` or API key), so it is never retried.
///
/// Waits between attempts grow exponentially up to ``maxDelay`` with jitter (half fixed, half random, so that a
/// fleet of gateways does not retry in step); a `Retry-After` header on a transient answer (`408`, `429`, `5xx`) is
/// honoured up to ``maxRetryAfter``, and a longer one ends the retries at once.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all, the first included (1 = no retries).
    public var maxAttempts: Int
    /// The wait before the second attempt, before jitter.
    public var baseDelay: Duration
    /// The longest wait between two attempts, before jitter.
    public var maxDelay: Duration
    /// The longest `Retry-After` honoured.
    public var maxRetryAfter: Duration

    /// Creates a policy.
    public init(
        maxAttempts: Int = 4, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(5),
        maxRetryAfter: Duration = .seconds(30)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
    }

    /// Four attempts, 200 ms doubling to at most 5 s, `Retry-After` up to 30 s.
    public static var standard: RetryPolicy { RetryPolicy() }

    /// One attempt only.
    public static var never: RetryPolicy { RetryPolicy(maxAttempts: 1) }

    /// Whether an HTTP status is worth another attempt.
    public static func isTransient(status: Int) -> Bool { status == 408 || status == 429 || status >= 500 }

    /// The wait after failed attempt `attempt` (1-based): `d/2 + random(0…d/2)` with `d = min(maxDelay,
    /// baseDelay · 2^(attempt-1))`.
    public func delay(after attempt: Int, using random: inout some RandomNumberGenerator) -> Duration {
        var d = baseDelay
        for _ in 1..<max(1, attempt) where d < maxDelay { d *= 2 }
        d = min(d, maxDelay)
        let half = d / 2
        return half + half * Double.random(in: 0...1, using: &random)
    }

    /// Reads `Retry-After` as delta-seconds or an IMF-fixdate (`Wed, 21 Oct 2015 07:28:00 GMT`, RFC 9110
    /// §10.2.3), relative to `now` (seconds since 1970); `nil` when absent or unreadable.
    public static func retryAfter(_ value: String?, now: Int64) -> Duration? {
        guard let value = value?.trimmingASCIISpaces, !value.isEmpty else { return nil }
        if value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            // More than nine digits is over 31 years: longer than any cap, and it must not overflow.
            return value.utf8.count > 9 ? .seconds(1_000_000_000) : Int64(value).map { .seconds($0) }
        }
        guard let date = HTTPDate.parse(value) else { return nil }
        return .seconds(max(0, date - now))
    }
}

/// IMF-fixdate (RFC 9110 §5.6.7), the only HTTP-date form a sender may generate.
enum HTTPDate {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Seconds since 1970 of `Sun, 06 Nov 1994 08:49:37 GMT`; `nil` for anything else.
    static func parse(_ s: String) -> Int64? {
        let parts = s.split(separator: " ")
        guard parts.count == 6, parts[0].hasSuffix(","), parts[5] == "GMT", parts[1].utf8.count == 2,
            parts[3].utf8.count == 4, let day = Int64(parts[1]), (1...31).contains(day),
            let monthIndex = months.firstIndex(where: { $0 == parts[2] }),
            let year = Int64(parts[3]), year >= 1970
        else { return nil }
        let clock = parts[4].split(separator: ":")
        guard clock.count == 3, let h = Int64(clock[0]), let m = Int64(clock[1]), let sec = Int64(clock[2]),
            (0..<24).contains(h), (0..<60).contains(m), (0...60).contains(sec)
        else { return nil }
        return daysFromCivil(year: year, month: Int64(monthIndex + 1), day: day) * 86_400 + h * 3600 + m * 60 + sec
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

extension String {
    /// The string without leading and trailing ASCII spaces and tabs.
    var trimmingASCIISpaces: String {
        let u = utf8
        guard let first = u.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }),
            let last = u.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })
        else { return "" }
        return String(self[first...last])
    }
}
