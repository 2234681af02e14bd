// SPDX-License-Identifier: Apache-2.0

import JWS

/// Why a JWK set could not be had from its URL: a stable code, one line a person understands, the lower-level
/// error it wraps (``underlying``) and, for `remote-jwks.not-jwks`, the issues of the set that was read.
///
/// Equality compares ``code`` only, so a test builds the expected error from its code.
public struct RemoteJWKSError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable codes, `remote-jwks.*`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable spelling.
        public let rawValue: String
        /// Internal: the set of codes is closed (other modules read codes, never invent them).
        init(rawValue: String) { self.rawValue = rawValue }
        /// The stable spelling.
        public var description: String { rawValue }
        /// The URL (or a redirect it led to) is plain `http` and
        /// ``RemoteJWKSet/Configuration-swift.struct/allowInsecureHTTP`` is off.
        public static let notHTTPS = Code(rawValue: "remote-jwks.not-https")
        /// The URL is not an absolute `http` or `https` URL.
        public static let invalidURL = Code(rawValue: "remote-jwks.invalid-url")
        /// The server could not be reached, or the connection failed during the exchange.
        public static let unreachable = Code(rawValue: "remote-jwks.unreachable")
        /// The server did not answer within the configured timeouts.
        public static let timeout = Code(rawValue: "remote-jwks.timeout")
        /// The server answered with a status other than 200.
        public static let httpStatus = Code(rawValue: "remote-jwks.http-status")
        /// The body is larger than ``RemoteJWKSet/Configuration-swift.struct/maxResponseBytes``.
        public static let tooLarge = Code(rawValue: "remote-jwks.too-large")
        /// The body is not a JWK set with at least one usable RSA key (not UTF-8, not JSON, no `keys`, or every
        /// entry skipped).
        public static let notJWKS = Code(rawValue: "remote-jwks.not-jwks")
    }

    /// The stable code.
    public let code: Code
    /// One line a person understands.
    public let reason: String
    /// The HTTP status, for `remote-jwks.http-status`.
    public let status: Int?
    /// For `remote-jwks.not-jwks`: the issues of the set as read (`JWKSet.Issue`); empty otherwise.
    public let issues: [JWKSet.Issue]
    /// The error this one wraps, kept as a value: the `JSONError` of a body that is not JSON, the HTTP client's
    /// error of `remote-jwks.unreachable` and `remote-jwks.timeout`; `nil` when the failure was found here.
    public let underlying: (any Error)?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The stable code.
    ///   - reason: One line a person understands.
    ///   - status: The HTTP status, when one was received.
    ///   - issues: The JWK set's issues, for `remote-jwks.not-jwks`.
    ///   - underlying: The lower-level error this one wraps, if any.
    public init(
        _ code: Code, reason: String, status: Int? = nil, issues: [JWKSet.Issue] = [], underlying: (any Error)? = nil
    ) {
        self.code = code
        self.reason = reason
        self.status = status
        self.issues = issues
        self.underlying = underlying
    }

    /// `RemoteJWKSError.<code>: <reason>`.
    public var description: String { "RemoteJWKSError.\(code.rawValue): \(reason)" }
    /// Compares codes only.
    public static func == (a: Self, b: Self) -> Bool { a.code == b.code }
    /// Hashes the code only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
