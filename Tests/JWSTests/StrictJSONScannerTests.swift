// SPDX-License-Identifier: Apache-2.0

import Foundation
import JWS
import TestSupport
import Testing

/// `StrictJSON` (the scanner, which is the only grammar, and the value tree built from a finished scan) must accept
/// exactly what the oracle (the recursive-descent reader that was `StrictJSON.Parser`, now in `StrictJSONOracle`)
/// accepts, reject with the same code at the same offset, and build the same value with the same member offsets;
/// `parseKeepingLastDuplicate` must keep the same values and report the same repeats.
@Suite struct StrictJSONScannerTests {
    /// The value (with member offsets) when accepted, else `code@offset`.
    static func oracleOutcome(
        _ bytes: [UInt8], _ limits: StrictJSON.Limits = .default, keepingLastDuplicate: Bool = false
    )
        -> String
    {
        do {
            let (value, duplicates) = try StrictJSONOracle.parse(
                bytes, limits: limits, keepingLastDuplicate: keepingLastDuplicate)
            return "\(value) \(duplicates.map(Self.outcome))"
        } catch {
            return outcome(error)
        }
    }

    static func parseOutcome(_ bytes: [UInt8], _ limits: StrictJSON.Limits = .default) -> String {
        do {
            return "\(StrictJSONOracle.Value(try StrictJSON.parse(bytes, limits: limits))) []"
        } catch {
            return outcome(error)
        }
    }

    static func keepingLastOutcome(_ bytes: [UInt8], _ limits: StrictJSON.Limits = .default) -> String {
        do {
            let (value, duplicates) = try StrictJSON.parseKeepingLastDuplicate(bytes, limits: limits)
            return "\(StrictJSONOracle.Value(value)) \(duplicates.map(Self.outcome))"
        } catch {
            return outcome(error)
        }
    }

    /// `nil` when accepted, else `code@offset`.
    static func validateOutcome(_ bytes: [UInt8], _ limits: StrictJSON.Limits = .default) -> String? {
        do {
            try unsafe bytes.span.withUnsafeBytes { (b) throws(JSONError) in
                try unsafe StrictJSON.validate(b, limits: limits)
            }
            return nil
        } catch {
            return outcome(error)
        }
    }

    static func outcome(_ error: JSONError) -> String { "\(error.code.rawValue)@\(error.offset)" }

    func expectAgreement(
        _ bytes: [UInt8], _ limits: StrictJSON.Limits = .default, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let shown = "\(String(decoding: bytes, as: UTF8.self).debugDescription) \(bytes.prefix(64))"
        let oracle = Self.oracleOutcome(bytes, limits)
        let oracleRejection = (try? StrictJSONOracle.parse(bytes, limits: limits)) == nil ? oracle : nil
        #expect(
            Self.validateOutcome(bytes, limits) == oracleRejection, "validate: \(shown)", sourceLocation: sourceLocation
        )
        #expect(Self.parseOutcome(bytes, limits) == oracle, "parse: \(shown)", sourceLocation: sourceLocation)
        #expect(
            Self.keepingLastOutcome(bytes, limits) == Self.oracleOutcome(bytes, limits, keepingLastDuplicate: true),
            "parseKeepingLastDuplicate: \(shown)", sourceLocation: sourceLocation)
    }

    func expectAgreement(
        _ text: String, _ limits: StrictJSON.Limits = .default, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        expectAgreement(Array(text.utf8), limits, sourceLocation: sourceLocation)
    }

    func expectOutcome(_ text: String, _ outcome: String?, sourceLocation: SourceLocation = #_sourceLocation) {
        expectAgreement(text, sourceLocation: sourceLocation)
        #expect(
            Self.validateOutcome(Array(text.utf8)) == outcome, "\(text.debugDescription)",
            sourceLocation: sourceLocation)
    }

    @Test func theDOMReadersCasesAgree() {
        for text in [
            #" {"a":[1,-0,1.5e3,true,false,null,"x\u00e9\ud83d\ude00\n"],"b":{}} "#, "{\"a\":1,\"a\":2}",
            "{\"a\":1,\"\\u0061\":2}",
            "{\"a\":1,}", "[01]", "{\"a\":\"\\ud800\"}", "{\"a\":\"\\udc00\"}", "\"\u{01}\"", "{} x", "{'a':1}", "1.",
            "[1e]",
            "tru", "", "{\"a\" 1}", "/*c*/{}", "1e400", "-", "-a", "[1,]", "[,1]", "{,}", "{\"a\":}", "{\"a\"}", "nul",
            "nulx",
            "truex", "[true false]", "\"\\x\"", "\"\\u12\"", "\"\\u12\"}", "\"\\u12G4\"", "\"abc", "\"\\", "[", "{",
            "{\"a\":1",
            "[\"a\"", "0", "-0", "-01", "00", "1.5e+3", "1E-3", "1e+", ".5", "+1", "[-]", "{\"\":0}",
            "{\"a\":{\"a\":{\"a\":1}}}",
            "  \t\r\n[ 1 , 2 ]  \n", "[1 2]", "{\"a\":1 \"b\":2}", "{\"a\"::1}", "\"\\/\\b\\f\\n\\r\\t\\\"\\\\\"",
        ] {
            expectAgreement(text)
        }
        for bytes: [UInt8] in [
            [0x22, 0xC3, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xC0, 0x80, 0x22], [0x22, 0xFF, 0x22],
            [0x22, 0xE0, 0x80, 0x80, 0x22], [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], [0x22, 0xF0, 0x9F, 0x98],
            [0x22, 0xF0, 0x9F, 0x98, 0x80, 0x22], [0x22, 0xC3], [0x22, 0x80, 0x22], [0x22, 0xC3, 0xA9, 0x22],
            [0x7B, 0x22, 0xC3, 0xA9, 0x22, 0x3A, 0x31, 0x7D], [0xEF, 0xBB, 0xBF, 0x7B, 0x7D], [0x22, 0x7F, 0x22],
        ] {
            expectAgreement(bytes)
        }
    }

    @Test func duplicatesAreFoundEscapeAwareInEveryObject() {
        expectOutcome(#"{"a":1,"a":2}"#, "json.duplicate-member@7")
        expectOutcome(#"{"a":1,"\u0061":2}"#, "json.duplicate-member@7")
        expectOutcome(#"{"\u0061":1,"a":2}"#, "json.duplicate-member@12")
        expectOutcome(#"{"\u00e9":1,"é":2}"#, "json.duplicate-member@12")
        expectOutcome(#"{"\ud83d\ude00":1,"😀":2}"#, "json.duplicate-member@18")
        expectOutcome(#"{"a\/b":1,"a/b":2}"#, "json.duplicate-member@10")
        expectOutcome(#"{"\"":1,"\u0022":2}"#, "json.duplicate-member@8")
        // Nested objects each have their own names; siblings do not clash, a repeat inside one does.
        expectOutcome(#"{"a":{"a":1},"b":{"a":2}}"#, nil)
        expectOutcome(#"{"x":[{"k":1,"k":2}]}"#, "json.duplicate-member@13")
        expectOutcome(#"[{"k":1},{"k":1,"j":{"k":0,"k":0}}]"#, "json.duplicate-member@27")
        // Prefixes and lengths.
        expectOutcome(#"{"ab":1,"a":2,"abc":3,"":4,"\u0000":5}"#, nil)
        expectOutcome(#"{"":1,"":2}"#, "json.duplicate-member@6")
    }

    /// Swift `String` equality (which the DOM reader uses) is canonical equivalence: the scanner must find the same
    /// duplicates.
    @Test func duplicatesUnderCanonicalEquivalence() {
        expectOutcome("{\"\u{E9}\":1,\"e\u{301}\":2}", "json.duplicate-member@8")
        expectOutcome("{\"K\":1,\"\u{212A}\":2}", "json.duplicate-member@7")
        expectOutcome("{\"K\":1,\"\\u212a\":2}", "json.duplicate-member@7")
        expectOutcome("{\"\u{212B}\":1,\"\u{C5}\":2}", "json.duplicate-member@9")
        expectOutcome("{\"e\u{301}\":1,\"e\u{300}\":2}", nil)
        expectOutcome(
            "{\"\u{E9}\u{E9}\u{E9}\u{E9}\u{E9}\u{E9}\u{E9}\u{E9}\u{E9}x\":1,\"e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}e\u{301}\u{E9}x\":2}",
            "json.duplicate-member@25")
    }

    @Test func objectsBeyondTheNameTable() {
        func object(_ names: [String]) -> String { "{" + names.map { "\"\($0)\":0" }.joined(separator: ",") + "}" }
        let many = (0..<200).map { "m\($0)" }
        expectOutcome(object(many), nil)
        // A repeat of a name in the table, of one beyond it, and escaped variants, at several positions.
        for (first, second) in [(3, 90), (70, 95), (0, 64), (63, 64), (64, 65), (10, 199), (150, 151)] {
            var names = many
            names[second] = names[first]
            expectAgreement(object(names))
            #expect(Self.validateOutcome(Array(object(names).utf8))?.hasPrefix("json.duplicate-member") == true)
            names[second] = "\\u006d" + names[first].dropFirst()
            expectAgreement(object(names))
            #expect(Self.validateOutcome(Array(object(names).utf8))?.hasPrefix("json.duplicate-member") == true)
        }
        // Nested objects that fill the shared table, with members after them in the outer objects.
        let inner = object((0..<50).map { "i\($0)" })
        let outer = "{" + (0..<40).map { "\"o\($0)\":\(inner)" }.joined(separator: ",") + ",\"o7\":1}"
        expectAgreement(outer)
        #expect(Self.validateOutcome(Array(outer.utf8))?.hasPrefix("json.duplicate-member") == true)
        let deep =
            "{" + (0..<60).map { "\"a\($0)\":" }.joined() + object((0..<70).map { "z\($0)" } + ["z5"])
            + String(repeating: "}", count: 60)
        expectAgreement(deep, StrictJSON.Limits(maxDepth: 100))
        // Values of every kind between the re-scanned names.
        let mixed = object((0..<70).map { "n\($0)" }).replacingOccurrences(
            of: "\"n30\":0", with: #""n30":{"n31":[1,{"x":"}\"]"}],"s":"\\\"n32\":"}"#)
        expectAgreement(mixed)
        expectAgreement(String(mixed.dropLast()) + ",\"n31\":0}")
        expectAgreement(String(mixed.dropLast()) + ",\"n69\":0}")
    }

    @Test func depthLimit() {
        for depth in [1, 2, 31, 32, 33, 100] {
            for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
                expectAgreement(String(repeating: open, count: depth) + "1" + String(repeating: close, count: depth))
                expectAgreement(String(repeating: open, count: depth) + String(repeating: close, count: depth))
            }
            let mixed =
                (0..<depth).map { $0 % 2 == 0 ? "[" : "{\"k\":" }.joined() + "0"
                + (0..<depth).reversed().map { $0 % 2 == 0 ? "]" : "}" }.joined()
            expectAgreement(mixed)
            expectAgreement(mixed, StrictJSON.Limits(maxDepth: 5))
        }
        #expect(
            Self.validateOutcome(Array((String(repeating: "[", count: 33) + String(repeating: "]", count: 33)).utf8))
                == "json.too-deep@32")
        expectAgreement("[1]", StrictJSON.Limits(maxDepth: 0))
        expectAgreement("1", StrictJSON.Limits(maxDepth: 0))
        expectAgreement("[" + String(repeating: "1,", count: 100) + "1]", StrictJSON.Limits(maxBytes: 50))
        #expect(Self.validateOutcome(Array("[1,2]".utf8), StrictJSON.Limits(maxBytes: 4)) == "json.too-large@4")
    }

    @Test func surrogatesAndEscapes() {
        for text in [
            #""\ud800""#, #""\udbff\udfff""#, #""\udc00""#, #""\ud800\u0041""#, #""\ud800\ud800""#, #""\ud800\""#,
            #""\ud800\u""#, #""\ud800\u00""#, #""\ud800\uDC0""#, #""\ud800x\udc00""#, #""\uD83D\uDE00""#, #""\ud800"#,
            #""\ud800\n""#, #""\u0000""#, #""\uFFFF""#, #""\uFFFE""#, #""\uzzzz""#, #""\u00e""#, #""\U0041""#,
            #"["\ud800\udc00","\udfff"]"#, #"{"\ud800":1}"#, #"{"a\ud83d\ude00":1,"a😀":2}"#,
        ] {
            expectAgreement(text)
        }
        expectOutcome(#""\ud800\u0041""#, "json.invalid@7")
        expectOutcome(#""\ud800""#, "json.invalid@1")
    }

    @Test func invalidUTF8EveryLeadAndContinuation() {
        // Every two-byte prefix in a string, and every byte alone, inside and outside strings.
        for b0 in 0x80...0xFF {
            expectAgreement([0x22, UInt8(b0), 0x22])
            expectAgreement([UInt8(b0)])
            for b1 in stride(from: 0x00, through: 0xFF, by: 0x11) {
                expectAgreement([0x22, UInt8(b0), UInt8(b1), 0x80, 0x80, 0x22])
                expectAgreement([0x22, UInt8(b0), UInt8(b1), 0x22])
            }
        }
        for b in 0x00..<0x20 { expectAgreement([0x22, 0x61, UInt8(b), 0x22]) }
        // Long ASCII runs with a special byte at every position (the eight-byte fast path).
        for position in 0..<24 {
            for special: UInt8 in [0x22, 0x5C, 0x1F, 0x7F, 0x80, 0xC3, 0x00, 0x20, 0x7E] {
                var s = [UInt8](repeating: 0x61, count: 24)
                s[position] = special
                if special == 0xC3 && position < 23 { s[position + 1] = 0xA9 }
                expectAgreement([0x22] + s + [0x22])
                expectAgreement([0x7B, 0x22] + s + [0x22, 0x3A, 0x30, 0x7D])
            }
        }
    }

    /// Random JSON texts (escapes, non-ASCII, numbers, nesting, repeated names) and byte-level mutations of them.
    @Test func randomTextsAndMutationsAgree() {
        var rng = SplitMix64(seed: 0x5CA4_0001)
        var generator = RandomJSON()
        let noise: [UInt8] =
            Array("\"\\{}[],:0-e.u+ \nxtfn".utf8) + [
                0x80, 0xC3, 0xA9, 0xED, 0xA0, 0xF0, 0xFF, 0x00, 0x1F, 0xE2, 0x84, 0xAA,
            ]
        var accepted = 0
        for round in 0..<6000 {
            var bytes = Array(generator.value(&rng, depth: 0).utf8)
            if Self.validateOutcome(bytes) == nil { accepted += 1 }
            expectAgreement(bytes)
            let mutations = round % 4 == 0 ? 0 : Int.random(in: 1...3, using: &rng)
            for _ in 0..<mutations where !bytes.isEmpty {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes.remove(at: i)
                case 1: bytes.insert(noise.randomElement(using: &rng)!, at: i)
                default: bytes[i] = noise.randomElement(using: &rng)!
                }
            }
            expectAgreement(bytes)
            expectAgreement(bytes, StrictJSON.Limits(maxDepth: 3))
        }
        #expect(accepted > 4000)
    }
}

/// Random JSON text with the features the scanner must get right.
struct RandomJSON {
    let names = [
        "a", "b", "\\u0061", "aa", "é", "\\u00e9", "e\u{301}", "K", "\u{212A}", "\\\"", "\\/", "/", "", "alg", "kid",
        "exp", "aud", "\\u0000", "😀", "\\ud83d\\ude00", "long name with spaces and more",
    ]
    let pieces = [
        "x", "é", "😀", "\\n", "\\\"", "\\\\", "\\/", "\\u0041", "\\u00e9", "\\ud83d\\ude00", "\\t", "abc", " ",
        "\u{7F}",
        "e\u{301}", "\\u212A", "https://as/token",
    ]
    let numbers = [
        "0", "-0", "1", "-1", "1800000000", "1.5", "1e3", "1E-3", "-0.0e+0", "123456789012345678901234", "1e400",
        "0.1", "18000000001.25",
    ]

    mutating func string(_ rng: inout SplitMix64) -> String {
        "\"" + (0..<Int.random(in: 0...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined() + "\""
    }

    mutating func value(_ rng: inout SplitMix64, depth: Int) -> String {
        let ws = [" ", "", "", "", "\n", "\t"]
        switch Int.random(in: 0..<(depth > 4 ? 4 : 7), using: &rng) {
        case 0: return string(&rng)
        case 1: return numbers.randomElement(using: &rng)!
        case 2: return ["true", "false", "null"].randomElement(using: &rng)!
        case 3: return string(&rng)
        case 4:
            return "["
                + (0..<Int.random(in: 0...4, using: &rng)).map { _ in value(&rng, depth: depth + 1) }.joined(
                    separator: ",") + "]"
        default:
            let count = Int.random(in: 0...(Int.random(in: 0..<10, using: &rng) == 0 ? 80 : 6), using: &rng)
            let members = (0..<count).map { k -> String in
                let name = Int.random(in: 0..<3, using: &rng) == 0 ? names.randomElement(using: &rng)! : "m\(k)"
                return ws.randomElement(using: &rng)! + "\"\(name)\"" + ws.randomElement(using: &rng)! + ":"
                    + value(&rng, depth: depth + 1)
            }
            return "{" + members.joined(separator: ",") + ws.randomElement(using: &rng)! + "}"
        }
    }
}
