// SPDX-License-Identifier: Apache-2.0

/// Lookup tables for the base64url alphabet (RFC 4648 §5), built once on first use.
@usableFromInline
enum Base64URLTables {
    /// The character for a 6-bit value (`v < 64`), computed without a table.
    @inlinable @inline(__always)
    static func alphabet(_ v: UInt8) -> UInt8 {
        switch v {
        case 0..<26: v &+ 65  // A-Z
        case 26..<52: v &+ 71  // a-z
        case 52..<62: v &- 4  // 0-9
        case 62: 0x2D  // -
        default: 0x5F  // _
        }
    }

    /// The 6-bit value of `byte`, or 0xFF if `byte` is not in the alphabet.
    @inline(__always)
    static func value(of byte: UInt8) -> UInt8 {
        switch byte {
        case 0x41...0x5A: byte &- 65
        case 0x61...0x7A: byte &- 71
        case 0x30...0x39: byte &+ 4
        case 0x2D: 62
        case 0x5F: 63
        default: 0xFF
        }
    }

    /// 4096 entries: the two characters for a 12-bit value, first character in the high byte (store with
    /// `.bigEndian` to get them in order on any platform). 8 KiB, so it stays in L1 during a bulk encode.
    @usableFromInline static let encodePairs: [UInt16] = (0..<4096).map { i in
        UInt16(alphabet(UInt8(truncatingIfNeeded: i >> 6))) << 8 | UInt16(alphabet(UInt8(truncatingIfNeeded: i & 63)))
    }
}
