// SPDX-License-Identifier: Apache-2.0

import SignetKeys

/// The claims of a JWT that ``JWSVerifier/verify(_:scratch:)`` accepted, read in place from the caller's scratch
/// span: numeric dates as values, string claims as ``JSONStringView``s over the verified payload bytes.
///
/// A view exists only for a token whose signature verified and whose claims passed the policy; nothing of an
/// unverified payload is ever reachable through it. It is `~Escapable` and lifetime-bound to the scratch span it was
/// decoded into, so the compiler rejects any use after that memory is released or written again.
@safe public struct VerifiedClaimsView: ~Escapable {
    /// The pointer form, which the policy check read. `@safe`: its pointers lie inside ``payload``, whose lifetime
    /// this view carries.
    let refs: VerifiedClaimsRefs

    /// The verified payload: strict JSON, a single object, at the start of the scratch span.
    public let payload: RawSpan

    @_lifetime(copy payload)
    init(_ refs: VerifiedClaimsRefs, payload: RawSpan) {
        unsafe self.refs = refs
        self.payload = payload
    }

    /// The algorithm that verified.
    public var algorithm: JWSAlgorithm { unsafe refs.algorithm }
    /// The `kid` of the key that verified, if it has one (the key's own string; no copy).
    public var keyID: String? { unsafe refs.keyID }
    /// `exp`.
    public var expiresAt: NumericDate? { unsafe refs.expiresAt }
    /// `nbf`.
    public var notBefore: NumericDate? { unsafe refs.notBefore }
    /// `iat`.
    public var issuedAt: NumericDate? { unsafe refs.issuedAt }

    /// `iss`.
    public var issuer: JSONStringView? {
        @_lifetime(copy self) get {
            guard let ref = unsafe refs.issuer else { return nil }
            return JSONStringView(payload: payload, token: unsafe ref.token)
        }
    }

    /// `sub`.
    public var subject: JSONStringView? {
        @_lifetime(copy self) get {
            guard let ref = unsafe refs.subject else { return nil }
            return JSONStringView(payload: payload, token: unsafe ref.token)
        }
    }

    /// `jti`.
    public var id: JSONStringView? {
        @_lifetime(copy self) get {
            guard let ref = unsafe refs.id else { return nil }
            return JSONStringView(payload: payload, token: unsafe ref.token)
        }
    }

    /// `aud`.
    public var audience: JWTAudienceView? {
        @_lifetime(copy self) get {
            guard let ref = unsafe refs.audience else { return nil }
            return JWTAudienceView(
                payload: payload, valueOffset: unsafe ref.valueOffset, end: unsafe ref.end, single: unsafe ref.single)
        }
    }

    /// The JSON text of the payload member `name` (compared like Swift `String`s, so escapes in the payload's
    /// member names are resolved), or `nil` when there is none.
    ///
    /// - Allocation: none for ASCII names.
    @_lifetime(copy self)
    public func rawValue(ofClaim name: String) -> RawSpan? {
        guard let range = unsafe refs.rangeOfValue(ofClaim: name) else { return nil }
        return payload.extracting(range)
    }
}
