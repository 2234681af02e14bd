// SPDX-License-Identifier: Apache-2.0

// The hot loops. They work on raw pointers whose bounds the public entry points have already checked, so they never
// trap and never read or write outside the caller's buffers.

extension Base64URL {
    /// Encodes `count` bytes at `src` into `encodedCount(byteCount: count)` characters at `dst` (which must have room).
    ///
    /// PERF: `Base64URL.encode.16KiB` / `.1MiB`: 24 input bytes per iteration as three 64-bit loads, split into
    /// eight 12-bit indices into a 4096-entry two-character table, written as four 64-bit stores; about twice the
    /// work per instruction of a one-character-per-lookup loop.
    @usableFromInline
    static func _encode(_ src: UnsafeRawPointer, count n: Int, into dst: UnsafeMutableRawPointer) -> Int {
        unsafe Base64URLTables.encodePairs.withUnsafeBufferPointer { table -> Int in
            guard let t = table.baseAddress else { return 0 }

            @inline(__always) func chars(_ g: UInt64) -> UInt64 {  // 48 bits in, 8 characters out (big-endian)
                let a = unsafe UInt64(t[Int(truncatingIfNeeded: g &>> 36)])
                let b = unsafe UInt64(t[Int(truncatingIfNeeded: (g &>> 24) & 0xFFF)])
                let c = unsafe UInt64(t[Int(truncatingIfNeeded: (g &>> 12) & 0xFFF)])
                let d = unsafe UInt64(t[Int(truncatingIfNeeded: g & 0xFFF)])
                return a &<< 48 | b &<< 32 | c &<< 16 | d
            }

            var i = 0
            var o = 0
            while n &- i >= 24 {
                let x0 = unsafe UInt64(bigEndian: src.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let x1 = unsafe UInt64(bigEndian: src.loadUnaligned(fromByteOffset: i &+ 8, as: UInt64.self))
                let x2 = unsafe UInt64(bigEndian: src.loadUnaligned(fromByteOffset: i &+ 16, as: UInt64.self))
                let mask: UInt64 = 0xFFFF_FFFF_FFFF
                let c0 = chars(x0 &>> 16)
                let c1 = chars((x0 &<< 32 | x1 &>> 32) & mask)
                let c2 = chars((x1 &<< 16 | x2 &>> 48) & mask)
                let c3 = chars(x2 & mask)
                unsafe dst.storeBytes(of: c0.bigEndian, toByteOffset: o, as: UInt64.self)
                unsafe dst.storeBytes(of: c1.bigEndian, toByteOffset: o &+ 8, as: UInt64.self)
                unsafe dst.storeBytes(of: c2.bigEndian, toByteOffset: o &+ 16, as: UInt64.self)
                unsafe dst.storeBytes(of: c3.bigEndian, toByteOffset: o &+ 24, as: UInt64.self)
                i &+= 24
                o &+= 32
            }
            while n &- i >= 3 {
                let b0 = unsafe UInt32(src.load(fromByteOffset: i, as: UInt8.self))
                let b1 = unsafe UInt32(src.load(fromByteOffset: i &+ 1, as: UInt8.self))
                let b2 = unsafe UInt32(src.load(fromByteOffset: i &+ 2, as: UInt8.self))
                let g = b0 &<< 16 | b1 &<< 8 | b2
                let hi = unsafe UInt32(t[Int(truncatingIfNeeded: g &>> 12)])
                let lo = unsafe UInt32(t[Int(truncatingIfNeeded: g & 0xFFF)])
                unsafe dst.storeBytes(of: (hi &<< 16 | lo).bigEndian, toByteOffset: o, as: UInt32.self)
                i &+= 3
                o &+= 4
            }
            let rest = n &- i
            if rest > 0 {
                let b0 = unsafe src.load(fromByteOffset: i, as: UInt8.self)
                let b1: UInt8 = rest == 2 ? unsafe src.load(fromByteOffset: i &+ 1, as: UInt8.self) : 0
                unsafe dst.storeBytes(of: Base64URLTables.alphabet(b0 &>> 2), toByteOffset: o, as: UInt8.self)
                unsafe dst.storeBytes(
                    of: Base64URLTables.alphabet((b0 & 3) &<< 4 | b1 &>> 4), toByteOffset: o &+ 1, as: UInt8.self)
                o &+= 2
                if rest == 2 {
                    unsafe dst.storeBytes(of: Base64URLTables.alphabet((b1 & 15) &<< 2), toByteOffset: o, as: UInt8.self)
                    o &+= 1
                }
            }
            return o
        }
    }

    /// Encodes exactly `count` (0…3) bytes given in `bytes` (first byte in bits 16…23) as a final, unpadded group.
    static func _encodeFinal(_ bytes: UInt32, count: Int, into dst: UnsafeMutableRawPointer) -> Int {
        guard count > 0 else { return 0 }
        let written = count + 1
        for k in 0..<written {
            let v = UInt8(truncatingIfNeeded: bytes &>> UInt32(18 - 6 * k)) & 63
            unsafe dst.storeBytes(of: Base64URLTables.alphabet(v), toByteOffset: k, as: UInt8.self)
        }
        return written
    }

    /// Decodes `groups` complete 4-character groups starting at `input[start]` into `3 * groups` bytes at `dst`.
    /// Throws the error for the first byte that is not in the alphabet, with offset `absoluteBase + index`.
    ///
    /// PERF: `Base64URL.decode.16KiB` / `.1MiB`: 16 characters per iteration as two 64-bit loads and sixteen
    /// lookups into four pre-shifted tables, OR-ed into four 24-bit groups, validity checked once per block
    /// (bit 24+), written as one 64-bit and one 32-bit store. A block with an invalid byte is re-scanned slowly to
    /// report the exact offset.
    @usableFromInline
    static func _decodeGroups(
        _ input: UnsafeRawBufferPointer, from start: Int, groups: Int, into dst: UnsafeMutableRawPointer,
        absoluteBase: Int
    ) throws(Base64URLError) -> Int {
        guard groups > 0, let src = input.baseAddress else { return 0 }
        return try unsafe Base64URLTables.decodeShifted.withUnsafeBufferPointer {
            (table) throws(Base64URLError) -> Int in
            guard let d = table.baseAddress else { return 0 }

            @inline(__always) func group(_ w: UInt64) -> UInt32 {  // 4 characters in the low 32 bits, in memory order
                unsafe d[Int(truncatingIfNeeded: w & 0xFF)]
                    | d[256 &+ Int(truncatingIfNeeded: (w &>> 8) & 0xFF)]
                    | d[512 &+ Int(truncatingIfNeeded: (w &>> 16) & 0xFF)]
                    | d[768 &+ Int(truncatingIfNeeded: (w &>> 24) & 0xFF)]
            }

            let end = start &+ groups &* 4
            var i = start
            var o = 0
            while end &- i >= 16 {
                let w0 = unsafe UInt64(littleEndian: src.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let w1 = unsafe UInt64(littleEndian: src.loadUnaligned(fromByteOffset: i &+ 8, as: UInt64.self))
                let v0 = group(w0)
                let v1 = group(w0 &>> 32)
                let v2 = group(w1)
                let v3 = group(w1 &>> 32)
                guard (v0 | v1 | v2 | v3) & Base64URLTables.invalidBits == 0 else {
                    throw unsafe _firstInvalid(input, from: i, to: i &+ 16, absoluteBase: absoluteBase)
                }
                let hi = UInt64(v0) &<< 40 | UInt64(v1) &<< 16 | UInt64(v2) &>> 8
                let lo = v2 &<< 24 | v3
                unsafe dst.storeBytes(of: hi.bigEndian, toByteOffset: o, as: UInt64.self)
                unsafe dst.storeBytes(of: lo.bigEndian, toByteOffset: o &+ 8, as: UInt32.self)
                i &+= 16
                o &+= 12
            }
            while i < end {
                let w = unsafe UInt64(UInt32(littleEndian: src.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
                let v = group(w)
                guard v & Base64URLTables.invalidBits == 0 else {
                    throw unsafe _firstInvalid(input, from: i, to: i &+ 4, absoluteBase: absoluteBase)
                }
                unsafe dst.storeBytes(of: UInt16(truncatingIfNeeded: v &>> 8).bigEndian, toByteOffset: o, as: UInt16.self)
                unsafe dst.storeBytes(of: UInt8(truncatingIfNeeded: v), toByteOffset: o &+ 2, as: UInt8.self)
                i &+= 4
                o &+= 3
            }
            return o
        }
    }

    /// The error for the first byte of `input[from..<to]` that is not in the alphabet (the caller knows one is).
    @inline(never)
    static func _firstInvalid(
        _ input: UnsafeRawBufferPointer, from: Int, to: Int, absoluteBase: Int
    ) -> Base64URLError {
        var i = from
        while i < to {
            if Base64URLTables.value(of: unsafe input[i]) > 63 { break }
            i += 1
        }
        return unsafe Base64URLError.invalidByte(in: input, at: i, absoluteBase: absoluteBase)
    }

    /// Decodes the final partial group of 2 or 3 already-validated 6-bit values (`values`, first in bits 18…23),
    /// writing 1 or 2 bytes. Throws ``Base64URLError/Code/nonCanonical`` (at `lastOffset`, naming `lastByte`) if
    /// the unused low bits of the last character are not zero.
    static func _decodeFinal(
        _ values: UInt32, count: Int, lastOffset: Int, lastByte: UInt8, into dst: UnsafeMutableRawPointer
    ) throws(Base64URLError) -> Int {
        let written = count - 1  // 2 characters → 1 byte, 3 → 2
        let unusedBits = count == 2 ? 4 : 2
        // The 24-bit group is `values`; the bits below the written bytes must be zero.
        let spareMask: UInt32 = count == 2 ? 0x00_FFFF : 0x00_00FF
        guard values & spareMask == 0 else {
            throw Base64URLError.nonCanonical(offset: lastOffset, byte: lastByte, unusedBitCount: unusedBits)
        }
        unsafe dst.storeBytes(of: UInt8(truncatingIfNeeded: values &>> 16), toByteOffset: 0, as: UInt8.self)
        if written == 2 {
            unsafe dst.storeBytes(of: UInt8(truncatingIfNeeded: values &>> 8), toByteOffset: 1, as: UInt8.self)
        }
        return written
    }

    /// Decodes a whole input whose output space was already checked: full groups in bulk, then the 0–3 character
    /// tail (which may be invalid length or non-canonical). Errors are ordered by offset.
    @usableFromInline
    static func _decodeAll(
        _ input: UnsafeRawBufferPointer, into dst: UnsafeMutableRawPointer, absoluteBase: Int
    ) throws(Base64URLError) -> Int {
        let n = input.count
        let groups = n / 4
        var o = try unsafe _decodeGroups(input, from: 0, groups: groups, into: dst, absoluteBase: absoluteBase)
        let tail = n &- groups &* 4
        guard tail > 0 else { return o }
        let base = groups &* 4
        var values: UInt32 = 0
        for k in 0..<tail {
            let v = Base64URLTables.value(of: unsafe input[base + k])
            guard v < 64 else { throw unsafe Base64URLError.invalidByte(in: input, at: base + k, absoluteBase: absoluteBase) }
            values |= UInt32(v) &<< UInt32(18 - 6 * k)
        }
        guard tail > 1 else { throw Base64URLError.invalidLength(count: absoluteBase + n) }
        o += try unsafe _decodeFinal(
            values, count: tail, lastOffset: absoluteBase + n - 1, lastByte: input[n - 1], into: dst + o)
        return o
    }
}
