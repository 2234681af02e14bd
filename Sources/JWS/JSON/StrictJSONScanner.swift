// SPDX-License-Identifier: Apache-2.0

/// The kind of a JSON value, as ``StrictJSONScanner`` reports it.
enum JSONKind: UInt8 {
    case absent, null, bool, number, string, array, object

    /// The JSON type's name, spelled as ``JSONValue/typeName``.
    var typeName: String {
        switch self {
        case .absent: "nothing"
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// The kind of the value that starts with `byte` in valid JSON text.
    static func of(firstByte byte: UInt8) -> JSONKind {
        switch byte {
        case UInt8(ascii: "\""): .string
        case UInt8(ascii: "{"): .object
        case UInt8(ascii: "["): .array
        case UInt8(ascii: "t"), UInt8(ascii: "f"): .bool
        case UInt8(ascii: "n"): .null
        default: .number
        }
    }
}

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

/// A strict, non-allocating RFC 8259 scanner with exactly the acceptance and the error codes and offsets of
/// ``StrictJSON/parse(_:limits:)-(UnsafeRawBufferPointer,_)``, which it replaces on the verify hot path.
///
/// It validates one JSON text without building values: UTF-8 (no overlongs, surrogates or values past U+10FFFF),
/// escapes (including lone surrogates in `\u` escapes), control characters, number syntax, literals, nesting depth
/// and trailing bytes. Duplicate member names are found in every object, escape-aware and with the same equality as
/// the DOM reader (Swift `String` equality; see ``JSONStringComparison``).
///
/// Duplicate detection keeps the names of the open objects in a caller-provided table (a stack allocation of
/// ``defaultNameTableCapacity`` entries, see ``withNameTable(_:)``): each object stores up to
/// ``namesPerObjectInTable`` names, and the names of open objects share the table. A name that does not fit (the
/// 65th member of an object, or a table filled by nesting) is still checked, by re-scanning the object's members from
/// the first one not in the table: memory stays bounded, time grows quadratically only for objects with more than 64
/// members, as the DOM reader's linear search already does.
///
/// The root object's members can be reported to the caller (``recognize``): the scanner records the kind and source
/// range of the members named in ``MemberSlots`` for the JOSE header or the JWT claims.
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

    /// Which root members to record.
    enum Recognize {
        case none, joseHeader, jwtClaims
    }

    let base: UnsafeRawPointer
    let count: Int
    let maxDepth: Int
    var position = 0
    let names: UnsafeMutablePointer<NameEntry>
    let namesCapacity: Int
    var namesTop = 0
    let recognize: Recognize
    /// The root members recorded so far (valid after ``scanDocument()``).
    var slots = MemberSlots()
    /// The last string value scanned.
    var lastString = JSONStringToken(start: 0, end: 0, decodedCount: 0, flags: 0)

    /// A scanner over `bytes` (which must stay valid while it is used) with a name table.
    init(
        bytes: UnsafeRawBufferPointer, maxDepth: Int, names: UnsafeMutableBufferPointer<NameEntry>,
        recognize: Recognize = .none
    ) {
        // A zero-length buffer may have no address; reading is bounded by `count`, so any address will do.
        unsafe self.base = bytes.baseAddress ?? UnsafeRawPointer(names.baseAddress!)
        self.count = bytes.count
        self.maxDepth = maxDepth
        unsafe self.names = names.baseAddress!
        self.namesCapacity = bytes.count < Int(UInt32.max) ? names.count : 0
        self.recognize = recognize
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
    /// - Returns: the kind of the root value.
    /// - Throws: ``JSONError`` with the code and offset ``StrictJSON`` reports for the same text (except
    ///   `json.too-large`, which the caller checks first).
    mutating func scanDocument() throws(JSONError) -> JSONKind {
        skipWhitespace()
        let kind = try scanValue(depth: 0)
        skipWhitespace()
        guard position == count else {
            throw JSONError(.invalid, offset: position, reason: "unexpected \(describeByte(at: position)) after the JSON value")
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

    mutating func scanValue(depth: Int) throws(JSONError) -> JSONKind {
        guard position < count else {
            throw JSONError(.invalid, offset: position, reason: "expected a JSON value, found end of input")
        }
        switch byte(position) {
        case UInt8(ascii: "\""):
            lastString = try scanString()
            return .string
        case UInt8(ascii: "{"):
            try scanObject(depth: depth + 1)
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
            throw JSONError(.invalid, offset: position, reason: "expected a JSON value, found \(describeByte(at: position))")
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

    mutating func scanObject(depth: Int) throws(JSONError) {
        guard depth <= maxDepth else {
            throw JSONError(.tooDeep, offset: position, reason: "JSON nesting deeper than \(maxDepth) levels")
        }
        let isRoot = depth == 1 && recognize != .none
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
                throw JSONError(.invalid, offset: position, reason: "expected a member name in double quotes, found \(describeByte(at: position))")
            }
            let nameOffset = position
            let name = try scanString()
            if isDuplicate(name, tableBase: tableBase, stored: stored, overflowStart: overflowStart, before: nameOffset) {
                throw JSONError(
                    .duplicateMember, offset: nameOffset,
                    reason: "member name \"\(unsafe JSONStringComparison.string(name, in: base))\" appears more than once in the same object")
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
                throw JSONError(.invalid, offset: position, reason: "expected ':' after member name, found \(describeByte(at: position))")
            }
            position += 1
            skipWhitespace()
            let valueOffset = position
            let kind = try scanValue(depth: depth)
            if isRoot { record(name: name, kind: kind, valueOffset: valueOffset) }
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
                throw JSONError(.invalid, offset: position, reason: "expected ',' or '}' in object, found \(describeByte(at: position))")
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
            _ = try scanValue(depth: depth)
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
                throw JSONError(.invalid, offset: position, reason: "expected ',' or ']' in array, found \(describeByte(at: position))")
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
            throw JSONError(.invalid, offset: position, reason: "expected a digit in number, found \(describeByte(at: position))")
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
                throw JSONError(.invalid, offset: position, reason: "expected a digit after '.', found \(describeByte(at: position))")
            }
            while isDigit(position) { position += 1 }
        }
        if position < count && (byte(position) | 0x20) == UInt8(ascii: "e") {
            position += 1
            if position < count && (byte(position) == UInt8(ascii: "+") || byte(position) == UInt8(ascii: "-")) {
                position += 1
            }
            guard isDigit(position) else {
                throw JSONError(.invalid, offset: position, reason: "expected a digit in exponent, found \(describeByte(at: position))")
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
                    reason: "control character 0x\(String(b, radix: 16, uppercase: true)) must be escaped inside a string")
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
                throw JSONError(.invalid, offset: start, reason: "lone low surrogate \\u\(String(high, radix: 16, uppercase: true)) is not a character")
            }
            guard high >= 0xD800 && high <= 0xDBFF else { return (high, 6) }
            let lowStart = start + 6
            guard count - lowStart >= 6, byte(lowStart) == UInt8(ascii: "\\"), byte(lowStart + 1) == UInt8(ascii: "u") else {
                throw JSONError(.invalid, offset: start, reason: "lone high surrogate \\u\(String(high, radix: 16, uppercase: true)) is not followed by a low surrogate")
            }
            let low = try hex4(at: lowStart + 2, escapeStart: lowStart)
            guard low >= 0xDC00 && low <= 0xDFFF else {
                throw JSONError(.invalid, offset: lowStart, reason: "high surrogate is followed by \\u\(String(low, radix: 16, uppercase: true)), not a low surrogate")
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
        case 0xC2...0xDF: length = 2; value = UInt32(b0 & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(b0 & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(b0 & 0x07)
        default: throw JSONError(.invalid, offset: start, reason: "invalid UTF-8 lead byte 0x\(String(b0, radix: 16, uppercase: true))")
        }
        guard count - start >= length else { throw JSONError(.invalid, offset: start, reason: "truncated UTF-8 sequence") }
        for k in 1..<length {
            let b = byte(start + k)
            guard b & 0xC0 == 0x80 else {
                throw JSONError(.invalid, offset: start + k, reason: "invalid UTF-8 continuation byte 0x\(String(b, radix: 16, uppercase: true))")
            }
            value = value << 6 | UInt32(b & 0x3F)
        }
        let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        guard value >= minimum, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else {
            throw JSONError(.invalid, offset: start, reason: "invalid UTF-8 sequence (overlong, surrogate or out of range)")
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

    // MARK: Root members

    mutating func record(name: JSONStringToken, kind: JSONKind, valueOffset: Int) {
        guard let key = unsafe JSONStringComparison.shortASCIIKey(name, in: base) else { return }
        let index: Int
        switch recognize {
        case .none: return
        case .joseHeader:
            switch key {
            case MemberSlots.alg: index = MemberSlots.algIndex
            case MemberSlots.kid: index = MemberSlots.kidIndex
            case MemberSlots.typ: index = MemberSlots.typIndex
            case MemberSlots.crit: index = MemberSlots.critIndex
            default: return
            }
        case .jwtClaims:
            switch key {
            case MemberSlots.iss: index = MemberSlots.issIndex
            case MemberSlots.sub: index = MemberSlots.subIndex
            case MemberSlots.jti: index = MemberSlots.jtiIndex
            case MemberSlots.exp: index = MemberSlots.expIndex
            case MemberSlots.nbf: index = MemberSlots.nbfIndex
            case MemberSlots.iat: index = MemberSlots.iatIndex
            case MemberSlots.aud: index = MemberSlots.audIndex
            default: return
            }
        }
        slots[index] = MemberSlot(kind: kind, valueOffset: valueOffset, end: position, string: kind == .string ? lastString : nil)
    }
}

/// Where a recorded root member's value is.
struct MemberSlot {
    /// The value's kind (`.absent` when the member is not there).
    var kind: JSONKind
    /// Offset of the value's first byte.
    var valueOffset: Int
    /// Offset just after the value.
    var end: Int
    /// The token, for a string value.
    var string: JSONStringToken?

    static let absent = MemberSlot(kind: .absent, valueOffset: 0, end: 0, string: nil)
    var isPresent: Bool { kind != .absent }
}

/// The root members the verifier reads, by fixed index (JOSE header: `alg`, `kid`, `typ`, `crit`; JWT claims:
/// `iss`, `sub`, `jti`, `exp`, `nbf`, `iat`, `aud`).
struct MemberSlots {
    var s0 = MemberSlot.absent, s1 = MemberSlot.absent, s2 = MemberSlot.absent, s3 = MemberSlot.absent
    var s4 = MemberSlot.absent, s5 = MemberSlot.absent, s6 = MemberSlot.absent

    static let count = 7

    subscript(i: Int) -> MemberSlot {
        get {
            switch i {
            case 0: s0
            case 1: s1
            case 2: s2
            case 3: s3
            case 4: s4
            case 5: s5
            default: s6
            }
        }
        set {
            switch i {
            case 0: s0 = newValue
            case 1: s1 = newValue
            case 2: s2 = newValue
            case 3: s3 = newValue
            case 4: s4 = newValue
            case 5: s5 = newValue
            default: s6 = newValue
            }
        }
    }

    // Names packed little-endian with their length in the top byte, as ``JSONStringComparison/shortASCIIKey`` packs
    // them; literal constants, since a `static let` costs a `swift_once` check on every use.
    static let algIndex = 0, kidIndex = 1, typIndex = 2, critIndex = 3
    static var alg: UInt64 { 0x0300_0000_0067_6C61 }  // "alg"
    static var kid: UInt64 { 0x0300_0000_0064_696B }  // "kid"
    static var typ: UInt64 { 0x0300_0000_0070_7974 }  // "typ"
    static var crit: UInt64 { 0x0400_0000_7469_7263 }  // "crit"
    static var iss: UInt64 { 0x0300_0000_0073_7369 }  // "iss"
    static var sub: UInt64 { 0x0300_0000_0062_7573 }  // "sub"
    static var jti: UInt64 { 0x0300_0000_0069_746A }  // "jti"
    static var exp: UInt64 { 0x0300_0000_0070_7865 }  // "exp"
    static var nbf: UInt64 { 0x0300_0000_0066_626E }  // "nbf"
    static var iat: UInt64 { 0x0300_0000_0074_6169 }  // "iat"
    static var aud: UInt64 { 0x0300_0000_0064_7561 }  // "aud"
    static let issIndex = 0, subIndex = 1, jtiIndex = 2, expIndex = 3, nbfIndex = 4, iatIndex = 5, audIndex = 6
}

/// A forward cursor over JSON text that has already been validated: it never checks and never throws.
@safe struct ValidatedJSONCursor {
    let base: UnsafeRawPointer
    let count: Int
    var position: Int

    init(base: UnsafeRawPointer, count: Int, position: Int) {
        unsafe self.base = base
        self.count = count
        self.position = position
    }

    @inline(__always) func byte(_ i: Int) -> UInt8 { unsafe base.load(fromByteOffset: i, as: UInt8.self) }

    mutating func skipWhitespace() {
        while position < count {
            let b = byte(position)
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            position += 1
        }
    }

    /// The string token at the cursor (an opening quote); moves past it.
    mutating func string() -> JSONStringToken {
        let start = position + 1
        var i = start
        var flags: UInt8 = 0
        var shrink = 0
        while true {
            let b = byte(i)
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") {
                var j = i
                let scalar = unsafe JSONStringComparison.nextScalar(base, &j)
                shrink += (j - i) - StrictJSONScanner.utf8Count(scalar)
                flags |= JSONStringToken.escaped | (scalar >= 0x80 ? JSONStringToken.nonASCII : 0)
                i = j
            } else {
                if b >= 0x80 { flags |= JSONStringToken.nonASCII }
                i += 1
            }
        }
        position = i + 1
        return JSONStringToken(start: start, end: i, decodedCount: i - start - shrink, flags: flags)
    }

    /// Moves past the value at the cursor.
    mutating func skipValue() {
        switch byte(position) {
        case UInt8(ascii: "\""):
            skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            repeat {
                let b = byte(position)
                switch b {
                case UInt8(ascii: "\""):
                    skipString()
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                default: break
                }
                position += 1
            } while depth > 0
        default:
            while position < count {
                switch byte(position) {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x0A, 0x0D, 0x09: return
                default: position += 1
                }
            }
        }
    }

    mutating func skipString() {
        position += 1
        while true {
            let b = byte(position)
            if b == UInt8(ascii: "\"") { break }
            position += b == UInt8(ascii: "\\") ? 2 : 1
        }
        position += 1
    }
}

/// String equality over validated JSON string tokens, with exactly the result of Swift `String` equality on the
/// decoded strings (which the DOM path, ``JWTValidationPolicy`` and key selection use).
///
/// Equal Unicode scalars are equal; when the scalars differ, the strings can still be canonically equivalent (for
/// example `é` as U+00E9 and as `e` U+0301) only if one of them holds a non-ASCII scalar, and only then is a Swift
/// `String` built to decide (small strings of up to 15 UTF-8 bytes do not allocate). All-ASCII strings never
/// allocate.
enum JSONStringComparison {
    /// The next scalar of validated string content at `i` (escape, ASCII byte or UTF-8 sequence); advances `i`.
    @inline(__always)
    static func nextScalar(_ base: UnsafeRawPointer, _ i: inout Int) -> UInt32 {
        let b0 = unsafe base.load(fromByteOffset: i, as: UInt8.self)
        if b0 < 0x80 {
            if b0 != UInt8(ascii: "\\") {
                i += 1
                return UInt32(b0)
            }
            let e = unsafe base.load(fromByteOffset: i + 1, as: UInt8.self)
            switch e {
            case UInt8(ascii: "b"): i += 2; return 0x08
            case UInt8(ascii: "f"): i += 2; return 0x0C
            case UInt8(ascii: "n"): i += 2; return 0x0A
            case UInt8(ascii: "r"): i += 2; return 0x0D
            case UInt8(ascii: "t"): i += 2; return 0x09
            case UInt8(ascii: "u"):
                let high = unsafe hex4(base, i + 2)
                i += 6
                guard high >= 0xD800 && high <= 0xDBFF else { return high }
                let low = unsafe hex4(base, i + 2)
                i += 6
                return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            default: i += 2; return UInt32(e)  // '"', '\\', '/'
            }
        }
        var value: UInt32
        let length: Int
        if b0 < 0xE0 { length = 2; value = UInt32(b0 & 0x1F) }
        else if b0 < 0xF0 { length = 3; value = UInt32(b0 & 0x0F) }
        else { length = 4; value = UInt32(b0 & 0x07) }
        for k in 1..<length {
            value = value << 6 | UInt32(unsafe base.load(fromByteOffset: i + k, as: UInt8.self) & 0x3F)
        }
        i += length
        return value
    }

    @inline(__always)
    static func hex4(_ base: UnsafeRawPointer, _ i: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in 0..<4 {
            v = v << 4 | (StrictJSONScanner.hexValue(unsafe base.load(fromByteOffset: i + k, as: UInt8.self)) ?? 0)
        }
        return v
    }

    /// Whether two tokens of the same text decode to equal Swift strings.
    static func equal(_ a: JSONStringToken, _ b: JSONStringToken, in base: UnsafeRawPointer) -> Bool {
        let ascii = (a.flags | b.flags) & JSONStringToken.nonASCII == 0
        if ascii && a.decodedCount != b.decodedCount { return false }
        if (a.flags | b.flags) & JSONStringToken.escaped == 0 {
            if unsafe (a.rawCount == b.rawCount && memcmpEqual(base + a.start, base + b.start, a.rawCount)) {
                return true
            }
        } else {
            var i = a.start
            var j = b.start
            var same = true
            while i < a.end && j < b.end {
                if unsafe nextScalar(base, &i) != nextScalar(base, &j) {
                    same = false
                    break
                }
            }
            if same && i == a.end && j == b.end { return true }
        }
        if ascii { return false }
        return unsafe string(a, in: base) == string(b, in: base)
    }

    /// Whether the token decodes to a Swift string equal to `other`.
    static func equal(_ a: JSONStringToken, in base: UnsafeRawPointer, to other: String) -> Bool {
        var other = other
        let (same, otherASCII) = other.withUTF8 { (utf8) -> (Bool, Bool) in
            let o = UnsafeRawBufferPointer(utf8)
            return unsafe (equalScalars(a, in: base, toUTF8: o), isASCII(o))
        }
        if same { return true }
        if a.isASCII && otherASCII { return false }
        return unsafe string(a, in: base) == other
    }

    /// Whether the token's decoded UTF-8 is exactly `utf8`.
    static func equalScalars(_ a: JSONStringToken, in base: UnsafeRawPointer, toUTF8 o: UnsafeRawBufferPointer) -> Bool {
        guard a.decodedCount == o.count else { return false }
        if !a.isEscaped {
            guard let ob = o.baseAddress else { return a.rawCount == 0 }
            return unsafe memcmpEqual(base + a.start, ob, o.count)
        }
        var i = a.start
        var k = 0
        while i < a.end {
            let s = unsafe nextScalar(base, &i)
            let n = StrictJSONScanner.utf8Count(s)
            guard k + n <= o.count else { return false }
            if n == 1 {
                guard unsafe o[k] == UInt8(truncatingIfNeeded: s) else { return false }
            } else {
                var e = Unicode.UTF8.encode(Unicode.Scalar(s) ?? "\u{FFFD}")!.makeIterator()
                var kk = k
                while let u = e.next() {
                    guard unsafe o[kk] == u else { return false }
                    kk += 1
                }
            }
            k += n
        }
        return k == o.count
    }

    static func isASCII(_ o: UnsafeRawBufferPointer) -> Bool {
        for unsafe b in unsafe o where b >= 0x80 { return false }
        return true
    }

    @inline(__always)
    static func memcmpEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
        var k = 0
        while n - k >= 8 {
            guard unsafe a.loadUnaligned(fromByteOffset: k, as: UInt64.self) == b.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            else { return false }
            k += 8
        }
        while k < n {
            guard unsafe a.load(fromByteOffset: k, as: UInt8.self) == b.load(fromByteOffset: k, as: UInt8.self) else { return false }
            k += 1
        }
        return true
    }

    /// The decoded string (allocates for more than 15 UTF-8 bytes).
    static func string(_ a: JSONStringToken, in base: UnsafeRawPointer) -> String {
        if !a.isEscaped {
            return unsafe String(decoding: UnsafeRawBufferPointer(start: base + a.start, count: a.rawCount), as: UTF8.self)
        }
        return unsafe String(unsafeUninitializedCapacity: a.decodedCount, initializingUTF8With: { (out) -> Int in
            var i = a.start
            var k = 0
            while i < a.end {
                let s = unsafe nextScalar(base, &i)
                for u in Unicode.UTF8.encode(Unicode.Scalar(s) ?? "\u{FFFD}")! {
                    unsafe out[k] = u
                    k += 1
                }
            }
            return k
        })
    }

    /// The decoded name packed for a `switch` (bytes little-endian, length in the top byte) when it is ASCII and at
    /// most 7 bytes long; otherwise `nil`.
    @inline(__always)
    static func shortASCIIKey(_ a: JSONStringToken, in base: UnsafeRawPointer) -> UInt64? {
        guard a.isASCII, a.decodedCount <= 7 else { return nil }
        var key = UInt64(a.decodedCount) << 56
        if !a.isEscaped {
            for k in 0..<a.rawCount {
                key |= UInt64(unsafe base.load(fromByteOffset: a.start + k, as: UInt8.self)) << (8 * UInt64(k))
            }
            return key
        }
        var i = a.start
        var shift: UInt64 = 0
        while i < a.end {
            key |= UInt64(unsafe nextScalar(base, &i)) << shift
            shift += 8
        }
        return key
    }
}
