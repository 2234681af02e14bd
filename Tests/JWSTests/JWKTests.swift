// SPDX-License-Identifier: Apache-2.0

import Foundation
import JWS
import SignetKeys
import TestSupport
import Testing

@Suite struct JWKTests {
    /// RFC 7638 §3.1: the example key and its thumbprint, through the one implementation (JWSPublicKey), which
    /// the RSA JWK writer uses for a missing kid too.
    @Test func thumbprintMatchesRFC7638Example() throws {
        let n =
            "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
        let key = try RSAPublicKey(jwk: RSAJWKComponents(n: n, e: "AQAB"))
        #expect(JWSPublicKey.rsa(key).thumbprint == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
        #expect(
            JWK.json(for: key, algorithm: nil, keyID: nil).contains(
                "\"kid\":\"NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs\""))
    }

    @Test func privateAndPublicJWKJSON() throws {
        // RFC 7520 §3.4 private key and §3.3 public key: same modulus, and the private key reproduces RFC 7520 §4.1.
        let priv = String(decoding: try Vectors.data("jose-cookbook/jwk/3_4.rsa_private_key.json"), as: UTF8.self)
        let pub = String(decoding: try Vectors.data("jose-cookbook/jwk/3_3.rsa_public_key.json"), as: UTF8.self)
        let key = try JWK.privateKey(json: priv)
        let publicKey = try JWK.publicKey(json: pub)
        #expect(key.publicKey.modulus == publicKey.modulus)
        #expect(throws: SignetKeyError(.jwkInvalid, reason: "")) { try JWK.publicKey(json: priv) }
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
            #expect(throws: SignetKeyError(.jwkInvalid, reason: ""), "\(text)") { try JWK.publicKey(json: text) }
        }
    }
}
