// SPDX-License-Identifier: Apache-2.0

import Base64URL
import JWS
import SignetKeys
import TestSupport
import Testing

@Suite("JWK sets")
struct JWKSetTests {
    /// `n` of a 1024-bit "key" (odd, top bit set): big enough to parse, too small to use.
    static let smallModulus = Base64URL.encode([0xC3] + [UInt8](repeating: 0x5A, count: 126) + [0x01])

    static func entry(_ key: RSAPublicKey, _ extra: String) -> String {
        let jwk = key.jwk
        return #"{"kty":"RSA","n":"\#(jwk.n)","e":"\#(jwk.e)"\#(extra)}"#
    }

    @Test func documentRoundTrip() throws {
        let text = JWKSet.document([
            (JWSFixtures.key.publicKey, "k1", .rs512), (JWSFixtures.otherKey.publicKey, "k2", .rs256),
        ])
        let jwk = JWSFixtures.key.publicKey.jwk
        #expect(
            text.hasPrefix(#"{"keys":[{"kty":"RSA","n":"\#(jwk.n)","e":"AQAB","alg":"RS512","kid":"k1","use":"sig"},"#))
        let set = try JWKSet.parse(text)
        #expect(set.issues.isEmpty)
        #expect(set.keys.map(\.keyID) == ["k1", "k2"])
        #expect(set.keys.map(\.algorithmName) == ["RS512", "RS256"])
        #expect(set.keys[0].publicKey.rsa?.modulus == JWSFixtures.key.publicKey.modulus)
        #expect(set.keys[1].publicKey.rsa?.exponent == JWSFixtures.otherKey.publicKey.exponent)
        let keys = set.verificationKeys(defaultAlgorithm: .rs256)
        #expect(keys.map(\.keyID) == ["k1", "k2"])
        #expect(keys.map(\.algorithm) == [.rs512, .rs256])
        // The keys verify what the matching private keys sign.
        let verifier = try JWSVerifier(keys: keys, policy: JWTValidationPolicy(clock: .fixed(JWSFixtures.now)))
        _ = try verifier.verify(
            JWSFixtures.craft(
                header: #"{"alg":"RS512","typ":"JWT","kid":"k1"}"#, payload: JWSFixtures.goodPayload, algorithm: .rs512)
        )
    }

    @Test func lenientReadingSkipsAndReportsEntryByEntry() throws {
        let k = JWSFixtures.key.publicKey
        let o = JWSFixtures.otherKey.publicKey
        let text = """
            {"keys":[
              {"kty":"OKP","crv":"X25519","x":"hSDwCYkwp1R0i33ctD73Wg2_Og0mOBr066SpjqqbTmo","kid":"x25519"},
              \(Self.entry(k, #","kid":"nokid-alg""#)),
              \(Self.entry(o, #","kid":"private","d":"AQAB","p":"AQAB""#)),
              {"kty":"RSA","n":"\(Self.smallModulus)","e":"AQAB","kid":"small"},
              \(Self.entry(o, #","kid":"nokid-alg","alg":"RS256""#)),
              \(Self.entry(o, #","kid":"enc","use":"enc""#)),
              \(Self.entry(o, #","kid":"pss","alg":"RSA-OAEP""#)),
              "not an object",
              {"kty":"oct","k":"AAAA"}
            ],"keys2":1}
            """
        let set = try JWKSet.parse(text)
        #expect(
            set.issues.map(\.code.rawValue) == [
                "jwks.unsupported-kty", "jwks.private-members", "jwks.key-too-small", "jwks.use-not-sig",
                "jwks.alg-unsupported", "jwks.entry-not-object", "jwks.unsupported-kty", "jwks.duplicate-kid",
            ])
        #expect(set.keys.map(\.keyID) == ["nokid-alg", "private", "nokid-alg", "enc", "pss"])
        let privateIssue = try #require(set.issues.first { $0.code == .privateMembers })
        #expect(privateIssue.index == 2)
        #expect(privateIssue.offset == byteOffset(of: #""d":"AQAB""#, in: text))
        #expect(set.issues.first { $0.code == .keyTooSmall }?.keyID == "small")
        // Refused for verification: private members, use enc, RSA-OAEP (an encryption alg), and the second "nokid-alg".
        let keys = set.verificationKeys(defaultAlgorithm: .rs512)
        #expect(keys.map(\.keyID) == ["nokid-alg"])
        #expect(keys.map(\.algorithm) == [.rs512])
    }

    @Test func keylessKeysAmongSeveralAreRefused() throws {
        let text =
            #"{"keys":[\#(Self.entry(JWSFixtures.key.publicKey, "")),\#(Self.entry(JWSFixtures.otherKey.publicKey, #","kid":"k2""#))]}"#
        let set = try JWKSet.parse(text)
        #expect(set.issues.map(\.code) == [.keyIDMissing])
        #expect(set.verificationKeys(defaultAlgorithm: .rs256).map(\.keyID) == ["k2"])
        // Alone, a key without kid is fine.
        let single = try JWKSet.parse(#"{"keys":[\#(Self.entry(JWSFixtures.key.publicKey, ""))]}"#)
        #expect(single.issues.isEmpty)
        #expect(single.verificationKeys(defaultAlgorithm: .rs256).map(\.algorithm) == [.rs256])
    }

    @Test func documentShapes() throws {
        let bare = try JWKSet.parse(Self.entry(JWSFixtures.key.publicKey, #","kid":"k1""#))
        #expect(bare.issues.map(\.code) == [.bareJWK])
        #expect(bare.keys.count == 1)
        #expect(try JWKSet.parse(#"{"keys":{}}"#).issues.map(\.code) == [.noKeys])
        #expect(try JWKSet.parse(#"{"keys":[]}"#).issues.map(\.code) == [.noKeys])
        #expect(try JWKSet.parse(#"{"kees":[]}"#).issues.map(\.code) == [.noKeys])
        #expect(try JWKSet.parse("[]").issues.map(\.code) == [.noKeys])
        #expect(try JWKSet.parse(#"{"keys":[],"keys":[]}"#).issues.map(\.code) == [.duplicateMember, .noKeys])
        #expect(throws: JSONError(.invalid, offset: 0, reason: "")) { try JWKSet.parse(#"{"keys":["#) }
    }
}
