// SPDX-License-Identifier: Apache-2.0
import Testing

@testable import NHSEmulator

@Suite("Random tokens and message ids")
struct RandomTokenTests {
    @Test("every alphabet: the length asked for, only its symbols, each symbol drawn")
    func lengthsAndSymbols() {
        for alphabet in [RandomToken.alphanumeric, RandomToken.digits, RandomToken.lowercase] {
            for count in [0, 1, 7, 8, 9, 28, 200] {
                let token = Array(RandomToken.make(count: count, alphabet: alphabet).utf8)
                #expect(token.count == count)
                #expect(token.allSatisfy(alphabet.contains))
            }
            let many = Array(RandomToken.make(count: 20_000, alphabet: alphabet).utf8)
            #expect(Set(many) == Set(alphabet))
        }
    }

    @Test("uniform over the alphabet (chi-squared, 62 symbols, 124,000 draws)")
    func uniform() {
        let alphabet = RandomToken.alphanumeric
        var counts = [UInt8: Int]()
        for byte in RandomToken.make(count: 124_000, alphabet: alphabet).utf8 { counts[byte, default: 0] += 1 }
        let expected = 124_000.0 / Double(alphabet.count)
        let chi2 = alphabet.reduce(0.0) { sum, symbol in
            let d = Double(counts[symbol, default: 0]) - expected
            return sum + d * d / expected
        }
        // 61 degrees of freedom: mean 61, a uniform source exceeds 150 with p < 1e-11; a plain byte modulo 62
        // (no rejection of bytes 248...255) gives about 800.
        #expect(chi2 < 150, "chi-squared \(chi2)")
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
