// SPDX-License-Identifier: Apache-2.0

import Foundation
import TestSupport
import Testing

@testable import GMPVerifier

/// One hash function under test, erased so the same checks run for all three.
struct HashCase: Sendable, CustomTestStringConvertible {
    let name: String
    let algorithm: GMPRSAAlgorithm
    var testDescription: String { name }

    func hash(_ bytes: [UInt8]) -> [UInt8] {
        switch algorithm {
        case .rs256: SHA256.hash(bytes)
        case .rs384: SHA384.hash(bytes)
        default: SHA512.hash(bytes)
        }
    }

    /// Feeds `bytes` in the given chunk sizes, alternating the three `update` overloads.
    func hash(_ bytes: [UInt8], chunks: [Int]) -> [UInt8] {
        var h256 = SHA256()
        var h384 = SHA384()
        var h512 = SHA512()
        var offset = 0
        for (i, size) in chunks.enumerated() {
            let piece = Array(bytes[offset..<(offset + size)])
            offset += size
            switch (algorithm, i % 3) {
            case (.rs256, 0): h256.update(piece)
            case (.rs256, 1): unsafe piece.withUnsafeBytes { unsafe h256.update($0) }
            case (.rs256, _): unsafe h256.update(piece.span.bytes)
            case (.rs384, 0): h384.update(piece)
            case (.rs384, 1): unsafe piece.withUnsafeBytes { unsafe h384.update($0) }
            case (.rs384, _): unsafe h384.update(piece.span.bytes)
            case (_, 0): h512.update(piece)
            case (_, 1): unsafe piece.withUnsafeBytes { unsafe h512.update($0) }
            default: unsafe h512.update(piece.span.bytes)
            }
        }
        switch algorithm {
        case .rs256: return h256.finalize()
        case .rs384: return h384.finalize()
        default: return h512.finalize()
        }
    }

    static let all = [
        HashCase(name: "SHA-256", algorithm: .rs256), HashCase(name: "SHA-384", algorithm: .rs384),
        HashCase(name: "SHA-512", algorithm: .rs512),
    ]
}

@Suite struct SHA2Tests {
    static let m448 = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
    static let m896 = Array(
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"
            .utf8)

    /// FIPS 180-4 examples (NIST "Examples with Intermediate Values"): "abc", the 448-bit and 896-bit messages, and
    /// one million 'a'.
    @Test func fipsExamples() {
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        let abc = Array("abc".utf8)
        let expected: [(HashCase, [UInt8], String)] = [
            (HashCase.all[0], [], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (HashCase.all[0], abc, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (HashCase.all[0], Self.m448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
            (HashCase.all[0], Self.m896, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
            (HashCase.all[0], million, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
            (
                HashCase.all[1], abc,
                "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"
            ),
            (
                HashCase.all[1], Self.m896,
                "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039"
            ),
            (
                HashCase.all[1], million,
                "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985"
            ),
            (
                HashCase.all[2], abc,
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
            ),
            (
                HashCase.all[2], Self.m448,
                "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"
            ),
            (
                HashCase.all[2], Self.m896,
                "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"
            ),
            (
                HashCase.all[2], million,
                "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"
            ),
        ]
        for (c, message, hex) in expected {
            #expect(Hex.encode(c.hash(message)) == hex, "\(c.name) of \(message.count) bytes")
        }
    }

    /// The million-'a' example fed one byte at a time through a non-contiguous collection (the slow path).
    @Test func millionAByteByByte() {
        let lazyA = (0..<1_000_000).lazy.map { _ in UInt8(ascii: "a") }
        var h = SHA256()
        h.update(lazyA)
        #expect(Hex.encode(h.finalize()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Every length 0…2000 with random contents and a random chunk split, against OpenSSL's `EVP_Digest`.
    @Test(arguments: HashCase.all) func randomAgainstOpenSSL(_ c: HashCase) {
        var rng = SplitMix64(seed: 0x5167_4E45_5400 ^ UInt64(c.algorithm.digestByteCount))
        for length in 0...2000 {
            let message = rng.bytes(length)
            var chunks: [Int] = []
            var left = length
            while left > 0 {
                let size = Int.random(in: 0...min(left, 300), using: &rng)
                chunks.append(size)
                left -= size
            }
            let expected = Oracle.digest(c.algorithm, message)
            #expect(expected.count == c.algorithm.digestByteCount)
            #expect(c.hash(message) == expected, "\(c.name) one-shot, length \(length)")
            #expect(c.hash(message, chunks: chunks) == expected, "\(c.name) chunks \(chunks), length \(length)")
        }
    }

    /// Lengths around the padding boundaries, split at every position.
    @Test(arguments: HashCase.all) func boundarySplits(_ c: HashCase) {
        var rng = SplitMix64(seed: 42)
        let block = c.algorithm == .rs256 ? 64 : 128
        let lengthField = c.algorithm == .rs256 ? 8 : 16
        for length in [block - lengthField - 1, block - lengthField, block - 1, block, block + 1, 2 * block] {
            let message = rng.bytes(length)
            let expected = Oracle.digest(c.algorithm, message)
            for split in 0...length {
                #expect(
                    c.hash(message, chunks: [split, length - split]) == expected, "length \(length) split \(split)")
            }
        }
    }

    /// `finalize(into:)` writes exactly the digest and refuses a short buffer without writing.
    @Test func finalizeInto() throws {
        var buffer = [UInt8](repeating: 0xEE, count: 70)
        var h = SHA512()
        h.update(Array("abc".utf8))
        let copy = h
        try unsafe buffer.withUnsafeMutableBytes { try unsafe h.finalize(into: $0) }
        #expect(Array(buffer.prefix(64)) == SHA512.hash(Array("abc".utf8)))
        #expect(buffer.suffix(6).allSatisfy { $0 == 0xEE })

        var short = [UInt8](repeating: 0xEE, count: 47)
        let error = #expect(throws: GMPVerifierError.self) {
            try unsafe short.withUnsafeMutableBytes { try unsafe SHA384().finalize(into: $0) }
        }
        #expect(error?.code == .outputTooSmall)
        #expect(short.allSatisfy { $0 == 0xEE })
        #expect(copy.finalize() == SHA512.hash(Array("abc".utf8)), "copying a hasher forks it")
    }
}
