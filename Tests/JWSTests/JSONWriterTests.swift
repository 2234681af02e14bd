// SPDX-License-Identifier: Apache-2.0

import Foundation
import JWS
import Testing

@Suite("JSON text written by JSONValue.description")
struct JSONWriterTests {
    @Test("strings are escaped minimally: quote, backslash, the C0 controls; everything else passes as UTF-8")
    func minimalEscapes() {
        let cases: [(String, String)] = [
            ("plain", #""plain""#),
            ("a\"b\\c", #""a\"b\\c""#),
            ("\n\r\t\u{08}\u{0C}", #""\n\r\t\b\f""#),
            ("\u{00}\u{01}\u{1F}", #""\u0000\u0001\u001f""#),
            ("/ \u{7F} é € 😀", "\"/ \u{7F} é € 😀\""),
            ("", #""""#),
        ]
        for (input, expected) in cases {
            #expect(JSONValue.string(input).description == expected)
        }
        let object = JSONValue.object(
            JSONObject(members: [
                .init(name: "a\"", value: .array([.null, .bool(true), .bool(false), .string("x")])),
                .init(name: "n", value: .number(JSONNumber(42))),
            ]))
        #expect(object.description == #"{"a\"":[null,true,false,"x"],"n":42}"#)
    }

    @Test("any string survives writing and strict parsing (2,000 random strings over awkward characters)")
    func roundTrip() throws {
        let pool: [Character] = [
            "a", "\"", "\\", "\n", "\u{00}", "\u{1F}", "\u{7F}", "é", "€", "😀", "/", " ", "\u{2028}",
        ]
        var rng = SplitMix64(seed: 0x5167_4E37)
        for _ in 0..<2000 {
            let length = Int(rng.next() % 24)
            let s = String((0..<length).map { _ in pool[Int(rng.next() % UInt64(pool.count))] })
            let text = JSONValue.object(JSONObject(members: [.init(name: s, value: .string(s))])).description
            guard case .object(let parsed) = try StrictJSON.parse(Array(text.utf8)) else {
                Issue.record("not an object: \(text)")
                continue
            }
            #expect(parsed.members.map(\.name) == [s], "\(text)")
            #expect(parsed[s] == .string(s), "\(text)")
        }
    }
}

/// A small deterministic generator, so the test sees the same strings on every run.
private struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
