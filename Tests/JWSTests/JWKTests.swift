import Foundation
import JWS
// SPDX-License-Identifier: Apache-2.0
import SignetRSA
import TestSupport
import Testing

@Suite struct JWKTests {
    @Test func privateAndPublicJWKJSON() throws {
        // RFC 7520 §3.4 private key and §3.3 public key: same modulus, and the private key reproduces RFC 7520 §4.1.
        let priv = String(decoding: try Vectors.data("jose-cookbook/jwk/3_4.rsa_private_key.json"), as: UTF8.self)
        let pub = String(decoding: try Vectors.data("jose-cookbook/jwk/3_3.rsa_public_key.json"), as: UTF8.self)
        let key = try JWK.privateKey(json: priv)
        let publicKey = try JWK.publicKey(json: pub)
        #expect(key.publicKey.modulus == publicKey.modulus)
        #expect(throws: SignetRSAError(.jwkInvalid, reason: "")) { try JWK.publicKey(json: priv) }
        let exported = JWK.json(for: publicKey, algorithm: .rs256, keyID: "bilbo")
        #expect(try JWK.publicKey(json: exported).modulus == publicKey.modulus)
        #expect(
            exported.hasPrefix(#"{"kty":"RSA","n":""#)
                && exported.hasSuffix(#","alg":"RS256","kid":"bilbo","use":"sig"}"#))
    }

    @Test func rejectsMalformedJWKs() {
        for text in [
            #"{"kty":"EC","n":"AQAB","e":"AQAB"}"#, #"{"kty":"RSA","e":"AQAB"}"#, #"{"kty":"RSA","n":5,"e":"AQAB"}"#,
            #"{"kty":"RSA","kty":"RSA"}"#, "[1]", "{",
        ] {
            #expect(throws: SignetRSAError(.jwkInvalid, reason: ""), "\(text)") { try JWK.publicKey(json: text) }
        }
    }
}
