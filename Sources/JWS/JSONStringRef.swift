// SPDX-License-Identifier: Apache-2.0

/// The pointer form of ``JSONStringView`` that the verifier's policy check and ``JWTAudienceRef`` use: a JSON string
/// in a buffer, not decoded. Valid only while the buffer it points into is alive and unmodified.
@unsafe struct JSONStringRef {
    let base: UnsafeRawPointer
    let token: JSONStringToken

    init(base: UnsafeRawPointer, token: JSONStringToken) {
        unsafe self.base = base
        unsafe self.token = token
    }

    /// The JSON text between the quotes, escapes still in place.
    var escapedBytes: UnsafeRawBufferPointer {
        unsafe UnsafeRawBufferPointer(start: base + token.start, count: token.rawCount)
    }

    /// Whether the text holds backslash escapes (when it does not, ``escapedBytes`` is the string's UTF-8).
    var isEscaped: Bool { unsafe token.isEscaped }

    /// The UTF-8 length of the decoded string.
    var utf8Count: Int { unsafe token.decodedCount }

    /// Whether the decoded string equals `other` under Swift `String` equality .
    ///
    /// - Allocation: none when the two hold the same Unicode scalars or are both ASCII; otherwise canonical
    ///   equivalence is decided with a Swift `String` (heap-allocated above 15 UTF-8 bytes).
    func equals(_ other: String) -> Bool {
        unsafe JSONStringComparison.equal(token, in: base, to: other)
    }

    /// Whether the decoded string's UTF-8 is exactly `utf8` (no canonical equivalence).
    ///
    /// - Allocation: none.
    func equalsUTF8(_ utf8: UnsafeRawBufferPointer) -> Bool {
        unsafe JSONStringComparison.equalScalars(token, in: base, toUTF8: utf8)
    }

    /// The decoded string.
    ///
    /// - Allocation: allocates above 15 UTF-8 bytes.
    var string: String { unsafe JSONStringComparison.string(token, in: base) }
}
