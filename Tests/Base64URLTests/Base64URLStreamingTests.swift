// SPDX-License-Identifier: Apache-2.0

import Base64URL
import TestSupport
import Testing

@Suite struct Base64URLStreamingTests {
    @Test(arguments: [false, true]) func encodeChunkingsEqualOneShot(useSpans: Bool) throws {
        var rng = SplitMix64(seed: 0xC0FFEE)
        for length in Array(0...120) + [1000, 4099] {
            let bytes = rng.bytes(length)
            let expected = Base64URL.encodeToBytes(bytes)
            for _ in 0..<4 {
                let chunks = rng.chunking(of: length, maxChunk: length > 200 ? 700 : 19)
                #expect(try Streaming.encode(bytes, chunks: chunks, useSpans: useSpans) == expected, "\(chunks)")
            }
        }
    }

    @Test(arguments: [false, true]) func decodeChunkingsEqualOneShot(useSpans: Bool) throws {
        var rng = SplitMix64(seed: 0xDECAF)
        for length in Array(0...120) + [1000, 4099] {
            let bytes = rng.bytes(length)
            let encoded = Base64URL.encodeToBytes(bytes)
            for _ in 0..<4 {
                let chunks = rng.chunking(of: encoded.count, maxChunk: length > 200 ? 700 : 19)
                #expect(try Streaming.decode(encoded, chunks: chunks, useSpans: useSpans) == bytes, "\(chunks)")
            }
        }
    }

    /// Corrupt one byte (or the length, or the final bits) and check every chunking reports the one-shot error.
    @Test(arguments: [false, true]) func errorsHaveTheSameAbsoluteOffsets(useSpans: Bool) throws {
        var rng = SplitMix64(seed: 0xBAD_BAD)
        let bad: [UInt8] = [
            UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "/"), 0x0D, 0x0A, 0x20, 0x00, 0xE2, 0xFF,
        ]
        for round in 0..<400 {
            var chars = Base64URL.encodeToBytes(rng.bytes(Int.random(in: 0...90, using: &rng)))
            switch round % 4 {
            case 0, 1:
                if !chars.isEmpty {
                    chars[Int.random(in: 0..<chars.count, using: &rng)] = bad.randomElement(using: &rng) ?? 0
                }
            case 2:
                chars.append(UInt8(ascii: "A"))  // maybe 4k+1 now
            default:
                if chars.count % 4 >= 2, let last = chars.last, last != UInt8(ascii: "_") {
                    chars[chars.count - 1] = Reference.alphabet[(Reference.alphabet.firstIndex(of: last) ?? 0) | 1]
                }
            }
            let expected = Reference.firstError(chars)
            let oneShot = caught { () throws(Base64URLError) in try Base64URL.decode(chars) }
            #expect(oneShot?.site == expected?.site, "\(chars)")
            #expect(oneShot?.byte == expected?.byte)
            for _ in 0..<3 {
                let chunks = rng.chunking(of: chars.count)
                let streamed = caught { () throws(Base64URLError) in
                    try Streaming.decode(chars, chunks: chunks, useSpans: useSpans)
                }
                #expect(streamed == oneShot, "\(chars) \(chunks)")
                #expect(streamed?.byte == oneShot?.byte)
            }
        }
    }

    @Test func scalarIsReportedWhenTheChunkHoldsIt() throws {
        let text = Array("QUJD\u{2013}QUJD".utf8)  // E2 80 93 at offset 4
        let whole = caught { () throws(Base64URLError) in try Streaming.decode(text, chunks: [2, 9], useSpans: false) }
        #expect(whole?.site == ErrorSite(code: .invalidCharacter, offset: 4))
        #expect(whole?.scalar == "\u{2013}")
        let split = caught { () throws(Base64URLError) in try Streaming.decode(text, chunks: [5, 6], useSpans: true) }
        #expect(split?.site == ErrorSite(code: .invalidCharacter, offset: 4))
        #expect(split?.byte == 0xE2)
        #expect(split?.scalar == nil)
    }

    @Test func finishReportsLengthAndCanonicalErrors() throws {
        var decoder = Base64URLDecoder()
        let first = try [UInt8](capacity: 8) { (o) throws(Base64URLError) in
            try decoder.decode(Array("QUJDQ".utf8).span, into: &o)
        }
        #expect(first == Array("ABC".utf8))
        #expect(decoder.pendingCharacterCount == 1)
        let error = caught { () throws(Base64URLError) in
            try [UInt8](capacity: 8) { (o) throws(Base64URLError) in try decoder.finish(into: &o) }
        }
        #expect(error?.site == ErrorSite(code: .invalidLength, offset: 5))
        // The failure is sticky.
        let again = caught { () throws(Base64URLError) in
            try [UInt8](capacity: 3) { (o) throws(Base64URLError) in
                try decoder.decode(Array("QUJD".utf8).span, into: &o)
            }
        }
        #expect(again?.site == error?.site)

        #expect(
            thrownSite { () throws(Base64URLError) in
                try Streaming.decode(Array("QUJDQUJ".utf8), chunks: [3, 4], useSpans: true)
            } == ErrorSite(code: .nonCanonical, offset: 6))
        #expect(
            thrownSite { () throws(Base64URLError) in
                try Streaming.decode(Array("QR".utf8), chunks: [1, 1], useSpans: false)
            } == ErrorSite(code: .nonCanonical, offset: 1))
    }

    @Test func encoderAndDecoderResetAfterFinish() throws {
        var encoder = Base64URLEncoder()
        var decoder = Base64URLDecoder()
        for word in ["f", "fo", "foo", "foob"] {
            let chars = try [UInt8](capacity: 8) { (o) throws(Base64URLError) in
                try encoder.encode(Array(word.utf8).span, into: &o)
                try encoder.finish(into: &o)
            }
            #expect(chars == Base64URL.encodeToBytes(Array(word.utf8)))
            let bytes = try [UInt8](capacity: 8) { (o) throws(Base64URLError) in
                try decoder.decode(chars.span, into: &o)
                try decoder.finish(into: &o)
            }
            #expect(bytes == Array(word.utf8))
            #expect(encoder.pendingByteCount == 0 && decoder.pendingCharacterCount == 0)
        }
    }

    @Test func rawSpanStreaming() throws {
        var encoder = Base64URLEncoder()
        let input = Array("any carnal pleasure.".utf8)
        let chars = try unsafe [UInt8](unsafeUninitializedCapacity: 32) { (buffer, count) throws(Base64URLError) in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            var out = unsafe OutputRawSpan(buffer: raw, initializedCount: 0)
            try unsafe encoder.encode(input.span.bytes.extracting(0..<7), into: &out)
            try unsafe encoder.encode(input.span.bytes.extracting(7...), into: &out)
            try encoder.finish(into: &out)
            count = unsafe out.finalize(for: raw)
        }
        #expect(String(decoding: chars, as: UTF8.self) == "YW55IGNhcm5hbCBwbGVhc3VyZS4")
        var decoder = Base64URLDecoder()
        let bytes = try unsafe [UInt8](unsafeUninitializedCapacity: 32) { (buffer, count) throws(Base64URLError) in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            var out = unsafe OutputRawSpan(buffer: raw, initializedCount: 0)
            try unsafe decoder.decode(chars.span.bytes.extracting(0..<5), into: &out)
            try unsafe decoder.decode(chars.span.bytes.extracting(5...), into: &out)
            try decoder.finish(into: &out)
            count = unsafe out.finalize(for: raw)
        }
        #expect(bytes == input)
    }
}
