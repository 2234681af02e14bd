// SPDX-License-Identifier: Apache-2.0

/// The pointer form of ``JWTAudienceView`` that the verifier's policy check uses: the `aud` claim in a verified
/// payload. Valid only while the buffer it points into is alive and unmodified.
@unsafe struct JWTAudienceRef: @unsafe Sequence {
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
    var isArray: Bool { unsafe single == nil }

    /// Whether one of the audiences equals `audience` (Swift `String` equality).
    ///
    func contains(_ audience: String) -> Bool {
        // swift-format-ignore
        for unsafe item in unsafe self where unsafe item.equals(audience) { return true }
        return false
    }

    /// The number of audiences.
    var count: Int {
        var n = 0
        // swift-format-ignore
        for unsafe _ in unsafe self { n += 1 }
        return n
    }

    /// The audiences as strings.
    ///
    /// - Allocation: allocates.
    var strings: [String] { unsafe map { unsafe $0.string } }

    /// Iterates the audiences in order.
    func makeIterator() -> Iterator {
        unsafe Iterator(cursor: ValidatedJSONCursor(base: base, count: end, position: valueOffset), single: single)
    }

    /// Iterates the audiences in order.
    @unsafe struct Iterator: @unsafe IteratorProtocol {
        var cursor: ValidatedJSONCursor
        var single: JSONStringToken?
        var done = false

        init(cursor: ValidatedJSONCursor, single: JSONStringToken?) {
            unsafe self.cursor = cursor
            unsafe self.single = single
            if single == nil { unsafe self.cursor.position += 1 }  // '['
        }

        /// The next audience.
        mutating func next() -> JSONStringRef? {
            guard unsafe !done else { return nil }
            if let token = unsafe single {
                unsafe done = true
                return unsafe JSONStringRef(base: cursor.base, token: token)
            }
            unsafe cursor.skipWhitespace()
            guard unsafe cursor.byte(cursor.position) == UInt8(ascii: "\"") else {
                unsafe done = true
                return nil
            }
            let token = unsafe cursor.string()
            unsafe cursor.skipWhitespace()
            if unsafe cursor.byte(cursor.position) == UInt8(ascii: ",") { unsafe cursor.position += 1 }
            return unsafe JSONStringRef(base: cursor.base, token: token)
        }
    }
}
