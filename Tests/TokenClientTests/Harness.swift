// SPDX-License-Identifier: Apache-2.0

import AsyncHTTPClient
import ClientAssertion
import Foundation
import JWS
import NHSEmulator
import NIOCore
import NIOHTTP1
import SignetKeys
import Testing
import TokenClient

/// Keys for the emulator's application and CIS2 client, and one that nobody registered.
enum Keys {
    static let client: RSAPrivateKey = generate()
    static let cis2Client: RSAPrivateKey = generate()
    static let cis2Signing: RSAPrivateKey = generate()
    static let stranger: RSAPrivateKey = generate()

    private static func generate() -> RSAPrivateKey {
        do { return try RSAPrivateKey.generate(bits: 2048) } catch { fatalError("fixture: \(error)") }
    }

    static var clientJWKS: String { JWKSet.document([(client.publicKey, "k1", .rs512)]) }
    static var cis2JWKS: String { JWKSet.document([(cis2Client.publicKey, "c1", .rs512)]) }
}

/// A file under a per-process temporary directory. Tests running in parallel write the same files, so each write
/// is atomic (a temporary file renamed into place): a reader never sees one half written.
func temporaryFile(_ name: String, _ contents: String) throws -> String {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("signet-token-client-\(getpid())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = dir.appendingPathComponent(name)
    try Data(contents.utf8).write(to: url, options: .atomic)
    return url.path
}

/// `signet serve` in process, on a free loopback port, on the system clock: the APIM application `APIKEY-1` (INT's
/// `aud`), `APIKEY-NOJWKS` with no JWKS, and a CIS2 client.
struct Emulator: Sendable {
    static let apiKey = "APIKEY-1"
    static let cis2ClientID = "9999.apps.supplier"
    static let redirect = "https://client.example/callback"

    let server: NHSEmulatorServer
    let url: String

    var tokenURL: String { url + "/oauth2/token" }
    var cis2Issuer: String { server.cis2.issuer }

    static func configuration() throws -> EmulatorConfiguration {
        let pem = try unsafe Keys.cis2Signing.withPKCS8PEM { unsafe String(decoding: $0, as: UTF8.self) }
        var c = EmulatorConfiguration()
        c.port = 0
        c.apim.environment = .integration
        c.apim.applications = [
            .init(name: "gateway", apiKey: apiKey, jwks: try temporaryFile("client-jwks.json", Keys.clientJWKS)),
            .init(name: "no-jwks", apiKey: "APIKEY-NOJWKS", jwks: nil),
        ]
        c.cis2.clients = [
            .init(
                clientID: cis2ClientID, redirectURIs: [redirect],
                jwks: try temporaryFile("cis2-client-jwks.json", Keys.cis2JWKS))
        ]
        c.cis2.signingKey = try temporaryFile("cis2-signing.pem", pem)
        return c
    }

    /// Runs `body` while an emulator listens; stops it afterwards.
    static func with<T: Sendable>(
        _ configure: (inout EmulatorConfiguration) -> Void = { _ in }, _ body: (Emulator) async throws -> T
    ) async throws -> T {
        var configuration = try Self.configuration()
        configure(&configuration)
        let server = try NHSEmulatorServer(configuration: configuration)
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        let task = Task { try await server.run { url in continuation.yield(url) } }
        defer { task.cancel() }
        var iterator = stream.makeAsyncIterator()
        guard let url = await iterator.next() else { throw CancellationError() }
        let result = try await body(Emulator(server: server, url: url))
        task.cancel()
        _ = await task.result
        return result
    }

    /// An APIM endpoint for INT sent to this emulator.
    func apim(
        key: RSAPrivateKey = Keys.client, keyID: String = "k1", apiKey: String = Emulator.apiKey,
        environment: APIMEnvironment = .integration, clock: JWTClock = .system, registeredJWKS: String? = nil,
        configuration: TokenEndpoint.Configuration = .init(retry: .never)
    ) throws -> TokenEndpoint {
        let minter = try ClientAssertionMinter(
            key: key, keyID: keyID, clientID: apiKey, profile: .apim(environment), clock: clock)
        return try TokenEndpoint(
            tokenURL: tokenURL, minter: minter, configuration: configuration, registeredJWKS: registeredJWKS,
            httpClient: Self.http)
    }

    /// `GET …/authorize` as the browser would, and the `code` from the redirect.
    func authorize() async throws -> String {
        let query =
            "response_type=code&scope=openid&client_id=\(Emulator.cis2ClientID)&redirect_uri=https%3A%2F%2Fclient.example%2Fcallback&state=s1&nonce=n1"
        let request = HTTPClientRequest(url: cis2Issuer + "/authorize?" + query)
        let response = try await Self.http.execute(request, timeout: .seconds(30))
        #expect(response.status.code == 302)
        let location = try #require(response.headers.first(name: "Location"))
        let items = try #require(URLComponents(string: location)?.queryItems)
        return try #require(items.first { $0.name == "code" }?.value)
    }

    /// A client that never follows redirects, with a short connect timeout.
    static let http = HTTPClient(
        configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(2))))
}
