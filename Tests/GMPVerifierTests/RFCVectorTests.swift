// SPDX-License-Identifier: Apache-2.0

import TestSupport
import Testing

@testable import GMPVerifier

/// Published JWS examples: RFC 7515 Appendix A.2 and RFC 7520 §4.1 (both RS256, 2048-bit keys).
@Suite struct RFCVectorTests {
    @Test func rfc7515AppendixA2() throws {
        let v = try vectorObject("rfc/rfc7515_a2_rs256.json")
        let jwk = try v.object("jwk")
        let key = try GMPRSAPublicKey(jwkN: try jwk.string("n"), jwkE: try jwk.string("e"))
        #expect(key.modulusBitCount == 2048)
        #expect(key.signatureByteCount == 256)
        let input = Array(try v.string("signing_input_ascii").utf8)
        #expect(
            input == Array(try v.string("protected_header_b64u").utf8) + [UInt8(ascii: ".")]
                + Array(try v.string("payload_b64u").utf8))
        let octets = try #require(v["signature_octets"] as? [Int]).map { UInt8($0) }
        let fromB64 = try #require(Oracle.base64URL(try v.string("signature_b64u")))
        #expect(octets == fromB64)

        #expect(key.isValidSignature(octets, for: input, algorithm: .rs256))
        #expect(unsafe key.isValidSignature(octets.span.bytes, for: input.span.bytes, algorithm: .rs256))
        #expect(
            unsafe octets.withUnsafeBytes { s in
                unsafe input.withUnsafeBytes { m in unsafe key.isValidSignature(s, for: m, algorithm: .rs256) }
            })
        try key.verifySignature(octets, for: input, algorithm: .rs256)
        try unsafe key.verifySignature(octets.span.bytes, for: input.span.bytes, algorithm: .rs256)
        let digest = SHA256.hash(input)
        #expect(digest == Oracle.digest(.rs256, input))
        #expect(key.isValidSignature(octets, forDigest: digest, algorithm: .rs256))
        try key.verifySignature(octets, forDigest: digest, algorithm: .rs256)
        try unsafe octets.withUnsafeBytes { s in
            try unsafe digest.withUnsafeBytes { d in try unsafe key.verifySignature(s, forDigest: d, algorithm: .rs256)
            }
        }

        // The same signature under RS384 / RS512, or over a changed input, fails and says where.
        #expect(!key.isValidSignature(octets, for: input, algorithm: .rs384))
        #expect(!key.isValidSignature(octets, for: input, algorithm: .rs512))
        var changed = input
        changed[changed.count - 1] ^= 1
        let error = #expect(throws: GMPVerifierError.self) {
            try key.verifySignature(octets, for: changed, algorithm: .rs256)
        }
        #expect(error?.code == .encodingMismatch)
        #expect(error?.reason.hasSuffix("in the digest") == true, "\(String(describing: error))")
        let wrongAlgorithm = #expect(throws: GMPVerifierError.self) {
            try key.verifySignature(octets, for: input, algorithm: .rs512)
        }
        #expect(wrongAlgorithm?.code == .encodingMismatch)
        #expect(wrongAlgorithm?.description.hasPrefix("gmp.encoding-mismatch: ") == true)
    }

    @Test func rfc7520Section4_1() throws {
        let jwk = try vectorObject("jose-cookbook/jwk/3_3.rsa_public_key.json")
        let key = try GMPRSAPublicKey(jwkN: try jwk.string("n"), jwkE: try jwk.string("e"))
        let example = try vectorObject("jose-cookbook/jws/4_1.rsa_v15_signature.json")
        let signing = try example.object("signing")
        #expect(try example.object("input").string("alg") == "RS256")
        let input = Array(try signing.string("sig-input").utf8)
        let signature = try #require(Oracle.base64URL(try signing.string("sig")))
        #expect(key.isValidSignature(signature, for: input, algorithm: .rs256))
        try key.verifySignature(signature, for: input, algorithm: .rs256)
        // The private JWK in §3.4 has the same public half.
        let privateJWK = try vectorObject("jose-cookbook/jwk/3_4.rsa_private_key.json")
        let same = try GMPRSAPublicKey(jwkN: try privateJWK.string("n"), jwkE: try privateJWK.string("e"))
        #expect(same.isValidSignature(signature, for: input, algorithm: .rs256))
        #expect(!key.isValidSignature(signature, for: Array(input.dropLast()), algorithm: .rs256))
    }
}
