// SPDX-License-Identifier: Apache-2.0

import AsyncHTTPClient
import Base64URL
import ClientAssertion
import Foundation
import JWS
import NHSEmulator
import NIOCore
import NIOHTTP1
import ReplayGuard
import SignetKeys
import Testing

/// Keys, tokens and a running emulator on loopback, shared by the HTTP tests.
enum Keys {
    static let client: RSAPrivateKey = generate()
    static let other: RSAPrivateKey = generate()
    static let cis2Client: RSAPrivateKey = generate()
    static let cis2Signing: RSAPrivateKey = generate()

    private static func generate() -> RSAPrivateKey {
        do { return try RSAPrivateKey.generate(bits: 2048) } catch { fatalError("fixture: \(error)") }
    }

    /// The APIM application's JWKS (`k1`, RS512) and a CIS2 client's (`c1`, RS256 and RS512 allowed).
    static var clientJWKS: String { JWKSet.document([(client.publicKey, "k1", .rs512)]) }
    static var cis2JWKS: String { JWKSet.document([(cis2Client.publicKey, "c1", .rs256)]) }
}

/// A file under a per-process temporary directory. Tests running in parallel write the same files, so each write
/// is atomic (a temporary file renamed into place): a reader never sees one half written.
func temporaryFile(_ name: String, _ contents: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("signet-emulator-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(contents.utf8).write(to: url, options: .atomic)
    return url.path
}

/// One emulator, started on a free loopback port, with a fixed clock.
final class RunningEmulator: Sendable {
    static let now: Int64 = 1_800_000_000
    static let apiKey = "APIKEY-123"
    static let cis2ClientID = "9999.apps.supplier"
    static let redirect = "https://client.example/callback"

    let server: NHSEmulatorServer
    let url: String
    let task: Task<Void, any Error>

    var tokenURL: String { url + "/oauth2/token" }

    private init(server: NHSEmulatorServer, url: String, task: Task<Void, any Error>) {
        self.server = server
        self.url = url
        self.task = task
    }

    /// The files the default configuration names, written once per test process.
    static let files: Result<(client: String, cis2: String, signingKey: String), any Error> = Result {
        let pem = try unsafe Keys.cis2Signing.withPKCS8PEM { unsafe String(decoding: $0, as: UTF8.self) }
        return (
            try temporaryFile("client-jwks.json", Keys.clientJWKS),
            try temporaryFile("cis2-client-jwks.json", Keys.cis2JWKS),
            try temporaryFile("cis2-signing.pem", pem)
        )
    }

    /// The default configuration: one APIM application with `Keys.client`, one CIS2 client with `Keys.cis2Client`.
    static func configuration() throws -> EmulatorConfiguration {
        let files = try files.get()
        var c = EmulatorConfiguration()
        c.port = 0
        c.apim.applications = [
            .init(name: "test", apiKey: apiKey, jwks: files.client),
            .init(name: "no-jwks", apiKey: "APIKEY-NOJWKS", jwks: nil),
        ]
        c.cis2.clients = [.init(clientID: cis2ClientID, redirectURIs: [redirect], jwks: files.cis2)]
        c.cis2.signingKey = files.signingKey
        return c
    }

    /// One server with the default configuration, shared by the tests that only send fresh assertions to it; it
    /// runs until the test process ends.
    static let shared = Task { () throws -> RunningEmulator in
        let server = try NHSEmulatorServer(configuration: try configuration(), clock: { RunningEmulator.now })
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let task = Task { try await server.run { url in continuation.yield(url) } }
        var iterator = stream.makeAsyncIterator()
        guard let url = await iterator.next() else { throw CancellationError() }
        return RunningEmulator(server: server, url: url, task: task)
    }

    /// Runs `body` against the shared server.
    static func withShared<T: Sendable>(_ body: (RunningEmulator) async throws -> T) async throws -> T {
        try await body(try await shared.value)
    }

    /// Starts a server; `body` runs while it listens, and the server is stopped afterwards.
    static func with<T: Sendable>(
        _ configuration: EmulatorConfiguration? = nil, replayGuard: (any ReplayGuard)? = nil,
        clock: @escaping @Sendable () -> Int64 = { RunningEmulator.now },
        _ body: (RunningEmulator) async throws -> T
    ) async throws -> T {
        let server = try NHSEmulatorServer(
            configuration: try configuration ?? Self.configuration(), replayGuard: replayGuard, clock: clock)
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let task = Task { try await server.run { url in continuation.yield(url) } }
        var iterator = stream.makeAsyncIterator()
        guard let url = await iterator.next() else { throw CancellationError() }
        let running = RunningEmulator(server: server, url: url, task: task)
        defer { task.cancel() }
        let result = try await body(running)
        task.cancel()
        _ = await task.result
        return result
    }

    /// A client that never follows redirects.
    static let http = HTTPClient(configuration: .init(redirectConfiguration: .disallow))

    /// Sends a request and returns status, headers and body text.
    func send(
        _ path: String, method: HTTPMethod = .POST, contentType: String? = APIMTokenEndpoint.contentType,
        body: [UInt8]? = nil
    ) async throws -> (status: Int, headers: [(String, String)], body: String) {
        var request = HTTPClientRequest(url: url + path)
        request.method = method
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await Self.http.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 1 << 20)
        return (
            Int(response.status.code), response.headers.map { ($0.name, $0.value) },
            String(buffer: collected)
        )
    }

    /// POSTs a form to APIM's token endpoint.
    func token(_ form: String, contentType: String? = APIMTokenEndpoint.contentType) async throws -> APIMAnswer {
        let r = try await send("/oauth2/token", contentType: contentType, body: Array(form.utf8))
        return APIMAnswer(status: r.status, body: r.body)
    }
}

/// An APIM answer read back.
struct APIMAnswer: Sendable {
    let status: Int
    let body: String

    var json: JSONObject? { (try? StrictJSON.parse(body))?.objectValue }
    var error: String? { json?["error"]?.stringValue }
    var description: String? { json?["error_description"]?.stringValue }
}

/// Client assertions and forms.
enum Assertion {
    static let defaultHeader = #"{"alg":"RS512","typ":"JWT","kid":"k1"}"#

    /// Claims with `exp = now + 300` and a fresh `jti`; `extra` members replace or add to them (`nil` removes).
    static func claims(
        aud: String, iss: String = RunningEmulator.apiKey, sub: String? = nil, _ changes: [String: String?] = [:]
    ) -> String {
        var members: [(String, String)] = [
            ("iss", "\"\(iss)\""), ("sub", "\"\(sub ?? iss)\""), ("aud", "\"\(aud)\""),
            ("jti", "\"\(UUID().uuidString.lowercased())\""), ("exp", String(RunningEmulator.now + 300)),
            ("iat", String(RunningEmulator.now)),
        ]
        for (name, value) in changes.sorted(by: { $0.key < $1.key }) {
            members.removeAll { $0.0 == name }
            if let value { members.append((name, value)) }
        }
        return "{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// `header.payload.signature` signed with `key`.
    static func token(
        header: String = defaultHeader, claims: String, key: RSAPrivateKey = Keys.client,
        algorithm: RSASignatureAlgorithm = .rs512
    ) -> String {
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
        let signature = (try? key.signature(for: Array(input.utf8), algorithm: algorithm)) ?? []
        return input + "." + Base64URL.encode(signature)
    }

    /// A `client_credentials` form carrying `assertion`.
    static func form(
        _ assertion: String?, grant: String? = "client_credentials",
        assertionType: String? = TokenRequestForm.jwtBearerAssertionType, extra: [(String, String)] = []
    ) -> String {
        var fields: [(String, String)] = []
        if let grant { fields.append(("grant_type", grant)) }
        if let assertionType { fields.append(("client_assertion_type", assertionType)) }
        if let assertion { fields.append(("client_assertion", assertion)) }
        fields += extra
        return fields.map { "\($0.0)=\(percent($0.1))" }.joined(separator: "&")
    }

    static func percent(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? s
    }
}
