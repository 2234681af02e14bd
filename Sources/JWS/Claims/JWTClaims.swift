// SPDX-License-Identifier: Apache-2.0

/// The registered JWT claims (RFC 7519 §4.1) plus any others, as read from or written to a payload.
///
/// Values of this type obtained from ``JWSVerifier`` have been signature-checked and validated; the type itself
/// makes no such promise, so never build one from an unverified token and treat it as trusted.
public struct JWTClaims: Sendable, Equatable {
    /// `iss`: the issuer.
    public var issuer: String?
    /// `sub`: the subject.
    public var subject: String?
    /// `aud`: the audiences (a single string in JSON is one element).
    public var audience: [String]?
    /// True when `aud` was (or should be written as) a JSON array rather than a single string.
    public var audienceIsArray: Bool
    /// `exp`: expiry time.
    public var expiresAt: NumericDate?
    /// `nbf`: not-before time.
    public var notBefore: NumericDate?
    /// `iat`: issued-at time.
    public var issuedAt: NumericDate?
    /// `jti`: the unique token identifier.
    public var id: String?
    /// Every other member, in source order.
    public var additional: [JSONObject.Member]

    /// Creates claims.
    public init(
        issuer: String? = nil, subject: String? = nil, audience: [String]? = nil, audienceIsArray: Bool = false,
        expiresAt: NumericDate? = nil, notBefore: NumericDate? = nil, issuedAt: NumericDate? = nil, id: String? = nil,
        additional: [JSONObject.Member] = []
    ) {
        self.issuer = issuer
        self.subject = subject
        self.audience = audience
        self.audienceIsArray = audienceIsArray
        self.expiresAt = expiresAt
        self.notBefore = notBefore
        self.issuedAt = issuedAt
        self.id = id
        self.additional = additional
    }

    /// Reads the registered claims from a payload object, checking their JSON types.
    ///
    /// - Parameters:
    ///   - object: The payload object.
    ///   - payloadStart: Token offset of the payload segment, for error offsets.
    /// - Throws: ``JWSError`` `claim.invalid` naming the claim and the type found (e.g. `exp` as a string, `aud` as
    ///   a number, a NumericDate that is not finite such as `1e400`).
    public init(object: JSONObject, payloadStart: Int? = nil) throws(JWSError) {
        self.init()
        func offset(_ m: JSONObject.Member) -> Int? {
            payloadStart.map { JWSCompactLayout.tokenOffset(ofDecodedByte: m.valueOffset, segmentStart: $0) }
        }
        func str(_ m: JSONObject.Member) throws(JWSError) -> String {
            guard case .string(let s) = m.value else {
                throw JWSError(
                    .claimInvalid, segment: .payload, offset: offset(m),
                    reason: "claim '\(m.name)' must be a string, found \(m.value.typeName)")
            }
            return s
        }
        func date(_ m: JSONObject.Member) throws(JWSError) -> NumericDate {
            guard case .number(let n) = m.value else {
                throw JWSError(
                    .claimInvalid, segment: .payload, offset: offset(m),
                    reason:
                        "claim '\(m.name)' must be a NumericDate (a JSON number of seconds), found \(m.value.typeName)")
            }
            guard let d = n.doubleValue else {
                throw JWSError(
                    .claimInvalid, segment: .payload, offset: offset(m),
                    reason: "claim '\(m.name)' value \(n.text) is not a finite number")
            }
            return NumericDate(d)
        }
        for m in object.members {
            switch m.name {
            case "iss": issuer = try str(m)
            case "sub": subject = try str(m)
            case "jti": id = try str(m)
            case "exp": expiresAt = try date(m)
            case "nbf": notBefore = try date(m)
            case "iat": issuedAt = try date(m)
            case "aud":
                switch m.value {
                case .string(let s):
                    audience = [s]
                    audienceIsArray = false
                case .array(let items):
                    var list: [String] = []
                    for item in items {
                        guard case .string(let s) = item else {
                            throw JWSError(
                                .claimInvalid, segment: .payload, offset: offset(m),
                                reason: "claim 'aud' array must hold strings, found \(item.typeName)")
                        }
                        list.append(s)
                    }
                    audience = list
                    audienceIsArray = true
                default:
                    throw JWSError(
                        .claimInvalid, segment: .payload, offset: offset(m),
                        reason: "claim 'aud' must be a string or an array of strings, found \(m.value.typeName)")
                }
            default: additional.append(m)
            }
        }
    }

    /// Writes the claims as compact JSON (registered claims first, in the order iss, sub, aud, exp, nbf, iat, jti).
    ///
    /// - Parameter writer: The destination.
    /// - Allocation: none.
    public func write(to writer: inout JSONByteWriter) {
        writer.beginObject()
        if let issuer {
            writer.key("iss")
            writer.string(issuer)
        }
        if let subject {
            writer.key("sub")
            writer.string(subject)
        }
        if let audience {
            writer.key("aud")
            if audience.count == 1 && !audienceIsArray {
                writer.string(audience[0])
            } else {
                writer.beginArray()
                for a in audience { writer.string(a) }
                writer.endArray()
            }
        }
        func date(_ name: String, _ d: NumericDate?, _ w: inout JSONByteWriter) {
            guard let d else { return }
            w.key(name)
            if d.isIntegral {
                w.integer(d.seconds)
            } else {
                w.number(JSONNumber(validatedText: String(d.secondsSinceEpoch)))
            }
        }
        date("exp", expiresAt, &writer)
        date("nbf", notBefore, &writer)
        date("iat", issuedAt, &writer)
        if let id {
            writer.key("jti")
            writer.string(id)
        }
        for m in additional {
            writer.key(m.name)
            writer.value(m.value)
        }
        writer.endObject()
    }
}
