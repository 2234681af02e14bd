// SPDX-License-Identifier: Apache-2.0
import AsyncHTTPClient
import ClientAssertion
import Foundation
import JWS
import NHSEmulator
import NIOCore
import NIOHTTP1
import SignetRSA
import Testing

#if canImport(Glibc)
import Glibc
#endif

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
            let reply = try rawExchange(
                port: port,
                request:
                    "POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10485760\r\n\r\n"
                    + "client_assertion=" + String(repeating: "A", count: 80 << 10),
                readTimeoutSeconds: 60)
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
            #expect(answer.description == NHSEndpointError.grantTypeMissing)
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
            let reply = try rawExchange(
                port: port,
                request:
                    "POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 500\r\n\r\ngrant_type=",
                readTimeoutSeconds: 60)
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

/// Writes `request` on a plain TCP connection to loopback and reads until the peer closes or the timeout passes.
func rawExchange(port: Int, request: String, readTimeoutSeconds: Int) throws -> String {
    try rawExchangeUnsafe(port: port, request: request, readTimeoutSeconds: readTimeoutSeconds)
}

private func rawExchangeUnsafe(port: Int, request: String, readTimeoutSeconds: Int) throws -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = unsafe inet_addr("127.0.0.1")
    let connected = unsafe withUnsafePointer(to: &address) {
        unsafe $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            unsafe connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
    }
    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    var timeout = timeval(tv_sec: readTimeoutSeconds, tv_usec: 0)
    unsafe setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    _ = unsafe Array(request.utf8).withUnsafeBytes { unsafe send(fd, $0.baseAddress, $0.count, 0) }
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = unsafe buffer.withUnsafeMutableBytes { unsafe recv(fd, $0.baseAddress, $0.count, 0) }
        // A read that times out means the server neither answered nor closed within the hang guard: a failure, not
        // an empty reply (which is what a closed or reset connection gives).
        if n < 0, errno == EAGAIN || errno == EWOULDBLOCK { throw POSIXError(.ETIMEDOUT) }
        if n <= 0 { break }
        received += buffer[..<n]
        if isComplete(received) { break }
    }
    return String(decoding: received, as: UTF8.self)
}

/// Whether `bytes` hold a whole HTTP response: the head and as many body bytes as its Content-Length says.
private func isComplete(_ bytes: [UInt8]) -> Bool {
    let text = String(decoding: bytes, as: UTF8.self)
    guard let headEnd = text.range(of: "\r\n\r\n") else { return false }
    let head = text[..<headEnd.lowerBound].lowercased()
    guard let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }),
        let length = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
    else { return false }
    return text.utf8.count - text[..<headEnd.upperBound].utf8.count >= length
}
