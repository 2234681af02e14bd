// SPDX-License-Identifier: Apache-2.0

/// Why base64url input was rejected, or why an output buffer could not take the result, and exactly where.
///
/// Every error carries a ``code`` (match on it), the ``offset`` of the first offending input byte (absolute across all
/// chunks when streaming), the offending ``byte`` and, for non-ASCII input, the Unicode ``scalar`` that starts there.
/// ``reason`` is one line a person understands; ``description`` prints
/// `Base64URLError.<code> @<offset>: <reason>`.
///
/// Two errors are equal when their ``code`` is equal, as with every Signet error (`JWSError`, `SignetKeyError`, …):
/// compare on the code, and read ``offset`` where the position matters.
///
/// Allocation: none to create or throw; ``reason`` and ``description`` build a `String` each time they are read.
public struct Base64URLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// An open set of error codes (compare with `==`; new codes may be added without breaking `switch`-free clients).
    ///
    /// Allocation: none (the raw values are string literals).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable, machine-readable identifier, e.g. `"base64url.invalid-character"`.
        ///
        /// Allocation: none.
        public let rawValue: String

        /// Internal: the set of codes is closed (other modules read codes, never invent them).
        init(rawValue: String) { self.rawValue = rawValue }

        /// A byte outside `A-Z a-z 0-9 - _` other than `=`: standard-base64 `+` `/`, whitespace (including CR and
        /// LF), control bytes, other ASCII punctuation, or any non-ASCII byte (see ``Base64URLError/scalar``).
        ///
        /// Allocation: none.
        public static let invalidCharacter = Code(rawValue: "base64url.invalid-character")
        /// A `=` padding character; unpadded base64url (RFC 7515 §2) never contains one.
        ///
        /// Allocation: none.
        public static let padding = Code(rawValue: "base64url.padding")
        /// The last character of a 2- or 3-character final group has non-zero unused low bits, so a second string
        /// would decode to the same bytes. The offset is that of the last character.
        ///
        /// Allocation: none.
        public static let nonCanonical = Code(rawValue: "base64url.non-canonical")
        /// The number of characters is `4k + 1` (or negative), which no byte string encodes to. The offset is the
        /// length.
        ///
        /// Allocation: none.
        public static let invalidLength = Code(rawValue: "base64url.invalid-length")
        /// The output buffer is smaller than the result; nothing was written or consumed. The offset is where the
        /// input of the failed call starts (for a streaming `finish`, the stream length).
        ///
        /// Allocation: none.
        public static let outputTooSmall = Code(rawValue: "base64url.output-too-small")

        /// The stable identifier (``rawValue``), as every Signet error code prints.
        ///
        /// Allocation: none.
        public var description: String { rawValue }
    }

    /// What went wrong.
    ///
    /// Allocation: none.
    public let code: Code
    /// The byte offset in the input (absolute across streamed chunks) of the first offending byte; for
    /// ``Code/invalidLength`` the input length, for ``Code/outputTooSmall`` the offset where the call's input starts.
    ///
    /// Allocation: none.
    public let offset: Int
    /// The offending byte, if the error is about one byte.
    ///
    /// Allocation: none.
    public let byte: UInt8?
    /// For a non-ASCII ``byte``: the Unicode scalar whose UTF-8 encoding starts at ``offset`` (e.g. U+2013 EN DASH),
    /// if the following bytes form one. When streaming, `nil` if the scalar continues in a later chunk.
    ///
    /// Allocation: none.
    public let scalar: Unicode.Scalar?
    /// For ``Code/outputTooSmall``: the number of output bytes the call needed.
    ///
    /// Allocation: none.
    public let neededOutputCount: Int?
    /// For ``Code/outputTooSmall``: the number of output bytes that were available.
    ///
    /// Allocation: none.
    public let availableOutputCount: Int?

    /// Always `nil`: Base64URL depends on nothing, so it never wraps another error. Present so that every Signet
    /// error has the same shape.
    public var underlying: (any Error)? { nil }

    /// Creates an error, typically the expected value in a test (equality compares only `code`).
    ///
    /// - Parameters:
    ///   - code: what went wrong.
    ///   - offset: the input byte offset.
    ///   - byte: the offending byte, if any.
    ///   - scalar: the non-ASCII scalar starting at `offset`, if any.
    ///
    /// Allocation: none.
    public init(code: Code, offset: Int, byte: UInt8? = nil, scalar: Unicode.Scalar? = nil) {
        self.init(code: code, offset: offset, byte: byte, scalar: scalar, needed: nil, available: nil)
    }

    /// For ``Code/nonCanonical``: how many low bits of the last character are unused (4 or 2), else 0.
    let unusedBitCount: Int

    init(
        code: Code, offset: Int, byte: UInt8?, scalar: Unicode.Scalar?, needed: Int?, available: Int?,
        unusedBitCount: Int = 0
    ) {
        self.code = code
        self.offset = offset
        self.byte = byte
        self.scalar = scalar
        self.neededOutputCount = needed
        self.availableOutputCount = available
        self.unusedBitCount = unusedBitCount
    }

    /// Compares ``code`` only (see the type's documentation).
    ///
    /// Allocation: none.
    public static func == (lhs: Base64URLError, rhs: Base64URLError) -> Bool { lhs.code == rhs.code }

    /// Hashes ``code`` only, matching `==`.
    ///
    /// Allocation: none.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// `Base64URLError.<code> @<offset>: <reason>`, e.g.
    /// `Base64URLError.base64url.padding @2: byte 0x3D '=' at offset 2 is padding; …`, the shape of every Signet
    /// error's description.
    ///
    /// Allocation: builds a new string on each read.
    public var description: String { "Base64URLError.\(code.rawValue) @\(offset): \(reason)" }

    /// One line a person understands: which byte, where, why it is not base64url, and the likely cause.
    ///
    /// Allocation: builds a new string on each read.
    public var reason: String {
        switch code {
        case .outputTooSmall:
            let needed = neededOutputCount.map(String.init) ?? "more"
            let available = availableOutputCount.map(String.init) ?? "fewer"
            return "output has room for \(available) bytes but \(needed) are needed for the input starting at "
                + "offset \(offset); nothing was written"
        case .invalidLength:
            if offset < 0 { return "negative character count \(offset)" }
            return "\(offset) characters: a base64url length of 4k+1 is never valid "
                + "(a lone final character carries 6 of a byte's 8 bits)"
        case .nonCanonical:
            guard let byte else { return "non-zero unused bits in the final group at offset \(offset)" }
            var text = "character \(Self.show(byte)) at offset \(offset) sets unused low bits of the final group"
            if let canonical = Self.canonicalReplacement(for: byte, unusedBitCount: unusedBitCount) {
                text += "; the canonical encoding has \(Self.show(canonical)) there"
            }
            return text + " (strict decoding rejects it so each byte string has exactly one encoding)"
        case .padding:
            return "byte 0x3D '=' at offset \(offset) is padding; unpadded base64url (RFC 7515 §2) must not "
                + "contain '='"
        case .invalidCharacter:
            return invalidCharacterReason
        default:
            return "base64url error at offset \(offset)"
        }
    }

    static let allowed = "base64url allows only A-Z a-z 0-9 - _"

    private var invalidCharacterReason: String {
        guard let byte else { return "invalid character at offset \(offset); \(Self.allowed)" }
        let hex = Self.hex(byte)
        switch byte {
        case UInt8(ascii: "+"):
            return "byte 0x2B '+' at offset \(offset) is standard base64, not base64url (which uses '-' for '+'); "
                + Self.allowed
        case UInt8(ascii: "/"):
            return "byte 0x2F '/' at offset \(offset) is standard base64, not base64url (which uses '_' for '/'); "
                + Self.allowed
        case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20:
            let name =
                switch byte {
                case 0x09: "tab"
                case 0x0A: "line feed, LF"
                case 0x0B: "vertical tab"
                case 0x0C: "form feed"
                case 0x0D: "carriage return, CR"
                default: "space"
                }
            return "byte \(hex) (\(name)) at offset \(offset) is whitespace; base64url allows no whitespace or "
                + "line breaks, only A-Z a-z 0-9 - _"
        case 0x00..<0x20, 0x7F:
            return "byte \(hex) at offset \(offset) is an ASCII control character; \(Self.allowed)"
        case 0x21..<0x7F:
            return "byte \(hex) \(Self.show(byte)) at offset \(offset) is not in the alphabet; \(Self.allowed)"
        default:
            guard let scalar else {
                return "byte \(hex) at offset \(offset) is not ASCII (and no complete UTF-8 character starts there "
                    + "in the input at hand); \(Self.allowed)"
            }
            var text = "byte \(hex) at offset \(offset) starts \(Self.describe(scalar))"
            if let hint = Self.lookAlikeHint(scalar) {
                text += ", \(hint)"
            } else {
                text += ", a non-ASCII character"
            }
            return text + "; \(Self.allowed)"
        }
    }

    /// `U+2013 EN DASH`.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        var hex = String(scalar.value, radix: 16, uppercase: true)
        while hex.utf8.count < 4 { hex = "0" + hex }
        if let name = scalar.properties.name ?? scalar.properties.nameAlias {
            return "U+\(hex) \(name)"
        }
        return "U+\(hex)"
    }

    /// Names the common characters that editors, chat tools and web pages substitute into tokens.
    static func lookAlikeHint(_ scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x2010...0x2015, 0x2212, 0xFE58, 0xFE63, 0xFF0D:
            "a non-ASCII look-alike of '-' (editors often turn '-' or '--' into a dash)"
        case 0x00AD:
            "an invisible soft hyphen"
        case 0x00A0, 0x2000...0x200A, 0x202F, 0x205F, 0x3000:
            "a non-ASCII space (whitespace look-alike)"
        case 0x200B...0x200D, 0x2060, 0xFEFF:
            "an invisible zero-width character (often added by copy and paste)"
        case 0x2018...0x201F, 0x2032, 0x2033:
            "a smart quote (quotes are not part of a token)"
        case 0x2028, 0x2029, 0x0085:
            "a Unicode line break"
        case 0x2017, 0xFF3F:
            "a non-ASCII look-alike of '_'"
        case 0x2026:
            "an ellipsis (the token may have been shortened for display)"
        default:
            nil
        }
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(
            decoding: [UInt8(ascii: "0"), UInt8(ascii: "x"), digits[Int(byte >> 4)], digits[Int(byte & 15)]],
            as: UTF8.self)
    }

    /// `'R'` for a printable ASCII byte, else its hex form.
    static func show(_ byte: UInt8) -> String {
        if byte > 0x20 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return hex(byte)
    }

    /// The character a strict encoder would have written instead of `byte` in the final position: the same value
    /// with its `unusedBitCount` low bits cleared; `nil` if `byte` is not in the alphabet or the count is unknown.
    static func canonicalReplacement(for byte: UInt8, unusedBitCount: Int) -> UInt8? {
        let value = Base64URLTables.value(of: byte)
        guard value < 64, unusedBitCount == 2 || unusedBitCount == 4 else { return nil }
        let mask: UInt8 = unusedBitCount == 4 ? 0x30 : 0x3C
        return Base64URLTables.alphabet(value & mask)
    }
}

// MARK: - Factories (cold paths)

extension Base64URLError {
    @usableFromInline @inline(never)
    static func outputTooSmall(offset: Int, needed: Int, available: Int) -> Base64URLError {
        Base64URLError(
            code: .outputTooSmall, offset: offset, byte: nil, scalar: nil, needed: needed,
            available: available)
    }

    @usableFromInline @inline(never)
    static func invalidLength(count: Int) -> Base64URLError {
        Base64URLError(code: .invalidLength, offset: count)
    }

    @usableFromInline @inline(never)
    static func nonCanonical(offset: Int, byte: UInt8, unusedBitCount: Int) -> Base64URLError {
        Base64URLError(
            code: .nonCanonical, offset: offset, byte: byte, scalar: nil, needed: nil, available: nil,
            unusedBitCount: unusedBitCount)
    }

    /// The error for the byte at `index` of `input`, which must not be in the alphabet. `absoluteBase` is the stream
    /// offset of `input[0]`. For a non-ASCII byte, the scalar is decoded from the bytes of `input` that follow.
    @usableFromInline @inline(never)
    static func invalidByte(in input: UnsafeRawBufferPointer, at index: Int, absoluteBase: Int) -> Base64URLError {
        let byte = unsafe input[index]
        let offset = absoluteBase + index
        if byte == UInt8(ascii: "=") { return Base64URLError(code: .padding, offset: offset, byte: byte) }
        var scalar: Unicode.Scalar? = nil
        if byte >= 0x80 { scalar = unsafe Self.scalar(in: input, at: index) }
        return Base64URLError(code: .invalidCharacter, offset: offset, byte: byte, scalar: scalar)
    }

    /// Error for a single byte with no following context (used for bytes carried between streamed chunks).
    static func invalidByte(_ byte: UInt8, offset: Int) -> Base64URLError {
        if byte == UInt8(ascii: "=") { return Base64URLError(code: .padding, offset: offset, byte: byte) }
        return Base64URLError(code: .invalidCharacter, offset: offset, byte: byte, scalar: nil)
    }

    /// Decodes one well-formed UTF-8 scalar starting at `index`, or `nil` (RFC 3629 rules: no overlongs, no
    /// surrogates, nothing above U+10FFFF, no truncated sequences).
    static func scalar(in input: UnsafeRawBufferPointer, at index: Int) -> Unicode.Scalar? {
        let lead = unsafe input[index]
        let length: Int
        var value: UInt32
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF:
            length = 2
            value = UInt32(lead & 0x1F)
        case 0xE0:
            length = 3
            value = 0
            low = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF:
            length = 3
            value = UInt32(lead & 0x0F)
        case 0xED:
            length = 3
            value = 0x0D
            high = 0x9F
        case 0xF0:
            length = 4
            value = 0
            low = 0x90
        case 0xF1...0xF3:
            length = 4
            value = UInt32(lead & 0x07)
        case 0xF4:
            length = 4
            value = 4
            high = 0x8F
        default: return nil
        }
        guard input.count - index >= length else { return nil }
        for k in 1..<length {
            let c = unsafe input[index + k]
            guard c >= low && c <= high else { return nil }
            low = 0x80
            high = 0xBF
            value = value << 6 | UInt32(c & 0x3F)
        }
        return Unicode.Scalar(value)
    }
}
