// SPDX-License-Identifier: Apache-2.0

import Foundation
import JWS
import SignetKeys
import TestSupport
import Testing

@Suite struct JWSVectorTests {
    func privateKey(_ j: [String: String]) throws -> RSAPrivateKey {
        try RSAPrivateKey(
            jwk: RSAJWKComponents(
                n: j["n"] ?? "", e: j["e"] ?? "", d: j["d"], p: j["p"], q: j["q"], dp: j["dp"], dq: j["dq"], qi: j["qi"]
            ))
    }

    /// RFC 7515 Appendix A.2 reproduced byte for byte, and verified.
    @Test func rfc7515A2() throws {
        let v = try #require(try Vectors.json("rfc/rfc7515_a2_rs256.json") as? [String: Any])
        let key = try privateKey(try #require(v["jwk"] as? [String: String]))
        let payload = try #require(v["payload_octets"] as? [Int]).map { UInt8($0) }
        let signer = try JWSSigner(key: key, algorithm: .rs256, type: nil)
        let token = try signer.token(payload: payload)
        #expect(token == (v["compact_serialization"] as? String))
        let verifier = try JWSVerifier(
            keys: [JWSVerificationKey(key: key.publicKey, algorithm: .rs256)],
            policy: JWTValidationPolicy(clock: .fixed(NumericDate(Int64(1_300_819_000)))))
        let verified = try verifier.verify(token)
        #expect(verified.claims.issuer == "joe")
        #expect(verified.claims.expiresAt == NumericDate(Int64(1_300_819_380)))
        #expect(verified.payloadObject["http://example.com/is_root"] == .bool(true))
        // One second after exp it is expired.
        let late = try JWSVerifier(
            keys: [JWSVerificationKey(key: key.publicKey, algorithm: .rs256)],
            policy: JWTValidationPolicy(clock: .fixed(NumericDate(Int64(1_300_819_381)))))
        expectCode("claim.exp-expired", segment: .payload) { () throws(JWSError) in _ = try late.verify(token) }
    }

    /// RFC 7520 §4.1 reproduced byte for byte (header with kid, UTF-8 payload).
    @Test func rfc7520Section4_1() throws {
        let v = try #require(try Vectors.json("jose-cookbook/jws/4_1.rsa_v15_signature.json") as? [String: Any])
        let input = try #require(v["input"] as? [String: Any])
        let key = try privateKey(try #require(input["key"] as? [String: String]))
        let payload = Array(try #require(input["payload"] as? String).utf8)
        let signer = try JWSSigner(key: key, algorithm: .rs256, keyID: "bilbo.baggins@hobbiton.example", type: nil)
        let token = try signer.token(payload: payload)
        let output = try #require(v["output"] as? [String: Any])
        #expect(token == (output["compact"] as? String))
        let verifier = try JWSVerifier(keys: [
            JWSVerificationKey(key: key.publicKey, algorithm: .rs256, keyID: "bilbo.baggins@hobbiton.example")
        ])
        let jws = try unsafe token.utf8Span.span.withUnsafeBytes { b throws(JWSError) in
            try unsafe verifier.verifySignature(b)
        }
        #expect(jws.payload == payload)
    }
}
