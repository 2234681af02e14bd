// SPDX-License-Identifier: Apache-2.0

import Base64URL
import SignetKeys

/// Why a JWS or JWT was rejected, or could not be written: a stable code, the token segment and byte offset where
/// it applies (offsets count from the first byte of the token), one line a person understands, and the lower-level
/// error it wraps, if any, as a value.
///
/// The `base64url.*` and `json.*` codes are forwarded unchanged from `Base64URLError` and ``JSONError``, which own
/// them; ``underlying`` then holds that error (with its offset into the decoded segment).
///
/// Equality compares ``code`` only, so callers and tests can match on codes.
public struct JWSError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The part of a compact JWS an error points at.
    public enum Segment: String, Sendable, Hashable {
        /// The token as a whole.
        case token
        /// The protected header (first segment).
        case header
        /// The payload (second segment).
        case payload
        /// The signature (third segment).
        case signature
    }

    /// A stable, machine-readable code. Spellings never change; new codes may be added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable spelling.
        public let rawValue: String
        /// Internal: the set of codes is closed (other modules read codes, never invent them).
        init(rawValue: String) { self.rawValue = rawValue }
        /// The stable spelling.
        public var description: String { rawValue }

        /// Not three base64url segments separated by two periods.
        public static let notJWS = Code(rawValue: "token.not-jws")
        /// Larger than the verifier's size limit (checked before any other work).
        public static let tooLarge = Code(rawValue: "token.too-large")
        /// A byte outside the base64url alphabet (forwarded from `Base64URLError`).
        public static let base64InvalidCharacter = Code(rawValue: Base64URLError.Code.invalidCharacter.rawValue)
        /// `=` padding, which JWS forbids (forwarded from `Base64URLError`).
        public static let base64Padding = Code(rawValue: Base64URLError.Code.padding.rawValue)
        /// Non-zero unused bits in the last character (forwarded from `Base64URLError`).
        public static let base64NonCanonical = Code(rawValue: Base64URLError.Code.nonCanonical.rawValue)
        /// A segment length of 1 mod 4 (forwarded from `Base64URLError`).
        public static let base64InvalidLength = Code(rawValue: Base64URLError.Code.invalidLength.rawValue)
        /// A segment is not valid JSON (forwarded from ``JSONError``).
        public static let jsonInvalid = Code(rawValue: JSONError.Code.invalid.rawValue)
        /// A JSON member name repeats (forwarded from ``JSONError``).
        public static let jsonDuplicateMember = Code(rawValue: JSONError.Code.duplicateMember.rawValue)
        /// JSON nesting exceeds the limit (forwarded from ``JSONError``).
        public static let jsonTooDeep = Code(rawValue: JSONError.Code.tooDeep.rawValue)
        /// The header is not a JSON object.
        public static let headerNotObject = Code(rawValue: "header.not-object")
        /// No `alg` header parameter (or not a string).
        public static let algMissing = Code(rawValue: "header.alg-missing")
        /// `alg` is not one the verifier allows for the selected key (includes `none` and HMAC).
        public static let algNotAllowed = Code(rawValue: "header.alg-not-allowed")
        /// No `kid` while the verifier has several keys.
        public static let kidMissing = Code(rawValue: "header.kid-missing")
        /// `kid` names no key of the verifier.
        public static let kidUnknown = Code(rawValue: "header.kid-unknown")
        /// `typ` is not the expected type.
        public static let typInvalid = Code(rawValue: "header.typ-invalid")
        /// `crit` is malformed or lists an extension this verifier does not understand (RFC 7515 §4.1.11).
        public static let critUnsupported = Code(rawValue: "header.crit-unsupported")
        /// The payload is not a JSON object of claims.
        public static let payloadNotObject = Code(rawValue: "payload.not-object")
        /// The signature has the wrong length for the key.
        public static let signatureLength = Code(rawValue: "signature.length")
        /// The signature does not verify.
        public static let signatureInvalid = Code(rawValue: "signature.invalid")
        /// OpenSSL and the independent second opinion (GMPVerifier) disagree about the signature.
        public static let crossCheckDisagreement = Code(rawValue: "signature.cross-check-disagreement")
        /// A registered claim has the wrong JSON type (e.g. `exp` as a string, `aud` as a number).
        public static let claimInvalid = Code(rawValue: "claim.invalid")
        /// A required claim is missing.
        public static let claimMissing = Code(rawValue: "claim.missing")
        /// `exp` is in the past (beyond the leeway).
        public static let expired = Code(rawValue: "claim.exp-expired")
        /// `nbf` is in the future (beyond the leeway).
        public static let notYetValid = Code(rawValue: "claim.nbf-future")
        /// `iat` is in the future (beyond the leeway).
        public static let issuedInFuture = Code(rawValue: "claim.iat-future")
        /// `exp` is further ahead than the policy's maximum lifetime.
        public static let lifetimeTooLong = Code(rawValue: "claim.exp-too-far")
        /// `aud` does not contain the expected audience.
        public static let audienceMismatch = Code(rawValue: "claim.aud-mismatch")
        /// `iss` is not the expected issuer.
        public static let issuerMismatch = Code(rawValue: "claim.iss-mismatch")
        /// `sub` is not the expected subject.
        public static let subjectMismatch = Code(rawValue: "claim.sub-mismatch")
        /// The caller's output buffer is too small.
        public static let outputTooSmall = Code(rawValue: "output.too-small")
        /// The signer or verifier cannot be set up as asked: an empty key set, a repeated `kid`, several keys without
        /// `kid`s, a key bound to an algorithm outside the allowed set, or an extra header member that clashes.
        ///
        /// Formerly `key.configuration`; renamed because the `key.*` prefix belongs to `SignetKeyError`.
        public static let keyConfiguration = Code(rawValue: "configuration.invalid")
        /// A claims value could not be encoded or decoded with `Codable`.
        public static let codable = Code(rawValue: "payload.codable")
        /// The RSA operation failed inside OpenSSL.
        public static let crypto = Code(rawValue: "crypto.failure")
    }

    /// The stable code.
    public let code: Code
    /// The segment the error points at, if any.
    public let segment: Segment?
    /// Byte offset from the start of the token, if one applies.
    public let offset: Int?
    /// One line a person understands.
    public let reason: String
    /// The error this one wraps, kept as a value: a `Base64URLError`, a ``JSONError``, a `SignetKeyError`, or the
    /// `Codable` error for `payload.codable`; `nil` when the failure was found here.
    public let underlying: (any Error)?

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The stable code.
    ///   - segment: The segment it applies to.
    ///   - offset: Byte offset from the start of the token.
    ///   - reason: One line a person understands.
    ///   - underlying: The lower-level error this one wraps, if any.
    public init(
        _ code: Code, segment: Segment? = nil, offset: Int? = nil, reason: String,
        underlying: (any Error)? = nil
    ) {
        self.code = code
        self.segment = segment
        self.offset = offset
        self.reason = reason
        self.underlying = underlying
    }

    /// `JWSError.<code> [<segment> @<offset>]: <reason>`.
    public var description: String {
        var s = "JWSError.\(code.rawValue)"
        switch (segment, offset) {
        case (let seg?, let off?): s += " [\(seg.rawValue) @\(off)]"
        case (let seg?, nil): s += " [\(seg.rawValue)]"
        case (nil, let off?): s += " [@\(off)]"
        case (nil, nil): break
        }
        return s + ": " + reason
    }

    /// Compares codes only.
    public static func == (a: Self, b: Self) -> Bool { a.code == b.code }
    /// Hashes the code only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    static func base64(_ e: Base64URLError, segment: Segment, segmentStart: Int) -> JWSError {
        let code: Code
        switch e.code {
        case .padding: code = .base64Padding
        case .nonCanonical: code = .base64NonCanonical
        case .invalidLength: code = .base64InvalidLength
        case .outputTooSmall: code = .outputTooSmall
        default: code = .base64InvalidCharacter
        }
        return JWSError(
            code, segment: segment, offset: segmentStart + e.offset, reason: "\(segment.rawValue): \(e.reason)",
            underlying: e)
    }

    static func json(_ e: JSONError, segment: Segment, segmentStart: Int?) -> JWSError {
        let code: Code
        switch e.code {
        case .duplicateMember: code = .jsonDuplicateMember
        case .tooDeep: code = .jsonTooDeep
        default: code = .jsonInvalid
        }
        // JSON offsets are into the decoded segment.
        let tokenOffset = segmentStart.map { JWSCompactLayout.tokenOffset(ofDecodedByte: e.offset, segmentStart: $0) }
        return JWSError(
            code, segment: segment, offset: tokenOffset, reason: "\(segment.rawValue) JSON: \(e.reason)",
            underlying: e)
    }

    static func crypto(_ e: SignetKeyError) -> JWSError {
        JWSError(.crypto, segment: .signature, reason: e.description, underlying: e)
    }
}
