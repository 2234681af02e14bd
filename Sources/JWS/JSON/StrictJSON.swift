// SPDX-License-Identifier: Apache-2.0

/// A strict RFC 8259 JSON reader for JOSE headers, JWT claims and JWK sets.
///
/// It accepts exactly one JSON text and rejects everything RFC 8259 does not define or leaves to implementations:
/// duplicate member names (RFC 7515 §4 and RFC 7519 §4 require rejection or last-wins; Signet rejects), invalid
/// UTF-8, lone surrogates in `\u` escapes, control characters in strings, leading zeros, trailing commas, comments,
/// and any byte after the value except whitespace. Nesting depth and input size are bounded.
public enum StrictJSON {
    /// Bounds that protect against hostile input.
    public struct Limits: Sendable, Equatable {
        /// Maximum nesting depth of arrays and objects.
        public var maxDepth: Int
        /// Maximum input size in bytes.
        public var maxBytes: Int
        /// Creates limits.
        public init(maxDepth: Int = 32, maxBytes: Int = 64 * 1024) {
            self.maxDepth = maxDepth
            self.maxBytes = maxBytes
        }
        /// 32 levels, 64 KiB.
        public static let `default` = Limits()
    }

    /// Parses one JSON text.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 JSON text.
    ///   - limits: Depth and size bounds.
    /// - Returns: The value, with source offsets on object members.
    /// - Throws: ``JSONError`` `json.invalid`, `json.duplicate-member`, `json.too-deep`, `json.too-large`, with the
    ///   byte offset of the problem.
    /// - Allocation: allocates the value tree.
    public static func parse(_ bytes: UnsafeRawBufferPointer, limits: Limits = .default) throws(JSONError) -> JSONValue {
        guard bytes.count <= limits.maxBytes else {
            throw JSONError(.tooLarge, offset: limits.maxBytes, reason: "JSON text is \(bytes.count) bytes; the limit is \(limits.maxBytes)")
        }
        var parser = unsafe Parser(bytes: bytes, limits: limits)
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else {
            throw JSONError(.invalid, offset: parser.position, reason: "unexpected \(parser.describeByte()) after the JSON value")
        }
        return value
    }

    /// Parses one JSON text from an array.
    ///
    /// - Throws: as ``parse(_:limits:)-(UnsafeRawBufferPointer,_)``.
    /// - Allocation: allocates the value tree.
    public static func parse(_ bytes: [UInt8], limits: Limits = .default) throws(JSONError) -> JSONValue {
        try unsafe bytes.span.withUnsafeBytes { (b) throws(JSONError) -> JSONValue in try unsafe parse(b, limits: limits) }
    }

    /// Parses one JSON text from a string.
    ///
    /// - Throws: as ``parse(_:limits:)-(UnsafeRawBufferPointer,_)``.
    /// - Allocation: allocates the value tree.
    public static func parse(_ text: String, limits: Limits = .default) throws(JSONError) -> JSONValue {
        try parse(Array(text.utf8), limits: limits)
    }

    /// Parses one JSON text like ``parse(_:limits:)-([UInt8],_)`` but, instead of rejecting a repeated member
    /// name, records it and keeps the **last** value (ECMAScript `JSON.parse` semantics, which RFC 7515 §4 and
    /// RFC 7519 §4 also allow). For diagnostics only (the doctor): a verifier must use the rejecting parser.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 JSON text.
    ///   - limits: Depth and size bounds.
    /// - Returns: The value (member names unique, last value kept, in the position of the first occurrence) and one
    ///   `json.duplicate-member` error per repeated name, at the byte offset of the repeat.
    /// - Throws: ``JSONError`` `json.invalid`, `json.too-deep`, `json.too-large`.
    /// - Allocation: allocates the value tree.
    public static func parseKeepingLastDuplicate(_ bytes: [UInt8], limits: Limits = .default)
        throws(JSONError) -> (value: JSONValue, duplicates: [JSONError])
    {
        guard bytes.count <= limits.maxBytes else {
            throw JSONError(.tooLarge, offset: limits.maxBytes, reason: "JSON text is \(bytes.count) bytes; the limit is \(limits.maxBytes)")
        }
        return try unsafe bytes.span.withUnsafeBytes { (b) throws(JSONError) -> (value: JSONValue, duplicates: [JSONError]) in
            var parser = unsafe Parser(bytes: b, limits: limits)
            parser.duplicates = []
            parser.skipWhitespace()
            let value = try parser.parseValue(depth: 0)
            parser.skipWhitespace()
            guard parser.position == b.count else {
                throw JSONError(.invalid, offset: parser.position, reason: "unexpected \(parser.describeByte()) after the JSON value")
            }
            return (value, parser.duplicates ?? [])
        }
    }

    @safe struct Parser {
        let bytes: UnsafeRawBufferPointer
        let limits: Limits
        var position = 0
        /// When non-nil, repeated member names are recorded here (last value kept) instead of thrown.
        var duplicates: [JSONError]? = nil

        init(bytes: UnsafeRawBufferPointer, limits: Limits) {
            unsafe self.bytes = bytes
            self.limits = limits
        }

        var atEnd: Bool { unsafe position >= bytes.count }
        func peek() -> UInt8? { unsafe position < bytes.count ? bytes[position] : nil }

        func describeByte() -> String {
            guard let b = peek() else { return "end of input" }
            if b >= 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
            return "byte 0x" + String(b, radix: 16, uppercase: true)
        }

        mutating func skipWhitespace() {
            while let b = peek(), b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { position += 1 }
        }

        mutating func expect(_ literal: StaticString, value: JSONValue) throws(JSONError) -> JSONValue {
            let start = position
            let count = literal.utf8CodeUnitCount
            guard unsafe bytes.count - position >= count else {
                throw JSONError(.invalid, offset: start, reason: "truncated literal; expected '\(literal)'")
            }
            for i in 0..<count where unsafe (bytes[position + i] != literal.utf8Start[i]) {
                throw JSONError(.invalid, offset: position + i, reason: "invalid literal; expected '\(literal)'")
            }
            position += count
            return value
        }

        mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
            guard let b = peek() else {
                throw JSONError(.invalid, offset: position, reason: "expected a JSON value, found end of input")
            }
            switch b {
            case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
            case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "t"): return try expect("true", value: .bool(true))
            case UInt8(ascii: "f"): return try expect("false", value: .bool(false))
            case UInt8(ascii: "n"): return try expect("null", value: .null)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
            default:
                throw JSONError(.invalid, offset: position, reason: "expected a JSON value, found \(describeByte())")
            }
        }

        mutating func parseObject(depth: Int) throws(JSONError) -> JSONValue {
            guard depth <= limits.maxDepth else {
                throw JSONError(.tooDeep, offset: position, reason: "JSON nesting deeper than \(limits.maxDepth) levels")
            }
            position += 1
            var members: [JSONObject.Member] = []
            skipWhitespace()
            if peek() == UInt8(ascii: "}") {
                position += 1
                return .object(JSONObject(members: members))
            }
            while true {
                skipWhitespace()
                guard peek() == UInt8(ascii: "\"") else {
                    throw JSONError(.invalid, offset: position, reason: "expected a member name in double quotes, found \(describeByte())")
                }
                let nameOffset = position
                let name = try parseString()
                let earlier = members.firstIndex(where: { $0.name == name })
                if earlier != nil {
                    let error = JSONError(
                        .duplicateMember, offset: nameOffset,
                        reason: "member name \"\(name)\" appears more than once in the same object")
                    guard duplicates != nil else { throw error }
                    duplicates?.append(error)
                }
                skipWhitespace()
                guard peek() == UInt8(ascii: ":") else {
                    throw JSONError(.invalid, offset: position, reason: "expected ':' after member name, found \(describeByte())")
                }
                position += 1
                skipWhitespace()
                let valueOffset = position
                let value = try parseValue(depth: depth)
                let member = JSONObject.Member(name: name, value: value, nameOffset: nameOffset, valueOffset: valueOffset)
                if let earlier { members[earlier] = member } else { members.append(member) }
                skipWhitespace()
                switch peek() {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "}"):
                    position += 1
                    return .object(JSONObject(members: members))
                default:
                    throw JSONError(.invalid, offset: position, reason: "expected ',' or '}' in object, found \(describeByte())")
                }
            }
        }

        mutating func parseArray(depth: Int) throws(JSONError) -> JSONValue {
            guard depth <= limits.maxDepth else {
                throw JSONError(.tooDeep, offset: position, reason: "JSON nesting deeper than \(limits.maxDepth) levels")
            }
            position += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if peek() == UInt8(ascii: "]") {
                position += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                elements.append(try parseValue(depth: depth))
                skipWhitespace()
                switch peek() {
                case UInt8(ascii: ","): position += 1
                case UInt8(ascii: "]"):
                    position += 1
                    return .array(elements)
                default:
                    throw JSONError(.invalid, offset: position, reason: "expected ',' or ']' in array, found \(describeByte())")
                }
            }
        }

        mutating func parseNumber() throws(JSONError) -> JSONNumber {
            let start = position
            if peek() == UInt8(ascii: "-") { position += 1 }
            guard let first = peek(), first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") else {
                throw JSONError(.invalid, offset: position, reason: "expected a digit in number, found \(describeByte())")
            }
            position += 1
            if first == UInt8(ascii: "0"), let next = peek(), next >= UInt8(ascii: "0"), next <= UInt8(ascii: "9") {
                throw JSONError(.invalid, offset: start, reason: "numbers may not have leading zeros")
            }
            skipDigits()
            if peek() == UInt8(ascii: ".") {
                position += 1
                guard try requireDigit("after '.'") else { return JSONNumber(validatedText: "") }
                skipDigits()
            }
            if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
                position += 1
                if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
                guard try requireDigit("in exponent") else { return JSONNumber(validatedText: "") }
                skipDigits()
            }
            let text = unsafe String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            return JSONNumber(validatedText: text)
        }

        mutating func skipDigits() {
            while let b = peek(), b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") { position += 1 }
        }

        func requireDigit(_ context: String) throws(JSONError) -> Bool {
            guard let b = peek(), b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else {
                throw JSONError(.invalid, offset: position, reason: "expected a digit \(context), found \(describeByte())")
            }
            return true
        }

        /// Parses a string starting at the opening quote.
        mutating func parseString() throws(JSONError) -> String {
            let open = position
            position += 1
            var scalars = String.UnicodeScalarView()
            while true {
                guard let b = peek() else {
                    throw JSONError(.invalid, offset: open, reason: "unterminated string")
                }
                switch b {
                case UInt8(ascii: "\""):
                    position += 1
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    scalars.append(try parseEscape())
                case 0..<0x20:
                    throw JSONError(
                        .invalid, offset: position,
                        reason: "control character 0x\(String(b, radix: 16, uppercase: true)) must be escaped inside a string")
                case 0..<0x80:
                    scalars.append(Unicode.Scalar(b))
                    position += 1
                default:
                    scalars.append(try parseUTF8Scalar())
                }
            }
        }

        mutating func parseEscape() throws(JSONError) -> Unicode.Scalar {
            let start = position
            position += 1
            guard let e = peek() else { throw JSONError(.invalid, offset: start, reason: "unterminated escape") }
            position += 1
            switch e {
            case UInt8(ascii: "\""): return "\""
            case UInt8(ascii: "\\"): return "\\"
            case UInt8(ascii: "/"): return "/"
            case UInt8(ascii: "b"): return "\u{08}"
            case UInt8(ascii: "f"): return "\u{0C}"
            case UInt8(ascii: "n"): return "\n"
            case UInt8(ascii: "r"): return "\r"
            case UInt8(ascii: "t"): return "\t"
            case UInt8(ascii: "u"):
                let high = try parseHex4(escapeStart: start)
                if high >= 0xDC00 && high <= 0xDFFF {
                    throw JSONError(.invalid, offset: start, reason: "lone low surrogate \\u\(String(high, radix: 16, uppercase: true)) is not a character")
                }
                if high >= 0xD800 && high <= 0xDBFF {
                    guard unsafe bytes.count - position >= 6, unsafe bytes[position] == UInt8(ascii: "\\"),
                        unsafe bytes[position + 1] == UInt8(ascii: "u")
                    else {
                        throw JSONError(.invalid, offset: start, reason: "lone high surrogate \\u\(String(high, radix: 16, uppercase: true)) is not followed by a low surrogate")
                    }
                    let lowStart = position
                    position += 2
                    let low = try parseHex4(escapeStart: lowStart)
                    guard low >= 0xDC00 && low <= 0xDFFF else {
                        throw JSONError(.invalid, offset: lowStart, reason: "high surrogate is followed by \\u\(String(low, radix: 16, uppercase: true)), not a low surrogate")
                    }
                    let value = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                    guard let scalar = Unicode.Scalar(value) else {
                        throw JSONError(.invalid, offset: start, reason: "invalid surrogate pair")
                    }
                    return scalar
                }
                guard let scalar = Unicode.Scalar(high) else {
                    throw JSONError(.invalid, offset: start, reason: "invalid \\u escape")
                }
                return scalar
            default:
                throw JSONError(.invalid, offset: start, reason: "invalid escape '\\\(Character(Unicode.Scalar(e)))'")
            }
        }

        mutating func parseHex4(escapeStart: Int) throws(JSONError) -> UInt32 {
            guard unsafe bytes.count - position >= 4 else {
                throw JSONError(.invalid, offset: escapeStart, reason: "truncated \\u escape")
            }
            var v: UInt32 = 0
            for _ in 0..<4 {
                let c = unsafe bytes[position]
                let d: UInt32
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
                default: throw JSONError(.invalid, offset: position, reason: "\\u escape needs 4 hex digits")
                }
                v = v << 4 | d
                position += 1
            }
            return v
        }

        /// Decodes one multi-byte UTF-8 scalar (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
        mutating func parseUTF8Scalar() throws(JSONError) -> Unicode.Scalar {
            let start = position
            let b0 = unsafe bytes[start]
            let length: Int
            var value: UInt32
            switch b0 {
            case 0xC2...0xDF: length = 2; value = UInt32(b0 & 0x1F)
            case 0xE0...0xEF: length = 3; value = UInt32(b0 & 0x0F)
            case 0xF0...0xF4: length = 4; value = UInt32(b0 & 0x07)
            default: throw JSONError(.invalid, offset: start, reason: "invalid UTF-8 lead byte 0x\(String(b0, radix: 16, uppercase: true))")
            }
            guard unsafe bytes.count - start >= length else {
                throw JSONError(.invalid, offset: start, reason: "truncated UTF-8 sequence")
            }
            for i in 1..<length {
                let b = unsafe bytes[start + i]
                guard b & 0xC0 == 0x80 else {
                    throw JSONError(.invalid, offset: start + i, reason: "invalid UTF-8 continuation byte 0x\(String(b, radix: 16, uppercase: true))")
                }
                value = value << 6 | UInt32(b & 0x3F)
            }
            let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
            guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value),
                let scalar = Unicode.Scalar(value)
            else {
                throw JSONError(.invalid, offset: start, reason: "invalid UTF-8 sequence (overlong, surrogate or out of range)")
            }
            position += length
            return scalar
        }
    }
}

/// Why JSON text was rejected.
///
/// Equality compares ``code`` only.
public struct JSONError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable error codes.
    public struct Code: Hashable, Sendable, RawRepresentable, CustomStringConvertible {
        /// The stable spelling.
        public let rawValue: String
        /// Creates a code.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The stable spelling.
        public var description: String { rawValue }
        /// Not valid RFC 8259 JSON.
        public static let invalid = Code(rawValue: "json.invalid")
        /// A member name repeats within one object.
        public static let duplicateMember = Code(rawValue: "json.duplicate-member")
        /// Nesting exceeds the depth limit.
        public static let tooDeep = Code(rawValue: "json.too-deep")
        /// Input exceeds the size limit.
        public static let tooLarge = Code(rawValue: "json.too-large")
    }

    /// The stable code.
    public let code: Code
    /// Byte offset in the JSON text.
    public let offset: Int
    /// One line a person understands.
    public let reason: String

    /// Creates an error.
    public init(_ code: Code, offset: Int, reason: String) {
        self.code = code
        self.offset = offset
        self.reason = reason
    }

    /// `JSONError.<code> @<offset>: <reason>`.
    public var description: String { "JSONError.\(code.rawValue) @\(offset): \(reason)" }
    /// Compares codes only.
    public static func == (a: Self, b: Self) -> Bool { a.code == b.code }
    /// Hashes the code only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
