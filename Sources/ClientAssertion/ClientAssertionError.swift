// SPDX-License-Identifier: Apache-2.0

/// Why a client assertion could not be minted as configured: a stable code, one line a person understands, and the
/// lower-level error it wraps (``underlying``), if any. No offset or segment applies: the input is configuration.
///
/// Equality compares ``code`` only.
public struct ClientAssertionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable spelling.
        public let rawValue: String
        /// Internal: the set of codes is closed (other modules read codes, never invent them).
        init(rawValue: String) { self.rawValue = rawValue }
        /// The stable spelling.
        public var description: String { rawValue }
        /// The lifetime is longer than the profile allows (APIM: 300 s).
        public static let lifetimeTooLong = Code(rawValue: "profile.lifetime-too-long")
        /// The lifetime is not positive.
        public static let lifetimeInvalid = Code(rawValue: "profile.lifetime-invalid")
        /// The profile requires a `kid` and none was given.
        public static let keyIDRequired = Code(rawValue: "profile.kid-required")
        /// The algorithm is not one the profile allows (APIM: RS512 only).
        public static let algorithmNotAllowed = Code(rawValue: "profile.alg-not-allowed")
        /// A required value (client id, audience) is empty.
        public static let missingValue = Code(rawValue: "profile.missing-value")
        /// Signing failed.
        public static let signing = Code(rawValue: "mint.signing")
        /// The random generator failed.
        public static let random = Code(rawValue: "mint.random")
        /// The clock's time plus the lifetime does not fit a NumericDate in `Int64` seconds.
        public static let clockOutOfRange = Code(rawValue: "mint.clock-out-of-range")
    }

    /// The stable code.
    public let code: Code
    /// One line a person understands.
    public let reason: String
    /// The error this one wraps, kept as a value: the `JWSError` of `mint.signing`, the `SignetKeyError` of
    /// `mint.random`; `nil` when the failure was found here.
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

    /// `ClientAssertionError.<code>: <reason>`.
    public var description: String { "ClientAssertionError.\(code.rawValue): \(reason)" }
    /// Compares codes only.
    public static func == (a: Self, b: Self) -> Bool { a.code == b.code }
    /// Hashes the code only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
