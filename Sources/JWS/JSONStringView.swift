// SPDX-License-Identifier: Apache-2.0

/// A JSON string in a verified payload, not decoded: its text between the quotes, and comparisons that resolve
/// escapes.
///
/// `~Escapable`: it borrows the payload span it was read from, so the compiler keeps it from outliving the scratch
/// buffer that ``JWSVerifier/verify(_:scratch:)`` decoded into.
public struct JSONStringView: ~Escapable {
    /// The whole payload the string sits in (token offsets count from its start).
    let payload: RawSpan
    let token: JSONStringToken

    @_lifetime(copy payload)
    init(payload: RawSpan, token: JSONStringToken) {
        self.payload = payload
        self.token = token
    }

    /// Runs `body` on the pointer form, over the same bytes.
    func withRef<R>(_ body: (JSONStringRef) -> R) -> R {
        unsafe payload.withUnsafeBytes { buffer in
            // A string token lies inside a non-empty payload.
            guard let base = buffer.baseAddress else { preconditionFailure("a JSON string in an empty payload") }
            return unsafe body(JSONStringRef(base: base, token: token))
        }
    }

    /// The JSON text between the quotes, escapes still in place.
    public var escapedBytes: RawSpan {
        @_lifetime(copy self) get { payload.extracting(token.start..<(token.start + token.rawCount)) }
    }

    /// Whether the text holds backslash escapes (when it does not, ``escapedBytes`` is the string's UTF-8).
    public var isEscaped: Bool { token.isEscaped }

    /// The UTF-8 length of the decoded string.
    public var utf8Count: Int { token.decodedCount }

    /// Whether the decoded string equals `other` under Swift `String` equality (what ``JWTValidationPolicy`` uses).
    ///
    /// - Allocation: none when the two hold the same Unicode scalars or are both ASCII; otherwise canonical
    ///   equivalence is decided with a Swift `String` (heap-allocated above 15 UTF-8 bytes).
    public func equals(_ other: String) -> Bool {
        unsafe withRef { unsafe $0.equals(other) }
    }

    /// Whether the decoded string's UTF-8 is exactly `utf8` (no canonical equivalence).
    ///
    /// - Allocation: none.
    public func equalsUTF8(_ utf8: RawSpan) -> Bool {
        unsafe utf8.withUnsafeBytes { bytes in unsafe withRef { unsafe $0.equalsUTF8(bytes) } }
    }

    /// The decoded string.
    ///
    /// - Allocation: allocates above 15 UTF-8 bytes.
    public var string: String { unsafe withRef { unsafe $0.string } }

    /// The decoded string (as ``string``).
    public var description: String { string }
}
