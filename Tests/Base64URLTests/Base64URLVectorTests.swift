// SPDX-License-Identifier: Apache-2.0

import Base64URL
import TestSupport
import Testing

/// RFC 4648 §10 and RFC 7515 Appendix C, loaded from `Tests/Vectors/rfc/rfc4648_section10.json`.
@Suite struct Base64URLVectorTests {
    struct Vector: CustomStringConvertible, Sendable {
        let input: [UInt8]
        let output: String
        var description: String { "\(input) ↔ \"\(output)\"" }
    }

    static func load(_ key: String) throws -> [[String: Any]] {
        let root = try #require(try Vectors.json("rfc/rfc4648_section10.json") as? [String: Any])
        return try #require(root[key] as? [[String: Any]])
    }

    static func vectors() throws -> [Vector] {
        var out: [Vector] = []
        for row in try load("base64url_nopad") {
            let input = try #require(row["input"] as? String)
            out.append(Vector(input: Array(input.utf8), output: try #require(row["output"] as? String)))
        }
        for row in try load("base64url_octets") {
            let octets = try #require(row["input_octets"] as? [Int])
            out.append(Vector(input: octets.map { UInt8($0) }, output: try #require(row["output"] as? String)))
        }
        return out
    }

    @Test func vectorFileHasBothSections() throws {
        let vectors = try Self.vectors()
        #expect(vectors.count == 8)
        #expect(vectors.contains { $0.output == "A-z_4ME" && $0.input == [3, 236, 255, 224, 193] })
    }

    @Test(arguments: Shape.allCases) func encodesVectors(shape: Shape) throws {
        for vector in try Self.vectors() {
            #expect(try shape.encode(vector.input) == Array(vector.output.utf8), "\(vector)")
        }
    }

    @Test(arguments: Shape.allCases) func decodesVectors(shape: Shape) throws {
        for vector in try Self.vectors() {
            #expect(try shape.decode(Array(vector.output.utf8)) == vector.input, "\(vector)")
        }
    }

    /// The padded standard rows of §10 are not base64url: each is rejected at its first `=`.
    @Test func paddedRowsAreRejectedAtFirstPad() throws {
        for row in try Self.load("base64") {
            let padded = try #require(row["output"] as? String)
            guard let pad = padded.utf8.firstIndex(of: UInt8(ascii: "=")) else {
                #expect(throws: Never.self) { try Base64URL.decode(padded) }
                continue
            }
            let offset = padded.utf8.distance(from: padded.utf8.startIndex, to: pad)
            #expect(
                thrownSite { () throws(Base64URLError) in try Base64URL.decode(padded) }
                    == ErrorSite(code: .padding, offset: offset))
        }
    }
}
