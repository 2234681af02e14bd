// SPDX-License-Identifier: Apache-2.0
import SignetRSA

/// The claims of a JWT that ``JWSVerifier/verify(_:scratch:)`` accepted, read in place from the caller's scratch
/// buffer: numeric dates as values, string claims as ``JSONStringView``s over the verified payload bytes.
///
/// A view exists only for a token whose signature verified and whose claims passed the policy; nothing of an
/// unverified payload is ever reachable through it. It borrows the scratch buffer: it is valid only while that memory
/// is alive and unmodified, which the compiler cannot check (hence `@unsafe`).
@unsafe public struct VerifiedClaimsView {
    /// The algorithm that verified.
    public let algorithm: RSASignatureAlgorithm
    /// The `kid` of the key that verified, if it has one (the key's own string; no copy).
    public let keyID: String?
    /// The verified payload: strict JSON, a single object, at the start of the scratch buffer.
    public let payload: UnsafeRawBufferPointer
    /// `exp`.
    public let expiresAt: NumericDate?
    /// `nbf`.
    public let notBefore: NumericDate?
    /// `iat`.
    public let issuedAt: NumericDate?
    /// `iss`.
    public let issuer: JSONStringView?
    /// `sub`.
    public let subject: JSONStringView?
    /// `jti`.
    public let id: JSONStringView?
    /// `aud`.
    public let audience: JWTAudienceView?

    /// The JSON text of the payload member `name` (compared like Swift `String`s, so escapes in the payload's
    /// member names are resolved), or `nil` when there is none.
    ///
    /// - Allocation: none for ASCII names.
    public func rawValue(ofClaim name: String) -> UnsafeRawBufferPointer? {
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
                return unsafe UnsafeRawBufferPointer(rebasing: payload[start..<cursor.position])
            }
            cursor.skipWhitespace()
            cursor.position += 1  // ',' or '}'
            cursor.skipWhitespace()
        }
        return nil
    }
}

extension VerifiedClaimsView: @unsafe JWTPolicyClaims {
    var hasID: Bool { unsafe id != nil }
    func issuerEquals(_ issuer: String) -> Bool? { unsafe self.issuer.map { unsafe $0.equals(issuer) } }
    func subjectEquals(_ subject: String) -> Bool? { unsafe self.subject.map { unsafe $0.equals(subject) } }
    func audienceContains(_ audience: String) -> Bool? { unsafe self.audience.map { unsafe $0.contains(audience) } }
    var issuerText: String { unsafe issuer?.string ?? "" }
    var subjectText: String { unsafe subject?.string ?? "" }
    var audienceTexts: [String] { unsafe audience?.strings ?? [] }
}
