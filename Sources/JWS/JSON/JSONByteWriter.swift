// SPDX-License-Identifier: Apache-2.0

/// Writes compact JSON into a caller-owned buffer with no heap allocation (the mint hot path).
///
/// Writing past the end sets ``overflowed`` and stops writing; check it once at the end.
@safe public struct JSONByteWriter {
    @usableFromInline let buffer: UnsafeMutableRawBufferPointer
    /// Bytes written so far.
    public private(set) var count = 0
    /// True once a write did not fit.
    public private(set) var overflowed = false
    private var needsComma = false

    /// A writer over `buffer`.
    ///
    /// - Parameter buffer: Where the JSON goes; must stay valid while the writer is used.
    ///
    /// `@unsafe`: the writer keeps `buffer` without a lifetime the compiler can check.
    @unsafe
    public init(buffer: UnsafeMutableRawBufferPointer) { unsafe self.buffer = buffer }

    @inline(__always) mutating func byte(_ b: UInt8) {
        guard unsafe count < buffer.count else {
            overflowed = true
            return
        }
        unsafe buffer[count] = b
        count += 1
    }

    /// Writes `{`.
    public mutating func beginObject() {
        byte(UInt8(ascii: "{"))
        needsComma = false
    }

    /// Writes `}`.
    public mutating func endObject() {
        byte(UInt8(ascii: "}"))
        needsComma = true
    }

    /// Writes `[`.
    public mutating func beginArray() {
        separate()
        byte(UInt8(ascii: "["))
        needsComma = false
    }

    /// Writes `]`.
    public mutating func endArray() {
        byte(UInt8(ascii: "]"))
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { byte(UInt8(ascii: ",")) }
    }

    /// Writes a member name and the colon (and a comma before it when needed).
    public mutating func key(_ name: String) {
        separate()
        writeQuoted(name)
        byte(UInt8(ascii: ":"))
        needsComma = false
    }

    /// Writes a string value.
    public mutating func string(_ value: String) {
        separate()
        writeQuoted(value)
        needsComma = true
    }

    /// Writes an integer value.
    public mutating func integer(_ value: Int64) {
        separate()
        if value < 0 { byte(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // up to 20 digits, stored little-endian
        var n = 0
        repeat {
            let d = UInt64(magnitude % 10)
            magnitude /= 10
            switch n / 8 {
            case 0: digits.0 |= d << UInt64((n % 8) * 8)
            case 1: digits.1 |= d << UInt64((n % 8) * 8)
            default: digits.2 |= d << UInt64((n % 8) * 8)
            }
            n += 1
        } while magnitude > 0
        while n > 0 {
            n -= 1
            let word = n / 8 == 0 ? digits.0 : n / 8 == 1 ? digits.1 : digits.2
            byte(UInt8(ascii: "0") + UInt8(truncatingIfNeeded: word >> UInt64((n % 8) * 8)))
        }
        needsComma = true
    }

    /// Writes a number's source text.
    public mutating func number(_ value: JSONNumber) {
        separate()
        for b in value.text.utf8 { byte(b) }
        needsComma = true
    }

    /// Writes `true` or `false`.
    public mutating func bool(_ value: Bool) {
        separate()
        for b in (value ? "true" : "false").utf8 { byte(b) }
        needsComma = true
    }

    /// Writes `null`.
    public mutating func null() {
        separate()
        for b in "null".utf8 { byte(b) }
        needsComma = true
    }

    /// Writes any ``JSONValue`` (allocation-free except for what the value already holds).
    public mutating func value(_ v: JSONValue) {
        switch v {
        case .null: null()
        case .bool(let b): bool(b)
        case .number(let n): number(n)
        case .string(let s): string(s)
        case .array(let a):
            beginArray()
            for e in a { value(e) }
            endArray()
        case .object(let o):
            separate()
            beginObject()
            for m in o.members {
                key(m.name)
                value(m.value)
            }
            endObject()
        }
    }

    private static let hex = Array("0123456789abcdef".utf8)

    /// Writes a string value given as UTF-8 bytes (escaped as needed).
    ///
    /// - Parameter bytes: Valid UTF-8.
    public mutating func string(utf8 bytes: RawSpan) {
        unsafe bytes.withUnsafeBytes { unsafe string(utf8: $0) }
    }

    /// Writes a string value given as UTF-8 bytes in a raw buffer; the `@unsafe` form of
    /// ``string(utf8:)-(RawSpan)`` for memory that comes from C.
    ///
    /// - Parameter bytes: Valid UTF-8.
    @unsafe
    public mutating func string(utf8 bytes: UnsafeRawBufferPointer) {
        separate()
        unsafe writeQuoted(bytes)
        needsComma = true
    }

    private mutating func writeQuoted(_ s: String) { writeQuoted(s.utf8) }

    private mutating func writeQuoted<S: Sequence<UInt8>>(_ s: S) {
        byte(UInt8(ascii: "\""))
        for b in s {
            switch b {
            case UInt8(ascii: "\""):
                byte(UInt8(ascii: "\\"))
                byte(b)
            case UInt8(ascii: "\\"):
                byte(UInt8(ascii: "\\"))
                byte(b)
            case 0x0A:
                byte(UInt8(ascii: "\\"))
                byte(UInt8(ascii: "n"))
            case 0x0D:
                byte(UInt8(ascii: "\\"))
                byte(UInt8(ascii: "r"))
            case 0x09:
                byte(UInt8(ascii: "\\"))
                byte(UInt8(ascii: "t"))
            case 0..<0x20:
                for c in "\\u00".utf8 { byte(c) }
                byte(Self.hex[Int(b >> 4)])
                byte(Self.hex[Int(b & 15)])
            default:
                byte(b)
            }
        }
        byte(UInt8(ascii: "\""))
    }
}
