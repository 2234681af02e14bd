// SPDX-License-Identifier: Apache-2.0

import Foundation
import Hummingbird
import HummingbirdAuth
import JWS
import Logging
import NIOCore
import SignetHummingbirdAuth
import SignetKeys
import Synchronization
import TestHTTPServers
import TestSupport

/// A real Hummingbird service on 127.0.0.1 (port 0) with the authenticator in front of `GET /api/me`, which answers
/// the verified `sub` and scopes; beside it a second server's `GET /jwks` serves a JWK set the test can change, for
/// `RemoteJWKSet` to fetch.
enum AuthenticatedService {
    typealias Context = BasicAuthRequestContext<VerifiedBearer>

    /// Runs `body` with `authenticator` in front of the route, and stops the servers afterwards.
    static func with<T: Sendable>(
        _ authenticator: JWTBearerAuthenticator<Context>, _ body: (_ port: Int) async throws -> T
    ) async throws -> T {
        try await with(jwks: ServedJWKS("{\"keys\":[]}"), makingAuthenticator: { _ in authenticator }, body: body)
    }

    /// Runs `body` with both servers started, the authenticator made for the JWK set's URL, and stops them
    /// afterwards.
    static func with<T: Sendable>(
        jwks: ServedJWKS, makingAuthenticator makeAuthenticator: (_ jwksURL: String) -> JWTBearerAuthenticator<Context>,
        body: (_ port: Int) async throws -> T
    ) async throws -> T {
        let jwksRouter = Router()
        jwksRouter.get("jwks") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: jwks.text)))
        }
        return try await LoopbackServer.serve(jwksRouter) { jwksPort in
            let authenticator = makeAuthenticator("http://127.0.0.1:\(jwksPort)/jwks")
            let router = Router(context: Context.self)
            router.group("api")
                .add(middleware: authenticator)
                .get("me") { _, context -> String in
                    guard let bearer = context.identity else { return "anonymous" }
                    return "sub=\(bearer.subject ?? "") scopes=\(bearer.scopes.sorted().joined(separator: ","))"
                }
            return try await LoopbackServer.serve(router, body)
        }
    }

    /// `GET /api/me` with `headers` (raw lines, each without CRLF), on a socket of its own.
    static func get(_ port: Int, headers: [String]) async throws -> RawReply {
        let request =
            (["GET /api/me HTTP/1.1", "Host: 127.0.0.1", "Connection: close"] + headers)
            .joined(separator: "\r\n") + "\r\n\r\n"
        let outcome = try await offThePool {
            try RawHTTP.converse(port: port, request: request, guardSeconds: 60, untilResponse: true)
        }
        return RawReply(outcome.reply)
    }
}

/// The JWK set `GET /jwks` serves; a test changes it to rotate keys.
final class ServedJWKS: Sendable {
    private let storage: Mutex<String>
    init(_ text: String) { storage = Mutex(text) }
    var text: String { storage.withLock { $0 } }
    func serve(_ text: String) { storage.withLock { $0 = text } }
}

/// A response as the raw bytes showed it.
struct RawReply: CustomStringConvertible {
    let status: Int
    let headers: [(name: String, value: String)]
    let body: String
    let text: String

    init(_ text: String) {
        self.text = text
        let parts = text.components(separatedBy: "\r\n\r\n")
        let lines = (parts.first ?? "").components(separatedBy: "\r\n")
        status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        headers = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (
                String(line[..<colon]).lowercased(),
                line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            )
        }
        body = parts.dropFirst().joined(separator: "\r\n\r\n")
    }

    func header(_ name: String) -> String? { headers.first { $0.name == name.lowercased() }?.value }
    var description: String { text }
}

/// Log lines (message and metadata) kept for a test to read.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var logger: Logger { Logger(label: "test.bearer") { _ in LineCapture(lines: self) } }
}

struct LineCapture: LogHandler {
    let lines: LogLines
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lines.append("\(event.level) \(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 })")
    }
}
