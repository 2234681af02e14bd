// SPDX-License-Identifier: Apache-2.0

/// A string token in JSON text that the scanner has validated: the content bytes between the quotes (escapes still
/// in place), the length of its UTF-8 once escapes are resolved, and two facts that decide how it compares.
struct JSONStringToken {
    /// Offset of the first content byte (just after the opening quote).
    var start: Int
    /// Offset of the closing quote.
    var end: Int
    /// UTF-8 byte count after resolving escapes.
    var decodedCount: Int
    /// ``escaped`` and/or ``nonASCII``.
    var flags: UInt8

    /// The content holds at least one backslash escape.
    static let escaped: UInt8 = 1
    /// The decoded string holds a scalar above U+007F (only then can Swift's canonical equivalence matter).
    static let nonASCII: UInt8 = 2

    var isEscaped: Bool { flags & Self.escaped != 0 }
    var isASCII: Bool { flags & Self.nonASCII == 0 }
    var rawCount: Int { end - start }
}
