// SPDX-License-Identifier: Apache-2.0

/// A JSON value read by ``StrictJSON``, with the byte offset of every value and member name in its source.
public enum JSONValue: Sendable, Equatable, CustomStringConvertible {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, kept as its exact source text.
    case number(JSONNumber)
    /// A string (escapes resolved; always valid Unicode).
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, members in source order (names are unique: ``StrictJSON`` rejects duplicates).
    case object(JSONObject)

    /// The string, if this is a string.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    /// The number, if this is a number.
    public var numberValue: JSONNumber? { if case .number(let n) = self { n } else { nil } }
    /// The object, if this is an object.
    public var objectValue: JSONObject? { if case .object(let o) = self { o } else { nil } }
    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }

    /// The JSON type's name, for messages ("string", "number", …).
    public var typeName: String { kind.typeName }

    /// The value's kind, as the scanner names it.
    var kind: JSONKind {
        switch self {
        case .null: .null
        case .bool: .bool
        case .number: .number
        case .string: .string
        case .array: .array
        case .object: .object
        }
    }

    /// Compact JSON text of the value (names and strings escaped minimally, numbers as in the source).
    public var description: String {
        var w = JSONTextWriter()
        w.write(self)
        return w.text
    }
}

/// A JSON number as written in the source (RFC 8259 §6), with exact conversions.
public struct JSONNumber: Sendable, Equatable, CustomStringConvertible {
    /// The exact source text, e.g. `1300819380`, `1.5e3`, `-0`.
    public let text: String

    /// Wraps number text that ``StrictJSON`` has validated.
    init(validatedText: String) { self.text = validatedText }

    /// Creates a number from an integer.
    public init(_ value: Int64) { self.text = String(value) }

    /// True when the text has no fraction and no exponent.
    public var isInteger: Bool { !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) }

    /// The value as `Int64` when the text is an integer that fits.
    public var int64Value: Int64? { isInteger ? Int64(text) : nil }

    /// The value as a finite `Double`, or `nil` when it overflows (e.g. `1e400`).
    public var doubleValue: Double? {
        guard let d = Double(text), d.isFinite else { return nil }
        return d
    }

    /// The source text.
    public var description: String { text }
}

/// A JSON object: members in source order, with their byte offsets.
public struct JSONObject: Sendable, Equatable {
    /// One member.
    public struct Member: Sendable, Equatable {
        /// The name (escapes resolved).
        public let name: String
        /// The value.
        public let value: JSONValue
        /// Byte offset of the name's opening quote in the source.
        public let nameOffset: Int
        /// Byte offset of the value's first byte in the source.
        public let valueOffset: Int

        /// Compares name and value; the source offsets are not part of a member's value.
        public static func == (a: Member, b: Member) -> Bool { a.name == b.name && a.value == b.value }

        /// Creates a member (offsets are 0 for values that were not read from text).
        public init(name: String, value: JSONValue, nameOffset: Int = 0, valueOffset: Int = 0) {
            self.name = name
            self.value = value
            self.nameOffset = nameOffset
            self.valueOffset = valueOffset
        }
    }

    /// The members in source order.
    public let members: [Member]

    /// Creates an object from members (names must be unique).
    public init(members: [Member]) { self.members = members }

    /// The value of member `name`, if present.
    public subscript(name: String) -> JSONValue? { members.first { $0.name == name }?.value }

    /// The member named `name`, if present.
    public func member(_ name: String) -> Member? { members.first { $0.name == name } }
}

/// Writes compact JSON text as UTF-8 bytes: runs of bytes that need no escape are copied whole (a string's UTF-8 is
/// valid, so multi-byte characters pass through unchanged).
struct JSONTextWriter {
    var bytes: [UInt8] = []

    var text: String { String(decoding: bytes, as: UTF8.self) }

    mutating func write(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let b): append(b ? "true" : "false")
        case .number(let n): append(n.text)
        case .string(let s): writeString(s)
        case .array(let a):
            bytes.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                write(v)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let o):
            bytes.append(UInt8(ascii: "{"))
            for (i, m) in o.members.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(m.name)
                bytes.append(UInt8(ascii: ":"))
                write(m.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private mutating func append(_ s: String) { bytes.append(contentsOf: s.utf8) }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    mutating func writeString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        let utf8 = s.utf8
        var run = utf8.startIndex
        var i = run
        while i != utf8.endIndex {
            let byte = utf8[i]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else {
                i = utf8.index(after: i)
                continue
            }
            bytes.append(contentsOf: utf8[run..<i])
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            default:
                bytes.append(contentsOf: "u00".utf8)
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0xF)])
            }
            i = utf8.index(after: i)
            run = i
        }
        bytes.append(contentsOf: utf8[run..<i])
        bytes.append(UInt8(ascii: "\""))
    }
}
