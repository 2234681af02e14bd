// SPDX-License-Identifier: Apache-2.0

/// A JWT NumericDate (RFC 7519 §2): seconds since the Unix epoch, integer or fractional.
public struct NumericDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let secondsSinceEpoch: Double

    /// Creates a date from seconds since the epoch.
    public init(_ secondsSinceEpoch: Double) { self.secondsSinceEpoch = secondsSinceEpoch }

    /// Creates a date from whole seconds since the epoch.
    public init(_ seconds: Int64) { self.secondsSinceEpoch = Double(seconds) }

    /// Whole seconds (rounded down; saturated at `Int64.min` / `Int64.max` for dates outside that range, such as
    /// a verified token's `exp` of `1e30`).
    public var seconds: Int64 {
        let whole = secondsSinceEpoch.rounded(.down)
        guard whole < 0x1p63 else { return .max }
        guard whole >= -0x1p63 else { return .min }
        return Int64(whole)
    }

    /// True when the value is a whole number of seconds that `Int64` holds exactly (so ``seconds`` is the value).
    public var isIntegral: Bool {
        secondsSinceEpoch.rounded(.down) == secondsSinceEpoch && secondsSinceEpoch.magnitude < 0x1p63
    }

    /// The date plus `seconds`.
    public func adding(_ seconds: Double) -> NumericDate { NumericDate(secondsSinceEpoch + seconds) }

    /// Orders by time.
    public static func < (a: Self, b: Self) -> Bool { a.secondsSinceEpoch < b.secondsSinceEpoch }

    /// The number of seconds: an integer when whole and within `Int64`, else the `Double`'s text (`1e+30`).
    public var description: String { isIntegral ? String(seconds) : String(secondsSinceEpoch) }
}

/// A source of "now" for claim checks, injectable for tests and for the doctor's `--now`.
public struct JWTClock: Sendable {
    private let read: @Sendable () -> NumericDate

    /// A clock that calls `read` for the time.
    public init(_ read: @escaping @Sendable () -> NumericDate) { self.read = read }

    /// The current time.
    public func now() -> NumericDate { read() }

    /// The system's wall clock.
    public static let system = JWTClock { NumericDate(SystemTime.now()) }

    /// A clock stopped at `date`.
    public static func fixed(_ date: NumericDate) -> JWTClock { JWTClock { date } }
}
