// SPDX-License-Identifier: Apache-2.0

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
            case UInt8(ascii: "b"):
                i += 2
                return 0x08
            case UInt8(ascii: "f"):
                i += 2
                return 0x0C
            case UInt8(ascii: "n"):
                i += 2
                return 0x0A
            case UInt8(ascii: "r"):
                i += 2
                return 0x0D
            case UInt8(ascii: "t"):
                i += 2
                return 0x09
            case UInt8(ascii: "u"):
                let high = unsafe hex4(base, i + 2)
                i += 6
                guard high >= 0xD800 && high <= 0xDBFF else { return high }
                let low = unsafe hex4(base, i + 2)
                i += 6
                return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
            default:
                i += 2
                return UInt32(e)  // '"', '\\', '/'
            }
        }
        var value: UInt32
        let length: Int
        if b0 < 0xE0 {
            length = 2
            value = UInt32(b0 & 0x1F)
        } else if b0 < 0xF0 {
            length = 3
            value = UInt32(b0 & 0x0F)
        } else {
            length = 4
            value = UInt32(b0 & 0x07)
        }
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
    static func equalScalars(_ a: JSONStringToken, in base: UnsafeRawPointer, toUTF8 o: UnsafeRawBufferPointer) -> Bool
    {
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
        // swift-format-ignore
        for unsafe b in unsafe o where b >= 0x80 { return false }
        return true
    }

    @inline(__always)
    static func memcmpEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
        var k = 0
        while n - k >= 8 {
            guard
                unsafe a.loadUnaligned(fromByteOffset: k, as: UInt64.self)
                    == b.loadUnaligned(fromByteOffset: k, as: UInt64.self)
            else { return false }
            k += 8
        }
        while k < n {
            guard unsafe a.load(fromByteOffset: k, as: UInt8.self) == b.load(fromByteOffset: k, as: UInt8.self) else {
                return false
            }
            k += 1
        }
        return true
    }

    /// The decoded string (allocates for more than 15 UTF-8 bytes).
    static func string(_ a: JSONStringToken, in base: UnsafeRawPointer) -> String {
        if !a.isEscaped {
            return unsafe String(
                decoding: UnsafeRawBufferPointer(start: base + a.start, count: a.rawCount), as: UTF8.self)
        }
        return unsafe String(
            unsafeUninitializedCapacity: a.decodedCount,
            initializingUTF8With: { (out) -> Int in
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
