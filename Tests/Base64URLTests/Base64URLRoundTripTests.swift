// SPDX-License-Identifier: Apache-2.0

import Base64URL
import TestSupport
import Testing

@Suite struct Base64URLRoundTripTests {
    @Test(arguments: Shape.allCases) func allSingleBytes(shape: Shape) throws {
        for b in 0...255 {
            let bytes = [UInt8(b)]
            let encoded = try shape.encode(bytes)
            #expect(encoded == Reference.encode(bytes), "byte \(b)")
            #expect(try shape.decode(encoded) == bytes, "byte \(b)")
        }
    }

    /// Every length 0…300 (covering every alignment of the 24-byte and 16-character fast loops and their tails).
    @Test(arguments: Shape.allCases) func randomLengthsUpTo300(shape: Shape) throws {
        var rng = SplitMix64(seed: 0x5EED_0001)
        for length in 0...300 {
            for _ in 0..<3 {
                let bytes = rng.bytes(length)
                let encoded = try shape.encode(bytes)
                #expect(encoded.count == Base64URL.encodedCount(byteCount: length))
                #expect(encoded == Reference.encode(bytes), "length \(length)")
                #expect(try shape.decode(encoded) == bytes, "length \(length)")
            }
        }
    }

    @Test(arguments: [4095, 65_537, 1 << 20, (1 << 20) + 2]) func largeInputs(length: Int) throws {
        var rng = SplitMix64(seed: UInt64(length))
        let bytes = rng.bytes(length)
        let encoded = Base64URL.encodeToBytes(bytes)
        #expect(encoded.count == Base64URL.encodedCount(byteCount: length))
        // The reference is slow in debug builds: check the whole output for the smaller sizes, and windows of it
        // (start, a middle, the end) for the large ones.
        let window = length > 100_000 ? 3_000 : length
        for start in Set([0, length / 3 / 2 * 3, (length - window) / 3 * 3]) {
            let end = min(start + window, length)
            let chars = encoded[start / 3 * 4..<min(encoded.count, (end * 4 + 2) / 3)]
            #expect(Array(chars) == Reference.encode(Array(bytes[start..<end])), "window at \(start)")
        }
        #expect(try Base64URL.decode(encoded) == bytes)
        #expect(try Shape.rawBuffer.decode(encoded) == bytes)
    }

    /// Every 2- and 3-character final group: accepted exactly when canonical, and then it round-trips.
    @Test func everyShortFinalGroup() throws {
        let alphabet = Reference.alphabet
        var accepted2 = 0
        var accepted3 = 0
        for a in alphabet {
            for b in alphabet {
                for input in [[a, b], [UInt8(ascii: "Q"), a, b]] {
                    let expected = Reference.firstError(input)
                    let got = caught { () throws(Base64URLError) in
                        #expect(Base64URL.encodeToBytes(try Base64URL.decode(input)) == input)
                    }
                    #expect(got?.site == expected?.site, "\(input)")
                    if expected == nil, input.count == 2 { accepted2 += 1 }
                    if expected == nil, input.count == 3 { accepted3 += 1 }
                }
            }
        }
        #expect(accepted2 == 64 * 4)  // 2 of the last character's 6 bits are used
        #expect(accepted3 == 64 * 16)  // 4 of 6 bits
    }

    @Test func sizes() throws {
        for n in 0...100 {
            #expect(Base64URL.encodedCount(byteCount: n) == (n * 4 + 2) / 3)
            let m = Base64URL.encodedCount(byteCount: n)
            #expect(try Base64URL.decodedCount(encodedCount: m) == n)
        }
        #expect(Base64URL.encodedCount(byteCount: -5) == 0)
        #expect(Base64URL.encodedCount(byteCount: .max) == .max)
        #expect(Base64URL.encodedCount(byteCount: .max / 4 * 3) == .max / 4 * 4)
        #expect(
            thrownSite { () throws(Base64URLError) in try Base64URL.decodedCount(encodedCount: 5) }
                == ErrorSite(code: .invalidLength, offset: 5))
        #expect(
            thrownSite { () throws(Base64URLError) in
                try Base64URL.decodedCount(encodedCount: -4)
            } == ErrorSite(code: .invalidLength, offset: -4))
        #expect(try Base64URL.decodedCount(encodedCount: .max) == .max / 4 * 3 + 2)
    }

    @Test func conveniences() throws {
        #expect(Base64URL.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64URL.encode("hello world".utf8) == "aGVsbG8gd29ybGQ")
        #expect(Base64URL.encode([UInt8]()) == "")
        #expect(Base64URL.encodeToBytes([0xFB, 0xFF]) == Array("-_8".utf8))
        // Non-contiguous collections are copied, then encoded.
        let lazy = (0..<300).lazy.map { UInt8(truncatingIfNeeded: $0 &* 7) }
        #expect(Base64URL.encodeToBytes(lazy) == Reference.encode(Array(lazy)))
        #expect(Base64URL.encode(lazy) == String(decoding: Reference.encode(Array(lazy)), as: UTF8.self))

        #expect(try Base64URL.decode("Zm9vYmFy") == Array("foobar".utf8))
        #expect(try Base64URL.decode("") == [])
        let token = "xx.eyJhbGciOiJSUzI1NiJ9.yy"
        let segment = token.split(separator: ".")[1]
        #expect(try Base64URL.decode(segment.utf8) == Array(#"{"alg":"RS256"}"#.utf8))
        let bytes = Array("..A-z_4ME".utf8)
        #expect(try Base64URL.decode(bytes[2...]) == [3, 236, 255, 224, 193])
        #expect(
            try Base64URL.decode((0..<300).lazy.map { _ in UInt8(ascii: "A") }) == [UInt8](repeating: 0, count: 225))
        // Offsets count from the start of the slice.
        #expect(
            thrownSite { () throws(Base64URLError) in try Base64URL.decode(bytes[1...]) }
                == ErrorSite(code: .invalidCharacter, offset: 0))
    }
}
