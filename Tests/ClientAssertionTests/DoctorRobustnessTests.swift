// SPDX-License-Identifier: Apache-2.0

import ClientAssertion
import JWS
import TestSupport
import Testing

/// The doctor reads hostile input: it must never trap, every offset must point inside the input it names, and the
/// JSON report must always be valid JSON.
@Suite("Doctor on mangled input")
struct DoctorRobustnessTests {
    static let junk: [String] = [
        ".", "=", "+", "/", " ", "\n", "\u{2013}", "\u{2014}", "\u{2212}", "\u{00A0}", "\u{200B}", "\u{FEFF}",
        "\u{201C}",
        "\"", "'", "é", "😀", "%", "&", "{", "}", "A", "-", "_", "\u{0}", "Bearer ",
    ]

    static func mangle(_ text: String, _ r: inout SplitMix64) -> String {
        var scalars = Array(text.unicodeScalars)
        for _ in 0...r.below(4) {
            let i = r.below(scalars.count + 1)
            switch r.below(4) {
            case 0: scalars.insert(contentsOf: junk[r.below(junk.count)].unicodeScalars, at: i)
            case 1: if i < scalars.count { scalars.remove(at: i) }
            case 2: if i < scalars.count { scalars[i] = junk[r.below(junk.count)].unicodeScalars.first ?? "A" }
            default: scalars = Array(scalars.prefix(i))
            }
        }
        var out = String.UnicodeScalarView()
        out.append(contentsOf: scalars)
        return String(out)
    }

    @Test func mangledTokensFormsAndKeySets() throws {
        var r = SplitMix64(seed: 0x5157_4E45_5420_4443)
        let token = Fixtures.token()
        let form = TokenRequestForm.tokenExchange(subjectToken: token, assertion: token).encoded
        let payloads = [
            Fixtures.payload(), #"{"exp":[1,{"a":null}],"aud":["x",1],"iss":{},"sub":true,"jti":1.5e400,"jit":"x"}"#,
            #"{"exp":1e400,"iat":"x","nbf":-1,"aud":[],"exp":"y"}"#, "[]", "null", "",
        ]
        for i in 0..<400 {
            let t = i % 3 == 0 ? Fixtures.token(payload: payloads[r.below(payloads.count)]) : Self.mangle(token, &r)
            let f = i % 2 == 0 ? Self.mangle(form, &r) : nil
            let j = i % 5 == 0 ? Self.mangle(Fixtures.jwks, &r) : Fixtures.jwks
            let profile = ClientAssertionProfile.Kind.allCases[r.below(3)]
            let report = Fixtures.examine(
                t, form: f, jwks: j, audience: i % 4 == 0 ? nil : Fixtures.apimAudience, profile: profile)
            for finding in report.findings {
                guard let offset = finding.offset else { continue }
                let limit =
                    switch finding.segment {
                    case .form: f?.utf8.count ?? 0
                    case .jwks: j.utf8.count
                    default: t.utf8.count
                    }
                #expect(offset >= 0 && offset <= limit, "\(finding) in \(t.debugDescription)")
            }
            #expect(throws: Never.self) { try StrictJSON.parse(report.json) }
        }
    }

    @Test(
        "claims and a now beyond Int64 seconds are findings, never a trap (issue 28 item 1)",
        arguments: ["1e19", "1e300", "9223372036854775808", "-1e19"])
    func outOfRangeNumericClaims(_ value: String) throws {
        let payload = Fixtures.payload(
            tail: #","jti":"j","exp":\#(value),"iat":\#(value),"nbf":\#(value)"#)
        let report = Doctor.examine(
            Doctor.Input(token: Fixtures.token(payload: payload), clientID: Fixtures.clientID, now: Fixtures.now))
        let codes = Set(report.findings.map(\.code))
        #expect(codes.contains(value.hasPrefix("-") ? .expExpired : .expTooFar), "\(report.findings)")
        // A `now` of 1e300 (an injected clock) must not trap either.
        _ = Doctor.examine(Doctor.Input(token: Fixtures.token(), now: NumericDate(1e300)))
    }
}
