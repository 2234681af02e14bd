// SPDX-License-Identifier: Apache-2.0

import SignetKeys

/// The pointer form of ``VerifiedClaimsView`` that the policy check reads: the verified claims in place in the
/// scratch buffer. Valid only while that memory is alive and unmodified, which the compiler cannot check (hence
/// `@unsafe`); ``VerifiedClaimsView`` wraps it with a lifetime bound to the scratch span.
@unsafe struct VerifiedClaimsRefs {
    /// The algorithm that verified.
    let algorithm: JWSAlgorithm
    /// The `kid` of the key that verified, if it has one (the key's own string; no copy).
    let keyID: String?
    /// The verified payload: strict JSON, a single object, at the start of the scratch buffer.
    let payload: UnsafeRawBufferPointer
    /// `exp`.
    let expiresAt: NumericDate?
    /// `nbf`.
    let notBefore: NumericDate?
    /// `iat`.
    let issuedAt: NumericDate?
    /// `iss`.
    let issuer: JSONStringRef?
    /// `sub`.
    let subject: JSONStringRef?
    /// `jti`.
    let id: JSONStringRef?
    /// `aud`.
    let audience: JWTAudienceRef?

    /// Where the JSON text of the payload member `name` is in ``payload`` (member names compared like Swift
    /// `String`s, so escapes are resolved), or `nil` when there is none.
    ///
    /// - Allocation: none for ASCII names.
    func rangeOfValue(ofClaim name: String) -> Range<Int>? {
        guard let base = unsafe payload.baseAddress else { return nil }
        var cursor = unsafe ValidatedJSONCursor(base: base, count: payload.count, position: 0)
        cursor.skipWhitespace()
        cursor.position += 1  // '{'
        cursor.skipWhitespace()
        while unsafe (cursor.position < payload.count && cursor.byte(cursor.position) == UInt8(ascii: "\"")) {
            let member = cursor.string()
            cursor.skipWhitespace()
            cursor.position += 1  // ':'
            cursor.skipWhitespace()
            let start = cursor.position
            cursor.skipValue()
            if unsafe JSONStringComparison.equal(member, in: base, to: name) {
                return start..<cursor.position
            }
            cursor.skipWhitespace()
            cursor.position += 1  // ',' or '}'
            cursor.skipWhitespace()
        }
        return nil
    }
}

extension VerifiedClaimsRefs: @unsafe JWTPolicyClaims {
    var hasID: Bool { unsafe id != nil }
    func issuerEquals(_ issuer: String) -> Bool? { unsafe self.issuer.map { unsafe $0.equals(issuer) } }
    func subjectEquals(_ subject: String) -> Bool? { unsafe self.subject.map { unsafe $0.equals(subject) } }
    func audienceContains(_ audience: String) -> Bool? { unsafe self.audience.map { unsafe $0.contains(audience) } }
    var issuerText: String { unsafe issuer?.string ?? "" }
    var subjectText: String { unsafe subject?.string ?? "" }
    var audienceTexts: [String] { unsafe audience?.strings ?? [] }
}
