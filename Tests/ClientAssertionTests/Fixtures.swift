// SPDX-License-Identifier: Apache-2.0

import Base64URL
import ClientAssertion
import CrossCheck
import JWS
import SignetKeys
import TestSupport
import Testing

/// Keys and tokens shared by the ClientAssertion tests. The keys are fixed (`Tests/Vectors/keys`), so every token
/// and signature is the same in every run: tests that look at a signature's characters (the dash readings) never
/// depend on what a fresh key happens to sign.
enum Fixtures {
    static let key: RSAPrivateKey = load("keys/rsa2048-a.pem")
    static let otherKey: RSAPrivateKey = load("keys/rsa2048-b.pem")

    private static func load(_ path: String) -> RSAPrivateKey {
        do {
            return try RSAPrivateKey(pem: String(decoding: Vectors.data(path), as: UTF8.self))
        } catch { fatalError("fixture \(path): \(error)") }
    }

    static let now = NumericDate(Int64(1_800_000_000))
    static let clientID = "client-1"
    static let apimAudience = APIMEnvironment.integration.tokenURL
    static let cis2Endpoint =
        "https://am.nhsint.auth-ptl.cis2.spineservices.nhs.uk:443/openam/oauth2/realms/root/realms/NHSIdentity/realms/Healthcare/access_token"

    /// A 1024-bit modulus (base64url): under the 2048-bit floor.
    static let smallModulus = Base64URL.encode([0xC3] + [UInt8](repeating: 0x5A, count: 126) + [0x01])

    static let goodHeader = #"{"alg":"RS512","typ":"JWT","kid":"k1"}"#

    /// A valid APIM payload with `exp = now + 300`; `extra` replaces the tail (members after `aud`).
    static func payload(
        iss: String = clientID, sub: String = clientID, aud: String = apimAudience,
        tail: String = #","jti":"0b7d6c3e-9f43-4c8e-a1b2-3c4d5e6f7a8b","exp":1800000300,"iat":1800000000"#
    ) -> String {
        #"{"iss":"\#(iss)","sub":"\#(sub)","aud":"\#(aud)""# + tail + "}"
    }

    /// `base64url(header).base64url(payload).base64url(signature)`, signed with `key` using `algorithm`.
    static func token(
        header: String = goodHeader, payload: String = payload(), key: RSAPrivateKey = key,
        algorithm: RSASignatureAlgorithm = .rs512
    ) -> String {
        signed(
            Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8)), key: key,
            algorithm: algorithm)
    }

    /// `input.signature`, signing exactly the bytes of `input`.
    static func signed(_ input: String, key: RSAPrivateKey = key, algorithm: RSASignatureAlgorithm = .rs512) -> String {
        let signature = (try? key.signature(for: Array(input.utf8), algorithm: algorithm)) ?? []
        return input + "." + Base64URL.encode(signature)
    }

    /// A JWKS with `key` as `k1` (RS512).
    static var jwks: String { JWKSet.document([(key.publicKey, "k1", .rs512)]) }

    /// The doctor's report for `token` under APIM (INT) rules, with the fixture JWKS and client id.
    static func examine(
        _ token: String, form: String? = nil, jwks: String? = jwks, clientID: String? = clientID,
        audience: String? = apimAudience, profile: ClientAssertionProfile.Kind = .apim,
        role: Doctor.TokenRole? = nil
    ) -> DoctorReport {
        Doctor.examine(
            Doctor.Input(
                token: token, form: form, jwks: jwks, clientID: clientID, audience: audience, profile: profile,
                role: role, now: now, secondOpinion: .gmpVerifier))
    }

    /// Byte offset in `token` of the first occurrence of `needle`.
    static func offset(of needle: String, in token: String) -> Int? { byteOffset(of: needle, in: token) }

    /// Token offset of decoded payload byte `d` (the character in which its bits begin).
    static func payloadOffset(_ token: String, decodedByte d: Int) -> Int {
        let firstDot =
            token.utf8.firstIndex(of: UInt8(ascii: ".")).map {
                token.utf8.distance(from: token.utf8.startIndex, to: $0)
            } ?? 0
        return firstDot + 1 + d * 4 / 3
    }

    /// The decoded payload of a compact token as a JSON object.
    static func claims(_ token: String) throws -> JSONObject {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        let value = try StrictJSON.parse(try Base64URL.decode(String(parts[1])))
        return try #require(value.objectValue)
    }

    /// The decoded header text of a compact token.
    static func headerText(_ token: String) throws -> String {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        return String(decoding: try Base64URL.decode(String(parts[0])), as: UTF8.self)
    }
}

extension DoctorReport {
    /// The only finding with `code`, recording an issue when there is not exactly one.
    func only(_ code: Finding.Code, sourceLocation: SourceLocation = #_sourceLocation) -> Finding? {
        let matches = findings(code)
        #expect(
            matches.count == 1, "expected one \(code), got \(matches.count): \(findings)",
            sourceLocation: sourceLocation)
        return matches.first
    }

    /// The codes, in order.
    var codes: [String] { findings.map(\.code.rawValue) }
}
