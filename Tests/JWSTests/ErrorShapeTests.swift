// SPDX-License-Identifier: Apache-2.0

import Base64URL
import JWS
import SignetKeys
import Testing

/// The error shape of ARCHITECTURE.md's Conventions: forwarded codes keep the owner's spelling, and a wrapped error
/// is kept as a value in `underlying`, not only as text.
@Suite struct ErrorShapeTests {
    let verifier = JWSFixtures.verifier()
    let header = #"{"alg":"RS256","typ":"JWT","kid":"k1"}"#

    func rejection(_ token: String) -> JWSError? {
        do throws(JWSError) {
            _ = try verifier.verify(token)
            return nil
        } catch {
            return error
        }
    }

    @Test func forwardedCodesAreTheOwnersSpelling() {
        #expect(JWSError.Code.base64InvalidCharacter.rawValue == Base64URLError.Code.invalidCharacter.rawValue)
        #expect(JWSError.Code.base64Padding.rawValue == Base64URLError.Code.padding.rawValue)
        #expect(JWSError.Code.base64NonCanonical.rawValue == Base64URLError.Code.nonCanonical.rawValue)
        #expect(JWSError.Code.base64InvalidLength.rawValue == Base64URLError.Code.invalidLength.rawValue)
        #expect(JWSError.Code.jsonInvalid.rawValue == JSONError.Code.invalid.rawValue)
        #expect(JWSError.Code.jsonDuplicateMember.rawValue == JSONError.Code.duplicateMember.rawValue)
        #expect(JWSError.Code.jsonTooDeep.rawValue == JSONError.Code.tooDeep.rawValue)
        #expect(JWKSet.Issue.Code.duplicateMember.rawValue == JSONError.Code.duplicateMember.rawValue)
    }

    @Test func keyPrefixBelongsToSignetKeyError() {
        #expect(JWSError.Code.keyConfiguration.rawValue == "configuration.invalid")
        #expect(!JWSError.Code.keyConfiguration.rawValue.hasPrefix("key."))
    }

    @Test func base64RejectionKeepsTheBase64URLError() throws {
        let token = JWSFixtures.craft(header: header, payload: JWSFixtures.goodPayload)
        let parts = token.split(separator: ".").map(String.init)
        let error = try #require(rejection(parts[0] + "=." + parts[1] + "." + parts[2]))
        #expect(error.code == .base64Padding)
        #expect(error.offset == parts[0].utf8.count)
        let underlying = try #require(error.underlying as? Base64URLError)
        #expect(underlying.code == .padding && underlying.offset == parts[0].utf8.count)
    }

    @Test func jsonRejectionKeepsTheJSONError() throws {
        let token = JWSFixtures.craft(header: #"{"alg":"RS256","alg":"none","kid":"k1"}"#, payload: "{}")
        let error = try #require(rejection(token))
        #expect(error.code == .jsonDuplicateMember)
        #expect(error.segment == .header)
        let underlying = try #require(error.underlying as? JSONError)
        #expect(underlying.code == .duplicateMember)
        // The wrapped offset counts decoded header bytes; the JWSError's counts token bytes.
        #expect(underlying.offset == 15)
    }

    @Test func errorsFoundHereWrapNothing() throws {
        let error = try #require(rejection("abc"))
        #expect(error.code == .notJWS)
        #expect(error.underlying == nil)
        #expect(JSONError(.invalid, offset: 0, reason: "").underlying == nil)
        #expect(Base64URLError(code: .padding, offset: 0).underlying == nil)
    }

    @Test func jwkErrorsKeepTheParseError() throws {
        do throws(SignetKeyError) {
            _ = try JWK.publicKey(json: #"{"kty":"RSA","n":"AQAB","e":"AQAB","n":"AQAB"}"#)
            Issue.record("a JWK with a repeated member loaded")
        } catch {
            #expect(error.code == .jwkInvalid)
            #expect((error.underlying as? JSONError)?.code == .duplicateMember)
        }
        do throws(SignetKeyError) {
            _ = try RSAPublicKey(jwk: RSAJWKComponents(n: "AQ+B", e: "AQAB"))
            Issue.record("a JWK with standard base64 loaded")
        } catch {
            #expect(error.code == .jwkInvalid)
            #expect(error.offset == 2)
            let underlying = error.underlying as? Base64URLError
            #expect(underlying?.code == .invalidCharacter && underlying?.offset == 2)
        }
    }

    @Test func jwkSetIssuesKeepTheirCause() throws {
        let set = try JWKSet.parse(#"{"keys":[],"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}"#)
        let duplicate = try #require(set.issues.first { $0.code == .duplicateMember })
        #expect((duplicate.underlying as? JSONError)?.code == .duplicateMember)
        let small = try #require(set.issues.first { $0.code == .keyTooSmall })
        #expect((small.underlying as? SignetKeyError)?.code == .keyTooSmall)
    }
}
