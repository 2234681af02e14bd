// SPDX-License-Identifier: Apache-2.0

/// A token-request body read as `application/x-www-form-urlencoded`, each field with its byte offsets in the body.
///
/// The strict reader (``init(parsing:maximumFieldCount:)``) rejects: a `%` not followed by two hex digits, a decoded name or value
/// that is not UTF-8, an empty field (`&&`, or a leading or trailing `&`), a field with no `=`, an empty name, raw
/// bytes that must be percent-encoded (controls, space, non-ASCII), and a repeated name (RFC 6749 §3.2: "Request and
/// response parameters MUST NOT be included more than once"). `+` decodes to a space, as HTML forms define; raw
/// printable ASCII such as `:` in `urn:ietf:…` is accepted because every server does.
///
/// Reading is linear in the body's length, and stops after ``defaultMaximumFieldCount`` fields (or the count the
/// caller gives): a token request has a handful, and a body of thousands of tiny fields is an attack, not a request.
public struct ParsedForm: Sendable, Equatable {
    /// The most fields read by default: far more than any token request sends (RFC 6749 and RFC 8693 define fewer
    /// than twenty parameters).
    public static let defaultMaximumFieldCount = 64

    /// One field.
    public struct Field: Sendable, Equatable {
        /// The decoded name.
        public let name: String
        /// The decoded value.
        public let value: String
        /// Byte offset of the name in the body.
        public let nameOffset: Int
        /// Byte offset of the (encoded) value in the body.
        public let valueOffset: Int
        /// Length in bytes of the encoded value in the body.
        public let encodedValueLength: Int
    }

    /// The fields in body order (for a leniently read body: the first of any repeated name).
    public let fields: [Field]
    /// What the lenient reader found wrong (empty for a body accepted by ``init(parsing:maximumFieldCount:)``).
    public let problems: [FormParseError]

    /// Reads `body` strictly.
    ///
    /// - Parameters:
    ///   - body: The request body.
    ///   - maximumFieldCount: The most fields read; one more is `form.too-many-fields`.
    /// - Throws: ``FormParseError`` for the first problem, with its byte offset.
    /// - Allocation: allocates the fields.
    public init(
        parsing body: String, maximumFieldCount: Int = ParsedForm.defaultMaximumFieldCount
    ) throws(FormParseError) {
        let lenient = ParsedForm.parseLeniently(body, maximumFieldCount: maximumFieldCount)
        if let first = lenient.problems.first { throw first }
        self = lenient
    }

    private init(fields: [Field], problems: [FormParseError]) {
        self.fields = fields
        self.problems = problems
    }

    /// Reads `body`, collecting every problem and keeping a best-effort reading: a bad escape stays literal,
    /// invalid UTF-8 becomes U+FFFD, a field with no `=` has an empty value, empty fields are skipped, and of a
    /// repeated name the first is kept. At most ``defaultMaximumFieldCount`` fields are read.
    ///
    /// - Allocation: allocates the fields.
    public static func parseLeniently(_ body: String) -> ParsedForm {
        parseLeniently(body, maximumFieldCount: defaultMaximumFieldCount)
    }

    /// ``parseLeniently(_:)`` with a limit: reading stops at the field after the `maximumFieldCount`-th, which is
    /// reported as `form.too-many-fields`.
    ///
    /// Linear in the body's length: each byte is looked at a bounded number of times, and a repeated name is found
    /// by a hash lookup.
    ///
    /// - Allocation: allocates the fields.
    public static func parseLeniently(_ body: String, maximumFieldCount: Int) -> ParsedForm {
        let bytes = Array(body.utf8)
        var fields: [Field] = []
        var firstOffsets: [String: Int] = [:]
        var problems: [FormParseError] = []
        var start = 0
        var count = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.count
            defer { start = end + 1 }
            if start != end {
                count += 1
                if count > maximumFieldCount {
                    problems.append(
                        FormParseError(
                            .tooManyFields, offset: start,
                            reason:
                                "the form has more than \(maximumFieldCount) fields; a token request sends a handful"))
                    break
                }
            }
            if start == end {
                if !(bytes.isEmpty && start == 0) {
                    problems.append(
                        FormParseError(
                            .emptyField, offset: start, reason: "empty field (a doubled, leading or trailing '&')"))
                }
                continue
            }
            let eq = bytes[start..<end].firstIndex(of: UInt8(ascii: "="))
            let nameEnd = eq ?? end
            if eq == nil {
                problems.append(
                    FormParseError(.missingEquals, offset: start, reason: "field has no '=' between name and value"))
            }
            let name = decode(bytes, start..<nameEnd, &problems)
            if name.isEmpty {
                problems.append(FormParseError(.emptyName, offset: start, reason: "field has an empty name"))
            }
            let valueStart = eq.map { $0 + 1 } ?? end
            let value = decode(bytes, valueStart..<end, &problems)
            if let first = firstOffsets[name] {
                problems.append(
                    FormParseError(
                        .duplicateField, offset: start,
                        reason:
                            "field '\(name)' appears again (first at offset \(first)); a token request must send each parameter once (RFC 6749 §3.2)"
                    ))
                continue
            }
            firstOffsets[name] = start
            fields.append(
                Field(
                    name: name, value: value, nameOffset: start, valueOffset: valueStart,
                    encodedValueLength: end - valueStart))
        }
        return ParsedForm(fields: fields, problems: problems)
    }

    /// Percent-decodes `bytes[range]` (`+` is a space), reporting problems with body offsets.
    private static func decode(_ bytes: [UInt8], _ range: Range<Int>, _ problems: inout [FormParseError]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var i = range.lowerBound
        while i < range.upperBound {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "%"):
                if i + 2 < range.upperBound, let hi = hexValue(bytes[i + 1]), let lo = hexValue(bytes[i + 2]) {
                    out.append(hi << 4 | lo)
                    i += 3
                    continue
                }
                problems.append(
                    FormParseError(.invalidEscape, offset: i, reason: "'%' is not followed by two hex digits"))
                out.append(b)
            case UInt8(ascii: "+"):
                out.append(UInt8(ascii: " "))
            case 0..<0x21, 0x7F...:
                problems.append(
                    FormParseError(
                        .invalidCharacter, offset: i,
                        reason: "byte 0x\(String(b, radix: 16, uppercase: true)) must be percent-encoded in a form body"
                    ))
                out.append(b)
            default:
                out.append(b)
            }
            i += 1
        }
        if let text = String(validating: out, as: UTF8.self) { return text }
        problems.append(FormParseError(.invalidUTF8, offset: range.lowerBound, reason: "the decoded text is not UTF-8"))
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// The field named `name`, if present.
    public subscript(name: String) -> Field? { fields.first { $0.name == name } }

    /// The fields as a ``TokenRequestForm`` (same order).
    public var form: TokenRequestForm { TokenRequestForm(fields: fields.map { .init($0.name, $0.value) }) }
}

/// Why a form body was rejected.
///
/// Equality compares ``code`` only.
public struct FormParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable spelling.
        public let rawValue: String
        /// Internal: the set of codes is closed (other modules read codes, never invent them).
        init(rawValue: String) { self.rawValue = rawValue }
        /// The stable spelling.
        public var description: String { rawValue }
        /// `%` not followed by two hex digits.
        public static let invalidEscape = Code(rawValue: "form.invalid-escape")
        /// A byte that must be percent-encoded appears raw.
        public static let invalidCharacter = Code(rawValue: "form.invalid-character")
        /// A decoded name or value is not UTF-8.
        public static let invalidUTF8 = Code(rawValue: "form.invalid-utf8")
        /// `&&`, or a leading or trailing `&`.
        public static let emptyField = Code(rawValue: "form.empty-field")
        /// A field without `=`.
        public static let missingEquals = Code(rawValue: "form.missing-equals")
        /// A field with an empty name.
        public static let emptyName = Code(rawValue: "form.empty-name")
        /// A name sent twice.
        public static let duplicateField = Code(rawValue: "form.duplicate-field")
        /// More fields than the reader accepts (``ParsedForm/defaultMaximumFieldCount`` by default).
        public static let tooManyFields = Code(rawValue: "form.too-many-fields")
    }

    /// The stable code.
    public let code: Code
    /// Byte offset in the body.
    public let offset: Int
    /// One line a person understands.
    public let reason: String

    /// Always `nil`: the form grammar wraps no other error. Present so that every Signet error has the same shape.
    public var underlying: (any Error)? { nil }

    /// Creates an error.
    public init(_ code: Code, offset: Int, reason: String) {
        self.code = code
        self.offset = offset
        self.reason = reason
    }

    /// `FormParseError.<code> @<offset>: <reason>`.
    public var description: String { "FormParseError.\(code.rawValue) @\(offset): \(reason)" }
    /// Compares codes only.
    public static func == (a: Self, b: Self) -> Bool { a.code == b.code }
    /// Hashes the code only.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
