// SPDX-License-Identifier: Apache-2.0

import Base64URL
import JWS
import SignetKeys
import TestSupport
import Testing

@testable import ClientAssertion

/// Forum software turns `--` into U+2013 EN DASH and `---` into U+2014 EM DASH: the doctor tries each reading of
/// every such dash and says which one makes the signature verify.
@Suite("Doctor: look-alike dash readings")
struct DoctorDashReadingTests {
    /// What forum software does to text: `---` becomes an em dash, then `--` an en dash.
    static func forum(_ s: String) -> String {
        s.replacing("---", with: "\u{2014}").replacing("--", with: "\u{2013}")
    }

    /// A real token whose signature holds `--` but no `---` (which the forum would turn into an em dash instead),
    /// and whose header and payload hold no `-` at all. The fixture key is fixed, so this is the same token in every
    /// run; the conditions are checked rather than assumed, so a new fixture key cannot make the tests vacuous.
    static func tokenWithDoubleHyphenInSignature() throws -> String {
        for n in 0..<2000 {
            let token = Fixtures.token(payload: Fixtures.payload(tail: #","jti":"\#(n)","exp":1800000300"#))
            let parts = token.split(separator: ".")
            if parts[2].contains("--"), !parts[2].contains("---"), !parts[0].contains("-"), !parts[1].contains("-") {
                return token
            }
        }
        throw TokenNotFound()
    }

    struct TokenNotFound: Error {}

    @Test func enDashForTwoHyphensInTheSignature() throws {
        let token = try Self.tokenWithDoubleHyphenInSignature()
        let damaged = Self.forum(token)
        try #require(damaged != token)
        let report = Fixtures.examine(damaged)
        #expect(report.signatureVerified == nil)  // the signature as given is not base64url
        let f = try #require(report.only(.signatureRepairedVerifies), "\(report.findings)")
        #expect(f.severity == .info)
        #expect(f.message.contains("replacing U+2013 EN DASH with '--' at offset"))
        #expect(f.message.contains("the token was right when it was signed"))
        #expect(f.message.contains(#"keys[0] (kid "k1")"#))
        #expect(f.offset == Fixtures.offset(of: "\u{2013}", in: damaged))
        let dash = try #require(report.findings(.base64InvalidCharacter).first { $0.message.contains("EN DASH") })
        #expect(dash.message.contains("'--'"))
        // The doctor's reading is the original token, byte for byte.
        #expect(damaged.replacing("\u{2013}", with: "--").replacing("\u{2014}", with: "---") == token)
    }

    /// A payload whose base64url holds `---`: 'c' (0x63) then U+FF9E (EF BE 9E), aligned on a 3-byte group,
    /// encode as "Y---".
    static func payloadWithTripleHyphen(jti: String = "0b7d6c3e") throws -> String {
        for pad in 0..<3 {
            let payload = Fixtures.payload(
                tail:
                    #","jti":"\#(jti)","exp":1800000300,"note":"\#(String(repeating: "a", count: pad))c\#u{FF9E}""#)
            if Base64URL.encode(Array(payload.utf8)).contains("---") { return payload }
        }
        throw TokenNotFound()
    }

    @Test func emDashForThreeHyphensInThePayload() throws {
        // The first jti whose token has no "--" in its signature (fixed key: the same one every run).
        var found: String?
        for n in 0..<200 where found == nil {
            let candidate = Fixtures.token(payload: try Self.payloadWithTripleHyphen(jti: "j\(n)"))
            if !(candidate.split(separator: ".").last ?? "").contains("--") { found = candidate }
        }
        let token = try #require(found)
        let damaged = Self.forum(token)
        #expect(damaged.contains("\u{2014}"))
        let report = Fixtures.examine(damaged)
        let f = try #require(report.only(.signatureRepairedVerifies), "\(report.findings)")
        #expect(f.message.contains("replacing U+2014 EM DASH with '---' at offset"))
        #expect(f.offset == Fixtures.offset(of: "\u{2014}", in: damaged))
        // The payload was read under the same reading, so its claims were checked, not reported as broken JSON.
        #expect(!report.codes.contains("json.invalid"))
        // The signature segment holds no "--" (the payload was chosen so), so the forum left it intact: it is also
        // checked over the damaged text, and fails there.
        try #require(!(token.split(separator: ".").last ?? "").contains("--"))
        #expect(
            report.codes == ["base64url.invalid-character", "signature.invalid", "signature.repaired-verifies"],
            "\(report.findings)")
    }

    @Test func enAndEmDashesTogether() throws {
        // The payload's `---` becomes an em dash and the signature's `--` an en dash: both readings are needed.
        var token = ""
        for n in 0..<2000 {
            let candidate = Fixtures.token(payload: try Self.payloadWithTripleHyphen(jti: "\(n)"))
            if candidate.split(separator: ".")[2].contains("--") {
                token = candidate
                break
            }
        }
        try #require(!token.isEmpty)
        let damaged = Self.forum(token)
        let report = Fixtures.examine(damaged)
        let f = try #require(report.only(.signatureRepairedVerifies), "\(report.findings)")
        #expect(f.message.contains("U+2014 EM DASH with '---'"))
        #expect(f.message.contains("U+2013 EN DASH with '--'"))
    }

    @Test func oneHyphenReadingStillFound() throws {
        // An editor that turns every '-' into an en dash: the one-hyphen reading verifies, and is reported as such.
        let token = try Self.tokenWithDoubleHyphenInSignature()
        let damaged = token.replacing("-", with: "\u{2013}")
        let report = Fixtures.examine(damaged)
        let f = try #require(report.only(.signatureRepairedVerifies), "\(report.findings)")
        #expect(f.message.contains("replacing U+2013 EN DASH with '-' at offset"))
        #expect(!f.message.contains("'--'"))
    }

    @Test func searchIsBoundedAndSaysSo() throws {
        // Thirteen en dashes in the payload that stand for nothing the signer wrote: 2^13 = 8192 readings, more than
        // the 4096 the doctor tries; none verifies, and the finding says the search stopped.
        let token = Fixtures.token()
        var parts = token.split(separator: ".").map(String.init)
        var payload = Array(parts[1])
        for i in stride(from: 3, to: 3 + 13 * 5, by: 5) { payload[i] = "\u{2013}" }
        parts[1] = String(payload)
        let damaged = parts.joined(separator: ".")
        // (That the doctor stops at 4096 readings is counted, not timed: see DashReadingsEnumerationTests.)
        let report = Fixtures.examine(damaged)
        #expect(report.findings(.signatureRepairedVerifies).isEmpty)
        let f = try #require(report.only(.signatureRepairIncomplete), "\(report.findings)")
        #expect(f.message.contains("13 en or em dashes"))
        #expect(f.message.contains("more than 4096 readings"))
        #expect(f.message.contains("none of the"))
        // Under the bound, no such finding: twelve dashes are 4096 readings, all tried.
        var twelve = Array(token.split(separator: ".")[1])
        for i in stride(from: 3, to: 3 + 12 * 5, by: 5) { twelve[i] = "\u{2013}" }
        var parts12 = token.split(separator: ".").map(String.init)
        parts12[1] = String(twelve)
        let report12 = Fixtures.examine(parts12.joined(separator: "."))
        #expect(report12.findings(.signatureRepairIncomplete).isEmpty)
        #expect(report12.findings(.signatureRepairedVerifies).isEmpty)
    }
}

/// The enumeration against brute force: every reading once, the likely ones first, the bound kept.
@Suite("Dash readings enumeration")
struct DashReadingsEnumerationTests {
    /// Every vector with `0...maxExtra[i]` at site `i`.
    static func bruteForce(_ maxExtra: [Int]) -> [[Int]] {
        maxExtra.reduce([[]]) { partial, m in partial.flatMap { p in (0...m).map { p + [$0] } } }
    }

    @Test func everyReadingOnceMostLikelyFirst() {
        var rng = SplitMix64(seed: 17)
        for _ in 0..<200 {
            let maxExtra = (0..<Int.random(in: 0...6, using: &rng)).map { _ in Int.random(in: 1...2, using: &rng) }
            let all = Self.bruteForce(maxExtra)
            let got = DashReadings.enumerate(maxExtra: maxExtra, totals: nil, limit: 4096) { _ in true }
            #expect(got.complete)
            #expect(got.readings.count == all.count)
            #expect(Set(got.readings) == Set(all))
            #expect(got.readings.first == maxExtra)
            if maxExtra.contains(where: { $0 > 0 }) {
                #expect(got.readings.dropFirst().first == maxExtra.map { _ in 0 })
            }
            // With the sum fixed (a signature's length), exactly the vectors of that sum.
            let total = Int.random(in: 0...maxExtra.reduce(0, +), using: &rng)
            let fixed = DashReadings.enumerate(maxExtra: maxExtra, totals: [total], limit: 4096) { _ in true }
            #expect(fixed.complete)
            #expect(Set(fixed.readings) == Set(all.filter { $0.reduce(0, +) == total }))
            #expect(fixed.readings.count == all.filter { $0.reduce(0, +) == total }.count)
            // Under a smaller bound: exactly that many considered, and the result says it stopped.
            if all.count > 5 {
                let bounded = DashReadings.enumerate(maxExtra: maxExtra, totals: nil, limit: 5) { _ in true }
                #expect(!bounded.complete)
                #expect(bounded.readings.count == 5)
            }
        }
    }
}
