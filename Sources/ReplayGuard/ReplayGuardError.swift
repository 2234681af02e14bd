// SPDX-License-Identifier: Apache-2.0

/// Why a replay guard could not answer: a stable code, one line a person understands, and the lower-level error it
/// wraps (``underlying``), if any. No offset applies: the input is two whole strings and two times.
///
/// Every error means "not known to be a first use": a verifier refuses the token (the guard fails closed).
///
/// Equality compares ``code`` only.
public struct ReplayGuardError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable spelling.
        public let rawValue: String
        /// Internal: the set of codes is closed (other modules read codes, never invent them).
        init(rawValue: String) { self.rawValue = rawValue }
        /// The stable spelling.
        public var description: String { rawValue }
        /// The guard is full of records that have not expired; it refuses rather than forget one.
        public static let capacity = Code(rawValue: "replay.capacity")
        /// The shared store could not be reached, or it failed the statement.
        public static let storeUnavailable = Code(rawValue: "replay.store-unavailable")
        /// The shared store did not answer within the guard's timeout.
        public static let timeout = Code(rawValue: "replay.timeout")
        /// A `subject` or `jti` longer than the guard accepts, or an expiry not after `now`.
        public static let invalidInput = Code(rawValue: "replay.invalid-input")
        /// The guard's configuration is unusable: a capacity below 1, a table name that is not a plain SQL
        /// identifier, a table that does not exist.
        public static let invalidConfiguration = Code(rawValue: "replay.invalid-configuration")
    }

    /// The stable code.
    public let code: Code
    /// One line a person understands.
    public let reason: String
    /// The error this one wraps, kept as a value (for the PostgreSQL guard, postgres-nio's `PSQLError`); `nil` when
    /// the failure was found here.
    public let underlying: (any Error)?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The stable code.
    ///   - reason: One line a person understands.
    ///   - underlying: The lower-level error this one wraps, if any.
    public init(_ code: Code, reason: String, underlying: (any Error)? = nil) {
        self.code = code
        self.reason = reason
        self.underlying = underlying
    }

    /// `ReplayGuardError.<code>: <reason>`.
    public var description: String { "ReplayGuardError.\(code.rawValue): \(reason)" }
    /// Compares codes only.
    public static func == (a: Self, b: Self) -> Bool { a.code == b.code }
    /// Hashes the code only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
