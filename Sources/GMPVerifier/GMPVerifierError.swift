// SPDX-License-Identifier: Apache-2.0

/// Why ``GMPRSAPublicKey`` refused a key or a signature.
///
/// Match on ``code`` (a stable string such as `gmp.signature-length`); ``reason`` is a one-line explanation
/// meant for people and may change between releases. Two errors are equal when their codes are equal, so a test can
/// build the expected error from a code alone. The reason text is built only when it is read.
///
/// ```swift
/// do { try key.verifySignature(sig, for: input, algorithm: .rs256) }
/// catch { print(error) }   // gmp.signature-length: signature is 255 bytes; this key's signatures are 256 bytes
/// ```
public struct GMPVerifierError: Error, Hashable, CustomStringConvertible, Sendable {
    /// A stable identifier for one kind of failure. New codes may be added; existing ones keep their text.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The code as text, for example `gmp.encoding-mismatch`.
        public let rawValue: String

        /// Internal: the set of codes is closed (other modules read codes, never invent them).
        init(rawValue: String) { self.rawValue = rawValue }

        /// The code text, same as ``rawValue``.
        public var description: String { rawValue }

        /// The signature's length differs from the modulus length in bytes (RFC 8017 §8.2.2 step 1).
        public static let signatureLength = Code(rawValue: "gmp.signature-length")
        /// A signature integer is out of its range: for RSA s ≥ n (RFC 8017 §5.2.2 step 1); for ECDSA r or s is not
        /// in [1, n − 1] (SEC 1 §4.1.4 step 1); for Ed25519 S ≥ L (RFC 8032 §5.1.7 step 1), or the encoding of R
        /// is not a curve point.
        public static let signatureOutOfRange = Code(rawValue: "gmp.signature-out-of-range")
        /// `s^e mod n` is not exactly the EMSA-PKCS1-v1_5 encoding of the message's digest: a wrong key, a wrong
        /// message, a wrong algorithm or a forged or corrupted signature.
        public static let encodingMismatch = Code(rawValue: "gmp.encoding-mismatch")
        /// `s^e mod n` is not a consistent EMSA-PSS encoding of the message (RFC 8017 §9.1.2 "inconsistent"): a
        /// wrong key, message, algorithm or salt length, or a forged or corrupted signature. The reason names the
        /// failing step.
        public static let pssInconsistent = Code(rawValue: "gmp.pss-inconsistent")
        /// A PSS salt length is negative.
        public static let invalidSaltLength = Code(rawValue: "gmp.invalid-salt-length")
        /// An elliptic-curve public key is not a point of the curve: a coordinate is not below the field prime, the
        /// point does not satisfy the curve equation, it is the point at infinity, its encoding is not the
        /// uncompressed SEC 1 form or a canonical RFC 8032 encoding, or it has the wrong length.
        public static let invalidPoint = Code(rawValue: "gmp.invalid-point")
        /// A key names a curve or algorithm this module does not verify (for example a JWK `crv` other than the
        /// key type's curve, or an SPKI algorithm identifier for another curve).
        public static let unsupportedCurve = Code(rawValue: "gmp.unsupported-curve")
        /// The ECDSA or Ed25519 verification equation does not hold: a wrong key, message or hash, or a forged or
        /// corrupted signature.
        public static let signatureMismatch = Code(rawValue: "gmp.signature-mismatch")
        /// A pre-computed digest has the wrong length for the algorithm.
        public static let digestLength = Code(rawValue: "gmp.digest-length")
        /// The modulus has fewer than 2048 bits.
        public static let keyTooSmall = Code(rawValue: "gmp.key-too-small")
        /// The modulus has more than 16384 bits (the limit OpenSSL also applies).
        public static let keyTooLarge = Code(rawValue: "gmp.key-too-large")
        /// The modulus is zero or even.
        public static let invalidModulus = Code(rawValue: "gmp.invalid-modulus")
        /// The public exponent is even, below 3, or not below the modulus.
        public static let invalidExponent = Code(rawValue: "gmp.invalid-exponent")
        /// The key's DER is not a strict DER SubjectPublicKeyInfo / RSAPublicKey.
        public static let invalidDER = Code(rawValue: "gmp.invalid-der")
        /// A PEM document's armour (BEGIN/END lines, label, layout) is wrong.
        public static let invalidPEM = Code(rawValue: "gmp.invalid-pem")
        /// Base64 (PEM body) or base64url (JWK member) text is malformed or not canonical.
        public static let invalidBase64 = Code(rawValue: "gmp.invalid-base64")
        /// A JWK member is not the minimal big-endian encoding RFC 7518 §6.3.1 requires.
        public static let invalidJWK = Code(rawValue: "gmp.invalid-jwk")
        /// A caller-supplied output buffer is too small.
        public static let outputTooSmall = Code(rawValue: "gmp.output-too-small")
    }

    /// What went wrong, as a stable code.
    public let code: Code
    /// Where in the input the problem was found (a byte offset into the DER, PEM or base64 text), when that applies.
    public let offset: Int?
    private let detail: @Sendable () -> String

    /// A one-line explanation, built when read.
    public var reason: String { detail() }

    /// Always `nil`: GMPVerifier shares no code with the rest of Signet, so it never wraps another module's error.
    /// Present so that every Signet error has the same shape.
    public var underlying: (any Error)? { nil }

    /// `<code>: <reason>`, with ` (at byte N)` when ``offset`` is known.
    public var description: String {
        if let offset { return "\(code.rawValue): \(reason) (at byte \(offset))" }
        return "\(code.rawValue): \(reason)"
    }

    /// Creates an error (for example an expected value in a test); the reason closure runs only when ``reason`` or
    /// ``description`` is read.
    /// - Parameters:
    ///   - code: The failure kind.
    ///   - offset: Where in the input, if known.
    ///   - reason: Builds the one-line explanation.
    public init(_ code: Code, offset: Int? = nil, reason: @escaping @Sendable () -> String = { "" }) {
        self.code = code
        self.offset = offset
        self.detail = reason
    }

    /// Errors compare by ``code`` only (the reason and offset are diagnostics).
    public static func == (lhs: GMPVerifierError, rhs: GMPVerifierError) -> Bool { lhs.code == rhs.code }

    /// Hashes ``code`` only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

// MARK: - Factories (internal; one per failure so call sites stay short and reasons stay uniform)

extension GMPVerifierError {
    @inline(never)
    static func signatureLength(actual: Int, expected: Int) -> GMPVerifierError {
        GMPVerifierError(.signatureLength) {
            "signature is \(actual) bytes; this key's signatures are \(expected) bytes"
        }
    }

    @inline(never)
    static func signatureOutOfRange() -> GMPVerifierError {
        GMPVerifierError(.signatureOutOfRange) { "signature value is not less than the modulus" }
    }

    @inline(never)
    static func encodingMismatch(_ region: EMSAPKCS1v15.Region, algorithm: GMPRSAAlgorithm) -> GMPVerifierError {
        GMPVerifierError(.encodingMismatch) {
            "s^e mod n is not the EMSA-PKCS1-v1_5 encoding for \(algorithm.jwsName): first difference in the \(region.rawValue)"
        }
    }

    @inline(never)
    static func pssInconsistent(_ step: EMSAPSS.Failure, algorithm: String) -> GMPVerifierError {
        GMPVerifierError(.pssInconsistent) {
            "s^e mod n is not a consistent EMSA-PSS encoding for \(algorithm): \(step.rawValue)"
        }
    }

    @inline(never)
    static func invalidSaltLength(_ length: Int) -> GMPVerifierError {
        GMPVerifierError(.invalidSaltLength) { "salt length \(length) is negative" }
    }

    @inline(never)
    static func invalidPoint(_ why: String, at offset: Int? = nil) -> GMPVerifierError {
        GMPVerifierError(.invalidPoint, offset: offset) { why }
    }

    @inline(never)
    static func unsupportedCurve(_ why: String, at offset: Int? = nil) -> GMPVerifierError {
        GMPVerifierError(.unsupportedCurve, offset: offset) { why }
    }

    @inline(never)
    static func signatureMismatch(_ why: String) -> GMPVerifierError {
        GMPVerifierError(.signatureMismatch) { why }
    }

    @inline(never)
    static func signatureOutOfRange(_ why: String) -> GMPVerifierError {
        GMPVerifierError(.signatureOutOfRange) { why }
    }

    @inline(never)
    static func signatureLength(actual: Int, expected: Int, what: String) -> GMPVerifierError {
        GMPVerifierError(.signatureLength) { "signature is \(actual) bytes; \(what) signatures are \(expected) bytes" }
    }

    @inline(never)
    static func digestLength(actual: Int, algorithm: GMPRSAAlgorithm) -> GMPVerifierError {
        GMPVerifierError(.digestLength) {
            "digest is \(actual) bytes; \(algorithm.jwsName) needs \(algorithm.digestByteCount)"
        }
    }

    @inline(never)
    static func keyTooSmall(bits: Int) -> GMPVerifierError {
        GMPVerifierError(.keyTooSmall) {
            "modulus is \(bits) bits; at least \(GMPRSAPublicKey.minimumModulusBitCount) are required"
        }
    }

    @inline(never)
    static func keyTooLarge(bits: Int) -> GMPVerifierError {
        GMPVerifierError(.keyTooLarge) {
            "modulus is \(bits) bits; at most \(GMPRSAPublicKey.maximumModulusBitCount) are allowed"
        }
    }

    @inline(never)
    static func invalidModulus(_ why: String) -> GMPVerifierError {
        GMPVerifierError(.invalidModulus) { why }
    }

    @inline(never)
    static func invalidExponent(_ why: String) -> GMPVerifierError {
        GMPVerifierError(.invalidExponent) { why }
    }

    @inline(never)
    static func invalidDER(_ why: String, at offset: Int) -> GMPVerifierError {
        GMPVerifierError(.invalidDER, offset: offset) { why }
    }

    @inline(never)
    static func invalidPEM(_ why: String, at offset: Int? = nil) -> GMPVerifierError {
        GMPVerifierError(.invalidPEM, offset: offset) { why }
    }

    @inline(never)
    static func invalidBase64(_ why: String, at offset: Int? = nil) -> GMPVerifierError {
        GMPVerifierError(.invalidBase64, offset: offset) { why }
    }

    @inline(never)
    static func invalidJWK(_ why: String) -> GMPVerifierError {
        GMPVerifierError(.invalidJWK) { why }
    }

    @inline(never)
    static func outputTooSmall(needed: Int, available: Int) -> GMPVerifierError {
        GMPVerifierError(.outputTooSmall) { "output buffer has \(available) bytes; \(needed) are needed" }
    }
}
