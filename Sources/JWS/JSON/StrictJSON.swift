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
    public static func parse(_ bytes: RawSpan, limits: Limits = .default) throws(JSONError) -> JSONValue {
        try unsafe bytes.withUnsafeBytes { (b) throws(JSONError) -> JSONValue in try unsafe parse(b, limits: limits) }
    }

    /// Parses one JSON text from a raw buffer; the `@unsafe` form of ``parse(_:limits:)-(RawSpan,_)`` for memory
    /// that comes from C.
    ///
    /// - Throws: as ``parse(_:limits:)-(RawSpan,_)``.
    /// - Allocation: allocates the value tree.
    @unsafe
    public static func parse(_ bytes: UnsafeRawBufferPointer, limits: Limits = .default) throws(JSONError) -> JSONValue
    {
        try unsafe read(bytes, limits: limits, keepingLastDuplicate: false).value
    }

    /// Parses one JSON text from an array.
    ///
    /// - Throws: as ``parse(_:limits:)-(RawSpan,_)``.
    /// - Allocation: allocates the value tree.
    public static func parse(_ bytes: [UInt8], limits: Limits = .default) throws(JSONError) -> JSONValue {
        try unsafe bytes.span.withUnsafeBytes { (b) throws(JSONError) -> JSONValue in
            try unsafe parse(b, limits: limits)
        }
    }

    /// Parses one JSON text from a string.
    ///
    /// - Throws: as ``parse(_:limits:)-(RawSpan,_)``.
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
    public static func parseKeepingLastDuplicate(
        _ bytes: [UInt8], limits: Limits = .default
    )
        throws(JSONError) -> (value: JSONValue, duplicates: [JSONError])
    {
        try unsafe bytes.span.withUnsafeBytes { (b) throws(JSONError) -> (value: JSONValue, duplicates: [JSONError]) in
            try unsafe read(b, limits: limits, keepingLastDuplicate: true)
        }
    }

    /// Scans `bytes` (the only grammar), then builds the value of the text the scan accepted.
    static func read(
        _ bytes: UnsafeRawBufferPointer, limits: Limits, keepingLastDuplicate: Bool
    )
        throws(JSONError) -> (value: JSONValue, duplicates: [JSONError])
    {
        var ignored = IgnoredJSONMembers()
        var duplicates: [JSONError]? = keepingLastDuplicate ? [] : nil
        _ = try unsafe scan(bytes, limits: limits, rootMembers: &ignored, duplicates: &duplicates)
        // A scan accepts no empty text, so there is an address.
        guard let base = bytes.baseAddress else { preconditionFailure("StrictJSON: a scan accepted empty text") }
        let found = duplicates ?? []
        var builder = unsafe JSONTreeBuilder(base: base, count: bytes.count, duplicateOffsets: found.map(\.offset))
        return (builder.document(), found)
    }

    /// Checks the size limit, then scans `bytes` against the grammar with a name table on the stack.
    ///
    /// - Parameters:
    ///   - rootMembers: Receives the root object's members.
    ///   - duplicates: `nil` to reject a repeated member name; otherwise repeats are appended here.
    /// - Returns: The kind of the root value.
    /// - Throws: ``JSONError`` for the first problem in source order (`json.too-large` before any other).
    static func scan<Recorder: JSONRootMemberRecorder>(
        _ bytes: UnsafeRawBufferPointer, limits: Limits, rootMembers: inout Recorder, duplicates: inout [JSONError]?
    ) throws(JSONError) -> JSONKind {
        guard bytes.count <= limits.maxBytes else {
            throw JSONError(
                .tooLarge, offset: limits.maxBytes,
                reason: "JSON text is \(bytes.count) bytes; the limit is \(limits.maxBytes)")
        }
        return try unsafe StrictJSONScanner.withNameTable { (table) throws(JSONError) -> JSONKind in
            var scanner = unsafe StrictJSONScanner(bytes: bytes, maxDepth: limits.maxDepth, names: table)
            scanner.duplicates = duplicates
            defer { duplicates = scanner.duplicates }
            return try scanner.scanDocument(recordingRootMembersIn: &rootMembers)
        }
    }
}

/// Why JSON text was rejected.
///
/// Equality compares ``code`` only.
public struct JSONError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable error codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The stable spelling.
        public let rawValue: String
        /// Internal: the set of codes is closed (other modules read codes, never invent them).
        init(rawValue: String) { self.rawValue = rawValue }
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

    /// Always `nil`: the JSON grammar is the lowest layer of its checks and wraps no other error. Present so that
    /// every Signet error has the same shape.
    public var underlying: (any Error)? { nil }

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
