// SPDX-License-Identifier: Apache-2.0

/// One thing the ``Doctor`` found: a stable code, how serious it is, where it is, why it matters and how to fix it,
/// and the exact error an NHS endpoint returns for it.
public struct Finding: Sendable, Equatable, CustomStringConvertible {
    /// A stable, machine-readable code. Spellings never change; new codes may be added.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible, ExpressibleByStringLiteral {
        /// The stable spelling.
        public let rawValue: String
        /// Creates a code.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Creates a code from a literal.
        public init(stringLiteral value: String) { self.rawValue = value }
        /// The stable spelling.
        public var description: String { rawValue }

        // Token shape and encoding.
        /// Not three `.`-separated segments (an opaque access token, an authorisation code, a JWE…).
        public static let notJWS: Code = "token.not-jws"
        /// A character outside the base64url alphabet.
        public static let base64InvalidCharacter: Code = "base64url.invalid-character"
        /// `=` padding.
        public static let base64Padding: Code = "base64url.padding"
        /// Non-zero unused bits in a segment's last character.
        public static let base64NonCanonical: Code = "base64url.non-canonical"
        /// A segment length of 1 mod 4 (a character lost or added).
        public static let base64InvalidLength: Code = "base64url.invalid-length"
        /// Not JSON, or not a JSON object where one is required.
        public static let jsonInvalid: Code = "json.invalid"
        /// A repeated JSON member name.
        public static let jsonDuplicateMember: Code = "json.duplicate-member"
        // Header.
        /// No `alg`, or not a string.
        public static let algMissing: Code = "header.alg-missing"
        /// `alg` is not one the endpoint accepts.
        public static let algNotAllowed: Code = "header.alg-not-allowed"
        /// No `kid`.
        public static let kidMissing: Code = "header.kid-missing"
        /// `kid` names no key of the JWKS (or is not a string).
        public static let kidUnknown: Code = "header.kid-unknown"
        /// `typ` is missing or not `JWT`.
        public static let typInvalid: Code = "header.typ-invalid"
        // Claims.
        /// No `exp` (or a falsy one: `0`, `null`, `""`, which APIM treats as missing).
        public static let expMissing: Code = "claim.exp-missing"
        /// `exp` is not a JSON number (a string, an array…), or is a fractional one.
        public static let expNotInteger: Code = "claim.exp-not-integer"
        /// `exp` is before now (no leeway).
        public static let expExpired: Code = "claim.exp-expired"
        /// `exp` is more than 310 s ahead.
        public static let expTooFar: Code = "claim.exp-too-far"
        /// `iat` is in the future (beyond 10 s).
        public static let iatFuture: Code = "claim.iat-future"
        /// `nbf` is in the future (beyond 10 s).
        public static let nbfFuture: Code = "claim.nbf-future"
        /// `iss` or `sub` missing, or different.
        public static let issSubMismatch: Code = "claim.iss-sub-mismatch"
        /// `iss`/`sub` is not the expected client id.
        public static let clientIDMismatch: Code = "claim.client-id-mismatch"
        /// The subject token's `iss` is not the CIS2 issuer the endpoint trusts (NHS-RULES E39).
        public static let issuerMismatch: Code = "claim.iss-not-trusted"
        /// No `iss` (subject token).
        public static let issMissing: Code = "claim.iss-missing"
        /// No `aud` (subject token).
        public static let audMissing: Code = "claim.aud-missing"
        /// No `jti` (or an empty one).
        public static let jtiMissing: Code = "claim.jti-missing"
        /// `jti` is not a string.
        public static let jtiNotString: Code = "claim.jti-not-string"
        /// `aud` is not exactly the expected audience.
        public static let audMismatch: Code = "claim.aud-mismatch"
        /// `aud` differs from the expected audience only by an explicit `:443`.
        public static let audPort443: Code = "claim.aud-port-443"
        /// An unregistered claim one or two edits away from a registered one (`jit` for `jti`).
        public static let unknownSimilar: Code = "claim.unknown-similar"
        // Form.
        /// A form field that must be percent-encoded, a bad `%` escape, an empty or nameless field, or not UTF-8.
        public static let formMalformed: Code = "form.malformed"
        /// A form field sent twice.
        public static let formDuplicateField: Code = "form.duplicate-field"
        /// `grant_type` is not the one this request needs.
        public static let formGrantType: Code = "form.grant-type"
        /// `client_assertion_type` missing or wrong.
        public static let formClientAssertionType: Code = "form.client-assertion-type"
        /// `subject_token_type` missing or wrong.
        public static let formSubjectTokenType: Code = "form.subject-token-type"
        /// A required field is missing.
        public static let formMissingField: Code = "form.missing-field"
        /// `client_id` is not the assertion's `iss`.
        public static let formClientIDMismatch: Code = "form.client-id-mismatch"
        /// `subject_token` is not a compact JWS (an access token or code was sent instead of the id_token).
        public static let formSubjectTokenNotJWS: Code = "form.subject-token-not-jws"
        /// The form's `client_assertion` is not the token examined.
        public static let formAssertionDiffers: Code = "form.assertion-differs"
        // JWKS.
        /// No usable `keys` array.
        public static let jwksNoKeys: Code = "jwks.no-keys"
        /// Private key members are published.
        public static let jwksPrivateMembers: Code = "jwks.private-members"
        /// A key under 2048 bits.
        public static let jwksKeyTooSmall: Code = "jwks.key-too-small"
        /// Two keys share a `kid`.
        public static let jwksDuplicateKid: Code = "jwks.duplicate-kid"
        /// The selected key's `alg` differs from the header's.
        public static let jwksAlgMismatch: Code = "jwks.alg-mismatch"
        /// The document is a bare JWK.
        public static let jwksBareJWK: Code = "jwks.bare-jwk"
        /// An entry was skipped: not an object, or a `kty` other than RSA.
        public static let jwksSkipped: Code = "jwks.skipped"
        /// An RSA entry that cannot be used (bad `n`/`e`, odd `alg` or `use`, no `kid` among several).
        public static let jwksUnusableKey: Code = "jwks.unusable-key"
        /// An entry's `x5c` certificate holds a different key from its `n` and `e` (`JWKSet.Issue` code, forwarded).
        public static let jwksX5cMismatch: Code = "jwks.x5c-mismatch"
        /// A note: an entry's `x5c` certificate expires (or has expired) at the date given. A JWS verifier uses the
        /// key, not the certificate's dates, so this is information, never an error.
        public static let jwksCertificateExpiry: Code = "jwks.certificate-expiry"
        /// The JWKS URL is plain `http`: APIM fetches `https://host/path` only (E24).
        public static let jwksNotHTTPS: Code = "jwks.not-https"
        /// The JWKS URL is not an absolute `https` URL (E24).
        public static let jwksInvalidURL: Code = "jwks.invalid-url"
        /// The JWKS URL cannot be reached (E24).
        public static let jwksUnreachable: Code = "jwks.unreachable"
        /// The JWKS URL did not answer in time (E24; APIM waits 55 s).
        public static let jwksTimeout: Code = "jwks.timeout"
        /// The JWKS URL answered with a status other than 200 (E24).
        public static let jwksHTTPStatus: Code = "jwks.http-status"
        /// The JWKS URL answered with a body too large to read (E24).
        public static let jwksTooLarge: Code = "jwks.too-large"
        /// The JWKS URL answered with something that is not a JWK set with a usable RSA key (E24).
        public static let jwksNotJWKS: Code = "jwks.not-jwks"
        // Signature.
        /// The signature does not verify with the key the header selects.
        public static let signatureInvalid: Code = "signature.invalid"
        /// The key's verifier and the caller's independent second opinion (GMPVerifier in `signet doctor`) disagree about
        /// the signature (never expected; report it).
        public static let signatureCrossCheckDisagreement: Code = "signature.cross-check-disagreement"
        /// The signature verifies with a different key of the set.
        public static let signatureOtherKey: Code = "signature.other-key"
        /// After undoing look-alike-character damage, the signature verifies.
        public static let signatureRepairedVerifies: Code = "signature.repaired-verifies"
        /// The token has more readings of its look-alike dashes than the doctor tries, and none tried verifies.
        public static let signatureRepairIncomplete: Code = "signature.repair-incomplete"
    }

    /// How serious a finding is.
    public enum Severity: String, Sendable, Equatable, Comparable {
        /// The endpoint rejects the request (or Signet's verifier would).
        case error
        /// Likely to cause trouble, or against a SHOULD.
        case warning
        /// Context that helps.
        case info

        private var rank: Int { self == .error ? 0 : self == .warning ? 1 : 2 }
        /// Errors first.
        public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
    }

    /// Which input a finding points into; ``Finding/offset`` counts bytes from the start of that input (the token
    /// for `token`, `header`, `payload` and `signature`; the form body for `form`; the JWKS text for `jwks`).
    public enum Segment: String, Sendable, Equatable, CaseIterable {
        /// The token as a whole.
        case token
        /// The JOSE header.
        case header
        /// The claims.
        case payload
        /// The signature.
        case signature
        /// The token-request form body.
        case form
        /// The JWK set.
        case jwks
    }

    /// The stable code.
    public let code: Code
    /// How serious it is.
    public let severity: Severity
    /// Which input it points into.
    public let segment: Segment
    /// Byte offset into that input, where one applies.
    public let offset: Int?
    /// The reason in plain English, with the fix.
    public let message: String
    /// The exact `error_description` (or CIS2 message) the NHS endpoint returns for this problem, where known.
    public let endpointError: String?

    /// Creates a finding.
    public init(
        _ code: Code, _ severity: Severity, _ segment: Segment, offset: Int?, _ message: String,
        endpointError: String? = nil
    ) {
        self.code = code
        self.severity = severity
        self.segment = segment
        self.offset = offset
        self.message = message
        self.endpointError = endpointError
    }

    /// `error header.alg-not-allowed [header @10]: <message>`.
    public var description: String {
        "\(severity.rawValue) \(code.rawValue) [\(segment.rawValue)\(offset.map { " @\($0)" } ?? "")]: \(message)"
    }
}
