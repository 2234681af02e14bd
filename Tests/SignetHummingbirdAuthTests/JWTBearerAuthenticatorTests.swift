// SPDX-License-Identifier: Apache-2.0

import Foundation
import JWS
import Logging
import RemoteJWKS
import ReplayGuard
import SignetHummingbirdAuth
import SignetKeys
import Synchronization
import TestSupport
import Testing

/// The authenticator in a real Hummingbird service on loopback: good tokens reach the route with their claims,
/// everything else gets RFC 6750's answer, and the token never shows in an answer or a log line.
@Suite("JWTBearerAuthenticator over HTTP")
struct JWTBearerAuthenticatorTests {
    static let audience = "https://api.example"
    static let key = Result { try ECPrivateKey.generate(curve: .p256) }

    static func verifier() throws -> JWSVerifier {
        try JWSVerifier(
            keys: [JWSVerificationKey(key: .ec(key.get().publicKey), algorithm: .es256, keyID: "k1")],
            policy: JWTValidationPolicy(audience: audience))
    }

    /// A token signed by `signer` (the test key by default) with `claims` merged over sensible defaults.
    static func token(
        kid: String = "k1", signer: ECPrivateKey? = nil, scope: String? = "read write", expiresIn: Int64 = 300,
        jti: String? = nil
    ) throws -> String {
        let now = JWTClock.system.now().seconds
        var additional: [JSONObject.Member] = []
        if let scope { additional.append(.init(name: "scope", value: .string(scope))) }
        let claims = JWTClaims(
            issuer: "https://issuer.example", subject: "user-1", audience: [audience],
            expiresAt: NumericDate(now + expiresIn), issuedAt: NumericDate(now), id: jti, additional: additional)
        return try JWSSigner(key: .ec(signer ?? key.get()), algorithm: .es256, keyID: kid).token(claims: claims)
    }

    static func authenticator(
        scopes: Set<String> = [], replay: (any ReplayGuard)? = nil, required: Bool = true, logger: Logger? = nil
    ) throws -> JWTBearerAuthenticator<AuthenticatedService.Context> {
        JWTBearerAuthenticator(
            keys: .verifier(try verifier()), requiredScopes: scopes, replayGuard: replay, realm: "signet-test",
            isRequired: required, logger: logger ?? Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    @Test("a good token reaches the route with its subject and scopes; lower-case bearer is Bearer")
    func goodToken() async throws {
        let authenticator = try Self.authenticator(scopes: ["read"])
        let token = try Self.token()
        try await AuthenticatedService.with(authenticator) { port in
            for scheme in ["Bearer", "bearer", "BEARER"] {
                let reply = try await AuthenticatedService.get(port, headers: ["Authorization: \(scheme) \(token)"])
                #expect(reply.status == 200, "\(reply)")
                #expect(reply.body == "sub=user-1 scopes=read,write", "\(reply)")
            }
        }
    }

    @Test("no bearer credentials: 401 with a bare challenge, or passed on when not required")
    func missingCredentials() async throws {
        let required = try Self.authenticator()
        try await AuthenticatedService.with(required) { port in
            for headers in [[], ["Authorization: Basic dXNlcjpwYXNz"]] {
                let reply = try await AuthenticatedService.get(port, headers: headers)
                #expect(reply.status == 401, "\(reply)")
                #expect(reply.header("WWW-Authenticate") == #"Bearer realm="signet-test""#, "\(reply)")
            }
        }
        let optional = try Self.authenticator(required: false)
        try await AuthenticatedService.with(optional) { port in
            let reply = try await AuthenticatedService.get(port, headers: [])
            #expect(reply.status == 200 && reply.body == "anonymous", "\(reply)")
        }
    }

    @Test("malformed Authorization headers are 400 invalid_request, each with its reason")
    func malformedHeaders() async throws {
        let authenticator = try Self.authenticator()
        let token = try Self.token()
        let cases: [(headers: [String], code: String)] = [
            (["Authorization: "], "empty"),
            (["Authorization: Bearer"], "has no token"),
            (["Authorization: Bearer    "], "has no token"),
            (["Authorization: Bearer \(token)", "Authorization: Bearer \(token)"], "2 Authorization fields"),
            (["Authorization: Bearer " + String(repeating: "A", count: 16 * 1024)], "at most 8192"),
            (["Authorization: Bearer \(token)é"], "outside printable ASCII"),
            (["Authorization: Bearer abc\"def"], "outside RFC 6750"),
        ]
        try await AuthenticatedService.with(authenticator) { port in
            for c in cases {
                let reply = try await AuthenticatedService.get(port, headers: c.headers)
                #expect(reply.status == 400, "\(c.headers.first?.prefix(40) ?? ""): \(reply.text.prefix(300))")
                let challenge = reply.header("WWW-Authenticate") ?? ""
                #expect(challenge.hasPrefix(#"Bearer realm="signet-test", error="invalid_request""#), "\(challenge)")
                #expect(challenge.contains(c.code), "\(challenge)")
                #expect(!reply.text.contains(token))
            }
        }
    }

    @Test("tokens that do not verify are 401 invalid_token with Signet's code, never the token")
    func invalidTokens() async throws {
        let authenticator = try Self.authenticator()
        let good = try Self.token()
        let other = try ECPrivateKey.generate(curve: .p256)
        // One character well inside the signature segment: all six of its bits are signature bits (the last
        // characters may carry only padding bits, and a change there need not change the signature).
        var characters = Array(good)
        characters[characters.count - 10] = characters[characters.count - 10] == "A" ? "B" : "A"
        let tampered = String(characters)
        let cases: [(token: String, code: String)] = [
            (tampered, "signature.invalid"),
            (try Self.token(signer: other), "signature.invalid"),
            (try Self.token(kid: "k2"), "header.kid-unknown"),
            (try Self.token(expiresIn: -60), "claim.exp-expired"),
            ("eyJhbGciOiJub25lIn0.e30.", "token.not-jws"),
            ("eyJhbGciOiJub25lIn0.e30.c2ln", "header.alg-not-allowed"),
            ("not.a.jwt", "base64url"),
        ]
        try await AuthenticatedService.with(authenticator) { port in
            for c in cases {
                let reply = try await AuthenticatedService.get(port, headers: ["Authorization: Bearer \(c.token)"])
                #expect(reply.status == 401, "\(c.code): \(reply)")
                let challenge = reply.header("WWW-Authenticate") ?? ""
                #expect(challenge.hasPrefix(#"Bearer realm="signet-test", error="invalid_token", error_description=""#))
                #expect(challenge.contains(c.code), "\(challenge)")
                #expect(!reply.text.contains(c.token), "the token came back")
                #expect(reply.header("Cache-Control") == "no-store")
                #expect(reply.body.hasPrefix(#"{"error":"invalid_token","error_description":""#), "\(reply.body)")
            }
        }
    }

    @Test("a missing scope is 403 insufficient_scope naming the scopes")
    func insufficientScope() async throws {
        let authenticator = try Self.authenticator(scopes: ["admin", "read"])
        let token = try Self.token(scope: "read")
        try await AuthenticatedService.with(authenticator) { port in
            let reply = try await AuthenticatedService.get(port, headers: ["Authorization: Bearer \(token)"])
            #expect(reply.status == 403, "\(reply)")
            let challenge = reply.header("WWW-Authenticate") ?? ""
            #expect(challenge.contains(#"error="insufficient_scope""#) && challenge.contains(#"scope="admin read""#))
        }
    }

    @Test("with a replay guard a token is used once; a token without jti cannot be checked")
    func replay() async throws {
        let authenticator = try Self.authenticator(replay: InMemoryReplayGuard(capacity: 100))
        let token = try Self.token(jti: UUID().uuidString)
        let noID = try Self.token()
        try await AuthenticatedService.with(authenticator) { port in
            let first = try await AuthenticatedService.get(port, headers: ["Authorization: Bearer \(token)"])
            let second = try await AuthenticatedService.get(port, headers: ["Authorization: Bearer \(token)"])
            #expect(first.status == 200, "\(first)")
            #expect(second.status == 401 && (second.header("WWW-Authenticate") ?? "").contains("already used"))
            let missing = try await AuthenticatedService.get(port, headers: ["Authorization: Bearer \(noID)"])
            #expect(missing.status == 401 && (missing.header("WWW-Authenticate") ?? "").contains("jti"))
        }
    }

    @Test("refusals are logged with their code, and no log line holds the token")
    func logsNeverHoldTheToken() async throws {
        let lines = LogLines()
        let authenticator = try Self.authenticator(logger: lines.logger)
        let expired = try Self.token(expiresIn: -60)
        try await AuthenticatedService.with(authenticator) { port in
            _ = try await AuthenticatedService.get(port, headers: ["Authorization: Bearer \(expired)"])
            _ = try await AuthenticatedService.get(port, headers: ["Authorization: Bearer \(expired)x\""])
        }
        #expect(lines.all.count == 2, "\(lines.all)")
        #expect(lines.all.first?.contains("claim.exp-expired") == true, "\(lines.all)")
        for line in lines.all { #expect(!line.contains(expired.prefix(40)), "\(line)") }
    }

    @Test("a JWK set by URL: an unknown kid re-fetches the set once, and the rotated key verifies")
    func remoteKeysRotate() async throws {
        let first = try ECPrivateKey.generate(curve: .p256)
        let rotated = try ECPrivateKey.generate(curve: .p256)
        func jwks(_ keys: [(ECPrivateKey, String)]) -> String {
            JWKSet.document(keys.map { (JWSPublicKey.ec($0.0.publicKey), $0.1, JWSAlgorithm.es256) })
        }
        let served = ServedJWKS(jwks([(first, "a")]))
        let configuration = {
            var c = RemoteJWKSet.Configuration.cis2IDToken
            c.allowInsecureHTTP = true
            c.unknownKeyIDCooldown = .zero
            return c
        }()
        let sets = Mutex<[RemoteJWKSet]>([])
        try await AuthenticatedService.with(
            jwks: served,
            makingAuthenticator: { url in
                let set = RemoteJWKSet(url: url, configuration: configuration)
                sets.withLock { $0.append(set) }
                return JWTBearerAuthenticator(
                    keys: .remote(set, policy: JWTValidationPolicy(audience: Self.audience)),
                    logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            },
            body: { port in
                let a = try await AuthenticatedService.get(
                    port, headers: ["Authorization: Bearer \(try Self.token(kid: "a", signer: first))"])
                #expect(a.status == 200, "\(a)")
                served.serve(jwks([(first, "a"), (rotated, "b")]))
                let b = try await AuthenticatedService.get(
                    port, headers: ["Authorization: Bearer \(try Self.token(kid: "b", signer: rotated))"])
                #expect(b.status == 200, "\(b)")
                let unknown = try await AuthenticatedService.get(
                    port, headers: ["Authorization: Bearer \(try Self.token(kid: "c", signer: rotated))"])
                #expect(
                    unknown.status == 401 && (unknown.header("WWW-Authenticate") ?? "").contains("header.kid-unknown"))
            })
        #expect(sets.withLock { $0.first?.fetchCount } == 3, "first fetch, one for b, one for c")
    }
}
