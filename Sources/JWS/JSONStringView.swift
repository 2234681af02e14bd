// SPDX-License-Identifier: Apache-2.0

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
