// SPDX-License-Identifier: Apache-2.0

import Foundation
import JWS
import SignetKeys
import TestSupport
import Testing

/// JWKS `x5c` (RFC 7517 §4.7): the key when `n`/`e` are absent, checked against them when present. Certificates are
/// made by the `openssl` command-line tool at test time.
@Suite("JWK sets: x5c")
struct JWKSetX5cTests {
    /// Base64 DER of a self-signed certificate for `key` (subject `/CN=<name>`).
    static func x5c(_ key: RSAPrivateKey, name: String) throws -> String {
        let pem = try unsafe key.withPKCS8PEM { unsafe Array($0) }
        let out = try OpenSSLCommand.run(
            [
                "req", "-x509", "-new", "-key", "key.pem", "-subj", "/CN=\(name)", "-days", "2", "-outform", "DER",
                "-out", "c.der",
            ], inputs: ["key.pem": pem], outputs: ["c.der"])
        return Data(out["c.der"] ?? []).base64EncodedString()
    }

    @Test func x5cAloneIsTheKey() throws {
        let cert = try Self.x5c(JWSFixtures.key, name: "only")
        let set = try JWKSet.parse(#"{"keys":[{"kty":"RSA","kid":"k1","alg":"RS512","x5c":["\#(cert)"]}]}"#)
        #expect(set.issues.isEmpty)
        let key = try #require(set.keys.first)
        #expect(key.publicKey.rsa?.modulus == JWSFixtures.key.publicKey.modulus)
        #expect(key.certificate?.subject == "/CN=only")
        #expect(set.verificationKeys(defaultAlgorithm: .rs256).map(\.keyID) == ["k1"])
    }

    @Test func x5cMatchingNAndEIsAccepted() throws {
        let jwk = JWSFixtures.key.publicKey.jwk
        let cert = try Self.x5c(JWSFixtures.key, name: "same")
        let set = try JWKSet.parse(
            #"{"keys":[{"kty":"RSA","n":"\#(jwk.n)","e":"\#(jwk.e)","kid":"k1","x5c":["\#(cert)","ignored"]}]}"#)
        #expect(set.issues.isEmpty)
        #expect(set.keys.first?.certificate?.subject == "/CN=same")
    }

    @Test func x5cOfAnotherKeyIsAMismatchNamingTheEntry() throws {
        let jwk = JWSFixtures.key.publicKey.jwk
        let other = try Self.x5c(JWSFixtures.otherKey, name: "other")
        let text =
            #"{"keys":[{"kty":"RSA","kid":"a","n":"\#(JWSFixtures.otherKey.publicKey.jwk.n)","e":"AQAB"},"#
            + #"{"kty":"RSA","n":"\#(jwk.n)","e":"\#(jwk.e)","kid":"k1","x5c":["\#(other)"]}]}"#
        let set = try JWKSet.parse(text)
        let issue = try #require(set.issues.first)
        #expect(set.issues.count == 1)
        #expect(issue.code == .x5cMismatch)
        #expect(issue.index == 1 && issue.keyID == "k1")
        // The x5c value's '[': the text ends with [" + other + "]}]} (7 bytes besides the certificate).
        #expect(issue.offset == text.utf8.count - other.utf8.count - 7)
        #expect(issue.description.hasPrefix("jwks.x5c-mismatch [keys[1] @"))
        #expect(issue.reason.contains("/CN=other"))
        #expect(set.keys.map(\.keyID) == ["a"])  // the ambiguous entry is not used
    }

    @Test(arguments: [#""x5c":"MIIB""#, #""x5c":[]"#, #""x5c":[1]"#, #""x5c":["MII*"]"#, #""x5c":["AAAA"]"#])
    func unusableX5cSkipsTheEntry(member: String) throws {
        let set = try JWKSet.parse(#"{"keys":[{"kty":"RSA","kid":"k1",\#(member)}]}"#)
        #expect(set.keys.isEmpty)
        #expect(set.issues.map(\.code) == [.invalidKey])
    }

    @Test func nWithoutEAndAnX5cIsStillInvalid() throws {
        let cert = try Self.x5c(JWSFixtures.key, name: "half")
        let n = JWSFixtures.key.publicKey.jwk.n
        let set = try JWKSet.parse(#"{"keys":[{"kty":"RSA","n":"\#(n)","x5c":["\#(cert)"]}]}"#)
        #expect(set.keys.isEmpty)
        #expect(set.issues.map(\.code) == [.invalidKey])
    }
}
