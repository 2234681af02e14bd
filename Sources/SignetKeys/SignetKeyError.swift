// SPDX-License-Identifier: Apache-2.0

/// Why a key could not be loaded or a signature operation failed, for any key family in this module (RSA, EC, Ed25519).
///
/// Each error carries a stable ``Code`` (compare on it), a byte offset where one applies (into the PEM text or DER
/// being parsed), a one-line ``reason`` a person understands, the whole OpenSSL error queue at the time of the
/// failure (``openSSLErrors``), drained so that nothing is left behind for the next call, and the lower-level Swift
/// error it wraps (``underlying``), if any. The `key.*` code prefix (every family) and `rsa.*` (the RSA engines only) belong to this type.
///
/// Equality compares ``code`` only, so tests and callers can build the expected error with any reason.
public struct SignetKeyError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, machine-readable error code. New codes may be added; existing spellings never change.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code's stable spelling, e.g. `key.too-small`.
        public let rawValue: String
        /// Internal: the set of codes is closed (other modules read codes, never invent them).
        init(rawValue: String) { self.rawValue = rawValue }
        /// The code's spelling.
        public var description: String { rawValue }

        /// The RSA modulus is shorter than 2048 bits (RFC 7518 §3.3).
        public static let keyTooSmall = Code(rawValue: "key.too-small")
        /// The key is not an RSA key (e.g. EC or Ed25519).
        public static let notRSA = Code(rawValue: "key.not-rsa")
        /// The key is of another type than the one asked for (e.g. an RSA key where an EC key is expected).
        public static let wrongKeyType = Code(rawValue: "key.wrong-type")
        /// The EC key's curve is not P-256, P-384 or P-521 (the curves JWA pairs with ES256, ES384, ES512).
        public static let unsupportedCurve = Code(rawValue: "key.unsupported-curve")
        /// The EC public key is not a valid point on its curve.
        public static let invalidPoint = Code(rawValue: "key.invalid-point")
        /// The PEM armour is malformed (no BEGIN/END line, mismatched labels, bad base64 body).
        public static let pemMalformed = Code(rawValue: "key.pem-malformed")
        /// The PEM label names one structure but the body holds another (e.g. PKCS#8 under `RSA PRIVATE KEY`).
        public static let pemLabelMismatch = Code(rawValue: "key.pem-label-mismatch")
        /// The PEM label is not one Signet reads for this kind of key.
        public static let pemUnsupportedLabel = Code(rawValue: "key.pem-unsupported-label")
        /// The DER bytes are not a well-formed key structure.
        public static let derMalformed = Code(rawValue: "key.der-malformed")
        /// A private key was given where a public key is expected, or the reverse.
        public static let wrongKeyKind = Code(rawValue: "key.wrong-kind")
        /// The JWK is not a valid RSA JWK (missing or malformed member).
        public static let jwkInvalid = Code(rawValue: "key.jwk-invalid")
        /// The private key's components are not consistent with each other (failed OpenSSL's pairwise check).
        public static let keyInconsistent = Code(rawValue: "key.inconsistent")
        /// The public exponent is not acceptable (even, 1, longer than 64 bits, or not below the modulus).
        public static let invalidExponent = Code(rawValue: "key.invalid-exponent")
        /// The modulus is not a valid RSA modulus (even, zero, or longer than 16,384 bits).
        public static let invalidModulus = Code(rawValue: "key.invalid-modulus")
        /// The private key is encrypted (PKCS#8 `ENCRYPTED PRIVATE KEY`) and no password was given.
        public static let passwordRequired = Code(rawValue: "key.password-required")
        /// The password does not decrypt the encrypted private key (or its cipher is one OpenSSL cannot run).
        public static let wrongPassword = Code(rawValue: "key.wrong-password")
        /// The bytes are not an X.509 certificate (DER `Certificate`, or PEM `CERTIFICATE`).
        public static let certificateInvalid = Code(rawValue: "key.certificate-invalid")
        /// Key generation failed or an unsupported size was asked for.
        public static let keyGeneration = Code(rawValue: "key.generation")
        /// The caller's output buffer is smaller than the signature.
        public static let outputTooSmall = Code(rawValue: "key.output-too-small")
        /// The signature's length differs from the modulus length.
        public static let signatureLength = Code(rawValue: "key.signature-length")
        /// The signature does not verify.
        public static let badSignature = Code(rawValue: "key.bad-signature")
        /// The IFMA engine failed. Signing: its verify-after-sign check failed (a fault in the computation), or its
        /// blinding could not be renewed; nothing was written. Verifying: its public-key operation failed, so there
        /// is no verdict.
        public static let engineFault = Code(rawValue: "rsa.engine-fault")
        /// The requested signing engine cannot run here (no AVX-512 IFMA) or does not take this key's shape.
        public static let engineUnavailable = Code(rawValue: "rsa.engine-unavailable")
        /// `SIGNET_RSA_ENGINE` names no engine (the reason lists the names it may take).
        public static let engineUnknown = Code(rawValue: "rsa.engine-unknown")
        /// An OpenSSL call failed; ``SignetKeyError/openSSLErrors`` holds the drained error queue.
        public static let openSSL = Code(rawValue: "key.openssl")
        /// Signet broke one of its own invariants (a bug, not a bad input or key); the operation did nothing.
        public static let internalError = Code(rawValue: "key.internal")
    }

    /// The stable error code.
    public let code: Code
    /// Byte offset in the input (PEM text, DER bytes) where the problem was found, when one applies.
    public let offset: Int?
    /// One line a person understands.
    public let reason: String
    /// Every entry of OpenSSL's error queue at the time of the failure, oldest first (empty when OpenSSL was not
    /// involved). The queue itself has been cleared.
    public let openSSLErrors: [OpenSSLErrorEntry]
    /// The Swift error this one wraps, kept as a value (e.g. the `Base64URLError` of a JWK member, or the `JSONError`
    /// of a JWK document); `nil` when the failure was found here. OpenSSL's own errors are in ``openSSLErrors``.
    public let underlying: (any Error)?

    /// Creates an error. Library code uses the static factories; this is public for tests and wrappers.
    ///
    /// - Parameters:
    ///   - code: The stable code.
    ///   - offset: Byte offset where it applies, if any.
    ///   - reason: One line a person understands.
    ///   - openSSLErrors: The drained OpenSSL error queue, if any.
    ///   - underlying: The lower-level Swift error this one wraps, if any.
    public init(
        _ code: Code, offset: Int? = nil, reason: String, openSSLErrors: [OpenSSLErrorEntry] = [],
        underlying: (any Error)? = nil
    ) {
        self.code = code
        self.offset = offset
        self.reason = reason
        self.openSSLErrors = openSSLErrors
        self.underlying = underlying
    }

    /// `SignetKeyError.<code>[ @offset]: <reason>[ (OpenSSL: …)]`.
    public var description: String {
        var s = "SignetKeyError.\(code.rawValue)"
        if let offset { s += " @\(offset)" }
        s += ": \(reason)"
        if !openSSLErrors.isEmpty {
            s += " (OpenSSL: " + openSSLErrors.map(\.description).joined(separator: "; ") + ")"
        }
        return s
    }

    /// Compares codes only.
    public static func == (a: Self, b: Self) -> Bool { a.code == b.code }
    /// Hashes the code only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

/// One entry of OpenSSL's thread-local error queue.
public struct OpenSSLErrorEntry: Hashable, Sendable, CustomStringConvertible {
    /// The packed OpenSSL error code (`ERR_get_error_all`).
    public let code: UInt
    /// OpenSSL's text for the code, e.g. `error:1E08010C:DECODER routines::unsupported`.
    public let text: String
    /// Extra data OpenSSL attached to the entry, if any.
    public let data: String?
    /// OpenSSL's text, plus its extra data when present.
    public var description: String { data.map { "\(text) [\($0)]" } ?? text }
}
