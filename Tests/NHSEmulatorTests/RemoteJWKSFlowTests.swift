// SPDX-License-Identifier: Apache-2.0

import ClientAssertion
import Hummingbird
import JWS
import NHSEmulator
import NIOCore
import TestSupport
import Testing

/// A JWKS served over HTTP on loopback by the test.
func withJWKSServer<T: Sendable>(_ jwks: String, _ body: (String) async throws -> T) async throws -> T {
    let router = Router()
    router.get("/jwks.json") { _, _ in
        Response(
            status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: jwks)))
    }
    let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) })
    let task = Task { try await app.run() }
    defer { task.cancel() }
    var iterator = stream.makeAsyncIterator()
    let port = await iterator.next() ?? 0
    return try await body("http://127.0.0.1:\(port)/jwks.json")
}

/// A port held, for the whole test process, by a socket that does not listen: connections to it are refused, and no
/// other suite's server can take it.
let refusingPort = PortReservation.any()

/// A loopback URL that refuses connections.
func deadURL() async throws -> String {
    let reservation = try #require(refusingPort, "no loopback port could be reserved")
    return "http://127.0.0.1:\(reservation.port)/jwks.json"
}

@Suite("JWKS by URL: fetched as APIM does, and APIM's answers when it cannot be")
struct RemoteJWKSFlowTests {
    @Test("an application JWKS served by URL verifies; an unreachable one is E24; an unreachable CIS2 JWKS is E41")
    func byURL() async throws {
        let dead = try await deadURL()
        try await withJWKSServer(Keys.clientJWKS) { jwksURL in
            var configuration = try RunningEmulator.configuration()
            configuration.apim.applications = [
                .init(name: "by-url", apiKey: RunningEmulator.apiKey, jwks: jwksURL),
                .init(name: "dead", apiKey: "APIKEY-DEAD", jwks: dead),
                // Userinfo that reads as "localhost:" to a prefix match: not loopback, so plain http is refused
                // (here the real host is loopback too, so only the refusal can make this fail).
                .init(
                    name: "userinfo", apiKey: "APIKEY-USERINFO",
                    jwks: "http://localhost:1@" + jwksURL.dropFirst("http://".count)),
            ]
            try await RunningEmulator.with(configuration) { run in
                let ok = try await run.token(cc()(run))
                #expect(ok.status == 200, "\(ok.body)")
                let userinfo = try await run.token(
                    Assertion.form(
                        Assertion.token(claims: Assertion.claims(aud: run.tokenURL, iss: "APIKEY-USERINFO"))))
                #expect(userinfo.status == 403, "\(userinfo.body)")
                #expect(userinfo.error == "public_key error")
                let unreachable = try await run.token(
                    Assertion.form(Assertion.token(claims: Assertion.claims(aud: run.tokenURL, iss: "APIKEY-DEAD"))))
                #expect(unreachable.status == 403)
                #expect(unreachable.error == "public_key error")
                #expect(unreachable.description == NHSEndpointMessages.jwksUnreachable)
            }
            configuration.apim.applications = [.init(name: "by-url", apiKey: RunningEmulator.apiKey, jwks: jwksURL)]
            configuration.apim.cis2JWKS = dead
            try await RunningEmulator.with(configuration) { run in
                let idToken = try run.server.cis2.mintIDToken(
                    clientID: RunningEmulator.cis2ClientID, nonce: nil, now: RunningEmulator.now)
                let answer = try await run.token(run.exchangeForm(idToken))
                #expect(answer.status == 500)
                #expect(answer.error == "unknown_error")
                #expect(answer.description == NHSEndpointMessages.unknownError)
            }
        }
    }
}
