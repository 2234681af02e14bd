// SPDX-License-Identifier: Apache-2.0

import Base64URL
import Testing

/// Every API shape throws `.outputTooSmall` (never traps) when the output is one byte short, writes nothing, and
/// succeeds when retried with enough space.
@Suite struct Base64URLOutputSpaceTests {
    static let bytes = Array("any carnal pleas".utf8)  // 16 bytes → 22 characters
    static let chars = Array("YW55IGNhcm5hbCBwbGVhcw".utf8)

    /// Runs `body` on a zero-filled buffer of `capacity` bytes, returning the error and whether it was left untouched.
    static func raw(
        capacity: Int, _ body: (UnsafeMutableRawBufferPointer) throws(Base64URLError) -> Int
    ) -> (error: Base64URLError?, untouched: Bool) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 1)
        defer { unsafe buffer.deallocate() }
        unsafe buffer.initializeMemory(as: UInt8.self, repeating: 0)
        let error = caught { () throws(Base64URLError) in _ = try unsafe body(buffer) }
        return (error, unsafe buffer.allSatisfy { $0 == 0 })
    }

    /// Runs `body` on an `OutputSpan` of `capacity` bytes that already holds one byte, returning the error and the
    /// initialized count afterwards.
    static func span(
        capacity: Int, _ body: (inout OutputSpan<UInt8>) throws(Base64URLError) -> Void
    ) -> (error: Base64URLError?, count: Int) {
        var error: Base64URLError? = nil
        let result = [UInt8](capacity: capacity + 1) { o in
            o.append(0x7E)
            error = caught { () throws(Base64URLError) in try body(&o) }
        }
        return (error, result.count)
    }

    /// Same with an `OutputRawSpan`.
    static func rawSpan(
        capacity: Int, _ body: (inout OutputRawSpan) throws(Base64URLError) -> Void
    ) -> (error: Base64URLError?, count: Int) {
        var error: Base64URLError? = nil
        let result = unsafe [UInt8](unsafeUninitializedCapacity: capacity + 1) { buffer, count in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            var o = unsafe OutputRawSpan(buffer: raw, initializedCount: 0)
            o.append(UInt8(0x7E))
            error = caught { () throws(Base64URLError) in try body(&o) }
            count = unsafe o.finalize(for: raw)
        }
        return (error, result.count)
    }

    static func expectTooSmall(_ error: Base64URLError?, offset: Int = 0, needed: Int, available: Int) {
        #expect(error?.site == ErrorSite(code: .outputTooSmall, offset: offset))
        #expect(error?.neededOutputCount == needed)
        #expect(error?.availableOutputCount == available)
        #expect(error?.reason.contains("room for \(available) bytes but \(needed)") == true)
    }

    @Test func oneShotRawBuffers() throws {
        let bytes = Self.bytes
        let chars = Self.chars
        for capacity in [0, 21] {
            let e = unsafe Self.raw(capacity: capacity) { (out) throws(Base64URLError) in
                try unsafe bytes.span.withUnsafeBytes { (i) throws(Base64URLError) in
                    try unsafe Base64URL.encode(i, into: out)
                }
            }
            Self.expectTooSmall(e.error, needed: 22, available: capacity)
            #expect(e.untouched)
        }
        for capacity in [0, 15] {
            let d = unsafe Self.raw(capacity: capacity) { (out) throws(Base64URLError) in
                try unsafe chars.span.withUnsafeBytes { (i) throws(Base64URLError) in
                    try unsafe Base64URL.decode(i, into: out)
                }
            }
            Self.expectTooSmall(d.error, needed: 16, available: capacity)
            #expect(d.untouched)
        }
        // Exactly enough space works.
        let exact = unsafe Self.raw(capacity: 22) { (out) throws(Base64URLError) in
            try unsafe bytes.span.withUnsafeBytes { (i) throws(Base64URLError) in
                try unsafe Base64URL.encode(i, into: out)
            }
        }
        #expect(exact.error == nil)
        #expect(!exact.untouched)
        // A single character needs no output space and is an invalid length, not "output too small".
        let one = unsafe Self.raw(capacity: 0) { (out) throws(Base64URLError) in
            try unsafe [UInt8(ascii: "Q")].span.withUnsafeBytes { (i) throws(Base64URLError) in
                try unsafe Base64URL.decode(i, into: out)
            }
        }
        #expect(one.error?.site == ErrorSite(code: .invalidLength, offset: 1))
        let star = unsafe Self.raw(capacity: 0) { (out) throws(Base64URLError) in
            try unsafe [UInt8(ascii: "*")].span.withUnsafeBytes { (i) throws(Base64URLError) in
                try unsafe Base64URL.decode(i, into: out)
            }
        }
        #expect(star.error?.site == ErrorSite(code: .invalidCharacter, offset: 0))
    }

    @Test func oneShotSpans() throws {
        let bytes = Self.bytes
        let chars = Self.chars
        var r = Self.span(capacity: 21) { (o) throws(Base64URLError) in try Base64URL.encode(bytes.span, into: &o) }
        Self.expectTooSmall(r.error, needed: 22, available: 21)
        #expect(r.count == 1)
        r = Self.span(capacity: 15) { (o) throws(Base64URLError) in try Base64URL.decode(chars.span, into: &o) }
        Self.expectTooSmall(r.error, needed: 16, available: 15)
        #expect(r.count == 1)
        r = Self.rawSpan(capacity: 21) { (o) throws(Base64URLError) in
            try unsafe Base64URL.encode(bytes.span.bytes, into: &o)
        }
        Self.expectTooSmall(r.error, needed: 22, available: 21)
        #expect(r.count == 1)
        r = Self.rawSpan(capacity: 15) { (o) throws(Base64URLError) in
            try unsafe Base64URL.decode(chars.span.bytes, into: &o)
        }
        Self.expectTooSmall(r.error, needed: 16, available: 15)
        #expect(r.count == 1)
        // A decoding error leaves the span's initialized count unchanged too.
        r = Self.span(capacity: 16) { (o) throws(Base64URLError) in
            try Base64URL.decode(Array("QUJD*".utf8).span, into: &o)
        }
        #expect(r.error?.site == ErrorSite(code: .invalidCharacter, offset: 4))
        #expect(r.count == 1)
        // Enough space appends after the existing byte.
        let ok = try [UInt8](capacity: 23) { (o) throws(Base64URLError) in
            o.append(0x7E)
            try Base64URL.encode(bytes.span, into: &o)
        }
        #expect(ok == [0x7E] + chars)
    }

    @Test func streamingEncoder() throws {
        let bytes = Self.bytes
        var encoder = Base64URLEncoder()
        let first = unsafe Self.raw(capacity: 3) { (out) throws(Base64URLError) in
            try unsafe bytes.span.withUnsafeBytes { (i) throws(Base64URLError) in
                try unsafe encoder.encode(i, into: out)
            }
        }
        Self.expectTooSmall(first.error, needed: 20, available: 3)
        #expect(first.untouched)
        #expect(encoder.pendingByteCount == 0)  // nothing consumed: retry works
        let five = Array(bytes[0..<5])
        _ = try [UInt8](capacity: 4) { (o) throws(Base64URLError) in try encoder.encode(five.span, into: &o) }
        #expect(encoder.pendingByteCount == 2)
        // Offsets are absolute: the next chunk starts at 5.
        let second = Self.span(capacity: 3) { (o) throws(Base64URLError) in
            try encoder.encode(Array(bytes[5...]).span, into: &o)
        }
        Self.expectTooSmall(second.error, offset: 5, needed: 16, available: 3)
        let rawSpan = Self.rawSpan(capacity: 3) { (o) throws(Base64URLError) in
            try unsafe encoder.encode(Array(bytes[5...]).span.bytes, into: &o)
        }
        Self.expectTooSmall(rawSpan.error, offset: 5, needed: 16, available: 3)
        let finish = unsafe Self.raw(capacity: 2) { (out) throws(Base64URLError) in try unsafe encoder.finish(into: out)
        }
        Self.expectTooSmall(finish.error, offset: 5, needed: 3, available: 2)
        let finishSpan = Self.span(capacity: 2) { (o) throws(Base64URLError) in try encoder.finish(into: &o) }
        Self.expectTooSmall(finishSpan.error, offset: 5, needed: 3, available: 2)
        let finishRawSpan = Self.rawSpan(capacity: 2) { (o) throws(Base64URLError) in try encoder.finish(into: &o) }
        Self.expectTooSmall(finishRawSpan.error, offset: 5, needed: 3, available: 2)
        let rest = try [UInt8](capacity: 3) { (o) throws(Base64URLError) in try encoder.finish(into: &o) }
        #expect(rest == Base64URL.encodeToBytes(Array(" c".utf8)))  // "any c": "any" was encoded, " c" carried
    }

    @Test func streamingDecoder() throws {
        let chars = Self.chars
        var decoder = Base64URLDecoder()
        let first = unsafe Self.raw(capacity: 2) { (out) throws(Base64URLError) in
            try unsafe chars.span.withUnsafeBytes { (i) throws(Base64URLError) in
                try unsafe decoder.decode(i, into: out)
            }
        }
        Self.expectTooSmall(first.error, needed: 15, available: 2)
        #expect(first.untouched)
        #expect(decoder.pendingCharacterCount == 0)
        let six = Array(chars[0..<6])
        _ = try [UInt8](capacity: 3) { (o) throws(Base64URLError) in try decoder.decode(six.span, into: &o) }
        #expect(decoder.pendingCharacterCount == 2)
        let second = Self.span(capacity: 2) { (o) throws(Base64URLError) in
            try decoder.decode(Array(chars[6...]).span, into: &o)
        }
        Self.expectTooSmall(second.error, offset: 6, needed: 12, available: 2)
        let rawSpan = Self.rawSpan(capacity: 2) { (o) throws(Base64URLError) in
            try unsafe decoder.decode(Array(chars[6...]).span.bytes, into: &o)
        }
        Self.expectTooSmall(rawSpan.error, offset: 6, needed: 12, available: 2)
        // outputTooSmall is not sticky: the retry succeeds.
        let body = try [UInt8](capacity: 12) { (o) throws(Base64URLError) in
            try decoder.decode(Array(chars[6...]).span, into: &o)
        }
        #expect(body.count == 12)
        let finish = unsafe Self.raw(capacity: 0) { (out) throws(Base64URLError) in try unsafe decoder.finish(into: out)
        }
        Self.expectTooSmall(finish.error, offset: 22, needed: 1, available: 0)
        let finishSpan = Self.span(capacity: 0) { (o) throws(Base64URLError) in try decoder.finish(into: &o) }
        Self.expectTooSmall(finishSpan.error, offset: 22, needed: 1, available: 0)
        let finishRawSpan = Self.rawSpan(capacity: 0) { (o) throws(Base64URLError) in try decoder.finish(into: &o) }
        Self.expectTooSmall(finishRawSpan.error, offset: 22, needed: 1, available: 0)
        let last = try [UInt8](capacity: 1) { (o) throws(Base64URLError) in try decoder.finish(into: &o) }
        #expect(last == [UInt8(ascii: "s")])
    }
}
