// SPDX-License-Identifier: Apache-2.0

import Foundation
import Hummingbird
import JWS
import Logging
import NIOCore
import SignetKeys
import Synchronization
import TestHTTPServers
import TestSupport
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `examples/gateway` end to end on loopback: `signet serve` as APIM, an upstream that records what it receives, and
/// the gateway between a caller with a bearer JWT and the upstream.
@Suite("The gateway example against signet serve")
struct GatewayExampleTests {
    static let executable: URL? = Signet.executable.map {
        $0.deletingLastPathComponent().appendingPathComponent("signet-gateway-example")
    }

    static func get(_ url: String, bearer: String?) async throws -> (status: Int, body: String, caller: String?) {
        var request = URLRequest(url: try #require(URL(string: url)))
        if let bearer { request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization") }
        let (body, response) = try await URLSession.shared.data(for: request)
        let http = response as? HTTPURLResponse
        return (
            http?.statusCode ?? 0, String(decoding: body, as: UTF8.self),
            http?.value(forHTTPHeaderField: "X-Gateway-Caller")
        )
    }

    @Test("a caller's bearer JWT is verified, and the upstream is called with an APIM token from signet serve")
    func endToEnd() async throws {
        let gateway = try #require(Self.executable)
        try #require(FileManager.default.isExecutableFile(atPath: gateway.path), "swift build builds the example")
        let dir = try Signet.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let keygen = try await Signet.run([
            "keygen", "--bits", "2048", "--kid", "gw-1", "--out", dir.appendingPathComponent("gw.pem").path,
            "--jwks", dir.appendingPathComponent("gw-jwks.json").path,
        ])
        try #require(keygen.status == 0, "\(keygen)")
        // The callers' key: ES256, published in the JWK set the gateway trusts.
        let caller = try ECPrivateKey.generate(curve: .p256)
        try Data(JWKSet.document([(JWSPublicKey.ec(caller.publicKey), "caller-1", JWSAlgorithm.es256)]).utf8)
            .write(to: dir.appendingPathComponent("callers.json"))

        let upstreamSaw = Mutex<[String]>([])
        let upstream = Router()
        upstream.get("patient") { request, _ -> String in
            upstreamSaw.withLock { $0.append(request.headers[.authorization] ?? "") }
            return #"{"resourceType":"Patient","id":"9000000009"}"#
        }
        try await LoopbackServer.serve(upstream) { upstreamPort in
            let (serve, apim) = try Signet.launch(
                [
                    "serve", "--api-key", "KEY-1", "--jwks", dir.appendingPathComponent("gw-jwks.json").path, "--env",
                    "int", "--port", "0", "--log-level", "error",
                ])
            defer { serve.terminate() }
            let (gatewayProcess, url) = try Signet.launch(
                [
                    "--token-url", apim + "/oauth2/token", "--api-key", "KEY-1", "--key",
                    dir.appendingPathComponent("gw.pem").path, "--kid", "gw-1", "--inbound-jwks",
                    dir.appendingPathComponent("callers.json").path, "--audience", "https://gateway.example",
                    "--upstream", "http://127.0.0.1:\(upstreamPort)/patient", "--port", "0",
                ], program: gateway, expectedPrefix: "signet-gateway-example: listening on ")
            defer { gatewayProcess.terminate() }

            let now = JWTClock.system.now().seconds
            func token(scope: String) throws -> String {
                try JWSSigner(key: .ec(caller), algorithm: .es256, keyID: "caller-1").token(
                    claims: JWTClaims(
                        subject: "clinician-7", audience: ["https://gateway.example"],
                        expiresAt: NumericDate(now + 300),
                        additional: [.init(name: "scope", value: .string(scope))]))
            }
            let ok = try await Self.get(url + "/patient", bearer: try token(scope: "patient.read"))
            #expect(ok.status == 200, "\(ok.body)")
            #expect(ok.body.contains("9000000009") && ok.caller == "clinician-7", "\(ok)")
            let seen = upstreamSaw.withLock { $0 }
            #expect(seen.count == 1 && seen[0].hasPrefix("Bearer ") && seen[0].count > 20, "\(seen)")

            let health = try await Self.get(url + "/health", bearer: nil)
            #expect(health.status == 200 && health.body == "ok")
            let whoami = try await Self.get(url + "/whoami", bearer: try token(scope: "patient.read"))
            #expect(whoami.status == 200 && whoami.body == "clinician-7", "\(whoami)")
            #expect(upstreamSaw.withLock { $0.count } == 1, "whoami does not call the upstream")
            let anonymous = try await Self.get(url + "/patient", bearer: nil)
            #expect(anonymous.status == 401)
            let narrow = try await Self.get(url + "/patient", bearer: try token(scope: "patient.write"))
            #expect(narrow.status == 403)
            #expect(upstreamSaw.withLock { $0.count } == 1, "refused callers never reach the upstream")
        }
    }
}
