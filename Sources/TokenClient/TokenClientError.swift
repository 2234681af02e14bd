// SPDX-License-Identifier: Apache-2.0

import ClientAssertion

/// Why no token was had: a stable code, one line a person understands, and, when the token endpoint refused the
/// request, its answer (``refusal``: status, `error`, the exact NHS `error_description`, `message_id`) with the
/// doctor's findings on the very assertion that was sent (``findings``), so the error says *why*, not just
/// `JWT is not valid`.
///
/// Equality compares ``code`` only, so a test builds the expected error from its code.
public struct TokenClientError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable codes, `token-client.*`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable spelling.
        public let rawValue: String
        /// Internal: the set of codes is closed (other modules read codes, never invent them).
        init(rawValue: String) { self.rawValue = rawValue }
        /// The stable spelling.
        public var description: String { rawValue }
        /// The token endpoint answered with an error (4xx, or 5xx/429 after the last retry); see ``refusal``.
        public static let refused = Code(rawValue: "token-client.refused")
        /// The request was not sent: it would have been refused (a `subject_token` that is not a CIS2 id_token,
        /// names another issuer or has expired); ``nhsError`` is the string NHS would have answered.
        public static let requestInvalid = Code(rawValue: "token-client.request-invalid")
        /// The server could not be reached, or the connection failed during the exchange, on every attempt.
        public static let unreachable = Code(rawValue: "token-client.unreachable")
        /// No answer within the request timeout, on every attempt.
        public static let timeout = Code(rawValue: "token-client.timeout")
        /// A 200 answer that is not a token response (not JSON, no `access_token`, a field of the wrong type).
        public static let responseInvalid = Code(rawValue: "token-client.response-invalid")
        /// The answer is larger than the configured cap.
        public static let responseTooLarge = Code(rawValue: "token-client.response-too-large")
        /// The client assertion could not be minted (see `ClientAssertionError` in ``underlying``).
        public static let mint = Code(rawValue: "token-client.mint")
        /// The CIS2 discovery document could not be had, or has no usable `token_endpoint`.
        public static let discovery = Code(rawValue: "token-client.discovery")
        /// The client's configuration is unusable (a token URL that is not http(s), say).
        public static let configuration = Code(rawValue: "token-client.configuration")
        /// The caller was cancelled while it waited.
        public static let cancelled = Code(rawValue: "token-client.cancelled")
    }

    /// The stable code.
    public let code: Code
    /// One line a person understands.
    public let reason: String
    /// The token endpoint's error answer, for `token-client.refused`.
    public let refusal: TokenEndpointRefusal?
    /// The NHS `error_description` the request caused (`token-client.refused`) or would have caused
    /// (`token-client.request-invalid`).
    public var nhsError: String? { refusal?.errorDescription ?? predictedNHSError }
    /// The NHS string a request that was not sent would have caused.
    public let predictedNHSError: String?
    /// The doctor's findings: on the assertion that was sent, when the refusal is about it (or on the
    /// `subject_token`, for `token-client.request-invalid` and subject-token refusals). Offsets are into that token.
    public let findings: [Finding]
    /// How many HTTP attempts were made.
    public let attempts: Int
    /// The error this one wraps (the HTTP client's, the minter's), if any.
    public let underlying: (any Error)?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The stable code.
    ///   - reason: One line a person understands.
    ///   - refusal: The token endpoint's error answer.
    ///   - predictedNHSError: The NHS string a request that was not sent would have caused.
    ///   - findings: The doctor's findings on the token at fault.
    ///   - attempts: HTTP attempts made.
    ///   - underlying: The lower-level error this one wraps.
    public init(
        _ code: Code, reason: String, refusal: TokenEndpointRefusal? = nil, predictedNHSError: String? = nil,
        findings: [Finding] = [], attempts: Int = 0, underlying: (any Error)? = nil
    ) {
        self.code = code
        self.reason = reason
        self.refusal = refusal
        self.predictedNHSError = predictedNHSError
        self.findings = findings
        self.attempts = attempts
        self.underlying = underlying
    }

    /// The same error, with the attempt count set.
    func after(attempts: Int) -> TokenClientError {
        TokenClientError(
            code, reason: reason, refusal: refusal, predictedNHSError: predictedNHSError, findings: findings,
            attempts: attempts, underlying: underlying)
    }

    /// `TokenClientError.<code>: <reason>`.
    public var description: String { "TokenClientError.\(code.rawValue): \(reason)" }
    /// Compares codes only.
    public static func == (a: Self, b: Self) -> Bool { a.code == b.code }
    /// Hashes the code only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
