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

/// A JSON string in a buffer, not decoded: its text between the quotes, and comparisons that resolve escapes.
///
/// Valid only while the buffer it points into is alive and unmodified.
@unsafe public struct JSONStringView: CustomStringConvertible {
    let base: UnsafeRawPointer
    let token: JSONStringToken

    init(base: UnsafeRawPointer, token: JSONStringToken) {
        unsafe self.base = base
        unsafe self.token = token
    }

    /// The JSON text between the quotes, escapes still in place.
    public var escapedBytes: UnsafeRawBufferPointer {
        unsafe UnsafeRawBufferPointer(start: base + token.start, count: token.rawCount)
    }

    /// Whether the text holds backslash escapes (when it does not, ``escapedBytes`` is the string's UTF-8).
    public var isEscaped: Bool { unsafe token.isEscaped }

    /// The UTF-8 length of the decoded string.
    public var utf8Count: Int { unsafe token.decodedCount }

    /// Whether the decoded string equals `other` under Swift `String` equality (what ``JWTValidationPolicy`` uses).
    ///
    /// - Allocation: none when the two hold the same Unicode scalars or are both ASCII; otherwise canonical
    ///   equivalence is decided with a Swift `String` (heap-allocated above 15 UTF-8 bytes).
    public func equals(_ other: String) -> Bool {
        unsafe JSONStringComparison.equal(token, in: base, to: other)
    }

    /// Whether the decoded string's UTF-8 is exactly `utf8` (no canonical equivalence).
    ///
    /// - Allocation: none.
    public func equalsUTF8(_ utf8: UnsafeRawBufferPointer) -> Bool {
        unsafe JSONStringComparison.equalScalars(token, in: base, toUTF8: utf8)
    }

    /// The decoded string.
    ///
    /// - Allocation: allocates above 15 UTF-8 bytes.
    public var string: String { unsafe JSONStringComparison.string(token, in: base) }

    /// The decoded string.
    public var description: String { unsafe string }
}

/// The `aud` claim in a verified payload: one string, or an array of strings.
///
/// Valid only while the buffer it points into is alive and unmodified.
@unsafe public struct JWTAudienceView: @unsafe Sequence {
    let base: UnsafeRawPointer
    /// Offset of the value's first byte (`"` or `[`).
    let valueOffset: Int
    /// Offset just after the value.
    let end: Int
    /// The token when `aud` is a single string (already scanned).
    let single: JSONStringToken?

    init(base: UnsafeRawPointer, valueOffset: Int, end: Int, single: JSONStringToken?) {
        unsafe self.base = base
        unsafe self.valueOffset = valueOffset
        unsafe self.end = end
        unsafe self.single = single
    }

    /// Whether `aud` is a JSON array (a single string is one audience).
    public var isArray: Bool { unsafe single == nil }

    /// Whether one of the audiences equals `audience` (Swift `String` equality, as ``JSONStringView/equals(_:)``).
    ///
    /// - Allocation: as ``JSONStringView/equals(_:)``.
    public func contains(_ audience: String) -> Bool {
        for unsafe item in unsafe self where unsafe item.equals(audience) { return true }
        return false
    }

    /// The number of audiences.
    public var count: Int {
        var n = 0
        for unsafe _ in unsafe self { n += 1 }
        return n
    }

    /// The audiences as strings.
    ///
    /// - Allocation: allocates.
    public var strings: [String] { unsafe map { unsafe $0.string } }

    /// Iterates the audiences in order.
    public func makeIterator() -> Iterator {
        unsafe Iterator(cursor: ValidatedJSONCursor(base: base, count: end, position: valueOffset), single: single)
    }

    /// Iterates the audiences in order.
    @unsafe public struct Iterator: @unsafe IteratorProtocol {
        var cursor: ValidatedJSONCursor
        var single: JSONStringToken?
        var done = false

        init(cursor: ValidatedJSONCursor, single: JSONStringToken?) {
            unsafe self.cursor = cursor
            unsafe self.single = single
            if single == nil { unsafe self.cursor.position += 1 }  // '['
        }

        /// The next audience.
        public mutating func next() -> JSONStringView? {
            guard unsafe !done else { return nil }
            if let token = unsafe single {
                unsafe done = true
                return unsafe JSONStringView(base: cursor.base, token: token)
            }
            unsafe cursor.skipWhitespace()
            guard unsafe cursor.byte(cursor.position) == UInt8(ascii: "\"") else {
                unsafe done = true
                return nil
            }
            let token = unsafe cursor.string()
            unsafe cursor.skipWhitespace()
            if unsafe cursor.byte(cursor.position) == UInt8(ascii: ",") { unsafe cursor.position += 1 }
            return unsafe JSONStringView(base: cursor.base, token: token)
        }
    }
}
