// SPDX-License-Identifier: Apache-2.0

/// A strict, non-allocating RFC 8259 scanner: Signet's only JSON grammar. ``StrictJSON/validate(_:limits:)`` and
/// the verify hot path run it alone; ``StrictJSON/parse(_:limits:)-(RawSpan,_)`` runs it and then
/// builds the value of the accepted text (``JSONTreeBuilder``). Tests hold it to the old recursive-descent reader
/// (`StrictJSONOracle`) on acceptance, error codes and offsets.
///
/// It validates one JSON text without building values: UTF-8 (no overlongs, surrogates or values past U+10FFFF),
/// escapes (including lone surrogates in `\u` escapes), control characters, number syntax, literals, nesting depth
/// and trailing bytes. Duplicate member names are found in every object, escape-aware and with the same equality as
/// the value tree's member names (Swift `String` equality; see ``JSONStringComparison``).
///
/// Duplicate detection keeps the names of the open objects in a caller-provided table (a stack allocation of
/// ``defaultNameTableCapacity`` entries, see ``withNameTable(_:)``): each object stores up to
/// ``namesPerObjectInTable`` names, and the names of open objects share the table. A name that does not fit (the
/// 65th member of an object, or a table filled by nesting) is still checked, by re-scanning the object's members from
/// the first one not in the table: memory stays bounded, time grows quadratically only for objects with more than 64
/// members, as a linear search of the names would anyway.
///
/// The root object's members can be reported to the caller as they are validated, through a
/// ``JSONRootMemberRecorder`` (the verifier finds the JOSE header's and the claims' registered members this way,
/// in the same pass).
@safe struct StrictJSONScanner {
    /// Entries in the name table of one scan: 64 × 16 bytes, the most `withUnsafeTemporaryAllocation` is
    /// guaranteed to place on the stack (1 KiB).
    static let defaultNameTableCapacity = 64
    /// Names one object keeps in the table before it re-scans.
    static let namesPerObjectInTable = 64

    /// One member name in the table (32-bit offsets: texts of 4 GiB or more do not use the table).
    struct NameEntry {
        var start: UInt32
        var end: UInt32
        var decodedCount: UInt32
        var flags: UInt8

        init(_ t: JSONStringToken) {
            start = UInt32(truncatingIfNeeded: t.start)
            end = UInt32(truncatingIfNeeded: t.end)
            decodedCount = UInt32(truncatingIfNeeded: t.decodedCount)
            flags = t.flags
        }

        var token: JSONStringToken {
            JSONStringToken(start: Int(start), end: Int(end), decodedCount: Int(decodedCount), flags: flags)
        }
    }

    let base: UnsafeRawPointer
    let count: Int
    let maxDepth: Int
    var position = 0
    let names: UnsafeMutablePointer<NameEntry>
    let namesCapacity: Int
    var namesTop = 0
    /// When non-nil, repeated member names are collected here instead of thrown (for
    /// ``StrictJSON/parseKeepingLastDuplicate(_:limits:)``).
    var duplicates: [JSONError]? = nil
    /// The last string value scanned.
    var lastString = JSONStringToken(start: 0, end: 0, decodedCount: 0, flags: 0)

    /// A scanner over `bytes` (which must stay valid while it is used) with a name table.
    init(bytes: UnsafeRawBufferPointer, maxDepth: Int, names: UnsafeMutableBufferPointer<NameEntry>) {
        // A zero-length buffer may have no address; reading is bounded by `count`, so any address will do.
        unsafe self.base = bytes.baseAddress ?? UnsafeRawPointer(names.baseAddress!)
        self.count = bytes.count
        self.maxDepth = maxDepth
        unsafe self.names = names.baseAddress!
        self.namesCapacity = bytes.count < Int(UInt32.max) ? names.count : 0
    }

    /// Runs `body` with a name table on the stack.
    static func withNameTable<R, E: Error>(
        _ body: (UnsafeMutableBufferPointer<NameEntry>) throws(E) -> R
    ) throws(E) -> R {
        try unsafe withUnsafeTemporaryAllocation(of: NameEntry.self, capacity: defaultNameTableCapacity) {
            (table) throws(E) -> R in try unsafe body(table)
        }
    }

    @inline(__always) func byte(_ i: Int) -> UInt8 { unsafe base.load(fromByteOffset: i, as: UInt8.self) }

    func describeByte(at i: Int) -> String {
        guard i < count else { return "end of input" }
        let b = byte(i)
        if b >= 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
        return "byte 0x" + String(b, radix: 16, uppercase: true)
    }

    /// Validates the whole text: one value, surrounded only by whitespace.
    ///
    /// - Parameter rootMembers: Receives each member of the root object (if the root is an object) once its value
    ///   is validated.
    /// - Returns: the kind of the root value.
    /// - Throws: ``JSONError`` with the code and offset ``StrictJSON`` reports for the same text (except
    ///   `json.too-large`, which the caller checks first).
    mutating func scanDocument<Recorder: JSONRootMemberRecorder>(
        recordingRootMembersIn rootMembers: inout Recorder
    )
        throws(JSONError) -> JSONKind
    {
        skipWhitespace()
        let kind = try scanValue(depth: 0, members: &rootMembers)
        skipWhitespace()
        guard position == count else {
            throw JSONError(
                .invalid, offset: position, reason: "unexpected \(describeByte(at: position)) after the JSON value")
        }
        return kind
    }

    @inline(__always) mutating func skipWhitespace() {
        while position < count {
            let b = byte(position)
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            position += 1
        }
    }

    /// Validates the value at `position`; the members of an object value go to `members`.
    mutating func scanValue<Recorder: JSONRootMemberRecorder>(
        depth: Int, members: inout Recorder
    )
        throws(JSONError) -> JSONKind
    {
        guard position < count else {
            throw JSONError(.invalid, offset: position, reason: "expected a JSON value, found end of input")
        }
        switch byte(position) {
        case UInt8(ascii: "\""):
            lastString = try scanString()
            return .string
        case UInt8(ascii: "{"):
            try scanObject(depth: depth + 1, members: &members)
            return .object
        case UInt8(ascii: "["):
            try scanArray(depth: depth + 1)
            return .array
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try scanNumber()
            return .number
        case UInt8(ascii: "t"):
            try expect("true")
            return .bool
        case UInt8(ascii: "f"):
            try expect("false")
            return .bool
        case UInt8(ascii: "n"):
            try expect("null")
            return .null
        default:
            throw JSONError(
                .invalid, offset: position, reason: "expected a JSON value, found \(describeByte(at: position))")
        }
    }

    mutating func expect(_ literal: StaticString) throws(JSONError) {
        let start = position
        let n = literal.utf8CodeUnitCount
        guard count - position >= n else {
            throw JSONError(.invalid, offset: start, reason: "truncated literal; expected '\(literal)'")
        }
        for i in 0..<n where unsafe byte(position + i) != literal.utf8Start[i] {
            throw JSONError(.invalid, offset: position + i, reason: "invalid literal; expected '\(literal)'")
        }
        position += n
    }

    mutating func scanObject<Recorder: JSONRootMemberRecorder>(
        depth: Int, members: inout Recorder
    )
        throws(JSONError)
    {
        guard depth <= maxDepth else {
            throw JSONError(.tooDeep, offset: position, reason: "JSON nesting deeper than \(maxDepth) levels")
        }
        position += 1
        skipWhitespace()
        if position < count && byte(position) == UInt8(ascii: "}") {
            position += 1
            return
        }
        let tableBase = namesTop
        defer { namesTop = tableBase }
        var stored = 0
        var overflowStart = -1
        while true {
            skipWhitespace()
            guard position < count, byte(position) == UInt8(ascii: "\"") else {
                throw JSONError(
                    .invalid, offset: position,
                    reason: "expected a member name in double quotes, found \(describeByte(at: position))")
            }
            let nameOffset = position
            let name = try scanString()
            if isDuplicate(name, tableBase: tableBase, stored: stored, overflowStart: overflowStart, before: nameOffset)
            {
                let error = JSONError(
                    .duplicateMember, offset: nameOffset,
                    reason:
                        "member name \"\(unsafe JSONStringComparison.string(name, in: base))\" appears more than once in the same object"
                )
                guard duplicates != nil else { throw error }
                duplicates?.append(error)
            }
            if overflowStart < 0 {
                if stored < Self.namesPerObjectInTable && namesTop < namesCapacity {
                    unsafe names[namesTop] = NameEntry(name)
                    namesTop += 1
                    stored += 1
                } else {
                    overflowStart = nameOffset
                }
            }
            skipWhitespace()
            guard position < count, byte(position) == UInt8(ascii: ":") else {
                throw JSONError(
                    .invalid, offset: position,
                    reason: "expected ':' after member name, found \(describeByte(at: position))")
            }
            position += 1
            skipWhitespace()
            let valueOffset = position
            var nested = IgnoredJSONMembers()
            let kind = try scanValue(depth: depth, members: &nested)
            let value = MemberSlot(
                kind: kind, valueOffset: valueOffset, end: position, string: kind == .string ? lastString : nil)
            unsafe members.record(name: name, value: value, in: base)
            skipWhitespace()
            guard position < count else {
                throw JSONError(.invalid, offset: position, reason: "expected ',' or '}' in object, found end of input")
            }
            switch byte(position) {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "}"):
                position += 1
                return
            default:
                throw JSONError(
                    .invalid, offset: position,
                    reason: "expected ',' or '}' in object, found \(describeByte(at: position))")
            }
        }
    }

    mutating func scanArray(depth: Int) throws(JSONError) {
        guard depth <= maxDepth else {
            throw JSONError(.tooDeep, offset: position, reason: "JSON nesting deeper than \(maxDepth) levels")
        }
        position += 1
        skipWhitespace()
        if position < count && byte(position) == UInt8(ascii: "]") {
            position += 1
            return
        }
        while true {
            skipWhitespace()
            var nested = IgnoredJSONMembers()
            _ = try scanValue(depth: depth, members: &nested)
            skipWhitespace()
            guard position < count else {
                throw JSONError(.invalid, offset: position, reason: "expected ',' or ']' in array, found end of input")
            }
            switch byte(position) {
            case UInt8(ascii: ","): position += 1
            case UInt8(ascii: "]"):
                position += 1
                return
            default:
                throw JSONError(
                    .invalid, offset: position,
                    reason: "expected ',' or ']' in array, found \(describeByte(at: position))")
            }
        }
    }

    @inline(__always) func isDigit(_ i: Int) -> Bool {
        i < count && byte(i) &- UInt8(ascii: "0") < 10
    }

    mutating func scanNumber() throws(JSONError) {
        let start = position
        if byte(position) == UInt8(ascii: "-") { position += 1 }
        guard isDigit(position) else {
            throw JSONError(
                .invalid, offset: position, reason: "expected a digit in number, found \(describeByte(at: position))")
        }
        let first = byte(position)
        position += 1
        if first == UInt8(ascii: "0") && isDigit(position) {
            throw JSONError(.invalid, offset: start, reason: "numbers may not have leading zeros")
        }
        while isDigit(position) { position += 1 }
        if position < count && byte(position) == UInt8(ascii: ".") {
            position += 1
            guard isDigit(position) else {
                throw JSONError(
                    .invalid, offset: position,
                    reason: "expected a digit after '.', found \(describeByte(at: position))")
            }
            while isDigit(position) { position += 1 }
        }
        if position < count && (byte(position) | 0x20) == UInt8(ascii: "e") {
            position += 1
            if position < count && (byte(position) == UInt8(ascii: "+") || byte(position) == UInt8(ascii: "-")) {
                position += 1
            }
            guard isDigit(position) else {
                throw JSONError(
                    .invalid, offset: position,
                    reason: "expected a digit in exponent, found \(describeByte(at: position))")
            }
            while isDigit(position) { position += 1 }
        }
    }

    /// Scans a string starting at its opening quote.
    ///
    /// PERF: `signet bench` verify: plain ASCII runs are skipped eight bytes at a time (one 64-bit load, a SWAR
    /// test for a quote, a backslash, a control character or a byte ≥ 0x80); the first special byte is found from
    /// the mask's lowest set bit (the borrow trick can only flag bytes *above* a true match, never below).
    mutating func scanString() throws(JSONError) -> JSONStringToken {
        let open = position
        var i = open + 1
        var flags: UInt8 = 0
        var shrink = 0  // raw bytes minus decoded UTF-8 bytes, from escapes
        while true {
            while count - i >= 8 {
                let w = UInt64(littleEndian: unsafe base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let m = Self.specialBytes(w)
                if m == 0 {
                    i += 8
                    continue
                }
                i += m.trailingZeroBitCount >> 3
                break
            }
            guard i < count else { throw JSONError(.invalid, offset: open, reason: "unterminated string") }
            let b = byte(i)
            if b == UInt8(ascii: "\"") {
                position = i + 1
                return JSONStringToken(start: open + 1, end: i, decodedCount: i - open - 1 - shrink, flags: flags)
            } else if b == UInt8(ascii: "\\") {
                let (scalar, length) = try scanEscape(at: i)
                i += length
                shrink += length - Self.utf8Count(scalar)
                flags |= JSONStringToken.escaped | (scalar >= 0x80 ? JSONStringToken.nonASCII : 0)
            } else if b < 0x20 {
                throw JSONError(
                    .invalid, offset: i,
                    reason:
                        "control character 0x\(String(b, radix: 16, uppercase: true)) must be escaped inside a string")
            } else if b < 0x80 {
                i += 1
            } else {
                i += try scanUTF8Scalar(at: i)
                flags |= JSONStringToken.nonASCII
            }
        }
    }

    /// Bit 7 of each byte lane of `w` that is a quote, a backslash, below 0x20 or at least 0x80 (plus, possibly,
    /// lanes above the lowest such lane).
    @inline(__always) static func specialBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let q = w ^ (ones &* 0x22)
        let s = w ^ (ones &* 0x5C)
        let quote = (q &- ones) & ~q
        let backslash = (s &- ones) & ~s
        let control = (w &- (ones &* 0x20)) & ~w  // lanes below 0x20 (lanes >= 0x80 are caught by `w` itself)
        return (quote | backslash | control | w) & high
    }

    @inline(__always) static func utf8Count(_ scalar: UInt32) -> Int {
        scalar < 0x80 ? 1 : scalar < 0x800 ? 2 : scalar < 0x10000 ? 3 : 4
    }

    /// Validates the escape at `start` (a backslash); returns its scalar and its length in bytes (2, 6 or 12).
    func scanEscape(at start: Int) throws(JSONError) -> (UInt32, Int) {
        guard start + 1 < count else { throw JSONError(.invalid, offset: start, reason: "unterminated escape") }
        let e = byte(start + 1)
        switch e {
        case UInt8(ascii: "\""): return (0x22, 2)
        case UInt8(ascii: "\\"): return (0x5C, 2)
        case UInt8(ascii: "/"): return (0x2F, 2)
        case UInt8(ascii: "b"): return (0x08, 2)
        case UInt8(ascii: "f"): return (0x0C, 2)
        case UInt8(ascii: "n"): return (0x0A, 2)
        case UInt8(ascii: "r"): return (0x0D, 2)
        case UInt8(ascii: "t"): return (0x09, 2)
        case UInt8(ascii: "u"):
            let high = try hex4(at: start + 2, escapeStart: start)
            if high >= 0xDC00 && high <= 0xDFFF {
                throw JSONError(
                    .invalid, offset: start,
                    reason: "lone low surrogate \\u\(String(high, radix: 16, uppercase: true)) is not a character")
            }
            guard high >= 0xD800 && high <= 0xDBFF else { return (high, 6) }
            let lowStart = start + 6
            guard count - lowStart >= 6, byte(lowStart) == UInt8(ascii: "\\"), byte(lowStart + 1) == UInt8(ascii: "u")
            else {
                throw JSONError(
                    .invalid, offset: start,
                    reason:
                        "lone high surrogate \\u\(String(high, radix: 16, uppercase: true)) is not followed by a low surrogate"
                )
            }
            let low = try hex4(at: lowStart + 2, escapeStart: lowStart)
            guard low >= 0xDC00 && low <= 0xDFFF else {
                throw JSONError(
                    .invalid, offset: lowStart,
                    reason:
                        "high surrogate is followed by \\u\(String(low, radix: 16, uppercase: true)), not a low surrogate"
                )
            }
            return (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00), 12)
        default:
            throw JSONError(.invalid, offset: start, reason: "invalid escape '\\\(Character(Unicode.Scalar(e)))'")
        }
    }

    func hex4(at i: Int, escapeStart: Int) throws(JSONError) -> UInt32 {
        guard count - i >= 4 else { throw JSONError(.invalid, offset: escapeStart, reason: "truncated \\u escape") }
        var v: UInt32 = 0
        for k in i..<(i + 4) {
            guard let d = Self.hexValue(byte(k)) else {
                throw JSONError(.invalid, offset: k, reason: "\\u escape needs 4 hex digits")
            }
            v = v << 4 | d
        }
        return v
    }

    @inline(__always) static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(c &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(c &- UInt8(ascii: "a") &+ 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(c &- UInt8(ascii: "A") &+ 10)
        default: nil
        }
    }

    /// Validates one multi-byte UTF-8 scalar at `start` (RFC 3629); returns its length.
    func scanUTF8Scalar(at start: Int) throws(JSONError) -> Int {
        let b0 = byte(start)
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
        guard count - start >= length else {
            throw JSONError(.invalid, offset: start, reason: "truncated UTF-8 sequence")
        }
        for k in 1..<length {
            let b = byte(start + k)
            guard b & 0xC0 == 0x80 else {
                throw JSONError(
                    .invalid, offset: start + k,
                    reason: "invalid UTF-8 continuation byte 0x\(String(b, radix: 16, uppercase: true))")
            }
            value = value << 6 | UInt32(b & 0x3F)
        }
        let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else {
            throw JSONError(
                .invalid, offset: start, reason: "invalid UTF-8 sequence (overlong, surrogate or out of range)")
        }
        return length
    }

    // MARK: Duplicate names

    /// Whether `name` equals a name already seen in the current object: first the object's names in the table,
    /// then (after an overflow) every member name from `overflowStart` up to `before`, found by re-scanning.
    func isDuplicate(_ name: JSONStringToken, tableBase: Int, stored: Int, overflowStart: Int, before: Int) -> Bool {
        var k = tableBase
        let end = tableBase + stored
        while k < end {
            if unsafe JSONStringComparison.equal(names[k].token, name, in: base) { return true }
            k += 1
        }
        guard overflowStart >= 0 else { return false }
        var cursor = unsafe ValidatedJSONCursor(base: base, count: count, position: overflowStart)
        while cursor.position < before {
            let other = cursor.string()
            if unsafe JSONStringComparison.equal(other, name, in: base) { return true }
            cursor.skipWhitespace()
            cursor.position += 1  // ':'
            cursor.skipWhitespace()
            cursor.skipValue()
            cursor.skipWhitespace()
            cursor.position += 1  // ','
            cursor.skipWhitespace()
        }
        return false
    }
}
