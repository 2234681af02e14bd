// SPDX-License-Identifier: Apache-2.0

import HTTPTypes
import JWS
import Logging
import SignetKeys
import Testing

@testable import SignetHummingbirdAuth

/// `verifiedBearer(in:)` without a server: what a verified bearer carries, and the scope check that reads a plain
/// `scope` in place and decides the other forms on the parsed payload.
@Suite("VerifiedBearer and the scope check")
struct VerifiedBearerTests {
    typealias Authenticator = JWTBearerAuthenticator<AuthenticatedService.Context>

    static func authenticator(scopes: Set<String> = []) throws -> Authenticator {
        Authenticator(
            keys: .verifier(try JWTBearerAuthenticatorTests.verifier()), requiredScopes: scopes,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    /// A token over the exact payload text `json` (so escapes and member order are the test's).
    static func token(json: String) throws -> String {
        try JWSSigner(key: .ec(JWTBearerAuthenticatorTests.key.get()), algorithm: .es256, keyID: "k1")
            .token(payload: Array(json.utf8))
    }

    static func headers(_ token: String) -> HTTPFields {
        var fields = HTTPFields()
        fields[.authorization] = "Bearer \(token)"
        return fields
    }

    static func payload(_ members: String) -> String {
        let now = JWTClock.system.now().seconds
        return #"{"iss":"https://issuer.example","sub":"user-1","aud":"https://api.example","exp":"#
            + "\(now + 300),\"iat\":\(now),\"jti\":\"id-42\"\(members.isEmpty ? "" : ",")\(members)}"
    }

    @Test("the bearer carries the verified registered claims, the payload, and every claim on demand")
    func carriesClaims() async throws {
        let json = Self.payload(#""scope":"read write","tenant":"t-9""#)
        let bearer = try #require(
            try await Self.authenticator().verifiedBearer(in: Self.headers(Self.token(json: json))))
        #expect(bearer.algorithm == .es256 && bearer.keyID == "k1")
        #expect(bearer.issuer == "https://issuer.example" && bearer.subject == "user-1" && bearer.id == "id-42")
        #expect(bearer.expiresAt != nil && bearer.issuedAt != nil && bearer.notBefore == nil)
        #expect(bearer.payload == Array(json.utf8))
        #expect(bearer.scopes == ["read", "write"])
        let claims = try bearer.claims()
        #expect(claims.subject == "user-1" && claims.audience == ["https://api.example"] && claims.id == "id-42")
        #expect(claims.additional.contains { $0.name == "tenant" && $0.value == .string("t-9") })
        #expect(try bearer.payloadObject()["tenant"] == .string("t-9"))
    }

    @Test(
        "required scopes from a plain scope, an escaped one or an scp array; the missing ones named",
        arguments: [
            (#""scope":"read write""#, ["read", "write"], true),
            (#""scope":"  write   read ""#, ["read", "write"], true),
            (#""scope":"read write""#, ["read", "admin"], false),
            (#""scope":"reader""#, ["read"], false),
            (#""scope":"r\u0065ad w\u0072ite""#, ["read", "write"], true),
            (#""scope":"r\u0065ad""#, ["read", "write"], false),
            (#""scp":["read","write"]"#, ["write"], true),
            (#""scp":["read"]"#, ["admin"], false),
            (#""scope":17"#, ["read"], false),
            ("", ["read"], false),
        ])
    func requiredScopes(members: String, required: [String], passes: Bool) async throws {
        let authenticator = try Self.authenticator(scopes: Set(required))
        let headers = Self.headers(try Self.token(json: Self.payload(members)))
        do {
            let bearer = try await authenticator.verifiedBearer(in: headers)
            #expect(passes, "accepted \(members)")
            #expect(bearer?.subject == "user-1")
        } catch {
            #expect(!passes, "refused \(members): \(error)")
            #expect(error.status == .forbidden && error.code == .insufficientScope, "\(error)")
            #expect(error.requiredScopes == required.sorted())
        }
    }

    @Test("the in-place scope reading agrees with splitting the parsed claim, over random scope strings")
    func inPlaceAgreesWithParsed() throws {
        var rng = SystemRandomNumberGenerator()
        let vocabulary = ["read", "write", "admin", "re", "readwrite", "patient.read", "a", "b"]
        for _ in 0..<2_000 {
            var scope = ""
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                scope += String(repeating: " ", count: Int.random(in: 0...2, using: &rng))
                scope += vocabulary.randomElement(using: &rng) ?? "a"
            }
            scope += String(repeating: " ", count: Int.random(in: 0...2, using: &rng))
            let required = Set((0..<Int.random(in: 1...3, using: &rng)).compactMap { _ in vocabulary.randomElement() })
            let raw = Array("\"\(scope)\"".utf8)
            let inPlace = BearerScopes.missing(required, in: RawSpan(_elements: raw.span))
            let parsed = required.subtracting(
                BearerScopes.all(in: JSONObject(members: [.init(name: "scope", value: .string(scope))])))
            #expect(inPlace == parsed.sorted(), "scope \"\(scope)\" required \(required.sorted())")
        }
    }

    @Test("a raw value that is not a plain string is left to the parsed payload")
    func notPlain() {
        for raw in [#""a\"b""#, "17", "[\"read\"]", "\"", ""] {
            let bytes = Array(raw.utf8)
            #expect(BearerScopes.missing(["read"], in: RawSpan(_elements: bytes.span)) == nil, "\(raw)")
        }
    }
}
