// SPDX-License-Identifier: Apache-2.0

import Base64URL
import Foundation
import JWS
import SignetKeys
import TestSupport
import Testing

@Suite struct JWSRejectionTests {
    let header = #"{"alg":"RS256","typ":"JWT","kid":"k1"}"#
    var good: String { JWSFixtures.craft(header: header, payload: JWSFixtures.goodPayload) }
    let verifier = JWSFixtures.verifier()

    func check(
        _ token: String, _ code: String, segment: JWSError.Segment? = nil, offset: Int? = nil,
        verifier v: JWSVerifier? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let v = v ?? verifier
        expectCode(
            code, segment: segment, offset: offset, { () throws(JWSError) in _ = try v.verify(token) },
            sourceLocation: sourceLocation)
    }

    @Test func goodTokenVerifies() throws {
        #expect(try verifier.verify(good).claims.subject == "me")
    }

    @Test func shape() {
        check("", "token.not-jws", segment: .token)
        check("abc", "token.not-jws", segment: .token)
        check("a.b", "token.not-jws")
        check(good + ".x", "token.not-jws", offset: good.utf8.count)
        check(".a.b", "token.not-jws", segment: .header)
        let parts = good.split(separator: ".")
        check("\(parts[0]).\(parts[1]).", "token.not-jws", segment: .signature)
    }

    @Test func base64url() {
        let parts = good.split(separator: ".").map(String.init)
        let sigStart = parts[0].utf8.count + parts[1].utf8.count + 2
        check(parts[0] + "." + parts[1] + "." + parts[2] + "==", "base64url.padding", segment: .signature)
        check(
            parts[0] + "=." + parts[1] + "." + parts[2], "base64url.padding", segment: .header,
            offset: parts[0].utf8.count)
        var sig = Array(parts[2].utf8)
        sig[10] = UInt8(ascii: "+")
        check(
            parts[0] + "." + parts[1] + "." + String(decoding: sig, as: UTF8.self), "base64url.invalid-character",
            segment: .signature, offset: sigStart + 10)
        // U+2013 EN DASH where an editor replaced '-' (3 UTF-8 bytes).
        let dashed =
            parts[0] + "." + parts[1] + "." + String(parts[2].prefix(5)) + "\u{2013}" + String(parts[2].dropFirst(6))
        check(dashed, "base64url.invalid-character", segment: .signature, offset: sigStart + 5)
        check(parts[0] + " ." + parts[1] + "." + parts[2], "base64url.invalid-character", segment: .header)
        // Length 1 mod 4 and non-canonical trailing bits in the signature.
        check(parts[0] + "." + parts[1] + "." + parts[2] + "AAA", "base64url.invalid-length", segment: .signature)
        // 256 bytes -> 342 chars, last char carries 2 unused bits... make them non-zero.
        var last = Array(parts[2].utf8)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        let idx = alphabet.firstIndex(of: last[last.count - 1]) ?? 0
        last[last.count - 1] = alphabet[idx | 1]
        if idx & 1 == 0 {
            check(
                parts[0] + "." + parts[1] + "." + String(decoding: last, as: UTF8.self), "base64url.non-canonical",
                segment: .signature)
        }
    }

    @Test func headerRules() {
        let p = JWSFixtures.goodPayload
        check(JWSFixtures.craft(header: "[1]", payload: p), "header.not-object", segment: .header)
        check(JWSFixtures.craft(header: "{not json", payload: p), "json.invalid", segment: .header)
        check(
            JWSFixtures.craft(header: #"{"alg":"RS256","alg":"none","kid":"k1"}"#, payload: p), "json.duplicate-member",
            segment: .header)
        check(JWSFixtures.craft(header: #"{"typ":"JWT","kid":"k1"}"#, payload: p), "header.alg-missing")
        check(JWSFixtures.craft(header: #"{"alg":256,"kid":"k1"}"#, payload: p), "header.alg-missing")
        for alg in ["none", "None", "NONE", "HS256", "RS384", "PS256", "rs256", "ES256"] {
            check(
                JWSFixtures.craft(header: #"{"alg":"\#(alg)","kid":"k1"}"#, payload: p), "header.alg-not-allowed",
                segment: .header)
        }
        // alg none with an empty signature is not even a JWS here.
        let unsigned = Base64URL.encode(Array(#"{"alg":"none"}"#.utf8)) + "." + Base64URL.encode(Array(p.utf8)) + "."
        check(unsigned, "token.not-jws")
        check(JWSFixtures.craft(header: #"{"alg":"RS256","kid":"nope"}"#, payload: p), "header.kid-unknown")
        check(
            JWSFixtures.craft(header: #"{"alg":"RS256","kid":"../../etc/passwd' OR 1=1 --"}"#, payload: p),
            "header.kid-unknown")
        check(
            JWSFixtures.craft(header: #"{"alg":"RS256","kid":"\#(String(repeating: "k", count: 5000))"}"#, payload: p),
            "header.kid-unknown")
        check(JWSFixtures.craft(header: #"{"alg":"RS256","kid":7}"#, payload: p), "header.kid-unknown")
        check(
            JWSFixtures.craft(header: #"{"alg":"RS256","kid":"k1","crit":["exp"],"exp":1}"#, payload: p),
            "header.crit-unsupported")
        check(
            JWSFixtures.craft(header: #"{"alg":"RS256","kid":"k1","crit":[]}"#, payload: p), "header.crit-unsupported")
        check(
            JWSFixtures.craft(header: #"{"alg":"RS256","kid":"k1","crit":["alg"]}"#, payload: p),
            "header.crit-unsupported")
        let typed = JWSFixtures.verifier(
            policy: JWTValidationPolicy(expectedType: "JWT", clock: .fixed(JWSFixtures.now)))
        check(
            JWSFixtures.craft(header: #"{"alg":"RS256","kid":"k1"}"#, payload: p), "header.typ-invalid", verifier: typed
        )
        check(
            JWSFixtures.craft(header: #"{"alg":"RS256","kid":"k1","typ":"at+jwt"}"#, payload: p), "header.typ-invalid",
            verifier: typed)
        #expect(throws: Never.self) {
            try typed.verify(JWSFixtures.craft(header: #"{"alg":"RS256","kid":"k1","typ":"jwt"}"#, payload: p))
        }
        let deep =
            "{\"alg\":\"RS256\",\"kid\":\"k1\",\"x\":" + String(repeating: "[", count: 40)
            + String(repeating: "]", count: 40) + "}"
        check(JWSFixtures.craft(header: deep, payload: p), "json.too-deep", segment: .header)
    }

    @Test func keySelectionAndAlgorithmBinding() throws {
        let p = JWSFixtures.goodPayload
        let two = try JWSVerifier(
            keys: [
                JWSVerificationKey(key: JWSFixtures.key.publicKey, algorithm: .rs256, keyID: "k1"),
                JWSVerificationKey(key: JWSFixtures.otherKey.publicKey, algorithm: .rs512, keyID: "k2"),
            ], policy: JWTValidationPolicy(clock: .fixed(JWSFixtures.now)))
        check(JWSFixtures.craft(header: #"{"alg":"RS256"}"#, payload: p), "header.kid-missing", verifier: two)
        // RS512 is allowed in the set, but k1 is bound to RS256.
        check(
            JWSFixtures.craft(header: #"{"alg":"RS512","kid":"k1"}"#, payload: p, algorithm: .rs512),
            "header.alg-not-allowed", verifier: two)
        // Signed by k1's key but naming k2: signature does not verify.
        check(
            JWSFixtures.craft(header: #"{"alg":"RS512","kid":"k2"}"#, payload: p, algorithm: .rs512),
            "signature.invalid", verifier: two)
        #expect(throws: Never.self) {
            try two.verify(
                JWSFixtures.craft(
                    header: #"{"alg":"RS512","kid":"k2"}"#, payload: p, key: JWSFixtures.otherKey, algorithm: .rs512))
        }
        expectCode("configuration.invalid") { () throws(JWSError) in _ = try JWSVerifier(keys: []) }
        #expect(throws: JWSError(.keyConfiguration, reason: "")) {
            try JWSVerifier(keys: [
                JWSVerificationKey(key: JWSFixtures.key.publicKey, algorithm: .rs256, keyID: "a"),
                JWSVerificationKey(key: JWSFixtures.key.publicKey, algorithm: .rs256, keyID: "a"),
            ])
        }
        #expect(throws: JWSError(.keyConfiguration, reason: "")) {
            try JWSVerifier(
                keys: [JWSVerificationKey(key: JWSFixtures.key.publicKey, algorithm: .rs256)],
                allowedAlgorithms: [.rs512])
        }
    }

    @Test func signatureRules() {
        let parts = good.split(separator: ".").map(String.init)
        check(parts[0] + "." + parts[1] + "." + String(parts[2].dropLast(6)), "signature.length", segment: .signature)
        check(
            parts[0] + "." + parts[1] + "." + Base64URL.encode([UInt8](repeating: 0, count: 256)), "signature.invalid")
        // Signature = n (the modulus) and n + small: out of range, never verifies.
        let n = JWSFixtures.key.publicKey.modulus
        check(parts[0] + "." + parts[1] + "." + Base64URL.encode(n), "signature.invalid")
        check(
            parts[0] + "." + parts[1] + "." + Base64URL.encode([UInt8](repeating: 0xFF, count: 256)),
            "signature.invalid")
        // Payload swapped under a valid signature.
        let other = Base64URL.encode(Array(#"{"iss":"me","sub":"me","exp":1800000100,"admin":true}"#.utf8))
        check(parts[0] + "." + other + "." + parts[2], "signature.invalid", segment: .signature)
    }

    @Test func claimRules() {
        func tok(_ payload: String) -> String { JWSFixtures.craft(header: header, payload: payload) }
        check(tok(#"{"exp":"1800000100"}"#), "claim.invalid", segment: .payload)
        check(tok(#"{"exp":[1800000100,1800000100]}"#), "claim.invalid")
        check(tok(#"{"exp":1e400}"#), "claim.invalid")
        check(tok(#"{"exp":-0}"#), "claim.exp-expired")
        check(tok(#"{"exp":1799999999}"#), "claim.exp-expired")
        // RFC 7519 §4.1.4: the current time must be before exp; at exp the token has expired.
        check(tok(#"{"exp":1800000000}"#), "claim.exp-expired")
        check(tok(#"{"exp":1800000000.0}"#), "claim.exp-expired")
        #expect(throws: Never.self) { try JWSFixtures.verifier().verify(tok(#"{"exp":1800000000.5}"#)) }
        #expect(throws: Never.self) { try JWSFixtures.verifier().verify(tok(#"{"exp":1800000001}"#)) }
        check(tok(#"{"exp":1800000100,"exp":1}"#), "json.duplicate-member", segment: .payload)
        check(tok(#"{"sub":"x"}"#), "claim.missing")
        check(tok(#"{"exp":1800000100,"nbf":1800000050}"#), "claim.nbf-future")
        check(tok(#"{"exp":1800000100,"iat":1800000050}"#), "claim.iat-future")
        check(tok(#"{"exp":1800000100,"aud":5}"#), "claim.invalid")
        check(tok(#"{"exp":1800000100,"iss":["a"]}"#), "claim.invalid")
        check(tok(#"[1]"#), "payload.not-object")
        check(tok(#"{"exp":1800000100,"s":"\ud800"}"#), "json.invalid", segment: .payload)
        let strict = JWSFixtures.verifier(
            policy: JWTValidationPolicy(
                issuer: "me", subject: "me", audience: "https://as:443/token", requireID: true, maximumLifetime: 300,
                clock: .fixed(JWSFixtures.now)))
        check(tok(JWSFixtures.goodPayload), "claim.aud-mismatch", verifier: strict)
        check(
            tok(#"{"iss":"you","sub":"me","aud":"https://as:443/token","exp":1800000100,"jti":"x"}"#),
            "claim.iss-mismatch", verifier: strict)
        check(
            tok(#"{"iss":"me","sub":"you","aud":"https://as:443/token","exp":1800000100,"jti":"x"}"#),
            "claim.sub-mismatch", verifier: strict)
        check(
            tok(#"{"iss":"me","sub":"me","aud":"https://as:443/token","exp":1800000100}"#), "claim.missing",
            verifier: strict)
        check(
            tok(#"{"iss":"me","sub":"me","aud":["x","https://as:443/token"],"exp":1800000400,"jti":"x"}"#),
            "claim.exp-too-far", verifier: strict)
        #expect(throws: Never.self) {
            try strict.verify(
                tok(#"{"iss":"me","sub":"me","aud":["x","https://as:443/token"],"exp":1800000299.5,"jti":"x"}"#))
        }
        let lenient = JWSFixtures.verifier(policy: JWTValidationPolicy(leeway: 60, clock: .fixed(JWSFixtures.now)))
        #expect(throws: Never.self) { try lenient.verify(tok(#"{"exp":1799999990}"#)) }
        // With leeway the boundary moves by the leeway, and stays exclusive.
        check(tok(#"{"exp":1799999940}"#), "claim.exp-expired", verifier: lenient)
        #expect(throws: Never.self) { try lenient.verify(tok(#"{"exp":1799999941}"#)) }
    }

    @Test func sizeLimitIsCheckedFirst() throws {
        let huge = String(repeating: "A", count: 1 << 20)
        let small = try JWSVerifier(
            keys: [JWSVerificationKey(key: JWSFixtures.key.publicKey, algorithm: .rs256)], maximumTokenBytes: 4096)
        check(huge, "token.too-large", segment: .token, verifier: small)
        check(huge + "." + huge + "." + huge, "token.too-large")
    }
}
