// SPDX-License-Identifier: Apache-2.0

/// What a verified JWT's claims must satisfy.
public struct JWTValidationPolicy: Sendable {
    /// Required exact `iss` (simple string comparison, RFC 7519 §7.3), or `nil` to accept any.
    public var issuer: String?
    /// Required exact `sub`, or `nil`.
    public var subject: String?
    /// An audience that `aud` must contain exactly (no URL normalisation: `https://h/` ≠ `https://h:443/`), or `nil`.
    public var audience: String?
    /// Whether `exp` must be present (default `true`).
    public var requireExpiration: Bool
    /// Whether `jti` must be present.
    public var requireID: Bool
    /// Tolerated clock skew in seconds for `exp`, `nbf` and `iat`.
    public var leeway: Double
    /// When set, `exp` may be at most this many seconds after "now" (APIM allows 300 s plus 10 s grace).
    public var maximumLifetime: Double?
    /// When set, the header `typ` must equal this, ignoring case and an `application/` prefix (RFC 7515 §4.1.9).
    public var expectedType: String?
    /// Source of "now".
    public var clock: JWTClock

    /// Creates a policy.
    public init(
        issuer: String? = nil, subject: String? = nil, audience: String? = nil, requireExpiration: Bool = true,
        requireID: Bool = false, leeway: Double = 0, maximumLifetime: Double? = nil, expectedType: String? = nil,
        clock: JWTClock = .system
    ) {
        self.issuer = issuer
        self.subject = subject
        self.audience = audience
        self.requireExpiration = requireExpiration
        self.requireID = requireID
        self.leeway = leeway
        self.maximumLifetime = maximumLifetime
        self.expectedType = expectedType
        self.clock = clock
    }

    /// Checks `claims` against the policy.
    ///
    /// - Throws: ``JWSError`` `claim.missing`, `claim.exp-expired`, `claim.nbf-future`, `claim.iat-future`,
    ///   `claim.exp-too-far`, `claim.aud-mismatch`, `claim.iss-mismatch`, `claim.sub-mismatch`.
    public func validate(_ claims: JWTClaims) throws(JWSError) {
        try check(claims)
    }

    /// The rules, in order, for any claims representation (``JWTClaims`` on the DOM path, the zero-allocation
    /// ``VerifiedClaimsView`` on the verify hot path), so that both reach the same verdict with the same error.
    ///
    /// - Allocation: none unless it throws (the error's text) or a string comparison involves non-ASCII text (see
    ///   ``JSONStringView/equals(_:)``).
    func check<Claims: JWTPolicyClaims>(_ claims: Claims) throws(JWSError) {
        let now = clock.now()
        if let exp = claims.expiresAt {
            // RFC 7519 §4.1.4: valid only while now is before exp (plus the leeway); at exp it has expired.
            if now.secondsSinceEpoch >= exp.secondsSinceEpoch + leeway {
                throw JWSError(
                    .expired, segment: .payload,
                    reason:
                        "exp \(exp) is not after now \(now) (leeway \(NumericDate(leeway.rounded(.towardZero))) s): the token has expired"
                )
            }
            if let maximumLifetime, exp.secondsSinceEpoch - now.secondsSinceEpoch > maximumLifetime + leeway {
                throw JWSError(
                    .lifetimeTooLong, segment: .payload,
                    reason:
                        "exp \(exp) is \(NumericDate((exp.secondsSinceEpoch - now.secondsSinceEpoch).rounded(.towardZero))) s ahead; at most \(NumericDate(maximumLifetime.rounded(.towardZero))) s is allowed"
                )
            }
        } else if requireExpiration {
            throw JWSError(.claimMissing, segment: .payload, reason: "claim 'exp' is required")
        }
        if let nbf = claims.notBefore, now.secondsSinceEpoch + leeway < nbf.secondsSinceEpoch {
            throw JWSError(
                .notYetValid, segment: .payload, reason: "nbf \(nbf) is after now \(now): the token is not valid yet")
        }
        if let iat = claims.issuedAt, now.secondsSinceEpoch + leeway < iat.secondsSinceEpoch {
            throw JWSError(
                .issuedInFuture, segment: .payload, reason: "iat \(iat) is after now \(now): check the issuer's clock")
        }
        if requireID, !claims.hasID {
            throw JWSError(.claimMissing, segment: .payload, reason: "claim 'jti' is required")
        }
        if let issuer {
            guard let matches = claims.issuerEquals(issuer) else {
                throw JWSError(
                    .claimMissing, segment: .payload, reason: "claim 'iss' is required (expected \"\(issuer)\")")
            }
            guard matches else {
                throw JWSError(
                    .issuerMismatch, segment: .payload, reason: "iss \"\(claims.issuerText)\" is not \"\(issuer)\"")
            }
        }
        if let subject {
            guard let matches = claims.subjectEquals(subject) else {
                throw JWSError(
                    .claimMissing, segment: .payload, reason: "claim 'sub' is required (expected \"\(subject)\")")
            }
            guard matches else {
                throw JWSError(
                    .subjectMismatch, segment: .payload, reason: "sub \"\(claims.subjectText)\" is not \"\(subject)\"")
            }
        }
        if let audience {
            guard let contains = claims.audienceContains(audience) else {
                throw JWSError(
                    .claimMissing, segment: .payload, reason: "claim 'aud' is required (expected \"\(audience)\")")
            }
            guard contains else {
                throw JWSError(
                    .audienceMismatch, segment: .payload,
                    reason:
                        "aud \(claims.audienceTexts.map { "\"\($0)\"" }.joined(separator: ", ")) does not contain \"\(audience)\" (compared byte for byte)"
                )
            }
        }
    }
}

/// What ``JWTValidationPolicy`` reads from claims. String comparisons have Swift `String` equality.
protocol JWTPolicyClaims {
    var expiresAt: NumericDate? { get }
    var notBefore: NumericDate? { get }
    var issuedAt: NumericDate? { get }
    /// Whether `jti` is present.
    var hasID: Bool { get }
    /// `nil` when `iss` is absent, else whether it equals `issuer`.
    func issuerEquals(_ issuer: String) -> Bool?
    /// `nil` when `sub` is absent, else whether it equals `subject`.
    func subjectEquals(_ subject: String) -> Bool?
    /// `nil` when `aud` is absent, else whether it contains `audience`.
    func audienceContains(_ audience: String) -> Bool?
    /// `iss` for messages.
    var issuerText: String { get }
    /// `sub` for messages.
    var subjectText: String { get }
    /// `aud` for messages.
    var audienceTexts: [String] { get }
}

extension JWTClaims: JWTPolicyClaims {
    var hasID: Bool { id != nil }
    func issuerEquals(_ issuer: String) -> Bool? { self.issuer.map { $0 == issuer } }
    func subjectEquals(_ subject: String) -> Bool? { self.subject.map { $0 == subject } }
    func audienceContains(_ audience: String) -> Bool? { self.audience.map { $0.contains(audience) } }
    var issuerText: String { issuer ?? "" }
    var subjectText: String { subject ?? "" }
    var audienceTexts: [String] { audience ?? [] }
}
