// SPDX-License-Identifier: Apache-2.0

import JWS

/// The recursive-descent reader that was `StrictJSON.Parser` before the scanner became the only grammar, kept as the
/// oracle the property tests compare `StrictJSON` against: same acceptance, same error code, same offset, and the
/// same value with the same member offsets.
///
/// It reads a `[UInt8]` with checked subscripts and shares no code with the scanner or the tree builder.
struct StrictJSONOracle {
    /// A value with the source offsets of every object member (compared, unlike `JSONObject.Member`'s `==`).
    indirect enum Value: Equatable, CustomStringConvertible {
        case null
        case bool(Bool)
        case number(String)
        case string(String)
        case array([Value])
        case object([Member])

        struct Member: Equatable {
            var name: String
            var value: Value
            var nameOffset: Int
            var valueOffset: Int
        }

        /// The value `StrictJSON` returned, in the oracle's terms.
        init(_ value: JSONValue) {
            switch value {
            case .null: self = .null
            case .bool(let b): self = .bool(b)
            case .number(let n): self = .number(n.text)
            case .string(let s): self = .string(s)
            case .array(let a): self = .array(a.map(Value.init))
            case .object(let o):
                self = .object(
                    o.members.map {
                        Member(
                            name: $0.name, value: Value($0.value), nameOffset: $0.nameOffset,
                            valueOffset: $0.valueOffset)
                    })
            }
        }

        var description: String {
            switch self {
            case .null: "null"
            case .bool(let b): "\(b)"
            case .number(let n): n
            case .string(let s): s.debugDescription
            case .array(let a): "[" + a.map(\.description).joined(separator: ",") + "]"
            case .object(let m):
                "{"
                    + m.map { "\($0.name.debugDescription)@\($0.nameOffset):\($0.value)@\($0.valueOffset)" }
                    .joined(separator: ",") + "}"
            }
        }
    }

    /// Parses one JSON text as `StrictJSON.parse` (or, with `keepingLastDuplicate`, as
    /// `StrictJSON.parseKeepingLastDuplicate`) must.
    static func parse(
        _ bytes: [UInt8], limits: StrictJSON.Limits = .default, keepingLastDuplicate: Bool = false
    )
        throws(JSONError) -> (value: Value, duplicates: [JSONError])
    {
        guard bytes.count <= limits.maxBytes else {
            throw JSONError(
                .tooLarge, offset: limits.maxBytes,
                reason: "JSON text is \(bytes.count) bytes; the limit is \(limits.maxBytes)")
        }
        var parser = StrictJSONOracle(bytes: bytes, limits: limits)
        if keepingLastDuplicate { parser.duplicates = [] }
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        guard parser.position == bytes.count else {
            throw JSONError(
                .invalid, offset: parser.position, reason: "unexpected \(parser.describeByte()) after the JSON value")
        }
        return (value, parser.duplicates ?? [])
    }

    let bytes: [UInt8]
    let limits: StrictJSON.Limits
    var position = 0
    /// When non-nil, repeated member names are recorded here (last value kept) instead of thrown.
    var duplicates: [JSONError]? = nil

    init(bytes: [UInt8], limits: StrictJSON.Limits) {
        self.bytes = bytes
        self.limits = limits
    }

    func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    func describeByte() -> String {
        guard let b = peek() else { return "end of input" }
        if b >= 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x" + String(b, radix: 16, uppercase: true)
    }

    mutating func skipWhitespace() {
        while let b = peek(), b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { position += 1 }
    }

    mutating func expect(_ literal: String, value: Value) throws(JSONError) -> Value {
        let start = position
        let utf8 = Array(literal.utf8)
        guard bytes.count - position >= utf8.count else {
            throw JSONError(.invalid, offset: start, reason: "truncated literal; expected '\(literal)'")
        }
        for i in 0..<utf8.count where bytes[position + i] != utf8[i] {
            throw JSONError(.invalid, offset: position + i, reason: "invalid literal; expected '\(literal)'")
        }
        position += utf8.count
        return value
    }

    mutating func parseValue(depth: Int) throws(JSONError) -> Value {
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

    mutating func parseObject(depth: Int) throws(JSONError) -> Value {
        guard depth <= limits.maxDepth else {
            throw JSONError(.tooDeep, offset: position, reason: "JSON nesting deeper than \(limits.maxDepth) levels")
        }
        position += 1
        var members: [Value.Member] = []
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            position += 1
            return .object(members)
        }
        while true {
            skipWhitespace()
            guard peek() == UInt8(ascii: "\"") else {
                throw JSONError(
                    .invalid, offset: position,
                    reason: "expected a member name in double quotes, found \(describeByte())")
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
                throw JSONError(
                    .invalid, offset: position, reason: "expected ':' after member name, found \(describeByte())")
            }
            position += 1
            skipWhitespace()
            let valueOffset = position
            let value = try parseValue(depth: depth)
            let member = Value.Member(name: name, value: value, nameOffset: nameOffset, valueOffset: valueOffset)
            if let earlier { members[earlier] = member } else { members.append(member) }
            skipWhitespace()
            switch peek() {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return .object(members)
            default:
                throw JSONError(
                    .invalid, offset: position, reason: "expected ',' or '}' in object, found \(describeByte())")
            }
        }
    }

    mutating func parseArray(depth: Int) throws(JSONError) -> Value {
        guard depth <= limits.maxDepth else {
            throw JSONError(.tooDeep, offset: position, reason: "JSON nesting deeper than \(limits.maxDepth) levels")
        }
        position += 1
        var elements: [Value] = []
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
                throw JSONError(
                    .invalid, offset: position, reason: "expected ',' or ']' in array, found \(describeByte())")
            }
        }
    }

    mutating func parseNumber() throws(JSONError) -> String {
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
            try requireDigit("after '.'")
            skipDigits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            position += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { position += 1 }
            try requireDigit("in exponent")
            skipDigits()
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    mutating func skipDigits() {
        while let b = peek(), b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") { position += 1 }
    }

    func requireDigit(_ context: String) throws(JSONError) {
        guard let b = peek(), b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else {
            throw JSONError(.invalid, offset: position, reason: "expected a digit \(context), found \(describeByte())")
        }
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
                    reason:
                        "control character 0x\(String(b, radix: 16, uppercase: true)) must be escaped inside a string")
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
                throw JSONError(
                    .invalid, offset: start,
                    reason: "lone low surrogate \\u\(String(high, radix: 16, uppercase: true)) is not a character")
            }
            if high >= 0xD800 && high <= 0xDBFF {
                guard bytes.count - position >= 6, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                else {
                    throw JSONError(
                        .invalid, offset: start,
                        reason:
                            "lone high surrogate \\u\(String(high, radix: 16, uppercase: true)) is not followed by a low surrogate"
                    )
                }
                let lowStart = position
                position += 2
                let low = try parseHex4(escapeStart: lowStart)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw JSONError(
                        .invalid, offset: lowStart,
                        reason:
                            "high surrogate is followed by \\u\(String(low, radix: 16, uppercase: true)), not a low surrogate"
                    )
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
        guard bytes.count - position >= 4 else {
            throw JSONError(.invalid, offset: escapeStart, reason: "truncated \\u escape")
        }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[position]
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
        let b0 = bytes[start]
        let length: Int
        var value: UInt32
        switch b0 {
        case 0xC2...0xDF:
            length = 2
            value = UInt32(b0 & 0x1F)
        case 0xE0...0xEF:
            length = 3
            value = UInt32(b0 & 0x0F)
        case 0xF0...0xF4:
            length = 4
            value = UInt32(b0 & 0x07)
        default:
            throw JSONError(
                .invalid, offset: start, reason: "invalid UTF-8 lead byte 0x\(String(b0, radix: 16, uppercase: true))")
        }
        guard bytes.count - start >= length else {
            throw JSONError(.invalid, offset: start, reason: "truncated UTF-8 sequence")
        }
        for i in 1..<length {
            let b = bytes[start + i]
            guard b & 0xC0 == 0x80 else {
                throw JSONError(
                    .invalid, offset: start + i,
                    reason: "invalid UTF-8 continuation byte 0x\(String(b, radix: 16, uppercase: true))")
            }
            value = value << 6 | UInt32(b & 0x3F)
        }
        let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value),
            let scalar = Unicode.Scalar(value)
        else {
            throw JSONError(
                .invalid, offset: start, reason: "invalid UTF-8 sequence (overlong, surrogate or out of range)")
        }
        position += length
        return scalar
    }
}
