// SPDX-License-Identifier: Apache-2.0

import TestSupport
import Testing

@testable import NHSEmulator

@Suite("Random tokens and message ids")
struct RandomTokenTests {
    @Test("every alphabet: the length asked for, only its symbols (from the DRBG: properties of every draw)")
    func lengthsAndSymbols() {
        for alphabet in [RandomToken.alphanumeric, RandomToken.digits, RandomToken.lowercase] {
            for count in [0, 1, 7, 8, 9, 28, 200] {
                let token = Array(RandomToken.make(count: count, alphabet: alphabet).utf8)
                #expect(token.count == count)
                #expect(token.allSatisfy(alphabet.contains))
            }
        }
    }

    /// A source that gives every byte value in turn, 0...255, again and again.
    static func everyByte() -> (inout [UInt8]) -> Void {
        var next = 0
        return { pool in
            for i in pool.indices {
                pool[i] = UInt8(truncatingIfNeeded: next)
                next += 1
            }
        }
    }

    @Test("bytes at or above the largest multiple of the alphabet's size are dropped: every symbol exactly as often")
    func rejectionMakesEverySymbolEquallyLikely() {
        for alphabet in [RandomToken.alphanumeric, RandomToken.digits, RandomToken.lowercase] {
            // One pass over 0...255 keeps 256 − 256 % size bytes: each symbol exactly (256 / size) times.
            let kept = 256 - 256 % alphabet.count
            let token = Array(RandomToken.make(count: kept * 3, alphabet: alphabet, fill: Self.everyByte()).utf8)
            var counts = [UInt8: Int]()
            for byte in token { counts[byte, default: 0] += 1 }
            #expect(counts.count == alphabet.count)
            #expect(counts.values.allSatisfy { $0 == 3 * (256 / alphabet.count) }, "\(counts)")
            // In order: byte b maps to alphabet[b % size], and the dropped bytes leave no trace.
            #expect(Array(token.prefix(alphabet.count)) == alphabet)
        }
    }

    @Test("uniform over the alphabet on a seeded source (chi-squared, 62 symbols, 124,000 draws)")
    func uniform() {
        let alphabet = RandomToken.alphanumeric
        var rng = SplitMix64(seed: 0x5167_6E65_7454_6F6B)
        let token = RandomToken.make(count: 124_000, alphabet: alphabet) { pool in
            for i in pool.indices { pool[i] = UInt8(truncatingIfNeeded: rng.next()) }
        }
        var counts = [UInt8: Int]()
        for byte in token.utf8 { counts[byte, default: 0] += 1 }
        let expected = 124_000.0 / Double(alphabet.count)
        let chi2 = alphabet.reduce(0.0) { sum, symbol in
            let d = Double(counts[symbol, default: 0]) - expected
            return sum + d * d / expected
        }
        // 61 degrees of freedom: mean 61; a plain byte modulo 62 (no rejection of bytes 248...255) gives about 800.
        // The source is seeded, so this is one fixed number, not a draw.
        #expect(chi2 < 150, "chi-squared \(chi2)")
        #expect(Set(token.utf8) == Set(alphabet))
    }

    @Test("a message id has APIM's shape: rrt-, 19 digits, -, 6 lowercase letters")
    func messageID() {
        let id = Array(EndpointResponse.messageID().utf8)
        #expect(id.count == 4 + 19 + 1 + 6)
        #expect(Array(id[..<4]) == Array("rrt-".utf8))
        #expect(id[4..<23].allSatisfy(RandomToken.digits.contains))
        #expect(id[23] == UInt8(ascii: "-"))
        #expect(id[24...].allSatisfy(RandomToken.lowercase.contains))
    }
}
