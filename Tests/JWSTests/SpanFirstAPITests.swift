// SPDX-License-Identifier: Apache-2.0

import JWS
import SignetKeys
import Testing

/// The safe span forms agree with the `@unsafe` raw-buffer forms they wrap.
@Suite struct SpanFirstAPITests {
    @Test func verifyOnSpansMatchesRawBuffers() throws {
        let signer = try JWSSigner(key: JWSFixtures.key, algorithm: .rs256, keyID: "k1")
        let verifier = JWSFixtures.verifier()
        let token = Array(try signer.token(payload: Array(JWSFixtures.goodPayload.utf8)).utf8)
        let jwt = try verifier.verify(RawSpan(_elements: token.span))
        let jwtRaw = try unsafe token.span.withUnsafeBytes { b throws(JWSError) in try unsafe verifier.verify(b) }
        #expect(jwt.claims == jwtRaw.claims)
        #expect(jwt.jws.payload == jwtRaw.jws.payload)
        let jws = try verifier.verifySignature(RawSpan(_elements: token.span))
        #expect(jws.payload == Array(JWSFixtures.goodPayload.utf8))
        var broken = token
        broken[broken.count - 2] = broken[broken.count - 2] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let spanError = #expect(throws: JWSError.self) { try verifier.verify(RawSpan(_elements: broken.span)) }
        let rawError = #expect(throws: JWSError.self) {
            try unsafe broken.span.withUnsafeBytes { b throws(JWSError) in _ = try unsafe verifier.verify(b) }
        }
        #expect(spanError?.code == rawError?.code)
        #expect(spanError?.offset == rawError?.offset)
    }

    @Test func strictJSONOnSpans() throws {
        let text = Array(#"{"a":[1,true,null],"b":"\u00e9"}"#.utf8)
        let fromSpan = try StrictJSON.parse(RawSpan(_elements: text.span))
        #expect(try fromSpan == StrictJSON.parse(text))
        try StrictJSON.validate(RawSpan(_elements: text.span))
        let duplicate = Array(#"{"a":1,"a":2}"#.utf8)
        let parseError = #expect(throws: JSONError.self) { try StrictJSON.parse(RawSpan(_elements: duplicate.span)) }
        let validateError = #expect(throws: JSONError.self) {
            try StrictJSON.validate(RawSpan(_elements: duplicate.span))
        }
        #expect(parseError?.code == .duplicateMember)
        #expect(validateError == parseError)
    }

    @Test func writerStringFromSpan() {
        var out = [UInt8](repeating: 0, count: 32)
        let count = unsafe out.withUnsafeMutableBytes { buffer in
            var w = unsafe JSONByteWriter(buffer: buffer)
            let text = Array("a\"b".utf8)
            w.string(utf8: RawSpan(_elements: text.span))
            return w.count
        }
        #expect(Array(out[..<count]) == Array(#""a\"b""#.utf8))
    }

    @Test func rsaOnSpans() throws {
        let key = JWSFixtures.key
        let message = Array("header.payload".utf8)
        let signature = try key.signature(for: message, algorithm: .rs256)
        let valid = key.publicKey.isValidSignature(
            RawSpan(_elements: signature.span), for: RawSpan(_elements: message.span), algorithm: .rs256)
        #expect(valid)
        var wrong = message
        wrong[0] ^= 1
        let wrongValid = key.publicKey.isValidSignature(
            RawSpan(_elements: signature.span), for: RawSpan(_elements: wrong.span), algorithm: .rs256)
        #expect(!wrongValid)
        var random = [UInt8](repeating: 0, count: 64)
        var span = random.mutableSpan
        var bytes = MutableRawSpan(_elements: &span)
        try SecureRandom.fill(&bytes)
        #expect(random.contains { $0 != 0 })
    }
}
