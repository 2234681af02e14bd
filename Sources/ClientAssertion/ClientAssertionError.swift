// SPDX-License-Identifier: Apache-2.0

/// Why a client assertion could not be minted as configured.
///
/// Equality compares ``code`` only.
public struct ClientAssertionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable codes.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        /// The stable spelling.
        public let rawValue: String
        /// Creates a code.
        public init(rawValue: String) { self.rawValue = rawValue }
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
    }

    /// The stable code.
    public let code: Code
    /// One line a person understands.
    public let reason: String

    /// Creates an error.
    public init(_ code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }

    /// `ClientAssertionError.<code>: <reason>`.
    public var description: String { "ClientAssertionError.\(code.rawValue): \(reason)" }
    /// Compares codes only.
    public static func == (a: Self, b: Self) -> Bool { a.code == b.code }
    /// Hashes the code only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
