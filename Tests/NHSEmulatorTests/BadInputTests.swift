// SPDX-License-Identifier: Apache-2.0

import AsyncHTTPClient
import ClientAssertion
import Foundation
import JWS
import NHSEmulator
import NIOCore
import NIOHTTP1
import SignetKeys
import TestSupport
import Testing

@Suite("Bad input over HTTP: a clear APIM-shaped answer or a closed connection, never a crash or a burned jti")
struct BadInputTests {
    @Test("a 10 MB assertion gets 413 in APIM's shape, or at worst a closed connection")
    func oversized() async throws {
        try await RunningEmulator.withShared { run in
            // Over AsyncHTTPClient: the server answers before the upload ends and closes, so either is right.
            do {
                let answer = try await run.token(Assertion.form(String(repeating: "A", count: 10 << 20)))
                #expect(answer.status == 413)
            } catch {}
            // On a raw socket, the 413 can be read: announce 10 MB and send the first 256 KiB.
            let port = try #require(URLComponents(string: run.url)?.port)
            let reply = try await rawExchange(
                port: port,
                request:
                    "POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10485760\r\n\r\n"
                    + "client_assertion=" + String(repeating: "A", count: 80 << 10))
            // The server answers and closes; when the close overtakes the unread upload, the kernel resets the
            // connection and the answer is lost in transit. Either way it is never anything but a 413.
            if !reply.isEmpty {
                #expect(reply.hasPrefix("HTTP/1.1 413"), "\(reply.prefix(200))")
                #expect(reply.contains(#""error":"invalid_request""#))
                #expect(reply.contains(#""message_id":"rrt-"#))
            }
            // The server still serves.
            #expect(try await run.token(cc()(run)).status == 200)
        }
    }

    @Test("bodies that are not a valid form get 400 and burn no jti", arguments: ["non-UTF-8", "duplicate", "escape"])
    func unparsable(_ kind: String) async throws {
        try await RunningEmulator.with { run in
            let good = cc()(run)
            var body = Array(good.utf8)
            switch kind {
            case "non-UTF-8": body += Array("&x=".utf8) + [0xFF, 0xFE]
            case "duplicate": body += Array("&grant_type=client_credentials".utf8)
            default: body += Array("&x=%zz".utf8)
            }
            let r = try await run.send("/oauth2/token", body: body)
            #expect(r.status == 400, "\(r.body)")
            #expect(r.body.contains("\"error\":\"invalid_request\""))
            // The assertion inside was never read, so its jti is still fresh.
            let again = try await run.token(good)
            #expect(again.status == 200, "\(again.body)")
        }
    }

    @Test("an empty body and an empty POST are missing grant_type")
    func emptyBody() async throws {
        try await RunningEmulator.with { run in
            let answer = try await run.token("")
            #expect(answer.status == 400)
            #expect(answer.description == NHSEndpointMessages.grantTypeMissing)
        }
    }

    @Test("a client that never sends the body it announced is cut off (408 or a closed connection)")
    func slowClient() async throws {
        var configuration = try RunningEmulator.configuration()
        configuration.limits.bodyTimeoutSeconds = 1
        configuration.limits.idleTimeoutSeconds = 2
        try await RunningEmulator.with(configuration) { run in
            let port = try #require(URLComponents(string: run.url)?.port)
            // The client waits far longer than the server's deadlines (a read that times out throws): the server
            // must answer 408 or close on its own.
            let reply = try await rawExchange(
                port: port,
                request:
                    "POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\ngrant_type="
            )
            #expect(reply.isEmpty || reply.hasPrefix("HTTP/1.1 408"), "\(reply)")
        }
    }

    @Test("an unknown path is a JSON 404; the server keeps serving")
    func unknownPath() async throws {
        try await RunningEmulator.with { run in
            let r = try await run.send("/nope", method: .GET, contentType: nil)
            #expect(r.status == 404)
            #expect(try await run.token(cc()(run)).status == 200)
        }
    }
}

/// Sends `request` on a raw socket (on a thread of its own) and reads one whole response, or until the server closes
/// (an empty reply: closed or reset). A read that runs past the hang guard means the server neither answered nor
/// closed: it throws, rather than passing for an empty reply.
func rawExchange(port: Int, request: String) async throws -> String {
    let outcome = try await offThePool {
        try RawHTTP.converse(port: port, request: request, guardSeconds: 60, untilResponse: true)
    }
    guard !outcome.timedOut else { throw POSIXError(.ETIMEDOUT) }
    return outcome.reply
}
